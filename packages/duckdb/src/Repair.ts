/**
 * Rebuilding tables whose key index DuckDB left inconsistent.
 *
 * **Details**
 *
 * After a COMMIT that failed for lack of memory, DuckDB 1.5.6 can keep keys of the failed transaction in a primary
 * key's (or unique constraint's) index without their rows: every later insert of such a key fails with "Duplicate
 * key", `ON CONFLICT DO NOTHING` included, and a lookup of one may return another row. The keys survive reopening,
 * `CHECKPOINT` and `VACUUM`; only a table created anew clears them. `table` copies a table's rows aside, drops it,
 * creates it again from its own DDL (and its indexes and comments), and puts the rows back, in one transaction.
 *
 * A COMMIT that fails that way leaves a file beside the database (`<database>.rebuild-keys`), and the next
 * `DuckDB.make` that opens it for writing (the first service on the file in the process) rebuilds every table with a
 * key (as `keyedTables`) before anything else, then removes the file: a run after the failure goes on by itself. That
 * is tried once: a table it could not rebuild (out of memory again) is said in the log at every later open, and left to
 * these functions, as is a file that failed without the marker (an older version, another program).
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as DuckDB from "./DuckDB.js"
import type * as DuckDBError from "./DuckDBError.js"
import { isMemoryPath } from "./internal/client.js"
import * as internal from "./internal/repair.js"

/**
 * The file a failed COMMIT leaves beside the database at `path` (`<path>.rebuild-keys`): the next open for writing
 * rebuilds the tables with keys, then removes it.
 *
 * @since 0.1.0
 * @category constants
 */
export const markerOf: (path: string) => string = internal.markerOf

/**
 * A table rebuilt: its name as `schema.table` and the rows it holds.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rebuilt {
  readonly table: string
  readonly rows: number
}

/**
 * Rebuilds one table of the current database (`schema.table`, or a table of the current schema) with its
 * constraints, indexes and comments; returns its rows. A table that does not exist fails with reason `Catalog`, one
 * with generated columns with `InvalidInput`, and one another table's foreign key references with DuckDB's refusal to
 * drop it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const table = (name: string): Effect.Effect<Rebuilt, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Effect.flatMap(DuckDB.DuckDB, (db) => internal.rebuildTable(db, name))

/**
 * Rebuilds every table of the current database that has a primary key, a unique constraint or a unique index (the
 * tables an index keeps keys of), one transaction each; returns them in name order. A table it cannot rebuild for good
 * (generated columns) is skipped with a warning. On a file, it then removes the marker a failed COMMIT left
 * (`<database>.rebuild-keys`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const keyedTables: Effect.Effect<ReadonlyArray<Rebuilt>, DuckDBError.DuckDBError, DuckDB.DuckDB> = Effect
  .flatMap(DuckDB.DuckDB, (db) =>
    internal.keyedTableNames(db).pipe(
      Effect.flatMap((tables) =>
        Effect.forEach(tables, (name) =>
          internal.rebuildTable(db, name).pipe(
            Effect.map(Option.some),
            // a table this can never rebuild (generated columns) would otherwise stop every other's rebuild
            Effect.catchIf(
              (error) => error.reason === "InvalidInput",
              (error) => Effect.as(Effect.logWarning(error.message), Option.none())
            )
          ))
      ),
      Effect.map(Arr.getSomes),
      // what the next open would have done after a failed COMMIT is done
      Effect.tap(() => db.readOnly || isMemoryPath(db.path) ? Effect.void : internal.removeMarker(db.path))
    ))
