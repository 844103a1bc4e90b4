/**
 * 组织体系缓存 — `HierarchyRepository.layerCached` over the memory store: the
 * store's `version` changes with every hierarchy write and only then; the
 * cache serves the last loaded hierarchy without asking the store, a
 * background poll (every `pollInterval`, on the `TestClock`) reloads only when
 * the version changed, another layer's write (another process) is seen within
 * one poll, a write through the layer is seen by the very next read (also
 * while an older reload is in flight), and a failed poll keeps the old tree.
 */

import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import * as Hierarchy from "../src/Hierarchy.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as PartyOrganization from "../src/PartyOrganization.js"
import { StorageUnavailable } from "../src/Storage.js"
import * as Unit from "../src/Unit.js"

const Repo = HierarchyRepository.HierarchyRepository
type Repo = Context.Tag.Service<typeof Repo>

const rows = (streets: number): ReadonlyArray<Unit.Unit> => [
  Unit.make({ id: "d", parentId: null, level: "district", name: "示范区" }),
  ...Array.from({ length: streets }, (_, i) =>
    Unit.make({ id: `s${i}`, parentId: "d", level: "street", name: `街道${i}` })
  )
]

const community = (id: string, parentId: string) =>
  Unit.make({ id, parentId, level: "community", name: `社区${id}` })

/** The units of a hierarchy as comparable data (id order). */
const shape = (h: Hierarchy.Hierarchy) =>
  Hierarchy.units(h)
    .map((u) => `${u.id}<${u.parentId ?? ""}:${u.level}:${u.name}`)
    .sort()

/** Lets the fibers woken by the test clock run (the memory store answers without I/O). */
const settle = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 5)))

/** Advances the test clock by one poll interval and lets the polls finish. */
const poll = Effect.zipRight(TestClock.adjust("2 seconds"), settle)

/** A store that counts `load`s, can be made unavailable, and can hold a `load` until released. */
interface Instrumented {
  readonly service: Repo
  readonly loads: Ref.Ref<number>
  readonly unavailable: Ref.Ref<boolean>
  /** While set, `load` waits for this deferred (the load is "in flight"). */
  readonly gate: Ref.Ref<Option.Option<Deferred.Deferred<void>>>
}

const instrument = (inner: Repo): Effect.Effect<Instrumented> =>
  Effect.gen(function* () {
    const loads = yield* Ref.make(0)
    const unavailable = yield* Ref.make(false)
    const gate = yield* Ref.make(Option.none<Deferred.Deferred<void>>())
    const failing = Effect.flatMap(Ref.get(unavailable), (down) =>
      down
        ? Effect.fail(
            new StorageUnavailable({ reason: "unreachable", retryAfterSeconds: 1, message: "test" })
          )
        : Effect.void
    )
    const service: Repo = {
      ...inner,
      version: Effect.zipRight(failing, inner.version),
      load: Effect.gen(function* () {
        yield* failing
        yield* Ref.update(loads, (n) => n + 1)
        // read first, then wait: a held load returns what the store held when it began
        const result = yield* Effect.either(inner.load)
        const held = yield* Ref.get(gate)
        if (Option.isSome(held)) yield* Deferred.await(held.value)
        return yield* result
      })
    }
    return { service, loads, unavailable, gate }
  })

/** A cached layer over `store`, built in the test's scope. */
const cachedOver = (store: Repo) =>
  Effect.map(
    Layer.build(
      HierarchyRepository.layerCached({
        pollInterval: "2 seconds",
        schedule: Schedule.spaced("2 seconds")
      }).pipe(Layer.provide(Layer.succeed(Repo, store)))
    ),
    (context) => Context.get(context, Repo)
  )

/** One memory store, instrumented, with two caches over it (two processes on one database). */
const twoCaches = Effect.gen(function* () {
  const memory = Context.get(yield* Layer.build(HierarchyRepository.layerMemory), Repo)
  const store = yield* instrument(memory)
  const a = yield* cachedOver(store.service)
  const b = yield* cachedOver(store.service)
  yield* settle
  return { store, a, b }
})

