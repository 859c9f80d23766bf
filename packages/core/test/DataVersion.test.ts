import { assert, describe, it } from "@effect/vitest"
import { FastCheck } from "effect"
import * as DataVersion from "../src/DataVersion.js"

describe("DataVersion", () => {
  it("hashes deterministically and tells parts apart", () => {
    assert.strictEqual(DataVersion.hash("a", "b"), DataVersion.hash("a", "b"))
    assert.notStrictEqual(DataVersion.hash("a", "b"), DataVersion.hash("ab"))
    assert.notStrictEqual(DataVersion.hash("a", "b"), DataVersion.hash("b", "a"))
    assert.match(DataVersion.hash("x"), /^[0-9a-f]{28}$/)
  })

  it.prop("distinct inputs give distinct versions", [
    FastCheck.uniqueArray(FastCheck.string(), { minLength: 2, maxLength: 200 })
  ], ([inputs]) => {
    const versions = new Set(inputs.map((input) => DataVersion.hash(input)))
    assert.strictEqual(versions.size, inputs.length)
  })

  it("derives the logical version from code and upstream versions, whatever their order", () => {
    const a = DataVersion.logical({ codeVersion: "1", upstream: [["x", "v1"], ["y", "v2"]] })
    const b = DataVersion.logical({ codeVersion: "1", upstream: [["y", "v2"], ["x", "v1"]] })
    assert.strictEqual(a, b)
    assert.notStrictEqual(a, DataVersion.logical({ codeVersion: "2", upstream: [["x", "v1"], ["y", "v2"]] }))
    assert.notStrictEqual(a, DataVersion.logical({ codeVersion: "1", upstream: [["x", "v1"], ["y", "v3"]] }))
  })

  it("explains staleness", () => {
    assert.deepStrictEqual(
      DataVersion.staleness({
        storedCodeVersion: "1",
        currentCodeVersion: "2",
        storedUpstream: {},
        currentUpstream: []
      }),
      { _tag: "CodeVersionChanged", from: "1", to: "2" }
    )
    assert.deepStrictEqual(
      DataVersion.staleness({
        storedCodeVersion: "1",
        currentCodeVersion: "1",
        storedUpstream: { a: "v1", b: "v1" },
        currentUpstream: [["a", "v1"], ["b", "v2"], ["c", undefined]]
      }),
      { _tag: "UpstreamChanged", upstream: ["b"] }
    )
    assert.deepStrictEqual(
      DataVersion.staleness({
        storedCodeVersion: undefined,
        currentCodeVersion: undefined,
        storedUpstream: { a: "v" },
        currentUpstream: [["a", "v"]]
      }),
      { _tag: "Fresh" }
    )
  })
})
