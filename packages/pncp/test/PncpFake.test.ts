import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Endpoints from "../src/Endpoints.js"
import * as PncpFake from "../src/PncpFake.js"
import { samplesDir } from "./fixtures/samples.js"

const sample = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(samplesDir, file), "utf8"))

/** Every field path of a value (`a.b`, `a[].c`). */
const paths = (value: unknown, prefix = "", out = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) { for (const element of value) paths(element, `${prefix}[]`, out) }
  else if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      const name = prefix === "" ? key : `${prefix}.${key}`
      out.add(name)
      paths(inner, name, out)
    }
  }
  return out
}
const pathsOf = (records: Iterable<unknown>) => {
  const out = new Set<string>()
  for (const record of records) paths(record, "", out)
  return out
}

interface Answer {
  readonly status: number
  readonly text: string
  readonly json: unknown
}
const get = (url: string) =>
  Effect.promise(async (): Promise<Answer> => {
    const response = await fetch(url)
    const text = await response.text()
    return { status: response.status, text, json: text === "" ? undefined : JSON.parse(text) }
  })

interface Envelope {
  readonly data: ReadonlyArray<Record<string, unknown>>
  readonly totalRegistros: number
  readonly totalPaginas: number
  readonly numeroPagina: number
  readonly paginasRestantes: number
  readonly empty: boolean
}
// Test-only: the fake's envelope, checked field by field by the tests that use it.
const envelope = (answer: Answer) => answer.json as Envelope

