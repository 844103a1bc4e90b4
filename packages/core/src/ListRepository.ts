/**
 * 清单仓库 — the port through which the "三张清单" (problem list 问题清单,
 * resource list 资源清单, task list 任务清单) and the micro-wishes 微心愿 are
 * stored. The core declares it; `@civicgrid/sql`
 * implements it as a Layer and `layerMemory` keeps it in memory on top of a
 * `HierarchyRepository`.
 *
 * - Problems, resources and tasks are **upserted by id**; a write is checked
 *   by the core (`ProblemList.validate`, `ResourceList.validate`,
 *   `checkTasks`) plus the references only a store can see (a unit the
 *   hierarchy does not have, a task's unknown problem or resource), and
 *   refused whole with every violation.
 * - Lists are read **by jurisdiction** (a unit's subtree, through the
 *   materialised path in SQL) and status; tasks also by overdue
 *   (`TaskList.overdue`: open and past the deadline).
 * - Micro-wishes are an **event stream** (`MicroWish` is a decider): events
 *   are appended after the version the writer last saw; a concurrent writer
 *   gets `WishConcurrencyConflict`, never a lost or duplicated event. The new
 *   history is checked with `MicroWish.replay` and the wish's state (the read
 *   model `wishes` lists) is written in the same transaction as its events.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as Hierarchy from "./Hierarchy.js"
import type { HierarchyRepository } from "./HierarchyRepository.js"
import * as internal from "./internal/memoryLists.js"
import * as MicroWish from "./MicroWish.js"
import * as ProblemList from "./ProblemList.js"
import * as ResourceList from "./ResourceList.js"
import type { StorageUnavailable } from "./Storage.js"
import * as TaskList from "./TaskList.js"

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 清单条目不存在 — no problem, resource or task has this id.
 *
 * @since 0.1.0
 * @category errors
 */
export class ListItemNotFound extends Schema.TaggedError<ListItemNotFound>()("ListItemNotFound", {
  list: Schema.Literal("problem", "resource", "task"),
  id: Schema.String
}) {
  override get message(): string {
    return `清单条目不存在 ${this.list} not found: "${this.id}"`
  }
}

/**
 * 任务校验规则 — `duplicate-id` 任务标识重复 (in one write), `unknown-problem`
 * 问题不存在, `unknown-unit` 责任单元不存在, `unknown-resource` 资源不存在.
 *
 * @since 0.1.0
 * @category validation
 */
export const TaskListRule = Schema.Literal(
  "duplicate-id",
  "unknown-problem",
  "unknown-unit",
  "unknown-resource"
).annotations({ identifier: "TaskListRule", title: "任务校验规则 task list rule" })

/**
 * @since 0.1.0
 * @category validation
 */
export type TaskListRule = typeof TaskListRule.Type

/**
 * 任务校验问题 — one violation: the rule, the task, the ids at fault, a message.
 *
 * @since 0.1.0
 * @category validation
 */
