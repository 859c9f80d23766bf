/**
 * The PNCP domain tables as staging reference tables: `staging.ref_<name>` (`codigo`, `nome`, `descricao`) for each
 * table of {@link CodeTables.all}, rebuilt from the data in code.
 *
 * @since 0.1.0
 */
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Sql from "@baliza/duckdb/Sql"
import * as Effect from "effect/Effect"
import * as CodeTables from "../CodeTables.js"
import * as Tables from "./Tables.js"

/**
 * The staging table of a domain table.
 *
 * @since 0.1.0
 * @category utils
 */
export const tableName = (table: CodeTables.CodeTable): string => `staging.ref_${table.name}`

/**
 * The asset of a domain table: `pncp/staging/ref_<name>`, with no upstream.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (table: CodeTables.CodeTable) =>
  Tables.make({
    table: tableName(table),
    description: `${table.title} (manual §${table.section})`,
    deps: [],
    build: Effect.andThen(
      DuckDB.execute(
        `CREATE SCHEMA IF NOT EXISTS staging; CREATE OR REPLACE TABLE ${Sql.tableName(tableName(table))}
         (codigo ${table.codeType} PRIMARY KEY, nome VARCHAR NOT NULL, descricao VARCHAR)`
      ),
      DuckDB.appendRows(
        tableName(table),
        ["codigo", "nome", "descricao"],
        table.codes.map((code) => [code.codigo, code.nome, code.descricao ?? null])
      )
    )
  })

/**
 * Every domain table's asset.
 *
 * @since 0.1.0
 * @category assets
 */
export const assets = CodeTables.all.map(make)
