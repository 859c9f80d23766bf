/**
 * The fake's answers: which records a consulta request selects, validation as the real API does it, and the
 * envelope. Pure functions of the request, so the same request always gets the same bytes.
 *
 * @internal
 */
import type * as FaultyHttpServer from "@baliza/testing/FaultyHttpServer"
import type * as Endpoints from "../Endpoints.js"
import type * as PncpFake from "../PncpFake.js"
import * as records from "./fakeRecords.js"

/** @internal Declared by the public module: `PncpFake.Drift`. */
export type Drift = PncpFake.Drift

/** @internal */
export interface Config extends records.Shape {
  readonly drift?: Drift | undefined
}

type Origin = records.Origin

const kindOf: Readonly<Record<string, records.Kind>> = {
  contratacao: "contratacao",
  contrato: "contrato",
  ata: "ata",
  pca: "pca",
  instrumento: "instrumento"
}

const contratacaoModalidades = Object.keys(records.modalidadeShare).map(Number)
const propostaModalidades = [4, 5, 6, 7]

/** @internal A consulta request, validated: the endpoint, its window in day numbers and its filters. */
export interface Query {
  readonly endpoint: Endpoints.Endpoint
  readonly from: number
  readonly to: number
  readonly modalidade: number | undefined
  readonly pagina: number
  readonly tamanhoPagina: number
  /** For `/v1/pca/usuario`: the user that selects one unit in `STRIDE`. */
  readonly selector?: string | undefined
  /** The endpoint's filters the request gives (`Endpoint.filters`), by name, as given. */
  readonly filters: ReadonlyArray<readonly [string, string]>
}

/** One PCA unit in this many is a user's. */
const STRIDE = 40

/** @internal A request the API refuses. */
export interface Refusal {
  readonly status: 400 | 404 | 422
  readonly message: string
}

const DATE = /^(\d{4})(\d{2})(\d{2})$/

const parseDate = (name: string, value: string | null): number | Refusal => {
  if (value === null || value === "") return { status: 400, message: `Parâmetro obrigatório não informado: ${name}` }
  const match = DATE.exec(value)
  const iso = match === null ? "" : `${match[1]}-${match[2]}-${match[3]}`
  if (
    match === null || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || records.isoDay(records.dayNumber(iso)) !== iso
  ) {
    return { status: 400, message: `Formato de data inválido para ${name}: ${value} (esperado AAAAMMDD)` }
  }
  return records.dayNumber(iso)
}

/** @internal */
export const isRefusal = (u: unknown): u is Refusal => typeof u === "object" && u !== null && "status" in u

const integerBounds = { int32: 2n ** 31n, int64: 2n ** 63n } as const

/** An integer parameter of the spec's size, in its canonical decimal form ("+007" is "7"), or its refusal. */
const parseSizedInteger = (name: string, type: "int32" | "int64", value: string): string | Refusal => {
  if (/^[+-]?\d+$/.test(value)) {
    const n = BigInt(value)
    if (n >= -integerBounds[type] && n < integerBounds[type]) return n.toString()
  }
  return { status: 400, message: `Valor inválido para ${name}: ${value}` }
}

/**
 * @internal An integer parameter of the spec's size: "+007" is 7, "1.0", "1e0" and values out of range are refused,
 * as Spring binds an `Integer` or a `Long`.
 */
export const parseInteger = (
  name: string,
  type: "int32" | "int64",
  value: string | null,
  required: boolean
): number | undefined | Refusal => {
  if (value === null || value === "") {
    return required ? { status: 400, message: `Parâmetro obrigatório não informado: ${name}` } : undefined
  }
  const integer = parseSizedInteger(name, type, value)
  return isRefusal(integer) ? integer : Number(integer)
}

/**
 * The filters a request gives, validated as the spec types them. An empty value is no filter (Spring binds it as
 * absent); `codigoModalidadeContratacao` is the query's `modalidade`, not a record filter.
 */
