import { assert, describe, it } from "@effect/vitest"
import { Cause, Data, Either, FiberId, Schema } from "effect"
import * as RunEvent from "../src/RunEvent.js"

const step = { runId: "r", timestamp: 1, assetKey: "a/b", partitionKey: "2024-01-01" }
const samples: ReadonlyArray<RunEvent.RunEvent> = [
  {
    _tag: "RunStarted",
    runId: "r",
    timestamp: 0,
    selection: "*",
    partitions: null,
    plannedSteps: 3,
    skippedSteps: 1,
    tags: {}
  },
  { _tag: "StepStarted", ...step, attempt: 1 },
  { _tag: "StepRetrying", ...step, attempt: 1, delayMs: 200, error: "HTTP 503" },
  {
    _tag: "Materialization",
    ...step,
    dataVersion: "v",
    codeVersion: null,
    rows: 10,
    bytes: null,
    durationMs: 5,
    metadata: { a: [1, { b: null }] }
  },
  { _tag: "CheckEvaluated", ...step, checkName: "rows", passed: false, severity: "Warn", message: "few", metadata: {} },
  { _tag: "Progress", ...step, done: 3, total: null, unit: "pages", message: null },
  { _tag: "StepSucceeded", ...step, durationMs: 5, dataVersion: "v", attempts: 2 },
  {
    _tag: "StepFailed",
    ...step,
    partitionKey: null,
    durationMs: 5,
    attempts: 3,
    errorTag: "HttpError",
    error: "HTTP 500"
  },
  { _tag: "StepSkipped", ...step, reason: "UpstreamFailed", message: "upstream step x failed" },
  {
    _tag: "RunFinished",
    runId: "r",
    timestamp: 9,
    status: "Failure",
    durationMs: 9,
    succeeded: 1,
    failed: 1,
    skipped: 1
  }
]

describe("RunEvent", () => {
  it("round-trips every event through JSON with its Schema", () => {
    const codec = Schema.parseJson(RunEvent.RunEvent)
    for (const event of samples) {
      const json = Schema.encodeSync(codec)(event)
      assert.deepStrictEqual(Schema.decodeSync(codec)(json), event)
    }
  })

  it("rejects malformed events", () => {
    const decode = Schema.decodeUnknownEither(RunEvent.RunEvent)
    assert.isTrue(Either.isLeft(decode({ _tag: "StepStarted", runId: "r" })))
    assert.isTrue(Either.isLeft(decode({ ...samples[9], status: "Exploded" })))
    assert.isTrue(Either.isLeft(decode({ ...samples[3], metadata: { f: () => 1 } })))
  })

  it("describes events in one line", () => {
    const lines = samples.map(RunEvent.describe)
    assert.strictEqual(lines[0], "run r started: 3 steps to run, 1 up to date")
    assert.strictEqual(lines[2], "a/b[2024-01-01] failed attempt 1, retrying in 200 ms: HTTP 503")
    assert.strictEqual(lines[7], "a/b failed after 3 attempt(s): HTTP 500")
    assert.strictEqual(lines[9], "run r failure in 9 ms: 1 succeeded, 1 failed, 1 skipped")
    assert.deepStrictEqual(samples.filter(RunEvent.isStepEvent).length, 8)
  })

  it("describes a failure's cause: a typed error, a plain value, a defect, an interruption", () => {
    class Refused extends Data.TaggedError("Refused")<{ readonly message: string }> {}
    const described = [
      Cause.fail(new Refused({ message: "HTTP 403" })),
      Cause.fail({ code: 7 }),
      Cause.fail("no such day"),
      Cause.die(new RangeError("bad page")),
      Cause.interrupt(FiberId.none)
    ].map(RunEvent.describeCause)
    assert.deepStrictEqual(described, [
      { tag: "Refused", message: "HTTP 403" },
      { tag: "Error", message: JSON.stringify({ code: 7 }) },
      { tag: "Error", message: "no such day" },
      { tag: "Defect", message: "RangeError: bad page" },
      { tag: "Interrupted", message: "interrupted before it finished" }
    ])
  })
})
