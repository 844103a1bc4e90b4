/**
 * 网格仓库（SQL） — the core's `GridRepository` on `@effect/sql`, the same code
 * for SQLite and PostgreSQL. Needs the migrations applied (`Migrations.run`).
 *
 * Each write is one transaction: it looks up only the ids the write names
 * (units in `cg_units`, buildings, grids, people, assignments), checks the
 * write with the core's rules (`GridRepository.checkBuildings`, `checkGrids`,
 * `checkPeople`, `checkAssignments`), and upserts in multi-row batches; a
 * refusal writes nothing. Coverage is stored as given and checked on read
 * (`coverage`, the core's `Coverage.check`).
 *
 * Reads by jurisdiction join the grids' and buildings' community to
 * `cg_units` and range-scan its path index; a read of several statements
 * runs in one read transaction (one snapshot).
 *
 * @since 0.1.0
 */

import { Building } from "@civicgrid/core/Building"
import { Boundary } from "@civicgrid/core/GeoJson"
import { Grid, MicroGrid } from "@civicgrid/core/Grid"
import {
  assignmentId,
  checkAssignments,
  checkBuildings,
  checkGrids,
  checkPeople,
  coverageWithin,
  type GridDataInvalid,
  GridNotFound,
  GridRepository,
  type GridSnapshot,
  referencedIds,
  sortAssignments,
  targetId,
  toError
} from "@civicgrid/core/GridRepository"
import type * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as Staffing from "@civicgrid/core/Staffing"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { Fragment } from "@effect/sql/Statement"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import {
  chunk,
  existing,
  inSubtree,
  num,
  orDie,
  readTransaction,
  scopePath,
  toJson
} from "./internal/support.js"

interface BuildingRow {
  readonly id: string
  readonly name: string
  readonly community_id: string
  readonly compound_id: string | null
  readonly households: unknown
  readonly party_member_households: unknown
  readonly location: string | null
}

interface GridRow {
  readonly id: string
  readonly name: string
  readonly code: string | null
  readonly kind: string
  readonly dedicated_to: string | null
  readonly community_id: string
  readonly micro_grids: string | null
  readonly boundary: string | null
}

interface PersonRow {
  readonly id: string
  readonly name: string
  readonly party_member: unknown
  readonly party_member_class: string | null
  readonly phone: string | null
}

interface AssignmentRow {
  readonly person_id: string
  readonly role: string
  readonly target_kind: string
  readonly target_id: string
}

const decodeBuilding = Schema.decodeUnknownSync(Building)
const decodeGrid = Schema.decodeUnknownSync(Grid)
const decodePerson = Schema.decodeUnknownSync(Staffing.Person)
const decodeAssignment = Schema.decodeUnknownSync(Staffing.Assignment)
const encodeMicroGrids = toJson(Schema.Array(MicroGrid))
const encodeBoundary = toJson(Boundary)

const buildingOf = (r: BuildingRow): Building =>
  decodeBuilding({
    id: r.id,
    name: r.name,
    communityId: r.community_id,
    households: num(r.households),
    ...(r.compound_id === null ? {} : { compoundId: r.compound_id }),
    ...(r.party_member_households === null ? {} : { partyMemberHouseholds: num(r.party_member_households) }),
    ...(r.location === null ? {} : { location: JSON.parse(r.location) })
  })

const gridOf = (r: GridRow, buildingIds: ReadonlyArray<string>): Grid =>
  decodeGrid({
    id: r.id,
    name: r.name,
    kind: r.kind,
    communityId: r.community_id,
    buildingIds,
    ...(r.code === null ? {} : { code: r.code }),
    ...(r.dedicated_to === null ? {} : { dedicatedTo: r.dedicated_to }),
    ...(r.micro_grids === null ? {} : { microGrids: JSON.parse(r.micro_grids) }),
    ...(r.boundary === null ? {} : { boundary: JSON.parse(r.boundary) })
  })

const personOf = (r: PersonRow): Staffing.Person =>
  decodePerson({
    id: r.id,
    name: r.name,
    partyMember: num(r.party_member) === 1,
    ...(r.party_member_class === null ? {} : { partyMemberClass: r.party_member_class }),
    ...(r.phone === null ? {} : { phone: r.phone })
  })

const targetOf = (kind: string, id: string): unknown => {
  switch (kind) {
    case "Grid":
      return { _tag: "Grid", gridId: id }
    case "Building":
      return { _tag: "Building", buildingId: id }
    default:
      return { _tag: kind, unitId: id }
  }
}

