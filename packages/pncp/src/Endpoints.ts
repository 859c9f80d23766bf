/**
 * The catalog of the PNCP consulta API (`openapi-consulta.json`, "API PNCP CONSULTA" 1.0): the 12 operations with
 * their paths, parameter names exactly as the spec spells them, page-size limits, and how the pipeline partitions them.
 *
 * **Details**
 *
 * - Contratações (publicação, atualização) require `codigoModalidadeContratacao`: a day is one request series per
 *   modalidade (1–13), so they are partitioned by day × modalidade, with keys `2024-07-01|6`.
 * - Contratos, `atas/atualizacao`, `contratos/atualizacao` and instrumentos de cobrança are partitioned by day; PCA
 *   by update day (`/v1/pca/atualizacao`, whose dates are named `dataInicio`/`dataFim`); `contratacoes/proposta` by
 *   its single `dataFinal`.
 * - `/v1/atas` selects the atas whose *vigência overlaps* the window, not those published in it: a single day returns
 *   every ata in force (about 410,000 on the real API). It is partitioned by month, one request series per month
 *   (`2024-07` → `dataInicial=20240701&dataFinal=20240731`), which is "the atas in force in that month": split into
 *   days or chunks, each ata in force would come once per piece.
 * - `/v1/pca/` (by year and classificação) and `/v1/pca/usuario` (by year and user) need a value the pipeline cannot
 *   enumerate, and the single-contratação lookup is on demand: they are in the catalog, not raw assets.
 * - A partition key may also be a month (`2024-07`) or a range (`2024-07-01..2024-07-31`): the window is then split
 *   into request series of `chunkDays` days (the seed's defaults: contratações 3, contratos 7, atas 15, instrumentos 30,
 *   PCA 90), each with its own checkpoint.
 * - Page sizes: always the maximum the spec allows (`tamanhoPagina` 50 for contratações, 100 for instrumentos, 500 for
 *   the rest).
 *
 * @since 0.1.0
 */
import type * as HttpSource from "@baliza/extract/HttpSource"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/**
 * The consulta API's base; every `path` of the catalog is relative to it.
 *
 * @since 0.1.0
 * @category models
 */
export const baseUrl = "https://pncp.gov.br/api/consulta"

/**
 * The base of the detail routes (itens, arquivos of a contratação).
 *
 * @since 0.1.0
 * @category models
 */
export const detailsBaseUrl = "https://pncp.gov.br/api/pncp"

/**
 * How an endpoint's data is split into partitions.
 *
 * @since 0.1.0
 * @category models
 */
export type Partitioning = "day" | "dayModalidade" | "month" | "dataFinal" | "year" | "onDemand"

/**
 * The record type an endpoint returns.
 *
 * @since 0.1.0
 * @category models
 */
export type RecordKind = "contratacao" | "contrato" | "ata" | "pca" | "instrumento"

/**
 * An optional query parameter of an operation (a filter), as the spec declares it: `integer` parameters are int32 or
 * int64, `string` ones may bound their length.
 *
 * @since 0.1.0
 * @category models
 */
