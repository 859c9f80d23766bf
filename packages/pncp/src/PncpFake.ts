/**
 * A faithful local fake of the PNCP API on 127.0.0.1: every consulta route and the detail routes of the `/api/pncp`
 * base, with deterministic, realistic data, the real envelope and status codes, and every fault of `@baliza/testing`'s
 * fault plan available. Tests, benchmarks and the demo run against it, since the real API is out of reach here.
 *
 * **Details**
 *
 * - Data: each record is a pure function of (seed, kind, day, modalidade, index), built on a real record of its kind
 *   (field names, nesting, nulls, accents, the integer `situacaoCompraId`, date-only ata dates), with real órgãos,
 *   unidades and fornecedores from the samples and log-normal values. Nothing is held in memory but small caches: a
 *   month at the default volume is never materialized by the fake. Counts per (kind, day, modalidade) are a hash, not
 *   a generation.
 * - Identities: a record's rank in its year is dealt over a weighted table of the samples' órgãos, so
 *   `numeroControlePNCP` (`{cnpj}-{1|2|0}-{sequencial:6}/{ano}`, manual §4.1) is unique, agrees with
 *   `orgaoEntidade.cnpj`/`anoCompra`/`sequencialCompra`, and decodes back (404 otherwise). A few órgãos dominate and
 *   SP leads; the samples' órgãos are mostly small SC municípios, so the UF mix is only as varied as they are.
 *   Contratos and atas point at contratações that exist; an ata is its contratação's (same órgão and unidade).
 *   An instrumento de cobrança bills a contrato that exists (its k-th, k = 1–4, included 7·k days after the contrato's
 *   publication): (`cnpj`, `ano`, `sequencialContrato`) name it and `recuperarContratoDTO` is that contrato as it stood
 *   then. Instrumentos are listed by their day of inclusão (`dataInclusao`).
 * - Volumes per weekday at `scale` 1 (`volumes` overrides them): ≈ 6,500 contratações (47% dispensa, 28% pregão
 *   eletrônico, 19% inexigibilidade, as counted on a real day; modalidades 2 and 3 empty, so 204), 3,500 contratos,
 *   1,000 atas, 9,000 PCA units, 155 instrumentos de cobrança (≈ 213k and 3.7k a month); weekends a fifth;
 *   5–20 itens and 1–5 arquivos per contratação (`maxArquivos` raises the 5).
 * - Updates: `updateRate` (default 10%) of the contratações, contratos and atas are updated 1–30 days after
 *   publication: a newer `dataAtualizacao`/`dataAtualizacaoGlobal` and changed values, same key. The fake has no clock:
 *   it answers as of a time after every update, so a record has one version, its current one (the updated one if it
 *   has an update), and every endpoint serves that one, the publication endpoints, `/v1/atas`, `contratacoes/proposta`
 *   and the single contratação included (as the real pages do: `contratos.page1.json` has 489 of 500 records updated
 *   after publication). The `…/atualizacao` endpoints select records by their current `dataAtualizacaoGlobal`: on a
 *   day, the records updated that day, then the day's publications without a later update; a window returns each
 *   record once.
 * - `contratacoes/proposta` with `dataFinal` D returns the contratações (modalidades 4–7) whose proposal period
 *   closes on D. `/v1/atas`, as the real one, returns the atas whose vigência overlaps the window, not those published
 *   in it: published by `dataFinal` and still in force on `dataInicial`, by publication day, then as published. An
 *   ata's vigência starts on its publication day and lasts 180 + (its index mod 550) days (at most 729), so at
 *   `scale` 1 (about 1,000 atas a weekday, a fifth on weekends; vigências average ~430 days on a weekday's atas, ~280
 *   on a weekend's) a single day returns roughly 330,000 atas in force (2024-07-10: 328,948; the real API gave
 *   410,326 for 2025-07-10) and July 2024 about 352,000. Counted per publication day in closed form, never generated.
 *   `/v1/atas/atualizacao` selects by the current update day, as the other `…/atualizacao` endpoints. `/v1/pca/` and
 *   `/v1/pca/usuario` return units of `anoPca` (published the year before): `/v1/pca/usuario` those of the user (one in
 *   40); a classificação (`codigoClassificacaoSuperior`, required but possibly empty on `/v1/pca/`) selects the units
 *   with itens of it, each with only those itens. Itens are classed as the real unit's eight.
 * - Filters: every optional parameter of the spec (`Endpoint.filters`: órgão, unidade, UF, município, modo de disputa,
 *   tipo de instrumento, classificação, user) selects the matching records of the unfiltered request, in the same
 *   order. The records carry no user id: the fake gives each publishing system one (`truth.userId`). A filtered request
 *   renders every record of its window once to compare them (a few of its answers are kept), so it is slower than an
 *   unfiltered one (on `/v1/atas`, every ata in force: about a second at `scale` 1).
 * - Validation: 400 with a message for a missing or ill-formed parameter (date not `yyyyMMdd`, `tamanhoPagina`
 *   outside the endpoint's range, missing modalidade, `pagina` < 1, an integer parameter or filter that is not an
 *   integer of its size in the spec — `pagina`, `tamanhoPagina`, `anoPca` int32, the modalidade int64; "1.0" and "1e0"
 *   are not integers, "+01" is 1 — or a filter longer than the spec allows; an empty filter is no filter, and
 *   `/v1/pca/` takes an empty classificação, which the spec allows); 422 for an inverted window or one over 365 days,
 *   with the real API's messages; 204 with no body when nothing matches (and, as an assumption, past the last page);
 *   404 for an unknown compra.
 * - Details: `…/itens` and `…/arquivos` are paged alike (`pagina`, `tamanhoPagina`: 10 by default, `200 []` past the
 *   end), and `…/itens/quantidade` and `…/arquivos/quantidade` answer their count as a bare integer.
 * - The single contratação (`/v1/orgaos/{cnpj}/compras/{ano}/{sequencial}`) is a `RecuperarCompraDTO`: the list's record
 *   with `existeResultado` (homologated or not) and the sigilo fields of a compra sem sigilo (code 1).
 * - `truth` answers what the API would, without HTTP (from the same selection): totals, records of a request, itens
 *   of a compra; `scan` gives a window's publications in their current version, as the API serves them.
 *
 * @since 0.1.0
 */
