/**
 * Timer lights 计时灯 for 100,000 open cases on the 2025 China calendar: random
 * categories, urgencies and steps, steps started at random (whole-minute)
 * instants over 2025, about 10 % suspended (some still suspended), about 5 %
 * extended; every light is taken at 10:00 on 22 December 2025.
 *
 * Baselines — what a developer writes first, and what a careful one writes:
 *
 * 1. minute-by-minute: walk from the step's start to now one minute at a time
 *    (date string per minute, holiday / make-up sets, weekday, periods,
 *    suspension check), then walk forward again to find the deadline. Far too
 *    slow for 100,000 cases (months of minutes per case), so it runs on the
 *    first 50 cases and `TimeLimit.lights` runs on the same 50; the 100,000
 *    figure is extrapolated linearly and printed as an estimate.
 * 2. day-by-day: the same walk a day at a time (working minutes of each day's
 *    periods clipped to the span, each date's working flag cached by day
 *    number; the deadline's last day is walked by the minute), on all
 *    100,000 cases.
 *
 * Both baselines use the same official schedule data and the same limits.
 * Before timing, the bench checks that the baselines' lights agree with
 * civicgrid's (color, used minutes and deadline): the minute walk on the
 * first 20 cases, the day walk on all 100,000. Most lights are red: open
 * cases started months ago with limits of hours to days are overdue.
 */

import { compare, keep } from "@civicgrid/testkit/Bench"
import { prng } from "@civicgrid/testkit/Random"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import { CategoryId, type Urgency } from "../src/CaseCategory.js"
import type { CaseStep } from "../src/CaseStep.js"
import * as TimeLimit from "../src/TimeLimit.js"
import * as WorkDuration from "../src/WorkDuration.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const N = 100_000
const MINUTE_SUBSET = 50

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
const OFFSET = 8 * HOUR

/** A case as the baselines see it: plain numbers (epoch ms, whole minutes). */
interface PlainCase {
  readonly urgency: Urgency
  readonly step: CaseStep
  readonly start: number
  /** [from, to] pairs; `to` = Infinity while still suspended. */
  readonly suspensions: ReadonlyArray<readonly [number, number]>
  /** Extra working minutes from extensions. */
  readonly extensionMinutes: number
}

const urgencies: readonly [Urgency, ...Array<Urgency>] = ["normal", "urgent", "critical"]
const steps: readonly [CaseStep, ...Array<CaseStep>] = [
  "filing",
  "dispatch",
  "handling",
  "verification",
  "evaluation"
]

const yearStart = Date.UTC(2025, 0, 1) - OFFSET
const nowMs = Date.UTC(2025, 11, 22, 10) - OFFSET
const now = DateTime.unsafeMake(nowMs)

const generate = (): { plain: Array<PlainCase>; inputs: Array<TimeLimit.TimerInput> } => {
  const random = prng(20251001)
  const pick = <A>(xs: readonly [A, ...Array<A>]): A => xs[Math.floor(random() * xs.length)] ?? xs[0]
  const categories: [CategoryId, ...Array<CategoryId>] = [CategoryId.make("0101")]
  for (let i = 2; i <= 40; i++)
    categories.push(CategoryId.make(`${String(1 + (i % 10)).padStart(2, "0")}${String(i).padStart(2, "0")}`))
  const plain: Array<PlainCase> = []
  const inputs: Array<TimeLimit.TimerInput> = []
  const span = Math.floor((Date.UTC(2025, 11, 20) - OFFSET - yearStart) / MINUTE)
  for (let i = 0; i < N; i++) {
    const urgency = pick(urgencies)
    const step = pick(steps)
    const start = yearStart + Math.floor(random() * span) * MINUTE
    const suspensions: Array<readonly [number, number]> = []
    const r = random()
    if (r < 0.1) {
      const from = start + Math.floor(random() * 3 * 24 * 60) * MINUTE
      const end = from + Math.floor(random() * 5 * 24 * 60) * MINUTE
      // a recorded resume lies in the past; a suspension not resumed by now is still open
      const to = r < 0.03 || end > nowMs ? Number.POSITIVE_INFINITY : end
      if (from < nowMs) suspensions.push([from, to])
    }
    const extensionDays = random() < 0.05 ? 1 + Math.floor(random() * 2) : 0
    plain.push({ urgency, step, start, suspensions, extensionMinutes: extensionDays * 450 })
    inputs.push({
      categoryId: pick(categories),
      urgency,
      step,
      startedAt: DateTime.unsafeMake(start),
      suspensions: suspensions.map(([from, to]) => ({
        from: DateTime.unsafeMake(from),
        to: Number.isFinite(to) ? DateTime.unsafeMake(to) : null
      })),
      extensions: extensionDays === 0 ? [] : [WorkDuration.workingDays(extensionDays)]
    })
  }
  return { plain, inputs }
}

