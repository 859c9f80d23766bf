/**
 * The server: {@link ServerApi.BalizaApi} over an asset graph and the storage services in context, on Node's HTTP
 * server, and the page of `@baliza/ui` when given. It binds 127.0.0.1 unless told otherwise, and with a `token` every
 * API request must carry `Authorization: Bearer <token>`.
 *
 * A launched run is planned (a launch that cannot run is refused at once, with the planner's reason), then queued in
 * {@link RunQueue} (`meta.run_queue`, in the database). A worker runs the queue — priority first, then age, each run
 * after its `notBefore`, at most `maxConcurrentRuns` at once (default 1: the server is the database's only writer) — in
 * fibers of this process. A cancel drops a queued run or interrupts a running one, which ends `Interrupted` with its
 * committed work kept. A server stopped mid-run queues the run again; the next one resumes it from its checkpoints.
 * {@link Scheduler} feeds the queue from the schedules' crons and runs the housekeeping.
 *
 * @since 0.1.0
 */
import type * as AssetGraph from "@baliza/core/AssetGraph"
import * as AssetSelection from "@baliza/core/AssetSelection"
import * as AssetState from "@baliza/core/AssetState"
import * as EventLog from "@baliza/core/EventLog"
import * as ExecutionPlan from "@baliza/core/ExecutionPlan"
import * as Materializer from "@baliza/core/Materializer"
import * as RunEvent from "@baliza/core/RunEvent"
import type * as RunSchedule from "@baliza/core/RunSchedule"
import * as Tables from "@baliza/duckdb/Tables"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberMap from "effect/FiberMap"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import * as NodeHttp from "node:http"
import * as Housekeeping from "./Housekeeping.js"
import * as events from "./internal/events.js"
import * as records from "./internal/records.js"
import * as status from "./internal/status.js"
import * as worker from "./internal/worker.js"
import * as RunQueue from "./RunQueue.js"
import * as Scheduler from "./Scheduler.js"
import {
  AssetNotFound,
  Authorization,
  BalizaApi,
  InvalidLaunch,
  InvalidSelection,
  type LaunchRequest,
  RunNotFound,
  Unauthorized
} from "./ServerApi.js"

/**
 * A file of the page (`@baliza/ui`'s `files`): `/index.html` is served at `/`, the others at their path.
 *
 * @since 0.1.0
 * @category models
 */
