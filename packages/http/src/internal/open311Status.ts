/**
 * The Open311 status mapping as data: case status (and void reason) → Open311
 * `open` / `closed` and FixMyStreet's extended status; case event → the
 * extended status of the update it publishes (or none: internal steps).
 */
import type * as Case from "@civicgrid/core/Case"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"

/** FixMyStreet's extended statuses (its Open311 `servicerequestupdates` vocabulary). */
export const extendedStatuses = [
  "OPEN",
  "INVESTIGATING",
  "IN_PROGRESS",
  "ACTION_SCHEDULED",
  "FIXED",
  "CLOSED",
  "DUPLICATE",
  "NOT_COUNCILS_RESPONSIBILITY",
  "NO_FURTHER_ACTION",
  "INTERNAL_REFERRAL",
  "REOPEN"
] as const

export type ExtendedStatus = (typeof extendedStatuses)[number]

export interface StatusRow {
  readonly status: Case.Status
  /** For `voided`: the void reason the row is for. */
  readonly voidReason?: Case.VoidReason
  readonly open311: "open" | "closed"
  readonly extended: ExtendedStatus
  readonly note: string
}

export const statusTable: ReadonlyArray<StatusRow> = [
  { status: "reported", open311: "open", extended: "OPEN", note: "待立案 awaiting acceptance" },
  {
    status: "accepted",
    open311: "open",
    extended: "INVESTIGATING",
    note: "已立案待派遣 accepted, to be dispatched"
  },
  {
    status: "dispatched",
    open311: "open",
    extended: "ACTION_SCHEDULED",
    note: "已派遣 dispatched to the handling unit"
  },
  {
    status: "handled",
    open311: "open",
    extended: "IN_PROGRESS",
    note: "已处置待核查 handled, to be verified"
  },
  { status: "rework", open311: "open", extended: "IN_PROGRESS", note: "返工 verification failed, rework" },
  {
    status: "suspended",
    open311: "open",
    extended: "ACTION_SCHEDULED",
    note: "挂账 suspended, action later"
  },
  { status: "closed", open311: "closed", extended: "FIXED", note: "已结案 verified fixed" },
  { status: "evaluated", open311: "closed", extended: "FIXED", note: "已回访 fixed and return-visited" },
  { status: "rejected", open311: "closed", extended: "NO_FURTHER_ACTION", note: "不予立案 not accepted" },
  {
    status: "voided",
    voidReason: "duplicate",
    open311: "closed",
    extended: "DUPLICATE",
    note: "作废（重复）voided as a duplicate"
  },
  {
    status: "voided",
    voidReason: "invalid",
    open311: "closed",
    extended: "NO_FURTHER_ACTION",
    note: "作废（无效）voided as invalid"
  },
  {
    status: "voided",
    voidReason: "not-ours",
    open311: "closed",
    extended: "NOT_COUNCILS_RESPONSIBILITY",
    note: "作废（非本辖区/非职责）not our responsibility"
  },
  { status: "merged", open311: "closed", extended: "DUPLICATE", note: "已合并 merged into another case" }
]

const CLOSED_FALLBACK: StatusRow = {
  status: "voided",
  open311: "closed",
  extended: "CLOSED",
  note: "作废 voided"
}

export const rowOf = (status: Case.Status, voidReason: Case.VoidReason | null): StatusRow =>
  statusTable.find(
    (r) => r.status === status && (r.voidReason === undefined || r.voidReason === voidReason)
  ) ?? CLOSED_FALLBACK

/**
 * What each event publishes as an update: `"status"` — an update with the
 * extended status of the case after the event; an extended status — an update
 * with that status; `null` — nothing (an internal step: requests and denials of
 * suspensions and extensions, the verification pass that `Closed` follows, the
 * return visit's rating).
 */
export const eventUpdates: Readonly<Record<CaseEvent["_tag"], "status" | ExtendedStatus | null>> = {
  Reported: "OPEN",
  Accepted: "INVESTIGATING",
  Rejected: "NO_FURTHER_ACTION",
  Voided: "status",
  Dispatched: "ACTION_SCHEDULED",
  Returned: "INVESTIGATING",
  Handled: "IN_PROGRESS",
  VerificationPassed: null,
  VerificationFailed: "IN_PROGRESS",
  Closed: "FIXED",
  Evaluated: null,
  Reopened: "REOPEN",
  SuspensionRequested: null,
  SuspensionApproved: "ACTION_SCHEDULED",
  SuspensionDenied: null,
  Resumed: "IN_PROGRESS",
  ExtensionRequested: null,
  ExtensionApproved: "status",
  ExtensionDenied: null,
  Merged: "DUPLICATE",
  Escalated: "INTERNAL_REFERRAL",
  SelfHandled: "IN_PROGRESS"
}
