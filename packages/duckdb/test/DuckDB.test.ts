import { DuckDB, DuckDBError, Sql } from "@baliza/duckdb"
import { assert, describe, it, layer } from "@effect/vitest"
import { Cause, ConfigProvider, Deferred, Effect, Exit, Fiber, Layer, Option, Schema, Stream } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { commitOutOfMemory, keyBatch, spawnReady, squeezed, tempDir } from "./helpers.js"

const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${String(exit.value)}`)
  const error = Cause.failureOption(exit.cause)
  if (Option.isNone(error)) throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return error.value
}

const expectDuckDBError = <A>(exit: Exit.Exit<A, unknown>, reason: DuckDBError.Reason): DuckDBError.DuckDBError => {
  const error = failure(exit)
  assert.isTrue(DuckDBError.isDuckDBError(error), `expected a DuckDBError, got ${String(error)}`)
  if (!DuckDBError.isDuckDBError(error)) throw new Error("unreachable")
  assert.strictEqual(error.reason, reason, error.message)
  return error
}

/** A transaction that has run `sql` and stays open until `release`. */
const openTransaction = (sql: string) =>
  Effect.gen(function*() {
    const ran = yield* Deferred.make<void>()
    const released = yield* Deferred.make<void>()
    const fiber = yield* Effect.fork(DuckDB.withTransaction(Effect.gen(function*() {
      yield* DuckDB.execute(sql)
      yield* Deferred.succeed(ran, undefined)
      yield* Deferred.await(released)
    })))
    yield* Deferred.await(ran)
    return { fiber, release: Deferred.succeed(released, undefined) }
  })

describe("DuckDB (files and faults)", () => {
  it.scoped("creates the parent directory, persists across reopen, and shares one instance per file", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "nested", "deeper", "db.duckdb")
      yield* Effect.scoped(Effect.gen(function*() {
        const a = yield* DuckDB.make({ path, threads: 1, memoryLimit: "256MB" })
        const b = yield* DuckDB.make({ path, threads: 1, memoryLimit: "256MB" })
        assert.strictEqual(a.path, path)
        yield* a.execute("CREATE TABLE kept (id INTEGER); INSERT INTO kept VALUES (1), (2)")
        assert.deepStrictEqual(yield* b.query("SELECT count(*) AS n FROM kept"), [{ n: 2 }])
      }))
      assert.isTrue(Fs.existsSync(path))
      const reopened = yield* DuckDB.make({ path })
      assert.deepStrictEqual(yield* reopened.query("SELECT count(*) AS n FROM kept"), [{ n: 2 }])
    }))

  it.scoped("a second process holding the file makes open fail with Locked, naming the file", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "locked.duckdb")
      yield* spawnReady("hold.mjs", [path])
      const exit = yield* Effect.exit(Effect.scoped(DuckDB.make({ path })))
      const error = expectDuckDBError(exit, "Locked")
      assert.include(error.message, path)
      assert.include(error.message, "locked by another process")
    }))

  it.scoped("a write on a database opened read-only fails with ReadOnly", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "ro.duckdb")
      yield* Effect.scoped(
        Effect.flatMap(
          DuckDB.make({ path }),
          (db) => db.execute("CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (1)")
        )
      )
      const db = yield* DuckDB.make({ path, readOnly: true })
      assert.deepStrictEqual(yield* db.query("SELECT count(*) AS n FROM t"), [{ n: 1 }])
      expectDuckDBError(yield* Effect.exit(db.execute("INSERT INTO t VALUES (2)")), "ReadOnly")
      expectDuckDBError(yield* Effect.exit(db.query("INSERT INTO t VALUES (2) RETURNING id")), "ReadOnly")
    }))

  it.scoped("SIGKILL in the middle of a transaction leaves the last committed state", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "killed.duckdb")
      yield* Effect.scoped(spawnReady("killmid.mjs", [path]))
      const db = yield* DuckDB.make({ path })
      assert.deepStrictEqual(
        yield* db.query("SELECT count(*) AS n, max(payload) AS p FROM items"),
        [{ n: 1, p: "committed" }]
      )
      yield* db.execute("INSERT INTO items VALUES (2, 'after restart')")
      assert.deepStrictEqual(yield* db.query("SELECT count(*) AS n FROM items"), [{ n: 2 }])
    }))

  it.scoped("a memory limit too low for a query fails with OutOfMemory", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:", memoryLimit: "10MB", threads: 1 })
      const error = expectDuckDBError(
        yield* Effect.exit(db.query("SELECT list(range) AS l FROM range(100000000)")),
        "OutOfMemory"
      )
      assert.include(error.message, "memoryLimit")
    }))

  it.scoped("memory full with nowhere left to spill (a full temporary directory) fails with OutOfMemory saying so", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const db = yield* DuckDB.make({
        path: Path.join(dir, "spill.duckdb"),
        memoryLimit: "40MB",
        threads: 1,
        tempDirectory: Path.join(dir, "tmp"),
        // given at startup, as `baliza --max-temp-size` does (DuckDB 1.5.6 enforces it only once it is SET)
        options: { max_temp_directory_size: "1MB" }
      })
      const error = expectDuckDBError(
        yield* Effect.exit(
          db.execute(
            "CREATE TEMP TABLE spilled AS SELECT range AS i, repeat('x', 200) || range AS s FROM range(3000000)"
          )
        ),
        "OutOfMemory"
      )
      assert.include(error.message, "its temporary directory is full")
      assert.include(error.message, "raise max_temp_directory_size")
    }))

  it.scoped(
    "a COMMIT that runs out of memory stops the database until it is opened again, which keeps what committed",
    () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const path = Path.join(dir, "squeezed.duckdb")
        // Out of memory at the COMMIT (no temp directory to spill to): DuckDB 1.5.6 then stored this batch's rows at the
        // connection's next commit in place of that commit's own batch, and reported success.
        const { insert, select: batch } = keyBatch("payload_index", 1500)
        yield* Effect.scoped(Effect.gen(function*() {
          const db = yield* DuckDB.make(squeezed(path))
          // another service on the file: DuckDB's instance cache gives it the same database
          const other = yield* DuckDB.make(squeezed(path))
          yield* db.execute("CREATE TABLE payload_index (sha256 VARCHAR PRIMARY KEY, segment INTEGER NOT NULL)")
          const stopped = yield* Effect.fork(other.invalidated)
          assert.lengthOf(yield* db.query(insert(0)), 1500)
          const committed = yield* commitOutOfMemory(
            db,
            Effect.flatMap(db.query(insert(1)), (rows) => Effect.sync(() => assert.lengthOf(rows, 1500)))
          )
          assert.include(expectDuckDBError(committed, "OutOfMemory").message, "Failed to commit")
          // every later statement, the next batch's insert and a read alike
          const next = expectDuckDBError(yield* Effect.exit(db.query(insert(2))), "Invalidated")
          assert.include(next.message, "opened again")
          expectDuckDBError(yield* Effect.exit(db.query("SELECT count(*) AS n FROM payload_index")), "Invalidated")
          expectDuckDBError(yield* Effect.exit(other.query(insert(2))), "Invalidated")
          // whoever waited for it learns it
          assert.strictEqual((yield* Fiber.join(stopped)).reason, "Invalidated")
        }))
        // opened again: what committed before the failure, and the next batch stored as itself
        const db = yield* DuckDB.make({ path })
        assert.deepStrictEqual(
          yield* db.query("SELECT segment, count(*) AS n FROM payload_index GROUP BY ALL ORDER BY ALL"),
          [{ segment: 0, n: 1500 }]
        )
        assert.lengthOf(yield* db.query(insert(2)), 1500)
        assert.deepStrictEqual(
          yield* db.query(`SELECT count(*) AS n FROM payload_index JOIN (${batch(2)}) USING (sha256, segment)`),
          [{ n: 1500 }]
        )
        // opened again: healthy
        const waiting = yield* Effect.fork(db.invalidated)
        yield* Effect.yieldNow()
        assert.isTrue(Option.isNone(yield* Fiber.poll(waiting)))
      }),
    60_000
  )

  it.scoped("a COMMIT that fails while its fiber is interrupted (a sibling part failed first) still stops the database", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      // DuckDB's texts, thrown where a part would run its statements: one part fails, the other's COMMIT fails after
      const parts = yield* Effect.exit(db.withParallelConnections(2, async (_connection, i) => {
        await new Promise((resolve) => setTimeout(resolve, i === 0 ? 50 : 200))
        throw new Error(
          i === 0
            ? "Constraint Error: Duplicate key \"k: 1\" violates primary key constraint."
            : "TransactionContext Error: Failed to commit: could not allocate block of size 256.0 KiB"
        )
      }))
      expectDuckDBError(parts, "Constraint")
      expectDuckDBError(yield* Effect.exit(db.query("SELECT 1 AS x")), "Invalidated")
    }))

  it.scoped("a malformed path fails with Io and a bad configuration with InvalidInput", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = Path.join(dir, "a-file")
      Fs.writeFileSync(file, "not a directory")
      expectDuckDBError(yield* Effect.exit(DuckDB.make({ path: Path.join(file, "db.duckdb") })), "Io")
      expectDuckDBError(yield* Effect.exit(DuckDB.make({ path: file })), "Io")
      const invalid = expectDuckDBError(
        yield* Effect.exit(DuckDB.make({ path: ":memory:", threads: 0 })),
        "InvalidInput"
      )
      assert.include(invalid.message, "threads")
      expectDuckDBError(yield* Effect.exit(DuckDB.make({ path: ":memory:", readOnly: true })), "InvalidInput")
      expectDuckDBError(yield* Effect.exit(DuckDB.make({ path: ":memory:", memoryLimit: "lots" })), "InvalidInput")
    }))

  it.scoped("layerConfig reads BALIZA_DB and friends", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "from-config.duckdb")
      const provider = ConfigProvider.fromMap(new Map([["BALIZA_DB", path], ["BALIZA_DB_THREADS", "1"]]))
      const rows = yield* DuckDB.query("SELECT current_setting('threads') AS threads").pipe(
        Effect.provide(DuckDB.layerConfig().pipe(Layer.provide(Layer.setConfigProvider(provider))))
      )
      assert.deepStrictEqual(rows, [{ threads: 1 }])
      assert.isTrue(Fs.existsSync(path))
    }))

  it("classifies DuckDB error texts", () => {
    const locked = DuckDBError.fromCause(
      new Error("IO Error: Could not set lock on file \"/x/y.duckdb\": Conflicting lock is held in node (PID 12)."),
      "SELECT 1"
    )
    assert.strictEqual(locked.reason, "Locked")
    assert.include(locked.message, "/x/y.duckdb")
    assert.include(locked.message, "PID 12")
    assert.strictEqual(DuckDBError.fromCause(new Error("INTERRUPT Error: Interrupted!")).reason, "Interrupted")
    assert.strictEqual(DuckDBError.fromCause(new Error("Conversion Error: x")).reason, "Conversion")
    // the Appender's out-of-memory, as a squeezed chaos run printed it
    const appendOom = DuckDBError.fromCause(
      new Error("Failed to append: could not allocate block of size 256.0 KiB (22.7 MiB/22.8 MiB used)")
    )
    assert.strictEqual(appendOom.reason, "OutOfMemory")
    assert.include(appendOom.message, "ran out of memory")
    // a full temporary directory at a COMMIT, as a squeezed chaos run printed it: still a failed commit
    const commitSpill = DuckDBError.fromCause(
      new Error(
        "TransactionContext Error: Failed to commit: failed to offload data block of size 32.0 KiB (0 bytes/0 bytes " +
          "used).\nThis limit was set by the 'max_temp_directory_size' setting."
      )
    )
    assert.strictEqual(commitSpill.reason, "OutOfMemory")
    assert.include(
      commitSpill.message,
      "Failed to commit: DuckDB ran out of memory and its temporary directory is full"
    )
    assert.strictEqual(
      DuckDBError.fromCause(new Error("TransactionContext Error: Cannot commit - previous statement failed")).reason,
      "Transaction"
    )
    for (
      const conflict of [
        "TransactionContext Error: Conflict on update!",
        "TransactionContext Error: Catalog write-write conflict on create with \"x\"",
        "TransactionContext Error: Failed to commit: PRIMARY KEY or UNIQUE constraint violation: duplicate key \"x\""
      ]
    ) assert.strictEqual(DuckDBError.fromCause(new Error(conflict)).reason, "Conflict", conflict)
    for (
      const violation of [
        "Constraint Error: PRIMARY KEY or UNIQUE constraint violated: duplicate key",
        // the Appender's words in DuckDB 1.5.6
        "Failed to append: Duplicate key \"id: 308\" violates primary key constraint."
      ]
    ) assert.strictEqual(DuckDBError.fromCause(new Error(violation)).reason, "Constraint", violation)
    assert.strictEqual(DuckDBError.fromCause("something else").reason, "Unknown")
    const encoded = Schema.encodeSync(DuckDBError.DuckDBError)(locked)
    assert.strictEqual(encoded.reason, "Locked")
    assert.strictEqual(JSON.parse(JSON.stringify(encoded)).sql, "SELECT 1")
  })
})

const idsOf = (table: string) =>
  Effect.map(DuckDB.query(`SELECT id FROM ${table} ORDER BY id`), (found) => found.map((row) => Number(row.id)))

/** Inserts `id`, returning the id of the transaction it ran in. */
const insert = (table: string, id: number) =>
  Effect.zipRight(
    DuckDB.execute(`INSERT INTO ${table} VALUES ($1)`, [id]),
    Effect.map(DuckDB.query("SELECT txid_current() AS tx"), ([row]) => String(row?.tx))
  )

describe("DuckDB (memory, real time)", () => {
  it.live("appends in any order interrupted at any moment leave the writer's insertion order on", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.DuckDB
      yield* db.execute("CREATE TABLE order_t (i BIGINT, s VARCHAR)")
      const settings: Array<string> = []
      for (let k = 0; k < 12; k++) {
        const rows = Stream.range(1, 2_000_000).pipe(Stream.map((i) => [i, "x".repeat(i % 50)] as const))
        yield* Effect.exit(Effect.timeout(
          db.appendStream("order_t", ["i", "s"], rows, { chunkSize: 50_000, preserveOrder: false }),
          `${30 + k * 17} millis`
        ))
        const [row] = yield* db.withConnection(async (connection) =>
          (await connection.runAndReadAll("SELECT current_setting('preserve_insertion_order')::VARCHAR AS p"))
            .getRowObjects()
        )
        settings.push(String(row?.p))
      }
      assert.deepStrictEqual(settings.filter((setting) => setting !== "true"), [])
    }).pipe(Effect.provide(DuckDB.layerMemory)))
})

// Writes go through the one writer connection; only reads go to reader connections. A TEMP table lives on the writer
// connection only, so a statement that writes into one fails when it is routed to a reader.
describe("DuckDB (statements on the writer)", () => {
  it.scoped("a WITH … INSERT … RETURNING whose CTE is followed by a comment with an apostrophe runs on the writer", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      yield* db.execute("CREATE TEMP TABLE tmp (x INTEGER)")
      // without the comment this works (routed to the writer)
      assert.deepStrictEqual(
        yield* db.query("WITH a AS (SELECT 1 AS x) INSERT INTO tmp SELECT x FROM a RETURNING x"),
        [{ x: 1 }]
      )
      const exit = yield* Effect.exit(
        db.query("WITH a AS (SELECT 2 AS x) -- it's the second one\nINSERT INTO tmp SELECT x FROM a RETURNING x")
      )
      assert.isTrue(Exit.isSuccess(exit), `routed to a reader: ${JSON.stringify(exit)}`)
    }))

  it.scoped("a query text that starts with SELECT and then writes runs on the writer", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      yield* db.execute("CREATE TEMP TABLE tmp (x INTEGER)")
      const exit = yield* Effect.exit(db.query("SELECT 1 AS one; INSERT INTO tmp VALUES (5)"))
      assert.isTrue(Exit.isSuccess(exit), `the INSERT ran on a reader connection: ${JSON.stringify(exit)}`)
    }))

  // A TEMP table lives on the writer connection only: a statement that reads it works only when routed there.
  it.scoped("a text with a dollar-quoted string, a sequence advanced or a PRAGMA that sets runs on the writer", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:", readers: 1 })
      yield* db.execute("CREATE TEMP TABLE tmp (x INTEGER); INSERT INTO tmp VALUES (1); CREATE SEQUENCE seq")
      // the scan cannot follow a $tag$ string (it may hide a `;` and a second statement)
      assert.deepStrictEqual(yield* db.query("SELECT $q$it's;$q$ AS s, x FROM tmp"), [{ s: "it's;", x: 1 }])
      assert.deepStrictEqual(yield* db.query("SELECT nextval('seq') AS v, x FROM tmp"), [{ v: 1, x: 1 }])
      // a PRAGMA that sets (a session setting, here) is not a read: it sets the writer's session, as `execute` would
      yield* db.query("PRAGMA profiling_mode = 'detailed'")
      const mode = "SELECT current_setting('profiling_mode') AS mode"
      assert.deepStrictEqual(yield* db.withTransaction(db.query(mode)), [{ mode: "detailed" }])
    }))

  // DuckDB has no savepoints: a nested part that fails makes the whole transaction roll back, even when the outer
  // effect recovers from it, rather than commit the nested part's writes.
  it.scoped("a transaction whose body recovers from a failed statement fails at its end: DuckDB stored none of it", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      yield* db.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY)")
      const recovered = yield* Effect.exit(db.withTransaction(Effect.gen(function*() {
        yield* db.execute("INSERT INTO kv VALUES (1)")
        // a duplicate key, then going on as if it did not matter
        yield* Effect.ignore(db.execute("INSERT INTO kv VALUES (2), (2)"))
        yield* db.execute("INSERT INTO kv VALUES (3)").pipe(Effect.ignore)
      })))
      assert.include(expectDuckDBError(recovered, "Transaction").message, "rolled back")
      assert.deepStrictEqual(yield* db.query("SELECT count(*)::INTEGER AS n FROM kv"), [{ n: 0 }])
      // a text that does not bind runs nothing: the transaction goes on and commits
      yield* db.withTransaction(Effect.gen(function*() {
        yield* db.execute("INSERT INTO kv VALUES (1)")
        yield* Effect.ignore(db.query("SELECT * FROM no_such_table"))
        yield* db.execute("INSERT INTO kv VALUES (2)")
      }))
      assert.deepStrictEqual(yield* db.query("SELECT count(*)::INTEGER AS n FROM kv"), [{ n: 2 }])
    }))

  it.scoped("a nested withTransaction that fails rolls the whole transaction back, though the outer one recovers", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      yield* db.execute("CREATE TABLE nt (x INTEGER)")
      const outer = yield* Effect.exit(db.withTransaction(Effect.gen(function*() {
        yield* db.execute("INSERT INTO nt VALUES (1)")
        yield* db.withTransaction(Effect.gen(function*() {
          yield* db.execute("INSERT INTO nt VALUES (2)")
          return yield* Effect.fail("inner failed")
        })).pipe(Effect.catchAll(() => Effect.void))
        yield* db.execute("INSERT INTO nt VALUES (3)")
      })))
      const rows = (yield* db.query("SELECT x FROM nt ORDER BY x")).map((r) => r.x)
      assert.deepStrictEqual(rows, [], `the failed nested transaction's row was committed: ${JSON.stringify(rows)}`)
      assert.isTrue(Exit.isFailure(outer) && Cause.pretty(outer.cause).includes("A nested withTransaction failed"))
    }))
})

