/**
 * The pipeline's warehouse: one DuckDB file (default `./data/baliza.duckdb`) holding the raw archive, staging,
 * marts and the run history (`meta.*`), and the services that keep it — the event log, asset state, page
 * checkpoints, failed requests — plus the PNCP client.
 *
 * @since 0.1.0
 */
import type * as AssetState from "@baliza/core/AssetState"
import type * as EventLog from "@baliza/core/EventLog"
import type * as SourceMonitor from "@baliza/core/SourceMonitor"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as DuckDBAssetState from "@baliza/duckdb/DuckDBAssetState"
import * as DuckDBError from "@baliza/duckdb/DuckDBError"
import * as DuckDBEventLog from "@baliza/duckdb/DuckDBEventLog"
import * as Migrations from "@baliza/duckdb/Migrations"
import * as Sql from "@baliza/duckdb/Sql"
import * as ExtractStore from "@baliza/extract/ExtractStore"
import type * as ExtractStoreError from "@baliza/extract/ExtractStoreError"
import * as HttpSourceMonitor from "@baliza/extract/HttpSourceMonitor"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Staging from "./Assets/Staging.js"
import { migrations as warehouseMigrations } from "./internal/migrations.js"
import * as PncpClient from "./PncpClient.js"

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultPath = "./data/baliza.duckdb"

/**
 * DuckDB's memory limit unless the options give one: DuckDB's own default is 80% of the machine's memory, which a
 * pipeline running beside other work should not take; staging spills its deduplication to the temp directory
 * instead (measured in `bench/pncp.bench.ts`: a month at the real volume completes under this limit, 10 days under
 * 300 MB).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMemoryLimit = "512MB"

/**
 * DuckDB settings the warehouse opens with (measured in `bench/pncp.bench.ts`).
 *
 * - `threads: 1`: the pipeline's parallelism is its concurrent statements (extraction's writers and readers, the
 *   staging tables built side by side), and nearly every one is a single task (a payload segment is one row group).
 *   DuckDB's blocking query loop polls for work while another of its threads runs its statement's only task, so with
 *   more threads the pollers take CPU from the work; with one thread each statement runs on its own caller thread. A
 *   month at the real volume on 2 cores: staging + marts 23.1 s against 41.5 s with 2 threads, the same hour, and
 *   the extraction within its run-to-run spread. `threads` in the options (or in `settings`) overrides it.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSettings: Readonly<Record<string, string>> = { threads: "1" }

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The DuckDB file (`:memory:` for a throwaway warehouse). */
  readonly path?: string | undefined
  readonly threads?: number | undefined
  readonly memoryLimit?: string | undefined
  /** Where DuckDB spills what does not fit in `memoryLimit` (DuckDB's default: next to the file). */
  readonly tempDirectory?: string | undefined
  /** More DuckDB settings, over {@link defaultSettings}. */
  readonly settings?: Readonly<Record<string, string>> | undefined
  /** Connections that parse a staging table's payload segments at once (default {@link Staging.Parallelism}'s 2). */
  readonly stagingParallelism?: number | undefined
  /**
   * Open the file read-only (to inspect it): nothing is created or migrated, and a file that needs migrations is a
   * `ReadOnly` error.
   */
  readonly readOnly?: boolean | undefined
  /** Rebuild the keyed tables of a file a failed COMMIT marked when it opens (default true; see `DuckDB.DuckDBConfig`). */
  readonly rebuildMarkedTables?: boolean | undefined
  readonly client?: Partial<PncpClient.Settings> | undefined
}

/**
 * Everything the PNCP assets and the materializer need.
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | DuckDB.DuckDB
  | EventLog.EventLog
  | AssetState.AssetState
  | ExtractStore.Services
  | PncpClient.PncpClient
  | SourceMonitor.SourceMonitor
  | Staging.Parallelism

// Every run's log gets what the PNCP endpoints did in it (pages, records, retries, breakers), and `meta.metrics` its totals.
const monitor = HttpSourceMonitor.layer(
  Effect.map(PncpClient.PncpClient, (client) => [client.consulta, client.details])
)

/**
 * The services over the `DuckDB` service in context: to run the pipeline on a database opened elsewhere.
 *
 * @since 0.1.0
 * @category layers
 */
export const services = (
  options: Pick<Options, "client" | "stagingParallelism"> = {}
): Layer.Layer<
  Exclude<Services, DuckDB.DuckDB>,
  DuckDBError.DuckDBError | ExtractStoreError.ExtractStoreError | PncpClient.InvalidSettings,
  DuckDB.DuckDB