// -----------------------------------------------------------------------------
// the baselines
// -----------------------------------------------------------------------------

const calendar = WorkingCalendar.china()
const holidays = new Set<string>(WorkingCalendar.officialSchedules().flatMap((s) => s.holidays))
const makeUpDays = new Set<string>(WorkingCalendar.officialSchedules().flatMap((s) => s.workdays))

/** The default policy as a developer would hard-code it, in working minutes. */
const limitMinutes = (c: PlainCase): number => {
  const base =
    c.step === "filing" || c.step === "dispatch"
      ? 60
      : c.step === "handling"
        ? c.urgency === "critical"
          ? 120
          : c.urgency === "urgent"
            ? 450
            : 3 * 450
        : c.step === "verification"
          ? 450
          : 2 * 450
  return base + c.extensionMinutes
}

const periods: ReadonlyArray<readonly [number, number]> = [
  [8 * 60 + 30, 12 * 60],
  [13 * 60 + 30, 17 * 60 + 30]
]

const isWorkingDate = (local: Date): boolean => {
  const date = local.toISOString().slice(0, 10)
  if (makeUpDays.has(date)) return true
  if (holidays.has(date)) return false
  const dow = local.getUTCDay()
  return dow !== 0 && dow !== 6
}

/** Whether the minute starting at `ms` is working time. */
const isWorkingMinute = (ms: number): boolean => {
  const local = new Date(ms + OFFSET)
  if (!isWorkingDate(local)) return false
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes()
  return periods.some(([a, b]) => minute >= a && minute < b)
}

const isSuspended = (c: PlainCase, ms: number, until: number): boolean =>
  c.suspensions.some(([from, to]) => ms >= from && ms < Math.min(to, until))

interface BaselineLight {
  readonly color: "green" | "yellow" | "red"
  readonly usedMinutes: number
  readonly deadline: number
}

const colorOf = (used: number, limit: number) =>
  used / limit > 1 ? ("red" as const) : used / limit >= 0.8 ? ("yellow" as const) : ("green" as const)

/** Baseline 1: minute-by-minute. */
const minuteLight = (c: PlainCase): BaselineLight => {
  const limit = limitMinutes(c)
  let used = 0
  for (let m = c.start; m < nowMs; m += MINUTE) {
    if (!isSuspended(c, m, nowMs) && isWorkingMinute(m)) used++
  }
  let counted = 0
  let m = c.start
  while (counted < limit) {
    if (!isSuspended(c, m, nowMs) && isWorkingMinute(m)) counted++
    m += MINUTE
  }
  return { color: colorOf(used, limit), usedMinutes: used, deadline: m }
}

/** The careful developer's cache: local day number → working day. */
const dayCache = new Map<number, boolean>()
const isWorkingDayNumber = (day: number): boolean => {
  const hit = dayCache.get(day)
  if (hit !== undefined) return hit
  const working = isWorkingDate(new Date(day * DAY))
  dayCache.set(day, working)
  return working
}

/** Working minutes of the calendar in [a, b), walking day by day. */
const workingMinutesBetween = (a: number, b: number): number => {
  let total = 0
  for (let day = Math.floor((a + OFFSET) / DAY); day * DAY - OFFSET < b; day++) {
    const midnight = day * DAY - OFFSET
    if (!isWorkingDayNumber(day)) continue
    for (const [p, q] of periods) {
      const from = Math.max(a, midnight + p * MINUTE)
      const to = Math.min(b, midnight + q * MINUTE)
      if (to > from) total += (to - from) / MINUTE
    }
  }
  return total
}

/** `isWorkingMinute` with the cached day flag. */
const isWorkingMinuteCached = (ms: number): boolean => {
  const local = ms + OFFSET
  if (!isWorkingDayNumber(Math.floor(local / DAY))) return false
  const minute = Math.floor((local % DAY) / MINUTE)
  return periods.some(([a, b]) => minute >= a && minute < b)
}

