/**
 * 幂等键 on the SQL case store (issue 12, finding 12): with the case store on
 * SQLite and PostgreSQL, a report retried with its key returns its case and
 * a report that changes any field the client sent is refused
 * (`idempotency-key-reused`) — also when the two race and the store, not the
 * use case, finds the key taken.
 */
import * as Actor from "@civicgrid/core/Actor"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import * as ReportInputs from "@civicgrid/testkit/ReportInputs"
import { describe, expect, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import { C1, D, freshDatabase, S1 } from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"

const actor = (id: string, role: Actor.Role, unitId: Unit.UnitId): Actor.Actor => ({
  id: Actor.ActorId.make(id),
  role,
  unitId
})

const world: ReportInputs.World = {
  actors: [actor("gw", "grid-worker", C1), actor("r-1", "resident", C1), actor("hotline", "hotline", D)],
  unitId: C1,
  communityId: C1,
  categories: ["SJ-0102", "BJ-0101"],
  catalogue: CaseCategory.WithCommunityGovernance
}

const hierarchy = Layer.effectDiscard(
  Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) =>
    h.save(LevelScheme.FiveLevel, [
      Unit.make({ id: D, parentId: null, level: "district", name: "盘龙区" }),
      Unit.make({ id: S1, parentId: D, level: "street", name: "青云街道" }),
      Unit.make({ id: C1, parentId: S1, level: "community", name: "金沙社区" })
    ])
  ).pipe(Effect.orDie)
).pipe(Layer.provideMerge(HierarchyRepository.layerMemory))

const T0 = Date.UTC(2024, 2, 4, 1, 0)
let counter = 0

for (const dialect of dialects) {
  describe(`CaseService.report on the ${dialect.name} case store — idempotency keys`, () => {
    const env = Layer.mergeAll(
      SqlCaseRepository.layer().pipe(Layer.provide(freshDatabase(dialect))),
      CaseService.layerSettings(),
      hierarchy
    )
    layer(env, { timeout: "120 seconds" })("", (it) => {
      it.effect.prop(
        "property: any accepted report retried with its key returns its case; any one field changed is refused",
        [
          ReportInputs.reportInputs(world).chain((input) =>
            fc.record({
              input: fc.constant(input),
              variant: fc.constantFrom(...ReportInputs.variants(world, input))
            })
          )
        ],
        ([{ input: generated, variant }]) =>
          Effect.gen(function* () {
            const key = `prop-${counter++}`
            // a case id of its own per run, so that shrinking never meets a case of an earlier run
            const input = { ...generated, caseId: `${generated.caseId}-${key}` }
            const first = yield* CaseService.report(input, { idempotencyKey: key })
            const same = yield* CaseService.report(
              { ...input, caseId: `${input.caseId}-retry`, at: DateTime.unsafeMake(T0 + 2_000_000) },
              { idempotencyKey: key }
            )
            expect([first.replayed, same.replayed, same.after.id]).toEqual([false, true, first.after.id])
            const changed = yield* Effect.flip(
              CaseService.report(
                { ...variant.input, caseId: `${input.caseId}-changed` },
                { idempotencyKey: key }
              )
            )
            expect([variant.field, changed._tag === "CaseRefused" ? changed.rule : changed._tag]).toEqual([
              variant.field,
              "idempotency-key-reused"
            ])
            const repo = yield* CaseRepository.CaseRepository
            expect(yield* repo.events(`${input.caseId}-changed`)).toEqual([])
          }),
        { timeout: 120_000, fastCheck: { numRuns: 25 } }
      )

      it.effect("two different reports racing with one key: one creates the case, the other is refused", () =>
        Effect.gen(function* () {
          const key = `race-${counter++}`
          const base: CaseService.ReportInput = {
            actor: actor("gw", "grid-worker", C1),
            at: DateTime.unsafeMake(T0),
            categoryId: "SJ-0102",
            description: "楼道堆放杂物",
            location: { unitId: C1 }
          }
          const outcomes = yield* Effect.all(
            [
              Effect.either(CaseService.report({ ...base, caseId: `${key}-a` }, { idempotencyKey: key })),
              Effect.either(
                CaseService.report(
                  { ...base, caseId: `${key}-b`, description: "电动车堵塞通道" },
                  { idempotencyKey: key }
                )
              )
            ],
            { concurrency: "unbounded" }
          )
          const rules = outcomes.map((o) =>
            o._tag === "Right" ? "created" : o.left._tag === "CaseRefused" ? o.left.rule : o.left._tag
          )
          expect([...rules].sort()).toEqual(["created", "idempotency-key-reused"])
          const repo = yield* CaseRepository.CaseRepository
          const created = (yield* repo.list({})).items.filter((s) => s.caseId.startsWith(key))
          expect(created).toHaveLength(1)
        })
      )
    })
  })
}
