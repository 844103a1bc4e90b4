/**
 * A case's indicator contributions as a function of `asOf`, as deltas (the
 * timeline behind `IndicatorProjection.timeline`).
 *
 * What a case adds to the indicators depends on the instant it is judged at
 * (`asOf`): events after it are left out, a running step turns late when its
 * deadline passes, a status judged "at asOf" changes with later events. The
 * contribution is a step function of `asOf`; it changes only
 *
 * - at an event's instant (the event enters the history) and one millisecond
 *   later (runs starting and suspensions beginning at that instant are judged
 *   from then: `Indicator` compares them with `asOf` strictly), and
 * - one millisecond after the deadline of a running step (it turns late),
 *   unless the step's clock is stopped by an open suspension (挂账) — then its
 *   deadline moves on with `asOf`: it cannot turn late before the next event,
 *   but it becomes unjudged once the moving deadline reaches a year the
 *   calendar has no schedule for; that instant is found by probing forward
 *   and bisecting (the change is monotone: a stopped clock never comes back
 *   into the loaded years).
 *
 * So the core's own contribution (`Indicator.contributor`) is evaluated at
 * every such breakpoint and each change is written as a delta: at `change`,
 * add `values` (stored columns) to the counts placed at `at` (and, for the
 * conditional numerators, counted when `alt` lies before the end of `at`'s
 * period). The sum of a case's deltas with `change ≤ asOf` is exactly its
 * contribution at `asOf`. Appending events to a case only changes its deltas
 * from the first new event's instant on (`cut`): those are recomputed,
 * earlier ones stay.
 *
 * Instants are compared in history order: an event enters at the largest
 * instant among it and the events before it (a store may hold events whose
 * instants go back in time; `Indicator.summarize` stops at the first event
 * after `asOf`).
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Indicator from "../Indicator.js"
import * as TimeLimit from "../TimeLimit.js"
import { YearNotLoaded } from "../WorkingCalendar.js"
import { conditionalIndex, storedValues, VALUES } from "./indicatorProjection.js"

/** At `change`, add `values` to the counts placed at `at` (conditional numerators: when `alt` is in `at`'s period). */
export interface DeltaRow {
  readonly change: number
  /** Its place among the case's deltas at `change` (with the case and `change`, the row's key). */
  readonly seq: number
  readonly at: number
  readonly alt: number | null
  readonly values: Int32Array
}

/** Why a case is unjudged at an instant (as stored: the reason as JSON, the indicators comma-separated). */
export interface UnjudgedRecord {
  readonly step: string
  readonly reason: string
  readonly indicators: string
}

/** At `change`, the record starts (`sign` 1) or stops (−1) holding. */
export interface UnjudgedDelta {
  readonly change: number
  readonly sign: 1 | -1
  readonly record: UnjudgedRecord
}

/** A case's deltas and unjudged records. */
export interface Timeline {
  readonly deltas: ReadonlyArray<DeltaRow>
  readonly unjudged: ReadonlyArray<UnjudgedDelta>
}

/** The reason of an unjudged case, as stored. */
export const TimeLimitErrorJson = Schema.parseJson(Schema.Union(TimeLimit.NoTimeLimit, YearNotLoaded))
const encodeReason = Schema.encodeSync(TimeLimitErrorJson)

interface Entry {
  readonly at: number
  readonly alt: number | null
  readonly values: Int32Array
}

type State = Map<string, Entry>

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

const keyOf = (at: number, alt: number | null): string => (alt === null ? `${at}` : `${at}:${alt}`)

const isZero = (values: Int32Array): boolean => {
  for (let k = 0; k < values.length; k++) if (values[k] !== 0) return false
  return true
}

/** The stored state of one evaluation. */
const stateOf = (c: Option.Option<Indicator.CaseContributions>): State => {
  const state: State = new Map()
  if (Option.isNone(c)) return state
  for (const contribution of c.value.contributions) {
    const values = storedValues(contribution.counts)
    if (!isZero(values)) state.set(keyOf(contribution.at, null), { at: contribution.at, alt: null, values })
  }
  for (const cond of c.value.conditionals) {
    const key = keyOf(cond.at, cond.instant)
    let entry = state.get(key)
    if (entry === undefined) {
      entry = { at: cond.at, alt: cond.instant, values: new Int32Array(VALUES) }
      state.set(key, entry)
    }
    const column = conditionalIndex[cond.numerator]
    entry.values[column] = (entry.values[column] ?? 0) + 1
  }
  return state
}

const recordOf = (c: Option.Option<Indicator.CaseContributions>): UnjudgedRecord | undefined => {
  if (Option.isNone(c) || Option.isNone(c.value.unjudged)) return undefined
  const u = c.value.unjudged.value
  return { step: u.step, reason: encodeReason(u.reason), indicators: u.indicators.join(",") }
}

const sameRecord = (a: UnjudgedRecord | undefined, b: UnjudgedRecord | undefined): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.step === b.step &&
    a.reason === b.reason &&
    a.indicators === b.indicators)

