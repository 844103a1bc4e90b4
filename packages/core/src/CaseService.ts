/**
 * 案件服务 — the use cases of the case loop: the one way a case is reported
 * and a command runs, whatever the entry point (REST, Open311, the CLI, a
 * scheduler). Adapters translate their input into a call here and map the
 * typed errors back; they never restate a rule.
 *
 * - **`report`** places a report with `Routing.route` on the configured
 *   catalogue, routing table and grids (`Settings`): an unknown category,
 *   unit or grid is a `RoutingFailed` naming the field; a position in no grid
 *   is placed by `Settings.outsideGrids` (default: the nearest grid within
 *   200 m, else the street; `Refuse` makes it a `RoutingFailed`,
 *   `outside-every-grid`); the category decides the starting tier (a report may ask for a
 *   higher one only with staff of that tier: rule `start-tier`), staff report
 *   only within their jurisdiction (`jurisdiction`), and the source follows
 *   the reporter's role (`Case.reportSources`; rule `source`). With an
 *   idempotency key a retried report returns the case it created
 *   (`replayed`), also when two requests race; a report with the same key
 *   but other values is refused (`CaseRefused`, rule `idempotency-key-reused`).
 *   The key is claimed by the append in its own transaction (no read of it
 *   before); it is looked up only when the report cannot be decided now
 *   (`RoutingFailed`, `CaseRefused`), so a retry is answered with its case
 *   even then.
 * - **`execute`** runs one command on an existing case: load its history,
 *   fold it once, build the command against the state (`build` may refuse,
 *   e.g. an adapter's access check), decide and evolve (`Case.execute`), then
 *   append after the version read — a writer that lost the race, or a stale
 *   `expectedVersion`, gets `ConcurrencyConflict`. The store receives the
 *   history and the state after the events, so it need not read and fold
 *   again.
 * - **Referential rules**, checked against the repositories: a dispatch goes
 *   to a known unit within the owner unit's jurisdiction that contains where
 *   the case happened (`unknown-unit`, `dispatch-jurisdiction`) or to a registered department that serves the
 *   case's community (`unknown-department`, `dispatch-jurisdiction`); an
 *   escalation goes to the next tier's unit above the case's own community
 *   (`escalation-target`); a merge goes into an existing case that is open and
 *   not itself merged (`merge-target`) — and the target's version is held
 *   during the append, so two cases merged into each other at once cannot
 *   both succeed (no cycles under concurrency). Every rule broken is reported
 *   together with the decider's in one `CaseRefused`.
 * - **An unavailable store** (busy, unreachable, conflicting past the
 *   store's retries: `Storage.StorageUnavailable`) fails every use case with
 *   that error; nothing was written.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Equal from "effect/Equal"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { type Actor, staffTier } from "./Actor.js"
import * as Case from "./Case.js"
import * as CaseCategory from "./CaseCategory.js"
import type { CaseCommand, Report, SelfHandle } from "./CaseCommand.js"
import type { CaseEvent } from "./CaseEvent.js"
import { type AppendInput, CaseNotFound, CaseRepository, ConcurrencyConflict } from "./CaseRepository.js"
import { DepartmentRepository } from "./DepartmentRepository.js"
import { type Grid, GridId } from "./Grid.js"
import { GridRepository } from "./GridRepository.js"
import * as Hierarchy from "./Hierarchy.js"
import { type HierarchyNotFound, HierarchyRepository } from "./HierarchyRepository.js"
import * as PointLocation from "./PointLocation.js"
import * as Routing from "./Routing.js"
import type { StorageUnavailable } from "./Storage.js"
import * as Tier from "./Tier.js"
import * as TimeOrderedId from "./TimeOrderedId.js"
import { UnitId } from "./Unit.js"

// -----------------------------------------------------------------------------
// settings
// -----------------------------------------------------------------------------

/**
 * 网格定位 — the grids and their point index, for reports located by grid or
 * by position.
 *
 * @since 0.1.0
 * @category models
 */
export interface GridLookup {
  readonly grids: ReadonlyArray<Grid>
  readonly gridIndex: PointLocation.GridIndex
}

