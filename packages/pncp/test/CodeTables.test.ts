import { AssetGraph, AssetState, EventLog, Materializer } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import * as CodeTableAssets from "../src/Assets/CodeTables.js"
import * as CodeTables from "../src/CodeTables.js"
import { samplesDir } from "./fixtures/samples.js"

const records = (file: string): ReadonlyArray<Record<string, unknown>> => {
  const json: unknown = JSON.parse(NodeFs.readFileSync(NodePath.join(samplesDir, file), "utf8"))
  const data = typeof json === "object" && json !== null && "data" in json ? json.data : json
  return Array.isArray(data) ? data : []
}

const field = (record: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>(
    (value, key) => (typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined),
    record
  )

/** Where the real pages carry a code with its name: file, code path, name path, table. */
const pairs: ReadonlyArray<readonly [string, string, string, CodeTables.CodeTable]> = [
  ["contratacoes_publicacao.page1.json", "modalidadeId", "modalidadeNome", CodeTables.modalidade],
  ["contratacoes_publicacao.page1.json", "modoDisputaId", "modoDisputaNome", CodeTables.modoDisputa],
  ["contratacoes_publicacao.page1.json", "situacaoCompraId", "situacaoCompraNome", CodeTables.situacaoContratacao],
  [
    "contratacoes_publicacao.page1.json",
    "tipoInstrumentoConvocatorioCodigo",
    "tipoInstrumentoConvocatorioNome",
    CodeTables.instrumentoConvocatorio
  ],
  ["contratacoes_publicacao.page1.json", "amparoLegal.codigo", "amparoLegal.nome", CodeTables.amparoLegal],
  ["contratos.page1.json", "tipoContrato.id", "tipoContrato.nome", CodeTables.tipoContrato],
  ["contratos.page1.json", "categoriaProcesso.id", "categoriaProcesso.nome", CodeTables.categoriaProcesso]
]

describe("CodeTables", () => {
  it("every table of the manual §5.1–5.16 is there once, each code once", () => {
    assert.deepStrictEqual(
      CodeTables.all.map((table) => table.section),
      Array.from({ length: 16 }, (_, i) => `5.${i + 1}`)
    )
    for (const table of CodeTables.all) {
      assert.isAbove(table.codes.length, 1, table.name)
      assert.strictEqual(new Set(table.codes.map((code) => code.codigo)).size, table.codes.length, table.name)
    }
    assert.strictEqual(CodeTables.amparoLegal.codes.length, 28)
    assert.strictEqual(CodeTables.amparoLegal.codes[27]?.nome, "Lei 14.133/2021, Art. 75, IV, g")
    assert.strictEqual(CodeTables.amparoLegal.codes[13]?.nome, "Lei 14.133/2021, Art. 74, III, g")
  })

  it("the codes of the real PNCP pages are in their tables, with the names the API gives them", () => {
    let checked = 0
    for (const [file, codePath, namePath, table] of pairs) {
      for (const record of records(file)) {
        const codigo = field(record, codePath)
        const nome = field(record, namePath)
        if (typeof codigo !== "number") continue
        const known = table.codes.find((code) => code.codigo === codigo)
        // The manual's amparo legal list ends at 28; the API has more, which staging reports rather than rejects.
        if (known === undefined && table === CodeTables.amparoLegal && codigo > 28) continue
        assert.isDefined(known, `${table.name} ${codigo} (${String(nome)}) from ${file}`)
        assert.strictEqual(known?.nome, nome, `${table.name} ${codigo}`)
        checked++
      }
    }
    assert.isAbove(checked, 50)
  })
})

const manual = NodeFs.readFileSync(NodePath.join(samplesDir, "MANUAL-PNCP-CONSULTAS-v1.md"), "utf8")

/** The codes of section `5.n` as the manual lists them: code → name (the text before the first colon). */
const sectionCodes = (section: string): Map<string, string> => {
  const start = manual.search(new RegExp(`^#+ ${section.replace(".", "\\.")}\\. `, "m"))
  const rest = manual.slice(manual.indexOf("\n", start) + 1)
  const end = rest.search(/^#+ \d/m)
  const body = rest.slice(0, end)
  const codes = new Map<string, string>()
  for (const [, code, name] of body.matchAll(/\(código = (\d+)\) ([^:\n]+)/g)) codes.set(code!, name!.trim())
  for (const [, code, name] of body.matchAll(/^\*\s+(\d{4}) - (.+)$/gm)) codes.set(code!, name!.trim())
  return codes
}

describe("CodeTables against the manual §5, code by code", () => {
  it("every code of the manual §5.1–5.16 is in its table, and no table has a code the manual lacks", () => {
    const problems: Array<string> = []
    for (const table of CodeTables.all) {
      const expected = sectionCodes(table.section)
      const actual = new Map(table.codes.map((code) => [String(code.codigo), code.nome]))
      for (const code of expected.keys()) {
        if (!actual.has(code)) {
          problems.push(`${table.section} ${table.name}: missing ${code} (${expected.get(code)})`)
        }
      }
      for (const code of actual.keys()) {
        if (!expected.has(code) && !(table.section === "5.12" && code === "16")) {
          problems.push(`${table.section} ${table.name}: extra ${code} (${actual.get(code)})`)
        }
      }
    }
    assert.deepStrictEqual(problems, [])
  })

  it("names as the manual gives them (case and accents aside)", () => {
    const norm = (s: string) =>
      s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim()
    const problems: Array<string> = []
    for (const table of CodeTables.all) {
      const expected = sectionCodes(table.section)
      for (const code of table.codes) {
        const name = expected.get(String(code.codigo))
        if (name !== undefined && norm(name) !== norm(code.nome)) {
          problems.push(`${table.section} ${code.codigo}: "${code.nome}" vs manual "${name}"`)
        }
      }
    }
    console.log(problems.join("\n"))
    assert.deepStrictEqual(problems, [])
  })
})

describe("CodeTables as staging.ref_<name>", () => {
  const Env = Layer.mergeAll(DuckDB.layerMemory, AssetState.layerMemory, EventLog.layerMemory)
  const materialize = (table: CodeTables.CodeTable) =>
    Effect.flatMap(AssetGraph.make([CodeTableAssets.make(table)]), (graph) => Materializer.materialize(graph, {}))
  const rows = (table: CodeTables.CodeTable) =>
    DuckDB.query(`SELECT codigo, nome FROM ${CodeTableAssets.tableName(table)} ORDER BY codigo`)

  it.effect("a table whose codes changed is rebuilt on the next run", () =>
    Effect.gen(function*() {
      const before = CodeTables.modoDisputa
      assert.strictEqual((yield* materialize(before)).status, "Success")
      const after: CodeTables.CodeTable = { ...before, codes: [...before.codes, { codigo: 99, nome: "Novo modo" }] }
      const graph = yield* AssetGraph.make([CodeTableAssets.make(after)])
      const plan = yield* Materializer.plan(graph, {})
      assert.deepStrictEqual(plan.steps.map((step) => [step.assetKey, step.action]), [
        ["pncp/staging/ref_modo_disputa", "Run"]
      ])
      assert.strictEqual((yield* materialize(after)).status, "Success")
      assert.deepStrictEqual((yield* rows(after)).at(-1), { codigo: 99, nome: "Novo modo" })
      // the same codes again: up to date
      const again = yield* Materializer.plan(yield* AssetGraph.make([CodeTableAssets.make(after)]), {})
      assert.deepStrictEqual(again.steps.map((step) => step.action), ["Skip"])
    }).pipe(Effect.provide(Env)))

  it.effect("a rebuild that fails keeps the rows already loaded", () =>
    Effect.gen(function*() {
      const good: CodeTables.CodeTable = {
        name: "modo_teste",
        title: "Modo",
        section: "5.3",
        codeType: "INTEGER",
        codes: [{ codigo: 1, nome: "Aberto" }, { codigo: 2, nome: "Fechado" }]
      }
      assert.strictEqual((yield* materialize(good)).status, "Success")
      // a code repeated: the append breaks the PRIMARY KEY
      const bad = { ...good, codes: [{ codigo: 1, nome: "Aberto" }, { codigo: 1, nome: "Aberto de novo" }] }
      assert.notStrictEqual((yield* materialize(bad)).status, "Success")
      assert.deepStrictEqual(yield* rows(good), [{ codigo: 1, nome: "Aberto" }, { codigo: 2, nome: "Fechado" }])
    }).pipe(Effect.provide(Env)))
})
