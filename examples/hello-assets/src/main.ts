/**
 * Materializes January 2024 of the weather graph in memory, twice: the first run builds every step, the second finds
 * everything up to date and runs none.
 *
 * `npm start` in this folder (or `npm start --workspace=examples/hello-assets` from the repository root).
 */
import { EventLog, ExecutionPlan, Materializer, type RunEvent } from "@baliza/core"
import { Cause, Effect, Exit } from "effect"
import { graph, januaryOptions, layerMemory, Warehouse } from "./assets.js"

const printResult = (result: Materializer.RunResult) => {
  console.log(
    `run ${result.runId}: ${result.status} in ${result.durationMs} ms — ` +
      `${result.succeeded} succeeded, ${result.failed} failed, ${result.skipped} skipped`
  )
  for (const failure of result.failures) console.log(`  ✗ ${failure.stepId}: ${failure.errorTag}: ${failure.message}`)
}

const program = Effect.gen(function*() {
  const assets = yield* graph
  const log = yield* EventLog.EventLog

  console.log("== Plan (dry run) ==")
  const plan = yield* Materializer.plan(assets, januaryOptions)
  console.log(ExecutionPlan.format(plan, { maxLines: 4 }))
  // The marts' partitions were not in the spec: they come from the days picked, through the partition mappings.
  for (const step of plan.steps) {
    if (step.assetKey.startsWith("weather/marts/")) {
      console.log(`  ${step.id} reads ${step.upstream.length} upstream steps (${step.reason})`)
    }
  }
  console.log(`by reason: ${JSON.stringify(ExecutionPlan.summary(plan))}`)

  console.log("\n== First run ==")
  const first = yield* Materializer.materialize(assets, januaryOptions)
  printResult(first)

  const events = (yield* log.query({ runId: first.runId })).map((stored) => stored.event)
  const count = (tag: RunEvent.RunEventTag) => events.filter((event) => event._tag === tag).length
  console.log(
    `events: ${events.length} (${count("Materialization")} materializations, ${count("StepRetrying")} retries, ` +
      `${count("CheckEvaluated")} check results)`
  )
  for (const event of events) {
    if (event._tag === "StepRetrying") console.log(`  ↻ ${event.assetKey}[${event.partitionKey}]: ${event.error}`)
  }
  const checks = events.filter((event) => event._tag === "CheckEvaluated")
  const passed = checks.filter((event) => event.passed).length
  console.log(`checks: ${passed} of ${checks.length} passed`)

  const warehouse = yield* Warehouse
  const text = yield* warehouse.reports.get("latest")
  console.log(`\nreport:\n${text._tag === "Some" ? text.value : "(none)"}`)

  console.log("\n== Second run ==")
  const again = yield* Materializer.plan(assets, januaryOptions)
  console.log(ExecutionPlan.format(again, { maxLines: 2 }))
  const second = yield* Materializer.materialize(assets, januaryOptions)
  printResult(second)

  console.log("\n== Runs in the event log ==")
  for (const run of yield* log.runs()) {
    console.log(`${run.runId}  ${run.status}  planned ${run.plannedSteps}, succeeded ${run.succeeded}`)
  }
}).pipe(Effect.provide(layerMemory))

void Effect.runPromiseExit(program).then((exit) => {
  if (Exit.isFailure(exit)) {
    console.error(Cause.pretty(exit.cause))
    process.exitCode = 1
  }
})
