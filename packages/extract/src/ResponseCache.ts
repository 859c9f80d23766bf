/**
 * A persistent cache of API responses for an ETL, stored in DuckDB: keyed by the normalized request, fresh for a
 * time that depends on the kind of request and the age of its partition, revalidated with `If-None-Match` when the
 * server gave an ETag, invalidated by version or pattern, with hit/miss/bytes-saved figures.
 *
 * **Details**
 *
 * - Key: the cache `version` and the request's endpoint with its parameters sorted (`v1:contratos?a=1&b=2`); the
 *   partition and kind are metadata. Bumping `version` makes every older entry invisible (`prune` deletes them).
 * - Bodies are not copied: an entry references a payload of the {@link RawArchive} by sha256, so a response both
 *   archived and cached is stored once.
 * - Freshness ({@link ttl}): a request whose partition key starts with a date (`2024-01-15`, `20240115`, …) is fresh
 *   for `today` (default 10 minutes) when that day is today, for `recent` (default 6 hours) within the last
 *   `closedAfterDays` (default 7), and forever when the day is older — a closed day does not change. A request without
 *   a date is fresh for `undated` (default 1 hour). Each rule can be overridden per `kind` of request.
 * - An expired entry with an ETag is `Stale`: send its `If-None-Match` ({@link Service.conditionalHeaders}); on HTTP
 *   304 call `revalidate`, which renews it. {@link Service.cached} does the whole dance around a fetch function.
 * - Invalidation: by endpoint glob (`contratos/*`), kind, and an inclusive range of partition dates.
 * - Figures: hits, misses (stale included), revalidations and bytes saved since the service was made; entries and
 *   bytes stored for the current version.
 *
 * @since 0.1.0
 */
import type * as DuckDB from "@baliza/duckdb/DuckDB"
import type * as Migrations from "@baliza/duckdb/Migrations"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type * as ExtractStoreError from "./ExtractStoreError.js"
import * as internal from "./internal/responseCache.js"
import type * as RawArchive from "./RawArchive.js"

/**
 * The `meta.response_cache` table.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Migrations.MigrationSet = internal.migrations

/**
 * A request as the cache sees it: endpoint and parameters (the key), the partition it belongs to and its `kind`
 * (default `"default"`), which choose its time to live.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly endpoint: string
  readonly params?: Readonly<Record<string, string | number | boolean | undefined>> | undefined
  readonly partitionKey?: string | null | undefined
  readonly kind?: string | undefined
}

/**
 * Time-to-live rules (see the module's details for the defaults).
 *
 * @since 0.1.0
 * @category models
 */
export interface Rules {
  readonly closedAfterDays?: number | undefined
  readonly today?: Duration.DurationInput | undefined
  readonly recent?: Duration.DurationInput | undefined
  readonly undated?: Duration.DurationInput | "forever" | undefined
}

/**
 * The rules for every request, and overrides by kind (e.g. `{ kinds: { catalog: { undated: "forever" } } }`).
 *
 * @since 0.1.0
 * @category models
 */
export interface TtlRules extends Rules {
  readonly kinds?: Readonly<Record<string, Rules>> | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The key version (default 1): changing it invalidates every entry. */
  readonly version?: string | number | undefined
  readonly ttl?: TtlRules | undefined
}

/**
 * A response to cache: its status (default 200), body and ETag.
 *
 * @since 0.1.0
 * @category models
 */
export interface Response {
  readonly status?: number | undefined
  readonly body: Uint8Array
  readonly etag?: string | undefined
}

/**
 * A cache entry (`expiresAtMillis` `null`: never expires).
 *
 * @since 0.1.0
 * @category models
 */
export const Entry = internal.Entry

/**
 * @since 0.1.0
 * @category models
 */
export interface Entry extends Schema.Schema.Type<typeof Entry> {}

/**
 * The answer of {@link Service.lookup}: a fresh `Hit` with its body, a `Stale` entry (expired; revalidate it with its
 * ETag), or a `Miss`.
 *
 * @since 0.1.0
 * @category models
 */
