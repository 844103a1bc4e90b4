/**
 * 联户走访处理器 — the `people` group: thin handlers over the core's
 * `PeopleRepository` and its use cases (`recordVisit`, `visitsDue`,
 * `handleService`, `indicators`, `proactiveDiscovery`, `contactDuties`),
 * `VisitFollowUp.open` and `KeyGroupAccess`. Each decodes, calls one core use
 * case or port method as the principal's actor (`Principal.toActor`), and maps
 * the core's typed errors; no rule is restated here.
 *
 * The people store is optional: a server whose repositories provide no
 * `PeopleRepository` (no keyring configured, see `SqlRepositories.Options.people`)
 * answers every endpoint of the group with 503 `PeopleUnavailable`. Local
 * dates ("today", a visit's day) are read on `WorkingCalendar.china()`
 * (+08:00, the official schedules the SDK ships).
 *
 * @since 0.1.0
 */
import type * as Case from "@civicgrid/core/Case"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import { GridRepository } from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import { ListRepository } from "@civicgrid/core/ListRepository"
import type * as MicroWish from "@civicgrid/core/MicroWish"
import * as People from "@civicgrid/core/PeopleRepository"
import * as Period from "@civicgrid/core/Period"
import type * as ProblemList from "@civicgrid/core/ProblemList"
import type * as ProxyService from "@civicgrid/core/ProxyService"
import type * as Routing from "@civicgrid/core/Routing"
import * as TimeOrderedId from "@civicgrid/core/TimeOrderedId"
import type * as Visit from "@civicgrid/core/Visit"
import * as VisitFollowUp from "@civicgrid/core/VisitFollowUp"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import {
  AccessRefused,
  Api,
  AuditRefused,
  InvalidQuery,
  PeopleConflict,
  PeopleNotFound,
  PeopleRefused,
  PeopleUnavailable
} from "./Api.js"
import type { Authorization } from "./Authorization.js"
import * as BodyGuard from "./BodyGuard.js"
import { optionKeepStorage } from "./internal/storage.js"
import { CurrentPrincipal, jurisdictionOf, type Principal, toActor } from "./Principal.js"

/**
 * 日历 — the calendar local dates are read on.
 *
 * @since 0.1.0
 * @category constants
 */
export const calendar: WorkingCalendar.WorkingCalendar = WorkingCalendar.china()

const unavailable = new PeopleUnavailable({
  message:
    "联户走访未配置：请设置 CIVICGRID_PEOPLE_KEYS — the people store is not configured: set CIVICGRID_PEOPLE_KEYS"
})

const unitNotFound = (unitId: string): PeopleNotFound =>
  new PeopleNotFound({
    resource: "unit",
    id: unitId,
    message: "单元不存在或不在您的辖区内 no such unit in your jurisdiction"
  })

const noJurisdiction = (principal: Principal): AccessRefused =>
  new AccessRefused({
    field: "role",
    rule: "no-jurisdiction",
    message:
      principal.role === "resident"
        ? "居民没有辖区：户、联户、走访与代办由所在单元的工作人员查看 — a resident has no jurisdiction: households, contacts, visits and proxy services are read by staff acting for a unit (rule no-jurisdiction)"
        : "部门未授权辖区：户、联户、走访与代办仅在授权的辖区内查看 — a department without a granted subtree has no jurisdiction: households, contacts, visits and proxy services are read within a granted subtree only (rule no-jurisdiction)"
  })

const householdNotFound = (householdId: string): PeopleNotFound =>
  new PeopleNotFound({
    resource: "household",
    id: householdId,
    message: "户不存在或不在您的辖区内 no such household in your jurisdiction"
  })

const serviceNotFound = (serviceId: string): PeopleNotFound =>
  new PeopleNotFound({
    resource: "proxy-service",
    id: serviceId,
    message: "代办不存在或不在您的辖区内 no such proxy service in your jurisdiction"
  })

const visitRefused = (e: Visit.VisitRefused): PeopleRefused =>
  new PeopleRefused({
    subject: "visit",
    id: e.visitId,
    rule: e.rule,
    field: e.field,
    violations: e.violations,
    message: e.message
  })

