/**
 * The real sample records decode with the staging Schemas without losing a field: no field unknown to a Schema
 * (excess properties are errors, nested structs included), and DuckDB's `from_json` with the Schema-derived types
 * keeps every non-null value of every field.
 */
import { DuckDB, Staging, Tables } from "@baliza/duckdb"
import { RawArchive } from "@baliza/extract"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer, ParseResult, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as StagingTables from "../src/Assets/Staging.js"
import * as SchemaDrift from "../src/SchemaDrift.js"
import * as Schemas from "../src/Schemas.js"
import { pageOf, stagingTable } from "./fixtures/pages.js"
import { samplesDir } from "./fixtures/samples.js"

const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(samplesDir, file), "utf8"))
const records = (file: string): ReadonlyArray<Record<string, unknown>> => {
  const json = read(file)
  const data = Array.isArray(json) ? json : (json as { readonly data: ReadonlyArray<unknown> }).data
  return data.filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null)
}
const tested = (name: string) =>
  (read("baliza-endpoint-test-results-9-endpoints.json") as ReadonlyArray<{ endpoint: string; sample_record: unknown }>)
    .filter((e) => e.endpoint === name).map((e) => e.sample_record as Record<string, unknown>)

const cases: ReadonlyArray<readonly [string, Schema.Schema.Any, ReadonlyArray<Record<string, unknown>>]> = [
  ["contratacao", Schemas.Contratacao, [
    ...records("contratacoes_publicacao.page1.json"),
    ...tested("contratacoes_publicacao"),
    ...tested("contratacoes_atualizacao"),
    ...tested("contratacoes_proposta")
  ]],
  ["contrato", Schemas.Contrato, [
    ...records("contratos.page1.json"),
    ...tested("contratos_publicacao"),
    ...tested("contratos_atualizacao")
  ]],
  ["ata", Schemas.Ata, [...records("atas.page1.json"), ...tested("atas_periodo"), ...tested("atas_atualizacao")]],
  ["pca", Schemas.Pca, tested("pca_atualizacao")],
  ["instrumento", Schemas.InstrumentoCobranca, tested("instrumentoscobranca_inclusao")],
  ["item", Schemas.Item, [read("pncp-api-compra-item.sample.json") as Record<string, unknown>]],
  ["arquivo", Schemas.Arquivo, [
    ...records("pncp-api-compra-arquivos.sample.json"),
    ...records("pncp-api-ata-arquivos.sample.json"),
    ...records("pncp-api-contrato-arquivos.sample.json")
  ]]
]

/** How the specs (consulta and integração) type each property name, over all their DTOs: `integer`, `number`, … */
const specTypes = (): ReadonlyMap<string, ReadonlySet<string>> => {
  const types = new Map<string, Set<string>>()
  for (const file of ["openapi-consulta.json", "openapi-pncp-integracao.json"]) {
    const spec = read(file) as {
      readonly components: {
        readonly schemas: Record<string, { readonly properties?: Record<string, { readonly type?: string }> }>
      }
    }
    for (const dto of Object.values(spec.components.schemas)) {
      for (const [name, property] of Object.entries(dto.properties ?? {})) {
        const seen = types.get(name) ?? new Set<string>()
        seen.add(property.type ?? "object")
        types.set(name, seen)
      }
    }
  }
  return types
}

describe("Schemas", () => {
  it("types every number as the specs do: an integer is BIGINT in staging, a number DOUBLE", () => {
    const types = specTypes()
    const checked: Array<string> = []
    for (const [name, schema] of cases) {
      for (const [, field, column] of Tables.rowType(schema).matchAll(/"(\w+)" (BIGINT|DOUBLE)\b/g)) {
        const spec = [...(types.get(field ?? "") ?? [])]
        // Names the specs type one way only (some, like numeroItem, are a string in one DTO and an integer in another).
        if (spec.length !== 1 || !["integer", "number"].includes(spec[0] ?? "")) continue
        assert.strictEqual(column, spec[0] === "integer" ? "BIGINT" : "DOUBLE", `${name}.${field}`)
        checked.push(`${name}.${field}`)
      }
    }
    assert.includeMembers(checked, ["contratacao.anoCompra", "contrato.valorGlobal", "instrumento.sequencialContrato"])
  })

  it("the real sample pages decode with Page: the envelope's counts are non-negative integers", () => {
    const pages = [
      ["contratacoes_publicacao.page1.json", Schemas.Contratacao],
      ["contratos.page1.json", Schemas.Contrato],
      ["atas.page1.json", Schemas.Ata]
    ] as const
    for (const [file, record] of pages) {
      const decode = Schema.decodeUnknownEither(Schemas.Page(record as Schema.Schema<unknown, unknown>))
      const page = read(file) as Record<string, unknown>
      const result = decode(page)
      if (Either.isLeft(result)) assert.fail(`${file}: ${ParseResult.TreeFormatter.formatErrorSync(result.left)}`)
      assert.isAbove(result.right.totalRegistros, 0, file)
      assert.isTrue(Either.isLeft(decode({ ...page, totalRegistros: 1.5 })), `${file}: a fractional count`)
      assert.isTrue(Either.isLeft(decode({ ...page, paginasRestantes: -1 })), `${file}: a negative count`)
    }
  })

  it("an unknown field, top-level or nested, is an error of that check", () => {
    const decode = Schema.decodeUnknownEither(Schemas.Contrato, { onExcessProperty: "error" })
    const [real] = records("contratos.page1.json")
    assert.isTrue(Either.isRight(decode(real)))
    assert.isTrue(Either.isLeft(decode({ ...real, campoNovo: 1 })))
    assert.isTrue(Either.isLeft(decode({ ...real, orgaoEntidade: { ...Object(real?.orgaoEntidade), campoNovo: 1 } })))
  })

  for (const [name, schema, samples] of cases) {
    it(`every real ${name} sample (${samples.length}) decodes with no field unknown to the Schema`, () => {
      assert.isAbove(samples.length, 0)
      const decode = Schema.decodeUnknownEither(schema as Schema.Schema<unknown, unknown>, {
        onExcessProperty: "error"
      })
      for (const sample of samples) {
        const result = decode(sample)
        if (Either.isLeft(result)) assert.fail(`${name}: ${ParseResult.TreeFormatter.formatErrorSync(result.left)}`)
      }
      // nor a drift shape: every value has the JSON type the Schema gives it (arquivos of atas and contratos lack
      // some of the compra's fields, a departure drift rightly reports)
      if (name !== "arquivo") {
        const shapes = SchemaDrift.collector(SchemaDrift.knownFields(schema))
        for (const sample of samples) shapes.add(sample)
        assert.deepStrictEqual(shapes.shapes().filter((shape) => shape.flagged), [], name)
      }
    })

    it.effect(`DuckDB keeps every non-null value of the real ${name} samples`, () =>
      Effect.gen(function*() {
        yield* DuckDB.execute("CREATE OR REPLACE TABLE pages (payload VARCHAR)")
        yield* DuckDB.appendRows("pages", ["payload"], [[JSON.stringify(samples)]])
        yield* DuckDB.execute(
          `CREATE OR REPLACE TABLE staged AS ${
            Staging.selectSql({ source: "pages", payload: "payload", path: "", schema })
          }`
        )
        const fields = [...new Set(samples.flatMap((sample) => Object.keys(sample)))]
        const [counts] = yield* DuckDB.query(
          `SELECT count(*)::BIGINT AS "__rows", ${
            fields.map((field) => `count("${field}")::BIGINT AS "${field}"`).join(", ")
          } FROM staged`
        )
        assert.strictEqual(Number(counts?.__rows), samples.length)
        for (const field of fields) {
          const expected = samples.filter((sample) => sample[field] !== null && sample[field] !== undefined).length
          assert.strictEqual(Number(counts?.[field]), expected, `${name}.${field}`)
        }
      }).pipe(Effect.provide(DuckDB.layerMemory)))
  }
})

/** The property names of a DTO of the consulta spec. */
const dtoFields = (name: string, file = "openapi-consulta.json"): ReadonlyArray<string> => {
  const spec = read(file) as {
    readonly components: { readonly schemas: Record<string, { readonly properties?: Record<string, unknown> }> }
  }
  return Object.keys(spec.components.schemas[name]?.properties ?? {}).sort()
}

/**
 * Real records with what the samples leave null or empty filled as the spec types it: a sub-rogação (another real
 * record's órgão and unidade: `RecuperarOrgaoEntidadeDTO`, `RecuperarUnidadeOrgaoDTO`), fontes orçamentárias
 * (`ContratacaoFonteOrcamentariaDTO`) and NF-e eventos (`EventoNotaFiscalConsultaDTO`).
 */