describe("DuckDB (statements kept per connection)", () => {
  // One reader, so that every read runs the statement its connection keeps.
  it.scoped("a statement given no parameters ([] or {}) sees the rows written since its last run", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:", readers: 1 })
      for (const [table, params] of [["stale_list", []], ["stale_record", {}]] as const) {
        // The shape of the event log's `meta.runs`: each run's latest start and the finish after it.
        yield* db.execute(`CREATE TABLE ${table} (
            id BIGINT PRIMARY KEY, run VARCHAR NOT NULL, tag VARCHAR NOT NULL, payload VARCHAR NOT NULL);
          CREATE VIEW ${table}_runs AS WITH starts AS (
            SELECT * FROM ${table} WHERE tag = 'S' QUALIFY row_number() OVER (PARTITION BY run ORDER BY id DESC) = 1)
          SELECT s.run, coalesce(f.payload ->> '$.status', 'running') AS status, s.id AS start_id
          FROM starts s LEFT JOIN ${table} f ON f.run = s.run AND f.tag = 'F' AND f.id > s.id`)
        const runs = `SELECT run, status FROM ${table}_runs ORDER BY start_id DESC`
        // with a parameter, DuckDB plans the statement again at each run
        const runsFrom = `SELECT run, status FROM ${table}_runs WHERE start_id >= $1 ORDER BY start_id DESC`
        const add = (id: number, run: string, tag: string) =>
          db.execute(`INSERT INTO ${table} VALUES ($1, $2, $3, $4)`, [id, run, tag, `{"status":"failed"}`])
        yield* add(0, "run-0", "S")
        yield* add(1, "run-1", "S")
        const before = [{ run: "run-1", status: "running" }, { run: "run-0", status: "running" }]
        assert.deepStrictEqual(yield* db.query(runs, params), before)
        assert.deepStrictEqual(yield* db.query(runs), before)
        assert.deepStrictEqual(yield* db.query(runsFrom, [0]), before)
        // DuckDB would run the plan made above again, and miss the finish (duckdb/duckdb#24182)
        yield* add(2, "run-1", "F")
        const after = [{ run: "run-1", status: "failed" }, { run: "run-0", status: "running" }]
        assert.deepStrictEqual(yield* db.query(runs, params), after)
        assert.deepStrictEqual(yield* db.query(runsFrom, [0]), after)
      }
    }))

  // DuckDB plans a statement that reads no table once (`SELECT m($1)`): what it folded in must not outlive a change.
  it.scoped("a kept statement that reads no table sees a macro replaced and a variable set since", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:", readers: 1 })
      yield* db.execute("CREATE MACRO plus(x) AS x + 1; SET VARIABLE step = 1")
      const onReader = "SELECT plus($1::INTEGER) AS y"
      // a variable is the connection's: this one is read on the writer, in a transaction
      const onWriter = (sql: string) => db.withTransaction(db.query(sql, [1]))
      const withStep = "SELECT plus($1::INTEGER) AS y, getvariable('step') AS step"
      assert.deepStrictEqual(yield* db.query(onReader, [1]), [{ y: 2 }])
      assert.deepStrictEqual(yield* onWriter(withStep), [{ y: 2, step: 1 }])
      yield* db.execute("CREATE OR REPLACE MACRO plus(x) AS x + 100")
      yield* db.execute("/* a comment first */ SET VARIABLE step = 2")
      assert.deepStrictEqual(yield* db.query(onReader, [1]), [{ y: 101 }])
      assert.deepStrictEqual(yield* onWriter(withStep), [{ y: 101, step: 2 }])
      // a change made on the caller's own connection counts too
      yield* db.withConnection((connection) => connection.run("CREATE OR REPLACE MACRO plus(x) AS x + 1000"))
      assert.deepStrictEqual(yield* db.query(onReader, [1]), [{ y: 1001 }])
    }))
})

