/**
 * Where a request goes: the endpoint's name, the full URL with its query, its host (for per-host breakers) and the
 * params sent.
 */
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

/** @internal */
export const resolveUrl = (baseUrl: string | undefined, path: string): URL =>
  baseUrl === undefined ? new URL(path) : new URL(path, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`)

/** @internal */
export const targetOf = (
  baseUrl: string | undefined,
  endpoint: HttpSource.Endpoint,
  extra: Readonly<Record<string, string>>
): Target => {
  const url = resolveUrl(baseUrl, endpoint.path)
  const params = { ...normalizeParams(endpoint.params), ...extra }
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return { endpoint: endpoint.name ?? endpoint.path, url: url.toString(), host: url.host, params }
}

/**
 * A target from an absolute URL (a `Link` header's next page): its params are its query.
 *
 * @internal
 */
export const targetOfUrl = (endpoint: string, url: string): Target => {
  const parsed = new URL(url)
  return { endpoint, url, host: parsed.host, params: Object.fromEntries(parsed.searchParams) }
}
