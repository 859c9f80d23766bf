/**
 * A user's `baliza --assets mine.ts` project, in TypeScript, outside the Baliza repository: the published `baliza` loads
 * it with tsx. Run by `pack.test.ts` against the packed tarballs.
 */
import { Project } from "@baliza/cli"
import { Asset } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { Effect } from "effect"

const greeting: string = "hello from mine.ts"

const hello = Asset.make({
  key: "mine/raw/hello",
  layer: "raw",
  group: "mine",
  materialize: () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE OR REPLACE TABLE hello AS SELECT $1::VARCHAR AS greeting", [greeting])
      return { rows: 1 }
    })
})

export default Project.make({ assets: [hello] })
