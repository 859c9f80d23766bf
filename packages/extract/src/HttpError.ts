/**
 * The one error of the HTTP half of `@baliza/extract`: every failed request becomes an `HttpError` whose `reason`
 * says what went wrong, naming the URL and, for an HTTP status, the server's own message.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * Why a request failed.
 *
 * - `Timeout`: no response headers, no body bytes or no complete response within the configured timeouts.
 * - `Status`: the server answered with a status that is not a page (5xx are retried, other 4xx are not).
 * - `RateLimited`: HTTP 429 (retried, honouring `Retry-After`).
 * - `Decode`: the body is not valid JSON (retried: servers under stress send half-written pages).
 * - `Transport`: the connection failed or was reset before a response.
 * - `CircuitOpen`: the circuit breaker of the host or endpoint is open; the request was not sent.
 * - `Truncated`: the connection ended before the whole body arrived.
 * - `InvalidUrl`: no request could be built: a relative path without a `baseUrl`, or a `Link` header that is no URL
 *   (not retried).
 *
 * @since 0.1.0
 * @category models
 */
export const Reason = Schema.Literal(
  "Timeout",
  "Status",
  "RateLimited",
  "Decode",
  "Transport",
  "CircuitOpen",
  "Truncated",
  "InvalidUrl"
)

/**
 * @since 0.1.0
 * @category models
 */
export type Reason = typeof Reason.Type

/**
 * A failed HTTP request: the `url` (with its query), the `status` when the server answered, a `message` a user
 * understands (with the server's message, truncated), how long the server asked us to wait (`retryAfterMillis`, from
 * `Retry-After`) and how many `attempts` were made when it is the final error of a retried request.
 *
 * @since 0.1.0
 * @category errors
 */
export class HttpError extends Schema.TaggedError<HttpError>("@baliza/extract/HttpError")("HttpError", {
  reason: Reason,
  url: Schema.String,
  status: Schema.optional(Schema.Number),
  retryAfterMillis: Schema.optional(Schema.Number),
  attempts: Schema.optional(Schema.Number),
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/**
 * @since 0.1.0
 * @category guards
 */
export const isHttpError = (u: unknown): u is HttpError => Predicate.isTagged(u, "HttpError")

/** Longest server message kept in an error message. */
const maxServerMessage = 300

/**
 * Shortens a server message for an error message (whitespace collapsed, at most 300 characters).
 *
 * @since 0.1.0
 * @category utils
 */
export const truncate = (text: string, max: number = maxServerMessage): string => {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`
}

/**
 * Builds an `HttpError`; `message` is prefixed with `GET <url>: `.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (reason: Reason, url: string, message: string, options?: {
  readonly status?: number | undefined
  readonly retryAfterMillis?: number | undefined
  readonly cause?: unknown
}): HttpError =>
  new HttpError({
    reason,
    url,
    message: `GET ${url}: ${message}`,
    ...(options?.status === undefined ? {} : { status: options.status }),
    ...(options?.retryAfterMillis === undefined ? {} : { retryAfterMillis: options.retryAfterMillis }),
    ...(options?.cause === undefined ? {} : { cause: options.cause })
  })

/**
 * The same error, saying how many attempts were made.
 *
 * @since 0.1.0
 * @category constructors
 */
export const withAttempts = (error: HttpError, attempts: number): HttpError =>
  copy(error, {
    message: attempts > 1 && !error.message.includes(" attempts)")
      ? `${error.message} (${attempts} attempts)`
      : error.message,
    attempts
  })

/**
 * The same error, its message followed by what the request was part of (`details of 2024-07-01: stopped after …`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const withContext = (error: HttpError, context: string): HttpError =>
  copy(error, { message: `${error.message}. ${context}` })

const copy = (
  error: HttpError,
  changed: { readonly message: string; readonly attempts?: number | undefined }
): HttpError => {
  const attempts = changed.attempts ?? error.attempts
  return new HttpError({
    reason: error.reason,
    url: error.url,
    message: changed.message,
    ...(attempts === undefined ? {} : { attempts }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfterMillis === undefined ? {} : { retryAfterMillis: error.retryAfterMillis }),
    ...(error.cause === undefined ? {} : { cause: error.cause })
  })
}

/**
 * Whether a request that failed this way may succeed when sent again: timeouts, 429, 5xx (and 408), resets,
 * truncated and unparsable bodies. Other 4xx are the caller's fault; an open circuit must not be hammered.
 *
 * @since 0.1.0
 * @category utils
 */
export const isRetryable = (error: unknown): boolean => {
  if (!isHttpError(error)) return false
  switch (error.reason) {
    case "Timeout":
    case "RateLimited":
    case "Decode":
    case "Transport":
    case "Truncated":
      return true
    case "Status":
      return error.status === undefined || error.status >= 500 || error.status === 408
    case "CircuitOpen":
    case "InvalidUrl":
      return false
  }
}

/**
 * Whether an error says the server is unhealthy (what a circuit breaker and adaptive concurrency count): like
 * {@link isRetryable} but a 429 is the server asking us to slow down, not failing, so it does not count.
 *
 * @since 0.1.0
 * @category utils
 */
export const isServerFault = (error: unknown): boolean =>
  isRetryable(error) && isHttpError(error) && error.reason !== "RateLimited"

/**
 * The delay the server asked for (`Retry-After`), for `RetryPolicy`'s `delayFromError`.
 *
 * @since 0.1.0
 * @category utils
 */
export const retryAfter = (error: unknown): Option.Option<Duration.Duration> =>
  isHttpError(error) && error.retryAfterMillis !== undefined && error.reason !== "CircuitOpen"
    ? Option.some(Duration.millis(error.retryAfterMillis))
    : Option.none()

/**
 * Reads a `Retry-After` header: delay-seconds (`"120"`) or an HTTP date (relative to `nowMillis`), in milliseconds,
 * never negative.
 *
 * @since 0.1.0
 * @category utils
 */
export const parseRetryAfter = (header: string | undefined, nowMillis: number): Option.Option<number> => {
  if (header === undefined) return Option.none()
  const text = header.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Option.some(Math.round(Number(text) * 1000))
  const date = Date.parse(text)
  return Number.isNaN(date) ? Option.none() : Option.some(Math.max(0, date - nowMillis))
}

/**
 * The server's message in an error body: the `message`, `error`, `detail` or `title` field of a JSON body, otherwise
 * the body text; truncated.
 *
 * @since 0.1.0
 * @category utils
 */
export const serverMessage = (body: string): string => {
  try {
    const json: unknown = JSON.parse(body)
    if (Predicate.isRecord(json)) {
      for (const key of ["message", "error", "detail", "title", "mensagem", "erro"]) {
        const value = json[key]
        if (Predicate.isString(value) && value.length > 0) return truncate(value)
      }
    }
  } catch {
    // not JSON: the text itself is the message
  }
  return truncate(body)
}
