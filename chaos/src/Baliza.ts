/**
 * The `baliza` command as a real process: one node process running the CLI's `bin.ts` with tsx's loader (no wrapper
 * process, so a SIGKILL reaches the process that holds the database), bounded in time.
 */
import { Effect } from "effect"
import * as ChildProcess from "node:child_process"
import { createRequire } from "node:module"
import * as NodePath from "node:path"
import { pathToFileURL } from "node:url"

const require = createRequire(import.meta.url)

/** `node --import tsx <cli>/src/bin.ts`: the command line of a `baliza` process, before its arguments. */
export const commandLine: ReadonlyArray<string> = [
  "--import",
  pathToFileURL(require.resolve("tsx")).href,
  NodePath.join(NodePath.dirname(require.resolve("@baliza/cli")), "bin.ts")
]

export interface Outcome {
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly durationMs: number
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
      : [commandLine[0]!, commandLine[1]!, options.script, ...args]
    const child = ChildProcess.spawn(process.execPath, argv, {
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => stdout += chunk.toString())
    child.stderr.on("data", (chunk: Buffer) => stderr += chunk.toString())
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs)
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer)
      resume(Effect.succeed({ exitCode, signal, stdout, stderr, durationMs: Date.now() - started }))
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })
