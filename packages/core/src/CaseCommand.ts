/**
 * 案件指令 — what someone asks a case to do: report it, accept it, dispatch it,
 * handle it … (the steps of the case loop, 案件闭环). `Case.decide` checks a command against the
 * case's state and either refuses it (`CaseRefused`, naming every rule broken)
 * or returns the events it causes.
 *
 * Every command carries `caseId`, `actor` and `at` (the instant the actor acted —
 * the decider has no clock). Free texts (reasons, notes, results) may be blank
 * here, so that a blank reason or an empty evidence list reaches the decider
 * and is refused with a rule of its own (`reason-required`,
 * `evidence-required` …) rather than failing to decode.
 *
 * **Input limits** (`Text`): every text is bounded and free of control
 * characters — a description at most `Text.limits.description` (4,000, as
 * Open311), notes, results and reasons `Text.limits.note`, evidence at most
 * `Text.limits.references` references of `Text.limits.reference` characters,
 * ids `Text.limits.id`, media at most `Case.maxMedia` http(s) URLs
 * (`Case.MediaUrl`, rule `media-url`), and `at` a date-time that exists (`Instant.DateTimeUtc`,
 * rule `valid-date`). Events keep decoding what was stored before these limits.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Actor } from "./Actor.js"
import {
  Attributes,
  CaseId,
  CommentVisibility,
  Contact,
  DispatchTarget,
  Evidence,
  ExtensionUnit,
  LocalSource,
  Location,
  Media,
  maxExtensionAmount,
  Rating,
  ReopenTo,
  Source,
  SupervisionLevel,
  VoidReason
} from "./Case.js"
import { CategoryId, Urgency } from "./CaseCategory.js"
import * as Instant from "./Instant.js"
import * as Text from "./Text.js"
import { Tier } from "./Tier.js"
import { UnitId } from "./Unit.js"

/**
 * 指令元数据 — the fields every command carries.
 *
 * @since 0.1.0
 * @category schemas
 */
export const meta = {
  /** 案件编号 — the case the command is for (for `Report`, the new case's id). */
  caseId: CaseId,
  /** 操作人 */
  actor: Actor,
  /** 时间 — when the actor acted (UTC). */
  at: Instant.DateTimeUtc
}

const Note = Text.Note
const OptionalNote = Schema.optionalWith(Note, { exact: true })

