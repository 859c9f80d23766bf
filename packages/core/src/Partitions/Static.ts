/**
 * Static partitions: a fixed, ordered list of keys, e.g. the PNCP modalidades or the Brazilian states.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import {
  invalidDefinition,
  invalidKey,
  keySyntaxProblem,
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
 * A static definition whose value is the literal union of its keys.
 *
 * @since 0.1.0
 * @category models
 */
export interface StaticPartitions<K extends string = string> extends PartitionsDefinition<K> {
  readonly _tag: "Static"
  /** The keys, in declaration order. */
  readonly values: ReadonlyArray<K>
}

class StaticImpl<K extends string> extends PartitionsBase<K> implements StaticPartitions<K> {
  readonly _tag = "Static" as const
  readonly description: string
  readonly index: ReadonlyMap<string, number>
  constructor(readonly values: ReadonlyArray<K>) {
    super()
    this.index = new Map(values.map((key, i) => [key, i]))
    this.description = `static [${preview(values)}]`
  }
  member(key: string): Either.Either<{ readonly key: PartitionKey; readonly ordinal: number }, PartitionError> {
    const ordinal = this.index.get(key)
    return ordinal === undefined
      ? Either.left(invalidKey(`"${key}" is not a static partition key: expected one of ${preview(this.values)}`))
      : Either.right({ key: unsafeKey(key), ordinal })
  }
  keys(): ReadonlyArray<PartitionKey> {
    return this.values.map(unsafeKey)
  }
  parse(key: string): Either.Either<K, PartitionError> {
    return Either.map(this.member(key), ({ ordinal }) => this.values[ordinal])
  }
  format(value: K): PartitionKey {
    return unsafeKey(value)
  }
  select(spec: string, ctx: PartitionsContext): Either.Either<ReadonlyArray<PartitionKey>, PartitionError> {
    return selectOrdered(
      {
        all: () => this.keys(),
        member: (key) => this.member(key),
        between: (from, to) => this.values.slice(from, to + 1).map(unsafeKey)
      },
      spec,
      ctx
    )
  }
  toJSON(): PartitionsJson {
    return { _tag: "Static", keys: [...this.values] }
  }
}

/**
 * Builds a static definition, or explains why the keys are invalid: they must be non-empty, unique, and free of the
 * selection syntax (`|`, `,`, `..`, a lone `*`, surrounding whitespace).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEither = <const K extends string>(
  keys: ReadonlyArray<K>
): Either.Either<StaticPartitions<K>, PartitionError> => {
  if (keys.length === 0) return Either.left(invalidDefinition("static partitions need at least one key"))
  const seen = new Set<string>()
  for (const key of keys) {
    const problem = keySyntaxProblem(key)
    if (problem !== undefined) {
      return Either.left(invalidDefinition(`"${key}" cannot be a static partition key: ${problem}`))
    }
    if (seen.has(key)) return Either.left(invalidDefinition(`"${key}" appears twice in static partition keys`))
    seen.add(key)
  }
  return Either.right(new StaticImpl([...keys]))
}

/**
 * Builds a static definition: `make(["1", "2"])` has the value type `"1" | "2"`. Throws a `PartitionError`
 * (`InvalidDefinition`) on invalid keys; use {@link makeEither} to handle it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <const K extends string>(keys: ReadonlyArray<K>): StaticPartitions<K> =>
  Either.getOrThrowWith(makeEither(keys), (error) => error)

/**
 * @since 0.1.0
 * @category guards
 */
export const isStatic = (u: unknown): u is StaticPartitions => u instanceof StaticImpl