/**
 * 案件配置 — what the use cases need besides the repositories: the category
 * catalogue and routing table reports are placed with, which hierarchy levels
 * hold the three tiers, the grids (read when a report needs them) and how new
 * case ids are made.
 *
 * @since 0.1.0
 * @category models
 */
export interface Config {
  readonly catalogue: CaseCategory.Catalogue
  readonly rules: ReadonlyArray<Routing.RoutingRule>
  readonly tierLevels: Routing.TierLevels
  /** The grids (reading them may find the store unavailable). */
  readonly grids: Effect.Effect<GridLookup, StorageUnavailable>
  /** New case ids (default `TimeOrderedId.uuidV7`: time-ordered, so new cases land at the end of the store's primary-key index). */
  readonly newCaseId: Effect.Effect<string>
  /**
   * 网格外兜底 — how a report whose position lies in no grid is placed
   * (`Routing.OutsideGrids`; default `Routing.defaultOutsideGrids`: the
   * nearest grid within 200 m, else the street's command centre). `Refuse`
   * keeps the strict rule (`outside-every-grid`).
   */
  readonly outsideGrids?: Routing.OutsideGrids
}

/**
 * 案件配置 — the settings of the use cases as a service.
 *
 * @since 0.1.0
 * @category tags
 */
export class Settings extends Context.Tag("@civicgrid/core/CaseService/Settings")<Settings, Config>() {}

const noGrids: GridLookup = { grids: [], gridIndex: PointLocation.make([]) }

/** The stored hierarchy, or none when none is stored; an unavailable store stays an error. */
const optionalHierarchy = <R>(
  load: Effect.Effect<Hierarchy.Hierarchy, HierarchyNotFound | StorageUnavailable, R>
): Effect.Effect<Option.Option<Hierarchy.Hierarchy>, StorageUnavailable, R> =>
  Effect.catchTag(Effect.asSome(load), "HierarchyNotFound", () => Effect.succeedNone)

/**
 * The default settings: the standard catalogue with the community-governance
 * categories (`CaseCategory.WithCommunityGovernance`), no routing rules, the
 * five-level scheme's tier levels, no grids, random UUIDs.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeConfig = (options: Partial<Config> = {}): Config => ({
  catalogue: options.catalogue ?? CaseCategory.WithCommunityGovernance,
  rules: options.rules ?? [],
  tierLevels: options.tierLevels ?? Routing.defaultTierLevels,
  grids: options.grids ?? Effect.succeed(noGrids),
  // time-ordered (UUID v7): new cases land at the end of a store's primary-key index
  newCaseId: options.newCaseId ?? TimeOrderedId.uuidV7,
  ...(options.outsideGrids === undefined ? {} : { outsideGrids: options.outsideGrids })
})

/**
 * The settings as a Layer (defaults as `makeConfig`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSettings = (options: Partial<Config> = {}): Layer.Layer<Settings> =>
  Layer.succeed(Settings, makeConfig(options))

/**
 * The settings with the grids read from the `GridRepository` (those within
 * the hierarchy's root, indexed once and reused for `timeToLive`, default 5
 * seconds — the bound on how stale routing may be after grids were redrawn),
 * unless `grids` is given.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSettingsFromRepositories = (
  options: Partial<Config> & { readonly timeToLive?: Duration.DurationInput } = {}
): Layer.Layer<Settings, never, GridRepository | HierarchyRepository> =>
  Layer.effect(
    Settings,
    Effect.gen(function* () {
      const { timeToLive, ...rest } = options
      if (rest.grids !== undefined) return makeConfig(rest)
      const gridStore = yield* GridRepository
      const hierarchies = yield* HierarchyRepository
      const read = Effect.gen(function* () {
        const hierarchy = yield* optionalHierarchy(hierarchies.load)
        if (Option.isNone(hierarchy)) return noGrids
        const grids = yield* gridStore
          .grids(Hierarchy.root(hierarchy.value).id)
          .pipe(Effect.catchTag("UnitNotFound", () => Effect.succeed([])))
        return { grids, gridIndex: PointLocation.make(grids) }
      }).pipe(Effect.withSpan("CaseService.loadGrids"))
      // a store that was unavailable is asked again next time (only answers are kept)
      const [cached, invalidate] = yield* Effect.cachedInvalidateWithTTL(
        read,
        timeToLive ?? Duration.seconds(5)
      )
      const grids = Effect.tapError(cached, () => invalidate)
      return makeConfig({ ...rest, grids })
    })
  )

// -----------------------------------------------------------------------------
// results
// -----------------------------------------------------------------------------

/**
 * The outcome of a use case: the state before, the new events (empty when an
 * idempotent report was replayed) and the case after them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Executed {
  readonly before: Case.State
  readonly events: ReadonlyArray<CaseEvent>
  readonly after: Case.Case
  /** An idempotent report that found its case already created. */
  readonly replayed: boolean
}