/**
 * 申请时长 — an extension amount as asked for; `Case.decide` refuses anything
 * but a positive whole amount (rule `extension-amount`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AmountAsked = Schema.Struct({
  /** 时长 — a whole number from 1 to `Case.maxExtensionAmount` to be granted; anything else is refused. */
  amount: Schema.Finite.annotations({
    // generated values: mostly grantable amounts, and sometimes any number (refused)
    arbitrary: () => (fc) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 1, max: maxExtensionAmount }) },
        { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) }
      )
  }),
  unit: ExtensionUnit
}).annotations({ identifier: "ExtensionAmountAsked", title: "申请时长 amount asked" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AmountAsked extends Schema.Schema.Type<typeof AmountAsked> {}

const reportFields = {
  ...meta,
  source: Source,
  /**
   * 本地来源 — a local report source of the role table acting as `source`
   * (`RoleTable.reportSource`); absent for a built-in source.
   */
  localSource: Schema.optionalWith(LocalSource, { exact: true }),
  categoryId: CategoryId,
  urgency: Urgency,
  description: Text.Description,
  location: Location,
  /** 所属社区 — the community where it happened, which owns the case first. */
  communityId: UnitId,
  /** 起始层级 — routing may start a case above the community (a category can require a higher tier). */
  tier: Tier,
  /** 责任单元 — the owner unit of the starting tier; defaults to the community, required above it. */
  ownerUnitId: Schema.optionalWith(UnitId, { exact: true }),
  contact: Schema.optionalWith(Contact, { exact: true }),
  /** 匿名 — an anonymous report carries no contact. */
  anonymous: Schema.Boolean,
  attributes: Schema.optionalWith(Attributes, { exact: true }),
  /**
   * 公开精确位置 — the reporter agreed that the exact position and full address be
   * published (Open311); absent or false: only a coarsened location is published.
   */
  publishExact: Schema.optionalWith(Schema.Boolean, { exact: true }),
  /**
   * 同意接收进度通知 — the reporter agreed to be told of the case's status
   * changes at their contact phone; absent or false: no notification. Only
   * with a contact phone: an anonymous report or one without a phone asking
   * for it is refused (rule `notify-needs-contact`).
   */
  notifyReporter: Schema.optionalWith(Schema.Boolean, { exact: true }),
  /** 附件 — photos or documents of the problem, as URLs (Open311 `media_url`); kept in the case (`Case.media`). */
  media: Schema.optionalWith(Media, { exact: true })
}

/**
 * 采集上报 — report a new case.
 *
 * @since 0.1.0
 * @category commands
 */
export const Report = Schema.TaggedStruct("Report", reportFields).annotations({
  identifier: "ReportCase",
  title: "采集上报 report"
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Report extends Schema.Schema.Type<typeof Report> {}

/**
 * 自处理 — a grid worker reports a case and resolves it on the spot, with the
 * result and evidence, in one step; community tier only (琐事不出楼栋).
 *
 * @since 0.1.0
 * @category commands
 */
export const SelfHandle = Schema.TaggedStruct("SelfHandle", {
  ...reportFields,
  result: Note,
  evidence: Evidence
}).annotations({ identifier: "SelfHandleCase", title: "自处理 self-handle" })

/**
 * @since 0.1.0
 * @category models
 */
export interface SelfHandle extends Schema.Schema.Type<typeof SelfHandle> {}

/**
 * 立案 — accept a reported case.
 *
 * @since 0.1.0
 * @category commands
 */
export const Accept = Schema.TaggedStruct("Accept", { ...meta, note: OptionalNote }).annotations({
  identifier: "AcceptCase",
  title: "立案 accept"
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Accept extends Schema.Schema.Type<typeof Accept> {}

/**
 * 不予立案 — reject a reported case, with the reason.
 *
 * @since 0.1.0
 * @category commands
 */
export const Reject = Schema.TaggedStruct("Reject", { ...meta, reason: Note }).annotations({
  identifier: "RejectCase",
  title: "不予立案 reject"
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Reject extends Schema.Schema.Type<typeof Reject> {}

/**
 * 作废 — void a case (duplicate, invalid, not ours), with a note.
 *
 * @since 0.1.0
 * @category commands
 */
export const Void = Schema.TaggedStruct("Void", {
  ...meta,
  reason: VoidReason,
  note: Note
}).annotations({ identifier: "VoidCase", title: "作废 void" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Void extends Schema.Schema.Type<typeof Void> {}

/**
 * 指挥派遣 — dispatch an accepted case to a handling unit or department.
 *
 * @since 0.1.0
 * @category commands
 */
export const Dispatch = Schema.TaggedStruct("Dispatch", {
  ...meta,
  target: DispatchTarget,
  note: OptionalNote
}).annotations({ identifier: "DispatchCase", title: "指挥派遣 dispatch" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Dispatch extends Schema.Schema.Type<typeof Dispatch> {}

/**
 * 回退 — the handler returns a case dispatched to it by mistake, with the reason.
 *
 * @since 0.1.0
 * @category commands
 */
export const Return = Schema.TaggedStruct("Return", { ...meta, reason: Note }).annotations({
  identifier: "ReturnCase",
  title: "回退 return"
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Return extends Schema.Schema.Type<typeof Return> {}

/**
 * 处理反馈 — the handler reports the result, with evidence (required).
 *
 * @since 0.1.0
 * @category commands
 */
export const Handle = Schema.TaggedStruct("Handle", {
  ...meta,
  result: Note,
  evidence: Evidence
}).annotations({ identifier: "HandleCase", title: "处理反馈 handle" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Handle extends Schema.Schema.Type<typeof Handle> {}

/**
 * 任务核查 — verify on site: `pass` closes the case, `fail` sends it back for
 * rework (a failed verification needs a note saying why).
 *
 * @since 0.1.0
 * @category commands
 */
export const Verify = Schema.TaggedStruct("Verify", {
  ...meta,
  outcome: Schema.Literal("pass", "fail"),
  note: OptionalNote
}).annotations({ identifier: "VerifyCase", title: "任务核查 verify" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Verify extends Schema.Schema.Type<typeof Verify> {}

/**
 * 回访评价 — record the return visit's result.
 *
 * @since 0.1.0
 * @category commands
 */
export const Evaluate = Schema.TaggedStruct("Evaluate", {
  ...meta,
  rating: Rating,
  /**
   * 问题是否解决 — the resident's answer to "was the problem solved?" (解决率),
   * on a valid return visit only (not with `unreachable` / `refused`). Absent,
   * 解决率 infers it: a visit later followed by a 重办 reopen is unresolved.
   */
  resolved: Schema.optionalWith(Schema.Boolean, { exact: true }),
  note: OptionalNote
}).annotations({ identifier: "EvaluateCase", title: "回访评价 evaluate" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Evaluate extends Schema.Schema.Type<typeof Evaluate> {}

/**
 * 重办 — reopen a case after a dissatisfied evaluation, back to its handler or
 * to dispatch, with the reason.
 *
 * @since 0.1.0
 * @category commands
 */
export const Reopen = Schema.TaggedStruct("Reopen", {
  ...meta,
  reason: Note,
  to: ReopenTo
}).annotations({ identifier: "ReopenCase", title: "重办 reopen" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Reopen extends Schema.Schema.Type<typeof Reopen> {}

/**
 * 申请挂账 — the handler asks to suspend the case (stop the clock), with the reason.
 *
 * @since 0.1.0
 * @category commands
 */
export const RequestSuspension = Schema.TaggedStruct("RequestSuspension", {
  ...meta,
  reason: Note
}).annotations({ identifier: "RequestCaseSuspension", title: "申请挂账 request suspension" })

/**
 * @since 0.1.0
 * @category models
 */
export interface RequestSuspension extends Schema.Schema.Type<typeof RequestSuspension> {}

/**
 * 批准挂账 — approve the pending suspension request.
 *
 * @since 0.1.0
 * @category commands
 */
export const ApproveSuspension = Schema.TaggedStruct("ApproveSuspension", {
  ...meta,
  note: OptionalNote
}).annotations({ identifier: "ApproveCaseSuspension", title: "批准挂账 approve suspension" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ApproveSuspension extends Schema.Schema.Type<typeof ApproveSuspension> {}

/**
 * 驳回挂账 — deny the pending suspension request, with the reason.
 *
 * @since 0.1.0
 * @category commands
 */
export const DenySuspension = Schema.TaggedStruct("DenySuspension", {
  ...meta,
  reason: Note
}).annotations({ identifier: "DenyCaseSuspension", title: "驳回挂账 deny suspension" })

/**
 * @since 0.1.0
 * @category models
 */
export interface DenySuspension extends Schema.Schema.Type<typeof DenySuspension> {}

/**
 * 恢复处置 — end a suspension; the clock runs again.
 *
 * @since 0.1.0
 * @category commands
 */
export const Resume = Schema.TaggedStruct("Resume", { ...meta, note: OptionalNote }).annotations({
  identifier: "ResumeCase",
  title: "恢复处置 resume"
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Resume extends Schema.Schema.Type<typeof Resume> {}

/**
 * 申请延期 — the handler asks for more time on the current step, with the reason.
 *
 * @since 0.1.0
 * @category commands
 */
export const RequestExtension = Schema.TaggedStruct("RequestExtension", {
  ...meta,
  amount: AmountAsked,
  reason: Note
}).annotations({ identifier: "RequestCaseExtension", title: "申请延期 request extension" })

/**
 * @since 0.1.0
 * @category models
 */
export interface RequestExtension extends Schema.Schema.Type<typeof RequestExtension> {}

/**
 * 批准延期 — approve the pending extension request, optionally for a different
 * amount than requested.
 *
 * @since 0.1.0
 * @category commands
 */
export const ApproveExtension = Schema.TaggedStruct("ApproveExtension", {
  ...meta,
  amount: Schema.optionalWith(AmountAsked, { exact: true }),
  note: OptionalNote
}).annotations({ identifier: "ApproveCaseExtension", title: "批准延期 approve extension" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ApproveExtension extends Schema.Schema.Type<typeof ApproveExtension> {}

/**
 * 驳回延期 — deny the pending extension request, with the reason.
 *
 * @since 0.1.0
 * @category commands
 */
export const DenyExtension = Schema.TaggedStruct("DenyExtension", {
  ...meta,
  reason: Note
}).annotations({ identifier: "DenyCaseExtension", title: "驳回延期 deny extension" })

/**
 * @since 0.1.0
 * @category models
 */
export interface DenyExtension extends Schema.Schema.Type<typeof DenyExtension> {}

/**
 * 合并 — merge this case, a duplicate, into `targetId`; this case ends as merged.
 *
 * @since 0.1.0
 * @category commands
 */
export const Merge = Schema.TaggedStruct("Merge", {
  ...meta,
  targetId: CaseId,
  note: OptionalNote
}).annotations({ identifier: "MergeCase", title: "合并 merge" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Merge extends Schema.Schema.Type<typeof Merge> {}

/**
 * 上报升级 — move the case one tier up (社区 → 街道 → 区) to `toUnitId`, the
 * owner unit there (the caller resolves it from the unit tree). Issued by staff
 * of the owning tier, or by `system` when the case is overdue.
 *
 * @since 0.1.0
 * @category commands
 */
export const Escalate = Schema.TaggedStruct("Escalate", {
  ...meta,
  toUnitId: UnitId,
  reason: Note
}).annotations({ identifier: "EscalateCase", title: "上报升级 escalate" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Escalate extends Schema.Schema.Type<typeof Escalate> {}

/**
 * 评论 — add a comment (备注) to a case: a note from the reporter or an outside
 * client (FixMyStreet posting an update back), or a note between units (a
 * 12345 会办 note). Allowed in every status — closed, voided and merged
 * included — and never changes the status. Anyone may comment; an `internal`
 * comment only a role of `Case.internalCommentRoles` (rule
 * `internal-comment-staff`); the text must not be blank (rule `note-required`).
 *
 * @since 0.1.0
 * @category commands
 */
export const Comment = Schema.TaggedStruct("Comment", {
  ...meta,
  /** 内容 — the comment's text. */
  text: Note,
  /** 可见性 — `public` may be published (Open311 updates), `internal` never. */
  visibility: CommentVisibility,
  /** 附件 — photos or documents, as URLs. */
  media: Schema.optionalWith(Media, { exact: true })
}).annotations({ identifier: "CommentCase", title: "评论 comment" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Comment extends Schema.Schema.Type<typeof Comment> {}

/**
 * 督办/催办 — supervise a case: a street or district officer presses for
 * action (`level`: `urge` 催办 or `supervise` 督办) with a note. Allowed in
 * every open status; never changes the status nor the step's clock. Only
 * `street-staff` or `district-staff` (authority `supervisor`); the note must
 * not be blank (rule `note-required`).
 *
 * @since 0.1.0
 * @category commands
 */
export const Supervise = Schema.TaggedStruct("Supervise", {
  ...meta,
  /** 级别 — `urge` 催办 or `supervise` 督办. */
  level: SupervisionLevel,
  /** 督办意见 — what is asked for. */
  note: Note
}).annotations({ identifier: "SuperviseCase", title: "督办 supervise" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Supervise extends Schema.Schema.Type<typeof Supervise> {}

/**
 * 案件指令 — any case command.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CaseCommand = Schema.Union(
  Report,
  SelfHandle,
  Accept,
  Reject,
  Void,
  Dispatch,
  Return,
  Handle,
  Verify,
  Evaluate,
  Reopen,
  RequestSuspension,
  ApproveSuspension,
  DenySuspension,
  Resume,
  RequestExtension,
  ApproveExtension,
  DenyExtension,
  Merge,
  Escalate,
  Comment,
  Supervise
).annotations({ identifier: "CaseCommand", title: "案件指令 case command" })

/**
 * @since 0.1.0
 * @category models
 */
export type CaseCommand = typeof CaseCommand.Type
