import * as DuckDB from "@baliza/duckdb/DuckDB"
import type * as DuckDBError from "@baliza/duckdb/DuckDBError"
import * as RawArchive from "@baliza/extract/RawArchive"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { currentAnswers } from "./currentAnswers.js"

/**
 * @internal
 * Pages of a request series the archive held before an attempt: every page up to `lastPage` (all of them when
 * `undefined`), and the `pending` pages archived past it.
 */
export interface ArchivedPages {
  readonly key: string
  readonly lastPage: number | undefined
  readonly pending: ReadonlyArray<number>
}

/**
 * @internal
 * The bodies one read of {@link forEachRecord} holds at most, in bytes (a larger body is read alone): the pages of a
 * forced day can be hundreds of MB.
 */
export const readBytes = 8 * 1024 * 1024

const Listed = Schema.Struct({ sha256: Schema.String, segment: Schema.Number, size: Schema.Number })

const Body = Schema.Struct({ payload: Schema.NullOr(Schema.String) })

const parseJson = Option.liftThrowable((text: string): unknown => JSON.parse(text))

/** @internal The records of a page's JSON: its `data` list (none when it has none). */
export const recordsOf = (json: unknown): ReadonlyArray<unknown> => {
  const data = typeof json === "object" && json !== null ? Reflect.get(json, "data") : undefined
  return Array.isArray(data) ? data : []
}

/** The distinct bodies, by segment, in reads of about {@link readBytes}. */
const readsOf = (listed: ReadonlyArray<typeof Listed.Type>) => {
  const reads: Array<{ segment: number; sha256: Array<string>; bytes: number }> = []
  for (const page of listed) {
    const last = reads.at(-1)
    if (last !== undefined && last.segment === page.segment && last.bytes + page.size <= readBytes) {
      last.sha256.push(page.sha256)
      last.bytes += page.size
    } else {
      reads.push({ segment: page.segment, sha256: [page.sha256], bytes: page.size })
    }
  }
  return reads
}

/**
 * @internal
 * Hands `add` every record of the given archived pages of an endpoint, each page by its current answer (the one
 * reconciliation counts). One query lists the pages' distinct bodies and their segments; the bodies are then read
 * from their segment tables (not through the `raw.api_payloads` view, which spans every segment), a few MB at a time.
 */
export const forEachRecord = (
  endpoint: string,
  pages: ReadonlyArray<ArchivedPages>,
  add: (record: unknown) => void
): Effect.Effect<void, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Effect.gen(function*() {
    if (pages.length === 0) return
    const db = yield* DuckDB.DuckDB
    const listed = yield* db.queryAs(Listed)(
      `WITH ${currentAnswers("endpoint = $1 AND list_contains($2::VARCHAR[], partition_key)")},
       before AS (
         SELECT unnest(from_json($3::VARCHAR, '[{"key":"VARCHAR","lastPage":"INTEGER","pending":"INTEGER[]"}]'),
                       recursive := true))
       SELECT a.payload_sha256 AS sha256, any_value(i.segment)::INTEGER AS segment,
              any_value(a.payload_size)::DOUBLE AS size
       FROM answers a
       JOIN before b ON b.key = a.partition_key
       JOIN raw.payload_index i ON i.sha256 = a.payload_sha256
       WHERE a.http_status = 200 AND a.records > 0
         AND (b.lastPage IS NULL OR a.page <= b.lastPage OR list_contains(b.pending, a.page))
       GROUP BY a.payload_sha256
       ORDER BY segment, sha256`,
      [
        endpoint,
        pages.map((series) => series.key),
        JSON.stringify(pages.map((series) => ({ ...series, lastPage: series.lastPage ?? null })))
      ]
    )
    for (const read of readsOf(listed)) {
      const bodies = yield* db.queryAs(Body)(
        `SELECT payload FROM ${RawArchive.segmentTable(read.segment)} WHERE list_contains($1::VARCHAR[], sha256)`,
        [read.sha256]
      )
      for (const { payload } of bodies) {
        // A body that is not JSON has no records (reconciliation reports it); it is no shape.
        const json = payload === null ? Option.none() : parseJson(payload)
        if (Option.isSome(json)) recordsOf(json.value).forEach(add)
      }
    }
  })
