/**
 * 案件仓库 — the port through which cases are stored. The core declares it
 * and stays free of I/O; `@civicgrid/sql` implements it as a Layer on SQLite
 * and PostgreSQL, and `layerMemory` is a Ref-based implementation for apps'
 * tests.
 *
 * The store is an **event store**: a case's events are appended after the
 * version the writer last saw (`expectedVersion`, 0 for a new case); a
 * concurrent writer gets a typed `ConcurrencyConflict` carrying the current
 * version, never a lost or duplicated event (the store keeps case id +
 * sequence unique). A **read model** — one summary row per case, computed with
 * `summarize` from the fold of the case's events — is updated in the same
 * transaction as the events, so the two never disagree. A report may carry an
 * **idempotency key**: the same key twice gives the same case, not two — also
 * when two requests with one key race (the store keeps keys unique and answers
 * the loser with the winner's case).
 *
 * **Subtrees.** Every case records the materialised path of its location unit
 * (`/<root>/…/<unit>/`, as the hierarchy stores it) when it is reported;
 * `list({ within })` selects the cases whose path starts with the unit's path —
 * an indexed range, never a tree walk. A location unit the hierarchy does not
 * know gets a fallback path (see `casePath`).
 *
 * **Deadlines.** Given a time-limit policy and a working calendar
 * (`TimeLimits`), the read model holds the current step's deadline
 * (`TimeLimit.deadline`); without them, or when it cannot be computed (a year
 * with no loaded schedule, no matching rule) or while the clock is stopped
 * (挂账 suspended), the deadline is `null`.
 *
 * What an implementation must share is exported here (`summarize`,
 * `casePath`, `encodeCursor` / `decodeCursor`, `planPage`,
 * `appendAllProblems`, `foldAppend`), so every store answers the same
 * conformance suite identically.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { ActorId, DepartmentId } from "./Actor.js"
import * as Case from "./Case.js"
import { CaseId, Status } from "./Case.js"
import { CategoryId, Urgency } from "./CaseCategory.js"
import type { CaseEvent } from "./CaseEvent.js"
import { CaseStep } from "./CaseStep.js"
import * as Escalation from "./Escalation.js"
import * as internalMemory from "./internal/memoryCaseRepository.js"
import type { StorageUnavailable } from "./Storage.js"
import { Tier } from "./Tier.js"
import * as TimeLimit from "./TimeLimit.js"
import { UnitId } from "./Unit.js"
import type { WorkingCalendar } from "./WorkingCalendar.js"

// -----------------------------------------------------------------------------
// errors
// -----------------------------------------------------------------------------

/**
 * 并发冲突 — another writer appended to the case first: the writer's
 * `expectedVersion` is not the case's current version.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConcurrencyConflict extends Schema.TaggedError<ConcurrencyConflict>()("ConcurrencyConflict", {
  caseId: CaseId,
  expectedVersion: Schema.Int,
  actualVersion: Schema.Int
}) {
  override get message(): string {
    return `并发冲突 concurrency conflict on case ${this.caseId}: expected version ${this.expectedVersion}, the case is at ${this.actualVersion}; reload and retry`
  }
}

/**
 * 案件不存在 — no case has this id.
 *
 * @since 0.1.0
 * @category errors
 */
export class CaseNotFound extends Schema.TaggedError<CaseNotFound>()("CaseNotFound", {
  caseId: Schema.String
}) {
  override get message(): string {
    return `案件不存在 case not found: ${this.caseId}`
  }
}

/**
 * 查询参数无效 — one bad parameter of a `CaseQuery`.
 *
 * @since 0.1.0
 * @category errors
 */
