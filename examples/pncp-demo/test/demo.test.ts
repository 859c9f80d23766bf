import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { demo } from "../src/demo.js"

describe("pncp-demo", () => {
  it.scopedLive("two days: the first run succeeds, the second makes no request", () =>
    Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-demo-"))),
        (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
      )
      const lines: Array<string> = []
      const result = yield* demo({
        path: NodePath.join(dir, "demo.duckdb"),
        days: "2024-07-01..2024-07-02",
        scale: 0.02,
        print: (line) => lines.push(line)
      })
      assert.strictEqual(result.run.status, "Success", lines.join("\n"))
      assert.strictEqual(result.again, 0)
      assert.isTrue(lines.some((line) => line.startsWith("  staging.itens")), lines.join("\n"))
    }), { timeout: 120_000 })
})
