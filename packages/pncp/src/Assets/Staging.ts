/**
 * Staging: one typed table per record kind, parsed in DuckDB from the raw archive with the Schema-derived
 * `from_json` types, deduplicated by natural key keeping the most recently updated version.
 *
 * **Details**
 *
 * Each table is rebuilt whole (`CREATE OR REPLACE`) from every archived page of its endpoints, so a rebuild is
 * idempotent, and the table changes in one transaction (see {@link build}). Among the versions of a key (a record
 * published, then updated in `…/atualizacao`) the one with the newest update timestamp wins, then the most recently
 * collected. Itens and arquivos carry the `numeroControlePNCP` of their contratação (the archive's partition key of
 * their pages). Codes are kept as they come; the `codes_known` check warns of those not in the manual's tables.
 *
 * @since 0.1.0
 */
import type * as Asset from "@baliza/core/Asset"
import * as AssetCheck from "@baliza/core/AssetCheck"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Sql from "@baliza/duckdb/Sql"
import * as Staging from "@baliza/duckdb/Staging"
import * as RawArchive from "@baliza/extract/RawArchive"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as CodeTables from "../CodeTables.js"
import * as Endpoints from "../Endpoints.js"
import { codesKnownCheck } from "../internal/codesKnown.js"
import { currentAnswers, inLatestDetailsFetch } from "../internal/currentAnswers.js"
import * as StagedSeries from "../internal/stagedSeries.js"
import * as Schemas from "../Schemas.js"
import * as Tables from "./Tables.js"

/**
 * How one staging table is built.
 *
 * @since 0.1.0
 * @category models
 */
export interface StagingTable {
  readonly table: string
  readonly description: string
  readonly endpoints: ReadonlyArray<string>
  readonly schema: Schema.Schema.AnyNoContext
  /** Where the records are in a page: `data` for the consulta envelope, `""` for a bare array. */
  readonly path: string
  /** Columns that identify a record; the newest version of each key is kept. */
  readonly key: ReadonlyArray<string>
  /** What orders versions, newest first (SQL over the record's columns). */
  readonly newest: string
  /** The compra key column carried from the archive's partition key (details). */
  readonly compraKey?: string | undefined
  /** Bumped when the table's columns change, so existing warehouses rebuild it (default 2). */
  readonly codeVersion?: string | undefined
  /**
   * The columns holding codes of the manual's domain tables (`column`: SQL over the table's columns, see
   * {@link field}): the `codes_known` check warns of the codes not in their `table`.
   */
  readonly codes?: ReadonlyArray<CodeColumn> | undefined
}

/**
 * A column, or a field of a struct column, as SQL: `field("amparoLegal", "codigo")` is `"amparoLegal"."codigo"`.
 *
 * @since 0.1.0
 * @category utils
 */
export const field = (...path: ReadonlyArray<string>): string => path.map(Sql.identifier).join(".")

/**
 * A staged column holding codes of a domain table: `column` is SQL over the table's columns (see {@link field}).
 *
 * @since 0.1.0
 * @category models
 */
export interface CodeColumn {
  readonly column: string
  readonly table: CodeTables.CodeTable
}

const sourceWhere = (spec: StagingTable) =>
  `endpoint IN (${spec.endpoints.map(Sql.literal).join(", ")}) AND http_status = 200 AND payload_size > 2`

/** The typed records of the archived pages of `spec` that pass `where` (over `raw.api_pages`). */
const recordsSql = (spec: StagingTable, where: string, source = "raw.api_pages") =>
  Staging.selectSql({
    source,
    payload: "payload",
    path: spec.path,
    schema: spec.schema,
    where,
    // the page each record came from: the newest version wins by collected_at, repeats are counted per series
    carry: ["collected_at", "endpoint", "partition_key", "page"]
  })

/** The staging table's columns: the record's, the compra key (details) named as the table has it. */
const stagedColumns = (spec: StagingTable, exclude: string) =>
  spec.compraKey === undefined
    ? `* EXCLUDE (${exclude}, endpoint, partition_key, page)`
    : `* EXCLUDE (${exclude}, endpoint, page) RENAME (partition_key AS ${Sql.identifier(spec.compraKey)})`