export interface UiFile {
  readonly path: string
  readonly contentType: string
  readonly body: Uint8Array
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options<E, R> {
  readonly graph: AssetGraph.AssetGraph<E, R>
  /** Default 4200; 0 picks a free port (read it from `HttpServer.HttpServer`'s `address`). */
  readonly port?: number | undefined
  /** Default 127.0.0.1. */
  readonly host?: string | undefined
  /** When set, every API request needs `Authorization: Bearer <token>`. */
  readonly token?: string | undefined
  /** What a launch without a selection runs (a project's default, e.g. all but the costly assets). Default `*`. */
  readonly defaultSelection?: string | undefined
  /** What every launched run gets (concurrency, pools, the partitions' clock). */
  readonly runDefaults?: Omit<Materializer.MaterializeOptions, "selection" | "partitions" | "force" | "runId">
  /** Runs at once; default 1 (one writer per database file, so runs on it are serialized). */
  readonly maxConcurrentRuns?: number | undefined
  /** Materializations on a cron. */
  readonly schedules?: ReadonlyArray<RunSchedule.RunSchedule> | undefined
  /** Default {@link Housekeeping.defaults}. */
  readonly housekeeping?: ReadonlyArray<Housekeeping.Task> | undefined
  /** The page to serve at `/` (`@baliza/ui`'s `files`); API only when absent. */
  readonly ui?: Effect.Effect<ReadonlyArray<UiFile>, { readonly message: string }> | undefined
}

/** Keeps the step ids running now (step id → asset key), from the live events. */
const trackRunning = (log: EventLog.EventLogService, running: Map<string, string>) =>
  Effect.gen(function*() {
    const live = yield* log.subscribe
    const byRun = new Map<string, Set<string>>()
    while (true) {
      const { event } = yield* Queue.take(live)
      if (event._tag === "RunFinished") {
        for (const id of byRun.get(event.runId) ?? []) running.delete(id)
        byRun.delete(event.runId)
      } else if (RunEvent.isStepEvent(event)) {
        const id = AssetState.stepKey(event.assetKey, event.partitionKey)
        if (event._tag === "StepStarted") {
          running.set(id, event.assetKey)
          byRun.set(event.runId, (byRun.get(event.runId) ?? new Set()).add(id))
        } else if (event._tag === "StepSucceeded" || event._tag === "StepFailed" || event._tag === "StepSkipped") {
          running.delete(id)
          byRun.get(event.runId)?.delete(id)
        }
      }
    }
  })

const handlers = <E, R>(options: Options<E, R>) => {
  const { graph } = options
  const runningSteps = new Map<string, string>()
  // Each partition's status, from the ledger read once per request.
  const byAsset = Effect.orDie(Effect.flatMap(AssetState.AssetState, (state) => state.list())).pipe(
    Effect.map((records) => status.partitions(graph, records, runningSteps))
  )

  const keysNow = currentKeys(options)

  const assets = HttpApiBuilder.group(BalizaApi, "assets", (group) =>
    Effect.gen(function*() {
      const log = yield* EventLog.EventLog
      yield* Effect.forkScoped(trackRunning(log, runningSteps))
      return group
        .handle("list", () =>
          Effect.zipWith(byAsset, keysNow, (partitions, keys) =>
            status.assets(graph, partitions, runningSteps, keys)))
        .handle("get", ({ urlParams }) =>
          Effect.gen(function*() {
            const asset = Option.getOrUndefined(graph.get(urlParams.key))
            if (asset === undefined) {
              return yield* new AssetNotFound({ key: urlParams.key, message: `No asset ${urlParams.key}` })
            }
            const partitions = yield* byAsset
            const keys = yield* keysNow
            const own = partitions.get(asset.key) ?? []
            const info = status.asset(graph, asset, own, new Set(runningSteps.values()), keys.get(asset.key))
            const events = yield* Effect.orDie(
              log.query({ assetKey: asset.key, tags: ["Materialization", "CheckEvaluated"] })
            )
            const materializations = events.flatMap(({ event }) =>
              event._tag === "Materialization" ? [event] : []
            )
            const checkResults = events.flatMap(({ event }) => event._tag === "CheckEvaluated" ? [event] : [])
            return {
              asset: info,
              columns: asset.schema === undefined ? [] : Tables.columns(asset.schema).map((column) => ({
                name: column.name,
                type: Tables.sqlType(column.type),
                optional: column.nullable
              })),
              checks: asset.checks.map((check) => ({ name: check.name, severity: check.severity })),
              upstream: graph.parents(asset.key),
              downstream: graph.children(asset.key),
              materializations: materializations.slice(-200).reverse(),
              checkResults: checkResults.slice(-200).reverse(),
              partitions: own
            }
          }))
        .handle("lineage", () =>
          Effect.map(byAsset, (partitions) => {
            const runningAssets = new Set(runningSteps.values())
            return {
              nodes: graph.assets.map((asset) => ({
                key: asset.key,
                layer: asset.layer ?? null,
                status: status.statusOf(asset.key, partitions.get(asset.key) ?? [], runningAssets)
              })),
              edges: graph.keys.flatMap((key) => graph.parents(key).map((parent) => ({ from: parent, to: key })))
            }
          }))
        .handle("select", ({ urlParams }) =>
          Either.match(AssetSelection.select(urlParams.q, graph), {
            onLeft: (error) => Effect.fail(new InvalidSelection({ message: error.message })),
            onRight: (keys) =>
              keys.size === 0
                ? Effect.fail(new InvalidSelection({ message: selectsNoAsset(urlParams.q) }))
                : Effect.succeed({ keys: [...keys] })
          }))
    }))

  const runs = HttpApiBuilder.group(BalizaApi, "runs", (group) =>
    Effect.gen(function*() {
      const { cancelled, doorbell, over, queue, running } = yield* Queueing
      const log = yield* EventLog.EventLog
      // Open event streams end when the server stops: Node's server waits for its connections before it closes.
      const closing = yield* Deferred.make<void>()
      yield* Effect.addFinalizer(() => Deferred.succeed(closing, undefined))
      const runEnd = (runId: string): events.RunEnd => ({
        // A run the queue does not hold is over: it ran before this server, which recorded any left running as
        // interrupted when it started.
        over: Effect.map(
          Effect.orDie(queue.get(runId)),
          Option.match({ onNone: () => true, onSome: (run) => run.status === "done" || run.status === "cancelled" })
        ),
        watch: Effect.map(
          PubSub.subscribe(over),
          (ended) => Effect.asVoid(Effect.repeat(Queue.take(ended), { until: (id) => id === runId }))
        )
      })
      const summary = (runId: string) =>
        Effect.flatMap(Effect.orDie(log.runs({ runId })), ([found]) => {
          return found === undefined
            ? Effect.fail(new RunNotFound({ runId, message: `No run ${runId}` }))
            : Effect.succeed(found)
        })
      // A run the queue holds (it may not have started) or the event log has; otherwise a 404, not a stream that
      // waits for ever for a run that does not exist.
      const known = (runId: string) =>
        Effect.flatMap(
          Effect.orDie(queue.get(runId)),
          (queued) => Option.isSome(queued) ? Effect.void : Effect.asVoid(summary(runId))
        )
      return group
        .handle("list", () => Effect.orDie(log.runs({ limit: 200 })))
        .handle("get", ({ path }) => summary(path.runId))
        .handle("launch", ({ payload }) =>
          Effect.gen(function*() {
            const queued = yield* launch(options, queue, payload, "api")
            yield* Queue.offer(doorbell, undefined)
            return queued
          }))
        .handle("cancel", ({ path }) =>
          Effect.gen(function*() {
            if (yield* Effect.orDie(queue.cancelQueued(path.runId, Date.now()))) {
              yield* PubSub.publish(over, path.runId)
              return { cancelled: true }
            }
            const active = yield* FiberMap.has(running, path.runId)
            if (!active) {
              const known = yield* Effect.orDie(queue.get(path.runId))
              if (Option.isNone(known)) yield* summary(path.runId)
              return { cancelled: false }
            }
            cancelled.add(path.runId)
            yield* FiberMap.remove(running, path.runId)
            return { cancelled: true }
          }))
        .handle("log", ({ path }) => Effect.zipRight(known(path.runId), Effect.orDie(log.query({ runId: path.runId }))))
        .handleRaw(
          "events",
          ({ path }) =>
            Effect.zipRight(
              known(path.runId),
              Effect.flatMap(
                HttpServerRequest.HttpServerRequest,
                (request) =>
                  Effect.orDie(
                    events.response(
                      log,
                      { runId: path.runId },
                      events.lastEventId(request),
                      runEnd(path.runId),
                      Deferred.await(closing)
                    )
                  )
              )
            )
        )
        .handleRaw(
          "allEvents",
          () =>
            Effect.flatMap(
              HttpServerRequest.HttpServerRequest,
              (request) =>
                Effect.orDie(events.response(log, {}, events.lastEventId(request), undefined, Deferred.await(closing)))
            )
        )
    }))

  const queueGroup = HttpApiBuilder.group(BalizaApi, "queue", (group) =>
    Effect.gen(function*() {
      const { queue, scheduler } = yield* Queueing
      return group
        .handle("queue", () => Effect.orDie(queue.list(200)))
        .handle("queued", ({ path }) =>
          Effect.flatMap(
            Effect.orDie(queue.get(path.runId)),
            Option.match({
              onNone: () =>
                Effect.fail(new RunNotFound({ runId: path.runId, message: `No run ${path.runId} in the queue` })),
              onSome: Effect.succeed
            })
          ))
        .handle("schedules", () => Effect.orDie(scheduler.info))
    }))

  const recordsGroup = HttpApiBuilder.group(BalizaApi, "records", (group) =>
    Effect.succeed(
      group
        .handle("failedRequests", () => Effect.orDie(records.failedRequests))
        .handle("schemaVersions", () => Effect.orDie(records.schemaVersions))
        .handle("metrics", ({ urlParams }) => Effect.orDie(records.metrics(urlParams.runId)))
    ))

  return Layer.mergeAll(assets, runs, queueGroup, recordsGroup).pipe(
    Layer.provide(queueing(options)),
    Layer.provide(Layer.succeed(Authorization, checkToken(options.token)))
  )
}

/**
 * The current keys of every partitioned asset (`status.currentKeys`), as a run planned now would see them: the clock of
 * `runDefaults.context` when it pins one (else the Effect `Clock`), and the dynamic keys the state holds merged with the
 * context's. Enumerating them costs tens of milliseconds on the PNCP graph and the list is polled, so they are kept
 * until the minute changes or a dynamic partitions definition gains keys.
 */
const currentKeys = <E, R>(options: Options<E, R>) => {
  const dynamicNames = [...ExecutionPlan.dynamicPartitionNames(options.graph)]
  let cached:
    | { readonly minute: number; readonly dynamic: string; readonly keys: ReadonlyMap<string, ReadonlySet<string>> }
    | undefined
  return Effect.gen(function*() {
    const context = yield* Effect.orDie(ExecutionPlan.contextFromState(options.graph, options.runDefaults?.context))
    const minute = Math.floor(context.now / 60_000)
    const dynamic = JSON.stringify(dynamicNames.map((name) => context.dynamicKeys(name)))
    if (cached !== undefined && cached.minute === minute && cached.dynamic === dynamic) return cached.keys
    const keys = status.currentKeys(options.graph, context)
    cached = { minute, dynamic, keys }
    return keys
  })
}

/** A selection that names no asset is a mistake (a tag nobody has), not a run or a list with nothing in it. */
const selectsNoAsset = (selection: string) => `The selection "${selection}" selects no asset.`

/** Plans a launch (refusing one that cannot run, with the planner's reason), then queues it. */
const launch = <E, R>(
  options: Options<E, R>,
  queue: RunQueue.RunQueueService,
  request: LaunchRequest,
  source: string
) =>
  Effect.gen(function*() {
    const selection = request.selection ?? options.defaultSelection ?? "*"
    const plan = yield* Materializer.plan(options.graph, {
      selection,
      partitions: request.partitions,
      force: request.force,
      context: options.runDefaults?.context
    }).pipe(
      Effect.catchTag("MaterializeError", (error) => Effect.fail(new InvalidLaunch({ message: error.message }))),
      Effect.catchTag("AssetStateError", (error) => Effect.die(error))
    )
    if (plan.selection.length === 0) return yield* new InvalidLaunch({ message: selectsNoAsset(selection) })
    const runId = yield* Materializer.makeRunId
    return yield* Effect.orDie(queue.enqueue({
      runId,
      selection,
      partitions: request.partitions,
      force: request.force ?? false,
      priority: request.priority ?? 5,
      notBefore: request.notBefore ?? Date.now(),
      source
    }))
  })

/** Where a schedule's runs say they come from, in the queue. */
const scheduleSource = (schedule: RunSchedule.RunSchedule) => `schedule:${schedule.name}`

/**
 * The queue, its worker, the doorbell that wakes it, the scheduler that feeds it, and the ids of runs that are over (the
 * queue has their outcome), for their event streams.
 */
class Queueing extends Context.Tag("@baliza/server/Server/Queueing")<Queueing, {
  readonly queue: RunQueue.RunQueueService
  readonly running: FiberMap.FiberMap<string>
  readonly doorbell: Queue.Queue<void>
  readonly cancelled: Set<string>
  readonly over: PubSub.PubSub<string>
  readonly scheduler: Scheduler.Scheduler
}>() {}

const queueing = <E, R>(options: Options<E, R>) =>
  Layer.scoped(
    Queueing,
    Effect.gen(function*() {
      const queue = yield* RunQueue.make
      // The server holds the database's write lock: runs the log shows as running died with their process.
      const abandoned = yield* Effect.orDie(Materializer.finishAbandonedRuns)
      if (abandoned.length > 0) yield* Effect.logInfo(`Recorded as interrupted: ${abandoned.join(", ")}`)
      const recovered = yield* queue.recover
      if (recovered.length > 0) yield* Effect.logInfo(`Queued again after a stop: ${recovered.join(", ")}`)
      const running = yield* FiberMap.make<string>()
      const doorbell = yield* Queue.sliding<void>(1)
      const cancelled = new Set<string>()
      const over = yield* PubSub.unbounded<string>()
      yield* Effect.forkScoped(worker.worker(options, queue, running, doorbell, cancelled, over))
      const scheduler = yield* Scheduler.make({
        schedules: options.schedules ?? [],
        housekeeping: options.housekeeping ?? Housekeeping.defaults,
        launch: (schedule, partitions) =>
          Effect.map(
            launch(
              options,
              queue,
              { selection: schedule.selection, partitions, priority: schedule.priority },
              scheduleSource(schedule)
            ),
            (queued) => queued.runId
          ).pipe(Effect.tap(() => Queue.offer(doorbell, undefined))),
        active: (schedule) =>
          Effect.map(Effect.orDie(queue.activeFrom(scheduleSource(schedule))), Option.map((run) => run.runId))
      })
      return { queue, running, doorbell, cancelled, over, scheduler }
    })
  )

/** Serves the page: `/` is its `index.html`, `/ui/…` its other files. */
const page = (files: NonNullable<Options<unknown, unknown>["ui"]>) =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function*() {
      const cached = yield* Effect.cached(files)
      const serve = (path: string) =>
        Effect.matchEffect(cached, {
          onFailure: (error) =>
            Effect.succeed(HttpServerResponse.text(`The page could not be built: ${error.message}`, { status: 500 })),
          onSuccess: (all) => {
            const file = all.find((each) => each.path === path)
            return Effect.succeed(
              file === undefined
                ? HttpServerResponse.text("Not found", { status: 404 })
                : HttpServerResponse.uint8Array(file.body, { contentType: file.contentType })
            )
          }
        })
      yield* router.get("/", serve("/index.html"))
      yield* router.get(
        "/ui/*",
        Effect.flatMap(
          HttpServerRequest.HttpServerRequest,
          (request) => serve(new URL(request.url, "http://x").pathname)
        )
      )
    })
  )

