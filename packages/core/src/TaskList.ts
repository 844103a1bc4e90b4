/**
 * 任务清单 — the task list: the tasks that match problems to resources, each
 * owned by a unit or a functional department, with a deadline, optional
 * supervision 督办, a status and an overdue state.
 *
 * Source: the community experience report (XX社区治理经验交流材料), the third of its "三张清单": "列出'任务
 * 清单'，确保治理成效。聚焦解决治理堵点，召开大党委联席会，组织文明办、公安、城管、房管、
 * 市场监管等部门，集中解决小区电瓶车乱停、飞线充电、杂物乱放等难题".
 *
 * **Status** 状态: `pending` 待办 → `in-progress` 办理中 → `done` 已办结, and
 * `cancelled` 已取消 from `pending` or `in-progress` (with a reason). A task done
 * after its deadline is recorded as done late (`timeliness: "late"` 逾期办结);
 * a done task is never overdue. Transitions are pure functions returning
 * `Either`; a refused move names the task, its status and the rule.
 *
 * **Access.** {@link assign} gives a task to an owner and checks the community
 * work access list (`AccessList`, the Panlong district report) when the owner is a unit of a
 * level the list governs. This module imports `AccessList`, never the reverse.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AccessList from "./AccessList.js"
import { DepartmentId } from "./Actor.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Instant from "./Instant.js"
import * as Ids from "./internal/plannerIds.js"
import { ProblemId } from "./ProblemList.js"
import { ResourceId } from "./ResourceList.js"
import * as Text from "./Text.js"
import { type Unit, UnitId } from "./Unit.js"

// ---------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------

/**
 * 任务标识 — the identifier of a task on the task list.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskId = Ids.TaskId

/**
 * @since 0.1.0
 * @category models
 */
export type TaskId = Ids.TaskId

/**
 * 任务状态 — `pending` 待办, `in-progress` 办理中, `done` 已办结, `cancelled` 已取消.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskStatus = Schema.Literal("pending", "in-progress", "done", "cancelled").annotations({
  identifier: "TaskStatus",
  title: "任务状态 task status",
  description: "pending 待办 | in-progress 办理中 | done 已办结 | cancelled 已取消"
})

/**
 * @since 0.1.0
 * @category models
 */
export type TaskStatus = typeof TaskStatus.Type

/**
 * Chinese names of the statuses.
 *
 * @since 0.1.0
 * @category constants
 */
export const statusNames: Readonly<Record<TaskStatus, string>> = {
  pending: "待办",
  "in-progress": "办理中",
  done: "已办结",
  cancelled: "已取消"
}

/**
 * 状态迁移表 — pending → in-progress | cancelled; in-progress → done | cancelled;
 * done and cancelled are final.
 *
 * @since 0.1.0
 * @category constants
 */
export const transitions: Readonly<Record<TaskStatus, ReadonlyArray<TaskStatus>>> = {
  pending: ["in-progress", "cancelled"],
  "in-progress": ["done", "cancelled"],
  done: [],
  cancelled: []
}

/**
 * 责任主体 — who owns the task: a unit (`Unit`, e.g. the community) or a
 * functional department (`Department`, e.g. 城管, 房管; `Actor.DepartmentId`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Owner = Schema.Union(
  Schema.TaggedStruct("Unit", { unitId: UnitId }),
  Schema.TaggedStruct("Department", { departmentId: DepartmentId })
).annotations({ identifier: "TaskOwner", title: "责任主体 owner" })

/**
 * @since 0.1.0
 * @category models
 */
export type Owner = typeof Owner.Type

/**
 * A unit owner.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unitOwner = (unitId: string): Owner => ({
  _tag: "Unit",
  unitId: UnitId.make(unitId, { disableValidation: true })
})

/**
 * A department owner.
 *
 * @since 0.1.0
 * @category constructors
 */
export const departmentOwner = (departmentId: string): Owner => ({
  _tag: "Department",
  departmentId: DepartmentId.make(departmentId, { disableValidation: true })
})

/**
 * 督办级别 — who supervises: `community` 社区督办, `street` 街道督办,
 * `district` 区督办, `city` 市督办 (lowest first).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SupervisionLevel = Schema.Literal("community", "street", "district", "city").annotations({
  identifier: "SupervisionLevel",
  title: "督办级别 supervision level"
})

/**
 * @since 0.1.0
 * @category models
 */
