/**
 * The indicator engine: one pass over the case summaries, each observation
 * added to a flat `Float64Array` of counts per (period, unit, column); then
 * the counts are rolled up the hierarchy in reverse pre-order (children into
 * parents: numerators and denominators add). Periods are found with a
 * day-number cache, so `Period.periodOf` runs once per distinct local day.
 *
 * Columns: `columnNames` — independent counts, each shared by the
 * indicators that read it (see `indicatorsOf`), the handling counts kept both
 * per case and per round; then the nine `Survey.HotlineCounts` fields, from
 * which the hotline 三率 are read with `Survey`'s own functions.
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

/**
 * The count columns, in order: each an independent count the engine adds to
 * (names are SQL-safe, so a store can use them as column names). Indicators
 * sharing a count read the same column — 结案率 and 按期结案率 share 应结案数,
 * the handling rates share 应处置数, the tier shares share the first closures
 * — so those equalities hold by construction; the hotline counts are their
 * own columns (counted only for the hotline sources), never derived from
 * others.
 */
export const columnNames = [
  /** 受理办结率 numerator: accepted cases closed at asOf */
  "accepted_closed",
  /** 受理数 */
  "accepted",
  /** 结案数: cases due closed by the end of the period */
  "closure_closed",
  /** 应结案数 */
  "closure_due",
  /** 按期结案数 */
  "closure_on_time",
  /** 处置数 (cases) */
  "handling_handled",
  /** 应处置数 (cases) */
  "handling_due",
  /** 按期处置数 (cases) */
  "handling_on_time",
  /** 返工案件数: cases reworked (once each, at their first rework) */
  "reworked_cases",
  /** 处置数 (handling rounds) */
  "round_handled",
  /** 应处置数 (handling rounds) */
  "round_due",
  /** 按期处置数 (handling rounds) */
  "round_on_time",
  /** 返工次数: failed verifications */
  "reworks",
  /** 准确派遣数 */
  "dispatches_kept",
  /** 派遣数 */
  "dispatches",
  /** 按时立案数 */
  "filing_on_time",
  /** 应立案数 */
  "filing_due",
  /** 准确立案数 */
  "filed_kept",
  /** 立案数 */
  "filed",
  /** 重办数 */
  "visits_reopened",
  /** 有效回访数 */
  "visits_valid",
  /** first closures by self-handling */
  "closed_self",
  /** first closures by the community's own units */
  "closed_local",
  /** first closures at the community tier */
  "closed_community",
  /** first closures at the street tier */
  "closed_street",
  /** first closures at the district tier */
  "closed_district",
  /** first closures */
  "first_closures",
  /** hotline 应响应 */
  "hotline_due",
  /** hotline 已响应 */
  "hotline_responded",
  /** hotline 已解决 */
  "hotline_resolved",
  /** hotline 未解决 */
  "hotline_unresolved",
  /** hotline 满意 */
  "hotline_satisfied",
  /** hotline 基本满意 */
  "hotline_basically_satisfied",
  /** hotline 不满意 */
  "hotline_dissatisfied",
  /** hotline 无法联系 */
  "hotline_unreachable",
  /** hotline 拒绝评价 */
  "hotline_refused"
] as const

/** A count column's name. */
export type ColumnName = (typeof columnNames)[number]

const AC_N = 0
const AC_D = 1
const CL_N = 2
const CL_D = 3
const CL_OT = 4
const H_N = 5
const H_D = 6
const H_OT = 7
const RW_CASES = 8
const HR_N = 9
const HR_D = 10
const HR_OT = 11
const RW_ROUNDS = 12
const DP_N = 13
const DP_D = 14
const OTF_N = 15
const OTF_D = 16
const FA_N = 17
const FA_D = 18
const RO_N = 19
const RO_D = 20
const FC_SELF = 21
const FC_LOCAL = 22
const FC_COMM = 23
const FC_STREET = 24
const FC_DIST = 25
const FC_D = 26
/** The first hotline column: due, responded, resolved, unresolved, satisfied, basicallySatisfied, dissatisfied, unreachable, refused. */
export const HOT = 27

