/**
 * 组织配置规则 — the rules bodies, posts and compounds must follow, each
 * reporting every violation as a typed value that names its rule and the
 * entities concerned. The numbers are the field reports' and are configuration
 * ({@link Rules}, {@link defaultRules}):
 *
 * - `mediators-by-population` 调解员按人口配备 — the Pingyi street report: "多于3000人的社区设调解员不少于5人，
 *   不足3000人的村(社区)不少于3人": at least 5 mediators in a community or village of more
 *   than 3,000 residents, at least 3 at or below (boundary and minimums configurable);
 * - `one-legal-adviser` 一村一顾问 — the same report: exactly one legal adviser per village
 *   or community;
 * - `grid-leader-in-two-committees` 网格长由两委成员担任 — the Yilong county report: "由社区两委成员担任网格长";
 * - `big-party-committee` 大党委组成 — the community experience report: "由联系社区的街道领导班子成员担任
 *   '大党委'第一书记，社区党总支书记担任'大党委'书记，吸纳公安、城管、市场监管等职能部门、部分联系社区机关企事业单位
 *   党组织负责人兼任'大党委'成员";
 * - `deliberation-execution-separation` 议行分离 — the Panlong district report: no one holds
 *   posts in both a deliberative and an executive body of the same community;
 * - `compound-management` 小区管理全覆盖 — every compound has a management arrangement
 *   (the Pingyi street report's 兜底管理 of unmanaged compounds);
 * - `integrity` — the records themselves: unknown bodies and kinds, repeated ids,
 *   reversed terms, a temporary body without its end, two holders of a single post at once.
 *
 * Every check is a pure function of the {@link Input}; {@link check} runs the
 * enabled rules and sorts the violations deterministically.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Body from "./Body.js"
import * as Compound from "./Compound.js"
import type { GridId } from "./Grid.js"
import * as Post from "./Post.js"
import type * as Staffing from "./Staffing.js"
import { PersonId } from "./Staffing.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"
import { LocalDate } from "./WorkingCalendar.js"

// ---------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------

/**
 * 规则 — the rules of this module.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RuleName = Schema.Literal(
  "mediators-by-population",
  "one-legal-adviser",
  "grid-leader-in-two-committees",
  "big-party-committee",
  "deliberation-execution-separation",
  "compound-management",
  "integrity"
).annotations({ identifier: "OrganizationRuleName", title: "组织配置规则 organisation rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type RuleName = typeof RuleName.Type

/**
 * Every rule, in report order.
 *
 * @since 0.1.0
 * @category constants
 */
export const ruleNames: ReadonlyArray<RuleName> = RuleName.literals

/**
 * Chinese and English names of the rules.
 *
 * @since 0.1.0
 * @category constants
 */
export const ruleLabels: Readonly<Record<RuleName, { readonly zh: string; readonly en: string }>> = {
  "mediators-by-population": { zh: "调解员按人口配备", en: "mediators by population" },
  "one-legal-adviser": { zh: "一村(社区)一法律顾问", en: "one legal adviser per village or community" },
  "grid-leader-in-two-committees": { zh: "网格长由两委成员担任", en: "grid leaders from the two committees" },
  "big-party-committee": { zh: "大党委组成", en: "big party committee composition" },
  "deliberation-execution-separation": { zh: "议行分离", en: "separation of deliberation and execution" },
  "compound-management": { zh: "小区管理全覆盖", en: "every compound managed" },
  integrity: { zh: "数据完整性", en: "integrity" }
}

const Count = Schema.Int.pipe(Schema.between(0, 10_000))
const RuleNames = Schema.Array(RuleName).pipe(Schema.maxItems(64))
const PostKinds = Schema.Array(Post.PostKindId).pipe(Schema.maxItems(64))
const BodyKinds = Schema.Array(Body.BodyKindId).pipe(Schema.maxItems(64))
const Sectors = Schema.Array(Body.Sector).pipe(Schema.maxItems(64))

