/**
 * 走访跟进 — a recorded visit's follow-ups opened through the use cases of
 * their kind (case → `CaseService.report`, problem → the problem list,
 * micro-wish → the `MicroWish` decider, proxy service → `handleService`),
 * idempotent by id (a retry or a racing opener gets what was opened), opened
 * by the visitor or staff of the household's jurisdiction only; and the
 * proactive-discovery share they feed.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import { type Actor, ActorId } from "../src/Actor.js"
import * as CaseRepository from "../src/CaseRepository.js"
import * as CaseService from "../src/CaseService.js"
import { GridId } from "../src/Grid.js"
import * as GridRepository from "../src/GridRepository.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as Household from "../src/Household.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as ListRepository from "../src/ListRepository.js"
import * as People from "../src/PeopleRepository.js"
import * as Period from "../src/Period.js"
import * as Staffing from "../src/Staffing.js"
import * as Text from "../src/Text.js"
import * as Unit from "../src/Unit.js"
import * as Visit from "../src/Visit.js"
import * as VisitFollowUp from "../src/VisitFollowUp.js"

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
const staff: Actor = { id: ActorId.make("cs-wang"), role: "community-staff", unitId: C }
const street: Actor = { id: ActorId.make("ss-li"), role: "street-staff", unitId: Unit.UnitId.make("s") }
const farStaff: Actor = { id: ActorId.make("cs-far"), role: "community-staff", unitId: C2 }
const resident: Actor = { id: ActorId.make("r-zhao"), role: "resident", unitId: C }
const department: Actor = { id: ActorId.make("dp"), role: "department", unitId: C }

const Stores = CaseService.layerSettingsFromRepositories({ timeToLive: 0 }).pipe(
  Layer.provideMerge(
    Layer.mergeAll(
      People.layerMemory(),
      GridRepository.layerMemory,
      ListRepository.layerMemory,
      CaseRepository.layerMemory({ units: rows })
    )
  ),
  Layer.provideMerge(HierarchyRepository.layerMemory)
)

const at = DateTime.unsafeMake("2024-09-09T02:30:00Z")
const later = DateTime.unsafeMake("2024-09-09T06:00:00Z")

const seed = Effect.gen(function* () {
  yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) => h.save(LevelScheme.FiveLevel, rows))
  const grids = yield* GridRepository.GridRepository
  yield* grids.putGrids([{ id: G, name: "第一网格", kind: "basic", communityId: C, buildingIds: [] }])
  yield* grids.putPeople([{ id: Staffing.PersonId.make("gw-ma"), name: "马某", partyMember: false }])
  yield* grids.assign([
    {
      personId: Staffing.PersonId.make("gw-ma"),
      role: "full-time-worker",
      target: { _tag: "Grid", gridId: G }
    }
  ])
  const people = yield* People.PeopleRepository
  yield* people.putHouseholds([
    {
      id: Household.HouseholdId.make("h101"),
      communityId: C,
      gridId: G,
      place: { _tag: "AtBuilding", buildingId: B3, door: "101" },
      label: "3号楼101",
      size: 1,
      tags: []
    }
  ])
  return yield* People.recordVisit({
    _tag: "RecordVisit",
    id: Visit.VisitId.make("v1"),
    householdId: Household.HouseholdId.make("h101"),
    visitor: gw,
    at,
    recordedAt: at,
    method: "phone",
    findings: "楼道堆物；想要收音机；医保报销",
    followUps: [
      { kind: "case", title: "楼道堆物", description: "纸箱堵塞通道" },
      { kind: "problem", title: "照明不足", description: "" },
      { kind: "micro-wish", title: "收音机", description: "独居老人" },
      { kind: "proxy-service", title: "医保报销", description: "" }
    ]
  })
}).pipe(Effect.orDie)

const september = Either.getOrThrow(Period.parse("2024-09"))

const open = (actor: Actor, index: number, details: VisitFollowUp.Details = {}) =>
  VisitFollowUp.open({ visitId: "v1", index, actor, at: later, details })

describe("VisitFollowUp", () => {
  it.effect("each kind opens through its use case, once; a retry answers what was opened", () =>
    Effect.gen(function* () {
      yield* seed
      const kase = yield* open(gw, 0, { categoryId: "SJ-0102" })
      expect(kase).toEqual({ visitId: "v1", index: 0, kind: "case", id: "v1-fu0", opened: true })
      expect(yield* open(staff, 0, { categoryId: "SJ-0102" })).toEqual({ ...kase, opened: false })
      const cases = yield* CaseRepository.CaseRepository
      const events = yield* cases.events("v1-fu0")
      expect(events.length).toBe(1)
      expect(events[0]).toMatchObject({ _tag: "Reported", source: "patrol", actor: gw, anonymous: true })

      const problem = yield* open(street, 1, { categoryId: "environment", tags: ["照明"] })
      expect(problem).toMatchObject({ kind: "problem", id: "v1-fu1", opened: true })
      const stored = yield* Effect.flatMap(ListRepository.ListRepository, (l) => l.problem("v1-fu1"))
      expect(stored).toMatchObject({
        unitId: B3,
        gridId: G,
        source: { _tag: "HouseholdVisit", gridWorkerId: street.id }
      })

      const wish = yield* open(gw, 2, { estimatedValue: 80 })
      expect(wish).toMatchObject({ kind: "micro-wish", opened: true })
      const lists = yield* ListRepository.ListRepository
      expect((yield* lists.wish("v1-fu2")).status).toBe("posted")

      // two openers at once: exactly one opens it
      const both = yield* Effect.all([open(gw, 3), open(staff, 3)], { concurrency: 2 })
      expect(both.map((o) => o.opened).sort()).toEqual([false, true])
      const service = yield* Effect.flatMap(People.PeopleRepository, (p) => p.service("v1-fu3"))
      expect(service).toMatchObject({ status: "accepted", source: "visit", visitId: "v1", version: 1 })

      // the case counts in the proactive-discovery share of its period
      const share = yield* People.proactiveDiscovery({
        within: "s",
        period: september
      })
      expect(share).toEqual({ numerator: 1, denominator: 1 })
      const none = yield* People.proactiveDiscovery({ within: "c2", period: september })
      expect(none).toEqual({ numerator: 0, denominator: 0 })
    }).pipe(Effect.provide(Stores))
  )

  it.effect("refusals are typed: who, which follow-up, what it needs; the use case's own rules", () =>
    Effect.gen(function* () {
      yield* seed
      // outside the jurisdiction, a resident, a department: the same answer as an unknown visit
      for (const who of [farStaff, resident, department]) {
        const e = yield* Effect.flip(open(who, 0, { categoryId: "SJ-0102" }))
        expect(e).toMatchObject({ _tag: "FollowUpRefused", rule: "visit", field: "visitId" })
      }
      expect(
        yield* Effect.flip(VisitFollowUp.open({ visitId: "nope", index: 0, actor: gw, at: later }))
      ).toMatchObject({ rule: "visit" })
      expect(yield* Effect.flip(open(gw, 4))).toMatchObject({ rule: "index", field: "index" })
      expect(yield* Effect.flip(open(gw, -1))).toMatchObject({ rule: "index" })
      const noCategory = yield* Effect.flip(open(gw, 0))
      expect(noCategory).toMatchObject({ rule: "details", field: "categoryId" })
      expect(noCategory.message).toContain("类别")
      expect(yield* Effect.flip(open(gw, 2))).toMatchObject({ rule: "details", field: "estimatedValue" })
      // the case's own rules: an unknown category is the routing refusal, nothing opened
      expect(yield* Effect.flip(open(gw, 0, { categoryId: "XX-9999" }))).toMatchObject({
        _tag: "RoutingFailed",
        field: "categoryId"
      })
      expect((yield* Effect.flatMap(CaseRepository.CaseRepository, (c) => c.events("v1-fu0"))).length).toBe(0)
      // the micro-wish's own rules: street staff may not post one
      expect(yield* Effect.flip(open(street, 2, { estimatedValue: 10 }))).toMatchObject({
        _tag: "MicroWishRefused",
        rule: "role"
      })
      // a problem category that is not configured
      expect(yield* Effect.flip(open(gw, 1, { categoryId: "no-such" }))).toMatchObject({
        _tag: "ProblemListInvalid"
      })
    }).pipe(Effect.provide(Stores))
  )

  it.prop(
    "followUpId: deterministic, fits an id, distinct for distinct visits and indexes",
    [
      FastCheck.string({ minLength: 1, maxLength: Text.limits.id }),
      FastCheck.string({ minLength: 1, maxLength: Text.limits.id }),
      FastCheck.nat(999),
      FastCheck.nat(999)
    ],
    ([a, b, i, j]) => {
      const id = VisitFollowUp.followUpId(a, i)
      expect(id).toBe(VisitFollowUp.followUpId(a, i))
      expect(id.length).toBeLessThanOrEqual(Text.limits.id)
      if (a !== b || i !== j) expect(VisitFollowUp.followUpId(b, j)).not.toBe(id)
    }
  )
})