describe("HierarchyRepository.layerMemory version", () => {
  it.effect("changes with every hierarchy write kind, and not with a refused write or a party save", () =>
    Effect.gen(function* () {
      const repo = yield* Repo
      const seen = [yield* repo.version]
      const mark = Effect.flatMap(repo.version, (v) => Effect.sync(() => seen.push(v)))
      yield* repo.save(LevelScheme.FiveLevel, rows(2))
      yield* mark
      yield* repo.update((current) =>
        Either.right({
          scheme: LevelScheme.FiveLevel,
          units: [
            ...Option.match(current, { onNone: () => [], onSome: Hierarchy.units }),
            community("c", "s0")
          ]
        })
      )
      yield* mark
      yield* repo.move("c", "s1")
      yield* mark
      expect(new Set(seen).size).toBe(4)
      const before = yield* repo.version
      yield* Effect.flip(repo.save(LevelScheme.FiveLevel, [...rows(1), community("x", "nowhere")]))
      yield* Effect.flip(repo.update(() => Either.left("refused")))
      yield* Effect.flip(repo.move("c", "c"))
      yield* repo.savePartyOrganizations([
        PartyOrganization.makeOrg({
          id: "p",
          parentId: null,
          kind: "street-working-committee",
          name: "街道党工委",
          unitId: "s1"
        })
      ])
      expect(yield* repo.version).toBe(before)
    }).pipe(Effect.provide(HierarchyRepository.layerMemory))
  )
})

