/**
 * 清单接口实现 — the `lists` group of the `Api` (problem and task lists, read)
 * over the list and hierarchy repository ports. A principal reads the problems
 * located, and the tasks owned by units, within its jurisdiction (a
 * department also reads the tasks it owns); anything else is answered exactly
 * like an unknown id (`NotFound`, 404). Residents have no jurisdiction.
 *
 * @since 0.1.0
 */
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import { ListRepository } from "@civicgrid/core/ListRepository"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Api, NotFound } from "./Api.js"
import type { Authorization } from "./Authorization.js"
import { mapErrorKeepStorage, optionKeepStorage } from "./internal/storage.js"
import { CurrentPrincipal, isInJurisdiction, structureRootOf } from "./Principal.js"

const notFound = (resource: "unit" | "problem" | "task", id: string): NotFound =>
  new NotFound({ resource, id, message: `不存在或不在您的辖区内 no such ${resource} in your jurisdiction` })

const toArray = <A>(value: A | ReadonlyArray<A> | undefined): ReadonlyArray<A> | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value as A]

/**
 * The `lists` group of the `Api`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "lists">,
  never,
  ListRepository | HierarchyRepository | Authorization
> = HttpApiBuilder.group(Api, "lists", (handlers) =>
  Effect.gen(function* () {
    const lists = yield* ListRepository
    const hierarchies = yield* HierarchyRepository

    /** Whether a unit lies in the current principal's jurisdiction. */
    const inScope = (unitId: string) =>
      Effect.gen(function* () {
        const principal = yield* CurrentPrincipal
        const hierarchy = yield* optionKeepStorage(hierarchies.load)
        return Option.isSome(hierarchy) && isInJurisdiction(principal, hierarchy.value, unitId)
      })

    /** The unit a list query runs within: the principal's by default; 404 outside its jurisdiction. */
    const scopeOf = (within: string | undefined) =>
      Effect.gen(function* () {
        const principal = yield* CurrentPrincipal
        const unitId = within ?? structureRootOf(principal)
        if (!(yield* inScope(unitId))) return yield* Effect.fail(notFound("unit", unitId))
        return unitId
      })

    return handlers
      .handle("problems", ({ urlParams }) =>
        Effect.gen(function* () {
          const within = yield* scopeOf(urlParams.within)
          const status = toArray(urlParams.status)
          return yield* lists
            .problems(status === undefined ? { within } : { within, status })
            .pipe(mapErrorKeepStorage(() => notFound("unit", within)))
        })
      )
      .handle("problem", ({ path }) =>
        Effect.gen(function* () {
          const problem = yield* lists
            .problem(path.problemId)
            .pipe(mapErrorKeepStorage(() => notFound("problem", path.problemId)))
          if (!(yield* inScope(problem.unitId)))
            return yield* Effect.fail(notFound("problem", path.problemId))
          return problem
        })
      )
      .handle("tasks", ({ urlParams }) =>
        Effect.gen(function* () {
          const within = yield* scopeOf(urlParams.within)
          const status = toArray(urlParams.status)
          return yield* lists
            .tasks({
              within,
              ...(status === undefined ? {} : { status }),
              ...(urlParams.overdueAt === undefined ? {} : { overdueAt: urlParams.overdueAt })
            })
            .pipe(mapErrorKeepStorage(() => notFound("unit", within)))
        })
      )
      .handle("task", ({ path }) =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          const task = yield* lists
            .task(path.taskId)
            .pipe(mapErrorKeepStorage(() => notFound("task", path.taskId)))
          const visible =
            task.owner._tag === "Department"
              ? principal.role === "department" && principal.departmentId === task.owner.departmentId
              : yield* inScope(task.owner.unitId)
          if (!visible) return yield* Effect.fail(notFound("task", path.taskId))
          return task
        })
      )
  })
)
