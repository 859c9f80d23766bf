/**
 * Bodies sent with a `Content-Encoding`: Node's `HttpClient` hands over the bytes as they came, a fetch-based client
 * already decoded. A body is decoded only when its bytes are in that encoding (gzip's magic bytes, a zlib header, or a
 * Brotli stream that decodes), so a body some client decoded first goes through as it is.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import * as Zlib from "node:zlib"

const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
// a zlib stream: CM 8 (deflate) and a header checksum divisible by 31
const isZlib = (bytes: Uint8Array) =>
  bytes.length >= 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0

const attempt = (decode: () => Uint8Array, encoding: string): Either.Either<Uint8Array, string> => {
  try {
    return Either.right(decode())
  } catch (cause) {
    return Either.left(`the body is not valid ${encoding} (${cause instanceof Error ? cause.message : String(cause)})`)
  }
}

// Raw deflate has no header to recognise: a body is taken as one only when inflating it consumes all of it. Text a
// client already decoded often inflates as a few bytes and stops (2-space indented JSON: `{` is a valid block header).
// (Node returns the engine with `info: true`, which its typings do not describe: narrowed here, not cast.)
const wholeRawDeflate = (bytes: Uint8Array): Either.Either<Uint8Array, undefined> => {
  try {
    const result: unknown = Zlib.inflateRawSync(bytes, { info: true })
    return Predicate.hasProperty(result, "buffer") && result.buffer instanceof Uint8Array &&
        Predicate.hasProperty(result, "engine") && Predicate.hasProperty(result.engine, "bytesWritten") &&
        result.engine.bytesWritten === bytes.length
      ? Either.right(result.buffer)
      : Either.left(undefined)
  } catch {
    return Either.left(undefined)
  }
}

/** @internal The body's bytes without the `Content-Encoding` (header value as sent); `Left` says why it cannot be. */
export const decode = (header: string | undefined, bytes: Uint8Array): Either.Either<Uint8Array, string> => {
  const encodings = (header ?? "").split(",").map((e) => e.trim().toLowerCase()).filter((e) => e !== "")
  let body = bytes
  // applied in the order listed, so undone last first
  for (const encoding of encodings.reverse()) {
    if (body.length === 0 || encoding === "identity") continue
    let decoded: Either.Either<Uint8Array, string>
    switch (encoding) {
      case "gzip":
      case "x-gzip":
        decoded = isGzip(body) ? attempt(() => Zlib.gunzipSync(body), encoding) : Either.right(body)
        break
      case "deflate":
        // RFC 9110's deflate is a zlib stream; some servers send raw deflate
        decoded = isZlib(body)
          ? attempt(() => Zlib.inflateSync(body), encoding)
          : Either.orElse(wholeRawDeflate(body), () => Either.right(body))
        break
      case "br":
        decoded = Either.orElse(attempt(() => Zlib.brotliDecompressSync(body), encoding), () => Either.right(body))
        break
      default:
        return Either.left(`its Content-Encoding "${encoding}" is not supported (gzip, deflate and br are)`)
    }
    if (Either.isLeft(decoded)) return decoded
    body = decoded.right
  }
  return Either.right(body)
}
