/**
 * 台账模板: the empty template of every ledger spec reads back as staff will
 * see it — 填表说明 first naming every header, the data sheet with exactly the
 * spec's headers (frozen, required ones shaded), drop-downs on every column
 * with labels or 是/否 fed from the hidden 下拉选项 sheet (closed lists stop
 * other values, open ones only warn) — and a template filled in like a
 * ledger imports back to the same rows, also when the data sheet was renamed.
 */

import * as LevelScheme from "@civicgrid/core/LevelScheme"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import ExcelJS from "exceljs"
import * as BuildingLedger from "../src/BuildingLedger.js"
import * as CategoryLedger from "../src/CategoryLedger.js"
import * as DepartmentLedger from "../src/DepartmentLedger.js"
import * as GridLedger from "../src/GridLedger.js"
import * as Ledger from "../src/Ledger.js"
import * as PartyOrganizationLedger from "../src/PartyOrganizationLedger.js"
import * as ProblemLedger from "../src/ProblemLedger.js"
import * as ResourceLedger from "../src/ResourceLedger.js"
import * as RoutingLedger from "../src/RoutingLedger.js"
import * as StaffingLedger from "../src/StaffingLedger.js"
import * as TaskLedger from "../src/TaskLedger.js"
import * as Template from "../src/Template.js"
import * as TimeLimitLedger from "../src/TimeLimitLedger.js"
import * as UnitLedger from "../src/UnitLedger.js"
import * as Xlsx from "../src/Xlsx.js"
import { encoded, sample, spec as sampleSpec } from "./fixtures.js"

const load = (bytes: Uint8Array): Effect.Effect<ExcelJS.Workbook> =>
  Effect.promise(async () => {
    const workbook = new ExcelJS.Workbook()
    const copy = new Uint8Array(bytes.byteLength)
    copy.set(bytes)
    await workbook.xlsx.load(copy.buffer)
    return workbook
  })

const save = (workbook: ExcelJS.Workbook): Effect.Effect<Uint8Array> =>
  Effect.promise(async () => new Uint8Array(await workbook.xlsx.writeBuffer()))

const sheetOf = (workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet => {
  const sheet = workbook.getWorksheet(name)
  if (sheet === undefined) throw new Error(`no sheet ${name}`)
  return sheet
}

const textOf = (value: ExcelJS.CellValue): string =>
  value === null || value === undefined
    ? ""
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value)

/** The values a list validation's range holds (`'下拉选项'!$A$2:$A$6`). */
const listValues = (workbook: ExcelJS.Workbook, formula: unknown): ReadonlyArray<string> => {
  const m = /^'(.+)'!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)$/.exec(String(formula))
  if (m === null) throw new Error(`not a range: ${String(formula)}`)
  const [, name = "", column = "", from = "", , to = ""] = m
  const sheet = sheetOf(workbook, name)
  const out: Array<string> = []
  for (let r = Number(from); r <= Number(to); r++) out.push(textOf(sheet.getCell(`${column}${r}`).value))
  return out
}

const instructions = (spec: Ledger.LedgerKind): Template.Instructions => ({
  notes: ["测试说明"],
  columns: Object.fromEntries(spec.columns.map((c) => [c.header, `${c.header}的含义`])),
  importCommand: "civicgrid import 文件.xlsx --list x"
})

/** A spec with its own reader (specs of different rows in one list). */
interface Entry {
  readonly name: string
  readonly spec: Ledger.LedgerKind
  readonly headers: ReadonlyArray<string>
  readonly read: (
    bytes: Uint8Array
  ) => Effect.Effect<{ readonly sheet: string; readonly rows: number }, unknown>
}

const entry = <A>(name: string, spec: Ledger.LedgerSpec<A>): Entry => ({
  name,
  spec,
  headers: Ledger.headers(spec),
  read: (bytes) =>
    Effect.map(Xlsx.readReport(spec, bytes), (report) => ({ sheet: report.sheet, rows: report.rows.length }))
})

const specs: ReadonlyArray<Entry> = [
  entry("problems", ProblemLedger.spec),
  entry("resources", ResourceLedger.spec),
  entry("tasks", TaskLedger.spec),
  entry("buildings", BuildingLedger.spec),
  entry("grids", GridLedger.spec),
  entry("grids with boundaries", GridLedger.withBoundary),
  entry("units", UnitLedger.spec(LevelScheme.FiveLevel)),
  entry("party organisations", PartyOrganizationLedger.spec),
  entry("departments", DepartmentLedger.spec),
  entry("categories", CategoryLedger.spec),
  entry("routing", RoutingLedger.spec),
  entry("time limits", TimeLimitLedger.spec),
  entry("staff", StaffingLedger.person),
  entry("assignments", StaffingLedger.assignment),
  entry("sample", sampleSpec)
]

