/**
 * Rows of the case tables (migration 0002) and their mapping to the core's
 * values: events are stored as the JSON of their `CaseEvent` encoding; the
 * read model's instants are epoch milliseconds (PostgreSQL returns BIGINT as
 * a string, SQLite as a number — both decode).
 */

import * as Case from "@civicgrid/core/Case"
import { CategoryId, Urgency } from "@civicgrid/core/CaseCategory"
import { CaseEvent } from "@civicgrid/core/CaseEvent"
import { type CaseSummary, dispatchedDepartment } from "@civicgrid/core/CaseRepository"
import { CaseStep } from "@civicgrid/core/CaseStep"
import { Tier } from "@civicgrid/core/Tier"
import { UnitId } from "@civicgrid/core/Unit"
import type { SqlError } from "@effect/sql/SqlError"
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"

// -----------------------------------------------------------------------------
// events
// -----------------------------------------------------------------------------

/** A row of `cg_case_events` (a type alias: `sql.insert` takes records). */
export type EventRow = {
  readonly case_id: string
  readonly sequence: number
  readonly tag: string
  readonly at: number
  readonly actor_id: string
  readonly payload: string
}

const encodeEvent = Schema.encodeSync(CaseEvent)
const decodePayload = Schema.decodeUnknownSync(Schema.parseJson(CaseEvent))

/** The row of an event. */
export const eventRow = (event: CaseEvent): EventRow => ({
  case_id: event.caseId,
  sequence: event.sequence,
  tag: event._tag,
  at: DateTime.toEpochMillis(event.at),
  actor_id: event.actor.id,
  payload: JSON.stringify(encodeEvent(event))
})

/** The event a stored payload holds; throws on a payload the schema refuses (a corrupted store). */
export const eventOf = (payload: string): CaseEvent => decodePayload(payload)

// -----------------------------------------------------------------------------
// the read model
// -----------------------------------------------------------------------------

/** The columns of `cg_cases`, in table order. */
export const caseColumns = [
  "case_id",
  "version",
  "status",
  "tier",
  "owner_unit_id",
  "community_id",
  "unit_id",
  "unit_path",
  "category_id",
  "urgency",
  "source",
  "step",
  "step_started_at",
  "deadline",
  "reported_at",
  "closed_at",
  "closed_tier",
  "updated_at",
  "reported_by",
  "dispatch_department"
] as const

/** The columns that only queries use (access scope, path): not part of a `CaseSummary`. */
export const scopeColumns: ReadonlyArray<(typeof caseColumns)[number]> = [
  "unit_path",
  "reported_by",
  "dispatch_department"
]

/** A row of `cg_cases` as written. */
export type CaseRow = { readonly [K in (typeof caseColumns)[number]]: string | number | null }

const millis = (instant: DateTime.Utc): number => DateTime.toEpochMillis(instant)
const millisOrNull = (instant: DateTime.Utc | null): number | null =>
  instant === null ? null : millis(instant)

/** What a case row records for access scopes (`CaseScope`): the reporter and the current department. */
export interface AccessFacts {
  readonly reportedBy: string
  readonly dispatchDepartment: string | null
}

/** The access facts of a case state. */
export const accessOf = (state: Case.Case): AccessFacts => ({
  reportedBy: state.reportedBy,
  dispatchDepartment: dispatchedDepartment(state)
})

/** The read-model row of a summary, the case's materialised path and its access facts. */
export const caseRow = (summary: CaseSummary, unitPath: string, access: AccessFacts): CaseRow => ({
  case_id: summary.caseId,
  version: summary.version,
  status: summary.status,
  tier: summary.tier,
  owner_unit_id: summary.ownerUnitId,
  community_id: summary.communityId,
  unit_id: summary.unitId,
  unit_path: unitPath,
  category_id: summary.categoryId,
  urgency: summary.urgency,
  source: summary.source,
  step: summary.step,
  step_started_at: millisOrNull(summary.stepStartedAt),
  deadline: millisOrNull(summary.deadline),
  reported_at: millis(summary.reportedAt),
  closed_at: millisOrNull(summary.closedAt),
  closed_tier: summary.closedTier,
  updated_at: millis(summary.updatedAt),
  reported_by: access.reportedBy,
  dispatch_department: access.dispatchDepartment
})

/** Epoch milliseconds as a number (SQLite) or a decimal string (PostgreSQL BIGINT). */
const Millis = Schema.Union(Schema.Number, Schema.NumberFromString)
const Instant = Schema.compose(Millis, Schema.DateTimeUtcFromNumber)

/** A `cg_cases` row as read, decoded. */
const StoredCase = Schema.Struct({
  case_id: Case.CaseId,
  version: Schema.compose(Millis, Schema.Int),
  status: Case.Status,
  tier: Tier,
  owner_unit_id: UnitId,
  community_id: UnitId,
  unit_id: UnitId,
  category_id: CategoryId,
  urgency: Urgency,
  source: Case.Source,
  step: Schema.NullOr(CaseStep),
  step_started_at: Schema.NullOr(Instant),
  deadline: Schema.NullOr(Instant),
  reported_at: Instant,
  closed_at: Schema.NullOr(Instant),
  closed_tier: Schema.NullOr(Tier),
  updated_at: Instant
})

const decodeStoredCase = Schema.decodeUnknownSync(StoredCase)

/** The summary a stored row holds; throws on a row the schema refuses (a corrupted store). */
export const summaryOf = (row: unknown): CaseSummary => {
  const r = decodeStoredCase(row)
  return {
    caseId: r.case_id,
    version: r.version,
    status: r.status,
    tier: r.tier,
    ownerUnitId: r.owner_unit_id,
    communityId: r.community_id,
    unitId: r.unit_id,
    categoryId: r.category_id,
    urgency: r.urgency,
    source: r.source,
    step: r.step,
    stepStartedAt: r.step_started_at,
    deadline: r.deadline,
    reportedAt: r.reported_at,
    closedAt: r.closed_at,
    closedTier: r.closed_tier,
    updatedAt: r.updated_at
  }
}

/** A count or version read back: a number (SQLite, INTEGER) or a decimal string (PostgreSQL BIGINT). */
export const toNumber = (value: unknown): number =>
  typeof value === "number" ? value : typeof value === "string" ? Number(value) : 0

// -----------------------------------------------------------------------------
// errors and batching
// -----------------------------------------------------------------------------

/**
 * Whether an SQL error is a unique-key violation — PostgreSQL SQLSTATE 23505,
 * SQLite `SQLITE_CONSTRAINT_PRIMARYKEY` / `SQLITE_CONSTRAINT_UNIQUE`.
 */
export const isUniqueViolation = (error: SqlError): boolean => {
  const cause: unknown = error.cause
  if (typeof cause !== "object" || cause === null || !("code" in cause)) return false
  const code = cause.code
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE"
}

/** Splits a list into chunks of at most `size` (multi-row statements stay under the bind limits). */
export const chunks = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let k = 0; k < items.length; k += size) out.push(items.slice(k, k + size))
  return out
}

/**
 * The exclusive upper bound of the paths that start with `prefix` (which ends
 * with "/"): the prefix with its last "/" raised to "0", the next character.
 * `path >= prefix AND path < upper` is exactly "starts with prefix" under a
 * bytewise collation, and an index range scan.
 */
export const prefixUpperBound = (prefix: string): string => `${prefix.slice(0, -1)}0`
