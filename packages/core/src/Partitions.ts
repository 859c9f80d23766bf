/**
 * Partition definitions: the common surface shared by time-window, static, dynamic and multi-dimensional partitions.
 *
 * **Details**
 *
 * A partition key is a string that formats and parses losslessly. Variants live in `Partitions/TimeWindow`,
 * `Partitions/Static`, `Partitions/Dynamic` and `Partitions/Multi`; this module holds what they share: the key brand, the
 * error, the context that bounds open-ended sets (the clock and the dynamic keys) and the selection syntax
 * (`*`, `key`, `a..b`, `a,b..c`, and one spec per dimension joined by `|` for multi-partitions).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Equal from "effect/Equal"
import type { Inspectable } from "effect/Inspectable"
import type { Pipeable } from "effect/Pipeable"
import * as Schema from "effect/Schema"
import * as internal from "./internal/partitions.js"
import { PartitionError } from "./internal/partitions.js"

/**
 * @since 0.1.0
 * @category symbols
 */
export const TypeId: unique symbol = internal.TypeId

/**
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * A partition key, e.g. `2024-01-31`, `2024-01`, `SP` or `2024-01-31|6|SP`.
 *
 * @since 0.1.0
 * @category models
 */
export const PartitionKey = Schema.String.pipe(Schema.brand("PartitionKey"))

/**
 * @since 0.1.0
 * @category models
 */
export type PartitionKey = typeof PartitionKey.Type

/**
 * Why a key, a selection or a definition was rejected.
 *
 * @since 0.1.0
 * @category errors
 */
export { PartitionError }

/**
 * What bounds the current set of keys: `now` (epoch ms) closes open-ended time windows, `dynamicKeys` lists the keys
 * added at run time to a dynamic partitions definition.
 *
 * @since 0.1.0
 * @category models
 */
export interface PartitionsContext {
  readonly now: number
  readonly dynamicKeys: (name: string) => ReadonlyArray<string>
}

/**
 * Options accepted by {@link context}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContextOptions {
  readonly now?: number | Date | undefined
  readonly dynamicKeys?:
    | ((name: string) => ReadonlyArray<string>)
    | Readonly<Record<string, ReadonlyArray<string>>>
    | undefined
}

/**
 * Builds a {@link PartitionsContext}. `now` defaults to the wall clock (use {@link currentContext} under `TestClock`),
 * dynamic keys default to none. A `now` that is no instant (an invalid `Date`, `NaN`) is a programmer mistake: it
 * throws a `PartitionError` at once, rather than later from deep inside a time-window computation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const context = (options?: ContextOptions): PartitionsContext => {
  const now = options?.now === undefined
    ? Date.now()
    : typeof options.now === "number"
    ? options.now
    : options.now.getTime()
  if (!Number.isFinite(now)) {
    throw new PartitionError({
      reason: "InvalidDefinition",
      message: `A partitions context needs an instant for now, not ${String(options?.now)}.`
    })
  }
  const dynamic = options?.dynamicKeys
  const dynamicKeys = dynamic === undefined
    ? () => []
    : typeof dynamic === "function"
    ? dynamic
    : (name: string) => Object.hasOwn(dynamic, name) ? dynamic[name] : []
  return { now, dynamicKeys }
}

/**
 * A {@link PartitionsContext} whose `now` comes from the Effect `Clock` (so `TestClock` controls it).
 *
 * @since 0.1.0
 * @category constructors
 */
export const currentContext = (options?: Omit<ContextOptions, "now">): Effect.Effect<PartitionsContext> =>
  Effect.map(Clock.currentTimeMillis, (now) => context({ ...options, now }))

/**
 * The JSON form of a definition, for the event log and the UI.
 *
 * @since 0.1.0
 * @category models
 */
