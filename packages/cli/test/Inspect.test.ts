/**
 * The reading commands on a day materialized from the PNCP fake: lineage as a tree and as Mermaid, the catalog, CSV
 * and JSON query output, and a run's events as JSON.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { baliza, withFake } from "./fixtures/run.js"

describe("baliza lineage, dump-catalog, query, events", () => {
  it.scopedLive("read what one materialized day holds", () =>
    Effect.gen(function*() {
      const { db, fake } = yield* withFake()
      const run = yield* baliza(
        "--db",
        db,
        "--base-url",
        fake.consultaUrl,
        "--details-url",
        fake.detailsUrl,
        "--json",
        "materialize",
        "--day",
        "2024-07-08"
      )
      assert.strictEqual(run.code, 0, run.stderr)

      const tree = yield* baliza("--db", db, "lineage", "*pncp/marts/contratos_fornecedor")
      assert.include(
        tree.stdout,
        "pncp/raw/contratos\n  └─ pncp/staging/contratos\n    └─ pncp/marts/contratos_fornecedor"
      )
      const mermaid = yield* baliza("--db", db, "lineage", "--mermaid", "pncp/raw/contratos+")
      assert.match(mermaid.stdout, /^flowchart LR\n/)
      assert.include(mermaid.stdout, "pncp_raw_contratos --> pncp_staging_contratos")

      const catalog = yield* baliza("--db", db, "--json", "dump-catalog")
      const tables: ReadonlyArray<
        { schema: string; table: string; rows: number; columns: ReadonlyArray<{ name: string }> }
      > = JSON.parse(catalog.stdout)
      const contratos = tables.find((t) => t.schema === "staging" && t.table === "contratos")
      assert.isDefined(contratos)
      assert.isAbove(contratos!.rows, 0)
      assert.isTrue(contratos!.columns.some((c) => c.name === "numeroControlePNCP"))
      assert.isTrue(tables.some((t) => t.schema === "raw" && t.table === "payload_index"))

      const csv = yield* baliza(
        "--db",
        db,
        "query",
        "--csv",
        "SELECT codigo, nome FROM staging.ref_modalidade ORDER BY codigo LIMIT 2"
      )
      assert.strictEqual(csv.stdout, "codigo,nome\n1,Leilão - Eletrônico\n2,Diálogo Competitivo\n")

      const runId = String(JSON.parse(run.stdout).runId)
      const events = yield* baliza("--db", db, "--json", "events", runId, "--limit", "5")
      const lines = events.stdout.trim().split("\n").map((line) => JSON.parse(line))
      assert.strictEqual(lines.length, 5)
      assert.strictEqual(lines[0]._tag, "RunStarted")
      const unknown = yield* baliza("--db", db, "events", "no-such-run")
      assert.strictEqual(unknown.code, 2)
    }), 120_000)
})