export const QueryViolation = Schema.Struct({
  field: Schema.Literal("limit", "after", "reportedFrom", "reportedTo", "overdueAt", "light"),
  message: Schema.String
}).annotations({ identifier: "CaseQueryViolation", title: "查询参数无效 query violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface QueryViolation extends Schema.Schema.Type<typeof QueryViolation> {}

/**
 * 查询无效 — a `CaseQuery` a store cannot run: a page size outside 1 … 500, a
 * cursor that no store issued, an invalid date. Lists every bad parameter.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCaseQuery extends Schema.TaggedError<InvalidCaseQuery>()("InvalidCaseQuery", {
  violations: Schema.NonEmptyArray(QueryViolation)
}) {
  override get message(): string {
    return `查询无效 invalid case query: ${this.violations.map((v) => `[${v.field}] ${v.message}`).join("; ")}`
  }
}

// -----------------------------------------------------------------------------
// models
// -----------------------------------------------------------------------------

/**
 * 案件摘要 — the read-model row of a case: what lists, filters and indicators
 * need without replaying events.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CaseSummary = Schema.Struct({
  caseId: CaseId,
  version: Schema.Int,
  status: Status,
  tier: Tier,
  ownerUnitId: UnitId,
  communityId: UnitId,
  unitId: UnitId,
  categoryId: CategoryId,
  urgency: Urgency,
  source: Case.Source,
  step: Schema.NullOr(CaseStep),
  stepStartedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** 当前环节截止时间 — the current step's deadline, when the store was given a time-limit policy. */
  deadline: Schema.NullOr(Schema.DateTimeUtc),
  /**
   * 黄灯时刻 — the first instant the current step's light is yellow
   * (`TimeLimit.marks`), `null` whenever `deadline` is (see `lightOf`).
   */
  yellowAt: Schema.NullOr(Schema.DateTimeUtc),
  /** 红灯时刻 — the first instant the current step's light is red (超期), `null` whenever `deadline` is. */
  redAt: Schema.NullOr(Schema.DateTimeUtc),
  reportedAt: Schema.DateTimeUtc,
  closedAt: Schema.NullOr(Schema.DateTimeUtc),
  closedTier: Schema.NullOr(Tier),
  /** 最后更新 — the instant of the last event other than a comment (`Case.updatedAt`). */
  updatedAt: Schema.DateTimeUtc,
  /**
   * 最后评论 — the instant of the last comment (`Case.commentedAt`), `null` when
   * none: the case's last activity is the later of the two (e.g. for Open311
   * `servicerequestupdates` since a date).
   */
  commentedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** 督办次数 — how many times the case was supervised (督办/催办, `Case.supervisions`). */
  supervisions: Schema.Int,
  /** 最后督办 — the instant of the last supervision, `null` when none. */
  supervisedAt: Schema.NullOr(Schema.DateTimeUtc)
}).annotations({ identifier: "CaseSummary", title: "案件摘要 case summary" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CaseSummary extends Schema.Schema.Type<typeof CaseSummary> {}

/**
 * 案件查询 — filters for listing cases; every filter is optional and they
 * combine with AND. A list filter that is present but empty matches nothing.
 *
 * @since 0.1.0
 * @category models
 */
export interface CaseQuery {
  /** 辖区 — cases whose location lies within this unit's subtree (the unit included). */
  readonly within?: UnitId
  readonly status?: ReadonlyArray<Case.Status>
  readonly tier?: ReadonlyArray<Tier>
  readonly categoryId?: ReadonlyArray<CategoryId>
  /** Reported at or after this instant. */
  readonly reportedFrom?: Date
  /** Reported before this instant. */
  readonly reportedTo?: Date
  /** 超期 — open cases (`Case.isOpen`) whose current step's deadline is before this instant. */
  readonly overdueAt?: Date
  /**
   * 计时灯 — open cases whose current step's light at `at` is one of `colors`
   * (`lightOf`: a store compares `yellowAt` / `redAt` with `at`, no fold). A
   * case without a light (no running clock: closed, suspended 挂账, no time
   * limits) matches no color.
   */
  readonly light?: { readonly colors: ReadonlyArray<TimeLimit.LightColor>; readonly at: Date }
  /**
   * 排序 — `reported` (default): newest report first; `deadline`: least time
   * left first (deadline ascending, ties by case id ascending) — only cases
   * with a deadline are listed then. Each order has its own cursors.
   */
  readonly order?: "reported" | "deadline"
  /** Page size, 1 … 500 (default 50). */
  readonly limit?: number
  /** Keyset cursor from the previous page's `next`. */
  readonly after?: string
  /**
   * 可见范围 — an access scope (`CaseScope`): only cases matching at least one
   * of its clauses. Combines with the other filters by AND.
   */
  readonly scope?: CaseScope
}

/**
 * 来源计数查询 — cases located within `within`'s subtree (the unit included),
 * reported at or after `reportedFrom` and before `reportedTo`.
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceCountQuery {
  readonly within: UnitId
  readonly reportedFrom?: Date
  readonly reportedTo?: Date
}

/**
 * 来源计数 — how many cases came from a source (`Case.Source`).
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceCount {
  readonly source: Case.Source
  readonly count: number
}

/**
 * The order and shape `countBySource` answers in: by source, sources without
 * cases left out (what every store returns).
 *
 * @since 0.1.0
 * @category utils
 */
export const sourceCounts = (
  counts: Iterable<readonly [Case.Source, number]>
): ReadonlyArray<SourceCount> => {
  const total = new Map<Case.Source, number>()
  for (const [source, n] of counts) total.set(source, (total.get(source) ?? 0) + n)
  return [...total]
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([source, count]) => ({ source, count }))
}

/**
 * 可见范围 — who may see a case, as a query clause: a case is in scope when
 * it matches AT LEAST ONE clause given — its location lies within `within`'s
 * subtree, it is currently dispatched to `department` (职能部门), or it was
 * reported by `reportedBy` (a resident's own reports). A scope without any
 * clause matches nothing. Access layers (HTTP) translate a principal into a
 * scope, so a store filters by access in the same query that pages — no page
 * is thinned after the fact.
 *
 * @since 0.1.0
 * @category models
 */
export interface CaseScope {
  readonly within?: UnitId
  readonly department?: DepartmentId
  readonly reportedBy?: ActorId
}

/**
 * 范围判断 — whether a case (its location path, current dispatch target and
 * reporter) is in a scope; `subtreePrefix` is the scope's `within` unit's
 * subtree path (`subtreePath`). The reference semantics every store follows.
 *
 * @since 0.1.0
 * @category predicates
 */
export const inScope = (
  scope: CaseScope,
  subtreePrefix: string | undefined,
  facts: {
    readonly path: string
    readonly dispatchTarget: Case.DispatchTarget | null
    readonly reportedBy: string
  }
): boolean =>
  (subtreePrefix !== undefined && facts.path.startsWith(subtreePrefix)) ||
  (scope.department !== undefined &&
    facts.dispatchTarget?._tag === "Department" &&
    facts.dispatchTarget.departmentId === scope.department) ||
  (scope.reportedBy !== undefined && facts.reportedBy === scope.reportedBy)

/**
 * 部门派遣 — the department a case is currently dispatched to, if any (what a
 * store records for `CaseScope.department`).
 *
 * @since 0.1.0
 * @category getters
 */
export const dispatchedDepartment = (state: Case.Case): DepartmentId | null =>
  state.dispatchTarget?._tag === "Department" ? state.dispatchTarget.departmentId : null

/**
 * A page of summaries, newest report first (ties by case id, descending),
 * with the cursor of the next page (none on the last page). Keyset
 * pagination is stable under inserts: a case that existed when the first page
 * was read is neither repeated nor skipped by later pages.
 *
 * @since 0.1.0
 * @category models
 */
export interface CasePage {
  readonly items: ReadonlyArray<CaseSummary>
  readonly next: Option.Option<string>
}

/**
 * What an append returns: the case and its version after the append, and
 * whether an idempotent report found its key already used (then nothing was
 * appended, `caseId` is the case the key created and `version` its current
 * version).
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendResult {
  readonly caseId: CaseId
  readonly version: number
  readonly replayed: boolean
}

/**
 * 追加请求 — one case's new events, after `expectedVersion` (0 for a new case).
 * The events must belong to `caseId` and be numbered `expectedVersion + 1`,
 * `+ 2` … (as `Case.decide` numbers them); an idempotency key is for new cases
 * only. A request that breaks these is a programming error: the store dies
 * (see `appendProblems`).
 *
 * **Guards.** No events with `expectedVersion > 0` means "this case must still
 * be at this version": nothing is written for it, and a stale version fails
 * the batch with `ConcurrencyConflict` like any other input. In `appendAll`
 * a guard locks a case the other inputs were decided against (a merge guards
 * its target: two cases merged into each other at once cannot both succeed).
 *
 * **Decided.** A writer that has just loaded and folded the case (as
 * `CaseService` does) passes what it decided against: `history`, the stored
 * events (`expectedVersion` of them), and `after`, the state after the new
 * events (`Case.fold` of both). A store may then skip reading and folding the
 * history; it still checks `expectedVersion` against the stored version under
 * its lock, so a stale writer still gets `ConcurrencyConflict`. `after` must
 * be that fold — anything else is a programming error the store may not detect.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendInput {
  readonly caseId: CaseId
  readonly expectedVersion: number
  readonly events: ReadonlyArray<CaseEvent>
  readonly idempotencyKey?: string
  readonly decided?: Decided
}

/**
 * 决策依据 — what an append's events were decided against: the stored history
 * (its length is the input's `expectedVersion`) and the state after the new
 * events.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decided {
  readonly history: ReadonlyArray<CaseEvent>
  readonly after: Case.Case
}

/**
 * 导入案件 — one historical case for a bulk import (`CaseRepository.importNew`):
 * its whole history — events of one case numbered 1, 2 … as the core's decider
 * numbers them (`Case.execute`, as `CaseImport` decides them) — and the state
 * the history folds to (`after`, `Case.fold(events)`). Anything else is a
 * programming error (`importProblems`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportInput {
  readonly events: ReadonlyArray<CaseEvent>
  readonly after: Case.Case
}

/**
 * The append an import input stands for: a new case (`expectedVersion` 0)
 * with all its events, decided against an empty history. `importNew` of a
 * batch stores exactly what `appendAll` of these appends stores.
 *
 * @since 0.1.0
 * @category constructors
 */
export const importAppend = (input: ImportInput): AppendInput => ({
  caseId: input.after.id,
  expectedVersion: 0,
  events: input.events,
  decided: { history: [], after: input.after }
})

/**
 * 到期查询 — `CaseRepository.dueBefore`'s query: open cases whose deadline is
 * before `before`, only the given tiers (all when absent), at most `limit`
 * (1 … 500) of them, after the key of the previous batch's last case.
 *
 * @since 0.1.0
 * @category models
 */
export interface DueQuery {
  readonly before: DateTime.Utc
  readonly limit: number
  readonly tiers?: ReadonlyArray<Tier>
  readonly after?: DueKey
}

/**
 * 到期键 — where a batch of `dueBefore` ends: the last case's deadline (epoch
 * milliseconds) and id.
 *
 * @since 0.1.0
 * @category models
 */
export interface DueKey {
  readonly deadline: number
  readonly caseId: string
}

/**
 * The `DueKey` of a summary with a deadline (none without one).
 *
 * @since 0.1.0
 * @category getters
 */
export const dueKeyOf = (summary: CaseSummary): Option.Option<DueKey> =>
  summary.deadline === null
    ? Option.none()
    : Option.some({ deadline: DateTime.toEpochMillis(summary.deadline), caseId: summary.caseId })

/**
 * 到期判断 — the reference semantics of `dueBefore` every store follows:
 * whether a summary matches a `DueQuery` (its limit aside).
 *
 * @since 0.1.0
 * @category predicates
 */
export const matchesDue = (summary: CaseSummary, query: DueQuery): boolean => {
  if (!Case.isOpen(summary.status) || summary.deadline === null) return false
  if (query.tiers !== undefined && !query.tiers.includes(summary.tier)) return false
  const deadline = DateTime.toEpochMillis(summary.deadline)
  if (!(deadline < DateTime.toEpochMillis(query.before))) return false
  const after = query.after
  return (
    after === undefined ||
    deadline > after.deadline ||
    (deadline === after.deadline && summary.caseId > after.caseId)
  )
}

/**
 * 变灯查询 — `CaseRepository.lightsCrossed`'s query: open cases whose current
 * step's light turned yellow or red in the window (`since`, `until`] —
 * `yellowAt` or `redAt` (the read model's) after `since` and at or before
 * `until` — at most `limit` (1 … 500) of them, by case id, after the case id
 * `after` (the previous batch's last).
 *
 * @since 0.1.0
 * @category models
 */
export interface LightsQuery {
  readonly since: DateTime.Utc
  readonly until: DateTime.Utc
  readonly limit: number
  readonly after?: string
}

/**
 * 变灯判断 — the reference semantics of `lightsCrossed` every store follows:
 * whether a summary matches a `LightsQuery` (its limit aside).
 *
 * @since 0.1.0
 * @category predicates
 */
export const matchesLights = (summary: CaseSummary, query: LightsQuery): boolean => {
  if (!Case.isOpen(summary.status) || summary.yellowAt === null || summary.redAt === null) return false
  if (query.after !== undefined && !(summary.caseId > query.after)) return false
  const since = DateTime.toEpochMillis(query.since)
  const until = DateTime.toEpochMillis(query.until)
  const within = (mark: DateTime.Utc) => {
    const t = DateTime.toEpochMillis(mark)
    return t > since && t <= until
  }
  return within(summary.yellowAt) || within(summary.redAt)
}

/**
 * 时限配置 — what a store needs to keep each case's current deadline: the
 * time-limit policy and the working calendar.
 *
 * @since 0.1.0
 * @category models
 */
export interface TimeLimits {
  readonly policy: TimeLimit.TimeLimitPolicy
  readonly calendar: WorkingCalendar
}

/**
 * 看板 — the command centre's board (指挥调度 看板) for a unit's subtree at an
 * instant: open cases by status × light (`light` `null`: no running clock),
 * open red cases (超期) by tier, escalations 上报升级 and closures 结案 on the
 * instant's calendar day in Beijing time (+08:00, `boardDay`), open cases
 * under supervision 督办. Every count is
 * over the cases located in the unit's subtree (as `list({ within })`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Board = Schema.Struct({
  unitId: UnitId,
  at: Schema.DateTimeUtc,
  /** 当日 — the calendar day (+08:00) the `today` counts are over: `[from, to)`. */
  day: Schema.Struct({ from: Schema.DateTimeUtc, to: Schema.DateTimeUtc }),
  /** 在办案件 — open cases by status × light; only non-zero cells, ordered by status then light. */
  open: Schema.Array(
    Schema.Struct({ status: Status, light: Schema.NullOr(TimeLimit.LightColor), count: Schema.Int })
  ),
  /** 超期 — open cases whose light is red, by the tier that owns them; only non-zero tiers. */
  overdue: Schema.Array(Schema.Struct({ tier: Tier, count: Schema.Int })),
  /** 今日上报升级 — escalation events (`Escalated`) of the day. */
  escalatedToday: Schema.Int,
  /** 今日结案 — cases closed on the day (`closedAt`). */
  closedToday: Schema.Int,
  /** 督办在办 — open cases supervised at least once (督办/催办). */
  supervised: Schema.Int
}).annotations({ identifier: "CaseBoard", title: "看板 board" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Board extends Schema.Schema.Type<typeof Board> {}

const BEIJING_OFFSET_MS = 8 * 3_600_000
const DAY_MS = 86_400_000

/**
 * 当日 — the calendar day in Beijing time (+08:00, no daylight saving) an
 * instant falls on, as `[from, to)` epoch milliseconds.
 *
 * @since 0.1.0
 * @category getters
 */
export const boardDay = (now: DateTime.Utc): { readonly from: number; readonly to: number } => {
  const from = Math.floor((now.epochMillis + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS
  return { from, to: from + DAY_MS }
}

/** Status order, then light order (`null` last), for the board's cells. */
const lightRank: Readonly<Record<TimeLimit.LightColor, number>> = { green: 0, yellow: 1, red: 2 }

/**
 * Puts a board's cells in their order (status in loop order, then green,
 * yellow, red, none; tiers community → district) and drops zero counts — so
 * every store answers the same board.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeBoard = (input: {
  readonly unitId: UnitId
  readonly at: DateTime.Utc
  readonly open: ReadonlyArray<{
    readonly status: Case.Status
    readonly light: TimeLimit.LightColor | null
    readonly count: number
  }>
  readonly overdue: ReadonlyArray<{ readonly tier: Tier; readonly count: number }>
  readonly escalatedToday: number
  readonly closedToday: number
  readonly supervised: number
}): Board => {
  const day = boardDay(input.at)
  const statusRank = (s: Case.Status) => Case.statuses.indexOf(s)
  const tiers: ReadonlyArray<Tier> = ["community", "street", "district"]
  return {
    unitId: input.unitId,
    at: input.at,
    day: { from: DateTime.unsafeMake(day.from), to: DateTime.unsafeMake(day.to) },
    open: input.open
      .filter((c) => c.count > 0)
      .map((c) => ({ status: c.status, light: c.light, count: c.count }))
      .sort(
        (a, b) =>
          statusRank(a.status) - statusRank(b.status) ||
          (a.light === null ? 3 : lightRank[a.light]) - (b.light === null ? 3 : lightRank[b.light])
      ),
    overdue: input.overdue
      .filter((c) => c.count > 0)
      .map((c) => ({ tier: c.tier, count: c.count }))
      .sort((a, b) => tiers.indexOf(a.tier) - tiers.indexOf(b.tier)),
    escalatedToday: input.escalatedToday,
    closedToday: input.closedToday,
    supervised: input.supervised
  }
}

/**
 * 已存案件 — a case as a store holds it: its events in sequence order and its
 * read-model row (`CaseRepository.read`).
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredCase {
  readonly events: ReadonlyArray<CaseEvent>
  readonly summary: CaseSummary
}

/**
 * 案件仓库 — the case store port.
 *
 * @since 0.1.0
 * @category tags
 */
export class CaseRepository extends Context.Tag("@civicgrid/core/CaseRepository")<
  CaseRepository,
  {
    // Every operation may fail with `StorageUnavailable` (存储不可用): the store
    // is busy, unreachable or kept conflicting; nothing was written.
    /**
     * Appends one case's events after `expectedVersion`, atomically with its
     * read-model row. With an idempotency key (new cases only), a key already
     * used appends nothing and returns its case with `replayed: true`.
     */
    readonly append: (
      input: AppendInput
    ) => Effect.Effect<AppendResult, ConcurrencyConflict | StorageUnavailable>
    /**
     * Appends many cases' events in one transaction — all or nothing (a bulk
     * import): each input as with `append` (one input per case); the first
     * conflict fails the whole batch. A key used twice in the batch creates
     * one case; the later input is replayed. An input without events is a
     * guard (see `AppendInput`): its case must still be at `expectedVersion`
     * when the batch commits; its result is that version. Results are in
     * input order.
     */
    readonly appendAll: (
      inputs: ReadonlyArray<AppendInput>
    ) => Effect.Effect<ReadonlyArray<AppendResult>, ConcurrencyConflict | StorageUnavailable>
    /**
     * 批量导入 — new cases with their whole histories in one transaction, all
     * or nothing (a platform migrating its past cases): stores exactly what
     * `appendAll` of `importAppend` of each stores (events, read model,
     * outbox, indicators), without the work only existing cases or reports
     * with idempotency keys need — no version read, plain inserts. A case
     * that exists already fails the batch with `ConcurrencyConflict` (expected
     * version 0, actual its version). Malformed inputs (`importProblems`) are
     * programming errors: the store dies.
     */
    readonly importNew: (
      inputs: ReadonlyArray<ImportInput>
    ) => Effect.Effect<void, ConcurrencyConflict | StorageUnavailable>
    /** The case an idempotency key created, if any. */
    readonly findByIdempotencyKey: (key: string) => Effect.Effect<Option.Option<CaseId>, StorageUnavailable>
    /** A case's events in sequence order (empty for an unknown case). */
    readonly events: (caseId: string) => Effect.Effect<ReadonlyArray<CaseEvent>, StorageUnavailable>
    /** The read-model row of a case. */
    readonly summary: (caseId: string) => Effect.Effect<CaseSummary, CaseNotFound | StorageUnavailable>
    /**
     * 读取案件 — a case's events (in sequence order) and its read-model row,
     * read together — one statement where the store can, so both are of the
     * same commit; none for an unknown case (or one without a read-model row).
     */
    readonly read: (caseId: string) => Effect.Effect<Option.Option<StoredCase>, StorageUnavailable>
    /** Lists cases by filters, a page at a time. */
    readonly list: (query: CaseQuery) => Effect.Effect<CasePage, InvalidCaseQuery | StorageUnavailable>
    /**
     * 看板 — the board of a unit's subtree at `now` (`Board`), counted by the
     * store (grouped queries over the read model and the events), never by
     * folding cases. Access is the caller's: check the unit first.
     */
    readonly board: (unitId: UnitId, now: DateTime.Utc) => Effect.Effect<Board, StorageUnavailable>
    /**
     * 按来源计数 — how many cases of each source lie within a unit's subtree
     * and were reported in a period (`SourceCountQuery`), counted by the store
     * (one grouped query over the read model), never by listing cases; by
     * source (`sourceCounts`). Access is the caller's: check the unit first.
     */
    readonly countBySource: (
      query: SourceCountQuery
    ) => Effect.Effect<ReadonlyArray<SourceCount>, StorageUnavailable>
    /**
     * 到期候选 — open cases whose current step's deadline (the read model's) is
     * before `query.before`, earliest deadline first (ties by case id), from
     * the read model alone (an indexed range of the deadline): the candidates
     * of a periodic job such as `EscalationService.escalateDue`.
     */
    readonly dueBefore: (query: DueQuery) => Effect.Effect<ReadonlyArray<CaseSummary>, StorageUnavailable>
    /**
     * 变灯候选 — open cases whose light turned yellow or red in a window
     * (`LightsQuery`, `matchesLights`), by case id, from the read model alone
     * (indexed ranges of `yellowAt` and `redAt`): the candidates of the timer
     * light notifications (`Notification.lightJob`).
     */
    readonly lightsCrossed: (
      query: LightsQuery
    ) => Effect.Effect<ReadonlyArray<CaseSummary>, StorageUnavailable>
  }
>() {}

// -----------------------------------------------------------------------------
// what every store shares
// -----------------------------------------------------------------------------

/**
 * The current step's deadline under a policy and calendar (see the module
 * note): `null` without time limits, when the case has no running step, when
 * it cannot be computed (`YearNotLoaded`, `NoTimeLimit`), or while the clock
 * is stopped by a suspension.
 *
 * @since 0.1.0
 * @category getters
 */
export const deadlineOf = (state: Case.Case, timeLimits: TimeLimits | undefined): DateTime.Utc | null =>
  marksOf(state, timeLimits)?.deadline ?? null

/**
 * 变灯时刻 — the current step's deadline and the instants its light turns
 * yellow and red (`TimeLimit.marks`, default thresholds), or `null` exactly
 * when `deadlineOf` is.
 *
 * @since 0.1.0
 * @category getters
 */
export const marksOf = (
  state: Case.Case,
  timeLimits: TimeLimits | undefined
): {
  readonly deadline: DateTime.Utc
  readonly yellowAt: DateTime.Utc
  readonly redAt: DateTime.Utc
} | null => {
  if (timeLimits === undefined) return null
  const input = Escalation.timerInputOf(state)
  if (Option.isNone(input)) return null
  const marks = TimeLimit.marks(timeLimits.policy, timeLimits.calendar, input.value)
  return Either.isLeft(marks) || marks.right.paused ? null : marks.right
}

/**
 * 计时灯 — an open case's light at `now` from its read-model row: red from
 * `redAt`, yellow from `yellowAt`, else green (`TimeLimit.colorAt`); `null`
 * for a case with no running clock (not open, suspended, no time limits —
 * `yellowAt` or `redAt` null). For `now` at or after the step started, it is
 * `TimeLimit.light(…, now).color`.
 *
 * @since 0.1.0
 * @category getters
 */
export const lightOf = (summary: CaseSummary, now: DateTime.Utc): TimeLimit.LightColor | null =>
  !Case.isOpen(summary.status) || summary.yellowAt === null || summary.redAt === null
    ? null
    : TimeLimit.colorAt({ yellowAt: summary.yellowAt, redAt: summary.redAt }, now)

/**
 * 摘要 — the read-model row of a case state (the fold of its events).
 *
 * @since 0.1.0
 * @category constructors
 */
export const summarize = (state: Case.Case, timeLimits?: TimeLimits): CaseSummary => {
  const marks = marksOf(state, timeLimits)
  return {
    caseId: state.id,
    version: state.version,
    status: state.status,
    tier: state.tier,
    ownerUnitId: state.ownerUnitId,
    communityId: state.communityId,
    unitId: state.location.unitId,
    categoryId: state.categoryId,
    urgency: state.urgency,
    source: state.source,
    step: state.step,
    stepStartedAt: state.stepStartedAt,
    deadline: marks?.deadline ?? null,
    yellowAt: marks?.yellowAt ?? null,
    redAt: marks?.redAt ?? null,
    reportedAt: state.reportedAt,
    closedAt: state.closedAt,
    closedTier: state.closedTier,
    updatedAt: state.updatedAt,
    commentedAt: state.commentedAt ?? null,
    supervisions: state.supervisions ?? 0,
    supervisedAt: state.lastSupervision?.at ?? null
  }
}

/**
 * 路径段 — a unit id as a segment of a materialised path: `%` and `/`
 * percent-encoded (`%25`, `%2F`), as the hierarchy store writes `cg_units.path`,
 * so a segment never holds a `/` and "within" is exactly "path starts with".
 *
 * @since 0.1.0
 * @category paths
 */
export const pathSegment = (unitId: string): string => unitId.replace(/%/g, "%25").replace(/\//g, "%2F")

/**
 * 案件路径 — the materialised path a store records for a case, from the
 * hierarchy's paths (`pathOf`, e.g. `cg_units.path`): the location unit's path;
 * else, when only the community is known, the community's path followed by the
 * unit (`/d/s1/c1/<unit>/`); else the fallback `/<communityId>/<unitId>/`
 * (`/<communityId>/` when the case is located at the community itself). Ids
 * are encoded with `pathSegment`. The path is taken when the case is reported
 * and kept afterwards.
 *
 * @since 0.1.0
 * @category paths
 */
export const casePath = (
  pathOf: (unitId: string) => string | undefined,
  communityId: string,
  unitId: string
): string => {
  const own = pathOf(unitId)
  if (own !== undefined) return own
  const community = pathOf(communityId) ?? `/${pathSegment(communityId)}/`
  return unitId === communityId ? community : `${community}${pathSegment(unitId)}/`
}

/**
 * 辖区路径 — the path whose prefix selects a unit's subtree: the hierarchy's
 * path of the unit, or `/<unitId>/` for a unit it does not know (which matches
 * the fallback paths of cases in that community).
 *
 * @since 0.1.0
 * @category paths
 */
export const subtreePath = (pathOf: (unitId: string) => string | undefined, unitId: string): string =>
  pathOf(unitId) ?? `/${pathSegment(unitId)}/`

/**
 * The materialised paths of unit rows (`/<root>/…/<unit>/`, ids encoded with
 * `pathSegment`), as the hierarchy stores them; a unit whose parent is not
 * among the rows starts its own path. A `Hierarchy` is such an iterable.
 *
 * @since 0.1.0
 * @category paths
 */
export const unitPaths = (
  units: Iterable<{ readonly id: string; readonly parentId: string | null }>
): ReadonlyMap<string, string> => {
  const parent = new Map<string, string | null>()
  for (const u of units) parent.set(u.id, u.parentId)
  const paths = new Map<string, string>()
  const resolve = (id: string): void => {
    if (paths.has(id)) return
    const chain: Array<string> = []
    const seen = new Set<string>()
    let at: string | null | undefined = id
    let prefix = "/"
    while (at !== null && at !== undefined && !seen.has(at)) {
      const done = paths.get(at)
      if (done !== undefined) {
        prefix = done
        break
      }
      seen.add(at)
      chain.push(at)
      at = parent.get(at)
    }
    for (let k = chain.length - 1; k >= 0; k--) {
      const unit = chain[k]
      if (unit === undefined) continue
      prefix = `${prefix}${pathSegment(unit)}/`
      paths.set(unit, prefix)
    }
  }
  for (const id of parent.keys()) resolve(id)
  return paths
}

/**
 * 分页键 — the key of the last item of a page: its report instant (epoch
 * milliseconds) and case id.
 *
 * @since 0.1.0
 * @category pagination
 */
export interface PageKey {
  readonly reportedAt: number
  readonly caseId: string
}

const toBase64Url = (text: string): string => {
  let binary = ""
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

const fromBase64Url = (text: string): string | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"))
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

/**
 * The opaque cursor of a page key: base64url of `[reportedAt, caseId]`.
 *
 * @since 0.1.0
 * @category pagination
 */
export const encodeCursor = (key: PageKey): string =>
  toBase64Url(JSON.stringify([key.reportedAt, key.caseId]))

/**
 * The page key of a cursor, or none for a string no store issued.
 *
 * @since 0.1.0
 * @category pagination
 */
export const decodeCursor = (cursor: string): Option.Option<PageKey> => {
  const text = fromBase64Url(cursor)
  if (text === undefined) return Option.none()
  try {
    const value: unknown = JSON.parse(text)
    if (!Array.isArray(value) || value.length !== 2) return Option.none()
    const [reportedAt, caseId] = value
    return typeof reportedAt === "number" &&
      Number.isSafeInteger(reportedAt) &&
      typeof caseId === "string" &&
      caseId.length > 0
      ? Option.some({ reportedAt, caseId })
      : Option.none()
  } catch {
    return Option.none()
  }
}

/**
 * 期限分页键 — the key of the last item of a page in deadline order: its
 * deadline (epoch milliseconds) and case id.
 *
 * @since 0.1.0
 * @category pagination
 */
export interface DeadlineKey {
  readonly deadline: number
  readonly caseId: string
}

/**
 * The opaque cursor of a deadline-order page key: base64url of
 * `["deadline", deadline, caseId]`.
 *
 * @since 0.1.0
 * @category pagination
 */
export const encodeDeadlineCursor = (key: DeadlineKey): string =>
  toBase64Url(JSON.stringify(["deadline", key.deadline, key.caseId]))

/**
 * The deadline-order page key of a cursor, or none for a string no store
 * issued in that order.
 *
 * @since 0.1.0
 * @category pagination
 */
export const decodeDeadlineCursor = (cursor: string): Option.Option<DeadlineKey> => {
  const text = fromBase64Url(cursor)
  if (text === undefined) return Option.none()
  try {
    const value: unknown = JSON.parse(text)
    if (!Array.isArray(value) || value.length !== 3 || value[0] !== "deadline") return Option.none()
    const [, deadline, caseId] = value
    return typeof deadline === "number" &&
      Number.isSafeInteger(deadline) &&
      typeof caseId === "string" &&
      caseId.length > 0
      ? Option.some({ deadline, caseId })
      : Option.none()
  } catch {
    return Option.none()
  }
}

/**
 * The cursor after a summary in a query's order (`order`).
 *
 * @since 0.1.0
 * @category pagination
 */
export const cursorOf = (summary: CaseSummary, order: CaseQuery["order"]): string =>
  order === "deadline"
    ? encodeDeadlineCursor({
        deadline: summary.deadline === null ? 0 : DateTime.toEpochMillis(summary.deadline),
        caseId: summary.caseId
      })
    : encodeCursor(pageKeyOf(summary))

/**
 * The default page size.
 *
 * @since 0.1.0
 * @category pagination
 */
export const defaultPageSize = 50

/**
 * The largest page size.
 *
 * @since 0.1.0
 * @category pagination
 */
export const maxPageSize = 500

/**
 * A checked query's page: its size and where it starts.
 *
 * @since 0.1.0
 * @category pagination
 */
export interface PagePlan {
  readonly limit: number
  readonly after: Option.Option<PageKey>
  /** In deadline order (`order: "deadline"`): where the page starts. */
  readonly afterDeadline: Option.Option<DeadlineKey>
}

/**
 * Checks a query's page size, cursor and dates: the page plan, or every bad
 * parameter.
 *
 * @since 0.1.0
 * @category pagination
 */
export const planPage = (query: CaseQuery): Either.Either<PagePlan, InvalidCaseQuery> => {
  const violations: Array<QueryViolation> = []
  const limit = query.limit ?? defaultPageSize
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
    violations.push({
      field: "limit",
      message: `每页条数 the page size must be a whole number from 1 to ${maxPageSize}, got ${limit}`
    })
  }
  const byDeadline = query.order === "deadline"
  const after = query.after === undefined || byDeadline ? Option.none() : decodeCursor(query.after)
  const afterDeadline =
    query.after === undefined || !byDeadline ? Option.none() : decodeDeadlineCursor(query.after)
  if (query.after !== undefined && Option.isNone(after) && Option.isNone(afterDeadline)) {
    violations.push({ field: "after", message: "分页游标无效 the cursor was not issued by a case store" })
  }
  for (const field of ["reportedFrom", "reportedTo", "overdueAt"] as const) {
    const date = query[field]
    if (date !== undefined && Number.isNaN(date.getTime())) {
      violations.push({ field, message: `日期无效 ${field} is not a valid date` })
    }
  }
  if (query.light !== undefined && Number.isNaN(query.light.at.getTime())) {
    violations.push({ field: "light", message: "日期无效 the light's instant is not a valid date" })
  }
  const [first, ...rest] = violations
  return first === undefined
    ? Either.right({ limit, after, afterDeadline })
    : Either.left(new InvalidCaseQuery({ violations: [first, ...rest] }))
}

/**
 * The statuses that are not open (closed, evaluated, or ended) — the ones
 * `overdueAt` leaves out.
 *
 * @since 0.1.0
 * @category constants
 */
export const notOpenStatuses: ReadonlyArray<Case.Status> = Case.statuses.filter((s) => !Case.isOpen(s))

/**
 * The programming errors in an append request (empty when it is well formed):
 * a negative or fractional `expectedVersion`; no events for a new case
 * (`expectedVersion` 0 — with `expectedVersion > 0`, no events is a guard, see
 * `AppendInput`); an event of another case; sequences that do not continue
 * from `expectedVersion`; an idempotency key on an existing case or a guard;
 * a `decided` whose history is not `expectedVersion` events of the case
 * numbered from 1, or whose `after` is not the case at `expectedVersion` plus
 * the new events. Stores die on them: they are bugs, not conflicts.
 *
 * @since 0.1.0
 * @category validation
 */
export const appendProblems = (input: AppendInput): ReadonlyArray<string> => {
  const out: Array<string> = []
  if (!Number.isSafeInteger(input.expectedVersion) || input.expectedVersion < 0) {
    out.push(`expectedVersion must be a whole number ≥ 0, got ${input.expectedVersion}`)
  }
  if (input.events.length === 0 && input.expectedVersion === 0) {
    out.push("nothing to append: no events for a new case (a guard needs expectedVersion > 0)")
  }
  input.events.forEach((event, k) => {
    if (event.caseId !== input.caseId) {
      out.push(`event #${k} belongs to case ${event.caseId}, not ${input.caseId}`)
    }
    const expected = input.expectedVersion + 1 + k
    if (event.sequence !== expected) {
      out.push(
        `event #${k} has sequence ${event.sequence}; sequences must continue from expectedVersion ${input.expectedVersion} (expected ${expected})`
      )
    }
  })
  if (input.idempotencyKey !== undefined && input.expectedVersion !== 0) {
    out.push("an idempotency key is for new cases only (expectedVersion 0)")
  }
  const decided = input.decided
  if (decided !== undefined) {
    if (decided.history.length !== input.expectedVersion) {
      out.push(
        `decided.history holds ${decided.history.length} events, not expectedVersion ${input.expectedVersion}`
      )
    }
    decided.history.forEach((event, k) => {
      if (event.caseId !== input.caseId || event.sequence !== k + 1) {
        out.push(
          `decided.history #${k} is event ${event.sequence} of case ${event.caseId}, not ${k + 1} of ${input.caseId}`
        )
      }
    })
    const version = input.expectedVersion + input.events.length
    if (decided.after.id !== input.caseId || decided.after.version !== version) {
      out.push(
        `decided.after is case ${decided.after.id} at version ${decided.after.version}, not ${input.caseId} at ${version}`
      )
    }
  }
  return out
}

/**
 * The programming errors in a batch (empty when it is well formed): each
 * input's `appendProblems`, and a case that appears twice (one input per case).
 *
 * @since 0.1.0
 * @category validation
 */
export const appendAllProblems = (inputs: ReadonlyArray<AppendInput>): ReadonlyArray<string> => {
  const out: Array<string> = []
  const seen = new Set<string>()
  inputs.forEach((input, k) => {
    for (const problem of appendProblems(input)) out.push(`input #${k} (case ${input.caseId}): ${problem}`)
    if (seen.has(input.caseId)) out.push(`input #${k}: case ${input.caseId} appears twice in one batch`)
    seen.add(input.caseId)
  })
  return out
}

/**
 * The programming errors in an import batch (empty when it is well formed):
 * `appendAllProblems` of the appends the inputs stand for (`importAppend`) —
 * no events, events of another case or not numbered 1, 2 …, an `after` that
 * is not the case at the history's last version, a case twice.
 *
 * @since 0.1.0
 * @category validation
 */
export const importProblems = (inputs: ReadonlyArray<ImportInput>): ReadonlyArray<string> =>
  appendAllProblems(inputs.map(importAppend))

/**
 * The state after appending: folds the stored state with the new events and
 * checks that each event applied (a history that does not start with
 * `Reported`, or a second `Reported`, leaves no case or skips events). Left: why
 * not — a programming error.
 *
 * @since 0.1.0
 * @category validation
 */
export const foldAppend = (
  stored: Case.State,
  events: ReadonlyArray<CaseEvent>
): Either.Either<Case.Case, string> => {
  let state = stored
  for (const event of events) state = Case.evolve(state, event)
  if (state._tag !== "Case") return Either.left("the events do not start a case (the first must be Reported)")
  const expected = stored.version + events.length
  return state.version === expected
    ? Either.right(state)
    : Either.left(`only ${state.version - stored.version} of ${events.length} events continue the case`)
}

// -----------------------------------------------------------------------------
// the in-memory store
// -----------------------------------------------------------------------------

/**
 * Options of the in-memory store: the hierarchy's units (for `within`; a
 * `Hierarchy` itself will do) and the time limits (for deadlines).
 *
 * @since 0.1.0
 * @category models
 */
export interface MemoryOptions {
  readonly units?: Iterable<{ readonly id: string; readonly parentId: string | null }>
  readonly timeLimits?: TimeLimits
}

/**
 * 内存仓库 — the case store in memory (a `Ref`), for apps' tests: the same
 * behaviour as the SQL stores (the conformance suite runs against both).
 * Every append is atomic; nothing survives the layer's scope.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (options: MemoryOptions = {}): Layer.Layer<CaseRepository> =>
  Layer.effect(CaseRepository, internalMemory.make(options))

/**
 * The instant of a summary's report in epoch milliseconds (the page key's
 * first part).
 *
 * @since 0.1.0
 * @category pagination
 */
export const pageKeyOf = (summary: CaseSummary): PageKey => ({
  reportedAt: DateTime.toEpochMillis(summary.reportedAt),
  caseId: summary.caseId
})
