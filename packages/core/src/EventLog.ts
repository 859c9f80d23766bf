/**
 * The event log: every `RunEvent` of every run, in order, queryable and tailable. The in-memory layer lives here; a durable one
 * comes with `@baliza/duckdb`.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as PubSub from "effect/PubSub"
import type * as Queue from "effect/Queue"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { type RunEvent, type RunEventTag, RunStatus, type StoredEvent } from "./RunEvent.js"

/**
 * @since 0.1.0
 * @category errors
 */
export class EventLogError extends Schema.TaggedError<EventLogError>()("EventLogError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/**
 * Which events to read. All fields narrow; `afterId` pages through the log.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventFilter {
  readonly runId?: string | undefined
  readonly assetKey?: string | undefined
  readonly partitionKey?: string | undefined
  readonly tags?: ReadonlyArray<RunEventTag> | undefined
  readonly afterId?: number | undefined
  readonly limit?: number | undefined
}

/**
 * A run as the log tells it.
 *
 * @since 0.1.0
 * @category models
 */
export const RunSummary = Schema.Struct({
  runId: Schema.String,
  status: Schema.Union(RunStatus, Schema.Literal("Running")),
  startedAt: Schema.Number,
  finishedAt: Schema.NullOr(Schema.Number),
  selection: Schema.String,
  partitions: Schema.NullOr(Schema.String),
  plannedSteps: Schema.Number,
  succeeded: Schema.Number,
  failed: Schema.Number,
  skipped: Schema.Number
})

/**
 * @since 0.1.0
 * @category models
 */
export type RunSummary = typeof RunSummary.Type

/**
 * What {@link EventLogService.runs} reads: at most `limit` runs, or only the run `runId`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunsOptions {
  readonly limit?: number | undefined
  readonly runId?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface EventLogService {
  /** Appends events in order; they get increasing ids. */
  readonly append: (events: ReadonlyArray<RunEvent>) => Effect.Effect<void, EventLogError>
  readonly query: (filter?: EventFilter) => Effect.Effect<ReadonlyArray<StoredEvent>, EventLogError>
  /** Most recent first; `runId` reads that run's summary alone (none when the log has no such run). */
  readonly runs: (options?: RunsOptions) => Effect.Effect<ReadonlyArray<RunSummary>, EventLogError>
  /** Events appended from now on, for live progress; the subscription ends with the scope. */
  readonly subscribe: Effect.Effect<Queue.Dequeue<StoredEvent>, never, Scope.Scope>
  /** Makes buffered events durable (a no-op for stores that write through). */
  readonly flush: Effect.Effect<void, EventLogError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class EventLog extends Context.Tag("@baliza/core/EventLog")<EventLog, EventLogService>() {}

/**
 * Whether a stored event passes a filter.
 *
 * @since 0.1.0
 * @category utils
 */
export const matches = (filter: EventFilter, stored: StoredEvent): boolean => {
  const event = stored.event
  if (filter.afterId !== undefined && stored.id <= filter.afterId) return false
  if (filter.runId !== undefined && event.runId !== filter.runId) return false
  if (filter.tags !== undefined && !filter.tags.includes(event._tag)) return false
  if (filter.assetKey !== undefined || filter.partitionKey !== undefined) {
    if (!("assetKey" in event)) return false
    if (filter.assetKey !== undefined && event.assetKey !== filter.assetKey) return false
    if (filter.partitionKey !== undefined && event.partitionKey !== filter.partitionKey) return false
  }
  return true
}

/**
 * Folds a run's events into its summary; stores use it so every layer reports runs alike.
 *
 * @since 0.1.0
 * @category utils
 */
export const summarize = (events: Iterable<RunEvent>): ReadonlyArray<RunSummary> => {
  const runs = new Map<string, { -readonly [K in keyof RunSummary]: RunSummary[K] }>()
  for (const event of events) {
    if (event._tag === "RunStarted") {
      // a run started again under the same id moves to its latest start
      runs.delete(event.runId)
      runs.set(event.runId, {
        runId: event.runId,
        status: "Running",
        startedAt: event.timestamp,
        finishedAt: null,
        selection: event.selection,
        partitions: event.partitions,
        plannedSteps: event.plannedSteps,
        succeeded: 0,
        failed: 0,
        skipped: 0
      })
    } else if (event._tag === "RunFinished") {
      const run = runs.get(event.runId)
      if (run !== undefined) {
        run.status = event.status
        run.finishedAt = event.timestamp
        run.succeeded = event.succeeded
        run.failed = event.failed
        run.skipped = event.skipped
      }
    }
  }
  // Most recent first; of runs started in the same millisecond, the one started last.
  return [...runs.values()].reverse().sort((a, b) => b.startedAt - a.startedAt)
}

/**
 * An event log kept in memory: for tests, examples and one-off runs.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<EventLogService> = Effect.gen(function*() {
  const events: Array<StoredEvent> = []
  const pubsub = yield* PubSub.unbounded<StoredEvent>()
  // Publishing costs a few µs per event on the materializer's hot path; skip it when nobody listens.
  let subscribers = 0
  return {
    append: (batch) =>
      Effect.suspend(() => {
        const stored = batch.map((event, i) => ({ id: events.length + i + 1, event }))
        for (const entry of stored) events.push(entry)
        return subscribers === 0 ? Effect.void : Effect.asVoid(PubSub.publishAll(pubsub, stored))
      }),
    query: (filter = {}) =>
      Effect.sync(() => {
        const out: Array<StoredEvent> = []
        if (filter.limit !== undefined && filter.limit <= 0) return out
        // ids are 1-based and dense: the event after `afterId` sits at index `afterId`
        const start = Math.max(0, Math.floor(filter.afterId ?? 0))
        for (let i = start; i < events.length; i++) {
          if (matches(filter, events[i])) {
            out.push(events[i])
            if (filter.limit !== undefined && out.length >= filter.limit) break
          }
        }
        return out
      }),
    runs: (options) =>
      Effect.sync(() => {
        const runId = options?.runId
        const all = summarize(
          runId === undefined
            ? events.map((stored) => stored.event)
            : events.flatMap((stored) => stored.event.runId === runId ? [stored.event] : [])
        )
        return options?.limit === undefined ? all : all.slice(0, Math.max(0, Math.floor(options.limit)))
      }),
    subscribe: Effect.tap(
      PubSub.subscribe(pubsub),
      () => Effect.acquireRelease(Effect.sync(() => subscribers++), () => Effect.sync(() => subscribers--))
    ),
    flush: Effect.void
  }
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<EventLog> = Layer.effect(EventLog, makeMemory)
