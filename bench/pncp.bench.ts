/**
 * The PNCP pipeline against its fake with 50 ms latency, the fake in its own process (so its CPU does not compete
 * with the pipeline's on a 2-core machine):
 *
 * (a) a month of every consulta endpoint (raw → staging → marts) into a DuckDB file: wall time (goal < 60 s at the
 *     default volume), pages/s against the bound `concurrency / latency`, records/s of a staging rebuild, peak RSS
 *     (goal < 300 MB);
 * (b) the details (itens, arquivos and their counts) of one day of contratações: contratações/s, and requests/s against
 *     the bound `concurrency / latency`, and peak RSS;
 * (c) a day after the month extracted, then the consulta staging tables built from what changed (the day's request
 *     series) and, for comparison, whole: what a daily run's staging costs once the archive holds a month;
 * (w) the month's extraction again, into a file of its own, the fake answering from the bytes it rendered in (a): the
 *     fake's CPU shares our two cores where a real server's does not, and rendering its pages was most of it. With
 *     (w) on, (a)'s loopback ceiling is the transport alone too (the fake answers it from memory).
 *
 *   npx tsx bench/pncp.bench.ts      # BENCH_SCALE=1 (the real API's volume), BENCH_DAYS=2024-07-01..2024-07-31,
 *                                    # BENCH_CONCURRENCY=32, BENCH_LATENCY_MS=50, BENCH_PHASES=a,w,b,c
 */
import { Partitions } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { Pipeline, PncpFake, Warehouse } from "@baliza/pncp"
import { FaultyHttpServer } from "@baliza/testing"
import { Effect, Layer, Schedule } from "effect"
import { spawn } from "node:child_process"
import * as NodeFs from "node:fs"
import * as Http from "node:http"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as PerfHooks from "node:perf_hooks"
import process from "node:process"
import { fileURLToPath } from "node:url"
import { collectGarbage, figure, mib, number, peakRssMb, settingsOf } from "./report.js"

const scale = Number(process.env.BENCH_SCALE ?? 1)
const days = process.env.BENCH_DAYS ?? "2024-07-01..2024-07-31"
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32)
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50)
// BENCH_PHASES=a runs the month only (b and c need a's archive, w its rendered answers).
const phases = process.env.BENCH_PHASES ?? "a,w,b,c"
const withDetails = phases.includes("b")
const withDayAfter = phases.includes("c")
const withWarmFake = phases.includes("w")
const context = Partitions.context({ now: Date.parse("2024-12-31T12:00:00Z") })

/**
 * The fake's routes answering each request (method and URL) from the bytes it rendered the first time: a real server's
 * CPU is not on our cores, the fake's is, so phase (w) takes the fake's page generation out of the measurement.
 */
const rendered = (routes: FaultyHttpServer.Routes): FaultyHttpServer.Routes => {
  const answers = new Map<string, FaultyHttpServer.Response>()
  const render = (response: FaultyHttpServer.Response): FaultyHttpServer.Response =>
    response.body === undefined || typeof response.body === "string" || response.body instanceof Uint8Array
      ? response
      : {
        ...response,
        headers: { "content-type": "application/json", ...response.headers },
        body: Buffer.from(JSON.stringify(response.body))
      }
  return routes.map((route) => ({
    ...route,
    handler: (request) => {
      const key = `${request.method} ${request.path}?${request.query.toString()}`
      const known = answers.get(key)
      if (known !== undefined) return known
      const keep = (answer: FaultyHttpServer.Response) => {
        const kept = render(answer)
        answers.set(key, kept)
        return kept
      }
      const answer = route.handler(request)
      return Effect.isEffect(answer) ? Effect.map(answer, keep) : keep(answer)
    }
  }))
}

/** The fake's process: prints its URL, serves until killed. */
const serve = () =>
  Effect.runFork(
    Effect.gen(function*() {
      const routes = PncpFake.routes({ scale })
      const server = yield* FaultyHttpServer.make({
        routes: withWarmFake ? rendered(routes) : routes,
        faults: { latency: { _tag: "Fixed", ms: latencyMs } }
      }).pipe(Effect.orDie)
      process.stdout.write(`${server.url}\n`)
      return yield* Effect.never
    }).pipe(Effect.scoped)
  )

const startFake = () =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly pid: number | undefined; readonly kill: () => void }, Error>(
      (resume) => {
        const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--fake"], {
          stdio: ["ignore", "pipe", "inherit"]
        })
        let out = ""
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString()
          const line = out.split("\n")[0]
          if (out.includes("\n") && line !== undefined) {
            resume(Effect.succeed({ url: line, pid: child.pid, kill: () => child.kill() }))
          }
        })
        child.on("exit", (code) => resume(Effect.fail(new Error(`the fake exited (${code})`))))
      }
    ),
    (fake) => Effect.sync(fake.kill)
  )

/**
 * A process's CPU time so far, all its threads (Linux: `/proc/<pid>/stat`, in clock ticks of 1/100 s), or undefined.
 * The fake runs beside the pipeline on the same cores, so the machine's load is both processes'.
 */
const cpuSecondsOf = (pid: number | undefined): number | undefined => {
  try {
    // the fields after the command's closing parenthesis; utime and stime are the 14th and 15th of the line
    const fields = (NodeFs.readFileSync(`/proc/${pid}/stat`, "utf8").split(")").at(-1) ?? "").trim().split(" ")
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}

/** The kernel's split of the RSS (Linux): anonymous memory (heaps) against mapped files (code, the database file). */
const rssSplit = (): string => {
  try {
    const status = NodeFs.readFileSync("/proc/self/status", "utf8")
    const kb = (field: string) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024)
    return `anonymous ${kb("RssAnon")}, files ${kb("RssFile")}`
  } catch {
    return "RSS split not available"
  }
}

const rows = (sql: string) => Effect.map(DuckDB.query(sql), ([row]) => Number(row?.n ?? 0))

/** The raw consulta partitions of `partitions` (no details), `concurrency` requests at a time. */
const extractRaw = (partitions: string) =>
  Pipeline.materialize({
    partitions,
    context,
    concurrency,
    pools: { pncp_api: concurrency },
    selection: `(${Pipeline.withoutDetails}) and layer:raw`
  })

/**
 * The month's raw extraction: its wall time, the CPU of the pipeline's process and of the fake's, and how many of the
 * cores both kept busy, printed under `phase`.
 */
const timedExtraction = (phase: string, fakePid: number | undefined) =>
  Effect.gen(function*() {
    const started = Date.now()
    const usageBefore = process.resourceUsage()
    const fakeBefore = cpuSecondsOf(fakePid)
    const run = yield* extractRaw(days)
    const extracted = Date.now()
    const wall = (extracted - started) / 1000
    figure(`${phase} extraction: wall time`, `${number(wall, 1)} s`)
    // Each fresh page of memory is a minor fault, about 12 µs on the project's VM: a cost that hides in every copy.
    const usage = process.resourceUsage()
    figure(
      `${phase} extraction: CPU user + system, minor page faults`,
      `${number((usage.userCPUTime - usageBefore.userCPUTime) / 1e6, 1)} + ${
        number((usage.systemCPUTime - usageBefore.systemCPUTime) / 1e6, 1)
      } s, ${number(usage.minorPageFault - usageBefore.minorPageFault)}`
    )
    const fakeAfter = cpuSecondsOf(fakePid)
    if (fakeBefore !== undefined && fakeAfter !== undefined) {
      const ours = (usage.userCPUTime - usageBefore.userCPUTime + usage.systemCPUTime - usageBefore.systemCPUTime) / 1e6
      figure(
        `${phase} extraction: the fake's CPU, and cores busy (both)`,
        `${number(fakeAfter - fakeBefore, 1)} s, ${
          number((ours + fakeAfter - fakeBefore) / wall, 2)
        } of ${NodeOs.cpus().length}`
      )
    }
    return { extracted, run }
  })

