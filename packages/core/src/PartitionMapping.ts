/**
 * Partition mappings: given a downstream step's partition key, which steps of an upstream asset it needs.
 *
 * **Details**
 *
 * `undefined` stands for an unpartitioned asset on either side: an unpartitioned downstream step has no key, an
 * unpartitioned upstream asset has a single step, which `upstreamKeys` reports as `"unpartitioned"`. `inferDefault`
 * picks the mapping a graph uses when a dependency does not declare one.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Equal from "effect/Equal"
import * as Option from "effect/Option"
import type { PartitionKey, PartitionsContext, PartitionsDefinition } from "./Partitions.js"
import { parseKey, PartitionError } from "./Partitions.js"
import * as Multi from "./Partitions/Multi.js"
import * as TimeWindow from "./Partitions/TimeWindow.js"

/**
 * The upstream steps a downstream step needs: keys of a partitioned upstream, or its single step.
 *
 * @since 0.1.0
 * @category models
 */
export type UpstreamKeys = ReadonlyArray<PartitionKey> | "unpartitioned"

/**
 * @since 0.1.0
 * @category models
 */
export interface PartitionMapping {
  readonly _tag: "Unpartitioned" | "Identity" | "TimeWindow" | "AllUpstream" | "Static" | "Dimension"
  readonly description: string
  /** Why the mapping cannot connect these definitions, if it cannot. */
  validate(
    downstream: PartitionsDefinition | undefined,
    upstream: PartitionsDefinition | undefined
  ): Option.Option<string>
  /**
   * The upstream steps the downstream step `downstreamKey` (undefined when unpartitioned; any string, since it is
   * parsed) needs, in upstream order.
   */
  upstreamKeys(
    downstreamKey: string | undefined,
    downstream: PartitionsDefinition | undefined,
    upstream: PartitionsDefinition | undefined,
    ctx: PartitionsContext
  ): Either.Either<UpstreamKeys, PartitionError>
  toJSON(): { readonly _tag: PartitionMapping["_tag"] } & Readonly<Record<string, unknown>>
}

type Defined = PartitionsDefinition
type Check = (downstream: Defined | undefined, upstream: Defined | undefined) => string | undefined
type Resolve = (
  downstreamKey: string | undefined,
  downstream: Defined | undefined,
  upstream: Defined | undefined,
  ctx: PartitionsContext
) => Either.Either<UpstreamKeys, PartitionError>

const describe = (def: Defined | undefined) => def === undefined ? "unpartitioned" : def.description

const fail = (reason: PartitionError["reason"], message: string) => Either.left(new PartitionError({ reason, message }))

/** Every mapping validates first, then needs a key for a partitioned downstream. */
const mapping = (
  tag: PartitionMapping["_tag"],
  description: string,
  json: Readonly<Record<string, unknown>>,
  check: Check,
  resolve: Resolve
): PartitionMapping => ({
  _tag: tag,
  description,
  validate: (downstream, upstream) => Option.fromNullable(check(downstream, upstream)),
  upstreamKeys: (downstreamKey, downstream, upstream, ctx) => {
    const problem = check(downstream, upstream)
    if (problem !== undefined) return fail("InvalidDefinition", `${description} mapping: ${problem}`)
    if (downstream !== undefined && downstreamKey === undefined) {
      return fail("InvalidKey", `a step of a partitioned asset (${downstream.description}) needs a partition key`)
    }
    return resolve(downstreamKey, downstream, upstream, ctx)
  },
  toJSON: () => ({ ...json, _tag: tag })
})

/**
 * The upstream is unpartitioned: every downstream step needs its single step.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unpartitioned: PartitionMapping = mapping(
  "Unpartitioned",
  "unpartitioned",
  {},
  (_, upstream) => upstream === undefined ? undefined : `the upstream is partitioned (${upstream.description})`,
  () => Either.right("unpartitioned")
)

/**
 * The same key on both sides; both definitions must be equal (or both unpartitioned).
 *
 * @since 0.1.0
 * @category constructors
 */
