/**
 * The page in a real headless Chromium (Debian's `/usr/bin/chromium`, driven by playwright-core) against the server
 * in-process on 127.0.0.1, over the PNCP fake and a real DuckDB file. Screenshots of every page land in
 * `test/artifacts/`; with `BALIZA_UPDATE_DOCS=1` they also replace `docs/img/` (so a test run leaves the tree clean).
 */
import { Asset, AssetGraph, AssetState, EventLog, Partitions, RunEvent, RunSchedule } from "@baliza/core"
import { Pipeline, PncpFake, Warehouse } from "@baliza/pncp"
import * as Server from "@baliza/server/Server"
import { QueuedRun } from "@baliza/server/ServerApi"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Context, Effect, Either, Layer, Schema } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"
import * as Ui from "../src/Ui.js"

const executablePath = "/usr/bin/chromium"
const artifacts = NodePath.join(import.meta.dirname, "artifacts")
const docsImg = NodePath.join(import.meta.dirname, "..", "..", "..", "docs", "img")

const json = (url: string, init?: RequestInit) =>
  Effect.tryPromise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, body: await response.json() as unknown }
  })

const serverOn = (token?: string) =>
  Effect.gen(function*() {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-ui-"))),
      (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
    )
    const fake = yield* PncpFake.make({ scale: 0.02 })
    const graph = yield* Pipeline.graph
    const server = Server.layer({
      graph,
      port: 0,
      token,
      ui: Ui.files,
      schedules: [
        RunSchedule.make({
          name: "daily-contratos",
          cron: "0 6 * * *",
          timeZone: "America/Sao_Paulo",
          description: "yesterday's contratos, staged and modelled",
          selection: "pncp/raw/contratos*"
        })
      ],
      runDefaults: { context: Partitions.context({ now: Date.parse("2024-08-15T12:00:00Z") }), concurrency: 8 }
    }).pipe(
      Layer.provide(Warehouse.layer({
        path: NodePath.join(dir, "w.duckdb"),
        client: { consultaUrl: fake.consultaUrl, detailsUrl: fake.detailsUrl }
      }))
    )
    const context = yield* Layer.build(server)
    return yield* Effect.provide(Server.url, context)
  })

