/**
 * 案件接口实现 — the `cases` group of the `Api` over the case and hierarchy
 * repository ports. Every handler works for the authenticated principal:
 *
 * - a case the principal may not see (`Principal.canSeeCase`) is answered
 *   exactly like an unknown id: `NotFound` (404);
 * - a command is one call of the core's use case `CaseService.execute` (the
 *   referential rules, the decider, optimistic concurrency: a writer that lost
 *   the race, or a body whose `expectedVersion` is stale, gets `Conflict` with
 *   the current version); the actor is the principal (`Principal.toActor`), the
 *   instant the server clock; the handler only translates;
 * - a merge's target must be a case the principal sees (else `NotFound`);
 * - anyone who sees a case may comment on it (`POST /cases/{id}/comment`; a
 *   resident on their own reports, publicly); internal comments are never
 *   shown to residents (`CaseEvent.isInternal`);
 * - a report is one call of `CaseService.report` (placement on the configured
 *   catalogue, starting tier, source by role) with its `Idempotency-Key`,
 *   namespaced by principal (one principal's key never finds another's case);
 *   a report the hierarchy cannot place is `Unroutable` (422) naming the field
 *   and rule; its `source` is drawn from the server's role table
 *   (`Principal.CurrentRoleTable`) through the core's `RoleTable.reportSource`
 *   — a local source (枫桥小屋 …) is reported as the built-in source it acts as
 *   with the local source recorded; a name the table does not hold is
 *   `SourceUnknown` (400); `GET /cases/{id}` names a case's local source;
 * - personal data is masked for roles without the right (`Mask`), and an
 *   anonymous reporter is never shown.
 *
 * @since 0.1.0
 */
import type { Actor } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import {
  type CaseQuery,
  CaseRepository,
  type ConcurrencyConflict,
  lightOf
} from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import { DepartmentRepository } from "@civicgrid/core/DepartmentRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as RoleTable from "@civicgrid/core/RoleTable"
import type * as Routing from "@civicgrid/core/Routing"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Struct from "effect/Struct"
import {
  Api,
  type CaseView,
  type CommandResult,
  Conflict,
  InvalidQuery,
  NotFound,
  Refused,
  type ReportBody,
  type SelfHandleBody,
  SourceUnknown,
  Unroutable
} from "./Api.js"
import type { Authorization } from "./Authorization.js"
import * as BodyGuard from "./BodyGuard.js"
import * as present from "./internal/present.js"
import { mapErrorKeepStorage, optionKeepStorage } from "./internal/storage.js"
import {
  CurrentPrincipal,
  CurrentRoleTable,
  canSeeCase,
  factsOf,
  isInJurisdiction,
  jurisdictionOf,
  type Principal,
  scopeOf,
  toActor
} from "./Principal.js"

const caseNotFound = (caseId: string): NotFound =>
  new NotFound({
    resource: "case",
    id: caseId,
    message: "案件不存在或不在您的辖区内 no such case in your jurisdiction"
  })

const unitNotFound = (unitId: string): NotFound =>
  new NotFound({
    resource: "unit",
    id: unitId,
    message: "单元不存在或不在您的辖区内 no such unit in your jurisdiction"
  })

/**
 * A report's source name through the role table (the core's
 * `RoleTable.reportSource`): the built-in source and any local source, or
 * `SourceUnknown` naming the field and the rule.
 */
const sourceOf = (
  table: RoleTable.RoleTable,
  name: string
): Either.Either<RoleTable.ReportSource, SourceUnknown> =>
  Either.mapLeft(RoleTable.reportSource(table, name), (e) => {
    const known = RoleTable.rolesOf(table, "report-source")
      .map((r) => `${r.id} ${r.zh}`)
      .join(", ")
    return e._tag === "UnknownRole"
      ? new SourceUnknown({
          field: "source",
          rule: "unknown-source",
          message: `来源未知 source: 角色表中没有案件来源 "${name}"（按标识或中文名） — the role table has no report source "${name}" (by id or Chinese name); one of ${known}`
        })
      : new SourceUnknown({ field: "source", rule: e.rule, message: `来源 source: ${e.message}` })
  })

const refused = (e: Case.CaseRefused): Refused =>
  new Refused({
    caseId: e.caseId,
    status: e.status,
    command: e.command,
    rule: e.rule,
    violations: e.violations,
    message: e.message
  })

