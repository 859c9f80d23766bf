/**
 * Runs plans. Steps run under structured concurrency: a global bound, per-pool bounds, per-asset retries and timeouts. A failed
 * step's downstream steps are skipped, independent branches keep going, and a step whose upstream steps produced the same data
 * versions as last time is skipped as unchanged. Every transition goes to the `EventLog`, every outcome to `AssetState`.
 *
 * **Example**
 * ```ts
 * import { Asset, AssetGraph, AssetState, EventLog, Materializer } from "@baliza/core"
 * import { Effect, Layer } from "effect"
 *
 * const hello = Asset.make({ key: "hello", materialize: () => Effect.succeed({ rows: 1 }) })
 *
 * const program = Effect.gen(function*() {
 *   const graph = yield* AssetGraph.make([hello])
 *   return yield* Materializer.materialize(graph, { selection: "*" })
 * }).pipe(Effect.provide(Layer.merge(EventLog.layerMemory, AssetState.layerMemory)))
 * ```
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { pipe } from "effect/Function"
import * as Schema from "effect/Schema"
import type * as AssetGraph from "./AssetGraph.js"
import * as AssetSelection from "./AssetSelection.js"
import type { AssetState, AssetStateError } from "./AssetState.js"
import { EventLog, type EventLogError } from "./EventLog.js"
import * as ExecutionPlan from "./ExecutionPlan.js"
import * as internal from "./internal/materializer.js"
import * as Partitions from "./Partitions.js"
import type { RunStatus } from "./RunEvent.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface ExecuteOptions {
  /** Generated (sortable timestamp + random suffix) when absent. */
  readonly runId?: string | undefined
  /** How many steps run at once: a positive integer or `Infinity`. Default 4. */
  readonly concurrency?: number | undefined
  /** Limits per pool: at most `n` steps of the assets in pool `name` run at once. Pools without a limit are unbounded. */
  readonly pools?: Readonly<Record<string, number>> | undefined
  readonly tags?: Readonly<Record<string, string>> | undefined
  /** The selection as the user wrote it, for the event log. */
  readonly selection?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface StepFailure {
  readonly stepId: string
  readonly errorTag: string
  readonly message: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RunResult {
  readonly runId: string
  readonly status: RunStatus
  readonly durationMs: number
  readonly succeeded: number
  readonly failed: number
  /** Up to date, filtered, unchanged, blocked by a failure, or not reached before an interruption. */
  readonly skipped: number
  readonly failures: ReadonlyArray<StepFailure>
}

/**
 * Selecting or planning failed before anything ran.
 *
 * @since 0.1.0
 * @category errors
 */
export class MaterializeError extends Schema.TaggedError<MaterializeError>()("MaterializeError", {
  reason: Schema.Literal("Selection", "Plan", "Options"),
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/**
 * Runs a plan's `Run` steps.
 *
 * @since 0.1.0
 * @category constructors
 */
export const execute: <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  plan: ExecutionPlan.ExecutionPlan,
  options?: ExecuteOptions
) => Effect.Effect<RunResult, EventLogError | AssetStateError, R | EventLog | AssetState> = internal.execute

/**
 * @since 0.1.0
 * @category models
 */
export interface MaterializeOptions extends ExecuteOptions {
  /** Selection syntax (`*`, `+pncp/marts/*`, `layer:raw and tag:source=pncp`). Default `*`. */
  readonly selection?: string | undefined
  /** Partition spec; all partitions when absent. */
  readonly partitions?: string | undefined
  readonly force?: boolean | undefined
  readonly only?: ExecutionPlan.Only | undefined
  /**
   * With `only: "Failed"`, the interrupted run whose leftovers run again too. `materialize` looks up the last run
   * (`interruptedRun`) when this is absent; `plan` takes it as given.
   */
  readonly interrupted?: ExecutionPlan.InterruptedRun | undefined
  readonly context?: Partitions.PartitionsContext | undefined
}

/**
 * Selects, plans against the current state, and runs.
 *
 * @since 0.1.0
 * @category constructors
 */
export const materialize = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  options: MaterializeOptions = {}
): Effect.Effect<
  RunResult,
  MaterializeError | EventLogError | AssetStateError,
  R | EventLog | AssetState
> =>
  pipe(
    checkOptions(options),
    Effect.zipRight(planRun(graph, options)),
    Effect.tap((planned) =>
      Effect.forEach(
        ExecutionPlan.withoutSteps(planned),
        (key) => Effect.logWarning(`${key}: no partition of it in ${planned.partitions ?? "*"}, so it does not run`),
        { discard: true }
      )
    ),
    Effect.flatMap((planned) => execute(graph, planned, { ...options, selection: options.selection ?? "*" }))
  )

/**
 * Plans as {@link materialize} does before it runs: like {@link plan}, and with `only: "Failed"` the last interrupted
 * run's leftovers looked up first ({@link interruptedRun}) unless `interrupted` is given. A dry run that uses it plans
 * what the run will.
 *
 * @since 0.1.0
 * @category constructors
 */
export const planRun = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  options: Omit<MaterializeOptions, keyof ExecuteOptions> & { readonly selection?: string | undefined } = {}
): Effect.Effect<
  ExecutionPlan.ExecutionPlan,
  MaterializeError | EventLogError | AssetStateError,
  EventLog | AssetState
> =>
  options.only === "Failed" && options.interrupted === undefined
    ? Effect.flatMap(interruptedRun(graph), (interrupted) => plan(graph, { ...options, interrupted }))
    : plan(graph, options)

