/**
 * 清单匹配 — the planner of the community experience report's 三张清单 work method: it matches the problem
 * list (问题清单) against the resource list (资源清单) by capability tags and
 * scope, and proposes the task list (任务清单); every problem it cannot plan is
 * returned with the reason.
 *
 * Source: the community experience report (XX社区治理经验交流材料) "推行三张清单工作法" — problems from
 * 网格员入户走访 and 小区党支部收集, resources from 共驻共建单位 and party members in
 * four classes, tasks that engage them. The planner proposes a plan (problems ×
 * resources by tags and scope) deterministically, and explains unmatched
 * problems.
 *
 * **Matching order.** Open problems are taken first come, first served: by
 * `reportedAt`, then id ({@link problemOrder}). Each gets one task.
 *
 * **Which resources.** A resource can serve a problem when it offers a needed
 * tag, its scope covers the problem's unit (`Hierarchy.isWithin` one of its
 * scope units), its availability window (if any) overlaps the task's period
 * `[reportedAt, deadline]`, and it has capacity left. A problem needing
 * several tags may combine resources: every needed tag must be covered by
 * `demand` units from resources offering it; a resource that offers two
 * needed tags covers both with the same units (it is engaged once); a
 * tag's demand may be split across several resources. Per tag, resources are
 * taken in best-fit order: the most specific scope first (the deepest scope
 * unit covering the problem's unit), then the most remaining capacity, then
 * id. A resource is never assigned outside its scope or over its capacity
 * (capacity already used elsewhere can be passed as `options.used`).
 *
 * **Unmatched reasons** ({@link UnmatchedReason}), the most specific that
 * applies: the problem is not open; its unit is unknown; it names no needed
 * tag; the access list refuses the work for the owner; and per needed tag the
 * first stage that leaves no resource — no resource offers the tag
 * (`MissingTags`), resources offer it but none serves the unit (`OutOfScope`),
 * none is available in the period (`Unavailable`), or their remaining capacity
 * is short of the demand (`CapacityExhausted`). When tags fail at different
 * stages the earliest stage is reported, with every tag failing there.
 *
 * **Determinism.** The input is sorted first (problems by {@link problemOrder},
 * resources by id), so the same problems and resources in any order give the
 * same plan; outputs are sorted by id.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Order from "effect/Order"
import * as Schema from "effect/Schema"
import * as AccessList from "./AccessList.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Match from "./internal/planner.js"
import * as Ids from "./internal/plannerIds.js"
import * as ProblemList from "./ProblemList.js"
import * as ResourceList from "./ResourceList.js"
import * as TaskList from "./TaskList.js"
import { type Unit, UnitId } from "./Unit.js"

// ---------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------

/**
 * 资源分配 — one resource engaged for one task: how many demand units it takes
 * and which of the problem's needed tags it covers.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Allocation = Schema.Struct({
  taskId: TaskList.TaskId,
  problemId: ProblemList.ProblemId,
  resourceId: ResourceList.ResourceId,
  units: Schema.Int.pipe(Schema.positive()),
  tags: Schema.Array(ResourceList.CapabilityTag)
}).annotations({ identifier: "Allocation", title: "资源分配 allocation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Allocation extends Schema.Schema.Type<typeof Allocation> {}

/**
 * 容量缺口 — for one tag: the demand and the remaining capacity of the resources
 * that could otherwise serve it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Shortfall = Schema.Struct({
  tag: ResourceList.CapabilityTag,
  needed: Schema.Number,
  available: Schema.Number
}).annotations({ identifier: "Shortfall", title: "容量缺口 shortfall" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Shortfall extends Schema.Schema.Type<typeof Shortfall> {}

/**
 * 未匹配原因 — why a problem got no task:
 * `NotOpen` 问题非待解决状态; `UnknownUnit` 单元不存在 (the problem's unit, or the
 * owner the owner rule chose); `NoTagsNeeded` 未标注所需能力;
 * `AccessRefused` 不符合社区工作准入; `MissingTags` 无资源具备所需能力;
 * `OutOfScope` 有资源具备能力但服务范围不覆盖该单元 (with those resources);
 * `Unavailable` 服务范围内的资源不在可用时段 (with those resources);
 * `CapacityExhausted` 资源容量不足 (per tag: needed vs. remaining).
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnmatchedReason = Schema.Union(
  Schema.TaggedStruct("NotOpen", { status: ProblemList.ProblemStatus }),
  Schema.TaggedStruct("UnknownUnit", { unitId: UnitId }),
  Schema.TaggedStruct("NoTagsNeeded", {}),
  Schema.TaggedStruct("AccessRefused", { refusal: AccessList.AccessRefused }),
  Schema.TaggedStruct("MissingTags", { tags: Schema.Array(ResourceList.CapabilityTag) }),
  Schema.TaggedStruct("OutOfScope", {
    tags: Schema.Array(ResourceList.CapabilityTag),
    resourceIds: Schema.Array(ResourceList.ResourceId)
  }),
  Schema.TaggedStruct("Unavailable", {
    tags: Schema.Array(ResourceList.CapabilityTag),
    resourceIds: Schema.Array(ResourceList.ResourceId)
  }),
  Schema.TaggedStruct("CapacityExhausted", { shortfalls: Schema.Array(Shortfall) })
).annotations({ identifier: "UnmatchedReason", title: "未匹配原因 unmatched reason" })

/**
 * @since 0.1.0
 * @category models
 */
