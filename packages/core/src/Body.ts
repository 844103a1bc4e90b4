/**
 * 组织机构 — the bodies of community governance: the committees, stations,
 * councils, companies, organisations and party organisations whose posts people
 * hold. Kinds are configuration ({@link BodyKindTable}); the default table
 * holds the bodies the field reports name:
 *
 * | kind                         | 中文              | class          |
 * | ---------------------------- | ----------------- | -------------- |
 * | `residents-committee`        | 居民委员会        | deliberative, 两委 |
 * | `villagers-committee`        | 村民委员会        | deliberative, 两委 |
 * | `workstation`                | 工作站 / 服务站   | executive      |
 * | `grid-station`               | 网格服务站 / 网格工作组 | other    |
 * | `governance-council`         | 社区治理理事会    | deliberative   |
 * | `owners-committee`           | 业委会 / 院委会   | other          |
 * | `property-company`           | 物业企业          | other          |
 * | `social-organization`        | 社会组织          | other          |
 * | `co-building-unit`           | 共建单位          | other          |
 * | `department`                 | 职能部门          | other          |
 * | `street-leadership`          | 街道领导班子      | other          |
 * | `community-party-committee`  | 社区党委 / 党总支 | party, 两委    |
 * | `community-party-branch`     | 社区党支部        | party, 两委    |
 * | `big-party-committee`        | 社区"大党委"      | party          |
 * | `compound-party-branch`      | 小区 / 网格党支部 | party          |
 * | `property-party-branch`      | 物业党组织        | party          |
 * | `temporary-party-branch`     | 临时党支部        | party, temporary |
 * | `mediation-committee`        | 人民调解委员会    | other          |
 *
 * The class drives 议行分离 (the Panlong district report: "实行议行分离", its
 * 一委一站 / 两委一站 / 两委两站 patterns): a community's deliberative bodies
 * (the committee that deliberates, 议) and its executive bodies (the station that
 * carries out, 行) are held by different people. Grid posts (网格长 and the grid's
 * workers) belong to the grid station, not the workstation: a 两委 member may lead a grid. Party bodies lead; the
 * "两委" of a community are its party body and its residents' or villagers'
 * committee ({@link BodyKind.twoCommittees}). A temporary branch (the Yilong
 * county report: "第一时间成立临时党支部" in an emergency) is time-bounded: it must
 * carry the day it ends.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { PartyOrgId } from "./PartyOrganization.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"
import { LocalDate } from "./WorkingCalendar.js"

/**
 * 机构标识 — the identifier of a body.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BodyId = Text.Id.pipe(
  Schema.brand("BodyId"),
  Schema.annotations({ identifier: "BodyId", title: "机构标识 body id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type BodyId = typeof BodyId.Type

/**
 * 机构类别标识 — the id of a body kind in a {@link BodyKindTable} (default
 * kinds are kebab-case English, local kinds may be any id).
 *
 * @since 0.1.0
 * @category schemas
 */
