import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    setupFiles: ["../scripts/vitestSetup.ts"],
    name: "chaos",
    include: ["test/**/*.test.ts"],
    testTimeout: 300_000
  }
})
