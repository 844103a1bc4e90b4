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

describe("CadreAppraisal — board", () => {
  const stored = [
    { unitId: "c1", appraisal: a("ma", "2024-Q1", 55) },
    { unitId: "c1", appraisal: a("ma", "2024-Q2", 72) },
    // the cadre moved: the latest appraisal's unit is the row's
    { unitId: "c2", appraisal: a("ma", "2024-Q3", 88) },
    { unitId: "c1", appraisal: a("li", "2024-Q2", 40) }
  ]

  it("without a period: every cadre, current the latest, with the history and its unit", () => {
    const { rows, lights } = CadreAppraisal.board(stored)
    expect(
      rows.map((r) => [r.cadreId, r.unitId, Period.label(r.current.appraisal.period), r.current.change])
    ).toEqual([
      ["li", "c1", "2024-Q2", "first"],
      ["ma", "c2", "2024-Q3", "better"]
    ])
    expect(rows[1]?.history.map((l) => l.light)).toEqual(["red", "orange", "green"])
    expect(lights).toEqual({ green: 1, orange: 0, red: 1 })
  })

  it("with a period: only the cadres appraised in it, current that period's appraisal", () => {
    const { rows, lights } = CadreAppraisal.board(stored, { period: q("2024-Q2") })
    expect(rows.map((r) => [r.cadreId, r.unitId, r.current.light, r.history.length])).toEqual([
      ["li", "c1", "red", 1],
      ["ma", "c1", "orange", 3]
    ])
    expect(lights).toEqual({ green: 0, orange: 1, red: 1 })
    expect(CadreAppraisal.board(stored, { period: q("2023-Q4") }).rows).toEqual([])
  })
})

describe("CadreAppraisal — board properties", () => {
  const quarters = ["2024-Q1", "2024-Q2", "2024-Q3"].map(q)
  const storedArb = fc.uniqueArray(
    fc.record({
      unitId: fc.constantFrom("u1", "u2"),
      cadreId: fc.constantFrom("a", "b", "c"),
      period: fc.integer({ min: 0, max: 2 }),
      score: fc.integer({ min: 0, max: 100 })
    }),
    { selector: (r) => `${r.cadreId}/${r.period}`, maxLength: 9 }
  )

  it.prop(
    "a row per cadre appraised (in the period); lights count the rows; in a period they equal lightsOf",
    [storedArb, fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined })],
    ([records, index]) => {
      const stored = records.map((r) => ({
        unitId: r.unitId,
        appraisal: a(r.cadreId, Period.label(quarters[r.period] as Period.Period), r.score)
      }))
      const period = index === undefined ? undefined : quarters[index]
      const { rows, lights } = CadreAppraisal.board(stored, period === undefined ? {} : { period })
      const plain = stored.map((s) => s.appraisal)
      const cadres = new Set(
        plain
          .filter((x) => period === undefined || x.period.firstDay === period.firstDay)
          .map((x) => x.cadreId)
      )
      expect(rows.map((r) => r.cadreId).sort()).toEqual([...cadres].sort())
      expect(lights.green + lights.orange + lights.red).toBe(rows.length)
      for (const row of rows) expect(row.history).toEqual(CadreAppraisal.history(plain, row.cadreId))
      if (period !== undefined) {
        const { redCadres: _, ...counts } = CadreAppraisal.lightsOf(plain, period)
        expect(lights).toEqual(counts)
      }
    }
  )
})
