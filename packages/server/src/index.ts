/**
 * @since 0.1.0
 */
export * as ServerApi from "./ServerApi.js"

/**
 * @since 0.1.0
 */
export * as Server from "./Server.js"
