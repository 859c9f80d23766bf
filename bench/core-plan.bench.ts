/**
 * Core: building, validating and planning a large graph (its own process, so no other benchmark's heap weighs on it).
 */
import { AssetGraph, ExecutionPlan } from "@baliza/core"
import { Either } from "effect"
import { assetsCount, context, lastDay, layered, median } from "./core-graph.js"
import { collectGarbage, figure, number, peakRssMb, time } from "./report.js"

/** The first run pays for JIT warm-up; later runs show the steady state. Both are printed. */
const planBench = async () => {
  const runs: Array<{ readonly build: number; readonly plan: number; readonly steps: number }> = []
  for (let i = 0; i < 4; i++) {
    collectGarbage()
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

await planBench()
figure("peak RSS", `${peakRssMb()} MB`)