layer(DuckDB.layerMemory)("DuckDB (memory)", (it) => {
  it.effect("converts DuckDB values to plain JS", () =>
    Effect.gen(function*() {
      const rows = yield* DuckDB.query(`SELECT
        42 AS i, 9007199254740993::BIGINT AS big, 12::BIGINT AS small, 1.25::DECIMAL(10,2) AS dec, 'x' AS s,
        TIMESTAMP '2025-01-02 03:04:05.678' AS ts, DATE '2025-01-02' AS d, {'a': 1, 'b': [1, 2]} AS st,
        [1, NULL, 3] AS l, NULL AS n, true AS b`)
      assert.strictEqual(rows.length, 1)
      const row = rows[0]!
      assert.strictEqual(row.i, 42)
      assert.strictEqual(row.big, 9007199254740993n)
      assert.strictEqual(row.small, 12)
      assert.strictEqual(row.dec, 1.25)
      assert.strictEqual(row.s, "x")
      assert.deepStrictEqual(row.ts, new Date("2025-01-02T03:04:05.678Z"))
      assert.deepStrictEqual(row.d, new Date("2025-01-02T00:00:00.000Z"))
      assert.deepStrictEqual(row.st, { a: 1, b: [1, 2] })
      assert.deepStrictEqual(row.l, [1, null, 3])
      assert.strictEqual(row.n, null)
      assert.strictEqual(row.b, true)
    }))

  it.effect("binds positional and named parameters, including Dates and lists", () =>
    Effect.gen(function*() {
      const at = new Date("2024-05-06T07:08:09.000Z")
      const positional = yield* DuckDB.query("SELECT $1::INTEGER + 1 AS n, $2 AS at, list_sum($3) AS total", [
        41,
        at,
        [1, 2, 3]
      ])
      assert.deepStrictEqual(positional, [{ n: 42, at, total: 6 }])
      const named = yield* DuckDB.query("SELECT $name || '!' AS greeting", { name: "olá" })
      assert.deepStrictEqual(named, [{ greeting: "olá!" }])
    }))

  it.effect("a Date binds into a TIMESTAMPTZ as the instant it is, whatever the session's TimeZone", () =>
    Effect.gen(function*() {
      // a user's session is in their machine's zone: DuckDB's cast from TIMESTAMP would read the Date's UTC time there
      yield* DuckDB.execute(`SET TimeZone = 'America/Sao_Paulo';
        CREATE TABLE instants_t (id INTEGER, "at" TIMESTAMPTZ, ats TIMESTAMPTZ[])`)
      const at = new Date("2024-07-01T13:00:00.123Z")
      yield* DuckDB.execute(`INSERT INTO instants_t VALUES ($1, $2, $3)`, [1, at, [at, null]])
      yield* DuckDB.execute(`INSERT INTO instants_t VALUES ($1, $2::TIMESTAMPTZ, NULL)`, [2, at])
      yield* DuckDB.execute(`INSERT INTO instants_t VALUES (3, ${Sql.instantLiteral(at)}, NULL)`)
      // on the writer, in that session, compared with the Date bound again
      const found = yield* DuckDB.withTransaction(DuckDB.query(
        `SELECT id, epoch_ms("at") AS ms, ats FROM instants_t WHERE "at" = $1 ORDER BY id`,
        [at]
      ))
      assert.deepStrictEqual(found, [
        { id: 1, ms: at.getTime(), ats: [at, null] },
        { id: 2, ms: at.getTime(), ats: null },
        { id: 3, ms: at.getTime(), ats: null }
      ])
    }).pipe(Effect.ensuring(Effect.orDie(DuckDB.execute("RESET TimeZone")))))

  it.effect("statements run again (prepared once, then kept) still see tables replaced since", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE prep_t (id INTEGER, name VARCHAR)")
      const insert = "INSERT INTO prep_t VALUES ($1, $2)"
      for (let i = 0; i < 5; i++) {
        assert.strictEqual(yield* DuckDB.execute(insert, [i, i % 2 === 0 ? `n${i}` : null]), 1)
      }
      const select = "SELECT count(*) AS n, count(name) AS named FROM prep_t WHERE id >= $1"
      assert.deepStrictEqual(yield* DuckDB.query(select, [1]), [{ n: 4, named: 2 }])
      // The table behind both statements is replaced by one with other columns: DuckDB binds them again.
      yield* DuckDB.execute("DROP TABLE prep_t; CREATE TABLE prep_t (extra BOOLEAN, name VARCHAR, id BIGINT)")
      yield* DuckDB.execute("INSERT INTO prep_t BY NAME SELECT $1 AS id, $2 AS name", [7, "seven"])
      assert.deepStrictEqual(yield* DuckDB.query(select, [1]), [{ n: 1, named: 1 }])
      const failed = yield* Effect.exit(DuckDB.execute(insert, [8, "eight"]))
      assert.include(expectDuckDBError(failed, "Catalog").message, "3 columns")
      // Several statements with parameters: all but the last run as they are, the last is bound.
      const rows = yield* DuckDB.query("SET VARIABLE unused = 1; SELECT $1::INTEGER * 2 AS twice", [21])
      assert.deepStrictEqual(rows, [{ twice: 42 }])
    }))

  it.effect("a bigint outside 128 bits is refused, not wrapped; a UHUGEINT column takes up to 2^128 - 1", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE wide_t (d DOUBLE, h HUGEINT, u UHUGEINT)")
      const max = 2n ** 128n - 1n
      yield* DuckDB.execute("INSERT INTO wide_t (u) VALUES ($1)", [max])
      assert.deepStrictEqual(yield* DuckDB.query("SELECT u::VARCHAR AS u FROM wide_t"), [{ u: String(max) }])
      for (const [column, value] of [["d", 2n ** 127n], ["h", -(2n ** 127n) - 1n], ["u", 2n ** 128n]] as const) {
        const failed = yield* Effect.exit(DuckDB.execute(`INSERT INTO wide_t (${column}) VALUES ($1)`, [value]))
        assert.include(expectDuckDBError(failed, "Conversion").message, `Parameter $1 is ${value}`)
      }
      assert.strictEqual((yield* DuckDB.query("SELECT count(*) AS n FROM wide_t"))[0]?.n, 1)
    }))

  it.effect("binds each value as its column's type when it converts exactly, and lets DuckDB cast the rest", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE TABLE typed_t (
        id UUID, day DATE, big BIGINT, small INTEGER, pages INTEGER[], names VARCHAR[], ok BOOLEAN, x DOUBLE)`)
      const insert = "INSERT INTO typed_t VALUES ($1, $2, $3, $4, $5::INTEGER[], $6::VARCHAR[], $7, $8)"
      const id = "0f8fad5b-d9cb-469f-a165-70867728950e"
      // Exact: a UUID's text, a Date at midnight UTC, integers in range, lists (even empty, or with NULLs).
      yield* DuckDB.execute(insert, [
        id.toUpperCase(),
        new Date("2024-07-01T00:00:00Z"),
        2 ** 40,
        7,
        [],
        ["a"],
        true,
        2
      ])
      yield* DuckDB.execute(insert, [
        id,
        new Date("2024-07-01T00:00:00Z"),
        -1,
        -2_147_483_648,
        [1, null, 3],
        [],
        false,
        0.5
      ])
      // Cast by DuckDB, as before: a time of day dropped for a DATE, a fraction rounded for a BIGINT.
      yield* DuckDB.execute(insert, [null, new Date("2024-07-02T13:14:15Z"), 2.6, 3, [4], ["b", "c"], null, 1])
      const rows = yield* DuckDB.query(
        "SELECT id::VARCHAR AS id, day, big, small, pages, names, ok, x FROM typed_t ORDER BY small"
      )
      const july = (day: number) => new Date(Date.UTC(2024, 6, day))
      assert.deepStrictEqual(rows, [
        { id, day: july(1), big: -1, small: -2_147_483_648, pages: [1, null, 3], names: [], ok: false, x: 0.5 },
        { id: null, day: july(2), big: 3, small: 3, pages: [4], names: ["b", "c"], ok: null, x: 1 },
        { id, day: july(1), big: 2 ** 40, small: 7, pages: [], names: ["a"], ok: true, x: 2 }
      ])
      // Out of an INTEGER's range: bound as inferred, and DuckDB's cast fails as it did.
      const failed = yield* Effect.exit(DuckDB.execute(insert, [id, new Date(0), 1, 2 ** 31, [], [], true, 1]))
      assert.isTrue(Exit.isFailure(failed))
    }))

  it.effect("Sql.valuesRows numbers the values and writes NULLs as literals, through the expression too", () =>
    Effect.gen(function*() {
      const rows = [[1, null, "a"], [2, "x", null]] as const
      const plain = Sql.valuesRows(rows)
      assert.strictEqual(plain.sql, "($1, NULL, $2), ($3, $4, NULL)")
      assert.deepStrictEqual(plain.params, [1, "a", 2, "x"])
      const cast = Sql.valuesRows(rows, {
        first: 3,
        expression: (text, column) => column === 1 ? `${text}::VARCHAR` : text
      })
      assert.strictEqual(cast.sql, "($3, NULL::VARCHAR, $4), ($5, $6::VARCHAR, NULL)")
      const read = yield* DuckDB.query(
        `SELECT * FROM (VALUES ${Sql.valuesRows(rows).sql}) AS v(n, s, t) ORDER BY n`,
        Sql.valuesRows(rows).params
      )
      assert.deepStrictEqual(read, [{ n: 1, s: null, t: "a" }, { n: 2, s: "x", t: null }])
    }))

  it.effect("execute returns the rows changed and runs several statements", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE exec_t (id INTEGER); CREATE TABLE exec_u (id INTEGER)")
      const changed = yield* DuckDB.execute("INSERT INTO exec_t SELECT range FROM range(5)")
      assert.strictEqual(changed, 5)
      const rows = yield* DuckDB.query("SELECT count(*) AS n FROM exec_t")
      assert.deepStrictEqual(rows, [{ n: 5 }])
    }))

  it.effect("queryAs decodes rows with a Schema, aligning Dates and integers with the encoded side", () =>
    Effect.gen(function*() {
      const Contract = Schema.Struct({
        id: Schema.Int,
        at: Schema.Date,
        utc: Schema.DateTimeUtc,
        amount: Schema.BigInt,
        tags: Schema.Array(Schema.String),
        note: Schema.NullOr(Schema.String)
      })
      const rows = yield* DuckDB.queryAs(Contract)(
        `SELECT 7 AS id, TIMESTAMP '2025-03-04 05:06:07' AS at, TIMESTAMP '2025-03-04 05:06:07' AS utc,
          123456789012::BIGINT AS amount, ['a', 'b'] AS tags, NULL AS note`
      )
      assert.strictEqual(rows.length, 1)
      assert.strictEqual(rows[0]!.id, 7)
      assert.deepStrictEqual(rows[0]!.at, new Date("2025-03-04T05:06:07.000Z"))
      assert.strictEqual(rows[0]!.utc.epochMillis, Date.UTC(2025, 2, 4, 5, 6, 7))
      assert.strictEqual(rows[0]!.amount, 123456789012n)
      assert.deepStrictEqual(rows[0]!.tags, ["a", "b"])
      assert.strictEqual(rows[0]!.note, null)
    }))

  it.effect("a row that does not match the Schema fails with reason Decode naming the column", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        DuckDB.queryAs(Schema.Struct({ name: Schema.String }))("SELECT 1 AS name")
      )
      const error = expectDuckDBError(exit, "Decode")
      assert.include(error.message, "name")
      assert.strictEqual(error.sql, "SELECT 1 AS name")
    }))

  it.effect("classifies syntax, catalog and constraint errors and keeps the SQL", () =>
    Effect.gen(function*() {
      const syntax = expectDuckDBError(yield* Effect.exit(DuckDB.query("SELEC 1")), "Syntax")
      assert.strictEqual(syntax.sql, "SELEC 1")
      assert.include(syntax.message, "SELEC")
      expectDuckDBError(yield* Effect.exit(DuckDB.query("SELECT * FROM no_such_table")), "Catalog")
      yield* DuckDB.execute("CREATE TABLE pk_t (id INTEGER PRIMARY KEY)")
      yield* DuckDB.execute("INSERT INTO pk_t VALUES (1)")
      expectDuckDBError(yield* Effect.exit(DuckDB.execute("INSERT INTO pk_t VALUES (1)")), "Constraint")
      const long = `SELECT ${"1 + ".repeat(400)} FROM`
      const truncated = expectDuckDBError(yield* Effect.exit(DuckDB.query(long)), "Syntax")
      assert.isBelow(truncated.sql!.length, 560)
    }))

  it.effect("withTransaction commits on success", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE tx_ok (id INTEGER)")
      yield* DuckDB.withTransaction(Effect.gen(function*() {
        yield* DuckDB.execute("INSERT INTO tx_ok VALUES (1), (2)")
        // inside the transaction queries run on its connection and see its writes
        const inside = yield* DuckDB.query("SELECT count(*) AS n FROM tx_ok")
        assert.deepStrictEqual(inside, [{ n: 2 }])
      }))
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM tx_ok"), [{ n: 2 }])
    }))

  it.effect("withTransaction rolls back on failure, and nested calls join the outer transaction", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE tx_fail (id INTEGER)")
      const exit = yield* Effect.exit(DuckDB.withTransaction(Effect.gen(function*() {
        yield* DuckDB.execute("INSERT INTO tx_fail VALUES (1)")
        yield* DuckDB.withTransaction(DuckDB.execute("INSERT INTO tx_fail VALUES (2)"))
        return yield* Effect.fail("boom" as const)
      })))
      assert.deepStrictEqual(failure(exit), "boom")
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM tx_fail"), [{ n: 0 }])
    }))

  it.effect("withTransaction rolls back when interrupted", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE tx_int (id INTEGER)")
      const inserted = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(DuckDB.withTransaction(Effect.gen(function*() {
        yield* DuckDB.execute("INSERT INTO tx_int VALUES (1)")
        yield* Deferred.succeed(inserted, undefined)
        return yield* Effect.never
      })))
      yield* Deferred.await(inserted)
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM tx_int"), [{ n: 0 }])
      // the writer is free again
      yield* DuckDB.execute("INSERT INTO tx_int VALUES (2)")
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM tx_int"), [{ n: 1 }])
    }))

  it.effect("executeDeferred runs with the transaction's next call, in order; outside one it runs now", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE deferred_t (id INTEGER PRIMARY KEY)")
      yield* DuckDB.executeDeferred("INSERT INTO deferred_t VALUES (1)")
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM deferred_t"), [{ n: 1 }])
      const inside = yield* DuckDB.withTransaction(Effect.gen(function*() {
        yield* DuckDB.executeDeferred("INSERT INTO deferred_t VALUES (2); INSERT INTO deferred_t VALUES (3)")
        yield* DuckDB.execute("INSERT INTO deferred_t VALUES ($1)", [4])
        // what was deferred went before the statement that followed: a later write sees it, and so do reads
        yield* DuckDB.executeDeferred("INSERT INTO deferred_t VALUES (5)")
        yield* DuckDB.execute("DELETE FROM deferred_t WHERE id = 5")
        return yield* DuckDB.query("SELECT list(id ORDER BY id) AS ids FROM deferred_t")
      }))
      assert.deepStrictEqual(inside, [{ ids: [1, 2, 3, 4] }])
      const after = yield* DuckDB.query("SELECT list(id ORDER BY id) AS ids FROM deferred_t")
      assert.deepStrictEqual(after, [{ ids: [1, 2, 3, 4] }])
      // a transaction that ran nothing commits nothing and leaves the writer free; one of deferred statements commits
      yield* DuckDB.withTransaction(Effect.void)
      yield* DuckDB.withTransaction(DuckDB.executeDeferred("INSERT INTO deferred_t VALUES (6)"))
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM deferred_t"), [{ n: 5 }])
    }))

  it.effect("a deferred statement that fails fails the transaction and rolls all of it back, caught or not", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE deferred_fail (id INTEGER PRIMARY KEY)")
      yield* DuckDB.execute("INSERT INTO deferred_fail VALUES (1)")
      // sent with the COMMIT
      const atCommit = yield* Effect.exit(DuckDB.withTransaction(Effect.gen(function*() {
        yield* DuckDB.execute("INSERT INTO deferred_fail VALUES (2)")
        yield* DuckDB.executeDeferred("INSERT INTO deferred_fail VALUES (3)")
        yield* DuckDB.executeDeferred("INSERT INTO deferred_fail VALUES (1)")
      })))
      expectDuckDBError(atCommit, "Constraint")
      // sent before a later statement, whose caller goes on after the error
      const before = yield* Effect.exit(DuckDB.withTransaction(Effect.gen(function*() {
        yield* DuckDB.executeDeferred("INSERT INTO deferred_fail VALUES (1)")
        const error = yield* Effect.flip(DuckDB.execute("INSERT INTO deferred_fail VALUES ($1)", [7]))
        assert.strictEqual(error.reason, "Constraint")
      })))
      expectDuckDBError(before, "Constraint")
      assert.deepStrictEqual(yield* DuckDB.query("SELECT list(id) AS ids FROM deferred_fail"), [{ ids: [1] }])
      // the writer is free, out of any transaction
      yield* DuckDB.execute("INSERT INTO deferred_fail VALUES (4)")
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM deferred_fail"), [{ n: 2 }])
    }))

  it.effect("a transaction whose first statement fails stays one transaction, whatever the error", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE tx_first (id INTEGER)")
      // BEGIN goes with the text of the first statement. DuckDB refuses a text that does not parse whole (nothing
      // runs, BEGIN included); a statement naming a missing table fails after BEGIN ran. Either way the transaction
      // goes on, and what runs after the error commits or rolls back with it.
      for (const bad of ["INSERT INTO tx_first VALUE (1)", "INSERT INTO no_such_table VALUES (1)"]) {
        for (const end of ["commit", "abort"] as const) {
          const exit = yield* Effect.exit(DuckDB.withTransaction(Effect.gen(function*() {
            yield* Effect.flip(DuckDB.execute(bad))
            yield* DuckDB.execute("INSERT INTO tx_first VALUES (2)")
            if (end === "abort") return yield* Effect.fail("abort" as const)
          })))
          assert.strictEqual(exit._tag, end === "commit" ? "Success" : "Failure", `${bad} then ${end}`)
        }
      }
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM tx_first"), [{ n: 2 }])
    }))

  it.effect("a fiber that outlives its transaction writes outside it, not into a transaction that is gone", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE tx_outlived (id INTEGER)")
      const committed = yield* Deferred.make<void>()
      const fiber = yield* DuckDB.withTransaction(Effect.gen(function*() {
        yield* DuckDB.execute("INSERT INTO tx_outlived VALUES (1)")
        return yield* Effect.forkDaemon(Effect.gen(function*() {
          yield* Deferred.await(committed)
          yield* DuckDB.executeDeferred("INSERT INTO tx_outlived VALUES (2)")
          yield* DuckDB.execute("INSERT INTO tx_outlived VALUES (3)")
        }))
      }))
      yield* Deferred.succeed(committed, undefined)
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(yield* DuckDB.query("SELECT list(id ORDER BY id) AS ids FROM tx_outlived"), [{
        ids: [1, 2, 3]
      }])
    }))

  it.effect("Sql.valueLiteral writes each value as the value a parameter binds", () =>
    Effect.gen(function*() {
      const values: ReadonlyArray<DuckDB.Value> = [
        null,
        true,
        42,
        -9_007_199_254_740_991,
        0.1,
        0.011424949252909267,
        -2.5e-300,
        Number.NaN,
        Number.NEGATIVE_INFINITY,
        12_345_678_901_234_567_890n,
        "it's \"quoted\" ção ✓",
        "nul\u0000inside",
        new Date("2024-07-01T12:34:56.789Z"),
        new Uint8Array([0, 1, 254, 255]),
        [1, 2, 3],
        ["a", null],
        { name: "x", n: 1.5, tags: ["t"] }
      ]
      for (const value of values) {
        const [literal] = yield* DuckDB.query(`SELECT ${Sql.valueLiteral(value)} AS v`)
        const [param] = yield* DuckDB.query("SELECT $1 AS v", [value])
        assert.deepStrictEqual(literal, param, `${String(value)}`)
      }
      // doubles written as text come back as the same double
      const doubles = Array.from({ length: 500 }, (_, i) => Math.sin(i + 1) * 10 ** ((i % 30) - 20))
      const [{ same }] = yield* DuckDB.query(
        `SELECT list([${doubles.map((d) => Sql.valueLiteral(d)).join(", ")}]) = list($1::DOUBLE[]) AS same`,
        [doubles]
      )
      assert.isTrue(same)
      // beyond HUGEINT: exact as UHUGEINT up to its end, refused past either end (never rounded to a DOUBLE)
      assert.deepStrictEqual(yield* DuckDB.query(`SELECT ${Sql.valueLiteral(2n ** 127n)} AS v`), [{ v: 2n ** 127n }])
      for (const outside of [2n ** 128n, -(2n ** 127n) - 1n]) {
        const error = yield* Effect.flip(DuckDB.query(`SELECT ${Sql.valueLiteral(outside)} AS v`))
        assert.strictEqual(error.reason, "Conversion")
      }
      // cast as documented (`${text}::TYPE`): `-2147483648::INTEGER` would be `-(2147483648::INTEGER)`, which overflows
      for (const [value, type] of [[-2_147_483_648, "INTEGER"], [-(2n ** 63n), "BIGINT"], [-(2n ** 127n), "HUGEINT"]]) {
        assert.deepStrictEqual(yield* DuckDB.query(`SELECT ${Sql.valueLiteral(value)}::${type} AS v`), [{ v: value }])
      }
      // no SQL spelling: a clear error, not SQL that fails to parse
      assert.throws(() => Sql.valueLiteral({}), /empty object/)
      assert.throws(() => Sql.valueLiteral([{ a: { "x\u0000y": 1 } }]), /NUL/)
      assert.strictEqual(
        Sql.literalRows([[1, "a"], [null, new Date(0)]], {
          expression: (text, c) => c === 1 ? `${text}::VARCHAR` : text
        }),
        "(1, 'a'::VARCHAR), (NULL, epoch_ms(0)::VARCHAR)"
      )
    }))

  it.effect("readers do not wait for an open transaction and do not see its writes", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE iso_t (id INTEGER)")
      const { fiber, release } = yield* openTransaction("INSERT INTO iso_t VALUES (1)")
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM iso_t"), [{ n: 0 }])
      yield* release
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM iso_t"), [{ n: 1 }])
    }))

  it.effect("a WITH … INSERT … RETURNING through query runs on the writer, after an open transaction", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE cte_t (id INTEGER PRIMARY KEY)")
      const { fiber: transaction, release } = yield* openTransaction("INSERT INTO cte_t VALUES (1)")
      // on a reader it would insert id 1 at once, and the transaction would fail at its commit (a conflict)
      const insert = yield* Effect.fork(
        DuckDB.query(
          "WITH x AS (SELECT 1 AS id) INSERT INTO cte_t SELECT id FROM x ON CONFLICT DO NOTHING RETURNING id"
        )
      )
      // (time for the insert to reach DuckDB, were it sent to a reader: real time, as the test clock stands still)
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
      yield* release
      yield* Fiber.join(transaction)
      assert.deepStrictEqual(yield* Fiber.join(insert), [])
      assert.deepStrictEqual(yield* DuckDB.query("SELECT id FROM cte_t ORDER BY id"), [{ id: 1 }])
      // a WITH that only reads, with quoted words and nested parentheses, still reads
      assert.deepStrictEqual(
        yield* DuckDB.query(`WITH "insert" AS (SELECT 'update' AS w, (1 + (2)) AS n) SELECT w, n FROM "insert"`),
        [{ w: "update", n: 3 }]
      )
    }))

  it.effect("concurrent writes are serialized on the writer", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE ser_t (id INTEGER)")
      yield* Effect.forEach(
        Array.from({ length: 20 }, (_, i) => i),
        (i) => DuckDB.execute("INSERT INTO ser_t VALUES ($1)", [i]),
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n, sum(id) AS s FROM ser_t"), [{ n: 20, s: 190 }])
    }))

  it.effect("interrupting a long query interrupts DuckDB and frees the connection", () =>
    Effect.gen(function*() {
      // interrupt at different moments: before DuckDB starts, while it prepares, while it runs
      for (const yields of [0, 1, 2, 3, 5, 10, 50]) {
        const reader = yield* Effect.fork(DuckDB.query("SELECT count(*) FROM range(1000000000000)"))
        const writer = yield* Effect.fork(
          DuckDB.execute("CREATE TABLE never_t AS SELECT count(*) FROM range(1000000000000)")
        )
        for (let i = 0; i < yields; i++) yield* Effect.yieldNow()
        yield* Fiber.interrupt(reader)
        yield* Fiber.interrupt(writer)
        assert.isTrue(Exit.isInterrupted(yield* Fiber.await(reader)))
        assert.isTrue(Exit.isInterrupted(yield* Fiber.await(writer)))
      }
      assert.deepStrictEqual(yield* DuckDB.query("SELECT 1 AS one"), [{ one: 1 }])
      assert.deepStrictEqual(yield* DuckDB.execute("SELECT 1"), 0)
    }))

  it.effect("appendRows maps JS values by column type, from objects or tuples", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE TABLE app_t (
        name VARCHAR, n INTEGER, big BIGINT, x DOUBLE, ok BOOLEAN, d DATE, ts TIMESTAMP, missing VARCHAR,
        org STRUCT(cnpj VARCHAR, code INTEGER), tags VARCHAR[])`)
      const columns = ["name", "n", "big", "x", "ok", "d", "ts", "org", "tags"]
      const appended = yield* DuckDB.appendRows("app_t", columns, [
        {
          name: "a",
          n: 1,
          big: 9007199254740993n,
          x: 1.5,
          ok: true,
          d: new Date("2025-01-02T00:00:00Z"),
          ts: new Date("2025-01-02T03:04:05Z"),
          org: { cnpj: "1", code: 2 },
          tags: ["p", "q"]
        },
        ["b", null, 5, null, false, null, null, null, []]
      ])
      assert.strictEqual(appended, 2)
      const rows = yield* DuckDB.query("SELECT * FROM app_t ORDER BY name")
      assert.deepStrictEqual(rows, [
        {
          name: "a",
          n: 1,
          big: 9007199254740993n,
          x: 1.5,
          ok: true,
          d: new Date("2025-01-02T00:00:00Z"),
          ts: new Date("2025-01-02T03:04:05Z"),
          missing: null,
          org: { cnpj: "1", code: 2 },
          tags: ["p", "q"]
        },
        { name: "b", n: null, big: 5, x: null, ok: false, d: null, ts: null, missing: null, org: null, tags: [] }
      ])
    }))

  it.effect("appendRows writes nested structs, lists of structs and NULLs at every level", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE TABLE nested_t (
        id INTEGER,
        unidade STRUCT(nome VARCHAR, local STRUCT(uf VARCHAR, ibge BIGINT), criada DATE),
        fontes STRUCT(codigo INTEGER, em TIMESTAMP)[],
        valores DOUBLE[])`)
      const rows = [
        {
          id: 1,
          unidade: { nome: "A", local: { uf: "RS", ibge: 4301602 }, criada: new Date("2020-05-06T00:00:00Z") },
          fontes: [{ codigo: 1, em: new Date("2025-01-01T10:00:00Z") }, { codigo: 2, em: null }],
          valores: [1.5, null]
        },
        { id: 2, unidade: { nome: null, local: null, criada: null }, fontes: null, valores: [] },
        { id: 3, unidade: null, fontes: [], valores: null }
      ]
      yield* DuckDB.appendRows("nested_t", ["id", "unidade", "fontes", "valores"], rows)
      assert.deepStrictEqual(yield* DuckDB.query("SELECT * FROM nested_t ORDER BY id"), [
        {
          id: 1,
          unidade: { nome: "A", local: { uf: "RS", ibge: 4301602 }, criada: new Date("2020-05-06T00:00:00Z") },
          fontes: [{ codigo: 1, em: new Date("2025-01-01T10:00:00Z") }, { codigo: 2, em: null }],
          valores: [1.5, null]
        },
        { id: 2, unidade: { nome: null, local: null, criada: null }, fontes: null, valores: [] },
        { id: 3, unidade: null, fontes: [], valores: null }
      ])
      const bad = expectDuckDBError(
        yield* Effect.exit(
          DuckDB.appendRows("nested_t", ["id", "unidade"], [{ id: 4, unidade: { local: { ibge: "x" } } }])
        ),
        "Conversion"
      )
      assert.include(bad.message, "\"unidade\"")

      // a STRUCT holding a LIST goes through the JS converter as a whole
      yield* DuckDB.execute("CREATE TABLE holder_t (id INTEGER, ata STRUCT(n BIGINT, em DATE, tags VARCHAR[]))")
      const holders = [
        { id: 1, ata: { n: 7, em: new Date("2024-02-03T00:00:00Z"), tags: ["a", "b"] } },
        { id: 2, ata: { n: null, em: null, tags: null } },
        { id: 3, ata: null }
      ]
      yield* DuckDB.appendRows("holder_t", ["id", "ata"], holders)
      assert.deepStrictEqual(yield* DuckDB.query("SELECT * FROM holder_t ORDER BY id"), holders)
      const wrong = expectDuckDBError(
        yield* Effect.exit(DuckDB.appendRows("holder_t", ["id", "ata"], [{ id: 4, ata: { n: 1, tags: "x" } }])),
        "Conversion"
      )
      assert.include(wrong.message, "row 0 to holder_t: column \"ata\"")
    }))

  it.effect("appendRows writes every scalar type exactly across chunks, with NULLs in one chunk only", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE TABLE scalars_t (
        i INTEGER, ti TINYINT, uti UTINYINT, si SMALLINT, usi USMALLINT, ui UINTEGER, b BIGINT, ub UBIGINT,
        f FLOAT, d DOUBLE, ok BOOLEAN, day DATE, ts TIMESTAMP, tz TIMESTAMPTZ, s VARCHAR, o STRUCT(a VARCHAR, n BIGINT))`)
      // three data chunks (2048 rows each, the last partial); NULLs only in the middle one, so a chunk's validity
      // must not leak into the next
      const isNull = (i: number) => i >= 2048 && i < 4096 && i % 7 === 0
      const row = (i: number) => ({
        i,
        ti: (i % 256) - 128,
        uti: i % 256,
        si: i - 3000,
        usi: i * 10,
        ui: i * 700_000,
        b: i === 1 ? 2n ** 63n - 1n : i === 2 ? -(2n ** 63n) : i % 3 === 0 ? -(2 ** 53 - 1) + i : i * 1e12,
        ub: i === 5 ? 2n ** 64n - 1n : i * 1e12 + 7,
        f: i / 4,
        d: i * 1.5 - 0.25,
        ok: i % 2 === 0,
        day: new Date(Date.UTC(1960 + (i % 100), i % 12, 1 + (i % 28))),
        ts: i === 7
          ? new Date("2600-01-01T00:00:00.123Z")
          : i === 8
          ? new Date(-1)
          : new Date(Date.UTC(1950, 0, 1) + i * 3_600_123),
        tz: new Date(Date.UTC(1969, 11, 31) + i * 3_600_123 + 7),
        s: i % 3 === 0 ? "" : i % 3 === 1 ? `ção ${i} 😀` : `a string too long to be inlined, row ${i}`,
        o: i % 13 === 0 ? { a: null, n: i } : { a: `x${i}`, n: i }
      })
      const expected = Array.from({ length: 6000 }, (_, i) => {
        const full = row(i)
        return isNull(i)
          ? Object.fromEntries(Object.entries(full).map(([key, value]) => [key, key === "i" ? value : null]))
          : full
      })
      const columns = Object.keys(row(0))
      assert.strictEqual(yield* DuckDB.appendRows("scalars_t", columns, expected), 6000)
      assert.deepStrictEqual(yield* DuckDB.query("SELECT * FROM scalars_t ORDER BY i"), expected)

      for (
        const [column, value] of [
          ["ti", 300],
          ["uti", -1],
          ["b", 1.5],
          ["ub", -1n],
          ["ts", new Date(NaN)],
          ["tz", "2024-07-01T10:00:00-03:00"]
        ] as const
      ) {
        const error = expectDuckDBError(
          yield* Effect.exit(DuckDB.appendRows("scalars_t", ["i", column], [[1, null], [2, value]])),
          "Conversion"
        )
        assert.include(error.message, `row 1 to scalars_t: column "${column}"`)
      }
    }))

  it.effect("appendRows takes UTF-8 bytes for VARCHAR and bytes for BLOB; bytes that are not UTF-8 fail a VARCHAR", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE bytes_t (i INTEGER, s VARCHAR, b BLOB)")
      const encoder = new TextEncoder()
      // Across two chunks: text given as bytes or as a string, empty values, NULLs, and bytes that are not UTF-8.
      const rows = Array.from({ length: 2100 }, (_, i) => [
        i,
        i % 4 === 3 ? null : i % 2 === 0 ? encoder.encode(i % 10 === 0 ? "" : `ação ${i} 😀`) : `texto ${i}`,
        i % 5 === 4 ? null : new Uint8Array([i % 256, 0xff, 0x00, 0xc3])
      ])
      assert.strictEqual(yield* DuckDB.appendRows("bytes_t", ["i", "s", "b"], rows), 2100)
      const stored = yield* DuckDB.query("SELECT i, s, b FROM bytes_t ORDER BY i")
      assert.deepStrictEqual(
        stored.map((row) => [row.i, row.s, row.b]),
        rows.map(([i, s, b]) => [i, s instanceof Uint8Array ? new TextDecoder().decode(s) : s, b])
      )

      const error = expectDuckDBError(
        yield* Effect.exit(DuckDB.appendRows("bytes_t", ["i", "s"], [[1, "fine"], [2, new Uint8Array([0x61, 0xff])]])),
        "Conversion"
      )
      assert.include(error.message, `row 1 to bytes_t: column "s"`)
      assert.include(error.message, "expected UTF-8 text")
      expectDuckDBError(yield* Effect.exit(DuckDB.appendRows("bytes_t", ["i", "b"], [[1, "not bytes"]])), "Conversion")
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM bytes_t"), [{ n: 2100 }])
    }))

  it.effect("appended strings around the 12-byte inline limit compare, group and read back exactly, either way", () =>
    Effect.gen(function*() {
      // byte lengths 11–14 in ASCII and in accented text (where characters and UTF-8 bytes differ), emoji, empty
      const texts = [
        "abcdefghijk",
        "abcdefghijkl",
        "abcdefghijklm",
        "abcdefghijklmn",
        "ação ações",
        "ação açõesX",
        "ação açõesXY",
        "ç😀😀😀",
        "",
        "São Paulo do Norte e do Sul"
      ]
      const rows = Array.from(
        { length: 5000 },
        (_, i): [number, string | null] => [i, i % 11 === 10 ? null : texts[i % 11]!]
      )
      // a lone surrogate, and the two halves of one emoji at the end of one row and the start of the next: each
      // half is its own row, so each becomes U+FFFD as when strings are assigned one by one
      const lone: Array<[number, string]> = [[5000, "fim \ud83d"], [5001, "\ude00 início"], [5002, "\ud800"]]
      // a chunk of 12-byte strings, then one of 11-byte strings in the same rows: the writers reuse their buffers,
      // and nothing of the first chunk may show in the second
      const shorter = Array.from(
        { length: 4096 },
        (_, i): [number, string] => [6000 + i, i < 2048 ? "abcdefghijkl" : "abcdefghijk"]
      )
      for (const preserveOrder of [true, false]) {
        yield* DuckDB.execute("CREATE OR REPLACE TABLE inline_t (i INTEGER, s VARCHAR)")
        yield* DuckDB.appendStream("inline_t", ["i", "s"], Stream.fromIterable([...rows, ...lone]), { preserveOrder })
        yield* DuckDB.appendRows("inline_t", ["i", "s"], shorter)
        assert.deepStrictEqual(
          yield* DuckDB.query("SELECT s, count(*) AS n FROM inline_t WHERE i >= 6000 AND s = 'abcdefghijk' GROUP BY s"),
          [{ s: "abcdefghijk", n: 2048 }]
        )
        const stored = yield* DuckDB.query("SELECT i, s FROM inline_t WHERE i < 6000 ORDER BY i")
        assert.deepStrictEqual(
          stored.map((row) => [row.i, row.s]),
          [...rows, [5000, "fim \ufffd"], [5001, "\ufffd início"], [5002, "\ufffd"]]
        )
        // grouping, byte lengths and equality on what was stored
        const groups = yield* DuckDB.query(
          "SELECT s, count(*) AS n, strlen(s) AS bytes FROM inline_t WHERE i < 5000 GROUP BY s ORDER BY s"
        )
        const counted = new Map<string | null, number>()
        for (const [, s] of rows) counted.set(s, (counted.get(s) ?? 0) + 1)
        assert.deepStrictEqual(
          groups,
          [...counted].sort(([a], [b]) => a === null ? 1 : b === null ? -1 : a < b ? -1 : 1).map(([s, n]) => ({
            s,
            n,
            bytes: s === null ? null : new TextEncoder().encode(s).length
          }))
        )
        assert.deepStrictEqual(
          yield* DuckDB.query(
            "SELECT count(*) AS n FROM inline_t WHERE i < 5000 AND (s = 'abcdefghijkl' OR s = 'ação açõesX')"
          ),
          [{ n: rows.filter((row) => row[1] === "abcdefghijkl" || row[1] === "ação açõesX").length }]
        )
      }
    }))

  it.effect("appendRows is atomic: a bad value fails with Conversion naming the column and appends nothing", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE app_bad (id INTEGER, happened TIMESTAMP)")
      const rows = Array.from({ length: 5000 }, (_, i) => ({ id: i, happened: i === 4500 ? "yesterday" : new Date(0) }))
      const error = expectDuckDBError(
        yield* Effect.exit(DuckDB.appendRows("app_bad", ["id", "happened"], rows)),
        "Conversion"
      )
      assert.include(error.message, "\"happened\"")
      assert.include(error.message, "row 4500")
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM app_bad"), [{ n: 0 }])
      const unknown = expectDuckDBError(
        yield* Effect.exit(DuckDB.appendRows("app_bad", ["id", "nope"], [[1, 2]])),
        "Catalog"
      )
      assert.include(unknown.message, "nope")
      assert.include(unknown.message, `(the table has "id", "happened")`)
      const missing = expectDuckDBError(
        yield* Effect.exit(DuckDB.appendRows("no_such_table", ["id"], [[1]])),
        "Catalog"
      )
      assert.strictEqual(missing.message, "Cannot append to no_such_table: the table does not exist.")
    }))

  it.effect("appendStream appends in bounded chunks, and is atomic inside withTransaction", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE SCHEMA IF NOT EXISTS s1; CREATE TABLE s1.stream_t (id BIGINT, label VARCHAR)")
      const rows = Stream.range(1, 25_000).pipe(Stream.map((id) => ({ id, label: `row ${id}` })))
      const appended = yield* DuckDB.appendStream("s1.stream_t", ["id", "label"], rows, { chunkSize: 1000 })
      assert.strictEqual(appended, 25_000)
      assert.deepStrictEqual(
        yield* DuckDB.query("SELECT count(*) AS n, sum(id) AS s FROM s1.stream_t"),
        [{ n: 25_000, s: 25_000 * 25_001 / 2 }]
      )
      const failing = Stream.concat(
        Stream.range(1, 3000).pipe(Stream.map((id) => [id, "x"] as const)),
        Stream.fail("upstream broke" as const)
      )
      const exit = yield* Effect.exit(
        DuckDB.withTransaction(DuckDB.appendStream("s1.stream_t", ["id", "label"], failing, { chunkSize: 1000 }))
      )
      assert.strictEqual(failure(exit), "upstream broke")
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM s1.stream_t"), [{ n: 25_000 }])
    }))
})

