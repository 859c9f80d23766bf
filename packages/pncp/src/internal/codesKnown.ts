/**
 * The `codes_known` check of the staging tables: codes not in the manual's domain tables (see `CodeTables`).
 */
import * as AssetCheck from "@baliza/core/AssetCheck"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Sql from "@baliza/duckdb/Sql"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as CodeTableAssets from "../Assets/CodeTables.js"
import type { CodeColumn } from "../Assets/Staging.js"
import type * as CodeTables from "../CodeTables.js"

/** How many codes of a column the `codes_known` message lists, the most frequent first. */
const listedCodes = 5

/** A code column as a message names it: `"amparoLegal"."codigo"` → `amparoLegal.codigo`. */
const columnLabel = (column: string) =>
  column.replace(/"((?:[^"]|"")*)"/g, (_, name: string) => name.replaceAll("\"\"", "\""))

/**
 * The column's value as text when it is not NULL and not a code of `table`, else NULL. Integer codes compare as
 * numbers: a non-numeric string is an unknown code, not an error (TRY_CAST), and so is a fraction (to BIGINT, 1.5
 * would round to the code 2; DOUBLE holds every code exactly). A number reads as an integer (a DOUBLE column's 7.0
 * as 7), anything else as it is.
 */
const unknownCodeSql = (column: string, table: CodeTables.CodeTable) => {
  if (table.codeType === "VARCHAR") {
    const codes = table.codes.map((code) => Sql.literal(String(code.codigo))).join(", ")
    return `CASE WHEN ${column}::VARCHAR NOT IN (${codes}) THEN ${column}::VARCHAR END`
  }
  const codes = table.codes.map((code) => Sql.valueLiteral(code.codigo)).join(", ")
  const number = `TRY_CAST(${column} AS DOUBLE)`
  return `CASE WHEN ${column} IS NOT NULL AND NOT coalesce(${number} IN (${codes}), FALSE) THEN
      CASE WHEN ${number} = trunc(${number}) AND abs(${number}) < 1e15 THEN ${number}::BIGINT::VARCHAR
      ELSE ${column}::VARCHAR END END`
}

/**
 * One statement over the table: per code column its unknown codes with their records, the most frequent
 * {@link listedCodes}, with the column's distinct unknown codes (`codes`) and records (`records`), and the records
 * with any unknown code (`total`). No rows when every code is known.
 */
const codesKnownSql = (table: string, codes: ReadonlyArray<CodeColumn>) => {
  const unknown = codes.map((code, i) => `${unknownCodeSql(code.column, code.table)} AS c${i}`)
  const perColumn = codes.map((_, i) =>
    `SELECT ${i} AS "column", c${i} AS code, count(*) AS n FROM unknown WHERE c${i} IS NOT NULL GROUP BY c${i}`
  )
  return `WITH unknown AS (SELECT * FROM (SELECT ${unknown.join(",\n      ")} FROM ${Sql.tableName(table)})
      WHERE ${codes.map((_, i) => `c${i} IS NOT NULL`).join(" OR ")}),
    codes AS (${perColumn.join("\n      UNION ALL ")})
    SELECT "column", code, n::BIGINT AS n, (count(*) OVER w)::BIGINT AS codes, (sum(n) OVER w)::BIGINT AS records,
      (SELECT count(*) FROM unknown)::BIGINT AS total
    FROM codes WINDOW w AS (PARTITION BY "column")
    QUALIFY row_number() OVER (PARTITION BY "column" ORDER BY n DESC, code) <= ${listedCodes}
    ORDER BY "column", n DESC, code`
}

const UnknownCode = Schema.Struct({
  column: Schema.Number,
  code: Schema.String,
  n: Schema.Number,
  codes: Schema.Number,
  records: Schema.Number,
  total: Schema.Number
})

/**
 * @internal
 * Warns of codes not in the manual's tables (an amparo legal newer than the manual, a junk value): staged as they
 * come, they have no name in a join with their `staging.ref_*` table. The codes are inlined, so the check does not
 * depend on the `staging.ref_*` assets being built.
 */
export const codesKnownCheck = (table: string, codes: ReadonlyArray<CodeColumn>) =>
  AssetCheck.make({
    name: "codes_known",
    description: `every code is in its table of the manual: ${
      codes.map((code) => `${columnLabel(code.column)} in ${CodeTableAssets.tableName(code.table)}`).join(", ")
    }`,
    severity: "Warn",
    evaluate: () =>
      Effect.map(DuckDB.queryAs(UnknownCode)(codesKnownSql(table, codes)), (rows) => {
        if (rows.length === 0) return AssetCheck.pass(`every code is in the manual's tables`)
        const columns = codes.flatMap((code, i) => {
          const listed = rows.filter((row) => row.column === i)
          const first = listed[0]
          return first === undefined ? [] : [{ ...code, label: columnLabel(code.column), listed, first }]
        })
        const described = columns.map(({ first, label, listed, table }) =>
          `${label} ${first.codes} code(s) in ${first.records} record(s) (${
            listed.map((row) => `${row.code} ×${row.n}`).join(", ")
          }${first.codes > listed.length ? ", …" : ""}) not in ${CodeTableAssets.tableName(table)}`
        )
        const total = rows[0]?.total ?? 0
        return AssetCheck.fail(
          `${table}: ${total} record(s) with codes not in the manual's tables: ${described.join("; ")}. ` +
            "They are staged as they come and have no name in a join with those tables.",
          {
            records: total,
            columns: Object.fromEntries(columns.map(({ first, label, listed, table }) => [label, {
              table: CodeTableAssets.tableName(table),
              records: first.records,
              codes: first.codes,
              listed: Object.fromEntries(listed.map((row) => [row.code, row.n]))
            }]))
          }
        )
      })
  })
