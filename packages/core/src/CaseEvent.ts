/**
 * 案件事件 — the facts of a case's history (event sourcing: a case's state is
 * the fold of its events). Events are what a store appends and what `evolve`
 * applies; they are produced by `Case.decide`, which has already checked every
 * rule, so an event's fields are always valid (non-blank texts, non-empty
 * evidence …) and it encodes to JSON for storage and HTTP.
 *
 * Every event carries `caseId`, `sequence` (1, 2, 3 … per case, gapless — the
 * store's optimistic-concurrency key), `at` (a UTC instant) and `actor`.
 *
 * **Stored texts.** Events are decoded from the store, so their free texts
 * (descriptions, notes, reasons, addresses, contacts, attributes, evidence)
 * keep the rules they were stored under — any non-blank text — through the
 * `Case.Recorded*` schemas; the input limits (`Text`) are enforced where new
 * values enter, by the commands. Ids are bounded here too (`Text.Id`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Actor } from "./Actor.js"
import {
  CaseId,
  ClosedVia,
  CommentVisibility,
  DispatchTarget,
  ExtensionAmount,
  LocalSource,
  Rating,
  RecordedAttributes,
  RecordedContact,
  RecordedEvidenceRef,
  RecordedLocation,
  RecordedMedia,
  ReopenTo,
  Source,
  SupervisionLevel,
  VoidReason
} from "./Case.js"
import { CategoryId, Urgency } from "./CaseCategory.js"
import { CaseStep } from "./CaseStep.js"
import { Tier } from "./Tier.js"
import { UnitId } from "./Unit.js"

// free text as recorded — every non-blank text, without the input limits, so that histories stored
// before the limits (commands bound their texts with `Text`) keep decoding; ids are bounded
const Text = Schema.NonEmptyTrimmedString

/**
 * 事件元数据 — the fields every event carries.
 *
 * @since 0.1.0
 * @category schemas
 */
export const meta = {
  /** 案件编号 */
  caseId: CaseId,
  /** 序号 — 1, 2, 3 … per case, without gaps. */
  sequence: Schema.Int.pipe(Schema.positive()),
  /** 时间 — when it happened (UTC). */
  at: Schema.DateTimeUtc,
  /** 操作人 */
  actor: Actor
}

/**
 * 已上报 — a case was reported (采集上报): where it came from, what and where it
 * is, the community that owns it and the tier it starts at.
 *
 * @since 0.1.0
 * @category events
 */
