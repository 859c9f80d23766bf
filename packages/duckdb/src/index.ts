/**
 * @since 0.1.0
 */
export * as DuckDB from "./DuckDB.js"

/**
 * @since 0.1.0
 */
export * as DuckDBError from "./DuckDBError.js"

/**
 * @since 0.1.0
 */
export * as Sql from "./Sql.js"

/**
 * @since 0.1.0
 */
export * as Tables from "./Tables.js"

/**
 * @since 0.1.0
 */
export * as Staging from "./Staging.js"

/**
 * @since 0.1.0
 */
export * as Parquet from "./Parquet.js"

/**
 * @since 0.1.0
 */
export * as Backup from "./Backup.js"

/**
 * @since 0.1.0
 */
export * as Migrations from "./Migrations.js"

/**
 * Batched writes: inputs that fibers submit at the same time are written by one call, in one transaction.
 *
 * @since 0.1.0
 */
export * as BatchWriter from "./BatchWriter.js"

/**
 * Many rows updated in place or inserted, in two statements whatever their number.
 *
 * @since 0.1.0
 */
export * as Upsert from "./Upsert.js"

/**
 * Rebuilding tables whose key index DuckDB left inconsistent.
 *
 * @since 0.1.0
 */
export * as Repair from "./Repair.js"

/**
 * @since 0.1.0
 */
export * as DuckDBEventLog from "./DuckDBEventLog.js"

/**
 * @since 0.1.0
 */
export * as DuckDBAssetState from "./DuckDBAssetState.js"