export const TaskViolation = Schema.TaggedStruct("TaskViolation", {
  rule: TaskListRule,
  taskId: TaskList.TaskId,
  related: Schema.Array(Schema.String),
  message: Schema.String
}).annotations({ identifier: "TaskViolation", title: "任务校验问题 task violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface TaskViolation extends Schema.Schema.Type<typeof TaskViolation> {}

/**
 * 任务清单无效 — a task write refused; every violation, sorted by task id then
 * rule. Nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class TaskListInvalid extends Schema.TaggedError<TaskListInvalid>()("TaskListInvalid", {
  violations: Schema.NonEmptyArray(TaskViolation)
}) {
  override get message(): string {
    return `任务清单无效 invalid task list (${this.violations.length} violation(s)): ${this.violations
      .map((v) => v.message)
      .join("; ")}`
  }
}

/**
 * 心愿并发冲突 — another writer appended to the wish first: `expectedVersion` is
 * not the wish's current version. Reload, decide again, retry.
 *
 * @since 0.1.0
 * @category errors
 */
export class WishConcurrencyConflict extends Schema.TaggedError<WishConcurrencyConflict>()(
  "WishConcurrencyConflict",
  {
    wishId: Schema.String,
    expectedVersion: Schema.Int,
    actualVersion: Schema.Int
  }
) {
  override get message(): string {
    return `并发冲突 concurrency conflict on micro-wish ${this.wishId}: expected version ${this.expectedVersion}, the wish is at ${this.actualVersion}; reload and retry`
  }
}

/**
 * 心愿所属单元不存在 — a posted wish names a community the hierarchy does not have.
 *
 * @since 0.1.0
 * @category errors
 */
export class WishUnitNotFound extends Schema.TaggedError<WishUnitNotFound>()("WishUnitNotFound", {
  wishId: Schema.String,
  unitId: Schema.String
}) {
  override get message(): string {
    return `单元不存在 micro-wish ${this.wishId} names community "${this.unitId}", not in the hierarchy`
  }
}

/**
 * 心愿不存在 — no wish has this id.
 *
 * @since 0.1.0
 * @category errors
 */
export class WishNotFound extends Schema.TaggedError<WishNotFound>()("WishNotFound", {
  wishId: Schema.String
}) {
  override get message(): string {
    return `心愿不存在 micro-wish not found: "${this.wishId}"`
  }
}

// ---------------------------------------------------------------------------
// validation (shared by every implementation)
// ---------------------------------------------------------------------------

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The units a write names: a problem's unit, a resource's scope, a task's
 * owning unit.
 *
 * @since 0.1.0
 * @category utils
 */
export const referencedUnits = (input: {
  readonly problems?: ReadonlyArray<ProblemList.Problem>
  readonly resources?: ReadonlyArray<ResourceList.Resource>
  readonly tasks?: ReadonlyArray<TaskList.Task>
}): ReadonlyArray<string> => {
  const units = new Set<string>()
  for (const p of input.problems ?? []) units.add(p.unitId)
  for (const r of input.resources ?? []) for (const u of r.scope) units.add(u)
  for (const t of input.tasks ?? []) if (t.owner._tag === "Unit") units.add(t.owner.unitId)
  return [...units].sort(compare)
}

/**
 * 问题写入校验 — `ProblemList.validate` (duplicate ids, categories — the
 * default table unless `categories` is given —, status fields) plus units the
 * hierarchy does not have (`unknown-unit`), all in one `ProblemListInvalid`.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkProblems = (
  problems: ReadonlyArray<ProblemList.Problem>,
  known: { readonly units: ReadonlySet<string> },
  options?: { readonly categories?: ReadonlyArray<ProblemList.ProblemCategory> }
): Either.Either<void, ProblemList.ProblemListInvalid> => {
  const core = ProblemList.validate(
    problems,
    options?.categories === undefined ? {} : { categories: options.categories }
  )
  const violations: Array<ProblemList.ProblemViolation> = Either.isLeft(core) ? [...core.left.violations] : []
  for (const p of problems) {
    if (!known.units.has(p.unitId)) {
      violations.push(
        ProblemList.ProblemViolation.make({
          rule: "unknown-unit",
          problemId: p.id,
          message: `单元不存在 problem "${p.id}": unknown unit "${p.unitId}"`
        })
      )
    }
  }
  violations.sort((a, b) => compare(a.problemId, b.problemId) || compare(a.rule, b.rule))
  return Arr.isNonEmptyArray(violations)
    ? Either.left(new ProblemList.ProblemListInvalid({ violations }))
    : Either.void
}

/**
 * 资源写入校验 — `ResourceList.validate` (duplicate ids, tags, scope,
 * availability) plus scope units the hierarchy does not have
 * (`unknown-scope-unit`), in one `ResourceListInvalid`.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkResources = (
  resources: ReadonlyArray<ResourceList.Resource>,
  known: { readonly units: ReadonlySet<string> }
): Either.Either<void, ResourceList.ResourceListInvalid> => {
  const core = ResourceList.validate(resources)
  const violations: Array<ResourceList.ResourceViolation> = Either.isLeft(core)
    ? [...core.left.violations]
    : []
  for (const r of resources) {
    const unknown = r.scope.filter((u) => !known.units.has(u))
    if (unknown.length > 0) {
      violations.push(
        ResourceList.ResourceViolation.make({
          rule: "unknown-scope-unit",
          resourceId: r.id,
          unitIds: unknown,
          message: `服务范围单元不存在 resource "${r.id}": unknown scope unit(s) ${unknown.join(", ")}`
        })
      )
    }
  }
  violations.sort((a, b) => compare(a.resourceId, b.resourceId) || compare(a.rule, b.rule))
  return Arr.isNonEmptyArray(violations)
    ? Either.left(new ResourceList.ResourceListInvalid({ violations }))
    : Either.void
}

/**
 * 任务写入校验 — ids unique in the write, the problem and the resources
 * stored, the owning unit in the hierarchy. Every violation.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkTasks = (
  tasks: ReadonlyArray<TaskList.Task>,
  known: {
    readonly units: ReadonlySet<string>
    readonly problems: ReadonlySet<string>
    readonly resources: ReadonlySet<string>
  }
): Either.Either<void, TaskListInvalid> => {
  const violations: Array<TaskViolation> = []
  const v = (rule: TaskListRule, taskId: TaskList.TaskId, related: ReadonlyArray<string>, message: string) =>
    violations.push({ _tag: "TaskViolation", rule, taskId, related, message })
  const counts = new Map<TaskList.TaskId, number>()
  for (const t of tasks) counts.set(t.id, (counts.get(t.id) ?? 0) + 1)
  for (const [id, n] of counts) {
    if (n > 1) v("duplicate-id", id, [], `任务标识重复 task "${id}" appears ${n} times`)
  }
  for (const t of tasks) {
    if (!known.problems.has(t.problemId)) {
      v("unknown-problem", t.id, [t.problemId], `问题不存在 task "${t.id}": unknown problem "${t.problemId}"`)
    }
    if (t.owner._tag === "Unit" && !known.units.has(t.owner.unitId)) {
      v(
        "unknown-unit",
        t.id,
        [t.owner.unitId],
        `责任单元不存在 task "${t.id}": unknown owner unit "${t.owner.unitId}"`
      )
    }
    const missing = t.resourceIds.filter((r) => !known.resources.has(r))
    if (missing.length > 0) {
      v(
        "unknown-resource",
        t.id,
        missing,
        `资源不存在 task "${t.id}": unknown resource(s) ${missing.map((r) => `"${r}"`).join(", ")}`
      )
    }
  }
  violations.sort((a, b) => compare(a.taskId, b.taskId) || compare(a.rule, b.rule))
  return Arr.isNonEmptyArray(violations) ? Either.left(new TaskListInvalid({ violations })) : Either.void
}

/**
 * 心愿追加校验 — what an append leads to, or why it is refused: the writer's
 * `expectedVersion` must be the stored version (else `WishConcurrencyConflict`),
 * every event must belong to the wish and the stored history followed by the
 * new events must replay (`MicroWish.replay`, else `MicroWishReplayError`),
 * and a posted wish's community must be a known unit.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkWishAppend = (input: {
  readonly wishId: string
  readonly expectedVersion: number
  readonly stored: ReadonlyArray<MicroWish.MicroWishEvent>
  readonly events: ReadonlyArray<MicroWish.MicroWishEvent>
  readonly units: ReadonlySet<string>
}): Either.Either<
  { readonly state: MicroWish.State; readonly version: number },
  WishConcurrencyConflict | MicroWish.MicroWishReplayError | WishUnitNotFound
> => {
  const actual = input.stored.length
  if (input.expectedVersion !== actual) {
    return Either.left(
      new WishConcurrencyConflict({
        wishId: input.wishId,
        expectedVersion: input.expectedVersion,
        actualVersion: actual
      })
    )
  }
  for (let index = 0; index < input.events.length; index++) {
    const event = input.events[index]
    if (event === undefined || event.wishId === input.wishId) continue
    return Either.left(
      new MicroWish.MicroWishReplayError({
        wishId: MicroWish.WishId.make(input.wishId, { disableValidation: true }),
        index: actual + index,
        sequence: event.sequence,
        expected: actual + index + 1,
        rule: "wish-id"
      })
    )
  }
  return Either.flatMap(MicroWish.replay([...input.stored, ...input.events]), (state) => {
    for (const event of input.events) {
      if (event._tag === "Posted" && !input.units.has(event.communityId)) {
        return Either.left(new WishUnitNotFound({ wishId: input.wishId, unitId: event.communityId }))
      }
    }
    return Either.right({ state, version: state.version })
  })
}

/**
 * The tasks a query selects, in the query's order: overdue at `overdueAt`
 * (`TaskList.overdue`) most overdue first (`TaskList.overdueTasks`), otherwise
 * by id.
 *
 * @since 0.1.0
 * @category utils
 */
export const orderTasks = (
  tasks: ReadonlyArray<TaskList.Task>,
  query: TaskQuery
): ReadonlyArray<TaskList.Task> =>
  query.overdueAt === undefined
    ? [...tasks].sort((a, b) => compare(a.id, b.id))
    : TaskList.overdueTasks(tasks, query.overdueAt)

/**
 * Whether a task passes a query's status and overdue filters (not `within`).
 *
 * @since 0.1.0
 * @category utils
 */
export const taskMatches = (task: TaskList.Task, query: TaskQuery): boolean =>
  (query.status === undefined || query.status.includes(task.status)) &&
  (query.overdueAt === undefined || TaskList.overdue(task, query.overdueAt))

/**
 * The epoch milliseconds of an instant (how stores keep deadlines).
 *
 * @since 0.1.0
 * @category utils
 */
export const millis = (at: DateTime.Utc): number => DateTime.toEpochMillis(at)

// ---------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------

/**
 * 问题查询 — `within` a unit's jurisdiction (the problem's unit), and status.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProblemQuery {
  readonly within?: string
  readonly status?: ReadonlyArray<ProblemList.ProblemStatus>
}

/**
 * 资源查询 — `within`: some scope unit lies in the unit's jurisdiction;
 * `serving`: the resource serves the unit (a scope unit is the unit or one of
 * its ancestors, as `ResourceList.serves`). Both may be given.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResourceQuery {
  readonly within?: string
  readonly serving?: string
}

/**
 * 任务查询 — `within` a unit's jurisdiction (tasks owned by a unit there; a
 * department's tasks have no unit and are left out), status, and
 * `overdueAt`: open tasks whose deadline is before that instant (then most
 * overdue first).
 *
 * @since 0.1.0
 * @category models
 */
export interface TaskQuery {
  readonly within?: string
  readonly status?: ReadonlyArray<TaskList.TaskStatus>
  readonly overdueAt?: DateTime.Utc
}

/**
 * 心愿查询 — `within` a unit's jurisdiction (the wish's community), and status.
 *
 * @since 0.1.0
 * @category models
 */
export interface WishQuery {
  readonly within?: string
  readonly status?: ReadonlyArray<MicroWish.Status>
}

/**
 * What an append returns: the wish and its version after the append.
 *
 * @since 0.1.0
 * @category models
 */
export interface WishAppended {
  readonly wishId: string
  readonly version: number
}

// ---------------------------------------------------------------------------
// port
// ---------------------------------------------------------------------------

/**
 * 清单仓库 — the list store port. Lists come back in id order unless a query
 * says otherwise.
 *
 * @since 0.1.0
 * @category tags
 */
export class ListRepository extends Context.Tag("@civicgrid/core/ListRepository")<
  ListRepository,
  {
    /** Upserts problems by id (`checkProblems`). */
    readonly putProblems: (
      problems: ReadonlyArray<ProblemList.Problem>,
      options?: { readonly categories?: ReadonlyArray<ProblemList.ProblemCategory> }
    ) => Effect.Effect<void, ProblemList.ProblemListInvalid | StorageUnavailable>
    readonly problem: (
      id: string
    ) => Effect.Effect<ProblemList.Problem, ListItemNotFound | StorageUnavailable>
    readonly problems: (
      query?: ProblemQuery
    ) => Effect.Effect<ReadonlyArray<ProblemList.Problem>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts resources by id (`checkResources`). */
    readonly putResources: (
      resources: ReadonlyArray<ResourceList.Resource>
    ) => Effect.Effect<void, ResourceList.ResourceListInvalid | StorageUnavailable>
    readonly resource: (
      id: string
    ) => Effect.Effect<ResourceList.Resource, ListItemNotFound | StorageUnavailable>
    readonly resources: (
      query?: ResourceQuery
    ) => Effect.Effect<ReadonlyArray<ResourceList.Resource>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts tasks by id (`checkTasks`). */
    readonly putTasks: (
      tasks: ReadonlyArray<TaskList.Task>
    ) => Effect.Effect<void, TaskListInvalid | StorageUnavailable>
    readonly task: (id: string) => Effect.Effect<TaskList.Task, ListItemNotFound | StorageUnavailable>
    readonly tasks: (
      query?: TaskQuery
    ) => Effect.Effect<ReadonlyArray<TaskList.Task>, Hierarchy.UnitNotFound | StorageUnavailable>
    /**
     * Appends a wish's events after `expectedVersion` (0 for a new wish),
     * atomically with its state. The whole history must replay
     * (`MicroWish.replay`); a posted wish's community must be a unit of the
     * hierarchy.
     */
    readonly appendWishEvents: (input: {
      readonly wishId: string
      readonly expectedVersion: number
      readonly events: ReadonlyArray<MicroWish.MicroWishEvent>
    }) => Effect.Effect<
      WishAppended,
      WishConcurrencyConflict | MicroWish.MicroWishReplayError | WishUnitNotFound | StorageUnavailable
    >
    /** A wish's events in sequence order (empty for an unknown wish). */
    readonly wishEvents: (
      wishId: string
    ) => Effect.Effect<ReadonlyArray<MicroWish.MicroWishEvent>, StorageUnavailable>
    /** A wish's current state. */
    readonly wish: (wishId: string) => Effect.Effect<MicroWish.MicroWish, WishNotFound | StorageUnavailable>
    readonly wishes: (
      query?: WishQuery
    ) => Effect.Effect<ReadonlyArray<MicroWish.MicroWish>, Hierarchy.UnitNotFound | StorageUnavailable>
  }
>() {}

/**
 * An in-memory list store on top of a `HierarchyRepository`; each build
 * starts empty.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<ListRepository, never, HierarchyRepository> = Layer.effect(
  ListRepository,
  internal.make
)
