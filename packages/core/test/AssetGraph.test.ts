import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Option } from "effect"
import * as Asset from "../src/Asset.js"
import * as AssetGraph from "../src/AssetGraph.js"
import * as PartitionMapping from "../src/PartitionMapping.js"
import * as Multi from "../src/Partitions/Multi.js"
import * as Static from "../src/Partitions/Static.js"
import * as TimeWindow from "../src/Partitions/TimeWindow.js"

const noop = () => Effect.void
const asset = (
  key: string,
  deps: ReadonlyArray<Asset.DependencyInput> = [],
  extra: Partial<Parameters<typeof Asset.make>[0]> = {}
) => Asset.make({ key, deps, materialize: noop, ...extra })

const errorOf = <A>(result: Either.Either<A, AssetGraph.AssetGraphError>) =>
  Either.match(result, { onLeft: (error) => error, onRight: () => assert.fail("expected an AssetGraphError") })

describe("AssetGraph", () => {
  it("orders dependencies first, deterministically (depth-first in definition and declaration order)", () => {
    const a = asset("a")
    const b = asset("b", [a])
    const c = asset("c")
    const d = asset("d", [b, c])
    const graph = Either.getOrThrow(AssetGraph.make([d, c, b, a]))
    // d is defined first; its deps are visited in declared order: b (which needs a), then c.
    assert.deepStrictEqual(graph.keys.map(String), ["a", "b", "c", "d"])
    const again = Either.getOrThrow(AssetGraph.make([d, c, b, a]))
    assert.deepStrictEqual(again.keys.map(String), graph.keys.map(String))
    assert.deepStrictEqual(graph.parents(d.key).map(String), ["b", "c"])
    assert.deepStrictEqual(graph.children(a.key).map(String), ["b"])
    assert.isTrue(Option.isSome(graph.get("d")))
    assert.isTrue(Option.isNone(graph.get("zzz")))
  })

  it("reports a cycle with its path", () => {
    const error = errorOf(AssetGraph.make([asset("a", ["c"]), asset("b", ["a"]), asset("c", ["b"])]))
    assert.strictEqual(error.reason, "Cycle")
    assert.strictEqual(error.message, "Dependency cycle: a → c → b → a")
    assert.deepStrictEqual(error.assets, ["a", "c", "b", "a"])
  })

  it("reports a self-dependency as a cycle", () => {
    const error = errorOf(AssetGraph.make([asset("a", ["a"])]))
    assert.strictEqual(error.message, "Dependency cycle: a → a")
  })

  it("reports a missing dependency naming who needs it", () => {
    const error = errorOf(AssetGraph.make([asset("mart/x", ["staging/missing"])]))
    assert.strictEqual(error.reason, "MissingDependency")
    assert.include(error.message, `"mart/x" depends on "staging/missing"`)
  })

  it("reports a duplicate key", () => {
    const error = errorOf(AssetGraph.make([asset("a"), asset("a")]))
    assert.strictEqual(error.reason, "DuplicateKey")
    assert.include(error.message, `"a"`)
  })

  it("reports a partition mapping that cannot apply", () => {
    const daily = TimeWindow.daily({ start: "2024-01-01" })
    const colors = Static.make(["red", "blue"])
    const error = errorOf(AssetGraph.make([
      asset("up", [], { partitions: colors }),
      asset("down", ["up"], { partitions: daily })
    ]))
    assert.strictEqual(error.reason, "InvalidPartitionMapping")
    assert.include(error.message, `"down" cannot depend on "up"`)
  })

  it("infers mappings: identity, daily→monthly, multi dimension, all-upstream", () => {
    const daily = TimeWindow.daily({ start: "2024-01-01" })
    const monthly = TimeWindow.monthly({ start: "2024-01" })
    const multi = Multi.make({ date: daily, modalidade: Static.make(["6", "8"]) })
    const graph = Either.getOrThrow(AssetGraph.make([
      asset("raw", [], { partitions: multi }),
      asset("staging", ["raw"], { partitions: daily }),
      asset("daily_mart", ["staging"], { partitions: daily }),
      asset("monthly_mart", ["staging"], { partitions: monthly }),
      asset("summary", ["monthly_mart"])
    ]))
    const key = (k: string) => Option.getOrThrow(graph.get(k)).key
    assert.strictEqual(graph.mapping(key("daily_mart"), key("staging"))._tag, "Identity")
    assert.strictEqual(graph.mapping(key("monthly_mart"), key("staging"))._tag, "TimeWindow")
    assert.strictEqual(graph.mapping(key("staging"), key("raw"))._tag, "Dimension")
    assert.strictEqual(graph.mapping(key("summary"), key("monthly_mart"))._tag, "AllUpstream")
  })

  it("accepts an explicit mapping and validates it", () => {
    const colors = Static.make(["red", "blue"])
    const shades = Static.make(["dark-red", "light-red", "navy"])
    const ok = AssetGraph.make([
      asset("colors", [], { partitions: colors }),
      asset("shades", [{
        asset: "colors",
        mapping: PartitionMapping.static({ "dark-red": ["red"], "light-red": ["red"], navy: ["blue"] })
      }], { partitions: shades })
    ])
    assert.isTrue(Either.isRight(ok))
  })

  it("computes upstream and downstream closures with depth", () => {
    const graph = Either.getOrThrow(AssetGraph.make([
      asset("a"),
      asset("b", ["a"]),
      asset("c", ["b"]),
      asset("d", ["c"])
    ]))
    const k = (s: string) => Option.getOrThrow(graph.get(s)).key
    assert.deepStrictEqual([...AssetGraph.upstream(graph, [k("d")])].sort(), ["a", "b", "c", "d"])
    assert.deepStrictEqual([...AssetGraph.upstream(graph, [k("d")], 1)].sort(), ["c", "d"])
    assert.deepStrictEqual([...AssetGraph.downstream(graph, [k("b")], 2)].sort(), ["b", "c", "d"])
    assert.include(AssetGraph.toMermaid(graph), "flowchart LR")
  })

  it("builds a 10,000-asset chain without overflowing the stack", () => {
    const assets: Array<Asset.Any> = [asset("n0")]
    for (let i = 1; i < 10_000; i++) assets.push(asset(`n${i}`, [`n${i - 1}`]))
    const graph = Either.getOrThrow(AssetGraph.make(assets.reverse()))
    assert.strictEqual(graph.keys[0], "n0")
    assert.strictEqual(graph.keys[9_999], "n9999")
  })

  it.prop(
    "every asset comes after its dependencies (random DAGs)",
    [FastCheck.array(FastCheck.array(FastCheck.nat(), { maxLength: 4 }), { minLength: 1, maxLength: 60 })],
    ([depIndexes]) => {
      // Asset i may depend only on assets j < i, so the graph is acyclic; shuffle the definition order.
      const assets = depIndexes.map((deps, i) =>
        asset(`n${i}`, i === 0 ? [] : [...new Set(deps.map((d) => d % i))].map((d) => `n${d}`))
      )
      const shuffled = [...assets].sort((x, y) =>
        (x.key.length * 7 + x.key.charCodeAt(1)) % 5 - (y.key.length * 7 + y.key.charCodeAt(1)) % 5
      )
      const graph = Either.getOrThrow(AssetGraph.make(shuffled))
      const position = new Map(graph.keys.map((key, i) => [key, i]))
      for (const a of graph.assets) {
        for (const dep of a.deps) assert.isTrue(position.get(dep.key)! < position.get(a.key)!)
      }
      assert.strictEqual(graph.keys.length, assets.length)
    }
  )
})
