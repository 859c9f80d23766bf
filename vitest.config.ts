import { defineConfig } from "vitest/config"
import { BaseSequencer, type TestSpecification } from "vitest/node"

/**
 * The files that take longest (seconds to minutes: real processes, a real browser, the chaos suite), longest first.
 * Without a results cache, as on a fresh clone, vitest starts the largest files first; a long file that is small
 * started last and left the other worker idle through its whole run (the chaos suite: ~90 s at the end of CI).
 */
const longest = [
  "chaos/test/Chaos.test.ts",
  "packages/ui/test/Browser.test.ts",
  "scripts/test/pack.test.ts",
  "packages/pncp/test/KillResume.test.ts",
  "packages/cli/test/bin.test.ts",
  "packages/pncp/test/Pipeline.test.ts"
]

const rank = (spec: TestSpecification): number => {
  const index = longest.findIndex((path) => spec.moduleId.endsWith(path))
  return index === -1 ? longest.length : index
}

/** Vitest's own order (its cached durations, or sizes), with the known longest files moved to the front. */
class LongestFirst extends BaseSequencer {
  override async sort(files: Array<TestSpecification>): Promise<Array<TestSpecification>> {
    const sorted = await super.sort(files)
    return [...sorted].sort((a, b) => rank(a) - rank(b))
  }
}

/**
 * Every package's tests as one project, files sharing a worker's modules (`isolate: false`): importing Effect, DuckDB
 * and the packages once per worker instead of once per file took the suite's CPU from 17.4 to 14.5 minutes. One project,
 * because vitest runs projects without isolation one after another (each waits for its slowest file, the other worker
 * idle); one project keeps both workers busy to the end. Each package's own `vitest.config.ts` still runs its tests alone.
 */
export default defineConfig({
  test: {
    include: [
      "packages/*/test/**/*.test.ts",
      "examples/*/test/**/*.test.ts",
      "scripts/test/**/*.test.ts",
      "chaos/test/**/*.test.ts"
    ],
    setupFiles: ["scripts/vitestSetup.ts"],
    testTimeout: 30_000,
    isolate: false,
    sequence: { sequencer: LongestFirst }
  }
})
