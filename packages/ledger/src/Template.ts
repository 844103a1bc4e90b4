/**
 * 台账模板 — an empty XLSX ledger for street-office staff to fill in and import
 * again: a sheet 填表说明 (what each column means, whether it is required,
 * its format and accepted values), then the data sheet named like the spec
 * with exactly the spec's Chinese headers (`Ledger.headers`), the header row
 * frozen and bold (required columns shaded), column widths from the spec, and
 * drop-down lists 下拉列表 on every column with a closed set of values (the
 * spec's `labels`, 是 / 否 for booleans, or `Instructions.choices` for a
 * column read by name through its schema, such as a level) fed from a hidden
 * sheet 下拉选项.
 *
 * A column whose labels do not close it (the importer takes other values too,
 * such as the 问题类别 of local categories) gets its drop-down as a
 * suggestion: Excel warns but lets another value stand. Unit columns get the
 * units given in `TemplateOptions.units` the same way. Every column shows
 * whether it is required, its format and meaning when a cell is selected
 * (Excel's input message).
 *
 * What the template asks for is what import reads: `Xlsx.read` finds the data
 * sheet by its name (or, renamed, by its header) behind the instructions; the
 * instructions sheet holds no merged cells, so it never stops that search.
 * The drop-downs guide typing, they check nothing: import validates every
 * cell as for any ledger.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import ExcelJS from "exceljs"
import * as cells from "./internal/cells.js"
import { type Column, defaultUtcOffsetMinutes, type LedgerKind } from "./Ledger.js"
import { XlsxWriteError } from "./Xlsx.js"

/**
 * 填表说明 — the name of the instructions sheet (the first sheet).
 *
 * @since 0.1.0
 * @category constants
 */
export const instructionsSheet = "填表说明"

/**
 * 下拉选项 — the name of the hidden sheet the drop-down lists read.
 *
 * @since 0.1.0
 * @category constants
 */
export const listsSheet = "下拉选项"

/**
 * The data rows that get drop-downs and input messages by default (Excel
 * extends them to rows inserted among them).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRows = 1000

/**
 * The Excel number format of date cells in a template (a typed `2024-03-01`
 * shows as `2024-03-01 00:00`).
 *
 * @since 0.1.0
 * @category constants
 */
export const dateFormat = "yyyy-mm-dd hh:mm"

/**
 * 填表说明内容 — what a template says besides what the spec says: general
 * notes (one short line each, shown above the column table), each column's
 * meaning by its header (`问题描述: "问题的具体情况…"`; conditional rules
 * belong here), the command that imports the filled-in file, and — by
 * header — the values of columns whose closed set the spec's labels do not
 * tell (a level read by its name, say): `closed` when import takes nothing
 * else (Excel then stops other values; else it only warns).
 *
 * @since 0.1.0
 * @category models
 */
export interface Instructions {
  readonly notes: ReadonlyArray<string>
  readonly columns: Readonly<Record<string, string>>
  readonly importCommand?: string
  readonly choices?: Readonly<Record<string, Choices>>
}

/**
 * 可选值 — the values a column's drop-down offers, and whether import takes
 * only these (`closed`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Choices {
  readonly values: ReadonlyArray<string>
  readonly closed: boolean
}

/**
 * 模板选项 — `rows`: data rows with drop-downs (default `defaultRows`);
 * `units`: names offered in unit columns (`ColumnOptions.reference`), as a
 * suggestion — ids and paths are accepted too; `utcOffsetMinutes`: the offset
 * dates are read at (default UTC+8), as the instructions state it.
 *
 * @since 0.1.0
 * @category models
 */
export interface TemplateOptions {
  readonly rows?: number
  readonly units?: ReadonlyArray<string>
  readonly utcOffsetMinutes?: number
}

/**
 * 列说明 — one column as the instructions describe it: its letter and header,
 * whether a value is required (`必填`), its format, the values its drop-down
 * offers (empty for none), whether only those are accepted (`closed`), and
 * its meaning.
 *
 * @since 0.1.0
 * @category models
 */
export interface ColumnGuide {
  readonly letter: string
  readonly header: string
  readonly field: string
  readonly required: boolean
  readonly format: string
  readonly values: ReadonlyArray<string>
  readonly closed: boolean
  readonly meaning: string
}

// -----------------------------------------------------------------------------
// guide
// -----------------------------------------------------------------------------

/** A text no label equals: a column that decodes it takes values beyond its labels. */
const probe = "\u0000civicgrid-template-probe"

/** Whether the column accepts only its labels (and the values they stand for). */
const closedLabels = (column: Column): boolean => Either.isLeft(column.decode(probe))

