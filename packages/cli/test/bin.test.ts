/**
 * `baliza` as a real process: exit codes, a locked database, and Ctrl-C (SIGINT) during a materialize followed by a
 * resume that completes with no page stored twice.
 */
import { DuckDB } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import * as NodeChild from "node:child_process"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import { baliza, count, fixture, tempDatabase, withEnv, withFake } from "./fixtures/run.js"

const bin = NodePath.resolve(__dirname, "../bin/baliza.mjs")

interface Child {
  readonly exited: Promise<{ readonly code: number | null; readonly stderr: string; readonly stdout: string }>
  readonly process: NodeChild.ChildProcess
  /** What it printed on stdout so far. */
  readonly stdout: () => string
}

/** `baliza args…` in its own process group (as a terminal runs it, so Ctrl-C reaches the whole group). */
const spawn = (args: ReadonlyArray<string>): Child => {
  const child = NodeChild.spawn(process.execPath, [bin, ...args], { detached: true, stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stderr, stdout }))
  )
  return { exited, process: child, stdout: () => stdout }
}

describe("baliza (process)", () => {
  it.scopedLive(
    "exit codes: 2 for bad input, 3 for a database locked by another process",
    () =>
      Effect.gen(function*() {
        const { db } = yield* tempDatabase
        const bad = yield* Effect.promise(() => spawn(["--db", db, "materialize", "--month", "2024-7"]).exited)
        assert.strictEqual(bad.code, 2)
        assert.include(bad.stderr, "YYYY-MM")
        // This process holds the file open for writing.
        yield* DuckDB.make({ path: db })
        const locked = yield* Effect.promise(() => spawn(["--db", db, "assets"]).exited)
        assert.strictEqual(locked.code, 3, locked.stderr)
        assert.include(locked.stderr, "locked")
        assert.include(locked.stderr, db)
      }),
    60_000
  )

  it.scopedLive(
    "logs go to stderr only: stdout of --json is the JSON result, even at debug level",
    () =>
      Effect.gen(function*() {
        const { db } = yield* tempDatabase
        const init = yield* Effect.promise(() => spawn(["--db", db, "--log-level", "debug", "--json", "init"]).exited)
        assert.strictEqual(init.code, 0, init.stderr)
        assert.include(init.stderr, "migration")
        const result = JSON.parse(init.stdout) as { readonly database?: string }
        assert.strictEqual(result.database, db)
      }),
    60_000
  )

  it.scopedLive(
    "--log-level=LEVEL is read as --log-level LEVEL; a reader that closes the pipe early ends baliza quietly",
    () =>
      Effect.gen(function*() {
        const { db } = yield* tempDatabase
        const init = yield* Effect.promise(() => spawn(["--db", db, "--log-level=debug", "init"]).exited)
        assert.strictEqual(init.code, 0, init.stderr)
        assert.include(init.stderr, "migration")
        // `baliza query … --csv | head -1`: the pipe closes after the first chunk
        const query = spawn(["--db", db, "query", "SELECT range AS n FROM range(2000000)", "--csv"])
        query.process.stdout!.once("data", () => query.process.stdout!.destroy())
        const piped = yield* Effect.promise(() => query.exited)
        assert.strictEqual(piped.code, 0, piped.stderr)
        assert.notInclude(piped.stderr, "EPIPE")
      }),
    60_000
  )

  it.scopedLive(
    "Ctrl-C stops a materialize with exit 130 and a hint; the next run resumes and stores no page twice",
    () =>
      Effect.gen(function*() {
        const { db, global } = yield* withFake({ scale: 0.05, faults: { latency: { _tag: "Fixed", ms: 40 } } })
        const args = ["materialize", "--from", "2024-07-01", "--to", "2024-07-03", "--concurrency", "4"]
        const child = spawn([...global, ...args])
        // Interrupt once some pages are committed (the WAL grows), bounded in time.
        const deadline = Date.now() + 30_000
        while (
          Date.now() < deadline && !(NodeFs.existsSync(`${db}.wal`) && NodeFs.statSync(`${db}.wal`).size > 200_000)
        ) {
          yield* Effect.sleep("100 millis")
        }
        process.kill(-child.process.pid!, "SIGINT")
        const stopped = yield* Effect.promise(() => child.exited)
        assert.strictEqual(stopped.code, 130, stopped.stderr)
        assert.strictEqual(stopped.stderr.split("run the same command again to resume").length - 1, 1, stopped.stderr)

        const pagesBefore = yield* count(db, "SELECT count(*) AS n FROM raw.api_requests")
        assert.isAbove(pagesBefore, 0)
        const resumed = yield* baliza(...global, "--json", ...args)
        assert.strictEqual(resumed.code, 0, resumed.stderr)
        assert.strictEqual(JSON.parse(resumed.stdout).status, "Success")
        const duplicates = yield* count(
          db,
          `SELECT count(*) AS n FROM (SELECT endpoint, partition_key, page FROM raw.api_requests
         GROUP BY ALL HAVING count(*) > 1)`
        )
        assert.strictEqual(duplicates, 0)
        const again = yield* baliza(...global, "--json", ...args)
        assert.strictEqual(JSON.parse(again.stdout).succeeded, 0)
      }),
    120_000
  )

  it.scopedLive(
    "retry-failed after a killed (SIGKILL) materialize runs what the run left to do, and nothing outside it",
    () =>
      Effect.gen(function*() {
        const { db } = yield* tempDatabase
        const project = ["--db", db, "--assets", fixture("flaky")]
        const range = ["--from", "2024-01-01", "--to", "2024-01-08"]
        // 8 days of t/raw/events, t/raw/extra and t/staging/events, and the mart: 25 steps, one at a time
        yield* withEnv("BALIZA_TEST_SLOW_MS", "250")
        const child = spawn([...project, "materialize", "--select", "*", ...range, "--concurrency", "1"])
        yield* Effect.addFinalizer(() => Effect.sync(() => child.process.kill("SIGKILL")))
        // Killed once steps are being recorded (the WAL grows), bounded in time.
        const deadline = Date.now() + 30_000
        while (Date.now() < deadline && !(NodeFs.existsSync(`${db}.wal`) && NodeFs.statSync(`${db}.wal`).size > 0)) {
          yield* Effect.sleep("100 millis")
        }
        yield* Effect.sleep("1500 millis")
        // the whole group: the bin runs the CLI in a child process of its own
        process.kill(-child.process.pid!, "SIGKILL")
        yield* Effect.promise(() => child.exited)
        const materialized = () => count(db, "SELECT count(*) AS n FROM meta.asset_state WHERE status = 'Materialized'")
        // The killed CLI process may hold the file's lock a moment longer than the bin that started it.
        const before = yield* materialized().pipe(Effect.retry({ times: 50, schedule: Schedule.spaced("100 millis") }))
        assert.isAbove(before, 0)
        assert.isBelow(before, 25)

        yield* withEnv("BALIZA_TEST_SLOW_MS", "0")
        const status = yield* baliza(...project, "status")
        assert.strictEqual(status.code, 0, status.stderr)
        assert.match(
          status.stdout,
          new RegExp(`left ${25 - before} step\\(s\\) to do: \`baliza retry-failed\` runs them`)
        )
        const dry = yield* baliza(...project, "--json", "materialize", "--select", "*", "--only", "failed", "--dry-run")
        assert.strictEqual(dry.code, 0, dry.stderr)
        assert.strictEqual(JSON.parse(dry.stdout).toRun, 25 - before)
        // retry-failed plans every day since 2024-01-01 and runs only the killed run's leftovers
        const retried = yield* baliza(...project, "retry-failed")
        assert.strictEqual(retried.code, 0, retried.stderr)
        assert.strictEqual(yield* materialized(), 25)
        const again = yield* baliza(...project, "--json", "materialize", "--select", "*", ...range, "--dry-run")
        assert.strictEqual(JSON.parse(again.stdout).toRun, 0)
      }),
    90_000
  )

  it.scopedLive(
    "--json serve prints one JSON line with the URL and the database on stdout; Ctrl-C stops it with 130, saying so",
    () =>
      Effect.gen(function*() {
        const { db } = yield* tempDatabase
        const child = spawn(["--db", db, "--json", "serve", "--port", "0"])
        yield* Effect.addFinalizer(() => Effect.sync(() => child.process.kill("SIGKILL")))
        for (let i = 0; i < 300 && !child.stdout().includes("\n"); i++) yield* Effect.sleep("100 millis")
        const [line = "", ...rest] = child.stdout().split("\n")
        assert.deepStrictEqual(rest, [""], child.stdout())
        const announced: { url: string; database: string } = JSON.parse(line)
        assert.match(announced.url, /^http:\/\/127\.0\.0\.1:\d+$/)
        assert.strictEqual(announced.database, db)
        const openapi = yield* Effect.promise(() => fetch(`${announced.url}/api/openapi.json`))
        assert.strictEqual(openapi.status, 200)
        process.kill(-child.process.pid!, "SIGINT")
        const stopped = yield* Effect.promise(() => child.exited)
        assert.strictEqual(stopped.code, 130, stopped.stderr)
        // a server has nothing to resume: it says it stopped, not the sentence of an interrupted run
        assert.strictEqual(stopped.stderr, "\nbaliza: stopped.\n")
      }),
    60_000
  )

  it.scopedLive(
    "ui: the page and the API on a free port, with the project's schedule; a run launched over HTTP lands in the file; Ctrl-C stops it with 130",
    () =>
      Effect.gen(function*() {
        const { db, global } = yield* withFake({ scale: 0.02 })
        const child = spawn([...global, "ui", "--port", "0"])
        yield* Effect.addFinalizer(() => Effect.sync(() => child.process.kill("SIGKILL")))
        let url: string | undefined
        for (let i = 0; i < 300 && url === undefined; i++) {
          yield* Effect.sleep("100 millis")
          url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stdout())?.[1]
        }
        assert.isDefined(url, child.stdout())
        const page = yield* Effect.promise(() =>
          fetch(`${url}/`).then(async (response) => ({
            type: response.headers.get("content-type"),
            body: await response.text()
          }))
        )
        assert.include(page.type ?? "", "text/html")
        assert.include(page.body, "/ui/app.js")
        const schedules = yield* Effect.promise(() =>
          fetch(`${url}/api/schedules`).then((response) =>
            response.json() as Promise<ReadonlyArray<{ readonly name: string; readonly nextTick: number | null }>>
          )
        )
        const daily = schedules.find((schedule) => schedule.name === "pncp-daily")
        assert.isDefined(daily)
        assert.isDefined(schedules.find((schedule) => schedule.name === "pncp-monthly"))
        assert.isAbove(daily?.nextTick ?? 0, Date.now())
        const launched = yield* Effect.promise(() =>
          fetch(`${url}/api/runs`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ selection: "pncp/raw/atas", partitions: "2024-07-01..2024-07-31" })
          }).then((response) => response.json() as Promise<{ readonly runId: string }>)
        )
        let status = "Running"
        for (let i = 0; i < 300 && status === "Running"; i++) {
          yield* Effect.sleep("100 millis")
          status = yield* Effect.promise(() =>
            fetch(`${url}/api/runs/${launched.runId}`).then((response) =>
              response.ok
                ? (response.json() as Promise<{ readonly status: string }>).then((run) => run.status)
                : "Running"
            )
          )
        }
        assert.strictEqual(status, "Success")
        process.kill(-child.process.pid!, "SIGINT")
        const stopped = yield* Effect.promise(() => child.exited)
        assert.strictEqual(stopped.code, 130, stopped.stderr)
        assert.strictEqual(stopped.stderr, "\nbaliza: stopped.\n")
        // The server released the file: the run's pages are there.
        assert.isAbove(yield* count(db, "SELECT count(*) AS n FROM raw.api_requests WHERE endpoint = 'atas'"), 0)
      }),
    60_000
  )
})
