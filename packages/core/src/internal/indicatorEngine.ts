/**
 * The indicator engine: one pass over the case summaries, each observation
 * added to a flat `Float64Array` of counts per (period, unit, column); then
 * the counts are rolled up the hierarchy in reverse pre-order (children into
 * parents: numerators and denominators add). Periods are found with a
 * day-number cache, so `Period.periodOf` runs once per distinct local day.
 *
 * Columns: for each ratio indicator `i` (see `ratioIds`) a numerator at
 * `2i` and a denominator at `2i + 1`; then the nine `Survey.HotlineCounts`
 * fields, from which the hotline 三率 are read with `Survey`'s own functions.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import type { CaseStep } from "../CaseStep.js"
import type { CaseFacts, IndicatorId, Indicators } from "../Indicator.js"
import * as Period from "../Period.js"
import * as Ratio from "../Ratio.js"
import * as Survey from "../Survey.js"
import type * as TimeLimit from "../TimeLimit.js"
import * as Cal from "./calendar.js"
import { FAILED, type Judge, LATE, ON_TIME, PENDING, type Verdict } from "./indicatorJudge.js"

/** The indicators kept as a numerator/denominator pair, in column order. */
export const ratioIds = [
  "acceptance-closure",
  "closure",
  "on-time-closure",
  "handling",
  "on-time-handling",
  "rework",
  "dispatch-accuracy",
  "on-time-filing",
  "filing-accuracy",
  "reopen",
  "self-handled",
  "closed-locally",
  "closed-at-community",
  "closed-at-street",
  "closed-at-district"
] as const satisfies ReadonlyArray<IndicatorId>

const AC = 0
const CLOSURE = 2
const OT_CLOSURE = 4
const HANDLING = 6
const OT_HANDLING = 8
const REWORK = 10
const DISPATCH = 12
const OT_FILING = 14
const FILING_ACC = 16
const REOPEN = 18
const SELF = 20
const LOCAL = 22
const AT_COMMUNITY = 24
const AT_STREET = 26
const AT_DISTRICT = 28
/** The first hotline column: due, responded, resolved, unresolved, satisfied, basicallySatisfied, dissatisfied, unreachable, refused. */
const HOT = 30

/** Columns per (period, unit). */
export const COLUMNS = HOT + 9

/** Settings of one engine run. */
export interface Settings {
  readonly granularity: Period.Granularity
  readonly utcOffsetMinutes: number
  readonly asOf: number
  readonly basicWeight: number
  /** Sources whose cases feed the hotline 三率. */
  readonly hotlineSources: ReadonlySet<string>
  /** Steps whose runs must be on time for a closure to be on time (bit `stepBit`). */
  readonly closureSteps: number
}

/** A step as a bit of a mask. */
export const stepBit: Readonly<Record<CaseStep, number>> = {
  filing: 1,
  dispatch: 2,
  handling: 4,
  verification: 8,
  evaluation: 16
}

/** One period's counts for every unit. */
export interface Slot {
  readonly period: Period.Period
  readonly label: string
  readonly start: number
  readonly end: number
  readonly counts: Float64Array
}

/** A failed judgement: the case, its unit, the step and error, and the indicators left out. */
export interface Failure {
  readonly facts: CaseFacts
  readonly unit: number
  readonly step: CaseStep
  readonly error: TimeLimit.TimeLimitError
  readonly indicators: ReadonlyArray<IndicatorId>
}

const filingIndicators: ReadonlyArray<IndicatorId> = ["on-time-filing", "response"]
const handlingIndicators: ReadonlyArray<IndicatorId> = ["handling", "on-time-handling", "rework"]
const closureIndicators: ReadonlyArray<IndicatorId> = ["closure", "on-time-closure"]

/** Accumulates counts per (period, unit, column). */
export class Accumulator {
  readonly slots: Array<Slot> = []
  private readonly byDay = new Map<number, Slot>()
  private readonly byLabel = new Map<string, Slot>()
  private lastDay = Number.NaN
  private last: Slot | undefined = undefined
  private readonly offsetMs: number

