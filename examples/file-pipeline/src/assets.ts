/**
 * A pipeline with no PNCP in it: local files → raw tables → typed staging → a monthly mart, in one DuckDB file.
 *
 * ```text
 * files/raw/vendas (daily, vendas/<day>.csv) ─┐
 *                                             ├→ files/staging/vendas (daily) → files/marts/receita_mensal (monthly)
 * files/raw/produtos (produtos.json) ─────────┘
 * ```
 *
 * DuckDB reads the files itself (`read_csv`, `read_json`), with the column types spelled out, so a malformed value fails
 * the day's step with the file and line instead of loading something else. Each raw step's data version is its file's
 * sha256: after a forced re-read, only the days whose file changed are staged again.
 */
import { Asset, AssetCheck, AssetGraph, PartitionMapping, Partitions } from "@baliza/core"
import { DuckDB, Sql } from "@baliza/duckdb"
import { Effect } from "effect"
import { InputError, Inputs } from "./Inputs.js"

export const days = Partitions.TimeWindow.daily({ start: "2024-01-01" })
export const months = Partitions.TimeWindow.monthly({ start: "2024-01" })

/** A fixed clock: the example's partitions do not depend on today's date. */
export const context = Partitions.context({ now: Date.parse("2024-12-31T12:00:00Z") })

