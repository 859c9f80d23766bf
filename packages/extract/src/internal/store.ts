import * as DuckDBError from "@baliza/duckdb/DuckDBError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as NodeBuffer from "node:buffer"
import * as NodeCrypto from "node:crypto"
import * as ExtractStoreError from "../ExtractStoreError.js"

/** @internal Query parameters as `HttpSource` takes them (`undefined` values are left out). */
export type Params = Readonly<Record<string, string | number | boolean | undefined>>

/** @internal Maps the DuckDB failures of `self` to `ExtractStoreError` with reason `Storage`. */
export const storage = (what: string) =>
<A, R>(
  self: Effect.Effect<A, DuckDBError.DuckDBError | ExtractStoreError.ExtractStoreError, R>
): Effect.Effect<A, ExtractStoreError.ExtractStoreError, R> =>
  Effect.mapError(
    self,
    (error) =>
      DuckDBError.isDuckDBError(error) ? ExtractStoreError.make("Storage", `${what}: ${error.message}`, error) : error
  )

/** @internal Parameters with their `undefined` values dropped, as strings, in key order. */
export const normalizeParams = (params: Params | undefined): ReadonlyArray<readonly [string, string]> =>
  Object.entries(params ?? {})
    .flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)] as const]))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

/** @internal Parameters as canonical JSON text (sorted keys, string values). */
export const paramsJson = (params: Params | undefined): string =>
  JSON.stringify(Object.fromEntries(normalizeParams(params)))

/** @internal The normalized request: `endpoint?k=v&…` with sorted, URL-encoded parameters. */
export const requestKey = (endpoint: string, params: Params | undefined): string => {
  const query = normalizeParams(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")
  return query.length === 0 ? endpoint : `${endpoint}?${query}`
}

/** @internal Hex sha256 of bytes. */
export const sha256 = (bytes: Uint8Array): string => NodeCrypto.createHash("sha256").update(bytes).digest("hex")

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })
const encoder = new TextEncoder()

/**
 * @internal The body as text when it is valid UTF-8 without NUL bytes or a leading byte order mark (so it round-trips
 * byte for byte through a VARCHAR: the DuckDB client drops a leading BOM when it reads one), `None` otherwise.
 */
export const textOf = (bytes: Uint8Array): Option.Option<string> => {
  if (bytes.includes(0) || (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) return Option.none()
  try {
    return Option.some(utf8.decode(bytes))
  } catch {
    return Option.none()
  }
}

/** @internal Whether {@link textOf} would return the bytes as text, without decoding them. */
export const isText = (bytes: Uint8Array): boolean =>
  !bytes.includes(0) && !(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) && NodeBuffer.isUtf8(bytes)

/** @internal UTF-8 bytes of a string. */
export const bytesOf = (text: string): Uint8Array => encoder.encode(text)

const DAY = 86_400_000

/**
 * @internal The UTC midnight of the date a partition key starts with (`2024-01-15`, `20240115`, `2024-01-15|6`…),
 * `None` when it does not start with a valid date.
 */
export const partitionDate = (partitionKey: string | null | undefined): Option.Option<number> => {
  if (partitionKey === null || partitionKey === undefined) return Option.none()
  const match = /^(\d{4})-?(\d{2})-?(\d{2})(?!\d)/.exec(partitionKey)
  if (match === null) return Option.none()
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const millis = Date.UTC(year, month - 1, day)
  const check = new Date(millis)
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day
    ? Option.some(millis)
    : Option.none()
}

/** @internal UTC midnight of the day of `millis`. */
export const dayOf = (millis: number): number => Math.floor(millis / DAY) * DAY

/** @internal Whole days from the day of `from` to the day of `to`. */
export const daysBetween = (from: number, to: number): number => Math.round((dayOf(to) - dayOf(from)) / DAY)

/** @internal A message for any failure: its `message` when it has one. */
export const messageOf = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return error.message
  }
  return String(error)
}

/** @internal The HTTP status a failure carries (an `HttpError` answered with an error status), else `null`. */
export const httpStatusOf = (error: unknown): number | null => {
  const status = typeof error === "object" && error !== null ? Reflect.get(error, "status") : undefined
  return typeof status === "number" && Number.isInteger(status) && status >= 100 && status <= 599 ? status : null
}

/** @internal The `reason` (or `_tag`) of a failure, `"Error"` when it has neither. */
export const reasonOf = (error: unknown): string => {
  if (typeof error === "object" && error !== null) {
    if ("reason" in error && typeof error.reason === "string") return error.reason
    if ("_tag" in error && typeof error._tag === "string") return error._tag
  }
  return "Error"
}

/** @internal An `InvalidInput` error. */
export const invalidInput = (message: string): ExtractStoreError.ExtractStoreError =>
  ExtractStoreError.make("InvalidInput", message)

/** @internal A positive integer option, or an `InvalidInput` failure naming it. */
export const positiveInt = (
  name: string,
  value: number | undefined,
  fallback: number
): Effect.Effect<number, ExtractStoreError.ExtractStoreError> => {
  const n = value ?? fallback
  return Number.isInteger(n) && n >= 1
    ? Effect.succeed(n)
    : Effect.fail(ExtractStoreError.make("InvalidInput", `${name} must be a positive integer, got ${n}.`))
}
