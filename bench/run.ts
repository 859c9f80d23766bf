/**
 * Runs every `bench/*.bench.ts` in its own process (so peak RSS figures are per benchmark), in name order.
 * `npm run bench -- core duckdb` runs only the benchmarks whose names contain one of the words.
 */
import { spawnSync } from "node:child_process"
import { readdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const filters = process.argv.slice(2)
const benches = readdirSync(here)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => filters.length === 0 || filters.some((word) => file.includes(word)))
  .sort()

let failed = 0
for (const file of benches) {
  console.log(`\n=== ${file} ===`)
  const result = spawnSync(process.execPath, ["--import", "tsx", join(here, file)], { stdio: "inherit" })
  if (result.status !== 0) {
    failed++
    console.log(`${file} exited with ${result.status ?? result.signal}`)
  }
}
process.exit(failed === 0 ? 0 : 1)
