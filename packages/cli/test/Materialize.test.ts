/**
 * `materialize` and its aliases against the PNCP fake on 127.0.0.1: the raw layer alone, then staging and marts alone,
 * a modalidade subset, metrics written to a file, and retry-failed after an outage.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import { baliza, count, withFake } from "./fixtures/run.js"

describe("baliza materialize", () => {
  it.scopedLive(
    "extract fills raw only, transform builds staging from it; --modalidades narrows; --metrics-json",
    () =>
      Effect.gen(function*() {
        const { db, dir, global } = yield* withFake()

        const subset = yield* baliza(...global, "--json", "materialize", "--day", "2024-07-03", "--modalidades", "6,8")
        assert.strictEqual(subset.code, 0, subset.stderr)
        const keys = yield* count(
          db,
          `SELECT count(DISTINCT partition_key) AS n FROM raw.api_requests WHERE endpoint = 'contratacoes_publicacao'`
        )
        assert.strictEqual(keys, 2, "two modalidades of one day")
        assert.strictEqual(
          yield* count(db, "SELECT count(*) AS n FROM raw.api_requests WHERE endpoint = 'contratos'"),
          0
        )

        const metrics = NodePath.join(dir, "metrics.json")
        const extracted = yield* baliza(...global, "extract", "--dia", "2024-07-04", "--metrics-json", metrics)
        assert.strictEqual(extracted.code, 0, extracted.stderr)
        const written = JSON.parse(NodeFs.readFileSync(metrics, "utf8"))
        assert.strictEqual(written.status, "Success")
        assert.strictEqual(written.restarts, 0)
        assert.isAbove(written.succeeded, 10)
        assert.isAbove(yield* count(db, "SELECT count(*) AS n FROM raw.api_requests WHERE endpoint = 'contratos'"), 0)
        // The first run's selection had no contratos, so it staged none; extract leaves staging alone.
        const staged = "SELECT count(*) AS n FROM staging.contratos"
        assert.strictEqual(yield* count(db, staged), 0, "extract builds no staging")
        const requests = yield* count(db, "SELECT count(*) AS n FROM raw.api_requests")

        const transformed = yield* baliza(...global, "--json", "transform", "--day", "2024-07-04")
        assert.strictEqual(transformed.code, 0, transformed.stderr)
        assert.isAbove(yield* count(db, staged), 0)
        assert.strictEqual(
          yield* count(db, "SELECT count(*) AS n FROM raw.api_requests"),
          requests,
          "transform fetches nothing"
        )
      }),
    120_000
  )

  it.scopedLive(
    "an outage fails steps (exit 1, each named); retry-failed completes them once the server is back",
    () =>
      Effect.gen(function*() {
        const { db, fake, global } = yield* withFake()
        // A port nobody listens on: every request of the day fails at once.
        const down = ["--db", db, "--base-url", "http://127.0.0.1:9/api/consulta", "--details-url", fake.detailsUrl]
        const failed = yield* baliza(...down, "materialize", "--day", "2024-07-05", "--max-restarts", "0")
        assert.strictEqual(failed.code, 1)
        // Each failed step is named with the URL that failed.
        assert.include(failed.stdout, "failed pncp/raw/contratacoes_publicacao[2024-07-05|")
        assert.include(failed.stdout, "GET http://127.0.0.1:9/api/consulta/v1/contratacoes/publicacao")
        assert.include(failed.stderr, "resume")
        const status = yield* baliza("--db", db, "--json", "status")
        const steps: ReadonlyArray<{ status: string }> = JSON.parse(status.stdout).steps
        assert.isAbove(steps.filter((step) => step.status === "Failed").length, 5)

        const retried = yield* baliza(...global, "retry-failed")
        assert.strictEqual(retried.code, 0, retried.stderr)
        assert.include(retried.stdout, "No failed requests remain.")
        const after = JSON.parse((yield* baliza("--db", db, "--json", "status")).stdout)
        assert.strictEqual(after.steps.filter((step: { status: string }) => step.status === "Failed").length, 0)
      }),
    120_000
  )
})
