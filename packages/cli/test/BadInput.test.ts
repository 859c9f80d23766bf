/**
 * The bad-input battery: arbitrary arguments (FastCheck) for the commands that take user text. Whatever the input,
 * `baliza` never crashes and never prints a stack trace; a rejection is one paragraph on stderr with exit code 2, and
 * nothing is written outside the database's own folder.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck } from "effect"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import { baliza, type Output, tempDatabase } from "./fixtures/run.js"

/** Text a hostile or careless user might type: paths that escape, NUL bytes, huge names, SQL, flags, unicode. */
const hostile = FastCheck.oneof(
  FastCheck.string({ maxLength: 40 }),
  FastCheck.fullUnicodeString({ maxLength: 20 }),
  FastCheck.constantFrom(
    "../../../../etc/passwd",
    "/etc/passwd",
    "..",
    "a\u0000b",
    "x".repeat(5_000),
    "",
    " ",
    "--help",
    "-1",
    "9999999999999999999999",
    "2024-07-01..",
    "..2024-07-01",
    "2024-07-01|99",
    "*|*|*",
    "2024-02-30",
    "0000-00-00",
    "'; DROP TABLE meta.runs; --",
    "NaN"
  )
)

/** A day-like string: mostly almost-valid dates, the kind of mistake that is easy to make. */
const dayish = FastCheck.oneof(
  hostile,
  FastCheck.tuple(
    FastCheck.integer({ min: 0, max: 3000 }),
    FastCheck.integer({ min: 0, max: 13 }),
    FastCheck.integer({ min: 0, max: 32 })
  ).map(([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`)
)

/** What every invocation must satisfy; `allowed` lists the exit codes that make sense for the command. */
const wellBehaved = (args: ReadonlyArray<string>, out: Output, allowed: ReadonlyArray<number>) => {
  const what = `baliza ${args.map((arg) => JSON.stringify(arg.slice(0, 60))).join(" ")} → ${out.code}: ${out.stderr}`
  assert.include(allowed, out.code, what)
  assert.notMatch(out.stderr, /\n\s+at /, `a stack trace: ${what}`)
  assert.notInclude(out.stderr, "FiberFailure", what)
  if (out.code === 2) {
    const message = out.stderr.trim()
    assert.isAbove(message.length, 0, `exit 2 with no message: ${what}`)
    assert.notMatch(message, /\n\s*\n/, `more than one paragraph: ${what}`)
  }
}

/** The files under `dir`, to check nothing was written elsewhere. */
const listing = (dir: string): ReadonlyArray<string> => NodeFs.readdirSync(dir, { recursive: true }).map(String).sort()

describe("bad input", () => {
  it.scopedLive("materialize: arbitrary dates, ranges, selections and numbers (dry run)", () =>
    Effect.gen(function*() {
      const { db, dir } = yield* tempDatabase
      const args = FastCheck.oneof(
        dayish.map((day) => ["--day", day]),
        FastCheck.tuple(dayish, dayish).map(([from, to]) => ["--from", from, "--to", to]),
        hostile.map((month) => ["--month", month]),
        hostile.map((spec) => ["--partition", spec]),
        hostile.map((range) => ["--date-range", range]),
        hostile.map((selection) => ["--select", selection, "--day", "2024-07-01"]),
        hostile.map((n) => ["--concurrency", n, "--day", "2024-07-01"]),
        hostile.map((duration) => ["--max-duration", duration, "--day", "2024-07-01"]),
        hostile.map((modalidades) => ["--modalidades", modalidades, "--day", "2024-07-01"])
      )
      const samples = FastCheck.sample(args, { numRuns: 60, seed: 20261203 })
      for (const flags of samples) {
        const full = ["--db", db, "materialize", ...flags, "--dry-run"]
        wellBehaved(full, yield* baliza(...full), [0, 2])
      }
      // A dry run creates no database, valid or not.
      assert.deepStrictEqual(listing(dir), [])
    }), { timeout: 120_000 })

  it.scopedLive(
    "query, fetch-payload, rollback and verify: arbitrary text, on a real database",
    () =>
      Effect.gen(function*() {
        const { db, dir } = yield* tempDatabase
        assert.strictEqual((yield* baliza("--db", db, "init")).code, 0)
        const before = listing(dir)
        const samples = FastCheck.sample(
          FastCheck.oneof(
            hostile.map((sql) => ["query", sql]),
            FastCheck.constantFrom(
              "SELECT 1; DROP TABLE meta.runs",
              "PRAGMA enable_profiling",
              "LOAD httpfs",
              "INSTALL spatial",
              "COPY meta.runs TO '/tmp/x.csv'",
              "EXPORT DATABASE '/tmp/x'",
              "ATTACH '/tmp/x.duckdb'",
              "CALL pragma_version()",
              "SELECT * FROM read_csv('/etc/passwd')",
              "SET memory_limit='1GB'"
            ).map((sql) => ["query", sql]),
            hostile.map((sha) => ["fetch-payload", sha]),
            hostile.map((id) => ["rollback", "--to", id]),
            FastCheck.tuple(dayish, dayish).map(([from, to]) => ["verify", "--from", from, "--to", to])
          ),
          { numRuns: 60, seed: 20261203 }
        )
        for (const command of samples) {
          const full = ["--db", db, ...command]
          // query may answer (exit 0) a harmless read; verify of an empty range passes.
          wellBehaved(full, yield* baliza(...full), [0, 2])
        }
        // Nothing was written beside the database: no exported file, no attached database, no backup restored.
        assert.deepStrictEqual(listing(dir).filter((file) => !file.endsWith(".wal")), before)
        assert.isFalse(NodeFs.existsSync("/tmp/x.csv") && NodeFs.statSync("/tmp/x.csv").mtimeMs > Date.now() - 120_000)
        // Text with no statement names the problem, not DuckDB's bare "Error in native callback".
        for (const sql of ["", "   ", "-- just a comment", "/* x */"]) {
          const none = yield* baliza("--db", db, "query", sql)
          assert.deepStrictEqual([none.code, none.stderr.includes("got none")], [2, true], JSON.stringify(sql))
        }
        // A query does not fetch extensions from the network to read a URL.
        const remote = yield* baliza("--db", db, "query", "SELECT * FROM read_csv('https://example.com/x.csv')")
        assert.notStrictEqual(remote.code, 0)
        assert.notInclude(remote.stderr, "download")
        // Every read-only refusal left meta intact.
        const runs = yield* baliza("--db", db, "query", "SELECT count(*) AS n FROM meta.runs")
        assert.strictEqual(runs.code, 0, runs.stderr)
        assert.isTrue(NodeFs.existsSync(NodePath.join(dir, "baliza.duckdb")))
      }),
    { timeout: 120_000 }
  )
})
