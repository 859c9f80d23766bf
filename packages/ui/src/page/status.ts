/**
 * The statuses and their colours, shared by the lineage, the heat-map and the legends.
 */
import type { AssetInfo, Status } from "@baliza/server/ServerApi"
import { count, h } from "./dom.js"

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

/**
 * How much of a partitioned asset exists, "3 of 1,000 partitions materialized · 997 missing": of the partitions its
 * definition has now, those materialized at least once and those never materialized. `undefined` when unpartitioned.
 */
export const coverage = (asset: AssetInfo): string | undefined => {
  if (asset.partitionCount === null) return undefined
  const noun = asset.partitionCount === 1 ? "partition" : "partitions"
  return `${count(asset.partitionCount - asset.missing)} of ${count(asset.partitionCount)} ${noun} materialized · ` +
    `${count(asset.missing)} missing`
}