const parseFilters = (
  endpoint: Endpoints.Endpoint,
  query: URLSearchParams
): ReadonlyArray<readonly [string, string]> | Refusal => {
  const filters: Array<readonly [string, string]> = []
  for (const filter of endpoint.filters) {
    const value = query.get(filter.name)
    // An empty integer is absent (Spring binds it as null); an empty string is checked against its minimum length.
    if (value === null || (value === "" && filter.type !== "string")) continue
    if (filter.type === "string" && value === "" && (filter.minLength ?? 0) === 0) continue
    let canonical = value
    if (filter.type !== "string") {
      const integer = parseSizedInteger(filter.name, filter.type, value)
      if (isRefusal(integer)) return integer
      canonical = integer
    } else if (value.length < (filter.minLength ?? 0) || value.length > (filter.maxLength ?? Infinity)) {
      return {
        status: 400,
        message: `Tamanho inválido para ${filter.name}: entre ${filter.minLength ?? 0} e ${filter.maxLength} caracteres`
      }
    }
    // The query's modalidade, not a record filter.
    if (filter.name !== "codigoModalidadeContratacao") filters.push([filter.name, canonical])
  }
  return filters
}

/**
 * @internal `pagina` and `tamanhoPagina` as the spec types them (int32, `pagina` at least 1, the size within `bounds`),
 * on the consulta routes and the detail ones alike. Without a default `pagina` is required.
 */
export const parsePaging = (
  query: URLSearchParams,
  bounds: { readonly min: number; readonly max: number },
  defaults: { readonly pagina?: number; readonly tamanhoPagina: number }
): { readonly pagina: number; readonly tamanhoPagina: number } | Refusal => {
  const given = parseInteger("pagina", "int32", query.get("pagina"), defaults.pagina === undefined)
  if (isRefusal(given)) return given
  const pagina = given ?? defaults.pagina ?? 0
  if (pagina < 1) return { status: 400, message: "pagina deve ser maior ou igual a 1" }
  const size = parseInteger("tamanhoPagina", "int32", query.get("tamanhoPagina"), false)
  if (isRefusal(size)) return size
  const tamanhoPagina = size ?? defaults.tamanhoPagina
  if (tamanhoPagina < bounds.min || tamanhoPagina > bounds.max) {
    return {
      status: 400,
      message: `Tamanho de página inválido: ${tamanhoPagina} (entre ${bounds.min} e ${bounds.max})`
    }
  }
  return { pagina, tamanhoPagina }
}

/** @internal Validates a consulta request as the real API does. */
export const parseQuery = (endpoint: Endpoints.Endpoint, query: URLSearchParams): Query | Refusal => {
  const paging = parsePaging(query, endpoint.pageSize, { tamanhoPagina: endpoint.pageSize.max })
  if (isRefusal(paging)) return paging
  const { pagina, tamanhoPagina } = paging
  const modalidade = parseInteger(
    "codigoModalidadeContratacao",
    "int64",
    query.get("codigoModalidadeContratacao"),
    endpoint.required.includes("codigoModalidadeContratacao")
  )
  if (isRefusal(modalidade)) return modalidade
  const filters = parseFilters(endpoint, query)
  if (isRefusal(filters)) return filters
  if (endpoint.partitioning === "year") {
    // Units of a year's plan are published the year before; a user selects one in STRIDE, a classificação the units
    // with itens of it.
    const ano = parseInteger("anoPca", "int32", query.get("anoPca"), true)
    if (isRefusal(ano)) return ano
    const name = endpoint.required.find((p) => p !== "anoPca") ?? "codigoClassificacaoSuperior"
    // The spec allows an empty classificação (length 0 to 100): only a missing one is refused.
    const given = query.get(name)
    if (given === null || (given === "" && name !== "codigoClassificacaoSuperior")) {
      return { status: 400, message: `Parâmetro obrigatório não informado: ${name}` }
    }
    if (given.length > 100) {
      return { status: 400, message: `Tamanho inválido para ${name}: entre 0 e 100 caracteres` }
    }
    // The user is an int64 in the spec: "007" and "7" are the same user, "abc" none.
    const selector = name === "idUsuario" ? parseSizedInteger(name, "int64", given) : undefined
    if (isRefusal(selector)) return selector
    const year = ano ?? 0
    if (year < 2000 || year > 2100) return { status: 400, message: `Valor inválido para anoPca: ${year}` }
    const from = records.dayNumber(`${year - 1}-01-01`)
    const to = records.dayNumber(`${year - 1}-12-31`)
    // `/v1/pca/`'s classificação filters as `/v1/pca/usuario`'s optional one does; empty, it is no filter.
    const byYear = selector === undefined && given !== "" ? [...filters, [name, given] as const] : filters
    return { endpoint, from, to, modalidade, pagina, tamanhoPagina, selector, filters: byYear }
  }
  if (endpoint.partitioning === "dataFinal") {
    const to = parseDate("dataFinal", query.get("dataFinal"))
    return isRefusal(to) ? to : { endpoint, from: to, to, modalidade, pagina, tamanhoPagina, filters }
  }
  const names = endpoint.window ?? { from: "dataInicial", to: "dataFinal" }
  const from = parseDate(names.from, query.get(names.from))
  if (isRefusal(from)) return from
  const to = parseDate(names.to, query.get(names.to))
  if (isRefusal(to)) return to
  // The real API's texts (API notes §2.2, from production logs).
  if (from > to) return { status: 422, message: "Data Inicial deve ser anterior ou igual à Data Final" }
  if (to - from > 365) return { status: 422, message: "Período inicial e final maior que 365 dias." }
  return { endpoint, from, to, modalidade, pagina, tamanhoPagina, filters }
}

