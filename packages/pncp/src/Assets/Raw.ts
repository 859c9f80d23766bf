/**
 * Raw assets: one per consulta endpoint, each partition extracted page by page into the raw archive.
 *
 * **Details**
 *
 * A partition (a day, a day × modalidade, a window) becomes one or more request series (`requests`); each series is
 * paged through `PncpClient.consulta` (retries, breaker, rate limit, adaptive concurrency) into `PageCheckpoint`,
 * which commits pages and their checkpoint together. A series whose checkpoint is complete is not requested again;
 * a killed run resumes after the last committed page. A series that fails (the breaker opened, retries ran out) is
 * recorded in `meta.failed_requests` and fails the step, so the partition is retried by the next run.
 *
 * The step then reconciles, series by series, what the archive holds with what the API announced: the current answers
 * of a series' pages must all announce the same `totalRegistros` and `totalPaginas`, and its archived records and
 * pages must equal them. The `reconciliation` check fails the partition on a mismatch, with the numbers and the
 * series; the checkpoints of the series that do not reconcile are reset, so the next run (or `retry-failed`) fetches
 * them again from page 1 rather than trusting a checkpoint a transient answer (a 204 mid-series) closed.
 *
 * Record shapes that depart from the staging Schema are stored by `SchemaDrift` and reported by the `schema_drift`
 * warning check. Drift is judged on every page the partition's archive holds: the pages fetched by this attempt as
 * they pass, and those archived before it (by a run that failed after them, or all of them when a complete partition
 * is forced) read back from the archive. An attempt that fails stores the departures its pages showed all the same.
 *
 * @since 0.1.0
 */
import * as Asset from "@baliza/core/Asset"
import * as AssetCheck from "@baliza/core/AssetCheck"
import type * as Partitions from "@baliza/core/Partitions"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as FailedRequests from "@baliza/extract/FailedRequests"
import type * as HttpSource from "@baliza/extract/HttpSource"
import * as PageCheckpoint from "@baliza/extract/PageCheckpoint"
import * as Pagination from "@baliza/extract/Pagination"
import * as Arr from "effect/Array"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as Endpoints from "../Endpoints.js"
import * as ArchivedRecords from "../internal/archivedRecords.js"
import { currentAnswers } from "../internal/currentAnswers.js"
import { warnWhenListed } from "../internal/listedCheck.js"
import * as PncpClient from "../PncpClient.js"
import * as SchemaDrift from "../SchemaDrift.js"

/**
 * What a raw asset needs to know about its endpoint.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawEndpoint {
  /** The endpoint's name: the asset key's last segment and the archive's `endpoint`. */
  readonly name: string
  /** Path relative to the consulta base. */
  readonly path: string
  /** Page size requested (the endpoint's maximum). */
  readonly pageSize: number
  readonly partitions: Partitions.PartitionsDefinition
  /** The request series of a partition: query parameters without `pagina`/`tamanhoPagina`. */
  readonly requests: (partitionKey: string) => ReadonlyArray<HttpSource.Params>
  /** Pages of one series fetched ahead of the archive (default {@link pagesAhead}). */
  readonly pagesAhead?: number | undefined
  /** The record Schema staging loads, to detect drift against. */
  readonly schema: Schema.Schema.Any
  /**
   * Checked before a partition is extracted (`Endpoints.validate`): a setting out of range, such as a `chunkDays` the
   * API would refuse, fails the step with its typed error, not with a defect or a 422 per series.
   */
  readonly validate?: Effect.Effect<unknown, Endpoints.InvalidEndpoint> | undefined
  readonly description?: string | undefined
}

/**
 * Pages of one request series fetched ahead of the archive. The client's concurrency already bounds the requests in
 * flight across series; more pages ahead only hold more bodies (PCA pages are ~1 MB) while they wait for the writer.
 *
 * @since 0.1.0
 * @category constants
 */
export const pagesAhead = 2

