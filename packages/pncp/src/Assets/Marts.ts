/**
 * Marts: analytical tables over staging, each with a blocking check that its totals equal staging's.
 *
 * @since 0.1.0
 */
import type * as Asset from "@baliza/core/Asset"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Effect from "effect/Effect"
import * as Endpoints from "../Endpoints.js"
import * as Tables from "./Tables.js"

/**
 * A mart: its SQL, and pairs of totals (over the mart, over staging) that must agree.
 *
 * @since 0.1.0
 * @category models
 */
export interface Mart {
  readonly table: string
  readonly description: string
  /** The staging tables it reads (asset keys `pncp/staging/<name>`). */
  readonly reads: ReadonlyArray<string>
  /**
   * The raw assets whose partitions' state (`meta.asset_state`) it reads, to say how complete a month is: they are
   * upstream too, so a partition materialized without changing staging (an empty day) still rebuilds the mart.
   */
  readonly states?: ReadonlyArray<string> | undefined
  readonly select: string
  readonly totals: ReadonlyArray<{ readonly name: string; readonly mart: string; readonly staging: string }>
}

/**
 * A vigência counts in every month it overlaps, up to 5 years after it starts: the API has junk end dates (an ata
 * ending in 7203) that would otherwise fill centuries. A cancelled ata counts until its `dataCancelamento` (not at
 * all when the API gives no date).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxVigenciaYears = 5

const vigencia = `
  SELECT numeroControlePNCPAta, cnpjOrgao, date_trunc('month', inicio) AS inicio, date_trunc('month', fim) AS fim
  FROM (SELECT numeroControlePNCPAta, cnpjOrgao, TRY_CAST(vigenciaInicio AS DATE) AS inicio,
               TRY_CAST(vigenciaFim AS DATE) AS declarado, coalesce(cancelado, false) AS cancelado,
               CASE WHEN cancelado THEN TRY_CAST(dataCancelamento AS TIMESTAMP)::DATE END AS cancelada,
               least(declarado, cancelada, inicio + INTERVAL ${maxVigenciaYears} YEAR)::DATE AS fim
        FROM staging.atas)
  WHERE inicio IS NOT NULL AND declarado IS NOT NULL AND fim >= inicio AND (cancelada IS NOT NULL OR NOT cancelado)`

// A name spelled differently across records (an órgão, a fornecedor): the most recently updated spelling, the
// greatest on a tie, so a mart depends on the rows alone, not on the order they were staged in.
// A missing date ranks last (DuckDB orders a NULL above every value), as staging ranks versions.
const latest = (name: string, updated: string) => `arg_max(${name}, (${updated} IS NOT NULL, ${updated}, ${name}))`

// Money as an exact decimal, so a mart does not depend on the order rows were summed in (a resumed run gives the same
// bytes as an uninterrupted one), with 4 places: the API sends sub-cent values (10202.752 on a real contratos page),
// which 2 places would round away before the sum. 38 digits: the API has junk amounts, and one of 1e14 or more would
// not fit 18 digits and fail the whole mart.
const money = "DECIMAL(38, 4)"

/**
 * The marts. Money is summed as `DECIMAL(38, 4)`.
 *
 * @since 0.1.0
 * @category constants
 */
