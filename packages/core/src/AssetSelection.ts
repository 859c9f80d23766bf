/**
 * Asset selection: one small language, shared by the CLI (`--select`), the API and the UI, that picks assets out of an
 * `AssetGraph`. `parse` is a pure function from a string to a `Selection` tree; `resolve` evaluates the tree against a graph.
 *
 * **Grammar** (lowest precedence first; operator words are case-insensitive)
 * ```text
 * selection := and (("or" | "," | whitespace) and)*       a b, a,b and a or b are all unions
 * and       := not ("and" not)*
 * not       := "not" not | term
 * term      := [up] atom [down]
 * up        := "+" | N "+" | "*"                            parents, N levels of ancestors, all ancestors
 * down      := "+" | "+" N | "*"                            children, N levels of descendants, all descendants
 * atom      := "*"                                          every asset
 *            | key | glob | "\"" text "\""                  pncp/raw/contratos, pncp/raw/*, "and"
 *            | "tag:" name ["=" value] | "group:" name | "layer:" ("raw" | "staging" | "mart")
 *            | "(" selection ")"
 * ```
 *
 * **Details**
 * - `+k+` (both sides) is the union of `+k` and `k+`, as in Dagster: k with its parents and its children.
 * - Operators apply to any atom: `+tag:team=data`, `layer:raw*`, `2+(a or b)`.
 * - A glob's `*` matches within a segment and `**` across segments (a whole `**` segment also matches zero segments).
 * - Telling the `*` operators from a glob's stars: in an unquoted term, a `*` is an operator when it is the first character
 *   and a key character, a quote or `(` follows it (`*pncp/raw/contratos`), or when it is the last character and follows a
 *   key character (`pncp/raw/contratos*`). Every other `*` belongs to a glob: `pncp/raw/*`, `pncp/**`, `pncp/raw/contr*ss`,
 *   and a leading star followed by a slash or another star. So `pncp/raw/*` is a glob and `pncp/raw/contratos*` is "contratos
 *   and all its descendants". A quoted text never holds operators: `"pncp/raw/contr*"` and `"*_contratos"` are globs, and
 *   the operators go outside the quotes (`*"pncp/raw/*"` is every ancestor of the keys the glob matches).
 * - Digits followed by `+` are a depth prefix when an atom follows (`2+k`), so a key made only of digits is quoted when an
 *   operator follows it (`"2024"+`); `"and"`, `"or"` and `"not"` are keys only when quoted.
 * - Tag and group names and values are bare when they use letters, digits and `_ . / : @ -`, otherwise quoted
 *   (`tag:owner="Ana Lima"`); inside quotes `\"` and `\\` escape.
 * - Nothing may be glued to a term: `a+b` is an error, not `a+ or b`.
 *
 * **Matching nothing** An unknown key is an error (reason `"UnknownKey"`, with up to three suggestions), because a typo there
 * is almost always a mistake. A glob, tag, group or layer that matches no asset resolves to nothing without an error — a
 * filter can be legitimately empty (no `mart` assets yet) — and `unmatched` lists such filters so a caller can warn.
 *
 * **Example**
 * ```ts
 * import { AssetSelection } from "@baliza/core"
 *
 * AssetSelection.parse("+pncp/staging/contratos and not tag:pii")
 * AssetSelection.parse("pncp/raw/*, layer:mart")
 * AssetSelection.parse("2+pncp/mart/fornecedores+")
 * ```
 *
 * @since 0.1.0
 */
import type * as Data from "effect/Data"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type * as Asset from "./Asset.js"
import type * as AssetGraph from "./AssetGraph.js"
import type { AssetKey } from "./AssetKey.js"
import * as internal from "./internal/selection.js"
import * as parser from "./internal/selectionParser.js"
import * as resolver from "./internal/selectionResolve.js"

/**
 * A parsed selection. `Upstream` and `Downstream` include the selection itself; `depth` is the number of levels, `Infinity`
 * for all of them.
 *
 * @since 0.1.0
 * @category models
 */
export type Selection = Data.TaggedEnum<{
  All: {}
  Key: { readonly key: string }
  Glob: { readonly pattern: string }
  Tag: { readonly name: string; readonly value: string | undefined }
  Group: { readonly name: string }
  Layer: { readonly layer: Asset.Layer }
  Upstream: { readonly selection: Selection; readonly depth: number }
  Downstream: { readonly selection: Selection; readonly depth: number }
  And: { readonly left: Selection; readonly right: Selection }
  Or: { readonly left: Selection; readonly right: Selection }
  Not: { readonly selection: Selection }
}>

/**
 * Raised when a selection does not parse (`"Syntax"`, `"UnknownLayer"`, with a `column` and a caret line in the message) or
 * names a key the graph does not have (`"UnknownKey"`, with `suggestions`).
 *
 * @since 0.1.0
 * @category errors
 */
