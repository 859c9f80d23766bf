/**
 * A source of our own, next to PNCP: the municipality registry, read page by page over `@effect/platform`'s
 * `HttpClient`. Transient failures (5xx, 429, network) are retried here with jittered exponential backoff; what still
 * fails becomes a `MunicipiosError`, and the asset's own `RetryPolicy` decides whether the whole partition is tried again.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { Chunk, Context, Effect, Layer, Option, Schedule, Schema, Stream } from "effect"

export const Municipio = Schema.Struct({
  codigo: Schema.String,
  nome: Schema.String,
  uf: Schema.String,
  populacao: Schema.Int
})
export type Municipio = typeof Municipio.Type

const Page = Schema.Struct({
  uf: Schema.String,
  pagina: Schema.Int,
  paginas: Schema.Int,
  total: Schema.Int,
  itens: Schema.Array(Municipio)
})
type Page = typeof Page.Type

export class MunicipiosError extends Schema.TaggedError<MunicipiosError>()("MunicipiosError", {
  url: Schema.String,
  message: Schema.String
}) {}

export interface Settings {
  readonly baseUrl: string
  /** Records per page (the registry allows 1–100). */
  readonly pageSize?: number | undefined
}

/** The registry's pages for a UF, and the total it announces. */
export class MunicipiosClient extends Context.Tag("@baliza/example-custom-assets/MunicipiosClient")<
  MunicipiosClient,
  {
    readonly byUf: (uf: string) => Stream.Stream<Page, MunicipiosError>
  }
>() {}

export const make = (settings: Settings) =>
  Effect.gen(function*() {
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.filterStatusOk,
      HttpClient.retryTransient({
        mode: "both",
        schedule: Schedule.exponential("20 millis").pipe(Schedule.jittered),
        times: 4
      })
    )
    const pageSize = settings.pageSize ?? 20
    const page = (uf: string, pagina: number) => {
      const url = `${settings.baseUrl}/municipios?uf=${uf}&pagina=${pagina}&tamanho=${pageSize}`
      return client.get(url).pipe(
        Effect.flatMap(HttpClientResponse.schemaBodyJson(Page)),
        Effect.scoped,
        Effect.timeout("10 seconds"),
        Effect.mapError((cause) => new MunicipiosError({ url, message: `GET ${url} failed: ${cause.message}` }))
      )
    }
    return MunicipiosClient.of({
      // Page 1 says how many pages there are; the stream asks for the next until the last.
      byUf: (uf) =>
        Stream.paginateChunkEffect(1, (pagina) =>
          Effect.map(page(uf, pagina), (result) =>
            [
              Chunk.of(result),
              result.pagina < result.paginas ? Option.some(pagina + 1) : Option.none()
            ] as const))
    })
  })

export const layer = (settings: Settings): Layer.Layer<MunicipiosClient, never, HttpClient.HttpClient> =>
  Layer.effect(MunicipiosClient, make(settings))
