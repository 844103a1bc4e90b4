/**
 * The in-memory `GridRepository`: maps in one `Ref`, swapped whole by every
 * write; units and subtrees come from the `HierarchyRepository`.
 *
 * @since 0.1.0
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Ref from "effect/Ref"
import type { Building } from "../Building.js"
import type { Grid } from "../Grid.js"
import {
  assignmentId,
  checkAssignments,
  checkBuildings,
  checkGrids,
  checkPeople,
  coverageWithin,
  type GridDataInvalid,
  GridNotFound,
  type GridRepository,
  type GridSnapshot,
  referencedIds,
  sortAssignments,
  toError
} from "../GridRepository.js"
import * as Hierarchy from "../Hierarchy.js"
import { HierarchyRepository } from "../HierarchyRepository.js"
import type * as Staffing from "../Staffing.js"

interface State {
  readonly buildings: ReadonlyMap<string, Building>
  readonly grids: ReadonlyMap<string, Grid>
  readonly people: ReadonlyMap<string, Staffing.Person>
  readonly assignments: ReadonlyMap<string, Staffing.Assignment>
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const byId = <A extends { readonly id: string }>(items: Iterable<A>): ReadonlyArray<A> =>
  [...items].sort((a, b) => compare(a.id, b.id))

const present = <A>(map: ReadonlyMap<string, A>, ids: ReadonlyArray<string>): Array<A> =>
  ids.flatMap((id) => {
    const a = map.get(id)
    return a === undefined ? [] : [a]
  })

/**
 * Builds the in-memory grid store (empty).
 *
 * @since 0.1.0
 * @category internal
 */
export const make: Effect.Effect<
  Context.Tag.Service<GridRepository>,
  never,
  HierarchyRepository
> = Effect.gen(function* () {
  const hierarchies = yield* HierarchyRepository
  const state = yield* Ref.make<State>({
    buildings: new Map(),
    grids: new Map(),
    people: new Map(),
    assignments: new Map()
  })

  const knownUnits = (ids: ReadonlyArray<string>): Effect.Effect<ReadonlySet<string>> =>
    Effect.match(hierarchies.load, {
      onFailure: () => new Set<string>(),
      onSuccess: (h) => new Set(ids.filter((id) => Hierarchy.has(h, id)))
    })

  const write = (
    units: ReadonlyArray<string>,
    f: (s: State, units: ReadonlySet<string>) => Either.Either<State, GridDataInvalid>
  ): Effect.Effect<void, GridDataInvalid> =>
    Effect.flatMap(knownUnits(units), (known) =>
      Effect.flatten(
        Ref.modify(state, (s): readonly [Either.Either<void, GridDataInvalid>, State] =>
          Either.match(f(s, known), {
            onLeft: (e) => [Either.left(e), s],
            onRight: (next) => [Either.void, next]
          })
        )
      )
    )

  const refuse = (violations: Parameters<typeof toError>[0], next: () => State) => {
    const error = toError(violations)
    return error === undefined ? Either.right(next()) : Either.left(error)
  }

  const snapshotOf = (s: State, scope: ReadonlySet<string>): GridSnapshot => {
    const grids = byId([...s.grids.values()].filter((g) => scope.has(g.communityId)))
    const own = [...s.buildings.values()].filter((b) => scope.has(b.communityId))
    const ownIds = new Set<string>(own.map((b) => b.id))
    const gridIds = new Set<string>(grids.map((g) => g.id))
    const inScope = (a: Staffing.Assignment): boolean =>
      a.target._tag === "Grid"
        ? gridIds.has(a.target.gridId)
        : a.target._tag === "Building"
          ? ownIds.has(a.target.buildingId)
          : scope.has(a.target.unitId)
    const assignments = sortAssignments([...s.assignments.values()].filter(inScope))
    const named = referencedIds({ grids, assignments }).buildings
    const buildings = byId([
      ...own,
      ...present(
        s.buildings,
        named.filter((id) => !ownIds.has(id))
      )
    ])
    const people = byId(present(s.people, referencedIds({ assignments }).people))
    return { grids, buildings, people, assignments }
  }

  const scopeOf = (within: string) =>
    Effect.map(hierarchies.subtreeIds(within), (ids): ReadonlySet<string> => new Set(ids))

  return {
    putBuildings: (buildings) =>
      write(referencedIds({ buildings }).units, (s, units) =>
        refuse(checkBuildings(buildings, { units }), () => {
          const next = new Map(s.buildings)
          for (const b of buildings) next.set(b.id, b)
          return { ...s, buildings: next }
        })
      ),
    putGrids: (grids) =>
      write(referencedIds({ grids }).units, (s, units) =>
        refuse(
          checkGrids(grids, { units, buildings: present(s.buildings, referencedIds({ grids }).buildings) }),
          () => {
            const next = new Map(s.grids)
            for (const g of grids) next.set(g.id, g)
            return { ...s, grids: next }
          }
        )
      ),
    removeGrid: (gridId) =>
      Effect.flatten(
        Ref.modify(state, (s): readonly [Effect.Effect<void, GridNotFound>, State] => {
          if (!s.grids.has(gridId)) return [Effect.fail(new GridNotFound({ gridId })), s]
          const grids = new Map(s.grids)
          grids.delete(gridId)
          const assignments = new Map(
            [...s.assignments].filter(([, a]) => !(a.target._tag === "Grid" && a.target.gridId === gridId))
          )
          return [Effect.void, { ...s, grids, assignments }]
        })
      ),
    putPeople: (people) =>
      write([], (s) =>
        refuse(checkPeople(people), () => {
          const next = new Map(s.people)
          for (const p of people) next.set(p.id, p)
          return { ...s, people: next }
        })
      ),
    assign: (assignments) => {
      const refs = referencedIds({ assignments })
      return write(refs.units, (s, units) =>
        refuse(
          checkAssignments(assignments, {
            units,
            buildings: present(s.buildings, refs.buildings),
            grids: present(s.grids, refs.grids),
            people: present(s.people, refs.people),
            assignments: present(s.assignments, [...new Set(assignments.map(assignmentId))])
          }),
          () => {
            const next = new Map(s.assignments)
            for (const a of assignments) next.set(assignmentId(a), a)
            return { ...s, assignments: next }
          }
        )
      )
    },
    unassign: (assignments) =>
      Ref.modify(state, (s): readonly [number, State] => {
        const next = new Map(s.assignments)
        let removed = 0
        for (const id of new Set(assignments.map(assignmentId))) if (next.delete(id)) removed++
        return [removed, { ...s, assignments: next }]
      }),
    grid: (gridId) =>
      Effect.flatMap(Ref.get(state), (s) => {
        const grid = s.grids.get(gridId)
        return grid === undefined ? Effect.fail(new GridNotFound({ gridId })) : Effect.succeed(grid)
      }),
    grids: (within) =>
      Effect.flatMap(scopeOf(within), (scope) =>
        Effect.map(Ref.get(state), (s) => byId([...s.grids.values()].filter((g) => scope.has(g.communityId))))
      ),
    buildings: (within) =>
      Effect.flatMap(scopeOf(within), (scope) =>
        Effect.map(Ref.get(state), (s) =>
          byId([...s.buildings.values()].filter((b) => scope.has(b.communityId)))
        )
      ),
    snapshot: (within) =>
      Effect.flatMap(scopeOf(within), (scope) => Effect.map(Ref.get(state), (s) => snapshotOf(s, scope))),
    coverage: (within) =>
      Effect.flatMap(scopeOf(within), (scope) =>
        Effect.map(Ref.get(state), (s) => coverageWithin(snapshotOf(s, scope), scope))
      )
  }
})
