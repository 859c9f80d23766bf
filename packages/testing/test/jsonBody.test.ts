import { assert, describe, it } from "@effect/vitest"
import { Buffer } from "node:buffer"
import * as JsonBody from "../src/internal/jsonBody.js"

class Point {
  constructor(readonly x: number, readonly y: number) {}
}

const same = (value: unknown) => {
  const expected = JSON.stringify(value)
  const bytes = JsonBody.encode(value)
  assert.isTrue(bytes.equals(Buffer.from(expected ?? "", "utf8")), `${expected} against ${bytes.toString("utf8")}`)
}

describe("jsonBody", () => {
  it("encodes a page as JSON.stringify does, byte for byte", () => {
    const record = (i: number) => ({
      numeroControlePNCP: `00394460000141-1-${String(i).padStart(6, "0")}/2024`,
      objetoCompra: "Aquisição de módulos — ação nº 3 ✓ 🚀",
      valorTotalEstimado: i * 1.5,
      orgaoEntidade: { cnpj: "00394460000141", razaoSocial: "MUNICÍPIO DE SÃO JOÃO" },
      fontes: [{ codigo: 1, dataInclusao: new Date(Date.UTC(2024, 6, 1)) }],
      informacaoComplementar: null,
      ausente: undefined
    })
    same({
      data: Array.from({ length: 50 }, (_, i) => record(i)),
      totalRegistros: 50,
      totalPaginas: 1,
      numeroPagina: 1,
      paginasRestantes: 0,
      empty: false
    })
    same(Array.from({ length: 3 }, (_, i) => record(i)))
  })

  it("keeps JSON.stringify's rules at every level it writes itself", () => {
    const f = () => 1
    same({})
    same([])
    same({ a: [], b: {}, c: [[]], d: [{}] })
    // what has no JSON: left out of objects, null in arrays
    same({ a: undefined, b: f, c: Symbol("s"), d: 1 })
    same([undefined, f, Symbol("s"), 1])
    same({ data: [undefined, f, { a: undefined, b: 2 }] })
    // numbers without JSON, toJSON, classes, prototypes, key order
    same({ nan: Number.NaN, inf: Number.POSITIVE_INFINITY, negativeZero: -0 })
    same({ when: new Date(0), data: [new Date(1), new Point(1, 2)] })
    same({ data: { toJSON: () => "replaced" } })
    same(Object.assign(Object.create(null), { b: 1, a: 2 }))
    same({ b: 1, 2: "two", a: 3, 1: "one" })
    same({ toJSON: "not a function" })
    same(Object.assign([1, 2], { toJSON: () => "an array's own" }))
    // strings: escapes, non-ASCII and a lone surrogate, at the top and inside
    same("\u0000 \"quoted\" \\ \n ação \ud800")
    same({ "\"key\"": ["\ud800", "\udc00x", "é"] })
    // scalars and nothing
    same(null)
    same(42)
    same(true)
    same(undefined)
  })

  it("calls toJSON with the key JSON.stringify passes, and not again on what it returns", () => {
    const keyed = { toJSON: (key: string) => `key=${key}` }
    same({ data: keyed })
    same({ data: [keyed, { inner: keyed }], other: keyed })
    same([keyed, [keyed]])
    same(keyed)
    // a toJSON that returns something with its own toJSON: JSON.stringify does not call the second one
    const twice = { toJSON: (key: string) => ({ key, toJSON: () => "called again" }) }
    same({ data: twice, list: [twice] })
    same(twice)
    // a toJSON that returns undefined: the field is left out, the array slot is null
    const nothing = { toJSON: () => undefined }
    same({ data: nothing, list: [nothing], kept: 1 })
    same(nothing)
    // a toJSON that returns a plain page: its records still get their keys
    same({ page: { toJSON: () => ({ data: [keyed, new Date(2)] }) } })
  })

  it("throws where JSON.stringify throws", () => {
    assert.throws(() => JsonBody.encode({ data: [1n] }), TypeError)
    const cycle: Record<string, unknown> = {}
    cycle.data = [cycle]
    assert.throws(() => JsonBody.encode(cycle), TypeError)
  })
})