/** Launches a run over the API and waits (at most 90 s) for it to finish. */
const materialize = (base: string, selection: string, partitions: string, headers: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const launched = yield* json(`${base}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ selection, partitions })
    })
    assert.strictEqual(launched.status, 202, JSON.stringify(launched.body))
    const { runId } = launched.body as { readonly runId: string }
    const deadline = Date.now() + 90_000
    while (Date.now() < deadline) {
      const run = yield* json(`${base}/api/runs/${runId}`, { headers })
      const status = (run.body as { readonly status?: string }).status
      if (run.status === 200 && status !== "Running") return status
      yield* Effect.sleep("250 millis")
    }
    return assert.fail(`run ${runId} did not finish in 90 s`)
  })

/** One Chromium for the file (a launch is about a second of CPU); each test's pages are closed with its scope. */
let chromiumOfFile: Promise<Browser> | undefined
afterAll(async () => {
  if (chromiumOfFile !== undefined) await (await chromiumOfFile).close()
})

/** A page in a browser context of its own (cookies, storage and clock not shared), closed when the test ends. */
const openPage = (viewport: { readonly width: number; readonly height: number }) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      chromiumOfFile ??= chromium.launch({ executablePath, args: ["--no-sandbox"] })
      return (await chromiumOfFile).newPage({ viewport })
    }),
    (page) => Effect.promise(() => page.close())
  )

const screenshot = (page: Page, name: string) =>
  Effect.promise(async () => {
    NodeFs.mkdirSync(artifacts, { recursive: true })
    const file = NodePath.join(artifacts, `${name}.png`)
    await page.screenshot({ path: file, fullPage: true })
    if (process.env.BALIZA_UPDATE_DOCS === "1") NodeFs.copyFileSync(file, NodePath.join(docsImg, `ui-${name}.png`))
  })

const step = <A>(run: () => Promise<A>) => Effect.promise(run)

describe("Browser", () => {
  it.scopedLive(
    "lineage, selection, asset page, and a run launched from the page followed live to Succeeded",
    () =>
      Effect.gen(function*() {
        const base = yield* serverOn()
        assert.strictEqual(
          yield* materialize(base, "*", "2024-07-01..2024-07-03"),
          "Success"
        )
        const page = yield* openPage({ width: 1440, height: 900 })
        const errors: Array<string> = []
        page.on("pageerror", (error) => errors.push(error.message))
        page.setDefaultTimeout(20_000)

        // Lineage: every node, coloured by status.
        const lineage = (yield* json(`${base}/api/lineage`)).body as {
          readonly nodes: ReadonlyArray<{ readonly key: string; readonly status: string }>
        }
        yield* showLineage(page, base)
        const nodes = page.locator("[data-testid=lineage-node]")
        assert.strictEqual(yield* step(() => nodes.count()), lineage.nodes.length)
        assert.isAbove(yield* step(() => page.locator("[data-testid=lineage-node][data-status=fresh]").count()), 0)
        const shown = yield* step(() =>
          page.$$eval("[data-testid=lineage-node]", (all) => all.map((node) => node.getAttribute("data-status")))
        )
        const fromApi = new Map(lineage.nodes.map((node) => [node.key, node.status]))
        const keys = yield* step(() =>
          page.$$eval("[data-testid=lineage-node]", (all) => all.map((node) => node.getAttribute("data-key")))
        )
        assert.deepStrictEqual(shown, keys.map((key) => fromApi.get(key ?? "") ?? null))
        yield* screenshot(page, "lineage")

        // A selection highlights exactly what /api/select names; a bad one shows the server's message.
        const selection = "+pncp/staging/contratos"
        const selected = (yield* json(`${base}/api/select?q=${encodeURIComponent(selection)}`)).body as {
          readonly keys: ReadonlyArray<string>
        }
        assert.isAbove(selected.keys.length, 1)
        yield* step(() => page.fill("[data-testid=selection-input]", selection))
        yield* step(() => page.press("[data-testid=selection-input]", "Enter"))
        yield* step(() => page.waitForSelector(`[data-testid=selection-count][data-count="${selected.keys.length}"]`))
        const highlighted = yield* step(() =>
          page.$$eval(
            "[data-testid=lineage-node][data-highlighted=true]",
            (all) => all.map((node) => node.getAttribute("data-key"))
          )
        )
        assert.sameMembers(highlighted, [...selected.keys])
        yield* screenshot(page, "lineage-selection")
        yield* step(() => page.fill("[data-testid=selection-input]", "pncp/raw/nope"))
        yield* step(() => page.press("[data-testid=selection-input]", "Enter"))
        const error = page.locator("[data-testid=selection-error]")
        yield* step(() => error.waitFor({ state: "visible" }))
        assert.include(yield* step(() => error.innerText()), "pncp/raw/nope")
        assert.strictEqual(yield* step(() => page.locator("[data-highlighted=true]").count()), 0)

        // The asset page, opened from its node: columns (as many as the API declares) and the partition heat-map.
        const key = "pncp/raw/contratacoes_publicacao"
        const detail = (yield* json(`${base}/api/asset?key=${encodeURIComponent(key)}`)).body as {
          readonly columns: ReadonlyArray<unknown>
          readonly partitions: ReadonlyArray<{ readonly partitionKey: string; readonly status: string }>
        }
        assert.strictEqual(detail.partitions.length, 3 * 13)
        yield* step(() => page.fill("[data-testid=selection-input]", ""))
        yield* step(() => page.press("[data-testid=selection-input]", "Enter"))
        yield* step(() => page.click(`[data-testid=lineage-node][data-key="${key}"]`))
        yield* step(() => page.waitForSelector("[data-testid=asset-key]"))
        assert.strictEqual(yield* step(() => page.innerText("[data-testid=asset-key]")), key)
        assert.strictEqual(
          yield* step(() => page.locator("[data-testid=columns-table] tbody tr").count()),
          detail.columns.length
        )
        if (detail.columns.length === 0) {
          yield* step(() => page.waitForSelector("[data-testid=columns-table-empty]"))
        }
        const cells = yield* step(() =>
          page.$$eval(
            "[data-testid=partition-cell]",
            (all) => all.map((cell) => [cell.getAttribute("data-key"), cell.getAttribute("data-status")])
          )
        )
        assert.sameDeepMembers(cells, detail.partitions.map((p) => [p.partitionKey, p.status]))
        // Day × modalidade: a row per day.
        assert.strictEqual(yield* step(() => page.locator("[data-testid=heatmap] .row-label").count()), 3)
        assert.isAbove(yield* step(() => page.locator("[data-testid=materializations-table] tbody tr").count()), 0)
        assert.strictEqual(yield* step(() => page.locator("[data-testid=rows-plot]").count()), 1)
        yield* screenshot(page, "asset")

        // Materialize from the page: the run page follows it over SSE until it says Succeeded.
        yield* step(() => page.selectOption("[data-testid=materialize-scope]", `${key}+`))
        yield* step(() => page.fill("[data-testid=materialize-partitions]", "2024-07-06..2024-07-07"))
        yield* step(() => page.click("[data-testid=materialize-button]"))
        yield* step(() => page.waitForURL(/#\/runs\/.+/))
        const runId = decodeURIComponent(new URL(page.url()).hash.slice("#/runs/".length))
        yield* step(() => page.waitForSelector("[data-testid=run-status]"))
        const seen = new Set<string>()
        const deadline = Date.now() + 90_000
        while (Date.now() < deadline) {
          const status = yield* step(() => page.innerText("[data-testid=run-status]"))
          seen.add(status)
          if (status === "Succeeded" || status === "Failed" || status === "Interrupted") break
          yield* Effect.sleep("100 millis")
        }
        assert.include([...seen], "Succeeded", `statuses seen: ${[...seen].join(", ")}`)
        assert.strictEqual(
          yield* step(() => page.innerText("[data-testid=follow-mode]")),
          "live over Server-Sent Events"
        )
        assert.isAbove(yield* step(() => page.locator("[data-testid=gantt-row]").count()), 1)
        assert.strictEqual(yield* step(() => page.locator("[data-testid=log-row][data-tag=RunFinished]").count()), 1)
        const log = (yield* json(`${base}/api/runs/${runId}/log`)).body as ReadonlyArray<unknown>
        assert.strictEqual(yield* step(() => page.locator("[data-testid=log-row]").count()), log.length)
        assert.isTrue(yield* step(() => page.locator("[data-testid=cancel-button]").isDisabled()))
        // Extraction by endpoint: the last SourceProgress of the log, every page announced fetched, breakers closed.
        const sources = Schema.decodeUnknownSync(Schema.Array(RunEvent.StoredEvent))(log).flatMap(({ event }) =>
          event._tag === "SourceProgress" ? [event.sources] : []
        ).at(-1)
        assert.isDefined(sources, "the run's log has the endpoints' figures")
        assert.isAbove(sources!.length, 0)
        yield* step(() => page.waitForSelector("[data-testid=sources-table]"))
        const endpointRows = yield* step(() =>
          page.locator("[data-testid=sources-table] tbody tr").evaluateAll((rows) =>
            rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent ?? ""))
          )
        )
        assert.deepStrictEqual(endpointRows.map((cells) => cells[0]), sources!.map((figures) => figures.source))
        for (const [i, figures] of sources!.entries()) {
          assert.strictEqual(figures.pages, figures.pagesExpected, `${figures.source}: every expected page fetched`)
          assert.strictEqual(endpointRows[i]![1]!.replace(/[^\d/]/g, ""), `${figures.pages}/${figures.pages}`)
          assert.strictEqual(endpointRows[i]![endpointRows[i]!.length - 1], "Closed")
        }
        yield* screenshot(page, "run")

        // The other pages.
        yield* step(() => page.click("nav a[data-route=runs]"))
        yield* step(() => page.waitForSelector(`[data-testid=runs-table] a[href="#/runs/${runId}"]`))
        assert.strictEqual(yield* step(() => page.locator("[data-testid=runs-table] tbody tr").count()), 2)
        yield* screenshot(page, "runs")
        yield* step(() => page.click("nav a[data-route=queue]"))
        yield* step(() => page.waitForSelector("[data-testid=queue-table]"))
        assert.strictEqual(yield* step(() => page.locator("[data-testid=queue-table] tbody tr").count()), 2)
        yield* screenshot(page, "queue")
        yield* step(() => page.click("nav a[data-route=schedules]"))
        yield* step(() => page.waitForSelector("[data-testid=schedules-table]"))
        assert.isAbove(yield* step(() => page.locator("[data-testid=schedules-table] tbody tr").count()), 0)
        yield* screenshot(page, "schedules")

        assert.deepStrictEqual(errors, [])
      }),
    { timeout: 240_000 }
  )

  it.scopedLive(
    "with a token: the page asks for it once, then follows a run by polling its log",
    () =>
      Effect.gen(function*() {
        const base = yield* serverOn("s3cret")
        const auth = { authorization: "Bearer s3cret" }
        assert.strictEqual(yield* materialize(base, "pncp/raw/contratos", "2024-07-01", auth), "Success")
        const runs = (yield* json(`${base}/api/runs`, { headers: auth })).body as ReadonlyArray<
          { readonly runId: string }
        >
        const runId = runs[0]!.runId
        const page = yield* openPage({ width: 1280, height: 800 })
        page.setDefaultTimeout(20_000)
        const prompts: Array<string> = []
        page.on("dialog", (dialog) => {
          prompts.push(dialog.message())
          void dialog.accept("s3cret")
        })
        yield* showLineage(page, base)
        assert.strictEqual(prompts.length, 1)
        assert.include(prompts[0], "BALIZA_UI_TOKEN")
        yield* step(() => page.goto(`${base}/#/runs/${runId}`))
        yield* step(() =>
          page.waitForFunction(
            () => document.querySelector("[data-testid=run-status]")?.textContent === "Succeeded",
            undefined,
            { timeout: 30_000 }
          )
        )
        assert.include(yield* step(() => page.innerText("[data-testid=follow-mode]")), "polling")
        assert.strictEqual(prompts.length, 1)
      }),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "a run resumed after a server stop, followed live: past its first RunFinished, and no more once it is over",
    () => followsResumedRun(undefined),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "a run resumed after a server stop, followed by polling: past its first RunFinished, and no more once it is over",
    () => followsResumedRun("s3cret"),
    { timeout: 120_000 }
  )
})