export interface Filter {
  readonly name: string
  readonly type: "int32" | "int64" | "string"
  readonly minLength?: number | undefined
  readonly maxLength?: number | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Endpoint {
  readonly name: string
  /** Relative to the consulta base (`https://pncp.gov.br/api/consulta`). */
  readonly path: string
  readonly operationId: string
  readonly kind: RecordKind
  readonly partitioning: Partitioning
  readonly pageSize: { readonly min: number; readonly max: number }
  /** Required query parameters besides `pagina`, as the spec names them. */
  readonly required: ReadonlyArray<string>
  /** Optional query parameters besides `tamanhoPagina`: the filters the spec documents. */
  readonly filters: ReadonlyArray<Filter>
  /** The names of the window's dates, when the endpoint takes a window. */
  readonly window?: { readonly from: string; readonly to: string } | undefined
  /** Days per request series when a partition spans more than a day: a whole number from 1 to {@link maxChunkDays}. */
  readonly chunkDays: number
  /** The fields that together identify a record, and the one that dates its version: what staging dedups by. */
  readonly naturalKey: ReadonlyArray<string>
  readonly updatedAt: string
  /** Whether the pipeline has a raw asset for it. */
  readonly extracted: boolean
}

const dated = { from: "dataInicial", to: "dataFinal" } as const

const int32 = (name: string): Filter => ({ name, type: "int32" })
const int64 = (name: string): Filter => ({ name, type: "int64" })
const text = (name: string, maxLength?: number): Filter =>
  maxLength === undefined ? { name, type: "string" } : { name, type: "string", minLength: 1, maxLength }

const contratacaoFilters = (unidadeMaxLength?: number): ReadonlyArray<Filter> => [
  text("uf"),
  text("codigoMunicipioIbge"),
  text("cnpj"),
  text("codigoUnidadeAdministrativa", unidadeMaxLength),
  int64("idUsuario")
]
const contratoFilters = [text("cnpjOrgao"), text("codigoUnidadeAdministrativa"), int64("usuarioId")]
const ataFilters = [int64("idUsuario"), text("cnpj"), text("codigoUnidadeAdministrativa", 30)]

/** How a record of each kind is identified and versioned: the staging tables' key and `newest`. */
const versioning: {
  readonly [K in RecordKind]: Pick<Endpoint, "naturalKey" | "updatedAt">
} = {
  contratacao: { naturalKey: ["numeroControlePNCP"], updatedAt: "dataAtualizacaoGlobal" },
  contrato: { naturalKey: ["numeroControlePNCP"], updatedAt: "dataAtualizacaoGlobal" },
  ata: { naturalKey: ["numeroControlePNCPAta"], updatedAt: "dataAtualizacaoGlobal" },
  pca: { naturalKey: ["idPcaPncp"], updatedAt: "dataAtualizacaoGlobalPCA" },
  // No single identifier: the contrato's (cnpj, ano, sequencial) and the instrumento's own sequencial.
  instrumento: {
    naturalKey: ["cnpj", "ano", "sequencialContrato", "sequencialInstrumentoCobranca"],
    updatedAt: "dataAtualizacao"
  }
}

const contratacoes = (
  name: string,
  path: string,
  operationId: string,
  partitioning: Partitioning,
  required: ReadonlyArray<string>,
  filters: ReadonlyArray<Filter>,
  window: Endpoint["window"]
): Endpoint => ({
  name,
  path,
  operationId,
  kind: "contratacao",
  partitioning,
  pageSize: { min: 10, max: 50 },
  required,
  filters,
  window,
  chunkDays: 3,
  ...versioning.contratacao,
  extracted: true
})

const daily = (
  name: string,
  path: string,
  operationId: string,
  kind: RecordKind,
  chunkDays: number,
  filters: ReadonlyArray<Filter>,
  maxPageSize = 500
): Endpoint => ({
  name,
  path,
  operationId,
  kind,
  partitioning: "day",
  pageSize: { min: 10, max: maxPageSize },
  required: ["dataInicial", "dataFinal"],
  filters,
  window: dated,
  chunkDays,
  ...versioning[kind],
  extracted: true
})

const modalidadeRequired = ["dataInicial", "dataFinal", "codigoModalidadeContratacao"]

/** @since 0.1.0 @category models */
export const contratacoesPublicacao = contratacoes(
  "contratacoes_publicacao",
  "v1/contratacoes/publicacao",
  "consultarContratacaoPorDataDePublicacao",
  "dayModalidade",
  modalidadeRequired,
  [int32("codigoModoDisputa"), ...contratacaoFilters()],
  dated
)
/** @since 0.1.0 @category models */
export const contratacoesAtualizacao = contratacoes(
  "contratacoes_atualizacao",
  "v1/contratacoes/atualizacao",
  "consultarContratacaoPorDataUltimaAtualizacao",
  "dayModalidade",
  modalidadeRequired,
  [int32("codigoModoDisputa"), ...contratacaoFilters()],
  dated
)
/** @since 0.1.0 @category models */
export const contratacoesProposta = contratacoes(
  "contratacoes_proposta",
  "v1/contratacoes/proposta",
  "consultarContratacaoPeriodoRecebimentoPropostas",
  "dataFinal",
  ["dataFinal"],
  [int64("codigoModalidadeContratacao"), ...contratacaoFilters(30)],
  undefined
)
/** @since 0.1.0 @category models */
export const contratos = daily(
  "contratos",
  "v1/contratos",
  "consultarContratosPorDataPublicacao",
  "contrato",
  7,
  contratoFilters
)
/** @since 0.1.0 @category models */
export const contratosAtualizacao = daily(
  "contratos_atualizacao",
  "v1/contratos/atualizacao",
  "consultarContratosPorDataAtualizacaoGlobal",
  "contrato",
  7,
  contratoFilters
)
/** @since 0.1.0 @category models */
export const atas: Endpoint = {
  ...daily("atas", "v1/atas", "consultarAtaRegistroPrecoPeriodo", "ata", 15, ataFilters),
  partitioning: "month"
}
/** @since 0.1.0 @category models */
export const atasAtualizacao = daily(
  "atas_atualizacao",
  "v1/atas/atualizacao",
  "consultarAtaRegistroPrecoDataAtualizacao",
  "ata",
  15,
  ataFilters
)
/** @since 0.1.0 @category models */
export const instrumentosCobranca = daily(
  "instrumentoscobranca",
  "v1/instrumentoscobranca/inclusao",
  "consultarInstrumentos",
  "instrumento",
  30,
  [int64("tipoInstrumentoCobranca"), text("cnpjOrgao")],
  100
)

const pcaBase = {
  kind: "pca",
  pageSize: { min: 10, max: 500 },
  chunkDays: 90,
  ...versioning.pca
} as const

/** @since 0.1.0 @category models */
export const pcaAtualizacao: Endpoint = {
  ...pcaBase,
  name: "pca_atualizacao",
  path: "v1/pca/atualizacao",
  operationId: "consultarItensPorUsuarioAno_1",
  partitioning: "day",
  required: ["dataInicio", "dataFim"],
  filters: [text("cnpj"), text("codigoUnidade")],
  window: { from: "dataInicio", to: "dataFim" },
  extracted: true
}
/** @since 0.1.0 @category models */
export const pca: Endpoint = {
  ...pcaBase,
  name: "pca",
  path: "v1/pca/",
  operationId: "consultarItensPorAno",
  partitioning: "year",
  required: ["anoPca", "codigoClassificacaoSuperior"],
  filters: [],
  extracted: false
}
/** @since 0.1.0 @category models */
export const pcaUsuario: Endpoint = {
  ...pcaBase,
  name: "pca_usuario",
  path: "v1/pca/usuario",
  operationId: "consultarItensPorUsuarioAno",
  partitioning: "year",
  required: ["anoPca", "idUsuario"],
  filters: [text("codigoClassificacaoSuperior"), text("cnpj")],
  extracted: false
}
/** @since 0.1.0 @category models */
export const contratacao: Endpoint = {
  name: "contratacao",
  path: "v1/orgaos/{cnpj}/compras/{ano}/{sequencial}",
  operationId: "consultarCompra",
  kind: "contratacao",
  partitioning: "onDemand",
  pageSize: { min: 1, max: 1 },
  required: [],
  filters: [],
  chunkDays: 1,
  ...versioning.contratacao,
  extracted: false
}

/**
 * Every consulta operation.
 *
 * @since 0.1.0
 * @category models
 */
export const all: ReadonlyArray<Endpoint> = [
  contratacoesPublicacao,
  contratacoesAtualizacao,
  contratacoesProposta,
  contratos,
  contratosAtualizacao,
  atas,
  atasAtualizacao,
  pca,
  pcaUsuario,
  pcaAtualizacao,
  instrumentosCobranca,
  contratacao
]

/**
 * The endpoints the pipeline extracts as raw assets.
 *
 * @since 0.1.0
 * @category models
 */
export const extracted: ReadonlyArray<Endpoint> = all.filter((endpoint) => endpoint.extracted)

/**
 * Modalidades de contratação (manual §5.2), the second dimension of the contratações partitions.
 *
 * @since 0.1.0
 * @category models
 */
export const modalidades: ReadonlyArray<{ readonly codigo: number; readonly nome: string }> = [
  { codigo: 1, nome: "Leilão - Eletrônico" },
  { codigo: 2, nome: "Diálogo Competitivo" },
  { codigo: 3, nome: "Concurso" },
  { codigo: 4, nome: "Concorrência - Eletrônica" },
  { codigo: 5, nome: "Concorrência - Presencial" },
  { codigo: 6, nome: "Pregão - Eletrônico" },
  { codigo: 7, nome: "Pregão - Presencial" },
  { codigo: 8, nome: "Dispensa de Licitação" },
  { codigo: 9, nome: "Inexigibilidade" },
  { codigo: 10, nome: "Manifestação de Interesse" },
  { codigo: 11, nome: "Pré-qualificação" },
  { codigo: 12, nome: "Credenciamento" },
  { codigo: 13, nome: "Leilão - Presencial" }
]

/**
 * `2024-07-01` → `20240701`, the API's date format.
 *
 * @since 0.1.0
 * @category utils
 */
export const apiDate = (isoDay: string): string => isoDay.replaceAll("-", "")

const DAY_MS = 86_400_000

const isoOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

const lastDayOfMonth = (month: string): string => {
  const [year = 0, m = 0] = month.split("-").map(Number)
  return isoOf(Date.UTC(year, m, 0))
}

/**
 * The first and last day of a partition key's window: a day, a month (`2024-07`) or a range (`a..b`).
 *
 * @since 0.1.0
 * @category utils
 */
export const windowOf = (key: string): { readonly from: string; readonly to: string } => {
  const [from = key, to = from] = key.split("..")
  return {
    from: from.length === 7 ? `${from}-01` : from,
    to: to.length === 7 ? lastDayOfMonth(to) : to
  }
}

/**
 * The longest window the API takes, in days: a longer `dataInicial..dataFinal` is refused with 422.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxChunkDays = 365

/**
 * An endpoint setting out of its range, such as a `chunkDays` of 0, 2.5 or 400.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidEndpoint extends Schema.TaggedError<InvalidEndpoint>()("InvalidEndpoint", {
  endpoint: Schema.String,
  setting: Schema.String,
  value: Schema.String,
  message: Schema.String
}) {}

/**
 * The endpoint, if its `chunkDays` is a whole number of days from 1 to {@link maxChunkDays}; the raw asset of an
 * endpoint (`Pipeline.rawAsset`) checks it before extracting a partition.
 *
 * @since 0.1.0
 * @category constructors
 */
export const validate = (endpoint: Endpoint): Effect.Effect<Endpoint, InvalidEndpoint> =>
  Number.isInteger(endpoint.chunkDays) && endpoint.chunkDays >= 1 && endpoint.chunkDays <= maxChunkDays
    ? Effect.succeed(endpoint)
    : Effect.fail(
      new InvalidEndpoint({
        endpoint: endpoint.name,
        setting: "chunkDays",
        value: String(endpoint.chunkDays),
        message:
          `The chunkDays of endpoint ${endpoint.name} must be a whole number of days from 1 to ${maxChunkDays}, ` +
          `not ${endpoint.chunkDays}.`
      })
    )

/**
 * Splits `from..to` (inclusive days) into windows of at most `chunkDays` days, in order, each day in exactly one.
 * A size out of range is brought into it (at most {@link maxChunkDays}, at least 1, 1 when it is no number):
 * {@link validate} is where it is refused.
 *
 * @since 0.1.0
 * @category utils
 */
export const chunks = (
  from: string,
  to: string,
  chunkDays: number
): ReadonlyArray<{ readonly from: string; readonly to: string }> => {
  const size = Number.isNaN(chunkDays) ? 1 : Math.min(maxChunkDays, Math.max(1, Math.floor(chunkDays)))
  const start = Date.parse(`${from}T00:00:00Z`)
  const end = Date.parse(`${to}T00:00:00Z`)
  const out: Array<{ from: string; to: string }> = []
  for (let day = start; day <= end; day += size * DAY_MS) {
    out.push({ from: isoOf(day), to: isoOf(Math.min(end, day + (size - 1) * DAY_MS)) })
  }
  return out
}

/**
 * The request series of one partition: query parameters without `pagina` and `tamanhoPagina` (the page source
 * adds those). A day × modalidade key is `day|modalidade`. No window is longer than {@link maxChunkDays} days.
 *
 * @since 0.1.0
 * @category utils
 */
export const requests = (endpoint: Endpoint, partitionKey: string): ReadonlyArray<HttpSource.Params> => {
  const [windowKey = partitionKey, modalidade] = partitionKey.split("|")
  const { from, to } = windowOf(windowKey)
  const extra = modalidade === undefined ? {} : { codigoModalidadeContratacao: Number(modalidade) }
  switch (endpoint.partitioning) {
    case "dataFinal":
      return chunks(from, to, 1).map((window) => ({ dataFinal: apiDate(window.to), ...extra }))
    case "year":
      return [{ anoPca: Number(windowKey.slice(0, 4)), ...extra }]
    case "onDemand":
      return []
    case "month":
      // One series for the whole window: a vigência query cut into pieces returns each ata once per piece. Only a
      // window longer than the API takes is cut.
      return chunks(from, to, maxChunkDays).map((window) => ({
        dataInicial: apiDate(window.from),
        dataFinal: apiDate(window.to),
        ...extra
      }))
    case "day":
    case "dayModalidade": {
      const names = endpoint.window ?? dated
      const windows = from === to ? [{ from, to }] : chunks(from, to, endpoint.chunkDays)
      return windows.map((window) => ({ [names.from]: apiDate(window.from), [names.to]: apiDate(window.to), ...extra }))
    }
  }
}

/**
 * A contratação's path on the `/api/pncp` base (`v1/orgaos/{cnpj}/compras/{ano}/{sequencial}`).
 *
 * @since 0.1.0
 * @category utils
 */
export const compraPath = (compra: { readonly cnpj: string; readonly ano: number; readonly sequencial: number }) =>
  `v1/orgaos/${compra.cnpj}/compras/${compra.ano}/${compra.sequencial}`

/**
 * The itens of a contratação, on the `/api/pncp` base (paged by `pagina` / `tamanhoPagina`, a bare JSON array).
 *
 * @since 0.1.0
 * @category utils
 */
export const itensPath = (compra: { readonly cnpj: string; readonly ano: number; readonly sequencial: number }) =>
  `${compraPath(compra)}/itens`

/**
 * How many itens a contratação has (a bare number), on the `/api/pncp` base.
 *
 * @since 0.1.0
 * @category utils
 */
export const itensQuantidadePath = (
  compra: { readonly cnpj: string; readonly ano: number; readonly sequencial: number }
) => `${compraPath(compra)}/itens/quantidade`

/**
 * The documents of a contratação, on the `/api/pncp` base (paged by `pagina` / `tamanhoPagina`, a bare JSON array).
 *
 * @since 0.1.0
 * @category utils
 */
export const arquivosPath = (compra: { readonly cnpj: string; readonly ano: number; readonly sequencial: number }) =>
  `${compraPath(compra)}/arquivos`

/**
 * How many documents a contratação has (a bare number), on the `/api/pncp` base.
 *
 * @since 0.1.0
 * @category utils
 */
export const arquivosQuantidadePath = (
  compra: { readonly cnpj: string; readonly ano: number; readonly sequencial: number }
) => `${compraPath(compra)}/arquivos/quantidade`
