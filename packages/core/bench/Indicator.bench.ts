/**
 * 考核指标 — case indicators for 1,000,000 cases over a five-level hierarchy
 * of 10,000 units (LevelScheme.FiveLevel: 1 district, 10 streets, 100
 * communities, 1,000 compounds, 8,889 buildings), monthly periods, the
 * default time limits on the China calendar, judged at the input's last event.
 *
 * Input: the cases are generated directly as `CaseFacts` summaries (not as
 * events through `Case.decide`, which would take minutes for a million
 * cases): 10,000 cases per community reported over 2025 — 15 % self-handled,
 * 6 % rejected / voided / merged, the rest accepted, dispatched (30 % to a
 * compound of the community), some returned, escalated, suspended, extended,
 * reworked, evaluated (some reopened), a few left open — with step durations
 * drawn so that most steps meet their limit and some miss it.
 *
 * Baselines — what a developer writes first, on the same summaries, with the
 * same definitions:
 *
 * 1. straightforward, on all 1,000,000 cases: for each case, each step run's
 *    deadline with `TimeLimit.deadline` (the public API) and each observation's
 *    period with `Period.periodOf` + `Period.label`, counts accumulated in a
 *    Map per (community, period); then for each of the 10,000 units, the
 *    communities within its jurisdiction (`Hierarchy.isWithin`) are added up.
 * 2. naive filter per unit: for each unit, filter every case whose community
 *    lies within it (`Hierarchy.isWithin`) and compute its rates from those
 *    cases. That is 10,000 × 1,000,000 = 10¹⁰ checks plus five times the
 *    per-case work, far too slow for the full input, so it runs on the first
 *    10,000 cases (all 10,000 units) against `Indicator.compute` on the same
 *    10,000 cases.
 *
 * The subject is `Indicator.compute` (one pass: deadlines on the compiled
 * calendar, a day → period cache, a Float64Array of counts per period, a
 * rollup over the tree) followed by `rows()`, which materialises every
 * (unit, period) with data — the same output the baselines build. Before
 * timing, the bench checks that baseline 1's figures equal civicgrid's for
 * every unit and period with data.
 */

import { compare, keep } from "@civicgrid/testkit/Bench"
import { prng } from "@civicgrid/testkit/Random"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import { DepartmentId } from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId, type Urgency } from "../src/CaseCategory.js"
import type { CaseStep } from "../src/CaseStep.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Indicator from "../src/Indicator.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Period from "../src/Period.js"
import * as Ratio from "../src/Ratio.js"
import * as Survey from "../src/Survey.js"
import type { Tier } from "../src/Tier.js"
import * as TimeLimit from "../src/TimeLimit.js"
import * as Unit from "../src/Unit.js"
import type * as WorkDuration from "../src/WorkDuration.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const N = 1_000_000
const SUBSET = 10_000
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const OFFSET = 8 * HOUR

// -----------------------------------------------------------------------------
// the hierarchy: 1 + 10 + 100 + 1,000 + 8,889 = 10,000 units
// -----------------------------------------------------------------------------

interface World {
  readonly hierarchy: Hierarchy.Hierarchy
  readonly communities: ReadonlyArray<{
    readonly id: string
    readonly street: string
    readonly compounds: ReadonlyArray<string>
  }>
}

const world = (): World => {
  const rows: Array<Unit.Unit> = [Unit.make({ id: "D", parentId: null, level: "district", name: "区" })]
  const communities: Array<{ id: string; street: string; compounds: Array<string> }> = []
  let buildings = 0
  const budget = 8_889
  for (let s = 0; s < 10; s++) {
    const street = `S${s}`
    rows.push(Unit.make({ id: street, parentId: "D", level: "street", name: `街道${s}` }))
    for (let c = 0; c < 10; c++) {
      const community = `${street}-C${c}`
      rows.push(Unit.make({ id: community, parentId: street, level: "community", name: `社区${s}-${c}` }))
      const compounds: Array<string> = []
      for (let p = 0; p < 10; p++) {
        const compound = `${community}-P${p}`
        compounds.push(compound)
        rows.push(Unit.make({ id: compound, parentId: community, level: "compound", name: `小区${p}` }))
        const k = s * 100 + c * 10 + p
        const count = Math.floor(((k + 1) * budget) / 1000) - Math.floor((k * budget) / 1000)
        for (let b = 0; b < count; b++) {
          rows.push(
            Unit.make({ id: `${compound}-B${b}`, parentId: compound, level: "building", name: `${b + 1}栋` })
          )
          buildings++
        }
      }
      communities.push({ id: community, street, compounds })
    }
  }
  if (rows.length !== 10_000 || buildings !== budget) throw new Error(`world has ${rows.length} units`)
  return { hierarchy: Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, rows)), communities }
}