const oneAsset = () => Either.getOrThrow(AssetGraph.make([Asset.make({ key: "a", materialize: () => Effect.void })]))

/** Another project than PNCP: a raw asset and a mart built from it, no staging. */
const shopGraph = () =>
  Either.getOrThrow(AssetGraph.make([
    Asset.make({
      key: "shop/raw/orders",
      layer: "raw",
      group: "shop",
      tags: { owner: "sales" },
      materialize: () => Effect.void
    }),
    Asset.make({
      key: "shop/marts/revenue",
      layer: "mart",
      group: "shop",
      deps: ["shop/raw/orders"],
      materialize: () => Effect.void
    })
  ]))

/**
 * A server over a graph, by default of one asset (a warehouse file without the PNCP fake: nothing here fetches), and its
 * event log, where a test writes a run's events itself.
 */
const bareServer = (token: string | undefined, graph = oneAsset()) =>
  Effect.gen(function*() {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-ui-"))),
      (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
    )
    const storage = yield* Layer.build(Warehouse.layer({ path: NodePath.join(dir, "w.duckdb") }))
    const server = Server.layer({ graph, port: 0, token, ui: Ui.files, housekeeping: [] }).pipe(
      Layer.provide(Layer.succeedContext(storage))
    )
    const base = yield* Effect.provide(Server.url, yield* Layer.build(server))
    return { base, log: Context.get(storage, EventLog.EventLog), state: Context.get(storage, AssetState.AssetState) }
  })