const conflict = (e: ConcurrencyConflict): Conflict =>
  new Conflict({
    caseId: e.caseId,
    expectedVersion: e.expectedVersion,
    currentVersion: e.actualVersion,
    message: `${e.message}; reload and retry`
  })

const unroutable = (e: Routing.RoutingFailed): Unroutable =>
  new Unroutable({ field: e.field, rule: e.rule, message: e.message })

const toArray = <A>(value: A | ReadonlyArray<A> | undefined): ReadonlyArray<A> | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value as A]

/** The command fields every case command gets from the server: case, actor, instant. */
interface Meta {
  readonly caseId: Case.CaseId
  readonly actor: Actor
  readonly at: DateTime.Utc
}

interface BuildContext extends CaseService.CommandContext {
  readonly meta: Meta
}

/**
 * The `cases` group of the `Api`. Reports and commands run through the core's
 * use cases (`CaseService.report`, `CaseService.execute`) with the case
 * settings (`CaseService.Settings`: catalogue, routing table, tier levels).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "cases">,
  never,
  CaseRepository | HierarchyRepository | DepartmentRepository | CaseService.Settings | Authorization
> = HttpApiBuilder.group(Api, "cases", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository
    const hierarchies = yield* HierarchyRepository
    const settings = yield* CaseService.Settings
    const services = Context.make(CaseRepository, repo).pipe(
      Context.add(HierarchyRepository, hierarchies),
      Context.add(DepartmentRepository, yield* DepartmentRepository),
      Context.add(CaseService.Settings, settings)
    )
    const levels = settings.tierLevels
    const roleTable = yield* CurrentRoleTable

    const loadHierarchy = optionKeepStorage(hierarchies.load)

    const loadVisible = (caseId: string, principal: Principal) =>
      Effect.gen(function* () {
        const hierarchy = yield* loadHierarchy
        const events = yield* repo.events(caseId)
        const state = Case.fold(events)
        if (state._tag !== "Case" || !canSeeCase(principal, hierarchy, factsOf(state))) {
          return yield* Effect.fail(caseNotFound(caseId))
        }
        return { hierarchy, events, state }
      })

    const rightsOf = (principal: Principal, state: Case.Case) =>
      present.rightsOf(principal, factsOf(state), state.anonymous)

    const run = (
      caseId: string,
      expectedVersion: number | undefined,
      build: (ctx: BuildContext) => CaseCommand
    ): Effect.Effect<CommandResult, NotFound | Refused | Conflict | StorageUnavailable, CurrentPrincipal> =>
      Effect.gen(function* () {
        const principal = yield* CurrentPrincipal
        const executed = yield* CaseService.execute(
          caseId,
          (ctx) =>
            Effect.gen(function* () {
              // a case the principal may not see is answered exactly like an unknown id
              if (!canSeeCase(principal, ctx.hierarchy, factsOf(ctx.state))) {
                return yield* Effect.fail(caseNotFound(caseId))
              }
              const at = yield* DateTime.now
              const meta: Meta = {
                caseId: ctx.state.id,
                actor: toActor(principal, ctx.hierarchy, levels),
                at
              }
              return build({ ...ctx, meta })
            }),
          expectedVersion === undefined ? {} : { expectedVersion }
        ).pipe(
          Effect.catchTags({
            CaseRefused: (e) => Effect.fail(refused(e)),
            ConcurrencyConflict: (e) => Effect.fail(conflict(e)),
            CaseNotFound: (e) => Effect.fail(caseNotFound(e.caseId))
          }),
          Effect.provide(services)
        )
        const before = executed.before._tag === "Case" ? executed.before : executed.after
        return {
          caseId: executed.after.id,
          version: executed.after.version,
          status: executed.after.status,
          replayed: false,
          events: present.events(rightsOf(principal, before), executed.events)
        }
      })

    const create = (
      payload: ReportBody | SelfHandleBody,
      key: string | undefined,
      selfHandle: { readonly result: string; readonly evidence: ReadonlyArray<string> } | undefined
    ): Effect.Effect<
      CommandResult,
      NotFound | Refused | Conflict | Unroutable | SourceUnknown | StorageUnavailable,
      CurrentPrincipal
    > =>
      Effect.gen(function* () {
        const principal = yield* CurrentPrincipal
        const source = payload.source === undefined ? undefined : yield* sourceOf(roleTable, payload.source)
        const loaded = yield* loadHierarchy
        const unitId = payload.location.unitId
        // outside the principal's jurisdiction a unit "does not exist" (residents report anywhere)
        const placeable = Option.match(loaded, {
          onNone: () => false,
          onSome: (h) =>
            Hierarchy.has(h, unitId) &&
            (principal.role === "resident" || isInJurisdiction(principal, h, unitId))
        })
        if (!placeable) return yield* Effect.fail(unitNotFound(unitId))
        const input: CaseService.ReportInput = {
          actor: toActor(principal, loaded, levels),
          at: yield* DateTime.now,
          categoryId: payload.categoryId,
          description: payload.description,
          location: payload.location,
          ...(payload.urgency === undefined ? {} : { urgency: payload.urgency }),
          ...source,
          ...(payload.tier === undefined ? {} : { tier: payload.tier }),
          ...(payload.anonymous === undefined ? {} : { anonymous: payload.anonymous }),
          ...(payload.contact === undefined ? {} : { contact: payload.contact }),
          ...(payload.attributes === undefined ? {} : { attributes: payload.attributes }),
          ...(payload.publishExact === undefined ? {} : { publishExact: payload.publishExact }),
          ...(payload.notifyReporter === undefined ? {} : { notifyReporter: payload.notifyReporter }),
          ...(payload.media === undefined ? {} : { media: payload.media }),
          ...(selfHandle === undefined ? {} : { selfHandle })
        }
        // idempotency keys are namespaced by principal: one principal's key never finds another's case
        const idempotencyKey = key === undefined ? undefined : JSON.stringify([principal.id, key])
        const executed = yield* CaseService.report(
          input,
          idempotencyKey === undefined ? {} : { idempotencyKey }
        ).pipe(
          Effect.catchTags({
            RoutingFailed: (e) => Effect.fail(unroutable(e)),
            CaseRefused: (e) => Effect.fail(refused(e)),
            ConcurrencyConflict: (e) => Effect.fail(conflict(e))
          }),
          Effect.provide(services)
        )
        const state = executed.after
        if (!canSeeCase(principal, loaded, factsOf(state))) return yield* Effect.fail(caseNotFound(state.id))
        return {
          caseId: state.id,
          version: state.version,
          status: state.status,
          replayed: executed.replayed,
          events: present.events(rightsOf(principal, state), executed.events)
        }
      })

    return handlers
      .handle("report", ({ headers, payload }) => create(payload, headers["idempotency-key"], undefined))
      .handle("selfHandle", ({ headers, payload }) =>
        create(payload, headers["idempotency-key"], { result: payload.result, evidence: payload.evidence })
      )
      .handle("list", ({ urlParams }) =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          const loaded = yield* loadHierarchy
          // the access scope goes into the query itself: pages are never thinned afterwards
          const scope = scopeOf(principal)
          const within = urlParams.within
          if (within !== undefined) {
            // a resident or a department may narrow by any known unit (their scope still applies);
            // everyone else only within their jurisdiction — outside it the unit "does not exist"
            const allowed = Option.match(loaded, {
              onNone: () => false,
              onSome: (h) =>
                principal.role === "resident" || principal.role === "department"
                  ? Hierarchy.has(h, within)
                  : isInJurisdiction(principal, h, within)
            })
            if (!allowed) return yield* Effect.fail(unitNotFound(within))
          }
          const status = toArray(urlParams.status)
          const tier = toArray(urlParams.tier)
          const categoryId = toArray(urlParams.categoryId)
          const light = toArray(urlParams.light)
          const now = yield* DateTime.now
          const query: CaseQuery = {
            scope,
            ...(within === undefined ? {} : { within }),
            ...(status === undefined ? {} : { status }),
            ...(tier === undefined ? {} : { tier }),
            ...(categoryId === undefined ? {} : { categoryId }),
            ...(urlParams.reportedFrom === undefined
              ? {}
              : { reportedFrom: DateTime.toDate(urlParams.reportedFrom) }),
            ...(urlParams.reportedTo === undefined
              ? {}
              : { reportedTo: DateTime.toDate(urlParams.reportedTo) }),
            ...(urlParams.overdueAt === undefined ? {} : { overdueAt: DateTime.toDate(urlParams.overdueAt) }),
            ...(light === undefined ? {} : { light: { colors: light, at: DateTime.toDate(now) } }),
            ...(urlParams.sort === undefined ? {} : { order: urlParams.sort }),
            ...(urlParams.limit === undefined ? {} : { limit: urlParams.limit }),
            ...(urlParams.after === undefined ? {} : { after: urlParams.after })
          }
          const page = yield* repo.list(query).pipe(
            mapErrorKeepStorage(
              (e) =>
                new InvalidQuery({
                  violations: e.violations,
                  message: e.message
                })
            )
          )
          return {
            items: page.items.map((summary) => ({ ...summary, light: lightOf(summary, now) })),
            next: Option.getOrNull(page.next)
          }
        })
      )
      .handle("board", ({ urlParams }) =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          // the principal's jurisdiction (a resident has none, a department only a granted subtree)
          const unitId = urlParams.unitId ?? jurisdictionOf(principal)
          if (unitId === undefined) return yield* Effect.fail(unitNotFound(principal.unitId))
          const loaded = yield* loadHierarchy
          const allowed = Option.match(loaded, {
            onNone: () => false,
            onSome: (h) => isInJurisdiction(principal, h, unitId)
          })
          if (!allowed) return yield* Effect.fail(unitNotFound(unitId))
          return yield* repo.board(unitId, yield* DateTime.now)
        })
      )
      .handle("get", ({ path, urlParams }) =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          const hierarchy = yield* loadHierarchy
          // the events and the read-model row in one read (`CaseRepository.read`)
          const stored = yield* repo.read(path.caseId)
          if (Option.isNone(stored)) return yield* Effect.fail(caseNotFound(path.caseId))
          const { events, summary } = stored.value
          const state = Case.fold(events)
          if (state._tag !== "Case" || !canSeeCase(principal, hierarchy, factsOf(state))) {
            return yield* Effect.fail(caseNotFound(path.caseId))
          }
          const rights = rightsOf(principal, state)
          const local = state.localSource
          const view: CaseView = {
            summary,
            // a local source the server's table no longer holds: its id stands for its names
            ...(local === undefined
              ? {}
              : {
                  localSource: Option.match(RoleTable.lookup(roleTable, "report-source", local), {
                    onNone: () => ({ id: local, zh: local, en: local }),
                    onSome: (e) => ({ id: e.id, zh: e.zh, en: e.en })
                  })
                }),
            anonymous: state.anonymous,
            reporter: present.contact(rights, present.reportedContact(events)),
            ...(urlParams.include === "state" ? { state: present.state(rights, state) } : {})
          }
          return view
        })
      )
      .handle("events", ({ path }) =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          const { events, state } = yield* loadVisible(path.caseId, principal)
          return present.events(rightsOf(principal, state), events)
        })
      )
      .handle("accept", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Accept",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("reject", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Reject",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("void", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Void",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("dispatch", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Dispatch",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("return", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Return",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("handle", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Handle",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("verify", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Verify",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("evaluate", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Evaluate",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("reopen", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Reopen",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("escalate", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ escalationTarget, meta, state }) => ({
          _tag: "Escalate",
          ...meta,
          // the next tier's unit by default; without one the use case refuses (escalation-target / -beyond-district)
          toUnitId: payload.toUnitId ?? Option.getOrElse(escalationTarget, () => state.ownerUnitId),
          reason: payload.reason
        }))
      )
      .handle("suspend", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "RequestSuspension",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("approveSuspension", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "ApproveSuspension",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("denySuspension", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "DenySuspension",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("resume", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Resume",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("extend", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "RequestExtension",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("approveExtension", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "ApproveExtension",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("denyExtension", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "DenyExtension",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("merge", ({ path, payload }) =>
        // the target must be a case the principal sees: merging never reveals or touches another's case
        CurrentPrincipal.pipe(
          Effect.flatMap((principal) => loadVisible(payload.targetId, principal)),
          Effect.zipRight(
            run(path.caseId, payload.expectedVersion, ({ meta }) => ({
              _tag: "Merge",
              ...meta,
              ...Struct.omit(payload, "expectedVersion")
            }))
          )
        )
      )
      .handle("supervise", ({ path, payload }) =>
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Supervise",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
      .handle("comment", ({ path, payload }) =>
        // anyone who sees the case may comment on it (a resident: on their own reports)
        run(path.caseId, payload.expectedVersion, ({ meta }) => ({
          _tag: "Comment",
          ...meta,
          ...Struct.omit(payload, "expectedVersion")
        }))
      )
  })
).pipe(Layer.provide(BodyGuard.layer))
