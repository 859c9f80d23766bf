/**
 * The run queue and the schedules through the server, over real HTTP on 127.0.0.1 with the PNCP pipeline against its
 * fake and a real DuckDB file: priorities, delays, cancels, restarts.
 */
import { Partitions, type RunEvent, RunSchedule } from "@baliza/core"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import { Pipeline, PncpFake, Warehouse } from "@baliza/pncp"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as NodePath from "node:path"
import * as Housekeeping from "../src/Housekeeping.js"
import * as Server from "../src/Server.js"
import type { QueuedRun, ScheduleInfo } from "../src/ServerApi.js"
import { readEvents, tempDir, waitFor } from "./helpers.js"

const json = <A = unknown>(url: string, init?: RequestInit) =>
  Effect.tryPromise(async (signal) => {
    const response = await fetch(url, { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(20_000)]) })
    return { status: response.status, body: await response.json() as A }
  })

const post = <A = unknown>(url: string, body?: unknown) =>
  json<A>(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })

/** The PNCP fake and a directory for the warehouse, for the scope. */
const fixture = Effect.gen(function*() {
  const dir = yield* tempDir
  const fake = yield* PncpFake.make({ scale: 0.02 })
  const graph = yield* Pipeline.graph
  const path = NodePath.join(dir, "w.duckdb")
  /** Starts a server on the warehouse file, in the current scope; returns its URL. */
  const serve = (options: Omit<Server.Options<never, never>, "graph"> = {}) =>
    Effect.gen(function*() {
      const server = Server.layer({
        graph,
        port: 0,
        housekeeping: [],
        runDefaults: { context: Partitions.context({ now: Date.parse("2024-08-15T12:00:00Z") }), concurrency: 8 },
        ...options
      }).pipe(
        Layer.provide(Warehouse.layer({ path, client: { consultaUrl: fake.consultaUrl, detailsUrl: fake.detailsUrl } }))
      )
      return yield* Effect.provide(Server.url, yield* Layer.build(server))
    })
  return { path, serve }
})

const queueOf = (base: string) => Effect.map(json<ReadonlyArray<QueuedRun>>(`${base}/api/queue`), (r) => r.body)
const byId = (queue: ReadonlyArray<QueuedRun>, runId: string) => queue.find((run) => run.runId === runId)

const run = { selection: "pncp/raw/contratos", partitions: "2024-07-01" }

