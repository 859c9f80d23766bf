import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Equal, FastCheck as fc } from "effect"
import * as Asset from "../src/Asset.js"
import * as AssetGraph from "../src/AssetGraph.js"
import * as AssetKey from "../src/AssetKey.js"
import * as S from "../src/AssetSelection.js"
import { levenshtein } from "../src/internal/selectionResolve.js"

const noop = () => Effect.void

const parsed = (input: string): S.Selection =>
  Either.getOrThrowWith(S.parse(input), (error) => new Error(`"${input}" did not parse: ${error.message}`))

const assertParses = (input: string, expected: S.Selection) => {
  const actual = parsed(input)
  assert.isTrue(
    Equal.equals(actual, expected),
    `"${input}" parsed as ${S.format(actual)}, expected ${S.format(expected)}`
  )
}

const parseError = (input: string): S.AssetSelectionError =>
  Either.match(S.parse(input), {
    onLeft: (error) => error,
    onRight: (selection) => assert.fail(`"${input}" parsed as ${S.format(selection)}, expected an error`)
  })

const k = S.key

/**
 * pncp/raw/contratos ──► pncp/staging/contratos ──┐
 *                                                 ├──► pncp/mart/fornecedores ──► report/weekly
 * pncp/raw/orgaos ─────► pncp/staging/orgaos ─────┘
 * ibge/raw/municipios (alone)
 */
const graph = Either.getOrThrow(AssetGraph.make([
  Asset.make({ key: "pncp/raw/contratos", layer: "raw", group: "pncp", tags: { source: "api" }, materialize: noop }),
  Asset.make({ key: "pncp/raw/orgaos", layer: "raw", group: "pncp", tags: { source: "api" }, materialize: noop }),
  Asset.make({
    key: "pncp/staging/contratos",
    deps: ["pncp/raw/contratos"],
    layer: "staging",
    group: "pncp",
    materialize: noop
  }),
  Asset.make({
    key: "pncp/staging/orgaos",
    deps: ["pncp/raw/orgaos"],
    layer: "staging",
    group: "pncp",
    materialize: noop
  }),
  Asset.make({
    key: "pncp/mart/fornecedores",
    deps: ["pncp/staging/contratos", "pncp/staging/orgaos"],
    layer: "mart",
    group: "pncp",
    tags: { pii: "", owner: "Ana Lima" },
    materialize: noop
  }),
  Asset.make({ key: "report/weekly", deps: ["pncp/mart/fornecedores"], tags: { owner: "bot" }, materialize: noop }),
  Asset.make({ key: "ibge/raw/municipios", layer: "raw", group: "ibge", tags: { source: "file" }, materialize: noop })
]))

const selected = (input: string): Array<string> =>
  Either.match(S.select(input, graph), {
    onLeft: (error) => assert.fail(`"${input}" failed: ${error.message}`),
    onRight: (keys) => [...keys].sort()
  })

const selectError = (input: string): S.AssetSelectionError =>
  Either.match(S.select(input, graph), {
    onLeft: (error) => error,
    onRight: (keys) => assert.fail(`"${input}" selected ${[...keys].join(", ")}, expected an error`)
  })

