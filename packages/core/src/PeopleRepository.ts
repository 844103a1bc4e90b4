/**
 * 联户走访仓库 — the port through which the people of issue 19 are stored:
 * households 户, residents 居民, key-group enrolments 重点人群登记, contacts 联户
 * and their links, visit plans 走访计划, visits 入户走访, proxy services 网格代办
 * and the append-only access log 访问日志. The core declares it;
 * `@civicgrid/sql` implements it (`SqlPeopleRepository`, ID numbers and phones
 * encrypted at rest) and `layerMemory` keeps it in memory on top of a
 * `HierarchyRepository`.
 *
 * - Households, residents, enrolments, contacts, links and plans are
 *   **upserted** (by id; links by contact and household). A write is checked
 *   by the core (`Household.validate`, `KeyGroup.validateEnrolments`) plus the
 *   references only a store can see (`checkUnits`, `checkHouseholds`,
 *   `checkContacts`), and refused whole: nothing is written.
 * - Visits are **recorded once** (`VisitExists` for an id already stored).
 * - Proxy services are an **event stream** (`ProxyService` is a decider):
 *   events are appended after the version the writer last saw
 *   (`checkServiceAppend`); a concurrent writer gets
 *   `ServiceConcurrencyConflict`, never a lost or doubled event.
 * - Lists are read **by jurisdiction** (`within`: the household's unit —
 *   `Household.unitOf` —, a contact's or service's community).
 * - **Residents are never listed.** People leave the store only through
 *   `readMembers`, which applies `KeyGroupAccess.read` — the jurisdiction,
 *   the grants, the purpose, the masking — and appends its `AccessLogEntry`
 *   (who, what, when, why) to the access log in the same transaction, for
 *   refused reads too. Roles without a grant get counts, never people.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { Actor } from "./Actor.js"
import { CaseRepository } from "./CaseRepository.js"
import * as ContactDuty from "./ContactDuty.js"
import type { Grid } from "./Grid.js"
import { GridRepository } from "./GridRepository.js"
import type * as Hierarchy from "./Hierarchy.js"
import type { HierarchyNotFound, HierarchyRepository } from "./HierarchyRepository.js"
import * as Household from "./Household.js"
import * as internal from "./internal/memoryPeople.js"
import * as KeyGroup from "./KeyGroup.js"
import * as KeyGroupAccess from "./KeyGroupAccess.js"
import * as Period from "./Period.js"
import * as ProxyService from "./ProxyService.js"
import type * as Ratio from "./Ratio.js"
import type * as Resident from "./Resident.js"
import type { StorageUnavailable } from "./Storage.js"
import { UnitId } from "./Unit.js"
import * as Visit from "./Visit.js"
import * as VisitMetrics from "./VisitMetrics.js"
import * as VisitPlan from "./VisitPlan.js"
import type * as WorkingCalendar from "./WorkingCalendar.js"
import type { LocalDate } from "./WorkingCalendar.js"

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 户不存在 — a write names a household the store does not have.
 *
 * @since 0.1.0
 * @category errors
 */
export class HouseholdNotFound extends Schema.TaggedError<HouseholdNotFound>()("HouseholdNotFound", {
  householdId: Schema.String
}) {
  override get message(): string {
    return `户不存在 household not found: "${this.householdId}"`
  }
}

/**
 * 联系人不存在 — a link or plan names a contact the store does not have.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContactNotFound extends Schema.TaggedError<ContactNotFound>()("ContactNotFound", {
  contactId: Schema.String
}) {
  override get message(): string {
    return `联系人不存在 contact not found: "${this.contactId}"`
  }
}

/**
 * 走访已登记 — a visit with this id is already recorded (visits are never rewritten).
 *
 * @since 0.1.0
 * @category errors
 */
export class VisitExists extends Schema.TaggedError<VisitExists>()("VisitExists", {
  visitId: Schema.String
}) {
  override get message(): string {
    return `走访 ${this.visitId} 已登记 — visit "${this.visitId}" is already recorded`
  }
}

/**
 * 走访不存在 — a proxy service names a visit the store does not have for its household.
 *
 * @since 0.1.0
 * @category errors
 */
export class VisitNotFound extends Schema.TaggedError<VisitNotFound>()("VisitNotFound", {
  visitId: Schema.String,
  householdId: Schema.String
}) {
  override get message(): string {
    return `走访不存在 visit not found: "${this.visitId}" of household "${this.householdId}"`
  }
}

