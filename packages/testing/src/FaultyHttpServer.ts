/**
 * A real HTTP server on 127.0.0.1 that misbehaves on purpose: latency, 5xx, 429 with `Retry-After`, hung requests,
 * truncated bodies, malformed JSON, connection resets, payload drift and outages. Built on `node:http` (not
 * `@effect/platform`) because the faults live at the socket level.
 *
 * **Details**
 *
 * - Determinism: the fate of a request is a hash of `(seed, method + path + sorted query, n)` where `n` counts the
 *   earlier requests for that same URL. Outcomes therefore do not depend on how concurrent requests interleave, and a
 *   retried URL gets a fresh draw each time, so it eventually passes when the rates sum below 1.
 * - Faults apply only to matched routes; unmatched paths get a plain 404 JSON and are never faulted or delayed.
 * - Latency uses real timers (this is a real server, also under `TestClock`) and is applied before any response,
 *   faulty or not.
 * - Closing the scope stops accepting connections, destroys the open sockets (so hung requests end on the client side
 *   too), then interrupts the handlers still running, so a close waits for no handler, only for their clean-up.
 * - `make` and `setFaults` refuse a plan with a rate outside [0, 1] or a latency, duration or `retryAfterSeconds`
 *   that is negative or not finite, with a `FaultyHttpServerError` naming the field.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { FaultyHttpServerError } from "./internal/faultPlan.js"
import * as internal from "./internal/faultyHttpServer.js"

/**
 * What a handler sees of a request. `headers` are lower-cased, repeated headers joined with `", "`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: Readonly<Record<string, string>>
}

/**
 * What a handler answers. A `string` body is sent as `text/plain`, a `Uint8Array` as `application/octet-stream`,
 * anything else (but `undefined`) is JSON-encoded as `application/json`; `headers` override those defaults.
 *
 * @since 0.1.0
 * @category models
 */
export interface Response {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly body?: unknown
}

/**
 * A route handler. A thrown exception or a failed `Effect` becomes a 500 JSON response (not counted as a fault).
 * Effects run on the default runtime, so `Effect.sleep` inside a handler sleeps for real.
 *
 * @since 0.1.0
 * @category models
 */
export type Handler = (request: Request) => Response | Effect.Effect<Response, unknown>

/**
 * A route: `path` matches the URL path exactly (a `string`) or by `RegExp.test`; `method` (any when omitted) matches
 * the request method.
 *
 * @since 0.1.0
 * @category models
 */
export interface Route {
  readonly method?: string | undefined
  readonly path: string | RegExp
  readonly handler: Handler
}

/**
 * The server's routes; the first match wins.
 *
 * @since 0.1.0
 * @category models
 */
export type Routes = ReadonlyArray<Route>

/**
 * How long to wait before answering: a fixed delay, a uniform one in `[min, max]`, or a log-normal "long tail" with
 * the given median and 99th percentile (capped at 10 × `p99` so a test cannot stall on one draw).
 *
 * @since 0.1.0
 * @category models
 */