const main = Effect.gen(function*() {
  const fake = yield* startFake()
  const dir = NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-bench-pncp-"))
  // BENCH_KEEP keeps the database for a look afterwards.
  if (process.env.BENCH_KEEP === undefined) {
    yield* Effect.addFinalizer(() => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true })))
  } else console.log(`database kept in ${dir}`)
  const warehouseAt = (file: string) =>
    Warehouse.layer({
      path: NodePath.join(dir, file),
      memoryLimit: process.env.BENCH_MEMORY_LIMIT,
      // More DuckDB settings to try, as JSON: BENCH_SETTINGS='{"checkpoint_threshold":"1GB"}'
      settings: settingsOf(process.env.BENCH_SETTINGS),
      stagingParallelism: process.env.BENCH_STAGING_PARALLELISM === undefined
        ? undefined
        : Number(process.env.BENCH_STAGING_PARALLELISM),
      client: { consultaUrl: `${fake.url}/api/consulta`, detailsUrl: `${fake.url}/api/pncp`, concurrency }
    })
  const warehouse = warehouseAt("bench.duckdb")
  console.log(`scale ${scale}, ${days}, concurrency ${concurrency}, latency ${latencyMs} ms`)
  figure("RSS at start", `${peakRssMb()} MB`)

  const results = yield* Effect.gen(function*() {
    // What DuckDB itself accounts for (buffer pool and its tagged allocations), sampled every second next to the
    // RSS: the part of the RSS DuckDB does not account for is allocations outside its buffer manager, or the JS side.
    const largest = { rss: 0, duckdb: 0, tags: "", split: "" }
    yield* Effect.forkScoped(Effect.repeat(
      Effect.gen(function*() {
        const tags = yield* DuckDB.query(
          `SELECT tag, memory_usage_bytes AS bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0
           ORDER BY memory_usage_bytes DESC`
        )
        const rss = process.memoryUsage.rss()
        if (rss <= largest.rss) return
        largest.rss = rss
        largest.duckdb = tags.reduce((sum, row) => sum + Number(row.bytes), 0)
        largest.tags = tags.slice(0, 4).map((row) => `${String(row.tag)} ${mib(Number(row.bytes))}`).join(", ")
        largest.split = rssSplit()
      }).pipe(Effect.ignore),
      Schedule.spaced("1 second")
    ))
    const started = Date.now()
    const { extracted, run } = yield* timedExtraction("(a)", fake.pid)
    figure("(a) extraction: peak RSS", `${peakRssMb()} MB`)
    const memory = process.memoryUsage()
    // What of the RSS is JavaScript's (heap reserved, buffers); the rest is native: DuckDB, sockets, code.
    figure(
      "(a) extraction: heap used / heap total / external / array buffers MB",
      `${mib(memory.heapUsed)} / ${mib(memory.heapTotal)} / ${mib(memory.external)} / ${mib(memory.arrayBuffers)}`
    )
    figure(
      "(a) extraction: at the largest RSS sampled, DuckDB's own accounting MB",
      `${mib(largest.duckdb)} of ${mib(largest.rss)} (${largest.tags}; ${largest.split})`
    )
    // What stays resident once the garbage is collected: native memory freed but kept by the allocators, apart from
    // the bodies and JSON trees that were only waiting for a collection. (Twice: V8 frees the array buffers of one
    // collection while the next runs.)
    collectGarbage()
    collectGarbage()
    const collected = process.memoryUsage()
    figure(
      "(a) extraction: after a full GC, RSS / heap used / external MB",
      `${mib(collected.rss)} / ${mib(collected.heapUsed)} / ${mib(collected.external)}`
    )
    const transform = yield* Pipeline.materialize({ partitions: days, context, concurrency })
    for (const failure of [...run.failures, ...transform.failures]) console.log("failed:", JSON.stringify(failure))
    const seconds = (Date.now() - started) / 1000
    figure("(a) staging + marts: wall time", `${number((Date.now() - extracted) / 1000, 1)} s`)
    const pages = yield* rows("SELECT count(*) AS n FROM raw.api_requests")
    const records = yield* rows("SELECT sum(records) AS n FROM raw.api_requests")
    figure(
      "(a) month: status",
      `${run.status}/${transform.status} (${run.succeeded + transform.succeeded} steps, ${
        run.failed + transform.failed
      } failed)`
    )
    figure("(a) month: wall time", `${number(seconds, 1)} s`, "< 60 s at scale 1")
    figure("(a) month: requests (pages)", number(pages))
    figure("(a) month: records extracted", number(records))
    const bound = concurrency / (latencyMs / 1000)
    figure("(a) extraction: pages/s", number(pages / ((extracted - started) / 1000), 1))
    figure("(a) extraction: pages/s ÷ concurrency/latency", number(pages / ((extracted - started) / 1000) / bound, 3))

    const staged = Date.now()
    yield* Pipeline.materialize({
      partitions: days,
      context,
      selection: "layer:staging and not pncp/staging/itens and not pncp/staging/arquivos",
      force: true
    })
    const stagingSeconds = (Date.now() - staged) / 1000
    const stagedRows = yield* rows(
      `SELECT (SELECT count(*) FROM staging.contratacoes) + (SELECT count(*) FROM staging.contratos)
      + (SELECT count(*) FROM staging.atas) + (SELECT count(*) FROM staging.pca)
      + (SELECT count(*) FROM staging.instrumentos_cobranca) AS n`
    )
    figure("(a) staging rebuild: records read / s", number(records / stagingSeconds))
    figure("(a) staging rebuild: rows kept (newest per key)", number(stagedRows))
    figure("(a) peak RSS", `${peakRssMb()} MB`, "< 300 MB")

    yield* loopbackCeiling(fake.pid, (extracted - started) / 1000)
    if (withWarmFake) {
      // (into a file of its own: the same pages again, none of them archived yet)
      const warm = yield* timedExtraction("(w)", fake.pid).pipe(
        Effect.provide(Layer.fresh(warehouseAt("warm.duckdb")))
      )
      figure("(w) extraction: status", `${warm.run.status} (${warm.run.succeeded} steps, ${warm.run.failed} failed)`)
    }
    if (withDetails) yield* detailsOfADay
    if (withDayAfter) yield* aDayAfter
    return run
  }).pipe(Effect.provide(Layer.fresh(warehouse)))
  return results
}).pipe(Effect.scoped)

