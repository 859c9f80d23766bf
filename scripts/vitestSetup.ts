/**
 * Loaded before every test file (each project's `setupFiles`).
 *
 * Chai's deep equality (`assert.deepStrictEqual`) compares iterable objects by what they iterate, and an `Option`
 * iterates one opaque wrapper whether it is `None` or `Some`: `Option.none()` equalled `Option.some(11)`, even nested,
 * so an assertion on a resume point or a parsed header could not fail. Options are compared by their tag and value.
 */
import { it } from "@effect/vitest"
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

/**
 * `@effect/vitest`'s `layer(…)` assigns its own `effect`/`scoped`/… into the shared `it` (fixed upstream, effect-smol
 * #2177): every later `it.effect` runs in that layer's runtime, its TestClock and closed scope included. Test files share
 * modules in a worker (`isolate: false`), so the methods as first loaded are kept and put back before each file.
 */
declare global {
  /** `it`'s methods as `@effect/vitest` first defined them in this worker. */
  var balizaPristineIt:
    | Pick<typeof it, "effect" | "scoped" | "live" | "scopedLive" | "flakyTest" | "layer" | "prop">
    | undefined
}
globalThis.balizaPristineIt ??= {
  effect: it.effect,
  scoped: it.scoped,
  live: it.live,
  scopedLive: it.scopedLive,
  flakyTest: it.flakyTest,
  layer: it.layer,
  prop: it.prop
}
Object.assign(it, globalThis.balizaPristineIt)
