/**
 * The in-memory `ListRepository`: maps in one `Ref`, swapped whole by every
 * write; units and subtrees come from the `HierarchyRepository`.
 *
 * @since 0.1.0
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Hierarchy from "../Hierarchy.js"
import { HierarchyRepository } from "../HierarchyRepository.js"
import {
  checkProblems,
  checkResources,
  checkTasks,
  checkWishAppend,
  ListItemNotFound,
  type ListRepository,
  orderTasks,
  referencedUnits,
  taskMatches,
  type WishAppended,
  type WishConcurrencyConflict,
  WishNotFound,
  type WishUnitNotFound
} from "../ListRepository.js"
import * as MicroWish from "../MicroWish.js"
import type * as ProblemList from "../ProblemList.js"
import type * as ResourceList from "../ResourceList.js"
import type { StorageUnavailable } from "../Storage.js"
import type * as TaskList from "../TaskList.js"

type WishAppendError = WishConcurrencyConflict | MicroWish.MicroWishReplayError | WishUnitNotFound

interface State {
  readonly problems: ReadonlyMap<string, ProblemList.Problem>
  readonly resources: ReadonlyMap<string, ResourceList.Resource>
  readonly tasks: ReadonlyMap<string, TaskList.Task>
  readonly wishEvents: ReadonlyMap<string, ReadonlyArray<MicroWish.MicroWishEvent>>
  readonly wishes: ReadonlyMap<string, MicroWish.MicroWish>
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const byId = <A extends { readonly id: string }>(items: Iterable<A>): ReadonlyArray<A> =>
  [...items].sort((a, b) => compare(a.id, b.id))

const upsert = <A extends { readonly id: string }>(
  map: ReadonlyMap<string, A>,
  items: ReadonlyArray<A>
): ReadonlyMap<string, A> => {
  const next = new Map(map)
  for (const item of items) next.set(item.id, item)
  return next
}

/**
 * Builds the in-memory list store (empty).
 *
 * @since 0.1.0
 * @category internal
 */
export const make: Effect.Effect<
  Context.Tag.Service<ListRepository>,
  never,
  HierarchyRepository
