/**
 * The raw assets: a long series paged with more pages ahead, refetch (completed partitions asked again, each page
 * reconciled by its latest answer), and schema drift judged on every page a partition's archive holds.
 */
import { AssetGraph, AssetState, Materializer, Partitions, RetryPolicy } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { FaultyHttpServer } from "@baliza/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Predicate } from "effect"
import * as Raw from "../src/Assets/Raw.js"
import * as Endpoints from "../src/Endpoints.js"
import * as Pipeline from "../src/Pipeline.js"
import * as PncpFake from "../src/PncpFake.js"
import * as Schemas from "../src/Schemas.js"
import * as Warehouse from "../src/Warehouse.js"

const context = Partitions.context({ now: Date.parse("2024-08-15T12:00:00Z") })

/** A materialize of the pipeline into `db`, its client set by `client`. */
const materializeInto = (
  db: DuckDB.Service,
  client: Warehouse.Options["client"],
  options: Omit<Materializer.MaterializeOptions, "context">
) =>
  Pipeline.materialize({ context, ...options }).pipe(
    Effect.provide(Warehouse.services({ client }).pipe(Layer.provideMerge(Layer.succeed(DuckDB.DuckDB, db))))
  )

/**
 * A server of the fake's routes whose contratações/publicacao answers pass through `change` first (which sees the
 * request, and the answer of the fake).
 */
const changingPublicacao = (
  change: (request: FaultyHttpServer.Request, response: FaultyHttpServer.Response) => FaultyHttpServer.Response
) =>
  Effect.gen(function*() {
    const path = "/api/consulta/v1/contratacoes/publicacao"
    const routes = PncpFake.routes({ scale: 0.05 })
    const publicacao = routes.find((route) =>
      typeof route.path === "string" ? route.path === path : route.path.test(path)
    )
    assert.isDefined(publicacao)
    const handler = publicacao.handler
    return yield* FaultyHttpServer.make({
      routes: [{
        ...publicacao,
        handler: (request) => {
          const answer = handler(request)
          return Effect.map(Effect.isEffect(answer) ? answer : Effect.succeed(answer), (response) =>
            change(request, response))
        }
      }, ...routes]
    })
  })

