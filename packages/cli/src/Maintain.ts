/**
 * Looking after the database: `verify` (reconciliation), `doctor` (is this machine ready), `backup`, `rollback`,
 * `repair` and `reset`.
 *
 * @since 0.1.0
 */
import * as Backup from "@baliza/duckdb/Backup"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Repair from "@baliza/duckdb/Repair"
import * as Sql from "@baliza/duckdb/Sql"
import * as RawArchive from "@baliza/extract/RawArchive"
import * as RawAssets from "@baliza/pncp/Assets/Raw"
import * as StagingAssets from "@baliza/pncp/Assets/Staging"
import * as Endpoints from "@baliza/pncp/Endpoints"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import * as NodeProcess from "node:process"
import * as CliError from "./CliError.js"
import * as errors from "./internal/errors.js"
import * as root from "./internal/root.js"
import * as Partitions from "./Partitions.js"

const backupDir = Options.text("dir").pipe(
  Options.withDescription("Where backups live (default: backups/ beside the database)"),
  Options.optional
)

const dirOf = (db: string, dir: Option.Option<string>) =>
  Option.getOrElse(dir, () => NodePath.join(NodePath.dirname(NodePath.resolve(db)), "backups"))

/**
 * `baliza backup [--dir D]`: a consistent snapshot; prints its id.
 *
 * @since 0.1.0
 * @category commands
 */
export const backup = Command.make("backup", { dir: backupDir }, ({ dir }) =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    // The file as it is: opening the warehouse would migrate it first, and a backup before an upgrade must not be.
    const info = yield* Backup.backup(dirOf(globals.db, dir)).pipe(
      Effect.provide(root.existingDatabase(globals)),
      errors.mapOther
    )
    yield* globals.json
      ? Console.log(JSON.stringify(info))
      : Console.log(`Backup ${info.id} (${Math.round(info.bytes / 1024)} KiB) in ${dirOf(globals.db, dir)}`)
  })).pipe(Command.withDescription("Snapshot the database; prints the backup id"))

/**
 * `baliza repair`: every table with a key rebuilt from its rows (`Repair.keyedTables`), which clears keys DuckDB
 * 1.5.6 can leave in a key's index without their rows after a failed commit: inserts of them fail with "Duplicate
 * key" for ever, and the message says to run this. The file as it is, not migrated first. A failure the running
 * version saw is rebuilt by itself at the next open (`<db>.rebuild-keys`); this is for one it did not see.
 *
 * @since 0.1.0
 * @category commands
 */
export const repair = Command.make("repair", {}, () =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    // Every keyed table is rebuilt here: the open does not rebuild them first for a failed commit's marker (which
    // keyedTables removes once it is through, and which stays for the next open if it is not).
    const rebuilt = yield* Repair.keyedTables.pipe(
      Effect.provide(root.existingDatabase(globals, { rebuildMarkedTables: false })),
      errors.mapOther
    )
    yield* globals.json
      ? Console.log(JSON.stringify({ rebuilt }))
      : Console.log(rebuilt.map((r) => `rebuilt ${r.table} (${r.rows} rows)`).join("\n"))
  })).pipe(
    Command.withDescription("Rebuild the tables with keys (after \"Duplicate key\" errors a failed commit left)")
  )

/**
 * `baliza rollback --to ID [--dir D]`: the database's content replaced by a backup's.
 *
 * @since 0.1.0
 * @category commands
 */
export const rollback = Command.make("rollback", {
  to: Options.text("to").pipe(Options.withDescription("The backup id (`baliza backup` printed it)")),
  dir: backupDir
}, ({ dir, to }) =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    const where = dirOf(globals.db, dir)
    const known = yield* Backup.listBackups(where).pipe(errors.mapOther)
    if (!known.some((info) => info.id === to)) {
      return yield* CliError.input(
        `No backup "${to}" in ${where}. ${
          known.length === 0 ? "There are none." : `Known: ${known.map((info) => info.id).join(", ")}.`
        }`
      )
    }
    // The backup's tables as they are (a backup taken before an upgrade is migrated when the warehouse next opens).
    const info = yield* Backup.restore(where, to).pipe(Effect.provide(root.fileDatabase(globals)), errors.mapOther)
    yield* globals.json
      ? Console.log(JSON.stringify({ restored: info, database: globals.db }))
      : Console.log(`Restored backup ${info.id} of ${info.createdAt.toISOString()} into ${globals.db}`)
  })).pipe(Command.withDescription("Replace the database's content with a backup's"))