const schemas = Effect.forEach(
  ["raw", "staging", "marts"],
  (schema) => DuckDB.execute(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
)

const count = (sql: string, params?: ReadonlyArray<string>) =>
  Effect.map(DuckDB.query(sql, params), (rows) => Number(rows[0]?.n ?? 0))

/** DuckDB's message for an unreadable file, with the path in front. */
const invalid = (path: string) => (error: { readonly message: string }) =>
  new InputError({ path, message: `${path}: ${error.message}` })

export const produtos = Asset.make({
  key: "files/raw/produtos",
  description: "The product catalogue (produtos.json)",
  layer: "raw",
  group: "files",
  materialize: () =>
    Effect.gen(function*() {
      const inputs = yield* Inputs
      const version = yield* inputs.fingerprint(inputs.produtos)
      yield* schemas
      const rows = yield* DuckDB.execute(
        `CREATE OR REPLACE TABLE raw.produtos AS SELECT * FROM read_json(${Sql.literal(inputs.produtos)},
          format = 'array', columns = {codigo: 'VARCHAR', nome: 'VARCHAR', categoria: 'VARCHAR'})`
      ).pipe(Effect.mapError(invalid(inputs.produtos)))
      return { rows, dataVersion: version }
    })
})

export const vendas = Asset.make({
  key: "files/raw/vendas",
  description: "One day of sales, as written in vendas/<day>.csv",
  layer: "raw",
  group: "files",
  partitions: days,
  checks: [
    AssetCheck.make({
      name: "rows_of_the_day",
      description: "Every row's date is the partition's day",
      evaluate: ({ partitionKey }) =>
        Effect.map(
          count("SELECT count(*)::BIGINT AS n FROM raw.vendas WHERE arquivo = $1 AND data <> $1::DATE", [
            partitionKey ?? ""
          ]),
          (others) => others === 0 ? AssetCheck.pass() : AssetCheck.fail(`${others} rows dated another day`)
        )
    })
  ],
  materialize: (ctx) =>
    Effect.gen(function*() {
      const day = days.format(ctx.partition)
      const inputs = yield* Inputs
      const path = inputs.vendas(day)
      const version = yield* inputs.fingerprint(path)
      yield* schemas
      yield* DuckDB.execute(`CREATE TABLE IF NOT EXISTS raw.vendas (arquivo DATE NOT NULL, pedido VARCHAR NOT NULL,
        data DATE NOT NULL, produto VARCHAR NOT NULL, quantidade INTEGER NOT NULL, preco_unitario DECIMAL(12, 2) NOT NULL)`)
      // The day's rows are replaced in one transaction: a file that fails to parse leaves the previous ones.
      const rows = yield* DuckDB.withTransaction(Effect.zipRight(
        DuckDB.execute("DELETE FROM raw.vendas WHERE arquivo = $1::DATE", [day]),
        DuckDB.execute(
          `INSERT INTO raw.vendas SELECT $1::DATE, * FROM read_csv(${Sql.literal(path)}, header = true,
            columns = {pedido: 'VARCHAR', data: 'DATE', produto: 'VARCHAR', quantidade: 'INTEGER',
                       preco_unitario: 'DECIMAL(12, 2)'})`,
          [day]
        )
      )).pipe(Effect.mapError(invalid(path)))
      return { rows, dataVersion: version }
    })
})

export const vendasStaging = Asset.make({
  key: "files/staging/vendas",
  description: "Sales with their product's name and category and the line's value",
  layer: "staging",
  group: "files",
  partitions: days,
  deps: [vendas, produtos],
  checks: [
    AssetCheck.make({
      name: "produtos_conhecidos",
      description: "Every sale names a product of the catalogue",
      severity: "Warn",
      evaluate: ({ partitionKey }) =>
        Effect.map(
          count("SELECT count(*)::BIGINT AS n FROM staging.vendas WHERE data = $1::DATE AND categoria IS NULL", [
            partitionKey ?? ""
          ]),
          (unknown) => unknown === 0 ? AssetCheck.pass() : AssetCheck.fail(`${unknown} sales of unknown products`)
        )
    })
  ],
  materialize: (ctx) =>
    Effect.gen(function*() {
      const day = days.format(ctx.partition)
      yield* DuckDB.execute(`CREATE TABLE IF NOT EXISTS staging.vendas (pedido VARCHAR, data DATE, produto VARCHAR,
        nome VARCHAR, categoria VARCHAR, quantidade INTEGER, preco_unitario DECIMAL(12, 2), valor DECIMAL(14, 2))`)
      const rows = yield* DuckDB.withTransaction(Effect.zipRight(
        DuckDB.execute("DELETE FROM staging.vendas WHERE data = $1::DATE", [day]),
        DuckDB.execute(
          `INSERT INTO staging.vendas
           SELECT v.pedido, v.data, v.produto, p.nome, p.categoria, v.quantidade, v.preco_unitario,
             v.quantidade * v.preco_unitario
           FROM raw.vendas v LEFT JOIN raw.produtos p ON p.codigo = v.produto
           WHERE v.arquivo = $1::DATE`,
          [day]
        )
      ))
      return { rows }
    })
})

export const receitaMensal = Asset.make({
  key: "files/marts/receita_mensal",
  description: "Revenue, orders and units per category and month",
  layer: "mart",
  group: "files",
  partitions: months,
  // Each month reads every day it covers (inferred for two time windows; written out here).
  deps: [{ asset: vendasStaging, mapping: PartitionMapping.timeWindow() }],
  checks: [
    AssetCheck.make({
      name: "receita_confere",
      description: "The month's revenue = the sum of its staged sales",
      evaluate: ({ partitionKey }) =>
        Effect.gen(function*() {
          const month = partitionKey ?? ""
          const mart = yield* count(
            "SELECT coalesce(sum(receita), 0)::DOUBLE AS n FROM marts.receita_mensal WHERE mes = $1",
            [month]
          )
          const staged = yield* count(
            "SELECT coalesce(sum(valor), 0)::DOUBLE AS n FROM staging.vendas WHERE strftime(data, '%Y-%m') = $1",
            [month]
          )
          return Math.abs(mart - staged) < 0.005
            ? AssetCheck.pass(`R$ ${mart.toFixed(2)}`)
            : AssetCheck.fail(`mart R$ ${mart.toFixed(2)} ≠ staging R$ ${staged.toFixed(2)}`)
        })
    })
  ],
  materialize: (ctx) =>
    Effect.gen(function*() {
      const month = months.format(ctx.partition)
      yield* DuckDB.execute(`CREATE TABLE IF NOT EXISTS marts.receita_mensal (mes VARCHAR, categoria VARCHAR,
        pedidos BIGINT, unidades BIGINT, receita DECIMAL(18, 2))`)
      const rows = yield* DuckDB.withTransaction(Effect.zipRight(
        DuckDB.execute("DELETE FROM marts.receita_mensal WHERE mes = $1", [month]),
        DuckDB.execute(
          `INSERT INTO marts.receita_mensal
           SELECT $1, coalesce(categoria, '(desconhecida)'), count(DISTINCT pedido), sum(quantidade), sum(valor)
           FROM staging.vendas WHERE strftime(data, '%Y-%m') = $1 GROUP BY ALL`,
          [month]
        )
      ))
      return { rows }
    })
})

export const graph = AssetGraph.make([produtos, vendas, vendasStaging, receitaMensal])
