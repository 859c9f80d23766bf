import * as EventLog from "@baliza/core/EventLog"
import * as RunEvent from "@baliza/core/RunEvent"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"

const encode = Schema.encodeSync(RunEvent.RunEvent)

/** @internal One Server-Sent Event: the stored id (what `Last-Event-ID` resumes from), the event's tag, its JSON. */
export const format = (stored: RunEvent.StoredEvent): string =>
  `id: ${stored.id}\nevent: ${stored.event._tag}\ndata: ${JSON.stringify(encode(stored.event))}\n\n`

/** @internal The id a reconnecting client last received, if it says one. */
export const lastEventId = (request: HttpServerRequest.HttpServerRequest): number | undefined => {
  const header = request.headers["last-event-id"]
  const id = header === undefined ? NaN : Number(header)
  return Number.isInteger(id) && id >= 0 ? id : undefined
}

/**
 * @internal
 * The events matching `filter` after `afterId` (from now on for the stream of every event, when it has no `afterId`):
 * those already logged, then the live ones, with no gap and no duplicate
 * (the subscription starts before the past is read; live events at or below the last past id are dropped). With
 * `untilFinished` the stream ends after the run's `RunFinished`.
 */
export const stream = (
  log: EventLog.EventLogService,
  filter: EventLog.EventFilter,
  afterId: number | undefined,
  untilFinished: boolean
): Stream.Stream<RunEvent.StoredEvent, EventLog.EventLogError> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const live = yield* log.subscribe
    // A run's stream starts with its past; the stream of every event, without a position to resume from, starts now
    // (the whole log could be millions of events).
    const past = afterId === undefined && !untilFinished ? [] : yield* log.query({ ...filter, afterId })
    const last = past.at(-1)?.id ?? afterId ?? 0
    const all = Stream.concat(
      Stream.fromIterable(past),
      Stream.fromQueue(live).pipe(Stream.filter((stored) => stored.id > last && EventLog.matches(filter, stored)))
    )
    return untilFinished ? all.pipe(Stream.takeUntil((stored) => stored.event._tag === "RunFinished")) : all
  }))

/**
 * @internal
 * The stream as a `text/event-stream` response. A client that already has a run's `RunFinished` (its `Last-Event-ID`
 * is at or past it) gets 204, which tells an `EventSource` to stop reconnecting instead of waiting for ever.
 */
export const response = (
  log: EventLog.EventLogService,
  filter: EventLog.EventFilter,
  afterId: number | undefined,
  untilFinished: boolean
): Effect.Effect<HttpServerResponse.HttpServerResponse, EventLog.EventLogError> =>
  Effect.gen(function*() {
    if (untilFinished && afterId !== undefined) {
      const lifecycle = yield* log.query({ ...filter, tags: ["RunStarted", "RunFinished"] })
      const latest = lifecycle.at(-1)
      if (latest !== undefined && latest.event._tag === "RunFinished" && latest.id <= afterId) {
        return HttpServerResponse.empty({ status: 204 })
      }
    }
    const events = stream(log, filter, afterId, untilFinished).pipe(Stream.map(format))
    return HttpServerResponse.stream(
      // A comment first: the response's headers go out at once, though the next event may be a while away.
      Stream.concat(Stream.make(": connected\n\n"), events).pipe(Stream.encodeText),
      { contentType: "text/event-stream", headers: { "cache-control": "no-cache" } }
    )
  })
