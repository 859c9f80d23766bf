/**
 * The details of a day's contratações (seed 001): the itens and the arquivos of each one, from the `/api/pncp` base.
 *
 * **Details**
 *
 * The contratações of the day are read from the raw archive of `contratacoes_publicacao` (all modalidades), in
 * `numeroControlePNCP` order. Contratações whose details are already archived are skipped (auto-resume), unless the
 * contratação was updated since (a newer version in the raw archive, collected after them); the rest are
 * fetched `detailsCheckpointEvery` at a time (default 50), concurrently within the group, and each group's pages are
 * archived in **one** transaction while the next groups are fetched — so memory is bounded by three groups (one
 * archiving, one buffered, one fetched and waiting), not by the day, and a killed run loses at most those three. A
 * contratação's pages are archived with `partition_key` = its `numeroControlePNCP`, under the endpoints `itens` and
 * `arquivos` (pages of the bare arrays). Its itens and arquivos are counted against `itens/quantidade` and
 * `arquivos/quantidade` (not archived): a contratação whose itens or arquivos come short (a server that pages fewer
 * than asked) is a failure, not archived as complete.
 *
 * Contratações that failed before (an open failure in `meta.failed_requests`) come after the ones never asked for, in
 * every run, and the refused ones last: a few that always fail cannot take a capped run's whole batch, or open the
 * breaker before the rest of the day is fetched, run after run. With `detailsBatchSize` a step does at most that many
 * contratações and then fails with `DetailsPending`, which says how many remain: the partition stays pending and the
 * next run continues it. Refused ones the run did not get to do not count as remaining: they were asked, and the API
 * answered.
 *
 * A contratação whose details cannot be fetched is set aside, recorded in `meta.failed_requests`, and the rest of the
 * day is archived. A refusal (HTTP 404 or 410, such as 404 "Contratação não cadastrada" for one withdrawn since it was
 * published) is the API's final answer: the step succeeds and its `refused_contratacoes` warning check names them. Any
 * other failure (retries exhausted, another 4xx such as a 400 or 403 refusing our request, an answer that is not JSON,
 * a page of arquivos that is not a list, itens or arquivos short of their count) fails the step at the end with
 * `DetailsFailed`, so the partition is retried. Either way a later run of the partition asks for them again (they have
 * no archived arquivos). An open circuit breaker stops the step with its error, after archiving what its group
 * fetched.
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
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Endpoints from "../Endpoints.js"
import { inLatestDetailsFetch, startsDetailsFetch } from "../internal/currentAnswers.js"
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
 * Some contratações of the day failed other than by a refusal (retries exhausted, an answer that is not JSON, itens
 * or arquivos short of their count); every other contratação's details are archived, and the next run asks for the
 * failed ones again.
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
 * The itens or the arquivos (`detail`) fetched for a contratação are not as many as its `itens/quantidade` or
 * `arquivos/quantidade` says, or that answer is not a count (`expected` undefined). Recorded in
 * `meta.failed_requests` like a failed request: the contratação is not marked done, and the next run asks again.
 *
 * @since 0.1.0
 * @category errors
 */
export class DetailsCountMismatch extends Schema.TaggedError<DetailsCountMismatch>()("DetailsCountMismatch", {
  compra: Schema.String,
  detail: Schema.Literal("itens", "arquivos"),
  fetched: Schema.Number,
  expected: Schema.optional(Schema.Number),
  message: Schema.String
}) {}

/**
 * A page of a contratação's arquivos answered with HTTP 200 but not as a list (an error body, a JSON object).
 * Recorded in `meta.failed_requests` like a failed request: the contratação is not marked done, and the next run asks
 * again.
 *
 * @since 0.1.0
 * @category errors
 */
export class ArquivosNotListed extends Schema.TaggedError<ArquivosNotListed>()("ArquivosNotListed", {
  compra: Schema.String,
  message: Schema.String
}) {}