/**
 * Whether the file at `path` starts as a DuckDB database does: its header carries the magic `DUCK` at byte 8 (after
 * the block's checksum).
 */
const isDuckDBFile = (path: string): boolean => {
  try {
    const header = Buffer.alloc(12)
    const fd = NodeFs.openSync(path, "r")
    try {
      return NodeFs.readSync(fd, header, 0, 12, 0) === 12 && header.subarray(8, 12).toString("latin1") === "DUCK"
    } finally {
      NodeFs.closeSync(fd)
    }
  } catch {
    // a directory, or a file that cannot be read
    return false
  }
}

/**
 * `baliza reset --force`: deletes the database file (refuses without `--force`, or while another process has it).
 *
 * @since 0.1.0
 * @category commands
 */
export const reset = Command.make("reset", {
  force: Options.boolean("force").pipe(Options.withDescription("Really delete the database"))
}, ({ force }) =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    if (!force) {
      return yield* CliError.input(
        `reset deletes ${globals.db} and everything in it: add --force (\`baliza backup\` first keeps a copy).`
      )
    }
    const said = (deleted: boolean, text: string) =>
      globals.json ? Console.log(JSON.stringify({ database: globals.db, deleted })) : Console.log(text)
    if (!NodeFs.existsSync(globals.db)) return yield* said(false, `Nothing to reset: ${globals.db} does not exist.`)
    // Only a DuckDB database is deleted, so a mistyped --db never costs a file of something else.
    if (!isDuckDBFile(globals.db)) {
      return yield* CliError.input(
        `${globals.db} is not a DuckDB database (its header has no DuckDB mark): reset deletes only a database; ` +
          "check --db. Nothing was deleted."
      )
    }
    // Opening it first proves no other process holds it. A database DuckDB cannot read (corrupt past its header) is
    // exactly what a reset is for: only a lock, or a directory the user cannot write, stops it. The tables of a file a
    // failed commit marked are not rebuilt by that open: the file is about to go, and its marker with it.
    yield* Effect.scoped(Effect.asVoid(DuckDB.make({ path: globals.db, rebuildMarkedTables: false }))).pipe(
      Effect.catchIf((error) => error.reason !== "Locked" && error.reason !== "ReadOnly", () => Effect.void),
      Effect.mapError(errors.opening(globals.db))
    )
    yield* Effect.try({
      try: () => {
        for (const file of [globals.db, `${globals.db}.wal`, Repair.markerOf(globals.db)]) {
          NodeFs.rmSync(file, { force: true })
        }
      },
      catch: (cause) => CliError.database(`Cannot delete ${globals.db}: ${String(cause)}`)
    })
    yield* said(true, `Deleted ${globals.db}`)
  })).pipe(Command.withDescription("Delete the database (refuses without --force)"))

interface Finding {
  readonly check: string
  readonly ok: boolean
  readonly detail: string
}

/** The series of the days, and of the months they cover (`pncp/raw/atas` is by month: `2024-07`). */
const partitionFilter = (spec: string | undefined): string => {
  if (spec === undefined) return "TRUE"
  const [from = "", to = from] = spec.split("..")
  const months = Partitions.monthsCovered(from, to).map(Sql.literal)
  return `(substr(partition_key, 1, 10) BETWEEN ${Sql.literal(from)} AND ${Sql.literal(to)}
    OR (regexp_matches(partition_key, '^[0-9]{4}-[0-9]{2}($|[#|])')
        AND substr(partition_key, 1, 7) IN (${["NULL", ...months].join(", ")})))`
}

/**
 * `baliza verify [--from D --to D] [--sample 0.1]`: archived records against the API's totals per request series,
 * a sample of payloads re-hashed, staging keys unique and within what was archived. Exits 1 on any mismatch.
 *
 * @since 0.1.0
 * @category commands
 */