const assignmentOf = (r: AssignmentRow): Staffing.Assignment =>
  decodeAssignment({ personId: r.person_id, role: r.role, target: targetOf(r.target_kind, r.target_id) })

const buildingRow = (b: Building) => ({
  id: b.id,
  name: b.name,
  community_id: b.communityId,
  compound_id: b.compoundId ?? null,
  households: b.households,
  party_member_households: b.partyMemberHouseholds ?? null,
  location: b.location === undefined ? null : JSON.stringify(b.location)
})

const gridRow = (g: Grid) => ({
  id: g.id,
  name: g.name,
  code: g.code ?? null,
  kind: g.kind,
  dedicated_to: g.dedicatedTo ?? null,
  community_id: g.communityId,
  micro_grids: g.microGrids === undefined ? null : encodeMicroGrids(g.microGrids),
  boundary: g.boundary === undefined ? null : encodeBoundary(g.boundary)
})

const personRow = (p: Staffing.Person) => ({
  id: p.id,
  name: p.name,
  party_member: p.partyMember ? 1 : 0,
  party_member_class: p.partyMemberClass ?? null,
  phone: p.phone ?? null
})

const assignmentRow = (a: Staffing.Assignment) => ({
  person_id: a.personId,
  role: a.role,
  target_kind: a.target._tag,
  target_id: targetId(a.target)
})

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Builds the SQL grid store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  Context.Tag.Service<GridRepository>,
  never,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const each = <A>(
    items: ReadonlyArray<A>,
    f: (batch: ReadonlyArray<A>) => Effect.Effect<unknown, SqlError>
  ) => Effect.forEach(chunk(items), f, { discard: true })

  /** Selects rows in batches of ids. */
  const selectIn = <R extends object>(
    ids: ReadonlyArray<string>,
    f: (batch: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<R>, SqlError>
  ): Effect.Effect<ReadonlyArray<R>, SqlError> =>
    Effect.map(Effect.forEach(chunk([...new Set(ids)]), f), (batches) => batches.flat())

  const buildingsWhere = (where: Fragment) =>
    Effect.map(
      sql<BuildingRow>`SELECT b.id, b.name, b.community_id, b.compound_id, b.households,
          b.party_member_households, b.location FROM cg_buildings b ${where}`,
      (rows) => rows.map(buildingOf)
    )

  const gridsWhere = (where: Fragment) =>
    Effect.gen(function* () {
      const rows = yield* sql<GridRow>`SELECT g.id, g.name, g.code, g.kind, g.dedicated_to, g.community_id,
          g.micro_grids, g.boundary FROM cg_grids g ${where}`
      const links = yield* selectIn(
        rows.map((r) => r.id),
        (batch) =>
          sql<{ readonly grid_id: string; readonly ord: unknown; readonly building_id: string }>`
              SELECT grid_id, ord, building_id FROM cg_grid_buildings WHERE ${sql.in("grid_id", batch)}`
      )
      const byGrid = new Map<string, Array<{ readonly ord: number; readonly id: string }>>()
      for (const l of links) {
        const list = byGrid.get(l.grid_id) ?? []
        list.push({ ord: num(l.ord), id: l.building_id })
        byGrid.set(l.grid_id, list)
      }
      return rows
        .map((r) =>
          gridOf(
            r,
            (byGrid.get(r.id) ?? []).sort((a, b) => a.ord - b.ord).map((l) => l.id)
          )
        )
        .sort((a, b) => compare(a.id, b.id))
    })

  const buildingsById = (ids: ReadonlyArray<string>) =>
    Effect.map(
      selectIn(ids, (batch) => buildingsWhere(sql`WHERE ${sql.in("b.id", batch)}`)),
      (bs) => [...bs].sort((a, b) => compare(a.id, b.id))
    )

  const gridsById = (ids: ReadonlyArray<string>) =>
    Effect.map(
      selectIn(ids, (batch) => gridsWhere(sql`WHERE ${sql.in("g.id", batch)}`)),
      (gs) => [...gs].sort((a, b) => compare(a.id, b.id))
    )

  const peopleById = (ids: ReadonlyArray<string>) =>
    Effect.map(
      selectIn(
        ids,
        (batch) =>
          sql<PersonRow>`SELECT id, name, party_member, party_member_class, phone FROM cg_people
              WHERE ${sql.in("id", batch)}`
      ),
      (rows) => rows.map(personOf).sort((a, b) => compare(a.id, b.id))
    )

  const assignmentsOfTargets = (kind: string, ids: ReadonlyArray<string>) =>
    selectIn(
      ids,
      (batch) =>
        sql<AssignmentRow>`SELECT person_id, role, target_kind, target_id FROM cg_assignments
            WHERE target_kind = ${kind} AND ${sql.in("target_id", batch)}`
    )

  const refuse = (violations: Parameters<typeof toError>[0]): Effect.Effect<void, GridDataInvalid> => {
    const error = toError(violations)
    return error === undefined ? Effect.void : Effect.fail(error)
  }

  const write = <A, E>(self: Effect.Effect<A, E | SqlError>) => orDie(sql.withTransaction(self))

  const putBuildings = (buildings: ReadonlyArray<Building>) =>
    write(
      Effect.gen(function* () {
        const units = yield* existing(sql, "cg_units", referencedIds({ buildings }).units)
        yield* refuse(checkBuildings(buildings, { units }))
        yield* each(
          buildings.map(buildingRow),
          (batch) => sql`INSERT INTO cg_buildings ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
              name = excluded.name, community_id = excluded.community_id, compound_id = excluded.compound_id,
              households = excluded.households, party_member_households = excluded.party_member_households,
              location = excluded.location`
        )
      })
    )

  const putGrids = (grids: ReadonlyArray<Grid>) =>
    write(
      Effect.gen(function* () {
        const refs = referencedIds({ grids })
        const units = yield* existing(sql, "cg_units", refs.units)
        const buildings = yield* buildingsById(refs.buildings)
        yield* refuse(checkGrids(grids, { units, buildings }))
        yield* each(
          grids.map(gridRow),
          (batch) => sql`INSERT INTO cg_grids ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
              name = excluded.name, code = excluded.code, kind = excluded.kind,
              dedicated_to = excluded.dedicated_to, community_id = excluded.community_id,
              micro_grids = excluded.micro_grids, boundary = excluded.boundary`
        )
        yield* each(
          grids.map((g) => g.id),
          (batch) => sql`DELETE FROM cg_grid_buildings WHERE ${sql.in("grid_id", batch)}`
        )
        yield* each(
          grids.flatMap((g) => g.buildingIds.map((b, ord) => ({ grid_id: g.id, ord, building_id: b }))),
          (batch) => sql`INSERT INTO cg_grid_buildings ${sql.insert(batch)}`
        )
      })
    )

  const removeGrid = (gridId: string) =>
    write(
      Effect.gen(function* () {
        const found = yield* sql`SELECT id FROM cg_grids WHERE id = ${gridId}`
        if (found.length === 0) return yield* new GridNotFound({ gridId })
        yield* sql`DELETE FROM cg_grid_buildings WHERE grid_id = ${gridId}`
        yield* sql`DELETE FROM cg_assignments WHERE target_kind = 'Grid' AND target_id = ${gridId}`
        yield* sql`DELETE FROM cg_grids WHERE id = ${gridId}`
      })
    )

  const putPeople = (people: ReadonlyArray<Staffing.Person>) =>
    write(
      Effect.gen(function* () {
        yield* refuse(checkPeople(people))
        yield* each(
          people.map(personRow),
          (batch) => sql`INSERT INTO cg_people ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
              name = excluded.name, party_member = excluded.party_member,
              party_member_class = excluded.party_member_class, phone = excluded.phone`
        )
      })
    )

  /** The stored assignments equal to one of these. */
  const storedAmong = (assignments: ReadonlyArray<Staffing.Assignment>) =>
    Effect.map(
      selectIn(
        assignments.map((a) => a.personId),
        (batch) =>
          sql<AssignmentRow>`SELECT person_id, role, target_kind, target_id FROM cg_assignments
              WHERE ${sql.in("person_id", batch)}`
      ),
      (rows) => {
        const wanted = new Set(assignments.map(assignmentId))
        return rows.map(assignmentOf).filter((a) => wanted.has(assignmentId(a)))
      }
    )

  const assign = (assignments: ReadonlyArray<Staffing.Assignment>) =>
    write(
      Effect.gen(function* () {
        const refs = referencedIds({ assignments })
        const known = {
          units: yield* existing(sql, "cg_units", refs.units),
          buildings: yield* buildingsById(refs.buildings),
          grids: yield* gridsById(refs.grids),
          people: yield* peopleById(refs.people),
          assignments: yield* storedAmong(assignments)
        }
        yield* refuse(checkAssignments(assignments, known))
        // Two writers racing with the same new assignment both succeed: the row is stored once.
        yield* each(
          assignments.map(assignmentRow),
          (batch) => sql`INSERT INTO cg_assignments ${sql.insert(batch)} ON CONFLICT DO NOTHING`
        )
      })
    )

  const unassign = (assignments: ReadonlyArray<Staffing.Assignment>) =>
    write(
      Effect.gen(function* () {
        const stored = yield* storedAmong(assignments)
        yield* Effect.forEach(
          stored,
          (a) => sql`DELETE FROM cg_assignments WHERE person_id = ${a.personId} AND role = ${a.role}
              AND target_kind = ${a.target._tag} AND target_id = ${targetId(a.target)}`,
          { discard: true }
        )
        return stored.length
      })
    )

  const grid = (gridId: string) =>
    orDie(
      readTransaction(
        sql,
        Effect.flatMap(gridsWhere(sql`WHERE g.id = ${gridId}`), ([found]) =>
          found === undefined ? Effect.fail(new GridNotFound({ gridId })) : Effect.succeed(found)
        )
      )
    )

  const inScope = (path: string, communityColumn: string): Fragment =>
    sql`JOIN cg_units u ON u.id = ${sql(communityColumn)} WHERE ${inSubtree(sql, "u.path", path)}`

  const grids = (within: string) =>
    orDie(
      readTransaction(
        sql,
        Effect.flatMap(scopePath(sql, within), (path) => gridsWhere(inScope(path, "g.community_id")))
      )
    )

  const ownBuildings = (path: string) =>
    Effect.map(buildingsWhere(inScope(path, "b.community_id")), (bs) =>
      [...bs].sort((a, b) => compare(a.id, b.id))
    )

  const buildings = (within: string) =>
    orDie(readTransaction(sql, Effect.flatMap(scopePath(sql, within), ownBuildings)))

  const snapshotOf = (within: string) =>
    Effect.gen(function* () {
      const path = yield* scopePath(sql, within)
      const scopeUnits = yield* sql<{ readonly id: string }>`SELECT id FROM cg_units u
          WHERE ${inSubtree(sql, "u.path", path)}`
      const gs = yield* gridsWhere(inScope(path, "g.community_id"))
      const own = yield* ownBuildings(path)
      const ownIds = new Set<string>(own.map((b) => b.id))
      const rows = [
        ...(yield* assignmentsOfTargets(
          "Grid",
          gs.map((g) => g.id)
        )),
        ...(yield* assignmentsOfTargets("Building", [...ownIds])),
        ...(yield* assignmentsOfTargets(
          "Unit",
          scopeUnits.map((u) => u.id)
        ))
      ]
      const assignments = sortAssignments(rows.map(assignmentOf))
      const named = referencedIds({ grids: gs, assignments }).buildings.filter((id) => !ownIds.has(id))
      const others = yield* buildingsById(named)
      const people = yield* peopleById(referencedIds({ assignments }).people)
      const snapshot: GridSnapshot = {
        grids: gs,
        buildings: [...own, ...others].sort((a, b) => compare(a.id, b.id)),
        people,
        assignments
      }
      return { snapshot, scope: new Set<string>(scopeUnits.map((u) => u.id)) }
    })

  const snapshot = (
    within: string
  ): Effect.Effect<GridSnapshot, Hierarchy.UnitNotFound | StorageUnavailable> =>
    orDie(
      readTransaction(
        sql,
        Effect.map(snapshotOf(within), (s) => s.snapshot)
      )
    )

  const coverage = (within: string) =>
    orDie(
      readTransaction(
        sql,
        Effect.map(snapshotOf(within), (s) => coverageWithin(s.snapshot, s.scope))
      )
    )

  return {
    putBuildings,
    putGrids,
    removeGrid,
    putPeople,
    assign,
    unassign,
    grid,
    grids,
    buildings,
    snapshot,
    coverage
  }
})

/**
 * The SQL grid store as a Layer (needs an `SqlClient`, migrated).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<GridRepository, never, SqlClient.SqlClient> = Layer.effect(
  GridRepository,
  make
)