/**
 * One run of records: `count` records, of which `origins(from, to)` gives `[from, to)`. A run names records, not
 * versions: every record is served as it stands now (`recordOf`).
 */
interface Run {
  readonly origins: (from: number, to: number) => ReadonlyArray<Origin>
  readonly count: number
}

const sequentialRun = (kind: records.Kind, day: number, modalidade: number, count: number): Run => ({
  count,
  origins: (from, to) =>
    Array.from({ length: Math.max(0, to - from) }, (_, k) => ({ kind, day, modalidade, index: from + k }))
})

const listRun = (list: ReadonlyArray<Origin>): Run => ({
  count: list.length,
  origins: (from, to) => list.slice(from, to)
})

/** The records of `indexes` (a day's publications, in index order). */
const indexRun = (kind: records.Kind, day: number, modalidade: number, indexes: Uint32Array): Run => ({
  count: indexes.length,
  origins: (from, to) => Array.from(indexes.subarray(from, to), (index) => ({ kind, day, modalidade, index }))
})

const { min: vigenciaMin, spread: vigenciaSpread } = records.ataVigencia

/**
 * The `count` atas published on `day` whose vigência reaches `first`, in index order, or none. Ata `i` lasts until
 * `day + min + i % spread`, so those are the indexes with `i % spread >= t`: counted and dealt in closed form, since a
 * window reaches two years of atas back.
 */
const inForceRun = (day: number, count: number, first: number): Run | undefined => {
  const t = first - day - vigenciaMin
  if (t <= 0) return sequentialRun("ata", day, 0, count)
  if (t >= vigenciaSpread) return undefined
  const kept = vigenciaSpread - t
  const matched = Math.floor(count / vigenciaSpread) * kept + Math.max(0, (count % vigenciaSpread) - t)
  return {
    count: matched,
    origins: (from, to) =>
      Array.from({ length: Math.max(0, to - from) }, (_, j) => {
        const k = from + j
        const index = Math.floor(k / kept) * vigenciaSpread + t + (k % kept)
        return { kind: "ata", day, modalidade: 0, index } as const
      })
  }
}