/**
 * 读取案件 — a case's current state, folded from its events.
 *
 * @since 0.1.0
 * @category queries
 */
export const load = (
  caseId: string
): Effect.Effect<Case.Case, CaseNotFound | StorageUnavailable, CaseRepository> =>
  Effect.flatMap(CaseRepository, (repo) => repo.events(caseId)).pipe(
    Effect.flatMap((events) => {
      const state = Case.fold(events)
      return state._tag === "Case" ? Effect.succeed(state) : Effect.fail(new CaseNotFound({ caseId }))
    })
  )

const refusal = (
  command: CaseCommand,
  state: Case.State,
  violations: ReadonlyArray<Case.Violation>
): Case.CaseRefused | undefined => {
  const [first, ...rest] = violations
  if (first === undefined) return undefined
  return new Case.CaseRefused({
    caseId: command.caseId,
    status: state._tag === "Case" ? state.status : "none",
    command: command._tag,
    role: command.actor.role,
    rule: first.rule,
    violations: [first, ...rest]
  })
}

/** Decides, adding the use case's own violations after the decider's. */
const decideWith = (
  command: CaseCommand,
  state: Case.State,
  extra: ReadonlyArray<Case.Violation>
): Effect.Effect<
  { readonly events: ReadonlyArray<CaseEvent>; readonly after: Case.Case },
  Case.CaseRefused
> => {
  const executed = Case.execute(state, command)
  const refused = refusal(
    command,
    state,
    Either.isLeft(executed) ? [...executed.left.violations, ...extra] : extra
  )
  if (refused !== undefined) return Effect.fail(refused)
  if (Either.isLeft(executed) || executed.right.state._tag !== "Case") {
    return Effect.dieMessage(`a decided ${command._tag} left no case ${command.caseId}`)
  }
  return Effect.succeed({ events: executed.right.events, after: executed.right.state })
}

// -----------------------------------------------------------------------------
// report
// -----------------------------------------------------------------------------

/**
 * 上报输入 — a report as an entry point receives it: who, when, what and
 * where. Everything else — the community, the starting tier and its owner
 * unit, the urgency, the default source — the use case derives.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportInput {
  /** 案件编号 — default: `Settings.newCaseId`. */
  readonly caseId?: string
  readonly actor: Actor
  readonly at: DateTime.Utc
  /** 来源 — default: the role's first source (`Case.defaultSourceOf`). */
  readonly source?: Case.Source
  /**
   * 本地来源 — the role table's local report source acting as `source` (both
   * from `RoleTable.reportSource`); recorded with the case.
   */
  readonly localSource?: Case.LocalSource
  /** 小类 — a minor class of the configured catalogue. */
  readonly categoryId: string
  /** 紧急程度 — default: the category's. */
  readonly urgency?: CaseCategory.Urgency
  readonly description: string
  /**
   * 发生地点 — a unit, a grid, a position (they must agree), a readable address
   * and the client's address identifier (Open311 `address_id`, kept verbatim).
   */
  readonly location: Routing.RouteLocation & { readonly address?: string; readonly addressId?: string }
  /** 起始层级 — a tier above the category's, asked by staff of that tier or above. */
  readonly tier?: Tier.Tier
  readonly contact?: Case.Contact
  readonly anonymous?: boolean
  readonly attributes?: Case.Attributes
  /**
   * 服务辖区 — the entry point serves only this unit's subtree (e.g. an Open311
   * endpoint's district): a location outside it is refused (`RoutingFailed`,
   * rule `outside-jurisdiction`).
   */
  readonly within?: string
  /** 自处理 — resolved on the spot by a grid worker, with the result and evidence. */
  readonly selfHandle?: { readonly result: string; readonly evidence: ReadonlyArray<string> }
  /** 公开精确位置 — the reporter agreed that the exact position and full address be published. */
  readonly publishExact?: boolean
  /**
   * 同意接收进度通知 — the reporter agreed to be told of status changes at their
   * contact phone (needs one; rule `notify-needs-contact`).
   */
  readonly notifyReporter?: boolean
  /** 附件 — media URLs (Open311 `media_url`; `Case.Media`: at most `Case.maxMedia` http(s) URLs). */
  readonly media?: ReadonlyArray<string>
}