/** A daily asset of exactly 1,000 days (2021-01-01 up to 2023-09-28, exclusive) and an unpartitioned one. */
const thousandDays = () =>
  Either.getOrThrow(AssetGraph.make([
    Asset.make({
      key: "days",
      partitions: Partitions.TimeWindow.daily({ start: "2021-01-01", end: "2023-09-28" }),
      materialize: () => Effect.void
    }),
    Asset.make({ key: "whole", deps: ["days"], materialize: () => Effect.void })
  ]))

/** A ledger row of a partition materialized now. */
const built = (assetKey: string, partitionKey: string | null): AssetState.StepRecord => ({
  assetKey,
  partitionKey,
  status: "Materialized",
  runId: "r0",
  updatedAt: Date.now(),
  dataVersion: "v1",
  codeVersion: null,
  materializedAt: Date.now(),
  upstreamVersions: {},
  error: null
})

/** One attempt of a run, as the materializer logs it: started, its one step, finished with `status`. */
const attempt = (runId: string, status: "Interrupted" | "Success"): ReadonlyArray<RunEvent.RunEvent> => {
  const at = Date.now()
  const step = { runId, assetKey: "a", partitionKey: null }
  const succeeded: ReadonlyArray<RunEvent.RunEvent> = status === "Success"
    ? [{ _tag: "StepSucceeded", ...step, timestamp: at + 2, durationMs: 1, dataVersion: "v1", attempts: 1 }]
    : []
  return [
    {
      _tag: "RunStarted",
      runId,
      timestamp: at,
      selection: "a",
      partitions: null,
      plannedSteps: 1,
      skippedSteps: 0,
      tags: {}
    },
    { _tag: "StepStarted", ...step, timestamp: at + 1, attempt: 1 },
    ...succeeded,
    {
      _tag: "RunFinished",
      runId,
      timestamp: at + 3,
      status,
      durationMs: 3,
      succeeded: status === "Success" ? 1 : 0,
      failed: 0,
      skipped: 0
    }
  ]
}

/**
 * A server stopped mid-run queues the run again and the next one resumes it under the same id, so its log holds a
 * RunFinished (Interrupted) and then a second attempt. Here the run waits in the queue (due in an hour) while the test
 * writes both attempts' events, then it is cancelled: over as the queue says, which is where following must stop.
 */
const followsResumedRun = (token: string | undefined) =>
  Effect.gen(function*() {
    const { base, log } = yield* bareServer(token)
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` }
    const launched = yield* json(`${base}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ selection: "a", notBefore: Date.now() + 3_600_000 })
    })
    assert.strictEqual(launched.status, 202, JSON.stringify(launched.body))
    const { runId } = Schema.decodeUnknownSync(QueuedRun)(launched.body)
    yield* log.append(attempt(runId, "Interrupted"))

    const page = yield* openPage({ width: 1280, height: 800 })
    page.setDefaultTimeout(20_000)
    const errors: Array<string> = []
    page.on("pageerror", (error) => errors.push(error.message))
    page.on("dialog", (dialog) => void dialog.accept(token ?? ""))
    // What following asks the server: the run's stream, or its log and the queue.
    const asked: Array<string> = []
    const noContent: Array<string> = []
    const following = (url: string) => url.includes(`/api/runs/${runId}/`) || url.endsWith("/api/queue")
    page.on("request", (request) => {
      if (following(request.url())) asked.push(request.url())
    })
    page.on("response", (response) => {
      if (response.status() === 204) noContent.push(response.url())
    })
    if (token !== undefined) {
      yield* showLineage(page, base)
    }
    yield* step(() => page.goto(`${base}/#/runs/${runId}`))
    yield* step(() => page.waitForSelector("[data-testid=run-status][data-status=Interrupted]"))
    assert.include(
      yield* step(() => page.innerText("[data-testid=follow-mode]")),
      token === undefined ? "live" : "polling"
    )

    // The next server resumes it: the page must show the second attempt, to its RunFinished.
    const second = attempt(runId, "Success")
    yield* log.append(second.slice(0, 1))
    yield* step(() => page.waitForSelector("[data-testid=run-status][data-status=Running]"))
    // Running again: not finished (the cancel button is live again).
    yield* step(() => page.waitForSelector("[data-testid=cancel-button]:enabled"))
    yield* log.append(second.slice(1))
    yield* step(() => page.waitForSelector("[data-testid=run-status][data-status=Success]"))
    const rows = page.locator("[data-testid=log-row]")
    yield* step(() => page.waitForFunction(() => document.querySelectorAll("[data-testid=log-row]").length === 7))
    assert.strictEqual(yield* step(() => page.locator("[data-testid=log-row][data-tag=RunFinished]").count()), 2)
    assert.strictEqual(yield* step(() => rows.count()), 7)

    // Over as the queue says: the page stops asking (an EventSource after a 204, polling once it sees the run over).
    const cancelled = yield* json(`${base}/api/runs/${runId}/cancel`, { method: "POST", headers })
    assert.deepStrictEqual(cancelled.body, { cancelled: true })
    yield* Effect.sleep("6 seconds")
    const settled = asked.length
    yield* Effect.sleep("5 seconds")
    assert.deepStrictEqual(asked.slice(settled), [], "the page still follows a run that is over")
    if (token === undefined) assert.include(noContent, `${base}/api/runs/${runId}/events`)
    assert.strictEqual(yield* step(() => rows.count()), 7)
    assert.deepStrictEqual(errors, [])
  })