export const BodyKindId = Text.Id.pipe(
  Schema.brand("BodyKindId"),
  Schema.annotations({ identifier: "BodyKindId", title: "机构类别 body kind id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type BodyKindId = typeof BodyKindId.Type

/**
 * 议行类别 — what a body does in 议行分离: `deliberative` 议事 (the committee or
 * council that deliberates), `executive` 执行 (the station that carries out),
 * `party` 党组织 (leads), `other` (companies, organisations, partners).
 *
 * @since 0.1.0
 * @category schemas
 */
export const BodyClass = Schema.Literal("deliberative", "executive", "party", "other").annotations({
  identifier: "BodyClass",
  title: "议行类别 body class",
  description: "deliberative 议事 | executive 执行 | party 党组织 | other 其他"
})

/**
 * @since 0.1.0
 * @category models
 */
export type BodyClass = typeof BodyClass.Type

/**
 * 机构类别 — one kind of body: its id, Chinese and English names, its class,
 * whether it is one of the community's "两委" (its party body or its residents' /
 * villagers' committee) and whether its bodies are temporary (must end).
 *
 * @since 0.1.0
 * @category schemas
 */
export const BodyKind = Schema.Struct({
  id: BodyKindId,
  zh: Text.Name,
  en: Text.Name,
  bodyClass: BodyClass,
  /** 两委 — a body of this kind counts as one of the community's two committees. */
  twoCommittees: Schema.Boolean,
  /** 临时 — a body of this kind is time-bounded and must carry its end date. */
  temporary: Schema.Boolean
}).annotations({ identifier: "BodyKind", title: "机构类别 body kind" })

/**
 * @since 0.1.0
 * @category models
 */
export interface BodyKind extends Schema.Schema.Type<typeof BodyKind> {}

const kind = (
  id: string,
  zh: string,
  en: string,
  bodyClass: BodyClass,
  twoCommittees = false,
  temporary = false
): BodyKind => ({
  id: BodyKindId.make(id, { disableValidation: true }),
  zh,
  en,
  bodyClass,
  twoCommittees,
  temporary
})

/**
 * The default kind ids, as constants for code that names them.
 *
 * @since 0.1.0
 * @category constants
 */
export const kinds = {
  residentsCommittee: BodyKindId.make("residents-committee", { disableValidation: true }),
  villagersCommittee: BodyKindId.make("villagers-committee", { disableValidation: true }),
  workstation: BodyKindId.make("workstation", { disableValidation: true }),
  gridStation: BodyKindId.make("grid-station", { disableValidation: true }),
  governanceCouncil: BodyKindId.make("governance-council", { disableValidation: true }),
  ownersCommittee: BodyKindId.make("owners-committee", { disableValidation: true }),
  propertyCompany: BodyKindId.make("property-company", { disableValidation: true }),
  socialOrganization: BodyKindId.make("social-organization", { disableValidation: true }),
  coBuildingUnit: BodyKindId.make("co-building-unit", { disableValidation: true }),
  department: BodyKindId.make("department", { disableValidation: true }),
  streetLeadership: BodyKindId.make("street-leadership", { disableValidation: true }),
  communityPartyCommittee: BodyKindId.make("community-party-committee", { disableValidation: true }),
  communityPartyBranch: BodyKindId.make("community-party-branch", { disableValidation: true }),
  bigPartyCommittee: BodyKindId.make("big-party-committee", { disableValidation: true }),
  compoundPartyBranch: BodyKindId.make("compound-party-branch", { disableValidation: true }),
  propertyPartyBranch: BodyKindId.make("property-party-branch", { disableValidation: true }),
  temporaryPartyBranch: BodyKindId.make("temporary-party-branch", { disableValidation: true }),
  mediationCommittee: BodyKindId.make("mediation-committee", { disableValidation: true })
} as const

/**
 * 机构类别表 — the configured body kinds.
 *
 * @since 0.1.0
 * @category models
 */
export type BodyKindTable = ReadonlyArray<BodyKind>

/**
 * The default body kinds (the table in the module's description).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultKinds: BodyKindTable = [
  kind("residents-committee", "居民委员会", "residents' committee", "deliberative", true),
  kind("villagers-committee", "村民委员会", "villagers' committee", "deliberative", true),
  kind("workstation", "工作站/服务站", "workstation", "executive"),
  kind("grid-station", "网格服务站", "grid station", "other"),
  kind("governance-council", "社区治理理事会", "governance council", "deliberative"),
  kind("owners-committee", "业委会/院委会", "owners' committee", "other"),
  kind("property-company", "物业企业", "property company", "other"),
  kind("social-organization", "社会组织", "social organisation", "other"),
  kind("co-building-unit", "共建单位", "co-building unit", "other"),
  kind("department", "职能部门", "functional department", "other"),
  kind("street-leadership", "街道领导班子", "street leadership", "other"),
  kind("community-party-committee", "社区党委/党总支", "community party committee", "party", true),
  kind("community-party-branch", "社区党支部", "community party branch", "party", true),
  kind("big-party-committee", "社区大党委", "community 'big party committee'", "party"),
  kind("compound-party-branch", "小区/网格党支部", "compound party branch", "party"),
  kind("property-party-branch", "物业党组织", "property-company party organisation", "party"),
  kind("temporary-party-branch", "临时党支部", "temporary party branch", "party", false, true),
  kind("mediation-committee", "人民调解委员会", "mediation committee", "other")
]

/**
 * Looks a kind up in a table.
 *
 * @since 0.1.0
 * @category getters
 */
export const kindOf = (table: BodyKindTable, id: BodyKindId): Option.Option<BodyKind> =>
  Option.fromNullable(table.find((k) => k.id === id))

/**
 * 职能条线 — the line a functional department belongs to (for the 大党委's
 * 兼职委员): `public-security` 公安, `urban-management` 城管,
 * `market-regulation` 市场监管, or a local line.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Sector = Text.Id.pipe(
  Schema.brand("Sector"),
  Schema.annotations({ identifier: "Sector", title: "职能条线 sector" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Sector = typeof Sector.Type

/**
 * The three sectors the community experience report names for the 大党委.
 *
 * @since 0.1.0
 * @category constants
 */
export const sectors = {
  publicSecurity: Sector.make("public-security", { disableValidation: true }),
  urbanManagement: Sector.make("urban-management", { disableValidation: true }),
  marketRegulation: Sector.make("market-regulation", { disableValidation: true })
} as const

/**
 * 组织机构 — a body: its id, kind, name, the unit it belongs to (a community
 * for its committees, a compound for its 业委会, a street for its leadership …),
 * optionally the party organisation it is in the party tree, the sector of a
 * department, and the days it exists (a temporary branch must carry `until`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Body = Schema.Struct({
  id: BodyId,
  kind: BodyKindId,
  name: Text.Name,
  /** 所属单元 — the unit the body belongs to. */
  unitId: UnitId,
  /** 党组织 — for a party body, its node in the party tree. */
  partyOrgId: Schema.optionalWith(PartyOrgId, { exact: true }),
  /** 职能条线 — for a department, its line (公安, 城管, 市场监管 …). */
  sector: Schema.optionalWith(Sector, { exact: true }),
  /** 成立日期 — the first day the body exists. */
  since: Schema.optionalWith(LocalDate, { exact: true }),
  /** 撤销日期 — the last day the body exists (required for a temporary kind). */
  until: Schema.optionalWith(LocalDate, { exact: true })
}).annotations({ identifier: "Body", title: "组织机构 body" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Body extends Schema.Schema.Type<typeof Body> {}

/**
 * Builds a body without validation (for trusted data and tests).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (fields: {
  readonly id: string
  readonly kind: string
  readonly name: string
  readonly unitId: string
  readonly partyOrgId?: string
  readonly sector?: string
  readonly since?: string
  readonly until?: string
}): Body => {
  const o = { disableValidation: true }
  return {
    id: BodyId.make(fields.id, o),
    kind: BodyKindId.make(fields.kind, o),
    name: fields.name,
    unitId: UnitId.make(fields.unitId, o),
    ...(fields.partyOrgId === undefined ? {} : { partyOrgId: PartyOrgId.make(fields.partyOrgId, o) }),
    ...(fields.sector === undefined ? {} : { sector: Sector.make(fields.sector, o) }),
    ...(fields.since === undefined ? {} : { since: LocalDate.make(fields.since, o) }),
    ...(fields.until === undefined ? {} : { until: LocalDate.make(fields.until, o) })
  }
}

/**
 * Whether a body exists on a day (its `since` … `until`, both inclusive).
 *
 * @since 0.1.0
 * @category predicates
 */
export const existsOn = (body: Body, day: LocalDate): boolean =>
  (body.since === undefined || body.since <= day) && (body.until === undefined || day <= body.until)

/**
 * The class of a body under a kind table (`other` for an unknown kind).
 *
 * @since 0.1.0
 * @category getters
 */
export const classOf = (table: BodyKindTable, body: Body): BodyClass =>
  Option.match(kindOf(table, body.kind), { onNone: () => "other", onSome: (k) => k.bodyClass })
