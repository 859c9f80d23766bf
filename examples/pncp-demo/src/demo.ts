/**
 * The demo: the PNCP pipeline against its local fake on 127.0.0.1, into one DuckDB file. The first run extracts
 * every consulta endpoint for the days asked (and the details of the first day), stages and models them; the second
 * finds everything up to date and makes no request.
 */
import { ExecutionPlan, Materializer, Partitions } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { Pipeline, PncpFake, Warehouse } from "@baliza/pncp"
import { Effect } from "effect"

export interface DemoOptions {
  /** The DuckDB file. */
  readonly path: string
  /** Days to materialize (`2024-07-01..2024-07-31`). */
  readonly days: string
  /** The fake's volume (1 = the real API's daily volume). */
  readonly scale: number
  /** Where lines of the report go. */
  readonly print: (line: string) => void
}

/** A fixed clock: the demo's partitions do not depend on today's date. */
const context = Partitions.context({ now: Date.parse("2024-12-31T12:00:00Z") })

const tables = [
  "staging.contratacoes",
  "staging.contratos",
  "staging.atas",
  "staging.pca",
  "staging.instrumentos_cobranca",
  "staging.itens",
  "staging.arquivos",
  "marts.contratacoes_mensal",
  "marts.contratos_fornecedor",
  "marts.atas_vigentes_mensal",
  "marts.pca_categoria_orgao",
  "marts.itens_precos"
]

export const demo = (options: DemoOptions) =>
  Effect.gen(function*() {
    const fake = yield* PncpFake.make({ scale: options.scale })
    const { print } = options
    const firstDay = options.days.split("..")[0] ?? options.days
    print(`PNCP fake on ${fake.url} (scale ${options.scale}); warehouse ${options.path}`)

    return yield* Effect.gen(function*() {
      const started = Date.now()
      const run = yield* Pipeline.materialize({ partitions: options.days, context })
      print(
        `run 1: ${run.status}: ${run.succeeded} steps in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
          `${run.failed} failed, ${run.skipped} skipped`
      )
      for (const failure of run.failures.slice(0, 10)) print(`  ✗ ${failure.stepId}: ${failure.message}`)

      const details = yield* Pipeline.materialize({
        partitions: firstDay,
        context,
        selection: "pncp/raw/contratacao_detalhes*"
      })
      print(`details of ${firstDay}: ${details.status}: ${details.succeeded} steps`)

      const requests = (yield* fake.server.stats).requests
      print(`requests served: ${requests}`)
      for (const table of tables) {
        const [row] = yield* DuckDB.query(`SELECT count(*)::BIGINT AS n FROM ${table}`)
        print(`  ${table.padEnd(32)} ${String(row?.n ?? 0).padStart(9)} rows`)
      }
      const top = yield* DuckDB.query(`SELECT fornecedor, contratos, valor_global::DOUBLE AS valor
        FROM marts.contratos_fornecedor ORDER BY valor_global DESC LIMIT 3`)
      print("top fornecedores by valor global:")
      for (const row of top) {
        print(`  ${String(row.fornecedor)}: ${String(row.contratos)} contratos, R$ ${Number(row.valor).toFixed(2)}`)
      }

      const graph = yield* Pipeline.graph
      const plan = yield* Materializer.plan(graph, {
        partitions: options.days,
        context,
        selection: Pipeline.withoutDetails
      })
      print(`run 2 plan: ${JSON.stringify(ExecutionPlan.summary(plan))}`)
      yield* Pipeline.materialize({ partitions: options.days, context })
      const again = (yield* fake.server.stats).requests - requests
      print(`run 2: ${again} requests`)
      return { run, again }
    }).pipe(Effect.provide(Warehouse.layer({
      path: options.path,
      client: { consultaUrl: fake.consultaUrl, detailsUrl: fake.detailsUrl }
    })))
  }).pipe(Effect.scoped)