const day = "2024-07-01" // a Monday
const pregao = { dataInicial: "20240701", dataFinal: "20240701", codigoModalidadeContratacao: 6 }
const query = (params: Readonly<Record<string, string | number>>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString()

const shift = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
const compact = (iso: string) => iso.replaceAll("-", "")

/** Every record of a consulta request, over HTTP, page after page (500 a page) until the last. */
const pages = (base: string, route: string, params: Readonly<Record<string, string | number>>) =>
  Effect.gen(function*() {
    const out: Array<Record<string, unknown>> = []
    for (let pagina = 1;; pagina++) {
      const answer = yield* get(`${base}/${route}?${query({ ...params, pagina, tamanhoPagina: 500 })}`)
      if (answer.status === 204) break
      assert.strictEqual(answer.status, 200)
      const page = envelope(answer)
      out.push(...page.data)
      if (page.paginasRestantes === 0) break
    }
    return out
  })

/**
 * Brute force, from the records' own fields: the atas published in `scan`'s days (800 back from `from`, past the
 * fake's longest vigência, and a few after `to`) whose `[vigenciaInicio, vigenciaFim]` overlaps `[from, to]`.
 */
const inForce = (atas: Iterable<Record<string, unknown>>, from: string, to: string) =>
  Array.from(atas).filter((ata) => String(ata.vigenciaInicio) <= to && String(ata.vigenciaFim) >= from)
const scanAround = (truth: PncpFake.Truth, from: string, to: string) =>
  truth.scan("ata", shift(from, -800), shift(to, 3))

describe("PncpFake", () => {
  it.scopedLive("envelope and pagination arithmetic; totals equal the truth", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.2 })
      const url = (pagina: number) =>
        `${fake.consultaUrl}/v1/contratacoes/publicacao?${query({ ...pregao, pagina, tamanhoPagina: 50 })}`
      const first = yield* get(url(1))
      assert.strictEqual(first.status, 200)
      const page = envelope(first)
      assert.deepStrictEqual(Object.keys(page), [
        "data",
        "totalRegistros",
        "totalPaginas",
        "numeroPagina",
        "paginasRestantes",
        "empty"
      ])
      assert.strictEqual(page.totalRegistros, fake.truth.count(Endpoints.contratacoesPublicacao, pregao))
      assert.strictEqual(page.totalRegistros, fake.truth.count("contratacoes_publicacao", pregao))
      assert.isAbove(page.totalRegistros, 50)
      assert.strictEqual(page.totalPaginas, Math.ceil(page.totalRegistros / 50))
      assert.deepStrictEqual([page.numeroPagina, page.paginasRestantes, page.empty, page.data.length], [
        1,
        page.totalPaginas - 1,
        false,
        50
      ])
      // Every page, summed: exactly totalRegistros distinct keys, sorted by dataPublicacaoPncp.
      const all: Array<Record<string, unknown>> = [...page.data]
      for (let pagina = 2; pagina <= page.totalPaginas; pagina++) {
        const next = envelope(yield* get(url(pagina)))
        assert.strictEqual(next.paginasRestantes, page.totalPaginas - pagina)
        all.push(...next.data)
      }
      assert.strictEqual(all.length, page.totalRegistros)
      assert.strictEqual(new Set(all.map((r) => r.numeroControlePNCP)).size, all.length)
      const dates = all.map((r) => String(r.dataPublicacaoPncp))
      assert.deepStrictEqual(dates, [...dates].sort())
      assert.isTrue(dates.every((d) => d.startsWith(day)))
      assert.deepStrictEqual(all, fake.truth.records("contratacoes_publicacao", pregao))
    }))

  it.scopedLive("204 with no body when nothing matches and past the last page", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.2 })
      const empty = yield* get(
        `${fake.consultaUrl}/v1/contratacoes/publicacao?${
          query({ ...pregao, codigoModalidadeContratacao: 2, pagina: 1 })
        }`
      )
      assert.deepStrictEqual([empty.status, empty.text], [204, ""])
      const total = fake.truth.count("contratos", { dataInicial: "20240701", dataFinal: "20240701" })
      const past = yield* get(
        `${fake.consultaUrl}/v1/contratos?dataInicial=20240701&dataFinal=20240701&pagina=${
          Math.ceil(total / 500) + 1
        }&tamanhoPagina=500`
      )
      assert.deepStrictEqual([past.status, past.text], [204, ""])
    }))

  it.scopedLive("400 for missing or ill-formed parameters, 422 for an inverted or too long window", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.2 })
      const status = (route: string, params: Readonly<Record<string, string | number>>) =>
        get(`${fake.consultaUrl}/${route}?${query(params)}`).pipe(
          Effect.map((a) => [a.status, typeof (a.json as { message?: unknown } | undefined)?.message] as const)
        )
      const cases: ReadonlyArray<readonly [string, Readonly<Record<string, string | number>>, number]> = [
        ["v1/contratacoes/publicacao", { ...pregao, pagina: 1 }, 200],
        ["v1/contratacoes/publicacao", { ...pregao, dataInicial: "2024-07-01", pagina: 1 }, 400],
        ["v1/contratacoes/publicacao", { ...pregao, dataFinal: "20240231", pagina: 1 }, 400],
        ["v1/contratacoes/publicacao", { ...pregao, pagina: 1, tamanhoPagina: 51 }, 400],
        ["v1/contratacoes/publicacao", { ...pregao, pagina: 1, tamanhoPagina: 9 }, 400],
        ["v1/contratacoes/publicacao", { dataInicial: "20240701", dataFinal: "20240701", pagina: 1 }, 400],
        ["v1/contratacoes/publicacao", { ...pregao, pagina: 0 }, 400],
        ["v1/contratacoes/publicacao", { ...pregao }, 400],
        ["v1/contratos", { dataInicial: "20240701", dataFinal: "20240701", pagina: 1, tamanhoPagina: 501 }, 400],
        ["v1/instrumentoscobranca/inclusao", {
          dataInicial: "20240701",
          dataFinal: "20240701",
          pagina: 1,
          tamanhoPagina: 101
        }, 400],
        ["v1/pca/atualizacao", { dataInicial: "20240701", dataFinal: "20240701", pagina: 1 }, 400],
        // filters: an integer of its size, a string no longer than the spec allows; empty is no filter
        ["v1/contratacoes/publicacao", { ...pregao, pagina: 1, idUsuario: "abc" }, 400],
        ["v1/contratacoes/publicacao", { ...pregao, pagina: 1, codigoModoDisputa: "1.5" }, 400],
        ["v1/contratacoes/publicacao", { ...pregao, pagina: 1, codigoModoDisputa: 2 ** 31 }, 400],
        ["v1/contratos", { dataInicial: "20240701", dataFinal: "20240701", pagina: 1, usuarioId: "1e3" }, 400],
        ["v1/atas", {
          dataInicial: "20240701",
          dataFinal: "20240701",
          pagina: 1,
          codigoUnidadeAdministrativa: "9".repeat(31)
        }, 400],
        ["v1/instrumentoscobranca/inclusao", {
          dataInicial: "20240701",
          dataFinal: "20240701",
          pagina: 1,
          tipoInstrumentoCobranca: "NF-e"
        }, 400],
        [
          "v1/atas",
          { dataInicial: "20240701", dataFinal: "20240701", pagina: 1, codigoUnidadeAdministrativa: "" },
          400
        ],
        ["v1/pca/", { anoPca: 2025, codigoClassificacaoSuperior: "9".repeat(101), pagina: 1 }, 400],
        // an int64 is exact beyond 2^53 (no record has such a user) and refused from 2^63; so is pca_usuario's user
        ["v1/contratacoes/publicacao", { ...pregao, pagina: 1, idUsuario: "9007199254740993" }, 204],
        ["v1/contratacoes/publicacao", { ...pregao, pagina: 1, idUsuario: "-9223372036854775808" }, 204],
        ["v1/contratacoes/publicacao", { ...pregao, pagina: 1, idUsuario: "9223372036854775808" }, 400],
        ["v1/pca/usuario", { anoPca: 2025, idUsuario: "abc", pagina: 1 }, 400],
        ["v1/pca/usuario", { anoPca: 2025, idUsuario: "9223372036854775808", pagina: 1 }, 400],
        ["v1/contratacoes/publicacao", { ...pregao, pagina: 1, idUsuario: "", uf: "", codigoModoDisputa: "+1" }, 200],
        ["v1/pca/", { anoPca: 2025, pagina: 1 }, 400],
        ["v1/pca/", { anoPca: 2025, codigoClassificacaoSuperior: "", pagina: 1 }, 200],
        // pagina, tamanhoPagina and anoPca are int32, the modalidade an int64: integers only, of their size
        ["v1/contratos", { dataInicial: "20240701", dataFinal: "20240701", pagina: "1.0" }, 400],
        ["v1/contratos", { dataInicial: "20240701", dataFinal: "20240701", pagina: "1e0" }, 400],
        ["v1/contratos", { dataInicial: "20240701", dataFinal: "20240701", pagina: 2 ** 31 }, 400],
        ["v1/contratos", { dataInicial: "20240701", dataFinal: "20240701", pagina: 1, tamanhoPagina: "10.0" }, 400],
        ["v1/contratos", { dataInicial: "20240701", dataFinal: "20240701", pagina: "+01", tamanhoPagina: "010" }, 200],
        ["v1/contratacoes/publicacao", { ...pregao, codigoModalidadeContratacao: "6.0", pagina: 1 }, 400],
        [
          "v1/contratacoes/publicacao",
          { ...pregao, codigoModalidadeContratacao: "9223372036854775808", pagina: 1 },
          400
        ],
        ["v1/pca/", { anoPca: "2025.0", codigoClassificacaoSuperior: "7110", pagina: 1 }, 400],
        ["v1/contratos", { dataInicial: "20240702", dataFinal: "20240701", pagina: 1 }, 422],
        ["v1/contratos", { dataInicial: "20230101", dataFinal: "20240701", pagina: 1 }, 422]
      ]
      for (const [route, params, expected] of cases) {
        const [got, message] = yield* status(route, params)
        assert.strictEqual(got, expected, `${route} ${query(params)}`)
        if (expected >= 400) assert.strictEqual(message, "string")
      }
      // 422 bodies as the real API's (API notes §2.2, from production logs).
      const body = (params: Readonly<Record<string, string | number>>) =>
        get(`${fake.consultaUrl}/v1/contratacoes/publicacao?${query({ ...pregao, ...params, pagina: 1 })}`).pipe(
          Effect.map((answer) => {
            const json = Object(answer.json)
            return [answer.status, json.message, json.error]
          })
        )
      assert.deepStrictEqual(yield* body({ dataInicial: "20240702" }), [
        422,
        "Data Inicial deve ser anterior ou igual à Data Final",
        "422 UNPROCESSABLE_ENTITY"
      ])
      assert.deepStrictEqual(yield* body({ dataInicial: "20230101" }), [
        422,
        "Período inicial e final maior que 365 dias.",
        "422 UNPROCESSABLE_ENTITY"
      ])
    }))

  it.scopedLive("a filter selects the records of the unfiltered request that match it, in the same order", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.2 })
      const day = { dataInicial: "20240701", dataFinal: "20240701" }
      const value = (record: Record<string, unknown>, ...path: ReadonlyArray<string>): unknown =>
        path.reduce<unknown>(
          (v, key) => typeof v === "object" && v !== null ? new Map(Object.entries(v)).get(key) : undefined,
          record
        )
      // endpoint, its params, the filter, and where a record keeps the filtered value (the first record's value is used)
      const cases: ReadonlyArray<
        readonly [string, Readonly<Record<string, string | number>>, string, (r: Record<string, unknown>) => unknown]
      > = [
        ["contratacoes_publicacao", pregao, "uf", (r) => value(r, "unidadeOrgao", "ufSigla")],
        ["contratacoes_publicacao", pregao, "cnpj", (r) => value(r, "orgaoEntidade", "cnpj")],
        ["contratacoes_atualizacao", pregao, "codigoModoDisputa", (r) => value(r, "modoDisputaId")],
        ["contratacoes_publicacao", pregao, "idUsuario", (r) => fake.truth.userId(String(value(r, "usuarioNome")))],
        ["contratos", day, "cnpjOrgao", (r) => value(r, "orgaoEntidade", "cnpj")],
        ["contratos", day, "codigoUnidadeAdministrativa", (r) => value(r, "unidadeOrgao", "codigoUnidade")],
        ["atas", day, "cnpj", (r) => value(r, "cnpjOrgao")],
        [
          "pca_atualizacao",
          { dataInicio: "20240701", dataFim: "20240701" },
          "codigoUnidade",
          (r) => value(r, "codigoUnidade")
        ],
        [
          "instrumentoscobranca",
          { dataInicial: "20240701", dataFinal: "20240731" },
          "tipoInstrumentoCobranca",
          (r) => value(r, "tipoInstrumentoCobranca", "id")
        ]
      ]
      for (const [endpoint, params, filter, of] of cases) {
        const all = fake.truth.records(endpoint, params)
        const [first] = all
        assert.isDefined(first, endpoint)
        if (first === undefined) continue
        const wanted = of(first)
        const expected = all.filter((record) => String(of(record)) === String(wanted))
        const route = Endpoints.all.find((e) => e.name === endpoint)?.path ?? ""
        const filtered = { ...params, [filter]: String(wanted) }
        const answer = yield* get(
          `${fake.consultaUrl}/${route}?${query({ ...filtered, pagina: 1, tamanhoPagina: 10 })}`
        )
        const page = answer.json as { readonly data: ReadonlyArray<unknown>; readonly totalRegistros: number }
        assert.strictEqual(answer.status, 200, `${endpoint} ${filter}`)
        assert.strictEqual(page.totalRegistros, expected.length, `${endpoint} ${filter}`)
        assert.deepStrictEqual(page.data, expected.slice(0, 10), `${endpoint} ${filter}`)
        assert.deepStrictEqual(fake.truth.records(endpoint, filtered), expected)
        // a filter is a real selection: a value no record has selects nothing, and where the values vary others are
        // left out (the fake publishes each kind from one system, a modalidade's contratações with one modo de
        // disputa, and every instrumento as an NF-e)
        const absent = yield* get(
          `${fake.consultaUrl}/${route}?${query({ ...params, [filter]: "987654", pagina: 1 })}`
        )
        assert.strictEqual(absent.status, 204, `${endpoint} ${filter}`)
        if (!["idUsuario", "codigoModoDisputa", "tipoInstrumentoCobranca"].includes(filter)) {
          assert.isBelow(expected.length, all.length, `${endpoint} ${filter}`)
        }
      }
      const none = yield* get(
        `${fake.consultaUrl}/v1/contratos?${query({ ...day, cnpjOrgao: "00000000000000", pagina: 1 })}`
      )
      assert.deepStrictEqual([none.status, none.text], [204, ""])
    }))

  it.scopedLive("an integer parameter is a number (+007 is 7), and filters match the server's data, not its drift", () =>
    Effect.gen(function*() {
      const drift = { endpoint: "contratos", rename: [["orgaoEntidade", "orgao"]] as const }
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.2, drift })
      const totalOf = (route: string, params: Readonly<Record<string, string | number>>) =>
        get(`${fake.consultaUrl}/${route}?${query({ ...params, pagina: 1 })}`).pipe(
          Effect.map((a) => (a.json as { readonly totalRegistros?: number } | undefined)?.totalRegistros ?? 0)
        )
      const [first] = fake.truth.records("contratacoes_publicacao", pregao)
      const user = fake.truth.userId(String(first?.usuarioNome))
      const byUser = yield* totalOf("v1/contratacoes/publicacao", { ...pregao, idUsuario: user })
      assert.isAbove(byUser, 0)
      assert.strictEqual(yield* totalOf("v1/contratacoes/publicacao", { ...pregao, idUsuario: `+00${user}` }), byUser)
      const plan = { anoPca: 2025, idUsuario: 7 }
      const planned = yield* totalOf("v1/pca/usuario", plan)
      assert.isAbove(planned, 0)
      assert.strictEqual(yield* totalOf("v1/pca/usuario", { ...plan, idUsuario: "007" }), planned)
      // contratos are served with orgaoEntidade renamed, and still filtered by their órgão
      const day = { dataInicial: "20240701", dataFinal: "20240701" }
      const [contrato] = fake.truth.records("contratos", day)
      const cnpjOrgao = String((contrato?.orgao as { readonly cnpj?: unknown } | undefined)?.cnpj)
      const byOrgao = yield* totalOf("v1/contratos", { ...day, cnpjOrgao })
      assert.isAbove(byOrgao, 0)
      assert.strictEqual(
        byOrgao,
        fake.truth.records("contratos", day).filter((r) => (r.orgao as { cnpj: string }).cnpj === cnpjOrgao).length
      )
    }))

  it.scopedLive("the same request gives the same bytes, and another seed other bytes", () =>
    Effect.gen(function*() {
      const a = yield* PncpFake.make({ seed: 7, scale: 0.2 })
      const b = yield* PncpFake.make({ seed: 7, scale: 0.2 })
      const c = yield* PncpFake.make({ seed: 8, scale: 0.2 })
      const path = `/v1/contratacoes/atualizacao?${query({ ...pregao, pagina: 2 })}`
      const first = yield* get(a.consultaUrl + path)
      assert.strictEqual((yield* get(a.consultaUrl + path)).text, first.text)
      assert.strictEqual((yield* get(b.consultaUrl + path)).text, first.text)
      assert.notStrictEqual((yield* get(c.consultaUrl + path)).text, first.text)
    }))

  it.scopedLive("details: itens count equals quantidade, itens paged to 200 [], arquivos, lookup, 404", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.2 })
      const record = fake.truth.records("contratacoes_publicacao", pregao)[3]
      assert.isDefined(record)
      const orgao = record?.orgaoEntidade as { cnpj: string }
      const compra = { cnpj: orgao.cnpj, ano: Number(record?.anoCompra), sequencial: Number(record?.sequencialCompra) }
      assert.strictEqual(
        record?.numeroControlePNCP,
        `${compra.cnpj}-1-${String(compra.sequencial).padStart(6, "0")}/${compra.ano}`
      )
      const quantidade = yield* get(`${fake.detailsUrl}/${Endpoints.itensQuantidadePath(compra)}`)
      assert.strictEqual(quantidade.json, fake.truth.itensCount(compra))
      const itens: Array<{ numeroItem: number }> = []
      for (let pagina = 1;; pagina++) {
        const answer = yield* get(`${fake.detailsUrl}/${Endpoints.itensPath(compra)}?pagina=${pagina}&tamanhoPagina=4`)
        assert.strictEqual(answer.status, 200)
        const page = answer.json as Array<{ numeroItem: number }>
        if (page.length === 0) break
        itens.push(...page)
      }
      assert.strictEqual(itens.length, quantidade.json)
      assert.deepStrictEqual(itens.map((i) => i.numeroItem), Array.from({ length: itens.length }, (_, i) => i + 1))
      assert.isTrue(itens.length >= 5 && itens.length <= 20)
      const defaultPage = (yield* get(`${fake.detailsUrl}/${Endpoints.itensPath(compra)}`)).json as Array<unknown>
      assert.strictEqual(defaultPage.length, Math.min(10, itens.length))
      const arquivos = (yield* get(`${fake.detailsUrl}/${Endpoints.arquivosPath(compra)}`)).json as Array<unknown>
      assert.strictEqual(arquivos.length, fake.truth.arquivosCount(compra))
      assert.isTrue(arquivos.length >= 1 && arquivos.length <= 5)
      // The lookup answers a RecuperarCompraDTO: the list's record and the four fields the spec adds to it.
      const lookup = yield* get(`${fake.consultaUrl}/${Endpoints.compraPath(compra)}`)
      assert.deepStrictEqual(lookup.json, {
        ...record,
        existeResultado: record?.valorTotalHomologado !== null,
        indicadorOrcamentoSigiloso: "COMPRA_SEM_SIGILO",
        orcamentoSigilosoCodigo: 1,
        orcamentoSigilosoDescricao: "Compra sem sigilo"
      })
      const spec = sample("openapi-consulta.json")
      const fields = (name: string) => Object.keys(Object(Object(spec).components.schemas[name]).properties)
      const listFields = new Set(fields("RecuperarCompraPublicacaoDTO"))
      assert.deepStrictEqual(fields("RecuperarCompraDTO").filter((field) => !listFields.has(field)).sort(), [
        "existeResultado",
        "indicadorOrcamentoSigiloso",
        "orcamentoSigilosoCodigo",
        "orcamentoSigilosoDescricao"
      ])
      const unknown = { ...compra, sequencial: compra.sequencial + 10_000_000 }
      assert.strictEqual((yield* get(`${fake.detailsUrl}/${Endpoints.itensPath(unknown)}`)).status, 404)
      assert.strictEqual(fake.truth.itensCount(unknown), undefined)
    }))

  it.scopedLive("details: arquivos paged as itens (10 by default, 200 [] past the end), arquivos/quantidade, 404", () =>
    Effect.gen(function*() {
      // up to 30 arquivos a contratação, so that some take more than a default page
      const options = { seed: 7, scale: 0.2, maxArquivos: 30 }
      const fake = yield* PncpFake.make(options)
      const compras = fake.truth.records("contratacoes_publicacao", pregao).map((record) => {
        const orgao = record.orgaoEntidade as { cnpj: string }
        return { cnpj: orgao.cnpj, ano: Number(record.anoCompra), sequencial: Number(record.sequencialCompra) }
      })
      const compra = compras.find((c) => (fake.truth.arquivosCount(c) ?? 0) > 10)
      assert.isDefined(compra)
      if (compra === undefined) return
      const total = fake.truth.arquivosCount(compra) ?? 0
      assert.isAtMost(total, 30)
      const base = `${fake.detailsUrl}/${Endpoints.arquivosPath(compra)}`
      const quantidade = yield* get(`${fake.detailsUrl}/${Endpoints.arquivosQuantidadePath(compra)}`)
      assert.deepStrictEqual([quantidade.status, quantidade.text], [200, String(total)])
      const arquivos: Array<unknown> = []
      let pagina = 1
      for (;; pagina++) {
        const answer = yield* get(`${base}?pagina=${pagina}&tamanhoPagina=4`)
        assert.strictEqual(answer.status, 200)
        const page = answer.json as Array<unknown>
        assert.isAtMost(page.length, 4)
        if (page.length === 0) break
        arquivos.push(...page)
      }
      assert.strictEqual(pagina, Math.ceil(total / 4) + 1, "200 [] past the end")
      assert.deepStrictEqual(arquivos, [...fake.truth.arquivos(compra)])
      assert.deepStrictEqual((yield* get(base)).json, fake.truth.arquivos(compra).slice(0, 10), "10 by default")
      assert.deepStrictEqual((yield* get(`${base}?pagina=2`)).json, fake.truth.arquivos(compra).slice(10, 20))
      assert.strictEqual((yield* get(`${base}?tamanhoPagina=0`)).status, 400)
      // the same answers from another fake of the same options
      const again = yield* PncpFake.make(options)
      assert.strictEqual(
        (yield* get(`${again.detailsUrl}/${Endpoints.arquivosPath(compra)}?pagina=2&tamanhoPagina=4`)).text,
        (yield* get(`${base}?pagina=2&tamanhoPagina=4`)).text
      )
      // the default fake: 1–5 arquivos a contratação
      const counts = compras.map((c) => PncpFake.truth({ seed: 7, scale: 0.2 }).arquivosCount(c) ?? 0)
      assert.deepStrictEqual([Math.min(...counts), Math.max(...counts)], [1, 5])
      const unknown = { ...compra, sequencial: compra.sequencial + 10_000_000 }
      for (const path of [Endpoints.arquivosPath(unknown), Endpoints.arquivosQuantidadePath(unknown)]) {
        const answer = yield* get(`${fake.detailsUrl}/${path}`)
        assert.deepStrictEqual([answer.status, Object(answer.json).message], [404, "Contratação não cadastrada."])
      }
      assert.strictEqual((yield* get(`${fake.consultaUrl}/${Endpoints.arquivosQuantidadePath(compra)}`)).status, 404)
    }))

  it.scopedLive("details: integer parameters bound as the consulta's (1.0, 1e0 refused, +01 is 1), the API's error body", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.2 })
      const record = fake.truth.records("contratacoes_publicacao", pregao)[3]
      const orgao = record?.orgaoEntidade as { cnpj: string }
      const compra = { cnpj: orgao.cnpj, ano: Number(record?.anoCompra), sequencial: Number(record?.sequencialCompra) }
      const itens = `${fake.detailsUrl}/${Endpoints.itensPath(compra)}`
      const arquivos = `${fake.detailsUrl}/${Endpoints.arquivosPath(compra)}`
      const cases: ReadonlyArray<readonly [string, number]> = [
        [`${itens}?pagina=1e0`, 400],
        [`${itens}?pagina=1.0`, 400],
        [`${itens}?pagina=${2 ** 31}`, 400],
        [`${itens}?pagina=0`, 400],
        [`${itens}?pagina=1&tamanhoPagina=10.0`, 400],
        [`${itens}?pagina=1&tamanhoPagina=1e1`, 400],
        [`${arquivos}?pagina=1e0`, 400],
        [`${fake.detailsUrl}/v1/orgaos/${compra.cnpj}/compras/${compra.ano}/${compra.sequencial}.0/itens`, 400],
        [`${fake.detailsUrl}/v1/orgaos/${compra.cnpj}/compras/2e3/${compra.sequencial}/itens/quantidade`, 400],
        [`${itens}?pagina=%2B01&tamanhoPagina=010`, 200],
        [`${arquivos}?pagina=1`, 200]
      ]
      for (const [url, expected] of cases) {
        const answer = yield* get(url)
        assert.strictEqual(answer.status, expected, url)
        if (expected === 400) {
          // the integration API's error body: {"status":"404","error":"404 NOT_FOUND","message":…} (API notes §4)
          const body = Object(answer.json)
          assert.deepStrictEqual([body.status, body.error, typeof body.message], ["400", "400 BAD_REQUEST", "string"])
        }
      }
      const padded = yield* get(`${itens}?pagina=%2B01&tamanhoPagina=010`)
      assert.deepStrictEqual(padded.json, fake.truth.itens(compra).slice(0, 10))
      const unknown = yield* get(`${fake.detailsUrl}/${Endpoints.itensPath({ ...compra, sequencial: 9_999_999 })}`)
      assert.deepStrictEqual(unknown.json, {
        status: "404",
        error: "404 NOT_FOUND",
        message: "Contratação não cadastrada."
      })
    }))

  it.scopedLive("PCA by year (trailing slash as in the spec) and by user: a classificação selects some units", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.05 })
      const params = { anoPca: 2025, codigoClassificacaoSuperior: "7110" }
      const answer = yield* get(`${fake.consultaUrl}/v1/pca/?${query({ ...params, pagina: 1, tamanhoPagina: 500 })}`)
      assert.strictEqual(answer.status, 200)
      const page = envelope(answer)
      assert.strictEqual(page.totalRegistros, fake.truth.count(Endpoints.pca, params))
      assert.isTrue(
        page.totalRegistros > 0 && page.totalRegistros < fake.truth.published("pca", "2024-01-01", "2024-12-31")
      )
      assert.isTrue(page.data.every((r) => r.anoPca === 2025))
      const other = fake.truth.records(Endpoints.pca, { ...params, codigoClassificacaoSuperior: "6505" })
      assert.notDeepEqual(other.map((r) => r.idPcaPncp), page.data.map((r) => r.idPcaPncp))
      const usuario = yield* get(`${fake.consultaUrl}/v1/pca/usuario?anoPca=2025&idUsuario=3&pagina=1`)
      assert.strictEqual(usuario.status, 200)
      const missing = yield* get(`${fake.consultaUrl}/v1/pca/?anoPca=2025&pagina=1`)
      assert.strictEqual(missing.status, 400)
    }))

  it.scopedLive("/v1/pca/ by classificação: the year's units with itens of it, each with only those itens", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.01 })
      const classeOf = (item: unknown) =>
        typeof item === "object" && item !== null && "classificacaoSuperiorCodigo" in item
          ? item.classificacaoSuperiorCodigo
          : undefined
      // brute force from the year's units (an empty classificação is no filter)
      const year = fake.truth.records(Endpoints.pca, { anoPca: 2025, codigoClassificacaoSuperior: "" })
      const classe = "7060"
      const expected = year.flatMap((unit) => {
        const itens = Array.isArray(unit.itens) ? unit.itens.filter((item) => classeOf(item) === classe) : []
        return itens.length > 0 ? [{ ...unit, itens }] : []
      })
      assert.isTrue(expected.length > 0 && expected.length < year.length)
      const served = yield* pages(fake.consultaUrl, "v1/pca/", { anoPca: 2025, codigoClassificacaoSuperior: classe })
      assert.deepStrictEqual(served, expected)
      const none = yield* get(`${fake.consultaUrl}/v1/pca/?anoPca=2025&codigoClassificacaoSuperior=0000&pagina=1`)
      assert.strictEqual(none.status, 204)
    }))

  it("identities: numeroControlePNCP unique over a week, consistent with cnpj/ano/sequencial, órgãos skewed", () => {
    const truth = PncpFake.truth({ seed: 3, scale: 0.3 })
    const seen = new Set<string>()
    const byOrgao = new Map<string, number>()
    let n = 0
    for (const record of truth.scan("contratacao", "2024-07-01", "2024-07-07")) {
      const orgao = record.orgaoEntidade as { cnpj: string }
      const control = String(record.numeroControlePNCP)
      assert.match(control, /^\d{14}-1-\d{6}\/\d{4}$/)
      assert.strictEqual(
        control,
        `${orgao.cnpj}-1-${String(record.sequencialCompra).padStart(6, "0")}/${record.anoCompra}`
      )
      seen.add(control)
      byOrgao.set(orgao.cnpj, (byOrgao.get(orgao.cnpj) ?? 0) + 1)
      n++
    }
    assert.strictEqual(n, truth.published("contratacao", "2024-07-01", "2024-07-07"))
    assert.strictEqual(seen.size, n)
    // A few órgãos dominate: the top 10% hold well over 10% of the contratações.
    const sizes = [...byOrgao.values()].sort((a, b) => b - a)
    const top = sizes.slice(0, Math.ceil(sizes.length / 10)).reduce((a, b) => a + b, 0)
    assert.isAbove(top / n, 0.3)
    // Contratos and atas point at contratações that exist.
    for (const contrato of [...truth.scan("contrato", "2024-07-01", "2024-07-01")].slice(0, 50)) {
      const [cnpj = "", rest = ""] = String(contrato.numeroControlePncpCompra).split("-1-")
      const [sequencial = "", ano = ""] = rest.split("/")
      assert.isDefined(truth.itensCount({ cnpj, ano: Number(ano), sequencial: Number(sequencial) }))
    }
  })

  it.scopedLive("an ata is its contratação's: same órgão and unidade as the compra it names", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.05 })
      const atas = [...fake.truth.scan("ata", day, day)]
      assert.isAbove(atas.length, 20)
      // As in the real sample (500 of 500): numeroControlePNCPCompra starts with cnpjOrgao.
      for (const ata of atas) {
        assert.strictEqual(String(ata.numeroControlePNCPCompra).slice(0, 14), ata.cnpjOrgao)
      }
      for (const ata of atas.slice(0, 20)) {
        const [, cnpj = "", sequencial = "", ano = ""] =
          /^(\d{14})-1-(\d{6})\/(\d{4})$/.exec(String(ata.numeroControlePNCPCompra)) ?? []
        const answer = yield* get(
          `${fake.consultaUrl}/${Endpoints.compraPath({ cnpj, ano: Number(ano), sequencial: Number(sequencial) })}`
        )
        assert.strictEqual(answer.status, 200)
        const compra = Object(answer.json)
        assert.deepStrictEqual(
          [ata.cnpjOrgao, ata.nomeOrgao, ata.codigoUnidadeOrgao, ata.nomeUnidadeOrgao],
          [
            compra.orgaoEntidade.cnpj,
            compra.orgaoEntidade.razaoSocial,
            compra.unidadeOrgao.codigoUnidade,
            compra.unidadeOrgao.nomeUnidade
          ]
        )
      }
    }))

  it.scopedLive("an instrumento is listed on its day of inclusão and names the contrato it bills, as it exists", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.2 })
      const july = { dataInicial: "20240701", dataFinal: "20240731" }
      const instrumentos = fake.truth.records("instrumentoscobranca", july)
      assert.isAbove(instrumentos.length, 300)
      const answer = yield* get(`${fake.consultaUrl}/v1/instrumentoscobranca/inclusao?${query({ ...july, pagina: 1 })}`)
      assert.deepStrictEqual(envelope(answer).data, instrumentos.slice(0, 100))
      // The endpoint lists by data de inclusão, so every instrumento of July was included in July.
      assert.deepStrictEqual(
        instrumentos.filter((r) =>
          !String(r.dataInclusao).startsWith("2024-07") || r.dataAtualizacao !== r.dataInclusao
        ),
        []
      )
      const keys = new Set(
        instrumentos.map((r) => [r.cnpj, r.ano, r.sequencialContrato, r.sequencialInstrumentoCobranca].join(" "))
      )
      assert.strictEqual(keys.size, instrumentos.length)
      // recuperarContratoDTO is the contrato of (cnpj, ano, sequencialContrato), as /v1/contratos published it.
      const published = new Map<string, ReadonlyArray<Record<string, unknown>>>()
      const contratosOf = (day: string) => {
        const found = published.get(day) ?? fake.truth.records("contratos", { dataInicial: day, dataFinal: day })
        published.set(day, found)
        return found
      }
      for (const instrumento of instrumentos) {
        const dto = Object(instrumento.recuperarContratoDTO)
        const control = `${instrumento.cnpj}-2-${
          String(instrumento.sequencialContrato).padStart(6, "0")
        }/${instrumento.ano}`
        assert.deepStrictEqual(
          [dto.orgaoEntidade.cnpj, dto.anoContrato, dto.sequencialContrato, dto.numeroControlePNCP],
          [instrumento.cnpj, instrumento.ano, instrumento.sequencialContrato, control]
        )
        const contrato = contratosOf(compact(String(dto.dataPublicacaoPncp).slice(0, 10))).find((r) =>
          r.numeroControlePNCP === control
        )
        assert.isDefined(contrato, control)
        assert.deepStrictEqual(
          [dto.orgaoEntidade, dto.unidadeOrgao, dto.niFornecedor, dto.valorInicial, dto.dataVigenciaFim],
          [
            contrato?.orgaoEntidade,
            contrato?.unidadeOrgao,
            contrato?.niFornecedor,
            contrato?.valorInicial,
            contrato?.dataVigenciaFim
          ]
        )
        // Billed while the contrato was in force, and never before it was updated, if it was.
        assert.isTrue(String(instrumento.dataEmissaoDocumento) <= String(dto.dataVigenciaFim))
        assert.isTrue(String(dto.dataAtualizacaoGlobal) < String(instrumento.dataInclusao))
      }
    }))

  it("volumes: weekday totals near the defaults, modalidades 6 and 8 dominate, weekends lighter", () => {
    const truth = PncpFake.truth({ seed: 1 })
    const monday = truth.published("contratacao", "2024-07-01", "2024-07-01")
    assert.isTrue(monday > 5_000 && monday < 8_000, String(monday))
    const sunday = truth.published("contratacao", "2024-07-07", "2024-07-07")
    assert.isBelow(sunday, monday / 3)
    const byModalidade = (codigo: number) =>
      truth.count("contratacoes_publicacao", { ...pregao, codigoModalidadeContratacao: codigo })
    assert.isAbove(byModalidade(6) + byModalidade(8), monday * 0.6)
    assert.strictEqual(byModalidade(3), 0)
    const contratos = truth.count("contratos", { dataInicial: "20240701", dataFinal: "20240701" })
    assert.isTrue(contratos > 2_500 && contratos < 4_500)
    const small = PncpFake.truth({ seed: 1, scale: 0.01 }).published("contratacao", "2024-07-01", "2024-07-01")
    assert.isTrue(small > 40 && small < 90, String(small))
  })

  it.scopedLive("/v1/atas returns the atas whose vigência overlaps the window, by dataPublicacaoPncp; pages agree", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.01 })
      const windows = [["2024-07-10", "2024-07-10"], ["2024-07-01", "2024-07-31"]] as const
      for (const [from, to] of windows) {
        const params = { dataInicial: compact(from), dataFinal: compact(to) }
        const scanned = [...scanAround(fake.truth, from, to)]
        const expected = inForce(scanned, from, to)
        assert.strictEqual(fake.truth.count("atas", params), expected.length, from)
        assert.deepStrictEqual(fake.truth.records("atas", params), expected, from)
        // Older atas still in force, not the window's publications (at this scale vigências last 180–191 days); sorted as
        // the API sorts them.
        assert.isTrue(String(expected[0]?.dataPublicacaoPncp) < shift(from, -180))
        const dates = expected.map((r) => String(r.dataPublicacaoPncp))
        assert.deepStrictEqual(dates, [...dates].sort())
        // Published after the window, or expired the day before it: left out; expiring on its first day: in.
        const returned = new Set(expected.map((r) => r.numeroControlePNCPAta))
        assert.strictEqual(returned.size, expected.length)
        const later = scanned.filter((r) => String(r.dataPublicacaoPncp) > to)
        const expired = scanned.filter((r) => r.vigenciaFim === shift(from, -1))
        const lastDay = scanned.filter((r) => r.vigenciaFim === from)
        assert.isTrue(later.length > 0 && expired.length > 0 && lastDay.length > 0)
        assert.isTrue([...later, ...expired].every((r) => !returned.has(r.numeroControlePNCPAta)))
        assert.isTrue(lastDay.every((r) => returned.has(r.numeroControlePNCPAta)))
        // The route: every page, in order, and 204 past the last.
        const url = (pagina: number) =>
          `${fake.consultaUrl}/v1/atas?${query({ ...params, pagina, tamanhoPagina: 500 })}`
        const first = envelope(yield* get(url(1)))
        assert.strictEqual(first.totalRegistros, expected.length)
        assert.strictEqual(first.totalPaginas, Math.ceil(expected.length / 500))
        const all = [...first.data]
        for (let pagina = 2; pagina <= first.totalPaginas; pagina++) all.push(...envelope(yield* get(url(pagina))).data)
        assert.deepStrictEqual(all, expected)
        assert.strictEqual((yield* get(url(first.totalPaginas + 1))).status, 204)
      }
      // …/atualizacao still selects by update day.
      const updated = fake.truth.records("atas_atualizacao", { dataInicial: "20240710", dataFinal: "20240710" })
      assert.isAbove(updated.length, 0)
      assert.isTrue(updated.every((r) => r.dataAtualizacaoGlobal === "2024-07-10"))
    }))

  it("/v1/atas in closed form past 550 atas a day (indexes wrap the vigência spread) agrees with a brute force", () => {
    const truth = PncpFake.truth({ seed: 7, scale: 0.01, volumes: { atas: 60_000 } })
    const [from, to] = ["2024-07-01", "2024-07-31"] as const
    const scanned = [...scanAround(truth, from, to)]
    const perDay = new Map<unknown, number>()
    for (const ata of scanned) perDay.set(ata.dataPublicacaoPncp, (perDay.get(ata.dataPublicacaoPncp) ?? 0) + 1)
    assert.isAbove([...perDay.values()].filter((n) => n > 550).length, 100)
    const month = { dataInicial: compact(from), dataFinal: compact(to) }
    assert.strictEqual(truth.count("atas", month), inForce(scanned, from, to).length)
    const key = (r: Record<string, unknown>) => `${r.dataPublicacaoPncp} ${r.numeroControlePNCPAta}`
    const oneDay = { dataInicial: "20240710", dataFinal: "20240710" }
    assert.deepStrictEqual(
      truth.records("atas", oneDay).map(key),
      inForce(scanned, "2024-07-10", "2024-07-10").map(key)
    )
  })

  it.scopedLive("updates: a tenth of the records, 1–30 days later; …/atualizacao selects by the current update", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({ seed: 5, scale: 0.05, updateRate: 0.1 })
      const published = new Map(
        fake.truth.records("contratos", { dataInicial: "20240701", dataFinal: "20240701" }).map((r) => [
          String(r.numeroControlePNCP),
          r
        ])
      )
      // Every update comes within 30 days: over the month from the publication day, each record once, as published.
      const month = yield* pages(fake.consultaUrl, "v1/contratos/atualizacao", {
        dataInicial: "20240701",
        dataFinal: "20240731"
      })
      const again = month.filter((r) => published.has(String(r.numeroControlePNCP)))
      assert.deepStrictEqual(
        again.map((r) => r.numeroControlePNCP).sort(),
        [...published.keys()].sort()
      )
      assert.deepStrictEqual(again, again.map((r) => published.get(String(r.numeroControlePNCP))))
      const updated = again.filter((r) => String(r.dataAtualizacaoGlobal).slice(0, 10) > day)
      // About 10% of the day's contratos (binomial: generous bounds).
      assert.isTrue(
        updated.length > published.size * 0.03 && updated.length < published.size * 0.2,
        String(updated.length)
      )
      // An update is a new version of the same record: a changed value (the valorGlobal, no longer the valorInicial).
      for (const record of again) {
        const isUpdated = updated.includes(record)
        assert.strictEqual(String(record.dataPublicacaoPncp).slice(0, 10), day)
        assert.strictEqual(record.valorGlobal !== record.valorInicial, isUpdated, String(record.numeroControlePNCP))
        if (!isUpdated) assert.strictEqual(record.dataAtualizacaoGlobal, record.dataPublicacaoPncp)
      }
      // The publication day's own window: the day's contratos not updated later, and earlier ones updated that day.
      const sameDay = fake.truth.records("contratos_atualizacao", { dataInicial: "20240701", dataFinal: "20240701" })
      assert.deepStrictEqual(
        sameDay.filter((r) => String(r.dataPublicacaoPncp).slice(0, 10) === day).map((r) => r.numeroControlePNCP),
        again.filter((r) => !updated.includes(r)).map((r) => r.numeroControlePNCP)
      )
      assert.isTrue(sameDay.every((r) => String(r.dataAtualizacaoGlobal).slice(0, 10) === day))
      assert.isTrue(sameDay.some((r) => String(r.dataPublicacaoPncp).slice(0, 10) < day))
      // Each updated contrato on its update day.
      for (const record of updated.slice(0, 10)) {
        const on = compact(String(record.dataAtualizacaoGlobal).slice(0, 10))
        const that = fake.truth.records("contratos_atualizacao", { dataInicial: on, dataFinal: on })
        assert.deepStrictEqual(that.filter((r) => r.numeroControlePNCP === record.numeroControlePNCP), [record])
      }
    }))

  it.scopedLive("contratos/atualizacao over a month returns each contrato once (its current version)", () =>
    Effect.gen(function*() {
      // A record has one dataAtualizacaoGlobal; the endpoint selects records by it, so a window holds each key once.
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.01 })
      const records = yield* pages(fake.consultaUrl, "v1/contratos/atualizacao", {
        dataInicial: "20240701",
        dataFinal: "20240731"
      })
      assert.isAbove(records.length, 100)
      const byKey = new Map<string, Array<unknown>>()
      for (const r of records) {
        const key = String(r.numeroControlePNCP)
        byKey.set(key, [...(byKey.get(key) ?? []), r.dataAtualizacaoGlobal])
      }
      const repeated = [...byKey].filter(([, versions]) => versions.length > 1)
      assert.strictEqual(
        repeated.length,
        0,
        `${repeated.length} keys come back more than once in one window, e.g. ${JSON.stringify(repeated.slice(0, 2))}`
      )
      // Some of them published in June and updated in July, some published in July and updated in August (left out).
      assert.isTrue(records.some((r) => String(r.dataPublicacaoPncp) < "2024-07-01"))
      assert.isTrue(records.every((r) => String(r.dataAtualizacaoGlobal).slice(0, 7) === "2024-07"))
      assert.strictEqual(
        records.length,
        fake.truth.count("contratos_atualizacao", { dataInicial: "20240701", dataFinal: "20240731" })
      )
    }))

  it.scopedLive("the publication endpoint serves a record's current version, as the update endpoint does", () =>
    Effect.gen(function*() {
      // Real: publication pages carry later updates — contratacoes_publicacao.page1.json: 4/10 records with
      // dataAtualizacaoGlobal 14–28 days after dataPublicacaoPncp; atas.page1.json: 486/500 updated ≥ 296 days later.
      const realContratacoes: ReadonlyArray<unknown> = Array.from(
        Object(sample("contratacoes_publicacao.page1.json")).data
      )
      const later = realContratacoes.filter((r) =>
        String(Object(r).dataAtualizacaoGlobal).slice(0, 10) > String(Object(r).dataPublicacaoPncp).slice(0, 10)
      )
      assert.strictEqual(later.length, 4)
      const fake = yield* PncpFake.make({ seed: 7, scale: 0.05 })
      // A contrato updated on 2024-07-20, published before.
      const updated = (yield* pages(fake.consultaUrl, "v1/contratos/atualizacao", {
        dataInicial: "20240720",
        dataFinal: "20240720"
      })).find((r) => String(r.dataPublicacaoPncp).slice(0, 10) < "2024-07-20")
      assert.isDefined(updated)
      const published = compact(String(updated?.dataPublicacaoPncp).slice(0, 10))
      const served = (yield* pages(fake.consultaUrl, "v1/contratos", { dataInicial: published, dataFinal: published }))
        .find((r) => r.numeroControlePNCP === updated?.numeroControlePNCP)
      assert.isDefined(served)
      assert.deepStrictEqual(served, updated, `${updated?.numeroControlePNCP} from /v1/contratos vs …/atualizacao`)
      // So do the single contratação and the contratações' publication endpoint.
      const onUpdateDay = { ...pregao, dataInicial: "20240720", dataFinal: "20240720" }
      const contratacao = fake.truth.records("contratacoes_atualizacao", onUpdateDay).find((r) =>
        String(r.dataPublicacaoPncp).slice(0, 10) < "2024-07-20"
      )
      assert.isDefined(contratacao)
      const on = compact(String(contratacao?.dataPublicacaoPncp).slice(0, 10))
      assert.deepStrictEqual(
        fake.truth.records("contratacoes_publicacao", { ...pregao, dataInicial: on, dataFinal: on })
          .find((r) => r.numeroControlePNCP === contratacao?.numeroControlePNCP),
        contratacao
      )
      const orgao = Object(contratacao?.orgaoEntidade)
      const lookup = yield* get(
        `${fake.consultaUrl}/v1/orgaos/${orgao.cnpj}/compras/${contratacao?.anoCompra}/${contratacao?.sequencialCompra}`
      )
      assert.strictEqual(lookup.status, 200)
      // The list's record and four fields.
      const compra = Object(lookup.json)
      assert.deepStrictEqual(Object.fromEntries(Object.keys(contratacao ?? {}).map((k) => [k, compra[k]])), contratacao)
    }))

  it("the real samples' field paths and the fake's are the same, for every kind", () => {
    const truth = PncpFake.truth({ scale: 0.2 })
    const page = (file: string) => pathsOf((sample(file) as { data: ReadonlyArray<unknown> }).data)
    const results = sample("baliza-endpoint-test-results-9-endpoints.json") as ReadonlyArray<
      { readonly endpoint: string; readonly sample_record: unknown }
    >
    const record = (endpoint: string) => pathsOf([results.find((r) => r.endpoint === endpoint)?.sample_record])
    const fake = (kind: Endpoints.RecordKind) => pathsOf(truth.scan(kind, day, day))
    // The samples leave sub-rogação, fontes and NF-e events null or empty; the fake fills some, with the spec's fields.
    const spec = sample("openapi-consulta.json") as {
      readonly components: { readonly schemas: Record<string, { readonly properties?: Record<string, unknown> }> }
    }
    const dto = (prefix: string, name: string) =>
      Object.keys(spec.components.schemas[name]?.properties ?? {}).map((field) => `${prefix}.${field}`)
    const subRogacao = [
      ...dto("orgaoSubRogado", "RecuperarOrgaoEntidadeDTO"),
      ...dto("unidadeSubRogada", "RecuperarUnidadeOrgaoDTO")
    ]
    const withSpec = (real: Set<string>, paths: ReadonlyArray<string>) => new Set([...real, ...paths])
    const pairs: ReadonlyArray<readonly [string, Set<string>, Set<string>]> = [
      [
        "contratacao",
        withSpec(page("contratacoes_publicacao.page1.json"), [
          ...subRogacao,
          ...dto("fontesOrcamentarias[]", "ContratacaoFonteOrcamentariaDTO")
        ]),
        fake("contratacao")
      ],
      ["contrato", withSpec(page("contratos.page1.json"), subRogacao), fake("contrato")],
      ["ata", page("atas.page1.json"), fake("ata")],
      ["pca", record("pca_atualizacao"), fake("pca")],
      [
        "instrumento",
        withSpec(record("instrumentoscobranca_inclusao"), [
          ...dto("notaFiscalEletronica.eventos[]", "EventoNotaFiscalConsultaDTO"),
          ...subRogacao.map((path) => `recuperarContratoDTO.${path}`)
        ]),
        // A month: a day's instrumentos bill too few contratos to meet a sub-rogado one.
        pathsOf(truth.scan("instrumento", "2024-07-01", "2024-07-31"))
      ]
    ]
    assert.strictEqual(subRogacao.length, 10)
    for (const [kind, real, generated] of pairs) {
      assert.isAbove(real.size, 10, kind)
      assert.deepStrictEqual([...generated].sort(), [...real].sort(), kind)
    }
    // Itens and arquivos of the details routes.
    const first = truth.records("contratacoes_publicacao", pregao)[0]
    const compra = {
      cnpj: String((first?.orgaoEntidade as { cnpj?: unknown } | undefined)?.cnpj),
      ano: Number(first?.anoCompra),
      sequencial: Number(first?.sequencialCompra)
    }
    const itemPaths = paths(sample("pncp-api-compra-item.sample.json"))
    assert.isAbove(itemPaths.size, 10)
    assert.deepStrictEqual([...pathsOf(truth.itens(compra))].sort(), [...itemPaths].sort())
    const arquivoPaths = pathsOf(sample("pncp-api-compra-arquivos.sample.json") as ReadonlyArray<unknown>)
    assert.deepStrictEqual([...pathsOf(truth.arquivos(compra))].sort(), [...arquivoPaths].sort())
  })

  it("a few contratações and contratos are sub-rogated; a fifth of contratações list fontes; a tenth of NF-e have events", () => {
    const truth = PncpFake.truth({ scale: 0.2 })
    const week = ["2024-07-01", "2024-07-07"] as const
    const share = (records: ReadonlyArray<Record<string, unknown>>, filled: (r: Record<string, unknown>) => boolean) =>
      records.filter(filled).length / records.length
    const subRogado = (record: Record<string, unknown>) => record.orgaoSubRogado !== null
    const contratacoes = [...truth.scan("contratacao", ...week)]
    const contratos = [...truth.scan("contrato", ...week)]
    for (const records of [contratacoes, contratos]) {
      const rate = share(records, subRogado)
      assert.isTrue(rate > 0.01 && rate < 0.03, `sub-rogados: ${rate}`)
      for (const record of records.filter(subRogado)) {
        const orgao = Object(record.orgaoSubRogado)
        assert.notStrictEqual(orgao.cnpj, Object(record.orgaoEntidade).cnpj)
        assert.isString(Object(record.unidadeSubRogada).codigoUnidade)
      }
      assert.isTrue(records.filter((r) => !subRogado(r)).every((r) => r.unidadeSubRogada === null))
    }
    const fontes = share(contratacoes, (r) => Array.isArray(r.fontesOrcamentarias) && r.fontesOrcamentarias.length > 0)
    assert.isTrue(fontes > 0.15 && fontes < 0.25, `fontes: ${fontes}`)
    // Each instrumento's NF-e is its own: a valid 44-digit access key (mod-11 check digit), its number, emitted on the
    // instrumento's emission date, the same in the portal's answer kept as text.
    const instrumentos = [...truth.scan("instrumento", "2024-07-01", "2024-07-31")]
    const checkDigit = (digits: string) => {
      let sum = 0
      for (let i = digits.length - 1, weight = 2; i >= 0; i--, weight = weight === 9 ? 2 : weight + 1) {
        sum += Number(digits[i]) * weight
      }
      return sum % 11 < 2 ? 0 : 11 - (sum % 11)
    }
    const ddmmyyyy = (iso: unknown) => String(iso).split("-").reverse().join("/")
    for (const record of instrumentos) {
      const nota = Object(record.notaFiscalEletronica)
      assert.match(nota.chave, /^\d{44}$/)
      assert.strictEqual(Number(nota.chave.slice(43)), checkDigit(nota.chave.slice(0, 43)))
      assert.strictEqual(Number(nota.chave.slice(25, 34)), nota.numero)
      assert.strictEqual(record.chaveNFe, nota.chave)
      assert.strictEqual(String(nota.numero), record.numeroInstrumentoCobranca)
      assert.strictEqual(nota.dataEmissao, ddmmyyyy(record.dataEmissaoDocumento))
      const response = JSON.parse(String(record.jsonResponseNFe))
      assert.deepStrictEqual(
        [response.notaFiscalDTO.chaveNotaFiscal, response.notaFiscalDTO.dataEmissao, response.eventosNotaFiscal],
        [nota.chave, nota.dataEmissao, nota.eventos]
      )
    }
    assert.strictEqual(new Set(instrumentos.map((r) => r.chaveNFe)).size, instrumentos.length)
    // About a tenth of the NF-e have an event after their authorization, which is then their most recent one.
    const notas = instrumentos.map((r) => Object(r.notaFiscalEletronica))
    const sortable = (brazilian: string) => brazilian.replace(/^(\d{2})\/(\d{2})\/(\d{4})/, "$3-$2-$1")
    const withEvents = notas.filter((nota) => Array.isArray(nota.eventos) && nota.eventos.length > 0)
    const rate = withEvents.length / notas.length
    assert.isTrue(rate > 0.06 && rate < 0.14, `NF-e events: ${rate} of ${notas.length}`)
    for (const nota of withEvents) {
      const [evento] = nota.eventos
      assert.strictEqual(nota.tipoEventoMaisRecente, evento.evento)
      assert.strictEqual(nota.dataTipoEventoMaisRecente, evento.dataEvento)
      assert.match(evento.dataEvento, /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/)
      assert.match(evento.tipoEvento, /^\d{6}$/)
      assert.isTrue(sortable(evento.dataEvento) > sortable(nota.dataEmissao), `${evento.dataEvento} after emission`)
    }
  })

  it("contratos carry codigoPaisFornecedor and valorAcumulado in the real page's proportions", () => {
    // The real page: "BRA" for 488 of 500 (null for the rest, whose valorAcumulado is null too); valorAcumulado a
    // number for 482 (0 for 475, the valorGlobal for 7).
    const kinds = (records: ReadonlyArray<Record<string, unknown>>) =>
      records.map((r) =>
        r.codigoPaisFornecedor === null
          ? r.valorAcumulado === null ? "no país" : "no país, acumulado"
          : r.codigoPaisFornecedor !== "BRA"
          ? "other país"
          : r.valorAcumulado === null
          ? "no acumulado"
          : r.valorAcumulado === 0
          ? "zero"
          : r.valorAcumulado === r.valorGlobal
          ? "global"
          : "other acumulado"
      )
    const share = (all: ReadonlyArray<string>) => (kind: string) => all.filter((k) => k === kind).length / all.length
    const real = share(kinds(Array.from(Object(sample("contratos.page1.json")).data)))
    assert.deepStrictEqual([real("no país"), real("no acumulado"), real("global"), real("zero")], [
      0.024,
      0.012,
      0.014,
      0.95
    ])
    const contratos = [...PncpFake.truth({ seed: 7, scale: 0.2 }).scan("contrato", "2024-07-01", "2024-07-07")]
    const fake = share(kinds(contratos))
    assert.isAbove(contratos.length, 3000)
    assert.deepStrictEqual([fake("other país"), fake("no país, acumulado"), fake("other acumulado")], [0, 0, 0])
    for (const kind of ["no país", "no acumulado", "global", "zero"]) {
      assert.approximately(fake(kind), real(kind), 0.01, kind)
    }
  })

  it.scopedLive("drift: an added and a renamed field on one endpoint only; faults of the server apply", () =>
    Effect.gen(function*() {
      const fake = yield* PncpFake.make({
        seed: 7,
        scale: 0.05,
        drift: { endpoint: "contratos", add: { novoCampo: "x" }, rename: [["valorGlobal", "valorGlobalContrato"]] }
      })
      const params = "dataInicial=20240701&dataFinal=20240701&pagina=1"
      const drifted = envelope(yield* get(`${fake.consultaUrl}/v1/contratos?${params}`)).data[0]
      assert.strictEqual(drifted?.novoCampo, "x")
      assert.isFalse(drifted !== undefined && "valorGlobal" in drifted)
      assert.isTrue(drifted !== undefined && "valorGlobalContrato" in drifted)
      const other = envelope(yield* get(`${fake.consultaUrl}/v1/contratos/atualizacao?${params}`)).data[0]
      assert.isTrue(other !== undefined && "valorGlobal" in other && !("novoCampo" in other))
      yield* fake.server.setFaults({ outage: { active: true } })
      assert.strictEqual((yield* get(`${fake.consultaUrl}/v1/contratos?${params}`)).status, 503)
    }))
})
