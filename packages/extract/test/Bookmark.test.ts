import { DuckDB } from "@baliza/duckdb"
import { assert, describe, it, layer } from "@effect/vitest"
import { Duration, Effect, Either, Exit, FastCheck, Layer, Option, TestClock } from "effect"
import * as Bookmark from "../src/Bookmark.js"

const Store = Bookmark.layer.pipe(Layer.provideMerge(DuckDB.layerMemory))

const noon = Date.UTC(2024, 0, 20, 12)

describe("Bookmark (pure)", () => {
  it.prop(
    "a full-sync bookmark is the lowest id seen and an incremental one the newest time, whatever the batches",
    [FastCheck.array(FastCheck.array(FastCheck.integer({ min: 1, max: 1_000_000 }), { maxLength: 5 }), {
      minLength: 1,
      maxLength: 6
    })],
    ([batches]) => {
      const full = Bookmark.fullSync({ name: "f" })
      const inc = Bookmark.incremental({ name: "i", field: "ts" })
      let fullState = Option.none<Bookmark.State>()
      let incState = Option.none<Bookmark.State>()
      for (const batch of batches) {
        fullState = Option.some(Either.getOrThrow(Bookmark.step(full, fullState, batch.map((id) => ({ id })), 0)))
        incState = Option.some(Either.getOrThrow(Bookmark.step(inc, incState, batch.map((ts) => ({ ts })), 0)))
      }
      const all = batches.flat()
      assert.strictEqual(Option.getOrThrow(fullState).value, all.length === 0 ? null : Math.min(...all))
      assert.strictEqual(Option.getOrThrow(incState).value, all.length === 0 ? null : Math.max(...all))
      assert.strictEqual(Option.getOrThrow(fullState).completed, batches.some((b) => b.length === 0))
    }
  )

  it("reads naive ISO timestamps as UTC, and rejects what is not a timestamp", () => {
    assert.deepStrictEqual(Bookmark.timestampOf("2025-06-24T00:30:04"), Option.some(Date.UTC(2025, 5, 24, 0, 30, 4)))
    assert.deepStrictEqual(Bookmark.timestampOf("2025-06-24 00:30"), Option.some(Date.UTC(2025, 5, 24, 0, 30)))
    assert.deepStrictEqual(
      Bookmark.timestampOf("2025-06-24T00:30:04-03:00"),
      Option.some(Date.UTC(2025, 5, 24, 3, 30, 4))
    )
    assert.deepStrictEqual(Bookmark.timestampOf("2025-06-24"), Option.some(Date.UTC(2025, 5, 24)))
    assert.deepStrictEqual(Bookmark.timestampOf("soon"), Option.none())
    const step = Bookmark.step(Bookmark.incremental({ name: "x" }), Option.none(), [{ mod_ts: "soon" }], 0)
    assert.isTrue(Either.isLeft(step))
  })
})