/**
 * Ranks each key's versions: the latest update first, a missing date last, then the page collected last, then (tied
 * to the millisecond) the page by its place in the archive, so that every build keeps the same one.
 */
const versionRank = (spec: StagingTable, newest = spec.newest) =>
  `row_number() OVER (PARTITION BY ${spec.key.map(Sql.identifier).join(", ")}
    ORDER BY ${newest} DESC NULLS LAST, collected_at DESC, endpoint DESC, partition_key DESC NULLS LAST,
      page DESC)`

/** The newest version of each key of `source`'s records, as the staging table. */
const newestSql = (spec: StagingTable, source: string) => {
  const ranked = `SELECT *, ${versionRank(spec)} AS __version FROM ${source}`
  return `CREATE OR REPLACE TABLE ${Sql.tableName(spec.table)} AS
SELECT ${stagedColumns(spec, "collected_at, __version")} FROM (${ranked})
WHERE __version = 1`
}

/**
 * The SQL that rebuilds a staging table in one statement (every page parsed at once; {@link build} bounds memory).
 *
 * @since 0.1.0
 * @category constructors
 */
export const buildSql = (spec: StagingTable): string => {
  // as `build`: the records without their key are left out (not merged into one), details of the latest fetch only
  const kept = [`NOT (${keyMissing(spec)})`, ...(spec.compraKey === undefined ? [] : [inLatestDetailsFetch("l")])]
  const current = `(SELECT * FROM (${recordsSql(spec, sourceWhere(spec))}) l WHERE ${kept.join(" AND ")})`
  return `CREATE SCHEMA IF NOT EXISTS staging;\n${newestSql(spec, current)}`
}

/**
 * Builds a staging table from the pages of the request series that changed since its last build (all of them the first
 * time, or with `full`): the pages are parsed a piece of a payload segment at a time (`pieceBytes`, default
 * {@link defaultPieceBytes}) into a load table, then, in one transaction, the newest version of each key is merged into
 * the table (the window spills to disk when it must).
 *
 * **Incremental builds**
 *
 * A build records which request series it read (`meta.staging_series`: each series' request count and latest
 * collection time) and how it was built (`meta.staging_builds`: a fingerprint of its SQL and code version). The next
 * build reads only the pages of the series whose requests changed since: a new day, a page fetched again, a
 * contratação's details fetched again. Its result is the table a full build would give:
 * - consulta tables keep every answer's records and the newest version of each key wins, so merging the touched series'
 *   newest versions with the kept ones (their version columns kept in `meta.staging_versions_<table>`) keeps the same
 *   winners;
 * - a details table's rows of a contratação come from its pages alone, so a touched contratação's rows are replaced;
 * - the quarantine and the repeated records of the touched series are recomputed, the others kept.
 * A table built with another fingerprint (its columns, key, version order or code version changed), or missing, is
 * built whole; so is every table with `full` (default {@link FullRebuild}), and the staging asset's table in a forced run
 * (`baliza materialize --force`).
 *
 * **Memory**
 *
 * DuckDB parses a vector of up to 2,048 rows at a time and a row here is a whole page (up to ~1.5 MB for 500
 * contratos): one statement over the whole archive held gigabytes (a month at the real volume peaked at 2.4 GB RSS,
 * and failed under a 300 MB memory limit); a segment holds about the archive's `segmentBytes` of pages (8 MiB by
 * default, 32 MiB in archives written before 2026-12-06), a piece at most `pieceBytes` of them (or one larger page).
 *
 * With `parallelism` above 1 (default: {@link Parallelism}) the pieces are parsed on that many connections at once
 * ({@link Staging.executeInParts}): a piece is one DuckDB task, so one connection parses on one core. The load table
 * is then filled in parts that commit on their own, but it is only scratch: the staging table changes in the last
 * transaction alone, and a build that fails or is killed before it leaves the table as it was (the next build
 * replaces the load table; a failed one drops it). A build that runs out of memory on several connections is built
 * again on one, with a warning. Inside the caller's transaction, or with `parallelism` 1, the whole build is one
 * transaction.
 *
 * @since 0.1.0
 * @category constructors
 */
