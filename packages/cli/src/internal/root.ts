import * as PncpClient from "@baliza/pncp/PncpClient"
import * as Warehouse from "@baliza/pncp/Warehouse"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as NodeFs from "node:fs"
import * as CliError from "../CliError.js"
import * as Project from "../Project.js"
import * as errors from "./errors.js"

/** @internal */
export const logLevels = ["all", "trace", "debug", "info", "warning", "error", "fatal", "none"] as const

// DuckDB's spelling of a size (`512MB`, `1.5 GiB`, `2 gigabytes`); it refuses anything else with "Failed to set config".
const SIZE = /^\s*\d+(\.\d+)?\s*([kmgt]i?b|b|bytes?|(kilo|mega|giga|tera)bytes?)\s*$/i

const UNIT: Readonly<Record<string, number>> = {
  k: 1e3,
  m: 1e6,
  g: 1e9,
  t: 1e12,
  ki: 2 ** 10,
  mi: 2 ** 20,
  gi: 2 ** 30,
  ti: 2 ** 40
}

/** @internal The bytes a size DuckDB accepts stands for (`KB` is 1000 bytes, `KiB` 1024, as DuckDB counts them). */
export const bytesOf = (text: string): number => {
  const [, number = "0", unit = ""] = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text) ?? []
  const word = unit.toLowerCase()
  const prefix = word.startsWith("kilo") ? "k" : word.startsWith("mega") ? "m" : word.startsWith("giga") ?
    "g"
    : word.startsWith("tera")
    ? "t"
    : word.replace(/b$/, "")
  return Number(number) * (UNIT[prefix] ?? 1)
}

/**
 * @internal The smallest `--memory-limit`: DuckDB opens and migrates a new database with 3MB and runs out of memory
 * doing it with 2MB (one thread per core wants some of it too), so below 8MB is refused before it is tried.
 */
export const minimumMemoryLimit = { bytes: 8e6, text: "8MB" }

// The name in messages is where the value came from: the flag, or the environment variable it fell back to.
const checkSize = (name: string, text: string, minimum?: typeof minimumMemoryLimit) =>
  !SIZE.test(text)
    ? Effect.fail(CliError.input(`${name} expects a size such as 512MB or 4GB, not ${JSON.stringify(text)}.`))
    : minimum !== undefined && bytesOf(text) < minimum.bytes
    ? Effect.fail(CliError.input(
      `${name} must be at least ${minimum.text}, a margin over the ~3MB DuckDB needs to open and migrate a ` +
        `database, not ${JSON.stringify(text)}.`
    ))
    : Effect.succeed(text)

/** @internal The global options, also read from BALIZA_DB and BALIZA_BASE_URL. */
export const globals = {
  // Read as given: the environment variable and the default are looked up, and the values checked, by `settings`.
  db: Options.text("db").pipe(
    Options.optional,
    Options.withDescription(`The DuckDB file (default ${Warehouse.defaultPath}, env BALIZA_DB)`)
  ),
  baseUrl: Options.text("base-url").pipe(
    Options.optional,
    Options.withDescription(
      `The PNCP consulta API base URL (default ${PncpClient.defaultConsultaUrl}, env BALIZA_BASE_URL)`
    )
  ),
  detailsUrl: Options.text("details-url").pipe(
    Options.optional,
    Options.withDescription(
      `The PNCP integration API base URL, for itens and arquivos (default ${PncpClient.defaultDetailsUrl}, ` +
        `env BALIZA_DETAILS_URL)`
    )
  ),
  assets: Options.text("assets").pipe(
    Options.withFallbackConfig(Config.string("BALIZA_ASSETS")),
    Options.optional,
    Options.withDescription(
      "A module exporting your project (`export default Project.make({ assets })`) instead of the PNCP pipeline " +
        "(env BALIZA_ASSETS)"
    )
  ),
  memoryLimit: Options.text("memory-limit").pipe(
    Options.optional,
    Options.withDescription(
      `DuckDB's memory limit, at least ${minimumMemoryLimit.text}, e.g. 4GB (default ${Warehouse.defaultMemoryLimit}, ` +
        `env BALIZA_MEMORY_LIMIT)`
    )
  ),
  stagingParallelism: Options.integer("staging-parallelism").pipe(
    Options.withFallbackConfig(Config.integer("BALIZA_STAGING_PARALLELISM")),
    Options.optional,
    Options.withDescription(
      "Connections that parse a staging table's archived pages at once (default 2, env BALIZA_STAGING_PARALLELISM)"
    )
  ),
  tempDir: Options.text("temp-dir").pipe(
    Options.withFallbackConfig(Config.string("BALIZA_TEMP_DIR")),
    Options.optional,
    Options.withDescription(
      "Where DuckDB spills what exceeds the memory limit (default <db>.tmp beside the database, env BALIZA_TEMP_DIR)"
    )
  ),
  maxTempSize: Options.text("max-temp-size").pipe(
    Options.optional,
    Options.withDescription(
      "The most DuckDB may spill to the temp directory, e.g. 10GB (default DuckDB's: 90% of the free disk)"
    )
  ),
  json: Options.boolean("json").pipe(
    Options.withDescription("Machine-readable results on stdout (JSON), no progress (default off)")
  ),
  logLevel: Options.choice("log-level", logLevels).pipe(
    Options.withDefault("warning"),
    Options.withDescription(
      "Library logs on stderr from this level up (default warning); after the command, @effect/cli's --log-level below"
    )
  )
}

