/**
 * A local stand-in for a municipality registry API, on 127.0.0.1: `GET /municipios?uf=SC&pagina=1&tamanho=20` answers
 * `{ uf, pagina, paginas, total, itens }`. With `flaky`, the first request for every page answers 503, so the client's
 * retries have work to do; UFs in `down` always answer 503.
 */
import { Effect, Ref } from "effect"
import * as NodeHttp from "node:http"
import type { AddressInfo } from "node:net"
import { municipios } from "./registry.js"

export interface Options {
  readonly flaky?: boolean | undefined
  readonly down?: ReadonlyArray<string> | undefined
}

/** An illustrative population, derived from the IBGE code so it is the same on every run. */
export const population = (codigo: string): number => 2_000 + (Number(codigo) * 7_919) % 400_000

const json = (response: NodeHttp.ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { "content-type": "application/json" })
  response.end(JSON.stringify(body))
}

export const make = (options: Options = {}) =>
  Effect.gen(function*() {
    const requests = yield* Ref.make(0)
    const seen = new Set<string>()
    const server = NodeHttp.createServer((request, response) => {
      Effect.runSync(Ref.update(requests, (n) => n + 1))
      const url = new URL(request.url ?? "/", "http://127.0.0.1")
      const uf = url.searchParams.get("uf") ?? ""
      const pagina = Number(url.searchParams.get("pagina") ?? "1")
      const tamanho = Number(url.searchParams.get("tamanho") ?? "20")
      if (url.pathname !== "/municipios") return json(response, 404, { message: "not found" })
      if (!Number.isInteger(pagina) || pagina < 1 || !Number.isInteger(tamanho) || tamanho < 1 || tamanho > 100) {
        return json(response, 400, { message: "pagina >= 1 and tamanho in 1..100" })
      }
      const attempt = `${uf}/${pagina}/${tamanho}`
      if (options.down?.includes(uf) === true || (options.flaky === true && !seen.has(attempt))) {
        seen.add(attempt)
        return json(response, 503, { message: "unavailable" })
      }
      const all = municipios.filter((m) => m.uf === uf)
      const itens = all.slice((pagina - 1) * tamanho, pagina * tamanho).map((m) => ({
        ...m,
        populacao: population(m.codigo)
      }))
      json(response, 200, {
        uf,
        pagina,
        paginas: Math.max(1, Math.ceil(all.length / tamanho)),
        total: all.length,
        itens
      })
    })
    yield* Effect.acquireRelease(
      Effect.async<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void))),
      () => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
    )
    const { port } = server.address() as AddressInfo
    return { url: `http://127.0.0.1:${port}`, requests: Ref.get(requests) }
  })
