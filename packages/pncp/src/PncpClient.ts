/**
 * The PNCP pipeline's connection to the API: one resilient `HttpSource` for the consulta base and one for the
 * details (`/api/pncp`) base, and the extraction settings every PNCP asset reads.
 *
 * **Details**
 *
 * Defaults are for the real API (`https://pncp.gov.br/api/consulta`), which documents no rate limit and slows down
 * under load: adaptive concurrency (up to 16 requests in flight, halved when latency passes 5 s or errors climb),
 * retries with jitter that honour `Retry-After`, and a breaker per endpoint, so one failing endpoint does not stop the
 * others. Tests and the demo point both bases at `PncpFake`.
 *
 * @since 0.1.0
 */
import * as RetryPolicy from "@baliza/core/RetryPolicy"
import type * as AdaptiveConcurrency from "@baliza/extract/AdaptiveConcurrency"
import * as HttpSource from "@baliza/extract/HttpSource"
import * as RateLimit from "@baliza/extract/RateLimit"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  /** The consulta base, e.g. `https://pncp.gov.br/api/consulta`. */
  readonly consultaUrl: string
  /** The integration base of the detail routes, e.g. `https://pncp.gov.br/api/pncp`. */
  readonly detailsUrl: string
  /** Most requests in flight per base (adaptive: halved on trouble, grown back when healthy). */
  readonly concurrency: number
  /** Requests per minute over all endpoints (`undefined`: no limit). */
  readonly requestsPerMinute?: number | undefined
  /** Pages per checkpoint transaction. */
  readonly checkpointEvery: number
  /** Contratações per details transaction (seed 001's checkpoint). */
  readonly detailsCheckpointEvery: number
  /** At most this many contratações get their details per step and run (`undefined`: no cap). */
  readonly detailsBatchSize?: number | undefined
  /**
   * Raw partitions are fetched again from their first page, completed ones too: a forced step's page checkpoints are
   * reset at its first attempt (its retries resume, and so does a step run again unforced, as a restart after a
   * failure runs it). Archived pages stay; reconciliation reads each page's latest answer.
   * The details of a day are fetched again for every contratação, once: with `detailsBatchSize`, the following runs
   * (with or without refetch) go on with it until the day is done.
   */
  readonly refetch?: boolean | undefined
  readonly retry: RetryPolicy.RetryPolicy
  readonly timeouts: HttpSource.Timeouts
  readonly circuitBreaker: HttpSource.BreakerOptions | false
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultConsultaUrl = "https://pncp.gov.br/api/consulta"

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultDetailsUrl = "https://pncp.gov.br/api/pncp"

/**
 * The settings for the real API.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaults: Settings = {
  consultaUrl: defaultConsultaUrl,
  detailsUrl: defaultDetailsUrl,
  concurrency: 16,
  checkpointEvery: 10,
  detailsCheckpointEvery: 50,
  retry: RetryPolicy.make({ maxAttempts: 6, baseDelay: "500 millis", maxDelay: "30 seconds", jitter: 0.2 }),
  timeouts: { connect: "30 seconds", read: "60 seconds", total: "120 seconds" },
  circuitBreaker: { per: "endpoint", consecutiveFailures: 10, resetTimeout: "30 seconds" }
}

/**
 * The settings with overrides.
 *
 * @since 0.1.0
 * @category constructors
 */
export const settings = (overrides: Partial<Settings> = {}): Settings => ({ ...defaults, ...overrides })