/**
 * 代办并发冲突 — another writer appended to the service first:
 * `expectedVersion` is not the service's current version. Reload, decide again, retry.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceConcurrencyConflict extends Schema.TaggedError<ServiceConcurrencyConflict>()(
  "ServiceConcurrencyConflict",
  {
    serviceId: Schema.String,
    expectedVersion: Schema.Int,
    actualVersion: Schema.Int
  }
) {
  override get message(): string {
    return `并发冲突 concurrency conflict on proxy service ${this.serviceId}: expected version ${this.expectedVersion}, the service is at ${this.actualVersion}; reload and retry`
  }
}

/**
 * 代办不存在 — no proxy service has this id.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceNotFound extends Schema.TaggedError<ServiceNotFound>()("ServiceNotFound", {
  serviceId: Schema.String
}) {
  override get message(): string {
    return `代办不存在 proxy service not found: "${this.serviceId}"`
  }
}

// ---------------------------------------------------------------------------
// validation (shared by every implementation)
// ---------------------------------------------------------------------------

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const firstMissing = (ids: Iterable<string>, known: ReadonlySet<string>): string | undefined =>
  [...new Set(ids)].filter((id) => !known.has(id)).sort(compare)[0]

/**
 * The units a household batch names: each household's community and its own
 * unit or building.
 *
 * @since 0.1.0
 * @category utils
 */
export const householdUnits = (households: ReadonlyArray<Household.Household>): ReadonlyArray<string> =>
  [...new Set(households.flatMap((h) => [h.communityId, Household.unitOf(h)]))].sort(compare)

/**
 * 单元引用校验 — the first (in id order) of `ids` the hierarchy does not have, as `UnitNotFound`.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkUnits = (
  ids: Iterable<string>,
  known: ReadonlySet<string>,
  notFound: (unitId: string) => Hierarchy.UnitNotFound
): Either.Either<void, Hierarchy.UnitNotFound> => {
  const missing = firstMissing(ids, known)
  return missing === undefined ? Either.void : Either.left(notFound(missing))
}

/**
 * 户引用校验 — the first (in id order) of `ids` not stored, as `HouseholdNotFound`.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkHouseholds = (
  ids: Iterable<string>,
  known: ReadonlySet<string>
): Either.Either<void, HouseholdNotFound> => {
  const missing = firstMissing(ids, known)
  return missing === undefined ? Either.void : Either.left(new HouseholdNotFound({ householdId: missing }))
}

/**
 * 联系人引用校验 — the first (in id order) of `ids` not stored, as `ContactNotFound`.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkContacts = (
  ids: Iterable<string>,
  known: ReadonlySet<string>
): Either.Either<void, ContactNotFound> => {
  const missing = firstMissing(ids, known)
  return missing === undefined ? Either.void : Either.left(new ContactNotFound({ contactId: missing }))
}

/**
 * 走访编号校验 — the first (in id order) visit id already stored (`stored`) or
 * repeated in the batch, as `VisitExists`.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkVisitIds = (
  visits: ReadonlyArray<{ readonly id: string }>,
  stored: ReadonlySet<string>
): Either.Either<void, VisitExists> => {
  const counts = new Map<string, number>()
  for (const v of visits) counts.set(v.id, (counts.get(v.id) ?? 0) + 1)
  const [first] = [...counts]
    .filter(([id, n]) => n > 1 || stored.has(id))
    .map(([id]) => id)
    .sort(compare)
  return first === undefined ? Either.void : Either.left(new VisitExists({ visitId: first }))
}

/**
 * 户写入校验 — `Household.check` over the stored households at the batch's
 * units (those the batch does not replace) followed by the batch — so a
 * household at a stored household's place is `duplicate-place` —, only the
 * batch's problems reported; then the batch's units.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkHouseholdWrite = (
  households: ReadonlyArray<Household.Household>,
  knownUnits: ReadonlySet<string>,
  notFound: (unitId: string) => Hierarchy.UnitNotFound,
  stored: ReadonlyArray<Household.Household> = []
): Either.Either<void, Household.HouseholdsInvalid | Hierarchy.UnitNotFound> => {
  const written = new Set<string>(households.map((h) => h.id))
  const kept = [...stored].filter((h) => !written.has(h.id)).sort((a, b) => compare(a.id, b.id))
  const [first, ...rest] = Household.check([...kept, ...households]).filter((v) => written.has(v.householdId))
  return first === undefined
    ? checkUnits(householdUnits(households), knownUnits, notFound)
    : Either.left(new Household.HouseholdsInvalid({ violations: [first, ...rest] }))
}

/**
 * 登记写入校验 — `KeyGroup.checkEnrolments` over the stored enrolments of the
 * batch's households (those the batch does not replace) followed by the
 * batch, with the stored households: an unknown household is the violation
 * `unknown-household`, and an enrolment overlapping a stored one of the same
 * person and category is `overlap`. Only the batch's enrolments are reported.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkEnrolmentWrite = (
  catalogue: KeyGroup.Catalogue,
  enrolments: ReadonlyArray<KeyGroup.Enrolment>,
  knownHouseholds: ReadonlySet<string>,
  stored: ReadonlyArray<KeyGroup.Enrolment> = []
): Either.Either<void, KeyGroup.EnrolmentsInvalid> => {
  const written = new Set<string>(enrolments.map((e) => e.id))
  const kept = [...stored].filter((e) => !written.has(e.id)).sort((a, b) => compare(a.id, b.id))
  const households = [...kept, ...enrolments]
    .map((e) => e.householdId)
    .filter((id) => knownHouseholds.has(id))
  const [first, ...rest] = KeyGroup.checkEnrolments(catalogue, [...kept, ...enrolments], households).filter(
    (v) => written.has(v.enrolmentId)
  )
  return first === undefined
    ? Either.void
    : Either.left(new KeyGroup.EnrolmentsInvalid({ violations: [first, ...rest] }))
}

/**
 * 代办追加校验 — what an append leads to, or why it is refused: the writer's
 * `expectedVersion` must be the stored version (else
 * `ServiceConcurrencyConflict`), and the stored history followed by the new
 * events must replay (`ProxyService.replay`, else `ProxyServiceReplayError` —
 * which also catches another service's event); an accepted service's
 * community must be a known unit.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkServiceAppend = (input: {
  readonly serviceId: string
  readonly expectedVersion: number
  readonly stored: ReadonlyArray<ProxyService.ProxyServiceEvent>
  readonly events: ReadonlyArray<ProxyService.ProxyServiceEvent>
  readonly units: ReadonlySet<string>
  readonly notFound: (unitId: string) => Hierarchy.UnitNotFound
}): Either.Either<
  { readonly state: ProxyService.State; readonly version: number },
  ServiceConcurrencyConflict | ProxyService.ProxyServiceReplayError | Hierarchy.UnitNotFound
> => {
  const actual = input.stored.length
  if (input.expectedVersion !== actual)
    return Either.left(
      new ServiceConcurrencyConflict({
        serviceId: input.serviceId,
        expectedVersion: input.expectedVersion,
        actualVersion: actual
      })
    )
  const foreign = input.events.findIndex((e) => e.serviceId !== input.serviceId)
  const event = input.events[foreign]
  if (event !== undefined)
    return Either.left(
      new ProxyService.ProxyServiceReplayError({
        serviceId: ProxyService.ServiceId.make(input.serviceId, { disableValidation: true }),
        index: actual + foreign,
        sequence: event.sequence,
        expected: actual + foreign + 1
      })
    )
  return Either.flatMap(ProxyService.replay([...input.stored, ...input.events]), (state) =>
    Either.map(
      checkUnits(
        input.events.flatMap((e) => (e._tag === "Accepted" ? [e.communityId] : [])),
        input.units,
        input.notFound
      ),
      () => ({ state, version: state.version })
    )
  )
}

// ---------------------------------------------------------------------------
// settings and queries
// ---------------------------------------------------------------------------

/**
 * 设置 — the key-group categories in force, the access policy and the
 * contact-duty rules 联户规则 (`KeyGroup.defaultCatalogue`,
 * `KeyGroupAccess.defaultPolicy`, `ContactDuty.defaultRules` by default).
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  readonly catalogue?: KeyGroup.Catalogue
  readonly policy?: KeyGroupAccess.AccessPolicy
  readonly contactRules?: ContactDuty.Rules
}

/**
 * 生效设置 — the settings a store was built with, defaults filled in.
 *
 * @since 0.1.0
 * @category models
 */
