/**
 * 资源清单 — the resource list: what co-building units 共建单位, social
 * organisations 社会组织, party members 党员 and volunteers 志愿者 offer to the
 * community — a venue 场地, a skill 技能, funds 资金 or a service 服务 — with the
 * capabilities it brings (tags), the units it serves (scope) and how much it
 * can take on in a period (capacity).
 *
 * Source: the community experience report (XX社区治理经验交流材料), the second of its "三张清单": "列出
 * '资源清单'，形成治理合力。通过签订共建责任书，整合共驻共建单位资源 … 将党员分为骨干、
 * 一般、流动、老年等4大类，整合党员志愿服务资源 … 为××山城社工服务中心等专业社工机构
 * 提供近1000平方米用房".
 *
 * **Scope.** A resource serves a unit when the unit lies within (辖区, via
 * `Hierarchy.isWithin`) one of the resource's scope units: a co-building unit
 * paired with a street serves every community of the street; a party member
 * registered with a compound serves that compound only.
 *
 * **Capacity.** Capacity counts demand units (a problem's `demand`, default 1)
 * the resource can take on in the planning period; the planner never assigns
 * more.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { RoleId } from "./Actor.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Instant from "./Instant.js"
import * as Ids from "./internal/plannerIds.js"
import { PartyMemberClass, PersonId } from "./Staffing.js"
import * as Text from "./Text.js"
import { type Unit, UnitId } from "./Unit.js"

// ---------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------

/**
 * 能力标签 — a capability tag: what a resource can do and what a problem needs
 * (`"维修"`, `"助老"`, `"场地"`, `"法律咨询"` …). Tags are compared exactly;
 * constructors dedupe and sort them.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CapabilityTag = Ids.CapabilityTag

/**
 * @since 0.1.0
 * @category models
 */
export type CapabilityTag = Ids.CapabilityTag

/**
 * 资源标识 — the identifier of a resource on the resource list.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResourceId = Text.Id.pipe(
  Schema.brand("ResourceId"),
  Schema.annotations({ identifier: "ResourceId", title: "资源标识 resource id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ResourceId = typeof ResourceId.Type

/**
 * 资源类型 — `venue` 场地, `skill` 技能, `funds` 资金, `service` 服务.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResourceKind = Schema.Literal("venue", "skill", "funds", "service").annotations({
  identifier: "ResourceKind",
  title: "资源类型 resource kind",
  description: "venue 场地 | skill 技能 | funds 资金 | service 服务"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ResourceKind = typeof ResourceKind.Type

/**
 * Chinese names of the resource kinds.
 *
 * @since 0.1.0
 * @category constants
 */
export const kindNames: Readonly<Record<ResourceKind, string>> = {
  venue: "场地",
  skill: "技能",
  funds: "资金",
  service: "服务"
}

/**
 * 提供方类型 — `co-building-unit` 共建单位 (共驻共建单位, 结对共建机关), `social-organization`
 * 社会组织, `party-member` 党员, `volunteer` 志愿者.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProviderKind = Schema.Literal(
  "co-building-unit",
  "social-organization",
  "party-member",
  "volunteer"
).annotations({
  identifier: "ProviderKind",
  title: "提供方类型 provider kind",
  description:
    "co-building-unit 共建单位 | social-organization 社会组织 | party-member 党员 | volunteer 志愿者"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ProviderKind = typeof ProviderKind.Type

/**
 * Chinese names of the provider kinds.
 *
 * @since 0.1.0
 * @category constants
 */
export const providerKindNames: Readonly<Record<ProviderKind, string>> = {
  "co-building-unit": "共建单位",
  "social-organization": "社会组织",
  "party-member": "党员",
  volunteer: "志愿者"
}

const localKind = {
  /**
   * 本地提供方类型 — a local provider kind of the role table (`RoleTable`
   * domain `provider-kind`, e.g. 驻区单位, 物业企业) acting as `kind`
   * (`RoleTable.providerKind` resolves a name to both); absent for a
   * built-in kind, and in resources stored before local kinds.
   */
  localKind: Schema.optionalWith(RoleId, { exact: true })
}

/**
 * 资源提供方 — who offers the resource: its kind and name; a party member also
 * carries the class of the community experience report (骨干 / 一般 / 流动 / 老年, `Staffing.PartyMemberClass`)
 * and, like a volunteer, optionally the staff record's person id. Names of
 * people are personal data (PIPL): mask them in public output. A provider of
 * a local kind of the role table (驻区单位 …) carries it as `localKind`
 * beside the built-in `kind` it acts as, by which the list's rules decide.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Provider = Schema.Union(
  Schema.Struct({
    kind: Schema.Literal("co-building-unit", "social-organization"),
    name: Text.Name,
    ...localKind
  }),
  Schema.Struct({
    kind: Schema.Literal("party-member"),
    name: Text.Name,
    /** 党员类别 — 骨干 core, 一般 ordinary, 流动 mobile, 老年 elderly. */
    partyMemberClass: PartyMemberClass,
    personId: Schema.optionalWith(PersonId, { exact: true }),
    ...localKind
  }),
  Schema.Struct({
    kind: Schema.Literal("volunteer"),
    name: Text.Name,
    personId: Schema.optionalWith(PersonId, { exact: true }),
    ...localKind
  })
).annotations({ identifier: "Provider", title: "资源提供方 provider" })