describe("HierarchyRepository.layerCached", () => {
  it.scoped(
    "serves the loaded hierarchy without reading the store; a poll reloads only when the version changed",
    () =>
      Effect.gen(function* () {
        const memory = Context.get(yield* Layer.build(HierarchyRepository.layerMemory), Repo)
        yield* memory.save(LevelScheme.FiveLevel, rows(2))
        const store = yield* instrument(memory)
        const cache = yield* cachedOver(store.service)
        yield* settle
        // nothing read until the first load (or the first poll)
        expect(yield* Ref.get(store.loads)).toBe(0)
        yield* cache.load
        expect(yield* Ref.get(store.loads)).toBe(1)
        for (let i = 0; i < 5; i++) expect(shape(yield* cache.load)).toEqual(shape(yield* memory.load))
        yield* poll
        yield* poll
        expect(yield* Ref.get(store.loads)).toBe(1)
        yield* memory.save(LevelScheme.FiveLevel, rows(3))
        expect(Hierarchy.units(yield* cache.load).length).toBe(3)
        yield* poll
        expect(Hierarchy.units(yield* cache.load).length).toBe(4)
        expect(yield* Ref.get(store.loads)).toBe(2)
      })
  )

  it.scoped("a store written by another layer after this one was built is read fresh at the first load", () =>
    Effect.gen(function* () {
      const { a, b } = yield* twoCaches
      yield* a.save(LevelScheme.FiveLevel, rows(2))
      expect(Hierarchy.units(yield* b.load).length).toBe(3)
    })
  )

  it.scoped("another layer's write on the same store is seen within one poll", () =>
    Effect.gen(function* () {
      const { a, b } = yield* twoCaches
      expect((yield* Effect.flip(b.load))._tag).toBe("HierarchyNotFound")
      yield* a.save(LevelScheme.FiveLevel, rows(2))
      expect(Hierarchy.units(yield* a.load).length).toBe(3)
      // B still holds what it loaded (no hierarchy) until its next poll
      expect((yield* Effect.flip(b.load))._tag).toBe("HierarchyNotFound")
      yield* poll
      expect(Hierarchy.units(yield* b.load).length).toBe(3)
      yield* a.save(LevelScheme.FiveLevel, [...rows(2), community("c", "s0")])
      yield* a.move("c", "s1")
      yield* poll
      expect(Option.map(Hierarchy.get(yield* b.load, "c"), (u) => u.parentId)).toEqual(Option.some("s1"))
    })
  )

  it.scoped(
    "a write through the layer is seen by the next read, also while an older reload is in flight",
    () =>
      Effect.gen(function* () {
        const { store, a, b } = yield* twoCaches
        yield* a.save(LevelScheme.FiveLevel, rows(1))
        yield* poll
        // A writes; B's poll starts reloading that version and is held in flight
        const gate = yield* Deferred.make<void>()
        yield* Ref.set(store.gate, Option.some(gate))
        yield* a.save(LevelScheme.FiveLevel, rows(2))
        yield* poll
        // meanwhile B writes: its next read is its own write, not the reload's older tree
        yield* b.save(LevelScheme.FiveLevel, rows(4))
        expect(Hierarchy.units(yield* b.load).length).toBe(5)
        yield* Ref.set(store.gate, Option.none())
        yield* Deferred.succeed(gate, undefined)
        yield* settle
        expect(Hierarchy.units(yield* b.load).length).toBe(5)
        yield* poll
        expect(Hierarchy.units(yield* b.load).length).toBe(5)
        expect(Hierarchy.units(yield* a.load).length).toBe(5)
      })
  )

  it.scoped("reads are not held by a reload in flight: they get the last loaded tree", () =>
    Effect.gen(function* () {
      const { store, a, b } = yield* twoCaches
      yield* a.save(LevelScheme.FiveLevel, rows(1))
      yield* poll
      const gate = yield* Deferred.make<void>()
      yield* Ref.set(store.gate, Option.some(gate))
      yield* a.save(LevelScheme.FiveLevel, rows(3))
      yield* poll
      const loadsInFlight = yield* Ref.get(store.loads)
      expect(Hierarchy.units(yield* b.load).length).toBe(2)
      yield* Ref.set(store.gate, Option.none())
      yield* Deferred.succeed(gate, undefined)
      yield* settle
      expect(Hierarchy.units(yield* b.load).length).toBe(4)
      expect(yield* Ref.get(store.loads)).toBe(loadsInFlight)
    })
  )

  it.scoped("a failed poll keeps serving the old tree and the next poll retries", () =>
    Effect.gen(function* () {
      const { store, a, b } = yield* twoCaches
      yield* a.save(LevelScheme.FiveLevel, rows(1))
      yield* poll
      expect(Hierarchy.units(yield* b.load).length).toBe(2)
      yield* a.save(LevelScheme.FiveLevel, rows(2))
      yield* Ref.set(store.unavailable, true)
      const loads = yield* Ref.get(store.loads)
      yield* poll
      yield* poll
      expect(Hierarchy.units(yield* b.load).length).toBe(2)
      expect(yield* Ref.get(store.loads)).toBe(loads)
      yield* Ref.set(store.unavailable, false)
      yield* poll
      expect(Hierarchy.units(yield* b.load).length).toBe(3)
    })
  )

  it.scoped("a first load that found the store unavailable fails and is not kept", () =>
    Effect.gen(function* () {
      const memory = Context.get(yield* Layer.build(HierarchyRepository.layerMemory), Repo)
      yield* memory.save(LevelScheme.FiveLevel, rows(1))
      const store = yield* instrument(memory)
      yield* Ref.set(store.unavailable, true)
      const cache = yield* cachedOver(store.service)
      yield* settle
      expect((yield* Effect.flip(cache.load))._tag).toBe("StorageUnavailable")
      yield* Ref.set(store.unavailable, false)
      expect(Hierarchy.units(yield* cache.load).length).toBe(2)
    })
  )

  it.scoped("concurrent first loads share one store read", () =>
    Effect.gen(function* () {
      const memory = Context.get(yield* Layer.build(HierarchyRepository.layerMemory), Repo)
      yield* memory.save(LevelScheme.FiveLevel, rows(3))
      const store = yield* instrument(memory)
      const gate = yield* Deferred.make<void>()
      yield* Ref.set(store.gate, Option.some(gate))
      const cache = yield* cachedOver(store.service)
      const sizes = yield* Effect.fork(
        Effect.all(
          Array.from({ length: 20 }, () => Effect.map(cache.load, (h) => Hierarchy.units(h).length)),
          { concurrency: "unbounded" }
        )
      )
      yield* settle
      yield* Deferred.succeed(gate, undefined)
      expect(new Set(yield* Effect.fromFiber(sizes))).toEqual(new Set([4]))
      expect(yield* Ref.get(store.loads)).toBe(1)
    })
  )

  it.scoped("a refused write keeps the cache; the deprecated timeToLive is read as the poll interval", () =>
    Effect.gen(function* () {
      const memory = Context.get(yield* Layer.build(HierarchyRepository.layerMemory), Repo)
      const store = yield* instrument(memory)
      const cache = Context.get(
        yield* Layer.build(
          HierarchyRepository.layerCached({
            timeToLive: "10 seconds",
            schedule: Schedule.spaced("10 seconds")
          }).pipe(Layer.provide(Layer.succeed(Repo, store.service)))
        ),
        Repo
      )
      yield* cache.save(LevelScheme.FiveLevel, rows(1))
      yield* TestClock.adjust("10 seconds")
      yield* settle
      const loads = yield* Ref.get(store.loads)
      yield* Effect.flip(cache.save(LevelScheme.FiveLevel, [...rows(1), community("x", "nowhere")]))
      yield* Effect.flip(cache.move("s0", "s0"))
      expect(Hierarchy.units(yield* cache.load).length).toBe(2)
      expect(yield* Ref.get(store.loads)).toBe(loads)
      yield* memory.save(LevelScheme.FiveLevel, rows(2))
      yield* TestClock.adjust("5 seconds")
      yield* settle
      expect(Hierarchy.units(yield* cache.load).length).toBe(2)
      yield* TestClock.adjust("5 seconds")
      yield* settle
      expect(Hierarchy.units(yield* cache.load).length).toBe(3)
    })
  )
})

