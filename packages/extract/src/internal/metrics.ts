/**
 * Per-endpoint counters as immutable values, and their summary (percentiles, rates). Pure, so the arithmetic is
 * tested without fibers; `ExtractMetrics` keeps the state in a `SubscriptionRef`.
 */
import type * as Public from "../ExtractMetrics.js"

/** Latency samples kept per endpoint: enough for a stable p95, bounded memory. */
export const maxSamples = 512

/** @internal Declared by the public module: `ExtractMetrics.Counters`. */
export type Counters = Public.Counters

/** @internal Declared by the public module: `ExtractMetrics.State`. */
export type State = Public.State

/** @internal */
export const empty = (at: number): Counters => ({
  requests: 0,
  pages: 0,
  pagesExpected: 0,
  records: 0,
  bytes: 0,
  retries: 0,
  failures: 0,
  errors: {},
  latencies: [],
  firstAt: at,
  lastAt: at
})

/** @internal */
export const update = (state: State, endpoint: string, at: number, f: (counters: Counters) => Counters): State => ({
  ...state,
  endpoints: { ...state.endpoints, [endpoint]: { ...f(state.endpoints[endpoint] ?? empty(at)), lastAt: at } }
})

/** @internal */
export const addLatency = (latencies: ReadonlyArray<number>, latencyMs: number): ReadonlyArray<number> =>
  latencies.length < maxSamples ? [...latencies, latencyMs] : [...latencies.slice(1 - maxSamples), latencyMs]

/** Nearest-rank percentile (`p` in 0..1) of unsorted samples; 0 when there are none. */
export const percentile = (samples: ReadonlyArray<number>, p: number): number => {
  if (samples.length === 0) return 0
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)))
  return sorted[rank - 1] ?? 0
}

/** @internal */
export const addErrors = (
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>
): Record<string, number> => {
  const sum: Record<string, number> = { ...a }
  for (const [key, n] of Object.entries(b)) sum[key] = (sum[key] ?? 0) + n
  return sum
}

/** @internal */
export const merge = (all: ReadonlyArray<Counters>, at: number): Counters =>
  all.reduce(
    (sum, c) => ({
      requests: sum.requests + c.requests,
      pages: sum.pages + c.pages,
      pagesExpected: sum.pagesExpected + c.pagesExpected,
      records: sum.records + c.records,
      bytes: sum.bytes + c.bytes,
      retries: sum.retries + c.retries,
      failures: sum.failures + c.failures,
      errors: addErrors(sum.errors, c.errors),
      latencies: [...sum.latencies, ...c.latencies],
      firstAt: Math.min(sum.firstAt, c.firstAt),
      lastAt: Math.max(sum.lastAt, c.lastAt)
    }),
    empty(at)
  )

/**
 * What happened between `before` and `after` (two states of the same counters): counts subtracted, the latency window
 * of `after` (recent latencies), and rates from `fromMillis` on when the endpoint was already busy then.
 *
 * @internal
 */
export const subtract = (after: Counters, before: Counters, fromMillis: number): Counters => {
  const errors: Record<string, number> = {}
  for (const [key, n] of Object.entries(after.errors)) {
    const difference = n - (before.errors[key] ?? 0)
    if (difference > 0) errors[key] = difference
  }
  return {
    requests: after.requests - before.requests,
    pages: after.pages - before.pages,
    pagesExpected: after.pagesExpected - before.pagesExpected,
    records: after.records - before.records,
    bytes: after.bytes - before.bytes,
    retries: after.retries - before.retries,
    failures: after.failures - before.failures,
    errors,
    latencies: after.latencies,
    firstAt: Math.max(after.firstAt, fromMillis),
    lastAt: after.lastAt
  }
}

/** Counters that counted nothing. */
export const isIdle = (c: Counters): boolean =>
  c.requests === 0 && c.retries === 0 && c.failures === 0 && c.pagesExpected === 0 &&
  Object.keys(c.errors).length === 0
