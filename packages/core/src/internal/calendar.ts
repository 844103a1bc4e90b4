/**
 * The compiled form of a working calendar and the arithmetic on it.
 *
 * A calendar compiles (once, memoised per calendar object) into flat arrays
 * over every local day from 1 January of the first loaded year to 31 December
 * of the last: the day's kind, a prefix sum of working days, a prefix sum of
 * days whose year is not loaded, and the list of working days. Every working
 * day has the same working periods, so
 *
 * - working time between two instants is O(periods) (two partial days plus
 *   `workingDays × dayLength` read off the prefix sums), and
 * - adding working time is O(periods): the target working day is read from
 *   the working-day list by rank.
 *
 * Instants are epoch milliseconds; a "day" is an absolute local day number
 * (days since 1970-01-01 in the calendar's fixed UTC offset). Functions that
 * can meet a year with no loaded schedule return `NaN` and record the year,
 * read back with `missingYear()` — no allocation on the hot path.
 *
 * @since 0.1.0
 */

/** Milliseconds per natural day. */
export const DAY_MS = 86_400_000
/** Milliseconds per minute. */
export const MINUTE_MS = 60_000
/** Milliseconds per hour. */
export const HOUR_MS = 3_600_000

/** The structural input `compile` needs (a `WorkingCalendar` satisfies it). */
export interface CalendarSpec {
  readonly utcOffsetMinutes: number
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  readonly restDays: ReadonlyArray<number>
  readonly periods: ReadonlyArray<{ readonly start: string; readonly end: string }>
  readonly years: ReadonlyArray<{
    readonly year: number
    readonly holidays: ReadonlyArray<string>
    readonly workdays: ReadonlyArray<string>
  }>
}

/** Day kinds stored in `CalendarIndex.kind`. */
export const KIND_NOT_LOADED = 0
export const KIND_WORKDAY = 1
export const KIND_REST_DAY = 2
export const KIND_HOLIDAY = 3
export const KIND_MAKEUP_WORKDAY = 4

export interface CalendarIndex {
  readonly offsetMs: number
  /** Working period starts / ends, in ms after local midnight, ascending. */
  readonly starts: Float64Array
  readonly ends: Float64Array
  /** Working ms in the periods before period i. */
  readonly before: Float64Array
  /** Working ms in one working day. */
  readonly dayMs: number
  /** Absolute local day number of index 0 (1 January of the first loaded year). */
  readonly firstDay: number
  readonly nDays: number
  readonly kind: Uint8Array
  /** 1 on working days. */
  readonly working: Uint8Array
  /** `workPrefix[i]` = working days among indices `[0, i)`. */
  readonly workPrefix: Int32Array
  /** `gapPrefix[i]` = not-loaded days among indices `[0, i)`. */
  readonly gapPrefix: Int32Array
  /** Indices of the working days, ascending. */
  readonly workList: Int32Array
  readonly yearSet: ReadonlySet<number>
}

/** `"08:30"` → 510; `"24:00"` → 1440; anything else → NaN. */
export const parseClock = (text: string): number => {
  const match = /^(\d{2}):(\d{2})$/.exec(text)
  if (match === null) return Number.NaN
  const h = Number(match[1])
  const m = Number(match[2])
  if (m > 59 || h > 24 || (h === 24 && m !== 0)) return Number.NaN
  return h * 60 + m
}

/** Absolute day number of a proleptic Gregorian date (1970-01-01 = 0). */
export const dayFromCivil = (year: number, month: number, day: number): number =>
  Date.UTC(year, month - 1, day) / DAY_MS

/** `"2025-10-01"` → day number, or NaN if the text is not a real date. */
export const dayFromIso = (text: string): number => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (match === null) return Number.NaN
  const y = Number(match[1])
  const m = Number(match[2])
  const d = Number(match[3])
  const day = dayFromCivil(y, m, d)
  const back = new Date(day * DAY_MS)
  return back.getUTCFullYear() === y && back.getUTCMonth() + 1 === m && back.getUTCDate() === d
    ? day
    : Number.NaN
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)

