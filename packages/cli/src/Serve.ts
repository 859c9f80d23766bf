/**
 * `baliza serve [--port 4200] [--host 127.0.0.1]`: the HTTP API of `@baliza/server` over the `--db` file and the
 * project's graph — assets, lineage, runs and their events over Server-Sent Events, launching and cancelling runs —
 * until Ctrl-C. The server holds the database (its only writer) while it runs. `BALIZA_UI_TOKEN` requires a bearer
 * token; binding anything but the loopback address prints a warning.
 *
 * @since 0.1.0
 */
import * as PncpClient from "@baliza/pncp/PncpClient"
import * as Server from "@baliza/server/Server"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as CliError from "./CliError.js"
import * as root from "./internal/root.js"

const loopback = new Set(["127.0.0.1", "::1", "localhost"])

/**
 * @since 0.1.0
 * @category commands
 */
export const serve = Command.make("serve", {
  port: Options.integer("port").pipe(Options.withDescription("The port (0: any free one)"), Options.withDefault(4200)),
  host: Options.text("host").pipe(
    Options.withDescription("The address to bind (default 127.0.0.1; anything else is reachable by others)"),
    Options.withDefault("127.0.0.1")
  )
}, ({ host, port }) =>
  Effect.gen(function*() {
    const globals = yield* root.root
    const graph = yield* root.graph
    if (port < 0 || port > 65535) return yield* CliError.input(`--port must be 0 to 65535, got ${port}.`)
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
      runDefaults: {
        concurrency: PncpClient.defaults.concurrency,
        pools: { pncp_api: PncpClient.defaults.concurrency }
      }
    }).pipe(
      Layer.provide(root.warehouse(globals, { consultaUrl: globals.baseUrl, detailsUrl: globals.detailsUrl }))
    )
    yield* Effect.scoped(Effect.gen(function*() {
      const context = yield* Layer.build(server).pipe(
        Effect.mapError((error) =>
          error instanceof CliError.CliError
            ? error
            : CliError.input(`Cannot serve on ${host}:${port}: ${error.message}`)
        )
      )
      const url = yield* Effect.provide(Server.url, context)
      yield* Console.log(
        `Serving ${globals.db} on ${url}: the API under ${url}/api, OpenAPI at ${url}/api/openapi.json`
      )
      return yield* Effect.never
    }))
  })).pipe(Command.withDescription("Serve the HTTP API (assets, runs, live events) until Ctrl-C"))
