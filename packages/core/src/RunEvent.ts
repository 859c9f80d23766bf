/**
 * Everything that happens in a run, as data: the event log stores these, the CLI renders them and the UI streams them.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Only } from "./ExecutionPlan.js"

/**
 * A JSON value, for free-form materialization and check metadata.
 *
 * @since 0.1.0
 * @category models
 */
export type Json = string | number | boolean | null | ReadonlyArray<Json> | { readonly [key: string]: Json }

/**
 * @since 0.1.0
 * @category models
 */
export const Json: Schema.Schema<Json> = Schema.suspend(() =>
  Schema.Union(
    Schema.String,
    Schema.Number,
    Schema.Boolean,
    Schema.Null,
    Schema.Array(Json),
    Schema.Record({ key: Schema.String, value: Json })
  )
  // A recursive schema needs a name to appear in a JSON Schema (the server's OpenAPI document).
).annotations({ identifier: "Json" })

/**
 * Free-form metadata attached to a materialization or a check result.
 *
 * @since 0.1.0
 * @category models
 */
export const Metadata = Schema.Record({ key: Schema.String, value: Json })

/**
 * @since 0.1.0
 * @category models
 */
export type Metadata = typeof Metadata.Type

const stepFields = {
  runId: Schema.String,
  /** Epoch milliseconds. */
  timestamp: Schema.Number,
  assetKey: Schema.String,
  /** `null` for an unpartitioned asset. */
  partitionKey: Schema.NullOr(Schema.String)
}

/**
 * How a run ended.
 *
 * @since 0.1.0
 * @category models
 */
export const RunStatus = Schema.Literal("Success", "Failure", "Interrupted")

/**
 * @since 0.1.0
 * @category models
 */
export type RunStatus = typeof RunStatus.Type

/**
 * Why a planned step did not run.
 *
 * @since 0.1.0
 * @category models
 */
export const SkipReason = Schema.Literal("UpstreamFailed", "UpstreamUnchanged", "Interrupted")

/**
 * @since 0.1.0
 * @category models
 */
export type SkipReason = typeof SkipReason.Type

/**
 * @since 0.1.0
 * @category models
 */
export const RunStarted = Schema.TaggedStruct("RunStarted", {
  runId: Schema.String,
  timestamp: Schema.Number,
  selection: Schema.String,
  partitions: Schema.NullOr(Schema.String),
  plannedSteps: Schema.Number,
  skippedSteps: Schema.Number,
  tags: Schema.Record({ key: Schema.String, value: Schema.String }),
  /** The plan's restriction (`ExecutionPlan.Only`) when it is not `All`. */
  only: Schema.optional(Only),
  /** Present (true) when the plan forced its steps. */
  force: Schema.optional(Schema.Boolean),
  /** The time the plan resolved its partitions at (`ExecutionPlan.asOf`). */
  asOf: Schema.optional(Schema.Number)
})

/**
 * @since 0.1.0
 * @category models
 */
export const RunFinished = Schema.TaggedStruct("RunFinished", {
  runId: Schema.String,
  timestamp: Schema.Number,
  status: RunStatus,
  durationMs: Schema.Number,
  succeeded: Schema.Number,
  failed: Schema.Number,
  skipped: Schema.Number
})

/**
 * @since 0.1.0
 * @category models
 */
export const StepStarted = Schema.TaggedStruct("StepStarted", { ...stepFields, attempt: Schema.Number })

/**
 * @since 0.1.0
 * @category models
 */
