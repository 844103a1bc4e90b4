/**
 * 配置仓库（SQL） — `SqlPolicyRepository` on SQLite and PostgreSQL: valid
 * catalogues, routing tables and time-limit policies round-trip through put
 * and read; an invalid one is refused naming its rule and nothing is written
 * (the earlier document stays); `SqlRepositories.layer` runs on the stored
 * documents (catalogue, routing rules, and a stored time-limit policy changes
 * the deadline of a reported case) and on the defaults when nothing is
 * stored; `inForce` on a database below migration 0014 is the defaults.
 */
import * as Actor from "@civicgrid/core/Actor"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import { CaseStep } from "@civicgrid/core/CaseStep"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as PolicyRepository from "@civicgrid/core/PolicyRepository"
import type * as Routing from "@civicgrid/core/Routing"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as SqlClient from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Migrations from "../src/Migrations.js"
import * as SqlHierarchyRepository from "../src/SqlHierarchyRepository.js"
import * as SqlPolicyRepository from "../src/SqlPolicyRepository.js"
import * as SqlRepositories from "../src/SqlRepositories.js"
import { type Dialect, dialects } from "./support/Databases.js"

const units = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "示范区" }),
  Unit.make({ id: "s1", parentId: "d", level: "street", name: "东街道" }),
  Unit.make({ id: "c1", parentId: "s1", level: "community", name: "东社区" })
]

const env = (dialect: Dialect) =>
  SqlPolicyRepository.layer.pipe(
    Layer.provideMerge(SqlHierarchyRepository.layer),
    Layer.provideMerge(Layer.effectDiscard(Migrations.run.pipe(Effect.orDie))),
    Layer.provideMerge(dialect.fresh()),
    Layer.orDie
  )

const base = CaseCategory.WithCommunityGovernance

const arbCatalogueRows: fc.Arbitrary<ReadonlyArray<CaseCategory.Category>> = fc
  .subarray([...CaseCategory.majors(base)], { minLength: 1 })
  .chain((majors) =>
    fc
      .tuple(...majors.map((m) => fc.subarray([...CaseCategory.minorsOf(base, m.id)], { minLength: 1 })))
      .map((minors) =>
        majors.flatMap((m, i): ReadonlyArray<CaseCategory.Category> => [m, ...(minors[i] ?? [])])
      )
  )

const arbPolicies = arbCatalogueRows.chain((rows) => {
  const catalogue = CaseCategory.unsafeMake(rows)
  const rules = fc.uniqueArray(
    fc
      .record({
        id: fc.stringMatching(/^r-[a-z0-9]{1,8}$/),
        categoryId: fc.option(fc.constantFrom(...catalogue.categories.map((c) => c.id)), { nil: undefined }),
        unitId: fc.option(fc.constantFrom("d", "s1", "c1"), { nil: undefined }),
        departmentId: fc.constantFrom("城管", "住建")
      })
      .map(
        (r): Routing.RoutingRule =>
          ({
            id: r.id,
            departmentId: r.departmentId,
            ...(r.categoryId === undefined ? {} : { categoryId: r.categoryId }),
            ...(r.unitId === undefined ? {} : { unitId: r.unitId })
          }) as Routing.RoutingRule
      ),
    { selector: (r) => r.id, maxLength: 6 }
  )
  const limits = fc.uniqueArray(
    fc
      .record({
        categoryId: fc.option(fc.constantFrom(...CaseCategory.minors(catalogue).map((c) => c.id)), {
          nil: undefined
        }),
        urgency: fc.option(fc.constantFrom(...CaseCategory.Urgency.literals), { nil: undefined }),
        step: fc.option(fc.constantFrom(...CaseStep.literals), { nil: undefined }),
        amount: fc.double({ min: 0, max: 40, noNaN: true }),
        unit: fc.constantFrom(...WorkDuration.DurationUnit.literals)
      })
      .map(
        (r): TimeLimit.Rule => ({
          ...(r.categoryId === undefined ? {} : { categoryId: r.categoryId }),
          ...(r.urgency === undefined ? {} : { urgency: r.urgency }),
          ...(r.step === undefined ? {} : { step: r.step }),
          limit: { amount: r.amount, unit: r.unit }
        })
      ),
    { selector: (r) => `${r.categoryId}|${r.urgency}|${r.step}`, maxLength: 8 }
  )
  return fc.tuple(fc.constant(rows), rules, limits)
})

