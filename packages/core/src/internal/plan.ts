import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Asset from "../Asset.js"
import type * as AssetGraph from "../AssetGraph.js"
import type { AssetKey } from "../AssetKey.js"
import type { StepRecord } from "../AssetState.js"
import type {
  ExecutionPlan,
  ExecutionPlanError,
  Only,
  PlannedStep,
  PlanOptions,
  StepReason,
  UpstreamStep
} from "../ExecutionPlan.js"
import type * as Partitions from "../Partitions.js"
import * as TimeWindow from "../Partitions/TimeWindow.js"

type StepKeys = ReadonlyArray<string | undefined>

const UNPARTITIONED: StepKeys = [undefined]

const none: ReadonlyArray<never> = []

/**
 * A copy of `array` whose storage fits it: V8 gives an array room for 17 elements at its first push, and a plan keeps
 * two small arrays per step, and the young generation's collector spent most of the planning time copying that room
 * (`bench/core-plan.bench.ts`, 300,000 steps, alternating runs: first run 1.01–1.11 → 0.73–0.76 s, steady state
 * 0.70–0.75 → 0.58–0.62 s, peak RSS 461–466 → 326–328 MB). The pushed-to original dies young, which costs the
 * collector little.
 */
const exactly = <A>(array: ReadonlyArray<A>): ReadonlyArray<A> => array.length === 0 ? none : array.slice()

const runReasons: ReadonlySet<StepReason> = new Set<StepReason>([
  "Missing",
  "Failed",
  "Forced",
  "CodeVersionChanged",
  "UpstreamChanged",
  "UpstreamPlanned"
])

const staleReasons: ReadonlySet<StepReason> = new Set<StepReason>([
  "CodeVersionChanged",
  "UpstreamChanged",
  "UpstreamPlanned"
])

// `downstreamOfRun`: the step depends on a step that runs in this plan; `leftover`: an interrupted run left it to do.
const keep = (only: Only, reason: StepReason, downstreamOfRun: boolean, leftover: boolean): boolean => {
  switch (only) {
    case "All":
      return true
    case "Missing":
      return reason === "Missing"
    case "Failed":
      // Re-execution from failure: what failed or an interrupted run did not reach, and what is downstream of it
      // (skipped when it failed, or now stale).
      return reason === "Failed" || ((downstreamOfRun || leftover) && runReasons.has(reason))
    case "Stale":
      return staleReasons.has(reason)
  }
}

/** What went wrong, as the fields of an `ExecutionPlanError` (built by the public module, which owns the class). */
export type PlanFailure = Pick<ExecutionPlanError, "reason" | "assetKey" | "message">

