import * as BatchWriter from "@baliza/duckdb/BatchWriter"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as DuckDBError from "@baliza/duckdb/DuckDBError"
import * as Migrations from "@baliza/duckdb/Migrations"
import * as Sql from "@baliza/duckdb/Sql"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as NodeCrypto from "node:crypto"
import * as ExtractStoreError from "../ExtractStoreError.js"
import type * as HttpSource from "../HttpSource.js"
import type * as RawArchive from "../RawArchive.js"
import * as JsonBytes from "./jsonBytes.js"
import * as store from "./store.js"

/** @internal */
export const schemaSql = `
  CREATE SCHEMA IF NOT EXISTS raw;
  CREATE TABLE raw.api_payloads (
    sha256 VARCHAR PRIMARY KEY,
    size BIGINT NOT NULL,
    payload VARCHAR,
    payload_bytes BLOB,
    first_collected_at TIMESTAMP NOT NULL
  );
  CREATE TABLE raw.api_requests (
    request_id UUID NOT NULL,
    ingestion_date DATE NOT NULL,
    endpoint VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    params VARCHAR NOT NULL,
    partition_key VARCHAR,
    page INTEGER NOT NULL,
    cursor VARCHAR,
    http_status SMALLINT NOT NULL,
    etag VARCHAR,
    payload_sha256 VARCHAR NOT NULL,
    payload_size BIGINT NOT NULL,
    records INTEGER NOT NULL,
    total_pages INTEGER,
    total_records BIGINT,
    attempts INTEGER NOT NULL,
    duration_ms DOUBLE NOT NULL,
    run_id VARCHAR,
    collected_at TIMESTAMP NOT NULL
  );
  CREATE VIEW raw.api_pages AS
    SELECT r.*, p.payload FROM raw.api_requests r JOIN raw.api_payloads p ON p.sha256 = r.payload_sha256`

/** @internal The table of payload segment `n`. */
export const segmentTable = (n: number) => `raw.payload_segment_${n}`

const segmentColumns = "sha256, size, payload, payload_bytes, first_collected_at"

/** @internal `raw.api_payloads`: every segment, as one relation. */
export const payloadsViewSql = (segments: number) =>
  `CREATE OR REPLACE VIEW raw.api_payloads AS ${
    Array.from({ length: segments }, (_, n) => `SELECT ${segmentColumns} FROM ${segmentTable(n)}`).join(" UNION ALL ")
  }`

/**
 * @internal
 * Payloads live in segments of about {@link defaultSegmentBytes}. DuckDB rewrites (and recompresses) a table's last row
 * group at every checkpoint that follows an append, and a row group holds 122,880 rows: in one table every checkpoint
 * would recompress every payload archived so far (measured: 3 days at the real volume spent 10.8 s of 26 s in
 * COMMIT). A new segment table starts a new row group, so a checkpoint rewrites at most one segment.
 * `raw.payload_index` keys each payload to its segment (and keeps the sha256 unique across them);
 * `raw.payload_segments` has each segment's bytes, so finding where to write is a one-row read.
 */
const segmentsSql = `
  CREATE TABLE raw.payload_index (sha256 VARCHAR PRIMARY KEY, segment INTEGER NOT NULL);
  INSERT INTO raw.payload_index SELECT sha256, 0 FROM raw.api_payloads;
  CREATE TABLE raw.payload_segments (segment INTEGER PRIMARY KEY, bytes BIGINT NOT NULL);
  INSERT INTO raw.payload_segments SELECT 0, coalesce(sum(size), 0) FROM raw.api_payloads;
  DROP VIEW raw.api_pages;
  ALTER TABLE raw.api_payloads RENAME TO payload_segment_0;
  ${payloadsViewSql(1)};
  CREATE VIEW raw.api_pages AS
    SELECT r.*, p.payload FROM raw.api_requests r JOIN raw.api_payloads p ON p.sha256 = r.payload_sha256`

/** @internal */
export const migrations = Migrations.make("extract/raw_archive", [
  { id: 1, name: "raw api payloads, requests and pages", up: schemaSql },
  { id: 2, name: "payload segments", up: segmentsSql }
])

