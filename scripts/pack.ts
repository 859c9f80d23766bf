/**
 * Builds the publishable packages and packs them as npm tarballs, the way they would be published.
 *
 * In the workspace each package's `exports` point at its TypeScript sources; what is published is the build
 * (`tsconfig.build.json` → `build/dist`, JS and `.d.ts`) with the exports of its `publishConfig`. npm does not apply
 * `publishConfig.exports` itself, so each package is staged in `build/pack` with the published `package.json`
 * (exports from `publishConfig`, `@baliza/*` dependencies pinned to the workspace version, no dev dependencies,
 * `effect` and `@effect/*` as peer dependencies, the root's `engines`), its README and the repository's LICENSE, then
 * packed with `npm pack` into the output folder.
 *
 * `effect` and `@effect/*` are peers, not dependencies: a project has one `effect`, and a package built against 3.x
 * given a copy of its own under a project on another major version (npm's `latest` is 4.x) fails to typecheck and to
 * run. As peers, npm installs them when the project has none and refuses (ERESOLVE) a project whose version does not fit.
 *
 * `tsx scripts/pack.ts [--out DIR] [core duckdb …]` (default: every publishable package, into `build/packs`)
 */
import { execFileSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")

/** The packages a user can install, in dependency order. */
export const publishable = ["core", "testing", "duckdb", "extract", "pncp", "server", "ui", "cli"] as const

export interface Manifest {
  readonly name: string
  readonly version: string
  readonly license?: string
  readonly engines?: Record<string, string>
  readonly repository?: unknown
  readonly dependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly publishConfig?: { readonly exports?: unknown; readonly bin?: unknown }
  readonly [key: string]: unknown
}

/** A project has one of each: the published packages ask for them as peers (see the top of the file). */
export const isPeer = (name: string): boolean => name === "effect" || name.startsWith("@effect/")

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest

/** Paths are written relative to the package root (`./build/dist/…`); the staged package is `build/pack` with `dist/`. */
const rebase = (exports: unknown): unknown =>
  typeof exports === "string"
    ? exports.replace(/^\.\/build\//, "./")
    : exports !== null && typeof exports === "object"
    ? Object.fromEntries(Object.entries(exports).map(([key, value]) => [key, rebase(value)]))
    : exports

/** What the published manifests take from the repository's root `package.json`. */
export interface RootFields {
  readonly engines?: Record<string, string> | undefined
  readonly repository?: unknown
}

/** The root `package.json`'s `engines` and `repository` (the latter with the package's folder as its `directory`). */
const rootFields = (name: string): RootFields => {
  const rootManifest = readManifest(root)
  const repository = rootManifest.repository
  return {
    engines: rootManifest.engines,
    repository: typeof repository === "string"
      ? { type: "git", url: repository, directory: `packages/${name}` }
      : repository !== null && typeof repository === "object"
      ? { ...repository, directory: `packages/${name}` }
      : undefined
  }
}

/** The `package.json` that is published: the workspace one with its publish-time fields applied. */
export const publishedManifest = (
  manifest: Manifest,
  versions: ReadonlyMap<string, string>,
  fromRoot: RootFields = {}
): Manifest => {
  const {
    bin: _bin,
    dependencies: _dependencies,
    devDependencies: _dev,
    peerDependencies: _peers,
    publishConfig,
    scripts: _scripts,
    ...rest
  } = manifest
  if (publishConfig?.exports === undefined) throw new Error(`${manifest.name} has no publishConfig.exports`)
  const entries = Object.entries(manifest.dependencies ?? {})
  const dependencies = Object.fromEntries(
    entries.filter(([name]) => !isPeer(name)).map(([name, range]) => {
      const version = versions.get(name)
      return [name, version === undefined ? range : `^${version}`]
    })
  )
  // The workspace's range: the version the package is built and tested against, up to the next minor (0.x) or major.
  const peerDependencies = {
    ...Object.fromEntries(entries.filter(([name]) => isPeer(name))),
    ...manifest.peerDependencies
  }
  return {
    ...rest,
    ...(manifest.engines === undefined && fromRoot.engines !== undefined ? { engines: fromRoot.engines } : {}),
    ...(manifest.repository === undefined && fromRoot.repository !== undefined
      ? { repository: fromRoot.repository }
      : {}),
    ...(Object.keys(dependencies).length === 0 ? {} : { dependencies }),
    ...(Object.keys(peerDependencies).length === 0 ? {} : { peerDependencies }),
    exports: rebase(publishConfig.exports),
    ...(publishConfig.bin === undefined ? {} : { bin: rebase(publishConfig.bin) })
  }
}

/** A package staged for `npm pack`: its folder and the `package.json` written there. */
export interface Staged {
  readonly name: string
  readonly dir: string
  readonly manifest: Manifest
}

/**
 * Builds `names` and stages each in a folder of its own, as it is published: `dist/`, `package.json`, `README.md`,
 * `LICENSE`. The folder is the package's `build/pack`, or `into/<name>` when `into` is given.
 */
export const stage = (names: ReadonlyArray<string>, into?: string): ReadonlyArray<Staged> => {
  const versions = new Map(
    publishable.map((name) => readManifest(join(root, "packages", name))).map((m) => [m.name, m.version] as const)
  )
  execFileSync(process.execPath, [
    join(root, "node_modules", "typescript", "bin", "tsc"),
    "-b",
    ...names.map((name) => join(root, "packages", name, "tsconfig.build.json"))
  ], { stdio: "inherit" })
  return names.map((name) => {
    const dir = join(root, "packages", name)
    const manifest = readManifest(dir)
    const staged = into === undefined ? join(dir, "build", "pack") : join(into, name)
    rmSync(staged, { recursive: true, force: true })
    mkdirSync(staged, { recursive: true })
    cpSync(join(dir, "build", "dist"), join(staged, "dist"), { recursive: true })
    // tsc emits only JavaScript: the files a module reads beside itself (the UI's html and css) are copied as they are.
    cpSync(join(dir, "src"), join(staged, "dist"), {
      recursive: true,
      filter: (source) => statSync(source).isDirectory() || /\.(html|css)$/.test(source)
    })
    if (existsSync(join(dir, "README.md"))) cpSync(join(dir, "README.md"), join(staged, "README.md"))
    if (existsSync(join(root, "LICENSE"))) cpSync(join(root, "LICENSE"), join(staged, "LICENSE"))
    const published = publishedManifest(manifest, versions, rootFields(name))
    writeFileSync(join(staged, "package.json"), `${JSON.stringify(published, null, 2)}\n`)
    return { name, dir: staged, manifest: published }
  })
}

/** Builds and packs `names` into `out`; returns the tarballs' paths, in the order given. */
export const pack = (names: ReadonlyArray<string>, out: string): ReadonlyArray<string> => {
  const staged = stage(names)
  mkdirSync(out, { recursive: true })
  return staged.map(({ dir, manifest }) => {
    const output = execFileSync("npm", ["pack", "--json", "--pack-destination", out], {
      cwd: dir,
      encoding: "utf8"
    })
    const [packed] = JSON.parse(output) as ReadonlyArray<{ readonly filename: string }>
    if (packed === undefined) throw new Error(`npm pack printed no tarball for ${manifest.name}`)
    return join(out, packed.filename)
  })
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const at = args.indexOf("--out")
  const out = resolve(at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : join(root, "build", "packs"))
  const names = args.filter((arg, i) => !arg.startsWith("--") && (at < 0 || i !== at + 1))
  for (const tarball of pack(names.length > 0 ? names : publishable, out)) process.stdout.write(`${tarball}\n`)
}
