/**
 * An asset definition: a key, its dependencies, the Schema of its rows, how it is partitioned, and the Effect that
 * materializes one step (one partition) of it.
 *
 * **Example**
 * ```ts
 * import { Asset, Partitions } from "@baliza/core"
 * import { Effect, Schema } from "effect"
 *
 * const days = Partitions.TimeWindow.daily({ start: "2024-01-01" })
 *
 * const orders = Asset.make({
 *   key: "shop/raw/orders",
 *   layer: "raw",
 *   partitions: days,
 *   schema: Schema.Struct({ id: Schema.Number, total: Schema.Number }),
 *   materialize: (ctx) => Effect.succeed({ rows: 10, metadata: { day: ctx.partitionKey ?? "" } })
 * })
 * ```
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import type * as Option from "effect/Option"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import type * as Schema from "effect/Schema"
import type * as AssetCheck from "./AssetCheck.js"
import * as AssetKey from "./AssetKey.js"
import type { AssetStateError } from "./AssetState.js"
import type * as ExecutionPlan from "./ExecutionPlan.js"
import type * as PartitionMapping from "./PartitionMapping.js"
import type * as Partitions from "./Partitions.js"
import type * as RetryPolicy from "./RetryPolicy.js"
import type { Metadata } from "./RunEvent.js"

/**
 * @since 0.1.0
 * @category symbols
 */
export const TypeId: unique symbol = Symbol.for("@baliza/core/Asset")

/**
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * Where an asset sits in the warehouse.
 *
 * @since 0.1.0
 * @category models
 */
export type Layer = "raw" | "staging" | "mart"

/**
 * @since 0.1.0
 * @category models
 */
export const layers: ReadonlyArray<Layer> = ["raw", "staging", "mart"]

/**
 * An edge to an upstream asset, with the partition mapping that says which upstream partitions a step needs (inferred from
 * the two partitions definitions when absent).
 *
 * @since 0.1.0
 * @category models
 */
export interface Dependency {
  readonly key: AssetKey.AssetKey
  readonly mapping: PartitionMapping.PartitionMapping | undefined
}

/**
 * What a materialization reports. Everything is optional: `rows` and `bytes` feed the event log and the UI, `dataVersion`
 * lets downstream steps be skipped when the data did not change.
 *
 * @since 0.1.0
 * @category models
 */
export interface MaterializeResult {
  readonly rows?: number | undefined
  readonly bytes?: number | undefined
  readonly dataVersion?: string | undefined
  readonly metadata?: Metadata | undefined
}

/**
 * An upstream step a step was given as input.
 *
 * @since 0.1.0
 * @category models
 */
export interface UpstreamInput {
  readonly assetKey: AssetKey.AssetKey
  readonly partitionKey: string | undefined
  /** `undefined` when that upstream step has never materialized. */
  readonly dataVersion: string | undefined
}

/**
 * Named, durable progress markers of one step (page cursors, last ids), stored in `AssetState` so a killed run resumes where
 * it stopped.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckpointHandle {
  readonly get: (name?: string) => Effect.Effect<Option.Option<string>, AssetStateError>
  readonly set: (value: string, name?: string) => Effect.Effect<void, AssetStateError>
  readonly clear: (name?: string) => Effect.Effect<void, AssetStateError>
}

/**
 * What a materialization sees. `Partition` is the partition's value typed by the asset's partitions definition: a
 * `{ start, end }` window for time partitions, the key literal for static ones, a record of dimensions for multi ones.
 *
 * @since 0.1.0
 * @category models
 */
export interface AssetContext<Partition = undefined> {
  readonly runId: string
  readonly assetKey: AssetKey.AssetKey
  readonly partitionKey: string | undefined
  readonly partition: Partition
  readonly upstream: ReadonlyArray<UpstreamInput>
  /** The data version this step had before this run, if any. */
  readonly previousDataVersion: string | undefined
  /**
   * Why the plan runs this step: `Missing`, `Failed`, `Forced`, `CodeVersionChanged`, `UpstreamChanged` or
   * `UpstreamPlanned`. A step that failed or never ran says so even in a forced run: see {@link forced}.
   */
  readonly reason: ExecutionPlan.StepReason
  /**
   * Whether the step is forced: its run forces its steps (`force`), whatever {@link reason} the plan gives this one, or
   * an interrupted forced run left it to do (`Forced`). An asset that builds on what it built before (an incremental
   * table) starts over.
   */
  readonly forced: boolean
  readonly attempt: number
  readonly checkpoint: CheckpointHandle
  /** Adds to what the step reports (rows and bytes add up; metadata merges), for this attempt: a retry starts over. */
  readonly report: (result: MaterializeResult) => Effect.Effect<void>
  /** Publishes a `Progress` event. */
  readonly progress: (done: number, total?: number, unit?: string) => Effect.Effect<void>
  /** Registers keys of a dynamic partitions definition. */
  readonly addDynamicPartitions: (name: string, keys: ReadonlyArray<string>) => Effect.Effect<void, AssetStateError>
}

