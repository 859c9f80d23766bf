/**
 * Loaded before every test file (each project's `setupFiles`).
 *
 * Chai's deep equality (`assert.deepStrictEqual`) compares iterable objects by what they iterate, and an `Option`
 * iterates one opaque wrapper whether it is `None` or `Some`: `Option.none()` equalled `Option.some(11)`, even nested,
 * so an assertion on a resume point or a parsed header could not fail. Options are compared by their tag and value.
 */
import * as Option from "effect/Option"
import { chai } from "vitest"

const deepEqual = (expected: unknown, actual: unknown): boolean =>
  chai.util.eql(expected, actual, {
    comparator: (a: unknown, b: unknown): boolean | null => {
      if (!Option.isOption(a) && !Option.isOption(b)) return null
      if (!Option.isOption(a) || !Option.isOption(b)) return false
      if (Option.isNone(a) || Option.isNone(b)) return Option.isNone(a) && Option.isNone(b)
      return deepEqual(a.value, b.value)
    }
  })

chai.config.deepEqual = deepEqual
