/**
 * Schema drift: records whose shape departs from the staging Schema (a field the API added, a field it dropped or
 * renamed) are noticed, stored in `meta.schema_versions` and flagged — while the payload is still archived whole and
 * staging still loads the fields it knows.
 *
 * **Details**
 *
 * A record's shape is compared with the Schema's field paths (nested structs as `a.b`, lists of structs as `a[].b`):
 * `unknown` are paths the record has and the Schema does not, `missing` are the Schema's top-level fields the record
 * lacks. Nulls are not a shape: `orgaoSubRogado: null` and a filled `orgaoSubRogado` are the same version. The
 * fingerprint is a hash of both lists, so a conforming record always has the same one, and each distinct departure is
 * one row per endpoint, with the run and partition that first saw it.
 *
 * @since 0.1.0
 */
import * as DataVersion from "@baliza/core/DataVersion"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import type * as DuckDBError from "@baliza/duckdb/DuckDBError"
import * as Migrations from "@baliza/duckdb/Migrations"
import * as Tables from "@baliza/duckdb/Tables"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Migrations.MigrationSet = Migrations.make("pncp/schema_versions", [{
  id: 1,
  name: "schema versions",
  up: `
    CREATE SCHEMA IF NOT EXISTS meta;
    CREATE TABLE meta.schema_versions (
      endpoint VARCHAR NOT NULL,
      fingerprint VARCHAR NOT NULL,
      unknown_fields VARCHAR[] NOT NULL,
      missing_fields VARCHAR[] NOT NULL,
      flagged BOOLEAN NOT NULL,
      first_run_id VARCHAR,
      first_partition VARCHAR,
      first_seen_at TIMESTAMP NOT NULL,
      PRIMARY KEY (endpoint, fingerprint)
    )`
}])

/**
 * One shape of an endpoint's records.
 *
 * @since 0.1.0
 * @category models
 */
export interface Shape {
  readonly fingerprint: string
  readonly unknown: ReadonlyArray<string>
  readonly missing: ReadonlyArray<string>
  /** Departs from the Schema. */
  readonly flagged: boolean
}

/**
 * The field paths a Schema knows, and its top-level fields.
 *
 * @since 0.1.0
 * @category models
 */
export interface KnownFields {
  readonly paths: ReadonlySet<string>
  readonly top: ReadonlyArray<string>
}