/** Day number → `"YYYY-MM-DD"`. */
export const isoFromDay = (day: number): string => {
  const date = new Date(day * DAY_MS)
  const y = date.getUTCFullYear()
  const ys = y >= 0 && y < 10_000 ? `${y}`.padStart(4, "0") : `${y}`
  return `${ys}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`
}

/** The Gregorian year of a day number. */
export const yearOfDay = (day: number): number => new Date(day * DAY_MS).getUTCFullYear()

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number (1970-01-01 was a Thursday). */
export const isoWeekday = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1

const cache = new WeakMap<CalendarSpec, CalendarIndex>()

/** Compiles a (valid) calendar; memoised per calendar object. */
export const compile = (spec: CalendarSpec): CalendarIndex => {
  const cached = cache.get(spec)
  if (cached !== undefined) return cached
  const index = build(spec)
  cache.set(spec, index)
  return index
}

const build = (spec: CalendarSpec): CalendarIndex => {
  const np = spec.periods.length
  const starts = new Float64Array(np)
  const ends = new Float64Array(np)
  const before = new Float64Array(np)
  let acc = 0
  spec.periods.forEach((p, i) => {
    starts[i] = parseClock(p.start) * MINUTE_MS
    ends[i] = parseClock(p.end) * MINUTE_MS
    before[i] = acc
    acc += (ends[i] ?? 0) - (starts[i] ?? 0)
  })
  const yearSet = new Set(spec.years.map((y) => y.year))
  const years = [...yearSet].sort((a, b) => a - b)
  const minYear = years[0]
  const maxYear = years[years.length - 1]
  const firstDay = minYear === undefined ? 0 : dayFromCivil(minYear, 1, 1)
  const nDays = maxYear === undefined ? 0 : dayFromCivil(maxYear + 1, 1, 1) - firstDay
  const kind = new Uint8Array(nDays)
  const rest = new Set(spec.restDays)
  for (const schedule of spec.years) {
    const from = dayFromCivil(schedule.year, 1, 1)
    const to = dayFromCivil(schedule.year + 1, 1, 1)
    for (let day = from; day < to; day++) {
      kind[day - firstDay] = rest.has(isoWeekday(day)) ? KIND_REST_DAY : KIND_WORKDAY
    }
    for (const text of schedule.holidays) {
      const day = dayFromIso(text)
      if (day >= from && day < to) kind[day - firstDay] = KIND_HOLIDAY
    }
    for (const text of schedule.workdays) {
      const day = dayFromIso(text)
      if (day >= from && day < to) kind[day - firstDay] = KIND_MAKEUP_WORKDAY
    }
  }
  const working = new Uint8Array(nDays)
  const workPrefix = new Int32Array(nDays + 1)
  const gapPrefix = new Int32Array(nDays + 1)
  let nWorking = 0
  for (let i = 0; i < nDays; i++) {
    const k = kind[i] ?? KIND_NOT_LOADED
    const w = k === KIND_WORKDAY || k === KIND_MAKEUP_WORKDAY ? 1 : 0
    working[i] = w
    nWorking += w
    workPrefix[i + 1] = (workPrefix[i] ?? 0) + w
    gapPrefix[i + 1] = (gapPrefix[i] ?? 0) + (k === KIND_NOT_LOADED ? 1 : 0)
  }
  const workList = new Int32Array(nWorking)
  for (let i = 0, j = 0; i < nDays; i++) {
    if (working[i] === 1) workList[j++] = i
  }
  return {
    offsetMs: spec.utcOffsetMinutes * MINUTE_MS,
    starts,
    ends,
    before,
    dayMs: acc,
    firstDay,
    nDays,
    kind,
    working,
    workPrefix,
    gapPrefix,
    workList,
    yearSet
  }
}

let missing = 0

/** The year that made the last failing call return NaN. */
export const missingYear = (): number => missing

