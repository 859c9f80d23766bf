import { DuckDB, DuckDBError, Parquet } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { tempDir } from "./helpers.js"

describe("Parquet", () => {
  it("builds the COPY statement", () => {
    assert.strictEqual(
      Parquet.copySql({ table: "marts.contratos", path: "/x/out", partitionBy: ["year", "month"] }),
      `COPY "marts"."contratos" TO '/x/out' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY ("year", "month"), OVERWRITE true)`
    )
    assert.strictEqual(
      Parquet.copySql({ query: "SELECT 1", path: "/x/it's.parquet", compression: "snappy", rowGroupSize: 1000 }),
      `COPY (\nSELECT 1\n) TO '/x/it''s.parquet' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1000)`
    )
    assert.include(Parquet.source("/data/out/"), `read_parquet('/data/out/**/*.parquet', hive_partitioning = true`)
  })

  it.scoped("exports a query that ends with a semicolon or a line comment", () =>
    Effect.gen(function*() {
      const file = Path.join(yield* tempDir, "q.parquet")
      yield* DuckDB.execute("CREATE TABLE s AS SELECT range AS id FROM range(4)")
      const queries = [
        "SELECT * FROM s;",
        "SELECT * FROM s ; \n",
        "SELECT * FROM s -- all rows",
        "SELECT * FROM s\n-- all\n"
      ]
      for (const query of queries) {
        assert.strictEqual(yield* Parquet.exportParquet({ query, path: file }), 4, query)
      }
    }).pipe(Effect.provide(DuckDB.layerMemory)))

  it.scoped("writes 128-bit integers (a sum of BIGINTs, nested ones too) exactly, as DECIMAL(38, 0)", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      // 2^53 + 1 and a 23-digit HUGEINT: a DOUBLE would round both
      yield* DuckDB.execute(`CREATE TABLE totals AS
        SELECT sum(x) AS s, 12345678901234567890123::HUGEINT AS h, {'n': '1180591620717411303424'::UHUGEINT, 'k': 'a'} AS st,
               [9007199254740993::HUGEINT] AS l, 7 AS plain, 2024 AS year
        FROM (VALUES (9007199254740993::BIGINT)) AS t(x)`)
      for (
        const [options, read] of [
          [{ table: "totals", path: Path.join(dir, "t.parquet") }, `'${Path.join(dir, "t.parquet")}'`],
          [
            { query: "SELECT * FROM totals", path: Path.join(dir, "by-year"), partitionBy: ["year"] },
            Parquet.source(
              Path.join(dir, "by-year")
            )
          ]
        ] as const
      ) {
        assert.strictEqual(yield* Parquet.exportParquet(options), 1)
        const [row] = yield* DuckDB.query(
          `SELECT s::VARCHAR AS s, h::VARCHAR AS h, st.n::VARCHAR AS n, st.k AS k, l[1]::VARCHAR AS l,
                  typeof(s) AS type, typeof(plain) AS plain FROM ${read}`
        )
        assert.deepStrictEqual(row, {
          s: "9007199254740993",
          h: "12345678901234567890123",
          n: "1180591620717411303424",
          k: "a",
          l: "9007199254740993",
          type: "DECIMAL(38,0)",
          plain: "INTEGER"
        })
      }
    }).pipe(Effect.provide(DuckDB.layerMemory)))

  it.scoped("exports a partitioned table with zstd and reads it back with hive partitions", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      yield* DuckDB.execute(
        `CREATE TABLE contratos AS SELECT range AS id, 2024 + range % 2 AS year, 1 + range % 3 AS month,
          'contrato ' || range AS objeto FROM range(1000)`
      )
      const out = Path.join(dir, "exports", "contratos")
      const written = yield* Parquet.exportParquet({ table: "contratos", path: out, partitionBy: ["year", "month"] })
      assert.strictEqual(written, 1000)
      assert.isTrue(Fs.existsSync(Path.join(out, "year=2024", "month=1")))
      const rows = yield* Parquet.readParquet(out)
      assert.strictEqual(rows.length, 1000)
      const summary = yield* DuckDB.query(
        `SELECT year, month, count(*) AS n FROM ${Parquet.source(out)} GROUP BY ALL ORDER BY ALL LIMIT 2`
      )
      assert.deepStrictEqual(summary, [{ year: 2024, month: 1, n: 167 }, { year: 2024, month: 2, n: 166 }])
      const codecs = yield* DuckDB.query(
        `SELECT DISTINCT compression FROM parquet_metadata('${out}/**/*.parquet')`
      )
      assert.deepStrictEqual(codecs, [{ compression: "ZSTD" }])
      // a query to a single file; exporting again overwrites
      const single = Path.join(dir, "one", "few.parquet")
      assert.strictEqual(
        yield* Parquet.exportParquet({ query: "SELECT * FROM contratos WHERE id < 10", path: single }),
        10
      )
      assert.strictEqual(yield* Parquet.exportParquet({ table: "contratos", path: out, partitionBy: ["year"] }), 1000)
      assert.strictEqual((yield* Parquet.readParquet(out)).length, 1000)
      assert.deepStrictEqual(yield* DuckDB.query(`SELECT count(*) AS n FROM ${Parquet.source(single)}`), [{ n: 10 }])
    }).pipe(Effect.provide(DuckDB.layerMemory)))

  it.scoped("a directory or file whose name looks like a glob is read as itself", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const dir = Path.join(root, "exports [2024]*?")
      yield* DuckDB.execute("CREATE TABLE globbed AS SELECT range AS id, range % 2 AS part FROM range(10)")
      assert.strictEqual(yield* Parquet.exportParquet({ table: "globbed", path: dir, partitionBy: ["part"] }), 10)
      assert.strictEqual((yield* Parquet.readParquet(dir)).length, 10)
      const file = Path.join(dir, "[1].parquet")
      yield* Parquet.exportParquet({ query: "SELECT * FROM globbed WHERE id < 3", path: file })
      assert.deepStrictEqual(yield* DuckDB.query(`SELECT count(*) AS n FROM ${Parquet.source(file)}`), [{ n: 3 }])
      // a path that does not exist is still a glob, here of the escaped directory's files
      const pattern = Path.join(root, "exports [[]2024]*", "part=*", "*.parquet")
      assert.deepStrictEqual(yield* DuckDB.query(`SELECT count(*) AS n FROM ${Parquet.source(pattern)}`), [{ n: 10 }])
    }).pipe(Effect.provide(DuckDB.layerMemory)))

  it.scoped("partition columns read back with the types given (inferred from directory names otherwise)", () =>
    Effect.gen(function*() {
      const out = Path.join(yield* tempDir, "by_ts")
      yield* Parquet.exportParquet({
        query: "SELECT TIMESTAMP '2024-07-01 10:30:00' + INTERVAL (range) HOUR AS ts, range AS n FROM range(3)",
        path: out,
        partitionBy: ["ts"]
      })
      const typeOf = (options?: Parquet.ReadOptions) =>
        DuckDB.query(`SELECT DISTINCT typeof(ts) AS t FROM ${Parquet.source(out, options)}`)
      assert.deepStrictEqual(yield* typeOf(), [{ t: "VARCHAR" }])
      assert.deepStrictEqual(yield* typeOf({ hiveTypes: { ts: "TIMESTAMP" } }), [{ t: "TIMESTAMP" }])
      const [{ first }] = yield* DuckDB.query(
        `SELECT min(ts)::VARCHAR AS first FROM ${Parquet.source(out, { hiveTypes: { ts: "TIMESTAMP" } })}`
      )
      assert.strictEqual(first, "2024-07-01 10:30:00")
    }).pipe(Effect.provide(DuckDB.layerMemory)))
})

describe("Parquet (bad paths)", () => {
  // Every foreign call is wrapped into a DuckDBError: a bad path must be a typed failure, not an exception thrown
  // by the call that builds the effect.
  it.scoped("readParquet of a path under a regular file fails with a typed DuckDBError instead of throwing", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = Path.join(dir, "plain")
      Fs.writeFileSync(file, "not a directory")
      const db = yield* DuckDB.make({ path: ":memory:" })
      let thrown: unknown = undefined
      let exit: Exit.Exit<unknown, unknown> | undefined
      try {
        const effect = Parquet.readParquet(Path.join(file, "x.parquet"))
        exit = yield* Effect.exit(Effect.provideService(effect, DuckDB.DuckDB, db))
      } catch (error) {
        thrown = error
      }
      assert.isUndefined(thrown, `readParquet threw: ${String(thrown)}`)
      assert.isTrue(exit !== undefined && Exit.isFailure(exit))
      if (exit !== undefined && Exit.isFailure(exit) && exit.cause._tag === "Fail") {
        assert.isTrue(DuckDBError.isDuckDBError(exit.cause.error))
      } else {
        assert.fail(`expected a typed failure, got ${JSON.stringify(exit)}`)
      }
    }))
})
