/**
 * The chaos cases: what Baliza promises (a run can be killed, the server can misbehave, the machine can run short — no
 * data is lost, duplicated or corrupted, and the user is told what happened), checked against real `baliza` processes,
 * the PNCP fake on 127.0.0.1 and real DuckDB files.
 *
 * Every case compares its database with a reference: the same days materialized once, undisturbed, from a fake with
 * the same seed. Equal means every staging and mart table has the same rows (count and an order-free content hash) and
 * the raw archive the same pages, each stored once.
 */
import { DuckDB, Sql } from "@baliza/duckdb"
import { PncpFake, Warehouse } from "@baliza/pncp"
import * as KillResume from "@baliza/testing/KillResume"
import { Effect, Fiber, Layer, Option, Scope } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"
import * as Baliza from "./Baliza.js"

/** How big each case is: `full` for `npm run chaos`, `small` for the test suite. */
export interface Size {
  readonly name: string
  readonly from: string
  readonly to: string
  /** The fake's volume (1 = the real API's). */
  readonly scale: number
  readonly kills: number
  readonly killDelayMs: readonly [number, number]
  /** The hostile server's total outage (from the run's 20th request). */
  readonly outage: { readonly durationMs: number }
  readonly restartDelay: string
  /** The hostile case's `--request-timeout` (what a hang costs). */
  readonly requestTimeout: string
  /** Checkpoint writes to crash inside. */
  readonly crashPoints: ReadonlyArray<number>
  /** A bound on any one process. */
  readonly timeoutMs: number
  /** How long a squeezed run of the pressure case may stay busy before it counts as a crawl and is killed. */
  readonly squeezeMs: number
  readonly seed: number
}

export const full: Size = {
  name: "full",
  from: "2024-07-01",
  to: "2024-07-31",
  scale: 0.04,
  kills: 50,
  killDelayMs: [700, 2_500],
  outage: { durationMs: 60_000 },
  restartDelay: "30s",
  requestTimeout: "5s",
  crashPoints: [1, 3, 8, 15, 30],
  timeoutMs: 900_000,
  squeezeMs: 90_000,
  seed: 20261203
}

export const small: Size = {
  name: "small",
  from: "2024-07-01",
  to: "2024-07-02",
  scale: 0.02,
  kills: 3,
  killDelayMs: [1_500, 3_000],
  outage: { durationMs: 3_000 },
  restartDelay: "1s",
  requestTimeout: "2s",
  crashPoints: [2, 6],
  timeoutMs: 240_000,
  // the small squeezed runs fail in 5–13 s; a crawl would otherwise hold the test suite for 90 s
  squeezeMs: 30_000,
  seed: 7
}

/** One case's outcome: PASS when there is no problem; figures to print either way. */
export interface CaseReport {
  readonly name: string
  readonly passed: boolean
  readonly figures: ReadonlyArray<string>
  readonly problems: ReadonlyArray<string>
}

interface Reference {
  readonly fingerprint: Readonly<Record<string, string>>
  readonly requests: number
  readonly durationMs: number
}

/** What the cases share: the size, a scratch folder, and the undisturbed run (made once, on first use). */
export interface Lab {
  readonly size: Size
  readonly dir: string
  readonly reference: Effect.Effect<Reference, string>
}

const fakeOptions = (size: Size) => ({ scale: size.scale, seed: size.seed })

const globalArgs = (db: string, fake: PncpFake.PncpFake) => [
  "--db",
  db,
  "--base-url",
  fake.consultaUrl,
  "--details-url",
  fake.detailsUrl,
  "--json"
]

const materializeArgs = (size: Size) => ["materialize", "--from", size.from, "--to", size.to]

const describeOutcome = (outcome: Baliza.Outcome) =>
  outcome.timedOut
    ? timedOutLine(outcome)
    : `exit ${outcome.exitCode ?? outcome.signal}: ${(outcome.stderr.trim() || outcome.stdout.trim()).slice(-600)}`