/**
 * The context as the materializer builds it, for any asset: `partition` is the value of the step's key under the asset's
 * own partitions definition (computed on first access), `undefined` for an unpartitioned asset.
 *
 * @since 0.1.0
 * @category models
 */
export type StepContext = AssetContext<unknown>

/**
 * @since 0.1.0
 * @category models
 */
export interface Asset<out E = never, out R = never> extends Pipeable {
  readonly [TypeId]: TypeId
  readonly key: AssetKey.AssetKey
  readonly deps: ReadonlyArray<Dependency>
  readonly schema: Schema.Schema.AnyNoContext | undefined
  readonly layer: Layer | undefined
  readonly group: string
  readonly tags: Readonly<Record<string, string>>
  readonly description: string | undefined
  readonly partitions: Partitions.PartitionsDefinition | undefined
  readonly codeVersion: string | undefined
  readonly retryPolicy: RetryPolicy.RetryPolicy | undefined
  readonly pool: string | undefined
  readonly timeout: Duration.DurationInput | undefined
  readonly checks: ReadonlyArray<AssetCheck.AssetCheck<E, R>>
  readonly run: (context: StepContext) => Effect.Effect<MaterializeResult | void, E, R>
}

/**
 * Any asset, whatever its error and requirements.
 *
 * @since 0.1.0
 * @category models
 */
export type Any = Asset<unknown, unknown>

/**
 * The requirements of a set of assets: what a graph of them needs provided to materialize.
 *
 * @since 0.1.0
 * @category models
 */
export type Context<A> = A extends Asset<infer _E, infer R> ? R : never

/**
 * @since 0.1.0
 * @category models
 */
export type Error<A> = A extends Asset<infer E, infer _R> ? E : never

/**
 * The typed partition value for a partitions definition (`undefined` for unpartitioned assets).
 *
 * @since 0.1.0
 * @category models
 */
export type PartitionValue<P> = P extends Partitions.PartitionsDefinition ? Partitions.Value<P> : undefined

/**
 * A dependency as written in a definition: another asset (refactor-safe), a key, or either with an explicit mapping.
 *
 * @since 0.1.0
 * @category models
 */
export type DependencyInput =
  | Any
  | string
  | { readonly asset: Any | string; readonly mapping: PartitionMapping.PartitionMapping }

/**
 * @since 0.1.0
 * @category guards
 */
export const isAsset = (u: unknown): u is Any => typeof u === "object" && u !== null && TypeId in u

const toDependency = (input: DependencyInput): Dependency => {
  if (typeof input === "string") return { key: AssetKey.make(input), mapping: undefined }
  if (isAsset(input)) return { key: input.key, mapping: undefined }
  return { key: typeof input.asset === "string" ? AssetKey.make(input.asset) : input.asset.key, mapping: input.mapping }
}

const AssetProto = {
  [TypeId]: TypeId,
  pipe() {
    // eslint-disable-next-line prefer-rest-params
    return pipeArguments(this, arguments)
  }
}

const build = <E, R>(fields: Omit<Asset<E, R>, TypeId | "pipe">): Asset<E, R> =>
  Object.assign(Object.create(AssetProto), fields)

