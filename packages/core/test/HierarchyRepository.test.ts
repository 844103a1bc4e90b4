/**
 * 组织体系缓存 — `HierarchyRepository.layerCached`: loads are served from the
 * cache until the time to live passes, writes through the layer invalidate it
 * at once, and concurrent loads share one store read.
 */

import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Unit from "../src/Unit.js"

const rows = (streets: number): ReadonlyArray<Unit.Unit> => [
  Unit.make({ id: "d", parentId: null, level: "district", name: "示范区" }),
  ...Array.from({ length: streets }, (_, i) =>
    Unit.make({ id: `s${i}`, parentId: "d", level: "street", name: `街道${i}` })
  )
]

/** The memory store with its `load` counted. */
class Loads extends Context.Tag("test/Loads")<Loads, Ref.Ref<number>>() {}

const counted = Layer.effect(
  HierarchyRepository.HierarchyRepository,
  Effect.gen(function* () {
    const inner = yield* HierarchyRepository.HierarchyRepository
    const loads = yield* Loads
    return {
      ...inner,
      load: Effect.zipRight(
        Ref.update(loads, (n) => n + 1),
        inner.load
      )
    }
  })
).pipe(Layer.provide(HierarchyRepository.layerMemory))

const env = Layer.provideMerge(
  HierarchyRepository.layerCached({ timeToLive: "10 seconds" }).pipe(Layer.provide(counted)),
  Layer.effect(Loads, Ref.make(0))
)

const repo = HierarchyRepository.HierarchyRepository
const loads = Effect.flatMap(Loads, Ref.get)
const size = Effect.flatMap(repo, (r) => Effect.map(r.load, (h) => [...h].length))

describe("HierarchyRepository.layerCached", () => {
  it.effect("reuses a loaded hierarchy until the time to live passes, then reads the store again", () =>
    Effect.gen(function* () {
      yield* Effect.flatMap(repo, (r) => r.save(LevelScheme.FiveLevel, rows(2)))
      expect(yield* size).toBe(3)
      expect(yield* size).toBe(3)
      expect(yield* loads).toBe(1)
      yield* TestClock.adjust("9 seconds")
      expect(yield* size).toBe(3)
      expect(yield* loads).toBe(1)
      yield* TestClock.adjust("2 seconds")
      expect(yield* size).toBe(3)
      expect(yield* loads).toBe(2)
    }).pipe(Effect.provide(env))
  )

  it.effect("a save or move through the layer is seen by the next load at once", () =>
    Effect.gen(function* () {
      const r = yield* repo
      yield* r.save(LevelScheme.FiveLevel, rows(1))
      expect(yield* size).toBe(2)
      yield* r.save(LevelScheme.FiveLevel, rows(4))
      expect(yield* size).toBe(5)
      yield* r.save(LevelScheme.FiveLevel, [
        ...rows(2),
        Unit.make({ id: "c", parentId: "s0", level: "community", name: "社区" })
      ])
      expect((yield* r.load).pipe((h) => [...h].find((u) => u.id === "c")?.parentId)).toBe("s0")
      yield* r.move("c", "s1")
      expect((yield* r.load).pipe((h) => [...h].find((u) => u.id === "c")?.parentId)).toBe("s1")
    }).pipe(Effect.provide(env))
  )

  it.effect("an empty store's HierarchyNotFound is not kept past the first save", () =>
    Effect.gen(function* () {
      const r = yield* repo
      const missing = yield* Effect.flip(r.load)
      expect(missing._tag).toBe("HierarchyNotFound")
      yield* r.save(LevelScheme.FiveLevel, rows(1))
      expect(yield* size).toBe(2)
    }).pipe(Effect.provide(env))
  )

  it.effect("concurrent loads of an empty cache share one store read", () =>
    Effect.gen(function* () {
      yield* Effect.flatMap(repo, (r) => r.save(LevelScheme.FiveLevel, rows(3)))
      const sizes = yield* Effect.all(
        Array.from({ length: 20 }, () => size),
        { concurrency: "unbounded" }
      )
      expect(new Set(sizes)).toEqual(new Set([4]))
      expect(yield* loads).toBe(1)
    }).pipe(Effect.provide(env))
  )
})
