/**
 * 组织与岗位示范数据 — the seeded demo district's organisation data: the
 * organisation rules find exactly the violations planted on purpose
 * (`Organization.generate`'s `deliberate`), the weak-and-lax flags 软弱涣散
 * show one organisation rectified and none flagged now (清零), the seed stores
 * what it reports, the
 * organisation check over HTTP shows them, and the public 公示牌 of a seeded
 * building shows masked names and phones.
 */
import * as CadreAppraisal from "@civicgrid/core/CadreAppraisal"
import * as Membership from "@civicgrid/core/Membership"
import * as OrganizationMetrics from "@civicgrid/core/OrganizationMetrics"
import * as Org from "@civicgrid/core/OrganizationRepository"
import * as OrganizationRules from "@civicgrid/core/OrganizationRules"
import * as Period from "@civicgrid/core/Period"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import { type Dialect, dialects, skipNotice } from "@civicgrid/testkit/Databases"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as App from "../src/App.js"
import * as District from "../src/District.js"
import * as Organization from "../src/Organization.js"
import * as Seed from "../src/Seed.js"

/** The seed's instant: a working Monday, 10:00 Beijing time. */
const seedAt = Date.parse("2026-12-07T02:00:00Z")
const today = WorkingCalendar.dateOf(Seed.timeLimits.calendar, DateTime.unsafeMake(seedAt))
const district = District.makeDefault()
const root = District.root(district).id
const data = Organization.generate(district, { today })
const communities = district.units.filter((u) => u.level === "community")
const lastQuarter = Period.previous(
  Period.ofDate(today, "quarter", { utcOffsetMinutes: Period.defaultUtcOffsetMinutes })
)
const quarterBefore = Period.previous(lastQuarter)
const rectified = `pc-${Organization.weakAndLaxCommunity(district)}`

const key = (v: { readonly rule: string; readonly problem: string; readonly unitId?: string | undefined }) =>
  `${v.rule}/${v.problem}/${v.unitId ?? "-"}`
const keys = (vs: ReadonlyArray<Parameters<typeof key>[0]>) => vs.map(key).sort()

skipNotice("@civicgrid/demo SeedOrganization")
const dialectNames = { sqlite: "SQLite", pg: "PostgreSQL" } as const

/** The demo's stores on a fresh database of `dialect`. */
const storesOn = (dialect: Dialect) => Seed.layerStores.pipe(Layer.provideMerge(dialect.fresh()), Layer.orDie)

const sortedById = <A extends { readonly id: string }>(items: ReadonlyArray<A>): ReadonlyArray<A> =>
  [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

const atSeedTime = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.zipRight(TestClock.setTime(seedAt), self)

const get = (path: string, token?: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.get(path, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })
  ).pipe(
    Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
    Effect.scoped,
    Effect.orDie
  )