/**
 * Defines an asset.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <
  const P extends Partitions.PartitionsDefinition | undefined = undefined,
  E = never,
  R = never,
  CE = never,
  CR = never
>(options: {
  readonly key: string
  readonly deps?: ReadonlyArray<DependencyInput>
  readonly schema?: Schema.Schema.AnyNoContext
  readonly layer?: Layer
  readonly group?: string
  readonly tags?: Readonly<Record<string, string>>
  readonly description?: string
  readonly partitions?: P
  readonly codeVersion?: string
  readonly retryPolicy?: RetryPolicy.RetryPolicy
  readonly pool?: string
  readonly timeout?: Duration.DurationInput
  readonly checks?: ReadonlyArray<AssetCheck.AssetCheck<CE, CR>>
  readonly materialize: (context: AssetContext<PartitionValue<P>>) => Effect.Effect<MaterializeResult | void, E, R>
  // NoInfer: written inline in `AssetGraph.make([...])`, the contextual `Asset<unknown, unknown>` would otherwise win over the
  // `never` of an infallible, requirement-free materialize and turn the graph's requirements into `unknown`.
}): Asset<NoInfer<E | CE>, NoInfer<R | CR>> => {
  const partitions = options.partitions
  return build<E | CE, R | CR>({
    key: AssetKey.make(options.key),
    deps: (options.deps ?? []).map(toDependency),
    schema: options.schema,
    layer: options.layer,
    group: options.group ?? "default",
    tags: options.tags ?? {},
    description: options.description,
    partitions,
    codeVersion: options.codeVersion,
    retryPolicy: options.retryPolicy,
    pool: options.pool,
    timeout: options.timeout,
    checks: options.checks ?? [],
    // The materializer builds the context with `partition` parsed by this asset's own definition (`partitions`), so the
    // context it passes is the `AssetContext<PartitionValue<P>>` the definition promises; TypeScript cannot follow that link.
    run: options.materialize as (context: StepContext) => Effect.Effect<MaterializeResult | void, E, R>
  })
}

const update = <E, R>(self: Asset<E, R>, fields: Partial<Omit<Asset<E, R>, TypeId | "pipe">>): Asset<E, R> =>
  build<E, R>({ ...self, ...fields })

/**
 * @since 0.1.0
 * @category combinators
 */
export const withTags: {
  (tags: Readonly<Record<string, string>>): <E, R>(self: Asset<E, R>) => Asset<E, R>
  <E, R>(self: Asset<E, R>, tags: Readonly<Record<string, string>>): Asset<E, R>
} = dual(
  2,
  <E, R>(self: Asset<E, R>, tags: Readonly<Record<string, string>>) => update(self, { tags: { ...self.tags, ...tags } })
)

/**
 * @since 0.1.0
 * @category combinators
 */
export const withRetryPolicy: {
  (policy: RetryPolicy.RetryPolicy): <E, R>(self: Asset<E, R>) => Asset<E, R>
  <E, R>(self: Asset<E, R>, policy: RetryPolicy.RetryPolicy): Asset<E, R>
} = dual(2, <E, R>(self: Asset<E, R>, retryPolicy: RetryPolicy.RetryPolicy) => update(self, { retryPolicy }))

/**
 * @since 0.1.0
 * @category combinators
 */
export const withTimeout: {
  (timeout: Duration.DurationInput): <E, R>(self: Asset<E, R>) => Asset<E, R>
  <E, R>(self: Asset<E, R>, timeout: Duration.DurationInput): Asset<E, R>
} = dual(2, <E, R>(self: Asset<E, R>, timeout: Duration.DurationInput) => update(self, { timeout }))

/**
 * @since 0.1.0
 * @category combinators
 */
export const withPool: {
  (pool: string): <E, R>(self: Asset<E, R>) => Asset<E, R>
  <E, R>(self: Asset<E, R>, pool: string): Asset<E, R>
} = dual(2, <E, R>(self: Asset<E, R>, pool: string) => update(self, { pool }))

/**
 * @since 0.1.0
 * @category combinators
 */
export const withCodeVersion: {
  (codeVersion: string): <E, R>(self: Asset<E, R>) => Asset<E, R>
  <E, R>(self: Asset<E, R>, codeVersion: string): Asset<E, R>
} = dual(2, <E, R>(self: Asset<E, R>, codeVersion: string) => update(self, { codeVersion }))

/**
 * Adds checks; their requirements join the asset's.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withChecks: {
  <E2, R2>(
    ...checks: ReadonlyArray<AssetCheck.AssetCheck<E2, R2>>
  ): <E, R>(self: Asset<E, R>) => Asset<E | E2, R | R2>
} = <E2, R2>(...checks: ReadonlyArray<AssetCheck.AssetCheck<E2, R2>>) => <E, R>(self: Asset<E, R>) =>
  build<E | E2, R | R2>({ ...self, checks: [...self.checks, ...checks] })

/**
 * A step's identity: the asset key, and the partition key in brackets for a partitioned asset.
 *
 * @since 0.1.0
 * @category utils
 */
export const stepId = (key: string, partitionKey: string | undefined): string =>
  partitionKey === undefined ? key : `${key}[${partitionKey}]`
