/**
 * The pipeline end to end: a synthetic month from the fake on 127.0.0.1 into a DuckDB file.
 */
import { AssetState, Partitions, RetryPolicy, type RunSchedule } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as Staging from "../src/Assets/Staging.js"
import * as Endpoints from "../src/Endpoints.js"
import * as Pipeline from "../src/Pipeline.js"
import * as PncpFake from "../src/PncpFake.js"
import * as Warehouse from "../src/Warehouse.js"

const context = Partitions.context({ now: Date.parse("2024-08-15T12:00:00Z") })
const month = { from: "2024-07-01", to: "2024-07-31" }

const tempFile = Effect.acquireRelease(
  Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-pncp-"))),
  (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
).pipe(Effect.map((dir) => NodePath.join(dir, "baliza.duckdb")))

const warehouse = (fake: PncpFake.PncpFake, path: string) =>
  Warehouse.layer({
    path,
    client: {
      consultaUrl: fake.consultaUrl,
      detailsUrl: fake.detailsUrl,
      concurrency: 8,
      retry: RetryPolicy.make({ maxAttempts: 8, baseDelay: "20 millis", maxDelay: "500 millis" }),
      timeouts: { read: "2 seconds", total: "5 seconds" }
    }
  })

/** Every record the fake serves for every request series of the endpoints over the days. */
const served = function*(
  fake: PncpFake.PncpFake,
  endpoints: ReadonlyArray<Endpoints.Endpoint>,
  days = `${month.from}..${month.to}`
) {
  for (const endpoint of endpoints) {
    const partitions = endpoint.partitioning === "dayModalidade"
      ? Endpoints.modalidades.map((m) => `${days}|${m.codigo}`)
      : [days]
    for (const partition of partitions) {
      for (const params of Endpoints.requests({ ...endpoint, chunkDays: 1 }, partition)) {
        yield* fake.truth.records(endpoint, params as Record<string, string | number>)
      }
    }
  }
}

/** What the fake serves for every request series of an endpoint over the month, by natural key. */
const servedKeys = (
  fake: PncpFake.PncpFake,
  endpoints: ReadonlyArray<Endpoints.Endpoint>,
  key: ReadonlyArray<string>,
  days = `${month.from}..${month.to}`
) => {
  const keys = new Set<string>()
  let records = 0
  for (const record of served(fake, endpoints, days)) {
    records += 1
    keys.add(JSON.stringify(key.map((field) => record[field])))
  }
  return { keys: keys.size, records }
}

describe("Pipeline", () => {
  it.scopedLive(
    "a day completed by an empty modalidade (a 204, no new staging rows) still rebuilds the month's completeness",
    () =>
      Effect.gen(function*() {
        const fake = yield* PncpFake.make({ scale: 0.05 })
        const path = yield* tempFile
        const chain = "pncp/raw/contratacoes_publicacao or pncp/staging/contratacoes or pncp/marts/contratacoes_mensal"
        const diasExtraidos = DuckDB.query(
          "SELECT DISTINCT dias_extraidos::INTEGER AS d FROM marts.contratacoes_mensal WHERE mes = '2024-07'"
        ).pipe(Effect.map((rows) => rows.map((row) => row.d)))
        yield* Effect.gen(function*() {
          // every modalidade of the day but 2, which the fake answers with a 204 as the API does on a real day
          const most = yield* Pipeline.materialize({ partitions: "2024-07-01|1,3..13", context, selection: chain })
          assert.strictEqual(most.status, "Success", JSON.stringify(most.failures))
          assert.deepStrictEqual(yield* diasExtraidos, [0], "12 of 13 modalidades: the day is not complete")
          const last = yield* Pipeline.materialize({ partitions: "2024-07-01|2", context, selection: chain })
          assert.strictEqual(last.status, "Success", JSON.stringify(last.failures))
          assert.deepStrictEqual(yield* diasExtraidos, [1])
        }).pipe(Effect.provide(warehouse(fake, path)))
      }),
    { timeout: 120_000 }
  )

  it.effect("the daily schedule leaves the atas in force to the monthly one, which takes the month just over", () =>
    Effect.gen(function*() {
      // what a schedule's tick plans, with nothing materialized yet
      const planned = (schedule: RunSchedule.RunSchedule, tick: string) => {
        const at = new Date(tick)
        return Pipeline.plan({
          selection: schedule.selection,
          partitions: schedule.partitions(at, schedule.timeZone),
          context: Partitions.context({ now: at.getTime() })
        }).pipe(
          Effect.map((plan) => plan.steps.filter((step) => step.assetKey.includes("atas")).map((step) => step.id))
        )
      }
      // 06:00 and 07:00 in Brasília on August 1st
      assert.deepStrictEqual(yield* planned(Pipeline.daily, "2024-08-01T09:00:00Z"), [
        "pncp/raw/atas_atualizacao[2024-07-31]",
        "pncp/staging/atas",
        "pncp/marts/atas_vigentes_mensal"
      ])
      assert.deepStrictEqual(yield* planned(Pipeline.monthly, "2024-08-01T10:00:00Z"), [
        "pncp/raw/atas[2024-07]",
        "pncp/staging/atas",
        "pncp/marts/atas_vigentes_mensal"
      ])
    }).pipe(Effect.provide(AssetState.layerMemory)))

  it.scopedLive(
    "a month of every endpoint reconciles with the fake; a second run makes no request",
    () =>
      Effect.gen(function*() {
        const fake = yield* PncpFake.make({ scale: 0.05 })
        const path = yield* tempFile
        yield* Effect.gen(function*() {
          const first = yield* Pipeline.materialize({ partitions: `${month.from}..${month.to}`, context })
          assert.deepStrictEqual(first.failures, [])
          assert.strictEqual(first.status, "Success")

          // Every raw endpoint holds exactly what the fake served.
          for (const endpoint of Endpoints.extracted) {
            const truth = servedKeys(fake, [endpoint], endpoint.naturalKey)
            const [row] = yield* DuckDB.query(
              "SELECT coalesce(sum(records), 0)::BIGINT AS n FROM raw.api_requests WHERE endpoint = $1",
              [endpoint.name]
            )
            assert.strictEqual(Number(row?.n), truth.records, endpoint.name)
          }
          // Staging has each key once, in its newest version.
          const contratacoes = servedKeys(
            fake,
            [Endpoints.contratacoesPublicacao, Endpoints.contratacoesAtualizacao, Endpoints.contratacoesProposta],
            Endpoints.contratacoesPublicacao.naturalKey
          )
          const contratos = servedKeys(
            fake,
            [Endpoints.contratos, Endpoints.contratosAtualizacao],
            Endpoints.contratos.naturalKey
          )
          const [counts] = yield* DuckDB.query(`SELECT
          (SELECT count(*) FROM staging.contratacoes)::BIGINT AS contratacoes,
          (SELECT count(DISTINCT numeroControlePNCP) FROM staging.contratacoes)::BIGINT AS distinct_contratacoes,
          (SELECT count(*) FROM staging.contratos)::BIGINT AS contratos,
          (SELECT sum(contratacoes) FROM marts.contratacoes_mensal)::BIGINT AS mart_contratacoes`)
          assert.strictEqual(Number(counts?.contratacoes), contratacoes.keys)
          assert.strictEqual(Number(counts?.distinct_contratacoes), contratacoes.keys)
          assert.strictEqual(Number(counts?.contratos), contratos.keys)
          assert.strictEqual(Number(counts?.mart_contratacoes), contratacoes.keys)
          // Every consulta staging table holds each natural key of its endpoints once.
          for (const table of Staging.tables) {
            const endpoints = Endpoints.extracted.filter((endpoint) => table.endpoints.includes(endpoint.name))
            const [first] = endpoints
            if (first === undefined) continue
            const [row] = yield* DuckDB.query(`SELECT count(*)::BIGINT AS n FROM ${table.table}`)
            assert.strictEqual(Number(row?.n), servedKeys(fake, endpoints, first.naturalKey).keys, table.table)
          }
          // The sub-rogações and fontes the fake served are struct columns in staging (stable across versions).
          const subRogados: Array<readonly [string, string]> = []
          const fontes: Array<readonly [string, ReadonlyArray<number>]> = []
          const seen = new Set<string>()
          for (const record of served(fake, Endpoints.extracted.filter((e) => e.kind === "contratacao"))) {
            const key = String(record.numeroControlePNCP)
            if (seen.has(key)) continue
            seen.add(key)
            if (record.orgaoSubRogado !== null) subRogados.push([key, String(Object(record.orgaoSubRogado).cnpj)])
            const codigos = Array.isArray(record.fontesOrcamentarias)
              ? record.fontesOrcamentarias.map((fonte) => Number(Object(fonte).codigo))
              : []
            if (codigos.length > 0) fontes.push([key, codigos])
          }
          assert.isAbove(subRogados.length, 0)
          assert.isAbove(fontes.length, 0)
          const staged = yield* DuckDB.query(`SELECT numeroControlePNCP AS key, orgaoSubRogado.cnpj AS cnpj,
            list_transform(fontesOrcamentarias, f -> f.codigo::INT) AS codigos FROM staging.contratacoes`)
          const byKey = <A>(rows: ReadonlyArray<readonly [string, A]>) =>
            [...rows].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
          assert.deepStrictEqual(
            byKey(staged.filter((row) => row.cnpj !== null).map((row) => [String(row.key), String(row.cnpj)] as const)),
            byKey(subRogados)
          )
          assert.deepStrictEqual(
            byKey(
              staged.filter((row) => Array.isArray(row.codigos) && row.codigos.length > 0)
                .map((row) => [String(row.key), Array.isArray(row.codigos) ? row.codigos.map(Number) : []] as const)
            ),
            byKey(fontes)
          )
          // So are the NF-e events of the instrumentos de cobrança (a list of structs inside a struct).
          const eventos = new Map<string, string>()
          for (const record of served(fake, [Endpoints.instrumentosCobranca])) {
            const [evento] = Object(record.notaFiscalEletronica).eventos ?? []
            if (evento === undefined) continue
            const key = [record.cnpj, record.ano, record.sequencialContrato, record.sequencialInstrumentoCobranca]
            eventos.set(key.join("/"), String(Object(evento).evento))
          }
          assert.isAbove(eventos.size, 0)
          const stagedEventos = yield* DuckDB.query(
            `SELECT concat_ws('/', cnpj, ano, sequencialContrato, sequencialInstrumentoCobranca) AS key, notaFiscalEletronica.eventos[1].evento AS evento
            FROM staging.instrumentos_cobranca WHERE len(notaFiscalEletronica.eventos) > 0`
          )
          assert.deepStrictEqual(
            new Map(stagedEventos.map((row) => [String(row.key), String(row.evento)])),
            eventos
          )
          // An updated contratação shows its newest version.
          const [newest] = yield* DuckDB.query(`SELECT count(*)::BIGINT AS n FROM staging.contratacoes
          WHERE dataAtualizacaoGlobal > dataPublicacaoPncp`)
          assert.isAbove(Number(newest?.n), 0)

          // The second run of the same month: everything is up to date, no request reaches the server.
          const before = (yield* fake.server.stats).requests
          const second = yield* Pipeline.materialize({ partitions: `${month.from}..${month.to}`, context })
          assert.strictEqual(second.succeeded, 0)
          assert.strictEqual((yield* fake.server.stats).requests, before)
        }).pipe(Effect.provide(warehouse(fake, path)))
      }),
    { timeout: 240_000 }
  )

  it.scopedLive(
    "with the fault plan on, every failure is recorded; a rerun after the faults stop completes",
    () =>
      Effect.gen(function*() {
        const fake = yield* PncpFake.make({
          scale: 0.05,
          faults: {
            seed: 7,
            serverErrorRate: 0.05,
            rateLimitRate: 0.02,
            retryAfterSeconds: 1,
            hangRate: 0.01,
            truncateRate: 0.01,
            malformedRate: 0.01
          }
        })
        const path = yield* tempFile
        const days = "2024-07-01..2024-07-10"
        const layer = Warehouse.layer({
          path,
          client: {
            consultaUrl: fake.consultaUrl,
            detailsUrl: fake.detailsUrl,
            concurrency: 8,
            // Few attempts, so that some requests really fail and must be recorded.
            retry: RetryPolicy.make({ maxAttempts: 2, baseDelay: "10 millis", maxDelay: "50 millis" }),
            timeouts: { read: "300 millis", total: "1 second" }
          }
        })
        yield* Effect.gen(function*() {
          const first = yield* Pipeline.materialize({ partitions: days, context })
          const stats = yield* fake.server.stats
          for (const kind of ["serverError", "rateLimit", "hang", "truncate", "malformed"] as const) {
            assert.isAbove(stats.faults[kind] ?? 0, 0, kind)
          }
          // Each failed raw step left its failed request series in meta.failed_requests.
          const failed = yield* DuckDB.query(
            "SELECT endpoint, partition_key FROM meta.failed_requests WHERE NOT resolved"
          )
          const recorded = new Set(
            failed.map((row) => `pncp/raw/${String(row.endpoint)}[${String(row.partition_key)}]`)
          )
          const rawFailures = first.failures.filter((failure) => failure.stepId.startsWith("pncp/raw/"))
          assert.isAbove(rawFailures.length, 0, "the fault plan should make some request series fail")
          for (const failure of rawFailures) assert.isTrue(recorded.has(failure.stepId), failure.stepId)

          // The faults stop; the rerun completes only what is missing, and every failure is resolved.
          yield* fake.server.setFaults({})
          const second = yield* Pipeline.materialize({ partitions: days, context })
          assert.deepStrictEqual(second.failures, [])
          assert.strictEqual(second.status, "Success")
          const [open] = yield* DuckDB.query(
            "SELECT count(*)::BIGINT AS n FROM meta.failed_requests WHERE NOT resolved"
          )
          assert.strictEqual(Number(open?.n), 0)
          for (const endpoint of [Endpoints.contratos, Endpoints.contratacoesPublicacao]) {
            const truth = servedKeys(fake, [endpoint], endpoint.naturalKey, days)
            const [row] = yield* DuckDB.query(
              `SELECT coalesce(sum(records), 0)::BIGINT AS n, count(*)::BIGINT AS pages,
                    count(DISTINCT (partition_key, page))::BIGINT AS distinct_pages
             FROM raw.api_requests WHERE endpoint = $1`,
              [endpoint.name]
            )
            assert.strictEqual(Number(row?.n), truth.records, endpoint.name)
            assert.strictEqual(row?.pages, row?.distinct_pages, `${endpoint.name}: a page archived twice`)
          }
        }).pipe(Effect.provide(layer))
      }),
    { timeout: 240_000 }
  )

  it.scopedLive(
    "schema drift on contratos is flagged, archived whole, and staging still loads the known fields",
    () =>
      Effect.gen(function*() {
        const fake = yield* PncpFake.make({
          scale: 0.05,
          drift: { endpoint: "contratos", add: { novoCampo: "x" }, rename: [["objetoContrato", "objetoDoContrato"]] }
        })
        const path = yield* tempFile
        const days = "2024-07-01..2024-07-02"
        yield* Effect.gen(function*() {
          const result = yield* Pipeline.materialize({
            partitions: days,
            context,
            selection: "pncp/raw/contratos+ and not pncp/marts/*"
          })
          assert.strictEqual(result.status, "Success")
          const versions = yield* DuckDB.query(
            "SELECT unknown_fields, missing_fields FROM meta.schema_versions WHERE endpoint = 'contratos' AND flagged"
          )
          assert.deepStrictEqual(versions.map((v) => [v.unknown_fields, v.missing_fields]), [[
            ["novoCampo", "objetoDoContrato"],
            ["objetoContrato"]
          ]])
          const warnings = yield* DuckDB.query(
            `SELECT count(*)::BIGINT AS n FROM meta.events
           WHERE tag = 'CheckEvaluated' AND asset_key = 'pncp/raw/contratos' AND payload LIKE '%schema_drift%'
             AND payload LIKE '%"passed":false%'`
          )
          // every day's partition warns, not only the first to see the new shape
          assert.strictEqual(Number(warnings[0]?.n), 2)
          const [archived] = yield* DuckDB.query(
            "SELECT count(*)::BIGINT AS n FROM raw.api_pages WHERE endpoint = 'contratos' AND payload LIKE '%novoCampo%'"
          )
          assert.isAbove(Number(archived?.n), 0)
          // Only the contratos endpoint was selected (not its …/atualizacao twin).
          const truth = servedKeys(fake, [Endpoints.contratos], Endpoints.contratos.naturalKey, days)
          const [staged] = yield* DuckDB.query(
            "SELECT count(*)::BIGINT AS n, count(valorGlobal)::BIGINT AS valores FROM staging.contratos"
          )
          assert.strictEqual(Number(staged?.n), truth.keys)
          assert.strictEqual(Number(staged?.valores), truth.keys)
        }).pipe(Effect.provide(warehouse(fake, path)))
      }),
    { timeout: 120_000 }
  )
})
