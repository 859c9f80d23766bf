/**
 * Column writers that fill a data chunk's vectors straight from JS values: numbers, dates and booleans into a typed
 * array copied to the vector once per chunk, strings encoded into one buffer that the vector copies once per chunk,
 * validity as a bit mask built with integer operations. `@duckdb/node-api`'s vector classes keep a JS array of values
 * per vector, allocate a DuckDB value object (and a bigint) per timestamp and shift bigints per validity bit; on
 * 200,000 PNCP-like records that was a third of the append. Types without a writer here (LIST, MAP, DECIMAL, …) keep
 * going through those classes.
 *
 * @internal
 */
import { DuckDBStructType, type DuckDBType, DuckDBTypeId } from "@duckdb/node-api"
import duckdb from "@duckdb/node-bindings"
import * as NodeBuffer from "node:buffer"
import type { Value } from "../DuckDB.js"
import * as Values from "./values.js"

/** @internal DuckDB's vector size: the rows of one data chunk. */
export const CHUNK_ROWS = 2048

/** @internal A JS value that does not fit its column: the message says what was expected. */
export class ConversionFailure extends Error {}

const describe = (value: Value): string => {
  if (value instanceof Date) return "a Date"
  if (Values.isValueArray(value)) return "an array"
  if (value instanceof Uint8Array) return "bytes"
  const text = typeof value === "object" && value !== null
    ? "an object"
    : `${typeof value} ${JSON.stringify(String(value))}`
  return text.length > 80 ? `${text.slice(0, 80)}…` : text
}

const expected = (what: string, value: Value): never => {
  throw new ConversionFailure(`expected ${what}, got ${describe(value)}`)
}

/** @internal One column of a chunk: rows are written, then flushed into the vector, which readies it for the next. */
export interface ColumnWriter {
  /** Records a non-null value at `row`, or throws {@link ConversionFailure}. */
  readonly write: (row: number, value: Value) => void
  readonly writeNull: (row: number) => void
  /** Copies rows `0 … count - 1` into `vector` and forgets them. */
  readonly flush: (vector: duckdb.Vector, count: number) => void
}

/** The validity mask as 32-bit words (DuckDB's 64-bit words, little-endian); untouched until a row is null. */
class Validity {
  private readonly words = new Uint32Array(CHUNK_ROWS / 32)
  private hasNull = false

  setNull(row: number) {
    if (!this.hasNull) {
      this.words.fill(0xffffffff)
      this.hasNull = true
    }
    this.words[row >>> 5]! &= ~(1 << (row & 31))
  }

  flush(vector: duckdb.Vector, count: number) {
    if (!this.hasNull) return
    duckdb.vector_ensure_validity_writable(vector)
    duckdb.copy_data_to_vector_validity(vector, 0, this.words.buffer, 0, Math.ceil(count / 64) * 8)
    this.hasNull = false
  }
}

/** Typed views over one column's buffer, so each type writes its cells without conversions. */
interface Cells {
  readonly u8: Uint8Array
  readonly i8: Int8Array
  readonly i16: Int16Array
  readonly u16: Uint16Array
  readonly i32: Int32Array
  readonly u32: Uint32Array
  readonly f32: Float32Array
  readonly f64: Float64Array
  readonly i64: BigInt64Array
  readonly u64: BigUint64Array
}

const fixedWidth = (width: number, set: (cells: Cells, row: number, value: Value) => void): ColumnWriter => {
  const buffer = new ArrayBuffer(CHUNK_ROWS * width)
  const cells: Cells = {
    u8: new Uint8Array(buffer),
    i8: new Int8Array(buffer),
    i16: new Int16Array(buffer),
    u16: new Uint16Array(buffer),
    i32: new Int32Array(buffer),
    u32: new Uint32Array(buffer),
    f32: new Float32Array(buffer),
    f64: new Float64Array(buffer),
    i64: new BigInt64Array(buffer),
    u64: new BigUint64Array(buffer)
  }
  const validity = new Validity()
  return {
    write: (row, value) => set(cells, row, value),
    writeNull: (row) => validity.setNull(row),
    flush: (vector, count) => {
      duckdb.copy_data_to_vector(vector, 0, buffer, 0, count * width)
      validity.flush(vector, count)
    }
  }
}

const TWO_32 = 2 ** 32

/** An integer of at most 53 bits as the two 32-bit halves of an int64, without a bigint. */
const setInt64 = (cells: Cells, row: number, n: number) => {
  const high = Math.floor(n / TWO_32)
  cells.u32[row * 2] = n - high * TWO_32
  cells.i32[row * 2 + 1] = high
}

