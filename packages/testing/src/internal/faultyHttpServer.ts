import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type * as Net from "node:net"
import type * as FaultyHttpServer from "../FaultyHttpServer.js"
import * as plan from "./faultPlan.js"
import * as JsonBody from "./jsonBody.js"

const LOG_CAPACITY = 10_000

const emptyFaults = (): Record<FaultyHttpServer.FaultKind, number> => ({
  serverError: 0,
  rateLimit: 0,
  hang: 0,
  truncate: 0,
  malformed: 0,
  reset: 0,
  outage: 0
})

/**
 * Mutable counters; only touched from Node's event loop, so plain fields are enough.
 *
 * @internal
 */
export class Counters {
  requests = 0
  byPath: Record<string, number> = {}
  inFlight = 0
  maxInFlight = 0
  faults = emptyFaults()
  statuses: Record<string, number> = {}
  drifted = 0
  log: Array<FaultyHttpServer.LogEntry> = []

  reset(): void {
    this.requests = 0
    this.byPath = {}
    this.maxInFlight = this.inFlight
    this.faults = emptyFaults()
    this.statuses = {}
    this.drifted = 0
    this.log = []
  }

  record(entry: FaultyHttpServer.LogEntry): void {
    if (entry.httpStatus !== null) {
      const key = String(entry.httpStatus)
      this.statuses[key] = (this.statuses[key] ?? 0) + 1
    }
    this.log.push(entry)
    // Trim in batches so the bound costs amortised O(1) per request.
    if (this.log.length >= LOG_CAPACITY + 1_000) this.log.splice(0, this.log.length - LOG_CAPACITY)
  }

  snapshot(): FaultyHttpServer.Stats {
    return {
      requests: this.requests,
      byPath: { ...this.byPath },
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      faults: { ...this.faults },
      statuses: { ...this.statuses },
      drifted: this.drifted,
      log: this.log.slice(-LOG_CAPACITY)
    }
  }
}

interface Encoded {
  readonly status: number
  readonly headers: Record<string, string>
  readonly bytes: Uint8Array
}

const encode = (response: FaultyHttpServer.Response, body: unknown): Encoded => {
  let bytes: Uint8Array
  let contentType: string | undefined
  if (body === undefined) {
    bytes = new Uint8Array(0)
  } else if (typeof body === "string") {
    bytes = Buffer.from(body, "utf8")
    contentType = "text/plain; charset=utf-8"
  } else if (body instanceof Uint8Array) {
    bytes = body
    contentType = "application/octet-stream"
  } else {
    bytes = JsonBody.encode(body)
    contentType = "application/json; charset=utf-8"
  }
  const headers: Record<string, string> = contentType === undefined ? {} : { "content-type": contentType }
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = value
  return { status: response.status, headers, bytes }
}

const isJsonBody = (body: unknown): boolean =>
  body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array)

const jsonError = (status: number, error: string, extra?: Record<string, unknown>): Encoded =>
  encode({ status }, { error, status, ...extra })

// Starts like a PNCP page and stops mid-string: what a proxy cutting a response short looks like.
const MALFORMED_BODY = "{\"data\":[{\"numeroControlePNCP\":\"00394460000141-1-000001/2024\",\"valorTotalEstimado\":"

const toRequest = (req: Http.IncomingMessage, url: URL): FaultyHttpServer.Request => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers }
}

const matches = (route: FaultyHttpServer.Route, method: string, path: string): boolean =>
  (route.method === undefined || route.method.toUpperCase() === method) &&
  (typeof route.path === "string" ? route.path === path : route.path.test(path))

const runHandler = (
  handler: FaultyHttpServer.Handler,
  request: FaultyHttpServer.Request
): Effect.Effect<FaultyHttpServer.Response> =>
  Effect.suspend(() => {
    const result = handler(request)
    return Effect.isEffect(result) ? result : Effect.succeed(result)
  }).pipe(
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause) ? Effect.interrupt : Effect.succeed({
        status: 500,
        body: { error: "handler failed", detail: Cause.pretty(cause) }
      })
    )
  )

/** A plan `make` and `setFaults` accept, or the typed error naming its first bad field. */
const checkPlan = (faults: FaultyHttpServer.FaultPlan): Effect.Effect<void, plan.FaultyHttpServerError> =>
  Effect.suspend(() => {
    const error = plan.check(faults)
    return error === undefined ? Effect.void : Effect.fail(error)
  })