/**
 * A setting out of its range, such as a `detailsBatchSize` of 0 (a run that does nothing and says work is left).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSettings extends Schema.TaggedError<InvalidSettings>()("InvalidSettings", {
  setting: Schema.String,
  value: Schema.String,
  message: Schema.String
}) {}

const positiveInteger = (setting: string, value: number | undefined): Effect.Effect<void, InvalidSettings> =>
  value === undefined || (Number.isInteger(value) && value >= 1)
    ? Effect.void
    : Effect.fail(
      new InvalidSettings({
        setting,
        value: String(value),
        message: `The PNCP client setting ${setting} must be a positive integer, not ${value}.`
      })
    )

const positiveFinite = (setting: string, value: number | undefined): Effect.Effect<void, InvalidSettings> =>
  value === undefined || (Number.isFinite(value) && value > 0)
    ? Effect.void
    : Effect.fail(
      new InvalidSettings({
        setting,
        value: String(value),
        message: `The PNCP client setting ${setting} must be a positive number, not ${value}.`
      })
    )

/**
 * The settings, if the ones a run's progress depends on are in range: `concurrency`, `checkpointEvery`,
 * `detailsCheckpointEvery` and `detailsBatchSize` are positive integers, `requestsPerMinute` a positive number.
 * Refused here rather than later: a concurrency of 0 would die inside the adaptive limiter, and a `checkpointEvery`
 * of 0 would fail every raw series at run time as if the API had failed it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const validate = (settings: Settings): Effect.Effect<Settings, InvalidSettings> =>
  Effect.as(
    Effect.all([
      positiveInteger("concurrency", settings.concurrency),
      positiveInteger("checkpointEvery", settings.checkpointEvery),
      positiveInteger("detailsCheckpointEvery", settings.detailsCheckpointEvery),
      positiveInteger("detailsBatchSize", settings.detailsBatchSize),
      positiveFinite("requestsPerMinute", settings.requestsPerMinute)
    ], { discard: true }),
    settings
  )

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly settings: Settings
  readonly consulta: HttpSource.Service
  readonly details: HttpSource.Service
}

/**
 * @since 0.1.0
 * @category tags
 */
export class PncpClient extends Context.Tag("@baliza/pncp/PncpClient")<PncpClient, Service>() {}

const withSlash = (url: string): string => url.endsWith("/") ? url : `${url}/`

const sourceOptions = (
  settings: Settings,
  baseUrl: string,
  rateLimit: RateLimit.RateLimit | undefined
): HttpSource.Options => {
  const concurrency: AdaptiveConcurrency.Options = {
    max: settings.concurrency,
    min: 1,
    latencyThreshold: "5 seconds"
  }
  return {
    baseUrl: withSlash(baseUrl),
    headers: { accept: "application/json" },
    retry: settings.retry,
    timeouts: settings.timeouts,
    circuitBreaker: settings.circuitBreaker,
    concurrency,
    rateLimit
  }
}

/**
 * Both sources over Node's HTTP client, closed with the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (overrides: Partial<Settings> = {}) =>
  Effect.gen(function*() {
    const resolved = yield* validate(settings(overrides))
    // Built in the caller's scope: `Effect.provide(layer)` would close the client as soon as `make` returns.
    const client = yield* Layer.build(HttpSource.nodeClient({ maxSockets: resolved.concurrency * 2 }))
    // One limit over both base URLs: they are the same server.
    const rateLimit = resolved.requestsPerMinute === undefined
      ? undefined
      : yield* RateLimit.make({ requestsPerMinute: resolved.requestsPerMinute })
    const source = (baseUrl: string) =>
      HttpSource.make(sourceOptions(resolved, baseUrl, rateLimit)).pipe(Effect.provide(client))
    const consulta = yield* source(resolved.consultaUrl)
    const details = yield* source(resolved.detailsUrl)
    const service: Service = { settings: resolved, consulta, details }
    return service
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (overrides: Partial<Settings> = {}): Layer.Layer<PncpClient, InvalidSettings> =>
  Layer.scoped(PncpClient, make(overrides))

/**
 * Settings from the environment: `PNCP_CONSULTA_URL`, `PNCP_DETAILS_URL`, `PNCP_CONCURRENCY`, `PNCP_RPM`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<PncpClient, ConfigError.ConfigError | InvalidSettings> = Layer.unwrapEffect(
  Effect.map(
    Config.all({
      consultaUrl: Config.string("PNCP_CONSULTA_URL").pipe(Config.withDefault(defaultConsultaUrl)),
      detailsUrl: Config.string("PNCP_DETAILS_URL").pipe(Config.withDefault(defaultDetailsUrl)),
      concurrency: Config.integer("PNCP_CONCURRENCY").pipe(Config.withDefault(defaults.concurrency)),
      requestsPerMinute: Config.option(Config.integer("PNCP_RPM"))
    }),
    ({ requestsPerMinute, ...rest }) =>
      layer({ ...rest, requestsPerMinute: requestsPerMinute._tag === "Some" ? requestsPerMinute.value : undefined })
  )
)
