/**
 * Extraction metrics per endpoint — requests, pages, records, bytes, retries, errors by kind, p50/p95 latency,
 * records/s — and process memory, for progress bars, the UI and persisting a run's figures.
 *
 * **Details**
 *
 * The counters live in a `SubscriptionRef` (`state`, `changes`); a {@link Snapshot} (a `Schema`, so it can be stored)
 * adds percentiles over the last 512 latencies of each endpoint, rates since the endpoint's first request and the
 * process memory. `HttpSource` records into it: a page (with its request, latency, bytes and records) per page
 * delivered, a request per failed attempt (with its error reason), a retry per retry, a rejection per attempt an open
 * circuit refused, a failure per request given up.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import * as internal from "./internal/metrics.js"

/**
 * The figures of one endpoint (or of all, as `"*"`). `errors` counts failed attempts by `HttpError` reason;
 * `failures` counts requests given up after their retries.
 *
 * @since 0.1.0
 * @category models
 */
export const EndpointSnapshot = Schema.Struct({
  endpoint: Schema.String,
  requests: Schema.Number,
  pages: Schema.Number,
  /**
   * Pages known to belong to the series started: an announced total from a series' first page on, and unannounced
   * pages as they arrive (0 in snapshots stored before it existed).
   */
  pagesExpected: Schema.optionalWith(Schema.Number, { default: () => 0 }),
  records: Schema.Number,
  bytes: Schema.Number,
  retries: Schema.Number,
  failures: Schema.Number,
  errors: Schema.Record({ key: Schema.String, value: Schema.Number }),
  p50LatencyMs: Schema.Number,
  p95LatencyMs: Schema.Number,
  recordsPerSecond: Schema.Number,
  requestsPerSecond: Schema.Number
}).annotations({ identifier: "ExtractMetrics.EndpointSnapshot" })

/**
 * @since 0.1.0
 * @category models
 */
export interface EndpointSnapshot extends Schema.Schema.Type<typeof EndpointSnapshot> {}

/**
 * All endpoints at one moment, their `total`, and the process memory in bytes.
 *
 * @since 0.1.0
 * @category models
 */
