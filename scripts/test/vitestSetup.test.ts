import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"

describe("vitestSetup", () => {
  it("assert.deepStrictEqual tells None from Some, at any depth, and compares the values of Somes", () => {
    assert.throws(() => assert.deepStrictEqual(Option.none(), Option.some(11)))
    assert.throws(() => assert.deepStrictEqual<unknown>(Option.some(11), Option.none()))
    assert.throws(() => assert.deepStrictEqual({ at: [Option.none()] }, { at: [Option.some(1)] }))
    assert.throws(() => assert.deepStrictEqual(Option.some({ n: Option.some(1) }), Option.some({ n: Option.none() })))
    assert.throws(() => assert.deepStrictEqual<unknown>(Option.some(1), 1))
    assert.deepStrictEqual(Option.some({ n: [1, Option.none()] }), Option.some({ n: [1, Option.none()] }))
    assert.deepStrictEqual({ a: Option.none(), b: Option.some(new Date(0)) }, {
      a: Option.none(),
      b: Option.some(new Date(0))
    })
  })
})