describe("Organization demo data", () => {
  it("plants one violation of each kind, and the rules find exactly those", () => {
    // the five planted faults, each in the community (or compound) the generator names
    expect(data.deliberate.map((d) => `${d.rule}/${d.problem}`).sort()).toEqual([
      "compound-management/not-taken-over",
      "grid-leader-in-two-committees/not-two-committees",
      "mediators-by-population/population-unknown",
      "mediators-by-population/too-few",
      "one-legal-adviser/too-few"
    ])
    const residents = Organization.residents(data)
    const streetOf = new Map(communities.map((c) => [c.id, c.parentId] as const))
    const violations = OrganizationRules.check({
      day: today,
      communities: communities.map((c) => ({
        unitId: c.id,
        ...(residents.has(c.id) ? { residents: residents.get(c.id) as number } : {}),
        ...(streetOf.get(c.id) === null || streetOf.get(c.id) === undefined
          ? {}
          : { streetId: streetOf.get(c.id) as NonNullable<typeof c.parentId> })
      })),
      bodies: data.bodies,
      posts: data.posts,
      compounds: data.compounds
    })
    expect(keys(violations)).toEqual(keys(data.deliberate))
    expect(Membership.check(data.memberships)).toEqual([])
    expect(CadreAppraisal.check(data.appraisals.map((a) => a.appraisal))).toEqual([])
    // the community short of mediators is one of more than 3,000 residents
    const short = data.deliberate.find((d) => d.problem === "too-few" && d.rule === "mediators-by-population")
    expect(residents.get(short?.unitId ?? "")).toBeGreaterThan(3000)
    // every community has its 居委会, 党组织, 服务站, 网格服务站 and 大党委; every grid its 网格长
    for (const c of communities)
      for (const prefix of ["rc", "pc", "ws", "gs", "bp", "mc"])
        expect(data.bodies.some((b) => b.id === `${prefix}-${c.id}`)).toBe(true)
    for (const g of district.grids)
      expect(data.posts.filter((p) => p.kind === "grid-leader" && p.gridId === g.id)).toHaveLength(1)
    // a 治理理事会 in the first community of each street
    expect(data.bodies.filter((b) => b.kind === "governance-council")).toHaveLength(
      district.units.filter((u) => u.level === "street").length
    )
    // some compounds unmanaged and taken over by their community (兜底)
    expect(
      data.compounds.some(
        (c) => c.management?._tag === "Unmanaged" && c.management.takenOverBy === c.communityId
      )
    ).toBe(true)
    // appraisal lights are not all one colour
    expect(new Set(data.appraisals.map((a) => Math.floor(a.appraisal.score / 15))).size).toBeGreaterThan(1)
  })

  it("软弱涣散: every community party organisation has a flag in each of the last two quarters; one flagged before, none now (清零)", () => {
    for (const period of [quarterBefore, lastQuarter])
      expect(
        data.weakAndLax
          .filter((f) => Period.equals(f.period, period))
          .map((f) => f.bodyId)
          .sort()
      ).toEqual(communities.map((c) => `pc-${c.id}`).sort())
    expect(data.bodies.some((b) => b.id === rectified)).toBe(true)
    expect(OrganizationMetrics.weakAndLax(data.weakAndLax, quarterBefore)).toEqual({
      flagged: [rectified],
      count: 1,
      target: 0,
      met: false
    })
    expect(OrganizationMetrics.weakAndLax(data.weakAndLax, lastQuarter)).toEqual({
      flagged: [],
      count: 0,
      target: 0,
      met: true
    })
  })

  it("is the same for the same district and day", () => {
    expect(Organization.generate(district, { today })).toEqual(data)
  })

  for (const dialect of dialects)
    it.effect(
      `is stored through the organisation store on ${dialectNames[dialect.name]} with the counts the seed reports`,
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
            const phases = [...new Set(progress.map((p) => p.phase))]
            expect(phases.at(-1)).toBe("organization")
            const last = progress.filter((p) => p.phase === "organization").at(-1)
            expect(last?.done).toBe(last?.total)
            expect(last?.total).toBe(
              prepared.bodies +
                prepared.posts +
                prepared.postHolders +
                prepared.memberships +
                prepared.compounds +
                prepared.populations +
                prepared.appraisals
            )
            expect(prepared.bodies).toBe(data.bodies.length)
            expect(prepared.posts).toBe(data.posts.length)
            expect(Seed.describe(prepared)).toContain(`${prepared.bodies} bodies`)

            // the organisation store is part of the SQL repositories (read as an optional service)
            const found = yield* Effect.serviceOption(Org.OrganizationRepository)
            if (found._tag === "None") return expect.unreachable("an organisation store")
            const store = found.value
            const [bodies, posts, memberships, compounds, populations, appraisals] = yield* Effect.all([
              store.bodies({ within: root }),
              store.posts({ within: root }),
              store.memberships({ within: root }),
              store.compounds({ within: root }),
              store.populations({ within: root }),
              store.appraisals({ within: root })
            ]).pipe(Effect.orDie)
            expect(bodies.length).toBe(prepared.bodies)
            expect(posts.length).toBe(prepared.posts)
            expect(memberships.length).toBe(prepared.memberships)
            expect(compounds.length).toBe(prepared.compounds)
            expect(populations.length).toBe(prepared.populations)
            // every community's population but the one planted unknown
            expect(prepared.populations).toBe(communities.length - 1)
            expect(appraisals.length).toBe(prepared.appraisals)
            const holders = yield* store.people(data.people.map((p) => p.id)).pipe(Effect.orDie)
            expect(holders.length).toBe(prepared.postHolders)
            // read back as generated
            expect(sortedById(bodies)).toEqual(sortedById(data.bodies))
            expect(sortedById(posts)).toEqual(sortedById(data.posts))
            expect(sortedById(compounds)).toEqual(sortedById(data.compounds))

            // the check over the store (the populations stored, or given) finds exactly the planted faults
            for (const options of [{ day: today }, { day: today, residents: Organization.residents(data) }]) {
              const report = yield* Org.check(root, options).pipe(
                Effect.provideService(Org.OrganizationRepository, store),
                Effect.orDie
              )
              expect(keys(report.organization)).toEqual(keys(data.deliberate))
              expect(report.memberships).toEqual([])
              expect(report.appraisals).toEqual([])
            }
            // 软弱涣散 stored: the metrics of the quarter before show the one rectified, the last none
            const weak = yield* store.weakAndLaxFlags({ within: root }).pipe(Effect.orDie)
            expect(weak.length).toBe(data.weakAndLax.length)
            for (const [period, flagged] of [
              [quarterBefore, [rectified]],
              [lastQuarter, []]
            ] as const) {
              const metrics = yield* Org.metrics(root, { day: today, period }).pipe(
                Effect.provideService(Org.OrganizationRepository, store),
                Effect.orDie
              )
              expect(metrics.weakAndLax).toMatchObject({ flagged, count: flagged.length, target: 0 })
            }
          }).pipe(Effect.provide(storesOn(dialect)))
        )
    )

  it.effect(
    "over HTTP: /staffing/check shows the planted faults, /directory/{building} masked names and phones",
    () =>
      atSeedTime(
        Effect.gen(function* () {
          const answer = yield* get(`/staffing/check?within=${root}`, "demo-district-staff")
          expect(answer.status).toBe(200)
          const check = JSON.parse(answer.text) as {
            readonly violations: ReadonlyArray<{ rule: string; problem: string; unitId?: string }>
            readonly memberships: ReadonlyArray<unknown>
            readonly appraisals: ReadonlyArray<unknown>
          }
          // the planted faults and nothing else (the check reads the populations the seed stored)
          expect(keys(check.violations)).toEqual(keys(data.deliberate))
          expect(check.memberships).toEqual([])
          expect(check.appraisals).toEqual([])

          // 软弱涣散 over HTTP: the rectified one by name the quarter before, none the last quarter (清零)
          const indicators = (period: Period.Period) =>
            Effect.map(
              get(
                `/organisation/indicators?within=${root}&period=${Period.label(period)}`,
                "demo-district-staff"
              ),
              (a) => {
                expect(a.status).toBe(200)
                return (JSON.parse(a.text) as { readonly weakAndLax: unknown }).weakAndLax
              }
            )
          expect(yield* indicators(quarterBefore)).toMatchObject({
            flagged: [{ bodyId: rectified, name: data.bodies.find((b) => b.id === rectified)?.name }],
            count: 1,
            met: false
          })
          expect(yield* indicators(lastQuarter)).toMatchObject({
            flagged: [],
            count: 0,
            target: 0,
            met: true
          })

          // 公示牌 of a building with a 楼栋长 (院委会): public, names and phones masked
          const yard = data.bodies.find((b) => b.id.startsWith("yc-"))
          if (yard === undefined) return expect.unreachable("a building with a 院委会")
          const board = yield* get(`/directory/${yard.unitId}`)
          expect(board.status).toBe(200)
          const entries = (
            JSON.parse(board.text) as {
              entries: ReadonlyArray<{ kind: string; name?: string; phone?: string }>
            }
          ).entries
          const leader = entries.find((e) => e.kind === "building-leader")
          expect(leader?.name).toMatch(/^.\*+$/u)
          expect(leader?.phone).toMatch(/^\d{3}\*{4}\d{4}$/)
          expect(entries.some((e) => e.kind === "secretary")).toBe(true)
          for (const p of data.people) {
            expect(board.text).not.toContain(p.name)
            if (p.phone !== undefined) expect(board.text).not.toContain(p.phone)
          }
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
