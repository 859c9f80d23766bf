/**
 * Crash safety of `PageCheckpoint` with real child processes (`fixtures/archiveWorker.ts`, run through tsx) SIGKILLed
 * while they archive into a DuckDB file. Each start of the worker costs ~2 s (loading effect and DuckDB), so this file
 * starts it four times in all.
 */
import { DuckDB } from "@baliza/duckdb"
import { KillResume } from "@baliza/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

const worker = Path.join(Path.dirname(fileURLToPath(import.meta.url)), "fixtures", "archiveWorker.ts")
const packageDir = Path.dirname(Path.dirname(fileURLToPath(import.meta.url)))

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "baliza-checkpoint-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

interface Outcome {
  readonly stdout: string
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/** Runs the worker; SIGKILLs it as soon as it prints `killAt` (when given). */
const runWorker = (args: ReadonlyArray<string>, killAt?: string) =>
  Effect.async<Outcome>((resume) => {
    const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", worker, ...args], {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (data: Buffer) => {
      stdout += data.toString()
      if (killAt !== undefined && stdout.includes(killAt)) child.kill("SIGKILL")
    })
    child.stderr.on("data", (data: Buffer) => {
      stderr += data.toString()
    })
    child.on("exit", (code, signal) => {
      if (code !== 0 && signal === null) process.stderr.write(stderr)
      resume(Effect.succeed({ stdout, code, signal }))
    })
    return Effect.sync(() => child.kill("SIGKILL"))
  }).pipe(Effect.timeoutFail({ duration: "30 seconds", onTimeout: () => new Error("the worker hung") }))

/** Opens the worker's database in this process, reads what was archived and checkpointed, closes it again. */
const inspect = (path: string) =>
  Effect.scoped(Effect.gen(function*() {
    const db = yield* DuckDB.make({ path })
    const pages = yield* db.query(
      "SELECT page, count(*) AS n FROM raw.api_requests GROUP BY page ORDER BY page"
    )
    const checkpoint = yield* db.query("SELECT last_page, completed FROM meta.page_checkpoints")
    return {
      pages: pages.map((row) => Number(row.page)),
      duplicated: pages.filter((row) => Number(row.n) > 1).map((row) => Number(row.page)),
      lastPage: checkpoint.length === 0 ? 0 : Number(checkpoint[0]!.last_page),
      completed: checkpoint.length === 1 && checkpoint[0]!.completed === true
    }
  }))

describe("PageCheckpoint crash safety (real child processes, SIGKILL)", () => {
  it.scopedLive(
    "SIGKILL between commits: the restart resumes after the last committed page, none missing, none twice",
    () =>
      Effect.gen(function*() {
        const path = Path.join(yield* tempDir, "crash.duckdb")
        const args = [path, "40", "4", "20"]
        const killed = yield* runWorker(args, "fetched 14\n")
        assert.strictEqual(killed.signal, "SIGKILL")
        const afterKill = yield* inspect(path)
        // Pages 1-12 had committed before page 13 was fetched; the worker may have gone a little further before the
        // signal landed, but only by whole batches of 4, in order, each page once.
        assert.isTrue(afterKill.lastPage >= 12 && afterKill.lastPage < 40 && afterKill.lastPage % 4 === 0)
        assert.deepStrictEqual(afterKill.pages, range(1, afterKill.lastPage))
        assert.isFalse(afterKill.completed)
        const resumed = yield* runWorker(args)
        assert.strictEqual(resumed.code, 0)
        assert.match(resumed.stdout, new RegExp(`^fetched ${afterKill.lastPage + 1}\\n`))
        assert.include(resumed.stdout, `done ${40 - afterKill.lastPage}\n`)
        const final = yield* inspect(path)
        assert.deepStrictEqual(final.pages, range(1, 40))
        assert.deepStrictEqual(final.duplicated, [])
        assert.isTrue(final.completed)
      }),
    30_000
  )

  it.scopedLive(
    "random SIGKILLs with KillResume: the final archive holds every page exactly once",
    () =>
      Effect.gen(function*() {
        const path = Path.join(yield* tempDir, "random.duckdb")
        const result = yield* KillResume.run({
          command: process.execPath,
          args: ["--import", "tsx", worker, path, "60", "3", "15"],
          cwd: packageDir,
          seed: 7,
          kills: 1,
          minDelayMs: 2_600,
          maxDelayMs: 3_200,
          timeoutMs: 40_000
        })
        assert.strictEqual(result.exitCode, 0)
        const final = yield* inspect(path)
        assert.deepStrictEqual(final.pages, range(1, 60))
        assert.deepStrictEqual(final.duplicated, [])
        assert.isTrue(final.completed)
      }),
    45_000
  )
})
