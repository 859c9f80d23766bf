import { assert, describe, it } from "@effect/vitest"
import { Cron, Either } from "effect"
import * as RunSchedule from "../src/RunSchedule.js"

describe("RunSchedule", () => {
  it("previousDay is yesterday in the schedule's time zone, not in UTC", () => {
    // 02:00 UTC on the 2nd is still the 1st in São Paulo (UTC-3): yesterday there is the 30th of June.
    assert.strictEqual(RunSchedule.previousDay(new Date("2024-07-02T02:00:00Z"), "America/Sao_Paulo"), "2024-06-30")
    assert.strictEqual(RunSchedule.previousDay(new Date("2024-07-02T02:00:00Z"), "UTC"), "2024-07-01")
    assert.strictEqual(RunSchedule.previousDay(new Date("2024-03-01T12:00:00Z"), "UTC"), "2024-02-29")
    assert.strictEqual(RunSchedule.sameDay(new Date("2024-07-02T02:00:00Z"), "America/Sao_Paulo"), "2024-07-01")
    // the month before the tick's, in the zone: at 02:00 UTC on August 1st it is still July in Brasília
    assert.strictEqual(
      RunSchedule.previousMonth(new Date("2024-08-01T02:00:00Z"), "America/Sao_Paulo"),
      "2024-06-01..2024-06-30"
    )
    assert.strictEqual(RunSchedule.previousMonth(new Date("2024-08-01T02:00:00Z"), "UTC"), "2024-07-01..2024-07-31")
    assert.strictEqual(RunSchedule.previousMonth(new Date("2024-03-01T12:00:00Z"), "UTC"), "2024-02-01..2024-02-29")
    assert.strictEqual(RunSchedule.previousMonth(new Date("2025-01-15T12:00:00Z"), "UTC"), "2024-12-01..2024-12-31")
  })

  it("parse: the cron runs in the schedule's time zone", () => {
    const schedule = RunSchedule.make({
      name: "daily",
      cron: "0 6 * * *",
      timeZone: "America/Sao_Paulo",
      selection: "layer:raw+",
      partitions: RunSchedule.previousDay
    })
    const cron = Either.getOrThrow(RunSchedule.parse(schedule))
    // 06:00 in São Paulo is 09:00 UTC.
    assert.strictEqual(Cron.next(cron, new Date("2024-07-01T10:00:00Z")).toISOString(), "2024-07-02T09:00:00.000Z")
    assert.strictEqual(schedule.priority, 5)
    assert.include(schedule.description, "layer:raw+")
  })

  it("parse: a bad cron, time zone or priority is a typed error naming the schedule", () => {
    const bad = [
      { name: "a", cron: "61 * * * *", timeZone: "UTC" },
      { name: "b", cron: "0 6 * * *", timeZone: "Mars/Olympus" },
      { name: "c", cron: "0 6 * * *", timeZone: "UTC", priority: 11 },
      // dates that never come: Cron.next would throw at the scheduler's first tick
      { name: "d", cron: "0 6 31 4 *", timeZone: "America/Sao_Paulo" },
      { name: "e", cron: "0 6 30 2 *", timeZone: "UTC" }
    ]
    for (const schedule of bad) {
      const result = RunSchedule.parse(schedule)
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "RunScheduleError")
        assert.include(result.left.message, `"${schedule.name}"`)
      }
    }
    // once in four years is a date that comes
    assert.isTrue(Either.isRight(RunSchedule.parse({ name: "f", cron: "0 6 29 2 *", timeZone: "UTC" })))
  })
})
