import { Effect } from "effect"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const fixtures = Path.join(Path.dirname(fileURLToPath(import.meta.url)), "fixtures")

/** The path of `fixtures/<name>`. */
export const fixture = (name: string) => Path.join(fixtures, name)

/** A temporary directory removed when the scope closes. */
export const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "baliza-duckdb-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

/**
 * Spawns `node fixtures/<script> ...args`, waits (bounded) until it prints "ready", and SIGKILLs it when the scope
 * closes.
 */
export const spawnReady = (script: string, args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.async<ChildProcess.ChildProcess, Error>((resume) => {
      const child = ChildProcess.spawn(process.execPath, [Path.join(fixtures, script), ...args], {
        stdio: ["ignore", "pipe", "pipe"]
      })
      let stderr = ""
      child.stderr.on("data", (data: Buffer) => {
        stderr += data.toString()
      })
      child.stdout.on("data", (data: Buffer) => {
        if (data.toString().includes("ready")) resume(Effect.succeed(child))
      })
      child.on("exit", (code) => resume(Effect.fail(new Error(`${script} exited with ${code}: ${stderr}`))))
      return Effect.sync(() => child.kill("SIGKILL"))
    }).pipe(Effect.timeoutFail({ duration: "20 seconds", onTimeout: () => new Error(`${script} never got ready`) })),
    (child) => kill(child)
  )

/** SIGKILLs a child and waits until it has exited. */
export const kill = (child: ChildProcess.ChildProcess) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
    child.kill("SIGKILL")
  })
