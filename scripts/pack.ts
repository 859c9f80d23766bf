/**
 * Builds the publishable packages and packs them as npm tarballs, the way they would be published.
 *
 * In the workspace each package's `exports` point at its TypeScript sources; what is published is the build
 * (`tsconfig.build.json` → `build/dist`, JS and `.d.ts`) with the exports of its `publishConfig`. npm does not apply
 * `publishConfig.exports` itself, so each package is staged in `build/pack` with the published `package.json`
 * (exports from `publishConfig`, `@baliza/*` dependencies pinned to the workspace version, no dev dependencies), then
 * packed with `npm pack` into the output folder.
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

interface Manifest {
  readonly name: string
  readonly version: string
  readonly dependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly publishConfig?: { readonly exports?: unknown; readonly bin?: unknown }
  readonly [key: string]: unknown
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest

/** Paths are written relative to the package root (`./build/dist/…`); the staged package is `build/pack` with `dist/`. */
const rebase = (exports: unknown): unknown =>
  typeof exports === "string"
    ? exports.replace(/^\.\/build\//, "./")
    : exports !== null && typeof exports === "object"
    ? Object.fromEntries(Object.entries(exports).map(([key, value]) => [key, rebase(value)]))
    : exports

/** The `package.json` that is published: the workspace one with its publish-time fields applied. */
export const publishedManifest = (manifest: Manifest, versions: ReadonlyMap<string, string>): Manifest => {
  const { bin: _bin, devDependencies: _dev, publishConfig, scripts: _scripts, ...rest } = manifest
  if (publishConfig?.exports === undefined) throw new Error(`${manifest.name} has no publishConfig.exports`)
  const pin = (deps: Record<string, string> | undefined) =>
    deps === undefined ? undefined : Object.fromEntries(
      Object.entries(deps).map(([name, range]) => {
        const version = versions.get(name)
        return [name, version === undefined ? range : `^${version}`]
      })
    )
  const dependencies = pin(manifest.dependencies)
  return {
    ...rest,
    ...(dependencies === undefined ? {} : { dependencies }),
    exports: rebase(publishConfig.exports),
    ...(publishConfig.bin === undefined ? {} : { bin: rebase(publishConfig.bin) })
  }
}

/** Builds and packs `names` into `out`; returns the tarballs' paths, in the order given. */
export const pack = (names: ReadonlyArray<string>, out: string): ReadonlyArray<string> => {
  const dirs = names.map((name) => join(root, "packages", name))
  const versions = new Map(
    publishable.map((name) => readManifest(join(root, "packages", name))).map((m) => [m.name, m.version] as const)
  )
  execFileSync(process.execPath, [
    join(root, "node_modules", "typescript", "bin", "tsc"),
    "-b",
    ...dirs.map((dir) => join(dir, "tsconfig.build.json"))
  ], { stdio: "inherit" })
  mkdirSync(out, { recursive: true })
  return dirs.map((dir) => {
    const manifest = readManifest(dir)
    const staged = join(dir, "build", "pack")
    rmSync(staged, { recursive: true, force: true })
    mkdirSync(staged, { recursive: true })
    cpSync(join(dir, "build", "dist"), join(staged, "dist"), { recursive: true })
    // tsc emits only JavaScript: the files a module reads beside itself (the UI's html and css) are copied as they are.
    cpSync(join(dir, "src"), join(staged, "dist"), {
      recursive: true,
      filter: (source) => statSync(source).isDirectory() || /\.(html|css)$/.test(source)
    })
    if (existsSync(join(dir, "README.md"))) cpSync(join(dir, "README.md"), join(staged, "README.md"))
    writeFileSync(join(staged, "package.json"), `${JSON.stringify(publishedManifest(manifest, versions), null, 2)}\n`)
    const output = execFileSync("npm", ["pack", "--json", "--pack-destination", out], {
      cwd: staged,
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
