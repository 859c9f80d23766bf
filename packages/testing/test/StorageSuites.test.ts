import { AssetState, EventLog, type RunEvent } from "@baliza/core"
import * as StorageSuites from "@baliza/testing/StorageSuites"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Option, PubSub } from "effect"
import * as ChildProcess from "node:child_process"
import { fileURLToPath } from "node:url"
import { chai } from "vitest"
import * as Checks from "../src/internal/storageChecks.js"

StorageSuites.eventLogSuite("memory", EventLog.layerMemory)
StorageSuites.assetStateSuite("memory", AssetState.layerMemory)

const ROOT = fileURLToPath(new URL("../../..", import.meta.url))

/**
 * Runs checks against a fresh store with chai's own deep equality, as in a user's project, which has none of the
 * repo's vitestSetup.ts (there every `Option` deep-equals every other). Gives the names of the checks that failed.
 */
const failingChecks = <E, S, I>(
  checks: ReadonlyArray<Checks.Check<E, I>>,
  store: Layer.Layer<I, S>
): Effect.Effect<ReadonlyArray<string>, S> =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const configured = chai.config.deepEqual
      chai.config.deepEqual = (expected, actual) => chai.util.eql(expected, actual)
      return configured
    }),
    () =>
      Effect.gen(function*() {
        const context = yield* Layer.build(store)
        const failed: Array<string> = []
        for (const check of checks) {
          const exit = yield* Effect.exit(Effect.scoped(Effect.provide(check.run, context)))
          if (Exit.isFailure(exit)) failed.push(check.name)
        }
        return failed
      }).pipe(Effect.scoped),
    (configured) => Effect.sync(() => (chai.config.deepEqual = configured))
  )

// A store that cannot read back a checkpoint, nor a partitioned record.
const forgetfulAssetState = Layer.effect(
  AssetState.AssetState,
  Effect.map(AssetState.makeMemory, (inner): AssetState.AssetStateService => ({
    ...inner,
    get: (assetKey, partitionKey) =>
      partitionKey === null ? inner.get(assetKey, partitionKey) : Effect.succeed(Option.none()),
    getCheckpoint: () => Effect.succeed(Option.none())
  }))
)

// A store whose ids restart at 1 on every append: unique and increasing within one append only.
const restartingIds = Layer.effect(
  EventLog.EventLog,
  Effect.gen(function*() {
    const events: Array<RunEvent.StoredEvent> = []
    const pubsub = yield* PubSub.unbounded<RunEvent.StoredEvent>()
    const service: EventLog.EventLogService = {
      append: (batch) =>
        Effect.suspend(() => {
          const stored = batch.map((event, i) => ({ id: i + 1, event }))
          events.push(...stored)
          return Effect.asVoid(PubSub.publishAll(pubsub, stored))
        }),
      query: (filter = {}) =>
        Effect.sync(() => {
          if (filter.limit !== undefined && filter.limit <= 0) return []
          const out = events.filter((stored) => EventLog.matches(filter, stored))
          return filter.limit === undefined ? out : out.slice(0, filter.limit)
        }),
      runs: (options) =>
        Effect.sync(() => {
          const all = EventLog.summarize(events.map((stored) => stored.event))
            .filter((run) => options?.runId === undefined || run.runId === options.runId)
          return options?.limit === undefined ? all : all.slice(0, Math.max(0, options.limit))
        }),
      subscribe: PubSub.subscribe(pubsub),
      flush: Effect.void
    }
    return service
  })
)

describe("StorageSuites", () => {
  it.effect("the AssetState checks reject a store that loses checkpoints and partitioned records, without a setup file", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* failingChecks(Checks.assetStateChecks, AssetState.layerMemory), [])
      assert.deepStrictEqual(yield* failingChecks(Checks.assetStateChecks, forgetfulAssetState), [
        "puts, gets and replaces records keyed by asset and partition",
        "keeps named checkpoints per step, overwrites, clears one or all"
      ])
    }))

  it.effect("the EventLog checks reject a store whose ids restart at 1 on every append", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* failingChecks(Checks.eventLogChecks, EventLog.layerMemory), [])
      assert.deepStrictEqual(yield* failingChecks(Checks.eventLogChecks, restartingIds), [
        "gives a later append ids above an earlier one's, and afterId pages across appends"
      ])
    }))

  it.effect(
    "the main entry loads in a plain node process, outside vitest (StorageSuites is a subpath of its own)",
    () =>
      Effect.gen(function*() {
        const script = "const m = await import('@baliza/testing'); console.log(Object.keys(m).sort().join(','))"
        // A clean environment: nothing of the vitest worker that runs this file.
        const env = Object.fromEntries(
          Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "NODE_OPTIONS")
        )
        const outcome = yield* Effect.async<
          { readonly code: number | null; readonly stdout: string; readonly stderr: string }
        >(
          (resume) => {
            const child = ChildProcess.execFile(
              process.execPath,
              ["--import", "tsx", "--input-type=module", "--eval", script],
              { cwd: ROOT, env, timeout: 60_000 },
              (error, stdout, stderr) =>
                resume(Effect.succeed({ code: error === null ? 0 : child.exitCode, stdout, stderr }))
            )
            return Effect.sync(() => child.kill("SIGKILL"))
          }
        )
        assert.strictEqual(outcome.code, 0, outcome.stderr.slice(0, 800))
        assert.strictEqual(outcome.stdout.trim(), "FaultyHttpServer,KillResume")
      }),
    90_000
  )
})
