/**
 * What `baliza` says: each error one line that starts with `baliza:` and names where the bad value came from (the flag
 * or its environment variable), `query --json`'s dates, and the counts `runs` prints.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { baliza, fixture, tempDatabase, withEnv } from "./fixtures/run.js"

describe("baliza messages", () => {
  it.scopedLive("an error is one line starting with baliza:, naming the flag or the environment variable", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [["--db", "", "init"], `--db needs a file path, not "": the database is a DuckDB file.`],
        [["--db", ":memory:", "init"], `--db needs a file path, not ":memory:": the database is a DuckDB file.`],
        [
          ["--db", db, "--memory-limit", "2MB", "init"],
          `--memory-limit must be at least 8MB, a margin over the ~3MB DuckDB needs to open and migrate a database, ` +
          `not "2MB".`
        ],
        [
          ["--db", db, "--max-temp-size", "abc", "init"],
          `--max-temp-size expects a size such as 512MB or 4GB, not "abc".`
        ],
        // the URLs are checked in a dry run too, before anything is planned
        [
          ["--db", db, "--base-url", "notaurl", "materialize", "--day", "2024-07-01", "--dry-run"],
          `--base-url must be an http(s) URL, got "notaurl".`
        ],
        [
          ["--db", db, "--details-url", "ftp://x", "materialize", "--day", "2024-07-01", "--dry-run"],
          `--details-url must be an http(s) URL, got "ftp://x".`
        ],
        [
          ["--db", db, "materialize", "--day", "2024-07-01", "--month", "2024-07", "--dry-run"],
          "Choose partitions one way: --day and --month were both given."
        ],
        [
          ["--db", db, "materialize", "--day", "2024-07-01", "--month", "2024-07", "--latest", "--dry-run"],
          "Choose partitions one way: --day, --month and --latest were all given."
        ],
        [
          ["--db", db, "materialize", "--day", "2024-07-01", "--max-duration", "0s", "--dry-run"],
          `--max-duration must be above zero, got "0s".`
        ],
        [
          ["--db", db, "materialize", "--day", "2024-07-01", "--request-timeout", "0s", "--dry-run"],
          `--request-timeout must be above zero, got "0s".`
        ]
      ]
      for (const [args, message] of cases) {
        const out = yield* baliza(...args)
        assert.deepStrictEqual([out.code, out.stderr], [2, `baliza: ${message}\n`], args.join(" "))
      }

      // a value from the environment is named by its variable
      yield* withEnv("BALIZA_MEMORY_LIMIT", "2MB")
      const memory = yield* baliza("--db", db, "init")
      assert.strictEqual(memory.code, 2, memory.stderr)
      assert.match(memory.stderr, /^baliza: BALIZA_MEMORY_LIMIT must be at least 8MB, [^\n]*\n$/)
      // the flag wins over the variable, and is the one named
      const flag = yield* baliza("--db", db, "--memory-limit", "3MB", "init")
      assert.match(flag.stderr, /^baliza: --memory-limit must be at least 8MB, [^\n]*not "3MB"\.\n$/)
      yield* withEnv("BALIZA_MEMORY_LIMIT", "64MB")
      yield* withEnv("BALIZA_BASE_URL", "x")
      const url = yield* baliza("--db", db, "materialize", "--day", "2024-07-01", "--dry-run")
      assert.deepStrictEqual([url.code, url.stderr], [2, `baliza: BALIZA_BASE_URL must be an http(s) URL, got "x".\n`])
      yield* withEnv("BALIZA_DB", "")
      const empty = yield* baliza("init")
      assert.deepStrictEqual(
        [empty.code, empty.stderr],
        [2, `baliza: BALIZA_DB needs a file path, not "": the database is a DuckDB file.\n`]
      )
    }))

  it.scopedLive("query: a refusal names the command once; --json gives a DATE as its day, timestamps as instants", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      assert.strictEqual((yield* baliza("--db", db, "init")).code, 0)
      const refused = yield* baliza("--db", db, "query", "DELETE FROM meta.events")
      assert.deepStrictEqual([refused.code, refused.stderr], [
        2,
        "baliza: query runs a read (SELECT), got a statement of type DELETE; the database is never changed by it.\n"
      ])
      const json = yield* baliza(
        "--db",
        db,
        "--json",
        "query",
        "SELECT DATE '2024-01-02' AS d, NULL::DATE AS n, TIMESTAMP '2024-01-02 03:04:05' AS ts, " +
          "TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tz, 'x' AS d2"
      )
      assert.strictEqual(json.code, 0, json.stderr)
      assert.deepStrictEqual(JSON.parse(json.stdout), [{
        d: "2024-01-02",
        n: null,
        ts: "2024-01-02T03:04:05.000Z",
        tz: "2024-01-02T03:04:05.000Z",
        d2: "x"
      }])
    }))

  it.scopedLive("runs says how many steps a run planned to run, beside those it skipped", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const project = ["--db", db, "--assets", fixture("flaky")]
      const args = ["materialize", "--select", "*", "--day", "2024-01-01"]
      assert.strictEqual((yield* baliza(...project, ...args)).code, 0)
      // everything up to date: skipped, and nothing planned to run
      assert.strictEqual((yield* baliza(...project, ...args)).code, 0)
      const runs = yield* baliza(...project, "runs")
      assert.strictEqual(runs.code, 0, runs.stderr)
      const [latest = "", first = ""] = runs.stdout.trim().split("\n")
      assert.include(latest, "0 ok, 0 failed, 4 skipped; 0 planned to run  *")
      assert.include(first, "4 ok, 0 failed, 0 skipped; 4 planned to run  *")
    }))

  it.scopedLive("a mistyped option, command or choice is one baliza: line naming it and the nearest known name", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [
          ["status", "--frm", "2024-07-01"],
          "status has no option --frm (did you mean --from?); `baliza status --help` lists them."
        ],
        // an alias is nearer (--dia), the option is named by its first name
        [
          ["materialize", "--dya", "2024-07-01", "--dry-run"],
          "materialize has no option --dya (did you mean --day?); `baliza materialize --help` lists them."
        ],
        [["--jsn", "status"], "baliza has no global option --jsn (did you mean --json?); `baliza --help` lists them."],
        [["stauts"], `There is no command "stauts" (did you mean status?); \`baliza --help\` lists them.`],
        [
          ["materialize", "--only", "stal", "--dry-run"],
          `--only expects one of missing, failed, stale, got "stal" (did you mean stale?).`
        ],
        [
          ["materialize", "--only=stal", "--dry-run"],
          `--only expects one of missing, failed, stale, got "stal" (did you mean stale?).`
        ],
        // nothing near enough: no guess
        [
          ["--log-level", "verbose", "status"],
          `--log-level expects one of all, trace, debug, info, warning, error, fatal, none, got "verbose".`
        ],
        [
          ["status", "--log-level", "loud"],
          `--log-level expects one of all, trace, debug, info, warning, error, fatal, none, got "loud".`
        ],
        [["materialize", "--dry-run", "--day"], "--day needs a value."],
        // a global option after the command is accepted there: the mistake is the other one
        [
          ["materialize", "--json", "--dya", "2024-07-01"],
          "materialize has no option --dya (did you mean --day?); `baliza materialize --help` lists them."
        ]
      ]
      for (const [args, message] of cases) {
        const out = yield* baliza("--db", db, ...args)
        assert.deepStrictEqual([out.code, out.stdout, out.stderr], [2, "", `baliza: ${message}\n`], args.join(" "))
      }
      // what the parser accepts is left to it: help, and --log-level after the command
      const help = yield* baliza("status", "--help")
      assert.strictEqual(help.code, 0, help.stderr)
      assert.include(help.stdout, "--partition")
      const dry = yield* baliza("--db", db, "materialize", "--day", "2024-07-01", "--dry-run", "--log-level", "error")
      assert.strictEqual(dry.code, 0, dry.stderr)
    }))
})
