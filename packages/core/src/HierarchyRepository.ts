/**
 * 组织体系仓库 — the port through which the administrative hierarchy (units and
 * their level scheme) and the party organisation tree are stored. The core
 * declares it and stays free of I/O; `@civicgrid/sql` implements it as a
 * Layer, and `layerMemory` keeps it in memory (tests, demos, small apps).
 *
 * Every write is validated by the core before anything is stored:
 * `save` runs `Hierarchy.make` and, on failure, returns `HierarchyInvalid`
 * with **every** violation and writes nothing; on success it **replaces** the
 * whole hierarchy atomically (readers see the old one or the new one, never a
 * mix). `move` re-validates with `Hierarchy.move`. `update` is the
 * read-modify-write: it runs the caller's change on the hierarchy stored at
 * that moment, with every other `update` of the store waiting (one at a time,
 * across processes on SQL), so two concurrent writers never lose a change. A store keeps each unit's
 * materialised path (`/root/…/unit/`) and depth, so `subtreeIds` is an
 * indexed range scan, not a tree walk.
 *
 * The repository stores the fields of `Unit.Unit` (id, parent, level, name,
 * code); extra fields an app keeps on its unit rows are not stored.
 *
 * Party organisations are validated with `PartyOrganization.make` against the
 * stored hierarchy (and the grids, when the caller passes them) and replaced
 * as a whole. A later hierarchy save does not touch them: loading re-validates
 * them against the hierarchy of the moment and fails with
 * `PartyOrganizationInvalid` when it no longer fits (save them again).
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Ref from "effect/Ref"
import type * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type { Grid } from "./Grid.js"
import type * as Hierarchy from "./Hierarchy.js"
import * as internal from "./internal/memoryHierarchy.js"
import { realSleep } from "./internal/realTime.js"
import type * as LevelScheme from "./LevelScheme.js"
import type * as PartyOrganization from "./PartyOrganization.js"
import type { StorageUnavailable } from "./Storage.js"
import type { Unit, UnitId } from "./Unit.js"

/**
 * 尚无行政层级 — no hierarchy has been saved yet.
 *
 * @since 0.1.0
 * @category errors
 */
export class HierarchyNotFound extends Schema.TaggedError<HierarchyNotFound>()("HierarchyNotFound", {}) {
  override get message(): string {
    return "尚无行政层级 no hierarchy has been saved yet; save one first"
  }
}

/**
 * 尚无党组织体系 — no party organisation tree has been saved yet.
 *
 * @since 0.1.0
 * @category errors
 */
export class PartyTreeNotFound extends Schema.TaggedError<PartyTreeNotFound>()("PartyTreeNotFound", {}) {
  override get message(): string {
    return "尚无党组织体系 no party organisation tree has been saved yet"
  }
}

/**
 * Options of `savePartyOrganizations`: the grids to check grid links against
 * (when given, a linked grid must exist and an organisation's unit must lie in
 * its grid's community) and the kind order (`PartyOrganization.KindOrder` by
 * default; stored with the organisations and used again on load).
 *
 * @since 0.1.0
 * @category models
 */
export interface PartyOrganizationOptions {
  readonly grids?: ReadonlyArray<Grid>
  readonly kinds?: LevelScheme.LevelScheme
}

/**
 * 层级行 — what an `update` replaces the hierarchy with: the level scheme and
 * every unit (validated by the store with `Hierarchy.make`).
 *
 * @since 0.1.0
 * @category models
 */
export interface HierarchyRows {
  readonly scheme: LevelScheme.LevelScheme
  readonly units: ReadonlyArray<Unit>
}

/**
 * 组织体系仓库 — the hierarchy store port.
 *
 * @since 0.1.0
 * @category tags
 */
