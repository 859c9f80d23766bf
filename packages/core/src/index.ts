/**
 * @since 0.1.0
 */
export * as Asset from "./Asset.js"
export * as AssetCheck from "./AssetCheck.js"
export * as AssetGraph from "./AssetGraph.js"
export * as AssetKey from "./AssetKey.js"
export * as AssetSelection from "./AssetSelection.js"
export * as AssetState from "./AssetState.js"
export * as CircuitBreaker from "./CircuitBreaker.js"
export * as DataVersion from "./DataVersion.js"
export * as EventLog from "./EventLog.js"
export * as ExecutionPlan from "./ExecutionPlan.js"
export * as Materializer from "./Materializer.js"
export * as PartitionMapping from "./PartitionMapping.js"
export * as Partitions from "./Partitions.js"
export * as RetryPolicy from "./RetryPolicy.js"
export * as RunEvent from "./RunEvent.js"
export * as RunSchedule from "./RunSchedule.js"
