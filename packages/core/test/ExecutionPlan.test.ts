import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Option } from "effect"
import * as Asset from "../src/Asset.js"
import * as AssetGraph from "../src/AssetGraph.js"
import type { StepRecord } from "../src/AssetState.js"
import * as ExecutionPlan from "../src/ExecutionPlan.js"
import * as Partitions from "../src/Partitions.js"
import * as Multi from "../src/Partitions/Multi.js"
import * as Static from "../src/Partitions/Static.js"
import * as TimeWindow from "../src/Partitions/TimeWindow.js"

const context = Partitions.context({ now: Date.parse("2024-03-10T12:00:00Z") })
const daily = TimeWindow.daily({ start: "2024-01-01" })
const monthly = TimeWindow.monthly({ start: "2024-01" })
const noop = () => Effect.void

const raw = Asset.make({ key: "raw", partitions: daily, codeVersion: "1", materialize: noop })
const staging = Asset.make({ key: "staging", deps: [raw], partitions: daily, codeVersion: "1", materialize: noop })
const mart = Asset.make({ key: "mart", deps: [staging], partitions: monthly, codeVersion: "1", materialize: noop })
const report = Asset.make({ key: "report", deps: [mart], materialize: noop })
const graph = Either.getOrThrow(AssetGraph.make([raw, staging, mart, report]))

const plan = (options: Partial<ExecutionPlan.PlanOptions<never, never>> = {}) =>
  Either.getOrThrow(ExecutionPlan.make({ graph, selection: graph.keys, state: [], context, ...options }))

const done = (
  assetKey: string,
  partitionKey: string | null,
  dataVersion: string,
  upstreamVersions: Record<string, string> = {},
  codeVersion: string | null = "1"
): StepRecord => ({
  assetKey,
  partitionKey,
  status: "Materialized",
  runId: "r0",
  updatedAt: 0,
  dataVersion,
  codeVersion,
  materializedAt: 0,
  upstreamVersions,
  error: null
})

/** The ledger after one full successful run of 2024-01-01..02 (everything consistent). */
const consistent: ReadonlyArray<StepRecord> = [
  done("raw", "2024-01-01", "r1"),
  done("raw", "2024-01-02", "r2"),
  done("staging", "2024-01-01", "s1", { "raw[2024-01-01]": "r1" }),
  done("staging", "2024-01-02", "s2", { "raw[2024-01-02]": "r2" }),
  done("mart", "2024-01", "m1", { "staging[2024-01-01]": "s1", "staging[2024-01-02]": "s2" }),
  done("report", null, "p1", { "mart[2024-01]": "m1" }, null)
]

const byId = (p: ExecutionPlan.ExecutionPlan) => new Map(p.steps.map((s) => [s.id, s]))

