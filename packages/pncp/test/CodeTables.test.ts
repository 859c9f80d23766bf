import { assert, describe, it } from "@effect/vitest"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
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
