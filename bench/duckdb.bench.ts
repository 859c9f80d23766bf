/**
 * DuckDB ingestion benchmark: N PNCP-like records (nested órgão/unidade structs, ~35 fields) loaded three ways.
 *
 *   (1) appending from Node (`DuckDB.appendStream`, JS objects → data chunks), keeping the rows' order and not
 *   (2) DuckDB's native `read_json` of the records as an NDJSON file
 *   (3) staging from raw page payloads (50 records per page) stored as VARCHAR, with `from_json` and the
 *       Schema-derived structure (`Staging.stageJsonPages`), against the naive `unnest(..., recursive := true)`: from
 *       one table of pages, and from segment tables of ~8 MiB as the raw archive stores pages (`RawArchive`), staged
 *       on one connection per core in an instance set to one thread (see `StageJsonPages.parallelism`)
 *
 * Everything lands in a table of one DuckDB file. Prints records/s, the ratio to native `read_json` and peak RSS.
 *
 *   npx tsx bench/duckdb.bench.ts                 # BENCH_RECORDS=1000000 by default
 *   BENCH_RECORDS=200000 BENCH_ROUNDS=3 npx tsx bench/duckdb.bench.ts
 *   BENCH_ONLY=native,appender BENCH_THREADS=2 BENCH_MEMORY_LIMIT=2GB npx tsx bench/duckdb.bench.ts
 *   BENCH_SETTINGS='{"allocator_background_threads":"true"}' npx tsx bench/duckdb.bench.ts   # more DuckDB settings
 *
 * Variants (BENCH_ONLY keys): native, recursive, stage, stage-parallel, stage-segments, appender, append-any-order.
 */
import { DuckDB, Staging, Tables } from "@baliza/duckdb"
import { Effect, Schema, Stream } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { settingsOf } from "./report.js"

const N = Number(process.env.BENCH_RECORDS ?? 1_000_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1)
const THREADS = process.env.BENCH_THREADS === undefined ? undefined : Number(process.env.BENCH_THREADS)
const MEMORY_LIMIT = process.env.BENCH_MEMORY_LIMIT
const ONLY = process.env.BENCH_ONLY?.split(",")
const PAGE_SIZE = 50
// RawArchive's default segment size (BENCH_SEGMENT_BYTES to try others)
const SEGMENT_BYTES = Number(process.env.BENCH_SEGMENT_BYTES ?? 8 * 1024 * 1024)

// ---------------------------------------------------------------------------------------------------------------------
// the record Schema (as the PNCP pipeline would declare it) and a generator of matching records
// ---------------------------------------------------------------------------------------------------------------------

const Orgao = Schema.Struct({
  cnpj: Schema.String,
  razaoSocial: Schema.String,
  poderId: Schema.String,
  esferaId: Schema.String
})
const Unidade = Schema.Struct({
  ufNome: Schema.String,
  codigoIbge: Schema.String,
  codigoUnidade: Schema.String,
  nomeUnidade: Schema.String,
  ufSigla: Schema.String,
  municipioNome: Schema.String
})
const Contratacao = Schema.Struct({
  srp: Schema.Boolean,
  orgaoEntidade: Orgao,
  anoCompra: Schema.Int,
  sequencialCompra: Schema.Int,
  dataInclusao: Schema.Date,
  dataPublicacaoPncp: Schema.Date,
  dataAtualizacao: Schema.Date,
  numeroCompra: Schema.String,
  unidadeOrgao: Unidade,
  amparoLegal: Schema.Struct({ descricao: Schema.String, nome: Schema.String, codigo: Schema.Int }),
  dataAberturaProposta: Schema.NullOr(Schema.Date),
  dataEncerramentoProposta: Schema.NullOr(Schema.Date),
  informacaoComplementar: Schema.NullOr(Schema.String),
  processo: Schema.String,
  objetoCompra: Schema.String,
  linkSistemaOrigem: Schema.NullOr(Schema.String),
  justificativaPresencial: Schema.NullOr(Schema.String),
  unidadeSubRogada: Schema.NullOr(Unidade),
  orgaoSubRogado: Schema.NullOr(Orgao),
  valorTotalHomologado: Schema.NullOr(Schema.Number),
  numeroControlePNCP: Schema.String,
  modoDisputaId: Schema.Int,
  dataAtualizacaoGlobal: Schema.Date,
  linkProcessoEletronico: Schema.NullOr(Schema.String),
  modalidadeId: Schema.Int,
  valorTotalEstimado: Schema.NullOr(Schema.Number),
  modalidadeNome: Schema.String,
  modoDisputaNome: Schema.String,
  tipoInstrumentoConvocatorioCodigo: Schema.Int,
  tipoInstrumentoConvocatorioNome: Schema.String,
  fontesOrcamentarias: Schema.Array(Schema.Struct({
    codigo: Schema.Int,
    nome: Schema.String,
    descricao: Schema.String,
    dataInclusao: Schema.Date
  })),
  situacaoCompraId: Schema.Int,
  situacaoCompraNome: Schema.String,
  usuarioNome: Schema.String
})

