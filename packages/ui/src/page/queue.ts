/**
 * `#/queue`: the run queue — waiting, running, done and cancelled runs with their priority and source.
 */
import type { QueuedRun } from "@baliza/server/ServerApi"
import * as Api from "./api.js"
import { badge, duration, every, h, relative, runLink, table, time } from "./dom.js"

const queueTable = (runs: ReadonlyArray<QueuedRun>) =>
  table<QueuedRun>(
    "queue-table",
    [
      ["run", (run) => runLink(run.runId)],
      ["status", (run) => badge(run.status)],
      ["outcome", (run) => run.outcome ?? ""],
      ["priority", (run) => run.priority],
      ["selection", (run) => h("span", { class: "mono" }, run.selection)],
      ["partitions", (run) => h("span", { class: "mono" }, run.partitions ?? "all")],
      ["force", (run) => (run.force ? "yes" : "")],
      ["source", (run) => run.source],
      ["enqueued", (run) => time(run.enqueuedAt)],
      ["not before", (run) => (run.status === "queued" && run.notBefore > Date.now() ? relative(run.notBefore) : "")],
      ["took", (run) => (run.startedAt === null ? "" : duration((run.finishedAt ?? Date.now()) - run.startedAt))],
      ["attempts", (run) => run.attempts]
    ],
    runs,
    "The queue is empty."
  )

export const render = async (view: HTMLElement, signal: AbortSignal): Promise<void> => {
  const runs = await Api.queue()
  if (signal.aborted) return
  const body = h("div", {}, queueTable(runs))
  const waiting = h("span", { class: "muted", "data-testid": "queue-waiting" })
  const summarize = (all: ReadonlyArray<QueuedRun>) => {
    const queued = all.filter((run) => run.status === "queued").length
    const running = all.filter((run) => run.status === "running").length
    waiting.textContent = `${queued} waiting · ${running} running`
  }
  summarize(runs)
  view.replaceChildren(
    h("div", { class: "page-head" }, h("h1", {}, "Queue"), waiting),
    h("section", { class: "card" }, body)
  )
  every(3000, signal, () => {
    Api.queue().then((all) => {
      summarize(all)
      body.replaceChildren(queueTable(all))
    }, () => undefined)
  })
}