export type UnmatchedReason = typeof UnmatchedReason.Type

/**
 * A readable bilingual explanation of an unmatched reason.
 *
 * @since 0.1.0
 * @category utils
 */
export const describeReason = (reason: UnmatchedReason): string => {
  switch (reason._tag) {
    case "NotOpen":
      return `问题非待解决状态 the problem is ${reason.status} (${ProblemList.statusNames[reason.status]}), not open`
    case "UnknownUnit":
      return `单元不存在 unit "${reason.unitId}" is not in the hierarchy`
    case "NoTagsNeeded":
      return "未标注所需能力 the problem names no capability tag to match"
    case "AccessRefused":
      return reason.refusal.message
    case "MissingTags":
      return `无资源具备所需能力 no resource offers ${reason.tags.join(", ")}`
    case "OutOfScope":
      return `服务范围不覆盖 resources offering ${reason.tags.join(", ")} (${reason.resourceIds.join(", ")}) do not serve the problem's unit`
    case "Unavailable":
      return `不在可用时段 resources in scope for ${reason.tags.join(", ")} (${reason.resourceIds.join(", ")}) are not available before the deadline`
    case "CapacityExhausted":
      return `资源容量不足 capacity exhausted: ${reason.shortfalls
        .map((s) => `${s.tag} needs ${s.needed}, ${s.available} left`)
        .join("; ")}`
  }
}

/**
 * 未匹配问题 — a problem without a task, the reason and its explanation.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Unmatched = Schema.Struct({
  problemId: ProblemList.ProblemId,
  reason: UnmatchedReason,
  message: Schema.String
}).annotations({ identifier: "Unmatched", title: "未匹配问题 unmatched problem" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Unmatched extends Schema.Schema.Type<typeof Unmatched> {}

/**
 * 资源占用 — one resource's capacity: `used` before this plan (`options.used`),
 * `planned` by this plan, and what `remaining` after it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Usage = Schema.Struct({
  resourceId: ResourceList.ResourceId,
  capacity: Schema.NonNegativeInt,
  used: Schema.NonNegativeInt,
  planned: Schema.NonNegativeInt,
  remaining: Schema.NonNegativeInt
}).annotations({ identifier: "Usage", title: "资源占用 usage" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Usage extends Schema.Schema.Type<typeof Usage> {}

/**
 * 任务清单方案 — the proposed plan: pending tasks (by id), their allocations (by
 * task, then resource), the unmatched problems (by problem id) and each
 * resource's usage (by resource id). Every problem given is either the
 * problem of exactly one task or unmatched.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Plan = Schema.Struct({
  tasks: Schema.Array(TaskList.Task),
  allocations: Schema.Array(Allocation),
  unmatched: Schema.Array(Unmatched),
  usage: Schema.Array(Usage)
}).annotations({ identifier: "Plan", title: "任务清单方案 plan" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Plan extends Schema.Schema.Type<typeof Plan> {}

// ---------------------------------------------------------------------------
// options
// ---------------------------------------------------------------------------

/**
 * 匹配选项 — configuration; every field has a default.
 *
 * - `deadlineDays` (default 30, local practice): a task's deadline is the
 *   problem's `reportedAt` plus this many natural days;
 * - `deadlineOf`: replaces the day rule (e.g. to count working days with
 *   `WorkDuration`);
 * - `ownerLevel` (default `"community"`): the owner is the problem's unit's
 *   nearest unit (itself or an ancestor) of this level — the problem's
 *   community — or the problem's unit when there is none;
 * - `ownerOf`: replaces the owner rule;
 * - `taskIdOf` (default `T-<problem id>`), `titleOf` (default the description);
 * - `access`: check each task's work against a community work access list for
 *   its owner (a refused problem is unmatched with `AccessRefused`); `workOf`
 *   says what the work is, by default `{ code: categoryId, name: title }`;
 * - `used`: capacity per resource id already taken in the period (default 0).
 *
 * @since 0.1.0
 * @category models
 */
