/**
 * As `main.ts`, importing the modules by their subpaths (`@baliza/core/Partitions/TimeWindow`): the `.d.ts` must then
 * name the types through other public modules, which this file does not import.
 */
import * as Multi from "@baliza/core/Partitions/Multi"
import * as Static from "@baliza/core/Partitions/Static"
import * as TimeWindow from "@baliza/core/Partitions/TimeWindow"
import * as Tables from "@baliza/duckdb/Tables"
import * as AdaptiveConcurrency from "@baliza/extract/AdaptiveConcurrency"
import * as ExtractMetrics from "@baliza/extract/ExtractMetrics"
import type * as PncpFake from "@baliza/pncp/PncpFake"
import * as FaultyHttpServer from "@baliza/testing/FaultyHttpServer"

export const window = TimeWindow.makeEither({ cadence: "monthly", start: "2024-01-01" })
export const windowOf = TimeWindow.windowOf(TimeWindow.monthly({ start: "2024-01-01" }), "2024-03")
export const dimensions = Multi.makeEither({ uf: Static.make(["SP"]) })
export const decimal = Tables.columnType("DECIMAL(18,2)")
export const overload = AdaptiveConcurrency.overload("Timeout")
export const snapshot = (state: ExtractMetrics.State) => ({ state, at: ExtractMetrics.summarize(state, 0) })
export const make = (options: FaultyHttpServer.Options) => FaultyHttpServer.make(options)
export const volumes = (options: PncpFake.Options) => options.volumes
export const drift = (options: PncpFake.Options) => options.drift