/**
 * The archive's partition key of request series `index` of `count` in a step's partition.
 *
 * @since 0.1.0
 * @category utils
 */
export const seriesKey = (partitionKey: string, index: number, count: number): string =>
  count === 1 ? partitionKey : `${partitionKey}#${index + 1}`

const reconciliationCheck = AssetCheck.make({
  name: "reconciliation",
  description: "each request series' archived records and pages equal the totalRegistros and totalPaginas its pages " +
    "all announced, and every page is sound",
  evaluate: ({ metadata }) => {
    const problems: Array<string> = []
    const unreconciled = typeof metadata.unreconciled === "string" ? metadata.unreconciled : ""
    if (
      metadata.records !== metadata.totalRegistros || metadata.pages !== metadata.totalPaginas ||
      unreconciled.length > 0
    ) {
      problems.push(
        `archived ${String(metadata.records)} records in ${String(metadata.pages)} pages, the API announced ` +
          `${String(metadata.totalRegistros)} records in ${String(metadata.totalPaginas)} pages`
      )
    }
    if (unreconciled.length > 0) problems.push(unreconciled)
    if (typeof metadata.pageProblems === "string" && metadata.pageProblems.length > 0) {
      problems.push(metadata.pageProblems)
    }
    if (typeof metadata.fetchAgain === "string" && metadata.fetchAgain.length > 0) {
      problems.push(`${metadata.fetchAgain} will be fetched again from page 1 on the next run`)
    }
    return Effect.succeed(
      problems.length === 0
        ? AssetCheck.pass(`${String(metadata.records)} records in ${String(metadata.pages)} pages`)
        : AssetCheck.fail(problems.join("; "))
    )
  }
})

const driftCheck = warnWhenListed({
  name: "schema_drift",
  description: "records have the fields of the staging Schema (new shapes are in meta.schema_versions)",
  field: "driftedShapes",
  message: (listed) => `new record shapes: ${listed}`
})

/** What the archive holds for one request series, by the current answer of each of its pages. */
interface SeriesTotals {
  readonly key: string
  readonly pages: number
  readonly records: number
  readonly bytes: number
  /** What the latest of its pages announced. */
  readonly totalRegistros: number
  readonly totalPaginas: number
  /** The different totals its pages announced, with their pages, when they do not all agree (empty: they do). */
  readonly announced: string
  /** Pages the API answered wrongly, one phrase each (empty: none). */
  readonly pageProblems: string
}

const reconciles = (series: SeriesTotals): boolean =>
  series.records === series.totalRegistros && series.pages === series.totalPaginas && series.announced === "" &&
  series.pageProblems === ""

const textOf = (value: unknown): string => value === null || value === undefined ? "" : String(value)

/**
 * The common table expressions `latest`, `ends` and `answers` over the `raw.api_requests` rows matching `where`:
 * `answers` is each page's current answer (its latest, up to the series' current end), what reconciliation counts.
 * For a check of one's own over the archive that agrees with the pipeline's (`baliza verify`).
 *
 * @since 0.1.0
 * @category reconciliation
 */
export const currentAnswersSql: (where: string) => string = currentAnswers

/**
 * What the archive holds for each of some series: pages with data (a 204 is an archived empty answer, not a page),
 * their records, the totals announced by its latest answer and whether its pages all announced the same, and the
 * data version of them all. A page fetched again (`refetch`) counts by its latest answer, and pages past the series'
 * current end (its latest total, or a 204) no longer count.
 */
