/**
 * 联户走访示范数据 — the seeded demo district's people data: the contact
 * duties hold (`ContactDuty.check` with the default rules), the demo grid
 * worker has visits due today, the indicators count visits and closed proxy
 * services, and a resident sees no person.
 */
import * as ContactDuty from "@civicgrid/core/ContactDuty"
import * as KeyGroup from "@civicgrid/core/KeyGroup"
import * as PeopleRepository from "@civicgrid/core/PeopleRepository"
import * as Period from "@civicgrid/core/Period"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as SqlPeopleRepository from "@civicgrid/sql/SqlPeopleRepository"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as App from "../src/App.js"
import * as District from "../src/District.js"
import * as People from "../src/People.js"
import * as Seed from "../src/Seed.js"

/** The seed's instant: a working Monday, 10:00 Beijing time. */
const seedAt = Date.parse("2026-12-07T02:00:00Z")
const district = District.makeDefault()
const calendar = Seed.timeLimits.calendar

const stores = Layer.provideMerge(
  SqlPeopleRepository.layer({ keyring: App.demoPeopleKeyring }),
  Seed.layerStores
).pipe(Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })), Layer.orDie)

const atSeedTime = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.zipRight(TestClock.setTime(seedAt), self)

const get = (path: string, token: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.get(path, { headers: { authorization: `Bearer ${token}` } })
  ).pipe(
    Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
    Effect.scoped,
    Effect.orDie
  )