export const Snapshot = Schema.Struct({
  atMillis: Schema.Number,
  elapsedMillis: Schema.Number,
  endpoints: Schema.Array(EndpointSnapshot),
  total: EndpointSnapshot,
  memory: Schema.Struct({ rss: Schema.Number, heapUsed: Schema.Number })
}).annotations({ identifier: "ExtractMetrics.Snapshot" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Snapshot extends Schema.Schema.Type<typeof Snapshot> {}

/**
 * The raw counters of one endpoint (latency samples included, the last ones kept).
 *
 * @since 0.1.0
 * @category models
 */
export interface Counters {
  readonly requests: number
  readonly pages: number
  /** Pages known to belong to the series started (what `pages` reaches when they all end). */
  readonly pagesExpected: number
  readonly records: number
  readonly bytes: number
  readonly retries: number
  readonly failures: number
  readonly errors: Readonly<Record<string, number>>
  readonly latencies: ReadonlyArray<number>
  readonly firstAt: number
  readonly lastAt: number
}

/**
 * The raw counters (latency samples included), per endpoint.
 *
 * @since 0.1.0
 * @category models
 */
export interface State {
  readonly startedAt: number
  readonly endpoints: Readonly<Record<string, Counters>>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly state: SubscriptionRef.SubscriptionRef<State>
  /** A snapshot now. */
  readonly snapshot: Effect.Effect<Snapshot>
  /** A snapshot now, then one per change of the counters. */
  readonly changes: Stream.Stream<Snapshot>
  /** One attempt that delivered no page: its latency and body bytes, or the reason it failed. */
  readonly recordRequest: (endpoint: string, outcome: {
    readonly latencyMs: number
    readonly bytes?: number | undefined
    readonly error?: string | undefined
  }) => Effect.Effect<void>
  readonly recordRetry: (endpoint: string) => Effect.Effect<void>
  /** One attempt that delivered a page: a request, a page and its records, in one update. */
  readonly recordPage: (endpoint: string, page: {
    readonly records: number
    readonly latencyMs: number
    readonly bytes: number
  }) => Effect.Effect<void>
  /** An attempt refused before it was sent (e.g. by an open circuit): counted in `errors`, not in `requests`. */
  readonly recordRejected: (endpoint: string, reason: string) => Effect.Effect<void>
  /** A request given up after its retries. */
  readonly recordFailure: (endpoint: string) => Effect.Effect<void>
  /** Pages now known to belong to a series: its announced total, or one page nothing announced. */
  readonly recordExpected: (endpoint: string, pages: number) => Effect.Effect<void>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class ExtractMetrics extends Context.Tag("@baliza/extract/ExtractMetrics")<ExtractMetrics, Service>() {}

/**
 * The process memory now (zero outside Node-like runtimes).
 *
 * @since 0.1.0
 * @category utils
 */
export const memory = (): Snapshot["memory"] => {
  // `process` is absent outside Node-like runtimes; memory then reads as 0
  if (typeof process === "undefined") return { rss: 0, heapUsed: 0 }
  const usage = process.memoryUsage()
  return { rss: usage.rss, heapUsed: usage.heapUsed }
}

const summarizeCounters = (endpoint: string, c: Counters, now: number): EndpointSnapshot => {
  const seconds = Math.max(0, now - c.firstAt) / 1000
  return {
    endpoint,
    requests: c.requests,
    pages: c.pages,
    pagesExpected: c.pagesExpected,
    records: c.records,
    bytes: c.bytes,
    retries: c.retries,
    failures: c.failures,
    errors: c.errors,
    p50LatencyMs: internal.percentile(c.latencies, 0.5),
    p95LatencyMs: internal.percentile(c.latencies, 0.95),
    recordsPerSecond: seconds > 0 ? c.records / seconds : 0,
    requestsPerSecond: seconds > 0 ? c.requests / seconds : 0
  }
}

/**
 * Summarizes counters at `nowMillis` (without memory figures: `memory` is zero).
 *
 * @since 0.1.0
 * @category utils
 */
export const summarize = (state: State, nowMillis: number): Snapshot => {
  const names = Object.keys(state.endpoints).sort()
  const all = names.flatMap((name) => {
    const counters = state.endpoints[name]
    return counters === undefined ? [] : [counters]
  })
  return {
    atMillis: nowMillis,
    elapsedMillis: Math.max(0, nowMillis - state.startedAt),
    endpoints: names.flatMap((name) => {
      const counters = state.endpoints[name]
      return counters === undefined ? [] : [summarizeCounters(name, counters, nowMillis)]
    }),
    total: summarizeCounters("*", internal.merge(all, nowMillis), nowMillis),
    memory: { rss: 0, heapUsed: 0 }
  }
}

/**
 * Several sources' counters as one state (an endpoint counted by more than one is summed).
 *
 * @since 0.1.0
 * @category utils
 */
export const combine = (states: ReadonlyArray<State>): State => {
  const endpoints: Record<string, Counters> = {}
  for (const state of states) {
    for (const [name, counters] of Object.entries(state.endpoints)) {
      const seen = endpoints[name]
      endpoints[name] = seen === undefined ? counters : internal.merge([seen, counters], counters.firstAt)
    }
  }
  return { startedAt: Math.min(...states.map((state) => state.startedAt)), endpoints }
}

/**
 * What happened since `baseline` (the state at `fromMillis`), summarized at `nowMillis`: the figures of one run when
 * the counters are shared by several (a server's runs, a process's restarts). Endpoints idle since then are left out.
 *
 * @since 0.1.0
 * @category utils
 */
export const since = (baseline: State, fromMillis: number, current: State, nowMillis: number): Snapshot => {
  const endpoints: Record<string, Counters> = {}
  for (const [name, after] of Object.entries(current.endpoints)) {
    const before = baseline.endpoints[name]
    const difference = before === undefined ? after : internal.subtract(after, before, fromMillis)
    if (!internal.isIdle(difference)) endpoints[name] = difference
  }
  return summarize({ startedAt: fromMillis, endpoints }, nowMillis)
}

/**
 * Nearest-rank percentile (`p` in 0..1); 0 for no samples.
 *
 * @since 0.1.0
 * @category utils
 */
export const percentile: (samples: ReadonlyArray<number>, p: number) => number = internal.percentile

/**
 * Fresh, empty metrics.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service> = Effect.gen(function*() {
  const startedAt = yield* Clock.currentTimeMillis
  const state = yield* SubscriptionRef.make<State>({ startedAt, endpoints: {} })
  const update = (endpoint: string, f: (counters: Counters) => Counters) =>
    Effect.flatMap(
      Clock.currentTimeMillis,
      (now) => SubscriptionRef.update(state, (current) => internal.update(current, endpoint, now, f))
    )
  const snapshotOf = (current: State) =>
    Effect.map(Clock.currentTimeMillis, (now) => ({ ...summarize(current, now), memory: memory() }))
  return {
    state,
    snapshot: Effect.flatMap(SubscriptionRef.get(state), snapshotOf),
    changes: Stream.mapEffect(state.changes, snapshotOf),
    recordRequest: (endpoint, outcome) =>
      update(endpoint, (c) => ({
        ...c,
        requests: c.requests + 1,
        bytes: c.bytes + (outcome.bytes ?? 0),
        latencies: internal.addLatency(c.latencies, outcome.latencyMs),
        errors: outcome.error === undefined ? c.errors : internal.addErrors(c.errors, { [outcome.error]: 1 })
      })),
    recordRetry: (endpoint) => update(endpoint, (c) => ({ ...c, retries: c.retries + 1 })),
    recordPage: (endpoint, page) =>
      update(endpoint, (c) => ({
        ...c,
        requests: c.requests + 1,
        pages: c.pages + 1,
        records: c.records + page.records,
        bytes: c.bytes + page.bytes,
        latencies: internal.addLatency(c.latencies, page.latencyMs)
      })),
    recordRejected: (endpoint, reason) =>
      update(endpoint, (c) => ({ ...c, errors: internal.addErrors(c.errors, { [reason]: 1 }) })),
    recordFailure: (endpoint) => update(endpoint, (c) => ({ ...c, failures: c.failures + 1 })),
    recordExpected: (endpoint, pages) => update(endpoint, (c) => ({ ...c, pagesExpected: c.pagesExpected + pages }))
  }
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ExtractMetrics> = Layer.effect(ExtractMetrics, make)
