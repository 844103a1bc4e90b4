/**
 * 问题清单 — the problem list: the community's problems and residents' needs,
 * each with the unit (or grid) where it arises, a category, where it came
 * from, the capabilities it needs and its status.
 *
 * Source: the community experience report (XX社区治理经验交流材料), the first of its "三张清单": "列出'问题
 * 清单'，明确治理目标。通过网格员入户走访、小区党支部收集、六级组织为民办事云上平台上报
 * 案件等方式，充分了解社区治理存在的问题和居民需求，条目式分类梳理物业管理、环境整治、
 * 文化娱乐、养老服务、儿童关爱等5大类问题，形成问题清单台账".
 *
 * **Categories** are a table, not a closed set: {@link defaultCategories} holds
 * the community experience report's five; {@link extendCategories} adds local ones.
 *
 * **Status** 状态: `open` 待解决 → `planned` 已列入任务 → `resolved` 已解决, and
 * `closed` 不予解决 (with a reason) from `open` or `planned`; a planned problem
 * whose task is cancelled returns to `open` ({@link unplan}). The allowed moves
 * are {@link transitions}; every transition is a pure function returning
 * `Either`, and a refused move names the problem, its status and the rule.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as CaseCategory from "./CaseCategory.js"
import { type Grid, GridId } from "./Grid.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Instant from "./Instant.js"
import * as Ids from "./internal/plannerIds.js"
import { PartyOrgId } from "./PartyOrganization.js"
import { CapabilityTag } from "./ResourceList.js"
import { PersonId } from "./Staffing.js"
import * as Text from "./Text.js"
import { type Unit, UnitId } from "./Unit.js"

// ---------------------------------------------------------------------------
// categories
// ---------------------------------------------------------------------------

/**
 * 问题类别标识 — the identifier of a problem category (`"property-management"` …).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProblemCategoryId = Text.Id.pipe(
  Schema.brand("ProblemCategoryId"),
  Schema.annotations({ identifier: "ProblemCategoryId", title: "问题类别标识 problem category id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ProblemCategoryId = typeof ProblemCategoryId.Type

/**
 * 问题类别 — one row of the category table: id, Chinese and English names, and
 * optionally the case category (`CaseCategory.CategoryId`) a platform case of
 * this kind is filed under.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProblemCategory = Schema.Struct({
  id: ProblemCategoryId,
  /** 中文名称 — e.g. `"物业管理"`. */
  name: Text.Name,
  /** English name. */
  nameEn: Text.Name,
  /** 对应案件类别 — e.g. `SJ-23` 物业管理 in `CaseCategory.WithCommunityGovernance`. */
  caseCategoryId: Schema.optionalWith(CaseCategory.CategoryId, { exact: true })
}).annotations({ identifier: "ProblemCategory", title: "问题类别 problem category" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ProblemCategory extends Schema.Schema.Type<typeof ProblemCategory> {}

const categoryId = (id: string): ProblemCategoryId => ProblemCategoryId.make(id, { disableValidation: true })

/**
 * The ids of the community experience report's five categories.
 *
 * @since 0.1.0
 * @category constants
 */
export const categoryIds = {
  /** 物业管理 */
  propertyManagement: categoryId("property-management"),
  /** 环境整治 */
  environment: categoryId("environment"),
  /** 文化娱乐 */
  culture: categoryId("culture"),
  /** 养老服务 */
  elderlyCare: categoryId("elderly-care"),
  /** 儿童关爱 */
  childCare: categoryId("child-care")
} as const

/**
 * 五大类问题 — the community experience report's five categories, in the report's order: 物业管理 property
 * management, 环境整治 environment, 文化娱乐 culture, 养老服务 elderly care, 儿童关爱
 * child care. Linked to the case categories of `CaseCategory.WithCommunityGovernance`
 * where one exists (环境整治 → 事件 `SJ-01` 市容环境).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCategories: ReadonlyArray<ProblemCategory> = [
  {
    id: categoryIds.propertyManagement,
    name: "物业管理",
    nameEn: "property management",
    caseCategoryId: CaseCategory.idOf("event", "23")
  },
  {
    id: categoryIds.environment,
    name: "环境整治",
    nameEn: "environment",
    caseCategoryId: CaseCategory.idOf("event", "01")
  },
  { id: categoryIds.culture, name: "文化娱乐", nameEn: "culture and recreation" },
  {
    id: categoryIds.elderlyCare,
    name: "养老服务",
    nameEn: "elderly care",
    caseCategoryId: CaseCategory.idOf("event", "24")
  },
  {
    id: categoryIds.childCare,
    name: "儿童关爱",
    nameEn: "child care",
    caseCategoryId: CaseCategory.idOf("event", "25")
  }
]

/**
 * 类别表无效 — a category id appears more than once.
 *
 * @since 0.1.0
 * @category errors
 */
export class CategoryTableInvalid extends Schema.TaggedError<CategoryTableInvalid>()("CategoryTableInvalid", {
  rule: Schema.Literal("duplicate-id"),
  categoryIds: Schema.NonEmptyArray(ProblemCategoryId)
}) {
  override get message(): string {
    return `问题类别标识重复 duplicate problem category id(s): ${this.categoryIds.join(", ")}`
  }
}

/**
 * 扩展类别 — adds local categories to a table (after the existing rows, in the
 * given order). Every duplicated id is reported.
 *
 * @since 0.1.0
 * @category constructors
 */
export const extendCategories = (
  table: ReadonlyArray<ProblemCategory>,
  rows: ReadonlyArray<ProblemCategory>
): Either.Either<ReadonlyArray<ProblemCategory>, CategoryTableInvalid> => {
  const all = [...table, ...rows]
  const counts = new Map<string, number>()
  for (const c of all) counts.set(c.id, (counts.get(c.id) ?? 0) + 1)
  const dups = [...counts].filter(([, n]) => n > 1).map(([id]) => categoryId(id))
  dups.sort(Ids.compareStrings)
  return Arr.isNonEmptyArray(dups)
    ? Either.left(new CategoryTableInvalid({ rule: "duplicate-id", categoryIds: dups }))
    : Either.right(all)
}

/**
 * The category with this id in a table.
 *
 * @since 0.1.0
 * @category getters
 */
export const findCategory = (
  table: ReadonlyArray<ProblemCategory>,
  id: string
): Option.Option<ProblemCategory> => Option.fromNullable(table.find((c) => c.id === id))

// ---------------------------------------------------------------------------
// sources
// ---------------------------------------------------------------------------

/**
 * 问题来源 — where a problem came from: `HouseholdVisit` 网格员入户走访 (optionally
 * the grid worker), `PartyBranch` 小区党支部收集 (optionally the branch),
 * `PlatformCase` 平台上报案件 (the case id, e.g. of 六级组织为民办事云上平台), or
 * `Other` 其他 (with a note).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProblemSource = Schema.Union(
  Schema.TaggedStruct("HouseholdVisit", { gridWorkerId: Schema.optionalWith(PersonId, { exact: true }) }),
  Schema.TaggedStruct("PartyBranch", { branchId: Schema.optionalWith(PartyOrgId, { exact: true }) }),
  Schema.TaggedStruct("PlatformCase", { caseId: Text.Id }),
  Schema.TaggedStruct("Other", { note: Schema.optionalWith(Text.Note, { exact: true }) })
).annotations({ identifier: "ProblemSource", title: "问题来源 problem source" })

/**
 * @since 0.1.0
 * @category models
 */
export type ProblemSource = typeof ProblemSource.Type

/**
 * Chinese names of the sources.
 *
 * @since 0.1.0
 * @category constants
 */
export const sourceNames: Readonly<Record<ProblemSource["_tag"], string>> = {
  HouseholdVisit: "入户走访",
  PartyBranch: "党支部收集",
  PlatformCase: "平台案件",
  Other: "其他"
}

// ---------------------------------------------------------------------------
// problems
// ---------------------------------------------------------------------------

/**
 * 问题标识 — the identifier of a problem on the problem list.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProblemId = Text.Id.pipe(
  Schema.brand("ProblemId"),
  Schema.annotations({ identifier: "ProblemId", title: "问题标识 problem id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ProblemId = typeof ProblemId.Type

/**
 * 问题状态 — `open` 待解决, `planned` 已列入任务, `resolved` 已解决, `closed` 不予解决.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProblemStatus = Schema.Literal("open", "planned", "resolved", "closed").annotations({
  identifier: "ProblemStatus",
  title: "问题状态 problem status",
  description: "open 待解决 | planned 已列入任务 | resolved 已解决 | closed 不予解决"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ProblemStatus = typeof ProblemStatus.Type

/**
 * Chinese names of the statuses.
 *
 * @since 0.1.0
 * @category constants
 */
export const statusNames: Readonly<Record<ProblemStatus, string>> = {
  open: "待解决",
  planned: "已列入任务",
  resolved: "已解决",
  closed: "不予解决"
}

/**
 * 状态迁移表 — the moves a problem may make: open → planned | closed;
 * planned → open (its task was cancelled) | resolved | closed; resolved and
 * closed are final.
 *
 * @since 0.1.0
 * @category constants
 */
export const transitions: Readonly<Record<ProblemStatus, ReadonlyArray<ProblemStatus>>> = {
  open: ["planned", "closed"],
  planned: ["open", "resolved", "closed"],
  resolved: [],
  closed: []
}

/** A description: bounded multi-line text (`Text.Description`), trimmed and not empty. */
const Description = Text.Description.pipe(Schema.trimmed(), Schema.nonEmptyString())

/** A reason: bounded multi-line text (`Text.Note`), trimmed and not empty. */
const Reason = Text.Note.pipe(Schema.trimmed(), Schema.nonEmptyString())

/**
 * 问题 — one entry of the problem list. Status fields: `taskId` and
 * `plannedAt` while planned (and kept once resolved); `resolvedAt` (and an
 * optional `resolution` note) once resolved; `closedAt` and `closedReason`
 * once closed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Problem = Schema.Struct({
  id: ProblemId,
  /** 所在单元 — the unit where the problem arises (community, compound, building …). */
  unitId: UnitId,
  /** 所在网格 — optionally the grid. */
  gridId: Schema.optionalWith(GridId, { exact: true }),
  categoryId: ProblemCategoryId,
  source: ProblemSource,
  /** 问题描述 — e.g. `"小区电瓶车乱停、飞线充电"` (at most `Text.limits.description` characters). */
  description: Description,
  /** 上报时间. */
  reportedAt: Instant.DateTimeUtc,
  /** 所需能力 — the capability tags needed, sorted, without duplicates. */
  tags: Schema.Array(CapabilityTag),
  /** 需求量 — units of capacity needed (default 1). */
  demand: Schema.Int.pipe(Schema.positive()),
  status: ProblemStatus,
  /** 关联案件 — case ids, sorted, without duplicates. */
  caseIds: Schema.Array(Text.Id),
  /** 任务 — the task that plans it. */
  taskId: Schema.optionalWith(Ids.TaskId, { exact: true }),
  plannedAt: Schema.optionalWith(Instant.DateTimeUtc, { exact: true }),
  resolvedAt: Schema.optionalWith(Instant.DateTimeUtc, { exact: true }),
  /** 解决情况 — an optional note on how it was resolved. */
  resolution: Schema.optionalWith(Text.Note, { exact: true }),
  closedAt: Schema.optionalWith(Instant.DateTimeUtc, { exact: true }),
  /** 不予解决原因 — why it was closed without being solved. */
  closedReason: Schema.optionalWith(Reason, { exact: true })
}).annotations({ identifier: "Problem", title: "问题 problem" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Problem extends Schema.Schema.Type<typeof Problem> {}

const sortedUnique = (xs: ReadonlyArray<string>): Array<string> =>
  Arr.dedupe(xs.map((x) => x.trim()).filter((x) => x.length > 0)).sort(Ids.compareStrings)

/**
 * Builds an open problem without validation (for trusted data and tests; decode
 * untrusted rows with the `Problem` schema and check them with {@link validate}).
 * `demand` defaults to 1; tags and case ids are deduped and sorted; a
 * `PlatformCase` source's case id is added to the links.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (fields: {
  readonly id: string
  readonly unitId: string
  readonly gridId?: string
  readonly categoryId: string
  readonly source: ProblemSource
  readonly description: string
  readonly reportedAt: DateTime.Utc
  readonly tags?: ReadonlyArray<string>
  readonly demand?: number
  readonly caseIds?: ReadonlyArray<string>
}): Problem => {
  const caseIds = sortedUnique([
    ...(fields.caseIds ?? []),
    ...(fields.source._tag === "PlatformCase" ? [fields.source.caseId] : [])
  ])
  const problem: Problem = {
    id: ProblemId.make(fields.id, { disableValidation: true }),
    unitId: UnitId.make(fields.unitId, { disableValidation: true }),
    categoryId: categoryId(fields.categoryId),
    source: fields.source,
    description: fields.description,
    reportedAt: fields.reportedAt,
    tags: Ids.normalizeTags(fields.tags ?? []),
    demand: fields.demand ?? 1,
    status: "open",
    caseIds
  }
  return fields.gridId === undefined
    ? problem
    : { ...problem, gridId: GridId.make(fields.gridId, { disableValidation: true }) }
}

// ---------------------------------------------------------------------------
// transitions
// ---------------------------------------------------------------------------

/**
 * 问题操作 — `plan` 列入任务, `unplan` 撤出任务, `resolve` 解决, `close` 不予解决.
 *
 * @since 0.1.0
 * @category models
 */
export const ProblemAction = Schema.Literal("plan", "unplan", "resolve", "close").annotations({
  identifier: "ProblemAction",
  title: "问题操作 problem action"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ProblemAction = typeof ProblemAction.Type

/**
 * 问题规则 — why a move is refused: `illegal-transition` 状态不允许,
 * `reason-required` 须说明不予解决原因, `before-report` 时间早于上报时间.
 *
 * @since 0.1.0
 * @category errors
 */
export const ProblemRule = Schema.Literal(
  "illegal-transition",
  "reason-required",
  "before-report"
).annotations({
  identifier: "ProblemRule",
  title: "问题规则 problem rule"
})

/**
 * @since 0.1.0
 * @category errors
 */
export type ProblemRule = typeof ProblemRule.Type

const actionTarget: Readonly<Record<ProblemAction, ProblemStatus>> = {
  plan: "planned",
  unplan: "open",
  resolve: "resolved",
  close: "closed"
}

/**
 * 操作被拒绝 — a refused move: the problem, its status, the action and the rule.
 * The problem is left unchanged.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProblemRefused extends Schema.TaggedError<ProblemRefused>()("ProblemRefused", {
  problemId: ProblemId,
  status: ProblemStatus,
  action: ProblemAction,
  rule: ProblemRule
}) {
  override get message(): string {
    const head = `problem ${this.problemId} (${this.status} ${statusNames[this.status]}): ${this.action} refused`
    const text: Record<ProblemRule, string> = {
      "illegal-transition": `状态不允许: ${this.status} → ${actionTarget[this.action]} is not allowed`,
      "reason-required": "须说明不予解决原因: closing needs a non-blank reason",
      "before-report": "时间早于上报时间: the time is before the problem was reported"
    }
    return `${head} — [${this.rule}] ${text[this.rule]}`
  }
}

const refuse = (p: Problem, action: ProblemAction, rule: ProblemRule) =>
  Either.left(new ProblemRefused({ problemId: p.id, status: p.status, action, rule }))

const allowed = (p: Problem, action: ProblemAction): boolean =>
  transitions[p.status].includes(actionTarget[action])

const beforeReport = (p: Problem, at: DateTime.Utc): boolean => DateTime.lessThan(at, p.reportedAt)

/**
 * 列入任务 — open → planned: the problem is on the task list under `taskId`.
 *
 * @since 0.1.0
 * @category transitions
 */
export const plan = (
  self: Problem,
  params: { readonly taskId: string; readonly at: DateTime.Utc }
): Either.Either<Problem, ProblemRefused> => {
  if (!allowed(self, "plan")) return refuse(self, "plan", "illegal-transition")
  if (beforeReport(self, params.at)) return refuse(self, "plan", "before-report")
  return Either.right({
    ...self,
    status: "planned",
    taskId: Ids.TaskId.make(params.taskId, { disableValidation: true }),
    plannedAt: params.at
  })
}

/**
 * 撤出任务 — planned → open: the task that planned it was cancelled; the task
 * link is dropped.
 *
 * @since 0.1.0
 * @category transitions
 */
export const unplan = (self: Problem): Either.Either<Problem, ProblemRefused> => {
  if (!allowed(self, "unplan")) return refuse(self, "unplan", "illegal-transition")
  const { plannedAt: _plannedAt, taskId: _taskId, ...rest } = self
  return Either.right({ ...rest, status: "open" })
}

/**
 * 解决 — planned → resolved, with an optional note.
 *
 * @since 0.1.0
 * @category transitions
 */
export const resolve = (
  self: Problem,
  params: { readonly at: DateTime.Utc; readonly note?: string }
): Either.Either<Problem, ProblemRefused> => {
  if (!allowed(self, "resolve")) return refuse(self, "resolve", "illegal-transition")
  if (beforeReport(self, params.at)) return refuse(self, "resolve", "before-report")
  const resolved: Problem = { ...self, status: "resolved", resolvedAt: params.at }
  return Either.right(params.note === undefined ? resolved : { ...resolved, resolution: params.note })
}

/**
 * 不予解决 — open or planned → closed, with a non-blank reason.
 *
 * @since 0.1.0
 * @category transitions
 */
export const close = (
  self: Problem,
  params: { readonly at: DateTime.Utc; readonly reason: string }
): Either.Either<Problem, ProblemRefused> => {
  if (!allowed(self, "close")) return refuse(self, "close", "illegal-transition")
  const reason = params.reason.trim()
  if (reason.length === 0) return refuse(self, "close", "reason-required")
  if (beforeReport(self, params.at)) return refuse(self, "close", "before-report")
  return Either.right({ ...self, status: "closed", closedAt: params.at, closedReason: reason })
}

/**
 * 关联案件 — links a case (by id) to the problem, in any status; links stay
 * sorted and unique.
 *
 * @since 0.1.0
 * @category combinators
 */
export const linkCase = (self: Problem, caseId: string): Problem => ({
  ...self,
  caseIds: sortedUnique([...self.caseIds, caseId])
})

// ---------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------

/**
 * 问题校验规则 — `duplicate-id` 问题标识重复, `unknown-category` 类别不存在,
 * `unknown-unit` 单元不存在, `status-fields` 状态信息不完整 (a planned or
 * resolved problem without its task, a resolved one without `resolvedAt`, a
 * closed one without reason or time), `unknown-grid` 网格不存在 (a grid the
 * given grids do not hold), `grid-community` 网格不属于所在社区 (the problem's
 * grid belongs to another community than the one its unit lies in).
 *
 * @since 0.1.0
 * @category validation
 */
export const ProblemListRule = Schema.Literal(
  "duplicate-id",
  "unknown-category",
  "unknown-unit",
  "status-fields",
  "unknown-grid",
  "grid-community"
).annotations({ identifier: "ProblemListRule", title: "问题校验规则 problem list rule" })

/**
 * @since 0.1.0
 * @category validation
 */
export type ProblemListRule = typeof ProblemListRule.Type

/**
 * 问题校验问题 — one violation: the rule, the problem and a readable message.
 *
 * @since 0.1.0
 * @category validation
 */
export const ProblemViolation = Schema.TaggedStruct("ProblemViolation", {
  rule: ProblemListRule,
  problemId: ProblemId,
  message: Schema.String
}).annotations({ identifier: "ProblemViolation", title: "问题校验问题 problem violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface ProblemViolation extends Schema.Schema.Type<typeof ProblemViolation> {}

/**
 * 问题清单无效 — carries every violation, sorted by problem id then rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProblemListInvalid extends Schema.TaggedError<ProblemListInvalid>()("ProblemListInvalid", {
  violations: Schema.NonEmptyArray(ProblemViolation)
}) {
  override get message(): string {
    return `问题清单无效 invalid problem list (${this.violations.length} violation(s)): ${this.violations
      .map((v) => v.message)
      .join("; ")}`
  }
}

const gridRule = <U extends Unit>(
  p: Problem,
  grids: ReadonlyMap<string, GridOfProblem> | undefined,
  hierarchy: Hierarchy.Hierarchy<U> | undefined
): { readonly rule: ProblemListRule; readonly message: string } | undefined => {
  if (p.gridId === undefined || grids === undefined) return undefined
  const grid = grids.get(p.gridId)
  if (grid === undefined) {
    return {
      rule: "unknown-grid",
      message: `网格不存在 problem "${p.id}": unknown grid "${p.gridId}" (rule unknown-grid)`
    }
  }
  if (hierarchy === undefined || !Hierarchy.has(hierarchy, p.unitId)) return undefined
  if (Hierarchy.isWithin(hierarchy, p.unitId, grid.communityId)) return undefined
  return {
    rule: "grid-community",
    message:
      `网格不属于问题所在社区 problem "${p.id}": grid "${grid.id}" belongs to community "${grid.communityId}", ` +
      `but unit "${p.unitId}" is not within it (rule grid-community)`
  }
}

const missingStatusFields = (p: Problem): ReadonlyArray<string> => {
  const missing: Array<string> = []
  if (p.status === "planned" || p.status === "resolved") {
    if (p.taskId === undefined) missing.push("taskId")
    if (p.plannedAt === undefined) missing.push("plannedAt")
  }
  if (p.status === "resolved" && p.resolvedAt === undefined) missing.push("resolvedAt")
  if (p.status === "closed") {
    if (p.closedAt === undefined) missing.push("closedAt")
    if (p.closedReason === undefined) missing.push("closedReason")
  }
  return missing
}

/**
 * 问题所在网格 — what the grid rules need of a grid: its id and its community.
 *
 * @since 0.1.0
 * @category validation
 */
export type GridOfProblem = Pick<Grid, "id" | "communityId">

/**
 * 问题清单校验 — checks a problem list (e.g. one imported from a 台账) and
 * returns every violation: duplicate ids, categories not in the table
 * (default {@link defaultCategories}), units the hierarchy does not know (when
 * one is given), incomplete status fields, and — when `grids` are given —
 * grids they do not hold (`unknown-grid`) and, with a hierarchy too, a grid
 * of another community than the problem's unit (`grid-community`: the unit
 * must lie within the grid's community). On success returns the problems
 * sorted by id.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = <U extends Unit>(
  problems: ReadonlyArray<Problem>,
  options?: {
    readonly categories?: ReadonlyArray<ProblemCategory>
    readonly hierarchy?: Hierarchy.Hierarchy<U>
    readonly grids?: ReadonlyArray<GridOfProblem>
  }
): Either.Either<ReadonlyArray<Problem>, ProblemListInvalid> => {
  const violations: Array<ProblemViolation> = []
  const v = (rule: ProblemListRule, problemId: ProblemId, message: string) =>
    violations.push(ProblemViolation.make({ rule, problemId, message }))
  const counts = new Map<string, number>()
  for (const p of problems) counts.set(p.id, (counts.get(p.id) ?? 0) + 1)
  for (const [id, n] of counts) {
    if (n > 1)
      v(
        "duplicate-id",
        ProblemId.make(id, { disableValidation: true }),
        `问题标识重复 problem "${id}" appears ${n} times`
      )
  }
  const categories = new Set<string>((options?.categories ?? defaultCategories).map((c) => c.id))
  const hierarchy = options?.hierarchy
  const grids = options?.grids === undefined ? undefined : new Map(options.grids.map((g) => [g.id, g]))
  for (const p of problems) {
    if (!categories.has(p.categoryId)) {
      v("unknown-category", p.id, `类别不存在 problem "${p.id}": unknown category "${p.categoryId}"`)
    }
    if (hierarchy !== undefined && !Hierarchy.has(hierarchy, p.unitId)) {
      v("unknown-unit", p.id, `单元不存在 problem "${p.id}": unknown unit "${p.unitId}"`)
    }
    const gridViolation = gridRule(p, grids, hierarchy)
    if (gridViolation !== undefined) v(gridViolation.rule, p.id, gridViolation.message)
    const missing = missingStatusFields(p)
    if (missing.length > 0) {
      v(
        "status-fields",
        p.id,
        `状态信息不完整 problem "${p.id}" is ${p.status} (${statusNames[p.status]}) but lacks ${missing.join(", ")}`
      )
    }
  }
  violations.sort(
    (a, b) => Ids.compareStrings(a.problemId, b.problemId) || Ids.compareStrings(a.rule, b.rule)
  )
  if (Arr.isNonEmptyArray(violations)) return Either.left(new ProblemListInvalid({ violations }))
  return Either.right([...problems].sort((a, b) => Ids.compareStrings(a.id, b.id)))
}

// ---------------------------------------------------------------------------
// summaries
// ---------------------------------------------------------------------------

/**
 * 分类汇总 — one row of the problem ledger summary: a category and how many of
 * its problems are in each status.
 *
 * @since 0.1.0
 * @category models
 */
export interface CategorySummary {
  readonly categoryId: ProblemCategoryId
  /** The category's Chinese name; the id itself for a category not in the table. */
  readonly name: string
  readonly counts: Readonly<Record<ProblemStatus, number>>
  readonly total: number
}

/**
 * 分类梳理 — counts problems by category and status ("条目式分类梳理 … 5大类问题",
 * the community experience report): one row per category of the table in table order (zero rows
 * included), then any category not in the table, in id order.
 *
 * @since 0.1.0
 * @category getters
 */
export const summarize = (
  problems: ReadonlyArray<Problem>,
  categories: ReadonlyArray<ProblemCategory> = defaultCategories
): ReadonlyArray<CategorySummary> => {
  const rows = new Map<string, { name: string; counts: Record<ProblemStatus, number> }>()
  const zero = (): Record<ProblemStatus, number> => ({ open: 0, planned: 0, resolved: 0, closed: 0 })
  for (const c of categories) if (!rows.has(c.id)) rows.set(c.id, { name: c.name, counts: zero() })
  const extra: Array<string> = []
  for (const p of problems) {
    let row = rows.get(p.categoryId)
    if (row === undefined) {
      row = { name: p.categoryId, counts: zero() }
      rows.set(p.categoryId, row)
      extra.push(p.categoryId)
    }
    row.counts[p.status] += 1
  }
  const known = new Set(categories.map((c) => c.id as string))
  const order = [...rows.keys()].filter((id) => known.has(id)).concat(extra.sort(Ids.compareStrings))
  return order.flatMap((id) => {
    const row = rows.get(id)
    if (row === undefined) return []
    const c = row.counts
    return [
      {
        categoryId: categoryId(id),
        name: row.name,
        counts: c,
        total: c.open + c.planned + c.resolved + c.closed
      }
    ]
  })
}
