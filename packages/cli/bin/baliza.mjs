#!/usr/bin/env node
// The installed `baliza` bin: runs src/bin.ts in a node with tsx's loader (the workspace ships TypeScript, no build).
// One child process, which gets Ctrl-C with the rest of the terminal's process group; this parent only waits for it.
import { spawn } from "node:child_process"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import process from "node:process"
import { fileURLToPath, pathToFileURL } from "node:url"

const require = createRequire(import.meta.url)
const loader = pathToFileURL(require.resolve("tsx")).href
const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "bin.ts")
const child = spawn(process.execPath, ["--import", loader, bin, ...process.argv.slice(2)], { stdio: "inherit" })
// Ctrl-C reaches the child with the whole process group: it decides what it means (stop cleanly, say how to resume)
// and this parent outlives it to report its code. A SIGTERM sent to this process alone is passed on.
process.on("SIGINT", () => {})
process.on("SIGTERM", () => child.kill("SIGTERM"))
child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)))
