import { AssetKey } from "@baliza/core"
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"

describe("AssetKey", () => {
  it("decodes", () => {
    assert.strictEqual(Schema.decodeSync(AssetKey.AssetKey)("a/b"), "a/b")
  })
})
