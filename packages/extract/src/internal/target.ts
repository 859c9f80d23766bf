/**
 * Where a request goes: the endpoint's name, the full URL with its query, its host (for per-host breakers) and the
 * params sent.
 */
import * as Effect from "effect/Effect"
import * as HttpError from "../HttpError.js"
import type * as HttpSource from "../HttpSource.js"

/** @internal */
export interface Target {
  readonly endpoint: string
  readonly url: string
  readonly host: string
  readonly params: Readonly<Record<string, string>>
}

/** @internal */
export const normalizeParams = (params: HttpSource.Params | undefined): Record<string, string> => {
  const out: Record<string, string> = {}
  if (params === undefined) return out
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = String(value)
  return out
}

/** `new URL(url, base)`, or an `InvalidUrl` error saying what could not be a URL. */
const parseUrl = (url: string, base: string | undefined, what: string): Effect.Effect<URL, HttpError.HttpError> =>
  Effect.try({
    try: () => new URL(url, base),
    catch: (cause) =>
      HttpError.make(
        "InvalidUrl",
        url,
        base === undefined && !/^[a-z][a-z0-9+.-]*:/i.test(url)
          ? `${what} "${url}" is not a URL, and no baseUrl was given to resolve it against`
          : `${what} "${url}" is not a URL`,
        { cause }
      )
  })

/** @internal */
export const resolveUrl = (baseUrl: string | undefined, path: string): Effect.Effect<URL, HttpError.HttpError> =>
  parseUrl(path, baseUrl === undefined || baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`, "the path")

/** @internal */
export const targetOf = (
  baseUrl: string | undefined,
  endpoint: HttpSource.Endpoint,
  extra: Readonly<Record<string, string>>
): Effect.Effect<Target, HttpError.HttpError> =>
  Effect.map(resolveUrl(baseUrl, endpoint.path), (url) => {
    const params = { ...normalizeParams(endpoint.params), ...extra }
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
    return { endpoint: endpoint.name ?? endpoint.path, url: url.toString(), host: url.host, params }
  })

/**
 * A target from a `Link` header's next page (resolved against the page's URL): its params are its query.
 *
 * @internal
 */
export const targetOfLink = (
  endpoint: string,
  link: string,
  pageUrl: string
): Effect.Effect<Target, HttpError.HttpError> =>
  Effect.map(parseUrl(link, pageUrl, `the Link header's next page`), (parsed) => ({
    endpoint,
    url: parsed.href,
    host: parsed.host,
    params: Object.fromEntries(parsed.searchParams)
  }))