/** Baseline 2: day-by-day. */
const dayLight = (c: PlainCase): BaselineLight => {
  const limit = limitMinutes(c)
  const suspendedBetween = (a: number, b: number) =>
    c.suspensions.reduce((sum, [from, to]) => {
      const f = Math.max(from, a)
      const t = Math.min(to, nowMs, b)
      return t > f ? sum + workingMinutesBetween(f, t) : sum
    }, 0)
  const used = workingMinutesBetween(c.start, nowMs) - suspendedBetween(c.start, nowMs)
  // the deadline: walk day by day until the running minutes reach the limit, then minute by minute inside that day
  let counted = 0
  let dayStart = Math.floor((c.start + OFFSET) / DAY) * DAY - OFFSET
  let from = c.start
  for (;;) {
    const next = dayStart + DAY
    const inDay = workingMinutesBetween(from, next) - suspendedBetween(from, next)
    if (counted + inDay >= limit) break
    counted += inDay
    from = next
    dayStart = next
  }
  let m = from
  while (counted < limit) {
    if (!isSuspended(c, m, nowMs) && isWorkingMinuteCached(m)) counted++
    m += MINUTE
  }
  return { color: colorOf(used, limit), usedMinutes: used, deadline: m }
}

// -----------------------------------------------------------------------------
// run
// -----------------------------------------------------------------------------

const agreement = (
  baseline: ReadonlyArray<BaselineLight>,
  subject: ReadonlyArray<Either.Either<TimeLimit.TimerLight, TimeLimit.TimeLimitError>>
): string => {
  let same = 0
  baseline.forEach((b, i) => {
    const s = subject[i]
    if (s === undefined || Either.isLeft(s)) return
    const l = s.right
    if (
      l.color === b.color &&
      l.usedMillis === b.usedMinutes * MINUTE &&
      l.deadline.epochMillis === b.deadline
    )
      same++
  })
  return `${same}/${baseline.length}`
}

export default async () => {
  const { plain, inputs } = generate()
  const policy = TimeLimit.defaultPolicy
  const subsetPlain = plain.slice(0, MINUTE_SUBSET)
  const subsetInputs = inputs.slice(0, MINUTE_SUBSET)

  const all = TimeLimit.lights(policy, calendar, inputs, now)
  const failures = all.filter(Either.isLeft).length
  const colors = { green: 0, yellow: 0, red: 0 }
  for (const r of all) if (Either.isRight(r)) colors[r.right.color]++
  console.log(
    `\nTimeLimit: ${N.toLocaleString("en-US")} open cases, lights at 2025-12-22 10:00 +08:00 — ` +
      `${colors.green} green, ${colors.yellow} yellow, ${colors.red} red, ${failures} failed`
  )
  console.log(
    `  agreement with the minute-by-minute baseline (first 20): ${agreement(plain.slice(0, 20).map(minuteLight), all)}`
  )
  console.log(
    `  agreement with the day-by-day baseline (all ${N.toLocaleString("en-US")}): ${agreement(plain.map(dayLight), all)}`
  )

  const minute = compare({
    title: `timer lights, ${MINUTE_SUBSET} open cases (minute walk too slow for 100k)`,
    baseline: { name: "minute-by-minute walk, per case", run: () => subsetPlain.map(minuteLight) },
    subject: {
      name: `TimeLimit.lights (same ${MINUTE_SUBSET} cases)`,
      run: () => TimeLimit.lights(policy, calendar, subsetInputs, now)
    },
    items: MINUTE_SUBSET,
    itemLabel: "cases",
    runs: 3,
    warmup: false
  })
  console.log(
    `  extrapolated to ${N.toLocaleString("en-US")} cases: minute walk ≈ ${((minute.baselineMs * N) / MINUTE_SUBSET / 1000).toFixed(0)} s (linear estimate, not measured)`
  )

  compare({
    title: `timer lights, ${N.toLocaleString("en-US")} open cases (day walk baseline)`,
    baseline: { name: "day-by-day walk (cached day flags), per case", run: () => plain.map(dayLight) },
    subject: {
      name: "TimeLimit.lights (prefix sums, batch)",
      run: () => TimeLimit.lights(policy, calendar, inputs, now)
    },
    items: N,
    itemLabel: "cases",
    targetMs: 500,
    runs: 5,
    warmup: true
  })
  keep(all)
}
