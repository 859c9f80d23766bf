import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    setupFiles: ["../../scripts/vitestSetup.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000
  }
})