export interface PlanOptions<U extends Unit = Unit> {
  readonly deadlineDays?: number
  readonly deadlineOf?: (problem: ProblemList.Problem) => DateTime.Utc
  readonly ownerLevel?: string
  readonly ownerOf?: (problem: ProblemList.Problem, hierarchy: Hierarchy.Hierarchy<U>) => TaskList.Owner
  readonly taskIdOf?: (problem: ProblemList.Problem) => string
  readonly titleOf?: (problem: ProblemList.Problem) => string
  readonly access?: {
    readonly list: AccessList.AccessList
    readonly workOf?: (problem: ProblemList.Problem, title: string) => AccessList.WorkItem
  }
  readonly used?: Readonly<Record<string, number>>
}

/**
 * The defaults of the numeric and level options.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = {
  /** 办结时限 — natural days after the report (local practice). */
  deadlineDays: 30,
  /** 责任主体层级 — the problem's community owns its task. */
  ownerLevel: "community"
} as const

/**
 * 匹配顺序 — problems are matched by `reportedAt` (earliest first), then id.
 *
 * @since 0.1.0
 * @category constants
 */
export const problemOrder: Order.Order<ProblemList.Problem> = Order.combine(
  Order.mapInput(DateTime.Order, (p: ProblemList.Problem) => p.reportedAt),
  Order.mapInput(Order.string, (p: ProblemList.Problem) => p.id)
)

// ---------------------------------------------------------------------------
// input validation
// ---------------------------------------------------------------------------

/**
 * 输入校验规则 — `duplicate-problem-id`, `duplicate-resource-id`,
 * `duplicate-task-id` (two problems would get the same task id from
 * `taskIdOf`), `invalid-demand` (not a positive integer), `invalid-capacity`
 * (not a non-negative integer), `invalid-used` (a `used` figure that is not a
 * non-negative integer).
 *
 * @since 0.1.0
 * @category validation
 */
export const PlannerRule = Schema.Literal(
  "duplicate-problem-id",
  "duplicate-resource-id",
  "duplicate-task-id",
  "invalid-demand",
  "invalid-capacity",
  "invalid-used"
).annotations({ identifier: "PlannerRule", title: "输入校验规则 planner rule" })

/**
 * @since 0.1.0
 * @category validation
 */
export type PlannerRule = typeof PlannerRule.Type

/**
 * 输入校验问题 — one violation: the rule, the id concerned (problem, resource or
 * task) and a message.
 *
 * @since 0.1.0
 * @category validation
 */
export const PlannerViolation = Schema.TaggedStruct("PlannerViolation", {
  rule: PlannerRule,
  id: Schema.String,
  message: Schema.String
}).annotations({ identifier: "PlannerViolation", title: "输入校验问题 planner violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface PlannerViolation extends Schema.Schema.Type<typeof PlannerViolation> {}

/**
 * 匹配输入无效 — the lists cannot be planned as given; carries every violation,
 * sorted by rule then id.
 *
 * @since 0.1.0
 * @category errors
 */
export class PlanInputInvalid extends Schema.TaggedError<PlanInputInvalid>()("PlanInputInvalid", {
  violations: Schema.NonEmptyArray(PlannerViolation)
}) {
  override get message(): string {
    return `清单匹配输入无效 invalid planner input (${this.violations.length} violation(s)): ${this.violations
      .map((v) => v.message)
      .join("; ")}`
  }
}

const isNat = (n: number): boolean => Number.isInteger(n) && n >= 0

const checkInput = (
  problems: ReadonlyArray<ProblemList.Problem>,
  resources: ReadonlyArray<ResourceList.Resource>,
  taskIds: ReadonlyArray<string>,
  used: Readonly<Record<string, number>>
): Array<PlannerViolation> => {
  const out: Array<PlannerViolation> = []
  const v = (rule: PlannerRule, id: string, message: string) =>
    out.push(PlannerViolation.make({ rule, id, message }))
  const dups = (ids: ReadonlyArray<string>): Array<string> => {
    const seen = new Map<string, number>()
    for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1)
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id)
  }
  for (const id of dups(problems.map((p) => p.id)))
    v("duplicate-problem-id", id, `问题标识重复 problem "${id}" appears more than once`)
  for (const id of dups(resources.map((r) => r.id)))
    v("duplicate-resource-id", id, `资源标识重复 resource "${id}" appears more than once`)
  for (const id of dups(taskIds))
    v("duplicate-task-id", id, `任务标识重复 two problems would get task id "${id}"`)
  for (const p of problems) {
    if (!(Number.isInteger(p.demand) && p.demand >= 1)) {
      v("invalid-demand", p.id, `需求量无效 problem "${p.id}": demand ${p.demand} is not a positive integer`)
    }
  }
  for (const r of resources) {
    if (!isNat(r.capacity)) {
      v(
        "invalid-capacity",
        r.id,
        `容量无效 resource "${r.id}": capacity ${r.capacity} is not a non-negative integer`
      )
    }
  }
  for (const id of Object.keys(used)) {
    const n = used[id]
    if (n === undefined || !isNat(n))
      v("invalid-used", id, `已用容量无效 used["${id}"] = ${n} is not a non-negative integer`)
  }
  out.sort((a, b) => Ids.compareStrings(a.rule, b.rule) || Ids.compareStrings(a.id, b.id))
  return out
}

