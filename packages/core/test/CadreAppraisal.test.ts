/**
 * 干部考核 — the Pingyi street report's 绿橙红 dynamic management of community
 * cadres: per-period lights, a cadre's history with its changes, every breach
 * of the records; properties over generated appraisals.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as CadreAppraisal from "../src/CadreAppraisal.js"
import * as Period from "../src/Period.js"
import { PersonId } from "../src/Staffing.js"

const q = (label: string) => Either.getOrThrow(Period.parse(label))
const cadre = (id: string) => PersonId.make(id)
const a = (id: string, label: string, score: number): CadreAppraisal.Appraisal => ({
  cadreId: cadre(id),
  period: q(label),
  score
})

describe("CadreAppraisal — 绿橙红", () => {
  const records = [
    a("ma", "2024-Q3", 55),
    a("ma", "2024-Q1", 85),
    a("ma", "2024-Q2", 70),
    a("ma", "2024-Q4", 72),
    a("li", "2024-Q4", 91)
  ]

  it("a cadre's history, oldest first, with the light and its change", () => {
    expect(
      CadreAppraisal.history(records, cadre("ma")).map((l) => [
        Period.label(l.appraisal.period),
        l.light,
        l.change
      ])
    ).toEqual([
      ["2024-Q1", "green", "first"],
      ["2024-Q2", "orange", "worse"],
      ["2024-Q3", "red", "worse"],
      ["2024-Q4", "orange", "better"]
    ])
  })

  it("the lights of a period, and thresholds as configuration", () => {
    expect(CadreAppraisal.lightsOf(records, q("2024-Q3"))).toEqual({
      green: 0,
      orange: 0,
      red: 1,
      redCadres: ["ma"]
    })
    expect(CadreAppraisal.lightsOf(records, q("2024-Q4"), { green: 90, orange: 75 })).toEqual({
      green: 1,
      orange: 0,
      red: 1,
      redCadres: ["ma"]
    })
  })

  it("reports a cadre appraised twice in a period and a score outside 0–100", () => {
    const vs = CadreAppraisal.check([...records, a("ma", "2024-Q1", 80), a("li", "2024-Q3", 101)])
    expect(vs.map((v) => [v.rule, v.cadreId, v.period])).toEqual([
      ["score-range", "li", "2024-Q3"],
      ["duplicate", "ma", "2024-Q1"]
    ])
    expect(vs[1]?.message).toContain("多条考核记录")
    expect(vs[1]?.message).toContain("more than once")
  })
})

describe("CadreAppraisal — properties", () => {
  const quarters = ["2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"].map(q)
  const appraisalArb: fc.Arbitrary<CadreAppraisal.Appraisal> = fc
    .record({
      cadreId: fc.constantFrom("a", "b", "c").map(cadre),
      period: fc.constantFrom(...quarters),
      score: Arbitrary.make(CadreAppraisal.Appraisal.fields.score)
    })
    .map((r) => ({ ...r, score: Number.isFinite(r.score) ? Math.abs(r.score) % 120 : r.score }))

  it.prop(
    "check is empty iff no cadre repeats a period and every score is within 0–100",
    [fc.array(appraisalArb, { maxLength: 12 })],
    ([xs]) => {
      const keys = xs.map((x) => `${x.cadreId}/${x.period.firstDay}`)
      const ok =
        new Set(keys).size === keys.length &&
        xs.every((x) => Number.isFinite(x.score) && x.score >= 0 && x.score <= 100)
      expect(CadreAppraisal.check(xs).length === 0).toBe(ok)
    }
  )

  it.prop(
    "lights of a period count every appraisal of it once; a history is in period order",
    [fc.array(appraisalArb, { maxLength: 12 })],
    ([xs]) => {
      for (const p of quarters) {
        const l = CadreAppraisal.lightsOf(xs, p)
        expect(l.green + l.orange + l.red).toBe(xs.filter((x) => x.period.firstDay === p.firstDay).length)
      }
      const h = CadreAppraisal.history(xs, cadre("a"))
      const days = h.map((x) => x.appraisal.period.firstDay)
      expect(days).toEqual([...days].sort())
      expect(h.length).toBe(xs.filter((x) => x.cadreId === "a").length)
      if (h.length > 0) expect(h[0]?.change).toBe("first")
    }
  )
})
