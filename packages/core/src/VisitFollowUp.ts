/**
 * 走访跟进 — opening what a recorded visit found (入户走访 → 跟进): follow-up
 * `n` of a visit (`Visit.followUps`, counted from 0) becomes, through the same
 * use cases as every other entry point,
 *
 * | kind | opens | through |
 * | --- | --- | --- |
 * | `case` | a case 案件, source `patrol` 巡查 | `CaseService.report` (`Visit.toReportInput`) |
 * | `problem` | a problem-list entry 问题清单, source 入户走访 | `ListRepository.putProblems` (`Visit.toProblem`, checked by `ListRepository.checkProblems`) |
 * | `micro-wish` | a micro-wish 微心愿 | `MicroWish.execute` then `ListRepository.appendWishEvents` (`Visit.toMicroWishPost`) |
 * | `proxy-service` | a proxy service 网格代办, source `visit` | `PeopleRepository.handleService` `Accept` (`Visit.toProxyAccept`) |
 *
 * - **Who** — the visitor, or staff (`grid-worker`, `community-staff`,
 *   `street-staff`, `district-staff`) whose jurisdiction holds the household.
 *   Anyone else is answered exactly like an unknown visit (`FollowUpRefused`,
 *   rule `visit`). The opener acts, at the instant it opens the follow-up;
 *   the use case it goes through applies its own rules on top (a case's
 *   source by role, a wish's poster) and refuses with its own typed error.
 * - **Idempotent** — what a follow-up opens has an id derived from the visit
 *   id and the index (`followUpId`), so a retry — or a second opener — gets
 *   what was opened (`opened: false`) instead of opening it twice; two
 *   openers racing meet at the store's version check (a case, a micro-wish,
 *   a proxy service: one opens it, the other gets it); a problem-list entry is
 *   an upsert, so of two racing openers the later one's entry stands.
 * - **Details** — a case and a problem need a category, a micro-wish its
 *   estimated value (rule `details`, naming the field).
 *
 * @since 0.1.0
 */
import type * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Actor } from "./Actor.js"
import type * as Case from "./Case.js"
import { CaseId } from "./Case.js"
import type { Urgency } from "./CaseCategory.js"
import type { ConcurrencyConflict } from "./CaseRepository.js"
import { CaseRepository } from "./CaseRepository.js"
import * as CaseService from "./CaseService.js"
import type * as Hierarchy from "./Hierarchy.js"
import type { HierarchyRepository } from "./HierarchyRepository.js"
import type * as Household from "./Household.js"
import type * as ListRepositoryModule from "./ListRepository.js"
import { ListRepository } from "./ListRepository.js"
import * as MicroWish from "./MicroWish.js"
import * as People from "./PeopleRepository.js"
import type * as ProblemList from "./ProblemList.js"
import * as ProxyService from "./ProxyService.js"
import type * as Routing from "./Routing.js"
import type { StorageUnavailable } from "./Storage.js"
import * as Text from "./Text.js"
import * as Visit from "./Visit.js"

// ---------------------------------------------------------------------------
// ids
// ---------------------------------------------------------------------------

/** cyrb53 — a deterministic 53-bit string hash, as 14 hex digits. */
const hash53 = (text: string): string => {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0")
}

/**
 * 跟进编号 — the id of what follow-up `index` of a visit opens:
 * `<visitId>-fu<index>` (e.g. `v-101-1-fu0`); a visit id too long for that to
 * fit `Text.limits.id` keeps its first 100 characters and a hash of the whole
 * (`<prefix>~<hash>-fu<index>`). The same visit and index always give the
 * same id; different ones give different ids (up to a 53-bit hash collision
 * between two such long visit ids).
 *
 * @since 0.1.0
 * @category ids
 */
export const followUpId = (visitId: string, index: number): string => {
  const plain = `${visitId}-fu${index}`
  return plain.length <= Text.limits.id ? plain : `${visitId.slice(0, 100)}~${hash53(visitId)}-fu${index}`
}

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 跟进规则 — `visit` no such visit for the opener (unknown, outside its
 * jurisdiction, or an opener who is neither the visitor nor staff — the same
 * answer); `index` the visit has no follow-up with this index; `details` a
 * detail the kind needs is missing (a category, an estimated value).
 *
 * @since 0.1.0
 * @category errors
 */
export const FollowUpRule = Schema.Literal("visit", "index", "details").annotations({
  identifier: "FollowUpRule",
  title: "跟进规则 follow-up rule"
})

/**
 * @since 0.1.0
 * @category models
 */
export type FollowUpRule = typeof FollowUpRule.Type