export interface SettingsInForce {
  readonly catalogue: KeyGroup.Catalogue
  readonly policy: KeyGroupAccess.AccessPolicy
  readonly contactRules: ContactDuty.Rules
}

/**
 * The settings with their defaults filled in.
 *
 * @since 0.1.0
 * @category utils
 */
export const settingsOf = (settings: Settings = {}): SettingsInForce => ({
  catalogue: settings.catalogue ?? KeyGroup.defaultCatalogue,
  policy: settings.policy ?? KeyGroupAccess.defaultPolicy,
  contactRules: settings.contactRules ?? ContactDuty.defaultRules
})

/**
 * 辖区查询 — `within` a unit's jurisdiction (a household's unit, a contact's
 * or a service's community).
 *
 * @since 0.1.0
 * @category models
 */
export interface Within {
  readonly within?: string
}

/**
 * 联户查询 — links within a jurisdiction (by the household's unit), of a contact.
 *
 * @since 0.1.0
 * @category models
 */
export interface LinkQuery extends Within {
  readonly contactId?: string
}

/**
 * 计划查询 — plans within a jurisdiction (by the household's unit), of a contact.
 *
 * @since 0.1.0
 * @category models
 */
export interface PlanQuery extends Within {
  readonly contactId?: string
}

/**
 * 走访查询 — visits within a jurisdiction (by the household's unit), of a
 * household, with an id (at most one).
 *
 * @since 0.1.0
 * @category models
 */
