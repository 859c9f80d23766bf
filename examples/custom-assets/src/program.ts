/**
 * The example end to end: the PNCP pipeline and the municipality registry, both as local fakes on 127.0.0.1, into one
 * DuckDB file; PNCP's days first, then our assets over them.
 */
import { Materializer, Partitions } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { Pipeline, PncpFake, Warehouse } from "@baliza/pncp"
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import { graph, ours } from "./assets.js"
import * as Municipios from "./Municipios.js"
import * as MunicipiosFake from "./MunicipiosFake.js"

export interface Options {
  readonly path: string
  readonly days: string
  readonly scale: number
  readonly registry?: MunicipiosFake.Options | undefined
}

const context = Partitions.context({ now: Date.parse("2024-12-31T12:00:00Z") })

export const run = (options: Options) =>
  Effect.gen(function*() {
    const pncp = yield* PncpFake.make({ scale: options.scale })
    const registry = yield* MunicipiosFake.make(options.registry)
    const municipios = Municipios.layer({ baseUrl: registry.url }).pipe(Layer.provide(FetchHttpClient.layer))
    const warehouse = Warehouse.layer({
      path: options.path,
      client: { consultaUrl: pncp.consultaUrl, detailsUrl: pncp.detailsUrl }
    })
    return yield* Effect.gen(function*() {
      const assets = yield* graph
      const pncpRun = yield* Pipeline.materialize({
        partitions: options.days,
        context,
        selection: "pncp/raw/contratos+"
      })
      const first = yield* Materializer.materialize(assets, { selection: ours, context, pools: { ibge_api: 2 } })
      const requests = yield* registry.requests
      const second = yield* Materializer.materialize(assets, { selection: ours, context })
      const top = first.status === "Success"
        ? yield* DuckDB.query(
          "SELECT municipio, uf, contratos, fornecedores, hhi, valor_per_capita FROM analise.concentracao_fornecedores ORDER BY valor_total DESC LIMIT 5"
        )
        : []
      return { pncpRun, first, second, requests, again: (yield* registry.requests) - requests, top }
    }).pipe(Effect.provide(Layer.merge(warehouse, municipios)))
  }).pipe(Effect.scoped)
