import { DuckDB, Staging } from "@baliza/duckdb"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Exit, Layer, Schema } from "effect"
import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import type * as ExtractStoreError from "../src/ExtractStoreError.js"
import * as RawArchive from "../src/RawArchive.js"
import { emptyPage, page, samplePages } from "./fixtures/pages.js"

const sha256 = (bytes: Uint8Array) => Crypto.createHash("sha256").update(bytes).digest("hex")

const failureOf = <A>(exit: Exit.Exit<A, ExtractStoreError.ExtractStoreError>): ExtractStoreError.ExtractStoreError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (failure === undefined) throw new Error(`expected a typed failure, got ${exit.cause._tag}`)
  return failure
}

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "baliza-archive-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

const Archive = RawArchive.layer.pipe(Layer.provideMerge(DuckDB.layerMemory))

describe("RawArchive (file)", () => {
  it.scoped("stores the real PNCP sample pages compressed by DuckDB (storage v1.2.0) and reads them back", () =>
    Effect.gen(function*() {
      // The real PNCP sample pages when this machine has them, PNCP-shaped pages of 500 records otherwise.
      const samples = samplePages()
      const pages = samples.length > 0
        ? samples
        : [1, 2, 3].map((n) => page(n, { endpoint: "synthetic", perPage: 500, totalPages: 3 }))
      const path = Path.join(yield* tempDir, "archive.duckdb")
      const db = yield* DuckDB.make({ path, options: { storage_compatibility_version: "v1.2.0" } })
      const archive = yield* Effect.provideService(RawArchive.make, DuckDB.DuckDB, db)
      const result = yield* archive.archive(pages)
      yield* db.execute("CHECKPOINT")
      const stats = yield* archive.stats
      assert.isTrue(stats.compressesPayloads)
      assert.strictEqual(stats.payloadBytes, result.bytes)
      const [{ compression }] = yield* db.query(
        `SELECT list(DISTINCT compression) AS compression FROM pragma_storage_info('raw.payload_segment_0')
         WHERE column_name = 'payload' AND segment_type = 'VARCHAR'`
      )
      assert.deepStrictEqual(compression, ["ZSTD"])
      for (const archived of result.archived) {
        const bytes = yield* archive.fetchPayload(archived.sha256)
        assert.strictEqual(bytes.length, archived.size)
      }
    }))

  it.scoped("reports an old storage version, whose payloads DuckDB would not compress", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const old = yield* DuckDB.make({
        path: Path.join(dir, "old.duckdb"),
        options: { storage_compatibility_version: "v0.10.2" }
      })
      const stats = yield* Effect.flatMap(Effect.provideService(RawArchive.make, DuckDB.DuckDB, old), (a) => a.stats)
      assert.isFalse(stats.compressesPayloads)
      assert.match(stats.storageVersion ?? "", /^v/)
      // A file created with the defaults uses a storage version whose strings DuckDB compresses.
      const fresh = yield* DuckDB.make({ path: Path.join(dir, "new.duckdb") })
      const freshStats = yield* Effect.flatMap(Effect.provideService(RawArchive.make, DuckDB.DuckDB, fresh), (a) =>
        a.stats)
      assert.isTrue(freshStats.compressesPayloads)
    }))
  it.scopedLive("two payload writers: concurrent archives store each payload once, each writer in a segment of its own", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: Path.join(yield* tempDir, "writers.duckdb") })
      const archive = yield* Effect.provideService(RawArchive.makeWith({ payloadWriters: 2 }), DuckDB.DuckDB, db)
      // Every call carries the same body too, so concurrent transactions of both writers insert one key at once.
      const shared = new TextEncoder().encode(JSON.stringify({ data: [{ id: "shared" }] }))
      const calls = Array.from({ length: 12 }, (_, c) => [
        ...[1, 2, 3].map((n) => page(n, { endpoint: `writers-${c}`, perPage: 20 + c, totalPages: 4 })),
        page(4, { endpoint: `writers-${c}`, body: shared })
      ])
      const results = yield* Effect.forEach(calls, (pages) => archive.archive(pages), { concurrency: "unbounded" })
      const distinct = new Set(calls.flat().map((p) => sha256(p.body)))
      const stats = yield* archive.stats
      assert.strictEqual(stats.requests, 12 * 4)
      assert.strictEqual(stats.payloads, distinct.size)
      assert.strictEqual(results.reduce((sum, r) => sum + r.newPayloads, 0), distinct.size, "each new exactly once")
      const segments = yield* db.query(
        "SELECT segment, count(*)::INTEGER AS n FROM raw.payload_index GROUP BY segment ORDER BY segment"
      )
      assert.deepStrictEqual(segments.map((row) => Number(row.segment)), [0, 1], "one segment per writer")
      for (const p of calls.flat()) assert.deepStrictEqual(yield* archive.fetchPayload(sha256(p.body)), p.body)
      const [{ joined }] = yield* db.query("SELECT count(*)::INTEGER AS joined FROM raw.api_pages")
      assert.strictEqual(joined, 12 * 4, "every request finds its payload")
    }))

  it.scoped("two archives on one database append to segments of their own", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: Path.join(yield* tempDir, "owners.duckdb") })
      const archive = yield* Effect.provideService(RawArchive.make, DuckDB.DuckDB, db)
      // Each archive's payload writer owns the segment it appends to: the second starts a segment of its own.
      const other = yield* Effect.provideService(RawArchive.make, DuckDB.DuckDB, db)
      yield* Effect.all([
        archive.archive([page(1, { endpoint: "first", perPage: 7 })]),
        other.archive([page(1, { endpoint: "second", perPage: 8 })])
      ], { concurrency: 2 })
      const segments = yield* db.query(
        `SELECT r.endpoint, i.segment FROM raw.api_requests r JOIN raw.payload_index i ON i.sha256 = r.payload_sha256
         WHERE r.endpoint IN ('first', 'second') ORDER BY r.endpoint`
      )
      assert.strictEqual(segments.length, 2)
      assert.notStrictEqual(Number(segments[0]!.segment), Number(segments[1]!.segment))
    }))

  it.scoped("payloads go to segments of segmentBytes, committed before their requests; reopening continues the last", () =>
    Effect.gen(function*() {
      const path = Path.join(yield* tempDir, "segments.duckdb")
      const pagesOf = (from: number, to: number) =>
        Array.from(
          { length: to - from + 1 },
          (_, i) => page(from + i, { endpoint: "seg", perPage: 40, totalPages: 99 })
        )
      const largest = Math.max(...pagesOf(1, 8).map((p) => p.body.length))
      const segmentBytes = Math.floor(largest * 2.5)
      const segmentsOf = (db: DuckDB.Service) =>
        Effect.map(
          db.query("SELECT segment, count(*)::INTEGER AS n FROM raw.payload_index GROUP BY segment ORDER BY segment"),
          (rows) => rows.map((row) => [Number(row.segment), Number(row.n)])
        )
      yield* Effect.scoped(Effect.gen(function*() {
        const db = yield* DuckDB.make({ path })
        const archive = yield* Effect.provideService(RawArchive.makeWith({ segmentBytes }), DuckDB.DuckDB, db)
        // 2 pages a call, segments of 2.5 pages: each call after the first starts a new segment.
        for (const [from, to] of [[1, 2], [3, 4], [5, 6]] as const) yield* archive.archive(pagesOf(from, to))
        assert.deepStrictEqual(yield* segmentsOf(db), [[0, 2], [1, 2], [2, 2]])
        // A call whose requests fail: its payloads were committed first (segment 3), its requests are not kept.
        const failed = yield* Effect.exit(db.withTransaction(
          Effect.zipRight(archive.archive(pagesOf(7, 8)), Effect.fail("rolled back" as const))
        ))
        assert.isTrue(Exit.isFailure(failed))
        assert.deepStrictEqual(yield* segmentsOf(db), [[0, 2], [1, 2], [2, 2], [3, 2]])
        const [{ n }] = yield* db.query("SELECT count(*)::INTEGER AS n FROM raw.api_requests")
        assert.strictEqual(n, 6)
        for (const p of pagesOf(1, 8)) {
          assert.deepStrictEqual(yield* archive.fetchPayload(sha256(p.body)), p.body)
        }
      }))
      const db = yield* DuckDB.make({ path })
      const archive = yield* Effect.provideService(RawArchive.makeWith({ segmentBytes }), DuckDB.DuckDB, db)
      const again = yield* archive.archive(pagesOf(7, 8))
      assert.deepStrictEqual(again.archived.map((a) => a.isNew), [false, false], "stored by the failed call")
      assert.deepStrictEqual(yield* segmentsOf(db), [[0, 2], [1, 2], [2, 2], [3, 2]])
      const [{ pages, payloads }] = yield* db.query(
        "SELECT (SELECT count(*) FROM raw.api_pages)::INTEGER AS pages, (SELECT count(*) FROM raw.api_payloads)::INTEGER AS payloads"
      )
      assert.deepStrictEqual([pages, payloads], [8, 8])
    }))
})