describe("HierarchyRepository.layerCached polls on the real clock by default", () => {
  it.scoped("a test clock set years ahead does not replay the polls in between", () =>
    Effect.gen(function* () {
      const memory = Context.get(yield* Layer.build(HierarchyRepository.layerMemory), Repo)
      const versions = yield* Ref.make(0)
      const counted: Repo = {
        ...memory,
        version: Effect.zipRight(
          Ref.update(versions, (n) => n + 1),
          memory.version
        )
      }
      const cache = Context.get(
        yield* Layer.build(
          HierarchyRepository.layerCached().pipe(Layer.provide(Layer.succeed(Repo, counted)))
        ),
        Repo
      )
      yield* cache.save(LevelScheme.FiveLevel, rows(1))
      const afterWrite = yield* Ref.get(versions)
      yield* TestClock.adjust("3650 days")
      yield* settle
      // on the ambient (test) clock this would be one poll per 2 seconds of ten years
      expect((yield* Ref.get(versions)) - afterWrite).toBe(0)
      expect(Hierarchy.units(yield* cache.load).length).toBe(2)
    })
  )
})

describe("HierarchyRepository.layerCached and a write whose transaction is still open", () => {
  it.scoped("a poll from another connection before the commit keeps what the write put in the cache", () =>
    Effect.gen(function* () {
      // a store with transactions: inside one (`inTransaction`), reads see the write; outside, only after commit
      const inTransaction = FiberRef.unsafeMake(false)
      const committed = Context.get(yield* Layer.build(HierarchyRepository.layerMemory), Repo)
      const pending = Context.get(yield* Layer.build(HierarchyRepository.layerMemory), Repo)
      yield* committed.save(LevelScheme.FiveLevel, rows(1))
      yield* pending.save(LevelScheme.FiveLevel, rows(1))
      const open = Effect.map(FiberRef.get(inTransaction), (inside) => (inside ? pending : committed))
      const store: Repo = {
        ...committed,
        version: Effect.flatMap(open, (r) => r.version),
        load: Effect.flatMap(open, (r) => r.load),
        save: (scheme, units) => Effect.flatMap(open, (r) => r.save(scheme, units))
      }
      const cache = Context.get(
        yield* Layer.build(
          HierarchyRepository.layerCached({
            pollInterval: "2 seconds",
            schedule: Schedule.spaced("2 seconds")
          }).pipe(Layer.provide(Layer.succeed(Repo, store)))
        ),
        Repo
      )
      expect(Hierarchy.units(yield* cache.load).length).toBe(2)
      // the write, inside its transaction
      yield* Effect.locally(cache.save(LevelScheme.FiveLevel, rows(3)), inTransaction, true)
      expect(Hierarchy.units(yield* cache.load).length).toBe(4)
      // polls while the transaction is open see the version from before: the written hierarchy stays
      yield* poll
      yield* poll
      expect(Hierarchy.units(yield* cache.load).length).toBe(4)
      // committed: the store now has the write's version; the cache keeps serving it
      yield* committed.save(LevelScheme.FiveLevel, rows(3))
      yield* poll
      expect(Hierarchy.units(yield* cache.load).length).toBe(4)
      // another writer after it: the next poll reloads
      yield* committed.save(LevelScheme.FiveLevel, rows(5))
      yield* poll
      expect(Hierarchy.units(yield* cache.load).length).toBe(6)
    })
  )
})

