/**
 * The PNCP asset graph: a raw asset per extracted consulta endpoint, the details of each day's contratações, typed
 * staging tables and analytical marts.
 *
 * ```text
 * pncp/raw/<endpoint> (day, day × modalidade, month)  →  pncp/staging/<kind>  →  pncp/marts/<mart>
 * pncp/raw/contratacoes_publicacao  →  pncp/raw/contratacao_detalhes (day)  →  pncp/staging/itens, arquivos
 * ```
 *
 * Partition specs are days (`2024-07-01..2024-07-31`); the contratações' day × modalidade assets take every modalidade
 * of those days, and `pncp/raw/atas` (by month) the months they cover. Details are selected apart
 * (`pncp/raw/contratacao_detalhes`), since a day of them is ≈ 13,000 requests at the real volume.
 *
 * @since 0.1.0
 */
import type * as Asset from "@baliza/core/Asset"
import * as AssetGraph from "@baliza/core/AssetGraph"
import * as Materializer from "@baliza/core/Materializer"
import * as Partitions from "@baliza/core/Partitions"
import * as RunSchedule from "@baliza/core/RunSchedule"
import * as Effect from "effect/Effect"
import * as CodeTableAssets from "./Assets/CodeTables.js"
import * as Details from "./Assets/Details.js"
import * as Marts from "./Assets/Marts.js"
import * as Raw from "./Assets/Raw.js"
import * as Staging from "./Assets/Staging.js"
import * as Endpoints from "./Endpoints.js"
import * as Schemas from "./Schemas.js"

/**
 * The first day of PNCP data.
 *
 * @since 0.1.0
 * @category constants
 */
export const start = "2021-01-01"

/**
 * @since 0.1.0
 * @category partitions
 */
export const days = Partitions.TimeWindow.daily({ start })

/**
 * The months of `/v1/atas`, whose window selects by vigência (see `Endpoints.atas`). A spec of days takes the months
 * it covers entirely (`--month 2024-07`; a day or a week takes none, rather than ~800 pages). Only months that are
 * over: a month's atas in force are fetched once, when all of them are known (new and changed atas come every day by
 * `atas_atualizacao`).
 *
 * @since 0.1.0
 * @category partitions
 */
export const months = Partitions.TimeWindow.monthly({ start, endOffset: -1 })

/**
 * @since 0.1.0
 * @category partitions
 */
export const modalidades = Partitions.Static.make(Endpoints.modalidades.map((m) => String(m.codigo)))

/**
 * @since 0.1.0
 * @category partitions
 */
export const dayModalidade = Partitions.Multi.make({ day: days, modalidade: modalidades })

const schemaOf: Readonly<
  Record<
    Endpoints.RecordKind,
    | typeof Schemas.Contratacao
    | typeof Schemas.Contrato
    | typeof Schemas.Ata
    | typeof Schemas.Pca
    | typeof Schemas.InstrumentoCobranca
  >
> = {
  contratacao: Schemas.Contratacao,
  contrato: Schemas.Contrato,
  ata: Schemas.Ata,
  pca: Schemas.Pca,
  instrumento: Schemas.InstrumentoCobranca
}

/**
 * Pages fetched ahead in a monthly series (`/v1/atas`: ~700 pages of ~420 KB at the real volume). The series is the
 * month's tail at `Raw.pagesAhead` (2); the client's concurrency still bounds the requests in flight. The month in
 * the bench (2026-12-07): extraction 102.0 s at 2, 93.6 s at 8, 83.3 s at 16, 88.3 s at 32.
 *
 * @since 0.1.0
 * @category constants
 */
export const monthPagesAhead = 16

/**
 * The raw asset of an endpoint.
 *
 * @since 0.1.0
 * @category constructors
 */
export const rawAsset = (endpoint: Endpoints.Endpoint) =>
  Raw.make({
    name: endpoint.name,
    path: endpoint.path,
    pageSize: endpoint.pageSize.max,
    partitions: endpoint.partitioning === "dayModalidade"
      ? dayModalidade
      : endpoint.partitioning === "month"
      ? months
      : days,
    requests: (key) => Endpoints.requests(endpoint, key),
    validate: Endpoints.validate(endpoint),
    // A month of /v1/atas is one series of ~700 pages, paged while few others are: more of it in flight.
    pagesAhead: endpoint.partitioning === "month" ? monthPagesAhead : undefined,
    schema: schemaOf[endpoint.kind],
    description: `Every page of /${endpoint.path} (${endpoint.operationId})`
  })