/** @internal */
export const make = (
  options: FaultyHttpServer.Options
): Effect.Effect<FaultyHttpServer.FaultyHttpServer, plan.FaultyHttpServerError, Scope.Scope> =>
  Effect.gen(function*() {
    yield* checkPlan(options.faults ?? {})
    const counters = new Counters()
    const perUrl = new Map<string, number>()
    const sockets = new Set<Net.Socket>()
    const fibers = new Set<Fiber.RuntimeFiber<void>>()
    let faults: FaultyHttpServer.FaultPlan = options.faults ?? {}
    let startedAt = Date.now()
    // Set when the scope starts closing: from then on a request that still gets through forks no fiber.
    let closed = false

    const send = (res: Http.ServerResponse, encoded: Encoded): void => {
      res.writeHead(encoded.status, { ...encoded.headers, "content-length": String(encoded.bytes.length) })
      res.end(encoded.bytes)
    }

    const listener = (req: Http.IncomingMessage, res: Http.ServerResponse): void => {
      if (closed) {
        req.socket.destroy()
        return
      }
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      const request = toRequest(req, url)
      const { method, path } = request
      counters.requests++
      counters.byPath[path] = (counters.byPath[path] ?? 0) + 1
      counters.inFlight++
      counters.maxInFlight = Math.max(counters.maxInFlight, counters.inFlight)
      let open = true
      // `close` fires once the response is done or the connection died, which is exactly "no longer in flight".
      res.once("close", () => {
        open = false
        counters.inFlight--
      })
      const query = plan.sortedQuery(url.searchParams)
      const log = (status: number | FaultyHttpServer.FaultKind, httpStatus: number | null, n: number, ms: number) =>
        counters.record({ method, path, query, n, status, httpStatus, latencyMs: ms, at: Date.now() })

      const route = options.routes.find((r) => matches(r, method, path))
      if (route === undefined) {
        send(res, jsonError(404, "Not Found", { path }))
        log(404, 404, 0, 0)
        return
      }
      const key = plan.requestKey(method, path, url.searchParams)
      const n = perUrl.get(key) ?? 0
      perUrl.set(key, n + 1)
      const current = faults
      const decision = plan.decide(current, key, n, Date.now() - startedAt)
      const fault = decision.fault
      const latencyMs = Math.round(decision.latencyMs)

      const respond = Effect.gen(function*() {
        if (latencyMs > 0) yield* Effect.sleep(Duration.millis(latencyMs))
        if (!open) {
          // The client gave up while we were "slow"; nginx's 499 names that. No status line went on the wire.
          log(499, null, n, latencyMs)
          return
        }
        if (fault !== undefined) counters.faults[fault]++
        switch (fault) {
          case "outage": {
            send(res, jsonError(503, "Service Unavailable", { reason: "outage" }))
            return log(fault, 503, n, latencyMs)
          }
          case "serverError": {
            send(res, jsonError(decision.serverStatus, "Server Error"))
            return log(fault, decision.serverStatus, n, latencyMs)
          }
          case "rateLimit": {
            const retryAfter = String(Math.max(0, Math.ceil(current.retryAfterSeconds ?? 1)))
            const encoded = jsonError(429, "Too Many Requests")
            send(res, { ...encoded, headers: { ...encoded.headers, "retry-after": retryAfter } })
            return log(fault, 429, n, latencyMs)
          }
          case "hang":
            return log(fault, null, n, latencyMs)
          case "reset": {
            req.socket.destroy()
            return log(fault, null, n, latencyMs)
          }
          case "malformed": {
            send(res, {
              status: 200,
              headers: { "content-type": "application/json; charset=utf-8" },
              bytes: Buffer.from(MALFORMED_BODY)
            })
            return log(fault, 200, n, latencyMs)
          }
        }
        const response = yield* runHandler(route.handler, request)
        let body = response.body
        if (current.drift !== undefined && isJsonBody(body)) {
          body = current.drift(body, request)
          counters.drifted++
        }
        const encoded = yield* Effect.try(() => encode(response, body)).pipe(
          Effect.orElseSucceed(() => jsonError(500, "response body could not be encoded"))
        )
        if (!open) return log(499, null, n, latencyMs)
        if (fault === "truncate") {
          const declared = Math.max(encoded.bytes.length, 2)
          res.writeHead(encoded.status, { ...encoded.headers, "content-length": String(declared) })
          // Destroy only once the half body has reached the kernel, so the client really sees a short body.
          res.write(encoded.bytes.subarray(0, Math.floor(encoded.bytes.length / 2)), () => req.socket.destroy())
          return log(fault, encoded.status, n, latencyMs)
        }
        send(res, encoded)
        log(encoded.status, encoded.status, n, latencyMs)
      })

      // A bad response (an invalid status or header from a handler) must not leave the request hanging.
      const guarded = respond.pipe(
        Effect.catchAllCause((cause) =>
          Cause.isInterruptedOnly(cause) ? Effect.interrupt : Effect.sync(() => {
            if (open && !res.headersSent) {
              send(res, jsonError(500, "response could not be sent", { detail: Cause.pretty(cause) }))
              log(500, 500, n, latencyMs)
            } else {
              req.socket.destroy()
            }
          })
        )
      )
      // The default runtime (not the caller's) so latency and handlers run on real time even under `TestClock`.
      const fiber = Effect.runFork(guarded)
      fibers.add(fiber)
      fiber.addObserver(() => fibers.delete(fiber))
    }

    const server = yield* Effect.acquireRelease(
      Effect.async<Http.Server>((resume) => {
        const server = Http.createServer(listener)
        server.on("connection", (socket) => {
          if (closed) {
            socket.destroy()
            return
          }
          sockets.add(socket)
          socket.once("close", () => sockets.delete(socket))
        })
        server.once("error", (error) => resume(Effect.die(error)))
        server.listen(0, options.host ?? "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      // Stop taking requests first, then interrupt what runs: interrupting first let requests arrive meanwhile, and
      // their fibers (forked after the interruption began) were waited for, not interrupted.
      (server) =>
        Effect.gen(function*() {
          yield* Effect.async<void>((resume) => {
            closed = true
            server.close(() => resume(Effect.void))
            server.closeAllConnections()
            for (const socket of sockets) socket.destroy()
          })
          // A fiber's interruption may run a handler's clean-up; loop until none is left.
          while (fibers.size > 0) yield* Fiber.interruptAll(Array.from(fibers))
        })
    )
    startedAt = Date.now()
    const address = server.address()
    // `listen` on a host and port always yields an AddressInfo; a string only comes from pipes and sockets.
    const port = typeof address === "object" && address !== null ? address.port : 0
    const service: FaultyHttpServer.FaultyHttpServer = {
      url: `http://127.0.0.1:${port}`,
      port,
      stats: Effect.sync(() => counters.snapshot()),
      resetStats: Effect.sync(() => counters.reset()),
      setFaults: (next) =>
        Effect.map(checkPlan(next), () => {
          faults = next
        })
    }
    return service
  })
