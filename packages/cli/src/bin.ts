#!/usr/bin/env node
/**
 * The `baliza` program: the only impure file of the CLI.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as NodeProcess from "node:process"
import * as Cli from "./Cli.js"

// A reader that closes the pipe early (`baliza query … | head`) has what it wanted: no stack trace for it.
for (const stream of [NodeProcess.stdout, NodeProcess.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") NodeProcess.exit(code)
    throw error
  })
}

// Ctrl-C interrupts the command: steps stop, open transactions roll back, the database closes. The command says what
// that means for it (a run: how to resume; a server: stopped), as it is interrupted.
let code = 0

const program = Cli.run(NodeProcess.argv.slice(2)).pipe(
  Effect.tap((exitCode) => Effect.sync(() => (code = exitCode)))
)

NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  // Logs go to stderr only (Cli.run's logger): the runtime's pretty logger writes to stdout, the result's channel.
  disablePrettyLogger: true,
  teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) ? code : Cause.isInterruptedOnly(exit.cause) ? 130 : 1)
})
