import { assert, describe, it } from "@effect/vitest"
import { Effect, pipe, Schema } from "effect"
import * as Asset from "../src/Asset.js"
import * as AssetCheck from "../src/AssetCheck.js"
import * as RetryPolicy from "../src/RetryPolicy.js"

const base = Asset.make({
  key: "shop/raw/orders",
  layer: "raw",
  group: "shop",
  tags: { source: "api" },
  schema: Schema.Struct({ id: Schema.Number }),
  materialize: () => Effect.void
})

describe("Asset", () => {
  it("fills defaults and resolves dependencies given as assets, keys or with a mapping", () => {
    const minimal = Asset.make({ key: "x", deps: [base, "other/key"], materialize: () => Effect.void })
    assert.strictEqual(minimal.group, "default")
    assert.deepStrictEqual(minimal.tags, {})
    assert.deepStrictEqual(minimal.deps.map((d) => d.key), ["shop/raw/orders", "other/key"])
    assert.isTrue(Asset.isAsset(minimal))
    assert.isFalse(Asset.isAsset({ key: "x" }))
  })

  it("rejects an invalid key at definition time", () => {
    assert.throws(() => Asset.make({ key: "bad key", materialize: () => Effect.void }), /Invalid asset key/)
  })

  it("is immutable: combinators return new assets", () => {
    const policy = RetryPolicy.make({ maxAttempts: 3 })
    const check = AssetCheck.make({ name: "ok", evaluate: () => Effect.succeed(AssetCheck.pass()) })
    const changed = pipe(
      base,
      Asset.withTags({ tier: "gold" }),
      Asset.withRetryPolicy(policy),
      Asset.withTimeout("5 seconds"),
      Asset.withPool("api"),
      Asset.withCodeVersion("7"),
      Asset.withChecks(check)
    )
    assert.deepStrictEqual(changed.tags, { source: "api", tier: "gold" })
    assert.deepStrictEqual([changed.retryPolicy, changed.timeout, changed.pool, changed.codeVersion], [
      policy,
      "5 seconds",
      "api",
      "7"
    ])
    assert.strictEqual(changed.checks.length, 1)
    assert.deepStrictEqual([base.tags, base.pool, base.checks.length], [{ source: "api" }, undefined, 0])
    assert.strictEqual(changed.key, base.key)
  })

  it("names steps", () => {
    assert.strictEqual(Asset.stepId("a/b", undefined), "a/b")
    assert.strictEqual(Asset.stepId("a/b", "2024-01-01|6"), "a/b[2024-01-01|6]")
  })
})
