import { DuckDB } from "@baliza/duckdb"
import { assert, describe, it, layer } from "@effect/vitest"
import { Duration, Effect, FastCheck, Layer, Option, Ref, TestClock } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as RawArchive from "../src/RawArchive.js"
import * as ResponseCache from "../src/ResponseCache.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const body = (text: string) => encoder.encode(text)

const noon = Date.UTC(2024, 0, 20, 12)
const millis = (d: Option.Option<Duration.Duration>) => Option.map(d, Duration.toMillis)

const Store = RawArchive.layer.pipe(Layer.provideMerge(DuckDB.layerMemory))

let versions = 0
/** A cache of its own (a fresh version), so tests sharing the database do not see each other's entries. */
const freshCache = (ttl?: ResponseCache.TtlRules) => ResponseCache.make({ version: `t${++versions}`, ttl })

describe("ResponseCache.ttl", () => {
  it("depends on the partition's age: today minutes, recent days hours, closed days forever, undated an hour", () => {
    const request = (partitionKey: string | null, kind?: string) => ({ endpoint: "contratos", partitionKey, kind })
    assert.deepStrictEqual(millis(ResponseCache.ttl(undefined, request("2024-01-20"), noon)), Option.some(600_000))
    assert.deepStrictEqual(millis(ResponseCache.ttl(undefined, request("20240119"), noon)), Option.some(21_600_000))
    assert.deepStrictEqual(millis(ResponseCache.ttl(undefined, request("2024-01-14|6"), noon)), Option.some(21_600_000))
    assert.deepStrictEqual(ResponseCache.ttl(undefined, request("2024-01-13"), noon), Option.none())
    assert.deepStrictEqual(millis(ResponseCache.ttl(undefined, request(null), noon)), Option.some(3_600_000))
    assert.deepStrictEqual(millis(ResponseCache.ttl(undefined, request("2024-02-30"), noon)), Option.some(3_600_000))
    const rules: ResponseCache.TtlRules = {
      closedAfterDays: 2,
      today: "1 minute",
      kinds: { details: { today: "1 hour", recent: "1 day" }, catalog: { undated: "forever" } }
    }
    assert.deepStrictEqual(millis(ResponseCache.ttl(rules, request("2024-01-20"), noon)), Option.some(60_000))
    assert.deepStrictEqual(
      millis(ResponseCache.ttl(rules, request("2024-01-20", "details"), noon)),
      Option.some(3_600_000)
    )
    assert.deepStrictEqual(
      millis(ResponseCache.ttl(rules, request("2024-01-19", "details"), noon)),
      Option.some(86_400_000)
    )
    assert.deepStrictEqual(ResponseCache.ttl(rules, request("2024-01-18", "details"), noon), Option.none())
    assert.deepStrictEqual(ResponseCache.ttl(rules, request(null, "catalog"), noon), Option.none())
  })

  it.prop(
    "an older partition never gets a shorter time to live than a newer one",
    [FastCheck.integer({ min: -3, max: 40 }), FastCheck.integer({ min: 0, max: 40 })],
    ([newer, gap]) => {
      const day = (age: number) => new Date(noon - age * 86_400_000).toISOString().slice(0, 10)
      const ttlOf = (age: number) =>
        Option.match(ResponseCache.ttl(undefined, { endpoint: "e", partitionKey: day(age) }, noon), {
          onNone: () => Infinity,
          onSome: Duration.toMillis
        })
      assert.isTrue(ttlOf(newer + gap) >= ttlOf(newer))
    }
  )
})

