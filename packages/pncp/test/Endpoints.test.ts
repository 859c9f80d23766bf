import type { HttpSource } from "@baliza/extract"
import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Staging from "../src/Assets/Staging.js"
import * as Endpoints from "../src/Endpoints.js"
import * as PncpFake from "../src/PncpFake.js"
import { samplesDir } from "./fixtures/samples.js"

const specFile = path.join(samplesDir, "openapi-consulta.json")

interface SpecParameter {
  readonly name: string
  readonly in: string
  readonly required?: boolean
  readonly schema?: {
    readonly minimum?: number
    readonly maximum?: number
    readonly type?: string
    readonly format?: string
    readonly minLength?: number
    readonly maxLength?: number
  }
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

const sample = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(samplesDir, file), "utf8"))
const pageRecords = (file: string): ReadonlyArray<unknown> =>
  (sample(file) as { readonly data: ReadonlyArray<unknown> }).data
const tested = (...names: ReadonlyArray<string>): ReadonlyArray<unknown> =>
  (sample("baliza-endpoint-test-results-9-endpoints.json") as ReadonlyArray<
    { readonly endpoint: string; readonly sample_record: unknown }
  >).filter((result) => names.includes(result.endpoint)).map((result) => result.sample_record)

/** Every real sample record of a kind: the sample pages and the records of the endpoint test results. */
const realRecords: { readonly [K in Endpoints.RecordKind]: ReadonlyArray<unknown> } = {
  contratacao: [
    ...pageRecords("contratacoes_publicacao.page1.json"),
    ...tested("contratacoes_publicacao", "contratacoes_atualizacao", "contratacoes_proposta")
  ],
  contrato: [...pageRecords("contratos.page1.json"), ...tested("contratos_publicacao", "contratos_atualizacao")],
  ata: [...pageRecords("atas.page1.json"), ...tested("atas_periodo", "atas_atualizacao")],
  pca: tested("pca_atualizacao"),
  instrumento: tested("instrumentoscobranca_inclusao")
}

/** The fields of `record` among `fields` that are absent or null. */
const absent = (record: unknown, fields: ReadonlyArray<string>): ReadonlyArray<string> => {
  const values = new Map<string, unknown>(typeof record === "object" && record !== null ? Object.entries(record) : [])
  return fields.filter((field) => values.get(field) === undefined || values.get(field) === null)
}

