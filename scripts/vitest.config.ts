import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    setupFiles: ["./vitestSetup.ts"],
    name: "scripts",
    include: ["test/**/*.test.ts"],
    testTimeout: 300_000
  }
})
