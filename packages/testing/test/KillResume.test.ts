import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as KillResume from "../src/KillResume.js"

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "baliza-killresume-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

/** Alive and not a zombie waiting to be reaped (a zombie cannot run, so it counts as dead). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = Fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z"
  } catch {
    return false
  }
}

const node = process.execPath

describe("KillResume", () => {
  // `it.scoped` runs under TestClock: the harness must still use real time for its kills and its bound.
  it.scoped("kills the counter mid-run, restarts it, and the file holds exactly 1..N", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = Path.join(dir, "lines.txt")
      const n = 400
      const result = yield* KillResume.run({
        command: node,
        args: [fixture("counter.mjs"), file, String(n), "4"],
        seed: 7,
        kills: 3,
        minDelayMs: 250,
        maxDelayMs: 450,
        timeoutMs: 30_000
      })
      assert.strictEqual(result.kills, 3)
      assert.strictEqual(result.restarts, 3)
      assert.strictEqual(result.exitCode, 0)
      assert.strictEqual(result.durationsMs.length, 4)
      for (const ms of result.durationsMs.slice(0, 3)) assert.isAtLeast(ms, 245)
      const lines = Fs.readFileSync(file, "utf8").split("\n").filter((line) => line !== "")
      assert.deepStrictEqual(lines, Array.from({ length: n }, (_, i) => String(i + 1)))
      const resumedFrom = Number(/resume (\d+)/.exec(result.stdout)?.[1])
      assert.isAbove(resumedFrom, 0, "the last start resumed after earlier progress")
      assert.isBelow(resumedFrom, n)
      assert.match(result.stdout, /done 400/)
    }))

  it.scoped("kills the whole process group, on a planned kill and on timeout", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const pidFile = Path.join(dir, "pids.txt")
      const outcome = yield* Effect.either(KillResume.run({
        command: node,
        args: [fixture("spawner.mjs"), pidFile],
        seed: 1,
        kills: 1,
        minDelayMs: 700,
        maxDelayMs: 800,
        timeoutMs: 2_500
      }))
      assert.isTrue(Either.isLeft(outcome))
      if (Either.isLeft(outcome)) {
        assert.strictEqual(outcome.left.reason, "Timeout")
        assert.strictEqual(outcome.left.kills, 1)
        assert.match(outcome.left.message, /did not finish within 2500 ms/)
      }
      const pids = Fs.readFileSync(pidFile, "utf8").split(/\s+/).filter((s) => s !== "").map(Number)
      assert.strictEqual(pids.length, 4, "two starts, each with a grandchild")
      // Reparented grandchildren are reaped asynchronously; give init a moment.
      for (let i = 0; i < 100 && pids.some(isAlive); i++) {
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
      }
      assert.deepStrictEqual(pids.filter(isAlive), [])
    }))

  it.effect("a process that finishes before its planned kill counts as completion", () =>
    Effect.gen(function*() {
      const result = yield* KillResume.run({
        command: node,
        args: ["-e", "process.stdout.write('quick')"],
        seed: 3,
        kills: 2,
        minDelayMs: 10_000,
        maxDelayMs: 12_000,
        timeoutMs: 10_000
      })
      assert.deepStrictEqual(
        { kills: result.kills, restarts: result.restarts, exitCode: result.exitCode, stdout: result.stdout },
        { kills: 0, restarts: 0, exitCode: 0, stdout: "quick" }
      )
      assert.strictEqual(result.durationsMs.length, 1)
    }))

  it.effect("a non-zero exit fails with NonZeroExit, its code and stderr", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(KillResume.run({
        command: node,
        args: ["-e", "process.stderr.write('broken pipe'); process.exit(3)"],
        seed: 3,
        kills: 0,
        minDelayMs: 0,
        maxDelayMs: 0,
        timeoutMs: 10_000
      }))
      assert.isTrue(KillResume.isKillResumeError(error))
      assert.strictEqual(error.reason, "NonZeroExit")
      assert.strictEqual(error.exitCode, 3)
      assert.match(error.message, /exited with code 3.*broken pipe/)
    }))

  it.scoped("maxRestarts restarts a run that crashes by itself", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const options = {
        command: node,
        args: [fixture("flaky.mjs"), Path.join(dir, "marker")],
        seed: 9,
        kills: 0,
        minDelayMs: 0,
        maxDelayMs: 0,
        timeoutMs: 10_000
      }
      const result = yield* KillResume.run({ ...options, maxRestarts: 1 })
      assert.strictEqual(result.restarts, 1)
      assert.strictEqual(result.kills, 0)
      assert.strictEqual(result.stdout, "second start works\n")
      Fs.rmSync(Path.join(dir, "marker"))
      const error = yield* Effect.flip(KillResume.run(options))
      assert.strictEqual(error.reason, "NonZeroExit")
      assert.match(error.stderr ?? "", /first start crashes/)
    }))

  it.scoped("out-of-range options fail with InvalidOptions naming the option, before anything starts", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const marker = Path.join(dir, "started")
      const options: KillResume.Options = {
        command: node,
        args: ["-e", `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "")`],
        seed: 1,
        kills: 2,
        minDelayMs: 100,
        maxDelayMs: 1_000,
        timeoutMs: 10_000
      }
      const cases: ReadonlyArray<readonly [Partial<KillResume.Options>, string]> = [
        [{ minDelayMs: Number.NaN }, "minDelayMs is NaN"],
        [{ maxDelayMs: Number.POSITIVE_INFINITY }, "maxDelayMs is Infinity"],
        [{ minDelayMs: -1 }, "minDelayMs is -1"],
        [{ timeoutMs: Number.NaN }, "timeoutMs is NaN"],
        [{ minDelayMs: 2_000 }, "minDelayMs is 2000; it must not be above maxDelayMs (1000)"],
        [{ kills: -1 }, "kills is -1"],
        [{ kills: 1.5 }, "kills is 1.5"],
        [{ maxRestarts: Number.NaN }, "maxRestarts is NaN"]
      ]
      for (const [change, said] of cases) {
        const error = yield* Effect.flip(KillResume.run({ ...options, ...change }))
        assert.strictEqual(error.reason, "InvalidOptions")
        assert.include(error.message, said)
      }
      assert.isFalse(Fs.existsSync(marker), "a run with invalid options started the command")
    }))

  it.effect("a command that cannot start fails with SpawnFailed", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.flip(KillResume.run({
        command: "/nonexistent/baliza-command",
        args: [],
        seed: 0,
        kills: 1,
        minDelayMs: 10,
        maxDelayMs: 20,
        timeoutMs: 5_000
      }))
      assert.strictEqual(missing.reason, "SpawnFailed")
      assert.match(missing.message, /\/nonexistent\/baliza-command/)
      const badCwd = yield* Effect.flip(KillResume.run({
        command: node,
        args: ["-e", ""],
        cwd: "/nonexistent/dir",
        seed: 0,
        kills: 0,
        minDelayMs: 0,
        maxDelayMs: 0,
        timeoutMs: 5_000
      }))
      assert.strictEqual(badCwd.reason, "SpawnFailed")
    }))
})
