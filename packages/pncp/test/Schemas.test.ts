/**
 * The real sample records decode with the staging Schemas without losing a field: no field unknown to a Schema
 * (excess properties are errors, nested structs included), and DuckDB's `from_json` with the Schema-derived types
 * keeps every non-null value of every field.
 */
import { DuckDB, Staging } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, ParseResult, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Schemas from "../src/Schemas.js"
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

describe("Schemas", () => {
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
