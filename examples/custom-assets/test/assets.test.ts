import { EventLog } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { Warehouse } from "@baliza/pncp"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { population } from "../src/MunicipiosFake.js"
import { run } from "../src/program.js"
import { municipios } from "../src/registry.js"

const temporaryDatabase = Effect.map(
  Effect.acquireRelease(
    Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-custom-"))),
    (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
  ),
  (dir) => NodePath.join(dir, "warehouse.duckdb")
)

/** The checks a run evaluated, as `asset[partition] check: passed`, sorted. */
const checksOf = (runId: string) =>
  Effect.gen(function*() {
    const log = yield* EventLog.EventLog
    const stored = yield* log.query({ runId, tags: ["CheckEvaluated"] })
    return stored.flatMap(({ event }) =>
      event._tag === "CheckEvaluated"
        ? [`${event.assetKey}[${event.partitionKey ?? ""}] ${event.checkName}: ${event.passed}`]
        : []
    ).sort()
  })

/** The mart computed again in TypeScript from staging.contratos rows. */
const expected = (
  rows: ReadonlyArray<{ readonly codigo: string; readonly fornecedor: string; readonly valor: number }>
) => {
  const byCodigo = new Map<string, Map<string, number>>()
  for (const row of rows) {
    const suppliers = byCodigo.get(row.codigo) ?? new Map<string, number>()
    suppliers.set(row.fornecedor, (suppliers.get(row.fornecedor) ?? 0) + row.valor)
    byCodigo.set(row.codigo, suppliers)
  }
  return new Map([...byCodigo].map(([codigo, suppliers]) => {
    const total = [...suppliers.values()].reduce((a, b) => a + b, 0)
    const hhi = [...suppliers.values()].reduce((sum, v) => sum + (v / total) ** 2, 0) * 10_000
    return [codigo, { fornecedores: suppliers.size, total, hhi }]
  }))
}

describe("custom-assets", () => {
  it.scopedLive(
    "a flaky paginated source and a mart over PNCP staging, checked against an independent computation",
    () =>
      Effect.gen(function*() {
        const path = yield* temporaryDatabase
        const result = yield* run({ path, days: "2024-07-01..2024-07-03", scale: 0.05, registry: { flaky: true } })
        assert.strictEqual(result.pncpRun.status, "Success")
        assert.strictEqual(result.first.status, "Success", JSON.stringify(result.first.failures))
        const ufs = new Set(municipios.map((m) => m.uf))
        // Every UF's partition and the mart; every page failed once and was retried by the client.
        assert.strictEqual(result.first.succeeded, ufs.size + 1)
        const pages = [...ufs].reduce(
          (sum, uf) => sum + Math.ceil(municipios.filter((m) => m.uf === uf).length / 20),
          0
        )
        assert.strictEqual(result.requests, 2 * pages)
        // Nothing changed: the second run makes no request and rebuilds nothing.
        assert.strictEqual(result.again, 0)
        assert.strictEqual(result.second.succeeded, 0)

        yield* Effect.gen(function*() {
          // Our checks ran on every step of the first run, and passed: one per UF, one on the mart.
          assert.deepStrictEqual(
            yield* checksOf(result.first.runId),
            [
              ...[...ufs].map((uf) => `ibge/raw/municipios[${uf}] matches_registry_total: true`),
              "custom/marts/concentracao_fornecedores[] valor_total_confere: true"
            ].sort()
          )
          // The second run rebuilt nothing, so it evaluated no check.
          assert.deepStrictEqual(yield* checksOf(result.second.runId), [])

          const stored = yield* DuckDB.query("SELECT codigo, populacao FROM ibge.municipios")
          assert.strictEqual(stored.length, municipios.length)
          for (const row of stored) assert.strictEqual(row.populacao, population(String(row.codigo)))

          const contratos = yield* DuckDB.query(`SELECT unidadeOrgao.codigoIbge AS codigo, niFornecedor AS fornecedor,
          valorGlobal AS valor FROM staging.contratos WHERE valorGlobal > 0`)
          assert.isAbove(contratos.length, 100)
          const truth = expected(contratos.map((row) => ({
            codigo: String(row.codigo),
            fornecedor: String(row.fornecedor),
            valor: Number(row.valor)
          })))
          const mart = yield* DuckDB.query(
            "SELECT codigo_ibge, fornecedores, valor_total::DOUBLE AS valor_total, hhi, populacao FROM analise.concentracao_fornecedores"
          )
          assert.strictEqual(mart.length, truth.size)
          for (const row of mart) {
            const want = truth.get(String(row.codigo_ibge))
            assert.isDefined(want)
            assert.strictEqual(Number(row.fornecedores), want!.fornecedores)
            assert.approximately(Number(row.valor_total), want!.total, 0.01)
            assert.approximately(Number(row.hhi), want!.hhi, 0.051)
            assert.isNotNull(row.populacao, `no population for ${String(row.codigo_ibge)}`)
          }
        }).pipe(Effect.provide(Warehouse.storage({ path })))
      }),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "a UF whose pages keep failing fails alone, with the URL in the message; the others are stored",
    () =>
      Effect.gen(function*() {
        const path = yield* temporaryDatabase
        const result = yield* run({ path, days: "2024-07-01", scale: 0.02, registry: { down: ["SC"] } })
        assert.strictEqual(result.first.status, "Failure")
        const failed = result.first.failures.map((failure) => failure.stepId)
        assert.includeMembers(failed, ["ibge/raw/municipios[SC]"])
        const sc = result.first.failures.find((failure) => failure.stepId === "ibge/raw/municipios[SC]")
        assert.include(sc?.message ?? "", "uf=SC")
        // The mart needs every UF: it did not run on partial input.
        assert.notInclude(failed.join(), "concentracao")
        const { checks, stored } = yield* Effect.all({
          checks: checksOf(result.first.runId),
          stored: DuckDB.query("SELECT DISTINCT uf FROM ibge.municipios ORDER BY uf")
        }).pipe(Effect.provide(Warehouse.storage({ path })))
        assert.deepStrictEqual(stored.map((row) => row.uf), ["ES", "MS", "PI", "RS", "SP"])
        // The stored UFs were checked; the failed one and the mart that did not run were not.
        assert.deepStrictEqual(
          checks,
          ["ES", "MS", "PI", "RS", "SP"].map((uf) => `ibge/raw/municipios[${uf}] matches_registry_total: true`)
        )
      }),
    { timeout: 120_000 }
  )
})