/**
 * 跟进被拒 — follow-up `index` of visit `visitId` cannot be opened: the rule
 * and field, in Chinese and English.
 *
 * @since 0.1.0
 * @category errors
 */
export class FollowUpRefused extends Schema.TaggedError<FollowUpRefused>()("FollowUpRefused", {
  visitId: Schema.String,
  index: Schema.Int,
  rule: FollowUpRule,
  field: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `走访 ${this.visitId} 的第 ${this.index} 个跟进事项无法开启 — follow-up ${this.index} of visit ${this.visitId} cannot be opened (rule ${this.rule}, field ${this.field}): ${this.detail}`
  }
}

// ---------------------------------------------------------------------------
// use case
// ---------------------------------------------------------------------------

/**
 * 跟进细节 — what a kind needs beyond the visit: a case's category (小类) and
 * urgency (default: the category's), a problem's category and tags, a
 * micro-wish's estimated value (元) and categories.
 *
 * @since 0.1.0
 * @category models
 */
export interface Details {
  readonly categoryId?: string
  readonly urgency?: Urgency
  readonly tags?: ReadonlyArray<string>
  readonly estimatedValue?: number
  readonly categories?: ReadonlyArray<string>
}

/**
 * 开启跟进 — open follow-up `index` of visit `visitId` as `actor` at `at`.
 *
 * @since 0.1.0
 * @category models
 */
export interface OpenFollowUp {
  readonly visitId: string
  readonly index: number
  readonly actor: Actor
  readonly at: DateTime.Utc
  readonly details?: Details
  /** 问题类别 — the problem-list categories in force (default: the five of `ProblemList`). */
  readonly problemCategories?: ReadonlyArray<ProblemList.ProblemCategory>
}

/**
 * 已开启 — what a follow-up opened: its kind and id, and whether this call
 * opened it (`false`: it was open already — a retry).
 *
 * @since 0.1.0
 * @category models
 */
export interface Opened {
  readonly visitId: string
  readonly index: number
  readonly kind: Visit.FollowUpKind
  readonly id: string
  readonly opened: boolean
}

/**
 * The roles that open another visitor's follow-ups within their jurisdiction.
 *
 * @since 0.1.0
 * @category rules
 */
export const openerRoles: ReadonlyArray<Actor["role"]> = [
  "grid-worker",
  "community-staff",
  "street-staff",
  "district-staff"
]

/**
 * What opening a follow-up may fail with: its own refusal and those of the
 * use case the kind goes through.
 *
 * @since 0.1.0
 * @category errors
 */
export type OpenError =
  | FollowUpRefused
  | Routing.RoutingFailed
  | Case.CaseRefused
  | ProblemList.ProblemListInvalid
  | MicroWish.MicroWishRefused
  | ListRepositoryModule.WishUnitNotFound
  | ProxyService.ProxyServiceRefused
  | People.HouseholdNotFound
  | People.VisitNotFound
  | Hierarchy.UnitNotFound
  | StorageUnavailable

const refused = (input: OpenFollowUp, rule: FollowUpRule, field: string, detail: string) =>
  new FollowUpRefused({ visitId: input.visitId, index: input.index, rule, field, detail })

/**
 * 开启跟进 — opens follow-up `index` of a recorded visit (see the module
 * notes): the visit is looked up within the opener's jurisdiction, the
 * follow-up's kind decides the use case, the id is `followUpId`; what is
 * already open under that id is returned (`opened: false`).
 *
 * @since 0.1.0
 * @category use cases
 */
export const open = (
  input: OpenFollowUp
): Effect.Effect<
  Opened,
  OpenError,
  People.PeopleRepository | ListRepository | CaseRepository | HierarchyRepository | CaseService.Settings
