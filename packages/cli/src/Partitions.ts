/**
 * The partition flags of `baliza materialize` turned into a partition spec (`2024-07-01..2024-07-31`): `--partition`,
 * `--day`, `--from`/`--to`, `--month`, `--latest`, `--date-range`. Bad dates are input errors that say the format.
 *
 * @since 0.1.0
 */
import * as Pipeline from "@baliza/pncp/Pipeline"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as CliError from "./CliError.js"

/**
 * The partition flags as parsed.
 *
 * @since 0.1.0
 * @category models
 */
export interface PartitionFlags {
  readonly partition: Option.Option<string>
  readonly day: Option.Option<string>
  readonly from: Option.Option<string>
  readonly to: Option.Option<string>
  readonly month: Option.Option<string>
  readonly latest: boolean
  readonly dateRange: Option.Option<string>
}

/**
 * No partition flag given: every partition.
 *
 * @since 0.1.0
 * @category constants
 */
export const noFlags: PartitionFlags = {
  partition: Option.none(),
  day: Option.none(),
  from: Option.none(),
  to: Option.none(),
  month: Option.none(),
  latest: false,
  dateRange: Option.none()
}

const DAY = 86_400_000

const isoDay = (millis: number): string => new Date(millis).toISOString().slice(0, 10)

// PNCP's days are days in Brasília (the pipeline's daily partitions are in its time zone): between 21:00 and midnight
// there it is already tomorrow in UTC, and that day has no partition yet.
const calendar = new Intl.DateTimeFormat("en-CA", { timeZone: Pipeline.days.timeZone })

/**
 * Today in the pipeline's time zone, as UTC midnight millis of that calendar day.
 *
 * @since 0.1.0
 * @category parsers
 */
export const today = (now: number): number => Date.parse(`${calendar.format(now)}T00:00:00Z`)

/**
 * A `YYYY-MM-DD` day as UTC midnight millis, or an input error naming the flag.
 *
 * @since 0.1.0
 * @category parsers
 */
export const parseDay = (flag: string, text: string): Effect.Effect<number, CliError.CliError> => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  const millis = match === null ? NaN : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  return match !== null && !Number.isNaN(millis) && isoDay(millis) === text
    ? Effect.succeed(millis)
    : Effect.fail(CliError.input(`${flag} expects a date as YYYY-MM-DD (e.g. 2024-07-15), got "${text}".`))
}

const range = (from: number, to: number, what: string) =>
  from > to
    ? Effect.fail(CliError.input(`${what}: the start ${isoDay(from)} is after the end ${isoDay(to)}.`))
    : Effect.succeed(from === to ? isoDay(from) : `${isoDay(from)}..${isoDay(to)}`)

const monthSpec = (text: string, now: number) => {
  const match = /^(\d{4})-(\d{2})$/.exec(text)
  const month = match === null ? NaN : Number(match[2])
  if (match === null || month < 1 || month > 12) {
    return Effect.fail(CliError.input(`--month expects a month as YYYY-MM (e.g. 2024-07), got "${text}".`))
  }
  const first = Date.UTC(Number(match[1]), month - 1, 1)
  // The current month runs up to today: its later days have no partitions yet.
  const last = Math.min(Date.UTC(Number(match[1]), month, 1) - DAY, Math.max(first, today(now)))
  return range(first, last, "--month")
}

const dateRangeSpec = (text: string, now: number) => {
  const day = today(now)
  const relative = /^last_(\d+)_days$/.exec(text)
  if (relative !== null && Number(relative[1]) >= 1) {
    return range(day - Number(relative[1]) * DAY, day - DAY, "--date-range")
  }
  const [from, to, ...rest] = text.split(":")
  if (from === undefined || to === undefined || rest.length > 0) {
    return Effect.fail(
      CliError.input(
        `--date-range expects last_7_days, last_30_days (last_N_days) or YYYY-MM-DD:YYYY-MM-DD, got "${text}".`
      )
    )
  }
  return Effect.flatMap(
    Effect.all([parseDay("--date-range", from), parseDay("--date-range", to)]),
    ([a, b]) => range(a, b, "--date-range")
  )
}

/**
 * The months (`2024-07`) whose every day a range of days (`2024-06-15..2024-08-31`) covers: the partitions of a monthly
 * asset (`pncp/raw/atas`) a run over those days takes, as `status` and `verify` show them.
 *
 * @since 0.1.0
 * @category utils
 */
export const monthsCovered = (from: string, to: string): ReadonlyArray<string> => {
  const months: Array<string> = []
  const [year = 0, month = 0] = from.split("-").map(Number)
  // the first month starting on or after `from`, then each month whose last day is within `to`
  for (let m = from.endsWith("-01") ? month - 1 : month;; m++) {
    const first = new Date(Date.UTC(year, m, 1))
    if (isoDay(Date.UTC(year, m + 1, 0)) > to) return months
    months.push(isoDay(first.getTime()).slice(0, 7))
  }
}

