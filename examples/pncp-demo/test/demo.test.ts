import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { demo } from "../src/demo.js"

describe("pncp-demo", () => {
  it.scopedLive(
    "two days through the baliza command: the checks pass, the marts print, the second run makes no request",
    () =>
      Effect.gen(function*() {
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-demo-"))),
          (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
        )
        const lines: Array<string> = []
        const result = yield* demo({
          path: NodePath.join(dir, "demo.duckdb"),
          from: "2024-07-01",
          to: "2024-07-02",
          scale: 0.02,
          print: (line) => lines.push(line)
        })
        const report = lines.join("\n")
        assert.strictEqual(result.exitCode, 0, report)
        assert.strictEqual(result.detailsExitCode, 0, report)
        assert.strictEqual(result.againExitCode, 0, report)
        assert.strictEqual(result.again, 0, report)
        // Reconciliation of every raw partition, and the marts' totals against staging.
        assert.isAbove(result.checks.evaluated, 50, report)
        assert.strictEqual(result.checks.passed, result.checks.evaluated, report)
        assert.match(report, /staging: \d+ contratacoes, \d+ contratos, .* [1-9]\d* itens/)
        assert.include(report, "contratações by modalidade:")
        assert.match(report, /Pregão - Eletrônico +\d+/)
      }),
    { timeout: 120_000 }
  )
})
