/**
 * @since 0.1.0
 */
export * as Ui from "./Ui.js"
