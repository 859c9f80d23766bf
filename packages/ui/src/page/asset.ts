/**
 * `#/asset/<key>`: one asset — what it is, its columns, its partitions as a heat-map, its last materializations with a
 * plot of rows over time, its checks and their latest results, its neighbours, and a form to materialize it.
 */
import type { Materialization } from "@baliza/core/RunEvent"
import type { AssetDetail, PartitionStatus } from "@baliza/server/ServerApi"
import * as Api from "./api.js"
import { assetLink, badge, bytes, count, duration, h, s, section, table, time } from "./dom.js"
import { coverage, legend } from "./status.js"

type Materialized = typeof Materialization.Type

const byNatural = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true })

const cell = (partition: PartitionStatus, text = "") =>
  h(
    "span",
    {
      class: `cell status-${partition.status}`,
      "data-testid": "partition-cell",
      "data-key": partition.partitionKey ?? "",
      "data-status": partition.status,
      title: `${partition.partitionKey ?? "(unpartitioned)"}: ${partition.status}` +
        (partition.materializedAt === null ? "" : `, materialized ${time(partition.materializedAt)}`) +
        (partition.error === null ? "" : `\n${partition.error}`)
    },
    text
  )

/** Two dimensions (`2024-07-01|6`): a row per day, a column per modalidade. One: a strip. None: one cell. */
const heatmap = (partitions: ReadonlyArray<PartitionStatus>): HTMLElement => {
  if (partitions.length === 0) return h("p", { class: "empty" }, "No partition recorded yet.")
  const keyed = partitions.filter((p) => p.partitionKey !== null)
  if (keyed.length === 0) return h("div", { class: "strip", "data-testid": "heatmap" }, partitions.map((p) => cell(p)))
  const split = keyed.map((p) => ({ p, parts: (p.partitionKey ?? "").split("|") }))
  if (split.every(({ parts }) => parts.length === 2)) {
    const rows = [...new Set(split.map(({ parts }) => parts[0] ?? ""))].sort(byNatural)
    const columns = [...new Set(split.map(({ parts }) => parts[1] ?? ""))].sort(byNatural)
    const at = new Map(split.map(({ p, parts }) => [`${parts[0]}|${parts[1]}`, p]))
    return h(
      "div",
      {
        class: "heatmap",
        "data-testid": "heatmap",
        style: `grid-template-columns: max-content repeat(${columns.length}, 18px)`
      },
      h("span", { class: "corner" }),
      columns.map((column) => h("span", { class: "column-label" }, column)),
      rows.flatMap((row) => [
        h("span", { class: "row-label mono" }, row),
        ...columns.map((column) => {
          const found = at.get(`${row}|${column}`)
          return found === undefined ?
            h("span", { class: "cell none", title: `${row}|${column}: not recorded` }) :
            cell(found)
        })
      ])
    )
  }
  return h(
    "div",
    { class: "strip", "data-testid": "heatmap" },
    [...keyed].sort((a, b) => byNatural(a.partitionKey ?? "", b.partitionKey ?? "")).map((p) => cell(p))
  )
}

/**
 * Rows of each materialization over time: a line for an unpartitioned asset (each point a rebuild), a stem per
 * materialization for a partitioned one (each point a different partition).
 */