export const StepRetrying = Schema.TaggedStruct("StepRetrying", {
  ...stepFields,
  attempt: Schema.Number,
  delayMs: Schema.Number,
  error: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export const StepSucceeded = Schema.TaggedStruct("StepSucceeded", {
  ...stepFields,
  durationMs: Schema.Number,
  dataVersion: Schema.String,
  attempts: Schema.Number
})

/**
 * @since 0.1.0
 * @category models
 */
export const StepFailed = Schema.TaggedStruct("StepFailed", {
  ...stepFields,
  durationMs: Schema.Number,
  attempts: Schema.Number,
  /** The failure's tag (`TimeoutException`, `HttpError`, …) so failures can be grouped. */
  errorTag: Schema.String,
  error: Schema.String
})

// What a user reads of a failure: its message, or the value itself (JSON for a plain object, never "[object Object]").
const textOf = (value: unknown): string =>
  typeof value === "object" && value !== null && "message" in value && typeof value.message === "string" &&
    value.message !== ""
    ? value.message
    : typeof value === "string"
    ? value
    : Inspectable.toStringUnknown(value, 0)

/**
 * How a failure is told in the run's log (a {@link StepFailed}'s `errorTag` and `error`, a schedule's tick): a typed
 * failure's `_tag` and message (a plain object as JSON); a defect (a throw, a die) as its error's `Name: message`,
 * without the stack trace, which belongs in a debug log.
 *
 * @since 0.1.0
 * @category utils
 */
export const describeCause = (cause: Cause.Cause<unknown>): { readonly tag: string; readonly message: string } => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    const tag = typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string"
      ? error._tag
      : "Error"
    return { tag, message: textOf(error) }
  }
  // An effect that interrupted itself (`Effect.interrupt`, an interrupted fiber joined): its own failure.
  if (Cause.isInterruptedOnly(cause)) return { tag: "Interrupted", message: "interrupted before it finished" }
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect)) {
    const value = defect.value
    return { tag: "Defect", message: value instanceof Error ? `${value.name}: ${value.message}` : textOf(value) }
  }
  return { tag: "Defect", message: Cause.pretty(cause).split("\n")[0] ?? "failed" }
}

/**
 * @since 0.1.0
 * @category models
 */
export const StepSkipped = Schema.TaggedStruct("StepSkipped", {
  ...stepFields,
  reason: SkipReason,
  message: Schema.String
})

/**
 * A new version of an asset (partition) was written.
 *
 * @since 0.1.0
 * @category models
 */
export const Materialization = Schema.TaggedStruct("Materialization", {
  ...stepFields,
  dataVersion: Schema.String,
  codeVersion: Schema.NullOr(Schema.String),
  rows: Schema.NullOr(Schema.Number),
  bytes: Schema.NullOr(Schema.Number),
  durationMs: Schema.Number,
  metadata: Metadata
})

/**
 * @since 0.1.0
 * @category models
 */
export const CheckSeverity = Schema.Literal("Error", "Warn")

/**
 * @since 0.1.0
 * @category models
 */
export type CheckSeverity = typeof CheckSeverity.Type

/**
 * @since 0.1.0
 * @category models
 */
export const CheckEvaluated = Schema.TaggedStruct("CheckEvaluated", {
  ...stepFields,
  checkName: Schema.String,
  passed: Schema.Boolean,
  severity: CheckSeverity,
  message: Schema.String,
  metadata: Metadata
})

/**
 * Progress inside a long step (pages fetched, records loaded).
 *
 * @since 0.1.0
 * @category models
 */
export const Progress = Schema.TaggedStruct("Progress", {
  ...stepFields,
  done: Schema.Number,
  total: Schema.NullOr(Schema.Number),
  unit: Schema.String,
  message: Schema.NullOr(Schema.String)
})

/**
 * What one data source (an API endpoint, say) has done in a run so far.
 *
 * @since 0.1.0
 * @category models
 */
