/**
 * 角色表 — the roles of the SDK as configuration: one table of the actor roles
 * (操作人角色), the grid staffing roles (网格力量角色), the case report sources
 * (案件来源) and the resource provider kinds (资源提供方类型). The defaults are the
 * closed lists the core has today (`Actor.roles`, `Staffing.roles`,
 * `Case.Source`, `ResourceList.ProviderKind`), marked built-in: code depends on
 * them, so a table cannot drop them. Local roles are added as rows, without
 * code — {@link localRoles} holds the ones the field reports name:
 *
 * | id                      | 中文        | where                                   | source |
 * | ----------------------- | ----------- | --------------------------------------- | ------ |
 * | `group-leader`          | 居民小组长  | residents' group (unit)                 | the Panlong district report's 五级治理 |
 * | `ten-household-leader`  | 十户长      | micro-grid of about ten households      | the Panlong district report; the Yilong county report's 每10户小网格 |
 * | `stairwell-leader`      | 楼道长      | stairwell (单元/楼道)                   | the community experience report |
 * | `mediator`              | 调解员      | community (unit)                        | the Pingyi street report |
 * | `informant`             | 信息员      | community, grid                         | the Panlong district report |
 * | `volunteer-police`      | 义警员      | community, grid                         | the public-rental-housing community report |
 * | `petition-agent`        | 信访代办员  | community                               | the public-rental-housing community report |
 * | `legal-adviser`         | 法律顾问    | village or community                    | the Pingyi street report's 一村一顾问 |
 * | `two-committee-member`  | 两委成员    | community                               | the Yilong county report |
 *
 * The table is pure data with lookup and validation; callers decide where it
 * applies.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Actor from "./Actor.js"
import * as Case from "./Case.js"
import * as ResourceList from "./ResourceList.js"
import * as Staffing from "./Staffing.js"
import * as Text from "./Text.js"

/**
 * 角色域 — which list a role belongs to: `actor` 操作人角色, `staffing` 网格力量角色,
 * `report-source` 案件来源, `provider-kind` 资源提供方类型.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Domain = Schema.Literal("actor", "staffing", "report-source", "provider-kind").annotations({
  identifier: "RoleDomain",
  title: "角色域 role domain",
  description:
    "actor 操作人角色 | staffing 网格力量角色 | report-source 案件来源 | provider-kind 资源提供方类型"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Domain = typeof Domain.Type

/**
 * 任职层级 — where a role can be assigned: a unit (community, street, residents'
 * group …), a grid, a micro-grid (微网格, about ten households), a building or a
 * stairwell (单元/楼道).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Placement = Schema.Literal("unit", "grid", "micro-grid", "building", "stairwell").annotations({
  identifier: "RolePlacement",
  title: "任职层级 placement",
  description: "unit 单元 | grid 网格 | micro-grid 微网格 | building 楼栋 | stairwell 单元/楼道"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Placement = typeof Placement.Type

/**
 * 角色标识 — a role's id within its domain.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RoleId = Text.Id.pipe(
  Schema.brand("RoleId"),
  Schema.annotations({ identifier: "RoleId", title: "角色标识 role id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type RoleId = typeof RoleId.Type

/**
 * 角色 — one row of the table: domain, id, names, whether it is built in (one
 * of today's closed lists) and where it can be placed (empty: anywhere, or not
 * applicable — report sources, actor roles).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RoleEntry = Schema.Struct({
  domain: Domain,
  id: RoleId,
  zh: Text.Name,
  en: Text.Name,
  builtIn: Schema.Boolean,
  placements: Schema.Array(Placement).pipe(Schema.maxItems(5))
}).annotations({ identifier: "RoleEntry", title: "角色 role" })

/**
 * @since 0.1.0
 * @category models
 */
export interface RoleEntry extends Schema.Schema.Type<typeof RoleEntry> {}

