/**
 * 层级缓存 — the hierarchy cache at city scale (100,000 and 300,000 units) on
 * SQLite (a temporary file, `SqliteStore`): what a reload costs, and what
 * requests that read the hierarchy see while one runs.
 *
 * **The city.** LevelScheme.FiveLevel: a district, streets of 30
 * communities, each of 20 compounds of 5 buildings (3,631 units a street),
 * cut at N units, saved through `SqlHierarchyRepository`.
 *
 * **(a) Reload.** `SqlHierarchyRepository.load` (the stored rows built with
 * `Unit.make`, trusted: the store wrote them after `Hierarchy.make` validated
 * them) against the same read with every row decoded by the `Unit` schema,
 * as the store did before — both then index with `Hierarchy.make`.
 *
 * **(b) Requests during a reload.** "Requests" — each a jurisdiction check:
 * `load`, then `Hierarchy.isWithin(building, street)` — arrive on a fixed
 * schedule (4 clients, one request every 2 ms in all); a request's latency
 * runs from when it was DUE, so time spent waiting for the event loop
 * counts (no coordinated omission). Three windows of the same length, each
 * with a fresh cache over the loaded file:
 *
 * - quiet — `layerCached`, nothing changes: the floor.
 * - background reload — `layerCached` (poll every 100 ms); at the window's
 *   start another writer (a second store on the file: another process)
 *   moves a unit, so the poll finds a new version and reloads while the
 *   requests run; the window lasts until the reload is in and then some.
 * - (c) the old time to live — the cache as it was
 *   (`Effect.cachedInvalidateWithTTL` of the same `load`), expiring once,
 *   200 ms into the window (the 5 s default expired once every 5 s): the
 *   request that finds it expired runs the reload, and every request behind
 *   it waits. (The same, paged and trusted, `load` as the background
 *   reload's: the old store's load was slower still, see (a).)
 *
 * Printed: p50, p99 and max latency of each window and the ratios of the old
 * time to live's p99 (and max) to the background reload's. What remains of
 * the background reload's p99 is the event loop itself: the SQLite driver
 * reads each page of 5,000 units synchronously and `Hierarchy.makeYielding`
 * indexes in slices of about 4 ms, so a request due while one of those runs
 * waits for it (no request waits for the reload as such).
 *
 * Run: `npm run bench:hierarchy --workspace=@civicgrid/sql` (also part of
 * `npm run bench`; about a minute and a half).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import { compareAsync, results } from "@civicgrid/testkit/Bench"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as Migrations from "../src/Migrations.js"
import * as SqlHierarchyRepository from "../src/SqlHierarchyRepository.js"
import * as SqliteStore from "../src/SqliteStore.js"

const SIZES = [100_000, 300_000]
const CLIENTS = 4
const PERIOD_MS = 2

type Repo = Context.Tag.Service<typeof HierarchyRepository.HierarchyRepository>

const city = (n: number) => {
  const units: Array<Unit.Unit> = [Unit.make({ id: "D", parentId: null, level: "district", name: "区" })]
  const add = (u: Unit.Unit) => units.length < n && units.push(u) > 0
  for (let s = 0; units.length < n; s++) {
    const street = `S${s}`
    add(Unit.make({ id: street, parentId: "D", level: "street", name: `街道${s}` }))
    for (let c = 0; c < 30; c++) {
      const community = `${street}-C${c}`
      add(Unit.make({ id: community, parentId: street, level: "community", name: `社区${c}` }))
      for (let p = 0; p < 20; p++) {
        const compound = `${community}-P${p}`
        add(Unit.make({ id: compound, parentId: community, level: "compound", name: `小区${p}` }))
        for (let b = 0; b < 5; b++) {
          add(
            Unit.make({ id: `${compound}-B${b}`, parentId: compound, level: "building", name: `${b + 1}栋` })
          )
        }
      }
    }
  }
  return units
}

// -----------------------------------------------------------------------------
// (a) the reload, as the store did it before: every row through the Unit schema
// -----------------------------------------------------------------------------

const decodeUnits = Schema.decodeUnknownSync(Schema.Array(Unit.Unit))
const decodeScheme = Schema.decodeUnknownSync(Schema.parseJson(LevelScheme.LevelScheme))

const schemaDecodedLoad = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* sql.withTransaction(
    Effect.gen(function* () {
      const [head] = yield* sql<{ readonly scheme: string }>`SELECT scheme FROM cg_hierarchy WHERE id = 1`
      const rows = yield* sql<{
        readonly id: string
        readonly parent_id: string | null
        readonly level: string
        readonly name: string
        readonly code: string | null
      }>`SELECT id, parent_id, level, name, code FROM cg_units`
      const units = decodeUnits(
        rows.map((r) => ({
          id: r.id,
          parentId: r.parent_id,
          level: r.level,
          name: r.name,
          ...(r.code === null ? {} : { code: r.code })
        }))
      )
      return Either.getOrThrow(Hierarchy.make(decodeScheme(head?.scheme), units))
    })
  )
})

// -----------------------------------------------------------------------------
// (b) requests on a schedule
// -----------------------------------------------------------------------------

const request = (repo: Repo, building: string, street: string) =>
  Effect.map(repo.load, (h) => Hierarchy.isWithin(h, building, street))

/**
 * Runs scheduled requests while `during` runs alongside, for at least
 * `windowMs` and until 200 ms after `during` ended; their latencies from when
 * each was due, and the window's length.
 */