export const build = (
  spec: StagingTable,
  options: {
    readonly parallelism?: number | undefined
    readonly pieceBytes?: number | undefined
    readonly full?: boolean | undefined
  } = {}
) =>
  Effect.gen(function*() {
    const db = yield* DuckDB.DuckDB
    const load = scratch(spec, "load")
    const touched = scratch(spec, "touched")
    const built = StagedSeries.fingerprint(buildSql(spec), spec.codeVersion ?? codeVersion, bookkeepingVersion)
    yield* db.execute(StagedSeries.tablesSql)
    const full = (options.full ?? (yield* FullRebuild)) || !(yield* builtWith(spec, built))
    yield* db.execute(`CREATE SCHEMA IF NOT EXISTS staging;
      ${StagedSeries.touchedSql(spec.table, spec.endpoints, touched, full)}`)
    // Dropped by the build's last transaction; a build that fails or is interrupted before drops it here.
    yield* Effect.onError(
      buildFrom(spec, options, { full, built, load, touched }),
      () => Effect.ignore(db.execute(`DROP TABLE IF EXISTS ${touched}`))
    )
  })

/** The build once `touched` holds the series to read (all of them when `full`). */
const buildFrom = (
  spec: StagingTable,
  options: { readonly parallelism?: number | undefined; readonly pieceBytes?: number | undefined },
  { built, full, load, touched }: {
    readonly full: boolean
    readonly built: string
    readonly load: string
    readonly touched: string
  }
) =>
  Effect.gen(function*() {
    const db = yield* DuckDB.DuckDB
    const where = sourceWhere(spec)
    const winners = scratch(spec, "winners")
    const [{ series }] = yield* db.queryAs(Count)(`SELECT count(*)::INTEGER AS series FROM ${touched}`)
    if (!full && series === 0) {
      yield* db.execute(`DROP TABLE ${touched}`)
      return
    }
    const pagesWhere = full ? where : `${where} AND ${StagedSeries.isTouched("__pages", touched)}`
    // Only the segments holding pages to read: a segment is scanned whole, and extraction fills segments largely
    // endpoint by endpoint and day by day (a 5-day archive: instrumentos in 1 of 10 segments, atas in 3, contratos in 2).
    const segments = yield* db.query(`SELECT DISTINCT i.segment FROM raw.api_requests __pages
      JOIN raw.payload_index i ON i.sha256 = __pages.payload_sha256 WHERE ${pagesWhere} ORDER BY i.segment`)
    const pagesOf = (segment: number, rowids?: Staging.RowidRange) =>
      `WITH __pages AS (SELECT r.*, p.payload FROM ${RawArchive.segmentTable(segment)} p
         JOIN raw.api_requests r ON r.payload_sha256 = p.sha256${
        rowids === undefined ? "" : ` WHERE p.rowid >= ${rowids.from} AND p.rowid < ${rowids.to}`
      })\n`
    const createLoad = db.execute(
      `CREATE OR REPLACE TABLE ${load} AS ${pagesOf(0)}${recordsSql(spec, where, "__pages")}\nLIMIT 0`
    )
    const pieces = segments.length === 0 ? [] : yield* db.queryAs(Piece)(
      piecesSql(segments.map((row) => Number(row.segment)), options.pieceBytes ?? defaultPieceBytes)
    )
    const inserts = pieces.map((piece) =>
      `INSERT INTO ${load} ${pagesOf(piece.segment, piece)}${recordsSql(spec, pagesWhere, "__pages")}`
    )
    // A record without its key cannot be told apart from another: set aside with the reason, never merged away. A
    // contratação's details are those of its latest fetch; the consulta tables keep every answer's records, as their
    // pages shift while the API is paged and a later answer may skip a record the API still has (`repeatsSql`). The
    // window ranks only the version columns and the rows it keeps are read back by rowid: ranking whole records held
    // every column of every version in the window (a month: 329 MB of DuckDB's memory in the window alone).
    const ofTable = (alias: string) => StagedSeries.replacedRows(alias, spec.table, touched, full)
    const replace = db.execute(`CREATE TABLE IF NOT EXISTS staging.quarantine (
        table_name VARCHAR NOT NULL, reason VARCHAR NOT NULL, record JSON NOT NULL, collected_at TIMESTAMP);
      ALTER TABLE staging.quarantine ADD COLUMN IF NOT EXISTS endpoint VARCHAR;
      ALTER TABLE staging.quarantine ADD COLUMN IF NOT EXISTS partition_key VARCHAR;
      DELETE FROM staging.quarantine AS q WHERE ${ofTable("q")};
      INSERT INTO staging.quarantine BY NAME
        SELECT ${Sql.literal(spec.table)} AS table_name, ${Sql.literal(`no ${spec.key.join(", ")}`)} AS reason,
          to_json(l) AS record, l.collected_at, l.endpoint, l.partition_key
        FROM ${load} AS l WHERE ${keyMissing(spec)};
      DELETE FROM ${load} WHERE ${keyMissing(spec)};${
      spec.compraKey === undefined ? "" : `\n      DELETE FROM ${load} AS l WHERE NOT (${inLatestDetailsFetch("l")});`
    }
      ${repeatsSql(spec, load, ofTable("r"))};
      CREATE OR REPLACE TABLE ${winners} AS SELECT rowid AS rid FROM ${load} QUALIFY ${versionRank(spec)} = 1;
      ${full ? replaceSql(spec, load, winners) : mergeSql(spec, load, winners, touched)};
      ${StagedSeries.recordSql(spec.table, touched, built, full)};
      DROP TABLE ${load}; DROP TABLE ${winners}; DROP TABLE ${touched}`)
    const steps = (parallelism: number) =>
      Effect.gen(function*() {
        yield* createLoad
        yield* Staging.executeInParts(inserts, parallelism)
        yield* db.withTransaction(replace)
      })
    const parallelism = options.parallelism ?? (yield* Parallelism)
    const run = parallelism === 1 || (yield* db.inTransaction)
      ? db.withTransaction(steps(parallelism))
      : steps(parallelism).pipe(
        Effect.onError(() => Effect.ignore(db.execute(`DROP TABLE IF EXISTS ${load}`))),
        // Each connection holds the parse of a segment: what fits in memory_limit once may not fit n times.
        Effect.catchIf(
          (error) => error.reason === "OutOfMemory",
          (error) =>
            Effect.logWarning(
              `Staging ${spec.table} on ${parallelism} connections ran out of memory; building it on one instead ` +
                `(${error.message})`
            ).pipe(Effect.zipRight(db.withTransaction(steps(1))))
        )
      )
    yield* run
  })

