/**
 * 联户走访示范数据 on every database — the demo district seeded with the people
 * store on SQLite and, when `CIVICGRID_PG_URL` is set, on PostgreSQL (a fresh
 * database per test): the people read back equal those of a reference run on
 * SQLite in memory, residents are sealed with the demo key (no name in the
 * clear), and the seed figures hold on what the store holds — every key
 * household has a contact and a visit plan, every 党员中心户 links 1–5 key
 * households (seed 003), every household of a grid has a contact (seed 000's
 * full coverage): `ContactDuty.check` with `ContactDuty.defaultRules` finds
 * nothing, and finds the gap once one key household's links are taken away.
 */
import * as ContactDuty from "@civicgrid/core/ContactDuty"
import type * as Household from "@civicgrid/core/Household"
import * as PeopleRepository from "@civicgrid/core/PeopleRepository"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as SqlPeopleRepository from "@civicgrid/sql/SqlPeopleRepository"
import { type Dialect, dialects, skipNotice, sqlite } from "@civicgrid/testkit/Databases"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as App from "../src/App.js"
import * as District from "../src/District.js"
import * as Seed from "../src/Seed.js"

skipNotice("@civicgrid/demo SeedPeopleDatabases")
const dialectNames = { sqlite: "SQLite", pg: "PostgreSQL" } as const

/** The seed's instant: a working Monday, 10:00 Beijing time. */
const seedAt = Date.parse("2026-12-07T02:00:00Z")
const today = WorkingCalendar.dateOf(Seed.timeLimits.calendar, DateTime.unsafeMake(seedAt))
const district = District.makeDefault()
const root = District.root(district).id

/** The demo's stores and its people store on the demo key, on a fresh database of `dialect`. */
const storesOn = (dialect: Dialect) =>
  Layer.provideMerge(SqlPeopleRepository.layer({ keyring: App.demoPeopleKeyring }), Seed.layerStores).pipe(
    Layer.provideMerge(dialect.fresh()),
    Layer.orDie
  )

interface EnrolmentRow {
  readonly id: string
  readonly household_id: string
  readonly since: string
  readonly until: string | null
}

interface ResidentRow {
  readonly key_id: string
  readonly sealed: string
}

/** Seeds the demo district at the seed's instant and reads back what the people store holds. */
const seeded = Effect.gen(function* () {
  yield* TestClock.setTime(seedAt)
  const prepared = yield* Seed.prepare({ district, cases: { count: 0 } })
  if (prepared._tag !== "Seeded") return yield* Effect.dieMessage("the fresh database was not seeded")
  const people = yield* PeopleRepository.PeopleRepository
  const within = { within: root }
  const [households, contacts, links, plans, visits, services] = yield* Effect.all([
    people.households(within),
    people.contacts(within),
    people.links(within),
    people.plans(within),
    people.visits(within),
    people.services(within)
  ])
  const sql = yield* SqlClient.SqlClient
  // enrolments and residents leave the store only through an audited member read: counted here in SQL
  const enrolments =
    yield* sql<EnrolmentRow>`SELECT id, household_id, since, until FROM cg_enrolments ORDER BY id`
  const residents = yield* sql<ResidentRow>`SELECT key_id, sealed FROM cg_residents ORDER BY id`
  return {
    prepared,
    households,
    contacts,
    links,
    plans,
    visits: visits.map((v) => ({ id: v.id, householdId: v.householdId, at: v.at.epochMillis })),
    services: services.map((s) => ({ id: s.id, status: s.status })),
    enrolments,
    residents
  }
}).pipe(Effect.orDie)

/** The key households of the enrolment rows at `today` (`KeyGroup.keyHouseholds` on what the rows say). */
const keyHouseholdsOf = (
  rows: ReadonlyArray<EnrolmentRow>,
  households: ReadonlyArray<Household.Household>
): ReadonlySet<Household.HouseholdId> => {
  const byId = new Map(households.map((h) => [h.id as string, h.id]))
  const key = new Set<Household.HouseholdId>()
  for (const row of rows) {
    const id = byId.get(row.household_id)
    if (id !== undefined && row.since <= today && (row.until === null || today <= row.until)) key.add(id)
  }
  return key
}

