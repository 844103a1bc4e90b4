/**
 * 组织体系仓库（SQL） — the core's `HierarchyRepository` on `@effect/sql`, the
 * same code for SQLite and PostgreSQL. Needs the migrations applied
 * (`Migrations.run`).
 *
 * - `save` validates with `Hierarchy.make` first (nothing is written on
 *   `HierarchyInvalid`), then in **one transaction**: upserts the
 *   `cg_hierarchy` row first (its row lock makes concurrent saves queue),
 *   deletes the units that are gone and upserts every unit with its path and
 *   depth in multi-row batches of 500 — a 1,000-unit save is a handful of
 *   statements. A failure anywhere rolls the whole save back: the old
 *   hierarchy stays.
 * - `update` (the read-modify-write) runs in one transaction: on PostgreSQL it
 *   first takes a transaction-scoped advisory lock that every `update` takes
 *   (so updates queue even before the first hierarchy row exists), then
 *   reads the hierarchy with its row locked (`FOR UPDATE`: `save` and `move`
 *   queue too); on SQLite the write transaction (`BEGIN IMMEDIATE`, one at a
 *   time on the client's single connection) is the lock. It applies the
 *   caller's change to what it read, validates with `Hierarchy.make` and
 *   writes as `save` does, before the lock is released: two concurrent
 *   updates never lose a change.
 * - `subtreeIds` is one statement: the unit's row joined to the range of
 *   paths below it (an index range scan on `cg_units.path`).
 * - `move` locks the hierarchy row, loads and re-validates with
 *   `Hierarchy.move`, then rewrites the parent link and, in one `UPDATE`, the
 *   paths and depths of the whole subtree.
 * - `load` reads the scheme and the units in one read transaction (one
 *   snapshot: REPEATABLE READ on PostgreSQL), so it never mixes two saves.
 *   The unit rows are the store's own (written by `save`, `update` and
 *   `move` after `Hierarchy.make` validated them), so they are built with
 *   `Unit.make` rather than decoded field by field with the `Unit` schema;
 *   `Hierarchy.make` still checks the tree they form. The units are read in
 *   pages of 5,000 by id, and the event loop runs between pages (SQLite's
 *   driver reads synchronously: a 300,000-unit table read at once would stop
 *   every other fiber for the whole read).
 * - `version` reads the one row of `cg_hierarchy_version`, which `save`,
 *   `update` and `move` raise by one (`version = version + 1`) in their own
 *   transaction: concurrent writers never lose a bump, and a reader that sees
 *   the new version sees the new units.
 *
 * Other stores filter by jurisdiction through `cg_units(id, path)` with
 * `subtreeRange` (the bounds of a path's subtree).
 *
 * @since 0.1.0
 */

import * as Hierarchy from "@civicgrid/core/Hierarchy"
import {
  HierarchyNotFound,
  HierarchyRepository,
  type HierarchyRows,
  type PartyOrganizationOptions,
  PartyTreeNotFound
} from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as Unit from "@civicgrid/core/Unit"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { Fragment } from "@effect/sql/Statement"
import type * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Paths from "./internal/paths.js"
import { chunk, forUpdate, fromJson, inSubtree, orDie, readTransaction, toJson } from "./internal/support.js"

interface UnitRow {
  readonly id: string
  readonly parent_id: string | null
  readonly level: string
  readonly name: string
  readonly code: string | null
}

interface OrgRow {
  readonly id: string
  readonly parent_id: string | null
  readonly kind: string
  readonly name: string
  readonly unit_id: string | null
  readonly grid_id: string | null
}

const encodeScheme = toJson(LevelScheme.LevelScheme)
const decodeScheme = fromJson(LevelScheme.LevelScheme)
const decodeOrgs = Schema.decodeUnknownSync(Schema.Array(PartyOrganization.PartyOrganization))

/** A stored unit row, trusted: written by this store after `Hierarchy.make` validated it. */
const unitOfRow = (row: UnitRow): Unit.Unit =>
  Unit.make(
    row.code === null
      ? { id: row.id, parentId: row.parent_id, level: row.level, name: row.name }
      : { id: row.id, parentId: row.parent_id, level: row.level, name: row.name, code: row.code }
  )

const orgOfRow = (row: OrgRow): unknown => ({
  id: row.id,
  parentId: row.parent_id,
  kind: row.kind,
  name: row.name,
  ...(row.unit_id === null ? {} : { unitId: row.unit_id }),
  ...(row.grid_id === null ? {} : { gridId: row.grid_id })
})

