import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Sql from "@baliza/duckdb/Sql"
import * as Effect from "effect/Effect"

/**
 * A table's row count and a content hash that does not depend on row order: a rebuilt table with the same rows has
 * the same version, so what is downstream of it is skipped as unchanged.
 *
 * @internal
 */
export const tableVersion = (table: string) =>
  Effect.map(
    DuckDB.query(
      `SELECT count(*)::BIGINT AS n, coalesce(bit_xor(hash(t)), 0)::VARCHAR AS h FROM ${Sql.tableName(table)} AS t`
    ),
    ([row]) => ({ rows: Number(row?.n ?? 0), version: `${String(row?.n ?? 0)}:${String(row?.h ?? "0")}` })
  )
