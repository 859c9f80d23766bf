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

export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "examples/*/vitest.config.ts",
      "scripts/vitest.config.ts",
      "chaos/vitest.config.ts"
    ],
    sequence: { sequencer: LongestFirst }
  }
})