const jurisdictionRoles: ReadonlySet<Actor["role"]> = new Set([
  "grid-worker",
  "community-staff",
  "street-staff",
  "district-staff",
  "department"
])

/** Whether two decoded values are equal: `Equal` values by `Equal.equals`, arrays and records field by field. */
const sameValue = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (Equal.isEqual(a) || Equal.isEqual(b)) return Equal.equals(a, b)
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => sameValue(item, b[i]))
    )
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false
  return differingFields(a, b).length === 0
}

/** The fields (of either record) whose values differ; absent and `undefined` are the same. */
const differingFields = (a: object, b: object): ReadonlyArray<string> => {
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const keys = new Set([...Object.keys(left), ...Object.keys(right)])
  return [...keys].filter((k) => !sameValue(left[k], right[k]))
}

/** Whether a record's field is `true` (not absent, not false). */
const isTrue = (record: object, field: string): boolean => (record as Record<string, unknown>)[field] === true

/**
 * The Report (or SelfHandle) command of a report input, once it is placed:
 * what the client sent (actor, source — the role's default when absent —,
 * description, anonymity, contact, attributes, publication consent, media, a
 * self-handling's result and evidence) with the placement the use case
 * decided (case id, time, category, urgency, location, community, tier,
 * owner). `report` and the idempotency comparison both build it here.
 */
const reportCommand = (
  input: ReportInput,
  placed: Pick<Report, "caseId" | "at" | "categoryId" | "urgency" | "location" | "communityId" | "tier"> & {
    readonly ownerUnitId?: UnitId
  }
): Report | SelfHandle => {
  const fields = {
    ...placed,
    actor: input.actor,
    source: input.source ?? Case.defaultSourceOf(input.actor.role) ?? "assigned",
    ...(input.localSource === undefined ? {} : { localSource: input.localSource }),
    description: input.description,
    anonymous: input.anonymous ?? false,
    ...(input.contact === undefined ? {} : { contact: input.contact }),
    ...(input.attributes === undefined ? {} : { attributes: input.attributes }),
    ...(input.publishExact === undefined ? {} : { publishExact: input.publishExact }),
    ...(input.notifyReporter === undefined ? {} : { notifyReporter: input.notifyReporter }),
    ...(input.media === undefined ? {} : { media: input.media })
  }
  return input.selfHandle === undefined
    ? { _tag: "Report", ...fields }
    : { _tag: "SelfHandle", ...fields, result: input.selfHandle.result, evidence: input.selfHandle.evidence }
}

/** Fields of the stored events that were not sent by the client (set by the server). */
const serverFields: ReadonlySet<string> = new Set(["caseId", "sequence", "at"])

/**
 * 幂等比对 — the fields in which a report differs from the report an
 * idempotency key created (`history`, the key's case): the input is decided
 * again as at the first time — the stored case id, time, community, tier and
 * owner (what routing and the server set), the location's unit and grid when
 * the input leaves them to routing — so the decider normalises it exactly as
 * it did then, and the events it gives are compared with the stored ones
 * field by field (everything the client sent: reporter, category,
 * description, urgency, source, location, contact, anonymity, attributes,
 * publication and notification consent, media, a self-handling's result and evidence). A tier asked
 * above the stored one differs too. Empty: the same report.
 */
