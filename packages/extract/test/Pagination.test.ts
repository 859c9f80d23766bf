import { assert, describe, it } from "@effect/vitest"
import { FastCheck, Option } from "effect"
import * as Pagination from "../src/Pagination.js"

describe("Pagination", () => {
  it("reads the PNCP envelope", () => {
    const info = Pagination.pncpInfo({
      data: [{}, {}],
      totalRegistros: 102,
      totalPaginas: 3,
      numeroPagina: 1,
      paginasRestantes: 2,
      empty: false
    })
    assert.deepStrictEqual(info, { records: 2, empty: false, totalPages: 3, totalRecords: 102, remainingPages: 2 })
    assert.deepStrictEqual(Pagination.pncpInfo(null), { records: 0, empty: true })
    assert.isTrue(Pagination.pncpInfo({ data: [], empty: true }).empty)
  })

  it("the default reader counts an array body or its data/items/results array", () => {
    assert.strictEqual(Pagination.defaultInfo([1, 2, 3]).records, 3)
    assert.strictEqual(Pagination.defaultInfo({ items: [1] }).records, 1)
    assert.strictEqual(Pagination.defaultInfo({ results: [1, 2] }).records, 2)
    assert.isTrue(Pagination.defaultInfo({ other: 1 }).empty)
  })

  it("pncp() uses pagina and tamanhoPagina", () => {
    const p = Pagination.pncp({ pageSize: 50 })
    assert.strictEqual(p.pageParam, "pagina")
    assert.strictEqual(p.sizeParam, "tamanhoPagina")
    assert.strictEqual(p.pageSize, 50)
    assert.strictEqual(p.firstPage, 1)
    assert.isUndefined(Pagination.pncp().pageSize)
  })

  it("next page: up to the announced total, by remaining pages, or until a short or empty page", () => {
    const p = Pagination.pageNumber({ pageSize: 10 })
    assert.deepStrictEqual(Pagination.nextPage(p, 1, { records: 10, empty: false, totalPages: 3 }), Option.some(2))
    assert.deepStrictEqual(Pagination.nextPage(p, 3, { records: 10, empty: false, totalPages: 3 }), Option.none())
    assert.deepStrictEqual(Pagination.nextPage(p, 2, { records: 10, empty: false, remainingPages: 1 }), Option.some(3))
    assert.deepStrictEqual(Pagination.nextPage(p, 2, { records: 10, empty: false, remainingPages: 0 }), Option.none())
    assert.deepStrictEqual(Pagination.nextPage(p, 2, { records: 9, empty: false }), Option.none())
    assert.deepStrictEqual(Pagination.nextPage(p, 2, { records: 10, empty: false }), Option.some(3))
    assert.deepStrictEqual(Pagination.nextPage(p, 2, { records: 0, empty: true, totalPages: 9 }), Option.none())
  })

  it("the last page accounts for a zero-based first page", () => {
    const info = { records: 5, empty: false, totalPages: 4 }
    assert.deepStrictEqual(Pagination.lastPage(Pagination.pageNumber(), info), Option.some(4))
    assert.deepStrictEqual(Pagination.lastPage(Pagination.pageNumber({ firstPage: 0 }), info), Option.some(3))
  })

  it.prop(
    "following nextPage from the first page visits exactly totalPages pages",
    [FastCheck.integer({ min: 1, max: 200 }), FastCheck.integer({ min: 0, max: 1 })],
    ([totalPages, firstPage]) => {
      const p = Pagination.pageNumber({ firstPage })
      let page = firstPage
      let visited = 1
      for (let guard = 0; guard < 1_000; guard++) {
        const next = Pagination.nextPage(p, page, { records: 1, empty: false, totalPages })
        if (Option.isNone(next)) break
        page = next.value
        visited++
      }
      assert.strictEqual(visited, totalPages)
    }
  )

  it("parses Link headers", () => {
    const links = Pagination.parseLinkHeader(
      "<https://api.test/x?page=2>; rel=\"next\", <https://api.test/x?page=9>; rel=\"last\", <https://api.test/x?page=1>; rel=\"first prev\""
    )
    assert.deepStrictEqual(links, {
      next: "https://api.test/x?page=2",
      last: "https://api.test/x?page=9",
      first: "https://api.test/x?page=1",
      prev: "https://api.test/x?page=1"
    })
    assert.deepStrictEqual(Pagination.parseLinkHeader(undefined), {})
    assert.deepStrictEqual(Pagination.parseLinkHeader("<https://a/b>; rel=next"), { next: "https://a/b" })
  })
})