/** @internal The `baliza` command before its subcommands: subcommands read the global options from it. */
export const root = Command.make("baliza", globals)

/**
 * A global option's value and where it came from: the flag, else its environment variable, else `fallback` (said
 * as the flag).
 */
const given = (flag: Option.Option<string>, name: string, variable: string, fallback: string) =>
  Option.match(flag, {
    onSome: (value) => Effect.succeed({ value, source: name }),
    onNone: () =>
      Config.option(Config.string(variable)).pipe(
        Effect.orElseSucceed(() => Option.none<string>()),
        Effect.map(Option.match({
          onNone: () => ({ value: fallback, source: name }),
          onSome: (value) => ({ value, source: variable })
        }))
      )
  })

/**
 * @internal The global options with their environment variables and defaults, checked: what the commands read. A bad
 * value is an input error (`baliza: …`, exit 2) that names where it came from (`--memory-limit` or
 * `BALIZA_MEMORY_LIMIT`). The API URLs are checked by {@link checkUrls}, by the commands that call the API.
 */
export const settings = Effect.gen(function*() {
  const options = yield* root
  const db = yield* given(options.db, "--db", "BALIZA_DB", Warehouse.defaultPath)
  // An empty path (or `:memory:`) would be DuckDB's in-memory database: a run would load everything, then lose it.
  if (db.value.trim() === "" || db.value === ":memory:") {
    return yield* CliError.input(
      `${db.source} needs a file path, not ${JSON.stringify(db.value)}: the database is a DuckDB file.`
    )
  }
  const memoryLimit = yield* given(
    options.memoryLimit,
    "--memory-limit",
    "BALIZA_MEMORY_LIMIT",
    Warehouse.defaultMemoryLimit
  )
  yield* checkSize(memoryLimit.source, memoryLimit.value, minimumMemoryLimit)
  if (Option.isSome(options.maxTempSize)) yield* checkSize("--max-temp-size", options.maxTempSize.value)
  const baseUrl = yield* given(options.baseUrl, "--base-url", "BALIZA_BASE_URL", PncpClient.defaultConsultaUrl)
  const detailsUrl = yield* given(
    options.detailsUrl,
    "--details-url",
    "BALIZA_DETAILS_URL",
    PncpClient.defaultDetailsUrl
  )
  return {
    ...options,
    db: db.value,
    memoryLimit: memoryLimit.value,
    baseUrl: baseUrl.value,
    detailsUrl: detailsUrl.value,
    /** Where each URL came from, for {@link checkUrls}'s message. */
    urlSources: { baseUrl: baseUrl.source, detailsUrl: detailsUrl.source }
  }
})

/** @internal The global options as {@link settings} gives them. */
export type Settings = Effect.Effect.Success<typeof settings>

/**
 * @internal The API URLs are http(s) URLs: checked before anything is planned by the commands that call the API, a dry
 * run included.
 */
export const checkUrls = (settings: Settings): Effect.Effect<void, CliError.CliError> => {
  const problems = (["baseUrl", "detailsUrl"] as const).flatMap((name) =>
    isHttpUrl(settings[name]) ? [] : [`${settings.urlSources[name]} must be an http(s) URL, got "${settings[name]}"`]
  )
  return problems.length > 0 ? Effect.fail(CliError.input(`${problems.join("; ")}.`)) : Effect.void
}

/** @internal The project `--assets` names, or the PNCP pipeline. */
export const project = Effect.gen(function*() {
  const globals = yield* root
  return Option.isSome(globals.assets) ? yield* Project.load(globals.assets.value) : Project.pncp
})

/** @internal The project's graph; an invalid one is an input error naming the assets. */
export const graph = Effect.gen(function*() {
  const globals = yield* root
  return yield* Project.graph(yield* project, Option.getOrElse(globals.assets, () => "the PNCP pipeline"))
})

/** @internal What the global options say about the database. */
export interface Database {
  readonly db: string
  readonly memoryLimit: string
  readonly stagingParallelism: Option.Option<number>
  readonly tempDir: Option.Option<string>
  readonly maxTempSize: Option.Option<string>
}

const databaseOptions = (database: Database): Omit<Warehouse.Options, "client"> => ({
  path: database.db,
  memoryLimit: database.memoryLimit,
  stagingParallelism: Option.getOrUndefined(database.stagingParallelism),
  tempDirectory: Option.getOrUndefined(database.tempDir),
  settings: Option.match(database.maxTempSize, {
    onNone: () => ({}),
    onSome: (size) => ({ max_temp_directory_size: size })
  })
})