const reportDifferences = (
  input: ReportInput,
  history: ReadonlyArray<CaseEvent>,
  catalogue: CaseCategory.Catalogue
): ReadonlyArray<string> => {
  const first = history[0]
  if (first === undefined || first._tag !== "Reported") return ["report"]
  const differences: Array<string> = []
  if (input.categoryId !== first.categoryId) differences.push("categoryId")
  if (input.tier !== undefined && Tier.rank(input.tier) > Tier.rank(first.tier)) differences.push("tier")
  const minor = CaseCategory.getMinor(catalogue, input.categoryId)
  const gridId = input.location.gridId ?? first.location.gridId
  const command = reportCommand(input, {
    caseId: first.caseId,
    at: first.at,
    categoryId: first.categoryId,
    urgency: input.urgency ?? (Option.isSome(minor) ? CaseCategory.urgencyOf(minor.value) : first.urgency),
    location: {
      unitId:
        input.location.unitId === undefined ? first.location.unitId : UnitId.make(input.location.unitId),
      ...(gridId === undefined ? {} : { gridId: GridId.make(gridId) }),
      ...(input.location.position === undefined ? {} : { position: input.location.position }),
      ...(input.location.address === undefined ? {} : { address: input.location.address }),
      ...(input.location.addressId === undefined ? {} : { addressId: input.location.addressId })
    },
    communityId: first.communityId,
    tier: first.tier,
    ...(first.ownerUnitId === undefined ? {} : { ownerUnitId: first.ownerUnitId })
  })
  const decided = Case.execute(Case.initial, command)
  if (Either.isLeft(decided)) return [...differences, decided.left.rule]
  decided.right.events.forEach((event, i) => {
    const stored = history[i]
    if (stored === undefined || stored._tag !== event._tag) {
      differences.push(input.selfHandle === undefined ? "report" : "selfHandle")
      return
    }
    for (const field of differingFields(event, stored)) {
      if (serverFields.has(field)) continue
      // consent absent is consent refused
      if (
        (field === "publishExact" || field === "notifyReporter") &&
        !isTrue(event, field) &&
        !isTrue(stored, field)
      )
        continue
      differences.push(field)
    }
  })
  // a report that was self-handled differs from one that was not
  if (input.selfHandle === undefined && history[1]?._tag === "SelfHandled") differences.push("selfHandle")
  return [...new Set(differences)]
}

/**
 * The answer to a report whose idempotency key is already used: the key's
 * case when the report is the same, else `CaseRefused` (`idempotency-key-reused`).
 */
const replay = (
  input: ReportInput,
  key: string,
  caseId: Case.CaseId,
  settings: Config
): Effect.Effect<Executed, Case.CaseRefused | StorageUnavailable, CaseRepository> =>
  Effect.gen(function* () {
    const history = yield* Effect.flatMap(CaseRepository, (repo) => repo.events(caseId))
    const state = Case.fold(history)
    if (state._tag !== "Case") {
      return yield* Effect.dieMessage(`idempotency key ${key} names case ${caseId}, which has no events`)
    }
    const differences = reportDifferences(input, history, settings.catalogue)
    if (differences.length > 0) {
      const rule = "idempotency-key-reused" as const
      return yield* new Case.CaseRefused({
        caseId: state.id,
        status: state.status,
        command: input.selfHandle === undefined ? "Report" : "SelfHandle",
        role: input.actor.role,
        rule,
        violations: [
          {
            rule,
            message: `幂等键已用于另一份上报 this idempotency key was used for case ${state.id}, reported with other values (${differences.join(", ")}); send a new key for a new report, or the same report to get case ${state.id} again`
          }
        ]
      })
    }
    return { before: state, events: [], after: state, replayed: true }
  })

/**
 * 采集上报 — reports a case (or self-handles it): route, check, decide,
 * append. Fails with `RoutingFailed` when the report cannot be placed,
 * `CaseRefused` naming every rule broken, `ConcurrencyConflict` when the case
 * id is taken, `StorageUnavailable` when the store cannot serve now. With an
 * idempotency key already used, the same report returns the key's case
 * (`replayed`); a report that differs in anything the client sent is refused
 * (`CaseRefused`, rule `idempotency-key-reused`, naming the fields).
 *
 * @since 0.1.0
 * @category use cases
 */
export const report = (
  input: ReportInput,
  options: { readonly idempotencyKey?: string } = {}
): Effect.Effect<
  Executed,
  Routing.RoutingFailed | Case.CaseRefused | ConcurrencyConflict | StorageUnavailable,
  CaseRepository | HierarchyRepository | Settings
