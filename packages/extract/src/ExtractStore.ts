/**
 * The storage half of `@baliza/extract` in one layer: the raw archive, page checkpoints, the response cache,
 * bookmarks, failed requests and persisted metrics, all in the database of the `DuckDB` service.
 *
 * @example
 * ```ts
 * import { DuckDB } from "@baliza/duckdb"
 * import { ExtractStore, RawArchive } from "@baliza/extract"
 * import { Effect, Layer } from "effect"
 *
 * const Live = ExtractStore.layer().pipe(
 *   Layer.provideMerge(DuckDB.layer({ path: "./data/baliza.duckdb", options: { storage_compatibility_version: "v1.2.0" } }))
 * )
 * const figures = Effect.flatMap(RawArchive.RawArchive, (archive) => archive.stats).pipe(Effect.provide(Live))
 * ```
 *
 * @since 0.1.0
 */
import type * as DuckDB from "@baliza/duckdb/DuckDB"
import type * as Migrations from "@baliza/duckdb/Migrations"
import * as Layer from "effect/Layer"
import * as Bookmark from "./Bookmark.js"
import type * as ExtractStoreError from "./ExtractStoreError.js"
import * as FailedRequests from "./FailedRequests.js"
import * as MetricsStore from "./MetricsStore.js"
import * as PageCheckpoint from "./PageCheckpoint.js"
import * as RawArchive from "./RawArchive.js"
import * as ResponseCache from "./ResponseCache.js"

/**
 * Every migration set of the storage half, in the order they apply (each service also runs its own when it is made).
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: ReadonlyArray<Migrations.MigrationSet> = [
  RawArchive.migrations,
  PageCheckpoint.migrations,
  ResponseCache.migrations,
  Bookmark.migrations,
  FailedRequests.migrations,
  MetricsStore.migrations
]

/**
 * The services {@link layer} provides.
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | RawArchive.RawArchive
  | PageCheckpoint.PageCheckpoint
  | ResponseCache.ResponseCache
  | Bookmark.Bookmark
  | FailedRequests.FailedRequests
  | MetricsStore.MetricsStore

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly cache?: ResponseCache.Options | undefined
}

/**
 * Every storage service over the `DuckDB` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<Services, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> =>
  Layer.mergeAll(
    PageCheckpoint.layer,
    ResponseCache.layer(options.cache),
    Bookmark.layer,
    FailedRequests.layer,
    MetricsStore.layer
  ).pipe(Layer.provideMerge(RawArchive.layer))
