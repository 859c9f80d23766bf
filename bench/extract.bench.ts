/**
 * HttpSource against the latency bound: a PNCP-like server with a fixed 100 ms latency and small pages (one record
 * each), so the client should reach `concurrency / latency` pages/s. The server runs in its own process (this file with
 * `--server`), so its CPU does not compete with the client's on a 2-core machine.
 *
 * Prints pages/s at concurrency 1, 8 and 32, the ratio to `concurrency / latency` (goal ≥ 0.9 at 32) and the client's
 * peak RSS (goal: flat, < 200 MB).
 *
 *   npx tsx bench/extract.bench.ts                 # BENCH_PAGES=5000 (100 at concurrency 1), BENCH_LATENCY_MS=100
 */
import { HttpSource, Pagination } from "@baliza/extract"
import { Effect, Stream } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import * as Http from "node:http"
import { fileURLToPath } from "node:url"
import * as V8 from "node:v8"
import * as Vm from "node:vm"
import { figure, number, peakRssMb } from "./report.js"

const pages = Number(process.env.BENCH_PAGES ?? 5_000)
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 100)
const sequentialPages = Math.min(pages, 100)

// A full GC before reading the heap, so "heap after GC" is what the client really retains (RSS alone also counts
// memory V8 has not returned yet).
V8.setFlagsFromString("--expose-gc")
const gc: () => void = Vm.runInNewContext("gc")
const heapAfterGcMb = () => {
  gc()
  return process.memoryUsage().heapUsed / 1024 / 1024
}

/** The server: `GET /v1/contratacoes?pagina=n` answers one record and the PNCP envelope after `latencyMs`. */
const serve = () => {
  const server = Http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost")
    const page = Number(url.searchParams.get("pagina") ?? "1")
    const total = Number(url.searchParams.get("total") ?? "1")
    const body = JSON.stringify({
      data: [{ numeroControlePNCP: `00000000000191-1-${String(page).padStart(6, "0")}/2024`, valor: page }],
      totalRegistros: total,
      totalPaginas: total,
      numeroPagina: page,
      paginasRestantes: total - page,
      empty: false
    })
    setTimeout(() => {
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
      response.end(body)
    }, latencyMs)
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    process.stdout.write(`${typeof address === "object" && address !== null ? address.port : 0}\n`)
  })
}

const startServer = (): Promise<{ readonly port: number; readonly child: ChildProcess }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--server"], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    child.once("error", reject)
    child.stdout?.once("data", (data: Buffer) => resolve({ port: Number(String(data).trim()), child }))
  })

const run = (port: number, concurrency: number, count: number) =>
  Effect.gen(function*() {
    const source = yield* HttpSource.make({ baseUrl: `http://127.0.0.1:${port}/v1/`, concurrency })
    const started = performance.now()
    const cpuBefore = process.cpuUsage()
    let rssMax = 0
    let seen = 0
    const heap: Array<number> = []
    const received = yield* source.pages({
      path: "contratacoes",
      params: { total: count },
      pagination: Pagination.pncp()
    }).pipe(
      Stream.tap(() =>
        Effect.sync(() => {
          rssMax = Math.max(rssMax, process.memoryUsage.rss())
          if (++seen % 1_000 === 0) heap.push(heapAfterGcMb())
        })
      ),
      Stream.runCount
    )
    const seconds = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpuBefore)
    const rate = received / seconds
    const bound = concurrency / (latencyMs / 1000)
    const snapshot = yield* source.metrics.snapshot
    figure(
      `concurrency ${concurrency}: ${number(received)} pages in ${number(seconds, 1)} s`,
      `${number(rate, 1)} pages/s`
    )
    figure(
      `  ratio to concurrency / latency (${number(bound)} pages/s)`,
      number(rate / bound, 3),
      concurrency === 32 ? "≥ 0.9" : undefined
    )
    figure(
      `  p50 / p95 latency, retries`,
      `${number(snapshot.total.p50LatencyMs, 1)} / ${
        number(snapshot.total.p95LatencyMs, 1)
      } ms, ${snapshot.total.retries}`
    )
    // CPU per page does not depend on how busy the machine is: it says how far the client is from being the bound
    figure(`  client CPU per page (user + system)`, `${number((cpu.user + cpu.system) / 1000 / received, 3)} ms`)
    figure(`  client RSS max during the run`, `${number(rssMax / 1024 / 1024)} MB`)
    if (heap.length > 0) figure(`  heap after GC every 1,000 pages`, heap.map((mb) => number(mb)).join(" ") + " MB")
  }).pipe(Effect.scoped, Effect.provide(HttpSource.nodeClient()))

const main = async () => {
  const { child, port } = await startServer()
  try {
    console.log(`server: 127.0.0.1:${port}, ${latencyMs} ms fixed latency, one record per page (own process)`)
    figure("client RSS / heap after GC before the runs", `${peakRssMb()} / ${number(heapAfterGcMb())} MB`)
    await Effect.runPromise(run(port, 1, sequentialPages))
    await Effect.runPromise(run(port, 8, pages))
    await Effect.runPromise(run(port, 32, pages))
    figure("peak RSS (client process)", `${peakRssMb()} MB`, "flat, < 200 MB")
    figure("heap after GC at the end", `${number(heapAfterGcMb())} MB`)
  } finally {
    child.kill()
  }
}

if (process.argv.includes("--server")) {
  serve()
} else {
  main().catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
}
