/**
 * 台账 XLSX — ledgers as Excel workbooks (via exceljs): one sheet per ledger,
 * the header row bold, frozen and filterable, column widths fitted to the
 * Chinese text, dates as real Excel dates (`yyyy-mm-dd hh:mm:ss`, wall-clock
 * time at UTC+8 by default — see `Ledger.Options`), numbers as numbers, texts
 * as texts (so `001` and 15-digit grid codes survive), booleans as 是 / 否.
 * Texts that a spreadsheet would run as a formula are neutralised with a
 * leading `'` (see `Ledger.escapeFormula`), and import reverses it.
 *
 * exceljs is asynchronous, so reading and writing are `Effect`s with typed
 * errors (`XlsxReadError`, `XlsxWriteError`, and the ledger's own
 * `LedgerImportError` / `LedgerExportError`).
 *
 * Reading takes the sheet named like the spec, or else the first sheet; cells
 * holding formulas are read as their cached results, rich text as its plain
 * text, hyperlinks as their text, Excel errors (`#N/A`) as that text. As Excel
 * stores them, CR LF inside a text comes back as LF and control characters
 * other than tab and LF are dropped.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import ExcelJS from "exceljs"
import * as cells from "./internal/cells.js"
import {
  type Cell,
  type Column,
  defaultUtcOffsetMinutes,
  fromRows,
  type LedgerExportError,
  type LedgerImportError,
  type LedgerSpec,
  type Options,
  type SourceRow,
  type Table,
  toTable
} from "./Ledger.js"

/**
 * The Excel number format of date columns.
 *
 * @since 0.1.0
 * @category constants
 */
export const dateFormat = "yyyy-mm-dd hh:mm:ss"

/**
 * XLSX 写入错误 — exceljs could not write the workbook (e.g. an invalid sheet name).
 *
 * @since 0.1.0
 * @category errors
 */
export class XlsxWriteError extends Schema.TaggedError<XlsxWriteError>()("XlsxWriteError", {
  detail: Schema.String
}) {
  override get message(): string {
    return `XLSX 写入失败 (cannot write workbook): ${this.detail}`
  }
}

/**
 * XLSX 读取错误 — the bytes are not a readable workbook (`not-xlsx`), or the
 * workbook has no worksheet (`no-sheet`).
 *
 * @since 0.1.0
 * @category errors
 */
export class XlsxReadError extends Schema.TaggedError<XlsxReadError>()("XlsxReadError", {
  reason: Schema.Literal("not-xlsx", "no-sheet"),
  detail: Schema.String
}) {
  override get message(): string {
    return `XLSX 读取失败 (cannot read workbook, ${this.reason}): ${this.detail}`
  }
}

// -----------------------------------------------------------------------------
// write
// -----------------------------------------------------------------------------

const minWidth = 8
const maxWidth = 60
/** Rows sampled to fit column widths. */
const widthSample = 1000

const widthOf = (column: Column, index: number, table: Table, offset: number): number => {
  if (column.width !== undefined) return column.width
  let w = cells.displayWidth(column.header)
  if (column.kind === "date") w = Math.max(w, 19)
  const n = Math.min(table.rows.length, widthSample)
  for (let r = 0; r < n; r++) {
    const cell = table.rows[r]?.[index] ?? null
    if (cell !== null && !(cell instanceof Date))
      w = Math.max(w, cells.displayWidth(cells.cellText(cell, offset)))
  }
  return Math.min(maxWidth, Math.max(minWidth, w + 2))
}

const renderCell = (cell: Cell, offset: number): ExcelJS.CellValue => {
  if (cell === null) return null
  if (typeof cell === "boolean") return cells.booleanText(cell)
  // exceljs writes a Date's UTC fields as the Excel wall clock: shift the instant to the ledger's offset
  if (cell instanceof Date) return new Date(cell.getTime() + offset * 60_000)
  return cell
}

const addTable = (workbook: ExcelJS.Workbook, table: Table, offset: number): void => {
  const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: "frozen", ySplit: 1 }] })
  sheet.columns = table.columns.map((column, index) => ({
    header: column.header,
    key: column.field,
    width: widthOf(column, index, table, offset),
    ...(column.kind === "date" ? { style: { numFmt: dateFormat } } : {})
  }))
  const header = sheet.getRow(1)
  header.font = { bold: true }
  header.alignment = { vertical: "middle" }
  if (table.columns.length > 0) {
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } }
  }
  for (const row of table.rows) {
    const added = sheet.addRow(row.map((cell) => renderCell(cell, offset)))
    row.forEach((cell, i) => {
      if (typeof cell === "string" && cell.includes("\n")) {
        added.getCell(i + 1).alignment = { wrapText: true, vertical: "top" }
      }
    })
  }
}

/**
 * Writes tables (see `Ledger.toTable`) as one workbook, one sheet per table.
 *
 * @since 0.1.0
 * @category export
 */