import * as FaultyHttpServer from "@baliza/testing/FaultyHttpServer"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Endpoints from "./Endpoints.js"
import * as api from "./internal/fakeApi.js"
import * as records from "./internal/fakeRecords.js"

/**
 * How many records of each kind the fake publishes a day (`volumes` of {@link Options} overrides them).
 *
 * @since 0.1.0
 * @category models
 */
export interface Volumes {
  /** Per weekday, at scale 1 (weekends get a fifth). */
  readonly contratacoes: number
  readonly contratos: number
  readonly atas: number
  readonly pca: number
  readonly instrumentos: number
}

/**
 * Schema drift on one endpoint: fields added to, or renamed in, every record it serves.
 *
 * @since 0.1.0
 * @category models
 */
export interface Drift {
  /** The endpoint whose records drift (its name in `Endpoints`). */
  readonly endpoint: string
  /** Fields added to every record. */
  readonly add?: Readonly<Record<string, unknown>> | undefined
  /** Fields renamed: `[from, to]`. */
  readonly rename?: ReadonlyArray<readonly [string, string]> | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly seed?: number | undefined
  /** Multiplies every volume (0.01 … 10; default 1). */
  readonly scale?: number | undefined
  /** Share of records updated again later (default 0.1). */
  readonly updateRate?: number | undefined
  readonly volumes?: Partial<Volumes> | undefined
  /** Faults from `@baliza/testing` (latency, 5xx, 429, hangs, truncation, malformed JSON, resets, outages). */
  readonly faults?: FaultyHttpServer.FaultPlan | undefined
  /** Response latency (overrides `faults.latency`). */
  readonly latency?: FaultyHttpServer.Latency | undefined
  /** Schema drift on one endpoint: fields added or renamed in its records. */
  readonly drift?: Drift | undefined
  /** Most arquivos a contratação has: each has 1 to this many (a positive integer; default 5). */
  readonly maxArquivos?: number | undefined
}