/** A table of a build's own, dropped when it ends: `staging.contratos__load`, … */
const scratch = (spec: StagingTable, suffix: string) => Sql.tableName(`${spec.table}__${suffix}`)

/** Bumped when what the bookkeeping records changes: tables built before are built whole once. */
const bookkeepingVersion = "2"

const Count = Schema.Struct({ series: Schema.Number })

/** Where a consulta table keeps the version columns of its rows: what a merge compares new versions with. */
const versionsName = (spec: StagingTable) => `meta.staging_versions_${spec.table.slice(spec.table.indexOf(".") + 1)}`
const versionsTable = (spec: StagingTable) => Sql.tableName(versionsName(spec))

/** A row's version as the load has it: its key, its `newest` value (computed once, from the record), its page. */
const versionColumns = (spec: StagingTable) =>
  [...spec.key.map(Sql.identifier), `${spec.newest} AS __newest`, "collected_at", "endpoint", "partition_key", "page"]
    .join(", ")

/** Whether `spec`'s table was last built as `built` is, and everything a merge needs is there. */
const builtWith = (spec: StagingTable, built: string) =>
  Effect.gen(function*() {
    const [row] = yield* DuckDB.query(StagedSeries.builtWithSql(spec.table))
    if (row?.fingerprint !== built) return false
    const needed = [spec.table, ...(spec.compraKey === undefined ? [versionsName(spec)] : [])]
    const found = yield* DuckDB.query(
      `SELECT count(*)::INTEGER AS n FROM duckdb_tables()
       WHERE database_name = current_database()
         AND schema_name || '.' || table_name IN (${needed.map(Sql.literal).join(", ")})`
    )
    return Number(found[0]?.n) === needed.length
  })