/**
 * Items per request (the API pages item lists; a short page is the last, so `itens/quantidade` checks the count).
 *
 * @since 0.1.0
 * @category constants
 */
export const itensPageSize = 100

/**
 * Documents per request: the API pages arquivos as it pages itens (seed 001 saw ~24 a contratação on average), so
 * `arquivos/quantidade` checks their count too.
 *
 * @since 0.1.0
 * @category constants
 */
export const arquivosPageSize = 100

/**
 * The contratações published on a day, from the raw archive, without those already done: whose arquivos are archived
 * (or, with `since`, a refetch that started then in epoch milliseconds, archived since) and that were not updated
 * after (no version of the contratação collected since then has a newer `dataAtualizacao`/`dataAtualizacaoGlobal`).
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
        orgaoEntidade: { cnpj: "VARCHAR" },
        dataAtualizacao: "VARCHAR",
        dataAtualizacaoGlobal: "VARCHAR"
      }]
    })
    // A contratação is done when its arquivos were archived (page 1 of a fetch that lists them: not an error body;
    // a fetch is archived only whole, after its counts), and no version of it collected since then is newer than the
    // newest collected before: an update after its details were fetched (a rectified contratação, itens added or
    // changed) asks for them again.
    const rows = yield* DuckDB.queryAs(Schema.Struct({ ...Compra.fields, done: Schema.Boolean }))(
      `WITH versions AS (
         SELECT r.numeroControlePNCP, r.orgaoEntidade.cnpj AS cnpj, r.anoCompra AS ano, r.sequencialCompra AS sequencial,
                greatest(r.dataAtualizacao, r.dataAtualizacaoGlobal) AS updated, collected_at
         FROM (SELECT unnest(from_json(payload, $2).data) AS r, collected_at
               FROM raw.api_pages
               WHERE endpoint = 'contratacoes_publicacao' AND http_status = 200
                 AND split_part(partition_key, '|', 1) = $1)),
       compras AS (SELECT DISTINCT numeroControlePNCP, cnpj, ano, sequencial FROM versions),
       fetched AS (
         SELECT a.partition_key AS numeroControlePNCP, max(a.collected_at) AS at
         FROM raw.api_requests a
         WHERE a.endpoint = 'arquivos' AND ${startsDetailsFetch("a")}
           AND a.partition_key IN (SELECT numeroControlePNCP FROM compras)
           AND ($3::BIGINT IS NULL OR a.collected_at >= epoch_ms($3::BIGINT))
         GROUP BY a.partition_key),
       updates AS (
         SELECT v.numeroControlePNCP,
                max(v.updated) FILTER (WHERE v.collected_at > f.at) AS since,
                max(v.updated) FILTER (WHERE v.collected_at <= f.at) AS before
         FROM versions v JOIN fetched f USING (numeroControlePNCP)
         GROUP BY v.numeroControlePNCP)
       SELECT c.*, f.at IS NOT NULL AND coalesce(u.since <= u.before, true) AS done
       FROM compras c LEFT JOIN fetched f USING (numeroControlePNCP) LEFT JOIN updates u USING (numeroControlePNCP)
       ORDER BY c.numeroControlePNCP`,
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
  readonly arquivos: ReadonlyArray<HttpSource.Page>
}

/** Why a contratação's details were not fetched. */
type DetailsError = HttpError.HttpError | DetailsCountMismatch | ArquivosNotListed

/** A contratação whose details could not be fetched: `refused` when the API refuses them for good (404, 410). */
interface SetAside {
  readonly compra: Compra
  readonly error: DetailsError
  readonly refused: boolean
}

/** What became of a contratação of a group: `Blocked` when an open breaker stopped it (or it was not started). */
type Outcome =
  | { readonly _tag: "Fetched"; readonly fetched: Fetched }
  | { readonly _tag: "SetAside"; readonly setAside: SetAside }
  | { readonly _tag: "Blocked" }

const isRefused = (setAside: SetAside): boolean => setAside.refused

