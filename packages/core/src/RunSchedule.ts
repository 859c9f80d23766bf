/**
 * A schedule defined in code next to the assets: on each tick of a cron expression (in a time zone), launch a run of a
 * selection over the partitions the tick names — "every day at 06:00 America/Sao_Paulo, materialize yesterday's
 * partitions of `layer:raw` and everything downstream":
 *
 * ```ts no-check
 * RunSchedule.make({
 *   name: "daily-raw",
 *   cron: "0 6 * * *",
 *   timeZone: "America/Sao_Paulo",
 *   selection: "layer:raw+",
 *   partitions: RunSchedule.previousDay
 * })
 * ```
 *
 * A server (`@baliza/server`) runs the ticks; this module only describes them.
 *
 * @since 0.1.0
 */
import * as Cron from "effect/Cron"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category errors
 */
export class RunScheduleError extends Schema.TaggedError<RunScheduleError>()("RunScheduleError", {
  schedule: Schema.String,
  message: Schema.String
}) {}

/**
 * The partition spec a tick runs, from the tick's time and the schedule's time zone (`undefined`: every partition).
 *
 * @since 0.1.0
 * @category models
 */
export type TickPartitions = (tick: Date, timeZone: string) => string | undefined

/**
 * @since 0.1.0
 * @category models
 */
export interface RunSchedule {
  readonly name: string
  /** Five fields (minute hour day month weekday) or six (seconds first). */
  readonly cron: string
  /** An IANA time zone; default UTC. */
  readonly timeZone: string
  readonly description: string
  readonly selection: string
  readonly partitions: TickPartitions
  /** The queue priority of its runs, 1 (first) to 10. */
  readonly priority: number
  /**
   * What a tick does while the schedule's previous run is still queued or running: `queue` another (the default, so
   * no tick's partitions are left out) or `skip` it (recorded as a skipped tick naming that run), for frequent
   * schedules whose next run would only redo what the previous one is doing.
   */
  readonly overlap: "queue" | "skip"
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly name: string
  readonly cron: string
  readonly timeZone?: string | undefined
  readonly description?: string | undefined
  readonly selection: string
  readonly partitions?: TickPartitions | undefined
  readonly priority?: number | undefined
  readonly overlap?: "queue" | "skip" | undefined
}): RunSchedule => ({
  name: options.name,
  cron: options.cron,
  timeZone: options.timeZone ?? "UTC",
  description: options.description ??
    `materialize ${options.selection} on "${options.cron}" (${options.timeZone ?? "UTC"})`,
  selection: options.selection,
  partitions: options.partitions ?? (() => undefined),
  priority: options.priority ?? 5,
  overlap: options.overlap ?? "queue"
})

/**
 * Parses a schedule's cron expression in its time zone; an invalid expression, time zone or priority is a
 * `RunScheduleError` naming the schedule.
 *
 * @since 0.1.0
 * @category utils
 */
export const parse = (
  schedule: Pick<RunSchedule, "name" | "cron" | "timeZone"> & { readonly priority?: number }
): Either.Either<Cron.Cron, RunScheduleError> => {
  const fail = (message: string) => Either.left(new RunScheduleError({ schedule: schedule.name, message }))
  if (
    schedule.priority !== undefined && !(Number.isInteger(schedule.priority) && schedule.priority >= 1 &&
      schedule.priority <= 10)
  ) {
    return fail(`Schedule "${schedule.name}": priority must be an integer from 1 to 10, got ${schedule.priority}.`)
  }
  if (!isTimeZone(schedule.timeZone)) {
    return fail(`Schedule "${schedule.name}": unknown time zone "${schedule.timeZone}".`)
  }
  const parsed = Cron.parse(schedule.cron, schedule.timeZone)
  if (Either.isLeft(parsed)) {
    return fail(`Schedule "${schedule.name}": invalid cron "${schedule.cron}": ${parsed.left.message}.`)
  }
  // A day that never comes (April 31st) parses, and `Cron.next` then throws: a schedule must have a next tick.
  const next = Either.try(() => Cron.next(parsed.right, firesFrom))
  return Either.isLeft(next)
    ? fail(`Schedule "${schedule.name}": the cron "${schedule.cron}" names a date that never comes.`)
    : Either.right(parsed.right)
}

const firesFrom = new Date(Date.UTC(2000, 0, 1))

const isTimeZone = (timeZone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en", { timeZone })
    return true
  } catch {
    return false
  }
}

/**
 * The calendar day (`YYYY-MM-DD`) of an instant in a time zone.
 *
 * @since 0.1.0
 * @category utils
 */
export const dayIn = (instant: Date, timeZone: string): string =>
  // en-CA formats dates as YYYY-MM-DD.
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant)

/**
 * The day before the tick's day, in the schedule's time zone: a daily schedule loads yesterday, which is complete.
 *
 * @since 0.1.0
 * @category partitions
 */
export const previousDay: TickPartitions = (tick, timeZone) => {
  const day = new Date(`${dayIn(tick, timeZone)}T00:00:00Z`)
  day.setUTCDate(day.getUTCDate() - 1)
  return day.toISOString().slice(0, 10)
}

/**
 * The days of the month before the tick's, in the schedule's time zone (`2024-07-01..2024-07-31`): a monthly schedule
 * loads the month just over, and days select a monthly asset's month as they do a daily one's days.
 *
 * @since 0.1.0
 * @category partitions
 */
export const previousMonth: TickPartitions = (tick, timeZone) => {
  const [year = 0, month = 0] = dayIn(tick, timeZone).split("-").map(Number)
  const first = new Date(Date.UTC(year, month - 2, 1))
  const last = new Date(Date.UTC(year, month - 1, 0))
  return `${first.toISOString().slice(0, 10)}..${last.toISOString().slice(0, 10)}`
}

/**
 * The tick's own day, in the schedule's time zone.
 *
 * @since 0.1.0
 * @category partitions
 */
export const sameDay: TickPartitions = (tick, timeZone) => dayIn(tick, timeZone)