/** Columns per (period, unit). */
export const COLUMNS = HOT + 9

/** The numerators that count only when an instant lies within the period of the settlement (see `Accumulator.before`). */
export type Conditional = "closure" | "handling" | "handling-round"

/** The column of each conditional numerator. */
export const conditionalColumn: Readonly<Record<Conditional, number>> = {
  closure: CL_N,
  handling: H_N,
  "handling-round": HR_N
}

/** 处置率 / 返工率 counting: cases (CJ/T 292, the default) or handling rounds. */
export type Counting = "case" | "round"

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
  /** How 处置率, 按期处置率 and 返工率 count (the engine keeps both; this picks what `indicatorsOf` reads). */
  readonly counting: Counting
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
  before(slot: Slot, instant: number, _numerator: Conditional): boolean {
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
    // a case voided 作废 or merged 合并 (by asOf) is not due for closure or handling, whenever it was voided
    const gone = status === "voided" || status === "merged"
    const bump = (c: Float64Array, col: number, by: number): void => {
      c[base + col] = (c[base + col] ?? 0) + by
    }

    // 受理办结率 and 准确立案率, at the acceptance
    const acceptedAt = f.acceptedAt
    if (acceptedAt !== null) {
      const c = acc.slotOf(acceptedAt).counts
      if (!gone) {
        bump(c, AC_N, status === "closed" || status === "evaluated" ? 1 : 0)
        bump(c, AC_D, 1)
      }
      if (!f.selfHandled) {
        bump(c, FA_N, status === "voided" ? 0 : 1)
        bump(c, FA_D, 1)
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
        bump(c, OTF_N, ok)
        bump(c, OTF_D, 1)
        if (hotline) {
          bump(c, HOT, 1)
          bump(c, HOT + 1, ok)
        }
      }
    }

    // 准确派遣率, at each dispatch
    for (const d of f.dispatches) {
      const c = acc.slotOf(d.at).counts
      bump(c, DP_N, d.returnedAt === null ? 1 : 0)
      bump(c, DP_D, 1)
    }

    // 处置率, 按期处置率, 返工率: a case whose handling runs cannot all be judged is left out of them all
    // (every round); a voided or merged case is not due
    let handlingJudged = true
    for (let i = 0; i < n && handlingJudged; i++) {
      const run = runs[i]
      if (run === undefined || run.step !== "handling") continue
      if (this.verdict(f, i) === FAILED) {
        this.fail(f, u, i, handlingIndicators)
        handlingJudged = false
      }
    }
    if (handlingJudged && !gone) {
      // per round: each handling run when it settles; per case: the case's first due run
      let caseSettled = false
      for (let i = 0; i < n; i++) {
        const run = runs[i]
        if (run === undefined || run.step !== "handling") continue
        const v = this.verdict(f, i)
        if (v === ON_TIME) {
          if (run.endedBy !== "handled" || run.end === null) continue
          const c = acc.slotOf(run.end).counts
          bump(c, HR_N, 1)
          bump(c, HR_D, 1)
          bump(c, HR_OT, 1)
          if (!caseSettled) {
            caseSettled = true
            bump(c, H_N, 1)
            bump(c, H_D, 1)
            bump(c, H_OT, 1)
          }
        } else if (v === LATE) {
          const slot = acc.slotOf(this.cache.deadlines[i] ?? 0)
          const c = slot.counts
          const handledRun = run.endedBy === "handled" && run.end !== null
          bump(c, HR_N, handledRun && acc.before(slot, run.end ?? 0, "handling-round") ? 1 : 0)
          bump(c, HR_D, 1)
          if (!caseSettled) {
            caseSettled = true
            bump(c, H_N, handledRun && acc.before(slot, run.end ?? 0, "handling") ? 1 : 0)
            bump(c, H_D, 1)
          }
        }
      }
      // 返工率 numerators: each rework (核查不通过) when it happens; a case once, at its first
      const reworks = f.reworks
      const first = reworks[0]
      if (first !== undefined) {
        bump(acc.slotOf(first).counts, RW_CASES, 1)
        for (const r of reworks) bump(acc.slotOf(r).counts, RW_ROUNDS, 1)
      }
    }

    // 结案率 and 按期结案率: accepted cases (not voided or merged); the runs up to the first closure, settled
    // at the close, or at the first missed deadline (at the acceptance, if the case was accepted only after it)
    if (acceptedAt !== null && !gone) {
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
        bump(c, CL_N, closed)
        bump(c, CL_D, 1)
        bump(c, CL_OT, outcome === ON_TIME ? 1 : 0)
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
      bump(c, FC_SELF, self ? 1 : 0)
      bump(c, FC_LOCAL, local ? 1 : 0)
      bump(c, FC_COMM, fc.tier === "community" ? 1 : 0)
      bump(c, FC_STREET, fc.tier === "street" ? 1 : 0)
      bump(c, FC_DIST, fc.tier === "district" ? 1 : 0)
      bump(c, FC_D, 1)
    }

    // 重办率, 解决率, 满意率: each return visit
    for (const e of f.evaluations) {
      const c = acc.slotOf(e.at).counts
      const rating = e.rating
      if (rating === "unreachable" || rating === "refused") {
        if (hotline) bump(c, HOT + (rating === "unreachable" ? 7 : 8), 1)
        continue
      }
      const reopened = e.reopenedAt !== null
      bump(c, RO_N, reopened ? 1 : 0)
      bump(c, RO_D, 1)
      if (hotline) {
        // the resident's own answer when the visit recorded one; otherwise a later reopen means unresolved
        const resolved = e.resolved ?? !reopened
        bump(c, HOT + (resolved ? 2 : 3), 1)
        bump(c, HOT + (rating === "satisfied" ? 4 : rating === "basically-satisfied" ? 5 : 6), 1)
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

const denominators = [AC_D, CL_D, H_D, HR_D, DP_D, OTF_D, FA_D, RO_D, FC_D]

/** Whether a row holds any observation (a denominator or a hotline count). */
export const hasData = (counts: Float64Array, row: number): boolean => {
  const base = row * COLUMNS
  for (const k of denominators) if ((counts[base + k] ?? 0) > 0) return true
  for (let k = HOT; k < COLUMNS; k++) if ((counts[base + k] ?? 0) > 0) return true
  return false
}

/** The hotline counts of a row. */
export const hotlineOf = (counts: ArrayLike<number>, row: number): Survey.HotlineCounts => {
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
export const indicatorsOf = (
  counts: ArrayLike<number>,
  row: number,
  basicWeight: number,
  counting: Counting
): Indicators => {
  const b = row * COLUMNS
  const r = (num: number, den: number): Ratio.Ratio => Ratio.make(counts[b + num] ?? 0, counts[b + den] ?? 0)
  const three = Survey.threeRates(hotlineOf(counts, row), { basicWeight })
  const byCase = counting === "case"
  const first = (num: number): Ratio.Ratio => r(num, FC_D)
  return {
    "acceptance-closure": r(AC_N, AC_D),
    closure: r(CL_N, CL_D),
    "on-time-closure": r(CL_OT, CL_D),
    handling: byCase ? r(H_N, H_D) : r(HR_N, HR_D),
    "on-time-handling": byCase ? r(H_OT, H_D) : r(HR_OT, HR_D),
    rework: byCase ? r(RW_CASES, H_D) : r(RW_ROUNDS, HR_D),
    "dispatch-accuracy": r(DP_N, DP_D),
    "on-time-filing": r(OTF_N, OTF_D),
    "filing-accuracy": r(FA_N, FA_D),
    reopen: r(RO_N, RO_D),
    "self-handled": first(FC_SELF),
    "closed-locally": first(FC_LOCAL),
    "closed-at-community": first(FC_COMM),
    "closed-at-street": first(FC_STREET),
    "closed-at-district": first(FC_DIST),
    response: three.response,
    resolution: three.resolution,
    satisfaction: three.satisfaction
  }
}
