/**
 * Helpers of the server's tests: temporary directories, DuckDB files opened and closed in a scope, bounded waits.
 */
import * as DuckDB from "@baliza/duckdb/DuckDB"
import { Context, Duration, Effect, Layer } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"

/** A temporary directory removed when the scope closes. */
export const tempDir = Effect.acquireRelease(
  Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-server-test-"))),
  (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
)

/** A DuckDB file in a fresh temporary directory (the directory goes with the scope). */
export const tempDatabase = Effect.map(tempDir, (dir) => NodePath.join(dir, "test.duckdb"))

/** Runs `use` with the DuckDB file at `path` open; the database is closed when it ends. */
export const withDatabase = <A, E, R>(path: string, use: Effect.Effect<A, E, R>) =>
  Effect.scoped(Effect.provide(use, DuckDB.layer({ path })))

/** The service of a layer built in the current scope. */
export const build = <I, S, E, R>(tag: Context.Tag<I, S>, layer: Layer.Layer<I, E, R>) =>
  Effect.map(Layer.build(layer), (context) => Context.get(context, tag))

/**
 * Polls `check` every `interval` until it returns a value (not `undefined`); fails after `timeout` with the last
 * value seen described by `describe`.
 */
export const waitFor = <A, E, R>(
  what: string,
  check: Effect.Effect<A | undefined, E, R>,
  options: { readonly timeout?: Duration.DurationInput; readonly interval?: Duration.DurationInput } = {}
): Effect.Effect<A, E | Error, R> =>
  Effect.gen(function*() {
    const deadline = Date.now() + Duration.toMillis(options.timeout ?? "10 seconds")
    while (true) {
      const value = yield* check
      if (value !== undefined) return value
      if (Date.now() > deadline) return yield* Effect.fail(new Error(`Timed out waiting for ${what}`))
      // A timer of the runtime, not Effect's clock: this waits the same under the TestClock.
      const interval = Duration.toMillis(options.interval ?? "50 millis")
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, interval)))
    }
  })
