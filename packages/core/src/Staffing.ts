/**
 * 网格力量配置 — grid staffing: who serves a grid, in which role, and whether
 * the staffing follows the chosen policies.
 *
 * The Panlong district report (某区社区治理工作情况报告, 数字盘龙) states the principle: "按照专职力量
 * 一格一员，专业力量一员多格，兼职力量一格多员的原则，将单元网格力量配置为1+1+1+n模式，
 * 1为区级巡查员、街道监督员、社区网格员，n为志愿者、庭院长、楼栋长等". This module
 * models it as four policies that can each be switched on in a {@link PolicySet}:
 *
 * - 一格一员 `oneWorkerPerGrid` — each basic grid has exactly one full-time grid worker;
 * - 一员多格 `oneProfessionalManyGrids` — a professional may cover several grids, up to
 *   a limit (default 3, local practice); a full-time worker stays within one community;
 * - 一格多员 `manyPartTimersPerGrid` — at least a minimum (default 1) of part-timers per grid,
 *   optionally at most a maximum;
 * - "1+1+1+n" `template` — per grid one district inspector 区级巡查员, one street supervisor
 *   街道监督员, one community grid worker 社区网格员 and at least n (default 1) volunteers or
 *   building leaders.
 *
 * {@link check} returns every violation of the chosen policies, plus the integrity of
 * the assignments themselves (unknown people, grids, buildings; duplicates; a role
 * assigned to a target it cannot have). The community experience report's "选配441名楼道长，其中党员占比80%以上"
 * is what {@link buildingLeaderReport} measures.
 *
 * Staffing does not depend on the hierarchy module: where the template needs the
 * street and district of a grid, the caller passes a {@link GridLocator}.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Building } from "./Building.js"
import { type Grid, GridId, GridKind } from "./Grid.js"
import {
  assignmentKey,
  buildIndex,
  buildingGridsOf,
  compareStrings,
  gridsOf,
  holdsAt,
  indexById,
  type StaffIndex,
  servedBy,
  sortedDistinct
} from "./internal/staffing.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"

// -----------------------------------------------------------------------------
// roles
// -----------------------------------------------------------------------------

/**
 * 网格力量角色 — a staffing role:
 * `grid-leader` 网格长 (often a community committee member),
 * `full-time-worker` 专职网格员, `part-time-worker` 兼职网格员,
 * `instructor` 网格指导员, `inspector` 巡查员 (district level), `supervisor` 监督员
 * (street level), `police` 民警, `building-leader` 楼栋长 (楼道长, the community experience report), `volunteer` 志愿者.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Role = Schema.Literal(
  "grid-leader",
  "full-time-worker",
  "part-time-worker",
  "instructor",
  "inspector",
  "supervisor",
  "police",
  "building-leader",
  "volunteer"
).annotations({
  identifier: "Role",
  title: "网格力量角色 staffing role",
  description:
    "grid-leader 网格长 | full-time-worker 专职网格员 | part-time-worker 兼职网格员 | instructor 网格指导员 | inspector 巡查员 | supervisor 监督员 | police 民警 | building-leader 楼栋长 | volunteer 志愿者"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Role = typeof Role.Type

/**
 * Every role, in a fixed order.
 *
 * @since 0.1.0
 * @category constants
 */
export const roles: ReadonlyArray<Role> = Role.literals

/**
 * Chinese and English names of the roles.
 *
 * @since 0.1.0
 * @category constants
 */
export const roleNames: Readonly<Record<Role, { readonly zh: string; readonly en: string }>> = {
  "grid-leader": { zh: "网格长", en: "grid leader" },
  "full-time-worker": { zh: "专职网格员", en: "full-time grid worker" },
  "part-time-worker": { zh: "兼职网格员", en: "part-time grid worker" },
  instructor: { zh: "网格指导员", en: "grid instructor" },
  inspector: { zh: "巡查员", en: "inspector" },
  supervisor: { zh: "监督员", en: "supervisor" },
  police: { zh: "民警", en: "police officer" },
  "building-leader": { zh: "楼栋长", en: "building leader" },
  volunteer: { zh: "志愿者", en: "volunteer" }
}

// -----------------------------------------------------------------------------
// people
// -----------------------------------------------------------------------------

/**
 * 人员标识 — the identifier of a staff member.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PersonId = Text.Id.pipe(
  Schema.brand("PersonId"),
  Schema.annotations({ identifier: "PersonId", title: "人员标识 person id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type PersonId = typeof PersonId.Type

/**
 * 党员类别 — the community experience report's four classes of party members: `core` 骨干, `ordinary` 一般,
 * `mobile` 流动, `elderly` 老年.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartyMemberClass = Schema.Literal("core", "ordinary", "mobile", "elderly").annotations({
  identifier: "PartyMemberClass",
  title: "党员类别 party-member class",
  description: "core 骨干 | ordinary 一般 | mobile 流动 | elderly 老年"
})

/**
 * @since 0.1.0
 * @category models
 */
export type PartyMemberClass = typeof PartyMemberClass.Type

