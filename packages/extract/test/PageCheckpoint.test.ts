import { DuckDB } from "@baliza/duckdb"
import { assert, layer } from "@effect/vitest"
import { Effect, Exit, FastCheck, Layer, Option, Stream } from "effect"
import * as PageCheckpoint from "../src/PageCheckpoint.js"
import * as RawArchive from "../src/RawArchive.js"
import { emptyPage, page } from "./fixtures/pages.js"

const Store = PageCheckpoint.layer.pipe(Layer.provideMerge(RawArchive.layer), Layer.provideMerge(DuckDB.layerMemory))

const pagesOf = (numbers: ReadonlyArray<number>, totalPages: number, endpoint = "contratos") =>
  Stream.fromIterable(numbers.map((n) => page(n, { endpoint, totalPages })))

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/** Pages archived for (endpoint, partition), in page order, as stored (duplicates would show twice). */
const archivedPages = (endpoint: string, partitionKey: string) =>
  Effect.map(
    DuckDB.query("SELECT page FROM raw.api_requests WHERE endpoint = $1 AND partition_key = $2 ORDER BY page", [
      endpoint,
      partitionKey
    ]),
    (rows) => rows.map((row) => Number(row.page))
  )

let unique = 0
const freshEndpoint = () => `endpoint-${++unique}`

