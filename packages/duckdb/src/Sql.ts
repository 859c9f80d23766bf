/**
 * Small helpers to build SQL text safely: quoted identifiers, qualified names and string literals.
 *
 * @since 0.1.0
 */

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
export const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`

/**
 * A possibly schema-qualified table name.
 *
 * @since 0.1.0
 * @category models
 */
export interface QualifiedName {
  readonly schema: string | undefined
  readonly name: string
}

/**
 * Splits `"raw.api_requests"` into `{ schema: "raw", name: "api_requests" }`. Parts may be double-quoted to contain
 * dots (`"my.schema"."t"`); an unqualified name has no schema.
 *
 * @since 0.1.0
 * @category utils
 */
export const parseName = (text: string): QualifiedName => {
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
  return parts.length >= 2
    ? { schema: parts[parts.length - 2], name: parts[parts.length - 1]! }
    : { schema: undefined, name: parts[0]! }
}

/**
 * Renders a (possibly qualified) table name with each part quoted: `raw.api_requests` → `"raw"."api_requests"`.
 *
 * @since 0.1.0
 * @category utils
 */
export const tableName = (text: string): string => {
  const parsed = parseName(text)
  return parsed.schema === undefined
    ? identifier(parsed.name)
    : `${identifier(parsed.schema)}.${identifier(parsed.name)}`
}
