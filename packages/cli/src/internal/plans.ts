import type * as Asset from "@baliza/core/Asset"
import type * as AssetGraph from "@baliza/core/AssetGraph"
import * as ExecutionPlan from "@baliza/core/ExecutionPlan"
import type * as Materializer from "@baliza/core/Materializer"
import * as Option from "effect/Option"
import * as CliError from "../CliError.js"

/** @internal An asset whose partitions have the modalidade dimension (the PNCP day × modalidade ones). */
export const byModalidade = (asset: Asset.Any): boolean => {
  const json = asset.partitions?.toJSON()
  return json?._tag === "Multi" && json.dimensions.some((dimension) => dimension.name === "modalidade")
}

/**
 * @internal A plan that failed, as an input error. A spec with `|` that met an asset of one dimension (the planner
 * names it, and the piece of the spec it tried) also says how to write it: the days with `--modalidades`, or a
 * selection of the assets that have several dimensions.
 */
export const planFailure = <E, R>(
  error: Materializer.MaterializeError,
  graph: AssetGraph.AssetGraph<E, R>,
  spec: string | undefined
): CliError.CliError => {
  const cause = error.cause
  const asset = cause instanceof ExecutionPlan.ExecutionPlanError && cause.reason === "PartitionNotApplicable"
    ? Option.getOrUndefined(graph.get(cause.assetKey))
    : undefined
  const message = error.message.replace(/\.$/, "")
  if (spec === undefined || !spec.includes("|") || asset === undefined || asset.partitions?._tag === "Multi") {
    return CliError.input(error.message)
  }
  const multi = graph.assets.filter((candidate) => candidate.partitions?._tag === "Multi").map(({ key }) => key)
  if (multi.length === 0) return CliError.input(error.message)
  const [days = "*", ...rest] = spec.split("|")
  const modalidades = graph.assets.some(byModalidade)
    ? `give the days alone with --modalidades (${days === "*" ? "" : `--partition ${days} `}` +
      `--modalidades ${rest.join("|")}), or `
    : ""
  return CliError.input(
    `${message}. A spec with "|" fits only the assets partitioned by several dimensions; "${asset.key}" has ` +
      `one: ${modalidades}select only those assets (--select "${multi.join(" or ")}").`
  )
}
