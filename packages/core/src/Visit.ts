/**
 * 入户走访 — a home visit: who visited which household, when, where, how, and
 * what was found (seed 001: "入户走访登记制度", 65,042 人次; seed 002: "在社区网格员日常巡查走访
 * 过程中，及时了解居民诉求"). What a visit finds may open a follow-up 跟进: a
 * problem for the problem list 问题清单, a case 案件, a micro-wish 微心愿 or a proxy
 * service 网格代办.
 *
 * `record` checks a `RecordVisit` command against its context and returns the
 * `Visit` or a `VisitRefused` listing every rule broken:
 *
 * - **who** — a `grid-worker` or `community-staff` of the household's
 *   community, or a contact linked to the household (联户: a cadre, 党员中心户,
 *   先锋岗, 楼栋长 — by actor id); rule `visitor` otherwise, `jurisdiction` for
 *   staff of another community;
 * - **when** — not after it was recorded (`future`), not before the plan starts;
 * - **where** — for the methods that need a position (by default `home` 入户
 *   and `outdoor` 院落), a valid longitude/latitude (`position-required`,
 *   `position-invalid`) that lies in one of the visitor's grids, or within
 *   `toleranceMeters` of one (`position-outside-grid`); grids without a
 *   boundary cannot be checked and do not refuse (`PositionCheck` says
 *   `no-boundary`);
 * - **what** — every follow-up has a title (`follow-up-title`); the plan, if
 *   named, is the household's (`plan`).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Actor, type ActorId, Role, roleNames } from "./Actor.js"
import type { CaseId } from "./Case.js"
import type { CategoryId, Urgency } from "./CaseCategory.js"
import type * as CaseCommand from "./CaseCommand.js"
import { Position } from "./GeoJson.js"
import type { Grid } from "./Grid.js"
import { type Household, HouseholdId, unitOf } from "./Household.js"
import * as Instant from "./Instant.js"
import type * as MicroWish from "./MicroWish.js"
import * as PointLocation from "./PointLocation.js"
import * as ProblemList from "./ProblemList.js"
import type * as ProxyService from "./ProxyService.js"
import { PersonId } from "./Staffing.js"
import * as Text from "./Text.js"
import * as VisitPlan from "./VisitPlan.js"
import type { LocalDate } from "./WorkingCalendar.js"
import * as WorkingCalendar from "./WorkingCalendar.js"

/**
 * 走访编号
 *
 * @since 0.1.0
 * @category schemas
 */
