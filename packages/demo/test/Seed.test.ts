/**
 * 初始化 — on SQLite in memory: the first `prepare` migrates and seeds the
 * whole district in one go (hierarchy, party organisations of every street,
 * buildings, grids, staff, credentials, cases, the three lists, surveys)
 * reporting progress per phase; a second `prepare` keeps the data; the demo
 * tokens and the Open311 key verify through the SQL key store; the lists read
 * back equal to the generated ones, keep the planner's rules and are found by
 * jurisdiction; bad options write nothing; seeding succeeds for every district
 * size and seed.
 */
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as GridRepository from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import { ListRepository } from "@civicgrid/core/ListRepository"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as Authorization from "@civicgrid/http/Authorization"
import * as Open311 from "@civicgrid/http/Open311"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as App from "../src/App.js"
import * as Cases from "../src/Cases.js"
import * as District from "../src/District.js"
import * as Lists from "../src/Lists.js"
import * as Seed from "../src/Seed.js"
import * as Rules from "./support/listRules.js"

/** A fresh in-memory database with the demo's stores and the SQL key store. */
const fresh = () =>
  Layer.mergeAll(Seed.layerStores, Authorization.layerLookup(SqlApiKeys.bearerLookup), App.layerApiKeys).pipe(
    Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
    Layer.orDie
  )

/** A small district (two streets, four communities), so the test stays fast. */
const district = Either.getOrThrow(District.make({ streets: 2, communitiesPerStreet: 2, seed: 7 }))
const options: Seed.Options = { district, cases: { count: 120 }, batchSize: 50 }
/** The lists the seed stores: those of the cases' year, some linking the cases seeded. */
const lists = Either.getOrThrow(
  Lists.generate(
    district,
    { year: Cases.defaults.year },
    Either.getOrThrow(Cases.generate(district, options.cases)).inputs
  )
)

const countOf = (table: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ readonly n: number }>`SELECT COUNT(*) AS n FROM ${sql(table)}`
  ).pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)))

