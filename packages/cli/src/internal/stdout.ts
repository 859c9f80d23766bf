import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as NodeProcess from "node:process"

/**
 * @internal
 * Bytes to standard output as they are (`Console` writes text and adds a newline): an archived payload that
 * `fetch-payload` prints must hash to its sha256. Tests provide their own to capture it.
 */
export class Stdout extends Context.Reference<Stdout>()("@baliza/cli/Stdout", {
  defaultValue: () => ({
    write: (bytes: Uint8Array): Effect.Effect<void, Error> =>
      Effect.async<void, Error>((resume) => {
        NodeProcess.stdout.write(bytes, (error) => {
          resume(error === null || error === undefined ? Effect.void : Effect.fail(error))
        })
      })
  })
}) {}

/** @internal */
export const write = (bytes: Uint8Array): Effect.Effect<void, Error> =>
  Effect.flatMap(Stdout, (out) => out.write(bytes))
