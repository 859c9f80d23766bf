/**
 * The HTTP API, declared with `HttpApi` (so it has an OpenAPI document, served at `/api/openapi.json`):
 * - `assets`: every asset with its status, one asset in detail (columns, checks, materializations, the per-partition
 *   status ledger), the lineage, and a selection evaluated (`/api/select?q=+pncp/marts/*`);
 * - `runs`: the runs, launching (into the queue) and cancelling one, a run's event log, and two Server-Sent Events
 *   streams — `GET /api/runs/{runId}/events` (one run, past events first, until it is over: its last `RunFinished`, a
 *   run resumed after a restart having one per attempt, or its cancel while queued) and `GET /api/events` (everything
 *   from now on). Both resume after the `Last-Event-ID` a reconnecting client sends, and end when the server stops;
 * - `queue`: the run queue (one run's place in it too) and the schedules with their ticks;
 * - `records`: what extraction recorded — failed requests, schema versions, metrics.
 *
 * @since 0.1.0
 */
import * as EventLog from "@baliza/core/EventLog"
import * as RunEvent from "@baliza/core/RunEvent"
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
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
 * @since 0.1.0
 * @category errors
 */
export class AssetNotFound extends Schema.TaggedError<AssetNotFound>()(
  "AssetNotFound",
  { key: Schema.String, message: Schema.String },
  HttpApiSchema.annotations({ status: 404 })
) {}

/**
 * A selection string that does not parse or names no asset, with the parser's message ("did you mean …").
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSelection extends Schema.TaggedError<InvalidSelection>()(
  "InvalidSelection",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 400 })
) {}

/**
 * A request without the server's bearer token, when it has one.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()(
  "Unauthorized",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 401 })
) {}

/**
 * Asks for the server's bearer token (`Authorization: Bearer <token>`), when it has one. Every group of the API has
 * it, so the check runs at each endpoint however the request's path reached it (the router ignores case, merges
 * slashes and decodes escapes: a check of the raw path would miss `/API/assets`).
 *
 * @since 0.1.0
 * @category middlewares
 */
export class Authorization extends HttpApiMiddleware.Tag<Authorization>()("@baliza/server/ServerApi/Authorization", {
  failure: Unauthorized
}) {}

/**
 * How an asset (or one partition of it) stands: `fresh` (materialized and up to date), `stale` (its code version or an
 * upstream changed since), `failed` (its last attempt failed), `missing` (never materialized), `running` (a step of it
 * runs now).
 *
 * @since 0.1.0
 * @category models
 */
export const Status = Schema.Literal("fresh", "stale", "failed", "missing", "running")

/**
 * @since 0.1.0
 * @category models
 */
export type Status = typeof Status.Type

/**
 * An asset as the UI lists it. `status` is the worst of its recorded partitions' (failed > running > stale > missing >
 * fresh; `missing` when none is recorded). `materialized`, `stale` and `failed` count its recorded partitions (the
 * status ledger's rows); `partitionCount` and `missing` say how much of the asset exists: the partitions its definition
 * has now (as a run planned now would see them) and how many of those were never materialized.
 *
 * @since 0.1.0
 * @category models
 */
export const AssetInfo = Schema.Struct({
  key: Schema.String,
  layer: Schema.NullOr(Schema.String),
  group: Schema.String,
  tags: Schema.Record({ key: Schema.String, value: Schema.String }),
  description: Schema.NullOr(Schema.String),
  /** The partitions definition in words ("daily from 2021-01-01 × modalidade 1..13"), or "unpartitioned". */
  partitions: Schema.String,
  codeVersion: Schema.NullOr(Schema.String),
  deps: Schema.Array(Schema.String),
  status: Status,
  /** Recorded partitions materialized at least once (a partition since removed from the definition included). */
  materialized: Schema.Number,
  stale: Schema.Number,
  failed: Schema.Number,
  /**
   * How many partitions the definition has now: every day up to today, the dynamic keys added so far. Null when the
   * asset is unpartitioned.
   */
  partitionCount: Schema.NullOr(Schema.Number).annotations({
    description: "How many partitions the asset's definition has now (every day up to today, the dynamic keys added " +
      "so far); null when the asset is unpartitioned."
  }),
  /**
   * How many of those `partitionCount` partitions were never materialized (an unpartitioned asset: 1 until it is
   * materialized, then 0). A recorded partition no longer in the definition does not count.
   */
  missing: Schema.Number.annotations({
    description: "How many of the definition's current partitions were never materialized (an unpartitioned asset: 1 " +
      "until it is materialized, then 0). A recorded partition no longer in the definition does not count."
  }),
  /** Epoch milliseconds of its latest materialization. */
  lastMaterializedAt: Schema.NullOr(Schema.Number)
})

/**
 * @since 0.1.0
 * @category models
 */
export type AssetInfo = typeof AssetInfo.Type

/**
 * @since 0.1.0
 * @category models
 */
