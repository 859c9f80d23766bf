import * as EventLog from "@baliza/core/EventLog"
import type * as Materializer from "@baliza/core/Materializer"
import type * as ExtractMetrics from "@baliza/extract/ExtractMetrics"
import * as HttpSourceMonitor from "@baliza/extract/HttpSourceMonitor"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import * as NodeProcess from "node:process"

interface Tally {
  planned: number
  succeeded: number
  failed: number
  retries: number
  rows: number
  bytes: number
  readonly active: Set<string>
  readonly started: number
}

/** @internal The id of the step an event is about (`key`, or `key[partition]`), as the plan names it. */
export const stepOf = (event: { readonly assetKey: string; readonly partitionKey: string | null }) =>
  event.partitionKey === null ? event.assetKey : `${event.assetKey}[${event.partitionKey}]`

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`

/** @internal One progress line: steps, rows, throughput, retries, memory, and the steps in flight. */
export const line = (tally: Tally, now: number): string => {
  const seconds = Math.max(0.001, (now - tally.started) / 1000)
  const done = tally.succeeded + tally.failed
  const eta = done > 0 && tally.planned > done ? ` · ETA ${Math.round((seconds / done) * (tally.planned - done))}s` : ""
  const active = [...tally.active].slice(0, 3).join(", ")
  return `[${seconds.toFixed(0)}s] steps ${done}/${tally.planned} (${tally.failed} failed, ${tally.retries} retries)` +
    ` · ${tally.rows.toLocaleString("en")} rows · ${Math.round(tally.rows / seconds)} rows/s · ${mb(tally.bytes)}` +
    `${eta} · rss ${mb(NodeProcess.memoryUsage().rss)}${active === "" ? "" : ` · running ${active}`}`
}

/**
 * @internal
 * Runs `self` while printing progress on stderr: a line per endpoint from `details` (when given) and a footer from the
 * event log, every 2 s, redrawn in place on a terminal and printed as plain lines every 10 s otherwise; nothing with
 * `json`.
 */
export const reporting = <A, E, R, R2 = never>(
  self: Effect.Effect<A, E, R>,
  options: { readonly json: boolean; readonly details?: Effect.Effect<ReadonlyArray<string>, never, R2> | undefined }
) =>
  options.json ? self : Effect.scoped(Effect.gen(function*() {
    const log = yield* EventLog.EventLog
    const events = yield* log.subscribe
    const tally: Tally = {
      planned: 0,
      succeeded: 0,
      failed: 0,
      retries: 0,
      rows: 0,
      bytes: 0,
      active: new Set(),
      started: Date.now()
    }
    const consume = Effect.forever(Effect.map(Queue.take(events), ({ event }) => {
      switch (event._tag) {
        case "RunStarted":
          tally.planned += event.plannedSteps
          break
        case "StepStarted":
          tally.active.add(stepOf(event))
          break
        case "StepRetrying":
          tally.retries++
          break
        case "StepSucceeded":
          tally.succeeded++
          tally.active.delete(stepOf(event))
          break
        case "StepFailed":
          tally.failed++
          tally.active.delete(stepOf(event))
          break
        case "Materialization":
          tally.rows += event.rows ?? 0
          tally.bytes += event.bytes ?? 0
          break
      }
    }))
    const tty = NodeProcess.stderr.isTTY === true
    const width = Math.max(40, (NodeProcess.stderr.columns ?? 160) - 1)
    let drawn = 0
    const print = Effect.gen(function*() {
      const block = [...(options.details === undefined ? [] : yield* options.details), line(tally, Date.now())]
      if (!tty) return yield* Console.error(block.join("\n"))
      // Up over the last block, then each line cleared and rewritten.
      const up = drawn > 1 ? `\x1b[${drawn - 1}A` : ""
      drawn = block.length
      yield* Effect.sync(() =>
        NodeProcess.stderr.write(`\r${up}${block.map((text) => `\x1b[2K${text.slice(0, width)}`).join("\n")}`)
      )
    })
    const consumer = yield* Effect.fork(consume)
    const every = tty ? "2 seconds" : "10 seconds"
    const printer = yield* Effect.fork(Effect.repeat(print, Schedule.spaced(every)).pipe(Effect.delay(every)))
    const result = yield* self
    yield* Fiber.interrupt(printer)
    yield* Fiber.interrupt(consumer)
    if (tty && drawn > 0) yield* Effect.sync(() => NodeProcess.stderr.write("\n"))
    return result
  }))

/** @internal The run's result on stdout: one JSON object, or a few lines for people. */
export const summary = (result: Materializer.RunResult, options: { readonly json: boolean }) =>
  options.json
    ? Console.log(JSON.stringify(result))
    : Effect.gen(function*() {
      yield* Console.log(
        `${result.status}: ${result.succeeded} step(s) succeeded, ${result.failed} failed, ${result.skipped} skipped ` +
          `in ${(result.durationMs / 1000).toFixed(1)} s (run ${result.runId})`
      )
      for (const failure of result.failures.slice(0, 20)) {
        yield* Console.log(`  failed ${failure.stepId}: ${failure.errorTag}: ${failure.message}`)
      }
      if (result.failures.length > 20) yield* Console.log(`  … and ${result.failures.length - 20} more`)
    })

/** @internal One line per endpoint that has made requests: pages, records, rates, retries, errors, latency, breaker. */
export const endpointLines = (
  snapshot: ExtractMetrics.Snapshot,
  breakers: ReadonlyMap<string, string>
): ReadonlyArray<string> =>
  snapshot.endpoints.filter((e) => e.requests > 0).map((e) => {
    const f = HttpSourceMonitor.figures(e, breakers.get(e.endpoint))
    // Of the pages announced by the series started so far (the rest of the run's series are not counted yet).
    const pages = f.pagesExpected > f.pages ? `${f.pages}/${f.pagesExpected}` : String(f.pages)
    return `  ${f.source.padEnd(28)} ${pages.padStart(11)} pages ${
      f.records.toLocaleString("en").padStart(10)
    } records ${
      Math.round(f.recordsPerSecond).toLocaleString("en").padStart(7)
    }/s  retries ${f.retries}  errors ${f.errors}` +
      `  p95 ${Math.round(f.p95LatencyMs)} ms${
        f.breaker === null || f.breaker === "Closed" ? "" : `  breaker ${f.breaker}`
      }`
  })