describe("AssetSelection.parse", () => {
  it("reads keys, globs and everything", () => {
    assertParses("pncp/raw/contratos", k("pncp/raw/contratos"))
    assertParses("pncp/raw/*", S.glob("pncp/raw/*"))
    assertParses("pncp/*/contratos", S.glob("pncp/*/contratos"))
    assertParses("pncp/**", S.glob("pncp/**"))
    assertParses("**", S.glob("**"))
    assertParses("*/raw/contratos", S.glob("*/raw/contratos"))
    assertParses("pncp/raw/contr*os", S.glob("pncp/raw/contr*os"))
    assertParses("*", S.all)
    assertParses("  *  ", S.all)
  })

  it("reads depth prefixes and suffixes", () => {
    assertParses("+a", S.upstream(k("a"), 1))
    assertParses("2+a", S.upstream(k("a"), 2))
    assertParses("*a", S.upstream(k("a")))
    assertParses("a+", S.downstream(k("a"), 1))
    assertParses("a+3", S.downstream(k("a"), 3))
    assertParses("a*", S.downstream(k("a")))
    assertParses("+a+", S.or(S.upstream(k("a"), 1), S.downstream(k("a"), 1)))
    assertParses("*a*", S.or(S.upstream(k("a")), S.downstream(k("a"))))
    assertParses("12+a+2", S.or(S.upstream(k("a"), 12), S.downstream(k("a"), 2)))
  })

  it("tells the descendants operator from a glob star", () => {
    assertParses("pncp/raw/contratos*", S.downstream(k("pncp/raw/contratos")))
    assertParses("pncp/*/contratos*", S.downstream(S.glob("pncp/*/contratos")))
    assertParses("*pncp/raw/*", S.upstream(S.glob("pncp/raw/*")))
    assertParses("\"pncp/raw/contr*\"", S.glob("pncp/raw/contr*"))
    assertParses("\"*_contratos\"*", S.downstream(S.glob("*_contratos")))
    assertParses("*\"pncp/raw/*\"", S.upstream(S.glob("pncp/raw/*")))
  })

  it("reads digits as a depth only before an atom", () => {
    assertParses("2024/raw", k("2024/raw"))
    assertParses("2024+", S.downstream(k("2024"), 1))
    assertParses("2+3", S.upstream(k("3"), 2))
    assertParses("\"2\"+3", S.downstream(k("2"), 3))
  })

  it("applies operators to attributes and parenthesized selections", () => {
    assertParses("+tag:pii", S.upstream(S.tag("pii"), 1))
    assertParses("layer:raw*", S.downstream(S.layer("raw")))
    assertParses("2+(a or b)", S.upstream(S.or(k("a"), k("b")), 2))
    assertParses("(a and b)+", S.downstream(S.and(k("a"), k("b")), 1))
    assertParses("+(*)", S.upstream(S.all, 1))
  })

  it("reads attributes", () => {
    assertParses("tag:pii", S.tag("pii"))
    assertParses("tag:source=api", S.tag("source", "api"))
    assertParses("tag:owner=\"Ana Lima\"", S.tag("owner", "Ana Lima"))
    assertParses("tag:\"a \\\"b\\\"\"=\"\"", S.tag("a \"b\"", ""))
    assertParses("tag:dagster/kind=duckdb", S.tag("dagster/kind", "duckdb"))
    assertParses("group:pncp", S.group("pncp"))
    assertParses("layer:staging", S.layer("staging"))
    assertParses("LAYER:Mart", S.layer("mart"))
  })

  it("gives or the lowest precedence, then and, then not", () => {
    assertParses("a and b or c", S.or(S.and(k("a"), k("b")), k("c")))
    assertParses("a or b and c", S.or(k("a"), S.and(k("b"), k("c"))))
    assertParses("not a and b", S.and(S.not(k("a")), k("b")))
    assertParses("not (a or b)", S.not(S.or(k("a"), k("b"))))
    assertParses("not not a", S.not(S.not(k("a"))))
    assertParses("a or b or c", S.or(S.or(k("a"), k("b")), k("c")))
    assertParses("A AND b Or NOT c", S.or(S.and(k("A"), k("b")), S.not(k("c"))))
    assertParses("not(a)", S.not(k("a")))
  })

  it("reads commas and whitespace as or", () => {
    assertParses("a,b", S.or(k("a"), k("b")))
    assertParses("a, b ,c", S.or(S.or(k("a"), k("b")), k("c")))
    assertParses("a b\tc", S.or(S.or(k("a"), k("b")), k("c")))
    assertParses("a and b c", S.or(S.and(k("a"), k("b")), k("c")))
  })

  it("reads quoted keys, so operator words can be keys", () => {
    assertParses("\"and\"", k("and"))
    assertParses("\"or\" or \"not\"", S.or(k("or"), k("not")))
    assertParses("android or notes", S.or(k("android"), k("notes")))
  })

  it("reports a syntax error with its column and a caret", () => {
    const error = parseError("a and )")
    assert.strictEqual(error.reason, "Syntax")
    assert.strictEqual(error.column, 7)
    assert.strictEqual(error.input, "a and )")
    assert.strictEqual(
      error.message,
      "Unexpected \")\" at column 7: expected a selection after \"and\"\na and )\n      ^"
    )
    assert.deepStrictEqual(error.suggestions, [])
  })

  it("explains each syntax error", () => {
    const headline = (input: string) => parseError(input).message.split("\n")[0]
    assert.strictEqual(headline("a)"), "Unexpected \")\" at column 2")
    assert.strictEqual(headline("a and"), "Unexpected end of selection at column 6: expected a selection after \"and\"")
    assert.strictEqual(headline("a,"), "Unexpected end of selection at column 3: expected a selection after \",\"")
    assert.strictEqual(headline("(a or b"), "Missing \")\" at column 8 to close the \"(\" at column 1")
    assert.strictEqual(headline("()"), "Unexpected \")\" at column 2: expected a selection after \"(\"")
    assert.strictEqual(headline("   "), "The selection is empty")
    assert.strictEqual(headline("a \"b"), "Unterminated quote: the quote at column 3 is never closed")
    assert.strictEqual(headline("a+b"), "Unexpected \"b\" at column 3")
    assert.strictEqual(headline("+ a"), "Unexpected \" \" at column 2: expected a selection after \"+\"")
    assert.strictEqual(headline("0+a"), "A depth must be at least 1 at column 1")
    assert.strictEqual(headline("a+0"), "A depth must be at least 1 at column 3")
    assert.strictEqual(
      headline("owner:ana"),
      "Unknown attribute \"owner:\" at column 1: expected \"tag:\", \"group:\" or \"layer:\""
    )
    assert.strictEqual(headline("tag:"), "Expected a tag name at column 5")
    assert.strictEqual(headline("tag:a="), "Expected a tag value at column 7")
    assert.strictEqual(headline("a or and"), "Unexpected \"and\" at column 6: expected a selection after \"or\"")
    assert.strictEqual(headline("a & b"), "Unexpected \"&\" at column 3")
    assert.strictEqual(
      headline("pncp//x"),
      "Invalid asset key: \"pncp//x\" has an empty segment (keys look like \"pncp/raw/contratos\") (at column 1)"
    )
    assert.strictEqual(headline("pncp//*"), "Invalid pattern \"pncp//*\" at column 1: it has an empty segment")
    assert.strictEqual(
      headline("(".repeat(300) + "a" + ")".repeat(300)),
      "Selection nests more than 200 levels deep at column 201"
    )
  })

  it("puts the caret under the column even with tabs and newlines", () => {
    assert.strictEqual(
      parseError("a\tor\n)").message,
      "Unexpected \")\" at column 6: expected a selection after \"or\"\na or )\n     ^"
    )
  })

  it("rejects an unknown layer and lists the valid ones", () => {
    const error = parseError("a or layer:gold")
    assert.strictEqual(error.reason, "UnknownLayer")
    assert.strictEqual(error.column, 12)
    assert.strictEqual(
      error.message,
      "Unknown layer \"gold\" at column 12: expected one of \"raw\", \"staging\", \"mart\"\na or layer:gold\n           ^"
    )
  })
})

