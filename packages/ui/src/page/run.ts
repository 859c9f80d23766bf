/**
 * `#/runs/<id>`: one run, live. Its events arrive over Server-Sent Events (past ones first); from them the page keeps
 * the status, a progress bar, a Gantt timeline of the steps (a row per asset, a bar per step), the progress of each
 * asset (steps, retries, pages, records, the latest `Progress`), what each endpoint is doing (the latest
 * `SourceProgress`: pages done of expected, records/s, retries, errors, the circuit breaker), and the log.
 */
import type { RunSummary } from "@baliza/core/EventLog"
import { describe, type RunEvent, type SourceFigures, type StoredEvent } from "@baliza/core/RunEvent"
import * as Api from "./api.js"
import { assetLink, bytes, count, duration, every, h, s, section, table, time } from "./dom.js"
import { statusText } from "./runs.js"

/** `interrupted`: still open when its run finished (cancelled, or the server stopped): it never finished. */
type StepStatus = "running" | "succeeded" | "failed" | "skipped" | "interrupted"

interface Step {
  readonly assetKey: string
  readonly partitionKey: string | null
  start: number
  end: number | null
  status: StepStatus
  attempts: number
}

interface AssetProgress {
  steps: number
  succeeded: number
  failed: number
  skipped: number
  retries: number
  records: number
  pages: number
  progress: string | null
}

/** `Cancelled`: cancelled while it waited in the queue, so it never started and has no `RunFinished`. */
type RunStatus = RunSummary["status"] | "Queued" | "Cancelled"

interface State {
  status: RunStatus
  startedAt: number | null
  finishedAt: number | null
  planned: number
  selection: string
  partitions: string | null
  readonly steps: Map<string, Step>
  readonly assets: Map<string, AssetProgress>
  sources: ReadonlyArray<SourceFigures>
}

const stepId = (assetKey: string, partitionKey: string | null) =>
  partitionKey === null ? assetKey : `${assetKey}[${partitionKey}]`

const progressOf = (state: State, assetKey: string): AssetProgress => {
  const found = state.assets.get(assetKey)
  if (found !== undefined) return found
  const fresh = { steps: 0, succeeded: 0, failed: 0, skipped: 0, retries: 0, records: 0, pages: 0, progress: null }
  state.assets.set(assetKey, fresh)
  return fresh
}

/** Folds one event into the state. */
const apply = (state: State, event: RunEvent): void => {
  switch (event._tag) {
    case "RunStarted":
      state.status = "Running"
      state.startedAt = event.timestamp
      // A run resumed after a server stop starts again under its id: not finished any more.
      state.finishedAt = null
      state.planned = event.plannedSteps
      state.selection = event.selection
      state.partitions = event.partitions
      return
    case "RunFinished":
      state.status = event.status
      state.finishedAt = event.timestamp
      // Steps still open when the run finished never finished: drawn up to the run's end, as interrupted.
      for (const step of state.steps.values()) {
        if (step.end === null) {
          step.end = event.timestamp
          step.status = "interrupted"
        }
      }
      return
    case "StepStarted": {
      const id = stepId(event.assetKey, event.partitionKey)
      const known = state.steps.get(id)
      if (known === undefined) {
        state.steps.set(id, {
          assetKey: event.assetKey,
          partitionKey: event.partitionKey,
          start: event.timestamp,
          end: null,
          status: "running",
          attempts: event.attempt
        })
        progressOf(state, event.assetKey).steps++
      } else {
        known.status = "running"
        known.end = null
        known.attempts = event.attempt
      }
      return
    }
    case "StepRetrying":
      progressOf(state, event.assetKey).retries++
      return
    case "StepSucceeded":
    case "StepFailed":
    case "StepSkipped": {
      const id = stepId(event.assetKey, event.partitionKey)
      const status = event._tag === "StepSucceeded" ? "succeeded" : event._tag === "StepFailed" ? "failed" : "skipped"
      const progress = progressOf(state, event.assetKey)
      const step = state.steps.get(id)
      if (step === undefined) {
        progress.steps++
        state.steps.set(id, {
          assetKey: event.assetKey,
          partitionKey: event.partitionKey,
          start: event.timestamp,
          end: event.timestamp,
          status,
          attempts: 0
        })
      } else {
        step.end = event.timestamp
        step.status = status
      }
      progress[status]++
      return
    }
    case "Materialization": {
      const progress = progressOf(state, event.assetKey)
      progress.records += event.rows ?? 0
      const pages = event.metadata.pages
      if (typeof pages === "number") progress.pages += pages
      return
    }
    case "Progress":
      progressOf(state, event.assetKey).progress = `${count(event.done)}${
        event.total === null ? "" : `/${count(event.total)}`
      } ${event.unit}${event.partitionKey === null ? "" : ` (${event.partitionKey})`}`
      return
    case "SourceProgress":
      state.sources = event.sources
      return
    case "CheckEvaluated":
      return
  }
}