export class AssetSelectionError extends Schema.TaggedError<AssetSelectionError>()("AssetSelectionError", {
  reason: Schema.Literal("Syntax", "UnknownKey", "UnknownLayer"),
  input: Schema.String,
  message: Schema.String,
  /** 1-based column of a parse error. */
  column: Schema.optional(Schema.Number),
  suggestions: Schema.Array(Schema.String)
}) {}

/**
 * Every asset: `*`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const all: Selection = internal.Cases.All()

/**
 * One asset by key. Resolving a key the graph does not have is an error.
 *
 * @since 0.1.0
 * @category constructors
 */
export const key = (key: string): Selection => internal.Cases.Key({ key })

/**
 * Keys matching a pattern: `*` within a segment, `**` across segments. A pattern without `*` formats (and parses back) as a
 * `Key`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const glob = (pattern: string): Selection => internal.Cases.Glob({ pattern })

/**
 * Assets that have the tag, or the tag with exactly this value.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tag = (name: string, value?: string): Selection => internal.Cases.Tag({ name, value })

/**
 * @since 0.1.0
 * @category constructors
 */
export const group = (name: string): Selection => internal.Cases.Group({ name })

/**
 * @since 0.1.0
 * @category constructors
 */
export const layer = (layer: Asset.Layer): Selection => internal.Cases.Layer({ layer })

/**
 * The selection and its ancestors up to `depth` levels (all by default). `depth` is a positive integer or `Infinity`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const upstream = (selection: Selection, depth: number = Infinity): Selection =>
  internal.Cases.Upstream({ selection, depth })

/**
 * The selection and its descendants up to `depth` levels (all by default). `depth` is a positive integer or `Infinity`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const downstream = (selection: Selection, depth: number = Infinity): Selection =>
  internal.Cases.Downstream({ selection, depth })

/**
 * @since 0.1.0
 * @category combinators
 */
export const and = (left: Selection, right: Selection): Selection => internal.Cases.And({ left, right })

/**
 * @since 0.1.0
 * @category combinators
 */
export const or = (left: Selection, right: Selection): Selection => internal.Cases.Or({ left, right })

/**
 * @since 0.1.0
 * @category combinators
 */
export const not = (selection: Selection): Selection => internal.Cases.Not({ selection })

/**
 * Parses a selection string. Pure: it does not look at any graph, so unknown keys are found by `resolve`.
 *
 * **Example**
 * ```ts
 * import { AssetSelection } from "@baliza/core"
 *
 * AssetSelection.parse("a and )")
 * // Left(AssetSelectionError): Unexpected ")" at column 7
 * // a and )
 * //       ^
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const parse = (input: string): Either.Either<Selection, AssetSelectionError> =>
  Either.mapLeft(parser.parse(input), (failure) => new AssetSelectionError({ ...failure, input, suggestions: [] }))

/**
 * The canonical string of a selection; `parse(format(s))` equals `s` for every selection `parse` can produce.
 *
 * @since 0.1.0
 * @category utils
 */
export const format: (selection: Selection) => string = internal.format

/**
 * The set of keys a selection picks. Fails with reason `"UnknownKey"` on a key the graph does not have; filters that match
 * nothing give an empty set (see `unmatched`). Linear in the graph's size per node of the selection.
 *
 * @since 0.1.0
 * @category utils
 */
export const resolve = <E, R>(
  selection: Selection,
  graph: AssetGraph.AssetGraph<E, R>
): Either.Either<ReadonlySet<AssetKey>, AssetSelectionError> =>
  Either.mapLeft(resolver.resolve(selection, graph), (failure) => unknownKeyError(failure, format(selection)))

const unknownKeyError = (failure: resolver.UnknownKeyFailure, input: string) =>
  new AssetSelectionError({ reason: failure.reason, message: failure.message, suggestions: failure.suggestions, input })

/**
 * Like `resolve`, as a list in the graph's topological order.
 *
 * @since 0.1.0
 * @category utils
 */
export const resolveOrdered = <E, R>(
  selection: Selection,
  graph: AssetGraph.AssetGraph<E, R>
): Either.Either<ReadonlyArray<AssetKey>, AssetSelectionError> =>
  Either.map(resolve(selection, graph), (keys) => graph.keys.filter((key) => keys.has(key)))

/**
 * The glob, tag, group and layer filters in a selection that match no asset of the graph, for a "matched nothing" warning.
 *
 * @since 0.1.0
 * @category utils
 */
export const unmatched = <E, R>(selection: Selection, graph: AssetGraph.AssetGraph<E, R>): ReadonlyArray<Selection> =>
  resolver.unmatched(selection, graph)

/**
 * Parses and resolves: `select("pncp/raw/*+", graph)`.
 *
 * @since 0.1.0
 * @category utils
 */
export const select = <E, R>(
  input: string,
  graph: AssetGraph.AssetGraph<E, R>
): Either.Either<ReadonlySet<AssetKey>, AssetSelectionError> =>
  Either.flatMap(
    parse(input),
    (selection) => Either.mapLeft(resolver.resolve(selection, graph), (failure) => unknownKeyError(failure, input))
  )