  constructor(
    readonly units: number,
    readonly granularity: Period.Granularity,
    readonly utcOffsetMinutes: number
  ) {
    this.offsetMs = utcOffsetMinutes * Cal.MINUTE_MS
  }

  /** The period slot holding an instant (epoch ms). */
  slotOf(ms: number): Slot {
    const day = Math.floor((ms + this.offsetMs) / Cal.DAY_MS)
    if (day === this.lastDay && this.last !== undefined) return this.last
    let slot = this.byDay.get(day)
    if (slot === undefined) {
      const period = Period.periodOf(DateTime.unsafeMake(ms), this.granularity, {
        utcOffsetMinutes: this.utcOffsetMinutes
      })
      const label = Period.label(period)
      slot = this.byLabel.get(label)
      if (slot === undefined) {
        slot = {
          period,
          label,
          start: Period.start(period).epochMillis,
          end: Period.end(period).epochMillis,
          counts: new Float64Array(this.units * COLUMNS)
        }
        this.byLabel.set(label, slot)
        this.slots.push(slot)
      }
      this.byDay.set(day, slot)
    }
    this.lastDay = day
    this.last = slot
    return slot
  }

  /**
   * Whether an instant falls before the end of a slot's period: the test of
   * the numerators that count only when the case was closed (`closure`) or
   * the run handled (`handling`) within the period in which it settled.
   */
  before(slot: Slot, instant: number, _numerator: "closure" | "handling"): boolean {
    return instant < slot.end
  }

  /** The slots in time order. */
  sorted(): ReadonlyArray<Slot> {
    return [...this.slots].sort((a, b) => a.start - b.start)
  }
}

/** Scratch verdicts and deadlines of one case's runs (judged at most once each). */
class RunCache {
  verdicts = new Int8Array(64)
  deadlines = new Float64Array(64)
  reset(n: number): void {
    if (n > this.verdicts.length) {
      this.verdicts = new Int8Array(n * 2)
      this.deadlines = new Float64Array(n * 2)
    }
    this.verdicts.fill(-1, 0, n)
  }
}

/** Feeds cases into an accumulator. */
export class Engine {
  readonly failures: Array<Failure> = []
  private readonly cache = new RunCache()

  constructor(
    readonly settings: Settings,
    readonly judge: Judge,
    readonly acc: Accumulator,
    /** Whether a handling unit lies within a community (for 小事不出网格). */
    readonly isLocal: (handlerUnitId: string, communityId: string) => boolean
  ) {}

  private verdict(f: CaseFacts, i: number): Verdict {
    const cached = this.cache.verdicts[i]
    if (cached === ON_TIME || cached === LATE || cached === PENDING || cached === FAILED) return cached
    const run = f.runs[i]
    if (run === undefined) return PENDING
    const v = this.judge.judge(f, run)
    this.cache.verdicts[i] = v
    this.cache.deadlines[i] = this.judge.deadline
    return v
  }

  private fail(f: CaseFacts, unit: number, i: number, indicators: ReadonlyArray<IndicatorId>): void {
    const run = f.runs[i]
    const error = this.judge.error
    if (run === undefined || error === undefined) return
    this.failures.push({ facts: f, unit, step: run.step, error, indicators })
  }

  /**
   * The runs of the case last added that were judged pending — still running,
   * started before `asOf`, deadline not yet passed — with their deadlines.
   */
  pending(f: CaseFacts): Array<{ readonly run: number; readonly deadline: number }> {
    const out: Array<{ readonly run: number; readonly deadline: number }> = []
    for (let i = 0; i < f.runs.length; i++) {
      const run = f.runs[i]
      if (run === undefined || run.end !== null || run.start >= this.judge.asOf) continue
      if (this.cache.verdicts[i] === PENDING) out.push({ run: i, deadline: this.cache.deadlines[i] ?? 0 })
    }
    return out
  }

