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
 * **Local actor roles** 本地操作人角色. A row of the `actor` domain that is not
 * built in is a role someone can act in — hold an API key for, be recorded
 * with in a case's history — with the rights of a built-in actor role, its
 * `actsAs` (built-in rows act as themselves and carry none). The core's rules
 * keep deciding by the built-in roles: {@link actorRole} resolves a role name
 * (id or Chinese name) to `{ role, localRole }`, the one place a principal's
 * role is drawn from the table. {@link localRoles} holds three, each acting
 * with the least built-in rights that let it do its work — the core's rules
 * decide which role may file a case from which source (信访 petitions only
 * staff; disputes and patrol finds grid workers too):
 *
 * | id               | 中文        | acts as           | source |
 * | ---------------- | ----------- | ----------------- | ------ |
 * | `petition-agent` | 信访代办员  | `community-staff` | the public-rental-housing community report: set up by the community to take petitions on residents' behalf (信访代办 7 件) — it files petitions (source `petition`, which the core lets only staff file) and calls the petitioner back, as the community's staff do |
 * | `mediator`       | 调解员      | `grid-worker`     | the Pingyi street report (调解员 per community) and the public-rental-housing community report's 调解点位 in the grids — it takes up disputes (source `dispute`, which grid workers file) and settles them on the spot, a grid worker's 自处理 |
 * | `informant`      | 信息员      | `grid-worker`     | the Panlong district report (网格管理员、调解员、信息员制度: 社情民意收集) — it collects and reports, a grid worker's patrol |
 *
 * **Local report sources** 本地案件来源. A row of the `report-source` domain
 * that is not built in is a channel a case can be reported through, acting
 * as a built-in source (`actsAs`, one of `Case.Source`): the case records
 * both — the built-in `source`, by which the core's rules (who may report
 * from which source, `Case.reportSources`) and indicators (主动发现率 …)
 * keep deciding, and `localSource`. {@link reportSource} resolves a source
 * name (id or Chinese name) in one place. {@link localRoles} holds three:
 *
 * | id                     | 中文        | acts as    | source |
 * | ---------------------- | ----------- | ---------- | ------ |
 * | `fengqiao-cabin`       | 枫桥小屋    | `dispute`  | the Pingyi street report's 枫桥小屋: residents walk in with disputes, settled on the spot |
 * | `consultation-meeting` | 民情恳谈会  | `patrol`   | the Panlong district report's 民情恳谈 (社情民意收集): problems staff and grid workers take up themselves — proactive discovery, as a patrol |
 * | `petition-agency`      | 信访代办    | `petition` | the public-rental-housing community report's 信访代办: petitions taken on residents' behalf |
 *
 * **Local provider kinds** 本地资源提供方类型. A row of the `provider-kind`
 * domain that is not built in is a kind of provider acting as a built-in one
 * (`actsAs`, one of `ResourceList.ProviderKind`); {@link providerKind}
 * resolves it. {@link localRoles} holds the reports' sub-kinds: 驻区单位
 * `resident-unit` and 结对共建机关 `paired-agency` (co-building units, the
 * community experience report's 共驻共建), 物业企业 `property-company` and
 * 社工机构 `social-work-agency` (social organisations, the Panlong district
 * report's 多元共治).
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
 * 角色标识 — a role's id within its domain (the schema `Actor.RoleId`: an
 * actor records its local role by it).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RoleId: typeof Actor.RoleId = Actor.RoleId

/**
 * @since 0.1.0
 * @category models
 */
export type RoleId = Actor.RoleId

/**
 * 同于 — what a local row acts as: a built-in role of its own domain — an
 * actor role (`Actor.Role`), a report source (`Case.Source`) or a provider
 * kind (`ResourceList.ProviderKind`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ActsAs = Schema.Union(Actor.Role, Case.Source, ResourceList.ProviderKind).annotations({
  identifier: "RoleActsAs",
  title: "同于 acts as",
  description: "a built-in role of the row's domain: an actor role, a report source or a provider kind"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ActsAs = Actor.Role | Case.Source | ResourceList.ProviderKind

/**
 * The domains whose local rows act as a built-in role (`actsAs`); staffing
 * roles are placed, not acted as.
 */
const actingDomains: ReadonlySet<Domain> = new Set<Domain>(["actor", "report-source", "provider-kind"])

/**
 * 角色 — one row of the table: domain, id, names, whether it is built in (one
 * of today's closed lists), where it can be placed (empty: anywhere, or not
 * applicable — report sources, actor roles) and, for a local actor role,
 * report source or provider kind, the built-in role of its domain it acts as
 * (`actsAs`).
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
  placements: Schema.Array(Placement).pipe(Schema.maxItems(5)),
  /**
   * 同于 — for a local row of the `actor`, `report-source` or `provider-kind`
   * domain: the built-in role of that domain it acts as (an actor role's
   * rights, not `system`; the source the core's rules and indicators count;
   * the provider kind). Built-in rows and `staffing` rows carry none.
   */
  actsAs: Schema.optionalWith(ActsAs, { exact: true })
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
  placements: ReadonlyArray<Placement> = [],
  actsAs?: ActsAs
): RoleEntry => ({
  domain,
  id: RoleId.make(id, { disableValidation: true }),
  zh,
  en,
  builtIn,
  placements,
  ...(actsAs === undefined ? {} : { actsAs })
})

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
 * The local roles the field reports name (the tables in the module's
 * description): the staffing roles; the actor roles 信访代办员 (acting as
 * community staff), 调解员 and 信息员 (acting as grid workers); the report
 * sources 枫桥小屋 (as a dispute), 民情恳谈会 (as a patrol) and 信访代办 (as a
 * petition); the provider kinds 驻区单位 and 结对共建机关 (co-building units),
 * 物业企业 and 社工机构 (social organisations). Add them with {@link addAll}.
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
  entry("staffing", "two-committee-member", "两委成员", "member of the two committees", false, ["unit"]),
  // the public-rental-housing community report's 信访代办: petitions are filed by staff (the core's report sources)
  entry("actor", "petition-agent", "信访代办员", "petition agent", false, [], "community-staff"),
  // the Pingyi street report's mediators per community; disputes settled on the spot, a grid worker's 自处理
  entry("actor", "mediator", "调解员", "mediator", false, [], "grid-worker"),
  // the Panlong district report's 信息员: 社情民意收集 — collects and reports, a grid worker's patrol
  entry("actor", "informant", "信息员", "informant", false, [], "grid-worker"),
  // the Pingyi street report's 枫桥小屋: residents walk in with disputes, settled on the spot
  entry("report-source", "fengqiao-cabin", "枫桥小屋", "Fengqiao cabin (walk-in)", false, [], "dispute"),
  // the Panlong district report's 民情恳谈: problems found by staff and grid workers themselves
  entry(
    "report-source",
    "consultation-meeting",
    "民情恳谈会",
    "residents' consultation meeting",
    false,
    [],
    "patrol"
  ),
  // the public-rental-housing community report's 信访代办: petitions taken on residents' behalf
  entry("report-source", "petition-agency", "信访代办", "petition agency", false, [], "petition"),
  // the community experience report's 共驻共建: units in the area and paired government agencies
  entry(
    "provider-kind",
    "resident-unit",
    "驻区单位",
    "unit based in the area",
    false,
    [],
    "co-building-unit"
  ),
  entry(
    "provider-kind",
    "paired-agency",
    "结对共建机关",
    "paired government agency",
    false,
    [],
    "co-building-unit"
  ),
  // the Panlong district report's 多元共治: property companies and social-work agencies
  entry(
    "provider-kind",
    "property-company",
    "物业企业",
    "property management company",
    false,
    [],
    "social-organization"
  ),
  entry(
    "provider-kind",
    "social-work-agency",
    "社工机构",
    "social-work agency",
    false,
    [],
    "social-organization"
  )
]

