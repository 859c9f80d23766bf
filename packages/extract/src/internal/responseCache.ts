import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Migrations from "@baliza/duckdb/Migrations"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as RawArchive from "../RawArchive.js"
import type * as ResponseCache from "../ResponseCache.js"
import * as store from "./store.js"

/** @internal */
export const migrations = Migrations.make("extract/response_cache", [{
  id: 1,
  name: "response cache",
  up: `
    CREATE SCHEMA IF NOT EXISTS meta;
    CREATE TABLE meta.response_cache (
      key VARCHAR PRIMARY KEY,
      version VARCHAR NOT NULL,
      endpoint VARCHAR NOT NULL,
      params VARCHAR NOT NULL,
      partition_key VARCHAR,
      partition_date DATE,
      kind VARCHAR NOT NULL,
      status SMALLINT NOT NULL,
      etag VARCHAR,
      payload_sha256 VARCHAR NOT NULL,
      size BIGINT NOT NULL,
      stored_at TIMESTAMP NOT NULL,
      expires_at TIMESTAMP
    )`
}])

/** @internal */
export const Entry = Schema.Struct({
  key: Schema.String,
  version: Schema.String,
  endpoint: Schema.String,
  params: Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.String })),
  partitionKey: Schema.NullOr(Schema.String),
  kind: Schema.String,
  status: Schema.Number,
  etag: Schema.NullOr(Schema.String),
  sha256: Schema.String,
  size: Schema.Number,
  storedAtMillis: Schema.Number,
  expiresAtMillis: Schema.NullOr(Schema.Number)
}).annotations({ identifier: "ResponseCache.Entry" })

const select = `SELECT key, version, endpoint, params, partition_key AS "partitionKey", kind, status, etag,
  payload_sha256 AS sha256, size, epoch_ms(stored_at) AS "storedAtMillis", epoch_ms(expires_at) AS "expiresAtMillis"
  FROM meta.response_cache`

const defaults = {
  closedAfterDays: 7,
  today: Duration.minutes(10),
  recent: Duration.hours(6),
  undated: Duration.hours(1)
}

/** @internal How long a response stays fresh; `None` when it never expires. */
export const ttl = (
  rules: ResponseCache.TtlRules | undefined,
  request: ResponseCache.Request,
  nowMillis: number
): Option.Option<Duration.Duration> => {
  const kind = request.kind === undefined ? undefined : rules?.kinds?.[request.kind]
  const pick = <K extends keyof ResponseCache.Rules>(key: K): ResponseCache.Rules[K] => kind?.[key] ?? rules?.[key]
  const day = store.partitionDate(request.partitionKey)
  if (Option.isNone(day)) {
    const undated = pick("undated") ?? defaults.undated
    return undated === "forever" ? Option.none() : Option.some(Duration.decode(undated))
  }
  const age = store.daysBetween(day.value, nowMillis)
  if (age >= (pick("closedAfterDays") ?? defaults.closedAfterDays)) return Option.none()
  return Option.some(Duration.decode(age <= 0 ? pick("today") ?? defaults.today : pick("recent") ?? defaults.recent))
}

const fetched = (
  source: ResponseCache.Fetched["source"],
  status: number,
  body: Uint8Array,
  etag: string | null,
  cached: boolean
): ResponseCache.Fetched => ({ source, status, body, etag, cached })

const emptyStats = { hits: 0, misses: 0, stale: 0, revalidated: 0, bytesSaved: 0 }

