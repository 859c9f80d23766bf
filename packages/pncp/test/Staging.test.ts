/**
 * Staging builds from the raw archive: what a rebuild reads and keeps.
 */
import { DuckDB } from "@baliza/duckdb"
import type { HttpSource } from "@baliza/extract"
import { RawArchive } from "@baliza/extract"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Logger } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as Staging from "../src/Assets/Staging.js"
import { pageOf, stagingTable } from "./fixtures/pages.js"

// Segments of one byte: every archived page starts a segment of its own.
const Archive = RawArchive.layerWith({ segmentBytes: 1 }).pipe(Layer.provideMerge(DuckDB.layerMemory))

describe("Staging", () => {
  it.effect("a rebuild reads only the payload segments that hold its endpoints' pages", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      yield* archive.archive([pageOf("contratos", [
        { numeroControlePNCP: "c-1", dataAtualizacaoGlobal: "2024-07-01T10:00:00" },
        { numeroControlePNCP: "c-2", dataAtualizacaoGlobal: "2024-07-01T11:00:00" }
      ])])
      yield* archive.archive([pageOf("contratos_atualizacao", [
        { numeroControlePNCP: "c-1", dataAtualizacaoGlobal: "2024-07-09T10:00:00" }
      ])])
      yield* archive.archive([pageOf("atas", [{ numeroControlePNCPAta: "ata-1" }])])
      const [{ segments }] = yield* DuckDB.query("SELECT count(*)::INT AS segments FROM raw.payload_segments")
      assert.strictEqual(segments, 3)
      // The atas page's segment is gone: a rebuild that read it would fail.
      const [{ segment }] = yield* DuckDB.query(`SELECT i.segment FROM raw.payload_index i
        JOIN raw.api_requests r ON r.payload_sha256 = i.sha256 WHERE r.endpoint = 'atas'`)
      assert.notStrictEqual(segment, 0)
      yield* DuckDB.execute(`DROP TABLE ${RawArchive.segmentTable(Number(segment))}`)

      yield* Staging.build(stagingTable("staging.contratos"))
      const rows = yield* DuckDB.query(
        "SELECT numeroControlePNCP AS key, dataAtualizacaoGlobal AS updated FROM staging.contratos ORDER BY 1"
      )
      assert.deepStrictEqual(rows.map((row) => [row.key, row.updated]), [
        ["c-1", "2024-07-09T10:00:00"],
        ["c-2", "2024-07-01T11:00:00"]
      ])
      assert.isTrue(Exit.isFailure(yield* Effect.exit(Staging.build(stagingTable("staging.atas")))))
    }).pipe(Effect.provide(Archive)))

  it.effect("each key keeps its newest version whole: latest update first, a missing date last, then the latest page", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const day = 86_400_000
      const t0 = 1_720_000_000_000
      yield* archive.archive([pageOf("contratos", [
        { numeroControlePNCP: "c-1", dataAtualizacaoGlobal: "2024-07-01T10:00:00", valorGlobal: 1 },
        { numeroControlePNCP: "c-2", dataAtualizacaoGlobal: "2024-07-03T10:00:00", valorGlobal: 10 }
      ], t0)])
      yield* archive.archive([pageOf("contratos_atualizacao", [
        { numeroControlePNCP: "c-1", dataAtualizacaoGlobal: "2024-07-05T10:00:00", valorGlobal: 2 },
        { numeroControlePNCP: "c-2", dataAtualizacaoGlobal: "2024-07-03T10:00:00", valorGlobal: 20 }
      ], t0 + day)])
      yield* archive.archive([pageOf("contratos_atualizacao", [
        { numeroControlePNCP: "c-1", dataAtualizacaoGlobal: null, valorGlobal: 3 },
        { numeroControlePNCP: "c-3", dataAtualizacaoGlobal: null, valorGlobal: 30 }
      ], t0 + 2 * day)])

      const kept = DuckDB.query(
        "SELECT numeroControlePNCP AS key, valorGlobal AS valor FROM staging.contratos ORDER BY 1"
      )
      yield* Staging.build(stagingTable("staging.contratos"))
      const rows = yield* kept
      assert.deepStrictEqual(rows.map((row) => [row.key, row.valor]), [["c-1", 2], ["c-2", 20], ["c-3", 30]])
      // The one-statement form keeps the same versions.
      yield* DuckDB.execute(Staging.buildSql(stagingTable("staging.contratos")))
      assert.deepStrictEqual(yield* kept, rows)
    }).pipe(Effect.provide(Archive)))

  it.effect("an instrumento de cobrança keeps the version updated or looked up last, even one with no NF-e left", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const t0 = 1_740_000_000_000
      const instrumento = (sequencial: number, extra: Record<string, unknown>) => ({
        cnpj: "00394460000141",
        ano: 2025,
        sequencialContrato: 7,
        sequencialInstrumentoCobranca: sequencial,
        ...extra
      })
      const first = { dataAtualizacao: "2025-03-21T07:21:57", dataConsultaNFe: "2025-03-21T07:21:57" }
      const firstVersions = [
        instrumento(1, { ...first, observacao: "a1" }),
        instrumento(2, { ...first, observacao: "b1" })
      ]
      yield* archive.archive([pageOf("instrumentoscobranca", firstVersions, t0)])
      // A week later: the first corrected (its NF-e key removed, no look-up date any more); the second's NF-e looked up
      // again, its record not updated.
      yield* archive.archive([pageOf("instrumentoscobranca", [
        instrumento(1, { dataAtualizacao: "2025-03-28T10:00:00", dataConsultaNFe: null, observacao: "a2" }),
        instrumento(2, {
          dataAtualizacao: "2025-03-21T07:21:57",
          dataConsultaNFe: "2025-03-28T10:00:00",
          observacao: "b2"
        })
      ], t0 + 7 * 86_400_000)])
      // And the first versions collected again later, as a re-extraction of their day brings them.
      yield* archive.archive([pageOf("instrumentoscobranca", firstVersions, t0 + 8 * 86_400_000)])
      yield* Staging.build(stagingTable("staging.instrumentos_cobranca"))
      const rows = yield* DuckDB.query(
        "SELECT observacao FROM staging.instrumentos_cobranca ORDER BY sequencialInstrumentoCobranca"
      )
      assert.deepStrictEqual(rows.map((row) => row.observacao), ["a2", "b2"])
    }).pipe(Effect.provide(Archive)))

  it.effect("a record whose key is missing or blank is set aside, also by the one-statement form, never merged", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      yield* archive.archive([pageOf("contratos", [
        { numeroControlePNCP: "", dataAtualizacaoGlobal: "2024-07-01T10:00:00", valorGlobal: 1 },
        { numeroControlePNCP: " ", dataAtualizacaoGlobal: "2024-07-01T11:00:00", valorGlobal: 2 },
        { numeroControlePNCP: null, dataAtualizacaoGlobal: "2024-07-01T11:00:00", valorGlobal: 3 },
        { numeroControlePNCP: null, dataAtualizacaoGlobal: "2024-07-01T12:00:00", valorGlobal: 4 },
        { numeroControlePNCP: "c-1", dataAtualizacaoGlobal: "2024-07-01T11:00:00", valorGlobal: 5 }
      ])])
      const staged = DuckDB.query(
        "SELECT numeroControlePNCP AS key, valorGlobal AS valor FROM staging.contratos ORDER BY 2"
      )
      yield* Staging.build(stagingTable("staging.contratos"))
      assert.deepStrictEqual(yield* staged, [{ key: "c-1", valor: 5 }])
      const quarantined = yield* DuckDB.query(`SELECT reason, record->>'valorGlobal' AS valor FROM staging.quarantine
        WHERE table_name = 'staging.contratos' ORDER BY 2`)
      assert.deepStrictEqual(
        quarantined.map((row) => [row.reason, Number(row.valor)]),
        [1, 2, 3, 4].map((valor) => ["no numeroControlePNCP", valor])
      )
      yield* DuckDB.execute(Staging.buildSql(stagingTable("staging.contratos")))
      assert.deepStrictEqual(yield* staged, [{ key: "c-1", valor: 5 }])
    }).pipe(Effect.provide(Archive)))

  it.effect("a series whose current pages list a record twice is recorded; a refetch that ends earlier clears it", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const contrato = (key: string) => ({ numeroControlePNCP: key, dataAtualizacaoGlobal: "2024-07-01T10:00:00" })
      const series = { endpoint: "contratos", partitionKey: "2024-07-01" }
      const day = 86_400_000
      const t0 = 1_720_000_000_000
      const repeated = Effect.zipRight(
        Staging.build(stagingTable("staging.contratos")),
        DuckDB.query("SELECT partition_key AS series, records, keys FROM staging.repeated_records")
      )
      // The pages shifted while they were fetched: "c-2" came on pages 1 and 2, "c-3" never came.
      yield* archive.archive([
        pageOf("contratos", [contrato("c-1"), contrato("c-2")], t0, { page: 1, pages: 3, total: 5 }),
        pageOf("contratos", [contrato("c-2"), contrato("c-4")], t0, { page: 2, pages: 3, total: 5 }),
        pageOf("contratos", [contrato("c-5")], t0, { page: 3, pages: 3, total: 5 })
      ], series)
      assert.deepStrictEqual(yield* repeated, [{ series: "2024-07-01", records: 5, keys: 4 }])
      // Fetched again, the series is 4 records on 2 pages: its old page 3 is no longer one of its answers.
      yield* archive.archive([
        pageOf("contratos", [contrato("c-1"), contrato("c-3")], t0 + day, { page: 1, pages: 2, total: 4 }),
        pageOf("contratos", [contrato("c-4"), contrato("c-5")], t0 + day, { page: 2, pages: 2, total: 4 })
      ], series)
      assert.deepStrictEqual(yield* repeated, [])
    }).pipe(Effect.provide(Archive)))

  it.effect("segments parsed on several connections give the same table; a failed part leaves the table as it was", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      for (let page = 0; page < 5; page++) {
        yield* archive.archive([pageOf("contratos", [
          { numeroControlePNCP: `c-${page}`, dataAtualizacaoGlobal: "2024-07-01T10:00:00", valorGlobal: page },
          { numeroControlePNCP: "c-0", dataAtualizacaoGlobal: `2024-07-0${page + 1}T12:00:00`, valorGlobal: 10 * page }
        ])])
      }
      const contratos = stagingTable("staging.contratos")
      const kept = DuckDB.query(
        "SELECT numeroControlePNCP AS key, valorGlobal AS valor FROM staging.contratos ORDER BY 1"
      )
      yield* Staging.build(contratos, { parallelism: 1 })
      const rows = yield* kept
      assert.deepStrictEqual(rows.map((row) => [row.key, row.valor]), [
        ["c-0", 40],
        ["c-1", 1],
        ["c-2", 2],
        ["c-3", 3],
        ["c-4", 4]
      ])
      yield* Staging.build(contratos, { parallelism: 3, full: true })
      assert.deepStrictEqual(yield* kept, rows)

      // A part that fails (its page is no longer JSON): the build fails, the table keeps its rows, no load table is
      // left.
      const [{ segment }] = yield* DuckDB.query("SELECT max(segment) AS segment FROM raw.payload_index")
      yield* DuckDB.execute(`UPDATE ${RawArchive.segmentTable(Number(segment))} SET payload = '{"data": [{'`)
      assert.isTrue(Exit.isFailure(yield* Effect.exit(Staging.build(contratos, { parallelism: 2, full: true }))))
      assert.deepStrictEqual(yield* kept, rows)
      const loads = yield* DuckDB.query(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'staging' AND table_name LIKE '%load%'"
      )
      assert.deepStrictEqual(loads, [])
    }).pipe(Effect.provide(Archive)))

  it.effect("a segment parsed in pieces of any size gives the same table as the segment whole", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      // 7 pages of increasing size in one segment, the same key in several of them.
      for (let page = 0; page < 7; page++) {
        yield* archive.archive([pageOf(
          page % 2 === 0 ? "contratos" : "contratos_atualizacao",
          Array.from({ length: page + 1 }, (_, i) => ({
            numeroControlePNCP: `c-${(page * 3 + i) % 11}`,
            dataAtualizacaoGlobal: `2024-07-0${page + 1}T1${i % 10}:00:00`,
            valorGlobal: page * 100 + i
          })),
          1_720_000_000_000 + page
        )])
      }
      const [{ segments }] = yield* DuckDB.query("SELECT count(DISTINCT segment) AS segments FROM raw.payload_index")
      assert.strictEqual(Number(segments), 1)
      const [{ smallest, largest }] = yield* DuckDB.query(
        `SELECT min(size) AS smallest, max(size) AS largest FROM ${RawArchive.segmentTable(0)}`
      )
      const contratos = stagingTable("staging.contratos")
      const table = DuckDB.query("SELECT * FROM staging.contratos ORDER BY numeroControlePNCP")
      yield* Staging.build(contratos, { parallelism: 1 })
      const whole = yield* table
      assert.strictEqual(whole.length, 11)
      // One page a piece, pieces of about one and a half pages, of about the largest page, and several connections.
      for (const pieceBytes of [1, Math.floor(Number(smallest) * 1.5), Number(largest)]) {
        for (const parallelism of [1, 3]) {
          yield* Staging.build(contratos, { parallelism, pieceBytes, full: true })
          assert.deepStrictEqual(yield* table, whole, `pieces of ${pieceBytes} bytes on ${parallelism} connection(s)`)
        }
      }
    }).pipe(Effect.provide(RawArchive.layerWith({}).pipe(Layer.provideMerge(DuckDB.layerMemory)))))

  it.scoped("a build on several connections that runs out of memory is built again on one", () =>
    Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-staging-"))),
        (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
      )
      const warnings: Array<string> = []
      const capture = Logger.make(({ logLevel, message }) => {
        if (logLevel._tag === "Warning") warnings.push(String(message))
      })
      const database = DuckDB.layer({ path: NodePath.join(dir, "warehouse.duckdb"), threads: 1 })
      yield* Effect.gen(function*() {
        const archive = yield* RawArchive.RawArchive
        // 8 segments of two ~2 MB pages: one connection parses a segment within 82 MB, two at once do not (measured
        // with pieces: one connection passes from 76 MB; two ran out of memory at 76–88 MB in every run, and from 92 MB
        // only when their parses met, which 4 segments left to chance).
        const long = "x".repeat(500)
        for (let segment = 0; segment < 8; segment++) {
          yield* archive.archive([2 * segment, 2 * segment + 1].map((n) =>
            pageOf(
              "contratos",
              Array.from({ length: 4000 }, (_, i) => ({
                numeroControlePNCP: `c-${n}-${i}`,
                dataAtualizacaoGlobal: "2024-07-01T10:00:00",
                objetoContrato: `${long}${i}`
              }))
            )
          ))
        }
        yield* DuckDB.execute("SET memory_limit = '82MB'")
        yield* Staging.build(stagingTable("staging.contratos"), { parallelism: 2 })
        assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*)::INT AS n FROM staging.contratos"), [{
          n: 64_000
        }])
        assert.strictEqual(warnings.length, 1)
        assert.match(warnings[0] ?? "", /staging\.contratos on 2 connections ran out of memory; building it on one/)
      }).pipe(
        Effect.provide(RawArchive.layerWith({ segmentBytes: 1 }).pipe(Layer.provideMerge(database))),
        Effect.provide(Logger.replace(Logger.defaultLogger, capture))
      )
    }))
})