export const identity: PartitionMapping = mapping(
  "Identity",
  "identity",
  {},
  (downstream, upstream) =>
    downstream === undefined && upstream === undefined
      ? undefined
      : downstream !== undefined && upstream !== undefined && Equal.equals(downstream, upstream)
      ? undefined
      : `it needs the same partitions on both sides, got ${describe(downstream)} downstream and ${
        describe(upstream)
      } upstream`,
  (key, _, upstream, ctx) =>
    upstream === undefined || key === undefined
      ? Either.right("unpartitioned")
      : Either.map(parseKey(upstream, key, ctx), (upstreamKey) => [upstreamKey])
)

/**
 * Every upstream step (the default for an unpartitioned downstream asset).
 *
 * @since 0.1.0
 * @category constructors
 */
export const allUpstream: PartitionMapping = mapping(
  "AllUpstream",
  "all upstream",
  {},
  () => undefined,
  (_key, _downstream, upstream, ctx) => Either.right(upstream === undefined ? "unpartitioned" : upstream.keys(ctx))
)

/**
 * @since 0.1.0
 * @category models
 */
export interface TimeWindowOptions {
  /** Shift the downstream window by this many of its own windows first (`-1`: a day needs the previous day). */
  readonly offset?: number | undefined
}

/**
 * Between two time-window definitions: a downstream step needs every upstream window overlapping its own. A month
 * needs each of its days; a day needs its month; a week may need two months.
 *
 * @since 0.1.0
 * @category constructors
 */
export const timeWindow = (options?: TimeWindowOptions): PartitionMapping => {
  const offset = options?.offset ?? 0
  return mapping(
    "TimeWindow",
    offset === 0 ? "time window" : `time window (offset ${offset})`,
    { offset },
    (downstream, upstream) =>
      TimeWindow.isTimeWindow(downstream) && TimeWindow.isTimeWindow(upstream)
        ? undefined
        : `it needs time-window partitions on both sides, got ${describe(downstream)} downstream and ${
          describe(upstream)
        } upstream`,
    (key, downstream, upstream, ctx) => {
      if (!TimeWindow.isTimeWindow(downstream) || !TimeWindow.isTimeWindow(upstream) || key === undefined) {
        return Either.right("unpartitioned") // unreachable: validated above
      }
      return Either.map(
        downstream.parse(key, ctx),
        (window) => TimeWindow.overlapping(upstream, TimeWindow.windowAt(downstream, window.start, offset), ctx)
      )
    }
  )
}

// A table lists keys as its author wrote them: a step needs each upstream step once, in the upstream's order.
const inUpstreamOrder = (
  upstream: PartitionsDefinition,
  keys: ReadonlyArray<PartitionKey>,
  ctx: PartitionsContext
): ReadonlyArray<PartitionKey> => {
  const distinct = [...new Set(keys)]
  if (distinct.length < 2) return distinct
  const position = new Map(upstream.keys(ctx).map((key, i) => [key, i] as const))
  return distinct.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0))
}

/**
 * An explicit table from downstream keys to the upstream keys each needs; unlisted downstream keys need nothing.
 *
 * @since 0.1.0
 * @category constructors
 */
const staticMapping = (table: Readonly<Record<string, ReadonlyArray<string>>>): PartitionMapping => {
  const entries = Object.entries(table)
  return mapping(
    "Static",
    `static (${entries.length} downstream key(s))`,
    { mapping: table },
    (downstream, upstream) => {
      if (downstream === undefined || upstream === undefined) return "it needs partitions on both sides"
      for (const [from, tos] of entries) {
        const bad = downstream.parse(from)
        if (Either.isLeft(bad)) return `downstream key ${bad.left.message}`
        for (const to of tos) {
          const badUp = upstream.parse(to)
          if (Either.isLeft(badUp)) return `upstream key ${badUp.left.message}`
        }
      }
      return undefined
    },
    (key, _downstream, upstream, ctx) => {
      if (key === undefined || upstream === undefined || !Object.hasOwn(table, key)) return Either.right([])
      return Either.map(
        Either.all(table[key].map((to) => parseKey(upstream, to, ctx))),
        (keys) => inUpstreamOrder(upstream, keys, ctx)
      )
    }
  )
}

export {
  /**
   * An explicit table from downstream keys to the upstream keys each needs; unlisted downstream keys need nothing.
   *
   * @since 0.1.0
   * @category constructors
   */
  staticMapping as static
}

