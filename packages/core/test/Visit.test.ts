/**
 * 走访计划与入户走访 — visit plans on the working calendar (due dates, timer
 * lights, "my visits due today"), visits checked for who, when and where (the
 * position against the visitor's grid), and follow-ups that open a proxy
 * service or a micro-wish.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import { type Actor, ActorId, type Role } from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CaseId } from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type { Grid } from "../src/Grid.js"
import { GridId } from "../src/Grid.js"
import * as Household from "../src/Household.js"
import * as KeyGroup from "../src/KeyGroup.js"
import * as MicroWish from "../src/MicroWish.js"
import * as ProxyService from "../src/ProxyService.js"
import { UnitId } from "../src/Unit.js"
import * as Visit from "../src/Visit.js"
import * as VisitPlan from "../src/VisitPlan.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const cal = WorkingCalendar.china()
const d = (s: string): LocalDate => LocalDate.make(s)
const C = UnitId.make("c-tali")
const H = Household.HouseholdId.make("h-1")
const household: Household.Household = {
  id: H,
  communityId: C,
  gridId: GridId.make("g-1"),
  place: { _tag: "AtBuilding", buildingId: UnitId.make("b-3"), door: "2单元201" },
  label: "塔利公租房3号楼2单元201",
  size: 1,
  tags: ["公租房"]
}
const square = (id: string, lon: number, lat: number, size = 0.01): Grid => ({
  id: GridId.make(id),
  name: id,
  kind: "basic",
  communityId: C,
  buildingIds: [],
  boundary: {
    type: "Polygon",
    coordinates: [
      [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat]
      ]
    ]
  }
})
const g1 = square("g-1", 102.7, 25.0)
const person = (id: string, role: Role, unitId: UnitId = C): Actor => ({ id: ActorId.make(id), role, unitId })
const gw = person("gw-1", "grid-worker")

const plan = (every: KeyGroup.VisitInterval, startsOn = "2024-09-02"): VisitPlan.VisitPlan => ({
  id: VisitPlan.VisitPlanId.make("p-1"),
  householdId: H,
  every,
  startsOn: d(startsOn)
})

describe("VisitPlan — due dates on the working calendar", () => {
  it("working days skip the National Day holiday; months clamp to the month's end", () => {
    // 2024-09-30 (Mon) + 1 working day: 10-01..10-07 are holidays → 2024-10-08
    expect(VisitPlan.dueAfter(cal, { amount: 1, unit: "working-days" }, d("2024-09-30"))).toEqual(
      Either.right("2024-10-08")
    )
    expect(VisitPlan.dueAfter(cal, { amount: 7, unit: "natural-days" }, d("2024-09-30"))).toEqual(
      Either.right("2024-10-07")
    )
    expect(VisitPlan.dueAfter(cal, { amount: 1, unit: "months" }, d("2024-01-31"))).toEqual(
      Either.right("2024-02-29")
    )
    expect(VisitPlan.dueAfter(cal, { amount: 12, unit: "months" }, d("2024-12-15"))).toEqual(
      Either.right("2025-12-15")
    )
  })

  it("a year not loaded is refused, never treated as weekdays", () => {
    const r = VisitPlan.dueAfter(WorkingCalendar.empty, { amount: 5, unit: "working-days" }, d("2024-09-02"))
    expect(Either.isLeft(r) && r.left._tag).toBe("YearNotLoaded")
  })

  it("the light: green, yellow from 80 %, red past the due date", () => {
    const p = plan({ amount: 10, unit: "natural-days" })
    const at = (today: string) => Either.getOrThrow(VisitPlan.status(cal, p, d("2024-09-02"), d(today)))
    expect([at("2024-09-09").color, at("2024-09-09").fraction]).toEqual(["green", 0.7])
    expect(at("2024-09-10").color).toBe("yellow")
    expect([at("2024-09-12").color, at("2024-09-12").overdue]).toEqual(["yellow", false])
    expect([at("2024-09-14").color, at("2024-09-14").overdue, at("2024-09-14").daysOverdue]).toEqual([
      "red",
      true,
      2
    ])
  })

  it("my visits due today: overdue first, plans not yet due left out", () => {
    const plans = [
      {
        ...plan({ amount: 7, unit: "natural-days" }),
        id: VisitPlan.VisitPlanId.make("p-a"),
        householdId: Household.HouseholdId.make("h-a")
      },
      {
        ...plan({ amount: 1, unit: "months" }),
        id: VisitPlan.VisitPlanId.make("p-b"),
        householdId: Household.HouseholdId.make("h-b")
      },
      {
        ...plan({ amount: 5, unit: "working-days" }),
        id: VisitPlan.VisitPlanId.make("p-c"),
        householdId: Household.HouseholdId.make("h-c")
      }
    ]
    const last = new Map([[Household.HouseholdId.make("h-c"), d("2024-09-09")]])
    const { due, unjudged } = VisitPlan.agenda(cal, plans, last, d("2024-09-16"))
    expect(unjudged).toEqual([])
    expect(due.map((s) => [s.planId, s.dueOn, s.color])).toEqual([
      ["p-a", "2024-09-09", "red"],
      // 5 working days after Mon 09-09: Sat 09-14 is a make-up working day (调休) for 中秋 09-15..17
      ["p-c", "2024-09-14", "red"]
    ])
  })

  it.prop(
    "agenda counts: due = due today + overdue = green + yellow + red, matching the agenda's rows",
    [
      fc.array(
        fc.record({
          every: fc.record({
            amount: fc.integer({ min: 1, max: 30 }),
            unit: fc.constantFrom("natural-days" as const, "working-days" as const, "months" as const)
          }),
          startsOn: fc.integer({ min: 0, max: 60 }),
          lastVisit: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined })
        }),
        { maxLength: 30 }
      ),
      fc.integer({ min: 0, max: 120 })
    ],
    ([specs, todayOffset]) => {
      const day = (n: number) => d(new Date(Date.UTC(2024, 8, 2 + n)).toISOString().slice(0, 10))
      const plans = specs.map(
        (x, i): VisitPlan.VisitPlan => ({
          id: VisitPlan.VisitPlanId.make(`p-${i}`),
          householdId: Household.HouseholdId.make(`h-${i}`),
          every: x.every,
          startsOn: day(x.startsOn)
        })
      )
      const last = new Map(
        specs.flatMap((x, i) =>
          x.lastVisit === undefined ? [] : [[Household.HouseholdId.make(`h-${i}`), day(x.lastVisit)] as const]
        )
      )
      const today = day(todayOffset)
      const agenda = VisitPlan.agenda(cal, plans, last, today)
      const counts = VisitPlan.agendaCounts(agenda, today)
      expect(counts.due).toBe(agenda.due.length)
      expect(counts.dueToday + counts.overdue).toBe(counts.due)
      expect(counts.green + counts.yellow + counts.red).toBe(counts.due)
      expect(counts.overdue).toBe(agenda.due.filter((s) => s.dueOn < today).length)
      expect(counts.red).toBeGreaterThanOrEqual(counts.overdue)
      expect(counts.unjudged).toBe(agenda.unjudged.length)
    }
  )

  it("a plan from a household's enrolments takes the shortest interval", () => {
    const e: KeyGroup.Enrolment = {
      id: KeyGroup.EnrolmentId.make("e-1"),
      categoryId: KeyGroup.CategoryId.make("elderly-alone"),
      householdId: H,
      since: d("2024-01-01"),
      reason: "高龄独居",
      enrolledBy: gw.id
    }
    const p = VisitPlan.fromEnrolments(
      KeyGroup.defaultCatalogue,
      [e],
      H,
      VisitPlan.VisitPlanId.make("p"),
      d("2024-09-02")
    )
    expect(Option.map(p, (x) => x.every)).toEqual(Option.some({ amount: 7, unit: "natural-days" }))
  })

  it.prop(
    "due dates come after the date counted from; the light is red exactly when overdue",
    [Arbitrary.make(VisitPlan.VisitPlan), fc.integer({ min: 0, max: 400 })],
    ([p, offset]) => {
      const today = d(new Date(Date.parse(p.startsOn) + offset * 86_400_000).toISOString().slice(0, 10))
      const s = VisitPlan.status(cal, p, null, today)
      if (Either.isLeft(s)) return // beyond the loaded years
      expect(s.right.dueOn > s.right.countedFrom).toBe(true)
      expect(s.right.color === "red").toBe(s.right.overdue)
      expect(s.right.overdue).toBe(today > s.right.dueOn)
    }
  )
})

describe("Visit — record", () => {
  const T = DateTime.unsafeMake(Date.UTC(2024, 8, 10, 2, 0))
  const cmd = (over: Partial<Omit<Visit.RecordVisit, "_tag">> = {}): Visit.RecordVisit => ({
    _tag: "RecordVisit",
    id: Visit.VisitId.make("v-1"),
    householdId: H,
    visitor: gw,
    at: T,
    recordedAt: T,
    position: [102.705, 25.005],
    method: "home",
    findings: "老人身体尚可，反映楼道灯不亮",
    followUps: [
      { kind: "problem", title: "楼道灯不亮", description: "3号楼2单元" },
      { kind: "proxy-service", title: "高龄津贴申领代办", description: "" },
      { kind: "micro-wish", title: "一台收音机", description: "老人想听戏" }
    ],
    ...over
  })
  const ctx: Visit.Context = { household, visitorGrids: [g1] }

  it("a home visit inside the visitor's grid is recorded", () => {
    const r = Visit.record(cmd(), ctx)
    expect(Either.isRight(r) && r.right.positionCheck).toBe("inside")
  })

  it("a position a little outside is accepted within the tolerance, far outside refused", () => {
    const near = Visit.record(cmd({ position: [102.7101, 25.005] }), ctx)
    expect(Either.isRight(near) && near.right.positionCheck).toBe("near")
    const far = Visit.record(cmd({ position: [102.8, 25.005] }), ctx)
    expect(Either.isLeft(far) && far.left.violations.map((v) => [v.rule, v.field])).toEqual([
      ["position-outside-grid", "position"]
    ])
    // a phone visit does not need to be in the grid
    const phone = Visit.record(cmd({ method: "phone", position: [102.8, 25.005] }), ctx)
    expect(Either.isRight(phone) && phone.right.positionCheck).toBe("outside")
  })

  it("every broken rule is listed", () => {
    const { position: _, ...withoutPosition } = cmd({
      householdId: Household.HouseholdId.make("h-9"),
      visitor: person("hot-1", "hotline"),
      recordedAt: DateTime.unsafeMake(Date.UTC(2024, 8, 9)),
      followUps: [{ kind: "case", title: " ", description: "" }]
    })
    const r = Visit.record(withoutPosition, ctx)
    expect(Either.isLeft(r) && r.left.violations.map((v) => v.rule)).toEqual([
      "household",
      "visitor",
      "future",
      "follow-up-title",
      "position-required"
    ])
  })

  it("a linked contact of any role may visit; staff of another community may not", () => {
    const cadre = person("cadre-7", "street-staff", UnitId.make("s-1"))
    const viaLink = Visit.record(cmd({ visitor: cadre }), { ...ctx, contactActorIds: [cadre.id] })
    expect(Either.isRight(viaLink)).toBe(true)
    const other = Visit.record(cmd({ visitor: person("gw-9", "grid-worker", UnitId.make("c-9")) }), ctx)
    expect(Either.isLeft(other) && other.left.rule).toBe("jurisdiction")
  })

  it("follow-ups open a proxy service and a micro-wish that their deciders accept", () => {
    const visit = Either.getOrThrow(Visit.record(cmd(), ctx))
    const requests = Visit.followUpRequests(visit)
    expect(requests.map((r) => r.kind)).toEqual(["problem", "proxy-service", "micro-wish"])
    const [, proxy, wish] = requests
    if (proxy === undefined || wish === undefined) throw new Error("missing follow-ups")
    const accepted = ProxyService.decide(
      Visit.toProxyAccept(proxy, ProxyService.ServiceId.make("ps-1"), household),
      ProxyService.initial
    )
    expect(Either.isRight(accepted) && accepted.right[0]).toMatchObject({
      source: "visit",
      visitId: "v-1",
      matter: "高龄津贴申领代办"
    })
    const posted = MicroWish.decide(
      Visit.toMicroWishPost(wish, MicroWish.WishId.make("w-1"), household, 80),
      MicroWish.initial
    )
    expect(Either.isRight(posted) && posted.right[0]).toMatchObject({
      title: "一台收音机",
      household: { label: household.label }
    })
  })

  it("follow-ups open a problem-list entry and a case report that the case decider accepts", () => {
    const visit = Either.getOrThrow(Visit.record(cmd(), ctx))
    const [problem] = Visit.followUpRequests(visit)
    if (problem === undefined) throw new Error("missing follow-up")
    const entry = Visit.toProblem(problem, "pb-1", household, "property-management")
    expect(entry).toMatchObject({
      unitId: "b-3",
      gridId: "g-1",
      source: { _tag: "HouseholdVisit", gridWorkerId: "gw-1" },
      description: "楼道灯不亮：3号楼2单元",
      status: "open"
    })
    const report = Visit.toCaseReport(
      problem,
      CaseId.make("case-1"),
      household,
      CategoryId.make("0101"),
      "normal",
      visit.position
    )
    const events = Case.decide(report, Case.initial)
    expect(Either.isRight(events) && events.right[0]).toMatchObject({
      _tag: "Reported",
      source: "patrol",
      communityId: C
    })
  })

  it.prop(
    "a home or outdoor visit is refused exactly when its position is outside the visitor's grid beyond the tolerance",
    [
      fc.double({ min: 102.69, max: 102.72, noNaN: true }),
      fc.double({ min: 24.99, max: 25.02, noNaN: true }),
      Arbitrary.make(Visit.Method)
    ],
    ([lon, lat, method]) => {
      const r = Visit.record(cmd({ position: [lon, lat], method }), ctx)
      // metres outside the square g-1 = [102.70, 102.71] × [25.00, 25.01] (equirectangular, as PointLocation)
      const dx = Math.max(102.7 - lon, 0, lon - 102.71) * 111_195 * Math.cos((25.005 * Math.PI) / 180)
      const dy = Math.max(25.0 - lat, 0, lat - 25.01) * 111_195
      const meters = Math.hypot(dx, dy)
      if (Math.abs(meters - Visit.defaultToleranceMeters) < 1) return // too close to call at the edge
      const refused = Either.isLeft(r) && r.left.violations.some((v) => v.rule === "position-outside-grid")
      expect(refused).toBe(
        (method === "home" || method === "outdoor") && meters > Visit.defaultToleranceMeters
      )
      if (Either.isRight(r))
        expect(r.right.positionCheck).toBe(
          meters === 0 ? "inside" : meters <= Visit.defaultToleranceMeters ? "near" : "outside"
        )
    }
  )

  it("last visits: the latest local date per household", () => {
    const a = Either.getOrThrow(Visit.record(cmd(), ctx))
    const b = { ...a, at: DateTime.unsafeMake(Date.UTC(2024, 8, 12, 17, 0)) } // 01:00 on the 13th in Beijing
    expect([...Visit.lastVisits(cal, [b, a])]).toEqual([[H, "2024-09-13"]])
  })

  it.prop(
    "any generated visit command is answered with a visit or a refusal naming its rules",
    [Arbitrary.make(Visit.RecordVisit)],
    ([c]) => {
      const r = Visit.record(c, { household: { ...household, id: c.householdId }, visitorGrids: [g1] })
      if (Either.isLeft(r)) expect(r.left.rule).toBe(r.left.violations[0]?.rule)
      else expect(r.right.id).toBe(c.id)
    }
  )
})