// -----------------------------------------------------------------------------
// the cases, as summaries
// -----------------------------------------------------------------------------

const categories = [
  CategoryId.make("市容环境.暴露垃圾"),
  CategoryId.make("街面秩序.占道经营"),
  CategoryId.make("园林绿化.树木倒伏"),
  CategoryId.make("公用设施.井盖破损")
]
const CHENGGUAN = DepartmentId.make("dept-chengguan")
const yearStart = Date.UTC(2025, 0, 1) - OFFSET

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

const generate = (w: World): Array<Indicator.CaseFacts> => {
  const random = prng(20250601)
  const pick = <A>(xs: ReadonlyArray<A>): A => {
    const x = xs[Math.floor(random() * xs.length)]
    if (x === undefined) throw new Error("empty pick")
    return x
  }
  /** Minutes drawn mostly well within `limitMinutes` of working time, sometimes past it. */
  const duration = (typical: number, late: number): number =>
    Math.floor((random() < 0.88 ? 1 + random() * typical : typical + random() * late) * MINUTE)
  const out: Array<Indicator.CaseFacts> = []
  for (let i = 0; i < N; i++) {
    const community = w.communities[i % w.communities.length]
    if (community === undefined) throw new Error("no community")
    const reportedAt = yearStart + Math.floor(random() * 350 * 24 * 60) * MINUTE
    const urgencyDraw = random()
    const urgency: Urgency = urgencyDraw < 0.8 ? "normal" : urgencyDraw < 0.95 ? "urgent" : "critical"
    const runs: Array<Mutable<Indicator.StepRun>> = []
    const dispatches: Array<Mutable<Indicator.DispatchFact>> = []
    const reworks: Array<number> = []
    const evaluations: Array<Indicator.EvaluationFact> = []
    const suspensions: Array<Indicator.SuspensionFact> = []
    const extensions: Array<Indicator.ExtensionFact> = []
    let t = reportedAt
    let status: Case.Status = "reported"
    let acceptedAt: number | null = null
    let firstClose: Indicator.ClosureFact | null = null
    let tier: Tier = "community"
    let open = true
    const run = (step: CaseStep, start: number, end: number | null, endedBy: Indicator.RunEnd | null) =>
      runs.push({ step, start, end, endedBy })
    const stop = random() < 0.02 // left open part-way
    const r = random()
    const source = pick(Case.Source.literals)
    if (r < 0.15) {
      // 自处理: reported, handled and closed on the spot
      run("filing", t, t, "self-handled")
      run("verification", t, t, "closed")
      acceptedAt = t
      firstClose = { at: t, tier: "community", via: "self-handle", handlerUnitId: null }
      status = "closed"
    } else {
      const decided = t + duration(45, 600)
      if (r < 0.21) {
        const by: Indicator.RunEnd = r < 0.18 ? "rejected" : r < 0.2 ? "voided" : "merged"
        run("filing", t, decided, by)
        status = by === "rejected" ? "rejected" : by === "voided" ? "voided" : "merged"
        t = decided
        open = false
      } else {
        run("filing", t, decided, "accepted")
        t = decided
        acceptedAt = t
        status = "accepted"
        let dispatchStart = t
        if (random() < 0.06) {
          const up = t + duration(30, 300)
          run("dispatch", dispatchStart, up, "escalated")
          tier = random() < 0.8 ? "street" : "district"
          t = up
          dispatchStart = t
        }
        let handlerUnitId: string | null = null
        let rounds = 0
        while (open && rounds < 6) {
          rounds++
          if (stop && random() < 0.5) {
            run("dispatch", dispatchStart, null, null)
            open = false
            break
          }
          const dispatchedAt = dispatchStart + duration(45, 400)
          run("dispatch", dispatchStart, dispatchedAt, "dispatched")
          const toUnit = tier === "community" && random() < 0.3
          handlerUnitId = toUnit ? pick(community.compounds) : null
          const target: Case.DispatchTarget = toUnit
            ? { _tag: "Unit", unitId: Unit.UnitId.make(handlerUnitId ?? community.id) }
            : { _tag: "Department", departmentId: CHENGGUAN }
          t = dispatchedAt
          status = "dispatched"
          const dispatch: Mutable<Indicator.DispatchFact> = { at: dispatchedAt, target, returnedAt: null }
          dispatches.push(dispatch)
          // handling rounds (rework starts a new one)
          let handlingStart = t
          let returned = false
          for (;;) {
            let cursor = handlingStart
            if (random() < 0.03) {
              const from = cursor + duration(600, 0)
              const to = from + duration(2_000, 0)
              suspensions.push({ step: "handling", from, to })
              cursor = to
            }
            if (random() < 0.05) {
              const back = cursor + duration(120, 600)
              run("handling", handlingStart, back, "returned")
              dispatch.returnedAt = back
              t = back
              dispatchStart = t
              status = "accepted"
              returned = true
              break
            }
            if (stop) {
              run("handling", handlingStart, null, null)
              open = false
              break
            }
            const limit = urgency === "normal" ? 3 * DAY : urgency === "urgent" ? DAY : 2 * HOUR
            const handled = cursor + Math.floor(random() * (random() < 0.9 ? limit : 3 * limit))
            if (random() < 0.02) {
              extensions.push({
                step: "handling",
                amount: { amount: 1 + Math.floor(random() * 3), unit: "working-days" },
                approvedAt: handlingStart + Math.floor(random() * (handled - handlingStart))
              })
            }
            run("handling", handlingStart, handled, "handled")
            const verified = handled + duration(300, 1_500)
            if (random() < 0.08) {
              run("verification", handled, verified, "failed")
              reworks.push(verified)
              handlingStart = verified
              continue
            }
            run("verification", handled, verified, "closed")
            t = verified
            if (firstClose === null) {
              firstClose = {
                at: t,
                tier,
                via: "verification",
                handlerUnitId: handlerUnitId === null ? null : Unit.UnitId.make(handlerUnitId)
              }
            }
            status = "closed"
            break
          }
          if (!returned && open) {
            // the return visit; a dissatisfied one may reopen the case to dispatch
            if (random() < 0.85) {
              const at = t + duration(900, 2_000)
              const d = random()
              const rating: Case.Rating =
                d < 0.7
                  ? "satisfied"
                  : d < 0.85
                    ? "basically-satisfied"
                    : d < 0.91
                      ? "dissatisfied"
                      : d < 0.97
                        ? "unreachable"
                        : "refused"
              const reopen = rating === "dissatisfied" && random() < 0.4
              evaluations.push({ at, rating, reopenedAt: reopen ? at + 30 * MINUTE : null })
              if (rating === "unreachable") run("evaluation", t, null, null)
              else run("evaluation", t, at, "evaluated")
              status = "evaluated"
              t = at
              if (reopen) {
                t = at + 30 * MINUTE
                dispatchStart = t
                status = "accepted"
                continue
              }
            } else run("evaluation", t, null, null)
            break
          }
          if (!open) break
        }
      }
    }
    if (r < 0.15) {
      if (random() < 0.8) {
        const at = t + duration(900, 2_000)
        evaluations.push({
          at,
          rating: random() < 0.9 ? "satisfied" : "basically-satisfied",
          reopenedAt: null
        })
        run("evaluation", t, at, "evaluated")
        status = "evaluated"
        t = at
      } else run("evaluation", t, null, null)
    }
    let lastAt = reportedAt
    for (const x of runs) lastAt = Math.max(lastAt, x.start, x.end ?? 0)
    for (const x of evaluations) lastAt = Math.max(lastAt, x.at, x.reopenedAt ?? 0)
    for (const x of dispatches) lastAt = Math.max(lastAt, x.at, x.returnedAt ?? 0)
    for (const x of suspensions) lastAt = Math.max(lastAt, x.to ?? x.from)
    for (const x of extensions) lastAt = Math.max(lastAt, x.approvedAt)
    out.push({
      caseId: Case.CaseId.make(`C${String(i).padStart(7, "0")}`),
      communityId: Unit.UnitId.make(community.id),
      locationUnitId: Unit.UnitId.make(community.id),
      source,
      categoryId: pick(categories),
      urgency,
      reportedAt,
      acceptedAt,
      selfHandled: r < 0.15,
      status,
      lastAt,
      firstClose,
      runs,
      dispatches,
      reworks,
      evaluations,
      suspensions,
      extensions
    })
  }
  return out
}

