/**
 * Core overhead: building, validating and planning a large graph, and the materializer's cost per step.
 * BENCH_ASSETS / BENCH_PARTITIONS / BENCH_STEPS override the sizes.
 */
import { Asset, AssetGraph, AssetState, EventLog, ExecutionPlan, Materializer, Partitions } from "@baliza/core"
import { Effect, Either, Layer } from "effect"
import { figure, number, peakRssMb, time } from "./report.js"

const assetsCount = Number(process.env.BENCH_ASSETS ?? 10_000)
const partitionsCount = Number(process.env.BENCH_PARTITIONS ?? 30)
const noopSteps = Number(process.env.BENCH_STEPS ?? 100_000)
const daily = Partitions.TimeWindow.daily({ start: "2024-01-01" })
const context = Partitions.context({ now: Date.parse("2024-12-31T12:00:00Z") })
const lastDay = `2024-01-${String(partitionsCount).padStart(2, "0")}`

/** Layers of `width` assets; each depends on two assets of the layer before. */
const layered = (count: number, width: number, partitioned: boolean) => {
  const assets: Array<Asset.Asset> = []
  for (let i = 0; i < count; i++) {
    const layer = Math.floor(i / width)
    const deps = layer === 0 ? [] : [(i - width) % count, (i - width + 1) % count]
      .map((j) => Math.max(0, Math.min(j, layer * width - 1)))
    assets.push(Asset.make({
      key: `layer${layer}/asset${i}`,
      deps: [...new Set(deps)].map((j) => assets[j]),
      ...(partitioned ? { partitions: daily } : {}),
      materialize: () => Effect.void
    }))
  }
  return assets
}

const median = (values: ReadonlyArray<number>) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** The first run pays for JIT warm-up; later runs show the steady state. Both are printed. */
const planBench = async () => {
  const runs: Array<{ readonly build: number; readonly plan: number; readonly steps: number }> = []
  for (let i = 0; i < 4; i++) {
    const assets = layered(assetsCount, 100, true)
    const built = await time(async () => Either.getOrThrow(AssetGraph.make(assets)))
    const planned = await time(async () =>
      Either.getOrThrow(ExecutionPlan.make({
        graph: built.value,
        selection: built.value.keys,
        partitions: `2024-01-01..${lastDay}`,
        state: [],
        context
      }))
    )
    runs.push({ build: built.seconds, plan: planned.seconds, steps: planned.value.steps.length })
  }
  const steps = runs[0].steps
  const first = runs[0].build + runs[0].plan
  const steady = median(runs.slice(1).map((r) => r.build + r.plan))
  figure(`graph build + validate (${number(assetsCount)} assets), first run`, `${number(runs[0].build, 3)} s`)
  figure(`plan (${number(steps)} steps), first run`, `${number(runs[0].plan, 3)} s`)
  figure("build + validate + plan, first run (cold JIT)", `${number(first, 3)} s`, "< 1 s")
  figure("build + validate + plan, steady state (median of 3)", `${number(steady, 3)} s`, "< 1 s")
  figure("per step, steady state", `${number((steady * 1e6) / steps, 2)} µs`)
}

const materializeBench = async () => {
  const perAsset = partitionsCount
  const assets = layered(Math.ceil(noopSteps / perAsset), 100, true)
  const graph = Either.getOrThrow(AssetGraph.make(assets))
  const runs: Array<number> = []
  let steps = 0
  for (let i = 0; i < 3; i++) {
    const plan = Either.getOrThrow(
      ExecutionPlan.make({ graph, selection: graph.keys, partitions: `2024-01-01..${lastDay}`, state: [], context })
    )
    // Fresh in-memory stores per run, so every run materializes every step.
    const stores = Layer.merge(EventLog.layerMemory, AssetState.layerMemory)
    const run = await time(() =>
      Effect.runPromise(Materializer.execute(graph, plan, { concurrency: 16 }).pipe(Effect.provide(stores)))
    )
    if (run.value.succeeded !== plan.toRun) {
      throw new Error(`expected ${plan.toRun} successes, got ${run.value.succeeded}`)
    }
    runs.push(run.seconds)
    steps = plan.toRun
  }
  const steady = median(runs.slice(1))
  figure(`materialize ${number(steps)} no-op steps, concurrency 16, first run`, `${number(runs[0], 2)} s`)
  figure("overhead per step, first run (cold JIT)", `${number((runs[0] * 1e6) / steps, 1)} µs`, "< 50 µs")
  figure("overhead per step, steady state (median of 2)", `${number((steady * 1e6) / steps, 1)} µs`, "< 50 µs")
  figure("steps per second, steady state", number(steps / steady))
}

await planBench()
await materializeBench()
figure("peak RSS", `${peakRssMb()} MB`)
