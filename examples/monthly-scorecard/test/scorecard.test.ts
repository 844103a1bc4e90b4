/**
 * The monthly scorecard on the shipped sample (示范区, October 2025, across
 * the National Day holiday): roll-ups add counts, every community is listed,
 * small samples are not ranked, bad cells are named by row and column, and
 * the working calendar's holidays decide what is on time.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as Indicator from "@civicgrid/core/Indicator"
import * as Period from "@civicgrid/core/Period"
import * as Ratio from "@civicgrid/core/Ratio"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Csv from "@civicgrid/ledger/Csv"
import type * as Ledger from "@civicgrid/ledger/Ledger"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as CaseLedger from "../src/caseLedger.js"
import { sampleFiles } from "../src/sample.js"
import * as Scorecard from "../src/scorecard.js"
import * as Units from "../src/units.js"

const data = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../data/${name}`, import.meta.url)), "utf8")

const unitsCsv = data("units.csv")
const casesCsv = data("cases-2025-10.csv")
const october = Either.getOrThrow(Period.parse("2025-10"))

const right = <A, E>(either: Either.Either<A, E>): A =>
  Either.getOrElse(either, (e) => {
    throw new Error(`expected Right, got ${String(e)}`)
  })

const importError = <A>(
  either: Either.Either<A, Scorecard.ScorecardError | Ledger.LedgerImportError | Csv.CsvSyntaxError>
): Ledger.LedgerImportError => {
  if (Either.isRight(either) || either.left._tag !== "LedgerImportError") {
    throw new Error(
      `expected a LedgerImportError, got ${Either.isRight(either) ? "Right" : either.left._tag}`
    )
  }
  return either.left
}

const district = right(Units.read(unitsCsv))
const ledger = right(CaseLedger.read({ district }, casesCsv))
const card = right(Scorecard.compute({ district, events: ledger.events, month: october }))

/** The sample's rows as the CSV holds them (header first), for corrupting cells. */
const records = (): Array<Array<string>> =>
  right(Csv.parseRows(casesCsv)).map((r) => r.cells.map((c) => (typeof c === "string" ? c : String(c))))

const toCsv = (rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  rows
    .map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(","))
    .join("\r\n")

const header = records()[0] ?? []
const columnOf = (name: string): number => header.indexOf(name)
const letter = (index: number): string => String.fromCharCode(65 + index)

