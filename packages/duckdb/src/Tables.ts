/**
 * From an `effect/Schema` Struct to DuckDB: table DDL, the `from_json` structure and the row STRUCT type, and a check
 * of an existing table against its Schema.
 *
 * **Details**
 *
 * The JSON side of a Schema is its encoded side, and that is what is mapped, with one exception: a transformation
 * that decodes a string into a `Date` or `DateTime.Utc` (`Schema.Date`, `Schema.DateFromString`,
 * `Schema.DateTimeUtc`) becomes TIMESTAMPTZ (or DATE with `columnType("DATE")`), and one that decodes into a bigint
 * (`Schema.BigInt`) becomes BIGINT, because DuckDB parses those strings itself. Strings, literals and string enums →
 * VARCHAR; numbers → DOUBLE; `Schema.Int` (and refinements of it) → BIGINT; booleans → BOOLEAN;
 * `NullOr`/`optional`/`UndefinedOr` → nullable; nested structs → STRUCT; arrays → LIST; records → MAP(VARCHAR, …);
 * unions of different types, `unknown` and recursive schemas → JSON. Annotate any node, or a property signature
 * (`Schema.optional(X).annotations(...)`), with `columnType(sql)` to choose its type (e.g. `DECIMAL(18,2)`); the
 * annotation sets the type only, so an annotated `NullOr(X)` or optional field stays nullable.
 *
 * Instants are TIMESTAMPTZ (an instant, stored in UTC) because DuckDB reading `"2024-07-01T10:00:00-03:00"` into a
 * TIMESTAMP drops the offset (10:00), where the Schema decodes 13:00Z; into a TIMESTAMPTZ it is 13:00Z. `from_json`
 * and `read_json` read a string without an offset as UTC, whatever the session's `TimeZone`, as `Schema.DateTimeUtc`
 * decodes it (`Schema.Date` decodes it in the process's local time zone: the two agree where that is UTC, so prefer
 * strings with an offset or `Z`); a date alone is midnight UTC. A `Date` or `DateTime.Utc` itself
 * (`Schema.DateFromSelf`, `Schema.DateTimeUtcFromSelf`) is TIMESTAMPTZ too, while epoch milliseconds
 * (`Schema.DateFromNumber`) stay DOUBLE. `Schema.DateTimeZoned` stays VARCHAR: a TIMESTAMPTZ would keep its instant
 * and lose its zone, and DuckDB does not parse the `[America/Sao_Paulo]` it ends with. `columnType("TIMESTAMP")` gives
 * the old TIMESTAMP (a wall-clock time) where that is wanted.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as DuckDB from "./DuckDB.js"
import * as DuckDBError from "./DuckDBError.js"
import * as internal from "./internal/tables.js"
import * as Sql from "./Sql.js"

/**
 * A DuckDB column type derived from a Schema.
 *
 * @since 0.1.0
 * @category models
 */
export type ColumnType =
  | { readonly _tag: "Scalar"; readonly sql: string }
  | { readonly _tag: "Struct"; readonly fields: ReadonlyArray<Column> }
  | { readonly _tag: "List"; readonly element: ColumnType }
  | { readonly _tag: "Map"; readonly key: ColumnType; readonly value: ColumnType }

/**
 * A column (or STRUCT field): name, type and whether it may be NULL.
 *
 * @since 0.1.0
 * @category models
 */
export interface Column {
  readonly name: string
  readonly type: ColumnType
  readonly nullable: boolean
}

/**
 * The annotation key that fixes a node's DuckDB type.
 *
 * @since 0.1.0
 * @category annotations
 */
export const ColumnTypeId: unique symbol = internal.ColumnTypeId

/**
 * @since 0.1.0
 * @category annotations
 */
export type ColumnTypeId = typeof ColumnTypeId

/**
 * The annotation {@link columnType} returns: the DuckDB type under {@link ColumnTypeId}. A type alias, not an
 * interface: Schema's `annotations` take an object with an index signature, which only a type literal has implicitly.
 *
 * @since 0.1.0
 * @category annotations
 */
