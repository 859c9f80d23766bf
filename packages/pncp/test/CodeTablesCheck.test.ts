/**
 * The `codes_known` check of the staging tables: codes that are not in the manual's domain tables.
 */
import type { AssetCheck } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import type { HttpSource } from "@baliza/extract"
import { RawArchive } from "@baliza/extract"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Staging from "../src/Assets/Staging.js"
import * as CodeTables from "../src/CodeTables.js"
import { pageOf, stagingTable } from "./fixtures/pages.js"

const Archive = RawArchive.layerWith({ segmentBytes: 1 }).pipe(Layer.provideMerge(DuckDB.layerMemory))

const context: AssetCheck.CheckContext = {
  runId: "run-1",
  assetKey: "pncp/staging/test",
  partitionKey: undefined,
  rows: undefined,
  bytes: undefined,
  dataVersion: "v1",
  metadata: {}
}

/** The `codes_known` check of a staging table's asset, and its result on the table as it is. */
const codesKnown = (table: string | Staging.StagingTable) =>
  Effect.gen(function*() {
    const spec = typeof table === "string" ? stagingTable(table) : table
    const check = Staging.make(spec, []).checks.find((c) => c.name === "codes_known")
    assert.isDefined(check, `${spec.table} has no codes_known check`)
    if (check === undefined) return yield* Effect.dieMessage("no check")
    assert.strictEqual(check.severity, "Warn")
    return yield* check.evaluate(context)
  })

const contratacao = (key: string, extra: Record<string, unknown>) => ({
  numeroControlePNCP: key,
  dataAtualizacaoGlobal: "2025-06-24T00:00:46",
  ...extra
})

const encoder = new TextEncoder()

/** A details answer (a bare array) of `endpoint`. */
const bare = (endpoint: string, body: ReadonlyArray<unknown>): HttpSource.Page => ({
  endpoint,
  url: `http://127.0.0.1/v1/x/${endpoint}?pagina=1`,
  params: { pagina: "1" },
  page: 1,
  status: 200,
  headers: {},
  body: encoder.encode(JSON.stringify(body)),
  json: body,
  info: { records: body.length, empty: body.length === 0 },
  fetchedAtMillis: 1_720_000_000_000,
  durationMillis: 5,
  attempts: 1
})

