import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Migrations from "@baliza/duckdb/Migrations"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Bookmark from "../Bookmark.js"
import type * as ExtractStoreError from "../ExtractStoreError.js"
import * as store from "./store.js"

/** @internal */
export const migrations = Migrations.make("extract/bookmarks", [{
  id: 1,
  name: "bookmarks",
  up: `
    CREATE SCHEMA IF NOT EXISTS meta;
    CREATE TABLE meta.bookmarks (
      name VARCHAR PRIMARY KEY,
      mode VARCHAR NOT NULL,
      field VARCHAR NOT NULL,
      value VARCHAR,
      completed BOOLEAN NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`
}])

const Value = Schema.Union(Schema.Number, Schema.String)

/** @internal */
export const State = Schema.Struct({
  name: Schema.String,
  mode: Schema.Literal("FullSync", "Incremental"),
  field: Schema.String,
  value: Schema.NullOr(Value),
  completed: Schema.Boolean,
  updatedAtMillis: Schema.Number
}).annotations({ identifier: "Bookmark.State" })

const Row = Schema.Struct({
  name: Schema.String,
  mode: Schema.Literal("FullSync", "Incremental"),
  field: Schema.String,
  value: Schema.NullOr(Schema.parseJson(Value)),
  completed: Schema.Boolean,
  updatedAtMillis: Schema.Number
})

const encodeValue = Schema.encodeSync(Schema.parseJson(Value))

/** @internal */
export const fullSync = (options: Bookmark.FullSyncOptions): Bookmark.FullSync => {
  const field = options.field ?? "id"
  return { _tag: "FullSync", name: options.name, field, param: options.param ?? `${field}__lt` }
}

/** @internal */
export const incremental = (options: Bookmark.IncrementalOptions): Bookmark.Incremental => {
  const field = options.field ?? "mod_ts"
  const overlap = Duration.decode(options.overlap ?? "30 minutes")
  return {
    _tag: "Incremental",
    name: options.name,
    field,
    param: options.param ?? `${field}__gte`,
    overlap,
    initialLookback: Duration.decode(options.initialLookback ?? overlap),
    format: options.format ?? ((millis) => new Date(millis).toISOString())
  }
}

/**
 * @internal A timestamp as epoch milliseconds: a number as is, a Date, or an ISO string (read as UTC when it has no
 * offset, so naive timestamps such as PNCP's compare and subtract consistently).
 */
export const timestampOf = (value: unknown): Option.Option<number> => {
  if (typeof value === "number" && Number.isFinite(value)) return Option.some(value)
  if (value instanceof Date && !Number.isNaN(value.getTime())) return Option.some(value.getTime())
  if (typeof value !== "string") return Option.none()
  const naive = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(value)
  const millis = Date.parse(naive ? `${value.replace(" ", "T")}${value.length === 10 ? "" : "Z"}` : value)
  return Number.isNaN(millis) ? Option.none() : Option.some(millis)
}

const fieldOf = (record: unknown, field: string): unknown =>
  typeof record === "object" && record !== null ? Reflect.get(record, field) : undefined

const compare = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0)

/** @internal The state after a batch of records was stored; `Left` with a message when a record cannot be read. */
export const step = (
  definition: Bookmark.Definition,
  current: Option.Option<Bookmark.State>,
  records: Iterable<unknown>,
  nowMillis: number
): Either.Either<Bookmark.State, string> => {
  const previous = Option.getOrNull(current)
  let value: number | string | null = previous?.value ?? null
  let seen = 0
  for (const record of records) {
    seen++
    const raw = fieldOf(record, definition.field)
    let next: number | string
    if (definition._tag === "Incremental") {
      const millis = timestampOf(raw)
      if (Option.isNone(millis)) {
        return Either.left(`a record's "${definition.field}" is not a timestamp: ${JSON.stringify(raw) ?? "undefined"}`)
      }
      next = millis.value
    } else {
      if (typeof raw !== "number" && typeof raw !== "string") {
        return Either.left(
          `a record's "${definition.field}" is not a number or string: ${JSON.stringify(raw) ?? "undefined"}`
        )
      }
      next = raw
    }
    if (value !== null && typeof value !== typeof next) {
      return Either.left(
        `"${definition.field}" mixes numbers and strings (${JSON.stringify(value)}, ${JSON.stringify(next)})`
      )
    }
    // Full sync walks down the ids; incremental moves up the modification times: a bookmark never goes back.
    if (value === null || compare(next, value) === (definition._tag === "FullSync" ? -1 : 1)) value = next
  }
  return Either.right({
    name: definition.name,
    mode: definition._tag,
    field: definition.field,
    value,
    // A full sync that finds nothing below its bookmark has reached the lowest id.
    completed: (previous?.completed ?? false) || (definition._tag === "FullSync" && seen === 0),
    updatedAtMillis: nowMillis
  })
}

