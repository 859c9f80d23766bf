/**
 * The details of a day: a capped run leaves the partition pending with what is left, the next run continues it,
 * and every contratação's itens and arquivos are archived once, matching the fake. A contratação that fails, or that
 * the API refuses, is set aside without holding back the rest of the day.
 */
import { Partitions, RetryPolicy } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { FaultyHttpServer } from "@baliza/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Details from "../src/Assets/Details.js"
import * as Endpoints from "../src/Endpoints.js"
import * as Pipeline from "../src/Pipeline.js"
import type * as PncpClient from "../src/PncpClient.js"
import * as PncpFake from "../src/PncpFake.js"
import * as Warehouse from "../src/Warehouse.js"

const context = Partitions.context({ now: Date.parse("2024-08-15T12:00:00Z") })
const day = "2024-07-01"

/** An in-memory warehouse against a server at `url`: `run` materializes `day` (a refetch when asked), `q` reads. */
const warehouseAgainst = (url: string) =>
  Effect.map(DuckDB.make({ path: ":memory:" }), (db) => {
    const client = { consultaUrl: `${url}/api/consulta`, detailsUrl: `${url}/api/pncp` }
    const run = (selection: string, refetch = false) =>
      Pipeline.materialize({ partitions: day, context, selection, force: refetch }).pipe(
        Effect.provide(
          Warehouse.services({ client: { ...client, refetch } }).pipe(
            Layer.provideMerge(Layer.succeed(DuckDB.DuckDB, db))
          )
        )
      )
    const q = (sql: string, params: ReadonlyArray<string> = []) =>
      DuckDB.query(sql, params).pipe(Effect.provideService(DuckDB.DuckDB, db))
    return { db, q, run }
  })