/** The first year at or after the year of `day` that has no loaded schedule. */
const firstMissingYear = (index: CalendarIndex, day: number): number => {
  let year = yearOfDay(day)
  while (index.yearSet.has(year)) year++
  return year
}

const fail = (index: CalendarIndex, day: number): number => {
  missing = firstMissingYear(index, day)
  return Number.NaN
}

/** The local day number of an instant. */
export const dayOf = (index: CalendarIndex, ms: number): number => Math.floor((ms + index.offsetMs) / DAY_MS)

/** The instant of local midnight starting a day. */
export const midnightOf = (index: CalendarIndex, day: number): number => day * DAY_MS - index.offsetMs

/** Whether every day in `[fromDay, toDay]` has a loaded schedule. */
export const loadedRange = (index: CalendarIndex, fromDay: number, toDay: number): boolean => {
  const a = fromDay - index.firstDay
  const b = toDay - index.firstDay
  return a >= 0 && b < index.nDays && (index.gapPrefix[b + 1] ?? 0) - (index.gapPrefix[a] ?? 0) === 0
}

/** The kind of a day (`KIND_*`), `KIND_NOT_LOADED` outside the loaded years. */
export const kindOf = (index: CalendarIndex, day: number): number => {
  const r = day - index.firstDay
  return r >= 0 && r < index.nDays ? (index.kind[r] ?? KIND_NOT_LOADED) : KIND_NOT_LOADED
}

/** Working ms of a working day in `[midnight, midnight + tod]`. */
const cumIn = (index: CalendarIndex, tod: number): number => {
  const { starts, ends } = index
  let acc = 0
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i] ?? 0
    if (tod <= s) break
    const e = ends[i] ?? 0
    acc += Math.min(tod, e) - s
  }
  return acc
}

/** The earliest time of day with `cumIn = x`, for `0 < x ≤ dayMs`. */
const invIn = (index: CalendarIndex, x: number): number => {
  const { starts, ends, before } = index
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i] ?? 0
    const b = before[i] ?? 0
    if (x <= b + (ends[i] ?? 0) - s) return s + (x - b)
  }
  return ends[ends.length - 1] ?? 0
}

/** Whether a time of day lies in a working period (closed intervals). */
const inPeriod = (index: CalendarIndex, tod: number): boolean => {
  const { starts, ends } = index
  for (let i = 0; i < starts.length; i++) {
    if (tod >= (starts[i] ?? 0) && tod <= (ends[i] ?? 0)) return true
  }
  return false
}

/** 1 if the instant is working, 0 if not, NaN if its year is not loaded. */
export const isWorkingInstant = (index: CalendarIndex, ms: number): number => {
  const day = dayOf(index, ms)
  const r = day - index.firstDay
  if (r < 0 || r >= index.nDays || index.kind[r] === KIND_NOT_LOADED) return fail(index, day)
  if (index.working[r] !== 1) return 0
  return inPeriod(index, ms + index.offsetMs - day * DAY_MS) ? 1 : 0
}

/** Working ms in `[a, b]` for `a ≤ b`; NaN if a day in between is not loaded. */
export const workBetween = (index: CalendarIndex, a: number, b: number): number => {
  const off = index.offsetMs
  const da = Math.floor((a + off) / DAY_MS)
  const db = Math.floor((b + off) / DAY_MS)
  const ra = da - index.firstDay
  const rb = db - index.firstDay
  if (ra < 0 || rb >= index.nDays || (index.gapPrefix[rb + 1] ?? 0) - (index.gapPrefix[ra] ?? 0) !== 0) {
    return fail(index, da)
  }
  const ta = a + off - da * DAY_MS
  const tb = b + off - db * DAY_MS
  const w = index.working
  if (ra === rb) return w[ra] === 1 ? cumIn(index, tb) - cumIn(index, ta) : 0
  let total = w[ra] === 1 ? index.dayMs - cumIn(index, ta) : 0
  total += ((index.workPrefix[rb] ?? 0) - (index.workPrefix[ra + 1] ?? 0)) * index.dayMs
  if (w[rb] === 1) total += cumIn(index, tb)
  return total
}

