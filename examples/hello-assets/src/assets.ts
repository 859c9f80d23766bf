/**
 * A small partitioned weather graph:
 *
 * ```text
 * weather/raw/readings (daily)  →  weather/staging/daily_summary (daily)  →  weather/marts/monthly_stats (monthly)
 *                                                                          →  weather/marts/report (unpartitioned)
 * ```
 *
 * The readings are generated deterministically from the day, and a simulated sensor gateway drops the first request of
 * every 10th day, so the retry policy has something to do. Everything is kept in memory by the `Warehouse` service.
 */
import {
  Asset,
  AssetCheck,
  AssetGraph,
  AssetState,
  DataVersion,
  EventLog,
  type Materializer,
  PartitionMapping,
  Partitions,
  RetryPolicy
} from "@baliza/core"
import { Effect, Layer, Option, Schema } from "effect"

// ---------------------------------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------------------------------

/** One hourly reading of the (single) station. */
export const Reading = Schema.Struct({ hour: Schema.Int, temperatureC: Schema.Number, humidity: Schema.Number })
export type Reading = typeof Reading.Type

export const DailySummary = Schema.Struct({
  day: Schema.String,
  minC: Schema.Number,
  maxC: Schema.Number,
  meanC: Schema.Number,
  readings: Schema.Int
})
export type DailySummary = typeof DailySummary.Type

export const MonthlyStats = Schema.Struct({
  month: Schema.String,
  days: Schema.Int,
  meanC: Schema.Number,
  hottestDay: Schema.String,
  hottestC: Schema.Number
})
export type MonthlyStats = typeof MonthlyStats.Type

/** What can go wrong in this graph; stored in the event log, so a `Schema.TaggedError` with a message. */
export class WeatherError extends Schema.TaggedError<WeatherError>()("WeatherError", {
  reason: Schema.Literal("GatewayTimeout", "MissingInput"),
  message: Schema.String
}) {}

const round1 = (n: number): number => Math.round(n * 10) / 10

/** mulberry32: a tiny seeded PRNG, so every day always gets the same readings. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** 24 hourly readings for a day (`YYYY-MM-DD`): a daily cycle around a seasonal mean, plus noise. */
export const generateReadings = (day: string): ReadonlyArray<Reading> => {
  const [year, month, date] = day.split("-").map(Number)
  const next = random(year * 10_000 + month * 100 + date)
  // Southern hemisphere: January is summer.
  const seasonal = 22 + 6 * Math.cos(((month - 1) / 12) * 2 * Math.PI) + (next() - 0.5) * 4
  return Array.from({ length: 24 }, (_, hour) => ({
    hour,
    temperatureC: round1(seasonal + 5 * Math.sin(((hour - 9) / 24) * 2 * Math.PI) + (next() - 0.5) * 2),
    humidity: round1(55 + 20 * Math.cos(((hour - 4) / 24) * 2 * Math.PI) + (next() - 0.5) * 10)
  }))
}

// ---------------------------------------------------------------------------------------------------------------------
// Storage: an in-memory "warehouse" with one table per asset, keyed by partition
// ---------------------------------------------------------------------------------------------------------------------

const makeTable = <A>() => {
  const rows = new Map<string, A>()
  return {
    put: (partition: string, value: A) => Effect.sync(() => void rows.set(partition, value)),
    get: (partition: string) => Effect.sync(() => Option.fromNullable(rows.get(partition))),
    size: Effect.sync(() => rows.size)
  }
}

export class Warehouse extends Effect.Service<Warehouse>()("@baliza/example-hello-assets/Warehouse", {
  sync: () => ({
    readings: makeTable<ReadonlyArray<Reading>>(),
    dailySummaries: makeTable<DailySummary>(),
    monthlyStats: makeTable<MonthlyStats>(),
    reports: makeTable<string>()
  })
}) {}

const required = <A>(table: string, partition: string, row: Effect.Effect<Option.Option<A>>) =>
  Effect.flatMap(row, (found) =>
    Option.match(found, {
      onNone: () => new WeatherError({ reason: "MissingInput", message: `${table} has no row for ${partition}` }),
      onSome: Effect.succeed
    }))

// ---------------------------------------------------------------------------------------------------------------------
// Partitions
// ---------------------------------------------------------------------------------------------------------------------

export const days = Partitions.TimeWindow.daily({ start: "2024-01-01" })
export const months = Partitions.TimeWindow.monthly({ start: "2024-01" })

/** A fixed clock for the partition sets: the example gives the same plan whatever the date. */
export const context = Partitions.context({ now: Date.parse("2024-03-15T12:00:00Z") })

/** Materialize January 2024: the raw and staging days, and (derived through the mapping) the month and the report. */
export const januaryOptions: Materializer.MaterializeOptions = {
  partitions: "2024-01-01..2024-01-31",
  context,
  concurrency: 4,
  pools: { sensor_gateway: 2 }
}

// ---------------------------------------------------------------------------------------------------------------------
// Assets
// ---------------------------------------------------------------------------------------------------------------------

const isGatewayTimeout = (error: unknown): boolean => error instanceof WeatherError && error.reason === "GatewayTimeout"