/** `UTC+8`, `UTC-3:30`, `UTC`. */
const offsetText = (minutes: number): string => {
  if (minutes === 0) return "UTC"
  const sign = minutes < 0 ? "-" : "+"
  const abs = Math.abs(minutes)
  const h = Math.floor(abs / 60)
  const m = abs % 60
  return `UTC${sign}${h}${m === 0 ? "" : `:${String(m).padStart(2, "0")}`}`
}

const zoneText = (minutes: number): string =>
  minutes === defaultUtcOffsetMinutes ? "北京时间 UTC+8" : offsetText(minutes)

const separatorsText = (column: Column): string => column.separators.map((s) => `「${s}」`).join("")

const unitText = "单元：填编号、名称或路径（如 金星街道/金星社区；重名时写路径）"

const formatOf = (column: Column, offset: number): string => {
  switch (column.kind) {
    case "text":
      if (column.reference === "unit") return unitText
      return "文本"
    case "number":
      return "数字"
    case "boolean":
      return "是 / 否"
    case "date":
      return `日期 yyyy-mm-dd（如 2024-03-01），需要时刻写 yyyy-mm-dd hh:mm（${zoneText(offset)}）`
    case "list": {
      const what =
        column.reference === "unit"
          ? "多个单元（编号、名称或路径）"
          : column.itemKind === "number"
            ? "多个数字"
            : "多项"
      return column.separators.length === 1
        ? `${what}，以${separatorsText(column)}分隔`
        : `${what}，以 ${column.separators.join(" ")} 任一分隔`
    }
    case "json":
      return "JSON 文本"
  }
}

const choicesOf = (column: Column, given: Choices | undefined, units: ReadonlyArray<string>): Choices => {
  if (given !== undefined) return given
  if (column.kind === "boolean") {
    return { values: [cells.booleanText(true), cells.booleanText(false)], closed: true }
  }
  if (column.kind === "text" && column.labels !== undefined) {
    return { values: Object.values(column.labels), closed: closedLabels(column) }
  }
  if (column.kind === "text" && column.reference === "unit") return { values: units, closed: false }
  return { values: [], closed: false }
}

/**
 * 列说明 — the spec's columns as the instructions sheet lists them, in column
 * order.
 *
 * @since 0.1.0
 * @category getters
 */
export const guide = (
  spec: LedgerKind,
  instructions: Instructions,
  options?: TemplateOptions
): ReadonlyArray<ColumnGuide> => {
  const offset = options?.utcOffsetMinutes ?? defaultUtcOffsetMinutes
  const units = options?.units ?? []
  return spec.columns.map((column, index) => {
    const { values, closed } = choicesOf(column, instructions.choices?.[column.header], units)
    return {
      letter: cells.columnLetter(index),
      header: column.header,
      field: column.field,
      required: column.required,
      format:
        values.length > 0 && column.kind === "text" && column.reference === undefined
          ? "文本，从下拉列表选择"
          : formatOf(column, offset),
      values,
      closed,
      meaning: instructions.columns[column.header] ?? ""
    }
  })
}

/**
 * 通用说明 — the lines every template of this spec shows after its own notes:
 * how to fill the sheet, and the formats of the kinds of columns it has.
 *
 * @since 0.1.0
 * @category getters
 */
export const generalNotes = (
  spec: LedgerKind,
  instructions: Instructions,
  options?: TemplateOptions
): ReadonlyArray<string> => {
  const offset = options?.utcOffsetMinutes ?? defaultUtcOffsetMinutes
  const has = (p: (c: Column) => boolean) => spec.columns.some(p)
  return [
    `在「${spec.sheet}」工作表中从第 2 行起每行填一条；不要改动、删除或合并表头，不要合并单元格。`,
    "表头底色为黄色的列必填；选填列可以留空。空行和 填表人、审核人 等落款行导入时跳过。",
    ...(guide(spec, instructions, options).some((g) => g.values.length > 0)
      ? ["带下拉箭头的列从列表中选择；也可以填写对应的编码。"]
      : []),
    ...(has((c) => c.kind === "boolean") ? ["是/否 列填「是」或「否」。"] : []),
    ...(has((c) => c.kind === "date")
      ? [`日期写成 yyyy-mm-dd（如 2024-03-01），需要时刻写 yyyy-mm-dd hh:mm，按${zoneText(offset)}。`]
      : []),
    ...(has((c) => c.reference === "unit")
      ? ["单元列可填单元编号、名称或路径（如 金星街道/金星社区）；名称重名时写路径或编号。"]
      : []),
    ...(has((c) => c.kind === "list" && c.separators.length > 1)
      ? [`一格填多项时用 ${cells.listSeparators.join(" ")} 任一分隔。`]
      : []),
    "编号等数字样的文本（如 001）按文本保留；整张表导入前逐格检查，有错时列出每个错误的行、列，且一行也不导入。"
  ]
}

