/**
 * The `baliza` command: global options (`--db`, `--base-url`, `--details-url`, `--json`) and every subcommand;
 * {@link run} runs it on arguments and returns the exit code, which is what `bin.ts` and the tests call.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as HashSet from "effect/HashSet"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as CliError from "./CliError.js"
import * as Inspect from "./Inspect.js"
import * as Arguments from "./internal/arguments.js"
import { root } from "./internal/root.js"
import * as Maintain from "./Maintain.js"
import * as Materialize from "./Materialize.js"
import * as Query from "./Query.js"
import * as Recover from "./Recover.js"
import * as Serve from "./Serve.js"

/**
 * @since 0.1.0
 * @category commands
 */
export const command = root.pipe(
  Command.withDescription("Baliza: materialize, inspect and recover the PNCP asset graph in one DuckDB file"),
  Command.withSubcommands([
    Recover.init,
    Materialize.materialize,
    Materialize.run,
    Materialize.extract,
    Materialize.transform,
    Inspect.assets,
    Inspect.lineage,
    Inspect.status,
    Inspect.recoveryStatus,
    Inspect.runs,
    Inspect.events,
    Recover.retryFailed,
    Query.query,
    Query.dumpCatalog,
    Query.fetchPayload,
    Maintain.verify,
    Maintain.doctor,
    Maintain.backup,
    Maintain.rollback,
    Maintain.repair,
    Maintain.reset,
    Serve.serve,
    Serve.ui
  ])
)

const logLevelOf = (args: ReadonlyArray<string>): LogLevel.LogLevel => {
  // `--log-level none` or `--log-level=none`, as @effect/cli reads both
  const at = args.indexOf("--log-level")
  const joined = args.find((arg) => arg.startsWith("--log-level="))
  const value = at >= 0 ? args[at + 1] : joined?.slice("--log-level=".length)
  const literal = value === undefined ? "warning" : value
  switch (literal) {
    case "all":
      return LogLevel.All
    case "trace":
      return LogLevel.Trace
    case "debug":
      return LogLevel.Debug
    case "info":
      return LogLevel.Info
    case "error":
      return LogLevel.Error
    case "fatal":
      return LogLevel.Fatal
    case "none":
      return LogLevel.None
    default:
      return LogLevel.Warning
  }
}

const cli = Command.run(command, { name: "baliza", version: "0.1.0" })

const stderrLogger = Logger.withConsoleError(Logger.logfmtLogger)

/**
 * The first option given twice (`--db a --db b`, `--day=x --day y`), up to a `--`: no baliza option takes several
 * values, and @effect/cli would only call the second value an unknown argument.
 */
const repeatedOption = (args: ReadonlyArray<string>): string | undefined => {
  const seen = new Set<string>()
  for (const arg of args) {
    if (arg === "--") return undefined
    const name = /^--([a-z][a-z0-9-]*)(=|$)/i.exec(arg)?.[1]
    if (name === undefined) continue
    if (seen.has(name)) return name
    seen.add(name)
  }
  return undefined
}

/**
 * Runs the command on `args` (without `node` and the script) and returns the exit code: 0 success, 1 some steps
 * failed, 2 usage or input error, 3 database locked or unavailable, 130 interrupted. Errors are printed as one
 * paragraph on stderr, never as a stack trace.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (args: ReadonlyArray<string>): Effect.Effect<number> => {
  const repeated = repeatedOption(args)
  if (repeated !== undefined) {
    return Effect.as(Console.error(`baliza: --${repeated} is given twice; give it once.`), 2)
  }
  // Arguments the parser refuses are said here, naming the option (`--dya`: did you mean --day?), not by @effect/cli.
  const line = Arguments.builtInsFirst(root.descriptor, args)
  const parsed = Effect.zipRight(
    Arguments.check(command.descriptor, root.descriptor, line),
    cli(["node", "baliza", ...line])
  )
  return parsed.pipe(
    Effect.provide(NodeContext.layer),
    // Library logs go to stderr, so stdout stays the command's result; the level is a global option, read here
    // because it applies before any command runs. Set for this run only (`locally`), not by a layer: built in
    // `Layer.mergeAll`, the scoped `Logger.replace` never restored the caller's loggers, so a process that runs the
    // command several times (the demo) printed each warning once per run so far.
    Effect.locallyWith(
      FiberRef.currentLoggers,
      (loggers) => HashSet.add(HashSet.remove(loggers, Logger.defaultLogger), stderrLogger)
    ),
    Logger.withMinimumLogLevel(logLevelOf(args)),
    Effect.exit,
    Effect.flatMap((exit) => {
      if (Exit.isSuccess(exit)) return Effect.succeed(0)
      if (Cause.isInterruptedOnly(exit.cause)) {
        return Effect.as(
          Console.error("baliza: interrupted."),
          130
        )
      }
      const failure = Cause.failureOption(exit.cause)
      if (failure._tag === "Some") {
        const error = failure.value
        if (error instanceof CliError.CliError) {
          return Effect.as(Console.error(`baliza: ${error.message}`), CliError.exitCode(error.reason))
        }
        // @effect/cli has already printed what was wrong with the arguments (what Arguments.check let through).
        if (ValidationError.isValidationError(error)) {
          return Effect.succeed(ValidationError.isHelpRequested(error) ? 0 : 2)
        }
      }
      return Effect.as(Console.error(`baliza: unexpected failure\n${Cause.pretty(exit.cause)}`), 1)
    })
  )
}
