/**
 * Page checkpoints of an extraction: the pages of an (endpoint, partition) are archived in batches, and each
 * batch's requests commit **in one DuckDB transaction with the checkpoint that covers them**, after the batch's
 * payloads (stored first by the archive's payload writer) — so a killed run resumes right after the last committed
 * page, and no page is ever stored twice.
 *
 * **Details**
 *
 * - `archivePages(stream, options)` consumes a stream of {@link HttpSource.Page}s: pages the checkpoint already
 *   covers (or that repeat within the stream) are dropped, the rest are grouped by `checkpointEvery` (default 10:
 *   a commit costs ~2 ms on a file, so one per page would cap a writer near 500 pages/s) and each group is archived
 *   with {@link RawArchive} (its payloads first, `RawArchive.storePayloads`) and checkpointed in one transaction.
 *   `batchSize` caps the pages archived by one call (the work of one run); the next call continues where it
 *   stopped. When the stream fails, the pages already received are committed (the last, partial batch too) before
 *   the failure propagates; an interruption drops that batch.
 * - The checkpoint keeps the contiguous prefix of archived pages (`lastPage`) and the pages archived beyond a gap
 *   (`pendingPages`), so unordered streams (`HttpSource` with `order: "unordered"`) resume correctly too.
 * - A partition is `completed` when its last page (the envelope's total) is archived, or, without a total, when the
 *   stream delivered the page its series ends at (`Page.last`, which `HttpSource.pages` sets; a `maxPages` or
 *   `batchSize` cut is not an end) with no gap — unless `complete: false`. `nextPage` says where to resume
 *   (`fromPage` for `HttpSource.pages`), `None` when there is nothing left.
 * - Checkpoints live in `meta.page_checkpoints`, keyed by (endpoint, partition). They are the extraction's own, apart
 *   from the asset state's step checkpoints (`AssetState.Checkpoint`).
 *
 * @example
 * ```ts
 * import { HttpSource, PageCheckpoint, Pagination } from "@baliza/extract"
 * import { Effect, Option } from "effect"
 *
 * const extractDay = (day: string) =>
 *   Effect.gen(function*() {
 *     const source = yield* HttpSource.HttpSource
 *     const checkpoints = yield* PageCheckpoint.PageCheckpoint
 *     const next = yield* checkpoints.nextPage("contratos", day)
 *     if (Option.isNone(next)) return
 *     const endpoint = { path: "v1/contratos", params: { dataInicial: day, dataFinal: day }, pagination: Pagination.pncp() }
 *     yield* checkpoints.archivePages(source.pages(endpoint, { fromPage: next.value }), {
 *       endpoint: "contratos",
 *       partitionKey: day,
 *       checkpointEvery: 20
 *     })
 *   })
 * ```
 *
 * @since 0.1.0
 */
import type * as DuckDB from "@baliza/duckdb/DuckDB"
import type * as Migrations from "@baliza/duckdb/Migrations"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import type * as ExtractStoreError from "./ExtractStoreError.js"
import type * as HttpSource from "./HttpSource.js"
import * as internal from "./internal/pageCheckpoint.js"
import type * as RawArchive from "./RawArchive.js"

/**
 * The `meta.page_checkpoints` table.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Migrations.MigrationSet = internal.migrations

/**
 * The checkpoint of an (endpoint, partition): the last page of the contiguous archived prefix, pages archived beyond
 * a gap, the number of the last page as the envelope announced it (`totalPages`: the announced count when pages are
 * numbered from 1, one less when from 0), running totals (pages, records, bytes), the cursor sent for
 * `lastPage` (cursor pagination), whether the partition is complete, and the run that wrote it.
 *
 * @since 0.1.0
 * @category models
 */
export const Checkpoint = internal.Checkpoint

/**
 * @since 0.1.0
 * @category models
 */
export interface Checkpoint extends Schema.Schema.Type<typeof Checkpoint> {}

/**
 * Options of {@link Service.archivePages}.
 *
 * - `endpoint`, `partitionKey`: what the checkpoint is for (and the archive rows' endpoint and partition).
 * - `checkpointEvery`: pages per transaction (default 10).
 * - `checkpointBytes`: bytes per transaction (default 1 MiB): a batch of large pages commits before it has
 *   `checkpointEvery` of them, so the pages waiting for their commit stay within this size (at least one page).
 * - `batchSize`: at most this many pages archived by this call (default: no limit).
 * - `firstPage`: the number of the first page (default 1), for a fresh checkpoint.
 * - `complete`: mark the partition complete when the stream ends by itself with no gap (default true).
 * - `stored`: the partition's stored checkpoint as the caller just read it (`resumePoints`), so that the call does
 *   not read it again: a run that resumes many series reads their checkpoints in one statement. Pass only what was
 *   read for this run's series, not a checkpoint kept from an earlier run.
 *
 * @since 0.1.0
 * @category models
 */