  /** Adds one case's observations to unit `u`. */
  add(f: CaseFacts, u: number): void {
    const acc = this.acc
    const s = this.settings
    const base = u * COLUMNS
    const runs = f.runs
    const n = runs.length
    this.cache.reset(n)
    const hotline = s.hotlineSources.has(f.source)
    const status = f.status

    // 受理办结率 and 准确立案率, at the acceptance
    const acceptedAt = f.acceptedAt
    if (acceptedAt !== null) {
      const c = acc.slotOf(acceptedAt).counts
      if (status !== "voided" && status !== "merged") {
        c[base + AC] = (c[base + AC] ?? 0) + (status === "closed" || status === "evaluated" ? 1 : 0)
        c[base + AC + 1] = (c[base + AC + 1] ?? 0) + 1
      }
      if (!f.selfHandled) {
        c[base + FILING_ACC] = (c[base + FILING_ACC] ?? 0) + (status === "voided" ? 0 : 1)
        c[base + FILING_ACC + 1] = (c[base + FILING_ACC + 1] ?? 0) + 1
      }
    }

    // 按时立案率 (and 响应率): the filing runs up to the filing decision
    if (!f.selfHandled) {
      let outcome = -1
      let at = 0
      for (let i = 0; i < n; i++) {
        const run = runs[i]
        if (run === undefined || run.step !== "filing") break
        const v = this.verdict(f, i)
        if (v === FAILED) {
          this.fail(f, u, i, filingIndicators)
          break
        }
        if (v === PENDING) break
        if (v === LATE) {
          outcome = LATE
          at = this.cache.deadlines[i] ?? 0
          break
        }
        if (run.endedBy !== "escalated") {
          outcome = ON_TIME
          at = run.end ?? 0
          break
        }
      }
      if (outcome >= 0) {
        const c = acc.slotOf(at).counts
        const ok = outcome === ON_TIME ? 1 : 0
        c[base + OT_FILING] = (c[base + OT_FILING] ?? 0) + ok
        c[base + OT_FILING + 1] = (c[base + OT_FILING + 1] ?? 0) + 1
        if (hotline) {
          c[base + HOT] = (c[base + HOT] ?? 0) + 1
          c[base + HOT + 1] = (c[base + HOT + 1] ?? 0) + ok
        }
      }
    }

    // 准确派遣率, at each dispatch
    for (const d of f.dispatches) {
      const c = acc.slotOf(d.at).counts
      c[base + DISPATCH] = (c[base + DISPATCH] ?? 0) + (d.returnedAt === null ? 1 : 0)
      c[base + DISPATCH + 1] = (c[base + DISPATCH + 1] ?? 0) + 1
    }

    // 处置率, 按期处置率 and the 返工率 denominator: each handling run, when it settles
    let handlingJudged = true
    for (let i = 0; i < n; i++) {
      const run = runs[i]
      if (run === undefined || run.step !== "handling") continue
      const v = this.verdict(f, i)
      if (v === FAILED) {
        if (handlingJudged) this.fail(f, u, i, handlingIndicators)
        handlingJudged = false
        continue
      }
      if (v === ON_TIME) {
        if (run.endedBy !== "handled" || run.end === null) continue
        const c = acc.slotOf(run.end).counts
        c[base + HANDLING] = (c[base + HANDLING] ?? 0) + 1
        c[base + HANDLING + 1] = (c[base + HANDLING + 1] ?? 0) + 1
        c[base + OT_HANDLING] = (c[base + OT_HANDLING] ?? 0) + 1
        c[base + OT_HANDLING + 1] = (c[base + OT_HANDLING + 1] ?? 0) + 1
        c[base + REWORK + 1] = (c[base + REWORK + 1] ?? 0) + 1
      } else if (v === LATE) {
        const slot = acc.slotOf(this.cache.deadlines[i] ?? 0)
        const c = slot.counts
        const handled =
          run.endedBy === "handled" && run.end !== null && acc.before(slot, run.end, "handling") ? 1 : 0
        c[base + HANDLING] = (c[base + HANDLING] ?? 0) + handled
        c[base + HANDLING + 1] = (c[base + HANDLING + 1] ?? 0) + 1
        c[base + OT_HANDLING + 1] = (c[base + OT_HANDLING + 1] ?? 0) + 1
        c[base + REWORK + 1] = (c[base + REWORK + 1] ?? 0) + 1
      }
    }
    // 返工率 numerator: each rework (核查不通过) when it happens — only for cases whose handling was judged
    if (handlingJudged) {
      for (const r of f.reworks) {
        const c = acc.slotOf(r).counts
        c[base + REWORK] = (c[base + REWORK] ?? 0) + 1
      }
    }

    // 结案率 and 按期结案率: accepted cases; the runs up to the first closure, settled at the close, or at
    // the first missed deadline (at the acceptance, if the case was accepted only after it)
    if (acceptedAt !== null) {
      let outcome = -1
      let at = 0
      for (let i = 0; i < n; i++) {
        const run = runs[i]
        if (run === undefined) break
        if ((s.closureSteps & stepBit[run.step]) !== 0) {
          const v = this.verdict(f, i)
          if (v === FAILED) {
            this.fail(f, u, i, closureIndicators)
            break
          }
          if (v === PENDING) break
          if (v === LATE) {
            outcome = LATE
            at = Math.max(this.cache.deadlines[i] ?? 0, acceptedAt)
            break
          }
        }
        const by = run.endedBy
        if (by === "closed") {
          outcome = ON_TIME
          at = run.end ?? 0
          break
        }
        if (by === "rejected" || by === "voided" || by === "merged" || run.end === null) break
      }
      if (outcome >= 0) {
        const slot = acc.slotOf(at)
        const c = slot.counts
        const fc = f.firstClose
        const closed = outcome === ON_TIME || (fc !== null && acc.before(slot, fc.at, "closure")) ? 1 : 0
        c[base + CLOSURE] = (c[base + CLOSURE] ?? 0) + closed
        c[base + CLOSURE + 1] = (c[base + CLOSURE + 1] ?? 0) + 1
        c[base + OT_CLOSURE] = (c[base + OT_CLOSURE] ?? 0) + (outcome === ON_TIME ? 1 : 0)
        c[base + OT_CLOSURE + 1] = (c[base + OT_CLOSURE + 1] ?? 0) + 1
      }
    }

    // tier shares (三级闭环; 琐事不出楼栋、小事不出网格、大事不出社区), at the first closure
    const fc = f.firstClose
    if (fc !== null) {
      const c = acc.slotOf(fc.at).counts
      const self = fc.via === "self-handle"
      const local =
        self ||
        (fc.tier === "community" &&
          fc.handlerUnitId !== null &&
          this.isLocal(fc.handlerUnitId, f.communityId))
      c[base + SELF] = (c[base + SELF] ?? 0) + (self ? 1 : 0)
      c[base + SELF + 1] = (c[base + SELF + 1] ?? 0) + 1
      c[base + LOCAL] = (c[base + LOCAL] ?? 0) + (local ? 1 : 0)
      c[base + LOCAL + 1] = (c[base + LOCAL + 1] ?? 0) + 1
      c[base + AT_COMMUNITY] = (c[base + AT_COMMUNITY] ?? 0) + (fc.tier === "community" ? 1 : 0)
      c[base + AT_COMMUNITY + 1] = (c[base + AT_COMMUNITY + 1] ?? 0) + 1
      c[base + AT_STREET] = (c[base + AT_STREET] ?? 0) + (fc.tier === "street" ? 1 : 0)
      c[base + AT_STREET + 1] = (c[base + AT_STREET + 1] ?? 0) + 1
      c[base + AT_DISTRICT] = (c[base + AT_DISTRICT] ?? 0) + (fc.tier === "district" ? 1 : 0)
      c[base + AT_DISTRICT + 1] = (c[base + AT_DISTRICT + 1] ?? 0) + 1
    }

    // 重办率, 解决率, 满意率: each return visit
    for (const e of f.evaluations) {
      const c = acc.slotOf(e.at).counts
      const rating = e.rating
      if (rating === "unreachable" || rating === "refused") {
        if (hotline) {
          const col = base + HOT + (rating === "unreachable" ? 7 : 8)
          c[col] = (c[col] ?? 0) + 1
        }
        continue
      }
      const reopened = e.reopenedAt !== null
      c[base + REOPEN] = (c[base + REOPEN] ?? 0) + (reopened ? 1 : 0)
      c[base + REOPEN + 1] = (c[base + REOPEN + 1] ?? 0) + 1
      if (hotline) {
        // the resident's own answer when the visit recorded one; otherwise a later reopen means unresolved
        const resolved = e.resolved ?? !reopened
        const resolvedCol = base + HOT + (resolved ? 2 : 3)
        c[resolvedCol] = (c[resolvedCol] ?? 0) + 1
        const ratingCol = base + HOT + (rating === "satisfied" ? 4 : rating === "basically-satisfied" ? 5 : 6)
        c[ratingCol] = (c[ratingCol] ?? 0) + 1
      }
    }
  }
}

