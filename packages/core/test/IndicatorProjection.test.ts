/**
 * 指标投影 — the stored layout and the timeline of deltas (`IndicatorProjection`)
 * read back exactly what `Indicator.measure` computes in memory.
 *
 * Histories come from the shared generator `@civicgrid/testkit/CaseHistory`
 * (valid walks through the case loop, every command with every optional field
 * present or absent, from the command schemas — so `Evaluate.resolved` true
 * and false with every rating). Each case's timeline is summed in memory the
 * way a store sums it (deltas with `change ≤ asOf`, placed by `at`; the
 * conditional numerators only when `alt` lies before the end of the period),
 * read back with `IndicatorProjection.indicators`, and compared with
 * `Indicator.measure` ratio by ratio, with the unjudged cases. The calendar
 * knows 2024–2025 only and 特急 handling has no rule, so some cases are
 * unjudged.
 */
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { ActorId, DepartmentId } from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type { CaseCommand } from "../src/CaseCommand.js"
import type { CaseEvent } from "../src/CaseEvent.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Indicator from "../src/Indicator.js"
import * as IndicatorProjection from "../src/IndicatorProjection.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Period from "../src/Period.js"
import * as TimeLimit from "../src/TimeLimit.js"
import * as Unit from "../src/Unit.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

// -----------------------------------------------------------------------------
// the world
// -----------------------------------------------------------------------------

const world = CaseHistory.defaultWorld
const hierarchy = Either.getOrThrow(
  Hierarchy.make(
    LevelScheme.FiveLevel,
    world.units.map((x) => Unit.make({ id: x.id, parentId: x.parentId, level: x.level, name: x.name }))
  )
)
/** The default policy without a rule for 特急 handling: such runs are unjudged (NoTimeLimit). */
const policy: TimeLimit.TimeLimitPolicy = {
  rules: TimeLimit.defaultPolicy.rules.filter((r) => !(r.step === "handling" && r.urgency === "critical"))
}
/** 2024 and 2025 only: deadlines in 2026 are unjudged (YearNotLoaded). */
const calendar: WorkingCalendar.WorkingCalendar = {
  ...WorkingCalendar.china(),
  years: WorkingCalendar.china().years.filter((y) => y.year <= 2025)
}
const isLocal = (handler: string, community: string): boolean =>
  Hierarchy.isWithin(hierarchy, handler, community)
const contributor = Either.getOrThrow(Indicator.contributor({ timeLimits: policy, calendar, isLocal }))

const DAY = 86_400_000

// -----------------------------------------------------------------------------
// reading the deltas back, as a store does
// -----------------------------------------------------------------------------

interface Stored {
  readonly source: Case.Source
  readonly timeline: IndicatorProjection.CaseTimeline
}

const timelinesOf = (events: ReadonlyArray<CaseEvent>): ReadonlyArray<Stored> => {
  const byCase = new Map<string, Array<CaseEvent>>()
  for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e])
  return [...byCase.values()].flatMap((list) => {
    const h = Either.getOrThrow(Indicator.history(list))
    const report = h.events[0]
    if (report?._tag !== "Reported") return []
    return [
      {
        source: report.source,
        timeline: IndicatorProjection.timeline(contributor, h, Number.NEGATIVE_INFINITY)
      }
    ]
  })
}

interface Query {
  readonly asOf: number
  readonly granularity: Period.Granularity
  readonly options: Indicator.Options
}

/** Per period label, the indicators read back from the summed deltas. */
const readBack = (stored: ReadonlyArray<Stored>, q: Query): ReadonlyMap<string, Indicator.Indicators> => {
  const offset = q.options.utcOffsetMinutes ?? calendar.utcOffsetMinutes
  const hotlineSources = new Set<string>(q.options.hotlineSources ?? Case.Source.literals)
  const n = IndicatorProjection.columns.length
  const sums = new Map<string, { all: Float64Array; hotline: Float64Array }>()
  for (const { source, timeline } of stored) {
    for (const d of timeline.deltas) {
      if (d.change > q.asOf) continue
      const period = Period.periodOf(DateTime.unsafeMake(d.at), q.granularity, { utcOffsetMinutes: offset })
      // a conditional numerator counts only when its instant lies before the end of the period
      if (d.alt !== null && !(d.alt < Period.end(period).epochMillis)) continue
      const label = Period.label(period)
      let acc = sums.get(label)
      if (acc === undefined) {
        acc = { all: new Float64Array(n), hotline: new Float64Array(n) }
        sums.set(label, acc)
      }
      for (let k = 0; k < n; k++) {
        const v = d.values[k] ?? 0
        acc.all[k] = (acc.all[k] ?? 0) + v
        if (hotlineSources.has(source)) acc.hotline[k] = (acc.hotline[k] ?? 0) + v
      }
    }
  }
  return new Map([...sums].map(([label, s]) => [label, IndicatorProjection.indicators(s, q.options)]))
}

