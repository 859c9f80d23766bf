// Run after `a-layer.fixture.ts` in the same worker: a fresh TestClock, at 0.
import { assert, it } from "@effect/vitest"
import { Clock, Effect } from "effect"

it.effect("starts on a fresh TestClock", () =>
  Effect.map(Clock.currentTimeMillis, (millis) => assert.strictEqual(millis, 0)))
