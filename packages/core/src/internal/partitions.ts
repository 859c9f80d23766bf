import * as Either from "effect/Either"
import * as Equal from "effect/Equal"
import * as Hash from "effect/Hash"
import { NodeInspectSymbol } from "effect/Inspectable"
import * as Pipeable from "effect/Pipeable"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import type * as Public from "../Partitions.js"
import type { PartitionKey, PartitionsContext, PartitionsDefinition, PartitionsJson } from "../Partitions.js"

// The runtime pieces of `Partitions.ts` live here so the variants can use them without importing the module that
// re-exports the variants (an import cycle would leave `TypeId` uninitialized while the classes are defined).

/** @internal */
export const TypeId: Public.TypeId = Symbol.for("@baliza/core/Partitions") as Public.TypeId // the unique symbol type lives in the public module

/** Public as `Partitions.PartitionError` (re-exported there, so declarations name it by that path). */
export class PartitionError extends Schema.TaggedError<PartitionError>()("PartitionError", {
  reason: Schema.Literal("InvalidKey", "OutOfRange", "InvalidRange", "InvalidDefinition", "UnknownDimension"),
  message: Schema.String
}) {}

/** @internal */
export const isPartitionsDefinition = (u: unknown): u is PartitionsDefinition => Predicate.hasProperty(u, TypeId)

/** @internal */
export const invalidKey = (message: string) => new PartitionError({ reason: "InvalidKey", message })
/** @internal */
export const outOfRange = (message: string) => new PartitionError({ reason: "OutOfRange", message })
/** @internal */
export const invalidRange = (message: string) => new PartitionError({ reason: "InvalidRange", message })
/** @internal */
export const invalidDefinition = (message: string) => new PartitionError({ reason: "InvalidDefinition", message })
/** @internal */
export const unknownDimension = (message: string) => new PartitionError({ reason: "UnknownDimension", message })

/**
 * A partition key is a string the brand cannot check; every variant validates before branding.
 * @internal
 */
export const unsafeKey = (key: string): PartitionKey => key as PartitionKey // brand after validation

/** @internal */
export const canonicalOf = (def: PartitionsDefinition): string =>
  def instanceof PartitionsBase ? def.canonical : JSON.stringify(def.toJSON())

/**
 * Structural equality and hashing through the JSON form, which every variant builds in a fixed field order.
 * @internal
 */
export abstract class PartitionsBase<V> extends Pipeable.Class() implements PartitionsDefinition<V> {
  readonly [TypeId]: Public.TypeId = TypeId
  abstract readonly _tag: PartitionsDefinition["_tag"]
  abstract readonly description: string
  abstract keys(ctx: PartitionsContext): ReadonlyArray<PartitionKey>
  abstract parse(key: string, ctx?: PartitionsContext): Either.Either<V, PartitionError>
  abstract format(value: V): PartitionKey
  abstract select(spec: string, ctx: PartitionsContext): Either.Either<ReadonlyArray<PartitionKey>, PartitionError>
  abstract toJSON(): PartitionsJson

  #canonical: string | undefined
  /** The JSON form as a string; definitions are immutable, so it is computed once. */
  get canonical(): string {
    return this.#canonical ??= JSON.stringify(this.toJSON())
  }
  [Equal.symbol](that: Equal.Equal): boolean {
    return isPartitionsDefinition(that) && canonicalOf(that) === canonicalOf(this)
  }
  [Hash.symbol](): number {
    return Hash.cached(this, Hash.string(canonicalOf(this)))
  }
  override toString(): string {
    return `Partitions(${this.description})`
  }
  [NodeInspectSymbol](): unknown {
    return this.toJSON()
  }
}

/**
 * Why a string cannot be a static or dynamic key: it would clash with the selection syntax or the multi-key separator.
 * @internal
 */
export const keySyntaxProblem = (key: string): string | undefined => {
  if (key.length === 0) return "a key cannot be empty"
  if (key.trim() !== key) return "a key cannot start or end with whitespace"
  if (key === "*") return "\"*\" means every key"
  if (key.includes("|")) return "\"|\" separates the dimensions of a multi-partition key"
  if (key.includes(",")) return "\",\" separates the items of a selection"
  if (key.includes("..")) return "\"..\" marks a range"
  // `v1...v2` could not say where a key ending (or starting) with "." meets the range's "..".
  if (key.startsWith(".") || key.endsWith(".")) return "a key cannot start or end with \".\" (\"..\" marks a range)"
  return undefined
}

/**
 * A definition whose keys have a total order, as the selection helper sees it.
 * @internal
 */
export interface Ordered {
  readonly all: (ctx: PartitionsContext) => ReadonlyArray<PartitionKey>
  /** Parses and checks one key against `ctx`; `ordinal` orders keys. */
  readonly member: (
    key: string,
    ctx: PartitionsContext
  ) => Either.Either<{ readonly key: PartitionKey; readonly ordinal: number }, PartitionError>
  /** Keys from ordinal `from` to `to`, both included and both known members. */
  readonly between: (from: number, to: number, ctx: PartitionsContext) => ReadonlyArray<PartitionKey>
}

/**
 * Resolves `*`, `key`, `a..b` and comma lists of them for a one-dimensional definition.
 * @internal
 */
export const selectOrdered = (
  ordered: Ordered,
  spec: string,
  ctx: PartitionsContext
): Either.Either<ReadonlyArray<PartitionKey>, PartitionError> => {
  const trimmed = spec.trim()
  if (trimmed === "*") return Either.right(ordered.all(ctx))
  const chosen = new Map<number, PartitionKey>()
  for (const raw of trimmed.split(",")) {
    const item = raw.trim()
    if (item.length === 0) {
      return Either.left(invalidKey(`"${spec}" has an empty item: expected *, a key, a range a..b or a comma list`))
    }
    const bounds = item.split("..")
    if (bounds.length > 2) return Either.left(invalidRange(`"${item}" is not a range: expected exactly one ".."`))
    if (bounds.length === 2) {
      const [fromRaw, toRaw] = bounds.map((bound) => bound.trim())
      if (fromRaw.length === 0 || toRaw.length === 0) {
        return Either.left(invalidRange(`"${item}" is not a range: both ends are required (a..b)`))
      }
      const from = ordered.member(fromRaw, ctx)
      if (Either.isLeft(from)) return Either.left(from.left)
      const to = ordered.member(toRaw, ctx)
      if (Either.isLeft(to)) return Either.left(to.left)
      if (from.right.ordinal > to.right.ordinal) {
        return Either.left(
          invalidRange(
            `"${item}" is inverted: ${from.right.key} comes after ${to.right.key} (write ${toRaw}..${fromRaw})`
          )
        )
      }
      const keys = ordered.between(from.right.ordinal, to.right.ordinal, ctx)
      keys.forEach((key, i) => chosen.set(from.right.ordinal + i, key))
    } else {
      const one = ordered.member(item, ctx)
      if (Either.isLeft(one)) return Either.left(one.left)
      chosen.set(one.right.ordinal, one.right.key)
    }
  }
  return Either.right([...chosen.entries()].sort(([a], [b]) => a - b).map(([, key]) => key))
}

/**
 * A short list of keys for messages: `1, 2, 3, …, 13 (13 keys)`.
 * @internal
 */
export const preview = (keys: ReadonlyArray<string>, max = 6): string =>
  keys.length <= max
    ? keys.join(", ")
    : `${keys.slice(0, max - 1).join(", ")}, …, ${keys[keys.length - 1]} (${keys.length} keys)`