const detailsOfADay = Effect.gen(function*() {
  const firstDay = days.split("..")[0] ?? days
  const detailsStarted = Date.now()
  const details = yield* Pipeline.materialize({
    partitions: firstDay,
    context,
    selection: "pncp/raw/contratacao_detalhes"
  })
  const detailsSeconds = (Date.now() - detailsStarted) / 1000
  const compras = yield* rows(
    "SELECT count(DISTINCT partition_key) AS n FROM raw.api_requests WHERE endpoint = 'arquivos'"
  )
  figure("(b) details of a day: status", details.status)
  figure("(b) details of a day: contratações", number(compras))
  figure("(b) details of a day: wall time", `${number(detailsSeconds, 1)} s`)
  figure("(b) details: contratações/s", number(compras / detailsSeconds, 1))
  // Each contratação asks for its itens and arquivos pages and their two counts (not archived): the bound is on
  // requests, concurrency of them every latency.
  const requests = 2 * compras + (yield* rows(
    "SELECT count(*) AS n FROM raw.api_requests WHERE endpoint IN ('itens', 'arquivos')"
  ))
  figure("(b) details: requests", number(requests))
  figure(
    "(b) details: requests/s ÷ concurrency/latency",
    number(requests / detailsSeconds / (concurrency / (latencyMs / 1000)), 3)
  )
  figure("(b) peak RSS", `${peakRssMb()} MB`)
})

/**
 * What the machine allows for the month's transport alone: every request of (a) sent again to the fake, `concurrency`
 * at a time on a bare `node:http` agent, each body read and dropped (no parse, no archive). The fake's CPU shares the
 * two cores with the client's here as with the pipeline's, so this bounds the extraction's wall time from below.
 */
