/**
 * The `baliza` command as a real process: one node process running the CLI's `bin.ts` with tsx's loader (no wrapper
 * process, so a SIGKILL reaches the process that holds the database), bounded in time.
 */
import { Effect, Option, Schema } from "effect"
import * as ChildProcess from "node:child_process"
import * as NodeFs from "node:fs"
import { createRequire } from "node:module"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { pathToFileURL } from "node:url"

const require = createRequire(import.meta.url)

// A process that outlives its time is asked for Node's diagnostic report before it is killed: whether the main thread
// still answers, its JavaScript stack and the CPU it used tell a hang from a crawl.
const reportSignal = "SIGUSR2"
const reportFile = "report.json"
const nodeOptions = [
  "--report-on-signal",
  `--report-signal=${reportSignal}`,
  `--report-filename=${reportFile}`,
  "--import",
  pathToFileURL(require.resolve("tsx")).href
]

/** `node --import tsx <cli>/src/bin.ts`: the command line of a `baliza` process, before its arguments. */
export const commandLine: ReadonlyArray<string> = [
  ...nodeOptions,
  NodePath.join(NodePath.dirname(require.resolve("@baliza/cli")), "bin.ts")
]

export interface Outcome {
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly durationMs: number
  /** Killed for outliving `timeoutMs`; `report` then says what the process was doing. */
  readonly timedOut: boolean
  readonly report?: string | undefined
  /** The CPU (user + system) the process had used when its report was written: busy native threads show here. */
  readonly cpuSeconds?: number | undefined
}

/**
 * A process killed for its time while it kept at least a quarter of a core busy: a crawl (slow work, say DuckDB
 * evicting and reading back blocks under a tight memory limit), not a hang.
 */
export const crawled = (outcome: Outcome): boolean =>
  outcome.timedOut && (outcome.cpuSeconds ?? 0) >= 0.25 * outcome.durationMs / 1000

/** How long a process that outlived its time gets to write its report before the SIGKILL. */
const reportGraceMs = 3_000

const DiagnosticReport = Schema.parseJson(Schema.Struct({
  javascriptStack: Schema.optional(Schema.Struct({ stack: Schema.optional(Schema.Array(Schema.String)) })),
  resourceUsage: Schema.optional(Schema.Struct({ userCpuSeconds: Schema.Number, kernelCpuSeconds: Schema.Number })),
  libuv: Schema.optional(Schema.Array(Schema.Struct({ type: Schema.String, is_active: Schema.Boolean })))
}))

/** The CPU a Node diagnostic report (its JSON text) says the process used, if it says. */
export const reportCpuSeconds = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : Option.match(Schema.decodeUnknownOption(DiagnosticReport)(text), {
    onNone: () => undefined,
    onSome: ({ resourceUsage }) =>
      resourceUsage === undefined ? undefined : resourceUsage.userCpuSeconds + resourceUsage.kernelCpuSeconds
  })

/** The parts of a Node diagnostic report (its JSON text; none: never written) that tell a hang from a crawl. */
export const reportSummary = (text: string | undefined): string => {
  if (text === undefined) return "no diagnostic report: the main thread did not get back to its event loop"
  return Option.match(Schema.decodeUnknownOption(DiagnosticReport)(text), {
    onNone: () => `an unreadable diagnostic report: ${text.slice(0, 200)}`,
    onSome: (report) => {
      const handles = new Map<string, number>()
      for (const handle of report.libuv ?? []) {
        if (handle.is_active) handles.set(handle.type, (handles.get(handle.type) ?? 0) + 1)
      }
      const usage = report.resourceUsage
      const stack = (report.javascriptStack?.stack ?? []).slice(0, 8).map((frame) => frame.trim()).join(" | ")
      return [
        usage === undefined
          ? "CPU unknown"
          : `CPU ${usage.userCpuSeconds.toFixed(1)} s user, ${usage.kernelCpuSeconds.toFixed(1)} s system`,
        `active handles: ${[...handles].map(([type, n]) => `${type} ${n}`).join(", ") || "none"}`,
        `JS stack: ${stack || "empty (idle in the event loop)"}`
      ].join("; ")
    }
  })
}

/** Runs `baliza args…` (or another node script) to its end; killed with the scope or after `timeoutMs`. */
export const run = (
  args: ReadonlyArray<string>,
  options: { readonly timeoutMs: number; readonly env?: Readonly<Record<string, string>>; readonly script?: string }
): Effect.Effect<Outcome> =>
  Effect.async<Outcome>((resume) => {
    const started = Date.now()
    const argv = options.script === undefined
      ? [...commandLine, ...args]
      : [...nodeOptions, options.script, ...args]
    const reports = NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-chaos-report-"))
    const child = ChildProcess.spawn(process.execPath, [`--report-directory=${reports}`, ...argv], {
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => stdout += chunk.toString())
    child.stderr.on("data", (chunk: Buffer) => stderr += chunk.toString())
    let timedOut = false
    let kill: NodeJS.Timeout | undefined
    const timer = setTimeout(() => {
      timedOut = true
      child.kill(reportSignal)
      kill = setTimeout(() => child.kill("SIGKILL"), reportGraceMs)
    }, options.timeoutMs)
    const report = () => {
      const path = NodePath.join(reports, reportFile)
      const text = NodeFs.existsSync(path) ? NodeFs.readFileSync(path, "utf8") : undefined
      NodeFs.rmSync(reports, { recursive: true, force: true })
      return text
    }
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer)
      clearTimeout(kill)
      const text = report()
      resume(Effect.succeed({
        exitCode,
        signal,
        stdout,
        stderr,
        durationMs: Date.now() - started,
        timedOut,
        report: timedOut ? reportSummary(text) : undefined,
        cpuSeconds: timedOut ? reportCpuSeconds(text) : undefined
      }))
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      clearTimeout(kill)
      child.kill("SIGKILL")
      NodeFs.rmSync(reports, { recursive: true, force: true })
    })
  })
