import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Equal, FastCheck as fc, Hash, TestClock } from "effect"
import * as Partitions from "../src/Partitions.js"
import * as Dynamic from "../src/Partitions/Dynamic.js"
import * as Multi from "../src/Partitions/Multi.js"
import * as Static from "../src/Partitions/Static.js"
import * as TimeWindow from "../src/Partitions/TimeWindow.js"

const HOUR = 3_600_000
const ctx = Partitions.context({ now: Date.UTC(2024, 2, 15, 12) }) // 2024-03-15 09:00 in São Paulo

const right = <A>(either: Either.Either<A, Partitions.PartitionError>): A => {
  if (Either.isLeft(either)) assert.fail(`expected Right, got ${either.left.reason}: ${either.left.message}`)
  return either.right
}
const left = <A>(either: Either.Either<A, Partitions.PartitionError>): Partitions.PartitionError => {
  if (Either.isRight(either)) assert.fail(`expected Left, got ${JSON.stringify(either.right)}`)
  return either.left
}
const throwsDefinition = (f: () => unknown, fragment: string) => {
  try {
    f()
  } catch (error) {
    assert.instanceOf(error, Partitions.PartitionError)
    assert.strictEqual(error.reason, "InvalidDefinition")
    assert.include(error.message, fragment)
    return
  }
  assert.fail("expected a PartitionError")
}

// Keys are written from the civil date alone, independently of the implementation.
const dayKey = (epochDay: number) => new Date(epochDay * 86_400_000).toISOString().slice(0, 10)
const epochDay = (key: string) => Date.parse(`${key}T00:00:00Z`) / 86_400_000
const zones = ["America/Sao_Paulo", "America/New_York", "Europe/London", "Asia/Kolkata", "Pacific/Auckland", "UTC"]
const DAY_1900 = epochDay("1900-01-01")
const DAY_2200 = epochDay("2200-12-31")

