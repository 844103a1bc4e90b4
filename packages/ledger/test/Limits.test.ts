/**
 * Import limits (issue 12 finding 11): a file past the size, inflated-size,
 * compression-ratio, row or cell-length limit is refused with one typed,
 * one-line error naming the file, the limit and the rule — a ZIP bomb is
 * refused while it is inflated as a stream, before exceljs sees it (memory:
 * `npm run bench` in this package). A formula without a computed value and
 * a merged region are refused naming the cell / region.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import ExcelJS from "exceljs"
import * as Csv from "../src/Csv.js"
import * as Ledger from "../src/Ledger.js"
import * as Xlsx from "../src/Xlsx.js"
import { type Sample, spec } from "./fixtures.js"
import * as Zip from "./support/Zip.js"

const row = (i: number, overrides: Partial<Sample> = {}): Sample => ({
  id: `G-${i}`,
  name: `第${i}网格`,
  kind: "basic",
  count: i,
  amount: 1.5,
  active: true,
  at: DateTime.unsafeMake(Date.UTC(2024, 2, 1, 8, 30)),
  closedAt: null,
  tags: [],
  ...overrides
})

const rows = (n: number): ReadonlyArray<Sample> => Array.from({ length: n }, (_, i) => row(i + 1))

const csvOf = (items: ReadonlyArray<Sample>): string => Either.getOrThrow(Csv.write(spec, items))

const limitError = (u: unknown): Ledger.LedgerLimitExceeded => {
  expect(u).toBeInstanceOf(Ledger.LedgerLimitExceeded)
  const error = u as Ledger.LedgerLimitExceeded
  expect(error.message.split("\n")).toHaveLength(1)
  expect(error.message).toContain(error.file)
  expect(error.message).toContain(`[rule ${error.rule}]`)
  return error
}

/** A workbook exceljs writes, with `edit` applied to its one sheet first. */
const workbook = (edit: (sheet: ExcelJS.Worksheet) => void): Effect.Effect<Uint8Array> =>
  Effect.promise(async () => {
    const wb = new ExcelJS.Workbook()
    const sheet = wb.addWorksheet(spec.sheet)
    sheet.addRow(Ledger.headers(spec))
    edit(sheet)
    return new Uint8Array(await wb.xlsx.writeBuffer())
  })

const MiB = 1024 * 1024

describe("Ledger.Limits — defaults", () => {
  it("are 20 MiB, 200 MiB inflated at most 100:1, 50,000 rows and Text.limits.description characters", () => {
    expect(Ledger.defaultLimits).toEqual({
      maxFileBytes: 20 * MiB,
      maxInflatedBytes: 200 * MiB,
      maxCompressionRatio: 100,
      maxRows: 50_000,
      maxCellLength: 4000
    })
    expect(Ledger.limitsOf({ limits: { maxRows: 7 } })).toEqual({ ...Ledger.defaultLimits, maxRows: 7 })
  })
})

describe("Xlsx.read — ZIP bombs are refused while streaming", () => {
  // ~1 MB that inflates to 300 MiB: generated as a stream, never held inflated
  const bomb = Effect.cached(Effect.promise(() => Zip.bomb(300)))

  it.effect("a workbook inflating more than 100:1 is refused by the compression-ratio rule", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.flatten(bomb)
      expect(bytes.length).toBeLessThan(MiB)
      const error = limitError(yield* Effect.flip(Xlsx.read(spec, bytes, { file: "bomb.xlsx" })))
      expect(error).toMatchObject({
        file: "bomb.xlsx",
        rule: "compression-ratio",
        limit: 100,
        where: "xl/worksheets/sheet1.xml"
      })
      expect(error.message).toContain("100:1")
    })
  )

  it.effect("without a ratio limit, the inflated-size limit (default 200 MiB) stops it", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.flatten(bomb)
      const error = limitError(
        yield* Effect.flip(
          Xlsx.read(spec, bytes, {
            file: "bomb.xlsx",
            limits: { maxCompressionRatio: Number.POSITIVE_INFINITY }
          })
        )
      )
      expect(error).toMatchObject({ rule: "inflated-size", limit: 200 * MiB })
      expect(error.message).toContain("200 MiB")
    })
  )

  it.effect("a file larger than maxFileBytes is refused before it is opened", () =>
    Effect.gen(function* () {
      const bytes = yield* Xlsx.write(spec, rows(3))
      const error = limitError(
        yield* Effect.flip(Xlsx.read(spec, bytes, { file: "big.xlsx", limits: { maxFileBytes: 1000 } }))
      )
      expect(error).toMatchObject({ file: "big.xlsx", rule: "file-size", limit: 1000, where: "" })
      expect(yield* Xlsx.read(spec, bytes, { limits: { maxFileBytes: bytes.length } })).toHaveLength(3)
    })
  )

  it.effect("bytes that are not a ZIP archive are not-xlsx", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Xlsx.read(spec, new TextEncoder().encode("编号,名称\n")))
      expect(error).toMatchObject({ _tag: "XlsxReadError", reason: "not-xlsx" })
    })
  )
})