export const readings = Asset.make({
  key: "weather/raw/readings",
  description: "Hourly readings from the sensor gateway",
  layer: "raw",
  group: "weather",
  tags: { source: "sensor_gateway", owner: "data" },
  schema: Reading,
  partitions: days,
  codeVersion: "1",
  pool: "sensor_gateway",
  timeout: "10 seconds",
  retryPolicy: RetryPolicy.make({ maxAttempts: 3, baseDelay: "200 millis", retryOn: isGatewayTimeout }),
  checks: [
    AssetCheck.make({
      name: "full_day",
      description: "24 hourly readings",
      severity: "Warn",
      evaluate: (c) =>
        Effect.succeed(c.rows === 24 ? AssetCheck.pass() : AssetCheck.fail(`expected 24 readings, got ${c.rows}`))
    })
  ],
  materialize: (ctx) =>
    Effect.gen(function*() {
      // The partition value is the day's window; format gives back its key.
      const day = days.format(ctx.partition)
      if (Number(day.slice(8)) % 10 === 0 && ctx.attempt === 1) {
        return yield* new WeatherError({ reason: "GatewayTimeout", message: `sensor gateway timed out for ${day}` })
      }
      const rows = generateReadings(day)
      const warehouse = yield* Warehouse
      yield* warehouse.readings.put(day, rows)
      // A content hash: if the gateway ever returns the same data, what is downstream is skipped as unchanged.
      return { rows: rows.length, dataVersion: DataVersion.hash(JSON.stringify(rows)) }
    })
})

const plausible = AssetCheck.make({
  name: "plausible_temperature",
  description: "Temperatures between -40 °C and 50 °C",
  evaluate: ({ metadata }) =>
    Effect.succeed(
      typeof metadata.minC === "number" && typeof metadata.maxC === "number" && metadata.minC >= -40 &&
        metadata.maxC <= 50
        ? AssetCheck.pass("within -40..50 °C", { minC: metadata.minC, maxC: metadata.maxC })
        : AssetCheck.fail(`implausible temperatures: ${JSON.stringify(metadata)}`)
    )
})

export const dailySummary = Asset.make({
  key: "weather/staging/daily_summary",
  description: "Min, max and mean temperature per day",
  layer: "staging",
  group: "weather",
  schema: DailySummary,
  partitions: days,
  deps: [readings], // same daily partitions on both sides: the identity mapping is inferred
  codeVersion: "1",
  checks: [plausible],
  materialize: (ctx) =>
    Effect.gen(function*() {
      const day = days.format(ctx.partition)
      const warehouse = yield* Warehouse
      const rows = yield* required(readings.key, day, warehouse.readings.get(day))
      const temperatures = rows.map((r) => r.temperatureC)
      const summary: DailySummary = {
        day,
        minC: Math.min(...temperatures),
        maxC: Math.max(...temperatures),
        meanC: round1(temperatures.reduce((a, b) => a + b, 0) / temperatures.length),
        readings: rows.length
      }
      yield* warehouse.dailySummaries.put(day, summary)
      return { rows: 1, metadata: { minC: summary.minC, maxC: summary.maxC, meanC: summary.meanC } }
    })
})

export const monthlyStats = Asset.make({
  key: "weather/marts/monthly_stats",
  description: "Mean temperature and hottest day per month",
  layer: "mart",
  group: "weather",
  tags: { tier: "gold" },
  schema: MonthlyStats,
  partitions: months,
  // Daily → monthly: each month needs every day it overlaps. Inferred for two time windows; spelled out here.
  deps: [{ asset: dailySummary, mapping: PartitionMapping.timeWindow() }],
  codeVersion: "1",
  materialize: (ctx) =>
    Effect.gen(function*() {
      const month = months.format(ctx.partition)
      const warehouse = yield* Warehouse
      const summaries: Array<DailySummary> = []
      for (const input of ctx.upstream) {
        // Days of the month that were never materialized have no data version yet.
        if (input.partitionKey === undefined || input.dataVersion === undefined) continue
        summaries.push(
          yield* required(dailySummary.key, input.partitionKey, warehouse.dailySummaries.get(input.partitionKey))
        )
      }
      if (summaries.length === 0) {
        return yield* new WeatherError({ reason: "MissingInput", message: `no daily summaries for ${month}` })
      }
      const hottest = summaries.reduce((a, b) => (b.maxC > a.maxC ? b : a))
      const stats: MonthlyStats = {
        month,
        days: summaries.length,
        meanC: round1(summaries.reduce((sum, s) => sum + s.meanC, 0) / summaries.length),
        hottestDay: hottest.day,
        hottestC: hottest.maxC
      }
      yield* warehouse.monthlyStats.put(month, stats)
      return { rows: 1, metadata: { days: stats.days, meanC: stats.meanC } }
    })
})

export const report = Asset.make({
  key: "weather/marts/report",
  description: "A text report over every month materialized so far",
  layer: "mart",
  group: "weather",
  tags: { tier: "gold", format: "text" },
  deps: [monthlyStats], // unpartitioned downstream of a partitioned asset: every month is an input
  codeVersion: "1",
  materialize: (ctx) =>
    Effect.gen(function*() {
      const warehouse = yield* Warehouse
      const lines: Array<string> = []
      for (const input of ctx.upstream) {
        if (input.partitionKey === undefined || input.dataVersion === undefined) continue
        const m = yield* required(monthlyStats.key, input.partitionKey, warehouse.monthlyStats.get(input.partitionKey))
        lines.push(`${m.month}: mean ${m.meanC} °C over ${m.days} days, hottest ${m.hottestDay} (${m.hottestC} °C)`)
      }
      yield* warehouse.reports.put("latest", lines.join("\n"))
      return { rows: lines.length }
    })
})

/** Every asset, in definition order. */
export const assets = [readings, dailySummary, monthlyStats, report] as const

/** The validated graph, or the `AssetGraphError` that explains why it is not valid. */
export const graph = AssetGraph.make(assets)

/** Everything the graph needs to run in memory: the event log, the asset state and the warehouse. */
export const layerMemory = Layer.mergeAll(EventLog.layerMemory, AssetState.layerMemory, Warehouse.Default)
