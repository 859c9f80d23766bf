/**
 * The reading commands on a day materialized from the PNCP fake: lineage as a tree and as Mermaid, the catalog, CSV
 * and JSON query output, and a run's events as JSON.
 */
import { EventLog } from "@baliza/core"
import { DuckDB, DuckDBEventLog } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import { baliza, count, fixture, tempDatabase, withEnv, withFake } from "./fixtures/run.js"

describe("baliza lineage, dump-catalog, query, events", () => {
  it.scopedLive("read what one materialized day holds", () =>
    Effect.gen(function*() {
      const { db, fake } = yield* withFake()
      const run = yield* baliza(
        "--db",
        db,
        "--base-url",
        fake.consultaUrl,
        "--details-url",
        fake.detailsUrl,
        "--json",
        "materialize",
        "--day",
        "2024-07-08"
      )
      assert.strictEqual(run.code, 0, run.stderr)
      // The month of atas in force (pncp/raw/atas is by month): a run of the whole month fetches it, not the day's.
      const month = yield* baliza(
        "--db",
        db,
        "--base-url",
        fake.consultaUrl,
        "materialize",
        "--select",
        "pncp/raw/atas",
        "--month",
        "2024-07"
      )
      assert.strictEqual(month.code, 0, month.stderr)
      // status --from/--to shows the month's step when those days cover it, as materialize takes them
      const stepsOf = (from: string, to: string) =>
        Effect.map(baliza("--db", db, "--json", "status", "--from", from, "--to", to), (status) => {
          assert.strictEqual(status.code, 0, status.stderr)
          const steps: ReadonlyArray<{ asset: string; partition: string | null }> = JSON.parse(status.stdout).steps
          return steps.filter((step) => step.asset === "pncp/raw/atas").map((step) => step.partition)
        })
      assert.deepStrictEqual(yield* stepsOf("2024-07-08", "2024-07-08"), [])
      assert.deepStrictEqual(yield* stepsOf("2024-07-01", "2024-07-31"), ["2024-07"])
      assert.deepStrictEqual(yield* stepsOf("2024-06-30", "2024-08-02"), ["2024-07"])
      // --partition: the month's key is one status can show by itself, counting over the assets that have it
      const atasOf = (partition: string) =>
        Effect.map(baliza("--db", db, "--json", "status", "--partition", partition), (status) => {
          assert.strictEqual(status.code, 0, status.stderr)
          const parsed: { steps: ReadonlyArray<{ asset: string; partition: string | null }>; missing: number } = JSON
            .parse(status.stdout)
          const atas = parsed.steps.filter((step) => step.asset === "pncp/raw/atas").map((step) => step.partition)
          return { atas, missing: parsed.missing }
        })
      assert.deepStrictEqual((yield* atasOf("2024-07-08")).atas, [])
      assert.deepStrictEqual(yield* atasOf("2024-07"), { atas: ["2024-07"], missing: 0 })
      // --partition takes a range of days as materialize does: the steps --from/--to show
      const recorded = (...args: ReadonlyArray<string>) =>
        Effect.map(baliza("--db", db, "--json", "status", ...args), (status) => {
          assert.strictEqual(status.code, 0, status.stderr)
          return (JSON.parse(status.stdout).steps as ReadonlyArray<unknown>).length
        })
      const inRange = yield* recorded("--partition", "2024-07-07..2024-07-08")
      assert.isAbove(inRange, 10)
      assert.strictEqual(inRange, yield* recorded("--from", "2024-07-07", "--to", "2024-07-08"))

      const tree = yield* baliza("--db", db, "lineage", "*pncp/marts/contratos_fornecedor")
      assert.include(
        tree.stdout,
        "pncp/raw/contratos\n  └─ pncp/staging/contratos\n    └─ pncp/marts/contratos_fornecedor"
      )
      const mermaid = yield* baliza("--db", db, "lineage", "--mermaid", "pncp/raw/contratos+")
      assert.match(mermaid.stdout, /^flowchart LR\n/)
      assert.include(mermaid.stdout, "pncp_raw_contratos --> pncp_staging_contratos")
      const json = yield* baliza("--db", db, "--json", "lineage", "+pncp/staging/contratos")
      assert.deepStrictEqual(JSON.parse(json.stdout), [
        { key: "pncp/raw/contratos", deps: [] },
        { key: "pncp/raw/contratos_atualizacao", deps: [] },
        { key: "pncp/staging/contratos", deps: ["pncp/raw/contratos", "pncp/raw/contratos_atualizacao"] }
      ])

      const catalog = yield* baliza("--db", db, "--json", "dump-catalog")
      const tables: ReadonlyArray<
        { schema: string; table: string; rows: number; columns: ReadonlyArray<{ name: string }> }
      > = JSON.parse(catalog.stdout)
      const contratos = tables.find((t) => t.schema === "staging" && t.table === "contratos")
      assert.isDefined(contratos)
      assert.isAbove(contratos!.rows, 0)
      assert.isTrue(contratos!.columns.some((c) => c.name === "numeroControlePNCP"))
      assert.isTrue(tables.some((t) => t.schema === "raw" && t.table === "payload_index"))

      const csv = yield* baliza(
        "--db",
        db,
        "query",
        "--csv",
        "SELECT codigo, nome FROM staging.ref_modalidade ORDER BY codigo LIMIT 2"
      )
      assert.strictEqual(csv.stdout, "codigo,nome\n1,Leilão - Eletrônico\n2,Diálogo Competitivo\n")

      const runId = String(JSON.parse(run.stdout).runId)
      const events = yield* baliza("--db", db, "--json", "events", runId, "--limit", "5")
      const lines = events.stdout.trim().split("\n").map((line) => JSON.parse(line))
      assert.strictEqual(lines.length, 5)
      assert.strictEqual(lines[0]._tag, "RunStarted")
      const stored = yield* count(db, `SELECT count(*) AS n FROM meta.events WHERE run_id = '${runId}'`)
      assert.include(events.stderr, `${stored - 5} more event(s) of run ${runId} after these 5 (--limit 5)`)
      const unknown = yield* baliza("--db", db, "events", "no-such-run")
      assert.strictEqual(unknown.code, 2)

      // Without --from/--to, status plans over the days on record, which the month's key is not: a lost step shows.
      yield* Effect.scoped(Effect.flatMap(DuckDB.make({ path: db }), (handle) =>
        handle.execute(
          "DELETE FROM meta.asset_state WHERE asset_key = 'pncp/raw/contratos' AND partition_key = '2024-07-08'"
        )))
      const lost = yield* baliza("--db", db, "status")
      assert.strictEqual(lost.code, 0, lost.stderr)
      // (and staging.atas and marts.atas_vigentes_mensal, which reads the atas' extraction state, are stale: the
      // month's atas came after they were built)
      assert.include(lost.stdout, "; 1 missing, 2 stale", lost.stdout)
    }), 120_000)

  it.scopedLive("status --from/--to shows those days' steps and the unpartitioned ones, in text and JSON", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const project = ["--db", db, "--assets", fixture("flaky")]
      const ok = yield* baliza(...project, "materialize", "--select", "*", "--from", "2024-01-01", "--to", "2024-01-02")
      assert.strictEqual(ok.code, 0, ok.stderr)
      yield* withEnv("BALIZA_TEST_FAIL_DAYS", "2024-01-03")
      const failed = yield* baliza(
        ...project,
        "materialize",
        "--select",
        "*",
        "--day",
        "2024-01-03",
        "--max-restarts",
        "0"
      )
      assert.strictEqual(failed.code, 1, failed.stderr)

      const day = yield* baliza(...project, "--json", "status", "--from", "2024-01-02", "--to", "2024-01-02")
      assert.strictEqual(day.code, 0, day.stderr)
      const steps: ReadonlyArray<{ asset: string; partition: string | null }> = JSON.parse(day.stdout).steps
      assert.deepStrictEqual(
        steps.map((step) => `${step.asset}[${step.partition ?? ""}]`).sort(),
        ["t/marts/summary[]", "t/raw/events[2024-01-02]", "t/raw/extra[2024-01-02]", "t/staging/events[2024-01-02]"]
      )

      const range = yield* baliza(...project, "status", "--from", "2024-01-02", "--to", "2024-01-03")
      assert.strictEqual(range.code, 0, range.stderr)
      // 2024-01-03: both raw assets failed, staging was skipped (no record); the mart keeps its record of the first run.
      assert.include(range.stdout, "6 step(s) recorded for 2024-01-02..2024-01-03 (and the unpartitioned ones)")
      assert.include(range.stdout, "4 materialized, 2 failed")
      const all = yield* baliza(...project, "status")
      assert.include(all.stdout, "9 step(s) recorded: 7 materialized, 2 failed")
      // a partition no asset has is an input error, as for materialize
      const bogus = yield* baliza(...project, "status", "--partition", "bogus")
      assert.strictEqual(bogus.code, 2, bogus.stdout)
    }))

  it.scopedLive("status lists 50 failed steps and says how many more there are", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const project = ["--db", db, "--assets", fixture("flaky")]
      const days = Array.from({ length: 27 }, (_, i) => `2024-01-${String(i + 1).padStart(2, "0")}`)
      yield* withEnv("BALIZA_TEST_FAIL_DAYS", days.join(","))
      const run = yield* baliza(
        ...project,
        "materialize",
        "--select",
        "layer:raw",
        "--from",
        days[0]!,
        "--to",
        days[26]!,
        "--max-restarts",
        "0"
      )
      assert.strictEqual(run.code, 1, run.stderr)
      const status = yield* baliza(...project, "status")
      assert.strictEqual(status.code, 0, status.stderr)
      assert.include(status.stdout, "54 failed")
      assert.strictEqual(status.stdout.split("\n").filter((line) => line.startsWith("  failed ")).length, 50)
      assert.include(status.stdout, "  … and 4 more (`--json` lists all)")
    }))

  it.scopedLive("events prints every event of a run, a page at a time; --limit says how many it left", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      assert.strictEqual((yield* baliza("--db", db, "init")).code, 0)
      const runId = "20240101-000000-long"
      const step = (i: number) => ({
        _tag: "StepStarted" as const,
        runId,
        timestamp: 1_000 + i,
        assetKey: "a",
        partitionKey: null,
        attempt: i
      })
      yield* Effect.flatMap(EventLog.EventLog, (log) =>
        Effect.zipRight(
          log.append([
            {
              _tag: "RunStarted",
              runId,
              timestamp: 1_000,
              selection: "*",
              partitions: null,
              plannedSteps: 1,
              skippedSteps: 0,
              tags: {}
            },
            ...Array.from({ length: 2_500 }, (_, i) => step(i + 1))
          ]),
          log.flush
        )).pipe(
          Effect.provide(DuckDBEventLog.layer().pipe(Layer.provide(DuckDB.layer({ path: db })))),
          Effect.scoped
        )
      const all = yield* baliza("--db", db, "--json", "events", runId)
      assert.strictEqual(all.code, 0, all.stderr)
      const lines = all.stdout.trim().split("\n").map((line) => JSON.parse(line))
      assert.strictEqual(lines.length, 2_501)
      assert.deepStrictEqual([lines[0]._tag, lines[2_500].attempt], ["RunStarted", 2_500])
      assert.strictEqual(all.stderr, "")
      const some = yield* baliza("--db", db, "events", runId, "--limit", "1200")
      assert.strictEqual(some.code, 0, some.stderr)
      assert.strictEqual(some.stdout.trim().split("\n").length, 1200)
      assert.include(some.stderr, `1301 more event(s) of run ${runId} after these 1200 (--limit 1200)`)
    }))

  it.scopedLive("assets on a DuckDB file of another program lists it read-only: nothing is migrated into it", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      yield* Effect.scoped(
        Effect.flatMap(DuckDB.make({ path: db }), (handle) => handle.execute("CREATE TABLE notes (note VARCHAR)"))
      )
      const out = yield* baliza("--db", db, "assets")
      assert.strictEqual(out.code, 3, out.stderr)
      assert.include(out.stderr, "`baliza init` applies them")
      assert.strictEqual(yield* count(db, "SELECT count(*) AS n FROM duckdb_tables()"), 1)
    }))

  it.scopedLive("runs and events refuse a limit below 1; reading commands create no database", () =>
    Effect.gen(function*() {
      const { db, dir } = yield* tempDatabase
      assert.strictEqual((yield* baliza("--db", db, "init")).code, 0)
      for (const args of [["runs", "--limit", "0"], ["runs", "--limit", "-1"], ["events", "x", "--limit", "0"]]) {
        const out = yield* baliza("--db", db, ...args)
        assert.strictEqual(out.code, 2, `${args.join(" ")}: ${out.stderr}`)
        assert.include(out.stderr, "--limit must be at least 1", args.join(" "))
      }

      const missing = NodePath.join(dir, "nowhere", "missing.duckdb")
      for (
        const args of [
          ["status"],
          ["recovery-status"],
          ["runs"],
          ["events", "x"],
          ["verify"],
          ["backup"],
          ["fetch-payload", "0".repeat(64)],
          ["query", "SELECT 1"]
        ]
      ) {
        const out = yield* baliza("--db", missing, ...args)
        assert.strictEqual(out.code, 3, `${args.join(" ")}: ${out.stderr}`)
        assert.include(out.stderr, `There is no database at ${missing} (\`baliza init\` creates one)`, args.join(" "))
      }
      // The graph is listed without a database, nothing materialized.
      const assets = yield* baliza("--db", missing, "--assets", fixture("flaky"), "--json", "assets")
      assert.strictEqual(assets.code, 0, assets.stderr)
      const rows: ReadonlyArray<{ key: string; materialized: number }> = JSON.parse(assets.stdout)
      assert.strictEqual(rows.length, 4)
      assert.isTrue(rows.every((row) => row.materialized === 0))
      assert.isFalse(NodeFs.existsSync(NodePath.dirname(missing)), "no file nor directory was created")
    }))

  it.scopedLive("status without the --assets that built the database says how many steps it does not show", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const built = yield* baliza("--db", db, "--assets", fixture("shop"), "materialize", "--day", "2024-03-01")
      assert.strictEqual(built.code, 0, built.stderr)

      // 1 day of shop/raw/orders and the unpartitioned shop/marts/revenue: 2 steps of 2 assets the PNCP pipeline lacks.
      const text = yield* baliza("--db", db, "status")
      assert.strictEqual(text.code, 0, text.stderr)
      assert.include(text.stdout, "0 step(s) recorded")
      assert.include(
        text.stdout,
        "The database also holds 2 step(s) of 2 asset(s) that are not in the PNCP pipeline: `--assets` with the " +
          "module that defines them shows them."
      )
      const json = yield* baliza("--db", db, "--json", "status")
      assert.strictEqual(json.code, 0, json.stderr)
      assert.deepStrictEqual(JSON.parse(json.stdout).notInProject, { steps: 2, assets: 2 })

      // With the module, they are the project's: nothing is left out.
      const mine = yield* baliza("--db", db, "--assets", fixture("shop"), "--json", "status")
      assert.strictEqual(mine.code, 0, mine.stderr)
      const document = JSON.parse(mine.stdout)
      assert.strictEqual(document.steps.length, 2)
      assert.deepStrictEqual(document.notInProject, { steps: 0, assets: 0 })
      const shown = yield* baliza("--db", db, "--assets", fixture("shop"), "status")
      assert.notInclude(shown.stdout, "also holds")
    }))
})