describe("rows and cell length", () => {
  it.effect("an XLSX sheet with more rows than maxRows is refused (counted before parsing)", () =>
    Effect.gen(function* () {
      const bytes = yield* Xlsx.write(spec, rows(60))
      // 61 rows with the header
      const error = limitError(
        yield* Effect.flip(Xlsx.read(spec, bytes, { file: "a.xlsx", limits: { maxRows: 60 } }))
      )
      expect(error).toMatchObject({ rule: "rows", limit: 60, where: "xl/worksheets/sheet1.xml" })
      expect(yield* Xlsx.read(spec, bytes, { limits: { maxRows: 61 } })).toHaveLength(60)
    })
  )

  it.prop(
    "a CSV file is refused exactly when it has more rows than maxRows",
    [fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 40 })],
    ([n, maxRows]) => {
      const out = Csv.read(spec, csvOf(rows(n)), { file: "p.csv", limits: { maxRows } })
      if (n + 1 > maxRows) {
        expect(Either.isLeft(out)).toBe(true)
        const error = limitError(Either.isLeft(out) ? out.left : undefined)
        expect(error).toMatchObject({ file: "p.csv", rule: "rows", limit: maxRows })
      } else {
        expect(Either.getOrThrow(out)).toHaveLength(n)
      }
    }
  )

  it("a CSV file larger than maxFileBytes is refused", () => {
    const text = csvOf(rows(5))
    const out = Csv.read(spec, new TextEncoder().encode(text), {
      file: "p.csv",
      limits: { maxFileBytes: 100 }
    })
    expect(limitError(Either.flip(out).pipe(Either.getOrThrow))).toMatchObject({
      rule: "file-size",
      limit: 100
    })
  })

  it("a cell longer than maxCellLength (default 4,000) is refused naming it, in CSV and XLSX", () =>
    Effect.gen(function* () {
      const long = row(2, { name: "长".repeat(4001) })
      const csv = Csv.read(spec, csvOf([row(1), long]), { file: "p.csv" })
      const error = limitError(Either.flip(csv).pipe(Either.getOrThrow))
      expect(error).toMatchObject({ rule: "cell-length", limit: 4000, where: "B3" })
      const bytes = yield* Xlsx.write(spec, [row(1), long])
      const fromXlsx = limitError(yield* Effect.flip(Xlsx.read(spec, bytes, { file: "p.xlsx" })))
      expect(fromXlsx).toMatchObject({ rule: "cell-length", where: `${spec.sheet}!B3` })
      // exactly the limit passes the reader
      expect(Either.isRight(Csv.read(spec, csvOf([row(1, { name: "长".repeat(4000) })])))).toBe(true)
    }).pipe(Effect.runPromise))

  it("a text at the limit that looks like a formula is written escaped (one character more) and reads back", () => {
    const formula = `=${"长".repeat(3999)}`
    const back = Either.flatMap(Csv.write(spec, [row(1, { name: formula })]), (text) => Csv.read(spec, text))
    expect(Either.getOrThrow(back).map((r) => r.name)).toEqual([formula])
    // the limit still holds beyond the guard
    const over = Either.flatMap(Csv.write(spec, [row(1, { name: `=${"长".repeat(4000)}` })]), (text) =>
      Csv.read(spec, text)
    )
    expect(limitError(Either.flip(over).pipe(Either.getOrThrow))).toMatchObject({ rule: "cell-length" })
  })
})

describe("Xlsx.read — cells it cannot take as they are", () => {
  it.effect("a formula without a computed value is refused naming the cell (not imported as its text)", () =>
    Effect.gen(function* () {
      const bytes = yield* workbook((sheet) => {
        for (let i = 0; i < 6; i++)
          sheet.addRow(Either.getOrThrow(Ledger.toTable(spec, [row(i)])).rows[0] ?? [])
        sheet.getCell("C7").value = { formula: 'IF(A7="","basic","dedicated")', date1904: false }
      })
      const error = yield* Effect.flip(Xlsx.read(spec, bytes, { file: "f.xlsx" }))
      expect(error).toBeInstanceOf(Xlsx.XlsxCellRefused)
      expect(error).toMatchObject({
        file: "f.xlsx",
        rule: "formula-without-value",
        address: `${spec.sheet}!C7`
      })
      expect(error.message.split("\n")).toHaveLength(1)
      expect(error.message).toContain(`${spec.sheet}!C7`)
    })
  )

  it.effect("a formula with a computed value reads as that value", () =>
    Effect.gen(function* () {
      const bytes = yield* workbook((sheet) => {
        sheet.addRow(Either.getOrThrow(Ledger.toTable(spec, [row(1)])).rows[0] ?? [])
        sheet.getCell("B2").value = { formula: 'A2&"网格"', result: "G-1网格", date1904: false }
      })
      const [back] = yield* Xlsx.read(spec, bytes)
      expect(back?.name).toBe("G-1网格")
    })
  )

  it.effect("a merged region is refused with its address", () =>
    Effect.gen(function* () {
      const bytes = yield* workbook((sheet) => {
        for (let i = 1; i <= 3; i++)
          sheet.addRow(Either.getOrThrow(Ledger.toTable(spec, [row(i)])).rows[0] ?? [])
        sheet.mergeCells("B3:D3")
      })
      const error = yield* Effect.flip(Xlsx.read(spec, bytes, { file: "m.xlsx" }))
      expect(error).toBeInstanceOf(Xlsx.XlsxCellRefused)
      expect(error).toMatchObject({ rule: "merged-cells", address: `${spec.sheet}!B3:D3` })
      expect(error.message.split("\n")).toHaveLength(1)
    })
  )
})