const storedUnit = (u: Unit.Unit): Unit.Unit => {
  const base: Unit.Unit = { id: u.id, parentId: u.parentId, level: u.level, name: u.name }
  return u.code === undefined ? base : { ...base, code: u.code }
}

/**
 * 辖区范围 — the bounds of a subtree's path range: every unit within the
 * unit whose path is `path` has `lower <= path < upper` (byte order).
 *
 * @since 0.1.0
 * @category utils
 */
export const subtreeRange = (path: string): { readonly lower: string; readonly upper: string } => ({
  lower: path,
  upper: Paths.upperBound(path)
})

/**
 * The SQL expression of a subtree's upper bound, from a path column of the
 * jurisdiction's row (for joins: `u.path >= w.path AND u.path < <this>`).
 *
 * @since 0.1.0
 * @category utils
 */
export const upperBoundOf = (sql: SqlClient.SqlClient, pathColumn: string): Fragment =>
  sql`(substr(${sql(pathColumn)}, 1, length(${sql(pathColumn)}) - 1) || '0')`

/**
 * The rows of every unit in pre-order with their materialised path and depth.
 *
 * @since 0.1.0
 * @category internal
 */
const rowsOf = (h: Hierarchy.Hierarchy): ReadonlyArray<Record<string, string | number | null>> => {
  const paths = new Map<string, { readonly path: string; readonly depth: number }>()
  const rows: Array<Record<string, string | number | null>> = []
  for (const u of Hierarchy.units(h)) {
    const parent = u.parentId === null ? undefined : paths.get(u.parentId)
    const path = Paths.childPath(parent?.path ?? null, u.id)
    const depth = parent === undefined ? 0 : parent.depth + 1
    paths.set(u.id, { path, depth })
    rows.push({
      id: u.id,
      parent_id: u.parentId,
      level: u.level,
      name: u.name,
      code: u.code ?? null,
      path,
      depth
    })
  }
  return rows
}

