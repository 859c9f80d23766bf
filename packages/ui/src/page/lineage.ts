/**
 * `#/`: the asset graph left to right in lanes raw → staging → mart (then any other layer, then assets without one),
 * nodes coloured by status, edges as curves; a selection search highlights what it names; the assets below.
 */
import type { AssetInfo, Lineage } from "@baliza/server/ServerApi"
import * as Api from "./api.js"
import { assetLink, badge, count, h, s, section, table, time } from "./dom.js"
import { coverage, legend } from "./status.js"

const nodeWidth = 220
const nodeHeight = 28
const gapX = 110
const gapY = 10
const pad = 16
const header = 28
const known = ["raw", "staging", "mart"]

interface Placed {
  readonly key: string
  readonly status: string
  readonly x: number
  readonly y: number
}

/**
 * The lanes in order: the known layers, the other layers by name, then "other" for assets without a layer; only those
 * that hold an asset.
 */
const lanesOf = (lineage: Lineage): ReadonlyArray<string> => {
  const layers = new Set(lineage.nodes.map((node) => node.layer ?? "other"))
  const extra = [...layers].filter((layer) => !known.includes(layer) && layer !== "other").sort()
  return [...known.filter((layer) => layers.has(layer)), ...extra, ...(layers.has("other") ? ["other"] : [])]
}

/** Places the nodes: each lane ordered by the mean position of the node's parents in earlier lanes, then by key. */
const layout = (lineage: Lineage, lanes: ReadonlyArray<string>): Map<string, Placed> => {
  const parents = new Map<string, Array<string>>()
  for (const edge of lineage.edges) parents.set(edge.to, [...(parents.get(edge.to) ?? []), edge.from])
  const placed = new Map<string, Placed>()
  lanes.forEach((lane, column) => {
    const members = lineage.nodes.filter((node) => (node.layer ?? "other") === lane)
    const rank = (key: string) => {
      const ys = (parents.get(key) ?? []).flatMap((parent) => {
        const at = placed.get(parent)
        return at === undefined ? [] : [at.y]
      })
      return ys.length === 0 ? Number.POSITIVE_INFINITY : ys.reduce((a, b) => a + b, 0) / ys.length
    }
    const ordered = members
      .map((node) => ({ node, rank: rank(node.key) }))
      .sort((a, b) => a.rank - b.rank || a.node.key.localeCompare(b.node.key))
    ordered.forEach(({ node }, row) => {
      placed.set(node.key, {
        key: node.key,
        status: node.status,
        x: pad + column * (nodeWidth + gapX),
        y: pad + header + row * (nodeHeight + gapY)
      })
    })
  })
  return placed
}

/** `pncp/raw/contratos` → `contratos`; short keys as they are. */
const label = (key: string): string => {
  const parts = key.split("/")
  const text = parts.length >= 3 ? parts.slice(2).join("/") : key
  return text.length > 25 ? `${text.slice(0, 24)}…` : text
}

const curve = (from: Placed, to: Placed): string => {
  const y1 = from.y + nodeHeight / 2
  const y2 = to.y + nodeHeight / 2
  if (to.x > from.x) {
    // Forwards: out of the right side, into the left side.
    const x1 = from.x + nodeWidth
    const dx = Math.max(40, (to.x - x1) / 2)
    return `M${x1},${y1} C${x1 + dx},${y1} ${to.x - dx},${y2} ${to.x},${y2}`
  }
  if (to.x < from.x) {
    // Backwards: out of the left side, into the right side.
    const x2 = to.x + nodeWidth
    const dx = Math.max(40, (from.x - x2) / 2)
    return `M${from.x},${y1} C${from.x - dx},${y1} ${x2 + dx},${y2} ${x2},${y2}`
  }
  // Within a lane: a loop out of the right side and back into it.
  const x = from.x + nodeWidth
  const bulge = 24 + Math.abs(y2 - y1) / 5
  return `M${x},${y1} C${x + bulge},${y1} ${x + bulge},${y2} ${x},${y2}`
}

