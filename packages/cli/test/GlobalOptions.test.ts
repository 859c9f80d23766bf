/**
 * The global options reach every command that opens DuckDB (`query`, `doctor`), and each in-process run logs on its own.
 */
import { DuckDBError } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as CliError from "../src/CliError.js"
import * as errors from "../src/internal/errors.js"
import { baliza, tempDatabase, withFake } from "./fixtures/run.js"

const settings = "SELECT current_setting('memory_limit') AS memory, current_setting('temp_directory') AS temp, " +
  "current_setting('max_temp_directory_size') AS max_temp, current_setting('threads')::INTEGER AS threads"

describe("global options", () => {
  it.effect("--version, --help and --completions after global options are the program's; before a command, its help", () =>
    Effect.gen(function*() {
      for (const line of [["--version"], ["--db", "x.duckdb", "--json", "--version"]]) {
        const version = yield* baliza(...line)
        assert.strictEqual(version.code, 0, version.stderr)
        assert.strictEqual(version.stdout.trim(), "0.1.0")
      }
      const help = yield* baliza("--db", "x.duckdb", "-h")
      assert.strictEqual(help.code, 0, help.stderr)
      assert.include(help.stdout, "COMMANDS")
      for (const line of [["--db", "x.duckdb", "status", "--help"], ["--db", "x.duckdb", "--help", "status"]]) {
        const status = yield* baliza(...line)
        assert.strictEqual(status.code, 0, status.stderr)
        assert.notInclude(status.stdout, "COMMANDS")
        assert.include(status.stdout, "status")
      }
      const completions = yield* baliza("--completions", "bash")
      assert.strictEqual(completions.code, 0, completions.stderr)
      assert.deepStrictEqual(yield* baliza("--db", "x.duckdb", "--completions", "bash"), completions)
    }))

  it.scopedLive("query opens DuckDB with --memory-limit, --temp-dir and --max-temp-size (512MB by default), all cores", () =>
    Effect.gen(function*() {
      const { db, dir } = yield* tempDatabase
      assert.strictEqual((yield* baliza("--db", db, "init")).code, 0)
      const spill = NodePath.join(dir, "spill")
      const given = yield* baliza(
        "--db",
        db,
        "--memory-limit",
        "1GB",
        "--temp-dir",
        spill,
        "--max-temp-size",
        "5GB",
        "--json",
        "query",
        settings
      )
      assert.strictEqual(given.code, 0, given.stderr)
      // DuckDB shows sizes in binary units: 1GB is 953.6 MiB, 5GB 4.6 GiB
      // and every core on the one statement (the warehouse's single thread is for the pipeline's many)
      assert.deepStrictEqual(JSON.parse(given.stdout), [{
        memory: "953.6 MiB",
        temp: spill,
        max_temp: "4.6 GiB",
        threads: NodeOs.availableParallelism()
      }])
      const defaults = yield* baliza("--db", db, "--json", "query", settings)
      assert.strictEqual(defaults.code, 0, defaults.stderr)
      const [row] = JSON.parse(defaults.stdout) as ReadonlyArray<{ readonly memory: string; readonly temp: string }>
      assert.deepStrictEqual([row?.memory, row?.temp], ["488.2 MiB", `${db}.tmp`])
    }))

  it.scopedLive("a --memory-limit too small to open the database is bad input (exit 2) naming it, not exit 3", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      for (const limit of ["0MB", "0", "2MB", "7.9MB", "1KiB"]) {
        const out = yield* baliza("--db", db, "--memory-limit", limit, "init")
        assert.strictEqual(out.code, 2, `${limit}: ${out.stderr}`)
        assert.include(out.stderr, "--memory-limit", limit)
      }
      assert.include((yield* baliza("--db", db, "--memory-limit", "0MB", "init")).stderr, "must be at least 8MB")
      assert.isFalse(NodeFs.existsSync(db), "nothing was opened")
      // the smallest accepted opens and migrates a new file
      const smallest = yield* baliza("--db", db, "--memory-limit", "8MB", "init")
      assert.strictEqual(smallest.code, 0, smallest.stderr)
      // and DuckDB running out of memory while opening is the limit's fault, whatever it is
      const error = errors.opening(db, "9MB")(
        new Error("Migration failed", { cause: DuckDBError.make("OutOfMemory", "DuckDB ran out of memory") })
      )
      assert.deepStrictEqual([error.reason, error.message.includes("--memory-limit 9MB")], ["Input", true])
      // a database a failed commit stopped is the database's problem (exit 3), saying to run again
      const stopped = errors.other(
        new Error("Step failed", { cause: DuckDBError.make("Invalidated", "A COMMIT failed; run the command again") })
      )
      assert.deepStrictEqual([CliError.exitCode(stopped.reason), stopped.message], [
        3,
        "A COMMIT failed; run the command again"
      ])
    }))

  it.scopedLive("doctor checks the temp directory DuckDB spills to, and fails (exit 1) on one it cannot make", () =>
    Effect.gen(function*() {
      const { db, dir, global } = yield* withFake()
      assert.strictEqual((yield* baliza(...global, "init")).code, 0)
      // by default beside the database, as DuckDB's current_setting('temp_directory') says
      const byDefault = yield* baliza(...global, "doctor")
      assert.strictEqual(byDefault.code, 0, byDefault.stdout)
      assert.include(byDefault.stdout, `OK   temp directory ${db}.tmp can be created`)
      assert.isFalse(NodeFs.existsSync(`${db}.tmp`), "the check leaves nothing behind")
      const spill = NodePath.join(dir, "spill")
      const given = yield* baliza(...global, "--temp-dir", spill, "doctor")
      assert.strictEqual(given.code, 0, given.stdout)
      assert.include(given.stdout, `OK   temp directory ${spill} can be created`)
      NodeFs.mkdirSync(spill)
      const existing = yield* baliza(...global, "--temp-dir", spill, "doctor")
      assert.include(existing.stdout, `OK   temp directory ${spill} writable`)
      assert.deepStrictEqual(NodeFs.readdirSync(spill), [])
      // DuckDB makes the last level only, and nobody can make a directory under a file (root included)
      for (const bad of ["/nonexistent/tmp", NodePath.join(db, "tmp")]) {
        const out = yield* baliza(...global, "--temp-dir", bad, "doctor")
        assert.strictEqual(out.code, 1, out.stdout)
        assert.include(out.stdout, `FAIL temp directory ${bad} cannot be created or written`)
        assert.include(out.stderr, "doctor found problems")
      }
    }))

  it.scopedLive("runs in one process log on their own: a warning once per run, not once per run so far", () =>
    Effect.gen(function*() {
      const { global } = yield* withFake()
      // pncp/raw/atas is by month: a day gives it no partition, which each run warns about once
      const args = ["materialize", "--select", "pncp/raw/atas or pncp/raw/contratos", "--day", "2024-07-02"]
      for (let run = 1; run <= 3; run++) {
        const out = yield* baliza(...global, ...args)
        assert.strictEqual(out.code, 0, out.stderr)
        assert.strictEqual(out.stderr.split("pncp/raw/atas: no partition").length - 1, 1, `run ${run}: ${out.stderr}`)
      }
    }))
})
