/**
 * 配置仓库 — `PolicyRepository.layerMemory`: a valid catalogue, routing table
 * or time-limit policy round-trips through put and read; an invalid one is
 * refused naming its rule and nothing is stored (the earlier document stays);
 * a catalogue that would orphan a stored routing rule is refused; `inForce`
 * falls back on the defaults for what is not stored.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as CaseCategory from "../src/CaseCategory.js"
import { CaseStep } from "../src/CaseStep.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as PolicyRepository from "../src/PolicyRepository.js"
import type * as Routing from "../src/Routing.js"
import * as TimeLimit from "../src/TimeLimit.js"
import * as Unit from "../src/Unit.js"
import * as WorkDuration from "../src/WorkDuration.js"

const units = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "示范区" }),
  Unit.make({ id: "s1", parentId: "d", level: "street", name: "东街道" }),
  Unit.make({ id: "c1", parentId: "s1", level: "community", name: "东社区" })
]

const env = () => PolicyRepository.layerMemory.pipe(Layer.provideMerge(HierarchyRepository.layerMemory))

const withHierarchy = Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) =>
  r.save(LevelScheme.FiveLevel, units)
)

const base = CaseCategory.WithCommunityGovernance

/** A catalogue: some major classes of the built-in one, each with some of its minors. */
const arbCatalogueRows: fc.Arbitrary<ReadonlyArray<CaseCategory.Category>> = fc
  .subarray([...CaseCategory.majors(base)], { minLength: 1 })
  .chain((majors) =>
    fc
      .tuple(...majors.map((m) => fc.subarray([...CaseCategory.minorsOf(base, m.id)], { minLength: 1 })))
      .map((minors) =>
        majors.flatMap((m, i): ReadonlyArray<CaseCategory.Category> => [m, ...(minors[i] ?? [])])
      )
  )

const arbRules = (
  catalogue: CaseCategory.Catalogue,
  unitIds: ReadonlyArray<string>
): fc.Arbitrary<ReadonlyArray<Routing.RoutingRule>> =>
  fc
    .uniqueArray(
      fc.record({
        id: fc.stringMatching(/^r-[a-z0-9]{1,8}$/),
        categoryId: fc.option(fc.constantFrom(...catalogue.categories.map((c) => c.id)), { nil: undefined }),
        unitId:
          unitIds.length === 0
            ? fc.constant(undefined)
            : fc.option(fc.constantFrom(...unitIds), { nil: undefined }),
        departmentId: fc.constantFrom("城管", "住建", "街道综合执法队")
      }),
      { selector: (r) => r.id, maxLength: 8 }
    )
    .map((rules) =>
      rules.map((r) => {
        const rule = { id: r.id, departmentId: r.departmentId } as Routing.RoutingRule
        return {
          ...rule,
          ...(r.categoryId === undefined ? {} : { categoryId: r.categoryId }),
          ...(r.unitId === undefined ? {} : { unitId: r.unitId })
        } as Routing.RoutingRule
      })
    )

const arbLimits = (catalogue: CaseCategory.Catalogue): fc.Arbitrary<ReadonlyArray<TimeLimit.Rule>> =>
  fc
    .uniqueArray(
      fc.record({
        categoryId: fc.option(fc.constantFrom(...CaseCategory.minors(catalogue).map((c) => c.id)), {
          nil: undefined
        }),
        urgency: fc.option(fc.constantFrom(...CaseCategory.Urgency.literals), { nil: undefined }),
        step: fc.option(fc.constantFrom(...CaseStep.literals), { nil: undefined }),
        amount: fc.integer({ min: 0, max: 40 }),
        unit: fc.constantFrom(...WorkDuration.DurationUnit.literals)
      }),
      { selector: (r) => `${r.categoryId}|${r.urgency}|${r.step}`, maxLength: 10 }
    )
    .map((rules) =>
      rules.map(
        (r): TimeLimit.Rule => ({
          ...(r.categoryId === undefined ? {} : { categoryId: r.categoryId }),
          ...(r.urgency === undefined ? {} : { urgency: r.urgency }),
          ...(r.step === undefined ? {} : { step: r.step }),
          limit: { amount: r.amount, unit: r.unit }
        })
      )
    )

