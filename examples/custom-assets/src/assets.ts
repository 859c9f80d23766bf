/**
 * Two assets of our own on top of the PNCP pipeline:
 *
 * ```text
 * pncp/staging/contratos ─┐
 *                         ├→ custom/marts/concentracao_fornecedores
 * ibge/raw/municipios ────┘   (partitioned by UF, read from our own paginated source)
 * ```
 *
 * The mart measures how concentrated each municipality's public contracts are among suppliers: the
 * Herfindahl–Hirschman index of supplier shares of the contracted value (10,000 = one supplier takes everything), the
 * top supplier's share, and the value per inhabitant.
 */
import { Asset, AssetCheck, AssetGraph, DataVersion, Partitions, RetryPolicy } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { Pipeline } from "@baliza/pncp"
import { Effect, Stream } from "effect"
import { Municipio, MunicipiosClient } from "./Municipios.js"
import { municipios as registry } from "./registry.js"

/** One partition per UF the registry knows. */
export const ufs = Partitions.Static.make([...new Set(registry.map((m) => m.uf))].sort())

const setup = Effect.zipRight(
  DuckDB.execute("CREATE SCHEMA IF NOT EXISTS ibge"),
  DuckDB.execute(`CREATE TABLE IF NOT EXISTS ibge.municipios (
    codigo VARCHAR PRIMARY KEY, nome VARCHAR NOT NULL, uf VARCHAR NOT NULL, populacao INTEGER NOT NULL)`)
)

const scalar = (sql: string, params?: ReadonlyArray<string>) =>
  Effect.map(DuckDB.query(sql, params), (rows) => Number(rows[0]?.n ?? 0))

export const municipios = Asset.make({
  key: "ibge/raw/municipios",
  description: "Municipalities with their population, from the municipality registry, one partition per UF",
  layer: "raw",
  group: "ibge",
  schema: Municipio,
  partitions: ufs,
  codeVersion: "1",
  pool: "ibge_api",
  // The client retries single requests; this retries a whole UF when a page still fails.
  retryPolicy: RetryPolicy.make({ maxAttempts: 2, baseDelay: "100 millis" }),
  checks: [
    AssetCheck.make({
      name: "matches_registry_total",
      description: "Rows stored for the UF = the total the registry announced",
      evaluate: ({ metadata, rows }) =>
        Effect.succeed(
          metadata.total === rows
            ? AssetCheck.pass(`${rows} municipalities`)
            : AssetCheck.fail(`registry announced ${String(metadata.total)}, stored ${String(rows)}`)
        )
    })
  ],
  materialize: ({ partition: uf }) =>
    Effect.gen(function*() {
      const client = yield* MunicipiosClient
      const pages = yield* Stream.runCollect(client.byUf(uf))
      const rows = [...pages].flatMap((page) => page.itens)
      const total = [...pages][0]?.total ?? 0
      yield* setup
      // Replace the UF's rows in one transaction: a failed run leaves the previous ones.
      yield* DuckDB.withTransaction(Effect.gen(function*() {
        yield* DuckDB.execute("DELETE FROM ibge.municipios WHERE uf = $1", [uf])
        yield* DuckDB.appendRows("ibge.municipios", ["codigo", "nome", "uf", "populacao"], rows)
      }))
      // The content decides the data version: an unchanged registry leaves the mart alone.
      return { rows: rows.length, dataVersion: DataVersion.hash(JSON.stringify(rows)), metadata: { total } }
    })
})

const martSql = `CREATE OR REPLACE TABLE analise.concentracao_fornecedores AS
WITH por_fornecedor AS (
  SELECT unidadeOrgao.codigoIbge AS codigo, niFornecedor, sum(valorGlobal) AS valor, count(*) AS contratos
  FROM staging.contratos
  WHERE valorGlobal > 0
  GROUP BY ALL
), parcelas AS (
  SELECT *, valor / sum(valor) OVER (PARTITION BY codigo) AS parcela FROM por_fornecedor
)
SELECT p.codigo AS codigo_ibge, m.nome AS municipio, m.uf,
  sum(p.contratos)::BIGINT AS contratos,
  count(*)::BIGINT AS fornecedores,
  round(sum(p.valor), 2) AS valor_total,
  round(10000 * sum(p.parcela * p.parcela), 1) AS hhi,
  round(max(p.parcela), 4) AS parcela_maior_fornecedor,
  m.populacao,
  round(sum(p.valor) / m.populacao, 2) AS valor_per_capita
FROM parcelas p LEFT JOIN ibge.municipios m ON m.codigo = p.codigo
GROUP BY p.codigo, m.nome, m.uf, m.populacao
ORDER BY hhi DESC, codigo_ibge`

export const concentracao = Asset.make({
  key: "custom/marts/concentracao_fornecedores",
  description:
    "Supplier concentration of public contracts per municipality (HHI, top supplier share, value per capita)",
  layer: "mart",
  group: "custom",
  deps: ["pncp/staging/contratos", municipios],
  codeVersion: "1",
  checks: [
    AssetCheck.make({
      name: "valor_total_confere",
      description: "The mart's total value = the positive contract values in staging",
      evaluate: () =>
        Effect.gen(function*() {
          const mart = yield* scalar(
            "SELECT coalesce(sum(valor_total), 0)::DOUBLE AS n FROM analise.concentracao_fornecedores"
          )
          const staging = yield* scalar(
            "SELECT coalesce(sum(valorGlobal), 0)::DOUBLE AS n FROM staging.contratos WHERE valorGlobal > 0"
          )
          // Each município's total is rounded to the cent.
          return Math.abs(mart - staging) <= 0.01 * (1 + (yield* scalar(
                "SELECT count(*)::DOUBLE AS n FROM analise.concentracao_fornecedores"
              )))
            ? AssetCheck.pass(`R$ ${mart.toFixed(2)}`)
            : AssetCheck.fail(`mart R$ ${mart.toFixed(2)} ≠ staging R$ ${staging.toFixed(2)}`)
        })
    })
  ],
  materialize: () =>
    Effect.gen(function*() {
      yield* setup
      yield* DuckDB.execute("CREATE SCHEMA IF NOT EXISTS analise")
      yield* DuckDB.execute(martSql)
      const rows = yield* scalar("SELECT count(*)::BIGINT AS n FROM analise.concentracao_fornecedores")
      const unmatched = yield* scalar(
        "SELECT count(*)::BIGINT AS n FROM analise.concentracao_fornecedores WHERE populacao IS NULL"
      )
      return { rows, metadata: { municipios_sem_populacao: unmatched } }
    })
})

/** The PNCP pipeline and our two assets, validated as one graph. */
export const graph = AssetGraph.make([...Pipeline.assets, municipios, concentracao])

/** Our assets only (PNCP's are materialized by `Pipeline.materialize`). */
export const ours = "group:ibge or group:custom"
