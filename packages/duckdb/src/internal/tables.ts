import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as DuckDBError from "../DuckDBError.js"
import * as Sql from "../Sql.js"
import type * as Public from "../Tables.js"
import type { Column, ColumnType } from "../Tables.js"
import { isTemporal } from "./schemaAst.js"

/** @internal The unique symbol type is declared by the public module, `Tables.ColumnTypeId`. */
export const ColumnTypeId: Public.ColumnTypeId = Symbol.for("@baliza/duckdb/Tables/ColumnType") as Public.ColumnTypeId

const scalar = (sql: string): ColumnType => ({ _tag: "Scalar", sql })
const VARCHAR = scalar("VARCHAR")
const DOUBLE = scalar("DOUBLE")
const BIGINT = scalar("BIGINT")
const BOOLEAN = scalar("BOOLEAN")
// An instant: DuckDB's TIMESTAMP would drop a string's UTC offset (`10:00-03:00` read as 10:00, not 13:00Z).
const TIMESTAMPTZ = scalar("TIMESTAMPTZ")
const JSON_TYPE = scalar("JSON")

interface Mapped {
  readonly type: ColumnType
  readonly nullable: boolean
}

/**
 * @internal A struct's TypeLiteral (its encoded side, which is what is mapped) and the `columnType` annotations that
 * its type side puts on properties, by encoded property name.
 */
export interface Struct {
  readonly ast: AST.TypeLiteral
  readonly columnTypes: ReadonlyMap<PropertyKey, string>
}

const annotated = (node: AST.Annotated): string | undefined => {
  const value = node.annotations[ColumnTypeId]
  return typeof value === "string" ? value : undefined
}

// A struct with a property transformation (`optionalWith`, `fromKey`) becomes a TypeLiteral → TypeLiteral
// transformation, and the annotations of its property signatures (`optional(X).annotations(...)`) stay on the type
// side only.
const typeSideColumnTypes = (ast: AST.Transformation): ReadonlyMap<PropertyKey, string> => {
  if (!AST.isTypeLiteral(ast.to) || !AST.isTypeLiteralTransformation(ast.transformation)) return new Map()
  const renames = ast.transformation.propertySignatureTransformations
  return new Map(ast.to.propertySignatures.flatMap((ps) => {
    const sql = annotated(ps)
    return sql === undefined ? [] : [[renames.find((t) => t.to === ps.name)?.from ?? ps.name, sql] as const]
  }))
}

/** The annotation on a node or on the refinements/transformations it wraps (e.g. `Schema.Date` annotated DATE). */
const findAnnotation = (ast: AST.AST): string | undefined => {
  const own = annotated(ast)
  if (own !== undefined) return own
  if (AST.isRefinement(ast)) return findAnnotation(ast.from)
  return undefined
}

const isIntRefinement = (ast: AST.AST): boolean => {
  let current = ast
  while (AST.isRefinement(current)) {
    if (AST.getSchemaIdAnnotation(current).pipe(Option.contains<symbol | string>(Schema.IntSchemaId))) return true
    current = current.from
  }
  return false
}

const baseOf = (ast: AST.AST): AST.AST => AST.isRefinement(ast) ? baseOf(ast.from) : ast

const isNullish = (ast: AST.AST): boolean =>
  (AST.isLiteral(ast) && ast.literal === null) || AST.isUndefinedKeyword(ast) || ast._tag === "VoidKeyword"

const isDeclarationOf = (ast: AST.AST, tag: string): boolean =>
  AST.isDeclaration(ast) && AST.getTypeConstructorAnnotation(ast).pipe(Option.exists((c) => c._tag === tag))

const literalType = (literal: AST.LiteralValue): ColumnType => {
  if (typeof literal === "string") return VARCHAR
  if (typeof literal === "number") return Number.isInteger(literal) ? BIGINT : DOUBLE
  if (typeof literal === "boolean") return BOOLEAN
  if (typeof literal === "bigint") return BIGINT
  return VARCHAR
}