describe("Seed", () => {
  it.effect(
    "first prepare seeds everything with progress per phase; a second prepare keeps the data",
    () =>
      Effect.gen(function* () {
        const progress: Array<Seed.Progress> = []
        const first = yield* Seed.prepare({ ...options, onProgress: (p) => progress.push(p) })
        expect(first._tag).toBe("Seeded")
        if (first._tag !== "Seeded") return
        expect(first.units).toBe(district.units.length)
        expect(first.grids).toBe(district.grids.length)
        expect(first.cases).toBe(120)
        expect(first.credentials).toBe(Seed.demoTokenNames.length + 1)
        expect(first.surveyResponses).toBeGreaterThanOrEqual(4 * 4 * 30)
        expect([first.problems, first.resources, first.tasks]).toEqual([
          lists.problems.length,
          lists.resources.length,
          lists.tasks.length
        ])

        const hierarchy = yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)
        expect(Hierarchy.size(hierarchy)).toBe(district.units.length)
        const grids = yield* Effect.flatMap(GridRepository.GridRepository, (r) =>
          r.grids(Hierarchy.root(hierarchy).id)
        )
        expect(grids.length).toBe(district.grids.length)
        expect(yield* countOf("cg_cases")).toBe(120)

        // phases in order, each ending with done = total
        const phases = [...new Set(progress.map((p) => p.phase))]
        expect(phases).toEqual([
          "migrate",
          "hierarchy",
          "party",
          "buildings",
          "grids",
          "staff",
          "credentials",
          "generate",
          "cases",
          "lists",
          "surveys",
          "people",
          "deliberation",
          "organization"
        ])
        for (const phase of phases) {
          const last = progress.filter((p) => p.phase === phase).at(-1)
          expect(last?.done).toBe(last?.total)
        }
        expect(progress.filter((p) => p.phase === "cases").map((p) => p.done)).toEqual([0, 50, 100, 120])
        // problems, then resources, then the tasks that name them
        expect(progress.filter((p) => p.phase === "lists").map((p) => p.done)).toEqual([
          0,
          lists.problems.length,
          lists.problems.length + lists.resources.length,
          lists.problems.length + lists.resources.length + lists.tasks.length
        ])

        // no people store here: the people phase says nothing was stored
        expect(progress.filter((p) => p.phase === "people")).toEqual([{ phase: "people", done: 0, total: 0 }])

        const second = yield* Seed.prepare(options)
        expect(second).toEqual({ _tag: "AlreadySeeded" })
        expect(yield* countOf("cg_cases")).toBe(120)
        expect(yield* countOf("cg_api_keys")).toBe(Seed.demoTokenNames.length + 1)
      }).pipe(Effect.provide(fresh())),
    30_000
  )

  it.effect(
    "党组织: every street's 党工委 and every grid's branch but the planted one are stored, in one tree",
    () =>
      Effect.gen(function* () {
        yield* Seed.prepare(options)
        const tree = yield* Effect.flatMap(
          HierarchyRepository.HierarchyRepository,
          (r) => r.loadPartyOrganizations
        )
        const orgs = PartyOrganization.orgs(tree)
        expect(orgs.length).toBe(district.partyOrgs.length + 1)
        const streets = district.units.filter((u) => u.level === "street")
        for (const street of streets) {
          expect(orgs.some((o) => o.kind === "street-working-committee" && o.unitId === street.id)).toBe(true)
        }
        const branched = new Set(orgs.flatMap((o) => (o.gridId === undefined ? [] : [o.gridId as string])))
        expect(district.grids.filter((g) => !branched.has(g.id)).map((g) => g.id)).toEqual([
          district.planted.gridWithoutBranch
        ])
      }).pipe(Effect.provide(fresh()))
  )

  it.effect(
    "演示凭据: every demo token verifies to its principal through the SQL key store (SqlApiKeys); the Open311 key to the demo client",
    () =>
      Effect.gen(function* () {
        yield* Seed.prepare(options)
        const verifier = yield* Authorization.TokenVerifier
        for (const t of Seed.demoTokens(district)) {
          expect(yield* verifier.verify(Redacted.make(t.token))).toEqual(Option.some(t.principal))
        }
        expect(Seed.demoTokens(district).map((t) => t.token)).toEqual([...Seed.demoTokenNames])
        expect(yield* verifier.verify(Redacted.make("demo-nobody"))).toEqual(Option.none())
        const keys = yield* Open311.ApiKeys
        expect(yield* keys.verify(Seed.demoApiKey)).toEqual(Option.some(Seed.demoApiClient))
        // hashed: the plain tokens are nowhere in the key store
        const sql = yield* SqlClient.SqlClient
        const stored = JSON.stringify(yield* sql`SELECT * FROM cg_api_keys`)
        for (const name of [...Seed.demoTokenNames, Seed.demoApiKey]) expect(stored).not.toContain(name)
      }).pipe(Effect.provide(fresh()))
  )

  it.effect(
    "三张清单: the seeded lists read back equal to the generated ones and keep the planner's rules; within a street, exactly its communities' items",
    () =>
      Effect.gen(function* () {
        yield* Seed.prepare(options)
        const store = yield* ListRepository
        const stored = {
          problems: yield* store.problems(),
          resources: yield* store.resources(),
          tasks: yield* store.tasks()
        }
        expect(stored.problems).toEqual(lists.problems)
        expect(stored.resources).toEqual(lists.resources)
        expect(stored.tasks).toEqual(lists.tasks)
        expect(Rules.violations(district, { ...stored, asOf: lists.asOf })).toEqual([])

        const hierarchy = Either.getOrThrow(Hierarchy.make(district.scheme, district.units))
        const within = (unitId: string, id: string) => Hierarchy.isWithin(hierarchy, unitId, id)
        const ids = (items: ReadonlyArray<{ readonly id: string }>) => items.map((i) => i.id)
        const ownerOf = (t: (typeof lists.tasks)[number]) => (t.owner._tag === "Unit" ? t.owner.unitId : "")
        for (const street of district.units.filter((u) => u.level === "street")) {
          const communities = district.units.filter(
            (u) => u.parentId === street.id && u.level === "community"
          )
          const problems = yield* store.problems({ within: street.id })
          const tasks = yield* store.tasks({ within: street.id })
          const resources = yield* store.resources({ within: street.id })
          expect(ids(problems)).toEqual(ids(lists.problems.filter((p) => within(p.unitId, street.id))))
          expect(ids(tasks)).toEqual(ids(lists.tasks.filter((t) => within(ownerOf(t), street.id))))
          expect(ids(resources)).toEqual(
            ids(lists.resources.filter((r) => r.scope.some((u) => within(u, street.id))))
          )
          // the street's problems and tasks are its communities' (none is the street's own); its
          // resources are its own (serving every community) and its communities'
          const perCommunity = yield* Effect.forEach(communities, (c) =>
            Effect.all([
              store.problems({ within: c.id }),
              store.tasks({ within: c.id }),
              store.resources({ within: c.id })
            ])
          )
          const union = (k: 0 | 1 | 2) => perCommunity.flatMap((lists) => ids(lists[k])).sort()
          expect(union(0)).toEqual(ids(problems))
          expect(union(1)).toEqual(ids(tasks))
          expect(
            [...union(2), ...ids(lists.resources.filter((r) => r.scope.includes(street.id)))].sort()
          ).toEqual(ids(resources))
          expect(problems.length).toBeGreaterThan(0)
        }
      }).pipe(Effect.provide(fresh())),
    30_000
  )

  it.effect.prop(
    "规模: seeding succeeds for every district size and seed, storing lists that keep the planner's rules",
    [
      fc.integer({ min: 1, max: 2 }),
      fc.integer({ min: 1, max: 2 }),
      fc.integer(),
      fc.integer({ min: 0, max: 30 })
    ],
    ([streets, communitiesPerStreet, seed, count]) =>
      Effect.gen(function* () {
        const d = Either.getOrThrow(
          District.make({ streets, communitiesPerStreet, seed, householdsScale: 0.5 })
        )
        const prepared = yield* Seed.prepare({ district: d, cases: { count, seed }, lists: { seed } })
        expect(prepared._tag).toBe("Seeded")
        if (prepared._tag !== "Seeded") return
        const store = yield* ListRepository
        const stored = {
          problems: yield* store.problems(),
          resources: yield* store.resources(),
          tasks: yield* store.tasks()
        }
        expect([stored.problems.length, stored.resources.length, stored.tasks.length]).toEqual([
          prepared.problems,
          prepared.resources,
          prepared.tasks
        ])
        expect(prepared.problems).toBeGreaterThanOrEqual(streets * communitiesPerStreet * 4)
        expect(Rules.violations(d, stored)).toEqual([])
      }).pipe(Effect.provide(fresh())),
    { fastCheck: { numRuns: 10 }, timeout: 60_000 }
  )

  it.effect(
    "选项校验: a bad batch size, bad case or list options fail typed, before anything is written",
    () =>
      Effect.gen(function* () {
        yield* Seed.migrate()
        const batch = yield* Effect.flip(Seed.seed({ ...options, batchSize: 0 }))
        expect(batch._tag).toBe("InvalidSeedOptions")
        const cases = yield* Effect.flip(Seed.seed({ ...options, cases: { count: -5 } }))
        expect(cases._tag).toBe("InvalidCaseOptions")
        const listOptions = yield* Effect.flip(Seed.seed({ ...options, lists: { problemsPerCommunity: 99 } }))
        expect(listOptions._tag).toBe("InvalidListOptions")
        expect(yield* Seed.isSeeded).toBe(false)
        expect(yield* countOf("cg_api_keys")).toBe(0)
      }).pipe(Effect.provide(fresh()))
  )

  it.effect("describe: one line for each outcome", () =>
    Effect.gen(function* () {
      const prepared = yield* Seed.prepare({ ...options, cases: { count: 10 } })
      expect(Seed.describe(prepared)).toMatch(/^数据库初始化 seeded in \d+\.\d s: \d+ units, /)
      expect(Seed.describe(prepared)).toMatch(
        /, \d+ problems, \d+ resources, \d+ tasks, \d+ survey responses, \d+ households \(\d+ residents, \d+ key-group enrolments\), \d+ contacts, \d+ visit plans, \d+ visits, \d+ proxy services, \d+ bodies, \d+ posts \(\d+ holders\), \d+ party memberships, \d+ compounds, \d+ community populations, \d+ cadre appraisals, \d+ deliberation topics \(\d+ meetings, \d+ votes, \d+ resolutions, \d+ publications\)$/
      )
      expect(Seed.describe({ _tag: "AlreadySeeded" })).toContain("already seeded")
      const caseRepo = yield* CaseRepository.CaseRepository
      expect((yield* caseRepo.events("2025-00001")).length).toBeGreaterThan(0)
    }).pipe(Effect.provide(fresh()))
  )
})
