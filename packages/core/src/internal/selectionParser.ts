import * as Either from "effect/Either"
import * as Asset from "../Asset.js"
import * as AssetKey from "../AssetKey.js"
import type { Selection } from "../AssetSelection.js"
import { bareAttribute, Cases, isPatternChar, isSegmentChar, operatorWords } from "./selection.js"

/** A parse failure before it becomes an `AssetSelectionError`: the public module adds the input. */
export interface ParseFailure {
  readonly reason: "Syntax" | "UnknownLayer"
  readonly message: string
  readonly column: number
}

// Thrown inside the recursive descent and caught once in `parse`: it keeps the grammar functions readable.
class Failure {
  constructor(readonly reason: ParseFailure["reason"], readonly headline: string, readonly column: number) {}
}

/** Parentheses and `not` recurse; past this the input is not a selection anyone typed. */
const maxNesting = 200

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c)

/** Where a term must end: nothing may be glued to it, so `a+b` is an error rather than a surprise. */
const isBoundary = (c: string | undefined): boolean => c === undefined || c === ")" || c === "," || isSpace(c)

const attributeKinds = ["tag", "group", "layer"] as const
type AttributeKind = typeof attributeKinds[number]

// Sticky (`y`) patterns, matched at the cursor by `matchAt`.
const wordPattern = /[A-Za-z]+/y
const attributePattern = /([A-Za-z]+):/y
const depthPrefixPattern = /\d+\+/y
const digitsPattern = /\d+/y

const caretLine = (input: string, column: number): string =>
  `${input.replace(/\s/g, " ")}\n${" ".repeat(Math.max(0, column - 1))}^`