/** The `k`-th (k ≥ 1) working day index after index `r`, or NaN (recording the year). */
const nthWorkingAfter = (index: CalendarIndex, r: number, k: number): number => {
  const rank = (index.workPrefix[r + 1] ?? 0) + k - 1
  const target = rank < index.workList.length ? index.workList[rank] : undefined
  if (target === undefined) return fail(index, index.firstDay + r + 1)
  if ((index.gapPrefix[target + 1] ?? 0) - (index.gapPrefix[r + 1] ?? 0) !== 0) {
    return fail(index, index.firstDay + r + 1)
  }
  return target
}

/** The first working instant at or after `ms` (closed periods); NaN if a needed year is missing. */
export const nextWorking = (index: CalendarIndex, ms: number): number => {
  const day = dayOf(index, ms)
  const r = day - index.firstDay
  if (r < 0 || r >= index.nDays || index.kind[r] === KIND_NOT_LOADED) return fail(index, day)
  if (index.working[r] === 1) {
    const tod = ms + index.offsetMs - day * DAY_MS
    const { starts, ends } = index
    for (let i = 0; i < starts.length; i++) {
      if (tod <= (ends[i] ?? 0)) {
        const s = starts[i] ?? 0
        return tod >= s ? ms : ms + (s - tod)
      }
    }
  }
  const target = nthWorkingAfter(index, r, 1)
  if (Number.isNaN(target)) return target
  return (index.firstDay + target) * DAY_MS - index.offsetMs + (index.starts[0] ?? 0)
}

/**
 * The earliest instant `t ≥ a` with `workBetween(a, t) = d` (d ≥ 0); for
 * `d = 0`, the next working instant. NaN if a needed year is missing.
 */
export const addWork = (index: CalendarIndex, a: number, d: number): number => {
  if (d <= 0) return nextWorking(index, a)
  const day = dayOf(index, a)
  const r = day - index.firstDay
  if (r < 0 || r >= index.nDays || index.kind[r] === KIND_NOT_LOADED) return fail(index, day)
  const L = index.dayMs
  let rest = d
  if (index.working[r] === 1) {
    const tod = a + index.offsetMs - day * DAY_MS
    const c = cumIn(index, tod)
    if (c + d <= L) return a - tod + invIn(index, c + d)
    rest = d - (L - c)
  }
  const k = Math.ceil(rest / L)
  const x = rest - (k - 1) * L
  const target = nthWorkingAfter(index, r, k)
  if (Number.isNaN(target)) return target
  return (index.firstDay + target) * DAY_MS - index.offsetMs + invIn(index, x)
}

/**
 * The `n`-th working day after `day` (n ≥ 1), or for n = 0 the day itself if
 * it is a working day, else the next working day. NaN if a year is missing.
 */
export const addWorkingDays = (index: CalendarIndex, day: number, n: number): number => {
  const r = day - index.firstDay
  if (r < 0 || r >= index.nDays || index.kind[r] === KIND_NOT_LOADED) return fail(index, day)
  if (n === 0 && index.working[r] === 1) return day
  const target = nthWorkingAfter(index, r, n === 0 ? 1 : n)
  return Number.isNaN(target) ? target : index.firstDay + target
}

/** Working days among `[fromDay, toDay]` (0 if empty); NaN if a year in between is missing. */
export const workingDaysIn = (index: CalendarIndex, fromDay: number, toDay: number): number => {
  if (toDay < fromDay) return 0
  if (!loadedRange(index, fromDay, toDay)) {
    return fail(index, fromDay)
  }
  const a = fromDay - index.firstDay
  const b = toDay - index.firstDay
  return (index.workPrefix[b + 1] ?? 0) - (index.workPrefix[a] ?? 0)
}