for (const dialect of dialects) {
  describe(`Seed people data on ${dialectNames[dialect.name]}`, () => {
    it.effect(
      "reads back as on SQLite in memory; residents sealed; every key household has a contact and a plan, 党员中心户 link 1–5, the grids are fully covered",
      () =>
        Effect.gen(function* () {
          const reference = yield* Effect.provide(seeded, storesOn(sqlite))
          const on = yield* Effect.provide(seeded, storesOn(dialect))
          const { prepared } = on
          if (prepared._tag !== "Seeded" || reference.prepared._tag !== "Seeded")
            return expect.unreachable("seeded")

          // the same data as the SQLite reference run, counted by the seed and read back
          expect({ ...prepared, millis: 0 }).toEqual({ ...reference.prepared, millis: 0 })
          expect(on.households).toEqual(reference.households)
          expect(on.contacts).toEqual(reference.contacts)
          expect(on.links).toEqual(reference.links)
          expect(on.plans).toEqual(reference.plans)
          expect(on.visits).toEqual(reference.visits)
          expect(on.services).toEqual(reference.services)
          expect(on.enrolments).toEqual(reference.enrolments)
          expect({
            households: on.households.length,
            contacts: on.contacts.length,
            plans: on.plans.length,
            visits: on.visits.length,
            services: on.services.length,
            enrolments: on.enrolments.length,
            residents: on.residents.length
          }).toEqual({
            households: prepared.households,
            contacts: prepared.contacts,
            plans: prepared.visitPlans,
            visits: prepared.visits,
            services: prepared.proxyServices,
            enrolments: prepared.enrolments,
            residents: prepared.residents
          })
          const communities = district.units.filter((u) => u.level === "community").length
          expect(prepared.households).toBeGreaterThanOrEqual(200 * communities)
          expect(on.services.map((s) => s.status)).toEqual(
            expect.arrayContaining(["accepted", "submitted", "done", "cancelled"])
          )

          // 加密存储: every resident sealed with the demo key, no name in the clear
          expect(on.residents.length).toBeGreaterThan(0)
          expect(new Set(on.residents.map((r) => r.key_id))).toEqual(new Set(["demo-only-public"]))
          expect(on.residents.filter((r) => /[\u4e00-\u9fff]/.test(r.sealed))).toEqual([])

          // the seed figures, read off what the store holds
          const keyHouseholds = keyHouseholdsOf(on.enrolments, on.households)
          expect(keyHouseholds.size).toBeGreaterThan(0)
          const input: ContactDuty.Input = {
            households: on.households,
            contacts: on.contacts,
            links: on.links,
            keyHouseholds,
            plannedHouseholds: on.plans.map((p) => p.householdId),
            date: today
          }
          expect(ContactDuty.check(ContactDuty.defaultRules, input)).toEqual([])
          const { byContact, byHousehold } = ContactDuty.links(input)
          const planned = new Set(on.plans.map((p) => p.householdId))
          const uncovered = [...keyHouseholds].filter(
            (h) => (byHousehold.get(h)?.size ?? 0) === 0 || !planned.has(h)
          )
          expect(uncovered).toEqual([])
          const partyMember = on.contacts.filter((c) => c.kind === "party-member-household")
          expect(partyMember.length).toBeGreaterThan(0)
          const loads = partyMember.map((c) => [...(byContact.get(c.id) ?? [])])
          expect(loads.filter((hs) => hs.length < 1 || hs.length > 5)).toEqual([])
          expect(loads.flat().filter((h) => !keyHouseholds.has(h))).toEqual([])
          // 全覆盖: every household of a grid has a contact, and every grid of the district has its 网格员
          expect(
            on.households.filter((h) => h.gridId !== undefined && (byHousehold.get(h.id)?.size ?? 0) === 0)
          ).toEqual([])
          const gridsWithWorker = new Set(
            on.contacts.filter((c) => c.kind === "grid-worker").map((c) => c.gridId)
          )
          expect(district.grids.filter((g) => !gridsWithWorker.has(g.id)).map((g) => g.id)).toEqual([])

          // the check can fail: one key household without its links is reported
          const [dropped] = [...keyHouseholds].sort()
          if (dropped === undefined) return expect.unreachable("a key household")
          const violations = ContactDuty.check(ContactDuty.defaultRules, {
            ...input,
            links: on.links.filter((l) => l.householdId !== dropped)
          })
          expect(violations.map((v) => [v.rule, v.householdId])).toContainEqual([
            "key-household-without-contact",
            dropped
          ])
        }),
      120_000
    )
  })
}
