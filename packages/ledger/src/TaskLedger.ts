/**
 * 任务清单台账 — the task list ledger (`TaskList.ts`): one row per task, the
 * third of the community experience report's "三张清单" (tasks that match problems to resources, with
 * an owner, a deadline, supervision 督办 and an overdue state).
 *
 * The owner, a union, is kept in two plain cells: 责任主体类型 (属地单元 or
 * 职能部门) and 责任单位/部门 (the unit's or the department's id). Supervision
 * is 督办 (是/否) with 督办单位, 督办级别 and 督办时间 (filled exactly when 督办 is
 * 是) and an optional 督办说明.
 *
 * Whether a task is overdue depends on when you look. `spec` holds only the
 * task's own data. `specAt(asOf)` adds a 是否逾期 column computed at `asOf`
 * (see `overdueAt`); import checks that it is 是/否 or empty, and otherwise
 * ignores it.
 *
 * Import checks each row against the `TaskList.Task` schema. It does not check
 * that problems, resources and owner units exist, nor that the status fields
 * fit the status; check those against the other lists after import.
 *
 * @since 0.1.0
 */
import { DepartmentId } from "@civicgrid/core/Actor"
import * as TaskList from "@civicgrid/core/TaskList"
import { UnitId } from "@civicgrid/core/Unit"
import type * as DateTime from "effect/DateTime"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"
import * as Ledger from "./Ledger.js"

/**
 * 责任主体类型 — the `_tag` of a `TaskList.Owner`: `Unit` 属地单元 or
 * `Department` 职能部门.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OwnerKind = Schema.Literal("Unit", "Department").annotations({
  identifier: "TaskOwnerKind",
  title: "责任主体类型 owner kind"
})

/**
 * @since 0.1.0
 * @category models
 */
export type OwnerKind = typeof OwnerKind.Type

/**
 * Chinese names of the owner kinds.
 *
 * @since 0.1.0
 * @category constants
 */
export const ownerKindNames: Readonly<Record<OwnerKind, string>> = {
  Unit: "属地单元",
  Department: "职能部门"
}

/**
 * Chinese names of `TaskList.Timeliness`: 按期办结, 逾期办结.
 *
 * @since 0.1.0
 * @category constants
 */
export const timelinessNames: Readonly<Record<TaskList.Timeliness, string>> = {
  "on-time": "按期办结",
  late: "逾期办结"
}

const supervisionIssues = (row: {
  readonly supervised: boolean
  readonly supervisionUnitId?: string
  readonly supervisionLevel?: string
  readonly supervisedAt?: unknown
  readonly supervisionNote?: string
}): ReadonlyArray<Schema.FilterIssue> => {
  const cells = [
    ["supervisionUnitId", row.supervisionUnitId],
    ["supervisionLevel", row.supervisionLevel],
    ["supervisedAt", row.supervisedAt]
  ] as const
  if (row.supervised) {
    return cells
      .filter(([, value]) => value === undefined)
      .map(([field]) => ({
        path: [field],
        message: "督办的任务须填写督办单位、督办级别和督办时间 (required when supervised)"
      }))
  }
  const filled = [...cells, ["supervisionNote", row.supervisionNote] as const].filter(
    ([, value]) => value !== undefined
  )
  return filled.map(([field]) => ({
    path: [field],
    message: "未督办的任务不填督办信息 (督办 is 否: leave the supervision cells empty)"
  }))
}

const rowFields = {
  ...TaskList.Task.omit("owner", "supervision").fields,
  ownerKind: OwnerKind,
  ownerId: Schema.NonEmptyTrimmedString,
  supervised: Schema.Boolean,
  supervisionUnitId: Schema.optionalWith(UnitId, { exact: true }),
  supervisionLevel: Schema.optionalWith(TaskList.SupervisionLevel, { exact: true }),
  supervisedAt: Schema.optionalWith(Schema.DateTimeUtc, { exact: true }),
  supervisionNote: Schema.optionalWith(Schema.String, { exact: true })
}

