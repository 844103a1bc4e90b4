/**
 * 组织与岗位示范数据 — deterministic demo organisation data for the demo
 * district (`District`), after the community experience reports:
 *
 * - per street: the 街道领导班子 (党工委书记, 主任, two 副主任), the 派出所, 城管中队 and
 *   市场监管所 (sectors 公安, 城管, 市场监管) and one 共建单位, each with its head, and two
 *   property companies 物业企业;
 * - per community: the 居委会 and the 社区党总支 (书记 also 居委会主任 — 一肩挑 — and
 *   committee members, some in both: 交叉任职), a 党群服务站 (一委一站, its own
 *   站长: 议行分离), a 网格服务站 whose 网格长 of each grid are drawn from the two
 *   committees, one 法律顾问 (一村一顾问), a 人民调解委员会 with 调解员 by
 *   population — at least 5 above 3,000 residents, at least 3 at or below, and 5
 *   (the higher minimum, {@link defaultMediators}) where the population is not
 *   known — and the community 大党委 (第一书记 from the street leadership that
 *   contacts the community, the community secretary as 书记, 兼职委员 the heads of
 *   公安, 城管, 市场监管 and the co-building unit);
 * - a 小区/网格党支部 body for each grid branch of the party tree (支部建在网格上), and
 *   in-service party members who report there (双报到: a relation at the
 *   co-building unit, a report at the branch);
 * - per compound its management mode: mostly 专业物业, some 自管 through an
 *   业委会 (whose buildings have a 院委会 with a 楼栋长 — the 楼道长 role of the role
 *   table, placed at building level), some 无人管理 taken over by the community
 *   (兜底管理);
 * - 绿橙红 appraisals of the community cadres for the last quarter;
 * - the weak-and-lax flags 软弱涣散 of the community party organisations for
 *   the last two quarters: in the earlier one the first community of the
 *   second street is flagged (班子不团结), in the last one none is — the zero
 *   target 清零 met after rectification ({@link weakAndLaxCommunity});
 * - the population 常住人口 of each community (社区人口, stored with
 *   `putPopulations` for the headcount rule), estimated from its buildings'
 *   households (2.62 residents per household, the 2020 census average).
 *
 * - a 社区治理理事会 (deliberative: its members hold no post in the service
 *   station) in the first community of each street.
 *
 * Names are fictitious and phones are fictitious valid mobile numbers. The data
 * passes `OrganizationRules.check` (default rules, with the communities'
 * populations as residents: {@link residents}) except for five violations
 * planted to show the check working, listed in the field `deliberate`
 * ({@link Deliberate}); on the standard district:
 *
 * 1. `mediators-by-population` / `population-unknown` — the last community of the
 *    first street has no population figure (staffed with {@link defaultMediators});
 * 2. `mediators-by-population` / `too-few` — the last community of more than 3,000
 *    residents (not one of the others planted) lost a mediator last month;
 * 3. `one-legal-adviser` / `too-few` — the second community of the first street:
 *    its adviser's contract ended last month;
 * 4. `grid-leader-in-two-committees` / `not-two-committees` — the first grid of the
 *    second street's second community is led by its full-time grid worker;
 * 5. `compound-management` / `not-taken-over` — the last compound of the third
 *    street's first community: unmanaged, not yet taken over.
 *
 * Without populations (none stored, none given) every community is reported
 * `population-unknown` instead of 1 and 2.
 *
 * @since 0.1.0
 */
