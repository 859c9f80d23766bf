/**
 * A materialize process that SIGKILLs itself inside a page batch's transaction: after the batch's payloads were stored
 * and its requests written (or left for the commit), before the checkpoint that covers them is written (the
 * `CRASH_AT`-th checkpoint write).
 * Without `CRASH_AT` it runs to the end. The hook wraps the `DuckDB` service this program provides; the library runs
 * unchanged.
 *
 * Environment: `BALIZA_DB`, `PNCP_CONSULTA_URL`, `PNCP_DETAILS_URL`, `BALIZA_PARTITIONS`, optional `CRASH_AT`.
 */
import { DuckDB } from "@baliza/duckdb"
import { Pipeline, Warehouse } from "@baliza/pncp"
import { Effect, Layer } from "effect"

const env = (name: string): string => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set`)
  return value
}

const crashAt = process.env.CRASH_AT === undefined ? undefined : Number(process.env.CRASH_AT)
let checkpointWrites = 0

// A write of page checkpoints, whichever way it is spelled and sent (`query` for a `… RETURNING`, `executeDeferred` for
// the statement that goes with the batch's COMMIT).
const checkpointWrite = /^\s*(?:UPDATE|INSERT INTO)\s+"?meta"?\."?page_checkpoints"?/

/** Crashes the process at the `CRASH_AT`-th checkpoint write, before it runs. */
const watch = (sql: string) => {
  if (crashAt === undefined || !checkpointWrite.test(sql)) return
  checkpointWrites++
  if (checkpointWrites === crashAt) {
    process.stderr.write(`crashing inside the transaction of checkpoint write ${crashAt}\n`)
    process.kill(process.pid, "SIGKILL")
  }
}

/** The database, with `execute`, `query` and `executeDeferred` watching for the checkpoint writes of page batches. */
const database = Layer.scoped(
  DuckDB.DuckDB,
  Effect.map(DuckDB.make({ path: env("BALIZA_DB"), memoryLimit: Warehouse.defaultMemoryLimit }), (db) => ({
    ...db,
    execute: (sql: string, params?: DuckDB.Params) =>
      Effect.zipRight(Effect.sync(() => watch(sql)), db.execute(sql, params)),
    query: (sql: string, params?: DuckDB.Params) =>
      Effect.zipRight(Effect.sync(() => watch(sql)), db.query(sql, params)),
    executeDeferred: (sql: string) => Effect.zipRight(Effect.sync(() => watch(sql)), db.executeDeferred(sql))
  }))
)

const program = Effect.gen(function*() {
  const result = yield* Pipeline.materialize({ partitions: env("BALIZA_PARTITIONS"), concurrency: 8 })
  process.stdout.write(`${JSON.stringify({ status: result.status, failures: result.failures })}\n`)
  return result.status === "Success" ? 0 : 1
}).pipe(
  Effect.provide(
    Warehouse.services({
      client: { consultaUrl: env("PNCP_CONSULTA_URL"), detailsUrl: env("PNCP_DETAILS_URL"), concurrency: 8 }
    }).pipe(Layer.provideMerge(database))
  )
)

Effect.runPromise(program).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`)
    process.exit(1)
  }
)