const scheduled = (
  repo: Repo,
  probe: { readonly building: string; readonly street: string },
  windowMs: number,
  during: Effect.Effect<unknown>
) =>
  Effect.gen(function* () {
    const latencies: Array<number> = []
    const start = performance.now() + 5
    let end = Number.POSITIVE_INFINITY
    const client = (k: number) =>
      Effect.gen(function* () {
        for (let i = 0; ; i++) {
          const due = start + (k * PERIOD_MS) / CLIENTS + i * PERIOD_MS
          if (due > end) return
          const wait = due - performance.now()
          if (wait > 0) yield* Effect.sleep(Duration.millis(Math.ceil(wait)))
          const within = yield* Effect.orDie(request(repo, probe.building, probe.street))
          if (!within) return yield* Effect.dieMessage("the probe building is not within its street")
          latencies.push(performance.now() - due)
        }
      })
    const timer = Effect.sync(() => {
      end = Math.max(start + windowMs, performance.now() + 200)
    })
    yield* Effect.all(
      [Effect.zipRight(during, timer), ...Array.from({ length: CLIENTS }, (_, k) => client(k))],
      {
        concurrency: "unbounded",
        discard: true
      }
    )
    return { latencies, windowMs: end - start }
  })

interface Stats {
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly count: number
}

const stats = (xs: ReadonlyArray<number>): Stats => {
  const sorted = [...xs].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0, count: sorted.length }
}

const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(10)
const line = (name: string, s: Stats) =>
  console.log(
    `  ${name.padEnd(46)} p50 ${ms(s.p50)}   p99 ${ms(s.p99)}   max ${ms(s.max)}   (${s.count} requests)`
  )

/** A fresh `layerCached` over `inner`, built in `scope`, its first load done. */
const freshCache = (inner: Repo, scope: Scope.Scope) =>
  Effect.gen(function* () {
    const context = yield* Layer.buildWithScope(
      HierarchyRepository.layerCached({ pollInterval: "100 millis" }).pipe(
        Layer.provide(Layer.succeed(HierarchyRepository.HierarchyRepository, inner))
      ),
      scope
    )
    const repo = yield* HierarchyRepository.HierarchyRepository.pipe(Effect.provide(context))
    yield* Effect.orDie(repo.load)
    return repo
  })