const encoder = new TextEncoder()

/** A details answer (a bare array, or any JSON body) of `endpoint`, page `page`. */
const bare = (endpoint: string, body: unknown, fetchedAtMillis: number, page = 1, status = 200): HttpSource.Page => {
  const text = JSON.stringify(body)
  return {
    endpoint,
    url: `http://127.0.0.1/v1/x/${endpoint}?pagina=${page}`,
    params: { pagina: String(page) },
    page,
    status,
    headers: {},
    body: encoder.encode(text),
    json: body,
    info: { records: Array.isArray(body) ? body.length : 0, empty: !Array.isArray(body) || body.length === 0 },
    fetchedAtMillis,
    durationMillis: 5,
    attempts: 1
  }
}

const item = (numeroItem: number, extra: Record<string, unknown> = {}) => ({
  numeroItem,
  descricao: `item ${numeroItem}`,
  dataAtualizacao: "2024-07-01T10:00:00",
  ...extra
})

const t0 = 1_720_000_000_000
const day = 86_400_000

describe("Staging: details answers, and versions tied to the millisecond", () => {
  it.effect("an itens answer that is a JSON object (an error body sent with 200) does not stop staging.itens", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      yield* archive.archive([bare("itens", [item(1), item(2)], t0)], { endpoint: "itens", partitionKey: "A-1" })
      yield* archive.archive([bare("itens", { status: 500, message: "erro interno" }, t0)], {
        endpoint: "itens",
        partitionKey: "B-1"
      })
      const exit = yield* Effect.exit(Staging.build(stagingTable("staging.itens")))
      assert.isTrue(Exit.isSuccess(exit), `staging.itens failed: ${Exit.isFailure(exit) ? String(exit.cause) : ""}`)
      const rows = yield* DuckDB.query(
        "SELECT numeroControlePNCPCompra AS c, numeroItem AS n FROM staging.itens ORDER BY 1, 2"
      )
      assert.deepStrictEqual(rows.map((r) => [r.c, Number(r.n)]), [["A-1", 1], ["A-1", 2]])
    }).pipe(Effect.provide(Archive)))

  it.effect("an arquivos answer that is a JSON object does not stop staging.arquivos", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      yield* archive.archive([bare("arquivos", [{ sequencialDocumento: 1, titulo: "edital" }], t0)], {
        endpoint: "arquivos",
        partitionKey: "A-1"
      })
      yield* archive.archive([bare("arquivos", { message: "Contratação não encontrada" }, t0)], {
        endpoint: "arquivos",
        partitionKey: "B-1"
      })
      const exit = yield* Effect.exit(Staging.build(stagingTable("staging.arquivos")))
      assert.isTrue(Exit.isSuccess(exit), `staging.arquivos failed: ${Exit.isFailure(exit) ? String(exit.cause) : ""}`)
    }).pipe(Effect.provide(Archive)))

  it.effect("itens fetched again (refetch) with an item gone: staging.itens has the contratação's current itens", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      yield* archive.archive([bare("itens", [item(1), item(2), item(3)], t0)], {
        endpoint: "itens",
        partitionKey: "A-1"
      })
      // fetched again a day later: item 3 was removed from the contratação
      yield* archive.archive([bare("itens", [item(1), item(2)], t0 + day)], { endpoint: "itens", partitionKey: "A-1" })
      yield* Staging.build(stagingTable("staging.itens"))
      const rows = yield* DuckDB.query("SELECT numeroItem AS n FROM staging.itens ORDER BY 1")
      assert.deepStrictEqual(rows.map((r) => Number(r.n)), [1, 2])
    }).pipe(Effect.provide(Archive)))

  it.effect("arquivos fetched again with a document withdrawn: staging.arquivos has the current documents", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const doc = (n: number) => ({
        sequencialDocumento: n,
        titulo: `doc ${n}`,
        dataPublicacaoPncp: "2024-07-01T10:00:00"
      })
      yield* archive.archive([bare("arquivos", [doc(1), doc(2)], t0)], { endpoint: "arquivos", partitionKey: "A-1" })
      yield* archive.archive([bare("arquivos", [doc(1)], t0 + day)], { endpoint: "arquivos", partitionKey: "A-1" })
      yield* Staging.build(stagingTable("staging.arquivos"))
      const rows = yield* DuckDB.query("SELECT sequencialDocumento AS n FROM staging.arquivos ORDER BY 1")
      assert.deepStrictEqual(rows.map((r) => Number(r.n)), [1])
    }).pipe(Effect.provide(Archive)))

  it.effect("details fetched again answering an error body (an object, with 200) keep the fetch before; [] empties them", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const doc = { sequencialDocumento: 1, titulo: "edital", dataPublicacaoPncp: "2024-07-01T10:00:00" }
      for (const compra of ["A-1", "B-1"]) {
        yield* archive.archive([bare("itens", [item(1), item(2)], t0)], { endpoint: "itens", partitionKey: compra })
        yield* archive.archive([bare("arquivos", [doc], t0)], { endpoint: "arquivos", partitionKey: compra })
      }
      // a day later A-1's answers are error bodies; B-1's list nothing (its itens and documents were withdrawn)
      for (const endpoint of ["itens", "arquivos"]) {
        yield* archive.archive([bare(endpoint, { status: 500, message: "erro interno" }, t0 + day)], {
          endpoint,
          partitionKey: "A-1"
        })
        yield* archive.archive([bare(endpoint, [], t0 + day)], { endpoint, partitionKey: "B-1" })
      }
      const staged = Effect.gen(function*() {
        const itens = yield* DuckDB.query(
          "SELECT numeroControlePNCPCompra AS c, numeroItem AS n FROM staging.itens ORDER BY 1, 2"
        )
        const arquivos = yield* DuckDB.query(
          "SELECT numeroControlePNCPCompra AS c, sequencialDocumento AS n FROM staging.arquivos ORDER BY 1, 2"
        )
        return [...itens, ...arquivos].map((r) => [r.c, Number(r.n)])
      })
      yield* Staging.build(stagingTable("staging.itens"))
      yield* Staging.build(stagingTable("staging.arquivos"))
      const built = yield* staged
      assert.deepStrictEqual(built, [["A-1", 1], ["A-1", 2], ["A-1", 1]])
      // the one-statement form too
      yield* DuckDB.execute(Staging.buildSql(stagingTable("staging.itens")))
      yield* DuckDB.execute(Staging.buildSql(stagingTable("staging.arquivos")))
      assert.deepStrictEqual(yield* staged, built)
    }).pipe(Effect.provide(Archive)))

  it.effect("two versions of a key tied on update date and collection time: every build keeps the same one", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      // the same contrato in the day's page and in the atualizacao page, fetched in the same millisecond
      for (let k = 0; k < 6; k++) {
        yield* archive.archive([pageOf(
          k % 2 === 0 ? "contratos" : "contratos_atualizacao",
          [
            { numeroControlePNCP: "c-1", dataAtualizacaoGlobal: "2024-07-01T10:00:00", valorGlobal: k },
            { numeroControlePNCP: `x-${k}`, dataAtualizacaoGlobal: "2024-07-01T10:00:00", valorGlobal: 100 + k }
          ],
          t0,
          { page: 1, pages: 1, total: 2 }
        )], { partitionKey: `2024-07-0${k + 1}` })
      }
      const contratos = stagingTable("staging.contratos")
      const kept = DuckDB.query("SELECT valorGlobal AS v FROM staging.contratos WHERE numeroControlePNCP = 'c-1'")
      const seen = new Set<number>()
      for (const [parallelism, pieceBytes] of [[1, undefined], [3, 1], [2, 1], [1, 1]] as const) {
        yield* Staging.build(contratos, { parallelism, pieceBytes, full: true })
        seen.add(Number((yield* kept)[0]?.v))
      }
      yield* DuckDB.execute(Staging.buildSql(contratos))
      seen.add(Number((yield* kept)[0]?.v))
      assert.strictEqual(seen.size, 1, `the kept version depends on how the build ran: ${[...seen].join(", ")}`)
    }).pipe(Effect.provide(Archive)))
})

