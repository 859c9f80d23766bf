import { DuckDB } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as SchemaDrift from "../src/SchemaDrift.js"

const Record = Schema.Struct({
  numeroControlePNCP: Schema.String,
  valor: Schema.optional(Schema.NullOr(Schema.Number)),
  orgaoEntidade: Schema.NullOr(Schema.Struct({ cnpj: Schema.String, razaoSocial: Schema.String })),
  fontes: Schema.Array(Schema.Struct({ codigo: Schema.Number }))
})
const known = SchemaDrift.knownFields(Record)
const conforming = {
  numeroControlePNCP: "1",
  valor: 10,
  orgaoEntidade: { cnpj: "x", razaoSocial: "Órgão" },
  fontes: [{ codigo: 1 }]
}

describe("SchemaDrift", () => {
  it("a conforming record is not flagged, and nulls are not a shape", () => {
    const a = SchemaDrift.shapeOf(conforming, known)
    const b = SchemaDrift.shapeOf({ ...conforming, orgaoEntidade: null, valor: null, fontes: [] }, known)
    assert.isFalse(a.flagged)
    assert.strictEqual(a.fingerprint, b.fingerprint)
  })

  it("added nested fields and renamed top-level fields are flagged with their paths", () => {
    const added = SchemaDrift.shapeOf(
      { ...conforming, orgaoEntidade: { ...conforming.orgaoEntidade, esfera: "F" }, fontes: [{ codigo: 1, nome: "" }] },
      known
    )
    assert.deepStrictEqual([added.unknown, added.missing], [["fontes[].nome", "orgaoEntidade.esfera"], []])
    const { valor, ...rest } = conforming
    const renamed = SchemaDrift.shapeOf({ ...rest, valorTotal: valor }, known)
    assert.deepStrictEqual([renamed.unknown, renamed.missing, renamed.flagged], [["valorTotal"], ["valor"], true])
    assert.notStrictEqual(renamed.fingerprint, added.fingerprint)
  })

  it("a value of another JSON type, and a field missing from a nested object, are departures with their paths", () => {
    const retyped = SchemaDrift.shapeOf(
      { ...conforming, valor: "1.234,56", orgaoEntidade: "órgão", fontes: [{ codigo: "1" }] },
      known
    )
    assert.deepStrictEqual(retyped.unknown, ["fontes[].codigo:string", "orgaoEntidade:string", "valor:string"])
    assert.isTrue(retyped.flagged)
    const dropped = SchemaDrift.shapeOf({ ...conforming, orgaoEntidade: { razaoSocial: "Órgão" } }, known)
    assert.deepStrictEqual([dropped.unknown, dropped.missing, dropped.flagged], [[], ["orgaoEntidade.cnpj"], true])
    // the same departure in another record is the same shape
    const again = SchemaDrift.shapeOf(
      { ...conforming, valor: "9", orgaoEntidade: "x", fontes: [{ codigo: "2" }] },
      known
    )
    assert.strictEqual(again.fingerprint, retyped.fingerprint)
  })

  it.effect("record stores each new shape once per endpoint and returns only the new ones", () =>
    Effect.gen(function*() {
      const collect = SchemaDrift.collector(known)
      for (let i = 0; i < 100; i++) collect.add({ ...conforming, numeroControlePNCP: String(i) })
      collect.add({ ...conforming, extra: true })
      assert.strictEqual(collect.shapes().length, 2)
      const first = yield* SchemaDrift.record("contratos", collect.shapes(), {
        runId: "r1",
        partitionKey: "2024-01-01"
      })
      assert.strictEqual(first.length, 2)
      const again = yield* SchemaDrift.record("contratos", collect.shapes(), { runId: "r2" })
      assert.strictEqual(again.length, 0)
      const rows = yield* DuckDB.query(
        "SELECT unknown_fields, flagged, first_run_id FROM meta.schema_versions WHERE flagged"
      )
      assert.strictEqual(rows.length, 1)
      assert.deepStrictEqual(rows[0]?.unknown_fields, ["extra"])
      assert.strictEqual(rows[0]?.first_run_id, "r1")
    }).pipe(Effect.provide(DuckDB.layerMemory)))

  it("the collector sees a new field inside list items and deep structs, whatever came before with the same keys", () => {
    const Deep = Schema.Struct({
      id: Schema.String,
      unidade: Schema.Struct({ orgao: Schema.Struct({ cnpj: Schema.String }) }),
      itens: Schema.Array(Schema.Struct({ numero: Schema.Number }))
    })
    const collect = SchemaDrift.collector(SchemaDrift.knownFields(Deep))
    const base = { id: "1", unidade: { orgao: { cnpj: "x" } }, itens: [{ numero: 1 }, { numero: 2 }] }
    collect.add(base)
    collect.add({ ...base, itens: [{ numero: 1 }, { numero: 2, novo: "a" }] })
    collect.add({ ...base, unidade: { orgao: { cnpj: "x", esfera: "F" } } })
    collect.add({ ...base, itens: [{ numero: 1 }, { numero: 2 }, { numero: 3 }] })
    const flagged = collect.shapes().filter((shape) => shape.flagged).map((shape) => shape.unknown)
    assert.deepStrictEqual(flagged.sort(), [["itens[].novo"], ["unidade.orgao.esfera"]])
    assert.strictEqual(collect.shapes().length, 3)
  })

  it("a record that is no object (a string, a number, null in data) is a departure named by its kind at the root", () => {
    const collect = SchemaDrift.collector(known)
    collect.add(conforming)
    for (const record of ["registro", 7, null, [conforming]]) collect.add(record)
    const flagged = collect.shapes().filter((shape) => shape.flagged).map((shape) => shape.unknown)
    assert.deepStrictEqual(flagged, [[":string"], [":number"], [":null"], [":array"]])
    assert.deepStrictEqual(SchemaDrift.shapeOf(null, known).unknown, [":null"])
  })

  it("a fraction in a field staging loads as an integer is a departure; a whole number or a double is not", () => {
    const Counted = Schema.Struct({
      sequencialCompra: Schema.NullOr(Schema.Int),
      valor: Schema.Number,
      anos: Schema.Array(Schema.Int)
    })
    const counted = SchemaDrift.knownFields(Counted)
    const base = { sequencialCompra: 12, valor: 10.5, anos: [2024] }
    assert.isFalse(SchemaDrift.shapeOf(base, counted).flagged)
    assert.isFalse(SchemaDrift.shapeOf({ ...base, sequencialCompra: null }, counted).flagged)
    const fraction = SchemaDrift.shapeOf({ ...base, sequencialCompra: 12.5, anos: [2024, 2024.5] }, counted)
    assert.deepStrictEqual([fraction.unknown, fraction.flagged], [["anos[]:number", "sequencialCompra:number"], true])
    // the public kinds are unchanged: an integer field is a number field
    assert.strictEqual(counted.kinds.get("sequencialCompra"), "number")
  })
})
