/**
 * 示范区 — a demo district, synthetic but shaped like the seed reports:
 * 五级治理 (district → street → community → compound → building, seed 001),
 * grids of 200–300 households proposed per community, "1+1+1+n" staffing
 * (seed 001), building leaders mostly party members (seed 000), and a party
 * branch on every grid (支部建在网格上, seed 000).
 *
 * A few realistic faults are planted so the reports have something to say:
 * a newly built building no grid covers yet, a grid whose full-time worker
 * left, a street supervisor spread over too many grids, and a new grid whose
 * party branch is not yet founded.
 */
import {
  type Building,
  type Grid,
  LevelScheme,
  Partition,
  PartyOrganization,
  Staffing,
  Unit
} from "@civicgrid/core"
import * as Either from "effect/Either"

/** A small deterministic pseudo-random generator (mulberry32), so every run prints the same district. */
const random = (seed: number) => {
  let a = seed >>> 0
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const COUNTY = "530103"

/** Streets and their communities (names from the seed reports; codes synthetic). */
const layout: ReadonlyArray<{ readonly name: string; readonly communities: ReadonlyArray<string> }> = [
  { name: "金星街道", communities: ["金星社区", "金康社区", "金尚社区"] },
  { name: "青云街道", communities: ["青云社区", "白塔社区"] },
  { name: "阿子营街道", communities: ["甸头社区", "阿子营社区"] }
]

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
  readonly planted: {
    readonly uncoveredBuilding: string
    readonly vacantGrid: string
    readonly overloadedSupervisor: string
    readonly gridWithoutBranch: string
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

export const makeDemoDistrict = (seed = 2024): DemoDistrict => {
  const rnd = random(seed)
  const int = (min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1))
  const units: Array<Unit.Unit> = []
  const buildings: Array<Building.Building> = []
  const grids: Array<Grid.Grid> = []
  const people: Array<Staffing.Person> = []
  const assignments: Array<Staffing.Assignment> = []
  const gridLocations = new Map<Grid.GridId, Staffing.GridLocation>()
  const partyOrgs: Array<PartyOrganization.PartyOrganization> = []

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

  layout.forEach((street, s) => {
    const streetSeg = pad(s + 1, 3)
    const streetId = `s-${streetSeg}`
    units.push(
      Unit.make({
        id: streetId,
        parentId: districtId,
        level: "street",
        name: street.name,
        code: `${COUNTY}${streetSeg}000`
      })
    )
    const workingCommittee = `po-${streetId}`
    partyOrgs.push(
      PartyOrganization.makeOrg({
        id: workingCommittee,
        parentId: null,
        kind: "street-working-committee",
        name: `${street.name}党工委`,
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
      const id = newPerson(`${street.name}监督员${supervisors.length + 1}`, true)
      assignments.push(Staffing.assign(id, "supervisor", { unit: streetId }))
      supervisors.push({ id, grids: 1 })
      return id
    }

    street.communities.forEach((communityName, c) => {
      const communitySeg = pad(c + 1, 3)
      const communityId = `c-${streetSeg}-${communitySeg}`
      const areaCode = `${COUNTY}${streetSeg}${communitySeg}`
      units.push(
        Unit.make({
          id: communityId,
          parentId: streetId,
          level: "community",
          name: communityName,
          code: areaCode
        })
      )
      const generalBranch = `po-${communityId}`
      partyOrgs.push(
        PartyOrganization.makeOrg({
          id: generalBranch,
          parentId: workingCommittee,
          kind: "community-committee",
          name: `${communityName}党总支`,
          unitId: communityId
        })
      )
      const communityBuildings: Array<Building.Building> = []
      const compounds = int(3, 5)
      for (let k = 1; k <= compounds; k++) {
        const compoundId = `${communityId}-x${k}`
        const compoundName = `${communityName.replace("社区", "")}${["花园", "苑", "家园", "新村", "小区"][k - 1] ?? "小区"}`
        units.push(
          Unit.make({ id: compoundId, parentId: communityId, level: "compound", name: compoundName })
        )
        const count = int(4, 9)
        for (let b = 1; b <= count; b++) {
          const id = `${compoundId}-b${b}`
          units.push(
            Unit.make({ id, parentId: compoundId, level: "building", name: `${compoundName}${b}号楼` })
          )
          const households = int(24, 96)
          const building: Building.Building = {
            id: Unit.UnitId.make(id),
            name: `${compoundName}${b}号楼`,
            communityId: Unit.UnitId.make(communityId),
            compoundId: Unit.UnitId.make(compoundId),
            households,
            partyMemberHouseholds: Math.round(households * (0.05 + rnd() * 0.1))
          }
          communityBuildings.push(building)
        }
      }
      buildings.push(...communityBuildings)

      // 网格划分 — propose basic grids of 200–300 households, compounds kept together where possible
      const proposal = Either.getOrThrowWith(Partition.propose(communityBuildings, { areaCode }), (errors) =>
        errors.map((e) => e.message).join("; ")
      )
      const communityGrids = Partition.toGrids(proposal)
      grids.push(...communityGrids)

      // 新建楼栋 — a building finished after the grids were drawn (planted coverage gap)
      if (s === 0 && c === 0) {
        const id = `${communityId}-x1-b99`
        units.push(
          Unit.make({ id, parentId: `${communityId}-x1`, level: "building", name: "金星花园新建9号楼" })
        )
        buildings.push({
          id: Unit.UnitId.make(id),
          name: "金星花园新建9号楼",
          communityId: Unit.UnitId.make(communityId),
          compoundId: Unit.UnitId.make(`${communityId}-x1`),
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
        // 一格一员: the second grid of 青云社区 lost its full-time worker (planted vacancy)
        if (s === 1 && c === 0 && g === 1) vacantGrid = grid.id
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
        // 支部建在网格上: the last grid of 阿子营社区 has no branch yet (planted)
        const last = s === 2 && c === 1 && g === communityGrids.length - 1
        if (last) gridWithoutBranch = grid.id
        else
          partyOrgs.push(
            PartyOrganization.makeOrg({
              id: `po-${grid.id}`,
              parentId: generalBranch,
              kind: "grid-branch",
              name: `${communityName}${grid.name}党支部`,
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
    })
  })

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
