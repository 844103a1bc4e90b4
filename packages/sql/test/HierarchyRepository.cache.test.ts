/**
 * 层级版本与缓存（SQL） — `SqlHierarchyRepository.version` and
 * `HierarchyRepository.layerCached` on SQLite and PostgreSQL: the version in
 * `cg_hierarchy_version` changes with every hierarchy write kind (`save`,
 * `update`, `move`) and not with a refused one; concurrent writers through two
 * clients (two processes) never lose a bump; a cache on one client sees the
 * other client's writes after a poll, its own writes at once, and, over random
 * sequences of writes through both, settles on the store's state.
 */
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as Unit from "@civicgrid/core/Unit"
import { freshDatabaseUrl } from "@civicgrid/testkit/Databases"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Migrations from "../src/Migrations.js"
import * as SqlHierarchyRepository from "../src/SqlHierarchyRepository.js"
import * as SqliteStore from "../src/SqliteStore.js"
import { pgUrl, sqliteFile } from "./support/Databases.js"

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

const shape = (h: Hierarchy.Hierarchy) =>
  Hierarchy.units(h)
    .map((u) => `${u.id}<${u.parentId ?? ""}:${u.level}:${u.name}`)
    .sort()

/** Adds (or re-parents) one community through the read-modify-write. */
const addCommunity = (repo: Repo, id: string, parentId: string) =>
  repo.update((current) =>
    Either.right({
      scheme: LevelScheme.FiveLevel,
      units: [
        ...Option.match(current, { onNone: () => rows(1), onSome: Hierarchy.units }).filter(
          (u) => u.id !== id
        ),
        community(id, parentId)
      ]
    })
  )

type Client = Layer.Layer<SqlClient.SqlClient>

/** Two separate clients on one fresh database of each dialect (two processes). */
const twoClients: ReadonlyArray<{
  readonly name: string
  readonly clients: Effect.Effect<readonly [Client, Client], never, Scope.Scope>
}> = [
  {
    name: "sqlite file opened twice",
    clients: Effect.map(
      Effect.acquireRelease(Effect.sync(sqliteFile), (f) => Effect.sync(f.cleanup)),
      (f) =>
        [
          Layer.orDie(SqliteStore.layer({ filename: f.filename })),
          Layer.orDie(SqliteStore.layer({ filename: f.filename }))
        ] as const
    )
  },
  ...(pgUrl === undefined
    ? []
    : [
        {
          name: "pg, two pools",
          clients: Effect.map(freshDatabaseUrl(pgUrl), (url) => {
            const pool = () =>
              PgClient.layer({ url: Redacted.make(url), maxConnections: 4 }).pipe(Layer.orDie)
            return [pool(), pool()] as const
          })
        }
      ])
]

/** The bare store on each client (migrated through the first) and a cache over each, polling every 50 ms. */
const stores = (clients: Effect.Effect<readonly [Client, Client], never, Scope.Scope>) =>
  Effect.gen(function* () {
    const [a, b] = yield* clients
    const bare = (client: Client) =>
      Effect.map(Layer.build(SqlHierarchyRepository.layer.pipe(Layer.provideMerge(client))), (context) => ({
        context,
        repo: Context.get(context, Repo)
      }))
    const first = yield* bare(a)
    yield* Effect.orDie(Migrations.run).pipe(Effect.provide(first.context))
    const second = yield* bare(b)
    const cached = (repo: Repo) =>
      Effect.map(
        Layer.build(
          HierarchyRepository.layerCached({ pollInterval: "50 millis" }).pipe(
            Layer.provide(Layer.succeed(Repo, repo))
          )
        ),
        (context) => Context.get(context, Repo)
      )
    return {
      storeA: first.repo,
      storeB: second.repo,
      cacheA: yield* cached(first.repo),
      cacheB: yield* cached(second.repo)
    }
  })

/** Retries `check` (live time: the caches poll every 50 ms) until it passes, for up to `seconds`. */
const eventually = <A, E>(check: Effect.Effect<A, E>, seconds = 10) =>
  check.pipe(
    Effect.sandbox,
    Effect.retry({ schedule: Schedule.spaced("20 millis"), times: seconds * 50 }),
    Effect.unsandbox
  )

