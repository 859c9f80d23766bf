/**
 * `materialize` and its aliases against the PNCP fake on 127.0.0.1: the raw layer alone, then staging and marts alone,
 * a modalidade subset, metrics written to a file, and retry-failed after an outage.
 */
import { DuckDB } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import { baliza, count, fixture, tempDatabase, withEnv, withFake } from "./fixtures/run.js"

describe("baliza materialize", () => {
  it.scopedLive(
    "extract fills raw only, transform builds staging from it; --modalidades narrows; --metrics-json",
    () =>
      Effect.gen(function*() {
        const { db, dir, global } = yield* withFake()

        const subset = yield* baliza(...global, "--json", "materialize", "--day", "2024-07-03", "--modalidades", "6,8")
        assert.strictEqual(subset.code, 0, subset.stderr)
        const keys = yield* count(
          db,
          `SELECT count(DISTINCT partition_key) AS n FROM raw.api_requests WHERE endpoint = 'contratacoes_publicacao'`
        )
        assert.strictEqual(keys, 2, "two modalidades of one day")
        assert.strictEqual(
          yield* count(db, "SELECT count(*) AS n FROM raw.api_requests WHERE endpoint = 'contratos'"),
          0
        )

        const metrics = NodePath.join(dir, "metrics.json")
        const extracted = yield* baliza(...global, "extract", "--dia", "2024-07-04", "--metrics-json", metrics)
        assert.strictEqual(extracted.code, 0, extracted.stderr)
        const written = JSON.parse(NodeFs.readFileSync(metrics, "utf8"))
        assert.strictEqual(written.status, "Success")
        assert.strictEqual(written.restarts, 0)
        assert.isAbove(written.succeeded, 10)
        assert.isAbove(yield* count(db, "SELECT count(*) AS n FROM raw.api_requests WHERE endpoint = 'contratos'"), 0)
        // The first run's selection had no contratos, so it staged none; extract leaves staging alone.
        const staged = "SELECT count(*) AS n FROM staging.contratos"
        assert.strictEqual(yield* count(db, staged), 0, "extract builds no staging")
        const requests = yield* count(db, "SELECT count(*) AS n FROM raw.api_requests")

        const transformed = yield* baliza(...global, "--json", "transform", "--day", "2024-07-04")
        assert.strictEqual(transformed.code, 0, transformed.stderr)
        assert.isAbove(yield* count(db, staged), 0)
        assert.strictEqual(
          yield* count(db, "SELECT count(*) AS n FROM raw.api_requests"),
          requests,
          "transform fetches nothing"
        )

        // Forced, a staging table is built whole (its build recorded anew), not merged from what changed (nothing).
        const builtAt = "SELECT epoch_ms(built_at) AS n FROM meta.staging_builds WHERE table_name = 'staging.contratos'"
        const before = yield* count(db, builtAt)
        const rows = yield* count(db, staged)
        const forced = yield* baliza(...global, "materialize", "--select", "pncp/staging/contratos", "--force")
        assert.strictEqual(forced.code, 0, forced.stderr)
        assert.isAbove(yield* count(db, builtAt), before)
        assert.strictEqual(yield* count(db, staged), rows)
      }),
    120_000
  )

  it.scopedLive(
    "an outage fails steps (exit 1, each named); retry-failed completes them once the server is back",
    () =>
      Effect.gen(function*() {
        const { db, fake, global } = yield* withFake()
        // A port nobody listens on: every request of the day fails at once.
        const down = ["--db", db, "--base-url", "http://127.0.0.1:9/api/consulta", "--details-url", fake.detailsUrl]
        const failed = yield* baliza(...down, "materialize", "--day", "2024-07-05", "--max-restarts", "0")
        assert.strictEqual(failed.code, 1)
        // Each failed step is named with the URL that failed.
        assert.include(failed.stdout, "failed pncp/raw/contratacoes_publicacao[2024-07-05|")
        assert.include(failed.stdout, "GET http://127.0.0.1:9/api/consulta/v1/contratacoes/publicacao")
        assert.include(failed.stderr, "resume")
        const status = yield* baliza("--db", db, "--json", "status")
        const steps: ReadonlyArray<{ status: string }> = JSON.parse(status.stdout).steps
        assert.isAbove(steps.filter((step) => step.status === "Failed").length, 5)

        const retried = yield* baliza(...global, "retry-failed")
        assert.strictEqual(retried.code, 0, retried.stderr)
        assert.include(retried.stdout, "No failed requests remain.")
        const after = JSON.parse((yield* baliza("--db", db, "--json", "status")).stdout)
        assert.strictEqual(after.steps.filter((step: { status: string }) => step.status === "Failed").length, 0)
      }),
    120_000
  )

  it.scopedLive("a number below its minimum is an input error before anything runs, dry run or not", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const project = ["--db", db, "--assets", fixture("flaky")]
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [["materialize", "--rpm", "0"], "--rpm must be at least 1"],
        [["materialize", "--rpm", "-5"], "--rpm must be at least 1"],
        [["extract", "--requests-per-minute", "0"], "--rpm must be at least 1"],
        [["transform", "--rpm", "-1", "--dry-run"], "--rpm must be at least 1"],
        [["run", "--concurrency", "-3"], "--concurrency must be at least 1"],
        [["materialize", "--max-restarts", "-1", "--dry-run"], "--max-restarts must be 0 or more"],
        [["materialize", "--restart-delay", "0s", "--dry-run"], "--restart-delay must be above zero"],
        [["materialize", "--request-timeout", "0s", "--dry-run"], "--request-timeout must be above zero"]
      ]
      for (const [args, message] of cases) {
        const out = yield* baliza(...project, ...args, "--day", "2024-01-02")
        assert.strictEqual(out.code, 2, `${args.join(" ")}: ${out.stderr}`)
        assert.include(out.stderr, message, args.join(" "))
        assert.notInclude(out.stderr, "    at ", args.join(" "))
      }
      assert.isFalse(NodeFs.existsSync(db), "nothing ran")
    }))

  it.scopedLive("a dry run writes nothing into an existing file: one that needs migrations is exit 3", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      yield* Effect.scoped(
        Effect.flatMap(DuckDB.make({ path: db }), (handle) => handle.execute("CREATE TABLE notes (note VARCHAR)"))
      )
      const foreign = yield* baliza("--db", db, "materialize", "--dry-run", "--day", "2024-07-01")
      assert.strictEqual(foreign.code, 3, foreign.stderr)
      assert.include(foreign.stderr, "`baliza init` applies them")
      assert.strictEqual(yield* count(db, "SELECT count(*) AS n FROM duckdb_tables()"), 1)
      // a database of this version is planned over, read-only
      NodeFs.rmSync(db)
      assert.strictEqual((yield* baliza("--db", db, "init")).code, 0)
      const planned = yield* baliza("--db", db, "materialize", "--dry-run", "--day", "2024-07-01")
      assert.strictEqual(planned.code, 0, planned.stderr)
      assert.include(planned.stdout, "Missing")
    }))

  it.scopedLive("--modalidades with a selection of no day × modalidade asset is refused, naming the selection", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [["materialize", "--select", "pncp/staging/contratacoes"], "\"pncp/staging/contratacoes\" selects none"],
        [["transform"], "and not layer:raw\" selects none"],
        [["--assets", fixture("flaky"), "materialize", "--select", "*"], "\"*\" selects none"]
      ]
      for (const [args, message] of cases) {
        const out = yield* baliza("--db", db, ...args, "--day", "2024-07-01", "--modalidades", "6", "--dry-run")
        assert.strictEqual(out.code, 2, `${args.join(" ")}: ${out.stdout.slice(0, 200)}`)
        assert.include(out.stderr, "--modalidades applies to the assets partitioned by day and modalidade", message)
        assert.include(out.stderr, message)
      }
      const narrowed = yield* baliza(
        "--db",
        db,
        "materialize",
        "--day",
        "2024-07-01",
        "--modalidades",
        "6",
        "--dry-run"
      )
      assert.strictEqual(narrowed.code, 0, narrowed.stderr)
      assert.isFalse(NodeFs.existsSync(db), "a dry run creates no database")
    }))

  it.scopedLive(
    "--max-duration stops the run (exit 1) with its figures in --metrics-json; the next run resumes",
    () =>
      Effect.gen(function*() {
        const { db, dir } = yield* tempDatabase
        const project = ["--db", db, "--assets", fixture("flaky")]
        const window = ["--from", "2024-01-01", "--to", "2024-01-10", "--concurrency", "1"]
        const first = NodePath.join(dir, "first.json")
        yield* withEnv("BALIZA_TEST_SLOW_MS", "300")
        const limited = ["--max-duration", "2s", "--metrics-json", first]
        const stopped = yield* baliza(...project, "--json", "materialize", ...window, ...limited)
        assert.strictEqual(stopped.code, 1, stopped.stderr)
        assert.include(stopped.stderr, "Stopped after --max-duration 2s")
        const partial = JSON.parse(NodeFs.readFileSync(first, "utf8"))
        assert.strictEqual(partial.status, "Interrupted")
        assert.strictEqual(partial.stoppedAfter, "2s")
        // --json: the stopped run's result is the one JSON document on stdout, as the metrics file has it
        const { restarts: _, ...document } = partial
        assert.deepStrictEqual(JSON.parse(stopped.stdout), document)
        assert.match(partial.runId, /\S/)
        // 10 days of events and staged events, and the mart: some ran, the rest did not
        assert.isAbove(partial.succeeded, 0)
        assert.strictEqual(partial.succeeded + partial.failed + partial.skipped, 21)
        assert.isAbove(partial.skipped, 0)

        yield* withEnv("BALIZA_TEST_SLOW_MS", "0")
        const second = NodePath.join(dir, "second.json")
        const resumed = yield* baliza(...project, "materialize", ...window, "--metrics-json", second)
        assert.strictEqual(resumed.code, 0, resumed.stderr)
        const rest = JSON.parse(NodeFs.readFileSync(second, "utf8"))
        assert.strictEqual(rest.status, "Success")
        assert.isUndefined(rest.stoppedAfter)
        assert.strictEqual(rest.succeeded, 21 - partial.succeeded, "what the stopped run did is not run again")
      }),
    60_000
  )

  it.scopedLive("--metrics-json: checked before the run; a write that fails after it keeps the summary", () =>
    Effect.gen(function*() {
      const { db, dir } = yield* tempDatabase
      const project = ["--db", db, "--assets", fixture("flaky")]
      // never the database itself, however it is spelled
      const itself = NodePath.join(dir, ".", NodePath.basename(db))
      for (const path of [NodePath.join(dir, "no-such-dir", "metrics.json"), dir, itself, `${db}.wal`]) {
        const refused = yield* baliza(...project, "materialize", "--day", "2024-01-02", "--metrics-json", path)
        assert.strictEqual(refused.code, 2, refused.stderr)
        assert.include(refused.stderr, `Cannot write --metrics-json ${path}`)
        assert.strictEqual(refused.stdout, "")
        assert.isFalse(NodeFs.existsSync(db), "nothing ran")
      }

      // The mart makes a directory where the metrics go: writable when checked, not when written.
      const metrics = NodePath.join(dir, "metrics.json")
      yield* withEnv("BALIZA_TEST_BLOCK", metrics)
      const ran = yield* baliza(...project, "materialize", "--day", "2024-01-02", "--metrics-json", metrics)
      assert.strictEqual(ran.code, 2, ran.stderr)
      assert.include(ran.stdout, "Success: 3 step(s) succeeded")
      assert.include(ran.stderr, `Cannot write --metrics-json ${metrics}`)

      // A run whose steps fail keeps its exit code 1 (t/raw/extra fails, the mart beside it blocks the file).
      const again = NodePath.join(dir, "again.json")
      yield* withEnv("BALIZA_TEST_BLOCK", again)
      yield* withEnv("BALIZA_TEST_FAIL_DAYS", "2024-01-03")
      const failed = yield* baliza(
        ...project,
        "materialize",
        "--select",
        "t/raw/extra or t/marts/summary",
        "--day",
        "2024-01-03",
        "--force",
        "--max-restarts",
        "0",
        "--metrics-json",
        again
      )
      assert.strictEqual(failed.code, 1, failed.stderr)
      assert.include(failed.stdout, "failed t/raw/extra[2024-01-03]")
      assert.include(failed.stderr, `Cannot write --metrics-json ${again}`)
    }))

  it.scopedLive("a failure a restart cannot change (a failed check) is not restarted; one that may pass is", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const project = ["--db", db, "--assets", fixture("checked")]
      const checked = yield* baliza(...project, "materialize", "--day", "2024-03-01", "--restart-delay", "1s")
      assert.strictEqual(checked.code, 1, checked.stderr)
      assert.include(checked.stdout, "failed c/raw/checked[2024-03-01]")
      assert.notInclude(checked.stderr, "restarting from the checkpoints")
      assert.include(checked.stderr, "for a reason a restart cannot change (AssetCheckFailed); not restarting")
      assert.include(checked.stderr, "Fix what the failures say, then run `baliza materialize` again")
      assert.include(checked.stderr, "what committed is not done again")
      assert.notInclude(checked.stderr, "pages")

      // With a failure that may be transient beside it, the run restarts as before.
      yield* withEnv("BALIZA_TEST_FAIL_DAYS", "2024-03-02")
      const mixed = yield* baliza(
        ...project,
        "materialize",
        "--day",
        "2024-03-02",
        "--max-restarts",
        "1",
        "--restart-delay",
        "1s"
      )
      assert.strictEqual(mixed.code, 1, mixed.stderr)
      assert.include(mixed.stderr, "restarting from the checkpoints in 1s (restart 1 of 1)")
      assert.include(mixed.stderr, "Run `baliza materialize` again")
    }))

  it.scopedLive("a forced run that restarts keeps what it did: its restart runs only the failed steps", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const project = ["--db", db, "--assets", fixture("flaky")]
      assert.strictEqual(
        (yield* baliza(...project, "materialize", "--from", "2024-01-01", "--to", "2024-01-03")).code,
        0
      )
      yield* withEnv("BALIZA_TEST_FAIL_DAYS", "2024-01-02")
      const forced = yield* baliza(
        ...project,
        "--json",
        "materialize",
        "--from",
        "2024-01-01",
        "--to",
        "2024-01-03",
        "--force",
        "--max-restarts",
        "1",
        "--restart-delay",
        "1s"
      )
      assert.strictEqual(forced.code, 1, forced.stderr)
      assert.include(forced.stderr, "restarting from the checkpoints in 1s (restart 1 of 1)")
      // the restart's result: the failed day again, nothing that the forced run had done
      const result = JSON.parse(forced.stdout.trim().split("\n").at(-1) ?? "{}")
      assert.strictEqual(result.succeeded, 0, forced.stdout)
      assert.strictEqual(result.failed, 1, forced.stdout)
    }))
})
