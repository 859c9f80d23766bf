/**
 * `npm run chaos`: every chaos case at full size, one after the other, then a line per case (PASS/FAIL and its
 * figures). Exit 1 if any case fails.
 *
 * `CHAOS_SIZE=small` runs the test suite's sizes; `CHAOS_CASES=1,3` runs some cases only.
 */
import { Effect } from "effect"
import * as Chaos from "./Chaos.js"

const size = process.env.CHAOS_SIZE === "small" ? Chaos.small : Chaos.full
const only = process.env.CHAOS_CASES?.split(",").map(Number)

const program = Effect.scoped(Effect.gen(function*() {
  const lab = yield* Chaos.makeLab(size)
  console.log(
    `chaos (${size.name}): ${size.from}..${size.to} at scale ${size.scale}, seed ${size.seed}, ${size.kills} kills; ` +
      `node ${process.version}`
  )
  const results: Array<Chaos.CaseReport> = []
  for (const [i, run] of Chaos.cases.entries()) {
    if (only !== undefined && !only.includes(i + 1)) continue
    const started = Date.now()
    const result = yield* run(lab)
    console.log(
      `  ${i + 1}. ${result.name}: ${result.passed ? "PASS" : "FAIL"} in ${
        ((Date.now() - started) / 1000).toFixed(0)
      } s`
    )
    results.push(result)
  }
  console.log("")
  for (const result of results) console.log(Chaos.line(result))
  return results.every((result) => result.passed)
}))

void Effect.runPromise(program).then((passed) => {
  process.exitCode = passed ? 0 : 1
})
