/**
 * Runs every `bench/*.bench.ts` in its own process (so heap and peak RSS figures are per benchmark), in name order.
 * Each is bundled first with esbuild and run by plain node: that is how the code runs when a user ships it, without a
 * TypeScript loader's start-up memory and per-module hooks in the figures. Native modules stay external. `--expose-gc`
 * lets a benchmark collect between repetitions, so one run's garbage is not billed to the next.
 * `npm run bench -- core duckdb` runs only the benchmarks whose names contain one of the words.
 */
import { build } from "esbuild"
import { spawnSync } from "node:child_process"
import console from "node:console"
import { mkdirSync, readdirSync } from "node:fs"
import { dirname, join } from "node:path"
import process from "node:process"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, ".out")
mkdirSync(out, { recursive: true })
const filters = process.argv.slice(2)
const benches = readdirSync(here)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => filters.length === 0 || filters.some((word) => file.includes(word)))
  .sort()

let failed = 0
for (const file of benches) {
  console.log(`\n=== ${file} ===`)
  const outfile = join(out, file.replace(/\.ts$/, ".mjs"))
  await build({
    entryPoints: [join(here, file)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["@duckdb/*"],
    // Bundled CommonJS dependencies may call `require`; give them one.
    banner: {
      js:
        "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
    },
    logLevel: "error"
  })
  const result = spawnSync(process.execPath, ["--expose-gc", outfile], { stdio: "inherit", cwd: join(here, "..") })
  if (result.status !== 0) {
    failed++
    console.log(`${file} exited with ${result.status ?? result.signal}`)
  }
}
process.exit(failed === 0 ? 0 : 1)
