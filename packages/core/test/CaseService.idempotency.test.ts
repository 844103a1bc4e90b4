/**
 * 幂等键 (issue 12, finding 12): a report retried with an Idempotency-Key
 * already used returns the key's case only when it is the SAME report —
 * everything the client sent (reporter, category, description, urgency,
 * source, location, contact, anonymity, attributes, publication consent,
 * self-handling); the server's own fields (the time, a case id it made up)
 * do not count. A different report is refused (`CaseRefused`, rule
 * `idempotency-key-reused`, 422 over REST) and nothing is appended.
 */
import * as ReportInputs from "@civicgrid/testkit/ReportInputs"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Actor from "../src/Actor.js"
import * as Case from "../src/Case.js"
import * as CaseCategory from "../src/CaseCategory.js"
import * as CaseRepository from "../src/CaseRepository.js"
import * as CaseService from "../src/CaseService.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Unit from "../src/Unit.js"

const DISTRICT = Unit.UnitId.make("d-panlong")
const STREET = Unit.UnitId.make("s-qingyun")
const JINSHA = Unit.UnitId.make("c-jinsha")
const units = [
  Unit.make({ id: DISTRICT, parentId: null, level: "district", name: "盘龙区" }),
  Unit.make({ id: STREET, parentId: DISTRICT, level: "street", name: "青云街道" }),
  Unit.make({ id: JINSHA, parentId: STREET, level: "community", name: "金沙社区" })
]

const actor = (id: string, role: Actor.Role, unitId: Unit.UnitId): Actor.Actor => ({
  id: Actor.ActorId.make(id),
  role,
  unitId
})

const world: ReportInputs.World = {
  actors: [
    actor("gw", "grid-worker", JINSHA),
    actor("cs", "community-staff", JINSHA),
    actor("r-1", "resident", JINSHA),
    actor("hotline", "hotline", DISTRICT)
  ],
  unitId: JINSHA,
  communityId: JINSHA,
  categories: ["SJ-0102", "BJ-0101"],
  catalogue: CaseCategory.WithCommunityGovernance
}

const memory = Layer.effectDiscard(
  Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) => h.save(LevelScheme.FiveLevel, units)).pipe(
    Effect.orDie
  )
).pipe(
  Layer.provideMerge(
    Layer.mergeAll(CaseRepository.layerMemory(), CaseService.layerSettings()).pipe(
      Layer.provideMerge(HierarchyRepository.layerMemory)
    )
  )
)

const T0 = Date.UTC(2024, 2, 4, 1, 0)
const base: CaseService.ReportInput = {
  caseId: "case-1",
  actor: actor("gw", "grid-worker", JINSHA),
  at: DateTime.unsafeMake(T0),
  categoryId: "SJ-0102",
  description: "楼道堆放杂物",
  location: { unitId: JINSHA, address: "金沙小区 3 栋" },
  contact: { name: "张三" }
}

let counter = 0