export class HierarchyRepository extends Context.Tag("@civicgrid/core/HierarchyRepository")<
  HierarchyRepository,
  {
    /**
     * Validates the rows with `Hierarchy.make` and replaces the stored
     * hierarchy with them atomically. On `HierarchyInvalid` (every violation)
     * nothing is written and the old hierarchy stays.
     */
    readonly save: (
      scheme: LevelScheme.LevelScheme,
      rows: ReadonlyArray<Unit>
    ) => Effect.Effect<Hierarchy.Hierarchy, Hierarchy.HierarchyInvalid | StorageUnavailable>
    /**
     * 原子更新 — the read-modify-write of the hierarchy: `change` gets the
     * hierarchy stored at this moment (`None` before the first save) and
     * returns the rows to replace it with, or refuses (`E`, nothing
     * written). The rows are validated with `Hierarchy.make`
     * (`HierarchyInvalid`, every violation, nothing written) and saved as
     * `save` does. Updates of one store run one at a time — on SQL in one
     * transaction holding a lock every `update` takes (PostgreSQL: an
     * advisory transaction lock and the hierarchy row; SQLite: the write
     * transaction) — so concurrent writers never lose a change. `change` is
     * pure: it may run while other writers wait.
     */
    readonly update: <E>(
      change: (current: Option.Option<Hierarchy.Hierarchy>) => Either.Either<HierarchyRows, E>
    ) => Effect.Effect<Hierarchy.Hierarchy, E | Hierarchy.HierarchyInvalid | StorageUnavailable>
    /** The stored hierarchy. */
    readonly load: Effect.Effect<Hierarchy.Hierarchy, HierarchyNotFound | StorageUnavailable>
    /**
     * 层级版本 — the stored hierarchy's version, cheap to read (one row in
     * SQL): an opaque token that changes with every hierarchy write (`save`,
     * `update`, `move`, committed in the same transaction as the write) and
     * only then. Equal tokens mean the hierarchy was not written in between,
     * so a cache reloads only when the token changed (`layerCached`). Read
     * it **before** `load`: a write in between then only costs an extra
     * reload, never a stale tree.
     */
    readonly version: Effect.Effect<string, StorageUnavailable>
    /**
     * 辖区单元 — the unit and every unit below it, in id order, from the
     * materialised paths (an indexed range scan in SQL).
     */
    readonly subtreeIds: (
      unitId: string
    ) => Effect.Effect<ReadonlyArray<UnitId>, Hierarchy.UnitNotFound | StorageUnavailable>
    /**
     * 调整隶属 — moves a unit with its subtree under a new parent, validated by
     * `Hierarchy.move` (a cycle, level order or code nesting is refused with
     * every violation and nothing written); paths and depths of the whole
     * subtree are rewritten in the same transaction.
     */
    readonly move: (
      unitId: string,
      newParentId: string
    ) => Effect.Effect<
      Hierarchy.Hierarchy,
      Hierarchy.HierarchyInvalid | Hierarchy.UnitNotFound | StorageUnavailable
    >
    /**
     * Validates the organisations with `PartyOrganization.make` against the
     * stored hierarchy and replaces the stored tree atomically; nothing is
     * written on failure.
     */
    readonly savePartyOrganizations: (
      rows: ReadonlyArray<PartyOrganization.PartyOrganization>,
      options?: PartyOrganizationOptions
    ) => Effect.Effect<
      PartyOrganization.PartyTree,
      PartyOrganization.PartyOrganizationInvalid | HierarchyNotFound | StorageUnavailable
    >
    /**
     * The stored party organisation tree, re-validated against the stored
     * hierarchy (grid links are not re-checked: pass the grids to
     * `PartyOrganization.make` for that).
     */
    readonly loadPartyOrganizations: Effect.Effect<
      PartyOrganization.PartyTree,
      PartyOrganization.PartyOrganizationInvalid | HierarchyNotFound | PartyTreeNotFound | StorageUnavailable
    >
  }
>() {}