export type ColumnTypeAnnotation = { readonly [ColumnTypeId]: string }

/**
 * An annotation choosing the DuckDB type of a Schema node or property signature:
 * `Schema.Date.annotations(Tables.columnType("DATE"))`, `Schema.optional(Schema.Number).annotations(...)`. Whether the
 * column is nullable still follows the Schema (`NullOr`, `optional`).
 *
 * @since 0.1.0
 * @category annotations
 */
export const columnType = (sql: string): ColumnTypeAnnotation => ({
  [ColumnTypeId]: sql
})

/**
 * The columns of a Struct (or Class) Schema. Throws a `DuckDBError` (`InvalidInput`) for a Schema that is not a
 * struct: that is a programming error, found when the table is defined.
 *
 * @since 0.1.0
 * @category constructors
 */
export const columns = <A, I, R>(schema: Schema.Schema<A, I, R>): ReadonlyArray<Column> =>
  internal.fieldsOf(internal.structOf(schema.ast), [])

/**
 * A column type as DuckDB SQL: `STRUCT("cnpj" VARCHAR)[]`.
 *
 * @since 0.1.0
 * @category utils
 */
export const sqlType: (type: ColumnType) => string = internal.renderSql

/**
 * The row type of a Struct Schema as DuckDB SQL (`STRUCT("a" VARCHAR, …)`), for `CAST` or `read_json`'s `columns`.
 *
 * @since 0.1.0
 * @category utils
 */
export const rowType = <A, I, R>(schema: Schema.Schema<A, I, R>): string =>
  sqlType({ _tag: "Struct", fields: columns(schema) })

/**
 * The `from_json` / `json_transform` structure of a row (`{"a":"VARCHAR","org":{"cnpj":"VARCHAR"},"tags":["VARCHAR"]}`).
 *
 * @since 0.1.0
 * @category utils
 */
export const jsonStructure = <A, I, R>(schema: Schema.Schema<A, I, R>): string =>
  JSON.stringify(internal.renderStructure({ _tag: "Struct", fields: columns(schema) }))

/**
 * `read_json`'s `columns` argument: `{'a': 'VARCHAR', 'org': 'STRUCT("cnpj" VARCHAR)'}`.
 *
 * @since 0.1.0
 * @category utils
 */
export const readJsonColumns = <A, I, R>(schema: Schema.Schema<A, I, R>): string =>
  `{${columns(schema).map((c) => `${Sql.literal(c.name)}: ${Sql.literal(sqlType(c.type))}`).join(", ")}}`

/**
 * Options for `createTable`.
 *
 * - `ifNotExists` (default true), `orReplace` (default false).
 * - `primaryKey`: column names.
 * - `notNull` (default true): required, non-nullable fields get NOT NULL; false leaves every column nullable.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateTableOptions {
  readonly ifNotExists?: boolean | undefined
  readonly orReplace?: boolean | undefined
  readonly primaryKey?: ReadonlyArray<string> | undefined
  readonly notNull?: boolean | undefined
}

/**
 * `CREATE TABLE` DDL for a Struct Schema, identifiers quoted.
 *
 * @since 0.1.0
 * @category constructors
 */
export const createTable = <A, I, R>(
  table: string,
  schema: Schema.Schema<A, I, R>,
  options?: CreateTableOptions
): string => {
  const notNull = options?.notNull ?? true
  const definitions = columns(schema).map((c) =>
    `  ${Sql.identifier(c.name)} ${sqlType(c.type)}${notNull && !c.nullable ? " NOT NULL" : ""}`
  )
  if (options?.primaryKey !== undefined && options.primaryKey.length > 0) {
    definitions.push(`  PRIMARY KEY (${options.primaryKey.map(Sql.identifier).join(", ")})`)
  }
  const head = options?.orReplace === true
    ? "CREATE OR REPLACE TABLE"
    : options?.ifNotExists === false
    ? "CREATE TABLE"
    : "CREATE TABLE IF NOT EXISTS"
  return `${head} ${Sql.tableName(table)} (\n${definitions.join(",\n")}\n)`
}

