/**
 * `npm start` (or `npm run demo` from the repository root): a synthetic week of PNCP data by default.
 *
 * Environment: `BALIZA_DB` (default `./data/baliza.duckdb`), `BALIZA_DAYS` (default `2024-07-01..2024-07-07`),
 * `PNCP_FAKE_SCALE` (default 0.05; 1 is the real API's volume).
 */
import { Cause, Effect, Exit } from "effect"
import { demo } from "./demo.js"

const program = demo({
  path: process.env.BALIZA_DB ?? "./data/baliza.duckdb",
  days: process.env.BALIZA_DAYS ?? "2024-07-01..2024-07-07",
  scale: Number(process.env.PNCP_FAKE_SCALE ?? "0.05"),
  print: (line) => console.log(line)
})

void Effect.runPromiseExit(program).then((exit) => {
  if (Exit.isFailure(exit)) {
    console.error(Cause.pretty(exit.cause))
    process.exitCode = 1
  } else if (exit.value.run.status !== "Success") {
    process.exitCode = 1
  }
})
