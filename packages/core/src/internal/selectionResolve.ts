import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Asset from "../Asset.js"
import * as AssetGraph from "../AssetGraph.js"
import type { AssetKey } from "../AssetKey.js"
import type { Selection } from "../AssetSelection.js"
import { flatten, globToRegExp } from "./selection.js"

/** An unknown key before it becomes an `AssetSelectionError`. */
export interface UnknownKeyFailure {
  readonly reason: "UnknownKey"
  readonly message: string
  readonly suggestions: ReadonlyArray<string>
}

type Graph = AssetGraph.AssetGraph<unknown, unknown>

const filter = (graph: Graph, predicate: (asset: Asset.Any) => boolean): Set<AssetKey> => {
  const out = new Set<AssetKey>()
  for (const asset of graph.assets) if (predicate(asset)) out.add(asset.key)
  return out
}

const hasOwn = (record: Readonly<Record<string, string>>, name: string): boolean =>
  Object.prototype.hasOwnProperty.call(record, name)

/** The assets a leaf filter matches on its own. */
const leaf = (
  selection: Extract<Selection, { readonly _tag: "Glob" | "Tag" | "Group" | "Layer" }>,
  graph: Graph
): Set<AssetKey> => {
  switch (selection._tag) {
    case "Glob": {
      const regexp = globToRegExp(selection.pattern)
      return filter(graph, (asset) => regexp.test(asset.key))
    }
    case "Tag": {
      const { name, value } = selection
      return filter(graph, (asset) => hasOwn(asset.tags, name) && (value === undefined || asset.tags[name] === value))
    }
    case "Group":
      return filter(graph, (asset) => asset.group === selection.name)
    case "Layer":
      return filter(graph, (asset) => asset.layer === selection.layer)
  }
}

/** Every node once; an explicit stack so long `and`/`or` chains and deep nesting do not recurse. */
const nodes = function*(root: Selection): Generator<{ readonly node: Selection; readonly underDescendants: boolean }> {
  const stack: Array<{ readonly node: Selection; readonly underDescendants: boolean }> = [{
    node: root,
    underDescendants: false
  }]
  while (stack.length > 0) {
    const item = stack.pop()!
    yield item
    const { node } = item
    switch (node._tag) {
      case "And":
      case "Or":
        stack.push({ node: node.right, underDescendants: false }, { node: node.left, underDescendants: false })
        break
      case "Not":
      case "Upstream":
        stack.push({ node: node.selection, underDescendants: false })
        break
      case "Downstream":
        stack.push({ node: node.selection, underDescendants: node.depth === Infinity })
        break
    }
  }
}

const evaluate = (selection: Selection, graph: Graph): ReadonlySet<AssetKey> => {
  switch (selection._tag) {
    case "All":
      return new Set(graph.keys)
    case "Key":
      return new Set(Option.match(graph.get(selection.key), { onNone: () => [], onSome: (asset) => [asset.key] }))
    case "Upstream":
      return AssetGraph.upstream(graph, evaluate(selection.selection, graph), selection.depth)
    case "Downstream":
      return AssetGraph.downstream(graph, evaluate(selection.selection, graph), selection.depth)
    case "Not": {
      const excluded = evaluate(selection.selection, graph)
      return new Set(graph.keys.filter((key) => !excluded.has(key)))
    }
    case "Or": {
      const out = new Set<AssetKey>()
      for (const part of flatten(selection, "Or")) for (const key of evaluate(part, graph)) out.add(key)
      return out
    }
    case "And": {
      const [first, ...rest] = flatten(selection, "And")
      let out = evaluate(first, graph)
      for (const part of rest) {
        const next = evaluate(part, graph)
        // Iterate the smaller side so `a and b` costs min(|a|, |b|) lookups.
        const [small, large] = out.size <= next.size ? [out, next] : [next, out]
        out = new Set([...small].filter((key) => large.has(key)))
      }
      return out
    }
    default:
      return leaf(selection, graph)
  }
}

/** @internal */
export const resolve = (
  selection: Selection,
  graph: Graph
): Either.Either<ReadonlySet<AssetKey>, UnknownKeyFailure> => {
  for (const { node, underDescendants } of nodes(selection)) {
    if (node._tag === "Key" && Option.isNone(graph.get(node.key))) {
      return Either.left(unknownKey(node.key, graph.keys, underDescendants))
    }
  }
  return Either.right(evaluate(selection, graph))
}