/**
 * 规则配置 — which rules run and their numbers and kinds. The defaults
 * ({@link defaultRules}) are the field reports'.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Rules = Schema.Struct({
  /** 启用的规则 — the rules to run. */
  enabled: RuleNames,
  /** 人口分界 — the population boundary (default 3,000). */
  mediatorBoundary: Schema.Int.pipe(Schema.between(0, 100_000_000)),
  /** 分界以上最少调解员 — minimum mediators above the boundary (default 5). */
  mediatorsAbove: Count,
  /** 分界及以下最少调解员 — minimum mediators at or below the boundary (default 3). */
  mediatorsAtOrBelow: Count,
  /** 法律顾问人数 — legal advisers per village or community (default exactly 1). */
  legalAdvisers: Count,
  /** 调解员岗位 — post kinds that count as mediators. */
  mediatorPosts: PostKinds,
  /** 法律顾问岗位 — post kinds that count as legal advisers. */
  legalAdviserPosts: PostKinds,
  /** 网格长岗位 — post kinds of grid leaders. */
  gridLeaderPosts: PostKinds,
  /** 大党委 — body kinds checked as 大党委. */
  bigPartyCommitteeKinds: BodyKinds,
  /** 社区党组织 — body kinds whose 书记 is the community secretary. */
  communityPartyKinds: BodyKinds,
  /** 第一书记来源 — body kinds a 第一书记 may come from (the street leadership). */
  firstSecretaryFrom: BodyKinds,
  /** 兼职委员来源 — body kinds a 兼职委员 may come from (departments, co-building units). */
  partTimeMemberFrom: BodyKinds,
  /** 必须吸纳的职能条线 — sectors that must be among the 兼职委员 (公安, 城管, 市场监管). */
  requiredSectors: Sectors,
  /** 物业企业 — body kinds that may manage a compound professionally. */
  propertyManagerKinds: BodyKinds,
  /** 自管机构 — body kinds through which residents manage a compound. */
  selfManagerKinds: BodyKinds
}).annotations({ identifier: "OrganizationRules", title: "组织配置规则 organisation rules" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Rules extends Schema.Schema.Type<typeof Rules> {}

/**
 * The default rules: all on, with the field reports' numbers (3,000 residents,
 * ≥ 5 / ≥ 3 mediators, exactly one legal adviser) and the default kinds.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRules: Rules = {
  enabled: ruleNames,
  mediatorBoundary: 3000,
  mediatorsAbove: 5,
  mediatorsAtOrBelow: 3,
  legalAdvisers: 1,
  mediatorPosts: [Post.kinds.mediator],
  legalAdviserPosts: [Post.kinds.legalAdviser],
  gridLeaderPosts: [Post.kinds.gridLeader],
  bigPartyCommitteeKinds: [Body.kinds.bigPartyCommittee],
  communityPartyKinds: [Body.kinds.communityPartyCommittee, Body.kinds.communityPartyBranch],
  firstSecretaryFrom: [Body.kinds.streetLeadership],
  partTimeMemberFrom: [Body.kinds.department, Body.kinds.coBuildingUnit],
  requiredSectors: [Body.sectors.publicSecurity, Body.sectors.urbanManagement, Body.sectors.marketRegulation],
  propertyManagerKinds: [Body.kinds.propertyCompany],
  selfManagerKinds: [Body.kinds.ownersCommittee, Body.kinds.socialOrganization]
}

/**
 * 社区(村) — a community or village the rules check: its unit, its residents
 * (常住人口, where known) and the street it belongs to (where known; the 第一书记
 * must come from that street's leadership).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Community = Schema.Struct({
  unitId: UnitId,
  residents: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 100_000_000)), { exact: true }),
  streetId: Schema.optionalWith(UnitId, { exact: true })
}).annotations({ identifier: "OrganizationCommunity", title: "社区(村) community or village" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Community extends Schema.Schema.Type<typeof Community> {}

/**
 * 检查输入 — what the rules read: the day they are checked on, the kind tables,
 * the communities and villages, the bodies, posts and compounds.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  readonly day: LocalDate
  readonly bodyKinds?: Body.BodyKindTable
  readonly postKinds?: Post.PostKindTable
  readonly communities: ReadonlyArray<Community>
  readonly bodies: ReadonlyArray<Body.Body>
  readonly posts: ReadonlyArray<Post.Post>
  readonly compounds: ReadonlyArray<Compound.Compound>
  /**
   * 网格长（网格力量配置） — grid leaders known from grid staffing rather than
   * posts (see {@link gridLeadersFromStaffing}); checked by the same rule.
   */
  readonly staffingGridLeaders?: ReadonlyArray<StaffingGridLeader>
}

/**
 * 网格长任职 — a grid leader from grid staffing: the person, the grid and the
 * community the grid lies in.
 *
 * @since 0.1.0
 * @category models
 */
export interface StaffingGridLeader {
  readonly personId: PersonId
  readonly gridId: GridId
  readonly unitId: UnitId
}

/**
 * The grid leaders of grid staffing (`Staffing.Assignment`s in the
 * `grid-leader` role on a grid), with the community of each grid as
 * `communityOf` tells; grids it does not know are left out.
 *
 * @since 0.1.0
 * @category constructors
 */
export const gridLeadersFromStaffing = (
  assignments: ReadonlyArray<Staffing.Assignment>,
  communityOf: (gridId: GridId) => UnitId | undefined
): ReadonlyArray<StaffingGridLeader> => {
  const out: Array<StaffingGridLeader> = []
  for (const a of assignments) {
    if (a.role !== "grid-leader" || a.target._tag !== "Grid") continue
    const unitId = communityOf(a.target.gridId)
    if (unitId !== undefined) out.push({ personId: a.personId, gridId: a.target.gridId, unitId })
  }
  return out
}

/**
 * 检查输入（可解码） — the {@link Input} as a schema, for adapters that receive
 * it as JSON or rows: every list bounded (100,000 rows).
 *
 * @since 0.1.0
 * @category schemas
 */
export const InputSchema = Schema.Struct({
  day: LocalDate,
  bodyKinds: Schema.optionalWith(Schema.Array(Body.BodyKind).pipe(Schema.maxItems(1000)), { exact: true }),
  postKinds: Schema.optionalWith(Schema.Array(Post.PostKind).pipe(Schema.maxItems(1000)), { exact: true }),
  communities: Schema.Array(Community).pipe(Schema.maxItems(100_000)),
  bodies: Schema.Array(Body.Body).pipe(Schema.maxItems(100_000)),
  posts: Schema.Array(Post.Post).pipe(Schema.maxItems(100_000)),
  compounds: Schema.Array(Compound.Compound).pipe(Schema.maxItems(100_000))
}).annotations({ identifier: "OrganizationInput", title: "组织配置检查输入 organisation check input" })

// ---------------------------------------------------------------------------
// violations
// ---------------------------------------------------------------------------

/**
 * 违规情形 — what exactly is wrong.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Problem = Schema.Literal(
  "too-few",
  "too-many",
  "population-unknown",
  "not-two-committees",
  "first-secretary-missing",
  "first-secretaries-several",
  "first-secretary-not-from-street",
  "secretary-missing",
  "secretaries-several",
  "secretary-not-community-secretary",
  "part-time-member-source",
  "sector-missing",
  "holds-both",
  "no-arrangement",
  "not-taken-over",
  "manager-unknown",
  "manager-wrong-kind",
  "duplicate-id",
  "unknown-body",
  "unknown-body-kind",
  "unknown-post-kind",
  "term-reversed",
  "temporary-without-end",
  "single-post-overlap"
).annotations({ identifier: "OrganizationProblem", title: "违规情形 problem" })

/**
 * @since 0.1.0
 * @category models
 */
export type Problem = typeof Problem.Type

/**
 * 组织配置违规 — one violation: the rule and problem, the unit (community,
 * village or compound) concerned, the bodies, people and posts involved
 * (sorted), the expected and found counts, and a detail (a sector, an id).
 *
 * @since 0.1.0
 * @category errors
 */
export class OrganizationViolation extends Schema.TaggedError<OrganizationViolation>()(
  "OrganizationViolation",
  {
    rule: RuleName,
    problem: Problem,
    unitId: Schema.optionalWith(UnitId, { exact: true }),
    bodyIds: Schema.Array(Body.BodyId),
    personIds: Schema.Array(PersonId),
    postIds: Schema.Array(Post.PostId),
    expected: Schema.optionalWith(Schema.Int, { exact: true }),
    found: Schema.optionalWith(Schema.Int, { exact: true }),
    detail: Schema.optionalWith(Text.Id, { exact: true })
  }
) {
  override get message(): string {
    const label = ruleLabels[this.rule]
    const t = problemText(this)
    return `${label.zh}：${t.zh} — ${label.en}: ${t.en} [${this.rule}/${this.problem}]`
  }
}

const ids = (xs: ReadonlyArray<string>): string => (xs.length === 0 ? "—" : xs.join(", "))

const problemText = (v: OrganizationViolation): { readonly zh: string; readonly en: string } => {
  const u = v.unitId ?? "—"
  const people = ids(v.personIds)
  const bodies = ids(v.bodyIds)
  const posts = ids(v.postIds)
  const e = v.expected ?? 0
  const f = v.found ?? 0
  switch (v.problem) {
    case "too-few":
      return { zh: `${u} 仅有 ${f} 人，应不少于 ${e} 人`, en: `${u} has ${f}, at least ${e} required` }
    case "too-many":
      return { zh: `${u} 有 ${f} 人，应为 ${e} 人`, en: `${u} has ${f}, exactly ${e} required` }
    case "population-unknown":
      return { zh: `${u} 人口未知，无法核定人数`, en: `the population of ${u} is unknown` }
    case "not-two-committees": {
      const where =
        v.detail === undefined
          ? { zh: `岗位 ${posts}`, en: `post ${posts}` }
          : { zh: `网格 ${v.detail}`, en: `grid ${v.detail}` }
      return {
        zh: `网格长 ${people}（${where.zh}）不是 ${u} 两委成员`,
        en: `grid leader ${people} (${where.en}) is not a member of the two committees of ${u}`
      }
    }
    case "first-secretary-missing":
      return {
        zh: `大党委 ${bodies} 没有第一书记`,
        en: `big party committee ${bodies} has no first secretary`
      }
    case "first-secretaries-several":
      return {
        zh: `大党委 ${bodies} 有 ${f} 名第一书记（${people}）`,
        en: `big party committee ${bodies} has ${f} first secretaries (${people})`
      }
    case "first-secretary-not-from-street":
      return {
        zh: `大党委第一书记 ${people} 不是所在街道领导班子成员（派出单位 ${v.detail ?? "未填"}）`,
        en: `first secretary ${people} does not come from the street leadership (affiliation ${v.detail ?? "none"})`
      }
    case "secretary-missing":
      return { zh: `大党委 ${bodies} 没有书记`, en: `big party committee ${bodies} has no secretary` }
    case "secretaries-several":
      return {
        zh: `大党委 ${bodies} 有 ${f} 名书记（${people}）`,
        en: `big party committee ${bodies} has ${f} secretaries (${people})`
      }
    case "secretary-not-community-secretary":
      return {
        zh: `大党委书记 ${people} 不是社区党组织书记`,
        en: `secretary ${people} is not the secretary of the community party organisation`
      }
    case "part-time-member-source":
      return {
        zh: `兼职委员 ${people} 不是来自职能部门或共建单位（派出单位 ${v.detail ?? "未填"}）`,
        en: `part-time member ${people} does not come from a department or a co-building unit (affiliation ${v.detail ?? "none"})`
      }
    case "sector-missing":
      return {
        zh: `大党委 ${bodies} 没有来自 ${v.detail ?? "?"} 的兼职委员`,
        en: `big party committee ${bodies} has no part-time member from ${v.detail ?? "?"}`
      }
    case "holds-both":
      return {
        zh: `${people} 同时在 ${u} 的议事机构和执行机构任职（${bodies}）`,
        en: `${people} holds posts in both the deliberative and the executive body of ${u} (${bodies})`
      }
    case "no-arrangement":
      return { zh: `小区 ${u} 没有管理方式`, en: `compound ${u} has no management arrangement` }
    case "not-taken-over":
      return {
        zh: `无人管理小区 ${u} 无兜底单位`,
        en: `unmanaged compound ${u} is not taken over by any unit`
      }
    case "manager-unknown":
      return {
        zh: `小区 ${u} 的管理机构 ${bodies} 不存在`,
        en: `the manager ${bodies} of compound ${u} is unknown`
      }
    case "manager-wrong-kind":
      return {
        zh: `小区 ${u} 的管理机构 ${bodies} 类别不符（${v.detail ?? "?"}）`,
        en: `the manager ${bodies} of compound ${u} is of the wrong kind (${v.detail ?? "?"})`
      }
    case "duplicate-id":
      return { zh: `标识 ${v.detail ?? "?"} 重复 ${f} 次`, en: `id ${v.detail ?? "?"} occurs ${f} times` }
    case "unknown-body":
      return {
        zh: `岗位 ${posts} 的机构 ${v.detail ?? "?"} 不存在`,
        en: `post ${posts} names unknown body ${v.detail ?? "?"}`
      }
    case "unknown-body-kind":
      return {
        zh: `机构 ${bodies} 的类别 ${v.detail ?? "?"} 未配置`,
        en: `body ${bodies} has unconfigured kind ${v.detail ?? "?"}`
      }
    case "unknown-post-kind":
      return {
        zh: `岗位 ${posts} 的类别 ${v.detail ?? "?"} 未配置`,
        en: `post ${posts} has unconfigured kind ${v.detail ?? "?"}`
      }
    case "term-reversed":
      return {
        zh: `${posts.length > 1 ? `岗位 ${posts}` : `机构 ${bodies}`} 的终止日期早于起始日期`,
        en: `${posts.length > 1 ? `post ${posts}` : `body ${bodies}`} ends before it starts`
      }
    case "temporary-without-end":
      return { zh: `临时机构 ${bodies} 未设撤销日期`, en: `temporary body ${bodies} has no end date` }
    case "single-post-overlap":
      return {
        zh: `机构 ${bodies} 的 ${v.detail ?? "?"} 同时有 ${people} 任职（${posts}）`,
        en: `body ${bodies} has ${people} holding ${v.detail ?? "?"} at the same time (${posts})`
      }
  }
}

/**
 * 组织配置不合规 — every violation found by {@link validate}.
 *
 * @since 0.1.0
 * @category errors
 */
export class OrganizationViolations extends Schema.TaggedError<OrganizationViolations>()(
  "OrganizationViolations",
  {
    violations: Schema.NonEmptyArray(OrganizationViolation)
  }
) {
  override get message(): string {
    return `组织配置有 ${this.violations.length} 处不合规 — ${this.violations.length} organisation violation(s):\n${this.violations.map((v) => `- ${v.message}`).join("\n")}`
  }
}

type Fields = ConstructorParameters<typeof OrganizationViolation>[0]

const violation = (fields: {
  readonly rule: RuleName
  readonly problem: Problem
  readonly unitId?: UnitId | undefined
  readonly bodyIds?: ReadonlyArray<Body.BodyId>
  readonly personIds?: ReadonlyArray<PersonId>
  readonly postIds?: ReadonlyArray<Post.PostId>
  readonly expected?: number
  readonly found?: number
  readonly detail?: string | undefined
}): OrganizationViolation => {
  const f: Fields = {
    rule: fields.rule,
    problem: fields.problem,
    bodyIds: [...new Set(fields.bodyIds ?? [])].sort(),
    personIds: [...new Set(fields.personIds ?? [])].sort(),
    postIds: [...new Set(fields.postIds ?? [])].sort(),
    ...(fields.unitId === undefined ? {} : { unitId: fields.unitId }),
    ...(fields.expected === undefined ? {} : { expected: fields.expected }),
    ...(fields.found === undefined ? {} : { found: fields.found }),
    ...(fields.detail === undefined ? {} : { detail: fields.detail })
  }
  return new OrganizationViolation(f, { disableValidation: true })
}

// ---------------------------------------------------------------------------
// preparation
// ---------------------------------------------------------------------------

interface Prepared {
  readonly input: Input
  readonly rules: Rules
  readonly bodyKinds: Body.BodyKindTable
  readonly bodies: ReadonlyMap<Body.BodyId, Body.Body>
  /** posts held on the day, in bodies existing on the day */
  readonly active: ReadonlyArray<Post.Post>
  /** active posts by the unit of their body */
  readonly byUnit: ReadonlyMap<UnitId, ReadonlyArray<Post.Post>>
}

const prepare = (input: Input, rules: Rules): Prepared => {
  const bodies = new Map<Body.BodyId, Body.Body>()
  for (const b of input.bodies) if (!bodies.has(b.id)) bodies.set(b.id, b)
  const active: Array<Post.Post> = []
  const byUnit = new Map<UnitId, Array<Post.Post>>()
  for (const p of input.posts) {
    const body = bodies.get(p.bodyId)
    if (body === undefined || !Body.existsOn(body, input.day) || !Post.heldOn(p, input.day)) continue
    active.push(p)
    const list = byUnit.get(body.unitId) ?? []
    list.push(p)
    byUnit.set(body.unitId, list)
  }
  return { input, rules, bodyKinds: input.bodyKinds ?? Body.defaultKinds, bodies, active, byUnit }
}

const holders = (posts: ReadonlyArray<Post.Post>): ReadonlyArray<PersonId> =>
  [...new Set(posts.map((p) => p.holder))].sort()

const kindOfBody = (p: Prepared, bodyId: Body.BodyId): Body.BodyKindId | undefined =>
  p.bodies.get(bodyId)?.kind

// ---------------------------------------------------------------------------
// the rules
// ---------------------------------------------------------------------------

const checkMediators = (p: Prepared): Array<OrganizationViolation> => {
  const out: Array<OrganizationViolation> = []
  const kinds = new Set(p.rules.mediatorPosts)
  for (const c of p.input.communities) {
    if (c.residents === undefined) {
      out.push(
        violation({ rule: "mediators-by-population", problem: "population-unknown", unitId: c.unitId })
      )
      continue
    }
    const posts = (p.byUnit.get(c.unitId) ?? []).filter((x) => kinds.has(x.kind))
    const people = holders(posts)
    const min = minimumMediators(c.residents, p.rules)
    if (people.length < min) {
      out.push(
        violation({
          rule: "mediators-by-population",
          problem: "too-few",
          unitId: c.unitId,
          personIds: people,
          postIds: posts.map((x) => x.id),
          bodyIds: posts.map((x) => x.bodyId),
          expected: min,
          found: people.length
        })
      )
    }
  }
  return out
}

const checkLegalAdvisers = (p: Prepared): Array<OrganizationViolation> => {
  const out: Array<OrganizationViolation> = []
  const kinds = new Set(p.rules.legalAdviserPosts)
  const n = p.rules.legalAdvisers
  for (const c of p.input.communities) {
    const posts = (p.byUnit.get(c.unitId) ?? []).filter((x) => kinds.has(x.kind))
    const people = holders(posts)
    if (people.length !== n) {
      out.push(
        violation({
          rule: "one-legal-adviser",
          problem: people.length < n ? "too-few" : "too-many",
          unitId: c.unitId,
          personIds: people,
          postIds: posts.map((x) => x.id),
          bodyIds: posts.map((x) => x.bodyId),
          expected: n,
          found: people.length
        })
      )
    }
  }
  return out
}

const isTwoCommittees = (p: Prepared, bodyId: Body.BodyId): boolean => {
  const kind = kindOfBody(p, bodyId)
  return kind !== undefined && p.bodyKinds.some((k) => k.id === kind && k.twoCommittees)
}

const checkGridLeaders = (p: Prepared): Array<OrganizationViolation> => {
  const out: Array<OrganizationViolation> = []
  const kinds = new Set(p.rules.gridLeaderPosts)
  for (const post of p.active) {
    if (!kinds.has(post.kind)) continue
    const unitId = p.bodies.get(post.bodyId)?.unitId
    if (unitId === undefined) continue
    const member = (p.byUnit.get(unitId) ?? []).some(
      (x) => x.holder === post.holder && x.id !== post.id && isTwoCommittees(p, x.bodyId)
    )
    if (!member) {
      out.push(
        violation({
          rule: "grid-leader-in-two-committees",
          problem: "not-two-committees",
          unitId,
          personIds: [post.holder],
          postIds: [post.id],
          bodyIds: [post.bodyId]
        })
      )
    }
  }
  for (const leader of p.input.staffingGridLeaders ?? []) {
    const member = (p.byUnit.get(leader.unitId) ?? []).some(
      (x) => x.holder === leader.personId && isTwoCommittees(p, x.bodyId)
    )
    if (!member) {
      out.push(
        violation({
          rule: "grid-leader-in-two-committees",
          problem: "not-two-committees",
          unitId: leader.unitId,
          personIds: [leader.personId],
          detail: leader.gridId
        })
      )
    }
  }
  return out
}

const checkBigPartyCommittees = (p: Prepared): Array<OrganizationViolation> => {
  const out: Array<OrganizationViolation> = []
  const bigKinds = new Set(p.rules.bigPartyCommitteeKinds)
  const communityKinds = new Set(p.rules.communityPartyKinds)
  const firstFrom = new Set(p.rules.firstSecretaryFrom)
  const partTimeFrom = new Set(p.rules.partTimeMemberFrom)
  const streetOf = new Map(p.input.communities.map((c) => [c.unitId, c.streetId] as const))
  const rule = "big-party-committee"
  for (const body of p.bodies.values()) {
    if (!bigKinds.has(body.kind) || !Body.existsOn(body, p.input.day)) continue
    const unitId = body.unitId
    const posts = p.active.filter((x) => x.bodyId === body.id)
    const of = (kind: Post.PostKindId) => posts.filter((x) => x.kind === kind)
    const base = { rule, unitId, bodyIds: [body.id] } as const
    // 第一书记 from the street leadership
    const firsts = of(Post.kinds.firstSecretary)
    const firstPeople = holders(firsts)
    if (firstPeople.length === 0)
      out.push(violation({ ...base, problem: "first-secretary-missing", expected: 1, found: 0 }))
    if (firstPeople.length > 1) {
      out.push(
        violation({
          ...base,
          problem: "first-secretaries-several",
          personIds: firstPeople,
          postIds: firsts.map((x) => x.id),
          expected: 1,
          found: firstPeople.length
        })
      )
    }
    for (const post of firsts) {
      const from = post.affiliation === undefined ? undefined : p.bodies.get(post.affiliation)
      const street = streetOf.get(unitId)
      const ok =
        from !== undefined && firstFrom.has(from.kind) && (street === undefined || from.unitId === street)
      if (!ok) {
        out.push(
          violation({
            ...base,
            problem: "first-secretary-not-from-street",
            personIds: [post.holder],
            postIds: [post.id],
            detail: post.affiliation
          })
        )
      }
    }
    // 书记 = the community party organisation's secretary
    const secretaries = of(Post.kinds.secretary)
    const secretaryPeople = holders(secretaries)
    if (secretaryPeople.length === 0)
      out.push(violation({ ...base, problem: "secretary-missing", expected: 1, found: 0 }))
    if (secretaryPeople.length > 1) {
      out.push(
        violation({
          ...base,
          problem: "secretaries-several",
          personIds: secretaryPeople,
          postIds: secretaries.map((x) => x.id),
          expected: 1,
          found: secretaryPeople.length
        })
      )
    }
    const communitySecretaries = new Set(
      (p.byUnit.get(unitId) ?? [])
        .filter((x) => {
          const kind = kindOfBody(p, x.bodyId)
          return x.kind === Post.kinds.secretary && kind !== undefined && communityKinds.has(kind)
        })
        .map((x) => x.holder)
    )
    for (const post of secretaries) {
      if (!communitySecretaries.has(post.holder)) {
        out.push(
          violation({
            ...base,
            problem: "secretary-not-community-secretary",
            personIds: [post.holder],
            postIds: [post.id]
          })
        )
      }
    }
    // 兼职委员 from departments and co-building units, covering the required sectors
    const partTimers = of(Post.kinds.partTimeMember)
    const covered = new Set<string>()
    for (const post of partTimers) {
      const from = post.affiliation === undefined ? undefined : p.bodies.get(post.affiliation)
      if (from === undefined || !partTimeFrom.has(from.kind)) {
        out.push(
          violation({
            ...base,
            problem: "part-time-member-source",
            personIds: [post.holder],
            postIds: [post.id],
            detail: post.affiliation
          })
        )
      } else if (from.sector !== undefined) {
        covered.add(from.sector)
      }
    }
    for (const sector of p.rules.requiredSectors) {
      if (!covered.has(sector)) out.push(violation({ ...base, problem: "sector-missing", detail: sector }))
    }
  }
  return out
}

const checkSeparation = (p: Prepared): Array<OrganizationViolation> => {
  const out: Array<OrganizationViolation> = []
  for (const c of p.input.communities) {
    const posts = p.byUnit.get(c.unitId) ?? []
    const byPerson = new Map<PersonId, { deliberative: Array<Post.Post>; executive: Array<Post.Post> }>()
    for (const post of posts) {
      const body = p.bodies.get(post.bodyId)
      if (body === undefined) continue
      const cls = Body.classOf(p.bodyKinds, body)
      if (cls !== "deliberative" && cls !== "executive") continue
      const entry = byPerson.get(post.holder) ?? { deliberative: [], executive: [] }
      entry[cls].push(post)
      byPerson.set(post.holder, entry)
    }
    for (const [person, { deliberative, executive }] of byPerson) {
      if (deliberative.length === 0 || executive.length === 0) continue
      const both = [...deliberative, ...executive]
      out.push(
        violation({
          rule: "deliberation-execution-separation",
          problem: "holds-both",
          unitId: c.unitId,
          personIds: [person],
          postIds: both.map((x) => x.id),
          bodyIds: both.map((x) => x.bodyId)
        })
      )
    }
  }
  return out
}

const checkCompounds = (p: Prepared): Array<OrganizationViolation> => {
  const out: Array<OrganizationViolation> = []
  const rule = "compound-management"
  const property = new Set(p.rules.propertyManagerKinds)
  const self = new Set(p.rules.selfManagerKinds)
  for (const c of p.input.compounds) {
    const m = c.management
    if (m === undefined) {
      out.push(violation({ rule, problem: "no-arrangement", unitId: c.id }))
      continue
    }
    if (m._tag === "Unmanaged") {
      if (m.takenOverBy === undefined) out.push(violation({ rule, problem: "not-taken-over", unitId: c.id }))
      continue
    }
    const bodyId = m._tag === "Professional" ? m.propertyCompanyId : m.bodyId
    const allowed = m._tag === "Professional" ? property : self
    const body = p.bodies.get(bodyId)
    if (body === undefined) {
      out.push(violation({ rule, problem: "manager-unknown", unitId: c.id, detail: bodyId }))
    } else if (!allowed.has(body.kind) || !Body.existsOn(body, p.input.day)) {
      out.push(
        violation({ rule, problem: "manager-wrong-kind", unitId: c.id, bodyIds: [bodyId], detail: body.kind })
      )
    }
  }
  return out
}

const duplicates = <K extends string>(keys: ReadonlyArray<K>): ReadonlyArray<readonly [K, number]> => {
  const counts = new Map<K, number>()
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1)
  return [...counts].filter(([, n]) => n > 1)
}

