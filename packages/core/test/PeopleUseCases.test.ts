/**
 * The people use cases over the in-memory stores: "my visits due"
 * (`visitsDue`: the plans of my contacts, and contact-less plans in my
 * grids), `recordVisit` (the household in the visitor's jurisdiction, the
 * position against the visitor's grids, recorded once), `handleService`
 * (the decider with the expected version), `indicators`, and who audits.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { type Actor, ActorId } from "../src/Actor.js"
import * as ContactDuty from "../src/ContactDuty.js"
import { GridId } from "../src/Grid.js"
import * as GridRepository from "../src/GridRepository.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as Household from "../src/Household.js"
import * as Access from "../src/KeyGroupAccess.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as People from "../src/PeopleRepository.js"
import * as Period from "../src/Period.js"
import * as ProxyService from "../src/ProxyService.js"
import * as Staffing from "../src/Staffing.js"
import * as Unit from "../src/Unit.js"
import * as Visit from "../src/Visit.js"
import * as VisitPlan from "../src/VisitPlan.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const cal = WorkingCalendar.china()
const d = (s: string): LocalDate => LocalDate.make(s)
const C = Unit.UnitId.make("c")
const C2 = Unit.UnitId.make("c2")
const B3 = Unit.UnitId.make("b3")
const rows = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "区" }),
  Unit.make({ id: "s", parentId: "d", level: "street", name: "街道" }),
  Unit.make({ id: "c", parentId: "s", level: "community", name: "X社区" }),
  Unit.make({ id: "c2", parentId: "s", level: "community", name: "Y社区" }),
  Unit.make({ id: "b3", parentId: "c", level: "building", name: "3号楼" })
]
const G = GridId.make("g1")
const gw: Actor = { id: ActorId.make("gw-ma"), role: "grid-worker", unitId: C }
const gwOther: Actor = { id: ActorId.make("gw-li"), role: "grid-worker", unitId: C }
const gwFar: Actor = { id: ActorId.make("gw-far"), role: "grid-worker", unitId: C2 }
const home = (n: number): Household.Household => ({
  id: Household.HouseholdId.make(`h${n}`),
  communityId: C,
  gridId: G,
  place: { _tag: "AtBuilding", buildingId: B3, door: `${n}` },
  label: `3号楼${n}`,
  size: 1,
  tags: []
})
const contact = ContactDuty.ContactId.make("k-ma")
const weekly = { amount: 7, unit: "natural-days" } as const
const plan = (id: string, household: number, contactId?: ContactDuty.ContactId): VisitPlan.VisitPlan => ({
  id: VisitPlan.VisitPlanId.make(id),
  householdId: Household.HouseholdId.make(`h${household}`),
  every: weekly,
  startsOn: d("2024-09-02"),
  ...(contactId === undefined ? {} : { contactId })
})

const Stores = Layer.mergeAll(People.layerMemory(), GridRepository.layerMemory).pipe(
  Layer.provideMerge(HierarchyRepository.layerMemory)
)

const seed = Effect.gen(function* () {
  yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) => h.save(LevelScheme.FiveLevel, rows))
  const grids = yield* GridRepository.GridRepository
  yield* grids.putGrids([
    {
      id: G,
      name: "第一网格",
      kind: "basic",
      communityId: C,
      buildingIds: [],
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
  ])
  yield* grids.putPeople([{ id: Staffing.PersonId.make("gw-ma"), name: "马某", partyMember: false }])
  yield* grids.assign([
    {
      personId: Staffing.PersonId.make("gw-ma"),
      role: "full-time-worker",
      target: { _tag: "Grid", gridId: G }
    }
  ])
  const people = yield* People.PeopleRepository
  yield* people.putHouseholds([home(101), home(102), home(103)])
  yield* people.putContacts([
    {
      id: contact,
      kind: "grid-worker",
      duty: "households",
      label: "网格员 马某",
      communityId: C,
      actorId: gw.id
    },
    {
      id: ContactDuty.ContactId.make("k-li"),
      kind: "grid-worker",
      duty: "households",
      label: "网格员 李某",
      communityId: C,
      actorId: gwOther.id
    }
  ])
  yield* people.putLinks([{ contactId: contact, householdId: Household.HouseholdId.make("h101") }])
  yield* people.putPlans([
    plan("p101", 101, contact),
    plan("p102", 102),
    plan("p103", 103, ContactDuty.ContactId.make("k-li"))
  ])
}).pipe(Effect.orDie)

const at = DateTime.unsafeMake("2024-09-09T02:30:00Z")
const visit = (overrides: Partial<Visit.RecordVisit> = {}): Visit.RecordVisit => ({
  _tag: "RecordVisit",
  id: Visit.VisitId.make("v1"),
  householdId: Household.HouseholdId.make("h101"),
  planId: VisitPlan.VisitPlanId.make("p101"),
  visitor: gw,
  at,
  recordedAt: at,
  position: [87.605, 43.805],
  method: "home",
  findings: "老人需要办理高龄津贴",
  followUps: [],
  ...overrides
})

describe("people use cases", () => {
  it.effect("visits due → visit in the grid → proxy service done → indicators", () =>
    Effect.gen(function* () {
      yield* seed
      const dueOf = (actor: Actor) =>
        Effect.map(People.visitsDue(actor, d("2024-09-09"), cal), (a) => a.due.map((s) => s.planId))
      // mine: my contact's plan, and the contact-less plan of a household in my grid; not another contact's
      expect(yield* dueOf(gw)).toEqual(["p101", "p102"])
      expect(yield* dueOf(gwOther)).toEqual(["p103"])

      // outside the grid: refused naming the rule, nothing recorded
      const away = yield* Effect.flip(People.recordVisit(visit({ position: [87.7, 43.9] })))
      expect(away).toMatchObject({ _tag: "VisitRefused", rule: "position-outside-grid" })
      // a household outside the visitor's jurisdiction is not found
      const far = yield* Effect.flip(People.recordVisit(visit({ visitor: gwFar })))
      expect(far).toMatchObject({ _tag: "HouseholdNotFound", householdId: "h101" })
      const recorded = yield* People.recordVisit(visit())
      expect(recorded.positionCheck).toBe("inside")
      expect(yield* Effect.flip(People.recordVisit(visit()))).toMatchObject({ _tag: "VisitExists" })
      expect(yield* Effect.flatMap(People.PeopleRepository, (p) => p.visits())).toEqual([recorded])
      expect(yield* dueOf(gw)).toEqual(["p102"])

      // the follow-up: accepted → submitted → done, with the expected version
      const sid = ProxyService.ServiceId.make("ps1")
      const accepted = yield* People.handleService({
        command: {
          _tag: "Accept",
          serviceId: sid,
          actor: gw,
          at,
          householdId: home(101).id,
          householdUnitId: B3,
          communityId: C,
          matter: "高龄津贴申领",
          source: "visit",
          visitId: recorded.id
        }
      })
      expect([accepted.status, accepted.version]).toEqual(["accepted", 1])
      // a household is accepted for in its own community only: naming another community is not found
      const elsewhere0 = yield* Effect.flip(
        People.handleService({
          command: {
            _tag: "Accept",
            serviceId: ProxyService.ServiceId.make("ps-far"),
            actor: gwFar,
            at,
            householdId: home(101).id,
            householdUnitId: B3,
            communityId: C2,
            matter: "冒名代办",
            source: "walk-in"
          }
        })
      )
      expect(elsewhere0).toMatchObject({ _tag: "HouseholdNotFound", householdId: "h101" })
      // a service from a visit names a visit recorded at the household
      const noVisit = yield* Effect.flip(
        People.handleService({
          command: {
            _tag: "Accept",
            serviceId: ProxyService.ServiceId.make("ps-novisit"),
            actor: gw,
            at,
            householdId: home(102).id,
            householdUnitId: B3,
            communityId: C,
            matter: "高龄津贴申领",
            source: "visit",
            visitId: recorded.id
          }
        })
      )
      expect(noVisit).toMatchObject({ _tag: "VisitNotFound", visitId: "v1", householdId: "h102" })
      expect(yield* Effect.flatMap(People.PeopleRepository, (p) => p.serviceEvents("ps-far"))).toEqual([])
      const submit: ProxyService.Submit = {
        _tag: "Submit",
        serviceId: sid,
        actor: gw,
        at: DateTime.unsafeMake("2024-09-10T02:00:00Z"),
        office: "街道便民服务中心"
      }
      const stale = yield* Effect.flip(People.handleService({ command: submit, expectedVersion: 0 }))
      expect(stale).toMatchObject({
        _tag: "ServiceConcurrencyConflict",
        expectedVersion: 0,
        actualVersion: 1
      })
      expect((yield* People.handleService({ command: submit, expectedVersion: 1 })).status).toBe("submitted")
      const done = yield* People.handleService({
        command: {
          _tag: "Complete",
          serviceId: sid,
          actor: gw,
          at: DateTime.unsafeMake("2024-09-12T02:00:00Z"),
          result: "津贴已批准"
        },
        expectedVersion: 2
      })
      expect([done.status, done.version]).toEqual(["done", 3])
      const refused = yield* Effect.flip(
        People.handleService({
          command: { ...submit, at: DateTime.unsafeMake("2024-09-13T02:00:00Z") },
          expectedVersion: 3
        })
      )
      expect(refused).toMatchObject({ _tag: "ProxyServiceRefused", rule: "status" })

      const period = Either.getOrThrow(Period.parse("2024-09"))
      // as of 10 September: the dues of 9 September are judged — p101 met, p102 and p103 missed
      const values = yield* People.indicators({ within: C, period, asOf: d("2024-09-10"), calendar: cal })
      expect(values).toEqual({
        visits: 1,
        onTimeVisitRate: { numerator: 1, denominator: 3 },
        proxyClosureRate: { numerator: 1, denominator: 1 },
        unjudgedPlans: 0
      })
      const elsewhere = yield* People.indicators({ within: C2, period, calendar: cal })
      expect(elsewhere).toMatchObject({ visits: 0, proxyClosureRate: { numerator: 0, denominator: 0 } })
    }).pipe(Effect.provide(Stores))
  )

  it("the access log is read by district and street staff only", () => {
    const roles: ReadonlyArray<Actor["role"]> = [
      "resident",
      "grid-worker",
      "community-staff",
      "street-staff",
      "district-staff",
      "department",
      "hotline",
      "system"
    ]
    expect(roles.filter((role) => Access.mayAudit({ id: ActorId.make("a"), role, unitId: C }))).toEqual([
      "street-staff",
      "district-staff"
    ])
  })
})