const dimensionOf = (def: Defined, name: string): Defined | undefined =>
  Multi.isMulti(def) ? def.dimensions.find((d) => d.name === name)?.partitions : def

/**
 * Between a multi-partition and one of its dimensions, either way, matched by name (or between two multi-partitions
 * sharing that dimension): a daily step needs every `day|*` key of a day × modalidade upstream; a day × modalidade step
 * needs its day of a daily upstream.
 *
 * @since 0.1.0
 * @category constructors
 */
export const dimension = (name: string): PartitionMapping =>
  mapping(
    "Dimension",
    `dimension "${name}"`,
    { dimension: name },
    (downstream, upstream) => {
      if (downstream === undefined || upstream === undefined) return "it needs partitions on both sides"
      if (!Multi.isMulti(downstream) && !Multi.isMulti(upstream)) return "neither side is a multi-partition"
      const down = dimensionOf(downstream, name)
      const up = dimensionOf(upstream, name)
      if (down === undefined || up === undefined) {
        return `"${name}" is not a dimension of ${describe(down === undefined ? downstream : upstream)}`
      }
      return Equal.equals(down, up)
        ? undefined
        : `dimension "${name}" differs: ${down.description} downstream, ${up.description} upstream`
    },
    (key, downstream, upstream, ctx) => {
      if (key === undefined || downstream === undefined || upstream === undefined) return Either.right("unpartitioned")
      const value = Multi.isMulti(downstream)
        ? Multi.dimensionValue(downstream, key, name)
        : parseKey(downstream, key, ctx)
      return Either.flatMap(value, (v): Either.Either<UpstreamKeys, PartitionError> =>
        Multi.isMulti(upstream)
          ? upstream.select(upstream.dimensions.map((d) => d.name === name ? v : "*").join("|"), ctx)
          : Either.map(parseKey(upstream, v, ctx), (upstreamKey) => [upstreamKey]))
    }
  )

/**
 * The mapping a dependency gets when it declares none.
 *
 * **Details**
 *
 * Upstream unpartitioned → {@link unpartitioned} (its single step); downstream unpartitioned → {@link allUpstream};
 * equal definitions → {@link identity}; two time windows → {@link timeWindow}; a multi-partition with exactly one
 * dimension equal to the other side (or two multi-partitions sharing exactly one equal dimension) → {@link dimension}.
 * Anything else is `Left` with the reason, for the graph to report as a bad partition mapping.
 *
 * @since 0.1.0
 * @category constructors
 */
export const inferDefault = (
  downstream: PartitionsDefinition | undefined,
  upstream: PartitionsDefinition | undefined
): Either.Either<PartitionMapping, string> => {
  if (upstream === undefined) return Either.right(unpartitioned)
  if (downstream === undefined) return Either.right(allUpstream)
  if (Equal.equals(downstream, upstream)) return Either.right(identity)
  if (TimeWindow.isTimeWindow(downstream) && TimeWindow.isTimeWindow(upstream)) return Either.right(timeWindow())
  const shared = sharedDimensions(downstream, upstream)
  if (shared.length === 1) return Either.right(dimension(shared[0]))
  const why = shared.length > 1
    ? `they share several dimensions (${shared.join(", ")}), so the mapping is ambiguous`
    : "no default mapping connects them"
  return Either.left(
    `Cannot infer a partition mapping from ${upstream.description} (upstream) to ${downstream.description} (downstream): ${why}; declare one (identity, timeWindow, allUpstream, static or dimension)`
  )
}

/** Dimension names along which the two sides are equal. */
const sharedDimensions = (downstream: Defined, upstream: Defined): ReadonlyArray<string> => {
  if (Multi.isMulti(downstream) && Multi.isMulti(upstream)) {
    return downstream.dimensions
      .filter((d) => {
        const other = dimensionOf(upstream, d.name)
        return other !== undefined && Equal.equals(d.partitions, other)
      })
      .map((d) => d.name)
  }
  const [multi, other] = Multi.isMulti(downstream) ? [downstream, upstream] : [upstream, downstream]
  return Multi.isMulti(multi)
    ? multi.dimensions.filter((d) => Equal.equals(d.partitions, other)).map((d) => d.name)
    : []
}
