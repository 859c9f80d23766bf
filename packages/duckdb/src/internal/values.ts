import {
  blobValue,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
  JSDuckDBValueConverter,
  listValue,
  structValue,
  timestampValue
} from "@duckdb/node-api"
import * as Predicate from "effect/Predicate"
import * as AST from "effect/SchemaAST"
import type { Params, Value } from "../DuckDB.js"
import { isTemporal, stripRefinements } from "./schemaAst.js"
import { columnSqlOf } from "./tables.js"

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** @internal 64/128-bit integers become numbers when they fit exactly, else stay bigint. */
export const fromBigInt = (value: bigint): number | bigint =>
  value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value

/** @internal DuckDB value → plain JS, with BIGINT as number when safe. */
export const converter: DuckDBValueConverter<JS> = (value, type, self) => {
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return typeof value === "bigint" ? fromBigInt(value) : JSDuckDBValueConverter(value, type, self)
    default:
      return JSDuckDBValueConverter(value, type, self)
  }
}

/** @internal `Array.isArray` does not narrow readonly arrays out of a union. */
export const isValueArray = (u: unknown): u is ReadonlyArray<Value> => Array.isArray(u)

/** @internal */
export const isPlainObject = (u: unknown): u is { readonly [key: string]: Value } => {
  if (!Predicate.isObject(u) || Array.isArray(u)) return false
  const proto: unknown = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

/** @internal A JS parameter → the DuckDB value the binder infers a type from. */
export const toParam = (value: Value | undefined): DuckDBValue => {
  if (value === null || value === undefined) return null
  switch (typeof value) {
    case "boolean":
    case "number":
    case "bigint":
    case "string":
      return value
  }
  if (value instanceof Date) return timestampValue(BigInt(value.getTime()) * 1000n)
  if (value instanceof Uint8Array) return blobValue(value)
  if (isValueArray(value)) return listValue(value.map(toParam))
  if (isPlainObject(value)) {
    const entries: Record<string, DuckDBValue> = {}
    for (const key of Object.keys(value)) entries[key] = toParam(value[key])
    return structValue(entries)
  }
  throw new TypeError(`Unsupported parameter value: ${String(value)}`)
}

/** @internal */
export const toParams = (params: Params | undefined): Array<DuckDBValue> | Record<string, DuckDBValue> | undefined => {
  if (params === undefined) return undefined
  if (isValueArray(params)) return params.map(toParam)
  const out: Record<string, DuckDBValue> = {}
  for (const key of Object.keys(params)) out[key] = toParam(params[key])
  return out
}

// ---------------------------------------------------------------------------------------------------------------------
// aligning DuckDB values with a Schema's encoded side
// ---------------------------------------------------------------------------------------------------------------------

// Whether the Schema takes a value `leaf` accepts: itself, or one of its union's members (refinements aside).
const accepts = (ast: AST.AST, leaf: (base: AST.AST) => boolean): boolean => {
  const base = stripRefinements(ast)
  return AST.isUnion(base) ? base.types.some((member) => accepts(member, leaf)) : leaf(base)
}

const acceptsString = (ast: AST.AST): boolean =>
  accepts(ast, (base) =>
    AST.isStringKeyword(base) || AST.isTemplateLiteral(base) ||
    (AST.isLiteral(base) && typeof base.literal === "string"))

const acceptsNumber = (ast: AST.AST): boolean =>
  accepts(ast, (base) => AST.isNumberKeyword(base) || (AST.isLiteral(base) && typeof base.literal === "number"))

const acceptsNull = (ast: AST.AST): boolean =>
  accepts(
    ast,
    (base) => AST.isUnknownKeyword(base) || AST.isAnyKeyword(base) || (AST.isLiteral(base) && base.literal === null)
  )

const parseJsonOr = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * @internal
 * DuckDB hands back `Date`s for TIMESTAMP/TIMESTAMPTZ/DATE columns and numbers for integers, while a Schema such as
 * `Schema.Date` or `Schema.BigInt` expects the JSON (encoded) form. This walks the Schema and, at transformations into
 * a Date, DateTime or bigint, re-encodes the DuckDB value into the form the transformation decodes from; everything
 * else is left alone (a number read for `Schema.String` still fails), so one Schema serves both `from_json` and
 * `queryAs`.
 */
export const alignToEncoded = (ast: AST.AST, value: unknown): unknown => {
  if (value === null || value === undefined) return value
  switch (ast._tag) {
    case "Refinement":
      return alignToEncoded(ast.from, value)
    case "Suspend":
      return alignToEncoded(ast.f(), value)
    case "Transformation":
      return alignTransformation(ast, value)
    case "Declaration":
      return value
    case "TypeLiteral": {
      // A MAP column (a Schema.Record) reads back as its entries
      if (Array.isArray(value) && ast.propertySignatures.length === 0 && ast.indexSignatures.length === 1) {
        const entries: ReadonlyArray<unknown> = value
        const signature = ast.indexSignatures[0]!
        const pairs: Array<readonly [string, unknown]> = []
        for (const entry of entries) {
          if (!Predicate.isRecord(entry) || !("key" in entry) || !("value" in entry)) return value
          pairs.push([String(entry.key), alignToEncoded(signature.type, entry.value)])
        }
        return Object.fromEntries(pairs)
      }
      if (!Predicate.isRecord(value)) return value
      const record = value
      let out: Record<string, unknown> | undefined
      for (const ps of ast.propertySignatures) {
        if (typeof ps.name !== "string" || !(ps.name in record)) continue
        const before = record[ps.name]
        // an optional field that was absent is a NULL in its (nullable) column: absent again, unless null is a value
        if (before === null && ps.isOptional && !acceptsNull(ps.type)) {
          out ??= { ...record }
          delete out[ps.name]
          continue
        }
        const after = alignToEncoded(ps.type, before)
        if (after !== before) {
          out ??= { ...record }
          out[ps.name] = after
        }
      }
      return out ?? value
    }
    case "UnknownKeyword":
    case "AnyKeyword":
      // a JSON column (what Tables makes of unknown values) reads back as its text
      return typeof value === "string" ? parseJsonOr(value) : value
    case "TupleType": {
      if (!Array.isArray(value)) return value
      const items: ReadonlyArray<unknown> = value
      // a tuple of mixed types is a list of JSON texts (Tables), which elements that are no JSON column of their own
      // (an Unknown parses its text itself) read parsed
      const json = columnSqlOf(ast) === "JSON[]"
      return items.map((item, i) => {
        const element = ast.elements[i]?.type ?? ast.rest[0]?.type
        if (element === undefined) return item
        const parsed = json && typeof item === "string" && columnSqlOf(element) !== "JSON" ? parseJsonOr(item) : item
        return alignToEncoded(element, parsed)
      })
    }
    case "Union": {
      // a union of members of different types is a JSON column (Tables): its text is parsed once, not per member
      const parsed = typeof value === "string" && columnSqlOf(ast) === "JSON" ? parseJsonOr(value) : value
      // Try the members that accept the value's shape; the first one that changes it wins.
      for (const member of ast.types) {
        const aligned = alignToEncoded(member, parsed)
        if (aligned !== parsed) return aligned
      }
      return parsed
    }
    default:
      return value
  }
}

const alignTransformation = (ast: AST.Transformation, value: unknown): unknown => {
  const to = stripRefinements(ast.to)
  if (value instanceof Date && isTemporal(to)) {
    if (acceptsString(ast.from)) return value.toISOString()
    if (acceptsNumber(ast.from)) return value.getTime()
  }
  if ((typeof value === "bigint" || typeof value === "number") && AST.isBigIntKeyword(to)) {
    if (acceptsString(ast.from)) return value.toString()
    if (acceptsNumber(ast.from)) return Number(value)
  }
  return alignToEncoded(ast.from, value)
}
