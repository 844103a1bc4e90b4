/**
 * 一张图接口实现 — the `map` handler: `GET /map/cases` lists the open cases
 * in the principal's scope (`Principal.scopeOf`, in the query itself, like
 * `GET /cases`) and gives each its light (`CaseRepository.lightOf`) and the
 * position its state records (`Case.fold` of its events): one request for a
 * map instead of one per case. Only the id, status, light and position leave
 * the server — no address, no reporter.
 *
 * @since 0.1.0
 */
import * as Case from "@civicgrid/core/Case"
import { CaseRepository, lightOf } from "@civicgrid/core/CaseRepository"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Api, type CasePoint } from "./Api.js"
import type { Authorization } from "./Authorization.js"
import { CurrentPrincipal, scopeOf } from "./Principal.js"

/**
 * The open statuses (`Case.isOpen`).
 *
 * @since 0.1.0
 * @category constants
 */
export const openStatuses: ReadonlyArray<Case.Status> = Case.Status.literals.filter(Case.isOpen)

/**
 * The default number of points of `GET /map/cases`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultLimit = 500

/**
 * The `map` handlers.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "map">,
  never,
  CaseRepository | Authorization
> = HttpApiBuilder.group(Api, "map", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository
    return handlers.handle("cases", ({ urlParams }) =>
      Effect.gen(function* () {
        const principal = yield* CurrentPrincipal
        const limit = urlParams.limit ?? defaultLimit
        const now = yield* DateTime.now
        const page = yield* repo
          .list({ scope: scopeOf(principal), status: openStatuses, limit })
          // the query is the server's own: a store that refuses it is a defect
          .pipe(Effect.catchTag("InvalidCaseQuery", (e) => Effect.die(e)))
        const items = yield* Effect.forEach(
          page.items,
          (summary) =>
            Effect.map(repo.events(summary.caseId), (events): CasePoint => {
              const state = Case.fold(events)
              const position = state._tag === "NoCase" ? undefined : state.location.position
              return {
                caseId: summary.caseId,
                status: summary.status,
                light: lightOf(summary, now),
                position: position === undefined ? null : [position[0], position[1]]
              }
            }),
          { concurrency: 8 }
        )
        return { items, truncated: Option.isSome(page.next) }
      })
    )
  })
)