/** A write of the property test: which layer writes, and what. */
type Write =
  | { readonly _tag: "save"; readonly streets: number; readonly via: "a" | "b" }
  | { readonly _tag: "add"; readonly id: string; readonly street: number; readonly via: "a" | "b" }
  | { readonly _tag: "move"; readonly id: string; readonly street: number; readonly via: "a" | "b" }

const via = fc.constantFrom<"a" | "b">("a", "a", "a", "b")
const anyWrite: fc.Arbitrary<Write> = fc.oneof(
  fc.record({ _tag: fc.constant("save" as const), streets: fc.integer({ min: 1, max: 4 }), via }),
  fc.record({
    _tag: fc.constant("add" as const),
    id: fc.constantFrom("c1", "c2", "c3"),
    street: fc.integer({ min: 0, max: 3 }),
    via
  }),
  fc.record({
    _tag: fc.constant("move" as const),
    id: fc.constantFrom("c1", "c2", "c3"),
    street: fc.integer({ min: 0, max: 3 }),
    via
  })
)
/** A step: a write, or a poll of B's interval followed by a read through B. */
const anyStep = fc.oneof(anyWrite, fc.constant({ _tag: "poll" as const }))

const apply = (repo: Repo, w: Write) => {
  switch (w._tag) {
    case "save":
      return repo.save(LevelScheme.FiveLevel, rows(w.streets))
    case "add":
      return repo.update((current) =>
        Either.right({
          scheme: LevelScheme.FiveLevel,
          units: [
            ...Option.match(current, { onNone: () => rows(1), onSome: Hierarchy.units }).filter(
              (u) => u.id !== w.id
            ),
            community(w.id, `s${w.street}`)
          ]
        })
      )
    case "move":
      return repo.move(w.id, `s${w.street}`)
  }
}

describe("HierarchyRepository.layerCached, property", () => {
  it.effect.prop(
    "B's reads after a poll equal the store's state; B's reads right after its own write equal it too",
    [fc.array(anyStep, { minLength: 1, maxLength: 25 })],
    ([steps]) =>
      Effect.scoped(
        Effect.gen(function* () {
          const { store, a, b } = yield* twoCaches
          const memory = store.service
          const expectFresh = Effect.gen(function* () {
            const truth = yield* Effect.either(memory.load)
            const seen = yield* Effect.either(b.load)
            expect(Either.map(seen, shape)).toEqual(Either.map(truth, shape))
          })
          for (const step of steps) {
            if (step._tag === "poll") {
              yield* poll
              yield* expectFresh
            } else {
              const result = yield* Effect.either(apply(step.via === "a" ? a : b, step))
              // a write through B is seen by B's next read at once
              if (step.via === "b" && Either.isRight(result)) yield* expectFresh
            }
          }
          yield* poll
          yield* expectFresh
        })
      ),
    { fastCheck: { numRuns: 60 } }
  )
})
