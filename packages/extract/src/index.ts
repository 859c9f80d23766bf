/**
 * @since 0.1.0
 */
export * as AdaptiveConcurrency from "./AdaptiveConcurrency.js"
export * as ExtractMetrics from "./ExtractMetrics.js"
export * as HttpError from "./HttpError.js"
export * as HttpSource from "./HttpSource.js"
export * as HttpSourceMonitor from "./HttpSourceMonitor.js"
export * as Pagination from "./Pagination.js"
export * as RateLimit from "./RateLimit.js"

/**
 * @since 0.1.0
 */
export * as Bookmark from "./Bookmark.js"

/**
 * @since 0.1.0
 */
export * as ExtractStore from "./ExtractStore.js"

/**
 * @since 0.1.0
 */
export * as ExtractStoreError from "./ExtractStoreError.js"

/**
 * @since 0.1.0
 */
export * as FailedRequests from "./FailedRequests.js"

/**
 * @since 0.1.0
 */
export * as MetricsStore from "./MetricsStore.js"

/**
 * @since 0.1.0
 */
export * as PageCheckpoint from "./PageCheckpoint.js"

/**
 * @since 0.1.0
 */
export * as RawArchive from "./RawArchive.js"

/**
 * @since 0.1.0
 */
export * as ResponseCache from "./ResponseCache.js"
