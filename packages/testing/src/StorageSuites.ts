/**
 * Behavioural suites every `EventLog` and `AssetState` implementation must pass. Written once, run against the in-memory
 * layers of `@baliza/core`, the DuckDB layers of `@baliza/duckdb`, and any store a user writes.
 *
 * **Details**
 *
 * - The suites register vitest tests (through `@effect/vitest`), so this module loads only inside vitest. It is not
 *   part of the main entry: import it as `@baliza/testing/StorageSuites`, from test files.
 * - Values are compared unwrapped (an `Option` through `Option.getOrNull`), so the suites do not depend on a setup
 *   file teaching chai to compare Options: chai's own deep equality finds every `Option` equal to every other.
 * - Tests share one store per suite and write under names of their own, so a store may hold other data.
 *
 * **Example**
 *
 * ```ts
 * import { AssetState, EventLog } from "@baliza/core"
 * import * as StorageSuites from "@baliza/testing/StorageSuites"
 *
 * StorageSuites.eventLogSuite("memory", EventLog.layerMemory)
 * StorageSuites.assetStateSuite("memory", AssetState.layerMemory)
 * ```
 *
 * @since 0.1.0
 */
import type * as AssetState from "@baliza/core/AssetState"
import type * as EventLog from "@baliza/core/EventLog"
import { describe, layer } from "@effect/vitest"
import type * as Layer from "effect/Layer"
import * as internal from "./internal/storageChecks.js"

/**
 * Runs the `EventLog` conformance suite against a layer: order, ids increasing within and across appends, paging
 * with `afterId`, filters, run summaries and subscriptions.
 *
 * @since 0.1.0
 * @category suites
 */
export const eventLogSuite = <E>(name: string, storeLayer: Layer.Layer<EventLog.EventLog, E>) =>
  describe(`EventLog conformance: ${name}`, () => {
    layer(storeLayer)((it) => {
      for (const check of internal.eventLogChecks) it.scoped(check.name, () => check.run)
    })
  })

/**
 * Runs the `AssetState` conformance suite against a layer: records, checkpoints and dynamic partitions.
 *
 * @since 0.1.0
 * @category suites
 */
export const assetStateSuite = <E>(name: string, storeLayer: Layer.Layer<AssetState.AssetState, E>) =>
  describe(`AssetState conformance: ${name}`, () => {
    layer(storeLayer)((it) => {
      for (const check of internal.assetStateChecks) it.scoped(check.name, () => check.run)
    })
  })