const filledRecords = () => {
  const [contratacao = {}, otherContratacao = {}] = records("contratacoes_publicacao.page1.json")
  const contratos = records("contratos.page1.json")
  const [contrato = {}] = contratos
  const otherContrato = contratos.find((c) => Object(c.orgaoEntidade).cnpj !== Object(contrato.orgaoEntidade).cnpj)
  const [instrumento = {}] = tested("instrumentoscobranca_inclusao")
  const fonte = {
    codigo: 2,
    nome: "Transferências da União",
    descricao: "Recursos transferidos pela União",
    dataInclusao: "2025-06-24T00:00:46"
  }
  const evento = {
    dataEvento: "22/01/2025 09:12:03",
    tipoEvento: "110111",
    evento: "Cancelamento",
    motivoEvento: "Erro no valor unitário"
  }
  const subRogado = (
    record: Record<string, unknown>,
    other: Record<string, unknown> | undefined
  ): Record<string, unknown> => ({
    ...record,
    orgaoSubRogado: other?.orgaoEntidade,
    unidadeSubRogada: other?.unidadeOrgao
  })
  return {
    fonte,
    evento,
    contratacao: subRogado({ ...contratacao, fontesOrcamentarias: [fonte] }, otherContratacao),
    contrato: subRogado(contrato, otherContrato),
    instrumento: {
      ...instrumento,
      notaFiscalEletronica: { ...Object(instrumento.notaFiscalEletronica), eventos: [evento] },
      recuperarContratoDTO: subRogado(Object(instrumento.recuperarContratoDTO), otherContrato)
    }
  }
}