const short = (key: string) => {
  const parts = key.split("/")
  return parts.length >= 3 ? parts.slice(1).join("/") : key
}

/** A row per asset; in it a bar per step, from its start to its end (or now). */
const gantt = (state: State, now: number): HTMLElement | SVGSVGElement => {
  const steps = [...state.steps.values()]
  if (steps.length === 0) return h("p", { class: "empty", "data-testid": "gantt-empty" }, "No step started yet.")
  const t0 = state.startedAt ?? Math.min(...steps.map((step) => step.start))
  const t1 = Math.max(t0 + 1000, state.finishedAt ?? now, ...steps.map((step) => step.end ?? now))
  const rows = [...new Set(steps.map((step) => step.assetKey))]
  const labelWidth = 230
  const chart = 720
  const rowHeight = 22
  const top = 22
  const width = labelWidth + chart + 90
  const height = top + rows.length * rowHeight + 8
  const x = (t: number) => labelWidth + ((t - t0) / (t1 - t0)) * chart
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const at = labelWidth + f * chart
    return s(
      "g",
      {},
      s("line", { class: "grid", x1: at, x2: at, y1: top - 4, y2: height - 4 }),
      s(
        "text",
        { class: "tick", x: at, y: 12, "text-anchor": f === 0 ? "start" : f === 1 ? "end" : "middle" },
        duration(f * (t1 - t0))
      )
    )
  })
  const lines = rows.map((assetKey, row) => {
    const y = top + row * rowHeight
    const own = steps.filter((step) => step.assetKey === assetKey)
    const done = own.filter((step) => step.status === "succeeded").length
    const failed = own.some((step) => step.status === "failed")
    return s(
      "g",
      { class: "gantt-row", "data-testid": "gantt-row", "data-key": assetKey },
      s("text", { class: "gantt-label", x: labelWidth - 8, y: y + 15, "text-anchor": "end" }, short(assetKey)),
      own.map((step) =>
        s(
          "rect",
          {
            class: `bar ${step.status}`,
            x: x(step.start),
            y: y + 4,
            width: Math.max(2, x(step.end ?? now) - x(step.start)),
            height: rowHeight - 8,
            rx: 2
          },
          s(
            "title",
            {},
            `${stepId(step.assetKey, step.partitionKey)}: ${step.status}, ${duration((step.end ?? now) - step.start)}`
          )
        )
      ),
      s(
        "text",
        { class: `gantt-count${failed ? " failed" : ""}`, x: labelWidth + chart + 8, y: y + 15 },
        `${done}/${own.length}`
      )
    )
  })
  return s(
    "svg",
    { class: "gantt", width, height, viewBox: `0 0 ${width} ${height}`, "data-testid": "gantt" },
    ticks,
    lines
  )
}

const stepStatuses: ReadonlyArray<StepStatus> = ["succeeded", "running", "failed", "skipped", "interrupted"]

/** What the bars' colours mean. */
const ganttLegend = () =>
  h(
    "div",
    { class: "gantt-legend", "data-testid": "gantt-legend" },
    stepStatuses.map((status) =>
      h("span", { class: "legend-item" }, h("span", { class: `swatch bar-${status}` }), status)
    )
  )

