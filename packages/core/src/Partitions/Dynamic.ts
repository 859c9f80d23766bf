/**
 * Dynamic partitions: a named set of keys added at run time (e.g. one per ingested file), read from
 * `ctx.dynamicKeys(name)`.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import {
  invalidDefinition,
  invalidKey,
  keySyntaxProblem,
  outOfRange,
  PartitionsBase,
  preview,
  selectOrdered,
  unsafeKey
} from "../internal/partitions.js"
import type {
  PartitionError,
  PartitionKey,
  PartitionsContext,
  PartitionsDefinition,
  PartitionsJson
} from "../Partitions.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface DynamicPartitions extends PartitionsDefinition<string> {
  readonly _tag: "Dynamic"
  /** The name the keys are stored under. */
  readonly name: string
}

/**
 * Checks that a string can be a dynamic key (non-empty, no `|`, `,`, `..`, lone `*` or surrounding whitespace) before
 * it is added.
 *
 * @since 0.1.0
 * @category utils
 */
export const checkKey = (key: string): Either.Either<PartitionKey, PartitionError> => {
  const problem = keySyntaxProblem(key)
  return problem === undefined
    ? Either.right(unsafeKey(key))
    : Either.left(invalidKey(`"${key}" cannot be a dynamic partition key: ${problem}`))
}

class DynamicImpl extends PartitionsBase<string> implements DynamicPartitions {
  readonly _tag = "Dynamic" as const
  readonly description: string
  constructor(readonly name: string) {
    super()
    this.description = `dynamic "${name}"`
  }
  current(ctx: PartitionsContext): ReadonlyArray<PartitionKey> {
    return [...new Set(ctx.dynamicKeys(this.name))].map(unsafeKey)
  }
  member(
    key: string,
    ctx: PartitionsContext
  ): Either.Either<{ readonly key: PartitionKey; readonly ordinal: number }, PartitionError> {
    return Either.flatMap(checkKey(key), (checked) => {
      const current = this.current(ctx)
      const ordinal = current.indexOf(checked)
      if (ordinal >= 0) return Either.right({ key: checked, ordinal })
      const known = current.length === 0 ? "it has no keys yet" : `known keys: ${preview(current)}`
      return Either.left(outOfRange(`"${key}" has not been added to dynamic partitions "${this.name}" (${known})`))
    })
  }
  keys(ctx: PartitionsContext): ReadonlyArray<PartitionKey> {
    return this.current(ctx)
  }
  parse(key: string, ctx?: PartitionsContext): Either.Either<string, PartitionError> {
    return ctx === undefined ? checkKey(key) : Either.map(this.member(key, ctx), (member) => member.key)
  }
  format(value: string): PartitionKey {
    return unsafeKey(value)
  }
  select(spec: string, ctx: PartitionsContext): Either.Either<ReadonlyArray<PartitionKey>, PartitionError> {
    return selectOrdered(
      {
        all: (c) => this.current(c),
        member: (key, c) => this.member(key, c),
        between: (from, to, c) => this.current(c).slice(from, to + 1)
      },
      spec,
      ctx
    )
  }
  toJSON(): PartitionsJson {
    return { _tag: "Dynamic", name: this.name }
  }
}

/**
 * Builds a dynamic definition, or explains why the name is invalid (it must be non-empty).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEither = (name: string): Either.Either<DynamicPartitions, PartitionError> =>
  name.trim().length === 0
    ? Either.left(invalidDefinition("dynamic partitions need a non-empty name"))
    : Either.right(new DynamicImpl(name))

/**
 * Builds a dynamic definition whose keys are `ctx.dynamicKeys(name)`, in the order they were added. Throws a
 * `PartitionError` (`InvalidDefinition`) on an empty name; use {@link makeEither} to handle it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (name: string): DynamicPartitions => Either.getOrThrowWith(makeEither(name), (error) => error)

/**
 * @since 0.1.0
 * @category guards
 */
export const isDynamic = (u: unknown): u is DynamicPartitions => u instanceof DynamicImpl
