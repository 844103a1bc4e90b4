/**
 * The case loop's rules as data: which command is allowed in which status and
 * where it leads, and who may issue it. `Case.ts` re-exports them; the decider
 * checks commands against the same data, so docs and behaviour cannot drift.
 *
 * @since 0.1.0
 */
import type { Role } from "../Actor.js"
import type { Authority, CommandTag, Source, Status, Transition } from "../Case.js"

const row = (
  from: Status | "none",
  command: CommandTag,
  to: ReadonlyArray<Status>,
  guard?: string
): Transition => (guard === undefined ? { from, command, to } : { from, command, to, guard })

/** Side branches a dispatched handler may take while handling (dispatched or rework). */
const handlingBranches = (status: "dispatched" | "rework"): ReadonlyArray<Transition> => [
  row(status, "RequestSuspension", [status], "no suspension request pending"),
  row(status, "ApproveSuspension", ["suspended"], "a suspension request is pending"),
  row(status, "DenySuspension", [status], "a suspension request is pending"),
  row(status, "RequestExtension", [status], "no extension request pending"),
  row(status, "ApproveExtension", [status], "an extension request is pending"),
  row(status, "DenyExtension", [status], "an extension request is pending")
]

/** Every status, in loop order (as `Case.Status`). */
const allStatuses: ReadonlyArray<Status> = [
  "reported",
  "accepted",
  "dispatched",
  "handled",
  "rework",
  "suspended",
  "closed",
  "evaluated",
  "rejected",
  "voided",
  "merged"
]

/** The open statuses (a case still being worked on): supervision applies to them. */
const openStatuses: ReadonlyArray<Status> = [
  "reported",
  "accepted",
  "dispatched",
  "handled",
  "rework",
  "suspended"
]

/** status × command → next statuses, in loop order; a comment is allowed in every status and keeps it. */
export const transitions: ReadonlyArray<Transition> = [
  row("none", "Report", ["reported"]),
  row("none", "SelfHandle", ["closed"], "community tier only (琐事不出楼栋)"),
  row("reported", "Accept", ["accepted"]),
  row("reported", "Reject", ["rejected"]),
  row("reported", "Void", ["voided"]),
  row("reported", "Merge", ["merged"]),
  row("reported", "Escalate", ["reported"], "below the district"),
  row("accepted", "Dispatch", ["dispatched"]),
  row("accepted", "Void", ["voided"]),
  row("accepted", "Merge", ["merged"]),
  row("accepted", "Escalate", ["accepted"], "below the district"),
  row("dispatched", "Handle", ["handled"]),
  row("dispatched", "Return", ["accepted"]),
  row("dispatched", "Merge", ["merged"]),
  row("dispatched", "Escalate", ["accepted"], "below the district"),
  ...handlingBranches("dispatched"),
  row("rework", "Handle", ["handled"]),
  row("rework", "Escalate", ["accepted"], "below the district"),
  ...handlingBranches("rework"),
  row("suspended", "Resume", ["dispatched", "rework"]),
  row("handled", "Verify", ["closed", "rework"]),
  row("closed", "Evaluate", ["evaluated"]),
  row("evaluated", "Evaluate", ["evaluated"], "the last return visit was unreachable"),
  row(
    "evaluated",
    "Reopen",
    ["dispatched", "accepted"],
    "the evaluation was dissatisfied or the problem not resolved"
  ),
  ...allStatuses.map((status) => row(status, "Comment", [status], "an internal comment: staff only")),
  ...openStatuses.map((status) => row(status, "Supervise", [status]))
]