describe("Server: queue and schedules", () => {
  it.scopedLive(
    "queued runs go by priority, one at a time; a cancelled one never runs; a delayed one waits",
    () =>
      Effect.gen(function*() {
        const { serve } = yield* fixture
        const base = yield* serve({ maxConcurrentRuns: 1 })
        const due = Date.now() + 1_500
        const launch = (body: object) =>
          Effect.map(post<QueuedRun>(`${base}/api/runs`, { ...run, ...body }), (response) => {
            assert.strictEqual(response.status, 202, JSON.stringify(response.body))
            return response.body
          })
        // Launched low priority first; all due at the same instant.
        const low = yield* launch({ priority: 8, notBefore: due })
        const high = yield* launch({ priority: 1, notBefore: due })
        const doomed = yield* launch({ priority: 1, notBefore: due })
        const later = yield* launch({ priority: 1, notBefore: Date.now() + 3_600_000 })
        assert.include(low, { status: "queued", priority: 8, notBefore: due, source: "api", attempts: 0 })
        assert.include(low, { selection: run.selection, partitions: run.partitions, force: false })
        assert.match(low.runId, /^\d{8}-\d{6}-[0-9a-f]{6}$/)
        const defaults = yield* launch({ notBefore: due + 60_000 })
        assert.strictEqual(defaults.priority, 5)

        const before = yield* queueOf(base)
        assert.deepStrictEqual(
          before.map((each) => each.runId),
          [high.runId, doomed.runId, later.runId, defaults.runId, low.runId]
        )
        assert.isTrue(before.every((each) => each.status === "queued"))

        assert.deepStrictEqual((yield* post(`${base}/api/runs/${doomed.runId}/cancel`)).body, { cancelled: true })
        assert.deepStrictEqual((yield* post(`${base}/api/runs/${doomed.runId}/cancel`)).body, { cancelled: false })
        assert.strictEqual((yield* post(`${base}/api/runs/19990101-000000-000000/cancel`)).status, 404)
        assert.deepStrictEqual((yield* post(`${base}/api/runs/${defaults.runId}/cancel`)).body, { cancelled: true })
        const afterCancel = yield* queueOf(base)
        assert.include(byId(afterCancel, doomed.runId)!, { status: "cancelled", startedAt: null })

        // Not before they are due.
        yield* Effect.sleep("500 millis")
        const early = yield* queueOf(base)
        if (Date.now() < due) {
          assert.isTrue(early.every((each) => each.status !== "running" && each.status !== "done"))
        }

        const settled = yield* waitFor(
          "the two due runs to finish",
          Effect.map(queueOf(base), (queue) =>
            [high, low].every((each) => byId(queue, each.runId)?.status === "done") ? queue : undefined),
          { timeout: "40 seconds", interval: "100 millis" }
        )
        const [ranHigh, ranLow] = [byId(settled, high.runId)!, byId(settled, low.runId)!]
        assert.include(ranHigh, { outcome: "Success", attempts: 1 })
        assert.include(ranLow, { outcome: "Success", attempts: 1 })
        assert.isAtLeast(ranHigh.startedAt!, due)
        // Priority first, and one at a time: the low one starts once the high one is done.
        assert.isAtLeast(ranLow.startedAt!, ranHigh.finishedAt!)
        assert.include(byId(settled, doomed.runId)!, { status: "cancelled", startedAt: null, attempts: 0 })
        assert.include(byId(settled, later.runId)!, { status: "queued", startedAt: null, attempts: 0 })
        // One run's place, finished or not, as the list has it; a run the queue does not hold is a 404.
        for (const each of [high, later, doomed]) {
          const one = yield* json<QueuedRun>(`${base}/api/queue/${each.runId}`)
          assert.strictEqual(one.status, 200)
          assert.deepStrictEqual(one.body, byId(settled, each.runId))
        }
        const unknown = yield* json<{ readonly _tag: string }>(`${base}/api/queue/19990101-000000-000000`)
        assert.strictEqual(unknown.status, 404)
        assert.strictEqual(unknown.body._tag, "RunNotFound")
        // The runs themselves: the two that ran are in the history, the cancelled one never started.
        assert.strictEqual((yield* json(`${base}/api/runs/${high.runId}`)).status, 200)
        assert.strictEqual((yield* json(`${base}/api/runs/${doomed.runId}`)).status, 404)
        assert.strictEqual((yield* json(`${base}/api/runs/${later.runId}`)).status, 404)
        // Order of the list: still-queued first, then the finished ones, latest first.
        assert.deepStrictEqual(
          settled.map((each) =>
            each.runId
          ).slice(0, 2),
          [later.runId, low.runId]
        )

        // A launch out of range is refused.
        assert.strictEqual((yield* post(`${base}/api/runs`, { ...run, priority: 11 })).status, 400)
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "a restart keeps the queued runs, and queues again the run it interrupted",
    () =>
      Effect.gen(function*() {
        const { serve } = yield* fixture
        const { interrupted, waiting } = yield* Effect.scoped(Effect.gen(function*() {
          const base = yield* serve()
          const waiting = (yield* post<QueuedRun>(`${base}/api/runs`, { ...run, notBefore: Date.now() + 3_600_000 }))
            .body
          // A long run, stopped as soon as it runs.
          const interrupted = (yield* post<QueuedRun>(`${base}/api/runs`, {
            selection: "pncp/raw/contratos",
            partitions: "2024-07-01..2024-07-10"
          })).body
          yield* waitFor(
            "the long run to start a step",
            Effect.map(
              json<ReadonlyArray<RunEvent.StoredEvent>>(`${base}/api/runs/${interrupted.runId}/log`),
              (log) => log.body.some((stored) => stored.event._tag === "StepStarted") ? true : undefined
            ),
            { timeout: "10 seconds", interval: "20 millis" }
          )
          return { interrupted, waiting }
        }))

        const base = yield* serve()
        // Its event stream goes through both attempts to the run's last RunFinished, and ends there; a client that
        // had an event of the first attempt resumes to the same end.
        const events = `${base}/api/runs/${interrupted.runId}/events`
        const whole = yield* readEvents(events)
        assert.isTrue(whole.ended)
        assert.deepStrictEqual(
          whole.events.flatMap((each) => each.event === "RunFinished" ? [each.data.status] : []),
          ["Interrupted", "Success"]
        )
        assert.strictEqual(whole.events.filter((each) => each.event === "RunStarted").length, 2)
        assert.strictEqual(whole.events.at(-1)?.event, "RunFinished")
        const fromFirst = yield* readEvents(events, { "last-event-id": String(whole.events[1]?.id) })
        assert.deepStrictEqual(fromFirst.events.map((each) => each.id), whole.events.slice(2).map((each) => each.id))
        const after = yield* queueOf(base)
        assert.deepStrictEqual(byId(after, waiting.runId), waiting, "the delayed run, unchanged")
        // The interrupted run was queued again at the stop, and the new server starts it again.
        const resumed = yield* waitFor(
          "the interrupted run to finish",
          Effect.map(queueOf(base), (queue) => {
            const found = byId(queue, interrupted.runId)
            return found?.status === "done" ? found : undefined
          }),
          { timeout: "30 seconds", interval: "100 millis" }
        )
        assert.include(resumed, { outcome: "Success", attempts: 2, source: "api" })
        const summary = yield* json<{ readonly status: string }>(`${base}/api/runs/${interrupted.runId}`)
        assert.strictEqual(summary.body.status, "Success")
        // Started twice under one id, it is one run in the history: its last start and the finish after it.
        const history = yield* json<ReadonlyArray<{ readonly runId: string; readonly status: string }>>(
          `${base}/api/runs`
        )
        assert.deepStrictEqual(
          history.body.filter((run) => run.runId === interrupted.runId).map((run) => run.status),
          ["Success"]
        )
      }),
    { timeout: 90_000 }
  )

  it.scopedLive(
    "a per-second schedule queues runs through the API; a restart fires no tick twice",
    () =>
      Effect.gen(function*() {
        const { path, serve } = yield* fixture
        const options = {
          schedules: [
            RunSchedule.make({
              name: "every-second",
              cron: "* * * * * *",
              selection: run.selection,
              partitions: () => "2024-07-01",
              priority: 3
            })
          ],
          housekeeping: [Housekeeping.healthCheck({ cron: "* * * * * *", minFreeBytes: 1 })]
        }
        const schedulesOf = (base: string) =>
          Effect.map(json<ReadonlyArray<ScheduleInfo>>(`${base}/api/schedules`), (r) => r.body)
        const startedAt = Date.now()
        const first = yield* Effect.scoped(Effect.gen(function*() {
          const base = yield* serve(options)
          const schedules = yield* waitFor(
            "two ticks of each schedule",
            Effect.map(schedulesOf(base), (all) =>
              all.every((each) =>
                  each.lastTicks.filter((tick) => tick.status === "succeeded").length >= 2
                )
                ? all
                : undefined),
            { timeout: "6 seconds" }
          )
          return { schedules, queue: yield* queueOf(base) }
        }))
        const [materialize, health] = first.schedules
        assert.deepStrictEqual(
          first.schedules.map((each) => [each.name, each.kind, each.selection]),
          [["every-second", "materialize", run.selection], ["health-check", "housekeeping", null]]
        )
        assert.isAbove(materialize!.nextTick!, startedAt)
        assert.match(health!.lastTicks[0]!.message!, /GiB free$/)
        for (
          const tick of materialize!.lastTicks.filter((each) => each.status === "succeeded")
        ) {
          assert.strictEqual(tick.message, `queued ${run.selection} for 2024-07-01`)
          assert.include(byId(first.queue, tick.runId!)!, {
            source: "schedule:every-second",
            priority: 3,
            partitions: "2024-07-01",
            selection: run.selection
          })
        }

        // Down for more than a tick, then up again until it ticks.
        yield* Effect.sleep("1200 millis")
        const reopened = Date.now()
        yield* Effect.scoped(Effect.gen(function*() {
          const base = yield* serve(options)
          yield* waitFor(
            "a tick after the restart",
            Effect.map(schedulesOf(base), (all) => all[0]!.lastTicks.some((tick) => tick.tick > reopened) || undefined),
            { timeout: "4 seconds" }
          )
        }))

        const { ticks, runs } = yield* Effect.gen(function*() {
          const ticks = yield* DuckDB.query(
            `SELECT CAST(tick AS DOUBLE) AS tick, status, run_id FROM meta.schedule_ticks
           WHERE schedule = 'every-second' ORDER BY tick`
          )
          const runs = yield* DuckDB.query(
            `SELECT run_id FROM meta.run_queue WHERE source = 'schedule:every-second' ORDER BY run_id`
          )
          return { ticks, runs: runs.map((row) => String(row.run_id)) }
        }).pipe(Effect.provide(DuckDB.layer({ path })))
        const tickTimes = ticks.map((row) => Number(row.tick))
        assert.strictEqual(new Set(tickTimes).size, tickTimes.length)
        assert.isTrue(ticks.every((row) => row.status === "succeeded"), JSON.stringify(ticks))
        // One queued run per tick, none twice.
        const tickRuns = ticks.map((row) => String(row.run_id))
        assert.strictEqual(new Set(tickRuns).size, tickRuns.length)
        assert.deepStrictEqual([...tickRuns].sort(), runs)
        assert.isTrue(tickTimes.some((tick) => tick > reopened), "ticks after the restart are recorded")
      }),
    { timeout: 60_000 }
  )
})
