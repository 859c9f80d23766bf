/** Small helpers every benchmark prints with, so figures read alike. */
import { performance } from "node:perf_hooks"

export const time = async <A>(run: () => Promise<A>): Promise<{ readonly value: A; readonly seconds: number }> => {
  const start = performance.now()
  const value = await run()
  return { value, seconds: (performance.now() - start) / 1000 }
}

let peak = 0
const sample = () => {
  peak = Math.max(peak, process.memoryUsage.rss())
}
const sampler = setInterval(sample, 50)
sampler.unref()

/** Bytes in MiB, rounded. */
export const mib = (bytes: number): number => Math.round(bytes / 1048576)

/** Highest resident set size seen so far, in MB (sampled every 50 ms). */
export const peakRssMb = (): number => {
  sample()
  return mib(peak)
}

export const figure = (name: string, value: string, goal?: string) =>
  console.log(`${name.padEnd(58)} ${value.padStart(16)}${goal === undefined ? "" : `   (goal: ${goal})`}`)

export const number = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** Collects garbage between repetitions when node runs with `--expose-gc` (the bench runner passes it). */
export const collectGarbage = () => {
  const gc: unknown = Reflect.get(globalThis, "gc")
  if (typeof gc === "function") gc()
}

/** DuckDB settings to try, from a JSON object in an environment variable: `BENCH_SETTINGS='{"threads":"2"}'`. */
export const settingsOf = (json: string | undefined): Record<string, string> => {
  if (json === undefined) return {}
  const parsed: unknown = JSON.parse(json)
  return typeof parsed === "object" && parsed !== null
    ? Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]))
    : {}
}