/**
 * Builds the SQL hierarchy store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  Context.Tag.Service<HierarchyRepository>,
  never,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const now = Effect.map(DateTime.now, DateTime.formatIso)

  /**
   * Every stored unit, in pages of `unitPage` rows by id (keyset: an index
   * range scan each), giving the event loop back between pages: a driver
   * that reads synchronously (SQLite) blocks for one page at a time, not for
   * the whole table. Inside the caller's transaction (one snapshot).
   */
  const readUnits = Effect.gen(function* () {
    const units: Array<Unit.Unit> = []
    let after: string | null = null
    for (;;) {
      const page: ReadonlyArray<UnitRow> =
        after === null
          ? yield* sql<UnitRow>`SELECT id, parent_id, level, name, code FROM cg_units ORDER BY id LIMIT ${unitPage}`
          : yield* sql<UnitRow>`SELECT id, parent_id, level, name, code FROM cg_units
              WHERE id > ${after} ORDER BY id LIMIT ${unitPage}`
      for (const row of page) units.push(unitOfRow(row))
      const last = page[page.length - 1]
      if (page.length < unitPage || last === undefined) return units
      after = last.id
      yield* yieldToEventLoop
    }
  })

  /** The stored hierarchy (and the party kinds), reading the singleton row with `lock`. */
  const read = (
    lock: Fragment
  ): Effect.Effect<
    Option.Option<{ readonly hierarchy: Hierarchy.Hierarchy; readonly partyKinds: string | null }>,
    SqlError
  > =>
    Effect.gen(function* () {
      const [head] = yield* sql<{
        readonly scheme: string
        readonly party_kinds: string | null
      }>`SELECT scheme, party_kinds FROM cg_hierarchy WHERE id = 1 ${lock}`
      if (head === undefined) return Option.none()
      // indexed in slices that give the event loop back: a large tree does not stop every other fiber
      const built = yield* Effect.either(Hierarchy.makeYielding(decodeScheme(head.scheme), yield* readUnits))
      if (Either.isLeft(built)) {
        return yield* Effect.dieMessage(`the stored hierarchy is invalid: ${built.left.message}`)
      }
      return Option.some({ hierarchy: built.right, partyKinds: head.party_kinds })
    })

  /** Raises the hierarchy's version (inside the writer's transaction; the row lock queues writers). */
  const bump = sql`UPDATE cg_hierarchy_version SET version = version + 1 WHERE id = 1`

  const version = sql<{ readonly version: string | number }>`
      SELECT version FROM cg_hierarchy_version WHERE id = 1`.pipe(
    Effect.map(([row]) => String(row?.version ?? 0)),
    orDie,
    Effect.withSpan("SqlHierarchyRepository.version")
  )

  const upsertUnits = (rows: ReadonlyArray<Record<string, string | number | null>>) =>
    Effect.forEach(
      chunk(rows),
      (batch) =>
        sql`INSERT INTO cg_units ${sql.insert(batch)}
            ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, level = excluded.level,
              name = excluded.name, code = excluded.code, path = excluded.path, depth = excluded.depth`,
      { discard: true }
    )

  /** Replaces the stored hierarchy with a validated one (inside the caller's transaction). */
  const replace = (scheme: LevelScheme.LevelScheme, hierarchy: Hierarchy.Hierarchy) =>
    Effect.gen(function* () {
      yield* sql`INSERT INTO cg_hierarchy (id, scheme, updated_at) VALUES (1, ${encodeScheme(scheme)}, ${yield* now})
          ON CONFLICT (id) DO UPDATE SET scheme = excluded.scheme, updated_at = excluded.updated_at`
      const stored = yield* sql<{ readonly id: string }>`SELECT id FROM cg_units`
      const gone = stored.map((r) => r.id).filter((id) => !Hierarchy.has(hierarchy, id))
      yield* Effect.forEach(chunk(gone), (batch) => sql`DELETE FROM cg_units WHERE ${sql.in("id", batch)}`, {
        discard: true
      })
      yield* upsertUnits(rowsOf(hierarchy))
      yield* bump
    })

  const save = (scheme: LevelScheme.LevelScheme, input: ReadonlyArray<Unit.Unit>) =>
    Effect.gen(function* () {
      const hierarchy = yield* Hierarchy.make(scheme, input.map(storedUnit))
      yield* sql.withTransaction(replace(scheme, hierarchy))
      return hierarchy
    }).pipe(orDie)

  const update = <E>(
    change: (current: Option.Option<Hierarchy.Hierarchy>) => Either.Either<HierarchyRows, E>
  ): Effect.Effect<Hierarchy.Hierarchy, E | Hierarchy.HierarchyInvalid | StorageUnavailable> =>
    sql
      .withTransaction(
        Effect.gen(function* () {
          // every update waits here for the one before it, also while no hierarchy row exists yet
          yield* sql.onDialectOrElse({
            pg: () => Effect.asVoid(sql`SELECT pg_advisory_xact_lock(${updateLock})`),
            orElse: () => Effect.void
          })
          const found = yield* read(forUpdate(sql))
          const next = change(Option.map(found, (s) => s.hierarchy))
          if (Either.isLeft(next)) return Either.left<E | Hierarchy.HierarchyInvalid>(next.left)
          const { scheme, units } = next.right
          const hierarchy = Hierarchy.make(scheme, units.map(storedUnit))
          if (Either.isLeft(hierarchy)) return Either.left(hierarchy.left)
          yield* replace(scheme, hierarchy.right)
          return Either.right(hierarchy.right)
        })
      )
      .pipe(
        orDie,
        // a refusal commits the transaction having written nothing
        Effect.flatMap((result) =>
          Either.match(result, {
            onLeft: (e) => Effect.fail(e),
            onRight: (h) => Effect.succeed(h)
          })
        )
      )

  const load = orDie(
    readTransaction(
      sql,
      Effect.flatMap(read(sql.literal("")), (found) =>
        Option.match(found, {
          onNone: () => Effect.fail(new HierarchyNotFound()),
          onSome: (s) => Effect.succeed(s.hierarchy)
        })
      )
    )
  )

  const subtreeIds = (unitId: string) =>
    Effect.gen(function* () {
      const rows = yield* sql<{ readonly id: string }>`
          SELECT u.id FROM cg_units w
          JOIN cg_units u ON u.path >= w.path AND u.path < ${upperBoundOf(sql, "w.path")}
          WHERE w.id = ${unitId}`
      if (rows.length === 0) return yield* new Hierarchy.UnitNotFound({ unitId })
      return rows.map((r) => Unit.UnitId.make(r.id, { disableValidation: true })).sort(compare)
    }).pipe(orDie)

  const move = (unitId: string, newParentId: string) =>
    sql
      .withTransaction(
        Effect.gen(function* () {
          const found = yield* read(forUpdate(sql))
          if (Option.isNone(found)) return yield* new Hierarchy.UnitNotFound({ unitId })
          const before = found.value.hierarchy
          const after = yield* Hierarchy.move(before, unitId, newParentId)
          if (after === before) return after
          const [unit] = yield* sql<{
            readonly path: string
          }>`SELECT path FROM cg_units WHERE id = ${unitId}`
          const [parent] = yield* sql<{
            readonly path: string
          }>`SELECT path FROM cg_units WHERE id = ${newParentId}`
          if (unit === undefined || parent === undefined) {
            return yield* Effect.dieMessage("a validated unit has no row")
          }
          const oldPath = unit.path
          const newPath = Paths.childPath(parent.path, unitId)
          const delta =
            Option.getOrElse(Hierarchy.depth(after, unitId), () => 0) -
            Option.getOrElse(Hierarchy.depth(before, unitId), () => 0)
          yield* sql`UPDATE cg_units SET parent_id = ${newParentId} WHERE id = ${unitId}`
          yield* sql`UPDATE cg_units
              SET path = CAST(${newPath} AS TEXT) || substr(path, ${Paths.sqlLength(oldPath) + 1}),
                  depth = depth + ${delta}
              WHERE ${inSubtree(sql, "path", oldPath)}`
          yield* sql`UPDATE cg_hierarchy SET updated_at = ${yield* now} WHERE id = 1`
          yield* bump
          return after
        })
      )
      .pipe(orDie)

  const savePartyOrganizations = (
    rows: ReadonlyArray<PartyOrganization.PartyOrganization>,
    options?: PartyOrganizationOptions
  ) =>
    sql
      .withTransaction(
        Effect.gen(function* () {
          const found = yield* read(forUpdate(sql))
          if (Option.isNone(found)) return yield* new HierarchyNotFound()
          const kinds = options?.kinds ?? PartyOrganization.KindOrder
          const tree = yield* PartyOrganization.make(rows, {
            hierarchy: found.value.hierarchy,
            kinds,
            ...(options?.grids === undefined ? {} : { grids: options.grids })
          })
          yield* sql`DELETE FROM cg_party_orgs`
          const orgRows = PartyOrganization.orgs(tree).map((o) => ({
            id: o.id,
            parent_id: o.parentId,
            kind: o.kind,
            name: o.name,
            unit_id: o.unitId ?? null,
            grid_id: o.gridId ?? null
          }))
          yield* Effect.forEach(
            chunk(orgRows),
            (batch) => sql`INSERT INTO cg_party_orgs ${sql.insert(batch)}`,
            {
              discard: true
            }
          )
          yield* sql`UPDATE cg_hierarchy SET party_kinds = ${encodeScheme(kinds)} WHERE id = 1`
          return tree
        })
      )
      .pipe(orDie)

  const loadPartyOrganizations = readTransaction(
    sql,
    Effect.gen(function* () {
      const found = yield* read(sql.literal(""))
      if (Option.isNone(found)) return yield* new HierarchyNotFound()
      const { hierarchy, partyKinds } = found.value
      if (partyKinds === null) return yield* new PartyTreeNotFound()
      const rows = yield* sql<OrgRow>`SELECT id, parent_id, kind, name, unit_id, grid_id FROM cg_party_orgs`
      return yield* PartyOrganization.make(decodeOrgs(rows.map(orgOfRow)), {
        hierarchy,
        kinds: decodeScheme(partyKinds)
      })
    })
  ).pipe(orDie)

  return {
    save,
    update,
    load: Effect.withSpan(load, "SqlHierarchyRepository.load"),
    version,
    subtreeIds,
    move,
    savePartyOrganizations,
    loadPartyOrganizations
  }
})

/** Rows of `cg_units` read per statement by `load`. */
const unitPage = 5_000

/** A macrotask turn: timers and I/O of other fibers run before the next page is read. */
const yieldToEventLoop: Effect.Effect<void> = Effect.async<void>((resume) => {
  const timer = setTimeout(() => resume(Effect.void), 0)
  return Effect.sync(() => clearTimeout(timer))
})

/** The PostgreSQL advisory lock key every `update` takes ("cgh" + 1). */
const updateLock = 0x63676801

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The SQL hierarchy store as a Layer (needs an `SqlClient`, migrated).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HierarchyRepository, never, SqlClient.SqlClient> = Layer.effect(
  HierarchyRepository,
  make
)
