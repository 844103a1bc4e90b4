/**
 * 示范区 — the demo district, synthetic but shaped like the seed reports:
 * 五级治理 (district → street → community → compound → building, seed 001),
 * grids of 200–300 households proposed per community, "1+1+1+n" staffing
 * (seed 001), building leaders mostly party members (seed 000), and a party
 * branch on every grid (支部建在网格上, seed 000).
 *
 * A few realistic faults are planted so the reports have something to say:
 * a newly built building no grid covers yet, a grid whose full-time worker
 * left, a street supervisor spread over every grid of the first street, and a
 * new grid whose party branch is not yet founded.
 *
 * `make` sizes the district by options (streets, communities per street,
 * households per community) and validates them; `makeDefault()` — equal to
 * `make()` — is the district `examples/demo-district` reports on and the
 * street-office server seeds: 3 streets, 7 communities, 152 buildings (9,170
 * households) in 37 grids.
 *
 * **Promises** (property-tested over random valid options): the hierarchy
 * passes `Hierarchy.make`; every building but the planted one lies in exactly
 * one basic grid and no two grids overlap; every basic grid holds 200–300
 * households (`Coverage.defaultBounds`); each street's party organisations
 * form a valid tree with a branch on every grid but the planted one; with the
 * policies of 一格一员, 一员多格 (at most 12 grids), 一格多员 and 1+1+1+n, the
 * staffing check reports the planted vacancy, plus the overloaded supervisor
 * when the first street has more than 12 grids — nothing else.
 *
 * @since 0.1.0
 */
import type * as Building from "@civicgrid/core/Building"
import type * as Grid from "@civicgrid/core/Grid"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Partition from "@civicgrid/core/Partition"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as Staffing from "@civicgrid/core/Staffing"
import * as Unit from "@civicgrid/core/Unit"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import {
  describeViolations,
  integerIn,
  numberIn,
  optionViolation,
  safeInteger,
  validateWith
} from "./internal/options.js"
import { random } from "./internal/random.js"

// ---------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------

/**
 * 示范区数据 — a generated demo district: its units, buildings, grids, staff
 * and their assignments, party organisations, and the faults planted in it.
 *
 * @since 0.1.0
 * @category models
 */
export interface DemoDistrict {
  readonly scheme: LevelScheme.LevelScheme
  readonly units: ReadonlyArray<Unit.Unit>
  readonly buildings: ReadonlyArray<Building.Building>
  readonly grids: ReadonlyArray<Grid.Grid>
  readonly people: ReadonlyArray<Staffing.Person>
  readonly assignments: ReadonlyArray<Staffing.Assignment>
  readonly gridLocations: ReadonlyMap<Grid.GridId, Staffing.GridLocation>
  /** 党组织 — one tree per street (街道党工委 at the top). */
  readonly partyOrgs: ReadonlyArray<PartyOrganization.PartyOrganization>
  readonly planted: Planted
}

/**
 * 预置问题 — the faults planted on purpose, so each report has something to
 * find. On a district too small for a position below (one street, one
 * community, one grid), the fault moves to the nearest existing one.
 *
 * @since 0.1.0
 * @category models
 */
export interface Planted {
  /** 新建楼栋 — a building of the first community finished after the grids were drawn: no grid covers it. */
  readonly uncoveredBuilding: string
  /** 一格一员 — the second grid of the second street's first community lost its full-time worker. */
  readonly vacantGrid: string
  /** 一员多格 — the first street's single supervisor, over every grid of that street. */
  readonly overloadedSupervisor: string
  /** 支部建在网格上 — the last grid of the third street's second community has no branch yet. */
  readonly gridWithoutBranch: string
}

/**
 * 规模选项 — how big a district to generate. Every field is optional; the
 * defaults give the standard demo district (`makeDefault()`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** 随机种子 — any safe integer (default 2024): the same options give the same district. */
  readonly seed?: number
  /** 街道数 — 1 to 99 (default 3: 金星街道, 青云街道, 阿子营街道, then synthetic names). */
  readonly streets?: number
  /**
   * 每街道社区数 — 1 to 99 for every street (default: 3, 2, 2 for the first
   * three streets, as in the seed reports, and 3 for each further street).
   */
  readonly communitiesPerStreet?: number
  /**
   * 户数规模 — 0.25 to 4 (default 1): scales the households of each community
   * by scaling its number of buildings (3–5 compounds of 4–9 buildings at 1;
   * each building keeps 24–96 households). A community whose buildings cannot
   * form grids of 200–300 households gets more buildings until they can.
   */
  readonly householdsScale?: number
}

/**
 * The limits `make` checks, per option.
 *
 * @since 0.1.0
 * @category models
 */