/** @internal */
export const make = <E, R>(options: PlanOptions<E, R>): Either.Either<ExecutionPlan, PlanFailure> => {
  const { context, graph } = options
  const selected = new Set<AssetKey>(options.selection)
  const selection = graph.keys.filter((key) => selected.has(key))
  // Per-asset maps keyed by partition key: one big map keyed by concatenated step ids spends most of the planning time
  // flattening and hashing fresh strings.
  const state = new Map<string, Map<string | null, StepRecord>>()
  for (const record of options.state) {
    let byPartition = state.get(record.assetKey)
    if (byPartition === undefined) state.set(record.assetKey, byPartition = new Map())
    byPartition.set(record.partitionKey, record)
  }
  const only = options.only ?? "All"
  const interrupted = only === "Failed" ? options.interrupted : undefined

  const outsideSteps = new Map<AssetKey, Map<string | undefined, UpstreamStep>>()
  const outside = (assetKey: AssetKey, partitionKey: string | undefined): UpstreamStep => {
    let byPartition = outsideSteps.get(assetKey)
    if (byPartition === undefined) outsideSteps.set(assetKey, byPartition = new Map())
    let step = byPartition.get(partitionKey)
    if (step === undefined) {
      byPartition.set(partitionKey, step = { id: Asset.stepId(assetKey, partitionKey), assetKey, partitionKey })
    }
    return step
  }

  const keysByAsset = new Map<AssetKey, StepKeys>()
  // Assets usually share a definition object: expand the spec once per definition (and share the key strings).
  const selections = new Map<Partitions.PartitionsDefinition, Either.Either<StepKeys, Partitions.PartitionError>>()
  const planned = new Map<AssetKey, Map<string | undefined, PlannedStep>>()
  const steps: Array<PlannedStep> = []
  let toRun = 0

  for (const key of selection) {
    const asset = Option.getOrThrow(graph.get(key))
    const partitionKeys = stepKeysOf(graph, asset, options.partitions, context, keysByAsset, selections)
    if (Either.isLeft(partitionKeys)) return Either.left(partitionKeys.left)
    keysByAsset.set(key, partitionKeys.right)

    const edges = graph.parents(key).map((parentKey) => ({
      parentKey,
      parent: Option.getOrThrow(graph.get(parentKey)),
      mapping: graph.mapping(key, parentKey),
      planned: planned.get(parentKey)
    }))
    const plannedHere = new Map<string | undefined, PlannedStep>()
    planned.set(key, plannedHere)
    const stateHere = state.get(key)
    for (const partitionKey of partitionKeys.right) {
      const upstream: Array<UpstreamStep> = []
      const dependencies: Array<string> = []
      for (const { mapping, parent, parentKey, planned: plannedParent } of edges) {
        let parentKeys: StepKeys
        if (mapping._tag === "Identity") {
          // The graph checked both definitions are equal and this key came from that definition: no need to re-parse it.
          parentKeys = [partitionKey]
        } else {
          const mapped = mapping.upstreamKeys(partitionKey, asset.partitions, parent.partitions, context)
          if (Either.isLeft(mapped)) {
            return Either.left(
              {
                reason: "InvalidPartition",
                assetKey: key,
                message: `Cannot map ${Asset.stepId(key, partitionKey)} onto "${parentKey}": ${mapped.left.message}`
              }
            )
          }
          parentKeys = mapped.right === "unpartitioned" ? UNPARTITIONED : mapped.right
        }
        for (const parentPartition of parentKeys) {
          const parentStep = plannedParent?.get(parentPartition)
          // A planned parent step is its own upstream descriptor; only steps outside the selection get one (shared).
          upstream.push(parentStep ?? outside(parentKey, parentPartition))
          if (parentStep?.action === "Run") dependencies.push(parentStep.id)
        }
      }

      const id = Asset.stepId(key, partitionKey)
      const previous = stateHere?.get(partitionKey ?? null)
      // What the step would be without `force`: `only: "Stale"` keeps the stale steps of a forced run too.
      const natural = decide(asset, previous, upstream, dependencies, state)
      const decided = options.force === true && natural[0] !== "Missing" && natural[0] !== "Failed"
        ? forced(natural)
        : natural
      // the interrupted run that left this step to do, if any: a forced run's leftover may be up to date
      const leftBy = interrupted !== undefined && interrupted.steps.has(id) ? interrupted.runId : undefined
      const forcedLeftover = leftBy !== undefined && decided[0] === "UpToDate"
      const [reason, detail] = forcedLeftover
        ? ["Forced", `forced by interrupted run ${leftBy}, which did not reach it`] as const
        : decided
      const [filteredBy, filteredDetail] = only === "Stale" ? natural : [reason, detail]
      const kept = reason === "UpToDate" || keep(only, filteredBy, dependencies.length > 0, leftBy !== undefined)
      const action = kept && runReasons.has(reason) ? "Run" : "Skip"
      const step: PlannedStep = {
        id,
        assetKey: key,
        partitionKey,
        action,
        reason: kept ? reason : "Filtered",
        detail: !kept
          ? `not ${only.toLowerCase()} (${filteredBy}: ${filteredDetail})`
          : leftBy !== undefined && reason !== "Failed" && !forcedLeftover
          ? `${detail}; left to do by interrupted run ${leftBy}`
          : detail,
        upstream: exactly(upstream),
        dependencies: action === "Run" ? exactly(dependencies) : none,
        previous
      }
      if (action === "Run") toRun++
      plannedHere.set(partitionKey, step)
      steps.push(step)
    }
  }
  return Either.right({
    steps,
    toRun,
    selection,
    partitions: options.partitions,
    only,
    force: options.force === true,
    asOf: context.now
  })
}

const decide = (
  asset: Asset.Any,
  previous: StepRecord | undefined,
  upstream: ReadonlyArray<UpstreamStep>,
  dependencies: ReadonlyArray<string>,
  state: ReadonlyMap<string, ReadonlyMap<string | null, StepRecord>>
): readonly [StepReason, string] => {
  if (previous === undefined || previous.dataVersion === null) {
    return previous?.status === "Failed"
      ? ["Failed", `failed in run ${previous.runId}: ${previous.error ?? "unknown error"}`]
      : ["Missing", "never materialized"]
  }
  if (previous.status === "Failed") return ["Failed", `failed in run ${previous.runId}: ${previous.error ?? "unknown"}`]
  const storedCode = previous.codeVersion ?? undefined
  if (storedCode !== asset.codeVersion) {
    return ["CodeVersionChanged", `code version changed from ${storedCode ?? "none"} to ${asset.codeVersion ?? "none"}`]
  }
  const changed: Array<string> = []
  for (const step of upstream) {
    const current = state.get(step.assetKey)?.get(step.partitionKey ?? null)?.dataVersion
    if (current !== undefined && current !== null && previous.upstreamVersions[step.id] !== current) {
      changed.push(step.id)
    }
  }
  if (changed.length > 0) return ["UpstreamChanged", `upstream has new data: ${abbreviate(changed)}`]
  if (dependencies.length > 0) {
    return ["UpstreamPlanned", `waits for ${abbreviate(dependencies)}; skipped if they produce the same data`]
  }
  return ["UpToDate", `materialized in run ${previous.runId}, inputs unchanged`]
}