export interface ArchivePagesOptions {
  readonly endpoint: string
  readonly partitionKey?: string | null | undefined
  readonly runId?: string | undefined
  readonly checkpointEvery?: number | undefined
  readonly checkpointBytes?: number | undefined
  readonly batchSize?: number | undefined
  readonly firstPage?: number | undefined
  readonly complete?: boolean | undefined
  readonly stored?: Option.Option<Checkpoint> | undefined
}

/**
 * What one {@link Service.archivePages} call did: pages archived, their bytes and records, payloads new to the
 * archive, pages `skipped` (already archived), transactions committed, and the checkpoint it left.
 *
 * @since 0.1.0
 * @category models
 */
export interface ArchivePagesResult {
  readonly pages: number
  readonly bytes: number
  readonly records: number
  readonly newPayloads: number
  readonly skipped: number
  readonly commits: number
  readonly checkpoint: Checkpoint
}

/**
 * Which checkpoints to list.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListFilter {
  readonly endpoint?: string | undefined
  readonly completed?: boolean | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly archivePages: <E, R>(
    pages: Stream.Stream<HttpSource.Page, E, R>,
    options: ArchivePagesOptions
  ) => Effect.Effect<ArchivePagesResult, E | ExtractStoreError.ExtractStoreError, R>
  /** The stored checkpoint, `None` when the partition was never started. */
  readonly resumePoint: (
    endpoint: string,
    partitionKey?: string | null
  ) => Effect.Effect<Option.Option<Checkpoint>, ExtractStoreError.ExtractStoreError>
  /** The stored checkpoints of an endpoint's partitions, by partition key (those never started are absent). */
  readonly resumePoints: (
    endpoint: string,
    partitionKeys: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyMap<string, Checkpoint>, ExtractStoreError.ExtractStoreError>
  /** The page to resume from (`firstPage`, default 1, when never started), `None` when nothing is left to fetch. */
  readonly nextPage: (
    endpoint: string,
    partitionKey?: string | null,
    firstPage?: number
  ) => Effect.Effect<Option.Option<number>, ExtractStoreError.ExtractStoreError>
  readonly complete: (endpoint: string, partitionKey?: string | null) => Effect.Effect<
    void,
    ExtractStoreError.ExtractStoreError
  >
  /** Forgets the checkpoint, so the partition is extracted again from its first page (archived rows stay). */
  readonly reset: (endpoint: string, partitionKey?: string | null) => Effect.Effect<
    void,
    ExtractStoreError.ExtractStoreError
  >
  readonly list: (filter?: ListFilter) => Effect.Effect<ReadonlyArray<Checkpoint>, ExtractStoreError.ExtractStoreError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class PageCheckpoint extends Context.Tag("@baliza/extract/PageCheckpoint")<PageCheckpoint, Service>() {}

/**
 * Page checkpoints in the database of the `DuckDB` service, archiving through the `RawArchive` service.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB | RawArchive.RawArchive> =
  internal.make

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  PageCheckpoint,
  ExtractStoreError.ExtractStoreError,
  DuckDB.DuckDB | RawArchive.RawArchive
> = Layer.effect(PageCheckpoint, make)

/**
 * Whether page `n` is covered by a checkpoint.
 *
 * @since 0.1.0
 * @category utils
 */
export const isDone: (checkpoint: Checkpoint, n: number) => boolean = internal.isDone

/**
 * The page to resume from, `None` when the checkpoint covers every page.
 *
 * @since 0.1.0
 * @category utils
 */
export const nextPage: (checkpoint: Checkpoint) => Option.Option<number> = internal.nextPage

/**
 * The page to resume from given a partition's stored checkpoint (from `resumePoint` or `resumePoints`): `firstPage`
 * (default 1) when it was never started, `None` when nothing is left — what the service's `nextPage` answers without
 * reading it again.
 *
 * @since 0.1.0
 * @category utils
 */
export const resumeFrom: (stored: Option.Option<Checkpoint>, firstPage?: number) => Option.Option<number> =
  internal.resumeFrom
