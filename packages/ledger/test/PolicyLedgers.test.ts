/**
 * The policy ledgers — 案件分类台账, 派遣规则台账, 处置时限台账 — round-trip
 * through CSV and XLSX (write → read gives equal rows), with the Chinese
 * headers and labels staff expect; a catalogue's rows give back the same
 * catalogue (`rowsOf` → `categoriesOf` → `CaseCategory.make`).
 */
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import { CaseStep } from "@civicgrid/core/CaseStep"
import type * as Routing from "@civicgrid/core/Routing"
import type * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as CategoryLedger from "../src/CategoryLedger.js"
import * as Csv from "../src/Csv.js"
import type * as Ledger from "../src/Ledger.js"
import * as RoutingLedger from "../src/RoutingLedger.js"
import * as TimeLimitLedger from "../src/TimeLimitLedger.js"
import * as Xlsx from "../src/Xlsx.js"

const csvRoundTrip = <A>(spec: Ledger.LedgerSpec<A>, rows: ReadonlyArray<A>): ReadonlyArray<A> =>
  Either.getOrThrowWith(
    Either.flatMap(Csv.write(spec, rows), (text) => Csv.read(spec, text)),
    (e) => new Error(e.message)
  )

const xlsxRoundTrip = <A>(spec: Ledger.LedgerSpec<A>, rows: ReadonlyArray<A>) =>
  Effect.flatMap(Xlsx.write(spec, rows), (bytes) => Xlsx.read(spec, bytes))

const headerLine = (text: string): string => (text.split("\r\n")[0] ?? "").replace("\uFEFF", "")

const base = CaseCategory.WithCommunityGovernance

const arbCatalogue: fc.Arbitrary<CaseCategory.Catalogue> = fc
  .subarray([...CaseCategory.majors(base)], { minLength: 1 })
  .chain((majors) =>
    fc
      .tuple(...majors.map((m) => fc.subarray([...CaseCategory.minorsOf(base, m.id)])))
      .map((minors) =>
        CaseCategory.unsafeMake(
          majors.flatMap((m, i): ReadonlyArray<CaseCategory.Category> => [m, ...(minors[i] ?? [])])
        )
      )
  )

const arbRules: fc.Arbitrary<ReadonlyArray<Routing.RoutingRule>> = fc.array(
  fc
    .record({
      id: fc.stringMatching(/^r-[a-z0-9]{1,8}$/),
      categoryId: fc.option(fc.constantFrom(...base.categories.map((c) => c.id)), { nil: undefined }),
      unitId: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { nil: undefined }),
      departmentId: fc.constantFrom("城管", "住建", "环卫所")
    })
    .map(
      (r) =>
        ({
          id: r.id,
          departmentId: r.departmentId,
          ...(r.categoryId === undefined ? {} : { categoryId: r.categoryId }),
          ...(r.unitId === undefined ? {} : { unitId: r.unitId })
        }) as Routing.RoutingRule
    ),
  { maxLength: 10 }
)

const arbLimits: fc.Arbitrary<ReadonlyArray<TimeLimit.Rule>> = fc.array(
  fc
    .record({
      categoryId: fc.option(fc.constantFrom(...CaseCategory.minors(base).map((c) => c.id)), {
        nil: undefined
      }),
      urgency: fc.option(fc.constantFrom(...CaseCategory.Urgency.literals), { nil: undefined }),
      step: fc.option(fc.constantFrom(...CaseStep.literals), { nil: undefined }),
      amount: fc
        .double({ min: 0, max: 1000, noNaN: true, noDefaultInfinity: true })
        .map((x) => (x === 0 ? 0 : x)),
      unit: fc.constantFrom(...WorkDuration.DurationUnit.literals)
    })
    .map(
      (r): TimeLimit.Rule => ({
        ...(r.categoryId === undefined ? {} : { categoryId: r.categoryId }),
        ...(r.urgency === undefined ? {} : { urgency: r.urgency }),
        ...(r.step === undefined ? {} : { step: r.step }),
        limit: { amount: r.amount, unit: r.unit }
      })
    ),
  { maxLength: 10 }
)

