import type * as AssetGraph from "@baliza/core/AssetGraph"
import * as AssetSelection from "@baliza/core/AssetSelection"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as CliError from "../CliError.js"

const distance = (a: string, b: string): number => {
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

/** @internal Fails with an input error when the selection does not parse or names an asset the graph lacks. */
export const checkSelection = <E, R>(selection: string, graph: AssetGraph.AssetGraph<E, R>) =>
  Effect.gen(function*() {
    const parsed = AssetSelection.parse(selection)
    if (Either.isLeft(parsed)) return yield* CliError.input(`Bad selection "${selection}": ${parsed.left.message}`)
    const unknown = AssetSelection.unmatched(parsed.right, graph)
    if (unknown.length > 0) {
      const names = unknown.map(AssetSelection.format)
      const hints = names.map((name) => `${name} (did you mean ${nearest(name, graph.keys).join(", ")}?)`)
      return yield* CliError.input(`No asset matches ${hints.join("; ")}. \`baliza assets\` lists them.`)
    }
  })