const archiveTotals = (endpoint: string, keys: ReadonlyArray<string>) =>
  Effect.map(
    DuckDB.query(
      `WITH ${currentAnswers("endpoint = $1 AND list_contains($2::VARCHAR[], partition_key)")},
       series AS (
         SELECT partition_key,
                count(*) FILTER (WHERE http_status = 200) AS pages,
                coalesce(sum(records), 0) AS records,
                coalesce(sum(payload_size), 0) AS bytes,
                coalesce(arg_max(total_records, collected_at), 0) AS total_records,
                coalesce(arg_max(total_pages, collected_at), 0) AS total_pages,
                string_agg(payload_sha256, ',' ORDER BY page) AS shas,
                -- A page with a body but no records (\`data\` missing or not a list), or without the totals.
                string_agg(page::VARCHAR, ', ' ORDER BY page) FILTER (WHERE http_status = 200 AND records = 0)
                  AS empty_pages,
                string_agg(page::VARCHAR, ', ' ORDER BY page)
                  FILTER (WHERE http_status = 200 AND (total_pages IS NULL OR total_records IS NULL)) AS unannounced
         FROM answers
         GROUP BY partition_key),
       -- Pages whose payload is another page's (the server repeated a page): their records would hide the real ones.
       repeats AS (
         SELECT partition_key, string_agg('pages ' || pages || ' are the same payload', ', ') AS repeated
         FROM (SELECT partition_key, string_agg(page::VARCHAR, ' and ' ORDER BY page) AS pages
               FROM answers
               WHERE http_status = 200
               GROUP BY partition_key, payload_sha256 HAVING count(*) > 1)
         GROUP BY partition_key),
       -- The totals a series' pages announced, each with its pages: a series whose total changed while it was paged
       -- has records shifted onto pages already read (or past them), which its latest total alone would not show.
       announced AS (
         SELECT partition_key, count(*) AS variants,
                string_agg(total_records || ' records in ' || total_pages || ' pages (' || pages || ')', ', '
                  ORDER BY first_page) AS totals
         FROM (SELECT partition_key, total_records, total_pages, min(page) AS first_page,
                      CASE WHEN count(*) <= 5 THEN 'page(s) ' || string_agg(page::VARCHAR, ', ' ORDER BY page)
                           ELSE count(*) || ' pages from ' || min(page) || ' to ' || max(page) END AS pages
               FROM answers
               WHERE http_status = 200 AND total_records IS NOT NULL AND total_pages IS NOT NULL
               GROUP BY partition_key, total_records, total_pages)
         GROUP BY partition_key)
       SELECT s.partition_key AS key, s.pages::BIGINT AS pages, s.records::BIGINT AS records,
              s.bytes::BIGINT AS bytes, s.total_records::BIGINT AS "totalRegistros",
              s.total_pages::BIGINT AS "totalPaginas",
              CASE WHEN a.variants > 1 THEN a.totals END AS announced,
              concat_ws(', ',
                'page(s) ' || empty_pages || ' of ' || s.partition_key || ' have no records list',
                'page(s) ' || unannounced || ' of ' || s.partition_key || ' lack totalRegistros/totalPaginas',
                r.repeated || ' in ' || s.partition_key) AS "pageProblems",
              (SELECT md5(string_agg(shas, ';' ORDER BY partition_key)) FROM series) AS version
       FROM series s LEFT JOIN repeats r USING (partition_key) LEFT JOIN announced a USING (partition_key)
       ORDER BY s.partition_key`,
      [endpoint, keys]
    ),
    (rows) => ({
      series: rows.map((row): SeriesTotals => ({
        key: textOf(row.key),
        pages: Number(row.pages ?? 0),
        records: Number(row.records ?? 0),
        bytes: Number(row.bytes ?? 0),
        totalRegistros: Number(row.totalRegistros ?? 0),
        totalPaginas: Number(row.totalPaginas ?? 0),
        announced: textOf(row.announced),
        pageProblems: textOf(row.pageProblems)
      })),
      version: rows[0]?.version === null || rows[0]?.version === undefined ? "empty" : String(rows[0].version)
    })
  )

/**
 * The pages of a series the archive held before this attempt: its checkpoint's (all of them once it is complete).
 * They are not fetched again, or are fetched and skipped: their shapes are read from the archive.
 */
