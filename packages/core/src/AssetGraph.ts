/**
 * A validated set of assets: no duplicate keys, every dependency present, no cycle, and a partition mapping that applies on
 * every edge. Assets come out in a deterministic topological order: depth-first from each asset in definition order, its
 * dependencies in declared order, so the same definitions always give the same order.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Asset from "./Asset.js"
import type { AssetKey } from "./AssetKey.js"
import * as PartitionMapping from "./PartitionMapping.js"

/**
 * @since 0.1.0
 * @category errors
 */
export class AssetGraphError extends Schema.TaggedError<AssetGraphError>()("AssetGraphError", {
  reason: Schema.Literal("Cycle", "MissingDependency", "DuplicateKey", "InvalidPartitionMapping"),
  /** The assets involved: the cycle's path, the asset and its missing dependency, the duplicated key, the edge. */
  assets: Schema.Array(Schema.String),
  message: Schema.String
}) {}

/**
 * @since 0.1.0
 * @category models
 */
export interface AssetGraph<out E = never, out R = never> {
  /** Assets in topological order. */
  readonly assets: ReadonlyArray<Asset.Asset<E, R>>
  readonly keys: ReadonlyArray<AssetKey>
  readonly parents: (key: AssetKey) => ReadonlyArray<AssetKey>
  readonly children: (key: AssetKey) => ReadonlyArray<AssetKey>
  /** The mapping a step of `child` uses to find the steps of `parent` it needs. */
  readonly mapping: (child: AssetKey, parent: AssetKey) => PartitionMapping.PartitionMapping
  /** Position in the topological order. */
  readonly order: (key: AssetKey) => number
  readonly get: (key: string) => Option.Option<Asset.Asset<E, R>>
}

/**
 * The graph type of a list of assets: its error and requirement types are the unions of the assets'.
 *
 * @since 0.1.0
 * @category models
 */
export type FromAssets<Assets extends ReadonlyArray<Asset.Any>> = AssetGraph<
  Asset.Error<Assets[number]>,
  Asset.Context<Assets[number]>
>

const fail = (reason: AssetGraphError["reason"], assets: ReadonlyArray<string>, message: string) =>
  Either.left(new AssetGraphError({ reason, assets, message }))

/**
 * Builds and validates a graph.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <const Assets extends ReadonlyArray<Asset.Any>>(
  assets: Assets
): Either.Either<FromAssets<Assets>, AssetGraphError> => {
  type A = Asset.Asset<Asset.Error<Assets[number]>, Asset.Context<Assets[number]>>
  const byKey = new Map<AssetKey, A>()
  const definitionIndex = new Map<AssetKey, number>()
  for (let i = 0; i < assets.length; i++) {
    // Every element of `Assets` is one of the union members `A` describes; TypeScript cannot see through the indexed access.
    const asset = assets[i] as A
    if (byKey.has(asset.key)) {
      return fail("DuplicateKey", [asset.key], `Asset key "${asset.key}" is defined more than once`)
    }
    byKey.set(asset.key, asset)
    definitionIndex.set(asset.key, i)
  }

  const children = new Map<AssetKey, Array<AssetKey>>()
  for (const asset of byKey.values()) children.set(asset.key, [])
  for (const asset of byKey.values()) {
    for (const dep of asset.deps) {
      const parent = byKey.get(dep.key)
      if (parent === undefined) {
        return fail(
          "MissingDependency",
          [asset.key, dep.key],
          `Asset "${asset.key}" depends on "${dep.key}", which is not in the graph`
        )
      }
      children.get(dep.key)!.push(asset.key)
    }
  }

  const order = topologicalOrder(byKey, definitionIndex)
  if (Either.isLeft(order)) return Either.left(order.left)

  const mappings = new Map<string, PartitionMapping.PartitionMapping>()
  for (const asset of byKey.values()) {
    for (const dep of asset.deps) {
      const parent = byKey.get(dep.key)!
      const mapping = resolveMapping(asset, parent, dep.mapping)
      if (Either.isLeft(mapping)) {
        return fail(
          "InvalidPartitionMapping",
          [asset.key, parent.key],
          `"${asset.key}" cannot depend on "${parent.key}": ${mapping.left}`
        )
      }
      mappings.set(edgeId(asset.key, parent.key), mapping.right)
    }
  }

  const sorted = order.right
  const position = new Map<AssetKey, number>()
  sorted.forEach((key, i) => position.set(key, i))
  const parents = new Map<AssetKey, ReadonlyArray<AssetKey>>()
  for (const asset of byKey.values()) parents.set(asset.key, asset.deps.map((dep) => dep.key))
  const sortedChildren = new Map<AssetKey, ReadonlyArray<AssetKey>>()
  for (const [key, list] of children) sortedChildren.set(key, list.sort((a, b) => position.get(a)! - position.get(b)!))

  const graph: AssetGraph<Asset.Error<Assets[number]>, Asset.Context<Assets[number]>> = {
    assets: sorted.map((key) => byKey.get(key)!),
    keys: sorted,
    parents: (key) => parents.get(key) ?? [],
    children: (key) => sortedChildren.get(key) ?? [],
    mapping: (child, parent) => mappings.get(edgeId(child, parent)) ?? PartitionMapping.allUpstream,
    order: (key) => position.get(key) ?? -1,
    get: (key) => Option.fromNullable(byKey.get(key as AssetKey))
  }
  return Either.right(graph)
}

const edgeId = (child: string, parent: string) => `${child}\u0000${parent}`

const resolveMapping = (
  child: Asset.Any,
  parent: Asset.Any,
  explicit: PartitionMapping.PartitionMapping | undefined
): Either.Either<PartitionMapping.PartitionMapping, string> => {
  if (explicit === undefined) return PartitionMapping.inferDefault(child.partitions, parent.partitions)
  return Option.match(explicit.validate(child.partitions, parent.partitions), {
    onNone: () => Either.right(explicit),
    onSome: Either.left
  })
}

/**
 * Depth-first post-order from each asset in definition order, dependencies in declared order: deterministic, linear, and
 * iterative so a 10,000-long chain does not overflow the stack.
 */