> =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository
    const settings = yield* Settings
    const key = options.idempotencyKey
    // A used key is found by the append, which claims it in its own transaction (no read before it);
    // a report that cannot be decided now is answered by the key's case when the key is used.
    const fresh = yield* Effect.either(decideReport(input, settings))
    if (Either.isLeft(fresh)) {
      const failure = fresh.left
      if (key === undefined || failure._tag === "StorageUnavailable") return yield* Effect.fail(failure)
      const existing = yield* repo.findByIdempotencyKey(key)
      if (Option.isSome(existing)) return yield* replay(input, key, existing.value, settings)
      return yield* Effect.fail(failure)
    }
    const { caseId, decided } = fresh.right
    const result = yield* repo.append({
      caseId,
      expectedVersion: 0,
      events: decided.events,
      decided: { history: [], after: decided.after },
      ...(key === undefined ? {} : { idempotencyKey: key })
    })
    if (result.replayed) return yield* replay(input, key ?? "", result.caseId, settings)
    return { before: Case.initial, events: decided.events, after: decided.after, replayed: false }
  }).pipe(Effect.withSpan("CaseService.report", { attributes: { "civicgrid.category": input.categoryId } }))

/** A new report placed and decided (no store write): the case id and the decision. */
const decideReport = (
  input: ReportInput,
  settings: Config
): Effect.Effect<
  {
    readonly caseId: Case.CaseId
    readonly decided: { readonly events: ReadonlyArray<CaseEvent>; readonly after: Case.Case }
  },
  Routing.RoutingFailed | Case.CaseRefused | StorageUnavailable,
  HierarchyRepository
> =>
  Effect.gen(function* () {
    const hierarchy = yield* Effect.flatMap(HierarchyRepository, (h) => h.load).pipe(
      Effect.catchTag("HierarchyNotFound", () =>
        Effect.fail(
          new Routing.RoutingFailed({
            field: "location",
            rule: "unknown-unit",
            detail: "no hierarchy is stored: load the units first"
          })
        )
      )
    )
    const needsGrids = input.location.gridId !== undefined || input.location.position !== undefined
    const grids = needsGrids ? yield* settings.grids : noGrids
    const route = yield* Routing.route(
      {
        hierarchy,
        catalogue: settings.catalogue,
        rules: settings.rules,
        grids: grids.grids,
        gridIndex: grids.gridIndex,
        tierLevels: settings.tierLevels,
        ...(settings.outsideGrids === undefined ? {} : { outsideGrids: settings.outsideGrids }),
        // a point in no grid falls back to a grid or tier unit within the entry point's jurisdiction
        ...(input.within === undefined ? {} : { within: input.within })
      },
      { categoryId: input.categoryId, location: input.location }
    )

    if (input.within !== undefined && !Hierarchy.isWithin(hierarchy, route.communityId, input.within)) {
      return yield* new Routing.RoutingFailed({
        field: "location",
        rule: "outside-jurisdiction",
        detail: `不在本辖区 community "${route.communityId}" lies outside "${input.within}"`
      })
    }
    const actor = input.actor
    const extra: Array<Case.Violation> = []
    // 起始层级: the category's, or higher when staff of that tier (or above) asks for it
    let tier = route.tier
    if (input.tier !== undefined && Tier.rank(input.tier) > Tier.rank(route.tier)) {
      const own = staffTier(actor.role)
      if (Option.isSome(own) && Tier.rank(own.value) >= Tier.rank(input.tier)) tier = input.tier
      else {
        extra.push({
          rule: "start-tier",
          message: `起始层级不符 category ${route.category.id} starts at the ${route.tier} tier; only ${input.tier}-tier staff (or above) may start a case at the ${input.tier} tier, not role ${actor.role}`
        })
      }
    }
    // the route already found the owner of the category's tier; a raised tier looks its owner up
    const owner =
      tier === route.tier
        ? Option.some(route.ownerUnitId)
        : Routing.tierUnitOf(hierarchy, route.communityId, tier, settings.tierLevels)
    if (Option.isNone(owner)) {
      return yield* new Routing.RoutingFailed({
        field: "location",
        rule: "no-tier-unit",
        detail: `community "${route.communityId}" lies in no unit of level "${settings.tierLevels[tier]}" (tier ${tier})`
      })
    }
    if (jurisdictionRoles.has(actor.role) && !Hierarchy.isWithin(hierarchy, route.unitId, actor.unitId)) {
      extra.push({
        rule: "jurisdiction",
        message: `不在辖区内 ${actor.role} ${actor.id} acts for ${actor.unitId}; unit ${route.unitId} lies outside its jurisdiction`
      })
    }
    const location: Case.Location = {
      unitId: route.unitId,
      ...(Option.isSome(route.gridId) ? { gridId: route.gridId.value } : {}),
      ...(input.location.position === undefined ? {} : { position: input.location.position }),
      ...(input.location.address === undefined ? {} : { address: input.location.address }),
      ...(input.location.addressId === undefined ? {} : { addressId: input.location.addressId })
    }
    const caseId = Case.CaseId.make(input.caseId ?? (yield* settings.newCaseId))
    const command = reportCommand(input, {
      caseId,
      at: input.at,
      categoryId: route.category.id,
      urgency: input.urgency ?? CaseCategory.urgencyOf(route.category),
      location,
      communityId: route.communityId,
      tier,
      ...(tier === "community" ? {} : { ownerUnitId: owner.value })
    })
    const decided = yield* decideWith(command, Case.initial, extra)
    return { caseId, decided }
  })