const numbersOf = (setAside: ReadonlyArray<SetAside>) => setAside.map(({ compra }) => compra.numeroControlePNCP)

/** The name a contratação's details request has in `meta.failed_requests`. */
const detailsRequestEndpoint = "details"

/**
 * Only "no such contratação" (404, gone: 410) is the API's answer about the contratação itself; another 4xx (400, 403)
 * refuses our request, which a later run may get right.
 */
const refusalStatuses: ReadonlySet<number> = new Set([404, 410])

const isRefusal = (error: DetailsError): boolean =>
  error._tag === "HttpError" && error.reason === "Status" && error.status !== undefined &&
  refusalStatuses.has(error.status)

const wasRefusal = (failure: FailedRequests.FailedRequest): boolean =>
  failure.reason === "Status" && failure.httpStatus !== null && refusalStatuses.has(failure.httpStatus)

/** What `itens/quantidade` and `arquivos/quantidade` answer: a bare number. */
const DetailsCount = Schema.NonNegativeInt

/** Every page of a contratação's itens or arquivos, `pageSize` a request. */
const detailPages = (
  client: PncpClient.Service,
  name: DetailsCountMismatch["detail"],
  path: string,
  pageSize: number
) =>
  Effect.map(
    Stream.runCollect(client.details.pages({
      name,
      path,
      pagination: Pagination.pageNumber({ pageParam: "pagina", pageSize, sizeParam: "tamanhoPagina" })
    })),
    Chunk.toReadonlyArray
  )

/**
 * Fails unless the records of `pages` are as many as the count answer `quantidade` says: a server paging fewer than
 * asked ends the series at its first short page, silently.
 */
const checkCount = (
  compra: Compra,
  detail: DetailsCountMismatch["detail"],
  pages: ReadonlyArray<HttpSource.Page>,
  quantidade: HttpSource.Page
): Effect.Effect<void, DetailsCountMismatch> => {
  const fetched = pages.reduce((sum, page) => sum + page.info.records, 0)
  const mismatch = (expected: number | undefined, message: string) =>
    Effect.fail(new DetailsCountMismatch({ compra: compra.numeroControlePNCP, detail, fetched, expected, message }))
  return Either.match(Schema.decodeUnknownEither(DetailsCount)(quantidade.json), {
    onLeft: () =>
      mismatch(
        undefined,
        `GET ${quantidade.url}: not a count of ${detail}: ${
          HttpError.truncate(new TextDecoder().decode(quantidade.body), 80)
        } (fetched ${fetched} ${detail})`
      ),
    onRight: (expected) =>
      expected === fetched
        ? Effect.void
        : mismatch(expected, `archived ${fetched} ${detail} of ${expected} (${detail}/quantidade)`)
  })
}

/**
 * The itens pages, the arquivos pages and their two counts of a contratação, concurrently; fails when a page of
 * arquivos is not a list, or when the itens or arquivos fetched are not as many as their count.
 */
const fetchDetails = (client: PncpClient.Service, compra: Compra) =>
  Effect.all([
    detailPages(client, "itens", Endpoints.itensPath(compra), itensPageSize),
    detailPages(client, "arquivos", Endpoints.arquivosPath(compra), arquivosPageSize),
    client.details.get({ name: "itens_quantidade", path: Endpoints.itensQuantidadePath(compra) }),
    client.details.get({ name: "arquivos_quantidade", path: Endpoints.arquivosQuantidadePath(compra) })
  ], { concurrency: 4 }).pipe(
    Effect.flatMap(
      ([itens, arquivos, itensCount, arquivosCount]): Effect.Effect<
        Fetched,
        DetailsCountMismatch | ArquivosNotListed
      > => {
        // Archived, an error body sent with 200 would mark the contratação done with no arquivos, for good.
        const notListed = arquivos.find((page) => page.status === 200 && !Array.isArray(page.json))
        if (notListed !== undefined) {
          return Effect.fail(
            new ArquivosNotListed({
              compra: compra.numeroControlePNCP,
              message: `GET ${notListed.url}: not a list of arquivos: ${
                HttpError.truncate(new TextDecoder().decode(notListed.body), 80)
              }`
            })
          )
        }
        return Effect.as(
          Effect.all([
            checkCount(compra, "itens", itens, itensCount),
            checkCount(compra, "arquivos", arquivos, arquivosCount)
          ]),
          { compra, itens, arquivos }
        )
      }
    )
  )

