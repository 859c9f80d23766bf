/**
 * A kill/resume harness: runs a command as a child process, SIGKILLs it (and its whole process group) after seeded
 * random delays, restarts it each time, and lets the last start run to completion — the way to prove a job resumes
 * from its checkpoint with no gap and no duplicate.
 *
 * **Details**
 *
 * - The child is spawned with `detached: true`, so it leads its own process group; kills go to the group
 *   (`process.kill(-pid, "SIGKILL")`) and reach grandchildren too. After every run the group is killed again, so no
 *   straggler outlives the harness.
 * - Delays are drawn with `Random.make(seed)`, uniformly in `[minDelayMs, maxDelayMs]`: the same seed plans the
 *   same kills.
 * - Options are checked before anything starts: a delay or `timeoutMs` that is negative or not finite, `minDelayMs`
 *   above `maxDelayMs`, or a `kills` or `maxRestarts` that is not a whole number >= 0 fails with `InvalidOptions`
 *   (a NaN delay would otherwise kill at once, a NaN `timeoutMs` time out at once).
 * - A run that exits by itself before its planned kill counts as completion; `kills` reports the kills that really
 *   happened.
 * - Time is real even under `TestClock` (the harness runs on the live clock): the whole run is bounded by
 *   `timeoutMs`, and on timeout or interruption the running child's group is killed.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import * as Random from "effect/Random"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as ChildProcess from "node:child_process"

/**
 * Options for {@link run}. `env` is merged over `process.env` (an `undefined` value removes a variable). `maxRestarts`
 * (default 0) is how many times a run that exits non-zero by itself is restarted before the harness fails with
 * `NonZeroExit`; restarts after kills are not limited by it. Delays and `timeoutMs` are finite milliseconds >= 0 with
 * `minDelayMs <= maxDelayMs`; `kills` and `maxRestarts` are whole numbers >= 0. Anything else fails with
 * `InvalidOptions`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly cwd?: string | undefined
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  readonly seed: number
  readonly kills: number
  readonly minDelayMs: number
  readonly maxDelayMs: number
  readonly maxRestarts?: number | undefined
  readonly timeoutMs: number
}

/**
 * The outcome of a run: kills that happened, restarts (after kills and after tolerated crashes), the last run's exit
 * code, stdout and stderr, and the wall-clock duration of every start in order.
 *
 * @since 0.1.0
 * @category models
 */
export const KillResumeResult = Schema.Struct({
  kills: Schema.Number,
  restarts: Schema.Number,
  exitCode: Schema.Number,
  stdout: Schema.String,
  stderr: Schema.String,
  durationsMs: Schema.Array(Schema.Number)
}).annotations({ identifier: "KillResumeResult" })

/**
 * @since 0.1.0
 * @category models
 */
export interface KillResumeResult extends Schema.Schema.Type<typeof KillResumeResult> {}

/**
 * Why a kill/resume run failed.
 *
 * - `Timeout`: the whole run took longer than `timeoutMs` (the running child was killed).
 * - `SpawnFailed`: the command could not be started (missing executable, bad `cwd`, permissions).
 * - `NonZeroExit`: a run exited by itself with a non-zero code or a signal, beyond `maxRestarts`.
 * - `InvalidOptions`: an option is out of range (its name is in the message); nothing was started.
 *
 * @since 0.1.0
 * @category models
 */
export const Reason = Schema.Literal("Timeout", "SpawnFailed", "NonZeroExit", "InvalidOptions")

/**
 * @since 0.1.0
 * @category models
 */
export type Reason = typeof Reason.Type

/**
 * A failed kill/resume run, with the kills and restarts done so far and, for `NonZeroExit`, the exit code or signal
 * and the tail of stderr.
 *
 * @since 0.1.0
 * @category errors
 */
export class KillResumeError extends Schema.TaggedError<KillResumeError>("@baliza/testing/KillResumeError")(
  "KillResumeError",
  {
    reason: Reason,
    message: Schema.String,
    kills: Schema.Number,
    restarts: Schema.Number,
    exitCode: Schema.optional(Schema.NullOr(Schema.Number)),
    signal: Schema.optional(Schema.NullOr(Schema.String)),
    stderr: Schema.optional(Schema.String),
    cause: Schema.optional(Schema.Defect)
  }
) {}

/**
 * @since 0.1.0
 * @category guards
 */
export const isKillResumeError = (u: unknown): u is KillResumeError => Predicate.isTagged(u, "KillResumeError")

