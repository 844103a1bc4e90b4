/**
 * The in-memory `DeliberationRepository`: event streams and topic states in
 * one `Ref`, swapped whole by every append; units and subtrees come from the
 * `HierarchyRepository`.
 *
 * @since 0.1.0
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Ref from "effect/Ref"
import type * as Deliberation from "../Deliberation.js"
import {
  type Appended,
  byId,
  checkAppend,
  type DeliberationConcurrencyConflict,
  type DeliberationRepository,
  orderEntries,
  type PublicEntry,
  publicEntry,
  TopicNotFound,
  unitOf
} from "../DeliberationRepository.js"
import * as Hierarchy from "../Hierarchy.js"
import { HierarchyRepository } from "../HierarchyRepository.js"
import type { StorageUnavailable } from "../Storage.js"

type AppendError =
  | DeliberationConcurrencyConflict
  | Deliberation.DeliberationReplayError
  | Hierarchy.UnitNotFound

interface State {
  readonly events: ReadonlyMap<string, ReadonlyArray<Deliberation.Event>>
  readonly topics: ReadonlyMap<string, Deliberation.Topic>
}

/**
 * Builds the in-memory deliberation store (empty).
 *
 * @since 0.1.0
 * @category internal
 */
export const make: Effect.Effect<
  Context.Tag.Service<DeliberationRepository>,
  never,
  HierarchyRepository
> = Effect.gen(function* () {
  const hierarchies = yield* HierarchyRepository
  const state = yield* Ref.make<State>({ events: new Map(), topics: new Map() })

  const knownUnits = (ids: ReadonlyArray<string>): Effect.Effect<ReadonlySet<string>> =>
    Effect.match(hierarchies.load, {
      onFailure: () => new Set<string>(),
      onSuccess: (h) => new Set(ids.filter((id) => Hierarchy.has(h, id)))
    })

  const scoped = (
    within: string | undefined
  ): Effect.Effect<(unitId: string) => boolean, Hierarchy.UnitNotFound | StorageUnavailable> =>
    within === undefined
      ? Effect.succeed(() => true)
      : Effect.map(hierarchies.subtreeIds(within), (ids) => {
          const set = new Set<string>(ids)
          return (unitId: string) => set.has(unitId)
        })

  const service: Context.Tag.Service<DeliberationRepository> = {
    append: (input) =>
      Effect.flatMap(
        Effect.flatMap(Ref.get(state), (s) => {
          const unit = unitOf([...(s.events.get(input.topicId) ?? []), ...input.events])
          return knownUnits(unit === undefined ? [] : [unit])
        }),
        (units) =>
          Effect.flatten(
            Ref.modify(state, (s): readonly [Either.Either<Appended, AppendError>, State] => {
              const stored = s.events.get(input.topicId) ?? []
              const checked = checkAppend({ ...input, stored, units })
              if (Either.isLeft(checked)) return [Either.left(checked.left), s] as const
              const { state: next, version } = checked.right
              if (input.events.length === 0) return [Either.right({ id: input.topicId, version }), s] as const
              return [
                Either.right({ id: input.topicId, version }),
                {
                  events: new Map(s.events).set(input.topicId, [...stored, ...input.events]),
                  topics: new Map(s.topics).set(input.topicId, next)
                }
              ] as const
            })
          )
      ),
    events: (topicId) => Effect.map(Ref.get(state), (s) => s.events.get(topicId) ?? []),
    topic: (topicId) =>
      Effect.flatMap(Ref.get(state), (s) => {
        const topic = s.topics.get(topicId)
        return topic === undefined ? Effect.fail(new TopicNotFound({ topicId })) : Effect.succeed(topic)
      }),
    topics: (query) =>
      Effect.flatMap(scoped(query?.within), (inScope) =>
        Effect.map(Ref.get(state), (s) => {
          const statuses = query?.statuses === undefined ? undefined : new Set<string>(query.statuses)
          return byId(
            [...s.topics.values()].filter(
              (t) => inScope(t.unitId) && (statuses === undefined || statuses.has(t.status))
            )
          )
        })
      ),
    publications: (query) =>
      Effect.flatMap(scoped(query.within), (inScope) =>
        Effect.map(Ref.get(state), (s) =>
          orderEntries(
            [...s.topics.values()].flatMap((t): ReadonlyArray<PublicEntry> => {
              if (!inScope(t.unitId)) return []
              const entry = publicEntry(t, query.now)
              return entry === undefined ? [] : [entry]
            })
          )
        )
      )
  }
  return service
})
