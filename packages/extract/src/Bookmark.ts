/**
 * Bookmarks for large syncs, stored in DuckDB (`meta.bookmarks`), generic over the field names:
 *
 * - **full sync** by descending id: the first request has no filter (ordering `-id`, highest first); each stored batch
 *   moves the bookmark down to its lowest id, and the next request asks for `id < bookmark`. A batch with no records
 *   completes the sync.
 * - **incremental** by modification time with an overlap: each stored batch moves the bookmark up to its newest
 *   timestamp, and the next request asks for `mod_ts >= bookmark - overlap` (default 30 minutes, so records written
 *   late or with skewed clocks are not missed — re-read records are deduplicated downstream). The first request
 *   starts at `now - initialLookback` (default the overlap).
 *
 * A bookmark only moves one way (down for full sync, up for incremental). `advance` joins the caller's DuckDB
 * transaction, so store a batch and advance its bookmark in one `DuckDB.withTransaction` to resume exactly.
 *
 * @example
 * ```ts
 * import { Bookmark } from "@baliza/extract"
 * import { Effect } from "effect"
 *
 * const updates = Bookmark.incremental({ name: "contratos/updates", field: "dataAtualizacao" })
 * const next = Effect.gen(function*() {
 *   const bookmarks = yield* Bookmark.Bookmark
 *   const filter = yield* bookmarks.filter(updates) // { params: { dataAtualizacao__gte: "…" }, ordering: "dataAtualizacao", … }
 *   return filter.params
 * })
 * ```
 *
 * @since 0.1.0
 */
import type * as DuckDB from "@baliza/duckdb/DuckDB"
import type * as Migrations from "@baliza/duckdb/Migrations"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type * as ExtractStoreError from "./ExtractStoreError.js"
import * as internal from "./internal/bookmark.js"

/**
 * The `meta.bookmarks` table.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Migrations.MigrationSet = internal.migrations

/**
 * A full sync by descending `field` (default `id`); `param` is the query parameter of the filter (default
 * `<field>__lt`).
 *
 * @since 0.1.0
 * @category models
 */
export interface FullSync {
  readonly _tag: "FullSync"
  readonly name: string
  readonly field: string
  readonly param: string
}

/**
 * An incremental sync by the modification time in `field` (default `mod_ts`); `param` is the query parameter of the
 * filter (default `<field>__gte`), `format` renders a timestamp for it (default ISO 8601 UTC).
 *
 * @since 0.1.0
 * @category models
 */
export interface Incremental {
  readonly _tag: "Incremental"
  readonly name: string
  readonly field: string
  readonly param: string
  readonly overlap: Duration.Duration
  readonly initialLookback: Duration.Duration
  readonly format: (millis: number) => string
}

/**
 * @since 0.1.0
 * @category models
 */
export type Definition = FullSync | Incremental

/**
 * @since 0.1.0
 * @category models
 */
export interface FullSyncOptions {
  readonly name: string
  readonly field?: string | undefined
  readonly param?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface IncrementalOptions {
  readonly name: string
  readonly field?: string | undefined
  readonly param?: string | undefined
  readonly overlap?: Duration.DurationInput | undefined
  readonly initialLookback?: Duration.DurationInput | undefined
  readonly format?: ((millis: number) => string) | undefined
}

/**
 * A stored bookmark: the lowest id reached (full sync) or the newest modification time in epoch milliseconds
 * (incremental), `null` before the first batch; `completed` once a full sync found nothing below its bookmark.
 *
 * @since 0.1.0
 * @category models
 */
export const State = internal.State

/**
 * @since 0.1.0
 * @category models
 */
export interface State extends Schema.Schema.Type<typeof State> {}

/**
 * The filter of the next request: `field operator value` (`id < 1234`, `mod_ts >= 2024-…`), the same as query
 * `params`, and the `ordering` to ask for (`-id` or `mod_ts`). A full sync's first request has no value and no params.
 *
 * @since 0.1.0
 * @category models
 */
export interface Filter {
  readonly field: string
  readonly operator: "<" | ">="
  readonly value: Option.Option<number | string>
  readonly ordering: string
  readonly params: Readonly<Record<string, string>>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly get: (definition: Definition) => Effect.Effect<Option.Option<State>, ExtractStoreError.ExtractStoreError>
  readonly filter: (definition: Definition) => Effect.Effect<Filter, ExtractStoreError.ExtractStoreError>
  /** Moves the bookmark past a stored batch of records (read `definition.field` of each). */
  readonly advance: (
    definition: Definition,
    records: Iterable<unknown>
  ) => Effect.Effect<State, ExtractStoreError.ExtractStoreError>
  /** Sets the bookmark (a timestamp may be given as ISO text). */
  readonly set: (
    definition: Definition,
    value: number | string,
    completed?: boolean
  ) => Effect.Effect<State, ExtractStoreError.ExtractStoreError>
  readonly reset: (definition: Definition) => Effect.Effect<void, ExtractStoreError.ExtractStoreError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Bookmark extends Context.Tag("@baliza/extract/Bookmark")<Bookmark, Service>() {}

/**
 * @since 0.1.0
 * @category constructors
 */
export const fullSync: (options: FullSyncOptions) => FullSync = internal.fullSync

/**
 * @since 0.1.0
 * @category constructors
 */
export const incremental: (options: IncrementalOptions) => Incremental = internal.incremental

/**
 * Bookmarks in the database of the `DuckDB` service.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> = internal.make

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Bookmark, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> = Layer.effect(
  Bookmark,
  make
)

/**
 * The bookmark after a batch of records (pure); `Left` with a message when a record's field cannot be read.
 *
 * @since 0.1.0
 * @category utils
 */
export const step: (
  definition: Definition,
  current: Option.Option<State>,
  records: Iterable<unknown>,
  nowMillis: number
) => Either.Either<State, string> = internal.step

/**
 * The filter of the next request given the stored bookmark (pure).
 *
 * @since 0.1.0
 * @category utils
 */
export const filterOf: (definition: Definition, current: Option.Option<State>, nowMillis: number) => Filter =
  internal.filterOf

/**
 * A timestamp in epoch milliseconds from a number, a Date or ISO text (naive text is read as UTC).
 *
 * @since 0.1.0
 * @category utils
 */
export const timestampOf: (value: unknown) => Option.Option<number> = internal.timestampOf