/** A small seeded generator (a linear congruential one): the same seed, the same archive. */
const random = (seed: number) => {
  let state = seed >>> 0
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    return state / 2 ** 32
  }
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <A>(of: ReadonlyArray<A>): A => of[Math.floor(next() * of.length)]!
  }
}

/**
 * `spec`'s table, its quarantined records and its repeated series, as rows to compare: a table built incrementally
 * must be the one a full build gives, to the row.
 */
const snapshot = (table: string) =>
  Effect.all({
    rows: DuckDB.query(`SELECT * FROM ${table} ORDER BY ALL`),
    quarantine: DuckDB.query(
      `SELECT reason, record::VARCHAR AS record, collected_at, endpoint, partition_key FROM staging.quarantine
       WHERE table_name = $1 ORDER BY ALL`,
      [table]
    ),
    repeated: DuckDB.query(
      `SELECT endpoint, partition_key, records, keys FROM staging.repeated_records WHERE table_name = $1 ORDER BY ALL`,
      [table]
    )
  })

/** Builds `spec` incrementally and a copy of it whole (`<table>_full`), and checks they are the same. */
const buildBoth = (spec: Staging.StagingTable, message: string) =>
  Effect.gen(function*() {
    const reference = { ...spec, table: `${spec.table}_full` }
    yield* Staging.build(spec)
    yield* Staging.build(reference, { full: true })
    const [built, expected] = [yield* snapshot(spec.table), yield* snapshot(reference.table)]
    assert.deepStrictEqual(built, expected, message)
    return built.rows.length
  })

