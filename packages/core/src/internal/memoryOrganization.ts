/**
 * The in-memory `OrganizationRepository`: maps in one `Ref`, swapped whole by
 * every write; units and subtrees come from the `HierarchyRepository`.
 *
 * @since 0.1.0
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as Award from "../Award.js"
import type * as Body from "../Body.js"
import type * as Compound from "../Compound.js"
import type * as CompoundPartyFounding from "../CompoundPartyFounding.js"
import * as Hierarchy from "../Hierarchy.js"
import { HierarchyRepository } from "../HierarchyRepository.js"
import type * as Membership from "../Membership.js"
import type * as OrganizationMetrics from "../OrganizationMetrics.js"
import {
  type Appended,
  type AwardConcurrencyConflict,
  appraisalKey,
  byId,
  checkAwardAppend,
  checkBodies,
  checkFoundingAppend,
  checkUnits,
  type Founding,
  type FoundingConcurrencyConflict,
  lastByKey,
  membershipBodies,
  membershipKey,
  type OrganizationRepository,
  orderAppraisals,
  orderMemberships,
  orderWeakAndLaxFlags,
  type Population,
  placementKey,
  postBodies,
  RoundNotFound,
  referencedUnits,
  type StaffPlacement,
  type UnitAppraisal,
  type UnitRound,
  weakAndLaxKey
} from "../OrganizationRepository.js"
import * as Post from "../Post.js"
import type * as Staffing from "../Staffing.js"
import type { StorageUnavailable } from "../Storage.js"
import { UnitId } from "../Unit.js"

type FoundingAppendError =
  | FoundingConcurrencyConflict
  | CompoundPartyFounding.FoundingReplayError
  | Hierarchy.UnitNotFound
type AwardAppendError = AwardConcurrencyConflict | Award.AwardReplayError | Hierarchy.UnitNotFound

interface State {
  readonly bodies: ReadonlyMap<string, Body.Body>
  readonly posts: ReadonlyMap<string, Post.Post>
  readonly memberships: ReadonlyMap<string, Membership.Membership>
  readonly compounds: ReadonlyMap<string, Compound.Compound>
  readonly populations: ReadonlyMap<string, Population>
  readonly placements: ReadonlyMap<string, StaffPlacement>
  readonly people: ReadonlyMap<string, Staffing.Person>
  readonly appraisals: ReadonlyMap<string, UnitAppraisal>
  readonly weakAndLax: ReadonlyMap<string, OrganizationMetrics.WeakAndLaxFlag>
  readonly foundingEvents: ReadonlyMap<string, ReadonlyArray<CompoundPartyFounding.Event>>
  readonly foundings: ReadonlyMap<string, Founding>
  readonly awardEvents: ReadonlyMap<string, ReadonlyArray<Award.Event>>
  readonly awards: ReadonlyMap<string, UnitRound>
}

const upsert = <A>(map: ReadonlyMap<string, A>, items: ReadonlyArray<A>, key: (a: A) => string) => {
  const next = new Map(map)
  for (const item of items) next.set(key(item), item)
  return next
}

/**
 * Builds the in-memory organisation store (empty).
 *
 * @since 0.1.0
 * @category internal
 */
export const make: Effect.Effect<
  Context.Tag.Service<OrganizationRepository>,
  never,
  HierarchyRepository
