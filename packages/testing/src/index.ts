/**
 * @since 0.1.0
 */
export * as StorageSuites from "./StorageSuites.js"

/**
 * @since 0.1.0
 */
export * as FaultyHttpServer from "./FaultyHttpServer.js"

/**
 * @since 0.1.0
 */
export * as KillResume from "./KillResume.js"
