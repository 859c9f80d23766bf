/**
 * Prints line and branch coverage per package from `coverage/coverage-summary.json` (written by `npm run coverage`),
 * against the goal of 80% lines in every package. Exits 1 when the summary is missing.
 *
 *   tsx scripts/coverage-report.ts
 */
import { existsSync, readFileSync } from "node:fs"
import { join, relative, resolve } from "node:path"
import process from "node:process"

interface Totals {
  readonly total: number
  readonly covered: number
}

interface FileSummary {
  readonly lines: Totals
  readonly branches: Totals
}

// A command-line tool: it writes to the terminal directly.
const print = (stream: NodeJS.WriteStream, text: string) => stream.write(`${text}\n`)

const root = resolve(import.meta.dirname, "..")
const file = join(root, "coverage", "coverage-summary.json")
if (!existsSync(file)) {
  print(process.stderr, `No ${relative(root, file)}: run \`npm run coverage\`.`)
  process.exit(1)
}
const summary: Record<string, FileSummary> = JSON.parse(readFileSync(file, "utf8"))
const packages = new Map<string, { lines: Totals; branches: Totals }>()
const add = (a: Totals, b: Totals): Totals => ({ total: a.total + b.total, covered: a.covered + b.covered })
for (const [path, figures] of Object.entries(summary)) {
  const match = /packages\/([^/]+)\/src\//.exec(path)
  if (match === null) continue
  const name = match[1]!
  const current = packages.get(name) ?? { lines: { total: 0, covered: 0 }, branches: { total: 0, covered: 0 } }
  packages.set(name, { lines: add(current.lines, figures.lines), branches: add(current.branches, figures.branches) })
}
const percent = (t: Totals) => (t.total === 0 ? 100 : (100 * t.covered) / t.total)
print(process.stdout, `${"package".padEnd(12)} ${"lines".padStart(8)} ${"branches".padStart(9)}   (goal: 80% lines)`)
for (const [name, figures] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
  const lines = percent(figures.lines)
  print(
    process.stdout,
    `${name.padEnd(12)} ${lines.toFixed(1).padStart(7)}% ${percent(figures.branches).toFixed(1).padStart(8)}%   ${
      lines >= 80 ? "ok" : "below goal"
    }`
  )
}
