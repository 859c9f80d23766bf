import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import type * as Asset from "../Asset.js"
import type * as AssetGraph from "../AssetGraph.js"
import { AssetState, type AssetStateError, type AssetStateService, stepKey } from "../AssetState.js"
import * as DataVersion from "../DataVersion.js"
import { EventLog, type EventLogError } from "../EventLog.js"
import * as ExecutionPlan from "../ExecutionPlan.js"
import type { ExecuteOptions, RunResult, StepFailure } from "../Materializer.js"
import type * as Partitions from "../Partitions.js"
import * as RetryPolicy from "../RetryPolicy.js"
import { describeCause, type Metadata, type RunEvent, type RunStatus } from "../RunEvent.js"
import { SourceMonitor, type SourceMonitorService } from "../SourceMonitor.js"

type Outcome = "pending" | "succeeded" | "failed" | "skipped" | "unchanged"

/** A readable, sortable run id: UTC timestamp plus randomness. */
export const makeRunId: Effect.Effect<string> = Effect.gen(function*() {
  const now = new Date(yield* Clock.currentTimeMillis)
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)
  const suffix = (yield* Random.nextIntBetween(0, 0xffffff)).toString(16).padStart(6, "0")
  return `${stamp}-${suffix}`
})

class StepTimeout {
  readonly _tag = "StepTimeout"
  constructor(readonly message: string) {}
}

class CheckFailed {
  readonly _tag = "AssetCheckFailed"
  constructor(readonly message: string) {}
}

/** What a step reports as `rows` or `bytes`, when it is not a count: `undefined` when it is one. */
const notACount = (name: "rows" | "bytes", value: number | undefined): string | undefined =>
  value === undefined || (Number.isSafeInteger(value) && value >= 0)
    ? undefined
    : `the step reported ${name} = ${String(value)}: ${name} is a count, a whole number of 0 or more`

const causePolicies = new WeakMap<RetryPolicy.RetryPolicy, RetryPolicy.RetryPolicy>()

/**
 * A step's policy over the causes of its attempts: a defect (a throw, a rejected promise) is retried like a failure, as
 * Dagster retries any exception, with `retryOn` and `delayFromError` seeing the defect as the error; an interruption
 * never is. Built once per policy: a step is the hot path.
 */
const overCauses = (policy: RetryPolicy.RetryPolicy): RetryPolicy.RetryPolicy => {
  let derived = causePolicies.get(policy)
  if (derived === undefined) {
    const errorOf = (cause: unknown): Option.Option<unknown> =>
      Cause.isCause(cause) && !Cause.isInterrupted(cause)
        ? Option.orElse(Cause.failureOption(cause), () => Cause.dieOption(cause))
        : Option.none()
    derived = RetryPolicy.modify(policy, {
      retryOn: (cause) => Option.exists(errorOf(cause), policy.retryOn),
      delayFromError: (cause) => Option.flatMap(errorOf(cause), policy.delayFromError)
    })
    causePolicies.set(policy, derived)
  }
  return derived
}

const unparsed: unique symbol = Symbol("unparsed")

/**
 * The context a step's materialize function receives. A class rather than an object literal: it is built once per step on
 * the hot path, and the partition value (a zoned time window, say) is only computed if the asset reads it.
 */
class StepContextImpl implements Asset.StepContext {
  attempt = 0
  rows: number | undefined = undefined
  bytes: number | undefined = undefined
  metadata: Metadata = {}
  /** Why a reported result was refused (the first one), which fails the step: a NaN would be logged as null. */
  invalid: string | undefined = undefined
  readonly assetKey: Asset.StepContext["assetKey"]
  readonly partitionKey: string | undefined
  readonly previousDataVersion: string | undefined
  readonly reason: ExecutionPlan.StepReason
  readonly checkpoint: Asset.CheckpointHandle
  private parsed: unknown = unparsed

