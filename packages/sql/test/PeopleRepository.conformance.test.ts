/**
 * 联户走访仓库 conformance — the SQL people store behaves like the in-memory
 * one: one scenario (households, residents, enrolments, contacts, links,
 * plans, visits, a proxy service, member reads by five principals, the access
 * log, and every refusal) gives the same outputs on memory, SQLite and
 * PostgreSQL; proxy-service appends carry the expected version, and racing or
 * stale writers get a typed conflict with no event lost or doubled.
 */
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import type * as Household from "@civicgrid/core/Household"
import * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import { PeopleRepository, type Settings } from "@civicgrid/core/PeopleRepository"
import * as ProxyService from "@civicgrid/core/ProxyService"
import { UnitId } from "@civicgrid/core/Unit"
import { LocalDate } from "@civicgrid/core/WorkingCalendar"
import { addEqualityTesters, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import { flip } from "./support/Errors.js"
import { district } from "./support/Hierarchies.js"
import * as P from "./support/People.js"
import { memory, type PeopleTarget, peopleTargets } from "./support/PeopleStores.js"

addEqualityTesters()

const place = district()

const setup = Effect.gen(function* () {
  yield* (yield* HierarchyRepository).save(place.scheme, place.rows)
  return yield* PeopleRepository
})

/** The scenario: every output, refusals as `Either` lefts. */
const scenario = Effect.gen(function* () {
  const repo = yield* setup
  const out: Record<string, unknown> = {}
  const either = Effect.either

  yield* repo.putHouseholds(P.households)
  out["badUnit"] = yield* either(repo.putHouseholds([P.household("h9", "nowhere")]))
  out["duplicate"] = yield* either(
    repo.putHouseholds([P.household("h8", "s1c1b3"), P.household("h8", "s1c1b3", "x")])
  )
  // a household at a stored household's door; the same household again is an update, not a clash
  out["samePlace"] = yield* either(repo.putHouseholds([P.household("h7", "s1c1b1", "101")]))
  yield* repo.putHouseholds([{ ...P.households[0], size: 3 } as Household.Household])
  yield* repo.putResidents(P.residents)
  out["residentOfNobody"] = yield* either(repo.putResidents([P.resident("r9", "h9")]))
  yield* repo.putEnrolments(P.enrolments)
  out["badEnrolments"] = yield* either(
    repo.putEnrolments([P.enrol("e8", "h9", "mental-disorder"), P.enrol("e9", "h1", "astrology")])
  )
  // an enrolment overlapping a stored one of the same person and category; replacing one by id is no overlap
  out["overlapStored"] = yield* either(
    repo.putEnrolments([P.enrol("e7", "h1", "mental-disorder", { residentId: "r1", since: "2024-06-01" })])
  )
  yield* repo.putEnrolments([
    P.enrol("e1", "h1", "mental-disorder", { residentId: "r1", since: "2023-12-01" })
  ])
  yield* repo.putContacts(P.contacts)
  out["contactNowhere"] = yield* either(repo.putContacts([P.contact("c-x", "cadre", "nowhere")]))
  yield* repo.putLinks(P.links)
  out["linkUnknown"] = yield* either(repo.putLinks([P.link("c-nobody", "h1")]))
  out["linkNoHousehold"] = yield* either(repo.putLinks([P.link("c-gw", "h9")]))
  // an upsert replaces a link's dates
  yield* repo.putLinks([P.link("c-gw", "h2", "2024-04-01")])
  yield* repo.putPlans(P.plans)
  out["planUnknownContact"] = yield* either(repo.putPlans([P.plan("p9", "h1", "c-nobody")]))
  const v1 = P.visit("v1", "h1", 1)
  const v2 = P.visit("v2", "h3", 2, P.actor("cs-2", "community-staff", "s2c1"))
  yield* repo.recordVisits([v2, v1])
  out["visitAgain"] = yield* either(repo.recordVisits([P.visit("v3", "h1", 3), v1]))

  out["households"] = yield* repo.households()
  out["householdsS1"] = yield* repo.households({ within: "s1" })
  out["householdsB1"] = yield* repo.households({ within: "s1c1b1" })
  out["householdsNowhere"] = yield* either(repo.households({ within: "nowhere" }))
  // key households: ids only, by the enrolments in force on the date, within a jurisdiction
  out["keyHouseholds"] = yield* repo.keyHouseholds({ date: LocalDate.make("2024-01-15") })
  out["keyHouseholdsEarly"] = yield* repo.keyHouseholds({ date: LocalDate.make("2023-12-15") })
  out["keyHouseholdsS1"] = yield* repo.keyHouseholds({ within: "s1", date: LocalDate.make("2024-06-01") })
  out["keyHouseholdsNowhere"] = yield* either(
    repo.keyHouseholds({ within: "nowhere", date: LocalDate.make("2024-06-01") })
  )
  out["contacts"] = yield* repo.contacts()
  out["contactsS2"] = yield* repo.contacts({ within: "s2" })
  out["links"] = yield* repo.links()
  out["linksC1"] = yield* repo.links({ within: "s1c1" })
  out["linksPm"] = yield* repo.links({ contactId: "c-pm" })
  out["plans"] = yield* repo.plans()
  out["plansS2"] = yield* repo.plans({ within: "s2" })
  out["plansGw"] = yield* repo.plans({ contactId: "c-gw" })
  out["visits"] = yield* repo.visits()
  out["visitsS1"] = yield* repo.visits({ within: "s1" })
  out["visitsH3"] = yield* repo.visits({ householdId: "h3" })
  out["visitV2"] = yield* repo.visits({ visitId: "v2" })
  out["visitV2S1"] = yield* repo.visits({ within: "s1", visitId: "v2" })
  out["visitV2H1"] = yield* repo.visits({ householdId: "h1", visitId: "v2" })

  // the proxy service a visit opened: accepted → submitted → done, each append after the version seen
  const accepted = P.execute(ProxyService.initial, P.accept("ps1", v1))
  out["append1"] = yield* repo.appendServiceEvents({
    serviceId: "ps1",
    expectedVersion: 0,
    events: accepted.events
  })
  const submitted = P.execute(accepted.state, {
    _tag: "Submit",
    serviceId: ProxyService.ServiceId.make("ps1"),
    actor: P.gridWorker,
    at: P.at(5),
    office: "街道便民服务中心"
  })
  out["append2"] = yield* repo.appendServiceEvents({
    serviceId: "ps1",
    expectedVersion: 1,
    events: submitted.events
  })
  const stale = P.execute(accepted.state, {
    _tag: "Cancel",
    serviceId: ProxyService.ServiceId.make("ps1"),
    actor: P.staff,
    at: P.at(6),
    reason: "居民撤回"
  })
  out["stale"] = yield* either(
    repo.appendServiceEvents({ serviceId: "ps1", expectedVersion: 1, events: stale.events })
  )
  const done = P.execute(submitted.state, {
    _tag: "Complete",
    serviceId: ProxyService.ServiceId.make("ps1"),
    actor: P.gridWorker,
    at: P.at(7),
    result: "已发放"
  })
  out["append3"] = yield* repo.appendServiceEvents({
    serviceId: "ps1",
    expectedVersion: 2,
    events: done.events
  })
  const gap = { ...done.events[0], sequence: 9 } as ProxyService.ProxyServiceEvent
  out["gap"] = yield* either(
    repo.appendServiceEvents({ serviceId: "ps1", expectedVersion: 3, events: [gap] })
  )
  const foreign = P.execute(ProxyService.initial, P.accept("ps2", v2)).events.map(
    (e): ProxyService.ProxyServiceEvent =>
      e._tag === "Accepted" ? { ...e, communityId: UnitId.make("nowhere") } : e
  )
  out["foreignUnit"] = yield* either(
    repo.appendServiceEvents({ serviceId: "ps2", expectedVersion: 0, events: foreign })
  )
  const other = P.execute(ProxyService.initial, P.accept("ps3", v2))
  yield* repo.appendServiceEvents({ serviceId: "ps3", expectedVersion: 0, events: other.events })
  out["service"] = yield* repo.service("ps1")
  out["serviceEvents"] = yield* repo.serviceEvents("ps1")
  out["noEvents"] = yield* repo.serviceEvents("nope")
  out["noService"] = yield* either(repo.service("nope"))
  out["services"] = yield* repo.services()
  out["servicesS2"] = yield* repo.services({ within: "s2" })
  out["servicesDone"] = yield* repo.services({ status: ["done"] })

  // member reads: full, masked, counts only, out of scope, no purpose
  out["readStaff"] = yield* either(repo.readMembers(P.staff, P.request("s1c1"), P.context("log-1", 2)))
  out["readGrid"] = yield* either(repo.readMembers(P.gridWorker, P.request("s1c1b1"), P.context("log-2", 3)))
  out["readStreet"] = yield* either(
    repo.readMembers(P.actor("ss-1", "street-staff", "s1"), P.request("s1"), P.context("log-3", 4))
  )
  out["readOutOfScope"] = yield* either(
    repo.readMembers(P.gridWorker, P.request("s2c1"), P.context("log-4", 5))
  )
  out["readNoPurpose"] = yield* either(
    repo.readMembers(P.staff, P.request("s1c1", "mental-disorder", null), P.context("log-5", 6))
  )
  out["readDistrict"] = yield* either(
    repo.readMembers(
      P.actor("cs-9", "community-staff", "d1"),
      P.request("d1", "elderly-alone"),
      P.context("log-6", 1)
    )
  )
  out["log"] = yield* repo.accessLog()
  out["logS1c1"] = yield* repo.accessLog({ within: "s1c1" })
  return out
})

const run = (target: PeopleTarget, settings?: Settings) => Effect.provide(scenario, target.layer(settings))

/** Small counts not suppressed: the store's own counts show. */
const counting: Settings = {
  policy: { ...KeyGroupAccess.defaultPolicy, countThreshold: 1 }
}

describe("PeopleRepository — the in-memory store", () => {
  it.effect("the scenario's outputs are what the core says", () =>
    Effect.gen(function* () {
      const out = yield* run(memory)
      expect(out["badUnit"]).toMatchObject(Either.left({ _tag: "UnitNotFound", unitId: "nowh" }))
      expect(out["duplicate"]).toMatchObject(Either.left({ _tag: "HouseholdsInvalid" }))
      expect(out["residentOfNobody"]).toMatchObject(
        Either.left({ _tag: "HouseholdNotFound", householdId: "h9" })
      )
      expect(out["samePlace"]).toMatchObject(
        Either.left({ violations: [{ householdId: "h7", rule: "duplicate-place", other: "h1" }] })
      )
      expect(out["overlapStored"]).toMatchObject(
        Either.left({
          _tag: "KeyGroupEnrolmentsInvalid",
          violations: [{ enrolmentId: "e7", rule: "overlap", other: "e1" }]
        })
      )
      expect(out["visitAgain"]).toMatchObject(Either.left({ _tag: "VisitExists", visitId: "v1" }))
      expect(out["keyHouseholds"]).toEqual(["h1", "h2", "h3", "h4"])
      expect((out["visitV2"] as ReadonlyArray<{ readonly id: string }>).map((v) => v.id)).toEqual(["v2"])
      expect(out["visitV2S1"]).toEqual([])
      expect(out["visitV2H1"]).toEqual([])
      expect(out["keyHouseholdsEarly"]).toEqual(["h1"])
      expect(out["keyHouseholdsS1"]).toEqual(["h1", "h2", "h4"])
      expect(out["keyHouseholdsNowhere"]).toMatchObject(Either.left({ _tag: "UnitNotFound" }))
      expect((out["householdsS1"] as ReadonlyArray<Household.Household>).map((h) => h.id)).toEqual([
        "h1",
        "h2",
        "h4"
      ])
      expect(out["stale"]).toMatchObject(
        Either.left({ _tag: "ServiceConcurrencyConflict", expectedVersion: 1, actualVersion: 2 })
      )
      expect(out["service"]).toMatchObject({ status: "done", source: "visit", visitId: "v1", version: 3 })
      const staffRead = out["readStaff"] as Either.Either<{
        readonly members: ReadonlyArray<{ readonly resident?: { readonly phone?: string } }>
      }>
      expect(Either.getOrThrow(staffRead).members.map((m) => m.resident?.phone)).toEqual([
        P.secrets.phone,
        undefined
      ])
      const gridRead = out["readGrid"] as Either.Either<{
        readonly members: ReadonlyArray<{ readonly resident?: { readonly phone?: string } }>
      }>
      expect(Either.getOrThrow(gridRead).members.map((m) => m.resident?.phone)).toEqual(["138****5678"])
      // 2 households and 1 resident in the street: below the default threshold of 3, suppressed
      expect(out["readStreet"]).toEqual(Either.right({ _tag: "Counts", suppressed: true, lessThan: 3 }))
      expect((yield* run(memory, counting))["readStreet"]).toEqual(
        Either.right({ _tag: "Counts", suppressed: false, households: 2, residents: 1 })
      )
      expect(out["readOutOfScope"]).toMatchObject(
        Either.left({ _tag: "KeyGroupAccessDenied", rule: "out-of-scope" })
      )
      expect(out["readNoPurpose"]).toMatchObject(
        Either.left({ _tag: "KeyGroupAccessDenied", rule: "purpose-required" })
      )
      expect(
        (out["log"] as ReadonlyArray<{ readonly id: string; readonly action: string }>).map((e) => [
          e.id,
          e.action
        ])
      ).toEqual([
        ["log-6", "read-members"],
        ["log-1", "read-members"],
        ["log-2", "read-members"],
        ["log-3", "read-counts"],
        ["log-4", "refused"],
        ["log-5", "refused"]
      ])
    })
  )
})

describe.each(peopleTargets.filter((t) => t.name !== "memory"))("PeopleRepository on $name", (target) => {
  it.effect("the scenario gives the in-memory store's outputs", () =>
    Effect.gen(function* () {
      const expected = yield* run(memory)
      const actual = yield* run(target)
      for (const key of Object.keys(expected)) expect([key, actual[key]]).toEqual([key, expected[key]])
      expect(Object.keys(actual)).toEqual(Object.keys(expected))
      // the store's COUNT(DISTINCT …), unsuppressed
      expect((yield* run(target, counting))["readStreet"]).toEqual(
        (yield* run(memory, counting))["readStreet"]
      )
    })
  )
})

describe.each(peopleTargets)("PeopleRepository on $name", (target) => {
  it.effect(
    "proxy services: racing writers with the same expected version — one wins, the others get a conflict, no event is lost or doubled",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        yield* repo.putHouseholds(P.households)
        const v1 = P.visit("v1", "h1", 1)
        const accepted = P.execute(ProxyService.initial, P.accept("ps1", v1))
        const results = yield* Effect.all(
          Array.from({ length: 4 }, () =>
            Effect.either(
              repo.appendServiceEvents({ serviceId: "ps1", expectedVersion: 0, events: accepted.events })
            )
          ),
          { concurrency: "unbounded" }
        )
        expect(results.filter(Either.isRight)).toEqual([Either.right({ serviceId: "ps1", version: 1 })])
        for (const r of results.filter(Either.isLeft))
          expect(r.left).toMatchObject({
            _tag: "ServiceConcurrencyConflict",
            expectedVersion: 0,
            actualVersion: 1
          })
        // two writers that both saw version 1: one submits, the other cancels
        const submit = P.execute(accepted.state, {
          _tag: "Submit",
          serviceId: ProxyService.ServiceId.make("ps1"),
          actor: P.gridWorker,
          at: P.at(2),
          office: "街道便民服务中心"
        })
        const cancel = P.execute(accepted.state, {
          _tag: "Cancel",
          serviceId: ProxyService.ServiceId.make("ps1"),
          actor: P.staff,
          at: P.at(2),
          reason: "居民撤回"
        })
        const race = yield* Effect.all(
          [submit, cancel].map((r) =>
            Effect.either(
              repo.appendServiceEvents({ serviceId: "ps1", expectedVersion: 1, events: r.events })
            )
          ),
          { concurrency: "unbounded" }
        )
        expect(race.filter(Either.isRight)).toHaveLength(1)
        expect(race.filter(Either.isLeft).map((r) => r.left)).toMatchObject([
          { _tag: "ServiceConcurrencyConflict", expectedVersion: 1, actualVersion: 2 }
        ])
        const events = yield* repo.serviceEvents("ps1")
        expect(events.map((e) => e.sequence)).toEqual([1, 2])
        const winner = race[0] !== undefined && Either.isRight(race[0]) ? submit : cancel
        expect(events).toEqual([...accepted.events, ...winner.events])
        expect(yield* repo.service("ps1")).toEqual(winner.state)
        expect(yield* flip(repo.service("ps9"))).toMatchObject({ _tag: "ServiceNotFound" })
        // racing writers of the same visit: one records it, the others get VisitExists
        const visits = yield* Effect.all(
          Array.from({ length: 3 }, () => Effect.either(repo.recordVisits([v1]))),
          { concurrency: "unbounded" }
        )
        expect(visits.filter(Either.isRight)).toHaveLength(1)
        expect(visits.filter(Either.isLeft).map((r) => r.left)).toMatchObject([
          { _tag: "VisitExists", visitId: "v1" },
          { _tag: "VisitExists", visitId: "v1" }
        ])
        expect(yield* repo.visits()).toEqual([v1])
      }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "a member read and its log entry are one write: a read whose entry cannot be appended returns nothing and logs nothing",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        yield* repo.putHouseholds(P.households)
        yield* repo.putResidents(P.residents)
        yield* repo.putEnrolments(P.enrolments)
        yield* repo.readMembers(P.staff, P.request("s1c1"), P.context("log-1"))
        // the same log id again: the append fails, so the read does not happen
        const exit = yield* Effect.exit(repo.readMembers(P.gridWorker, P.request("s1c1"), P.context("log-1")))
        expect(Exit.isFailure(exit)).toBe(true)
        expect((yield* repo.accessLog()).map((e) => [e.id, e.actor.id])).toEqual([["log-1", "cs-1"]])
      }).pipe(Effect.provide(target.layer()))
  )
})
