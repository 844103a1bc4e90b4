/**
 * The demo district's reports: hierarchy with rolled-up households, grid
 * coverage and size, staffing against the 1+1+1+n policies, building leaders,
 * and party branches on grids — computed with @civicgrid/core, then printed.
 */
import { Coverage, Hierarchy, PartyOrganization, Staffing } from "@civicgrid/core"
import { type DemoDistrict, streetPartyOrgs } from "@civicgrid/demo/District"
import * as Either from "effect/Either"
import * as Option from "effect/Option"

/** The staffing policies the demo district applies (limits are local practice: configuration). */
export const policies: Staffing.PolicySet = {
  oneWorkerPerGrid: Staffing.OneWorkerPerGrid.make({}),
  oneProfessionalManyGrids: Staffing.OneProfessionalManyGrids.make({
    roles: ["full-time-worker", "inspector", "supervisor"],
    maxGrids: 12
  }),
  manyPartTimersPerGrid: Staffing.ManyPartTimersPerGrid.make({}),
  template: Staffing.Template.make({})
}

export interface DemoReport {
  readonly hierarchy: Hierarchy.Hierarchy
  readonly households: Hierarchy.NumberTotals
  readonly coverage: Coverage.CoverageReport
  readonly size: Coverage.SizeReport
  readonly staffing: ReadonlyArray<Staffing.StaffingViolation>
  readonly leaders: Staffing.BuildingLeaderReport
  readonly branches: ReadonlyArray<{
    readonly street: string
    readonly result: Either.Either<ReadonlyMap<string, string>, PartyOrganization.BranchesNotOnGrids>
  }>
}

export const buildReport = (district: DemoDistrict): DemoReport => {
  const hierarchy = Either.getOrThrowWith(Hierarchy.make(district.scheme, district.units), (e) => e.message)
  const householdsOf = new Map(district.buildings.map((b) => [b.id as string, b.households]))
  const households = Hierarchy.rollupNumbers(hierarchy, (unit) => householdsOf.get(unit.id) ?? 0)
  const coverage = Coverage.check(district.buildings, district.grids)
  const size = Coverage.checkSize(district.grids, district.buildings)
  const staffing = Staffing.check(policies, {
    grids: district.grids,
    people: district.people,
    assignments: district.assignments,
    buildings: district.buildings,
    locate: district.gridLocations
  })
  const leaders = Staffing.buildingLeaderReport(district.buildings, district.people, district.assignments)
  // one party tree per street: validate each, then check 支部建在网格上 on that street's grids
  const branches = childrenOf(hierarchy, Hierarchy.root(hierarchy).id).map((street) => {
    const orgs = streetPartyOrgs(district, street.id)
    const tree = Either.getOrThrowWith(
      PartyOrganization.make(orgs, { hierarchy, grids: district.grids }),
      (e) => e.message
    )
    const streetGrids = district.grids.filter((g) => Hierarchy.isWithin(hierarchy, g.communityId, street.id))
    return {
      street: street.name,
      result: PartyOrganization.checkBranchesOnGrids(PartyOrganization.orgs(tree), streetGrids)
    }
  })
  return { hierarchy, households, coverage, size, staffing, leaders, branches }
}

const childrenOf = (hierarchy: Hierarchy.Hierarchy, id: string) =>
  Option.getOrElse(Hierarchy.children(hierarchy, id), () => [])

const n = (x: number): string => x.toLocaleString("en-US")
const pct = (share: Staffing.Share): string =>
  Option.match(share.rate, { onNone: () => "no data", onSome: (r) => `${(r * 100).toFixed(1)}%` })

export const formatReport = (district: DemoDistrict, report: DemoReport): string => {
  const { hierarchy, households } = report
  const lines: Array<string> = []
  const count = (level: string) => Hierarchy.unitsAtLevel(hierarchy, level).length
  const gridsOf = (communityId: string) => district.grids.filter((g) => g.communityId === communityId).length
  const total = (id: string) => Option.getOrElse(households.get(id), () => 0)

  lines.push(
    "civicgrid demo — 示范区 (a demo district; synthetic data modelled on published community-governance reports)"
  )
  lines.push("")
  lines.push(
    `行政层级 hierarchy (${district.scheme.name}): ${count("district")} district, ${count("street")} streets, ` +
      `${count("community")} communities, ${count("compound")} compounds, ${count("building")} buildings; ` +
      `${n(households.root)} households`
  )
  const root = Hierarchy.root(hierarchy)
  lines.push(
    `  ${root.name} ${root.code ?? ""}  ${n(total(root.id))} households, ${district.grids.length} grids`
  )
  const streets = childrenOf(hierarchy, root.id)
  streets.forEach((street, i) => {
    const lastStreet = i === streets.length - 1
    const streetGrids = district.grids.filter((g) =>
      Hierarchy.isWithin(hierarchy, g.communityId, street.id)
    ).length
    lines.push(
      `  ${lastStreet ? "└─" : "├─"} ${street.name} ${street.code ?? ""}  ${n(total(street.id))} households, ${streetGrids} grids`
    )
    const communities = childrenOf(hierarchy, street.id)
    communities.forEach((community, j) => {
      const compounds = childrenOf(hierarchy, community.id).length
      lines.push(
        `  ${lastStreet ? "   " : "│  "}${j === communities.length - 1 ? "└─" : "├─"} ${community.name} ${community.code ?? ""}  ` +
          `${n(total(community.id))} households, ${compounds} compounds, ${gridsOf(community.id)} grids`
      )
    })
  })

  lines.push("")
  const basic = district.grids.filter((g) => g.kind === "basic").length
  const c = report.coverage
  const gaps = c.communities.flatMap((x) => x.gaps)
  const overlaps = c.communities.flatMap((x) => x.overlaps)
  lines.push(
    `网格覆盖 grid coverage (全覆盖、无疏漏): ${basic} basic grids; ${c.complete ? "complete" : "INCOMPLETE"}`
  )
  lines.push(`  gaps ${gaps.length}, overlaps ${overlaps.length}`)
  for (const v of c.violations) lines.push(`  - ${v.message}`)
  const outside = report.size.grids.filter((g) => g.status !== "ok")
  lines.push(
    `网格规模 grid size (${report.size.bounds.min}–${report.size.bounds.max} households): ` +
      `${report.size.grids.length - outside.length} within bounds, ${outside.length} outside`
  )
  for (const v of report.size.violations) lines.push(`  - ${v.message}`)

  lines.push("")
  lines.push(
    `网格力量 staffing (一格一员; 一员多格 ≤ 12 grids; 一格多员 ≥ 1 part-timer; 1+1+1+n): ` +
      `${report.staffing.length} violation${report.staffing.length === 1 ? "" : "s"}`
  )
  for (const v of report.staffing) lines.push(`  - ${v.message}`)
  const l = report.leaders
  lines.push(
    `楼栋长 building leaders: ${n(l.leaders)}, party members ${n(l.partyMembers)} (${pct(l.partyShare)}); ` +
      `buildings without a leader: ${l.withoutLeader.length}`
  )

  lines.push("")
  lines.push("支部建在网格上 party branches on grids:")
  for (const { street, result } of report.branches) {
    Either.match(result, {
      onRight: (map) => lines.push(`  ${street}: every grid has its branch (${map.size} of ${map.size})`),
      onLeft: (e) => {
        lines.push(`  ${street}: ${e.violations.length} grid(s) without exactly one branch`)
        for (const v of e.violations) lines.push(`  - ${v.message}`)
      }
    })
  }
  return lines.join("\n")
}
