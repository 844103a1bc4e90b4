/**
 * 示范区 — the demo district, synthetic but shaped like the community-governance
 * reports it is modelled on: 五级治理 (district → street → community →
 * compound → building) and "1+1+1+n" staffing, as in the Panlong district
 * report; grids of 200–300 households proposed per community; building
 * leaders mostly party members and a party branch on every grid (支部建在网格上),
 * as in the community experience report.
 *
 * 地理 — the district has real WGS-84 geometry around 昆明 盘龙区 (about 20 ×
 * 15 km, `extent`): streets split the district, communities split their
 * street, and each community's block is split exactly into its grids'
 * rectangles (GeoJSON Polygons, counter-clockwise), so an Open311 report with
 * a position routes to a grid. Between communities run roads: each community's
 * block is its share of the street inset on every side (by 0.0002°, about
 * 20 m, less for tiny blocks), so a 2 × inset road separates neighbouring
 * communities and an inset-wide verge runs inside the district edge. A point
 * on a road lies in no grid, though within metres of one (`gapPoint`). Along
 * the district's west edge, the first street keeps a 绿化带 green belt (about
 * 800 m wide on the standard district) that no community covers: its middle
 * (`parkPoint`) lies hundreds of metres from every grid. Every building has a
 * position strictly inside its grid.
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
 * when the first street has more than 12 grids — nothing else. Geometry: every
 * grid has a closed counter-clockwise rectangular Polygon; the grids of a
 * community tile its block (their areas sum to the block's, and every point
 * of the block lies in exactly one of them, or on a shared edge of two or
 * more); blocks of different communities are disjoint; every building lies
 * strictly inside its grid's polygon (so `PointLocation` locates it to its
 * grid); every coordinate lies within `extent`; `gapPoint` and `parkPoint`
 * lie within `extent` and in no grid; the same options give the same
 * geometry.
 *
 * @since 0.1.0
 */
import type * as Building from "@civicgrid/core/Building"
import * as GeoJson from "@civicgrid/core/GeoJson"
import type * as Grid from "@civicgrid/core/Grid"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Partition from "@civicgrid/core/Partition"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as PointLocation from "@civicgrid/core/PointLocation"
import * as Staffing from "@civicgrid/core/Staffing"
import * as Unit from "@civicgrid/core/Unit"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
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
  /** 地理 — the district's extent, street and community blocks, and a point on a road. */
  readonly geometry: Geometry
}

/**
 * 范围 — a rectangle in WGS-84 longitude/latitude, `[west, south, east,
 * north]` (the order of `GeoJson.bbox`).
 *
 * @since 0.1.0
 * @category models
 */
export type Block = readonly [west: number, south: number, east: number, north: number]

/**
 * 示范区地理 — where the district lies. Streets tile the extent exactly;
 * communities tile their street's block (the first street's less its green
 * belt) but each is inset by a road (see the module doc), so community blocks
 * are disjoint and separated by roads; the grids of a community tile its
 * block exactly.
 *
 * @since 0.1.0
 * @category models
 */
export interface Geometry {
  /** 区范围 — the district's extent (the same for every seed and size). */
  readonly extent: Block
  /** 街道范围 — each street's block, by street id; together they tile `extent`. */
  readonly streetBlocks: ReadonlyMap<string, Block>
  /** 社区地块 — each community's block (its share of the street less the roads), by community id. */
  readonly communityBlocks: ReadonlyMap<string, Block>
  /** 道路点 — a point on the road west of the first community: inside `extent`, in no grid. */
  readonly gapPoint: readonly [number, number]
  /** 绿化带 — the green belt along the west edge of the first street's block: no community covers it. */
  readonly greenBelt: Block
  /** 绿地点 — the middle of the green belt: inside the first street's block, in no grid, far from every grid. */
  readonly parkPoint: readonly [number, number]
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
  /**
   * 新建楼栋 — a building of the first community finished after the grids were
   * drawn: no grid covers it. Its position lies inside the first grid's
   * polygon, though that grid's `buildingIds` do not list it — the coverage gap
   * a grid worker would find walking the grid.
   */
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
   * three streets, as in the source reports, and 3 for each further street).
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
 * 示范区编号 — the id of the demo district's root unit (示范区, county code
 * 530103).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultDistrictId = "d-530103"

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
 * cannot fail): 3 streets, 7 communities, the source reports' names.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDefault = (): DemoDistrict => generate({})

