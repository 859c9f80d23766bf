import { assert, describe, it } from "@effect/vitest"
import { FastCheck, Option } from "effect"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import * as JsonBytes from "../src/internal/jsonBytes.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** What the body gave before: the value, or that it throws. */
const reference = (bytes: Uint8Array): { readonly value: unknown } | "throws" => {
  try {
    return { value: JSON.parse(decoder.decode(bytes)) }
  } catch {
    return "throws"
  }
}

/** The split path gives the reference value; `split: false` allows it to decline (a body it cannot split). */
const assertSameAsReference = (bytes: Uint8Array, options: { readonly split: boolean } = { split: true }) => {
  const expected = reference(bytes)
  const pieces = JsonBytes.parseInPieces(bytes)
  if (expected === "throws") {
    // never a value for a body that is not JSON
    assert.isTrue(Option.isNone(pieces))
    assert.throws(() => JsonBytes.parse(bytes))
    return
  }
  if (options.split) assert.isTrue(Option.isSome(pieces), "the body was not split")
  for (const actual of [...Option.toArray(pieces), JsonBytes.parse(bytes)]) {
    assert.deepStrictEqual(actual, expected.value)
    // the same key order, and "__proto__" as an own key
    assert.strictEqual(JSON.stringify(actual), JSON.stringify(expected.value))
  }
}

/** A page-like body of at least `bytes`: an envelope whose `data` repeats `records`, pretty-printed or not. */
const envelope = (records: ReadonlyArray<unknown>, bytes: number, indent: number | string | undefined) => {
  for (let copies = 1;; copies *= 2) {
    const data = Array.from({ length: copies }, () => records).flat()
    const body = encoder.encode(JSON.stringify({ data, totalRegistros: data.length, empty: false }, null, indent))
    if (body.length >= bytes) return body
  }
}

const samples = NodePath.join(import.meta.dirname, "..", "..", "..", "..", "shared", "pncp-samples")

describe("jsonBytes", () => {
  it("parses the real PNCP pages as JSON.parse of the decoded text does", () => {
    for (const file of ["contratos.page1.json", "atas.page1.json", "contratacoes_publicacao.page1.json"]) {
      const bytes = new Uint8Array(NodeFs.readFileSync(NodePath.join(samples, file)))
      assertSameAsReference(bytes, { split: bytes.length >= JsonBytes.PIECE_BYTES })
    }
  })

  it("gives the same value for any large body, with any whitespace", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(FastCheck.jsonValue({ maxDepth: 4 }), { minLength: 1, maxLength: 8 }),
        FastCheck.constantFrom(undefined, 1, 2, "\t", " \r\n "),
        (records, indent) => assertSameAsReference(envelope(records, 70_000, indent))
      ),
      { numRuns: 60 }
    )
  })

  it("keeps escapes, accents, emoji, \"__proto__\" and repeated keys as JSON.parse does", () => {
    const record = `{"a\\"b":"x\\\\","c":"ção 😀 \\u00e7 \\ud83d\\ude00","__proto__":{"p":1},"k":1,"k":2,"n":-1.5e3}`
    const body = `{"__proto__":{"top":1},"data":[${
      Array.from({ length: 1000 }, () => record).join(",")
    }],"x":[],"y":{},"z":{"__proto__":[]},"data":[${record}]}`
    assertSameAsReference(encoder.encode(body))
    const parsed = JsonBytes.parse(encoder.encode(body))
    assert.isTrue(Object.prototype.hasOwnProperty.call(parsed, "__proto__"))
    assert.strictEqual(Object.getPrototypeOf(parsed), Object.prototype)
  })

  it("throws where JSON.parse throws, and agrees on every corrupted large body", () => {
    const valid = envelope([{ s: "texto com vírgula, chave } e colchete ]", n: [1, { m: null }] }], 70_000, 1)
    // bytes that matter to the scan, and invalid UTF-8
    const inserted = FastCheck.constantFrom(0x2c, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x20, 0xff, 0xe2, 0x41)
    FastCheck.assert(
      FastCheck.property(
        FastCheck.nat({ max: valid.length - 1 }),
        FastCheck.oneof(FastCheck.constant(undefined), inserted),
        (at, byte) => {
          const corrupted = byte === undefined
            ? new Uint8Array([...valid.subarray(0, at), ...valid.subarray(at + 1)])
            : new Uint8Array([...valid.subarray(0, at), byte, ...valid.subarray(at)])
          assertSameAsReference(corrupted, { split: false })
        }
      ),
      { numRuns: 300 }
    )
    const pad = `"pad":[${"0,".repeat(40_000)}0]`
    for (
      const body of [
        `{${pad},"data":[1,,2]}`,
        `{${pad},"data":[1,2,]}`,
        `{${pad},"data":[1 2]}`,
        `{${pad},"data":}`,
        `{${pad},"data" [1]}`,
        `{${pad},,"data":[1]}`,
        `{${pad},"data":[1]}}`,
        `{${pad},"data":[1]} {"b":2}`,
        `{${pad},"data":["\uFEFF", \uFEFF1]}`,
        `\uFEFF{${pad},"data":[1]}`
      ]
    ) {
      assertSameAsReference(encoder.encode(body), { split: false })
    }
  })
})
