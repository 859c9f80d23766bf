/**
 * The marts' money: exact decimals that keep the API's sub-cent values.
 */
import { DuckDB } from "@baliza/duckdb"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import * as Marts from "../src/Assets/Marts.js"

layer(DuckDB.layerMemory)("Marts", (it) => {
  it.effect("a mart sums sub-cent values exactly (a real contratos page has 10202.752)", () =>
    Effect.gen(function*() {
      const mart = Marts.marts.find((m) => m.table === "marts.contratos_fornecedor")
      assert.isDefined(mart)
      yield* DuckDB.execute(`CREATE SCHEMA staging; CREATE SCHEMA marts;
        CREATE TABLE staging.contratos AS SELECT * FROM (VALUES
          ('1', 'F', 10202.752, {'cnpj': 'A'}, 'd'), ('1', 'F', 0.004, {'cnpj': 'A'}, 'd'),
          ('1', 'F', 0.004, {'cnpj': 'B'}, 'd')
        ) AS t(niFornecedor, nomeRazaoSocialFornecedor, valorGlobal, orgaoEntidade, dataAtualizacaoGlobal)`)
      yield* DuckDB.execute(`CREATE TABLE ${mart!.table} AS ${mart!.select}`)
      const [row] = yield* DuckDB.query(`SELECT valor_global::VARCHAR AS v, orgaos FROM ${mart!.table}`)
      assert.deepStrictEqual(row, { v: "10202.7600", orgaos: 2 })
    }))

  const build = (table: string) =>
    Effect.gen(function*() {
      const mart = Marts.marts.find((m) => m.table === table)
      assert.isDefined(mart)
      yield* DuckDB.execute(`CREATE OR REPLACE TABLE ${mart!.table} AS ${mart!.select}`)
      return mart!
    })

  it.effect("a junk amount of 1e15 is summed, not a failed mart", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE OR REPLACE TABLE staging.contratos AS SELECT * FROM (VALUES
          ('1', 'F', 1e15, {'cnpj': 'A'}, 'd'), ('1', 'F', 0.5, {'cnpj': 'A'}, 'd')
        ) AS t(niFornecedor, nomeRazaoSocialFornecedor, valorGlobal, orgaoEntidade, dataAtualizacaoGlobal)`)
      yield* build("marts.contratos_fornecedor")
      const [row] = yield* DuckDB.query("SELECT valor_global::VARCHAR AS v FROM marts.contratos_fornecedor")
      assert.strictEqual(row?.v, "1000000000000000.5000")
    }))

  it.effect("a cancelled ata is in force until its dataCancelamento; without a date it is left out", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE OR REPLACE TABLE staging.atas AS SELECT * FROM (VALUES
          ('a', 'X', '2024-01-10', '2024-12-31', false, NULL),
          ('b', 'X', '2024-01-10', '2024-12-31', true, '2024-03-05'),
          ('c', 'Y', '2024-01-10', '2024-12-31', true, NULL),
          ('d', 'Y', '2024-05-10', '2024-12-31', true, '2024-04-01')
        ) AS t(numeroControlePNCPAta, cnpjOrgao, vigenciaInicio, vigenciaFim, cancelado, dataCancelamento);
        CREATE SCHEMA IF NOT EXISTS meta;
        CREATE OR REPLACE TABLE meta.asset_state AS SELECT * FROM (VALUES
          ('pncp/raw/atas', '2024-02', 'Materialized'), ('pncp/raw/atas', '2024-03', 'Failed')
        ) AS t(asset_key, partition_key, status)`)
      const mart = yield* build("marts.atas_vigentes_mensal")
      const months = yield* DuckDB.query(
        "SELECT mes, atas_vigentes, mes_extraido FROM marts.atas_vigentes_mensal ORDER BY mes"
      )
      // a: 12 months; b: January to March; c: no date, left out; d: cancelled before it started. Only February's atas
      // in force were extracted: the other months' counts are what staging happens to hold.
      assert.deepStrictEqual(months.slice(0, 4).map((m) => [m.mes, Number(m.atas_vigentes), m.mes_extraido]), [
        ["2024-01", 2, false],
        ["2024-02", 2, true],
        ["2024-03", 2, false],
        ["2024-04", 1, false]
      ])
      assert.strictEqual(months.length, 12)
      const [totals] = yield* DuckDB.query(`SELECT ${mart.totals[0]!.staging} `)
      assert.strictEqual(Number(Object.values(totals ?? {})[0]), 15)
    }))

  it.effect("contratações per month say how many of the month's days were extracted (all 13 modalidades)", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE SCHEMA IF NOT EXISTS meta;
        CREATE OR REPLACE TABLE meta.asset_state AS
          SELECT 'pncp/raw/contratacoes_publicacao' AS asset_key, day || '|' || m AS partition_key,
                 'Materialized' AS status
          FROM (VALUES ('2024-07-01')) AS d(day), range(1, 14) AS r(m)
          UNION ALL SELECT 'pncp/raw/contratacoes_publicacao', '2024-07-02|' || m, 'Materialized' FROM range(1, 13) AS r(m);
        CREATE OR REPLACE TABLE staging.contratacoes AS SELECT * FROM (VALUES
          ('2024-07-01T10:00:00', {'cnpj': 'A', 'razaoSocial': 'Órgão'}, 6, 10.0, 8.0, 'd'),
          ('2024-06-28T10:00:00', {'cnpj': 'A', 'razaoSocial': 'Órgão'}, 6, 5.0, NULL, 'd')
        ) AS t(dataPublicacaoPncp, orgaoEntidade, modalidadeId, valorTotalEstimado, valorTotalHomologado,
               dataAtualizacaoGlobal)`)
      yield* build("marts.contratacoes_mensal")
      const rows = yield* DuckDB.query(
        "SELECT mes, contratacoes, dias_extraidos, dias_no_mes FROM marts.contratacoes_mensal ORDER BY mes"
      )
      assert.deepStrictEqual(
        rows.map((r) => [r.mes, Number(r.contratacoes), Number(r.dias_extraidos), r.dias_no_mes]),
        [
          ["2024-06", 1, 0, 30],
          ["2024-07", 1, 1, 31]
        ]
      )
    }))

  it.effect("PCA planned values are per plan year: two years of one órgão and categoria are two rows", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE OR REPLACE TABLE staging.pca AS SELECT * FROM (VALUES
          (2025, 'C', 'Órgão', [{'categoriaItemPcaNome': 'Material', 'valorTotal': 10.0}], 'd'),
          (2026, 'C', 'Órgão', [{'categoriaItemPcaNome': 'Material', 'valorTotal': 5.0}], 'd')
        ) AS t(anoPca, orgaoEntidadeCnpj, orgaoEntidadeRazaoSocial, itens, dataAtualizacaoGlobalPCA)`)
      yield* build("marts.pca_categoria_orgao")
      const rows = yield* DuckDB.query(
        "SELECT ano, valor_planejado::VARCHAR AS v FROM marts.pca_categoria_orgao ORDER BY ano"
      )
      assert.deepStrictEqual(rows.map((r) => [r.ano, r.v]), [[2025, "10.0000"], [2026, "5.0000"]])
    }))
  it.effect("the homologado/estimado ratio pairs each homologado with its own estimado (a NULL on either side is left out)", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE OR REPLACE TABLE staging.contratacoes AS SELECT * FROM (VALUES
          ('2024-07-01T10:00:00', {'cnpj': 'A', 'razaoSocial': 'Órgão'}, 6, NULL, 100.0, 'd'),
          ('2024-07-02T10:00:00', {'cnpj': 'A', 'razaoSocial': 'Órgão'}, 6, 100.0, 50.0, 'd'),
          ('2024-07-03T10:00:00', {'cnpj': 'A', 'razaoSocial': 'Órgão'}, 6, 300.0, NULL, 'd')
        ) AS t(dataPublicacaoPncp, orgaoEntidade, modalidadeId, valorTotalEstimado, valorTotalHomologado,
               dataAtualizacaoGlobal)`)
      yield* build("marts.contratacoes_mensal")
      const [row] = yield* DuckDB.query("SELECT razao_homologado_estimado::DOUBLE AS r FROM marts.contratacoes_mensal")
      // only the second has both: 50 homologado of 100 estimado (not 150 of 100, nor 50 of 400)
      assert.strictEqual(row?.r, 0.5)
    }))

  it.effect("a name spelled two ways is the latest spelling, whatever order the rows were staged in", () =>
    Effect.gen(function*() {
      const rows = [
        "('1', 'ACME LTDA', 10.0, {'cnpj': 'A'}, '2024-07-02T10:00:00')",
        "('1', 'ACME LTDA.', 10.0, {'cnpj': 'A'}, '2024-07-01T10:00:00')",
        "('2', 'BETA', 1.0, {'cnpj': 'A'}, '2024-07-01T10:00:00')",
        "('2', 'BETA SA', 1.0, {'cnpj': 'A'}, '2024-07-01T10:00:00')"
      ]
      const fornecedores = (order: ReadonlyArray<string>) =>
        Effect.gen(function*() {
          yield* DuckDB.execute(`CREATE OR REPLACE TABLE staging.contratos AS SELECT * FROM (VALUES ${order.join(", ")})
            AS t(niFornecedor, nomeRazaoSocialFornecedor, valorGlobal, orgaoEntidade, dataAtualizacaoGlobal)`)
          yield* build("marts.contratos_fornecedor")
          return yield* DuckDB.query("SELECT ni_fornecedor, fornecedor FROM marts.contratos_fornecedor ORDER BY 1")
        })
      const forward = yield* fornecedores(rows)
      assert.deepStrictEqual(
        forward.map((r) => r.fornecedor),
        ["ACME LTDA", "BETA SA"],
        "the latest; on a tie the greatest"
      )
      assert.deepStrictEqual(yield* fornecedores([...rows].reverse()), forward)
    }))

  it.effect("the totals check agrees exactly: one contratação's R$ 500,000 missing from a trillion fails it", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(
        `CREATE OR REPLACE TABLE meta.asset_state (asset_key VARCHAR, partition_key VARCHAR, status VARCHAR);
        CREATE OR REPLACE TABLE staging.contratacoes AS
          SELECT '2024-07-01T10:00:00' AS dataPublicacaoPncp, {'cnpj': 'A' || (i % 100), 'razaoSocial': 'Órgão'} AS orgaoEntidade,
                 6 AS modalidadeId, 10000000.0::DOUBLE AS valorTotalEstimado, NULL::DOUBLE AS valorTotalHomologado,
                 'd' AS dataAtualizacaoGlobal
          FROM range(100000) t(i)`
      )
      const mart = yield* build("marts.contratacoes_mensal")
      const check = Marts.make(mart, []).checks.find((c) => c.name === "totals")
      assert.isDefined(check)
      const context = {
        runId: "r",
        assetKey: "pncp/marts/contratacoes_mensal",
        partitionKey: undefined,
        rows: undefined,
        bytes: undefined,
        dataVersion: "v",
        metadata: {}
      }
      assert.isTrue((yield* check!.evaluate(context)).passed)
      yield* DuckDB.execute(
        "UPDATE marts.contratacoes_mensal SET valor_estimado = valor_estimado - 500000 WHERE cnpj_orgao = 'A1'"
      )
      const lost = yield* check!.evaluate(context)
      assert.isFalse(lost.passed)
      assert.include(lost.message, "valor_estimado: 999999500000.0000 here, 1000000000000.0000 upstream")
    }))

  const totalsCheck = (mart: Marts.Mart) => {
    const check = Marts.make(mart, []).checks.find((c) => c.name === "totals")
    assert.isDefined(check)
    return check!.evaluate({
      runId: "r",
      assetKey: "pncp/marts/x",
      partitionKey: undefined,
      rows: undefined,
      bytes: undefined,
      dataVersion: "v",
      metadata: {}
    })
  }

  it.effect("a name's latest spelling: a record without an update date ranks last, not first", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE OR REPLACE TABLE staging.contratos AS SELECT * FROM (VALUES
          ('1', 'ACME ANTIGA', 1.0, {'cnpj': 'A'}, '2024-07-01T10:00:00'),
          ('1', 'ACME NOVA', 1.0, {'cnpj': 'A'}, '2024-07-09T10:00:00'),
          ('1', 'AAA SEM DATA', 1.0, {'cnpj': 'A'}, NULL),
          ('2', 'BETA SEM DATA', 1.0, {'cnpj': 'A'}, NULL),
          ('2', 'BETA', 1.0, {'cnpj': 'A'}, NULL)
        ) AS t(niFornecedor, nomeRazaoSocialFornecedor, valorGlobal, orgaoEntidade, dataAtualizacaoGlobal)`)
      yield* build("marts.contratos_fornecedor")
      const rows = yield* DuckDB.query("SELECT fornecedor FROM marts.contratos_fornecedor ORDER BY ni_fornecedor")
      // with no date at all, the greatest spelling, as on a tie
      assert.deepStrictEqual(rows.map((r) => r.fornecedor), ["ACME NOVA", "BETA SEM DATA"])
    }))

  it.effect("the totals check compares exact decimals: R$ 0.10 off a junk 1e16 amount fails it", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE OR REPLACE TABLE staging.contratos AS SELECT * FROM (VALUES
          ('1', 'F', 1e16, {'cnpj': 'A'}, 'd'), ('2', 'G', 0.5, {'cnpj': 'A'}, 'd')
        ) AS t(niFornecedor, nomeRazaoSocialFornecedor, valorGlobal, orgaoEntidade, dataAtualizacaoGlobal)`)
      const mart = yield* build("marts.contratos_fornecedor")
      assert.isTrue((yield* totalsCheck(mart)).passed)
      // as doubles both are 1e16
      yield* DuckDB.execute(
        "UPDATE marts.contratos_fornecedor SET valor_global = valor_global - 0.10 WHERE ni_fornecedor = '2'"
      )
      const lost = yield* totalsCheck(mart)
      assert.isFalse(lost.passed)
      assert.include(lost.message, "valor_global: 10000000000000000.4000 here, 10000000000000000.5000 upstream")
    }))

  it.effect("every total is reconciled: contratações' valor homologado, the PCA's itens", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(
        `CREATE OR REPLACE TABLE meta.asset_state (asset_key VARCHAR, partition_key VARCHAR, status VARCHAR);
        CREATE OR REPLACE TABLE staging.contratacoes AS SELECT * FROM (VALUES
          ('2024-07-01T10:00:00', {'cnpj': 'A', 'razaoSocial': 'O'}, 6, 100.0, 80.0, 'd'),
          ('2024-07-02T10:00:00', {'cnpj': 'B', 'razaoSocial': 'P'}, 8, 50.0, 40.0, 'd')
        ) AS t(dataPublicacaoPncp, orgaoEntidade, modalidadeId, valorTotalEstimado, valorTotalHomologado,
               dataAtualizacaoGlobal);
        CREATE OR REPLACE TABLE staging.pca AS SELECT * FROM (VALUES
          (2025, 'C', 'Órgão', [{'categoriaItemPcaNome': 'Material', 'valorTotal': 10.0},
                                {'categoriaItemPcaNome': 'Obra', 'valorTotal': NULL}], 'd'),
          (2025, 'D', 'Outro', NULL, 'd')
        ) AS t(anoPca, orgaoEntidadeCnpj, orgaoEntidadeRazaoSocial, itens, dataAtualizacaoGlobalPCA)`
      )
      const contratacoes = yield* build("marts.contratacoes_mensal")
      assert.isTrue((yield* totalsCheck(contratacoes)).passed)
      yield* DuckDB.execute("UPDATE marts.contratacoes_mensal SET valor_homologado = NULL WHERE cnpj_orgao = 'B'")
      assert.include((yield* totalsCheck(contratacoes)).message, "valor_homologado: 80.0000 here, 120.0000 upstream")
      const pca = yield* build("marts.pca_categoria_orgao")
      assert.isTrue((yield* totalsCheck(pca)).passed)
      // an item with no value is lost from the mart: its valor planejado still agrees, its count does not
      yield* DuckDB.execute("DELETE FROM marts.pca_categoria_orgao WHERE categoria = 'Obra'")
      const lost = yield* totalsCheck(pca)
      assert.isFalse(lost.passed)
      assert.strictEqual(lost.message, "itens: 1 here, 2 upstream")
    }))
})