describe("AssetSelection.format", () => {
  it("writes the canonical form", () => {
    assert.strictEqual(S.format(parsed("a  ,b AND NOT c")), "a or b and not c")
    assert.strictEqual(S.format(parsed("+a+")), "+a or a+")
    assert.strictEqual(S.format(S.and(k("a"), S.or(k("b"), k("c")))), "a and (b or c)")
    assert.strictEqual(S.format(S.or(k("a"), S.or(k("b"), k("c")))), "a or (b or c)")
    assert.strictEqual(S.format(S.not(S.and(k("a"), k("b")))), "not (a and b)")
    assert.strictEqual(S.format(S.downstream(S.glob("pncp/raw/*"))), "\"pncp/raw/*\"*")
    assert.strictEqual(S.format(S.upstream(S.upstream(k("a"), 1), 2)), "2+(+a)")
    assert.strictEqual(S.format(S.downstream(S.all, 3)), "(*)+3")
    assert.strictEqual(S.format(S.glob("*_contratos")), "\"*_contratos\"")
    assert.strictEqual(S.format(S.glob("pncp/raw/*")), "pncp/raw/*")
    assert.strictEqual(S.format(S.tag("owner", "Ana \"A\" Lima")), "tag:owner=\"Ana \\\"A\\\" Lima\"")
    assert.strictEqual(S.format(k("2024")), "\"2024\"")
    assert.strictEqual(S.format(k("not")), "\"not\"")
  })
})

