import type * as Asset from "@baliza/core/Asset"
import type * as AssetGraph from "@baliza/core/AssetGraph"
import * as AssetState from "@baliza/core/AssetState"
import * as DataVersion from "@baliza/core/DataVersion"
import type * as Partitions from "@baliza/core/Partitions"
import type { AssetInfo, PartitionStatus, Status } from "../ServerApi.js"

/** @internal Worst first: an asset shows the worst status among its partitions. */
const rank: Record<Status, number> = { failed: 4, running: 3, stale: 2, missing: 1, fresh: 0 }

/** @internal */
export const worst = (statuses: Iterable<Status>, none: Status): Status => {
  let result: Status | undefined
  for (const status of statuses) if (result === undefined || rank[status] > rank[result]) result = status
  return result ?? none
}

/**
 * @internal
 * `running` maps the step ids running now to their asset keys.
 *
 * Each ledger row's status: `running` when a step of it runs now, `failed` when its last attempt failed, `stale` when
 * its code version or an upstream data version changed since it was built, `fresh` otherwise.
 */
export const partitions = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  records: ReadonlyArray<AssetState.StepRecord>,
  running: ReadonlyMap<string, string>
): Map<string, Array<PartitionStatus>> => {
  const versions = new Map<string, string>()
  for (const record of records) {
    if (record.dataVersion !== null) {
      versions.set(AssetState.stepKey(record.assetKey, record.partitionKey), record.dataVersion)
    }
  }
  const codeVersions = new Map<string, string | undefined>(graph.assets.map((asset) => [asset.key, asset.codeVersion]))
  const byAsset = new Map<string, Array<PartitionStatus>>()
  for (const record of records) {
    const stepKey = AssetState.stepKey(record.assetKey, record.partitionKey)
    const staleness = DataVersion.staleness({
      storedCodeVersion: record.codeVersion ?? undefined,
      currentCodeVersion: codeVersions.get(record.assetKey),
      storedUpstream: record.upstreamVersions,
      currentUpstream: Object.keys(record.upstreamVersions).map((id) => [id, versions.get(id)] as const)
    })
    const status: Status = running.has(stepKey)
      ? "running"
      : record.status === "Failed"
      ? "failed"
      : staleness._tag === "Fresh"
      ? "fresh"
      : "stale"
    const list = byAsset.get(record.assetKey) ?? []
    list.push({
      partitionKey: record.partitionKey,
      status,
      runId: record.runId,
      updatedAt: record.updatedAt,
      materializedAt: record.materializedAt,
      dataVersion: record.dataVersion,
      error: record.error
    })
    byAsset.set(record.assetKey, list)
  }
  return byAsset
}

/**
 * @internal
 * The keys each partitioned asset's definition has as of `context` (the planner's: its `now`, the dynamic keys stored),
 * as a set to count against. Assets that share a definition share its set: it is enumerated once.
 */
export const currentKeys = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  context: Partitions.PartitionsContext
): ReadonlyMap<string, ReadonlySet<string>> => {
  const byDefinition = new Map<Partitions.PartitionsDefinition, ReadonlySet<string>>()
  const byAsset = new Map<string, ReadonlySet<string>>()
  for (const asset of graph.assets) {
    const definition = asset.partitions
    if (definition === undefined) continue
    let keys = byDefinition.get(definition)
    if (keys === undefined) {
      keys = new Set<string>(definition.keys(context))
      byDefinition.set(definition, keys)
    }
    byAsset.set(asset.key, keys)
  }
  return byAsset
}

/**
 * @internal
 * How much of an asset exists: `partitionCount`, the keys its definition has now (`keys`; null when unpartitioned), and
 * `missing`, those of them never materialized. A ledger row whose key left the definition counts for neither, so
 * `missing` is never negative. An unpartitioned asset is missing (1) until it is first materialized (0).
 */
export const coverage = (
  keys: ReadonlySet<string> | undefined,
  own: ReadonlyArray<PartitionStatus>
): { readonly partitionCount: number | null; readonly missing: number } => {
  if (keys === undefined) {
    return { partitionCount: null, missing: own.some((partition) => partition.materializedAt !== null) ? 0 : 1 }
  }
  let materialized = 0
  for (const { materializedAt, partitionKey } of own) {
    if (materializedAt !== null && partitionKey !== null && keys.has(partitionKey)) materialized++
  }
  return { partitionCount: keys.size, missing: keys.size - materialized }
}

/** @internal An asset's status: the worst of its partitions', `running` counting as one more (see {@link assets}). */
export const statusOf = (
  key: string,
  own: ReadonlyArray<PartitionStatus>,
  runningAssets: ReadonlySet<string>
): Status => {
  // A running step counts as one more partition status (its partition may have no ledger row yet), not as the
  // asset's status: a failed partition still shows (failed > running).
  const statuses = own.map((partition) => partition.status)
  return worst(runningAssets.has(key) ? [...statuses, "running"] : statuses, "missing")
}

/**
 * @internal
 * One asset as the UI lists it, from its partitions' statuses ({@link partitions}) and the current keys of its
 * definition (`keys`, from {@link currentKeys}; undefined when unpartitioned).
 */
export const asset = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  asset: Asset.Asset<E, R>,
  own: ReadonlyArray<PartitionStatus>,
  runningAssets: ReadonlySet<string>,
  keys: ReadonlySet<string> | undefined
): AssetInfo => {
  let stale = 0
  let failed = 0
  let materialized = 0
  // A loop, not Math.max(...): a daily × modalidade asset has ~100k partitions, past the arguments a call takes.
  let lastMaterializedAt: number | null = null
  for (const partition of own) {
    if (partition.status === "stale") stale++
    else if (partition.status === "failed") failed++
    const { materializedAt } = partition
    if (materializedAt !== null) {
      materialized++
      if (lastMaterializedAt === null || materializedAt > lastMaterializedAt) lastMaterializedAt = materializedAt
    }
  }
  return {
    key: asset.key,
    layer: asset.layer ?? null,
    group: asset.group,
    tags: asset.tags,
    description: asset.description ?? null,
    partitions: asset.partitions?.description ?? "unpartitioned",
    codeVersion: asset.codeVersion ?? null,
    deps: graph.parents(asset.key),
    status: statusOf(asset.key, own, runningAssets),
    materialized,
    stale,
    failed,
    ...coverage(asset.partitions === undefined ? undefined : keys ?? new Set(), own),
    lastMaterializedAt
  }
}

/** @internal Every asset as the UI lists it ({@link asset}); `keys` from {@link currentKeys}. */
export const assets = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  byAsset: ReadonlyMap<string, ReadonlyArray<PartitionStatus>>,
  running: ReadonlyMap<string, string>,
  keys: ReadonlyMap<string, ReadonlySet<string>>
): ReadonlyArray<AssetInfo> => {
  const runningAssets = new Set(running.values())
  return graph.assets.map((each) => asset(graph, each, byAsset.get(each.key) ?? [], runningAssets, keys.get(each.key)))
}
