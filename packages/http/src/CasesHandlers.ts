/**
 * 案件接口实现 — the `cases` group of the `Api` over the case and hierarchy
 * repository ports. Every handler works for the authenticated principal:
 *
 * - a case the principal may not see (`Principal.canSeeCase`) is answered
 *   exactly like an unknown id: `NotFound` (404);
 * - a command runs the core decider against the case as stored and appends its
 *   events after the version read (optimistic concurrency: a writer that lost
 *   the race, or a body whose `expectedVersion` is stale, gets `Conflict` with
 *   the current version); the actor is the principal (`Principal.toActor`), the
 *   instant the server clock;
 * - a merge's target must be a case the principal sees (else `NotFound`);
 * - a report is placed in the hierarchy (community and the owner unit of its
 *   starting tier, `Routing.tierUnitOf`) and run through `CaseService.execute`
 *   with its `Idempotency-Key`, namespaced by principal (one principal's key
 *   never finds another's case);
 * - personal data is masked for roles without the right (`Mask`), and an
 *   anonymous reporter is never shown.
 *
 * @since 0.1.0
 */
import type { Actor } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import { type CaseQuery, CaseRepository, type ConcurrencyConflict } from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as Routing from "@civicgrid/core/Routing"
import type { Tier } from "@civicgrid/core/Tier"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
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
  Unroutable
} from "./Api.js"
import type { Authorization } from "./Authorization.js"
import * as BodyGuard from "./BodyGuard.js"
import * as present from "./internal/present.js"
import {
  CurrentPrincipal,
  canSeeCase,
  factsOf,
  isInJurisdiction,
  type Principal,
  scopeOf,
  toActor
} from "./Principal.js"

/**
 * Options of the case handlers.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Which hierarchy levels hold the tiers' units (default `Routing.defaultTierLevels`). */
  readonly tierLevels?: Routing.TierLevels
  /** New case ids (default `crypto.randomUUID()`). */
  readonly newCaseId?: () => string
}

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
    message: e.message
  })

const toArray = <A>(value: A | ReadonlyArray<A> | undefined): ReadonlyArray<A> | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value as A]

/** 来源 — a report's source when the body names none: 巡查 for grid workers, the app for residents, 上级交办 otherwise. */
const defaultSource = (principal: Principal): Case.Source =>
  principal.role === "grid-worker" ? "patrol" : principal.role === "resident" ? "resident-app" : "assigned"

/** The command fields every case command gets from the server: case, actor, instant. */
interface Meta {
  readonly caseId: Case.CaseId
  readonly actor: Actor
  readonly at: DateTime.Utc
}

interface Context {
  readonly meta: Meta
  readonly state: Case.Case
  readonly hierarchy: Option.Option<Hierarchy.Hierarchy>
}