/** @internal The generator of the fake's runs, with the update lists cached per day. */
export const makeSelector = (config: Config) => {
  const updates = new Map<string, ReadonlyArray<Origin>>()
  const count = (kind: records.Kind, day: number, modalidade: number) => records.count(config, kind, day, modalidade)

  /** A publication's records: those updated later, by update day, and those never updated (`kept`). */
  interface Buckets {
    readonly byDay: ReadonlyMap<number, ReadonlyArray<number>>
    readonly kept: Uint32Array
  }
  // Per publication (kind, day, modalidade), in one pass: the indexes of its records updated later, by update day, and
  // the indexes of the others, whose publication is still their current version.
  const buckets = new Map<string, Buckets>()
  const bucketsOf = (kind: records.Kind, published: number, modalidade: number): Buckets => {
    const key = `${kind}|${published}|${modalidade}`
    let found = buckets.get(key)
    if (found === undefined) {
      const byDay = new Map<number, Array<number>>()
      const n = count(kind, published, modalidade)
      const kept = new Uint32Array(n)
      let k = 0
      for (let index = 0; index < n; index++) {
        const day = records.updateDay(config, { kind, day: published, modalidade, index })
        if (day === undefined) {
          kept[k++] = index
          continue
        }
        const list = byDay.get(day)
        if (list === undefined) byDay.set(day, [index])
        else list.push(index)
      }
      found = { byDay, kept: kept.slice(0, k) }
      buckets.set(key, found)
    }
    return found
  }

  /** Records published in the 30 days before `day` and updated on `day`. */
  const updatedOn = (kind: records.Kind, day: number, modalidade: number) => {
    const key = `${kind}|${day}|${modalidade}`
    let list = updates.get(key)
    if (list === undefined) {
      const found: Array<Origin> = []
      for (let published = day - 30; published < day; published++) {
        for (const index of bucketsOf(kind, published, modalidade).byDay.get(day) ?? []) {
          found.push({ kind, day: published, modalidade, index })
        }
      }
      list = found
      updates.set(key, list)
    }
    return list
  }

  // `/v1/atas` reaches 729 days before its window: each page would rebuild ~760 runs, so the last few windows' are kept.
  const inForce = new Map<string, ReadonlyArray<Run>>()
  /** The atas in force in `[from, to]`: published by `to`, vigência reaching `from`; by publication day, then index. */
  const atasInForce = (from: number, to: number): ReadonlyArray<Run> => {
    const key = `${from}|${to}`
    const found = inForce.get(key)
    if (found !== undefined) return found
    const out: Array<Run> = []
    for (let day = from - vigenciaMin - vigenciaSpread + 1; day <= to; day++) {
      const run = inForceRun(day, count("ata", day, 0), from)
      if (run !== undefined && run.count > 0) out.push(run)
    }
    const oldest = inForce.keys().next()
    if (inForce.size >= 16 && oldest.done !== true) inForce.delete(oldest.value)
    inForce.set(key, out)
    return out
  }

  /** The runs a query selects, in the order the API returns them. */
  const runs = (query: Query): ReadonlyArray<Run> => {
    if (query.filters.length > 0) return [listRun(matching(query))]
    // The real `/v1/atas` returns the atas whose vigência overlaps the window (API notes §2.3), not a day's.
    if (query.endpoint.kind === "ata" && !query.endpoint.name.endsWith("_atualizacao")) {
      return atasInForce(query.from, query.to)
    }
    const kind = kindOf[query.endpoint.kind] ?? "contrato"
    const modalidades = query.endpoint.kind === "contratacao"
      ? (query.modalidade === undefined ? contratacaoModalidades : [query.modalidade])
      : [0]
    const out: Array<Run> = []
    for (let day = query.from; day <= query.to; day++) {
      for (const modalidade of modalidades) {
        if (query.selector !== undefined) {
          const n = count(kind, day, modalidade)
          const offset = records.hash(config.seed, query.selector, day) % STRIDE
          out.push({
            count: n > offset ? Math.ceil((n - offset) / STRIDE) : 0,
            origins: (from, to) =>
              Array.from(
                { length: Math.max(0, to - from) },
                (_, k) => ({ kind, day, modalidade, index: offset + (from + k) * STRIDE })
              )
          })
        } else if (query.endpoint.partitioning === "dataFinal") {
          // Contratações whose proposal period closes on the day (8–14 days after publication).
          if (!propostaModalidades.includes(modalidade)) continue
          const closing: Array<Origin> = []
          for (let published = day - 14; published <= day - 8; published++) {
            const n = count(kind, published, modalidade)
            for (let index = day - published - 8; index < n; index += 7) {
              closing.push({ kind, day: published, modalidade, index })
            }
          }
          out.push(listRun(closing))
        } else if (query.endpoint.name.endsWith("_atualizacao") && kind !== "pca") {
          // A record's current dataAtualizacaoGlobal is its update day, or its publication day if it has no update: the
          // day's updates of earlier records, then the day's publications not updated later, each record once. Updates
          // first: they were published earlier (the API sorts by dataPublicacaoPncp).
          out.push(listRun(updatedOn(kind, day, modalidade)))
          out.push(indexRun(kind, day, modalidade, bucketsOf(kind, day, modalidade).kept))
        } else {
          out.push(sequentialRun(kind, day, modalidade, count(kind, day, modalidade)))
        }
      }
    }
    return out
  }

  const total = (query: Query): number => runs(query).reduce((sum, run) => sum + run.count, 0)

  /** The origins of records `[from, to)` of the query's sequence. */
  const slice = (query: Query, from: number, to: number): ReadonlyArray<Origin> => {
    const out: Array<Origin> = []
    let offset = 0
    for (const run of runs(query)) {
      const start = Math.max(from - offset, 0)
      const end = Math.min(to - offset, run.count)
      if (start < end) out.push(...run.origins(start, end))
      offset += run.count
      if (offset >= to) break
    }
    return out
  }

  // A filtered query's records are those of the same query unfiltered that match, in the same order: found once per
  // query (the last few are kept), each record rendered to be compared.
  const filtered = new Map<string, ReadonlyArray<Origin>>()
  const matching = (query: Query): ReadonlyArray<Origin> => {
    const key = JSON.stringify([
      query.endpoint.name,
      query.from,
      query.to,
      query.modalidade,
      query.selector,
      query.filters
    ])
    const found = filtered.get(key)
    if (found !== undefined) return found
    const unfiltered = { ...query, filters: [] }
    const list = slice(unfiltered, 0, total(unfiltered)).filter((origin) =>
      // The server filters its own data: a drift of the served shape does not change what matches.
      matches(query, recordOf(config, origin))
    )
    const oldest = filtered.keys().next()
    if (filtered.size >= 16 && oldest.done !== true) filtered.delete(oldest.value)
    filtered.set(key, list)
    return list
  }

  return { runs, total, slice }
}