/**
 * An in-memory hierarchy store: each layer build starts empty. Writes are
 * atomic (one state swap). For tests, demos and single-process apps.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<HierarchyRepository> = Layer.effect(HierarchyRepository, internal.make)

/**
 * Options of `layerCached`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CacheOptions {
  /**
   * How often the background fiber asks the store for the hierarchy's
   * `version` (default 2 seconds): with the reload it triggers, the bound on
   * how stale a read may be after ANOTHER process changed the hierarchy.
   * Writes through this layer (`save`, `move`, `update`) are seen by the
   * very next read, at once.
   */
  readonly pollInterval?: Duration.DurationInput
  /**
   * @deprecated Read as `pollInterval` when that is not given (the cache no
   * longer expires: it reloads when the store's version changed).
   */
  readonly timeToLive?: Duration.DurationInput
  /**
   * The polls' schedule on the ambient `Clock` (the first poll one
   * `pollInterval` after the layer is built, on that clock too) — for tests
   * that drive time with `TestClock`. Default: every `pollInterval` on the
   * real clock, whatever `Clock` the app runs: a test clock set years ahead
   * must not replay every poll in between.
   */
  readonly schedule?: Schedule.Schedule<unknown, unknown>
}

/** What the cache serves, and the store version it was loaded at. */
interface Cached {
  /**
   * The version the value was loaded at — after a write through the layer,
   * the version the writer saw after its write (`undefined` when it could not
   * read it: the next poll reloads).
   */
  readonly version: string | undefined
  /**
   * After a write through the layer: the version the writer saw before it.
   * A poll that still finds it has read a store where the write is not yet
   * committed (the writer's transaction is open): it keeps the written value.
   */
  readonly before?: string | undefined
  readonly value: Either.Either<Hierarchy.Hierarchy, HierarchyNotFound>
}

interface CacheState {
  readonly cached: Option.Option<Cached>
  /** Counts the writes through the layer: a reload that began before one is discarded. */
  readonly writes: number
}

const servedFrom = (cached: Cached): Effect.Effect<Hierarchy.Hierarchy, HierarchyNotFound> =>
  Either.match(cached.value, { onLeft: Effect.fail, onRight: Effect.succeed })

/** A failed write that wrote nothing (a refusal, a validation error): the cache stays. */
const wroteNothing = <E>(cause: Cause.Cause<E>): boolean =>
  Option.exists(Cause.failureOption(cause), (e) => !Predicate.isTagged(e, "StorageUnavailable"))

