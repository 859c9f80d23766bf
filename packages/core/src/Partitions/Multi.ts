/**
 * Multi-partitions: the cartesian product of any number (one or more) of dimensions, e.g. day × modalidade × uf.
 *
 * **Details**
 *
 * Dimensions keep their declaration order; a key joins one key per dimension with `|` (`2024-01-01|6|SP`) and keys are
 * ordered with the first dimension outermost. The value is a record with one value per dimension, typed from the
 * dimensions. Dimension names cannot look like array indices (`"1"`), because JavaScript would reorder them.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import {
  invalidDefinition,
  invalidKey,
  isPartitionsDefinition,
  keySyntaxProblem,
  PartitionError,
  PartitionsBase,
  unknownDimension,
  unsafeKey
} from "../internal/partitions.js"
import type { PartitionKey, PartitionsContext, PartitionsDefinition, PartitionsJson, Value } from "../Partitions.js"

/**
 * The dimensions of a multi-partition, by name.
 *
 * @since 0.1.0
 * @category models
 */
export type Dimensions = { readonly [name: string]: PartitionsDefinition }

/**
 * One named dimension.
 *
 * @since 0.1.0
 * @category models
 */
export interface Dimension {
  readonly name: string
  readonly partitions: PartitionsDefinition
}

/**
 * The value of a multi-partition key: one value per dimension.
 *
 * @since 0.1.0
 * @category models
 */
export type MultiValue<D extends Dimensions> = { readonly [K in keyof D]: Value<D[K]> }

/**
 * @since 0.1.0
 * @category models
 */
export interface MultiPartitions<D extends Dimensions = Dimensions> extends PartitionsDefinition<MultiValue<D>> {
  readonly _tag: "Multi"
  /** The dimensions in declaration order. */
  readonly dimensions: ReadonlyArray<Dimension>
  /** The dimensions as given. */
  readonly definitions: D
}

const inDimension = (error: PartitionError, name: string) =>
  new PartitionError({ reason: error.reason, message: `${error.message} (dimension "${name}")` })

class MultiImpl<D extends Dimensions> extends PartitionsBase<MultiValue<D>> implements MultiPartitions<D> {
  readonly _tag = "Multi" as const
  readonly description: string
  readonly dimensions: ReadonlyArray<Dimension>
  readonly shape: string
  constructor(readonly definitions: D) {
    super()
    this.dimensions = Object.keys(definitions).map((name) => ({ name, partitions: definitions[name] }))
    this.shape = this.dimensions.map((d) => d.name).join("|")
    this.description = this.dimensions.map((d) => `${d.name}: ${d.partitions.description}`).join(" × ")
  }
  split(key: string): Either.Either<ReadonlyArray<string>, PartitionError> {
    const parts = key.split("|")
    return parts.length === this.dimensions.length
      ? Either.right(parts)
      : Either.left(invalidKey(
        `"${key}" is not a ${this.shape} partition key: expected ${this.dimensions.length} part(s) separated by "|"`
      ))
  }
  keys(ctx: PartitionsContext): ReadonlyArray<PartitionKey> {
    return product(this.dimensions.map((d) => d.partitions.keys(ctx)))
  }
  parse(key: string, ctx?: PartitionsContext): Either.Either<MultiValue<D>, PartitionError> {
    return Either.flatMap(this.split(key), (parts) => {
      const value: Record<string, unknown> = {}
      for (let i = 0; i < parts.length; i++) {
        const { name, partitions } = this.dimensions[i]
        const parsed = partitions.parse(parts[i], ctx)
        if (Either.isLeft(parsed)) return Either.left(inDimension(parsed.left, name))
        value[name] = parsed.right
      }
      // Each entry came from its own dimension's parser, which TypeScript cannot relate to the mapped type.
      return Either.right(value as MultiValue<D>)
    })
  }
  format(value: MultiValue<D>): PartitionKey {
    return unsafeKey(this.dimensions.map((d) => d.partitions.format(value[d.name])).join("|"))
  }
  select(spec: string, ctx: PartitionsContext): Either.Either<ReadonlyArray<PartitionKey>, PartitionError> {
    if (spec.trim() === "*") return Either.right(this.keys(ctx))
    const parts = spec.split("|")
    if (parts.length !== this.dimensions.length) {
      return Either.left(invalidKey(
        `"${spec}" does not select ${this.shape} partitions: give * or one spec per dimension separated by "|"`
      ))
    }
    const selected: Array<ReadonlyArray<PartitionKey>> = []
    for (let i = 0; i < parts.length; i++) {
      const { name, partitions } = this.dimensions[i]
      const keys = partitions.select(parts[i], ctx)
      if (Either.isLeft(keys)) return Either.left(inDimension(keys.left, name))
      selected.push(keys.right)
    }
    return Either.right(product(selected))
  }
  toJSON(): PartitionsJson {
    return {
      _tag: "Multi",
      dimensions: this.dimensions.map((d) => ({ name: d.name, partitions: d.partitions.toJSON() }))
    }
  }
}

