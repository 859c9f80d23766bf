/**
 * `Baliza.run` against real processes: one that finishes, one idle past its time, and one whose main thread never
 * gets back to the event loop. A process killed for its time says so, with what its diagnostic report showed.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as Baliza from "../src/Baliza.js"

const script = (name: string, source: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const dir = NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-chaos-run-"))
      const path = NodePath.join(dir, name)
      NodeFs.writeFileSync(path, source)
      return path
    }),
    (path) => Effect.sync(() => NodeFs.rmSync(NodePath.dirname(path), { recursive: true, force: true }))
  )

describe("Baliza.run", () => {
  it.scoped("a process that ends in time is not a timeout", () =>
    Effect.gen(function*() {
      const path = yield* script("ends.mjs", "process.stdout.write('done'); process.exitCode = 3\n")
      const outcome = yield* Baliza.run([], { timeoutMs: 30_000, script: path })
      assert.strictEqual(outcome.exitCode, 3)
      assert.strictEqual(outcome.stdout, "done")
      assert.isFalse(outcome.timedOut)
      assert.isUndefined(outcome.report)
    }), { timeout: 60_000 })

  it.scoped(
    "an idle process past its time is killed, and its report shows an idle main thread",
    () =>
      Effect.gen(function*() {
        const path = yield* script("idle.mjs", "setInterval(() => {}, 1000)\n")
        const outcome = yield* Baliza.run([], { timeoutMs: 2_000, script: path })
        assert.isTrue(outcome.timedOut)
        assert.isNull(outcome.exitCode)
        assert.match(outcome.report ?? "", /^CPU \d+\.\d s user, \d+\.\d s system; active handles: .*timer \d+/)
        assert.include(outcome.report ?? "", "JS stack: empty (idle in the event loop)")
        assert.isFalse(Baliza.crawled(outcome), `CPU ${outcome.cpuSeconds} s in ${outcome.durationMs} ms: not a crawl`)
      }),
    { timeout: 60_000 }
  )

  it.scoped(
    "a process busy off its main thread past its time: the report shows an idle main thread and the CPU used",
    () =>
      Effect.gen(function*() {
        // a crawl: two other threads spin (bounded to 60 s) while the main thread waits in its event loop
        const path = yield* script(
          "crawl.mjs",
          "import { Worker } from 'node:worker_threads'\n" +
            "for (let i = 0; i < 2; i++) {\n" +
            "  new Worker('const end = Date.now() + 60_000; while (Date.now() < end) {}', { eval: true })\n" +
            "}\n"
        )
        const outcome = yield* Baliza.run([], { timeoutMs: 3_000, script: path })
        assert.isTrue(outcome.timedOut)
        assert.include(outcome.report ?? "", "JS stack: empty (idle in the event loop)")
        assert.isTrue(Baliza.crawled(outcome), `CPU ${outcome.cpuSeconds} s in ${outcome.durationMs} ms: a crawl`)
      }),
    { timeout: 60_000 }
  )

  it.scoped("a process whose main thread is stuck gives no report and is killed anyway", () =>
    Effect.gen(function*() {
      // Bounded: the busy loop ends by itself after 60 s if the SIGKILL never came.
      const path = yield* script("busy.mjs", "const end = Date.now() + 60_000\nwhile (Date.now() < end) {}\n")
      const outcome = yield* Baliza.run([], { timeoutMs: 2_000, script: path })
      assert.isTrue(outcome.timedOut)
      assert.strictEqual(outcome.signal, "SIGKILL")
      assert.isBelow(outcome.durationMs, 30_000)
      assert.strictEqual(outcome.report, "no diagnostic report: the main thread did not get back to its event loop")
    }), { timeout: 60_000 })
})