// -----------------------------------------------------------------------------
// the straightforward implementation (the baselines)
// -----------------------------------------------------------------------------

interface Counts {
  ratios: Record<string, [number, number]>
  hotline: Survey.HotlineCounts
}

const ratioIds = Indicator.ids.filter(
  (id) => id !== "response" && id !== "resolution" && id !== "satisfaction"
)

const newCounts = (): Counts => ({
  ratios: Object.fromEntries(ratioIds.map((id) => [id, [0, 0]])),
  hotline: { ...Survey.emptyHotlineCounts }
})

const bump = (c: Counts, id: string, numerator: number, denominator: number): void => {
  const r = c.ratios[id]
  if (r !== undefined) {
    r[0] += numerator
    r[1] += denominator
  }
}

const addCounts = (into: Counts, from: Counts): void => {
  for (const id of ratioIds) {
    const r = from.ratios[id]
    if (r !== undefined) bump(into, id, r[0], r[1])
  }
  into.hotline = Survey.HotlineMonoid.combine(into.hotline, from.hotline)
}

const toIndicators = (c: Counts): Indicator.Indicators => {
  const three = Survey.threeRates(c.hotline)
  return Indicator.make((id) => {
    if (id === "response") return three.response
    if (id === "resolution") return three.resolution
    if (id === "satisfaction") return three.satisfaction
    const r = c.ratios[id] ?? [0, 0]
    return Ratio.make(r[0], r[1])
  })
}

