/**
 * `baliza materialize`: select, plan and run the PNCP pipeline (or print the plan with `--dry-run`), with progress on
 * stderr and the result on stdout; and its seed spellings `run`, `extract` (raw only) and `transform` (staging and
 * marts only).
 *
 * @since 0.1.0
 */
import type * as AssetGraph from "@baliza/core/AssetGraph"
import * as AssetState from "@baliza/core/AssetState"
import * as EventLog from "@baliza/core/EventLog"
import * as ExecutionPlan from "@baliza/core/ExecutionPlan"
import * as Materializer from "@baliza/core/Materializer"
import type * as RunEvent from "@baliza/core/RunEvent"
import * as HttpSourceMonitor from "@baliza/extract/HttpSourceMonitor"
import * as Endpoints from "@baliza/pncp/Endpoints"
import * as PncpClient from "@baliza/pncp/PncpClient"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Ref from "effect/Ref"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import * as CliError from "./CliError.js"
import * as errors from "./internal/errors.js"
import * as plans from "./internal/plans.js"
import * as progress from "./internal/progress.js"
import * as restart from "./internal/restart.js"
import * as root from "./internal/root.js"
import * as suggest from "./internal/suggest.js"
import * as Partitions from "./Partitions.js"

const optionalText = (name: string, description: string, alias?: string) => {
  const option = Options.text(name).pipe(Options.withDescription(description))
  return Options.optional(alias === undefined ? option : Options.withAlias(option, alias))
}

const partitionOptions = {
  partition: optionalText(
    "partition",
    "A partition spec: a key (2024-07-15), a range A..B, a list A,B, or day|modalidade (2024-07-15|6)"
  ),
  day: optionalText("day", "One day, YYYY-MM-DD", "dia"),
  from: optionalText("from", "First day, YYYY-MM-DD (with --to)"),
  to: optionalText("to", "Last day, YYYY-MM-DD (with --from)"),
  month: optionalText("month", "A whole month, YYYY-MM", "mes"),
  latest: Options.boolean("latest").pipe(Options.withDescription("Yesterday (in Brasília)")),
  dateRange: optionalText(
    "date-range",
    "A range of days: last_N_days (the N days before today in Brasília, e.g. last_7_days, last_30_days) or " +
      "YYYY-MM-DD:YYYY-MM-DD"
  )
}

const runOptions = {
  ...partitionOptions,
  concurrency: Options.integer("concurrency").pipe(
    Options.withAlias("max-workers"),
    Options.withDescription(`Steps and requests in flight (default ${PncpClient.defaults.concurrency})`),
    Options.optional
  ),
  rpm: Options.integer("rpm").pipe(
    Options.withAlias("requests-per-minute"),
    Options.withDescription("Requests per minute to the API (default: no limit)"),
    Options.optional
  ),
  requestTimeout: optionalText(
    "request-timeout",
    "A request's time limit, connecting included (default 60s to read, 120s in all); then it is retried"
  ),
  only: Options.choice("only", ["missing", "failed", "stale"]).pipe(
    Options.withDescription("Run only missing, failed or stale partitions (default: every step not up to date)"),
    Options.optional
  ),
  force: Options.boolean("force").pipe(
    Options.withDescription("Run every selected step, even up to date ones; staging tables are built whole")
  ),
  refetch: Options.boolean("refetch").pipe(
    Options.withDescription(
      "Fetch the selected raw partitions again from their first page, completed ones too (implies --force)"
    )
  ),
  dryRun: Options.boolean("dry-run").pipe(
    Options.withDescription("Print the plan with each step's reason; run nothing")
  ),
  maxDuration: optionalText(
    "max-duration",
    "Stop cleanly after this long (90s, 30m, 3h; default no limit); the run stays resumable"
  ),
  maxRestarts: Options.integer("max-restarts").pipe(
    Options.withDescription(
      "Runs that end with failed steps start again from their checkpoints, up to N times (default 3; 0: never)"
    ),
    Options.withDefault(3)
  ),
  restartDelay: Options.text("restart-delay").pipe(
    Options.withDescription("Wait before a restart, e.g. 90s, 5m (default 30s, the circuit breakers' reset timeout)"),
    // A restart sooner than the breakers' reset would find an endpoint that opened its breaker still open.
    Options.withDefault("30s")
  ),
  modalidades: optionalText(
    "modalidades",
    "Only these modalidades of the day × modalidade assets, e.g. 6,7,8 (default all, 1 to 13)"
  ),
  metricsJson: optionalText("metrics-json", "Write the run's result and figures to this JSON file")
}