  constructor(
    readonly runId: string,
    step: ExecutionPlan.PlannedStep,
    readonly forced: boolean,
    private readonly definition: Partitions.PartitionsDefinition | undefined,
    readonly upstream: ReadonlyArray<Asset.UpstreamInput>,
    private readonly assetState: AssetStateService,
    private readonly emit: (event: RunEvent) => Effect.Effect<void, EventLogError>
  ) {
    this.assetKey = step.assetKey
    this.partitionKey = step.partitionKey
    this.previousDataVersion = step.previous?.dataVersion ?? undefined
    this.reason = step.reason
    const assetKey = step.assetKey
    const partitionKey = step.partitionKey ?? null
    this.checkpoint = {
      get: (name = "default") => assetState.getCheckpoint(assetKey, partitionKey, name),
      set: (value, name = "default") =>
        Effect.flatMap(
          Clock.currentTimeMillis,
          (updatedAt) => assetState.setCheckpoint({ assetKey, partitionKey, name, value, updatedAt })
        ),
      clear: (name) => assetState.clearCheckpoint(assetKey, partitionKey, name)
    }
  }

  get partition(): unknown {
    if (this.parsed === unparsed) {
      // The planner produced this key from this very definition, so it parses; a failure here is a bug, hence a throw.
      this.parsed = this.definition === undefined || this.partitionKey === undefined
        ? undefined
        : Either.getOrThrow(this.definition.parse(this.partitionKey))
    }
    return this.parsed
  }

  /** Adds a result to what the step reports: rows and bytes add up, metadata merges. */
  add(result: Asset.MaterializeResult): void {
    this.invalid ??= notACount("rows", result.rows ?? undefined) ?? notACount("bytes", result.bytes ?? undefined)
    if (result.rows != null) this.rows = (this.rows ?? 0) + result.rows
    if (result.bytes != null) this.bytes = (this.bytes ?? 0) + result.bytes
    if (result.metadata !== undefined) this.metadata = { ...this.metadata, ...result.metadata }
  }

  report = (result: Asset.MaterializeResult): Effect.Effect<void> => Effect.sync(() => this.add(result))

  progress = (done: number, total?: number, unit = "items"): Effect.Effect<void> =>
    Effect.flatMap(Clock.currentTimeMillis, (timestamp) =>
      Effect.orDie(this.emit({
        _tag: "Progress",
        runId: this.runId,
        timestamp,
        assetKey: this.assetKey,
        partitionKey: this.partitionKey ?? null,
        done,
        total: total ?? null,
        unit,
        message: null
      })))

  addDynamicPartitions = (name: string, keys: ReadonlyArray<string>) => this.assetState.addDynamicPartitions(name, keys)
}

/**
 * Watches a run's sources: a `SourceProgress` event every `interval` while their figures change, in a fiber of the
 * scope. Gives the final report, which stops the sampling, appends the figures once more if they changed and ends the
 * watch — before `RunFinished`, so whoever sees the run finished also finds what the monitor stores at the end.
 */
const watchSources = (
  monitor: SourceMonitorService,
  runId: string,
  emit: (event: RunEvent) => Effect.Effect<void, EventLogError>
): Effect.Effect<Effect.Effect<void>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const watch = yield* Effect.flatMap(Effect.scope, (scope) => Scope.fork(scope, ExecutionStrategy.sequential))
    const sample = yield* Scope.extend(monitor.watch(runId), watch)
    let lastCounts = "[]"
    let lastWritten = "[]"
    const report = (final: boolean) =>
      Effect.gen(function*() {
        const sources = (yield* sample).filter((source) => source.requests > 0 || source.errors > 0)
        // Rates and latencies drift on their own: a sample is worth an event when a count or a breaker moved. The final
        // report is written whenever it differs at all, so the last event holds the run's final figures.
        const counts = JSON.stringify(sources.map(({ p95LatencyMs: _, recordsPerSecond: __, ...figures }) => figures))
        const written = JSON.stringify(sources)
        if (final ? written === lastWritten : counts === lastCounts) return
        lastCounts = counts
        lastWritten = written
        yield* emit({ _tag: "SourceProgress", runId, timestamp: yield* Clock.currentTimeMillis, sources })
      }).pipe(Effect.catchAll((error) => Effect.logWarning(`Could not record the sources' progress: ${error.message}`)))
    const sampling = yield* Effect.forkIn(
      Effect.repeat(report(false), Schedule.spaced(monitor.interval)).pipe(Effect.delay(monitor.interval)),
      watch
    )
    return Effect.zipRight(Fiber.interrupt(sampling), report(true)).pipe(
      Effect.ensuring(Scope.close(watch, Exit.void))
    )
  })