const UF = [
  ["Rio Grande do Sul", "RS"],
  ["São Paulo", "SP"],
  ["Minas Gerais", "MG"],
  ["Bahia", "BA"],
  ["Paraná", "PR"]
] as const
const MODALIDADES = [[6, "Pregão - Eletrônico"], [8, "Dispensa"], [9, "Inexigibilidade"], [4, "Concorrência"]] as const
// ISO timestamps are precomputed: Date#toISOString per field would dominate generation.
const TIMES = Array.from(
  { length: 4096 },
  (_, k) => new Date(Date.UTC(2025, 0, 1) + ((k * 7919) % 31_536_000) * 1000).toISOString().slice(0, 19)
)
const DATES = TIMES.map((t) => new Date(`${t}Z`))
const at = (i: number, offset: number) => (i * 31 + offset) & 4095
const pad = (n: number, width: number) => String(n).padStart(width, "0")

interface Fields {
  readonly cnpj: string
  readonly uf: readonly [string, string]
  readonly modalidade: readonly [number, string]
  readonly homologado: number | null
  readonly estimado: number
}

const fieldsOf = (i: number): Fields => ({
  cnpj: pad((i * 2_654_435_761) % 100_000_000_000_000, 14),
  uf: UF[i % UF.length]!,
  modalidade: MODALIDADES[i % MODALIDADES.length]!,
  homologado: i % 5 === 0 ? null : Math.round(i * 37.11 % 1_000_000 * 100) / 100,
  estimado: Math.round(i * 41.3 % 2_000_000 * 100) / 100
})

