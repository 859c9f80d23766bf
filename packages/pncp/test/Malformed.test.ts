/**
 * Malformed API payloads: wrong types, missing envelope fields, a lying totalPaginas, a page repeating the previous
 * one, records without their key. None crashes the run; each is flagged for its page (meta.failed_requests, or the
 * partition's reconciliation check with the numbers) and nothing is silently dropped.
 */
import { type Materializer, Partitions } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as Pipeline from "../src/Pipeline.js"
import * as PncpFake from "../src/PncpFake.js"
import * as Warehouse from "../src/Warehouse.js"

type Body = { readonly [key: string]: unknown }
type Drift = (body: Body, page: number) => unknown

interface Outcome {
  readonly result: Materializer.RunResult
  /** The failures' messages, one a line. */
  readonly message: string
  /** Messages of the checks that did not pass (blocking or warnings). */
  readonly warnings: ReadonlyArray<string>
  readonly staged: number
  readonly quarantined: number
  readonly archivedPages: number
  readonly archivedRecords: number
}

const isBody = (u: unknown): u is Body => typeof u === "object" && u !== null && !Array.isArray(u)

const run = (drift: Drift) =>
  Effect.gen(function*() {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-malformed-"))),
      (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
    )
    const fake = yield* PncpFake.make({
      scale: 0.4,
      faults: {
        drift: (body, request) =>
          request.path.endsWith("/v1/contratos") && isBody(body)
            ? drift(body, Number(request.query.get("pagina")))
            : body
      }
    })
    const path = NodePath.join(dir, "w.duckdb")
    return yield* Effect.gen(function*() {
      const result = yield* Pipeline.materialize({
        partitions: "2024-07-01",
        selection: "pncp/raw/contratos+",
        context: Partitions.context({ now: Date.parse("2024-08-15T12:00:00Z") })
      })
      const warnings = yield* DuckDB.query(
        `SELECT json_extract_string(payload, '$.message') AS message FROM meta.events
         WHERE tag = 'CheckEvaluated' AND json_extract_string(payload, '$.passed') = 'false'`
      )
      const number = (sql: string) =>
        DuckDB.query(sql).pipe(Effect.map(([row]) => Number(row?.n ?? 0)), Effect.orElseSucceed(() => -1))
      const outcome: Outcome = {
        result,
        message: result.failures.map((failure) => failure.message).join("\n"),
        warnings: warnings.map((row) => String(row.message)),
        staged: yield* number("SELECT count(*)::BIGINT AS n FROM staging.contratos"),
        quarantined: yield* number("SELECT count(*)::BIGINT AS n FROM staging.quarantine"),
        archivedPages: yield* number("SELECT count(*)::BIGINT AS n FROM raw.api_requests WHERE endpoint = 'contratos'"),
        archivedRecords: yield* number(
          "SELECT sum(records)::BIGINT AS n FROM raw.api_requests WHERE endpoint = 'contratos'"
        )
      }
      return outcome
    }).pipe(
      Effect.provide(Warehouse.layer({ path, client: { consultaUrl: fake.consultaUrl, detailsUrl: fake.detailsUrl } }))
    )
  })

/** Page 2 of the day's contratos as the previous page answered it (the drift sees pages in any order: kept by number). */
const seen = new Map<number, Body>()

describe("malformed payloads", () => {
  const cases: ReadonlyArray<readonly [string, Drift, (outcome: Outcome) => void]> = [
    ["wrong types: data is not a list", (body, page) => page === 2 ? { ...body, data: "oops" } : body, (o) => {
      assert.strictEqual(o.result.status, "Failure")
      assert.include(o.message, "page(s) 2 of 2024-07-01 have no records list")
      assert.match(o.message, /archived \d+ records in 3 pages, the API announced \d+ records/)
    }],
    ["missing envelope fields", (body, page) => {
      if (page !== 2) return body
      const { totalPaginas: _, totalRegistros: __, ...rest } = body
      return rest
    }, (o) => {
      assert.strictEqual(o.result.status, "Failure")
      assert.include(o.message, "page(s) 2 of 2024-07-01 lack totalRegistros/totalPaginas")
    }],
    ["totalPaginas lying", (body) => ({ ...body, totalPaginas: Number(body.totalPaginas) + 1 }), (o) => {
      assert.strictEqual(o.result.status, "Failure")
      assert.match(o.message, /archived (\d+) records in 3 pages, the API announced \1 records in 4 pages/)
    }],
    ["a page repeating the previous one", (body, page) => {
      if (page === 2) seen.set(2, body)
      const previous = seen.get(2)
      return page === 3 && previous !== undefined ? previous : body
    }, (o) => {
      assert.strictEqual(o.result.status, "Failure")
      assert.include(o.message, "pages 2 and 3 are the same payload in 2024-07-01")
    }],
    [
      "a record listed twice in a series (the API's pages shifted)",
      (body, page) => {
        const data = body.data
        return page === 3 && Array.isArray(data) ? { ...body, data: data.map((r, i) => i === 1 ? data[0] : r) } : body
      },
      (o) => {
        // The counts add up to what the API announced, so the partition reconciles; the repeat is flagged.
        assert.strictEqual(o.result.status, "Success")
        assert.strictEqual(o.staged, o.archivedRecords - 1)
        assert.match(
          o.warnings.join(),
          new RegExp(
            `1 request series list a record more than once across their pages: contratos 2024-07-01 \\(${o.archivedRecords} records, ${
              o.archivedRecords - 1
            } distinct\\)`
          )
        )
      }
    ],
    ["records without keys", (body, page) =>
      page === 2 && Array.isArray(body.data)
        ? { ...body, data: body.data.map((r, i) => i < 3 && isBody(r) ? { ...r, numeroControlePNCP: null } : r) }
        : body, (o) => {
      // Loaded, not merged away: the three are set aside with the reason, and a warning says so.
      assert.strictEqual(o.result.status, "Success")
      assert.strictEqual(o.staged + o.quarantined, o.archivedRecords)
      assert.strictEqual(o.quarantined, 3)
      assert.include(o.warnings.join(), "3 record(s) without numeroControlePNCP set aside in staging.quarantine")
    }]
  ]
  for (const [name, drift, expect] of cases) {
    it.scopedLive(name, () =>
      Effect.gen(function*() {
        seen.clear()
        const outcome = yield* run(drift)
        // Nothing crashed and every page the server sent is archived, whatever it held.
        assert.isAtLeast(outcome.archivedPages, 3)
        expect(outcome)
      }), { timeout: 60_000 })
  }
})
