import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { execFile } from "node:child_process"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"

const repository = NodePath.join(import.meta.dirname, "..", "..")
const isolation = NodePath.join(import.meta.dirname, "isolation")
const vitest = NodePath.join(import.meta.dirname, "..", "..", "node_modules", "vitest", "vitest.mjs")

/** Vitest on the two fixtures of `isolation/` (one worker, modules shared): its exit code and output. */
const runFixtures = (withSetup: boolean) =>
  Effect.async<{ readonly code: number; readonly output: string }>((resume) => {
    const child = execFile(
      process.execPath,
      [vitest, "run", "--config", "vitest.config.ts"],
      {
        cwd: isolation,
        env: { ...process.env, BALIZA_NO_SETUP: withSetup ? "0" : "1" },
        timeout: 60_000,
        killSignal: "SIGKILL"
      },
      (error, stdout, stderr) =>
        resume(Effect.succeed({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : -1,
          output: `${stdout}${stderr}`
        }))
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  })

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

  it.live(
    "a file run after a layer(…) block in the same worker gets a fresh TestClock, not the layer's",
    () =>
      Effect.gen(function*() {
        const withSetup = yield* runFixtures(true)
        assert.strictEqual(withSetup.code, 0, withSetup.output)
        assert.include(withSetup.output, "2 passed")
        // Without the setup file the second file runs in the first one's layer: the fixtures do catch the leak.
        const without = yield* runFixtures(false)
        assert.strictEqual(without.code, 1, without.output)
        assert.include(without.output, "expected 5000 to equal +0")
      }),
    { timeout: 90_000 }
  )

  it("no test file has tests after a top-level layer(…) block (they would run in that layer's runtime)", () => {
    const folders = ["packages", "examples", "chaos", "scripts"].map((folder) => NodePath.join(repository, folder))
    const files = folders.flatMap((folder) =>
      NodeFs.readdirSync(folder, { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".test.ts") && !file.includes("node_modules"))
        .map((file) => NodePath.join(folder, file))
    )
    assert.isAbove(files.length, 50)
    const offenders = files.filter((file) => {
      const lines = NodeFs.readFileSync(file, "utf8").split("\n")
      const firstLayer = lines.findIndex((line) => line.startsWith("layer("))
      return firstLayer >= 0 && lines.slice(firstLayer).some((line) => /^(describe|it)[.(]/.test(line))
    })
    assert.deepStrictEqual(offenders.map((file) => NodePath.relative(repository, file)), [])
  })
})