/** One record as JSON text, written directly (no JSON.stringify) to keep generation fast. */
const recordJson = (i: number): string => {
  const f = fieldsOf(i)
  const fontes = i % 3 === 0
    ? `[{"codigo":${i % 9},"nome":"Fonte ${i % 9}","descricao":"Recursos ordinários ${i % 9}","dataInclusao":"${
      TIMES[at(i, 5)]
    }"}]`
    : "[]"
  const sub = i % 10 === 0
    ? `{"cnpj":"${f.cnpj}","razaoSocial":"SUB ROGADO ${i}","poderId":"E","esferaId":"M"}`
    : "null"
  return `{"srp":${i % 2 === 0},"orgaoEntidade":{"cnpj":"${f.cnpj}","razaoSocial":"ORGAO ENTIDADE ${
    i % 5000
  } DA ADMINISTRACAO PUBLICA","poderId":"E","esferaId":"M"},"anoCompra":2025,"sequencialCompra":${
    i % 997
  },"dataInclusao":"${TIMES[at(i, 0)]}","dataPublicacaoPncp":"${TIMES[at(i, 1)]}","dataAtualizacao":"${
    TIMES[at(i, 2)]
  }","numeroCompra":"${pad(i % 10000, 4)}","unidadeOrgao":{"ufNome":"${f.uf[0]}","codigoIbge":"${
    4_300_000 + (i % 5000)
  }","codigoUnidade":"${100_000 + (i % 90_000)}","nomeUnidade":"UNIDADE GESTORA ${i % 3000} DE COMPRAS","ufSigla":"${
    f.uf[1]
  }","municipioNome":"Município ${
    i % 5000
  }"},"amparoLegal":{"descricao":"pregão: modalidade de licitação obrigatória para aquisição de bens e serviços comuns","nome":"Lei 14.133/2021, Art. 28, I","codigo":${
    i % 20
  }},"dataAberturaProposta":"${TIMES[at(i, 3)]}","dataEncerramentoProposta":"${
    TIMES[at(i, 4)]
  }","informacaoComplementar":"${i % 4 === 0 ? `Informação complementar ${i}` : ""}","processo":"${
    pad(i % 100_000, 5)
  }/2025","objetoCompra":"Registro de preços para aquisição de materiais e serviços diversos, lote ${i}, conforme termo de referência.","linkSistemaOrigem":"https://compras.example.gov.br/editais/${i}","justificativaPresencial":null,"unidadeSubRogada":null,"orgaoSubRogado":${sub},"valorTotalHomologado":${f.homologado},"numeroControlePNCP":"${f.cnpj}-1-${
    pad(i % 1_000_000, 6)
  }/2025","modoDisputaId":${1 + (i % 5)},"dataAtualizacaoGlobal":"${
    TIMES[at(i, 6)]
  }","linkProcessoEletronico":null,"modalidadeId":${
    f.modalidade[0]
  },"valorTotalEstimado":${f.estimado},"modalidadeNome":"${
    f.modalidade[1]
  }","modoDisputaNome":"Aberto","tipoInstrumentoConvocatorioCodigo":${
    1 + (i % 3)
  },"tipoInstrumentoConvocatorioNome":"Edital","fontesOrcamentarias":${fontes},"situacaoCompraId":${
    1 + (i % 4)
  },"situacaoCompraNome":"Divulgada no PNCP","usuarioNome":"SISTEMA DE COMPRAS ${i % 50}"}`
}

