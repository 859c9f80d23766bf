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

  it.effect("several source tables: each page once, on one connection or several, inside a transaction or not", () =>
    Effect.gen(function*() {
      // four segments of 5 pages of 4 records, as an archive's segment tables hold them
      for (let t = 0; t < 4; t++) {
        yield* DuckDB.execute(`CREATE TABLE seg_${t} (page INTEGER, payload VARCHAR)`)
        yield* DuckDB.appendRows(
          `seg_${t}`,
          ["page", "payload"],
          Array.from({ length: 5 }, (_, k) => [t * 5 + k, page(t * 5 + k, 4)])
        )
      }
      const source = [0, 1, 2, 3].map((t) => `seg_${t}`)
      const stage = (target: string, parallelism: number) =>
        Staging.stageJsonPages({ source, payload: "payload", schema: Record, target, carry: ["page"], parallelism })
      assert.deepStrictEqual(yield* Effect.all([stage("segs_1", 1), stage("segs_2", 2), stage("segs_9", 9)]), [
        80,
        80,
        80
      ])
      assert.strictEqual(yield* DuckDB.withTransaction(stage("segs_tx", 3)), 80)
      for (const table of ["segs_1", "segs_2", "segs_9", "segs_tx"]) {
        assert.deepStrictEqual(
          yield* DuckDB.query(
            `SELECT count(*) AS n, count(DISTINCT numeroControlePNCP) AS records, count(DISTINCT page) AS pages,
               bool_and(numeroControlePNCP = printf('0001-1-%06d/2025', page * 4 + (numeroControlePNCP[8:13]::INT % 4)))
                 AS carried
             FROM ${table}`
          ),
          [{ n: 80, records: 80, pages: 20, carried: true }],
          table
        )
      }
      const filtered = yield* Staging.stageJsonPages({
        source,
        payload: "payload",
        schema: Record,
        target: "segs_where",
        where: "page % 2 = 0",
        parallelism: 2
      })
      assert.strictEqual(filtered, 40)
      const none = yield* Effect.flip(
        Staging.stageJsonPages({ source: [], payload: "payload", schema: Record, target: "x" })
      )
      assert.strictEqual(none.reason, "InvalidInput")
    }))

  it.effect("a bad page among several source tables fails the staging; in a transaction nothing is kept", () =>
    Effect.gen(function*() {
      for (let t = 0; t < 3; t++) {
        yield* DuckDB.execute(`CREATE TABLE bad_${t} (payload VARCHAR)`)
        yield* DuckDB.appendRows(`bad_${t}`, ["payload"], [[t === 1 ? "{\"data\": [" : page(t, 4)]])
      }
      const source = ["bad_0", "bad_1", "bad_2"]
      const stage = (target: string, parallelism: number) =>
        Staging.stageJsonPages({ source, payload: "payload", schema: Record, target, parallelism })
      for (const parallelism of [1, 2]) {
        const error = yield* Effect.flip(stage(`bad_target_${parallelism}`, parallelism))
        assert.match(error.message, /JSON/, `parallelism ${parallelism}`)
      }
      yield* Effect.flip(DuckDB.withTransaction(stage("bad_target_tx", 2)))
      // one connection, or the caller's transaction: the target created for the staging is gone with bad_0's rows
      assert.deepStrictEqual(
        yield* DuckDB.query(
          "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'bad_target%' ORDER BY table_name"
        ),
        [{ table_name: "bad_target_2" }]
      )
    }))

  it.effect("executeInParts runs every statement once, on several connections or in the caller's transaction", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE parts (n INTEGER)")
      const inserts = Array.from({ length: 7 }, (_, n) => `INSERT INTO parts SELECT ${n} FROM range(${n + 1})`)
      assert.strictEqual(yield* Staging.executeInParts(inserts, 3), 28)
      assert.strictEqual(yield* DuckDB.withTransaction(Staging.executeInParts(inserts, 3)), 28)
      assert.deepStrictEqual(
        yield* DuckDB.query("SELECT n, count(*)::INT AS c FROM parts GROUP BY n ORDER BY n"),
        Array.from({ length: 7 }, (_, n) => ({ n, c: 2 * (n + 1) }))
      )
      for (const parallelism of [0, 1.5, Number.NaN]) {
        const error = yield* Effect.flip(Staging.executeInParts(inserts, parallelism))
        assert.strictEqual(error.reason, "InvalidInput")
      }
    }))

  it.effect("parts write their row groups as they fill them, on their own connections only", () =>
    Effect.gen(function*() {
      const setting = "current_setting('write_buffer_row_group_count')"
      const callers = () => Effect.map(DuckDB.query(`SELECT ${setting} AS n`), (rows) => Number(rows[0]?.n))
      const before = yield* callers()
      assert.isAbove(before, 1)
      yield* DuckDB.execute("CREATE TABLE part_settings (n BIGINT)")
      const inserts = Array.from({ length: 3 }, () => `INSERT INTO part_settings SELECT ${setting}`)
      assert.strictEqual(yield* Staging.executeInParts(inserts, 2), 3)
      assert.deepStrictEqual(yield* DuckDB.query("SELECT DISTINCT n FROM part_settings"), [{ n: 1 }])
      assert.strictEqual(yield* callers(), before)
    }))
})