/**
 * The `cases` group of the `Api`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "cases">,
  never,
  CaseRepository | HierarchyRepository | Authorization
> =>
  HttpApiBuilder.group(Api, "cases", (handlers) =>
    Effect.gen(function* () {
      const repo = yield* CaseRepository
      const hierarchies = yield* HierarchyRepository
      const levels = options.tierLevels ?? Routing.defaultTierLevels
      const newCaseId = options.newCaseId ?? (() => crypto.randomUUID())

      const loadHierarchy = hierarchies.load.pipe(Effect.option)

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
        build: (ctx: Context) => CaseCommand
      ): Effect.Effect<CommandResult, NotFound | Refused | Conflict, CurrentPrincipal> =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          const { events, hierarchy, state } = yield* loadVisible(caseId, principal)
          if (expectedVersion !== undefined && expectedVersion !== state.version) {
            return yield* Effect.fail(
              new Conflict({
                caseId: state.id,
                expectedVersion,
                currentVersion: state.version,
                message: `并发冲突 concurrency conflict on case ${state.id}: you read version ${expectedVersion}, the case is at ${state.version}; reload and retry`
              })
            )
          }
          const at = yield* DateTime.now
          const meta: Meta = { caseId: state.id, actor: toActor(principal, hierarchy, levels), at }
          const decided = Case.decide(build({ meta, state, hierarchy }), state)
          if (Either.isLeft(decided)) return yield* Effect.fail(refused(decided.left))
          const appended = yield* repo
            .append({ caseId: state.id, expectedVersion: state.version, events: decided.right })
            .pipe(Effect.mapError(conflict))
          const after = Case.fold([...events, ...decided.right])
          const status = after._tag === "Case" ? after.status : state.status
          return {
            caseId: state.id,
            version: appended.version,
            status,
            replayed: false,
            events: present.events(rightsOf(principal, state), decided.right)
          }
        })

      const create = (
        payload: ReportBody | SelfHandleBody,
        key: string | undefined,
        selfHandle: { readonly result: string; readonly evidence: ReadonlyArray<string> } | undefined
      ): Effect.Effect<CommandResult, NotFound | Refused | Conflict | Unroutable, CurrentPrincipal> =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          const loaded = yield* loadHierarchy
          const unitId = payload.location.unitId
          if (Option.isNone(loaded)) return yield* Effect.fail(unitNotFound(unitId))
          const hierarchy = loaded.value
          const placeable =
            Hierarchy.has(hierarchy, unitId) &&
            (principal.role === "resident" || isInJurisdiction(principal, hierarchy, unitId))
          if (!placeable) return yield* Effect.fail(unitNotFound(unitId))
          const community = Routing.tierUnitOf(hierarchy, unitId, "community", levels)
          if (Option.isNone(community)) {
            return yield* Effect.fail(
              new Unroutable({
                field: "location",
                rule: "no-community",
                message: `无法定位社区 unit "${unitId}" lies in no unit of level "${levels.community}"`
              })
            )
          }
          const tier: Tier = payload.tier ?? "community"
          const owner = Routing.tierUnitOf(hierarchy, community.value, tier, levels)
          if (Option.isNone(owner)) {
            return yield* Effect.fail(
              new Unroutable({
                field: "tier",
                rule: "no-tier-unit",
                message: `无责任单元 community "${community.value}" lies in no unit of level "${levels[tier]}" (tier ${tier})`
              })
            )
          }
          const at = yield* DateTime.now
          const actor = toActor(principal, loaded, levels)
          const fields = {
            caseId: Case.CaseId.make(newCaseId()),
            actor,
            at,
            source: payload.source ?? defaultSource(principal),
            categoryId: payload.categoryId,
            urgency: payload.urgency,
            description: payload.description,
            location: payload.location,
            communityId: community.value,
            tier,
            ownerUnitId: owner.value,
            anonymous: payload.anonymous ?? false,
            ...(payload.contact === undefined ? {} : { contact: payload.contact }),
            ...(payload.attributes === undefined ? {} : { attributes: payload.attributes })
          } as const
          const command: CaseCommand =
            selfHandle === undefined
              ? { _tag: "Report", ...fields }
              : { _tag: "SelfHandle", ...fields, result: selfHandle.result, evidence: selfHandle.evidence }
          const idempotencyKey = key === undefined ? undefined : JSON.stringify([principal.id, key])
          const executed = yield* CaseService.execute(
            command,
            idempotencyKey === undefined ? {} : { idempotencyKey }
          ).pipe(
            Effect.catchTags({
              CaseRefused: (e) => Effect.fail(refused(e)),
              ConcurrencyConflict: (e) => Effect.fail(conflict(e)),
              CaseNotFound: (e) => Effect.fail(caseNotFound(e.caseId))
            })
          )
          const state = executed.state
          if (!canSeeCase(principal, loaded, factsOf(state)))
            return yield* Effect.fail(caseNotFound(state.id))
          return {
            caseId: state.id,
            version: state.version,
            status: state.status,
            replayed: executed.replayed,
            events: present.events(rightsOf(principal, state), executed.events)
          }
        }).pipe(Effect.provideService(CaseRepository, repo))

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
              ...(urlParams.overdueAt === undefined
                ? {}
                : { overdueAt: DateTime.toDate(urlParams.overdueAt) }),
              ...(urlParams.limit === undefined ? {} : { limit: urlParams.limit }),
              ...(urlParams.after === undefined ? {} : { after: urlParams.after })
            }
            const page = yield* repo.list(query).pipe(
              Effect.mapError(
                (e) =>
                  new InvalidQuery({
                    violations: e.violations,
                    message: e.message
                  })
              )
            )
            return { items: page.items, next: Option.getOrNull(page.next) }
          })
        )
        .handle("get", ({ path, urlParams }) =>
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal
            const { events, state } = yield* loadVisible(path.caseId, principal)
            const summary = yield* repo
              .summary(state.id)
              .pipe(Effect.mapError(() => caseNotFound(path.caseId)))
            const rights = rightsOf(principal, state)
            const view: CaseView = {
              summary,
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
          run(path.caseId, payload.expectedVersion, ({ hierarchy, meta, state }) => {
            const target = Option.flatMap(hierarchy, (h) =>
              Routing.escalationTarget(h, state.communityId, state.tier, levels)
            )
            // Without a next tier the decider refuses (escalation-beyond-district / escalation-unit).
            const toUnitId =
              payload.toUnitId ??
              Option.match(target, { onNone: () => state.ownerUnitId, onSome: (t) => t.unitId })
            return { _tag: "Escalate", ...meta, toUnitId, reason: payload.reason }
          })
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
    })
  ).pipe(Layer.provide(BodyGuard.layer))