const integer =
  (min: number, max: number, set: (cells: Cells, row: number, n: number) => void) =>
  (cells: Cells, row: number, value: Value) =>
    typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
      ? set(cells, row, value)
      : expected(`an integer from ${min} to ${max}`, value)

const INT64_MAX = 2n ** 63n - 1n
const INT64_MIN = -(2n ** 63n)
const UINT64_MAX = 2n ** 64n - 1n

/** BIGINT and UBIGINT: a safe integer is split into halves; larger numbers and bigints go through a bigint. */
const int64 = (min: bigint, max: bigint, view: "i64" | "u64") => (cells: Cells, row: number, value: Value) => {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= Number(min)) {
    return setInt64(cells, row, value)
  }
  const big = typeof value === "bigint" ? value : typeof value === "number" && Number.isInteger(value)
    ? BigInt(value)
    : undefined
  if (big === undefined || big < min || big > max) {
    return expected(`an integer from ${min} to ${max} (a number or a bigint)`, value)
  }
  cells[view][row] = big
}

const MICROS_PER_MILLI = 1000
const MILLIS_PER_DAY = 86_400_000
// Beyond this, milliseconds × 1000 is no longer exact in a double.
const MAX_EXACT_MILLIS = Math.floor(Number.MAX_SAFE_INTEGER / MICROS_PER_MILLI)

const millisOf = (value: Value): number => {
  if (!(value instanceof Date)) return expected("a Date", value)
  const millis = value.getTime()
  return Number.isNaN(millis) ? expected("a valid Date", value) : millis
}

/** DuckDB's `string_t`: 16 bytes, the length, then up to 12 bytes inline or a 4-byte prefix and a pointer. */
const STRING_T_BYTES = 16
const INLINE_BYTES = 12

const TEXT_BYTES = 64 * 1024

/** One string column's scratch space: the chunk's UTF-8, each row's length, and each row's `string_t`. */
class StringCells {
  text = NodeBuffer.Buffer.allocUnsafe(TEXT_BYTES)
  readonly lengths = new Uint32Array(CHUNK_ROWS)
  readonly buffer = new ArrayBuffer(CHUNK_ROWS * STRING_T_BYTES)
  readonly cells = new Uint32Array(this.buffer)
  readonly cellBytes = new Uint8Array(this.buffer)

  /** Makes room for `more` bytes after `used`, keeping them. */
  reserve(used: number, more: number) {
    if (used + more <= this.text.length) return
    const grown = NodeBuffer.Buffer.allocUnsafe(Math.max(2 * this.text.length, used + more))
    this.text.copy(grown, 0, 0, used)
    this.text = grown
  }

  /** Lets a buffer grown for a chunk of large strings go (the vector holds its own copy). */
  shrink() {
    if (this.text.length > 16 * TEXT_BYTES) this.text = NodeBuffer.Buffer.allocUnsafe(TEXT_BYTES)
  }
}

/** Encodes a chunk's values one by one into the scratch text; fills `lengths` and returns the bytes written. */
const encodeEach = (
  values: ReadonlyArray<string | Uint8Array | null>,
  count: number,
  scratch: StringCells
): number => {
  let total = 0
  for (let row = 0; row < count; row++) {
    const value = values[row]
    let length = 0
    if (typeof value === "string") {
      // a UTF-16 unit is at most 3 bytes of UTF-8
      scratch.reserve(total, 3 * value.length)
      length = scratch.text.write(value, total, "utf8")
    } else if (value !== null) {
      scratch.reserve(total, value.length)
      scratch.text.set(value, total)
      length = value.length
    }
    scratch.lengths[row] = length
    total += length
  }
  return total
}

/**
 * Encodes a chunk of strings (and nulls) joined, with one call instead of one per string (~100 ns each): three times
 * faster on ASCII text, where each row's bytes are its UTF-16 units, a fifth faster on accented text, where the rows'
 * byte lengths are found by walking the UTF-8 lead bytes (`bench/duckdb.bench.ts`'s appends: 2–4% more records/s). Undefined when a value is bytes, or when joining paired
 * one row's trailing high surrogate with the next row's low surrogate (each encoded alone is U+FFFD): the caller then
 * encodes each value on its own.
 */