describe("AssetSelection.resolve", () => {
  it("selects by key, glob and everything", () => {
    assert.deepStrictEqual(selected("pncp/raw/contratos"), ["pncp/raw/contratos"])
    assert.deepStrictEqual(selected("pncp/raw/*"), ["pncp/raw/contratos", "pncp/raw/orgaos"])
    assert.deepStrictEqual(selected("*/raw/*"), ["ibge/raw/municipios", "pncp/raw/contratos", "pncp/raw/orgaos"])
    assert.deepStrictEqual(selected("pncp/*/contratos"), ["pncp/raw/contratos", "pncp/staging/contratos"])
    assert.deepStrictEqual(selected("**/contratos"), ["pncp/raw/contratos", "pncp/staging/contratos"])
    assert.deepStrictEqual(selected("\"*\""), [])
    assert.deepStrictEqual(selected("report/**"), ["report/weekly"])
    assert.deepStrictEqual(selected("pncp/**/fornecedores"), ["pncp/mart/fornecedores"])
    assert.strictEqual(selected("*").length, 7)
  })

  it("walks parents and children to a depth", () => {
    assert.deepStrictEqual(selected("+pncp/staging/contratos"), ["pncp/raw/contratos", "pncp/staging/contratos"])
    assert.deepStrictEqual(selected("pncp/staging/contratos+"), ["pncp/mart/fornecedores", "pncp/staging/contratos"])
    assert.deepStrictEqual(selected("+report/weekly"), ["pncp/mart/fornecedores", "report/weekly"])
    assert.deepStrictEqual(selected("2+report/weekly"), [
      "pncp/mart/fornecedores",
      "pncp/staging/contratos",
      "pncp/staging/orgaos",
      "report/weekly"
    ])
    assert.strictEqual(selected("*report/weekly").length, 6)
    assert.deepStrictEqual(selected("pncp/raw/orgaos*"), [
      "pncp/mart/fornecedores",
      "pncp/raw/orgaos",
      "pncp/staging/orgaos",
      "report/weekly"
    ])
    assert.deepStrictEqual(selected("+pncp/mart/fornecedores+"), [
      "pncp/mart/fornecedores",
      "pncp/staging/contratos",
      "pncp/staging/orgaos",
      "report/weekly"
    ])
  })

  it("selects by tag, group and layer", () => {
    assert.deepStrictEqual(selected("tag:source"), ["ibge/raw/municipios", "pncp/raw/contratos", "pncp/raw/orgaos"])
    assert.deepStrictEqual(selected("tag:source=file"), ["ibge/raw/municipios"])
    assert.deepStrictEqual(selected("tag:pii"), ["pncp/mart/fornecedores"])
    assert.deepStrictEqual(selected("tag:pii=\"\""), ["pncp/mart/fornecedores"])
    assert.deepStrictEqual(selected("tag:owner=\"Ana Lima\""), ["pncp/mart/fornecedores"])
    assert.deepStrictEqual(selected("tag:toString"), [])
    assert.deepStrictEqual(selected("group:ibge"), ["ibge/raw/municipios"])
    assert.deepStrictEqual(selected("group:default"), ["report/weekly"])
    assert.deepStrictEqual(selected("layer:mart"), ["pncp/mart/fornecedores"])
  })

  it("combines with and, or and not", () => {
    assert.deepStrictEqual(selected("layer:raw and group:pncp"), ["pncp/raw/contratos", "pncp/raw/orgaos"])
    assert.deepStrictEqual(selected("layer:raw and not tag:source=api"), ["ibge/raw/municipios"])
    assert.deepStrictEqual(selected("layer:mart, report/weekly"), ["pncp/mart/fornecedores", "report/weekly"])
    assert.deepStrictEqual(selected("not group:pncp"), ["ibge/raw/municipios", "report/weekly"])
    assert.deepStrictEqual(selected("*report/weekly and layer:staging"), [
      "pncp/staging/contratos",
      "pncp/staging/orgaos"
    ])
  })

  it("returns keys in topological order on request", () => {
    const ordered = Either.getOrThrow(S.resolveOrdered(parsed("report/weekly or pncp/raw/orgaos+"), graph))
    assert.deepStrictEqual<ReadonlyArray<string>>(ordered, ["pncp/raw/orgaos", "pncp/staging/orgaos", "report/weekly"])
  })

  it("rejects an unknown key and suggests the nearest", () => {
    const error = selectError("layer:raw or pncp/raw/contrato")
    assert.strictEqual(error.reason, "UnknownKey")
    assert.strictEqual(error.input, "layer:raw or pncp/raw/contrato")
    assert.strictEqual(error.message, "Unknown asset \"pncp/raw/contrato\". Did you mean \"pncp/raw/contratos\"?")
    assert.deepStrictEqual(error.suggestions, ["pncp/raw/contratos"])
  })

  it("suggests keys by their last segment, up to three", () => {
    assert.strictEqual(
      selectError("contratos").message,
      "Unknown asset \"contratos\". Did you mean \"pncp/raw/contratos\" or \"pncp/staging/contratos\"?"
    )
    assert.deepStrictEqual(selectError("pncp/raw/orgao").suggestions, ["pncp/raw/orgaos"])
    assert.deepStrictEqual(selectError("pncp/bronze/orgaos").suggestions, ["pncp/raw/orgaos", "pncp/staging/orgaos"])
    assert.deepStrictEqual(selectError("PNCP/RAW/ORGAOS").suggestions[0], "pncp/raw/orgaos")
    assert.strictEqual(selectError("zzzzzz").message, "Unknown asset \"zzzzzz\".")
    const many = Either.getOrThrow(AssetGraph.make(
      ["a/x1", "b/x1", "c/x1", "d/x1"].map((key) => Asset.make({ key, materialize: noop }))
    ))
    const suggestions = Either.match(S.select("x1", many), { onLeft: (e) => e.suggestions, onRight: () => [] })
    assert.deepStrictEqual(suggestions, ["a/x1", "b/x1", "c/x1"])
  })

  it("explains a trailing star after a key that does not exist", () => {
    assert.strictEqual(
      selectError("pncp/raw/contr*").message,
      "Unknown asset \"pncp/raw/contr\". Did you mean \"pncp/raw/contratos\"? (A trailing \"*\" after a key means \"and all its " +
        "descendants\"; to match keys by pattern, quote it: \"pncp/raw/contr*\".)"
    )
    assert.deepStrictEqual(selected("\"pncp/raw/contr*\""), ["pncp/raw/contratos"])
  })

  it("resolves a filter that matches nothing to nothing, and lists it in unmatched", () => {
    const selection = parsed("pncp/raw/contratos or tag:nope or group:pncp or \"x/*\"")
    const keys = Either.getOrThrow(S.resolve(selection, graph))
    assert.strictEqual(keys.size, 5)
    assert.deepStrictEqual(S.unmatched(selection, graph).map(S.format), ["tag:nope", "x/*"])
    assert.deepStrictEqual(S.unmatched(parsed("*"), graph), [])
  })

  it("formats a resolve error's input from the selection", () => {
    const error = Either.match(S.resolve(S.and(k("x"), S.layer("raw")), graph), {
      onLeft: (e) => e,
      onRight: () => assert.fail("expected an error")
    })
    assert.strictEqual(error.input, "x and layer:raw")
  })
})

