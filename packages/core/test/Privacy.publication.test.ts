import { describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import type { Position } from "../src/GeoJson.js"
import * as Privacy from "../src/Privacy.js"

/** Great-circle distance in metres (haversine, mean Earth radius). */
const distance = (a: Position, b: Position): number => {
  const rad = Math.PI / 180
  const dLat = (b[1] - a[1]) * rad
  const dLon = (b[0] - a[0]) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)))
}

const lon = fc.double({ min: -179.9, max: 179.9, noNaN: true })
const lat = fc.double({ min: -80, max: 80, noNaN: true })
const position = fc.tuple(lon, lat).map(([x, y]): Position => [x, y])
const meters = fc.constantFrom(50, 100, 200, 500)

describe("Privacy.coarsenPosition 位置模糊化", () => {
  it.prop("stays within coarseMeters·√2 of the original", [position, meters], ([p, m]) => {
    const c = Privacy.coarsenPosition(p, m)
    expect(distance(p, c)).toBeLessThanOrEqual(m * Math.SQRT2)
  })

  it.prop("is deterministic and idempotent", [position, meters], ([p, m]) => {
    const c = Privacy.coarsenPosition(p, m)
    expect(Privacy.coarsenPosition(p, m)).toEqual(c)
    expect(Privacy.coarsenPosition(c, m)).toEqual(c)
  })

  it.prop(
    "points of the same cell share one point; points a cell apart do not",
    [
      position,
      fc.double({ min: 0.01, max: 0.99, noNaN: true }),
      fc.double({ min: 0.01, max: 0.99, noNaN: true })
    ],
    ([p, fx, fy]) => {
      const c = Privacy.coarsenPosition(p, 100)
      // the cell of c: rows of 100 m of latitude, columns of 100 m of longitude at the row's centre
      const latStep = 100 / ((Math.PI * 6_378_137) / 180)
      const lonStep = latStep / Math.cos((c[1] * Math.PI) / 180)
      const row = Math.floor(c[1] / latStep)
      const col = Math.floor(c[0] / lonStep)
      const inside: Position = [(col + fx) * lonStep, (row + fy) * latStep]
      expect(Privacy.coarsenPosition(inside, 100)).toEqual(c)
      const next: Position = [(col + 1 + fx) * lonStep, (row + fy) * latStep]
      expect(Privacy.coarsenPosition(next, 100)).not.toEqual(c)
    }
  )

  it("nearby reports share a point", () => {
    expect(Privacy.coarsenPosition([102.7123456, 25.0412345], 100)).toEqual(
      Privacy.coarsenPosition([102.7124, 25.0413], 100)
    )
  })
})

describe("Privacy.coarsenAddress 地址模糊化", () => {
  it("drops room, unit, household and floor detail, keeps street, compound and building", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["翠湖路88号翠湖小区3栋2单元501室", "翠湖路88号翠湖小区3栋"],
      ["北京路12号院5号楼1单元302", "北京路12号院5号楼"],
      ["翠湖小区101号", "翠湖小区"],
      ["金沙苑12户", "金沙苑"],
      ["青云街道金沙社区金沙苑3幢", "青云街道金沙社区金沙苑3幢"],
      ["北京路101号", "北京路101号"],
      ["某大厦12楼1203", "某大厦"],
      ["金沙苑3-501", "金沙苑"],
      ["金沙苑 A座 1502室", "金沙苑 A座"],
      ["金沙社区", "金沙社区"]
    ]
    for (const [input, output] of cases)
      expect([input, Privacy.coarsenAddress(input)]).toEqual([input, output])
  })

  const num = fc.integer({ min: 1, max: 40 })
  const address = fc
    .tuple(
      fc.constantFrom("北京路", "青云街道", "盘龙区金沙社区", "翠湖路88号"),
      fc.constantFrom("翠湖小区", "金沙苑", "12号院", "幸福家园", ""),
      fc.option(fc.tuple(num, fc.constantFrom("栋", "幢", "号楼", "座")), { nil: undefined }),
      fc.option(fc.tuple(num, fc.constantFrom("单元", "-")), { nil: undefined }),
      fc.option(fc.tuple(fc.integer({ min: 101, max: 3208 }), fc.constantFrom("室", "房", "户", "", "号")), {
        nil: undefined
      })
    )
    .map(([street, compound, building, unit, room]) => ({
      building: building === undefined ? "" : `${building[0]}${building[1]}`,
      text:
        street +
        compound +
        (building === undefined ? "" : `${building[0]}${building[1]}`) +
        (unit === undefined ? "" : `${unit[0]}${unit[1]}`) +
        (room === undefined ? "" : `${room[0]}${room[1]}`),
      room: room === undefined ? undefined : String(room[0])
    }))

  it.prop("never keeps room, household or unit detail", [address], ([a]) => {
    const out = Privacy.coarsenAddress(a.text)
    expect(out).not.toMatch(/室|户|单元|房/)
    if (a.room !== undefined) expect(out.endsWith(a.room)).toBe(false)
    expect(a.text.startsWith(out)).toBe(true)
    if (a.building !== "") expect(out.endsWith(a.building)).toBe(true)
  })
})

describe("Privacy.publish 公开地点", () => {
  const location = {
    position: [102.7123456, 25.0412345] as Position,
    address: "翠湖小区3栋2单元501室 电话13812345678"
  }

  it("by default publishes a coarse position and a coarse address", () => {
    const out = Privacy.publish(Privacy.defaultPolicy, location, false)
    expect(out.position).toEqual(Privacy.coarsenPosition(location.position, 100))
    expect(out.address).toBe("翠湖小区3栋")
  })

  it("publishes exactly only where the reporter opted in (scrubbed all the same)", () => {
    const out = Privacy.publish(Privacy.defaultPolicy, location, true)
    expect(out.position).toEqual(location.position)
    expect(out.address).toBe("翠湖小区3栋2单元501室 电话138****5678")
  })

  it("withholds what the policy says none, even on opt-in", () => {
    const out = Privacy.publish({ position: "none", address: "none" }, location, true)
    expect(out).toEqual({ position: null, address: null })
  })

  it("publishes exact and full when the operator's policy says so", () => {
    const out = Privacy.publish({ position: "exact", address: "full" }, location, false)
    expect(out.position).toEqual(location.position)
    expect(out.address).toBe("翠湖小区3栋2单元501室 电话138****5678")
  })
})