const loopbackCeiling = (fakePid: number | undefined, extractionSeconds: number) =>
  Effect.gen(function*() {
    const urls = (yield* DuckDB.query("SELECT url FROM raw.api_requests ORDER BY collected_at")).map((row) =>
      String(row.url)
    )
    const agent = new Http.Agent({ keepAlive: true, maxSockets: concurrency })
    const drain = (url: string) =>
      new Promise<number>((resolve, reject) => {
        const request = Http.get(url, { agent, timeout: 60_000 }, (response) => {
          let bytes = 0
          response.on("data", (chunk: Buffer) => bytes += chunk.length)
          response.on("end", () =>
            response.statusCode === 200 || response.statusCode === 204
              ? resolve(bytes)
              : reject(new Error(`HTTP ${response.statusCode} from ${url}`)))
          response.on("error", reject)
        })
        request.on("timeout", () => request.destroy(new Error(`no answer from ${url} in 60 s`)))
        request.on("error", reject)
      })
    const fakeBefore = cpuSecondsOf(fakePid)
    const usageBefore = process.resourceUsage()
    const started = Date.now()
    const bytes = yield* Effect.promise(async () => {
      let next = 0
      let total = 0
      await Promise.all(Array.from({ length: concurrency }, async () => {
        for (let url = urls[next++]; url !== undefined; url = urls[next++]) {
          const bytes = await drain(url)
          total += bytes
        }
      }))
      return total
    }).pipe(Effect.ensuring(Effect.sync(() => agent.destroy())))
    const seconds = (Date.now() - started) / 1000
    const usage = process.resourceUsage()
    const fakeAfter = cpuSecondsOf(fakePid)
    const client = (usage.userCPUTime - usageBefore.userCPUTime + usage.systemCPUTime - usageBefore.systemCPUTime) / 1e6
    figure(
      "(a) loopback ceiling: the month's requests again, bodies dropped",
      `${number(seconds, 1)} s, ${number(urls.length / seconds, 1)} pages/s, ${number(bytes / 1e6 / seconds, 1)} MB/s`
    )
    figure(
      "(a) loopback ceiling: client CPU, the fake's CPU",
      `${number(client, 1)} s, ${
        fakeBefore === undefined || fakeAfter === undefined ? "?" : number(fakeAfter - fakeBefore, 1)
      } s`
    )
    figure("(a) extraction ÷ loopback ceiling (wall time)", number(extractionSeconds / seconds, 2))
  })

const consultaStaging = "layer:staging and not pncp/staging/itens and not pncp/staging/arquivos"

const aDayAfter = Effect.gen(function*() {
  const last = days.split("..").at(-1) ?? days
  const day = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
  const extracted = yield* extractRaw(day)
  figure("(c) a day after: extraction status", `${extracted.status} (${day})`)
  const started = Date.now()
  const merged = yield* Pipeline.materialize({ partitions: day, context, selection: consultaStaging })
  const incremental = (Date.now() - started) / 1000
  // the tables as merged, to compare with the same tables built whole (row counts and content hashes)
  const merges = yield* Warehouse.fingerprint("bench")
  const rebuilt = Date.now()
  // forced, a staging table is built whole
  yield* Pipeline.materialize({ partitions: day, context, selection: consultaStaging, force: true })
  const whole = (Date.now() - rebuilt) / 1000
  const wholes = yield* Warehouse.fingerprint("bench")
  const differ = Object.keys(wholes).filter((table) => wholes[table] !== merges[table])
  figure("(c) a day after: staging from the day's series", `${number(incremental, 1)} s (${merged.status})`)
  figure("(c) a day after: staging built whole", `${number(whole, 1)} s`)
  figure("(c) a day after: whole ÷ from the day's series", number(whole / incremental, 1))
  figure(
    "(c) a day after: tables merged = tables built whole",
    differ.length === 0 ? `yes (${Object.keys(wholes).length} tables)` : `NO: ${differ.join(", ")}`
  )
})

if (process.env.BENCH_TRACE !== undefined && !process.argv.includes("--fake")) {
  // how long callbacks (each DuckDB statement's answer among them) wait for the event loop
  const delay = PerfHooks.monitorEventLoopDelay({ resolution: 1 })
  delay.enable()
  setInterval(() => {
    const m = process.memoryUsage()
    console.error(
      `rss ${mib(m.rss)} heapTotal ${mib(m.heapTotal)} heapUsed ${mib(m.heapUsed)} external ${
        mib(m.external)
      } buffers ${mib(m.arrayBuffers)} loop delay mean ${(delay.mean / 1e6).toFixed(1)} p99 ${
        (delay.percentile(99) / 1e6).toFixed(1)
      } max ${(delay.max / 1e6).toFixed(1)} ms`
    )
    delay.reset()
  }, 1000).unref()
}

if (process.argv.includes("--fake")) serve()
else await Effect.runPromise(main)
