/**
 * 台账核查 — the core's rules run over imported ledgers, each breach shown at
 * the rows it concerns. Import (`Ledger.importRows`) checks every cell against
 * the row schema; rules that span rows or ledgers — 大党委 composition, 议行分离,
 * one organisational relation per party member, where a role may serve — are
 * the core's, and the ledgers that feed them call the core and locate each
 * violation it returns: the sheet, the row number as staff see it, the column
 * letter and header, the rule and the core's own message. A violation that
 * concerns no row (a community with no mediator at all) is reported without
 * one. Nothing is accepted while any remains.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type * as Ledger from "./Ledger.js"

/**
 * 违规位置 — a breach at a row: the sheet, the row number (header = row 1 as
 * the file has it), the column letter and header of the cell to look at, the
 * field, the core's rule (`rule/problem`) and its message.
 *
 * @since 0.1.0
 * @category models
 */
export const LocatedViolation = Schema.Struct({
  sheet: Schema.String,
  row: Schema.Int,
  column: Schema.String,
  header: Schema.String,
  field: Schema.String,
  rule: Schema.String,
  message: Schema.String
}).annotations({ identifier: "LocatedViolation", title: "违规位置 located violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface LocatedViolation extends Schema.Schema.Type<typeof LocatedViolation> {}

/**
 * 无行可指的违规 — a breach no row of the ledgers holds (e.g. a post that is
 * missing): the rule and the core's message.
 *
 * @since 0.1.0
 * @category models
 */
export const UnlocatedViolation = Schema.Struct({
  rule: Schema.String,
  message: Schema.String
}).annotations({ identifier: "UnlocatedViolation", title: "无行可指的违规 unlocated violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface UnlocatedViolation extends Schema.Schema.Type<typeof UnlocatedViolation> {}

/**
 * 台账核查未通过 — the imported ledgers break the core's rules: every breach,
 * located at its rows (sorted by sheet, row and column), and those that
 * concern no row. Nothing was accepted.
 *
 * @since 0.1.0
 * @category errors
 */
export class LedgerCheckFailed extends Schema.TaggedError<LedgerCheckFailed>()("LedgerCheckFailed", {
  located: Schema.Array(LocatedViolation),
  unlocated: Schema.Array(UnlocatedViolation)
}) {
  /** The distinct rows with breaches of a sheet, ascending. */
  badRows(sheet: string): ReadonlyArray<number> {
    return [...new Set(this.located.filter((v) => v.sheet === sheet).map((v) => v.row))].sort((a, b) => a - b)
  }
  override get message(): string {
    const all = [
      ...this.located.map(
        (v) =>
          `「${v.sheet}」第 ${v.row} 行${v.column === "" ? "" : ` ${v.column} 列`}${v.header === "" ? "" : `「${v.header}」`}: ${v.message} ` +
          `[row ${v.row}${v.column === "" ? "" : `, column ${v.column}`}, rule ${v.rule}]`
      ),
      ...this.unlocated.map((v) => `${v.message} [rule ${v.rule}]`)
    ]
    const shown = all.slice(0, 20)
    const more = all.length > shown.length ? `; … ${all.length - shown.length} more` : ""
    return (
      `台账核查未通过 (ledgers break the rules): ${all.length} 处违规 violation(s) — ` +
      `${shown.join("; ")}${more}; nothing was imported`
    )
  }
}

/**
 * The rows of an import report with their numbers.
 *
 * @since 0.1.0
 * @category utils
 */
export const numbered = <A>(
  report: Ledger.ImportReport<A>
): ReadonlyArray<{ readonly row: number; readonly value: A }> =>
  report.rows.map((value, i) => ({ row: report.rowNumbers[i] ?? 0, value }))

/**
 * Locates a breach at a row of a report: the cell of `field` (its letter as
 * the file has it, and its header in the spec).
 *
 * @since 0.1.0
 * @category constructors
 */
export const at = <A>(
  spec: Ledger.LedgerSpec<A>,
  report: Ledger.ImportReport<A>,
  row: number,
  field: string,
  rule: string,
  message: string
): LocatedViolation => ({
  sheet: report.sheet,
  row,
  column: Object.hasOwn(report.letters, field) ? (report.letters[field] ?? "") : "",
  header: spec.columns.find((c) => c.field === field)?.header ?? "",
  field,
  rule,
  message
})

const order = (a: LocatedViolation, b: LocatedViolation): number =>
  a.sheet < b.sheet
    ? -1
    : a.sheet > b.sheet
      ? 1
      : a.row - b.row ||
        a.column.length - b.column.length ||
        (a.column < b.column ? -1 : a.column > b.column ? 1 : a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)

/**
 * The breaches as an error (sorted), or `undefined` when there are none.
 *
 * @since 0.1.0
 * @category constructors
 */
export const failure = (
  located: ReadonlyArray<LocatedViolation>,
  unlocated: ReadonlyArray<UnlocatedViolation> = []
): LedgerCheckFailed | undefined =>
  located.length === 0 && unlocated.length === 0
    ? undefined
    : new LedgerCheckFailed({ located: [...located].sort(order), unlocated: [...unlocated] })