describe("Schemas: an item's catalogo, categoria and margem de preferência as the integração spec types them", () => {
  const dominio = {
    id: 2,
    nome: "CATMAT",
    descricao: "Catálogo de materiais",
    dataInclusao: "2025-07-14T14:12:47",
    dataAtualizacao: "2025-07-14T14:12:47",
    statusAtivo: true
  }
  const item = {
    ...Object(read("pncp-api-compra-item.sample.json")),
    catalogo: { ...dominio, url: "https://www.gov.br/compras/catalogo" },
    categoriaItemCatalogo: { ...dominio, id: 1, nome: "Material" },
    tipoMargemPreferencia: { codigo: 1, nome: "Normal" },
    percentualMargemPreferenciaNormal: 10.5,
    percentualMargemPreferenciaAdicional: 0
  }

  it("the objects have the spec's fields; the item decodes, raises no drift, and stages as structs and numbers", () => {
    const spec = "openapi-pncp-integracao.json"
    assert.deepStrictEqual(Object.keys(item.catalogo).sort(), dtoFields("CatalogoDTO", spec))
    assert.deepStrictEqual(Object.keys(item.categoriaItemCatalogo).sort(), dtoFields("DominioGenericoDTO", spec))
    assert.deepStrictEqual(Object.keys(item.tipoMargemPreferencia).sort(), dtoFields("TipoMargemPreferenciaDTO", spec))
    const decoded = Schema.decodeUnknownEither(Schemas.Item, { onExcessProperty: "error" })(item)
    if (Either.isLeft(decoded)) assert.fail(ParseResult.TreeFormatter.formatErrorSync(decoded.left))
    const shape = SchemaDrift.shapeOf(item, SchemaDrift.knownFields(Schemas.Item))
    assert.deepStrictEqual([shape.unknown, shape.missing], [[], []])
    const rowType = Tables.rowType(Schemas.Item)
    assert.match(rowType, /"catalogo" STRUCT\("id" BIGINT/)
    assert.match(rowType, /"tipoMargemPreferencia" STRUCT\("codigo" BIGINT, "nome" VARCHAR\)/)
    assert.match(rowType, /"percentualMargemPreferenciaNormal" DOUBLE/)
  })
})

/** A column's value as the JSON DuckDB writes of it (a struct, a list of structs), parsed back. */
const jsonOf = (value: unknown): unknown => JSON.parse(String(value))

describe("Schemas: sub-rogação, fontes orçamentárias and NF-e eventos as the spec types them", () => {
  const filled = filledRecords()
  const cases: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext, Record<string, unknown>]> = [
    ["contratacao", Schemas.Contratacao, filled.contratacao],
    ["contrato", Schemas.Contrato, filled.contrato],
    ["instrumento", Schemas.InstrumentoCobranca, filled.instrumento]
  ]

  it("the filled values have the spec's fields", () => {
    assert.deepStrictEqual(Object.keys(filled.fonte).sort(), dtoFields("ContratacaoFonteOrcamentariaDTO"))
    assert.deepStrictEqual(Object.keys(filled.evento).sort(), dtoFields("EventoNotaFiscalConsultaDTO"))
    const { orgaoSubRogado, unidadeSubRogada } = filled.contrato
    assert.deepStrictEqual(Object.keys(Object(orgaoSubRogado)).sort(), dtoFields("RecuperarOrgaoEntidadeDTO"))
    assert.deepStrictEqual(Object.keys(Object(unidadeSubRogada)).sort(), dtoFields("RecuperarUnidadeOrgaoDTO"))
    for (const record of [filled.contratacao, filled.contrato]) {
      assert.notStrictEqual(Object(record.orgaoSubRogado).cnpj, Object(record.orgaoEntidade).cnpj)
    }
  })

  for (const [name, schema, record] of cases) {
    it(`a real ${name} with them filled decodes with no unknown field and raises no drift`, () => {
      const decoded = Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(record)
      if (Either.isLeft(decoded)) assert.fail(ParseResult.TreeFormatter.formatErrorSync(decoded.left))
      const shape = SchemaDrift.shapeOf(record, SchemaDrift.knownFields(schema))
      assert.deepStrictEqual([shape.unknown, shape.missing, shape.flagged], [[], [], false])
    })
  }

  it.effect("staging keeps them as struct columns, every value as sent", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      yield* archive.archive([pageOf("contratacoes_publicacao", [filled.contratacao])])
      yield* archive.archive([pageOf("contratos", [filled.contrato])])
      yield* archive.archive([pageOf("instrumentoscobranca", [filled.instrumento])])
      for (const table of ["staging.contratacoes", "staging.contratos", "staging.instrumentos_cobranca"]) {
        yield* StagingTables.build(stagingTable(table), { parallelism: 1 })
      }

      const [contratacao] = yield* DuckDB.query(`SELECT orgaoSubRogado.cnpj AS cnpj,
        to_json(orgaoSubRogado) AS orgao, to_json(unidadeSubRogada) AS unidade,
        fontesOrcamentarias[1].nome AS fonte, to_json(fontesOrcamentarias) AS fontes FROM staging.contratacoes`)
      assert.strictEqual(contratacao?.cnpj, Object(filled.contratacao.orgaoSubRogado).cnpj)
      assert.deepStrictEqual(jsonOf(contratacao?.orgao), filled.contratacao.orgaoSubRogado)
      assert.deepStrictEqual(jsonOf(contratacao?.unidade), filled.contratacao.unidadeSubRogada)
      assert.strictEqual(contratacao?.fonte, filled.fonte.nome)
      assert.deepStrictEqual(jsonOf(contratacao?.fontes), [filled.fonte])

      const [contrato] = yield* DuckDB.query(`SELECT orgaoSubRogado.cnpj AS cnpj, to_json(orgaoSubRogado) AS orgao,
        to_json(unidadeSubRogada) AS unidade FROM staging.contratos`)
      assert.strictEqual(contrato?.cnpj, Object(filled.contrato.orgaoSubRogado).cnpj)
      assert.deepStrictEqual(jsonOf(contrato?.orgao), filled.contrato.orgaoSubRogado)
      assert.deepStrictEqual(jsonOf(contrato?.unidade), filled.contrato.unidadeSubRogada)

      const [instrumento] = yield* DuckDB.query(`SELECT recuperarContratoDTO.orgaoSubRogado.cnpj AS cnpj,
        to_json(notaFiscalEletronica.eventos) AS eventos FROM staging.instrumentos_cobranca`)
      assert.strictEqual(instrumento?.cnpj, Object(filled.instrumento.recuperarContratoDTO.orgaoSubRogado).cnpj)
      assert.deepStrictEqual(jsonOf(instrumento?.eventos), [filled.evento])
    }).pipe(Effect.provide(RawArchive.layer.pipe(Layer.provideMerge(DuckDB.layerMemory)))))
})