describe("CaseService.report — idempotency keys", () => {
  it.effect(
    "the same key with another description is refused (idempotency-key-reused, naming the field); nothing appended",
    () =>
      Effect.gen(function* () {
        const first = yield* CaseService.report(base, { idempotencyKey: "k-1" })
        const refused = yield* Effect.flip(
          CaseService.report(
            { ...base, caseId: "case-2", description: "楼道堆放杂物和电动车" },
            { idempotencyKey: "k-1" }
          )
        )
        expect(refused._tag).toBe("CaseRefused")
        if (refused._tag !== "CaseRefused") return
        expect(refused.rule).toBe("idempotency-key-reused")
        expect(refused.caseId).toBe(first.after.id)
        expect(refused.violations[0]?.message).toContain("description")
        const repo = yield* CaseRepository.CaseRepository
        expect(yield* repo.events("case-2")).toEqual([])
        expect((yield* repo.events("case-1")).length).toBe(1)
      }).pipe(Effect.provide(memory))
  )

  it.effect(
    "the same report retried — another time, another case id, the same text with blanks around — returns the key's case",
    () =>
      Effect.gen(function* () {
        const first = yield* CaseService.report(base, { idempotencyKey: "k-2" })
        const retry = yield* CaseService.report(
          {
            ...base,
            caseId: "case-2",
            at: DateTime.unsafeMake(T0 + 60_000),
            description: `  ${base.description} `
          },
          { idempotencyKey: "k-2" }
        )
        expect(retry.replayed).toBe(true)
        expect(retry.after).toEqual(first.after)
      }).pipe(Effect.provide(memory))
  )

  it.effect("publication consent false and absent are the same report; true is another", () =>
    Effect.gen(function* () {
      yield* CaseService.report({ ...base, publishExact: false }, { idempotencyKey: "k-4" })
      const retry = yield* CaseService.report(base, { idempotencyKey: "k-4" })
      expect(retry.replayed).toBe(true)
      const refused = yield* Effect.flip(
        CaseService.report({ ...base, publishExact: true }, { idempotencyKey: "k-4" })
      )
      expect(refused._tag === "CaseRefused" ? refused.rule : refused._tag).toBe("idempotency-key-reused")
    }).pipe(Effect.provide(memory))
  )

  it.effect("a tier asked above the stored case's is another report", () =>
    Effect.gen(function* () {
      const staff = actor("ss", "street-staff", STREET)
      yield* CaseService.report(
        { ...base, actor: staff, contact: { name: "张三" } },
        { idempotencyKey: "k-3" }
      )
      const refused = yield* Effect.flip(
        CaseService.report({ ...base, actor: staff, tier: "street" }, { idempotencyKey: "k-3" })
      )
      expect(refused._tag === "CaseRefused" ? refused.rule : refused._tag).toBe("idempotency-key-reused")
    }).pipe(Effect.provide(memory))
  )

  it.effect(
    "a retry that cannot be placed now is still answered by the key's case (the key is looked up then)",
    () =>
      Effect.gen(function* () {
        const first = yield* CaseService.report({ ...base, caseId: "case-moved" }, { idempotencyKey: "k-5" })
        // the community leaves the hierarchy: the same report would now be unroutable
        const other = Unit.make({ id: "c-other", parentId: STREET, level: "community", name: "其他社区" })
        yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) =>
          h.save(LevelScheme.FiveLevel, [...units.filter((u) => u.id !== JINSHA), other])
        )
        const fresh = yield* Effect.flip(CaseService.report({ ...base, caseId: "case-new" }))
        expect(fresh._tag).toBe("RoutingFailed")
        const retry = yield* CaseService.report({ ...base, caseId: "case-retry" }, { idempotencyKey: "k-5" })
        expect([retry.replayed, retry.after.id]).toEqual([true, first.after.id])
        const changed = yield* Effect.flip(
          CaseService.report({ ...base, description: "另一件事" }, { idempotencyKey: "k-5" })
        )
        expect(changed._tag === "CaseRefused" ? changed.rule : changed._tag).toBe("idempotency-key-reused")
        const unused = yield* Effect.flip(CaseService.report(base, { idempotencyKey: "k-unused" }))
        expect(unused._tag).toBe("RoutingFailed")
      }).pipe(Effect.provide(memory), Effect.orDie)
  )

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
    ([{ input, variant }]) =>
      Effect.gen(function* () {
        const key = `prop-${counter++}`
        const first = yield* CaseService.report(input, { idempotencyKey: key })
        expect(first.replayed).toBe(false)
        const same = yield* CaseService.report(
          { ...input, caseId: `${input.caseId}-retry`, at: DateTime.unsafeMake(T0 + 2_000_000) },
          { idempotencyKey: key }
        )
        expect(same.replayed).toBe(true)
        expect(same.after.id).toBe(first.after.id)
        const changed = yield* Effect.flip(
          CaseService.report({ ...variant.input, caseId: `${input.caseId}-changed` }, { idempotencyKey: key })
        )
        expect([variant.field, changed._tag === "CaseRefused" ? changed.rule : changed._tag]).toEqual([
          variant.field,
          "idempotency-key-reused"
        ])
        const repo = yield* CaseRepository.CaseRepository
        expect(yield* repo.events(`${input.caseId}-changed`)).toEqual([])
        expect(yield* repo.events(`${input.caseId}-retry`)).toEqual([])
        expect(Case.fold(yield* repo.events(first.after.id))).toEqual(first.after)
      }).pipe(Effect.provide(memory)),
    { timeout: 120_000, fastCheck: { numRuns: 150 } }
  )
})
