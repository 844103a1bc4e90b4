/**
 * 初始化 — on SQLite in memory: the first `prepare` migrates and seeds the
 * whole district in one go (hierarchy, party organisations of every street,
 * buildings, grids, staff, credentials, cases, surveys) reporting progress
 * per phase; a second `prepare` keeps the data; the demo tokens and the Open311
 * key verify through the SQL key store; bad options write nothing.
 */
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as GridRepository from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import { TokenVerifier } from "@civicgrid/http/Authorization"
import * as Open311 from "@civicgrid/http/Open311"
import * as SqlTokenVerifier from "@civicgrid/http/SqlTokenVerifier"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as District from "../src/District.js"
import * as Seed from "../src/Seed.js"

/** A fresh in-memory database with the demo's stores and the SQL key store. */
const fresh = () =>
  Layer.mergeAll(Seed.layerStores, SqlTokenVerifier.layer, SqlTokenVerifier.layerApiKeys).pipe(
    Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
    Layer.orDie
  )

/** A small district (two streets, four communities), so the test stays fast. */
const district = Either.getOrThrow(District.make({ streets: 2, communitiesPerStreet: 2, seed: 7 }))
const options: Seed.Options = { district, cases: { count: 120 }, batchSize: 50 }

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
          "surveys"
        ])
        for (const phase of phases) {
          const last = progress.filter((p) => p.phase === phase).at(-1)
          expect(last?.done).toBe(last?.total)
        }
        expect(progress.filter((p) => p.phase === "cases").map((p) => p.done)).toEqual([0, 50, 100, 120])

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
    "演示凭据: every demo token verifies to its principal through SqlTokenVerifier; the Open311 key to the demo client",
    () =>
      Effect.gen(function* () {
        yield* Seed.prepare(options)
        const verifier = yield* TokenVerifier
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

  it.effect("选项校验: a bad batch size or bad case options fail typed, before anything is written", () =>
    Effect.gen(function* () {
      yield* Seed.migrate()
      const batch = yield* Effect.flip(Seed.seed({ ...options, batchSize: 0 }))
      expect(batch._tag).toBe("InvalidSeedOptions")
      const cases = yield* Effect.flip(Seed.seed({ ...options, cases: { count: -5 } }))
      expect(cases._tag).toBe("InvalidCaseOptions")
      expect(yield* Seed.isSeeded).toBe(false)
      expect(yield* countOf("cg_api_keys")).toBe(0)
    }).pipe(Effect.provide(fresh()))
  )

  it.effect("describe: one line for each outcome", () =>
    Effect.gen(function* () {
      const prepared = yield* Seed.prepare({ ...options, cases: { count: 10 } })
      expect(Seed.describe(prepared)).toMatch(/^数据库初始化 seeded in \d+\.\d s: \d+ units, /)
      expect(Seed.describe({ _tag: "AlreadySeeded" })).toContain("already seeded")
      const caseRepo = yield* CaseRepository.CaseRepository
      expect((yield* caseRepo.events("2025-00001")).length).toBeGreaterThan(0)
    }).pipe(Effect.provide(fresh()))
  )
})
