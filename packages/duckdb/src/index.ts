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
