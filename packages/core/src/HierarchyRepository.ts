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
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Grid } from "./Grid.js"
import type * as Hierarchy from "./Hierarchy.js"
import * as internal from "./internal/memoryHierarchy.js"
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
   * How long a loaded hierarchy is reused before the store is asked again
   * (default 5 seconds): the bound on how stale a read may be after ANOTHER
   * process changed the hierarchy. Writes through this layer (`save`, `move`,
   * `update`)
   * drop the cached value at once.
   */
  readonly timeToLive?: Duration.DurationInput
}

/**
 * 组织体系缓存 — the hierarchy store behind it, with `load` cached: a server
 * that checks jurisdiction on every request reads and indexes the hierarchy
 * once per `timeToLive` instead of once per request. `save`, `move` and `update` through
 * this layer invalidate the cache when they succeed (and also when they fail,
 * harmlessly); concurrent loads of an expired entry share one store read; a
 * load that found the store unavailable is not kept. The other operations
 * pass through.
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
  Layer.effect(
    HierarchyRepository,
    Effect.gen(function* () {
      const inner = yield* HierarchyRepository
      const [load, invalidate] = yield* Effect.cachedInvalidateWithTTL(
        inner.load,
        options.timeToLive ?? Duration.seconds(5)
      )
      return HierarchyRepository.of({
        ...inner,
        // an unavailable store is not remembered: the next load asks again
        load: Effect.tapErrorTag(load, "StorageUnavailable", () => invalidate),
        save: (scheme, rows) => Effect.ensuring(inner.save(scheme, rows), invalidate),
        move: (unitId, newParentId) => Effect.ensuring(inner.move(unitId, newParentId), invalidate),
        update: (change) => Effect.ensuring(inner.update(change), invalidate)
      })
    })
  )
