import * as Data from "effect/Data"
import type * as FaultyHttpServer from "../FaultyHttpServer.js"

/** Public as `FaultyHttpServer.FaultyHttpServerError` (re-exported there, so declarations name it by that path). */
export class FaultyHttpServerError extends Data.TaggedError("FaultyHttpServerError")<{
  readonly reason: "InvalidFaultPlan"
  /** The field of the plan at fault, as a path: `hangRate`, `latency.max`, `outage.durationMs`. */
  readonly field: string
  readonly message: string
}> {}

const invalid = (field: string, value: unknown, rule: string): FaultyHttpServerError =>
  new FaultyHttpServerError({
    reason: "InvalidFaultPlan",
    field,
    message: `Invalid fault plan: ${field} is ${String(value)}; ${rule}`
  })

const rateFields = [
  "serverErrorRate",
  "rateLimitRate",
  "hangRate",
  "truncateRate",
  "malformedRate",
  "resetRate"
] as const

const nonNegative = (field: string, value: number, unit: string): FaultyHttpServerError | undefined =>
  Number.isFinite(value) && value >= 0 ? undefined : invalid(field, value, `it must be a finite number of ${unit} >= 0`)

/**
 * The first thing wrong with a plan, if any: a rate that is no probability (NaN would read as 0, 1.5 as 1), a
 * duration, latency or `Retry-After` that is negative or not finite (`Retry-After: NaN` is no header a client reads).
 *
 * @internal
 */
export const check = (faults: FaultyHttpServer.FaultPlan): FaultyHttpServerError | undefined => {
  for (const field of rateFields) {
    const rate = faults[field]
    if (rate !== undefined && !(Number.isFinite(rate) && rate >= 0 && rate <= 1)) {
      return invalid(field, rate, "a rate is a probability between 0 and 1")
    }
  }
  const checks: Array<FaultyHttpServerError | undefined> = []
  if (faults.retryAfterSeconds !== undefined) {
    checks.push(nonNegative("retryAfterSeconds", faults.retryAfterSeconds, "seconds"))
  }
  const latency = faults.latency
  if (latency !== undefined) {
    switch (latency._tag) {
      case "Fixed":
        checks.push(nonNegative("latency.ms", latency.ms, "milliseconds"))
        break
      case "Uniform":
        checks.push(nonNegative("latency.min", latency.min, "milliseconds"))
        checks.push(nonNegative("latency.max", latency.max, "milliseconds"))
        break
      case "LongTail":
        checks.push(nonNegative("latency.median", latency.median, "milliseconds"))
        checks.push(nonNegative("latency.p99", latency.p99, "milliseconds"))
        break
    }
  }
  const outage = faults.outage
  if (outage !== undefined && !("active" in outage)) {
    checks.push(nonNegative("outage.fromMs", outage.fromMs, "milliseconds"))
    checks.push(nonNegative("outage.durationMs", outage.durationMs, "milliseconds"))
  }
  return checks.find((error) => error !== undefined)
}

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

// `make` and `setFaults` refuse a plan whose rates are not in [0, 1] (`check`), so a rate is used as given.
const rateOf = (rate: number | undefined): number => rate ?? 0

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
    ["serverError", rateOf(plan.serverErrorRate)],
    ["rateLimit", rateOf(plan.rateLimitRate)],
    ["hang", rateOf(plan.hangRate)],
    ["truncate", rateOf(plan.truncateRate)],
    ["malformed", rateOf(plan.malformedRate)],
    ["reset", rateOf(plan.resetRate)]
  ]
  let upper = 0
  for (const [kind, rate] of stack) {
    upper += rate
    if (u < upper) return { latencyMs, fault: kind, serverStatus }
  }
  return { latencyMs, fault: undefined, serverStatus }
}