export type PartitionsJson =
  | {
    readonly _tag: "TimeWindow"
    readonly cadence: "daily" | "weekly" | "monthly"
    readonly start: string
    readonly end: string | null
    readonly timeZone: string
    readonly endOffset: number
  }
  | { readonly _tag: "Static"; readonly keys: ReadonlyArray<string> }
  | { readonly _tag: "Dynamic"; readonly name: string }
  | {
    readonly _tag: "Multi"
    readonly dimensions: ReadonlyArray<{ readonly name: string; readonly partitions: PartitionsJson }>
  }

/**
 * A set of partitions. `Value` is what a key means (a time window, one of the static keys, a record per dimension).
 *
 * @since 0.1.0
 * @category models
 */
export interface PartitionsDefinition<Value = unknown> extends Equal.Equal, Pipeable, Inspectable {
  readonly [TypeId]: TypeId
  readonly _tag: "TimeWindow" | "Static" | "Dynamic" | "Multi"
  /** A human summary, e.g. `daily from 2024-01-01 in America/Sao_Paulo`. */
  readonly description: string
  /** Every current key, in order. */
  keys(ctx: PartitionsContext): ReadonlyArray<PartitionKey>
  /** Parses a key and checks membership: against the static bounds always, and against `ctx` when given. */
  parse(key: string, ctx?: PartitionsContext): Either.Either<Value, PartitionError>
  /** Formats a value back to its key. */
  format(value: Value): PartitionKey
  /** Resolves a selection spec to keys in definition order (see {@link select}). */
  select(spec: string, ctx: PartitionsContext): Either.Either<ReadonlyArray<PartitionKey>, PartitionError>
  toJSON(): PartitionsJson
}

/**
 * The value type of a definition: `Value<typeof daily>` is a `Window`.
 *
 * @since 0.1.0
 * @category models
 */
export type Value<P> = P extends PartitionsDefinition<infer V> ? V : never

/**
 * @since 0.1.0
 * @category guards
 */
export const isPartitionsDefinition: (u: unknown) => u is PartitionsDefinition = internal.isPartitionsDefinition

/**
 * Every current key of a definition, in order.
 *
 * @since 0.1.0
 * @category utils
 */
export const keys = (def: PartitionsDefinition, ctx: PartitionsContext): ReadonlyArray<PartitionKey> => def.keys(ctx)

/**
 * Resolves a selection spec to the keys it names, in definition order and without duplicates.
 *
 * **Details**
 *
 * A spec is `*` (every current key), one key, an inclusive range `a..b` (expanded in order), or a comma list of those
 * (`2024-01-01..2024-01-03,2024-01-10`). For a multi-partition, give one spec per dimension joined by `|`
 * (`2024-01-01..2024-01-03|6,7` is the cartesian product) or a bare full key (`2024-01-01|6`).
 * Bad keys fail with `InvalidKey`, keys outside the definition with `OutOfRange`, `b` before `a` with `InvalidRange`.
 *
 * @since 0.1.0
 * @category utils
 */
export const select = (
  def: PartitionsDefinition,
  spec: string,
  ctx: PartitionsContext
): Either.Either<ReadonlyArray<PartitionKey>, PartitionError> => def.select(spec, ctx)

/**
 * Parses a key (checking membership against `ctx` when given) and returns it as a {@link PartitionKey}.
 *
 * @since 0.1.0
 * @category utils
 */
export const parseKey = <V>(
  def: PartitionsDefinition<V>,
  key: string,
  ctx?: PartitionsContext
): Either.Either<PartitionKey, PartitionError> => Either.map(def.parse(key, ctx), (value) => def.format(value))

/**
 * Time-window partitions (daily, weekly, monthly).
 *
 * @since 0.1.0
 */
export * as TimeWindow from "./Partitions/TimeWindow.js"

/**
 * Static partitions: a fixed list of keys.
 *
 * @since 0.1.0
 */
export * as Static from "./Partitions/Static.js"

/**
 * Dynamic partitions: keys added at run time.
 *
 * @since 0.1.0
 */
export * as Dynamic from "./Partitions/Dynamic.js"

/**
 * Multi-partitions with any number of dimensions.
 *
 * @since 0.1.0
 */
export * as Multi from "./Partitions/Multi.js"
