/**
 * Core: the materializer's overhead per step (its own process, so no other benchmark's heap weighs on it).
 */
import { AssetGraph, AssetState, EventLog, ExecutionPlan, Materializer } from "@baliza/core"
import { Effect, Either, Layer } from "effect"
import { context, lastDay, layered, median, noopSteps, partitionsCount } from "./core-graph.js"
import { collectGarbage, figure, number, peakRssMb, time } from "./report.js"

const materializeBench = async () => {
  const perAsset = partitionsCount
  const assets = layered(Math.ceil(noopSteps / perAsset), 100, true)
  const graph = Either.getOrThrow(AssetGraph.make(assets))
  const runs: Array<number> = []
  let steps = 0
  for (let i = 0; i < 3; i++) {
    collectGarbage()
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
  const steady = median(runs)
  figure(`materialize ${number(steps)} no-op steps, concurrency 16, first run`, `${number(runs[0], 2)} s`)
  figure("overhead per step, first run (cold JIT)", `${number((runs[0] * 1e6) / steps, 1)} µs`, "< 50 µs")
  figure(
    "overhead per step, median of 3 runs (heap collected between)",
    `${number((steady * 1e6) / steps, 1)} µs`,
    "< 50 µs"
  )
  figure("steps per second, median run", number(steps / steady))
}

await materializeBench()
figure("peak RSS", `${peakRssMb()} MB`)
