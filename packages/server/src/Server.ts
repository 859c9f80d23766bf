/**
 * The server: {@link ServerApi.BalizaApi} over an asset graph and the storage services in context, on Node's HTTP
 * server. It binds 127.0.0.1 unless told otherwise, and with a `token` every request must carry
 * `Authorization: Bearer <token>`.
 *
 * Launched runs materialize in this process, one fiber each (the server holds the database, its only writer); a
 * cancel interrupts the fiber, and the run ends `Interrupted` with its committed work kept.
 *
 * @since 0.1.0
 */
import type * as AssetGraph from "@baliza/core/AssetGraph"
import * as AssetState from "@baliza/core/AssetState"
import * as EventLog from "@baliza/core/EventLog"
import * as Materializer from "@baliza/core/Materializer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as FiberMap from "effect/FiberMap"
import * as Layer from "effect/Layer"
import * as NodeHttp from "node:http"
import * as events from "./internal/events.js"
import { BalizaApi, InvalidLaunch, RunNotFound } from "./ServerApi.js"

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
  /** When set, every request needs `Authorization: Bearer <token>`. */
  readonly token?: string | undefined
  /** What every launched run gets (concurrency, pools, the partitions' clock). */
  readonly runDefaults?: Omit<Materializer.MaterializeOptions, "selection" | "partitions" | "force" | "runId">
}

const handlers = <E, R>(options: Options<E, R>) => {
  const { graph } = options
  const assets = HttpApiBuilder.group(BalizaApi, "assets", (group) =>
    group
      .handle("list", () =>
        Effect.gen(function*() {
          const records = yield* Effect.orDie(Effect.flatMap(AssetState.AssetState, (state) => state.list()))
          return graph.assets.map((asset) => {
            const own = records.filter((record) => record.assetKey === asset.key)
            return {
              key: asset.key,
              layer: asset.layer ?? null,
              group: asset.group,
              description: asset.description ?? null,
              partitions: asset.partitions?.description ?? "unpartitioned",
              deps: graph.parents(asset.key),
              materialized: own.filter((record) => record.status === "Materialized").length,
              failed: own.filter((record) => record.status === "Failed").length
            }
          })
        }))
      .handle("lineage", () =>
        Effect.succeed({
          nodes: graph.assets.map((asset) => ({ key: asset.key, layer: asset.layer ?? null })),
          edges: graph.keys.flatMap((key) => graph.parents(key).map((parent) => ({ from: parent, to: key })))
        })))

  const runs = HttpApiBuilder.group(BalizaApi, "runs", (group) =>
    Effect.gen(function*() {
      const running = yield* FiberMap.make<string>()
      const log = yield* EventLog.EventLog
      const summary = (runId: string) =>
        Effect.flatMap(Effect.orDie(log.runs()), (all) => {
          const found = all.find((run) => run.runId === runId)
          return found === undefined
            ? Effect.fail(new RunNotFound({ runId, message: `No run ${runId}` }))
            : Effect.succeed(found)
        })
      return group
        .handle("list", () => Effect.orDie(log.runs({ limit: 200 })))
        .handle("get", ({ path }) => summary(path.runId))
        .handle("launch", ({ payload }) =>
          Effect.gen(function*() {
            const runOptions: Materializer.MaterializeOptions = {
              ...options.runDefaults,
              selection: payload.selection ?? "*",
              partitions: payload.partitions,
              force: payload.force ?? false
            }
            // Planning first: a launch that cannot run is refused now, with the planner's reason.
            yield* Materializer.plan(graph, runOptions).pipe(
              Effect.catchTag(
                "MaterializeError",
                (error) => Effect.fail(new InvalidLaunch({ message: error.message }))
              ),
              Effect.orDie
            )
            const runId = yield* Materializer.makeRunId
            yield* FiberMap.run(running, runId, Materializer.materialize(graph, { ...runOptions, runId }))
            return { runId }
          }))
        .handle("cancel", ({ path }) =>
          Effect.gen(function*() {
            const active = yield* FiberMap.has(running, path.runId)
            if (!active) yield* summary(path.runId)
            yield* FiberMap.remove(running, path.runId)
            return { cancelled: active }
          }))
        .handle("log", ({ path }) => Effect.orDie(log.query({ runId: path.runId })))
        .handleRaw(
          "events",
          ({ path }) =>
            Effect.map(HttpServerRequest.HttpServerRequest, (request) =>
              events.response(log, { runId: path.runId }, events.lastEventId(request), true))
        )
        .handleRaw(
          "allEvents",
          () =>
            Effect.map(HttpServerRequest.HttpServerRequest, (request) =>
              events.response(log, {}, events.lastEventId(request), false))
        )
    }))
  return Layer.mergeAll(assets, runs)
}

/** Refuses requests without the bearer token (when one is set). */
const authorized = (token: string | undefined) => <E, R>(app: HttpApp.Default<E, R>) =>
  token === undefined ?
    app :
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      request.headers.authorization === `Bearer ${token}`
        ? app
        : Effect.succeed(HttpServerResponse.unsafeJson({ message: "A bearer token is required." }, { status: 401 })))

/**
 * The server as a layer: it listens while the layer is in use and exposes `HttpServer.HttpServer` (its address).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <E, R>(options: Options<E, R>) =>
  HttpApiBuilder.serve(authorized(options.token)).pipe(
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/api/openapi.json" })),
    Layer.provide(HttpApiBuilder.api(BalizaApi).pipe(Layer.provide(handlers(options)))),
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