const refusal = <A, E>(effect: Effect.Effect<A, E, never>): Effect.Effect<PolicyRepository.PolicyRefused> =>
  Effect.flatMap(Effect.orDie(Effect.flip(effect)), (e) =>
    e instanceof PolicyRepository.PolicyRefused ? Effect.succeed(e) : Effect.die(e)
  )

const saveHierarchy = Effect.flatMap(HierarchyRepository, (r) => r.save(LevelScheme.FiveLevel, units))

/** Monday 2024-03-04 09:00 Beijing. */
const T0 = DateTime.unsafeMake(Date.UTC(2024, 2, 4, 1, 0))
const gridWorker: Actor.Actor = {
  id: Actor.ActorId.make("gw"),
  role: "grid-worker",
  unitId: Unit.UnitId.make("c1")
}
const GARBAGE = CaseCategory.CategoryId.make("SJ-0102")

const defaults = { timeLimits: { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() } }

/** Reports a case through the use case on `SqlRepositories.layer(options)` built now, and gives its deadline. */
const reportedDeadline = (caseId: string, options: SqlRepositories.Options = defaults) =>
  Effect.gen(function* () {
    yield* CaseService.report({
      caseId,
      actor: gridWorker,
      at: T0,
      categoryId: GARBAGE,
      description: "楼道堆放杂物",
      location: { unitId: "c1" }
    })
    const summary = yield* Effect.flatMap(CaseRepository, (r) => r.summary(caseId))
    return summary.deadline
  }).pipe(Effect.provide(SqlRepositories.layer(options)))

