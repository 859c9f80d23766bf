import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Option } from "effect"
import * as Partitions from "../src/Partitions.js"

// 2024-07-16 01:30 UTC is 2024-07-15 22:30 in Brasília: PNCP's today is still the 15th.
const lateEvening = Date.parse("2024-07-16T01:30:00Z")

describe("Partitions", () => {
  it("monthsCovered: the months whose every day a range names", () => {
    assert.deepStrictEqual(Partitions.monthsCovered("2024-06-15", "2024-08-31"), ["2024-07", "2024-08"])
    assert.deepStrictEqual(Partitions.monthsCovered("2024-07-01", "2024-07-31"), ["2024-07"])
    assert.deepStrictEqual(Partitions.monthsCovered("2024-07-08", "2024-07-08"), [])
    assert.deepStrictEqual(Partitions.monthsCovered("2024-02-01", "2024-02-28"), [])
    assert.deepStrictEqual(Partitions.monthsCovered("2024-11-01", "2025-02-27"), ["2024-11", "2024-12", "2025-01"])
    assert.deepStrictEqual(Partitions.monthsCovered("2024-12-02", "2025-02-28"), ["2025-01", "2025-02"])
  })

  it.effect("today, --latest and relative ranges follow the pipeline's time zone, not UTC", () =>
    Effect.gen(function*() {
      assert.strictEqual(new Date(Partitions.today(lateEvening)).toISOString().slice(0, 10), "2024-07-15")
      assert.strictEqual(yield* Partitions.spec({ ...Partitions.noFlags, latest: true }, lateEvening), "2024-07-14")
      assert.strictEqual(
        yield* Partitions.spec({ ...Partitions.noFlags, dateRange: Option.some("last_3_days") }, lateEvening),
        "2024-07-12..2024-07-14"
      )
      assert.strictEqual(
        yield* Partitions.spec({ ...Partitions.noFlags, day: Option.some("2024-07-15") }, lateEvening),
        "2024-07-15"
      )
      // The current month runs up to today; a future month is refused.
      assert.strictEqual(
        yield* Partitions.spec({ ...Partitions.noFlags, month: Option.some("2024-07") }, lateEvening),
        "2024-07-01..2024-07-15"
      )
      assert.isTrue(
        Either.isLeft(
          yield* Effect.either(Partitions.spec({ ...Partitions.noFlags, month: Option.some("2024-08") }, lateEvening))
        )
      )
      // The UTC date is tomorrow in Brasília: refused, naming the zone.
      const refused = yield* Effect.either(
        Partitions.spec({ ...Partitions.noFlags, day: Option.some("2024-07-16") }, lateEvening)
      )
      assert.isTrue(Either.isLeft(refused))
      if (Either.isLeft(refused)) {
        assert.include(refused.left.message, "2024-07-16 is after today (2024-07-15 in America/Sao_Paulo)")
      }
    }))

  it.effect("bad dates, inverted ranges and two ways at once are input errors", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<[Partitions.PartitionFlags, string]> = [
        [{ ...Partitions.noFlags, day: Option.some("2024-02-30") }, "--day expects a date as YYYY-MM-DD"],
        [{ ...Partitions.noFlags, month: Option.some("2024-13") }, "--month expects a month as YYYY-MM"],
        [{ ...Partitions.noFlags, from: Option.some("2024-07-02"), to: Option.some("2024-07-01") }, "is after the end"],
        [{ ...Partitions.noFlags, from: Option.some("2024-07-02") }, "--from and --to go together"],
        [{ ...Partitions.noFlags, partition: Option.some("2024-07-10..2024-07-01") }, "is after the end 2024-07-01"],
        [{ ...Partitions.noFlags, dateRange: Option.some("last_week") }, "--date-range expects"],
        [{ ...Partitions.noFlags, day: Option.some("2020-12-31") }, "before 2021-01-01"],
        [{ ...Partitions.noFlags, day: Option.some("2024-07-01"), latest: true }, "Choose partitions one way"],
        // a day-shaped part of --partition is checked as --day is, wherever it is in the spec
        ...["2024-13-01", "2024-02-30", "2024-7-1", "2024-02-30|6", "2024-07-01,2024-13-01", "2024-07-01..2024-7-3|6"]
          .map((spec): [Partitions.PartitionFlags, string] => [
            { ...Partitions.noFlags, partition: Option.some(spec) },
            "--partition expects a date as YYYY-MM-DD (e.g. 2024-07-15), got"
          ]),
        [{ ...Partitions.noFlags, partition: Option.some("2030-01-01|6") }, "is after today"]
      ]
      for (const [flags, message] of cases) {
        const result = yield* Effect.either(Partitions.spec(flags, lateEvening))
        assert.isTrue(Either.isLeft(result), message)
        if (Either.isLeft(result)) {
          assert.include(result.left.message, message)
          assert.strictEqual(result.left.reason, "Input")
        }
      }
    }))
})