/** @internal Renders a column type as DuckDB SQL (`STRUCT("a" VARCHAR)[]`). */
export const renderSql = (type: ColumnType): string => {
  switch (type._tag) {
    case "Scalar":
      return type.sql
    case "List":
      return `${renderSql(type.element)}[]`
    case "Map":
      return `MAP(${renderSql(type.key)}, ${renderSql(type.value)})`
    case "Struct":
      return `STRUCT(${type.fields.map((f) => `${Sql.identifier(f.name)} ${renderSql(f.type)}`).join(", ")})`
  }
}

/** @internal Renders a column type as a `from_json`/`json_transform` structure value. */
export const renderStructure = (type: ColumnType): unknown => {
  switch (type._tag) {
    case "Scalar":
    case "Map":
      return renderSql(type)
    case "List":
      return [renderStructure(type.element)]
    case "Struct":
      return Object.fromEntries(type.fields.map((f) => [f.name, renderStructure(f.type)]))
  }
}

const mapUnion = (ast: AST.Union, path: ReadonlyArray<string>): Mapped => {
  const members = ast.types.filter((member) => !isNullish(member))
  const nullable = members.length < ast.types.length
  if (members.length === 0) return { type: VARCHAR, nullable: true }
  const mapped = members.map((member) => walk(member, path))
  const first = renderSql(mapped[0]!.type)
  const same = mapped.every((m) => renderSql(m.type) === first)
  // Members of different DuckDB types (e.g. string | number) cannot share a column: keep the raw JSON.
  return {
    type: same ? mapped[0]!.type : JSON_TYPE,
    nullable: nullable || mapped.some((m) => m.nullable)
  }
}

const mapStruct = (struct: Struct, path: ReadonlyArray<string>): Mapped => {
  const { ast } = struct
  if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 1) {
    const value = walk(ast.indexSignatures[0]!.type, [...path, "[key]"])
    return { type: { _tag: "Map", key: VARCHAR, value: value.type }, nullable: false }
  }
  return { type: { _tag: "Struct", fields: fieldsOf(struct, path) }, nullable: false }
}

/** @internal */
export const fieldsOf = (struct: Struct, path: ReadonlyArray<string>): ReadonlyArray<Column> =>
  struct.ast.propertySignatures.flatMap((ps) => {
    if (typeof ps.name !== "string") return []
    const mapped = walk(ps.type, [...path, ps.name])
    // `Schema.optional(X).annotations(columnType(...))` annotates the property signature, not its type.
    const explicit = struct.columnTypes.get(ps.name) ?? annotated(ps)
    return [{
      name: ps.name,
      type: explicit === undefined ? mapped.type : scalar(explicit),
      nullable: mapped.nullable || ps.isOptional
    }]
  })

/** @internal Maps a Schema AST node to a DuckDB column type (JSON side = encoded side; Dates become TIMESTAMPTZ). */
export const walk = (ast: AST.AST, path: ReadonlyArray<string>): Mapped => {
  const mapped = walkNode(ast, path)
  const explicit = annotated(ast)
  // The annotation chooses the type, not the nullability: `NullOr(X).annotations(columnType(...))` stays nullable.
  return explicit === undefined ? mapped : { type: scalar(explicit), nullable: mapped.nullable }
}

const columnSqls = new WeakMap<AST.AST, string | undefined>()

/**
 * @internal The column type a Schema node maps to, as SQL (`"JSON"`, `"JSON[]"`, …), or undefined when it maps to none;
 * remembered per node, as values are read row by row.
 */
export const columnSqlOf = (ast: AST.AST): string | undefined => {
  if (columnSqls.has(ast)) return columnSqls.get(ast)
  let sql: string | undefined
  try {
    sql = renderSql(walk(ast, []).type)
  } catch {
    sql = undefined
  }
  columnSqls.set(ast, sql)
  return sql
}

