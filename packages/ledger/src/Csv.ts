/**
 * 台账 CSV — ledgers as CSV files that Excel opens correctly: UTF-8 with a
 * byte-order mark (without it, Excel on a Chinese Windows reads UTF-8 as
 * GBK and shows mojibake), RFC 4180 quoting (fields with commas, quotes or
 * line breaks are quoted, quotes doubled), CR LF between records.
 *
 * Cells are written as text: numbers in their shortest exact form, booleans as
 * 是 / 否, dates as wall-clock time at UTC+8 (`2024-03-01 16:30:00`, see
 * `Ledger.Options`). Texts that a spreadsheet would run as a formula are
 * neutralised with a leading `'` (see `Ledger.escapeFormula`).
 *
 * Reading accepts a string or bytes; bytes that are not valid UTF-8 are read as
 * GB18030 (the encoding of Excel's "CSV (逗号分隔)" on Chinese Windows). The
 * functions are pure and return `Either`. Reading is bounded (`Ledger.Limits`:
 * file size, rows, cell length): a file past a limit fails with
 * `LedgerLimitExceeded`, and no more than one record past the row limit is
 * parsed.
 *
 * Note: when a person opens a CSV in Excel and saves it again, Excel rewrites
 * cells it recognises — long digit strings become `1.10101E+14`, `001` becomes
 * `1`. Exchange ledgers that people edit as XLSX (`Xlsx`); use CSV between
 * programs or for viewing.
 *
 * @since 0.1.0
 */
import { CsvError, parse } from "csv-parse/sync"
import { stringify } from "csv-stringify/sync"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as cells from "./internal/cells.js"
import {
  type Cell,
  checkFileSize,
  checkRows,
  defaultUtcOffsetMinutes,
  type ImportReport,
  importRows,
  type LedgerExportError,
  type LedgerImportError,
  type LedgerLimitExceeded,
  type LedgerSpec,
  limitsOf,
  type Options,
  type SourceRow,
  type Table,
  toTable
} from "./Ledger.js"

/**
 * The byte-order mark written at the start of every CSV ledger.
 *
 * @since 0.1.0
 * @category constants
 */
export const bom = "\uFEFF"

/**
 * CSV 格式错误 — the file is not well-formed CSV (e.g. a quote never closed) or
 * not decodable text; `line` is the physical line where the parser stopped.
 *
 * @since 0.1.0
 * @category errors
 */
export class CsvSyntaxError extends Schema.TaggedError<CsvSyntaxError>()("CsvSyntaxError", {
  code: Schema.String,
  line: Schema.optionalWith(Schema.Int, { exact: true }),
  detail: Schema.String
}) {
  override get message(): string {
    return `CSV 格式错误 (malformed CSV)${this.line === undefined ? "" : ` at line ${this.line}`}: ${this.detail}`
  }
}

const renderCell = (cell: Cell, offset: number): string => {
  if (cell === null) return ""
  if (typeof cell === "string") return cell
  if (typeof cell === "number") return cells.numberText(cell)
  if (typeof cell === "boolean") return cells.booleanText(cell)
  return cells.formatDate(cell, offset)
}

/**
 * Writes a table (see `Ledger.toTable`) as CSV text with a BOM.
 *
 * @since 0.1.0
 * @category export
 */
export const stringifyTable = (table: Table, options?: Pick<Options, "utcOffsetMinutes">): string => {
  const offset = options?.utcOffsetMinutes ?? defaultUtcOffsetMinutes
  const records = [table.header, ...table.rows.map((row) => row.map((cell) => renderCell(cell, offset)))]
  return (
    bom +
    stringify(records, {
      record_delimiter: "windows",
      eof: true,
      quoted_match: /[\r\n]/
    })
  )
}

/**
 * 导出 CSV — writes rows as a CSV ledger (text with a BOM; write it to a file
 * as UTF-8). Left when a row does not satisfy the spec's schema.
 *
 * @since 0.1.0
 * @category export
 */
export const write = <A>(
  spec: LedgerSpec<A>,
  rows: Iterable<A>,
  options?: Pick<Options, "utcOffsetMinutes" | "units">
): Either.Either<string, LedgerExportError> =>
  Either.map(toTable(spec, rows, options), (t) => stringifyTable(t, options))

const decodeText = (input: string | Uint8Array): Either.Either<string, CsvSyntaxError> => {
  if (typeof input === "string") return Either.right(input)
  try {
    return Either.right(new TextDecoder("utf-8", { fatal: true }).decode(input))
  } catch {
    try {
      return Either.right(new TextDecoder("gb18030").decode(input))
    } catch (e) {
      return Either.left(
        new CsvSyntaxError({ code: "ENCODING", detail: `neither UTF-8 nor GB18030: ${String(e)}` })
      )
    }
  }
}

/**
 * Parses CSV text or bytes into source rows numbered as Excel numbers them
 * (record 1 is row 1; a quoted line break does not start a new row).
 *
 * @since 0.1.0
 * @category import
 */
export const parseRows = (
  input: string | Uint8Array,
  options?: Pick<Options, "file" | "limits">
): Either.Either<ReadonlyArray<SourceRow>, CsvSyntaxError | LedgerLimitExceeded> =>
  Either.flatMap(
    checkFileSize(typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.length, options),
    () =>
      Either.flatMap(decodeText(input), (text) => {
        // one record past the limit is parsed, to tell "exactly the limit" from "more"
        const maxRows = limitsOf(options).maxRows
        return Either.flatMap(parseText(text, maxRows + 1), (rows) =>
          Either.map(checkRows(rows, "", options), () => rows)
        )
      })
  )

const parseText = (text: string, to: number): Either.Either<ReadonlyArray<SourceRow>, CsvSyntaxError> => {
  try {
    const records: ReadonlyArray<ReadonlyArray<string>> = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      to
    })
    return Either.right(records.map((cellsOfRow, i) => ({ row: i + 1, cells: cellsOfRow })))
  } catch (e) {
    if (e instanceof CsvError) {
      const line = "lines" in e && typeof e.lines === "number" ? e.lines : undefined
      return Either.left(
        new CsvSyntaxError(
          line === undefined ? { code: e.code, detail: e.message } : { code: e.code, detail: e.message, line }
        )
      )
    }
    return Either.left(new CsvSyntaxError({ code: "UNKNOWN", detail: String(e) }))
  }
}

/**
 * 导入 CSV — reads a CSV ledger: every row, or every problem (`LedgerImportError`)
 * — or a `CsvSyntaxError` when the file is not CSV at all.
 *
 * @since 0.1.0
 * @category import
 */
export const read = <A>(
  spec: LedgerSpec<A>,
  input: string | Uint8Array,
  options?: Options
): Either.Either<ReadonlyArray<A>, LedgerImportError | CsvSyntaxError | LedgerLimitExceeded> =>
  Either.map(readReport(spec, input, options), (report) => report.rows)

/**
 * 导入 CSV（含报告） — reads a CSV ledger as `read` does, and reports the rows
 * it skipped (blank and footer rows, `Ledger.importRows`).
 *
 * @since 0.1.0
 * @category import
 */
export const readReport = <A>(
  spec: LedgerSpec<A>,
  input: string | Uint8Array,
  options?: Options
): Either.Either<ImportReport<A>, LedgerImportError | CsvSyntaxError | LedgerLimitExceeded> =>
  Either.flatMap(
    parseRows(input, options),
    (rows): Either.Either<ImportReport<A>, LedgerImportError | CsvSyntaxError | LedgerLimitExceeded> =>
      importRows(spec, rows, options)
  )