import * as Body from "@civicgrid/core/Body"
import * as Compound from "@civicgrid/core/Compound"
import * as Membership from "@civicgrid/core/Membership"
import * as OrganizationMetrics from "@civicgrid/core/OrganizationMetrics"
import * as OrganizationRepository from "@civicgrid/core/OrganizationRepository"
import type * as OrganizationRules from "@civicgrid/core/OrganizationRules"
import * as Period from "@civicgrid/core/Period"
import * as Post from "@civicgrid/core/Post"
import * as RoleTable from "@civicgrid/core/RoleTable"
import * as Staffing from "@civicgrid/core/Staffing"
import type { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type * as District from "./District.js"
import { random } from "./internal/random.js"

/**
 * 故意设置的违规 — a violation planted on purpose, which `OrganizationRules.check`
 * must report: its rule, problem and community, and why.
 *
 * @since 0.1.0
 * @category models
 */
export interface Deliberate {
  readonly rule: OrganizationRules.RuleName
  readonly problem: OrganizationRules.Problem
  readonly unitId: UnitId
  readonly note: string
}

/**
 * 示范组织数据 — what `generate` makes, in the order a store takes it.
 *
 * @since 0.1.0
 * @category models
 */
export interface DemoOrganization {
  /** 任职人员 — the people who hold the posts (names and phones fictitious). */
  readonly people: ReadonlyArray<Staffing.Person>
  readonly bodies: ReadonlyArray<Body.Body>
  readonly posts: ReadonlyArray<Post.Post>
  readonly memberships: ReadonlyArray<Membership.Membership>
  readonly compounds: ReadonlyArray<Compound.Compound>
  readonly appraisals: ReadonlyArray<OrganizationRepository.UnitAppraisal>
  /**
   * 软弱涣散 — every community party organisation's flag for the last two
   * quarters: one flagged in the earlier, none in the last (清零).
   */
  readonly weakAndLax: ReadonlyArray<OrganizationMetrics.WeakAndLaxFlag>
  /** 社区人口 — where known (one community's is not: see `deliberate`). */
  readonly populations: ReadonlyArray<OrganizationRepository.Population>
  /** 故意违规 — what `OrganizationRules.check` reports, and nothing else. */
  readonly deliberate: ReadonlyArray<Deliberate>
}

/**
 * 生成选项.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** 今天 — the day the posts are held on (terms that ended, ended before it). */
  readonly today: WorkingCalendar.LocalDate
  /** 随机种子 (default 2025). */
  readonly seed?: number
}

/**
 * 人口未知时的调解员人数 — mediators staffed where a community's population is
 * not known: 5, the higher of the two minimums, enough whatever the population.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMediators = 5

/**
 * 户均人口 — residents per household used to estimate a community's population
 * (2.62, the 2020 census average household size).
 *
 * @since 0.1.0
 * @category constants
 */
export const residentsPerHousehold = 2.62

/** The day the population figures were counted (the demo's 社区人口台账). */
const POPULATION_AS_OF = WorkingCalendar.LocalDate.make("2025-12-31")

/** The date the current terms started (the 2021 换届). */
const TERM_START = "2021-06-01"

const DAY_MS = 86_400_000
const plusDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)

const surnames = [
  "赵",
  "钱",
  "孙",
  "李",
  "周",
  "吴",
  "郑",
  "王",
  "冯",
  "陈",
  "褚",
  "卫",
  "蒋",
  "沈",
  "韩",
  "杨"
]
const givenNames = [
  "德明",
  "春燕",
  "立新",
  "海燕",
  "文斌",
  "晓梅",
  "红霞",
  "志远",
  "丽华",
  "永刚",
  "秋菊",
  "建华",
  "雪莲",
  "国庆",
  "美玲",
  "宏伟",
  "桂芳",
  "俊杰",
  "玉珍",
  "天佑"
]

const decodeBodies = Schema.decodeUnknownSync(Schema.Array(Body.Body))
const decodePosts = Schema.decodeUnknownSync(Schema.Array(Post.Post))
const decodeMemberships = Schema.decodeUnknownSync(Schema.Array(Membership.Membership))
const decodeCompounds = Schema.decodeUnknownSync(Schema.Array(Compound.Compound))
const decodePeople = Schema.decodeUnknownSync(Schema.Array(Staffing.Person))
const decodeAppraisals = Schema.decodeUnknownSync(Schema.Array(OrganizationRepository.UnitAppraisal))
const decodeWeakAndLax = Schema.decodeUnknownSync(Schema.Array(OrganizationMetrics.WeakAndLaxFlag))

/**
 * 软弱涣散整顿社区 — the community whose party organisation the demo flags
 * weak and lax in the quarter before the last and clears in the last: the
 * first community of the second street (of the only street, on a one-street
 * district).
 *
 * @since 0.1.0
 * @category getters
 */
export const weakAndLaxCommunity = (district: District.DemoDistrict): string | undefined => {
  const streets = district.units.filter((u) => u.level === "street")
  const street = streets[Math.min(1, streets.length - 1)]
  return district.units.find((u) => u.level === "community" && u.parentId === street?.id)?.id
}

/** 楼道长 — the local role of the role table, placed at building level (checked when generating). */
const stairwellLeaderPlacement = Either.flatMap(
  RoleTable.addAll(RoleTable.defaults, RoleTable.localRoles),
  (table) => RoleTable.place(table, "staffing", "stairwell-leader", "building")
)