const checkIntegrity = (p: Prepared): Array<OrganizationViolation> => {
  const out: Array<OrganizationViolation> = []
  const rule = "integrity"
  const { input } = p
  for (const [id, n] of duplicates(input.bodies.map((b) => b.id))) {
    out.push(violation({ rule, problem: "duplicate-id", bodyIds: [id], detail: id, found: n }))
  }
  for (const [id, n] of duplicates(input.posts.map((x) => x.id))) {
    out.push(violation({ rule, problem: "duplicate-id", postIds: [id], detail: id, found: n }))
  }
  for (const [id, n] of duplicates(input.compounds.map((c) => c.id))) {
    out.push(violation({ rule, problem: "duplicate-id", unitId: id, detail: id, found: n }))
  }
  for (const b of p.bodies.values()) {
    const kind = Body.kindOf(p.bodyKinds, b.kind)
    if (kind._tag === "None") {
      out.push(
        violation({ rule, problem: "unknown-body-kind", unitId: b.unitId, bodyIds: [b.id], detail: b.kind })
      )
    } else if (kind.value.temporary && b.until === undefined) {
      out.push(violation({ rule, problem: "temporary-without-end", unitId: b.unitId, bodyIds: [b.id] }))
    }
    if (b.since !== undefined && b.until !== undefined && b.until < b.since) {
      out.push(violation({ rule, problem: "term-reversed", unitId: b.unitId, bodyIds: [b.id] }))
    }
  }
  const postKinds = input.postKinds
  for (const post of input.posts) {
    const body = p.bodies.get(post.bodyId)
    if (body === undefined) {
      out.push(
        violation({
          rule,
          problem: "unknown-body",
          personIds: [post.holder],
          postIds: [post.id],
          detail: post.bodyId
        })
      )
    }
    if (postKinds !== undefined && !postKinds.some((k) => k.id === post.kind)) {
      out.push(
        violation({
          rule,
          problem: "unknown-post-kind",
          bodyIds: body === undefined ? [] : [body.id],
          postIds: [post.id],
          detail: post.kind
        })
      )
    }
    if (post.until !== undefined && post.until < post.since) {
      out.push(
        violation({
          rule,
          problem: "term-reversed",
          bodyIds: body === undefined ? [] : [body.id],
          personIds: [post.holder],
          postIds: [post.id]
        })
      )
    }
  }
  // a single post (书记, 主任 …) has one holder at a time
  const single = new Set((postKinds ?? Post.defaultKinds).filter((k) => k.single).map((k) => k.id))
  const groups = new Map<string, Array<Post.Post>>()
  for (const post of input.posts) {
    if (!single.has(post.kind) || !p.bodies.has(post.bodyId)) continue
    const key = `${post.bodyId}\u0000${post.kind}`
    const list = groups.get(key) ?? []
    list.push(post)
    groups.set(key, list)
  }
  for (const list of groups.values()) {
    const clash = new Set<Post.Post>()
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as Post.Post
        const b = list[j] as Post.Post
        if (a.holder !== b.holder && Post.overlaps(a, b)) {
          clash.add(a)
          clash.add(b)
        }
      }
    }
    if (clash.size === 0) continue
    const first = list[0] as Post.Post
    const posts = [...clash]
    out.push(
      violation({
        rule,
        problem: "single-post-overlap",
        unitId: p.bodies.get(first.bodyId)?.unitId,
        bodyIds: [first.bodyId],
        personIds: posts.map((x) => x.holder),
        postIds: posts.map((x) => x.id),
        detail: first.kind
      })
    )
  }
  return out
}

