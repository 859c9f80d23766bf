/**
 * The services the file pipeline runs on: one DuckDB file holding the tables, the event log and the asset state, and the
 * input folder.
 */
import { DuckDB, DuckDBAssetState, DuckDBEventLog } from "@baliza/duckdb"
import { NodeFileSystem } from "@effect/platform-node"
import { Layer } from "effect"
import * as Inputs from "./Inputs.js"

export const layer = (options: { readonly database: string; readonly inputs: string }) =>
  Layer.mergeAll(
    Layer.mergeAll(DuckDBEventLog.layer(), DuckDBAssetState.layer).pipe(
      Layer.provideMerge(DuckDB.layer({ path: options.database }))
    ),
    Inputs.layer(options.inputs).pipe(Layer.provide(NodeFileSystem.layer))
  )
