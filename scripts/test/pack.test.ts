/**
 * The proof that a user can `npm install @baliza/core @baliza/duckdb`: the packages are built and packed as they would
 * be published, installed from their tarballs into a project outside the repository, and a TypeScript program there
 * (`consumer/main.ts`) is typechecked against the published `.d.ts` files, compiled and run: two assets materialized
 * into a DuckDB file.
 */
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"
import { pack, publishable } from "../pack.js"

const repository = NodePath.resolve(NodePath.dirname(fileURLToPath(import.meta.url)), "../..")
const consumer = NodePath.join(repository, "scripts", "test", "consumer")

/** The version installed in the workspace, so the project installs the same one (from npm's cache when it can). */
const installed = (name: string): string =>
  (JSON.parse(NodeFs.readFileSync(NodePath.join(repository, "node_modules", name, "package.json"), "utf8")) as {
    readonly version: string
  }).version

const run = (command: string, args: ReadonlyArray<string>, options: { cwd: string; env?: NodeJS.ProcessEnv }) =>
  Effect.async<string, Error>((resume) => {
    const child = execFile(
      command,
      args,
      { ...options, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resume(
          error === null
            ? Effect.succeed(stdout)
            : Effect.fail(
              new Error(`${command} ${args.join(" ")} failed (exit code ${String(error.code)}): ${stdout}\n${stderr}`)
            )
        )
      }
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  })

const temporaryDirectory = Effect.acquireRelease(
  Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-consumer-"))),
  (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
)

/** Every publishable package, built and packed once for the file, outside the repository. */
const packs = NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-packs-"))
afterAll(() => NodeFs.rmSync(packs, { recursive: true, force: true }))
let tarballs: Map<string, string> | undefined
const tarball = (name: string): string => {
  tarballs ??= new Map(pack(publishable, packs).map((path, i) => [`@baliza/${publishable[i]}`, path]))
  return tarballs.get(name)!
}

/** A project outside the repository with `files` from `consumer/`, depending on `dependencies`, installed. */
const projectWith = (files: ReadonlyArray<string>, dependencies: Record<string, string>) =>
  Effect.gen(function*() {
    const dir = yield* temporaryDirectory
    assert.isFalse(dir.startsWith(repository), "the project must live outside the repository")
    for (const file of files) NodeFs.copyFileSync(NodePath.join(consumer, file), NodePath.join(dir, file))
    NodeFs.writeFileSync(
      NodePath.join(dir, "package.json"),
      JSON.stringify({ name: "baliza-consumer", private: true, type: "module", dependencies })
    )
    yield* run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir })
    return dir
  })

/** A user's `my-assets.ts` as tsc compiles it into CommonJS (`"type": "commonjs"`), run from `out/my-assets.js`. */
const commonJsAssets = `"use strict"
Object.defineProperty(exports, "__esModule", { value: true })
const cli_1 = require("@baliza/cli")
const core_1 = require("@baliza/core")
const effect_1 = require("effect")
const counted = core_1.Asset.make({
  key: "cjs/raw/counted",
  layer: "raw",
  materialize: () => effect_1.Effect.succeed({ rows: 3 })
})
exports.default = cli_1.Project.make({ assets: [counted] })
`