// -----------------------------------------------------------------------------
// execute
// -----------------------------------------------------------------------------

/**
 * 指令上下文 — what a command is built against: the stored case, the
 * hierarchy (none when no hierarchy is stored), and the unit the case would
 * escalate to (the next tier's unit above its community; none at the
 * district).
 *
 * @since 0.1.0
 * @category models
 */
export interface CommandContext {
  readonly state: Case.Case
  readonly hierarchy: Option.Option<Hierarchy.Hierarchy>
  readonly escalationTarget: Option.Option<UnitId>
}

/** Guards and violations of the referential rules of one command. */
interface References {
  readonly violations: ReadonlyArray<Case.Violation>
  readonly guards: ReadonlyArray<AppendInput>
}

const noReferences: References = { violations: [], guards: [] }

const checkReferences = (
  command: CaseCommand,
  ctx: CommandContext
): Effect.Effect<References, StorageUnavailable, CaseRepository | DepartmentRepository> =>
  Effect.gen(function* () {
    const { hierarchy, state } = ctx
    switch (command._tag) {
      case "Dispatch": {
        const target = command.target
        if (target._tag === "Unit") {
          const h = Option.getOrUndefined(hierarchy)
          if (h === undefined || !Hierarchy.has(h, target.unitId)) {
            return {
              violations: [
                { rule: "unknown-unit", message: `单元不存在 no unit ${target.unitId} in the hierarchy` }
              ],
              guards: []
            }
          }
          // the handling unit lies within the owner's jurisdiction and is responsible for where the case
          // happened (the location lies within it), so its staff see the case they are to handle
          const where = Hierarchy.has(h, state.location.unitId) ? state.location.unitId : state.communityId
          if (
            !Hierarchy.isWithin(h, target.unitId, state.ownerUnitId) ||
            !Hierarchy.isWithin(h, where, target.unitId)
          ) {
            return {
              violations: [
                {
                  rule: "dispatch-jurisdiction",
                  message: `派遣对象不负责该地点 unit ${target.unitId} must lie within the owner unit ${state.ownerUnitId}'s jurisdiction and contain where the case happened (${where})`
                }
              ],
              guards: []
            }
          }
          return noReferences
        }
        const department = yield* Effect.flatMap(DepartmentRepository, (d) => d.get(target.departmentId))
        if (Option.isNone(department)) {
          return {
            violations: [
              {
                rule: "unknown-department",
                message: `部门未登记 department ${target.departmentId} is not registered`
              }
            ],
            guards: []
          }
        }
        const serves = Option.match(hierarchy, {
          onNone: () => false,
          onSome: (h) => Hierarchy.isWithin(h, state.communityId, department.value.jurisdiction)
        })
        return serves
          ? noReferences
          : {
              violations: [
                {
                  rule: "dispatch-jurisdiction",
                  message: `部门不负责该辖区 department ${target.departmentId} serves ${department.value.jurisdiction}; community ${state.communityId} lies outside it`
                }
              ],
              guards: []
            }
      }
      case "Escalate": {
        if (state.tier === "district") return noReferences // the decider refuses: nothing lies above
        return Option.match(ctx.escalationTarget, {
          onNone: () => ({
            violations: [
              {
                rule: "escalation-target" as const,
                message: `无上级层级单元 no unit of the ${Option.getOrElse(Tier.next(state.tier), () => state.tier)} tier lies above community ${state.communityId}`
              }
            ],
            guards: []
          }),
          onSome: (unitId) =>
            unitId === command.toUnitId
              ? noReferences
              : {
                  violations: [
                    {
                      rule: "escalation-target" as const,
                      message: `上报对象不符 case ${state.id} escalates to ${unitId}, the next tier's unit above community ${state.communityId}, not to ${command.toUnitId}`
                    }
                  ],
                  guards: []
                }
        })
      }
      case "Merge": {
        if (command.targetId === state.id) return noReferences // the decider refuses: merge-into-self
        const events = yield* Effect.flatMap(CaseRepository, (r) => r.events(command.targetId))
        const target = Case.fold(events)
        if (target._tag !== "Case") {
          return {
            violations: [
              { rule: "merge-target", message: `合并目标不存在 no case ${command.targetId} to merge into` }
            ],
            guards: []
          }
        }
        if (!Case.isOpen(target.status)) {
          return {
            violations: [
              {
                rule: "merge-target",
                message: `合并目标已办结或已合并 case ${target.id} is ${target.status} (${Case.statusNames[target.status]}); a case merges only into an open case`
              }
            ],
            guards: []
          }
        }
        // hold the target's version: a concurrent merge of the target (into this case) cannot also win
        return {
          violations: [],
          guards: [{ caseId: target.id, expectedVersion: target.version, events: [] }]
        }
      }
      default:
        return noReferences
    }
  })

