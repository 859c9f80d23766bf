/**
 * The warehouse's own migrations, over the tables of the stores it opens (asset state, page checkpoints, failed
 * requests): run after theirs.
 *
 * @internal
 */
import * as Migrations from "@baliza/duckdb/Migrations"

const dayKey = (column: string) => `regexp_matches(${column}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}')`

/** @internal */
export const migrations: Migrations.MigrationSet = Migrations.make("pncp", [{
  id: 1,
  name: "pncp/raw/atas by month: its day partitions retired",
  // `/v1/atas` selects by vigência, so `pncp/raw/atas` became one series per month. Its day keys are no partitions of
  // the asset any more: their state, page checkpoints and failed requests would show as failed or interrupted for
  // ever, and nothing could run them. Their archived pages stay: staging reads every page of the endpoint.
  up: `
    DELETE FROM meta.asset_state WHERE asset_key = 'pncp/raw/atas' AND ${dayKey("partition_key")};
    DELETE FROM meta.checkpoints WHERE asset_key = 'pncp/raw/atas' AND ${dayKey("partition_key")};
    DELETE FROM meta.page_checkpoints WHERE endpoint = 'atas' AND ${dayKey("partition_key")};
    UPDATE meta.failed_requests SET resolved = true, resolved_at = now()::TIMESTAMP
    WHERE endpoint = 'atas' AND NOT resolved AND ${dayKey("partition_key")}`
}])
