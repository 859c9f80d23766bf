/**
 * The `baliza` program: the only impure file of the CLI.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as NodeProcess from "node:process"
import * as Cli from "./Cli.js"

NodeRuntime.runMain(
  Effect.flatMap(Cli.run(NodeProcess.argv.slice(2)), (code) => Effect.sync(() => NodeProcess.exit(code))),
  { disableErrorReporting: true }
)
