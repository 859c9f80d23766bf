/**
 * Per-endpoint counters as immutable values, and their summary (percentiles, rates). Pure, so the arithmetic is
 * tested without fibers; `ExtractMetrics` keeps the state in a `SubscriptionRef`.
 */

/** Latency samples kept per endpoint: enough for a stable p95, bounded memory. */
export const maxSamples = 512

/** @internal */
export interface Counters {
  readonly requests: number
  readonly pages: number
  readonly records: number
  readonly bytes: number
  readonly retries: number
  readonly failures: number
  readonly errors: Readonly<Record<string, number>>
  readonly latencies: ReadonlyArray<number>
  readonly firstAt: number
  readonly lastAt: number
}

/** @internal */
export interface State {
  readonly startedAt: number
  readonly endpoints: Readonly<Record<string, Counters>>
}

/** @internal */
export const empty = (at: number): Counters => ({
  requests: 0,
  pages: 0,
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