/**
 * @internal
 * Raw bytes of payloads a segment holds before the next one starts. Smaller segments cost less at each checkpoint (the
 * last row group is rewritten whole) and let staging parse a segment as one piece, without decompressing what precedes
 * a piece in the middle; more segments make a longer `raw.api_payloads` view (3,000 segments, a year at the real
 * volume: 0.4 s to create it, 0.6 s to plan a query through it). A month at the real volume, three runs each,
 * alternating: 8 MiB 95.2–102.1 s (staging and marts 15.5–17.7 s), 32 MiB 100.3–105.7 s (18.8–19.3 s); minor page
 * faults in extraction 0.87–0.94 M against 1.03–1.07 M; the peak RSS did not change.
 */
export const defaultSegmentBytes = 8 * 1024 * 1024

/** @internal Connections storing payloads concurrently with the writer (see `make`). */
export const defaultPayloadWriters = 1

/** @internal */
export const ArchivedRequest = Schema.Struct({
  requestId: Schema.String,
  endpoint: Schema.String,
  url: Schema.String,
  params: Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.String })),
  partitionKey: Schema.NullOr(Schema.String),
  page: Schema.Number,
  cursor: Schema.NullOr(Schema.String),
  status: Schema.Number,
  etag: Schema.NullOr(Schema.String),
  sha256: Schema.String,
  size: Schema.Number,
  records: Schema.Number,
  totalPages: Schema.NullOr(Schema.Number),
  totalRecords: Schema.NullOr(Schema.Number),
  attempts: Schema.Number,
  durationMillis: Schema.Number,
  runId: Schema.NullOr(Schema.String),
  collectedAtMillis: Schema.Number
}).annotations({ identifier: "RawArchive.ArchivedRequest" })

/** @internal */
export const Stats = Schema.Struct({
  requests: Schema.Number,
  payloads: Schema.Number,
  payloadBytes: Schema.Number,
  responseBytes: Schema.Number,
  storageVersion: Schema.NullOr(Schema.String),
  compressesPayloads: Schema.Boolean
}).annotations({ identifier: "RawArchive.Stats" })

const requestColumns = [
  "request_id",
  "ingestion_date",
  "endpoint",
  "url",
  "params",
  "partition_key",
  "page",
  "cursor",
  "http_status",
  "etag",
  "payload_sha256",
  "payload_size",
  "records",
  "total_pages",
  "total_records",
  "attempts",
  "duration_ms",
  "run_id",
  "collected_at"
] as const

const selectRequests = `SELECT
  request_id AS "requestId", endpoint, url, params, partition_key AS "partitionKey", page, cursor,
  http_status AS status, etag, payload_sha256 AS sha256, payload_size AS size, records,
  total_pages AS "totalPages", total_records AS "totalRecords", attempts, duration_ms AS "durationMillis",
  run_id AS "runId", epoch_ms(collected_at) AS "collectedAtMillis"
  FROM raw.api_requests`

interface Body {
  readonly sha256: string
  readonly size: number
  /** Whether the bytes go to the `payload` VARCHAR (they are text) rather than `payload_bytes`. */
  readonly isText: boolean
  readonly bytes: Uint8Array
  readonly collectedAt: Date
}

const bodyOf = (bytes: Uint8Array, collectedAtMillis: number): Body => ({
  sha256: store.sha256(bytes),
  size: bytes.length,
  isText: bytes.length > 0 && store.isText(bytes),
  bytes,
  collectedAt: new Date(collectedAtMillis)
})

interface Stored {
  readonly body: Body
  /** Whether this page was the first to store its payload. */
  readonly isNew: boolean
}

// Every archive on a database shares one record of which payload writer owns which segment.
const segmentOwners = new WeakMap<DuckDB.Service, Map<number, object>>()
const ownersOf = (db: DuckDB.Service) => {
  const found = segmentOwners.get(db)
  if (found !== undefined) return found
  const made = new Map<number, object>()
  segmentOwners.set(db, made)
  return made
}

/**
 * A statement that can only fail on a key or a table because another connection's transaction wrote it first (a
 * payload inserted, or a segment created, by another payload writer): the batch runs again (see `BatchWriter`).
 */
const concurrentWrite = (error: DuckDBError.DuckDBError): DuckDBError.DuckDBError =>
  error.reason === "Constraint" || error.reason === "Catalog"
    ? DuckDBError.make("Conflict", `Another payload writer wrote first: ${error.message}`, {
      cause: error,
      sql: error.sql
    })
    : error

/** The bodies with distinct sha256s, first occurrences. */
const distinctBodies = (bodies: ReadonlyArray<Body>): ReadonlyArray<Body> => {
  const distinct = new Map<string, Body>()
  for (const body of bodies) if (!distinct.has(body.sha256)) distinct.set(body.sha256, body)
  return [...distinct.values()]
}