layer(Store)("PageCheckpoint", (it) => {
  it.effect("archives a stream in transactions of checkpointEvery pages and completes at the last page", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const result = yield* checkpoints.archivePages(pagesOf(range(1, 25), 25, endpoint), {
        endpoint,
        partitionKey: "2024-01-01",
        checkpointEvery: 10,
        runId: "r1"
      })
      assert.strictEqual(result.pages, 25)
      assert.strictEqual(result.commits, 3)
      assert.strictEqual(result.records, 75)
      assert.strictEqual(result.skipped, 0)
      assert.strictEqual(result.checkpoint.lastPage, 25)
      assert.strictEqual(result.checkpoint.totalPages, 25)
      assert.isTrue(result.checkpoint.completed)
      const stored = yield* checkpoints.resumePoint(endpoint, "2024-01-01")
      assert.deepStrictEqual(
        Option.map(stored, (c) => [c.lastPage, c.pages, c.records, c.completed, c.runId]),
        Option.some([25, 25, 75, true, "r1"])
      )
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint, "2024-01-01"), Option.none())
      assert.deepStrictEqual(yield* archivedPages(endpoint, "2024-01-01"), range(1, 25))
    }))

  it.effect("series archived side by side commit together and each keeps its own checkpoint", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const days = range(1, 8).map((d) => `2024-03-0${d}`)
      // Unordered pages leave gaps: pending pages must survive the shared statements too.
      const order = [2, 1, 4, 3, 6, 5]
      const results = yield* Effect.forEach(days, (day) =>
        checkpoints.archivePages(
          Stream.fromIterable(order.map((n) => page(n, { endpoint, totalPages: 6, params: { day } }))),
          { endpoint, partitionKey: day, checkpointEvery: 1, runId: "side-by-side" }
        ), { concurrency: "unbounded" })
      for (const [i, day] of days.entries()) {
        assert.deepStrictEqual([results[i]!.pages, results[i]!.commits], [6, 6], day)
        assert.deepStrictEqual(yield* archivedPages(endpoint, day), range(1, 6), day)
      }
      const listed = yield* checkpoints.list({ endpoint })
      assert.deepStrictEqual(
        listed.map((c) => [c.partitionKey, c.lastPage, c.pendingPages, c.pages, c.records, c.completed]),
        days.map((day) => [day, 6, [], 6, 18, true])
      )
    }))

  it.effect("checkpointBytes commits a batch of large pages before checkpointEvery pages", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      // 12 pages of ~3.6 KB (100 records) with a 10 KB budget: 3 pages (past 10 KB) a commit, not 10.
      const pages = Stream.fromIterable(range(1, 12).map((n) => page(n, { endpoint, totalPages: 12, perPage: 100 })))
      const size = page(1, { endpoint, totalPages: 12, perPage: 100 }).body.length
      assert.isTrue(size > 3400 && size < 4900, `page size ${size}`)
      const result = yield* checkpoints.archivePages(pages, {
        endpoint,
        partitionKey: "d",
        checkpointEvery: 10,
        checkpointBytes: 10_000
      })
      assert.strictEqual(result.commits, 4)
      assert.strictEqual(result.pages, 12)
      assert.isTrue(result.checkpoint.completed)
      assert.deepStrictEqual(yield* archivedPages(endpoint, "d"), range(1, 12))
    }))

  it.effect("batchSize caps one run; the next run continues from the checkpoint", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const options = { endpoint, partitionKey: "d", checkpointEvery: 4, batchSize: 10 }
      const first = yield* checkpoints.archivePages(pagesOf(range(1, 23), 23, endpoint), options)
      assert.strictEqual(first.pages, 10)
      assert.isFalse(first.checkpoint.completed)
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint, "d"), Option.some(11))
      const second = yield* checkpoints.archivePages(pagesOf(range(11, 23), 23, endpoint), options)
      assert.strictEqual(second.pages, 10)
      const third = yield* checkpoints.archivePages(pagesOf(range(21, 23), 23, endpoint), options)
      assert.strictEqual(third.pages, 3)
      assert.isTrue(third.checkpoint.completed)
      assert.deepStrictEqual(yield* archivedPages(endpoint, "d"), range(1, 23))
    }))

  it.effect("resumePoints reads a partition's series at once, and archivePages resumes from what it read", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const options = (partitionKey: string) => ({ endpoint, partitionKey, checkpointEvery: 4, batchSize: 6 })
      yield* checkpoints.archivePages(pagesOf(range(1, 9), 9, endpoint), options("a"))
      yield* checkpoints.archivePages(pagesOf(range(1, 3), 3, endpoint), options("b"))
      const stored = yield* checkpoints.resumePoints(endpoint, ["a", "b", "never"])
      assert.deepStrictEqual([...stored.keys()].sort(), ["a", "b"])
      assert.deepStrictEqual(
        [...stored.values()].map((c) => [c.partitionKey, c.lastPage, c.completed]).sort(),
        [["a", 6, false], ["b", 3, true]]
      )
      assert.strictEqual((yield* checkpoints.resumePoints("other", ["a"])).size, 0)
      // A stream from page 1 again: what the read checkpoint covers is skipped, the rest archived once.
      const resumed = yield* checkpoints.archivePages(pagesOf(range(1, 9), 9, endpoint), {
        ...options("a"),
        stored: Option.fromNullable(stored.get("a"))
      })
      assert.deepStrictEqual([resumed.skipped, resumed.pages, resumed.checkpoint.completed], [6, 3, true])
      assert.deepStrictEqual(yield* archivedPages(endpoint, "a"), range(1, 9))
    }))

  it.effect("a failed stream keeps the committed batches; a rerun from page 1 skips them and stores no page twice", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const options = { endpoint, partitionKey: "p", checkpointEvery: 3 }
      const failing = Stream.concat(pagesOf(range(1, 7), 12, endpoint), Stream.fail("connection lost" as const))
      const exit = yield* Effect.exit(checkpoints.archivePages(failing, options))
      assert.deepStrictEqual(exit, Exit.fail("connection lost" as const))
      // Pages 1-6 committed in two batches; page 7, waiting for its batch, is committed before the failure propagates.
      assert.deepStrictEqual(yield* archivedPages(endpoint, "p"), range(1, 7))
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint, "p"), Option.some(8))
      const rerun = yield* checkpoints.archivePages(pagesOf(range(1, 12), 12, endpoint), options)
      assert.strictEqual(rerun.skipped, 7)
      assert.strictEqual(rerun.pages, 5)
      assert.deepStrictEqual(yield* archivedPages(endpoint, "p"), range(1, 12))
    }))

  it.effect("unordered pages: gaps are kept as pending pages and filled on resume", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const options = { endpoint, partitionKey: "u", checkpointEvery: 2 }
      const first = yield* checkpoints.archivePages(
        Stream.concat(pagesOf([2, 1, 5, 6, 3], 8, endpoint), Stream.fail("stop" as const)),
        options
      ).pipe(Effect.flip)
      assert.strictEqual(first, "stop")
      const stored = Option.getOrThrow(yield* checkpoints.resumePoint(endpoint, "u"))
      assert.strictEqual(stored.lastPage, 3)
      assert.deepStrictEqual(stored.pendingPages, [5, 6])
      assert.isTrue(PageCheckpoint.isDone(stored, 5))
      assert.isFalse(PageCheckpoint.isDone(stored, 4))
      assert.deepStrictEqual(PageCheckpoint.nextPage(stored), Option.some(4))
      const rest = yield* checkpoints.archivePages(pagesOf(range(3, 8), 8, endpoint), options)
      assert.strictEqual(rest.skipped, 3)
      assert.strictEqual(rest.pages, 3)
      assert.strictEqual(rest.checkpoint.lastPage, 8)
      assert.deepStrictEqual(rest.checkpoint.pendingPages, [])
      assert.isTrue(rest.checkpoint.completed)
      assert.deepStrictEqual(yield* archivedPages(endpoint, "u"), range(1, 8))
    }))

  it.effect("a page repeated within one stream is stored once", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const result = yield* checkpoints.archivePages(pagesOf([1, 2, 2, 3, 1], 3, endpoint), {
        endpoint,
        partitionKey: "r",
        checkpointEvery: 10
      })
      assert.strictEqual(result.pages, 3)
      assert.strictEqual(result.skipped, 2)
      assert.deepStrictEqual(yield* archivedPages(endpoint, "r"), [1, 2, 3])
    }))

  it.effect("an empty partition (HTTP 204) completes with one archived page", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const result = yield* checkpoints.archivePages(Stream.make(emptyPage(1, endpoint)), { endpoint })
      assert.strictEqual(result.pages, 1)
      assert.isTrue(result.checkpoint.completed)
      assert.strictEqual(result.checkpoint.totalPages, 0)
      assert.strictEqual(result.checkpoint.partitionKey, null)
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint), Option.none())
    }))

  it.effect("a 204 completes the checkpoint in the commit that archives it, even if the stream never ends", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      // complete: false stands for a process killed between the last commit and the end of the stream.
      const result = yield* checkpoints.archivePages(
        Stream.make({ ...page(1, { endpoint }), info: { records: 1, empty: false } }, emptyPage(2, endpoint)),
        {
          endpoint,
          complete: false
        }
      )
      assert.deepStrictEqual([result.checkpoint.completed, result.checkpoint.totalPages], [true, 1])
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint), Option.none())
    }))

  it.effect("a 204 below a total announced earlier (the series shrank) completes the checkpoint at once", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const options = { endpoint, complete: false }
      // a first run archives pages 1-3 of 5, then fails
      const failing = Stream.concat(pagesOf(range(1, 3), 5, endpoint), Stream.fail("HTTP 500" as const))
      assert.isTrue(Exit.isFailure(yield* Effect.exit(checkpoints.archivePages(failing, options))))
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint), Option.some(4))
      // by the next run the series has 3 pages: page 4 is a 204, and nothing is left to fetch
      const rerun = yield* checkpoints.archivePages(Stream.make(emptyPage(4, endpoint)), options)
      assert.deepStrictEqual([rerun.checkpoint.completed, rerun.checkpoint.totalPages], [true, 3])
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint), Option.none())
    }))

  it.effect("a smaller total answered before the series grew does not complete it (pages fetched at once)", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const at = (n: number, totalPages: number, fetchedAtMillis: number) =>
        page(n, { endpoint, totalPages, fetchedAtMillis })
      // page 7 was answered after the day grew to 12 pages; pages 8-10, answered before it, still say 10
      const answered = [...range(1, 6), 8, 9, 10].map((n) => at(n, 10, 1_000 + n))
      answered.splice(6, 0, at(7, 12, 2_000))
      // then page 11 fails (or the process is killed) before it is archived
      const failing = Stream.concat(Stream.fromIterable(answered), Stream.fail("HTTP 503" as const))
      const options = { endpoint, partitionKey: "2024-07-01" }
      assert.isTrue(Exit.isFailure(yield* Effect.exit(checkpoints.archivePages(failing, options))))
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint, "2024-07-01"), Option.some(11))
      const rest = Stream.fromIterable([11, 12].map((n) => at(n, 12, 3_000 + n)))
      const rerun = yield* checkpoints.archivePages(rest, options)
      assert.deepStrictEqual([rerun.checkpoint.completed, rerun.checkpoint.totalPages], [true, 12])
      assert.deepStrictEqual(yield* archivedPages(endpoint, "2024-07-01"), range(1, 12))
    }))

  it.effect("without totals, the commit that archives the series' last page completes it, even at a batchSize cut", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      // page numbers without an envelope's total: page 5 is short, the end (`Page.last`)
      const pages = range(1, 5).map((n) => ({
        ...page(n, { endpoint }),
        info: { records: n === 5 ? 1 : 3, empty: false },
        ...(n === 5 ? { last: true } : {})
      }))
      const result = yield* checkpoints.archivePages(Stream.fromIterable(pages), { endpoint, batchSize: 5 })
      assert.deepStrictEqual([result.checkpoint.completed, result.checkpoint.totalPages], [true, 5])
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint), Option.none())
    }))

  it.effect("complete: false leaves a partition open; complete and reset change it explicitly", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const cursorPages = Stream.fromIterable(
        [1, 2].map((n) => ({ ...page(n, { endpoint }), cursor: `c${n}`, info: { records: 1, empty: false } }))
      )
      const result = yield* checkpoints.archivePages(cursorPages, { endpoint, complete: false })
      assert.isFalse(result.checkpoint.completed)
      assert.strictEqual(result.checkpoint.lastCursor, "c2")
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint), Option.some(3))
      yield* checkpoints.complete(endpoint)
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint), Option.none())
      assert.isTrue((yield* checkpoints.list({ endpoint, completed: true })).length === 1)
      yield* checkpoints.reset(endpoint)
      assert.deepStrictEqual(yield* checkpoints.resumePoint(endpoint), Option.none())
      assert.deepStrictEqual(yield* checkpoints.nextPage(endpoint), Option.some(1))
    }))

  it.effect("inside an outer transaction that fails, neither pages nor checkpoints are kept", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = freshEndpoint()
      const exit = yield* Effect.exit(DuckDB.withTransaction(Effect.gen(function*() {
        const result = yield* checkpoints.archivePages(pagesOf(range(1, 6), 6, endpoint), {
          endpoint,
          checkpointEvery: 2
        })
        assert.strictEqual(result.commits, 3)
        return yield* Effect.fail("abort" as const)
      })))
      assert.isTrue(Exit.isFailure(exit))
      assert.deepStrictEqual(yield* checkpoints.resumePoint(endpoint), Option.none())
      assert.deepStrictEqual(yield* archivedPages(endpoint, ""), [])
    }))

  it.effect("a batch written again after a COMMIT that failed once its rows were durable records no request twice", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.DuckDB
      // The first group commit stores its work and then fails, and that work runs again (as the group commit runs
      // each job alone after its shared transaction failed): an automatic checkpoint out of memory, say.
      let late = 1
      const reporting: DuckDB.Service = {
        ...db,
        withGroupCommit: (effect) =>
          late-- > 0
            ? Effect.zipRight(db.withGroupCommit(effect), db.withGroupCommit(effect))
            : db.withGroupCommit(effect)
      }
      const endpoint = freshEndpoint()
      const result = yield* Effect.flatMap(
        PageCheckpoint.PageCheckpoint,
        (checkpoints) =>
          checkpoints.archivePages(pagesOf(range(1, 4), 4, endpoint), {
            endpoint,
            partitionKey: "d",
            checkpointEvery: 2
          })
      ).pipe(
        Effect.provide(
          PageCheckpoint.layer.pipe(
            Layer.provideMerge(RawArchive.layer),
            Layer.provide(Layer.succeed(DuckDB.DuckDB, reporting))
          )
        )
      )
      assert.strictEqual(late, -1, "the late failure happened")
      assert.deepStrictEqual([result.pages, result.checkpoint.lastPage, result.checkpoint.completed], [4, 4, true])
      assert.deepStrictEqual(yield* archivedPages(endpoint, "d"), range(1, 4))
    }))

  it.effect("rejects a checkpointEvery or batchSize that is not a positive integer", () =>
    Effect.gen(function*() {
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const error = yield* Effect.flip(checkpoints.archivePages(Stream.empty, { endpoint: "x", checkpointEvery: 0 }))
      assert.strictEqual(error._tag === "ExtractStoreError" ? error.reason : undefined, "InvalidInput")
      const batch = yield* Effect.flip(checkpoints.archivePages(Stream.empty, { endpoint: "x", batchSize: 1.5 }))
      assert.strictEqual(batch._tag === "ExtractStoreError" ? batch.reason : undefined, "InvalidInput")
    }))

  it.effect.prop(
    "any arrival order, batch size and failure point: after a rerun every page is stored exactly once",
    {
      order: FastCheck.shuffledSubarray(range(1, 15), { minLength: 15, maxLength: 15 }),
      every: FastCheck.integer({ min: 1, max: 6 }),
      failAfter: FastCheck.integer({ min: 0, max: 15 })
    },
    ({ every, failAfter, order }) =>
      Effect.gen(function*() {
        const checkpoints = yield* PageCheckpoint.PageCheckpoint
        const endpoint = freshEndpoint()
        const options = { endpoint, partitionKey: "prop", checkpointEvery: every }
        const firstRun = Stream.concat(pagesOf(order.slice(0, failAfter), 15, endpoint), Stream.fail("killed" as const))
        yield* Effect.exit(checkpoints.archivePages(firstRun, options))
        const committed = yield* archivedPages(endpoint, "prop")
        // Every page received before the failure is committed (the last, partial batch too), each once.
        assert.deepStrictEqual(committed, [...order.slice(0, failAfter)].sort((a, b) => a - b))
        yield* checkpoints.archivePages(pagesOf(order, 15, endpoint), options)
        assert.deepStrictEqual(yield* archivedPages(endpoint, "prop"), range(1, 15))
        const stored = Option.getOrThrow(yield* checkpoints.resumePoint(endpoint, "prop"))
        assert.isTrue(stored.completed)
        assert.strictEqual(stored.pages, 15)
      }),
    { fastCheck: { numRuns: 15 } }
  )
})
