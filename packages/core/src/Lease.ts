/**
 * 租约 — a named lease that at most one holder has at a time, for a while
 * (its time to live): how several server instances on one database agree on
 * which of them runs a periodic job (`Scheduler`). The core declares the port;
 * `@civicgrid/sql` keeps leases in a table (`SqlLease`, SQLite and
 * PostgreSQL), and `layerMemory` keeps them in a `Ref` — one process, or
 * several simulated "instances" sharing one `MemoryLeases`.
 *
 * **Semantics.** `run(name, ttl, effect)` claims the lease `name` for `ttl`
 * when it is free (never claimed, or expired) or already this holder's, then
 * runs `effect` and answers `Option.some` of its result; when another holder
 * has the lease it runs nothing and answers `Option.none()`. The lease is
 * kept after the run until it expires — so within one `ttl` the job runs once,
 * whichever instance ticks first — and the holder renews it on its next run,
 * so one live instance keeps running the job; when it stops, another takes
 * over once the lease has expired. Expiry is judged on the ambient `Clock`
 * (instances' clocks must agree to well within `ttl`). A lease only decides
 * who runs: a job that must never be applied twice makes itself idempotent
 * (the escalation job holds each case's version, see `EscalationService`).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type { StorageUnavailable } from "./Storage.js"

/**
 * 租约 — the lease port: `run` under the named lease, or nothing when another
 * holder has it (see the module note).
 *
 * @since 0.1.0
 * @category tags
 */
export class Lease extends Context.Tag("@civicgrid/core/Lease")<
  Lease,
  {
    /** This instance's holder id. */
    readonly holder: string
    /**
     * Claims `name` for `ttl` (free, expired or already ours) and runs
     * `effect`: `some` of its result; `none` without running it when another
     * holder has the lease.
     */
    readonly run: <A, E, R>(
      name: string,
      ttl: Duration.DurationInput,
      effect: Effect.Effect<A, E, R>
    ) => Effect.Effect<Option.Option<A>, E | StorageUnavailable, R>
  }
>() {}

/**
 * 持有记录 — who holds a lease and until when (epoch milliseconds).
 *
 * @since 0.1.0
 * @category models
 */
export interface Held {
  readonly holder: string
  readonly expiresAt: number
}

/**
 * 是否可取得 — the lease rule every store follows: `holder` may claim a lease
 * at `now` when nobody holds it, it expired (`expiresAt ≤ now`), or `holder`
 * holds it already.
 *
 * @since 0.1.0
 * @category predicates
 */
export const claimable = (held: Held | undefined, holder: string, now: number): boolean =>
  held === undefined || held.expiresAt <= now || held.holder === holder

/**
 * 新持有者标识 — a random holder id for one instance (a process).
 *
 * @since 0.1.0
 * @category constructors
 */
export const newHolder: Effect.Effect<string> = Effect.sync(() => `holder-${crypto.randomUUID()}`)

/**
 * A `Lease` from a claim: `claim(name, holder, ttlMillis)` answers whether
 * `holder` got the lease (see `claimable`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  holder: string,
  claim: (name: string, holder: string, ttlMillis: number) => Effect.Effect<boolean, StorageUnavailable>
): Lease["Type"] => ({
  holder,
  run: (name, ttl, effect) =>
    Effect.flatMap(claim(name, holder, Duration.toMillis(Duration.decode(ttl))), (claimed) =>
      claimed ? Effect.map(effect, Option.some) : Effect.succeed(Option.none())
    ).pipe(Effect.withSpan("Lease.run", { attributes: { "civicgrid.lease": name, holder } }))
})

/**
 * 内存租约表 — the leases `layerMemory` keeps; share one between several
 * memory `Lease` layers to simulate instances on one database.
 *
 * @since 0.1.0
 * @category models
 */
export interface MemoryLeases {
  readonly ref: Ref.Ref<HashMap.HashMap<string, Held>>
}

/**
 * A new, empty `MemoryLeases`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemoryLeases: Effect.Effect<MemoryLeases> = Effect.map(
  Ref.make(HashMap.empty<string, Held>()),
  (ref) => ({ ref })
)

/**
 * A memory `Lease` over `leases` for `holder` (atomic: one `Ref.modify` per claim).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (leases: MemoryLeases, holder: string): Lease["Type"] =>
  make(holder, (name, who, ttlMillis) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Ref.modify(leases.ref, (map): [boolean, HashMap.HashMap<string, Held>] => {
        const held = Option.getOrUndefined(HashMap.get(map, name))
        return claimable(held, who, now)
          ? [true, HashMap.set(map, name, { holder: who, expiresAt: now + ttlMillis })]
          : [false, map]
      })
    )
  )

/**
 * 内存租约层 — `Lease` in memory: its own lease table unless `leases` is
 * given, under `holder` (default a new random id).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (
  options: { readonly leases?: MemoryLeases; readonly holder?: string } = {}
): Layer.Layer<Lease> =>
  Layer.effect(
    Lease,
    Effect.gen(function* () {
      const leases = options.leases ?? (yield* makeMemoryLeases)
      const holder = options.holder ?? (yield* newHolder)
      return makeMemory(leases, holder)
    })
  )
