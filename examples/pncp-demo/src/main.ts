/**
 * `npm start` (or `npm run demo` from the repository root): a synthetic month of every PNCP endpoint, from the local
 * fake into `./data/demo.duckdb`.
 *
 * Environment: `BALIZA_DB` (default `./data/demo.duckdb`), `BALIZA_FROM`/`BALIZA_TO` (default July 2024),
 * `PNCP_FAKE_SCALE` (default 0.1; 1 is the real API's volume).
 */
import { Cause, Effect, Exit } from "effect"
import { demo } from "./demo.js"

const program = demo({
  path: process.env.BALIZA_DB ?? "./data/demo.duckdb",
  from: process.env.BALIZA_FROM ?? "2024-07-01",
  to: process.env.BALIZA_TO ?? "2024-07-31",
  scale: Number(process.env.PNCP_FAKE_SCALE ?? "0.1"),
  print: (line) => console.log(line)
})

void Effect.runPromiseExit(program).then((exit) => {
  if (Exit.isFailure(exit)) {
    console.error(Cause.pretty(exit.cause))
    process.exitCode = 1
  } else {
    process.exitCode = Math.max(exit.value.exitCode, exit.value.detailsExitCode, exit.value.againExitCode)
  }
})
