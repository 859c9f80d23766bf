import type * as AssetGraph from "@baliza/core/AssetGraph"
import * as AssetSelection from "@baliza/core/AssetSelection"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as CliError from "../CliError.js"

/** @internal The edit distance between two names. */
export const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}

/** @internal The asset keys nearest to `name`: by edit distance, and those that contain it. */
export const nearest = (name: string, keys: ReadonlyArray<string>, count = 3): ReadonlyArray<string> =>
  [...keys]
    .map((key) => ({ key, score: key.includes(name) ? 0 : distance(name, key) }))
    .sort((a, b) => a.score - b.score || a.key.localeCompare(b.key))
    .slice(0, count)
    .map(({ key }) => key)

const unique = (values: Iterable<string>): ReadonlyArray<string> => [...new Set(values)].sort()

/** @internal What the graph offers in place of a filter that matched nothing: names of its own kind. */
export const hint = <E, R>(filter: AssetSelection.Selection, graph: AssetGraph.AssetGraph<E, R>): string => {
  const name = AssetSelection.format(filter)
  // A group or tag is compared with the graph's groups and tags, not with asset keys.
  const candidates = filter._tag === "Group"
    ? unique(graph.assets.map((asset) => `group:${asset.group}`))
    : filter._tag === "Tag"
    ? unique(
      graph.assets.flatMap((asset) =>
        Object.entries(asset.tags).map(([tag, value]) =>
          filter.value === undefined ? `tag:${tag}` : `tag:${tag}=${value}`
        )
      )
    )
    : filter._tag === "Layer"
    ? unique(graph.assets.flatMap((asset) => asset.layer === undefined ? [] : [`layer:${asset.layer}`]))
    : graph.keys
  if (candidates.length === 0) {
    const kind = filter._tag === "Tag" ? "tags" : filter._tag === "Group" ? "groups" : filter._tag === "Layer"
      ? "layers"
      : "assets"
    return `${name} (the graph has no ${kind})`
  }
  // The layers are few and fixed: all of them, rather than a guess.
  return filter._tag === "Layer"
    ? `${name} (the graph has ${candidates.join(", ")})`
    : `${name} (did you mean ${nearest(name, candidates).join(", ")}?)`
}

/**
 * @internal The keys a selection selects; fails with an input error when it does not parse, names an asset the graph
 * lacks, or selects nothing at all. A filter that matches nothing inside a selection that still selects assets is
 * legitimate (`transform` adds `not layer:raw` to projects that may have no raw layer): a warning on stderr then.
 */
export const checkSelection = <E, R>(selection: string, graph: AssetGraph.AssetGraph<E, R>) =>
  Effect.gen(function*() {
    const parsed = AssetSelection.parse(selection)
    if (Either.isLeft(parsed)) return yield* CliError.input(`Bad selection "${selection}": ${parsed.left.message}`)
    const resolved = AssetSelection.resolve(parsed.right, graph)
    if (Either.isLeft(resolved)) {
      const { message, reason, suggestions } = resolved.left
      // no near name to offer: where the names are
      const list = reason === "UnknownKey" && suggestions.length === 0 ? " `baliza assets` lists them." : ""
      return yield* CliError.input(`${message}${list}`)
    }
    const hints = AssetSelection.unmatched(parsed.right, graph).map((filter) => hint(filter, graph))
    if (resolved.right.size === 0) {
      return yield* CliError.input(
        hints.length > 0
          ? `No asset matches ${hints.join("; ")}. \`baliza assets\` lists them.`
          : `The selection "${selection}" selects no asset. \`baliza assets\` lists them.`
      )
    }
    if (hints.length > 0) {
      yield* Console.error(`baliza: warning: in "${selection}", no asset matches ${hints.join("; ")}.`)
    }
    return resolved.right
  })
