import * as District from "@civicgrid/demo/District"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { buildReport, formatReport } from "../src/report.js"

describe("the demo district (npm start)", () => {
  const district = District.makeDefault()
  const report = buildReport(district)

  it("builds a valid five-level hierarchy whose household rollup equals the sum over buildings", () => {
    const sum = district.buildings.reduce((acc, b) => acc + b.households, 0)
    expect(report.households.root).toBe(sum)
    expect(district.grids.length).toBeGreaterThan(20)
  })

  it("reports exactly the planted coverage gap: the new building no grid covers yet", () => {
    expect(report.coverage.communities.flatMap((c) => c.gaps)).toEqual([district.planted.uncoveredBuilding])
    expect(report.coverage.communities.flatMap((c) => c.overlaps)).toEqual([])
  })

  it("proposes every basic grid within the 200–300 household bounds", () => {
    expect(report.size.violations).toEqual([])
  })

  it("reports exactly the planted staffing faults: one vacancy (一格一员, 1+1+1+n) and one overloaded supervisor (一员多格)", () => {
    const subject = (v: (typeof report.staffing)[number]): string =>
      v._tag === "GridStaffingViolation"
        ? v.gridId
        : v._tag === "PersonStaffingViolation"
          ? v.personId
          : "assignment"
    const summary = report.staffing.map((v) => `${v.policy}:${subject(v)}`).sort()
    expect(summary).toEqual(
      [
        `1+1+1+n:${district.planted.vacantGrid}`,
        `one-professional-many-grids:${district.planted.overloadedSupervisor}`,
        `one-worker-per-grid:${district.planted.vacantGrid}`
      ].sort()
    )
  })

  it("reports exactly the planted grid without a party branch (支部建在网格上)", () => {
    const missing = report.branches.flatMap(({ result }) =>
      Either.match(result, { onRight: () => [], onLeft: (e) => e.violations.map((v) => v.gridId as string) })
    )
    expect(missing).toEqual([district.planted.gridWithoutBranch])
  })

  it("prints the same report on every run (deterministic demo data)", () => {
    const again = District.makeDefault()
    expect(formatReport(again, buildReport(again))).toBe(formatReport(district, report))
    expect(formatReport(district, report)).toContain("行政层级 hierarchy (五级治理)")
  })
})