// ---------------------------------------------------------------------------
// plan
// ---------------------------------------------------------------------------

const defaultOwner = <U extends Unit>(
  hierarchy: Hierarchy.Hierarchy<U>,
  unitId: string,
  level: string
): TaskList.Owner => {
  const path = Option.getOrElse(Hierarchy.path(hierarchy, unitId), (): ReadonlyArray<U> => [])
  const found = Arr.findLast(path, (u) => u.level === level)
  return TaskList.unitOwner(Option.isSome(found) ? found.value.id : unitId)
}

const toReason = (failures: ReadonlyArray<Match.TagFailure>): UnmatchedReason => {
  const rank = (f: Match.TagFailure): number => Match.stages.indexOf(f.stage)
  const first = Math.min(...failures.map(rank))
  const at = failures.filter((f) => rank(f) === first)
  const tags = at.map((f) => ResourceList.CapabilityTag.make(f.tag, { disableValidation: true }))
  const resourceIds = Arr.dedupe(at.flatMap((f) => f.resourceIds))
    .sort(Ids.compareStrings)
    .map((id) => ResourceList.ResourceId.make(id, { disableValidation: true }))
  switch (at[0]?.stage) {
    case "out-of-scope":
      return { _tag: "OutOfScope", tags, resourceIds }
    case "unavailable":
      return { _tag: "Unavailable", tags, resourceIds }
    case "capacity":
      return {
        _tag: "CapacityExhausted",
        shortfalls: at.map((f) => ({
          tag: ResourceList.CapabilityTag.make(f.tag, { disableValidation: true }),
          needed: f.needed,
          available: f.available
        }))
      }
    default:
      return { _tag: "MissingTags", tags }
  }
}