/**
 * 标准角色表 — the table an app uses unless it is given one: the
 * {@link defaults} and the {@link localRoles} (valid: checked by the tests).
 *
 * @since 0.1.0
 * @category constants
 */
export const standard: RoleTable = [...defaults, ...localRoles]

/**
 * The rule a table breaks: `duplicate` (a domain and id twice),
 * `built-in-missing` (a default role dropped), `built-in-claimed` (a row marked
 * built in that is not one of the defaults), `built-in-changed` (a default
 * role's names, placements or `actsAs` changed), `acts-as-missing` (a local
 * actor role, report source or provider kind that names no `actsAs`),
 * `acts-as-system` (a local actor role acting as `system`: automatic actions
 * are no one's rights), `acts-as-outside-domain` (a local row whose `actsAs`
 * is no built-in role of its own domain — a report source acting as an actor
 * role …) and `acts-as-outside-actor` (a `staffing` row that carries
 * `actsAs`: staffing roles are placed, not acted as).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TableRule = Schema.Literal(
  "duplicate",
  "built-in-missing",
  "built-in-claimed",
  "built-in-changed",
  "acts-as-missing",
  "acts-as-system",
  "acts-as-outside-domain",
  "acts-as-outside-actor"
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
  "built-in-changed": { zh: "是内置角色，不能修改", en: "is built in and cannot be changed" },
  "acts-as-missing": {
    zh: "是本地角色，须以 actsAs 指明其所同的本域内置角色（操作人角色、案件来源或提供方类型）",
    en: "is a local role and must name the built-in role of its domain it acts as (actsAs: the actor role whose rights it has, the report source or the provider kind)"
  },
  "acts-as-system": {
    zh: "的 actsAs 不能是 system（系统自动操作不是任何人的权限）",
    en: "cannot act as system (actsAs): automatic actions are no one's rights"
  },
  "acts-as-outside-domain": {
    zh: "的 actsAs 须是本域的内置角色",
    en: "must act as a built-in role of its own domain (actsAs)"
  },
  "acts-as-outside-actor": {
    zh: "是网格力量角色，不能有 actsAs",
    en: "is a staffing role and carries no actsAs"
  }
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
  a.actsAs === b.actsAs &&
  a.zh === b.zh &&
  a.en === b.en &&
  a.placements.length === b.placements.length &&
  a.placements.every((p, i) => b.placements[i] === p)

const isActorRole = Schema.is(Actor.Role)
const isSource = Schema.is(Case.Source)
const isProviderKind = Schema.is(ResourceList.ProviderKind)

/** Whether a value is a built-in role of an acting domain. */
const builtInOf: Readonly<Record<Domain, (u: unknown) => boolean>> = {
  actor: isActorRole,
  "report-source": isSource,
  "provider-kind": isProviderKind,
  staffing: () => false
}

