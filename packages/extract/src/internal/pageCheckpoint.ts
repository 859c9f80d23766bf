import * as BatchWriter from "@baliza/duckdb/BatchWriter"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Migrations from "@baliza/duckdb/Migrations"
import * as Upsert from "@baliza/duckdb/Upsert"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as HttpSource from "../HttpSource.js"
import type * as PageCheckpoint from "../PageCheckpoint.js"
import * as RawArchive from "../RawArchive.js"
import { isPastEnd } from "./paging.js"
import * as store from "./store.js"

/** @internal */
export const migrations = Migrations.make("extract/page_checkpoints", [{
  id: 1,
  name: "page checkpoints",
  up: `
    CREATE SCHEMA IF NOT EXISTS meta;
    CREATE TABLE meta.page_checkpoints (
      endpoint VARCHAR NOT NULL,
      partition_key VARCHAR NOT NULL,
      last_page INTEGER NOT NULL,
      pending_pages INTEGER[] NOT NULL,
      total_pages INTEGER,
      pages BIGINT NOT NULL,
      records BIGINT NOT NULL,
      bytes BIGINT NOT NULL,
      last_cursor VARCHAR,
      completed BOOLEAN NOT NULL,
      run_id VARCHAR,
      started_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL,
      PRIMARY KEY (endpoint, partition_key)
    )`
}])

/** @internal */
export const Checkpoint = Schema.Struct({
  endpoint: Schema.String,
  partitionKey: Schema.NullOr(Schema.String),
  lastPage: Schema.Number,
  pendingPages: Schema.Array(Schema.Number),
  totalPages: Schema.NullOr(Schema.Number),
  pages: Schema.Number,
  records: Schema.Number,
  bytes: Schema.Number,
  lastCursor: Schema.NullOr(Schema.String),
  completed: Schema.Boolean,
  runId: Schema.NullOr(Schema.String),
  startedAtMillis: Schema.Number,
  updatedAtMillis: Schema.Number
}).annotations({ identifier: "PageCheckpoint.Checkpoint" })

const select = `SELECT endpoint, nullif(partition_key, '') AS "partitionKey", last_page AS "lastPage",
  pending_pages AS "pendingPages", total_pages AS "totalPages", pages, records, bytes, last_cursor AS "lastCursor",
  completed, run_id AS "runId", epoch_ms(started_at) AS "startedAtMillis", epoch_ms(updated_at) AS "updatedAtMillis"
  FROM meta.page_checkpoints`

/** @internal Whether page `n` is already archived according to `checkpoint`. */
export const isDone = (checkpoint: PageCheckpoint.Checkpoint, n: number): boolean =>
  n <= checkpoint.lastPage || checkpoint.pendingPages.includes(n)

/**
 * @internal
 * The checkpoint after `batch` was archived: the contiguous prefix moves past every page now archived, and the total
 * follows what the pages said, in the order they were fetched.
 *
 * Pages fetched at once answer in any order, so a total announced before the series grew can arrive after a larger
 * one: announcements only ever raise the total. What lowers it is a page past the series' end (a 204, or a page with
 * no records whose own total ends before it: the series shrank), and without any total the page it ends at
 * (`Page.last`, unless `endsAtLast` is false).
 * A total too high costs one request for a page past the end on the next run; one too low would lose pages for good.
 */
export const advance = (
  checkpoint: PageCheckpoint.Checkpoint,
  batch: ReadonlyArray<HttpSource.Page>,
  archived: { readonly records: number; readonly bytes: number },
  runId: string | null,
  nowMillis: number,
  firstPage = 1,
  endsAtLast = true
): PageCheckpoint.Checkpoint => {
  const pending = new Set(checkpoint.pendingPages)
  let totalPages = checkpoint.totalPages
  const cursors = new Map<number, string>()
  for (const page of [...batch].sort((a, b) => a.fetchedAtMillis - b.fetchedAtMillis)) {
    pending.add(page.page)
    // kept as the last page's number, which page numbers compare with: the count when pages start at 1
    const ownEnd = page.info.totalPages === undefined ? undefined : firstPage - 1 + page.info.totalPages
    if (ownEnd !== undefined) totalPages = Math.max(totalPages ?? Number.NEGATIVE_INFINITY, ownEnd)
    // The checkpoint completes in the commit that archives its end: completing it after the stream ends could be
    // lost to a kill, and a resume would fetch past the end, a page per run.
    if (isPastEnd(page, ownEnd)) {
      totalPages = Math.min(totalPages ?? Number.POSITIVE_INFINITY, page.page - 1)
    } else if (page.last === true && endsAtLast && page.info.totalPages === undefined) {
      totalPages = Math.min(totalPages ?? Number.POSITIVE_INFINITY, page.page)
    }
    if (page.cursor !== undefined) cursors.set(page.page, page.cursor)
  }
  let lastPage = checkpoint.lastPage
  let lastCursor = checkpoint.lastCursor
  while (pending.has(lastPage + 1)) {
    lastPage++
    pending.delete(lastPage)
    lastCursor = cursors.get(lastPage) ?? lastCursor
  }
  return {
    ...checkpoint,
    lastPage,
    pendingPages: [...pending].sort((a, b) => a - b),
    totalPages,
    pages: checkpoint.pages + batch.length,
    records: checkpoint.records + archived.records,
    bytes: checkpoint.bytes + archived.bytes,
    lastCursor,
    completed: checkpoint.completed || (totalPages !== null && lastPage >= totalPages && pending.size === 0),
    runId,
    updatedAtMillis: nowMillis
  }
}

