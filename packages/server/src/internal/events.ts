import * as EventLog from "@baliza/core/EventLog"
import * as RunEvent from "@baliza/core/RunEvent"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
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
 * When a run is over: no event of it will come. A `RunFinished` alone does not say so — a server stopped mid-run queues
 * the run again and the next one runs it under the same id (a second `RunStarted` … `RunFinished`) — and a run
 * cancelled while queued never has one.
 */
export interface RunEnd {
  /** Whether the run is over now. Once it is, every event of it is in the log. */
  readonly over: Effect.Effect<boolean>
  /** Watches for the run's end from now on: the effect it returns completes once the run is over. */
  readonly watch: Effect.Effect<Effect.Effect<void>, never, Scope.Scope>
}

/**
 * @internal
 * The events matching `filter` after `afterId`: those already logged, then the live ones, with no gap and no duplicate
 * (the subscription starts before the past is read; live events at or below the last past id are dropped).
 *
 * Without `end`, the stream of every event: from now on when it has no `afterId` (the whole log could be millions of
 * events), and it never ends. With `end`, a run's stream: its whole past, and it ends once the run is over, with the
 * events the live subscription had not delivered yet read from the log.
 */
export const stream = (
  log: EventLog.EventLogService,
  filter: EventLog.EventFilter,
  afterId: number | undefined,
  end: RunEnd | undefined
): Stream.Stream<RunEvent.StoredEvent, EventLog.EventLogError> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const live = yield* log.subscribe
    const ended = end === undefined ? undefined : yield* end.watch
    // Asked before the past is read: a run over now has all its events in what is read next.
    const over = end === undefined ? false : yield* end.over
    const past = afterId === undefined && end === undefined ? [] : yield* log.query({ ...filter, afterId })
    if (over) return Stream.fromIterable(past)
    const last = past.at(-1)?.id ?? afterId ?? 0
    const all = Stream.concat(
      Stream.fromIterable(past),
      Stream.fromQueue(live).pipe(Stream.filter((stored) => stored.id > last && EventLog.matches(filter, stored)))
    )
    if (ended === undefined) return all
    const sent = yield* Ref.make(last)
    // The run's last events may still wait in the subscription when it ends: the log has them (a query flushes first).
    const rest = Stream.unwrap(
      Effect.map(Ref.get(sent), (after) => Stream.fromIterableEffect(log.query({ ...filter, afterId: after })))
    )
    return Stream.concat(
      all.pipe(Stream.interruptWhen(ended), Stream.tap((stored) => Ref.set(sent, stored.id))),
      rest
    )
  }))

/**
 * @internal
 * The stream as a `text/event-stream` response, which ends when `closing` completes (the server stops: Node's server
 * waits for open connections). A run that is over with nothing after the client's `Last-Event-ID` (it has the run's
 * last event, or the run never started) gets 204, which tells an `EventSource` to stop reconnecting instead of waiting
 * for ever.
 */
export const response = (
  log: EventLog.EventLogService,
  filter: EventLog.EventFilter,
  afterId: number | undefined,
  end: RunEnd | undefined,
  closing: Effect.Effect<void>
): Effect.Effect<HttpServerResponse.HttpServerResponse, EventLog.EventLogError> =>
  Effect.gen(function*() {
    const respond = (events: Stream.Stream<RunEvent.StoredEvent, EventLog.EventLogError>) =>
      HttpServerResponse.stream(
        // A comment first: the response's headers go out at once, though the next event may be a while away.
        Stream.concat(Stream.make(": connected\n\n"), Stream.map(events, format)).pipe(
          Stream.interruptWhen(closing),
          Stream.encodeText
        ),
        {
          contentType: "text/event-stream",
          // Not kept alive once it ends: an idle kept-alive connection would hold a stopping server for its timeout.
          headers: { "cache-control": "no-cache", connection: "close" }
        }
      )
    if (end !== undefined && (yield* end.over)) {
      const rest = yield* log.query({ ...filter, afterId })
      return rest.length === 0 ? HttpServerResponse.empty({ status: 204 }) : respond(Stream.fromIterable(rest))
    }
    return respond(stream(log, filter, afterId, end))
  })
