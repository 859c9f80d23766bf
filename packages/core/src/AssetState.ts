/**
 * The ledger of every step: its status, the data and code versions it was last built with, its checkpoints and cursors, and the
 * keys of dynamic partitions. The planner reads it to decide what runs; the materializer writes it.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Asset from "./Asset.js"
import * as Dynamic from "./Partitions/Dynamic.js"

/**
 * @since 0.1.0
 * @category errors
 */
export class AssetStateError extends Schema.TaggedError<AssetStateError>()("AssetStateError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/**
 * @since 0.1.0
 * @category models
 */
export const StepStatus = Schema.Literal("Materialized", "Failed")

/**
 * @since 0.1.0
 * @category models
 */
export type StepStatus = typeof StepStatus.Type

/**
 * The ledger row of one step (asset × partition).
 *
 * @since 0.1.0
 * @category models
 */
export const StepRecord = Schema.Struct({
  assetKey: Schema.String,
  /** `null` for an unpartitioned asset. */
  partitionKey: Schema.NullOr(Schema.String),
  status: StepStatus,
  runId: Schema.String,
  updatedAt: Schema.Number,
  /** Of the last successful materialization (kept when a later attempt fails). */
  dataVersion: Schema.NullOr(Schema.String),
  codeVersion: Schema.NullOr(Schema.String),
  materializedAt: Schema.NullOr(Schema.Number),
  /** Upstream step id → the data version this step was built from. */
  upstreamVersions: Schema.Record({ key: Schema.String, value: Schema.String }),
  error: Schema.NullOr(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type StepRecord = typeof StepRecord.Type

/**
 * A named progress marker of a step.
 *
 * @since 0.1.0
 * @category models
 */
export const Checkpoint = Schema.Struct({
  assetKey: Schema.String,
  partitionKey: Schema.NullOr(Schema.String),
  name: Schema.String,
  value: Schema.String,
  updatedAt: Schema.Number
})

/**
 * @since 0.1.0
 * @category models
 */
export type Checkpoint = typeof Checkpoint.Type

/**
 * @since 0.1.0
 * @category models
 */
export interface AssetStateService {
  readonly get: (
    assetKey: string,
    partitionKey: string | null
  ) => Effect.Effect<Option.Option<StepRecord>, AssetStateError>
  /** Every record, or those of the given assets. */
  readonly list: (
    filter?: { readonly assetKeys?: ReadonlyArray<string> }
  ) => Effect.Effect<ReadonlyArray<StepRecord>, AssetStateError>
  /** Inserts or replaces records, keyed by (assetKey, partitionKey). */
  readonly put: (records: ReadonlyArray<StepRecord>) => Effect.Effect<void, AssetStateError>
  readonly getCheckpoint: (
    assetKey: string,
    partitionKey: string | null,
    name: string
  ) => Effect.Effect<Option.Option<string>, AssetStateError>
  readonly setCheckpoint: (checkpoint: Checkpoint) => Effect.Effect<void, AssetStateError>
  /** Clears one named checkpoint, or every checkpoint of the step when `name` is omitted. */
  readonly clearCheckpoint: (
    assetKey: string,
    partitionKey: string | null,
    name?: string
  ) => Effect.Effect<void, AssetStateError>
  readonly listCheckpoints: (
    filter?: { readonly assetKeys?: ReadonlyArray<string> }
  ) => Effect.Effect<ReadonlyArray<Checkpoint>, AssetStateError>
  readonly dynamicPartitions: (name: string) => Effect.Effect<ReadonlyArray<string>, AssetStateError>
  /** Adds keys to a dynamic partitions definition (existing keys are kept once, order of first addition). */
  readonly addDynamicPartitions: (name: string, keys: ReadonlyArray<string>) => Effect.Effect<void, AssetStateError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class AssetState extends Context.Tag("@baliza/core/AssetState")<AssetState, AssetStateService>() {}

/**
 * The key a store files a step under.
 *
 * @since 0.1.0
 * @category utils
 */
export const stepKey = (assetKey: string, partitionKey: string | null): string =>
  Asset.stepId(assetKey, partitionKey ?? undefined)

const checkpointKey = (assetKey: string, partitionKey: string | null, name: string) =>
  `${stepKey(assetKey, partitionKey)}\u0000${name}`

/**
 * An asset state kept in memory.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<AssetStateService> = Effect.sync(() => {
  // Asset → partition → record: no key strings to build and hash on every put.
  const records = new Map<string, Map<string | null, StepRecord>>()
  const checkpoints = new Map<string, Checkpoint>()
  const dynamic = new Map<string, Set<string>>()
  const inAssets = (keys: ReadonlyArray<string> | undefined) => {
    if (keys === undefined) return () => true
    const set = new Set(keys)
    return (assetKey: string) => set.has(assetKey)
  }
  return {
    get: (assetKey, partitionKey) => Effect.sync(() => Option.fromNullable(records.get(assetKey)?.get(partitionKey))),
    list: (filter) =>
      Effect.sync(() => {
        const keep = inAssets(filter?.assetKeys)
        const out: Array<StepRecord> = []
        for (const [assetKey, byPartition] of records) if (keep(assetKey)) out.push(...byPartition.values())
        return out
      }),
    put: (batch) =>
      Effect.sync(() => {
        for (const record of batch) {
          let byPartition = records.get(record.assetKey)
          if (byPartition === undefined) records.set(record.assetKey, byPartition = new Map())
          byPartition.set(record.partitionKey, record)
        }
      }),
    getCheckpoint: (assetKey, partitionKey, name) =>
      Effect.sync(() =>
        Option.map(Option.fromNullable(checkpoints.get(checkpointKey(assetKey, partitionKey, name))), (c) => c.value)
      ),
    setCheckpoint: (checkpoint) =>
      Effect.sync(() => {
        checkpoints.set(checkpointKey(checkpoint.assetKey, checkpoint.partitionKey, checkpoint.name), checkpoint)
      }),
    clearCheckpoint: (assetKey, partitionKey, name) =>
      Effect.sync(() => {
        if (name !== undefined) {
          checkpoints.delete(checkpointKey(assetKey, partitionKey, name))
          return
        }
        for (const [key, checkpoint] of checkpoints) {
          if (checkpoint.assetKey === assetKey && checkpoint.partitionKey === partitionKey) checkpoints.delete(key)
        }
      }),
    listCheckpoints: (filter) =>
      Effect.sync(() => {
        const keep = inAssets(filter?.assetKeys)
        return [...checkpoints.values()].filter((checkpoint) => keep(checkpoint.assetKey))
      }),
    dynamicPartitions: (name) => Effect.sync(() => [...(dynamic.get(name) ?? [])]),
    addDynamicPartitions: (name, keys) =>
      Effect.zipRight(
        checkDynamicKeys(name, keys),
        Effect.sync(() => {
          const set = dynamic.get(name) ?? new Set<string>()
          for (const key of keys) set.add(key)
          dynamic.set(name, set)
        })
      )
  }
})

/**
 * Fails, naming the first bad key, when some key cannot be a dynamic partition key (`Dynamic.checkKey`: a comma, `|`,
 * `..`, surrounding spaces, `*`, empty…): once stored, such a key would be planned and could never be selected or
 * parsed. Every store checks with it before adding keys.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkDynamicKeys = (name: string, keys: ReadonlyArray<string>): Effect.Effect<void, AssetStateError> => {
  for (const key of keys) {
    const checked = Dynamic.checkKey(key)
    if (checked._tag === "Left") {
      return Effect.fail(
        new AssetStateError({ message: `Cannot add to dynamic partitions "${name}": ${checked.left.message}` })
      )
    }
  }
  return Effect.void
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<AssetState> = Layer.effect(AssetState, makeMemory)