/**
 * @since 0.1.0
 * @category assets
 */
export const raw = Endpoints.extracted.map(rawAsset)

const rawByName = (name: string) => raw.filter((asset) => asset.key === `pncp/raw/${name}`)

/**
 * @since 0.1.0
 * @category assets
 */
export const details = Details.make({ partitions: days, upstream: rawByName("contratacoes_publicacao")[0]! })

/**
 * @since 0.1.0
 * @category assets
 */
export const staging = [
  ...Staging.tables.map((spec) =>
    Staging.make(spec, spec.compraKey === undefined ? spec.endpoints.flatMap(rawByName) : [details])
  ),
  ...CodeTableAssets.assets
]

/**
 * @since 0.1.0
 * @category assets
 */
export const marts = Marts.marts.map((mart) => Marts.make(mart, staging, raw))

/**
 * Every asset of the pipeline.
 *
 * @since 0.1.0
 * @category assets
 */
export const assets: ReadonlyArray<
  Asset.Asset<
    Asset.Error<(typeof raw | typeof staging | typeof marts)[number] | typeof details>,
    Asset.Context<(typeof raw | typeof staging | typeof marts)[number] | typeof details>
  >
> = [...raw, details, ...staging, ...marts]

/**
 * The validated graph.
 *
 * @since 0.1.0
 * @category constructors
 */
export const graph = AssetGraph.make(assets)

/**
 * The selection of a run without details: every raw endpoint, staging and marts.
 *
 * @since 0.1.0
 * @category constants
 */
export const withoutDetails =
  "* and not pncp/raw/contratacao_detalhes and not pncp/staging/itens and not pncp/staging/arquivos and not pncp/marts/itens_precos"

/**
 * The pipeline's daily schedule: every day at 06:00 in Brasília, yesterday's partitions of every raw endpoint and
 * everything downstream of them (details apart, as in {@link withoutDetails}, and the atas in force: see
 * {@link monthly}). Yesterday is complete by then; the `…_atualizacao` endpoints catch later changes to older
 * records.
 *
 * @since 0.1.0
 * @category schedules
 */
export const daily = RunSchedule.make({
  name: "pncp-daily",
  cron: "0 6 * * *",
  timeZone: "America/Sao_Paulo",
  description: "Every day at 06:00 (Brasília): yesterday's raw partitions and everything downstream, details and " +
    "the monthly atas in force apart",
  selection: `${withoutDetails.replace(/^\* /, "layer:raw* ")} and not pncp/raw/atas`,
  partitions: RunSchedule.previousDay
})

/**
 * The atas in force of the month just over (`pncp/raw/atas`, by month) and what is built from them, on the 1st at
 * 07:00 in Brasília. A schedule of its own, so that a server down on the 1st still fetches the month when it comes
 * back (it runs a schedule's latest missed tick), not only if it was up for the one daily tick that names the month.
 *
 * @since 0.1.0
 * @category schedules
 */
export const monthly = RunSchedule.make({
  name: "pncp-monthly",
  cron: "0 7 1 * *",
  timeZone: "America/Sao_Paulo",
  description: "On the 1st at 07:00 (Brasília): the month just over's atas in force and everything downstream",
  selection: "pncp/raw/atas*",
  partitions: RunSchedule.previousMonth
})

/**
 * Materializes the pipeline: `selection` (default everything but the details) over `partitions`
 * (`2024-07-01..2024-07-31`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const materialize = (options: Materializer.MaterializeOptions = {}) =>
  Effect.flatMap(graph, (assets) =>
    Materializer.materialize(assets, {
      pools: { pncp_api: 16 },
      concurrency: 16,
      selection: withoutDetails,
      ...options
    }))

/**
 * The plan {@link materialize} would run, without running it (for `--dry-run`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const plan = (options: Omit<Materializer.MaterializeOptions, "runId" | "concurrency" | "pools" | "tags"> = {}) =>
  Effect.flatMap(graph, (assets) => Materializer.plan(assets, { selection: withoutDetails, ...options }))
