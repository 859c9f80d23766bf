import { BatchWriter, DuckDB } from "@baliza/duckdb"
import { assert, layer } from "@effect/vitest"
import { Effect, Exit } from "effect"

layer(DuckDB.layerMemory)("BatchWriter", (it) => {
  it.effect("inputs submitted together are written by one call, each submitter gets its own output", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE bw_t (id INTEGER PRIMARY KEY)")
      const db = yield* DuckDB.DuckDB
      const batches: Array<ReadonlyArray<number>> = []
      const writer = yield* BatchWriter.make((ids: ReadonlyArray<number>) =>
        Effect.gen(function*() {
          batches.push(ids)
          yield* db.execute(`INSERT INTO bw_t VALUES ${ids.map((_, i) => `($${i + 1})`).join(", ")}`, [...ids])
          return ids.map((id) => `stored ${id}`)
        }), { maxBatch: 4 })
      const ids = Array.from({ length: 20 }, (_, i) => i)
      const outputs = yield* Effect.forEach(ids, (id) => writer.submit(id), { concurrency: "unbounded" })
      assert.deepStrictEqual(outputs, ids.map((id) => `stored ${id}`))
      assert.deepStrictEqual([...batches.flat()].sort((a, b) => a - b), ids, "each input written once")
      assert.isBelow(batches.length, ids.length, "some inputs were written together")
      assert.isAtMost(Math.max(...batches.map((batch) => batch.length)), 4, "maxBatch")
    }))

  it.effect("a failing input fails alone, the rest of its batch is written again without it", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE bw_f (id INTEGER PRIMARY KEY); INSERT INTO bw_f VALUES (3)")
      const db = yield* DuckDB.DuckDB
      const writer = yield* BatchWriter.make((ids: ReadonlyArray<number>) =>
        Effect.as(
          db.execute(`INSERT INTO bw_f VALUES ${ids.map((_, i) => `($${i + 1})`).join(", ")}`, [...ids]),
          ids
        )
      )
      const exits = yield* Effect.forEach(
        [0, 1, 2, 3, 4, 5],
        (id) => Effect.exit(writer.submit(id)),
        { concurrency: "unbounded" }
      )
      exits.forEach((exit, id) => assert.strictEqual(Exit.isFailure(exit), id === 3, `input ${id}`))
      const rows = yield* DuckDB.query("SELECT id FROM bw_f ORDER BY id")
      assert.deepStrictEqual(rows.map((row) => row.id), [0, 1, 2, 3, 4, 5])
    }))
})
