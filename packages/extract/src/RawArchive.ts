/**
 * The raw archive: every response body stored in DuckDB, once per distinct content, with the request that produced
 * it — the audit trail staging reads from and `fetchPayload(sha256)` serves back byte for byte.
 *
 * **Details**
 *
 * In the `raw` schema:
 * - `raw.api_payloads`: one row per distinct body, keyed by its `sha256`; `payload` holds the body as JSON text
 *   (VARCHAR) when it is valid UTF-8 — which every JSON body is — and `payload_bytes` (BLOB) holds any other body.
 *   An empty body (HTTP 204) has neither, so `from_json(payload, …)` reads it as no records. It is a view over
 *   segment tables (`raw.payload_segment_<n>`, about `segmentBytes` of bodies each, default 8 MiB) and
 *   `raw.payload_index` maps each sha256 to its segment: DuckDB rewrites a table's last row group at every checkpoint
 *   after an append, so one growing table would recompress the whole archive again and again.
 * - `raw.api_requests`: one row per response (request id, endpoint, URL, params JSON, partition key, page, cursor,
 *   HTTP status, etag, `payload_sha256`, `payload_size`, records, total pages/records, attempts, duration, run id,
 *   ingestion date, `collected_at`). The same body fetched twice is two requests and one payload.
 * - `raw.api_pages`: a view joining each request to its `payload`, the `source` to give `Staging.stageJsonPages`.
 *
 * Payloads are written by payload writers (`payloadWriters`, default 1): write connections of their own
 * (`DuckDB.Service.writeConnection`), each appending to a segment of its own, so storing a page's payload (the large
 * part of a write) does not hold the writer, which commits the requests and their checkpoints.
 *
 * Compression is DuckDB's own: in a database file created with storage version v1.2.0 or later DuckDB stores large
 * strings with ZSTD (measured on the real PNCP sample pages: 10.9× on JSON text against 9.9× for gzip -6 and 10.2×
 * for brotli q4 done in Node), and the payloads stay readable from SQL. Older storage versions keep large strings
 * uncompressed: {@link Service.stats} reports the file's storage version and {@link make} warns when payloads would
 * not be compressed (open new files with `options: { storage_compatibility_version: "v1.2.0" }`).
 *
 * @since 0.1.0
 */
import type * as DuckDB from "@baliza/duckdb/DuckDB"
import type * as Migrations from "@baliza/duckdb/Migrations"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Schema from "effect/Schema"
import type * as ExtractStoreError from "./ExtractStoreError.js"
import type * as HttpSource from "./HttpSource.js"
import * as internal from "./internal/rawArchive.js"

/**
 * The tables of the archive (`raw.api_payloads`, `raw.api_requests`) and the `raw.api_pages` view.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Migrations.MigrationSet = internal.migrations

/**
 * Where archived pages come from: the `partitionKey` they belong to, the `runId` that fetched them, and an
 * `endpoint` name overriding the page's own.
 *
 * @since 0.1.0
 * @category models
 */
export interface ArchiveOptions {
  readonly endpoint?: string | undefined
  readonly partitionKey?: string | null | undefined
  readonly runId?: string | undefined
}

/**
 * Pages to archive with their options, one of several stored together by {@link Service.archiveMany}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ArchiveBatch {
  readonly pages: Iterable<HttpSource.Page>
  readonly options?: ArchiveOptions | undefined
}

/**
 * One archived page: its request id, page number, content hash and size, and whether its payload was new.
 *
 * @since 0.1.0
 * @category models
 */
export interface Archived {
  readonly requestId: string
  readonly page: number
  readonly sha256: string
  readonly size: number
  readonly isNew: boolean
}

/**
 * What one {@link Service.archive} call stored: `pages` (requests), their body `bytes`, the records they hold, the
 * `newPayloads` and `newBytes` actually written (the rest were already archived).
 *
 * @since 0.1.0
 * @category models
 */
export interface ArchiveResult {
  readonly pages: number
  readonly bytes: number
  readonly records: number
  readonly newPayloads: number
  readonly newBytes: number
  readonly archived: ReadonlyArray<Archived>
}

/**
 * A stored payload: its hash, its size and whether it was new.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredPayload {
  readonly sha256: string
  readonly size: number
  readonly isNew: boolean
}

/**
 * A row of `raw.api_requests`.
 *
 * @since 0.1.0
 * @category models
 */
export const ArchivedRequest = internal.ArchivedRequest

/**
 * @since 0.1.0
 * @category models
 */
export interface ArchivedRequest extends Schema.Schema.Type<typeof ArchivedRequest> {}