> => monitor.pipe(Layer.provideMerge(Layer.merge(stores(options), PncpClient.layer(options.client))))

// The stores over the `DuckDB` service, then the warehouse's own migrations, which change the stores' tables.
const stores = (options: Pick<Options, "stagingParallelism">) =>
  Layer.effectDiscard(Migrations.run([warehouseMigrations])).pipe(
    Layer.provideMerge(
      Layer.mergeAll(DuckDBEventLog.layer(), DuckDBAssetState.layer, ExtractStore.layer(), stagingParallelism(options))
    )
  )

// Checked when the warehouse opens, not when staging first runs after a long extraction.
const stagingParallelism = (options: Pick<Options, "stagingParallelism">) => {
  const parallelism = options.stagingParallelism ?? Staging.Parallelism.defaultValue()
  return Number.isInteger(parallelism) && parallelism >= 1
    ? Layer.succeed(Staging.Parallelism, parallelism)
    : Layer.fail(
      DuckDBError.make("InvalidInput", `The staging parallelism must be a positive integer, not ${parallelism}.`)
    )
}

/**
 * The `DuckDB` service over the warehouse's file with its settings, and nothing else: no table is created or migrated
 * (to back the file up, or restore it, as it is).
 *
 * @since 0.1.0
 * @category layers
 */
export const database = (options: Omit<Options, "client"> = {}): Layer.Layer<DuckDB.DuckDB, DuckDBError.DuckDBError> =>
  DuckDB.layer({
    path: options.path ?? defaultPath,
    threads: options.threads,
    memoryLimit: options.memoryLimit ?? defaultMemoryLimit,
    tempDirectory: options.tempDirectory,
    readOnly: options.readOnly,
    rebuildMarkedTables: options.rebuildMarkedTables,
    options: { ...defaultSettings, ...options.settings }
  })

/**
 * The storage services over one DuckDB file, without the PNCP client (to inspect a warehouse offline).
 *
 * @since 0.1.0
 * @category layers
 */
export const storage = (
  options: Omit<Options, "client"> = {}
): Layer.Layer<
  Exclude<Services, PncpClient.PncpClient | SourceMonitor.SourceMonitor>,
  DuckDBError.DuckDBError | ExtractStoreError.ExtractStoreError
> => stores(options).pipe(Layer.provideMerge(database(options)))

/**
 * The warehouse and the client to fill it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  Services,
  DuckDBError.DuckDBError | ExtractStoreError.ExtractStoreError | PncpClient.InvalidSettings
> => services(options).pipe(Layer.provideMerge(database(options)))

/**
 * What a warehouse holds, to compare two of them: for every staging and mart table its row count and an order-free
 * content hash (`count:hash`), and for the raw archive its rows, distinct pages and a hash of every page's identity
 * and payload digest (`raw.api_requests` → `rows:pages:hash`). Two runs that loaded the same data have equal
 * fingerprints, whatever the order and the number of restarts; a page stored twice shows as rows ≠ pages.
 *
 * `catalog` is the database's name in the DuckDB session: the file's stem, or the alias it was `ATTACH`ed as.
 *
 * @since 0.1.0
 * @category utils
 */
export const fingerprint = (catalog: string) =>
  Effect.gen(function*() {
    const db = Sql.identifier(catalog)
    const tables = yield* DuckDB.query(
      `SELECT schema_name || '.' || table_name AS t FROM duckdb_tables()
       WHERE database_name = $1 AND schema_name IN ('staging', 'marts') ORDER BY 1`,
      [catalog]
    )
    const out: Record<string, string> = {}
    for (const { t } of tables) {
      const [row] = yield* DuckDB.query(
        `SELECT count(*)::BIGINT AS n, coalesce(bit_xor(hash(x)), 0)::VARCHAR AS h FROM ${db}.${
          Sql.tableName(String(t))
        } AS x`
      )
      out[String(t)] = `${String(row?.n)}:${String(row?.h)}`
    }
    const [raw] = yield* DuckDB.query(
      `SELECT count(*)::BIGINT AS n, count(DISTINCT (endpoint, partition_key, page))::BIGINT AS pages,
              coalesce(bit_xor(hash(endpoint, partition_key, page, payload_sha256)), 0)::VARCHAR AS h
       FROM ${db}.raw.api_requests`
    )
    out["raw.api_requests"] = `${String(raw?.n)}:${String(raw?.pages)}:${String(raw?.h)}`
    return out
  })
