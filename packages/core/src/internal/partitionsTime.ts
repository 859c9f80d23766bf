/**
 * Calendar arithmetic for time-window partitions. Windows are numbered by an integer ordinal per cadence (days since
 * the epoch, Monday-weeks since the epoch, months since year 0), computed on civil dates with no time zone; only the
 * window bounds go through `effect/DateTime`, which resolves local midnight in the zone (DST-safe).
 */
import * as DateTime from "effect/DateTime"

/** @internal */
export type Cadence = "daily" | "weekly" | "monthly"

/** @internal */
export interface Civil {
  readonly year: number
  readonly month: number
  readonly day: number
}

const DAY_MS = 86_400_000
// 1970-01-01 was a Thursday, so the first Monday after the epoch is day 4.
const MONDAY_OFFSET = 4
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

const pad = (n: number, width: number) => String(n).padStart(width, "0")

/** Epoch ms of the civil date at 00:00 UTC (`setUTCFullYear` keeps years below 100 literal, unlike `Date.UTC`). */
const utcMillis = (civil: Civil): number => new Date(0).setUTCFullYear(civil.year, civil.month - 1, civil.day)

/** @internal */
export const dayNumber = (civil: Civil): number => Math.round(utcMillis(civil) / DAY_MS)

/** @internal */
export const civilOfDay = (day: number): Civil => {
  const date = new Date(day * DAY_MS)
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
}

/** @internal */
export const weekdayName = (civil: Civil): string => WEEKDAYS[new Date(utcMillis(civil)).getUTCDay()]

/** @internal */
export const formatDate = (civil: Civil): string => `${pad(civil.year, 4)}-${pad(civil.month, 2)}-${pad(civil.day, 2)}`

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const MONTH_RE = /^(\d{4})-(\d{2})$/

/** A real calendar date written `YYYY-MM-DD`, or undefined. @internal */
export const parseDate = (s: string): Civil | undefined => {
  const match = DATE_RE.exec(s)
  if (match === null) return undefined
  const civil = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }
  if (civil.year < 1 || civil.month < 1 || civil.month > 12 || civil.day < 1) return undefined
  const back = civilOfDay(dayNumber(civil))
  return back.month === civil.month && back.day === civil.day ? civil : undefined
}

/** A month written `YYYY-MM`, as its first day, or undefined. @internal */
export const parseMonth = (s: string): Civil | undefined => {
  const match = MONTH_RE.exec(s)
  if (match === null) return undefined
  const civil = { year: Number(match[1]), month: Number(match[2]), day: 1 }
  return civil.year >= 1 && civil.month >= 1 && civil.month <= 12 ? civil : undefined
}

/** The ordinal of the window containing a civil date. @internal */
export const ordinalOf = (cadence: Cadence, civil: Civil): number => {
  switch (cadence) {
    case "daily":
      return dayNumber(civil)
    case "weekly":
      return Math.floor((dayNumber(civil) - MONDAY_OFFSET) / 7)
    case "monthly":
      return civil.year * 12 + civil.month - 1
  }
}

/** The first day of a window. @internal */
export const startOf = (cadence: Cadence, ordinal: number): Civil => {
  switch (cadence) {
    case "daily":
      return civilOfDay(ordinal)
    case "weekly":
      return civilOfDay(ordinal * 7 + MONDAY_OFFSET)
    case "monthly":
      return { year: Math.floor(ordinal / 12), month: (ordinal % 12) + 1, day: 1 }
  }
}

/** Whether a civil date is the first day of its window. @internal */
export const isWindowStart = (cadence: Cadence, civil: Civil): boolean =>
  dayNumber(startOf(cadence, ordinalOf(cadence, civil))) === dayNumber(civil)

/** @internal */
export const formatKey = (cadence: Cadence, ordinal: number): string => {
  const civil = startOf(cadence, ordinal)
  return cadence === "monthly" ? `${pad(civil.year, 4)}-${pad(civil.month, 2)}` : formatDate(civil)
}

/** @internal */
export const keyFormat = (cadence: Cadence): string => cadence === "monthly" ? "YYYY-MM" : "YYYY-MM-DD"

/** The ordinal a key names, or a reason it names none. @internal */
export const parseKeyOrdinal = (cadence: Cadence, key: string): number | string => {
  const civil = cadence === "monthly" ? parseMonth(key) : parseDate(key)
  if (civil === undefined) {
    return `"${key}" is not a ${cadence} partition key: expected ${keyFormat(cadence)}`
  }
  if (cadence === "weekly" && !isWindowStart(cadence, civil)) {
    return `"${key}" is not a weekly partition key: weeks start on Monday and ${key} is a ${weekdayName(civil)}`
  }
  return ordinalOf(cadence, civil)
}

/** Epoch ms of local midnight on a civil date in a zone; a midnight skipped by DST resolves to the later instant. @internal */
export const localMidnight = (zone: DateTime.TimeZone, civil: Civil): number =>
  DateTime.toEpochMillis(DateTime.unsafeMakeZoned(utcMillis(civil), { timeZone: zone, adjustForTimeZone: true }))

/** The UTC calendar date of an instant. @internal */
export const civilUtc = (epochMillis: number): Civil => civilOfDay(Math.floor(epochMillis / DAY_MS))