/** The same record as the JS object the Appender receives (Dates for the TIMESTAMPTZ columns). */
const recordObject = (i: number): DuckDB.RowInput => {
  const f = fieldsOf(i)
  return {
    srp: i % 2 === 0,
    orgaoEntidade: {
      cnpj: f.cnpj,
      razaoSocial: `ORGAO ENTIDADE ${i % 5000} DA ADMINISTRACAO PUBLICA`,
      poderId: "E",
      esferaId: "M"
    },
    anoCompra: 2025,
    sequencialCompra: i % 997,
    dataInclusao: DATES[at(i, 0)]!,
    dataPublicacaoPncp: DATES[at(i, 1)]!,
    dataAtualizacao: DATES[at(i, 2)]!,
    numeroCompra: pad(i % 10000, 4),
    unidadeOrgao: {
      ufNome: f.uf[0],
      codigoIbge: String(4_300_000 + (i % 5000)),
      codigoUnidade: String(100_000 + (i % 90_000)),
      nomeUnidade: `UNIDADE GESTORA ${i % 3000} DE COMPRAS`,
      ufSigla: f.uf[1],
      municipioNome: `Município ${i % 5000}`
    },
    amparoLegal: {
      descricao: "pregão: modalidade de licitação obrigatória para aquisição de bens e serviços comuns",
      nome: "Lei 14.133/2021, Art. 28, I",
      codigo: i % 20
    },
    dataAberturaProposta: DATES[at(i, 3)]!,
    dataEncerramentoProposta: DATES[at(i, 4)]!,
    informacaoComplementar: i % 4 === 0 ? `Informação complementar ${i}` : "",
    processo: `${pad(i % 100_000, 5)}/2025`,
    objetoCompra:
      `Registro de preços para aquisição de materiais e serviços diversos, lote ${i}, conforme termo de referência.`,
    linkSistemaOrigem: `https://compras.example.gov.br/editais/${i}`,
    justificativaPresencial: null,
    unidadeSubRogada: null,
    orgaoSubRogado: i % 10 === 0 ? { cnpj: f.cnpj, razaoSocial: `SUB ROGADO ${i}`, poderId: "E", esferaId: "M" } : null,
    valorTotalHomologado: f.homologado,
    numeroControlePNCP: `${f.cnpj}-1-${pad(i % 1_000_000, 6)}/2025`,
    modoDisputaId: 1 + (i % 5),
    dataAtualizacaoGlobal: DATES[at(i, 6)]!,
    linkProcessoEletronico: null,
    modalidadeId: f.modalidade[0],
    valorTotalEstimado: f.estimado,
    modalidadeNome: f.modalidade[1],
    modoDisputaNome: "Aberto",
    tipoInstrumentoConvocatorioCodigo: 1 + (i % 3),
    tipoInstrumentoConvocatorioNome: "Edital",
    fontesOrcamentarias: i % 3 === 0
      ? [{
        codigo: i % 9,
        nome: `Fonte ${i % 9}`,
        descricao: `Recursos ordinários ${i % 9}`,
        dataInclusao: DATES[at(i, 5)]!
      }]
      : [],
    situacaoCompraId: 1 + (i % 4),
    situacaoCompraNome: "Divulgada no PNCP",
    usuarioNome: `SISTEMA DE COMPRAS ${i % 50}`
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// measuring
// ---------------------------------------------------------------------------------------------------------------------

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
const peakRss = () => process.resourceUsage().maxRSS * 1024

const generate = (dir: string) => {
  const started = performance.now()
  const records = Fs.openSync(Path.join(dir, "records.ndjson"), "w")
  const pages = Fs.openSync(Path.join(dir, "pages.txt"), "w")
  let recordBuffer: Array<string> = []
  let pageBuffer: Array<string> = []
  let page: Array<string> = []
  let pageNumber = 0
  const totalPages = Math.ceil(N / PAGE_SIZE)
  const flush = () => {
    Fs.writeSync(records, recordBuffer.join("\n") + "\n")
    if (pageBuffer.length > 0) Fs.writeSync(pages, pageBuffer.join("\n") + "\n")
    recordBuffer = []
    pageBuffer = []
  }
  for (let i = 0; i < N; i++) {
    const json = recordJson(i)
    recordBuffer.push(json)
    page.push(json)
    if (page.length === PAGE_SIZE || i === N - 1) {
      pageNumber++
      // the PNCP envelope, as the raw archive stores it
      pageBuffer.push(
        `{"data":[${
          page.join(",")
        }],"totalRegistros":${N},"totalPaginas":${totalPages},"numeroPagina":${pageNumber},"paginasRestantes":${
          totalPages - pageNumber
        },"empty":false}`
      )
      page = []
    }
    if (recordBuffer.length === 10_000) flush()
  }
  flush()
  Fs.closeSync(records)
  Fs.closeSync(pages)
  return {
    seconds: (performance.now() - started) / 1000,
    bytes: Fs.statSync(Path.join(dir, "records.ndjson")).size,
    pageBytes: Fs.statSync(Path.join(dir, "pages.txt")).size,
    pages: pageNumber
  }
}

const timed = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const started = performance.now()
    const value = yield* self
    return { value, seconds: (performance.now() - started) / 1000 }
  })

interface Result {
  readonly round: number
  readonly name: string
  readonly recordsPerSecond: number
  readonly seconds: number
  readonly rows: number
  readonly peakRssBytes: number
}

