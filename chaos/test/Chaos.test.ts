/**
 * The chaos cases at the small size (`npm run chaos` runs them at full size). Each must PASS; its figures and
 * problems are the failure message. The cases share one lab, so the undisturbed reference run is made once.
 */
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import * as Chaos from "../src/Chaos.js"

class Lab extends Context.Tag("@baliza/chaos/test/Lab")<Lab, Chaos.Lab>() {}

layer(Layer.scoped(Lab, Chaos.makeLab(Chaos.small)), { excludeTestServices: true, timeout: "60 seconds" })(
  "chaos (small)",
  (it) => {
    for (const run of Chaos.cases) {
      it.effect(run.name, () =>
        Effect.gen(function*() {
          const result = yield* run(yield* Lab)
          assert.isTrue(result.passed, Chaos.line(result))
          assert.isAbove(result.figures.length, 0)
        }), { timeout: 300_000 })
    }
  }
)
