/**
 * The details of a day: a capped run leaves the partition pending with what is left, the next run continues it,
 * and every contratação's itens and arquivos are archived once, matching the fake.
 */
import { Partitions } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { FaultyHttpServer } from "@baliza/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Details from "../src/Assets/Details.js"
import * as Endpoints from "../src/Endpoints.js"
import * as Pipeline from "../src/Pipeline.js"
import * as PncpFake from "../src/PncpFake.js"
import * as Warehouse from "../src/Warehouse.js"

const context = Partitions.context({ now: Date.parse("2024-08-15T12:00:00Z") })
const day = "2024-07-01"

describe("Details", () => {
  it.scopedLive("batchSize caps a run; the next run resumes and skips what is done", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ scale: 0.01 })
      const client = { consultaUrl: fake.consultaUrl, detailsUrl: fake.detailsUrl, detailsCheckpointEvery: 7 }
      const details = { partitions: day, context, selection: "pncp/raw/contratacao_detalhes" }
      const compras = Endpoints.modalidades.flatMap((m) =>
        fake.truth.records(Endpoints.contratacoesPublicacao, {
          dataInicial: "20240701",
          dataFinal: "20240701",
          codigoModalidadeContratacao: m.codigo
        })
      )
      assert.isAbove(compras.length, 20)
      // One in-memory warehouse for the three runs: the client settings change, the data stays.
      const db = yield* DuckDB.make({ path: ":memory:" })
      const run = (detailsBatchSize: number | undefined, selection = details.selection, refetch = false) =>
        Pipeline.materialize({ ...details, selection, force: refetch }).pipe(
          Effect.provide(
            Warehouse.services({ client: { ...client, detailsBatchSize, refetch } }).pipe(
              Layer.provideMerge(Layer.succeed(DuckDB.DuckDB, db))
            )
          )
        )
      assert.strictEqual((yield* run(undefined, "pncp/raw/contratacoes_publicacao")).status, "Success")
      const first = yield* run(20)
      assert.strictEqual(first.status, "Failure")
      assert.include(first.failures[0]?.message ?? "", `20 of ${compras.length} contratações done`)
      const requestsAfterFirst = (yield* fake.server.stats).requests
      const second = yield* run(undefined)
      assert.strictEqual(second.status, "Success")
      const stats = yield* fake.server.stats
      // The second run fetched only the contratações the first left: an arquivos request for each.
      assert.strictEqual(
        stats.log.filter((entry) => entry.path.endsWith("/arquivos") && entry.n > 0).length,
        0,
        "no contratação's arquivos fetched twice"
      )
      assert.isAbove(stats.requests, requestsAfterFirst)
      const [archived] = yield* DuckDB.query(
        `SELECT count(DISTINCT partition_key)::BIGINT AS compras, count(*)::BIGINT AS n FROM raw.api_requests
         WHERE endpoint = 'arquivos'`
      ).pipe(Effect.provideService(DuckDB.DuckDB, db))
      assert.deepStrictEqual([Number(archived?.compras), Number(archived?.n)], [compras.length, compras.length])
      // Each contratação's itens under its own key, as many as the fake has.
      const expected = new Map<string, number>()
      for (const compra of compras) {
        const orgao = compra.orgaoEntidade as { readonly cnpj: string }
        const count = fake.truth.itensCount({
          cnpj: orgao.cnpj,
          ano: Number(compra.anoCompra),
          sequencial: Number(compra.sequencialCompra)
        }) ?? 0
        if (count > 0) expected.set(String(compra.numeroControlePNCP), count)
      }
      const perCompra = yield* DuckDB.query(
        `SELECT partition_key AS compra, sum(records)::BIGINT AS n FROM raw.api_requests WHERE endpoint = 'itens'
         GROUP BY partition_key HAVING sum(records) > 0`
      ).pipe(Effect.provideService(DuckDB.DuckDB, db))
      assert.deepStrictEqual(new Map(perCompra.map((row) => [String(row.compra), Number(row.n)])), expected)

      // A refetch asks for every contratação's details again, once: capped, the next runs go on with it.
      const arquivos = DuckDB.query(
        "SELECT count(*)::BIGINT AS n, count(DISTINCT partition_key)::BIGINT AS compras FROM raw.api_requests WHERE endpoint = 'arquivos'"
      ).pipe(Effect.provideService(DuckDB.DuckDB, db), Effect.map(([row]) => [Number(row?.n), Number(row?.compras)]))
      for (let round = 0; round < 2; round++) {
        assert.strictEqual((yield* run(20, details.selection, true)).status, "Failure", `capped refetch ${round + 1}`)
      }
      assert.deepStrictEqual(yield* arquivos, [compras.length + 40, compras.length])
      // a run without --refetch finishes the refetch; the next one has nothing left
      assert.strictEqual((yield* run(undefined)).status, "Success")
      assert.deepStrictEqual(yield* arquivos, [2 * compras.length, compras.length])
      assert.strictEqual((yield* run(undefined)).status, "Success")
      assert.deepStrictEqual(yield* arquivos, [2 * compras.length, compras.length])
    }), { timeout: 120_000 })

  /** The fake behind a server where the details of `gone.path`'s contratação answer 404, as a withdrawn one does. */
  const refusing = Effect.gen(function*() {
    const fakeRoutes = PncpFake.routes({ scale: 0.01 })
    const detailsRoute = fakeRoutes[fakeRoutes.length - 1]!
    const gone = new Set<string>()
    const server = yield* FaultyHttpServer.make({
      routes: [{
        method: "GET",
        path: /^\/api\/pncp\/v1\/orgaos\/\d+\/compras\/\d+\/\d+\//,
        handler: (request) =>
          [...gone].some((path) => request.path.startsWith(`${path}/`))
            ? { status: 404, body: { status: 404, error: "Not Found", message: "Contratação não cadastrada." } }
            : detailsRoute.handler(request)
      }, ...fakeRoutes]
    })
    const db = yield* DuckDB.make({ path: ":memory:" })
    const client = {
      consultaUrl: `${server.url}/api/consulta`,
      detailsUrl: `${server.url}/api/pncp`,
      detailsCheckpointEvery: 5
    }
    const run = (selection: string, detailsBatchSize?: number) =>
      Pipeline.materialize({ partitions: day, context, selection }).pipe(
        Effect.provide(
          Warehouse.services({ client: { ...client, detailsBatchSize } }).pipe(
            Layer.provideMerge(Layer.succeed(DuckDB.DuckDB, db))
          )
        )
      )
    assert.strictEqual((yield* run("pncp/raw/contratacoes_publicacao")).status, "Success")
    const pendingNow = Details.pendingCompras(day).pipe(Effect.provideService(DuckDB.DuckDB, db))
    const withdraw = (compra: Details.Compra) =>
      gone.add(`/api/pncp/v1/orgaos/${compra.cnpj}/compras/${compra.ano}/${compra.sequencial}`)
    return { db, run, pendingNow, withdraw }
  })

  it.scopedLive(
    "a contratação the API refuses (404) is set aside: the rest of the day is done, the step names it",
    () =>
      Effect.gen(function*() {
        const { db, pendingNow, run, withdraw } = yield* refusing
        const { pending } = yield* pendingNow
        assert.isAbove(pending.length, 10)
        const withdrawn = pending[2]!
        withdraw(withdrawn)
        for (const attempt of [1, 2]) {
          const result = yield* run("pncp/raw/contratacao_detalhes")
          assert.strictEqual(result.status, "Failure", `run ${attempt}`)
          assert.include(
            result.failures[0]?.message ?? "",
            `refused 1 contratação(ões): ${withdrawn.numeroControlePNCP}`
          )
          assert.deepStrictEqual(
            (yield* pendingNow).pending.map((compra) => compra.numeroControlePNCP),
            [withdrawn.numeroControlePNCP],
            `run ${attempt}: every other contratação is done`
          )
        }
        const [recorded] = yield* DuckDB.query(
          "SELECT count(*)::INTEGER AS n FROM meta.failed_requests WHERE params LIKE $1",
          [`%${withdrawn.numeroControlePNCP}%`]
        ).pipe(Effect.provideService(DuckDB.DuckDB, db))
        assert.isAbove(Number(recorded?.n), 0)
      }),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "contratações refused before do not use up a capped run: the run takes the ones never asked for first",
    () =>
      Effect.gen(function*() {
        const { pendingNow, run, withdraw } = yield* refusing
        const { pending } = yield* pendingNow
        // the first two in order are withdrawn, and a run may take two
        withdraw(pending[0]!)
        withdraw(pending[1]!)
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes", 2)).status, "Failure")
        assert.strictEqual((yield* pendingNow).pending.length, pending.length)
        const second = yield* run("pncp/raw/contratacao_detalhes", 2)
        assert.strictEqual(second.status, "Failure")
        assert.include(second.failures[0]?.message ?? "", "left for the next run")
        const left = (yield* pendingNow).pending.map((compra) => compra.numeroControlePNCP)
        assert.strictEqual(left.length, pending.length - 2, "the second run did two contratações never asked for")
        assert.includeMembers(left, [pending[0]!.numeroControlePNCP, pending[1]!.numeroControlePNCP])
      }),
    { timeout: 120_000 }
  )
})