const serviceRefused = (e: ProxyService.ProxyServiceRefused): PeopleRefused | PeopleNotFound =>
  e.rule === "service-not-found"
    ? serviceNotFound(e.serviceId)
    : new PeopleRefused({
        subject: "proxy-service",
        id: e.serviceId,
        rule: e.rule,
        field: e.field,
        violations: e.violations,
        message: e.message
      })

const visitNotFound = (visitId: string, householdId?: string): PeopleNotFound =>
  new PeopleNotFound({
    resource: "visit",
    id: visitId,
    message:
      householdId === undefined
        ? "走访不存在或不在您的辖区内 no such visit in your jurisdiction"
        : `走访不存在或不属于该户 no such visit at household ${householdId}`
  })

const followUpRefused = (e: VisitFollowUp.FollowUpRefused): PeopleRefused | PeopleNotFound =>
  e.rule === "visit"
    ? visitNotFound(e.visitId)
    : e.rule === "index"
      ? new PeopleNotFound({ resource: "follow-up", id: `${e.visitId}/${e.index}`, message: e.message })
      : new PeopleRefused({
          subject: "follow-up",
          id: `${e.visitId}/${e.index}`,
          rule: e.rule,
          field: e.field,
          violations: [{ rule: e.rule, field: e.field, message: e.message }],
          message: e.message
        })

const caseRefused = (e: Case.CaseRefused): PeopleRefused =>
  new PeopleRefused({
    subject: "case",
    id: e.caseId,
    rule: e.rule,
    field: "",
    violations: [
      { rule: e.violations[0].rule, field: "", message: e.violations[0].message },
      ...e.violations.slice(1).map((v) => ({ rule: v.rule, field: "", message: v.message }))
    ],
    message: e.message
  })

const routingFailed = (id: string, e: Routing.RoutingFailed): PeopleRefused =>
  new PeopleRefused({
    subject: "case",
    id,
    rule: e.rule,
    field: e.field,
    violations: [{ rule: e.rule, field: e.field, message: e.message }],
    message: e.message
  })

const problemRefused = (id: string, e: ProblemList.ProblemListInvalid): PeopleRefused => {
  const [first, ...rest] = e.violations
  return new PeopleRefused({
    subject: "problem",
    id,
    rule: first.rule,
    field: "",
    violations: [
      { rule: first.rule, field: "", message: first.message },
      ...rest.map((v) => ({ rule: v.rule, field: "", message: v.message }))
    ],
    message: e.message
  })
}

const wishRefused = (e: MicroWish.MicroWishRefused): PeopleRefused =>
  new PeopleRefused({
    subject: "micro-wish",
    id: e.wishId,
    rule: e.rule,
    field: "",
    violations: [
      { rule: e.violations[0].rule, field: "", message: e.violations[0].message },
      ...e.violations.slice(1).map((v) => ({ rule: v.rule, field: "", message: v.message }))
    ],
    message: e.message
  })

const serviceConflict = (e: People.ServiceConcurrencyConflict): PeopleConflict =>
  new PeopleConflict({
    subject: "proxy-service",
    id: e.serviceId,
    actualVersion: e.actualVersion,
    message: e.message
  })

