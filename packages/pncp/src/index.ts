/**
 * @since 0.1.0
 */
export * as Endpoints from "./Endpoints.js"

/**
 * @since 0.1.0
 */
export * as PncpClient from "./PncpClient.js"

/**
 * @since 0.1.0
 */
export * as PncpFake from "./PncpFake.js"

/**
 * @since 0.1.0
 */
export * as Pipeline from "./Pipeline.js"

/**
 * @since 0.1.0
 */
export * as SchemaDrift from "./SchemaDrift.js"

/**
 * @since 0.1.0
 */
export * as Schemas from "./Schemas.js"

/**
 * @since 0.1.0
 */
export * as Warehouse from "./Warehouse.js"

/**
 * @since 0.1.0
 */
export * as RawAssets from "./Assets/Raw.js"

/**
 * @since 0.1.0
 */
export * as DetailsAssets from "./Assets/Details.js"

/**
 * @since 0.1.0
 */
export * as StagingAssets from "./Assets/Staging.js"

/**
 * @since 0.1.0
 */
export * as MartAssets from "./Assets/Marts.js"

/**
 * @since 0.1.0
 */
export * as TableAssets from "./Assets/Tables.js"

/**
 * @since 0.1.0
 */
export * as CodeTables from "./CodeTables.js"

/**
 * @since 0.1.0
 */
export * as CodeTableAssets from "./Assets/CodeTables.js"
