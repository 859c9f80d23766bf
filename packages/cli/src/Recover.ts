/**
 * Setting up and recovering: `init` (create the database and its tables; idempotent) and `retry-failed` (re-run the
 * failed partitions, which resume from their checkpoints, then report the requests still failing).
 *
 * @since 0.1.0
 */
import * as FailedRequests from "@baliza/extract/FailedRequests"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as errors from "./internal/errors.js"
import * as root from "./internal/root.js"
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
    const globals = yield* root.root
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
  concurrency: Options.integer("concurrency").pipe(Options.withDescription("Steps at once"), Options.optional),
  maxRetries: Options.integer("max-retries").pipe(
    Options.withDescription("Rounds of retries while partitions still fail (default 1)"),
    Options.withDefault(1)
  )
}, ({ concurrency, maxRetries }) =>
  Effect.gen(function*() {
    const globals = yield* root.root
    const flags: Parameters<typeof Materialize.handler>[1] = {
      ...Partitions.noFlags,
      concurrency,
      rpm: Option.none(),
      requestTimeout: Option.none(),
      only: Option.some("failed"),
      force: false,
      dryRun: false,
      maxDuration: Option.none(),
      maxRestarts: Math.max(0, maxRetries - 1),
      restartDelay: "30s",
      modalidades: Option.none(),
      metricsJson: Option.none()
    }
    // Re-execution from failure in two passes. First the default selection: its failed steps and what is downstream of
    // them. Then every asset: the failures outside it (PNCP's details). In one pass over every asset, a failed raw
    // day would also start the details of that day, which no run asked for.
    const first = yield* Effect.either(Materialize.handler((selection) => selection, flags))
    if (Either.isLeft(first) && first.left._tag === "CliError" && first.left.reason === "Input") {
      return yield* first.left
    }
    const second = yield* Effect.either(Materialize.handler(() => "*", flags))
    const open = yield* Effect.flatMap(FailedRequests.FailedRequests, (failed) => failed.list({ unresolved: true }))
      .pipe(
        Effect.provide(root.storage(globals)),
        errors.mapOther
      )
    yield* Console.log(
      open.length === 0 ? "No failed requests remain." : `${open.length} request(s) still failing: \`baliza status\`.`
    )
    if (Either.isLeft(first)) return yield* first.left
    if (Either.isLeft(second)) return yield* second.left
  })).pipe(Command.withDescription("Run the failed partitions again; report the requests still failing"))