describe.each(twoClients)("hierarchy version and cache: $name", ({ clients }) => {
  it.live(
    "every write kind bumps the version; a refused write does not",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { storeA, storeB } = yield* stores(clients)
          const seen = [yield* storeA.version]
          const mark = Effect.flatMap(storeB.version, (v) => Effect.sync(() => seen.push(v)))
          yield* storeA.save(LevelScheme.FiveLevel, rows(2))
          yield* mark
          yield* addCommunity(storeA, "c", "s0")
          yield* mark
          yield* storeA.move("c", "s1")
          yield* mark
          expect(new Set(seen).size).toBe(4)
          expect(seen.map(Number)).toEqual([0, 1, 2, 3])
          yield* Effect.flip(storeA.save(LevelScheme.FiveLevel, [...rows(1), community("x", "nowhere")]))
          yield* Effect.flip(storeA.update(() => Either.left("refused")))
          yield* Effect.flip(storeA.move("c", "c"))
          yield* storeA.savePartyOrganizations([
            PartyOrganization.makeOrg({
              id: "p",
              parentId: null,
              kind: "street-working-committee",
              name: "街道党工委",
              unitId: "s1"
            })
          ])
          expect(yield* storeB.version).toBe(seen[3])
        })
      ),
    60_000
  )

  it.live(
    "load reads every unit across its pages (5,000 rows a statement), ids with characters that sort oddly",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { storeA, storeB } = yield* stores(clients)
          const odd = ["a", "A", "a/b", "a%", "a_", "a b", "社区", "Z", "z~", "0"]
          const units = [
            ...rows(3),
            ...Array.from({ length: 11_000 }, (_, i) => community(`${odd[i % odd.length]}-${i}`, `s${i % 3}`))
          ]
          const saved = yield* storeA.save(LevelScheme.FiveLevel, units)
          expect(Hierarchy.units(saved).length).toBe(11_004)
          expect(shape(yield* storeB.load)).toEqual(shape(saved))
        })
      ),
    60_000
  )

  it.live(
    "concurrent writers through both clients never lose a bump",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { storeA, storeB } = yield* stores(clients)
          yield* storeA.save(LevelScheme.FiveLevel, rows(3))
          const before = Number(yield* storeA.version)
          const n = 12
          yield* Effect.all(
            Array.from({ length: n }, (_, i) => {
              const repo = i % 2 === 0 ? storeA : storeB
              return i % 3 === 0 ? addCommunity(repo, `c${i}`, "s0") : addCommunity(repo, `c${i}`, "s1")
            }),
            { concurrency: "unbounded" }
          )
          yield* Effect.all(
            Array.from({ length: n }, (_, i) => (i % 2 === 0 ? storeA : storeB).move(`c${i}`, "s2")),
            { concurrency: "unbounded" }
          )
          expect(Number(yield* storeB.version)).toBe(before + 2 * n)
        })
      ),
    60_000
  )

  it.live(
    "a cache sees the other client's write after a poll and its own write at once",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { cacheA, cacheB } = yield* stores(clients)
          yield* cacheA.save(LevelScheme.FiveLevel, rows(2))
          yield* eventually(Effect.map(cacheB.load, (h) => expect(Hierarchy.units(h).length).toBe(3)))
          yield* cacheA.move("s1", "s1").pipe(Effect.flip)
          yield* addCommunity(cacheA, "c", "s0")
          yield* cacheA.move("c", "s1")
          yield* eventually(
            Effect.map(cacheB.load, (h) =>
              expect(Option.map(Hierarchy.get(h, "c"), (u) => u.parentId)).toEqual(Option.some("s1"))
            )
          )
          // B's own write: its very next read, no waiting
          yield* cacheB.move("c", "s0")
          expect(Option.map(Hierarchy.get(yield* cacheB.load, "c"), (u) => u.parentId)).toEqual(
            Option.some("s0")
          )
          yield* eventually(
            Effect.map(cacheA.load, (h) =>
              expect(Option.map(Hierarchy.get(h, "c"), (u) => u.parentId)).toEqual(Option.some("s0"))
            )
          )
        })
      ),
    60_000
  )

  type Write =
    | { readonly _tag: "save"; readonly streets: number; readonly viaB: boolean }
    | { readonly _tag: "add" | "move"; readonly id: string; readonly street: number; readonly viaB: boolean }

  const anyWrite: fc.Arbitrary<Write> = fc.oneof(
    fc.record({
      _tag: fc.constant("save" as const),
      streets: fc.integer({ min: 1, max: 3 }),
      viaB: fc.boolean()
    }),
    fc.record({
      _tag: fc.constantFrom("add" as const, "move" as const),
      id: fc.constantFrom("c1", "c2"),
      street: fc.integer({ min: 0, max: 2 }),
      viaB: fc.boolean()
    })
  )

  it.live.prop(
    "random writes through both caches: B's reads after its own writes are fresh and B settles on the store",
    [fc.array(anyWrite, { minLength: 1, maxLength: 8 })],
    ([writes]) =>
      Effect.scoped(
        Effect.gen(function* () {
          const { storeA, cacheA, cacheB } = yield* stores(clients)
          const fresh = Effect.gen(function* () {
            const truth = yield* Effect.either(storeA.load)
            const seen = yield* Effect.either(cacheB.load)
            expect(Either.map(seen, shape)).toEqual(Either.map(truth, shape))
          })
          for (const w of writes) {
            const repo = w.viaB ? cacheB : cacheA
            const result = yield* Effect.either(
              w._tag === "save"
                ? repo.save(LevelScheme.FiveLevel, rows(w.streets))
                : w._tag === "add"
                  ? addCommunity(repo, w.id, `s${w.street}`)
                  : repo.move(w.id, `s${w.street}`)
            )
            if (w.viaB && Either.isRight(result)) yield* fresh
          }
          yield* eventually(Effect.orDie(fresh))
        })
      ),
    { fastCheck: { numRuns: 4 }, timeout: 60_000 }
  )
})
