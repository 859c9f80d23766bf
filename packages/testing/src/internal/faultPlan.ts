import type * as FaultyHttpServer from "../FaultyHttpServer.js"

/** @internal */
export interface Decision {
  readonly latencyMs: number
  readonly fault: FaultyHttpServer.FaultKind | undefined
  /** The status a `serverError` answers with. */
  readonly serverStatus: number
}

/**
 * cyrb53: a fast 53-bit string hash with good avalanche, enough to turn a request's identity into independent
 * uniform draws (no cryptographic claim).
 *
 * @internal
 */
export const hash53 = (text: string): number => {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/**
 * A uniform draw in [0, 1) for one request and one purpose (`salt`), so the fault, the status and the latency of a
 * request are independent of each other.
 *
 * @internal
 */
export const uniform = (seed: number, key: string, n: number, salt: string): number =>
  hash53(`${seed}\u0000${key}\u0000${n}\u0000${salt}`) / 9007199254740992

/**
 * The identity of a request for fault decisions: method, path and the query sorted by key then value, so
 * `?b=2&a=1` and `?a=1&b=2` are the same URL.
 *
 * @internal
 */
export const requestKey = (method: string, path: string, query: URLSearchParams): string => {
  const sorted = sortedQuery(query)
  return sorted === "" ? `${method} ${path}` : `${method} ${path}?${sorted}`
}

/** @internal */
export const sortedQuery = (query: URLSearchParams): string => {
  const pairs = Array.from(query.entries())
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
  return new URLSearchParams(pairs).toString()
}

// Φ⁻¹(0.99): how many standard deviations the 99th percentile sits above the median.
const Z99 = 2.3263478740408408

/** @internal */
export const sampleLatency = (
  latency: FaultyHttpServer.Latency | undefined,
  draw: (salt: string) => number
): number => {
  if (latency === undefined) return 0
  switch (latency._tag) {
    case "Fixed":
      return Math.max(0, latency.ms)
    case "Uniform": {
      const lo = Math.max(0, Math.min(latency.min, latency.max))
      const hi = Math.max(0, latency.max, latency.min)
      return lo + draw("latency") * (hi - lo)
    }
    case "LongTail": {
      const median = Math.max(0, latency.median)
      if (median === 0) return 0
      const p99 = Math.max(median, latency.p99)
      const sigma = Math.log(p99 / median) / Z99
      // Box–Muller from two independent draws; 1 - u keeps the logarithm's argument in (0, 1].
      const z = Math.sqrt(-2 * Math.log(1 - draw("latency-r"))) * Math.cos(2 * Math.PI * draw("latency-theta"))
      return Math.min(median * Math.exp(sigma * z), 10 * p99)
    }
  }
}

const clampRate = (rate: number | undefined): number =>
  rate === undefined || Number.isNaN(rate) ? 0 : Math.min(1, Math.max(0, rate))

const serverStatuses = [500, 502, 503, 504] as const

/** @internal */
export const outageActive = (outage: FaultyHttpServer.Outage | undefined, elapsedMs: number): boolean => {
  if (outage === undefined) return false
  if ("active" in outage) return outage.active
  return elapsedMs >= outage.fromMs && elapsedMs < outage.fromMs + outage.durationMs
}

/**
 * Decides a request's latency and fault from the plan, the request's identity and how many times that URL was asked
 * before. Pure: the same arguments always give the same decision.
 *
 * @internal
 */
export const decide = (
  plan: FaultyHttpServer.FaultPlan,
  key: string,
  n: number,
  elapsedMs: number
): Decision => {
  const seed = plan.seed ?? 0
  const draw = (salt: string) => uniform(seed, key, n, salt)
  const latencyMs = sampleLatency(plan.latency, draw)
  const serverStatus = serverStatuses[Math.floor(draw("status") * serverStatuses.length)]
  if (outageActive(plan.outage, elapsedMs)) return { latencyMs, fault: "outage", serverStatus: 503 }
  const u = draw("fault")
  const stack: ReadonlyArray<readonly [FaultyHttpServer.FaultKind, number]> = [
    ["serverError", clampRate(plan.serverErrorRate)],
    ["rateLimit", clampRate(plan.rateLimitRate)],
    ["hang", clampRate(plan.hangRate)],
    ["truncate", clampRate(plan.truncateRate)],
    ["malformed", clampRate(plan.malformedRate)],
    ["reset", clampRate(plan.resetRate)]
  ]
  let upper = 0
  for (const [kind, rate] of stack) {
    upper += rate
    if (u < upper) return { latencyMs, fault: kind, serverStatus }
  }
  return { latencyMs, fault: undefined, serverStatus }
}
