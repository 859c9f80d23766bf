import { DuckDB, Staging } from "@baliza/duckdb"
import { assert, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"

const Record = Schema.Struct({
  numeroControlePNCP: Schema.String,
  anoCompra: Schema.Int,
  dataPublicacaoPncp: Schema.Date,
  valorTotalEstimado: Schema.NullOr(Schema.Number),
  orgaoEntidade: Schema.Struct({ cnpj: Schema.String, razaoSocial: Schema.String }),
  fontesOrcamentarias: Schema.Array(Schema.Struct({ codigo: Schema.Int }))
})

const record = (i: number) => ({
  numeroControlePNCP: `0001-1-${String(i).padStart(6, "0")}/2025`,
  anoCompra: 2025,
  dataPublicacaoPncp: `2025-01-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00`,
  valorTotalEstimado: i % 3 === 0 ? null : i * 1.5,
  orgaoEntidade: { cnpj: String(i % 7), razaoSocial: `Órgão ${i % 7}` },
  fontesOrcamentarias: i % 2 === 0 ? [{ codigo: i }] : [],
  ignoredField: "dropped"
})

const page = (n: number, size: number) =>
  JSON.stringify({
    data: Array.from({ length: size }, (_, k) => record(n * size + k)),
    totalRegistros: 999,
    numeroPagina: n + 1
  })

layer(DuckDB.layerMemory)("Staging", (it) => {
  it.effect("stages the records of JSON pages into a typed table, carrying source columns", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(
        "CREATE SCHEMA raw; CREATE TABLE raw.pages (endpoint VARCHAR, page INTEGER, payload VARCHAR)"
      )
      const pages = Array.from({ length: 40 }, (_, n) => ["contratacoes", n, page(n, 50)] as const)
      yield* DuckDB.appendRows("raw.pages", ["endpoint", "page", "payload"], [...pages, ["atas", 0, page(99, 3)]])
      const inserted = yield* Staging.stageJsonPages({
        source: "raw.pages",
        payload: "payload",
        schema: Record,
        target: "main.contratacoes",
        where: "endpoint = 'contratacoes'",
        carry: ["page"]
      })
      assert.strictEqual(inserted, 2000)
      const rows = yield* DuckDB.query(
        `SELECT page, numeroControlePNCP, dataPublicacaoPncp, orgaoEntidade, fontesOrcamentarias, valorTotalEstimado
         FROM contratacoes ORDER BY numeroControlePNCP LIMIT 2`
      )
      assert.deepStrictEqual(rows, [
        {
          page: 0,
          numeroControlePNCP: "0001-1-000000/2025",
          dataPublicacaoPncp: new Date("2025-01-01T10:00:00Z"),
          orgaoEntidade: { cnpj: "0", razaoSocial: "Órgão 0" },
          fontesOrcamentarias: [{ codigo: 0 }],
          valorTotalEstimado: null
        },
        {
          page: 0,
          numeroControlePNCP: "0001-1-000001/2025",
          dataPublicacaoPncp: new Date("2025-01-02T10:00:00Z"),
          orgaoEntidade: { cnpj: "1", razaoSocial: "Órgão 1" },
          fontesOrcamentarias: [],
          valorTotalEstimado: 1.5
        }
      ])
      const typed = yield* DuckDB.queryAs(Record)("SELECT * EXCLUDE (page) FROM contratacoes")
      assert.strictEqual(typed.length, 2000)
      // replace mode, split over parallel connections, gives the same rows
      const again = yield* Staging.stageJsonPages({
        source: "raw.pages",
        payload: "payload",
        schema: Record,
        target: "contratacoes",
        where: "endpoint = 'contratacoes'",
        carry: ["page"],
        mode: "replace",
        parallelism: 3
      })
      assert.strictEqual(again, 2000)
      assert.deepStrictEqual(
        yield* DuckDB.query("SELECT count(*) AS n, count(DISTINCT numeroControlePNCP) AS d FROM contratacoes"),
        [{ n: 2000, d: 2000 }]
      )
    }))

  it.effect("inside withTransaction parallel parts run in turn and roll back together", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE tx_pages (payload VARCHAR)")
      yield* DuckDB.appendRows("tx_pages", ["payload"], Array.from({ length: 10 }, (_, n) => [page(n, 5)]))
      const exit = yield* Effect.exit(DuckDB.withTransaction(Effect.gen(function*() {
        const n = yield* Staging.stageJsonPages({
          source: "tx_pages",
          payload: "payload",
          schema: Record,
          target: "tx_target",
          parallelism: 2
        })
        assert.strictEqual(n, 50)
        return yield* Effect.fail("abort")
      })))
      assert.isTrue(exit._tag === "Failure")
      const exists = yield* DuckDB.query("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'tx_target'")
      assert.deepStrictEqual(exists, [{ n: 0 }])
    }))

  it.effect("a payload that is the array itself, and a nested path", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE arr_pages (payload VARCHAR, nested VARCHAR)")
      yield* DuckDB.appendRows("arr_pages", ["payload", "nested"], [[
        JSON.stringify([record(1), record(2)]),
        JSON.stringify({ result: { items: [record(3)] } })
      ]])
      const a = yield* Staging.stageJsonPages({
        source: "arr_pages",
        payload: "payload",
        path: "",
        schema: Record,
        target: "arr_a"
      })
      const b = yield* Staging.stageJsonPages({
        source: "arr_pages",
        payload: "nested",
        path: "result.items",
        schema: Record,
        target: "arr_b"
      })
      assert.deepStrictEqual([a, b], [2, 1])
      assert.deepStrictEqual(yield* DuckDB.query("SELECT anoCompra FROM arr_b"), [{ anoCompra: 2025 }])
    }))

  it.effect("parallel parts cover every page once: rowid gaps, more parts than pages, an empty source", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE gap_pages (n INTEGER, payload VARCHAR)")
      yield* DuckDB.appendRows("gap_pages", ["n", "payload"], Array.from({ length: 9 }, (_, n) => [n, page(n, 4)]))
      // rowids 3..5 go: the ranges still cover 0..8, and the parts left with nothing insert nothing
      yield* DuckDB.execute("DELETE FROM gap_pages WHERE n BETWEEN 3 AND 5")
      const split = (target: string, parallelism: number) =>
        Staging.stageJsonPages({ source: "gap_pages", payload: "payload", schema: Record, target, parallelism })
      assert.deepStrictEqual(yield* Effect.all([split("gap_2", 2), split("gap_4", 4), split("gap_20", 20)]), [
        24,
        24,
        24
      ])
      const pages = yield* DuckDB.query(
        `SELECT count(*) AS n, count(DISTINCT numeroControlePNCP) AS d FROM gap_20
         WHERE numeroControlePNCP IN (SELECT numeroControlePNCP FROM gap_4)`
      )
      assert.deepStrictEqual(pages, [{ n: 24, d: 24 }])
      yield* DuckDB.execute("DELETE FROM gap_pages")
      assert.strictEqual(yield* split("gap_empty", 3), 0)
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM gap_empty"), [{ n: 0 }])
    }))
})