/**
 * The details of each contratação of a group, fetched concurrently. A contratação that fails is set aside (`track`
 * records it in `meta.failed_requests`) rather than failing the group: it would stop every contratação after it, on
 * every run. An open breaker is the API's trouble, not the contratação's: the contratações of the group not started
 * yet are left alone (every request would fail on it), and `breaker` carries its error, to stop the step once what the
 * group fetched is archived.
 */
const fetchGroup = (group: ReadonlyArray<Compra>) =>
  Effect.gen(function*() {
    const client = yield* PncpClient.PncpClient
    const failed = yield* FailedRequests.FailedRequests
    const breaker = yield* Ref.make(Option.none<HttpError.HttpError>())
    const outcomes = yield* Effect.forEach(group, (compra): Effect.Effect<Outcome> =>
      Effect.flatMap(Ref.get(breaker), (open) =>
        Option.isSome(open)
          ? Effect.succeed({ _tag: "Blocked" })
          : failed.track(
            { endpoint: detailsRequestEndpoint, params: { compra: compra.numeroControlePNCP } },
            fetchDetails(client, compra)
          ).pipe(
            Effect.map((fetched): Outcome => ({ _tag: "Fetched", fetched })),
            // Failures only: an interruption is not caught, it stops the step.
            Effect.catchAll((error): Effect.Effect<Outcome> =>
              error._tag === "HttpError" && error.reason === "CircuitOpen"
                ? Effect.as(
                  Ref.update(
                    breaker,
                    Option.orElseSome(() =>
                      error
                    )
                  ),
                  { _tag: "Blocked" }
                )
                : Effect.succeed({ _tag: "SetAside", setAside: { compra, error, refused: isRefusal(error) } })
            )
          )), { concurrency: client.settings.concurrency })
    return {
      fetched: outcomes.flatMap((outcome) =>
        outcome._tag === "Fetched" ? [outcome.fetched] : []
      ),
      setAside: outcomes.flatMap((outcome) => outcome._tag === "SetAside" ? [outcome.setAside] : []),
      breaker: yield* Ref.get(breaker)
    }
  })

const metBreaker = (group: { readonly breaker: Option.Option<HttpError.HttpError> }): boolean =>
  Option.isSome(group.breaker)

/**
 * Archives a fetched group: its payloads, then its requests in one transaction, one statement per table for the whole
 * group (a contratação is done once its arquivos pages are stored, and its itens commit with them).
 */
const archiveGroup = (fetched: ReadonlyArray<Fetched>, runId: string) =>
  Effect.gen(function*() {
    const archive = yield* RawArchive.RawArchive
    const results = yield* archive.archiveMany(fetched.flatMap(({ arquivos, compra, itens }) => [
      { pages: itens, options: { endpoint: "itens", partitionKey: compra.numeroControlePNCP, runId } },
      { pages: arquivos, options: { endpoint: "arquivos", partitionKey: compra.numeroControlePNCP, runId } }
    ]))
    return fetched.map((_, k) => {
      const itens = results[2 * k]
      const arquivos = results[2 * k + 1]
      return { bytes: (itens?.bytes ?? 0) + (arquivos?.bytes ?? 0), itens: itens?.records ?? 0 }
    })
  })

/**
 * The contratações in the order to ask for them, with the open failures of those that failed before. Those never
 * asked for come first, then the ones that failed (fewest attempts first: one an open breaker cut short before one
 * whose own requests kept failing), then the refused ones: so that a few that always fail cannot take a capped run's
 * whole batch, or open the breaker before the rest is fetched, run after run. `refusedBefore` tells the refused ones.
 */
