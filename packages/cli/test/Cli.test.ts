/**
 * The `baliza` command in process, against a PNCP fake on 127.0.0.1 and a real DuckDB file.
 */
import { EventLog } from "@baliza/core"
import { DuckDB, DuckDBEventLog } from "@baliza/duckdb"
import { Warehouse } from "@baliza/pncp"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Fiber, Layer } from "effect"
import * as NodeCrypto from "node:crypto"
import * as NodeFs from "node:fs"
import * as NodeNet from "node:net"
import * as NodePath from "node:path"
import { baliza, count, tempDatabase, withFake } from "./fixtures/run.js"

const tempDb = Effect.map(tempDatabase, ({ db }) => db)

describe("baliza", () => {
  it.scopedLive("input errors are one line on stderr with exit code 2, never a stack trace", () =>
    Effect.gen(function*() {
      const db = yield* tempDb
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [["materialize", "--day", "2024-02-30"], "--day expects a date as YYYY-MM-DD"],
        [["materialize", "--month", "2024-13"], "--month expects a month as YYYY-MM"],
        [["materialize", "--from", "2024-07-10", "--to", "2024-07-01"], "is after the end"],
        [["materialize", "--day", "2024-07-01", "--month", "2024-07"], "Choose partitions one way"],
        [["materialize", "--select", "pncp/raw/contrato"], "pncp/raw/contratos"],
        [["materialize", "--date-range", "yesterday"], "last_N_days"],
        [["materialize", "--max-duration", "soon", "--day", "2024-07-01"], "--max-duration expects"],
        [["materialize", "--concurrency", "0"], "--concurrency must be at least 1"],
        [["materialize", "--day", "2999-01-01"], "is after today"],
        [["materialize", "--from", "2019-05-01", "--to", "2021-01-05"], "the first day of PNCP data"],
        [["materialize", "--modalidades", "6,99", "--day", "2024-07-01"], "unknown modalidade 99"],
        [["--staging-parallelism", "0", "init"], "The staging parallelism must be a positive integer, not 0."],
        [["--max-temp-size", "garbage", "init"], "--max-temp-size expects a size such as 512MB or 4GB"],
        [["--memory-limit", "100", "init"], "--memory-limit expects a size such as 512MB or 4GB"],
        [["--log-level", "loud", "assets"], ""],
        [["materialize", "--no-such-flag"], ""],
        [["--base-url", "notaurl", "materialize", "--day", "2024-07-01"], "--base-url must be an http(s) URL"],
        [
          ["materialize", "--day", "2024-07-01", "--modalidades", "6", "--select", "pncp/raw/contratos", "--dry-run"],
          "selects none of them"
        ],
        [["--details-url", "ftp://x", "materialize", "--day", "2024-07-01"], "--details-url must be an http(s) URL"],
        [["materialize", "--day", "2024-07-01", "--day=2024-07-02"], "--day is given twice; give it once."],
        [["--db", "other.duckdb", "status"], "--db is given twice; give it once."]
      ]
      for (const [args, message] of cases) {
        const out = yield* baliza("--db", db, ...args)
        assert.strictEqual(out.code, 2, `${args.join(" ")}: ${out.stderr}`)
        assert.include(out.stderr, message, args.join(" "))
        assert.notInclude(out.stderr, "    at ", args.join(" "))
      }
      // Partition specs are checked before planning: a dry run over no database, or status over an empty one
      const partitionCases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [
          ["materialize", "--partition", "2024-13-01", "--dry-run"],
          `--partition expects a date as YYYY-MM-DD (e.g. 2024-07-15), got "2024-13-01".`
        ],
        [
          ["status", "--partition", "2024-7-1"],
          `--partition expects a date as YYYY-MM-DD (e.g. 2024-07-15), got "2024-7-1".`
        ],
        // a day|modalidade spec on the default selection, which has assets of days alone: how to write it instead
        [
          ["materialize", "--partition", "2024-07-01..2024-07-03|6,8", "--dry-run"],
          `give the days alone with --modalidades (--partition 2024-07-01..2024-07-03 --modalidades 6,8), or select ` +
          `only those assets (--select "pncp/raw/contratacoes_publicacao or pncp/raw/contratacoes_atualizacao").`
        ]
      ]
      const none = NodePath.join(NodePath.dirname(db), "none", "baliza.duckdb")
      for (const [args, message] of partitionCases) {
        const out = yield* baliza("--db", none, ...args)
        assert.strictEqual(out.code, 2, `${args.join(" ")}: ${out.stderr}`)
        assert.include(out.stderr, message, args.join(" "))
      }
      // an empty --db would be DuckDB's in-memory database: a run would load everything and keep nothing
      for (const path of ["", ":memory:"]) {
        const out = yield* baliza("--db", path, "init")
        assert.strictEqual(out.code, 2, out.stderr)
        assert.include(out.stderr, "--db needs a file path")
      }
    }))

  it.live("every command of --help is in docs/cli.md with its options", () =>
    Effect.gen(function*() {
      const help = yield* baliza("--help")
      assert.strictEqual(help.code, 0)
      // eslint-disable-next-line no-control-regex
      const text = help.stdout.replace(/\x1b\[[0-9;]*m/g, "")
      const commands = [...text.matchAll(/^ {2}- ([a-z-]+)(.*?) {2,}/gm)].map((m) => ({ name: m[1]!, usage: m[2]! }))
      assert.isAbove(commands.length, 10)
      const doc = NodeFs.readFileSync(NodePath.resolve(__dirname, "../../../docs/cli.md"), "utf8")
      for (const { name, usage } of commands) {
        assert.include(doc, `baliza ${name}`, `docs/cli.md documents ${name}`)
        for (const [, option] of usage.matchAll(/--([a-z-]+)/g)) {
          assert.include(doc, `--${option}`, `${name} --${option}`)
        }
      }
    }))

  it.live("--help describes every option and argument of every command, with its default where it has one", () =>
    Effect.gen(function*() {
      // eslint-disable-next-line no-control-regex
      const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "")
      const root = plain((yield* baliza("--help")).stdout)
      const names = [...root.matchAll(/^ {2}- ([a-z-]+)/gm)].map((m) => m[1]!)
      // @effect/cli's own lines: the type of the value, and whether it is optional or read from the environment
      const boilerplate =
        /^(A user-defined piece of text|An integer|A floating point number|A true or false value|One of the following: .*|This setting is optional|This option can be set from environment variables)\.?$/
      const described = new Map<string, string>()
      for (
        const [command, text] of [
          ["baliza", root] as const,
          ...yield* Effect.forEach(
            names,
            (name) => Effect.map(baliza(name, "--help"), (out) => [name, plain(out.stdout)] as const)
          )
        ]
      ) {
        const sections = text.split(/^(?=ARGUMENTS$|OPTIONS$|COMMANDS$)/m).filter((part) =>
          /^(ARGUMENTS|OPTIONS)$/m.test(part)
        )
        for (const section of sections) {
          // an entry: its name at the start of a line, then its paragraphs indented
          for (const entry of section.split(/^(?=[-(<])/m).slice(1)) {
            const [name = "", ...lines] = entry.split("\n")
            const description = lines.map((line) => line.trim()).filter((line) =>
              line !== "" && !boilerplate.test(line)
            )
            assert.isAbove(description.length, 0, `${command}: ${name} has no description`)
            described.set(`${command} ${name.split(" ")[0]}`, description.join(" "))
          }
        }
      }
      const expected: ReadonlyArray<readonly [string, string]> = [
        ["baliza --db", "default ./data/baliza.duckdb"],
        ["baliza --base-url", "default https://pncp.gov.br/api/consulta"],
        ["baliza --details-url", "default https://pncp.gov.br/api/pncp"],
        ["baliza --memory-limit", "at least 8MB, e.g. 4GB (default 512MB"],
        ["materialize --max-restarts", "default 3"],
        ["materialize --restart-delay", "default 30s"],
        ["retry-failed --restart-delay", "default 30s"],
        ["materialize --date-range", "the N days before today"],
        ["materialize --partition", "a key (2024-07-15), a range A..B, a list A,B, or day|modalidade (2024-07-15|6)"],
        ["runs --limit", "default 20"],
        ["serve --port", "default 4200"]
      ]
      assert.isAbove(described.size, 60)
      for (const [option, text] of expected) assert.include(described.get(option), text, option)
    }))

  it.scoped("query runs one read and refuses writes, files, settings and a second statement", () =>
    Effect.gen(function*() {
      const db = yield* tempDb
      assert.strictEqual((yield* baliza("--db", db, "init")).code, 0)
      const refused = [
        "INSERT INTO meta.events SELECT * FROM meta.events",
        "DELETE FROM meta.asset_state",
        "CREATE TABLE t (a INTEGER)",
        "DROP SCHEMA meta CASCADE",
        `COPY (SELECT 1) TO '${NodePath.join(NodePath.dirname(db), "out.csv")}'`,
        `ATTACH '${NodePath.join(NodePath.dirname(db), "other.duckdb")}' AS other`,
        "INSTALL httpfs",
        "SET threads = 1",
        "SELECT 1; DROP TABLE meta.asset_state",
        "UPDATE meta.asset_state SET status = 'x'"
      ]
      for (const sql of refused) {
        const out = yield* baliza("--db", db, "query", sql)
        assert.strictEqual(out.code, 2, `${sql}: ${out.stderr}`)
        assert.include(out.stderr, "never changed", sql)
      }
      assert.isFalse(NodeFs.existsSync(NodePath.join(NodePath.dirname(db), "out.csv")))
      // an EXPLAIN is refused as the statement it explains is (EXPLAIN ANALYZE runs it), with the same message
      const out = NodePath.join(NodePath.dirname(db), "explained.csv")
      const copy = `COPY (SELECT 42 AS x) TO '${out}'`
      const explained: ReadonlyArray<readonly [string, string]> = [
        [`EXPLAIN ANALYZE ${copy}`, copy],
        [`/* why */ EXPLAIN ANALYSE -- this\n ${copy}`, copy],
        [`EXPLAIN (ANALYZE, FORMAT json) ${copy}`, copy],
        ["EXPLAIN ANALYZE SET threads = 1", "SET threads = 1"],
        ["EXPLAIN ANALYZE INSTALL httpfs", "INSTALL httpfs"]
      ]
      for (const [sql, plain] of explained) {
        const refusedExplain = yield* baliza("--db", db, "query", sql)
        assert.strictEqual(refusedExplain.code, 2, `${sql}: ${refusedExplain.stderr}`)
        assert.strictEqual(refusedExplain.stderr, (yield* baliza("--db", db, "query", plain)).stderr, sql)
      }
      assert.isFalse(NodeFs.existsSync(out), "EXPLAIN ANALYZE COPY … TO wrote the file")
      for (const sql of ["EXPLAIN SELECT 1", "EXPLAIN ANALYZE SELECT 1", "EXPLAIN (FORMAT json) SELECT 1"]) {
        const explainedRead = yield* baliza("--db", db, "query", sql)
        assert.strictEqual(explainedRead.code, 0, `${sql}: ${explainedRead.stderr}`)
      }
      const ok = yield* baliza("--db", db, "--json", "query", "SELECT 41 + 1 AS answer")
      assert.strictEqual(ok.code, 0)
      assert.deepStrictEqual(JSON.parse(ok.stdout), [{ answer: 42 }])
      const bad = yield* baliza("--db", db, "query", "SELECT * FROM no_such_table")
      assert.strictEqual(bad.code, 2)
      assert.include(bad.stderr, "no_such_table")

      // cells are DuckDB's text of each value, in CSV and in the table; --json keeps JSON values
      const typed = "SELECT DATE '2024-01-02' AS d, TIME '01:02:03' AS t, TIMESTAMP '2024-01-02 03:04:05' AS ts, " +
        "'\\xAA'::BLOB AS b, [1, 2] AS l, {'a': 1, 'b': 'x'} AS s, NULL AS n"
      const csv = yield* baliza("--db", db, "query", "--csv", typed)
      assert.strictEqual(csv.code, 0, csv.stderr)
      assert.strictEqual(
        csv.stdout,
        "d,t,ts,b,l,s,n\n2024-01-02,01:02:03,2024-01-02 03:04:05,\\xAA,\"[1, 2]\",\"{'a': 1, 'b': 'x'}\",\n"
      )
      const shown = yield* baliza("--db", db, "query", "SELECT DATE '2024-01-02' AS d, TIME '01:02:03' AS t")
      assert.include(shown.stdout, "2024-01-02 | 01:02:03")
      const json = yield* baliza("--db", db, "--json", "query", typed)
      assert.strictEqual(json.code, 0, json.stderr)
      assert.deepStrictEqual(Object.keys(JSON.parse(json.stdout)[0]), ["d", "t", "ts", "b", "l", "s", "n"])
      // no rows: the header alone
      const none = yield* baliza("--db", db, "query", "--csv", "SELECT 1 AS a, 2 AS b WHERE false")
      assert.strictEqual(none.stdout, "a,b\n")

      // dump-catalog lists the views (meta.runs, raw.api_payloads) too, marked as views
      const catalog = yield* baliza("--db", db, "--json", "dump-catalog")
      assert.strictEqual(catalog.code, 0, catalog.stderr)
      const entries: ReadonlyArray<{ schema: string; table: string; kind: string; rows: number | null }> = JSON.parse(
        catalog.stdout
      )
      const runs = entries.find((entry) => entry.schema === "meta" && entry.table === "runs")
      assert.deepStrictEqual([runs?.kind, runs?.rows], ["view", null])
      assert.strictEqual(entries.find((entry) => entry.schema === "meta" && entry.table === "events")?.kind, "table")
      assert.include((yield* baliza("--db", db, "dump-catalog")).stdout, "meta.runs (view)")
    }))

  it.scopedLive("serve on a port another process holds says why", () =>
    Effect.gen(function*() {
      const db = yield* tempDb
      const held = yield* Effect.acquireRelease(
        Effect.async<NodeNet.Server>((resume) => {
          const server = NodeNet.createServer()
          server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
        }),
        (server) => Effect.sync(() => server.close())
      )
      const address = held.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      const out = yield* baliza("--db", db, "serve", "--port", String(port))
      assert.strictEqual(out.code, 2, out.stderr)
      assert.include(out.stderr, "EADDRINUSE")
    }))

  it.scopedLive("serve stops with exit 3 when a failed COMMIT stops its database, rather than fail every request", () =>
    Effect.gen(function*() {
      const db = yield* tempDb
      const port = yield* Effect.async<number>((resume) => {
        const probe = NodeNet.createServer().listen(0, "127.0.0.1", () => {
          const address = probe.address()
          probe.close(() => resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0)))
        })
      })
      const served = yield* Effect.fork(baliza("--db", db, "serve", "--port", String(port)))
      let up = false
      // (each try bounded: a request the server took before it was ready could otherwise wait for ever)
      for (let i = 0; i < 100 && !up; i++) {
        yield* Effect.sleep("100 millis")
        up = yield* Effect.promise(() =>
          fetch(`http://127.0.0.1:${port}/api/runs`, { signal: AbortSignal.timeout(2_000) }).then(
            (response) => response.ok,
            () => false
          )
        )
      }
      assert.isTrue(up, "the server answers")
      // Another service on the file in this process shares its database, and so its fate: a COMMIT of it that fails
      // (DuckDB's words, as the squeezed commits of packages/duckdb's tests get them) stops the server's too. A real
      // squeeze inside the server's own run does not fail its COMMIT reliably: it may fail a statement instead.
      yield* Effect.scoped(Effect.gen(function*() {
        const other = Context.get(yield* Layer.build(Warehouse.database({ path: db })), DuckDB.DuckDB)
        const failed = yield* Effect.exit(other.withParallelConnections(1, async () => {
          throw new Error("TransactionContext Error: Failed to commit: could not allocate block of size 256.0 KiB")
        }))
        assert.isTrue(Exit.isFailure(failed))
      }))
      const out = yield* Fiber.join(served).pipe(Effect.timeout("20 seconds"))
      assert.strictEqual(out.code, 3, out.stderr)
      assert.include(out.stderr, "A COMMIT failed, so this database takes no more statements")
      assert.notInclude(out.stderr, "stopped.", "not the sentence of Ctrl-C")
    }))

  it.scopedLive(
    "materialize a day from the fake, see it in assets, status, runs, events, query; a second run does nothing",
    () =>
      Effect.gen(function*() {
        const { db, global } = yield* withFake()
        const dry = yield* baliza(...global, "materialize", "--day", "2024-07-01", "--dry-run")
        assert.strictEqual(dry.code, 0, dry.stderr)
        assert.include(dry.stdout, "Missing")
        assert.isFalse(NodeFs.existsSync(db), "a dry run creates no database")

        const first = yield* baliza(...global, "--json", "materialize", "--day", "2024-07-01", "--concurrency", "8")
        assert.strictEqual(first.code, 0, first.stderr)
        const result = JSON.parse(first.stdout)
        assert.strictEqual(result.status, "Success")
        assert.strictEqual(result.failed, 0)
        assert.isAbove(result.succeeded, 20)
        const requests = yield* count(db, "SELECT count(*) AS n FROM raw.api_requests")
        assert.isAbove(requests, 10)
        assert.isAbove(yield* count(db, "SELECT count(*) AS n FROM staging.contratacoes"), 0)

        // a run whose process was killed: the log shows it running until a process that holds the file says otherwise
        yield* Effect.flatMap(EventLog.EventLog, (log) =>
          Effect.zipRight(
            log.append([{
              _tag: "RunStarted",
              runId: "19990101-000000-killed",
              timestamp: 1_000,
              selection: "*",
              partitions: null,
              plannedSteps: 3,
              skippedSteps: 0,
              tags: {}
            }]),
            log.flush
          )).pipe(
            Effect.provide(DuckDBEventLog.layer().pipe(Layer.provide(DuckDB.layer({ path: db })))),
            Effect.scoped
          )
        const again = yield* baliza(...global, "--json", "materialize", "--day", "2024-07-01")
        assert.strictEqual(again.code, 0, again.stderr)
        assert.strictEqual(JSON.parse(again.stdout).succeeded, 0)
        assert.strictEqual(yield* count(db, "SELECT count(*) AS n FROM raw.api_requests"), requests)

        const assets = yield* baliza("--db", db, "--json", "assets", "layer:raw")
        const raw: ReadonlyArray<{ key: string; materialized: number }> = JSON.parse(assets.stdout)
        assert.isTrue(raw.some((row) => row.key === "pncp/raw/contratos" && row.materialized === 1))

        const runs = yield* baliza("--db", db, "--json", "runs")
        const list: ReadonlyArray<{ runId: string; status: string }> = JSON.parse(runs.stdout)
        assert.strictEqual(list.length, 3)
        assert.deepStrictEqual(list[2], { ...list[2]!, runId: "19990101-000000-killed", status: "Interrupted" })
        const events = yield* baliza("--db", db, "events", list[1]!.runId)
        assert.strictEqual(events.code, 0)
        assert.include(events.stdout, "StepSucceeded pncp/raw/contratos[2024-07-01]")

        const status = yield* baliza("--db", db, "status")
        assert.include(status.stdout, "0 failed")
        // measured against what materialize runs by default (not the details): nothing is missing
        assert.include(status.stdout, "0 missing")
        const [sha] = yield* Effect.scoped(Effect.gen(function*() {
          const handle = yield* DuckDB.make({ path: db, readOnly: true })
          return (yield* handle.query(
            "SELECT payload_sha256 AS s FROM raw.api_requests WHERE http_status = 200 LIMIT 1"
          ))
            .map((row) => String(row.s))
        }))
        const payload = yield* baliza("--db", db, "fetch-payload", sha!)
        assert.strictEqual(payload.code, 0, payload.stderr)
        assert.isArray(JSON.parse(payload.stdout).data)
        // byte for byte: the output hashes to the sha256 it was asked by
        assert.strictEqual(NodeCrypto.createHash("sha256").update(payload.stdout).digest("hex"), sha)
        const missing = yield* baliza("--db", db, "fetch-payload", "0".repeat(64))
        assert.strictEqual(missing.code, 2)
      }),
    120_000
  )
})

