/**
 * What `npm run pack` publishes, package by package, without packing: the staged folder (`stage`) holds the manifest a
 * user's npm reads, the build, a README and the LICENSE.
 *
 * `effect` and `@effect/*` must be peers: as dependencies, a project on another `effect` (npm's `latest` is 4.x) gets a
 * second copy nested under `@baliza/*`, and fails to typecheck and to run (`layer.build is not a function`).
 */
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as NodeFs from "node:fs"
import { builtinModules } from "node:module"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"
import { isPeer, publishable, publishedManifest, stage, type Staged } from "../pack.js"

const repository = NodePath.resolve(NodePath.dirname(fileURLToPath(import.meta.url)), "../..")
const readJson = (path: string) => JSON.parse(NodeFs.readFileSync(path, "utf8")) as Record<string, unknown>

const into = NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-staged-"))
afterAll(() => NodeFs.rmSync(into, { recursive: true, force: true }))
let staged: ReadonlyArray<Staged> | undefined
const stagedPackages = (): ReadonlyArray<Staged> => (staged ??= stage(publishable, into))

const files = (dir: string): ReadonlyArray<string> =>
  NodeFs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(NodePath.join(dir, entry.name)) : [NodePath.join(dir, entry.name)]
  )

/** The specifiers a JavaScript module loads when it runs: static and dynamic imports, re-exports, requires. */
const runtimeSpecifiers = (code: string): ReadonlyArray<string> => {
  const found = [
    ...code.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*"([^"]+)"/gms),
    ...code.matchAll(/^\s*import\s*"([^"]+)"/gm),
    ...code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
    ...code.matchAll(/\brequire(?:\.resolve)?\(\s*"([^"]+)"\s*\)/g),
    ...code.matchAll(/\bimport\.meta\.resolve\(\s*"([^"]+)"\s*\)/g)
  ]
  // `import type` is erased by tsc, so what is left in the JavaScript runs.
  return found.map((match) => match[1]!)
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for relative paths and Node's own modules. */
const packageOf = (specifier: string): string | undefined => {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined
  const parts = specifier.split("/")
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!
  return builtinModules.includes(name) ? undefined : name
}

describe("published manifests", () => {
  it("effect and @effect/* are peer dependencies with the workspace's ranges, never dependencies", () => {
    for (const { manifest, name } of stagedPackages()) {
      const workspace = readJson(NodePath.join(repository, "packages", name, "package.json")) as {
        readonly dependencies?: Record<string, string>
      }
      const dependencies = Object.keys(manifest.dependencies ?? {})
      assert.deepStrictEqual(dependencies.filter(isPeer), [], `${manifest.name}: effect or @effect/* in dependencies`)
      for (const [dependency, range] of Object.entries(workspace.dependencies ?? {}).filter(([n]) => isPeer(n))) {
        assert.strictEqual(manifest.peerDependencies?.[dependency], range, `${manifest.name}: peer ${dependency}`)
      }
      // Every package uses effect; its range is the 3.x the workspace builds and tests with.
      assert.match(manifest.peerDependencies?.effect ?? "", /^\^3\.\d+/, `${manifest.name}: peer effect`)
      assert.isFalse(dependencies.includes("effect"))
    }
  })

  it("DuckDB's binding stays a dependency; @baliza/* are pinned to the workspace version", () => {
    const byName = new Map(stagedPackages().map((s) => [s.name, s.manifest]))
    assert.strictEqual(byName.get("duckdb")?.dependencies?.["@duckdb/node-api"], "1.5.6-r.1")
    assert.strictEqual(byName.get("cli")?.dependencies?.["@duckdb/node-api"], "1.5.6-r.1")
    const version = byName.get("core")!.version
    assert.strictEqual(byName.get("duckdb")?.dependencies?.["@baliza/core"], `^${version}`)
  })

  it("every runtime import of a package's dist is one of its dependencies or peer dependencies", () => {
    for (const { dir, manifest } of stagedPackages()) {
      const declared = new Set([
        manifest.name,
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {})
      ])
      const scripts = files(NodePath.join(dir, "dist")).filter((file) => /\.(m?js)$/.test(file))
      assert.isAbove(scripts.length, 0, `${manifest.name} has no JavaScript in dist`)
      const imported = new Set<string>()
      for (const script of scripts) {
        for (const specifier of runtimeSpecifiers(NodeFs.readFileSync(script, "utf8"))) {
          const name = packageOf(specifier)
          if (name === undefined) continue
          imported.add(name)
          assert.isTrue(
            declared.has(name),
            `${manifest.name}: ${NodePath.relative(dir, script)} imports ${specifier}, which it does not declare`
          )
        }
      }
      // The scan finds imports at all: every package imports effect.
      assert.isTrue(imported.has("effect"), `${manifest.name}: no import of effect found in dist`)
    }
  })

  it("each package says which Node it needs, has a license with its LICENSE file, and a README", () => {
    const rootEngines = (readJson(NodePath.join(repository, "package.json")) as { engines: Record<string, string> })
      .engines
    for (const { dir, manifest } of stagedPackages()) {
      assert.strictEqual(manifest.engines?.node, rootEngines.node, `${manifest.name}: engines.node`)
      assert.strictEqual(manifest.license, "MIT", `${manifest.name}: license`)
      const license = NodePath.join(dir, "LICENSE")
      assert.isTrue(NodeFs.existsSync(license), `${manifest.name}: no LICENSE in the staged folder`)
      assert.include(NodeFs.readFileSync(license, "utf8"), "MIT License")
      const readme = NodePath.join(dir, "README.md")
      assert.isTrue(NodeFs.existsSync(readme), `${manifest.name}: no README.md in the staged folder`)
      assert.include(NodeFs.readFileSync(readme, "utf8"), manifest.name, `${manifest.name}: README names the package`)
      // What npm reads from the folder is what stage returned.
      assert.deepStrictEqual(readJson(NodePath.join(dir, "package.json")), manifest)
    }
  })

  it("publishedManifest moves effect and @effect/* to peers and keeps existing peers", () => {
    const published = publishedManifest(
      {
        name: "@baliza/x",
        version: "1.0.0",
        dependencies: { "@baliza/core": "*", effect: "^3.22.4", "@effect/platform": "^0.97.2", other: "^1.0.0" },
        peerDependencies: { vitest: "^3.2.0" },
        devDependencies: { typescript: "~5.9.3" },
        publishConfig: { exports: { ".": "./build/dist/index.js" } }
      },
      new Map([["@baliza/core", "0.2.0"]]),
      { engines: { node: ">=20" } }
    )
    assert.deepStrictEqual(published.dependencies, { "@baliza/core": "^0.2.0", other: "^1.0.0" })
    assert.deepStrictEqual(published.peerDependencies, {
      effect: "^3.22.4",
      "@effect/platform": "^0.97.2",
      vitest: "^3.2.0"
    })
    assert.deepStrictEqual(published.engines, { node: ">=20" })
    assert.deepStrictEqual(published.exports, { ".": "./dist/index.js" })
    assert.notProperty(published, "devDependencies")
    assert.notProperty(published, "publishConfig")
  })
})
