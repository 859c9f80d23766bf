/**
 * Small helpers to build DOM and SVG trees, and to format numbers, sizes, durations and times.
 */

/** What an element may contain: nodes and text; `null`, `undefined` and `false` are skipped. */
export type Child = Node | string | number | null | undefined | false

/** Attributes: strings and numbers are set, `true` sets an empty attribute, `false`/`undefined` skip; `on*` listen. */
export type Attributes = Record<string, string | number | boolean | undefined | EventListener>

const apply = (element: Element, attributes: Attributes, children: ReadonlyArray<Child | ReadonlyArray<Child>>) => {
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === "function") element.addEventListener(name.slice(2), value)
    else if (value === true) element.setAttribute(name, "")
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    element.append(typeof child === "number" ? String(child) : child)
  }
}

/** An HTML element. */
export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: ReadonlyArray<Child | ReadonlyArray<Child>>
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag)
  apply(element, attributes, children)
  return element
}

const svgNamespace = "http://www.w3.org/2000/svg"

/** An SVG element. */
export const s = <K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: ReadonlyArray<Child | ReadonlyArray<Child>>
): SVGElementTagNameMap[K] => {
  const element = document.createElementNS(svgNamespace, tag)
  apply(element, attributes, children)
  return element
}

/** A table with a header row and one row per item. */
export const table = <A>(
  testId: string,
  columns: ReadonlyArray<readonly [string, (item: A) => Child | ReadonlyArray<Child>]>,
  items: ReadonlyArray<A>,
  empty = "Nothing yet."
): HTMLElement =>
  items.length === 0 ? h("p", { class: "empty", "data-testid": `${testId}-empty` }, empty) : h(
    "table",
    { "data-testid": testId },
    h("thead", {}, h("tr", {}, columns.map(([title]) => h("th", {}, title)))),
    h("tbody", {}, items.map((item) => h("tr", {}, columns.map(([, cell]) => h("td", {}, cell(item))))))
  )

/** A section with a title. */
export const section = (title: string, ...children: ReadonlyArray<Child | ReadonlyArray<Child>>): HTMLElement =>
  h("section", { class: "card" }, h("h2", {}, title), ...children)

/** A coloured status pill. */
export const badge = (status: string, testId?: string): HTMLElement =>
  h("span", { class: `badge status-${status.toLowerCase()}`, "data-testid": testId }, status)

/** An error message in place of a page's content. */
export const failure = (error: unknown): HTMLElement =>
  h("p", { class: "error", "data-testid": "error" }, error instanceof Error ? error.message : String(error))

/** `12 345`. */
export const count = (n: number | null | undefined): string => n == null ? "—" : n.toLocaleString("en-US")

/** `1.2 MB`. */
export const bytes = (n: number | null | undefined): string => {
  if (n == null) return "—"
  const units = ["B", "kB", "MB", "GB", "TB"]
  let value = n
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}

/** `850 ms`, `3.4 s`, `2 min 05 s`, `1 h 02 min`. */
export const duration = (ms: number | null | undefined): string => {
  if (ms == null) return "—"
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor(seconds / 60) % 60).padStart(2, "0")} min`
}

/** `2024-08-15 12:00:03`, local time. */
export const time = (ms: number | null | undefined): string => {
  if (ms == null) return "—"
  const date = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, "0")
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}

/** `in 3 h 02 min`, `5.0 s ago`. */
export const relative = (ms: number, now = Date.now()): string =>
  ms >= now ? `in ${duration(ms - now)}` : `${duration(now - ms)} ago`

/** A link to an asset's page. */
export const assetLink = (key: string): HTMLElement =>
  h("a", { href: `#/asset/${encodeURIComponent(key)}`, class: "mono" }, key)

/** A link to a run's page. */
export const runLink = (runId: string): HTMLElement => h("a", { href: `#/runs/${runId}`, class: "mono" }, runId)

/** Calls `refresh` every `ms` until `signal` aborts; starts nothing when `signal` has already aborted. */
export const every = (ms: number, signal: AbortSignal, refresh: () => void): void => {
  if (signal.aborted) return
  const timer = window.setInterval(refresh, ms)
  signal.addEventListener("abort", () => window.clearInterval(timer))
}
