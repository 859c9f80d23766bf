/**
 * Where the pipeline's input files live: a folder with `produtos.json` (the product catalogue) and `vendas/<day>.csv`
 * (one file of sales per day). A service of its own, so tests and programs point the same assets at any folder.
 */
import { FileSystem } from "@effect/platform"
import { Context, Effect, Layer, Schema } from "effect"
import { createHash } from "node:crypto"
import * as NodePath from "node:path"

export class InputError extends Schema.TaggedError<InputError>()("InputError", {
  path: Schema.String,
  message: Schema.String
}) {}

export class Inputs extends Context.Tag("@baliza/example-file-pipeline/Inputs")<Inputs, {
  readonly dir: string
  readonly produtos: string
  readonly vendas: (day: string) => string
  /** The file's sha256: the data version of what was read from it. */
  readonly fingerprint: (path: string) => Effect.Effect<string, InputError>
}>() {}

export const layer = (dir: string): Layer.Layer<Inputs, never, FileSystem.FileSystem> =>
  Layer.effect(
    Inputs,
    Effect.map(FileSystem.FileSystem, (fs) =>
      Inputs.of({
        dir,
        produtos: NodePath.join(dir, "produtos.json"),
        vendas: (day) => NodePath.join(dir, "vendas", `${day}.csv`),
        fingerprint: (path) =>
          fs.readFile(path).pipe(
            Effect.map((bytes) => createHash("sha256").update(bytes).digest("hex")),
            Effect.mapError((error) =>
              new InputError({
                path,
                message: error._tag === "SystemError" && error.reason === "NotFound"
                  ? `input file ${path} does not exist`
                  : `cannot read ${path}: ${error.message}`
              })
            )
          )
      }))
  )