const checks: Readonly<Record<RuleName, (p: Prepared) => Array<OrganizationViolation>>> = {
  "mediators-by-population": checkMediators,
  "one-legal-adviser": checkLegalAdvisers,
  "grid-leader-in-two-committees": checkGridLeaders,
  "big-party-committee": checkBigPartyCommittees,
  "deliberation-execution-separation": checkSeparation,
  "compound-management": checkCompounds,
  integrity: checkIntegrity
}

const key = (v: OrganizationViolation): string =>
  [
    String(ruleNames.indexOf(v.rule)).padStart(2, "0"),
    v.unitId ?? "",
    v.problem,
    v.bodyIds.join(","),
    v.personIds.join(","),
    v.postIds.join(","),
    v.detail ?? ""
  ].join("\u0000")

/**
 * Runs one rule; returns its violations (sorted).
 *
 * @since 0.1.0
 * @category checking
 */
export const checkRule = (
  rule: RuleName,
  input: Input,
  rules: Rules = defaultRules
): ReadonlyArray<OrganizationViolation> =>
  checks[rule](prepare(input, rules)).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))

/**
 * 检查 — runs every enabled rule; returns every violation, sorted by rule (in
 * {@link ruleNames} order), unit, problem and the ids involved.
 *
 * @since 0.1.0
 * @category checking
 */
export const check = (input: Input, rules: Rules = defaultRules): ReadonlyArray<OrganizationViolation> => {
  const p = prepare(input, rules)
  const enabled = new Set(rules.enabled)
  const out: Array<OrganizationViolation> = []
  for (const rule of ruleNames) if (enabled.has(rule)) out.push(...checks[rule](p))
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

/**
 * The input, or every violation of the enabled rules.
 *
 * @since 0.1.0
 * @category checking
 */
export const validate = (
  input: Input,
  rules: Rules = defaultRules
): Either.Either<Input, OrganizationViolations> => {
  const [first, ...rest] = check(input, rules)
  return first === undefined
    ? Either.right(input)
    : Either.left(new OrganizationViolations({ violations: [first, ...rest] }))
}

/**
 * The minimum number of mediators for a population under the rules (≥ 5
 * above the boundary, ≥ 3 at or below by default).
 *
 * @since 0.1.0
 * @category getters
 */
export const minimumMediators = (residents: number, rules: Rules = defaultRules): number =>
  residents > rules.mediatorBoundary ? rules.mediatorsAbove : rules.mediatorsAtOrBelow
