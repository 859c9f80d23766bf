/**
 * The details of a day's contratações (seed 001): the itens and the arquivos of each one, from the `/api/pncp` base.
 *
 * **Details**
 *
 * The contratações of the day are read from the raw archive of `contratacoes_publicacao` (all modalidades), in
 * `numeroControlePNCP` order. Contratações whose details are already archived are skipped (auto-resume); the rest are
 * fetched `detailsCheckpointEvery` at a time (default 50), concurrently within the group, and each group's pages are
 * archived in **one** transaction while the next group is fetched — so memory is bounded by two groups, not by the
 * day, and a killed run loses at most the two groups in flight. A contratação's pages are archived with
 * `partition_key` = its `numeroControlePNCP`, under the endpoints `itens` (pages of the bare item array) and
 * `arquivos`.
 *
 * With `detailsBatchSize` a step does at most that many contratações and then fails with `DetailsPending`, which says
 * how many remain: the partition stays pending and the next run continues it.
 *
 * A contratação whose details cannot be fetched is set aside, recorded in `meta.failed_requests`, and the rest of the
 * day is archived. A refusal (HTTP 4xx, such as 404 "Contratação não cadastrada" for one withdrawn since it was
 * published) is the API's final answer: the step succeeds and its `refused_contratacoes` warning check names them. Any
 * other failure (retries exhausted, an answer that is not JSON) fails the step at the end with `DetailsFailed`, so the
 * partition is retried. Either way a later run of the partition asks for them again (they have no archived arquivos).
 *
 * The step's data version is a hash of the pages archived for the day's contratações (each one's latest fetch), so a
 * refetch that brings other itens or arquivos makes what is built from them stale.
 *
 * @since 0.1.0
 */
import * as Asset from "@baliza/core/Asset"
import type * as Partitions from "@baliza/core/Partitions"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as FailedRequests from "@baliza/extract/FailedRequests"
import * as HttpError from "@baliza/extract/HttpError"
import type * as HttpSource from "@baliza/extract/HttpSource"
import * as Pagination from "@baliza/extract/Pagination"
import * as RawArchive from "@baliza/extract/RawArchive"
import * as Arr from "effect/Array"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { inLatestDetailsFetch } from "../internal/currentAnswers.js"
import { firstOf, warnWhenListed } from "../internal/listedCheck.js"
import * as PncpClient from "../PncpClient.js"

/**
 * A contratação whose details to fetch.
 *
 * @since 0.1.0
 * @category models
 */
