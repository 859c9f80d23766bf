/**
 * Parses a UTF-8 JSON body as `JSON.parse(new TextDecoder().decode(bytes))` does, without building one string of a
 * large body. V8 puts every string over 128 KiB in fresh memory of its own, and a fresh page costs a page fault: on
 * the project's machine a 1 MB page body took 3 ms to become a string (252 faults of ~12 µs), more than `JSON.parse`
 * itself, against 0.1 ms for the same bytes in 60 KB strings. So a large body's top-level array or object, and the
 * containers directly in it, are split at their commas in one pass over the bytes, and each element (a page's record)
 * is decoded and parsed on its own: its string is small.
 *
 * Anything the scan does not expect (a leading byte order mark, a structural error) falls back to the one-string
 * parse, so errors are `JSON.parse`'s own.
 *
 * @internal
 */
import * as Option from "effect/Option"

/** @internal Below this many bytes a body is parsed whole. */
export const PIECE_BYTES = 64 * 1024

const wholeDecoder = new TextDecoder()
// A piece starting with a byte order mark must stay invalid JSON, as it is inside the whole text: keep it.
const pieceDecoder = new TextDecoder("utf-8", { ignoreBOM: true })

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

class Unsplittable extends Error {}

const isWhitespace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09

const skipWhitespace = (bytes: Uint8Array, from: number, to: number) => {
  while (from < to && isWhitespace(bytes[from])) from++
  return from
}

/** The index of the quote closing the string whose opening quote is at `open`. */
const closingQuote = (bytes: Uint8Array, open: number, to: number): number => {
  for (let at = open + 1; at < to; at++) {
    const byte = bytes[at]
    if (byte === QUOTE) return at
    if (byte === BACKSLASH) at++
  }
  throw new Unsplittable()
}

/** The index where the value starting at `from` ends: the comma or closing bracket after it, or `to`. */
const valueEnd = (bytes: Uint8Array, from: number, to: number): number => {
  let depth = 0
  for (let at = from; at < to; at++) {
    const byte = bytes[at]
    if (byte === QUOTE) at = closingQuote(bytes, at, to)
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (depth === 0) return at
      depth--
    } else if (byte === COMMA && depth === 0) return at
  }
  if (depth !== 0) throw new Unsplittable()
  return to
}

const parsePiece = (bytes: Uint8Array, from: number, to: number): unknown =>
  JSON.parse(pieceDecoder.decode(bytes.subarray(from, to)))

const isOpening = (byte: number | undefined) => byte === OPEN_BRACKET || byte === OPEN_BRACE

/**
 * The array or object opening at `open` and the index after it. Its elements or member values are parsed as pieces,
 * or, while `levels` is positive, containers are opened in turn: one pass over the bytes either way.
 */
const parseContainer = (bytes: Uint8Array, open: number, to: number, levels: number): [unknown, number] => {
  const isArray = bytes[open] === OPEN_BRACKET
  const closing = isArray ? CLOSE_BRACKET : CLOSE_BRACE
  const items: Array<unknown> = []
  const object: Record<string, unknown> = {}
  let at = skipWhitespace(bytes, open + 1, to)
  if (bytes[at] === closing) return [isArray ? items : object, at + 1]
  for (;;) {
    let key = ""
    if (!isArray) {
      if (bytes[at] !== QUOTE) throw new Unsplittable()
      const keyEnd = closingQuote(bytes, at, to) + 1
      const parsed = parsePiece(bytes, at, keyEnd)
      if (typeof parsed !== "string") throw new Unsplittable()
      key = parsed
      at = skipWhitespace(bytes, keyEnd, to)
      if (bytes[at] !== COLON) throw new Unsplittable()
      at = skipWhitespace(bytes, at + 1, to)
    }
    let value: unknown
    if (levels > 0 && isOpening(bytes[at])) {
      ;[value, at] = parseContainer(bytes, at, to, levels - 1)
    } else {
      const end = valueEnd(bytes, at, to)
      let last = end
      while (last > at && isWhitespace(bytes[last - 1])) last--
      // an empty value (`[1,,2]`, `{"a":}`) is no JSON: the piece's parse throws
      value = parsePiece(bytes, at, last)
      at = end
    }
    if (isArray) items.push(value)
    // an own property even for "__proto__", as JSON.parse makes it; a repeated key keeps its last value, as there
    else Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true })
    at = skipWhitespace(bytes, at, to)
    if (bytes[at] === closing) return [isArray ? items : object, at + 1]
    if (bytes[at] !== COMMA) throw new Unsplittable()
    at = skipWhitespace(bytes, at + 1, to)
  }
}

/**
 * @internal The value of a body of at least {@link PIECE_BYTES} whose top level is an array or an object, parsed a
 * piece at a time; `None` when it cannot be split so, or is not JSON.
 */
export const parseInPieces = (bytes: Uint8Array): Option.Option<unknown> => {
  const from = skipWhitespace(bytes, 0, bytes.length)
  if (bytes.length < PIECE_BYTES || !isOpening(bytes[from])) return Option.none()
  try {
    // the top level and the containers in it are opened: a page's records are parsed one by one
    const [value, end] = parseContainer(bytes, from, bytes.length, 1)
    return skipWhitespace(bytes, end, bytes.length) === bytes.length ? Option.some(value) : Option.none()
  } catch {
    return Option.none()
  }
}

/** @internal `JSON.parse(new TextDecoder().decode(bytes))`, with a large body parsed a piece at a time. */
export const parse = (bytes: Uint8Array): unknown =>
  // not splittable, or no JSON: the whole text gives the value or JSON.parse's own error
  Option.getOrElse(parseInPieces(bytes), () => JSON.parse(wholeDecoder.decode(bytes)))
