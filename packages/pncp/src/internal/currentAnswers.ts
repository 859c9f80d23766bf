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

/**
 * @internal Whether a details page (a row of `alias` with its `endpoint`, `partition_key` and `collected_at`) is of its
 * contratação's latest fetch: its itens and arquivos are what that fetch lists (an item removed, a document withdrawn,
 * is gone), and a fetch starts at page 1, so its pages are those collected since the latest page 1.
 */
export const inLatestDetailsFetch = (alias: string): string =>
  `${alias}.collected_at >= coalesce((SELECT max(fetch_start.collected_at) FROM raw.api_requests fetch_start
     WHERE fetch_start.endpoint = ${alias}.endpoint AND fetch_start.partition_key = ${alias}.partition_key
       AND fetch_start.page = 1), ${alias}.collected_at)`