> =>
  Effect.gen(function* () {
    const people = yield* People.PeopleRepository
    const notFound = refused(
      input,
      "visit",
      "visitId",
      `走访不存在或不在您的辖区内 no such visit in your jurisdiction: "${input.visitId}"`
    )
    const visits = yield* people
      .visits({ within: input.actor.unitId, visitId: input.visitId })
      .pipe(Effect.catchTag("UnitNotFound", () => Effect.fail(notFound)))
    const visit = visits.find((v) => v.id === input.visitId)
    if (
      visit === undefined ||
      (visit.visitor.id !== input.actor.id && !openerRoles.includes(input.actor.role))
    )
      return yield* Effect.fail(notFound)
    const request = Visit.followUpRequests(visit)[input.index]
    if (request === undefined)
      return yield* Effect.fail(
        refused(
          input,
          "index",
          "index",
          `走访只有 ${visit.followUps.length} 个跟进事项（从 0 起数） — the visit has ${visit.followUps.length} follow-up(s), counted from 0`
        )
      )
    const households = yield* people
      .households({ within: input.actor.unitId })
      .pipe(Effect.catchTag("UnitNotFound", () => Effect.fail(notFound)))
    const household = households.find((h) => h.id === visit.householdId)
    if (household === undefined) return yield* Effect.fail(notFound)
    const id = followUpId(visit.id, input.index)
    const opener: Visit.FollowUpRequest = { ...request, actor: input.actor, at: input.at }
    const result = (opened: boolean): Opened => ({
      visitId: visit.id,
      index: input.index,
      kind: request.kind,
      id,
      opened
    })
    const details = input.details ?? {}
    const categoryId = (): Effect.Effect<string, FollowUpRefused> =>
      details.categoryId === undefined
        ? Effect.fail(
            refused(
              input,
              "details",
              "categoryId",
              `${request.kind === "case" ? "案件" : "问题"}需要类别 — a ${request.kind} needs a category (categoryId)`
            )
          )
        : Effect.succeed(details.categoryId)
    switch (request.kind) {
      case "case":
        return yield* openCase(opener, id, household, yield* categoryId(), details.urgency, result)
      case "problem":
        return yield* openProblem(
          Visit.toProblem(opener, id, household, yield* categoryId(), details.tags ?? []),
          input.problemCategories,
          result
        )
      case "micro-wish": {
        if (details.estimatedValue === undefined)
          return yield* Effect.fail(
            refused(
              input,
              "details",
              "estimatedValue",
              "微心愿需要预估价值（元） — a micro-wish needs its estimated value in yuan (estimatedValue)"
            )
          )
        const post = Visit.toMicroWishPost(
          opener,
          MicroWish.WishId.make(id),
          household,
          details.estimatedValue,
          details.categories ?? []
        )
        return yield* openWish(post, result)
      }
      case "proxy-service":
        return yield* openService(
          Visit.toProxyAccept(opener, ProxyService.ServiceId.make(id), household),
          result
        )
    }
  })

const openCase = (
  request: Visit.FollowUpRequest,
  id: string,
  household: Household.Household,
  categoryId: string,
  urgency: Urgency | undefined,
  result: (opened: boolean) => Opened
) =>
  Effect.gen(function* () {
    const cases = yield* CaseRepository
    const caseId = CaseId.make(id)
    const exists = cases.events(caseId).pipe(Effect.map((events) => events.length > 0))
    if (yield* exists) return result(false)
    return yield* CaseService.report(
      Visit.toReportInput(request, caseId, household, categoryId, urgency)
    ).pipe(
      Effect.as(result(true)),
      // a racing opener appended first: what it opened is the answer
      Effect.catchTag("ConcurrencyConflict", (e: ConcurrencyConflict) =>
        Effect.flatMap(exists, (found) => (found ? Effect.succeed(result(false)) : Effect.die(e)))
      )
    )
  })

const openProblem = (
  problem: ProblemList.Problem,
  categories: ReadonlyArray<ProblemList.ProblemCategory> | undefined,
  result: (opened: boolean) => Opened
) =>
  Effect.gen(function* () {
    const lists = yield* ListRepository
    const existing = yield* lists.problem(problem.id).pipe(
      Effect.as(true),
      Effect.catchTag("ListItemNotFound", () => Effect.succeed(false))
    )
    if (existing) return result(false)
    yield* lists.putProblems([problem], categories === undefined ? {} : { categories })
    return result(true)
  })

const openWish = (post: MicroWish.Post, result: (opened: boolean) => Opened) =>
  Effect.gen(function* () {
    const lists = yield* ListRepository
    const stored = yield* lists.wishEvents(post.wishId)
    if (stored.length > 0) return result(false)
    const { events } = yield* MicroWish.execute(MicroWish.initial, post)
    return yield* lists.appendWishEvents({ wishId: post.wishId, expectedVersion: 0, events }).pipe(
      Effect.as(result(true)),
      Effect.catchTags({
        WishConcurrencyConflict: () => Effect.succeed(result(false)),
        MicroWishReplayError: (e) => Effect.die(e)
      })
    )
  })

const openService = (accept: ProxyService.Accept, result: (opened: boolean) => Opened) =>
  Effect.gen(function* () {
    const people = yield* People.PeopleRepository
    const stored = yield* people.serviceEvents(accept.serviceId)
    if (stored.length > 0) return result(false)
    return yield* People.handleService({ command: accept, expectedVersion: 0 }).pipe(
      Effect.as(result(true)),
      Effect.catchTags({
        ServiceConcurrencyConflict: () => Effect.succeed(result(false)),
        ProxyServiceReplayError: (e) => Effect.die(e)
      })
    )
  })