export const verify = Command.make("verify", {
  from: Options.text("from").pipe(
    Options.withDescription("First day, YYYY-MM-DD (default: every day on record)"),
    Options.optional
  ),
  to: Options.text("to").pipe(Options.withDescription("Last day, YYYY-MM-DD"), Options.optional),
  sample: Options.float("sample").pipe(
    Options.withDescription("Share of payloads to re-hash, 0 to 1 (default 0.1)"),
    Options.withDefault(0.1)
  )
}, ({ from, sample, to }) =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    if (!(sample >= 0 && sample <= 1)) return yield* CliError.input(`--sample is a share from 0 to 1, got ${sample}.`)
    const spec = yield* Partitions.spec({ ...Partitions.noFlags, from, to }, Date.now())
    const findings = yield* Effect.gen(function*() {
      const db = yield* DuckDB.DuckDB
      const archive = yield* RawArchive.RawArchive
      const found: Array<Finding> = []
      // Each page's current answer, as the pipeline reconciles: a page fetched again (--refetch) counts once.
      const series = yield* db.query(
        `WITH ${RawAssets.currentAnswersSql(`${partitionFilter(spec)} AND endpoint NOT IN ('itens', 'arquivos')`)}
         SELECT endpoint, partition_key, sum(records) FILTER (WHERE http_status = 200)::BIGINT AS stored,
                arg_max(total_records, collected_at)::BIGINT AS announced
         FROM answers GROUP BY ALL`
      )
      const off = series.filter((row) => row.announced !== null && Number(row.stored ?? 0) !== Number(row.announced))
      found.push({
        check: "raw records = totalRegistros",
        ok: off.length === 0,
        detail: off.length === 0
          ? `${series.length} request series reconcile`
          : off.slice(0, 10).map((row) =>
            `${String(row.endpoint)} ${String(row.partition_key)}: ${String(row.stored)} stored, ${
              String(row.announced)
            } announced`
          ).join("; ")
      })
      const shas = yield* db.query(
        `SELECT sha256 FROM raw.payload_index WHERE random() < ${sample} ORDER BY sha256 LIMIT 100000`
      )
      const corrupt: Array<string> = []
      for (const row of shas) {
        const fetched = yield* Effect.either(archive.fetchPayload(String(row.sha256)))
        if (fetched._tag === "Left") corrupt.push(`${String(row.sha256)}: ${fetched.left.message}`)
      }
      found.push({
        check: "payload sha256",
        ok: corrupt.length === 0,
        detail: corrupt.length === 0 ? `${shas.length} payloads re-hashed` : corrupt.slice(0, 5).join("; ")
      })
      for (const table of StagingAssets.tables) {
        const [exists] = yield* db.query(
          "SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name || '.' || table_name = $1",
          [table.table]
        )
        if (Number(exists?.n ?? 0) === 0) continue
        const key = table.key.map((column) => column === "partition_key" ? table.compraKey ?? column : column)
          .map(Sql.identifier).join(", ")
        const [row] = yield* db.query(
          `SELECT count(*)::BIGINT AS n, count(DISTINCT (${key}))::BIGINT AS keys,
             (SELECT coalesce(sum(records), 0) FROM raw.api_requests
              WHERE endpoint IN (${table.endpoints.map(Sql.literal).join(", ")}) AND http_status = 200)::BIGINT AS raw
           FROM ${Sql.tableName(table.table)}`
        )
        const [n, keys, raw] = [Number(row?.n ?? 0), Number(row?.keys ?? 0), Number(row?.raw ?? 0)]
        found.push({
          check: `${table.table} keys unique, rows ≤ raw records`,
          ok: n === keys && n <= raw && (raw === 0 || n > 0),
          detail: `${n} rows, ${keys} distinct keys, ${raw} raw records`
        })
      }
      return found
    }).pipe(Effect.provide(root.existingStorage(globals)), errors.mapOther)
    if (globals.json) yield* Console.log(JSON.stringify(findings))
    else for (const f of findings) yield* Console.log(`${f.ok ? "OK  " : "FAIL"} ${f.check}: ${f.detail}`)
    const failed = findings.filter((f) => !f.ok)
    if (failed.length > 0) {
      return yield* CliError.failed(`${failed.length} check(s) failed: ${failed.map((f) => f.check).join(", ")}`)
    }
  })).pipe(Command.withDescription("Reconcile stored records, payload hashes and staging against the archive"))

const reachable = (url: string) =>
  Effect.tryPromise({
    try: (signal) => fetch(url, { method: "GET", signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]) }),
    catch: (cause) => String(cause)
  }).pipe(Effect.map((response) => response.status), Effect.either)

/**
 * `baliza doctor`: Node version, database (lock, size, tables), API reachability, disk space, temp directory; each
 * OK, WARN or FAIL with a hint. Exits 1 when something fails.
 *
 * @since 0.1.0
 * @category commands
 */
