/**
 * Setting up and recovering: `init` (create the database and its tables; idempotent) and `retry-failed` (re-run the
 * failed partitions, which resume from their checkpoints, then report the requests still failing).
 *
 * @since 0.1.0
 */
import * as AssetSelection from "@baliza/core/AssetSelection"
import * as Materializer from "@baliza/core/Materializer"
import * as FailedRequests from "@baliza/extract/FailedRequests"
import * as PncpClient from "@baliza/pncp/PncpClient"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as NodeFs from "node:fs"
import * as CliError from "./CliError.js"
import * as errors from "./internal/errors.js"
import * as restart from "./internal/restart.js"
import * as root from "./internal/root.js"
import * as suggest from "./internal/suggest.js"
import * as Materialize from "./Materialize.js"
import * as Partitions from "./Partitions.js"

/**
 * `baliza init`: the data directory, the database file and every table of the warehouse.
 *
 * @since 0.1.0
 * @category commands
 */
export const init = Command.make("init", {}, () =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    yield* Effect.provide(Effect.void, root.storage(globals))
    yield* globals.json
      ? Console.log(JSON.stringify({ database: globals.db, ready: true }))
      : Console.log(`Database ready: ${globals.db}`)
  })).pipe(Command.withDescription("Create the database and its tables (safe to run again)"))

/**
 * `baliza retry-failed`: the failed partitions run again (from their checkpoints); the requests still failing after
 * that are listed.
 *
 * @since 0.1.0
 * @category commands
 */
export const retryFailed = Command.make("retry-failed", {
  concurrency: Options.integer("concurrency").pipe(
    Options.withDescription(`Steps and requests in flight (default ${PncpClient.defaults.concurrency})`),
    Options.optional
  ),
  maxRetries: Options.integer("max-retries").pipe(
    Options.withDescription("Rounds of retries while partitions still fail, at least 1 (default 1)"),
    Options.withDefault(1)
  ),
  restartDelay: Options.text("restart-delay").pipe(
    Options.withDescription("Wait between rounds, e.g. 90s, 5m (default 30s, the circuit breakers' reset timeout)"),
    Options.withDefault("30s")
  )
}, ({ concurrency, maxRetries, restartDelay }) =>
  restart.resumable(Effect.gen(function*() {
    const globals = yield* root.settings
    if (maxRetries < 1) return yield* CliError.input(`--max-retries must be at least 1, got ${maxRetries}.`)
    const delay = yield* Partitions.parseDuration(restartDelay, "--restart-delay")
    const flags: Parameters<typeof Materialize.handler>[1] = {
      ...Partitions.noFlags,
      concurrency,
      rpm: Option.none(),
      requestTimeout: Option.none(),
      only: Option.some("failed"),
      force: false,
      refetch: false,
      dryRun: false,
      maxDuration: Option.none(),
      // The rounds are counted here, across both passes.
      maxRestarts: 0,
      restartDelay,
      modalidades: Option.none(),
      metricsJson: Option.none()
    }
    // Re-execution from failure in two passes. First the default selection: its failed steps and what is downstream of
    // them. Then the assets outside it (PNCP's details), if any. In one pass over every asset, a failed raw day would
    // also start the details of that day, which no run asked for. The passes do not overlap, so no step runs twice
    // in a round.
    // Only a database that exists has failures to retry: a missing one is exit 3, as for `status`, and none is made.
    if (!NodeFs.existsSync(globals.db)) return yield* root.noDatabase(globals.db)
    const { defaultSelection } = yield* root.project
    const graph = yield* root.graph
    yield* suggest.checkSelection(defaultSelection, graph)
    const rest = `* and not (${defaultSelection})`
    const outside = Either.getOrElse(AssetSelection.select(rest, graph), () => new Set<string>())
    const passes: ReadonlyArray<(selection: string) => string> = outside.size === 0
      ? [(selection) => selection]
      : [(selection) => selection, () => rest]
    // Nothing failed and no run was cut short: say so, and record no run (each pass would log an empty one).
    const pending = yield* Effect.gen(function*() {
      const requests = yield* Effect.flatMap(
        FailedRequests.FailedRequests,
        (failed) => failed.list({ unresolved: true })
      )
      const plans = yield* Effect.forEach(
        passes,
        (select) => Materializer.planRun(graph, { selection: select(defaultSelection), only: "Failed" })
      )
      return { requests: requests.length, steps: plans.reduce((sum, plan) => sum + plan.toRun, 0) }
    }).pipe(
      Effect.provide(root.storage(globals)),
      Effect.catchTag("MaterializeError", (error) => Effect.fail(CliError.input(error.message))),
      errors.mapOther
    )
    if (pending.requests === 0 && pending.steps === 0) {
      const message = "Nothing to retry: no failed requests and no failed steps."
      return yield* Console.log(
        globals.json ? JSON.stringify({ retried: false, failedRequests: 0, stepsToRetry: 0, message }) : message
      )
    }
    // A round runs the passes that still fail; the rounds are counted across both passes.
    let failing = passes
    for (let round = 1; round <= maxRetries; round++) {
      const still: Array<(selection: string) => string> = []
      for (const select of failing) {
        const outcome = yield* Effect.either(Materialize.handler(select, flags))
        if (Either.isLeft(outcome)) {
          if (outcome.left._tag !== "CliError" || outcome.left.reason !== "Failed") return yield* outcome.left
          still.push(select)
        }
      }
      failing = still
      if (failing.length === 0 || round === maxRetries) break
      yield* Console.error(`baliza: steps still failing; retry round ${round + 1} of ${maxRetries} in ${restartDelay}`)
      yield* Effect.sleep(Duration.millis(delay))
    }
    const open = yield* Effect.flatMap(FailedRequests.FailedRequests, (failed) => failed.list({ unresolved: true }))
      .pipe(
        Effect.provide(root.storage(globals)),
        errors.mapOther
      )
    // stdout is the results' (one JSON line each with --json); the closing sentence is for a person
    yield* (globals.json ? Console.error : Console.log)(
      open.length === 0 ? "No failed requests remain." : `${open.length} request(s) still failing: \`baliza status\`.`
    )
    if (failing.length > 0) {
      return yield* CliError.failed(
        `Steps still fail after ${maxRetries} round(s) of retries (the summaries above name them; ` +
          `\`baliza status\` lists them).`
      )
    }
  }))).pipe(Command.withDescription("Run the failed partitions again; report the requests still failing"))