// A forced step says what it would have been otherwise, when that was more than up to date.
const forced = ([reason, detail]: readonly [StepReason, string]): readonly [StepReason, string] =>
  reason === "UpToDate" ? ["Forced", "forced"] : ["Forced", `forced (${reason}: ${detail})`]

const abbreviate = (ids: ReadonlyArray<string>): string =>
  ids.length <= 3 ? ids.join(", ") : `${ids.slice(0, 3).join(", ")} and ${ids.length - 3} more`

const stepKeysOf = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  asset: Asset.Any,
  spec: string | undefined,
  context: Partitions.PartitionsContext,
  keysByAsset: ReadonlyMap<AssetKey, StepKeys>,
  selections: Map<Partitions.PartitionsDefinition, Either.Either<StepKeys, Partitions.PartitionError>>
): Either.Either<StepKeys, PlanFailure> => {
  const definition = asset.partitions
  if (definition === undefined) return Either.right(UNPARTITIONED)
  let direct = selections.get(definition)
  if (direct === undefined) {
    direct = spec === undefined ? Either.right(definition.keys(context)) : selectSpec(definition, spec, context)
    selections.set(definition, direct)
  }
  if (Either.isRight(direct)) return Either.right(direct.right)
  // The spec is not in this asset's terms: take the keys whose upstream steps were picked (daily range → its months).
  const pickedParents = graph.parents(asset.key).filter((parent) => {
    const keys = keysByAsset.get(parent)
    return keys !== undefined && keys !== UNPARTITIONED
  })
  if (pickedParents.length === 0) {
    const byDays = windowsCoveredByDays(definition, spec, context)
    if (byDays !== undefined && Either.isRight(byDays)) return Either.right(byDays.right)
    // A spec of days that failed as days says why in their terms (a day in the future), not as a month key.
    const cause = byDays !== undefined && Either.isLeft(byDays) && /^\d{4}-\d{2}-\d{2}/.test(spec ?? "")
      ? byDays.left
      : direct.left
    return Either.left(
      {
        reason: "PartitionNotApplicable",
        assetKey: asset.key,
        message: `Partitions "${spec}" do not apply to "${asset.key}" (${definition.description}): ${cause.message}`
      }
    )
  }
  const derived: Array<string> = []
  for (const candidate of definition.keys(context)) {
    const wanted = pickedParents.some((parentKey) => {
      const parent = Option.getOrThrow(graph.get(parentKey))
      const picked = new Set(keysByAsset.get(parentKey))
      const mapped = graph.mapping(asset.key, parentKey).upstreamKeys(candidate, definition, parent.partitions, context)
      return Either.isRight(mapped) && mapped.right !== "unpartitioned" && mapped.right.some((k) => picked.has(k))
    })
    if (wanted) derived.push(candidate)
  }
  return Either.right(derived)
}

/**
 * A spec of days for a weekly or monthly root (`--month` gives a month's days): the windows whose every day it names,
 * so that a day or a few do not fetch a whole month (a month of PNCP's atas in force is ~800 pages). Undefined when
 * the definition is not such a time window.
 */
const windowsCoveredByDays = (
  definition: Partitions.PartitionsDefinition,
  spec: string | undefined,
  context: Partitions.PartitionsContext
): Either.Either<StepKeys, Partitions.PartitionError> | undefined => {
  if (spec === undefined || !TimeWindow.isTimeWindow(definition) || definition.cadence === "daily") return undefined
  // From long before the definition's start: days before it are in none of its windows, and are simply left out.
  const days = TimeWindow.makeEither({ cadence: "daily", start: "1900-01-01", timeZone: definition.timeZone })
  return Either.flatMap(days, (daily) =>
    Either.map(daily.select(spec, context), (keys) => {
      const named = new Set<string>(keys)
      const checked = new Set<string>()
      const covered: Array<string> = []
      for (const key of keys) {
        const day = TimeWindow.windowOf(daily, key)
        if (Either.isLeft(day)) continue
        for (const candidate of TimeWindow.overlapping(definition, day.right, context)) {
          if (checked.has(candidate)) continue
          checked.add(candidate)
          const window = TimeWindow.windowOf(definition, candidate)
          if (Either.isRight(window) && TimeWindow.overlapping(daily, window.right).every((d) => named.has(d))) {
            covered.push(candidate)
          }
        }
      }
      return covered
    }))
}

/** A spec in the definition's own terms, or — for a multi-partition — in the terms of the one dimension that accepts it. */
const selectSpec = (
  definition: Partitions.PartitionsDefinition,
  spec: string,
  context: Partitions.PartitionsContext
): Either.Either<StepKeys, Partitions.PartitionError> => {
  const direct = definition.select(spec, context)
  if (Either.isRight(direct) || spec.includes("|")) return direct
  const json = definition.toJSON()
  if (json._tag !== "Multi") return direct
  for (let i = 0; i < json.dimensions.length; i++) {
    const perDimension = json.dimensions.map((_, j) => (j === i ? spec : "*")).join("|")
    const attempt = definition.select(perDimension, context)
    if (Either.isRight(attempt)) return attempt
  }
  return direct
}