/** The reasons of a contratação's open failures in meta.failed_requests (the error's tag, unless an HTTP one). */
const failureReasons = (
  q: (sql: string, params?: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Record<string, unknown>>, unknown>,
  compra: Details.Compra
) =>
  Effect.map(
    q("SELECT reason FROM meta.failed_requests WHERE params LIKE $1 AND resolved_at IS NULL", [
      `%${compra.numeroControlePNCP}%`
    ]),
    (rows) => rows.map((row) => String(row.reason))
  )

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

  /** What the server answers for a broken contratação (`undefined`: the fake's own answer, `fake`). */
  type Answer = (
    request: FaultyHttpServer.Request,
    fake: FaultyHttpServer.Handler
  ) => ReturnType<FaultyHttpServer.Handler> | undefined

  /** A withdrawn contratação's details, as the API answers them. */
  const notFound: Answer = () => ({
    status: 404,
    body: { status: 404, error: "Not Found", message: "Contratação não cadastrada." }
  })
  const itensOnly = (response: FaultyHttpServer.Response): Answer => (request) =>
    request.path.endsWith("/itens") ? response : undefined
  const arquivosOnly = (response: FaultyHttpServer.Response): Answer => (request) =>
    request.path.endsWith("/arquivos") ? response : undefined
  const failing: ReadonlyArray<readonly [string, Answer]> = [
    ["its itens answer 500 on every attempt", itensOnly({ status: 500, body: { status: 500, error: "Internal" } })],
    ["its itens answer 200 with a body that is not JSON", itensOnly({ status: 200, body: "<html>erro</html>" })],
    [
      "its arquivos answer 200 with an error object, not the list",
      arquivosOnly({ status: 200, body: { status: 500, message: "Erro ao recuperar documentos" } })
    ]
  ]

  /**
   * The fake behind a server where the details of the contratações `broken` holds answer with `answer` (when it
   * answers), one warehouse over the runs, and the contratações of `days` fetched. `settings` replace the client's
   * (short retries, no breaker).
   */
  const brokenDetails = (answer: Answer, days = day, settings: Partial<PncpClient.Settings> = {}) =>
    Effect.gen(function*() {
      const fakeRoutes = PncpFake.routes({ scale: 0.01 })
      const detailsRoute = fakeRoutes[fakeRoutes.length - 1]!
      const broken = new Set<string>()
      const asked = { n: 0 }
      const server = yield* FaultyHttpServer.make({
        routes: [{
          method: "GET",
          path: /^\/api\/pncp\/v1\/orgaos\/\d+\/compras\/\d+\/\d+\//,
          handler: (request) => {
            const response = [...broken].some((path) => request.path.startsWith(`${path}/`))
              ? answer(request, detailsRoute.handler)
              : undefined
            if (response !== undefined) asked.n++
            return response ?? detailsRoute.handler(request)
          }
        }, ...fakeRoutes]
      })
      const db = yield* DuckDB.make({ path: ":memory:" })
      const client = {
        consultaUrl: `${server.url}/api/consulta`,
        detailsUrl: `${server.url}/api/pncp`,
        detailsCheckpointEvery: 5,
        retry: RetryPolicy.make({ maxAttempts: 2, baseDelay: "5 millis", maxDelay: "10 millis", jitter: 0 }),
        circuitBreaker: false as const,
        ...settings
      }
      const run = (
        selection: string,
        options: { readonly detailsBatchSize?: number; readonly refetch?: boolean; readonly force?: boolean } = {}
      ) =>
        Pipeline.materialize({
          partitions: days,
          context,
          selection,
          force: options.force === true || options.refetch === true
        }).pipe(
          Effect.provide(
            Warehouse.services({
              client: { ...client, detailsBatchSize: options.detailsBatchSize, refetch: options.refetch }
            }).pipe(Layer.provideMerge(Layer.succeed(DuckDB.DuckDB, db)))
          )
        )
      const q = (sql: string, params: ReadonlyArray<string> = []) =>
        DuckDB.query(sql, params).pipe(Effect.provideService(DuckDB.DuckDB, db))
      assert.strictEqual((yield* run("pncp/raw/contratacoes_publicacao")).status, "Success")
      const pendingOn = (on: string) => Details.pendingCompras(on).pipe(Effect.provideService(DuckDB.DuckDB, db))
      const pendingNow = pendingOn(day)
      const breakCompra = (compra: Details.Compra) =>
        broken.add(`/api/pncp/v1/orgaos/${compra.cnpj}/compras/${compra.ano}/${compra.sequencial}`)
      const unresolved = (compra: Details.Compra) =>
        Effect.map(
          q("SELECT count(*)::INTEGER AS n FROM meta.failed_requests WHERE params LIKE $1 AND resolved_at IS NULL", [
            `%${compra.numeroControlePNCP}%`
          ]),
          ([row]) => Number(row?.n)
        )
      const arquivos = Effect.map(
        q("SELECT count(*)::BIGINT AS n FROM raw.api_requests WHERE endpoint = 'arquivos'"),
        ([row]) => Number(row?.n)
      )
      /** The messages of the failed `refused_contratacoes` checks so far. */
      const refusedWarnings = Effect.map(
        q(`SELECT payload FROM meta.events WHERE tag = 'CheckEvaluated' AND asset_key = 'pncp/raw/contratacao_detalhes'
           AND payload LIKE '%refused_contratacoes%' AND payload LIKE '%"passed":false%' ORDER BY rowid`),
        (rows) => rows.map((row) => String(row.payload))
      )
      return { arquivos, asked, broken, breakCompra, pendingNow, pendingOn, q, refusedWarnings, run, unresolved }
    })

  for (const [name, answer] of failing) {
    it.scopedLive(
      `a contratação whose details keep failing (${name}) is set aside: the rest of the day is done, the step fails`,
      () =>
        Effect.gen(function*() {
          const { broken, breakCompra, pendingNow, run, unresolved } = yield* brokenDetails(answer)
          const { pending, total } = yield* pendingNow
          assert.isAbove(pending.length, 20)
          const bad = pending[2]!
          breakCompra(bad)
          for (const attempt of [1, 2]) {
            const result = yield* run("pncp/raw/contratacao_detalhes")
            assert.strictEqual(result.status, "Failure", `run ${attempt}`)
            const message = result.failures[0]?.message ?? ""
            assert.include(message, `1 contratação(ões) failed: ${bad.numeroControlePNCP}`)
            assert.include(message, `The other ${total - 1} of ${total} are done`)
            assert.deepStrictEqual(
              (yield* pendingNow).pending.map((compra) => compra.numeroControlePNCP),
              [bad.numeroControlePNCP],
              `run ${attempt}: every other contratação is done (${message})`
            )
          }
          assert.isAbove(yield* unresolved(bad), 0, "recorded in meta.failed_requests")
          // The API answers again: the next run does it and the partition is done.
          broken.clear()
          assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes")).status, "Success")
          assert.deepStrictEqual((yield* pendingNow).pending, [])
          assert.strictEqual(yield* unresolved(bad), 0)
        }),
      { timeout: 120_000 }
    )
  }

  it.scopedLive(
    "a contratação the API refuses (404) is set aside: the step succeeds with a warning naming it, asked again later",
    () =>
      Effect.gen(function*() {
        const { asked, breakCompra, pendingNow, refusedWarnings, run, unresolved } = yield* brokenDetails(notFound)
        const { pending } = yield* pendingNow
        assert.isAbove(pending.length, 10)
        const withdrawn = pending[2]!
        breakCompra(withdrawn)
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes")).status, "Success")
        assert.deepStrictEqual(
          (yield* pendingNow).pending.map((compra) => compra.numeroControlePNCP),
          [withdrawn.numeroControlePNCP],
          "every other contratação is done"
        )
        const warnings = yield* refusedWarnings
        assert.strictEqual(warnings.length, 1)
        assert.include(warnings[0], `refused the details of 1 contratação(ões)`)
        assert.include(warnings[0], withdrawn.numeroControlePNCP)
        assert.include(warnings[0], `"severity":"Warn"`)
        assert.isAbove(yield* unresolved(withdrawn), 0, "open in meta.failed_requests")
        // Up to date: a plain run does not run the step; a forced one asks for the refused one again.
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes")).succeeded, 0)
        const askedBefore = asked.n
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes", { force: true })).status, "Success")
        assert.isAbove(asked.n, askedBefore)
        assert.strictEqual((yield* refusedWarnings).length, 2)
      }),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "a refused contratação does not keep the itens of its day, or of other days, out of staging",
    () =>
      Effect.gen(function*() {
        const { breakCompra, pendingOn, q, refusedWarnings, run } = yield* brokenDetails(
          notFound,
          "2024-07-01..2024-07-02"
        )
        breakCompra((yield* pendingOn("2024-07-02")).pending[0]!)
        const result = yield* run("pncp/raw/contratacao_detalhes+")
        assert.strictEqual(result.status, "Success", result.failures[0]?.message)
        assert.strictEqual((yield* refusedWarnings).length, 1)
        const [archived] = yield* q(
          "SELECT count(DISTINCT partition_key)::BIGINT AS n FROM raw.api_requests WHERE endpoint = 'itens' AND records > 0"
        )
        assert.isAbove(Number(archived?.n), 20)
        const [staged] = yield* q("SELECT count(DISTINCT numeroControlePNCPCompra)::BIGINT AS n FROM staging.itens")
        assert.strictEqual(Number(staged?.n), Number(archived?.n))
      }),
    { timeout: 120_000 }
  )

  for (const [name, answer] of [["refused", notFound], ...failing.slice(0, 1)] as const) {
    it.scopedLive(
      `contratações that failed before (${name}) do not use up a capped run: it takes the ones never asked for first`,
      () =>
        Effect.gen(function*() {
          const { breakCompra, pendingNow, run } = yield* brokenDetails(answer)
          const { pending } = yield* pendingNow
          // the first two in order fail, and a run may take two
          breakCompra(pending[0]!)
          breakCompra(pending[1]!)
          assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes", { detailsBatchSize: 2 })).status, "Failure")
          assert.strictEqual((yield* pendingNow).pending.length, pending.length)
          const second = yield* run("pncp/raw/contratacao_detalhes", { detailsBatchSize: 2 })
          assert.strictEqual(second.status, "Failure")
          assert.include(second.failures[0]?.message ?? "", "left for the next run")
          const left = (yield* pendingNow).pending.map((compra) => compra.numeroControlePNCP)
          assert.strictEqual(left.length, pending.length - 2, "the second run did two contratações never asked for")
          assert.includeMembers(left, [pending[0]!.numeroControlePNCP, pending[1]!.numeroControlePNCP])
        }),
      { timeout: 120_000 }
    )
  }

  it.scopedLive(
    "a later --refetch asks again for every contratação, after a refetch that met a withdrawn one",
    () =>
      Effect.gen(function*() {
        const { arquivos, breakCompra, pendingNow, run } = yield* brokenDetails(notFound)
        const { pending } = yield* pendingNow
        const n = pending.length
        assert.isAbove(n, 10)
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes")).status, "Success")
        assert.strictEqual(yield* arquivos, n)
        breakCompra(pending[3]!)
        // A refetch: every other contratação is fetched again, the withdrawn one is refused.
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes", { refetch: true })).status, "Success")
        assert.strictEqual(yield* arquivos, 2 * n - 1)
        // Later, another refetch of the day fetches every other contratação again.
        yield* Effect.sleep("20 millis")
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes", { refetch: true })).status, "Success")
        assert.strictEqual(yield* arquivos, 3 * n - 2)
      }),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "after a details refetch that brings changed itens, staging.itens is out of date and rebuilt",
    () =>
      Effect.gen(function*() {
        const revised = { on: false }
        const revise = (response: FaultyHttpServer.Response): FaultyHttpServer.Response =>
          Array.isArray(response.body)
            ? { ...response, body: response.body.map((item: object) => ({ ...item, descricao: "REVISADO" })) }
            : response
        // Once revised, every item's description changed since the first fetch.
        const { breakCompra, pendingNow, q, run } = yield* brokenDetails((request, fake) => {
          if (!revised.on || !request.path.endsWith("/itens")) return undefined
          const answer = fake(request)
          return Effect.isEffect(answer) ? Effect.map(answer, revise) : revise(answer)
        })
        ;(yield* pendingNow).pending.forEach(breakCompra)
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes+")).status, "Success")
        const [total] = yield* q("SELECT count(*)::BIGINT AS n FROM staging.itens")
        assert.isAbove(Number(total?.n), 0)
        revised.on = true
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes", { refetch: true })).status, "Success")
        const again = yield* run("pncp/staging/itens")
        assert.strictEqual(again.succeeded, 1, "staging.itens is stale after the refetch")
        const [after] = yield* q("SELECT count(*)::BIGINT AS n FROM staging.itens WHERE descricao = 'REVISADO'")
        assert.strictEqual(Number(after?.n), Number(total?.n))
      }),
    { timeout: 120_000 }
  )

  for (const status of [400, 403]) {
    it.scopedLive(
      `details answered ${status} (our request refused, not the contratação) are a failure: the step fails`,
      () =>
        Effect.gen(function*() {
          const { breakCompra, pendingNow, refusedWarnings, run, unresolved } = yield* brokenDetails(() => ({
            status,
            body: { status, error: "Bad Request", message: "Tamanho de página inválido" }
          }))
          const { pending } = yield* pendingNow
          pending.forEach(breakCompra)
          const result = yield* run("pncp/raw/contratacao_detalhes")
          assert.strictEqual(result.status, "Failure")
          assert.include(result.failures[0]?.message ?? "", `${pending.length} contratação(ões) failed`)
          assert.strictEqual((yield* pendingNow).pending.length, pending.length)
          assert.deepStrictEqual(yield* refusedWarnings, [])
          assert.isAbove(yield* unresolved(pending[0]!), 0)
        }),
      { timeout: 120_000 }
    )
  }

  it.scopedLive(
    "a capped run finishes a day whose contratações left out were all refused before, naming them all",
    () =>
      Effect.gen(function*() {
        const { asked, breakCompra, pendingNow, refusedWarnings, run } = yield* brokenDetails(notFound)
        const { pending } = yield* pendingNow
        const cap = 10
        assert.isAbove(pending.length, cap + 10)
        // more withdrawn contratações than a run may take
        const withdrawn = pending.slice(0, cap + 1)
        withdrawn.forEach(breakCompra)
        const runs: Array<string> = []
        for (let i = 0; i < Math.ceil(pending.length / cap) + 2; i++) {
          const result = yield* run("pncp/raw/contratacao_detalhes", { detailsBatchSize: cap })
          runs.push(`${result.status}: ${result.failures[0]?.message ?? ""}`)
          if (result.status === "Success") break
        }
        assert.strictEqual(runs.at(-1)?.split(":")[0], "Success", runs.join("\n"))
        // the runs before did the others, then the last one re-asked `cap` of the withdrawn ones
        assert.include(runs.at(-2) ?? "", "left for the next run")
        assert.deepStrictEqual(
          (yield* pendingNow).pending.map((compra) => compra.numeroControlePNCP),
          withdrawn.map((compra) => compra.numeroControlePNCP)
        )
        assert.isAtLeast(asked.n, withdrawn.length)
        const warnings = yield* refusedWarnings
        assert.strictEqual(warnings.length, 1)
        assert.include(warnings[0], `refused the details of ${withdrawn.length} contratação(ões)`)
        // the one the cap left out, refused by an earlier run, is named too
        assert.include(warnings[0], withdrawn[cap]!.numeroControlePNCP)
      }),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "contratações whose itens always fail and open the breaker do not stall the day: the rest is done run by run",
    () =>
      Effect.gen(function*() {
        const { breakCompra, pendingNow, run } = yield* brokenDetails(failing[0]![1], day, {
          // a breaker per endpoint that the two open by themselves (six attempts each), with short delays
          circuitBreaker: { per: "endpoint", consecutiveFailures: 4, resetTimeout: "30 seconds" },
          retry: RetryPolicy.make({ maxAttempts: 6, baseDelay: "5 millis", maxDelay: "20 millis", jitter: 0 })
        })
        const { pending } = yield* pendingNow
        assert.isAbove(pending.length, 20)
        const bad = pending.slice(0, 2)
        bad.forEach(breakCompra)
        // their group's other contratações are archived before the breaker's error stops the step
        const first = yield* run("pncp/raw/contratacao_detalhes")
        assert.strictEqual(first.status, "Failure")
        assert.match(first.failures[0]?.message ?? "", /circuit|breaker/i)
        // and says how far the day got
        assert.match(
          first.failures[0]?.message ?? "",
          new RegExp(`Details of ${day}: stopped after \\d+ of ${pending.length} contratações.*; the next run resumes$`)
        )
        assert.isBelow((yield* pendingNow).pending.length, pending.length - 2, "the first run archived its group")
        // the next one asks for them last: everything else is done
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes")).status, "Failure")
        assert.deepStrictEqual(
          (yield* pendingNow).pending.map((compra) => compra.numeroControlePNCP),
          bad.map((compra) => compra.numeroControlePNCP)
        )
      }),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "a contratação whose itens come short of itens/quantidade (a server paging fewer than asked) is a failure",
    () =>
      Effect.gen(function*() {
        // one item a page, whatever the size asked: the first page is short and ends the series
        const { broken, breakCompra, pendingNow, q, run, unresolved } = yield* brokenDetails((request, fake) =>
          request.path.endsWith("/itens")
            ? fake({ ...request, query: new URLSearchParams({ pagina: "1", tamanhoPagina: "1" }) })
            : undefined
        )
        const { pending } = yield* pendingNow
        const short = pending[1]!
        breakCompra(short)
        const result = yield* run("pncp/raw/contratacao_detalhes")
        assert.strictEqual(result.status, "Failure")
        const message = result.failures[0]?.message ?? ""
        assert.include(message, `1 contratação(ões) failed: ${short.numeroControlePNCP} (archived 1 itens of `)
        assert.include(message, "(itens/quantidade)")
        assert.deepStrictEqual(
          (yield* pendingNow).pending.map((compra) => compra.numeroControlePNCP),
          [short.numeroControlePNCP]
        )
        assert.isAbove(yield* unresolved(short), 0)
        assert.deepStrictEqual(yield* failureReasons(q, short), ["DetailsCountMismatch"])
        // paged in full again, the next run archives all its itens
        broken.clear()
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes")).status, "Success")
        const [row] = yield* q(
          "SELECT sum(records)::BIGINT AS n FROM raw.api_requests WHERE endpoint = 'itens' AND partition_key = $1",
          [short.numeroControlePNCP]
        )
        assert.isAbove(Number(row?.n), 1)
      }),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "a contratação whose arquivos come short of arquivos/quantidade (a server paging fewer than asked) is a failure",
    () =>
      Effect.gen(function*() {
        // one arquivo a page, whatever the size asked: the first page is short and ends the series
        const { arquivos, broken, breakCompra, pendingNow, q, run, unresolved } = yield* brokenDetails((
          request,
          fake
        ) =>
          request.path.endsWith("/arquivos")
            ? fake({ ...request, query: new URLSearchParams({ pagina: "1", tamanhoPagina: "1" }) })
            : undefined
        )
        const truth = PncpFake.truth({ scale: 0.01 })
        const { pending } = yield* pendingNow
        const short = pending.find((compra) => (truth.arquivosCount(compra) ?? 0) > 1)!
        const expected = truth.arquivosCount(short) ?? 0
        breakCompra(short)
        const result = yield* run("pncp/raw/contratacao_detalhes")
        assert.strictEqual(result.status, "Failure")
        assert.include(
          result.failures[0]?.message ?? "",
          `1 contratação(ões) failed: ${short.numeroControlePNCP} (archived 1 arquivos of ${expected} ` +
            "(arquivos/quantidade))"
        )
        assert.deepStrictEqual(
          (yield* pendingNow).pending.map((compra) => compra.numeroControlePNCP),
          [short.numeroControlePNCP],
          "not done: the next run asks again"
        )
        assert.isAbove(yield* unresolved(short), 0)
        assert.deepStrictEqual(yield* failureReasons(q, short), ["DetailsCountMismatch"])
        const archivedBefore = yield* arquivos
        // paged in full again, the next run archives all its arquivos and resolves the failure
        broken.clear()
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes")).status, "Success")
        assert.deepStrictEqual((yield* pendingNow).pending, [])
        assert.strictEqual(yield* unresolved(short), 0)
        assert.strictEqual(yield* arquivos, archivedBefore + 1)
        const [row] = yield* q(
          "SELECT sum(records)::BIGINT AS n FROM raw.api_requests WHERE endpoint = 'arquivos' AND partition_key = $1",
          [short.numeroControlePNCP]
        )
        assert.strictEqual(Number(row?.n), expected)
      }),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "a contratação with more arquivos than a page (arquivosPageSize) has every page archived and staged",
    () =>
      Effect.gen(function*() {
        // up to 250 arquivos a contratação: most take two or three pages of 100
        const fake = yield* PncpFake.make({ scale: 0.01, maxArquivos: 250 })
        const db = yield* DuckDB.make({ path: ":memory:" })
        const client = { consultaUrl: fake.consultaUrl, detailsUrl: fake.detailsUrl }
        const run = (selection: string) =>
          Pipeline.materialize({ partitions: day, context, selection }).pipe(
            Effect.provide(Warehouse.services({ client }).pipe(Layer.provideMerge(Layer.succeed(DuckDB.DuckDB, db))))
          )
        const q = (sql: string) => DuckDB.query(sql).pipe(Effect.provideService(DuckDB.DuckDB, db))
        assert.strictEqual((yield* run("pncp/raw/contratacoes_publicacao")).status, "Success")
        const result = yield* run("pncp/raw/contratacao_detalhes+")
        assert.strictEqual(result.status, "Success", result.failures[0]?.message)
        const { pending } = yield* Details.pendingCompras(day).pipe(Effect.provideService(DuckDB.DuckDB, db))
        assert.deepStrictEqual(pending, [])
        const compras = Endpoints.modalidades.flatMap((m) =>
          fake.truth.records(Endpoints.contratacoesPublicacao, {
            dataInicial: "20240701",
            dataFinal: "20240701",
            codigoModalidadeContratacao: m.codigo
          })
        ).map((record) => {
          const orgao = record.orgaoEntidade as { readonly cnpj: string }
          const compra = {
            cnpj: orgao.cnpj,
            ano: Number(record.anoCompra),
            sequencial: Number(record.sequencialCompra)
          }
          return { control: String(record.numeroControlePNCP), arquivos: fake.truth.arquivos(compra) }
        })
        const counts = compras.map(({ arquivos }) => arquivos.length)
        assert.isAbove(counts.filter((n) => n > Details.arquivosPageSize).length, 5, "several take more than a page")
        assert.isAbove(counts.filter((n) => n > 2 * Details.arquivosPageSize).length, 0, "some take three pages")
        const [pages] = yield* q("SELECT max(page)::INTEGER AS most FROM raw.api_requests WHERE endpoint = 'arquivos'")
        assert.strictEqual(Number(pages?.most), 3)
        // every arquivo of the fake, once
        const staged = yield* q(
          "SELECT numeroControlePNCPCompra AS c, sequencialDocumento AS n, titulo AS t FROM staging.arquivos"
        )
        assert.deepStrictEqual(
          staged.map((row) => `${String(row.c)} ${String(row.n)} ${String(row.t)}`).sort(),
          compras.flatMap(({ arquivos, control }) =>
            arquivos.map((arquivo) => `${control} ${String(arquivo.sequencialDocumento)} ${String(arquivo.titulo)}`)
          ).sort()
        )
      }),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "a refetch whose arquivos take fewer pages than before: staging.arquivos has only the latest fetch's",
    () =>
      Effect.gen(function*() {
        const options = { scale: 0.01, maxArquivos: 250 }
        const truth = PncpFake.truth(options)
        const fakeRoutes = PncpFake.routes(options)
        const detailsRoute = fakeRoutes[fakeRoutes.length - 1]!
        const kept = 5
        const shrunk = { on: false }
        const ARQUIVOS = /^\/api\/pncp\/v1\/orgaos\/(\d+)\/compras\/(\d+)\/(\d+)\/arquivos(\/quantidade)?$/
        // Once shrunk, every contratação has only its first `kept` arquivos: one page where there were up to three.
        const server = yield* FaultyHttpServer.make({
          routes: [{
            method: "GET",
            path: ARQUIVOS,
            handler: (request) => {
              if (!shrunk.on) return detailsRoute.handler(request)
              const match = ARQUIVOS.exec(request.path)
              const compra = { cnpj: match?.[1] ?? "", ano: Number(match?.[2]), sequencial: Number(match?.[3]) }
              const arquivos = truth.arquivos(compra).slice(0, kept)
              const first = request.query.get("pagina") === "1"
              return { status: 200, body: match?.[4] === undefined ? (first ? arquivos : []) : arquivos.length }
            }
          }, ...fakeRoutes]
        })
        const { db, q, run } = yield* warehouseAgainst(server.url)
        const staged = Effect.map(
          q("SELECT numeroControlePNCPCompra AS c, sequencialDocumento AS n FROM staging.arquivos"),
          (rows) => rows.map((row) => `${String(row.c)} ${String(row.n)}`).sort()
        )
        assert.strictEqual((yield* run("pncp/raw/contratacoes_publicacao")).status, "Success")
        const compras = (yield* Details.pendingCompras(day).pipe(Effect.provideService(DuckDB.DuckDB, db))).pending
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes+")).status, "Success")
        const expected = (most: number) =>
          compras.flatMap((compra) =>
            truth.arquivos(compra).slice(0, most).map((arquivo) =>
              `${compra.numeroControlePNCP} ${String(arquivo.sequencialDocumento)}`
            )
          ).sort()
        assert.deepStrictEqual(yield* staged, expected(Infinity))
        shrunk.on = true
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes", true)).status, "Success")
        assert.strictEqual((yield* run("pncp/staging/arquivos")).succeeded, 1, "staging.arquivos is stale")
        // the first fetch's pages 2 and 3 stay archived, and count no more
        const [old] = yield* q(
          "SELECT count(*)::BIGINT AS n FROM raw.api_requests WHERE endpoint = 'arquivos' AND page > 1"
        )
        assert.isAbove(Number(old?.n), 0)
        assert.deepStrictEqual(yield* staged, expected(kept))
        assert.deepStrictEqual(
          (yield* Details.pendingCompras(day).pipe(Effect.provideService(DuckDB.DuckDB, db))).pending,
          []
        )
      }),
    { timeout: 120_000 }
  )

  for (const detail of ["itens", "arquivos"] as const) {
    it.scopedLive(`an ${detail}/quantidade answer that is not a count is a failure`, () =>
      Effect.gen(function*() {
        const { breakCompra, pendingNow, q, run } = yield* brokenDetails((request) =>
          request.path.endsWith(`/${detail}/quantidade`) ? { status: 200, body: { quantidade: "muitos" } } : undefined
        )
        const bad = (yield* pendingNow).pending[0]!
        breakCompra(bad)
        const result = yield* run("pncp/raw/contratacao_detalhes")
        assert.strictEqual(result.status, "Failure")
        assert.include(result.failures[0]?.message ?? "", `not a count of ${detail}`)
        assert.deepStrictEqual(
          (yield* pendingNow).pending.map((compra) => compra.numeroControlePNCP),
          [bad.numeroControlePNCP]
        )
        assert.deepStrictEqual(yield* failureReasons(q, bad), ["DetailsCountMismatch"])
      }), { timeout: 120_000 })
  }

  it.scopedLive(
    "a contratação updated after its details were fetched has them fetched again, and only it",
    () =>
      Effect.gen(function*() {
        const fakeRoutes = PncpFake.routes({ scale: 0.01 })
        const revision = { on: false, compra: "", path: "" }
        // Once revised, the contratação comes with a newer dataAtualizacao, and its itens changed.
        const revise = (request: FaultyHttpServer.Request, response: FaultyHttpServer.Response) => {
          if (!revision.on) return response
          if (request.path.startsWith(`${revision.path}/itens`) && Array.isArray(response.body)) {
            return { ...response, body: response.body.map((item: object) => ({ ...item, descricao: "REVISADO" })) }
          }
          const body = response.body as { readonly data?: ReadonlyArray<Record<string, unknown>> } | undefined
          if (!Array.isArray(body?.data)) return response
          return {
            ...response,
            body: {
              ...body,
              data: body.data.map((record) =>
                record.numeroControlePNCP === revision.compra
                  ? { ...record, dataAtualizacao: "2024-08-10T10:00:00", dataAtualizacaoGlobal: "2024-08-10T10:00:00" }
                  : record
              )
            }
          }
        }
        const server = yield* FaultyHttpServer.make({
          routes: fakeRoutes.map((route): FaultyHttpServer.Route => ({
            ...route,
            handler: (request) => {
              const answer = route.handler(request)
              return Effect.isEffect(answer)
                ? Effect.map(answer, (response) => revise(request, response))
                : revise(request, answer)
            }
          }))
        })
        const { db, q, run } = yield* warehouseAgainst(server.url)
        const arquivosOf = (compra: string) =>
          Effect.map(
            q("SELECT count(*)::BIGINT AS n FROM raw.api_requests WHERE endpoint = 'arquivos' AND partition_key = $1", [
              compra
            ]),
            ([row]) => Number(row?.n)
          )
        assert.strictEqual((yield* run("pncp/raw/contratacoes_publicacao")).status, "Success")
        const { pending } = yield* Details.pendingCompras(day).pipe(Effect.provideService(DuckDB.DuckDB, db))
        const updated = pending[3]!
        const other = pending[4]!
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes")).status, "Success")

        // The raw day extracted again, unchanged: nothing to fetch again.
        assert.strictEqual((yield* run("pncp/raw/contratacoes_publicacao", true)).status, "Success")
        assert.deepStrictEqual(
          (yield* Details.pendingCompras(day).pipe(Effect.provideService(DuckDB.DuckDB, db))).pending,
          []
        )

        // Updated at the API: extracted again, its details are fetched again, and only its.
        revision.on = true
        revision.compra = updated.numeroControlePNCP
        revision.path = `/api/pncp/v1/orgaos/${updated.cnpj}/compras/${updated.ano}/${updated.sequencial}`
        assert.strictEqual((yield* run("pncp/raw/contratacoes_publicacao", true)).status, "Success")
        assert.deepStrictEqual(
          (yield* Details.pendingCompras(day).pipe(Effect.provideService(DuckDB.DuckDB, db))).pending,
          [updated]
        )
        assert.strictEqual((yield* run("pncp/raw/contratacao_detalhes")).status, "Success")
        assert.strictEqual(yield* arquivosOf(updated.numeroControlePNCP), 2)
        assert.strictEqual(yield* arquivosOf(other.numeroControlePNCP), 1)
        const [revised] = yield* q(
          `SELECT count(*)::BIGINT AS n FROM raw.api_pages WHERE endpoint = 'itens' AND partition_key = $1
         AND payload LIKE '%REVISADO%'`,
          [updated.numeroControlePNCP]
        )
        assert.isAbove(Number(revised?.n), 0, "the new itens are archived")
        assert.deepStrictEqual(
          (yield* Details.pendingCompras(day).pipe(Effect.provideService(DuckDB.DuckDB, db))).pending,
          []
        )
      }),
    { timeout: 120_000 }
  )
})
