/**
 * XLSX ledgers: export → import round-trips; corrupted cells are reported
 * exactly; the workbook is what staff expect in Excel (bold frozen header,
 * widths, real dates, numbers as numbers, ids as text, neutralised formulas).
 * exceljs is slow, so property runs are modest.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import ExcelJS from "exceljs"
import * as Ledger from "../src/Ledger.js"
import * as Xlsx from "../src/Xlsx.js"
import {
  corrupt,
  corrupted,
  encoded,
  expectedProblems,
  reportedProblems,
  type Sample,
  sample,
  spec
} from "./fixtures.js"

const row = (overrides: Partial<Sample> = {}): Sample => ({
  id: "001",
  name: "第一网格",
  kind: "dedicated",
  count: 268,
  amount: 120.5,
  active: false,
  at: DateTime.unsafeMake(Date.UTC(2024, 2, 1, 8, 30)),
  closedAt: null,
  tags: ["b-1", "b-2"],
  ...overrides
})

const load = async (bytes: Uint8Array): Promise<ExcelJS.Worksheet> => {
  const workbook = new ExcelJS.Workbook()
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  await workbook.xlsx.load(copy.buffer)
  const sheet = workbook.worksheets[0]
  if (sheet === undefined) throw new Error("no sheet")
  return sheet
}

describe("Xlsx — round trip", () => {
  it.effect.prop(
    "export then import gives back every row exactly (Chinese, commas, quotes, LF, = + - @, empties, huge numbers)",
    [fc.array(sample(false), { maxLength: 8 })],
    ([rows]) =>
      Effect.gen(function* () {
        const bytes = yield* Xlsx.write(spec, rows)
        const back = yield* Xlsx.read(spec, bytes)
        expect(encoded(back)).toEqual(encoded(rows))
      }),
    { fastCheck: { numRuns: 20 } }
  )

  it.effect("a workbook with several ledgers: each spec reads its own sheet", () =>
    Effect.gen(function* () {
      const first = Either.getOrThrow(Ledger.toTable(spec, [row()]))
      const other = { ...Either.getOrThrow(Ledger.toTable(spec, [row({ id: "002" })])), sheet: "另一台账" }
      const bytes = yield* Xlsx.writeTables([other, first])
      const back = yield* Xlsx.read(spec, bytes)
      expect(back.map((r) => r.id)).toEqual(["001"])
    })
  )
})

describe("Xlsx — what staff see in Excel", () => {
  it.effect(
    "bold, frozen, filterable header; fitted widths; real dates; numbers as numbers; ids as text; 是/否",
    () =>
      Effect.gen(function* () {
        const bytes = yield* Xlsx.write(spec, [row({ note: "第一行\n第二行" })])
        const sheet = yield* Effect.promise(() => load(bytes))
        expect(sheet.name).toBe("测试台账")
        expect(sheet.getRow(1).getCell(1).value).toBe("编号")
        expect(sheet.getRow(1).font?.bold).toBe(true)
        expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 })
        expect(sheet.autoFilter).toBeDefined()
        const widths = sheet.columns.map((c) => c.width ?? 0)
        expect(widths.every((w) => w >= 8 && w <= 60)).toBe(true)
        const data = sheet.getRow(2)
        expect(data.getCell(1).value).toBe("001")
        expect(data.getCell(1).type).toBe(ExcelJS.ValueType.String)
        expect(data.getCell(3).alignment?.wrapText).toBe(true)
        expect(data.getCell(4).value).toBe("专属网格")
        expect(data.getCell(5).value).toBe(268)
        expect(data.getCell(8).value).toBe("否")
        const at = data.getCell(9)
        expect(at.type).toBe(ExcelJS.ValueType.Date)
        expect(at.numFmt).toBe(Xlsx.dateFormat)
        // Excel shows wall-clock time at UTC+8: 2024-03-01 16:30
        expect(at.value instanceof Date && at.value.toISOString()).toBe("2024-03-01T16:30:00.000Z")
        expect(data.getCell(11).value).toBe("b-1、b-2")
      })
  )

  it.effect("formula injection: = + - @ are neutralised with ' on export, and the import reverses it", () =>
    Effect.gen(function* () {
      const names = ["=1+1", "+1", "-1", "@A1", "'=x"]
      const rows = names.map((name, i) => row({ id: `G-${i}`, name }))
      const bytes = yield* Xlsx.write(spec, rows)
      const sheet = yield* Effect.promise(() => load(bytes))
      const written = names.map((_, i) => sheet.getRow(i + 2).getCell(2))
      expect(written.map((c) => c.value)).toEqual(["'=1+1", "'+1", "'-1", "'@A1", "''=x"])
      expect(written.every((c) => c.type === ExcelJS.ValueType.String)).toBe(true)
      const back = yield* Xlsx.read(spec, bytes)
      expect(back.map((r) => r.name)).toEqual(names)
    })
  )

  it.effect(
    "cells staff typed: dates as Excel dates or text, formulas by their result, rich text, TRUE",
    () =>
      Effect.gen(function* () {
        const workbook = new ExcelJS.Workbook()
        const sheet = workbook.addWorksheet("测试台账")
        sheet.addRow([
          "编号",
          "名称",
          "类型",
          "数量",
          "金额（元）",
          "是否有效",
          "登记时间",
          "关闭时间",
          "标签"
        ])
        sheet.addRow([
          { richText: [{ text: "G-" }, { text: "1", font: { bold: true } }] },
          { formula: 'A2&"网格"', result: "G-1网格" },
          "basic",
          { formula: "1+1", result: 2 },
          "1,234.5",
          true,
          new Date(Date.UTC(2024, 2, 1, 16, 30)),
          "2024/3/2 9:05",
          null
        ])
        const bytes = new Uint8Array(yield* Effect.promise(() => workbook.xlsx.writeBuffer()))
        const [back] = yield* Xlsx.read(spec, bytes)
        expect(back?.id).toBe("G-1")
        expect(back?.name).toBe("G-1网格")
        expect(back?.count).toBe(2)
        expect(back?.amount).toBe(1234.5)
        expect(back?.active).toBe(true)
        expect(back === undefined ? "" : DateTime.formatIso(back.at)).toBe("2024-03-01T08:30:00.000Z")
        expect(back?.closedAt === null || back === undefined ? "" : DateTime.formatIso(back.closedAt)).toBe(
          "2024-03-02T01:05:00.000Z"
        )
      })
  )
})

describe("Xlsx — validated import", () => {
  it.effect.prop(
    "corrupted cells are reported exactly — Excel row number, header, rule — and no row is accepted",
    [corrupted(false)],
    ([{ rows, hits }]) =>
      Effect.gen(function* () {
        const table = Either.getOrThrow(Ledger.toTable(spec, rows))
        const bytes = yield* Xlsx.writeTables([corrupt(table, hits)])
        const error = yield* Effect.flip(Xlsx.read(spec, bytes))
        expect(error._tag).toBe("LedgerImportError")
        if (error._tag === "LedgerImportError") {
          expect(error.headerProblems).toEqual([])
          expect(reportedProblems(error)).toEqual(expectedProblems(hits))
        }
      }),
    { fastCheck: { numRuns: 20 } }
  )

  it.effect("header problems are reported from a workbook too", () =>
    Effect.gen(function* () {
      const workbook = new ExcelJS.Workbook()
      const sheet = workbook.addWorksheet("测试台账")
      sheet.addRow(["编号", "名称", "名称", "类型", "金额（元）", "是否有效", "登记时间", "标签", "负责人"])
      sheet.addRow(["G-1", "a", "b", "basic", 1, "是", "2024-01-01", "", "张某"])
      const bytes = new Uint8Array(yield* Effect.promise(() => workbook.xlsx.writeBuffer()))
      const error = yield* Effect.flip(Xlsx.read(spec, bytes))
      expect(error._tag).toBe("LedgerImportError")
      if (error._tag === "LedgerImportError") {
        expect(error.headerProblems.map((p) => [p.rule, p.header, p.column])).toEqual([
          ["duplicate-column", "名称", "C"],
          ["unknown-column", "负责人", "I"],
          ["missing-column", "数量", ""]
        ])
      }
    })
  )

  it.effect("bytes that are not a workbook give XlsxReadError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Xlsx.read(spec, new TextEncoder().encode("编号,名称\r\n")))
      expect(error._tag).toBe("XlsxReadError")
      if (error._tag === "XlsxReadError") expect(error.reason).toBe("not-xlsx")
    })
  )

  it.effect("a row that breaks its schema is not exported", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Xlsx.write(spec, [row({ count: 0.5 })]))
      expect(error._tag).toBe("LedgerExportError")
    })
  )
})