/**
 * The partition spec the flags ask for (`undefined`: every partition), with `now` for `--latest` and relative ranges.
 * Exactly one way of choosing partitions may be given.
 *
 * @since 0.1.0
 * @category parsers
 */
export const spec = (flags: PartitionFlags, now: number): Effect.Effect<string | undefined, CliError.CliError> =>
  Effect.flatMap(chosen(flags, now), (spec) => {
    const days = spec === undefined ? [] : partsOf(spec).filter((part) => /^\d{4}-\d{2}-\d{2}$/.test(part))
    // Days after today have no partitions yet: say so rather than let the planner find no such key.
    const early = days.find((day) => day < Pipeline.start)
    if (early !== undefined) {
      return Effect.fail(CliError.input(`${early} is before ${Pipeline.start}, the first day of PNCP data.`))
    }
    const future = days.find((day) => day > isoDay(today(now)))
    return future === undefined
      ? Effect.succeed(spec)
      : Effect.fail(
        CliError.input(
          `${future} is after today (${isoDay(today(now))} in ${Pipeline.days.timeZone}): there is no data for it yet.`
        )
      )
  })

// The keys a spec names: each dimension's part (`|`), each item of a list (`,`), each end of a range (`..`).
const partsOf = (spec: string): ReadonlyArray<string> =>
  spec.split("|").flatMap((part) => part.split(",")).flatMap((part) => part.split(".."))

// A part shaped like a day (`2024-7-1`, `2024-13-01`): checked as --day checks it, before the planner tries it on every
// dimension and says only that it is no day|modalidade key.
const DAYLIKE = /^\d{4}-\d{1,2}-\d{1,2}$/

const chosen = (flags: PartitionFlags, now: number): Effect.Effect<string | undefined, CliError.CliError> =>
  Effect.gen(function*() {
    const given = [
      Option.isSome(flags.partition) ? "--partition" : undefined,
      Option.isSome(flags.day) ? "--day" : undefined,
      Option.isSome(flags.from) || Option.isSome(flags.to) ? "--from/--to" : undefined,
      Option.isSome(flags.month) ? "--month" : undefined,
      flags.latest ? "--latest" : undefined,
      Option.isSome(flags.dateRange) ? "--date-range" : undefined
    ].filter((flag) => flag !== undefined)
    if (given.length > 1) {
      const last = given[given.length - 1]
      return yield* CliError.input(
        `Choose partitions one way: ${given.slice(0, -1).join(", ")} and ${last} were ` +
          `${given.length === 2 ? "both" : "all"} given.`
      )
    }
    if (Option.isSome(flags.partition)) {
      for (const part of partsOf(flags.partition.value)) {
        if (DAYLIKE.test(part)) yield* parseDay("--partition", part)
      }
      // a range of keys the planner would find empty, said in the terms --from/--to use
      const [from, to] = flags.partition.value.split("..")
      if (to !== undefined && from !== undefined && from > to) {
        return yield* CliError.input(`--partition ${flags.partition.value}: the start ${from} is after the end ${to}.`)
      }
      return flags.partition.value
    }
    if (Option.isSome(flags.day)) return isoDay(yield* parseDay("--day", flags.day.value))
    if (Option.isSome(flags.from) || Option.isSome(flags.to)) {
      if (Option.isNone(flags.from) || Option.isNone(flags.to)) {
        return yield* CliError.input("--from and --to go together (both YYYY-MM-DD).")
      }
      return yield* range(
        yield* parseDay("--from", flags.from.value),
        yield* parseDay("--to", flags.to.value),
        "--from/--to"
      )
    }
    if (Option.isSome(flags.month)) return yield* monthSpec(flags.month.value, now)
    if (flags.latest) return isoDay(today(now) - DAY)
    if (Option.isSome(flags.dateRange)) return yield* dateRangeSpec(flags.dateRange.value, now)
    return undefined
  })

/**
 * A duration such as `90s`, `30m`, `3h` in milliseconds.
 *
 * @since 0.1.0
 * @category parsers
 */
export const parseDuration = (text: string, flag = "--max-duration"): Effect.Effect<number, CliError.CliError> => {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(text.trim())
  if (match === null) {
    return Effect.fail(CliError.input(`${flag} expects a duration such as 90s, 30m or 3h, got "${text}".`))
  }
  if (Number(match[1]) <= 0) return Effect.fail(CliError.input(`${flag} must be above zero, got "${text}".`))
  return Effect.succeed(Number(match[1]) * (match[2] === "s" ? 1000 : match[2] === "m" ? 60_000 : 3_600_000))
}