layer(Archive)("RawArchive (memory)", (it) => {
  it.effect("archives pages with their request metadata and serves the bytes back", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const pages = [page(1, { etag: "\"v1\"" }), page(2), emptyPage(3)]
      const result = yield* archive.archive(pages, { partitionKey: "2024-01-01", runId: "run-1" })
      assert.strictEqual(result.pages, 3)
      assert.strictEqual(result.newPayloads, 3)
      assert.strictEqual(result.records, 6)
      assert.strictEqual(result.bytes, pages[0]!.body.length + pages[1]!.body.length)
      const rows = yield* archive.requests({ runId: "run-1" })
      assert.deepStrictEqual(rows.map((r) => [r.page, r.status, r.partitionKey, r.etag]), [
        [1, 200, "2024-01-01", "\"v1\""],
        [2, 200, "2024-01-01", null],
        [3, 204, "2024-01-01", null]
      ])
      assert.deepStrictEqual(rows[0]!.params, { dataFinal: "20240101", dataInicial: "20240101", pagina: "1" })
      assert.strictEqual(rows[0]!.collectedAtMillis, pages[0]!.fetchedAtMillis)
      assert.strictEqual(rows[0]!.totalPages, 10)
      assert.match(rows[0]!.requestId, /^[0-9a-f-]{36}$/)
      for (const [i, p] of pages.entries()) {
        const bytes = yield* archive.fetchPayload(rows[i]!.sha256)
        assert.deepStrictEqual(Array.from(bytes), Array.from(p.body))
      }
      assert.deepStrictEqual(yield* archive.fetchJson(rows[1]!.sha256), pages[1]!.json)
      assert.strictEqual(yield* archive.fetchJson(rows[2]!.sha256), null)
    }))

  it.effect("archiveMany stores several batches at once, each with its options and its own result", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      // Page 2 of the second batch repeats page 1 of the first: it is new only where it comes first.
      const first = [page(1, { totalPages: 77 }), page(2, { totalPages: 77 })]
      const second = [emptyPage(1), page(1, { totalPages: 77 })]
      const [a, b, none] = yield* archive.archiveMany([
        { pages: first, options: { endpoint: "many_a", partitionKey: "2024-02-01", runId: "many" } },
        { pages: second, options: { endpoint: "many_b", partitionKey: "2024-02-02", runId: "many" } },
        { pages: [] }
      ])
      assert.deepStrictEqual([a!.pages, a!.newPayloads, a!.records], [2, 2, 6])
      assert.deepStrictEqual(a!.archived.map((x) => x.isNew), [true, true])
      // (the empty body of a 204 may be archived already by another test)
      assert.deepStrictEqual([b!.pages, b!.newBytes, b!.archived[1]!.isNew], [2, 0, false])
      assert.strictEqual(b!.archived[1]!.sha256, a!.archived[0]!.sha256)
      assert.deepStrictEqual([none!.pages, none!.archived], [0, []])
      const rows = yield* archive.requests({ runId: "many" })
      const described = rows.map((r) => [r.endpoint, r.partitionKey, r.page, r.status] as const)
      assert.deepStrictEqual([...described].sort((x, y) => x.join().localeCompare(y.join())), [
        ["many_a", "2024-02-01", 1, 200],
        ["many_a", "2024-02-01", 2, 200],
        ["many_b", "2024-02-02", 1, 200],
        ["many_b", "2024-02-02", 1, 204]
      ])
    }))

  it.effect("archives an empty batch as nothing, and a large batch through the Appender", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const empty = yield* archive.archive([])
      assert.deepStrictEqual([empty.pages, empty.newPayloads], [0, 0])
      const many = Array.from({ length: 70 }, (_, i) => page(i + 1, { endpoint: "bulk", totalPages: 70 }))
      const result = yield* archive.archive(many, { partitionKey: "bulk" })
      assert.strictEqual(result.pages, 70)
      const rows = yield* archive.requests({ endpoint: "bulk" })
      assert.deepStrictEqual(rows.map((r) => r.page), Array.from({ length: 70 }, (_, i) => i + 1))
      assert.isTrue(rows.every((r) => r.partitionKey === "bulk" && r.totalPages === 70))
    }))

  it.effect("stores the same body once: a second request references the first payload", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const body = new TextEncoder().encode(JSON.stringify({ data: [{ id: "dedup" }] }))
      const same = page(1, { endpoint: "dedup", body, fetchedAtMillis: 1 })
      const again = page(1, { endpoint: "dedup", body, fetchedAtMillis: 2 })
      const first = yield* archive.archive([same, again])
      assert.strictEqual(first.pages, 2)
      assert.strictEqual(first.newPayloads, 1)
      assert.deepStrictEqual(first.archived.map((a) => a.isNew), [true, false])
      const later = yield* archive.archive([{ ...again, fetchedAtMillis: 3 }])
      assert.strictEqual(later.newPayloads, 0)
      assert.strictEqual(later.newBytes, 0)
      const rows = yield* archive.requests({ endpoint: "dedup" })
      assert.strictEqual(rows.length, 3)
      assert.strictEqual(new Set(rows.map((r) => r.sha256)).size, 1)
      const [{ n }] = yield* DuckDB.query("SELECT count(*) AS n FROM raw.api_payloads WHERE sha256 = $1", [
        rows[0]!.sha256
      ])
      assert.strictEqual(n, 1)
    }))

  it.effect("keeps bodies that are not UTF-8 text byte for byte", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0xc3])
      const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])
      const result = yield* archive.archive([page(1, { endpoint: "bin", body: bytes }), page(2, { body: bom })])
      assert.deepStrictEqual(Array.from(yield* archive.fetchPayload(result.archived[0]!.sha256)), Array.from(bytes))
      assert.deepStrictEqual(Array.from(yield* archive.fetchPayload(result.archived[1]!.sha256)), Array.from(bom))
    }))

  it.effect("fetchPayload fails NotFound for an unknown hash, InvalidInput for a malformed one", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const missing = failureOf(yield* Effect.exit(archive.fetchPayload("a".repeat(64))))
      assert.strictEqual(missing.reason, "NotFound")
      assert.include(missing.message, "a".repeat(64))
      assert.strictEqual(failureOf(yield* Effect.exit(archive.fetchPayload("xyz"))).reason, "InvalidInput")
    }))

  it.effect("a tampered payload fails Corrupt instead of returning wrong bytes", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const stored = yield* archive.putPayload(new TextEncoder().encode("{\"a\":1}"), 5)
      assert.isTrue(stored.isNew)
      assert.isFalse((yield* archive.putPayload(new TextEncoder().encode("{\"a\":1}"), 6)).isNew)
      yield* DuckDB.execute("UPDATE raw.payload_segment_0 SET payload = '{\"a\":2}' WHERE sha256 = $1", [
        stored.sha256
      ])
      assert.strictEqual(failureOf(yield* Effect.exit(archive.fetchPayload(stored.sha256))).reason, "Corrupt")
    }))

  it.effect("a failed archive call leaves no request; its payload stays, and archiving again finds it", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const body = new TextEncoder().encode(JSON.stringify({ data: [{ id: "rolled-back" }] }))
      const before = yield* archive.stats
      const exit = yield* Effect.exit(DuckDB.withTransaction(Effect.gen(function*() {
        yield* archive.archive([page(1, { endpoint: "rolled-back", body })])
        return yield* Effect.fail("boom" as const)
      })))
      assert.isTrue(Exit.isFailure(exit))
      const after = yield* archive.stats
      assert.strictEqual(after.requests, before.requests, "the request rolled back with the transaction")
      // The payload was committed first, on a payload writer: content-addressed, so it is simply found again.
      assert.strictEqual(after.payloads, before.payloads + 1)
      assert.isTrue(yield* archive.hasPayload(sha256(body)))
      const again = yield* archive.archive([page(1, { endpoint: "rolled-back", body })])
      assert.deepStrictEqual(again.archived.map((a) => a.isNew), [false])
      assert.strictEqual((yield* archive.requests({ endpoint: "rolled-back" })).length, 1)
    }))

  it.effect("storePayloads stores before the transaction: archiving the same pages then records only requests", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const pages = [1, 2, 3].map((n) => page(n, { endpoint: "stored-first", totalPages: 3 }))
      yield* archive.storePayloads(pages)
      const stored = yield* archive.stats
      for (const p of pages) assert.isTrue(yield* archive.hasPayload(sha256(p.body)))
      assert.strictEqual((yield* archive.requests({ endpoint: "stored-first" })).length, 0, "no request yet")
      const result = yield* DuckDB.withTransaction(archive.archive(pages))
      assert.deepStrictEqual(result.archived.map((a) => a.isNew), [true, true, true], "new when they were stored")
      assert.strictEqual((yield* archive.stats).payloads, stored.payloads, "no payload stored twice")
      assert.strictEqual((yield* archive.requests({ endpoint: "stored-first" })).length, 3)
    }))

  it.effect("raw.api_pages feeds Staging: records of archived pages become typed rows, 204s add none", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      yield* archive.archive([page(1, { endpoint: "staged" }), page(2, { endpoint: "staged" }), emptyPage(3, "staged")])
      const staged = yield* Staging.stageJsonPages({
        source: "raw.api_pages",
        payload: "payload",
        schema: Schema.Struct({ id: Schema.Number, objeto: Schema.String }),
        target: "staged_contratos",
        where: "endpoint = 'staged'"
      })
      assert.strictEqual(staged, 6)
      const ids = yield* DuckDB.query("SELECT list(id ORDER BY id) AS ids FROM staged_contratos")
      assert.deepStrictEqual(ids[0]!.ids, [1, 2, 3, 4, 5, 6])
    }))
})