describe("monthly scorecard — the sample", () => {
  it("the shipped data files are exactly what scripts/generate.ts writes (deterministic sample)", () => {
    const files = right(sampleFiles())
    expect(files.units).toBe(unitsCsv)
    expect(files.cases).toBe(casesCsv)
    expect(ledger.rows.length).toBeGreaterThanOrEqual(300)
    // the sample spans the National Day holiday: cases reported before, during and after it
    const reported = ledger.rows.map((r) => r.reportedAt.epochMillis)
    expect(Math.min(...reported)).toBeLessThan(Date.parse("2025-09-30T16:00:00Z"))
    expect(
      reported.some((t) => t >= Date.parse("2025-10-01T16:00:00Z") && t < Date.parse("2025-10-07T16:00:00Z"))
    ).toBe(true)
    expect(Math.max(...reported)).toBeGreaterThan(Date.parse("2025-10-20T00:00:00Z"))
  })

  it("rule 汇总: the district's and each street's rates are summed numerators over summed denominators of their communities — never a mean of rates", () => {
    const communities = card.communities.map((c) => c.card)
    for (const id of Indicator.ids) {
      const summed = Ratio.sum(communities.map((c) => c.indicators[id]))
      expect(card.district.indicators[id], id).toEqual(summed)
      for (const street of card.streets) {
        const own = card.communities.filter((c) =>
          Option.exists(c.street, (s) => s.id === street.card.unit.id)
        )
        expect(street.card.indicators[id], `${street.card.unit.name} ${id}`).toEqual(
          Ratio.sum(own.map((c) => c.card.indicators[id]))
        )
      }
    }
    // and that is not what averaging the rates would give on this sample
    const rates = communities.flatMap((c) => Option.toArray(Ratio.rate(c.indicators["on-time-closure"])))
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length
    expect(Option.getOrThrow(Ratio.rate(card.district.indicators["on-time-closure"]))).not.toBeCloseTo(
      mean,
      6
    )
  })

  it("every community named in the CSV appears in the scorecard, each once, under its street", () => {
    const rows = records()
    const column = columnOf("社区")
    const named = new Set(rows.slice(1).map((r) => r[column] ?? ""))
    expect(named.size).toBeGreaterThan(5)
    const listed = card.communities.map((c) => c.card.unit.name)
    expect(new Set(listed).size).toBe(listed.length)
    for (const name of named) expect(listed).toContain(name)
    for (const c of card.communities) {
      expect(Option.map(c.street, (s) => s.level)).toEqual(Option.some("street"))
    }
    const text = Scorecard.render(card)
    for (const name of named) expect(text).toContain(name)
  })

  it.prop(
    "rule 最少样本: a unit whose sample (应结案数) is below the minimum is listed but never ranked; ranks follow the scores (1224)",
    [fc.integer({ min: 0, max: 70 })],
    ([minSample]) => {
      const scored = right(
        Scorecard.compute({ district, events: ledger.events, month: october, options: { minSample } })
      )
      for (const list of [scored.streets, scored.communities]) {
        expect(list.map((r) => r.card.unit.id).sort()).toEqual(
          (list === scored.streets ? district.streets : district.communities).map((u) => u.id).sort()
        )
        const ranked = list.filter((r) => Option.isSome(r.rank))
        for (const r of list) {
          if (r.card.sample < minSample) {
            expect(r.rank).toEqual(Option.none())
            expect(r.status).not.toBe("ranked")
          }
          if (Option.isSome(r.rank)) expect(r.card.sample).toBeGreaterThanOrEqual(minSample)
        }
        // ranked first, best score first; ties share a rank and the next rank skips
        expect(list.slice(0, ranked.length)).toEqual(ranked)
        for (const [i, r] of ranked.entries()) {
          const prev = ranked[i - 1]
          if (prev === undefined) {
            expect(r.rank).toEqual(Option.some(1))
            continue
          }
          const a = Option.getOrThrow(prev.card.score.score)
          const b = Option.getOrThrow(r.card.score.score)
          expect(a).toBeGreaterThanOrEqual(b)
          expect(Option.getOrThrow(r.rank)).toBe(
            a.toFixed(2) === b.toFixed(2) ? Option.getOrThrow(prev.rank) : i + 1
          )
        }
      }
    },
    { fastCheck: { numRuns: 25 } }
  )

  it("with the default minimum sample (30), the sample's two small communities are listed as 样本不足 and the others ranked", () => {
    const small = card.communities.filter((c) => c.status === "below-minimum-sample")
    expect(small.length).toBeGreaterThanOrEqual(1)
    for (const c of small) expect(c.card.sample).toBeLessThan(30)
    expect(card.communities.filter((c) => c.status === "ranked").length).toBeGreaterThanOrEqual(5)
    expect(Scorecard.render(card)).toContain("样本不足")
  })

  it("grades follow the bands A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, else E, and the printed roll-up is the district's ratios", () => {
    for (const { card: c } of [...card.streets, ...card.communities, { card: card.district }]) {
      const s = Option.getOrThrow(c.score.score)
      const expected = s >= 90 ? "A" : s >= 75 ? "B" : s >= 60 ? "C" : s >= 40 ? "D" : "E"
      expect(c.grade).toEqual(Option.some(expected))
    }
    const text = Scorecard.render(card)
    for (const id of Scorecard.shownIndicators) {
      expect(text).toContain(Ratio.format(card.district.indicators[id], { digits: 1, counts: true }))
      expect(text).toContain(Indicator.definitionOf(id).formula)
    }
  })

  it("a month without cases has no data anywhere: no score, no grade, nobody ranked", () => {
    const august = Either.getOrThrow(Period.parse("2025-08"))
    const empty = right(Scorecard.compute({ district, events: ledger.events, month: august }))
    expect(empty.district.indicators).toEqual(Indicator.empty)
    expect(empty.district.score.score).toEqual(Option.none())
    for (const r of [...empty.streets, ...empty.communities]) expect(r.status).toBe("no-data")
  })
})