describe("pack", () => {
  it.scopedLive(
    "the packed @baliza/core and @baliza/duckdb install and run in a project outside the repository",
    () =>
      Effect.gen(function*() {
        const project = yield* projectWith(["main.ts", "tsconfig.json"], {
          "@baliza/core": `file:${tarball("@baliza/core")}`,
          "@baliza/duckdb": `file:${tarball("@baliza/duckdb")}`,
          effect: installed("effect"),
          typescript: installed("typescript"),
          "@types/node": installed("@types/node")
        })
        // Installed from the tarball (a directory of its own, not a link back into the workspace), exports at the build.
        const installedCore = NodePath.join(project, "node_modules", "@baliza", "core")
        assert.isFalse(NodeFs.lstatSync(installedCore).isSymbolicLink())
        const manifest = JSON.parse(NodeFs.readFileSync(NodePath.join(installedCore, "package.json"), "utf8")) as {
          readonly exports: Record<string, unknown>
        }
        assert.deepStrictEqual(manifest.exports["."], { types: "./dist/index.d.ts", default: "./dist/index.js" })
        assert.isFalse(NodeFs.existsSync(NodePath.join(installedCore, "src")))

        // Typecheck against the published declarations (skipLibCheck off) and compile.
        yield* run(process.execPath, [NodePath.join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "."], {
          cwd: project
        })
        const database = NodePath.join(project, "geo.duckdb")
        const stdout = yield* run(process.execPath, ["dist/main.js"], {
          cwd: project,
          env: { ...process.env, CONSUMER_DB: database }
        })
        const result = JSON.parse(stdout.trim()) as {
          readonly first: { readonly status: string; readonly succeeded: number }
          readonly second: { readonly status: string; readonly succeeded: number; readonly skipped: number }
          readonly states: ReadonlyArray<{ readonly state: string; readonly population: number }>
        }
        assert.deepStrictEqual(result.first, { status: "Success", succeeded: 2 })
        // The second run finds both assets up to date in the file's asset state.
        assert.strictEqual(result.second.succeeded, 0)
        assert.deepStrictEqual(result.states, [
          { state: "PE", population: 1_488_920 },
          { state: "SP", population: 12_591_046 }
        ])
        assert.isTrue(NodeFs.statSync(database).size > 0)
      }),
    { timeout: 300_000 }
  )

  it.scopedLive("the packed @baliza/cli installs a working `baliza` command", () =>
    Effect.gen(function*() {
      const project = yield* projectWith(
        [],
        {
          ...Object.fromEntries(publishable.map((name) => [`@baliza/${name}`, `file:${tarball(`@baliza/${name}`)}`])),
          effect: installed("effect")
        }
      )
      const baliza = NodePath.join(project, "node_modules", ".bin", "baliza")
      const help = yield* run(baliza, ["--help"], { cwd: project })
      assert.include(help, "materialize")
      // The plan of a day, as JSON; a dry run creates no database.
      const plan = JSON.parse(
        yield* run(baliza, ["--json", "--db", "pncp.duckdb", "materialize", "--day", "2024-07-01", "--dry-run"], {
          cwd: project
        })
      ) as { readonly toRun: number; readonly steps: ReadonlyArray<{ readonly reason: string }> }
      assert.isAbove(plan.toRun, 10)
      assert.isTrue(plan.steps.every((step) => step.reason === "Missing"))
      assert.isFalse(NodeFs.existsSync(NodePath.join(project, "pncp.duckdb")))
      // Bad input: exit 2 with a message, no stack trace.
      const error = yield* Effect.flip(run(baliza, ["materialize", "--day", "2020-13-45"], { cwd: project }))
      assert.include(error.message, "exit code 2")
      assert.notInclude(error.message, "    at ")

      // A TypeScript --assets module: the published bin is plain node, which loads it with tsx.
      NodeFs.copyFileSync(NodePath.join(consumer, "mine.ts"), NodePath.join(project, "mine.ts"))
      const mine = ["--assets", "mine.ts", "--db", "x.duckdb"]
      yield* run(baliza, [...mine, "materialize"], { cwd: project })
      assert.include(yield* run(baliza, [...mine, "assets"], { cwd: project }), "mine/raw/hello")
      assert.include(
        yield* run(baliza, [...mine, "--json", "query", "SELECT greeting FROM hello"], { cwd: project }),
        "hello from mine.ts"
      )
      // A module compiled by tsc into CommonJS: `exports.default`, which import() puts at `default.default`.
      NodeFs.mkdirSync(NodePath.join(project, "commonjs", "out"), { recursive: true })
      NodeFs.writeFileSync(NodePath.join(project, "commonjs", "package.json"), JSON.stringify({ type: "commonjs" }))
      NodeFs.writeFileSync(NodePath.join(project, "commonjs", "out", "my-assets.js"), commonJsAssets)
      const compiled = ["--assets", "out/my-assets.js", "--db", "cjs.duckdb"]
      const cwd = NodePath.join(project, "commonjs")
      yield* run(baliza, [...compiled, "materialize"], { cwd })
      assert.include(yield* run(baliza, [...compiled, "assets"], { cwd }), "cjs/raw/counted")
      // A module that is not there: the path asked for, from the current directory, and that it does not exist.
      const missing = yield* Effect.flip(run(baliza, ["--assets", "nope.ts", "assets"], { cwd: project }))
      assert.include(missing.message, "exit code 2")
      assert.include(missing.message, `${NodePath.join(project, "nope.ts")} does not exist`)
      assert.notInclude(missing.message, "imported from")
    }), { timeout: 300_000 })
})
