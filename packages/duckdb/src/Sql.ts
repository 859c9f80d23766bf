/**
 * Small helpers to build SQL text safely: quoted identifiers, qualified names and literals.
 *
 * @since 0.1.0
 */
import type { Value } from "./DuckDB.js"

/**
 * Quotes an identifier for DuckDB (`my "col"` → `"my ""col"""`), so any column or table name is safe in SQL text.
 *
 * @since 0.1.0
 * @category utils
 */
export const identifier = (name: string): string => `"${name.replaceAll("\"", "\"\"")}"`

/**
 * Quotes a string literal for DuckDB (`it's` → `'it''s'`).
 *
 * @since 0.1.0
 * @category utils
 */
export const literal = (value: string): string =>
  // SQL text reaches DuckDB as a C string, which ends at a NUL: one inside the value is spelled `chr(0)`.
  value.includes("\u0000")
    ? `(${value.split("\u0000").map((part) => `'${part.replaceAll("'", "''")}'`).join(" || chr(0) || ")})`
    : `'${value.replaceAll("'", "''")}'`

/**
 * A value as SQL text, for statements that take no parameters (`DuckDB.executeDeferred`): the value a parameter would
 * bind. A number that is not an integer is a DOUBLE; a Date a TIMESTAMP (UTC, to the millisecond); bytes a BLOB; an
 * array a LIST and a plain object a STRUCT. Cast it where the column's type differs (`${text}::DATE`), except into a
 * TIMESTAMPTZ: a cast reads a TIMESTAMP in the session's `TimeZone`; write the Date with `instantLiteral` there.
 *
 * A bigint outside HUGEINT and UHUGEINT is written as a cast that DuckDB refuses with a `Conversion` error when the
 * statement runs (never as a DOUBLE). An empty object and a field name containing NUL have no spelling in DuckDB's SQL
 * (a STRUCT has at least one field, named by a constant): they throw a `TypeError`; bind such values as parameters.
 *
 * @since 0.1.0
 * @category utils
 */
export const valueLiteral = (value: Value | undefined): string => {
  if (value === null || value === undefined) return "NULL"
  switch (typeof value) {
    case "boolean":
      return value ? "TRUE" : "FALSE"
    case "bigint":
      return bigintLiteral(value)
    case "number":
      // (A number with a fraction written bare is a DECIMAL to DuckDB, whose cast to DOUBLE can miss the last digit:
      // as text, DuckDB parses the shortest form JavaScript writes back into the same double.)
      // (A negative integer in parentheses: `-2147483648::INTEGER` is `-(2147483648::INTEGER)`, which overflows.)
      return Number.isSafeInteger(value) ? value < 0 ? `(${value})` : String(value) : `'${value}'::DOUBLE`
    case "string":
      return literal(value)
  }
  if (value instanceof Date) {
    const millis = value.getTime()
    if (Number.isNaN(millis)) throw new TypeError("An invalid Date has no SQL value")
    return `epoch_ms(${millis})`
  }
  if (value instanceof Uint8Array) {
    return `from_hex('${Buffer.from(value.buffer, value.byteOffset, value.length).toString("hex")}')`
  }
  if (Array.isArray(value)) return `[${value.map(valueLiteral).join(", ")}]`
  const fields = Object.entries(value)
  if (fields.length === 0) throw new TypeError("An empty object has no SQL literal (a STRUCT needs a field)")
  return `{${
    fields.map(([key, field]) => {
      if (key.includes("\u0000")) throw new TypeError(`The field name ${JSON.stringify(key)} has no SQL literal (NUL)`)
      return `${literal(key)}: ${valueLiteral(field)}`
    }).join(", ")
  }}`
}

/**
 * A Date as a TIMESTAMPTZ literal: the instant it is, in any session's `TimeZone` (to the millisecond). Where a
 * `valueLiteral` (a TIMESTAMP, the Date's UTC time) would be cast into a TIMESTAMPTZ column, the cast would read it
 * in the session's zone.
 *
 * @since 0.1.0
 * @category utils
 */
export const instantLiteral = (date: Date): string => {
  const millis = date.getTime()
  if (Number.isNaN(millis)) throw new TypeError("An invalid Date has no SQL value")
  return `make_timestamptz(${BigInt(millis) * 1000n})`
}

const HUGEINT_MIN = -(2n ** 127n)
const UHUGEINT_END = 2n ** 128n