/**
 * 任务清单台账行 — a task as a flat row: the fields of `TaskList.Task`, with
 * the owner as `ownerKind` and `ownerId`, and the supervision as `supervised`
 * (the 督办 flag), `supervisionUnitId`, `supervisionLevel`, `supervisedAt` and
 * `supervisionNote`. Import reports a supervision cell that does not fit the
 * flag at that cell.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskRow = Schema.Struct(rowFields)
  .pipe(Schema.filter(supervisionIssues))
  .annotations({ identifier: "TaskRow", title: "任务清单台账行 task row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TaskRow extends Schema.Schema.Type<typeof TaskRow> {}

/**
 * 任务清单台账行（含是否逾期） — a task row with the computed 是否逾期 flag.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskRowWithOverdue = Schema.Struct({
  ...rowFields,
  overdue: Schema.optionalWith(Schema.Boolean, { exact: true })
})
  .pipe(Schema.filter(supervisionIssues))
  .annotations({ identifier: "TaskRowWithOverdue", title: "任务清单台账行 task row (with 是否逾期)" })

/**
 * 是否逾期 — whether a task counts as overdue at `asOf`: it is still open after
 * its deadline (`TaskList.overdue`), or it was done late (`TaskList.isDoneLate`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const overdueAt = (task: TaskList.Task, asOf: DateTime.Utc): boolean =>
  TaskList.overdue(task, asOf) || TaskList.isDoneLate(task)

const toTask = (row: TaskRow, ast: AST.AST, input: unknown) => {
  const {
    ownerKind,
    ownerId,
    supervised,
    supervisionUnitId,
    supervisionLevel,
    supervisedAt,
    supervisionNote,
    ...rest
  } = row
  const owner: TaskList.Owner =
    ownerKind === "Unit"
      ? { _tag: "Unit", unitId: UnitId.make(ownerId, { disableValidation: true }) }
      : { _tag: "Department", departmentId: DepartmentId.make(ownerId, { disableValidation: true }) }
  if (!supervised) return ParseResult.succeed({ ...rest, owner })
  if (supervisionUnitId === undefined || supervisionLevel === undefined || supervisedAt === undefined) {
    return ParseResult.fail(
      new ParseResult.Type(
        ast,
        input,
        "督办的任务须填写督办单位、督办级别和督办时间 (required when supervised)"
      )
    )
  }
  const supervision: TaskList.Supervision = {
    unitId: supervisionUnitId,
    level: supervisionLevel,
    since: supervisedAt,
    ...(supervisionNote === undefined ? {} : { note: supervisionNote })
  }
  return ParseResult.succeed({ ...rest, owner, supervision })
}

const toRow = ({ owner, supervision, ...rest }: TaskList.Task): TaskRow => ({
  ...rest,
  ownerKind: owner._tag,
  ownerId: owner._tag === "Unit" ? owner.unitId : owner.departmentId,
  supervised: supervision !== undefined,
  ...(supervision === undefined
    ? {}
    : {
        supervisionUnitId: supervision.unitId,
        supervisionLevel: supervision.level,
        supervisedAt: supervision.since,
        ...(supervision.note === undefined ? {} : { supervisionNote: supervision.note })
      })
})

/**
 * A task from its flat row, and back.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskFromRow = Schema.transformOrFail(TaskRow, Schema.typeSchema(TaskList.Task), {
  strict: true,
  decode: (row, _options, ast, input) => toTask(row, ast, input),
  encode: (task) => ParseResult.succeed(toRow(task))
})

/**
 * A task from its flat row with 是否逾期 (ignored), and back (是否逾期 computed
 * at `asOf`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const taskFromRowAt = (asOf: DateTime.Utc) =>
  Schema.transformOrFail(TaskRowWithOverdue, Schema.typeSchema(TaskList.Task), {
    strict: true,
    decode: ({ overdue: _overdue, ...row }, _options, ast, input) => toTask(row, ast, input),
    encode: (task) => ParseResult.succeed({ ...toRow(task), overdue: overdueAt(task, asOf) })
  })

const leadingHeaders = {
  id: "任务编号",
  problemId: "问题编号",
  title: { header: "任务名称", width: 30 },
  workCode: "准入事项编码",
  resourceIds: "资源编号",
  ownerKind: { header: "责任主体类型", labels: ownerKindNames },
  ownerId: { header: "责任单位/部门", reference: "unit" },
  deadline: "截止时间",
  supervised: "督办",
  supervisionUnitId: { header: "督办单位", reference: "unit" },
  supervisionLevel: { header: "督办级别", labels: TaskList.supervisionLevelNames },
  supervisedAt: { header: "督办时间", kind: "date" },
  supervisionNote: { header: "督办说明", width: 24 },
  status: { header: "状态", labels: TaskList.statusNames },
  startedAt: "开始办理时间",
  completedAt: "办结时间",
  timeliness: { header: "办结时效", labels: timelinessNames }
} as const

const trailingHeaders = {
  cancelledAt: "取消时间",
  cancelReason: { header: "取消原因", width: 24 }
} as const

/**
 * 任务清单台账 — the spec, without the 是否逾期 column (it depends on the date;
 * see `specAt`). Rows are `TaskList.Task` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<TaskList.Task> = Ledger.make({
  sheet: "任务清单台账",
  schema: TaskFromRow,
  headers: { ...leadingHeaders, ...trailingHeaders }
})

/**
 * 任务清单台账（含是否逾期） — the spec with a 是否逾期 column computed at `asOf`
 * (`overdueAt`), after 办结时效. Import reads the column if present (是/否 or
 * empty) and ignores its value; a ledger without it imports too.
 *
 * @since 0.1.0
 * @category specs
 */
export const specAt = (asOf: DateTime.Utc): Ledger.LedgerSpec<TaskList.Task> =>
  Ledger.make({
    sheet: "任务清单台账",
    schema: taskFromRowAt(asOf),
    headers: { ...leadingHeaders, overdue: "是否逾期", ...trailingHeaders }
  })