/**
 * 执行指令 — runs one command on an existing case: `build` makes it from the
 * stored case (and may fail, e.g. when the caller may not see the case), the
 * referential rules and the decider check it, the events are appended after
 * the version read (held by `expectedVersion` when given).
 *
 * @since 0.1.0
 * @category use cases
 */
export const execute = <E = never, R = never>(
  caseId: string,
  build: (ctx: CommandContext) => CaseCommand | Effect.Effect<CaseCommand, E, R>,
  options: { readonly expectedVersion?: number } = {}
): Effect.Effect<
  Executed,
  E | Case.CaseRefused | ConcurrencyConflict | CaseNotFound | StorageUnavailable,
  R | CaseRepository | HierarchyRepository | DepartmentRepository | Settings
> =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository
    const settings = yield* Settings
    const history = yield* repo.events(caseId)
    const before = Case.fold(history)
    if (before._tag !== "Case") return yield* new CaseNotFound({ caseId })
    const hierarchy = yield* optionalHierarchy(Effect.flatMap(HierarchyRepository, (h) => h.load))
    const escalationTarget = Option.flatMap(hierarchy, (h) =>
      Option.map(
        Routing.escalationTarget(h, before.communityId, before.tier, settings.tierLevels),
        (t) => t.unitId
      )
    )
    const ctx: CommandContext = { state: before, hierarchy, escalationTarget }
    const built = build(ctx)
    const command: CaseCommand = Effect.isEffect(built) ? yield* built : built
    if (options.expectedVersion !== undefined && options.expectedVersion !== before.version) {
      return yield* new ConcurrencyConflict({
        caseId: before.id,
        expectedVersion: options.expectedVersion,
        actualVersion: before.version
      })
    }
    const references = yield* checkReferences(command, ctx)
    const decided = yield* decideWith(command, before, references.violations)
    yield* repo.appendAll([
      {
        caseId: before.id,
        expectedVersion: before.version,
        events: decided.events,
        decided: { history, after: decided.after }
      },
      ...references.guards
    ])
    return { before, events: decided.events, after: decided.after, replayed: false }
  }).pipe(Effect.withSpan("CaseService.execute", { attributes: { "civicgrid.case": caseId } }))