describe("Endpoints", () => {
  it("every spec operation is in the catalog with its path, required params, filters and page-size bounds", () => {
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
      const filters = query.filter((p) => p.required !== true && p.name !== "tamanhoPagina").map((p) => ({
        name: p.name,
        type: p.schema?.type === "integer" ? p.schema.format : p.schema?.type,
        ...(p.schema?.maxLength === undefined ? {} : { minLength: p.schema.minLength, maxLength: p.schema.maxLength })
      }))
      const byName = (a: { readonly name: string }, b: { readonly name: string }) => a.name.localeCompare(b.name)
      assert.deepStrictEqual<ReadonlyArray<object>>(
        [...endpoint.filters].sort(byName),
        filters.sort(byName),
        endpoint.name
      )
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

  it("every endpoint's natural key and updated-at field are in its real sample records and the fake's", () => {
    const fake = PncpFake.truth({ scale: 0.2 })
    for (const endpoint of Endpoints.all) {
      const fields = [...endpoint.naturalKey, endpoint.updatedAt]
      const real = realRecords[endpoint.kind]
      const generated = [...fake.scan(endpoint.kind, "2024-07-01", "2024-07-01")]
      assert.isAbove(real.length, 0, endpoint.name)
      assert.isAbove(generated.length, 0, endpoint.name)
      for (const record of [...real, ...generated]) assert.deepStrictEqual(absent(record, fields), [], endpoint.name)
    }
  })

  it("every extracted endpoint's natural key and updated-at field are what its staging table dedups by", () => {
    for (const endpoint of Endpoints.extracted) {
      const table = Staging.tables.find((spec) => spec.endpoints.includes(endpoint.name))
      assert.isDefined(table, endpoint.name)
      assert.deepStrictEqual(endpoint.naturalKey, table?.key, endpoint.name)
      // The updated-at field, or an expression of it (an instrumento's: the later of its update and its NF-e look-up).
      assert.match(table?.newest ?? "", new RegExp(`(^|\\()${endpoint.updatedAt}(,|$)`), endpoint.name)
    }
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
    // A month is split into chunkDays windows (atas/atualizacao: 15 days)…
    assert.deepStrictEqual(Endpoints.requests(Endpoints.atasAtualizacao, "2024-02"), [
      { dataInicial: "20240201", dataFinal: "20240215" },
      { dataInicial: "20240216", dataFinal: "20240229" }
    ])
    // …but not /v1/atas: its window selects by vigência, so each piece would return every ata in force again.
    assert.deepStrictEqual(Endpoints.requests(Endpoints.atas, "2024-02"), [
      { dataInicial: "20240201", dataFinal: "20240229" }
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
      FastCheck.integer({ min: 1, max: 500 })
    ],
    ([start, length, size]) => {
      const day = (n: number) => new Date(Date.UTC(2023, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)
      const windows = Endpoints.chunks(day(start), day(start + length), size)
      const covered: Array<string> = []
      for (const window of windows) {
        const from = Date.parse(window.from)
        const to = Date.parse(window.to)
        assert.isTrue(to >= from && (to - from) / 86_400_000 < Math.min(size, Endpoints.maxChunkDays))
        for (let t = from; t <= to; t += 86_400_000) covered.push(new Date(t).toISOString().slice(0, 10))
      }
      assert.deepStrictEqual(covered, Array.from({ length: length + 1 }, (_, i) => day(start + i)))
    }
  )

  it.effect("validate refuses a chunkDays that is not a whole number of days from 1 to 365, naming it", () =>
    Effect.gen(function*() {
      for (const chunkDays of [Number.NaN, 0, -1, 2.5, 366, Number.POSITIVE_INFINITY]) {
        const error = yield* Effect.flip(Endpoints.validate({ ...Endpoints.contratos, chunkDays }))
        assert.strictEqual(error._tag, "InvalidEndpoint")
        assert.strictEqual(
          error.message,
          `The chunkDays of endpoint contratos must be a whole number of days from 1 to 365, not ${chunkDays}.`
        )
      }
      for (const endpoint of Endpoints.all) yield* Endpoints.validate(endpoint)
      yield* Endpoints.validate({ ...Endpoints.contratos, chunkDays: 365 })
    }))

  it("requests does not throw on a chunk size that is no number, and no window is longer than 365 days", () => {
    const daysOf = (window: HttpSource.Params) => {
      const iso = (value: unknown) => String(value).replace(/(\d{4})(\d{2})(\d{2})/, "$1-$2-$3")
      return (Date.parse(iso(window.dataFinal)) - Date.parse(iso(window.dataInicial))) / 86_400_000 + 1
    }
    assert.deepStrictEqual(
      Endpoints.requests({ ...Endpoints.contratos, chunkDays: Number.NaN }, "2024-07-01..2024-07-02"),
      [
        { dataInicial: "20240701", dataFinal: "20240701" },
        { dataInicial: "20240702", dataFinal: "20240702" }
      ]
    )
    for (const chunkDays of [400, Number.POSITIVE_INFINITY]) {
      const windows = Endpoints.requests({ ...Endpoints.contratos, chunkDays }, "2024-01-01..2025-12-31")
      assert.deepStrictEqual(windows.map(daysOf), [365, 365, 1], `chunkDays ${chunkDays}`)
    }
    // a monthly series (one window for the key) is cut only past 365 days
    assert.deepStrictEqual(Endpoints.requests(Endpoints.atas, "2024-01..2024-12").map(daysOf), [365, 1])
    assert.deepStrictEqual(Endpoints.requests(Endpoints.atas, "2024-02").map(daysOf), [29])
  })
})
