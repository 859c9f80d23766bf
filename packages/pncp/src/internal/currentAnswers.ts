import * as NodeCrypto from "node:crypto"

/**
 * @internal The common table expressions `latest`, `ends` and `answers` over the `raw.api_requests` rows that match
 * `where`: `answers` holds the current answer of each page of each request series, that is its latest answer, up to
 * the series' current end (its latest `totalPaginas`, or the first page that answered 204), and page 1 always. A page
 * fetched again (`--refetch`) counts by its latest answer, and pages past a series' new end no longer count.
 */
export const currentAnswers = (where: string): string =>
  `latest AS (
         SELECT * FROM raw.api_requests
         WHERE ${where}
         QUALIFY row_number() OVER (PARTITION BY endpoint, partition_key, page ORDER BY collected_at DESC) = 1),
       ends AS (
         SELECT endpoint, partition_key,
                least(min(page) FILTER (WHERE http_status = 204),
                      arg_max(total_pages, collected_at) FILTER (WHERE http_status = 200)) AS last_page
         FROM latest GROUP BY endpoint, partition_key),
       answers AS (
         SELECT l.* FROM latest l
         JOIN ends e ON e.endpoint = l.endpoint AND e.partition_key IS NOT DISTINCT FROM l.partition_key
         WHERE l.page <= coalesce(e.last_page, l.page) OR l.page = 1)`

/** The sha256 of the body `[]`, as the archive hashes bodies: an answer listing nothing. */
const emptyArraySha256 = NodeCrypto.createHash("sha256").update("[]").digest("hex")

/**
 * @internal Whether a details answer (a row of `alias` in `raw.api_requests`) lists what it was asked for: the list, or
 * no content (HTTP 204). An error body sent with HTTP 200 (a JSON object) lists nothing. Told from `raw.api_requests`
 * alone, without reading payloads (they are in segments, and reading them would scan the whole archive): a list with
 * records has `records` > 0 (the archive counts the array's elements; an object counts only through a `data`, `items`,
 * `results` or `records` array, which no details error body has), and an empty list is the body `[]`, by its sha256.
 */
export const listsDetails = (alias: string): string =>
  `(${alias}.http_status = 204 OR (${alias}.http_status = 200
     AND (${alias}.records > 0 OR ${alias}.payload_sha256 = '${emptyArraySha256}')))`

/**
 * @internal Whether a details page (a row of `alias`) starts a fetch of a contratação's itens or arquivos: page 1,
 * answered with what it asked for (`listsDetails`). Both are paged, and a fetch is archived only whole (every page,
 * after its count), so page 1 stands for the fetch; later pages are collected after it.
 */
export const startsDetailsFetch = (alias: string): string => `(${alias}.page = 1 AND ${listsDetails(alias)})`

/**
 * @internal Whether a details page (a row of `alias` with its `endpoint`, `partition_key` and `collected_at`) is of its
 * contratação's latest fetch: its itens and arquivos are what that fetch lists (an item removed, a document withdrawn,
 * is gone), and a fetch starts at page 1, so its pages (every one, for itens and arquivos alike) are those collected
 * since the latest page 1 that lists them (`startsDetailsFetch`: an error body must not hide the fetch before it).
 */
export const inLatestDetailsFetch = (alias: string): string =>
  `${alias}.collected_at >= coalesce((SELECT max(fetch_start.collected_at) FROM raw.api_requests fetch_start
     WHERE fetch_start.endpoint = ${alias}.endpoint AND fetch_start.partition_key = ${alias}.partition_key
       AND ${startsDetailsFetch("fetch_start")}), ${alias}.collected_at)`