const walkNode = (ast: AST.AST, path: ReadonlyArray<string>): Mapped => {
  switch (ast._tag) {
    case "Refinement":
      if (isIntRefinement(ast) && AST.isNumberKeyword(baseOf(ast))) return { type: BIGINT, nullable: false }
      return walk(ast.from, path)
    case "Transformation": {
      // DuckDB parses ISO strings into TIMESTAMPTZ (offsets applied) and integer strings into BIGINT itself, so a
      // Schema that decodes JSON strings into Dates (Schema.Date, DateTimeUtc) or bigints types the column by what it
      // decodes to. (Schema.DateTimeZoned stays VARCHAR: DuckDB reads no `…[America/Sao_Paulo]`, nor keeps a zone.)
      const onType = findAnnotation(ast.to)
      if (onType !== undefined) return { type: scalar(onType), nullable: false }
      // ...but not a number: DuckDB reads no JSON number as a TIMESTAMPTZ (NULL instead), so epoch milliseconds
      // (Schema.DateFromNumber) stay the number they are, and decode back into Dates.
      if (isTemporal(ast.to)) {
        return AST.isNumberKeyword(baseOf(AST.encodedAST(ast)))
          ? walk(ast.from, path)
          : { type: TIMESTAMPTZ, nullable: false }
      }
      if (AST.isBigIntKeyword(baseOf(ast.to))) return { type: BIGINT, nullable: false }
      // a struct with property transformations: its type side carries the properties' columnType annotations
      const struct = AST.isTypeLiteral(ast.to) ? findStruct(ast) : undefined
      return struct === undefined ? walk(ast.from, path) : mapStruct(struct, path)
    }
    case "Declaration":
      if (isTemporal(ast)) return { type: TIMESTAMPTZ, nullable: false }
      if (isDeclarationOf(ast, "Uint8Array")) return { type: scalar("BLOB"), nullable: false }
      return { type: JSON_TYPE, nullable: false }
    case "StringKeyword":
    case "TemplateLiteral":
      return { type: VARCHAR, nullable: false }
    case "NumberKeyword":
      return { type: DOUBLE, nullable: false }
    case "BooleanKeyword":
      return { type: BOOLEAN, nullable: false }
    case "BigIntKeyword":
      return { type: BIGINT, nullable: false }
    case "Literal":
      return { type: literalType(ast.literal), nullable: ast.literal === null }
    case "Enums": {
      const types = ast.enums.map(([, value]) => renderSql(literalType(value)))
      return { type: types.every((t) => t === types[0]) ? scalar(types[0] ?? "VARCHAR") : VARCHAR, nullable: false }
    }
    case "Union":
      return mapUnion(ast, path)
    case "TypeLiteral":
      return mapStruct({ ast, columnTypes: new Map() }, path)
    case "TupleType": {
      const items = [...ast.elements.map((e) => e.type), ...ast.rest.map((r) => r.type)]
      if (items.length === 0) return { type: { _tag: "List", element: JSON_TYPE }, nullable: false }
      const mapped = items.map((item, i) => walk(item, [...path, String(i)]))
      const first = renderSql(mapped[0]!.type)
      return {
        type: { _tag: "List", element: mapped.every((m) => renderSql(m.type) === first) ? mapped[0]!.type : JSON_TYPE },
        nullable: false
      }
    }
    case "UndefinedKeyword":
    case "VoidKeyword":
      return { type: VARCHAR, nullable: true }
    default:
      // unknown, any, object, recursive (Suspend) and symbol schemas keep their JSON as is
      return { type: JSON_TYPE, nullable: false }
  }
}

const findStruct = (ast: AST.AST): Struct | undefined => {
  switch (ast._tag) {
    case "TypeLiteral":
      return { ast, columnTypes: new Map() }
    case "Refinement":
      return findStruct(ast.from)
    case "Transformation": {
      const inner = findStruct(ast.from)
      const outer = typeSideColumnTypes(ast)
      return inner === undefined || outer.size === 0
        ? inner
        : { ast: inner.ast, columnTypes: new Map([...inner.columnTypes, ...outer]) }
    }
    case "Suspend":
      return findStruct(ast.f())
    default:
      return undefined
  }
}

/**
 * @internal The TypeLiteral a (possibly transformed or refined) struct Schema is built on, with the columnType
 * annotations of its properties.
 */
export const structOf = (ast: AST.AST): Struct => {
  const struct = findStruct(ast)
  if (struct === undefined) {
    throw DuckDBError.make(
      "InvalidInput",
      `A table needs a Schema.Struct (or Class) of columns, got ${String(ast)}.`
    )
  }
  return struct
}
