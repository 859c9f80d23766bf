/**
 * `retry-failed` on a project whose failures the test chooses: a failed step is retried at most `--max-retries` rounds
 * in all, over the default selection and then the assets outside it, never twice in one round.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import { baliza, count, fixture, tempDatabase, withEnv } from "./fixtures/run.js"

const attempts = (db: string, key: string) =>
  count(
    db,
    `SELECT count(*) AS n FROM meta.events
     WHERE tag IN ('StepSucceeded', 'StepFailed') AND asset_key = '${key}' AND partition_key = '2024-01-02'`
  )

describe("baliza retry-failed", () => {
  it.scopedLive("retries a failed step at most N rounds in all; --max-retries below 1 is an input error", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const project = ["--db", db, "--assets", fixture("flaky")]
      yield* withEnv("BALIZA_TEST_FAIL_DAYS", "2024-01-02")
      const first = yield* baliza(
        ...project,
        "materialize",
        "--select",
        "*",
        "--from",
        "2024-01-01",
        "--to",
        "2024-01-03",
        "--max-restarts",
        "0"
      )
      assert.strictEqual(first.code, 1, first.stderr)
      const runs = () => count(db, "SELECT count(*) AS n FROM meta.runs")
      assert.strictEqual(yield* runs(), 1)

      for (const n of ["0", "-1"]) {
        const refused = yield* baliza(...project, "retry-failed", "--max-retries", n)
        assert.strictEqual(refused.code, 2, refused.stderr)
        assert.include(refused.stderr, "--max-retries must be at least 1")
      }
      assert.strictEqual(yield* runs(), 1, "a refused retry runs nothing")

      // One round: the default selection (group:t) once, the rest (t/raw/extra) once.
      const once = yield* baliza(...project, "retry-failed")
      assert.strictEqual(once.code, 1, once.stderr)
      assert.strictEqual(yield* attempts(db, "t/raw/events"), 2)
      assert.strictEqual(yield* attempts(db, "t/raw/extra"), 2)
      assert.strictEqual(yield* runs(), 3)

      const twice = yield* baliza(...project, "retry-failed", "--max-retries", "2", "--restart-delay", "1s")
      assert.strictEqual(twice.code, 1, twice.stderr)
      assert.include(twice.stderr, "retry round 2 of 2")
      assert.strictEqual(yield* attempts(db, "t/raw/events"), 4)
      assert.strictEqual(yield* attempts(db, "t/raw/extra"), 4)

      // The server is back: one round completes both, and the passes only ran what had failed.
      yield* withEnv("BALIZA_TEST_FAIL_DAYS", "")
      const fixed = yield* baliza(...project, "retry-failed", "--max-retries", "3")
      assert.strictEqual(fixed.code, 0, fixed.stderr)
      assert.include(fixed.stdout, "No failed requests remain.")
      assert.strictEqual(yield* attempts(db, "t/raw/events"), 5)
      assert.strictEqual(yield* attempts(db, "t/raw/extra"), 5)
      const status = JSON.parse((yield* baliza(...project, "--json", "status")).stdout)
      assert.strictEqual(status.steps.filter((step: { status: string }) => step.status === "Failed").length, 0)
    }))

  it.scopedLive("with nothing to retry it says so, exit 0, and records no run; a missing database is exit 3", () =>
    Effect.gen(function*() {
      const { db, dir } = yield* tempDatabase
      const project = ["--db", db, "--assets", fixture("flaky")]
      // a database path that does not exist: the message status gives, and nothing created
      const nowhere = NodePath.join(dir, "missing", "x.duckdb")
      const missing = yield* baliza("--db", nowhere, "--assets", fixture("flaky"), "retry-failed")
      assert.strictEqual(missing.code, 3, missing.stderr)
      assert.strictEqual(missing.stderr, (yield* baliza("--db", nowhere, "status")).stderr)
      assert.include(missing.stderr, `There is no database at ${nowhere}`)
      assert.deepStrictEqual(NodeFs.readdirSync(dir), [])

      const runs = () => count(db, "SELECT count(*) AS n FROM meta.runs")
      assert.strictEqual((yield* baliza(...project, "init")).code, 0)
      const empty = yield* baliza(...project, "retry-failed")
      assert.deepStrictEqual([empty.code, empty.stdout, empty.stderr], [
        0,
        "Nothing to retry: no failed requests and no failed steps.\n",
        ""
      ])
      assert.strictEqual(yield* runs(), 0)

      // after a run that succeeded: still nothing, in text and as one JSON object
      const first = yield* baliza(...project, "materialize", "--select", "*", "--day", "2024-01-01")
      assert.strictEqual(first.code, 0, first.stderr)
      assert.strictEqual(yield* runs(), 1)
      const text = yield* baliza(...project, "retry-failed")
      assert.deepStrictEqual([text.code, text.stdout], [
        0,
        "Nothing to retry: no failed requests and no failed steps.\n"
      ])
      const json = yield* baliza(...project, "--json", "retry-failed")
      assert.strictEqual(json.code, 0, json.stderr)
      assert.deepStrictEqual(JSON.parse(json.stdout), {
        retried: false,
        failedRequests: 0,
        stepsToRetry: 0,
        message: "Nothing to retry: no failed requests and no failed steps."
      })
      assert.strictEqual(yield* runs(), 1, "no run recorded")
    }))
})