// --- properties ------------------------------------------------------------------------------------------------------

interface Spec {
  readonly deps: ReadonlyArray<ReadonlyArray<number>>
  readonly tags: ReadonlyArray<Readonly<Record<string, string>>>
  readonly groups: ReadonlyArray<string>
  readonly layers: ReadonlyArray<Asset.Layer | undefined>
}

const nameOf = (i: number) => `${["src", "stg", "out"][i % 3]}/a${i}`

const specArb: fc.Arbitrary<Spec> = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    deps: fc.tuple(
      ...Array.from(
        { length: n },
        (_, i) => i === 0 ? fc.constant([]) : fc.uniqueArray(fc.nat(i - 1), { maxLength: 3 })
      )
    ),
    tags: fc.array(fc.dictionary(fc.constantFrom("pii", "owner", "tier"), fc.constantFrom("", "a", "b")), {
      minLength: n,
      maxLength: n
    }),
    groups: fc.array(fc.constantFrom("g1", "g2", "default"), { minLength: n, maxLength: n }),
    layers: fc.array(fc.constantFrom<Asset.Layer | undefined>("raw", "staging", "mart", undefined), {
      minLength: n,
      maxLength: n
    })
  })
)

const build = (spec: Spec) =>
  Either.getOrThrow(AssetGraph.make(spec.deps.map((deps, i) =>
    Asset.make({
      key: nameOf(i),
      deps: deps.map(nameOf),
      tags: spec.tags[i],
      group: spec.groups[i],
      ...(spec.layers[i] === undefined ? {} : { layer: spec.layers[i] }),
      materialize: noop
    })
  )))

