import * as Pipeline from "@baliza/pncp/Pipeline"
import * as PncpClient from "@baliza/pncp/PncpClient"
import * as Warehouse from "@baliza/pncp/Warehouse"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as CliError from "../CliError.js"
import * as errors from "./errors.js"

/** @internal */
export const logLevels = ["all", "trace", "debug", "info", "warning", "error", "fatal", "none"] as const

/** @internal The global options, also read from BALIZA_DB and BALIZA_BASE_URL. */
export const globals = {
  db: Options.text("db").pipe(
    Options.withFallbackConfig(Config.string("BALIZA_DB")),
    Options.withDefault(Warehouse.defaultPath),
    Options.withDescription("The DuckDB file (env BALIZA_DB)")
  ),
  baseUrl: Options.text("base-url").pipe(
    Options.withFallbackConfig(Config.string("BALIZA_BASE_URL")),
    Options.withDefault(PncpClient.defaultConsultaUrl),
    Options.withDescription("The PNCP consulta API base URL (env BALIZA_BASE_URL)")
  ),
  detailsUrl: Options.text("details-url").pipe(
    Options.withFallbackConfig(Config.string("BALIZA_DETAILS_URL")),
    Options.withDefault(PncpClient.defaultDetailsUrl),
    Options.withDescription("The PNCP integration API base URL, for itens and arquivos (env BALIZA_DETAILS_URL)")
  ),
  json: Options.boolean("json").pipe(Options.withDescription("Machine-readable output")),
  logLevel: Options.choice("log-level", logLevels).pipe(
    Options.withDefault("warning"),
    Options.withDescription("Library logs on stderr from this level up (default warning)")
  )
}

/** @internal The `baliza` command before its subcommands: subcommands read the global options from it. */
export const root = Command.make("baliza", globals)

/** @internal The pipeline's graph (validated once). */
export const graph = Effect.mapError(Pipeline.graph, (error) => CliError.failed(error.message))

/** @internal The warehouse's storage services over the `--db` file, opening failures mapped to exit 3. */
export const storage = (path: string) => Layer.mapError(Warehouse.storage({ path }), errors.opening(path))

/** @internal The warehouse with the PNCP client. */
export const warehouse = (
  path: string,
  client: {
    readonly consultaUrl: string
    readonly detailsUrl: string
    readonly concurrency?: number
    readonly rpm?: number
  }
) =>
  Layer.mapError(
    Warehouse.layer({
      path,
      client: {
        consultaUrl: client.consultaUrl,
        detailsUrl: client.detailsUrl,
        ...(client.concurrency === undefined ? {} : { concurrency: client.concurrency }),
        ...(client.rpm === undefined ? {} : { requestsPerMinute: client.rpm })
      }
    }),
    errors.opening(path)
  )

/** @internal `Either` of a result to an Effect of a CliError input failure. */
export const orInput = <A, E extends { readonly message: string }>(either: Either.Either<A, E>) =>
  Either.match(either, {
    onLeft: (error) => Effect.fail(CliError.input(error.message)),
    onRight: Effect.succeed
  })
