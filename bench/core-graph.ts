/**
 * What the core benchmarks share: a layered graph of daily-partitioned no-op assets.
 * BENCH_ASSETS / BENCH_PARTITIONS / BENCH_STEPS override the sizes.
 */
import { Asset, Partitions } from "@baliza/core"
import { Effect } from "effect"

export const assetsCount = Number(process.env.BENCH_ASSETS ?? 10_000)
export const partitionsCount = Number(process.env.BENCH_PARTITIONS ?? 30)
export const noopSteps = Number(process.env.BENCH_STEPS ?? 100_000)
export const daily = Partitions.TimeWindow.daily({ start: "2024-01-01" })
export const context = Partitions.context({ now: Date.parse("2024-12-31T12:00:00Z") })
export const lastDay = `2024-01-${String(partitionsCount).padStart(2, "0")}`

/** Layers of `width` assets; each depends on two assets of the layer before. */
export const layered = (count: number, width: number, partitioned: boolean) => {
  const assets: Array<Asset.Asset> = []
  for (let i = 0; i < count; i++) {
    const layer = Math.floor(i / width)
    const deps = layer === 0 ? [] : [(i - width) % count, (i - width + 1) % count]
      .map((j) => Math.max(0, Math.min(j, layer * width - 1)))
    assets.push(Asset.make({
      key: `layer${layer}/asset${i}`,
      deps: [...new Set(deps)].map((j) => assets[j]),
      ...(partitioned ? { partitions: daily } : {}),
      materialize: () => Effect.void
    }))
  }
  return assets
}

export const median = (values: ReadonlyArray<number>) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
