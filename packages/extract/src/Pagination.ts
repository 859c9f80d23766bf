/**
 * Pagination strategies as values: how to ask for the next page and how to read what a page says about the rest.
 *
 * **Details**
 *
 * - {@link pageNumber}: `?page=n`; the envelope may tell the total pages (then pages can be fetched concurrently and
 *   at random, see `HttpSource.fetchPage`). {@link pncp} is the PNCP envelope (`numeroPagina`, `totalPaginas`,
 *   `totalRegistros`, `paginasRestantes`, `empty`, records in `data`), where an HTTP 204 with no body is an empty page.
 * - {@link cursor}: the next request carries a cursor read from the previous body (or headers).
 * - {@link linkHeader}: the next URL comes from the `Link` header (`<…>; rel="next"`, RFC 8288).
 * - {@link single}: one request, no pagination.
 *
 * A page with no records, or an envelope that says so, ends every strategy.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * What a page says about itself and the rest: records on it, and when the envelope tells them, the total pages,
 * total records and remaining pages.
 *
 * @since 0.1.0
 * @category models
 */
export const PageInfo = Schema.Struct({
  records: Schema.Number,
  empty: Schema.Boolean,
  totalPages: Schema.optional(Schema.Number),
  totalRecords: Schema.optional(Schema.Number),
  remainingPages: Schema.optional(Schema.Number)
}).annotations({ identifier: "PageInfo" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PageInfo extends Schema.Schema.Type<typeof PageInfo> {}

/**
 * Reads a page's {@link PageInfo} from its parsed JSON (`null` for an empty body, e.g. HTTP 204).
 *
 * @since 0.1.0
 * @category models
 */
export type ReadInfo = (json: unknown) => PageInfo

/**
 * @since 0.1.0
 * @category models
 */
export interface PageNumber {
  readonly _tag: "PageNumber"
  readonly pageParam: string
  readonly firstPage: number
  readonly sizeParam: string | undefined
  readonly pageSize: number | undefined
  readonly info: ReadInfo
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Cursor {
  readonly _tag: "Cursor"
  readonly cursorParam: string
  readonly initialCursor: string | undefined
  /** The cursor of the next page, `None` at the end. */
  readonly nextCursor: (json: unknown, headers: Readonly<Record<string, string>>) => Option.Option<string>
  readonly info: ReadInfo
}

/**
 * @since 0.1.0
 * @category models
 */
export interface LinkHeader {
  readonly _tag: "LinkHeader"
  readonly rel: string
  readonly info: ReadInfo
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Single {
  readonly _tag: "Single"
  readonly info: ReadInfo
}

/**
 * @since 0.1.0
 * @category models
 */
export type Pagination = PageNumber | Cursor | LinkHeader | Single

const recordsOf = (json: unknown): number => {
  if (Array.isArray(json)) return json.length
  if (Predicate.isRecord(json)) {
    for (const key of ["data", "items", "results", "records"]) {
      const value = json[key]
      if (Array.isArray(value)) return value.length
    }
  }
  return 0
}

/**
 * The default {@link ReadInfo}: records are the body itself when it is an array, otherwise its `data`, `items`,
 * `results` or `records` array; no totals.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultInfo: ReadInfo = (json) => {
  const records = recordsOf(json)
  return { records, empty: records === 0 }
}

const numberField = (json: Record<string, unknown>, key: string): { readonly [k: string]: number } => {
  const value = json[key]
  return Predicate.isNumber(value) && Number.isFinite(value) ? { [key]: value } : {}
}

/**
 * Reads the PNCP envelope: `data` (records), `totalPaginas`, `totalRegistros`, `paginasRestantes`, `empty`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pncpInfo: ReadInfo = (json) => {
  const records = recordsOf(json)
  if (!Predicate.isRecord(json)) return { records, empty: records === 0 }
  const fields = {
    ...numberField(json, "totalPaginas"),
    ...numberField(json, "totalRegistros"),
    ...numberField(json, "paginasRestantes")
  }
  return {
    records,
    empty: json["empty"] === true || records === 0,
    ...(fields["totalPaginas"] === undefined ? {} : { totalPages: fields["totalPaginas"] }),
    ...(fields["totalRegistros"] === undefined ? {} : { totalRecords: fields["totalRegistros"] }),
    ...(fields["paginasRestantes"] === undefined ? {} : { remainingPages: fields["paginasRestantes"] })
  }
}

/**
 * Page-number pagination (`?page=1`, then 2, …). Defaults: `pageParam` `"page"`, `firstPage` 1, {@link defaultInfo}.
 * With `pageSize` (and `sizeParam`, default `"pageSize"`) the size is sent on every request and a short page ends the
 * sequence even when the envelope has no totals.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pageNumber = (options: {
  readonly pageParam?: string | undefined
  readonly firstPage?: number | undefined
  readonly sizeParam?: string | undefined
  readonly pageSize?: number | undefined
  readonly info?: ReadInfo | undefined
} = {}): PageNumber => ({
  _tag: "PageNumber",
  pageParam: options.pageParam ?? "page",
  firstPage: options.firstPage ?? 1,
  sizeParam: options.pageSize === undefined ? options.sizeParam : options.sizeParam ?? "pageSize",
  pageSize: options.pageSize,
  info: options.info ?? defaultInfo
})

/**
 * The PNCP consulta API: `pagina` from 1, `tamanhoPagina` when `pageSize` is given, the PNCP envelope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pncp = (options: { readonly pageSize?: number | undefined } = {}): PageNumber =>
  pageNumber({ pageParam: "pagina", sizeParam: "tamanhoPagina", pageSize: options.pageSize, info: pncpInfo })

/**
 * Cursor pagination: `nextCursor` reads the next cursor from a page (body and headers), sent as `cursorParam`
 * (default `"cursor"`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const cursor = (options: {
  readonly nextCursor: Cursor["nextCursor"]
  readonly cursorParam?: string | undefined
  readonly initialCursor?: string | undefined
  readonly info?: ReadInfo | undefined
}): Cursor => ({
  _tag: "Cursor",
  cursorParam: options.cursorParam ?? "cursor",
  initialCursor: options.initialCursor,
  nextCursor: options.nextCursor,
  info: options.info ?? defaultInfo
})

/**
 * Link-header pagination: follows the URL of the `rel` link (default `"next"`) until there is none.
 *
 * @since 0.1.0
 * @category constructors
 */
export const linkHeader = (
  options: { readonly rel?: string | undefined; readonly info?: ReadInfo | undefined } = {}
): LinkHeader => ({ _tag: "LinkHeader", rel: options.rel ?? "next", info: options.info ?? defaultInfo })

/**
 * One request, no pagination.
 *
 * @since 0.1.0
 * @category constructors
 */
export const single = (options: { readonly info?: ReadInfo | undefined } = {}): Single => ({
  _tag: "Single",
  info: options.info ?? defaultInfo
})

/**
 * The links of an RFC 8288 `Link` header by relation: `<https://a/?page=2>; rel="next", <…>; rel="last"` →
 * `{ next: "https://a/?page=2", last: "…" }` (a link with several relations is listed under each).
 *
 * @since 0.1.0
 * @category utils
 */
export const parseLinkHeader = (header: string | undefined): Readonly<Record<string, string>> => {
  const links: Record<string, string> = {}
  if (header === undefined) return links
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";,]+)"?/i.exec(match[2] ?? "")
    if (rel?.[1] === undefined || match[1] === undefined) continue
    for (const name of rel[1].trim().split(/\s+/)) links[name.toLowerCase()] = match[1]
  }
  return links
}

/**
 * The last page number an envelope announces (`firstPage + totalPages - 1`), when it does.
 *
 * @since 0.1.0
 * @category utils
 */
export const lastPage = (pagination: PageNumber, info: PageInfo): Option.Option<number> =>
  info.totalPages === undefined ? Option.none() : Option.some(pagination.firstPage + info.totalPages - 1)

/**
 * The page after `page`, or `None` when the page says it was the last: empty, at the announced total, no remaining
 * pages, or shorter than `pageSize`.
 *
 * @since 0.1.0
 * @category utils
 */
export const nextPage = (pagination: PageNumber, page: number, info: PageInfo): Option.Option<number> => {
  if (info.empty || info.records === 0) return Option.none()
  const last = lastPage(pagination, info)
  if (Option.isSome(last)) return page < last.value ? Option.some(page + 1) : Option.none()
  if (info.remainingPages !== undefined) return info.remainingPages > 0 ? Option.some(page + 1) : Option.none()
  if (pagination.pageSize !== undefined && info.records < pagination.pageSize) return Option.none()
  return Option.some(page + 1)
}