/**
 * 角色表 — the rows, at most 1,000.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RoleTable = Schema.Array(RoleEntry).pipe(
  Schema.maxItems(1000),
  Schema.annotations({ identifier: "RoleTable", title: "角色表 role table" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type RoleTable = typeof RoleTable.Type

const entry = (
  domain: Domain,
  id: string,
  zh: string,
  en: string,
  builtIn: boolean,
  placements: ReadonlyArray<Placement> = []
): RoleEntry => ({ domain, id: RoleId.make(id, { disableValidation: true }), zh, en, builtIn, placements })

const actorEn: Readonly<Record<Actor.Role, string>> = {
  resident: "resident",
  "grid-worker": "grid worker",
  "community-staff": "community staff",
  "street-staff": "street staff",
  "district-staff": "district command centre",
  department: "functional department",
  hotline: "12345 hotline",
  system: "system"
}

const sourceEn: Readonly<Record<Case.Source, string>> = {
  patrol: "grid worker patrol",
  "resident-app": "resident app",
  hotline: "12345 hotline",
  open311: "Open311 client",
  assigned: "assigned from above",
  petition: "petition",
  dispute: "dispute"
}

const providerEn: Readonly<Record<ResourceList.ProviderKind, string>> = {
  "co-building-unit": "co-building unit",
  "social-organization": "social organisation",
  "party-member": "party member",
  volunteer: "volunteer"
}

const placementOf: Readonly<Record<Staffing.TargetKind, Placement>> = {
  Grid: "grid",
  Building: "building",
  Unit: "unit"
}

/**
 * The default table: today's closed lists, built in.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: RoleTable = [
  ...Actor.roles.map((r) => entry("actor", r, Actor.roleNames[r], actorEn[r], true)),
  ...Staffing.roles.map((r) =>
    entry(
      "staffing",
      r,
      Staffing.roleNames[r].zh,
      Staffing.roleNames[r].en,
      true,
      Staffing.allowedTargets[r].map((t) => placementOf[t])
    )
  ),
  ...Case.Source.literals.map((s) => entry("report-source", s, Case.sourceNames[s], sourceEn[s], true)),
  ...ResourceList.ProviderKind.literals.map((k) =>
    entry("provider-kind", k, ResourceList.providerKindNames[k], providerEn[k], true)
  )
]

/**
 * The local staffing roles the field reports name (the table in the module's
 * description); add them with {@link addAll}.
 *
 * @since 0.1.0
 * @category constants
 */
export const localRoles: RoleTable = [
  entry("staffing", "group-leader", "居民小组长", "residents' group leader", false, ["unit"]),
  entry("staffing", "ten-household-leader", "十户长", "ten-household leader", false, ["micro-grid"]),
  entry("staffing", "stairwell-leader", "楼道长", "stairwell leader", false, ["stairwell", "building"]),
  entry("staffing", "mediator", "调解员", "mediator", false, ["unit", "grid"]),
  entry("staffing", "informant", "信息员", "informant", false, ["unit", "grid"]),
  entry("staffing", "volunteer-police", "义警员", "volunteer police", false, ["unit", "grid"]),
  entry("staffing", "petition-agent", "信访代办员", "petition agent", false, ["unit"]),
  entry("staffing", "legal-adviser", "法律顾问", "legal adviser", false, ["unit"]),
  entry("staffing", "two-committee-member", "两委成员", "member of the two committees", false, ["unit"])
]

/**
 * The rule a table breaks: `duplicate` (a domain and id twice),
 * `built-in-missing` (a default role dropped), `built-in-claimed` (a row marked
 * built in that is not one of the defaults), `built-in-changed` (a default
 * role's names or placements changed).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TableRule = Schema.Literal(
  "duplicate",
  "built-in-missing",
  "built-in-claimed",
  "built-in-changed"
)

/**
 * @since 0.1.0
 * @category models
 */
export type TableRule = typeof TableRule.Type

const tableRuleText: Readonly<Record<TableRule, { readonly zh: string; readonly en: string }>> = {
  duplicate: { zh: "重复", en: "occurs more than once" },
  "built-in-missing": { zh: "是内置角色，不能删除", en: "is built in and cannot be removed" },
  "built-in-claimed": { zh: "不是内置角色，不能标为内置", en: "is not built in and cannot be marked so" },
  "built-in-changed": { zh: "是内置角色，不能修改", en: "is built in and cannot be changed" }
}

/**
 * 角色表违规 — one row that breaks a table rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class RoleTableViolation extends Schema.TaggedError<RoleTableViolation>()("RoleTableViolation", {
  rule: TableRule,
  domain: Domain,
  id: RoleId
}) {
  override get message(): string {
    const t = tableRuleText[this.rule]
    return `角色表：${this.domain} 角色 ${this.id} ${t.zh} — role table: ${this.domain} role ${this.id} ${t.en} [${this.rule}]`
  }
}

/**
 * 角色表不合规 — every violation of a table.
 *
 * @since 0.1.0
 * @category errors
 */
export class RoleTableInvalid extends Schema.TaggedError<RoleTableInvalid>()("RoleTableInvalid", {
  violations: Schema.NonEmptyArray(RoleTableViolation)
}) {
  override get message(): string {
    return `角色表有 ${this.violations.length} 处不合规 — ${this.violations.length} role table violation(s):\n${this.violations.map((v) => `- ${v.message}`).join("\n")}`
  }
}

/**
 * 未知角色 — a role the table does not hold.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownRole extends Schema.TaggedError<UnknownRole>()("UnknownRole", {
  domain: Domain,
  id: Schema.String
}) {
  override get message(): string {
    return `角色表中没有 ${this.domain} 角色 "${this.id}" — the role table has no ${this.domain} role "${this.id}"`
  }
}

/**
 * 不能任职于此 — a role placed where it cannot be.
 *
 * @since 0.1.0
 * @category errors
 */
