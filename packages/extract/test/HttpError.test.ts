import { assert, describe, it } from "@effect/vitest"
import { Duration, Option, Schema } from "effect"
import * as HttpError from "../src/HttpError.js"

const error = (reason: HttpError.Reason, status?: number) =>
  HttpError.make(reason, "http://api.test/x?a=1", "failed", status === undefined ? {} : { status })

describe("HttpError", () => {
  it("names the URL in the message", () => {
    const e = HttpError.make("Status", "http://api.test/x?a=1", "HTTP 400: bad date", { status: 400 })
    assert.strictEqual(e.message, "GET http://api.test/x?a=1: HTTP 400: bad date")
    assert.strictEqual(e._tag, "HttpError")
    assert.isTrue(HttpError.isHttpError(e))
    assert.isFalse(HttpError.isHttpError(new Error("x")))
  })

  it("retries timeouts, 429, 5xx, 408, resets, truncated and malformed bodies; not other 4xx nor an open circuit", () => {
    for (const reason of ["Timeout", "RateLimited", "Decode", "Transport", "Truncated"] as const) {
      assert.isTrue(HttpError.isRetryable(error(reason)), reason)
    }
    assert.isTrue(HttpError.isRetryable(error("Status", 500)))
    assert.isTrue(HttpError.isRetryable(error("Status", 503)))
    assert.isTrue(HttpError.isRetryable(error("Status", 408)))
    assert.isFalse(HttpError.isRetryable(error("Status", 400)))
    assert.isFalse(HttpError.isRetryable(error("Status", 404)))
    assert.isFalse(HttpError.isRetryable(error("CircuitOpen")))
    assert.isFalse(HttpError.isRetryable(new Error("not ours")))
  })

  it("a 429 is not a server fault; a 5xx and a timeout are", () => {
    assert.isFalse(HttpError.isServerFault(error("RateLimited", 429)))
    assert.isTrue(HttpError.isServerFault(error("Status", 502)))
    assert.isTrue(HttpError.isServerFault(error("Timeout")))
    assert.isFalse(HttpError.isServerFault(error("Status", 400)))
  })

  it("parses Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2024-01-01T00:00:00Z")
    assert.deepStrictEqual(HttpError.parseRetryAfter("1", now), Option.some(1_000))
    assert.deepStrictEqual(HttpError.parseRetryAfter(" 120 ", now), Option.some(120_000))
    assert.deepStrictEqual(HttpError.parseRetryAfter("Mon, 01 Jan 2024 00:00:30 GMT", now), Option.some(30_000))
    assert.deepStrictEqual(HttpError.parseRetryAfter("Sun, 31 Dec 2023 00:00:00 GMT", now), Option.some(0))
    assert.deepStrictEqual(HttpError.parseRetryAfter("soon", now), Option.none())
    assert.deepStrictEqual(HttpError.parseRetryAfter(undefined, now), Option.none())
  })

  it("exposes Retry-After as the retry delay, except for an open circuit", () => {
    const limited = HttpError.make("RateLimited", "u", "429", { status: 429, retryAfterMillis: 2_000 })
    assert.deepStrictEqual(HttpError.retryAfter(limited), Option.some(Duration.millis(2_000)))
    const open = HttpError.make("CircuitOpen", "u", "open", { retryAfterMillis: 2_000 })
    assert.isTrue(Option.isNone(HttpError.retryAfter(open)))
    assert.isTrue(Option.isNone(HttpError.retryAfter(error("Status", 500))))
  })

  it("reads the server's message from a JSON body or the text, truncated", () => {
    assert.strictEqual(HttpError.serverMessage("{\"message\":\"Data inválida\",\"status\":400}"), "Data inválida")
    assert.strictEqual(HttpError.serverMessage("{\"error\":\"Bad Request\"}"), "Bad Request")
    assert.strictEqual(HttpError.serverMessage("  plain\n text "), "plain text")
    const long = HttpError.serverMessage("y".repeat(1_000))
    assert.strictEqual(long.length, 300)
    assert.isTrue(long.endsWith("…"))
  })

  it("withContext keeps the error as it was and says what the request was part of", () => {
    const e = HttpError.withAttempts(
      HttpError.make("CircuitOpen", "http://api.test/x", "circuit \"x\" is open", { retryAfterMillis: 5_000 }),
      2
    )
    const said = HttpError.withContext(e, "Details of 2024-07-01: stopped after 3 of 58")
    assert.deepStrictEqual(
      [said.reason, said.url, said.attempts, said.retryAfterMillis, said.status],
      [e.reason, e.url, 2, 5_000, undefined]
    )
    assert.strictEqual(said.message, `${e.message}. Details of 2024-07-01: stopped after 3 of 58`)
  })

  it("round-trips through its Schema (it goes to the event log)", () => {
    const e = HttpError.withAttempts(
      HttpError.make("Status", "http://api.test/x", "HTTP 503", { status: 503, retryAfterMillis: 1_000 }),
      3
    )
    assert.strictEqual(e.attempts, 3)
    assert.include(e.message, "(3 attempts)")
    const encoded = Schema.encodeSync(HttpError.HttpError)(e)
    const decoded = Schema.decodeUnknownSync(HttpError.HttpError)(JSON.parse(JSON.stringify(encoded)))
    assert.strictEqual(decoded.reason, "Status")
    assert.strictEqual(decoded.status, 503)
    assert.strictEqual(decoded.message, e.message)
  })
})