/** @internal The warehouse's storage services over the `--db` file, opening failures mapped to exit 3. */
export const storage = (database: Database) =>
  Layer.mapError(Warehouse.storage(databaseOptions(database)), errors.opening(database.db, database.memoryLimit))

/** @internal What a command that only reads says when the `--db` file is not there. */
export const noDatabase = (path: string): CliError.CliError =>
  CliError.database(`There is no database at ${path} (\`baliza init\` creates one).`)

/**
 * @internal Like {@link storage}, for a command that only reads: opened read-only, so nothing is written into it (a
 * file that needs migrations says so); a missing file is exit 3, and none is created.
 */
export const existingStorage = (database: Database) =>
  ifExists(database, (database) =>
    Layer.mapError(
      Warehouse.storage({ ...databaseOptions(database), readOnly: true }),
      (error) => {
        const opening = errors.opening(database.db, database.memoryLimit)(error)
        // read-only, the only write it refuses is a pending migration
        return errors.isReadOnly(error)
          ? CliError.database(`${opening.message}\n\`baliza init\` applies them (this command only reads).`)
          : opening
      }
    ))

/**
 * @internal The `DuckDB` service alone over the `--db` file (created when missing): no table in it is created or
 * migrated (rollback).
 */
export const fileDatabase = (database: Database, options: DatabaseOpening = {}) =>
  Layer.mapError(
    Warehouse.database({ ...databaseOptions(database), ...options }),
    errors.opening(database.db, database.memoryLimit)
  )

/**
 * @internal How a command opens the file: with `rebuildMarkedTables: false` a file a failed commit marked is not
 * rebuilt as it opens (`repair` rebuilds it itself).
 */
export interface DatabaseOpening {
  readonly rebuildMarkedTables?: boolean
}

/** @internal Like {@link fileDatabase}, over a file that must exist (backup, repair): a missing file is exit 3. */
export const existingDatabase = (database: Database, options: DatabaseOpening = {}) =>
  ifExists(database, (database) => fileDatabase(database, options))

/**
 * @internal The `DuckDB` service alone over a file that must exist, opened read-only with the global options' settings
 * and `settings` over them (query, dump-catalog): a missing file is exit 3.
 */
export const readOnlyDatabase = (database: Database, settings: Readonly<Record<string, string>>) =>
  ifExists(database, (database) => {
    const options = databaseOptions(database)
    return Layer.mapError(
      Warehouse.database({ ...options, readOnly: true, settings: { ...options.settings, ...settings } }),
      errors.opening(database.db, database.memoryLimit)
    )
  })

/**
 * @internal The directory DuckDB spills to: `--temp-dir`, else DuckDB's default for a file, `<db>.tmp` (what
 * `current_setting('temp_directory')` shows). DuckDB creates its last level only, when it first spills.
 */
export const tempDirectory = (database: Database): string =>
  Option.getOrElse(database.tempDir, () => `${database.db}.tmp`)

const ifExists = <A, E, R>(database: Database, layer: (database: Database) => Layer.Layer<A, E, R>) =>
  Layer.unwrapEffect(
    Effect.sync(() => NodeFs.existsSync(database.db)).pipe(
      Effect.flatMap((exists) => exists ? Effect.succeed(layer(database)) : Effect.fail(noDatabase(database.db)))
    )
  )

const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}

interface WarehouseClient {
  readonly consultaUrl: string
  readonly detailsUrl: string
  readonly concurrency?: number
  readonly rpm?: number
  /** Milliseconds for a whole request (connect, read). */
  readonly requestTimeout?: number
  /** Raw partitions from their first page again (`--refetch`). */
  readonly refetch?: boolean
}

/** @internal The warehouse with the PNCP client (its URLs checked first: {@link checkUrls}). */
export const warehouse = (database: Database, client: WarehouseClient) =>
  Layer.mapError(
    Warehouse.layer({
      ...databaseOptions(database),
      client: {
        consultaUrl: client.consultaUrl,
        detailsUrl: client.detailsUrl,
        ...(client.concurrency === undefined ? {} : { concurrency: client.concurrency }),
        ...(client.rpm === undefined ? {} : { requestsPerMinute: client.rpm }),
        ...(client.refetch === true ? { refetch: true } : {}),
        ...(client.requestTimeout === undefined ? {} : {
          timeouts: {
            connect: Duration.millis(client.requestTimeout),
            read: Duration.millis(client.requestTimeout),
            total: Duration.millis(client.requestTimeout)
          }
        })
      }
    }),
    errors.opening(database.db, database.memoryLimit)
  )

/** @internal `Either` of a result to an Effect of a CliError input failure. */
export const orInput = <A, E extends { readonly message: string }>(either: Either.Either<A, E>) =>
  Either.match(either, {
    onLeft: (error) => Effect.fail(CliError.input(error.message)),
    onRight: Effect.succeed
  })