export const Lineage = Schema.Struct({
  nodes: Schema.Array(Schema.Struct({ key: Schema.String, layer: Schema.NullOr(Schema.String), status: Status })),
  edges: Schema.Array(Schema.Struct({ from: Schema.String, to: Schema.String }))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Lineage = typeof Lineage.Type

/**
 * One partition's row of the status ledger (`partitionKey` null for an unpartitioned asset). Multi-dimensional keys
 * join their dimensions with `|` (`2024-07-01|6`: day, modalidade).
 *
 * @since 0.1.0
 * @category models
 */
export const PartitionStatus = Schema.Struct({
  partitionKey: Schema.NullOr(Schema.String),
  status: Status,
  runId: Schema.String,
  updatedAt: Schema.Number,
  materializedAt: Schema.NullOr(Schema.Number),
  dataVersion: Schema.NullOr(Schema.String),
  error: Schema.NullOr(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type PartitionStatus = typeof PartitionStatus.Type

/**
 * A column of an asset's output Schema, with its DuckDB type.
 *
 * @since 0.1.0
 * @category models
 */
export const Column = Schema.Struct({ name: Schema.String, type: Schema.String, optional: Schema.Boolean })

/**
 * @since 0.1.0
 * @category models
 */
export type Column = typeof Column.Type

/**
 * Everything the asset page shows: the asset, its output columns, its checks and their latest results, its
 * neighbours, its last materializations (newest first, with rows, bytes, duration and metadata) and its partitions.
 *
 * @since 0.1.0
 * @category models
 */
export const AssetDetail = Schema.Struct({
  asset: AssetInfo,
  columns: Schema.Array(Column),
  checks: Schema.Array(Schema.Struct({ name: Schema.String, severity: Schema.String })),
  upstream: Schema.Array(Schema.String),
  downstream: Schema.Array(Schema.String),
  materializations: Schema.Array(RunEvent.Materialization),
  checkResults: Schema.Array(RunEvent.CheckEvaluated),
  partitions: Schema.Array(PartitionStatus)
})

/**
 * @since 0.1.0
 * @category models
 */
export type AssetDetail = typeof AssetDetail.Type

/**
 * What to run: a selection (default: the server's default selection, every asset unless its project says otherwise), a
 * partition spec (default: every partition), `force`, and its place in the queue: `priority` 1 (first) to 10 (last),
 * default 5; `notBefore` (epoch milliseconds, a whole number within JavaScript's dates) to delay it.
 *
 * @since 0.1.0
 * @category models
 */
export const LaunchRequest = Schema.Struct({
  selection: Schema.optional(Schema.String),
  partitions: Schema.optional(Schema.String),
  force: Schema.optional(Schema.Boolean),
  priority: Schema.optional(Schema.Int.pipe(Schema.between(1, 10))),
  notBefore: Schema.optional(Schema.Int.pipe(Schema.between(0, 8_640_000_000_000_000)))
})

/**
 * @since 0.1.0
 * @category models
 */
export type LaunchRequest = typeof LaunchRequest.Type

/**
 * A run in the queue: `queued` (waiting for its turn and its `notBefore`), `running`, `done` (with the run's
 * `outcome`), `cancelled`. `source` says who launched it: `api`, or `schedule:<name>`.
 *
 * @since 0.1.0
 * @category models
 */
export const QueuedRun = Schema.Struct({
  runId: Schema.String,
  selection: Schema.String,
  partitions: Schema.NullOr(Schema.String),
  force: Schema.Boolean,
  priority: Schema.Number,
  notBefore: Schema.Number,
  status: Schema.Literal("queued", "running", "done", "cancelled"),
  outcome: Schema.NullOr(Schema.String),
  source: Schema.String,
  enqueuedAt: Schema.Number,
  startedAt: Schema.NullOr(Schema.Number),
  finishedAt: Schema.NullOr(Schema.Number),
  /** How many times it started (a server that stops mid-run queues it again; it resumes from its checkpoints). */
  attempts: Schema.Number
})

/**
 * @since 0.1.0
 * @category models
 */
export type QueuedRun = typeof QueuedRun.Type

/**
 * One tick of a schedule, as recorded (a tick is claimed once, so it never runs twice).
 *
 * @since 0.1.0
 * @category models
 */
export const Tick = Schema.Struct({
  schedule: Schema.String,
  /** The tick's time, epoch milliseconds. */
  tick: Schema.Number,
  status: Schema.Literal("started", "succeeded", "failed", "skipped"),
  runId: Schema.NullOr(Schema.String),
  message: Schema.NullOr(Schema.String),
  recordedAt: Schema.Number
})

/**
 * @since 0.1.0
 * @category models
 */
export type Tick = typeof Tick.Type

/**
 * A schedule: a materialization launched on its cron, or a housekeeping task (event-log retention, response-cache
 * cleanup, health check), with its next tick and its last ones.
 *
 * @since 0.1.0
 * @category models
 */
export const ScheduleInfo = Schema.Struct({
  name: Schema.String,
  kind: Schema.Literal("materialize", "housekeeping"),
  cron: Schema.String,
  timeZone: Schema.String,
  description: Schema.String,
  /** For `materialize` schedules: what each tick launches. */
  selection: Schema.NullOr(Schema.String),
  nextTick: Schema.NullOr(Schema.Number),
  lastTicks: Schema.Array(Tick)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ScheduleInfo = typeof ScheduleInfo.Type

/**
 * A request that failed for good (`meta.failed_requests`); `retry-failed` picks these up.
 *
 * @since 0.1.0
 * @category models
 */
export const FailedRequest = Schema.Struct({
  requestKey: Schema.String,
  endpoint: Schema.String,
  params: Schema.String,
  partitionKey: Schema.NullOr(Schema.String),
  reason: Schema.String,
  attempts: Schema.Number,
  lastError: Schema.String,
  lastFailedAt: Schema.Number,
  resolved: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type FailedRequest = typeof FailedRequest.Type

/**
 * A structural fingerprint of an endpoint's records (`meta.schema_versions`); `flagged` when it was new.
 *
 * @since 0.1.0
 * @category models
 */
export const SchemaVersion = Schema.Struct({
  endpoint: Schema.String,
  fingerprint: Schema.String,
  unknownFields: Schema.Array(Schema.String),
  missingFields: Schema.Array(Schema.String),
  flagged: Schema.Boolean,
  firstRunId: Schema.NullOr(Schema.String),
  firstPartition: Schema.NullOr(Schema.String),
  firstSeenAt: Schema.Number
})

/**
 * @since 0.1.0
 * @category models
 */
export type SchemaVersion = typeof SchemaVersion.Type

/**
 * An extraction metrics snapshot of one endpoint in one run (`meta.metrics`).
 *
 * @since 0.1.0
 * @category models
 */
export const Metric = Schema.Struct({
  runId: Schema.String,
  endpoint: Schema.String,
  takenAt: Schema.Number,
  requests: Schema.Number,
  pages: Schema.Number,
  records: Schema.Number,
  bytes: Schema.Number,
  retries: Schema.Number,
  failures: Schema.Number,
  p95LatencyMs: Schema.Number,
  recordsPerSecond: Schema.Number
})

const runPath = Schema.Struct({ runId: Schema.String })

/**
 * @since 0.1.0
 * @category models
 */
export type Metric = typeof Metric.Type

/**
 * @since 0.1.0
 * @category groups
 */
export class AssetsApi extends HttpApiGroup.make("assets")
  .add(HttpApiEndpoint.get("list", "/assets").addSuccess(Schema.Array(AssetInfo)))
  .add(
    HttpApiEndpoint.get("get", "/asset")
      .setUrlParams(Schema.Struct({ key: Schema.String }))
      .addSuccess(AssetDetail)
      .addError(AssetNotFound)
  )
  .add(HttpApiEndpoint.get("lineage", "/lineage").addSuccess(Lineage))
  .add(
    HttpApiEndpoint.get("select", "/select")
      .setUrlParams(Schema.Struct({ q: Schema.String }))
      .addSuccess(Schema.Struct({ keys: Schema.Array(Schema.String) }))
      .addError(InvalidSelection)
  )
  .middleware(Authorization)
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
      .addSuccess(QueuedRun, { status: 202 })
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
    HttpApiEndpoint.get("log", "/runs/:runId/log")
      .setPath(runPath)
      .addSuccess(Schema.Array(RunEvent.StoredEvent))
      .addError(RunNotFound)
  )
  // Server-Sent Events (text/event-stream): handled raw.
  .add(HttpApiEndpoint.get("events", "/runs/:runId/events").setPath(runPath).addError(RunNotFound))
  .add(HttpApiEndpoint.get("allEvents", "/events"))
  .middleware(Authorization)
  .prefix("/api")
{}

/**
 * @since 0.1.0
 * @category groups
 */
export class QueueApi extends HttpApiGroup.make("queue")
  .add(HttpApiEndpoint.get("queue", "/queue").addSuccess(Schema.Array(QueuedRun)))
  // One run's place in the queue, finished or not: the list above stops at the latest 200 finished runs.
  .add(
    HttpApiEndpoint.get("queued", "/queue/:runId").setPath(runPath).addSuccess(QueuedRun).addError(RunNotFound)
  )
  .add(HttpApiEndpoint.get("schedules", "/schedules").addSuccess(Schema.Array(ScheduleInfo)))
  .middleware(Authorization)
  .prefix("/api")
{}

/**
 * What the extraction recorded: failed requests, schema versions, metrics (empty when the tables do not exist).
 *
 * @since 0.1.0
 * @category groups
 */
export class RecordsApi extends HttpApiGroup.make("records")
  .add(HttpApiEndpoint.get("failedRequests", "/failed-requests").addSuccess(Schema.Array(FailedRequest)))
  .add(HttpApiEndpoint.get("schemaVersions", "/schema-versions").addSuccess(Schema.Array(SchemaVersion)))
  .add(
    HttpApiEndpoint.get("metrics", "/metrics")
      .setUrlParams(Schema.Struct({ runId: Schema.optional(Schema.String) }))
      .addSuccess(Schema.Array(Metric))
  )
  .middleware(Authorization)
  .prefix("/api")
{}

/**
 * @since 0.1.0
 * @category api
 */
export class BalizaApi extends HttpApi.make("baliza").add(AssetsApi).add(RunsApi).add(QueueApi).add(RecordsApi) {}