const encodeJoined = (
  values: ReadonlyArray<string | Uint8Array | null>,
  count: number,
  scratch: StringCells
): number | undefined => {
  let units = 0
  for (let row = 0; row < count; row++) {
    const value = values[row]
    if (typeof value === "string") units += value.length
    else if (value !== null) return undefined
  }
  // `join` writes null as "", its length here
  const joined = (count === values.length ? values : values.slice(0, count)).join("")
  scratch.reserve(0, 3 * units)
  const { lengths, text } = scratch
  const total = text.write(joined, 0, "utf8")
  if (total === units) {
    for (let row = 0; row < count; row++) {
      const value = values[row]
      lengths[row] = typeof value === "string" ? value.length : 0
    }
    return total
  }
  let at = 0
  for (let row = 0; row < count; row++) {
    const value = values[row]
    const start = at
    let left = typeof value === "string" ? value.length : 0
    while (left > 0) {
      const lead = text[at]!
      if (lead < 0x80) {
        at += 1
        left -= 1
      } else if (lead < 0xe0) {
        at += 2
        left -= 1
      } else if (lead < 0xf0) {
        at += 3
        left -= 1
      } else if (left >= 2) {
        // a surrogate pair: two units, four bytes
        at += 4
        left -= 2
      } else {
        return undefined
      }
    }
    lengths[row] = at - start
  }
  return total
}

/**
 * Writes a chunk's strings with a few calls instead of one per string (~190–360 ns each, the largest cost of an
 * append from Node): each string is encoded into one buffer, which is assigned to the vector once, copying it into
 * the vector's own string heap; each row's `string_t` then points into that copy (or holds its bytes inline), and
 * all of them are copied into the vector at once. The heap lives as long as the vector's data, as strings assigned
 * one by one would. Returns false, before writing any row, if DuckDB did not keep the text as given (it makes a
 * VARCHAR row NULL for invalid UTF-8: never the case for text encoded from JS strings, or bytes checked with `isUtf8`
 * first).
 */
const writeStringsAtOnce = (
  vector: duckdb.Vector,
  values: ReadonlyArray<string | Uint8Array | null>,
  count: number,
  scratch: StringCells
): boolean => {
  const { cellBytes, cells, lengths } = scratch
  const total = encodeJoined(values, count, scratch) ?? encodeEach(values, count, scratch)
  const text = scratch.text
  let pointerLow = 0
  let pointerHigh = 0
  if (total > INLINE_BYTES) {
    duckdb.vector_assign_string_element_len(vector, 0, text.subarray(0, total))
    const first = duckdb.vector_get_data(vector, STRING_T_BYTES)
    const view = new DataView(first.buffer, first.byteOffset, STRING_T_BYTES)
    if (view.getUint32(0, true) !== total) return false
    pointerLow = view.getUint32(8, true)
    pointerHigh = view.getUint32(12, true)
  }
  let offset = 0
  for (let row = 0; row < count; row++) {
    const length = lengths[row]!
    const word = row * 4
    const at = row * STRING_T_BYTES + 4
    cells[word] = length
    if (length <= INLINE_BYTES) {
      cells[word + 1] = 0
      cells[word + 2] = 0
      cells[word + 3] = 0
      for (let k = 0; k < length; k++) cellBytes[at + k] = text[offset + k]!
    } else {
      cellBytes[at] = text[offset]!
      cellBytes[at + 1] = text[offset + 1]!
      cellBytes[at + 2] = text[offset + 2]!
      cellBytes[at + 3] = text[offset + 3]!
      const low = pointerLow + offset
      cells[word + 2] = low >>> 0
      cells[word + 3] = low >= TWO_32 ? pointerHigh + 1 : pointerHigh
    }
    offset += length
  }
  duckdb.copy_data_to_vector(vector, 0, scratch.buffer, 0, count * STRING_T_BYTES)
  return true
}

/**
 * A VARCHAR column takes strings, or UTF-8 bytes copied into the vector as they are (no JS string in between; checked
 * first, since DuckDB turns invalid UTF-8 into NULL without a word); a BLOB column takes bytes.
 */
