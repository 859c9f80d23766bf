// Sets the TestClock of a `layer(…)` block; a file run after it in the same worker must not see that clock.
import { layer } from "@effect/vitest"
import { Layer, TestClock } from "effect"

layer(Layer.empty)("a layer", (it) => {
  it.effect("moves its TestClock", () => TestClock.setTime(5_000))
})