/**
 * 生成 — the demo organisation data of a district, the same for the same
 * district, day and seed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (district: District.DemoDistrict, options: Options): DemoOrganization => {
  if (Either.isLeft(stairwellLeaderPlacement)) throw stairwellLeaderPlacement.left
  const rnd = random(options.seed ?? 2025)
  const today = options.today
  const people: Array<unknown> = []
  const bodies: Array<unknown> = []
  const posts: Array<unknown> = []
  const memberships: Array<unknown> = []
  const compounds: Array<unknown> = []
  const appraisals: Array<unknown> = []
  const weakAndLax: Array<unknown> = []
  const populations: Array<OrganizationRepository.Population> = []
  const deliberate: Array<Deliberate> = []

  let serial = 0
  const person = (partyMember: boolean): string => {
    serial++
    const id = `op-${String(serial).padStart(5, "0")}`
    const name = `${surnames[(serial * 7) % surnames.length]}${givenNames[(serial * 13 + Math.floor(serial / 320)) % givenNames.length]}`
    // fictitious: 139 and eight digits spread by a multiplier coprime to 10^8
    const phone = `139${String(((serial + 17) * 48_271_003) % 100_000_000).padStart(8, "0")}`
    people.push({ id, name, partyMember, phone })
    return id
  }
  const body = (fields: Record<string, unknown>): string => {
    bodies.push(fields)
    return String(fields.id)
  }
  const post = (
    bodyId: string,
    kind: Post.PostKindId,
    holder: string,
    extra: {
      readonly concurrent?: boolean
      readonly gridId?: string
      readonly affiliation?: string
      readonly until?: string
      readonly n?: number
    } = {}
  ): void => {
    posts.push({
      id: `${bodyId}.${kind}.${holder}${extra.gridId === undefined ? "" : `.${extra.gridId}`}`,
      bodyId,
      kind,
      holder,
      since: TERM_START,
      concurrent: extra.concurrent ?? false,
      ...(extra.until === undefined ? {} : { until: extra.until }),
      ...(extra.gridId === undefined ? {} : { gridId: extra.gridId }),
      ...(extra.affiliation === undefined ? {} : { affiliation: extra.affiliation })
    })
  }

  const units = district.units
  const streets = units.filter((u) => u.level === "street")
  const communities = units.filter((u) => u.level === "community")
  const branchOf = new Map<string, Array<string>>()
  for (const o of district.partyOrgs)
    if (o.kind === "grid-branch" && o.gridId !== undefined && o.unitId !== undefined) {
      const list = branchOf.get(o.unitId) ?? []
      list.push(o.gridId)
      branchOf.set(o.unitId, list)
    }
  const workerOf = new Map<string, string>()
  for (const a of district.assignments)
    if (a.role === "full-time-worker" && a.target._tag === "Grid" && !workerOf.has(a.target.gridId))
      workerOf.set(a.target.gridId, a.personId)

  // populations, estimated from the buildings' households
  const householdsOf = new Map<string, number>()
  for (const b of district.buildings)
    householdsOf.set(b.communityId, (householdsOf.get(b.communityId) ?? 0) + b.households)
  const residentsOf = (id: string): number => Math.round((householdsOf.get(id) ?? 0) * residentsPerHousehold)

  // where the faults go (the standard district's positions, moved inwards on smaller ones)
  const firstStreet = communities.filter((c) => c.parentId === streets[0]?.id)
  const unknownPopulation = firstStreet.length > 1 ? firstStreet[firstStreet.length - 1]?.id : undefined
  const noAdviser = firstStreet.length > 2 ? firstStreet[1]?.id : undefined
  const tooFewCandidates = communities.filter(
    (c) => c.id !== unknownPopulation && c.id !== noAdviser && residentsOf(c.id) > 3000
  )
  const tooFewMediators = tooFewCandidates[tooFewCandidates.length - 1]?.id
  const secondStreet = communities.filter((c) => c.parentId === streets[Math.min(1, streets.length - 1)]?.id)
  const badLeaderCommunity = secondStreet[Math.min(1, secondStreet.length - 1)]?.id
  const thirdStreet = communities.filter((c) => c.parentId === streets[Math.min(2, streets.length - 1)]?.id)
  const untakenCommunity = thirdStreet[0]?.id
  const rectified = weakAndLaxCommunity(district)

  // the last full quarter before today
  const quarter = Period.previous(
    Period.ofDate(today, "quarter", { utcOffsetMinutes: Period.defaultUtcOffsetMinutes })
  )
  const quarterBefore = Period.previous(quarter)

  for (const [s, street] of streets.entries()) {
    // 街道领导班子: 党工委书记, 主任, two 副主任 — each contacts some communities as 第一书记
    const leadership = body({
      id: `sl-${street.id}`,
      kind: Body.kinds.streetLeadership,
      name: `${street.name}领导班子`,
      unitId: street.id
    })
    const leaders = [person(true), person(true), person(true), person(true)]
    post(leadership, Post.kinds.secretary, leaders[0] as string)
    post(leadership, Post.kinds.director, leaders[1] as string)
    post(leadership, Post.kinds.deputyDirector, leaders[2] as string)
    post(leadership, Post.kinds.deputyDirector, leaders[3] as string)
    // 职能部门 公安 · 城管 · 市场监管 and a 共建单位, each with its head
    const departments = [
      ["ps", "派出所", Body.sectors.publicSecurity],
      ["um", "城管中队", Body.sectors.urbanManagement],
      ["mr", "市场监管所", Body.sectors.marketRegulation]
    ] as const
    const heads: Array<{ readonly head: string; readonly from: string }> = []
    for (const [key, name, sector] of departments) {
      const from = body({
        id: `dp-${street.id}-${key}`,
        kind: Body.kinds.department,
        name: `${street.name.replace(/街道$/, "")}${name}`,
        unitId: street.id,
        sector
      })
      const head = person(true)
      post(from, Post.kinds.director, head)
      heads.push({ head, from })
    }
    const coBuilding = body({
      id: `cb-${street.id}`,
      kind: Body.kinds.coBuildingUnit,
      name: `${street.name.replace(/街道$/, "")}${["供电所", "第一中学", "人民医院"][s % 3]}`,
      unitId: street.id
    })
    const coHead = person(true)
    post(coBuilding, Post.kinds.director, coHead)
    heads.push({ head: coHead, from: coBuilding })
    // 物业企业
    const companies = [1, 2].map((k) =>
      body({
        id: `pm-${street.id}-${k}`,
        kind: Body.kinds.propertyCompany,
        name: `${street.name.replace(/街道$/, "")}${["安居", "宜家"][k - 1]}物业服务有限公司`,
        unitId: street.id
      })
    )

    const streetCommunities = communities.filter((c) => c.parentId === street.id)
    for (const [ci, community] of streetCommunities.entries()) {
      const c = community.id
      const residents = residentsOf(c)
      if (c !== unknownPopulation)
        populations.push({ unitId: community.id, residents, asOf: POPULATION_AS_OF })
      // 两委: 社区党总支 and 居委会, the secretary also 居委会主任 (一肩挑), members in both (交叉任职)
      const party = body({
        id: `pc-${c}`,
        kind: Body.kinds.communityPartyCommittee,
        name: `${community.name}党总支`,
        unitId: c,
        partyOrgId: `po-${c}`
      })
      // 软弱涣散: one party organisation flagged the quarter before last, rectified; none flagged now (清零)
      weakAndLax.push(
        c === rectified
          ? { bodyId: party, period: quarterBefore, flagged: true, reason: "班子不团结，组织生活不规范" }
          : { bodyId: party, period: quarterBefore, flagged: false },
        c === rectified
          ? { bodyId: party, period: quarter, flagged: false, reason: "整顿后验收销号" }
          : { bodyId: party, period: quarter, flagged: false }
      )
      const committee = body({
        id: `rc-${c}`,
        kind: Body.kinds.residentsCommittee,
        name: `${community.name}居民委员会`,
        unitId: c
      })
      const secretary = person(true)
      const members = [person(true), person(true)]
      const residentsMembers = [person(rnd() < 0.5), person(false)]
      post(party, Post.kinds.secretary, secretary)
      for (const m of members) post(party, Post.kinds.member, m)
      post(committee, Post.kinds.director, secretary, { concurrent: true })
      post(committee, Post.kinds.deputyDirector, members[0] as string, { concurrent: true })
      for (const m of residentsMembers) post(committee, Post.kinds.member, m)
      const twoCommittees = [secretary, ...members, ...residentsMembers]
      // 党群服务站 (一委一站): its own head and staff, none in the 居委会 (议行分离)
      const station = body({
        id: `ws-${c}`,
        kind: Body.kinds.workstation,
        name: `${community.name}党群服务站`,
        unitId: c
      })
      const stationHead = person(rnd() < 0.7)
      post(station, Post.kinds.stationHead, stationHead)
      post(station, Post.kinds.member, person(rnd() < 0.4))
      // 一村一顾问: the legal adviser's contract ended last month in one community, no successor yet (planted)
      const adviser = person(false)
      if (c === noAdviser) {
        post(station, Post.kinds.legalAdviser, adviser, { until: plusDays(today, -30) })
        deliberate.push({
          rule: "one-legal-adviser",
          problem: "too-few",
          unitId: community.id,
          note: "法律顾问合同上月到期，尚未续聘 — the legal adviser's contract ended last month, no successor yet"
        })
      } else post(station, Post.kinds.legalAdviser, adviser)
      // 网格服务站: the grid leaders from the two committees; in one community the first grid's leader is its
      // full-time grid worker, no member of the two committees (planted)
      const gridStation = body({
        id: `gs-${c}`,
        kind: Body.kinds.gridStation,
        name: `${community.name}网格服务站`,
        unitId: c
      })
      const communityGrids = district.grids.filter((g) => g.communityId === c)
      for (const [g, grid] of communityGrids.entries()) {
        const worker = workerOf.get(grid.id)
        if (c === badLeaderCommunity && g === 0 && worker !== undefined) {
          post(gridStation, Post.kinds.gridLeader, worker, { gridId: grid.id })
          deliberate.push({
            rule: "grid-leader-in-two-committees",
            problem: "not-two-committees",
            unitId: community.id,
            note: `${grid.name}的网格长由专职网格员担任，不是两委成员 — the grid leader of ${grid.id} is its full-time grid worker, not a member of the two committees`
          })
        } else
          post(gridStation, Post.kinds.gridLeader, twoCommittees[g % twoCommittees.length] as string, {
            concurrent: true,
            gridId: grid.id
          })
      }
      // 人民调解委员会: mediators by population (≥ 5 above 3,000, ≥ 3 at or below; 5 where unknown)
      const mediation = body({
        id: `mc-${c}`,
        kind: Body.kinds.mediationCommittee,
        name: `${community.name}人民调解委员会`,
        unitId: c
      })
      const needed = c === unknownPopulation ? defaultMediators : residents > 3000 ? 5 : 3
      for (let k = 0; k < needed; k++) {
        // one mediator of a large community moved away last month and was not replaced (planted)
        const left = c === tooFewMediators && k === 0
        post(mediation, Post.kinds.mediator, person(rnd() < 0.5), left ? { until: plusDays(today, -30) } : {})
      }
      if (c === tooFewMediators)
        deliberate.push({
          rule: "mediators-by-population",
          problem: "too-few",
          unitId: community.id,
          note: `常住人口 ${residents} 人，一名调解员上月迁出未补 — ${residents} residents; a mediator moved away last month, not replaced`
        })
      if (c === unknownPopulation)
        deliberate.push({
          rule: "mediators-by-population",
          problem: "population-unknown",
          unitId: community.id,
          note: `人口未统计，按 ${defaultMediators} 名配备调解员 — population not known; staffed with ${defaultMediators} mediators`
        })
      // 大党委: 第一书记 the street leader who contacts the community, 书记 the community secretary,
      // 兼职委员 the heads of 公安, 城管, 市场监管 and the co-building unit
      const big = body({
        id: `bp-${c}`,
        kind: Body.kinds.bigPartyCommittee,
        name: `${community.name}大党委`,
        unitId: c
      })
      post(big, Post.kinds.firstSecretary, leaders[ci % leaders.length] as string, {
        concurrent: true,
        affiliation: leadership
      })
      post(big, Post.kinds.secretary, secretary, { concurrent: true })
      post(big, Post.kinds.member, members[0] as string, { concurrent: true })
      for (const { head, from } of heads)
        post(big, Post.kinds.partTimeMember, head, { concurrent: true, affiliation: from })
      // 社区治理理事会 in the first community of each street: deliberative, its members hold no station post
      if (ci === 0) {
        const council = body({
          id: `gc-${c}`,
          kind: Body.kinds.governanceCouncil,
          name: `${community.name}治理理事会`,
          unitId: c
        })
        post(council, Post.kinds.chair, person(true))
        for (let k = 0; k < 5; k++) post(council, Post.kinds.councilMember, person(rnd() < 0.4))
      }
      // 小区/网格党支部 (支部建在网格上), and in-service party members reporting there (双报到)
      const branches = (branchOf.get(c) ?? []).map((gridId) =>
        body({
          id: `gb-${gridId}`,
          kind: Body.kinds.compoundPartyBranch,
          name: `${community.name}${district.grids.find((g) => g.id === gridId)?.name ?? gridId}党支部`,
          unitId: c,
          partyOrgId: `po-${gridId}`
        })
      )
      for (const [k, branch] of branches.entries()) {
        post(branch, Post.kinds.secretary, twoCommittees[k % 3] as string, { concurrent: true })
        const reporters = 1 + Math.floor(rnd() * 3)
        for (let r = 0; r < reporters; r++) {
          const member = person(true)
          const since = plusDays(TERM_START, Math.floor(rnd() * 900))
          memberships.push({ personId: member, bodyId: coBuilding, kind: "relation", since: "2015-07-01" })
          memberships.push({
            personId: member,
            bodyId: branch,
            kind: "reported",
            homeBodyId: coBuilding,
            since
          })
        }
      }
      for (const m of [secretary, ...members])
        memberships.push({ personId: m, bodyId: party, kind: "relation", since: "2012-07-01" })
      // 绿橙红: the community cadres' appraisal for the last quarter, mostly green
      for (const cadre of [...twoCommittees, stationHead]) {
        const r = rnd()
        const score =
          r < 0.7
            ? 85 + Math.floor(rnd() * 14)
            : r < 0.9
              ? 70 + Math.floor(rnd() * 15)
              : 50 + Math.floor(rnd() * 20)
        appraisals.push({ unitId: c, appraisal: { cadreId: cadre, period: quarter, score } })
      }

      // 小区: mostly 专业物业, some 自管 (业委会; its buildings' 院委会 with a 楼栋长), some 无人管理 under 兜底
      const communityCompounds = units.filter((u) => u.level === "compound" && u.parentId === c)
      for (const [k, compound] of communityCompounds.entries()) {
        const buildings = district.buildings.filter((b) => b.compoundId === compound.id)
        const households = buildings.reduce((n, b) => n + b.households, 0)
        const last = k === communityCompounds.length - 1
        const r = rnd()
        let management: unknown
        if (c === untakenCommunity && last) {
          management = { _tag: "Unmanaged" }
          deliberate.push({
            rule: "compound-management",
            problem: "not-taken-over",
            unitId: compound.id,
            note: `${compound.name}物业撤场，社区尚未兜底接管 — the property company left, the community has not taken over yet`
          })
        } else if (k > 0 && r < 0.2) {
          management = { _tag: "Unmanaged", takenOverBy: c }
        } else if (k > 0 && r < 0.4) {
          const owners = body({
            id: `oc-${compound.id}`,
            kind: Body.kinds.ownersCommittee,
            name: `${compound.name}业主委员会`,
            unitId: compound.id
          })
          post(owners, Post.kinds.chair, person(rnd() < 0.5))
          management = { _tag: "SelfManaged", bodyId: owners }
          for (const b of buildings) {
            const yard = body({
              id: `yc-${b.id}`,
              kind: Body.kinds.ownersCommittee,
              name: `${b.name}院委会`,
              unitId: b.id
            })
            post(yard, Post.kinds.buildingLeader, person(rnd() < 0.8))
          }
        } else {
          management = { _tag: "Professional", propertyCompanyId: companies[(k + ci) % companies.length] }
        }
        compounds.push({ id: compound.id, communityId: c, name: compound.name, households, management })
      }
    }
  }

  const order = (d: Deliberate): string => `${d.rule}\u0000${d.problem}\u0000${d.unitId}`
  return {
    people: decodePeople(people),
    bodies: decodeBodies(bodies),
    posts: decodePosts(posts),
    memberships: decodeMemberships(memberships),
    compounds: decodeCompounds(compounds),
    appraisals: decodeAppraisals(appraisals),
    weakAndLax: decodeWeakAndLax(weakAndLax),
    populations,
    deliberate: deliberate.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
  }
}

/**
 * The residents of the communities whose population is known, for
 * `OrganizationRepository.check` (`residents`).
 *
 * @since 0.1.0
 * @category getters
 */
export const residents = (data: DemoOrganization): ReadonlyMap<string, number> =>
  new Map(data.populations.map((p) => [p.unitId as string, p.residents] as const))
