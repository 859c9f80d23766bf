import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck as fc, Option } from "effect"
import * as PartitionMapping from "../src/PartitionMapping.js"
import * as Partitions from "../src/Partitions.js"
import * as Dynamic from "../src/Partitions/Dynamic.js"
import * as Multi from "../src/Partitions/Multi.js"
import * as Static from "../src/Partitions/Static.js"
import * as TimeWindow from "../src/Partitions/TimeWindow.js"

const ctx = Partitions.context({ now: Date.UTC(2024, 2, 15, 12) }) // 2024-03-15 in São Paulo

const daily = TimeWindow.daily({ start: "2024-01-01" })
const monthly = TimeWindow.monthly({ start: "2024-01" })
const weekly = TimeWindow.weekly({ start: "2024-01-01" })
const modalidades = Static.make(["6", "8"])
const ufs = Static.make(["SP", "RJ"])
const dayByModalidade = Multi.make({ date: daily, modalidade: modalidades })
const dayByUf = Multi.make({ date: daily, uf: ufs })

const keys = (
  mapping: PartitionMapping.PartitionMapping,
  key: string | undefined,
  downstream: Partitions.PartitionsDefinition | undefined,
  upstream: Partitions.PartitionsDefinition | undefined,
  context = ctx
): ReadonlyArray<string> | "unpartitioned" => {
  const result = mapping.upstreamKeys(key, downstream, upstream, context)
  if (Either.isLeft(result)) assert.fail(`expected Right, got ${result.left.reason}: ${result.left.message}`)
  return result.right
}
const failure = (
  mapping: PartitionMapping.PartitionMapping,
  key: string | undefined,
  downstream: Partitions.PartitionsDefinition | undefined,
  upstream: Partitions.PartitionsDefinition | undefined
): Partitions.PartitionError => {
  const result = mapping.upstreamKeys(key, downstream, upstream, ctx)
  if (Either.isRight(result)) assert.fail(`expected Left, got ${JSON.stringify(result.right)}`)
  return result.left
}
const inferred = (downstream?: Partitions.PartitionsDefinition, upstream?: Partitions.PartitionsDefinition) => {
  const result = PartitionMapping.inferDefault(downstream, upstream)
  if (Either.isLeft(result)) assert.fail(`expected a mapping, got: ${result.left}`)
  return result.right
}