export const VisitId = Text.Id.pipe(
  Schema.brand("VisitId"),
  Schema.annotations({ identifier: "VisitId", title: "走访编号 visit id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type VisitId = typeof VisitId.Type

/**
 * 走访方式 — `home` 入户, `outdoor` 院落/楼道 (met outside the home), `phone` 电话, `video` 视频.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Method = Schema.Literal("home", "outdoor", "phone", "video").annotations({
  identifier: "VisitMethod",
  title: "走访方式 method",
  description: "home 入户 | outdoor 院落/楼道 | phone 电话 | video 视频"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Method = typeof Method.Type

/**
 * 跟进类别 — `problem` 问题清单, `case` 案件, `micro-wish` 微心愿, `proxy-service` 网格代办.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FollowUpKind = Schema.Literal("problem", "case", "micro-wish", "proxy-service").annotations({
  identifier: "VisitFollowUpKind",
  title: "跟进类别 follow-up kind",
  description: "problem 问题清单 | case 案件 | micro-wish 微心愿 | proxy-service 网格代办"
})

/**
 * @since 0.1.0
 * @category models
 */
export type FollowUpKind = typeof FollowUpKind.Type

/**
 * 跟进事项 — something a visit found that is to be followed up: its kind, a
 * title and a description (no names, phones or ID numbers).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FollowUp = Schema.Struct({
  kind: FollowUpKind,
  title: Text.field(Text.limits.title),
  description: Text.Description
}).annotations({ identifier: "VisitFollowUp", title: "跟进事项 follow-up" })

/**
 * @since 0.1.0
 * @category models
 */
export interface FollowUp extends Schema.Schema.Type<typeof FollowUp> {}

const visitFields = {
  id: VisitId,
  householdId: HouseholdId,
  planId: Schema.optionalWith(VisitPlan.VisitPlanId, { exact: true }),
  /** 走访人 */
  visitor: Actor,
  /** 走访时间 */
  at: Instant.DateTimeUtc,
  /** 走访位置 — where the visitor's device was, `[lon, lat]`. */
  position: Schema.optionalWith(Position, { exact: true }),
  method: Method,
  /** 走访情况 — what was found. */
  findings: Text.Description,
  followUps: Schema.Array(FollowUp).pipe(
    Schema.maxItems(Text.limits.tags, {
      message: () => `跟进事项过多 must have at most ${Text.limits.tags} follow-ups (rule max-items)`
    })
  )
}

/**
 * 登记走访 — record a visit; `recordedAt` is when it was entered.
 *
 * @since 0.1.0
 * @category commands
 */
export const RecordVisit = Schema.TaggedStruct("RecordVisit", {
  ...visitFields,
  recordedAt: Instant.DateTimeUtc
}).annotations({ identifier: "RecordVisit", title: "登记走访 record a visit" })

/**
 * @since 0.1.0
 * @category models
 */
export interface RecordVisit extends Schema.Schema.Type<typeof RecordVisit> {}

/**
 * 走访记录 — a recorded visit.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Visit = Schema.Struct({
  ...visitFields,
  recordedAt: Instant.DateTimeUtc,
  /** 位置核验 — what the position check found. */
  positionCheck: Schema.Literal("inside", "near", "outside", "no-boundary", "no-position")
}).annotations({ identifier: "Visit", title: "走访记录 visit" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Visit extends Schema.Schema.Type<typeof Visit> {}

/**
 * 位置核验结果 — `inside` a visitor's grid, `near` one (within the tolerance),
 * `outside` all of them, `no-boundary` (none has a boundary to check),
 * `no-position`.
 *
 * @since 0.1.0
 * @category models
 */
export type PositionCheck = Visit["positionCheck"]

/**
 * 走访规则 — the rules `record` applies.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VisitRule = Schema.Literal(
  "household",
  "plan",
  "visitor",
  "jurisdiction",
  "future",
  "before-plan",
  "position-required",
  "position-invalid",
  "position-outside-grid",
  "follow-up-title"
).annotations({ identifier: "VisitRule", title: "走访规则 rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type VisitRule = typeof VisitRule.Type

/**
 * 违规项 — one broken rule, its field and a bilingual message.
 *
 * @since 0.1.0
 * @category errors
 */
export const Violation = Schema.Struct({
  rule: VisitRule,
  field: Schema.String,
  message: Schema.String
}).annotations({ identifier: "VisitViolation", title: "违规项 violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Violation extends Schema.Schema.Type<typeof Violation> {}

/**
 * 走访登记被拒 — the visit, the visitor's role, the first rule and every rule broken.
 *
 * @since 0.1.0
 * @category errors
 */
export class VisitRefused extends Schema.TaggedError<VisitRefused>()("VisitRefused", {
  visitId: VisitId,
  role: Role,
  rule: VisitRule,
  field: Schema.String,
  violations: Schema.NonEmptyArray(Violation)
}) {
  override get message(): string {
    return `走访 ${this.visitId} 登记被拒 — visit ${this.visitId} refused: ${this.violations.map((v) => v.message).join("; ")}`
  }
}

/**
 * 登记上下文 — what `record` checks a visit against: the household, the
 * visitor's grids (for the position), the actor ids of the household's
 * contacts, the plan if the visit names one, and options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly household: Household
  readonly visitorGrids: ReadonlyArray<Grid>
  readonly contactActorIds?: ReadonlyArray<ActorId>
  readonly plan?: VisitPlan.VisitPlan
  /** 需要定位的方式 — default `["home", "outdoor"]`. */
  readonly positionRequiredFor?: ReadonlyArray<Method>
  /** 定位容差（米） — GPS error allowed outside a grid's boundary; default 50. */
  readonly toleranceMeters?: number
  /** 日历 — to read the visit's local date against the plan (default UTC+8). */
  readonly calendar?: WorkingCalendar.WorkingCalendar
}

/**
 * 默认定位容差 — 50 m (this library's default; configuration).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultToleranceMeters = 50

/**
 * 位置核验 — checks a position against the visitor's grids (see `PositionCheck`).
 * An invalid longitude/latitude is an `InvalidPosition`.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkPosition = (
  position: Position | undefined,
  grids: ReadonlyArray<Grid>,
  toleranceMeters: number = defaultToleranceMeters
): Either.Either<PositionCheck, PointLocation.InvalidPosition> => {
  if (position === undefined) return Either.right("no-position")
  return Either.flatMap(PointLocation.checkPosition(position), () => {
    const index = PointLocation.make(grids)
    if (index.grids.length === 0) return Either.right("no-boundary" as const)
    return Either.flatMap(PointLocation.locate(index, position), (found) =>
      Option.isSome(found)
        ? Either.right("inside" as const)
        : Either.map(PointLocation.nearest(index, position, { maxMeters: toleranceMeters }), (near) =>
            Option.isSome(near) ? ("near" as const) : ("outside" as const)
          )
    )
  })
}

const violation = (rule: VisitRule, field: string, message: string): Violation => ({ rule, field, message })

/**
 * 登记走访 — checks a visit and returns it (with its position check), or every
 * rule it breaks.
 *
 * @since 0.1.0
 * @category decider
 */
export const record = (command: RecordVisit, context: Context): Either.Either<Visit, VisitRefused> => {
  const out: Array<Violation> = []
  const { household } = context
  const v = command.visitor
  if (command.householdId !== household.id)
    out.push(
      violation(
        "household",
        "householdId",
        `走访的户 ${command.householdId} 与上下文的户 ${household.id} 不符 — the visit names household ${command.householdId}, the context is for ${household.id}`
      )
    )
  const plan = context.plan
  if (
    command.planId !== undefined &&
    plan !== undefined &&
    (plan.id !== command.planId || plan.householdId !== household.id)
  )
    out.push(
      violation(
        "plan",
        "planId",
        `走访计划 ${command.planId} 不属于户 ${household.id} — plan ${command.planId} is not this household's plan`
      )
    )
  const isContact = context.contactActorIds?.includes(v.id) === true
  const isStaff = v.role === "grid-worker" || v.role === "community-staff"
  if (!isContact) {
    if (!isStaff)
      out.push(
        violation(
          "visitor",
          "visitor",
          `${roleNames[v.role]} ${v.id} 不是该户的联系人 — ${v.role} ${v.id} is neither a grid worker or community staff nor a contact of household ${household.id}`
        )
      )
    else if (v.unitId !== household.communityId)
      out.push(
        violation(
          "jurisdiction",
          "visitor",
          `${roleNames[v.role]} ${v.id} 代表 ${v.unitId}，该户属于 ${household.communityId} — ${v.id} acts for ${v.unitId}, the household belongs to ${household.communityId}`
        )
      )
  }
  if (command.at.epochMillis > command.recordedAt.epochMillis)
    out.push(violation("future", "at", "走访时间晚于登记时间 — the visit is dated after it was recorded"))
  if (plan !== undefined && command.planId !== undefined) {
    const day: LocalDate = WorkingCalendar.dateOf(context.calendar ?? WorkingCalendar.empty, command.at)
    if (day < plan.startsOn)
      out.push(
        violation(
          "before-plan",
          "at",
          `走访日期 ${day} 早于计划开始 ${plan.startsOn} — the visit on ${day} is before the plan starts on ${plan.startsOn}`
        )
      )
  }
  command.followUps.forEach((f, i) => {
    if (f.title.trim().length === 0)
      out.push(
        violation(
          "follow-up-title",
          `followUps.${i}.title`,
          `第 ${i + 1} 个跟进事项缺少标题 — follow-up #${i + 1} needs a title`
        )
      )
  })
  const required = (context.positionRequiredFor ?? ["home", "outdoor"]).includes(command.method)
  let positionCheck: PositionCheck = "no-position"
  if (command.position === undefined) {
    if (required)
      out.push(
        violation(
          "position-required",
          "position",
          `${command.method === "home" ? "入户" : "院落"}走访需要定位 — a ${command.method} visit needs a position`
        )
      )
  } else {
    const checked = checkPosition(command.position, context.visitorGrids, context.toleranceMeters)
    if (Either.isLeft(checked)) out.push(violation("position-invalid", "position", checked.left.message))
    else {
      positionCheck = checked.right
      if (positionCheck === "outside" && required)
        out.push(
          violation(
            "position-outside-grid",
            "position",
            `走访位置 [${command.position[0]}, ${command.position[1]}] 不在走访人的网格内 — the position is outside the visitor's grid(s) ${context.visitorGrids.map((g) => g.id).join(", ")}`
          )
        )
    }
  }
  const [first, ...rest] = out
  if (first !== undefined)
    return Either.left(
      new VisitRefused({
        visitId: command.id,
        role: v.role,
        rule: first.rule,
        field: first.field,
        violations: [first, ...rest]
      })
    )
  const { _tag, ...fields } = command
  return Either.right({ ...fields, positionCheck })
}

/**
 * 最近走访 — the local date of each household's latest visit (in the
 * calendar's UTC offset), for `VisitPlan.agenda`.
 *
 * @since 0.1.0
 * @category getters
 */
export const lastVisits = (
  calendar: WorkingCalendar.WorkingCalendar,
  visits: Iterable<Visit>
): ReadonlyMap<HouseholdId, LocalDate> => {
  const out = new Map<HouseholdId, LocalDate>()
  for (const visit of visits) {
    const day = WorkingCalendar.dateOf(calendar, visit.at)
    const known = out.get(visit.householdId)
    if (known === undefined || day > known) out.set(visit.householdId, day)
  }
  return out
}

// -----------------------------------------------------------------------------
// follow-ups
// -----------------------------------------------------------------------------

/**
 * 跟进请求 — a follow-up to open, with where it came from (the visit, its
 * household, its visitor and instant). `toProblem`, `toCaseReport`,
 * `toMicroWishPost` and `toProxyAccept` build what each kind opens.
 *
 * @since 0.1.0
 * @category models
 */
export interface FollowUpRequest extends FollowUp {
  readonly visitId: VisitId
  readonly householdId: HouseholdId
  readonly actor: Actor
  readonly at: Visit["at"]
}

/**
 * 跟进请求 — the follow-ups of a visit, in order.
 *
 * @since 0.1.0
 * @category getters
 */
export const followUpRequests = (visit: Visit): ReadonlyArray<FollowUpRequest> =>
  visit.followUps.map((f) => ({
    ...f,
    visitId: visit.id,
    householdId: visit.householdId,
    actor: visit.visitor,
    at: visit.at
  }))

/**
 * 转网格代办 — the `ProxyService.Accept` a `proxy-service` follow-up opens
 * (source `visit`, naming the visit).
 *
 * @since 0.1.0
 * @category follow-ups
 */
export const toProxyAccept = (
  request: FollowUpRequest,
  serviceId: ProxyService.ServiceId,
  household: Household
): ProxyService.Accept => ({
  _tag: "Accept",
  serviceId,
  actor: request.actor,
  at: request.at,
  householdId: household.id,
  householdUnitId: unitOf(household),
  communityId: household.communityId,
  matter: request.title,
  source: "visit",
  visitId: request.visitId,
  ...(request.description.trim().length === 0 ? {} : { note: request.description })
})

/**
 * 转微心愿 — the `MicroWish.Post` a `micro-wish` follow-up opens (征集 on a home
 * visit, "网格走情、爱心敲门"); the household's display label, never names.
 *
 * @since 0.1.0
 * @category follow-ups
 */
export const toMicroWishPost = (
  request: FollowUpRequest,
  wishId: MicroWish.WishId,
  household: Household,
  estimatedValue: number,
  categories: ReadonlyArray<string> = []
): MicroWish.Post => ({
  _tag: "Post",
  wishId,
  actor: request.actor,
  at: request.at,
  household: { unitId: unitOf(household), label: household.label },
  communityId: household.communityId,
  title: request.title,
  description: request.description,
  estimatedValue,
  categories
})

const summary = (request: FollowUpRequest): string =>
  (request.description.trim().length === 0
    ? request.title
    : `${request.title}：${request.description}`
  ).slice(0, Text.limits.description)

/**
 * 转问题清单 — the problem-list entry a `problem` follow-up opens (source
 * 入户走访 `HouseholdVisit`, naming the visitor), at the household's unit.
 *
 * @since 0.1.0
 * @category follow-ups
 */
export const toProblem = (
  request: FollowUpRequest,
  problemId: string,
  household: Household,
  categoryId: string,
  tags: ReadonlyArray<string> = []
): ProblemList.Problem =>
  ProblemList.make({
    id: problemId,
    unitId: unitOf(household),
    ...(household.gridId === undefined ? {} : { gridId: household.gridId }),
    categoryId,
    source: { _tag: "HouseholdVisit", gridWorkerId: PersonId.make(request.actor.id) },
    description: summary(request),
    reportedAt: request.at,
    tags
  })

/**
 * 转案件 — the case report a `case` follow-up opens: source `patrol` 巡查 (a
 * worker's own discovery), at the household's unit and grid, the visit's
 * position if it had one, no reporter contact (the visitor reports, not the
 * household).
 *
 * @since 0.1.0
 * @category follow-ups
 */
export const toCaseReport = (
  request: FollowUpRequest,
  caseId: CaseId,
  household: Household,
  categoryId: CategoryId,
  urgency: Urgency,
  position?: Position
): CaseCommand.Report => ({
  _tag: "Report",
  caseId,
  actor: request.actor,
  at: request.at,
  source: "patrol",
  categoryId,
  urgency,
  description: summary(request),
  location: {
    unitId: unitOf(household),
    ...(household.gridId === undefined ? {} : { gridId: household.gridId }),
    ...(position === undefined ? {} : { position })
  },
  communityId: household.communityId,
  tier: "community",
  anonymous: true
})

/**
 * 转案件上报 — the `CaseService.report` input a `case` follow-up opens (what
 * `toCaseReport` builds, before placement): source `patrol` 巡查, at the
 * household's unit and grid, anonymous, the urgency the category's unless
 * given; `CaseService.report` places and decides it like any report.
 *
 * @since 0.1.0
 * @category follow-ups
 */
export const toReportInput = (
  request: FollowUpRequest,
  caseId: CaseId,
  household: Household,
  categoryId: string,
  urgency?: Urgency
): {
  readonly caseId: CaseId
  readonly actor: Actor
  readonly at: Visit["at"]
  readonly source: "patrol"
  readonly categoryId: string
  readonly urgency?: Urgency
  readonly description: string
  readonly location: { readonly unitId: string; readonly gridId?: string }
  readonly anonymous: true
} => ({
  caseId,
  actor: request.actor,
  at: request.at,
  source: "patrol",
  categoryId,
  ...(urgency === undefined ? {} : { urgency }),
  description: summary(request),
  location: {
    unitId: unitOf(household),
    ...(household.gridId === undefined ? {} : { gridId: household.gridId })
  },
  anonymous: true
})
