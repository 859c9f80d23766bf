import * as Data from "effect/Data"
import type { Selection } from "../AssetSelection.js"

/** @internal */
export const Cases = Data.taggedEnum<Selection>()

/** @internal */
export const operatorWords: ReadonlySet<string> = new Set(["and", "or", "not"])

/** A character that may appear in a key segment. */
export const isSegmentChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_.-]/.test(c)

/** A character of an unquoted key or glob. */
export const isPatternChar = (c: string | undefined): boolean => c === "/" || c === "*" || isSegmentChar(c)

/** Attribute names and values (`tag:`, `group:`) that need no quotes. */
export const bareAttribute = /^[A-Za-z0-9_./:@-]+$/

const escapeRegExp = (c: string) => c.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&")

/**
 * `*` matches within a segment, `**` across segments. A `**` that is a whole segment followed by a slash also matches zero
 * segments: the segments `a`, `**`, `b` match `a/b` as well as `a/x/y/b`. Runs of three or more stars behave as `**`.
 *
 * @internal
 */
export const globToRegExp = (pattern: string): RegExp => {
  let source = ""
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]
    if (c !== "*") {
      source += escapeRegExp(c)
      i++
      continue
    }
    let stars = 0
    while (pattern[i + stars] === "*") stars++
    const wholeSegmentStart = i === 0 || pattern[i - 1] === "/"
    if (stars === 1) source += "[^/]*"
    else if (wholeSegmentStart && pattern[i + stars] === "/") {
      source += "(?:.*/)?"
      stars++ // the "/" is part of the optional group
    } else source += ".*"
    i += stars
  }
  return new RegExp(`^${source}$`)
}

const quote = (text: string): string => `"${text.replace(/[\\"]/g, "\\$&")}"`

const keyText = (key: string): string =>
  operatorWords.has(key.toLowerCase()) || /^\d+$/.test(key) || !/^[A-Za-z0-9_./-]+$/.test(key) ? quote(key) : key

/** A glob is written bare only when its first and last `*` cannot be read as the ancestors/descendants operators. */
const globText = (pattern: string): string => {
  const bare = /^[A-Za-z0-9_./*-]+$/.test(pattern) && pattern.includes("*") && pattern !== "*" &&
    !(pattern.startsWith("*") && isSegmentChar(pattern[1])) &&
    !(pattern.endsWith("*") && isSegmentChar(pattern[pattern.length - 2]))
  return bare ? pattern : quote(pattern)
}

const attributeText = (text: string): string => bareAttribute.test(text) ? text : quote(text)

const atomText = (selection: Selection): string | undefined => {
  switch (selection._tag) {
    case "Key":
      return keyText(selection.key)
    case "Glob":
      return globText(selection.pattern)
    case "Tag":
      return `tag:${attributeText(selection.name)}${
        selection.value === undefined ? "" : `=${attributeText(selection.value)}`
      }`
    case "Group":
      return `group:${attributeText(selection.name)}`
    case "Layer":
      return `layer:${selection.layer}`
    default:
      return undefined
  }
}

/** What an operator is applied to: a plain atom, or anything else in parentheses. Globs are quoted so their stars stay theirs. */
const operandText = (selection: Selection): string =>
  selection._tag === "Glob"
    ? quote(selection.pattern)
    : atomText(selection) ?? `(${formatAt(selection, Level.Or)})`

const upPrefix = (depth: number): string => depth === Infinity ? "*" : depth === 1 ? "+" : `${depth}+`
const downSuffix = (depth: number): string => depth === Infinity ? "*" : depth === 1 ? "+" : `+${depth}`

// Binding strength of the context a selection is printed in.
type Level = 0 | 1 | 2
const Level = { Or: 0, And: 1, Not: 2 } as const

const parenthesize = (needed: boolean, text: string) => needed ? `(${text})` : text

/** Left spine of a chain of one binary operator, iteratively, so a 10,000-term `a,b,c,...` list does not recurse. */
export const flatten = (selection: Selection, tag: "And" | "Or"): ReadonlyArray<Selection> => {
  const rights: Array<Selection> = []
  let current = selection
  while (current._tag === tag) {
    rights.push(current.right)
    current = current.left
  }
  rights.push(current)
  return rights.reverse()
}

const formatAt = (selection: Selection, level: Level): string => {
  switch (selection._tag) {
    case "Or": {
      const [first, ...rest] = flatten(selection, "Or")
      const text = [formatAt(first, Level.Or), ...rest.map((part) => formatAt(part, Level.And))].join(" or ")
      return parenthesize(level > Level.Or, text)
    }
    case "And": {
      const [first, ...rest] = flatten(selection, "And")
      const text = [formatAt(first, Level.And), ...rest.map((part) => formatAt(part, Level.Not))].join(" and ")
      return parenthesize(level > Level.And, text)
    }
    case "Not":
      return `not ${formatAt(selection.selection, Level.Not)}`
    case "Upstream":
      return `${upPrefix(selection.depth)}${operandText(selection.selection)}`
    case "Downstream":
      return `${operandText(selection.selection)}${downSuffix(selection.depth)}`
    case "All":
      return "*"
    default:
      return atomText(selection) ?? ""
  }
}

/** @internal */
export const format = (selection: Selection): string => formatAt(selection, Level.Or)
