/**
 * 一年案件 — the case generator: deterministic, every case from the decider,
 * the mix of paths a street office's year has, sized by its options, options
 * refused with every bad field named.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Cases from "../src/Cases.js"
import * as District from "../src/District.js"

const district = District.makeDefault()

describe("Cases", () => {
  it("a year of cases is generated through the decider, deterministically, mostly closed", () => {
    const a = Either.getOrThrow(Cases.generate(district, { count: 600 }))
    const b = Either.getOrThrow(Cases.generate(district, { count: 600 }))
    expect(a).toEqual(b)
    expect(a.inputs).toHaveLength(600)
    expect((a.paths.closed ?? 0) + (a.paths["self-handled"] ?? 0)).toBeGreaterThan(300)
    for (const path of ["reworked", "escalated", "suspended", "rejected", "voided"] as const) {
      expect(a.paths[path] ?? 0).toBeGreaterThan(0)
    }
  })

  it.prop(
    "规模: count cases of the given year, numbered <year>-00001…, reported once each to onCase",
    [fc.integer({ min: 0, max: 40 }), fc.constantFrom(2019, 2024, 2026), fc.integer()],
    ([count, year, seed]) => {
      const seen: Array<number> = []
      const generated = Either.getOrThrow(
        Cases.generate(district, { count, year, seed }, (done) => seen.push(done))
      )
      expect(generated.inputs).toHaveLength(count)
      expect(seen).toEqual(Array.from({ length: count }, (_, i) => i + 1))
      generated.inputs.forEach((input, i) => {
        expect(input.caseId).toBe(`${year}-${String(i + 1).padStart(5, "0")}`)
        const first = input.events[0]
        expect(first === undefined ? undefined : DateTime.toDateUtc(first.at).getUTCFullYear()).toBe(year)
      })
      expect(Object.values(generated.paths).reduce((a, n) => a + (n ?? 0), 0)).toBe(count)
    },
    { fastCheck: { numRuns: 15 } }
  )

  it("选项校验: a bad count, a year outside the official calendar and a fractional seed are all named", () => {
    const refused = Cases.generate(district, { count: -1, year: 1999, seed: 0.5 })
    expect(Either.isLeft(refused)).toBe(true)
    if (Either.isRight(refused) || refused.left._tag !== "InvalidCaseOptions") return
    expect(refused.left.violations.map((v) => [v.field, v.value])).toEqual([
      ["count", -1],
      ["year", 1999],
      ["seed", 0.5]
    ])
    expect(refused.left.message).toContain("year must be a year of the official working calendar")
  })

  it("演示身份: the demo resident lives in a covered building; the demo grid worker staffs a grid of their community", () => {
    const homes = Cases.demoHomes(district)
    expect(district.grids.some((g) => g.buildingIds.some((b) => b === homes.residentHome))).toBe(true)
    const staffed = district.assignments.find(
      (a) => a.personId === homes.gridWorker && a.role === "full-time-worker" && "gridId" in a.target
    )
    const grid = district.grids.find(
      (g) => staffed !== undefined && "gridId" in staffed.target && g.id === staffed.target.gridId
    )
    expect(grid?.communityId).toBe(homes.gridWorkerCommunity)
  })
})