export interface VisitQuery extends Within {
  readonly householdId?: string
  readonly visitId?: string
}

/**
 * 代办查询 — services within a jurisdiction (their community), by status.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServiceQuery extends Within {
  readonly status?: ReadonlyArray<ProxyService.Status>
}

/**
 * 名单查询上下文 — the date enrolments are read at, the instant and id of the access-log entry.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadContext {
  readonly date: LocalDate
  readonly at: DateTime.Utc
  readonly logId: KeyGroupAccess.AccessLogId
}

/**
 * What an append returns: the service and its version after the append.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServiceAppended {
  readonly serviceId: string
  readonly version: number
}

/**
 * The order lists come back in: by id.
 *
 * @since 0.1.0
 * @category utils
 */
export const byId = <A extends { readonly id: string }>(items: Iterable<A>): ReadonlyArray<A> =>
  [...items].sort((a, b) => compare(a.id, b.id))

/**
 * The order links come back in: by contact, then household.
 *
 * @since 0.1.0
 * @category utils
 */
export const orderLinks = (links: Iterable<ContactDuty.Link>): ReadonlyArray<ContactDuty.Link> =>
  [...links].sort((a, b) => compare(a.contactId, b.contactId) || compare(a.householdId, b.householdId))

/**
 * The order the access log comes back in: by instant, then id.
 *
 * @since 0.1.0
 * @category utils
 */
export const orderLog = (
  entries: Iterable<KeyGroupAccess.AccessLogEntry>
): ReadonlyArray<KeyGroupAccess.AccessLogEntry> =>
  [...entries].sort((a, b) => a.at.epochMillis - b.at.epochMillis || compare(a.id, b.id))

/**
 * The key of a link (contact and household).
 *
 * @since 0.1.0
 * @category utils
 */
export const linkKey = (link: ContactDuty.Link): string => `${link.contactId}\u0000${link.householdId}`

/**
 * The items of a batch, the last of each id (what an upsert keeps).
 *
 * @since 0.1.0
 * @category utils
 */
export const lastById = <A extends { readonly id: string }>(items: ReadonlyArray<A>): ReadonlyArray<A> =>
  Arr.fromIterable(new Map(items.map((i) => [i.id, i] as const)).values())

/**
 * The links of a batch, the last of each contact and household.
 *
 * @since 0.1.0
 * @category utils
 */
export const lastLinks = (links: ReadonlyArray<ContactDuty.Link>): ReadonlyArray<ContactDuty.Link> =>
  Arr.fromIterable(new Map(links.map((l) => [linkKey(l), l] as const)).values())

// ---------------------------------------------------------------------------
// port
// ---------------------------------------------------------------------------

/**
 * 联户走访仓库 — the people store port (see the module notes).
 *
 * @since 0.1.0
 * @category tags
 */