/**
 * A compra of the details routes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Compra {
  readonly cnpj: string
  readonly ano: number
  readonly sequencial: number
}

/**
 * What the fake would answer, computed directly.
 *
 * @since 0.1.0
 * @category models
 */
export interface Truth {
  /** `totalRegistros` of a consulta request (params as the API takes them; throws on a request the API refuses). */
  readonly count: (endpoint: Endpoints.Endpoint | string, params: Readonly<Record<string, string | number>>) => number
  /** Every record a consulta request selects, across its pages, in the API's order. */
  readonly records: (
    endpoint: Endpoints.Endpoint | string,
    params: Readonly<Record<string, string | number>>
  ) => ReadonlyArray<Record<string, unknown>>
  /** How many records of a kind were first published in `from..to` (ISO days, inclusive), without generating them. */
  readonly published: (kind: Endpoints.RecordKind, from: string, to: string) => number
  /**
   * Those records in their current version (as every endpoint serves them), generated one at a time (a month is never
   * held in memory), in publication order.
   */
  readonly scan: (kind: Endpoints.RecordKind, from: string, to: string) => Iterable<Record<string, unknown>>
  /** How many itens a compra has (`undefined` when there is no such compra). */
  readonly itensCount: (compra: Compra) => number | undefined
  readonly arquivosCount: (compra: Compra) => number | undefined
  /** Every item of a compra, as the `…/itens` pages return them (empty when there is no such compra). */
  readonly itens: (compra: Compra) => ReadonlyArray<Record<string, unknown>>
  /** The arquivos of a compra (empty when there is no such compra). */
  readonly arquivos: (compra: Compra) => ReadonlyArray<Record<string, unknown>>
  /** The id the `idUsuario`/`usuarioId` filters select a publishing system by (its `usuarioNome`, an ata's `usuario`). */
  readonly userId: (name: string) => number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface PncpFake {
  /** The server's root: `…/api/consulta` and `…/api/pncp` are below it. */
  readonly url: string
  readonly consultaUrl: string
  readonly detailsUrl: string
  readonly truth: Truth
  readonly server: FaultyHttpServer.FaultyHttpServer
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Fake extends Context.Tag("@baliza/pncp/PncpFake")<Fake, PncpFake>() {}

const configOf = (options: Options): api.Config => ({
  seed: options.seed ?? 2024,
  scale: options.scale ?? 1,
  updateRate: options.updateRate ?? 0.1,
  volumes: { ...records.defaultVolumes, ...options.volumes },
  drift: options.drift
})

const toSearchParams = (params: Readonly<Record<string, string | number>>, page: number, size: number) => {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) query.set(key, String(value))
  query.set("pagina", String(page))
  if (!query.has("tamanhoPagina")) query.set("tamanhoPagina", String(size))
  return query
}

const contratacaoModalidades = Endpoints.modalidades.map((m) => m.codigo)

const endpointOf = (endpoint: Endpoints.Endpoint | string): Endpoints.Endpoint => {
  if (typeof endpoint !== "string") return endpoint
  const found = Endpoints.all.find((e) => e.name === endpoint)
  if (found === undefined) throw new Error(`no such endpoint: ${endpoint}`)
  return found
}

const refuse = (refusal: api.Refusal): FaultyHttpServer.Response => ({
  status: refusal.status,
  body: {
    message: refusal.message,
    status: refusal.status,
    error: refusal.status === 422 ? "422 UNPROCESSABLE_ENTITY" : refusal.status === 404 ? "Not Found" : "Bad Request"
  }
})

/**
 * The integration API's (`/api/pncp`) error body, as a real 404 of it reads:
 * `{"status":"404","error":"404 NOT_FOUND","message":"Ata não cadastrada."}` (API notes §4); its 400 alike.
 */
const refuseDetail = (refusal: api.Refusal): FaultyHttpServer.Response => ({
  status: refusal.status,
  body: {
    status: String(refusal.status),
    error: `${refusal.status} ${
      refusal.status === 404 ? "NOT_FOUND" : refusal.status === 422 ? "UNPROCESSABLE_ENTITY" : "BAD_REQUEST"
    }`,
    message: refusal.message
  }
})

// `ano` and `sequencial` are any path segment: int32 in the spec, so a segment that is not one is a 400, not a 404.
const COMPRA =
  /^\/api\/(consulta|pncp)\/v1\/orgaos\/(\d{14})\/compras\/([^/]+)\/([^/]+)(\/(?:itens|arquivos)(?:\/quantidade)?)?$/

/** The detail routes' paging: optional, 10 itens a page by default; sizes up to 1,000 were measured to work. */
const detailPaging = { bounds: { min: 1, max: 1000 }, defaults: { pagina: 1, tamanhoPagina: 10 } } as const

/** The records of page `pagina` of a detail route, as `slice` bounds: empty past the end (`200 []`). */
const detailPage = (paging: { readonly pagina: number; readonly tamanhoPagina: number }, total: number) => {
  const start = Math.min(total, (paging.pagina - 1) * paging.tamanhoPagina)
  return { start, end: Math.min(total, start + paging.tamanhoPagina) }
}

const makeParts = (options: Options) => {
  const config = configOf(options)
  const selector = api.makeSelector(config)
  const compraOf = (compra: Compra) => api.compraOrigin(config, compra)
  const controlOf = (compra: Compra) => `${compra.cnpj}-1-${String(compra.sequencial).padStart(6, "0")}/${compra.ano}`
  const maxArquivos = Math.max(1, Math.trunc(options.maxArquivos ?? 5))
  const arquivosOf = (compra: Compra) => records.arquivos(config.seed, compra, maxArquivos)

  const consulta = (endpoint: Endpoints.Endpoint): FaultyHttpServer.Route => ({
    method: "GET",
    // With or without the trailing slash (the spec spells `v1/pca/` with one).
    path: new RegExp(`^/api/consulta/${endpoint.path.replace(/\/$/, "")}/?$`),
    handler: (request) => {
      const query = api.parseQuery(endpoint, request.query)
      return "endpoint" in query ? api.answer(config, selector, query) : refuse(query)
    }
  })

  const compraRoute: FaultyHttpServer.Route = {
    method: "GET",
    path: COMPRA,
    handler: (request) => {
      const match = COMPRA.exec(request.path)
      const consulta = match?.[1] === "consulta"
      const refusal = consulta ? refuse : refuseDetail
      const detail = match?.[5]
      // Parameters are bound (and refused) before the compra is looked up.
      const ano = api.parseInteger("ano", "int32", match?.[3] ?? null, true)
      if (api.isRefusal(ano)) return refusal(ano)
      const sequencial = api.parseInteger("sequencial", "int32", match?.[4] ?? null, true)
      if (api.isRefusal(sequencial)) return refusal(sequencial)
      // The spec gives `pagina`/`tamanhoPagina` to itens and arquivos: the fake pages both alike.
      const paging = detail === "/itens" || detail === "/arquivos"
        ? api.parsePaging(request.query, detailPaging.bounds, detailPaging.defaults)
        : detailPaging.defaults
      if (api.isRefusal(paging)) return refusal(paging)
      const compra = { cnpj: match?.[2] ?? "", ano: ano ?? 0, sequencial: sequencial ?? 0 }
      const origin = compraOf(compra)
      if (origin === undefined) return refusal({ status: 404, message: "Contratação não cadastrada." })
      const control = controlOf(compra)
      if (consulta) {
        return detail === undefined
          ? { status: 200, body: records.compra(config, origin) }
          : refuse({ status: 404, message: "Recurso não encontrado" })
      }
      if (detail === "/arquivos" || detail === "/arquivos/quantidade") {
        const arquivos = arquivosOf(compra)
        const { end, start } = detailPage(paging, arquivos.length)
        return { status: 200, body: detail === "/arquivos" ? arquivos.slice(start, end) : arquivos.length }
      }
      const total = records.itensCount(config.seed, control)
      if (detail === "/itens/quantidade") return { status: 200, body: total }
      if (detail !== "/itens") return refusal({ status: 404, message: "Recurso não encontrado" })
      const { end, start } = detailPage(paging, total)
      const itens = Array.from({ length: end - start }, (_, i) => records.item(config.seed, control, start + i + 1))
      return { status: 200, body: itens }
    }
  }

  const routes: FaultyHttpServer.Routes = [
    ...Endpoints.all.filter((endpoint) => endpoint.partitioning !== "onDemand").map(consulta),
    compraRoute
  ]

  const queryOf = (endpoint: Endpoints.Endpoint, params: Readonly<Record<string, string | number>>, page: number) => {
    const query = api.parseQuery(endpoint, toSearchParams(params, page, endpoint.pageSize.max))
    if (!("endpoint" in query)) throw new Error(`the fake refuses it: ${query.message}`)
    return query
  }

  const origins = function*(kind: Endpoints.RecordKind, from: string, to: string) {
    for (let day = records.dayNumber(from); day <= records.dayNumber(to); day++) {
      for (const modalidade of kind === "contratacao" ? contratacaoModalidades : [0]) {
        const n = records.count(config, kind, day, modalidade)
        for (let index = 0; index < n; index++) yield { kind, day, modalidade, index }
      }
    }
  }

  const truth: Truth = {
    count: (endpoint, params) => selector.total(queryOf(endpointOf(endpoint), params, 1)),
    records: (endpoint, params) => {
      const query = queryOf(endpointOf(endpoint), params, 1)
      return selector.slice(query, 0, selector.total(query)).map((origin) => api.serve(config, query, origin))
    },
    published: (kind, from, to) => {
      let total = 0
      for (let day = records.dayNumber(from); day <= records.dayNumber(to); day++) {
        for (const modalidade of kind === "contratacao" ? contratacaoModalidades : [0]) {
          total += records.count(config, kind, day, modalidade)
        }
      }
      return total
    },
    scan: (kind, from, to) => ({
      *[Symbol.iterator]() {
        for (const origin of origins(kind, from, to)) yield api.render(config, "", origin)
      }
    }),
    itensCount: (compra) =>
      compraOf(compra) === undefined ? undefined : records.itensCount(config.seed, controlOf(compra)),
    arquivosCount: (compra) => compraOf(compra) === undefined ? undefined : arquivosOf(compra).length,
    itens: (compra) => {
      if (compraOf(compra) === undefined) return []
      const control = controlOf(compra)
      return Array.from(
        { length: records.itensCount(config.seed, control) },
        (_, i) => records.item(config.seed, control, i + 1)
      )
    },
    arquivos: (compra) => compraOf(compra) === undefined ? [] : arquivosOf(compra),
    userId: api.userId
  }
  return { routes, truth }
}

/**
 * The fake's routes, to serve with `FaultyHttpServer` (or any server taking its route table).
 *
 * @since 0.1.0
 * @category constructors
 */
export const routes = (options: Options = {}): FaultyHttpServer.Routes => makeParts(options).routes

/**
 * The answers of a fake, without a server.
 *
 * @since 0.1.0
 * @category constructors
 */
export const truth = (options: Options = {}): Truth => makeParts(options).truth

/**
 * Starts the fake on 127.0.0.1 (a random free port), closed with the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<PncpFake, never, Scope.Scope> =>
  Effect.gen(function*() {
    const parts = makeParts(options)
    // A fault plan FaultyHttpServer refuses (a NaN rate, a negative latency) is a mistake in the test: a defect here.
    const server = yield* FaultyHttpServer.make({
      routes: parts.routes,
      faults: { ...options.faults, latency: options.latency ?? options.faults?.latency }
    }).pipe(Effect.orDie)
    return {
      url: server.url,
      consultaUrl: `${server.url}/api/consulta`,
      detailsUrl: `${server.url}/api/pncp`,
      truth: parts.truth,
      server
    }
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Fake> => Layer.scoped(Fake, make(options))