describe("CategoryLedger", () => {
  it("has the Chinese headers and labels", () => {
    const rows = CategoryLedger.rowsOf(CaseCategory.Standard)
    const text = Either.getOrThrow(Csv.write(CategoryLedger.spec, rows))
    expect(headerLine(text)).toBe(
      "类别族,大类编号,大类代码,大类名称,大类说明,小类编号,小类代码,小类名称,小类说明,关键词,起始层级,默认紧急程度,处置部门,上报属性"
    )
    expect(text).toContain("事件,SJ-04,04,突发事件")
    expect(rows.length).toBe(CaseCategory.minors(CaseCategory.Standard).length)
  })

  it.prop(
    "CSV: write → read gives the rows; the rows give back the catalogue",
    [arbCatalogue],
    ([catalogue]) => {
      const rows = CategoryLedger.rowsOf(catalogue)
      const back = csvRoundTrip(CategoryLedger.spec, rows)
      expect(back).toEqual(rows)
      const rebuilt = Either.getOrThrowWith(
        CaseCategory.make(CategoryLedger.categoriesOf(back)),
        (e) => new Error(e.message)
      )
      expect(rebuilt.categories).toEqual(catalogue.categories)
    }
  )

  it.effect("XLSX: write → read gives the rows of the whole built-in catalogue (attributes included)", () =>
    Effect.gen(function* () {
      const rows = CategoryLedger.rowsOf(base)
      expect(rows.some((r) => r.attributes !== undefined)).toBe(true)
      expect(yield* xlsxRoundTrip(CategoryLedger.spec, rows)).toEqual(rows)
    })
  )

  it("a major class given differently on two rows is left to the catalogue check (duplicate-id)", () => {
    const [first] = CategoryLedger.rowsOf(CaseCategory.Standard)
    if (first === undefined) throw new Error("no rows")
    const clash = {
      ...first,
      majorName: "另一个名称",
      id: CaseCategory.CategoryId.make("BJ-0199"),
      code: "0199"
    }
    const refused = Either.flip(CaseCategory.make(CategoryLedger.categoriesOf([first, clash])))
    expect(Either.getOrThrow(refused).violations.map((v) => v.rule)).toContain("duplicate-id")
  })
})

describe("RoutingLedger", () => {
  it("has the Chinese headers", () => {
    const text = Either.getOrThrow(
      Csv.write(RoutingLedger.spec, [
        { id: "r-1", categoryId: "SJ-0102", unitId: "s1", departmentId: "环卫所" } as Routing.RoutingRule
      ])
    )
    expect(headerLine(text)).toBe("规则编号,案件类别,适用辖区,处置部门")
  })

  it.prop("CSV: write → read gives the rules", [arbRules], ([rules]) => {
    expect(csvRoundTrip(RoutingLedger.spec, rules)).toEqual(rules)
  })

  it.effect("XLSX: write → read gives the rules", () =>
    Effect.gen(function* () {
      for (const rules of fc.sample(arbRules, { numRuns: 5, seed: 3 })) {
        expect(yield* xlsxRoundTrip(RoutingLedger.spec, rules)).toEqual(rules)
      }
    })
  )
})

describe("TimeLimitLedger", () => {
  it("has the Chinese headers and labels", () => {
    const text = Either.getOrThrow(
      Csv.write(TimeLimitLedger.spec, [
        { step: "handling", urgency: "critical", limit: WorkDuration.workingHours(2) }
      ])
    )
    expect(headerLine(text)).toBe("案件小类,紧急程度,处置环节,时限,时限单位")
    expect(text).toContain(",特急,处置,2,工作时")
  })

  it.prop("CSV: write → read gives the rules", [arbLimits], ([rules]) => {
    expect(csvRoundTrip(TimeLimitLedger.spec, rules)).toEqual(rules)
  })

  it.effect("XLSX: write → read gives the rules", () =>
    Effect.gen(function* () {
      for (const rules of fc.sample(arbLimits, { numRuns: 5, seed: 5 })) {
        expect(yield* xlsxRoundTrip(TimeLimitLedger.spec, rules)).toEqual(rules)
      }
    })
  )
})
