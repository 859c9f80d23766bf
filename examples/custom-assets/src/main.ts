/**
 * `npm start`: a week of PNCP contratos from the local fake, the municipality registry (flaky: every page fails once),
 * and the supplier concentration mart over both, in `./data/warehouse.duckdb` (or `BALIZA_DB`).
 */
import { Cause, Effect, Exit } from "effect"
import { run } from "./program.js"

const program = Effect.map(
  run({
    path: process.env.BALIZA_DB ?? "./data/warehouse.duckdb",
    days: "2024-07-01..2024-07-07",
    scale: 0.05,
    registry: { flaky: true }
  }),
  (result) => {
    console.log(`PNCP contratos: ${result.pncpRun.status}, ${result.pncpRun.succeeded} steps`)
    console.log(
      `our assets: ${result.first.status}, ${result.first.succeeded} steps, ${result.requests} registry requests`
    )
    for (const failure of result.first.failures) console.log(`  ✗ ${failure.stepId}: ${failure.message}`)
    console.log(`second run: ${result.second.succeeded} steps, ${result.again} requests (nothing changed)`)
    console.log("municipalities with the most contracted value:")
    for (const row of result.top) {
      console.log(
        `  ${String(row.municipio)}/${String(row.uf)}: ${String(row.contratos)} contratos, ` +
          `${String(row.fornecedores)} fornecedores, HHI ${String(row.hhi)}, R$ ${
            String(row.valor_per_capita)
          } per capita`
      )
    }
    return result.first.status
  }
)

void Effect.runPromiseExit(program).then((exit) => {
  if (Exit.isFailure(exit)) {
    console.error(Cause.pretty(exit.cause))
    process.exitCode = 1
  } else if (exit.value !== "Success") {
    process.exitCode = 1
  }
})
