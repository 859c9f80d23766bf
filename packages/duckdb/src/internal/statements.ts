import type {
  DuckDBConnection,
  DuckDBMaterializedResult,
  DuckDBPreparedStatement,
  DuckDBValue,
  DuckDBValueConverter
} from "@duckdb/node-api"

/**
 * @internal
 * The prepared statements of one connection, by SQL text, least recently used first out.
 *
 * `connection.run(sql, params)` extracts, prepares and runs the statement: three asynchronous calls, each waiting for
 * a thread of libuv's pool and then for a turn of the event loop. Under load (a busy event loop and DuckDB's threads
 * taken by other queries) each wait costs milliseconds, and the writer, which everything else queues behind, spent
 * more time waiting than executing. A statement prepared once runs in one call.
 */
export class StatementCache {
  private readonly prepared = new Map<string, DuckDBPreparedStatement>()

  constructor(private readonly connection: DuckDBConnection, private readonly capacity: number) {}

  /** Runs `sql` with `params` (prepared once and kept), or as a plain query without them. */
  async run(
    sql: string,
    params: Array<DuckDBValue> | Record<string, DuckDBValue> | undefined
  ): Promise<DuckDBMaterializedResult> {
    if (params === undefined) return this.connection.run(sql)
    const statement = await this.statement(sql)
    // Several statements in one text cannot be prepared as one: the connection runs them in turn.
    if (statement === undefined) return this.connection.run(sql, params)
    statement.bind(params)
    try {
      return await statement.run()
    } finally {
      // A kept statement would otherwise hold its last values (archived pages are megabytes) until its next run.
      statement.clearBindings()
    }
  }

  /** Destroys every kept statement (before the connection closes). */
  clear(): void {
    for (const statement of this.prepared.values()) statement.destroySync()
    this.prepared.clear()
  }

  private async statement(sql: string): Promise<DuckDBPreparedStatement | undefined> {
    const found = this.prepared.get(sql)
    if (found !== undefined) {
      // Most recently used last: a Map iterates in insertion order.
      this.prepared.delete(sql)
      this.prepared.set(sql, found)
      return found
    }
    const extracted = await this.connection.extractStatements(sql)
    if (extracted.count !== 1) return undefined
    const statement = await extracted.prepare(0)
    this.prepared.set(sql, statement)
    if (this.prepared.size > this.capacity) {
      const [oldest, evicted] = this.prepared.entries().next().value ?? []
      if (oldest !== undefined && evicted !== undefined) {
        this.prepared.delete(oldest)
        evicted.destroySync()
      }
    }
    return statement
  }
}

/**
 * @internal
 * The rows of a materialized result as objects, read synchronously (the chunks are already in memory: reading them
 * through a result reader costs an asynchronous call per chunk).
 */
export const rowObjects = <T>(
  result: DuckDBMaterializedResult,
  converter: DuckDBValueConverter<T>
): Array<Record<string, T | null>> => {
  const names = result.deduplicatedColumnNames()
  const rows: Array<Record<string, T | null>> = []
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c)
    for (let r = 0; r < chunk.rowCount; r++) {
      const row: Record<string, T | null> = {}
      chunk.visitRowValues(r, (value, _row, column, type) => {
        row[names[column]!] = converter(value, type, converter)
      })
      rows.push(row)
    }
  }
  return rows
}