export class PeopleRepository extends Context.Tag("@civicgrid/core/PeopleRepository")<
  PeopleRepository,
  {
    /**
     * 生效设置 — the catalogue, access policy and contact-duty rules the store
     * was built with: member reads apply them, and the use cases that judge
     * the same people (`contactDuties`) read them here.
     */
    readonly settings: SettingsInForce
    /** Upserts households by id (`checkHouseholdWrite`). */
    readonly putHouseholds: (
      households: ReadonlyArray<Household.Household>
    ) => Effect.Effect<void, Household.HouseholdsInvalid | Hierarchy.UnitNotFound | StorageUnavailable>
    readonly households: (
      query?: Within
    ) => Effect.Effect<ReadonlyArray<Household.Household>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts residents by id; their households must be stored. Never read back except by `readMembers`. */
    readonly putResidents: (
      residents: ReadonlyArray<Resident.Resident>
    ) => Effect.Effect<void, HouseholdNotFound | StorageUnavailable>
    /** Upserts enrolments by id (`checkEnrolmentWrite` with the settings' catalogue and the stored enrolments of the same households). */
    readonly putEnrolments: (
      enrolments: ReadonlyArray<KeyGroup.Enrolment>
    ) => Effect.Effect<void, KeyGroup.EnrolmentsInvalid | StorageUnavailable>
    /**
     * 重点户 — the households within the jurisdiction (by their unit) with an
     * enrolment in force on `date` (`KeyGroup.keyHouseholds`), by id: household
     * ids only — no person, no category — for the contact-duty check.
     */
    readonly keyHouseholds: (
      query: Within & { readonly date: LocalDate }
    ) => Effect.Effect<ReadonlyArray<Household.HouseholdId>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts contacts by id; their communities must be units. */
    readonly putContacts: (
      contacts: ReadonlyArray<ContactDuty.Contact>
    ) => Effect.Effect<void, Hierarchy.UnitNotFound | StorageUnavailable>
    readonly contacts: (
      query?: Within
    ) => Effect.Effect<ReadonlyArray<ContactDuty.Contact>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts links by contact and household; both must be stored. */
    readonly putLinks: (
      links: ReadonlyArray<ContactDuty.Link>
    ) => Effect.Effect<void, ContactNotFound | HouseholdNotFound | StorageUnavailable>
    readonly links: (
      query?: LinkQuery
    ) => Effect.Effect<ReadonlyArray<ContactDuty.Link>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts plans by id; the household (and a named contact) must be stored. */
    readonly putPlans: (
      plans: ReadonlyArray<VisitPlan.VisitPlan>
    ) => Effect.Effect<void, HouseholdNotFound | ContactNotFound | StorageUnavailable>
    readonly plans: (
      query?: PlanQuery
    ) => Effect.Effect<ReadonlyArray<VisitPlan.VisitPlan>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Records visits (checked by `Visit.record` before); an id already stored is `VisitExists`, nothing written. */
    readonly recordVisits: (
      visits: ReadonlyArray<Visit.Visit>
    ) => Effect.Effect<void, VisitExists | HouseholdNotFound | StorageUnavailable>
    readonly visits: (
      query?: VisitQuery
    ) => Effect.Effect<ReadonlyArray<Visit.Visit>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Appends a service's events after `expectedVersion` (0 for a new one), atomically with its state. */
    readonly appendServiceEvents: (input: {
      readonly serviceId: string
      readonly expectedVersion: number
      readonly events: ReadonlyArray<ProxyService.ProxyServiceEvent>
    }) => Effect.Effect<
      ServiceAppended,
      | ServiceConcurrencyConflict
      | ProxyService.ProxyServiceReplayError
      | Hierarchy.UnitNotFound
      | StorageUnavailable
    >
    /** A service's events in sequence order (empty for an unknown service). */
    readonly serviceEvents: (
      serviceId: string
    ) => Effect.Effect<ReadonlyArray<ProxyService.ProxyServiceEvent>, StorageUnavailable>
    readonly service: (
      serviceId: string
    ) => Effect.Effect<ProxyService.ProxyService, ServiceNotFound | StorageUnavailable>
    readonly services: (
      query?: ServiceQuery
    ) => Effect.Effect<ReadonlyArray<ProxyService.ProxyService>, Hierarchy.UnitNotFound | StorageUnavailable>
    /**
     * 名单查询 — `KeyGroupAccess.read` for `principal`: members (masked
     * without the identity right), counts, or `AccessDenied`; its log entry
     * is appended in the same transaction whatever the outcome.
     */
    readonly readMembers: (
      principal: Actor,
      request: KeyGroupAccess.ReadRequest,
      context: ReadContext
    ) => Effect.Effect<
      KeyGroupAccess.ReadResult,
      KeyGroupAccess.AccessDenied | HierarchyNotFound | StorageUnavailable
    >
    /** 访问日志 — the access log (by the entry's unit), by instant then id. */
    readonly accessLog: (
      query?: Within
    ) => Effect.Effect<
      ReadonlyArray<KeyGroupAccess.AccessLogEntry>,
      Hierarchy.UnitNotFound | StorageUnavailable
    >
  }
>() {}

/**
 * An in-memory people store on top of a `HierarchyRepository`; each build starts empty.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (
  settings: Settings = {}
): Layer.Layer<PeopleRepository, never, HierarchyRepository> =>
  Layer.effect(PeopleRepository, internal.make(settingsOf(settings)))

// ---------------------------------------------------------------------------
// use cases
// ---------------------------------------------------------------------------

/**
 * 本人网格 — the grids `actorId` is assigned to (a staff member's person id
 * is the actor id) among those of the communities within `within`.
 *
 * @since 0.1.0
 * @category use cases
 */
export const gridsOf = (
  actorId: string,
  within: string
): Effect.Effect<ReadonlyArray<Grid>, Hierarchy.UnitNotFound | StorageUnavailable, GridRepository> =>
  Effect.gen(function* () {
    const snapshot = yield* Effect.flatMap(GridRepository, (grids) => grids.snapshot(within))
    const mine = new Set<string>(
      snapshot.assignments.flatMap((a) =>
        a.personId === actorId && a.target._tag === "Grid" ? [a.target.gridId] : []
      )
    )
    return snapshot.grids.filter((g) => mine.has(g.id))
  })

/**
 * 登记走访 — records a visit for its visitor: the household must lie within
 * the visitor's jurisdiction (else `HouseholdNotFound`, the same answer as an
 * unknown one); `Visit.record` checks it against the household, the visitor's
 * grids (`gridsOf` in the household's community: the position rule), the
 * actor ids of the household's contacts and the plan it names; then it is
 * recorded once (`VisitExists`).
 *
 * @since 0.1.0
 * @category use cases
 */
