/**
 * Paginated, resilient GET over `@effect/platform`'s `HttpClient`: a `Stream` of pages with timeouts, retries that
 * honour `Retry-After`, a circuit breaker per host or endpoint, rate limits and a bound (fixed or adaptive) on requests
 * in flight, all measured in {@link ExtractMetrics}.
 *
 * **Details**
 *
 * Each attempt of a request goes through, in order: a concurrency permit, the rate limiter (endpoint, then global),
 * the circuit breaker, then the HTTP call bounded by three timeouts:
 * - `connect`: until the response headers arrive (connection and the server's time to first byte);
 * - `read`: from the headers to the last byte of the body;
 * - `total`: the whole attempt, body included.
 *
 * One fiber per source watches the deadlines (cheaper than a timeout race per attempt), so a timeout fires up to a
 * tenth of the shortest timeout late (at least 10 ms, at most 1 s).
 *
 * Failed attempts become an {@link HttpError.HttpError}. Timeouts, 429, 5xx (and 408), resets, truncated and
 * unparsable bodies are retried by the `retry` policy (exponential backoff with jitter and a cap; a `Retry-After`
 * header replaces the backoff delay); other 4xx fail at once with the server's message. When the breaker is open a
 * request fails fast with reason `CircuitOpen` — the stream fails with a typed error the caller can record as a failed
 * partition, nothing crashes.
 *
 * A {@link Page} carries what the archive and checkpoints need: the URL and params, the page number, status, headers
 * and etag, the raw body bytes, the parsed JSON, what the envelope says ({@link Pagination.PageInfo}), the fetch
 * duration and the attempts it took. HTTP 204 is an empty page with `json` `null`; an empty 200 is a retried `Decode`
 * error, never an empty page (it would end the series). A body sent gzip, deflate or br is decoded first.
 *
 * With page-number pagination and `concurrency > 1`, the first page tells the total (`totalPaginas`) and the rest are
 * fetched concurrently, emitted in page order (`order: "ordered"`, the default) or as they arrive (`"unordered"`,
 * each page says its number). `fromPage` resumes after a checkpoint; `fetchPage(n)` reads one page.
 *
 * @since 0.1.0
 */
import type * as CircuitBreaker from "@baliza/core/CircuitBreaker"
import type * as RetryPolicy from "@baliza/core/RetryPolicy"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type * as AdaptiveConcurrency from "./AdaptiveConcurrency.js"
import type * as ExtractMetrics from "./ExtractMetrics.js"
import type * as HttpError from "./HttpError.js"
import * as internal from "./internal/httpSource.js"
import * as Pagination from "./Pagination.js"
import type * as RateLimit from "./RateLimit.js"

/**
 * One fetched page.
 *
 * - `endpoint`: the endpoint's name (metrics, rate limits); `url`: the full URL requested; `params`: its query.
 * - `page`: the page number (page-number pagination) or the 1-based position in the sequence (cursor, link, single);
 *   `cursor`: the cursor sent, for cursor pagination.
 * - `body`: the raw bytes (for a sha256 and the archive); `json`: the parsed body (`null` when empty).
 * - `durationMillis`: the successful attempt, headers to last byte; `attempts`: attempts made (1 = no retry).
 * - `last`: set by `pages` on the page its series ends at, as the page itself says (the envelope's total, an empty
 *   page, no next cursor or link); absent on a page a `maxPages` cut ends a stream at, as more may follow.
 *
 * @since 0.1.0
 * @category models
 */