describe("ResponseCache (file)", () => {
  it.scoped("survives closing and reopening the database", () =>
    Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "baliza-cache-"))),
        (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
      )
      const path = Path.join(dir, "cache.duckdb")
      const open = <A, E>(use: (cache: ResponseCache.Service) => Effect.Effect<A, E>) =>
        Effect.scoped(Effect.gen(function*() {
          const db = yield* DuckDB.make({ path })
          const archive = yield* Effect.provideService(RawArchive.make, DuckDB.DuckDB, db)
          const cache = yield* ResponseCache.make().pipe(
            Effect.provideService(DuckDB.DuckDB, db),
            Effect.provideService(RawArchive.RawArchive, archive)
          )
          return yield* use(cache)
        }))
      const request = { endpoint: "contratos", params: { dataInicial: "20200101" }, partitionKey: "2020-01-01" }
      yield* open((cache) => cache.put(request, { body: body("kept"), etag: "W/\"1\"" }))
      const found = yield* open((cache) => cache.lookup(request))
      assert.strictEqual(found._tag, "Hit")
      assert.strictEqual(found._tag === "Hit" ? decoder.decode(found.body) : "", "kept")
      assert.strictEqual(found._tag === "Hit" ? found.entry.etag : null, "W/\"1\"")
    }))
})

