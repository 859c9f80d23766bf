import { assert, describe, it } from "@effect/vitest"
import { FastCheck } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Endpoints from "../src/Endpoints.js"
import { samplesDir } from "./fixtures/samples.js"

const specFile = path.join(samplesDir, "openapi-consulta.json")

interface SpecParameter {
  readonly name: string
  readonly in: string
  readonly required?: boolean
  readonly schema?: { readonly minimum?: number; readonly maximum?: number }
}
interface SpecOperation {
  readonly operationId: string
  readonly parameters?: ReadonlyArray<SpecParameter>
}
const spec: { readonly paths: Record<string, Record<string, SpecOperation>> } = JSON.parse(
  fs.readFileSync(specFile, "utf8")
)
const operations = Object.entries(spec.paths).flatMap(([route, methods]) =>
  Object.values(methods).map((operation) => ({ route, operation }))
)

describe("Endpoints", () => {
  it("every spec operation is in the catalog with its path, required params and page-size bounds", () => {
    assert.strictEqual(operations.length, 12)
    assert.strictEqual(Endpoints.all.length, 12)
    for (const { operation, route } of operations) {
      const endpoint = Endpoints.all.find((e) => e.operationId === operation.operationId)
      assert.isDefined(endpoint, operation.operationId)
      if (endpoint === undefined) continue
      assert.strictEqual(`/${endpoint.path}`, route)
      const query = (operation.parameters ?? []).filter((p) => p.in === "query")
      const required = query.filter((p) => p.required === true && p.name !== "pagina").map((p) => p.name)
      assert.deepStrictEqual([...endpoint.required].sort(), required.sort(), endpoint.name)
      const size = query.find((p) => p.name === "tamanhoPagina")
      if (size !== undefined) {
        assert.deepStrictEqual(endpoint.pageSize, { min: size.schema?.minimum, max: size.schema?.maximum })
      }
    }
    assert.strictEqual(new Set(Endpoints.all.map((e) => e.name)).size, 12)
  })

  it("names, kinds and chunk sizes", () => {
    assert.deepStrictEqual(
      Endpoints.all.map((e) => e.name),
      [
        "contratacoes_publicacao",
        "contratacoes_atualizacao",
        "contratacoes_proposta",
        "contratos",
        "contratos_atualizacao",
        "atas",
        "atas_atualizacao",
        "pca",
        "pca_usuario",
        "pca_atualizacao",
        "instrumentoscobranca",
        "contratacao"
      ]
    )
    assert.deepStrictEqual(
      Endpoints.extracted.map((e) => [e.kind, e.chunkDays]),
      [
        ["contratacao", 3],
        ["contratacao", 3],
        ["contratacao", 3],
        ["contrato", 7],
        ["contrato", 7],
        ["ata", 15],
        ["ata", 15],
        ["pca", 90],
        ["instrumento", 30]
      ]
    )
    assert.strictEqual(Endpoints.pca.path, "v1/pca/")
    assert.deepStrictEqual(Endpoints.modalidades.map((m) => m.codigo), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
    assert.strictEqual(Endpoints.modalidades[5]?.nome, "Pregão - Eletrônico")
  })

  it("requests: a day, a day × modalidade, a PCA update window, a dataFinal day, a year", () => {
    assert.deepStrictEqual(Endpoints.requests(Endpoints.contratos, "2024-07-01"), [
      { dataInicial: "20240701", dataFinal: "20240701" }
    ])
    assert.deepStrictEqual(Endpoints.requests(Endpoints.contratacoesPublicacao, "2024-07-01|6"), [
      { dataInicial: "20240701", dataFinal: "20240701", codigoModalidadeContratacao: 6 }
    ])
    assert.deepStrictEqual(Endpoints.requests(Endpoints.pcaAtualizacao, "2024-07-01"), [
      { dataInicio: "20240701", dataFim: "20240701" }
    ])
    assert.deepStrictEqual(Endpoints.requests(Endpoints.contratacoesProposta, "2024-07-01"), [
      { dataFinal: "20240701" }
    ])
    assert.deepStrictEqual(Endpoints.requests(Endpoints.pca, "2024"), [{ anoPca: 2024 }])
    assert.deepStrictEqual(Endpoints.requests(Endpoints.contratacao, "x"), [])
    // A month is split into chunkDays windows (atas: 15 days).
    assert.deepStrictEqual(Endpoints.requests(Endpoints.atas, "2024-02"), [
      { dataInicial: "20240201", dataFinal: "20240215" },
      { dataInicial: "20240216", dataFinal: "20240229" }
    ])
    for (const endpoint of Endpoints.all) {
      for (const request of Endpoints.requests(endpoint, "2024-07-01|6")) {
        assert.isFalse("pagina" in request)
        for (const name of endpoint.required) {
          if (name !== "codigoClassificacaoSuperior" && name !== "idUsuario") assert.isTrue(name in request, name)
        }
      }
    }
  })

  it("detail paths and bases", () => {
    const compra = { cnpj: "00394460005887", ano: 2025, sequencial: 12 }
    assert.strictEqual(Endpoints.baseUrl, "https://pncp.gov.br/api/consulta")
    assert.strictEqual(Endpoints.detailsBaseUrl, "https://pncp.gov.br/api/pncp")
    assert.strictEqual(Endpoints.itensPath(compra), "v1/orgaos/00394460005887/compras/2025/12/itens")
    assert.strictEqual(
      Endpoints.itensQuantidadePath(compra),
      "v1/orgaos/00394460005887/compras/2025/12/itens/quantidade"
    )
    assert.strictEqual(Endpoints.arquivosPath(compra), "v1/orgaos/00394460005887/compras/2025/12/arquivos")
  })

  it.prop(
    "chunks cover a range exactly once, in order, none longer than chunkDays",
    [
      FastCheck.integer({ min: 0, max: 800 }),
      FastCheck.integer({ min: 0, max: 400 }),
      FastCheck.integer({ min: 1, max: 90 })
    ],
    ([start, length, size]) => {
      const day = (n: number) => new Date(Date.UTC(2023, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)
      const windows = Endpoints.chunks(day(start), day(start + length), size)
      const covered: Array<string> = []
      for (const window of windows) {
        const from = Date.parse(window.from)
        const to = Date.parse(window.to)
        assert.isTrue(to >= from && (to - from) / 86_400_000 < size)
        for (let t = from; t <= to; t += 86_400_000) covered.push(new Date(t).toISOString().slice(0, 10))
      }
      assert.deepStrictEqual(covered, Array.from({ length: length + 1 }, (_, i) => day(start + i)))
    }
  )
})
