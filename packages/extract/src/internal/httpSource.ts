/**
 * The request path of `HttpSource`: one attempt (permit → rate limit → breaker → exchange with timeouts), retries,
 * metrics, and a fetched response read as a page. Pagination lives in `paging.ts`.
 */
import * as CircuitBreaker from "@baliza/core/CircuitBreaker"
import * as RetryPolicy from "@baliza/core/RetryPolicy"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Scheduler from "effect/Scheduler"
import * as Scope from "effect/Scope"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as AdaptiveConcurrency from "../AdaptiveConcurrency.js"
import * as ExtractMetrics from "../ExtractMetrics.js"
import * as HttpError from "../HttpError.js"
import type * as HttpSource from "../HttpSource.js"
import type * as Pagination from "../Pagination.js"
import * as RateLimit from "../RateLimit.js"
import * as ContentEncoding from "./contentEncoding.js"
import * as Deadlines from "./deadlines.js"
import * as JsonBytes from "./jsonBytes.js"
import * as Paging from "./paging.js"
import type { Target } from "./target.js"

/** What one attempt returns before pagination reads it. */
interface Response {
  readonly url: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
  readonly json: unknown
  readonly fetchedAtMillis: number
  readonly durationMillis: number
}

const defaultRetry = RetryPolicy.make({ maxAttempts: 5, baseDelay: "500 millis", factor: 2, maxDelay: "30 seconds" })

const decoder = new TextDecoder()

const fromClientError = (url: string, error: HttpClientError.HttpClientError): HttpError.HttpError => {
  const cause = error.cause
  const detail = Predicate.isError(cause) ? cause.message : error.description ?? error.reason
  return HttpError.make("Transport", url, `connection failed: ${detail}`, { cause })
}

const millisOf = (input: Duration.DurationInput | undefined, fallback: number): number =>
  input === undefined ? fallback : Duration.toMillis(Duration.decode(input))

