/**
 * The page's entry: hash routes to one module per page. Each route renders into `#view` with an `AbortSignal` that
 * aborts when the route changes, so a page stops its timers and event streams.
 */
import { token } from "./api.js"
import * as AssetPage from "./asset.js"
import { failure, h } from "./dom.js"
import * as LineagePage from "./lineage.js"
import * as QueuePage from "./queue.js"
import * as RunPage from "./run.js"
import * as RunsPage from "./runs.js"
import * as SchedulesPage from "./schedules.js"

/** Renders a page into `view`; stops what it started when `signal` aborts. */
export type Render = (view: HTMLElement, signal: AbortSignal) => Promise<void>

interface Route {
  readonly nav: string
  readonly render: Render
}

/** A part of the address, decoded; one that does not decode (`100%`) fails with a message that says which. */
const decode = (part: string): string => {
  try {
    return decodeURIComponent(part)
  } catch {
    throw new Error(`The address does not decode: "${part}" is not valid percent-encoding.`)
  }
}

/** The route of `hash`; a page that only shows the failure when the address does not decode. */
const route = (hash: string): Route => {
  try {
    return routeOf(hash)
  } catch (error) {
    const nav = hash.startsWith("#/runs") ? "runs" : "lineage"
    return { nav, render: () => Promise.reject(error) }
  }
}

const routeOf = (hash: string): Route => {
  const path = hash.replace(/^#/, "") || "/"
  if (path.startsWith("/asset/")) {
    const key = decode(path.slice("/asset/".length))
    return { nav: "lineage", render: (view, signal) => AssetPage.render(view, signal, key) }
  }
  if (path.startsWith("/runs/")) {
    const runId = decode(path.slice("/runs/".length))
    return { nav: "runs", render: (view, signal) => RunPage.render(view, signal, runId) }
  }
  switch (path) {
    case "/runs":
      return { nav: "runs", render: RunsPage.render }
    case "/queue":
      return { nav: "queue", render: QueuePage.render }
    case "/schedules":
      return { nav: "schedules", render: SchedulesPage.render }
    default:
      return { nav: "lineage", render: LineagePage.render }
  }
}

let current: AbortController | undefined

const show = async () => {
  const view = document.getElementById("view")
  if (view === null) return
  current?.abort()
  const controller = new AbortController()
  current = controller
  const { nav, render } = route(window.location.hash)
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("active", link.getAttribute("data-route") === nav)
  }
  // A fresh container per route: a slow page that finishes after the route changed writes into a detached element.
  const page = h("div", { class: "page" }, h("p", { class: "loading" }, "Loading…"))
  view.replaceChildren(page)
  try {
    await render(page, controller.signal)
  } catch (error) {
    page.replaceChildren(failure(error))
  }
  const auth = document.querySelector("[data-testid=auth]")
  if (auth !== null) auth.textContent = token() === null ? "" : "token set · live events polled"
}

window.addEventListener("hashchange", () => void show())
void show()
