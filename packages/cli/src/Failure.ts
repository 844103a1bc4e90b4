/**
 * 错误信息 — the one place a command's failure becomes the text the user
 * reads on stderr. Every failure is a typed value; most carry their own
 * message, and a few are laid out here for a terminal: a rejected ledger
 * lists every bad cell on its own line (row, column, header, field, rule,
 * message, value), refused list and base-data writes (hierarchy, party
 * organisations, grid data, departments, coverage) list every violation, bad seed sizes
 * name the command-line option, SQL errors show the driver's reason, a store
 * that cannot serve now (`Storage.StorageUnavailable`, or SQLite's
 * `database is locked`) is one line with a hint to retry. No stack trace is
 * shown for any of them, nor for an SQL error that ended a command as a
 * defect; only other defects (bugs) get one.
 *
 * @since 0.1.0
 */
import type * as ProblemList from "@civicgrid/core/ProblemList"
import type * as ResourceList from "@civicgrid/core/ResourceList"
import * as Storage from "@civicgrid/core/Storage"
import type * as Cases from "@civicgrid/demo/Cases"
import type * as District from "@civicgrid/demo/District"
import type * as Ledger from "@civicgrid/ledger/Ledger"
import * as SqlStorage from "@civicgrid/sql/SqlStorage"
import type { SqlError } from "@effect/sql/SqlError"
import * as ConfigError from "effect/ConfigError"
import * as Predicate from "effect/Predicate"
import * as Seed from "./commands/Seed.js"

/** The core's task-list error, by shape (its module is heavy to load just for a type guard). */
interface TaskListInvalid {
  readonly _tag: "TaskListInvalid"
  readonly violations: ReadonlyArray<{ readonly message: string }>
}

const tagged =
  <T extends { readonly _tag: string }>(tag: T["_tag"]) =>
  (u: unknown): u is T =>
    Predicate.isTagged(u, tag)

const isLedgerImportError = tagged<Ledger.LedgerImportError>("LedgerImportError")
const isInvalidDistrictOptions = tagged<District.InvalidDistrictOptions>("InvalidDistrictOptions")
const isInvalidCaseOptions = tagged<Cases.InvalidCaseOptions>("InvalidCaseOptions")
const isProblemListInvalid = tagged<ProblemList.ProblemListInvalid>("ProblemListInvalid")
const isResourceListInvalid = tagged<ResourceList.ResourceListInvalid>("ResourceListInvalid")
const isTaskListInvalid = tagged<TaskListInvalid>("TaskListInvalid")
const isSqlError = tagged<SqlError>("SqlError")

/** 基础数据 — the refused base-data writes, by tag: what was refused (their violations carry messages). */
const refusedBaseData: Readonly<Record<string, string>> = {
  HierarchyInvalid: "行政层级无效 units refused",
  PartyOrganizationInvalid: "党组织无效 party organisations refused",
  GridDataInvalid: "网格数据无效 grid data refused",
  DepartmentsInvalid: "职能部门无效 departments refused",
  CoverageRefused: "网格覆盖规则不允许 coverage rule broken",
  PolicyRefused: "配置无效 policy refused"
}

const isRefusedBaseData = (
  u: unknown
): u is { readonly _tag: string; readonly violations: ReadonlyArray<{ readonly message: string }> } =>
  Predicate.hasProperty(u, "_tag") &&
  Predicate.isString(u._tag) &&
  u._tag in refusedBaseData &&
  Predicate.hasProperty(u, "violations") &&
  Array.isArray(u.violations)
const isStorageUnavailable = tagged<Storage.StorageUnavailable>("StorageUnavailable")

/** One line: line breaks and runs of spaces of a driver's text collapsed. */
const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim()

/**
 * The hint every "store cannot serve now" line ends with.
 *
 * @since 0.1.0
 * @category constants
 */
export const retryHint = "nothing was written; 请稍后重试 try the command again"

/**
 * How many violations of a refused write are listed before “… n more”.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxListed = 50

const listed = (lines: ReadonlyArray<string>): ReadonlyArray<string> =>
  lines.length > maxListed ? [...lines.slice(0, maxListed), `  … ${lines.length - maxListed} more`] : lines

/**
 * One bad cell of a rejected ledger, as a line, Chinese first: `第 3 行 H 列「需求量」:
 * 不是数字 (not a number) [row 3, column H, field demand, rule type] (cell: "很多")`.
 *
 * @since 0.1.0
 * @category utils
 */