const typePaths = (type: Tables.ColumnType, prefix: string, into: Set<string>): void => {
  if (type._tag === "Struct") {
    for (const field of type.fields) {
      const path = `${prefix}.${field.name}`
      into.add(path)
      typePaths(field.type, path, into)
    }
  } else if (type._tag === "List") {
    typePaths(type.element, `${prefix}[]`, into)
  }
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const knownFields = <A, I, R>(schema: Schema.Schema<A, I, R>): KnownFields => {
  const paths = new Set<string>()
  const columns = Tables.columns(schema)
  for (const column of columns) {
    paths.add(column.name)
    typePaths(column.type, column.name, paths)
  }
  return { paths, top: columns.map((column) => column.name) }
}

interface Departures {
  readonly unknown: Array<string>
  readonly missing: Array<string>
}

/**
 * One field path of the records seen, with its children: a page's records repeat the same paths thousands of times,
 * so each path's string and whether the Schema knows it are worked out once, and the walk is one map lookup a field.
 */
interface PathNode {
  readonly path: string
  readonly known: boolean
  readonly fields: Map<string, PathNode>
  item: PathNode | undefined
}

const pathNode = (path: string, known: boolean): PathNode => ({ path, known, fields: new Map(), item: undefined })

const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null

const walk = (value: unknown, node: PathNode, known: KnownFields, unknown: Set<string>): void => {
  if (Array.isArray(value)) {
    const item = node.item ??= pathNode(`${node.path}[]`, true)
    for (const element of value) walk(element, item, known, unknown)
  } else if (isObject(value)) {
    for (const key in value) {
      let field = node.fields.get(key)
      if (field === undefined) {
        const path = node.path === "" ? key : `${node.path}.${key}`
        node.fields.set(key, field = pathNode(path, known.paths.has(path)))
      }
      if (!field.known) unknown.add(field.path)
      walk(value[key], field, known, unknown)
    }
  }
}

/**
 * The paths of a record the Schema does not know, and the Schema's top-level fields it lacks. Every nested struct and
 * every list item is walked: a field added deep inside one item of one record is a departure too.
 */
const departures = (record: unknown, known: KnownFields, root: PathNode): Departures => {
  const unknown = new Set<string>()
  walk(record, root, known, unknown)
  const present = isObject(record) ? record : {}
  return { unknown: [...unknown].sort(), missing: known.top.filter((field) => !(field in present)) }
}

const signatureOf = ({ missing, unknown }: Departures) => `${unknown.join(",")}|${missing.join(",")}`

const shapeFrom = (found: Departures, signature = signatureOf(found)): Shape => ({
  fingerprint: DataVersion.hash(signature),
  unknown: found.unknown,
  missing: found.missing,
  flagged: found.unknown.length > 0 || found.missing.length > 0
})

/**
 * The shape of one record against the known fields.
 *
 * @since 0.1.0
 * @category constructors
 */
export const shapeOf = (record: unknown, known: KnownFields): Shape =>
  shapeFrom(departures(record, known, pathNode("", true)))

/**
 * Collects the distinct shapes of a stream of records. Every record is walked whole (a departure can be in any list
 * item), but its paths are built once per collector and a shape already seen is not hashed again.
 *
 * @since 0.1.0
 * @category constructors
 */
export const collector = (known: KnownFields) => {
  const root = pathNode("", true)
  const shapes = new Map<string, Shape>()
  return {
    add: (record: unknown): void => {
      if (typeof record !== "object" || record === null) return
      const found = departures(record, known, root)
      const signature = signatureOf(found)
      if (!shapes.has(signature)) shapes.set(signature, shapeFrom(found, signature))
    },
    shapes: (): ReadonlyArray<Shape> => [...shapes.values()]
  }
}

/** Shapes already stored, per database: most pages repeat known shapes, and this spares a write per step. */
const seen = new WeakMap<DuckDB.Service, Set<string>>()

/**
 * Stores the shapes not yet known for an endpoint and returns them (the new departures are what to warn about).
 *
 * @since 0.1.0
 * @category constructors
 */
export const record = (
  endpoint: string,
  shapes: ReadonlyArray<Shape>,
  seenBy: { readonly runId?: string | undefined; readonly partitionKey?: string | undefined } = {}
): Effect.Effect<ReadonlyArray<Shape>, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Effect.gen(function*() {
    const db = yield* DuckDB.DuckDB
    let known = seen.get(db)
    if (known === undefined) {
      yield* Migrations.run([migrations])
      known = new Set()
      seen.set(db, known)
    }
    const unseen = shapes.filter((shape) => !known.has(`${endpoint}|${shape.fingerprint}`))
    if (unseen.length === 0) return []
    const now = new Date(yield* Clock.currentTimeMillis)
    const fresh: Array<Shape> = []
    for (const shape of unseen) {
      const inserted = yield* DuckDB.execute(
        `INSERT INTO meta.schema_versions VALUES ($1, $2, $3::VARCHAR[], $4::VARCHAR[], $5, $6, $7, $8)
         ON CONFLICT DO NOTHING`,
        [
          endpoint,
          shape.fingerprint,
          shape.unknown,
          shape.missing,
          shape.flagged,
          seenBy.runId ?? null,
          seenBy.partitionKey ?? null,
          now
        ]
      )
      if (inserted > 0) fresh.push(shape)
      known.add(`${endpoint}|${shape.fingerprint}`)
    }
    return fresh
  })
