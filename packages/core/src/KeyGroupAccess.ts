/**
 * 重点人群访问控制 — who may read the members of a key group 重点人群, under
 * China's Personal Information Protection Law (PIPL, 《个人信息保护法》): key-group
 * membership (health, minors, criminal records, income) is sensitive personal
 * information 敏感个人信息 (第二十八条), processed only for a specific purpose and
 * by those who need it, with every access on record.
 *
 * **The decision** (`decide`, pure) answers "may this principal read members
 * of key group X in unit U?":
 *
 * 1. the category must exist (`unknown-category`) and the unit be in the
 *    hierarchy (`unknown-unit`);
 * 2. U must lie within the principal's jurisdiction (DOMAIN §6: a principal
 *    sees what lies in its unit's subtree) — else **denied**, not even counts
 *    (`out-of-scope`);
 * 3. the principal's role must be granted the category (an explicit grant,
 *    or a grant of every category up to a sensitivity) — else **counts only**,
 *    never people (`not-granted`), and small counts suppressed (`countsAnswer`:
 *    one or two households of a building would name them);
 * 4. a purpose 处理目的 must be given (`purpose-required`, PIPL 第六条) — else denied;
 * 5. then **members**, with ID numbers, phones and names in full only when the
 *    grant carries the identity right and the request does not ask for masked
 *    data (`identity: false`), masked (`Resident.mask`) otherwise.
 *
 * Grants are configuration (`AccessPolicy`); `defaultPolicy` grants
 * community staff 社区工作人员 every category with identity, grid workers 网格员
 * every category with masked identity, and no one else anything (counts only).
 *
 * **The read** (`read`) applies the decision to a registry and returns the
 * result together with its `AccessLogEntry` (who, what, when, why, which
 * households and residents were returned) — the entry adapters append to the
 * append-only access log 访问日志, for refused reads too.
 *
 * @since 0.1.0
 */
import type * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Actor, type ActorId, Role, roleNames } from "./Actor.js"
import * as Hierarchy from "./Hierarchy.js"
import { type Household, HouseholdId, unitOf } from "./Household.js"
import * as Instant from "./Instant.js"
import * as KeyGroup from "./KeyGroup.js"
import { type Resident, ResidentId, type ResidentView, view } from "./Resident.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"
import type { LocalDate } from "./WorkingCalendar.js"

// -----------------------------------------------------------------------------
// policy
// -----------------------------------------------------------------------------

