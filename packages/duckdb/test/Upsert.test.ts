import { DuckDB, Upsert } from "@baliza/duckdb"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect } from "effect"

const upsert = Upsert.updateOrInsert({
  table: "up_t",
  key: ["kind", "id"],
  columns: [
    { name: "kind", type: "VARCHAR" },
    { name: "id", type: "INTEGER" },
    { name: "tags", type: "INTEGER[]" },
    { name: "note", type: "VARCHAR" },
    { name: "created", type: "INTEGER", insertOnly: true }
  ]
})

const table = Effect.map(
  DuckDB.query("SELECT kind, id, tags, note, created FROM up_t ORDER BY kind, id"),
  (rows) => rows.map((row) => [row.kind, row.id, row.tags, row.note, row.created])
)

describe("Upsert (keys and literals)", () => {
  it.scoped("deferred rows with the minimum INTEGER / BIGINT values are written like bound ones", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      yield* db.execute("CREATE TABLE m (k INTEGER PRIMARY KEY, v BIGINT)")
      const up = Upsert.updateOrInsert({
        table: "m",
        key: ["k"],
        deferred: true,
        columns: [{ name: "k", type: "INTEGER" }, { name: "v", type: "BIGINT" }]
      })
      // bound as parameters (not deferred) the same row is written fine
      yield* db.execute("CREATE TABLE m2 (k INTEGER PRIMARY KEY, v BIGINT)")
      yield* Upsert.updateOrInsert({
        table: "m2",
        key: ["k"],
        columns: [{ name: "k", type: "INTEGER" }, { name: "v", type: "BIGINT" }]
      })([[-2147483648, -9223372036854775808n]]).pipe(Effect.provideService(DuckDB.DuckDB, db))
      assert.deepStrictEqual(yield* db.query("SELECT k, v FROM m2"), [{ k: -2147483648, v: -9223372036854775808n }])
      // deferred, it fails with Conversion: `-2147483648::INTEGER` is `-(2147483648::INTEGER)`
      yield* db.withTransaction(up([[-2147483648, -9223372036854775808n]])).pipe(
        Effect.provideService(DuckDB.DuckDB, db)
      )
      assert.deepStrictEqual(yield* db.query("SELECT k, v FROM m"), [{ k: -2147483648, v: -9223372036854775808n }])
    }))

  it.scoped("a NULL key part and the string 'null' are different keys: neither row is dropped", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      yield* db.execute("CREATE TABLE n (a VARCHAR, b VARCHAR, v INTEGER, UNIQUE (a, b))")
      const up = Upsert.updateOrInsert({
        table: "n",
        key: ["a", "b"],
        columns: [{ name: "a", type: "VARCHAR" }, { name: "b", type: "VARCHAR" }, { name: "v", type: "INTEGER" }]
      })
      yield* up([["x", null, 1], ["x", "null", 2]]).pipe(Effect.provideService(DuckDB.DuckDB, db))
      assert.deepStrictEqual(yield* db.query("SELECT a, b, v FROM n ORDER BY v"), [
        { a: "x", b: null, v: 1 },
        { a: "x", b: "null", v: 2 }
      ])
    }))

  it.scoped("two rows whose keys are equal in the key column's type (DATE): the last one wins", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      yield* db.execute("CREATE TABLE dk (d DATE PRIMARY KEY, v INTEGER)")
      const up = Upsert.updateOrInsert({
        table: "dk",
        key: ["d"],
        columns: [{ name: "d", type: "DATE" }, { name: "v", type: "INTEGER" }]
      })
      yield* up([[new Date("2024-01-01T01:00:00Z"), 1], [new Date("2024-01-01T05:00:00Z"), 2]]).pipe(
        Effect.provideService(DuckDB.DuckDB, db)
      )
      assert.deepStrictEqual((yield* db.query("SELECT v FROM dk")).map((r) => r.v), [2])
    }))

  it.scoped("keys JavaScript tells apart but the column does not (a UUID's case, 7 and \"7\"): the last row wins", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      yield* db.execute(
        "CREATE TABLE uk (id UUID PRIMARY KEY, v VARCHAR); CREATE TABLE tk (k VARCHAR PRIMARY KEY, v VARCHAR)"
      )
      const columns = (key: string, type: string) => [{ name: key, type }, { name: "v", type: "VARCHAR" }]
      const byUuid = Upsert.updateOrInsert({ table: "uk", key: ["id"], columns: columns("id", "UUID") })
      const byText = Upsert.updateOrInsert({ table: "tk", key: ["k"], columns: columns("k", "VARCHAR") })
      const deferred = Upsert.updateOrInsert({
        table: "tk",
        key: ["k"],
        columns: columns("k", "VARCHAR"),
        deferred: true
      })
      const id = "0f8fad5b-d9cb-469f-a165-70867728950e"
      yield* Effect.gen(function*() {
        // a new key, then an existing one
        for (const round of ["first", "second"]) {
          yield* byUuid([[id.toUpperCase(), `older ${round}`], [id, `newer ${round}`]])
          yield* byText([[7, `older ${round}`], ["7", `newer ${round}`]])
          assert.deepStrictEqual(yield* db.query("SELECT v FROM uk UNION ALL SELECT v FROM tk"), [
            { v: `newer ${round}` },
            { v: `newer ${round}` }
          ])
        }
        yield* db.withTransaction(deferred([[8, "older"], ["8", "newer"]]))
      }).pipe(Effect.provideService(DuckDB.DuckDB, db))
      assert.deepStrictEqual(yield* db.query("SELECT v FROM tk WHERE k = '8'"), [{ v: "newer" }])
    }))
})

