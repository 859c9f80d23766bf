/**
 * The core `SourceMonitor` over `HttpSource`s, so a run's log and the UI show what each endpoint is doing: a run's
 * figures are what the sources' `ExtractMetrics` counted since the run began (runs sharing a client each see their
 * own), one `SourceFigures` per endpoint with the state of its circuit breaker. When the run ends its snapshot is
 * stored with `MetricsStore` (`meta.metrics`), when the sources did any work in it.
 *
 * @since 0.1.0
 */
import type * as RunEvent from "@baliza/core/RunEvent"
import * as SourceMonitor from "@baliza/core/SourceMonitor"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as SubscriptionRef from "effect/SubscriptionRef"
import * as ExtractMetrics from "./ExtractMetrics.js"
import type * as HttpSource from "./HttpSource.js"
import * as MetricsStore from "./MetricsStore.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Time between samples; default 2 seconds. */
  readonly interval?: Duration.DurationInput | undefined
}

const combined = (sources: ReadonlyArray<HttpSource.Service>) =>
  Effect.map(
    Effect.forEach(sources, (source) => SubscriptionRef.get(source.metrics.state)),
    ExtractMetrics.combine
  )

/**
 * The state of the circuit breaker each endpoint of `sources` goes through, by endpoint name (with a breaker per
 * host, its host's state).
 *
 * @since 0.1.0
 * @category utils
 */
export const breakerStates = (sources: ReadonlyArray<HttpSource.Service>): Effect.Effect<ReadonlyMap<string, string>> =>
  Effect.gen(function*() {
    const states = new Map<string, string>()
    for (const source of sources) {
      for (const [name, breaker] of yield* source.endpointBreakers) states.set(name, yield* breaker.state)
    }
    return states
  })

/**
 * The figures of one endpoint, as the run's log stores them.
 *
 * @since 0.1.0
 * @category utils
 */
export const figures = (
  endpoint: ExtractMetrics.EndpointSnapshot,
  breaker: string | undefined
): RunEvent.SourceFigures => ({
  source: endpoint.endpoint,
  requests: endpoint.requests,
  pages: endpoint.pages,
  pagesExpected: endpoint.pagesExpected,
  records: endpoint.records,
  bytes: endpoint.bytes,
  retries: endpoint.retries,
  errors: Object.values(endpoint.errors).reduce((sum, n) => sum + n, 0),
  failures: endpoint.failures,
  p95LatencyMs: endpoint.p95LatencyMs,
  recordsPerSecond: endpoint.recordsPerSecond,
  breaker: breaker ?? null
})

/**
 * A monitor of the sources `sources` gives (read once, when the layer is built).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <R>(
  sources: Effect.Effect<ReadonlyArray<HttpSource.Service>, never, R>,
  options: Options = {}
): Layer.Layer<SourceMonitor.SourceMonitor, never, R | MetricsStore.MetricsStore> =>
  Layer.effect(
    SourceMonitor.SourceMonitor,
    Effect.gen(function*() {
      const all = yield* sources
      const store = yield* MetricsStore.MetricsStore
      const watch = (runId: string) =>
        Effect.gen(function*() {
          const from = yield* Clock.currentTimeMillis
          const baseline = yield* combined(all)
          const snapshot = Effect.gen(function*() {
            const now = yield* Clock.currentTimeMillis
            return {
              ...ExtractMetrics.since(baseline, from, yield* combined(all), now),
              memory: ExtractMetrics.memory()
            }
          })
          yield* Effect.addFinalizer(() =>
            Effect.flatMap(snapshot, (last) =>
              last.total.requests === 0 && last.total.failures === 0
                ? Effect.void
                : Effect.asVoid(store.persist(runId, last))).pipe(
                // A warning, not a failure: its message is enough (with the error attached, loggers print its stack).
                Effect.catchAll((error) =>
                  Effect.logWarning(`Could not store the metrics of run ${runId}: ${error.message}`)
                )
              )
          )
          return Effect.zipWith(
            snapshot,
            breakerStates(all),
            (last, breakers) => last.endpoints.map((endpoint) => figures(endpoint, breakers.get(endpoint.endpoint)))
          )
        })
      return { interval: options.interval ?? "2 seconds", watch }
    })
  )
