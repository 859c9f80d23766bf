import { EventLog, ExecutionPlan, Materializer } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { context, graph } from "../src/assets.js"
import { daysBetween, produtos, salesCsv, writeInputs } from "../src/generate.js"
import { layer } from "../src/program.js"

const temporaryDirectory = Effect.acquireRelease(
  Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-files-"))),
  (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
)

/** The checks a run evaluated, as `asset[partition] check: passed`, sorted. */
const checksOf = (runId: string) =>
  Effect.gen(function*() {
    const log = yield* EventLog.EventLog
    const stored = yield* log.query({ runId, tags: ["CheckEvaluated"] })
    return stored.flatMap(({ event }) =>
      event._tag === "CheckEvaluated"
        ? [`${event.assetKey}[${event.partitionKey ?? ""}] ${event.checkName}: ${event.passed}`]
        : []
    ).sort()
  })

/** Revenue per category computed from the CSV text, independently of DuckDB. */
const revenueFromCsv = (csvs: ReadonlyArray<string>): Map<string, number> => {
  const categoria = new Map<string, string>(produtos.map((p) => [p.codigo, p.categoria]))
  const revenue = new Map<string, number>()
  for (const csv of csvs) {
    for (const line of csv.trim().split("\n").slice(1)) {
      const [, , produto, quantidade, preco] = line.split(",")
      const key = categoria.get(produto!) ?? "(desconhecida)"
      revenue.set(key, (revenue.get(key) ?? 0) + Math.round(Number(quantidade) * Number(preco) * 100))
    }
  }
  return new Map([...revenue].map(([key, cents]) => [key, cents / 100]))
}

const revenueInMart = Effect.map(
  DuckDB.query("SELECT categoria, receita::DOUBLE AS receita FROM marts.receita_mensal WHERE mes = '2024-01'"),
  (rows) => new Map(rows.map((row) => [String(row.categoria), Number(row.receita)]))
)

describe("file-pipeline", () => {
  it.scopedLive(
    "files → raw → staging → monthly mart; a changed file re-stages its day only; bad files fail alone",
    () =>
      Effect.gen(function*() {
        const dir = yield* temporaryDirectory
        const inputs = NodePath.join(dir, "input")
        const days = daysBetween("2024-01-01", "2024-01-10")
        writeInputs(inputs, days)
        const assets = yield* graph
        const options = { partitions: "2024-01-01..2024-01-10", context }

        yield* Effect.gen(function*() {
          const first = yield* Materializer.materialize(assets, options)
          assert.strictEqual(first.status, "Success", JSON.stringify(first.failures))
          // 10 days of raw and staging, the catalogue, the month.
          assert.strictEqual(first.succeeded, 22)
          assert.deepStrictEqual(yield* revenueInMart, revenueFromCsv(days.map(salesCsv)))
          // Every check ran on every step it belongs to, and passed: one per day on raw and on staging, one for the month.
          assert.deepStrictEqual(
            yield* checksOf(first.runId),
            [
              ...days.map((day) => `files/raw/vendas[${day}] rows_of_the_day: true`),
              "files/marts/receita_mensal[2024-01] receita_confere: true",
              ...days.map((day) => `files/staging/vendas[${day}] produtos_conhecidos: true`)
            ].sort()
          )

          // A day's file is corrected; re-reading every file (forced) finds one new version, so only that day is staged
          // again, and the month rebuilt.
          const day5 = NodePath.join(inputs, "vendas", "2024-01-05.csv")
          const corrected = `${salesCsv("2024-01-05")}20240105-999,2024-01-05,P08,3,300.00\n`
          NodeFs.writeFileSync(day5, corrected)
          const reread = yield* Materializer.materialize(assets, {
            ...options,
            selection: "files/raw/vendas",
            force: true
          })
          assert.strictEqual(reread.succeeded, 10)
          const plan = yield* Materializer.plan(assets, options)
          assert.deepStrictEqual(
            plan.steps.filter((step) => step.action === "Run").map((step) => `${step.id} ${step.reason}`),
            ["files/staging/vendas[2024-01-05] UpstreamChanged", "files/marts/receita_mensal[2024-01] UpstreamPlanned"]
          )
          const second = yield* Materializer.materialize(assets, options)
          assert.strictEqual(second.succeeded, 2)
          assert.deepStrictEqual(yield* checksOf(second.runId), [
            "files/marts/receita_mensal[2024-01] receita_confere: true",
            "files/staging/vendas[2024-01-05] produtos_conhecidos: true"
          ])
          const csvs = days.map((day) => day === "2024-01-05" ? corrected : salesCsv(day))
          assert.deepStrictEqual(yield* revenueInMart, revenueFromCsv(csvs))
          assert.strictEqual(ExecutionPlan.summary(yield* Materializer.plan(assets, options)).UpToDate, 22)

          // A malformed value and a missing file: each day fails with its file named; the good day loads.
          writeInputs(inputs, ["2024-01-11", "2024-01-13"])
          const bad = NodePath.join(inputs, "vendas", "2024-01-11.csv")
          NodeFs.writeFileSync(bad, salesCsv("2024-01-11").replace(/,(\d+),(\d+\.\d\d)\n/, ",dez,$2\n"))
          const third = yield* Materializer.materialize(assets, { ...options, partitions: "2024-01-11..2024-01-13" })
          assert.strictEqual(third.status, "Failure")
          const messages = new Map(third.failures.map((failure) => [failure.stepId, failure.message]))
          assert.include(messages.get("files/raw/vendas[2024-01-11]") ?? "", bad)
          assert.include(messages.get("files/raw/vendas[2024-01-11]") ?? "", "dez")
          assert.include(messages.get("files/raw/vendas[2024-01-12]") ?? "", "2024-01-12.csv does not exist")
          const loaded = yield* DuckDB.query(
            "SELECT arquivo::VARCHAR AS day, count(*)::BIGINT AS n FROM raw.vendas WHERE arquivo > '2024-01-10' GROUP BY 1"
          )
          assert.deepStrictEqual(loaded.map((row) => row.day), ["2024-01-13"])
        }).pipe(Effect.provide(layer({ database: NodePath.join(dir, "warehouse.duckdb"), inputs })))
      }),
    { timeout: 60_000 }
  )
})
