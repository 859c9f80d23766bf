import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as AssetKey from "../src/AssetKey.js"

describe("AssetKey", () => {
  it("accepts slash-separated segments and splits them", () => {
    const key = AssetKey.make("pncp/raw/contratacoes_publicacao")
    assert.deepStrictEqual(AssetKey.segments(key), ["pncp", "raw", "contratacoes_publicacao"])
    assert.strictEqual(AssetKey.name(key), "contratacoes_publicacao")
    assert.strictEqual(AssetKey.fromSegments(["a", "b.c", "d-1"]), "a/b.c/d-1")
  })

  it("rejects empty keys, empty segments and odd characters with a reason", () => {
    const reasons = ["", "a//b", "/a", "a/", "a b", "a/-x", "a/.hidden", "órgão", "x".repeat(513)].map((input) =>
      Either.match(AssetKey.parse(input), { onLeft: (e) => e.message, onRight: () => "accepted" })
    )
    assert.isFalse(reasons.includes("accepted"))
    assert.include(reasons[0], "cannot be empty")
    assert.include(reasons[1], `"a//b" has an empty segment`)
    assert.include(reasons[4], `segment "a b"`)
    assert.include(reasons[8], "at most 512")
  })

  it("throws the typed error from make, and decodes unknown input", () => {
    assert.throws(() => AssetKey.make("bad key"), /Invalid asset key/)
    assert.isTrue(Either.isLeft(AssetKey.decodeUnknown(42)))
    assert.isTrue(Either.isRight(AssetKey.decodeUnknown("ok/key")))
    assert.strictEqual(Schema.decodeUnknownSync(AssetKey.AssetKey)("a/b"), "a/b")
  })
})