const product = (lists: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<PartitionKey> => {
  let out: Array<string> = [""]
  lists.forEach((list, i) => {
    const next: Array<string> = []
    for (const prefix of out) for (const key of list) next.push(i === 0 ? key : `${prefix}|${key}`)
    out = next
  })
  return out.map(unsafeKey)
}

/**
 * Builds a multi-partition definition, or explains why the dimensions are invalid: at least one, names non-empty,
 * free of the selection syntax and not index-like, definitions not themselves multi-partitions.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEither = <D extends Dimensions>(dimensions: D): Either.Either<MultiPartitions<D>, PartitionError> => {
  const names = Object.keys(dimensions)
  if (names.length === 0) return Either.left(invalidDefinition("multi-partitions need at least one dimension"))
  for (const name of names) {
    const problem = keySyntaxProblem(name)
    if (problem !== undefined) return Either.left(invalidDefinition(`"${name}" cannot be a dimension name: ${problem}`))
    if (/^(0|[1-9]\d*)$/.test(name)) {
      return Either.left(invalidDefinition(`"${name}" cannot be a dimension name: index-like names lose their order`))
    }
    const partitions: unknown = dimensions[name]
    if (!isPartitionsDefinition(partitions)) {
      return Either.left(invalidDefinition(`dimension "${name}" is not a partitions definition`))
    }
    if (partitions._tag === "Multi") {
      return Either.left(invalidDefinition(`dimension "${name}" is a multi-partition: list its dimensions instead`))
    }
  }
  return Either.right(new MultiImpl(dimensions))
}

/**
 * Builds a multi-partition definition from named dimensions, in declaration order. Throws a `PartitionError`
 * (`InvalidDefinition`) on invalid dimensions; use {@link makeEither} to handle it.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * ```ts
 * import { Partitions } from "@baliza/core"
 *
 * const byDay = Partitions.Multi.make({
 *   date: Partitions.TimeWindow.daily({ start: "2024-01-01" }),
 *   modalidade: Partitions.Static.make(["6", "8"]),
 *   uf: Partitions.Static.make(["SP", "RJ"])
 * })
 * // keys: "2024-01-01|6|SP", "2024-01-01|6|RJ", "2024-01-01|8|SP", …
 * ```
 */
export const make = <D extends Dimensions>(dimensions: D): MultiPartitions<D> =>
  Either.getOrThrowWith(makeEither(dimensions), (error) => error)

/**
 * @since 0.1.0
 * @category guards
 */
export const isMulti = (u: unknown): u is MultiPartitions => u instanceof MultiImpl

const indexOf = (def: MultiPartitions, name: string): Either.Either<number, PartitionError> => {
  const index = def.dimensions.findIndex((d) => d.name === name)
  return index >= 0
    ? Either.right(index)
    : Either.left(unknownDimension(
      `"${name}" is not a dimension of these partitions: expected one of ${
        def.dimensions.map((d) => d.name).join(", ")
      }`
    ))
}

/**
 * The definition of one dimension, or `UnknownDimension`.
 *
 * @since 0.1.0
 * @category utils
 */
export const dimension = (def: MultiPartitions, name: string): Either.Either<PartitionsDefinition, PartitionError> =>
  Either.map(indexOf(def, name), (index) => def.dimensions[index].partitions)

/**
 * Splits a key into one key per dimension (`"2024-01-01|6"` → `{ date: "2024-01-01", modalidade: "6" }`), checking each
 * against its dimension.
 *
 * @since 0.1.0
 * @category utils
 */
export const split = (
  def: MultiPartitions,
  key: string
): Either.Either<Readonly<Record<string, PartitionKey>>, PartitionError> =>
  Either.flatMap(def.parse(key), (value) => {
    const out: Record<string, PartitionKey> = {}
    for (const d of def.dimensions) out[d.name] = d.partitions.format(value[d.name])
    return Either.right(out)
  })

/**
 * The key of one dimension within a multi-partition key: `dimensionValue(def, "2024-01-01|6", "modalidade")` is `"6"`.
 *
 * @since 0.1.0
 * @category utils
 */
export const dimensionValue = (
  def: MultiPartitions,
  key: string,
  name: string
): Either.Either<PartitionKey, PartitionError> =>
  Either.flatMap(indexOf(def, name), (index) => Either.map(split(def, key), (keys) => keys[def.dimensions[index].name]))

/**
 * Joins one key per dimension into a multi-partition key, checking each against its dimension.
 *
 * @since 0.1.0
 * @category utils
 */
export const join = (
  def: MultiPartitions,
  keys: Readonly<Record<string, string>>
): Either.Either<PartitionKey, PartitionError> => {
  for (const name of Object.keys(keys)) {
    const known = indexOf(def, name)
    if (Either.isLeft(known)) return Either.left(known.left)
  }
  const missing = def.dimensions.find((d) => !Object.hasOwn(keys, d.name))
  if (missing !== undefined) return Either.left(invalidKey(`a key for dimension "${missing.name}" is missing`))
  return Either.flatMap(
    def.parse(def.dimensions.map((d) => keys[d.name]).join("|")),
    (value) => Either.right(def.format(value))
  )
}
