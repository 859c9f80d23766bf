/**
 * @since 0.1.0
 */
export * as StorageSuites from "./StorageSuites.js"