/** @internal */
export const make = (
  options: HttpSource.Options = {}
): Effect.Effect<HttpSource.Service, never, Scope.Scope | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const scope = yield* Effect.scope
    const metrics = options.metrics ?? (yield* ExtractMetrics.make)
    const concurrency = Predicate.isNumber(options.concurrency) || options.concurrency === undefined
      ? yield* AdaptiveConcurrency.fixed(options.concurrency ?? 4)
      : yield* AdaptiveConcurrency.make(options.concurrency)
    const rateLimit = options.rateLimit === undefined
      ? RateLimit.unlimited
      : RateLimit.isRateLimit(options.rateLimit)
      ? options.rateLimit
      : yield* RateLimit.make(options.rateLimit)
    const breakerOptions = options.circuitBreaker === false ? undefined : options.circuitBreaker ?? {}
    const breakers = yield* SynchronizedRef.make(new Map<string, CircuitBreaker.CircuitBreaker>())
    // which breaker each endpoint's requests went through last (a host's breaker serves many endpoints)
    const endpointBreakers = new Map<string, CircuitBreaker.CircuitBreaker>()
    const connectMs = millisOf(options.timeouts?.connect, 30_000)
    const readMs = millisOf(options.timeouts?.read, 30_000)
    const totalMs = millisOf(options.timeouts?.total, 120_000)
    const deadlines = yield* Deadlines.make({ connectMs, readMs, totalMs })
    const userRetry = options.retry ?? defaultRetry
    const retry = RetryPolicy.modify(userRetry, {
      retryOn: (error) => HttpError.isRetryable(error) && userRetry.retryOn(error),
      delayFromError: (error) => Option.orElse(userRetry.delayFromError(error), () => HttpError.retryAfter(error))
    })
    const headers = { accept: "application/json", ...options.headers }
    const spans = options.spans ?? false

    const breakerFor = (target: Target): Effect.Effect<CircuitBreaker.CircuitBreaker | undefined> => {
      if (breakerOptions === undefined) return Effect.succeed(undefined)
      const { per, ...rest } = breakerOptions
      const key = per === "endpoint" ? target.endpoint : target.host
      const used = (breaker: CircuitBreaker.CircuitBreaker) => {
        endpointBreakers.set(target.endpoint, breaker)
        return breaker
      }
      // the map only grows: read it without the lock, take the lock only to create a breaker
      return Effect.flatMap(SynchronizedRef.get(breakers), (known) => {
        const breaker = known.get(key)
        if (breaker !== undefined) return Effect.succeed(used(breaker))
        return Effect.map(
          SynchronizedRef.modifyEffect(breakers, (map) => {
            const existing = map.get(key)
            if (existing !== undefined) return Effect.succeed([existing, map] as const)
            const made = CircuitBreaker.make({
              consecutiveFailures: 10,
              resetTimeout: "30 seconds",
              ...rest,
              name: key,
              isFailure: HttpError.isServerFault
            })
            return Effect.map(
              Scope.extend(made, scope),
              (created) => [created, new Map(map).set(key, created)] as const
            )
          }),
          used
        )
      })
    }

    const timeout = (url: string, what: string, ms: number) =>
      HttpError.make("Timeout", url, `${what} within ${Duration.format(Duration.millis(ms))}`)

    const classifyStatus = (url: string, status: number, headers: Readonly<Record<string, string>>, body: Uint8Array) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const retryAfterMillis = Option.getOrUndefined(HttpError.parseRetryAfter(headers["retry-after"], now))
        const text = HttpError.serverMessage(decoder.decode(body))
        const said = text.length === 0 ? "" : `: ${text}`
        return status === 429
          ? Effect.fail(
            HttpError.make("RateLimited", url, `HTTP 429 (rate limited)${said}`, { status, retryAfterMillis })
          )
          : Effect.fail(HttpError.make("Status", url, `HTTP ${status}${said}`, { status, retryAfterMillis }))
      })

    /** One HTTP exchange: headers, body, status and JSON checked; tells `progress` when the headers arrived. */
    const exchange = (target: Target, progress: Deadlines.Progress): Effect.Effect<Response, HttpError.HttpError> =>
      Effect.gen(function*() {
        const { url } = target
        const started = yield* Clock.currentTimeNanos
        const fetchedAtMillis = yield* Clock.currentTimeMillis
        // On Effect's default scheduler: @effect/platform-node creates the request, then attaches its "error" listener
        // in fibers it forks. On a scheduler that lets the event loop run between batches (one that queues them with
        // `setImmediate`, say) a refused connection's error came in between, unheard, and the request waited for its
        // deadline. The default scheduler runs the forked fibers in microtasks, before any I/O.
        const execute = Effect.withScheduler(
          client.execute(HttpClientRequest.get(url, { headers })),
          Scheduler.defaultScheduler
        )
        // a span per attempt costs about 0.2 ms of CPU: opt-in
        const response = yield* (spans ? execute : Effect.withTracerEnabled(execute, false)).pipe(
          Effect.mapError((error) => fromClientError(url, error))
        )
        progress.headersAt = yield* Clock.currentTimeMillis
        const responseHeaders: Record<string, string> = { ...response.headers }
        const expected = responseHeaders["content-encoding"] === undefined
          ? Number(responseHeaders["content-length"] ?? Number.NaN)
          : Number.NaN
        const truncated = (received: string, cause?: unknown) =>
          HttpError.make(
            "Truncated",
            url,
            Number.isNaN(expected)
              ? `the connection ended before the whole body arrived (HTTP ${response.status}, no Content-Length)`
              : `the connection ended after ${received} of ${expected} body bytes (HTTP ${response.status})`,
            { status: response.status, cause }
          )
        // `arrayBuffer` rather than `stream`: the stream path aborts the request when it ends, which costs Node's
        // client its keep-alive socket (about half the throughput on small pages).
        const received = yield* response.arrayBuffer.pipe(
          Effect.map((buffer) => new Uint8Array(buffer)),
          Effect.catchAll((error) =>
            error.reason === "EmptyBody"
              // fetch-based clients have no body at all for 204 and empty bodies
              ? Effect.succeed(new Uint8Array(0))
              // the headers came: whatever ends the body early (a reset, an aborted chunked body) truncates it
              : Effect.fail(truncated("some", error))
          )
        )
        if (!Number.isNaN(expected) && received.length < expected) {
          return yield* Effect.fail(truncated(String(received.length)))
        }
        const status = response.status
        const decodeFailed = (problem: string) =>
          Effect.fail(
            HttpError.make("Decode", url, `${problem} (${received.length} bytes, HTTP ${status})`, { status })
          )
        const decoded = ContentEncoding.decode(responseHeaders["content-encoding"], received)
        // A refusal is its status whatever its body's encoding: the body only lends it the server's message.
        if (status < 200 || status >= 300) {
          return yield* classifyStatus(url, status, responseHeaders, Either.getOrElse(decoded, () => received))
        }
        const body = yield* Either.match(decoded, { onLeft: decodeFailed, onRight: Effect.succeed })
        // Only a 204 (or 205) says "nothing here": an empty 200 is a glitch (a proxy, a restarting server) that must
        // not pass for an empty page, which would end the series and lose its records.
        if (body.length === 0 && status !== 204 && status !== 205) {
          return yield* decodeFailed("the body is empty where JSON was expected")
        }
        const json = body.length === 0 ? null : yield* Effect.try({
          try: (): unknown => JsonBytes.parse(body),
          catch: (cause) =>
            HttpError.make("Decode", url, `the body is not valid JSON (${body.length} bytes, HTTP ${status})`, {
              status,
              cause
            })
        })
        const ended = yield* Clock.currentTimeNanos
        const durationMillis = Number(ended - started) / 1e6
        return { url, status, headers: responseHeaders, body, json, fetchedAtMillis, durationMillis }
      })

    /** An exchange under the connect, read and total timeouts. */
    const send = (target: Target): Effect.Effect<Response, HttpError.HttpError> =>
      deadlines.run((progress) => exchange(target, progress), (expired) => {
        switch (expired) {
          case "connect":
            return timeout(target.url, "no response headers", connectMs)
          case "read":
            return timeout(target.url, "no complete body", readMs)
          case "total":
            return timeout(target.url, "no complete response", totalMs)
        }
      })

    const signalOf = (exit: Exit.Exit<Response, HttpError.HttpError>): AdaptiveConcurrency.Signal => {
      if (Exit.isSuccess(exit)) return AdaptiveConcurrency.success(exit.value.durationMillis)
      const error = Cause.failureOption(exit.cause)
      if (Option.isNone(error)) return AdaptiveConcurrency.ignore
      const reason = error.value.reason
      return reason === "RateLimited" || HttpError.isServerFault(error.value)
        ? AdaptiveConcurrency.overload(error.value.status === undefined ? reason : `${reason} ${error.value.status}`)
        : AdaptiveConcurrency.ignore
    }

    /**
     * One attempt: permit, breaker, rate limit, exchange. A failed attempt is recorded here; a successful one when its
     * page is delivered (one metrics update per page).
     */
    const attempt = (target: Target): Effect.Effect<Response, HttpError.HttpError> =>
      Effect.flatMap(breakerFor(target), (breaker) => {
        const measured = Effect.flatMap(Clock.currentTimeNanos, (started) =>
          Effect.tapErrorCause(send(target), (cause) => {
            const error = Cause.failureOption(cause)
            return Option.isNone(error) ?
              Effect.void :
              Effect.flatMap(Clock.currentTimeNanos, (ended) =>
                metrics.recordRequest(target.endpoint, {
                  latencyMs: Number(ended - started) / 1e6,
                  error: error.value.reason
                }))
          }))
        // the token is taken inside the breaker: an open breaker refuses at once, without spending one
        const limited = rateLimit.withPermit(target.endpoint)(measured)
        const guarded = breaker === undefined ? limited : breaker.protect(limited).pipe(
          Effect.catchTag("CircuitBreakerError", (error) =>
            Effect.zipRight(
              metrics.recordRejected(target.endpoint, "CircuitOpen"),
              Effect.fail(
                HttpError.make("CircuitOpen", target.url, error.message, { retryAfterMillis: error.retryAfterMillis })
              )
            ))
        )
        return concurrency.withPermit(guarded, signalOf)
      })

    /**
     * A request with its retries; the page knows how many attempts it took. The retry machinery is only built after a
     * first failure: the retried effect replays that failure once (so the schedule starts from it), then attempts.
     */
    const request = (target: Target): Effect.Effect<readonly [Response, number], HttpError.HttpError> =>
      Effect.catchAll(
        Effect.map(attempt(target), (response) =>
          [response, 1] as const),
        (first) => {
          let attempts = 1
          let replayed = false
          const again = Effect.suspend(() => {
            if (!replayed) {
              replayed = true
              return Effect.fail(first)
            }
            attempts++
            return attempt(target)
          })
          return again.pipe(
            RetryPolicy.retryWith(retry, {
              onRetry: (n, error: HttpError.HttpError, delay) =>
                metrics.recordRetry(target.endpoint).pipe(
                  Effect.zipRight(Effect.logDebug(`retry ${n} of ${target.url} in ${Duration.format(delay)}`)),
                  Effect.annotateLogs({ reason: error.reason })
                )
            }),
            Effect.map((response) =>
              [response, attempts] as const
            ),
            Effect.catchAll((error) =>
              Effect.zipRight(
                metrics.recordFailure(target.endpoint),
                Effect.fail(HttpError.withAttempts(error, attempts))
              )
            )
          )
        }
      )

    const fetchTarget = (
      target: Target,
      pagination: Pagination.Pagination,
      page: number,
      cursor?: string
    ): Effect.Effect<HttpSource.Page, HttpError.HttpError> =>
      Effect.flatMap(request(target), ([response, attempts]) => {
        const info = pagination.info(response.json)
        const etag = response.headers["etag"]
        const result: HttpSource.Page = {
          endpoint: target.endpoint,
          url: response.url,
          params: target.params,
          page,
          ...(cursor === undefined ? {} : { cursor }),
          status: response.status,
          headers: response.headers,
          ...(etag === undefined ? {} : { etag }),
          body: response.body,
          json: response.json,
          info,
          fetchedAtMillis: response.fetchedAtMillis,
          durationMillis: response.durationMillis,
          attempts
        }
        return Effect.as(
          metrics.recordPage(target.endpoint, {
            records: info.records,
            latencyMs: response.durationMillis,
            bytes: response.body.length
          }),
          result
        )
      })

    const paging = Paging.make({
      baseUrl: options.baseUrl,
      fetchTarget,
      defaultConcurrency: concurrency.max,
      expectPages: metrics.recordExpected
    })

    return {
      get: paging.get,
      fetchPage: paging.fetchPage,
      pages: paging.pages,
      metrics,
      concurrency,
      breakers: SynchronizedRef.get(breakers),
      endpointBreakers: Effect.sync(() => new Map(endpointBreakers))
    } satisfies HttpSource.Service
  })