/** Selections over a graph of `n` assets, keys only from the graph so they resolve. */
const selectionArb = (n: number): fc.Arbitrary<S.Selection> => {
  const depth = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(Infinity))
  const { selection } = fc.letrec<{ selection: S.Selection }>((tie) => ({
    selection: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.oneof(
        fc.nat(n - 1).map((i) => k(nameOf(i))),
        fc.constantFrom("src/*", "*/a1*", "**", "stg/**", "out/a?").map((p) => S.glob(p.replace("?", "*"))),
        fc.tuple(fc.constantFrom("pii", "owner", "tier"), fc.option(fc.constantFrom("", "a", "b"), { nil: undefined }))
          .map(([name, value]) => S.tag(name, value)),
        fc.constantFrom("g1", "g2", "default").map(S.group),
        fc.constantFrom<Asset.Layer>("raw", "staging", "mart").map(S.layer),
        fc.constant(S.all)
      ),
      fc.tuple(tie("selection"), depth).map(([s, d]) => S.upstream(s, d)),
      fc.tuple(tie("selection"), depth).map(([s, d]) => S.downstream(s, d)),
      fc.tuple(tie("selection"), tie("selection")).map(([l, r]) => S.and(l, r)),
      fc.tuple(tie("selection"), tie("selection")).map(([l, r]) => S.or(l, r)),
      tie("selection").map(S.not)
    )
  }))
  return selection
}

const withSelections = specArb.chain((spec) =>
  fc.tuple(
    fc.constant(spec),
    selectionArb(spec.deps.length),
    selectionArb(spec.deps.length),
    fc.nat(spec.deps.length - 1)
  )
)

const keysOf = (selection: S.Selection, g: AssetGraph.AssetGraph<unknown, unknown>): ReadonlySet<string> =>
  Either.getOrThrow(S.resolve(selection, g))

const sorted = (keys: Iterable<string>) => [...new Set(keys)].sort()

describe("AssetSelection properties", () => {
  it.prop("or is union, and is intersection, not is complement", [withSelections], ([[spec, a, b]]) => {
    const g = build(spec)
    const A = keysOf(a, g)
    const B = keysOf(b, g)
    assert.deepStrictEqual(sorted(keysOf(S.or(a, b), g)), sorted(new Set([...A, ...B])))
    assert.deepStrictEqual(sorted(keysOf(S.and(a, b), g)), sorted([...A].filter((key) => B.has(key))))
    assert.deepStrictEqual(sorted(keysOf(S.not(a), g)), sorted(g.keys.filter((key) => !A.has(key))))
  })

  it.prop("+k holds k and its parents; *k and k* are the graph's closures", [withSelections], ([[spec, , , i]]) => {
    const g = build(spec)
    const key = AssetKey.make(nameOf(i))
    const up1 = keysOf(parsed(`+${key}`), g)
    for (const expected of [key, ...g.parents(key)]) assert.isTrue(up1.has(expected))
    assert.deepStrictEqual(sorted(keysOf(parsed(`*${key}`), g)), sorted(AssetGraph.upstream(g, [key])))
    assert.deepStrictEqual(sorted(keysOf(parsed(`${key}*`), g)), sorted(AssetGraph.downstream(g, [key])))
    assert.deepStrictEqual(
      sorted(keysOf(parsed(`2+${key}+3`), g)),
      sorted([
        ...AssetGraph.upstream(g, [key], 2),
        ...AssetGraph.downstream(g, [key], 3)
      ])
    )
    const ordered = Either.getOrThrow(S.resolveOrdered(parsed(`*${key}*`), g))
    assert.deepStrictEqual(ordered, g.keys.filter((x) => ordered.includes(x)))
  })

  const wordArb = fc.oneof(
    fc.constantFrom("and", "or", "not", "OR", "2024", "7", "tag", "a.b", "x-1", "_"),
    fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,6}$/)
  )
  const keyArb = fc.array(wordArb, { minLength: 1, maxLength: 3 }).map((segments) => segments.join("/"))
  const globArb = fc.array(
    fc.oneof(wordArb, fc.constantFrom("*", "**", "a*", "*b", "c*d", "**x")),
    { minLength: 1, maxLength: 3 }
  ).map((segments) => segments.join("/")).filter((p) => p.includes("*"))
  const textArb = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom("a b", "\"", "\\", "x=y", "é"))
  const astArb = fc.letrec<{ selection: S.Selection }>((tie) => ({
    selection: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.oneof(
        keyArb.map(k),
        globArb.map(S.glob),
        fc.tuple(textArb, fc.option(fc.oneof(textArb, fc.constant("")), { nil: undefined })).map(([n, v]) =>
          S.tag(n, v)
        ),
        textArb.map(S.group),
        fc.constantFrom<Asset.Layer>("raw", "staging", "mart").map(S.layer),
        fc.constant(S.all)
      ),
      fc.tuple(tie("selection"), fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constant(Infinity)))
        .map(([s, d]) => S.upstream(s, d)),
      fc.tuple(tie("selection"), fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constant(Infinity)))
        .map(([s, d]) => S.downstream(s, d)),
      fc.tuple(tie("selection"), tie("selection")).map(([l, r]) => S.and(l, r)),
      fc.tuple(tie("selection"), tie("selection")).map(([l, r]) => S.or(l, r)),
      tie("selection").map(S.not)
    )
  })).selection

  it.prop("parse(format(s)) equals s", [astArb], ([selection]) => {
    const text = S.format(selection)
    const back = S.parse(text)
    assert.isTrue(Either.isRight(back), `${text}: ${Either.isLeft(back) ? back.left.message : ""}`)
    assert.isTrue(Either.isRight(back) && Equal.equals(back.right, selection), `${text} parsed differently`)
  }, { fastCheck: { numRuns: 500 } })

  it.prop("format is a fixed point after one parse", [fc.string({ maxLength: 20 })], ([input]) => {
    Either.match(S.parse(input), {
      onLeft: (error) => assert.include(error.message, "\n"),
      onRight: (selection) => assert.strictEqual(S.format(parsed(S.format(selection))), S.format(selection))
    })
  })
})