const isBound = (n: number) => n === Infinity || (Number.isInteger(n) && n >= 1)

/** The bounds a caller gave, checked before anything is planned (`execute` takes them as given). */
const checkOptions = (options: ExecuteOptions): Effect.Effect<void, MaterializeError> => {
  const problems = [
    ...(options.concurrency === undefined || isBound(options.concurrency)
      ? []
      : [`concurrency must be a positive integer or Infinity, not ${options.concurrency}`]),
    ...Object.entries(options.pools ?? {}).filter(([, limit]) => !isBound(limit)).map(([pool, limit]) =>
      `the limit of pool "${pool}" must be a positive integer or Infinity, not ${limit}`
    )
  ]
  return problems.length === 0
    ? Effect.void
    : Effect.fail(new MaterializeError({ reason: "Options", message: `${problems.join("; ")}.` }))
}

/**
 * Selects and plans against the current state, without running: what `--dry-run` prints.
 *
 * @since 0.1.0
 * @category constructors
 */
export const plan = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  options: Omit<MaterializeOptions, keyof ExecuteOptions> & { readonly selection?: string | undefined } = {}
): Effect.Effect<ExecutionPlan.ExecutionPlan, MaterializeError | AssetStateError, AssetState> =>
  Effect.gen(function*() {
    const selected = AssetSelection.select(options.selection ?? "*", graph)
    if (Either.isLeft(selected)) {
      return yield* new MaterializeError({ reason: "Selection", message: selected.left.message, cause: selected.left })
    }
    return yield* ExecutionPlan.fromState({
      graph,
      selection: selected.right,
      partitions: options.partitions,
      force: options.force,
      only: options.only,
      interrupted: options.interrupted,
      ...(options.context === undefined ? {} : { context: options.context })
    }).pipe(
      Effect.catchTag(
        "ExecutionPlanError",
        (error) => new MaterializeError({ reason: "Plan", message: error.message, cause: error })
      )
    )
  })

/**
 * The last run, if it stopped before it finished, with the steps it left to do: the steps its plan (selection,
 * partitions and `force`, planned again as of when it was planned, `RunStarted.asOf`) runs that no run has recorded
 * since it started. This is what re-execution from failure (`only: "Failed"`) runs besides the failed steps, as
 * `materialize` does by itself. Runs that were re-executions from failure are looked past, since they work through the
 * leftovers of the run before them; a run that ended otherwise (succeeded, failed) has left nothing.
 *
 * **Details**
 *
 * A step counts as done once any run records it (materialized or failed) after the interrupted run started, so the
 * leftovers only shrink: days that came after the run, and code changed since, are not its leftovers. A run the log
 * still shows as running counts as stopped: look it up where no other run is in progress on this event log (as for
 * `finishAbandonedRuns`). A run whose selection or partitions no longer plan (an asset renamed since) has left nothing
 * that can be found, and is logged as a warning.
 *
 * @since 0.1.0
 * @category constructors
 */
export const interruptedRun = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>
): Effect.Effect<ExecutionPlan.InterruptedRun | undefined, EventLogError | AssetStateError, EventLog | AssetState> =>
  Effect.gen(function*() {
    const log = yield* EventLog
    for (const run of yield* log.runs()) {
      // A run started again under the same id has several starts: the last one says what it ran.
      const starts = yield* log.query({ runId: run.runId, tags: ["RunStarted"] })
      const last = starts[starts.length - 1]?.event
      const started = last?._tag === "RunStarted" ? last : undefined
      const only = started?.only ?? "All"
      if (only === "Failed") continue
      if (run.status !== "Interrupted" && run.status !== "Running") return undefined
      const planned = yield* Effect.either(plan(graph, {
        selection: run.selection,
        partitions: run.partitions ?? undefined,
        only,
        force: started?.force,
        // as of the run's own plan (a run without `asOf` was recorded before it existed: its start)
        context: Partitions.context({ now: started?.asOf ?? run.startedAt })
      }))
      if (Either.isLeft(planned)) {
        if (planned.left._tag === "AssetStateError") return yield* planned.left
        yield* Effect.logWarning(
          `The steps interrupted run ${run.runId} left to do cannot be planned again`,
          planned.left
        )
        return undefined
      }
      const untouched = ExecutionPlan.runnable(planned.right).filter((step) =>
        step.previous === undefined || step.previous.updatedAt < run.startedAt
      )
      return { runId: run.runId, steps: new Set(untouched.map((step) => step.id)) }
    }
    return undefined
  })

/**
 * Records every run the event log still shows as running as `Interrupted`, and returns their ids: what a process that
 * was killed (SIGKILL, a crash, a power cut) left behind, which would otherwise show "Running" for ever. The steps it
 * did not finish count as skipped; it ended at its last event. Call it only where no other process can be running on
 * this event log (one that holds the DuckDB file's write lock, before it starts runs of its own).
 *
 * @since 0.1.0
 * @category constructors
 */
export const finishAbandonedRuns: Effect.Effect<
  ReadonlyArray<string>,
  EventLogError | AssetStateError,
  EventLog | AssetState
> = internal.finishAbandonedRuns

/**
 * A new run id (`20260101-120000-a1b2c3`: the UTC time, then randomness), for callers that name a run before it starts
 * (`MaterializeOptions.runId`), such as a server that answers with the id and streams the run's events.
 *
 * @since 0.1.0
 * @category utils
 */
export const makeRunId: Effect.Effect<string> = internal.makeRunId