// -----------------------------------------------------------------------------
// write
// -----------------------------------------------------------------------------

const minWidth = 10
const maxWidth = 60
/** Excel's limits on a data validation's texts. */
const titleLimit = 32
const promptLimit = 255
const errorLimit = 225

const clip = (text: string, limit: number): string => {
  const chars = Array.from(text)
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join("")}…`
}

const widthOf = (column: Column): number => {
  if (column.width !== undefined) return column.width
  const w = cells.displayWidth(column.header) + 4
  return Math.min(maxWidth, Math.max(minWidth, column.kind === "date" ? Math.max(w, 18) : w))
}

/** Text-like columns are formatted as text, so `001` and long codes stay as typed. */
const numFmtOf = (column: Column): string | undefined =>
  column.kind === "date" ? dateFormat : column.kind === "number" ? undefined : "@"

const requiredFill: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } }
const headerFill: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } }

/** `'下拉选项'!$B$2:$B$6` */
const listRange = (letter: string, count: number): string =>
  `'${listsSheet}'!$${letter}$2:$${letter}$${count + 1}`

const promptOf = (g: ColumnGuide): string =>
  clip([g.required ? "必填" : "选填", g.format, g.meaning].filter((s) => s !== "").join("；"), promptLimit)

/** A data validation; `any` (no check, Excel's "any value") carries an input message alone. */
type Validation = ExcelJS.DataValidation | (Omit<ExcelJS.DataValidation, "type"> & { readonly type: "any" })

const validationOf = (column: Column, g: ColumnGuide, listColumn: string | undefined): Validation => {
  const prompt = {
    showInputMessage: true,
    promptTitle: clip(g.header, titleLimit),
    prompt: promptOf(g)
  }
  if (listColumn !== undefined && g.values.length > 0) {
    return {
      type: "list",
      allowBlank: true,
      formulae: [listRange(listColumn, g.values.length)],
      ...prompt,
      showErrorMessage: true,
      errorStyle: g.closed ? "stop" : "warning",
      errorTitle: clip(`「${g.header}」取值`, titleLimit),
      error: clip(
        g.closed
          ? `请从下拉列表中选择：${g.values.join("、")}`
          : `不在下拉列表中：确认这是有效的编码或名称（导入时检查）。可选：${g.values.join("、")}`,
        errorLimit
      )
    }
  }
  switch (column.kind) {
    case "number":
      return {
        type: "decimal",
        operator: "between",
        allowBlank: true,
        formulae: [-1e15, 1e15],
        ...prompt,
        showErrorMessage: true,
        errorStyle: "warning",
        errorTitle: clip(`「${g.header}」应为数字`, titleLimit),
        error: "请填写数字（not a number）"
      }
    case "date":
      return {
        type: "date",
        operator: "greaterThan",
        allowBlank: true,
        formulae: [new Date(Date.UTC(1900, 0, 1))],
        ...prompt,
        showErrorMessage: true,
        errorStyle: "warning",
        errorTitle: clip(`「${g.header}」应为日期`, titleLimit),
        error: "请填写日期，如 2024-03-01 或 2024-03-01 16:30"
      }
    default:
      // any value, with the input message only: import checks the text (a boundary's WKT may be long)
      return { type: "any", formulae: [], ...prompt }
  }
}

const addInstructions = (
  workbook: ExcelJS.Workbook,
  spec: LedgerKind,
  instructions: Instructions,
  guides: ReadonlyArray<ColumnGuide>,
  options: TemplateOptions | undefined
): void => {
  const sheet = workbook.addWorksheet(instructionsSheet)
  sheet.columns = [
    { key: "letter", width: 6 },
    { key: "header", width: 18 },
    { key: "required", width: 8 },
    { key: "format", width: 40 },
    { key: "values", width: 30 },
    { key: "meaning", width: 60 }
  ]
  const title = sheet.addRow([`${spec.sheet} 填表说明`])
  title.font = { bold: true, size: 14 }
  for (const note of [...instructions.notes, ...generalNotes(spec, instructions, options)])
    sheet.addRow([note])
  if (instructions.importCommand !== undefined) {
    sheet.addRow([`填好后导入：${instructions.importCommand}`]).font = { bold: true }
  }
  sheet.addRow([])
  const head = sheet.addRow(["列", "列名", "必填", "格式", "可选值", "说明"])
  head.font = { bold: true }
  head.eachCell((cell) => {
    cell.fill = headerFill
  })
  for (const g of guides) {
    const row = sheet.addRow([
      g.letter,
      g.header,
      g.required ? "必填" : "选填",
      g.format,
      g.values.length === 0 ? "" : `${g.values.join("、")}${g.closed ? "" : "（或其他有效值）"}`,
      g.meaning
    ])
    row.alignment = { wrapText: true, vertical: "top" }
    if (g.required) row.getCell(2).fill = requiredFill
  }
}

/** The worksheet's range validations (exceljs has them, its typings do not). */
interface RangeValidations {
  readonly add: (range: string, validation: Validation) => unknown
}

const rangeValidations = (sheet: ExcelJS.Worksheet): RangeValidations => {
  const found: unknown = Reflect.get(sheet, "dataValidations")
  const add: unknown = typeof found === "object" && found !== null ? Reflect.get(found, "add") : undefined
  if (typeof add !== "function") throw new Error("exceljs: worksheet has no dataValidations")
  return { add: (range, validation) => Reflect.apply(add, found, [range, validation]) }
}

const addData = (
  workbook: ExcelJS.Workbook,
  spec: LedgerKind,
  guides: ReadonlyArray<ColumnGuide>,
  listColumns: ReadonlyMap<string, string>,
  rows: number
): void => {
  const sheet = workbook.addWorksheet(spec.sheet, { views: [{ state: "frozen", ySplit: 1 }] })
  sheet.columns = spec.columns.map((column) => {
    const numFmt = numFmtOf(column)
    return {
      header: column.header,
      key: column.field,
      width: widthOf(column),
      ...(numFmt === undefined ? {} : { style: { numFmt } })
    }
  })
  const header = sheet.getRow(1)
  header.font = { bold: true }
  header.alignment = { vertical: "middle" }
  spec.columns.forEach((column, index) => {
    const cell = header.getCell(index + 1)
    cell.fill = column.required ? requiredFill : headerFill
  })
  if (rows < 1) return
  const validations = rangeValidations(sheet)
  spec.columns.forEach((column, index) => {
    const g = guides[index]
    if (g === undefined) return
    const letter = cells.columnLetter(index)
    validations.add(`${letter}2:${letter}${rows + 1}`, validationOf(column, g, listColumns.get(column.field)))
  })
}

/** The column of the lists sheet holding each drop-down's values, by field (in column order). */
const listColumnsOf = (guides: ReadonlyArray<ColumnGuide>): ReadonlyMap<string, string> =>
  new Map(guides.filter((g) => g.values.length > 0).map((g, i) => [g.field, cells.columnLetter(i)] as const))

/** Writes the hidden lists sheet: one column per drop-down, its values under a naming first row. */
const addLists = (workbook: ExcelJS.Workbook, guides: ReadonlyArray<ColumnGuide>): void => {
  const withValues = guides.filter((g) => g.values.length > 0)
  if (withValues.length === 0) return
  const sheet = workbook.addWorksheet(listsSheet, { state: "hidden" })
  withValues.forEach((g, i) => {
    sheet.getColumn(i + 1).width = Math.min(
      maxWidth,
      Math.max(minWidth, ...g.values.map((v) => cells.displayWidth(v) + 2))
    )
    // the first row names the list; it is not the column's header, so the importer never takes it for one
    sheet.getCell(1, i + 1).value = `${g.header}（可选值）`
    g.values.forEach((value, r) => {
      const cell = sheet.getCell(r + 2, i + 1)
      cell.value = value
      cell.numFmt = "@"
    })
  })
}

/**
 * 生成模板 — writes the empty template of a ledger (any `Ledger.LedgerKind`:
 * every `LedgerSpec` is one) as the bytes of an `.xlsx`:
 * the instructions sheet 填表说明, the data sheet (named like the spec, its
 * header `Ledger.headers(spec)`), and the hidden lists sheet 下拉选项 when a
 * column has a drop-down.
 *
 * @since 0.1.0
 * @category export
 */
export const write = (
  spec: LedgerKind,
  instructions: Instructions,
  options?: TemplateOptions
): Effect.Effect<Uint8Array, XlsxWriteError> =>
  Effect.tryPromise({
    try: async () => {
      const guides = guide(spec, instructions, options)
      const workbook = new ExcelJS.Workbook()
      workbook.creator = "civicgrid"
      addInstructions(workbook, spec, instructions, guides, options)
      const rows = Math.max(0, Math.floor(options?.rows ?? defaultRows))
      addData(workbook, spec, guides, listColumnsOf(guides), rows)
      addLists(workbook, guides)
      const buffer = await workbook.xlsx.writeBuffer()
      return new Uint8Array(buffer)
    },
    catch: (e) => new XlsxWriteError({ detail: e instanceof Error ? e.message : String(e) })
  })