/**
 * 组织体系缓存 — the hierarchy store behind it, with `load` served from memory:
 * a server that checks jurisdiction on every request indexes the hierarchy
 * only when it changed, and never while a request waits.
 *
 * - **Reload when changed, off the request path.** A background fiber (one
 *   per layer, ended with the layer's scope) asks the store for its
 *   `version` every `pollInterval` (2 s by default) and reloads the whole
 *   hierarchy only when the version differs from the loaded one; meanwhile
 *   `load` keeps serving the last loaded hierarchy. The first load happens
 *   at the first `load` (which waits for it, once; concurrent first loads
 *   share one store read) or at the first poll, whichever comes first.
 * - **A failed poll** (the store unavailable) keeps serving the old
 *   hierarchy and is retried at the next poll; a first load that found the
 *   store unavailable fails that `load` and is not kept.
 * - **Writes through this layer** (`save`, `move`, `update`) replace the
 *   cached hierarchy with the one they wrote before they return, so the very
 *   next read sees them. The writer reads the store's version before and
 *   after its write (inside its transaction, when it runs in one): a poll
 *   from another connection that still finds the version from before — the
 *   writer's transaction not yet committed — keeps the written hierarchy
 *   instead of reloading the one before it. (A write whose enclosing
 *   transaction later rolls back stays in the cache until the hierarchy is
 *   next written through this layer.) Writes through the layer run one at a time
 *   (the store serialises them anyway). A write that failed having written
 *   nothing keeps the cache; one whose outcome is unknown (the store
 *   unavailable) drops it, so the next `load` reads the store.
 * - `version`, `subtreeIds` and the party organisations pass through.
 *
 * ```ts
 * const store = HierarchyRepository.layerCached().pipe(Layer.provide(SqlHierarchyRepository.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerCached = (
  options: CacheOptions = {}
): Layer.Layer<HierarchyRepository, never, HierarchyRepository> =>
  Layer.scoped(
    HierarchyRepository,
    Effect.gen(function* () {
      const inner = yield* HierarchyRepository
      const interval = options.pollInterval ?? options.timeToLive ?? Duration.seconds(2)
      const state = yield* Ref.make<CacheState>({ cached: Option.none(), writes: 0 })
      const reloading = yield* Effect.makeSemaphore(1)
      const writing = yield* Effect.makeSemaphore(1)

      /** Reloads when the store's version differs from the cached one (one at a time). */
      const refresh: Effect.Effect<void, StorageUnavailable> = reloading.withPermits(1)(
        Effect.gen(function* () {
          const { writes } = yield* Ref.get(state)
          const version = yield* inner.version
          const { cached } = yield* Ref.get(state)
          if (Option.isSome(cached) && cached.value.version === version) return
          // a write through this layer not yet committed (read from another connection): keep what it wrote
          if (Option.isSome(cached) && cached.value.before !== undefined && cached.value.before === version)
            return
          const value = yield* inner.load.pipe(
            Effect.map(Either.right),
            Effect.catchTag("HierarchyNotFound", (e) => Effect.succeed(Either.left(e)))
          )
          yield* Ref.update(state, (s) =>
            s.writes === writes ? { ...s, cached: Option.some({ version, value }) } : s
          )
        }).pipe(Effect.withSpan("HierarchyRepository.layerCached.refresh"))
      )

      yield* refresh.pipe(
        Effect.catchAllCause((cause) =>
          Cause.isInterruptedOnly(cause)
            ? Effect.failCause(cause)
            : Effect.logWarning(
                "层级缓存轮询失败 the hierarchy poll failed; serving the last loaded hierarchy",
                cause
              )
        ),
        (poll) =>
          options.schedule === undefined
            ? // every interval on the real clock; the first after one interval: a store written just
              // after the layer was built is read fresh
              Effect.forever(Effect.zipRight(realSleep(Duration.toMillis(Duration.decode(interval))), poll))
            : poll.pipe(Effect.repeat(options.schedule), Effect.delay(interval)),
        Effect.forkScoped
      )

      const load: Effect.Effect<Hierarchy.Hierarchy, HierarchyNotFound | StorageUnavailable> = Effect.flatMap(
        Ref.get(state),
        (s) =>
          Option.match(s.cached, {
            onSome: servedFrom,
            onNone: () =>
              Effect.zipRight(
                refresh,
                Effect.flatMap(Ref.get(state), (after) =>
                  Option.match(after.cached, { onSome: servedFrom, onNone: () => inner.load })
                )
              )
          })
      )

      // the store's version as the writer sees it (inside its transaction, if any); unknown when unreadable
      const versionNow = Effect.orElseSucceed(inner.version, () => undefined)
      const write = <E>(self: Effect.Effect<Hierarchy.Hierarchy, E>): Effect.Effect<Hierarchy.Hierarchy, E> =>
        writing.withPermits(1)(
          Effect.flatMap(versionNow, (before) =>
            self.pipe(
              Effect.tap((h) =>
                Effect.flatMap(versionNow, (after) =>
                  Ref.update(state, (s) => ({
                    writes: s.writes + 1,
                    cached: Option.some({
                      version: after,
                      before: after === undefined || after === before ? undefined : before,
                      value: Either.right(h)
                    })
                  }))
                )
              ),
              Effect.onError((cause) =>
                wroteNothing(cause)
                  ? Effect.void
                  : Ref.update(state, (s) => ({ writes: s.writes + 1, cached: Option.none() }))
              )
            )
          )
        )

      return HierarchyRepository.of({
        ...inner,
        load,
        save: (scheme, rows) => write(inner.save(scheme, rows)),
        move: (unitId, newParentId) => write(inner.move(unitId, newParentId)),
        update: (change) => write(inner.update(change))
      })
    })
  )