/**
 * A difference between a table and its Schema.
 *
 * @since 0.1.0
 * @category models
 */
export const Difference = Schema.Union(
  Schema.TaggedStruct("MissingTable", { table: Schema.String }),
  Schema.TaggedStruct("MissingColumn", { column: Schema.String, expected: Schema.String }),
  Schema.TaggedStruct("ExtraColumn", { column: Schema.String, actual: Schema.String }),
  Schema.TaggedStruct("TypeMismatch", { column: Schema.String, expected: Schema.String, actual: Schema.String }),
  Schema.TaggedStruct("NotNullMismatch", { column: Schema.String })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Difference = typeof Difference.Type

/**
 * Compares an existing table with a Schema: missing and extra columns, type mismatches (types compared in DuckDB's
 * canonical spelling) and columns that are NOT NULL in the table while the Schema allows null. An empty array means
 * the table matches. The table is found as DuckDB finds it, its catalog, schema and name ignoring case.
 *
 * A table created when instants were TIMESTAMP reports each such column as a `TypeMismatch` expecting
 * `TIMESTAMP WITH TIME ZONE` (TIMESTAMPTZ): rows staged into it would be cast from TIMESTAMPTZ in the session's
 * `TimeZone`. `ALTER TABLE t ALTER c TYPE TIMESTAMPTZ USING c AT TIME ZONE 'UTC'` keeps its times as the UTC
 * instants they were written as (a plain cast would read them in the session's `TimeZone`), or annotate the field
 * `columnType("TIMESTAMP")` to keep the column as it is.
 *
 * @since 0.1.0
 * @category utils
 */
export const check = <A, I, R>(
  table: string,
  schema: Schema.Schema<A, I, R>
): Effect.Effect<ReadonlyArray<Difference>, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Effect.gen(function*() {
    const expected = yield* Effect.try({
      try: () => columns(schema),
      catch: (error) =>
        DuckDBError.isDuckDBError(error) ? error : DuckDBError.make("InvalidInput", String(error), { cause: error })
    })
    const name = Sql.parseName(table)
    // DuckDB resolves catalog, schema and table names case-insensitively (`FROM RICH` reads table `rich`).
    const actual = yield* DuckDB.query(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE lower(table_name) = lower($1) AND lower(table_schema) = lower(coalesce($2, current_schema()))
         AND lower(table_catalog) = lower(coalesce($3, current_database())) ORDER BY ordinal_position`,
      [name.name, name.schema ?? null, name.catalog ?? null]
    )
    if (actual.length === 0) return [{ _tag: "MissingTable", table }] as const
    // DuckDB spells types its own way (quotes only where needed, INT → INTEGER): let it canonicalize ours.
    const canonical = expected.length === 0 ? [{}] : yield* DuckDB.query(
      `SELECT ${expected.map((c, i) => `typeof(NULL::${sqlType(c.type)}) AS c${i}`).join(", ")}`
    )
    const differences: Array<Difference> = []
    const byName = new Map(actual.map((row) => [String(row.column_name), row] as const))
    expected.forEach((column, i) => {
      const expectedType = String(canonical[0]![`c${i}`])
      const row = byName.get(column.name)
      if (row === undefined) {
        differences.push({ _tag: "MissingColumn", column: column.name, expected: expectedType })
        return
      }
      if (String(row.data_type) !== expectedType) {
        differences.push({
          _tag: "TypeMismatch",
          column: column.name,
          expected: expectedType,
          actual: String(row.data_type)
        })
      }
      if (column.nullable && row.is_nullable === "NO") {
        differences.push({ _tag: "NotNullMismatch", column: column.name })
      }
    })
    const known = new Set(expected.map((c) => c.name))
    for (const row of actual) {
      if (!known.has(String(row.column_name))) {
        differences.push({ _tag: "ExtraColumn", column: String(row.column_name), actual: String(row.data_type) })
      }
    }
    return differences
  })