/** Who may issue each command: the actor must satisfy one of the listed authorities. */
export const authorities: Readonly<Record<CommandTag, ReadonlyArray<Authority>>> = {
  Report: ["reporter"],
  SelfHandle: ["community-grid-worker"],
  Accept: ["owning-tier-staff"],
  Reject: ["owning-tier-staff"],
  Void: ["owning-tier-staff"],
  Dispatch: ["owning-tier-staff"],
  Return: ["handler"],
  Handle: ["handler"],
  Verify: ["owning-tier-staff"],
  Evaluate: ["hotline", "community-staff"],
  Reopen: ["owning-tier-staff", "hotline"],
  RequestSuspension: ["handler"],
  ApproveSuspension: ["owning-tier-staff"],
  DenySuspension: ["owning-tier-staff"],
  Resume: ["owning-tier-staff", "handler", "system"],
  RequestExtension: ["handler"],
  ApproveExtension: ["owning-tier-staff"],
  DenyExtension: ["owning-tier-staff"],
  Merge: ["owning-tier-staff"],
  Escalate: ["owning-tier-staff", "system"],
  Comment: ["anyone"],
  Supervise: ["supervisor"]
}

/** The roles that may write an internal comment: every role but a resident. */
export const internalCommentRoles: ReadonlySet<Role> = new Set<Role>([
  "grid-worker",
  "community-staff",
  "street-staff",
  "district-staff",
  "department",
  "hotline",
  "system"
])

/**
 * Which sources each role may file a case from (first: the default). A resident files through
 * the app or an Open311 client, never as 12345 or 信访; the hotline files as 12345; grid workers
 * report what they find on patrol and the disputes they take up (the public-rental-housing community report); staff take in
 * assignments from above, petitions on a resident's behalf (信访代办) and disputes; the system
 * files nothing.
 */
export const reportSources: Readonly<Record<Role, ReadonlyArray<Source>>> = {
  resident: ["resident-app", "open311"],
  "grid-worker": ["patrol", "dispute"],
  "community-staff": ["assigned", "patrol", "petition", "dispute"],
  "street-staff": ["assigned", "patrol", "petition", "dispute"],
  "district-staff": ["assigned", "patrol", "petition", "dispute"],
  department: ["assigned", "patrol"],
  hotline: ["hotline"],
  system: []
}

/** The largest amount one extension may add, in any unit (1000 working days is four years). */
export const maxExtensionAmount = 1000

const index = new Map<string, Transition>()
for (const t of transitions) index.set(`${t.from}|${t.command}`, t)

/** The transition row for a status and command, if the command is allowed there. */
export const lookup = (from: Status | "none", command: CommandTag): Transition | undefined =>
  index.get(`${from}|${command}`)

/** Chinese names of the statuses. */
export const statusNames: Readonly<Record<Status, string>> = {
  reported: "待立案",
  accepted: "已立案待派遣",
  dispatched: "已派遣处置中",
  handled: "已处置待核查",
  rework: "返工",
  suspended: "挂账",
  closed: "已结案待回访",
  evaluated: "已回访",
  rejected: "不予立案",
  voided: "已作废",
  merged: "已合并"
}

/** English (as used in messages) and Chinese names of the commands. */
export const commandNames: Readonly<Record<CommandTag, { readonly en: string; readonly zh: string }>> = {
  Report: { en: "report", zh: "采集上报" },
  SelfHandle: { en: "self-handle", zh: "自处理" },
  Accept: { en: "accept", zh: "立案" },
  Reject: { en: "reject", zh: "不予立案" },
  Void: { en: "void", zh: "作废" },
  Dispatch: { en: "dispatch", zh: "指挥派遣" },
  Return: { en: "return", zh: "回退" },
  Handle: { en: "handle", zh: "处理反馈" },
  Verify: { en: "verify", zh: "任务核查" },
  Evaluate: { en: "evaluate", zh: "回访评价" },
  Reopen: { en: "reopen", zh: "重办" },
  RequestSuspension: { en: "request suspension", zh: "申请挂账" },
  ApproveSuspension: { en: "approve suspension", zh: "批准挂账" },
  DenySuspension: { en: "deny suspension", zh: "驳回挂账" },
  Resume: { en: "resume", zh: "恢复处置" },
  RequestExtension: { en: "request extension", zh: "申请延期" },
  ApproveExtension: { en: "approve extension", zh: "批准延期" },
  DenyExtension: { en: "deny extension", zh: "驳回延期" },
  Merge: { en: "merge", zh: "合并" },
  Escalate: { en: "escalate", zh: "上报升级" },
  Comment: { en: "comment", zh: "评论" },
  Supervise: { en: "supervise", zh: "督办" }
}
