/**
 * 联户走访指标 — the seeds' figures as indicators: seed 000's 340 cadres ↔
 * 16,470 households (≈ 48.4 households per contact, coverage 100 %), seed 001's
 * 65,042 人次 of 入户走访 rolled up over 8 streets and 51 communities; on-time
 * visits against a plan, proxy-service closure and the proactive-discovery
 * share — each a ratio of counts, with "no data" for a zero denominator.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import { type Actor, ActorId } from "../src/Actor.js"
import * as Case from "../src/Case.js"
import * as CaseRepository from "../src/CaseRepository.js"
import * as ContactDuty from "../src/ContactDuty.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Household from "../src/Household.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Period from "../src/Period.js"
import * as ProxyService from "../src/ProxyService.js"
import * as Ratio from "../src/Ratio.js"
import * as Unit from "../src/Unit.js"
import * as Visit from "../src/Visit.js"
import * as VisitMetrics from "../src/VisitMetrics.js"
import * as VisitPlan from "../src/VisitPlan.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const cal = WorkingCalendar.china()
const d = (s: string): LocalDate => LocalDate.make(s)
const gw: Actor = { id: ActorId.make("gw-1"), role: "grid-worker", unitId: Unit.UnitId.make("c-1") }

const household = (id: string, building: string, community = "c-1"): Household.Household => ({
  id: Household.HouseholdId.make(id),
  communityId: Unit.UnitId.make(community),
  place: { _tag: "AtBuilding", buildingId: Unit.UnitId.make(building), door: id },
  label: id,
  size: 2,
  tags: []
})

const visit = (id: string, householdId: string, iso: string): Visit.Visit => ({
  id: Visit.VisitId.make(id),
  householdId: Household.HouseholdId.make(householdId),
  visitor: gw,
  at: DateTime.unsafeMake(iso),
  recordedAt: DateTime.unsafeMake(iso),
  method: "home",
  findings: "",
  followUps: [],
  positionCheck: "no-position"
})

describe("VisitMetrics — seed 000: 340 cadres ↔ 16,470 households", () => {
  const households = Array.from({ length: 16470 }, (_, i) => household(`h-${i}`, `b-${i % 60}`))
  const contacts = Array.from(
    { length: 340 },
    (_, k): ContactDuty.Contact => ({
      id: ContactDuty.ContactId.make(`cadre-${k}`),
      kind: "cadre",
      duty: "households",
      label: `干部${k}`,
      communityId: Unit.UnitId.make("c-1")
    })
  )
  const input: ContactDuty.Input = {
    households,
    contacts,
    links: households.map((h, i) => ({
      contactId: ContactDuty.ContactId.make(`cadre-${i % 340}`),
      householdId: h.id
    }))
  }
  const links = ContactDuty.links(input)

  it("households per contact ≈ 48.4 (16,470 / 340)", () => {
    const r = VisitMetrics.total(VisitMetrics.householdsPerContact(input, links))
    expect(r).toEqual({ numerator: 16470, denominator: 340 })
    expect(Option.map(Ratio.rate(r), (x) => x.toFixed(1))).toEqual(Option.some("48.4"))
  })

  it("contact coverage 100.0 %, and one unlinked household lowers it", () => {
    expect(Ratio.format(VisitMetrics.total(VisitMetrics.contactCoverage(input, links)))).toBe("100.0%")
    const partial = { ...input, links: input.links.slice(0, 16469) }
    const r = VisitMetrics.total(VisitMetrics.contactCoverage(partial, ContactDuty.links(partial)))
    expect(r).toEqual({ numerator: 16469, denominator: 16470 })
  })
})

describe("VisitMetrics — seed 001: 65,042 人次 over 8 streets, 51 communities", () => {
  const rows: Array<Unit.Unit> = [Unit.make({ id: "d", parentId: null, level: "district", name: "区" })]
  for (let s = 0; s < 8; s++)
    rows.push(Unit.make({ id: `s${s}`, parentId: "d", level: "street", name: `街道${s}` }))
  for (let c = 0; c < 51; c++) {
    rows.push(Unit.make({ id: `c${c}`, parentId: `s${c % 8}`, level: "community", name: `社区${c}` }))
    rows.push(Unit.make({ id: `b${c}`, parentId: `c${c}`, level: "building", name: `楼${c}` }))
  }
  const hierarchy = Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, rows))
  const households = Array.from({ length: 51 }, (_, c) => household(`h${c}`, `b${c}`, `c${c}`))
  const start = Date.UTC(2023, 0, 1)
  const visits = Array.from({ length: 65042 }, (_, i) =>
    visit(`v${i}`, `h${i % 51}`, new Date(start + (i % 300) * 86_400_000).toISOString())
  )
  const year = Period.ofDate(d("2023-06-01"), "quarter")

  it("visits are counted per unit and rolled up; the district holds them all", () => {
    const all = Array.from({ length: 4 }, (_, q) =>
      Period.shift(Period.ofDate(d("2023-01-01"), "quarter"), q)
    )
    const totals = all.map((p) =>
      VisitMetrics.rollupVisits(hierarchy, VisitMetrics.visitCounts(visits, households, p).byUnit)
    )
    expect(totals.reduce((sum, t) => sum + t.root, 0)).toBe(65042)
    const q2 = VisitMetrics.visitCounts(visits, households, year)
    const rolled = VisitMetrics.rollupVisits(hierarchy, q2.byUnit)
    const streets = Array.from({ length: 8 }, (_, s) => Option.getOrElse(rolled.get(`s${s}`), () => -1))
    expect(streets.reduce((a, b) => a + b, 0)).toBe(rolled.root)
    expect(q2.unknown).toBe(0)
  })
})

describe("VisitMetrics — on-time visits", () => {
  const plan: VisitPlan.VisitPlan = {
    id: VisitPlan.VisitPlanId.make("p-1"),
    householdId: Household.HouseholdId.make("h-1"),
    every: { amount: 7, unit: "natural-days" },
    startsOn: d("2024-09-02")
  }
  const days = [d("2024-09-06"), d("2024-09-16"), d("2024-09-20")]

  it("a due date is met by a visit since the last one; a missed one is followed an interval later", () => {
    const r = Either.getOrThrow(
      VisitMetrics.planOnTime(cal, plan, days, d("2024-09-01"), d("2024-09-30"), d("2024-10-01"))
    )
    expect(r.dues).toEqual([
      { dueOn: "2024-09-09", met: true },
      { dueOn: "2024-09-13", met: false },
      { dueOn: "2024-09-20", met: true },
      { dueOn: "2024-09-23", met: true },
      { dueOn: "2024-09-27", met: false }
    ])
    expect(Ratio.format(r.ratio, { counts: true })).toBe("60.0% (3/5)")
    // before the 27th is over, its due date is not yet missed
    const early = Either.getOrThrow(
      VisitMetrics.planOnTime(cal, plan, days, d("2024-09-01"), d("2024-09-30"), d("2024-09-25"))
    )
    expect(early.ratio).toEqual({ numerator: 3, denominator: 4 })
  })

  it("per unit over a period; no plans is no data, not 0 %", () => {
    const hs = [household("h-1", "b-1")]
    const vs = days.map((day, i) => visit(`v${i}`, "h-1", `${day}T02:00:00Z`))
    const sept = Period.ofDate(d("2024-09-10"), "month")
    const r = VisitMetrics.onTimeRate(cal, [plan], vs, hs, sept, d("2024-10-01"))
    expect(r.byUnit.get(Unit.UnitId.make("b-1"))).toEqual({ numerator: 3, denominator: 5 })
    expect(Ratio.format(VisitMetrics.total(VisitMetrics.onTimeRate(cal, [], vs, hs, sept).byUnit))).toBe(
      "无数据 no data"
    )
    const unloaded = VisitMetrics.onTimeRate(
      WorkingCalendar.empty,
      [{ ...plan, every: { amount: 5, unit: "working-days" } }],
      vs,
      hs,
      sept
    )
    expect(unloaded.unjudged).toEqual(["p-1"])
  })

  it.prop(
    "met ≤ due; every due date lies in the period and they ascend",
    [
      fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 20 }),
      fc.constantFrom<VisitPlan.VisitPlan["every"]>(
        { amount: 7, unit: "natural-days" },
        { amount: 5, unit: "working-days" },
        { amount: 1, unit: "months" }
      )
    ],
    ([offsets, every]) => {
      const visitDays = offsets.map((o) =>
        d(new Date(Date.UTC(2024, 0, 1) + o * 86_400_000).toISOString().slice(0, 10))
      )
      const r = Either.getOrThrow(
        VisitMetrics.planOnTime(
          cal,
          { ...plan, every, startsOn: d("2024-01-01") },
          visitDays,
          d("2024-02-01"),
          d("2024-03-31")
        )
      )
      expect(r.ratio.numerator).toBeLessThanOrEqual(r.ratio.denominator)
      expect(r.dues.every((x) => x.dueOn >= "2024-02-01" && x.dueOn <= "2024-03-31")).toBe(true)
      expect([...r.dues].map((x) => x.dueOn).sort()).toEqual(r.dues.map((x) => x.dueOn))
    }
  )
})

describe("VisitMetrics — proxy services and proactive discovery", () => {
  const C = Unit.UnitId.make("c-1")
  const service = (id: string, steps: number, cancel = false): ProxyService.ProxyService => {
    const at = (m: number) => DateTime.unsafeMake(Date.UTC(2024, 8, 1) + m * 60_000)
    const sid = ProxyService.ServiceId.make(id)
    const commands: Array<ProxyService.ProxyServiceCommand> = [
      {
        _tag: "Accept",
        serviceId: sid,
        actor: gw,
        at: at(0),
        householdId: Household.HouseholdId.make("h"),
        householdUnitId: C,
        communityId: C,
        matter: "居住证明",
        source: "walk-in"
      },
      { _tag: "Submit", serviceId: sid, actor: gw, at: at(1), office: "派出所" },
      { _tag: "Complete", serviceId: sid, actor: gw, at: at(2), result: "已开具" }
    ]
    let state = ProxyService.initial
    for (const c of commands.slice(0, steps)) state = Either.getOrThrow(ProxyService.execute(state, c)).state
    if (cancel)
      state = Either.getOrThrow(
        ProxyService.execute(state, {
          _tag: "Cancel",
          serviceId: sid,
          actor: gw,
          at: at(5),
          reason: "居民撤回"
        })
      ).state
    if (!ProxyService.isService(state)) throw new Error("no service")
    return state
  }

  it("closure: done ÷ accepted and not cancelled", () => {
    const r = VisitMetrics.proxyClosure([
      service("a", 3),
      service("b", 3),
      service("c", 2),
      service("d", 1, true)
    ])
    expect(r.get(C)).toEqual({ numerator: 2, denominator: 3 })
  })

  it("proactive discovery: visits and patrols ÷ all cases", () => {
    const r = VisitMetrics.proactiveShare([
      { unitId: C, source: "patrol", fromVisit: false },
      { unitId: C, source: "hotline", fromVisit: false },
      { unitId: C, source: "resident-app", fromVisit: true },
      { unitId: C, source: "open311", fromVisit: false }
    ])
    expect(Ratio.format(VisitMetrics.total(r))).toBe("50.0%")
  })

  it.prop(
    "the rollup's root adds every unit's counts",
    [fc.array(fc.tuple(fc.constantFrom("c-1", "c-2", "b-1"), fc.boolean()), { maxLength: 40 })],
    ([xs]) => {
      const rows = [
        Unit.make({ id: "d", parentId: null, level: "district", name: "区" }),
        Unit.make({ id: "s", parentId: "d", level: "street", name: "街道" }),
        Unit.make({ id: "c-1", parentId: "s", level: "community", name: "一" }),
        Unit.make({ id: "c-2", parentId: "s", level: "community", name: "二" }),
        Unit.make({ id: "b-1", parentId: "c-1", level: "building", name: "楼" })
      ]
      const h = Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, rows))
      const byUnit = VisitMetrics.proactiveShare(
        xs.map(([u, p]) => ({
          unitId: Unit.UnitId.make(u),
          source: p ? "patrol" : "hotline",
          fromVisit: false
        }))
      )
      const totals = VisitMetrics.rollup(h, byUnit)
      expect(totals.root).toEqual(VisitMetrics.total(byUnit))
      expect(totals.root.denominator).toBe(xs.length)
      expect(Option.getOrThrow(totals.get("c-1")).denominator).toBe(xs.filter(([u]) => u !== "c-2").length)
    }
  )
})

describe("VisitMetrics — proactive share from counts by source", () => {
  it.prop(
    "proactiveShareOfCounts of the counts by source is the total of proactiveShare over the same cases",
    [
      fc.array(
        fc.record({
          unitId: fc.constantFrom("c1", "c2", "b1").map((u) => Unit.UnitId.make(u)),
          source: fc.constantFrom(...Case.Source.literals)
        }),
        { maxLength: 40 }
      )
    ],
    ([cases]) => {
      const origins = cases.map((c) => ({ ...c, fromVisit: false }))
      const counts = CaseRepository.sourceCounts(cases.map((c) => [c.source, 1] as const))
      expect(VisitMetrics.proactiveShareOfCounts(counts)).toEqual(
        VisitMetrics.total(VisitMetrics.proactiveShare(origins))
      )
      expect(VisitMetrics.proactiveShareOfCounts(counts).denominator).toBe(cases.length)
    }
  )

  it("patrols are proactive, hotline calls are not; no cases is no data", () => {
    expect(
      VisitMetrics.proactiveShareOfCounts([
        { source: "hotline", count: 3 },
        { source: "patrol", count: 5 }
      ])
    ).toEqual({ numerator: 5, denominator: 8 })
    expect(VisitMetrics.proactiveShareOfCounts([])).toEqual(Ratio.empty)
  })
})
