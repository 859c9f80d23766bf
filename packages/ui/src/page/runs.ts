/**
 * `#/runs`: the runs, most recent first, with their status and duration; refreshed every few seconds.
 */
import type { RunSummary } from "@baliza/core/EventLog"
import * as Api from "./api.js"
import { badge, count, duration, every, h, runLink, table, time } from "./dom.js"

/** `Success` → `Succeeded`: what a person reads. */
export const statusText = (status: RunSummary["status"] | "Queued" | "Cancelled"): string => {
  switch (status) {
    case "Success":
      return "Succeeded"
    case "Failure":
      return "Failed"
    default:
      return status
  }
}

const runsTable = (runs: ReadonlyArray<RunSummary>) =>
  table<RunSummary>(
    "runs-table",
    [
      ["run", (run) => runLink(run.runId)],
      ["status", (run) => badge(statusText(run.status))],
      ["selection", (run) => h("span", { class: "mono" }, run.selection)],
      ["partitions", (run) => h("span", { class: "mono" }, run.partitions ?? "all")],
      ["started", (run) => time(run.startedAt)],
      ["duration", (run) => duration((run.finishedAt ?? Date.now()) - run.startedAt)],
      ["steps", (run) =>
        `${count(run.succeeded)} ok · ${count(run.failed)} failed · ${count(run.skipped)} skipped / ` +
        `${count(run.plannedSteps)}`]
    ],
    runs,
    "No run yet."
  )

export const render = async (view: HTMLElement, signal: AbortSignal): Promise<void> => {
  const runs = await Api.runs()
  if (signal.aborted) return
  const body = h("div", {}, runsTable(runs))
  view.replaceChildren(h("div", { class: "page-head" }, h("h1", {}, "Runs")), h("section", { class: "card" }, body))
  every(3000, signal, () => {
    Api.runs().then((runs) => body.replaceChildren(runsTable(runs)), () => undefined)
  })
}
