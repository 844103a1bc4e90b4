/**
 * A 楼栋台账 whose 经纬度 were picked on a 高德 (GCJ-02) map: the ledger reads
 * them as `[longitude, latitude]` and the core's `Crs.toWgs84` gives the
 * WGS-84 positions civicgrid stores (issue 15). The ledger package does not
 * convert by itself; an import names the source system (`--crs`) and maps
 * each building's position through the core.
 */
import * as Building from "@civicgrid/core/Building"
import * as Crs from "@civicgrid/core/Crs"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as BuildingLedger from "../src/BuildingLedger.js"
import * as Csv from "../src/Csv.js"

const toWgs84 =
  (crs: Crs.Crs) =>
  (building: Building.Building): Building.Building =>
    building.location === undefined
      ? building
      : { ...building, location: Crs.toWgs84(crs)(building.location) }

describe("BuildingLedger — GCJ-02 经纬度 to WGS-84", () => {
  it("a GCJ-02 ledger's positions become gcoord's WGS-84 reference values; a building without one keeps none", () => {
    const csv = [
      "楼栋编号,楼栋名称,所属社区,所属小区,户数,党员户数,经纬度",
      'b-1,1号楼,c-jinsha,,96,12,"123,45"',
      "b-2,2号楼,c-jinsha,,40,3,"
    ].join("\r\n")
    const rows = Either.getOrThrow(Csv.read(BuildingLedger.spec, csv))
    expect(rows.map((b) => b.location)).toStrictEqual([[123, 45], undefined])
    const stored = rows.map(toWgs84("GCJ02"))
    const [first, second] = stored
    // gcoord's own test (test/unit/crs/GCJ02.spec.ts): GCJ-02 [123, 45] → WGS-84 [122.99395597, 44.99804071]
    expect(first?.location?.[0]).toBeCloseTo(122.99395597, 5)
    expect(first?.location?.[1]).toBeCloseTo(44.99804071, 5)
    expect(second?.location).toBeUndefined()
    // the rest of each row is untouched, and the converted rows are still valid buildings
    expect(stored.map(({ location: _, ...rest }) => rest)).toStrictEqual(
      rows.map(({ location: _, ...rest }) => rest)
    )
    for (const b of stored) expect(Schema.is(Building.Building)(b)).toBe(true)
  })
})
