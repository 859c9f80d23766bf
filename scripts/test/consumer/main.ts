/**
 * A user's program, outside the Baliza repository: two assets defined with @baliza/core and materialized into a DuckDB
 * file with @baliza/duckdb, then read back. Run by `pack.test.ts` against the packed tarballs.
 */
import { Asset, AssetGraph, Materializer } from "@baliza/core"
import { DuckDB, DuckDBAssetState, DuckDBEventLog, Tables } from "@baliza/duckdb"
import { Config, Console, Effect, Layer, Schema } from "effect"

const City = Schema.Struct({ name: Schema.String, state: Schema.String, population: Schema.Int })

const cities = Asset.make({
  key: "geo/raw/cities",
  layer: "raw",
  schema: City,
  materialize: () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE SCHEMA IF NOT EXISTS raw")
      yield* DuckDB.execute(Tables.createTable("raw.cities", City, { orReplace: true }))
      const rows = [
        { name: "São Paulo", state: "SP", population: 11_451_999 },
        { name: "Campinas", state: "SP", population: 1_139_047 },
        { name: "Recife", state: "PE", population: 1_488_920 }
      ]
      yield* DuckDB.appendRows("raw.cities", ["name", "state", "population"], rows)
      return { rows: rows.length }
    })
})

const byState = Asset.make({
  key: "geo/marts/population_by_state",
  layer: "mart",
  deps: [cities],
  materialize: () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE SCHEMA IF NOT EXISTS marts")
      const rows = yield* DuckDB.execute(`CREATE OR REPLACE TABLE marts.population_by_state AS
        SELECT state, sum(population)::BIGINT AS population FROM raw.cities GROUP BY state`)
      return { rows }
    })
})

const program = Effect.gen(function*() {
  const graph = yield* AssetGraph.make([cities, byState])
  const first = yield* Materializer.materialize(graph)
  const second = yield* Materializer.materialize(graph)
  const states = yield* DuckDB.query("SELECT state, population FROM marts.population_by_state ORDER BY state")
  yield* Console.log(JSON.stringify({
    first: { status: first.status, succeeded: first.succeeded },
    second: { status: second.status, succeeded: second.succeeded, skipped: second.skipped },
    states: states.map((row) => ({ state: String(row.state), population: Number(row.population) }))
  }))
})

const storage = Layer.mergeAll(DuckDBEventLog.layer(), DuckDBAssetState.layer).pipe(
  Layer.provideMerge(Layer.unwrapEffect(Effect.map(Config.string("CONSUMER_DB"), (path) => DuckDB.layer({ path }))))
)

Effect.runPromise(program.pipe(Effect.provide(storage))).catch((error: unknown) => {
  process.exitCode = 1
  throw error
})