interface ExitStatus {
  readonly code: number | null
  readonly signal: string | null
}

interface Running {
  readonly pid: number
  /** Resolves on `exit`: the process is gone (its pipes may still be draining). */
  readonly exited: Promise<ExitStatus>
  /** Resolves on `close`: every pipe has drained, so `stdout` is complete. */
  readonly closed: Promise<void>
  readonly stdout: () => string
  readonly stderr: () => string
}

// How long to wait for pipes to drain after the group is dead; they close at once unless something odd holds them.
const DRAIN_MS = 2_000
const STDERR_TAIL = 4_000

/** SIGKILL the whole process group; a group that is already gone is fine. */
const killGroup = (pid: number): void => {
  try {
    process.kill(-pid, "SIGKILL")
  } catch {
    // ESRCH: nothing left in the group.
  }
}

const describe = (options: Options): string => [options.command, ...options.args].join(" ")

/** The first option out of range, as an `InvalidOptions` error, or `undefined` when all are usable. */
const checkOptions = (options: Options): KillResumeError | undefined => {
  const invalid = (option: string, value: unknown, rule: string) =>
    new KillResumeError({
      reason: "InvalidOptions",
      message: `Invalid KillResume options for \`${describe(options)}\`: ${option} is ${String(value)}; ${rule}`,
      kills: 0,
      restarts: 0
    })
  const milliseconds = ["minDelayMs", "maxDelayMs", "timeoutMs"] as const
  for (const option of milliseconds) {
    const value = options[option]
    if (!(Number.isFinite(value) && value >= 0)) {
      return invalid(option, value, "it must be a finite number of milliseconds >= 0")
    }
  }
  if (options.minDelayMs > options.maxDelayMs) {
    return invalid("minDelayMs", options.minDelayMs, `it must not be above maxDelayMs (${options.maxDelayMs})`)
  }
  const counts = [["kills", options.kills], ["maxRestarts", options.maxRestarts ?? 0]] as const
  for (const [option, value] of counts) {
    if (!(Number.isSafeInteger(value) && value >= 0)) return invalid(option, value, "it must be a whole number >= 0")
  }
  return undefined
}

const spawn = (
  options: Options,
  counts: { kills: number; restarts: number }
): Effect.Effect<Running, KillResumeError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<Running, KillResumeError>((resume) => {
      let settled = false
      const stdout: Array<Buffer> = []
      const stderr: Array<Buffer> = []
      const fail = (cause: unknown) => {
        if (settled) return
        settled = true
        resume(Effect.fail(
          new KillResumeError({
            reason: "SpawnFailed",
            message: `Could not start \`${describe(options)}\`: ${
              cause instanceof Error ? cause.message : String(cause)
            }`,
            kills: counts.kills,
            restarts: counts.restarts,
            cause
          })
        ))
      }
      let child: ChildProcess.ChildProcess
      try {
        child = ChildProcess.spawn(options.command, options.args, {
          ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
          env: { ...process.env, ...options.env },
          detached: true,
          stdio: ["ignore", "pipe", "pipe"]
        })
      } catch (cause) {
        return fail(cause)
      }
      child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk))
      child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk))
      const exited = new Promise<ExitStatus>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal }))
      )
      const closed = new Promise<void>((resolve) => child.once("close", () => resolve()))
      // `on`, not `once`: an `error` after start (rare) must still find a listener rather than crash the process.
      child.on("error", fail)
      child.once("spawn", () => {
        if (settled || child.pid === undefined) return
        settled = true
        const pid = child.pid
        resume(Effect.succeed({
          pid,
          exited,
          closed,
          stdout: () => Buffer.concat(stdout).toString("utf8"),
          stderr: () => Buffer.concat(stderr).toString("utf8")
        }))
      })
    }),
    // Whatever happened (exit, kill, timeout, interruption), leave no process of the group behind.
    (running) =>
      Effect.sync(() => killGroup(running.pid)).pipe(
        Effect.zipRight(Effect.promise(() => running.exited)),
        Effect.timeout(Duration.millis(DRAIN_MS)),
        Effect.ignore
      )
  )

type RunOutcome =
  | { readonly _tag: "Killed"; readonly durationMs: number }
  | {
    readonly _tag: "Exited"
    readonly status: ExitStatus
    readonly durationMs: number
    readonly stdout: string
    readonly stderr: string
  }

