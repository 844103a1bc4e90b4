/**
 * Clock arithmetic shared by `WorkDuration` and `TimeLimit`: a clock is either
 * the working clock of a compiled calendar (counts working time only) or the
 * natural clock (`undefined`: counts every millisecond). Suspensions 挂账 are
 * merged intervals during which neither clock runs.
 *
 * All functions return NaN when the working clock meets a year with no loaded
 * schedule (see `missingYear` in `./calendar.js`).
 *
 * @since 0.1.0
 */
import { addWork, type CalendarIndex, type CalendarSpec, compile, workBetween } from "./calendar.js"

/** Flat, sorted, disjoint suspension intervals: `[from0, until0, from1, until1, …]`. */
export type Intervals = ReadonlyArray<number>

const empty: Intervals = []

/** Merges `[from, until]` pairs (until may be `Infinity` for an open interval) into sorted disjoint ones. */
export const mergeIntervals = (pairs: ReadonlyArray<readonly [number, number]>): Intervals => {
  if (pairs.length === 0) return empty
  const sorted = [...pairs].filter(([f, u]) => u > f).sort((x, y) => x[0] - y[0] || x[1] - y[1])
  const out: Array<number> = []
  for (const [f, u] of sorted) {
    const last = out.length - 1
    if (out.length > 0 && f <= (out[last] ?? 0)) {
      if (u > (out[last] ?? 0)) out[last] = u
    } else {
      out.push(f, u)
    }
  }
  return out
}

/** The compiled calendar for a unit's clock; `undefined` is the natural clock. */
export const clockIndex = (calendar: CalendarSpec, unit: string): CalendarIndex | undefined =>
  unit === "working-hours" || unit === "working-days" ? compile(calendar) : undefined

/** A suspension as the public modules hold it (`to: null` = still suspended). */
export interface SuspensionLike {
  readonly from: { readonly epochMillis: number }
  readonly to: { readonly epochMillis: number } | null
}

/** Suspensions as merged intervals; open ones end at `openEnd`. */
export const mergeSuspensions = (suspensions: ReadonlyArray<SuspensionLike>, openEnd: number): Intervals =>
  suspensions.length === 0
    ? empty
    : mergeIntervals(
        suspensions.map((s) => [s.from.epochMillis, s.to === null ? openEnd : s.to.epochMillis] as const)
      )

/** Time on the clock in `[a, b]`, `a ≤ b`. */
export const between = (index: CalendarIndex | undefined, a: number, b: number): number =>
  index === undefined ? b - a : workBetween(index, a, b)

/** The earliest instant `t ≥ a` with `between(a, t) = d` (working clock: a working instant). */
export const addOn = (index: CalendarIndex | undefined, a: number, d: number): number =>
  index === undefined ? a + d : addWork(index, a, d)

/** Running (not suspended) time on the clock in `[start, end]`, signed: negative when `end < start`. */
export const activeBetween = (
  index: CalendarIndex | undefined,
  start: number,
  end: number,
  suspended: Intervals
): number => {
  if (end < start) return -activeBetween(index, end, start, suspended)
  let total = between(index, start, end)
  for (let i = 0; i < suspended.length && !Number.isNaN(total); i += 2) {
    const f = suspended[i] ?? 0
    const u = suspended[i + 1] ?? 0
    if (f >= end) break
    const cs = Math.max(f, start)
    const ce = Math.min(u, end)
    if (ce > cs) total -= between(index, cs, ce)
  }
  return total
}

/**
 * The earliest instant at which the running time since `start` reaches
 * `limit`: suspended stretches do not count, so each one that begins before
 * the deadline pushes it later by its own clock time.
 */
export const deadlineOn = (
  index: CalendarIndex | undefined,
  start: number,
  limit: number,
  suspended: Intervals
): number => {
  let remaining = limit
  let cursor = start
  for (let i = 0; i < suspended.length; i += 2) {
    const f = suspended[i] ?? 0
    const u = suspended[i + 1] ?? 0
    if (u <= cursor) continue
    const cs = Math.max(f, cursor)
    const run = between(index, cursor, cs)
    if (Number.isNaN(run)) {
      // the stretch up to the suspension meets a year with no schedule: the deadline may still lie
      // before it (a suspension that starts after the deadline does not move it, and needs no year)
      const reached = addOn(index, cursor, remaining)
      return !Number.isNaN(reached) && reached <= cs ? reached : Number.NaN
    }
    if (run >= remaining) break
    remaining -= run
    cursor = u
  }
  return addOn(index, cursor, remaining)
}