export type SupervisionLevel = typeof SupervisionLevel.Type

/**
 * Chinese names of the supervision levels.
 *
 * @since 0.1.0
 * @category constants
 */
export const supervisionLevelNames: Readonly<Record<SupervisionLevel, string>> = {
  community: "社区督办",
  street: "街道督办",
  district: "区督办",
  city: "市督办"
}

/**
 * 督办 — the supervision of a task: the supervising unit, the level and since
 * when. A task carries one exactly when it is supervised (the 督办 flag is
 * {@link isSupervised}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Supervision = Schema.Struct({
  /** 督办单位 — e.g. the street office. */
  unitId: UnitId,
  level: SupervisionLevel,
  since: Instant.DateTimeUtc,
  note: Schema.optionalWith(Text.Note, { exact: true })
}).annotations({ identifier: "Supervision", title: "督办 supervision" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Supervision extends Schema.Schema.Type<typeof Supervision> {}

/**
 * 办结时效 — `on-time` 按期办结 or `late` 逾期办结 (done after the deadline).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Timeliness = Schema.Literal("on-time", "late").annotations({
  identifier: "Timeliness",
  title: "办结时效 timeliness",
  description: "on-time 按期办结 | late 逾期办结"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Timeliness = typeof Timeliness.Type

/**
 * 任务 — one entry of the task list. Status fields: `startedAt` once in
 * progress; `completedAt` and `timeliness` once done; `cancelledAt` and
 * `cancelReason` once cancelled.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Task = Schema.Struct({
  id: TaskId,
  /** 对应问题 — the problem the task addresses. */
  problemId: ProblemId,
  /** 任务名称 — e.g. `"集中整治电瓶车乱停、飞线充电"`. */
  title: Text.line(Text.limits.title),
  /** 准入事项编码 — the access-list item the work falls under, when classified. */
  workCode: Schema.optionalWith(AccessList.WorkCode, { exact: true }),
  /** 资源 — the resources engaged, sorted. */
  resourceIds: Schema.Array(ResourceId).pipe(Schema.maxItems(Text.limits.references)),
  owner: Owner,
  /** 办结时限. */
  deadline: Instant.DateTimeUtc,
  supervision: Schema.optionalWith(Supervision, { exact: true }),
  status: TaskStatus,
  startedAt: Schema.optionalWith(Instant.DateTimeUtc, { exact: true }),
  completedAt: Schema.optionalWith(Instant.DateTimeUtc, { exact: true }),
  timeliness: Schema.optionalWith(Timeliness, { exact: true }),
  cancelledAt: Schema.optionalWith(Instant.DateTimeUtc, { exact: true }),
  cancelReason: Schema.optionalWith(Text.line(Text.limits.note), { exact: true })
}).annotations({ identifier: "Task", title: "任务 task" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Task extends Schema.Schema.Type<typeof Task> {}

/**
 * Builds a pending task without checks (for trusted data, tests and the
 * planner; use {@link assign} to give a task to an owner under the access
 * list). Resource ids are deduped and sorted.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (fields: {
  readonly id: string
  readonly problemId: string
  readonly title: string
  readonly workCode?: string
  readonly resourceIds: ReadonlyArray<string>
  readonly owner: Owner
  readonly deadline: DateTime.Utc
  readonly supervision?: Supervision
}): Task => {
  const task: Task = {
    id: TaskId.make(fields.id, { disableValidation: true }),
    problemId: ProblemId.make(fields.problemId, { disableValidation: true }),
    title: fields.title,
    resourceIds: Arr.dedupe(fields.resourceIds)
      .sort(Ids.compareStrings)
      .map((r) => ResourceId.make(r, { disableValidation: true })),
    owner: fields.owner,
    deadline: fields.deadline,
    status: "pending"
  }
  return {
    ...task,
    ...(fields.workCode === undefined
      ? {}
      : { workCode: AccessList.WorkCode.make(fields.workCode, { disableValidation: true }) }),
    ...(fields.supervision === undefined ? {} : { supervision: fields.supervision })
  }
}

// ---------------------------------------------------------------------------
// predicates
// ---------------------------------------------------------------------------

/**
 * Whether the task is still open: pending or in progress.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isOpen = (self: Task): boolean => self.status === "pending" || self.status === "in-progress"

/**
 * 督办 flag — whether the task is supervised.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isSupervised = (self: Task): boolean => self.supervision !== undefined

/**
 * 超期 — whether the task is overdue at `now`: it is still open (pending or in
 * progress) and `now` is after its deadline. Done and cancelled tasks are
 * never overdue.
 *
 * @since 0.1.0
 * @category predicates
 */
export const overdue = (self: Task, now: DateTime.Utc): boolean =>
  isOpen(self) && DateTime.greaterThan(now, self.deadline)

/**
 * 逾期办结 — whether the task was done after its deadline.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isDoneLate = (self: Task): boolean => self.status === "done" && self.timeliness === "late"

/**
 * 超期任务 — the tasks overdue at `now`, most overdue first (earliest deadline),
 * ties by id.
 *
 * @since 0.1.0
 * @category getters
 */
export const overdueTasks = (tasks: ReadonlyArray<Task>, now: DateTime.Utc): ReadonlyArray<Task> =>
  tasks
    .filter((t) => overdue(t, now))
    .sort(
      (a, b) =>
        DateTime.toEpochMillis(a.deadline) - DateTime.toEpochMillis(b.deadline) ||
        Ids.compareStrings(a.id, b.id)
    )

// ---------------------------------------------------------------------------
// transitions
// ---------------------------------------------------------------------------

/**
 * 任务操作 — `start` 开始办理, `complete` 办结, `cancel` 取消, `supervise` 督办,
 * `assign` 交办.
 *
 * @since 0.1.0
 * @category models
 */
export const TaskAction = Schema.Literal("start", "complete", "cancel", "supervise", "assign").annotations({
  identifier: "TaskAction",
  title: "任务操作 task action"
})

/**
 * @since 0.1.0
 * @category models
 */
export type TaskAction = typeof TaskAction.Type

/**
 * 任务规则 — why a move is refused: `illegal-transition` 状态不允许 (including
 * supervising or assigning a task that is no longer open), `reason-required`
 * 须说明取消原因, `time-order` 时间早于开始办理, `supervision-not-raised`
 * 督办级别未提高 (a supervised task may only be re-supervised at a higher level),
 * `unknown-owner` 责任单元不存在.
 *
 * @since 0.1.0
 * @category errors
 */
export const TaskRule = Schema.Literal(
  "illegal-transition",
  "reason-required",
  "time-order",
  "supervision-not-raised",
  "unknown-owner"
).annotations({ identifier: "TaskRule", title: "任务规则 task rule" })

/**
 * @since 0.1.0
 * @category errors
 */
export type TaskRule = typeof TaskRule.Type

const ruleText: Readonly<Record<TaskRule, string>> = {
  "illegal-transition": "状态不允许: the move is not allowed from this status",
  "reason-required": "须说明取消原因: cancelling needs a non-blank reason",
  "time-order": "时间早于开始办理: the time is before the task was started",
  "supervision-not-raised": "督办级别未提高: a supervised task may only be re-supervised at a higher level",
  "unknown-owner": "责任单元不存在: the owner unit is not in the hierarchy"
}

/**
 * 操作被拒绝 — a refused move: the task, its status, the action and the rule.
 * The task is left unchanged.
 *
 * @since 0.1.0
 * @category errors
 */
export class TaskRefused extends Schema.TaggedError<TaskRefused>()("TaskRefused", {
  taskId: TaskId,
  status: TaskStatus,
  action: TaskAction,
  rule: TaskRule
}) {
  override get message(): string {
    return `task ${this.taskId} (${this.status} ${statusNames[this.status]}): ${this.action} refused — [${this.rule}] ${ruleText[this.rule]}`
  }
}

const refuse = (t: Task, action: TaskAction, rule: TaskRule) =>
  Either.left(new TaskRefused({ taskId: t.id, status: t.status, action, rule }))

const can = (t: Task, to: TaskStatus): boolean => transitions[t.status].includes(to)

/**
 * 开始办理 — pending → in-progress.
 *
 * @since 0.1.0
 * @category transitions
 */
export const start = (self: Task, params: { readonly at: DateTime.Utc }): Either.Either<Task, TaskRefused> =>
  can(self, "in-progress")
    ? Either.right({ ...self, status: "in-progress", startedAt: params.at })
    : refuse(self, "start", "illegal-transition")

/**
 * 办结 — in-progress → done; records the time and whether it was on time
 * (`late` when `at` is after the deadline).
 *
 * @since 0.1.0
 * @category transitions
 */
export const complete = (
  self: Task,
  params: { readonly at: DateTime.Utc }
): Either.Either<Task, TaskRefused> => {
  if (!can(self, "done")) return refuse(self, "complete", "illegal-transition")
  if (self.startedAt !== undefined && DateTime.lessThan(params.at, self.startedAt)) {
    return refuse(self, "complete", "time-order")
  }
  const timeliness: Timeliness = DateTime.greaterThan(params.at, self.deadline) ? "late" : "on-time"
  return Either.right({ ...self, status: "done", completedAt: params.at, timeliness })
}

/**
 * 取消 — pending or in-progress → cancelled, with a non-blank reason. (The
 * problem it planned goes back with `ProblemList.unplan`.)
 *
 * @since 0.1.0
 * @category transitions
 */
export const cancel = (
  self: Task,
  params: { readonly at: DateTime.Utc; readonly reason: string }
): Either.Either<Task, TaskRefused> => {
  if (!can(self, "cancelled")) return refuse(self, "cancel", "illegal-transition")
  const reason = params.reason.trim()
  if (reason.length === 0) return refuse(self, "cancel", "reason-required")
  return Either.right({ ...self, status: "cancelled", cancelledAt: params.at, cancelReason: reason })
}

/**
 * 督办 — puts an open task under supervision, or raises the level of its
 * supervision (街道督办 → 区督办); re-supervising at the same or a lower level is
 * refused.
 *
 * @since 0.1.0
 * @category transitions
 */
export const supervise = (
  self: Task,
  params: {
    readonly unitId: string
    readonly level: SupervisionLevel
    readonly at: DateTime.Utc
    readonly note?: string
  }
): Either.Either<Task, TaskRefused> => {
  if (!isOpen(self)) return refuse(self, "supervise", "illegal-transition")
  const levels = SupervisionLevel.literals
  if (
    self.supervision !== undefined &&
    levels.indexOf(params.level) <= levels.indexOf(self.supervision.level)
  ) {
    return refuse(self, "supervise", "supervision-not-raised")
  }
  const supervision: Supervision = {
    unitId: UnitId.make(params.unitId, { disableValidation: true }),
    level: params.level,
    since: params.at
  }
  return Either.right({
    ...self,
    supervision: params.note === undefined ? supervision : { ...supervision, note: params.note }
  })
}

/**
 * 交办 — gives an open task to an owner. When the owner is a unit, it must be in
 * the hierarchy, and if an access list is given the task's work
 * (`workCode`, `title`) is checked against it for the unit's level
 * (`AccessList.checkAssignment`): work on the negative list — or, in strict
 * mode, not on the positive list — is refused with `AccessList.AccessRefused`.
 * Department owners are not subject to the community access list.
 *
 * @since 0.1.0
 * @category transitions
 */
export const assign = <U extends Unit>(
  self: Task,
  owner: Owner,
  context: { readonly hierarchy: Hierarchy.Hierarchy<U>; readonly accessList?: AccessList.AccessList }
): Either.Either<Task, TaskRefused | AccessList.AccessRefused> => {
  if (!isOpen(self)) return refuse(self, "assign", "illegal-transition")
  if (owner._tag === "Unit") {
    const unit = Hierarchy.get(context.hierarchy, owner.unitId)
    if (Option.isNone(unit)) return refuse(self, "assign", "unknown-owner")
    if (context.accessList !== undefined) {
      const checked = AccessList.checkAssignment(context.accessList, workItem(self), unit.value.level)
      if (Either.isLeft(checked)) return Either.left(checked.left)
    }
  }
  return Either.right({ ...self, owner })
}

/**
 * The task's work as the access list sees it: its work code (if any) and its
 * title.
 *
 * @since 0.1.0
 * @category getters
 */
export const workItem = (self: Task): AccessList.WorkItem =>
  self.workCode === undefined ? { name: self.title } : { code: self.workCode, name: self.title }