type RunFlags = Command.Command.ParseConfig<typeof runOptions>

// The day × modalidade assets take `days|6,7,8`; the raw assets partitioned by day alone have no modalidade, so they
// leave the selection (staging and marts, unpartitioned, stay).
const onlyDayModalidade = <E, R>(selection: string, graph: AssetGraph.AssetGraph<E, R>) => {
  const dayOnly = graph.assets.filter((asset) => asset.layer === "raw" && asset.partitions?._tag !== "Multi")
  return dayOnly.length === 0 ? selection : `(${selection}) and not (${dayOnly.map((asset) => asset.key).join(" or ")})`
}

const modalidadeSpec = (days: string | undefined, list: string) => {
  const codes = list.split(",").map((code) => code.trim())
  const known = new Set(Endpoints.modalidades.map((m) => String(m.codigo)))
  const unknown = codes.filter((code) => !known.has(code))
  return unknown.length > 0
    ? Effect.fail(CliError.input(`--modalidades: unknown modalidade ${unknown.join(", ")} (known: 1 to 13).`))
    : Effect.succeed(`${days ?? "*"}|${codes.join(",")}`)
}

// What each PNCP endpoint is doing, for the progress display (consulta and details share the client's sources).
const endpointDetails = Effect.gen(function*() {
  const client = yield* PncpClient.PncpClient
  const lines: Array<string> = []
  for (const source of [client.consulta, client.details]) {
    lines.push(
      ...progress.endpointLines(yield* source.metrics.snapshot, yield* HttpSourceMonitor.breakerStates([source]))
    )
  }
  return lines
})

const messageOf = (cause: unknown) => cause instanceof Error ? cause.message : String(cause)

