/**
 * The page's client of the server's JSON API: every response is decoded with the server's own schemas, so a page never
 * renders what the contract does not promise. A 401 asks once for the token (kept in `sessionStorage`) and retries.
 */
import { RunSummary } from "@baliza/core/EventLog"
import { RunEvent, StoredEvent } from "@baliza/core/RunEvent"
import { AssetDetail, AssetInfo, type LaunchRequest, Lineage, QueuedRun, ScheduleInfo } from "@baliza/server/ServerApi"
import * as Schema from "effect/Schema"

/** A request the server refused, with its status and message. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

const tokenKey = "baliza.token"
let asking: Promise<string | null> | undefined

/** The bearer token entered on this tab, if any. */
export const token = (): string | null => sessionStorage.getItem(tokenKey)

const messageOf = (body: unknown): string | undefined =>
  typeof body === "object" && body !== null && "message" in body && typeof body.message === "string"
    ? body.message
    : undefined

/** Asks for the token once per page load; requests refused meanwhile wait for the same answer. */
const askToken = (): Promise<string | null> =>
  asking ??= Promise.resolve().then(() => {
    const entered = window.prompt("This server requires a token (BALIZA_UI_TOKEN):")?.trim() ?? ""
    if (entered === "") return null
    sessionStorage.setItem(tokenKey, entered)
    return entered
  })

const request = async (path: string, init: RequestInit = {}): Promise<unknown> => {
  const headers = new Headers(init.headers)
  const bearer = token()
  if (bearer !== null) headers.set("authorization", `Bearer ${bearer}`)
  const response = await fetch(path, { ...init, headers })
  if (response.status === 401) {
    const entered = await askToken()
    if (entered !== null && entered !== bearer) return request(path, init)
  }
  const text = await response.text()
  let body: unknown = null
  try {
    body = text === "" ? null : JSON.parse(text)
  } catch {
    body = text
  }
  if (!response.ok) {
    throw new ApiError(response.status, messageOf(body) ?? `${response.status} ${response.statusText}: ${text}`)
  }
  return body
}

const decoded = <A, I>(schema: Schema.Schema<A, I>, path: string, init?: RequestInit): Promise<A> =>
  request(path, init).then((body) => Schema.decodeUnknownSync(schema)(body))

const q = encodeURIComponent

/** Every asset with its status. */
export const assets = () => decoded(Schema.Array(AssetInfo), "/api/assets")
/** One asset in detail. */
export const asset = (key: string) => decoded(AssetDetail, `/api/asset?key=${q(key)}`)
/** The graph: nodes with their status, and edges. */
export const lineage = () => decoded(Lineage, "/api/lineage")
/** The keys a selection names (a 400 `ApiError` with the server's message when it does not parse or names no asset). */
export const select = (selection: string) =>
  decoded(Schema.Struct({ keys: Schema.Array(Schema.String) }), `/api/select?q=${q(selection)}`)
/** The runs, most recent first. */
export const runs = () => decoded(Schema.Array(RunSummary), "/api/runs")
/** One run's summary (404 while it waits in the queue). */
export const run = (runId: string) => decoded(RunSummary, `/api/runs/${q(runId)}`)
/** One run's event log. */
export const log = (runId: string) => decoded(Schema.Array(StoredEvent), `/api/runs/${q(runId)}/log`)
/** Queues a run. */
export const launch = (launchRequest: LaunchRequest) =>
  decoded(QueuedRun, "/api/runs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(launchRequest)
  })
/** Cancels a queued or running run. */
export const cancel = (runId: string) =>
  decoded(Schema.Struct({ cancelled: Schema.Boolean }), `/api/runs/${q(runId)}/cancel`, { method: "POST" })
/** The run queue: the runs to come, then the latest 200 finished. */
export const queue = () => decoded(Schema.Array(QueuedRun), "/api/queue")
/** One run's place in the queue, finished or not (a 404 `ApiError` when the queue does not hold it). */
export const queued = (runId: string) => decoded(QueuedRun, `/api/queue/${q(runId)}`)
/** The schedules with their next tick and last ticks. */
export const schedules = () => decoded(Schema.Array(ScheduleInfo), "/api/schedules")

const decodeEvent = Schema.decodeUnknownSync(Schema.parseJson(RunEvent))

// Every tag, as a record so a new kind of event fails to compile here instead of being silently never received:
// an EventSource only delivers the named events it listens to.
const eventTags = Object.keys(
  {
    RunStarted: true,
    RunFinished: true,
    StepStarted: true,
    StepRetrying: true,
    StepSucceeded: true,
    StepFailed: true,
    StepSkipped: true,
    Materialization: true,
    CheckEvaluated: true,
    Progress: true,
    SourceProgress: true
  } satisfies Record<RunEvent["_tag"], true>
)

/**
 * Whether a run is over as the queue says (done or cancelled): a `RunFinished` alone does not say so, as a run that a
 * server stopped is queued again and resumed under the same id. A run the queue does not hold is over too, as the
 * server judges it: it ran before this server, which recorded any left running as interrupted when it started.
 */
const isOver = async (runId: string): Promise<boolean> => {
  const entry = await queued(runId).catch((error: unknown) =>
    error instanceof ApiError && error.status === 404 ? undefined : Promise.reject(error)
  )
  return entry === undefined || entry.status === "done" || entry.status === "cancelled"
}

/**
 * Follows a run's events until the run is over or until `signal` aborts: live over Server-Sent Events, or — since
 * `EventSource` cannot send an `Authorization` header — by polling the run's log every two seconds when a token is set.
 * Calls `onEnd` once the server says the run is over (not when `signal` aborts), which for a run cancelled while it
 * waited in the queue comes without any `RunFinished`. Returns how it follows (`"live"` or `"polling"`); given a signal
 * that has already aborted, it starts nothing.
 */
export const follow = (
  runId: string,
  signal: AbortSignal,
  onEvent: (stored: StoredEvent) => void,
  onEnd: () => void = () => undefined
): "live" | "polling" => {
  let last = 0
  const deliver = (stored: StoredEvent) => {
    if (stored.id <= last) return
    last = stored.id
    onEvent(stored)
  }
  if (token() !== null) {
    const poll = async () => {
      while (!signal.aborted) {
        // Asked before the log is read: once the run is over, the log read next has all its events.
        const over = await isOver(runId).catch(() => false)
        const events = await log(runId).catch(() => [])
        if (signal.aborted) return
        events.forEach(deliver)
        if (over) return onEnd()
        await new Promise((resolve) => window.setTimeout(resolve, 2000))
      }
    }
    if (!signal.aborted) void poll()
    return "polling"
  }
  if (signal.aborted) return "live"
  // The server ends the stream when the run is over; the EventSource then reconnects (with the last id it had) and
  // gets a 204, which closes it for good. A server that stops mid-run ends the stream too: the reconnect resumes with
  // the next server, which runs the run again under the same id — past a first RunFinished (Interrupted).
  const source = new EventSource(`/api/runs/${q(runId)}/events`)
  signal.addEventListener("abort", () => source.close())
  // Closed by the browser (not reconnecting): the server answered 204, the run is over and nothing is left to send.
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED && !signal.aborted) onEnd()
  })
  for (const tag of eventTags) {
    source.addEventListener(tag, (message) => {
      deliver({ id: Number(message.lastEventId), event: decodeEvent(message.data) })
    })
  }
  return "live"
}