/** A process killed for outliving its time: how long, what its diagnostic report said, and its last output. */
const timedOutLine = (outcome: Baliza.Outcome) =>
  `still running after ${(outcome.durationMs / 1000).toFixed(0)} s, killed (${outcome.report}); last output: ${
    outcome.stdout.trim().slice(-400)
  }`

/** A database's fingerprint (see `Warehouse.fingerprint`), read from the file without changing it. */
export const fingerprintOf = (path: string) =>
  Effect.gen(function*() {
    yield* DuckDB.execute(`ATTACH ${Sql.literal(path)} AS chaos_subject (READ_ONLY)`)
    return yield* Warehouse.fingerprint("chaos_subject")
  }).pipe(Effect.provide(Layer.fresh(DuckDB.layerMemory)), Effect.mapError((error) => error.message))

/** The differences between a database and the reference, one line each (none: equal). */
const differences = (lab: Lab, path: string) =>
  Effect.gen(function*() {
    const reference = yield* lab.reference
    const actual = yield* fingerprintOf(path)
    const keys = [...new Set([...Object.keys(reference.fingerprint), ...Object.keys(actual)])].sort()
    const problems = keys.flatMap((key) =>
      reference.fingerprint[key] === actual[key]
        ? []
        : [`${key}: ${actual[key] ?? "missing"}, the undisturbed run has ${reference.fingerprint[key] ?? "none"}`]
    )
    const [rows, pages] = (actual["raw.api_requests"] ?? "").split(":")
    if (rows !== pages) problems.push(`raw.api_requests: ${rows} rows for ${pages} pages (a page stored twice)`)
    return problems
  })

/** A scratch folder and the reference run, for the cases of one size. */
export const makeLab = (size: Size) =>
  Effect.gen(function*() {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-chaos-"))),
      (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
    )
    const scope = yield* Effect.scope
    const reference = yield* Effect.cached(
      Effect.gen(function*() {
        const fake = yield* PncpFake.make(fakeOptions(size))
        const db = NodePath.join(dir, "reference.duckdb")
        const outcome = yield* Baliza.run([...globalArgs(db, fake), ...materializeArgs(size)], size)
        if (outcome.exitCode !== 0) return yield* Effect.fail(`the reference run failed: ${describeOutcome(outcome)}`)
        return {
          fingerprint: yield* fingerprintOf(db),
          requests: (yield* fake.server.stats).requests,
          durationMs: outcome.durationMs
        }
      }).pipe(Scope.extend(scope))
    )
    const lab: Lab = { size, dir, reference }
    return lab
  })

const report = (name: string, figures: ReadonlyArray<string>, problems: ReadonlyArray<string>): CaseReport => ({
  name,
  passed: problems.length === 0,
  figures,
  problems
})

/** A case that could not run at all (the reference failed, a process could not start) is a FAIL with the reason. */
const guarded = (name: string, self: Effect.Effect<CaseReport, string>) =>
  self.pipe(Effect.catchAll((reason) => Effect.succeed(report(name, [], [reason]))))

/**
 * 1. Kill storm: `baliza materialize` SIGKILLed at `kills` seeded random moments and started again each time, until a
 *    run completes. The database equals the reference; pages fetched again are only those in flight at a kill.
 */