layer(DuckDB.layerMemory)("Upsert", (it) => {
  it.effect("updates the rows that exist, inserts the rest, and leaves insert-only columns as inserted", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE TABLE up_t (kind VARCHAR, id INTEGER, tags INTEGER[], note VARCHAR,
        created INTEGER NOT NULL, PRIMARY KEY (kind, id))`)
      yield* upsert([["a", 1, "[1]", "first", 100], ["b", 1, "[]", null, 101]])
      yield* upsert([
        ["a", 1, "[1, 2]", "second", 200],
        ["a", 2, "[]", "new", 201],
        // The same key twice in one call: the last wins.
        ["b", 1, "[9]", "dropped", 202],
        ["b", 1, "[3]", "kept", 203]
      ])
      assert.deepStrictEqual(yield* table, [
        ["a", 1, [1, 2], "second", 100],
        ["a", 2, [], "new", 201],
        ["b", 1, [3], "kept", 101]
      ])
      yield* upsert([])
      assert.strictEqual((yield* table).length, 3)
    }))

  it.effect("keys that differ below a second are different keys", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE up_ts (stamp TIMESTAMP PRIMARY KEY, v INTEGER)")
      const byTime = Upsert.updateOrInsert({
        table: "up_ts",
        key: ["stamp"],
        columns: [{ name: "stamp", type: "TIMESTAMP" }, { name: "v", type: "INTEGER" }]
      })
      yield* byTime([[new Date("2025-01-01T00:00:00.100Z"), 1], [new Date("2025-01-01T00:00:00.200Z"), 2]])
      yield* byTime([[new Date("2025-01-01T00:00:00.200Z"), 20], [new Date("2025-01-01T00:00:00.300Z"), 3]])
      const rows = yield* DuckDB.query("SELECT epoch_ms(stamp) AS ms, v FROM up_ts ORDER BY stamp")
      assert.deepStrictEqual(rows.map((row) => [Number(row.ms) % 1000, row.v]), [[100, 1], [200, 20], [300, 3]])
    }))

  it.effect("inside a transaction that fails, nothing is kept", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE TABLE up_u (kind VARCHAR, id INTEGER, tags INTEGER[], note VARCHAR,
        created INTEGER NOT NULL, PRIMARY KEY (kind, id))`)
      const into = Upsert.updateOrInsert({
        table: "up_u",
        key: ["kind", "id"],
        columns: [{ name: "kind", type: "VARCHAR" }, { name: "id", type: "INTEGER" }, {
          name: "created",
          type: "INTEGER"
        }]
      })
      yield* into([["a", 1, 1]])
      const failed = yield* Effect.exit(DuckDB.withTransaction(Effect.zipRight(
        into([["a", 1, 2], ["a", 2, 3]]),
        Effect.fail("abort")
      )))
      assert.strictEqual(failed._tag, "Failure")
      const rows = yield* DuckDB.query("SELECT kind, id, created FROM up_u ORDER BY id")
      assert.deepStrictEqual(rows, [{ kind: "a", id: 1, created: 1 }])
    }))

  it.effect("deferred, the rows go with the transaction's next call, written as they are with parameters", () =>
    Effect.gen(function*() {
      // a session away from UTC: a Date goes into a TIMESTAMP as its UTC time and into a TIMESTAMPTZ as its instant
      yield* DuckDB.execute("SET TimeZone = 'America/Sao_Paulo'")
      const create = (name: string) =>
        DuckDB.execute(`CREATE TABLE ${name} (kind VARCHAR, id INTEGER, tags INTEGER[], note VARCHAR,
          created INTEGER NOT NULL, stamp TIMESTAMP, instant TIMESTAMPTZ, PRIMARY KEY (kind, id))`)
      yield* create("up_p")
      yield* create("up_c")
      const columns = [
        { name: "kind", type: "VARCHAR" },
        { name: "id", type: "INTEGER" },
        { name: "tags", type: "INTEGER[]" },
        { name: "note", type: "VARCHAR" },
        { name: "created", type: "INTEGER", insertOnly: true },
        { name: "stamp", type: "TIMESTAMP" },
        { name: "instant", type: "TIMESTAMPTZ" }
      ]
      const withParams = Upsert.updateOrInsert({ table: "up_p", key: ["kind", "id"], columns })
      const deferred = Upsert.updateOrInsert({ table: "up_c", key: ["kind", "id"], columns, deferred: true })
      const batches: ReadonlyArray<ReadonlyArray<ReadonlyArray<DuckDB.Value>>> = [
        [["a", 1, [1], "it's", 100, new Date("2024-07-01T00:00:00.123Z"), new Date("2024-07-01T13:00:00.5Z")], [
          "b",
          1,
          [],
          null,
          101,
          null,
          null
        ]],
        [["a", 1, [1, 2], "second\u0000", 200, new Date(0), new Date(0)], ["a", 2, [], "new", 201, null, null], [
          "b",
          1,
          [3],
          "x",
          1,
          null,
          new Date("1969-12-31T23:59:59.999Z")
        ]]
      ]
      for (const rows of batches) {
        yield* withParams(rows)
        // the read after them in the transaction sees them: they went out before it
        const inside = yield* DuckDB.withTransaction(
          Effect.zipRight(deferred(rows), DuckDB.query("SELECT count(*) AS n FROM up_c"))
        )
        assert.deepStrictEqual(inside, yield* DuckDB.query("SELECT count(*) AS n FROM up_p"))
      }
      const read = (name: string) =>
        DuckDB.query(`SELECT * EXCLUDE (instant), epoch_ms(instant) AS instant_ms FROM ${name} ORDER BY kind, id`)
      const expected = yield* read("up_p")
      assert.deepStrictEqual(expected.map((row) => row.instant_ms), [0, null, -1])
      assert.strictEqual(expected.length, 3)
      assert.deepStrictEqual(yield* read("up_c"), expected)
      // outside a transaction the rows are written at once
      yield* deferred([["c", 1, [], null, 1, null, null]])
      assert.strictEqual((yield* read("up_c")).length, 4)
    }).pipe(Effect.ensuring(Effect.orDie(DuckDB.execute("RESET TimeZone")))))
})