export type Lookup =
  | { readonly _tag: "Hit"; readonly entry: Entry; readonly body: Uint8Array }
  | { readonly _tag: "Stale"; readonly entry: Entry }
  | { readonly _tag: "Miss" }

/**
 * What {@link Service.cached} returned and where it came from; `cached` is false for a response that was not stored
 * (a status other than 2xx).
 *
 * @since 0.1.0
 * @category models
 */
export interface Fetched {
  readonly source: "cache" | "revalidated" | "network"
  readonly status: number
  readonly body: Uint8Array
  readonly etag: string | null
  readonly cached: boolean
}

/**
 * Which entries to invalidate: an endpoint glob (`contratos/*`), a kind, and partition dates from/to (inclusive,
 * `yyyy-MM-dd` or `yyyyMMdd`). An empty pattern invalidates the whole current version.
 *
 * @since 0.1.0
 * @category models
 */
export interface Pattern {
  readonly endpoint?: string | undefined
  readonly kind?: string | undefined
  readonly from?: string | undefined
  readonly to?: string | undefined
}

/**
 * Cache figures: since the service was made (`hits`, `misses` — stale lookups included —, `stale`, `revalidated`,
 * `bytesSaved`), and stored for the current `version` (`entries`, `bytes`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  readonly hits: number
  readonly misses: number
  readonly stale: number
  readonly revalidated: number
  readonly bytesSaved: number
  readonly entries: number
  readonly bytes: number
  readonly version: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly version: string
  /** The key of a request in this cache. */
  readonly keyOf: (request: Request) => string
  readonly lookup: (request: Request) => Effect.Effect<Lookup, ExtractStoreError.ExtractStoreError>
  readonly put: (request: Request, response: Response) => Effect.Effect<Entry, ExtractStoreError.ExtractStoreError>
  /** After an HTTP 304: the entry is fresh again (counted as bytes saved). */
  readonly revalidate: (request: Request) => Effect.Effect<Option.Option<Entry>, ExtractStoreError.ExtractStoreError>
  /** The stored ETag of a request, fresh or not. */
  readonly etag: (request: Request) => Effect.Effect<Option.Option<string>, ExtractStoreError.ExtractStoreError>
  /** `{ "if-none-match": etag }` when an ETag is stored, `{}` otherwise. */
  readonly conditionalHeaders: (
    request: Request
  ) => Effect.Effect<Readonly<Record<string, string>>, ExtractStoreError.ExtractStoreError>
  /** A fresh entry, or `fetch` (given the conditional headers) with a 304 renewing the stale entry. */
  readonly cached: <E, R>(
    request: Request,
    fetch: (headers: Readonly<Record<string, string>>) => Effect.Effect<Response, E, R>
  ) => Effect.Effect<Fetched, E | ExtractStoreError.ExtractStoreError, R>
  /** Deletes the matching entries of the current version; returns how many. */
  readonly invalidate: (pattern: Pattern) => Effect.Effect<number, ExtractStoreError.ExtractStoreError>
  /** Deletes entries of other versions and expired entries without an ETag; returns how many. */
  readonly prune: Effect.Effect<number, ExtractStoreError.ExtractStoreError>
  readonly stats: Effect.Effect<Stats, ExtractStoreError.ExtractStoreError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class ResponseCache extends Context.Tag("@baliza/extract/ResponseCache")<ResponseCache, Service>() {}

/**
 * A cache in the database of the `DuckDB` service, storing bodies in the `RawArchive`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (
  options?: Options
) => Effect.Effect<Service, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB | RawArchive.RawArchive> = internal.make

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options?: Options
): Layer.Layer<ResponseCache, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB | RawArchive.RawArchive> =>
  Layer.effect(ResponseCache, make(options))

/**
 * How long a request stays fresh at `nowMillis` under `rules`; `None` when it never expires.
 *
 * @since 0.1.0
 * @category utils
 */
export const ttl: (
  rules: TtlRules | undefined,
  request: Request,
  nowMillis: number
) => Option.Option<Duration.Duration> = internal.ttl