/** A fresh page in the browser, with the errors it throws; the token, if any, is given when it asks. */
const newPage = (token?: string) =>
  Effect.gen(function*() {
    const page = yield* openPage({ width: 1280, height: 800 })
    page.setDefaultTimeout(20_000)
    const errors: Array<string> = []
    page.on("pageerror", (error) => errors.push(error.message))
    page.on("dialog", (dialog) => void dialog.accept(token ?? ""))
    return { page, errors }
  })

/** A server of the small shop graph, and a fresh page. */
const shopPage = Effect.zipWith(bareServer(undefined, shopGraph()), newPage(), ({ base }, page) => ({ base, ...page }))

/** Opens the lineage page and waits for its graph. */
const showLineage = (page: Page, base: string) =>
  Effect.zipRight(
    step(() => page.goto(`${base}/`)),
    step(() => page.locator("[data-testid=lineage-node]").first().waitFor())
  )

/** Queues a run of `selection` due in an hour: it waits in the queue for the whole test. */
const queueForLater = (base: string, selection: string, headers: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const launched = yield* json(`${base}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ selection, notBefore: Date.now() + 3_600_000 })
    })
    assert.strictEqual(launched.status, 202, JSON.stringify(launched.body))
    return Schema.decodeUnknownSync(QueuedRun)(launched.body).runId
  })

const runStarted = (runId: string, at: number, selection = "a"): RunEvent.RunEvent => ({
  _tag: "RunStarted",
  runId,
  timestamp: at,
  selection,
  partitions: null,
  plannedSteps: 1,
  skippedSteps: 0,
  tags: {}
})

const runFinished = (runId: string, at: number, status: "Success" | "Interrupted"): RunEvent.RunEvent => ({
  _tag: "RunFinished",
  runId,
  timestamp: at,
  status,
  durationMs: at,
  succeeded: status === "Success" ? 1 : 0,
  failed: 0,
  skipped: 0
})

const hashOf = (page: Page) => decodeURIComponent(new URL(page.url()).hash)

/**
 * A run cancelled while it waited in the queue never starts, so no `RunFinished` ever comes: the page must still say
 * it is over, both when it is open as the run is cancelled (its following ends) and when it is opened afterwards.
 */
const cancelledWhileQueued = (token: string | undefined) =>
  Effect.gen(function*() {
    const { base } = yield* bareServer(token)
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` }
    const runId = yield* queueForLater(base, "a", headers)
    const { errors, page } = yield* newPage(token)
    if (token !== undefined) {
      yield* showLineage(page, base)
    }
    yield* step(() => page.goto(`${base}/#/runs/${runId}`))
    yield* step(() => page.waitForSelector("[data-testid=run-status][data-status=Queued]"))
    yield* step(() => page.click("[data-testid=cancel-button]"))
    yield* step(() => page.waitForSelector("[data-testid=run-status][data-status=Cancelled]"))
    assert.isTrue(yield* step(() => page.locator("[data-testid=cancel-button]").isDisabled()))
    assert.include(yield* step(() => page.innerText("[data-testid=run-facts]")), "cancelled while it waited")
    assert.strictEqual(yield* step(() => page.innerText("[data-testid=run-status]")), "Cancelled")

    // Opened once it is cancelled: the queue says so.
    yield* step(() => page.reload())
    yield* step(() => page.waitForSelector("[data-testid=run-status][data-status=Cancelled]"))
    assert.isTrue(yield* step(() => page.locator("[data-testid=cancel-button]").isDisabled()))
    assert.deepStrictEqual(errors, [])
  })