/** The token of an `Authorization: Bearer <token>` header (the scheme's case does not matter, RFC 9110 §11.1). */
const bearerOf = (header: string | undefined): string | undefined => /^bearer +(\S+)\s*$/i.exec(header ?? "")?.[1]

/** Refuses a request without the bearer token (when one is set). */
const checkToken = (
  token: string | undefined
): Effect.Effect<void, Unauthorized, HttpServerRequest.HttpServerRequest> =>
  token === undefined
    ? Effect.void
    : Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      bearerOf(request.headers.authorization) === token
        ? Effect.void
        : Effect.fail(new Unauthorized({ message: "A bearer token is required." })))

/**
 * The OpenAPI document at `/api/openapi.json`, behind the token like the API. The page itself is public; what it shows
 * comes from the API.
 */
const openApi = (token: string | undefined) =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function*() {
      const document = yield* Effect.orDie(HttpServerResponse.json(OpenApi.fromApi(BalizaApi)))
      yield* router.get("/api/openapi.json", Effect.as(checkToken(token), document))
    })
  )

/**
 * The server as a layer: it listens while the layer is in use and exposes `HttpServer.HttpServer` (its address).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <E, R>(options: Options<E, R>) =>
  HttpApiBuilder.serve().pipe(
    Layer.provide(openApi(options.token)),
    Layer.provide(HttpApiBuilder.api(BalizaApi).pipe(Layer.provide(handlers(options)))),
    Layer.provide(options.ui === undefined ? Layer.empty : page(options.ui)),
    Layer.provideMerge(
      NodeHttpServer.layer(() => NodeHttp.createServer(), {
        port: options.port ?? 4200,
        host: options.host ?? "127.0.0.1"
      })
    )
  )

/**
 * The URL the server listens on.
 *
 * @since 0.1.0
 * @category utils
 */
export const url: Effect.Effect<string, never, HttpServer.HttpServer> = Effect.map(
  HttpServer.HttpServer,
  (server) =>
    server.address._tag === "TcpAddress"
      ? `http://${server.address.hostname}:${server.address.port}`
      : `unix:${server.address.path}`
)
