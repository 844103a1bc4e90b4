/**
 * 案件台账 — the case ledger the scorecard reads: one row per case, the
 * instants of its steps as a command centre exports them (Chinese headers,
 * wall-clock time at UTC+8):
 *
 * | 列 | 字段 | 说明 |
 * | --- | --- | --- |
 * | 案件编号 | `caseId` | unique in the file |
 * | 社区 | `community` | the community's name (or unit id) in the unit ledger |
 * | 来源 | `source` | 网格员巡查, 12345 热线, 居民 App, 上级交办 … |
 * | 小类 | `categoryId` | the 小类 name (上水井盖 …) or id (BJ-0101) of the standard catalogue |
 * | 紧急程度 | `urgency` | 一般, 紧急, 特急 |
 * | 上报时间 | `reportedAt` | required |
 * | 立案时间 | `acceptedAt` | empty: not accepted yet |
 * | 派遣时间 | `dispatchedAt` | to the 小类's department, or to the community when it has none |
 * | 处置时间 | `handledAt` | the handler's (first) feedback 处理反馈 |
 * | 返工时间 | `reworkAt` | a failed on-site verification 核查不通过 (empty: none) |
 * | 返工处置时间 | `reworkHandledAt` | the feedback after the rework |
 * | 结案时间 | `closedAt` | the verification that passed 核查通过结案 |
 * | 回访时间 | `evaluatedAt` | the return visit 回访 |
 * | 回访结果 | `rating` | 满意, 基本满意, 不满意, 无法联系, 拒绝评价 |
 *
 * **Every bad cell is reported** with its row (as Excel numbers it, the
 * header is row 1) and column: a malformed date, an unknown 社区 or 小类, and
 * the cross-field rules of the closed loop — a step needs the one before it
 * (处置 needs 派遣 …) and no step comes before the one it follows (a 结案时间
 * earlier than the 处置时间 is reported at 结案时间). A repeated 案件编号 is
 * reported at each later row.
 *
 * **Rows become events through the core's decider.** Each row is replayed as
 * the commands a real command centre would give (`Case.execute`: 上报 by the
 * grid worker, the hotline, a resident or the street; 立案, 派遣 and 核查 by the
 * community staff; 处置 by the dispatched department or the community; 回访
 * by the community or the hotline), so the indicators are computed from
 * histories that obey every rule of the loop.
 *
 * @since 0.1.0
 */
