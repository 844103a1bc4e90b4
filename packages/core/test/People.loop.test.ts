/**
 * 联户走访闭环 — the loop of issue 19 in the pure core: register key groups →
 * plan visits → check contact duties → "my visits due today" → record a visit
 * in the grid → its follow-up opens a proxy service that is accepted,
 * submitted and done → the indicators (on-time visits, closure, proactive
 * discovery) and the access log of the reads along the way.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { type Actor, ActorId } from "../src/Actor.js"
import * as ContactDuty from "../src/ContactDuty.js"
import { type Grid, GridId } from "../src/Grid.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Household from "../src/Household.js"
import * as KeyGroup from "../src/KeyGroup.js"
import * as Access from "../src/KeyGroupAccess.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Period from "../src/Period.js"
import * as ProxyService from "../src/ProxyService.js"
import * as Ratio from "../src/Ratio.js"
import * as Resident from "../src/Resident.js"
import * as Unit from "../src/Unit.js"
import * as Visit from "../src/Visit.js"
import * as VisitMetrics from "../src/VisitMetrics.js"
import * as VisitPlan from "../src/VisitPlan.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const cal = WorkingCalendar.china()
const d = (s: string): LocalDate => LocalDate.make(s)
const rows = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "区" }),
  Unit.make({ id: "s", parentId: "d", level: "street", name: "街道" }),
  Unit.make({ id: "c", parentId: "s", level: "community", name: "X社区" }),
  Unit.make({ id: "b3", parentId: "c", level: "building", name: "塔利公租房3号楼" })
]
const hierarchy = Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, rows))
const C = Unit.UnitId.make("c")
const G: Grid = {
  id: GridId.make("g1"),
  name: "第一网格",
  kind: "basic",
  communityId: C,
  buildingIds: [Unit.UnitId.make("b3")],
  boundary: {
    type: "Polygon",
    coordinates: [
      [
        [87.6, 43.8],
        [87.61, 43.8],
        [87.61, 43.81],
        [87.6, 43.81],
        [87.6, 43.8]
      ]
    ]
  }
}
const gw: Actor = { id: ActorId.make("gw-ma"), role: "grid-worker", unitId: C }
const staff: Actor = { id: ActorId.make("cs-1"), role: "community-staff", unitId: C }
const home = (n: number): Household.Household => ({
  id: Household.HouseholdId.make(`h${n}`),
  communityId: C,
  gridId: G.id,
  place: { _tag: "AtBuilding", buildingId: Unit.UnitId.make("b3"), door: `${n}` },
  label: `3号楼${n}`,
  size: 1,
  tags: ["公租房"]
})
const households = [home(101), home(102), home(201)]
const residents: Array<Resident.Resident> = [
  {
    id: Resident.ResidentId.make("r101"),
    householdId: Household.HouseholdId.make("h101"),
    name: "林永洪",
    phone: "13912345678"
  }
]
const enrolments: Array<KeyGroup.Enrolment> = [
  {
    id: KeyGroup.EnrolmentId.make("e1"),
    categoryId: KeyGroup.CategoryId.make("elderly-alone"),
    householdId: Household.HouseholdId.make("h101"),
    residentId: Resident.ResidentId.make("r101"),
    since: d("2024-09-01"),
    reason: "高龄独居，子女在外地",
    enrolledBy: staff.id
  }
]

describe("the loop: plan → visit → follow-up → indicator", () => {
  it("runs end to end in the core", () => {
    expect(
      KeyGroup.checkEnrolments(
        KeyGroup.defaultCatalogue,
        enrolments,
        households.map((h) => h.id)
      )
    ).toEqual([])

    // plan: the key household is visited every 7 days from 2 September
    const plan = Option.getOrThrow(
      VisitPlan.fromEnrolments(
        KeyGroup.defaultCatalogue,
        enrolments,
        Household.HouseholdId.make("h101"),
        VisitPlan.VisitPlanId.make("p1"),
        d("2024-09-02"),
        ContactDuty.ContactId.make("gw-ma")
      )
    )
    // contact duties: the grid worker covers every household; the plan satisfies "every key household has a plan"
    const contacts: Array<ContactDuty.Contact> = [
      {
        id: ContactDuty.ContactId.make("gw-ma"),
        kind: "grid-worker",
        duty: "households",
        label: "网格员 马某",
        communityId: C,
        actorId: gw.id
      }
    ]
    const input: ContactDuty.Input = {
      households,
      contacts,
      links: households.map((h) => ({
        contactId: contacts[0]?.id ?? ContactDuty.ContactId.make("?"),
        householdId: h.id
      })),
      keyHouseholds: KeyGroup.keyHouseholds(enrolments, d("2024-09-09")),
      plannedHouseholds: VisitPlan.plannedHouseholds([plan], d("2024-09-09"))
    }
    expect(ContactDuty.check(ContactDuty.defaultRules, input)).toEqual([])
    expect(
      ContactDuty.check(ContactDuty.defaultRules, { ...input, plannedHouseholds: [] }).map((v) => v.rule)
    ).toEqual(["key-household-without-plan"])

    // my visits due today (Monday 9 September): the first visit is due
    const today = VisitPlan.agenda(cal, [plan], new Map(), d("2024-09-09"))
    expect(today.due.map((s) => [s.householdId, s.dueOn, s.color])).toEqual([
      ["h101", "2024-09-09", "yellow"]
    ])

    // the grid worker reads the list (masked) for the visit — logged
    const list = Access.read(
      Access.defaultPolicy,
      KeyGroup.defaultCatalogue,
      hierarchy,
      gw,
      { categoryId: KeyGroup.CategoryId.make("elderly-alone"), unitId: C, purpose: "入户走访" },
      { households, residents, enrolments },
      {
        date: d("2024-09-09"),
        at: DateTime.unsafeMake("2024-09-09T01:00:00Z"),
        logId: Access.AccessLogId.make("log-1")
      }
    )
    expect(
      Either.isRight(list.result) &&
        list.result.right._tag === "Members" &&
        list.result.right.members[0]?.resident?.phone
    ).toBe("139****5678")
    expect(list.log).toMatchObject({ action: "read-members", householdIds: ["h101"], purpose: "入户走访" })

    // the visit, at the door, inside the grid, with a follow-up
    const at = DateTime.unsafeMake("2024-09-09T02:30:00Z")
    const visit = Either.getOrThrow(
      Visit.record(
        {
          _tag: "RecordVisit",
          id: Visit.VisitId.make("v1"),
          householdId: Household.HouseholdId.make("h101"),
          planId: plan.id,
          visitor: gw,
          at,
          recordedAt: at,
          position: [87.605, 43.805],
          method: "home",
          findings: "老人需要办理高龄津贴",
          followUps: [{ kind: "proxy-service", title: "高龄津贴申领", description: "" }]
        },
        { household: home(101), visitorGrids: [G], plan, calendar: cal }
      )
    )
    const [request] = Visit.followUpRequests(visit)
    if (request === undefined) throw new Error("no follow-up")

    // the proxy service: accepted → submitted → done
    const sid = ProxyService.ServiceId.make("ps1")
    let state = ProxyService.initial
    for (const command of [
      Visit.toProxyAccept(request, sid, home(101)),
      {
        _tag: "Submit",
        serviceId: sid,
        actor: gw,
        at: DateTime.unsafeMake("2024-09-10T02:00:00Z"),
        office: "街道便民服务中心"
      } as const,
      {
        _tag: "Complete",
        serviceId: sid,
        actor: gw,
        at: DateTime.unsafeMake("2024-09-20T02:00:00Z"),
        result: "已发放"
      } as const
    ])
      state = Either.getOrThrow(ProxyService.execute(state, command)).state
    if (!ProxyService.isService(state)) throw new Error("no service")
    expect([state.status, state.source, state.visitId]).toEqual(["done", "visit", "v1"])

    // indicators for September
    const sept = Period.ofDate(d("2024-09-01"), "month")
    const onTime = VisitMetrics.onTimeRate(cal, [plan], [visit], households, sept, d("2024-09-12"))
    expect(VisitMetrics.rollup(hierarchy, onTime.byUnit).get("d")).toEqual(
      Option.some({ numerator: 1, denominator: 1 })
    )
    expect(Ratio.format(VisitMetrics.total(VisitMetrics.proxyClosure([state])))).toBe("100.0%")
    expect(
      VisitMetrics.total(
        VisitMetrics.proactiveShare([{ unitId: C, source: state.source, fromVisit: state.visitId !== null }])
      )
    ).toEqual({ numerator: 1, denominator: 1 })
    expect(
      VisitMetrics.rollupVisits(hierarchy, VisitMetrics.visitCounts([visit], households, sept).byUnit).root
    ).toBe(1)

    // a week on without a second visit, the plan turns red
    const later = VisitPlan.agenda(cal, [plan], Visit.lastVisits(cal, [visit]), d("2024-09-17"))
    expect(later.due.map((s) => [s.dueOn, s.color, s.daysOverdue])).toEqual([["2024-09-16", "red", 1]])
  })
})
