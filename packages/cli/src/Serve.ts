/**
 * `baliza ui [--port 4200] [--host 127.0.0.1]`: the page of `@baliza/ui` and the HTTP API of `@baliza/server` over the
 * `--db` file and the project's graph — lineage, assets and partitions, runs with their live events, the run queue and
 * the schedules (the project's, plus housekeeping) — until Ctrl-C. `baliza serve` is the same without the page.
 *
 * The server holds the database (its only writer) while it runs: launched runs wait in its queue and run there.
 * `BALIZA_UI_TOKEN` requires a bearer token on the API; binding anything but the loopback address prints a warning.
 *
 * @since 0.1.0
 */
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as PncpClient from "@baliza/pncp/PncpClient"
import * as Server from "@baliza/server/Server"
import * as Ui from "@baliza/ui/Ui"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as CliError from "./CliError.js"
import * as errors from "./internal/errors.js"
import * as root from "./internal/root.js"

const loopback = new Set(["127.0.0.1", "::1", "localhost"])

const options = {
  port: Options.integer("port").pipe(
    Options.withDescription("The port (default 4200; 0: any free one)"),
    Options.withDefault(4200)
  ),
  host: Options.text("host").pipe(
    Options.withDescription("The address to bind (default 127.0.0.1; anything else is reachable by others)"),
    Options.withDefault("127.0.0.1")
  )
}

const run = (page: boolean) => ({ host, port }: { readonly host: string; readonly port: number }) =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    const graph = yield* root.graph
    const project = yield* root.project
    if (port < 0 || port > 65535) return yield* CliError.input(`--port must be 0 to 65535, got ${port}.`)
    yield* root.checkUrls(globals)
    const token = yield* Config.option(Config.redacted("BALIZA_UI_TOKEN")).pipe(
      Effect.orElseSucceed(() => Option.none())
    )
    if (!loopback.has(host)) {
      yield* Console.error(
        `baliza: warning: serving on ${host}, reachable from other machines` +
          (Option.isNone(token) ? "; set BALIZA_UI_TOKEN to require a token." : ".")
      )
    }
    const server = Server.layer({
      graph,
      port,
      host,
      token: Option.getOrUndefined(Option.map(token, (secret) => Redacted.value(secret))),
      defaultSelection: project.defaultSelection,
      runDefaults: {
        concurrency: PncpClient.defaults.concurrency,
        pools: { pncp_api: PncpClient.defaults.concurrency }
      },
      schedules: project.schedules,
      ui: page ? Ui.files : undefined
    })
    yield* Effect.scoped(Effect.gen(function*() {
      const storage = yield* Layer.build(
        root.warehouse(globals, { consultaUrl: globals.baseUrl, detailsUrl: globals.detailsUrl })
      )
      const context = yield* Layer.build(Layer.provide(server, Layer.succeedContext(storage))).pipe(
        Effect.mapError((error) =>
          error instanceof CliError.CliError
            ? error
            : CliError.input(
              error._tag === "RunScheduleError" ? error.message : `Cannot serve on ${host}:${port}: ${reasonOf(error)}`
            )
        )
      )
      const url = yield* Effect.provide(Server.url, context)
      // --json: one JSON line for a program that waits for the URL (`--port 0`); a sentence for a person otherwise
      yield* Console.log(
        globals.json
          ? JSON.stringify({ url, database: globals.db })
          : page
          ? `Serving ${globals.db} on ${url}: the page at ${url}/, the API under ${url}/api`
          : `Serving ${globals.db} on ${url}: the API under ${url}/api, OpenAPI at ${url}/api/openapi.json`
      )
      // Until Ctrl-C (a server has nothing to resume), or a failed COMMIT stops the database (`invalidated` never
      // completes otherwise): every request would fail, so the server stops too, exit 3, and whoever started it starts
      // it again, which opens the file again (rebuilding what the failure may have left) and queues again the runs it
      // held.
      return yield* Effect.flatMap(
        Context.get(storage, DuckDB.DuckDB).invalidated,
        (error) => Effect.fail(errors.other(error))
      ).pipe(Effect.onInterrupt(() => Console.error("\nbaliza: stopped.")))
    }))
  })

// The platform's ServeError has an empty message: the reason (EADDRINUSE, a bad host) is its cause's.
const reasonOf = (error: { readonly message: string; readonly cause?: unknown }): string =>
  error.message !== ""
    ? error.message
    : error.cause instanceof Error
    ? error.cause.message
    : String(error.cause ?? "unknown reason")

/**
 * @since 0.1.0
 * @category commands
 */
export const ui = Command.make("ui", options, run(true)).pipe(
  Command.withDescription("Serve the web UI and its API (lineage, assets, runs, queue, schedules) until Ctrl-C")
)

/**
 * @since 0.1.0
 * @category commands
 */
export const serve = Command.make("serve", options, run(false)).pipe(
  Command.withDescription("Serve the HTTP API (assets, runs, live events, queue, schedules) until Ctrl-C")
)