describe("Raw", () => {
  it.scopedLive(
    "a month of /v1/atas, one long series, has more pages in flight than a day's series would",
    () =>
      Effect.gen(function*() {
        const fake = yield* PncpFake.make({ scale: 0.05, faults: { latency: { _tag: "Fixed", ms: 20 } } })
        const db = yield* DuckDB.make({ path: ":memory:" })
        const run = materializeInto(
          db,
          { consultaUrl: fake.consultaUrl, detailsUrl: fake.detailsUrl, concurrency: 8 },
          { partitions: "2024-07-01..2024-07-31", selection: "pncp/raw/atas" }
        )
        assert.strictEqual((yield* run).status, "Success")
        const atas = yield* fake.server.stats
        assert.isAbove(atas.requests, 10)
        // the client's concurrency bounds it, not Raw.pagesAhead
        assert.isAbove(atas.maxInFlight, Raw.pagesAhead)
        assert.isAtMost(atas.maxInFlight, 8)
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "refetch asks a completed partition again; its pages reconcile by their latest answers",
    () =>
      Effect.gen(function*() {
        const fake = yield* PncpFake.make({ scale: 0.05 })
        const db = yield* DuckDB.make({ path: ":memory:" })
        const run = (options: { readonly refetch?: boolean; readonly force?: boolean }) =>
          materializeInto(
            db,
            {
              consultaUrl: fake.consultaUrl,
              detailsUrl: fake.detailsUrl,
              ...(options.refetch === true ? { refetch: true } : {})
            },
            {
              partitions: "2024-07-01",
              selection: "pncp/raw/contratacoes_publicacao",
              ...(options.force === true ? { force: true } : {})
            }
          )
        const requests = Effect.map(fake.server.stats, (stats) => stats.requests)
        const pagesArchived = DuckDB.query(
          "SELECT count(*)::INTEGER AS n FROM raw.api_requests WHERE endpoint = 'contratacoes_publicacao'"
        ).pipe(Effect.map(([row]) => Number(row?.n)), Effect.provideService(DuckDB.DuckDB, db))

        const first = yield* run({})
        assert.strictEqual(first.status, "Success")
        const fetched = yield* requests
        assert.isAbove(fetched, 13)
        assert.strictEqual(yield* pagesArchived, fetched)
        // --force re-reads the archive: no request
        assert.strictEqual((yield* run({ force: true })).status, "Success")
        assert.strictEqual(yield* requests, fetched)
        // --refetch (which forces) asks every page again; each page then has two answers, and the checks still pass
        const again = yield* run({ refetch: true, force: true })
        assert.strictEqual(again.status, "Success", JSON.stringify(again.failures))
        assert.strictEqual(yield* requests, 2 * fetched)
        assert.strictEqual(yield* pagesArchived, 2 * fetched)
        assert.deepStrictEqual(again.failures, [])

        // The restart of a refetch that failed runs its failed steps again, not forced: they resume from their page
        // checkpoints (here complete), not from the first page.
        const failedLast = Effect.gen(function*() {
          const state = yield* AssetState.AssetState
          const records = yield* state.list({ assetKeys: ["pncp/raw/contratacoes_publicacao"] })
          yield* state.put(records.map((record) => ({ ...record, status: "Failed" as const, error: "boom" })))
        }).pipe(Effect.provide(Warehouse.services().pipe(Layer.provideMerge(Layer.succeed(DuckDB.DuckDB, db)))))
        yield* failedLast
        const restarted = yield* run({ refetch: true })
        assert.strictEqual(restarted.status, "Success", JSON.stringify(restarted.failures))
        assert.isAbove(restarted.succeeded, 0)
        assert.strictEqual(yield* requests, 2 * fetched)
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "refetch reconciles a day that shrank since it was extracted: pages past its new end no longer count",
    () =>
      Effect.gen(function*() {
        // Once `shrunk`, modalidade 8 of the day has one record: page 1 says so, later pages are 204s.
        const shrunk = { on: false }
        const shrink = (response: FaultyHttpServer.Response, page: number): FaultyHttpServer.Response => {
          if (page > 1) return { status: 204 }
          const body = response.body
          if (!Predicate.isRecord(body) || !Array.isArray(body.data)) return response
          return {
            ...response,
            body: { ...body, data: body.data.slice(0, 1), totalRegistros: 1, totalPaginas: 1, paginasRestantes: 0 }
          }
        }
        const server = yield* changingPublicacao((request, response) =>
          shrunk.on && request.query.get("codigoModalidadeContratacao") === "8"
            ? shrink(response, Number(request.query.get("pagina")))
            : response
        )
        const db = yield* DuckDB.make({ path: ":memory:" })
        const run = (refetch: boolean) =>
          materializeInto(
            db,
            {
              consultaUrl: `${server.url}/api/consulta`,
              detailsUrl: `${server.url}/api/pncp`,
              ...(refetch ? { refetch: true } : {})
            },
            { partitions: "2024-07-01|8", selection: "pncp/raw/contratacoes_publicacao", force: true }
          )
        const answers = DuckDB.query(
          `SELECT page, http_status AS status FROM raw.api_requests WHERE endpoint = 'contratacoes_publicacao'
         ORDER BY collected_at, page`
        ).pipe(Effect.provideService(DuckDB.DuckDB, db))
        assert.strictEqual((yield* run(false)).status, "Success")
        const before = yield* answers
        assert.isAbove(before.length, 1, "modalidade 8 of the day spans pages")
        shrunk.on = true
        const again = yield* run(true)
        assert.strictEqual(again.status, "Success", JSON.stringify(again.failures))
        // page 1 asked again, and nothing past it: the old pages stay archived, no longer counted
        assert.deepStrictEqual((yield* answers).slice(before.length), [{ page: 1, status: 200 }])
      }),
    { timeout: 60_000 }
  )
})

describe("Raw: schema drift is judged on every page the partition's archive holds", () => {
  /** Whether each drift check of an asset failed, in order. */
  const driftChecks = (db: DuckDB.Service, asset: string) =>
    DuckDB.query(
      `SELECT payload LIKE '%"passed":false%' AS failed FROM meta.events
       WHERE tag = 'CheckEvaluated' AND asset_key = $1 AND payload LIKE '%schema_drift%'
       ORDER BY rowid`,
      [asset]
    ).pipe(Effect.provideService(DuckDB.DuckDB, db), Effect.map((rows) => rows.map((row) => row.failed)))

  it.scopedLive(
    "a drifted page is flagged by the attempt that failed after it, and again after the partition resumes",
    () =>
      Effect.gen(function*() {
        const failing = { on: true }
        const server = yield* changingPublicacao((request, response) => {
          const page = Number(request.query.get("pagina"))
          if (failing.on && page >= 2) return { status: 500, body: "Erro na comunicação com o banco de dados" }
          const body = response.body
          if (page !== 1 || !Predicate.isRecord(body) || !Array.isArray(body.data)) return response
          // The API added a field; on this day only the first page's first record carries it.
          const [first, ...rest]: ReadonlyArray<unknown> = body.data
          return Predicate.isRecord(first)
            ? { ...response, body: { ...body, data: [{ ...first, novoCampo: "x" }, ...rest] } }
            : response
        })
        const db = yield* DuckDB.make({ path: ":memory:" })
        const run = materializeInto(
          db,
          {
            consultaUrl: `${server.url}/api/consulta`,
            detailsUrl: `${server.url}/api/pncp`,
            checkpointEvery: 1,
            retry: RetryPolicy.make({ maxAttempts: 2, baseDelay: "10 millis", maxDelay: "20 millis" })
          },
          { partitions: "2024-07-01|6", selection: "pncp/raw/contratacoes_publicacao" }
        )
        const q = (sql: string) => DuckDB.query(sql).pipe(Effect.provideService(DuckDB.DuckDB, db))

        assert.notStrictEqual((yield* run).status, "Success")
        const [archived] = yield* q(
          `SELECT count(*)::INT AS n FROM raw.api_pages
           WHERE endpoint = 'contratacoes_publicacao' AND http_status = 200 AND payload LIKE '%novoCampo%'`
        )
        assert.strictEqual(archived?.n, 1, "the drifted page 1 is archived by the failed run")
        // the failed attempt stored the departure its pages showed: a partition that keeps failing still reports it
        const flagged =
          "SELECT unknown_fields FROM meta.schema_versions WHERE endpoint = 'contratacoes_publicacao' AND flagged"
        assert.deepStrictEqual((yield* q(flagged)).map((v) => v.unknown_fields), [["novoCampo"]])

        failing.on = false
        const resumed = yield* run
        assert.strictEqual(resumed.status, "Success", JSON.stringify(resumed.failures))
        const [page1] = yield* q(
          "SELECT count(*)::INT AS n FROM raw.api_requests WHERE endpoint = 'contratacoes_publicacao' AND page = 1"
        )
        assert.strictEqual(page1?.n, 1, "the resumed run starts at page 2")
        // the shape of page 1 comes from the archive: stored, flagged, and the partition's drift check fails
        assert.deepStrictEqual((yield* q(flagged)).map((v) => v.unknown_fields), [["novoCampo"]])
        assert.deepStrictEqual(yield* driftChecks(db, "pncp/raw/contratacoes_publicacao"), [true])
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "a drifted partition materialized again with force (re-read from the archive) fails its drift check again",
    () =>
      Effect.gen(function*() {
        const fake = yield* PncpFake.make({ scale: 0.05, drift: { endpoint: "contratos", add: { novoCampo: "x" } } })
        const db = yield* DuckDB.make({ path: ":memory:" })
        const run = (force: boolean) =>
          materializeInto(db, { consultaUrl: fake.consultaUrl, detailsUrl: fake.detailsUrl }, {
            partitions: "2024-07-01",
            selection: "pncp/raw/contratos",
            ...(force ? { force: true } : {})
          })
        assert.strictEqual((yield* run(false)).status, "Success")
        assert.deepStrictEqual(yield* driftChecks(db, "pncp/raw/contratos"), [true])
        const requests = (yield* fake.server.stats).requests
        assert.strictEqual((yield* run(true)).status, "Success")
        assert.strictEqual((yield* fake.server.stats).requests, requests, "force re-reads the archive")
        // the same archived records, the same departure: the partition's drift check fails again
        assert.deepStrictEqual(yield* driftChecks(db, "pncp/raw/contratos"), [true, true])
      }),
    { timeout: 60_000 }
  )
})

describe("Raw: reconciliation, series by series", () => {
  /** A partition of two request series (modalidades 6 and 8 of a day), as `Endpoints.requests` makes for a range. */
  const twoSeries = Raw.make({
    name: "contratacoes_publicacao",
    path: Endpoints.contratacoesPublicacao.path,
    pageSize: 50,
    partitions: Partitions.Static.make(["2024-07-01"]),
    requests: () => [
      { dataInicial: "20240701", dataFinal: "20240701", codigoModalidadeContratacao: 6 },
      { dataInicial: "20240701", dataFinal: "20240701", codigoModalidadeContratacao: 8 }
    ],
    schema: Schemas.Contratacao
  })

  /** Requests of contratações/publicacao by modalidade, counted as the server answers them. */
  const counted = () => {
    const requests = new Map<string, number>()
    return {
      requests,
      count: (request: FaultyHttpServer.Request) => {
        const modalidade = request.query.get("codigoModalidadeContratacao") ?? ""
        requests.set(modalidade, (requests.get(modalidade) ?? 0) + 1)
      }
    }
  }

  const checkpointOf = (db: DuckDB.Service, key: string) =>
    DuckDB.query(
      `SELECT completed FROM meta.page_checkpoints WHERE endpoint = 'contratacoes_publicacao' AND partition_key = $1`,
      [key]
    ).pipe(Effect.provideService(DuckDB.DuckDB, db))

  const run = (db: DuckDB.Service, asset: typeof twoSeries, server: { readonly url: string }) =>
    Effect.gen(function*() {
      const graph = yield* AssetGraph.make([asset])
      return yield* Materializer.materialize(graph, { context, partitions: "2024-07-01" })
    }).pipe(
      Effect.provide(
        Warehouse.services({
          client: {
            consultaUrl: `${server.url}/api/consulta`,
            detailsUrl: server.url,
            retry: RetryPolicy.make({ maxAttempts: 2, baseDelay: "10 millis", maxDelay: "20 millis" })
          }
        }).pipe(Layer.provideMerge(Layer.succeed(DuckDB.DuckDB, db)))
      )
    )

  it.scopedLive(
    "a 204 in the middle of a series fails the partition and resets that series: the next run fetches it again, " +
      "from page 1, and only it",
    () =>
      Effect.gen(function*() {
        const glitch = { on: true }
        const { count, requests } = counted()
        const server = yield* changingPublicacao((request, response) => {
          count(request)
          return glitch.on && request.query.get("codigoModalidadeContratacao") === "8" &&
              Number(request.query.get("pagina")) === 2
            ? { status: 204 }
            : response
        })
        const db = yield* DuckDB.make({ path: ":memory:" })
        const first = yield* run(db, twoSeries, server)
        assert.strictEqual(first.status, "Failure")
        const message = first.failures.map((failure) => failure.message).join("\n")
        assert.match(
          message,
          /series 2024-07-01#2 \(dataInicial 20240701, dataFinal 20240701, codigoModalidadeContratacao 8\) archived 50 records in 1 pages, its pages announced \d+ records in 3 pages/
        )
        assert.include(message, "series 2024-07-01#2 will be fetched again from page 1 on the next run")
        assert.notInclude(message, "2024-07-01#1")
        // the series that reconciled keeps its complete checkpoint; the other has none
        assert.deepStrictEqual(yield* checkpointOf(db, "2024-07-01#1"), [{ completed: true }])
        assert.deepStrictEqual(yield* checkpointOf(db, "2024-07-01#2"), [])

        glitch.on = false
        const before = new Map(requests)
        const second = yield* run(db, twoSeries, server)
        assert.strictEqual(second.status, "Success", JSON.stringify(second.failures))
        // modalidade 6 reconciled: not loaded again; modalidade 8's three pages are fetched again from page 1
        assert.strictEqual(requests.get("6"), before.get("6"))
        assert.strictEqual((requests.get("8") ?? 0) - (before.get("8") ?? 0), 3)
        assert.deepStrictEqual(yield* checkpointOf(db, "2024-07-01#2"), [{ completed: true }])
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "a series whose pages announce different totals fails reconciliation with the figures, and is reset",
    () =>
      Effect.gen(function*() {
        // After pages 1 and 2 of modalidade 8 were answered, a record among them is deleted: page 3 starts one record
        // later and announces one record fewer. The counts then agree with page 3's total, not with the others'.
        const server = yield* changingPublicacao((request, response) => {
          const body = response.body
          if (
            request.query.get("codigoModalidadeContratacao") !== "8" || Number(request.query.get("pagina")) !== 3 ||
            !Predicate.isRecord(body) || !Array.isArray(body.data) || typeof body.totalRegistros !== "number"
          ) return response
          const data: ReadonlyArray<unknown> = body.data
          return { ...response, body: { ...body, data: data.slice(1), totalRegistros: body.totalRegistros - 1 } }
        })
        const db = yield* DuckDB.make({ path: ":memory:" })
        const result = yield* materializeInto(
          db,
          { consultaUrl: `${server.url}/api/consulta`, detailsUrl: `${server.url}/api/pncp` },
          { partitions: "2024-07-01|8", selection: "pncp/raw/contratacoes_publicacao" }
        )
        assert.strictEqual(result.status, "Failure")
        const message = result.failures.map((failure) => failure.message).join("\n")
        const figures = message.match(
          /the pages of series 2024-07-01\|8 announced different totals: (\d+) records in 3 pages \(page\(s\) 1, 2\), (\d+) records in 3 pages \(page\(s\) 3\)/
        )
        assert.isNotNull(figures, message)
        assert.strictEqual(Number(figures?.[2]), Number(figures?.[1]) - 1)
        assert.include(message, "series 2024-07-01|8 will be fetched again from page 1 on the next run")
        assert.deepStrictEqual(yield* checkpointOf(db, "2024-07-01|8"), [])
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "a record missing from one series and one too many in another do not cancel out: both series are named",
    () =>
      Effect.gen(function*() {
        // Modalidade 6's last page loses its last record; modalidade 8's last page repeats its first one.
        const server = yield* changingPublicacao((request, response) => {
          const body = response.body
          if (!Predicate.isRecord(body) || !Array.isArray(body.data) || body.numeroPagina !== body.totalPaginas) {
            return response
          }
          const modalidade = request.query.get("codigoModalidadeContratacao")
          const data: ReadonlyArray<unknown> = body.data
          if (modalidade === "6") return { ...response, body: { ...body, data: data.slice(0, -1) } }
          if (modalidade === "8") return { ...response, body: { ...body, data: [...data, data[0]] } }
          return response
        })
        const db = yield* DuckDB.make({ path: ":memory:" })
        const result = yield* run(db, twoSeries, server)
        assert.strictEqual(result.status, "Failure")
        const message = result.failures.map((failure) => failure.message).join("\n")
        // the sums agree, and are still given
        assert.match(message, /archived (\d+) records in (\d+) pages, the API announced \1 records in \2 pages/)
        assert.match(message, /series 2024-07-01#1 \([^)]*codigoModalidadeContratacao 6\) archived (\d+) records/)
        assert.match(message, /series 2024-07-01#2 \([^)]*codigoModalidadeContratacao 8\) archived (\d+) records/)
        assert.include(
          message,
          "the series 2024-07-01#1, 2024-07-01#2 will be fetched again from page 1 on the next run"
        )
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "an endpoint whose chunkDays the API would refuse fails its step with InvalidEndpoint, before any request",
    () =>
      Effect.gen(function*() {
        const fake = yield* PncpFake.make({ scale: 0.05 })
        const db = yield* DuckDB.make({ path: ":memory:" })
        const asset = Pipeline.rawAsset({ ...Endpoints.contratos, chunkDays: 400 })
        const graph = yield* AssetGraph.make([asset])
        const result = yield* Materializer.materialize(graph, { context, partitions: "2024-07-01" }).pipe(
          Effect.provide(
            Warehouse.services({ client: { consultaUrl: fake.consultaUrl, detailsUrl: fake.detailsUrl } }).pipe(
              Layer.provideMerge(Layer.succeed(DuckDB.DuckDB, db))
            )
          )
        )
        assert.strictEqual(result.status, "Failure")
        assert.include(
          result.failures.map((failure) => failure.message).join("\n"),
          "The chunkDays of endpoint contratos must be a whole number of days from 1 to 365, not 400."
        )
        assert.strictEqual((yield* fake.server.stats).requests, 0)
      }),
    { timeout: 60_000 }
  )
})
