/**
 * 联户走访 over HTTP, on SQLite and PostgreSQL (issue 19): the loop plan →
 * "my visits due today" → a visit recorded against the visitor's grid (a
 * position outside it refused, naming the rule) → its follow-up as a proxy
 * service accepted → submitted → done (expected versions); a visit's
 * follow-ups opened over HTTP (a case of source patrol counted in the
 * proactive-discovery share, a problem, a micro-wish, a proxy service;
 * retries idempotent); the contacts with the contact-duty check (seed 003's
 * 1–5 households) and coverage — and the PIPL
 * protections: key-group members through `KeyGroupAccess` (counts for roles
 * without the grant, masked identity for grid workers), every read in the
 * access log, the log for auditing roles only, households without residents.
 * Every principal of every role at every unit: no person without the grant.
 */
import { ActorId } from "@civicgrid/core/Actor"
import * as ContactDuty from "@civicgrid/core/ContactDuty"
import { GridId } from "@civicgrid/core/Grid"
import { GridRepository } from "@civicgrid/core/GridRepository"
import * as Household from "@civicgrid/core/Household"
import * as KeyGroup from "@civicgrid/core/KeyGroup"
import * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import { PeopleRepository } from "@civicgrid/core/PeopleRepository"
import * as Period from "@civicgrid/core/Period"
import * as ProxyService from "@civicgrid/core/ProxyService"
import * as Resident from "@civicgrid/core/Resident"
import * as Staffing from "@civicgrid/core/Staffing"
import type * as Unit from "@civicgrid/core/Unit"
import * as Visit from "@civicgrid/core/Visit"
import * as VisitMetrics from "@civicgrid/core/VisitMetrics"
import * as VisitPlan from "@civicgrid/core/VisitPlan"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as PeopleHandlers from "@civicgrid/http/PeopleHandlers"
import type * as Principal from "@civicgrid/http/Principal"
import * as PeopleCipher from "@civicgrid/sql/PeopleCipher"
import { expect, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import {
  B1,
  C1,
  C2,
  C3,
  D,
  dialects,
  env,
  GARBAGE,
  K1,
  login,
  principal,
  raw,
  S1,
  S2,
  seedDemo
} from "./support/Harness.js"

const keyring = Either.getOrThrow(
  PeopleCipher.makeKeyring("test-k1", [
    { id: "test-k1", key: Redacted.make(Buffer.alloc(32, 7).toString("base64")) }
  ])
)

const G1 = GridId.make("jinsha-g1")
const ELDERLY = KeyGroup.CategoryId.make("elderly-alone")
const WORKER = "gw-people"
/** The grid's boundary: a square around 金沙苑. */
const inside: readonly [number, number] = [102.71, 25.05]
const outside: readonly [number, number] = [102.9, 25.3]

const hh = (n: number, gridId = G1): Household.Household => ({
  id: Household.HouseholdId.make(`h${n}`),
  communityId: C1,
  gridId,
  place: { _tag: "AtBuilding", buildingId: B1, door: `${n}` },
  label: `金沙苑3栋${n}`,
  size: 2,
  tags: ["公租房"]
})

const today = (): WorkingCalendar.LocalDate =>
  WorkingCalendar.dateOf(PeopleHandlers.calendar, DateTime.unsafeNow())
const daysAgo = (n: number): WorkingCalendar.LocalDate =>
  WorkingCalendar.dateOf(PeopleHandlers.calendar, DateTime.subtract(DateTime.unsafeNow(), { days: n }))

/** The people store of the server (provided by `SqlRepositories.layer` when a keyring is given). */
const people = Effect.flatMap(Effect.serviceOption(PeopleRepository), (store) =>
  Option.match(store, {
    onNone: () => Effect.dieMessage("no people store"),
    onSome: Effect.succeed
  })
)

const seedPeople = Effect.gen(function* () {
  yield* seedDemo
  const grids = yield* GridRepository
  yield* grids.putGrids([
    {
      id: G1,
      name: "金沙第一网格",
      kind: "basic",
      communityId: C1,
      buildingIds: [],
      boundary: {
        type: "Polygon",
        coordinates: [
          [
            [102.7, 25.04],
            [102.72, 25.04],
            [102.72, 25.06],
            [102.7, 25.04 + 0.02],
            [102.7, 25.04]
          ]
        ]
      }
    }
  ])
  yield* grids.putPeople([{ id: Staffing.PersonId.make(WORKER), name: "马某", partyMember: false }])
  yield* grids.assign([
    {
      personId: Staffing.PersonId.make(WORKER),
      role: "full-time-worker",
      target: { _tag: "Grid", gridId: G1 }
    }
  ])
  const store = yield* people
  yield* store.putHouseholds([hh(101), hh(102)])
  yield* store.putResidents([
    {
      id: Resident.ResidentId.make("r101"),
      householdId: Household.HouseholdId.make("h101"),
      name: "林永洪",
      phone: "13912345678",
      birthYear: 1938
    }
  ])
  yield* store.putEnrolments([
    {
      id: KeyGroup.EnrolmentId.make("e101"),
      categoryId: ELDERLY,
      householdId: Household.HouseholdId.make("h101"),
      residentId: Resident.ResidentId.make("r101"),
      since: daysAgo(60),
      reason: "高龄独居，子女在外地",
      enrolledBy: ActorId.make("cs-people")
    }
  ])
  const contact = ContactDuty.ContactId.make("c-gw")
  yield* store.putContacts([
    {
      id: contact,
      kind: "grid-worker",
      duty: "households",
      label: "网格员 马某",
      communityId: C1,
      actorId: ActorId.make(WORKER)
    }
  ])
  yield* store.putLinks([
    { contactId: contact, householdId: Household.HouseholdId.make("h101") },
    { contactId: contact, householdId: Household.HouseholdId.make("h102") }
  ])
  yield* store.putPlans([
    {
      id: VisitPlan.VisitPlanId.make("p101"),
      householdId: Household.HouseholdId.make("h101"),
      contactId: contact,
      every: { amount: 7, unit: "natural-days" },
      startsOn: daysAgo(30)
    }
  ])
}).pipe(Effect.orDie)

/**
 * Beijing Road in C2: 11 households, bj1 … bj10 key households (bj10 without
 * a plan, bj11 in a grid without a contact); contacts k4 (4 households), k6 (6)
 * and k0 (none).
 */
const seedContacts = Effect.gen(function* () {
  const store = yield* people
  const h = (n: number): Household.Household => ({
    id: Household.HouseholdId.make(`bj${n}`),
    communityId: C2,
    ...(n === 11 ? { gridId: GridId.make("bj-g1") } : {}),
    place: { _tag: "AtBuilding", buildingId: C2, door: `${n}号` },
    label: `北京路${n}号`,
    size: 1,
    tags: []
  })
  const ids = Array.from({ length: 11 }, (_, i) => i + 1)
  const key = ids.filter((n) => n <= 10)
  const contact = (id: string, kind: ContactDuty.ContactKind): ContactDuty.Contact => ({
    id: ContactDuty.ContactId.make(id),
    kind,
    duty: "key-households",
    label: `${id} 联系人`,
    communityId: C2,
    actorId: ActorId.make(`actor-${id}`)
  })
  const link = (contactId: string, n: number): ContactDuty.Link => ({
    contactId: ContactDuty.ContactId.make(contactId),
    householdId: Household.HouseholdId.make(`bj${n}`)
  })
  yield* Effect.gen(function* () {
    yield* store.putHouseholds(ids.map(h))
    yield* store.putEnrolments(
      key.map((n) => ({
        id: KeyGroup.EnrolmentId.make(`bj-e${n}`),
        categoryId: ELDERLY,
        householdId: Household.HouseholdId.make(`bj${n}`),
        since: daysAgo(30),
        reason: "高龄独居",
        enrolledBy: ActorId.make("cs-bj")
      }))
    )
    // every key household has a plan but bj10
    yield* store.putPlans(
      key
        .filter((n) => n !== 10)
        .map((n) => ({
          id: VisitPlan.VisitPlanId.make(`bj-p${n}`),
          householdId: Household.HouseholdId.make(`bj${n}`),
          every: { amount: 7, unit: "natural-days" as const },
          startsOn: daysAgo(30)
        }))
    )
    yield* store.putContacts([
      contact("k4", "party-member-household"),
      contact("k6", "pioneer-post"),
      contact("k0", "cadre")
    ])
    // seed 003: 党员中心户、党员先锋岗均分别联系了1-5户 — 4 is within, 6 above, 0 below
    yield* store.putLinks([
      ...[1, 2, 3, 4].map((n) => link("k4", n)),
      ...[5, 6, 7, 8, 9, 10].map((n) => link("k6", n))
    ])
  }).pipe(Effect.orDie)
})

const roles: ReadonlyArray<Principal.Role> = [
  "resident",
  "grid-worker",
  "community-staff",
  "street-staff",
  "district-staff",
  "department",
  "admin"
]
const units: ReadonlyArray<Unit.UnitId> = [D, S1, S2, C1, C2, C3, K1, B1]

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedPeople).pipe(
    Layer.provideMerge(env(dialect, { people: { keyring } }))
  )
  layer(TestEnv, { excludeTestServices: true, timeout: "120 seconds" })(`people on ${dialect.name}`, (it) => {
    it.effect(
      "the loop: visits due → visit in the grid → proxy service done; members masked and logged",
      () =>
        Effect.gen(function* () {
          const worker = yield* login(principal(WORKER, "grid-worker", C1))
          const staff = yield* login(principal("cs-people", "community-staff", C1))
          const street = yield* login(principal("ss-people", "street-staff", S1))
          const far = yield* login(principal("cs-far", "community-staff", C3))

          // households: places, no residents; out of scope → 404
          const households = yield* worker.client.people.households({ urlParams: {} })
          expect(households.map((h) => h.id)).toEqual(["h101", "h102"])
          expect(JSON.stringify(households)).not.toContain("林永洪")
          expect(yield* far.client.people.households({ urlParams: {} })).toEqual([])
          const farWithin = yield* raw("GET", `/households?within=${C1}`, far.token)
          expect(farWithin.status).toBe(404)

          // my visits due today: the plan started 30 days ago, never visited → overdue, red
          const due = yield* worker.client.people.visitsDue()
          expect(due.date).toBe(today())
          expect(due.due.map((s) => [s.planId, s.householdId, s.overdue, s.color])).toEqual([
            ["p101", "h101", true, "red"]
          ])
          // across the jurisdiction: counts only, the same plan, for staff and the street
          const counts0 = yield* staff.client.people.visitsDueCounts({ urlParams: {} })
          expect(counts0).toMatchObject({
            date: today(),
            within: C1,
            due: 1,
            overdue: 1,
            red: 1,
            dueToday: 0
          })
          expect(JSON.stringify(counts0)).not.toContain("h101")
          expect(yield* street.client.people.visitsDueCounts({ urlParams: { within: C1 } })).toEqual(counts0)
          expect(yield* far.client.people.visitsDueCounts({ urlParams: {} })).toMatchObject({ due: 0 })
          expect((yield* raw("GET", `/visits/due/counts?within=${C1}`, far.token)).status).toBe(404)
          // another worker has none
          const other = yield* login(principal("gw-other", "grid-worker", C1))
          expect((yield* other.client.people.visitsDue()).due).toEqual([])

          // the key-group list: the worker sees members masked, staff in full, the street counts only
          const path = { category: ELDERLY }
          const masked = yield* worker.client.people.members({
            path,
            urlParams: { unitId: C1, purpose: "入户走访" }
          })
          expect(masked._tag).toBe("Members")
          if (masked._tag !== "Members") return
          expect(masked.identity).toBe(false)
          expect(masked.members.map((m) => [m.household.id, m.resident?.phone, m.resident?.name])).toEqual([
            ["h101", "139****5678", "林**"]
          ])
          const full = yield* staff.client.people.members({
            path,
            urlParams: { unitId: C1, purpose: "年度核查" }
          })
          expect(full._tag === "Members" && full.members[0]?.resident?.phone).toBe("13912345678")
          // staff may ask for no more than masked data (identity=false): masked, and logged as masked
          const minimal = yield* staff.client.people.members({
            path,
            urlParams: { unitId: C1, purpose: "走访统计", identity: false }
          })
          expect(
            minimal._tag === "Members" && [minimal.identity, minimal.members[0]?.resident?.phone]
          ).toEqual([false, "139****5678"])
          const minimalRaw = yield* raw(
            "GET",
            `/key-groups/${ELDERLY}/members?unitId=${C1}&purpose=x&identity=false`,
            staff.token
          )
          expect(minimalRaw.text).not.toContain("13912345678")
          const logged = (yield* street.client.people.accessLog({ urlParams: {} })).filter(
            (e) => e.actor.id === "cs-people" || e.purpose === "走访统计"
          )
          expect(logged.map((e) => [e.purpose, e.identity])).toEqual(
            expect.arrayContaining([
              ["年度核查", true],
              ["走访统计", false],
              ["x", false]
            ])
          )
          const counts = yield* street.client.people.members({ path, urlParams: { unitId: S1 } })
          // one household in the street: fewer than 3, suppressed — the street learns no number
          expect(counts).toEqual({ _tag: "Counts", suppressed: true, lessThan: 3 })
          const countsRaw = yield* raw(
            "GET",
            `/key-groups/${ELDERLY}/members?unitId=${S1}&purpose=x`,
            street.token
          )
          expect(JSON.parse(countsRaw.text)).toEqual({ _tag: "Counts", suppressed: true, lessThan: 3 })
          // refusals name the rule in Chinese and English
          const noPurpose = yield* raw("GET", `/key-groups/${ELDERLY}/members?unitId=${C1}`, worker.token)
          expect(noPurpose.status).toBe(403)
          expect(JSON.parse(noPurpose.text)).toMatchObject({
            _tag: "AccessRefused",
            rule: "purpose-required"
          })
          expect(noPurpose.text).toContain("处理目的")
          const outOfScope = yield* raw(
            "GET",
            `/key-groups/${ELDERLY}/members?unitId=${C1}&purpose=x`,
            far.token
          )
          expect(outOfScope.status).toBe(403)
          expect(JSON.parse(outOfScope.text)).toMatchObject({ rule: "out-of-scope" })

          // a visit outside the visitor's grid is refused, naming the rule; inside it is recorded
          const at = DateTime.formatIso(DateTime.subtract(DateTime.unsafeNow(), { minutes: 30 }))
          const visitBody = {
            id: "v-101-1",
            householdId: "h101",
            planId: "p101",
            at,
            method: "home",
            findings: "老人需要办理高龄津贴",
            followUps: [{ kind: "proxy-service", title: "高龄津贴申领", description: "" }]
          }
          const away = yield* raw("POST", "/visits", worker.token, { ...visitBody, position: outside })
          expect(away.status).toBe(422)
          expect(JSON.parse(away.text)).toMatchObject({
            _tag: "PeopleRefused",
            rule: "position-outside-grid"
          })
          const recorded = yield* raw("POST", "/visits", worker.token, { ...visitBody, position: inside })
          expect(recorded.status).toBe(201)
          expect(JSON.parse(recorded.text)).toMatchObject({ id: "v-101-1", positionCheck: "inside" })
          const again = yield* raw("POST", "/visits", worker.token, { ...visitBody, position: inside })
          expect(again.status).toBe(409)
          const unknown = yield* raw("POST", "/visits", far.token, {
            ...visitBody,
            id: "v-x",
            position: inside
          })
          expect(unknown.status).toBe(404)
          // visited today: no longer due, for the worker and in the jurisdiction's counts
          expect((yield* worker.client.people.visitsDue()).due).toEqual([])
          expect(yield* staff.client.people.visitsDueCounts({ urlParams: {} })).toMatchObject({
            due: 0,
            overdue: 0,
            red: 0
          })

          // the follow-up: a proxy service accepted → submitted → done, with expected versions
          const accepted = yield* worker.client.people.acceptService({
            payload: {
              serviceId: ProxyService.ServiceId.make("ps-101"),
              householdId: Household.HouseholdId.make("h101"),
              householdUnitId: B1,
              communityId: C1,
              matter: "高龄津贴申领",
              source: "visit",
              visitId: "v-101-1"
            }
          })
          expect([accepted.status, accepted.version]).toEqual(["accepted", 1])
          // a worker of another community cannot take the household on by naming its own community
          const farWorker = yield* login(principal("gw-far", "grid-worker", C3))
          const foreign = yield* raw("POST", "/proxy-services", farWorker.token, {
            serviceId: "ps-far",
            householdId: "h101",
            householdUnitId: B1,
            communityId: C3,
            matter: "冒名代办",
            source: "walk-in"
          })
          expect(foreign.status).toBe(404)
          expect(JSON.parse(foreign.text)).toMatchObject({ _tag: "PeopleNotFound", resource: "household" })
          const noVisit = yield* raw("POST", "/proxy-services", worker.token, {
            serviceId: "ps-novisit",
            householdId: "h102",
            householdUnitId: B1,
            communityId: C1,
            matter: "高龄津贴申领",
            source: "visit",
            visitId: "v-101-1"
          })
          expect(noVisit.status).toBe(404)
          expect(JSON.parse(noVisit.text)).toMatchObject({ resource: "visit", id: "v-101-1" })
          const submitted = yield* worker.client.people.serviceCommand({
            path: { serviceId: accepted.id },
            payload: { expectedVersion: 1, command: { _tag: "Submit", office: "街道便民服务中心" } }
          })
          expect([submitted.status, submitted.version]).toEqual(["submitted", 2])
          const stale = yield* raw("POST", `/proxy-services/${accepted.id}/commands`, worker.token, {
            expectedVersion: 1,
            command: { _tag: "Complete", result: "已办结" }
          })
          expect(stale.status).toBe(409)
          expect(JSON.parse(stale.text)).toMatchObject({ _tag: "PeopleConflict", actualVersion: 2 })
          const done = yield* worker.client.people.serviceCommand({
            path: { serviceId: accepted.id },
            payload: { expectedVersion: 2, command: { _tag: "Complete", result: "津贴已批准" } }
          })
          expect([done.status, done.version]).toEqual(["done", 3])
          const services = yield* staff.client.people.services({ urlParams: {} })
          expect(services.map((s) => [s.id, s.status, s.source])).toEqual([["ps-101", "done", "visit"]])
          const unknownService = yield* raw("POST", "/proxy-services/ps-none/commands", worker.token, {
            expectedVersion: 1,
            command: { _tag: "Complete", result: "x" }
          })
          expect(unknownService.status).toBeGreaterThanOrEqual(400)
          expect(unknownService.status).toBeLessThan(500)

          // the indicator: visits 人次, on-time visit rate and closure over HTTP, as the core counts them
          const visitDay = WorkingCalendar.dateOf(PeopleHandlers.calendar, DateTime.unsafeMake(at))
          const label = visitDay.slice(0, 7)
          const indicators = yield* staff.client.people.indicators({ urlParams: { period: label } })
          expect(indicators).toMatchObject({
            period: label,
            within: C1,
            visits: 1,
            proxyClosureRate: { numerator: 1, denominator: 1 },
            unjudgedPlans: 0
          })
          const store = yield* people
          const period = Either.getOrThrow(Period.parse(label))
          const expected = VisitMetrics.total(
            VisitMetrics.onTimeRate(
              PeopleHandlers.calendar,
              yield* store.plans(),
              yield* store.visits(),
              yield* store.households(),
              period,
              today()
            ).byUnit
          )
          expect(indicators.onTimeVisitRate).toEqual(expected)
          expect(indicators.onTimeVisitRate.denominator).toBeGreaterThan(0)
          const streetIndicators = yield* street.client.people.indicators({ urlParams: { period: label } })
          expect(streetIndicators).toMatchObject({ within: S1, visits: 1 })
          const farIndicators = yield* far.client.people.indicators({ urlParams: { period: label } })
          expect(farIndicators).toMatchObject({
            visits: 0,
            proxyClosureRate: { numerator: 0, denominator: 0 }
          })
          const badPeriod = yield* raw("GET", "/visits/indicators?period=2026-13", staff.token)
          expect(badPeriod.status).toBe(400)

          // the access log: auditing roles only; every read above is there, refusals too
          const denied = yield* raw("GET", "/access-log", staff.token)
          expect(denied.status).toBe(403)
          expect(JSON.parse(denied.text)).toMatchObject({ _tag: "AuditRefused", rule: "audit-role" })
          const log = yield* street.client.people.accessLog({ urlParams: {} })
          expect(log.map((e) => [e.actor.id, e.action, e.rule ?? null])).toEqual(
            expect.arrayContaining([
              [WORKER, "read-members", null],
              ["cs-people", "read-members", null],
              ["ss-people", "read-counts", "not-granted"],
              [WORKER, "refused", "purpose-required"]
            ])
          )
          const workerRead = log.find((e) => e.actor.id === WORKER && e.action === "read-members")
          expect(workerRead).toMatchObject({ purpose: "入户走访", householdIds: ["h101"], identity: false })
        })
    )

    it.effect(
      "every role at every unit: no person without the grant, identity only with the right, no 5xx",
      () =>
        Effect.gen(function* () {
          const seen = new Set<string>()
          for (const role of roles)
            for (const unitId of units)
              for (const target of [C1, S1, B1]) {
                const who = yield* login(
                  principal(
                    `p-${role}-${unitId}`,
                    role,
                    unitId,
                    role === "department" ? "chengguan" : undefined,
                    // a department with a granted subtree at its seat (it may see cases there, never people)
                    role === "department" ? unitId : undefined
                  )
                )
                const res = yield* raw(
                  "GET",
                  `/key-groups/${ELDERLY}/members?unitId=${target}&purpose=${encodeURIComponent("核查")}`,
                  who.token
                )
                expect(res.status, `${role}@${unitId} → ${target}`).toBeLessThan(500)
                if (res.status !== 200) {
                  expect(res.status).toBe(403)
                  expect(res.text).not.toContain("林")
                  continue
                }
                const body = JSON.parse(res.text) as { _tag: string; identity?: boolean }
                if (body._tag === "Counts") {
                  seen.add("counts")
                  expect(res.text).not.toContain("林")
                  expect(res.text).not.toContain("139")
                  continue
                }
                // members: only the granted roles (grid workers and community staff, an admin acting as one)
                expect(["grid-worker", "community-staff", "admin"]).toContain(role)
                seen.add(body.identity === true ? "identity" : "masked")
                if (body.identity !== true) {
                  expect(res.text).not.toContain("林永洪")
                  expect(res.text).not.toContain("13912345678")
                }
              }
        })
    )

    it.effect(
      "follow-ups opened over HTTP: plan → visit → case (patrol, in the proactive share), problem, micro-wish, proxy service; retries answer what was opened",
      () =>
        Effect.gen(function* () {
          const worker = yield* login(principal(WORKER, "grid-worker", C1))
          const staff = yield* login(principal("cs-people", "community-staff", C1))
          const far = yield* login(principal("cs-far", "community-staff", C3))
          const resident = yield* login(principal("res-people", "resident", C1))
          const store = yield* people
          yield* store
            .putPlans([
              {
                id: VisitPlan.VisitPlanId.make("p102"),
                householdId: Household.HouseholdId.make("h102"),
                contactId: ContactDuty.ContactId.make("c-gw"),
                every: { amount: 14, unit: "natural-days" },
                startsOn: daysAgo(20)
              }
            ])
            .pipe(Effect.orDie)
          const label = today().slice(0, 7)
          const before = yield* staff.client.people.indicators({ urlParams: { period: label } })

          const visitId = "v-102-1"
          const recorded = yield* raw("POST", "/visits", worker.token, {
            id: visitId,
            householdId: "h102",
            planId: "p102",
            at: DateTime.formatIso(DateTime.subtract(DateTime.unsafeNow(), { minutes: 10 })),
            position: inside,
            method: "home",
            findings: "楼道堆放杂物；老人想要一台收音机；需代办医保报销",
            followUps: [
              { kind: "case", title: "楼道堆物", description: "3栋2单元楼道堆放纸箱，有消防隐患" },
              { kind: "problem", title: "楼道照明不足", description: "" },
              { kind: "micro-wish", title: "一台收音机", description: "独居老人想听广播" },
              { kind: "proxy-service", title: "医保报销代办", description: "" }
            ]
          })
          expect(recorded.status).toBe(201)
          const url = (n: number) => `/visits/${visitId}/follow-ups/${n}`

          // the case: opened through CaseService.report, source patrol, at the household's unit
          const opened = yield* raw("POST", url(0), worker.token, { categoryId: GARBAGE })
          expect(opened.status).toBe(201)
          expect(JSON.parse(opened.text)).toEqual({
            visitId,
            index: 0,
            kind: "case",
            id: "v-102-1-fu0",
            opened: true
          })
          // a retry — or another opener — answers what was opened, never a second case
          const retried = yield* raw("POST", url(0), staff.token, { categoryId: GARBAGE })
          expect(retried.status).toBe(200)
          expect(JSON.parse(retried.text)).toMatchObject({ id: "v-102-1-fu0", opened: false })
          const typed = yield* staff.client.people.openFollowUp({
            path: { visitId: Visit.VisitId.make(visitId), index: 0 },
            payload: { categoryId: GARBAGE }
          })
          expect(typed).toEqual({ visitId, index: 0, kind: "case", id: "v-102-1-fu0", opened: false })
          const view = yield* staff.client.cases.get({
            path: { caseId: "v-102-1-fu0" as never },
            urlParams: {}
          })
          expect(view.summary).toMatchObject({
            source: "patrol",
            unitId: B1,
            communityId: C1,
            categoryId: GARBAGE
          })
          expect((yield* store.visits({ householdId: Household.HouseholdId.make("h102") })).length).toBe(1)

          // it counts in the proactive-discovery share of the period
          const after = yield* staff.client.people.indicators({ urlParams: { period: label } })
          expect(after.proactiveDiscoveryShare).toEqual({
            numerator: before.proactiveDiscoveryShare.numerator + 1,
            denominator: before.proactiveDiscoveryShare.denominator + 1
          })
          expect(after.visits).toBe(before.visits + 1)

          // the problem: on the problem list, source 入户走访, a category needed
          const noCategory = yield* raw("POST", url(1), worker.token, {})
          expect(noCategory.status).toBe(422)
          expect(JSON.parse(noCategory.text)).toMatchObject({
            _tag: "PeopleRefused",
            subject: "follow-up",
            rule: "details",
            field: "categoryId"
          })
          expect(noCategory.text).toContain("类别")
          const problem = yield* raw("POST", url(1), worker.token, { categoryId: "environment" })
          expect(problem.status).toBe(201)
          const listed = yield* staff.client.lists.problem({ path: { problemId: "v-102-1-fu1" as never } })
          expect(listed).toMatchObject({
            unitId: B1,
            source: { _tag: "HouseholdVisit", gridWorkerId: WORKER }
          })

          // the micro-wish: its estimated value is needed; posted through the MicroWish decider
          const noValue = yield* raw("POST", url(2), worker.token, {})
          expect(JSON.parse(noValue.text)).toMatchObject({ rule: "details", field: "estimatedValue" })
          const wish = yield* raw("POST", url(2), worker.token, {
            estimatedValue: 80,
            categories: ["生活用品"]
          })
          expect(wish.status).toBe(201)
          expect(JSON.parse(wish.text)).toMatchObject({ kind: "micro-wish", id: "v-102-1-fu2" })
          expect((yield* raw("POST", url(2), worker.token, { estimatedValue: 80 })).status).toBe(200)

          // the proxy service: accepted by community staff (not the visitor), naming the visit
          const service = yield* raw("POST", url(3), staff.token, {})
          expect(service.status).toBe(201)
          const services = yield* staff.client.people.services({ urlParams: {} })
          expect(services.find((s) => s.id === "v-102-1-fu3")).toMatchObject({
            status: "accepted",
            source: "visit",
            visitId,
            householdId: "h102"
          })

          // refusals: no such follow-up; a visit outside the jurisdiction, or an opener who is
          // neither the visitor nor staff, is answered like an unknown visit
          const noIndex = yield* raw("POST", url(4), worker.token, {})
          expect(noIndex.status).toBe(404)
          expect(JSON.parse(noIndex.text)).toMatchObject({ _tag: "PeopleNotFound", resource: "follow-up" })
          for (const who of [far, resident]) {
            const hidden = yield* raw("POST", url(0), who.token, { categoryId: GARBAGE })
            expect(hidden.status).toBe(404)
            expect(JSON.parse(hidden.text)).toMatchObject({ resource: "visit", id: visitId })
          }
          const unknownVisit = yield* raw("POST", "/visits/v-none/follow-ups/0", worker.token, {})
          expect(unknownVisit.status).toBe(404)
          const badIndex = yield* raw("POST", `/visits/${visitId}/follow-ups/-1`, worker.token, {})
          expect(badIndex.status).toBe(400)
        })
    )

    it.effect(
      "contacts: kind, duty and load per contact, the contact-duty rules (4 key households accepted, 0 and 6 refused), coverage; key households named only with the grant",
      () =>
        Effect.gen(function* () {
          yield* seedContacts

          const staff = yield* login(principal("cs-bj", "community-staff", C2))
          const report = yield* staff.client.people.contacts({ urlParams: {} })
          expect(report.within).toBe(C2)
          expect(report.date).toBe(today())
          expect(report.contacts.map((c) => [c.id, c.kind, c.duty, c.households])).toEqual([
            ["k0", "cadre", "key-households", 0],
            ["k4", "party-member-household", "key-households", 4],
            ["k6", "pioneer-post", "key-households", 6]
          ])
          expect(
            report.violations.map((v) => [
              v.rule,
              v.contactId ?? null,
              v.householdId ?? null,
              v.count ?? null
            ])
          ).toEqual([
            ["key-load-below", "k0", null, 0],
            ["key-load-above", "k6", null, 6],
            ["key-household-without-plan", null, "bj10", null],
            ["household-without-contact", null, "bj11", null]
          ])
          expect(report.violations.some((v) => v.contactId === "k4")).toBe(false)
          expect(report.violations[1]).toMatchObject({ bounds: { min: 1, max: 5 } })
          expect(report.violations[1]?.message).toContain("超过")
          expect(report.violations[1]?.message).toContain("key-load-above")
          // coverage: 10 of 11 households have a contact
          expect(report.coverage).toEqual({ numerator: 10, denominator: 11 })
          // contacts carry no account ids; residents are never there
          const rawReport = yield* raw("GET", "/contacts", staff.token)
          expect(rawReport.status).toBe(200)
          expect(rawReport.text).not.toContain("actor-k4")

          // the street (no key-group grant) sees the rules broken, not which households are key households
          const street = yield* login(principal("ss-bj", "street-staff", S1))
          const streetView = yield* street.client.people.contacts({ urlParams: { within: C2 } })
          expect(streetView.violations.map((v) => [v.rule, v.householdId ?? null])).toEqual([
            ["key-load-below", null],
            ["key-load-above", null],
            ["key-household-without-plan", null],
            ["household-without-contact", "bj11"]
          ])
          // outside the jurisdiction: 404; a resident has none: 403 naming the rule
          const far = yield* login(principal("cs-far", "community-staff", C3))
          expect((yield* raw("GET", `/contacts?within=${C2}`, far.token)).status).toBe(404)
          const resident = yield* login(principal("res-bj", "resident", C2))
          for (const url of ["/contacts", "/households"]) {
            const refused = yield* raw("GET", url, resident.token)
            expect(refused.status).toBe(403)
            expect(JSON.parse(refused.text)).toMatchObject({ _tag: "AccessRefused", rule: "no-jurisdiction" })
            expect(refused.text).toContain("居民没有辖区")
          }
        })
    )
  })

  // the server's configured rules and policy, not the defaults (SqlRepositories options → the people store's settings)
  const Configured = env(dialect, {
    people: {
      keyring,
      contactRules: { ...ContactDuty.defaultRules, keyLoad: { min: 1, max: 6 } },
      policy: {
        ...KeyGroupAccess.defaultPolicy,
        grants: [
          ...KeyGroupAccess.defaultPolicy.grants,
          { role: "street-staff", categories: [], upTo: "sensitive", identity: false }
        ]
      }
    }
  })
  layer(Configured, { excludeTestServices: true, timeout: "120 seconds" })(
    `people with configured settings on ${dialect.name}`,
    (it) => {
      it.effect("GET /contacts checks the configured contact-duty rules and access policy", () =>
        Effect.gen(function* () {
          yield* seedDemo
          yield* seedContacts
          const staff = yield* login(principal("cs-bj", "community-staff", C2))
          const report = yield* staff.client.people.contacts({ urlParams: {} })
          // 1–6 households per key-household contact: k6 is within the bounds now
          expect(report.violations.map((v) => [v.rule, v.contactId ?? null, v.householdId ?? null])).toEqual([
            ["key-load-below", "k0", null],
            ["key-household-without-plan", null, "bj10"],
            ["household-without-contact", null, "bj11"]
          ])
          expect(report.violations[0]).toMatchObject({ bounds: { min: 1, max: 6 } })
          // the street holds a grant under this policy: the key household bj10 is named to it too
          const street = yield* login(principal("ss-bj", "street-staff", S1))
          const streetView = yield* street.client.people.contacts({ urlParams: { within: C2 } })
          expect(streetView.violations).toEqual(report.violations)
        })
      )
    }
  )
}
