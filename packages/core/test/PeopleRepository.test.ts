/**
 * 联户走访仓库 — the shared checks (`checkServiceAppend`, `checkVisitIds`,
 * `checkHouseholdWrite`, `checkEnrolmentWrite`) and the in-memory store:
 * refusals write nothing, member reads append their log entry (refused
 * reads too), a repeated log id is a defect that leaves the log unchanged.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { type Actor, ActorId } from "../src/Actor.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as Household from "../src/Household.js"
import * as KeyGroup from "../src/KeyGroup.js"
import * as Access from "../src/KeyGroupAccess.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as People from "../src/PeopleRepository.js"
import * as ProxyService from "../src/ProxyService.js"
import * as Resident from "../src/Resident.js"
import * as Unit from "../src/Unit.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const rows = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "区" }),
  Unit.make({ id: "s", parentId: "d", level: "street", name: "街道" }),
  Unit.make({ id: "c", parentId: "s", level: "community", name: "社区" }),
  Unit.make({ id: "c2", parentId: "s", level: "community", name: "社区2" }),
  Unit.make({ id: "b", parentId: "c", level: "building", name: "1号楼" })
]
const C = Unit.UnitId.make("c")
const staff: Actor = { id: ActorId.make("cs-1"), role: "community-staff", unitId: C }
const at = (h: number) => DateTime.unsafeMake(Date.UTC(2024, 8, 10, h))
const notFound = (unitId: string) => new Hierarchy.UnitNotFound({ unitId })
const home: Household.Household = {
  id: Household.HouseholdId.make("h1"),
  communityId: C,
  place: { _tag: "AtBuilding", buildingId: Unit.UnitId.make("b"), door: "101" },
  label: "1号楼101",
  size: 1,
  tags: []
}
const accept = (serviceId: string, communityId = C): ProxyService.Accept => ({
  _tag: "Accept",
  serviceId: ProxyService.ServiceId.make(serviceId),
  actor: staff,
  at: at(1),
  householdId: home.id,
  householdUnitId: Unit.UnitId.make("b"),
  communityId,
  matter: "低保年审",
  source: "walk-in"
})
const events = (serviceId: string) =>
  Either.getOrThrow(ProxyService.execute(ProxyService.initial, accept(serviceId))).events

describe("PeopleRepository checks", () => {
  it("checkServiceAppend: the expected version, the service's own events, a known community", () => {
    const units = new Set(["c"])
    const base = { serviceId: "ps1", stored: [], units, notFound }
    expect(People.checkServiceAppend({ ...base, expectedVersion: 0, events: events("ps1") })).toMatchObject(
      Either.right({ version: 1 })
    )
    expect(People.checkServiceAppend({ ...base, expectedVersion: 1, events: events("ps1") })).toMatchObject(
      Either.left({ _tag: "ServiceConcurrencyConflict", expectedVersion: 1, actualVersion: 0 })
    )
    expect(People.checkServiceAppend({ ...base, expectedVersion: 0, events: events("ps2") })).toMatchObject(
      Either.left({ _tag: "ProxyServiceReplayError", index: 0 })
    )
    expect(
      People.checkServiceAppend({ ...base, units: new Set(), expectedVersion: 0, events: events("ps1") })
    ).toMatchObject(Either.left({ _tag: "UnitNotFound", unitId: "c" }))
  })

  it("checkVisitIds and checkHouseholdWrite report the first problem in id order", () => {
    expect(People.checkVisitIds([{ id: "v2" }, { id: "v3" }, { id: "v2" }], new Set(["v3"]))).toMatchObject(
      Either.left({ _tag: "VisitExists", visitId: "v2" })
    )
    expect(People.checkVisitIds([{ id: "v1" }], new Set())).toEqual(Either.void)
    expect(People.checkHouseholdWrite([home], new Set(["c"]), notFound)).toMatchObject(
      Either.left({ _tag: "UnitNotFound", unitId: "b" })
    )
    expect(People.checkHouseholdWrite([home, home], new Set(["c", "b"]), notFound)).toMatchObject(
      Either.left({ _tag: "HouseholdsInvalid" })
    )
  })
})

describe("PeopleRepository.layerMemory", () => {
  const layer = People.layerMemory().pipe(Layer.provideMerge(HierarchyRepository.layerMemory))
  const resident: Resident.Resident = {
    id: Resident.ResidentId.make("r1"),
    householdId: home.id,
    name: "林永洪",
    phone: "13812345678"
  }
  const enrolment: KeyGroup.Enrolment = {
    id: KeyGroup.EnrolmentId.make("e1"),
    categoryId: KeyGroup.CategoryId.make("elderly-alone"),
    householdId: home.id,
    residentId: resident.id,
    since: LocalDate.make("2024-01-01"),
    reason: "高龄独居",
    enrolledBy: staff.id
  }
  const context = (id: string) => ({
    date: LocalDate.make("2024-09-10"),
    at: at(2),
    logId: Access.AccessLogId.make(id)
  })
  const request = (unitId: string): Access.ReadRequest => ({
    categoryId: enrolment.categoryId,
    unitId: Unit.UnitId.make(unitId),
    purpose: "入户走访"
  })

  it.effect(
    "refusals write nothing; every member read is logged, refused ones too; a repeated log id is a defect",
    () =>
      Effect.gen(function* () {
        yield* (yield* HierarchyRepository.HierarchyRepository).save(LevelScheme.FiveLevel, rows)
        const repo = yield* People.PeopleRepository
        yield* repo.putHouseholds([home])
        expect(
          yield* Effect.flip(
            repo.putResidents([{ ...resident, householdId: Household.HouseholdId.make("h9") }])
          )
        ).toMatchObject({
          _tag: "HouseholdNotFound"
        })
        yield* repo.putResidents([resident])
        const refused = yield* Effect.flip(
          repo.putEnrolments([enrolment, { ...enrolment, id: KeyGroup.EnrolmentId.make("e2"), reason: " " }])
        )
        expect(refused._tag === "KeyGroupEnrolmentsInvalid" && refused.violations.map((v) => v.rule)).toEqual(
          ["reason-required", "overlap"]
        )
        yield* repo.putEnrolments([enrolment])
        const read = yield* repo.readMembers(staff, request("c"), context("l1"))
        expect(read._tag === "Members" && read.members.map((m) => m.resident?.phone)).toEqual(["13812345678"])
        const denied = yield* Effect.flip(repo.readMembers(staff, request("c2"), context("l2")))
        expect(denied).toMatchObject({ _tag: "KeyGroupAccessDenied", rule: "out-of-scope" })
        const again = yield* Effect.exit(repo.readMembers(staff, request("c"), context("l1")))
        expect(Exit.isFailure(again) && !Exit.isInterrupted(again)).toBe(true)
        expect((yield* repo.accessLog()).map((e) => [e.id, e.action])).toEqual([
          ["l1", "read-members"],
          ["l2", "refused"]
        ])
        expect((yield* repo.accessLog({ within: "c2" })).map((e) => e.id)).toEqual(["l2"])
      }).pipe(Effect.provide(layer))
  )
})