const topologicalOrder = (
  byKey: ReadonlyMap<AssetKey, Asset.Any>,
  definitionIndex: ReadonlyMap<AssetKey, number>
): Either.Either<ReadonlyArray<AssetKey>, AssetGraphError> => {
  const VISITING = 1
  const DONE = 2
  const mark = new Map<AssetKey, number>()
  const sorted: Array<AssetKey> = []
  const roots = [...byKey.keys()].sort((a, b) => definitionIndex.get(a)! - definitionIndex.get(b)!)
  for (const root of roots) {
    if (mark.get(root) === DONE) continue
    const stack: Array<{ key: AssetKey; next: number }> = [{ key: root, next: 0 }]
    mark.set(root, VISITING)
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]
      const deps = byKey.get(frame.key)!.deps
      if (frame.next < deps.length) {
        const dep = deps[frame.next++].key
        const state = mark.get(dep)
        if (state === VISITING) {
          const start = stack.findIndex((f) => f.key === dep)
          // The stack holds dependents before their dependencies; print the cycle in "depends on" direction.
          const path = [...stack.slice(start).map((f) => f.key), dep]
          return fail("Cycle", path, `Dependency cycle: ${path.join(" → ")}`)
        }
        if (state !== DONE) {
          mark.set(dep, VISITING)
          stack.push({ key: dep, next: 0 })
        }
      } else {
        mark.set(frame.key, DONE)
        sorted.push(frame.key)
        stack.pop()
      }
    }
  }
  return Either.right(sorted)
}

const closure = (
  start: Iterable<AssetKey>,
  next: (key: AssetKey) => ReadonlyArray<AssetKey>,
  depth: number
): ReadonlySet<AssetKey> => {
  const seen = new Set<AssetKey>(start)
  let frontier = [...seen]
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const following: Array<AssetKey> = []
    for (const key of frontier) {
      for (const n of next(key)) {
        if (!seen.has(n)) {
          seen.add(n)
          following.push(n)
        }
      }
    }
    frontier = following
  }
  return seen
}

/**
 * The keys and their ancestors, up to `depth` levels (all by default).
 *
 * @since 0.1.0
 * @category utils
 */
export const upstream = <E, R>(
  graph: AssetGraph<E, R>,
  keys: Iterable<AssetKey>,
  depth = Number.POSITIVE_INFINITY
): ReadonlySet<AssetKey> => closure(keys, graph.parents, depth)

/**
 * The keys and their descendants, up to `depth` levels (all by default).
 *
 * @since 0.1.0
 * @category utils
 */
export const downstream = <E, R>(
  graph: AssetGraph<E, R>,
  keys: Iterable<AssetKey>,
  depth = Number.POSITIVE_INFINITY
): ReadonlySet<AssetKey> => closure(keys, graph.children, depth)

/**
 * The graph as a Mermaid flowchart, left to right.
 *
 * @since 0.1.0
 * @category utils
 */
export const toMermaid = <E, R>(graph: AssetGraph<E, R>): string => {
  const id = new Map(graph.keys.map((key, i) => [key, `a${i}`]))
  const lines = ["flowchart LR"]
  for (const key of graph.keys) lines.push(`  ${id.get(key)}["${key}"]`)
  for (const key of graph.keys) {
    for (const parent of graph.parents(key)) lines.push(`  ${id.get(parent)} --> ${id.get(key)}`)
  }
  return lines.join("\n")
}