const graph = (lineage: Lineage) => {
  const lanes = lanesOf(lineage)
  const placed = layout(lineage, lanes)
  const rows = Math.max(1, ...lanes.map((lane) => lineage.nodes.filter((n) => (n.layer ?? "other") === lane).length))
  const width = pad * 2 + Math.max(1, lanes.length) * nodeWidth + Math.max(0, lanes.length - 1) * gapX + 40
  const height = pad * 2 + header + rows * (nodeHeight + gapY)
  const edges = lineage.edges.flatMap((edge) => {
    const from = placed.get(edge.from)
    const to = placed.get(edge.to)
    return from === undefined || to === undefined
      ? []
      : [s("path", {
        class: "edge",
        d: curve(from, to),
        "data-from": edge.from,
        "data-to": edge.to,
        "marker-end": "url(#arrow)"
      })]
  })
  const open = (key: string) => (window.location.hash = `#/asset/${encodeURIComponent(key)}`)
  const nodes = [...placed.values()].map((node) =>
    s(
      "g",
      {
        class: `node status-${node.status}`,
        transform: `translate(${node.x},${node.y})`,
        "data-testid": "lineage-node",
        "data-key": node.key,
        "data-status": node.status,
        role: "link",
        tabindex: 0,
        "aria-label": `${node.key}, ${node.status}`,
        onclick: () => open(node.key),
        // A link by keyboard too: Enter or Space opens it; focus highlights its edges as hovering does.
        onkeydown: (event) => {
          const key = (event as KeyboardEvent).key
          if (key !== "Enter" && key !== " ") return
          event.preventDefault()
          open(node.key)
        },
        onmouseenter: () => focusEdges(svg, node.key, true),
        onmouseleave: () => focusEdges(svg, node.key, false),
        onfocus: () => focusEdges(svg, node.key, true),
        onblur: () => focusEdges(svg, node.key, false)
      },
      s("title", {}, `${node.key} — ${node.status}`),
      s("rect", { width: nodeWidth, height: nodeHeight, rx: 6 }),
      s("circle", { class: "dot", cx: 14, cy: nodeHeight / 2, r: 5 }),
      s("text", { x: 26, y: nodeHeight / 2 + 4 }, label(node.key))
    )
  )
  const titles = lanes.map((lane, column) =>
    s("text", { class: "lane-title", x: pad + column * (nodeWidth + gapX), y: pad + 12 }, lane)
  )
  const svg = s(
    "svg",
    { class: "lineage", width, height, viewBox: `0 0 ${width} ${height}`, "data-testid": "lineage" },
    s(
      "defs",
      {},
      s(
        "marker",
        { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" },
        s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" })
      )
    ),
    titles,
    s("g", { class: "edges" }, edges),
    s("g", { class: "nodes" }, nodes)
  )
  return svg
}

const focusEdges = (svg: SVGSVGElement, key: string, on: boolean) => {
  for (const edge of svg.querySelectorAll(".edge")) {
    if (edge.getAttribute("data-from") === key || edge.getAttribute("data-to") === key) {
      edge.classList.toggle("focus", on)
    }
  }
}

/** Highlights `keys` (dims the rest); `undefined` clears. */
const highlight = (svg: SVGSVGElement, keys: ReadonlySet<string> | undefined) => {
  for (const node of svg.querySelectorAll(".node")) {
    const key = node.getAttribute("data-key") ?? ""
    const hit = keys !== undefined && keys.has(key)
    node.classList.toggle("hit", hit)
    node.classList.toggle("dim", keys !== undefined && !hit)
    if (hit) node.setAttribute("data-highlighted", "true")
    else node.removeAttribute("data-highlighted")
  }
  for (const edge of svg.querySelectorAll(".edge")) {
    const inside = keys !== undefined && keys.has(edge.getAttribute("data-from") ?? "") &&
      keys.has(edge.getAttribute("data-to") ?? "")
    edge.classList.toggle("dim", keys !== undefined && !inside)
    edge.classList.toggle("hit", inside)
  }
}

const assetsTable = (assets: ReadonlyArray<AssetInfo>) =>
  table<AssetInfo>("assets-table", [
    ["asset", (a) => assetLink(a.key)],
    ["layer", (a) => a.layer ?? "—"],
    ["status", (a) => badge(a.status)],
    ["partitions", (a) => h("span", { class: "muted" }, a.partitions)],
    ["materialized", (a) => {
      const text = coverage(a)
      return text === undefined ? count(a.materialized) : h("span", { "data-testid": "asset-coverage" }, text)
    }],
    ["stale", (a) => count(a.stale)],
    ["failed", (a) => count(a.failed)],
    ["last materialized", (a) => time(a.lastMaterializedAt)]
  ], assets)

/** A key as a selection term: quoted when the parser would read it otherwise (`and`, digits only, odd characters). */
const term = (key: string): string =>
  /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(key) && !/^(and|or|not)$/i.test(key) && !/^\d+$/.test(key)
    ? key
    : JSON.stringify(key)

/** A name or value usable unquoted after `tag:` or `group:`. */
const plain = (text: string): boolean => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(text)

/**
 * Selections to try, built from this project's graph: a layer, a tag or group that exists, and the `+`/`*` forms of real
 * keys (something built from others, and something others are built from).
 */
const examplesOf = (lineage: Lineage, assets: ReadonlyArray<AssetInfo>): ReadonlyArray<string> => {
  const lanes = lanesOf(lineage)
  const column = new Map(lineage.nodes.map((node) => [node.key, lanes.indexOf(node.layer ?? "other")]))
  const byLane = (a: string, b: string) => (column.get(a) ?? 0) - (column.get(b) ?? 0) || a.localeCompare(b)
  const keys = lineage.nodes.map((node) => node.key).sort(byLane)
  if (keys.length === 0) return []
  const withParents = [...new Set(lineage.edges.map((edge) => edge.to))].sort(byLane)
  const withChildren = [...new Set(lineage.edges.map((edge) => edge.from))].sort(byLane)
  const downstream = withParents.at(-1) ?? keys.at(-1)!
  const upstream = withChildren[0] ?? keys[0]!
  const layer = known.find((name) => lineage.nodes.some((node) => node.layer === name))
  const tag = assets.flatMap((asset) => Object.entries(asset.tags)).find(([name, value]) => plain(name) && plain(value))
  const group = assets.map((asset) => asset.group).find(plain)
  return [
    ...(layer === undefined ? [] : [`layer:${layer}`]),
    ...(tag !== undefined ? [`tag:${tag[0]}=${tag[1]}`] : group !== undefined ? [`group:${group}`] : []),
    `+${term(downstream)}`,
    `${term(upstream)}+`,
    `*${term(downstream)}`
  ]
}

export const render = async (view: HTMLElement, signal: AbortSignal): Promise<void> => {
  const [lineage, assets] = await Promise.all([Api.lineage(), Api.assets()])
  if (signal.aborted) return
  const svg = graph(lineage)
  const counts = new Map<string, number>()
  for (const node of lineage.nodes) counts.set(node.status, (counts.get(node.status) ?? 0) + 1)

  const input = h("input", {
    type: "search",
    name: "q",
    placeholder: "Selection: +key  ·  key+  ·  tag:name=value  ·  group:name  ·  layer:raw",
    "data-testid": "selection-input",
    autocomplete: "off",
    spellcheck: "false"
  })
  const result = h("span", { class: "selection-result", "data-testid": "selection-count" })
  const error = h("p", { class: "error", "data-testid": "selection-error", hidden: true })
  const listing = h("div", {}, assetsTable(assets))

  // The latest search wins: an earlier answer that arrives later is dropped.
  let latest = 0
  const apply = async (selection: string) => {
    const mine = ++latest
    error.hidden = true
    if (selection.trim() === "") {
      highlight(svg, undefined)
      result.textContent = ""
      listing.replaceChildren(assetsTable(assets))
      return
    }
    try {
      const { keys } = await Api.select(selection)
      if (mine !== latest || signal.aborted) return
      const chosen = new Set(keys)
      highlight(svg, chosen)
      result.textContent = `${keys.length} of ${lineage.nodes.length} assets`
      result.setAttribute("data-count", String(keys.length))
      listing.replaceChildren(assetsTable(assets.filter((asset) => chosen.has(asset.key))))
    } catch (cause) {
      if (mine !== latest || signal.aborted) return
      highlight(svg, undefined)
      result.textContent = ""
      result.removeAttribute("data-count")
      error.textContent = cause instanceof Error ? cause.message : String(cause)
      error.hidden = false
    }
  }

  const form = h(
    "form",
    {
      class: "search",
      "data-testid": "selection-form",
      onsubmit: (event) => {
        event.preventDefault()
        void apply(input.value)
      }
    },
    input,
    h("button", { type: "submit", "data-testid": "selection-submit" }, "Select"),
    h("button", {
      type: "button",
      class: "secondary",
      onclick: () => {
        input.value = ""
        void apply("")
      }
    }, "Clear"),
    result
  )
  const examples = examplesOf(lineage, assets)
  const chips = examples.length === 0 ? null : h(
    "div",
    { class: "examples", "data-testid": "selection-examples" },
    "Try: ",
    examples.map((example) =>
      h("button", {
        type: "button",
        class: "chip mono",
        onclick: () => {
          input.value = example
          void apply(example)
        }
      }, example)
    )
  )

  view.replaceChildren(
    h("div", { class: "page-head" }, h("h1", {}, "Lineage"), legend(counts)),
    form,
    ...(chips === null ? [] : [chips]),
    error,
    h("div", { class: "graph-scroll card" }, svg),
    section("Assets", listing)
  )
}