/**
 * 清单匹配 — proposes the task list: one pending task per open problem that can
 * be served (owner, deadline, engaged resources), the allocations behind each
 * task, the unmatched problems with the most specific reason, and the
 * resources' usage. See the module comment for the rules. Fails only when the
 * input itself is inconsistent (duplicate ids, invalid demand, capacity or used
 * figures), reporting every violation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const plan = <U extends Unit>(input: {
  readonly hierarchy: Hierarchy.Hierarchy<U>
  readonly problems: ReadonlyArray<ProblemList.Problem>
  readonly resources: ReadonlyArray<ResourceList.Resource>
  readonly options?: PlanOptions<U>
}): Either.Either<Plan, PlanInputInvalid> => {
  const { hierarchy } = input
  const options = input.options ?? {}
  const used = options.used ?? {}
  const taskIdOf = options.taskIdOf ?? ((p: ProblemList.Problem) => `T-${p.id}`)
  const titleOf = options.titleOf ?? ((p: ProblemList.Problem) => p.description)
  const deadlineDays = options.deadlineDays ?? defaults.deadlineDays
  const deadlineOf =
    options.deadlineOf ?? ((p: ProblemList.Problem) => DateTime.add(p.reportedAt, { days: deadlineDays }))
  const ownerLevel = options.ownerLevel ?? defaults.ownerLevel
  const ownerOf =
    options.ownerOf ?? ((p: ProblemList.Problem) => defaultOwner(hierarchy, p.unitId, ownerLevel))
  const workOf =
    options.access?.workOf ??
    ((p: ProblemList.Problem, title: string): AccessList.WorkItem => ({
      code: AccessList.WorkCode.make(p.categoryId, { disableValidation: true }),
      name: title
    }))

  const problems = Arr.sort(input.problems, problemOrder)
  const resources = [...input.resources].sort((a, b) => Ids.compareStrings(a.id, b.id))
  const taskIds = problems.map(taskIdOf)
  const violations = checkInput(problems, resources, taskIds, used)
  if (Arr.isNonEmptyArray(violations)) return Either.left(new PlanInputInvalid({ violations }))

  const usedOf = (id: string): number => (Object.hasOwn(used, id) ? (used[id] ?? 0) : 0)
  const initial = resources.map((r) => Math.max(0, r.capacity - usedOf(r.id)))
  const state = Match.makeState(hierarchy, resources, initial)

  /** Plans one problem: its task and allocations, or why it cannot be planned. */
  const planOne = (
    p: ProblemList.Problem,
    taskId: string
  ): Either.Either<
    { readonly task: TaskList.Task; readonly allocations: Array<Allocation> },
    UnmatchedReason
  > => {
    if (p.status !== "open") return Either.left({ _tag: "NotOpen", status: p.status })
    if (!Hierarchy.has(hierarchy, p.unitId)) return Either.left({ _tag: "UnknownUnit", unitId: p.unitId })
    if (p.tags.length === 0) return Either.left({ _tag: "NoTagsNeeded" })
    const owner = ownerOf(p, hierarchy)
    const title = titleOf(p)
    const work = options.access === undefined ? undefined : workOf(p, title)
    if (owner._tag === "Unit") {
      const unit = Hierarchy.get(hierarchy, owner.unitId)
      if (Option.isNone(unit)) return Either.left({ _tag: "UnknownUnit", unitId: owner.unitId })
      if (options.access !== undefined && work !== undefined) {
        const checked = AccessList.checkAssignment(options.access.list, work, unit.value.level)
        if (Either.isLeft(checked)) return Either.left({ _tag: "AccessRefused", refusal: checked.left })
      }
    }
    const deadline = deadlineOf(p)
    const outcome = Match.matchOne(state, {
      unitId: p.unitId,
      tags: p.tags,
      demand: p.demand,
      from: p.reportedAt,
      to: deadline
    })
    if (outcome._tag === "Failed") return Either.left(toReason(outcome.failures))
    const engaged = outcome.contributions.flatMap((c) => {
      const r = resources[c.resource]
      return r === undefined ? [] : [{ resource: r, units: c.units }]
    })
    const task = TaskList.make({
      id: taskId,
      problemId: p.id,
      title,
      ...(work?.code === undefined ? {} : { workCode: work.code }),
      resourceIds: engaged.map((e) => e.resource.id),
      owner,
      deadline
    })
    return Either.right({
      task,
      allocations: engaged.map((e) => ({
        taskId: task.id,
        problemId: p.id,
        resourceId: e.resource.id,
        units: e.units,
        tags: p.tags.filter((t) => ResourceList.offers(e.resource, t))
      }))
    })
  }

  const tasks: Array<TaskList.Task> = []
  const allocations: Array<Allocation> = []
  const unmatched: Array<Unmatched> = []
  for (let k = 0; k < problems.length; k++) {
    const p = problems[k]
    if (p === undefined) continue
    const planned = planOne(p, taskIds[k] ?? taskIdOf(p))
    if (Either.isLeft(planned)) {
      unmatched.push({ problemId: p.id, reason: planned.left, message: describeReason(planned.left) })
    } else {
      tasks.push(planned.right.task)
      allocations.push(...planned.right.allocations)
    }
  }

  const usage: Array<Usage> = resources.map((r, i) => {
    const remaining = state.remaining[i] ?? 0
    const start = initial[i] ?? 0
    return {
      resourceId: r.id,
      capacity: r.capacity,
      used: usedOf(r.id),
      planned: start - remaining,
      remaining
    }
  })
  tasks.sort((a, b) => Ids.compareStrings(a.id, b.id))
  allocations.sort(
    (a, b) => Ids.compareStrings(a.taskId, b.taskId) || Ids.compareStrings(a.resourceId, b.resourceId)
  )
  unmatched.sort((a, b) => Ids.compareStrings(a.problemId, b.problemId))
  return Either.right({ tasks, allocations, unmatched, usage })
}
