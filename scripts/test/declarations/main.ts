/**
 * A user's library built with `declaration: true`, importing the Baliza packages' barrels: every export below has an
 * inferred type, so its `.d.ts` must name each Baliza type by a path a user can import (never an internal module, which the
 * packages' `exports` block). Compiled by `declarations.test.ts`; `subpaths.ts` does the same through module subpaths.
 */
import { Partitions } from "@baliza/core"
import { Tables } from "@baliza/duckdb"
import { AdaptiveConcurrency, ExtractMetrics } from "@baliza/extract"
import { type PncpFake } from "@baliza/pncp"
import { FaultyHttpServer } from "@baliza/testing"

// Partitions: the error of every parse, selection and constructor.
export const days = Partitions.TimeWindow.daily({ start: "2024-07-01" })
export const day = days.parse("2024-07-01")
export const selected = Partitions.select(days, "2024-07-01", Partitions.context({ now: Date.UTC(2024, 7, 1) }))
export const key = Partitions.parseKey(days, "2024-07-01")
export const timeWindow = Partitions.TimeWindow.makeEither({ cadence: "daily", start: "2024-07-01" })
export const ufs = Partitions.Static.makeEither(["SP", "RJ"])
export const multi = Partitions.Multi.make({ day: days, uf: Partitions.Static.make(["SP", "RJ"]) })
export const split = Partitions.Multi.split(multi, "2024-07-01|SP")
export const dimension = Partitions.Multi.dimension(multi, "uf")
export const PartitionError = Partitions.PartitionError

// Tables: the column type annotation.
export const date = Tables.columnType("DATE")

// Extract: the signals of adaptive concurrency, the raw metrics.
export const success = AdaptiveConcurrency.success(10)
export const ignore = AdaptiveConcurrency.ignore
export const combined = (states: ReadonlyArray<ExtractMetrics.State>) => ExtractMetrics.combine(states)
export const counters = (state: ExtractMetrics.State) => state.endpoints["contratacoes"]

// Testing: the fake server's error.
export const server = FaultyHttpServer.make({ routes: [] })
export const serverLayer = FaultyHttpServer.layer({ routes: [], faults: { serverErrorRate: 0.1 } })
export const FaultyHttpServerError = FaultyHttpServer.FaultyHttpServerError

// PNCP: the fake's volume and drift options.
export const fakeOptions = (options: PncpFake.Options) => ({ volumes: options.volumes, drift: options.drift })
