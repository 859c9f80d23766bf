import type { DuckDB } from "@baliza/duckdb"
import { Deferred, Effect, Exit, Fiber } from "effect"
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

/** A file database small enough for `commitOutOfMemory`: 24 MB and nothing to spill to. */
export const squeezed = (path: string) => ({ path, memoryLimit: "24MB", threads: 1, tempDirectory: "" })

/** Batch `n` of `rows` sha256 keys (as `raw.payload_index` keeps them): its `SELECT`, and its insert into `table`. */
export const keyBatch = (table: string, rows: number) => {
  const select = (n: number) => `SELECT sha256('batch${n}-' || range) AS sha256, ${n} AS segment FROM range(${rows})`
  return { select, insert: (n: number) => `INSERT INTO ${table} ${select(n)} ON CONFLICT DO NOTHING RETURNING sha256` }
}

/**
 * Runs `work` in a transaction on the writer whose COMMIT runs out of memory, and returns the transaction's exit. The
 * database must have a small `memoryLimit` and nothing to spill to (`squeezed`): other write connections
 * then hold ~200 KB each in open transactions until its memory is full (at most 400), and roll back once the commit
 * has failed, so the memory is free again afterwards.
 */
export const commitOutOfMemory = <A, E>(db: DuckDB.Service, work: Effect.Effect<A, E>) =>
  Effect.scoped(Effect.gen(function*() {
    const release = yield* Deferred.make<void>()
    const hogs: Array<Fiber.RuntimeFiber<void>> = []
    const committed = yield* Effect.exit(db.withTransaction(Effect.gen(function*() {
      const done = yield* work
      for (let i = 0; i < 400; i++) {
        const hog = yield* db.writeConnection(`hog-${i}`)
        const filled = yield* Deferred.make<boolean>()
        hogs.push(
          yield* Effect.forkScoped(Effect.ignore(hog.withTransaction(Effect.gen(function*() {
            yield* hog.execute("CREATE TEMP TABLE h (x VARCHAR)")
            const held = yield* Effect.exit(hog.execute("INSERT INTO h SELECT repeat(md5(random()::VARCHAR), 6250)"))
            yield* Deferred.succeed(filled, Exit.isSuccess(held))
            if (Exit.isSuccess(held)) yield* Deferred.await(release)
            return yield* Effect.fail("released")
          }))))
        )
        if (!(yield* Deferred.await(filled))) break
      }
      return done
    })))
    yield* Deferred.succeed(release, undefined)
    yield* Fiber.joinAll(hogs)
    return committed
  }))