export const marts: ReadonlyArray<Mart> = [
  {
    table: "marts.contratacoes_mensal",
    description: "Contratações per month × órgão × modalidade: count, valor estimado and homologado, their ratio, " +
      "and how many of the month's days were extracted",
    reads: ["contratacoes"],
    states: ["contratacoes_publicacao"],
    // Staging also holds contratações published outside the days extracted (they came in through …/atualizacao or
    // …/proposta): `dias_extraidos` of `dias_no_mes` says how complete a month is (a day counts once all 13 of its
    // modalidades are materialized).
    select: `WITH m AS (
               SELECT substr(dataPublicacaoPncp, 1, 7) AS mes, orgaoEntidade.cnpj AS cnpj_orgao,
                      ${latest("orgaoEntidade.razaoSocial", "dataAtualizacaoGlobal")} AS orgao,
                      modalidadeId::INTEGER AS modalidade,
                      count(*) AS contratacoes, sum(valorTotalEstimado::${money}) AS valor_estimado,
                      sum(valorTotalHomologado::${money}) AS valor_homologado,
                      -- each homologado over its own estimado: a contratação missing either is left out of both
                      round(
                        sum(valorTotalHomologado::${money}) FILTER (WHERE valorTotalEstimado IS NOT NULL)
                          / nullif(sum(valorTotalEstimado::${money}) FILTER (WHERE valorTotalHomologado IS NOT NULL), 0),
                        6
                      ) AS razao_homologado_estimado
               FROM staging.contratacoes GROUP BY ALL),
             dias AS (
               SELECT substr(partition_key, 1, 7) AS mes, count(*) AS dias_extraidos
               FROM (SELECT substr(partition_key, 1, 10) AS partition_key FROM meta.asset_state
                     WHERE asset_key = 'pncp/raw/contratacoes_publicacao' AND status = 'Materialized'
                     GROUP BY 1 HAVING count(*) = ${Endpoints.modalidades.length})
               GROUP BY 1)
             SELECT m.*, coalesce(d.dias_extraidos, 0) AS dias_extraidos,
                    dayofmonth(last_day(TRY_CAST(m.mes || '-01' AS DATE))) AS dias_no_mes
             FROM m LEFT JOIN dias d USING (mes)`,
    totals: [
      { name: "contratacoes", mart: "sum(contratacoes)", staging: "count(*) FROM staging.contratacoes" },
      {
        name: "valor_estimado",
        mart: "sum(valor_estimado)",
        staging: `sum(valorTotalEstimado::${money}) FROM staging.contratacoes`
      },
      {
        name: "valor_homologado",
        mart: "sum(valor_homologado)",
        staging: `sum(valorTotalHomologado::${money}) FROM staging.contratacoes`
      }
    ]
  },
  {
    table: "marts.contratos_fornecedor",
    description: "Contratos per fornecedor: count, valor global, órgãos served",
    reads: ["contratos"],
    select: `SELECT niFornecedor AS ni_fornecedor,
                    ${latest("nomeRazaoSocialFornecedor", "dataAtualizacaoGlobal")} AS fornecedor,
                    count(*) AS contratos, sum(valorGlobal::${money}) AS valor_global,
                    count(DISTINCT orgaoEntidade.cnpj) AS orgaos
             FROM staging.contratos GROUP BY ALL`,
    totals: [
      { name: "contratos", mart: "sum(contratos)", staging: "count(*) FROM staging.contratos" },
      {
        name: "valor_global",
        mart: "sum(valor_global)",
        staging: `sum(valorGlobal::${money}) FROM staging.contratos`
      }
    ]
  },
  {
    table: "marts.atas_vigentes_mensal",
    description:
      `Atas in force per month (a vigência counts in each month it overlaps, capped at ${maxVigenciaYears} ` +
      "years), and whether the month's atas in force were extracted",
    reads: ["atas"],
    states: ["atas"],
    // Staging's atas reach years around the months extracted: a month's count is complete only when its
    // `pncp/raw/atas` partition (the API's atas in force that month) is materialized, which `mes_extraido` says.
    select: `WITH m AS (
               SELECT strftime(mes, '%Y-%m') AS mes, count(*) AS atas_vigentes, count(DISTINCT cnpjOrgao) AS orgaos
               FROM (SELECT unnest(generate_series(inicio, fim, INTERVAL 1 MONTH)) AS mes, cnpjOrgao FROM (${vigencia}))
               GROUP BY ALL)
             SELECT m.*, m.mes IN (SELECT partition_key FROM meta.asset_state
                                   WHERE asset_key = 'pncp/raw/atas' AND status = 'Materialized') AS mes_extraido
             FROM m`,
    totals: [{
      name: "ata_meses",
      mart: "sum(atas_vigentes)",
      staging: `sum(datediff('month', inicio, fim) + 1) FROM (${vigencia})`
    }]
  },
  {
    table: "marts.pca_categoria_orgao",
    description: "PCA planned value per plan year, categoria and órgão",
    reads: ["pca"],
    // per plan year: an órgão's plans for two years are two budgets, not one
    select: `SELECT anoPca::INTEGER AS ano, item.categoriaItemPcaNome AS categoria, orgaoEntidadeCnpj AS cnpj_orgao,
                    ${latest("orgaoEntidadeRazaoSocial", "dataAtualizacaoGlobalPCA")} AS orgao, count(*) AS itens,
                    sum(item.valorTotal::${money}) AS valor_planejado
             FROM (SELECT anoPca, orgaoEntidadeCnpj, orgaoEntidadeRazaoSocial, dataAtualizacaoGlobalPCA, unnest(itens) AS item
                   FROM staging.pca)
             GROUP BY ALL`,
    totals: [
      { name: "itens", mart: "sum(itens)", staging: "sum(len(itens)) FROM staging.pca" },
      {
        name: "valor_planejado",
        mart: "sum(valor_planejado)",
        staging: `sum(list_sum(list_transform(itens, i -> i.valorTotal::${money}))) FROM staging.pca`
      }
    ]
  },
  {
    table: "marts.itens_precos",
    description: "Unit price statistics of itens per description and unit",
    reads: ["itens"],
    select: `SELECT descricao, unidadeMedida AS unidade, count(*) AS itens,
                    min(valorUnitarioEstimado) AS minimo,
                    quantile_cont(valorUnitarioEstimado, 0.25) AS p25,
                    median(valorUnitarioEstimado) AS mediana,
                    quantile_cont(valorUnitarioEstimado, 0.75) AS p75,
                    max(valorUnitarioEstimado) AS maximo
             FROM staging.itens GROUP BY ALL`,
    totals: [{ name: "itens", mart: "sum(itens)", staging: "count(*) FROM staging.itens" }]
  }
]