describe("Template — the workbook", () => {
  for (const { name, spec, headers, read } of specs) {
    it.effect(`${name}: instructions first, then the data sheet with the spec's headers and drop-downs`, () =>
      Effect.gen(function* () {
        const bytes = yield* Template.write(spec, instructions(spec), { rows: 50 })
        const workbook = yield* load(bytes)
        const names = workbook.worksheets.map((w) => w.name)
        const hasLists = spec.columns.some((c) => c.kind === "boolean" || c.labels !== undefined)
        expect(names).toEqual(
          hasLists
            ? [Template.instructionsSheet, spec.sheet, Template.listsSheet]
            : [Template.instructionsSheet, spec.sheet]
        )
        if (hasLists) expect(sheetOf(workbook, Template.listsSheet).state).toBe("hidden")

        const data = sheetOf(workbook, spec.sheet)
        const header = spec.columns.map((_, i) => textOf(data.getCell(1, i + 1).value))
        expect(header).toEqual(headers)
        expect(textOf(data.getCell(1, spec.columns.length + 1).value)).toBe("")
        expect(data.rowCount).toBe(1)
        expect(data.views[0]).toMatchObject({ state: "frozen", ySplit: 1 })
        spec.columns.forEach((column, i) => {
          if (column.width !== undefined) expect(data.getColumn(i + 1).width).toBe(column.width)
        })

        spec.columns.forEach((column, i) => {
          const letter = Ledger.columnLetter(i)
          for (const row of [2, 51]) {
            const validation = data.getCell(`${letter}${row}`).dataValidation
            expect(validation, `${column.header} ${letter}${row}`).toBeDefined()
            expect(validation.showInputMessage).toBe(true)
            expect(validation.promptTitle).toBe(column.header)
          }
          expect(data.getCell(`${letter}52`).dataValidation).toBeUndefined()
          const validation = data.getCell(`${letter}2`).dataValidation
          if (column.kind === "boolean") {
            expect(validation.type).toBe("list")
            expect(validation.errorStyle).toBe("stop")
            expect(listValues(workbook, validation.formulae[0])).toEqual(["是", "否"])
          } else if (column.labels !== undefined) {
            expect(validation.type).toBe("list")
            expect(listValues(workbook, validation.formulae[0])).toEqual(Object.values(column.labels))
          } else {
            expect(validation.type).not.toBe("list")
          }
        })

        const text = sheetOf(workbook, Template.instructionsSheet)
          .getSheetValues()
          .flatMap((row) => (Array.isArray(row) ? row.map(textOf) : []))
          .join("\n")
        for (const h of headers) {
          expect(text).toContain(h)
          expect(text).toContain(`${h}的含义`)
        }
        expect(text).toContain("测试说明")
        expect(text).toContain("civicgrid import 文件.xlsx --list x")
        if (spec.columns.some((c) => c.kind === "date")) expect(text).toContain("yyyy-mm-dd")
        if (spec.columns.some((c) => c.reference === "unit")) expect(text).toContain("金星街道/金星社区")

        // the empty template imports as an empty ledger, from the data sheet behind the instructions
        expect(yield* read(bytes)).toEqual({ sheet: spec.sheet, rows: 0 })
      })
    )
  }

  it("closed label lists stop other values; open ones (local categories) only warn", () => {
    const guides = Template.guide(ProblemLedger.spec, instructions(ProblemLedger.spec))
    const byHeader = new Map(guides.map((g) => [g.header, g]))
    expect(byHeader.get("状态")?.closed).toBe(true)
    expect(byHeader.get("来源")?.closed).toBe(true)
    expect(byHeader.get("问题类别")?.closed).toBe(false)
    expect(byHeader.get("问题类别")?.values.length).toBeGreaterThan(0)
    expect(byHeader.get("问题编号")?.required).toBe(true)
    expect(byHeader.get("所属网格")?.required).toBe(false)
    expect(byHeader.get("所属单元")?.values).toEqual([])
    const withUnits = Template.guide(ProblemLedger.spec, instructions(ProblemLedger.spec), {
      units: ["金星社区", "金星街道/火星社区"]
    })
    const unit = withUnits.find((g) => g.header === "所属单元")
    expect(unit?.values).toEqual(["金星社区", "金星街道/火星社区"])
    expect(unit?.closed).toBe(false)
  })

  it.effect("an open list warns in Excel; the units given are offered in unit columns", () =>
    Effect.gen(function* () {
      const spec = ProblemLedger.spec
      const bytes = yield* Template.write(spec, instructions(spec), {
        rows: 5,
        units: ["金星社区", "火星社区"]
      })
      const workbook = yield* load(bytes)
      const data = sheetOf(workbook, spec.sheet)
      const at = (header: string) => data.getCell(2, Ledger.headers(spec).indexOf(header) + 1).dataValidation
      expect(at("问题类别").errorStyle).toBe("warning")
      expect(at("状态").errorStyle).toBe("stop")
      expect(listValues(workbook, at("所属单元").formulae[0])).toEqual(["金星社区", "火星社区"])
      expect(at("所属单元").errorStyle).toBe("warning")
    })
  )

  it.effect("choices give a drop-down to a column the labels do not close (closed: Excel stops others)", () =>
    Effect.gen(function* () {
      const bytes = yield* Template.write(
        sampleSpec,
        {
          notes: [],
          columns: {},
          choices: {
            名称: { values: ["区", "街道", "社区"], closed: true },
            备注: { values: ["无"], closed: false }
          }
        },
        { rows: 3 }
      )
      const workbook = yield* load(bytes)
      const data = sheetOf(workbook, sampleSpec.sheet)
      const at = (header: string) =>
        data.getCell(2, Ledger.headers(sampleSpec).indexOf(header) + 1).dataValidation
      expect(at("名称").type).toBe("list")
      expect(at("名称").errorStyle).toBe("stop")
      expect(listValues(workbook, at("名称").formulae[0])).toEqual(["区", "街道", "社区"])
      expect(at("备注").errorStyle).toBe("warning")
      expect(listValues(workbook, at("备注").formulae[0])).toEqual(["无"])
      expect(at("编号").type).toBe("any")
      expect(at("编号").prompt).toContain("必填")
    })
  )

  it("messages fit Excel's limits (titles 32, prompt 255, error 225 characters)", () => {
    const long = "很长的说明".repeat(100)
    const guides = Template.guide(ProblemLedger.spec, { notes: [], columns: { 问题描述: long } })
    expect(guides.find((g) => g.header === "问题描述")?.meaning).toBe(long)
    return Effect.runPromise(
      Effect.gen(function* () {
        const bytes = yield* Template.write(
          ProblemLedger.spec,
          { notes: [], columns: { 问题描述: long } },
          { rows: 2, units: Array.from({ length: 200 }, (_, i) => `金星街道/第${i + 1}社区`) }
        )
        const data = sheetOf(yield* load(bytes), ProblemLedger.spec.sheet)
        const unit = data.getCell(
          2,
          Ledger.headers(ProblemLedger.spec).indexOf("所属单元") + 1
        ).dataValidation
        expect(unit.error?.endsWith("…")).toBe(true)
        for (let c = 1; c <= ProblemLedger.spec.columns.length; c++) {
          const v = data.getCell(2, c).dataValidation
          expect(Array.from(v.prompt ?? "").length).toBeLessThanOrEqual(255)
          expect(Array.from(v.error ?? "").length).toBeLessThanOrEqual(225)
          expect(Array.from(v.promptTitle ?? "").length).toBeLessThanOrEqual(32)
          expect(Array.from(v.errorTitle ?? "").length).toBeLessThanOrEqual(32)
        }
      })
    )
  })
})