// Two DuckDB threads, so an insert whose order need not be kept runs on both.
layer(DuckDB.layer({ path: ":memory:", threads: 2 }))("DuckDB appends from a stream", (it) => {
  const row = (id: number) => ({ id, label: `row ${id}`, seen: new Date(Date.UTC(2025, 0, 1) + id * 1000) })
  const pause = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 2)))
  const writerSetting = DuckDB.withTransaction(
    DuckDB.query("SELECT current_setting('preserve_insertion_order') AS keep")
  )

  it.effect("keeps the rows' order by default; with preserveOrder false every row lands, in any order", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE TABLE ordered_t (id BIGINT, label VARCHAR, seen TIMESTAMP);
        CREATE TABLE any_order_t (id BIGINT, label VARCHAR, seen TIMESTAMP)`)
      const n = 60_000
      const rows = Stream.range(0, n - 1).pipe(Stream.map(row))
      assert.strictEqual(yield* DuckDB.appendStream("ordered_t", ["id", "label", "seen"], rows), n)
      const ids = yield* DuckDB.query("SELECT id FROM ordered_t ORDER BY rowid")
      assert.isTrue(ids.every((stored, i) => stored.id === i), "rows are stored in the order given")

      const appended = yield* DuckDB.appendStream("any_order_t", ["id", "label", "seen"], rows, {
        preserveOrder: false
      })
      assert.strictEqual(appended, n)
      const all = yield* DuckDB.query("SELECT * FROM any_order_t ORDER BY id")
      assert.strictEqual(all.length, n)
      assert.isTrue(all.every((stored, i) => stored.id === i && stored.label === `row ${i}`), "every row, once")
      assert.deepStrictEqual(all[n - 1], row(n - 1))
      // the setting is DuckDB's default again on the writer
      assert.deepStrictEqual(yield* writerSetting, [{ keep: true }])
    }))

  it.effect("takes rows as they come: pauses, and queries on the writer from the stream inside a transaction", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE paced_t (id BIGINT, label VARCHAR, seen TIMESTAMP)")
      const n = 20_000
      // pauses between chunks let the feed run dry, so the rows come in over several statements
      const paced = Stream.range(1, n).pipe(
        Stream.rechunk(700),
        Stream.mapChunksEffect((chunk) => Effect.as(pause, chunk)),
        Stream.map(row)
      )
      for (const preserveOrder of [true, false]) {
        assert.strictEqual(
          yield* DuckDB.appendStream("paced_t", ["id", "label", "seen"], paced, { chunkSize: 1500, preserveOrder }),
          n
        )
      }
      // inside a transaction the stream's own queries run on the writer, between the inserts
      const querying = Stream.range(1, n).pipe(
        Stream.mapEffect((id) =>
          id % 2500 === 0
            ? Effect.as(DuckDB.query("SELECT count(*) AS n FROM paced_t"), row(id))
            : Effect.succeed(row(id))
        )
      )
      yield* DuckDB.withTransaction(
        DuckDB.appendStream("paced_t", ["id", "label", "seen"], querying, { chunkSize: 1000, preserveOrder: false })
      )
      assert.deepStrictEqual(
        yield* DuckDB.query("SELECT count(*) AS n, count(DISTINCT id) AS ids, sum(id) AS total FROM paced_t"),
        [{ n: 3 * n, ids: n, total: 3 * n * (n + 1) / 2 }]
      )
    }))

  it.effect("a bad row names its place in the whole stream; a failing insert stops pulling the stream", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE strict_t (id BIGINT, label VARCHAR, seen TIMESTAMP)")
      const withBadRow = Stream.range(0, 29_999).pipe(
        Stream.map((id) => id === 12_345 ? { ...row(id), seen: "yesterday" } : row(id))
      )
      for (const preserveOrder of [true, false]) {
        const error = expectDuckDBError(
          yield* Effect.exit(DuckDB.withTransaction(
            DuckDB.appendStream("strict_t", ["id", "label", "seen"], withBadRow, { chunkSize: 1000, preserveOrder })
          )),
          "Conversion"
        )
        assert.include(error.message, "row 12345 to strict_t: column \"seen\"")
      }
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM strict_t"), [{ n: 0 }])
      assert.deepStrictEqual(yield* writerSetting, [{ keep: true }])

      let pulled = 0
      const endless = Stream.iterate(0, (id) => id + 1).pipe(
        Stream.tap(() => Effect.sync(() => pulled++)),
        Stream.map(row)
      )
      expectDuckDBError(
        yield* Effect.exit(DuckDB.appendStream("no_such_t", ["id", "label", "seen"], endless, { chunkSize: 1000 })),
        "Catalog"
      )
      assert.isBelow(pulled, 10_000, "the stream stops once the insert has failed")
    }))

  it.effect("a duplicate key fails with Constraint either way, lands nothing, and the writer appends again", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE keyed_t (id BIGINT PRIMARY KEY, label VARCHAR, seen TIMESTAMP)")
      // the duplicate comes 5,000 rows after its first copy, in another chunk
      const rows = Stream.range(0, 9_999).pipe(Stream.map((id) => row(id === 9_000 ? 4_000 : id)))
      for (const preserveOrder of [true, false]) {
        const error = expectDuckDBError(
          yield* Effect.exit(DuckDB.appendStream("keyed_t", ["id", "label", "seen"], rows, { preserveOrder })),
          "Constraint"
        )
        assert.include(error.message, "4000")
        assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM keyed_t"), [{ n: 0 }])
      }
      const fine = Stream.range(0, 9_999).pipe(Stream.map(row))
      assert.strictEqual(yield* DuckDB.appendStream("keyed_t", ["id", "label", "seen"], fine), 10_000)
      assert.deepStrictEqual(yield* writerSetting, [{ keep: true }])
    }))
})

layer(DuckDB.layerMemory)("DuckDB.withGroupCommit", (it) => {
  it.effect("work submitted at once shares transactions, each submitter gets its own result", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE gc_shared (id INTEGER PRIMARY KEY)")
      const ids = Array.from({ length: 40 }, (_, i) => i)
      const transactions = yield* Effect.forEach(ids, (id) => DuckDB.withGroupCommit(insert("gc_shared", id)), {
        concurrency: "unbounded"
      })
      assert.deepStrictEqual(yield* idsOf("gc_shared"), ids)
      const distinct = new Set(transactions).size
      assert.isBelow(distinct, ids.length, "some submissions shared a transaction")
      assert.isAtLeast(distinct, 1)
    }))

  it.effect("a failing submission fails alone: the rest of its group still commits", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE gc_fail (id INTEGER PRIMARY KEY); INSERT INTO gc_fail VALUES (5)")
      // id 5 exists: its insert violates the key, in whatever group it lands.
      const exits = yield* Effect.forEach(
        Array.from({ length: 10 }, (_, i) => i),
        (id) => Effect.exit(DuckDB.withGroupCommit(insert("gc_fail", id))),
        { concurrency: "unbounded" }
      )
      exits.forEach((exit, id) => assert.strictEqual(Exit.isFailure(exit), id === 5, `submission ${id}`))
      assert.deepStrictEqual(yield* idsOf("gc_fail"), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    }))

  it.effect("inside withTransaction, run joins that transaction", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE gc_nested (id INTEGER)")
      const exit = yield* Effect.exit(DuckDB.withTransaction(Effect.gen(function*() {
        yield* DuckDB.withGroupCommit(insert("gc_nested", 1))
        return yield* Effect.fail("abort")
      })))
      assert.isTrue(Exit.isFailure(exit))
      assert.deepStrictEqual(yield* idsOf("gc_nested"), [], "rolled back with the outer transaction")
    }))

  it.effect("a submitter interrupted while another group runs withdraws its work", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE gc_interrupt (id INTEGER)")
      const gate = yield* Deferred.make<void>()
      const started = yield* Deferred.make<void>()
      // The first group holds the turn until the gate opens.
      const first = yield* Effect.fork(DuckDB.withGroupCommit(Effect.gen(function*() {
        yield* Deferred.succeed(started, undefined)
        yield* Deferred.await(gate)
        return yield* insert("gc_interrupt", 1)
      })))
      yield* Deferred.await(started)
      const waiting = yield* Effect.fork(DuckDB.withGroupCommit(insert("gc_interrupt", 2)))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(waiting)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(first)
      yield* DuckDB.withGroupCommit(insert("gc_interrupt", 3))
      assert.deepStrictEqual(yield* idsOf("gc_interrupt"), [1, 3])
    }))
})