describe("Browser: how much of an asset exists", () => {
  it.scopedLive(
    "3 of 1,000 partitions: the lineage's table and the asset page say how many exist and how many are missing",
    () =>
      Effect.gen(function*() {
        const { base, state } = yield* bareServer(undefined, thousandDays())
        yield* state.put([built("days", "2021-01-01"), built("days", "2022-06-15"), built("days", "2023-09-27")])
        const { errors, page } = yield* newPage()
        const said = "3 of 1,000 partitions materialized · 997 missing"

        yield* showLineage(page, base)
        const rows = yield* step(() =>
          page.locator("[data-testid=assets-table] tbody tr").evaluateAll((rows) =>
            rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent ?? ""))
          )
        )
        const header = yield* step(() => page.locator("[data-testid=assets-table] thead th").allTextContents())
        const materialized = header.indexOf("materialized")
        assert.deepStrictEqual(
          Object.fromEntries(rows.map((cells) => [cells[0], cells[materialized]])),
          { days: said, whole: "0" }
        )
        // the status rule is unchanged: the worst of the recorded partitions
        assert.strictEqual(
          yield* step(() => page.getAttribute("[data-testid=lineage-node][data-key=days]", "data-status")),
          "fresh"
        )

        yield* step(() => page.goto(`${base}/#/asset/days`))
        yield* step(() => page.waitForSelector("[data-testid=asset-coverage]"))
        assert.strictEqual(yield* step(() => page.innerText("[data-testid=asset-coverage]")), said)
        // the heat-map draws the recorded partitions; its heading says how many there are in all
        assert.strictEqual(yield* step(() => page.locator("[data-testid=partition-cell]").count()), 3)
        assert.include(
          yield* step(() => page.locator("h2", { hasText: "Partitions" }).innerText()),
          "3 recorded, 1,000 in all"
        )

        // unpartitioned: as before, the count of materializations, no "of"
        yield* step(() => page.goto(`${base}/#/asset/whole`))
        yield* step(() => page.waitForSelector("[data-testid=asset-key]:text('whole')"))
        assert.strictEqual(yield* step(() => page.innerText("[data-testid=asset-coverage]")), "0")
        assert.include(yield* step(() => page.locator("h2", { hasText: "Partitions" }).innerText()), "(0 recorded)")
        assert.deepStrictEqual(errors, [])
      }),
    { timeout: 60_000 }
  )
})

