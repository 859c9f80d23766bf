/**
 * `#/schedules`: the materialization schedules and the housekeeping tasks, with their next tick and last ticks.
 */
import type { ScheduleInfo, Tick } from "@baliza/server/ServerApi"
import * as Api from "./api.js"
import { badge, every, h, relative, runLink, table, time } from "./dom.js"

const tick = (t: Tick) =>
  h(
    "li",
    { class: "tick-item", title: t.message ?? "" },
    badge(t.status),
    " ",
    time(t.tick),
    t.runId === null ? null : [" ", runLink(t.runId)],
    t.message === null ? null : h("span", { class: "muted" }, ` ${t.message}`)
  )

const schedulesTable = (schedules: ReadonlyArray<ScheduleInfo>) =>
  table<ScheduleInfo>(
    "schedules-table",
    [
      ["name", (s) => h("strong", {}, s.name)],
      ["kind", (s) => s.kind],
      ["cron", (s) => h("span", { class: "mono" }, `${s.cron} (${s.timeZone})`)],
      ["what", (s) => [s.description, s.selection === null ? null : h("div", { class: "mono muted" }, s.selection)]],
      ["next tick", (s) =>
        s.nextTick === null ? "—" : [time(s.nextTick), h("div", { class: "muted" }, relative(s.nextTick))]],
      ["last ticks", (s) =>
        s.lastTicks.length === 0
          ? h("span", { class: "muted" }, "none yet")
          : h("ul", { class: "ticks" }, s.lastTicks.slice(0, 5).map(tick))]
    ],
    schedules,
    "No schedule."
  )

export const render = async (view: HTMLElement, signal: AbortSignal): Promise<void> => {
  const schedules = await Api.schedules()
  if (signal.aborted) return
  const body = h("div", {}, schedulesTable(schedules))
  view.replaceChildren(
    h("div", { class: "page-head" }, h("h1", {}, "Schedules")),
    h("section", { class: "card" }, body)
  )
  every(10_000, signal, () => {
    Api.schedules().then((all) => body.replaceChildren(schedulesTable(all)), () => undefined)
  })
}