export const SourceFigures = Schema.Struct({
  source: Schema.String,
  requests: Schema.Number,
  pages: Schema.Number,
  /**
   * Pages known to belong to the page series this run started: a series' announced total from its first page on, and
   * pages nothing announced as they arrive (so it equals `pages` once every series ended).
   */
  pagesExpected: Schema.Number,
  records: Schema.Number,
  bytes: Schema.Number,
  retries: Schema.Number,
  /** Attempts that failed (each may have been retried). */
  errors: Schema.Number,
  /** Requests given up after their retries. */
  failures: Schema.Number,
  p95LatencyMs: Schema.Number,
  recordsPerSecond: Schema.Number,
  /** The state of the source's circuit breaker (`Closed`, `Open`, `HalfOpen`), `null` without one. */
  breaker: Schema.NullOr(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface SourceFigures extends Schema.Schema.Type<typeof SourceFigures> {}

/**
 * The figures of a run's data sources, sampled while it runs (from a `SourceMonitor`) and once more before it ends.
 *
 * @since 0.1.0
 * @category models
 */
export const SourceProgress = Schema.TaggedStruct("SourceProgress", {
  runId: Schema.String,
  timestamp: Schema.Number,
  sources: Schema.Array(SourceFigures)
})

/**
 * Every event of a run.
 *
 * @since 0.1.0
 * @category models
 */
export const RunEvent = Schema.Union(
  RunStarted,
  RunFinished,
  StepStarted,
  StepRetrying,
  StepSucceeded,
  StepFailed,
  StepSkipped,
  Materialization,
  CheckEvaluated,
  Progress,
  SourceProgress
)

/**
 * @since 0.1.0
 * @category models
 */
export type RunEvent = typeof RunEvent.Type

/**
 * @since 0.1.0
 * @category models
 */
export type RunEventTag = RunEvent["_tag"]

/**
 * Events that belong to one step of a run.
 *
 * @since 0.1.0
 * @category models
 */
export type StepEvent = Exclude<RunEvent, { readonly _tag: "RunStarted" | "RunFinished" | "SourceProgress" }>

/**
 * @since 0.1.0
 * @category guards
 */
export const isStepEvent = (event: RunEvent): event is StepEvent =>
  event._tag !== "RunStarted" && event._tag !== "RunFinished" && event._tag !== "SourceProgress"

/**
 * An event as stored in an event log: with its position in the log.
 *
 * @since 0.1.0
 * @category models
 */
export const StoredEvent = Schema.Struct({ id: Schema.Number, event: RunEvent })

/**
 * @since 0.1.0
 * @category models
 */
export type StoredEvent = typeof StoredEvent.Type

/**
 * A one-line human description of an event, used by plain-text progress output.
 *
 * @since 0.1.0
 * @category utils
 */
export const describe = (event: RunEvent): string => {
  const step = isStepEvent(event)
    ? event.partitionKey === null ? event.assetKey : `${event.assetKey}[${event.partitionKey}]`
    : ""
  switch (event._tag) {
    case "RunStarted":
      return `run ${event.runId} started: ${event.plannedSteps} steps to run, ${event.skippedSteps} up to date`
    case "RunFinished":
      return `run ${event.runId} ${event.status.toLowerCase()} in ${event.durationMs} ms: ` +
        `${event.succeeded} succeeded, ${event.failed} failed, ${event.skipped} skipped`
    case "StepStarted":
      return `${step} started (attempt ${event.attempt})`
    case "StepRetrying":
      return `${step} failed attempt ${event.attempt}, retrying in ${event.delayMs} ms: ${event.error}`
    case "StepSucceeded":
      return `${step} succeeded in ${event.durationMs} ms`
    case "StepFailed":
      return `${step} failed after ${event.attempts} attempt(s): ${event.error}`
    case "StepSkipped":
      return `${step} skipped (${event.reason}): ${event.message}`
    case "Materialization":
      return `${step} materialized${event.rows === null ? "" : ` ${event.rows} rows`} (version ${event.dataVersion})`
    case "CheckEvaluated":
      return `${step} check ${event.checkName} ${event.passed ? "passed" : "FAILED"}: ${event.message}`
    case "Progress":
      return `${step} ${event.done}${event.total === null ? "" : `/${event.total}`} ${event.unit}`
    case "SourceProgress":
      return event.sources.map((source) =>
        `${source.source}: ${source.pages}${source.pagesExpected > source.pages ? `/${source.pagesExpected}` : ""} ` +
        `pages, ${source.records} records, ${source.retries} retries` +
        (source.breaker === null || source.breaker === "Closed" ? "" : `, breaker ${source.breaker}`)
      ).join("; ")
  }
}