export const recordVisit = (
  command: Visit.RecordVisit,
  options: Pick<Visit.Context, "calendar" | "toleranceMeters" | "positionRequiredFor"> = {}
): Effect.Effect<
  Visit.Visit,
  Visit.VisitRefused | HouseholdNotFound | VisitExists | StorageUnavailable,
  PeopleRepository | GridRepository
> =>
  Effect.gen(function* () {
    const people = yield* PeopleRepository
    const notFound = new HouseholdNotFound({ householdId: command.householdId })
    const inScope = yield* people
      .households({ within: command.visitor.unitId })
      .pipe(Effect.catchTag("UnitNotFound", () => Effect.fail(notFound)))
    const household = inScope.find((h) => h.id === command.householdId)
    if (household === undefined) return yield* Effect.fail(notFound)
    const unitId = Household.unitOf(household)
    const orNotFound = <A, E extends { readonly _tag: string }, R>(self: Effect.Effect<A, E, R>) =>
      Effect.catchIf(
        self,
        (e): e is Extract<E, Hierarchy.UnitNotFound> => e._tag === "UnitNotFound",
        () => Effect.fail(notFound)
      )
    const links = yield* orNotFound(people.links({ within: unitId }))
    const contactIds = new Set<string>(
      links.filter((l) => l.householdId === household.id).map((l) => l.contactId)
    )
    const contacts = yield* orNotFound(people.contacts({ within: household.communityId }))
    const plans = command.planId === undefined ? [] : yield* orNotFound(people.plans({ within: unitId }))
    const plan = plans.find((p) => p.id === command.planId)
    const visitorGrids = yield* orNotFound(gridsOf(command.visitor.id, household.communityId))
    const visit = yield* Visit.record(command, {
      ...options,
      household,
      visitorGrids,
      contactActorIds: contacts.flatMap((c) =>
        contactIds.has(c.id) && c.actorId !== undefined ? [c.actorId] : []
      ),
      ...(plan === undefined ? {} : { plan })
    })
    yield* people
      .recordVisits([visit])
      .pipe(Effect.catchTag("HouseholdNotFound", () => Effect.fail(notFound)))
    return visit
  })

/**
 * 我的待访 — the visits due on `today` for `actor` (`VisitPlan.agenda` on the
 * working calendar): the plans within its jurisdiction whose contact acts as
 * the actor, and those without a contact for households in the actor's
 * grids, each with its light; plans a missing calendar year keeps from
 * judging are listed apart.
 *
 * @since 0.1.0
 * @category use cases
 */
export const visitsDue = (
  actor: Actor,
  today: LocalDate,
  calendar: WorkingCalendar.WorkingCalendar
): Effect.Effect<
  ReturnType<typeof VisitPlan.agenda>,
  Hierarchy.UnitNotFound | StorageUnavailable,
  PeopleRepository | GridRepository
> =>
  Effect.gen(function* () {
    const people = yield* PeopleRepository
    const within = { within: actor.unitId }
    const [plans, contacts, households, visits, grids] = yield* Effect.all([
      people.plans(within),
      people.contacts(within),
      people.households(within),
      people.visits(within),
      gridsOf(actor.id, actor.unitId)
    ])
    const myContacts = new Set<string>(contacts.filter((c) => c.actorId === actor.id).map((c) => c.id))
    const myGrids = new Set<string>(grids.map((g) => g.id))
    const inMyGrids = new Set<string>(
      households.filter((h) => h.gridId !== undefined && myGrids.has(h.gridId)).map((h) => h.id)
    )
    const mine = plans.filter((p) =>
      p.contactId === undefined ? inMyGrids.has(p.householdId) : myContacts.has(p.contactId)
    )
    return VisitPlan.agenda(calendar, mine, Visit.lastVisits(calendar, visits), today)
  })

/**
 * 辖区待访 — the visits due on `today` across a jurisdiction (every plan in
 * force within `within`, `VisitPlan.agenda` on the working calendar), as
 * counts (`VisitPlan.agendaCounts`): what an overview of a community, street
 * or district shows — due today, overdue, by light — without naming a
 * household.
 *
 * @since 0.1.0
 * @category use cases
 */
export const agendaWithin = (
  within: string,
  today: LocalDate,
  calendar: WorkingCalendar.WorkingCalendar
): Effect.Effect<VisitPlan.AgendaCounts, Hierarchy.UnitNotFound | StorageUnavailable, PeopleRepository> =>
  Effect.gen(function* () {
    const people = yield* PeopleRepository
    const [plans, visits] = yield* Effect.all([people.plans({ within }), people.visits({ within })])
    const result = VisitPlan.agenda(calendar, plans, Visit.lastVisits(calendar, visits), today)
    return VisitPlan.agendaCounts(result, today)
  })