const plot = (materializations: ReadonlyArray<Materialized>, partitioned: boolean): HTMLElement | null => {
  const points = materializations
    .filter((m) => m.rows !== null)
    .map((m) => ({ t: m.timestamp, rows: m.rows ?? 0 }))
    .sort((a, b) => a.t - b.t)
  const first = points[0]
  const last = points.at(-1)
  if (points.length < 2 || first === undefined || last === undefined) return null
  const width = 640
  const height = 140
  const left = 56
  const bottom = 22
  const t0 = first.t
  const t1 = Math.max(last.t, t0 + 1)
  const top = Math.max(1, ...points.map((p) => p.rows))
  const x = (t: number) => left + ((t - t0) / (t1 - t0)) * (width - left - 10)
  const y = (rows: number) => 8 + (1 - rows / top) * (height - bottom - 8)
  return h(
    "figure",
    { class: "plot" },
    s(
      "svg",
      { width, height, viewBox: `0 0 ${width} ${height}`, "data-testid": "rows-plot" },
      s("line", { class: "axis", x1: left, y1: height - bottom, x2: width - 10, y2: height - bottom }),
      s("line", { class: "axis", x1: left, y1: 8, x2: left, y2: height - bottom }),
      s("text", { class: "tick", x: left - 6, y: 14, "text-anchor": "end" }, count(top)),
      s("text", { class: "tick", x: left - 6, y: height - bottom, "text-anchor": "end" }, "0"),
      s("text", { class: "tick", x: left, y: height - 6 }, time(t0)),
      s("text", { class: "tick", x: width - 10, y: height - 6, "text-anchor": "end" }, time(t1)),
      partitioned
        ? points.map((p) => s("line", { class: "stem", x1: x(p.t), x2: x(p.t), y1: y(0), y2: y(p.rows) }))
        : s("polyline", { class: "line", points: points.map((p) => `${x(p.t)},${y(p.rows)}`).join(" ") }),
      points.map((p) =>
        s("circle", { class: "point", cx: x(p.t), cy: y(p.rows), r: 2.5 }, s("title", {}, count(p.rows)))
      )
    ),
    h(
      "figcaption",
      {},
      partitioned ? "rows of each partition's materialization, by time" : "rows per materialization over time"
    )
  )
}

const metadata = (m: Materialized) =>
  h(
    "span",
    { class: "metadata mono" },
    Object.entries(m.metadata)
      .filter(([, value]) => value !== "" && value !== null)
      .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join("  ")
  )

const checks = (detail: AssetDetail) =>
  table(
    "checks-table",
    [
      ["check", (c) => h("span", { class: "mono" }, c.name)],
      ["severity", (c) => c.severity],
      ["latest", (c) => {
        const latest = detail.checkResults.find((r) => r.checkName === c.name)
        return latest === undefined ? "not evaluated" : badge(latest.passed ? "passed" : "failed")
      }],
      ["message", (c) => detail.checkResults.find((r) => r.checkName === c.name)?.message ?? ""],
      ["when", (c) => time(detail.checkResults.find((r) => r.checkName === c.name)?.timestamp)],
      ["recent results", (c) => {
        const results = detail.checkResults.filter((r) => r.checkName === c.name)
        const failed = results.filter((r) => !r.passed).length
        return `${results.length - failed} passed, ${failed} failed`
      }]
    ],
    detail.checks,
    "No checks."
  )

const materializeForm = (key: string, partitioned: boolean) => {
  const scope = h(
    "select",
    { name: "scope", "data-testid": "materialize-scope" },
    h("option", { value: key }, "this asset"),
    h("option", { value: `+${key}` }, "with its upstream"),
    h("option", { value: `${key}+` }, "with its downstream")
  )
  const partitions = h("input", {
    name: "partitions",
    type: "text",
    placeholder: partitioned ? "2024-07-01..2024-07-03 (empty: every partition)" : "unpartitioned",
    disabled: !partitioned,
    "data-testid": "materialize-partitions"
  })
  const force = h("input", { name: "force", type: "checkbox", "data-testid": "materialize-force" })
  const priority = h("input", {
    name: "priority",
    type: "number",
    min: 1,
    max: 10,
    value: 5,
    "data-testid": "materialize-priority"
  })
  const message = h("p", { class: "error", hidden: true, "data-testid": "materialize-error" })
  const button = h("button", { type: "submit", "data-testid": "materialize-button" }, "Materialize")
  return h(
    "form",
    {
      class: "materialize",
      "data-testid": "materialize-form",
      onsubmit: (event) => {
        event.preventDefault()
        button.disabled = true
        message.hidden = true
        const spec = partitions.value.trim()
        Api.launch({
          selection: scope.value,
          ...(spec === "" ? {} : { partitions: spec }),
          force: force.checked,
          priority: Math.min(10, Math.max(1, Math.round(Number(priority.value) || 5)))
        }).then(
          (queued) => (window.location.hash = `#/runs/${queued.runId}`),
          (error: unknown) => {
            button.disabled = false
            message.textContent = error instanceof Error ? error.message : String(error)
            message.hidden = false
          }
        )
      }
    },
    h("label", {}, "Run ", scope),
    h("label", {}, "Partitions ", partitions),
    h("label", {}, force, " force"),
    h("label", {}, "Priority ", priority),
    button,
    message
  )
}