// Without creating it: an existing file that is writable, or a writable directory to create it in; never the database.
const checkWritable = (path: string, db: string) =>
  Effect.try({
    try: () => {
      const target = NodePath.resolve(path)
      const database = NodePath.resolve(db)
      if (target === database || target === `${database}.wal`) throw new Error("it is the database (--db)")
      if (NodeFs.existsSync(path)) {
        if (NodeFs.statSync(path).isDirectory()) throw new Error("it is a directory")
        NodeFs.accessSync(path, NodeFs.constants.W_OK)
      } else {
        const dir = NodePath.dirname(NodePath.resolve(path))
        if (!NodeFs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`)
        NodeFs.accessSync(dir, NodeFs.constants.W_OK)
      }
    },
    catch: (cause) => CliError.input(`Cannot write --metrics-json ${path}: ${messageOf(cause)}`)
  })

const writeMetrics = (path: string, metrics: unknown) =>
  Effect.try({
    try: () => NodeFs.writeFileSync(path, `${JSON.stringify(metrics, null, 2)}\n`),
    catch: (cause) => CliError.input(`Cannot write --metrics-json ${path}: ${messageOf(cause)}`)
  })

/**
 * Runs `run` for at most `millis`. A run stopped then reports the figures of its last attempt, folded from the events
 * as they come (only the attempt's start, end and failures are kept): the `RunFinished` the materializer writes when
 * it is interrupted, or, stopped during a restart's delay, the attempt that had ended (with its own status).
 */
const stopAfter = <E, R>(run: Effect.Effect<Materializer.RunResult, E, R>, millis: number) =>
  Effect.scoped(Effect.gen(function*() {
    const events = yield* (yield* EventLog.EventLog).subscribe
    let started: { readonly runId: string; readonly planned: number } | undefined
    let finished: Materializer.RunResult | undefined
    let failures: Array<Materializer.StepFailure> = []
    const fold = (event: RunEvent.RunEvent) => {
      if (event._tag === "RunStarted") {
        started = { runId: event.runId, planned: event.plannedSteps }
        finished = undefined
        failures = []
      } else if (event._tag === "StepFailed") {
        failures.push({ stepId: progress.stepOf(event), errorTag: event.errorTag, message: event.error })
      } else if (event._tag === "RunFinished") {
        const { durationMs, failed, runId, skipped, status, succeeded } = event
        finished = { runId, status, durationMs, succeeded, failed, skipped, failures: [] }
      }
    }
    // An event taken is folded before the consumer can be interrupted: none is lost between the two.
    const consumer = yield* Effect.forkScoped(
      Effect.forever(
        Effect.uninterruptibleMask((restore) => Effect.map(restore(Queue.take(events)), ({ event }) => fold(event)))
      )
    )
    const outcome = yield* Effect.timeoutOption(run, Duration.millis(millis))
    yield* Fiber.interrupt(consumer)
    if (Option.isSome(outcome)) return { result: outcome.value, stopped: false }
    for (const { event } of yield* Queue.takeAll(events)) fold(event)
    const result: Materializer.RunResult = finished !== undefined
      ? { ...finished, failures }
      : {
        runId: started?.runId ?? "",
        status: "Interrupted",
        durationMs: millis,
        succeeded: 0,
        failed: 0,
        skipped: started?.planned ?? 0,
        failures
      }
    return { result, stopped: true, began: started !== undefined }
  }))

const onlyOf = (only: Option.Option<"missing" | "failed" | "stale">): ExecutionPlan.Only | undefined =>
  Option.match(only, {
    onNone: () => undefined,
    onSome: (value) => value === "missing" ? "Missing" : value === "failed" ? "Failed" : "Stale"
  })

/**
 * Selects, plans and runs (or prints the plan): the handler of `materialize` and its aliases.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handler = (select: (defaultSelection: string) => string, flags: RunFlags) =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    const graph = yield* root.graph
    const selection = select((yield* root.project).defaultSelection)
    const selected = yield* suggest.checkSelection(selection, graph)
    const days = yield* Partitions.spec(flags, yield* Clock.currentTimeMillis)
    const partitions = Option.isSome(flags.modalidades)
      ? yield* modalidadeSpec(days, flags.modalidades.value)
      : days
    // Every number, duration and URL is checked before anything is planned, dry run or not.
    yield* root.checkUrls(globals)
    const concurrency = Option.getOrUndefined(flags.concurrency)
    if (concurrency !== undefined && concurrency < 1) {
      return yield* CliError.input(`--concurrency must be at least 1, got ${concurrency}.`)
    }
    const rpm = Option.getOrUndefined(flags.rpm)
    if (rpm !== undefined && rpm < 1) {
      return yield* CliError.input(
        `--rpm must be at least 1 request per minute, got ${rpm} (leave it out for no limit).`
      )
    }
    if (flags.maxRestarts < 0) {
      return yield* CliError.input(`--max-restarts must be 0 or more, got ${flags.maxRestarts}.`)
    }
    const limit = Option.isSome(flags.maxDuration)
      ? Option.some(yield* Partitions.parseDuration(flags.maxDuration.value))
      : Option.none<number>()
    const delay = yield* Partitions.parseDuration(flags.restartDelay, "--restart-delay")
    const requestTimeout = Option.isSome(flags.requestTimeout)
      ? yield* Partitions.parseDuration(flags.requestTimeout.value, "--request-timeout")
      : undefined
    // A file that cannot be written is found now, not after hours of run.
    if (Option.isSome(flags.metricsJson)) yield* checkWritable(flags.metricsJson.value, globals.db)
    // --modalidades narrows the assets partitioned by modalidade: a selection with none of them is a mistake.
    if (Option.isSome(flags.modalidades)) {
      if (!graph.assets.some((asset) => selected.has(asset.key) && plans.byModalidade(asset))) {
        return yield* CliError.input(
          `--modalidades applies to the assets partitioned by day and modalidade (the contratações); ` +
            `"${selection}" selects none of them, so it would change nothing.`
        )
      }
    }
    const options = {
      selection: Option.isSome(flags.modalidades) ? onlyDayModalidade(selection, graph) : selection,
      partitions,
      force: flags.force || flags.refetch,
      only: onlyOf(flags.only)
    }
    if (flags.dryRun) {
      // A dry run writes nothing: an existing file is read read-only (one that needs migrations is exit 3, as for
      // status), and a database that does not exist yet has nothing materialized: plan against empty state.
      const plan = yield* Materializer.planRun(graph, options).pipe(
        Effect.catchTag("MaterializeError", (error) => Effect.fail(plans.planFailure(error, graph, partitions))),
        Effect.provide(
          NodeFs.existsSync(globals.db)
            ? root.existingStorage(globals)
            : Layer.merge(AssetState.layerMemory, EventLog.layerMemory)
        )
      )
      yield* globals.json
        ? Console.log(JSON.stringify({
          toRun: plan.toRun,
          steps: plan.steps.map((step) => ({
            id: step.id,
            action: step.action,
            reason: step.reason,
            detail: step.detail
          }))
        }))
        : Console.log(ExecutionPlan.format(plan, { maxLines: 200 }))
      return
    }
    // Steps and PNCP requests in flight: --concurrency, or the client's default.
    const inFlight = concurrency ?? PncpClient.defaults.concurrency
    const runOnce = (force: boolean) =>
      Materializer.materialize(graph, { ...options, force, concurrency: inFlight, pools: { pncp_api: inFlight } })
        .pipe(
          Effect.catchTag("MaterializeError", (error) => Effect.fail(plans.planFailure(error, graph, partitions)))
        )
    // A run that ends with failed steps starts again after the delay: the plan keeps what succeeded and resumes the
    // failed partitions from their page checkpoints. Not forced again (`--force`, `--refetch`): what the forced run
    // did stays done, and its failed steps resume. Not when every failure is one a restart cannot change (a check
    // that failed, an invalid setting): it would fail the same way, after the delays.
    const errorTags = (failures: Materializer.RunResult["failures"]) =>
      [...new Set(failures.map((failure) => failure.errorTag))].join(", ")
    const restarted = yield* Ref.make(0)
    const withRestarts = (restarts: number): Effect.Effect<
      Materializer.RunResult,
      Effect.Effect.Error<ReturnType<typeof runOnce>>,
      Effect.Effect.Context<ReturnType<typeof runOnce>>
    > =>
      Effect.flatMap(runOnce(restarts === 0 && options.force), (result) =>
        result.status !== "Failure" || restarts >= flags.maxRestarts
          ? Effect.succeed(result)
          : restart.allDeterministic(result.failures)
          ? Effect.as(
            Console.error(
              `baliza: ${result.failed} step(s) failed for a reason a restart cannot change ` +
                `(${errorTags(result.failures)}); not restarting`
            ),
            result
          )
          : Console.error(
            `baliza: ${result.failed} step(s) failed; restarting from the checkpoints in ${flags.restartDelay} ` +
              `(restart ${restarts + 1} of ${flags.maxRestarts})`
          ).pipe(
            Effect.zipRight(Ref.set(restarted, restarts + 1)),
            Effect.zipRight(Effect.sleep(Duration.millis(delay))),
            Effect.zipRight(withRestarts(restarts + 1))
          ))
    // This process holds the database's write lock: a run the log still shows as running was killed with its process.
    const first = Effect.zipRight(Materializer.finishAbandonedRuns, withRestarts(0))
    const bounded = Option.match(limit, {
      onNone: () =>
        Effect.map(first, (result) => ({ result, stopped: false, began: true })),
      onSome: (millis) =>
        stopAfter(first, millis)
    })
    const outcome = yield* progress.reporting(bounded, { json: globals.json, details: endpointDetails }).pipe(
      Effect.provide(root.warehouse(globals, {
        consultaUrl: globals.baseUrl,
        detailsUrl: globals.detailsUrl,
        ...(concurrency === undefined ? {} : { concurrency }),
        ...(requestTimeout === undefined ? {} : { requestTimeout }),
        ...(rpm === undefined ? {} : { rpm }),
        ...(flags.refetch ? { refetch: true } : {})
      })),
      errors.mapOther
    )
    const { began, result, stopped } = outcome
    const restarts = yield* Ref.get(restarted)
    // A file that became unwritable during the run costs the figures, not the summary or the run's exit code.
    const written = Option.isSome(flags.metricsJson)
      ? yield* Effect.either(writeMetrics(flags.metricsJson.value, {
        ...result,
        restarts,
        ...(stopped ? { stoppedAfter: Option.getOrElse(flags.maxDuration, () => "") } : {})
      }))
      : Either.right(undefined)
    if (stopped) {
      // the one JSON document of --json: the stopped run's figures and what stopped it
      if (globals.json) {
        yield* Console.log(JSON.stringify({ ...result, stoppedAfter: Option.getOrElse(flags.maxDuration, () => "") }))
      }
      if (Either.isLeft(written)) yield* Console.error(`baliza: ${written.left.message}`)
      return yield* CliError.failed(
        `Stopped after --max-duration ${Option.getOrElse(flags.maxDuration, () => "")} ` +
          (began
            ? `(${result.succeeded} step(s) succeeded, ${result.failed} failed, ${result.skipped} skipped or not run); `
            : "before the run started; ") +
          `run the same command again to resume from the checkpoints.`
      )
    }
    yield* progress.summary(result, { json: globals.json })
    if (result.status !== "Success") {
      if (Either.isLeft(written)) yield* Console.error(`baliza: ${written.left.message}`)
      return yield* CliError.failed(
        `${result.failed} step(s) failed. ` +
          (restart.allDeterministic(result.failures) ? "Fix what the failures say, then run" : "Run") +
          ` \`baliza materialize\` again (or \`baliza retry-failed\`) to resume from the checkpoints, which are ` +
          `kept: what committed is not done again.`
      )
    }
    if (Either.isLeft(written)) return yield* written.left
  })

const selectOption = Options.text("select").pipe(
  Options.withDescription(
    "Assets to run: a key, +key, key+, *, tag:k=v, group:g, layer:raw|staging|mart, and/or/not " +
      "(default: the project's, for PNCP everything but the details)"
  ),
  Options.optional
)

/**
 * @since 0.1.0
 * @category commands
 */
export const materialize = Command.make(
  "materialize",
  { select: selectOption, ...runOptions },
  ({ select, ...flags }) => restart.resumable(handler((project) => Option.getOrElse(select, () => project), flags))
).pipe(Command.withDescription("Plan and run the selected assets over the chosen partitions"))

/**
 * `run`: `materialize` under the seed's name (`run --latest`, `run --mes 2024-01`).
 *
 * @since 0.1.0
 * @category commands
 */
export const run = Command.make(
  "run",
  { select: selectOption, ...runOptions },
  ({ select, ...flags }) => restart.resumable(handler((project) => Option.getOrElse(select, () => project), flags))
).pipe(Command.withDescription("Same as materialize"))

/**
 * `extract`: the raw layer only (`extract --dia 2024-01-15`).
 *
 * @since 0.1.0
 * @category commands
 */
export const extract = Command.make(
  "extract",
  runOptions,
  (flags) => restart.resumable(handler((project) => `(${project}) and layer:raw`, flags))
).pipe(Command.withDescription("Extract the raw layer only (every consulta endpoint)"))

/**
 * `transform`: staging and marts only (`transform --mes 2024-01`).
 *
 * @since 0.1.0
 * @category commands
 */
export const transform = Command.make(
  "transform",
  runOptions,
  (flags) => restart.resumable(handler((project) => `(${project}) and not layer:raw`, flags))
).pipe(Command.withDescription("Rebuild staging and marts from what is archived"))