const isSha256 = (text: string) => /^[0-9a-f]{64}$/.test(text)

// Storage versions before v1.2.0 keep strings longer than a block uncompressed (measured: 1.0×).
const compresses = (version: string | null) => version !== null && !/^v(0\.|1\.[01]\.)/.test(version)

/** @internal */
export const make = (
  options: RawArchive.Options = {}
): Effect.Effect<RawArchive.Service, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> =>
  Effect.gen(function*() {
    const db = yield* DuckDB.DuckDB
    const segmentBytes = yield* store.positiveInt("segmentBytes", options.segmentBytes, defaultSegmentBytes)
    const writerCount = yield* store.positiveInt("payloadWriters", options.payloadWriters, defaultPayloadWriters)
    yield* Migrations.run([migrations]).pipe(store.storage("Creating the raw archive"))

    const storageVersion = yield* db.query(
      "SELECT path, tags FROM duckdb_databases() WHERE database_name = current_database()"
    ).pipe(
      Effect.map((rows) => {
        const row = rows[0]
        if (row === undefined || row.path === null) return null
        const tags = Array.isArray(row.tags) ? row.tags : []
        for (const tag of tags) {
          if (typeof tag === "object" && tag !== null && "key" in tag && tag.key === "storage_version") {
            return String(tag.value)
          }
        }
        return null
      }),
      store.storage("Reading the storage version")
    )
    if (db.path !== ":memory:" && !compresses(storageVersion)) {
      yield* Effect.logWarning(
        `The database ${db.path} has storage version ${storageVersion ?? "unknown"}: DuckDB stores the archived ` +
          `payloads uncompressed. Create new database files with options ` +
          `{ storage_compatibility_version: "v1.2.0" } to have them compressed with ZSTD (about 10× on PNCP pages).`
      )
    }

    // Payloads are stored by payload writers, each on a write connection of its own and into a segment of its own, in
    // their own transactions: the writer, which commits the requests and the pages' checkpoints, does not wait for
    // them. A payload is content-addressed, so one stored by a transaction whose requests then fail is harmless.
    interface PayloadWriter {
      readonly sql: DuckDB.WriteConnection
      /** The segment this writer appends to, once it has chosen one. */
      segment: number | undefined
      /** Submissions waiting for it: new ones go to the least busy writer. */
      waiting: number
    }
    // Which writer appends to which segment: another writer starts its own rather than share one (two writers on one
    // segment would conflict on its `raw.payload_segments` row). Shared by every archive on this database.
    const owners = ownersOf(db)
    const own = (writer: PayloadWriter, segment: number) => {
      release(writer)
      writer.segment = segment
      owners.set(segment, writer)
      return segment
    }
    const release = (writer: PayloadWriter) => {
      if (writer.segment !== undefined && owners.get(writer.segment) === writer) owners.delete(writer.segment)
      writer.segment = undefined
    }
    const hasRoom = (bytes: number, incoming: number) => bytes === 0 || bytes + incoming <= segmentBytes

    // The segment the writer's next payloads go to. Read in its transaction, so a rolled-back segment is never
    // assumed to exist (the writer then starts a new one again).
    const segmentFor = (writer: PayloadWriter, incoming: number) =>
      Effect.gen(function*() {
        // A segment whose creation rolled back, or that another writer took meanwhile, is no longer this writer's.
        if (writer.segment !== undefined && owners.get(writer.segment) !== writer) release(writer)
        if (writer.segment !== undefined) {
          // (literal SQL: the transaction's BEGIN goes with it)
          const [mine] = yield* writer.sql.query(
            `SELECT bytes FROM raw.payload_segments WHERE segment = ${writer.segment}`
          )
          if (mine === undefined) release(writer)
          else if (hasRoom(Number(mine.bytes), incoming)) return writer.segment
        } else {
          const [last] = yield* writer.sql.query(
            "SELECT segment, bytes FROM raw.payload_segments ORDER BY segment DESC LIMIT 1"
          )
          if (last !== undefined && !owners.has(Number(last.segment)) && hasRoom(Number(last.bytes), incoming)) {
            return own(writer, Number(last.segment))
          }
        }
        const [{ next }] = yield* writer.sql.query(
          "SELECT (coalesce(max(segment), -1) + 1)::INTEGER AS next FROM raw.payload_segments"
        )
        const segment = Number(next)
        yield* writer.sql.execute(
          `CREATE TABLE ${segmentTable(segment)} (sha256 VARCHAR NOT NULL, size BIGINT NOT NULL, payload VARCHAR,
             payload_bytes BLOB, first_collected_at TIMESTAMP NOT NULL);
           INSERT INTO raw.payload_segments VALUES (${segment}, 0);
           ${payloadsViewSql(segment + 1)}`
        ).pipe(Effect.mapError(concurrentWrite))
        return own(writer, segment)
      })

    // Inserts the bodies not stored yet: the index's primary key decides, RETURNING says which were new.
    const insertBodies = (writer: PayloadWriter, bodies: ReadonlyArray<Body>) =>
      Effect.gen(function*() {
        if (bodies.length === 0) return new Set<string>()
        const segment = yield* segmentFor(writer, bodies.reduce((sum, body) => sum + body.size, 0))
        const claimed = yield* writer.sql.query(
          `INSERT INTO raw.payload_index VALUES ${bodies.map((_, i) => `($${i + 1}, ${segment})`).join(", ")}
           ON CONFLICT DO NOTHING RETURNING sha256`,
          bodies.map((body) => body.sha256)
        ).pipe(Effect.mapError(concurrentWrite))
        const fresh = new Set(claimed.map((row) => String(row.sha256)))
        // The text goes as bytes and DuckDB decodes it: no JS string copy of every page (UTF-8 checked above).
        const { params, sql } = Sql.valuesRows(
          bodies.filter((body) => fresh.has(body.sha256)).map((body) => [
            body.sha256,
            body.size,
            body.isText ? body.bytes : null,
            body.size > 0 && !body.isText ? body.bytes : null,
            body.collectedAt
          ]),
          { expression: (text, column) => column === 2 ? `decode(${text}::BLOB)` : text }
        )
        if (params.length > 0) {
          yield* writer.sql.execute(`INSERT INTO ${segmentTable(segment)} VALUES ${sql}`, params)
          const added = bodies.reduce((sum, body) => sum + (fresh.has(body.sha256) ? body.size : 0), 0)
          yield* writer.sql.executeDeferred(
            `UPDATE raw.payload_segments SET bytes = bytes + ${added} WHERE segment = ${segment}`
          )
        }
        return fresh
      })

    // Each writer stores what callers submitted meanwhile in one transaction (up to 16 submissions, as many series'
    // batches as the writer's group commit shares); a submission's output is the sha256s it was the first to store.
    const payloadWriters = yield* Effect.forEach(
      Array.from({ length: writerCount }, (_, i) => i),
      (i) =>
        Effect.gen(function*() {
          const writer: PayloadWriter = {
            sql: yield* db.writeConnection(`raw-archive-payloads-${i}`),
            segment: undefined,
            waiting: 0
          }
          const batches = yield* BatchWriter.make((inputs: ReadonlyArray<ReadonlyArray<Body>>) =>
            Effect.map(insertBodies(writer, distinctBodies(inputs.flat())), (fresh) =>
              inputs.map((bodies) => {
                const firsts = new Set<string>()
                for (const body of bodies) {
                  if (fresh.delete(body.sha256)) firsts.add(body.sha256)
                }
                return firsts
              })), { maxBatch: 16, connection: writer.sql }).pipe(Effect.provideService(DuckDB.DuckDB, db))
          return { writer, submit: batches.submit }
        })
    ).pipe(store.storage("Opening the payload writers"))

    /** Stores bodies on the least busy payload writer; the sha256s of those it stored first. */
    const storeBodies = (bodies: ReadonlyArray<Body>) =>
      Effect.suspend(() => {
        if (bodies.length === 0) return Effect.succeed(new Set<string>())
        const chosen = payloadWriters.reduce((a, b) => b.writer.waiting < a.writer.waiting ? b : a)
        chosen.writer.waiting++
        return chosen.submit(bodies).pipe(Effect.ensuring(Effect.sync(() => chosen.writer.waiting--)))
      })

    // Pages whose payloads `storePayloads` stored, with what it found: `archiveMany` then only records their requests.
    const storedPages = new WeakMap<HttpSource.Page, Stored>()

    const storePayloads = (pages: Iterable<HttpSource.Page>) =>
      Effect.gen(function*() {
        const list = Array.from(pages)
        const bodies = list.map((page) => bodyOf(page.body, page.fetchedAtMillis))
        const fresh = yield* storeBodies(distinctBodies(bodies))
        // A new payload is new for the first page that carries it.
        list.forEach((page, i) => {
          const body = bodies[i]!
          if (!storedPages.has(page)) storedPages.set(page, { body, isNew: fresh.delete(body.sha256) })
        })
      }).pipe(store.storage("Storing payloads"))

    // A batch of pages (several series' at once, see `archiveMany`) goes in one INSERT, written as literals and sent
    // with the transaction's COMMIT; only large batches go through `appendRows` (measured ~3 ms per transaction on a
    // file against ~8 ms through `appendRows`, whose setup dominates small batches).
    const insertRequests = (rows: ReadonlyArray<ReadonlyArray<DuckDB.Value>>, skipStored: boolean) => {
      if (rows.length === 0) return Effect.void
      if (skipStored) {
        // rare (a transaction run again): the requests a durable but failed COMMIT stored are left as they are
        return db.executeDeferred(
          `INSERT INTO raw.api_requests (${requestColumns.join(", ")}) SELECT * FROM (VALUES ${
            Sql.literalRows(rows)
          }) AS v(${
            requestColumns.join(", ")
          }) WHERE v.request_id::UUID NOT IN (SELECT request_id FROM raw.api_requests)`
        )
      }
      if (rows.length > 256) return Effect.asVoid(db.appendRows("raw.api_requests", requestColumns, rows))
      return db.executeDeferred(
        `INSERT INTO raw.api_requests (${requestColumns.join(", ")}) VALUES ${Sql.literalRows(rows)}`
      )
    }

    // A page archived again (its transaction run again) keeps its request id, so the first one can be recognized.
    const requestIdOf = new WeakMap<HttpSource.Page, string>()
    const requestId = (page: HttpSource.Page) => {
      let id = requestIdOf.get(page)
      if (id === undefined) {
        id = NodeCrypto.randomUUID()
        requestIdOf.set(page, id)
      }
      return id
    }

    // Several batches of pages (each with its options): their payloads first (unless `storePayloads` stored them), then
    // their requests in one transaction, one statement for all of them.
    const archiveMany = (
      batches: ReadonlyArray<RawArchive.ArchiveBatch>,
      archiveOptions?: { readonly skipStored?: boolean | undefined }
    ) =>
      Effect.gen(function*() {
        const lists = batches.map((batch) => Array.from(batch.pages))
        yield* storePayloads(lists.flat().filter((page) => !storedPages.has(page)))
        const stored = lists.map((list) => list.map((page) => storedPages.get(page)!))
        // Each stored page counts once: archiving it again (or after a rollback) finds its payload already there.
        for (const page of lists.flat()) storedPages.delete(page)
        const requestIds = lists.map((list) => list.map(requestId))
        const rows = lists.flatMap((list, b) => {
          const options = batches[b]!.options ?? {}
          return list.map((page, i): ReadonlyArray<DuckDB.Value> => [
            requestIds[b]![i]!,
            new Date(store.dayOf(page.fetchedAtMillis)),
            options.endpoint ?? page.endpoint,
            page.url,
            store.paramsJson(page.params),
            options.partitionKey ?? null,
            page.page,
            page.cursor ?? null,
            page.status,
            page.etag ?? null,
            stored[b]![i]!.body.sha256,
            stored[b]![i]!.body.size,
            page.info.records,
            page.info.totalPages ?? null,
            page.info.totalRecords ?? null,
            page.attempts,
            page.durationMillis,
            options.runId ?? null,
            new Date(page.fetchedAtMillis)
          ])
        })
        yield* db.withTransaction(insertRequests(rows, archiveOptions?.skipStored === true)).pipe(
          store.storage("Archiving pages")
        )
        return lists.map((list, b): RawArchive.ArchiveResult => {
          const archived = list.map((page, i): RawArchive.Archived => {
            const { body, isNew } = stored[b]![i]!
            return { requestId: requestIds[b]![i]!, page: page.page, sha256: body.sha256, size: body.size, isNew }
          })
          const newOnes = archived.filter((page) => page.isNew)
          return {
            pages: list.length,
            bytes: archived.reduce((sum, page) => sum + page.size, 0),
            records: list.reduce((sum, page) => sum + page.info.records, 0),
            newPayloads: newOnes.length,
            newBytes: newOnes.reduce((sum, page) => sum + page.size, 0),
            archived
          }
        })
      })

    const archive = (pages: Iterable<HttpSource.Page>, options: RawArchive.ArchiveOptions = {}) =>
      Effect.map(archiveMany([{ pages, options }]), (results) => results[0]!)

    const putPayload = (body: Uint8Array, collectedAtMillis?: number) =>
      Effect.gen(function*() {
        const at = collectedAtMillis ?? (yield* Effect.clockWith((clock) => clock.currentTimeMillis))
        const prepared = bodyOf(body, at)
        const fresh = yield* storeBodies([prepared]).pipe(store.storage("Storing a payload"))
        return { sha256: prepared.sha256, size: prepared.size, isNew: fresh.has(prepared.sha256) }
      })

    const fetchPayload = (sha256: string) =>
      Effect.gen(function*() {
        const hash = sha256.toLowerCase()
        if (!isSha256(hash)) {
          return yield* ExtractStoreError.make("InvalidInput", `"${sha256}" is not a sha256 (64 hex digits).`)
        }
        const rows = yield* db.query("SELECT segment FROM raw.payload_index WHERE sha256 = $1", [hash]).pipe(
          Effect.flatMap(([found]) =>
            found === undefined ? Effect.succeed([]) : db.query(
              `SELECT size, payload, payload_bytes FROM ${segmentTable(Number(found.segment))} WHERE sha256 = $1`,
              [hash]
            )
          ),
          store.storage(`Reading payload ${hash}`)
        )
        const row = rows[0]
        if (row === undefined) {
          return yield* ExtractStoreError.make("NotFound", `No archived payload has sha256 ${hash}.`)
        }
        const bytes = typeof row.payload === "string"
          ? store.bytesOf(row.payload)
          : row.payload_bytes instanceof Uint8Array
          ? row.payload_bytes
          : new Uint8Array(0)
        if (store.sha256(bytes) !== hash) {
          return yield* ExtractStoreError.make(
            "Corrupt",
            `The archived payload ${hash} (${bytes.length} bytes) no longer matches its sha256.`
          )
        }
        return bytes
      })

    const fetchJson = (sha256: string) =>
      Effect.flatMap(fetchPayload(sha256), (bytes) =>
        bytes.length === 0 ? Effect.succeed(null) : Effect.try({
          try: (): unknown => JsonBytes.parse(bytes),
          catch: (cause) =>
            ExtractStoreError.make("Corrupt", `The archived payload ${sha256} is not JSON: ${store.messageOf(cause)}`)
        }))

    const requests = (filter: RawArchive.RequestFilter = {}) => {
      const conditions: Array<string> = []
      const params: Array<DuckDB.Value> = []
      const add = (column: string, value: string | undefined) => {
        if (value === undefined) return
        params.push(value)
        conditions.push(`${column} = $${params.length}`)
      }
      add("endpoint", filter.endpoint)
      add("partition_key", filter.partitionKey)
      add("run_id", filter.runId)
      const where = conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`
      return db.queryAs(ArchivedRequest)(`${selectRequests}${where} ORDER BY collected_at, page`, params).pipe(
        store.storage("Listing archived requests")
      )
    }

    const stats = db.query(`SELECT
        (SELECT count(*) FROM raw.api_requests) AS requests,
        (SELECT coalesce(sum(payload_size), 0) FROM raw.api_requests) AS response_bytes,
        (SELECT count(*) FROM raw.api_payloads) AS payloads,
        (SELECT coalesce(sum(size), 0) FROM raw.api_payloads) AS payload_bytes`).pipe(
      Effect.map((rows): RawArchive.Stats => {
        const row = rows[0]
        return {
          requests: Number(row?.requests ?? 0),
          payloads: Number(row?.payloads ?? 0),
          payloadBytes: Number(row?.payload_bytes ?? 0),
          responseBytes: Number(row?.response_bytes ?? 0),
          storageVersion,
          compressesPayloads: db.path !== ":memory:" && compresses(storageVersion)
        }
      }),
      store.storage("Reading archive figures")
    )

    const hasPayload = (sha256: string) =>
      db.query("SELECT 1 AS found FROM raw.payload_index WHERE sha256 = $1", [sha256.toLowerCase()]).pipe(
        Effect.map((rows) => rows.length > 0),
        store.storage(`Looking up payload ${sha256}`)
      )

    return { archive, archiveMany, storePayloads, putPayload, hasPayload, fetchPayload, fetchJson, requests, stats }
  })