export const Latency = Schema.Union(
  Schema.TaggedStruct("Fixed", { ms: Schema.NonNegative }),
  Schema.TaggedStruct("Uniform", { min: Schema.NonNegative, max: Schema.NonNegative }),
  Schema.TaggedStruct("LongTail", { median: Schema.NonNegative, p99: Schema.NonNegative })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Latency = typeof Latency.Type

/**
 * The kinds of fault the server injects.
 *
 * - `serverError`: 500, 502, 503 or 504 with a JSON body.
 * - `rateLimit`: 429 with `Retry-After`.
 * - `hang`: no response until the client gives up or the server closes.
 * - `truncate`: headers with the full `Content-Length`, half the body, then the socket is destroyed.
 * - `malformed`: 200 `application/json` whose body is not JSON.
 * - `reset`: the socket is destroyed before any response.
 * - `outage`: 503 for every routed request while the outage lasts.
 *
 * @since 0.1.0
 * @category models
 */
export const FaultKind = Schema.Literal("serverError", "rateLimit", "hang", "truncate", "malformed", "reset", "outage")

/**
 * @since 0.1.0
 * @category models
 */
export type FaultKind = typeof FaultKind.Type

/**
 * An outage: a window relative to server start, or a switch flipped with `setFaults`.
 *
 * @since 0.1.0
 * @category models
 */
export type Outage =
  | { readonly fromMs: number; readonly durationMs: number }
  | { readonly active: boolean }

/**
 * Which faults to inject. Every rate is a probability in [0, 1] drawn per request; the rates are stacked in the order
 * `serverError`, `rateLimit`, `hang`, `truncate`, `malformed`, `reset`, so when they sum above 1 the later ones are
 * squeezed out. `seed` defaults to 0, `retryAfterSeconds` (rounded up in the header) to 1. Latencies and outage
 * times are milliseconds. A rate outside [0, 1], or a latency, outage time or `retryAfterSeconds` that is negative or
 * not finite, makes `make` and `setFaults` fail with `FaultyHttpServerError`. `drift` rewrites every JSON-encoded
 * handler body (e.g. to rename a field) and does not count as a fault.
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultPlan {
  readonly seed?: number | undefined
  readonly latency?: Latency | undefined
  readonly serverErrorRate?: number | undefined
  readonly rateLimitRate?: number | undefined
  readonly retryAfterSeconds?: number | undefined
  readonly hangRate?: number | undefined
  readonly truncateRate?: number | undefined
  readonly malformedRate?: number | undefined
  readonly resetRate?: number | undefined
  readonly drift?: ((body: unknown, request: Request) => unknown) | undefined
  readonly outage?: Outage | undefined
}

/**
 * One request as the server saw it. `status` is the fault kind when the request was faulted, otherwise the HTTP
 * status sent; `httpStatus` is the status line that went on the wire (`null` for `hang` and `reset`). A client that
 * left before its response was due is logged with `status` 499 and `httpStatus` `null` (nothing was sent, so it is
 * not counted in `Stats.statuses`). `query` is sorted; `n` counts earlier requests for that URL (always 0 for unrouted
 * paths, which have no fault draws).
 *
 * @since 0.1.0
 * @category models
 */
export const LogEntry = Schema.Struct({
  method: Schema.String,
  path: Schema.String,
  query: Schema.String,
  n: Schema.Number,
  status: Schema.Union(Schema.Number, FaultKind),
  httpStatus: Schema.NullOr(Schema.Number),
  latencyMs: Schema.Number,
  at: Schema.Number
}).annotations({ identifier: "FaultyHttpServerLogEntry" })

/**
 * @since 0.1.0
 * @category models
 */
export interface LogEntry extends Schema.Schema.Type<typeof LogEntry> {}

/**
 * Counters since start (or the last `resetStats`): all requests, per path, in flight now and at most, per fault
 * kind, per HTTP status sent, how many bodies `drift` rewrote, and the last 10,000 requests.
 *
 * @since 0.1.0
 * @category models
 */
export const Stats = Schema.Struct({
  requests: Schema.Number,
  byPath: Schema.Record({ key: Schema.String, value: Schema.Number }),
  inFlight: Schema.Number,
  maxInFlight: Schema.Number,
  faults: Schema.Record({ key: FaultKind, value: Schema.Number }),
  statuses: Schema.Record({ key: Schema.String, value: Schema.Number }),
  drifted: Schema.Number,
  log: Schema.Array(LogEntry)
}).annotations({ identifier: "FaultyHttpServerStats" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Stats extends Schema.Schema.Type<typeof Stats> {}

/**
 * A running server. `url` has no trailing slash (`http://127.0.0.1:PORT`). `resetStats` clears the counters and the
 * log but not the per-URL request counts that drive fault decisions. `setFaults` replaces the plan for the requests
 * that arrive afterwards, or fails with `FaultyHttpServerError` (keeping the current plan) when the new one is
 * invalid.
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultyHttpServer {
  readonly url: string
  readonly port: number
  readonly stats: Effect.Effect<Stats>
  readonly resetStats: Effect.Effect<void>
  setFaults(plan: FaultPlan): Effect.Effect<void, FaultyHttpServerError>
}

/**
 * A refused fault plan (`reason` `InvalidFaultPlan`): `field` is the path of the first bad field (`hangRate`,
 * `latency.max`, `outage.durationMs`) and `message` says what its value is and what was expected.
 *
 * @since 0.1.0
 * @category errors
 */
export { FaultyHttpServerError }

/**
 * @since 0.1.0
 * @category guards
 */
export const isFaultyHttpServerError = (u: unknown): u is FaultyHttpServerError =>
  Predicate.isTagged(u, "FaultyHttpServerError")

/**
 * The server as a service, for tests that share one through a layer.
 *
 * @since 0.1.0
 * @category tags
 */
// A generic tag (rather than a Tag class) so the service keeps the name `FaultyHttpServer` the interface gives it.
export const FaultyHttpServer: Context.Tag<FaultyHttpServer, FaultyHttpServer> = Context.GenericTag<FaultyHttpServer>(
  "@baliza/testing/FaultyHttpServer"
)

/**
 * Options for {@link make}: the routes, an optional initial fault plan (none by default) and the host, which is
 * always the loopback address.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly routes: Routes
  readonly faults?: FaultPlan | undefined
  readonly host?: "127.0.0.1" | undefined
}

/**
 * Starts a server on 127.0.0.1 on a random free port, closed (with its open sockets destroyed and its running
 * handlers interrupted) when the scope closes. Fails with `FaultyHttpServerError` when `faults` is invalid.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { FaultyHttpServer } from "@baliza/testing"
 *
 * const program = Effect.gen(function*() {
 *   const server = yield* FaultyHttpServer.make({
 *     routes: [{ path: "/items", handler: () => ({ status: 200, body: { items: [1, 2, 3] } }) }],
 *     faults: { seed: 7, serverErrorRate: 0.2, latency: { _tag: "Uniform", min: 5, max: 20 } }
 *   })
 *   const response = yield* Effect.promise(() => fetch(`${server.url}/items`))
 *   return response.status
 * }).pipe(Effect.scoped)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: Options) => Effect.Effect<FaultyHttpServer, FaultyHttpServerError, Scope.Scope> =
  internal.make

/**
 * A layer holding a server for its lifetime.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<FaultyHttpServer, FaultyHttpServerError> =>
  Layer.scoped(FaultyHttpServer, internal.make(options))