describe("Staging: the codes_known check", () => {
  it.effect("a table whose codes are all known (or NULL) passes, without the staging.ref_* tables", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      yield* archive.archive([pageOf("contratacoes_publicacao", [
        contratacao("a", {
          tipoInstrumentoConvocatorioCodigo: 1,
          modalidadeId: 6,
          modoDisputaId: 1,
          situacaoCompraId: 1,
          amparoLegal: { codigo: 1, nome: "Lei 14.133/2021, Art. 28, I" }
        }),
        contratacao("b", {
          tipoInstrumentoConvocatorioCodigo: 3,
          modalidadeId: 8,
          modoDisputaId: 5,
          situacaoCompraId: 4,
          amparoLegal: { codigo: 28 }
        }),
        contratacao("c", { modalidadeId: null, amparoLegal: { codigo: null } }),
        contratacao("d", { amparoLegal: null })
      ])])
      yield* Staging.build(stagingTable("staging.contratacoes"))
      assert.deepStrictEqual(
        yield* DuckDB.query("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'ref_%'"),
        []
      )
      const result = yield* codesKnown("staging.contratacoes")
      assert.isTrue(result.passed, result.message)
    }).pipe(Effect.provide(Archive)))

  it.effect("unknown codes fail as a warning naming the column, the codes and their counts; NULLs are not counted", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      yield* archive.archive([pageOf("contratacoes_publicacao", [
        contratacao("a", { modalidadeId: 6, amparoLegal: { codigo: 29 } }),
        contratacao("b", { modalidadeId: 6, amparoLegal: { codigo: 29 } }),
        contratacao("c", { modalidadeId: 6, amparoLegal: { codigo: 40 } }),
        contratacao("d", { modalidadeId: 6, amparoLegal: { codigo: 1 } }),
        contratacao("e", { modalidadeId: null, amparoLegal: { codigo: null } }),
        contratacao("f", { amparoLegal: null })
      ])])
      yield* Staging.build(stagingTable("staging.contratacoes"))
      // A modalidade the API sent as text (the staged column is then VARCHAR): "abc" is an unknown code, not an error.
      yield* DuckDB.execute(`ALTER TABLE staging.contratacoes ALTER modalidadeId TYPE VARCHAR;
        UPDATE staging.contratacoes SET modalidadeId = 'abc' WHERE numeroControlePNCP IN ('c', 'd')`)
      const result = yield* codesKnown("staging.contratacoes")
      assert.isFalse(result.passed)
      assert.strictEqual(
        result.message,
        "staging.contratacoes: 4 record(s) with codes not in the manual's tables: " +
          "modalidadeId 1 code(s) in 2 record(s) (abc ×2) not in staging.ref_modalidade; " +
          "amparoLegal.codigo 2 code(s) in 3 record(s) (29 ×2, 40 ×1) not in staging.ref_amparo_legal. " +
          "They are staged as they come and have no name in a join with those tables."
      )
      assert.deepStrictEqual(result.metadata, {
        records: 4,
        columns: {
          modalidadeId: { table: "staging.ref_modalidade", records: 2, codes: 1, listed: { abc: 2 } },
          "amparoLegal.codigo": {
            table: "staging.ref_amparo_legal",
            records: 3,
            codes: 2,
            listed: { "29": 2, "40": 1 }
          }
        }
      })
    }).pipe(Effect.provide(Archive)))

  it.effect("integer codes compare as numbers: 2.0 is code 2, 1.5 is no code; five codes are listed, then …", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      // situacaoCompraId is a DOUBLE column (a `number` in the spec)
      yield* archive.archive([pageOf("contratacoes_publicacao", [
        contratacao("a", { situacaoCompraId: 2.0 }),
        contratacao("b", { situacaoCompraId: 1.5 }),
        ...[29, 30, 31, 32, 33, 34, 34].map((codigo, i) => contratacao(`x-${i}`, { amparoLegal: { codigo } }))
      ])])
      yield* Staging.build(stagingTable("staging.contratacoes"))
      const result = yield* codesKnown("staging.contratacoes")
      assert.isFalse(result.passed)
      assert.include(
        result.message,
        "situacaoCompraId 1 code(s) in 1 record(s) (1.5 ×1) not in staging.ref_situacao_contratacao"
      )
      assert.include(
        result.message,
        "amparoLegal.codigo 6 code(s) in 7 record(s) (34 ×2, 29 ×1, 30 ×1, 31 ×1, 32 ×1, …) not in staging.ref_amparo_legal"
      )
      assert.strictEqual(result.metadata?.records, 8)
    }).pipe(Effect.provide(Archive)))

  it.effect("text codes compare as text: '1015' and 1015 are a natureza jurídica, ' 1015' and 0 (for '0000') are not", () =>
    Effect.gen(function*() {
      // no staged column holds a natureza jurídica: a table of one, checked with a spec that says so
      const spec: Staging.StagingTable = {
        ...stagingTable("staging.atas"),
        table: "staging.orgaos",
        codes: [
          { column: Staging.field("natureza"), table: CodeTables.naturezaJuridica },
          { column: Staging.field("orgao", "natureza"), table: CodeTables.naturezaJuridica }
        ]
      }
      yield* DuckDB.execute(`CREATE SCHEMA staging;
        CREATE TABLE staging.orgaos AS SELECT * FROM (VALUES
          ('1015', {'natureza': 1015}), ('0000', {'natureza': 0}), (' 1015', NULL), (NULL, {'natureza': NULL}))
          t(natureza, orgao)`)
      const result = yield* codesKnown(spec)
      assert.isFalse(result.passed)
      assert.strictEqual(
        result.message,
        "staging.orgaos: 2 record(s) with codes not in the manual's tables: " +
          "natureza 1 code(s) in 1 record(s) ( 1015 ×1) not in staging.ref_natureza_juridica; " +
          "orgao.natureza 1 code(s) in 1 record(s) (0 ×1) not in staging.ref_natureza_juridica. " +
          "They are staged as they come and have no name in a join with those tables."
      )
    }).pipe(Effect.provide(DuckDB.layerMemory)))

  it.effect("every code column of every staging table is a column (or struct field) of the table as it is built", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const record: Record<string, ReadonlyArray<unknown>> = {
        contratacoes_publicacao: [contratacao("a", {})],
        contratos: [{ numeroControlePNCP: "c-1" }],
        atas: [{ numeroControlePNCPAta: "ata-1" }],
        pca_atualizacao: [{ idPcaPncp: "pca-1" }],
        instrumentoscobranca: [{ cnpj: "1", ano: 2025, sequencialContrato: 1, sequencialInstrumentoCobranca: 1 }]
      }
      for (const [endpoint, records] of Object.entries(record)) yield* archive.archive([pageOf(endpoint, records)])
      yield* archive.archive([bare("itens", [{ numeroItem: 1 }])], { endpoint: "itens", partitionKey: "A-1" })
      yield* archive.archive([bare("arquivos", [{ sequencialDocumento: 1 }])], {
        endpoint: "arquivos",
        partitionKey: "A-1"
      })
      const withCodes = Staging.tables.filter((spec) => (spec.codes ?? []).length > 0)
      assert.deepStrictEqual(withCodes.map((spec) => spec.table), [
        "staging.contratacoes",
        "staging.contratos",
        "staging.instrumentos_cobranca",
        "staging.itens",
        "staging.arquivos"
      ])
      for (const spec of withCodes) {
        yield* Staging.build(spec)
        const [{ n }] = yield* DuckDB.query(`SELECT count(*)::INT AS n FROM ${spec.table}`)
        assert.strictEqual(n, 1, spec.table)
        for (const { column } of spec.codes ?? []) {
          // fails with a Binder error when the column or field is not there
          const exit = yield* Effect.exit(DuckDB.query(`SELECT ${column} FROM ${spec.table} LIMIT 0`))
          assert.strictEqual(exit._tag, "Success", `${spec.table}: ${column}`)
        }
        const result = yield* codesKnown(spec.table)
        assert.isTrue(result.passed, `${spec.table}: ${result.message}`)
      }
    }).pipe(Effect.provide(Archive)))
})