/** @internal */
export const parse = (input: string): Either.Either<Selection, ParseFailure> => {
  let pos = 0
  let nesting = 0

  const fail = (headline: string, at: number = pos, reason: ParseFailure["reason"] = "Syntax"): never => {
    throw new Failure(reason, headline, at + 1)
  }
  const unexpected = (after?: string): never => {
    const c = input[pos]
    const expected = after === undefined ? "" : `: expected a selection after ${JSON.stringify(after)}`
    const what = c === undefined ? "end of selection" : JSON.stringify(peekWord() ?? c)
    return fail(`Unexpected ${what} at column ${pos + 1}${expected}`)
  }
  // Sticky regular expressions match at `pos` without slicing the rest of the input, which would make long lists quadratic.
  const matchAt = (pattern: RegExp): RegExpExecArray | null => {
    pattern.lastIndex = pos
    return pattern.exec(input)
  }
  const skipSpaces = () => {
    while (isSpace(input[pos])) pos++
  }
  const enter = () => {
    if (++nesting > maxNesting) fail(`Selection nests more than ${maxNesting} levels deep at column ${pos + 1}`)
  }

  /** The operator word at `pos`, if there is one: a whole word, not the start of a key such as `android`. */
  const peekWord = (): string | undefined => {
    const match = matchAt(wordPattern)
    if (match === null) return undefined
    const word = match[0].toLowerCase()
    const next = input[pos + match[0].length]
    return operatorWords.has(word) && (isBoundary(next) || next === "(" || next === "\"") ? word : undefined
  }

  const parseOr = (): Selection => {
    let left = parseAnd()
    for (;;) {
      skipSpaces()
      const c = input[pos]
      if (c === undefined || c === ")") return left
      if (c === ",") {
        pos++
        left = Cases.Or({ left, right: parseAnd(",") })
      } else if (peekWord() === "or") {
        pos += 2
        left = Cases.Or({ left, right: parseAnd("or") })
      } else {
        // Juxtaposition: `a b` is `a or b`, like a list of CLI arguments.
        left = Cases.Or({ left, right: parseAnd() })
      }
    }
  }

  const parseAnd = (after?: string): Selection => {
    let left = parseNot(after)
    for (;;) {
      skipSpaces()
      if (peekWord() !== "and") return left
      pos += 3
      left = Cases.And({ left, right: parseNot("and") })
    }
  }

  const parseNot = (after?: string): Selection => {
    skipSpaces()
    if (peekWord() !== "not") return parseTerm(after)
    pos += 3
    enter()
    const selection = Cases.Not({ selection: parseNot("not") })
    nesting--
    return selection
  }

  const parseTerm = (after?: string): Selection => {
    skipSpaces()
    if (peekWord() !== undefined || isBoundary(input[pos])) unexpected(after)
    const up = parseUpPrefix()
    const atom = parseAtom(up === undefined ? after : up.text)
    const down = parseDownSuffix()
    if (!isBoundary(input[pos])) unexpected()
    if (up === undefined) return down === undefined ? atom : Cases.Downstream({ selection: atom, depth: down })
    const upstream = Cases.Upstream({ selection: atom, depth: up.depth })
    // `+k+` is k with its parents and its children, not the parents of its children.
    return down === undefined
      ? upstream
      : Cases.Or({ left: upstream, right: Cases.Downstream({ selection: atom, depth: down }) })
  }

  const parseUpPrefix = (): { readonly depth: number; readonly text: string } | undefined => {
    const c = input[pos]
    const digits = matchAt(depthPrefixPattern)
    if (digits !== null) {
      const next = input[pos + digits[0].length]
      // `2024+` with nothing after is the key `2024` and its children; `2+k` is two levels of k's ancestors.
      if (isSegmentChar(next) || next === "\"" || next === "(" || next === "*") {
        const depth = Number(digits[0].slice(0, -1))
        if (depth < 1) fail(`A depth must be at least 1 at column ${pos + 1}`)
        pos += digits[0].length
        return { depth, text: digits[0] }
      }
      return undefined
    }
    if (c === "+") {
      pos++
      return { depth: 1, text: "+" }
    }
    const next = input[pos + 1]
    // A leading `*` is the ancestors operator only when a key, a quote or a parenthesis follows: `*/raw/x` and `**` are globs.
    if (c === "*" && (isSegmentChar(next) || next === "\"" || next === "(")) {
      pos++
      return { depth: Infinity, text: "*" }
    }
    return undefined
  }

  const parseDownSuffix = (): number | undefined => {
    const c = input[pos]
    if (c === "*") {
      pos++
      return Infinity
    }
    if (c !== "+") return undefined
    pos++
    const digits = matchAt(digitsPattern)
    if (digits === null) return 1
    const depth = Number(digits[0])
    if (depth < 1) fail(`A depth must be at least 1 at column ${pos + 1}`)
    pos += digits[0].length
    return depth
  }

  const parseAtom = (after: string | undefined): Selection => {
    const c = input[pos]
    if (c === "(") {
      const open = pos
      enter()
      pos++
      skipSpaces()
      if (input[pos] === ")") unexpected("(")
      const selection = parseOr()
      if (input[pos] !== ")") fail(`Missing ")" at column ${pos + 1} to close the "(" at column ${open + 1}`)
      pos++
      nesting--
      return selection
    }
    if (c === "\"") {
      const start = pos
      const text = parseQuoted()
      return text.includes("*") ? makeGlob(text, start) : makeKey(text, start)
    }
    const attribute = matchAt(attributePattern)
    if (attribute !== null) {
      const kind = attributeKinds.find((k) => k === attribute[1].toLowerCase())
      if (kind === undefined) {
        fail(`Unknown attribute "${attribute[1]}:" at column ${pos + 1}: expected "tag:", "group:" or "layer:"`)
      } else {
        pos += attribute[0].length
        return parseAttribute(kind)
      }
    }
    if (c === "*" && !isPatternChar(input[pos + 1])) {
      pos++
      return Cases.All()
    }
    if (!isPatternChar(c)) return unexpected(after)
    const start = pos
    while (isPatternChar(input[pos])) pos++
    // A trailing `*` right after a key character is the descendants operator (`k*`); after `/` or `*` it is the glob's.
    if (input[pos - 1] === "*" && pos - start >= 2 && isSegmentChar(input[pos - 2])) pos--
    const text = input.slice(start, pos)
    return text.includes("*") ? makeGlob(text, start) : makeKey(text, start)
  }

  const parseQuoted = (): string => {
    const start = pos
    pos++
    let text = ""
    for (;;) {
      const c = input[pos]
      if (c === undefined) return fail(`Unterminated quote: the quote at column ${start + 1} is never closed`, start)
      pos++
      if (c === "\"") return text
      if (c === "\\") {
        const escaped = input[pos]
        if (escaped === undefined) {
          return fail(`Unterminated quote: the quote at column ${start + 1} is never closed`, start)
        }
        text += escaped
        pos++
      } else text += c
    }
  }

  const makeKey = (text: string, start: number): Selection =>
    Either.match(AssetKey.parse(text), {
      onLeft: (error) => fail(`${error.message} (at column ${start + 1})`, start),
      onRight: (key) => Cases.Key({ key })
    })

  const makeGlob = (pattern: string, start: number): Selection => {
    const bad = pattern.split("/").find((segment) => !/^[A-Za-z0-9_.*-]+$/.test(segment))
    if (bad !== undefined) {
      const problem = bad === "" ?
        "it has an empty segment" :
        `segment "${bad}" may only use letters, digits, "_", ".", "-" and "*"`
      fail(`Invalid pattern "${pattern}" at column ${start + 1}: ${problem}`, start)
    }
    return Cases.Glob({ pattern })
  }

  const parseAttributeText = (what: string): string => {
    const start = pos
    if (input[pos] === "\"") {
      const text = parseQuoted()
      if (text === "" && what !== "tag value") fail(`Expected a ${what} at column ${start + 1}`, start)
      return text
    }
    while (input[pos] !== undefined && bareAttribute.test(input[pos])) pos++
    if (pos === start) fail(`Expected a ${what} at column ${start + 1}`)
    return input.slice(start, pos)
  }

  const parseAttribute = (kind: AttributeKind): Selection => {
    const start = pos
    switch (kind) {
      case "tag": {
        const name = parseAttributeText("tag name")
        if (input[pos] !== "=") return Cases.Tag({ name, value: undefined })
        pos++
        return Cases.Tag({ name, value: parseAttributeText("tag value") })
      }
      case "group":
        return Cases.Group({ name: parseAttributeText("group name") })
      case "layer": {
        const name = parseAttributeText("layer").toLowerCase()
        const layer = Asset.layers.find((l) => l === name)
        if (layer === undefined) {
          const valid = Asset.layers.map((l) => JSON.stringify(l)).join(", ")
          return fail(`Unknown layer "${name}" at column ${start + 1}: expected one of ${valid}`, start, "UnknownLayer")
        }
        return Cases.Layer({ layer })
      }
    }
  }

  try {
    if (input.trim() === "") fail("The selection is empty", 0)
    const selection = parseOr()
    // `parseOr` stops only at the end or at a ")" nobody opened.
    if (pos < input.length) unexpected()
    return Either.right(selection)
  } catch (error) {
    if (!(error instanceof Failure)) throw error
    return Either.left({
      reason: error.reason,
      message: `${error.headline}\n${caretLine(input, error.column)}`,
      column: error.column
    })
  }
}
