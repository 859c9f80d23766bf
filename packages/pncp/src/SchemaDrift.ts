/**
 * Schema drift: records whose shape departs from the staging Schema (a field the API added, a field it dropped or
 * renamed) are noticed, stored in `meta.schema_versions` and flagged — while the payload is still archived whole and
 * staging still loads the fields it knows.
 *
 * **Details**
 *
 * A record's shape is compared with the Schema's field paths (nested structs as `a.b`, lists of structs as `a[].b`):
 * `unknown` are paths the record has and the Schema does not, and paths whose JSON type is not the Schema's, as
 * `path:type` (`valorTotalEstimado:string` where a number was expected: staging would load NULL;
 * `sequencialCompra:number` for a fraction where staging loads an integer and would round it); a record that is no
 * object at all is its kind at the root (`:string`, `:null`). `missing` are the Schema's fields a record or one of its
 * nested objects lacks (`orgaoEntidade.cnpj`). Nulls are not a shape: `orgaoSubRogado: null` and a filled
 * `orgaoSubRogado` are the same version. The fingerprint is a hash of both lists, so a conforming record always has
 * the same one, and each distinct departure is one row per endpoint, with the run and partition that first saw it.
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
  /** The JSON type each path's values have (`""` is the record), where the Schema says one. */
  readonly kinds: ReadonlyMap<string, JsonKind>
  /** The fields each object path must have (`""`: the record's top-level fields). */
  readonly children: ReadonlyMap<string, ReadonlyArray<string>>
  /** The `number` paths staging loads as integers (`BIGINT`, `INTEGER`…): a fraction there would be rounded. */
  readonly integers: ReadonlySet<string>
}

/**
 * The type of a JSON value, as a shape names it.
 *
 * @since 0.1.0
 * @category models
 */
export type JsonKind = "string" | "number" | "boolean" | "object" | "array"

const integerSql = /^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|UHUGEINT)\b/

// Dates and times travel as strings; a JSON column takes anything.
const scalarKind = (sql: string): JsonKind | undefined =>
  /^(VARCHAR|TIMESTAMP|DATE|TIME|UUID)/.test(sql)
    ? "string"
    : /^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|DOUBLE|FLOAT|REAL|DECIMAL)/.test(sql)
    ? "number"
    : sql === "BOOLEAN"
    ? "boolean"
    : undefined

interface Known {
  readonly paths: Set<string>
  readonly kinds: Map<string, JsonKind>
  readonly children: Map<string, ReadonlyArray<string>>
  readonly integers: Set<string>
}

const typePaths = (type: Tables.ColumnType, path: string, into: Known): void => {
  const kind = type._tag === "Scalar"
    ? scalarKind(type.sql)
    : type._tag === "List"
    ? "array"
    : "object"
  if (kind !== undefined) into.kinds.set(path, kind)
  if (type._tag === "Scalar" && integerSql.test(type.sql)) into.integers.add(path)
  if (type._tag === "Struct") {
    into.children.set(path, type.fields.map((field) => field.name))
    for (const field of type.fields) {
      const child = `${path}.${field.name}`
      into.paths.add(child)
      typePaths(field.type, child, into)
    }
  } else if (type._tag === "List") {
    typePaths(type.element, `${path}[]`, into)
  }
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const knownFields = <A, I, R>(schema: Schema.Schema<A, I, R>): KnownFields => {
  const known: Known = { paths: new Set(), kinds: new Map(), children: new Map(), integers: new Set() }
  const columns = Tables.columns(schema)
  const top = columns.map((column) => column.name)
  known.kinds.set("", "object")
  known.children.set("", top)
  for (const column of columns) {
    known.paths.add(column.name)
    typePaths(column.type, column.name, known)
  }
  return { ...known, top }
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
  /** The JSON type the Schema gives this path's values, when it gives one. */
  readonly kind: JsonKind | undefined
  /** Staging loads this path as an integer. */
  readonly integer: boolean
  /** The fields the Schema gives this path's objects. */
  readonly children: ReadonlyArray<string> | undefined
  readonly fields: Map<string, PathNode>
  item: PathNode | undefined
}

const pathNode = (path: string, known: boolean, fields: KnownFields): PathNode => ({
  path,
  known,
  kind: fields.kinds.get(path),
  integer: fields.integers.has(path),
  children: fields.children.get(path),
  fields: new Map(),
  item: undefined
})

const kindOf = (value: unknown): JsonKind =>
  Array.isArray(value)
    ? "array"
    : typeof value === "object"
    ? "object"
    : (typeof value as "string" | "number" | "boolean")

const childPath = (node: PathNode, key: string) => node.path === "" ? key : `${node.path}.${key}`

const walk = (
  value: unknown,
  node: PathNode,
  known: KnownFields,
  unknown: Set<string>,
  missing: Set<string>
): void => {
  if (value === null || value === undefined) return
  const kind = kindOf(value)
  // a value of another type than the Schema's is a departure of its own; what is inside it is not compared
  if (node.kind !== undefined && node.kind !== kind) {
    unknown.add(`${node.path}:${kind}`)
    return
  }
  // staging's BIGINT would round a fraction silently
  if (node.integer && !Number.isInteger(value)) {
    unknown.add(`${node.path}:number`)
    return
  }
  if (kind === "array") {
    const item = node.item ??= pathNode(`${node.path}[]`, true, known)
    for (const element of value as ReadonlyArray<unknown>) walk(element, item, known, unknown, missing)
  } else if (kind === "object") {
    const object = value as { readonly [key: string]: unknown }
    for (const key in object) {
      let field = node.fields.get(key)
      if (field === undefined) {
        const path = childPath(node, key)
        node.fields.set(key, field = pathNode(path, known.paths.has(path), known))
      }
      if (!field.known) unknown.add(field.path)
      walk(object[key], field, known, unknown, missing)
    }
    if (node.children !== undefined) {
      for (const child of node.children) if (!(child in object)) missing.add(childPath(node, child))
    }
  }
}

/**
 * The paths of a record the Schema does not know or types otherwise, and the Schema's fields it (or an object in it)
 * lacks. Every nested struct and every list item is walked: a field added deep inside one item of one record is a
 * departure too.
 */
const departures = (record: unknown, known: KnownFields, root: PathNode): Departures => {
  const unknown = new Set<string>()
  const missing = new Set<string>()
  // A record that is no object (a string, a number, null in `data`) counts as a record all the same: its kind at the
  // root is its departure (`:string`, `:null`), where a null field is no shape at all.
  if (record === null || record === undefined) unknown.add(":null")
  else walk(record, root, known, unknown, missing)
  return { unknown: [...unknown].sort(), missing: [...missing].sort() }
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
  shapeFrom(departures(record, known, pathNode("", true, known)))

/**
 * Collects the distinct shapes of a stream of records. Every record is walked whole (a departure can be in any list
 * item), but its paths are built once per collector and a shape already seen is not hashed again.
 *
 * @since 0.1.0
 * @category constructors
 */
export const collector = (known: KnownFields) => {
  const root = pathNode("", true, known)
  const shapes = new Map<string, Shape>()
  return {
    add: (record: unknown): void => {
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