// Compared in SQL on the exact values (a DOUBLE cannot tell 1e16 + 0.4 from 1e16 + 0.5), returned as text for the
// check's message.
const totalsSql = (mart: Mart): string => {
  const totals = mart.totals.map((t, i) =>
    `coalesce((SELECT ${t.mart} FROM ${mart.table}), 0) AS m${i}, coalesce((SELECT ${t.staging}), 0) AS s${i}`
  )
  const compared = mart.totals.map((_, i) =>
    `m${i}::VARCHAR AS m${i}, s${i}::VARCHAR AS s${i}, m${i} IS NOT DISTINCT FROM s${i} AS a${i}`
  )
  return `SELECT ${compared.join(", ")} FROM (SELECT ${totals.join(", ")})`
}

/**
 * The mart asset, downstream of the staging assets it reads and of the raw assets whose state it reads.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (mart: Mart, staging: ReadonlyArray<Asset.Any>, raw: ReadonlyArray<Asset.Any> = []) =>
  Tables.make({
    table: mart.table,
    description: mart.description,
    // 5: a name's latest spelling ranks a missing update date last
    codeVersion: "5",
    deps: [
      ...staging.filter((asset) => mart.reads.some((name) => asset.key === `pncp/staging/${name}`)),
      ...raw.filter((asset) => (mart.states ?? []).some((name) => asset.key === `pncp/raw/${name}`))
    ],
    build: DuckDB.execute(`CREATE SCHEMA IF NOT EXISTS marts; CREATE OR REPLACE TABLE ${mart.table} AS ${mart.select}`),
    reconcile: Effect.map(DuckDB.query(totalsSql(mart)), ([row]) =>
      mart.totals.map((t, i) => ({
        name: t.name,
        actual: String(row?.[`m${i}`]),
        expected: String(row?.[`s${i}`]),
        agrees: row?.[`a${i}`] === true
      })))
  })
