/**
 * Internal indexes for `Staffing`: deterministic de-duplication of records by
 * id, and the "who serves which grid in which role" relation built once from
 * the assignments.
 *
 * @since 0.1.0
 */
import type { GridId } from "../Grid.js"
import type { Assignment, PersonId, Role, Target } from "../Staffing.js"
import type { UnitId } from "../Unit.js"

/** Code-unit order on strings: total, locale-independent, deterministic. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The distinct strings of an iterable, sorted. */
export const sortedDistinct = <A extends string>(xs: Iterable<A>): Array<A> =>
  Array.from(new Set(xs)).sort(compareStrings)

/** A stable textual key for a target. */
export const targetKey = (target: Target): string => {
  switch (target._tag) {
    case "Grid":
      return `grid:${target.gridId}`
    case "Building":
      return `building:${target.buildingId}`
    case "Unit":
      return `unit:${target.unitId}`
  }
}

/** A stable textual key for an assignment (person × role × target). */
export const assignmentKey = (assignment: Assignment): string =>
  `${assignment.personId}\u0000${assignment.role}\u0000${targetKey(assignment.target)}`

/**
 * Indexes records by id. When an id repeats, the canonical record is the one
 * with the smallest JSON text, so the choice does not depend on input order.
 */
export const indexById = <Id extends string, A extends { readonly id: Id }>(
  items: ReadonlyArray<A>
): { readonly byId: Map<Id, A>; readonly occurrences: Map<Id, number> } => {
  const byId = new Map<Id, A>()
  const keys = new Map<Id, string>()
  const occurrences = new Map<Id, number>()
  for (const item of items) {
    occurrences.set(item.id, (occurrences.get(item.id) ?? 0) + 1)
    const key = JSON.stringify(item)
    const seen = keys.get(item.id)
    if (seen === undefined || key < seen) {
      byId.set(item.id, item)
      keys.set(item.id, key)
    }
  }
  return { byId, occurrences }
}

type Nested<K, L, V> = Map<K, Map<L, Set<V>>>

const add = <K, L, V>(nested: Nested<K, L, V>, k: K, l: L, v: V): void => {
  let inner = nested.get(k)
  if (inner === undefined) {
    inner = new Map()
    nested.set(k, inner)
  }
  let set = inner.get(l)
  if (set === undefined) {
    set = new Set()
    inner.set(l, set)
  }
  set.add(v)
}

const collect = <K, L, V extends string>(nested: Nested<K, L, V>, k: K, ls: ReadonlyArray<L>): Array<V> => {
  const inner = nested.get(k)
  if (inner === undefined) return []
  const out: Array<V> = []
  for (const l of ls) {
    const set = inner.get(l)
    if (set !== undefined) out.push(...set)
  }
  return sortedDistinct(out)
}

/**
 * Who serves what: a person serves a grid in a role when assigned to the grid,
 * or to a building the grid covers.
 */
export interface StaffIndex {
  readonly gridStaff: Nested<GridId, Role, PersonId>
  readonly personGrids: Nested<PersonId, Role, GridId>
  readonly personUnits: Nested<PersonId, Role, UnitId>
}

/** Builds the index from (already validated) assignments and the building → grids map. */
export const buildIndex = (
  assignments: Iterable<Assignment>,
  buildingGrids: ReadonlyMap<UnitId, ReadonlyArray<GridId>>
): StaffIndex => {
  const gridStaff: Nested<GridId, Role, PersonId> = new Map()
  const personGrids: Nested<PersonId, Role, GridId> = new Map()
  const personUnits: Nested<PersonId, Role, UnitId> = new Map()
  const serve = (personId: PersonId, role: Role, gridId: GridId): void => {
    add(gridStaff, gridId, role, personId)
    add(personGrids, personId, role, gridId)
  }
  for (const { personId, role, target } of assignments) {
    switch (target._tag) {
      case "Grid":
        serve(personId, role, target.gridId)
        break
      case "Building":
        for (const gridId of buildingGrids.get(target.buildingId) ?? []) serve(personId, role, gridId)
        break
      case "Unit":
        add(personUnits, personId, role, target.unitId)
        break
    }
  }
  return { gridStaff, personGrids, personUnits }
}

/** The persons serving a grid in any of the roles, sorted. */
export const servedBy = (index: StaffIndex, gridId: GridId, roles: ReadonlyArray<Role>): Array<PersonId> =>
  collect(index.gridStaff, gridId, roles)

/** The grids a person serves in any of the roles, sorted. */
export const gridsOf = (index: StaffIndex, personId: PersonId, roles: ReadonlyArray<Role>): Array<GridId> =>
  collect(index.personGrids, personId, roles)

/** Whether a person holds a role at a unit. */
export const holdsAt = (index: StaffIndex, personId: PersonId, role: Role, unitId: UnitId): boolean =>
  index.personUnits.get(personId)?.get(role)?.has(unitId) ?? false

/** The grids covering each building. */
export const buildingGridsOf = (
  grids: Iterable<{ readonly id: GridId; readonly buildingIds: ReadonlyArray<UnitId> }>
): Map<UnitId, Array<GridId>> => {
  const out = new Map<UnitId, Array<GridId>>()
  for (const grid of grids) {
    for (const buildingId of new Set(grid.buildingIds)) {
      const list = out.get(buildingId)
      if (list === undefined) out.set(buildingId, [grid.id])
      else list.push(grid.id)
    }
  }
  return out
}