/** @internal */
export const execute = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  plan: ExecutionPlan.ExecutionPlan,
  options: ExecuteOptions = {}
) =>
  Effect.scoped(Effect.gen(function*() {
    const eventLog = yield* EventLog
    const assetState = yield* AssetState
    const runId = options.runId ?? (yield* makeRunId)
    const concurrency = options.concurrency ?? 4
    if (!(concurrency >= 1)) {
      return yield* Effect.dieMessage(`concurrency must be at least 1 (or Infinity), not ${concurrency}`)
    }
    const startedAt = yield* Clock.currentTimeMillis
    const steps = ExecutionPlan.runnable(plan)
    const n = steps.length

    const emit = (event: RunEvent) => eventLog.append([event])
    // Log annotations per asset, built once on top of the caller's: one HashMap.set per step instead of a fresh map.
    const callerAnnotations = yield* FiberRef.get(FiberRef.currentLogAnnotations)
    const annotationsByAsset = new Map<string, HashMap.HashMap<string, unknown>>()
    const annotationsOf = (assetKey: string) => {
      let annotations = annotationsByAsset.get(assetKey)
      if (annotations === undefined) {
        annotations = HashMap.set(HashMap.set(callerAnnotations, "runId", runId), "asset", assetKey)
        annotationsByAsset.set(assetKey, annotations)
      }
      return annotations
    }
    // What a step without a code version records when it reports no data version: new in every run. A run id can be
    // started again (a run resumed after a restart), so the start's time and a random nonce make each start's own.
    const nonce = (yield* Random.nextIntBetween(0, 0x7fffffff)).toString(36)
    const freshVersion = DataVersion.fresh(`${runId}@${startedAt}#${nonce}`)

    // Current data version of every step this run reads or writes, from the ledger, then from this run's results. Keyed by
    // the plan's step objects (the planner shares one object per step): identity hashing, not id strings, on the hot path.
    const versions = new Map<ExecutionPlan.UpstreamStep, string>()
    const inPlan = new Set<ExecutionPlan.UpstreamStep>(plan.steps)
    const outside = new Set<ExecutionPlan.UpstreamStep>()
    for (const step of plan.steps) {
      // "" is a version like any other: only null means none (as the planner reads it)
      const previousVersion = step.previous?.dataVersion
      if (previousVersion != null) versions.set(step, previousVersion)
      for (const up of step.upstream) if (!inPlan.has(up)) outside.add(up)
    }
    if (outside.size > 0) {
      const stored = new Map<string, string>()
      const assetKeys = [...new Set([...outside].map((up) => up.assetKey))]
      for (const record of yield* assetState.list({ assetKeys })) {
        if (record.dataVersion !== null) {
          stored.set(stepKey(record.assetKey, record.partitionKey), record.dataVersion)
        }
      }
      for (const up of outside) {
        const version = stored.get(up.id)
        if (version !== undefined) {
          versions.set(up, version)
        }
      }
    }

    const position = new Map<ExecutionPlan.UpstreamStep, number>()
    steps.forEach((step, i) => position.set(step, i))
    const remaining = new Int32Array(n)
    const dependents: Array<Array<number>> = Array.from({ length: n }, () => [])
    steps.forEach((step, i) => {
      for (const up of step.upstream) {
        const j = position.get(up)
        if (j !== undefined) {
          remaining[i]++
          dependents[j].push(i)
        }
      }
    })
    const outcome: Array<Outcome> = new Array(n).fill("pending")
    const blockedBy: Array<string | undefined> = new Array(n).fill(undefined)
    const failures: Array<StepFailure> = []
    let completed = 0
    let succeeded = 0
    let failed = 0
    let skipped = plan.steps.length - n

    // A worker never waits for a pool: a step whose pool is full is parked, and the worker takes the next ready step.
    // The pool's next step to finish puts one parked step back in the queue. (Waiting workers would hold the run's
    // concurrency while steps outside the pool, or in another, could run.)
    interface Pool {
      readonly limit: number
      running: number
      readonly parked: Array<number>
    }
    const pools = new Map<string, Pool>()
    for (const [pool, limit] of Object.entries(options.pools ?? {})) {
      pools.set(pool, { limit: Math.max(1, limit), running: 0, parked: [] })
    }

    const ready = yield* Queue.unbounded<number>()
    const STOP = -1
    const workers = Math.min(Math.floor(concurrency), n)

    const monitor = yield* Effect.serviceOption(SourceMonitor)
    let lastSourceReport: Effect.Effect<void> = Effect.void

    /** Records a finished step and releases the steps waiting on it; skips cascade without touching the queue. */
    const complete = (first: number): Effect.Effect<void, EventLogError> =>
      Effect.suspend(() => {
        const released: Array<number> = []
        const blocked: Array<number> = []
        const stack = [first]
        while (stack.length > 0) {
          const i = stack.pop()!
          completed++
          const failedHere = outcome[i] === "failed" || (outcome[i] === "skipped" && blockedBy[i] !== undefined)
          for (const d of dependents[i]) {
            if (failedHere && blockedBy[d] === undefined) blockedBy[d] = blockedBy[i] ?? steps[i].id
            if (--remaining[d] > 0) continue
            if (blockedBy[d] !== undefined) {
              outcome[d] = "skipped"
              skipped++
              blocked.push(d)
              stack.push(d)
            } else {
              released.push(d)
            }
          }
        }
        if (completed === n) { for (let w = 0; w < workers; w++) released.push(STOP) }
        const offer = released.length === 0 ? Effect.void : Queue.offerAll(ready, released)
        if (blocked.length === 0) return offer
        return Effect.flatMap(Clock.currentTimeMillis, (timestamp) =>
          Effect.zipRight(
            eventLog.append(blocked.map((d): RunEvent => ({
              _tag: "StepSkipped",
              runId,
              timestamp,
              assetKey: steps[d].assetKey,
              partitionKey: steps[d].partitionKey ?? null,
              reason: "UpstreamFailed",
              message: `upstream step ${blockedBy[d]} failed`
            }))),
            offer
          ))
      })

    const upstreamUnchanged = (step: ExecutionPlan.PlannedStep): boolean =>
      step.reason === "UpstreamPlanned" && step.previous !== undefined &&
      step.upstream.every((up) => !position.has(up) || versions.get(up) === step.previous!.upstreamVersions[up.id])

    /** A step whose upstream steps produced the same data versions as last time: skipped, with no work. */
    const skipUnchanged = (i: number) =>
      Effect.suspend(() => {
        const step = steps[i]
        outcome[i] = "unchanged"
        skipped++
        return Effect.flatMap(Clock.currentTimeMillis, (timestamp) =>
          emit({
            _tag: "StepSkipped",
            runId,
            timestamp,
            assetKey: step.assetKey,
            partitionKey: step.partitionKey ?? null,
            reason: "UpstreamUnchanged",
            message: "its upstream steps produced the same data versions as last time"
          }))
      })

    const runStep = (i: number, asset: Asset.Asset<E, R>) =>
      Effect.map(materializeStep(asset, steps[i]), (result) => {
        // the step is counted with its state (materializeStep, recordFailure)
        outcome[i] = result._tag
      })

    const materializeStep = (asset: Asset.Asset<E, R>, step: ExecutionPlan.PlannedStep) =>
      Effect.gen(function*() {
        const partitionKey = step.partitionKey ?? null
        const base = { runId, assetKey: step.assetKey, partitionKey }
        const start = yield* Clock.currentTimeMillis
        const upstream = step.upstream.map((up) => ({
          id: up.id,
          assetKey: up.assetKey,
          partitionKey: up.partitionKey,
          dataVersion: versions.get(up)
        }))
        // a forced run's step, or one an interrupted forced run left to do (`Forced` without this run's force)
        const forced = plan.force || step.reason === "Forced"
        const context = new StepContextImpl(runId, step, forced, asset.partitions, upstream, assetState, emit)
        const logAnnotations = step.partitionKey === undefined
          ? annotationsOf(step.assetKey)
          : HashMap.set(annotationsOf(step.assetKey), "partition", step.partitionKey)

        const timeout = asset.timeout === undefined ? undefined : Duration.decode(asset.timeout)
        const oneAttempt = Effect.suspend(() => {
          const attempt = ++context.attempt
          // what a failed attempt reported is not the step's result: the retry does its work again
          context.rows = undefined
          context.bytes = undefined
          context.metadata = {}
          context.invalid = undefined
          const run = Effect.flatMap(Clock.currentTimeMillis, (timestamp) =>
            Effect.zipRight(
              Effect.orDie(emit({ _tag: "StepStarted", ...base, timestamp, attempt })),
              // The step's logger: `Effect.log*` inside an asset carries the run, asset and partition. Built lazily, so
              // a materialize function that throws fails an attempt whose StepStarted is logged.
              Effect.locally(Effect.suspend(() => asset.run(context)), FiberRef.currentLogAnnotations, logAnnotations)
            ))
          return timeout === undefined ? run : Effect.timeoutFail(run, {
            duration: timeout,
            onTimeout: () => new StepTimeout(`timed out after ${Duration.format(timeout)}`)
          })
        })
        const attempts = asset.retryPolicy === undefined ?
          oneAttempt :
          Effect.unsandbox(RetryPolicy.retryWith(Effect.sandbox(oneAttempt), overCauses(asset.retryPolicy), {
            onRetry: (retry, cause, delay) =>
              Effect.flatMap(Clock.currentTimeMillis, (timestamp) =>
                Effect.orDie(emit({
                  _tag: "StepRetrying",
                  ...base,
                  timestamp,
                  attempt: retry,
                  delayMs: Duration.toMillis(delay),
                  error: describeCause(cause).message
                })))
          }))

        // An interrupt-only failure here is the step's own (an interruption of the run stops this fiber before its
        // exit is looked at): the step failed, its siblings go on.
        const exit = yield* Effect.exit(attempts)
        const now = yield* Clock.currentTimeMillis
        const attempt = context.attempt
        if (Exit.isFailure(exit)) {
          // The failure's message is what is recorded; a defect's stack trace is for whoever debugs the asset.
          if (Option.isSome(Cause.dieOption(exit.cause))) yield* Effect.logDebug(`${step.id} died`, exit.cause)
          return yield* recordFailure(step, describeCause(exit.cause), attempt, start, now)
        }

        const result = exit.value ?? {}
        context.add(result)
        if (context.invalid !== undefined) {
          return yield* recordFailure(step, { tag: "InvalidResult", message: context.invalid }, attempt, start, now)
        }
        // Keyed by step ids, unique across the run: a prototype-less object stays a plain dictionary instead of making V8
        // build a hidden class per key (9× faster here).
        const upstreamVersions: Record<string, string> = Object.create(null)
        for (const up of upstream) if (up.dataVersion !== undefined) upstreamVersions[up.id] = up.dataVersion
        const dataVersion = result.dataVersion ??
          (asset.codeVersion === undefined
            ? freshVersion
            : ExecutionPlan.defaultDataVersion(asset, runId, Object.entries(upstreamVersions)))
        const { bytes, metadata, rows } = context
        const materialization: RunEvent = {
          _tag: "Materialization",
          ...base,
          timestamp: now,
          dataVersion,
          codeVersion: asset.codeVersion ?? null,
          rows: rows ?? null,
          bytes: bytes ?? null,
          durationMs: now - start,
          metadata
        }

        if (asset.checks.length > 0) {
          yield* emit(materialization)
          for (const check of asset.checks) {
            const checkExit = yield* Effect.exit(check.evaluate({
              runId,
              assetKey: step.assetKey,
              partitionKey: step.partitionKey,
              rows,
              bytes,
              dataVersion,
              metadata
            }))
            const outcome = Exit.isSuccess(checkExit)
              ? checkExit.value
              : { passed: false, message: `check raised ${describeCause(checkExit.cause).message}` }
            const evaluatedAt = yield* Clock.currentTimeMillis
            yield* emit({
              _tag: "CheckEvaluated",
              ...base,
              timestamp: evaluatedAt,
              checkName: check.name,
              passed: outcome.passed,
              severity: check.severity,
              message: outcome.message ?? (outcome.passed ? "passed" : "failed"),
              metadata: outcome.metadata ?? {}
            })
            if (!outcome.passed && check.severity === "Error") {
              const error = new CheckFailed(`check "${check.name}" failed: ${outcome.message ?? "no message"}`)
              return yield* recordFailure(
                step,
                { tag: error._tag, message: error.message },
                attempt,
                start,
                evaluatedAt
              )
            }
          }
        }
        // The step ends after its checks: its closing events are stamped then, and its duration includes them.
        const end = asset.checks.length > 0 ? yield* Clock.currentTimeMillis : now

        versions.set(step, dataVersion)
        // The state, the count and the closing events are one unit: a stop (which waits for it; it is short) cannot leave
        // a step that the state and the run's figures record as materialized without its events.
        return yield* Effect.uninterruptible(Effect.gen(function*() {
          yield* assetState.put([{
            assetKey: step.assetKey,
            partitionKey,
            status: "Materialized",
            runId,
            updatedAt: end,
            dataVersion,
            codeVersion: asset.codeVersion ?? null,
            materializedAt: now,
            upstreamVersions,
            error: null
          }])
          succeeded++
          const succeededEvent: RunEvent = {
            _tag: "StepSucceeded",
            ...base,
            timestamp: end,
            durationMs: end - start,
            dataVersion,
            attempts: attempt
          }
          // One append for both: half the log writes on the hot path.
          yield* eventLog.append(asset.checks.length > 0 ? [succeededEvent] : [materialization, succeededEvent])
          return { _tag: "succeeded" as const }
        }))
      })

    /** Records a failed step: its state, its count and its StepFailed in one unit, as a success (materializeStep). */
    const recordFailure = (
      step: ExecutionPlan.PlannedStep,
      error: { readonly tag: string; readonly message: string },
      attempts: number,
      start: number,
      now: number
    ) =>
      Effect.uninterruptible(Effect.gen(function*() {
        const previous = step.previous
        yield* assetState.put([{
          assetKey: step.assetKey,
          partitionKey: step.partitionKey ?? null,
          status: "Failed",
          runId,
          updatedAt: now,
          dataVersion: previous?.dataVersion ?? null,
          codeVersion: previous?.codeVersion ?? null,
          materializedAt: previous?.materializedAt ?? null,
          upstreamVersions: previous?.upstreamVersions ?? {},
          error: error.message
        }])
        failed++
        failures.push({ stepId: step.id, errorTag: error.tag, message: error.message })
        yield* emit({
          _tag: "StepFailed",
          runId,
          timestamp: now,
          assetKey: step.assetKey,
          partitionKey: step.partitionKey ?? null,
          durationMs: now - start,
          attempts,
          errorTag: error.tag,
          error: error.message
        })
        return { _tag: "failed" as const }
      }))

    const leave = (pool: Pool) =>
      Effect.suspend(() => {
        pool.running--
        const next = pool.parked.shift()
        return next === undefined ? Effect.void : Queue.offer(ready, next)
      })

    const worker = Effect.gen(function*() {
      while (true) {
        const i = yield* Queue.take(ready)
        if (i === STOP) return
        if (upstreamUnchanged(steps[i])) {
          // no work: it takes no place in its pool
          yield* skipUnchanged(i)
        } else {
          const asset = Option.getOrThrow(graph.get(steps[i].assetKey))
          const pool = asset.pool === undefined ? undefined : pools.get(asset.pool)
          if (pool === undefined) {
            yield* runStep(i, asset)
          } else if (pool.running >= pool.limit) {
            pool.parked.push(i)
            continue
          } else {
            pool.running++
            yield* Effect.ensuring(runStep(i, asset), leave(pool))
          }
        }
        yield* complete(i)
      }
    })

    // Set once the run's RunFinished is on its way: an interruption after that must not finish the run twice.
    let finished = false
    const finish = (status: RunStatus) =>
      Effect.gen(function*() {
        finished = true
        const now = yield* Clock.currentTimeMillis
        const result: RunResult = {
          runId,
          status,
          durationMs: now - startedAt,
          succeeded,
          failed,
          // stopped, every step of the plan that did not succeed or fail did not run, the up-to-date ones included as
          // in a finished run (a step is counted with its state, possibly before its step completes)
          skipped: status === "Interrupted" ? plan.steps.length - succeeded - failed : skipped,
          failures
        }
        yield* lastSourceReport
        yield* emit({
          _tag: "RunFinished",
          runId,
          timestamp: now,
          status,
          durationMs: result.durationMs,
          succeeded: result.succeeded,
          failed: result.failed,
          skipped: result.skipped
        })
        yield* eventLog.flush
        return result
      }).pipe(Effect.uninterruptible)

    const run = Effect.gen(function*() {
      if (Option.isSome(monitor)) lastSourceReport = yield* watchSources(monitor.value, runId, emit)
      if (n === 0) return yield* finish("Success")
      for (let i = 0; i < n; i++) if (remaining[i] === 0) yield* Queue.offer(ready, i)
      yield* Effect.all(Array.from({ length: workers }, () => worker), {
        concurrency: "unbounded",
        discard: true
      })
      return yield* finish(failed > 0 ? "Failure" : "Success")
    })

    // From RunStarted on, every way out of the run records how it ended, not "Running" forever: a stop (while the run
    // is still setting up, too) leaves it "Interrupted", an error of the stores (a step's state not written) "Failure".
    // The caller gets the original error even when the event log is what failed.
    const finishOnExit = <A, E>(exit: Exit.Exit<A, E>) =>
      finished || Exit.isSuccess(exit)
        ? Effect.void
        : Cause.isInterruptedOnly(exit.cause)
        ? Effect.orDie(finish("Interrupted"))
        : Effect.ignore(finish("Failure"))
    return yield* Effect.uninterruptibleMask((restore) =>
      Effect.zipRight(
        emit({
          _tag: "RunStarted",
          runId,
          timestamp: startedAt,
          selection: options.selection ?? plan.selection.join(","),
          partitions: plan.partitions ?? null,
          plannedSteps: n,
          skippedSteps: plan.steps.length - n,
          tags: options.tags ?? {},
          ...(plan.only === "All" ? {} : { only: plan.only }),
          ...(plan.force ? { force: true } : {}),
          asOf: plan.asOf
        }),
        restore(run).pipe(Effect.onExit(finishOnExit))
      )
    )
  }))