const stringVector = (accepts: "text" | "bytes"): ColumnWriter => {
  const values: Array<string | Uint8Array | null> = new Array(CHUNK_ROWS).fill(null)
  const scratch = new StringCells()
  const validity = new Validity()
  return {
    write: (row, value) => {
      if (value instanceof Uint8Array) {
        values[row] = accepts === "bytes" || NodeBuffer.isUtf8(value) ? value : expected("UTF-8 text", value)
      } else {
        values[row] = accepts === "text" && typeof value === "string" ? value : expected(
          accepts === "text" ? "a string or UTF-8 bytes" : "bytes",
          value
        )
      }
    },
    writeNull: (row) => {
      values[row] = null
      validity.setNull(row)
    },
    flush: (vector, count) => {
      if (!writeStringsAtOnce(vector, values, count, scratch)) {
        for (let row = 0; row < count; row++) {
          const value = values[row]
          if (typeof value === "string") duckdb.vector_assign_string_element(vector, row, value)
          else if (value instanceof Uint8Array) duckdb.vector_assign_string_element_len(vector, row, value)
        }
      }
      values.fill(null, 0, count)
      scratch.shrink()
      validity.flush(vector, count)
    }
  }
}

const struct = (type: DuckDBStructType): ColumnWriter | undefined => {
  const names = type.entryNames
  const children: Array<ColumnWriter> = []
  for (const entry of type.entryTypes) {
    const child = make(entry)
    if (child === undefined) return undefined
    children.push(child)
  }
  const validity = new Validity()
  return {
    write: (row, value) => {
      if (!Values.isPlainObject(value)) return expected("an object", value)
      for (let k = 0; k < children.length; k++) {
        const field = value[names[k]!] ?? null
        if (field === null) children[k]!.writeNull(row)
        else children[k]!.write(row, field)
      }
    },
    writeNull: (row) => {
      validity.setNull(row)
      for (const child of children) child.writeNull(row)
    },
    flush: (vector, count) => {
      for (let k = 0; k < children.length; k++) children[k]!.flush(duckdb.struct_vector_get_child(vector, k), count)
      validity.flush(vector, count)
    }
  }
}

/** @internal A writer for a column of `type`, or `undefined` when the type (or a field of it) has none here. */
export const make = (type: DuckDBType): ColumnWriter | undefined => {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
      return stringVector("text")
    case DuckDBTypeId.BLOB:
      return stringVector("bytes")
    case DuckDBTypeId.BOOLEAN:
      return fixedWidth(1, (cells, row, value) => {
        cells.u8[row] = typeof value === "boolean" ? Number(value) : expected("a boolean", value)
      })
    case DuckDBTypeId.TINYINT:
      return fixedWidth(1, integer(-128, 127, (cells, row, n) => cells.i8[row] = n))
    case DuckDBTypeId.UTINYINT:
      return fixedWidth(1, integer(0, 255, (cells, row, n) => cells.u8[row] = n))
    case DuckDBTypeId.SMALLINT:
      return fixedWidth(2, integer(-32_768, 32_767, (cells, row, n) => cells.i16[row] = n))
    case DuckDBTypeId.USMALLINT:
      return fixedWidth(2, integer(0, 65_535, (cells, row, n) => cells.u16[row] = n))
    case DuckDBTypeId.INTEGER:
      return fixedWidth(4, integer(-(2 ** 31), 2 ** 31 - 1, (cells, row, n) => cells.i32[row] = n))
    case DuckDBTypeId.UINTEGER:
      return fixedWidth(4, integer(0, TWO_32 - 1, (cells, row, n) => cells.u32[row] = n))
    case DuckDBTypeId.FLOAT:
      return fixedWidth(4, (cells, row, value) => {
        cells.f32[row] = typeof value === "number" ? value : expected("a number", value)
      })
    case DuckDBTypeId.DOUBLE:
      return fixedWidth(8, (cells, row, value) => {
        cells.f64[row] = typeof value === "number" ? value : expected("a number", value)
      })
    case DuckDBTypeId.BIGINT:
      return fixedWidth(8, int64(INT64_MIN, INT64_MAX, "i64"))
    case DuckDBTypeId.UBIGINT:
      return fixedWidth(8, int64(0n, UINT64_MAX, "u64"))
    // TIMESTAMPTZ is stored as TIMESTAMP is, in microseconds since the epoch (UTC): the session's TimeZone has no say
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return fixedWidth(8, (cells, row, value) => {
        const millis = millisOf(value)
        if (Math.abs(millis) <= MAX_EXACT_MILLIS) setInt64(cells, row, millis * MICROS_PER_MILLI)
        else cells.i64[row] = BigInt(millis) * BigInt(MICROS_PER_MILLI)
      })
    case DuckDBTypeId.DATE:
      return fixedWidth(4, (cells, row, value) => {
        cells.i32[row] = Math.floor(millisOf(value) / MILLIS_PER_DAY)
      })
    case DuckDBTypeId.STRUCT:
      return type instanceof DuckDBStructType ? struct(type) : undefined
  }
  return undefined
}