> = Effect.gen(function* () {
  const hierarchies = yield* HierarchyRepository
  const state = yield* Ref.make<State>({
    bodies: new Map(),
    posts: new Map(),
    memberships: new Map(),
    compounds: new Map(),
    populations: new Map(),
    placements: new Map(),
    people: new Map(),
    appraisals: new Map(),
    weakAndLax: new Map(),
    foundingEvents: new Map(),
    foundings: new Map(),
    awardEvents: new Map(),
    awards: new Map()
  })

  const knownUnits = (ids: ReadonlyArray<string>): Effect.Effect<ReadonlySet<string>> =>
    Effect.match(hierarchies.load, {
      onFailure: () => new Set<string>(),
      onSuccess: (h) => new Set(ids.filter((id) => Hierarchy.has(h, id)))
    })

  const write = <E>(
    units: ReadonlyArray<string>,
    f: (s: State, units: ReadonlySet<string>) => Either.Either<State, E>
  ): Effect.Effect<void, E> =>
    Effect.flatMap(knownUnits(units), (known) =>
      Effect.flatten(
        Ref.modify(state, (s): readonly [Either.Either<void, E>, State] =>
          Either.match(f(s, known), {
            onLeft: (e) => [Either.left(e), s],
            onRight: (next) => [Either.void, next]
          })
        )
      )
    )

  const scopeOf = (
    within: string | undefined
  ): Effect.Effect<Option.Option<ReadonlySet<string>>, Hierarchy.UnitNotFound | StorageUnavailable> =>
    within === undefined
      ? Effect.succeedNone
      : Effect.map(hierarchies.subtreeIds(within), (ids) => Option.some(new Set<string>(ids)))

  const inScope = (scope: Option.Option<ReadonlySet<string>>, unitId: string | undefined): boolean =>
    Option.match(scope, { onNone: () => true, onSome: (s) => unitId !== undefined && s.has(unitId) })

  const read = <A>(
    within: string | undefined,
    f: (s: State, scope: Option.Option<ReadonlySet<string>>) => A
  ): Effect.Effect<A, Hierarchy.UnitNotFound | StorageUnavailable> =>
    Effect.flatMap(scopeOf(within), (scope) => Effect.map(Ref.get(state), (s) => f(s, scope)))

  const bodyUnit = (s: State, bodyId: string): string | undefined => s.bodies.get(bodyId)?.unitId

  const service: Context.Tag.Service<OrganizationRepository> = {
    putBodies: (bodies) =>
      write(referencedUnits({ bodies }), (s, units) =>
        Either.map(checkUnits(referencedUnits({ bodies }), units), () => ({
          ...s,
          bodies: upsert(s.bodies, bodies, (b) => b.id)
        }))
      ),
    bodies: (query) =>
      read(query?.within, (s, scope) => {
        const ids = query?.ids === undefined ? undefined : new Set(query.ids)
        const kinds = query?.kinds === undefined ? undefined : new Set(query.kinds)
        return byId(
          [...s.bodies.values()].filter(
            (b) =>
              inScope(scope, b.unitId) &&
              (ids === undefined || ids.has(b.id)) &&
              (kinds === undefined || kinds.has(b.kind))
          )
        )
      }),
    putPosts: (posts) =>
      write([], (s) =>
        Either.map(checkBodies(postBodies(posts), new Set(s.bodies.keys())), () => ({
          ...s,
          posts: upsert(s.posts, posts, (p) => p.id)
        }))
      ),
    posts: (query) =>
      read(query?.within, (s, scope) =>
        byId(
          [...s.posts.values()].filter(
            (p) =>
              inScope(scope, bodyUnit(s, p.bodyId)) &&
              (query?.bodyId === undefined || p.bodyId === query.bodyId) &&
              (query?.holder === undefined || p.holder === query.holder) &&
              (query?.heldOn === undefined || Post.heldOn(p, query.heldOn))
          )
        )
      ),
    putMemberships: (memberships) =>
      write([], (s) =>
        Either.map(checkBodies(membershipBodies(memberships), new Set(s.bodies.keys())), () => ({
          ...s,
          memberships: upsert(s.memberships, memberships, membershipKey)
        }))
      ),
    memberships: (query) =>
      read(query?.within, (s, scope) =>
        orderMemberships(
          [...s.memberships.values()].filter(
            (m) =>
              inScope(scope, bodyUnit(s, m.bodyId)) &&
              (query?.bodyId === undefined || m.bodyId === query.bodyId)
          )
        )
      ),
    putCompounds: (compounds) =>
      write(referencedUnits({ compounds }), (s, units) =>
        Either.map(checkUnits(referencedUnits({ compounds }), units), () => ({
          ...s,
          compounds: upsert(s.compounds, compounds, (c) => c.id)
        }))
      ),
    compounds: (query) =>
      read(query?.within, (s, scope) => byId([...s.compounds.values()].filter((c) => inScope(scope, c.id)))),
    putPopulations: (populations) =>
      write(referencedUnits({ populations }), (s, units) =>
        Either.map(checkUnits(referencedUnits({ populations }), units), () => ({
          ...s,
          populations: upsert(s.populations, populations, (p) => p.unitId)
        }))
      ),
    populations: (query) =>
      read(query?.within, (s, scope) =>
        [...s.populations.values()]
          .filter((p) => inScope(scope, p.unitId))
          .sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0))
      ),
    putPlacements: (placements) =>
      write(referencedUnits({ placements }), (s, units) =>
        Either.map(checkUnits(referencedUnits({ placements }), units), () => ({
          ...s,
          placements: upsert(s.placements, placements, placementKey)
        }))
      ),
    placements: (query) =>
      read(query?.within, (s, scope) =>
        [...s.placements.values()]
          .filter((p) => inScope(scope, p.unitId))
          .sort((a, b) =>
            placementKey(a) < placementKey(b) ? -1 : placementKey(a) > placementKey(b) ? 1 : 0
          )
      ),
    putPeople: (people) =>
      Ref.update(state, (s) => ({ ...s, people: upsert(s.people, people, (p) => p.id) })),
    people: (ids) =>
      Effect.map(Ref.get(state), (s) =>
        byId(
          [...new Set(ids)].flatMap((id) => {
            const p = s.people.get(id)
            return p === undefined ? [] : [p]
          })
        )
      ),
    putAppraisals: (appraisals) =>
      write(referencedUnits({ appraisals }), (s, units) =>
        Either.map(checkUnits(referencedUnits({ appraisals }), units), () => ({
          ...s,
          appraisals: upsert(
            s.appraisals,
            lastByKey(appraisals, (a) => appraisalKey(a.appraisal)),
            (a) => appraisalKey(a.appraisal)
          )
        }))
      ),
    appraisals: (query) =>
      read(query?.within, (s, scope) =>
        orderAppraisals([...s.appraisals.values()].filter((a) => inScope(scope, a.unitId)))
      ),
    putWeakAndLaxFlags: (flags) =>
      write([], (s) =>
        Either.map(checkBodies([...new Set(flags.map((f) => f.bodyId))], new Set(s.bodies.keys())), () => ({
          ...s,
          weakAndLax: upsert(s.weakAndLax, flags, weakAndLaxKey)
        }))
      ),
    weakAndLaxFlags: (query) =>
      read(query?.within, (s, scope) =>
        orderWeakAndLaxFlags([...s.weakAndLax.values()].filter((f) => inScope(scope, bodyUnit(s, f.bodyId))))
      ),
    appendFoundingEvents: (input) =>
      Effect.flatMap(
        Effect.flatMap(Ref.get(state), (s) =>
          knownUnits(
            [...(s.foundingEvents.get(input.compoundId) ?? []), ...input.events].flatMap((e) =>
              e._tag === "MembersFound" ? [e.compoundId, e.communityId] : []
            )
          )
        ),
        (units) =>
          Effect.flatten(
            Ref.modify(state, (s): readonly [Either.Either<Appended, FoundingAppendError>, State] => {
              const stored = s.foundingEvents.get(input.compoundId) ?? []
              const checked = checkFoundingAppend({ ...input, stored, units })
              if (Either.isLeft(checked)) return [Either.left(checked.left), s] as const
              const { state: next, version } = checked.right
              if (input.events.length === 0)
                return [Either.right({ id: input.compoundId, version }), s] as const
              return [
                Either.right({ id: input.compoundId, version }),
                {
                  ...s,
                  foundingEvents: new Map(s.foundingEvents).set(input.compoundId, [
                    ...stored,
                    ...input.events
                  ]),
                  foundings: new Map(s.foundings).set(input.compoundId, next)
                }
              ] as const
            })
          )
      ),
    foundingEvents: (compoundId) => Effect.map(Ref.get(state), (s) => s.foundingEvents.get(compoundId) ?? []),
    foundings: (query) =>
      read(query?.within, (s, scope) =>
        [...s.foundings.values()]
          .filter((f) => inScope(scope, f.compoundId))
          .sort((a, b) => (a.compoundId < b.compoundId ? -1 : a.compoundId > b.compoundId ? 1 : 0))
      ),
    appendAwardEvents: (input) =>
      Effect.flatMap(
        Effect.flatMap(Ref.get(state), (s) =>
          knownUnits([s.awards.get(input.roundId)?.unitId ?? input.unitId])
        ),
        (units) =>
          Effect.flatten(
            Ref.modify(state, (s): readonly [Either.Either<Appended, AwardAppendError>, State] => {
              const stored = s.awardEvents.get(input.roundId) ?? []
              const unitId = s.awards.get(input.roundId)?.unitId ?? input.unitId
              const checked = checkAwardAppend({ ...input, unitId, stored, units })
              if (Either.isLeft(checked)) return [Either.left(checked.left), s] as const
              const { state: round, version } = checked.right
              if (input.events.length === 0) return [Either.right({ id: input.roundId, version }), s] as const
              return [
                Either.right({ id: input.roundId, version }),
                {
                  ...s,
                  awardEvents: new Map(s.awardEvents).set(input.roundId, [...stored, ...input.events]),
                  awards: new Map(s.awards).set(input.roundId, {
                    unitId: UnitId.make(unitId, { disableValidation: true }),
                    round
                  })
                }
              ] as const
            })
          )
      ),
    awardEvents: (roundId) => Effect.map(Ref.get(state), (s) => s.awardEvents.get(roundId) ?? []),
    round: (roundId) =>
      Effect.flatMap(Ref.get(state), (s) => {
        const r = s.awards.get(roundId)
        return r === undefined ? Effect.fail(new RoundNotFound({ roundId })) : Effect.succeed(r)
      }),
    awards: (query) =>
      read(query?.within, (s, scope) =>
        [...s.awards.values()]
          .filter((r) => inScope(scope, r.unitId))
          .sort((a, b) => (a.round.id < b.round.id ? -1 : a.round.id > b.round.id ? 1 : 0))
      )
  }
  return service
})