describe("Partitions", () => {
  describe("TimeWindow", () => {
    it.prop(
      "daily keys round-trip in any zone",
      [fc.integer({ min: DAY_1900, max: DAY_2200 }), fc.constantFrom(...zones)],
      ([day, timeZone]) => {
        const def = TimeWindow.daily({ start: "1900-01-01", timeZone })
        const key = dayKey(day)
        const window = right(def.parse(key))
        assert.strictEqual(def.format(window), key)
        assert.isTrue(window.end.getTime() - window.start.getTime() >= 22 * HOUR)
        assert.strictEqual(right(TimeWindow.containing(def, window.start)), key)
        assert.strictEqual(right(TimeWindow.containing(def, window.end.getTime() - 1)), key)
      }
    )

    it.prop("weekly keys are Mondays and round-trip", [fc.integer({ min: DAY_1900, max: DAY_2200 })], ([day]) => {
      const def = TimeWindow.weekly({ start: "1900-01-01" })
      const key = right(TimeWindow.containing(def, Date.UTC(1970, 0, 1) + day * 86_400_000 + 12 * HOUR))
      assert.strictEqual(new Date(`${key}T00:00:00Z`).getUTCDay(), 1)
      assert.isTrue(epochDay(key) <= day && day < epochDay(key) + 7)
      assert.strictEqual(def.format(right(def.parse(key))), key)
    })

    it.prop(
      "monthly keys round-trip",
      [fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 12 })],
      ([year, month]) => {
        const def = TimeWindow.monthly({ start: "1900-01" })
        const key = `${year}-${String(month).padStart(2, "0")}`
        const window = right(def.parse(key))
        assert.strictEqual(def.format(window), key)
        assert.strictEqual(right(TimeWindow.containing(def, window.end.getTime() - 1)), key)
      }
    )

    it.prop(
      "a range a..b expands to b - a + 1 keys in order",
      [fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 })],
      ([a, b]) => {
        const def = TimeWindow.daily({ start: "2023-01-01" })
        const [from, to] = [Math.min(a, b), Math.max(a, b)]
        const first = epochDay("2023-01-01")
        const keys = right(Partitions.select(def, `${dayKey(first + from)}..${dayKey(first + to)}`, ctx))
        assert.strictEqual(keys.length, to - from + 1)
        assert.deepStrictEqual(keys, [...keys].sort())
      }
    )

    it("January 2024 has 31 daily keys, February 29, February 2023 28", () => {
      const def = TimeWindow.daily({ start: "2023-01-01" })
      const january = right(Partitions.select(def, "2024-01-01..2024-01-31", ctx))
      assert.strictEqual(january.length, 31)
      assert.strictEqual(january[0], "2024-01-01")
      assert.strictEqual(january[30], "2024-01-31")
      assert.strictEqual(right(Partitions.select(def, "2024-02-01..2024-02-29", ctx)).length, 29)
      assert.strictEqual(right(Partitions.select(def, "2023-02-01..2023-02-28", ctx)).length, 28)
      assert.strictEqual(left(def.parse("2023-02-29")).reason, "InvalidKey")
      assert.strictEqual(
        right(Partitions.select(def, "2024-01-01..2024-12-31", Partitions.context({ now: Date.UTC(2025, 5) }))).length,
        366
      )
    })

    it("monthly 2024-01..2024-12 is 12 keys; bounded monthly lists its months", () => {
      const def = TimeWindow.monthly({ start: "2024-01", end: "2025-01-01" })
      const later = Partitions.context({ now: Date.UTC(2030, 0, 1) })
      assert.deepStrictEqual(right(Partitions.select(def, "2024-01..2024-12", later)), def.keys(later))
      assert.strictEqual(def.keys(later).length, 12)
      assert.strictEqual(def.description, "monthly from 2024-01-01 until 2025-01-01 in America/Sao_Paulo")
    })

    it("weeks start on Monday; start and end are normalized to whole windows", () => {
      const def = TimeWindow.weekly({ start: "2024-01-03", end: "2024-02-07" })
      assert.strictEqual(def.start, "2024-01-08")
      assert.strictEqual(def.end, "2024-02-05")
      assert.deepStrictEqual<unknown>(def.keys(ctx), ["2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29"])
      assert.isTrue(Equal.equals(def, TimeWindow.weekly({ start: "2024-01-08", end: "2024-02-05" })))
      const window = right(TimeWindow.windowOf(def, "2024-01-08"))
      assert.strictEqual(window.start.toISOString(), "2024-01-08T03:00:00.000Z")
      assert.strictEqual(window.end.getTime() - window.start.getTime(), 7 * 24 * HOUR)
      const monthly = TimeWindow.monthly({ start: "2024-01-15" })
      assert.strictEqual(monthly.keys(ctx)[0], "2024-02")
    })

    it("windows are local days: 23 and 25 hours across DST in New York", () => {
      const def = TimeWindow.daily({ start: "2024-01-01", timeZone: "America/New_York" })
      const hours = (key: string) => {
        const window = right(TimeWindow.windowOf(def, key))
        return (window.end.getTime() - window.start.getTime()) / HOUR
      }
      assert.strictEqual(hours("2024-03-09"), 24)
      assert.strictEqual(hours("2024-03-10"), 23)
      assert.strictEqual(hours("2024-11-03"), 25)
      assert.strictEqual(right(TimeWindow.windowOf(def, "2024-03-11")).start.toISOString(), "2024-03-11T04:00:00.000Z")
    })

    it("a midnight skipped by DST (São Paulo, 2018) opens the day at 01:00", () => {
      const def = TimeWindow.daily({ start: "2018-01-01" })
      const window = right(TimeWindow.windowOf(def, "2018-11-04"))
      assert.strictEqual(window.start.toISOString(), "2018-11-04T03:00:00.000Z")
      assert.strictEqual((window.end.getTime() - window.start.getTime()) / HOUR, 23)
      assert.strictEqual(right(TimeWindow.containing(def, window.start)), "2018-11-04")
      assert.strictEqual(right(TimeWindow.containing(def, window.start.getTime() - 1)), "2018-11-03")
    })

    it("a day a zone skipped (Pacific/Apia, 2011-12-30) is an empty window whose key round-trips", () => {
      const def = TimeWindow.daily({ start: "2011-12-28", end: "2012-01-02", timeZone: "Pacific/Apia" })
      const window = right(def.parse("2011-12-30"))
      assert.strictEqual(window.start.getTime(), window.end.getTime())
      const keys = def.keys(Partitions.context({ now: Date.UTC(2012, 0, 10) }))
      assert.deepStrictEqual(keys.map((key) => def.format(right(def.parse(key)))), keys)
      assert.strictEqual(right(Partitions.parseKey(def, "2011-12-30")), "2011-12-30")
    })

    it("open-ended sets stop at the window containing now, shifted by endOffset", () => {
      const last = (def: Partitions.PartitionsDefinition, c = ctx) => def.keys(c)[def.keys(c).length - 1]
      assert.strictEqual(last(TimeWindow.daily({ start: "2024-03-01" })), "2024-03-15")
      assert.strictEqual(last(TimeWindow.daily({ start: "2024-03-01", endOffset: -1 })), "2024-03-14")
      assert.strictEqual(last(TimeWindow.daily({ start: "2024-03-01", endOffset: 1 })), "2024-03-16")
      assert.strictEqual(last(TimeWindow.monthly({ start: "2024-01" })), "2024-03")
      // 01:00 UTC on the 16th is still the 15th in São Paulo.
      const night = Partitions.context({ now: new Date("2024-03-16T01:00:00Z") })
      assert.strictEqual(last(TimeWindow.daily({ start: "2024-03-01" }), night), "2024-03-15")
      assert.strictEqual(last(TimeWindow.daily({ start: "2024-03-01", timeZone: "UTC" }), night), "2024-03-16")
      assert.deepStrictEqual(TimeWindow.daily({ start: "2025-01-01" }).keys(ctx), [])
    })

    it("containing and shift give today, yesterday and neighbours", () => {
      const def = TimeWindow.daily({ start: "2024-01-01" })
      assert.strictEqual(right(TimeWindow.containing(def, ctx.now)), "2024-03-15")
      assert.strictEqual(right(TimeWindow.containing(def, ctx.now, -1)), "2024-03-14")
      assert.strictEqual(right(TimeWindow.shift(def, "2024-03-01", -1)), "2024-02-29")
      assert.strictEqual(left(TimeWindow.shift(def, "2024-01-01", -1)).reason, "OutOfRange")
      // never a key that does not parse back: a fractional or infinite offset, an invalid instant
      for (const n of [0.5, Number.POSITIVE_INFINITY, Number.NaN]) {
        assert.strictEqual(left(TimeWindow.shift(def, "2024-03-01", n)).reason, "InvalidRange", String(n))
        assert.strictEqual(left(TimeWindow.containing(def, ctx.now, n)).reason, "InvalidRange", String(n))
      }
      for (const instant of [new Date("not a date"), Number.NaN]) {
        assert.include(left(TimeWindow.containing(def, instant)).message, "is not an instant")
      }
      assert.deepStrictEqual<unknown>(
        TimeWindow.overlapping(
          def,
          right(TimeWindow.windowOf(TimeWindow.weekly({ start: "2024-01-01" }), "2024-01-29"))
        ),
        ["2024-01-29", "2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02", "2024-02-03", "2024-02-04"]
      )
    })

    it("a context whose now is no instant is refused at once", () => {
      throwsDefinition(() => Partitions.context({ now: new Date("not a date") }), "needs an instant for now")
      throwsDefinition(() => Partitions.context({ now: Number.NaN }), "needs an instant for now")
    })

    it.effect("currentContext reads the Effect clock", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.UTC(2024, 0, 10, 12))
        const current = yield* Partitions.currentContext({ dynamicKeys: { files: ["a"] } })
        assert.strictEqual(TimeWindow.daily({ start: "2024-01-01" }).keys(current).length, 10)
        assert.deepStrictEqual(current.dynamicKeys("files"), ["a"])
        assert.deepStrictEqual(current.dynamicKeys("other"), [])
      }))
  })

  describe("Static", () => {
    // the keys the selection syntax allows (static and dynamic keys follow the same rule)
    const safeKey = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => Either.isRight(Dynamic.checkKey(s)))

    it.prop(
      "keys round-trip and select keeps declaration order",
      [fc.uniqueArray(safeKey, { minLength: 1 })],
      ([keys]) => {
        const def = Static.make(keys)
        for (const key of keys) assert.strictEqual(def.format(right(def.parse(key))), key)
        assert.deepStrictEqual<unknown>(def.keys(ctx), keys)
        assert.deepStrictEqual<unknown>(right(Partitions.select(def, [...keys].reverse().join(","), ctx)), keys)
      }
    )

    it("the value type is the literal union of the keys", () => {
      const def = Static.make(["1", "2"])
      const value: Partitions.Value<typeof def> = right(def.parse("2"))
      // @ts-expect-error "3" is not a key
      const wrong: Partitions.Value<typeof def> = "3"
      assert.strictEqual(value, "2")
      assert.strictEqual(wrong, "3")
      assert.strictEqual(def.description, "static [1, 2]")
    })

    it("ranges follow declaration order", () => {
      const def = Static.make(["1", "2", "3", "10", "11"])
      assert.deepStrictEqual<unknown>(right(Partitions.select(def, "2..10", ctx)), ["2", "3", "10"])
      assert.strictEqual(left(Partitions.select(def, "10..2", ctx)).reason, "InvalidRange")
      assert.strictEqual(
        left(def.parse("4")).message,
        "\"4\" is not a static partition key: expected one of 1, 2, 3, 10, 11"
      )
    })

    it("rejects empty, duplicate and syntax-clashing keys", () => {
      throwsDefinition(() => Static.make([]), "at least one key")
      throwsDefinition(() => Static.make(["a", "a"]), "appears twice")
      throwsDefinition(() => Static.make(["a|b"]), "\"|\"")
      throwsDefinition(() => Static.make(["a,b"]), "\",\"")
      throwsDefinition(() => Static.make(["a..b"]), "\"..\"")
      // `v1...v2` could not tell the range's ".." from a key's own "."
      throwsDefinition(() => Static.make(["v1.", "v2"]), "start or end with \".\"")
      throwsDefinition(() => Static.make([".v1"]), "start or end with \".\"")
      throwsDefinition(() => Static.make(["*"]), "every key")
      assert.strictEqual(left(Static.makeEither([" a"])).reason, "InvalidDefinition")
    })
  })

  describe("Dynamic", () => {
    const files = Dynamic.make("files")
    const withFiles = Partitions.context({ now: ctx.now, dynamicKeys: { files: ["b.csv", "a.csv", "b.csv", "c.csv"] } })

    it.prop(
      "keys round-trip",
      [fc.string({ minLength: 1 }).filter((s) => Either.isRight(Dynamic.checkKey(s)))],
      ([key]) => {
        assert.strictEqual(files.format(right(files.parse(key))), key)
        assert.deepStrictEqual<unknown>(files.keys(Partitions.context({ dynamicKeys: () => [key] })), [key])
      }
    )

    it("keys come from the context, in insertion order, without duplicates", () => {
      assert.deepStrictEqual<unknown>(files.keys(withFiles), ["b.csv", "a.csv", "c.csv"])
      assert.deepStrictEqual(files.keys(ctx), [])
      assert.deepStrictEqual<unknown>(right(Partitions.select(files, "a.csv..c.csv", withFiles)), ["a.csv", "c.csv"])
      assert.deepStrictEqual<unknown>(right(Partitions.select(files, "c.csv,b.csv", withFiles)), ["b.csv", "c.csv"])
      assert.strictEqual(files.description, "dynamic \"files\"")
    })

    it("membership is checked against the context", () => {
      assert.strictEqual(right(files.parse("z.csv")), "z.csv")
      const error = left(files.parse("z.csv", withFiles))
      assert.strictEqual(error.reason, "OutOfRange")
      assert.include(error.message, "has not been added to dynamic partitions \"files\"")
      assert.strictEqual(left(Dynamic.checkKey("a|b")).reason, "InvalidKey")
      assert.strictEqual(left(Dynamic.checkKey("build.")).reason, "InvalidKey")
      throwsDefinition(() => Dynamic.make(" "), "non-empty name")
    })
  })

  describe("Multi", () => {
    const modalidades = Static.make(["1", "6", "8", "13"])
    const ufs = Static.make(["SP", "RJ", "MG"])
    const def = Multi.make({ date: TimeWindow.daily({ start: "2024-01-01" }), modalidade: modalidades, uf: ufs })

    it.prop(
      "3-dimension keys round-trip",
      [fc.integer({ min: 0, max: 74 }), fc.constantFrom("1", "6", "8", "13"), fc.constantFrom("SP", "RJ", "MG")],
      ([day, modalidade, uf]) => {
        const key = `${dayKey(epochDay("2024-01-01") + day)}|${modalidade}|${uf}`
        const value = right(def.parse(key, ctx))
        assert.strictEqual(value.modalidade, modalidade)
        assert.strictEqual(value.uf, uf)
        assert.strictEqual(def.format(value), key)
        assert.deepStrictEqual<unknown>(right(Multi.split(def, key)), { date: key.slice(0, 10), modalidade, uf })
        assert.strictEqual(right(Multi.dimensionValue(def, key, "uf")), uf)
        assert.strictEqual(right(Multi.join(def, { uf, date: key.slice(0, 10), modalidade })), key)
      }
    )

    it("values are typed per dimension", () => {
      const value: Partitions.Value<typeof def> = right(def.parse("2024-01-02|6|SP"))
      const window: TimeWindow.Window = value.date
      const modalidade: "1" | "6" | "8" | "13" = value.modalidade
      assert.strictEqual(window.start.toISOString(), "2024-01-02T03:00:00.000Z")
      assert.strictEqual(modalidade, "6")
    })

    it("selects the cartesian product of one spec per dimension, first dimension outermost", () => {
      const keys = right(Partitions.select(def, "2024-01-01..2024-01-03|6,8|*", ctx))
      assert.strictEqual(keys.length, 3 * 2 * 3)
      assert.deepStrictEqual(keys.slice(0, 4), [
        "2024-01-01|6|SP",
        "2024-01-01|6|RJ",
        "2024-01-01|6|MG",
        "2024-01-01|8|SP"
      ])
      assert.deepStrictEqual<unknown>(right(Partitions.select(def, "2024-01-05|13|MG", ctx)), ["2024-01-05|13|MG"])
      assert.strictEqual(right(Partitions.select(def, "*", ctx)).length, 75 * 4 * 3)
      assert.strictEqual(def.keys(ctx).length, 75 * 4 * 3)
      const two = Multi.make({ date: TimeWindow.daily({ start: "2024-01-01" }), modalidade: modalidades })
      assert.strictEqual(right(Partitions.select(two, "2024-01-01..2024-01-03|6,8", ctx)).length, 6)
    })

    it("reports the dimension a bad part belongs to", () => {
      const error = left(def.parse("2024-01-01|7|SP"))
      assert.strictEqual(error.reason, "InvalidKey")
      assert.include(error.message, "(dimension \"modalidade\")")
      assert.strictEqual(left(def.parse("2024-01-01|6")).reason, "InvalidKey")
      assert.strictEqual(left(Partitions.select(def, "2024-01-01|6", ctx)).reason, "InvalidKey")
      assert.strictEqual(left(Partitions.select(def, "2024-01-01|13..6|SP", ctx)).reason, "InvalidRange")
      assert.strictEqual(left(def.parse("2030-01-01|6|SP", ctx)).reason, "OutOfRange")
    })

    it("dimension lookups fail with UnknownDimension", () => {
      assert.isTrue(Equal.equals(right(Multi.dimension(def, "uf")), ufs))
      assert.strictEqual(left(Multi.dimension(def, "orgao")).reason, "UnknownDimension")
      assert.strictEqual(left(Multi.dimensionValue(def, "2024-01-01|6|SP", "orgao")).reason, "UnknownDimension")
      assert.strictEqual(
        left(Multi.join(def, { date: "2024-01-01", modalidade: "6", uf: "SP", x: "1" })).reason,
        "UnknownDimension"
      )
      assert.strictEqual(left(Multi.join(def, { date: "2024-01-01", modalidade: "6" })).reason, "InvalidKey")
    })

    it("rejects invalid dimensions", () => {
      throwsDefinition(() => Multi.make({}), "at least one dimension")
      throwsDefinition(() => Multi.make({ inner: def }), "multi-partition")
      throwsDefinition(() => Multi.make({ "1": ufs }), "index-like")
      throwsDefinition(() => Multi.make({ "a|b": ufs }), "dimension name")
      assert.strictEqual(Multi.make({ uf: ufs }).keys(ctx).length, 3)
      assert.deepStrictEqual<unknown>(right(Partitions.select(Multi.make({ uf: ufs }), "RJ", ctx)), ["RJ"])
    })
  })

  describe("common surface", () => {
    it("definitions are structurally equal, with equal hashes", () => {
      const a = TimeWindow.daily({ start: "2024-01-01" })
      const b = TimeWindow.daily({ start: "2024-01-01", timeZone: "America/Sao_Paulo" })
      assert.isTrue(Equal.equals(a, b))
      assert.strictEqual(Hash.hash(a), Hash.hash(b))
      assert.isFalse(Equal.equals(a, TimeWindow.daily({ start: "2024-01-01", timeZone: "UTC" })))
      assert.isFalse(Equal.equals(a, TimeWindow.weekly({ start: "2024-01-01" })))
      assert.isTrue(Equal.equals(Static.make(["a", "b"]), Static.make(["a", "b"])))
      assert.isFalse(Equal.equals(Static.make(["a", "b"]), Static.make(["b", "a"])))
      assert.isTrue(
        Equal.equals(Multi.make({ d: a, s: Static.make(["x"]) }), Multi.make({ d: b, s: Static.make(["x"]) }))
      )
      assert.isFalse(
        Equal.equals(Multi.make({ d: a, s: Static.make(["x"]) }), Multi.make({ s: Static.make(["x"]), d: b }))
      )
      assert.isTrue(Equal.equals(Dynamic.make("f"), Dynamic.make("f")))
    })

    it("toJSON and description are readable", () => {
      const def = Multi.make({ date: TimeWindow.daily({ start: "2024-01-01" }), uf: Static.make(["SP"]) })
      assert.deepStrictEqual(JSON.parse(JSON.stringify(def)), {
        _tag: "Multi",
        dimensions: [
          {
            name: "date",
            partitions: {
              _tag: "TimeWindow",
              cadence: "daily",
              start: "2024-01-01",
              end: null,
              timeZone: "America/Sao_Paulo",
              endOffset: 0
            }
          },
          { name: "uf", partitions: { _tag: "Static", keys: ["SP"] } }
        ]
      })
      assert.strictEqual(def.description, "date: daily from 2024-01-01 in America/Sao_Paulo × uf: static [SP]")
      assert.strictEqual(
        String(TimeWindow.daily({ start: "2024-01-01", endOffset: -1, timeZone: "utc" })),
        "Partitions(daily from 2024-01-01 in UTC, end offset -1)"
      )
      assert.isTrue(Partitions.isPartitionsDefinition(def))
      assert.isFalse(Partitions.isPartitionsDefinition({ _tag: "Static" }))
      assert.isTrue(TimeWindow.isTimeWindow(TimeWindow.daily({ start: "2024-01-01" })))
      assert.isFalse(Static.isStatic(def))
    })

    it("select accepts *, keys, ranges and comma lists, deduplicated in order", () => {
      const def = TimeWindow.daily({ start: "2024-01-01" })
      assert.deepStrictEqual<unknown>(
        right(Partitions.select(def, "2024-01-05, 2024-01-01..2024-01-03,2024-01-02", ctx)),
        ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-05"]
      )
      assert.strictEqual(right(Partitions.select(def, "*", ctx)).length, 75)
      assert.deepStrictEqual(right(Partitions.parseKey(def, "2024-01-09")), "2024-01-09")
    })

    it("every error reason carries a message a user understands", () => {
      const def = TimeWindow.daily({ start: "2024-01-01", end: "2025-01-01" })
      assert.deepStrictEqual(
        left(def.parse("2024-13-01")),
        new Partitions.PartitionError({
          reason: "InvalidKey",
          message: "\"2024-13-01\" is not a daily partition key: expected YYYY-MM-DD"
        })
      )
      assert.strictEqual(
        left(TimeWindow.weekly({ start: "2024-01-01" }).parse("2024-01-03")).message,
        "\"2024-01-03\" is not a weekly partition key: weeks start on Monday and 2024-01-03 is a Wednesday"
      )
      assert.strictEqual(
        left(def.parse("2023-12-31")).message,
        "2023-12-31 is before the start of daily partitions (2024-01-01)"
      )
      assert.strictEqual(
        left(def.parse("2025-01-01")).message,
        "2025-01-01 is past the end of daily partitions (the last key is 2024-12-31)"
      )
      assert.strictEqual(
        left(def.parse("2024-03-16", ctx)).message,
        "2024-03-16 is in the future: the last daily partition now is 2024-03-15"
      )
      assert.strictEqual(left(Partitions.select(def, "2024-01-31..2024-01-01", ctx)).reason, "InvalidRange")
      assert.strictEqual(left(Partitions.select(def, "2024-01-01..2024-01-02..2024-01-03", ctx)).reason, "InvalidRange")
      assert.strictEqual(left(Partitions.select(def, "..2024-01-02", ctx)).reason, "InvalidRange")
      assert.strictEqual(left(Partitions.select(def, "2024-01-01,,2024-01-02", ctx)).reason, "InvalidKey")
      assert.strictEqual(left(Partitions.select(def, "2024-01-01..2030-01-01", ctx)).reason, "OutOfRange")
      assert.strictEqual(left(Multi.dimension(Multi.make({ d: def }), "x")).reason, "UnknownDimension")
      throwsDefinition(
        () => TimeWindow.daily({ start: "2024-01-01", timeZone: "Mars/Olympus" }),
        "\"Mars/Olympus\" is not a time zone"
      )
      throwsDefinition(() => TimeWindow.daily({ start: "01/01/2024" }), "start \"01/01/2024\" is not a date")
      throwsDefinition(
        () => TimeWindow.monthly({ start: "2024-01", end: "2024-01-20" }),
        "leaves no complete monthly window"
      )
      throwsDefinition(() => TimeWindow.daily({ start: "2024-01-01", endOffset: 0.5 }), "whole number")
      assert.strictEqual(
        left(TimeWindow.makeEither({ cadence: "daily", start: "2024-02-30" })).reason,
        "InvalidDefinition"
      )
    })
  })
})