const runImpl = (options: Options): Effect.Effect<KillResumeResult, KillResumeError> => {
  const counts = { kills: 0, restarts: 0 }
  const durationsMs: Array<number> = []
  const random = Random.make(options.seed)
  // Checked by `checkOptions` before the loop starts: finite, >= 0, min <= max.
  const minDelay = options.minDelayMs
  const maxDelay = options.maxDelayMs
  const maxCrashRestarts = options.maxRestarts ?? 0
  let crashRestarts = 0

  const once = (killAfterMs: number | undefined): Effect.Effect<RunOutcome, KillResumeError> =>
    Effect.scoped(Effect.gen(function*() {
      const running = yield* spawn(options, counts)
      const startedAt = yield* Clock.currentTimeMillis
      const exit = Effect.promise(() => running.exited).pipe(
        Effect.map((status) => ({ _tag: "Exit" as const, status }))
      )
      const first = killAfterMs === undefined ? yield* exit : yield* Effect.race(
        exit,
        Effect.sleep(Duration.millis(killAfterMs)).pipe(Effect.as({ _tag: "Due" as const }))
      )
      if (first._tag === "Due") {
        killGroup(running.pid)
        yield* Effect.promise(() => running.exited)
        return { _tag: "Killed", durationMs: (yield* Clock.currentTimeMillis) - startedAt }
      }
      const durationMs = (yield* Clock.currentTimeMillis) - startedAt
      // Kill stragglers that might hold the pipes open, then let stdout drain.
      killGroup(running.pid)
      yield* Effect.promise(() => running.closed).pipe(Effect.timeout(Duration.millis(DRAIN_MS)), Effect.ignore)
      return { _tag: "Exited", status: first.status, durationMs, stdout: running.stdout(), stderr: running.stderr() }
    }))

  const loop: Effect.Effect<KillResumeResult, KillResumeError> = Effect.gen(function*() {
    while (true) {
      const killAfterMs = counts.kills < options.kills
        ? yield* random.nextIntBetween(minDelay, maxDelay + 1)
        : undefined
      const outcome = yield* once(killAfterMs)
      durationsMs.push(outcome.durationMs)
      if (outcome._tag === "Killed") {
        counts.kills++
        counts.restarts++
        continue
      }
      const { code, signal } = outcome.status
      if (code === 0) {
        return {
          kills: counts.kills,
          restarts: counts.restarts,
          exitCode: 0,
          stdout: outcome.stdout,
          stderr: outcome.stderr,
          durationsMs: durationsMs.slice()
        }
      }
      if (crashRestarts < maxCrashRestarts) {
        crashRestarts++
        counts.restarts++
        continue
      }
      const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`
      return yield* new KillResumeError({
        reason: "NonZeroExit",
        message: `\`${describe(options)}\` ${how} after ${counts.kills} kill(s) and ${counts.restarts} restart(s)` +
          (outcome.stderr.trim() === "" ? "" : `: ${outcome.stderr.trim().slice(-500)}`),
        kills: counts.kills,
        restarts: counts.restarts,
        exitCode: code,
        signal,
        stderr: outcome.stderr.slice(-STDERR_TAIL)
      })
    }
  })

  return loop.pipe(
    Effect.timeoutFail({
      duration: Duration.millis(options.timeoutMs),
      onTimeout: () =>
        new KillResumeError({
          reason: "Timeout",
          message: `\`${describe(options)}\` did not finish within ${options.timeoutMs} ms (after ${counts.kills} ` +
            `kill(s) and ${counts.restarts} restart(s))`,
          kills: counts.kills,
          restarts: counts.restarts
        })
    }),
    // Child processes live in real time: a caller's `TestClock` must not freeze the kill delays or the bound.
    Effect.withClock(Clock.make())
  )
}

/**
 * Runs the command, kills it `kills` times after seeded random delays (restarting it after each kill), then lets the
 * last start run to completion.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { KillResume } from "@baliza/testing"
 *
 * const program = KillResume.run({
 *   command: process.execPath,
 *   args: ["extract.mjs", "--resume"],
 *   seed: 42,
 *   kills: 3,
 *   minDelayMs: 100,
 *   maxDelayMs: 500,
 *   timeoutMs: 30_000
 * }).pipe(Effect.tap((result) => Effect.log(`killed ${result.kills} times`)))
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const run = (options: Options): Effect.Effect<KillResumeResult, KillResumeError> =>
  Effect.suspend(() => {
    const invalid = checkOptions(options)
    return invalid === undefined ? runImpl(options) : Effect.fail(invalid)
  })