type Verdict = "on-time" | "late" | "pending"

/** The deadline of a run with `TimeLimit.deadline` (extensions only if approved by the deadline they extend). */
const deadlineOf = (f: Indicator.CaseFacts, run: Indicator.StepRun, asOf: DateTime.Utc): number => {
  const horizon = run.end ?? asOf.epochMillis
  const suspensions = f.suspensions
    .filter((s) => s.step === run.step && s.from < horizon && (s.to === null || s.to > run.start))
    .map((s) => ({ from: DateTime.unsafeMake(s.from), to: s.to === null ? null : DateTime.unsafeMake(s.to) }))
  const candidates = f.extensions
    .filter((x) => x.step === run.step && x.approvedAt >= run.start && x.approvedAt <= horizon)
    .sort((a, b) => a.approvedAt - b.approvedAt)
  const extensions: Array<WorkDuration.WorkDuration> = []
  const compute = () =>
    Either.getOrThrow(
      TimeLimit.deadline(
        TimeLimit.defaultPolicy,
        WorkingCalendar.china(),
        {
          categoryId: f.categoryId,
          urgency: f.urgency,
          step: run.step,
          startedAt: DateTime.unsafeMake(run.start),
          suspensions,
          extensions
        },
        asOf
      )
    ).deadline.epochMillis
  let deadline = compute()
  for (const x of candidates) {
    if (x.approvedAt > deadline) break
    extensions.push(x.amount)
    deadline = compute()
  }
  return deadline
}

const judge = (
  f: Indicator.CaseFacts,
  run: Indicator.StepRun,
  asOf: DateTime.Utc
): { verdict: Verdict; deadline: number } => {
  const deadline = deadlineOf(f, run, asOf)
  if (run.end !== null) return { verdict: run.end <= deadline ? "on-time" : "late", deadline }
  return { verdict: asOf.epochMillis > deadline ? "late" : "pending", deadline }
}