export const killStorm = (lab: Lab) =>
  guarded(
    "kill storm",
    Effect.scoped(Effect.gen(function*() {
      const { size } = lab
      const reference = yield* lab.reference
      const fake = yield* PncpFake.make(fakeOptions(size))
      const db = NodePath.join(lab.dir, "kill-storm.duckdb")
      const result = yield* KillResume.run({
        command: process.execPath,
        args: [...Baliza.commandLine, ...globalArgs(db, fake), ...materializeArgs(size), "--max-restarts", "0"],
        seed: size.seed,
        kills: size.kills,
        minDelayMs: size.killDelayMs[0],
        maxDelayMs: size.killDelayMs[1],
        timeoutMs: size.timeoutMs * 4
      }).pipe(Effect.mapError((error) => `kill/resume: ${error.message}`))
      const stats = yield* fake.server.stats
      const refetched = stats.log.filter((entry) => entry.n > 0 && entry.httpStatus === 200).length
      const problems = yield* differences(lab, db)
      if (result.exitCode !== 0) problems.push(`the last run exited ${result.exitCode}: ${result.stderr.slice(-400)}`)
      if (result.kills !== size.kills) problems.push(`${result.kills} kills happened, ${size.kills} were planned`)
      return report("kill storm", [
        `seed ${size.seed}`,
        `${result.kills} kills`,
        `${result.restarts} restarts`,
        `${stats.requests - reference.requests} extra requests (${stats.requests} vs ${reference.requests})`,
        `${refetched} pages fetched again`,
        `${(result.durationsMs.reduce((a, b) => a + b, 0) / 1000).toFixed(0)} s`
      ], problems)
    }))
  )

/**
 * 2. Hostile server: 10% 5xx, 5% 429 with Retry-After, 2% hangs, 2% truncated, 2% malformed, 1% resets and one total
 *    outage. The run completes, or every raw step that failed has its request in `meta.failed_requests`; once the
 *    faults stop, `baliza retry-failed` makes the database equal to the reference.
 */
export const hostileServer = (lab: Lab) =>
  guarded(
    "hostile server",
    Effect.scoped(Effect.gen(function*() {
      const { size } = lab
      const reference = yield* lab.reference
      const faults = {
        seed: size.seed,
        serverErrorRate: 0.1,
        rateLimitRate: 0.05,
        retryAfterSeconds: 1,
        hangRate: 0.02,
        truncateRate: 0.02,
        malformedRate: 0.02,
        resetRate: 0.01
      }
      const fake = yield* PncpFake.make({ ...fakeOptions(size), faults })
      // The outage starts once the run is under way (its 20th request), whatever the machine's start-up time.
      yield* Effect.forkScoped(Effect.gen(function*() {
        while ((yield* fake.server.stats).requests < 20) yield* Effect.sleep("50 millis")
        yield* fake.server.setFaults({ ...faults, outage: { active: true } })
        yield* Effect.sleep(size.outage.durationMs)
        yield* fake.server.setFaults(faults)
      }))
      const db = NodePath.join(lab.dir, "hostile.duckdb")
      const metrics = NodePath.join(lab.dir, "hostile-metrics.json")
      const first = yield* Baliza.run([
        ...globalArgs(db, fake),
        ...materializeArgs(size),
        "--request-timeout",
        size.requestTimeout,
        "--restart-delay",
        size.restartDelay,
        "--metrics-json",
        metrics
      ], size)
      const problems: Array<string> = []
      if (first.exitCode !== 0 && first.exitCode !== 1) problems.push(`the run crashed: ${describeOutcome(first)}`)
      const result = NodeFs.existsSync(metrics)
        ? JSON.parse(NodeFs.readFileSync(metrics, "utf8")) as {
          readonly failures: ReadonlyArray<{ readonly stepId: string }>
          readonly restarts: number
        }
        : { failures: [], restarts: 0 }
      const recorded = yield* DuckDB.query(
        `SELECT endpoint, coalesce(partition_key, '') AS partition_key, reason FROM meta.failed_requests
         WHERE NOT resolved`
      ).pipe(
        Effect.provide(Layer.fresh(DuckDB.layer({ path: db, readOnly: true }))),
        Effect.mapError((error) => error.message)
      )
      // Every raw step that failed names its request in meta.failed_requests.
      for (const failure of result.failures) {
        const match = /^pncp\/raw\/([a-z_]+)\[(.*)\]$/.exec(failure.stepId)
        if (match === null) continue
        if (!recorded.some((row) => row.endpoint === match[1] && row.partition_key === match[2])) {
          problems.push(`${failure.stepId} failed with no row in meta.failed_requests`)
        }
      }
      const served = yield* fake.server.stats
      const injected = served.faults
      // A request for a URL already asked for is a retry (or a resume); the log holds the last 10,000 requests.
      const retries = served.log.filter((entry) => entry.n > 0).length
      yield* fake.server.setFaults({}).pipe(Effect.mapError((error) => error.message))
      const retry = yield* Baliza.run([...globalArgs(db, fake), "retry-failed"], size)
      if (retry.exitCode !== 0) problems.push(`retry-failed: ${describeOutcome(retry)}`)
      problems.push(...yield* differences(lab, db))
      const byReason = new Map<string, number>()
      for (const row of recorded) byReason.set(String(row.reason), (byReason.get(String(row.reason)) ?? 0) + 1)
      return report("hostile server", [
        `faults injected ${Object.entries(injected).map(([kind, n]) => `${kind} ${n}`).join(", ")}`,
        `outage ${size.outage.durationMs / 1000} s`,
        `${retries} retries of ${served.requests} requests`,
        `run exit ${first.exitCode} after ${result.restarts} restarts, ${(first.durationMs / 1000).toFixed(0)} s`,
        `time lost ${((first.durationMs - reference.durationMs) / 1000).toFixed(0)} s`,
        `${result.failures.length} failed steps, ${recorded.length} failed requests recorded` +
        (byReason.size === 0 ? "" : ` (${[...byReason].map(([reason, n]) => `${reason} ${n}`).join(", ")})`),
        `retry-failed exit ${retry.exitCode}`
      ], problems)
    }))
  )