/** A full build: the load's newest versions are the table (and, for a consulta table, its version columns). */
const replaceSql = (spec: StagingTable, load: string, winners: string) => {
  const kept = `FROM ${load} WHERE rowid IN (SELECT rid FROM ${winners})`
  return [
    `CREATE OR REPLACE TABLE ${Sql.tableName(spec.table)} AS SELECT ${stagedColumns(spec, "collected_at")} ${kept}`,
    ...(spec.compraKey === undefined
      ? [`CREATE OR REPLACE TABLE ${versionsTable(spec)} AS SELECT ${versionColumns(spec)} ${kept}`]
      : [])
  ].join(";\n      ")
}

/**
 * An incremental build. A details table: the touched contratações' rows are replaced by the load's. A consulta table:
 * each key of the load keeps the newer of its kept version and the load's newest one, ranked as a full build ranks
 * them.
 */
const mergeSql = (spec: StagingTable, load: string, winners: string, touched: string) => {
  const table = Sql.tableName(spec.table)
  if (spec.compraKey !== undefined) {
    return `DELETE FROM ${table} WHERE ${Sql.identifier(spec.compraKey)} IN (SELECT partition_key FROM ${touched});
      INSERT INTO ${table} BY NAME SELECT ${stagedColumns(spec, "collected_at")}
        FROM ${load} WHERE rowid IN (SELECT rid FROM ${winners})`
  }
  const versions = versionsTable(spec)
  const keys = spec.key.map(Sql.identifier)
  const sameKey = (a: string, b: string) => keys.map((key) => `${a}.${key} = ${b}.${key}`).join(" AND ")
  const newer = scratch(spec, "newer")
  const newRows = `FROM ${load} WHERE rowid IN (SELECT rid FROM ${newer})`
  return `CREATE OR REPLACE TABLE ${newer} AS
      SELECT rid FROM (
        SELECT ${versionColumns(spec)}, rowid AS rid FROM ${load} WHERE rowid IN (SELECT rid FROM ${winners})
        UNION ALL
        SELECT ${keys.join(", ")}, __newest, collected_at, endpoint, partition_key, page, NULL AS rid
        FROM ${versions} v WHERE EXISTS (SELECT 1 FROM ${load} l WHERE ${sameKey("l", "v")}))
      QUALIFY ${versionRank(spec, "__newest")} = 1 AND rid IS NOT NULL;
      DELETE FROM ${table} AS s USING (SELECT ${keys.join(", ")} ${newRows}) n WHERE ${sameKey("s", "n")};
      DELETE FROM ${versions} AS s USING (SELECT ${keys.join(", ")} ${newRows}) n WHERE ${sameKey("s", "n")};
      INSERT INTO ${table} BY NAME SELECT ${stagedColumns(spec, "collected_at")} ${newRows};
      INSERT INTO ${versions} BY NAME SELECT ${versionColumns(spec)} ${newRows};
      DROP TABLE ${newer}`
}

/**
 * Whether every staging build rebuilds its table whole, ignoring what earlier builds recorded (default false: a build
 * reads only the request series that changed, unless the run is forced).
 *
 * @since 0.1.0
 * @category references
 */
export class FullRebuild extends Context.Reference<FullRebuild>()("@baliza/pncp/Staging/FullRebuild", {
  defaultValue: () => false
}) {}

