/**
 * The Open311 status mapping as data: case status (and void reason) → Open311
 * `open` / `closed` and FixMyStreet's extended status; case event → the
 * extended status of the update it publishes (or none: internal steps).
 */
import type * as Case from "@civicgrid/core/Case"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"

/**
 * The extended statuses we publish: each one a state FixMyStreet knows, read
 * by it as open, closed or fixed exactly as our `open` / `closed` says.
 *
 * How FixMyStreet reads them (mysociety/fixmystreet):
 *
 * - `perllib/Open311.pm`, `sub map_state` — what it does with a `status` from
 *   `GET requests` (`Open311/GetServiceRequests.pm`: `$open311->map_state($request->{status})`)
 *   and from `servicerequestupdates` (`Open311/UpdatesBase.pm`, `_process_update`:
 *   `my $state = $open311->map_state( $request->{status} );`):
 *
 *       $incoming_state = lc($incoming_state);
 *       $incoming_state =~ s/_/ /g;
 *       my %state_map = (
 *           fixed                         => 'fixed - council',
 *           'not councils responsibility' => 'not responsible',
 *           'no further action'           => 'unable to fix',
 *           open                          => 'confirmed',
 *           closed                        => $self->extended_statuses ? 'closed' : 'fixed - council',
 *       );
 *       return $state_map{$incoming_state} || $incoming_state;
 *
 * - `Open311/UpdatesBase.pm`, `_process_update`: the state changes only if
 *   `FixMyStreet::DB::Result::Problem->visible_states()->{$state}` — an unknown
 *   state (`REOPEN` → `reopen`) is ignored, the problem keeps its state.
 * - its state table, `db/schema.sql` (`INSERT INTO state (label, type, name)`):
 *   `investigating`, `in progress`, `planned`, `action scheduled` — open;
 *   `unable to fix`, `not responsible`, `duplicate`, `internal referral` —
 *   closed; `fixed` — fixed; plus `perllib/FixMyStreet/DB/ResultSet/State.pm`,
 *   `_hardcoded_states`: `confirmed` (open) and `closed` (closed); and
 *   `perllib/FixMyStreet/DB/Result/Problem.pm`, `all_states`: `fixed - council`,
 *   `fixed - user` (fixed).
 *
 * So `INTERNAL_REFERRAL` (→ `internal referral`, closed) is not published for an
 * open case, and there is no re-open status: a reopened case publishes its
 * (open) status, which moves a fixed problem back to open in FixMyStreet.
 */
export const extendedStatuses = [
  "OPEN",
  "INVESTIGATING",
  "IN_PROGRESS",
  "ACTION_SCHEDULED",
  "FIXED",
  "CLOSED",
  "DUPLICATE",
  "NOT_COUNCILS_RESPONSIBILITY",
  "NO_FURTHER_ACTION"
] as const

export type ExtendedStatus = (typeof extendedStatuses)[number]

/**
 * Whether an extended status is open in Open311 terms: FixMyStreet's state
 * type (`open` versus `closed` / `fixed`) of what `map_state` makes of it.
 */
export const extendedIsOpen: Readonly<Record<ExtendedStatus, boolean>> = {
  OPEN: true,
  INVESTIGATING: true,
  IN_PROGRESS: true,
  ACTION_SCHEDULED: true,
  FIXED: false,
  CLOSED: false,
  DUPLICATE: false,
  NOT_COUNCILS_RESPONSIBILITY: false,
  NO_FURTHER_ACTION: false
}

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
 * return visit's rating). A comment publishes the case's status, and only
 * when it is public (`visibility: "public"`). Reopening and escalation publish the case's status:
 * the case is open after both, and FixMyStreet has no re-open status and reads
 * `INTERNAL_REFERRAL` as closed.
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
  Reopened: "status",
  SuspensionRequested: null,
  SuspensionApproved: "ACTION_SCHEDULED",
  SuspensionDenied: null,
  Resumed: "IN_PROGRESS",
  ExtensionRequested: null,
  ExtensionApproved: "status",
  ExtensionDenied: null,
  Merged: "DUPLICATE",
  Escalated: "status",
  SelfHandled: "IN_PROGRESS",
  // a public comment publishes an update with the case's status (an internal one publishes nothing: updatesOf)
  Commented: "status",
  // 督办/催办 is internal to the command centre: nothing published
  Supervised: null
}

/**
 * The extended status of the update an event publishes, given the case's row
 * after the event (`null`: none). A fixed status whose open/closed reading
 * differs from the case's falls back to the case's own, so FixMyStreet never
 * reads an open case as closed or the reverse.
 */
export const updateStatusOf = (tag: CaseEvent["_tag"], row: StatusRow): ExtendedStatus | null => {
  const rule = eventUpdates[tag]
  if (rule === null) return null
  if (rule === "status") return row.extended
  return extendedIsOpen[rule] === (row.open311 === "open") ? rule : row.extended
}