// ---------------------------------------------------------------------------
// the generator
// ---------------------------------------------------------------------------

const COUNTY = "530103"

/** Streets and their communities (names from the source reports; codes synthetic). */
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

  const districtId = defaultDistrictId
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
      // 楼栋长 building leaders, party members first (the community experience report: over 80%)
      for (const building of communityBuildings) {
        const leader = newPerson(`${building.name}楼栋长`, rnd() < 0.86)
        assignments.push(Staffing.assign(leader, "building-leader", { building: building.id }))
      }
    }
  }

  const placed = place(options.seed ?? 2024, units, buildings, grids, uncoveredBuilding)
  return {
    scheme: LevelScheme.FiveLevel,
    units,
    buildings: placed.buildings,
    grids: placed.grids,
    people,
    assignments,
    gridLocations,
    partyOrgs,
    planted: { uncoveredBuilding, vacantGrid, overloadedSupervisor, gridWithoutBranch },
    geometry: placed.geometry
  }
}

// ---------------------------------------------------------------------------
// geometry
// ---------------------------------------------------------------------------

/** 盘龙区-sized: 0.2° of longitude (≈ 20.2 km at 25°N) by 0.135° of latitude (≈ 14.9 km). */
const EXTENT: Block = [102.66, 25.0, 102.86, 25.135]

/** Half a road's width between communities, in degrees (≈ 20 m). */
const ROAD = 0.0002

/** The green belt's width, in degrees of longitude (≈ 810 m), at most a quarter of the first street's width. */
const BELT = 0.008

/** Kilometres per degree of latitude, and of longitude at the district's latitude. */
const KM_PER_LAT = 110.57
const KM_PER_LON = 111.32 * Math.cos((25.07 * Math.PI) / 180)

/** Rounds a coordinate to 7 decimals (≈ 1 cm), as GeoJSON files usually carry. */
const round7 = (x: number): number => Math.round(x * 1e7) / 1e7

const sumOf = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)

/**
 * Splits a block into one block per weight, in order, with areas proportional
 * to the weights: halves the list by weight and cuts the block across its
 * longer side (west/south part first), recursively. The parts tile the block
 * exactly: each cut is one shared coordinate.
 */
const tile = (block: Block, weights: ReadonlyArray<number>): Array<Block> => {
  if (weights.length <= 1) return weights.length === 0 ? [] : [block]
  const total = sumOf(weights)
  let k = 1
  let acc = weights[0] ?? 0
  let best = Math.abs(total / 2 - acc)
  let run = acc
  for (let i = 1; i < weights.length - 1; i++) {
    run += weights[i] ?? 0
    const d = Math.abs(total / 2 - run)
    if (d < best) {
      best = d
      k = i + 1
      acc = run
    }
  }
  const fraction = total > 0 ? acc / total : k / weights.length
  const [w, s, e, n] = block
  const cutAt = (lo: number, hi: number): number => {
    const rounded = round7(lo + (hi - lo) * fraction)
    return rounded > lo && rounded < hi ? rounded : lo + (hi - lo) * fraction
  }
  const [first, second]: [Block, Block] =
    (e - w) * KM_PER_LON >= (n - s) * KM_PER_LAT
      ? [
          [w, s, cutAt(w, e), n],
          [cutAt(w, e), s, e, n]
        ]
      : [
          [w, s, e, cutAt(s, n)],
          [w, cutAt(s, n), e, n]
        ]
  return [...tile(first, weights.slice(0, k)), ...tile(second, weights.slice(k))]
}

/** The inset of a community's block: ROAD, but at most 5% of its smaller side. */
const insetOf = ([w, s, e, n]: Block): number => Math.min(ROAD, 0.05 * Math.min(e - w, n - s))

/** A closed counter-clockwise rectangle (RFC 7946 §3.1.6: exterior rings counter-clockwise). */
const rectangle = ([w, s, e, n]: Block): GeoJson.Polygon => ({
  type: "Polygon",
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s]
    ]
  ]
})

/** A point at fractions (fx, fy) of a block, rounded when that keeps it strictly inside. */
const pointAt = ([w, s, e, n]: Block, fx: number, fy: number): readonly [number, number] => {
  const x = w + (e - w) * fx
  const y = s + (n - s) * fy
  const rx = round7(x)
  const ry = round7(y)
  return [rx > w && rx < e ? rx : x, ry > s && ry < n ? ry : y]
}