/**
 * 3. Concurrent runs: a second `materialize` on a file another process is writing fails fast with exit 3 and says the
 *    database is locked; the first is unaffected. Two processes on two files run side by side.
 */
export const concurrentRuns = (lab: Lab) =>
  guarded(
    "concurrent runs",
    Effect.scoped(Effect.gen(function*() {
      const { size } = lab
      const fake = yield* PncpFake.make(fakeOptions(size))
      // The first process must still hold the file when the second, a few seconds of start-up later, opens it: a
      // slow server keeps it busy (a fast run of the small month can end first; at 150 ms it once ended in 7 s).
      const slow = yield* PncpFake.make({ ...fakeOptions(size), faults: { latency: { _tag: "Fixed", ms: 400 } } })
      const shared = NodePath.join(lab.dir, "shared.duckdb")
      const first = yield* Effect.fork(Baliza.run([...globalArgs(shared, slow), ...materializeArgs(size)], size))
      // The first process holds the file once it exists; then the second one tries.
      for (let i = 0; i < 300 && !NodeFs.existsSync(shared); i++) yield* Effect.sleep("100 millis")
      yield* Effect.sleep("500 millis")
      const second = yield* Baliza.run([...globalArgs(shared, fake), ...materializeArgs(size)], size)
      const firstStillRunning = Option.isNone(yield* Fiber.poll(first))
      const firstOutcome = yield* first
      const problems: Array<string> = []
      if (!firstStillRunning) problems.push("the first process ended before the second one gave up: nothing was tested")
      if (second.exitCode !== 3) problems.push(`the second process: ${describeOutcome(second)}, expected exit 3`)
      if (!/locked/i.test(second.stderr)) problems.push(`the second process did not say "locked": ${second.stderr}`)
      if (firstOutcome.exitCode !== 0) problems.push(`the first process: ${describeOutcome(firstOutcome)}`)
      problems.push(...yield* differences(lab, shared))

      const [left, right] = yield* Effect.all([
        Baliza.run([...globalArgs(NodePath.join(lab.dir, "left.duckdb"), fake), ...materializeArgs(size)], size),
        Baliza.run([...globalArgs(NodePath.join(lab.dir, "right.duckdb"), fake), ...materializeArgs(size)], size)
      ], { concurrency: 2 })
      for (const [name, outcome] of [["left", left], ["right", right]] as const) {
        if (outcome.exitCode !== 0) problems.push(`${name}: ${describeOutcome(outcome)}`)
        problems.push(
          ...(yield* differences(lab, NodePath.join(lab.dir, `${name}.duckdb`))).map((p) => `${name}: ${p}`)
        )
      }
      return report("concurrent runs", [
        `second process exit ${second.exitCode} after ${(second.durationMs / 1000).toFixed(1)} s`,
        `first exit ${firstOutcome.exitCode} in ${(firstOutcome.durationMs / 1000).toFixed(0)} s`,
        `two files side by side: exit ${left.exitCode} and ${right.exitCode}, ` +
        `${(Math.max(left.durationMs, right.durationMs) / 1000).toFixed(0)} s`
      ], problems)
    }))
  )