export const limits = {
  streets: { min: 1, max: 99 },
  communitiesPerStreet: { min: 1, max: 99 },
  householdsScale: { min: 0.25, max: 4 }
} as const

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 选项名 — the options `make` validates.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionField = Schema.Literal("seed", "streets", "communitiesPerStreet", "householdsScale")

/**
 * 选项问题 — one bad option: its field, the rule it breaks, the value given.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionViolation = optionViolation(OptionField)

/**
 * @since 0.1.0
 * @category models
 */
export interface OptionViolation extends Schema.Schema.Type<typeof OptionViolation> {}

/**
 * 示范区选项无效 — the options of `make` break a rule; every bad field is
 * named with its rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidDistrictOptions extends Schema.TaggedError<InvalidDistrictOptions>()(
  "InvalidDistrictOptions",
  { violations: Schema.NonEmptyArray(OptionViolation) }
) {
  override get message(): string {
    return `示范区选项无效 invalid district options: ${describeViolations(this.violations)}`
  }
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Validates options: every bad field with the rule it breaks.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (options: Options): Either.Either<Options, InvalidDistrictOptions> =>
  validateWith(
    options,
    [
      ["seed", safeInteger],
      ["streets", integerIn(limits.streets.min, limits.streets.max)],
      ["communitiesPerStreet", integerIn(limits.communitiesPerStreet.min, limits.communitiesPerStreet.max)],
      ["householdsScale", numberIn(limits.householdsScale.min, limits.householdsScale.max)]
    ],
    (violations) => new InvalidDistrictOptions({ violations })
  )

/**
 * @since 0.1.0
 * @category models
 */
export type OptionField = typeof OptionField.Type

/**
 * 生成示范区 — generates a district of the given size, deterministically (the
 * same options give the same district). `make()` is the standard demo
 * district. Left: every option outside its limits (`limits`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Either.Either<DemoDistrict, InvalidDistrictOptions> =>
  Either.map(validate(options), generate)

/**
 * 标准示范区 — the standard demo district (`make()` with no options, which
 * cannot fail): 3 streets, 7 communities, the seed reports' names.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDefault = (): DemoDistrict => generate({})

// ---------------------------------------------------------------------------
// the generator
// ---------------------------------------------------------------------------

const COUNTY = "530103"

/** Streets and their communities (names from the seed reports; codes synthetic). */
const layout: ReadonlyArray<{ readonly name: string; readonly communities: ReadonlyArray<string> }> = [
  { name: "金星街道", communities: ["金星社区", "金康社区", "金尚社区"] },
  { name: "青云街道", communities: ["青云社区", "白塔社区"] },
  { name: "阿子营街道", communities: ["甸头社区", "阿子营社区"] }
]

/** Synthetic names of further streets and communities. */
const streetStems = [
  "拓东",
  "鼓楼",
  "东华",
  "联盟",
  "龙泉",
  "茨坝",
  "双龙",
  "松华",
  "滇源",
  "长水",
  "太和",
  "北辰"
]
const communityStems = [
  "春晖",
  "和平",
  "幸福",
  "团结",
  "光明",
  "长春",
  "新兴",
  "东风",
  "锦绣",
  "南苑",
  "西华",
  "翠湖"
]

const streetName = (s: number): string => {
  const known = layout[s]?.name
  if (known !== undefined) return known
  const i = s - layout.length
  const stem = streetStems[i % streetStems.length] ?? "新"
  const round = Math.floor(i / streetStems.length)
  return `${stem}${round === 0 ? "" : String(round + 1)}街道`
}

const communityName = (s: number, c: number, street: string): string => {
  const known = layout[s]?.communities[c]
  if (known !== undefined) return known
  const stem = communityStems[c % communityStems.length] ?? "新"
  const round = Math.floor(c / communityStems.length)
  return `${street.replace(/街道$/, "")}${stem}${round === 0 ? "" : String(round + 1)}社区`
}