const archivedBefore = (key: string, stored: Option.Option<PageCheckpoint.Checkpoint>) =>
  Option.map(stored, (checkpoint): ArchivedRecords.ArchivedPages => ({
    key,
    lastPage: Option.isNone(PageCheckpoint.nextPage(checkpoint)) ? undefined : checkpoint.lastPage,
    pending: checkpoint.pendingPages
  }))

/** Stores the shapes a partition's records showed and logs each new departure once; returns the shapes. */
const recordDrift = (
  endpoint: RawEndpoint,
  seen: ReadonlyArray<SchemaDrift.Shape>,
  seenBy: { readonly runId: string; readonly partitionKey: string }
) =>
  Effect.gen(function*() {
    const fresh = yield* SchemaDrift.record(endpoint.name, seen, seenBy)
    for (const shape of fresh.filter((shape) => shape.flagged)) {
      yield* Effect.logWarning(
        `schema drift in ${endpoint.name}: unknown fields [${shape.unknown.join(", ")}], ` +
          `missing fields [${shape.missing.join(", ")}]`
      )
    }
    return seen
  })

/**
 * Extracts one partition of an endpoint into the archive and reports what the archive holds for it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const extractPartition = (endpoint: RawEndpoint, context: Asset.StepContext) =>
  Effect.gen(function*() {
    const client = yield* PncpClient.PncpClient
    const checkpoints = yield* PageCheckpoint.PageCheckpoint
    const failed = yield* FailedRequests.FailedRequests
    if (endpoint.validate !== undefined) yield* endpoint.validate
    const partitionKey = context.partitionKey ?? "all"
    const requests = endpoint.requests(partitionKey)
    const keys = requests.map((_, index) => seriesKey(partitionKey, index, requests.length))
    const shapes = SchemaDrift.collector(SchemaDrift.knownFields(endpoint.schema))
    const seenBy = { runId: context.runId, partitionKey }
    const pagination = Pagination.pncp({ pageSize: endpoint.pageSize })
    // Forced, at the first attempt: a retry, or the restart of a run that failed (not forced again), resumes.
    if (client.settings.refetch === true && context.forced && context.attempt === 1) {
      yield* Effect.forEach(keys, (key) => checkpoints.reset(endpoint.name, key), { discard: true })
    }

    // The series' checkpoints in one read (a day of contratações has 13 series), each handed to its archivePages.
    const stored = yield* checkpoints.resumePoints(endpoint.name, keys)
    // Series one after the other: their pages are already fetched concurrently, and steps run side by side.
    const extracted = Effect.forEach(requests, (params, index) =>
      Effect.gen(function*() {
        const key = keys[index] ?? partitionKey
        const checkpoint = Option.fromNullable(stored.get(key))
        const from = PageCheckpoint.resumeFrom(checkpoint)
        if (Option.isNone(from)) return
        const pages = client.consulta.pages(
          { name: endpoint.name, path: endpoint.path, params, pagination },
          // A few pages ahead per series: many series run at once, and each page in flight holds its body and JSON.
          { fromPage: from.value, concurrency: endpoint.pagesAhead ?? pagesAhead }
        ).pipe(
          // The parsed page is only needed for its shapes: the archive keeps the body, and a batch of pages waiting
          // for its commit should not hold their JSON trees (several MB each for 500 contratos).
          Stream.map((page) => {
            // A page the checkpoint holds is skipped by archivePages: the archived answer is the one judged, below.
            if (Option.isNone(checkpoint) || !PageCheckpoint.isDone(checkpoint.value, page.page)) {
              ArchivedRecords.recordsOf(page.json).forEach(shapes.add)
            }
            return { ...page, json: null }
          })
        )
        yield* failed.track(
          { endpoint: endpoint.name, params, partitionKey: key },
          checkpoints.archivePages(pages, {
            endpoint: endpoint.name,
            partitionKey: key,
            runId: context.runId,
            checkpointEvery: client.settings.checkpointEvery,
            stored: checkpoint
          })
        )
      }), { discard: true })
    // A failed attempt stores the departures its pages showed all the same: a partition that keeps failing (perhaps
    // because of them) would otherwise never report them.
    yield* extracted.pipe(Effect.tapErrorCause((cause) =>
      Cause.isInterruptedOnly(cause) ? Effect.void : Effect.ignoreLogged(recordDrift(endpoint, shapes.shapes(), seenBy))
    ))

    // Drift is judged on everything the partition's archive holds: the pages archived before this attempt (by a run
    // that failed after them, or every page when a complete partition is forced) are read back from the archive. A
    // partition extracted in one go reads nothing back.
    yield* ArchivedRecords.forEachRecord(
      endpoint.name,
      Arr.getSomes(keys.map((key) =>
        archivedBefore(key, Option.fromNullable(stored.get(key)))
      )),
      shapes.add
    )
    // Every partition whose records depart fails its drift check.
    const drifted = (yield* recordDrift(endpoint, shapes.shapes(), seenBy)).filter((shape) => shape.flagged)
    const { series, version } = yield* archiveTotals(endpoint.name, keys)
    const sum = (field: "pages" | "records" | "bytes" | "totalRegistros" | "totalPaginas") =>
      series.reduce((total, one) => total + one[field], 0)
    // Each series on its own: a record missing from one and one too many in another would cancel out in the sums.
    const unreconciled = series.filter((one) => !reconciles(one))
    const named = (one: SeriesTotals) => {
      const index = keys.indexOf(one.key)
      const params = requests[index]
      return params === undefined || requests.length === 1
        ? one.key
        : `${one.key} (${Object.entries(params).map(([name, value]) => `${name} ${String(value)}`).join(", ")})`
    }
    const phrases = unreconciled.flatMap((one) => [
      ...(keys.length > 1 && (one.records !== one.totalRegistros || one.pages !== one.totalPaginas)
        ? [
          `series ${named(one)} archived ${one.records} records in ${one.pages} pages, its pages announced ` +
          `${one.totalRegistros} records in ${one.totalPaginas} pages`
        ]
        : []),
      ...(one.announced === ""
        ? []
        : [`the pages of series ${named(one)} announced different totals: ${one.announced}`])
    ])
    // A series that does not reconcile is not complete, whatever its checkpoint says (a transient 204 mid-series
    // ends it early; its total changed as it was paged): forgotten, so the next run fetches it again from page 1.
    // The series that reconcile keep theirs, and are never loaded twice.
    yield* Effect.forEach(unreconciled, (one) => checkpoints.reset(endpoint.name, one.key), { discard: true })
    return {
      rows: sum("records"),
      bytes: sum("bytes"),
      dataVersion: version,
      metadata: {
        pages: sum("pages"),
        records: sum("records"),
        totalRegistros: sum("totalRegistros"),
        totalPaginas: sum("totalPaginas"),
        unreconciled: phrases.join("; "),
        pageProblems: series.map((one) => one.pageProblems).filter((problems) => problems !== "").join("; "),
        fetchAgain: unreconciled.length === 0
          ? ""
          : `${unreconciled.length === 1 ? "series" : "the series"} ${unreconciled.map((one) => one.key).join(", ")}`,
        driftedShapes: drifted.map((shape) => [...shape.unknown, ...shape.missing.map((m) => `-${m}`)].join(" "))
          .join("; ")
      }
    }
  })

/**
 * The raw asset of an endpoint: `pncp/raw/<name>`, in pool `pncp_api`, with the reconciliation and drift checks.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (endpoint: RawEndpoint) =>
  Asset.make({
    key: `pncp/raw/${endpoint.name}`,
    description: endpoint.description ?? `Every page of ${endpoint.path}, archived as received`,
    layer: "raw",
    group: "pncp",
    tags: { source: "pncp", endpoint: endpoint.name },
    partitions: endpoint.partitions,
    codeVersion: "1",
    pool: "pncp_api",
    checks: [reconciliationCheck, driftCheck],
    materialize: (context) => extractPartition(endpoint, context)
  })