/**
 * @since 0.1.0
 * @category models
 */
export type Provider = typeof Provider.Type

/**
 * 可用时段 — when a resource is available, both ends included.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Availability = Schema.Struct({
  from: Instant.DateTimeUtc,
  to: Instant.DateTimeUtc
}).annotations({ identifier: "Availability", title: "可用时段 availability" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Availability extends Schema.Schema.Type<typeof Availability> {}

/**
 * 资源 — one entry of the resource list.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Resource = Schema.Struct({
  id: ResourceId,
  /** 资源名称 — e.g. `"党群服务中心活动室"`, `"家电维修"`. */
  name: Text.Name,
  kind: ResourceKind,
  /** 能力标签 — the capabilities it offers, sorted, without duplicates. */
  tags: Schema.Array(CapabilityTag).pipe(Schema.maxItems(Text.limits.references)),
  /** 服务范围 — the units it serves (each with its whole jurisdiction), sorted. */
  scope: Schema.Array(UnitId),
  /** 容量 — how many demand units it can take on in the planning period. */
  capacity: Schema.NonNegativeInt,
  provider: Provider,
  /** 可用时段 — optional; without it the resource is always available. */
  availability: Schema.optionalWith(Availability, { exact: true }),
  /** 说明 — e.g. `"近1000平方米用房"`. */
  description: Schema.optionalWith(Text.Description, { exact: true })
}).annotations({ identifier: "Resource", title: "资源 resource" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Resource extends Schema.Schema.Type<typeof Resource> {}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Builds a resource without validation (for trusted data and tests; decode
 * untrusted rows with the `Resource` schema and check them with
 * {@link validate}). Tags and scope are deduped and sorted.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (fields: {
  readonly id: string
  readonly name: string
  readonly kind: ResourceKind
  readonly tags: ReadonlyArray<string>
  readonly scope: ReadonlyArray<string>
  readonly capacity: number
  readonly provider: Provider
  readonly availability?: Availability
  readonly description?: string
}): Resource => {
  const resource: Resource = {
    id: ResourceId.make(fields.id, { disableValidation: true }),
    name: fields.name,
    kind: fields.kind,
    tags: Ids.normalizeTags(fields.tags),
    scope: Arr.dedupe(fields.scope)
      .sort(Ids.compareStrings)
      .map((u) => UnitId.make(u, { disableValidation: true })),
    capacity: fields.capacity,
    provider: fields.provider
  }
  return {
    ...resource,
    ...(fields.availability === undefined ? {} : { availability: fields.availability }),
    ...(fields.description === undefined ? {} : { description: fields.description })
  }
}

// ---------------------------------------------------------------------------
// predicates and getters
// ---------------------------------------------------------------------------

/**
 * Whether the resource offers this capability.
 *
 * @since 0.1.0
 * @category predicates
 */
export const offers = (self: Resource, tag: string): boolean => self.tags.some((t) => t === tag)

/**
 * 服务范围判断 — whether the resource serves the unit: the unit lies within one
 * of its scope units (`Hierarchy.isWithin`). False for units the hierarchy
 * does not know.
 *
 * @since 0.1.0
 * @category predicates
 */
export const serves = <U extends Unit>(
  hierarchy: Hierarchy.Hierarchy<U>,
  self: Resource,
  unitId: string
): boolean => self.scope.some((s) => Hierarchy.isWithin(hierarchy, unitId, s))

/**
 * 最近服务范围 — the depth of the deepest scope unit that covers the unit (the
 * most specific way the resource serves it), or none when it does not serve
 * the unit. The planner prefers resources with deeper scopes.
 *
 * @since 0.1.0
 * @category getters
 */
export const scopeDepthFor = <U extends Unit>(
  hierarchy: Hierarchy.Hierarchy<U>,
  self: Resource,
  unitId: string
): Option.Option<number> => {
  let best = -1
  for (const s of self.scope) {
    if (!Hierarchy.isWithin(hierarchy, unitId, s)) continue
    const d = Option.getOrElse(Hierarchy.depth(hierarchy, s), () => -1)
    if (d > best) best = d
  }
  return best < 0 ? Option.none() : Option.some(best)
}

/**
 * 可用判断 — whether the resource is available at some time in `[from, to]`
 * (its availability window overlaps the interval, ends included). A resource
 * without a window is always available.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isAvailable = (self: Resource, from: DateTime.Utc, to: DateTime.Utc): boolean => {
  const w = self.availability
  if (w === undefined) return true
  return (
    DateTime.toEpochMillis(w.from) <= DateTime.toEpochMillis(to) &&
    DateTime.toEpochMillis(w.to) >= DateTime.toEpochMillis(from)
  )
}

/**
 * 党员分类 — the party-member resources grouped by the community experience report's four classes
 * (骨干, 一般, 流动, 老年), each group in id order.
 *
 * @since 0.1.0
 * @category getters
 */
export const partyMembersByClass = (
  resources: ReadonlyArray<Resource>
): Readonly<Record<PartyMemberClass, ReadonlyArray<Resource>>> => {
  const out: Record<PartyMemberClass, Array<Resource>> = { core: [], ordinary: [], mobile: [], elderly: [] }
  for (const r of resources) {
    if (r.provider.kind === "party-member") out[r.provider.partyMemberClass].push(r)
  }
  for (const k of PartyMemberClass.literals) out[k].sort((a, b) => Ids.compareStrings(a.id, b.id))
  return out
}

// ---------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------

/**
 * 资源校验规则 — `duplicate-id` 资源标识重复, `no-tags` 未标注能力,
 * `empty-scope` 未指定服务范围, `unknown-scope-unit` 服务范围单元不存在,
 * `availability-order` 可用时段起止颠倒.
 *
 * @since 0.1.0
 * @category validation
 */
export const ResourceRule = Schema.Literal(
  "duplicate-id",
  "no-tags",
  "empty-scope",
  "unknown-scope-unit",
  "availability-order"
).annotations({ identifier: "ResourceRule", title: "资源校验规则 resource rule" })

/**
 * @since 0.1.0
 * @category validation
 */
export type ResourceRule = typeof ResourceRule.Type

/**
 * 资源校验问题 — one violation: the rule, the resource, the units involved
 * (for `unknown-scope-unit`) and a readable message.
 *
 * @since 0.1.0
 * @category validation
 */
export const ResourceViolation = Schema.TaggedStruct("ResourceViolation", {
  rule: ResourceRule,
  resourceId: ResourceId,
  unitIds: Schema.Array(UnitId),
  message: Schema.String
}).annotations({ identifier: "ResourceViolation", title: "资源校验问题 resource violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface ResourceViolation extends Schema.Schema.Type<typeof ResourceViolation> {}

/**
 * 资源清单无效 — carries every violation, sorted by resource id then rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class ResourceListInvalid extends Schema.TaggedError<ResourceListInvalid>()("ResourceListInvalid", {
  violations: Schema.NonEmptyArray(ResourceViolation)
}) {
  override get message(): string {
    return `资源清单无效 invalid resource list (${this.violations.length} violation(s)): ${this.violations
      .map((v) => v.message)
      .join("; ")}`
  }
}

/**
 * 资源清单校验 — checks a resource list and returns every violation: duplicate
 * ids, resources without tags or without scope, an availability window that
 * ends before it starts, and — when a hierarchy is given — scope units it does
 * not know. On success returns the resources sorted by id.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = <U extends Unit>(
  resources: ReadonlyArray<Resource>,
  options?: { readonly hierarchy?: Hierarchy.Hierarchy<U> }
): Either.Either<ReadonlyArray<Resource>, ResourceListInvalid> => {
  const violations: Array<ResourceViolation> = []
  const v = (
    rule: ResourceRule,
    resourceId: ResourceId,
    message: string,
    unitIds: ReadonlyArray<UnitId> = []
  ) => violations.push(ResourceViolation.make({ rule, resourceId, unitIds, message }))
  const seen = new Map<string, number>()
  for (const r of resources) seen.set(r.id, (seen.get(r.id) ?? 0) + 1)
  for (const [id, n] of seen) {
    if (n > 1) {
      v(
        "duplicate-id",
        ResourceId.make(id, { disableValidation: true }),
        `资源标识重复 resource "${id}" appears ${n} times`
      )
    }
  }
  const hierarchy = options?.hierarchy
  for (const r of resources) {
    if (r.tags.length === 0) v("no-tags", r.id, `未标注能力 resource "${r.id}" offers no capability tag`)
    if (r.scope.length === 0) v("empty-scope", r.id, `未指定服务范围 resource "${r.id}" has no scope unit`)
    if (hierarchy !== undefined) {
      const unknown = r.scope.filter((u) => !Hierarchy.has(hierarchy, u))
      if (unknown.length > 0) {
        v(
          "unknown-scope-unit",
          r.id,
          `服务范围单元不存在 resource "${r.id}": unknown scope unit(s) ${unknown.join(", ")}`,
          unknown
        )
      }
    }
    const w = r.availability
    if (w !== undefined && DateTime.lessThan(w.to, w.from)) {
      v(
        "availability-order",
        r.id,
        `可用时段起止颠倒 resource "${r.id}": availability ends (${DateTime.formatIso(w.to)}) before it starts (${DateTime.formatIso(w.from)})`
      )
    }
  }
  violations.sort(
    (a, b) => Ids.compareStrings(a.resourceId, b.resourceId) || Ids.compareStrings(a.rule, b.rule)
  )
  if (Arr.isNonEmptyArray(violations)) return Either.left(new ResourceListInvalid({ violations }))
  return Either.right([...resources].sort((a, b) => Ids.compareStrings(a.id, b.id)))
}