/** The scratch tables of `spec`'s builds (`<table>__load`, `__touched`, …) in the database. */
const scratchLeft = (spec: Staging.StagingTable) =>
  Effect.map(
    DuckDB.query(
      `SELECT schema_name || '.' || table_name AS t FROM duckdb_tables()
       WHERE starts_with(schema_name || '.' || table_name, $1) ORDER BY 1`,
      [`${spec.table}__`]
    ),
    (rows) => rows.map((row) => String(row.t))
  )

const contratoOf = (key: string, updated: string | null = "2024-07-01T10:00:00", valorGlobal = 1) => ({
  numeroControlePNCP: key,
  dataAtualizacaoGlobal: updated,
  valorGlobal
})

describe("Staging: incremental builds", () => {
  it.effect("consulta tables: merged build after build, each the table a full build gives", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const contratos = stagingTable("staging.contratos")
      const rows: Array<number> = []
      for (const seed of [1, 2, 3]) {
        const { int, pick } = random(seed)
        const updates = ["2024-07-01T10:00:00", "2024-07-02T10:00:00", "2024-07-03T10:00:00", null]
        for (let step = 0; step < 6; step++) {
          // a few series of 1–3 pages each, some fetched again, collected in few distinct milliseconds (ties)
          for (let series = 0; series < 1 + int(3); series++) {
            const endpoint = pick(["contratos", "contratos_atualizacao"])
            const partitionKey = `2024-07-0${1 + int(3)}`
            const pages = 1 + int(3)
            const collected = t0 + int(3) * 1000 + step * day * int(2)
            yield* archive.archive(
              Array.from({ length: pages - int(2) * (pages > 1 ? 1 : 0) }, (_, p) =>
                pageOf(
                  endpoint,
                  Array.from({ length: int(4) }, () => ({
                    numeroControlePNCP: pick([`${seed}-a`, `${seed}-b`, `${seed}-c`, `${seed}-d`, `${seed}-e`, ""]),
                    dataAtualizacaoGlobal: pick(updates),
                    valorGlobal: int(1000)
                  })),
                  collected,
                  { page: p + 1, pages, total: pages * 3 }
                )),
              { endpoint, partitionKey }
            )
          }
          rows.push(yield* buildBoth(contratos, `seed ${seed}, step ${step}`))
        }
      }
      // the generator made tables worth comparing
      assert.isAbove(Math.max(...rows), 4)
    }).pipe(Effect.provide(Archive)))

  it.effect("a key of several columns (instrumentos de cobrança) is merged by all of them", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const instrumentos = stagingTable("staging.instrumentos_cobranca")
      const { int, pick } = random(7)
      for (let step = 0; step < 5; step++) {
        yield* archive.archive([pageOf(
          "instrumentoscobranca",
          Array.from({ length: 1 + int(5) }, () => ({
            cnpj: pick(["00394460005887", "29979036000140"]),
            ano: pick([2024, 2025]),
            sequencialContrato: 1 + int(2),
            sequencialInstrumentoCobranca: 1,
            dataAtualizacao: pick(["2024-07-01T10:00:00", "2024-07-02T10:00:00"]),
            dataConsultaNFe: pick(["2024-07-01T12:00:00", null])
          })),
          t0 + step * day
        )], { partitionKey: `2024-07-0${1 + int(2)}` })
        yield* buildBoth(instrumentos, `step ${step}`)
      }
    }).pipe(Effect.provide(Archive)))

  it.effect("details tables: a contratação fetched again replaces its rows, the others are kept", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const { int, pick } = random(11)
      const answer = (): unknown =>
        int(6) === 0
          ? { status: 500, message: "erro interno" }
          : Array.from({ length: int(4) }, () => item(1 + int(5), { valorUnitarioEstimado: int(100) }))
      for (let step = 0; step < 8; step++) {
        for (let n = 0; n < 1 + int(3); n++) {
          const compra = pick(["A-1", "B-1", "C-1", "D-1"])
          const pages = 1 + int(2)
          yield* archive.archive(
            Array.from({ length: pages }, (_, p) => bare("itens", answer(), t0 + step * day + p, p + 1)),
            { endpoint: "itens", partitionKey: compra }
          )
        }
        yield* buildBoth(stagingTable("staging.itens"), `step ${step}`)
      }
    }).pipe(Effect.provide(Archive)))

  it.effect("a build reads only the series that changed; another code version, --force or a dropped table reads all", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const contratos = stagingTable("staging.contratos")
      yield* archive.archive([pageOf("contratos", [contratoOf("c-1")], t0)], { partitionKey: "2024-07-01" })
      yield* Staging.build(contratos)
      // Day 1's page is no longer JSON: a build that reads it fails.
      yield* DuckDB.execute(`UPDATE ${RawArchive.segmentTable(0)} SET payload = '{"data": [{'`)
      yield* archive.archive([pageOf("contratos", [contratoOf("c-2")], t0 + day)], { partitionKey: "2024-07-02" })
      yield* Staging.build(contratos)
      const keys = DuckDB.query("SELECT numeroControlePNCP AS k FROM staging.contratos ORDER BY 1")
      assert.deepStrictEqual(yield* keys, [{ k: "c-1" }, { k: "c-2" }])
      const series = yield* DuckDB.query(
        `SELECT partition_key, requests FROM meta.staging_series WHERE table_name = 'staging.contratos' ORDER BY 1`
      )
      assert.deepStrictEqual(series, [{ partition_key: "2024-07-01", requests: 1 }, {
        partition_key: "2024-07-02",
        requests: 1
      }])
      // Nothing changed: nothing is read.
      yield* Staging.build(contratos)
      const fails = (build: Effect.Effect<void, unknown, DuckDB.DuckDB>) =>
        Effect.map(Effect.exit(build), (exit) => Exit.isFailure(exit))
      assert.isTrue(yield* fails(Staging.build({ ...contratos, codeVersion: "another" })), "another code version")
      assert.isTrue(yield* fails(Staging.build(contratos, { full: true })), "full")
      assert.isTrue(yield* fails(Staging.build(contratos).pipe(Effect.provideService(Staging.FullRebuild, true))))
      // the failed builds changed nothing
      assert.deepStrictEqual(yield* keys, [{ k: "c-1" }, { k: "c-2" }])
      yield* DuckDB.execute("DROP TABLE staging.contratos")
      assert.isTrue(yield* fails(Staging.build(contratos)), "the table dropped")
    }).pipe(Effect.provide(Archive)))

  it.effect("a build that fails before its parse (a touched page's segment unreadable) leaves no scratch table", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const contratos = stagingTable("staging.contratos")
      yield* archive.archive([pageOf("contratos", [contratoOf("c-1")], t0)], { partitionKey: "2024-07-01" })
      yield* Staging.build(contratos)
      const { archived } = yield* archive.archive([pageOf("contratos", [contratoOf("c-2")], t0 + day)], {
        partitionKey: "2024-07-02"
      })
      const [{ segment }] = yield* DuckDB.query("SELECT segment FROM raw.payload_index WHERE sha256 = $1", [
        archived[0]!.sha256
      ])
      yield* DuckDB.execute(`DROP TABLE ${RawArchive.segmentTable(Number(segment))}`)
      assert.isTrue(Exit.isFailure(yield* Effect.exit(Staging.build(contratos))))
      assert.deepStrictEqual(yield* scratchLeft(contratos), [])
    }).pipe(Effect.provide(Archive)))

  it.effect("another database attached with the same tables does not make every build a full one", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const contratos = stagingTable("staging.contratos")
      yield* archive.archive([pageOf("contratos", [contratoOf("c-1")], t0)], { partitionKey: "2024-07-01" })
      yield* Staging.build(contratos)
      // a backup being written, a warehouse compared: attached in the session
      yield* DuckDB.execute(`ATTACH ':memory:' AS other; CREATE SCHEMA other.staging; CREATE SCHEMA other.meta;
        CREATE TABLE other.staging.contratos AS SELECT * FROM staging.contratos;
        CREATE TABLE other.meta.staging_versions_contratos AS SELECT * FROM meta.staging_versions_contratos`)
      // Day 1's page is no longer JSON: a full build fails.
      yield* DuckDB.execute(`UPDATE ${RawArchive.segmentTable(0)} SET payload = '{"data": [{'`)
      yield* archive.archive([pageOf("contratos", [contratoOf("c-2")], t0 + day)], { partitionKey: "2024-07-02" })
      yield* Staging.build(contratos)
      assert.deepStrictEqual(yield* DuckDB.query("SELECT numeroControlePNCP AS k FROM staging.contratos ORDER BY 1"), [
        { k: "c-1" },
        { k: "c-2" }
      ])
    }).pipe(Effect.provide(Archive)))

  it.effect("a newest expression naming a key column merges as the full build ranks", () =>
    Effect.gen(function*() {
      const archive = yield* RawArchive.RawArchive
      const spec: Staging.StagingTable = {
        ...stagingTable("staging.contratos"),
        table: "staging.contratos_by_key",
        newest: "coalesce(dataAtualizacaoGlobal, numeroControlePNCP)"
      }
      yield* archive.archive([pageOf("contratos", [contratoOf("c-1", "2024-07-01T10:00:00", 1)], t0)], {
        partitionKey: "2024-07-01"
      })
      yield* buildBoth(spec, "first (full)")
      yield* archive.archive([pageOf("contratos", [contratoOf("c-1", "2024-07-02T10:00:00", 2)], t0 + day)], {
        partitionKey: "2024-07-02"
      })
      yield* buildBoth(spec, "second (merged)")
    }).pipe(Effect.provide(Archive)))
})
