/**
 * The HTTP API, declared with `HttpApi` (so it has an OpenAPI document, served at `/api/openapi.json`): assets and
 * their lineage, runs and their events, launching and cancelling a run, and two Server-Sent Events streams —
 * `GET /api/runs/{runId}/events` (one run, past events first, until it finishes) and `GET /api/events` (everything
 * from now on). Both resume after the `Last-Event-ID` a reconnecting client sends.
 *
 * @since 0.1.0
 */
import * as EventLog from "@baliza/core/EventLog"
import * as RunEvent from "@baliza/core/RunEvent"
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category errors
 */
export class RunNotFound extends Schema.TaggedError<RunNotFound>()(
  "RunNotFound",
  { runId: Schema.String, message: Schema.String },
  HttpApiSchema.annotations({ status: 404 })
) {}

/**
 * A launch the graph cannot plan (an unknown asset, a partition spec that does not parse), with the planner's message.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidLaunch extends Schema.TaggedError<InvalidLaunch>()(
  "InvalidLaunch",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 400 })
) {}

/**
 * An asset as the UI lists it.
 *
 * @since 0.1.0
 * @category models
 */
export const AssetInfo = Schema.Struct({
  key: Schema.String,
  layer: Schema.NullOr(Schema.String),
  group: Schema.String,
  description: Schema.NullOr(Schema.String),
  partitions: Schema.String,
  deps: Schema.Array(Schema.String),
  materialized: Schema.Number,
  failed: Schema.Number
})

/**
 * @since 0.1.0
 * @category models
 */
export const Lineage = Schema.Struct({
  nodes: Schema.Array(Schema.Struct({ key: Schema.String, layer: Schema.NullOr(Schema.String) })),
  edges: Schema.Array(Schema.Struct({ from: Schema.String, to: Schema.String }))
})

/**
 * What to run: a selection (default: every asset), a partition spec (default: every partition), and `force`.
 *
 * @since 0.1.0
 * @category models
 */
export const LaunchRequest = Schema.Struct({
  selection: Schema.optional(Schema.String),
  partitions: Schema.optional(Schema.String),
  force: Schema.optional(Schema.Boolean)
})

const runPath = Schema.Struct({ runId: Schema.String })

/**
 * @since 0.1.0
 * @category groups
 */
export class AssetsApi extends HttpApiGroup.make("assets")
  .add(HttpApiEndpoint.get("list", "/assets").addSuccess(Schema.Array(AssetInfo)))
  .add(HttpApiEndpoint.get("lineage", "/lineage").addSuccess(Lineage))
  .prefix("/api")
{}

/**
 * @since 0.1.0
 * @category groups
 */
export class RunsApi extends HttpApiGroup.make("runs")
  .add(HttpApiEndpoint.get("list", "/runs").addSuccess(Schema.Array(EventLog.RunSummary)))
  .add(
    HttpApiEndpoint.post("launch", "/runs")
      .setPayload(LaunchRequest)
      .addSuccess(Schema.Struct({ runId: Schema.String }), { status: 202 })
      .addError(InvalidLaunch)
  )
  .add(
    HttpApiEndpoint.get("get", "/runs/:runId").setPath(runPath).addSuccess(EventLog.RunSummary).addError(RunNotFound)
  )
  .add(
    HttpApiEndpoint.post("cancel", "/runs/:runId/cancel")
      .setPath(runPath)
      .addSuccess(Schema.Struct({ cancelled: Schema.Boolean }))
      .addError(RunNotFound)
  )
  .add(
    HttpApiEndpoint.get("log", "/runs/:runId/log").setPath(runPath).addSuccess(Schema.Array(RunEvent.StoredEvent))
  )
  // Server-Sent Events (text/event-stream): handled raw.
  .add(HttpApiEndpoint.get("events", "/runs/:runId/events").setPath(runPath))
  .add(HttpApiEndpoint.get("allEvents", "/events"))
  .prefix("/api")
{}

/**
 * @since 0.1.0
 * @category api
 */
export class BalizaApi extends HttpApi.make("baliza").add(AssetsApi).add(RunsApi) {}