describe("Seed people data", () => {
  it.effect(
    "is stored through the people store, passes ContactDuty.check and gives non-trivial indicators",
    () =>
      atSeedTime(
        Effect.gen(function* () {
          const progress: Array<Seed.Progress> = []
          const prepared = yield* Seed.prepare({
            district,
            cases: { count: 0 },
            onProgress: (p) => progress.push(p)
          }).pipe(Effect.orDie)
          if (prepared._tag !== "Seeded") return expect.unreachable("seeded")
          // the people phase comes just before the deliberation and organisation phases and counts every record stored, batch by batch, up to all of them
          const phases = [...new Set(progress.map((p) => p.phase))]
          expect(phases.slice(-3)).toEqual(["people", "deliberation", "organization"])
          const peopleProgress = progress.filter((p) => p.phase === "people")
          const stored = peopleProgress.map((p) => p.done)
          expect(stored).toEqual([...stored].sort((a, b) => a - b))
          expect(peopleProgress.length).toBeGreaterThan(8)
          expect(peopleProgress.at(-1)?.done).toBe(peopleProgress.at(-1)?.total)
          const communities = district.units.filter((u) => u.level === "community").length
          expect(prepared.households).toBeGreaterThanOrEqual(200 * communities)
          expect(prepared.enrolments).toBeGreaterThan(0)
          expect(prepared.visits).toBeGreaterThan(0)
          expect(prepared.proxyServices).toBeGreaterThan(0)
          expect(Seed.describe(prepared)).toContain(`${prepared.households} households`)

          const people = yield* PeopleRepository.PeopleRepository
          const [households, contacts, links, plans] = yield* Effect.all([
            people.households(),
            people.contacts(),
            people.links(),
            people.plans()
          ]).pipe(Effect.orDie)
          expect(households.length).toBe(prepared.households)
          expect(plans.length).toBe(prepared.visitPlans)
          // the enrolments are not read back but by an audited member read: the generator is deterministic
          const today = WorkingCalendar.dateOf(calendar, DateTime.unsafeMake(seedAt))
          const generated = People.generate(district, { today, calendar })
          expect(generated.enrolments.length).toBe(prepared.enrolments)
          expect(peopleProgress.at(-1)?.total).toBe(
            generated.households.length +
              generated.residents.length +
              generated.enrolments.length +
              generated.contacts.length +
              generated.links.length +
              generated.plans.length +
              generated.visits.length +
              generated.services.length
          )
          const violations = ContactDuty.check(ContactDuty.defaultRules, {
            households,
            contacts,
            links,
            keyHouseholds: KeyGroup.keyHouseholds(generated.enrolments, today),
            plannedHouseholds: plans.map((p) => p.householdId),
            date: today
          })
          expect(violations).toEqual([])
          // 党员中心户 carry 1–5 key households each
          const pm = contacts.filter((c) => c.kind === "party-member-household")
          expect(pm.length).toBeGreaterThan(0)

          const period = Either.getOrThrow(Period.parse(`${today.slice(0, 4)}-Q4`))
          const root = district.units.find((u) => u.parentId === null)?.id ?? ""
          const indicators = yield* PeopleRepository.indicators({
            within: root,
            period,
            asOf: today,
            calendar
          }).pipe(Effect.orDie)
          expect(indicators.visits).toBeGreaterThan(0)
          expect(indicators.onTimeVisitRate.numerator).toBeGreaterThan(0)
          expect(indicators.proxyClosureRate.numerator).toBeGreaterThan(0)
          expect(indicators.proxyClosureRate.denominator).toBeGreaterThan(
            indicators.proxyClosureRate.numerator
          )
        }).pipe(Effect.provide(stores))
      )
  )

  it.effect("the demo grid worker has visits due today over HTTP; a resident sees no person", () =>
    atSeedTime(
      Effect.gen(function* () {
        const due = yield* get("/visits/due", "demo-grid-worker")
        expect(due.status).toBe(200)
        const body = JSON.parse(due.text) as {
          readonly date: string
          readonly due: ReadonlyArray<{ readonly dueOn: string; readonly overdue: boolean }>
        }
        expect(body.date).toBe("2026-12-07")
        expect(body.due.some((d) => d.dueOn === body.date && !d.overdue)).toBe(true)
        expect(body.due.some((d) => d.overdue)).toBe(true)

        const community = district.units.find((u) => u.level === "community")?.id ?? ""
        // the enrolled residents come back masked for the grid worker, in full for community staff
        const purpose = encodeURIComponent("入户走访")
        const residentsOf = (text: string) =>
          (
            JSON.parse(text) as {
              readonly members: ReadonlyArray<{
                readonly resident?: {
                  readonly name?: string
                  readonly phone?: string
                  readonly masked: boolean
                }
              }>
            }
          ).members.flatMap((m) => (m.resident === undefined ? [] : [m.resident]))
        const asWorker = yield* get(
          `/key-groups/elderly-alone/members?unitId=${community}&purpose=${purpose}`,
          "demo-grid-worker"
        )
        const asStaff = yield* get(
          `/key-groups/elderly-alone/members?unitId=${community}&purpose=${purpose}`,
          "demo-community-staff"
        )
        expect([asWorker.status, asStaff.status]).toEqual([200, 200])
        const masked = residentsOf(asWorker.text)
        const full = residentsOf(asStaff.text)
        expect(masked.length).toBeGreaterThan(0)
        expect(full.length).toBe(masked.length)
        for (const r of masked) {
          expect(r.masked).toBe(true)
          expect(r.phone).toMatch(/^1\d{2}\*{4}\d{4}$/)
          expect(r.name).toMatch(/^.\*+$/)
        }
        for (const r of full) {
          expect(r.masked).toBe(false)
          expect(r.phone).toMatch(/^1\d{10}$/)
        }
        for (const category of ["elderly-alone", "disability", "low-income"]) {
          const members = yield* get(`/key-groups/${category}/members?unitId=${community}`, "demo-resident")
          expect(members.status).toBe(403)
        }
        const households = yield* get("/households", "demo-resident")
        // a resident's own home is no jurisdiction: refused naming the rule, no household in the answer
        expect(households.status).toBe(403)
        expect(JSON.parse(households.text)).toMatchObject({ _tag: "AccessRefused", rule: "no-jurisdiction" })
        expect(households.text).not.toContain("hh-")
        const mine = yield* get(`/households?within=${community}`, "demo-resident")
        expect(mine.status).toBe(403)
        expect(mine.text).not.toContain("hh-")
      }).pipe(
        Effect.provide(
          App.layer({
            log: () => {},
            databaseName: "SQLite :memory:",
            seed: { district, cases: { count: 0 } }
          }).pipe(
            Layer.provideMerge(NodeHttpServer.layerTest),
            Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
            Layer.orDie
          )
        )
      )
    )
  )
})
