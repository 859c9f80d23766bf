/**
 * `PncpClient.make` against a real HTTP server on 127.0.0.1: its keep-alive connections live as long as the
 * caller's scope, and close with it.
 */
import * as PncpClient from "@baliza/pncp/PncpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as NodeHttp from "node:http"
import type * as NodeNet from "node:net"

interface Server {
  readonly http: NodeHttp.Server
  readonly url: string
  readonly sockets: ReadonlySet<NodeNet.Socket>
}

/** A server answering every request with 204 (an empty consulta page), keeping the set of its open connections. */
const server = Effect.acquireRelease(
  Effect.async<Server>((resume) => {
    const sockets = new Set<NodeNet.Socket>()
    const http = NodeHttp.createServer((_, response) => response.writeHead(204).end())
    http.on("connection", (socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
    })
    http.listen(0, "127.0.0.1", () => {
      const address = http.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      resume(Effect.succeed({ http, url: `http://127.0.0.1:${port}`, sockets }))
    })
  }),
  ({ http }) =>
    Effect.async<void>((resume) => {
      http.closeAllConnections()
      http.close(() => resume(Effect.void))
    })
)

/** Waits (bounded: 100 × 20 ms) until the server has no connection open; returns how many are left. */
const drained = (sockets: ReadonlySet<NodeNet.Socket>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 100 && sockets.size > 0; i++) yield* Effect.sleep("20 millis")
    return sockets.size
  })

describe("PncpClient", () => {
  it.scopedLive(
    "keeps its connections open for the caller's scope and closes them with it",
    () =>
      Effect.gen(function*() {
        const { sockets, url } = yield* server
        yield* Effect.scoped(Effect.gen(function*() {
          const client = yield* PncpClient.make({ consultaUrl: url, detailsUrl: url, concurrency: 2 })
          const page = yield* client.consulta.get({ path: "v1/contratos", params: { pagina: 1 } })
          assert.strictEqual(page.status, 204)
          // Still open after `make` returned and the request ended: the keep-alive socket waits for the next page.
          yield* Effect.sleep("50 millis")
          assert.strictEqual(sockets.size, 1)
          const again = yield* client.consulta.get({ path: "v1/contratos", params: { pagina: 2 } })
          assert.strictEqual(again.status, 204)
          assert.strictEqual(sockets.size, 1)
        }))
        assert.strictEqual(yield* drained(sockets), 0)
      }),
    { timeout: 30_000 }
  )

  it.scopedLive(
    "requestsPerMinute limits both base URLs together: they are one server",
    () =>
      Effect.gen(function*() {
        const { url } = yield* server
        // 6,000 rpm is a token every 10 ms: 40 requests, 20 to each base, take at least 39 intervals together
        const client = yield* PncpClient.make({
          consultaUrl: `${url}/consulta`,
          detailsUrl: `${url}/pncp`,
          concurrency: 8,
          requestsPerMinute: 6_000
        })
        const twenty = (source: typeof client.consulta) =>
          Effect.forEach(Array.from({ length: 20 }, (_, i) => i), (i) => source.get({ path: `v1/x/${i}` }), {
            concurrency: "unbounded"
          })
        const started = Date.now()
        yield* Effect.all([twenty(client.consulta), twenty(client.details)], { concurrency: 2 })
        // each base on its own would take half of it
        assert.isAtLeast(Date.now() - started, 380)
      }),
    { timeout: 30_000 }
  )

  it.scoped("a details cap or checkpoint that is not a positive integer is refused, naming the setting and value", () =>
    Effect.gen(function*() {
      const invalid: ReadonlyArray<Partial<PncpClient.Settings>> = [
        { detailsBatchSize: -1 },
        { detailsBatchSize: 0 },
        { detailsBatchSize: Number.NaN },
        { detailsBatchSize: 2.5 },
        { detailsCheckpointEvery: Number.NaN },
        { detailsCheckpointEvery: Number.POSITIVE_INFINITY },
        { detailsCheckpointEvery: 0 },
        { detailsCheckpointEvery: 1.5 }
      ]
      for (const overrides of invalid) {
        const [setting, value] = Object.entries(overrides)[0]!
        // Not `Effect.flip`: a client made in spite of it would be the error, too big a value to print.
        const made = yield* Effect.either(PncpClient.make(overrides))
        assert.isTrue(Either.isLeft(made), `${setting} ${value} accepted`)
        assert.strictEqual(Either.isLeft(made) && made.left._tag, "InvalidSettings")
        assert.strictEqual(
          Either.isLeft(made) ? made.left.message : "",
          `The PNCP client setting ${setting} must be a positive integer, not ${value}.`
        )
      }
      const client = yield* PncpClient.make({ detailsBatchSize: 1, detailsCheckpointEvery: 1 })
      assert.deepStrictEqual([client.settings.detailsBatchSize, client.settings.detailsCheckpointEvery], [1, 1])
    }))

  it.scoped("a concurrency, checkpointEvery or requestsPerMinute out of range is InvalidSettings, not a defect", () =>
    Effect.gen(function*() {
      const invalid: ReadonlyArray<readonly [Partial<PncpClient.Settings>, string]> = [
        [{ concurrency: 0 }, "a positive integer"],
        [{ concurrency: -1 }, "a positive integer"],
        [{ concurrency: Number.NaN }, "a positive integer"],
        [{ concurrency: 2.5 }, "a positive integer"],
        [{ checkpointEvery: 0 }, "a positive integer"],
        [{ checkpointEvery: 2.5 }, "a positive integer"],
        [{ requestsPerMinute: 0 }, "a positive number"],
        [{ requestsPerMinute: -5 }, "a positive number"],
        [{ requestsPerMinute: Number.POSITIVE_INFINITY }, "a positive number"]
      ]
      for (const [overrides, range] of invalid) {
        const [setting, value] = Object.entries(overrides)[0]!
        // `Effect.exit`: a defect (what these were) must show as one, not pass as a failure
        const made = yield* Effect.exit(PncpClient.make(overrides))
        const failure = Exit.isFailure(made) ? Cause.failureOption(made.cause) : Option.none()
        assert.isTrue(Option.isSome(failure), `${setting} ${value}: ${Exit.isFailure(made) ? made.cause._tag : "made"}`)
        assert.strictEqual(
          Option.isSome(failure) ? failure.value.message : "",
          `The PNCP client setting ${setting} must be ${range}, not ${value}.`
        )
      }
      // a fractional rate is a rate
      const client = yield* PncpClient.make({ concurrency: 1, checkpointEvery: 1, requestsPerMinute: 0.5 })
      assert.deepStrictEqual([client.settings.concurrency, client.settings.checkpointEvery], [1, 1])
    }))

  it.effect("layerConfig refuses PNCP_CONCURRENCY 0 and PNCP_RPM 0 with InvalidSettings", () =>
    Effect.gen(function*() {
      for (const [name, value] of [["PNCP_CONCURRENCY", "0"], ["PNCP_RPM", "0"]] as const) {
        const built = yield* Effect.scoped(Layer.build(PncpClient.layerConfig)).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([[name, value]]))),
          Effect.exit
        )
        const failure = Exit.isFailure(built) ? Cause.failureOption(built.cause) : Option.none()
        assert.strictEqual(Option.isSome(failure) ? failure.value._tag : "none", "InvalidSettings", `${name}=${value}`)
      }
    }))
})
