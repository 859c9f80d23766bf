/**
 * A user's declaration build can name every Baliza type it reaches. The consumer in `declarations/` (its own tsconfig,
 * `declaration: true`, NodeNext) exports values whose types it never spells out — a partition parse's `Either` of
 * `PartitionError`, `Tables.columnType(…)`, `FaultyHttpServer.make(…)`, `PncpFake.Options["volumes"]`, the extract
 * signals and metrics — so tsc must write each type by an importable path. It is compiled against `@baliza/*` as
 * `node_modules` resolves them: the workspace packages, whose `exports` block `./internal/*` as the published ones do,
 * so a type reachable only through an internal module fails here (TS4023, TS2742) or is written as
 * `import("@baliza/…/internal/…")`, which a project reading that `.d.ts` cannot resolve (TS2307).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"

const repository = NodePath.resolve(NodePath.dirname(fileURLToPath(import.meta.url)), "../..")
const consumer = NodePath.join(repository, "scripts", "test", "declarations")
const tsc = NodePath.join(repository, "node_modules", "typescript", "bin", "tsc")

const compile = (outDir: string) =>
  Effect.async<{ readonly code: number; readonly output: string }>((resume) => {
    const child = execFile(
      process.execPath,
      [tsc, "-p", consumer, "--outDir", outDir, "--pretty", "false"],
      { cwd: consumer, timeout: 150_000, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resume(Effect.succeed({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : -1,
          output: `${stdout}${stderr}`
        }))
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  })

const temporaryDirectory = Effect.acquireRelease(
  Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-declarations-"))),
  (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
)

describe("declarations", () => {
  it.scopedLive(
    "a consumer's declaration build names every Baliza type by a public path",
    () =>
      Effect.gen(function*() {
        const outDir = yield* temporaryDirectory
        const { code, output } = yield* compile(outDir)
        assert.strictEqual(code, 0, `tsc failed:\n${output}`)
        const emitted = NodeFs.readdirSync(outDir).filter((file) => file.endsWith(".d.ts")).sort()
        assert.deepStrictEqual(emitted, ["main.d.ts", "subpaths.d.ts"])
        for (const file of emitted) {
          const text = NodeFs.readFileSync(NodePath.join(outDir, file), "utf8")
          const internal = text.split("\n").filter((line) => line.includes("/internal/"))
          assert.deepStrictEqual(internal, [], `${file} names types through internal modules`)
          // The types are named, not dropped: the partition error by its public module.
          assert.include(text, "PartitionError")
        }
      }),
    { timeout: 180_000 }
  )
})
