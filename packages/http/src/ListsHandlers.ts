/**
 * 清单接口实现 — the `lists` group of the `Api` (problem, resource and task
 * lists, read) over the list and hierarchy repository ports. A principal reads
 * the problems located, the resources serving a unit (`Resource.scope`), and
 * the tasks owned by units, within its jurisdiction (a department also reads
 * the tasks it owns); anything else is answered exactly like an unknown id
 * (`NotFound`, 404). Residents have no jurisdiction. A person provider's name
 * is masked (`Mask.name`).
 *
 * @since 0.1.0
 */
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import { ListRepository } from "@civicgrid/core/ListRepository"
import type { Resource } from "@civicgrid/core/ResourceList"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Api, NotFound } from "./Api.js"
import type { Authorization } from "./Authorization.js"
import { mapErrorKeepStorage, optionKeepStorage } from "./internal/storage.js"
import * as Mask from "./Mask.js"
import { CurrentPrincipal, isInJurisdiction, structureRootOf } from "./Principal.js"

/** A resource as served: a person provider's name masked (personal data). */
const masked = (resource: Resource): Resource =>
  resource.provider.kind === "party-member" || resource.provider.kind === "volunteer"
    ? { ...resource, provider: { ...resource.provider, name: Mask.name(resource.provider.name) } }
    : resource

const notFound = (resource: "unit" | "problem" | "task" | "resource", id: string): NotFound =>
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
      .handle("resources", ({ urlParams }) =>
        Effect.gen(function* () {
          const within = yield* scopeOf(urlParams.within)
          const serving = urlParams.serving
          if (serving !== undefined && !(yield* inScope(serving)))
            return yield* Effect.fail(notFound("unit", serving))
          const found = yield* lists
            .resources(serving === undefined ? { within } : { within, serving })
            .pipe(mapErrorKeepStorage(() => notFound("unit", serving ?? within)))
          return found.map(masked)
        })
      )
      .handle("resource", ({ path }) =>
        Effect.gen(function* () {
          const resource = yield* lists
            .resource(path.resourceId)
            .pipe(mapErrorKeepStorage(() => notFound("resource", path.resourceId)))
          // visible as `resources` lists it: some unit it serves lies in the jurisdiction
          for (const unitId of resource.scope) {
            if (yield* inScope(unitId)) return masked(resource)
          }
          return yield* Effect.fail(notFound("resource", path.resourceId))
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