/** @internal The filter of the next request. */
export const filterOf = (
  definition: Bookmark.Definition,
  current: Option.Option<Bookmark.State>,
  nowMillis: number
): Bookmark.Filter => {
  const value = Option.flatMapNullable(current, (state) => state.value)
  if (definition._tag === "FullSync") {
    return {
      field: definition.field,
      operator: "<",
      value,
      ordering: `-${definition.field}`,
      params: Option.match(value, { onNone: () => ({}), onSome: (v) => ({ [definition.param]: String(v) }) })
    }
  }
  const overlap = Duration.toMillis(definition.overlap)
  const since = Option.match(value, {
    onNone: () => nowMillis - Duration.toMillis(definition.initialLookback),
    onSome: (v) => (typeof v === "number" ? v : Option.getOrElse(timestampOf(v), () => nowMillis)) - overlap
  })
  return {
    field: definition.field,
    operator: ">=",
    value: Option.some(definition.format(since)),
    ordering: definition.field,
    params: { [definition.param]: definition.format(since) }
  }
}

/** @internal */
export const make = Effect.gen(function*() {
  const db = yield* DuckDB.DuckDB
  yield* Migrations.run([migrations]).pipe(store.storage("Creating the bookmarks"))

  const get = (definition: Bookmark.Definition) =>
    Effect.gen(function*() {
      const rows = yield* db.queryAs(Row)(
        `SELECT name, mode, field, value, completed, epoch_ms(updated_at) AS "updatedAtMillis"
         FROM meta.bookmarks WHERE name = $1`,
        [definition.name]
      ).pipe(store.storage(`Reading bookmark ${definition.name}`))
      const row = rows[0]
      if (row === undefined) return Option.none<Bookmark.State>()
      if (row.mode !== definition._tag || row.field !== definition.field) {
        return yield* Effect.fail(store.invalidInput(
          `Bookmark ${definition.name} is a ${row.mode} bookmark on "${row.field}", not a ${definition._tag} on ` +
            `"${definition.field}": give the other sync its own name.`
        ))
      }
      return Option.some<Bookmark.State>(row)
    })

  const save = (state: Bookmark.State) =>
    db.execute("INSERT OR REPLACE INTO meta.bookmarks VALUES ($1, $2, $3, $4, $5, $6)", [
      state.name,
      state.mode,
      state.field,
      state.value === null ? null : encodeValue(state.value),
      state.completed,
      new Date(state.updatedAtMillis)
    ]).pipe(Effect.asVoid, store.storage(`Saving bookmark ${state.name}`))

  const advance = (definition: Bookmark.Definition, records: Iterable<unknown>) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const current = yield* get(definition)
      const next = step(definition, current, records, now)
      if (Either.isLeft(next)) {
        return yield* Effect.fail(store.invalidInput(`Bookmark ${definition.name}: ${next.left}.`))
      }
      yield* save(next.right)
      return next.right
    })

  const set = (definition: Bookmark.Definition, value: number | string, completed = false) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      // An incremental bookmark is a time: a value that is none would later read as "now" and skip what lies between.
      const time = definition._tag === "Incremental" ? timestampOf(value) : Option.none()
      if (definition._tag === "Incremental" && Option.isNone(time)) {
        return yield* Effect.fail(
          store.invalidInput(`Bookmark ${definition.name}: "${value}" is not a time (epoch ms or an ISO date).`)
        )
      }
      const state: Bookmark.State = {
        name: definition.name,
        mode: definition._tag,
        field: definition.field,
        value: Option.getOrElse(time, () => value),
        completed,
        updatedAtMillis: now
      }
      yield* save(state)
      return state
    })

  const service: Bookmark.Service = {
    get,
    filter: (definition) =>
      Effect.flatMap(
        get(definition),
        (current) => Effect.map(Clock.currentTimeMillis, (now) => filterOf(definition, current, now))
      ),
    advance,
    set,
    reset: (definition) =>
      db.execute("DELETE FROM meta.bookmarks WHERE name = $1", [definition.name]).pipe(
        Effect.asVoid,
        store.storage(`Resetting bookmark ${definition.name}`)
      )
  }
  return service
}) satisfies Effect.Effect<Bookmark.Service, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB>
