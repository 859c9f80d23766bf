/**
 * The statuses and their colours, shared by the lineage, the heat-map and the legends.
 */
import type { Status } from "@baliza/server/ServerApi"
import { h } from "./dom.js"

/** Every status, in the legend's order. */
export const statuses: ReadonlyArray<Status> = ["fresh", "stale", "failed", "missing", "running"]

/** A legend: a swatch per status, with a count when given. */
export const legend = (counts?: ReadonlyMap<string, number>): HTMLElement =>
  h(
    "div",
    { class: "legend", "data-testid": "legend" },
    statuses.map((status) =>
      h(
        "span",
        { class: "legend-item" },
        h("span", { class: `swatch status-${status}` }),
        counts === undefined ? status : `${status} ${counts.get(status) ?? 0}`
      )
    )
  )