/**
 * The bodies one insert of a staging build parses at most, in bytes (a larger body is parsed alone): DuckDB's
 * `from_json` holds the parse of everything a statement's vector carries, and a vector of ~1 MB PCA pages is a whole
 * segment. The five consulta tables of a month at the real volume in 32 MiB segments, rebuilt in a fresh process on 2
 * connections, alternating: whole segments peaked at 997–1,201 MB of RSS (15.3–22.2 s), 16 MiB pieces at 904–1,015 MB
 * (17.0–19.9 s), 8 MiB pieces at 842–876 MB but 21.0–24.4 s: a piece in the middle of a segment decompresses the
 * strings before it. The archive's segments are 8 MiB now: each is one piece.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPieceBytes = 16 * 1024 * 1024

/** The segments' rowid ranges holding about `bytes` of bodies each (their `size` column only), in one query. */
const piecesSql = (segments: ReadonlyArray<number>, bytes: number) =>
  segments.map((segment) =>
    `SELECT ${segment} AS segment, min(rowid)::BIGINT AS "from", (max(rowid) + 1)::BIGINT AS "to"
     FROM (SELECT rowid, sum(size) OVER (ORDER BY rowid ROWS UNBOUNDED PRECEDING) - size AS before
           FROM ${RawArchive.segmentTable(segment)})
     GROUP BY before // ${Math.max(1, Math.floor(bytes))}`
  ).join("\nUNION ALL\n") + "\nORDER BY segment, \"from\""

const Piece = Schema.Struct({ segment: Schema.Number, from: Schema.Number, to: Schema.Number })

/**
 * How many connections parse a staging table's payload segments at once (default 2; `Warehouse` options
 * `stagingParallelism`). A month at the real volume on 2 cores, the five consulta tables rebuilt from one database:
 * 13.6–14.9 s with 2 connections against 18.6–20.3 s with one. Each connection holds the parse of one segment (up to a
 * few hundred MB for a segment of ~1 MB pages) within DuckDB's `memory_limit`: at 256 MB that month's contratações,
 * contratos and PCA each fit on one connection, and may not on two (it depends on which segments are parsed at the same
 * moment); such a build falls back to one connection.
 *
 * @since 0.1.0
 * @category references
 */
export class Parallelism extends Context.Reference<Parallelism>()("@baliza/pncp/Staging/Parallelism", {
  defaultValue: () => 2
}) {}

/**
 * Records `staging.repeated_records`: the request series (a raw partition, or one of its series) whose current answers
 * list some key more than once. The API pages a query that can change while it is paged: a record inserted or
 * reordered between two page requests shifts the later pages, so one record comes twice and another may never come,
 * while the counts still add up to `totalRegistros`. Only the current answers count, as for the reconciliation: the
 * latest answer of each page up to the series' current end (`--refetch` keeps the old answers).
 */
const repeatsSql = (spec: StagingTable, load: string, scope: string) => {
  const key = spec.key.length === 1 ? Sql.identifier(spec.key[0]!) : `(${spec.key.map(Sql.identifier).join(", ")})`
  const table = Sql.literal(spec.table)
  return `CREATE TABLE IF NOT EXISTS staging.repeated_records (table_name VARCHAR NOT NULL, endpoint VARCHAR NOT NULL,
        partition_key VARCHAR, records BIGINT NOT NULL, keys BIGINT NOT NULL);
      DELETE FROM staging.repeated_records AS r WHERE ${scope};
      INSERT INTO staging.repeated_records
        SELECT ${table}, endpoint, partition_key, count(*), count(DISTINCT ${key})
        FROM (WITH ${currentAnswers(`endpoint IN (${spec.endpoints.map(Sql.literal).join(", ")})`)}
              SELECT l.endpoint, l.partition_key, ${spec.key.map((column) => `l.${Sql.identifier(column)}`).join(", ")}
              FROM ${load} l JOIN answers a ON a.endpoint = l.endpoint
                AND a.partition_key IS NOT DISTINCT FROM l.partition_key AND a.page = l.page
                AND a.collected_at = l.collected_at)
        GROUP BY endpoint, partition_key HAVING count(*) > count(DISTINCT ${key})`
}

// A blank key (`""`) tells records apart no better than NULL; as text any column type can be tested (a number is
// never blank).
const keyMissing = (spec: StagingTable) =>
  spec.key.map((column) => `nullif(trim(${Sql.identifier(column)}::VARCHAR), '') IS NULL`).join(" OR ")

/** Warns when records were set aside for want of their key (they stay in `staging.quarantine`). */
const keysCheck = (spec: StagingTable) =>
  AssetCheck.make({
    name: "keys_present",
    description: `every record has its key (${spec.key.join(", ")}); those without are in staging.quarantine`,
    severity: "Warn",
    evaluate: () =>
      Effect.map(
        DuckDB.query("SELECT count(*)::BIGINT AS n FROM staging.quarantine WHERE table_name = $1", [spec.table]),
        ([row]) => {
          const n = Number(row?.n ?? 0)
          return n === 0
            ? AssetCheck.pass()
            : AssetCheck.fail(`${n} record(s) without ${spec.key.join(", ")} set aside in staging.quarantine`, {
              quarantined: n
            })
        }
      )
  })

