/**
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"

/**
 * @since 0.1.0
 */
export * as CliError from "./CliError.js"

/**
 * @since 0.1.0
 */
export * as Inspect from "./Inspect.js"

/**
 * @since 0.1.0
 */
export * as Materialize from "./Materialize.js"

/**
 * @since 0.1.0
 */
export * as Partitions from "./Partitions.js"

/**
 * @since 0.1.0
 */
export * as Query from "./Query.js"

/**
 * @since 0.1.0
 */
export * as Recover from "./Recover.js"

/**
 * @since 0.1.0
 */
export * as Maintain from "./Maintain.js"

/**
 * @since 0.1.0
 */
export * as Project from "./Project.js"

/**
 * @since 0.1.0
 */
export * as Serve from "./Serve.js"
