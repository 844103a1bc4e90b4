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
 * Reading takes the sheet asked for (`Ledger.Options.sheet`: a name or a
 * 1-based position), else the sheet named like the spec, else the first sheet
 * whose header matches the spec (an instructions sheet 填表说明 before the data
 * is passed over), else the first sheet; cells
 * holding formulas are read as their cached results, rich text as its plain
 * text, hyperlinks as their text, Excel errors (`#N/A`) as that text. As Excel
 * stores them, CR LF inside a text comes back as LF and control characters
 * other than tab and LF are dropped.
 *
 * Reading is bounded (`Ledger.Limits`): before exceljs parses the workbook,
 * its ZIP entries are inflated as a stream and counted (never held), and a
 * file past the size, inflated-size, compression-ratio or row limit fails
 * with `LedgerLimitExceeded` — a ZIP bomb costs CPU time up to the limit and
 * almost no memory. A formula without a computed value is refused naming
 * the cell, and a merged region naming the region (`XlsxCellRefused`).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import ExcelJS from "exceljs"
import * as cells from "./internal/cells.js"
import * as zip from "./internal/zip.js"
import {
  type Cell,
  type Column,
  checkFileSize,
  checkRows,
  defaultUtcOffsetMinutes,
  type ImportReport,
  importRows,
  type LedgerExportError,
  type LedgerImportError,
  LedgerLimitExceeded,
  type LedgerSpec,
  limitsOf,
  matchHeader,
  type Options,
  type SourceRow,
  type Table,
  toTable,
  unnamedFile
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
 * XLSX 读取错误 — the bytes are not a readable workbook (`not-xlsx`), the
 * workbook has no worksheet (`no-sheet`), or none by the name or position
 * asked for (`sheet-not-found`; the detail lists the sheets).
 *
 * @since 0.1.0
 * @category errors
 */
export class XlsxReadError extends Schema.TaggedError<XlsxReadError>()("XlsxReadError", {
  reason: Schema.Literal("not-xlsx", "no-sheet", "sheet-not-found"),
  detail: Schema.String
}) {
  override get message(): string {
    return this.reason === "sheet-not-found"
      ? `找不到工作表 (no such sheet): ${this.detail}`
      : `XLSX 读取失败 (cannot read workbook, ${this.reason}): ${this.detail}`
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
  options?: Pick<Options, "utcOffsetMinutes" | "units">
): Effect.Effect<Uint8Array, LedgerExportError | XlsxWriteError> =>
  Effect.flatMap(toTable(spec, rows, options), (table) => writeTables([table], options))

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

/** A formula cell the workbook holds no computed value for. */
const noCachedValue = Symbol("noCachedValue")

const normalize = (value: ExcelJS.CellValue, offset: number): Cell | typeof noCachedValue => {
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
    return value.result === undefined ? noCachedValue : plainCell(value.result, offset)
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
 * 单元格被拒 — a cell the import cannot take as it is: a formula without a
 * computed value (`formula-without-value`: the workbook was written by a
 * program that does not calculate; open and save it in Excel, or paste the
 * values), or a merged region (`merged-cells`: its value belongs to one
 * cell only; unmerge it and fill every cell). `address` is the cell or the
 * region (`问题清单!C7`, `问题清单!B3:D3`). Nothing was imported.
 *
 * @since 0.1.0
 * @category errors
 */
export class XlsxCellRefused extends Schema.TaggedError<XlsxCellRefused>()("XlsxCellRefused", {
  file: Schema.String,
  rule: Schema.Literal("formula-without-value", "merged-cells"),
  address: Schema.String
}) {
  override get message(): string {
    return this.rule === "formula-without-value"
      ? `单元格 ${this.address} 是没有计算结果的公式 (${this.file}): the cell holds a formula without a computed ` +
          `value [rule ${this.rule}]; nothing was imported — save the workbook in Excel or paste the values`
      : `单元格 ${this.address} 是合并单元格 (${this.file}): merged cells are not accepted [rule ${this.rule}]; ` +
          "nothing was imported — unmerge them and fill every cell"
  }
}

/** At most this many inflated bytes are exempt from the compression-ratio rule. */
const ratioFloorBytes = 1024 * 1024

/**
 * Checks the ZIP archive against the limits without holding its inflated
 * contents: the file's size, the inflated total and ratio, and the rows of
 * every worksheet part.
 */
const guard = (
  data: Uint8Array,
  options: Pick<Options, "file" | "limits"> | undefined
): Effect.Effect<void, XlsxReadError | LedgerLimitExceeded> =>
  Effect.gen(function* () {
    yield* checkFileSize(data.byteLength, options)
    const limits = limitsOf(options)
    const file = options?.file ?? unnamedFile
    const result = yield* Effect.promise(() =>
      zip.scan(data, {
        maxInflatedBytes: limits.maxInflatedBytes,
        maxCompressionRatio: limits.maxCompressionRatio,
        ratioFloorBytes,
        maxRows: limits.maxRows
      })
    )
    switch (result._tag) {
      case "Ok":
        return
      case "NotZip":
        return yield* new XlsxReadError({ reason: "not-xlsx", detail: result.detail })
      case "Inflated":
        return yield* new LedgerLimitExceeded({
          file,
          rule: result.rule,
          limit: result.rule === "inflated-size" ? limits.maxInflatedBytes : limits.maxCompressionRatio,
          where: result.entry
        })
      case "Rows":
        return yield* new LedgerLimitExceeded({
          file,
          rule: "rows",
          limit: limits.maxRows,
          where: result.entry
        })
    }
  })

const loadWorkbook = (
  data: Uint8Array | ArrayBuffer,
  options: Pick<Options, "file" | "limits"> | undefined
): Effect.Effect<ExcelJS.Workbook, XlsxReadError | LedgerLimitExceeded> =>
  Effect.gen(function* () {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
    yield* guard(bytes, options)
    return yield* Effect.tryPromise({
      try: async () => {
        const workbook = new ExcelJS.Workbook()
        await workbook.xlsx.load(toArrayBuffer(bytes))
        return workbook
      },
      catch: (e) =>
        new XlsxReadError({ reason: "not-xlsx", detail: e instanceof Error ? e.message : String(e) })
    })
  })

const rowsOfSheet = (
  sheet: ExcelJS.Worksheet,
  options: Pick<Options, "utcOffsetMinutes" | "file" | "limits"> | undefined
): Effect.Effect<ReadonlyArray<SourceRow>, XlsxCellRefused | LedgerLimitExceeded> =>
  Effect.gen(function* () {
    const file = options?.file ?? unnamedFile
    if (sheet.hasMerges) {
      const [first] = [...sheet.model.merges].sort()
      return yield* new XlsxCellRefused({
        file,
        rule: "merged-cells",
        address: `${sheet.name}!${first ?? ""}`
      })
    }
    const offset = options?.utcOffsetMinutes ?? defaultUtcOffsetMinutes
    const rows: Array<SourceRow> = []
    let formula: string | undefined
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values: Array<Cell> = []
      for (let c = 1; c <= row.cellCount; c++) {
        const cell = normalize(row.getCell(c).value, offset)
        if (cell === noCachedValue) {
          formula ??= `${sheet.name}!${cells.columnLetter(c - 1)}${rowNumber}`
          values.push(null)
        } else values.push(cell)
      }
      rows.push({ row: rowNumber, cells: values })
    })
    if (formula !== undefined)
      return yield* new XlsxCellRefused({ file, rule: "formula-without-value", address: formula })
    yield* checkRows(rows, sheet.name, options)
    return rows
  })

/** The sheet `Options.sheet` asks for: by name (trimmed), else by 1-based position. */
const sheetAskedFor = (
  workbook: ExcelJS.Workbook,
  asked: string | number
): Either.Either<ExcelJS.Worksheet, XlsxReadError> => {
  const sheets = workbook.worksheets
  const byName = typeof asked === "string" ? sheets.find((w) => w.name.trim() === asked.trim()) : undefined
  const position = typeof asked === "number" ? asked : /^\d+$/.test(asked.trim()) ? Number(asked.trim()) : NaN
  const found = byName ?? sheets[position - 1]
  return found === undefined
    ? Either.left(
        new XlsxReadError({
          reason: "sheet-not-found",
          detail:
            `工作簿中没有工作表「${asked}」，现有 ${sheets.map((w, i) => `${i + 1}「${w.name}」`).join("、")} ` +
            `(no sheet "${asked}"; the sheets are ${sheets.map((w, i) => `${i + 1} ${w.name}`).join(", ")})`
        })
      )
    : Either.right(found)
}

/**
 * Reads the rows of a sheet with their Excel row numbers: the sheet
 * `options.sheet` names (or its 1-based position), else the sheet named
 * `sheetName`, else the first. The archive is checked against the limits
 * (`Ledger.Limits`) before it is parsed; a formula without a computed value
 * and a merged region are refused (`XlsxCellRefused`).
 *
 * @since 0.1.0
 * @category import
 */
export const readRows = (
  data: Uint8Array | ArrayBuffer,
  sheetName: string,
  options?: Pick<Options, "utcOffsetMinutes" | "file" | "limits" | "sheet">
): Effect.Effect<ReadonlyArray<SourceRow>, XlsxReadError | XlsxCellRefused | LedgerLimitExceeded> =>
  Effect.gen(function* () {
    const workbook = yield* loadWorkbook(data, options)
    const sheet =
      options?.sheet === undefined
        ? (workbook.getWorksheet(sheetName) ?? workbook.worksheets[0])
        : yield* sheetAskedFor(workbook, options.sheet)
    if (sheet === undefined) {
      return yield* new XlsxReadError({ reason: "no-sheet", detail: "the workbook has no worksheet" })
    }
    return yield* rowsOfSheet(sheet, options)
  })

/**
 * The sheet a ledger is read from and its rows: `options.sheet` if given, else
 * the sheet named like the spec, else the first whose header matches the spec
 * best (`Ledger.matchHeader`), else the first sheet.
 *
 * @since 0.1.0
 * @category import
 */
export const readSheet = <A>(
  spec: LedgerSpec<A>,
  data: Uint8Array | ArrayBuffer,
  options?: Options
): Effect.Effect<
  { readonly sheet: string; readonly rows: ReadonlyArray<SourceRow> },
  XlsxReadError | XlsxCellRefused | LedgerLimitExceeded
> =>
  Effect.gen(function* () {
    const workbook = yield* loadWorkbook(data, options)
    const [first] = workbook.worksheets
    if (first === undefined) {
      return yield* new XlsxReadError({ reason: "no-sheet", detail: "the workbook has no worksheet" })
    }
    if (options?.sheet !== undefined) {
      const sheet = yield* sheetAskedFor(workbook, options.sheet)
      return { sheet: sheet.name, rows: yield* rowsOfSheet(sheet, options) }
    }
    const named = workbook.getWorksheet(spec.sheet)
    if (named !== undefined) return { sheet: named.name, rows: yield* rowsOfSheet(named, options) }
    let best: { sheet: string; rows: ReadonlyArray<SourceRow>; known: number } | undefined
    for (const sheet of workbook.worksheets) {
      const rows = yield* rowsOfSheet(sheet, options)
      const known = matchHeader(spec, rows, options).known
      if (known > 0 && (best === undefined || known > best.known)) best = { sheet: sheet.name, rows, known }
    }
    return best ?? { sheet: first.name, rows: yield* rowsOfSheet(first, options) }
  })

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
): Effect.Effect<
  ReadonlyArray<A>,
  LedgerImportError | XlsxReadError | XlsxCellRefused | LedgerLimitExceeded
> => Effect.map(readReport(spec, data, options), (report) => report.rows)

/**
 * 导入 XLSX（含报告） — reads a ledger as `read` does, and reports the sheet it
 * read and the rows it skipped (blank and footer rows, `Ledger.importRows`).
 *
 * @since 0.1.0
 * @category import
 */
export const readReport = <A>(
  spec: LedgerSpec<A>,
  data: Uint8Array | ArrayBuffer,
  options?: Options
): Effect.Effect<
  ImportReport<A>,
  LedgerImportError | XlsxReadError | XlsxCellRefused | LedgerLimitExceeded
> =>
  Effect.flatMap(readSheet(spec, data, options), ({ sheet, rows }) =>
    Either.match(importRows(spec, rows, options), {
      onLeft: (e) => Effect.fail(e),
      onRight: (report) => Effect.succeed({ ...report, sheet })
    })
  )
