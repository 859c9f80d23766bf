#!/usr/bin/env node
// The installed `baliza` bin: runs src/bin.ts through tsx, the workspace's TypeScript loader (no build step in the repo).
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import process from "node:process"
import { fileURLToPath } from "node:url"

const require = createRequire(import.meta.url)
const tsx = join(dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs")
const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "bin.ts")
const result = spawnSync(process.execPath, [tsx, bin, ...process.argv.slice(2)], { stdio: "inherit" })
process.exit(result.status ?? (result.signal === "SIGINT" ? 130 : 1))