const progressTable = (state: State) =>
  table<readonly [string, AssetProgress]>(
    "progress-table",
    [
      ["asset", ([key]) => assetLink(key)],
      ["steps", ([, p]) => {
        const finished = p.succeeded + p.failed + p.skipped
        return h(
          "span",
          { class: "meter", title: `${finished} of ${p.steps} started steps finished` },
          h("span", { class: "meter-fill", style: `width:${p.steps === 0 ? 0 : (100 * finished) / p.steps}%` }),
          h("span", { class: "meter-text" }, `${p.succeeded}/${p.steps}`)
        )
      }],
      ["failed", ([, p]) => (p.failed === 0 ? "" : h("span", { class: "bad" }, count(p.failed)))],
      ["skipped", ([, p]) => (p.skipped === 0 ? "" : count(p.skipped))],
      ["retries", ([, p]) => (p.retries === 0 ? "" : count(p.retries))],
      ["pages", ([, p]) => (p.pages === 0 ? "" : count(p.pages))],
      ["records", ([, p]) => count(p.records)],
      ["latest progress", ([, p]) => h("span", { class: "muted" }, p.progress ?? "")]
    ],
    [...state.assets.entries()],
    "Nothing has run yet."
  )

const sourcesTable = (sources: ReadonlyArray<SourceFigures>) =>
  table<SourceFigures>(
    "sources-table",
    [
      ["endpoint", (f) => h("span", { class: "mono" }, f.source)],
      ["pages", (f) => {
        // Expected: what the page series started so far announced; series not started yet are not in it.
        const expected = Math.max(f.pages, f.pagesExpected)
        return h(
          "span",
          {
            class: "meter",
            title: `${f.pages} of the ${expected} pages announced so far`,
            "data-testid": "source-pages"
          },
          h("span", { class: "meter-fill", style: `width:${expected === 0 ? 0 : (100 * f.pages) / expected}%` }),
          h("span", { class: "meter-text" }, `${count(f.pages)}/${count(expected)}`)
        )
      }],
      ["records", (f) => count(f.records)],
      ["records/s", (f) => count(Math.round(f.recordsPerSecond))],
      ["bytes", (f) => bytes(f.bytes)],
      ["requests", (f) => count(f.requests)],
      ["retries", (f) => (f.retries === 0 ? "" : count(f.retries))],
      ["errors", (f) => (f.errors === 0 ? "" : h("span", { class: "bad" }, count(f.errors)))],
      ["given up", (f) => (f.failures === 0 ? "" : h("span", { class: "bad" }, count(f.failures)))],
      ["p95 latency", (f) => duration(f.p95LatencyMs)],
      ["breaker", (f) =>
        f.breaker === null ? "" : h(
          "span",
          { class: `badge breaker-${f.breaker.toLowerCase()}`, "data-testid": "source-breaker" },
          f.breaker
        )]
    ],
    sources,
    "No endpoint has been called in this run (yet)."
  )

const logRow = (stored: StoredEvent) => {
  const event = stored.event
  const failed = event._tag === "StepFailed" || (event._tag === "CheckEvaluated" && !event.passed)
  return h(
    "tr",
    { class: failed ? "bad" : "", "data-testid": "log-row", "data-tag": event._tag },
    h("td", { class: "mono muted" }, stored.id),
    h("td", {}, time(event.timestamp)),
    h("td", { class: "mono" }, event._tag),
    h("td", {}, describe(event))
  )
}

const maxLogRows = 2000

const isFinished = (step: Step) => step.status === "succeeded" || step.status === "failed" || step.status === "skipped"