/** The unjudged records holding at asOf, per case. */
const unjudgedAt = (stored: ReadonlyArray<Stored>, asOf: number) => {
  const held = new Map<string, number>()
  for (const { timeline } of stored) {
    for (const u of timeline.unjudged) {
      if (u.change > asOf) continue
      const key = `${u.record.step}|${u.record.reason}|${u.record.indicators}`
      held.set(key, (held.get(key) ?? 0) + u.sign)
    }
  }
  return [...held]
    .filter(([, count]) => count > 0)
    .flatMap(([key, count]) => Array.from({ length: count }, () => key))
    .sort()
}

const encodeReason = Schema.encodeSync(IndicatorProjection.TimeLimitErrorJson)

const ratios = (m: Indicator.Indicators) =>
  Object.fromEntries(Indicator.ids.map((id) => [id, [m[id].numerator, m[id].denominator]]))

/** The read-back equals `Indicator.measure` period by period, and the unjudged cases agree. */
const check = (events: ReadonlyArray<CaseEvent>, stored: ReadonlyArray<Stored>, q: Query): void => {
  const measured = Either.getOrThrow(
    Indicator.measure({
      hierarchy,
      timeLimits: policy,
      calendar,
      granularity: q.granularity,
      asOf: DateTime.unsafeMake(q.asOf),
      options: { ...q.options, closureSteps: Indicator.defaultClosureSteps },
      events
    })
  )
  const back = readBack(stored, q)
  const fromCore = new Map(measured.periods.map((p) => [p.label, p.indicators]))
  for (const label of new Set([...fromCore.keys(), ...back.keys()])) {
    expect({ label, ...ratios(back.get(label) ?? Indicator.empty) }).toEqual({
      label,
      ...ratios(fromCore.get(label) ?? Indicator.empty)
    })
  }
  expect(unjudgedAt(stored, q.asOf)).toEqual(
    measured.unjudged.map((u) => `${u.step}|${encodeReason(u.reason)}|${u.indicators.join(",")}`).sort()
  )
}

const queries = fc.record({
  where: fc.double({ min: 0, max: 1, noNaN: true }),
  granularity: fc.constantFrom<Period.Granularity>("day", "week", "month", "quarter"),
  counting: fc.constantFrom<Indicator.Counting>("case", "round"),
  basicWeight: fc.constantFrom(1, 0.9),
  hotline: fc.boolean(),
  utc: fc.boolean()
})

// -----------------------------------------------------------------------------
// properties
// -----------------------------------------------------------------------------

describe("IndicatorProjection — the stored layout", () => {
  it("the stored columns are the core's count columns, in order, then one per conditional numerator", () => {
    const names = IndicatorProjection.columns.map((c) => c.name)
    expect(names.slice(0, Indicator.countColumns.length)).toEqual([...Indicator.countColumns])
    expect(IndicatorProjection.columns.filter((c) => c.kind === "conditional").length).toBe(3)
    expect(
      IndicatorProjection.columns
        .filter((c) => c.kind === "hotline")
        .map((c) => c.name.startsWith("hotline_"))
    ).toEqual(Array.from({ length: 9 }, () => true))
    expect(new Set(names).size).toBe(names.length)
    for (const name of names) expect(name).toMatch(/^[a-z][a-z_]*$/)
  })

  it.prop(
    "no compression: any counts, stored then read back, are the same counts — nothing is derived from another column",
    [
      fc.array(fc.nat({ max: 1000 }), {
        minLength: Indicator.countColumns.length,
        maxLength: Indicator.countColumns.length
      })
    ],
    ([counts]) => {
      const stored = IndicatorProjection.stored(counts)
      expect(Array.from(IndicatorProjection.toCounts({ all: stored, hotline: stored }))).toEqual(counts)
    }
  )

  it("a satisfied return visit where the resident says the problem is not resolved reads back 解决率 0 / 1, 满意率 1 / 1 (was a defect: 未解决 = 重办: 1 ≠ 0)", () => {
    const id = Case.CaseId.make("resolved-false")
    const t = Date.UTC(2025, 2, 3, 1, 0) // Monday 09:00 in Beijing
    const at = (minutes: number) => DateTime.unsafeMake(t + minutes * 60_000)
    const hotline = {
      id: ActorId.make("12345"),
      role: "hotline" as const,
      unitId: Unit.UnitId.make("d-panlong")
    }
    const staff = {
      id: ActorId.make("cs"),
      role: "community-staff" as const,
      unitId: Unit.UnitId.make("c-jinsha")
    }
    const dept = {
      id: ActorId.make("cg"),
      role: "department" as const,
      unitId: Unit.UnitId.make("d-panlong"),
      departmentId: DepartmentId.make("dept-chengguan")
    }
    const commands: ReadonlyArray<CaseCommand> = [
      {
        _tag: "Report",
        caseId: id,
        actor: hotline,
        at: at(0),
        source: "hotline",
        categoryId: CategoryId.make("市容环境.暴露垃圾"),
        urgency: "normal",
        description: "楼道堆放杂物",
        location: { unitId: Unit.UnitId.make("c-jinsha") },
        communityId: Unit.UnitId.make("c-jinsha"),
        tier: "community",
        anonymous: false
      },
      { _tag: "Accept", caseId: id, actor: staff, at: at(10) },
      {
        _tag: "Dispatch",
        caseId: id,
        actor: staff,
        at: at(20),
        target: { _tag: "Department", departmentId: dept.departmentId }
      },
      { _tag: "Handle", caseId: id, actor: dept, at: at(200), result: "已处置", evidence: ["photo://1.jpg"] },
      { _tag: "Verify", caseId: id, actor: staff, at: at(260), outcome: "pass" },
      { _tag: "Evaluate", caseId: id, actor: hotline, at: at(1500), rating: "satisfied", resolved: false }
    ]
    let state: Case.State = Case.initial
    const events: Array<CaseEvent> = []
    for (const command of commands) {
      const result = Either.getOrThrow(Case.execute(state, command))
      state = result.state
      events.push(...result.events)
    }
    const stored = timelinesOf(events)
    const asOf = t + 2 * DAY
    const back =
      readBack(stored, { asOf, granularity: "month", options: {} }).get("2025-03") ?? Indicator.empty
    expect([back.resolution.numerator, back.resolution.denominator]).toEqual([0, 1])
    expect([back.satisfaction.numerator, back.satisfaction.denominator]).toEqual([1, 1])
    expect([back.reopen.numerator, back.reopen.denominator]).toEqual([0, 1])
    check(events, stored, { asOf, granularity: "month", options: {} })
  })
})

