/**
 * 原子更新 — `HierarchyRepository.update` and the unit writes built on it
 * (`Administration.putUnit`) on the memory store, bare and behind
 * `layerCached`: concurrent writers never lose a change (N concurrent unit
 * writes under one parent all land, the hierarchy stays valid), concurrent
 * writes of one unit leave one of them, a refused change (the caller's error,
 * `HierarchyInvalid`, `OutsideJurisdiction`) writes nothing and fails typed.
 * The SQL stores run the same checks in `packages/sql/test/HierarchyRepository.update.test.ts`.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Administration from "../src/Administration.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Unit from "../src/Unit.js"

const base: ReadonlyArray<Unit.Unit> = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "示范区" }),
  Unit.make({ id: "s1", parentId: "d", level: "street", name: "一街道" }),
  Unit.make({ id: "s2", parentId: "d", level: "street", name: "二街道" }),
  Unit.make({ id: "c1", parentId: "s1", level: "community", name: "一社区" }),
  Unit.make({ id: "c3", parentId: "s2", level: "community", name: "三社区" })
]
const baseIds = new Set<string>(base.map((u) => u.id))

/** New unit ids (Schema-derived), none of the base units'. */
const newIds = (maxLength: number) =>
  fc.uniqueArray(
    Arbitrary.make(Unit.UnitId).filter((id) => !baseIds.has(id)),
    { minLength: 1, maxLength }
  )
const anyName = Arbitrary.make(Unit.Unit.fields.name)

class Refused extends Schema.TaggedError<Refused>()("Refused", { reason: Schema.String }) {}

const targets = [
  { name: "memory", layer: () => HierarchyRepository.layerMemory },
  {
    name: "memory behind layerCached",
    layer: () => HierarchyRepository.layerCached().pipe(Layer.provide(HierarchyRepository.layerMemory))
  }
] as const

const reset = Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) =>
  r.save(LevelScheme.FiveLevel, base)
)
const stored = Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)