describe("AssetSelection on a large graph", () => {
  // Not timed: 10,000 assets in a chain and a 10,000-term list must neither overflow the stack nor take quadratic time.
  const n = 10_000
  const chain = Either.getOrThrow(AssetGraph.make(
    Array.from(
      { length: n },
      (_, i) => Asset.make({ key: `c/a${i}`, deps: i === 0 ? [] : [`c/a${i - 1}`], materialize: noop })
    )
  ))

  it("resolves *, +k, *k and a long list", () => {
    assert.strictEqual(Either.getOrThrow(S.select("*", chain)).size, n)
    assert.deepStrictEqual(sorted(Either.getOrThrow(S.select(`+c/a${n - 1}`, chain))), [`c/a${n - 2}`, `c/a${n - 1}`])
    assert.strictEqual(Either.getOrThrow(S.select(`*c/a${n - 1}`, chain)).size, n)
    assert.strictEqual(Either.getOrThrow(S.select("c/a0*", chain)).size, n)
    assert.strictEqual(Either.getOrThrow(S.select("not c/*", chain)).size, 0)
    const list = Array.from({ length: n }, (_, i) => `c/a${i}`).join(",")
    const selection = parsed(list)
    assert.strictEqual(Either.getOrThrow(S.resolve(selection, chain)).size, n)
    assert.strictEqual(S.format(selection).length, list.length + (n - 1) * 3)
    assert.deepStrictEqual(Either.getOrThrow(S.resolveOrdered(selection, chain)), chain.keys)
  })

  it("suggests within a large graph", () => {
    const error = Either.match(S.select("c/a99999", chain), {
      onLeft: (e) => e,
      onRight: () => assert.fail("expected error")
    })
    assert.strictEqual(
      error.message,
      "Unknown asset \"c/a99999\". Did you mean \"c/a9999\", \"c/a999\" or \"c/a1999\"?"
    )
  })
})

describe("levenshtein", () => {
  const naive = (a: string, b: string): number => {
    const d = Array.from(
      { length: a.length + 1 },
      (_, i) => Array.from({ length: b.length + 1 }, (_, j) => i === 0 ? j : j === 0 ? i : 0)
    )
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      }
    }
    return d[a.length][b.length]
  }
  const short = fc.string({ unit: fc.constantFrom("a", "b", "c", "/"), maxLength: 9 })

  it.prop("matches the textbook distance, capped at bound + 1", [short, short, fc.nat(6)], ([a, b, bound]) => {
    assert.strictEqual(levenshtein(a, b), naive(a, b))
    assert.strictEqual(levenshtein(a, b, bound), Math.min(naive(a, b), bound + 1))
  })
})
