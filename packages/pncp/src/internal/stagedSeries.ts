/**
 * What a staging table was last built from: the request series (endpoint × partition) it read, each with its request
 * count and latest collection time, and a fingerprint of how it was built. A series whose requests changed since (a
 * new partition, a page fetched again, details fetched again) is "touched": an incremental build reads the pages of
 * the touched series only.
 *
 * `raw.api_requests` only grows, so a series' request count and latest collection time change exactly when it has a
 * request the table has not read.
 *
 * @internal
 */
import * as Sql from "@baliza/duckdb/Sql"
import * as NodeCrypto from "node:crypto"

/** @internal The bookkeeping tables, in `meta`: created by the first build, as `staging.quarantine` is. */
export const tablesSql = `CREATE SCHEMA IF NOT EXISTS meta;
  CREATE TABLE IF NOT EXISTS meta.staging_builds (
    table_name VARCHAR PRIMARY KEY, fingerprint VARCHAR NOT NULL, built_at TIMESTAMP NOT NULL);
  CREATE TABLE IF NOT EXISTS meta.staging_series (
    table_name VARCHAR NOT NULL, endpoint VARCHAR NOT NULL, partition_key VARCHAR, requests BIGINT NOT NULL,
    last_collected_at TIMESTAMP)`

/**
 * @internal How a table is built, as a hash: a build recorded with another fingerprint (other columns, key, version
 * order or code version) is not merged into but rebuilt.
 */
export const fingerprint = (...parts: ReadonlyArray<string>): string =>
  NodeCrypto.createHash("sha256").update(parts.join("\u0000")).digest("hex")

/** @internal The fingerprint `table` was last built with (`undefined`: never built, or built before the bookkeeping). */
export const builtWithSql = (table: string) =>
  `SELECT fingerprint FROM meta.staging_builds WHERE table_name = ${Sql.literal(table)}`

/** @internal Each series of `endpoints` with its request count and latest collection time, as `raw.api_requests` has it. */
const seriesSql = (endpoints: ReadonlyArray<string>) =>
  `SELECT endpoint, partition_key, count(*)::BIGINT AS requests, max(collected_at) AS last_collected_at
   FROM raw.api_requests WHERE endpoint IN (${endpoints.map(Sql.literal).join(", ")})
   GROUP BY endpoint, partition_key`

/**
 * @internal Creates `touched`: every series of `endpoints` (`all`), or those whose requests differ from what `table`
 * was last built from. `EXCEPT` compares NULL partition keys as equal.
 */
export const touchedSql = (table: string, endpoints: ReadonlyArray<string>, touched: string, all: boolean) =>
  `CREATE OR REPLACE TABLE ${touched} AS ${seriesSql(endpoints)}${
    all ? "" : `
   EXCEPT SELECT endpoint, partition_key, requests, last_collected_at FROM meta.staging_series
   WHERE table_name = ${Sql.literal(table)}`
  }`

/** @internal Whether the series of a row of `alias` (its `endpoint` and `partition_key`) is one of `touched`. */
export const isTouched = (alias: string, touched: string) =>
  `EXISTS (SELECT 1 FROM ${touched} __touched WHERE __touched.endpoint = ${alias}.endpoint
     AND __touched.partition_key IS NOT DISTINCT FROM ${alias}.partition_key)`

/**
 * @internal The rows of `alias` (with `table_name`, `endpoint`, `partition_key`) that a build of `table` replaces: all
 * of the table's in a full build, those of the `touched` series otherwise.
 */
export const replacedRows = (alias: string, table: string, touched: string, full: boolean) =>
  `${alias}.table_name = ${Sql.literal(table)}${full ? "" : ` AND ${isTouched(alias, touched)}`}`

/**
 * @internal Records that `table` now holds what the series of `touched` had (replacing what it held of them, or, for
 * a full build, everything), built with `fingerprint`.
 */
export const recordSql = (table: string, touched: string, built: string, full: boolean) => {
  const name = Sql.literal(table)
  return `DELETE FROM meta.staging_series AS s WHERE ${replacedRows("s", table, touched, full)};
      INSERT INTO meta.staging_series
        SELECT ${name}, endpoint, partition_key, requests, last_collected_at FROM ${touched};
      INSERT OR REPLACE INTO meta.staging_builds VALUES (${name}, ${Sql.literal(built)}, now()::TIMESTAMP)`
}