layer(Store)("Bookmark", (it) => {
  it.effect("full sync by descending id: no filter first, then id < lowest stored; an empty batch completes it", () =>
    Effect.gen(function*() {
      const bookmarks = yield* Bookmark.Bookmark
      const sync = Bookmark.fullSync({ name: "allocations/full" })
      const first = yield* bookmarks.filter(sync)
      assert.deepStrictEqual(first, { field: "id", operator: "<", value: Option.none(), ordering: "-id", params: {} })
      yield* bookmarks.advance(sync, [{ id: 100 }, { id: 99 }, { id: 98 }])
      assert.deepStrictEqual((yield* bookmarks.filter(sync)).params, { id__lt: "98" })
      yield* bookmarks.advance(sync, [{ id: 97 }, { id: 50 }])
      // A stray higher id (a record inserted meanwhile) never moves the bookmark back up.
      const state = yield* bookmarks.advance(sync, [{ id: 500 }])
      assert.strictEqual(state.value, 50)
      assert.isFalse(state.completed)
      const done = yield* bookmarks.advance(sync, [])
      assert.isTrue(done.completed)
      assert.strictEqual(done.value, 50)
    }))

  it.effect("incremental by modification time with a 30-minute overlap; first run starts 30 minutes ago", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(noon)
      const bookmarks = yield* Bookmark.Bookmark
      const sync = Bookmark.incremental({ name: "allocations/incremental" })
      const first = yield* bookmarks.filter(sync)
      assert.deepStrictEqual(first.params, { mod_ts__gte: "2024-01-20T11:30:00.000Z" })
      assert.strictEqual(first.ordering, "mod_ts")
      const state = yield* bookmarks.advance(sync, [{ mod_ts: "2024-01-20T10:00:00" }, {
        mod_ts: "2024-01-20T11:45:00"
      }])
      assert.strictEqual(state.value, Date.UTC(2024, 0, 20, 11, 45))
      assert.deepStrictEqual((yield* bookmarks.filter(sync)).params, { mod_ts__gte: "2024-01-20T11:15:00.000Z" })
      yield* bookmarks.advance(sync, [{ mod_ts: "2024-01-19T00:00:00" }])
      assert.strictEqual(Option.getOrThrow(yield* bookmarks.get(sync)).value, Date.UTC(2024, 0, 20, 11, 45))
    }))

  it.effect("is generic over field, parameter, overlap and format", () =>
    Effect.gen(function*() {
      const bookmarks = yield* Bookmark.Bookmark
      const compact = (millis: number) => new Date(millis).toISOString().replace(/[-:T]/g, "").slice(0, 14)
      const sync = Bookmark.incremental({
        name: "pncp/contratos/atualizacao",
        field: "dataAtualizacao",
        param: "dataInicial",
        overlap: Duration.hours(1),
        format: compact
      })
      yield* bookmarks.advance(sync, [{ dataAtualizacao: "2025-06-24T00:30:04" }])
      assert.deepStrictEqual((yield* bookmarks.filter(sync)).params, { dataInicial: "20250623233004" })
      const byControl = Bookmark.fullSync({ name: "atas/full", field: "numeroControlePNCPAta", param: "before" })
      yield* bookmarks.advance(byControl, [{ numeroControlePNCPAta: "b-2" }, { numeroControlePNCPAta: "a-9" }])
      assert.deepStrictEqual((yield* bookmarks.filter(byControl)).params, { before: "a-9" })
    }))

  it.effect("a bad record, or a failed transaction around advance, leaves the bookmark where it was", () =>
    Effect.gen(function*() {
      const bookmarks = yield* Bookmark.Bookmark
      const sync = Bookmark.fullSync({ name: "guarded" })
      yield* bookmarks.set(sync, 10)
      const bad = yield* Effect.flip(bookmarks.advance(sync, [{ id: 5 }, { other: 1 }]))
      assert.strictEqual(bad.reason, "InvalidInput")
      assert.include(bad.message, "\"id\"")
      const exit = yield* Effect.exit(DuckDB.withTransaction(
        Effect.zipRight(bookmarks.advance(sync, [{ id: 3 }]), Effect.fail("insert failed" as const))
      ))
      assert.isTrue(Exit.isFailure(exit))
      assert.strictEqual(Option.getOrThrow(yield* bookmarks.get(sync)).value, 10)
    }))

  it.effect("an incremental bookmark set to something that is not a time is refused, and stays where it was", () =>
    Effect.gen(function*() {
      const bookmarks = yield* Bookmark.Bookmark
      const inc = Bookmark.incremental({ name: "set-guarded" })
      yield* bookmarks.set(inc, "2024-05-01T00:00:00")
      const bad = yield* Effect.flip(bookmarks.set(inc, "not-a-date"))
      assert.deepStrictEqual([bad.reason, bad.message.includes("not-a-date")], ["InvalidInput", true])
      assert.strictEqual(Option.getOrThrow(yield* bookmarks.get(inc)).value, Date.parse("2024-05-01T00:00:00Z"))
    }))

  it.effect("refuses to read a bookmark with another mode or field; reset forgets it", () =>
    Effect.gen(function*() {
      const bookmarks = yield* Bookmark.Bookmark
      yield* bookmarks.advance(Bookmark.fullSync({ name: "shared-name" }), [{ id: 1 }])
      const error = yield* Effect.flip(bookmarks.filter(Bookmark.incremental({ name: "shared-name" })))
      assert.strictEqual(error.reason, "InvalidInput")
      yield* bookmarks.reset(Bookmark.fullSync({ name: "shared-name" }))
      assert.deepStrictEqual(yield* bookmarks.get(Bookmark.incremental({ name: "shared-name" })), Option.none())
    }))
})