/** @internal The id the fake gives the system (`usuarioNome`, an ata's `usuario`) that published a record. */
export const userId = (name: string): number => 1 + (records.hash(0, "usuario", name) % 10_000)

const field = (record: unknown, ...path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      typeof value === "object" && value !== null ? Object.getOwnPropertyDescriptor(value, key)?.value : undefined,
    record
  )

const user = (record: unknown, key: string) => {
  const name = field(record, key)
  return typeof name === "string" ? userId(name) : undefined
}

/** What each filter compares, by record kind: the record's values for it (a PCA unit has one per item). */
const filterValues: {
  readonly [K in records.Kind]: Readonly<Record<string, (record: unknown) => ReadonlyArray<unknown>>>
} = {
  contratacao: {
    uf: (r) => [field(r, "unidadeOrgao", "ufSigla")],
    codigoMunicipioIbge: (r) => [field(r, "unidadeOrgao", "codigoIbge")],
    cnpj: (r) => [field(r, "orgaoEntidade", "cnpj")],
    codigoUnidadeAdministrativa: (r) => [field(r, "unidadeOrgao", "codigoUnidade")],
    codigoModoDisputa: (r) => [field(r, "modoDisputaId")],
    idUsuario: (r) => [user(r, "usuarioNome")]
  },
  contrato: {
    cnpjOrgao: (r) => [field(r, "orgaoEntidade", "cnpj")],
    codigoUnidadeAdministrativa: (r) => [field(r, "unidadeOrgao", "codigoUnidade")],
    usuarioId: (r) => [user(r, "usuarioNome")]
  },
  ata: {
    cnpj: (r) => [field(r, "cnpjOrgao")],
    codigoUnidadeAdministrativa: (r) => [field(r, "codigoUnidadeOrgao")],
    idUsuario: (r) => [user(r, "usuario")]
  },
  pca: {
    cnpj: (r) => [field(r, "orgaoEntidadeCnpj")],
    codigoUnidade: (r) => [field(r, "codigoUnidade")],
    codigoClassificacaoSuperior: (r) => {
      const itens = field(r, "itens")
      return Array.isArray(itens) ? itens.map((item) => field(item, "classificacaoSuperiorCodigo")) : []
    }
  },
  instrumento: {
    cnpjOrgao: (r) => [field(r, "cnpj")],
    tipoInstrumentoCobranca: (r) => [field(r, "tipoInstrumentoCobranca", "id")]
  }
}

