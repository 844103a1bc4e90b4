/**
 * The in-memory `HierarchyRepository`: one immutable state in a `Ref`, swapped
 * whole by every write, so a write is atomic and a failed validation leaves
 * the state untouched. `update` runs the caller's change inside the swap
 * (`Ref.modify`), so concurrent updates apply one after the other. Every
 * successful hierarchy write (`save`, `update`, `move`) bumps the version.
 *
 * @since 0.1.0
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Hierarchy from "../Hierarchy.js"
import { HierarchyNotFound, type HierarchyRepository, PartyTreeNotFound } from "../HierarchyRepository.js"
import type * as LevelScheme from "../LevelScheme.js"
import * as PartyOrganization from "../PartyOrganization.js"
import type { Unit, UnitId } from "../Unit.js"

interface State {
  readonly hierarchy: Hierarchy.Hierarchy | null
  /** Bumped by every hierarchy write. */
  readonly version: number
  readonly party: {
    readonly rows: ReadonlyArray<PartyOrganization.PartyOrganization>
    readonly kinds: LevelScheme.LevelScheme
  } | null
}

/**
 * The fields of `Unit` a store keeps (extra fields of an app's rows are dropped).
 *
 * @since 0.1.0
 * @category internal
 */
export const storedUnit = (u: Unit): Unit => {
  const base: Unit = { id: u.id, parentId: u.parentId, level: u.level, name: u.name }
  return u.code === undefined ? base : { ...base, code: u.code }
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * 辖区单元 — the unit and its descendants, in id order (none for an unknown id).
 *
 * @since 0.1.0
 * @category internal
 */
export const subtreeIdsOf = (h: Hierarchy.Hierarchy, unitId: string): Option.Option<ReadonlyArray<UnitId>> =>
  Option.map(Hierarchy.get(h, unitId), (self) => {
    const below = Option.getOrElse(Hierarchy.descendants(h, unitId), (): ReadonlyArray<Unit> => [])
    return [self.id, ...below.map((u) => u.id)].sort(compareIds)
  })

/**
 * Builds the in-memory hierarchy store (empty).
 *
 * @since 0.1.0
 * @category internal
 */
export const make: Effect.Effect<Context.Tag.Service<HierarchyRepository>> = Effect.gen(function* () {
  const state = yield* Ref.make<State>({ hierarchy: null, version: 0, party: null })

  const modify = <A, E>(f: (s: State) => Either.Either<readonly [A, State], E>): Effect.Effect<A, E> =>
    Effect.flatten(
      Ref.modify(state, (s): readonly [Either.Either<A, E>, State] =>
        Either.match(f(s), {
          onLeft: (e) => [Either.left(e), s],
          onRight: ([a, next]) => [Either.right(a), next]
        })
      )
    )

  const current = Effect.flatMap(Ref.get(state), (s) =>
    s.hierarchy === null ? Effect.fail(new HierarchyNotFound()) : Effect.succeed(s.hierarchy)
  )

  return {
    save: (scheme, rows) =>
      modify((s) =>
        Either.map(
          Hierarchy.make(scheme, rows.map(storedUnit)),
          (h) => [h, { ...s, hierarchy: h, version: s.version + 1 }] as const
        )
      ),
    update: (change) =>
      modify((s) =>
        Either.flatMap(
          change(Option.fromNullable(s.hierarchy)),
          (next): Either.Either<readonly [Hierarchy.Hierarchy, State], Hierarchy.HierarchyInvalid> =>
            Either.map(
              Hierarchy.make(next.scheme, next.units.map(storedUnit)),
              (h) => [h, { ...s, hierarchy: h, version: s.version + 1 }] as const
            )
        )
      ),
    load: current,
    version: Effect.map(Ref.get(state), (s) => String(s.version)),
    subtreeIds: (unitId) =>
      Effect.flatMap(Ref.get(state), (s) =>
        Option.match(s.hierarchy === null ? Option.none() : subtreeIdsOf(s.hierarchy, unitId), {
          onNone: () => Effect.fail(new Hierarchy.UnitNotFound({ unitId })),
          onSome: Effect.succeed
        })
      ),
    move: (unitId, newParentId) =>
      modify((s) => {
        if (s.hierarchy === null) return Either.left(new Hierarchy.UnitNotFound({ unitId }))
        return Either.map(
          Hierarchy.move(s.hierarchy, unitId, newParentId),
          (h) => [h, { ...s, hierarchy: h, version: s.version + 1 }] as const
        )
      }),
    savePartyOrganizations: (rows, options) =>
      modify(
        (
          s
        ): Either.Either<
          readonly [PartyOrganization.PartyTree, State],
          PartyOrganization.PartyOrganizationInvalid | HierarchyNotFound
        > => {
          if (s.hierarchy === null) return Either.left(new HierarchyNotFound())
          const kinds = options?.kinds ?? PartyOrganization.KindOrder
          return Either.map(
            PartyOrganization.make(rows, {
              hierarchy: s.hierarchy,
              kinds,
              ...(options?.grids === undefined ? {} : { grids: options.grids })
            }),
            (tree) => [tree, { ...s, party: { rows: PartyOrganization.orgs(tree), kinds } }] as const
          )
        }
      ),
    loadPartyOrganizations: Effect.flatMap(
      Ref.get(state),
      (
        s
      ): Effect.Effect<
        PartyOrganization.PartyTree,
        PartyOrganization.PartyOrganizationInvalid | HierarchyNotFound | PartyTreeNotFound
      > => {
        if (s.hierarchy === null) return Effect.fail(new HierarchyNotFound())
        if (s.party === null) return Effect.fail(new PartyTreeNotFound())
        return PartyOrganization.make(s.party.rows, { hierarchy: s.hierarchy, kinds: s.party.kinds })
      }
    )
  }
})
