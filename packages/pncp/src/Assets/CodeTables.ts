/**
 * The PNCP domain tables as staging reference tables: `staging.ref_<name>` (`codigo`, `nome`, `descricao`) for each
 * table of {@link CodeTables.all}, rebuilt from the data in code.
 *
 * @since 0.1.0
 */
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Sql from "@baliza/duckdb/Sql"
import * as Effect from "effect/Effect"
import * as NodeCrypto from "node:crypto"
import * as CodeTables from "../CodeTables.js"
import * as Tables from "./Tables.js"

/**
 * The staging table of a domain table.
 *
 * @since 0.1.0
 * @category utils
 */
export const tableName = (table: CodeTables.CodeTable): string => `staging.ref_${table.name}`

const columnsOf = (table: CodeTables.CodeTable): string =>
  `codigo ${table.codeType} PRIMARY KEY, nome VARCHAR NOT NULL, descricao VARCHAR`

/**
 * The table's code version: a hash of its columns and codes, so an edited code list (a code added, a name fixed)
 * rebuilds `staging.ref_<name>` on the next run instead of leaving it up to date.
 */
const codeVersionOf = (table: CodeTables.CodeTable): string =>
  NodeCrypto.createHash("sha256").update(JSON.stringify([columnsOf(table), table.codes])).digest("hex").slice(0, 16)

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
    codeVersion: codeVersionOf(table),
    // One transaction: a rebuild whose rows cannot be appended leaves the table as it was, not emptied.
    build: DuckDB.withTransaction(Effect.andThen(
      DuckDB.execute(
        `CREATE SCHEMA IF NOT EXISTS staging; CREATE OR REPLACE TABLE ${Sql.tableName(tableName(table))}
         (${columnsOf(table)})`
      ),
      DuckDB.appendRows(
        tableName(table),
        ["codigo", "nome", "descricao"],
        table.codes.map((code) => [code.codigo, code.nome, code.descricao ?? null])
      )
    ))
  })

/**
 * Every domain table's asset.
 *
 * @since 0.1.0
 * @category assets
 */
export const assets = CodeTables.all.map(make)
