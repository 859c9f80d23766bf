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
          ('1', 'F', 10202.752, {'cnpj': 'A'}), ('1', 'F', 0.004, {'cnpj': 'A'}), ('1', 'F', 0.004, {'cnpj': 'B'})
        ) AS t(niFornecedor, nomeRazaoSocialFornecedor, valorGlobal, orgaoEntidade)`)
      yield* DuckDB.execute(`CREATE TABLE ${mart!.table} AS ${mart!.select}`)
      const [row] = yield* DuckDB.query(`SELECT valor_global::VARCHAR AS v, orgaos FROM ${mart!.table}`)
      assert.deepStrictEqual(row, { v: "10202.7600", orgaos: 2 })
    }))
})