/** One case's observations, each in the period of its instant (Period.periodOf per observation). */
const naiveCase = (
  f: Indicator.CaseFacts,
  asOf: DateTime.Utc,
  isLocal: (handler: string, community: string) => boolean,
  at: (ms: number) => { counts: Counts; end: number }
): void => {
  const status = f.status
  if (f.acceptedAt !== null) {
    const { counts } = at(f.acceptedAt)
    if (status !== "voided" && status !== "merged") {
      bump(counts, "acceptance-closure", status === "closed" || status === "evaluated" ? 1 : 0, 1)
    }
    if (!f.selfHandled) bump(counts, "filing-accuracy", status === "voided" ? 0 : 1, 1)
  }
  const verdicts = f.runs.map((run) => judge(f, run, asOf))
  if (!f.selfHandled) {
    for (let i = 0; i < f.runs.length; i++) {
      const run = f.runs[i]
      const v = verdicts[i]
      if (run === undefined || v === undefined || run.step !== "filing" || v.verdict === "pending") break
      if (v.verdict === "late" || run.endedBy !== "escalated") {
        const ok = v.verdict === "on-time" ? 1 : 0
        const { counts } = at(v.verdict === "late" ? v.deadline : (run.end ?? 0))
        bump(counts, "on-time-filing", ok, 1)
        counts.hotline = {
          ...counts.hotline,
          due: counts.hotline.due + 1,
          responded: counts.hotline.responded + ok
        }
        break
      }
    }
  }
  for (const d of f.dispatches) bump(at(d.at).counts, "dispatch-accuracy", d.returnedAt === null ? 1 : 0, 1)
  // a voided or merged case is not due for handling or closure (DOMAIN §5)
  const gone = status === "voided" || status === "merged"
  // 处置率 counts cases (CJ/T 292): each case once, at its first handling run that is due
  for (let i = 0; i < f.runs.length && !gone; i++) {
    const run = f.runs[i]
    const v = verdicts[i]
    if (run === undefined || run.step !== "handling" || v === undefined) continue
    if (v.verdict === "on-time" && run.endedBy === "handled" && run.end !== null) {
      const { counts } = at(run.end)
      bump(counts, "handling", 1, 1)
      bump(counts, "on-time-handling", 1, 1)
      bump(counts, "rework", 0, 1)
      break
    }
    if (v.verdict === "late") {
      const { counts, end } = at(v.deadline)
      bump(counts, "handling", run.endedBy === "handled" && run.end !== null && run.end < end ? 1 : 0, 1)
      bump(counts, "on-time-handling", 0, 1)
      bump(counts, "rework", 0, 1)
      break
    }
  }
  // 返工率 counts reworked cases: once, at the first rework
  const firstRework = f.reworks[0]
  if (firstRework !== undefined && !gone) bump(at(firstRework).counts, "rework", 1, 0)
  if (f.acceptedAt !== null && !gone) {
    const accepted = f.acceptedAt
    for (let i = 0; i < f.runs.length; i++) {
      const run = f.runs[i]
      const v = verdicts[i]
      if (run === undefined || v === undefined) break
      if (run.step !== "evaluation") {
        if (v.verdict === "pending") break
        if (v.verdict === "late") {
          const { counts, end } = at(Math.max(v.deadline, accepted))
          bump(counts, "closure", f.firstClose !== null && f.firstClose.at < end ? 1 : 0, 1)
          bump(counts, "on-time-closure", 0, 1)
          break
        }
      }
      if (run.endedBy === "closed") {
        const { counts } = at(run.end ?? 0)
        bump(counts, "closure", 1, 1)
        bump(counts, "on-time-closure", 1, 1)
        break
      }
      if (
        run.endedBy === "rejected" ||
        run.endedBy === "voided" ||
        run.endedBy === "merged" ||
        run.end === null
      )
        break
    }
  }
  const fc = f.firstClose
  if (fc !== null) {
    const { counts } = at(fc.at)
    const self = fc.via === "self-handle"
    const local =
      self ||
      (fc.tier === "community" && fc.handlerUnitId !== null && isLocal(fc.handlerUnitId, f.communityId))
    bump(counts, "self-handled", self ? 1 : 0, 1)
    bump(counts, "closed-locally", local ? 1 : 0, 1)
    bump(counts, "closed-at-community", fc.tier === "community" ? 1 : 0, 1)
    bump(counts, "closed-at-street", fc.tier === "street" ? 1 : 0, 1)
    bump(counts, "closed-at-district", fc.tier === "district" ? 1 : 0, 1)
  }
  for (const e of f.evaluations) {
    const { counts } = at(e.at)
    const h = counts.hotline
    if (e.rating === "unreachable") counts.hotline = { ...h, unreachable: h.unreachable + 1 }
    else if (e.rating === "refused") counts.hotline = { ...h, refused: h.refused + 1 }
    else {
      const reopened = e.reopenedAt !== null
      bump(counts, "reopen", reopened ? 1 : 0, 1)
      counts.hotline = {
        ...h,
        resolved: h.resolved + (reopened ? 0 : 1),
        unresolved: h.unresolved + (reopened ? 1 : 0),
        satisfied: h.satisfied + (e.rating === "satisfied" ? 1 : 0),
        basicallySatisfied: h.basicallySatisfied + (e.rating === "basically-satisfied" ? 1 : 0),
        dissatisfied: h.dissatisfied + (e.rating === "dissatisfied" ? 1 : 0)
      }
    }
  }
}

