/**
 * The main entry holds what runs anywhere. `StorageSuites` registers vitest tests, so it loads only inside vitest and
 * is reached as its own subpath, `@baliza/testing/StorageSuites`.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as FaultyHttpServer from "./FaultyHttpServer.js"

/**
 * @since 0.1.0
 */
export * as KillResume from "./KillResume.js"
