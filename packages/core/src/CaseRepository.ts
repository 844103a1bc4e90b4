/**
 * 案件仓库 — the port through which cases are stored. The core declares it
 * and stays free of I/O; `@civicgrid/sql` implements it as a Layer.
 *
 * The store is an **event store**: a case's events are appended after the
 * version the writer last saw (`expectedVersion`, 0 for a new case); a
 * concurrent writer gets a typed `ConcurrencyConflict` carrying the current
 * version, never a lost or duplicated event (the store keeps case id +
 * sequence unique). A **read model** — one summary row per case — is
 * updated in the same transaction as the events, so the two never disagree.
 * A report may carry an **idempotency key**: the same key twice gives the
 * same case, not two — also when two requests with one key race (the store
 * keeps keys unique and answers the loser with the winner's case).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Case from "./Case.js"
import { CaseId, Status } from "./Case.js"
import { CategoryId, Urgency } from "./CaseCategory.js"
import type { CaseEvent } from "./CaseEvent.js"
import { CaseStep } from "./CaseStep.js"
import { Tier } from "./Tier.js"
import { UnitId } from "./Unit.js"

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
  source: Schema.String,
  step: Schema.NullOr(CaseStep),
  stepStartedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** 当前环节截止时间 — the current step's deadline, when the store was given a time-limit policy. */
  deadline: Schema.NullOr(Schema.DateTimeUtc),
  reportedAt: Schema.DateTimeUtc,
  closedAt: Schema.NullOr(Schema.DateTimeUtc),
  closedTier: Schema.NullOr(Tier),
  updatedAt: Schema.DateTimeUtc
}).annotations({ identifier: "CaseSummary", title: "案件摘要 case summary" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CaseSummary extends Schema.Schema.Type<typeof CaseSummary> {}

/**
 * 案件查询 — filters for listing cases; every filter is optional and they combine with AND.
 *
 * @since 0.1.0
 * @category models
 */
export interface CaseQuery {
  /** 辖区 — cases whose location lies within this unit's subtree. */
  readonly within?: UnitId
  readonly status?: ReadonlyArray<Case.Status>
  readonly tier?: ReadonlyArray<Tier>
  readonly categoryId?: ReadonlyArray<CategoryId>
  /** Reported at or after this instant. */
  readonly reportedFrom?: Date
  /** Reported before this instant. */
  readonly reportedTo?: Date
  /** 超期 — open cases whose current step's deadline is before this instant. */
  readonly overdueAt?: Date
  /** Page size (default 50, at most 500). */
  readonly limit?: number
  /** Keyset cursor from the previous page's `next`. */
  readonly after?: string
}

/**
 * A page of summaries, newest report first (ties by case id), with the cursor
 * of the next page; keyset pagination is stable under inserts.
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
 * appended and `caseId` is the case the key created).
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
 * 案件仓库 — the case store port.
 *
 * @since 0.1.0
 * @category tags
 */
export class CaseRepository extends Context.Tag("@civicgrid/core/CaseRepository")<
  CaseRepository,
  {
    /**
     * Appends one case's events after `expectedVersion`, atomically with its
     * read-model row. The events' sequences must continue from
     * `expectedVersion`. With an idempotency key (new cases only), a key
     * already used appends nothing and returns its case with `replayed: true`.
     */
    readonly append: (input: {
      readonly caseId: CaseId
      readonly expectedVersion: number
      readonly events: ReadonlyArray<CaseEvent>
      readonly idempotencyKey?: string
    }) => Effect.Effect<AppendResult, ConcurrencyConflict>
    /** The case an idempotency key created, if any. */
    readonly findByIdempotencyKey: (key: string) => Effect.Effect<Option.Option<CaseId>>
    /** A case's events in sequence order (empty for an unknown case). */
    readonly events: (caseId: string) => Effect.Effect<ReadonlyArray<CaseEvent>>
    /** The read-model row of a case. */
    readonly summary: (caseId: string) => Effect.Effect<CaseSummary, CaseNotFound>
    /** Lists cases by filters, a page at a time. */
    readonly list: (query: CaseQuery) => Effect.Effect<CasePage>
  }
>() {}