/**
 * The `actsAs` rule a row breaks, if any: a local row of an acting domain
 * names a built-in role of that domain (for an actor role, not `system`); a
 * staffing row carries none (a built-in row with one is `built-in-changed`).
 */
const actsAsBreach = (e: RoleEntry, isDefault: boolean): TableRule | undefined => {
  if (!actingDomains.has(e.domain)) return e.actsAs === undefined ? undefined : "acts-as-outside-actor"
  if (isDefault) return undefined
  if (e.actsAs === undefined) return "acts-as-missing"
  if (!builtInOf[e.domain](e.actsAs)) return "acts-as-outside-domain"
  return e.actsAs === "system" ? "acts-as-system" : undefined
}

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
    const actsAsRule = actsAsBreach(e, def !== undefined)
    if (actsAsRule !== undefined && n === 1) {
      out.push(new RoleTableViolation({ rule: actsAsRule, domain: e.domain, id: e.id }))
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

/**
 * 操作人角色解析 — what a role name means for an actor: the built-in `role`
 * whose rights it has (the core's rules decide by it) and, for a local role,
 * the table role itself (`localRole`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ActorRole {
  readonly role: Actor.Role
  readonly localRole?: RoleId
}

/**
 * 解析操作人角色 — the one place a role name (an id such as `petition-agent`,
 * or a Chinese name such as 信访代办员) is drawn from the table for an actor or
 * a principal: an `actor` row of the table matched by id, else by Chinese name
 * (in table order). A built-in role is itself; a local row is its
 * `actsAs` with `localRole` set. A name the table's actor rows do not hold is
 * {@link UnknownRole}; a local row that breaks the `actsAs` rule (a table
 * not checked with {@link make}) is its {@link RoleTableViolation}.
 *
 * @since 0.1.0
 * @category validation
 */
export const actorRole = (
  table: RoleTable,
  name: string
): Either.Either<ActorRole, UnknownRole | RoleTableViolation> => {
  const row = named(table, "actor", name)
  if (row === undefined) return Either.left(new UnknownRole({ domain: "actor", id: name }))
  // a built-in role's row (whatever a malformed table says of it) is that role
  if (isActorRole(row.id)) return Either.right({ role: row.id })
  return Either.map(actingAs(row, isActorRole), (role) => ({ role, localRole: row.id }))
}

/**
 * The built-in role a local row acts as, or the `actsAs` rule it breaks (a
 * table not checked with {@link make}).
 */
const actingAs = <A extends ActsAs>(
  row: RoleEntry,
  is: (u: unknown) => u is A
): Either.Either<A, RoleTableViolation> => {
  const breach = actsAsBreach(row, false)
  return breach === undefined && is(row.actsAs)
    ? Either.right(row.actsAs)
    : Either.left(
        new RoleTableViolation({ rule: breach ?? "acts-as-missing", domain: row.domain, id: row.id })
      )
}

/** The row of a domain a name means: by id, else by Chinese name (in table order). */
const named = (table: RoleTable, domain: Domain, name: string): RoleEntry | undefined => {
  const rows = rolesOf(table, domain)
  return rows.find((e) => e.id === name) ?? rows.find((e) => e.zh === name)
}

/**
 * 案件来源解析 — what a source name means for a report: the built-in
 * `source` the case is reported from (the core's rules and indicators decide
 * by it) and, for a local source, the table row itself (`localSource`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportSource {
  readonly source: Case.Source
  readonly localSource?: RoleId
}

/**
 * 解析案件来源 — the one place a source name (an id such as `fengqiao-cabin`
 * or `dispute`, or a Chinese name such as 枫桥小屋 or 信访) is drawn from the
 * table for a report: a `report-source` row matched by id, else by Chinese
 * name. A built-in source is itself; a local row is its `actsAs` with
 * `localSource` set. A name the table's report sources do not hold is
 * {@link UnknownRole}; a local row that breaks the `actsAs` rule (a table not
 * checked with {@link make}) is its {@link RoleTableViolation}.
 *
 * @since 0.1.0
 * @category validation
 */
export const reportSource = (
  table: RoleTable,
  name: string
): Either.Either<ReportSource, UnknownRole | RoleTableViolation> => {
  const row = named(table, "report-source", name)
  if (row === undefined) return Either.left(new UnknownRole({ domain: "report-source", id: name }))
  if (isSource(row.id)) return Either.right({ source: row.id })
  return Either.map(actingAs(row, isSource), (source) => ({ source, localSource: row.id }))
}

/**
 * 提供方类型解析 — what a provider kind name means: the built-in `kind`
 * (the resource list's rules decide by it) and, for a local kind, the table
 * row itself (`localKind`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ProviderKindOf {
  readonly kind: ResourceList.ProviderKind
  readonly localKind?: RoleId
}

/**
 * 解析提供方类型 — the one place a provider kind name (an id such as
 * `resident-unit` or `volunteer`, or a Chinese name such as 驻区单位 or 志愿者)
 * is drawn from the table: a `provider-kind` row matched by id, else by
 * Chinese name. A built-in kind is itself; a local row is its `actsAs` with
 * `localKind` set. Unknown names are {@link UnknownRole}; a local row that
 * breaks the `actsAs` rule is its {@link RoleTableViolation}.
 *
 * @since 0.1.0
 * @category validation
 */
export const providerKind = (
  table: RoleTable,
  name: string
): Either.Either<ProviderKindOf, UnknownRole | RoleTableViolation> => {
  const row = named(table, "provider-kind", name)
  if (row === undefined) return Either.left(new UnknownRole({ domain: "provider-kind", id: name }))
  if (isProviderKind(row.id)) return Either.right({ kind: row.id })
  return Either.map(actingAs(row, isProviderKind), (kind) => ({ kind, localKind: row.id }))
}
