/**
 * @since 0.1.0
 */
export * as AdaptiveConcurrency from "./AdaptiveConcurrency.js"
export * as ExtractMetrics from "./ExtractMetrics.js"
export * as HttpError from "./HttpError.js"
export * as HttpSource from "./HttpSource.js"
export * as Pagination from "./Pagination.js"
export * as RateLimit from "./RateLimit.js"
