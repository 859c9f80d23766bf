import { defineConfig } from "vitest/config"
import { BaseSequencer, type TestSpecification } from "vitest/node"

/** The two fixtures in one worker, modules shared, in their names' order, with the repository's setup file or none. */
class ByName extends BaseSequencer {
  override sort(files: Array<TestSpecification>): Promise<Array<TestSpecification>> {
    return Promise.resolve([...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId)))
  }
}

export default defineConfig({
  test: {
    include: ["*.fixture.ts"],
    setupFiles: process.env.BALIZA_NO_SETUP === "1" ? [] : ["../../vitestSetup.ts"],
    isolate: false,
    maxWorkers: 1,
    minWorkers: 1,
    sequence: { sequencer: ByName }
  }
})