describe("IndicatorProjection — the summed deltas read back Indicator.measure", () => {
  const generated = CaseHistory.histories({ cases: { min: 1, max: 8 } })

  it("the shared generator gives return visits with 是否解决 answered yes and no, and left out, with every valid rating", () => {
    const seen = new Set<string>()
    // smaller histories than the property's, sampled more: the same coverage at a fraction of the cost
    for (const h of fc.sample(CaseHistory.histories({ cases: { min: 1, max: 3 } }), {
      numRuns: 300,
      seed: 11
    })) {
      for (const e of h.events) {
        if (e._tag !== "Evaluated") continue
        seen.add(`${e.rating}:${e.resolved === undefined ? "-" : String(e.resolved)}`)
      }
    }
    for (const rating of ["satisfied", "basically-satisfied", "dissatisfied"] as const) {
      for (const answer of ["true", "false", "-"]) expect(seen).toContain(`${rating}:${answer}`)
    }
  }, 30_000)

  it.prop(
    "读回: at any asOf, granularity and options (counting case or round, k, hotline sources, UTC offset), the deltas summed and read back through IndicatorProjection equal Indicator.measure — every ratio, and the unjudged cases",
    [generated, queries],
    ([h, v]) => {
      const stored = timelinesOf(h.events)
      const instants = h.events.map((e) => e.at.epochMillis)
      if (instants.length === 0) return
      const first = Math.min(...instants)
      const last = Math.max(...instants)
      const options: Indicator.Options = {
        counting: v.counting,
        basicWeight: v.basicWeight,
        ...(v.hotline ? { hotlineSources: ["hotline", "resident-app"] as const } : {}),
        ...(v.utc ? { utcOffsetMinutes: 0 } : {})
      }
      for (const asOf of [last, Math.round(first + v.where * (last - first)), last + 30 * DAY]) {
        check(h.events, stored, { asOf, granularity: v.granularity, options })
      }
    },
    { fastCheck: { numRuns: 100 }, timeout: 60_000 }
  )
})

describe("counting options", () => {
  it.prop(
    "per case never counts more than per round: 应处置 and 返工 (cases ≤ rounds) over all periods",
    [CaseHistory.histories({ cases: { min: 1, max: 8 } })],
    ([h]) => {
      const total = (counting: Indicator.Counting) =>
        Either.getOrThrow(
          Indicator.measure({
            hierarchy,
            timeLimits: policy,
            calendar,
            granularity: "quarter",
            options: { counting },
            events: h.events
          })
        ).periods.reduce((acc, p) => Indicator.add(acc, p.indicators), Indicator.empty)
      const byCase = total("case")
      const byRound = total("round")
      expect(byCase.handling.denominator).toBeLessThanOrEqual(byRound.handling.denominator)
      expect(byCase.rework.numerator).toBeLessThanOrEqual(byRound.rework.numerator)
      // a case is due once: no more than the cases that had a handling run
      const cases = new Set(h.events.filter((e) => e._tag === "Dispatched").map((e) => e.caseId))
      expect(byCase.handling.denominator).toBeLessThanOrEqual(cases.size)
      expect(byCase.rework.numerator).toBeLessThanOrEqual(cases.size)
    },
    // 100 generated districts of up to 8 case histories each (about 3,000 events): seconds of generation,
    // more on a loaded machine — a budget, not a speed target
    { timeout: 30_000 }
  )
})