/**
 * 代办指令 — decides a proxy-service command on the stored history
 * (`ProxyService.execute`) and appends its events after `expectedVersion`
 * (the version the writer last saw; the stored one when not given): the
 * service as it now stands, or the refusal naming the rule. An `Accept` must
 * name a stored household at its own unit and community (else
 * `HouseholdNotFound`), and the visit it names, if any, a visit recorded at
 * that household (else `VisitNotFound`): the community the decider authorises against is the
 * household's, not one the caller picks.
 *
 * @since 0.1.0
 * @category use cases
 */
export const handleService = (input: {
  readonly command: ProxyService.ProxyServiceCommand
  readonly expectedVersion?: number
}): Effect.Effect<
  ProxyService.ProxyService,
  | ProxyService.ProxyServiceRefused
  | HouseholdNotFound
  | VisitNotFound
  | ServiceConcurrencyConflict
  | ProxyService.ProxyServiceReplayError
  | Hierarchy.UnitNotFound
  | StorageUnavailable,
  PeopleRepository
> =>
  Effect.gen(function* () {
    const people = yield* PeopleRepository
    const serviceId = input.command.serviceId
    const command = input.command
    if (command._tag === "Accept") {
      // the household named must be stored, at the unit and in the community the command names
      const inCommunity = yield* people.households({ within: command.communityId })
      const household = inCommunity.find((h) => h.id === command.householdId)
      if (
        household === undefined ||
        household.communityId !== command.communityId ||
        Household.unitOf(household) !== command.householdUnitId
      )
        return yield* Effect.fail(new HouseholdNotFound({ householdId: command.householdId }))
      // a service found on a visit names a visit recorded at that household
      const visitId = command.visitId
      if (visitId !== undefined) {
        const visits = yield* people.visits({
          within: command.householdUnitId,
          householdId: command.householdId
        })
        if (!visits.some((v) => v.id === visitId))
          return yield* Effect.fail(new VisitNotFound({ visitId, householdId: command.householdId }))
      }
    }
    const stored = yield* people.serviceEvents(serviceId)
    const expectedVersion = input.expectedVersion ?? stored.length
    if (expectedVersion !== stored.length)
      return yield* Effect.fail(
        new ServiceConcurrencyConflict({ serviceId, expectedVersion, actualVersion: stored.length })
      )
    const { events, state } = yield* ProxyService.execute(ProxyService.fold(stored), input.command)
    if (events.length > 0) yield* people.appendServiceEvents({ serviceId, expectedVersion, events })
    return ProxyService.isService(state) ? state : yield* Effect.dieMessage("代办指令未产生代办 no service")
  })

/**
 * 联户走访指标 — the visit indicators of a jurisdiction for a period
 * (`VisitMetrics`): visits 人次 to its households in the period, the on-time
 * visit rate of its plans (due dates up to `asOf`), the proxy-service closure
 * rate of its services, each a total over the jurisdiction; plans that could
 * not be judged (unknown household, a calendar year not loaded) are counted apart.
 *
 * @since 0.1.0
 * @category use cases
 */
export const indicators = (input: {
  readonly within: string
  readonly period: Period.Period
  readonly asOf?: LocalDate
  readonly calendar: WorkingCalendar.WorkingCalendar
}): Effect.Effect<
  {
    readonly visits: number
    readonly onTimeVisitRate: Ratio.Ratio
    readonly proxyClosureRate: Ratio.Ratio
    readonly unjudgedPlans: number
  },
  Hierarchy.UnitNotFound | StorageUnavailable,
  PeopleRepository
> =>
  Effect.gen(function* () {
    const people = yield* PeopleRepository
    const within = { within: input.within }
    const [households, visits, plans, services] = yield* Effect.all([
      people.households(within),
      people.visits(within),
      people.plans(within),
      people.services(within)
    ])
    const counts = VisitMetrics.visitCounts(visits, households, input.period)
    const onTime = VisitMetrics.onTimeRate(
      input.calendar,
      plans,
      visits,
      households,
      input.period,
      input.asOf
    )
    return {
      visits: [...counts.byUnit.values()].reduce((a, b) => a + b, 0),
      onTimeVisitRate: VisitMetrics.total(onTime.byUnit),
      proxyClosureRate: VisitMetrics.total(VisitMetrics.proxyClosure(services)),
      unjudgedPlans: onTime.unjudged.length
    }
  })