> = Effect.gen(function* () {
  const hierarchies = yield* HierarchyRepository
  const state = yield* Ref.make<State>({
    problems: new Map(),
    resources: new Map(),
    tasks: new Map(),
    wishEvents: new Map(),
    wishes: new Map()
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

  /** The unit ids of a jurisdiction, or everything when `within` is absent. */
  const scopeOf = (
    within: string | undefined
  ): Effect.Effect<Option.Option<ReadonlySet<string>>, Hierarchy.UnitNotFound | StorageUnavailable> =>
    within === undefined
      ? Effect.succeedNone
      : Effect.map(hierarchies.subtreeIds(within), (ids) => Option.some(new Set<string>(ids)))

  const inScope = (scope: Option.Option<ReadonlySet<string>>, unitId: string | undefined): boolean =>
    Option.match(scope, { onNone: () => true, onSome: (s) => unitId !== undefined && s.has(unitId) })

  const lineOf = (
    unitId: string
  ): Effect.Effect<ReadonlySet<string>, Hierarchy.UnitNotFound | StorageUnavailable> =>
    Effect.flatMap(
      Effect.catchTag(hierarchies.load, "HierarchyNotFound", () =>
        Effect.fail(new Hierarchy.UnitNotFound({ unitId }))
      ),
      (h) =>
        Option.match(Hierarchy.path(h, unitId), {
          onNone: () => Effect.fail(new Hierarchy.UnitNotFound({ unitId })),
          onSome: (line) => Effect.succeed(new Set<string>(line.map((u) => u.id)))
        })
    )

  const item = <A>(list: "problem" | "resource" | "task", found: A | undefined, id: string) =>
    found === undefined ? Effect.fail(new ListItemNotFound({ list, id })) : Effect.succeed(found)

  return {
    putProblems: (problems, options) =>
      write(referencedUnits({ problems }), (s, units) =>
        Either.map(checkProblems(problems, { units }, options), () => ({
          ...s,
          problems: upsert(s.problems, problems)
        }))
      ),
    problem: (id) => Effect.flatMap(Ref.get(state), (s) => item("problem", s.problems.get(id), id)),
    problems: (query) =>
      Effect.flatMap(scopeOf(query?.within), (scope) =>
        Effect.map(Ref.get(state), (s) =>
          byId(
            [...s.problems.values()].filter(
              (p) =>
                inScope(scope, p.unitId) && (query?.status === undefined || query.status.includes(p.status))
            )
          )
        )
      ),
    putResources: (resources) =>
      write(referencedUnits({ resources }), (s, units) =>
        Either.map(checkResources(resources, { units }), () => ({
          ...s,
          resources: upsert(s.resources, resources)
        }))
      ),
    resource: (id) => Effect.flatMap(Ref.get(state), (s) => item("resource", s.resources.get(id), id)),
    resources: (query) =>
      Effect.gen(function* () {
        const scope = yield* scopeOf(query?.within)
        const line = query?.serving === undefined ? Option.none() : Option.some(yield* lineOf(query.serving))
        const s = yield* Ref.get(state)
        return byId(
          [...s.resources.values()].filter(
            (r) =>
              (Option.isNone(scope) || r.scope.some((u) => inScope(scope, u))) &&
              Option.match(line, { onNone: () => true, onSome: (l) => r.scope.some((u) => l.has(u)) })
          )
        )
      }),
    putTasks: (tasks) =>
      write(referencedUnits({ tasks }), (s, units) =>
        Either.map(
          checkTasks(tasks, {
            units,
            problems: new Set(s.problems.keys()),
            resources: new Set(s.resources.keys())
          }),
          () => ({ ...s, tasks: upsert(s.tasks, tasks) })
        )
      ),
    task: (id) => Effect.flatMap(Ref.get(state), (s) => item("task", s.tasks.get(id), id)),
    tasks: (query) =>
      Effect.flatMap(scopeOf(query?.within), (scope) =>
        Effect.map(Ref.get(state), (s) =>
          orderTasks(
            [...s.tasks.values()].filter(
              (t) =>
                (Option.isNone(scope) || (t.owner._tag === "Unit" && inScope(scope, t.owner.unitId))) &&
                taskMatches(t, query ?? {})
            ),
            query ?? {}
          )
        )
      ),
    appendWishEvents: ({ events, expectedVersion, wishId }) =>
      Effect.flatMap(
        knownUnits(events.flatMap((e) => (e._tag === "Posted" ? [e.communityId] : []))),
        (units) =>
          Effect.flatten(
            Ref.modify(state, (s): readonly [Either.Either<WishAppended, WishAppendError>, State] => {
              const result = checkWishAppend({
                wishId,
                expectedVersion,
                stored: s.wishEvents.get(wishId) ?? [],
                events,
                units
              })
              if (Either.isLeft(result)) return [Either.left(result.left), s] as const
              const { state: wish, version } = result.right
              if (!MicroWish.isWish(wish)) return [Either.right({ wishId, version }), s] as const
              const wishEvents = new Map(s.wishEvents)
              wishEvents.set(wishId, [...(s.wishEvents.get(wishId) ?? []), ...events])
              const wishes = new Map(s.wishes)
              wishes.set(wishId, wish)
              return [Either.right({ wishId, version }), { ...s, wishEvents, wishes }] as const
            })
          )
      ),
    wishEvents: (wishId) => Effect.map(Ref.get(state), (s) => s.wishEvents.get(wishId) ?? []),
    wish: (wishId) =>
      Effect.flatMap(Ref.get(state), (s) => {
        const wish = s.wishes.get(wishId)
        return wish === undefined ? Effect.fail(new WishNotFound({ wishId })) : Effect.succeed(wish)
      }),
    wishes: (query) =>
      Effect.flatMap(scopeOf(query?.within), (scope) =>
        Effect.map(Ref.get(state), (s) =>
          byId(
            [...s.wishes.values()].filter(
              (w) =>
                inScope(scope, w.communityId) &&
                (query?.status === undefined || query.status.includes(w.status))
            )
          )
        )
      )
  }
})