/** The effective instant of each event of an ordered history: the largest instant so far. */
export const effectiveInstants = (
  events: ReadonlyArray<{ readonly at: { readonly epochMillis: number } }>
) => {
  const out = new Array<number>(events.length)
  let max = Number.NEGATIVE_INFINITY
  events.forEach((e, i) => {
    max = Math.max(max, e.at.epochMillis)
    out[i] = max
  })
  return out
}

/**
 * The deltas of a case from `cut` on (every delta when `cut` is −∞): its
 * contribution just before `cut`, then at each breakpoint from `cut` on.
 */
export const timeline = (
  contributor: Indicator.Contributor,
  history: Indicator.History,
  cut: number
): Timeline => {
  const eff = effectiveInstants(history.events)
  const points = [...new Set(eff.flatMap((t) => [t, t + 1]))].filter((t) => t >= cut).sort((a, b) => a - b)
  const deltas: Array<DeltaRow> = []
  const unjudged: Array<UnjudgedDelta> = []
  const start = Number.isFinite(cut) ? contributor.contribute(history, cut - 1) : Option.none()
  let prev: State = stateOf(start)
  let prevRecord = recordOf(start)

  const step = (asOf: number, c: Option.Option<Indicator.CaseContributions>): void => {
    const next = stateOf(c)
    let seq = 0
    for (const [key, entry] of next) {
      const old = prev.get(key)
      const diff = new Int32Array(VALUES)
      for (let k = 0; k < VALUES; k++) diff[k] = (entry.values[k] ?? 0) - (old?.values[k] ?? 0)
      if (!isZero(diff)) deltas.push({ change: asOf, seq: seq++, at: entry.at, alt: entry.alt, values: diff })
    }
    for (const [key, old] of prev) {
      if (next.has(key)) continue
      const diff = new Int32Array(VALUES)
      for (let k = 0; k < VALUES; k++) diff[k] = -(old.values[k] ?? 0)
      deltas.push({ change: asOf, seq: seq++, at: old.at, alt: old.alt, values: diff })
    }
    const record = recordOf(c)
    if (!sameRecord(prevRecord, record)) {
      if (prevRecord !== undefined) unjudged.push({ change: asOf, sign: -1, record: prevRecord })
      if (record !== undefined) unjudged.push({ change: asOf, sign: 1, record })
    }
    prev = next
    prevRecord = record
  }

  /** Whether an evaluation leaves the stored state as it is. */
  const unchanged = (c: Option.Option<Indicator.CaseContributions>): boolean => {
    const next = stateOf(c)
    if (next.size !== prev.size || !sameRecord(prevRecord, recordOf(c))) return false
    for (const [key, entry] of next) {
      const old = prev.get(key)
      if (old === undefined) return false
      for (let k = 0; k < VALUES; k++) if ((entry.values[k] ?? 0) !== (old.values[k] ?? 0)) return false
    }
    return true
  }

  /**
   * The first instant in (from, to) at which the state changes, found by
   * probing forward (an hour, then doubling) and bisecting — for runs whose
   * clock is stopped: their deadline moves on with `asOf`, so they never turn
   * late before the next event, but may become unjudged (the moving deadline
   * reaches a year with no schedule). Undefined: no change before `to`
   * (looked at up to a thousand years ahead).
   */
  const firstChange = (from: number, to: number): number | undefined => {
    const end = Math.min(to, from + 1000 * 366 * DAY_MS) - 1
    let same = from
    let step = HOUR_MS
    for (;;) {
      const probe = Math.min(from + step, end)
      if (probe <= same) return undefined
      if (!unchanged(contributor.contribute(history, probe))) {
        let lo = same
        let hi = probe
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2)
          if (unchanged(contributor.contribute(history, mid))) lo = mid
          else hi = mid
        }
        return hi
      }
      same = probe
      if (probe === end) return undefined
      step *= 2
    }
  }

  for (let k = 0; k < points.length; k++) {
    const limit = points[k + 1] ?? Number.POSITIVE_INFINITY
    let asOf = points[k] ?? 0
    // runs whose deadline moved within this stretch (a stopped clock): they cannot turn late in it
    const paused = new Set<number>()
    let expected = new Map<number, number>()
    for (;;) {
      const c = contributor.contribute(history, asOf)
      step(asOf, c)
      const pending = Option.isSome(c) ? c.value.pending : []
      const facts = Option.isSome(c) ? c.value.facts : undefined
      let next = Number.POSITIVE_INFINITY
      let stopped = false
      const now = new Map<number, number>()
      for (const { run, deadline } of pending) {
        const before = expected.get(run)
        const runStep = facts?.runs[run]?.step
        // a pending run with an open suspension of its step: its clock is stopped
        const open =
          facts?.suspensions.some((s) => s.step === runStep && s.to === null && s.from < asOf) ?? false
        if (open || (before !== undefined && before !== deadline)) paused.add(run)
        now.set(run, deadline)
        if (paused.has(run)) {
          stopped = true
          continue
        }
        const turnsLate = Math.floor(deadline) + 1
        if (turnsLate > asOf && turnsLate < next) next = turnsLate
      }
      expected = now
      const bound = Math.min(next, limit)
      if (stopped) {
        const change = firstChange(asOf, bound)
        if (change !== undefined) {
          asOf = change
          continue
        }
      }
      if (!(next < limit)) break
      asOf = next
    }
  }
  return { deltas, unjudged }
}