const atSize = async (n: number) => {
  const dir = mkdtempSync(join(tmpdir(), "civicgrid-bench-hierarchy-"))
  const store = SqlHierarchyRepository.layer.pipe(
    Layer.provideMerge(SqliteStore.layer({ filename: join(dir, "bench.sqlite") }).pipe(Layer.orDie))
  )
  const runtime = ManagedRuntime.make(store)
  try {
    const units = city(n)
    const inner = await runtime.runPromise(
      Effect.gen(function* () {
        yield* Effect.orDie(Migrations.run)
        const repo = yield* HierarchyRepository.HierarchyRepository
        yield* Effect.orDie(repo.save(LevelScheme.FiveLevel, units))
        return repo
      })
    )
    const label = n.toLocaleString("en-US")

    // (a)
    await compareAsync({
      title: `hierarchy reload, ${label} units (SQLite): read + build + index`,
      baseline: {
        name: "every row decoded by the Unit schema",
        setup: async () => undefined,
        run: () => runtime.runPromise(schemaDecodedLoad)
      },
      subject: {
        name: "SqlHierarchyRepository.load (trusted rows, Unit.make)",
        setup: async () => undefined,
        run: () => runtime.runPromise(Effect.orDie(inner.load))
      },
      runs: 3,
      items: n,
      itemLabel: "units"
    })

    // the reload's length, to size the windows
    const t0 = performance.now()
    await runtime.runPromise(Effect.orDie(inner.load))
    const reloadMs = performance.now() - t0

    // the probe: the last building and its street
    const building = units.filter((u) => u.level === "building").at(-1)
    if (building === undefined) throw new Error("a city without buildings")
    const street = building.id.split("-")[0] ?? "S0"
    const probe = { building: building.id, street }

    const windows = await runtime.runPromise(
      Effect.gen(function* () {
        const scope = yield* Scope.make()
        const sql = yield* SqlClient.SqlClient
        const cache = yield* freshCache(inner, scope)
        const renamed = `改名${n}`
        const reloaded = Effect.gen(function* () {
          // another process's write: one renamed unit and the version bump its transaction makes
          yield* sql
            .withTransaction(
              Effect.zipRight(
                sql`UPDATE cg_units SET name = ${renamed} WHERE id = 'S0-C0-P0'`,
                sql`UPDATE cg_hierarchy_version SET version = version + 1 WHERE id = 1`
              )
            )
            .pipe(Effect.orDie)
          // until the cache shows it (the poll found the new version and reloaded)
          while (
            Option.getOrUndefined(Hierarchy.get(yield* Effect.orDie(cache.load), "S0-C0-P0"))?.name !==
            renamed
          ) {
            yield* Effect.sleep("5 millis")
          }
        })
        let reloadSeenMs = 0
        const background = yield* scheduled(
          cache,
          probe,
          0,
          Effect.timed(reloaded).pipe(Effect.map(([d]) => (reloadSeenMs = Duration.toMillis(d))))
        )
        const windowMs = background.windowMs

        const quiet = yield* scheduled(yield* freshCache(inner, scope), probe, windowMs, Effect.void)

        // the old cache, loaded; it expires 200 ms into its window (once: its time to live is long)
        const [oldLoad, expire] = yield* Effect.cachedInvalidateWithTTL(inner.load, "1 hour")
        const old: Repo = { ...inner, load: oldLoad }
        yield* Effect.orDie(old.load)
        const ttl = yield* scheduled(old, probe, windowMs, Effect.delay(expire, "200 millis"))
        yield* Scope.close(scope, Exit.void)
        return {
          quiet: quiet.latencies,
          background: background.latencies,
          ttl: ttl.latencies,
          reloadSeenMs,
          windowMs
        }
      })
    )
    const quiet = stats(windows.quiet)
    const background = stats(windows.background)
    const ttl = stats(windows.ttl)
    console.log(
      `\nrequests during a hierarchy reload, ${label} units (SQLite): ${CLIENTS} clients, one request every ${PERIOD_MS} ms, ` +
        `windows of ${windows.windowMs.toFixed(0)} ms (reload ≈ ${reloadMs.toFixed(0)} ms; the background reload was in ${windows.reloadSeenMs.toFixed(0)} ms after the other writer's move)`
    )
    line("quiet (layerCached, nothing changes)", quiet)
    line("background reload (layerCached, version poll)", background)
    line("baseline: old time to live (reload on request)", ttl)
    const ratio = ttl.p99 / background.p99
    console.log(
      `  ratio     p99: old time to live ${ratio.toFixed(2)}× the background reload's; ` +
        `max: ${(ttl.max / background.max).toFixed(2)}×; background p99 / quiet p99: ${(background.p99 / quiet.p99).toFixed(2)}`
    )
    results.push({
      title: `hierarchy cache p99 during a reload, ${label} units (old TTL / background)`,
      baselineMs: ttl.p99,
      subjectMs: background.p99,
      ratio,
      targetMet: undefined
    })
  } finally {
    await runtime.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}

export default async (): Promise<void> => {
  const sizes = process.env["CIVICGRID_BENCH_HIERARCHY_SIZES"]?.split(",").map(Number) ?? SIZES
  for (const n of sizes) await atSize(n)
}