const inOrder = (pending: ReadonlyArray<Compra>, since: number | undefined) =>
  Effect.gen(function*() {
    const failed = yield* FailedRequests.FailedRequests
    const open = yield* failed.list({ unresolved: true, endpoint: detailsRequestEndpoint })
    const before = new Map(open.map((failure) => [failure.params.compra, failure]))
    const rank = (compra: Compra): readonly [number, number] => {
      const failure = before.get(compra.numeroControlePNCP)
      return failure === undefined ? [0, 0] : wasRefusal(failure) ? [2, 0] : [1, failure.attempts]
    }
    // A stable sort: the day's order within a rank.
    const ordered = [...pending].sort((a, b) => {
      const [ra, aa] = rank(a)
      const [rb, ab] = rank(b)
      return ra - rb || aa - ab
    })
    return {
      ordered,
      // refused by this refetch, when there is one: one it has not asked yet is still to ask
      refusedBefore: (compra: Compra) => {
        const failure = before.get(compra.numeroControlePNCP)
        return failure !== undefined && wasRefusal(failure) &&
          (since === undefined || failure.lastFailedAtMillis >= since)
      }
    }
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
    const { ordered, refusedBefore } = yield* inOrder(pending, since)
    const todo = cap === undefined ? ordered : ordered.slice(0, cap)
    // Left out by the cap: the refused ones among them were asked before, and the API answered; they are not left.
    const [left, refusedLeftOut] = Arr.partition(ordered.slice(todo.length), refusedBefore)
    const every = client.settings.detailsCheckpointEvery
    const groups = Array.from({ length: Math.ceil(todo.length / every) }, (_, g) =>
      todo.slice(g * every, (g + 1) * every))
    let done = total - pending.length
    let itens = 0
    let bytes = 0
    const setAside: Array<SetAside> = []
    // The next groups are fetched while one is archived: at most three groups are held at once (one archiving, one
    // buffered, one fetched and waiting to be offered). No group is fetched after one that met an open breaker.
    yield* Stream.fromIterable(groups).pipe(
      Stream.mapEffect(fetchGroup),
      Stream.takeUntil(metBreaker),
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
          // What the group fetched is archived, and its failures recorded: now the breaker's error stops the step,
          // saying how far the day got and which contratações failed before it.
          if (Option.isSome(group.breaker)) {
            const failed = setAside.filter((aside) =>
              !isRefused(aside)
            )
            return yield* Effect.fail(HttpError.withContext(
              group.breaker.value,
              `Details of ${day}: stopped after ${done} of ${total} contratações` +
                (failed.length > 0 ? `; ${failed.length} failed before it: ${named(failed)}` : "") +
                "; the next run resumes"
            ))
          }
        })
      )
    )
    const [failures, refusals] = Arr.partition(setAside, isRefused)
    const notStarted = left.length
    const refused = [
      ...numbersOf(refusals),
      ...refusedLeftOut.map((compra) => compra.numeroControlePNCP)
    ]
    const refusedBeforeNote = refusedLeftOut.length > 0
      ? ` (and ${refusedLeftOut.length} refused by an earlier run, not asked again)`
      : ""
    if (failures.length > 0) {
      return yield* new DetailsFailed({
        partitionKey: day,
        done,
        failed: numbersOf(failures),
        refused,
        message: `details of ${day}: ${failures.length} contratação(ões) failed: ${named(failures)}` +
          (refusals.length > 0 ? `; the API refused ${refusals.length}: ${named(refusals)}` : "") +
          refusedBeforeNote +
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
          (refused.length > 0 ? ` (the API refused ${refused.length})` : "")
      })
    }
    // Every contratação was asked (a refusal is the API's answer, in this run or an earlier one): a refetch is over.
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
        refused: refused.length,
        // a few to name in the check's message; meta.failed_requests has them all
        refusedContratacoes: firstOf(refused, 20)
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
