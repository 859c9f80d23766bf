/**
 * Staging and mart assets: DuckDB tables rebuilt by SQL from what is upstream, each reported with its row count and a
 * content version (unchanged rows → unchanged version → what is downstream is skipped).
 *
 * @since 0.1.0
 */
import * as Asset from "@baliza/core/Asset"
import * as AssetCheck from "@baliza/core/AssetCheck"
import type * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import { tableVersion } from "../internal/tableVersion.js"

/**
 * What a table asset builds.
 *
 * @since 0.1.0
 * @category models
 */
export interface TableAsset<E, R> {
  /** `staging.contratacoes`, `marts.contratos_por_fornecedor`, …: the asset key is `pncp/<schema>/<table>`. */
  readonly table: string
  readonly description: string
  readonly deps: ReadonlyArray<Asset.DependencyInput>
  /** Builds the table (idempotent); or, given the step's context, as the step asks (`context.forced`: whole). */
  readonly build:
    | Effect.Effect<unknown, E, R | DuckDB.DuckDB>
    | ((context: Asset.StepContext) => Effect.Effect<unknown, E, R | DuckDB.DuckDB>)
  /** Totals that must agree exactly (a mart's count or decimal sum against staging's), checked after every build. */
  readonly reconcile?: Effect.Effect<ReadonlyArray<Reconciliation>, E, R | DuckDB.DuckDB> | undefined
  /** More checks, evaluated after every build. */
  readonly checks?: ReadonlyArray<AssetCheck.AssetCheck<E, R | DuckDB.DuckDB>> | undefined
  readonly codeVersion?: string | undefined
  /** The rows' Schema, when the table has one: its columns show on the asset (in the UI's asset page). */
  readonly schema?: Schema.Schema.AnyNoContext | undefined
}

/**
 * One total computed two ways: both as exact text (a DECIMAL or a count as DuckDB prints it), and whether they agree,
 * compared where they were computed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reconciliation {
  readonly name: string
  readonly actual: string
  readonly expected: string
  /**
   * Exactly: totals are counts and exact decimal sums, and a tolerance relative to the total would grow with the
   * volume (one contratação's R$ 500,000 is within 1e-6 of a trillion). Compared in SQL, not as JS numbers: a double
   * cannot tell 10000000000000000.4 from …0.5.
   */
  readonly agrees: boolean
}

const layerOf = (table: string): Asset.Layer => table.startsWith("marts.") ? "mart" : "staging"

/**
 * A table asset: `pncp/staging/<table>` or `pncp/marts/<table>`, unpartitioned (rebuilt whole from every upstream
 * partition), with a blocking `totals` check when `reconcile` is given.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <E, R>(options: TableAsset<E, R>) => {
  const [schema = "", name = ""] = options.table.split(".")
  const reconcile = options.reconcile
  return Asset.make({
    key: `pncp/${schema}/${name}`,
    description: options.description,
    layer: layerOf(options.table),
    group: "pncp",
    tags: { source: "pncp" },
    deps: options.deps,
    codeVersion: options.codeVersion ?? "1",
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    checks: [
      ...(options.checks ?? []),
      ...(reconcile === undefined ? [] : [
        AssetCheck.make({
          name: "totals",
          description: "totals agree with the tables it is built from",
          evaluate: () =>
            Effect.map(reconcile, (results) => {
              const wrong = results.filter((r) => !r.agrees)
              // metadata is for display: a number, as close as a double gets
              const metadata = Object.fromEntries(results.map((r) => [r.name, Number(r.actual)]))
              return wrong.length === 0
                ? AssetCheck.pass(`${results.length} totals agree`, metadata)
                : AssetCheck.fail(
                  wrong.map((r) => `${r.name}: ${r.actual} here, ${r.expected} upstream`).join("; "),
                  metadata
                )
            })
        })
      ])
    ],
    materialize: (context) =>
      Effect.gen(function*() {
        yield* Effect.isEffect(options.build) ? options.build : options.build(context)
        const { rows, version } = yield* tableVersion(options.table)
        return { rows, dataVersion: version, metadata: { table: options.table } }
      })
  })
}