/** Warns of request series whose pages list a record twice: the API's pages shifted, a record may be missing. */
const repeatsCheck = (spec: StagingTable) =>
  AssetCheck.make({
    name: "records_once_per_series",
    description: "no request series lists a record twice across its pages (those that do are in " +
      "staging.repeated_records)",
    severity: "Warn",
    evaluate: () =>
      Effect.map(
        DuckDB.query(
          `SELECT endpoint, partition_key, records, keys FROM staging.repeated_records WHERE table_name = $1
           ORDER BY endpoint, partition_key`,
          [spec.table]
        ),
        (rows) => {
          if (rows.length === 0) return AssetCheck.pass()
          const listed = rows.slice(0, 5).map((row) =>
            `${String(row.endpoint)} ${String(row.partition_key)} (${Number(row.records)} records, ${
              Number(row.keys)
            } distinct)`
          )
          // A consulta series is a paged query; a contratação's itens or arquivos are one answer, kept once.
          const advice = spec.compraKey === undefined
            ? "The API's pages shifted while they were fetched, so other records may be missing: fetch those " +
              "partitions again with --refetch"
            : "The API answered them so for those contratações; each is kept once"
          return AssetCheck.fail(
            `${rows.length} request series list a record more than once across their pages: ` +
              `${listed.join(", ")}${rows.length > 5 ? ", …" : ""}. ${advice} (all are in staging.repeated_records).`,
            { series: rows.length }
          )
        }
      )
  })

const names = (endpoints: ReadonlyArray<Endpoints.Endpoint>) => endpoints.map((endpoint) => endpoint.name)

/**
 * The staging tables.
 *
 * @since 0.1.0
 * @category constants
 */