import { type Actor, ActorId, DepartmentId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import { UnitId } from "@civicgrid/core/Unit"
import * as Csv from "@civicgrid/ledger/Csv"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { District } from "./units.js"

// -----------------------------------------------------------------------------
// the row
// -----------------------------------------------------------------------------

const OptionalTime = Schema.optionalWith(Schema.DateTimeUtc, { exact: true })

/**
 * 案件台账行 — the fields of one row (before the checks that need the
 * district and the catalogue, see `spec`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CaseRowFields = Schema.Struct({
  caseId: Case.CaseId,
  community: Schema.NonEmptyTrimmedString,
  source: Case.Source,
  categoryId: CaseCategory.CategoryId,
  urgency: CaseCategory.Urgency,
  reportedAt: Schema.DateTimeUtc,
  acceptedAt: OptionalTime,
  dispatchedAt: OptionalTime,
  handledAt: OptionalTime,
  reworkAt: OptionalTime,
  reworkHandledAt: OptionalTime,
  closedAt: OptionalTime,
  evaluatedAt: OptionalTime,
  rating: Schema.optionalWith(Case.Rating, { exact: true })
}).annotations({ identifier: "CaseRow", title: "案件台账行 case row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CaseRow extends Schema.Schema.Type<typeof CaseRowFields> {}

/**
 * 时间列 — the time columns in loop order, with their Chinese headers.
 *
 * @since 0.1.0
 * @category constants
 */
export const timeColumns = [
  ["reportedAt", "上报时间"],
  ["acceptedAt", "立案时间"],
  ["dispatchedAt", "派遣时间"],
  ["handledAt", "处置时间"],
  ["reworkAt", "返工时间"],
  ["reworkHandledAt", "返工处置时间"],
  ["closedAt", "结案时间"],
  ["evaluatedAt", "回访时间"]
] as const

type TimeField = (typeof timeColumns)[number][0]

const headerText = (field: TimeField): string => timeColumns.find(([f]) => f === field)?.[1] ?? field

/** Which earlier time column each one needs (the loop's order). */
const needs: Readonly<Record<Exclude<TimeField, "reportedAt">, TimeField>> = {
  acceptedAt: "reportedAt",
  dispatchedAt: "acceptedAt",
  handledAt: "dispatchedAt",
  reworkAt: "handledAt",
  reworkHandledAt: "reworkAt",
  closedAt: "handledAt",
  evaluatedAt: "closedAt"
}

const wallClock = (t: DateTime.Utc): string => Ledger.formatDate(DateTime.toDate(t), 480)

/**
 * 闭环次序 — the cross-field rules of a row, each as an issue at the column
 * that breaks it: a step needs the one before it, no step is earlier than the
 * step before it, a rework needs its feedback before the closure, and a
 * return visit has both its time and its result.
 *
 * @since 0.1.0
 * @category validation
 */
export const timelineIssues = (row: CaseRow): ReadonlyArray<Schema.FilterIssue> => {
  const out: Array<Schema.FilterIssue> = []
  let previous: { readonly field: TimeField; readonly at: DateTime.Utc } = {
    field: "reportedAt",
    at: row.reportedAt
  }
  for (const [field] of timeColumns) {
    if (field === "reportedAt") continue
    const at = row[field]
    if (at === undefined) continue
    const needed = needs[field]
    if (row[needed] === undefined) {
      out.push({
        path: [field],
        message: `已填${headerText(field)}却未填${headerText(needed)} (${field} needs ${needed})`
      })
    } else if (DateTime.lessThan(at, previous.at)) {
      out.push({
        path: [field],
        message: `${headerText(field)} ${wallClock(at)} 早于${headerText(previous.field)} ${wallClock(previous.at)} (${field} is before ${previous.field})`
      })
    }
    previous = { field, at }
  }
  if (row.closedAt !== undefined && row.reworkAt !== undefined && row.reworkHandledAt === undefined) {
    out.push({
      path: ["closedAt"],
      message: "返工后未填返工处置时间就结案 (a reworked case needs its rework feedback before it closes)"
    })
  }
  if (row.evaluatedAt !== undefined && row.rating === undefined) {
    out.push({ path: ["rating"], message: "已填回访时间，回访结果必填 (a return visit needs its result)" })
  }
  if (row.rating !== undefined && row.evaluatedAt === undefined) {
    out.push({ path: ["evaluatedAt"], message: "已填回访结果，回访时间必填 (a return visit needs its time)" })
  }
  return out
}

// -----------------------------------------------------------------------------
// the spec
// -----------------------------------------------------------------------------

/**
 * 紧急程度名称 — how urgencies are written.
 *
 * @since 0.1.0
 * @category constants
 */
export const urgencyLabels: Readonly<Record<CaseCategory.Urgency, string>> = {
  normal: "一般",
  urgent: "紧急",
  critical: "特急"
}

/**
 * 台账上下文 — what the checks and the replay need: the district (its
 * communities) and the category catalogue (default the standard one).
 *
 * @since 0.1.0
 * @category models
 */
export interface LedgerContext {
  readonly district: District
  readonly catalogue?: CaseCategory.Catalogue
}

const catalogueOf = (context: LedgerContext): CaseCategory.Catalogue =>
  context.catalogue ?? CaseCategory.Standard

const knownIssues = (context: LedgerContext, row: CaseRow): ReadonlyArray<Schema.FilterIssue> => {
  const out: Array<Schema.FilterIssue> = []
  if (!context.district.communityByKey.has(row.community)) {
    const names = context.district.communities.map((c) => c.name).join("、")
    out.push({
      path: ["community"],
      message: `不是${context.district.district.name}的社区 (unknown community; known: ${names})`
    })
  }
  if (Option.isNone(CaseCategory.getMinor(catalogueOf(context), row.categoryId))) {
    out.push({ path: ["categoryId"], message: "不是目录中的小类 (not a minor class of the catalogue)" })
  }
  return out
}

/**
 * 案件台账 — the ledger spec for a district: the row fields, with the
 * timeline rules and the checks of 社区 and 小类 against the district and the
 * catalogue, each reported at its cell.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec = (context: LedgerContext): Ledger.LedgerSpec<CaseRow> =>
  Ledger.make({
    sheet: "案件台账",
    schema: CaseRowFields.pipe(
      Schema.filter((row) => [...knownIssues(context, row), ...timelineIssues(row)])
    ),
    headers: {
      caseId: { header: "案件编号", width: 14 },
      community: "社区",
      source: { header: "来源", labels: Case.sourceNames },
      categoryId: {
        header: "小类",
        labels: Object.fromEntries(CaseCategory.minors(catalogueOf(context)).map((m) => [m.id, m.name]))
      },
      urgency: { header: "紧急程度", labels: urgencyLabels },
      reportedAt: "上报时间",
      acceptedAt: "立案时间",
      dispatchedAt: "派遣时间",
      handledAt: "处置时间",
      reworkAt: "返工时间",
      reworkHandledAt: "返工处置时间",
      closedAt: "结案时间",
      evaluatedAt: "回访时间",
      rating: { header: "回访结果", labels: Case.ratingNames }
    }
  })

// -----------------------------------------------------------------------------
// rows → events
// -----------------------------------------------------------------------------

/**
 * 演示身份 — the actors a row's commands are given by.
 *
 * @since 0.1.0
 * @category constructors
 */
export const actors = {
  gridWorker: (communityId: string): Actor => ({
    id: ActorId.make(`gw-${communityId}`),
    role: "grid-worker",
    unitId: UnitId.make(communityId)
  }),
  communityStaff: (communityId: string): Actor => ({
    id: ActorId.make(`cs-${communityId}`),
    role: "community-staff",
    unitId: UnitId.make(communityId)
  }),
  streetStaff: (streetId: string): Actor => ({
    id: ActorId.make(`ss-${streetId}`),
    role: "street-staff",
    unitId: UnitId.make(streetId)
  }),
  hotline: (districtId: string): Actor => ({
    id: ActorId.make("hotline-12345"),
    role: "hotline",
    unitId: UnitId.make(districtId)
  }),
  resident: (caseId: string, communityId: string): Actor => ({
    id: ActorId.make(`r-${caseId}`),
    role: "resident",
    unitId: UnitId.make(communityId)
  }),
  department: (districtId: string, departmentId: string): Actor => ({
    id: ActorId.make(`dept-${departmentId}`),
    role: "department",
    unitId: UnitId.make(districtId),
    departmentId: DepartmentId.make(departmentId)
  })
}

/**
 * 台账行不可重放 — a row the decider refused (or whose 社区 / 小类 is unknown
 * to the context): the case and the reason.
 *
 * @since 0.1.0
 * @category errors
 */
export class RowNotReplayable extends Schema.TaggedError<RowNotReplayable>()("RowNotReplayable", {
  caseId: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `案件 ${this.caseId} 无法按闭环重放 (the row cannot be replayed): ${this.reason}`
  }
}

/**
 * 指令序列 — the commands a row stands for, in order.
 *
 * @since 0.1.0
 * @category constructors
 */
export const commandsOf = (
  context: LedgerContext,
  row: CaseRow
): Either.Either<ReadonlyArray<CaseCommand>, RowNotReplayable> => {
  const community = context.district.communityByKey.get(row.community)
  const category = CaseCategory.getMinor(catalogueOf(context), row.categoryId)
  if (community === undefined || Option.isNone(category)) {
    return Either.left(
      new RowNotReplayable({ caseId: row.caseId, reason: "未知社区或小类 (unknown community or category)" })
    )
  }
  const districtId = context.district.district.id
  const communityId = community.id
  const street = context.district.streetOf.get(communityId)
  const staff = actors.communityStaff(communityId)
  const departmentId = category.value.departmentId
  const handler = departmentId === undefined ? staff : actors.department(districtId, departmentId)
  const reporter: Actor =
    row.source === "patrol"
      ? actors.gridWorker(communityId)
      : row.source === "hotline"
        ? actors.hotline(districtId)
        : row.source === "assigned" && street !== undefined
          ? actors.streetStaff(street.id)
          : actors.resident(row.caseId, communityId)
  const caseId = row.caseId
  const commands: Array<CaseCommand> = [
    {
      _tag: "Report",
      caseId,
      actor: reporter,
      at: row.reportedAt,
      source: row.source,
      categoryId: row.categoryId,
      urgency: row.urgency,
      description: `${community.name}：${category.value.name}`,
      location: { unitId: communityId },
      communityId,
      tier: "community",
      anonymous: false
    }
  ]
  const evidence = (n: number) => [`photo://${caseId}/after-${n}.jpg`]
  if (row.acceptedAt !== undefined)
    commands.push({ _tag: "Accept", caseId, actor: staff, at: row.acceptedAt })
  if (row.dispatchedAt !== undefined) {
    commands.push({
      _tag: "Dispatch",
      caseId,
      actor: staff,
      at: row.dispatchedAt,
      target:
        departmentId === undefined
          ? { _tag: "Unit", unitId: communityId }
          : { _tag: "Department", departmentId: DepartmentId.make(departmentId) }
    })
  }
  if (row.handledAt !== undefined) {
    commands.push({
      _tag: "Handle",
      caseId,
      actor: handler,
      at: row.handledAt,
      result: "已处置",
      evidence: evidence(1)
    })
  }
  if (row.reworkAt !== undefined) {
    commands.push({
      _tag: "Verify",
      caseId,
      actor: staff,
      at: row.reworkAt,
      outcome: "fail",
      note: "现场核查未整改到位"
    })
  }
  if (row.reworkHandledAt !== undefined) {
    commands.push({
      _tag: "Handle",
      caseId,
      actor: handler,
      at: row.reworkHandledAt,
      result: "返工处置完毕",
      evidence: evidence(2)
    })
  }
  if (row.closedAt !== undefined) {
    commands.push({ _tag: "Verify", caseId, actor: staff, at: row.closedAt, outcome: "pass" })
  }
  if (row.evaluatedAt !== undefined && row.rating !== undefined) {
    commands.push({
      _tag: "Evaluate",
      caseId,
      actor: row.source === "hotline" ? actors.hotline(districtId) : staff,
      at: row.evaluatedAt,
      rating: row.rating
    })
  }
  return Either.right(commands)
}

/**
 * 重放 — a row's events: its commands run through the core's decider
 * (`Case.execute`) from the empty state. Left when a command is refused.
 *
 * @since 0.1.0
 * @category constructors
 */
export const eventsOf = (
  context: LedgerContext,
  row: CaseRow
): Either.Either<ReadonlyArray<CaseEvent>, RowNotReplayable> =>
  Either.flatMap(commandsOf(context, row), (commands) => {
    let state: Case.State = Case.initial
    const events: Array<CaseEvent> = []
    for (const command of commands) {
      const result = Case.execute(state, command)
      if (Either.isLeft(result)) {
        return Either.left(new RowNotReplayable({ caseId: row.caseId, reason: result.left.message }))
      }
      state = result.right.state
      events.push(...result.right.events)
    }
    return Either.right(events)
  })

// -----------------------------------------------------------------------------
// reading
// -----------------------------------------------------------------------------

/**
 * 已读台账 — the rows, their events (every case's history), and the row
 * number each case came from.
 *
 * @since 0.1.0
 * @category models
 */
export interface CaseLedger {
  readonly rows: ReadonlyArray<CaseRow>
  readonly events: ReadonlyArray<CaseEvent>
  readonly rowOf: ReadonlyMap<string, number>
}

/**
 * 读取案件台账 — reads the CSV (text or bytes): every bad cell, a repeated
 * 案件编号 or a row the decider refuses is a `LedgerImportError` naming its row
 * (and column); a file that is not CSV at all is a `CsvSyntaxError`. Nothing
 * is accepted partially.
 *
 * @since 0.1.0
 * @category import
 */
export const read = (
  context: LedgerContext,
  input: string | Uint8Array
): Either.Either<CaseLedger, Ledger.LedgerImportError | Ledger.LedgerLimitExceeded | Csv.CsvSyntaxError> =>
  Either.flatMap(
    Csv.parseRows(input),
    (
      source
    ): Either.Either<
      CaseLedger,
      Ledger.LedgerImportError | Ledger.LedgerLimitExceeded | Csv.CsvSyntaxError
    > => {
      const { duplicates, rowOf } = locate(source)
      const reject = (
        headerProblems: ReadonlyArray<Ledger.HeaderProblem>,
        rowProblems: ReadonlyArray<Ledger.RowProblem>
      ) =>
        Either.left(
          new Ledger.LedgerImportError({
            sheet: sheet,
            headerProblems,
            rowProblems: [...rowProblems].sort(byPlace)
          })
        )
      const decoded = Ledger.fromRows(spec(context), source)
      if (Either.isLeft(decoded)) {
        return reject(decoded.left.headerProblems, [...decoded.left.rowProblems, ...duplicates])
      }
      const repeated = new Set(duplicates.map((p) => p.value))
      const problems: Array<Ledger.RowProblem> = [...duplicates]
      const events: Array<CaseEvent> = []
      for (const row of decoded.right) {
        if (repeated.has(row.caseId)) continue
        const replayed = eventsOf(context, row)
        if (Either.isLeft(replayed)) {
          problems.push({
            row: rowOf.get(row.caseId) ?? 0,
            column: "",
            header: "",
            field: "",
            rule: "row",
            message: replayed.left.message,
            value: ""
          })
        } else events.push(...replayed.right)
      }
      if (problems.length > 0) return reject([], problems)
      return Either.right({ rows: decoded.right, events, rowOf })
    }
  )

const sheet = "案件台账"
const idHeader = "案件编号"

const columnIndex = (letters: string): number =>
  letters === "" ? Number.MAX_SAFE_INTEGER : [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0)

const byPlace = (a: Ledger.RowProblem, b: Ledger.RowProblem): number =>
  a.row - b.row || columnIndex(a.column) - columnIndex(b.column)

/** Where each case id sits in the file, and every repeat of one (reported at the later rows). */
const locate = (
  source: ReadonlyArray<Ledger.SourceRow>
): { readonly duplicates: ReadonlyArray<Ledger.RowProblem>; readonly rowOf: ReadonlyMap<string, number> } => {
  const isIdHeader = (c: Ledger.Cell) => typeof c === "string" && c.trim() === idHeader
  const header = source.slice(0, 10).find((r) => r.cells.some(isIdHeader))
  const position = header?.cells.findIndex(isIdHeader) ?? -1
  const rowsOf = new Map<string, Array<number>>()
  if (header !== undefined && position >= 0) {
    for (const r of source) {
      const cell = r.cells[position]
      if (r.row <= header.row || typeof cell !== "string" || cell === "") continue
      const list = rowsOf.get(cell)
      if (list === undefined) rowsOf.set(cell, [r.row])
      else list.push(r.row)
    }
  }
  const column = Ledger.columnLetter(Math.max(0, position))
  const duplicates: Array<Ledger.RowProblem> = []
  const rowOf = new Map<string, number>()
  for (const [caseId, [first, ...later]] of rowsOf) {
    if (first === undefined) continue
    rowOf.set(caseId, first)
    for (const row of later) {
      duplicates.push({
        row,
        column,
        header: idHeader,
        field: "caseId",
        rule: "invalid",
        message: `案件编号重复，首次出现在第 ${first} 行 (duplicate case id; first at row ${first})`,
        value: caseId
      })
    }
  }
  return { duplicates, rowOf }
}

/**
 * 导出案件台账 — writes rows as the CSV ledger (with a BOM, for Excel).
 *
 * @since 0.1.0
 * @category export
 */
export const write = (
  context: LedgerContext,
  rows: ReadonlyArray<CaseRow>
): Either.Either<string, Ledger.LedgerExportError> => Csv.write(spec(context), rows)