const run = <A, E>(
  effect: Effect.Effect<A, E, PolicyRepository.PolicyRepository | HierarchyRepository.HierarchyRepository>
) => Effect.runPromise(Effect.provide(effect, env()))

const repo = PolicyRepository.PolicyRepository

/** The refusal a put fails with (an unavailable store is a defect here). */
const refusal = <A, E>(effect: Effect.Effect<A, E, never>): Effect.Effect<PolicyRepository.PolicyRefused> =>
  Effect.flatMap(Effect.orDie(Effect.flip(effect)), (e) =>
    e instanceof PolicyRepository.PolicyRefused ? Effect.succeed(e) : Effect.die(e)
  )

describe("PolicyRepository.layerMemory", () => {
  it.effect("空: nothing stored reads none; inForce is the defaults", () =>
    Effect.gen(function* () {
      const r = yield* repo
      expect(Option.isNone(yield* r.catalogue)).toBe(true)
      expect(Option.isNone(yield* r.routing)).toBe(true)
      expect(Option.isNone(yield* r.timeLimits)).toBe(true)
      const inForce = yield* PolicyRepository.inForce()
      expect(inForce.catalogue).toBe(PolicyRepository.defaultCatalogue)
      expect(inForce.rules).toEqual([])
      expect(inForce.timeLimits).toBe(TimeLimit.defaultPolicy)
      expect([...inForce.stored]).toEqual([])
    }).pipe(Effect.provide(env()))
  )

  it("往返: a valid catalogue, routing table and time-limit policy read back as put", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbCatalogueRows.chain((rows) => {
          const catalogue = CaseCategory.unsafeMake(rows)
          return fc.tuple(fc.constant(rows), arbRules(catalogue, ["d", "s1", "c1"]), arbLimits(catalogue))
        }),
        ([rows, rules, limits]) =>
          run(
            Effect.gen(function* () {
              yield* withHierarchy
              const r = yield* repo
              const catalogue = yield* r.putCatalogue(rows)
              yield* r.putRouting(rules)
              yield* r.putTimeLimits(limits)
              const stored = Option.getOrThrow(yield* r.catalogue)
              expect(stored.categories).toEqual(catalogue.categories)
              expect(Option.getOrThrow(yield* r.routing)).toEqual(rules)
              expect(Option.getOrThrow(yield* r.timeLimits)).toEqual({ rules: limits })
              const inForce = yield* PolicyRepository.inForce()
              expect([...inForce.stored].sort()).toEqual(["categories", "routing", "time-limits"])
            })
          )
      ),
      { numRuns: 40 }
    )
  })

  it("拒绝: a catalogue with an orphan minor is refused naming the rule, and nothing is stored", async () => {
    await fc.assert(
      fc.asyncProperty(arbCatalogueRows, arbCatalogueRows, (first, second) =>
        run(
          Effect.gen(function* () {
            const r = yield* repo
            yield* r.putCatalogue(first)
            const minor = second.find(CaseCategory.isMinor)
            if (minor === undefined) return
            const orphan = CaseCategory.minor({
              ...minor,
              id: "X-9901",
              code: "9901",
              majorId: "NO-SUCH-MAJOR"
            })
            const error = yield* refusal(r.putCatalogue([...second, orphan]))
            expect(error._tag).toBe("PolicyRefused")
            expect(error.kind).toBe("categories")
            expect(error.violations.map((v) => [v.subject, v.rule])).toContainEqual([
              "X-9901",
              "orphan-minor"
            ])
            expect(error.message).toMatch(/^案件分类配置被拒绝/)
            expect(Option.getOrThrow(yield* r.catalogue).categories).toEqual(
              CaseCategory.unsafeMake(first).categories
            )
          })
        )
      ),
      { numRuns: 25 }
    )
  })

  it("拒绝: a routing table naming an unknown category or unit, or repeating an id, is refused; nothing stored", async () => {
    await fc.assert(
      fc.asyncProperty(arbRules(base, ["d", "s1", "c1"]), fc.boolean(), (rules, hierarchyStored) =>
        run(
          Effect.gen(function* () {
            if (hierarchyStored) yield* withHierarchy
            const r = yield* repo
            const bad = [
              ...rules,
              { id: "zz-unknown-category", categoryId: "NOPE-01", departmentId: "城管" },
              { id: "zz-unknown-unit", unitId: "nowhere", departmentId: "城管" }
            ] as ReadonlyArray<Routing.RoutingRule>
            const error = yield* refusal(r.putRouting(bad))
            const broken = error.violations.map((v) => [v.subject, v.rule])
            expect(broken).toContainEqual(["zz-unknown-category", "unknown-category"])
            expect(broken).toContainEqual(["zz-unknown-unit", "unknown-unit"])
            if (!hierarchyStored && rules.some((x) => x.unitId !== undefined)) {
              expect(broken.filter(([, rule]) => rule === "unknown-unit").length).toBeGreaterThan(1)
            }
            const first = rules[0]
            if (first !== undefined) {
              const dup = yield* refusal(r.putRouting([first, first]))
              expect(dup.violations.map((v) => v.rule)).toContain("duplicate-rule-id")
            }
            expect(Option.isNone(yield* r.routing)).toBe(true)
          })
        )
      ),
      { numRuns: 25 }
    )
  })

  it("拒绝: a time-limit policy with two rules of one pattern or an unknown 小类 is refused; nothing stored", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbLimits(base).filter((rules) => rules.length > 0),
        (rules) =>
          run(
            Effect.gen(function* () {
              const r = yield* repo
              const first = rules[0] as TimeLimit.Rule
              const error = yield* refusal(
                r.putTimeLimits([...rules, { ...first, limit: { amount: 99, unit: "natural-days" } }])
              )
              expect(error.kind).toBe("time-limits")
              expect(error.violations.map((v) => v.rule)).toContain("duplicate-rule")
              const unknown = yield* refusal(
                r.putTimeLimits([
                  { categoryId: CaseCategory.CategoryId.make("NOPE-0101"), limit: first.limit }
                ])
              )
              expect(unknown.violations.map((v) => v.rule)).toEqual(["unknown-category"])
              expect(Option.isNone(yield* r.timeLimits)).toBe(true)
            })
          )
      ),
      { numRuns: 25 }
    )
  })

  it.effect(
    "现存规则: a catalogue that drops a category a stored routing or time-limit rule names is refused",
    () =>
      Effect.gen(function* () {
        const r = yield* repo
        const minor = CaseCategory.minors(base)[0] as CaseCategory.MinorClass
        yield* r.putRouting([{ id: "r1", categoryId: minor.id, departmentId: "城管" } as Routing.RoutingRule])
        yield* r.putTimeLimits([{ categoryId: minor.id, limit: WorkDuration.workingDays(5) }])
        const without = base.categories.filter((c) => c.id !== minor.id)
        const error = yield* refusal(r.putCatalogue(without))
        expect(error.violations.map((v) => [v.subject, v.rule])).toEqual(
          expect.arrayContaining([
            ["r1", "unknown-category"],
            [expect.stringContaining(minor.id), "unknown-category"]
          ])
        )
        expect(Option.isNone(yield* r.catalogue)).toBe(true)
      }).pipe(Effect.provide(env()))
  )

  it.effect("结构: a value that does not decode as its schema is refused with rule schema", () =>
    Effect.gen(function* () {
      const r = yield* repo
      const error = yield* refusal(
        r.putTimeLimits([{ limit: { amount: -1, unit: "working-days" } } as TimeLimit.Rule])
      )
      expect(error.violations.map((v) => v.rule)).toEqual(["schema"])
      expect(Option.isNone(yield* r.timeLimits)).toBe(true)
    }).pipe(Effect.provide(env()))
  )
})
