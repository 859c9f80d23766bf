/**
 * `retry-failed` on a project whose failures the test chooses: a failed step is retried at most `--max-retries` rounds
 * in all, over the default selection and then the assets outside it, never twice in one round.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
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
      // with --json, stdout is JSON lines only; the sentence for a person goes to stderr
      const json = yield* baliza(...project, "--json", "retry-failed")
      assert.strictEqual(json.code, 0, json.stderr)
      for (const line of json.stdout.split("\n").filter((l) => l.trim() !== "")) {
        assert.doesNotThrow(() => JSON.parse(line))
      }
      assert.include(json.stderr, "No failed requests remain.")
      const status = JSON.parse((yield* baliza(...project, "--json", "status")).stdout)
      assert.strictEqual(status.steps.filter((step: { status: string }) => step.status === "Failed").length, 0)
    }))
})