describe("Browser: leaving, cancelling, long runs, the lineage by keyboard", () => {
  it.scopedLive(
    "a page left before its first answer starts no refresh and no event stream (a run, runs, queue, schedules)",
    () =>
      Effect.gen(function*() {
        const { base } = yield* bareServer(undefined)
        const runId = yield* queueForLater(base, "a")
        const { errors, page } = yield* newPage()
        const slow = ["/api/runs", "/api/queue", "/api/schedules", `/api/runs/${runId}`]
        const asked: Array<string> = []
        page.on("request", (request) => {
          const path = new URL(request.url()).pathname
          if (slow.includes(path) || path === `/api/runs/${runId}/events`) asked.push(path)
        })
        // A busy server: every first answer of these pages takes 1.5 s, and the person moves on meanwhile.
        yield* step(() =>
          page.route((url) => slow.includes(url.pathname), async (route) => {
            await new Promise((resolve) => setTimeout(resolve, 1500))
            await route.continue().catch(() => undefined)
          })
        )
        // The page's timers on a clock the test moves: the slowest refresh's 10 s pass without waiting them out.
        yield* step(() => page.clock.install())
        yield* step(() => page.goto(`${base}/#/runs/${runId}`))
        for (const hash of ["#/runs", "#/queue", "#/schedules", "#/"]) {
          yield* Effect.sleep("300 millis")
          yield* step(() => page.evaluate((hash) => (window.location.hash = hash), hash))
        }
        yield* step(() => page.locator("[data-testid=lineage-node]").first().waitFor())
        // Every slow answer has arrived (the run page asks the queue after its summary's 404: 3 s in all).
        yield* Effect.sleep("3 seconds")
        const settled = asked.length
        // Longer than the slowest refresh (the schedules', every 10 s), then time for a request it would make to show.
        yield* step(() => page.clock.runFor(11_000))
        yield* Effect.sleep("500 millis")
        assert.deepStrictEqual(asked.slice(settled), [], "the lineage is shown, yet the pages left still refresh")
        assert.notInclude(asked, `/api/runs/${runId}/events`, "an event stream opened for a page no longer shown")
        assert.deepStrictEqual(errors, [])
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "a run cancelled while it waits in the queue, followed live: Cancelled, and Cancel disabled",
    () => cancelledWhileQueued(undefined),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "a run cancelled while it waits in the queue, followed by polling: Cancelled, and Cancel disabled",
    () => cancelledWhileQueued("s3cret"),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "Cancel on a running run stays disabled while the cancel is in progress, redraws included",
    () =>
      Effect.gen(function*() {
        // A step that runs until it is interrupted.
        const graph = Either.getOrThrow(AssetGraph.make([Asset.make({ key: "slow", materialize: () => Effect.never })]))
        const { base } = yield* bareServer(undefined, graph)
        const launched = yield* json(`${base}/api/runs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ selection: "slow" })
        })
        const { runId } = Schema.decodeUnknownSync(QueuedRun)(launched.body)
        const { errors, page } = yield* newPage()
        // The cancel request takes a while to reach the server (a busy one).
        yield* step(() =>
          page.route((url) => url.pathname === `/api/runs/${runId}/cancel`, async (route) => {
            await new Promise((resolve) => setTimeout(resolve, 3000))
            await route.continue().catch(() => undefined)
          })
        )
        yield* step(() => page.goto(`${base}/#/runs/${runId}`))
        yield* step(() => page.waitForSelector("[data-testid=run-status][data-status=Running]"))
        yield* step(() => page.click("[data-testid=cancel-button]:enabled"))
        // The page redraws a running run every second: Cancel must not come back meanwhile.
        yield* Effect.sleep("2 seconds")
        assert.strictEqual(yield* step(() => page.getAttribute("[data-testid=run-status]", "data-status")), "Running")
        assert.isTrue(yield* step(() => page.locator("[data-testid=cancel-button]").isDisabled()))
        yield* step(() => page.waitForSelector("[data-testid=run-status][data-status=Interrupted]"))
        assert.strictEqual(yield* step(() => page.innerText("[data-testid=cancel-message]")), "cancel requested")
        assert.isTrue(yield* step(() => page.locator("[data-testid=cancel-button]").isDisabled()))
        assert.deepStrictEqual(errors, [])
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "a run that finished Interrupted draws its open steps as interrupted, and does not count them as finished",
    () =>
      Effect.gen(function*() {
        const { base, log } = yield* bareServer(undefined)
        const runId = "run-interrupted"
        const at = Date.now() - 10_000
        yield* log.append([
          runStarted(runId, at),
          { _tag: "StepStarted", runId, assetKey: "a", partitionKey: null, timestamp: at + 1, attempt: 1 },
          runFinished(runId, at + 5_000, "Interrupted")
        ])
        const { errors, page } = yield* newPage()
        yield* step(() => page.goto(`${base}/#/runs/${runId}`))
        yield* step(() => page.waitForSelector("[data-testid=run-status][data-status=Interrupted]"))
        yield* step(() => page.waitForSelector("[data-testid=gantt] rect.bar"))
        const bars = yield* step(() =>
          page.$$eval("[data-testid=gantt] rect.bar", (all) => all.map((bar) => bar.getAttribute("class")))
        )
        assert.deepStrictEqual(bars, ["bar interrupted"])
        const colour = yield* step(() =>
          page.$eval("[data-testid=gantt] rect.bar", (bar) => window.getComputedStyle(bar).fill)
        )
        const running = yield* step(() =>
          page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--running"))
        )
        assert.notStrictEqual(colour, "rgb(0, 0, 0)", "an interrupted bar has a colour of its own")
        assert.notStrictEqual(colour, running.trim())
        assert.strictEqual(
          yield* step(() => page.innerText("[data-testid=run-progress]")),
          "0 of 1 steps · 1 interrupted"
        )
        assert.include(yield* step(() => page.innerText("[data-testid=gantt-legend]")), "interrupted")
        assert.deepStrictEqual(errors, [])
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "a long run's event log keeps the newest 2,000 events (its RunFinished too) and says how many it left out",
    () =>
      Effect.gen(function*() {
        const { base, log } = yield* bareServer(undefined)
        const runId = "run-long"
        const at = Date.now() - 60_000
        const progress = Array.from({ length: 2100 }, (_, i): RunEvent.RunEvent => ({
          _tag: "Progress",
          runId,
          timestamp: at + 1 + i,
          assetKey: "a",
          partitionKey: null,
          done: i + 1,
          total: 2100,
          unit: "pages",
          message: null
        }))
        yield* log.append([runStarted(runId, at), ...progress, runFinished(runId, at + 5_000, "Success")])
        const stored = Schema.decodeUnknownSync(Schema.Array(RunEvent.StoredEvent))(
          (yield* json(`${base}/api/runs/${runId}/log`)).body
        )
        assert.strictEqual(stored.length, 2102)
        const { errors, page } = yield* newPage()
        yield* step(() => page.goto(`${base}/#/runs/${runId}`))
        yield* step(() => page.waitForSelector("[data-testid=run-status][data-status=Success]"))
        yield* step(() => page.waitForSelector("[data-testid=log-row][data-tag=RunFinished]"))
        assert.strictEqual(yield* step(() => page.locator("[data-testid=log-row]").count()), 2000)
        const ids = yield* step(() =>
          page.$$eval("[data-testid=log-row] td:first-child", (cells) => cells.map((cell) => Number(cell.textContent)))
        )
        assert.deepStrictEqual(ids, stored.slice(-2000).map((each) => each.id))
        assert.strictEqual(
          yield* step(() => page.innerText("[data-testid=log-truncated]")),
          "showing the latest 2,000 of 2,102 events"
        )
        assert.deepStrictEqual(errors, [])
      }),
    { timeout: 90_000 }
  )

  it.scopedLive(
    "lineage: the latest selection wins over a slower answer to an earlier one",
    () =>
      Effect.gen(function*() {
        const { base, errors, page } = yield* shopPage
        // The first selection's answer is slow (a busy server); the second's is not.
        yield* step(() =>
          page.route(
            (url) => url.pathname === "/api/select" && url.searchParams.get("q") === "layer:raw",
            async (route) => {
              await new Promise((resolve) => setTimeout(resolve, 1500))
              await route.continue().catch(() => undefined)
            }
          )
        )
        yield* showLineage(page, base)
        yield* step(() => page.fill("[data-testid=selection-input]", "layer:raw"))
        yield* step(() => page.press("[data-testid=selection-input]", "Enter"))
        yield* step(() => page.fill("[data-testid=selection-input]", "layer:mart"))
        yield* step(() => page.press("[data-testid=selection-input]", "Enter"))
        yield* Effect.sleep("2500 millis")
        const highlighted = yield* step(() =>
          page.$$eval("[data-highlighted=true]", (all) => all.map((node) => node.getAttribute("data-key")))
        )
        assert.deepStrictEqual(highlighted, ["shop/marts/revenue"])
        assert.strictEqual(yield* step(() => page.innerText("[data-testid=selection-count]")), "1 of 2 assets")
        assert.deepStrictEqual(errors, [])
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "lineage by keyboard: focusing a node highlights its edges; Enter and Space open its asset",
    () =>
      Effect.gen(function*() {
        const { base, errors, page } = yield* shopPage
        const edge = page.locator(`.edge[data-from="shop/raw/orders"][data-to="shop/marts/revenue"]`)
        for (const key of ["Enter", " "]) {
          yield* step(() => page.goto(`${base}/`))
          const node = page.locator(`[data-testid=lineage-node][data-key="shop/raw/orders"]`)
          yield* step(() => node.waitFor())
          assert.strictEqual(yield* step(() => node.getAttribute("role")), "link")
          yield* step(() => node.focus())
          assert.include(yield* step(() => edge.getAttribute("class")), "focus")
          yield* step(() => page.keyboard.press(key === " " ? "Space" : key))
          yield* step(() => page.waitForSelector("[data-testid=asset-key]"))
          assert.strictEqual(hashOf(page), "#/asset/shop/raw/orders", `${JSON.stringify(key)} opens the asset`)
        }
        // Blur: the edges go back to normal.
        yield* step(() => page.goto(`${base}/`))
        const mart = page.locator(`[data-testid=lineage-node][data-key="shop/marts/revenue"]`)
        yield* step(() => mart.focus())
        assert.include(yield* step(() => edge.getAttribute("class")), "focus")
        yield* step(() => page.locator("[data-testid=selection-input]").focus())
        assert.notInclude(yield* step(() => edge.getAttribute("class")), "focus")
        assert.deepStrictEqual(errors, [])
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "lineage of another project: lanes only for the layers it has, and every 'Try:' chip selects something of it",
    () =>
      Effect.gen(function*() {
        const { base, errors, page } = yield* shopPage
        yield* showLineage(page, base)
        assert.deepStrictEqual(
          yield* step(() => page.$$eval(".lane-title", (all) => all.map((title) => title.textContent))),
          ["raw", "mart"]
        )
        const chips = page.locator("[data-testid=selection-examples] button.chip")
        const texts = yield* step(() => chips.allInnerTexts())
        assert.deepStrictEqual(texts, [
          "layer:raw",
          "tag:owner=sales",
          "+shop/marts/revenue",
          "shop/raw/orders+",
          "*shop/marts/revenue"
        ])
        for (const [i, text] of texts.entries()) {
          const expected = (yield* json(`${base}/api/select?q=${encodeURIComponent(text)}`)).body as {
            readonly keys: ReadonlyArray<string>
          }
          yield* step(() => chips.nth(i).click())
          yield* step(() => page.waitForSelector(`[data-testid=selection-count][data-count="${expected.keys.length}"]`))
          assert.isFalse(yield* step(() => page.locator("[data-testid=selection-error]").isVisible()), text)
          assert.sameMembers(
            yield* step(() =>
              page.$$eval("[data-highlighted=true]", (all) => all.map((node) => node.getAttribute("data-key")))
            ),
            [...expected.keys]
          )
        }
        assert.deepStrictEqual(errors, [])
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "an address that does not decode (#/asset/100%) shows the failure page",
    () =>
      Effect.gen(function*() {
        const { base, errors, page } = yield* shopPage
        yield* showLineage(page, base)
        yield* step(() => page.evaluate(() => (window.location.hash = "#/asset/100%")))
        yield* step(() => page.waitForSelector("[data-testid=error]"))
        assert.include(yield* step(() => page.innerText("[data-testid=error]")), "100%")
        assert.strictEqual(yield* step(() => page.locator("[data-testid=lineage]").count()), 0)
        // And the next address works again.
        yield* step(() => page.evaluate(() => (window.location.hash = "#/asset/shop%2Fraw%2Forders")))
        yield* step(() => page.waitForSelector("[data-testid=asset-key]"))
        assert.deepStrictEqual(errors, [])
      }),
    { timeout: 60_000 }
  )
})
