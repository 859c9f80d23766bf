/**
 * `npm start`: writes sample inputs for January 2024 into `./data/input` (when absent), materializes the pipeline into
 * `./data/warehouse.duckdb` and prints the monthly revenue per category. Run it again: nothing to do.
 */
import { ExecutionPlan, Materializer } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { Cause, Effect, Exit } from "effect"
import * as NodeFs from "node:fs"
import { context, graph } from "./assets.js"
import { daysBetween, writeInputs } from "./generate.js"
import { layer } from "./program.js"

const inputs = "./data/input"
if (!NodeFs.existsSync(inputs)) writeInputs(inputs, daysBetween("2024-01-01", "2024-01-31"))

const options = { partitions: "2024-01-01..2024-01-31", context }

const program = Effect.gen(function*() {
  const assets = yield* graph
  const plan = yield* Materializer.plan(assets, options)
  console.log(`plan: ${JSON.stringify(ExecutionPlan.summary(plan))}`)
  const result = yield* Materializer.materialize(assets, options)
  console.log(`${result.status}: ${result.succeeded} steps run, ${result.skipped} skipped, ${result.failed} failed`)
  for (const failure of result.failures) console.log(`  ✗ ${failure.stepId}: ${failure.message}`)
  for (const row of yield* DuckDB.query("SELECT * FROM marts.receita_mensal ORDER BY mes, receita DESC")) {
    console.log(
      `  ${String(row.mes)} ${String(row.categoria).padEnd(12)} ${String(row.pedidos).padStart(5)} pedidos  R$ ${
        String(row.receita)
      }`
    )
  }
  return result.status
}).pipe(Effect.provide(layer({ database: "./data/warehouse.duckdb", inputs })))

void Effect.runPromiseExit(program).then((exit) => {
  if (Exit.isFailure(exit)) {
    console.error(Cause.pretty(exit.cause))
    process.exitCode = 1
  } else if (exit.value !== "Success") {
    process.exitCode = 1
  }
})
