/**
 * The demo: the PNCP pipeline against its local fake on 127.0.0.1, driven by the `baliza` command exactly as a user
 * drives it against the real API (only `--base-url` and `--details-url` differ). It materializes every consulta endpoint
 * for the days asked, with live progress on stderr, the details of the first day, then prints what the checks said and
 * a summary of the marts; a second `materialize` of the same days finds everything up to date and makes no request.
 */
import { Cli } from "@baliza/cli"
import { EventLog } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { PncpFake, Warehouse } from "@baliza/pncp"
import { Effect } from "effect"

export interface DemoOptions {
  /** The DuckDB file. */
  readonly path: string
  /** First and last day to materialize (`YYYY-MM-DD`). */
  readonly from: string
  readonly to: string
  /** The fake's volume (1 = the real API's daily volume). */
  readonly scale: number
  /** Where lines of the report go. */
  readonly print: (line: string) => void
}

const brl = (value: unknown) =>
  `R$ ${Number(value).toLocaleString("pt-BR", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`

/** What the checks of the runs after `before` said: evaluated, passed, and the failures' messages. */
const checksSince = (before: ReadonlySet<string>) =>
  Effect.gen(function*() {
    const log = yield* EventLog.EventLog
    const runs = (yield* log.runs()).filter((run) => !before.has(run.runId))
    const events = yield* Effect.forEach(runs, (run) => log.query({ runId: run.runId, tags: ["CheckEvaluated"] }))
    const checks = events.flat().flatMap((stored) => stored.event._tag === "CheckEvaluated" ? [stored.event] : [])
    return {
      runs: runs.length,
      evaluated: checks.length,
      passed: checks.filter((check) => check.passed).length,
      failures: checks.filter((check) => !check.passed).map((check) => `${check.assetKey}: ${check.message}`)
    }
  })

const summary = (print: (line: string) => void) =>
  Effect.gen(function*() {
    const counts = yield* DuckDB.query(`SELECT
      (SELECT count(*) FROM staging.contratacoes)::BIGINT AS contratacoes,
      (SELECT count(*) FROM staging.contratos)::BIGINT AS contratos,
      (SELECT count(*) FROM staging.atas)::BIGINT AS atas,
      (SELECT count(*) FROM staging.pca)::BIGINT AS pca,
      (SELECT count(*) FROM staging.instrumentos_cobranca)::BIGINT AS instrumentos,
      (SELECT count(*) FROM staging.itens)::BIGINT AS itens,
      (SELECT count(*) FROM staging.arquivos)::BIGINT AS arquivos`)
    print(`staging: ${Object.entries(counts[0] ?? {}).map(([table, n]) => `${String(n)} ${table}`).join(", ")}`)

    print("top órgãos by valor homologado (marts.contratacoes_mensal):")
    const orgaos = yield* DuckDB.query(`SELECT orgao, sum(contratacoes)::BIGINT AS contratacoes,
        sum(valor_homologado)::DOUBLE AS homologado
      FROM marts.contratacoes_mensal GROUP BY orgao ORDER BY homologado DESC NULLS LAST LIMIT 5`)
    for (const row of orgaos) {
      print(
        `  ${String(row.orgao).slice(0, 60).padEnd(60)} ${String(row.contratacoes).padStart(6)}  ${brl(row.homologado)}`
      )
    }

    print("contratações by modalidade:")
    const modalidades = yield* DuckDB.query(`SELECT coalesce(r.nome, m.modalidade::VARCHAR) AS modalidade,
        sum(m.contratacoes)::BIGINT AS contratacoes, sum(m.valor_estimado)::DOUBLE AS estimado
      FROM marts.contratacoes_mensal m LEFT JOIN staging.ref_modalidade r ON r.codigo = m.modalidade
      GROUP BY 1 ORDER BY 2 DESC`)
    for (const row of modalidades) {
      print(`  ${String(row.modalidade).padEnd(40)} ${String(row.contratacoes).padStart(7)}  ${brl(row.estimado)}`)
    }
  })

/** The demo's result: the exit codes of the `baliza` runs and the requests the second one made. */
export interface DemoResult {
  readonly exitCode: number
  readonly detailsExitCode: number
  readonly again: number
  readonly againExitCode: number
  readonly checks: { readonly evaluated: number; readonly passed: number }
}

export const demo = (options: DemoOptions) =>
  Effect.gen(function*() {
    const fake = yield* PncpFake.make({ scale: options.scale })
    const { print } = options
    const storage = Warehouse.storage({ path: options.path })
    const baliza = (...args: ReadonlyArray<string>) =>
      Cli.run([...args, "--db", options.path, "--base-url", fake.consultaUrl, "--details-url", fake.detailsUrl])
    print(`PNCP fake on ${fake.url} (scale ${options.scale}); warehouse ${options.path}`)
    print(`$ baliza materialize --from ${options.from} --to ${options.to} --base-url ${fake.consultaUrl}`)

    const before = new Set(
      (yield* Effect.flatMap(EventLog.EventLog, (log) => log.runs()).pipe(Effect.provide(storage))).map((run) =>
        run.runId
      )
    )
    const started = Date.now()
    const exitCode = yield* baliza("materialize", "--from", options.from, "--to", options.to)
    print(`exit ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s`)
    print(`$ baliza materialize --day ${options.from} --select "pncp/raw/contratacao_detalhes+"`)
    const detailsExitCode = yield* baliza(
      "materialize",
      "--day",
      options.from,
      "--select",
      "pncp/raw/contratacao_detalhes+"
    )
    const requests = (yield* fake.server.stats).requests
    print(`requests served: ${requests}`)

    const checks = yield* checksSince(before).pipe(Effect.provide(storage))
    print(`checks: ${checks.passed} of ${checks.evaluated} passed in ${checks.runs} runs`)
    for (const failure of checks.failures.slice(0, 10)) print(`  ✗ ${failure}`)
    yield* summary(print).pipe(Effect.provide(storage))

    print(`$ baliza materialize --from ${options.from} --to ${options.to}   # again: everything is up to date`)
    const againExitCode = yield* baliza("materialize", "--from", options.from, "--to", options.to)
    const again = (yield* fake.server.stats).requests - requests
    print(`second run: exit ${againExitCode}, ${again} requests`)
    const result: DemoResult = { exitCode, detailsExitCode, again, againExitCode, checks }
    return result
  }).pipe(Effect.scoped)