export class PlacementRefused extends Schema.TaggedError<PlacementRefused>()("PlacementRefused", {
  domain: Domain,
  id: RoleId,
  placement: Placement,
  allowed: Schema.Array(Placement)
}) {
  override get message(): string {
    return `${this.domain} 角色 ${this.id} 不能任职于 ${this.placement}（可任职于 ${this.allowed.join(", ")}） — ${this.domain} role ${this.id} cannot be placed at a ${this.placement} (allowed: ${this.allowed.join(", ")})`
  }
}

const keyOf = (domain: Domain, id: string): string => `${domain}\u0000${id}`

const sameRow = (a: RoleEntry, b: RoleEntry): boolean =>
  a.zh === b.zh &&
  a.en === b.en &&
  a.placements.length === b.placements.length &&
  a.placements.every((p, i) => b.placements[i] === p)

/**
 * Every violation of a table (sorted by domain and id).
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (table: RoleTable): ReadonlyArray<RoleTableViolation> => {
  const out: Array<RoleTableViolation> = []
  const builtIn = new Map(defaults.map((e) => [keyOf(e.domain, e.id), e] as const))
  const seen = new Map<string, number>()
  for (const e of table) {
    const k = keyOf(e.domain, e.id)
    const n = (seen.get(k) ?? 0) + 1
    seen.set(k, n)
    if (n === 2) out.push(new RoleTableViolation({ rule: "duplicate", domain: e.domain, id: e.id }))
    const def = builtIn.get(k)
    if (e.builtIn && def === undefined) {
      out.push(new RoleTableViolation({ rule: "built-in-claimed", domain: e.domain, id: e.id }))
    }
    if (def !== undefined && n === 1 && (!e.builtIn || !sameRow(e, def))) {
      out.push(new RoleTableViolation({ rule: "built-in-changed", domain: e.domain, id: e.id }))
    }
  }
  for (const def of defaults) {
    if (!seen.has(keyOf(def.domain, def.id))) {
      out.push(new RoleTableViolation({ rule: "built-in-missing", domain: def.domain, id: def.id }))
    }
  }
  return out.sort((a, b) => {
    const ka = `${keyOf(a.domain, a.id)}\u0000${a.rule}`
    const kb = `${keyOf(b.domain, b.id)}\u0000${b.rule}`
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
}

/**
 * Validates a table: the table, or every violation.
 *
 * @since 0.1.0
 * @category validation
 */
export const make = (table: RoleTable): Either.Either<RoleTable, RoleTableInvalid> => {
  const [first, ...rest] = check(table)
  return first === undefined
    ? Either.right(table)
    : Either.left(new RoleTableInvalid({ violations: [first, ...rest] }))
}

/**
 * Adds local roles to a table (validated: a role already there is a duplicate).
 *
 * @since 0.1.0
 * @category combinators
 */
export const addAll = (
  table: RoleTable,
  rows: ReadonlyArray<RoleEntry>
): Either.Either<RoleTable, RoleTableInvalid> => make([...table, ...rows])

/**
 * Looks a role up.
 *
 * @since 0.1.0
 * @category getters
 */
export const lookup = (table: RoleTable, domain: Domain, id: string): Option.Option<RoleEntry> =>
  Option.fromNullable(table.find((e) => e.domain === domain && e.id === id))

/**
 * The role, or {@link UnknownRole}.
 *
 * @since 0.1.0
 * @category validation
 */
export const resolve = (
  table: RoleTable,
  domain: Domain,
  id: string
): Either.Either<RoleEntry, UnknownRole> =>
  Option.match(lookup(table, domain, id), {
    onNone: () => Either.left(new UnknownRole({ domain, id })),
    onSome: Either.right
  })

/**
 * The roles of a domain, in table order.
 *
 * @since 0.1.0
 * @category getters
 */
export const rolesOf = (table: RoleTable, domain: Domain): ReadonlyArray<RoleEntry> =>
  table.filter((e) => e.domain === domain)

/**
 * Checks a placement: the role, or why it cannot be placed there (unknown
 * role, or a placement outside its list; an empty list allows any).
 *
 * @since 0.1.0
 * @category validation
 */
export const place = (
  table: RoleTable,
  domain: Domain,
  id: string,
  placement: Placement
): Either.Either<RoleEntry, UnknownRole | PlacementRefused> =>
  Either.flatMap(
    resolve(table, domain, id),
    (e): Either.Either<RoleEntry, PlacementRefused> =>
      e.placements.length === 0 || e.placements.includes(placement)
        ? Either.right(e)
        : Either.left(new PlacementRefused({ domain, id: e.id, placement, allowed: e.placements }))
  )

/**
 * The Chinese name of a role, or its id when the table does not hold it.
 *
 * @since 0.1.0
 * @category getters
 */
export const nameOf = (table: RoleTable, domain: Domain, id: string): string =>
  Option.match(lookup(table, domain, id), { onNone: () => id, onSome: (e) => e.zh })