const communitiesOf = (s: number, options: Options): number =>
  options.communitiesPerStreet ?? layout[s]?.communities.length ?? 3

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/** Options already validated. */
const generate = (options: Options): DemoDistrict => {
  const rnd = random(options.seed ?? 2024)
  const int = (min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1))
  const streetCount = options.streets ?? layout.length
  const scale = options.householdsScale ?? 1
  const units: Array<Unit.Unit> = []
  const buildings: Array<Building.Building> = []
  const grids: Array<Grid.Grid> = []
  const people: Array<Staffing.Person> = []
  const assignments: Array<Staffing.Assignment> = []
  const gridLocations = new Map<Grid.GridId, Staffing.GridLocation>()
  const partyOrgs: Array<PartyOrganization.PartyOrganization> = []

  // where the faults go: the standard district's positions, moved inwards on smaller ones
  const vacancyStreet = Math.min(1, streetCount - 1)
  const branchStreet = Math.min(2, streetCount - 1)
  const branchCommunity = Math.min(1, communitiesOf(branchStreet, options) - 1)

  const districtId = "d-530103"
  units.push(
    Unit.make({ id: districtId, parentId: null, level: "district", name: "示范区", code: `${COUNTY}000000` })
  )

  let person = 0
  const newPerson = (name: string, partyMember: boolean): string => {
    const id = `p-${pad(++person, 4)}`
    people.push(Staffing.makePerson({ id, name, partyMember }))
    return id
  }

  // 区级巡查员 district inspectors: each covers up to 12 grids (一员多格)
  const inspectorPool: Array<{ id: string; grids: number }> = []
  const inspectorFor = (): string => {
    const last = inspectorPool[inspectorPool.length - 1]
    if (last !== undefined && last.grids < 12) {
      last.grids++
      return last.id
    }
    const id = newPerson(`区巡查员${inspectorPool.length + 1}`, true)
    assignments.push(Staffing.assign(id, "inspector", { unit: districtId }))
    inspectorPool.push({ id, grids: 1 })
    return id
  }

  let vacantGrid = ""
  let overloadedSupervisor = ""
  let gridWithoutBranch = ""
  let uncoveredBuilding = ""

  for (let s = 0; s < streetCount; s++) {
    const street = streetName(s)
    const streetSeg = pad(s + 1, 3)
    const streetId = `s-${streetSeg}`
    units.push(
      Unit.make({
        id: streetId,
        parentId: districtId,
        level: "street",
        name: street,
        code: `${COUNTY}${streetSeg}000`
      })
    )
    const workingCommittee = `po-${streetId}`
    partyOrgs.push(
      PartyOrganization.makeOrg({
        id: workingCommittee,
        parentId: null,
        kind: "street-working-committee",
        name: `${street}党工委`,
        unitId: streetId
      })
    )
    // 街道监督员 street supervisors: the first street's single supervisor covers every grid (planted overload)
    const supervisors: Array<{ id: string; grids: number }> = []
    const supervisorFor = (): string => {
      const last = supervisors[supervisors.length - 1]
      const limit = s === 0 ? Number.POSITIVE_INFINITY : 12
      if (last !== undefined && last.grids < limit) {
        last.grids++
        return last.id
      }
      const id = newPerson(`${street}监督员${supervisors.length + 1}`, true)
      assignments.push(Staffing.assign(id, "supervisor", { unit: streetId }))
      supervisors.push({ id, grids: 1 })
      return id
    }

    const communities = communitiesOf(s, options)
    for (let c = 0; c < communities; c++) {
      const community = communityName(s, c, street)
      const communitySeg = pad(c + 1, 3)
      const communityId = `c-${streetSeg}-${communitySeg}`
      const areaCode = `${COUNTY}${streetSeg}${communitySeg}`
      units.push(
        Unit.make({
          id: communityId,
          parentId: streetId,
          level: "community",
          name: community,
          code: areaCode
        })
      )
      const generalBranch = `po-${communityId}`
      partyOrgs.push(
        PartyOrganization.makeOrg({
          id: generalBranch,
          parentId: workingCommittee,
          kind: "community-committee",
          name: `${community}党总支`,
          unitId: communityId
        })
      )
      const communityBuildings: Array<Building.Building> = []
      const compoundNames: Array<string> = []
      const addBuilding = (k: number, b: number): void => {
        const compoundId = `${communityId}-x${k}`
        const compoundName = compoundNames[k - 1] ?? community
        const id = `${compoundId}-b${b}`
        units.push(
          Unit.make({ id, parentId: compoundId, level: "building", name: `${compoundName}${b}号楼` })
        )
        const households = int(24, 96)
        communityBuildings.push({
          id: Unit.UnitId.make(id),
          name: `${compoundName}${b}号楼`,
          communityId: Unit.UnitId.make(communityId),
          compoundId: Unit.UnitId.make(compoundId),
          households,
          partyMemberHouseholds: Math.round(households * (0.05 + rnd() * 0.1))
        })
      }
      const compounds = int(3, 5)
      let lastCount = 0
      for (let k = 1; k <= compounds; k++) {
        const compoundId = `${communityId}-x${k}`
        const compoundName = `${community.replace("社区", "")}${["花园", "苑", "家园", "新村", "小区"][k - 1] ?? "小区"}`
        compoundNames.push(compoundName)
        units.push(
          Unit.make({ id: compoundId, parentId: communityId, level: "compound", name: compoundName })
        )
        lastCount = Math.max(1, Math.round(int(4, 9) * scale))
        for (let b = 1; b <= lastCount; b++) addBuilding(k, b)
      }
      // 网格划分 — propose basic grids of 200–300 households, compounds kept together where possible;
      // a community whose buildings cannot make such grids (too few, or too few households) gets more
      // buildings in its last compound until they can (never at the default sizes)
      const proposeGrids = () =>
        Either.getOrThrowWith(
          Partition.propose(communityBuildings, { areaCode }),
          (errors) => new Error(errors.map((e) => e.message).join("; "))
        )
      let proposal = proposeGrids()
      for (let extra = 0; !proposal.withinBounds && extra < 100; extra++) {
        addBuilding(compounds, ++lastCount)
        proposal = proposeGrids()
      }
      buildings.push(...communityBuildings)

      const communityGrids = Partition.toGrids(proposal)
      grids.push(...communityGrids)

      // 新建楼栋 — a building finished after the grids were drawn (planted coverage gap)
      if (s === 0 && c === 0) {
        const compoundId = `${communityId}-x1`
        const id = `${compoundId}-b99`
        const name = `${compoundNames[0] ?? community}新建9号楼`
        units.push(Unit.make({ id, parentId: compoundId, level: "building", name }))
        buildings.push({
          id: Unit.UnitId.make(id),
          name,
          communityId: Unit.UnitId.make(communityId),
          compoundId: Unit.UnitId.make(compoundId),
          households: 64
        })
        uncoveredBuilding = id
      }

      communityGrids.forEach((grid, g) => {
        gridLocations.set(grid.id, {
          streetId: Unit.UnitId.make(streetId),
          districtId: Unit.UnitId.make(districtId)
        })
        // 1+1+1+n: district inspector + street supervisor + community grid worker + n volunteers/building leaders
        assignments.push(Staffing.assign(inspectorFor(), "inspector", { grid: grid.id }))
        const supervisor = supervisorFor()
        if (s === 0) overloadedSupervisor = supervisor
        assignments.push(Staffing.assign(supervisor, "supervisor", { grid: grid.id }))
        // 一格一员: the second grid of the second street's first community lost its full-time worker (planted vacancy)
        if (s === vacancyStreet && c === 0 && g === Math.min(1, communityGrids.length - 1))
          vacantGrid = grid.id
        else
          assignments.push(
            Staffing.assign(newPerson(`${grid.name}专职网格员`, rnd() < 0.6), "full-time-worker", {
              grid: grid.id
            })
          )
        assignments.push(
          Staffing.assign(newPerson(`${grid.name}兼职网格员`, rnd() < 0.4), "part-time-worker", {
            grid: grid.id
          })
        )
        assignments.push(
          Staffing.assign(newPerson(`${grid.name}志愿者`, rnd() < 0.3), "volunteer", { grid: grid.id })
        )
        // 支部建在网格上: the last grid of the third street's second community has no branch yet (planted)
        const last = s === branchStreet && c === branchCommunity && g === communityGrids.length - 1
        if (last) gridWithoutBranch = grid.id
        else
          partyOrgs.push(
            PartyOrganization.makeOrg({
              id: `po-${grid.id}`,
              parentId: generalBranch,
              kind: "grid-branch",
              name: `${community}${grid.name}党支部`,
              unitId: communityId,
              gridId: grid.id
            })
          )
      })
      // 楼栋长 building leaders, party members first (seed 000: over 80%)
      for (const building of communityBuildings) {
        const leader = newPerson(`${building.name}楼栋长`, rnd() < 0.86)
        assignments.push(Staffing.assign(leader, "building-leader", { building: building.id }))
      }
    }
  }

  return {
    scheme: LevelScheme.FiveLevel,
    units,
    buildings,
    grids,
    people,
    assignments,
    gridLocations,
    partyOrgs,
    planted: { uncoveredBuilding, vacantGrid, overloadedSupervisor, gridWithoutBranch }
  }
}

// ---------------------------------------------------------------------------
// getters
// ---------------------------------------------------------------------------

/**
 * 区 — the district unit (the root of the hierarchy).
 *
 * @since 0.1.0
 * @category getters
 */
export const root = (district: DemoDistrict): Unit.Unit => {
  const found = district.units.find((u) => u.parentId === null)
  return found ?? Unit.make({ id: "d-530103", parentId: null, level: "district", name: "示范区" })
}

/**
 * 街道党组织 — one street's party organisations: its 党工委 and everything
 * under it (rows are listed parents first).
 *
 * @since 0.1.0
 * @category getters
 */
export const streetPartyOrgs = (
  district: DemoDistrict,
  streetId: string
): ReadonlyArray<PartyOrganization.PartyOrganization> => {
  const rootId = `po-${streetId}`
  const included = new Set([rootId])
  return district.partyOrgs.filter((o) => {
    if (o.id === rootId || (o.parentId !== null && included.has(o.parentId))) {
      included.add(o.id)
      return true
    }
    return false
  })
}