type ByPeriod = Map<string, { counts: Counts; end: number }>

const naiveCases = (
  cases: Iterable<Indicator.CaseFacts>,
  asOf: DateTime.Utc,
  isLocal: (handler: string, community: string) => boolean
): ByPeriod => {
  const byPeriod: ByPeriod = new Map()
  const at = (ms: number) => {
    const period = Period.periodOf(DateTime.unsafeMake(ms), "month")
    const label = Period.label(period)
    let slot = byPeriod.get(label)
    if (slot === undefined) {
      slot = { counts: newCounts(), end: Period.end(period).epochMillis }
      byPeriod.set(label, slot)
    }
    return slot
  }
  for (const f of cases) naiveCase(f, asOf, isLocal, at)
  return byPeriod
}

type Output = Map<string, Map<string, Indicator.Indicators>>

/** Baseline 1: per (community, period) counts, then each unit adds the communities within it. */
const straightforward = (
  h: Hierarchy.Hierarchy,
  cases: ReadonlyArray<Indicator.CaseFacts>,
  asOf: DateTime.Utc
): Output => {
  const isLocal = (handler: string, community: string) => Hierarchy.isWithin(h, handler, community)
  const byCommunity = new Map<string, Array<Indicator.CaseFacts>>()
  for (const f of cases) {
    const list = byCommunity.get(f.communityId)
    if (list === undefined) byCommunity.set(f.communityId, [f])
    else list.push(f)
  }
  const perCommunity = new Map<string, ByPeriod>()
  for (const [community, list] of byCommunity) perCommunity.set(community, naiveCases(list, asOf, isLocal))
  const out: Output = new Map()
  for (const unit of Hierarchy.units(h)) {
    const sums = new Map<string, Counts>()
    for (const [community, byPeriod] of perCommunity) {
      if (!Hierarchy.isWithin(h, community, unit.id)) continue
      for (const [label, { counts }] of byPeriod) {
        const sum = sums.get(label) ?? newCounts()
        addCounts(sum, counts)
        sums.set(label, sum)
      }
    }
    if (sums.size > 0) out.set(unit.id, new Map([...sums].map(([label, c]) => [label, toIndicators(c)])))
  }
  return out
}

/** Baseline 2: for each unit, filter every case within it and compute from those. */
const filterPerUnit = (
  h: Hierarchy.Hierarchy,
  cases: ReadonlyArray<Indicator.CaseFacts>,
  asOf: DateTime.Utc
): Output => {
  const isLocal = (handler: string, community: string) => Hierarchy.isWithin(h, handler, community)
  const out: Output = new Map()
  for (const unit of Hierarchy.units(h)) {
    const mine = cases.filter((f) => Hierarchy.isWithin(h, f.communityId, unit.id))
    if (mine.length === 0) continue
    const byPeriod = naiveCases(mine, asOf, isLocal)
    out.set(unit.id, new Map([...byPeriod].map(([label, { counts }]) => [label, toIndicators(counts)])))
  }
  return out
}

const civicgrid = (h: Hierarchy.Hierarchy, facts: ReadonlyArray<Indicator.CaseFacts>, asOf: DateTime.Utc) => {
  const report = Either.getOrThrow(
    Indicator.compute({
      facts,
      hierarchy: h,
      timeLimits: TimeLimit.defaultPolicy,
      calendar: WorkingCalendar.china(),
      granularity: "month",
      asOf
    })
  )
  return { report, rows: report.rows() }
}