describe("baliza verify, backup, rollback, reset, doctor", () => {
  it.scopedLive("backup keeps the file as it is (nothing migrated into it); rollback recreates a deleted file", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      yield* Effect.scoped(
        Effect.flatMap(
          DuckDB.make({ path: db }),
          (handle) => handle.execute("CREATE TABLE notes AS SELECT 'before the upgrade' AS note")
        )
      )
      const tables = () => count(db, "SELECT count(*) AS n FROM duckdb_tables()")
      const saved = yield* baliza("--db", db, "--json", "backup")
      assert.strictEqual(saved.code, 0, saved.stderr)
      assert.strictEqual(yield* tables(), 1)
      NodeFs.rmSync(db)
      const restored = yield* baliza("--db", db, "rollback", "--to", String(JSON.parse(saved.stdout).id))
      assert.strictEqual(restored.code, 0, restored.stderr)
      assert.strictEqual(yield* count(db, "SELECT count(*) AS n FROM notes WHERE note = 'before the upgrade'"), 1)
      assert.strictEqual(yield* tables(), 1)
    }))

  it.scopedLive("repair rebuilds every table with a key once, keeping its rows; a run after it, on a marked file too, goes on as before", () =>
    Effect.gen(function*() {
      const { db, global } = yield* withFake()
      const day = ["materialize", "--day", "2024-07-01", "--select", "pncp/raw/contratos+"]
      assert.strictEqual((yield* baliza(...global, ...day)).code, 0)
      const events = () => count(db, "SELECT count(*) AS n FROM meta.events")
      const requests = () => count(db, "SELECT count(*) AS n FROM raw.api_requests")
      const before = yield* events()
      const requested = yield* requests()
      assert.isAbove(requested, 0)
      // on a file a failed commit marked: rebuilt once, by the repair itself, not first by its open
      NodeFs.writeFileSync(`${db}.rebuild-keys`, "{}")
      const repaired = yield* baliza(...global, "--json", "repair")
      assert.strictEqual(repaired.code, 0, repaired.stderr)
      assert.notInclude(repaired.stderr, "failed in an earlier run")
      assert.isFalse(NodeFs.existsSync(`${db}.rebuild-keys`))
      const rebuilt: ReadonlyArray<{ table: string; rows: number }> = JSON.parse(repaired.stdout).rebuilt
      const tables = rebuilt.map((r) => r.table)
      for (const table of ["meta.events", "meta.asset_state", "raw.payload_index"]) assert.include(tables, table)
      assert.strictEqual(rebuilt.find((r) => r.table === "meta.events")?.rows, before)
      // the same run again, on a file a failed commit marked: it rebuilds them first and says so, then is up to date,
      // no request, and its events stored after the others
      NodeFs.writeFileSync(`${db}.rebuild-keys`, "{}")
      const again = yield* baliza(...global, "--json", ...day)
      assert.strictEqual(again.code, 0, again.stderr)
      assert.include(again.stderr, "failed in an earlier run")
      assert.isFalse(NodeFs.existsSync(`${db}.rebuild-keys`))
      assert.strictEqual(yield* requests(), requested)
      assert.isAbove(yield* events(), before)
    }))

  it.scopedLive("the commands that only read open the file read-only: a DuckDB file of another program stays as it was", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      yield* Effect.scoped(
        Effect.flatMap(DuckDB.make({ path: db }), (handle) => handle.execute("CREATE TABLE notes (note VARCHAR)"))
      )
      for (const command of [["status"], ["runs"], ["recovery-status"], ["verify"]]) {
        const out = yield* baliza("--db", db, ...command)
        assert.strictEqual(out.code, 3, `${command.join(" ")}: ${out.stderr}`)
        assert.include(out.stderr, "`baliza init` applies them")
      }
      assert.strictEqual(yield* count(db, "SELECT count(*) AS n FROM duckdb_tables()"), 1)
    }))

  it.scopedLive(
    "verify passes, catches a tampered payload, and a rollback to the backup repairs it",
    () =>
      Effect.gen(function*() {
        const { db, fake, global } = yield* withFake()
        assert.strictEqual((yield* baliza(...global, "--json", "materialize", "--day", "2024-07-02")).code, 0)
        // and July's atas in force: one series for the month (pncp/raw/atas is by month)
        const month = yield* baliza(...global, "materialize", "--select", "pncp/raw/atas", "--month", "2024-07")
        assert.strictEqual(month.code, 0, month.stderr)

        const clean = yield* baliza("--db", db, "verify", "--sample", "1")
        assert.strictEqual(clean.code, 0, clean.stdout + clean.stderr)
        assert.include(clean.stdout, "OK   raw records = totalRegistros")
        assert.notInclude(clean.stdout, "FAIL")
        // pages fetched again (--refetch keeps the old answers) count once, as the pipeline reconciles
        const refetch = ["materialize", "--select", "pncp/raw/contratos", "--day", "2024-07-02", "--refetch"]
        assert.strictEqual((yield* baliza(...global, ...refetch)).code, 0)
        const again = yield* baliza("--db", db, "verify", "--sample", "0")
        assert.strictEqual(again.code, 0, again.stdout + again.stderr)
        assert.notInclude(again.stdout, "FAIL")
        // a range takes the month's series when it covers the month, as materialize does
        const seriesIn = (from: string, to: string) =>
          Effect.map(baliza("--db", db, "verify", "--from", from, "--to", to, "--sample", "0"), (out) => {
            assert.strictEqual(out.code, 0, out.stdout + out.stderr)
            return Number(/(\d+) request series reconcile/.exec(out.stdout)?.[1])
          })
        const all = Number(/(\d+) request series reconcile/.exec(clean.stdout)?.[1])
        assert.isAbove(all, 1)
        assert.strictEqual(yield* seriesIn("2024-07-02", "2024-07-02"), all - 1)
        assert.strictEqual(yield* seriesIn("2024-07-01", "2024-07-31"), all)

        const saved = yield* baliza("--db", db, "--json", "backup")
        assert.strictEqual(saved.code, 0, saved.stderr)
        const id = String(JSON.parse(saved.stdout).id)
        // a directory that cannot be made (under a file) is a storage problem, exit 3, not a failed step's 1
        const nowhere = yield* baliza("--db", db, "backup", "--dir", NodePath.join(db, "backups"))
        assert.strictEqual(nowhere.code, 3, nowhere.stderr)
        assert.include(nowhere.stderr, "Cannot create the backup directory")

        yield* Effect.scoped(Effect.gen(function*() {
          const handle = yield* DuckDB.make({ path: db })
          yield* handle.execute(
            `UPDATE raw.payload_segment_0 SET payload = replace(payload, '"data"', '"dados"')
           WHERE sha256 = (SELECT min(sha256) FROM raw.payload_segment_0 WHERE payload LIKE '%"data"%')`
          )
        }))
        const tampered = yield* baliza("--db", db, "verify", "--sample", "1")
        assert.strictEqual(tampered.code, 1)
        assert.include(tampered.stdout, "FAIL payload sha256")

        const unknown = yield* baliza("--db", db, "rollback", "--to", "no-such-backup")
        assert.strictEqual(unknown.code, 2)
        assert.include(unknown.stderr, id)
        const rolledBack = yield* baliza("--db", db, "--json", "rollback", "--to", id)
        assert.strictEqual(rolledBack.code, 0, rolledBack.stderr)
        assert.deepStrictEqual([JSON.parse(rolledBack.stdout).restored.id, JSON.parse(rolledBack.stdout).database], [
          id,
          db
        ])
        assert.strictEqual((yield* baliza("--db", db, "verify", "--sample", "1")).code, 0)

        const doctor = yield* baliza(...global, "doctor")
        assert.strictEqual(doctor.code, 0, doctor.stdout)
        assert.include(doctor.stdout, "OK   database")
        assert.include(doctor.stdout, `OK   ${fake.consultaUrl} answers a contratos query (HTTP 200)`)
        // a server that answers, but not as the consulta API
        const wrong = yield* baliza("--db", db, "--base-url", fake.detailsUrl, "doctor")
        assert.strictEqual(wrong.code, 0, wrong.stdout)
        assert.include(wrong.stdout, `WARN ${fake.detailsUrl} answered HTTP 404 to a contratos query`)

        const refused = yield* baliza("--db", db, "reset")
        assert.strictEqual(refused.code, 2)
        assert.isTrue(NodeFs.existsSync(db))
        // the marker a failed commit left goes with the file (and the file is not rebuilt before it goes)
        NodeFs.writeFileSync(`${db}.rebuild-keys`, "{}")
        const deleted = yield* baliza("--db", db, "--json", "reset", "--force")
        assert.deepStrictEqual([deleted.code, JSON.parse(deleted.stdout)], [0, { database: db, deleted: true }])
        assert.notInclude(deleted.stderr, "rebuilding")
        assert.isFalse(NodeFs.existsSync(db))
        assert.isFalse(NodeFs.existsSync(`${db}.rebuild-keys`))
        // a file that is not a DuckDB database (a mistyped --db) is never deleted
        for (const content of ["not a database", "", "12345678DUC"]) {
          NodeFs.writeFileSync(db, content)
          const foreign = yield* baliza("--db", db, "reset", "--force")
          assert.strictEqual(foreign.code, 2, foreign.stderr)
          assert.include(foreign.stderr, `${db} is not a DuckDB database`)
          assert.strictEqual(NodeFs.readFileSync(db, "utf8"), content)
        }
        const directory = NodePath.join(NodePath.dirname(db), "a-directory")
        NodeFs.mkdirSync(directory)
        assert.strictEqual((yield* baliza("--db", directory, "reset", "--force")).code, 2)
        assert.isTrue(NodeFs.existsSync(directory))
        // a database DuckDB cannot read past its header is what a reset is for
        NodeFs.writeFileSync(db, Buffer.concat([Buffer.alloc(8), Buffer.from("DUCK"), Buffer.alloc(4096, 0xff)]))
        const corrupt = yield* baliza("--db", db, "reset", "--force")
        assert.strictEqual(corrupt.code, 0, corrupt.stderr)
        assert.isFalse(NodeFs.existsSync(db))
      }),
    120_000
  )
})