for (const dialect of dialects) {
  layer(env(dialect), { timeout: "120 seconds" })(`SqlPolicyRepository on ${dialect.name}`, (it) => {
    it.effect("往返（生成）: valid policies read back as put; each put replaces the stored document", () =>
      Effect.gen(function* () {
        yield* saveHierarchy
        const repository = yield* PolicyRepository.PolicyRepository
        for (const [rows, rules, limits] of fc.sample(arbPolicies, { numRuns: 12, seed: 14 })) {
          // a routing table or time limits naming categories of the next catalogue go after it
          yield* repository.putRouting([])
          yield* repository.putTimeLimits([])
          const catalogue = yield* repository.putCatalogue(rows)
          yield* repository.putRouting(rules)
          yield* repository.putTimeLimits(limits)
          expect(Option.getOrThrow(yield* repository.catalogue).categories).toEqual(catalogue.categories)
          expect(Option.getOrThrow(yield* repository.routing)).toEqual(rules)
          expect(Option.getOrThrow(yield* repository.timeLimits)).toEqual({ rules: limits })
        }
        const written = yield* SqlPolicyRepository.updatedAt
        expect([...written.keys()]).toEqual(["categories", "routing", "time-limits"])
      }).pipe(Effect.orDie)
    )

    it.effect("拒绝: an invalid document is refused naming its rule; the stored one stays", () =>
      Effect.gen(function* () {
        yield* saveHierarchy
        const repository = yield* PolicyRepository.PolicyRepository
        for (const [rows, rules, limits] of fc.sample(arbPolicies, { numRuns: 8, seed: 7 })) {
          yield* repository.putRouting([])
          yield* repository.putTimeLimits([])
          yield* repository.putCatalogue(rows)
          yield* repository.putRouting(rules)
          yield* repository.putTimeLimits(limits)
          const orphan = CaseCategory.minor({
            family: "event",
            id: "X-9901",
            code: "9901",
            name: "无主小类",
            majorId: "NO-SUCH"
          })
          const catalogueRefused = yield* refusal(repository.putCatalogue([...rows, orphan]))
          expect(catalogueRefused.violations.map((v) => [v.subject, v.rule])).toContainEqual([
            "X-9901",
            "orphan-minor"
          ])
          const routingRefused = yield* refusal(
            repository.putRouting([
              {
                id: "bad",
                categoryId: "NOPE",
                unitId: "nowhere",
                departmentId: "城管"
              } as Routing.RoutingRule
            ])
          )
          expect(routingRefused.violations.map((v) => v.rule)).toEqual(["unknown-category", "unknown-unit"])
          const limitsRefused = yield* refusal(
            repository.putTimeLimits([
              { step: "filing", limit: WorkDuration.workingHours(1) },
              { step: "filing", limit: WorkDuration.workingHours(2) }
            ])
          )
          expect(limitsRefused.violations.map((v) => v.rule)).toEqual(["duplicate-rule"])
          expect(Option.getOrThrow(yield* repository.catalogue).categories).toEqual(
            CaseCategory.unsafeMake(rows).categories
          )
          expect(Option.getOrThrow(yield* repository.routing)).toEqual(rules)
          expect(Option.getOrThrow(yield* repository.timeLimits)).toEqual({ rules: limits })
        }
      }).pipe(Effect.orDie)
    )
  })

  // a database of its own: the suite above leaves documents behind
  layer(env(dialect), { timeout: "120 seconds" })(
    `SqlRepositories on stored policies, ${dialect.name}`,
    (it) => {
      it.effect(
        "现行配置: SqlRepositories runs on the stored catalogue and routing table, and a stored time-limit policy changes a reported case's deadline",
        () =>
          Effect.gen(function* () {
            yield* saveHierarchy
            const before = yield* reportedDeadline("before")
            // the default policy: 立案 filing within 1 working hour
            expect(before).toEqual(
              Either.getOrThrow(
                TimeLimit.deadline(TimeLimit.defaultPolicy, WorkingCalendar.china(), {
                  categoryId: GARBAGE,
                  urgency: "normal",
                  step: "filing",
                  startedAt: T0
                })
              ).deadline
            )
            // no time limits given and none stored: no deadline kept (as before)
            expect(yield* reportedDeadline("before-bare", {})).toBeNull()
            const repository = yield* PolicyRepository.PolicyRepository
            const rows = base.categories.filter((c) => c.family === "event")
            yield* repository.putCatalogue(rows)
            const rules: ReadonlyArray<Routing.RoutingRule> = [
              {
                id: "r-garbage",
                categoryId: GARBAGE,
                unitId: "s1",
                departmentId: "环卫所"
              } as Routing.RoutingRule
            ]
            yield* repository.putRouting(rules)
            const policy = [
              { step: "filing" as const, limit: WorkDuration.workingDays(2) },
              { limit: WorkDuration.workingDays(5) }
            ]
            yield* repository.putTimeLimits(policy)
            const settings = yield* Effect.provide(CaseService.Settings, SqlRepositories.layer())
            expect(settings.catalogue.categories).toEqual(CaseCategory.unsafeMake(rows).categories)
            expect(settings.rules).toEqual(rules)
            const after = yield* reportedDeadline("after")
            const expected = Either.getOrThrow(
              TimeLimit.deadline({ rules: policy }, WorkingCalendar.china(), {
                categoryId: GARBAGE,
                urgency: "normal",
                step: "filing",
                startedAt: T0
              })
            ).deadline
            // Monday 09:00 + 2 working days = Wednesday 09:00
            expect(after).toEqual(expected)
            // none given: the stored policy on the database's calendar
            expect(yield* reportedDeadline("after-bare", {})).toEqual(expected)
            expect(DateTime.formatIso(expected)).toBe("2024-03-06T01:00:00.000Z")
            expect(after).not.toEqual(before)
          }).pipe(Effect.orDie)
      )
    }
  )

  layer(dialect.fresh(), { timeout: "60 seconds" })(
    `SqlPolicyRepository.inForce unmigrated, ${dialect.name}`,
    (it) => {
      it.effect("未迁移: a database below migration 0014 stores nothing — the defaults", () =>
        Effect.gen(function* () {
          const policies = yield* SqlPolicyRepository.inForce()
          expect(policies.catalogue).toBe(PolicyRepository.defaultCatalogue)
          expect(policies.timeLimits).toBe(TimeLimit.defaultPolicy)
          expect(policies.rules).toEqual([])
          expect([...policies.stored]).toEqual([])
          const sql = yield* SqlClient.SqlClient
          yield* Effect.orDie(Migrations.run)
          yield* sql`SELECT kind, document, updated_at FROM cg_policies`
        }).pipe(Effect.orDie)
      )
    }
  )
}