/**
 * 4. Disk and memory pressure: a memory limit lower than the staging queries need, and a spill cap too small for
 *    what they spill. Each run fails with DuckDB's reason and a non-zero exit, leaves nothing half-written, and the
 *    next run with room completes and equals the reference. Now and then (2 runs in about 60) DuckDB does not fail
 *    but crawls, its threads busy evicting and reading blocks back (a CI run: 238 s of CPU in 243 s, the JS thread
 *    idle, 6 rows/s): a squeezed run still busy after `squeezeMs` is killed, recorded as a crawl, and the run with
 *    room must still complete and equal the reference. A squeezed run that is idle past its time is a failure.
 */
export const pressure = (lab: Lab) =>
  guarded(
    "disk and memory pressure",
    Effect.scoped(Effect.gen(function*() {
      const { size } = lab
      const fake = yield* PncpFake.make(fakeOptions(size))
      const problems: Array<string> = []
      const figures: Array<string> = []
      const squeezes = [
        // No spilling at all: what does not fit in 24 MB fails (the small lab's staging fits in 64 MB since its window
        // ranks narrow rows).
        { name: "memory", args: ["--memory-limit", "24MB", "--max-temp-size", "0KB"], expect: /memory/i },
        // Spilling allowed into a temp directory capped at 1 MB. DuckDB reports a spill that does not fit as out of
        // memory too.
        {
          name: "temp dir",
          args: ["--memory-limit", "24MB", "--temp-dir", NodePath.join(lab.dir, "spill"), "--max-temp-size", "1MB"],
          expect: /temp|memory|disk/i
        }
      ]
      const squeezeMs = Math.min(size.timeoutMs, size.squeezeMs)
      for (const squeeze of squeezes) {
        const db = NodePath.join(lab.dir, `pressure-${squeeze.name.replace(" ", "-")}.duckdb`)
        const squeezed = yield* Baliza.run([
          ...globalArgs(db, fake).slice(0, -1),
          ...squeeze.args,
          ...materializeArgs(size),
          "--max-restarts",
          "0"
        ], { ...size, timeoutMs: squeezeMs })
        const said = `${squeezed.stdout}\n${squeezed.stderr}`
        const crawled = Baliza.crawled(squeezed)
        if (crawled) figures.push(`${squeeze.name}: crawled, ${timedOutLine(squeezed).slice(0, 300)}`)
        else if (squeezed.exitCode === 0) {
          problems.push(`${squeeze.name}: the squeezed run succeeded; nothing was tested`)
        } else if (squeezed.timedOut) problems.push(`${squeeze.name}: ${timedOutLine(squeezed)}`)
        else if (squeezed.exitCode === null) problems.push(`${squeeze.name}: crashed (${squeezed.signal})`)
        if (!crawled && !squeeze.expect.test(said)) {
          problems.push(`${squeeze.name}: the reason was not given: ${said.slice(-400)}`)
        }
        if (/\n\s+at /.test(said)) problems.push(`${squeeze.name}: a stack trace was printed: ${said.slice(0, 600)}`)
        const roomy = yield* Baliza.run(
          [...globalArgs(db, fake), ...materializeArgs(size), "--max-restarts", "0"],
          size
        )
        if (roomy.exitCode !== 0) problems.push(`${squeeze.name}, the run with room: ${describeOutcome(roomy)}`)
        problems.push(...(yield* differences(lab, db)).map((p) => `${squeeze.name}: ${p}`))
        const reason = /(Out of Memory[^.\n]*|[^.\n]*max_temp_directory_size[^.\n]*|ran out of memory[^.\n(]*)/i.exec(
          said
        )
        figures.push(
          `${squeeze.name}: exit ${squeezed.exitCode} (${reason?.[0]?.trim().slice(0, 80) ?? "?"}) after ${
            (squeezed.durationMs / 1000).toFixed(0)
          } s, then exit ${roomy.exitCode}`
        )
      }
      return report("disk and memory pressure", figures, problems)
    }))
  )

const crashScript = fileURLToPath(new URL("./crashInTransaction.ts", import.meta.url))

/**
 * 5. Crash inside a transaction: the process SIGKILLs itself after a batch's pages were inserted and before the
 *    checkpoint that covers them was written. After each crash the file opens, and every checkpoint covers exactly the
 *    pages stored; the run that completes equals the reference, each page stored once.
 */
export const crashInTransaction = (lab: Lab) =>
  guarded(
    "crash inside a transaction",
    Effect.scoped(Effect.gen(function*() {
      const { size } = lab
      const fake = yield* PncpFake.make(fakeOptions(size))
      const db = NodePath.join(lab.dir, "crash.duckdb")
      const env = {
        BALIZA_DB: db,
        PNCP_CONSULTA_URL: fake.consultaUrl,
        PNCP_DETAILS_URL: fake.detailsUrl,
        BALIZA_PARTITIONS: `${size.from}..${size.to}`
      }
      const problems: Array<string> = []
      let crashes = 0
      for (const point of size.crashPoints) {
        const outcome = yield* Baliza.run([], {
          ...size,
          script: crashScript,
          env: { ...env, CRASH_AT: String(point) }
        })
        if (outcome.signal === "SIGKILL" && outcome.stderr.includes("crashing inside the transaction")) crashes++
        else problems.push(`crash point ${point}: the process did not crash there (${describeOutcome(outcome)})`)
        // The file opens after the crash, and what each checkpoint says was stored is what is stored.
        const mismatched = yield* DuckDB.query(
          `SELECT c.endpoint, c.partition_key, c.pages, count(r.page)::BIGINT AS stored
           FROM meta.page_checkpoints c
           LEFT JOIN raw.api_requests r ON r.endpoint = c.endpoint AND coalesce(r.partition_key, '') = c.partition_key
           GROUP BY ALL HAVING c.pages <> count(r.page)`
        ).pipe(
          Effect.provide(Layer.fresh(DuckDB.layer({ path: db, readOnly: true }))),
          Effect.mapError((error) => `after crash ${point} the file does not open or read: ${error.message}`)
        )
        for (const row of mismatched) {
          problems.push(
            `after crash ${point}: the checkpoint of ${String(row.endpoint)} ${String(row.partition_key)} says ` +
              `${String(row.pages)} pages, ${String(row.stored)} are stored`
          )
        }
      }
      const last = yield* Baliza.run([], { ...size, script: crashScript, env })
      if (last.exitCode !== 0) problems.push(`the run after the crashes: ${describeOutcome(last)}`)
      problems.push(...yield* differences(lab, db))
      return report("crash inside a transaction", [
        `${crashes} crashes at checkpoint writes ${size.crashPoints.join(", ")}`,
        `then exit ${last.exitCode}`
      ], problems)
    }))
  )

/** Every case, in the order of the report. */
export const cases = [killStorm, hostileServer, concurrentRuns, pressure, crashInTransaction] as const

/** The report's line for a case. */
export const line = (result: CaseReport): string =>
  `${result.passed ? "PASS" : "FAIL"}  ${result.name.padEnd(28)} ${result.figures.join(" · ")}` +
  result.problems.map((problem) => `\n      ✗ ${problem}`).join("")