/**
 * Lays the district out: streets tile the extent by weight, communities tile
 * their street (the first street less its green belt; each community then
 * inset by a road), grids tile their community's block
 * by households, buildings sit in a jittered lattice inside their grid. Uses a
 * random stream of its own, so the rest of the district does not depend on it.
 */
const place = (
  seed: number,
  units: ReadonlyArray<Unit.Unit>,
  buildings: ReadonlyArray<Building.Building>,
  grids: ReadonlyArray<Grid.Grid>,
  uncoveredBuilding: string
): {
  readonly buildings: ReadonlyArray<Building.Building>
  readonly grids: ReadonlyArray<Grid.Grid>
  readonly geometry: Geometry
} => {
  const rnd = random(seed ^ 0x6e0_5eed)
  const householdsOf = new Map<string, number>()
  for (const b of buildings) householdsOf.set(b.id, b.households)
  const gridsOf = new Map<string, Array<Grid.Grid>>()
  for (const g of grids) gridsOf.set(g.communityId, [...(gridsOf.get(g.communityId) ?? []), g])
  const gridHouseholds = (g: Grid.Grid): number => sumOf(g.buildingIds.map((id) => householdsOf.get(id) ?? 0))

  const streets = units.filter((u) => u.level === "street")
  const communitiesByStreet = new Map<string, Array<Unit.Unit>>()
  for (const u of units)
    if (u.level === "community" && u.parentId !== null)
      communitiesByStreet.set(u.parentId, [...(communitiesByStreet.get(u.parentId) ?? []), u])

  // area weight of a community: its households over a density (denser in the city, sparser outside)
  const communityWeight = new Map<string, number>()
  for (const street of streets)
    for (const c of communitiesByStreet.get(street.id) ?? []) {
      const households = sumOf((gridsOf.get(c.id) ?? []).map(gridHouseholds))
      communityWeight.set(c.id, Math.max(1, households) * (0.6 + rnd()))
    }
  const weightOf = (c: Unit.Unit): number => communityWeight.get(c.id) ?? 1

  const streetBlocks = new Map<string, Block>()
  const communityBlocks = new Map<string, Block>()
  const gridBlocks = new Map<string, Block>()
  const streetParts = tile(
    EXTENT,
    streets.map((st) => sumOf((communitiesByStreet.get(st.id) ?? []).map(weightOf)))
  )
  let gapPoint: readonly [number, number] = [EXTENT[0], EXTENT[1]]
  let greenBelt: Block = [EXTENT[0], EXTENT[1], EXTENT[0], EXTENT[3]]
  streets.forEach((street, i) => {
    const streetBlock = streetParts[i] ?? EXTENT
    streetBlocks.set(street.id, streetBlock)
    // the first street (always at the district's south-west corner) keeps a green belt along its west edge
    let built = streetBlock
    if (i === 0) {
      const [w, s, e, n] = streetBlock
      const cut = round7(w + Math.min(BELT, (e - w) / 4))
      greenBelt = [w, s, cut, n]
      built = [cut, s, e, n]
    }
    const communities = communitiesByStreet.get(street.id) ?? []
    const parts = tile(built, communities.map(weightOf))
    communities.forEach((community, j) => {
      const share = parts[j] ?? streetBlock
      const r = insetOf(share)
      const block: Block = [
        round7(share[0] + r),
        round7(share[1] + r),
        round7(share[2] - r),
        round7(share[3] - r)
      ]
      communityBlocks.set(community.id, block)
      if (i === 0 && j === 0) gapPoint = [round7(share[0] + r / 2), round7((block[1] + block[3]) / 2)]
      const own = gridsOf.get(community.id) ?? []
      tile(block, own.map(gridHouseholds)).forEach((gb, k) => {
        const grid = own[k]
        if (grid !== undefined) gridBlocks.set(grid.id, gb)
      })
    })
  })

  // buildings: a jittered lattice over the grid, in id order (so a compound's buildings stay together)
  const locations = new Map<string, readonly [number, number]>()
  let firstGrid: Block | undefined
  for (const grid of grids) {
    const gb = gridBlocks.get(grid.id)
    if (gb === undefined) continue
    firstGrid ??= gb
    const count = grid.buildingIds.length
    const aspect = ((gb[2] - gb[0]) * KM_PER_LON) / Math.max(1e-12, (gb[3] - gb[1]) * KM_PER_LAT)
    const cols = Math.max(1, Math.min(count, Math.round(Math.sqrt(count * aspect))))
    const rows = Math.ceil(count / cols)
    grid.buildingIds.forEach((id, i) => {
      const fx = ((i % cols) + 0.2 + 0.6 * rnd()) / cols
      const fy = (Math.floor(i / cols) + 0.2 + 0.6 * rnd()) / rows
      locations.set(id, pointAt(gb, fx, fy))
    })
  }
  // the planted new building: inside the first grid's polygon, though that grid does not list it
  if (firstGrid !== undefined && uncoveredBuilding !== "")
    locations.set(uncoveredBuilding, pointAt(firstGrid, 0.1 + 0.8 * rnd(), 0.1 + 0.8 * rnd()))

  return {
    buildings: buildings.map((b) => {
      const location = locations.get(b.id)
      return location === undefined ? b : { ...b, location }
    }),
    grids: grids.map((g) => {
      const gb = gridBlocks.get(g.id)
      return gb === undefined ? g : { ...g, boundary: rectangle(gb) }
    }),
    geometry: {
      extent: EXTENT,
      streetBlocks,
      communityBlocks,
      gapPoint,
      greenBelt,
      parkPoint: [round7((greenBelt[0] + greenBelt[2]) / 2), round7((greenBelt[1] + greenBelt[3]) / 2)]
    }
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

/**
 * 区范围 — the district's extent `[west, south, east, north]` in WGS-84: about
 * 20 × 15 km around 昆明 盘龙区, the same for every seed and size. Every
 * grid, block and building lies within it.
 *
 * @since 0.1.0
 * @category getters
 */
export const extent = (district: DemoDistrict): Block => district.geometry.extent

/**
 * 街道范围 — a street's block; the street blocks tile the extent. None for an
 * id that is not a street of the district.
 *
 * @since 0.1.0
 * @category getters
 */
export const streetBlock = (district: DemoDistrict, streetId: string): Option.Option<Block> =>
  Option.fromNullable(district.geometry.streetBlocks.get(streetId))

/**
 * 社区地块 — a community's block: its grids tile it exactly; roads separate it
 * from the other communities. None for an id that is not a community of the
 * district.
 *
 * @since 0.1.0
 * @category getters
 */
export const communityBlock = (district: DemoDistrict, communityId: string): Option.Option<Block> =>
  Option.fromNullable(district.geometry.communityBlocks.get(communityId))

/**
 * 网格内一点 — a point strictly inside a grid's boundary (the centre of its
 * bounding box, for the demo's rectangular grids), to post a report that
 * routes to that grid. None when the grid has no boundary or the centre lies
 * outside it (a concave boundary drawn elsewhere).
 *
 * @since 0.1.0
 * @category getters
 */
export const pointIn = (grid: Grid.Grid): Option.Option<readonly [number, number]> => {
  if (grid.boundary === undefined) return Option.none()
  const [w, s, e, n] = GeoJson.bbox(grid.boundary)
  const centre: readonly [number, number] = [(w + e) / 2, (s + n) / 2]
  return Either.match(PointLocation.locateLinear([grid], centre), {
    onLeft: () => Option.none(),
    onRight: (found) => (found.length === 1 ? Option.some(centre) : Option.none())
  })
}

/**
 * 道路点 — a point on a road: inside the district's extent but in no grid (the
 * road west of the first street's first community), metres from the nearest
 * grid, so a report posted there goes to that grid under the default
 * `Routing.defaultOutsideGrids` (and is refused as `outside-every-grid` under
 * `Refuse`).
 *
 * @since 0.1.0
 * @category getters
 */
export const gapPoint = (district: DemoDistrict): readonly [number, number] => district.geometry.gapPoint

/**
 * 绿地点 — a point in the green belt along the district's west edge (inside
 * the first street's block): in no grid, and on the standard district about
 * 400 m from the nearest one — farther than a report tapped on a road, so a
 * routing policy that takes the nearest grid only within a few hundred metres
 * hands it to the street.
 *
 * @since 0.1.0
 * @category getters
 */
export const parkPoint = (district: DemoDistrict): readonly [number, number] => district.geometry.parkPoint

/**
 * 区外一点 — a point outside the district (0.05° south-west of its extent),
 * in no grid.
 *
 * @since 0.1.0
 * @category getters
 */
export const outsidePoint = (district: DemoDistrict): readonly [number, number] => {
  const [w, s] = district.geometry.extent
  return [round7(w - 0.05), round7(s - 0.05)]
}
