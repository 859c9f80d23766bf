/**
 * Time-window partitions: daily, weekly (weeks start on Monday) and monthly windows in a time zone.
 *
 * **Details**
 *
 * Keys are `YYYY-MM-DD` (daily, and weekly as the Monday that starts the week) or `YYYY-MM` (monthly). A window runs
 * from local midnight of its first day to local midnight of the next window, resolved with `effect/DateTime` so days
 * around a DST switch are 23 or 25 hours long. The default zone is `America/Sao_Paulo` (PNCP dates are Brazilian).
 *
 * `start` and the optional `end` are dates (`YYYY-MM-DD`, or `YYYY-MM` for monthly). The first window is the first one
 * starting on or after `start`; `end` is exclusive: the last window is the last one that ends on or before `end`. Both
 * are normalized to window boundaries, so definitions with the same keys are equal.
 *
 * The set is also bounded by the clock: given a context, the last key is the window containing `ctx.now` shifted by
 * `endOffset` windows. The default `endOffset: 0` includes the current, still open window (Dagster excludes it: use
 * `endOffset: -1` for that); a positive offset includes future windows.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import {
  invalidDefinition,
  invalidKey,
  invalidRange,
  outOfRange,
  PartitionsBase,
  selectOrdered,
  unsafeKey
} from "../internal/partitions.js"
import * as time from "../internal/partitionsTime.js"
import type {
  PartitionError,
  PartitionKey,
  PartitionsContext,
  PartitionsDefinition,
  PartitionsJson
} from "../Partitions.js"

/**
 * @since 0.1.0
 * @category models
 */
export type Cadence = "daily" | "weekly" | "monthly"