/**
 * Which requests to list; every field narrows, and requests come in collection order.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestFilter {
  readonly endpoint?: string | undefined
  readonly partitionKey?: string | undefined
  readonly runId?: string | undefined
}

/**
 * Figures of the archive: requests, distinct payloads, bytes of the distinct payloads (`payloadBytes`) and of all
 * responses (`responseBytes`, what storing every response would cost without dedup), and the database file's
 * storage version with whether DuckDB compresses the payloads (`null` and `false` in memory).
 *
 * @since 0.1.0
 * @category models
 */
export const Stats = internal.Stats

/**
 * @since 0.1.0
 * @category models
 */
export interface Stats extends Schema.Schema.Type<typeof Stats> {}

/**
 * The archive.
 *
 * - `archive`: stores pages: first their payloads, on a payload writer (a write connection of its own, its own
 *   transaction), then their requests in one transaction on the writer (joining the caller's, so a checkpoint can
 *   commit with them). A request is thus never committed without its payload; a payload may be without requests
 *   (when the requests' transaction fails), which is harmless: payloads are content-addressed, and storing one again
 *   finds it there.
 * - `archiveMany`: stores several batches of pages, one result per batch (one statement per table for all of them:
 *   many series committing at once, see `PageCheckpoint`). A page (the same object) keeps its request id when it is
 *   archived again; with `skipStored` its request is not recorded again when it is already there, for a transaction
 *   run again after a COMMIT that reported a failure once its rows were durable (see `BatchWriter`).
 * - `storePayloads`: stores the pages' payloads now; archiving the same pages (the same objects) later only records
 *   their requests. A caller stores payloads before its transaction, so the writer does not wait for them.
 * - `putPayload`: stores a body alone (e.g. for the response cache), committed on a payload writer whatever
 *   transaction the caller is in; returns its hash.
 * - `fetchPayload`: the original bytes of a body (`NotFound` when unknown, `Corrupt` when its hash differs).
 * - `fetchJson`: the body parsed as JSON (`null` for an empty body).
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly archive: (
    pages: Iterable<HttpSource.Page>,
    options?: ArchiveOptions
  ) => Effect.Effect<ArchiveResult, ExtractStoreError.ExtractStoreError>
  readonly archiveMany: (
    batches: ReadonlyArray<ArchiveBatch>,
    options?: { readonly skipStored?: boolean | undefined }
  ) => Effect.Effect<ReadonlyArray<ArchiveResult>, ExtractStoreError.ExtractStoreError>
  readonly storePayloads: (pages: Iterable<HttpSource.Page>) => Effect.Effect<void, ExtractStoreError.ExtractStoreError>
  readonly putPayload: (
    body: Uint8Array,
    collectedAtMillis?: number
  ) => Effect.Effect<StoredPayload, ExtractStoreError.ExtractStoreError>
  readonly hasPayload: (sha256: string) => Effect.Effect<boolean, ExtractStoreError.ExtractStoreError>
  readonly fetchPayload: (sha256: string) => Effect.Effect<Uint8Array, ExtractStoreError.ExtractStoreError>
  readonly fetchJson: (sha256: string) => Effect.Effect<unknown, ExtractStoreError.ExtractStoreError>
  readonly requests: (
    filter?: RequestFilter
  ) => Effect.Effect<ReadonlyArray<ArchivedRequest>, ExtractStoreError.ExtractStoreError>
  readonly stats: Effect.Effect<Stats, ExtractStoreError.ExtractStoreError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class RawArchive extends Context.Tag("@baliza/extract/RawArchive")<RawArchive, Service>() {}

/**
 * The table of payload segment `n` (`raw.payload_segment_<n>`): readers that must bound how many pages one statement
 * sees (staging parses a vector of 2,048 rows at a time) read segment by segment.
 *
 * @since 0.1.0
 * @category utils
 */
export const segmentTable: (n: number) => string = internal.segmentTable

/**
 * Options of an archive:
 * - `segmentBytes`: the bytes of bodies a payload segment holds before the next one starts (default 8 MiB).
 * - `payloadWriters`: write connections that store payloads concurrently with the writer, each into a segment of its
 *   own (default 1).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly segmentBytes?: number | undefined
  readonly payloadWriters?: number | undefined
}

/**
 * An archive in the database of the `DuckDB` service (its migrations run first), with options.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWith: (
  options?: Options
) => Effect.Effect<Service, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> = internal.make

/**
 * An archive in the database of the `DuckDB` service (its migrations run first).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> = internal.make()

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<RawArchive, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> = Layer.effect(
  RawArchive,
  make
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (
  options: Options
): Layer.Layer<RawArchive, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> =>
  Layer.effect(RawArchive, makeWith(options))