/**
 * 主动发现率 — the proactive-discovery share of a jurisdiction for a period
 * (`VisitMetrics.proactiveShareOfCounts`): cases located within `within` and
 * reported in the period whose source is a patrol 巡查 — which is what a
 * visit's `case` follow-up reports (`VisitFollowUp`) — over all of them, a
 * total over the jurisdiction. Counted by the case store
 * (`CaseRepository.countBySource`, one grouped query): the work does not grow
 * with the district's history in memory. No cases is "no data" (0 / 0).
 *
 * @since 0.1.0
 * @category use cases
 */
export const proactiveDiscovery = (input: {
  readonly within: string
  readonly period: Period.Period
}): Effect.Effect<Ratio.Ratio, StorageUnavailable, CaseRepository> =>
  Effect.gen(function* () {
    const cases = yield* CaseRepository
    const counts = yield* cases.countBySource({
      within: UnitId.make(input.within),
      reportedFrom: DateTime.toDate(Period.start(input.period)),
      reportedTo: DateTime.toDate(Period.end(input.period))
    })
    return VisitMetrics.proactiveShareOfCounts(counts)
  })

/**
 * 联户职责检查结果 — the contacts of a jurisdiction with the households each
 * is linked to there, every violation of the contact-duty rules
 * (`ContactDuty.check`), and the contact coverage 联户覆盖率 (households with a
 * contact ÷ households, `VisitMetrics.contactCoverage`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ContactDutyReport {
  readonly date: LocalDate
  readonly contacts: ReadonlyArray<{ readonly contact: ContactDuty.Contact; readonly households: number }>
  readonly violations: ReadonlyArray<ContactDuty.ContactViolation>
  readonly coverage: Ratio.Ratio
}

const keyHouseholdRules: ReadonlySet<ContactDuty.ContactRule> = new Set([
  "not-key-household",
  "key-household-without-contact",
  "key-household-without-plan"
])

/**
 * 联户职责检查 — `ContactDuty.check` over a jurisdiction on `date` with
 * `rules` (default: the store's `settings.contactRules` — `ContactDuty.defaultRules`
 * unless configured: 1–5 households per key-household contact, every key
 * household with a contact and a visit plan, every household of a grid with a
 * contact): the households within it (by their unit), their links and plans,
 * the key households (`keyHouseholds`), and the contacts of the
 * jurisdiction's communities together with any contact linked to one of its
 * households — a contact's load counts the households linked within the
 * jurisdiction. Which households are key households is key-group
 * information: unless `reader`'s role holds a grant of `policy` (default: the
 * store's `settings.policy`, the one its member reads apply), a violation
 * about a key household does not name the household.
 *
 * @since 0.1.0
 * @category use cases
 */
export const contactDuties = (input: {
  readonly within: string
  readonly date: LocalDate
  readonly reader: Actor
  readonly rules?: ContactDuty.Rules
  readonly policy?: KeyGroupAccess.AccessPolicy
}): Effect.Effect<ContactDutyReport, Hierarchy.UnitNotFound | StorageUnavailable, PeopleRepository> =>
  Effect.gen(function* () {
    const people = yield* PeopleRepository
    const within = { within: input.within }
    const [households, own, links, plans, key] = yield* Effect.all([
      people.households(within),
      people.contacts(within),
      people.links(within),
      people.plans(within),
      people.keyHouseholds({ ...within, date: input.date })
    ])
    // contacts of other communities (a scope below a community) linked to a household here
    const known = new Set<string>(own.map((c) => c.id))
    const linked = new Set<string>(links.map((l) => l.contactId).filter((id) => !known.has(id)))
    const communities = [...new Set(households.map((h) => h.communityId))].sort(compare)
    const others =
      linked.size === 0
        ? []
        : (yield* Effect.forEach(communities, (c) => people.contacts({ within: c }))).flat()
    const contacts = byId(lastById([...own, ...others.filter((c) => linked.has(c.id))]))
    const check: ContactDuty.Input = {
      households,
      contacts,
      links,
      keyHouseholds: key,
      plannedHouseholds: plans.map((p) => p.householdId),
      date: input.date
    }
    const index = ContactDuty.links(check)
    const visible = (input.policy ?? people.settings.policy).grants.some((g) => g.role === input.reader.role)
    const violations = ContactDuty.check(input.rules ?? people.settings.contactRules, check).map((v) => {
      if (visible || !keyHouseholdRules.has(v.rule) || v.householdId === undefined) return v
      return new ContactDuty.ContactViolation({
        rule: v.rule,
        field: v.field,
        ...(v.contactId === undefined ? {} : { contactId: v.contactId }),
        ...(v.count === undefined ? {} : { count: v.count }),
        ...(v.bounds === undefined ? {} : { bounds: v.bounds })
      })
    })
    return {
      date: input.date,
      contacts: contacts.map((contact) => ({
        contact,
        households: index.byContact.get(contact.id)?.size ?? 0
      })),
      violations,
      coverage: VisitMetrics.total(VisitMetrics.contactCoverage(check, index))
    }
  })