describe.each(targets)("HierarchyRepository.update on $name", (target) => {
  layer(target.layer(), { timeout: "30 seconds" })("properties", (it) => {
    it.effect.prop(
      "N concurrent putUnit under one parent: every unit within the scope is stored, every one outside it is refused typed, the hierarchy stays valid",
      [
        newIds(20).chain((ids) =>
          fc.tuple(fc.constant(ids), fc.array(fc.boolean(), { minLength: ids.length, maxLength: ids.length }))
        ),
        anyName
      ],
      ([[ids, inside], name]) =>
        Effect.gen(function* () {
          yield* reset
          const units = ids.map((id, i) =>
            Unit.make({ id, parentId: inside[i] === false ? "c3" : "c1", level: "compound", name })
          )
          const results = yield* Effect.all(
            units.map((u) => Effect.either(Administration.putUnit("s1", u))),
            { concurrency: "unbounded" }
          )
          const h = yield* stored
          expect(Either.isRight(Hierarchy.make(h.scheme, Hierarchy.units(h)))).toBe(true)
          expect(results.length).toBe(units.length)
          for (const [u, result] of Arr.zip(units, results)) {
            if (u.parentId === "c1") {
              expect(Either.getOrUndefined(result)).toEqual(u)
              expect(Option.getOrUndefined(Hierarchy.get(h, u.id))).toEqual(u)
            } else {
              expect(Either.getLeft(result).pipe(Option.getOrUndefined)).toEqual(
                new Administration.OutsideJurisdiction({
                  scopeId: "s1",
                  entity: "unit",
                  id: u.id,
                  field: "parentId",
                  unitId: "c3"
                })
              )
              expect(Hierarchy.has(h, u.id)).toBe(false)
            }
          }
          const accepted = units.filter((u) => u.parentId === "c1").length
          expect(Hierarchy.units(h).length).toBe(base.length + accepted)
        }),
      { fastCheck: { numRuns: 30 } }
    )

    it.effect.prop(
      "concurrent putUnit of one unit id with different names: each succeeds, the stored unit has one of the names",
      [newIds(1), fc.uniqueArray(anyName, { minLength: 2, maxLength: 10 })],
      ([[id], names]) =>
        Effect.gen(function* () {
          yield* reset
          if (id === undefined) return
          const results = yield* Effect.all(
            names.map((name) =>
              Effect.either(
                Administration.putUnit("d", Unit.make({ id, parentId: "c1", level: "compound", name }))
              )
            ),
            { concurrency: "unbounded" }
          )
          for (const r of results) expect(Either.isRight(r)).toBe(true)
          const h = yield* stored
          const unit = Hierarchy.get(h, id)
          expect(Option.isSome(unit) && names.includes(unit.value.name)).toBe(true)
          expect(Hierarchy.units(h).length).toBe(base.length + 1)
        }),
      { fastCheck: { numRuns: 30 } }
    )

    it.effect.prop(
      "N concurrent raw updates: each sees the previous one's result, none is lost",
      [newIds(20)],
      ([ids]) =>
        Effect.gen(function* () {
          const repo = yield* HierarchyRepository.HierarchyRepository
          yield* reset
          yield* Effect.all(
            ids.map((id) =>
              repo.update((current) =>
                Option.match(current, {
                  onNone: () => Either.left(new Refused({ reason: "empty" })),
                  onSome: (h) =>
                    Either.right({
                      scheme: h.scheme,
                      units: [
                        ...Hierarchy.units(h),
                        Unit.make({ id, parentId: "c3", level: "compound", name: "小区" })
                      ]
                    })
                })
              )
            ),
            { concurrency: "unbounded" }
          )
          const h = yield* stored
          for (const id of ids) expect(Hierarchy.has(h, id)).toBe(true)
          expect(Hierarchy.units(h).length).toBe(base.length + ids.length)
        }),
      { fastCheck: { numRuns: 30 } }
    )
  })

  it.effect("concurrent first updates of an empty store: one creates the hierarchy, the rest add to it", () =>
    Effect.gen(function* () {
      const repo = yield* HierarchyRepository.HierarchyRepository
      const ids = Array.from({ length: 20 }, (_, i) => `new${i}`)
      yield* Effect.all(
        ids.map((id) =>
          repo.update((current) => {
            const units = Option.match(current, { onNone: () => base, onSome: Hierarchy.units })
            return Either.right({
              scheme: LevelScheme.FiveLevel,
              units: [...units, Unit.make({ id, parentId: "c1", level: "compound", name: "小区" })]
            })
          })
        ),
        { concurrency: "unbounded" }
      )
      const h = yield* stored
      expect(
        Hierarchy.units(h)
          .map((u) => u.id)
          .sort()
      ).toEqual([...baseIds, ...ids].sort())
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "a refused change fails with the caller's error, an invalid one with HierarchyInvalid; nothing is written",
    () =>
      Effect.gen(function* () {
        const repo = yield* HierarchyRepository.HierarchyRepository
        const before = yield* reset
        const refused = yield* Effect.flip(repo.update(() => Either.left(new Refused({ reason: "no" }))))
        expect(refused).toEqual(new Refused({ reason: "no" }))
        const cycle = [
          ...base.filter((u) => u.id !== "s1"),
          Unit.make({ id: "s1", parentId: "c1", level: "street", name: "一街道" })
        ]
        const invalid = yield* Effect.flip(
          repo.update(() => Either.right({ scheme: LevelScheme.FiveLevel, units: cycle }))
        )
        const expected = Hierarchy.make(LevelScheme.FiveLevel, cycle)
        expect(Either.isLeft(expected) && expected.left).toEqual(invalid)
        expect(Hierarchy.units(yield* stored)).toEqual(Hierarchy.units(before))
        expect(
          (yield* Effect.flip(
            Administration.putUnit("d", Unit.make({ id: "x", parentId: null, level: "compound", name: "x" }))
          ))._tag
        ).toBe("UnitChangeRefused")
      }).pipe(Effect.provide(target.layer()))
  )

  it.effect("putUnit before any hierarchy is saved: HierarchyNotFound, nothing written", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Administration.putUnit(
          "d",
          Unit.make({ id: "c9", parentId: "s1", level: "community", name: "九社区" })
        )
      )
      expect(error._tag).toBe("HierarchyNotFound")
      expect((yield* Effect.flip(stored))._tag).toBe("HierarchyNotFound")
    }).pipe(Effect.provide(target.layer()))
  )
})
