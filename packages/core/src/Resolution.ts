/**
 * 议定事项 — resolutions: what a meeting decided, turned into tasks of the
 * task list (`TaskList`) with owners, deadlines and 督办, each checked against
 * the community work access list 社区工作准入清单 (`AccessList`) when it is given
 * to a community; implementation is tracked to completion.
 *
 * Source: the 2024 public-rental community report: "对议定事项建立工作清单、限期督办整改";
 * the community experience report (XX社区治理经验交流材料): "召开大党委联席会 … 集中解决小区电瓶车乱停、飞线充电、
 * 杂物乱放等难题". Decidim's "accountability" tracks results but links them to
 * no supervised task list; this module does.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import type * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as AccessList from "./AccessList.js"
import type * as Hierarchy from "./Hierarchy.js"
import * as Instant from "./Instant.js"
import { ProblemId } from "./ProblemList.js"
import * as TaskList from "./TaskList.js"
import * as Text from "./Text.js"
import { type Unit, UnitId } from "./Unit.js"

/**
 * 议定事项条目上限 — the most items of one resolution.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxItems = 50

/**
 * 限期督办 — the supervision an item is put under from the start: the
 * supervising unit and the level.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ItemSupervision = Schema.Struct({
  unitId: UnitId,
  level: TaskList.SupervisionLevel
}).annotations({ identifier: "ItemSupervision", title: "限期督办 item supervision" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ItemSupervision extends Schema.Schema.Type<typeof ItemSupervision> {}

/**
 * 议定事项条目 — one thing decided: its title, the access-list work code
 * when classified, the problem-list entry it addresses, the owner 责任主体, the
 * deadline 办结时限 and optional supervision 督办.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Item = Schema.Struct({
  title: Text.line(Text.limits.title),
  workCode: Schema.optionalWith(AccessList.WorkCode, { exact: true }),
  problemId: ProblemId,
  owner: TaskList.Owner,
  deadline: Instant.DateTimeUtc,
  supervision: Schema.optionalWith(ItemSupervision, { exact: true })
}).annotations({ identifier: "ResolutionItem", title: "议定事项条目 resolution item" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Item extends Schema.Schema.Type<typeof Item> {}

/**
 * 交办背景 — what turning items into tasks checks against: the hierarchy (an
 * owner unit must be in it) and, optionally, the access list.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly hierarchy: Hierarchy.Hierarchy<Unit>
  readonly accessList?: AccessList.AccessList
}

/**
 * 事项交办失败 — one item that cannot become a task: its index and the refusal
 * (`TaskList.TaskRefused`, e.g. an owner unit not in the hierarchy, or
 * `AccessList.AccessRefused`, work the community may not be given).
 *
 * @since 0.1.0
 * @category models
 */
export interface ItemRefusal {
  readonly index: number
  readonly error: TaskList.TaskRefused | AccessList.AccessRefused
}

/**
 * 任务编号 — the task id of item `index` (0-based) of a resolution:
 * `<resolutionId>-<n>`.
 *
 * @since 0.1.0
 * @category getters
 */
export const taskId = (resolutionId: string, index: number): string => `${resolutionId}-${index + 1}`

/**
 * 转为任务 — the tasks of a resolution's items, each assigned to its owner
 * through `TaskList.assign` (hierarchy and access list) and put under its
 * supervision at `at`; or every item that is refused.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toTasks = (
  resolutionId: string,
  items: ReadonlyArray<Item>,
  context: Context,
  at: DateTime.Utc
): Either.Either<ReadonlyArray<TaskList.Task>, Arr.NonEmptyReadonlyArray<ItemRefusal>> => {
  const tasks: Array<TaskList.Task> = []
  const refusals: Array<ItemRefusal> = []
  items.forEach((item, index) => {
    const draft = TaskList.make({
      id: taskId(resolutionId, index),
      problemId: item.problemId,
      title: item.title,
      ...(item.workCode === undefined ? {} : { workCode: item.workCode }),
      resourceIds: [],
      owner: item.owner,
      deadline: item.deadline
    })
    const assigned = Either.flatMap(TaskList.assign(draft, item.owner, context), (task) =>
      item.supervision === undefined
        ? Either.right(task)
        : TaskList.supervise(task, { unitId: item.supervision.unitId, level: item.supervision.level, at })
    )
    if (Either.isLeft(assigned)) refusals.push({ index, error: assigned.left })
    else tasks.push(assigned.right)
  })
  return Arr.isNonEmptyReadonlyArray(refusals) ? Either.left(refusals) : Either.right(tasks)
}

/**
 * 已落实 — whether a resolution is implemented: it has tasks, none is open,
 * and at least one is done (cancelled tasks do not count as implemented).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isImplemented = (tasks: ReadonlyArray<TaskList.Task>): boolean =>
  tasks.length > 0 && !tasks.some(TaskList.isOpen) && tasks.some((t) => t.status === "done")

/**
 * 按期落实 — whether every done task was done on time (false when none is done).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isOnTime = (tasks: ReadonlyArray<TaskList.Task>): boolean => {
  const done = tasks.filter((t) => t.status === "done")
  return done.length > 0 && done.every((t) => t.timeliness === "on-time")
}