// DuckDB reads an integer literal as the smallest type that holds it up to UHUGEINT, and a larger one as a DOUBLE:
// written as a cast, a value out of range is refused rather than rounded.
const bigintLiteral = (value: bigint): string =>
  value >= UHUGEINT_END
    ? `'${value}'::UHUGEINT`
    : value < HUGEINT_MIN
    ? `'${value}'::HUGEINT`
    : value < 0n
    ? `(${value})`
    : String(value)

/**
 * A possibly qualified table name: `[catalog.][schema.]name` (the catalog is an attached database).
 *
 * @since 0.1.0
 * @category models
 */
export interface QualifiedName {
  readonly catalog: string | undefined
  readonly schema: string | undefined
  readonly name: string
}

/**
 * Splits `"raw.api_requests"` into `{ schema: "raw", name: "api_requests" }`, and `"other.main.t"` into
 * `{ catalog: "other", schema: "main", name: "t" }`. Parts may be double-quoted to contain dots (`"my.schema"."t"`);
 * an unqualified name has no schema.
 *
 * @since 0.1.0
 * @category utils
 */
export const parseName = (text: string): QualifiedName => {
  const parts = nameParts(text)
  // (More than three parts is no table name: `tableName` renders them all, and DuckDB says so.)
  return parts.length === 1
    ? { catalog: undefined, schema: undefined, name: parts[0]! }
    : parts.length === 2
    ? { catalog: undefined, schema: parts[0], name: parts[1]! }
    : { catalog: parts[0], schema: parts[parts.length - 2], name: parts[parts.length - 1]! }
}

/** The dot-separated parts of a name, unquoted. */
const nameParts = (text: string): ReadonlyArray<string> => {
  const parts: Array<string> = []
  let current = ""
  let inQuotes = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (inQuotes) {
      if (ch === "\"" && text[i + 1] === "\"") {
        current += "\""
        i++
      } else if (ch === "\"") {
        inQuotes = false
      } else {
        current += ch
      }
    } else if (ch === "\"") {
      inQuotes = true
    } else if (ch === ".") {
      parts.push(current)
      current = ""
    } else {
      current += ch
    }
  }
  parts.push(current)
  return parts
}

/**
 * Renders a (possibly qualified) table name with each part quoted: `raw.api_requests` → `"raw"."api_requests"`.
 *
 * @since 0.1.0
 * @category utils
 */
export const tableName = (text: string): string => nameParts(text).map(identifier).join(".")

/**
 * The rows of a multi-row `VALUES` list written as literals (`valueLiteral`), for statements without parameters.
 * `expression` may wrap each value's text (`(text, column) => \`${text}::INTEGER[]\``).
 *
 * @since 0.1.0
 * @category utils
 */
export const literalRows = (
  rows: ReadonlyArray<ReadonlyArray<Value | undefined>>,
  options?: {
    readonly expression?: ((text: string, column: number) => string) | undefined
    /** Writes a column's value instead of `valueLiteral` (e.g. `instantLiteral` for a TIMESTAMPTZ column's Dates). */
    readonly literal?: ((value: Value | undefined, column: number) => string) | undefined
  }
): string => {
  const expression = options?.expression ?? ((text) => text)
  const literal = options?.literal ?? valueLiteral
  return rows.map((row) => `(${row.map((value, column) => expression(literal(value, column), column)).join(", ")})`)
    .join(", ")
}

/**
 * The rows of a multi-row `VALUES` list: a `$n` placeholder for each value, numbered from `first` (default 1), and
 * the literal `NULL` for each null, with the values to bind in order. `expression` may wrap each value's text, the
 * placeholder or `NULL` (`(text, column) => \`${text}::INTEGER[]\``).
 *
 * **Details**
 *
 * A NULL bound as a parameter has the type NULL, not its column's, and DuckDB plans a prepared statement afresh on each
 * run whose values' types differ from those it was prepared with. Rows of one shape (the same columns null) still
 * share one statement text, so the statement is prepared once.
 *
 * @since 0.1.0
 * @category utils
 */
export const valuesRows = <A>(
  rows: ReadonlyArray<ReadonlyArray<A | null | undefined>>,
  options?: {
    readonly first?: number | undefined
    readonly expression?: ((text: string, column: number) => string) | undefined
  }
): { readonly sql: string; readonly params: Array<A> } => {
  const params: Array<A> = []
  const first = options?.first ?? 1
  const expression = options?.expression ?? ((text) => text)
  const tuples = rows.map((row) =>
    `(${
      row.map((value, column) => {
        if (value === null || value === undefined) return expression("NULL", column)
        params.push(value)
        return expression(`$${first + params.length - 1}`, column)
      }).join(", ")
    })`
  )
  return { sql: tuples.join(", "), params }
}