/** @internal */
export const unmatched = (selection: Selection, graph: Graph): ReadonlyArray<Selection> => {
  const out: Array<Selection> = []
  for (const { node } of nodes(selection)) {
    if (
      (node._tag === "Glob" || node._tag === "Tag" || node._tag === "Group" || node._tag === "Layer") &&
      leaf(node, graph).size === 0
    ) out.push(node)
  }
  return out
}

// --- suggestions -------------------------------------------------------------------------------------------------------

/** Levenshtein distance, giving up (returning `bound + 1`) once every path exceeds `bound`. */
export const levenshtein = (a: string, b: string, bound = Infinity): number => {
  if (Math.abs(a.length - b.length) > bound) return bound + 1
  // Two reused rows: this runs once per key of the graph when a key is unknown.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  let current = new Array<number>(b.length + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    const code = a.charCodeAt(i - 1)
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const substitute = previous[j - 1] + (code === b.charCodeAt(j - 1) ? 0 : 1)
      const insertOrDelete = (previous[j] < current[j - 1] ? previous[j] : current[j - 1]) + 1
      const value = substitute < insertOrDelete ? substitute : insertOrDelete
      current[j] = value
      if (value < rowMin) rowMin = value
    }
    if (rowMin > bound) return bound + 1
    ;[previous, current] = [current, previous]
  }
  return Math.min(previous[b.length], bound + 1)
}

const lastSegment = (key: string): string => key.slice(key.lastIndexOf("/") + 1)

/**
 * How many edits still count as near: a quarter of a whole key (a wrong layer segment is not a typo), a third of a name, at
 * least one.
 */
const tolerance = (text: string, fraction: number): number => Math.max(1, Math.floor(text.length * fraction))

/**
 * Up to `limit` keys near `input`, closest first, ignoring case: keys within a few edits of the whole input or starting with
 * it; failing those,
 * keys whose last segment is within a few edits of the input's (so `contratos` finds `pncp/raw/contratos`). Ties keep the
 * graph's order.
 *
 * @internal
 */
export const suggest = (input: string, keys: ReadonlyArray<string>, limit = 3): ReadonlyArray<string> => {
  const whole = input.toLowerCase()
  const name = lastSegment(whole)
  const byKey: Array<{ readonly key: string; readonly distance: number; readonly index: number }> = []
  const byName: Array<{ readonly key: string; readonly distance: number; readonly index: number }> = []
  keys.forEach((key, index) => {
    const lower = key.toLowerCase()
    // A key the input is the start of is near however much is missing: `pncp/raw/contr` finds `pncp/raw/contratos`.
    const isPrefix = whole.length >= 3 && lower.startsWith(whole)
    const full = isPrefix ? lower.length - whole.length : levenshtein(whole, lower, tolerance(whole, 1 / 4))
    if (isPrefix || full <= tolerance(whole, 1 / 4)) byKey.push({ key, distance: full, index })
    else {
      const last = levenshtein(name, lastSegment(lower), tolerance(name, 1 / 3))
      if (last <= tolerance(name, 1 / 3)) byName.push({ key, distance: last, index })
    }
  })
  // A near whole key beats a near last segment: `pncp/raw/contrato` suggests `pncp/raw/contratos`, not every `contratos`.
  const pool = byKey.length > 0 ? byKey : byName
  pool.sort((x, y) => x.distance - y.distance || x.index - y.index)
  return pool.slice(0, limit).map((s) => s.key)
}

const orList = (items: ReadonlyArray<string>): string =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`

const unknownKey = (key: string, keys: ReadonlyArray<string>, underDescendants: boolean): UnknownKeyFailure => {
  const suggestions = suggest(key, keys)
  const didYouMean = suggestions.length === 0 ? "" : ` Did you mean ${orList(suggestions.map((s) => `"${s}"`))}?`
  // `pncp/raw/contr*` reads as "contr and its descendants"; say how to write the glob the user probably meant.
  const hint = underDescendants ?
    ` (A trailing "*" after a key means "and all its descendants"; to match keys by pattern, quote it: "${key}*".)` :
    ""
  return { reason: "UnknownKey", message: `Unknown asset "${key}".${didYouMean}${hint}`, suggestions }
}