/** @internal The first page still to fetch, `None` when the partition is complete or every page is archived. */
export const nextPage = (checkpoint: PageCheckpoint.Checkpoint): Option.Option<number> =>
  checkpoint.completed ||
    (checkpoint.totalPages !== null && checkpoint.lastPage >= checkpoint.totalPages &&
      checkpoint.pendingPages.length === 0)
    ? Option.none()
    : Option.some(checkpoint.lastPage + 1)

/** @internal Where a partition resumes given its stored checkpoint, if any: page 1 when it was never started. */
export const resumeFrom = (
  stored: Option.Option<PageCheckpoint.Checkpoint>,
  firstPage = 1
): Option.Option<number> => Option.match(stored, { onNone: () => Option.some(firstPage), onSome: nextPage })

// Series whose batches share one transaction: their pages are bound to its statements at once, so this bounds the
// memory of a commit (up to this many × checkpointBytes) as much as it saves statements.
const MAX_SERIES_PER_COMMIT = 16

/**
 * @internal
 * Every series holds a batch of pages until it commits: with 32 series of 1 MB pages (PNCP's contratos and PCA), 4 MiB
 * batches held ~130 MB of bodies and a month's extraction peaked at 1,004 MB RSS; 1 MiB peaked at 825 MB with the same
 * wall time (the group commit still shares transactions across series).
 */
export const defaultCheckpointBytes = 1024 * 1024

const fresh = (
  endpoint: string,
  partitionKey: string | null,
  firstPage: number,
  nowMillis: number
): PageCheckpoint.Checkpoint => ({
  endpoint,
  partitionKey,
  lastPage: firstPage - 1,
  pendingPages: [],
  totalPages: null,
  pages: 0,
  records: 0,
  bytes: 0,
  lastCursor: null,
  completed: false,
  runId: null,
  startedAtMillis: nowMillis,
  updatedAtMillis: nowMillis
})