/**
 * The `people` handlers (see the module notes).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "people">,
  never,
  | HierarchyRepository
  | GridRepository
  | CaseRepository
  | ListRepository
  | CaseService.Settings
  | Authorization
> = HttpApiBuilder.group(Api, "people", (handlers) =>
  Effect.gen(function* () {
    const hierarchies = yield* HierarchyRepository
    const grids = yield* GridRepository
    const cases = yield* CaseRepository
    const lists = yield* ListRepository
    const settings = yield* CaseService.Settings
    const levels = settings.tierLevels
    // the people store is there only when a keyring is configured
    const store = yield* Effect.serviceOption(People.PeopleRepository)
    const people = Option.match(store, {
      onNone: () => Effect.fail(unavailable),
      onSome: (repo) => Effect.succeed(repo)
    })
    const withStore = <A, E, R>(
      use: (
        repo: Context.Tag.Service<People.PeopleRepository>,
        services: Context.Context<
          | People.PeopleRepository
          | GridRepository
          | CaseRepository
          | ListRepository
          | HierarchyRepository
          | CaseService.Settings
        >
      ) => Effect.Effect<A, E, R>
    ) =>
      Effect.flatMap(people, (repo) =>
        use(
          repo,
          Context.make(People.PeopleRepository, repo).pipe(
            Context.add(GridRepository, grids),
            Context.add(CaseRepository, cases),
            Context.add(ListRepository, lists),
            Context.add(HierarchyRepository, hierarchies),
            Context.add(CaseService.Settings, settings)
          )
        )
      )

    const actorOf = (principal: Principal) =>
      Effect.map(optionKeepStorage(hierarchies.load), (hierarchy) => toActor(principal, hierarchy, levels))

    /**
     * `within` checked against the principal's jurisdiction (default: the
     * jurisdiction); a principal without one is refused naming the rule.
     */
    const scoped = (within: string | undefined) =>
      Effect.gen(function* () {
        const principal = yield* CurrentPrincipal
        const root = jurisdictionOf(principal)
        if (root === undefined) return yield* Effect.fail(noJurisdiction(principal))
        if (within === undefined) return root
        const hierarchy = yield* optionKeepStorage(hierarchies.load)
        if (Option.isNone(hierarchy) || !Hierarchy.isWithin(hierarchy.value, within, root))
          return yield* Effect.fail(unitNotFound(within))
        return within
      })

    return handlers
      .handle("households", ({ urlParams }) =>
        withStore((repo) =>
          Effect.flatMap(scoped(urlParams.within), (within) =>
            repo
              .households({ within })
              .pipe(Effect.catchTag("UnitNotFound", () => Effect.fail(unitNotFound(within))))
          )
        )
      )
      .handle("contacts", ({ urlParams }) =>
        withStore((_, services) =>
          Effect.gen(function* () {
            const within = yield* scoped(urlParams.within)
            const reader = yield* Effect.flatMap(CurrentPrincipal, actorOf)
            const date = WorkingCalendar.dateOf(calendar, yield* DateTime.now)
            const report = yield* People.contactDuties({ within, date, reader }).pipe(
              Effect.catchTag("UnitNotFound", () => Effect.fail(unitNotFound(within))),
              Effect.provide(services)
            )
            return {
              within,
              date: report.date,
              contacts: report.contacts.map(({ contact, households }) => ({
                id: contact.id,
                kind: contact.kind,
                duty: contact.duty,
                label: contact.label,
                communityId: contact.communityId,
                ...(contact.gridId === undefined ? {} : { gridId: contact.gridId }),
                households
              })),
              violations: report.violations.map((v) => ({
                rule: v.rule,
                field: v.field,
                ...(v.contactId === undefined ? {} : { contactId: v.contactId }),
                ...(v.householdId === undefined ? {} : { householdId: v.householdId }),
                ...(v.count === undefined ? {} : { count: v.count }),
                ...(v.bounds === undefined ? {} : { bounds: v.bounds }),
                message: v.message
              })),
              coverage: report.coverage
            }
          })
        )
      )
      .handle("members", ({ path, urlParams }) =>
        withStore((repo) =>
          Effect.gen(function* () {
            const actor = yield* Effect.flatMap(CurrentPrincipal, actorOf)
            const at = yield* DateTime.now
            const logId = KeyGroupAccess.AccessLogId.make(yield* TimeOrderedId.uuidV7)
            const result = yield* repo
              .readMembers(
                actor,
                {
                  categoryId: path.category,
                  unitId: urlParams.unitId,
                  ...(urlParams.purpose === undefined ? {} : { purpose: urlParams.purpose }),
                  ...(urlParams.identity === undefined ? {} : { identity: urlParams.identity })
                },
                { date: WorkingCalendar.dateOf(calendar, at), at, logId }
              )
              .pipe(
                Effect.catchTags({
                  KeyGroupAccessDenied: (e) =>
                    Effect.fail(new AccessRefused({ field: e.field, rule: e.rule, message: e.message })),
                  HierarchyNotFound: () => Effect.fail(unitNotFound(urlParams.unitId))
                })
              )
            return result
          })
        )
      )
      .handle("accessLog", ({ urlParams }) =>
        withStore((repo) =>
          Effect.gen(function* () {
            const actor = yield* Effect.flatMap(CurrentPrincipal, actorOf)
            if (!KeyGroupAccess.mayAudit(actor))
              return yield* Effect.fail(
                new AuditRefused({
                  rule: "audit-role",
                  message: `访问日志仅供审计角色（区、街道）查看 — the access log is read by auditing roles only (${KeyGroupAccess.auditRoles.join(", ")}) (rule audit-role)`
                })
              )
            const within = yield* scoped(urlParams.within)
            return yield* repo
              .accessLog({ within })
              .pipe(Effect.catchTag("UnitNotFound", () => Effect.fail(unitNotFound(within))))
          })
        )
      )
      .handle("visitsDue", () =>
        withStore((_, services) =>
          Effect.gen(function* () {
            const actor = yield* Effect.flatMap(CurrentPrincipal, actorOf)
            const today = WorkingCalendar.dateOf(calendar, yield* DateTime.now)
            const agenda = yield* People.visitsDue(actor, today, calendar).pipe(
              Effect.catchTag("UnitNotFound", () => Effect.fail(unitNotFound(actor.unitId))),
              Effect.provide(services)
            )
            return {
              date: today,
              due: agenda.due,
              unjudged: agenda.unjudged.map((u) => ({ planId: u.planId, message: u.error.message }))
            }
          })
        )
      )
      .handle("visitsDueCounts", ({ urlParams }) =>
        withStore((_, services) =>
          Effect.gen(function* () {
            const within = yield* scoped(urlParams.within)
            const today = WorkingCalendar.dateOf(calendar, yield* DateTime.now)
            const counts = yield* People.agendaWithin(within, today, calendar).pipe(
              Effect.catchTag("UnitNotFound", () => Effect.fail(unitNotFound(within))),
              Effect.provide(services)
            )
            return { date: today, within, ...counts }
          })
        )
      )
      .handle("indicators", ({ urlParams }) =>
        withStore((_, services) =>
          Effect.gen(function* () {
            const period = yield* Either.mapLeft(
              Period.parse(urlParams.period),
              (e) =>
                new InvalidQuery({
                  violations: [{ field: "period", message: e.message }],
                  message: `查询无效 invalid query: period — ${e.message}`
                })
            )
            const within = yield* scoped(urlParams.within)
            const asOf = WorkingCalendar.dateOf(calendar, yield* DateTime.now)
            const values = yield* People.indicators({ within, period, asOf, calendar }).pipe(
              Effect.catchTag("UnitNotFound", () => Effect.fail(unitNotFound(within))),
              Effect.provide(services)
            )
            const proactiveDiscoveryShare = yield* People.proactiveDiscovery({ within, period }).pipe(
              Effect.provide(services)
            )
            return { period: urlParams.period, within, ...values, proactiveDiscoveryShare }
          })
        )
      )
      .handle("recordVisit", ({ payload }) =>
        withStore((_, services) =>
          Effect.gen(function* () {
            const visitor = yield* Effect.flatMap(CurrentPrincipal, actorOf)
            const recordedAt = yield* DateTime.now
            return yield* People.recordVisit(
              { ...payload, _tag: "RecordVisit", visitor, recordedAt },
              { calendar }
            ).pipe(
              Effect.catchTags({
                VisitRefused: (e) => Effect.fail(visitRefused(e)),
                HouseholdNotFound: (e) => Effect.fail(householdNotFound(e.householdId)),
                VisitExists: (e) =>
                  Effect.fail(new PeopleConflict({ subject: "visit", id: e.visitId, message: e.message }))
              }),
              Effect.provide(services)
            )
          })
        )
      )
      .handle("openFollowUp", ({ path, payload }) =>
        withStore((_, services) =>
          Effect.gen(function* () {
            const actor = yield* Effect.flatMap(CurrentPrincipal, actorOf)
            const at = yield* DateTime.now
            const id = VisitFollowUp.followUpId(path.visitId, path.index)
            return yield* VisitFollowUp.open({
              visitId: path.visitId,
              index: path.index,
              actor,
              at,
              details: payload
            }).pipe(
              Effect.map((opened) => ({
                visitId: opened.visitId,
                index: opened.index,
                kind: opened.kind,
                id: opened.id,
                opened: opened.opened
              })),
              Effect.catchTags({
                FollowUpRefused: (e) => Effect.fail(followUpRefused(e)),
                RoutingFailed: (e) => Effect.fail(routingFailed(id, e)),
                CaseRefused: (e) => Effect.fail(caseRefused(e)),
                ProblemListInvalid: (e) => Effect.fail(problemRefused(id, e)),
                MicroWishRefused: (e) => Effect.fail(wishRefused(e)),
                WishUnitNotFound: (e) => Effect.fail(unitNotFound(e.unitId)),
                ProxyServiceRefused: (e) => Effect.fail(serviceRefused(e)),
                HouseholdNotFound: (e) => Effect.fail(householdNotFound(e.householdId)),
                VisitNotFound: (e) => Effect.fail(visitNotFound(e.visitId, e.householdId)),
                UnitNotFound: (e) => Effect.fail(unitNotFound(e.unitId))
              }),
              Effect.provide(services)
            )
          })
        )
      )
      .handle("services", ({ urlParams }) =>
        withStore((repo) =>
          Effect.flatMap(scoped(urlParams.within), (within) =>
            repo
              .services({ within })
              .pipe(Effect.catchTag("UnitNotFound", () => Effect.fail(unitNotFound(within))))
          )
        )
      )
      .handle("acceptService", ({ payload }) =>
        withStore((_, services) =>
          Effect.gen(function* () {
            const actor = yield* Effect.flatMap(CurrentPrincipal, actorOf)
            const at = yield* DateTime.now
            return yield* People.handleService({ command: { ...payload, _tag: "Accept", actor, at } }).pipe(
              Effect.catchTags({
                ProxyServiceRefused: (e) => Effect.fail(serviceRefused(e)),
                ServiceConcurrencyConflict: (e) => Effect.fail(serviceConflict(e)),
                HouseholdNotFound: (e) => Effect.fail(householdNotFound(e.householdId)),
                VisitNotFound: (e) => Effect.fail(visitNotFound(e.visitId, e.householdId)),
                ProxyServiceReplayError: (e) => Effect.die(e),
                UnitNotFound: (e) => Effect.fail(unitNotFound(e.unitId))
              }),
              Effect.provide(services)
            )
          })
        )
      )
      .handle("serviceCommand", ({ path, payload }) =>
        withStore((_, services) =>
          Effect.gen(function* () {
            const actor = yield* Effect.flatMap(CurrentPrincipal, actorOf)
            const at = yield* DateTime.now
            return yield* People.handleService({
              command: { ...payload.command, serviceId: path.serviceId, actor, at },
              expectedVersion: payload.expectedVersion
            }).pipe(
              Effect.catchTags({
                ProxyServiceRefused: (e) => Effect.fail(serviceRefused(e)),
                ServiceConcurrencyConflict: (e) => Effect.fail(serviceConflict(e)),
                HouseholdNotFound: (e) => Effect.fail(householdNotFound(e.householdId)),
                VisitNotFound: (e) => Effect.fail(visitNotFound(e.visitId, e.householdId)),
                ProxyServiceReplayError: (e) => Effect.die(e),
                UnitNotFound: (e) => Effect.fail(unitNotFound(e.unitId))
              }),
              Effect.provide(services)
            )
          })
        )
      )
  })
).pipe(Layer.provide(BodyGuard.layer))