describe("ExecutionPlan", () => {
  it("plans every step as missing on an empty ledger, with dependencies through the mappings", () => {
    const p = plan({ partitions: "2024-01-01..2024-01-02" })
    assert.deepStrictEqual(p.steps.map((s) => s.id), [
      "raw[2024-01-01]",
      "raw[2024-01-02]",
      "staging[2024-01-01]",
      "staging[2024-01-02]",
      "mart[2024-01]",
      "report"
    ])
    assert.strictEqual(p.toRun, 6)
    assert.isTrue(p.steps.every((s) => s.action === "Run" && s.reason === "Missing"))
    const steps = byId(p)
    assert.deepStrictEqual(steps.get("staging[2024-01-02]")!.dependencies, ["raw[2024-01-02]"])
    // The month depends on the two days the range picked; the other January days are not planned, so not waited on.
    assert.deepStrictEqual(steps.get("mart[2024-01]")!.dependencies, ["staging[2024-01-01]", "staging[2024-01-02]"])
    assert.strictEqual(steps.get("mart[2024-01]")!.upstream.length, 31)
    assert.deepStrictEqual(steps.get("report")!.dependencies, ["mart[2024-01]"])
  })

  it("plans nothing when the ledger is consistent", () => {
    const p = plan({ partitions: "2024-01-01..2024-01-02", state: consistent })
    assert.strictEqual(p.toRun, 0)
    assert.isTrue(p.steps.every((s) => s.reason === "UpToDate"))
  })

  it("re-runs failed steps and waits downstream on them", () => {
    const state = consistent.map((r) =>
      r.assetKey === "raw" && r.partitionKey === "2024-01-02"
        ? { ...r, status: "Failed" as const, error: "HTTP 503" }
        : r
    )
    const steps = byId(plan({ partitions: "2024-01-01..2024-01-02", state }))
    assert.strictEqual(steps.get("raw[2024-01-02]")!.reason, "Failed")
    assert.include(steps.get("raw[2024-01-02]")!.detail, "HTTP 503")
    assert.strictEqual(steps.get("staging[2024-01-02]")!.reason, "UpstreamPlanned")
    assert.strictEqual(steps.get("staging[2024-01-01]")!.reason, "UpToDate")
    assert.strictEqual(steps.get("report")!.reason, "UpstreamPlanned")
  })

  it("only Failed re-executes from failure: the failed step and what is downstream of it, missing or stale", () => {
    // raw[2024-01-02] failed, so staging[2024-01-02] was skipped and never recorded; the month and report are stale.
    const state = consistent.flatMap((r) =>
      r.assetKey === "raw" && r.partitionKey === "2024-01-02"
        ? [{ ...r, status: "Failed" as const, error: "HTTP 503" }]
        : r.assetKey === "staging" && r.partitionKey === "2024-01-02"
        ? []
        : [r]
    )
    // Also missing, but not downstream of a failure: left alone.
    const p = plan({ partitions: "2024-01-01..2024-01-03", state, only: "Failed" })
    assert.deepStrictEqual(
      p.steps.filter((s) => s.action === "Run").map((s) => `${s.id} ${s.reason}`),
      [
        "raw[2024-01-02] Failed",
        "staging[2024-01-02] Missing",
        "mart[2024-01] UpstreamPlanned",
        "report UpstreamPlanned"
      ]
    )
    assert.strictEqual(byId(p).get("raw[2024-01-03]")!.reason, "Filtered")
  })

  it("marks a changed code version, and downstream as waiting on it", () => {
    const state = consistent.map((r) => (r.assetKey === "staging" ? { ...r, codeVersion: "0" } : r))
    const steps = byId(plan({ partitions: "2024-01-01..2024-01-02", state }))
    assert.strictEqual(steps.get("staging[2024-01-01]")!.reason, "CodeVersionChanged")
    assert.strictEqual(steps.get("staging[2024-01-01]")!.detail, "code version changed from 0 to 1")
    assert.strictEqual(steps.get("raw[2024-01-01]")!.reason, "UpToDate")
    assert.strictEqual(steps.get("mart[2024-01]")!.reason, "UpstreamPlanned")
  })

  it("marks a step stale when an upstream step has a newer data version", () => {
    const state = consistent.map((
      r
    ) => (r.assetKey === "raw" && r.partitionKey === "2024-01-01" ? { ...r, dataVersion: "r1b" } : r))
    const steps = byId(plan({ partitions: "2024-01-01..2024-01-02", state }))
    assert.strictEqual(steps.get("staging[2024-01-01]")!.reason, "UpstreamChanged")
    assert.include(steps.get("staging[2024-01-01]")!.detail, "raw[2024-01-01]")
    assert.strictEqual(steps.get("staging[2024-01-02]")!.reason, "UpToDate")
  })

  it("forces every step, and filters with only", () => {
    assert.isTrue(
      plan({ partitions: "2024-01-01", state: consistent, force: true }).steps.every((s) => s.reason === "Forced")
    )
    const state = consistent.filter((r) => !(r.assetKey === "raw" && r.partitionKey === "2024-01-02"))
    const missingOnly = byId(plan({ partitions: "2024-01-01..2024-01-02", state, only: "Missing" }))
    assert.strictEqual(missingOnly.get("raw[2024-01-02]")!.action, "Run")
    assert.strictEqual(missingOnly.get("staging[2024-01-02]")!.reason, "Filtered")
    assert.strictEqual(missingOnly.get("staging[2024-01-02]")!.action, "Skip")
  })

  it("forces only the stale steps with only Stale, and says what each would have been", () => {
    const state = consistent.map((r) => (r.assetKey === "staging" && r.partitionKey === "2024-01-02"
      ? { ...r, codeVersion: "0" }
      : r)
    )
    const steps = byId(plan({ partitions: "2024-01-01..2024-01-02", state, force: true, only: "Stale" }))
    assert.deepStrictEqual(
      [...steps.values()].filter((s) => s.action === "Run").map((s) => s.id),
      ["staging[2024-01-02]", "mart[2024-01]", "report"]
    )
    assert.strictEqual(steps.get("staging[2024-01-02]")!.reason, "Forced")
    assert.strictEqual(
      steps.get("staging[2024-01-02]")!.detail,
      "forced (CodeVersionChanged: code version changed from 0 to 1)"
    )
    assert.strictEqual(steps.get("raw[2024-01-02]")!.reason, "Filtered")
    assert.match(steps.get("raw[2024-01-02]")!.detail, /^not stale \(UpToDate: materialized in run r0/)
    // without only, force runs everything, the stale step still saying why it was stale
    const all = byId(plan({ partitions: "2024-01-01..2024-01-02", state, force: true }))
    assert.isTrue([...all.values()].every((s) => s.action === "Run" && s.reason === "Forced"))
    assert.strictEqual(all.get("raw[2024-01-01]")!.detail, "forced")
  })

  it("applies a date-only spec to the date dimension of a multi-partition", () => {
    const multi = Multi.make({ date: daily, modalidade: Static.make(["6", "8", "9"]) })
    const source = Asset.make({ key: "source", partitions: multi, materialize: noop })
    const g = Either.getOrThrow(AssetGraph.make([source]))
    const p = Either.getOrThrow(
      ExecutionPlan.make({ graph: g, selection: g.keys, partitions: "2024-01-01..2024-01-02", state: [], context })
    )
    assert.deepStrictEqual(p.steps.map((s) => s.partitionKey), [
      "2024-01-01|6",
      "2024-01-01|8",
      "2024-01-01|9",
      "2024-01-02|6",
      "2024-01-02|8",
      "2024-01-02|9"
    ])
  })

  it("gives a monthly root the months a spec of days covers, next to a daily root", () => {
    const vigentes = Asset.make({ key: "vigentes", partitions: monthly, materialize: noop })
    const g = Either.getOrThrow(AssetGraph.make([raw, vigentes]))
    const keysOf = (partitions: string) =>
      Either.getOrThrow(ExecutionPlan.make({ graph: g, selection: g.keys, partitions, state: [], context })).steps
        .filter((s) => s.assetKey === "vigentes").map((s) => s.partitionKey)
    assert.deepStrictEqual(keysOf("2024-01-01..2024-02-29"), ["2024-01", "2024-02"])
    assert.deepStrictEqual(keysOf("2024-01-30..2024-02-29"), ["2024-02"])
    assert.deepStrictEqual(keysOf("2024-02-01..2024-02-10,2024-02-11..2024-02-29"), ["2024-02"])
    // a few days of a month are not the month: they do not fetch all of it
    assert.deepStrictEqual(keysOf("2024-01-30..2024-02-02"), [])
    assert.deepStrictEqual(keysOf("2024-02-10"), [])
    // Its own keys still work, and a day it cannot have is still an error.
    assert.deepStrictEqual(
      Either.getOrThrow(
        ExecutionPlan.make({ graph: g, selection: [vigentes.key], partitions: "2024-03", state: [], context })
      )
        .steps.map((s) => s.partitionKey),
      ["2024-03"]
    )
    const future = ExecutionPlan.make({ graph: g, selection: g.keys, partitions: "2024-04-01", state: [], context })
    assert.isTrue(Either.isLeft(future))
    // …said in the terms of days; days before the monthly start are left out, not an error
    const later = Asset.make({ key: "later", partitions: TimeWindow.monthly({ start: "2024-02" }), materialize: noop })
    const g2 = Either.getOrThrow(AssetGraph.make([later]))
    const laterKeys = ExecutionPlan.make({
      graph: g2,
      selection: g2.keys,
      partitions: "2024-01-30..2024-02-29",
      state: [],
      context
    })
    assert.deepStrictEqual(Either.map(laterKeys, (p) => p.steps.map((s) => s.partitionKey)), Either.right(["2024-02"]))
    const tomorrow = ExecutionPlan.make({ graph: g2, selection: g2.keys, partitions: "2024-03-11", state: [], context })
    assert.include(Either.isLeft(tomorrow) ? tomorrow.left.message : "", "in the future")
    // the current month's days so far do not cover it: no step, and the plan says so
    const current = Either.getOrThrow(
      ExecutionPlan.make({ graph: g, selection: g.keys, partitions: "2024-03-01..2024-03-10", state: [], context })
    )
    assert.deepStrictEqual(current.steps.filter((s) => s.assetKey === "vigentes"), [])
    assert.deepStrictEqual(ExecutionPlan.withoutSteps(current), [vigentes.key])
    assert.include(ExecutionPlan.format(current), "NONE vigentes  (no partition of it in 2024-03-01..2024-03-10)")
  })

  it("fails with a clear error when the spec applies to no asset", () => {
    const result = ExecutionPlan.make({ graph, selection: graph.keys, partitions: "blue", state: [], context })
    const error = Either.getLeft(result)
    assert.strictEqual(error._tag === "Some" ? error.value.reason : undefined, "PartitionNotApplicable")
    assert.include(error._tag === "Some" ? error.value.message : "", `Partitions "blue" do not apply to "raw"`)
  })

  it("formats a dry-run with the reason of every step", () => {
    const text = ExecutionPlan.format(plan({ partitions: "2024-01-01" }))
    assert.include(text, "4 of 4 steps to run")
    assert.include(text, "RUN  raw[2024-01-01]  (Missing: never materialized)")
  })

  it.prop(
    "every planned dependency is a Run step that comes earlier (random DAGs, mixed partitions)",
    [
      FastCheck.array(
        FastCheck.record({
          deps: FastCheck.array(FastCheck.nat(), { maxLength: 3 }),
          kind: FastCheck.integer({ min: 0, max: 2 })
        }),
        { minLength: 1, maxLength: 25 }
      ),
      FastCheck.array(FastCheck.boolean(), { minLength: 25, maxLength: 25 })
    ],
    ([specs, materialized]) => {
      const kinds = [daily, monthly, undefined] as const
      const assets = specs.map((spec, i) =>
        Asset.make({
          key: `n${i}`,
          deps: i === 0 ? [] : [...new Set(spec.deps.map((d) => d % i))].map((d) => `n${d}`),
          ...(kinds[spec.kind] === undefined ? {} : { partitions: kinds[spec.kind] }),
          materialize: noop
        })
      )
      const g = Either.getOrThrow(AssetGraph.make(assets))
      const state = g.keys.filter((_, i) => materialized[i]).flatMap((
        key
      ) => [done(key, null, "v"), done(key, "2024-01-01", "v"), done(key, "2024-01", "v")])
      const result = ExecutionPlan.make({
        graph: g,
        selection: g.keys,
        partitions: "2024-01-01..2024-01-03",
        state,
        context
      })
      if (Either.isLeft(result)) {
        // Only a monthly asset with no partitioned upstream to derive its months from can reject a daily range.
        const rejected = assets.find((a) => a.key === result.left.assetKey)!
        assert.strictEqual(rejected.partitions, monthly)
        assert.isTrue(rejected.deps.every((d) => g.get(d.key).pipe(Option.getOrThrow).partitions === undefined))
        return
      }
      const p = result.right
      const seen = new Map<string, ExecutionPlan.PlannedStep>()
      for (const step of p.steps) {
        for (const dep of step.dependencies) assert.strictEqual(seen.get(dep)?.action, "Run")
        seen.set(step.id, step)
      }
      assert.strictEqual(p.toRun, p.steps.filter((s) => s.action === "Run").length)
    }
  )
})