/**
 * 人员 — a staff member: a grid worker, building leader, volunteer, inspector …
 *
 * This record is personal information under PIPL (《个人信息保护法》): the name and
 * phone must only reach roles that need them, and phone numbers are masked in any
 * other output. This schema does not mask; masking belongs to the output layer.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Person = Schema.Struct({
  id: PersonId,
  /** 姓名 — personal data. */
  name: Text.Name,
  /** 是否党员 — whether the person is a Communist Party member. */
  partyMember: Schema.Boolean,
  /** 党员类别 — for a party member, the class used by the resource list (the community experience report). */
  partyMemberClass: Schema.optionalWith(PartyMemberClass, { exact: true }),
  /** 联系电话 — personal data; mask it (138****1234) wherever it is shown. */
  phone: Schema.optionalWith(Text.Phone, { exact: true })
}).annotations({ identifier: "Person", title: "人员 staff member" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Person extends Schema.Schema.Type<typeof Person> {}

/**
 * Builds a person record without validation (for trusted data and tests; decode
 * untrusted rows with the `Person` schema).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makePerson = (fields: {
  readonly id: string
  readonly name: string
  readonly partyMember: boolean
  readonly partyMemberClass?: PartyMemberClass
  readonly phone?: string
}): Person => ({
  ...fields,
  id: PersonId.make(fields.id, { disableValidation: true })
})

// -----------------------------------------------------------------------------
// assignments
// -----------------------------------------------------------------------------

/**
 * 任职对象（网格） — an assignment target: a grid.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GridTarget = Schema.TaggedStruct("Grid", { gridId: GridId })

/**
 * 任职对象（楼栋） — an assignment target: a building (for 楼栋长, and volunteers).
 *
 * @since 0.1.0
 * @category schemas
 */
export const BuildingTarget = Schema.TaggedStruct("Building", { buildingId: UnitId })

/**
 * 任职对象（单位） — an assignment target: an administrative unit, for roles that belong to
 * a street or district (a district's 巡查员, a street's 监督员).
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnitTarget = Schema.TaggedStruct("Unit", { unitId: UnitId })

/**
 * 任职对象 — what an assignment is to: a grid, a building or a unit.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Target = Schema.Union(GridTarget, BuildingTarget, UnitTarget).annotations({
  identifier: "Target",
  title: "任职对象 assignment target"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Target = typeof Target.Type

/**
 * @since 0.1.0
 * @category models
 */
export type TargetKind = Target["_tag"]

/**
 * 任职 — an assignment: a person holds a role at a target. An inspector or supervisor
 * has one assignment to their district or street (a `Unit` target) and one to each grid
 * they cover (`Grid` targets).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Assignment = Schema.Struct({
  personId: PersonId,
  role: Role,
  target: Target
}).annotations({ identifier: "Assignment", title: "任职 assignment" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Assignment extends Schema.Schema.Type<typeof Assignment> {}

/**
 * The target kinds each role may be assigned to. A building leader leads a building;
 * a volunteer serves a grid or a building; inspectors, supervisors, instructors and
 * police cover grids and belong to a unit; the other roles serve grids.
 *
 * @since 0.1.0
 * @category constants
 */
export const allowedTargets: Readonly<Record<Role, ReadonlyArray<TargetKind>>> = {
  "grid-leader": ["Grid"],
  "full-time-worker": ["Grid"],
  "part-time-worker": ["Grid"],
  instructor: ["Grid", "Unit"],
  inspector: ["Grid", "Unit"],
  supervisor: ["Grid", "Unit"],
  police: ["Grid", "Unit"],
  "building-leader": ["Building"],
  volunteer: ["Grid", "Building"]
}

/**
 * Builds an assignment without validation: `assign("p1", "full-time-worker", { grid: "g1" })`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const assign = (
  personId: string,
  role: Role,
  target: { readonly grid: string } | { readonly building: string } | { readonly unit: string }
): Assignment => {
  const opts = { disableValidation: true }
  return {
    personId: PersonId.make(personId, opts),
    role,
    target:
      "grid" in target
        ? GridTarget.make({ gridId: GridId.make(target.grid, opts) })
        : "building" in target
          ? BuildingTarget.make({ buildingId: UnitId.make(target.building, opts) })
          : UnitTarget.make({ unitId: UnitId.make(target.unit, opts) })
  }
}

// -----------------------------------------------------------------------------
// grid location
// -----------------------------------------------------------------------------

/**
 * 网格所在街道和区 — the street and district a grid lies in (the template's inspector must
 * belong to the district, its supervisor to the street).
 *
 * @since 0.1.0
 * @category schemas
 */
export const GridLocation = Schema.Struct({
  streetId: UnitId,
  districtId: UnitId
}).annotations({ identifier: "GridLocation", title: "网格所在街道和区 grid location" })

/**
 * @since 0.1.0
 * @category models
 */
export interface GridLocation extends Schema.Schema.Type<typeof GridLocation> {}

/**
 * Where a grid lies: a map, or a function (e.g. backed by a hierarchy).
 *
 * @since 0.1.0
 * @category models
 */
export type GridLocator =
  | ReadonlyMap<GridId, GridLocation>
  | ((gridId: GridId) => Option.Option<GridLocation>)

// -----------------------------------------------------------------------------
// policies
// -----------------------------------------------------------------------------

/**
 * 配置原则 — a staffing policy, or `integrity` for the assignment data itself.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Policy = Schema.Literal(
  "integrity",
  "one-worker-per-grid",
  "one-professional-many-grids",
  "many-part-timers-per-grid",
  "1+1+1+n"
).annotations({ identifier: "Policy", title: "配置原则 staffing policy" })

/**
 * @since 0.1.0
 * @category models
 */
export type Policy = typeof Policy.Type

/**
 * Chinese and English names of the policies.
 *
 * @since 0.1.0
 * @category constants
 */
export const policyNames: Readonly<Record<Policy, { readonly zh: string; readonly en: string }>> = {
  integrity: { zh: "任职数据完整性", en: "assignment integrity" },
  "one-worker-per-grid": { zh: "一格一员", en: "one full-time worker per grid" },
  "one-professional-many-grids": { zh: "一员多格", en: "one professional, several grids" },
  "many-part-timers-per-grid": { zh: "一格多员", en: "several part-timers per grid" },
  "1+1+1+n": { zh: "1+1+1+n", en: "inspector + supervisor + grid worker + n" }
}

/**
 * 一格一员 — "专职力量一格一员": each grid of the given kinds has exactly one person in
 * `role` (default: the full-time grid worker; default kinds: basic grids only).
 *
 * @since 0.1.0
 * @category schemas
 */
export const OneWorkerPerGrid = Schema.Struct({
  role: Schema.optionalWith(Role, { default: () => "full-time-worker" as const }),
  gridKinds: Schema.optionalWith(Schema.Array(GridKind), { default: () => ["basic" as const] })
}).annotations({ identifier: "OneWorkerPerGrid", title: "一格一员 one full-time worker per grid" })

/**
 * @since 0.1.0
 * @category models
 */
export interface OneWorkerPerGrid extends Schema.Schema.Type<typeof OneWorkerPerGrid> {}

/**
 * 一员多格 — "专业力量一员多格": a person in one of `roles` may cover several grids, at most
 * `maxGrids` (default 3 — local practice, not a standard; set your own). A person in one of
 * `sameCommunityRoles` (default: full-time grid workers) must keep to grids of one
 * community unless `allowCrossCommunity` is set.
 *
 * The default `roles` are the professionals of the Panlong district report — the district inspector and
 * street supervisor who serve several grids — plus full-time workers, instructors and police.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OneProfessionalManyGrids = Schema.Struct({
  roles: Schema.optionalWith(Schema.Array(Role), {
    default: () => [
      "full-time-worker" as const,
      "instructor" as const,
      "inspector" as const,
      "supervisor" as const,
      "police" as const
    ]
  }),
  maxGrids: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 3 }),
  sameCommunityRoles: Schema.optionalWith(Schema.Array(Role), {
    default: () => ["full-time-worker" as const]
  }),
  allowCrossCommunity: Schema.optionalWith(Schema.Boolean, { default: () => false })
}).annotations({ identifier: "OneProfessionalManyGrids", title: "一员多格 one professional, several grids" })

/**
 * @since 0.1.0
 * @category models
 */
export interface OneProfessionalManyGrids extends Schema.Schema.Type<typeof OneProfessionalManyGrids> {}

/**
 * 一格多员 — "兼职力量一格多员": each grid of the given kinds has at least `min` (default 1)
 * people in `roles` (default: part-time grid workers), and at most `max` when set.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ManyPartTimersPerGrid = Schema.Struct({
  roles: Schema.optionalWith(Schema.Array(Role), { default: () => ["part-time-worker" as const] }),
  min: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { default: () => 1 }),
  max: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { exact: true }),
  gridKinds: Schema.optionalWith(Schema.Array(GridKind), { default: () => ["basic" as const] })
}).annotations({ identifier: "ManyPartTimersPerGrid", title: "一格多员 several part-timers per grid" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ManyPartTimersPerGrid extends Schema.Schema.Type<typeof ManyPartTimersPerGrid> {}

/**
 * "1+1+1+n" — the Panlong district report's unit-grid force: per grid exactly one 区级巡查员 (an inspector
 * covering the grid and assigned to the grid's district), one 街道监督员 (a supervisor
 * assigned to the grid's street), one 社区网格员 (`gridWorkerRoles`, default the full-time
 * worker), and at least `n` (default 1) of `nRoles` (default volunteers and building
 * leaders; a building leader counts for the grids covering their building).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Template = Schema.Struct({
  n: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { default: () => 1 }),
  gridWorkerRoles: Schema.optionalWith(Schema.Array(Role), { default: () => ["full-time-worker" as const] }),
  nRoles: Schema.optionalWith(Schema.Array(Role), {
    default: () => ["volunteer" as const, "building-leader" as const]
  }),
  gridKinds: Schema.optionalWith(Schema.Array(GridKind), { default: () => ["basic" as const] })
}).annotations({ identifier: "Template", title: "1+1+1+n 单元网格力量配置模式" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Template extends Schema.Schema.Type<typeof Template> {}

/**
 * 配置原则组合 — the policies to check; a policy is on when its configuration is present.
 * Decoding `{ "oneWorkerPerGrid": {} }` switches it on with its defaults.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PolicySet = Schema.Struct({
  oneWorkerPerGrid: Schema.optionalWith(OneWorkerPerGrid, { exact: true }),
  oneProfessionalManyGrids: Schema.optionalWith(OneProfessionalManyGrids, { exact: true }),
  manyPartTimersPerGrid: Schema.optionalWith(ManyPartTimersPerGrid, { exact: true }),
  template: Schema.optionalWith(Template, { exact: true })
}).annotations({ identifier: "PolicySet", title: "配置原则组合 policy set" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PolicySet extends Schema.Schema.Type<typeof PolicySet> {}

/**
 * The Panlong district report's full set: 一格一员, 一员多格, 一格多员 and "1+1+1+n", each with its defaults.
 *
 * @since 0.1.0
 * @category constants
 */
export const allPolicies: PolicySet = {
  oneWorkerPerGrid: OneWorkerPerGrid.make({}),
  oneProfessionalManyGrids: OneProfessionalManyGrids.make({}),
  manyPartTimersPerGrid: ManyPartTimersPerGrid.make({}),
  template: Template.make({})
}

// -----------------------------------------------------------------------------
// violations
// -----------------------------------------------------------------------------

const rolesZh = (rs: ReadonlyArray<Role>): string => rs.map((r) => roleNames[r].zh).join("/")
const rolesEn = (rs: ReadonlyArray<Role>): string => rs.map((r) => roleNames[r].en).join("/")
const policyLabel = (policy: Policy): string =>
  policy === "1+1+1+n" ? "1+1+1+n" : `${policyNames[policy].zh} (${policyNames[policy].en})`
const list = (ids: ReadonlyArray<string>): string => ids.join(", ")

/**
 * 人数要求 — how many people a rule wants: `min`, and `max` where bounded.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Expected = Schema.Struct({
  min: Schema.Int,
  max: Schema.optionalWith(Schema.Int, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Expected extends Schema.Schema.Type<typeof Expected> {}

const expectedText = (e: Expected): { readonly zh: string; readonly en: string } =>
  e.max === e.min
    ? { zh: `应为 ${e.min} 名`, en: `exactly ${e.min} required` }
    : e.max === undefined
      ? { zh: `至少 ${e.min} 名`, en: `at least ${e.min} required` }
      : { zh: `应为 ${e.min}–${e.max} 名`, en: `${e.min}–${e.max} required` }

/**
 * The rule a grid breaks: too few / too many people in a role (`missing` and `surplus`
 * for rules that want exactly one), a template role held by someone outside the
 * grid's district or street, a grid the template cannot locate, a repeated grid id.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GridRule = Schema.Literal(
  "missing",
  "surplus",
  "too-few",
  "too-many",
  "out-of-jurisdiction",
  "unlocated",
  "duplicate-grid"
)

/**
 * @since 0.1.0
 * @category models
 */
export type GridRule = typeof GridRule.Type

/**
 * 网格配置违规 — a grid whose staffing breaks a rule. Names the grid, the policy and
 * rule, the roles concerned and the people found (sorted).
 *
 * @since 0.1.0
 * @category errors
 */
export class GridStaffingViolation extends Schema.TaggedError<GridStaffingViolation>()(
  "GridStaffingViolation",
  {
    policy: Policy,
    rule: GridRule,
    gridId: GridId,
    roles: Schema.Array(Role),
    /** The people found in those roles (for `out-of-jurisdiction`: the one out of place). */
    personIds: Schema.Array(PersonId),
    expected: Schema.optionalWith(Expected, { exact: true }),
    /** For `out-of-jurisdiction`: the district or street the person should belong to. */
    unitId: Schema.optionalWith(UnitId, { exact: true }),
    /** For `duplicate-grid`: how often the id occurs. */
    occurrences: Schema.optionalWith(Schema.Int, { exact: true })
  }
) {
  override get message(): string {
    const g = this.gridId
    const zh = rolesZh(this.roles)
    const en = rolesEn(this.roles)
    const n = this.personIds.length
    const found = n === 0 ? "" : ` (${list(this.personIds)})`
    const exp = this.expected === undefined ? { zh: "", en: "" } : expectedText(this.expected)
    const text = ((): string => {
      switch (this.rule) {
        case "missing":
        case "too-few":
          return n === 0
            ? `网格 ${g} 缺${zh}，${exp.zh} — grid ${g} has no ${en}; ${exp.en}`
            : `网格 ${g} 仅有 ${n} 名${zh}${found}，${exp.zh} — grid ${g} has only ${n} ${en}${found}; ${exp.en}`
        case "surplus":
        case "too-many":
          return `网格 ${g} 有 ${n} 名${zh}${found}，${exp.zh} — grid ${g} has ${n} ${en}${found}; ${exp.en}`
        case "out-of-jurisdiction": {
          const level = this.roles.includes("inspector")
            ? { zh: "区", en: "district" }
            : { zh: "街道", en: "street" }
          const unit = this.unitId ?? "?"
          return `网格 ${g} 的${zh} ${list(this.personIds)} 不属于网格所在${level.zh} ${unit} — ${en} ${list(this.personIds)} covering grid ${g} is not assigned to the grid's ${level.en} ${unit}`
        }
        case "unlocated":
          return `无法确定网格 ${g} 所在的街道和区 — grid ${g} has no known street and district, so its inspector and supervisor cannot be checked`
        case "duplicate-grid":
          return `网格标识 ${g} 重复出现 ${this.occurrences ?? 2} 次 — grid id ${g} occurs ${this.occurrences ?? 2} times`
      }
    })()
    return `${policyLabel(this.policy)}: ${text}`
  }
}

/**
 * The rule a person breaks: covering more grids than allowed, serving grids of several
 * communities, a repeated person id, a party-member class on a non-member.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PersonRule = Schema.Literal(
  "over-limit",
  "cross-community",
  "duplicate-person",
  "class-without-membership"
)

/**
 * @since 0.1.0
 * @category models
 */
export type PersonRule = typeof PersonRule.Type

/**
 * 人员配置违规 — a person whose assignments (or record) break a rule. Names the person,
 * the policy and rule, and the grids (sorted) concerned.
 *
 * @since 0.1.0
 * @category errors
 */
export class PersonStaffingViolation extends Schema.TaggedError<PersonStaffingViolation>()(
  "PersonStaffingViolation",
  {
    policy: Policy,
    rule: PersonRule,
    personId: PersonId,
    roles: Schema.Array(Role),
    gridIds: Schema.Array(GridId),
    /** For `cross-community`: the communities of those grids. */
    communityIds: Schema.optionalWith(Schema.Array(UnitId), { exact: true }),
    /** For `over-limit`: the most grids allowed. */
    limit: Schema.optionalWith(Schema.Int, { exact: true }),
    /** For `duplicate-person`: how often the id occurs. */
    occurrences: Schema.optionalWith(Schema.Int, { exact: true })
  }
) {
  override get message(): string {
    const p = this.personId
    const k = this.gridIds.length
    const text = ((): string => {
      switch (this.rule) {
        case "over-limit":
          return `${p} 负责 ${k} 个网格 (${list(this.gridIds)})，超过上限 ${this.limit ?? "?"} 个 — person ${p} covers ${k} grids (${list(this.gridIds)}), over the limit of ${this.limit ?? "?"}`
        case "cross-community": {
          const cs = list(this.communityIds ?? [])
          return `${rolesZh(this.roles)} ${p} 跨社区负责网格 (${list(this.gridIds)}；社区 ${cs}) — ${rolesEn(this.roles)} ${p} serves grids (${list(this.gridIds)}) of several communities (${cs})`
        }
        case "duplicate-person":
          return `人员标识 ${p} 重复出现 ${this.occurrences ?? 2} 次 — person id ${p} occurs ${this.occurrences ?? 2} times`
        case "class-without-membership":
          return `${p} 不是党员却标注了党员类别 — person ${p} is not a party member but has a party-member class`
      }
    })()
    return `${policyLabel(this.policy)}: ${text}`
  }
}

/**
 * The rule an assignment breaks.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AssignmentRule = Schema.Literal(
  "unknown-person",
  "unknown-grid",
  "unknown-building",
  "duplicate-assignment",
  "role-target"
)

/**
 * @since 0.1.0
 * @category models
 */
export type AssignmentRule = typeof AssignmentRule.Type

const targetText = (t: Target): { readonly zh: string; readonly en: string } => {
  switch (t._tag) {
    case "Grid":
      return { zh: `网格 ${t.gridId}`, en: `grid ${t.gridId}` }
    case "Building":
      return { zh: `楼栋 ${t.buildingId}`, en: `building ${t.buildingId}` }
    case "Unit":
      return { zh: `单位 ${t.unitId}`, en: `unit ${t.unitId}` }
  }
}

/**
 * 任职数据违规 — an assignment that names an unknown person, grid or building, repeats
 * another, or gives a role a target it cannot have (see {@link allowedTargets}).
 *
 * @since 0.1.0
 * @category errors
 */
export class AssignmentViolation extends Schema.TaggedError<AssignmentViolation>()("AssignmentViolation", {
  policy: Schema.Literal("integrity"),
  rule: AssignmentRule,
  assignment: Assignment,
  /** For `duplicate-assignment`: how often it occurs. */
  occurrences: Schema.optionalWith(Schema.Int, { exact: true })
}) {
  override get message(): string {
    const { personId: p, role, target } = this.assignment
    const t = targetText(target)
    const what = {
      zh: `${p} 任${t.zh}${roleNames[role].zh}`,
      en: `${p} as ${roleNames[role].en} of ${t.en}`
    }
    const text = ((): string => {
      switch (this.rule) {
        case "unknown-person":
          return `任职 ${what.zh}：人员 ${p} 不存在 — assignment ${what.en}: unknown person ${p}`
        case "unknown-grid":
        case "unknown-building":
          return `任职 ${what.zh}：${t.zh} 不存在 — assignment ${what.en}: unknown ${t.en}`
        case "duplicate-assignment":
          return `任职 ${what.zh} 重复出现 ${this.occurrences ?? 2} 次 — assignment ${what.en} occurs ${this.occurrences ?? 2} times`
        case "role-target": {
          const allowed = allowedTargets[role].join(", ")
          return `${roleNames[role].zh}不能任职于${t.zh} — a ${roleNames[role].en} cannot be assigned to a ${target._tag.toLowerCase()} (allowed: ${allowed})`
        }
      }
    })()
    return `${policyLabel(this.policy)}: ${text}`
  }
}

/**
 * 配置违规 — any staffing violation.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StaffingViolation = Schema.Union(
  GridStaffingViolation,
  PersonStaffingViolation,
  AssignmentViolation
)

/**
 * @since 0.1.0
 * @category models
 */
export type StaffingViolation = GridStaffingViolation | PersonStaffingViolation | AssignmentViolation

/**
 * 网格力量配置不合规 — every violation found by {@link validate}.
 *
 * @since 0.1.0
 * @category errors
 */
export class StaffingViolations extends Schema.TaggedError<StaffingViolations>()("StaffingViolations", {
  violations: Schema.NonEmptyArray(StaffingViolation)
}) {
  override get message(): string {
    return `网格力量配置有 ${this.violations.length} 处不合规 — ${this.violations.length} staffing violation(s):\n${this.violations.map((v) => `- ${v.message}`).join("\n")}`
  }
}

// -----------------------------------------------------------------------------
// check
// -----------------------------------------------------------------------------

/**
 * What a staffing check looks at. `buildings` (optional) are the known buildings; when
 * absent, the buildings the grids cover are the known ones. `locate` gives the street and
 * district of a grid, needed by the "1+1+1+n" template (without it, every grid the template
 * checks is reported `unlocated`). Unit targets are not checked for existence (that needs
 * the hierarchy).
 *
 * @since 0.1.0
 * @category models
 */
export interface StaffingInput {
  readonly grids: ReadonlyArray<Grid>
  readonly people: ReadonlyArray<Person>
  readonly assignments: ReadonlyArray<Assignment>
  readonly buildings?: ReadonlyArray<Building>
  readonly locate?: GridLocator
}

interface Prepared {
  readonly grids: ReadonlyArray<Grid>
  readonly gridById: ReadonlyMap<GridId, Grid>
  readonly people: ReadonlyArray<Person>
  readonly index: StaffIndex
  readonly integrity: ReadonlyArray<StaffingViolation>
}

const prepare = (input: StaffingInput): Prepared => {
  const grids = indexById<GridId, Grid>(input.grids)
  const people = indexById<PersonId, Person>(input.people)
  const buildingGrids = buildingGridsOf(grids.byId.values())
  const knownBuildings: ReadonlySet<UnitId> =
    input.buildings === undefined ? new Set(buildingGrids.keys()) : new Set(input.buildings.map((b) => b.id))

  const integrity: Array<StaffingViolation> = []
  for (const gridId of sortedDistinct(grids.occurrences.keys())) {
    const k = grids.occurrences.get(gridId) ?? 0
    if (k > 1)
      integrity.push(
        new GridStaffingViolation({
          policy: "integrity",
          rule: "duplicate-grid",
          gridId,
          roles: [],
          personIds: [],
          occurrences: k
        })
      )
  }
  for (const personId of sortedDistinct(people.occurrences.keys())) {
    const k = people.occurrences.get(personId) ?? 0
    if (k > 1)
      integrity.push(
        new PersonStaffingViolation({
          policy: "integrity",
          rule: "duplicate-person",
          personId,
          roles: [],
          gridIds: [],
          occurrences: k
        })
      )
    const person = people.byId.get(personId)
    if (person !== undefined && !person.partyMember && person.partyMemberClass !== undefined)
      integrity.push(
        new PersonStaffingViolation({
          policy: "integrity",
          rule: "class-without-membership",
          personId,
          roles: [],
          gridIds: []
        })
      )
  }

  const byKey = new Map<string, { readonly assignment: Assignment; count: number }>()
  for (const assignment of input.assignments) {
    const key = assignmentKey(assignment)
    const seen = byKey.get(key)
    if (seen === undefined) byKey.set(key, { assignment, count: 1 })
    else seen.count += 1
  }
  const valid: Array<Assignment> = []
  const assignmentViolations: Array<readonly [string, AssignmentViolation]> = []
  for (const [key, { assignment, count }] of byKey) {
    const rules: Array<AssignmentRule> = []
    if (!people.byId.has(assignment.personId)) rules.push("unknown-person")
    const { target } = assignment
    if (target._tag === "Grid" && !grids.byId.has(target.gridId)) rules.push("unknown-grid")
    if (target._tag === "Building" && !knownBuildings.has(target.buildingId)) rules.push("unknown-building")
    if (!allowedTargets[assignment.role].includes(target._tag)) rules.push("role-target")
    if (count > 1) rules.push("duplicate-assignment")
    for (const rule of rules)
      assignmentViolations.push([
        `${AssignmentRule.literals.indexOf(rule)}\u0000${key}`,
        new AssignmentViolation(
          rule === "duplicate-assignment"
            ? { policy: "integrity", rule, assignment, occurrences: count }
            : { policy: "integrity", rule, assignment }
        )
      ])
    if (rules.every((r) => r === "duplicate-assignment")) valid.push(assignment)
  }
  assignmentViolations.sort(([a], [b]) => compareStrings(a, b))
  integrity.push(...assignmentViolations.map(([, v]) => v))

  const sortedGrids = Array.from(grids.byId.values()).sort((a, b) => compareStrings(a.id, b.id))
  const sortedPeople = Array.from(people.byId.values()).sort((a, b) => compareStrings(a.id, b.id))
  return {
    grids: sortedGrids,
    gridById: grids.byId,
    people: sortedPeople,
    index: buildIndex(valid, buildingGrids),
    integrity
  }
}

const countRule = (
  policy: Policy,
  gridId: GridId,
  roles: ReadonlyArray<Role>,
  personIds: ReadonlyArray<PersonId>,
  expected: Expected
): Option.Option<GridStaffingViolation> => {
  const n = personIds.length
  const exactlyOne = expected.min === 1 && expected.max === 1
  const rule: GridRule | undefined =
    n < expected.min
      ? exactlyOne && n === 0
        ? "missing"
        : "too-few"
      : expected.max !== undefined && n > expected.max
        ? exactlyOne
          ? "surplus"
          : "too-many"
        : undefined
  return rule === undefined
    ? Option.none()
    : Option.some(new GridStaffingViolation({ policy, rule, gridId, roles, personIds, expected }))
}

const checkOneWorkerPerGrid = (cfg: OneWorkerPerGrid, p: Prepared): Array<StaffingViolation> =>
  p.grids
    .filter((g) => cfg.gridKinds.includes(g.kind))
    .flatMap((g) =>
      Option.toArray(
        countRule("one-worker-per-grid", g.id, [cfg.role], servedBy(p.index, g.id, [cfg.role]), {
          min: 1,
          max: 1
        })
      )
    )

const checkOneProfessionalManyGrids = (
  cfg: OneProfessionalManyGrids,
  p: Prepared
): Array<StaffingViolation> => {
  const out: Array<StaffingViolation> = []
  for (const person of p.people) {
    const gridIds = gridsOf(p.index, person.id, cfg.roles)
    if (gridIds.length > cfg.maxGrids) {
      const held = cfg.roles.filter((r) => gridsOf(p.index, person.id, [r]).length > 0)
      out.push(
        new PersonStaffingViolation({
          policy: "one-professional-many-grids",
          rule: "over-limit",
          personId: person.id,
          roles: held,
          gridIds,
          limit: cfg.maxGrids
        })
      )
    }
    if (!cfg.allowCrossCommunity) {
      const local = gridsOf(p.index, person.id, cfg.sameCommunityRoles)
      const communityIds = sortedDistinct(
        local.flatMap((id) => {
          const grid = p.gridById.get(id)
          return grid === undefined ? [] : [grid.communityId]
        })
      )
      if (communityIds.length > 1)
        out.push(
          new PersonStaffingViolation({
            policy: "one-professional-many-grids",
            rule: "cross-community",
            personId: person.id,
            roles: cfg.sameCommunityRoles.filter((r) => gridsOf(p.index, person.id, [r]).length > 0),
            gridIds: local,
            communityIds
          })
        )
    }
  }
  return out
}

const checkManyPartTimersPerGrid = (cfg: ManyPartTimersPerGrid, p: Prepared): Array<StaffingViolation> => {
  const expected: Expected = cfg.max === undefined ? { min: cfg.min } : { min: cfg.min, max: cfg.max }
  return p.grids
    .filter((g) => cfg.gridKinds.includes(g.kind))
    .flatMap((g) =>
      Option.toArray(
        countRule("many-part-timers-per-grid", g.id, cfg.roles, servedBy(p.index, g.id, cfg.roles), expected)
      )
    )
}

const locateWith =
  (locator: GridLocator | undefined) =>
  (gridId: GridId): Option.Option<GridLocation> =>
    locator === undefined
      ? Option.none()
      : typeof locator === "function"
        ? locator(gridId)
        : Option.fromNullable(locator.get(gridId))

const checkTemplate = (
  cfg: Template,
  p: Prepared,
  locate: (gridId: GridId) => Option.Option<GridLocation>
): Array<StaffingViolation> => {
  const out: Array<StaffingViolation> = []
  const one: Expected = { min: 1, max: 1 }
  for (const grid of p.grids) {
    if (!cfg.gridKinds.includes(grid.kind)) continue
    const location = locate(grid.id)
    if (Option.isNone(location))
      out.push(
        new GridStaffingViolation({
          policy: "1+1+1+n",
          rule: "unlocated",
          gridId: grid.id,
          roles: ["inspector", "supervisor"],
          personIds: []
        })
      )
    const levels = [
      { role: "inspector" as const, unitId: Option.map(location, (l) => l.districtId) },
      { role: "supervisor" as const, unitId: Option.map(location, (l) => l.streetId) }
    ]
    for (const { role, unitId } of levels) {
      const found = servedBy(p.index, grid.id, [role])
      out.push(...Option.toArray(countRule("1+1+1+n", grid.id, [role], found, one)))
      if (Option.isSome(unitId))
        for (const personId of found)
          if (!holdsAt(p.index, personId, role, unitId.value))
            out.push(
              new GridStaffingViolation({
                policy: "1+1+1+n",
                rule: "out-of-jurisdiction",
                gridId: grid.id,
                roles: [role],
                personIds: [personId],
                unitId: unitId.value
              })
            )
    }
    out.push(
      ...Option.toArray(
        countRule(
          "1+1+1+n",
          grid.id,
          cfg.gridWorkerRoles,
          servedBy(p.index, grid.id, cfg.gridWorkerRoles),
          one
        )
      ),
      ...Option.toArray(
        countRule("1+1+1+n", grid.id, cfg.nRoles, servedBy(p.index, grid.id, cfg.nRoles), { min: cfg.n })
      )
    )
  }
  return out
}

/**
 * 数据完整性检查 — the integrity violations alone: repeated grid or person ids, a
 * party-member class on a non-member, and assignments to unknown people, grids or
 * buildings, repeated assignments, or roles on targets they cannot have.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkIntegrity = (input: StaffingInput): ReadonlyArray<StaffingViolation> =>
  prepare(input).integrity

/**
 * 网格力量配置检查 — every violation of the chosen policies, after the integrity
 * violations. Policies count only sound assignments (known person and target, a target
 * the role may have; repeats counted once). Output is ordered by policy, then grid or
 * person id: the same input in any order gives the same list.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (policies: PolicySet, input: StaffingInput): ReadonlyArray<StaffingViolation> => {
  const p = prepare(input)
  const out: Array<StaffingViolation> = [...p.integrity]
  if (policies.oneWorkerPerGrid !== undefined)
    out.push(...checkOneWorkerPerGrid(policies.oneWorkerPerGrid, p))
  if (policies.oneProfessionalManyGrids !== undefined)
    out.push(...checkOneProfessionalManyGrids(policies.oneProfessionalManyGrids, p))
  if (policies.manyPartTimersPerGrid !== undefined)
    out.push(...checkManyPartTimersPerGrid(policies.manyPartTimersPerGrid, p))
  if (policies.template !== undefined)
    out.push(...checkTemplate(policies.template, p, locateWith(input.locate)))
  return out
}

/**
 * Like {@link check}, as an `Either`: the input when it has no violation, else all of them.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (
  policies: PolicySet,
  input: StaffingInput
): Either.Either<StaffingInput, StaffingViolations> => {
  const violations = check(policies, input)
  const [first, ...rest] = violations
  return first === undefined
    ? Either.right(input)
    : Either.left(new StaffingViolations({ violations: [first, ...rest] }))
}

// -----------------------------------------------------------------------------
// reports
// -----------------------------------------------------------------------------

/**
 * 占比 — a share as numerator / denominator; `rate` is none when the denominator is 0
 * ("no data", never 0% or 100%).
 *
 * @since 0.1.0
 * @category models
 */
export interface Share {
  readonly numerator: number
  readonly denominator: number
  readonly rate: Option.Option<number>
}

/**
 * Builds a share; the rate is none for a zero denominator.
 *
 * @since 0.1.0
 * @category constructors
 */
export const share = (numerator: number, denominator: number): Share => ({
  numerator,
  denominator,
  rate: denominator === 0 ? Option.none() : Option.some(numerator / denominator)
})

/**
 * 楼栋长统计 — building leaders: how many (distinct people), how many are party members,
 * the party-member share, the buildings without a leader and those with several.
 *
 * @since 0.1.0
 * @category models
 */
export interface BuildingLeaderReport {
  readonly leaders: number
  readonly partyMembers: number
  /** 党员占比 — party members / leaders. */
  readonly partyShare: Share
  /** 无楼栋长的楼栋 — sorted. */
  readonly withoutLeader: ReadonlyArray<UnitId>
  /** 多名楼栋长的楼栋 — sorted by building, leaders sorted. */
  readonly withSeveralLeaders: ReadonlyArray<{
    readonly buildingId: UnitId
    readonly personIds: ReadonlyArray<PersonId>
  }>
}

/**
 * 楼栋长统计 — counts the building leaders of the given buildings (the community experience report: "选配441名
 * 楼道长，其中党员占比80%以上", "党员优先、全面覆盖"). A leader is a known person with a
 * `building-leader` assignment to one of the buildings; a person leading several buildings
 * counts once.
 *
 * @since 0.1.0
 * @category getters
 */
export const buildingLeaderReport = (
  buildings: ReadonlyArray<Building>,
  people: ReadonlyArray<Person>,
  assignments: ReadonlyArray<Assignment>
): BuildingLeaderReport => {
  const personById = indexById<PersonId, Person>(people).byId
  const leadersOf = new Map<UnitId, Set<PersonId>>(buildings.map((b) => [b.id, new Set<PersonId>()]))
  const leaders = new Set<PersonId>()
  for (const { personId, role, target } of assignments) {
    if (role !== "building-leader" || target._tag !== "Building" || !personById.has(personId)) continue
    const set = leadersOf.get(target.buildingId)
    if (set === undefined) continue
    set.add(personId)
    leaders.add(personId)
  }
  let partyMembers = 0
  for (const personId of leaders) if (personById.get(personId)?.partyMember === true) partyMembers += 1
  const ids = sortedDistinct(leadersOf.keys())
  return {
    leaders: leaders.size,
    partyMembers,
    partyShare: share(partyMembers, leaders.size),
    withoutLeader: ids.filter((id) => (leadersOf.get(id)?.size ?? 0) === 0),
    withSeveralLeaders: ids.flatMap((buildingId) => {
      const set = leadersOf.get(buildingId)
      return set !== undefined && set.size > 1 ? [{ buildingId, personIds: sortedDistinct(set) }] : []
    })
  }
}

/**
 * 网格力量统计 — one grid's headcount per role (distinct people; a building leader or
 * volunteer of a building counts for the grids covering it) and the distinct total.
 *
 * @since 0.1.0
 * @category models
 */
export interface GridHeadcount {
  readonly gridId: GridId
  readonly byRole: Readonly<Record<Role, number>>
  readonly total: number
}

/**
 * 网格力量统计 — the headcount per role of each grid, sorted by grid id. Assignments of
 * a role to a target it cannot have, or to unknown grids, are not counted.
 *
 * @since 0.1.0
 * @category getters
 */
export const gridSummary = (
  grids: ReadonlyArray<Grid>,
  assignments: ReadonlyArray<Assignment>
): ReadonlyArray<GridHeadcount> => {
  const byId = indexById<GridId, Grid>(grids).byId
  const index = buildIndex(
    assignments.filter((a) => allowedTargets[a.role].includes(a.target._tag)),
    buildingGridsOf(byId.values())
  )
  return sortedDistinct(byId.keys()).map((gridId) => {
    const count = (role: Role): number => servedBy(index, gridId, [role]).length
    const byRole: Record<Role, number> = {
      "grid-leader": count("grid-leader"),
      "full-time-worker": count("full-time-worker"),
      "part-time-worker": count("part-time-worker"),
      instructor: count("instructor"),
      inspector: count("inspector"),
      supervisor: count("supervisor"),
      police: count("police"),
      "building-leader": count("building-leader"),
      volunteer: count("volunteer")
    }
    return { gridId, byRole, total: servedBy(index, gridId, roles).length }
  })
}
