/**
 * Helpers of the server's tests: temporary directories, DuckDB files opened and closed in a scope, bounded waits,
 * Server-Sent Events read over HTTP.
 */
import * as DuckDB from "@baliza/duckdb/DuckDB"
import { Context, Duration, Effect, Layer } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import type * as RunQueue from "../src/RunQueue.js"

/** A temporary directory removed when the scope closes. */
/** A run for the queue: every run of the whole graph, from the API, due now, unless `overrides` say otherwise. */
export const entry = (runId: string, overrides: Partial<RunQueue.Entry> = {}): RunQueue.Entry => ({
  runId,
  selection: "*",
  partitions: undefined,
  force: false,
  priority: 5,
  notBefore: 0,
  source: "api",
  ...overrides
})

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

/** A Server-Sent Event as read: its id, its name, its data. */
export interface SseEvent {
  readonly id: number
  readonly event: string
  readonly data: { readonly _tag: string; readonly status?: string; readonly runId: string }
}

/** Opens a stream of Server-Sent Events: its response, once the headers are in. */
export const openEvents = (url: string, headers: Record<string, string> = {}) =>
  Effect.tryPromise((signal) => fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal }))

/** Reads an open stream's events until it ends (`ended`), or `limit` events, or `waitMillis` (default 60 s). */
export const readOpen = (response: Response, limit = 100_000, waitMillis = 60_000) =>
  Effect.tryPromise(async () => {
    if (response.body === null) throw new Error(`no body: ${response.status}`)
    const events: Array<SseEvent> = []
    const decoder = new TextDecoder()
    let buffer = ""
    let ended = false
    const deadline = Date.now() + waitMillis
    const reader = response.body.getReader()
    while (events.length < limit && Date.now() < deadline) {
      const next = await Promise.race([
        reader.read(),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now())))
      ])
      if (next === undefined) break
      const { done, value } = next
      if (done) {
        ended = true
        break
      }
      buffer += decoder.decode(value, { stream: true })
      let end: number
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (block.startsWith(":")) continue
        const field = (name: string) =>
          block.split("\n").find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2)
        events.push({
          id: Number(field("id")),
          event: field("event") ?? "",
          data: JSON.parse(field("data") ?? "{}") as SseEvent["data"]
        })
      }
    }
    await reader.cancel()
    return { events, ended, contentType: response.headers.get("content-type") }
  })

/** Reads Server-Sent Events until the stream ends (or `limit` events, or 60 s). */
export const readEvents = (url: string, headers: Record<string, string> = {}, limit = 100_000, waitMillis = 60_000) =>
  Effect.flatMap(openEvents(url, headers), (response) => readOpen(response, limit, waitMillis))