describe("PartitionMapping", () => {
  describe("identity", () => {
    it("maps a key to the same key of an equal definition", () => {
      assert.deepStrictEqual(
        keys(PartitionMapping.identity, "2024-01-05", daily, TimeWindow.daily({ start: "2024-01-01" })),
        [
          "2024-01-05"
        ]
      )
      assert.strictEqual(keys(PartitionMapping.identity, undefined, undefined, undefined), "unpartitioned")
      assert.strictEqual(failure(PartitionMapping.identity, "2024-04-01", daily, daily).reason, "OutOfRange")
    })

    it("refuses different definitions", () => {
      const why = PartitionMapping.identity.validate(daily, monthly)
      assert.isTrue(Option.isSome(why))
      assert.include(Option.getOrThrow(why), "same partitions on both sides")
      assert.strictEqual(failure(PartitionMapping.identity, "2024-01", monthly, daily).reason, "InvalidDefinition")
      assert.isTrue(Option.isSome(PartitionMapping.identity.validate(daily, undefined)))
    })

    it("needs a key for a partitioned downstream step", () => {
      const error = failure(PartitionMapping.identity, undefined, daily, daily)
      assert.strictEqual(error.reason, "InvalidKey")
      assert.include(error.message, "needs a partition key")
    })
  })

  describe("timeWindow", () => {
    const mapping = PartitionMapping.timeWindow()

    it("a month needs every day of the month", () => {
      const january = keys(mapping, "2024-01", monthly, daily)
      assert.strictEqual(january.length, 31)
      assert.strictEqual(january[0], "2024-01-01")
      assert.strictEqual(january[30], "2024-01-31")
      assert.strictEqual(keys(mapping, "2024-02", monthly, daily).length, 29)
    })

    it("a day needs its month, a week may need two months", () => {
      assert.deepStrictEqual(keys(mapping, "2024-01-15", daily, monthly), ["2024-01"])
      assert.deepStrictEqual(keys(mapping, "2024-01-29", weekly, monthly), ["2024-01", "2024-02"])
      assert.deepStrictEqual(keys(mapping, "2024-01-31", daily, weekly), ["2024-01-29"])
    })

    it.prop("a month's days are exactly the daily keys inside it", [fc.integer({ min: 0, max: 11 })], ([month]) => {
      const later = Partitions.context({ now: Date.UTC(2025, 0, 15) })
      const key = `2024-${String(month + 1).padStart(2, "0")}`
      const days = keys(mapping, key, monthly, daily, later)
      assert.strictEqual(days.length, new Date(Date.UTC(2024, month + 1, 0)).getUTCDate())
      assert.isTrue(Array.isArray(days) && days.every((day) => day.startsWith(key)))
    })

    it("stays inside the upstream's start, end and clock", () => {
      assert.strictEqual(keys(mapping, "2024-01", monthly, TimeWindow.daily({ start: "2024-01-15" })).length, 17)
      assert.strictEqual(keys(mapping, "2024-03", monthly, daily).length, 15)
      assert.deepStrictEqual(keys(mapping, "2024-01-05", daily, TimeWindow.monthly({ start: "2024-02" })), [])
    })

    it("an offset shifts the downstream window first", () => {
      const previous = PartitionMapping.timeWindow({ offset: -1 })
      assert.deepStrictEqual(keys(previous, "2024-03-01", daily, daily), ["2024-02-29"])
      assert.deepStrictEqual(keys(previous, "2024-01-01", daily, daily), [])
      assert.deepStrictEqual(keys(previous, "2024-03", monthly, monthly), ["2024-02"])
      assert.strictEqual(previous.description, "time window (offset -1)")
    })

    it("overlap is by instant, so zones that differ widen the set", () => {
      const utcMonthly = TimeWindow.monthly({ start: "2024-01", timeZone: "UTC" })
      const days = keys(mapping, "2024-02", utcMonthly, daily)
      // February in UTC begins at 21:00 on January 31 in São Paulo.
      assert.strictEqual(days[0], "2024-01-31")
      assert.strictEqual(days.length, 30)
    })

    it("refuses anything but two time windows", () => {
      assert.isTrue(Option.isSome(mapping.validate(daily, modalidades)))
      assert.isTrue(Option.isSome(mapping.validate(undefined, daily)))
      assert.isTrue(Option.isNone(mapping.validate(monthly, daily)))
      assert.strictEqual(failure(mapping, "6", modalidades, daily).reason, "InvalidDefinition")
    })
  })

  describe("allUpstream and unpartitioned", () => {
    it("allUpstream needs every current upstream step", () => {
      assert.deepStrictEqual(keys(PartitionMapping.allUpstream, undefined, undefined, modalidades), ["6", "8"])
      assert.strictEqual(keys(PartitionMapping.allUpstream, undefined, undefined, daily).length, 75)
      assert.deepStrictEqual(keys(PartitionMapping.allUpstream, "SP", ufs, modalidades), ["6", "8"])
      assert.strictEqual(keys(PartitionMapping.allUpstream, "SP", ufs, undefined), "unpartitioned")
    })

    it("unpartitioned gives the single upstream step to every downstream step", () => {
      assert.strictEqual(keys(PartitionMapping.unpartitioned, "2024-01-01", daily, undefined), "unpartitioned")
      assert.strictEqual(keys(PartitionMapping.unpartitioned, undefined, undefined, undefined), "unpartitioned")
      assert.isTrue(Option.isSome(PartitionMapping.unpartitioned.validate(undefined, daily)))
      assert.strictEqual(
        failure(PartitionMapping.unpartitioned, undefined, undefined, daily).reason,
        "InvalidDefinition"
      )
    })
  })

  describe("static", () => {
    const mapping = PartitionMapping.static({ SP: ["6", "8"], RJ: ["8"] })

    it("follows the table; unlisted keys need nothing", () => {
      assert.deepStrictEqual(keys(mapping, "SP", ufs, modalidades), ["6", "8"])
      assert.deepStrictEqual(keys(mapping, "RJ", ufs, modalidades), ["8"])
      assert.deepStrictEqual(keys(mapping, "MG", Static.make(["SP", "RJ", "MG"]), modalidades), [])
      assert.deepStrictEqual(mapping.toJSON(), { _tag: "Static", mapping: { SP: ["6", "8"], RJ: ["8"] } })
    })

    it("gives each upstream key once, in the upstream's order, whatever the table's", () => {
      const written = PartitionMapping.static({ SP: ["8", "6", "8"] })
      assert.deepStrictEqual(keys(written, "SP", ufs, modalidades), ["6", "8"])
    })

    it("validates both sides of the table", () => {
      assert.include(Option.getOrThrow(mapping.validate(Static.make(["SP"]), modalidades)), "downstream key")
      assert.include(Option.getOrThrow(mapping.validate(ufs, Static.make(["6"]))), "upstream key")
      assert.isTrue(Option.isSome(mapping.validate(undefined, modalidades)))
      const files = Dynamic.make("files")
      const withFiles = Partitions.context({ now: ctx.now, dynamicKeys: { files: ["a"] } })
      const dynamic = PartitionMapping.static({ SP: ["a", "b"] })
      assert.isTrue(Option.isNone(dynamic.validate(ufs, files)))
      const error = dynamic.upstreamKeys("SP", ufs, files, withFiles)
      assert.isTrue(Either.isLeft(error) && error.left.reason === "OutOfRange")
    })
  })

  describe("dimension", () => {
    const mapping = PartitionMapping.dimension("date")

    it("a day needs every day|* key of a day × modalidade upstream", () => {
      assert.deepStrictEqual(keys(mapping, "2024-01-02", daily, dayByModalidade), ["2024-01-02|6", "2024-01-02|8"])
    })

    it("a day × modalidade step needs its day of a daily upstream", () => {
      assert.deepStrictEqual(keys(mapping, "2024-01-02|8", dayByModalidade, daily), ["2024-01-02"])
      assert.strictEqual(failure(mapping, "2024-01-02", dayByModalidade, daily).reason, "InvalidKey")
    })

    it("two multi-partitions sharing the dimension", () => {
      assert.deepStrictEqual(keys(mapping, "2024-01-02|6", dayByModalidade, dayByUf), [
        "2024-01-02|SP",
        "2024-01-02|RJ"
      ])
    })

    it("works on any dimension of a three-dimension multi-partition", () => {
      const three = Multi.make({ date: daily, modalidade: modalidades, uf: ufs })
      const needed = keys(PartitionMapping.dimension("uf"), "RJ", ufs, three)
      assert.strictEqual(needed.length, 75 * 2)
      assert.deepStrictEqual(needed.slice(0, 3), ["2024-01-01|6|RJ", "2024-01-01|8|RJ", "2024-01-02|6|RJ"])
      assert.isTrue(Array.isArray(needed) && needed.every((k) => k.endsWith("|RJ")))
      assert.deepStrictEqual(keys(PartitionMapping.dimension("modalidade"), "2024-01-09|8|SP", three, modalidades), [
        "8"
      ])
    })

    it("refuses an unknown dimension, a different definition, or no multi-partition", () => {
      assert.include(Option.getOrThrow(PartitionMapping.dimension("uf").validate(daily, dayByModalidade)), "\"uf\"")
      assert.include(
        Option.getOrThrow(mapping.validate(TimeWindow.daily({ start: "2023-01-01" }), dayByModalidade)),
        "differs"
      )
      assert.include(Option.getOrThrow(mapping.validate(daily, daily)), "neither side")
      assert.isTrue(Option.isNone(mapping.validate(dayByModalidade, daily)))
    })
  })

  describe("inferDefault", () => {
    it("chooses the mapping a dependency gets without one", () => {
      assert.strictEqual(inferred(undefined, undefined)._tag, "Unpartitioned")
      assert.strictEqual(inferred(daily, undefined)._tag, "Unpartitioned")
      assert.strictEqual(inferred(undefined, daily)._tag, "AllUpstream")
      assert.strictEqual(inferred(daily, TimeWindow.daily({ start: "2024-01-01" }))._tag, "Identity")
      assert.strictEqual(inferred(monthly, daily)._tag, "TimeWindow")
      assert.strictEqual(inferred(daily, TimeWindow.daily({ start: "2020-01-01" }))._tag, "TimeWindow")
      assert.deepStrictEqual(inferred(daily, dayByModalidade).toJSON(), { _tag: "Dimension", dimension: "date" })
      assert.deepStrictEqual(inferred(dayByModalidade, modalidades).toJSON(), {
        _tag: "Dimension",
        dimension: "modalidade"
      })
      assert.deepStrictEqual(inferred(dayByModalidade, dayByUf).toJSON(), { _tag: "Dimension", dimension: "date" })
    })

    it("the inferred mapping resolves keys", () => {
      assert.deepStrictEqual(keys(inferred(daily, dayByModalidade), "2024-01-03", daily, dayByModalidade), [
        "2024-01-03|6",
        "2024-01-03|8"
      ])
      assert.strictEqual(keys(inferred(undefined, monthly), undefined, undefined, monthly).length, 3)
    })

    it("is Left with a reason when nothing fits", () => {
      const unrelated = PartitionMapping.inferDefault(modalidades, daily)
      assert.isTrue(Either.isLeft(unrelated))
      assert.include(Either.getLeft(unrelated).pipe(Option.getOrThrow), "Cannot infer a partition mapping")
      assert.isTrue(Either.isLeft(PartitionMapping.inferDefault(modalidades, ufs)))
      const twice = Multi.make({ buyer: ufs, seller: ufs })
      const ambiguous = PartitionMapping.inferDefault(twice, ufs)
      assert.include(Either.getLeft(ambiguous).pipe(Option.getOrThrow), "several dimensions (buyer, seller)")
      assert.isTrue(Either.isLeft(PartitionMapping.inferDefault(Multi.make({ month: monthly, uf: ufs }), daily)))
    })
  })
})