/** Fills the template's data sheet with rows as a person would: every cell as its text, numbers as numbers. */
const fill = <A>(
  spec: Ledger.LedgerSpec<A>,
  bytes: Uint8Array,
  rows: ReadonlyArray<A>,
  rename?: string
): Effect.Effect<Uint8Array, Ledger.LedgerExportError> =>
  Effect.gen(function* () {
    const table = yield* Ledger.toTable(spec, rows)
    const workbook = yield* load(bytes)
    const data = sheetOf(workbook, spec.sheet)
    table.rows.forEach((cells, r) => {
      cells.forEach((cell, c) => {
        if (cell === null) return
        data.getCell(r + 2, c + 1).value =
          typeof cell === "number"
            ? cell
            : cell instanceof Date
              ? Ledger.formatDate(cell, Ledger.defaultUtcOffsetMinutes)
              : typeof cell === "boolean"
                ? Ledger.booleanText(cell)
                : cell
      })
    })
    if (rename !== undefined) data.name = rename
    return yield* save(workbook)
  })

describe("Template — filled in and imported", () => {
  it.effect.prop(
    "rows typed into the template import back exactly (behind the instructions sheet, also renamed)",
    [fc.array(sample(false), { minLength: 1, maxLength: 5 }), fc.boolean()],
    ([rows, renamed]) =>
      Effect.gen(function* () {
        const template = yield* Template.write(sampleSpec, instructions(sampleSpec), { rows: 20 })
        const filled = yield* fill(sampleSpec, template, rows, renamed ? "3月" : undefined)
        const report = yield* Xlsx.readReport(sampleSpec, filled)
        expect(report.sheet).toBe(renamed ? "3月" : sampleSpec.sheet)
        expect(encoded(report.rows)).toEqual(encoded(rows))
      }),
    { fastCheck: { numRuns: 15 } }
  )
})