export const doctor = Command.make("doctor", {}, () =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    const lines: Array<readonly ["OK" | "WARN" | "FAIL", string]> = []
    const major = Number(NodeProcess.versions.node.split(".")[0])
    lines.push([
      major >= 20 ? "OK" : "FAIL",
      `node ${NodeProcess.versions.node}${major >= 20 ? "" : ": Baliza needs 20 or later"}`
    ])
    if (!NodeFs.existsSync(globals.db)) {
      lines.push(["WARN", `database ${globals.db} does not exist yet: \`baliza init\` creates it`])
    } else {
      const opened = yield* Effect.either(Effect.scoped(Effect.gen(function*() {
        const db = yield* DuckDB.make({ path: globals.db, readOnly: true })
        const [row] = yield* db.query(
          "SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name IN ('raw', 'meta', 'staging', 'marts')"
        )
        return Number(row?.n ?? 0)
      })))
      const size = NodeFs.statSync(globals.db).size
      lines.push(
        opened._tag === "Right"
          ? ["OK", `database ${globals.db}: ${Math.round(size / 1048576)} MB, ${opened.right} tables`]
          : ["FAIL", `database ${globals.db}: ${opened.left.message}`]
      )
    }
    // The consulta API is asked a real question (its base path alone is a 404 there); the details API has no
    // route without a contratação's id, so it is only checked to answer.
    const probe =
      `${globals.baseUrl.replace(/\/+$/, "")}/v1/contratos?dataInicial=20240701&dataFinal=20240701&pagina=1` +
      `&tamanhoPagina=10`
    const consulta = yield* reachable(probe)
    lines.push(
      consulta._tag === "Left"
        ? ["WARN", `${globals.baseUrl} unreachable (${consulta.left}): check the network or --base-url`]
        : consulta.right === 200 || consulta.right === 204
        ? ["OK", `${globals.baseUrl} answers a contratos query (HTTP ${consulta.right})`]
        : [
          "WARN",
          `${globals.baseUrl} answered HTTP ${consulta.right} to a contratos query: is --base-url the consulta API ` +
          `(${Endpoints.baseUrl})?`
        ]
    )
    const details = yield* reachable(globals.detailsUrl)
    lines.push(
      details._tag === "Left"
        ? ["WARN", `${globals.detailsUrl} unreachable (${details.left}): check the network or --details-url`]
        : details.right >= 500
        ? ["WARN", `${globals.detailsUrl} answers with a server error (HTTP ${details.right})`]
        : ["OK", `${globals.detailsUrl} answers (HTTP ${details.right})`]
    )
    const dir = NodePath.dirname(NodePath.resolve(globals.db))
    const free = yield* Effect.either(Effect.try(() => {
      const stats = NodeFs.statfsSync(NodeFs.existsSync(dir) ? dir : NodeProcess.cwd())
      return stats.bavail * stats.bsize
    }))
    if (free._tag === "Right") {
      const gb = free.right / 1024 ** 3
      lines.push([
        gb >= 2 ? "OK" : "WARN",
        `${gb.toFixed(1)} GB free for the database${gb >= 2 ? "" : ": a month takes ~1 GB"}`
      ])
    }
    // The directory DuckDB spills to, not the OS's: it is made (its last level only, as DuckDB does when it first
    // spills) or written to here, then cleaned up, so a path DuckDB could not use fails now rather than mid-run.
    const tmp = root.tempDirectory(globals)
    const usable = yield* Effect.either(Effect.try({
      try: () => {
        if (!NodeFs.existsSync(tmp)) {
          // beside the database, its directory comes with the database; a --temp-dir's parent must exist
          const made = NodeFs.mkdirSync(tmp, { recursive: Option.isNone(globals.tempDir) })
          NodeFs.rmSync(made ?? tmp, { recursive: true })
          return "can be created"
        }
        NodeFs.rmSync(NodeFs.mkdtempSync(NodePath.join(tmp, ".baliza-doctor-")), { recursive: true })
        return "writable"
      },
      catch: (cause) => cause instanceof Error ? cause.message : String(cause)
    }))
    lines.push(
      usable._tag === "Right"
        ? ["OK", `temp directory ${tmp} ${usable.right}`]
        : [
          "FAIL",
          `temp directory ${tmp} cannot be created or written (${usable.left}): DuckDB spills there; ` +
          `give --temp-dir a writable directory`
        ]
    )
    if (globals.json) {
      yield* Console.log(JSON.stringify(lines.map(([status, detail]) => ({ status, detail }))))
    } else {
      for (const [status, detail] of lines) yield* Console.log(`${status.padEnd(4)} ${detail}`)
    }
    if (lines.some(([status]) => status === "FAIL")) return yield* CliError.failed("doctor found problems (FAIL above)")
  })).pipe(Command.withDescription("Check Node, the database, the API, disk space and the temp directory"))