/**
 * 授权 — what a role may read: the categories listed, plus every category whose
 * sensitivity is at most `upTo`; `identity` — ID numbers, phones and names in full.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Grant = Schema.Struct({
  role: Role,
  categories: Schema.Array(KeyGroup.CategoryId),
  upTo: Schema.optionalWith(KeyGroup.Sensitivity, { exact: true }),
  identity: Schema.Boolean
}).annotations({ identifier: "KeyGroupGrant", title: "授权 grant" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Grant extends Schema.Schema.Type<typeof Grant> {}

/**
 * 小数抑制阈值（默认） — counts-only answers with fewer than this many (and
 * not zero) households or residents are suppressed: 3, the usual minimum of
 * the threshold rule (minimum-frequency rule) of statistical disclosure
 * control — a table cell with fewer than n contributors is unsafe to publish
 * (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012; Eurostat's
 * handbook on statistical disclosure control for tabular data). A count of one
 * or two households of a building in a category names them to anyone who
 * knows the building.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCountThreshold = 3

/**
 * 访问策略 — the grants in force (configuration), whether a member read
 * needs a purpose (on by default), and the small-count threshold of
 * counts-only answers (`countThreshold`, `defaultCountThreshold` when absent;
 * 1 turns suppression off).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccessPolicy = Schema.Struct({
  grants: Schema.Array(Grant),
  purposeRequired: Schema.Boolean,
  /** 小数抑制阈值 — a whole number 1 … 100. */
  countThreshold: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 100)), { exact: true })
}).annotations({ identifier: "KeyGroupAccessPolicy", title: "访问策略 access policy" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AccessPolicy extends Schema.Schema.Type<typeof AccessPolicy> {}

/**
 * 默认访问策略 — community staff: every category, identity in full; grid
 * workers: every category, identity masked; every other role: counts only,
 * small counts suppressed (`defaultCountThreshold`). A purpose is required.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPolicy: AccessPolicy = {
  grants: [
    { role: "community-staff", categories: [], upTo: "highly-sensitive", identity: true },
    { role: "grid-worker", categories: [], upTo: "highly-sensitive", identity: false }
  ],
  purposeRequired: true,
  countThreshold: defaultCountThreshold
}

/**
 * 授权判断 — the grants of a role that cover a category (empty: not granted).
 *
 * @since 0.1.0
 * @category getters
 */
export const grantsFor = (
  policy: AccessPolicy,
  role: Role,
  category: KeyGroup.Category
): ReadonlyArray<Grant> =>
  policy.grants.filter(
    (g) =>
      g.role === role &&
      (g.categories.includes(category.id) ||
        (g.upTo !== undefined &&
          KeyGroup.sensitivityRank(category.sensitivity) <= KeyGroup.sensitivityRank(g.upTo)))
  )

// -----------------------------------------------------------------------------
// decision
// -----------------------------------------------------------------------------

/**
 * 查询请求 — read the members of `categoryId` in `unitId`, for `purpose`;
 * `identity: false` asks for masked data even when the grant carries the
 * identity right (data minimisation, PIPL 第六条: a reader who needs no more
 * than masked data asks for no more). Identity never exceeds the grant —
 * `identity: true` or absent gives what the grant allows —, and the access log
 * records what was returned.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReadRequest = Schema.Struct({
  categoryId: KeyGroup.CategoryId,
  unitId: UnitId,
  /** 处理目的 — e.g. `"九月份入户走访"`. */
  purpose: Schema.optionalWith(Text.Note, { exact: true }),
  /** 完整身份 — `false`: masked, whatever the grant. */
  identity: Schema.optionalWith(Schema.Boolean, { exact: true })
}).annotations({ identifier: "KeyGroupReadRequest", title: "查询请求 read request" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReadRequest extends Schema.Schema.Type<typeof ReadRequest> {}

/**
 * 拒绝规则 — `unknown-category`, `unknown-unit`, `out-of-scope`, `purpose-required`;
 * `not-granted` gives counts only.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccessRule = Schema.Literal(
  "unknown-category",
  "unknown-unit",
  "out-of-scope",
  "purpose-required",
  "not-granted"
).annotations({ identifier: "KeyGroupAccessRule", title: "访问规则 access rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type AccessRule = typeof AccessRule.Type

/**
 * 访问决定 — `Members` (with or without identity), `CountsOnly` (rule
 * `not-granted`), or `Denied` with its rule.
 *
 * @since 0.1.0
 * @category models
 */
export type Decision =
  | { readonly _tag: "Members"; readonly identity: boolean }
  | { readonly _tag: "CountsOnly"; readonly rule: "not-granted" }
  | { readonly _tag: "Denied"; readonly rule: Exclude<AccessRule, "not-granted"> }

/**
 * 访问被拒 — a read refused: the principal, the request, the field and rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class AccessDenied extends Schema.TaggedError<AccessDenied>()("KeyGroupAccessDenied", {
  actor: Actor,
  categoryId: KeyGroup.CategoryId,
  unitId: UnitId,
  field: Schema.Literal("categoryId", "unitId", "purpose"),
  rule: Schema.Literal("unknown-category", "unknown-unit", "out-of-scope", "purpose-required")
}) {
  override get message(): string {
    const who = `${roleNames[this.actor.role]} ${this.actor.id} (${this.actor.unitId})`
    return ((): string => {
      switch (this.rule) {
        case "unknown-category":
          return `重点人群类别 ${this.categoryId} 不存在 — unknown key-group category ${this.categoryId} (rule unknown-category)`
        case "unknown-unit":
          return `单元 ${this.unitId} 不存在 — unknown unit ${this.unitId} (rule unknown-unit)`
        case "out-of-scope":
          return `${who} 无权查看辖区外的单元 ${this.unitId} — ${this.unitId} lies outside the jurisdiction of ${this.actor.unitId} (rule out-of-scope)`
        case "purpose-required":
          return `查询重点人群名单须说明处理目的 — reading key-group members needs a purpose (rule purpose-required)`
      }
    })()
  }
}

const fieldOf = {
  "unknown-category": "categoryId",
  "unknown-unit": "unitId",
  "out-of-scope": "unitId",
  "purpose-required": "purpose"
} as const

/**
 * 访问决定 — the pure decision (see the module doc).
 *
 * @since 0.1.0
 * @category decisions
 */
export const decide = (
  policy: AccessPolicy,
  catalogue: KeyGroup.Catalogue,
  hierarchy: Hierarchy.Hierarchy,
  principal: Actor,
  request: ReadRequest
): Decision => {
  const category = catalogue.byId.get(request.categoryId)
  if (category === undefined) return { _tag: "Denied", rule: "unknown-category" }
  if (!Hierarchy.has(hierarchy, request.unitId)) return { _tag: "Denied", rule: "unknown-unit" }
  if (!Hierarchy.isWithin(hierarchy, request.unitId, principal.unitId))
    return { _tag: "Denied", rule: "out-of-scope" }
  const grants = grantsFor(policy, principal.role, category)
  if (grants.length === 0) return { _tag: "CountsOnly", rule: "not-granted" }
  if (policy.purposeRequired && (request.purpose === undefined || request.purpose.trim().length === 0))
    return { _tag: "Denied", rule: "purpose-required" }
  return { _tag: "Members", identity: request.identity !== false && grants.some((g) => g.identity) }
}

// -----------------------------------------------------------------------------
// read
// -----------------------------------------------------------------------------

/**
 * 登记册 — what a read looks in.
 *
 * @since 0.1.0
 * @category models
 */
export interface Registry {
  readonly households: ReadonlyArray<Household>
  readonly residents: ReadonlyArray<Resident>
  readonly enrolments: ReadonlyArray<KeyGroup.Enrolment>
}

/**
 * 名单成员 — one enrolment as returned: the household (id, label, unit), the
 * enrolment, and the enrolled resident (masked unless identity is granted).
 *
 * What the enrolment carries depends on the identity right, so that a read in
 * full is the whole 重点人群台账 row and can be written back:
 *
 * - every member read carries the enrolment's id, category, since and until,
 *   who enrolled it (`enrolledBy`, a staff member's id — about the cadre, not
 *   the resident) and its own visit interval (`visitEvery`, when it overrides
 *   the category's: what the visit work needs);
 * - only a read **with identity** carries the reason (`reason`, 登记原因): it is
 *   free text that often names the very fact that makes the category sensitive
 *   (a diagnosis, a sentence, a family's hardship), and a masked read must not
 *   let it re-identify the person or disclose what masking hides.
 *
 * @since 0.1.0
 * @category models
 */
export interface Member {
  readonly household: { readonly id: HouseholdId; readonly label: string; readonly unitId: UnitId }
  readonly enrolment: {
    readonly id: KeyGroup.EnrolmentId
    readonly categoryId: KeyGroup.CategoryId
    readonly since: LocalDate
    readonly until?: LocalDate
    /** 登记原因 — in reads with identity only. */
    readonly reason?: string
    /** 登记人 */
    readonly enrolledBy: ActorId
    /** 走访周期 — the enrolment's own interval, when it overrides the category's. */
    readonly visitEvery?: KeyGroup.VisitInterval
  }
  readonly resident?: ResidentView
}

/**
 * 名单成员 — the member an enrolment makes in a read with or without identity
 * (see `Member`: the reason only with identity; the resident masked without).
 *
 * @since 0.1.0
 * @category constructors
 */
export const memberOf = (
  enrolment: KeyGroup.Enrolment,
  household: Household,
  resident: Resident | undefined,
  identity: boolean
): Member => {
  const e = enrolment
  const member: Member = {
    household: { id: household.id, label: household.label, unitId: unitOf(household) },
    enrolment: {
      id: e.id,
      categoryId: e.categoryId,
      since: e.since,
      ...(e.until === undefined ? {} : { until: e.until }),
      ...(identity ? { reason: e.reason } : {}),
      enrolledBy: e.enrolledBy,
      ...(e.visitEvery === undefined ? {} : { visitEvery: e.visitEvery })
    }
  }
  return resident === undefined || resident.householdId !== household.id
    ? member
    : { ...member, resident: view(resident, identity) }
}

/**
 * 计数结果 — a counts-only answer: the households and enrolled residents, or
 * — when either is below the policy's threshold and not zero — `suppressed`
 * with only the bound (`lessThan`, the threshold): no number that could name
 * a household (`countsAnswer`).
 *
 * @since 0.1.0
 * @category models
 */
export type Counts =
  | {
      readonly _tag: "Counts"
      readonly suppressed: false
      readonly households: number
      readonly residents: number
    }
  | { readonly _tag: "Counts"; readonly suppressed: true; readonly lessThan: number }

/**
 * 查询结果 — members, or counts only (households and enrolled residents, small counts suppressed).
 *
 * @since 0.1.0
 * @category models
 */
export type ReadResult =
  | { readonly _tag: "Members"; readonly identity: boolean; readonly members: ReadonlyArray<Member> }
  | Counts

/**
 * 小数抑制阈值 — the policy's `countThreshold`, `defaultCountThreshold` when absent.
 *
 * @since 0.1.0
 * @category getters
 */
export const countThresholdOf = (policy: AccessPolicy): number =>
  policy.countThreshold ?? defaultCountThreshold

/**
 * 小数抑制 — the counts-only answer under a policy: the numbers, unless the
 * households or the residents number at least one and fewer than the
 * threshold (`countThresholdOf`) — then suppressed, with the threshold as the
 * bound (see `defaultCountThreshold` for the practice it follows). Zero is
 * not suppressed: it names no one.
 *
 * @since 0.1.0
 * @category decisions
 */
export const countsAnswer = (
  policy: AccessPolicy,
  counts: { readonly households: number; readonly residents: number }
): Counts => {
  const threshold = countThresholdOf(policy)
  const small = (n: number) => n > 0 && n < threshold
  return small(counts.households) || small(counts.residents)
    ? { _tag: "Counts", suppressed: true, lessThan: threshold }
    : { _tag: "Counts", suppressed: false, households: counts.households, residents: counts.residents }
}

/**
 * 访问日志编号
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccessLogId = Text.Id.pipe(
  Schema.brand("AccessLogId"),
  Schema.annotations({ identifier: "AccessLogId", title: "访问日志编号 access log id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type AccessLogId = typeof AccessLogId.Type

/**
 * 访问日志 — one entry of the append-only access log: who (`actor`), what
 * (`action`, the category and unit, the households and residents returned,
 * whether in full), when (`at`), why (`purpose`), and the rule when not
 * members.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccessLogEntry = Schema.Struct({
  id: AccessLogId,
  at: Instant.DateTimeUtc,
  actor: Actor,
  action: Schema.Literal("read-members", "read-counts", "refused"),
  categoryId: KeyGroup.CategoryId,
  unitId: UnitId,
  purpose: Schema.optionalWith(Schema.String, { exact: true }),
  identity: Schema.Boolean,
  householdIds: Schema.Array(HouseholdId),
  residentIds: Schema.Array(ResidentId),
  rule: Schema.optionalWith(AccessRule, { exact: true })
}).annotations({ identifier: "KeyGroupAccessLogEntry", title: "访问日志 access log entry" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AccessLogEntry extends Schema.Schema.Type<typeof AccessLogEntry> {}

/**
 * 查询 — decides, then reads the registry: the members of the category
 * enrolled on `date` in households within the requested unit, or their counts,
 * or the refusal — always with the log entry to append.
 *
 * @since 0.1.0
 * @category reads
 */
export const read = (
  policy: AccessPolicy,
  catalogue: KeyGroup.Catalogue,
  hierarchy: Hierarchy.Hierarchy,
  principal: Actor,
  request: ReadRequest,
  registry: Registry,
  context: { readonly date: LocalDate; readonly at: DateTime.Utc; readonly logId: AccessLogId }
): { readonly result: Either.Either<ReadResult, AccessDenied>; readonly log: AccessLogEntry } => {
  const decision = decide(policy, catalogue, hierarchy, principal, request)
  const purpose = request.purpose?.trim()
  const base = {
    id: context.logId,
    at: context.at,
    actor: principal,
    categoryId: request.categoryId,
    unitId: request.unitId,
    ...(purpose === undefined || purpose.length === 0 ? {} : { purpose })
  }
  if (decision._tag === "Denied") {
    return {
      result: Either.left(
        new AccessDenied({
          actor: principal,
          categoryId: request.categoryId,
          unitId: request.unitId,
          field: fieldOf[decision.rule],
          rule: decision.rule
        })
      ),
      log: {
        ...base,
        action: "refused",
        identity: false,
        householdIds: [],
        residentIds: [],
        rule: decision.rule
      }
    }
  }
  const households = new Map<HouseholdId, Household>()
  for (const h of registry.households) if (!households.has(h.id)) households.set(h.id, h)
  const residents = new Map<ResidentId, Resident>()
  for (const r of registry.residents) if (!residents.has(r.id)) residents.set(r.id, r)
  const found: Array<{ readonly enrolment: KeyGroup.Enrolment; readonly household: Household }> = []
  for (const e of registry.enrolments) {
    if (e.categoryId !== request.categoryId || !KeyGroup.isActive(e, context.date)) continue
    const h = households.get(e.householdId)
    if (h === undefined || !Hierarchy.isWithin(hierarchy, unitOf(h), request.unitId)) continue
    found.push({ enrolment: e, household: h })
  }
  if (decision._tag === "CountsOnly") {
    const hs = new Set(found.map((f) => f.household.id))
    const rs = new Set(
      found.flatMap((f) => (f.enrolment.residentId === undefined ? [] : [f.enrolment.residentId]))
    )
    return {
      result: Either.right(countsAnswer(policy, { households: hs.size, residents: rs.size })),
      log: {
        ...base,
        action: "read-counts",
        identity: false,
        householdIds: [],
        residentIds: [],
        rule: "not-granted"
      }
    }
  }
  const members: Array<Member> = found.map(({ enrolment: e, household: h }) =>
    memberOf(e, h, e.residentId === undefined ? undefined : residents.get(e.residentId), decision.identity)
  )
  return {
    result: Either.right({ _tag: "Members", identity: decision.identity, members }),
    log: {
      ...base,
      action: "read-members",
      identity: decision.identity,
      householdIds: [...new Set(members.map((m) => m.household.id))],
      residentIds: members.flatMap((m) => (m.resident === undefined ? [] : [m.resident.id]))
    }
  }
}

/**
 * 审计角色 — the roles that read the access log of their jurisdiction
 * (审计): district and street staff. Everyone else is refused.
 *
 * @since 0.1.0
 * @category constants
 */
export const auditRoles: ReadonlyArray<Actor["role"]> = ["district-staff", "street-staff"]

/**
 * 可审计 — whether an actor may read the access log (`auditRoles`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const mayAudit = (actor: Actor): boolean => auditRoles.includes(actor.role)