layer(Store)("ResponseCache", (it) => {
  it.effect("a fresh entry is a hit; expired with an ETag it is stale and revalidates on 304", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(noon)
      const cache = yield* freshCache()
      const request = {
        endpoint: "contratos",
        params: { pagina: 1, dataInicial: "20240120" },
        partitionKey: "2024-01-20"
      }
      yield* cache.put(request, { body: body("{\"data\":[1]}"), etag: "\"abc\"" })
      const hit = yield* cache.lookup({ ...request, params: { dataInicial: "20240120", pagina: "1" } })
      assert.strictEqual(hit._tag, "Hit")
      assert.strictEqual(hit._tag === "Hit" ? decoder.decode(hit.body) : "", "{\"data\":[1]}")
      yield* TestClock.adjust("11 minutes")
      const stale = yield* cache.lookup(request)
      assert.strictEqual(stale._tag, "Stale")
      assert.deepStrictEqual(yield* cache.conditionalHeaders(request), { "if-none-match": "\"abc\"" })
      assert.deepStrictEqual(yield* cache.etag(request), Option.some("\"abc\""))
      const renewed = yield* cache.revalidate(request)
      assert.strictEqual(Option.map(renewed, (e) => e.expiresAtMillis).pipe(Option.getOrNull), noon + 660_000 + 600_000)
      assert.strictEqual((yield* cache.lookup(request))._tag, "Hit")
      const stats = yield* cache.stats
      assert.strictEqual(stats.hits, 2)
      assert.strictEqual(stats.misses, 1)
      assert.strictEqual(stats.stale, 1)
      assert.strictEqual(stats.revalidated, 1)
      assert.strictEqual(stats.bytesSaved, 3 * 12)
      assert.strictEqual(stats.entries, 1)
      assert.strictEqual(stats.bytes, 12)
    }))

  it.effect("a closed day never expires", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(noon)
      const cache = yield* freshCache()
      const request = { endpoint: "contratos", params: { dia: "20231201" }, partitionKey: "2023-12-01" }
      const entry = yield* cache.put(request, { body: body("{}") })
      assert.strictEqual(entry.expiresAtMillis, null)
      yield* TestClock.adjust(Duration.days(3650))
      assert.strictEqual((yield* cache.lookup(request))._tag, "Hit")
    }))

  it.effect("cached(): fetches on a miss, serves from the cache, sends If-None-Match when stale, keeps the body on 304", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(noon)
      const cache = yield* freshCache()
      const calls = yield* Ref.make<ReadonlyArray<Readonly<Record<string, string>>>>([])
      const fetch = (answer: ResponseCache.Response) => (headers: Readonly<Record<string, string>>) =>
        Effect.as(Ref.update(calls, (all) => [...all, headers]), answer)
      const request = { endpoint: "atas", params: { d: "20240120" }, partitionKey: "20240120" }
      const first = yield* cache.cached(request, fetch({ body: body("v1"), etag: "\"e1\"" }))
      assert.deepStrictEqual([first.source, first.cached, decoder.decode(first.body)], ["network", true, "v1"])
      const second = yield* cache.cached(request, fetch({ body: body("never") }))
      assert.deepStrictEqual([second.source, decoder.decode(second.body)], ["cache", "v1"])
      yield* TestClock.adjust("1 hour")
      const third = yield* cache.cached(request, fetch({ status: 304, body: new Uint8Array(0) }))
      assert.deepStrictEqual([third.source, decoder.decode(third.body), third.etag], ["revalidated", "v1", "\"e1\""])
      yield* TestClock.adjust("1 hour")
      const fourth = yield* cache.cached(request, fetch({ body: body("v2") }))
      assert.deepStrictEqual([fourth.source, decoder.decode(fourth.body), fourth.etag], ["network", "v2", null])
      assert.deepStrictEqual(yield* Ref.get(calls), [{}, { "if-none-match": "\"e1\"" }, { "if-none-match": "\"e1\"" }])
      const failed = yield* cache.cached(
        { endpoint: "atas", params: { d: "x" } },
        fetch({ status: 500, body: body("no") })
      )
      assert.isFalse(failed.cached)
      assert.strictEqual((yield* cache.lookup({ endpoint: "atas", params: { d: "x" } }))._tag, "Miss")
    }))

  it.effect("a new key version sees nothing of the old one; prune deletes the old entries", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(noon)
      const v1 = yield* ResponseCache.make({ version: "bump-1" })
      const request = { endpoint: "pca", params: { ano: 2024 } }
      yield* v1.put(request, { body: body("old") })
      const v2 = yield* ResponseCache.make({ version: "bump-2" })
      assert.strictEqual(v1.keyOf(request), "vbump-1:pca?ano=2024")
      assert.strictEqual((yield* v2.lookup(request))._tag, "Miss")
      assert.strictEqual((yield* v1.lookup(request))._tag, "Hit")
      const pruned = yield* v2.prune
      assert.isTrue(pruned >= 1)
      assert.strictEqual((yield* v1.lookup(request))._tag, "Miss")
    }))

  it.effect("invalidates by endpoint glob, kind and partition date range", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(noon)
      const cache = yield* freshCache()
      const put = (endpoint: string, partitionKey: string, kind?: string) =>
        cache.put({ endpoint, params: { p: partitionKey }, partitionKey, kind }, {
          body: body(`${endpoint}${partitionKey}`)
        })
      yield* put("contratos/publicacao", "2024-01-01")
      yield* put("contratos/atualizacao", "2024-01-02")
      yield* put("contratos/atualizacao", "2024-01-05")
      yield* put("atas", "2024-01-02", "listing")
      yield* put("atas", "2024-01-03", "details")
      assert.strictEqual(yield* cache.invalidate({ endpoint: "contratos/*", from: "2024-01-02", to: "20240104" }), 1)
      assert.strictEqual(yield* cache.invalidate({ endpoint: "atas", kind: "details" }), 1)
      const left = (endpoint: string, p: string) =>
        Effect.map(cache.lookup({ endpoint, params: { p } }), (found) => found._tag)
      assert.deepStrictEqual(
        [
          yield* left("contratos/publicacao", "2024-01-01"),
          yield* left("contratos/atualizacao", "2024-01-02"),
          yield* left("contratos/atualizacao", "2024-01-05"),
          yield* left("atas", "2024-01-02"),
          yield* left("atas", "2024-01-03")
        ],
        ["Hit", "Miss", "Hit", "Hit", "Miss"]
      )
      const bad = yield* Effect.flip(cache.invalidate({ from: "yesterday" }))
      assert.strictEqual(bad.reason, "InvalidInput")
      assert.strictEqual(yield* cache.invalidate({}), 3)
    }))

  it.effect("references archived payloads by sha256 instead of copying the bytes", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const cache = yield* freshCache()
      const shared = body("{\"shared\":true}")
      const stored = yield* archive.putPayload(shared, 1)
      const before = (yield* archive.stats).payloads
      const entry = yield* cache.put({ endpoint: "shared" }, { body: shared })
      assert.strictEqual(entry.sha256, stored.sha256)
      assert.strictEqual((yield* archive.stats).payloads, before)
    }))
})