export const render = async (view: HTMLElement, signal: AbortSignal, key: string): Promise<void> => {
  const detail = await Api.asset(key)
  if (signal.aborted) return
  const { asset } = detail
  const partitioned = asset.partitions !== "unpartitioned"
  // "day: daily from … × modalidade: static […]" → ["day", "modalidade"]
  const dimensions = asset.partitions.split(" × ").map((part) => part.split(":")[0]?.trim() ?? "")
  const partitionCounts = new Map<string, number>()
  for (const p of detail.partitions) partitionCounts.set(p.status, (partitionCounts.get(p.status) ?? 0) + 1)
  const facts: ReadonlyArray<readonly [string, string | HTMLElement]> = [
    ["layer", asset.layer ?? "—"],
    ["group", asset.group],
    ["partitions", asset.partitions],
    ["code version", h("span", { class: "mono", "data-testid": "code-version" }, asset.codeVersion ?? "—")],
    ["tags", Object.entries(asset.tags).map(([k, v]) => `${k}=${v}`).join(", ") || "—"],
    [
      "materialized",
      h(
        "span",
        {},
        h("span", { "data-testid": "asset-coverage" }, coverage(asset) ?? count(asset.materialized)),
        ` (stale ${count(asset.stale)}, failed ${count(asset.failed)})`
      )
    ],
    ["last materialized", time(asset.lastMaterializedAt)]
  ]
  const links = (keys: ReadonlyArray<string>) =>
    keys.length === 0 ?
      h("span", { class: "muted" }, "none") :
      h("ul", { class: "links" }, keys.map((k) => h("li", {}, assetLink(k))))

  view.replaceChildren(
    h(
      "div",
      { class: "page-head" },
      h("h1", { class: "mono", "data-testid": "asset-key" }, asset.key),
      badge(asset.status, "asset-status")
    ),
    h("p", { class: "description", "data-testid": "asset-description" }, asset.description ?? "No description."),
    h(
      "div",
      { class: "columns-2" },
      section(
        "About",
        h("dl", { class: "facts" }, facts.flatMap(([name, value]) => [h("dt", {}, name), h("dd", {}, value)]))
      ),
      section("Materialize", materializeForm(asset.key, partitioned))
    ),
    h(
      "div",
      { class: "columns-2" },
      section(
        "Columns",
        table(
          "columns-table",
          [
            ["name", (c) => h("span", { class: "mono" }, c.name)],
            ["type", (c) => h("span", { class: "mono" }, c.type)],
            ["nullable", (c) => (c.optional ? "yes" : "")]
          ],
          detail.columns,
          "No declared schema."
        )
      ),
      section(
        "Lineage",
        h("h3", {}, "Upstream"),
        links(detail.upstream),
        h("h3", {}, "Downstream"),
        links(detail.downstream)
      )
    ),
    section(
      asset.partitionCount === null
        ? `Partitions (${count(detail.partitions.length)} recorded)`
        : `Partitions (${count(detail.partitions.length)} recorded, ${count(asset.partitionCount)} in all)`,
      legend(partitionCounts),
      heatmap(detail.partitions),
      dimensions.length === 2
        ? h("p", { class: "heatmap-caption" }, `rows: ${dimensions[0]} · columns: ${dimensions[1]}`)
        : null
    ),
    section(
      "Materializations",
      plot(detail.materializations, partitioned),
      h(
        "div",
        { class: "scroll" },
        table<Materialized>(
          "materializations-table",
          [
            ["when", (m) => time(m.timestamp)],
            ["partition", (m) => h("span", { class: "mono" }, m.partitionKey ?? "—")],
            ["rows", (m) => count(m.rows)],
            ["bytes", (m) => bytes(m.bytes)],
            ["duration", (m) => duration(m.durationMs)],
            ["run", (m) => h("a", { href: `#/runs/${m.runId}`, class: "mono" }, m.runId)],
            ["metadata", metadata]
          ],
          detail.materializations.slice(0, 200),
          "Never materialized."
        )
      ),
      detail.materializations.length > 200 ?
        h("p", { class: "muted" }, `The latest 200 of ${detail.materializations.length}.`) :
        null
    ),
    section("Checks", checks(detail))
  )
}