/**
 * A window `[start, end)`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Window {
  readonly start: Date
  readonly end: Date
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** `YYYY-MM-DD` (or `YYYY-MM` for monthly): the first window is the first one starting on or after it. */
  readonly start: string
  /** Exclusive: the last window is the last one ending on or before it. Open-ended when omitted. */
  readonly end?: string | undefined
  /** An IANA zone; default `America/Sao_Paulo`. */
  readonly timeZone?: string | undefined
  /** Windows past the one containing `ctx.now` to include; default 0 (the current window is included). */
  readonly endOffset?: number | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface TimeWindowPartitions extends PartitionsDefinition<Window> {
  readonly _tag: "TimeWindow"
  readonly cadence: Cadence
  /** The first day of the first window, `YYYY-MM-DD`. */
  readonly start: string
  /** The first day after the last window, `YYYY-MM-DD` (exclusive), if bounded. */
  readonly end: string | undefined
  /** The canonical IANA name of the zone. */
  readonly timeZone: string
  readonly endOffset: number
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultTimeZone = "America/Sao_Paulo"

class TimeWindowImpl extends PartitionsBase<Window> implements TimeWindowPartitions {
  readonly _tag = "TimeWindow" as const
  readonly start: string
  readonly end: string | undefined
  readonly timeZone: string
  readonly description: string
  constructor(
    readonly cadence: Cadence,
    readonly zone: DateTime.TimeZone,
    readonly startOrdinal: number,
    readonly endOrdinal: number | undefined,
    readonly endOffset: number
  ) {
    super()
    this.start = time.formatDate(time.startOf(cadence, startOrdinal))
    this.end = endOrdinal === undefined ? undefined : time.formatDate(time.startOf(cadence, endOrdinal))
    this.timeZone = DateTime.zoneToString(zone)
    this.description = `${cadence} from ${this.start}${
      this.end === undefined ? "" : ` until ${this.end}`
    } in ${this.timeZone}${endOffset === 0 ? "" : `, end offset ${endOffset}`}`
  }

  /** The ordinal of the last window, bounded by `end` and, given a context, by the clock. */
  lastOrdinal(ctx?: PartitionsContext): number {
    const byEnd = this.endOrdinal === undefined ? Infinity : this.endOrdinal - 1
    return ctx === undefined ? byEnd : Math.min(byEnd, this.nowOrdinal(ctx))
  }
  // Resolving a zone costs tens of microseconds; planners ask for the same windows and the same context again and again.
  readonly #nowOrdinals = new WeakMap<PartitionsContext, number>()
  readonly #starts = new Map<number, number>()
  nowOrdinal(ctx: PartitionsContext): number {
    let ordinal = this.#nowOrdinals.get(ctx)
    if (ordinal === undefined) {
      ordinal = this.ordinalAt(ctx.now) + this.endOffset
      this.#nowOrdinals.set(ctx, ordinal)
    }
    return ordinal
  }
  /** The window containing an instant: start from its UTC date (a zone is within a day of it) and step to the window. */
  ordinalAt(epochMillis: number): number {
    let ordinal = time.ordinalOf(this.cadence, time.civilUtc(epochMillis))
    while (epochMillis < this.windowStart(ordinal)) ordinal--
    while (epochMillis >= this.windowStart(ordinal + 1)) ordinal++
    return ordinal
  }
  windowStart(ordinal: number): number {
    let start = this.#starts.get(ordinal)
    if (start === undefined) {
      start = time.localMidnight(this.zone, time.startOf(this.cadence, ordinal))
      this.#starts.set(ordinal, start)
    }
    return start
  }
  key(ordinal: number): PartitionKey {
    return unsafeKey(time.formatKey(this.cadence, ordinal))
  }
  check(ordinal: number, ctx?: PartitionsContext): Either.Either<number, PartitionError> {
    if (ordinal < this.startOrdinal) {
      return Either.left(
        outOfRange(
          `${this.key(ordinal)} is before the start of ${this.cadence} partitions (${this.key(this.startOrdinal)})`
        )
      )
    }
    if (this.endOrdinal !== undefined && ordinal >= this.endOrdinal) {
      return Either.left(
        outOfRange(
          `${this.key(ordinal)} is past the end of ${this.cadence} partitions (the last key is ${
            this.key(this.endOrdinal - 1)
          })`
        )
      )
    }
    if (ctx !== undefined && ordinal > this.nowOrdinal(ctx)) {
      const offset = this.endOffset === 0 ? "" : ` (end offset ${this.endOffset})`
      return Either.left(
        outOfRange(
          `${this.key(ordinal)} is in the future: the last ${this.cadence} partition now is ${
            this.key(this.nowOrdinal(ctx))
          }${offset}`
        )
      )
    }
    return Either.right(ordinal)
  }
  parseOrdinal(key: string, ctx?: PartitionsContext): Either.Either<number, PartitionError> {
    const ordinal = time.parseKeyOrdinal(this.cadence, key)
    return typeof ordinal === "string" ? Either.left(invalidKey(ordinal)) : this.check(ordinal, ctx)
  }
  window(ordinal: number): Window {
    return { start: new Date(this.windowStart(ordinal)), end: new Date(this.windowStart(ordinal + 1)) }
  }
  range(from: number, to: number): ReadonlyArray<PartitionKey> {
    const out: Array<PartitionKey> = []
    for (let ordinal = from; ordinal <= to; ordinal++) out.push(this.key(ordinal))
    return out
  }

  keys(ctx: PartitionsContext): ReadonlyArray<PartitionKey> {
    return this.range(this.startOrdinal, this.lastOrdinal(ctx))
  }
  parse(key: string, ctx?: PartitionsContext): Either.Either<Window, PartitionError> {
    return Either.map(this.parseOrdinal(key, ctx), (ordinal) => this.window(ordinal))
  }
  format(value: Window): PartitionKey {
    const start = value.start.getTime()
    let ordinal = this.ordinalAt(start)
    // A day a zone skipped (Pacific/Apia's 2011-12-30) is an empty window starting where the next one does.
    while (this.windowStart(ordinal - 1) === start && this.windowStart(ordinal + 1) !== value.end.getTime()) ordinal--
    return this.key(ordinal)
  }
  select(spec: string, ctx: PartitionsContext): Either.Either<ReadonlyArray<PartitionKey>, PartitionError> {
    return selectOrdered(
      {
        all: (c) => this.keys(c),
        member: (key, c) => Either.map(this.parseOrdinal(key, c), (ordinal) => ({ key: this.key(ordinal), ordinal })),
        between: (from, to) => this.range(from, to)
      },
      spec,
      ctx
    )
  }
  toJSON(): PartitionsJson {
    return {
      _tag: "TimeWindow",
      cadence: this.cadence,
      start: this.start,
      end: this.end ?? null,
      timeZone: this.timeZone,
      endOffset: this.endOffset
    }
  }
}

const parseBound = (cadence: Cadence, name: string, value: string): Either.Either<time.Civil, PartitionError> => {
  const civil = time.parseDate(value) ?? (cadence === "monthly" ? time.parseMonth(value) : undefined)
  return civil === undefined
    ? Either.left(invalidDefinition(`${name} "${value}" is not a date: expected ${time.keyFormat(cadence)}`))
    : Either.right(civil)
}

/**
 * Builds a time-window definition, or explains why the options are invalid.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEither = (
  options: Options & { readonly cadence: Cadence }
): Either.Either<TimeWindowPartitions, PartitionError> => build(options)

const build = (options: Options & { readonly cadence: Cadence }): Either.Either<TimeWindowImpl, PartitionError> =>
  Either.gen(function*() {
    const { cadence } = options
    if (cadence !== "daily" && cadence !== "weekly" && cadence !== "monthly") {
      return yield* Either.left(
        invalidDefinition(`"${String(cadence)}" is not a cadence: expected daily, weekly or monthly`)
      )
    }
    const zoneName = options.timeZone ?? defaultTimeZone
    const zone = yield* Either.fromOption(
      DateTime.zoneMakeNamed(zoneName),
      () => invalidDefinition(`"${zoneName}" is not a time zone: expected an IANA name such as ${defaultTimeZone}`)
    )
    const endOffset = options.endOffset ?? 0
    if (!Number.isSafeInteger(endOffset)) {
      return yield* Either.left(invalidDefinition(`endOffset must be a whole number of windows, got ${endOffset}`))
    }
    const start = yield* parseBound(cadence, "start", options.start)
    const startOrdinal = time.ordinalOf(cadence, start) + (time.isWindowStart(cadence, start) ? 0 : 1)
    let endOrdinal: number | undefined = undefined
    if (options.end !== undefined) {
      endOrdinal = time.ordinalOf(cadence, yield* parseBound(cadence, "end", options.end))
      if (endOrdinal <= startOrdinal) {
        return yield* Either.left(
          invalidDefinition(`end ${options.end} leaves no complete ${cadence} window after start ${options.start}`)
        )
      }
    }
    return new TimeWindowImpl(cadence, zone, startOrdinal, endOrdinal, endOffset)
  })

/**
 * Builds a time-window definition. Throws a `PartitionError` (`InvalidDefinition`) on invalid options, like a
 * malformed schema would: definitions are static configuration. Use {@link makeEither} to handle the error.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options & { readonly cadence: Cadence }): TimeWindowPartitions =>
  Either.getOrThrowWith(makeEither(options), (error) => error)

/**
 * Daily windows, keys `YYYY-MM-DD`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const daily = (options: Options): TimeWindowPartitions => make({ ...options, cadence: "daily" })

/**
 * Weekly windows starting on Monday, keys `YYYY-MM-DD` of the Monday.
 *
 * @since 0.1.0
 * @category constructors
 */
export const weekly = (options: Options): TimeWindowPartitions => make({ ...options, cadence: "weekly" })

/**
 * Monthly windows, keys `YYYY-MM`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const monthly = (options: Options): TimeWindowPartitions => make({ ...options, cadence: "monthly" })

/**
 * @since 0.1.0
 * @category guards
 */
export const isTimeWindow = (u: unknown): u is TimeWindowPartitions => u instanceof TimeWindowImpl

const impl = (def: TimeWindowPartitions): TimeWindowImpl =>
  def instanceof TimeWindowImpl ? def : Either.getOrThrowWith(
    build({ cadence: def.cadence, start: def.start, end: def.end, timeZone: def.timeZone, endOffset: def.endOffset }),
    (error) => error
  )

/**
 * The window `[start, end)` a key names (checked against the definition's start and end, not the clock).
 *
 * @since 0.1.0
 * @category utils
 */
export const windowOf = (def: TimeWindowPartitions, key: string): Either.Either<Window, PartitionError> =>
  def.parse(key)

/**
 * The key of the window containing an instant, shifted by `offset` windows (`containing(def, now, -1)` is
 * "yesterday" for a daily definition). Fails with `OutOfRange` outside the definition's start and end.
 *
 * @since 0.1.0
 * @category utils
 */
export const containing = (
  def: TimeWindowPartitions,
  instant: Date | number | DateTime.DateTime,
  offset = 0
): Either.Either<PartitionKey, PartitionError> => {
  const self = impl(def)
  const millis = toMillis(instant)
  if (!Number.isFinite(millis)) return Either.left(outOfRange(`${String(instant)} is not an instant`))
  return Either.map(
    Either.flatMap(wholeWindows(offset), (n) => self.check(self.ordinalAt(millis) + n)),
    (ordinal) => self.key(ordinal)
  )
}

const wholeWindows = (n: number): Either.Either<number, PartitionError> =>
  Number.isSafeInteger(n)
    ? Either.right(n)
    : Either.left(invalidRange(`an offset is a whole number of windows, not ${n}`))

/**
 * The window containing an instant, shifted by `offset` windows, whether or not the definition includes it.
 *
 * @since 0.1.0
 * @category utils
 */
export const windowAt = (def: TimeWindowPartitions, instant: Date | number | DateTime.DateTime, offset = 0): Window => {
  const self = impl(def)
  return self.window(self.ordinalAt(toMillis(instant)) + offset)
}

const toMillis = (instant: Date | number | DateTime.DateTime): number =>
  typeof instant === "number"
    ? instant
    : Predicate.isDate(instant)
    ? instant.getTime()
    : DateTime.toEpochMillis(instant)

/**
 * The key `n` windows after (or before, when negative) a key.
 *
 * @since 0.1.0
 * @category utils
 */
export const shift = (
  def: TimeWindowPartitions,
  key: string,
  n: number
): Either.Either<PartitionKey, PartitionError> => {
  const self = impl(def)
  return Either.flatMap(
    Either.flatMap(wholeWindows(n), () => self.parseOrdinal(key)),
    (ordinal) => Either.map(self.check(ordinal + n), (shifted) => self.key(shifted))
  )
}

/**
 * The keys whose windows overlap `[window.start, window.end)`, in order, limited to the definition (and to the clock
 * when a context is given). A monthly window over a daily definition gives every day of the month; a day over a monthly
 * definition gives its month.
 *
 * @since 0.1.0
 * @category utils
 */
export const overlapping = (
  def: TimeWindowPartitions,
  window: Window,
  ctx?: PartitionsContext
): ReadonlyArray<PartitionKey> => {
  const self = impl(def)
  const start = window.start.getTime()
  const end = window.end.getTime()
  if (!(end > start)) return []
  const from = Math.max(self.startOrdinal, self.ordinalAt(start))
  const to = Math.min(self.lastOrdinal(ctx), self.ordinalAt(end - 1))
  return self.range(from, to)
}

/**
 * The zone of a definition as an `effect/DateTime` zone.
 *
 * @since 0.1.0
 * @category utils
 */
export const zone = (def: TimeWindowPartitions): DateTime.TimeZone => impl(def).zone