/** @internal */
export const make = Effect.gen(function*() {
  const db = yield* DuckDB.DuckDB
  const archive = yield* RawArchive.RawArchive
  yield* Migrations.run([migrations]).pipe(store.storage("Creating the page checkpoints"))

  const resumePoint = (endpoint: string, partitionKey?: string | null) =>
    db.queryAs(Checkpoint)(`${select} WHERE endpoint = $1 AND partition_key = $2`, [endpoint, partitionKey ?? ""])
      .pipe(Effect.map((rows) => Option.fromNullable(rows[0])), store.storage("Reading a page checkpoint"))

  const resumePoints = (endpoint: string, partitionKeys: ReadonlyArray<string>) =>
    db.queryAs(Checkpoint)(`${select} WHERE endpoint = $1 AND list_contains($2::VARCHAR[], partition_key)`, [
      endpoint,
      [...partitionKeys]
    ]).pipe(
      Effect.map((rows): ReadonlyMap<string, PageCheckpoint.Checkpoint> =>
        new Map(rows.map((row) => [row.partitionKey ?? "", row]))
      ),
      store.storage("Reading page checkpoints")
    )

  // One statement for all the checkpoints, sent with the commit of the batch's transaction.
  const upsert = Upsert.updateOrInsert({
    table: "meta.page_checkpoints",
    deferred: true,
    key: ["endpoint", "partition_key"],
    columns: [
      { name: "endpoint", type: "VARCHAR" },
      { name: "partition_key", type: "VARCHAR" },
      { name: "last_page", type: "INTEGER" },
      { name: "pending_pages", type: "INTEGER[]" },
      { name: "total_pages", type: "INTEGER" },
      { name: "pages", type: "BIGINT" },
      { name: "records", type: "BIGINT" },
      { name: "bytes", type: "BIGINT" },
      { name: "last_cursor", type: "VARCHAR" },
      { name: "completed", type: "BOOLEAN" },
      { name: "run_id", type: "VARCHAR" },
      { name: "updated_at", type: "TIMESTAMP" },
      { name: "started_at", type: "TIMESTAMP", insertOnly: true }
    ]
  })
  const saveAll = (checkpoints: ReadonlyArray<PageCheckpoint.Checkpoint>) =>
    upsert(checkpoints.map((checkpoint) => [
      checkpoint.endpoint,
      checkpoint.partitionKey ?? "",
      checkpoint.lastPage,
      checkpoint.pendingPages,
      checkpoint.totalPages,
      checkpoint.pages,
      checkpoint.records,
      checkpoint.bytes,
      checkpoint.lastCursor,
      checkpoint.completed,
      checkpoint.runId,
      new Date(checkpoint.updatedAtMillis),
      new Date(checkpoint.startedAtMillis)
    ])).pipe(Effect.provideService(DuckDB.DuckDB, db))

  const save = (checkpoint: PageCheckpoint.Checkpoint) => saveAll([checkpoint])

  // The requests of a series' batch and the checkpoint that covers them commit in one transaction (after their
  // payloads, see `commit`), shared with the batches other series commit at the same time (many series checkpoint at
  // once, each a few pages): one statement per table for all of them.
  interface Commit {
    readonly pages: ReadonlyArray<HttpSource.Page>
    readonly options: RawArchive.ArchiveOptions
    readonly checkpoint: PageCheckpoint.Checkpoint
    readonly runId: string | null
    readonly nowMillis: number
    readonly firstPage: number
    readonly endsAtLast: boolean
  }
  const checkpointWriter = yield* BatchWriter.make(
    (batch: ReadonlyArray<Commit>, again: boolean) =>
      Effect.gen(function*() {
        // written again (the transaction failed, perhaps at a COMMIT that had stored it): no request twice
        const results = yield* archive.archiveMany(batch.map(({ options, pages }) => ({ pages, options })), {
          skipStored: again
        })
        const next = batch.map((commit, k) =>
          advance(
            commit.checkpoint,
            commit.pages,
            results[k]!,
            commit.runId,
            commit.nowMillis,
            commit.firstPage,
            commit.endsAtLast
          )
        )
        yield* saveAll(next).pipe(store.storage("Saving page checkpoints"))
        return batch.map((_, k) => [results[k]!, next[k]!] as const)
      }),
    { maxBatch: MAX_SERIES_PER_COMMIT }
  )

  const archivePages = <E, R>(
    pages: Stream.Stream<HttpSource.Page, E, R>,
    options: PageCheckpoint.ArchivePagesOptions
  ) =>
    Effect.gen(function*() {
      const every = yield* store.positiveInt("checkpointEvery", options.checkpointEvery, 10)
      const maxBytes = yield* store.positiveInt("checkpointBytes", options.checkpointBytes, defaultCheckpointBytes)
      const batchSize = options.batchSize === undefined
        ? undefined
        : yield* store.positiveInt("batchSize", options.batchSize, 1)
      const firstPage = options.firstPage ?? 1
      const partitionKey = options.partitionKey ?? null
      const runId = options.runId ?? null
      const started = yield* Clock.currentTimeMillis
      let checkpoint = Option.getOrElse(
        options.stored ?? (yield* resumePoint(options.endpoint, partitionKey)),
        () => fresh(options.endpoint, partitionKey, firstPage, started)
      )
      const taken = new Set<number>()
      // Whether the stream delivered the page its series ends at (`Page.last`): without a total, only that says the
      // series is complete; a stream cut short (`maxPages`) just stops.
      let sawLast = false
      let skipped = 0
      let archivedPages = 0
      let bytes = 0
      let records = 0
      let newPayloads = 0
      let commits = 0

      // A page already committed (by an earlier run, or earlier in this stream) is dropped, never stored twice.
      const accept = (page: HttpSource.Page) => {
        if (page.last === true) sawLast = true
        if (isDone(checkpoint, page.page) || taken.has(page.page)) {
          skipped++
          return false
        }
        taken.add(page.page)
        return true
      }

      const commit = (list: ReadonlyArray<HttpSource.Page>) =>
        Effect.gen(function*() {
          // The payloads first, on a payload writer: the writer's shared transaction then only records the requests and
          // the checkpoint, and does not wait for the payloads.
          yield* archive.storePayloads(list)
          const now = yield* Clock.currentTimeMillis
          const [result, next] = yield* checkpointWriter.submit({
            pages: list,
            options: { endpoint: options.endpoint, partitionKey, runId: options.runId },
            checkpoint,
            runId,
            nowMillis: now,
            firstPage,
            endsAtLast: options.complete !== false
          }).pipe(store.storage(`Checkpointing ${options.endpoint} ${partitionKey ?? ""}`.trim()))
          checkpoint = next
          commits++
          archivedPages += result.pages
          bytes += result.bytes
          records += result.records
          newPayloads += result.newPayloads
          yield* Effect.logDebug(
            `checkpoint ${options.endpoint} ${partitionKey ?? ""}: page ${next.lastPage}/${next.totalPages ?? "?"}`
          )
        })

      const accepted = Stream.filter(pages, accept)
      const limited = batchSize === undefined ? accepted : Stream.take(accepted, batchSize)
      // Batches of `every` pages or `maxBytes` bytes. A failing stream commits the pages it delivered before failing.
      let batch: Array<HttpSource.Page> = []
      let batchBytes = 0
      const flush = Effect.suspend(() => {
        if (batch.length === 0) return Effect.void
        const full = batch
        batch = []
        batchBytes = 0
        return commit(full)
      })
      yield* Stream.runForEach(limited, (page) =>
        Effect.suspend(() => {
          batch.push(page)
          batchBytes += page.body.length
          return batch.length >= every || batchBytes >= maxBytes ? flush : Effect.void
        })).pipe(
          Effect.tapErrorCause((cause) => Cause.isInterruptedOnly(cause) ? Effect.void : Effect.ignore(flush))
        )
      yield* flush

      const cut = batchSize !== undefined && archivedPages >= batchSize
      const ended = !cut && checkpoint.pendingPages.length === 0 &&
        (checkpoint.totalPages === null ? sawLast : checkpoint.lastPage >= checkpoint.totalPages)
      if (options.complete !== false && ended && !checkpoint.completed && checkpoint.lastPage >= firstPage) {
        const completed = { ...checkpoint, completed: true, updatedAtMillis: yield* Clock.currentTimeMillis }
        yield* save(completed).pipe(store.storage(`Completing ${options.endpoint}`))
        checkpoint = completed
        commits++
      }
      return {
        pages: archivedPages,
        bytes,
        records,
        newPayloads,
        skipped,
        commits,
        checkpoint
      }
    })

  const complete = (endpoint: string, partitionKey?: string | null) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const current = Option.getOrElse(
        yield* resumePoint(endpoint, partitionKey),
        () => fresh(endpoint, partitionKey ?? null, 1, now)
      )
      yield* save({ ...current, completed: true, updatedAtMillis: now }).pipe(
        store.storage(`Completing ${endpoint}`)
      )
    })

  const reset = (endpoint: string, partitionKey?: string | null) =>
    db.execute("DELETE FROM meta.page_checkpoints WHERE endpoint = $1 AND partition_key = $2", [
      endpoint,
      partitionKey ?? ""
    ]).pipe(Effect.asVoid, store.storage(`Resetting the checkpoint of ${endpoint}`))

  const list = (filter: PageCheckpoint.ListFilter = {}) => {
    const conditions: Array<string> = []
    const params: Array<DuckDB.Value> = []
    if (filter.endpoint !== undefined) {
      params.push(filter.endpoint)
      conditions.push(`endpoint = $${params.length}`)
    }
    if (filter.completed !== undefined) {
      params.push(filter.completed)
      conditions.push(`completed = $${params.length}`)
    }
    const where = conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`
    return db.queryAs(Checkpoint)(`${select}${where} ORDER BY endpoint, partition_key`, params).pipe(
      store.storage("Listing page checkpoints")
    )
  }

  const service: PageCheckpoint.Service = {
    archivePages,
    resumePoint,
    resumePoints,
    nextPage: (endpoint, partitionKey, firstPage) =>
      Effect.map(resumePoint(endpoint, partitionKey), (stored) => resumeFrom(stored, firstPage)),
    complete,
    reset,
    list
  }
  return service
})
