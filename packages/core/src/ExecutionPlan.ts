/**
 * The plan of a run: which steps (asset × partition) run, in which order, and why each one runs or is skipped. Planning is
 * pure — the same graph, selection, partitions and state give the same plan — so `--dry-run` is printing it.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type * as Asset from "./Asset.js"
import type * as AssetGraph from "./AssetGraph.js"
import type { AssetKey } from "./AssetKey.js"
import { AssetState, type AssetStateError, type StepRecord } from "./AssetState.js"
import * as DataVersion from "./DataVersion.js"
import * as internal from "./internal/plan.js"
import * as Partitions from "./Partitions.js"

/**
 * Why a step runs (`Missing` … `UpstreamPlanned`) or is skipped (`UpToDate`, `Filtered`).
 *
 * @since 0.1.0
 * @category models
 */
export const StepReason = Schema.Literal(
  "Missing",
  "Failed",
  "Forced",
  "CodeVersionChanged",
  "UpstreamChanged",
  "UpstreamPlanned",
  "UpToDate",
  "Filtered"
)

/**
 * @since 0.1.0
 * @category models
 */
export type StepReason = typeof StepReason.Type

/**
 * @since 0.1.0
 * @category models
 */
export interface UpstreamStep {
  readonly id: string
  readonly assetKey: AssetKey
  readonly partitionKey: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface PlannedStep {
  readonly id: string
  readonly assetKey: AssetKey
  readonly partitionKey: string | undefined
  readonly action: "Run" | "Skip"
  readonly reason: StepReason
  /** A sentence for people: "code version changed from 1 to 2". */
  readonly detail: string
  /** Every upstream step this step reads, planned or not. */
  readonly upstream: ReadonlyArray<UpstreamStep>
  /** The ids of planned (`Run`) steps this one waits for. */
  readonly dependencies: ReadonlyArray<string>
  /** The state this step had when planned. */
  readonly previous: StepRecord | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ExecutionPlan {
  /** In a valid execution order: every step after its dependencies. */
  readonly steps: ReadonlyArray<PlannedStep>
  readonly toRun: number
  readonly selection: ReadonlyArray<AssetKey>
  readonly partitions: string | undefined
  /** Which steps it was restricted to (`PlanOptions.only`). */
  readonly only: Only
  /** Whether it forced its steps (`PlanOptions.force`). */
  readonly force: boolean
  /** The time its partitions were resolved at (the context's `now`), epoch milliseconds. */
  readonly asOf: number
}

/**
 * @since 0.1.0
 * @category errors
 */
export class ExecutionPlanError extends Schema.TaggedError<ExecutionPlanError>()("ExecutionPlanError", {
  reason: Schema.Literal("PartitionNotApplicable", "InvalidPartition"),
  assetKey: Schema.String,
  message: Schema.String
}) {}

/**
 * Which of the stale/missing/failed steps to run; `All` (the default) runs any step that is not up to date. `Failed`
 * re-executes from failure: the steps that failed last time, those an interrupted run left to do
 * (`PlanOptions.interrupted`) and, among the selected steps downstream of them, those that are not up to date
 * (skipped when their upstream failed, or stale since).
 *
 * @since 0.1.0
 * @category models
 */
export const Only = Schema.Literal("All", "Missing", "Failed", "Stale")

/**
 * @since 0.1.0
 * @category models
 */
export type Only = typeof Only.Type

/**
 * A run that stopped before it finished (interrupted, or killed with its process), and the steps it left to do: those
 * it planned that no run has touched since it started (`Materializer.interruptedRun`).
 *
 * @since 0.1.0
 * @category models
 */
export interface InterruptedRun {
  readonly runId: string
  readonly steps: ReadonlySet<string>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface PlanOptions<E, R> {
  readonly graph: AssetGraph.AssetGraph<E, R>
  readonly selection: Iterable<AssetKey>
  /** A partition spec (`2024-01-01..2024-01-31`, `*`, `2024-01|6,7`); all partitions when absent. */
  readonly partitions?: string | undefined
  readonly state: ReadonlyArray<StepRecord>
  readonly context: Partitions.PartitionsContext
  readonly force?: boolean | undefined
  readonly only?: Only | undefined
  /** With `only: "Failed"`, the steps this interrupted run left to do run again too (re-execution from failure). */
  readonly interrupted?: InterruptedRun | undefined
}

/**
 * Plans a run.
 *
 * **Details**
 *
 * For each selected asset, in topological order, the partition spec picks its keys: directly when the asset's definition
 * accepts the spec, for a multi-partition by applying it to the one dimension that accepts it, and otherwise from the keys
 * picked for its upstream assets through the partition mapping (a monthly mart under a daily range gets the months the
 * range touches). Then each step is compared with its ledger row: never materialized → `Missing`; failed last time →
 * `Failed`; code version changed → `CodeVersionChanged`; an upstream step now has a newer data version than the one it was
 * built from → `UpstreamChanged`; an upstream step runs in this plan → `UpstreamPlanned` (the materializer skips it as
 * unchanged if that upstream produces the same version again); otherwise `UpToDate`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <E, R>(options: PlanOptions<E, R>): Either.Either<ExecutionPlan, ExecutionPlanError> =>
  Either.mapLeft(internal.make(options), (failure) => new ExecutionPlanError(failure))

/**
 * The partitions context a run planned now would use: the clock of `context` when given (else the current time), and
 * the dynamic keys of the graph's definitions that the state holds, with any `context` adds. The stored keys are merged
 * once here rather than on each of the planner's many asks.
 *
 * @since 0.1.0
 * @category constructors
 */
export const contextFromState = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  context?: Partitions.PartitionsContext
): Effect.Effect<Partitions.PartitionsContext, AssetStateError, AssetState> =>
  Effect.gen(function*() {
    const state = yield* AssetState
    const dynamic: Record<string, ReadonlyArray<string>> = {}
    for (const name of dynamicPartitionNames(graph)) dynamic[name] = yield* state.dynamicPartitions(name)
    return context === undefined
      ? yield* Partitions.currentContext({ dynamicKeys: dynamic })
      : Partitions.context({
        now: context.now,
        dynamicKeys: Object.fromEntries(
          Object.entries(dynamic).map((
            [name, stored]
          ) => [name, [...new Set([...stored, ...context.dynamicKeys(name)])]])
        )
      })
  })

/**
 * Plans a run against the current `AssetState`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromState = <E, R>(
  options: Omit<PlanOptions<E, R>, "state" | "context"> & { readonly context?: Partitions.PartitionsContext }
): Effect.Effect<ExecutionPlan, ExecutionPlanError | AssetStateError, AssetState> =>
  Effect.gen(function*() {
    const state = yield* AssetState
    const graph = options.graph
    const context = yield* contextFromState(graph, options.context)
    const selection = [...options.selection]
    const relevant = new Set<string>(selection)
    for (const key of selection) for (const parent of graph.parents(key)) relevant.add(parent)
    const records = yield* state.list({ assetKeys: [...relevant] })
    return yield* make({ ...options, selection, state: records, context })
  })

/**
 * The names of the dynamic partitions definitions the graph's assets use (in multi-partitions too).
 *
 * @since 0.1.0
 * @category utils
 */
export const dynamicPartitionNames = <E, R>(graph: AssetGraph.AssetGraph<E, R>): ReadonlySet<string> => {
  const names = new Set<string>()
  const visit = (node: Partitions.PartitionsJson) => {
    if (node._tag === "Dynamic") names.add(node.name)
    if (node._tag === "Multi") { for (const dimension of node.dimensions) visit(dimension.partitions) }
  }
  for (const asset of graph.assets) if (asset.partitions !== undefined) visit(asset.partitions.toJSON())
  return names
}

/**
 * The steps that will run.
 *
 * @since 0.1.0
 * @category utils
 */
export const runnable = (plan: ExecutionPlan): ReadonlyArray<PlannedStep> =>
  plan.steps.filter((step) => step.action === "Run")

/**
 * Counts of steps by reason.
 *
 * @since 0.1.0
 * @category utils
 */
export const summary = (plan: ExecutionPlan): Readonly<Record<StepReason, number>> => {
  const counts: Record<StepReason, number> = {
    Missing: 0,
    Failed: 0,
    Forced: 0,
    CodeVersionChanged: 0,
    UpstreamChanged: 0,
    UpstreamPlanned: 0,
    UpToDate: 0,
    Filtered: 0
  }
  for (const step of plan.steps) counts[step.reason]++
  return counts
}

/**
 * The plan as text, one step per line with its reason: what `--dry-run` prints.
 *
 * @since 0.1.0
 * @category utils
 */
export const format = (plan: ExecutionPlan, options?: { readonly maxLines?: number }): string => {
  const max = options?.maxLines ?? Number.POSITIVE_INFINITY
  const lines = [`${plan.toRun} of ${plan.steps.length} steps to run`]
  for (const key of withoutSteps(plan)) lines.push(`NONE ${key}  (no partition of it in ${plan.partitions ?? "*"})`)
  for (const step of plan.steps.slice(0, max)) {
    lines.push(`${step.action === "Run" ? "RUN " : "SKIP"} ${step.id}  (${step.reason}: ${step.detail})`)
  }
  if (plan.steps.length > max) lines.push(`… and ${plan.steps.length - max} more`)
  return lines.join("\n")
}

/**
 * The selected assets the plan has no step of: partitioned assets that the partition spec gives no partition, such as
 * a monthly asset whose months must be over under the days of the current month. Said by {@link format}, and logged
 * as a warning by a run, rather than left silent.
 *
 * @since 0.1.0
 * @category utils
 */
export const withoutSteps = (plan: ExecutionPlan): ReadonlyArray<AssetKey> => {
  const planned = new Set(plan.steps.map((step) => step.assetKey))
  return plan.selection.filter((key) => !planned.has(key))
}

/**
 * The data version a step will record if its asset reports none: the logical version when the asset has a code version
 * (same code + same inputs = same data), otherwise `DataVersion.fresh` (new in every run).
 *
 * @since 0.1.0
 * @category utils
 */
export const defaultDataVersion = (
  asset: Asset.Any,
  runId: string,
  upstream: ReadonlyArray<readonly [string, string]>
): string =>
  asset.codeVersion === undefined
    ? DataVersion.fresh(runId)
    : DataVersion.logical({ codeVersion: asset.codeVersion, upstream })