/** @internal */
export const make = (options: ResponseCache.Options = {}) =>
  Effect.gen(function*() {
    const db = yield* DuckDB.DuckDB
    const archive = yield* RawArchive.RawArchive
    yield* Migrations.run([migrations]).pipe(store.storage("Creating the response cache"))
    const version = String(options.version ?? 1)
    const counters = yield* Ref.make(emptyStats)
    const count = (f: (stats: typeof emptyStats) => typeof emptyStats) => Ref.update(counters, f)
    const keyOf = (request: ResponseCache.Request) =>
      `v${version}:${store.requestKey(request.endpoint, request.params)}`

    const find = (request: ResponseCache.Request) =>
      db.queryAs(Entry)(`${select} WHERE key = $1`, [keyOf(request)]).pipe(
        Effect.map((rows) => Option.fromNullable(rows[0])),
        store.storage(`Reading the cache of ${request.endpoint}`)
      )

    const isFresh = (entry: ResponseCache.Entry, now: number) =>
      entry.expiresAtMillis === null || entry.expiresAtMillis > now

    const lookup = (request: ResponseCache.Request) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const found = yield* find(request)
        if (Option.isNone(found)) {
          yield* count((s) => ({ ...s, misses: s.misses + 1 }))
          return { _tag: "Miss" } as const
        }
        const entry = found.value
        if (!isFresh(entry, now)) {
          yield* count((s) => ({ ...s, misses: s.misses + 1, stale: s.stale + 1 }))
          return { _tag: "Stale", entry } as const
        }
        const body = yield* archive.fetchPayload(entry.sha256)
        yield* count((s) => ({ ...s, hits: s.hits + 1, bytesSaved: s.bytesSaved + entry.size }))
        return { _tag: "Hit", entry, body } as const
      })

    const expiry = (request: ResponseCache.Request, now: number) =>
      Option.match(ttl(options.ttl, request, now), {
        onNone: () => null,
        onSome: (duration) => new Date(now + Duration.toMillis(duration))
      })

    const put = (request: ResponseCache.Request, response: ResponseCache.Response) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const key = keyOf(request)
        const day = store.partitionDate(request.partitionKey)
        // The payload commits first, on the archive's payload writer; the cache row then commits pointing at it.
        const payload = yield* archive.putPayload(response.body, now)
        yield* db.execute(
          "INSERT OR REPLACE INTO meta.response_cache VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
          [
            key,
            version,
            request.endpoint,
            store.paramsJson(request.params),
            request.partitionKey ?? null,
            Option.match(day, { onNone: () => null, onSome: (millis) => new Date(millis) }),
            request.kind ?? "default",
            response.status ?? 200,
            response.etag ?? null,
            payload.sha256,
            payload.size,
            new Date(now),
            expiry(request, now)
          ]
        ).pipe(store.storage(`Caching a response of ${request.endpoint}`))
        return Option.getOrThrow(yield* find(request))
      })

    const revalidate = (request: ResponseCache.Request) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        yield* db.execute("UPDATE meta.response_cache SET stored_at = $2, expires_at = $3 WHERE key = $1", [
          keyOf(request),
          new Date(now),
          expiry(request, now)
        ]).pipe(store.storage(`Revalidating a response of ${request.endpoint}`))
        const found = yield* find(request)
        if (Option.isSome(found)) {
          const size = found.value.size
          yield* count((s) => ({ ...s, revalidated: s.revalidated + 1, bytesSaved: s.bytesSaved + size }))
        }
        return found
      })

    const etag = (request: ResponseCache.Request) =>
      Effect.map(find(request), Option.flatMap((entry) => Option.fromNullable(entry.etag)))

    const conditionalHeaders = (request: ResponseCache.Request) =>
      Effect.map(
        etag(request),
        (tag): Record<string, string> => Option.isSome(tag) ? { "if-none-match": tag.value } : {}
      )

    const cached = <E, R>(
      request: ResponseCache.Request,
      fetch: (headers: Readonly<Record<string, string>>) => Effect.Effect<ResponseCache.Response, E, R>
    ) =>
      Effect.gen(function*() {
        const found = yield* lookup(request)
        if (found._tag === "Hit") return fetched("cache", found.entry.status, found.body, found.entry.etag, true)
        const headers: Record<string, string> = found._tag === "Stale" && found.entry.etag !== null
          ? { "if-none-match": found.entry.etag }
          : {}
        const response = yield* fetch(headers)
        const status = response.status ?? 200
        if (status === 304 && found._tag === "Stale") {
          const entry = Option.getOrElse(yield* revalidate(request), () => found.entry)
          const body = yield* archive.fetchPayload(entry.sha256)
          return fetched("revalidated", entry.status, body, entry.etag, true)
        }
        // Only pages are cached: an error status goes back to the caller untouched.
        if (status < 200 || status >= 300) {
          return fetched("network", status, response.body, response.etag ?? null, false)
        }
        const entry = yield* put(request, response)
        return fetched("network", status, response.body, entry.etag, true)
      })

    const invalidate = (pattern: ResponseCache.Pattern) => {
      const conditions: Array<string> = ["version = $1"]
      const params: Array<DuckDB.Value> = [version]
      const add = (sql: (n: number) => string, value: DuckDB.Value) => {
        params.push(value)
        conditions.push(sql(params.length))
      }
      if (pattern.endpoint !== undefined) add((n) => `endpoint GLOB $${n}`, pattern.endpoint)
      if (pattern.kind !== undefined) add((n) => `kind = $${n}`, pattern.kind)
      const bound = (text: string | undefined) => text === undefined ? Option.none() : store.partitionDate(text)
      const from = bound(pattern.from)
      const to = bound(pattern.to)
      if (Option.isSome(from)) add((n) => `partition_date >= $${n}`, new Date(from.value))
      if (Option.isSome(to)) add((n) => `partition_date <= $${n}`, new Date(to.value))
      const invalid = [pattern.from, pattern.to].filter((text) => text !== undefined && Option.isNone(bound(text)))
      return invalid.length > 0
        ? Effect.fail(store.invalidInput(`Invalid date in a cache invalidation pattern: ${invalid.join(", ")}.`))
        : db.execute(`DELETE FROM meta.response_cache WHERE ${conditions.join(" AND ")}`, params).pipe(
          store.storage("Invalidating cached responses")
        )
    }

    const prune = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      return yield* db.execute(
        "DELETE FROM meta.response_cache WHERE version <> $1 OR (expires_at <= $2 AND etag IS NULL)",
        [version, new Date(now)]
      ).pipe(store.storage("Pruning the response cache"))
    })

    const stats = Effect.gen(function*() {
      const session = yield* Ref.get(counters)
      const rows = yield* db.query(
        "SELECT count(*) AS entries, coalesce(sum(size), 0) AS bytes FROM meta.response_cache WHERE version = $1",
        [version]
      ).pipe(store.storage("Reading cache figures"))
      return { ...session, entries: Number(rows[0]?.entries ?? 0), bytes: Number(rows[0]?.bytes ?? 0), version }
    })

    const service: ResponseCache.Service = {
      version,
      keyOf,
      lookup,
      put,
      revalidate,
      etag,
      conditionalHeaders,
      cached,
      invalidate,
      prune,
      stats
    }
    return service
  })