export const render = async (view: HTMLElement, signal: AbortSignal, runId: string): Promise<void> => {
  const state: State = {
    status: "Queued",
    startedAt: null,
    finishedAt: null,
    planned: 0,
    selection: "",
    partitions: null,
    steps: new Map(),
    assets: new Map(),
    sources: []
  }
  const summary = await Api.run(runId).catch((error: unknown) =>
    error instanceof Api.ApiError && error.status === 404 ? undefined : Promise.reject(error)
  )
  if (signal.aborted) return
  if (summary === undefined) {
    const queued = await Api.queued(runId).catch((error: unknown) =>
      error instanceof Api.ApiError && error.status === 404 ? undefined : Promise.reject(error)
    )
    if (signal.aborted) return
    if (queued === undefined) throw new Error(`No run ${runId}, neither in the log nor in the queue.`)
    state.selection = queued.selection
    state.partitions = queued.partitions
    // Cancelled before it started: no event will ever come.
    if (queued.status === "cancelled") state.status = "Cancelled"
  }

  const statusEl = h("span", { class: "badge", "data-testid": "run-status" })
  const facts = h("p", { class: "muted", "data-testid": "run-facts" })
  const bar = h("span", { class: "meter-fill" })
  const barText = h("span", { class: "meter-text", "data-testid": "run-progress" })
  const timeline = h("div", { class: "gantt-scroll" })
  const progress = h("div", {})
  const sources = h("div", {})
  const logBody = h("tbody", {})
  const logNote = h("p", { class: "muted", "data-testid": "log-truncated", hidden: true })
  let logged = 0
  const cancelMessage = h("span", { class: "muted", "data-testid": "cancel-message" })
  // Once asked, Cancel stays disabled (redraws included) until the run is over or the request failed.
  let cancelling = false
  const isOver = () => state.finishedAt !== null || state.status === "Cancelled"
  const cancel = h("button", {
    type: "button",
    class: "danger",
    "data-testid": "cancel-button",
    onclick: () => {
      cancelling = true
      cancel.disabled = true
      Api.cancel(runId).then(
        ({ cancelled }) => (cancelMessage.textContent = cancelled ? "cancel requested" : "nothing to cancel"),
        (error: unknown) => {
          cancelling = false
          cancel.disabled = isOver()
          cancelMessage.textContent = error instanceof Error ? error.message : String(error)
        }
      )
    }
  }, "Cancel")
  const mode = h("p", { class: "muted", "data-testid": "follow-mode" })

  let scheduled = false
  const draw = () => {
    scheduled = false
    const now = Date.now()
    const text = statusText(state.status)
    statusEl.textContent = text
    statusEl.className = `badge status-${text.toLowerCase()}`
    statusEl.setAttribute("data-status", state.status)
    const steps = [...state.steps.values()]
    const finished = steps.filter(isFinished).length
    const interrupted = steps.filter((step) => step.status === "interrupted").length
    const total = Math.max(state.planned, state.steps.size)
    bar.style.width = `${total === 0 ? 0 : (100 * finished) / total}%`
    barText.textContent = `${finished} of ${total} steps${interrupted === 0 ? "" : ` · ${interrupted} interrupted`}`
    const elapsed = state.startedAt === null ? null : (state.finishedAt ?? now) - state.startedAt
    facts.textContent = `${state.selection}${state.partitions === null ? "" : ` · partitions ${state.partitions}`}` +
      (state.startedAt !== null
        ? ` · started ${time(state.startedAt)}`
        : state.status === "Cancelled"
        ? " · cancelled while it waited in the queue"
        : " · waiting in the queue") +
      (elapsed === null ? "" : ` · ${duration(elapsed)}`)
    cancel.disabled = isOver() || cancelling
    timeline.replaceChildren(gantt(state, now))
    progress.replaceChildren(progressTable(state))
    sources.replaceChildren(sourcesTable(state.sources))
  }
  const redraw = () => {
    if (scheduled) return
    scheduled = true
    window.requestAnimationFrame(draw)
  }

  view.replaceChildren(
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, "Run ", h("span", { class: "mono", "data-testid": "run-id" }, runId)),
      statusEl,
      cancel,
      cancelMessage
    ),
    facts,
    h("div", { class: "meter wide" }, bar, barText),
    section("Timeline", timeline, ganttLegend()),
    section("Progress by asset", progress, mode),
    section("Extraction by endpoint", sources),
    section(
      "Event log",
      logNote,
      h(
        "div",
        { class: "scroll" },
        h(
          "table",
          { "data-testid": "event-log" },
          h("thead", {}, h("tr", {}, ["id", "time", "event", "what"].map((title) => h("th", {}, title)))),
          logBody
        )
      )
    )
  )
  draw()

  const follows = Api.follow(runId, signal, (stored) => {
    apply(state, stored.event)
    // The newest rows are kept: the end of a long run (its RunFinished) matters more than its start.
    logBody.append(logRow(stored))
    logged++
    while (logBody.rows.length > maxLogRows) logBody.rows[0]!.remove()
    if (logged > maxLogRows) {
      logNote.hidden = false
      logNote.textContent = `showing the latest ${count(maxLogRows)} of ${count(logged)} events`
    }
    redraw()
  }, () => {
    // Over, as the server says, though it never started: it was cancelled while it waited in the queue.
    if (state.startedAt === null && state.finishedAt === null) {
      state.status = "Cancelled"
      redraw()
    }
  })
  mode.textContent = follows === "live"
    ? "live over Server-Sent Events"
    : "polling the log every 2 s (a token is set; EventSource cannot send it)"

  every(1000, signal, () => {
    if (state.startedAt !== null && state.finishedAt === null && state.status !== "Cancelled") redraw()
  })
}