export const Page = Schema.Struct({
  endpoint: Schema.String,
  url: Schema.String,
  params: Schema.Record({ key: Schema.String, value: Schema.String }),
  page: Schema.Number,
  cursor: Schema.optional(Schema.String),
  status: Schema.Number,
  headers: Schema.Record({ key: Schema.String, value: Schema.String }),
  etag: Schema.optional(Schema.String),
  body: Schema.Uint8ArrayFromSelf,
  json: Schema.Unknown,
  info: Pagination.PageInfo,
  fetchedAtMillis: Schema.Number,
  durationMillis: Schema.Number,
  attempts: Schema.Number,
  last: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "HttpSource.Page" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Page extends Schema.Schema.Type<typeof Page> {}

/**
 * Query parameters; `undefined` values are left out.
 *
 * @since 0.1.0
 * @category models
 */
export type Params = Readonly<Record<string, string | number | boolean | undefined>>

/**
 * What to fetch: a `path` (relative to `baseUrl`, or an absolute URL), its fixed `params`, how it paginates
 * (default {@link Pagination.single}) and a `name` for metrics, per-endpoint rate limits and breakers (default the
 * path).
 *
 * @since 0.1.0
 * @category models
 */
export interface Endpoint<P extends Pagination.Pagination = Pagination.Pagination> {
  readonly path: string
  readonly params?: Params | undefined
  readonly pagination?: P | undefined
  readonly name?: string | undefined
}

/**
 * Per-attempt timeouts. Defaults: `connect` 30 seconds, `read` 30 seconds, `total` 2 minutes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Timeouts {
  readonly connect?: Duration.DurationInput | undefined
  readonly read?: Duration.DurationInput | undefined
  readonly total?: Duration.DurationInput | undefined
}

/**
 * Circuit breaker options (see `@baliza/core/CircuitBreaker`), one breaker per host (default) or per endpoint. What
 * counts as a failure is fixed: server faults ({@link HttpError.isServerFault}), not 4xx or 429.
 *
 * @since 0.1.0
 * @category models
 */
export interface BreakerOptions extends Omit<CircuitBreaker.Options, "name" | "isFailure"> {
  readonly per?: "host" | "endpoint" | undefined
}

/**
 * Options of a source. Defaults: no base URL, the timeouts of {@link Timeouts}, 5 attempts from 500 ms ×2 up to 30 s
 * with jitter 0.2, a breaker per host (10 consecutive failed attempts, 30 s cool-down), no rate limit, 4 requests in flight,
 * fresh metrics.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly baseUrl?: string | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly timeouts?: Timeouts | undefined
  /** Which errors are retried is decided by {@link HttpError.isRetryable} (and the policy's own `retryOn`). */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
  /** `false` disables the breaker. */
  readonly circuitBreaker?: BreakerOptions | false | undefined
  /** The limits of this source, or a `RateLimit` shared with other sources (e.g. two base URLs of one server). */
  readonly rateLimit?: RateLimit.Options | RateLimit.RateLimit | undefined
  /** A fixed bound on requests in flight, or the options of an adaptive (AIMD) one. */
  readonly concurrency?: number | AdaptiveConcurrency.Options | undefined
  readonly metrics?: ExtractMetrics.Service | undefined
  /** An `HttpClient` span per attempt (off by default: about 0.2 ms of CPU per request). */
  readonly spans?: boolean | undefined
}

/**
 * Options of {@link Service.pages}.
 *
 * @since 0.1.0
 * @category models
 */
export interface PagesOptions {
  /**
   * First page to fetch (page-number pagination), e.g. the page after the last checkpoint. With cursor pagination, the
   * number of the page `initialCursor` fetches: resume a series with `initialCursor: checkpoint.lastCursor` and
   * `fromPage: checkpoint.lastPage` (that page comes again and is dropped as archived; the next ones are numbered on).
   * With Link-header pagination, likewise the number of the page the endpoint's own URL fetches.
   */
  readonly fromPage?: number | undefined
  /** Pages fetched at once once the total is known (page-number pagination); default the source's bound. */
  readonly concurrency?: number | undefined
  /** Emit pages in page order (default) or as they arrive. */
  readonly order?: "ordered" | "unordered" | undefined
  /** Stop after this many pages (a safety bound). */
  readonly maxPages?: number | undefined
  /**
   * Pages not to fetch: already archived past a gap, as a checkpoint's `pendingPages` after an unordered run. Skipped
   * where the pages are fetched at once (the total is known); a series read page by page needs each page to go on.
   */
  readonly skipPages?: ReadonlyArray<number> | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** One request of an endpoint (the first page, for a paginated one). */
  readonly get: (endpoint: Endpoint) => Effect.Effect<Page, HttpError.HttpError>
  /** Page `page` of a page-numbered endpoint. */
  readonly fetchPage: (
    endpoint: Endpoint<Pagination.PageNumber>,
    page: number
  ) => Effect.Effect<Page, HttpError.HttpError>
  /** Every page of an endpoint, following its pagination. */
  readonly pages: (endpoint: Endpoint, options?: PagesOptions) => Stream.Stream<Page, HttpError.HttpError>
  readonly metrics: ExtractMetrics.Service
  readonly concurrency: AdaptiveConcurrency.AdaptiveConcurrency
  /** The circuit breakers created so far, by host or endpoint. */
  readonly breakers: Effect.Effect<ReadonlyMap<string, CircuitBreaker.CircuitBreaker>>
  /** The breaker each endpoint's last request went through, by endpoint name (with a breaker per host, its host's). */
  readonly endpointBreakers: Effect.Effect<ReadonlyMap<string, CircuitBreaker.CircuitBreaker>>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class HttpSource extends Context.Tag("@baliza/extract/HttpSource")<HttpSource, Service>() {}

/**
 * Creates a source over the `HttpClient` in context. The breakers' timers and the rate limiters' refills live in the
 * `Scope`. Invalid options (e.g. a negative rate) are a programmer mistake and a defect.
 *
 * @example
 * ```ts
 * import { HttpSource, Pagination } from "@baliza/extract"
 * import { Effect, Stream } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const source = yield* HttpSource.make({ baseUrl: "https://pncp.gov.br/api/consulta/", concurrency: 8 })
 *   return yield* source.pages({
 *     path: "v1/contratacoes/publicacao",
 *     params: { dataInicial: "20240101", dataFinal: "20240101", codigoModalidadeContratacao: 6 },
 *     pagination: Pagination.pncp({ pageSize: 50 })
 *   }).pipe(Stream.runCount)
 * }).pipe(Effect.scoped, Effect.provide(HttpSource.nodeClient()))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => Effect.Effect<Service, never, Scope.Scope | HttpClient.HttpClient> =
  internal.make

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<HttpSource, never, HttpClient.HttpClient> =>
  Layer.scoped(HttpSource, make(options))

/**
 * Node's `HttpClient` with a keep-alive agent (so pages reuse connections), closed with the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const nodeClient = (
  options: { readonly maxSockets?: number | undefined } = {}
): Layer.Layer<HttpClient.HttpClient> =>
  NodeHttpClient.layerWithoutAgent.pipe(
    Layer.provide(
      NodeHttpClient.makeAgentLayer({
        keepAlive: true,
        ...(options.maxSockets === undefined ? {} : { maxSockets: options.maxSockets })
      })
    )
  )

/**
 * {@link layer} over {@link nodeClient}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNode = (options?: Options): Layer.Layer<HttpSource> =>
  layer(options).pipe(Layer.provide(nodeClient()))