export const Reported = Schema.TaggedStruct("Reported", {
  ...meta,
  source: Source,
  /**
   * 本地来源 — a local report source of the role table acting as `source`
   * (`RoleTable.reportSource`); absent for a built-in source and in events stored before local
   * sources.
   */
  localSource: Schema.optionalWith(LocalSource, { exact: true }),
  categoryId: CategoryId,
  urgency: Urgency,
  description: Text,
  location: RecordedLocation,
  communityId: UnitId,
  tier: Tier,
  ownerUnitId: UnitId,
  contact: Schema.optionalWith(RecordedContact, { exact: true }),
  anonymous: Schema.Boolean,
  attributes: RecordedAttributes,
  /**
   * 公开精确位置 — the reporter agreed that the exact position and full address be
   * published (Open311); absent or false: only a coarsened location is published.
   */
  publishExact: Schema.optionalWith(Schema.Boolean, { exact: true }),
  /**
   * 同意接收进度通知 — the reporter agreed to be told of the case's status
   * changes at their contact phone (`Notification`); absent or false: not.
   */
  notifyReporter: Schema.optionalWith(Schema.Boolean, { exact: true }),
  /** 附件 — the media URLs sent with the report (absent when none). */
  media: Schema.optionalWith(RecordedMedia, { exact: true })
}).annotations({ identifier: "CaseReported", title: "已上报 reported" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Reported extends Schema.Schema.Type<typeof Reported> {}

/**
 * 已立案 — the owning tier accepted the case (案卷建立).
 *
 * @since 0.1.0
 * @category events
 */
export const Accepted = Schema.TaggedStruct("Accepted", {
  ...meta,
  note: Schema.optionalWith(Text, { exact: true })
}).annotations({ identifier: "CaseAccepted", title: "已立案 accepted" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Accepted extends Schema.Schema.Type<typeof Accepted> {}

/**
 * 不予立案 — the owning tier rejected the report, with the reason.
 *
 * @since 0.1.0
 * @category events
 */
export const Rejected = Schema.TaggedStruct("Rejected", {
  ...meta,
  reason: Text
}).annotations({ identifier: "CaseRejected", title: "不予立案 rejected" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Rejected extends Schema.Schema.Type<typeof Rejected> {}

/**
 * 已作废 — the case was voided: duplicate, invalid or not ours, with a note.
 *
 * @since 0.1.0
 * @category events
 */
export const Voided = Schema.TaggedStruct("Voided", {
  ...meta,
  reason: VoidReason,
  note: Text
}).annotations({ identifier: "CaseVoided", title: "已作废 voided" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Voided extends Schema.Schema.Type<typeof Voided> {}

/**
 * 已派遣 — the case was dispatched to a handling unit or department (指挥派遣).
 *
 * @since 0.1.0
 * @category events
 */
export const Dispatched = Schema.TaggedStruct("Dispatched", {
  ...meta,
  target: DispatchTarget,
  note: Schema.optionalWith(Text, { exact: true })
}).annotations({ identifier: "CaseDispatched", title: "已派遣 dispatched" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Dispatched extends Schema.Schema.Type<typeof Dispatched> {}

/**
 * 已回退 — the handler returned the case (wrong dispatch), with the reason; it
 * waits for a new dispatch.
 *
 * @since 0.1.0
 * @category events
 */
export const Returned = Schema.TaggedStruct("Returned", {
  ...meta,
  reason: Text
}).annotations({ identifier: "CaseReturned", title: "已回退 returned" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Returned extends Schema.Schema.Type<typeof Returned> {}

/**
 * 已处置 — the handler handled the case and fed back the result with evidence (处理反馈).
 *
 * @since 0.1.0
 * @category events
 */
export const Handled = Schema.TaggedStruct("Handled", {
  ...meta,
  result: Text,
  evidence: Schema.NonEmptyArray(RecordedEvidenceRef)
}).annotations({ identifier: "CaseHandled", title: "已处置 handled" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Handled extends Schema.Schema.Type<typeof Handled> {}

/**
 * 核查通过 — the on-site verification passed (任务核查); `Closed` follows.
 *
 * @since 0.1.0
 * @category events
 */
export const VerificationPassed = Schema.TaggedStruct("VerificationPassed", {
  ...meta,
  note: Schema.optionalWith(Text, { exact: true })
}).annotations({ identifier: "CaseVerificationPassed", title: "核查通过 verification passed" })

/**
 * @since 0.1.0
 * @category models
 */
export interface VerificationPassed extends Schema.Schema.Type<typeof VerificationPassed> {}

/**
 * 核查不通过 — the on-site verification failed: the case goes back to the
 * handler for rework (返工), with the reason.
 *
 * @since 0.1.0
 * @category events
 */
export const VerificationFailed = Schema.TaggedStruct("VerificationFailed", {
  ...meta,
  reason: Text
}).annotations({ identifier: "CaseVerificationFailed", title: "核查不通过 verification failed" })

/**
 * @since 0.1.0
 * @category models
 */
export interface VerificationFailed extends Schema.Schema.Type<typeof VerificationFailed> {}

/**
 * 已结案 — the case was closed and archived (结案归档) at `tier`, after a passed
 * verification or a self-handling.
 *
 * @since 0.1.0
 * @category events
 */
export const Closed = Schema.TaggedStruct("Closed", {
  ...meta,
  tier: Tier,
  via: ClosedVia
}).annotations({ identifier: "CaseClosed", title: "已结案 closed" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Closed extends Schema.Schema.Type<typeof Closed> {}

/**
 * 已回访 — the return visit's result (考核评价 / 回访).
 *
 * @since 0.1.0
 * @category events
 */
export const Evaluated = Schema.TaggedStruct("Evaluated", {
  ...meta,
  rating: Rating,
  /** 问题是否解决 — the resident's answer, when the visit recorded one (see `CaseCommand.Evaluate`). */
  resolved: Schema.optionalWith(Schema.Boolean, { exact: true }),
  note: Schema.optionalWith(Text, { exact: true })
}).annotations({ identifier: "CaseEvaluated", title: "已回访 evaluated" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Evaluated extends Schema.Schema.Type<typeof Evaluated> {}

/**
 * 重办 — a dissatisfied evaluation reopened the case: back to its handler or to dispatch.
 *
 * @since 0.1.0
 * @category events
 */
export const Reopened = Schema.TaggedStruct("Reopened", {
  ...meta,
  reason: Text,
  to: ReopenTo
}).annotations({ identifier: "CaseReopened", title: "重办 reopened" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Reopened extends Schema.Schema.Type<typeof Reopened> {}

/**
 * 申请挂账 — the handler asked to suspend the case (the clock would stop).
 *
 * @since 0.1.0
 * @category events
 */
export const SuspensionRequested = Schema.TaggedStruct("SuspensionRequested", {
  ...meta,
  step: CaseStep,
  reason: Text
}).annotations({ identifier: "CaseSuspensionRequested", title: "申请挂账 suspension requested" })

/**
 * @since 0.1.0
 * @category models
 */
export interface SuspensionRequested extends Schema.Schema.Type<typeof SuspensionRequested> {}

/**
 * 批准挂账 — the owning tier approved the suspension: the case is suspended from `at`.
 *
 * @since 0.1.0
 * @category events
 */
export const SuspensionApproved = Schema.TaggedStruct("SuspensionApproved", {
  ...meta,
  note: Schema.optionalWith(Text, { exact: true })
}).annotations({ identifier: "CaseSuspensionApproved", title: "批准挂账 suspension approved" })

/**
 * @since 0.1.0
 * @category models
 */
export interface SuspensionApproved extends Schema.Schema.Type<typeof SuspensionApproved> {}

/**
 * 驳回挂账 — the owning tier denied the suspension, with the reason.
 *
 * @since 0.1.0
 * @category events
 */
export const SuspensionDenied = Schema.TaggedStruct("SuspensionDenied", {
  ...meta,
  reason: Text
}).annotations({ identifier: "CaseSuspensionDenied", title: "驳回挂账 suspension denied" })

/**
 * @since 0.1.0
 * @category models
 */
export interface SuspensionDenied extends Schema.Schema.Type<typeof SuspensionDenied> {}

/**
 * 恢复处置 — the suspension ended at `at`; the clock runs again.
 *
 * @since 0.1.0
 * @category events
 */
export const Resumed = Schema.TaggedStruct("Resumed", {
  ...meta,
  note: Schema.optionalWith(Text, { exact: true })
}).annotations({ identifier: "CaseResumed", title: "恢复处置 resumed" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Resumed extends Schema.Schema.Type<typeof Resumed> {}

/**
 * 申请延期 — the handler asked for more time on `step`.
 *
 * @since 0.1.0
 * @category events
 */
export const ExtensionRequested = Schema.TaggedStruct("ExtensionRequested", {
  ...meta,
  step: CaseStep,
  amount: ExtensionAmount,
  reason: Text
}).annotations({ identifier: "CaseExtensionRequested", title: "申请延期 extension requested" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ExtensionRequested extends Schema.Schema.Type<typeof ExtensionRequested> {}

/**
 * 批准延期 — the owning tier approved `amount` more time on `step` (possibly
 * less than requested).
 *
 * @since 0.1.0
 * @category events
 */
export const ExtensionApproved = Schema.TaggedStruct("ExtensionApproved", {
  ...meta,
  step: CaseStep,
  amount: ExtensionAmount,
  note: Schema.optionalWith(Text, { exact: true })
}).annotations({ identifier: "CaseExtensionApproved", title: "批准延期 extension approved" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ExtensionApproved extends Schema.Schema.Type<typeof ExtensionApproved> {}

/**
 * 驳回延期 — the owning tier denied the extension, with the reason.
 *
 * @since 0.1.0
 * @category events
 */
export const ExtensionDenied = Schema.TaggedStruct("ExtensionDenied", {
  ...meta,
  reason: Text
}).annotations({ identifier: "CaseExtensionDenied", title: "驳回延期 extension denied" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ExtensionDenied extends Schema.Schema.Type<typeof ExtensionDenied> {}

/**
 * 已合并 — the case was a duplicate and was merged into `targetId`; it ends here.
 *
 * @since 0.1.0
 * @category events
 */
export const Merged = Schema.TaggedStruct("Merged", {
  ...meta,
  targetId: CaseId,
  note: Schema.optionalWith(Text, { exact: true })
}).annotations({ identifier: "CaseMerged", title: "已合并 merged" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Merged extends Schema.Schema.Type<typeof Merged> {}

/**
 * 上报升级 — ownership moved one tier up (社区 → 街道 → 区), to `toUnitId`;
 * `automatic` when `system` escalated an overdue case.
 *
 * @since 0.1.0
 * @category events
 */
export const Escalated = Schema.TaggedStruct("Escalated", {
  ...meta,
  fromTier: Tier,
  toTier: Tier,
  toUnitId: UnitId,
  reason: Text,
  automatic: Schema.Boolean
}).annotations({ identifier: "CaseEscalated", title: "上报升级 escalated" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Escalated extends Schema.Schema.Type<typeof Escalated> {}

/**
 * 自处理 — a grid worker resolved the case on the spot, with the result and
 * evidence (琐事不出楼栋); `Closed` follows.
 *
 * @since 0.1.0
 * @category events
 */
export const SelfHandled = Schema.TaggedStruct("SelfHandled", {
  ...meta,
  result: Text,
  evidence: Schema.NonEmptyArray(RecordedEvidenceRef)
}).annotations({ identifier: "CaseSelfHandled", title: "自处理 self-handled" })

/**
 * @since 0.1.0
 * @category models
 */
export interface SelfHandled extends Schema.Schema.Type<typeof SelfHandled> {}

/**
 * 已评论 — a comment (评论/备注) was added to the case: its text, its
 * visibility (`public` may be published; `internal` never, nor shown to
 * residents — see `isInternal`) and media. Changes nothing of the case but
 * its `version` and `commentedAt` (not its status, not `updatedAt`).
 *
 * @since 0.1.0
 * @category events
 */
export const Commented = Schema.TaggedStruct("Commented", {
  ...meta,
  text: Text,
  visibility: CommentVisibility,
  media: Schema.optionalWith(RecordedMedia, { exact: true })
}).annotations({ identifier: "CaseCommented", title: "已评论 commented" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Commented extends Schema.Schema.Type<typeof Commented> {}

/**
 * 已督办 — the case was supervised (督办/催办): the level and the note, by
 * whom and when. Never changes the status nor the step's clock; the case
 * counts it (`Case.supervisions`, `Case.lastSupervision`).
 *
 * @since 0.1.0
 * @category events
 */
export const Supervised = Schema.TaggedStruct("Supervised", {
  ...meta,
  level: SupervisionLevel,
  note: Text
}).annotations({ identifier: "CaseSupervised", title: "已督办 supervised" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Supervised extends Schema.Schema.Type<typeof Supervised> {}

/**
 * 案件事件 — any case event.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CaseEvent = Schema.Union(
  Reported,
  Accepted,
  Rejected,
  Voided,
  Dispatched,
  Returned,
  Handled,
  VerificationPassed,
  VerificationFailed,
  Closed,
  Evaluated,
  Reopened,
  SuspensionRequested,
  SuspensionApproved,
  SuspensionDenied,
  Resumed,
  ExtensionRequested,
  ExtensionApproved,
  ExtensionDenied,
  Merged,
  Escalated,
  SelfHandled,
  Commented,
  Supervised
).annotations({ identifier: "CaseEvent", title: "案件事件 case event" })

/**
 * @since 0.1.0
 * @category models
 */
export type CaseEvent = typeof CaseEvent.Type

/**
 * 事件名称 — the Chinese name of each event.
 *
 * @since 0.1.0
 * @category constants
 */
export const eventNames: Readonly<Record<CaseEvent["_tag"], string>> = {
  Reported: "已上报",
  Accepted: "已立案",
  Rejected: "不予立案",
  Voided: "已作废",
  Dispatched: "已派遣",
  Returned: "已回退",
  Handled: "已处置",
  VerificationPassed: "核查通过",
  VerificationFailed: "核查不通过",
  Closed: "已结案",
  Evaluated: "已回访",
  Reopened: "重办",
  SuspensionRequested: "申请挂账",
  SuspensionApproved: "批准挂账",
  SuspensionDenied: "驳回挂账",
  Resumed: "恢复处置",
  ExtensionRequested: "申请延期",
  ExtensionApproved: "批准延期",
  ExtensionDenied: "驳回延期",
  Merged: "已合并",
  Escalated: "上报升级",
  SelfHandled: "自处理",
  Commented: "评论",
  Supervised: "督办"
}

/**
 * 内部事件 — whether an event is an internal comment (`Commented` with
 * visibility `internal`): never published (Open311, public output) and never
 * shown to residents. Every other event is not internal.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isInternal = (event: CaseEvent): boolean =>
  event._tag === "Commented" && event.visibility === "internal"