/** Rolls counts up in place: each row becomes its subtree's total (rows in pre-order, `parent` their parents' rows). */
export const rollUp = (counts: Float64Array, parent: Int32Array): void => {
  for (let pos = parent.length - 1; pos >= 0; pos--) {
    const p = parent[pos] ?? -1
    if (p < 0) continue
    const from = pos * COLUMNS
    const to = p * COLUMNS
    for (let k = 0; k < COLUMNS; k++) counts[to + k] = (counts[to + k] ?? 0) + (counts[from + k] ?? 0)
  }
}

/** Whether a row holds any observation. */
export const hasData = (counts: Float64Array, row: number): boolean => {
  const base = row * COLUMNS
  for (let k = 1; k < HOT; k += 2) if ((counts[base + k] ?? 0) > 0) return true
  for (let k = HOT; k < COLUMNS; k++) if ((counts[base + k] ?? 0) > 0) return true
  return false
}

/** The hotline counts of a row. */
export const hotlineOf = (counts: Float64Array, row: number): Survey.HotlineCounts => {
  const b = row * COLUMNS + HOT
  return {
    due: counts[b] ?? 0,
    responded: counts[b + 1] ?? 0,
    resolved: counts[b + 2] ?? 0,
    unresolved: counts[b + 3] ?? 0,
    satisfied: counts[b + 4] ?? 0,
    basicallySatisfied: counts[b + 5] ?? 0,
    dissatisfied: counts[b + 6] ?? 0,
    unreachable: counts[b + 7] ?? 0,
    refused: counts[b + 8] ?? 0
  }
}

/** The indicators of a row (the hotline 三率 through `Survey.threeRates`). */
export const indicatorsOf = (counts: Float64Array, row: number, basicWeight: number): Indicators => {
  const b = row * COLUMNS
  const r = (col: number): Ratio.Ratio => Ratio.make(counts[b + col] ?? 0, counts[b + col + 1] ?? 0)
  const three = Survey.threeRates(hotlineOf(counts, row), { basicWeight })
  return {
    "acceptance-closure": r(AC),
    closure: r(CLOSURE),
    "on-time-closure": r(OT_CLOSURE),
    handling: r(HANDLING),
    "on-time-handling": r(OT_HANDLING),
    rework: r(REWORK),
    "dispatch-accuracy": r(DISPATCH),
    "on-time-filing": r(OT_FILING),
    "filing-accuracy": r(FILING_ACC),
    reopen: r(REOPEN),
    "self-handled": r(SELF),
    "closed-locally": r(LOCAL),
    "closed-at-community": r(AT_COMMUNITY),
    "closed-at-street": r(AT_STREET),
    "closed-at-district": r(AT_DISTRICT),
    response: three.response,
    resolution: three.resolution,
    satisfaction: three.satisfaction
  }
}