export const Compra = Schema.Struct({
  numeroControlePNCP: Schema.String,
  cnpj: Schema.String,
  ano: Schema.Number,
  sequencial: Schema.Number
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Compra extends Schema.Schema.Type<typeof Compra> {}

/**
 * A step that stopped at its batch size with work left.
 *
 * @since 0.1.0
 * @category errors
 */
export class DetailsPending extends Schema.TaggedError<DetailsPending>()("DetailsPending", {
  partitionKey: Schema.String,
  done: Schema.Number,
  remaining: Schema.Number,
  message: Schema.String
}) {}

/**
 * Some contratações of the day failed other than by a refusal (retries exhausted, an answer that is not JSON); every
 * other contratação's details are archived, and the next run asks for the failed ones again.
 *
 * @since 0.1.0
 * @category errors
 */
export class DetailsFailed extends Schema.TaggedError<DetailsFailed>()("DetailsFailed", {
  partitionKey: Schema.String,
  done: Schema.Number,
  failed: Schema.Array(Schema.String),
  refused: Schema.Array(Schema.String),
  message: Schema.String
}) {}

/**
 * Items per request (the API pages item lists; a short page is the last).
 *
 * @since 0.1.0
 * @category constants
 */
export const itensPageSize = 100

/**
 * The contratações published on a day, from the raw archive, without those already done: whose arquivos are archived,
 * or, with `since` (a refetch that started then, epoch milliseconds), whose arquivos were archived since.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pendingCompras = (day: string, options: { readonly since?: number | undefined } = {}) =>
  Effect.gen(function*() {
    const structure = JSON.stringify({
      data: [{
        numeroControlePNCP: "VARCHAR",
        anoCompra: "INTEGER",
        sequencialCompra: "INTEGER",
        orgaoEntidade: { cnpj: "VARCHAR" }
      }]
    })
    const rows = yield* DuckDB.queryAs(Schema.Struct({ ...Compra.fields, done: Schema.Boolean }))(
      `WITH compras AS (
         SELECT DISTINCT r.numeroControlePNCP, r.orgaoEntidade.cnpj AS cnpj, r.anoCompra AS ano,
                r.sequencialCompra AS sequencial
         FROM (SELECT unnest(from_json(payload, $2).data) AS r
               FROM raw.api_pages
               WHERE endpoint = 'contratacoes_publicacao' AND http_status = 200
                 AND split_part(partition_key, '|', 1) = $1))
       SELECT c.*, EXISTS (SELECT 1 FROM raw.api_requests a
                           WHERE a.endpoint = 'arquivos' AND a.partition_key = c.numeroControlePNCP
                             AND ($3::BIGINT IS NULL OR a.collected_at >= epoch_ms($3::BIGINT))) AS done
       FROM compras c ORDER BY c.numeroControlePNCP`,
      [day, structure, options.since ?? null]
    )
    return {
      total: rows.length,
      keys: rows.map((row) => row.numeroControlePNCP),
      pending: rows.filter((row) => !row.done).map(({ done: _, ...compra }) => compra)
    }
  })

/** A contratação with its details as fetched. */
interface Fetched {
  readonly compra: Compra
  readonly itens: ReadonlyArray<HttpSource.Page>
  readonly arquivos: HttpSource.Page
}

/** A contratação whose details could not be fetched: `refused` when the API refuses them for good (a 4xx). */
interface SetAside {
  readonly compra: Compra
  readonly error: HttpError.HttpError
  readonly refused: boolean
}

const isRefused = (setAside: SetAside): boolean => setAside.refused

const numbersOf = (setAside: ReadonlyArray<SetAside>) => setAside.map(({ compra }) => compra.numeroControlePNCP)

/** The name a contratação's details request has in `meta.failed_requests`. */
const detailsRequestEndpoint = "details"

const isRefusal = (error: HttpError.HttpError): boolean => error.reason === "Status" && !HttpError.isRetryable(error)

/**
 * The itens pages and the arquivos answer of each contratação of a group, fetched concurrently. A contratação that
 * fails is set aside (`track` records it in `meta.failed_requests`) rather than failing the group: it would stop
 * every contratação after it, on every run. An open breaker still fails it: that is the API's trouble, not the
 * contratação's, and every request after it would fail too.
 */
const fetchGroup = (group: ReadonlyArray<Compra>) =>
  Effect.gen(function*() {
    const client = yield* PncpClient.PncpClient
    const failed = yield* FailedRequests.FailedRequests
    const outcomes = yield* Effect.forEach(group, (compra) => {
      const base = `v1/orgaos/${compra.cnpj}/compras/${compra.ano}/${compra.sequencial}`
      const request = { endpoint: detailsRequestEndpoint, params: { compra: compra.numeroControlePNCP } }
      return failed.track(
        request,
        Effect.all([
          Stream.runCollect(client.details.pages({
            name: "itens",
            path: `${base}/itens`,
            pagination: Pagination.pageNumber({
              pageParam: "pagina",
              pageSize: itensPageSize,
              sizeParam: "tamanhoPagina"
            })
          })),
          client.details.get({ name: "arquivos", path: `${base}/arquivos` })
        ], { concurrency: 2 })
      ).pipe(
        Effect.map(([itens, arquivos]) =>
          Either.right<Fetched>({ compra, itens: Chunk.toReadonlyArray(itens), arquivos })
        ),
        // Failures only: an interruption is not caught, it stops the step.
        Effect.catchAll((error) =>
          error.reason === "CircuitOpen"
            ? Effect.fail(error)
            : Effect.succeed(Either.left<SetAside>({ compra, error, refused: isRefusal(error) }))
        )
      )
    }, { concurrency: client.settings.concurrency })
    return { fetched: Arr.getRights(outcomes), setAside: Arr.getLefts(outcomes) }
  })

/**
 * Archives a fetched group: its payloads, then its requests in one transaction, one statement per table for the whole
 * group (a contratação is done once its arquivos request is stored, and its itens commit with it).
 */
const archiveGroup = (fetched: ReadonlyArray<Fetched>, runId: string) =>
  Effect.gen(function*() {
    const archive = yield* RawArchive.RawArchive
    const results = yield* archive.archiveMany(fetched.flatMap(({ arquivos, compra, itens }) => [
      { pages: itens, options: { endpoint: "itens", partitionKey: compra.numeroControlePNCP, runId } },
      { pages: [arquivos], options: { endpoint: "arquivos", partitionKey: compra.numeroControlePNCP, runId } }
    ]))
    return fetched.map((_, k) => {
      const itens = results[2 * k]
      const arquivos = results[2 * k + 1]
      return { bytes: (itens?.bytes ?? 0) + (arquivos?.bytes ?? 0), itens: itens?.records ?? 0 }
    })
  })

/**
 * The contratações in an order for a capped run: those that failed before (an open failure of theirs: refused or
 * not) after the ones never asked for, so that they cannot take a whole run's cap, run after run, and stall the day.
 */
const failedLast = (pending: ReadonlyArray<Compra>) =>
  Effect.gen(function*() {
    const failed = yield* FailedRequests.FailedRequests
    const open = yield* failed.list({ unresolved: true, endpoint: detailsRequestEndpoint })
    const failedBefore = new Set(open.map((failure) => failure.params.compra))
    if (failedBefore.size === 0) return pending
    const [asked, fresh] = Arr.partition(pending, (compra) => !failedBefore.has(compra.numeroControlePNCP))
    return [...fresh, ...asked]
  })

/**
 * A version of the day's details: a hash over the pages of each contratação's latest fetch of its itens and arquivos
 * (what `staging` keeps of them; a fetch starts at page 1), in one query.
 */
const detailsVersion = (keys: ReadonlyArray<string>) =>
  Effect.map(
    DuckDB.queryAs(Schema.Struct({ version: Schema.String }))(
      `SELECT md5(coalesce(string_agg(concat_ws(' ', endpoint, partition_key, page, payload_sha256), ','
                                      ORDER BY endpoint, partition_key, page), '')) AS version
       FROM (SELECT r.endpoint, r.partition_key, r.page, r.payload_sha256
             FROM raw.api_requests r JOIN (SELECT unnest($1::VARCHAR[]) AS partition_key) k USING (partition_key)
             WHERE r.endpoint IN ('itens', 'arquivos') AND ${inLatestDetailsFetch("r")})`,
      [keys]
    ),
    ([row]) => row?.version ?? ""
  )

/** Up to three contratações set aside, with why, for a message. */
const named = (setAside: ReadonlyArray<SetAside>): string =>
  setAside.slice(0, 3).map(({ compra, error }) => `${compra.numeroControlePNCP} (${error.message})`).join("; ") +
  (setAside.length > 3 ? "; …" : "")

/** The step checkpoint holding when a refetch of the day's details started (epoch milliseconds). */
const refetchCheckpoint = "refetch_since"

/**
 * Extracts the details of one day.
 *
 * @since 0.1.0
 * @category constructors
 */
export const extractDay = (context: Asset.StepContext) =>
  Effect.gen(function*() {
    const client = yield* PncpClient.PncpClient
    const day = (context.partitionKey ?? "").split("|")[0] ?? ""
    // A refetch asks for every contratação again, once: it goes on across retries and capped runs (with or without
    // --refetch) from the time it started, kept in the step's checkpoint until the day is done.
    const started = yield* context.checkpoint.get(refetchCheckpoint)
    const since = Option.isSome(started)
      ? Number(started.value)
      : client.settings.refetch === true
      ? yield* Clock.currentTimeMillis
      : undefined
    if (Option.isNone(started) && since !== undefined) yield* context.checkpoint.set(String(since), refetchCheckpoint)
    const { keys, pending, total } = yield* pendingCompras(day, { since })
    const cap = client.settings.detailsBatchSize
    const todo = cap === undefined ? pending : (yield* failedLast(pending)).slice(0, cap)
    const every = client.settings.detailsCheckpointEvery
    const groups = Array.from({ length: Math.ceil(todo.length / every) }, (_, g) =>
      todo.slice(g * every, (g + 1) * every))
    let done = total - pending.length
    let itens = 0
    let bytes = 0
    const setAside: Array<SetAside> = []
    // The next group is fetched while the last one is archived: at most two groups are held at once.
    yield* Stream.fromIterable(groups).pipe(
      Stream.mapEffect(fetchGroup),
      Stream.buffer({ capacity: 1 }),
      Stream.runForEach((group) =>
        Effect.gen(function*() {
          for (const result of yield* archiveGroup(group.fetched, context.runId)) {
            itens += result.itens
            bytes += result.bytes
          }
          setAside.push(...group.setAside)
          done += group.fetched.length
          yield* context.progress(done, total, "contratações")
        })
      )
    )
    const [failures, refusals] = Arr.partition(setAside, isRefused)
    const notStarted = pending.length - todo.length
    if (failures.length > 0) {
      return yield* new DetailsFailed({
        partitionKey: day,
        done,
        failed: numbersOf(failures),
        refused: numbersOf(refusals),
        message: `details of ${day}: ${failures.length} contratação(ões) failed: ${named(failures)}` +
          (refusals.length > 0 ? `; the API refused ${refusals.length}: ${named(refusals)}` : "") +
          `. The other ${done} of ${total} are done; the failed ones are in meta.failed_requests and the next run ` +
          `asks again${notStarted > 0 ? ` (with ${notStarted} not yet started)` : ""}.`
      })
    }
    if (notStarted > 0) {
      return yield* new DetailsPending({
        partitionKey: day,
        done,
        remaining: notStarted,
        message: `details of ${day}: ${done} of ${total} contratações done, ${notStarted} left for the next run` +
          (refusals.length > 0 ? ` (the API refused ${refusals.length})` : "")
      })
    }
    // Every contratação was asked (a refusal is the API's answer): a refetch is over.
    if (since !== undefined) {
      yield* context.checkpoint.clear(refetchCheckpoint)
    }
    return {
      rows: itens,
      bytes,
      dataVersion: yield* detailsVersion(keys),
      metadata: {
        contratacoes: total,
        fetched: todo.length,
        refused: refusals.length,
        // a few to name in the check's message; meta.failed_requests has them all
        refusedContratacoes: firstOf(numbersOf(refusals), 20)
      }
    }
  })

const refusedCheck = warnWhenListed({
  name: "refused_contratacoes",
  description: "the API answers the details of every contratação of the day (refused ones are in meta.failed_requests)",
  field: "refusedContratacoes",
  message: (listed, metadata) =>
    `the API refused the details of ${String(metadata.refused)} contratação(ões) (withdrawn since they were ` +
    `published?): ${listed}; a later run of the day asks again`
})

/**
 * The details asset, partitioned like the days of `upstream` (the raw contratações asset).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly partitions: Partitions.PartitionsDefinition
  readonly upstream: Asset.Any
}) =>
  Asset.make({
    key: "pncp/raw/contratacao_detalhes",
    description: "Itens and arquivos of each contratação published on the day",
    layer: "raw",
    group: "pncp",
    tags: { source: "pncp", endpoint: "detalhes" },
    partitions: options.partitions,
    deps: [options.upstream],
    codeVersion: "1",
    pool: "pncp_api",
    checks: [refusedCheck],
    materialize: extractDay
  })