describe("monthly scorecard — bad ledgers are rejected with the exact row and column", () => {
  const dateColumns = CaseLedger.timeColumns.map(([, h]) => columnOf(h))

  it.prop(
    "a garbled date in any row is reported at that row (Excel numbering: header = row 1) and that column, and nothing is scored",
    [
      fc.integer({ min: 1, max: 400 }),
      fc.constantFrom(...dateColumns),
      fc.constantFrom("2025-10-32 08:00", "昨天", "25/10")
    ],
    ([index, column, garbage]) => {
      const rows = records()
      const row = rows[index]
      if (row === undefined) return
      row[column] = garbage
      const error = importError(Scorecard.scorecard({ units: unitsCsv, cases: toCsv(rows), month: october }))
      expect(error.badRows).toEqual([index + 1])
      expect(error.rowProblems).toContainEqual(
        expect.objectContaining({
          row: index + 1,
          column: letter(column),
          header: header[column],
          rule: "type"
        })
      )
    },
    { fastCheck: { numRuns: 12 } }
  )

  it("rule 闭环次序: a closure before the handling is reported at 结案时间; an unknown community at 社区; a repeated 案件编号 at the later row", () => {
    const rows = records()
    const handled = columnOf("处置时间")
    const closed = columnOf("结案时间")
    const at = rows.findIndex(
      (r, i) => i > 0 && (r[closed] ?? "") !== "" && (r[columnOf("返工时间")] ?? "") === ""
    )
    const target = rows[at]
    if (target === undefined) throw new Error("the sample has closed cases")
    target[closed] = "2025-09-01 08:00:00"
    const community = rows[at + 5]
    if (community !== undefined) community[columnOf("社区")] = "火星社区"
    const duplicate = rows[at + 9]
    const original = rows[2]
    if (duplicate !== undefined && original !== undefined) duplicate[0] = original[0] ?? ""
    const error = importError(Scorecard.scorecard({ units: unitsCsv, cases: toCsv(rows), month: october }))
    expect(error.rowProblems).toContainEqual(
      expect.objectContaining({ row: at + 1, column: letter(closed), header: "结案时间", rule: "invalid" })
    )
    expect(error.rowProblems.find((p) => p.row === at + 1)?.message).toContain("处置时间")
    expect(handled).toBeLessThan(closed)
    expect(error.rowProblems).toContainEqual(
      expect.objectContaining({ row: at + 6, column: "B", header: "社区", rule: "invalid" })
    )
    expect(error.rowProblems).toContainEqual(
      expect.objectContaining({ row: at + 10, column: "A", header: "案件编号", value: original?.[0] })
    )
    expect(error.badRows).toEqual([at + 1, at + 6, at + 10])
  })
})

describe("monthly scorecard — the working calendar decides what is on time", () => {
  /** One case: dispatched the morning before the holiday, handled the day after it. */
  const holidayCase = [
    header,
    [
      "AJ20250930901",
      "金星社区",
      "网格员巡查",
      "暴露垃圾",
      "一般",
      "2025-09-30 09:00:00",
      "2025-09-30 09:20:00",
      "2025-09-30 09:40:00",
      "2025-10-10 16:00:00",
      "",
      "",
      "2025-10-11 10:00:00",
      "2025-10-11 15:00:00",
      "满意"
    ]
  ]
  /** An imaginary 2025 whose public holidays are working days (make-up days kept): only more working time. */
  const noHolidays = right(
    WorkingCalendar.withYear(WorkingCalendar.china(), 2025, {
      holidays: [],
      workdays: ["2025-09-28", "2025-10-11"]
    })
  )

  it("国庆节: a normal case (3 working days to handle) dispatched on 30 September and handled on 10 October is on time — and late if the holiday were ignored", () => {
    const withHoliday = right(
      Scorecard.scorecard({ units: unitsCsv, cases: toCsv(holidayCase), month: october })
    )
    const without = right(
      Scorecard.scorecard({
        units: unitsCsv,
        cases: toCsv(holidayCase),
        month: october,
        options: { calendar: noHolidays }
      })
    )
    const { indicators: on } = withHoliday.district
    const { indicators: off } = without.district
    // 30 Sep 09:40 + 3 working days: 380 min that day, then 9 and 10 Oct, and the make-up Saturday 11 Oct
    expect(on["on-time-handling"]).toEqual(Ratio.make(1, 1))
    expect(on["on-time-closure"]).toEqual(Ratio.make(1, 1))
    // without the holiday the deadline is 3 Oct 09:40: the handling missed it (settled then, in October)
    expect(off["on-time-handling"]).toEqual(Ratio.make(0, 1))
    expect(off["on-time-closure"]).toEqual(Ratio.make(0, 1))
  })

  it("on the whole sample, ignoring the holiday only ever makes cases late: fewer on-time closures, never more", () => {
    const without = right(
      Scorecard.compute({
        district,
        events: ledger.events,
        month: october,
        options: { calendar: noHolidays }
      })
    )
    for (const { card: c } of card.communities) {
      const other = without.communities.find((x) => x.card.unit.id === c.unit.id)?.card
      expect(other?.indicators["on-time-closure"].numerator).toBeLessThanOrEqual(
        c.indicators["on-time-closure"].numerator
      )
    }
    expect(without.district.indicators["on-time-closure"].numerator).toBeLessThan(
      card.district.indicators["on-time-closure"].numerator
    )
  })
})