export const tables: ReadonlyArray<StagingTable> = [
  {
    table: "staging.contratacoes",
    description: "Contratações (compras), the newest version of each numeroControlePNCP",
    endpoints: names([
      Endpoints.contratacoesPublicacao,
      Endpoints.contratacoesAtualizacao,
      Endpoints.contratacoesProposta
    ]),
    schema: Schemas.Contratacao,
    path: "data",
    key: ["numeroControlePNCP"],
    newest: "dataAtualizacaoGlobal",
    // 3: orgaoSubRogado, unidadeSubRogada and fontesOrcamentarias are structs (were JSON text). 4: as the default's 3.
    codeVersion: "4",
    // Manual §6.3. orgaoEntidade.poderId/esferaId (letters) and fontesOrcamentarias' codigo have no table in §5.
    codes: [
      { column: field("tipoInstrumentoConvocatorioCodigo"), table: CodeTables.instrumentoConvocatorio },
      { column: field("modalidadeId"), table: CodeTables.modalidade },
      { column: field("modoDisputaId"), table: CodeTables.modoDisputa },
      { column: field("situacaoCompraId"), table: CodeTables.situacaoContratacao },
      { column: field("amparoLegal", "codigo"), table: CodeTables.amparoLegal }
    ]
  },
  {
    table: "staging.contratos",
    description: "Contratos, the newest version of each numeroControlePNCP",
    endpoints: names([Endpoints.contratos, Endpoints.contratosAtualizacao]),
    schema: Schemas.Contrato,
    path: "data",
    key: ["numeroControlePNCP"],
    newest: "dataAtualizacaoGlobal",
    // 3: orgaoSubRogado and unidadeSubRogada are structs (were JSON text). 4: as the default's 3.
    codeVersion: "4",
    // Manual §6.6: tipoContrato.id and categoriaProcesso.id are codes of §5.9 and §5.11.
    codes: [
      { column: field("tipoContrato", "id"), table: CodeTables.tipoContrato },
      { column: field("categoriaProcesso", "id"), table: CodeTables.categoriaProcesso }
    ]
  },
  {
    table: "staging.atas",
    description: "Atas de registro de preço, the newest version of each numeroControlePNCPAta",
    endpoints: names([Endpoints.atas, Endpoints.atasAtualizacao]),
    schema: Schemas.Ata,
    path: "data",
    key: ["numeroControlePNCPAta"],
    newest: "dataAtualizacaoGlobal"
  },
  {
    table: "staging.pca",
    description: "Planos de contratações anuais (units with their itens), the newest version of each idPcaPncp",
    endpoints: names([Endpoints.pcaAtualizacao]),
    schema: Schemas.Pca,
    path: "data",
    key: ["idPcaPncp"],
    newest: "dataAtualizacaoGlobalPCA"
  },
  {
    table: "staging.instrumentos_cobranca",
    description: "Instrumentos de cobrança (NF-e of contratos)",
    endpoints: names([Endpoints.instrumentosCobranca]),
    schema: Schemas.InstrumentoCobranca,
    path: "data",
    key: ["cnpj", "ano", "sequencialContrato", "sequencialInstrumentoCobranca"],
    // Its update, or a later look-up of its NF-e (which brings the nota's new events): the later of the two. By the
    // look-up alone, a version corrected later that no longer has an NF-e lost to the one before it.
    newest: "greatest(dataAtualizacao, dataConsultaNFe)",
    // 3: the contrato's orgaoSubRogado, unidadeSubRogada and the NF-e's eventos are structs (were JSON). 4: as the
    // default's 3. 5: newest by update or look-up.
    codeVersion: "5",
    // The contrato's, as in staging.contratos; tipoInstrumentoCobranca has no table in the manual.
    codes: [
      { column: field("recuperarContratoDTO", "tipoContrato", "id"), table: CodeTables.tipoContrato },
      { column: field("recuperarContratoDTO", "categoriaProcesso", "id"), table: CodeTables.categoriaProcesso }
    ]
  },
  {
    table: "staging.itens",
    description: "Itens of each contratação with details, keyed by (numeroControlePNCPCompra, numeroItem)",
    endpoints: ["itens"],
    schema: Schemas.Item,
    path: "",
    key: ["partition_key", "numeroItem"],
    newest: "dataAtualizacao",
    compraKey: "numeroControlePNCPCompra",
    // itemCategoriaId is the integração API's categoria do item (3 "Não se aplica" in the real sample), not §5.16's
    // categoria do item do PCA; tipoMargemPreferencia and the catálogo have no table in the manual.
    codes: [
      { column: field("criterioJulgamentoId"), table: CodeTables.criterioJulgamento },
      { column: field("situacaoCompraItem"), table: CodeTables.situacaoItem },
      { column: field("tipoBeneficio"), table: CodeTables.tipoBeneficio }
    ]
  },
  {
    table: "staging.arquivos",
    description: "Documents of each contratação with details",
    endpoints: ["arquivos"],
    schema: Schemas.Arquivo,
    path: "",
    key: ["partition_key", "sequencialDocumento"],
    newest: "dataPublicacaoPncp",
    compraKey: "numeroControlePNCPCompra",
    codes: [{ column: field("tipoDocumentoId"), table: CodeTables.tipoDocumento }]
  }
]

// Every staging table's, unless its spec bumps its own. 2: records without their key go to staging.quarantine
// instead of being merged into one. 3: so do records whose key is blank; a details answer that is an error body no
// longer hides the fetch before it.
const codeVersion = "3"

/**
 * The staging asset of a table, downstream of the raw assets of its endpoints.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (spec: StagingTable, raw: ReadonlyArray<Asset.Any>) =>
  Tables.make({
    table: spec.table,
    description: spec.description,
    deps: raw,
    // a forced run starts over, also for a step that failed last: the table built whole, not merged
    build: (context) => build(spec, context.forced ? { full: true } : {}),
    checks: [
      keysCheck(spec),
      repeatsCheck(spec),
      ...(spec.codes === undefined || spec.codes.length === 0 ? [] : [codesKnownCheck(spec.table, spec.codes)])
    ],
    schema: spec.schema,
    codeVersion: spec.codeVersion ?? codeVersion
  })