/** Whether a record passes every filter of the query: the same text, or the same number for an integer filter. */
const matches = (query: Query, record: unknown): boolean =>
  query.filters.every(([name, value]) => {
    const values = filterValues[kindOf[query.endpoint.kind] ?? "contrato"][name]?.(record) ?? []
    // An integer filter's value is canonical (parseFilters), and so is a number's decimal text.
    return values.some((v) => (typeof v === "number" ? String(v) : v) === value)
  })

const applyDrift = (drift: Drift | undefined, endpoint: string, record: Record<string, unknown>) => {
  if (drift === undefined || drift.endpoint !== endpoint) return record
  const out: Record<string, unknown> = { ...record, ...drift.add }
  for (const [from, to] of drift.rename ?? []) {
    out[to] = out[from]
    delete out[from]
  }
  return out
}

/**
 * The record an origin stands for, before any drift of the endpoint's shape: its current version (the updated one if
 * it has an update), as every endpoint serves it. The fake has no clock: it answers as of a time after every update.
 */
const recordOf = (config: Config, origin: Origin): Record<string, unknown> =>
  origin.kind === "contratacao"
    ? records.contratacao(config, origin, records.isUpdated(config, origin))
    : origin.kind === "contrato"
    ? records.contrato(config, origin, records.isUpdated(config, origin))
    : origin.kind === "ata"
    ? records.ata(config, origin, records.isUpdated(config, origin))
    : origin.kind === "pca"
    ? records.pca(config, origin)
    : records.instrumento(config, origin)

/** @internal The record an origin stands for, as the endpoint serves it. */
export const render = (config: Config, endpoint: string, origin: Origin) =>
  applyDrift(config.drift, endpoint, recordOf(config, origin))

/**
 * @internal A record as a query's answer serves it: asked by classificação, a PCA unit comes with only its itens of
 * that classificação (the API's "itens de PCA por classificação superior"; a consumer measured a unit with 32 of its
 * 435+ itens on such a page).
 */
export const serve = (config: Config, query: Query, origin: Origin): Record<string, unknown> => {
  const record = render(config, query.endpoint.name, origin)
  const classificacao = query.filters.find(([name]) => name === "codigoClassificacaoSuperior")?.[1]
  const itens = record.itens
  if (classificacao === undefined || !Array.isArray(itens)) return record
  return { ...record, itens: itens.filter((item) => field(item, "classificacaoSuperiorCodigo") === classificacao) }
}

/** @internal The answer to a consulta request. */
export const answer = (
  config: Config,
  selector: ReturnType<typeof makeSelector>,
  query: Query
): FaultyHttpServer.Response => {
  const total = selector.total(query)
  const totalPaginas = Math.ceil(total / query.tamanhoPagina)
  // Empty, or past the last page (unknown in reality: the API documents only the empty case): 204 with no body.
  if (total === 0 || query.pagina > totalPaginas) return { status: 204 }
  const start = (query.pagina - 1) * query.tamanhoPagina
  const data = selector.slice(query, start, start + query.tamanhoPagina).map((origin) => serve(config, query, origin))
  return {
    status: 200,
    headers: { "content-type": "application/json" },
    body: {
      data,
      totalRegistros: total,
      totalPaginas,
      numeroPagina: query.pagina,
      paginasRestantes: totalPaginas - query.pagina,
      empty: false
    }
  }
}

/** @internal Decodes a contratação's (cnpj, ano, sequencial) back to its origin; undefined when it does not exist. */
export const compraOrigin = (
  config: Config,
  compra: { readonly cnpj: string; readonly ano: number; readonly sequencial: number }
): Origin | undefined => records.decode(config, "contratacao", compra)