const program = Effect.gen(function*() {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "baliza-duckdb-bench-"))
  yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
  console.log(
    `records: ${N.toLocaleString("en")} (${PAGE_SIZE} per page), rounds: ${ROUNDS}, cpus: ${Os.cpus().length}`
  )
  const generated = generate(dir)
  console.log(
    `generated NDJSON ${mb(generated.bytes)} and ${generated.pages} pages in ${generated.seconds.toFixed(1)} s`
  )

  const db = yield* DuckDB.make({
    path: Path.join(dir, "bench.duckdb"),
    threads: THREADS,
    memoryLimit: MEMORY_LIMIT,
    options: settingsOf(process.env.BENCH_SETTINGS)
  })
  const layer = Effect.provideService(DuckDB.DuckDB, db)
  const count = (table: string) =>
    Effect.map(db.query(`SELECT count(*) AS n FROM ${table}`), (rows) => Number(rows[0]!.n))

  // the raw archive: one VARCHAR payload per page (loading it is setup, not measured)
  yield* db.execute(
    `CREATE TABLE raw_pages AS SELECT payload FROM read_csv('${
      Path.join(dir, "pages.txt")
    }', delim = '\x01', quote = '', escape = '', header = false, columns = {'payload': 'VARCHAR'},
      max_line_size = 100000000, parallel = false)`
  )
  // the same pages in segment tables of ~SEGMENT_BYTES, the raw archive's layout
  const perSegment = Math.max(1, Math.floor(SEGMENT_BYTES / (generated.pageBytes / generated.pages)))
  const segments = Array.from({ length: Math.ceil(generated.pages / perSegment) }, (_, k) => `raw_segment_${k}`)
  yield* Effect.forEach(segments, (segment, k) =>
    db.execute(
      `CREATE TABLE ${segment} AS SELECT payload FROM raw_pages
       WHERE rowid >= ${k * perSegment} AND rowid < ${(k + 1) * perSegment}`
    ))
  yield* db.execute("CHECKPOINT")
  console.log(`raw_pages: ${yield* count("raw_pages")} rows, and ${segments.length} segments of ${perSegment} pages`)
  const threads = THREADS ?? Os.cpus().length
  // one thread: each part runs on its own caller thread instead of competing with DuckDB's pollers
  const withOneThread = <A, E, R>(self: Effect.Effect<A, E, R>) =>
    Effect.acquireUseRelease(
      db.execute("SET threads = 1"),
      () => self,
      () => Effect.orDie(db.execute(`SET threads = ${threads}`))
    )

  const results: Array<Result> = []
  const record = (round: number, name: string, seconds: number, rows: number) => {
    if (rows !== N) throw new Error(`${name}: expected ${N} rows, got ${rows}`)
    const result = { round, name, seconds, rows, recordsPerSecond: N / seconds, peakRssBytes: peakRss() }
    results.push(result)
    console.log(
      `  ${name.padEnd(34)} ${Math.round(result.recordsPerSecond).toLocaleString("en").padStart(9)} rec/s  ${
        seconds.toFixed(1).padStart(6)
      } s   peak RSS ${mb(result.peakRssBytes)}`
    )
  }

  const structure = Tables.jsonStructure(Contratacao).replaceAll("'", "''")
  const stageInto = (target: string, source: string | ReadonlyArray<string>, parallelism: number) =>
    db.execute(`DROP TABLE IF EXISTS ${target}`).pipe(
      Effect.zipRight(Staging.stageJsonPages({ source, payload: "payload", schema: Contratacao, target, parallelism })),
      layer
    )
  // The records as JS objects before the clock starts, as native's NDJSON file is written before its: what is
  // measured is the insert of records Node holds, not their making (built once, for the variants that ask).
  let prebuilt: ReadonlyArray<DuckDB.RowInput> | undefined
  const prebuiltRecords = () => (prebuilt ??= Array.from({ length: N }, (_, i) => recordObject(i)))
  const appendVariant = (key: string, table: string, name: string, preserveOrder: boolean, made: "prebuilt" | "made") =>
    [
      key,
      table,
      name,
      Effect.suspend(() =>
        db.execute(`DROP TABLE IF EXISTS ${table}; ${Tables.createTable(table, Contratacao)}`).pipe(
          // one transaction: DuckDB then writes the rows straight to the file at commit instead of through the WAL
          Effect.zipRight(db.withTransaction(db.appendStream(
            table,
            Object.keys(Contratacao.fields),
            made === "prebuilt"
              ? Stream.fromIterable(prebuiltRecords())
              : Stream.range(0, N - 1).pipe(Stream.map(recordObject)),
            { chunkSize: 10_000, preserveOrder }
          )))
        )
      )
    ] as const
  const all: ReadonlyArray<readonly [string, string, string, Effect.Effect<unknown, unknown>]> = [
    [
      "native",
      "t_native",
      "(2) native read_json",
      db.execute(
        `CREATE OR REPLACE TABLE t_native AS SELECT * FROM read_json('${
          Path.join(dir, "records.ndjson")
        }', format = 'newline_delimited', columns = ${Tables.readJsonColumns(Contratacao)})`
      )
    ],
    [
      "recursive",
      "t_recursive",
      "(3) staging, naive recursive unnest",
      db.execute(
        `CREATE OR REPLACE TABLE t_recursive AS SELECT unnest(from_json(payload, '{"data":[${structure}]}').data,
          recursive := true) FROM raw_pages`
      )
    ],
    ["stage", "t_stage", "(3) staging, one table, x1", stageInto("t_stage", "raw_pages", 1)],
    [
      "stage-parallel",
      "t_stage_parallel",
      `(3) staging, segments, x${threads}, threads 1`,
      withOneThread(stageInto("t_stage_parallel", segments, threads))
    ],
    [
      "stage-segments",
      "t_stage_segments",
      `(3) staging, segments, x${threads}, threads ${threads}`,
      stageInto("t_stage_segments", segments, threads)
    ],
    appendVariant("appender", "t_appender", "(1) append (appendStream)", true, "prebuilt"),
    appendVariant("append-any-order", "t_append_any", "(1) append, preserveOrder false", false, "prebuilt"),
    appendVariant("appender-made", "t_appender", "(1) append, records made inline", true, "made"),
    appendVariant("append-any-order-made", "t_append_any", "(1) any order, records made inline", false, "made")
  ]
  const variants = all.filter(([key]) => ONLY === undefined || ONLY.includes(key) || key === "native")
  if (variants.some(([key]) => key === "appender" || key === "append-any-order")) {
    const built = yield* timed(Effect.sync(prebuiltRecords))
    console.log(
      `built the ${N.toLocaleString("en")} records as JS objects in ${built.seconds.toFixed(1)} s (not measured)`
    )
  }
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round}`)
    for (const [, table, name, run] of variants) {
      const { seconds } = yield* timed(run)
      record(round, name, seconds, yield* count(table))
      // keep the file small between variants
      if (table !== "t_native") yield* db.execute(`DROP TABLE ${table}; CHECKPOINT`)
    }
  }
  // what the append figures include: building the JS objects in Node
  const objects = yield* timed(Stream.runDrain(Stream.range(0, N - 1).pipe(Stream.map(recordObject))))

  const best = (name: string) => Math.max(...results.filter((r) => r.name === name).map((r) => r.recordsPerSecond))
  const native = best("(2) native read_json")
  // Native's own speed moves by ±30% from round to round on this machine: each path against the native run of its
  // own round says more than the best of each.
  const ratiosByRound = (name: string) =>
    results.filter((r) => r.name === name).map((r) => {
      const same = results.find((n) => n.round === r.round && n.name === "(2) native read_json")
      return same === undefined ? Number.NaN : r.recordsPerSecond / same.recordsPerSecond
    })
  console.log(`\nbest of ${ROUNDS} round(s), ratio to native read_json (best; each round against its own native):`)
  for (const name of variants.map(([, , name]) => name)) {
    console.log(
      `  ${name.padEnd(34)} ${Math.round(best(name)).toLocaleString("en").padStart(9)} rec/s  ${
        (best(name) / native).toFixed(2)
      }x  (${ratiosByRound(name).map((ratio) => ratio.toFixed(2)).join(", ")})`
    )
  }
  console.log(
    `  (building the JS objects alone: ${
      Math.round(N / objects.seconds).toLocaleString("en")
    } rec/s, included in (1) "records made inline")`
  )
  console.log(`peak RSS: ${mb(peakRss())}`)
  console.log(JSON.stringify({
    bench: "duckdb",
    records: N,
    rounds: ROUNDS,
    recordsPerSecond: Object.fromEntries(variants.map(([key, , name]) => [key, Math.round(best(name))])),
    ratioToNative: Object.fromEntries(variants.map(([key, , name]) => [key, Number((best(name) / native).toFixed(2))])),
    ratioToNativeByRound: Object.fromEntries(
      variants.map(([key, , name]) => [key, ratiosByRound(name).map((ratio) => Number(ratio.toFixed(2)))])
    ),
    peakRssMB: Math.round(peakRss() / 1e6)
  }))
})

Effect.runPromise(Effect.scoped(program)).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