export const writeTables = (
  tables: ReadonlyArray<Table>,
  options?: Pick<Options, "utcOffsetMinutes">
): Effect.Effect<Uint8Array, XlsxWriteError> =>
  Effect.tryPromise({
    try: async () => {
      const offset = options?.utcOffsetMinutes ?? defaultUtcOffsetMinutes
      const workbook = new ExcelJS.Workbook()
      workbook.creator = "civicgrid"
      for (const table of tables) addTable(workbook, table, offset)
      const buffer = await workbook.xlsx.writeBuffer()
      return new Uint8Array(buffer)
    },
    catch: (e) => new XlsxWriteError({ detail: e instanceof Error ? e.message : String(e) })
  })

/**
 * 导出 XLSX — writes rows as a one-sheet workbook (the bytes of an `.xlsx`).
 *
 * @since 0.1.0
 * @category export
 */
export const write = <A>(
  spec: LedgerSpec<A>,
  rows: Iterable<A>,
  options?: Pick<Options, "utcOffsetMinutes">
): Effect.Effect<Uint8Array, LedgerExportError | XlsxWriteError> =>
  Effect.flatMap(toTable(spec, rows), (table) => writeTables([table], options))

// -----------------------------------------------------------------------------
// read
// -----------------------------------------------------------------------------

type Plain = string | number | boolean | Date | ExcelJS.CellErrorValue | null | undefined

const plainCell = (value: Plain, offset: number): Cell => {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return new Date(value.getTime() - offset * 60_000)
  if (typeof value === "object") return value.error
  return value
}

const normalize = (value: ExcelJS.CellValue, offset: number): Cell => {
  if (value === null || value === undefined || typeof value !== "object" || value instanceof Date) {
    return plainCell(value, offset)
  }
  if ("richText" in value) return value.richText.map((r) => r.text).join("")
  if ("hyperlink" in value) {
    const text: unknown = value.text
    if (typeof text === "string") return text
    if (typeof text === "object" && text !== null && "richText" in text && Array.isArray(text.richText)) {
      return text.richText
        .map((r: unknown) => (typeof r === "object" && r !== null && "text" in r ? String(r.text) : ""))
        .join("")
    }
    return value.hyperlink
  }
  if ("formula" in value || "sharedFormula" in value) {
    return value.result === undefined ? `=${value.formula ?? ""}` : plainCell(value.result, offset)
  }
  if ("error" in value) return value.error
  return null
}

const toArrayBuffer = (data: Uint8Array | ArrayBuffer): ArrayBuffer => {
  if (data instanceof ArrayBuffer) return data
  const copy = new Uint8Array(data.byteLength)
  copy.set(data)
  return copy.buffer
}

/**
 * Reads the rows of a sheet (by name, else the first sheet) with their Excel
 * row numbers.
 *
 * @since 0.1.0
 * @category import
 */
export const readRows = (
  data: Uint8Array | ArrayBuffer,
  sheetName: string,
  options?: Pick<Options, "utcOffsetMinutes">
): Effect.Effect<ReadonlyArray<SourceRow>, XlsxReadError> =>
  Effect.flatMap(
    Effect.tryPromise({
      try: async () => {
        const workbook = new ExcelJS.Workbook()
        await workbook.xlsx.load(toArrayBuffer(data))
        return workbook
      },
      catch: (e) =>
        new XlsxReadError({ reason: "not-xlsx", detail: e instanceof Error ? e.message : String(e) })
    }),
    (workbook) => {
      const sheet = workbook.getWorksheet(sheetName) ?? workbook.worksheets[0]
      if (sheet === undefined) {
        return Effect.fail(new XlsxReadError({ reason: "no-sheet", detail: "the workbook has no worksheet" }))
      }
      const offset = options?.utcOffsetMinutes ?? defaultUtcOffsetMinutes
      const rows: Array<SourceRow> = []
      sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
        const values: Array<Cell> = []
        for (let c = 1; c <= row.cellCount; c++) values.push(normalize(row.getCell(c).value, offset))
        rows.push({ row: rowNumber, cells: values })
      })
      return Effect.succeed(rows)
    }
  )

/**
 * 导入 XLSX — reads a ledger from the bytes of an `.xlsx`: every row, or every
 * problem (`LedgerImportError`), or an `XlsxReadError`.
 *
 * @since 0.1.0
 * @category import
 */
export const read = <A>(
  spec: LedgerSpec<A>,
  data: Uint8Array | ArrayBuffer,
  options?: Options
): Effect.Effect<ReadonlyArray<A>, LedgerImportError | XlsxReadError> =>
  Effect.flatMap(readRows(data, spec.sheet, options), (rows) =>
    Either.match(fromRows(spec, rows, options), {
      onLeft: (e) => Effect.fail(e),
      onRight: (a) => Effect.succeed(a)
    })
  )