/** @internal */
export const finishAbandonedRuns: Effect.Effect<
  ReadonlyArray<string>,
  EventLogError | AssetStateError,
  EventLog | AssetState
> = Effect.gen(
  function*() {
    const log = yield* EventLog
    const abandoned = (yield* log.runs()).filter((run) => run.status === "Running")
    // A step's state is written before its events, which wait up to the log's flush interval: a killed process can
    // leave steps recorded in the state without their events. The state counts them.
    const recorded = abandoned.length === 0 ? [] : yield* (yield* AssetState).list()
    for (const run of abandoned) {
      let succeeded = 0
      let failed = 0
      let unplanned = 0
      let skipped = 0
      let last = run.startedAt
      for (const { event } of yield* log.query({ runId: run.runId })) {
        last = Math.max(last, event.timestamp)
        // A run id started again (a run resumed after a restart) counts from its latest start, the one abandoned.
        if (event._tag === "RunStarted") {
          succeeded = failed = skipped = 0
          unplanned = event.skippedSteps
        } else if (event._tag === "StepSucceeded") succeeded++
        else if (event._tag === "StepFailed") failed++
        else if (event._tag === "StepSkipped") skipped++
      }
      const mine = recorded.filter((record) => record.runId === run.runId && record.updatedAt >= run.startedAt)
      succeeded = Math.max(succeeded, mine.filter((record) => record.status === "Materialized").length)
      failed = Math.max(failed, mine.filter((record) => record.status === "Failed").length)
      // As a run stopped in this process is finished: the steps that never ran count as skipped. It ended when its
      // last event was written.
      yield* log.append([{
        _tag: "RunFinished",
        runId: run.runId,
        timestamp: last,
        status: "Interrupted",
        durationMs: last - run.startedAt,
        succeeded,
        failed,
        skipped: unplanned + Math.max(skipped, run.plannedSteps - succeeded - failed)
      }])
    }
    if (abandoned.length > 0) yield* log.flush
    return abandoned.map((run) => run.runId)
  }
)
