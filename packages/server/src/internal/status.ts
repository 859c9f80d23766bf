import type * as AssetGraph from "@baliza/core/AssetGraph"
import * as AssetState from "@baliza/core/AssetState"
import * as DataVersion from "@baliza/core/DataVersion"
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

/** @internal Every asset as the UI lists it, from its partitions' statuses ({@link partitions}). */
export const assets = <E, R>(
  graph: AssetGraph.AssetGraph<E, R>,
  byAsset: ReadonlyMap<string, ReadonlyArray<PartitionStatus>>,
  running: ReadonlyMap<string, string>
): ReadonlyArray<AssetInfo> => {
  const runningAssets = new Set(running.values())
  return graph.assets.map((asset) => {
    const own = byAsset.get(asset.key) ?? []
    const count = (status: Status) => own.filter((partition) => partition.status === status).length
    // A loop, not Math.max(...): a daily × modalidade asset has ~100k partitions, past the arguments a call takes.
    let lastMaterializedAt: number | null = null
    for (const { materializedAt } of own) {
      if (materializedAt !== null && (lastMaterializedAt === null || materializedAt > lastMaterializedAt)) {
        lastMaterializedAt = materializedAt
      }
    }
    // A running step counts as one more partition status (its partition may have no ledger row yet), not as the
    // asset's status: a failed partition still shows (failed > running).
    const statuses = own.map((partition) => partition.status)
    const status = worst(runningAssets.has(asset.key) ? [...statuses, "running"] : statuses, "missing")
    return {
      key: asset.key,
      layer: asset.layer ?? null,
      group: asset.group,
      tags: asset.tags,
      description: asset.description ?? null,
      partitions: asset.partitions?.description ?? "unpartitioned",
      codeVersion: asset.codeVersion ?? null,
      deps: graph.parents(asset.key),
      status,
      materialized: own.filter((partition) => partition.materializedAt !== null).length,
      stale: count("stale"),
      failed: count("failed"),
      lastMaterializedAt
    }
  })
}