const check = (
  label: string,
  expected: Output,
  rows: ReadonlyArray<Indicator.Row>,
  unjudged: number
): void => {
  let cells = 0
  for (const row of rows) {
    const want = expected.get(row.unitId)?.get(row.label)
    if (want === undefined)
      throw new Error(`${label}: civicgrid has ${row.unitId} ${row.label}, the baseline has not`)
    for (const id of Indicator.ids) {
      const a = row.indicators[id]
      const b = want[id]
      if (a.numerator !== b.numerator || a.denominator !== b.denominator) {
        throw new Error(
          `${label}: ${row.unitId} ${row.label} ${id}: civicgrid ${a.numerator}/${a.denominator}, baseline ${b.numerator}/${b.denominator}`
        )
      }
    }
    cells++
  }
  let expectedCells = 0
  for (const byPeriod of expected.values()) expectedCells += byPeriod.size
  if (cells !== expectedCells || unjudged !== 0) {
    throw new Error(`${label}: ${cells} cells vs ${expectedCells} in the baseline, ${unjudged} unjudged`)
  }
  console.log(
    `  check: ${label} — ${cells.toLocaleString("en-US")} (unit, month) cells agree with the baseline`
  )
}

export default async () => {
  const w = world()
  const t0 = performance.now()
  const facts = generate(w)
  // judged at the last event of the input (early 2026): a few cases are still open then
  const asOf = DateTime.unsafeMake(facts.reduce((m, f) => Math.max(m, f.lastAt), 0))
  console.log(
    `\nIndicator bench: ${facts.length.toLocaleString("en-US")} case summaries generated in ${Math.round(performance.now() - t0)} ms; ` +
      `${Hierarchy.size(w.hierarchy).toLocaleString("en-US")} units`
  )
  const subset = facts.slice(0, SUBSET)

  // sanity: the baselines compute the same figures as civicgrid
  const full = civicgrid(w.hierarchy, facts, asOf)
  check(
    "1,000,000 cases, straightforward",
    straightforward(w.hierarchy, facts, asOf),
    full.rows,
    full.report.unjudged.length
  )
  const small = civicgrid(w.hierarchy, subset, asOf)
  check(
    "10,000 cases, filter per unit",
    filterPerUnit(w.hierarchy, subset, asOf),
    small.rows,
    small.report.unjudged.length
  )
  const root = full.rows.filter((r) => r.unitId === "D")
  const total = root.map((r) => r.indicators).reduce(Indicator.add, Indicator.empty)
  console.log(
    `  district, all months: 受理办结率 ${Ratio.format(total["acceptance-closure"])}, 按期结案率 ${Ratio.format(total["on-time-closure"])}, ` +
      `按期处置率 ${Ratio.format(total["on-time-handling"])}, 返工率 ${Ratio.format(total.rework)}, 满意率 ${Ratio.format(total.satisfaction)}, ` +
      `社区办结占比 ${Ratio.format(total["closed-at-community"])}; ${full.rows.length.toLocaleString("en-US")} rows`
  )

  compare({
    title: "Indicators: 1,000,000 case summaries, 10,000 units (5 levels), monthly",
    baseline: {
      name: "per case TimeLimit.deadline + Period.periodOf, sum per unit",
      run: () => straightforward(w.hierarchy, facts, asOf)
    },
    subject: { name: "Indicator.compute + rows()", run: () => civicgrid(w.hierarchy, facts, asOf).rows },
    runs: 3,
    items: N,
    itemLabel: "cases"
  })

  compare({
    title: "Indicators: 10,000-case subset (naive filter per unit is too slow for 1M), 10,000 units",
    baseline: {
      name: "for each unit: filter cases by Hierarchy.isWithin, compute",
      run: () => filterPerUnit(w.hierarchy, subset, asOf)
    },
    subject: { name: "Indicator.compute + rows()", run: () => civicgrid(w.hierarchy, subset, asOf).rows },
    runs: 3,
    items: SUBSET,
    itemLabel: "cases"
  })
  keep(facts.length)
}