export const rowProblemLine = (p: Ledger.RowProblem): string => {
  const where = `第 ${p.row} 行${p.column === "" ? "" : ` ${p.column} 列`}${p.header === "" ? "" : `「${p.header}」`}`
  const english = [
    `row ${p.row}`,
    ...(p.column === "" ? [] : [`column ${p.column}`]),
    `field ${p.field === "" ? "(row)" : p.field}`,
    `rule ${p.rule}`
  ].join(", ")
  const value = p.value === "" ? "" : ` (cell: ${JSON.stringify(p.value)})`
  return `  ${where}: ${p.message} [${english}]${value}`
}

/**
 * One header problem of a rejected ledger, as a line, Chinese first.
 *
 * @since 0.1.0
 * @category utils
 */
export const headerProblemLine = (p: Ledger.HeaderProblem): string => {
  const where = `表头${p.column === "" ? "" : ` ${p.column} 列`}${p.header === "" ? "" : `「${p.header}」`}`
  const english = [
    "header row",
    ...(p.column === "" ? [] : [`column ${p.column}`]),
    ...(p.field === "" ? [] : [`field ${p.field}`]),
    `rule ${p.rule}`
  ].join(", ")
  return `  ${where}: ${p.message} [${english}]`
}

const reasonOf = (cause: unknown): string =>
  cause instanceof Error ? cause.message : Predicate.isString(cause) ? cause : ""

/**
 * The text of a failure, without the `civicgrid:` prefix; several lines for
 * a rejected ledger or a refused write.
 *
 * @since 0.1.0
 * @category utils
 */
export const message = (error: unknown): string => {
  if (isLedgerImportError(error)) {
    return [
      `台账「${error.sheet}」导入失败 ledger rejected: ${error.headerProblems.length} header problem(s), ` +
        `${error.rowProblems.length} bad cell(s) in ${error.badRows.length} row(s); nothing was imported`,
      ...error.headerProblems.map(headerProblemLine),
      ...error.rowProblems.map(rowProblemLine)
    ].join("\n")
  }
  if (isInvalidDistrictOptions(error) || isInvalidCaseOptions(error)) {
    const what = isInvalidDistrictOptions(error)
      ? "示范区选项无效 invalid district size"
      : "案件选项无效 invalid case options"
    return [
      `${what}; nothing was changed`,
      ...error.violations.map(
        (v) => `  ${Seed.flags[v.field]} (${v.field}) must be ${v.rule} (got ${String(v.value)})`
      )
    ].join("\n")
  }
  if (isProblemListInvalid(error) || isResourceListInvalid(error) || isTaskListInvalid(error)) {
    const what = isProblemListInvalid(error)
      ? "问题清单无效 problems refused"
      : isResourceListInvalid(error)
        ? "资源清单无效 resources refused"
        : "任务清单无效 tasks refused"
    return [
      `${what} (${error.violations.length} violation(s)); nothing was imported`,
      ...listed(error.violations.map((v) => `  ${v.message}`))
    ].join("\n")
  }
  if (isRefusedBaseData(error)) {
    return [
      `${refusedBaseData[error._tag]} (${error.violations.length} violation(s)); nothing was imported`,
      ...listed(error.violations.map((v) => `  ${v.message}`))
    ].join("\n")
  }
  if (isStorageUnavailable(error)) return `${oneLine(error.message)} — ${retryHint}`
  if (isSqlError(error)) {
    const detail = reasonOf(error.cause)
    const text = `${error.message}${detail === "" || detail === error.message ? "" : `: ${detail}`}`
    const unavailable = SqlStorage.toUnavailable(error)
    return unavailable === undefined
      ? `数据库错误 database error: ${oneLine(text)}`
      : `${Storage.reasonText(unavailable.reason)}: ${oneLine(text)} — ${retryHint}`
  }
  if (ConfigError.isConfigError(error)) return `配置错误 configuration error: ${String(error)}`
  if (Predicate.hasProperty(error, "message") && Predicate.isString(error.message) && error.message !== "") {
    return error.message
  }
  return String(error)
}

/**
 * The one line of a defect that is not a bug of the CLI but a database that
 * failed under it (an `SqlError` or `StorageUnavailable` that a layer let
 * through as a defect), or `undefined` for any other defect.
 *
 * @since 0.1.0
 * @category utils
 */
export const defectMessage = (defect: unknown): string | undefined =>
  isSqlError(defect) || isStorageUnavailable(defect) ? message(defect) : undefined
