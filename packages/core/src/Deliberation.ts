/**
 * 议事协商 — one decider for the whole path of a topic of community
 * deliberation: proposal 提案 → agenda 列入议程 → meeting 会议 → vote 表决 →
 * resolution 议定事项 → tasks 工作清单 (限期督办) → implemented 落实 → published
 * 公开 → feedback 群众评议.
 *
 * Sources: the community experience report (XX社区治理经验交流材料) (大党委联席会 decides who fixes what); the
 * Panlong district report (某区社区治理工作情况报告) (社区民主协商 content, channels and procedure, 居民代表提案,
 * 居委会会议, 民情恳谈, 居务公开); the 2024 public-rental community report (议定事项 → 工作清单,
 * 限期督办; 枫桥小屋); the Yilong county report ("有事来协商"); the Pingyi street report (村规民约, 政务/财务公开).
 *
 * The rules live in the modules this one composes: `Proposal` (co-signers
 * and the agenda threshold), `Meeting` (kinds, quorum, minutes), `Vote`
 * (electorate, ballots, thresholds, the recomputable `tally`), `Resolution`
 * (items → tasks checked against the access list) and `Publication` (no
 * personal data, retention). Every refusal is a {@link DeliberationRefused}
 * naming its rule in Chinese and English.
 *
 * Who may act: the roles of {@link roles}; staff act only on topics of a unit
 * within the unit they act for (a street on its communities' topics, a
 * community on its own); a resident casts only their own ballot (community
 * staff may record a paper ballot 代录), and the electoral roll decides who
 * votes; a functional department moves only the tasks it owns.
 *
 * ```ts
 * import * as Decider from "@civicgrid/core/Decider"
 * import * as Deliberation from "@civicgrid/core/Deliberation"
 *
 * const decider = Deliberation.decider(config)
 * const next = Decider.execute(decider)(state, command)
 * ```
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Actor, ActorId, type Role } from "./Actor.js"
import * as Decider from "./Decider.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Meeting from "./Meeting.js"
import * as Proposal from "./Proposal.js"
import * as Publication from "./Publication.js"
import * as Resolution from "./Resolution.js"
import * as TaskList from "./TaskList.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"
import * as Vote from "./Vote.js"

// ---------------------------------------------------------------------------
// ids and statuses
// ---------------------------------------------------------------------------

/**
 * 议题标识 — the id of a topic of deliberation.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TopicId = Text.Id.pipe(
  Schema.brand("TopicId"),
  Schema.annotations({ identifier: "TopicId", title: "议题标识 topic id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type TopicId = typeof TopicId.Type

/**
 * 议题状态 — `proposed` 已提出, `on-agenda` 已列入议程, `rejected` 不予立项,
 * `deliberated` 已协商 (the meeting was held), `voting` 表决中, `carried` 表决通过,
 * `not-carried` 未通过, `in-progress` 落实中 (tasks on the list),
 * `implemented` 已落实, `published` 已公开, `withdrawn` 公开已撤回 (to be
 * published again).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Status = Schema.Literal(
  "proposed",
  "on-agenda",
  "rejected",
  "deliberated",
  "voting",
  "carried",
  "not-carried",
  "in-progress",
  "implemented",
  "published",
  "withdrawn"
).annotations({ identifier: "DeliberationStatus", title: "议题状态 topic status" })

/**
 * @since 0.1.0
 * @category models
 */
export type Status = typeof Status.Type

/**
 * Chinese names of the statuses.
 *
 * @since 0.1.0
 * @category constants
 */
export const statusNames: Readonly<Record<Status, string>> = {
  proposed: "已提出",
  "on-agenda": "已列入议程",
  rejected: "不予立项",
  deliberated: "已协商",
  voting: "表决中",
  carried: "表决通过",
  "not-carried": "未通过",
  "in-progress": "落实中",
  implemented: "已落实",
  published: "已公开",
  withdrawn: "公开已撤回"
}

/**
 * 群众评议 — a resident's rating of the outcome: `satisfied` 满意,
 * `basically-satisfied` 基本满意, `dissatisfied` 不满意.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Rating = Schema.Literal("satisfied", "basically-satisfied", "dissatisfied").annotations({
  identifier: "DeliberationRating",
  title: "群众评议 rating"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Rating = typeof Rating.Type

// ---------------------------------------------------------------------------
// commands
// ---------------------------------------------------------------------------

const commandMeta = {
  topicId: TopicId,
  /** 操作人 */
  actor: Actor,
  /** 时间 (UTC) */
  at: Schema.DateTimeUtc
}

/**
 * 提出议题 — a topic is raised: from a resident representative's proposal, a
 * problem or a case; scoped to a unit.
 *
 * @since 0.1.0
 * @category commands
 */
export const Submit = Schema.TaggedStruct("Submit", {
  ...commandMeta,
  unitId: UnitId,
  source: Proposal.Source,
  title: Text.field(Text.limits.title),
  description: Text.Description
})

/**
 * 联名 — the acting resident co-signs the proposal.
 *
 * @since 0.1.0
 * @category commands
 */
export const Cosign = Schema.TaggedStruct("Cosign", { ...commandMeta })

/**
 * 列入议程 — the topic is put on the agenda.
 *
 * @since 0.1.0
 * @category commands
 */
export const PutOnAgenda = Schema.TaggedStruct("PutOnAgenda", { ...commandMeta })

/**
 * 不予立项 — the topic is rejected with a reason (before the meeting).
 *
 * @since 0.1.0
 * @category commands
 */
export const Reject = Schema.TaggedStruct("Reject", { ...commandMeta, reason: Text.Note })

/**
 * 召开会议 — the meeting that deliberated the topic is recorded.
 *
 * @since 0.1.0
 * @category commands
 */
export const HoldMeeting = Schema.TaggedStruct("HoldMeeting", { ...commandMeta, meeting: Meeting.Meeting })

/**
 * 发起表决 — a vote opens under a rule.
 *
 * @since 0.1.0
 * @category commands
 */
export const OpenVote = Schema.TaggedStruct("OpenVote", { ...commandMeta, rule: Vote.VoteRule })

/**
 * 投票 — a ballot is cast (by the voter, or recorded from paper by community
 * staff 代录).
 *
 * @since 0.1.0
 * @category commands
 */
export const CastBallot = Schema.TaggedStruct("CastBallot", { ...commandMeta, ballot: Vote.Ballot })

/**
 * 结束表决 — the vote closes; the result is the tally of the ballots.
 *
 * @since 0.1.0
 * @category commands
 */
export const CloseVote = Schema.TaggedStruct("CloseVote", { ...commandMeta })

/**
 * 规约修订 — what a resolution adopts of a unit's rule document (村规民约 /
 * 居民公约): the document's id and title and the text of the new version. The
 * document belongs to the topic's unit; its versions are numbered in the
 * order their resolutions were adopted ({@link ruleDocuments}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RuleAdoption = Schema.Struct({
  documentId: Text.Id,
  title: Text.line(Text.limits.title),
  text: Text.Description
}).annotations({ identifier: "RuleAdoption", title: "规约修订 rule adoption" })

/**
 * @since 0.1.0
 * @category models
 */
export interface RuleAdoption extends Schema.Schema.Type<typeof RuleAdoption> {}

/**
 * 形成议定事项 — a carried topic becomes a resolution whose items become
 * tasks on the task list; optionally the resolution adopts a new version of
 * the unit's rule document (`adopts`).
 *
 * @since 0.1.0
 * @category commands
 */
export const Resolve = Schema.TaggedStruct("Resolve", {
  ...commandMeta,
  text: Text.Description,
  items: Schema.Array(Resolution.Item).pipe(Schema.maxItems(Resolution.maxItems)),
  adopts: Schema.optionalWith(RuleAdoption, { exact: true })
})

/**
 * 开始办理 — a task of the resolution starts.
 *
 * @since 0.1.0
 * @category commands
 */
export const StartTask = Schema.TaggedStruct("StartTask", { ...commandMeta, taskId: TaskList.TaskId })

/**
 * 办结 — a task of the resolution is done.
 *
 * @since 0.1.0
 * @category commands
 */
export const CompleteTask = Schema.TaggedStruct("CompleteTask", { ...commandMeta, taskId: TaskList.TaskId })

/**
 * 取消任务 — a task of the resolution is cancelled with a reason.
 *
 * @since 0.1.0
 * @category commands
 */
export const CancelTask = Schema.TaggedStruct("CancelTask", {
  ...commandMeta,
  taskId: TaskList.TaskId,
  reason: Text.Note
})

/**
 * 限期督办 — a task is put under (higher) supervision.
 *
 * @since 0.1.0
 * @category commands
 */
export const SuperviseTask = Schema.TaggedStruct("SuperviseTask", {
  ...commandMeta,
  taskId: TaskList.TaskId,
  level: TaskList.SupervisionLevel,
  unitId: UnitId
})

/**
 * 公开 — the outcome is published (居务公开 …); on display until
 * `retainUntil` (default: the category's retention).
 *
 * @since 0.1.0
 * @category commands
 */
export const Publish = Schema.TaggedStruct("Publish", {
  ...commandMeta,
  category: Publication.Category,
  title: Text.field(Text.limits.title),
  body: Text.Description,
  retainUntil: Schema.optionalWith(Schema.DateTimeUtc, { exact: true })
})

/**
 * 单独公开 — a disclosure no meeting produced (a village's monthly 财务公开, a
 * 政务公开 notice) is raised and published at once: a topic of source
 * `Disclosure` that goes straight to `published` and never takes a proposal,
 * meeting, vote or resolution. It may be withdrawn and published again like
 * any publication.
 *
 * @since 0.1.0
 * @category commands
 */
export const Disclose = Schema.TaggedStruct("Disclose", {
  ...commandMeta,
  unitId: UnitId,
  category: Publication.Category,
  title: Text.field(Text.limits.title),
  body: Text.Description,
  retainUntil: Schema.optionalWith(Schema.DateTimeUtc, { exact: true })
})

/**
 * 群众评议 — a resident rates the published outcome.
 *
 * @since 0.1.0
 * @category commands
 */
export const GiveFeedback = Schema.TaggedStruct("GiveFeedback", { ...commandMeta, rating: Rating })

/**
 * 撤回公开 — the publication is withdrawn with a reason (e.g. to correct it and
 * publish again).
 *
 * @since 0.1.0
 * @category commands
 */
export const WithdrawPublication = Schema.TaggedStruct("WithdrawPublication", {
  ...commandMeta,
  reason: Text.Note
})

/**
 * 议事指令 — every command of the decider.
 *
 * @since 0.1.0
 * @category commands
 */
export const Command = Schema.Union(
  Submit,
  Cosign,
  PutOnAgenda,
  Reject,
  HoldMeeting,
  OpenVote,
  CastBallot,
  CloseVote,
  Resolve,
  StartTask,
  CompleteTask,
  CancelTask,
  SuperviseTask,
  Publish,
  Disclose,
  GiveFeedback,
  WithdrawPublication
).annotations({ identifier: "DeliberationCommand", title: "议事指令 command" })

/**
 * @since 0.1.0
 * @category models
 */
export type Command = typeof Command.Type

/**
 * @since 0.1.0
 * @category models
 */
export type CommandTag = Command["_tag"]

/**
 * Chinese names of the commands.
 *
 * @since 0.1.0
 * @category constants
 */
export const commandNames: Readonly<Record<CommandTag, string>> = {
  Submit: "提出议题",
  Cosign: "联名",
  PutOnAgenda: "列入议程",
  Reject: "不予立项",
  HoldMeeting: "召开会议",
  OpenVote: "发起表决",
  CastBallot: "投票",
  CloseVote: "结束表决",
  Resolve: "形成议定事项",
  StartTask: "开始办理",
  CompleteTask: "办结",
  CancelTask: "取消任务",
  SuperviseTask: "限期督办",
  Publish: "公开",
  Disclose: "单独公开",
  GiveFeedback: "群众评议",
  WithdrawPublication: "撤回公开"
}

// ---------------------------------------------------------------------------
// events
// ---------------------------------------------------------------------------

const eventMeta = {
  topicId: TopicId,
  /** 序号 — 1, 2, 3 … per topic, without gaps. */
  sequence: Schema.Int.pipe(Schema.positive()),
  at: Schema.DateTimeUtc,
  actor: Actor
}

/**
 * 议题已提出.
 *
 * @since 0.1.0
 * @category events
 */
export const Submitted = Schema.TaggedStruct("Submitted", {
  ...eventMeta,
  unitId: UnitId,
  source: Proposal.Source,
  title: Text.line(Text.limits.title),
  description: Text.Description
})

/**
 * 已联名.
 *
 * @since 0.1.0
 * @category events
 */
export const Cosigned = Schema.TaggedStruct("Cosigned", { ...eventMeta, cosigner: ActorId })

/**
 * 已列入议程.
 *
 * @since 0.1.0
 * @category events
 */
export const AgendaSet = Schema.TaggedStruct("AgendaSet", { ...eventMeta })

/**
 * 不予立项.
 *
 * @since 0.1.0
 * @category events
 */
export const Rejected = Schema.TaggedStruct("Rejected", { ...eventMeta, reason: Text.Note })

/**
 * 会议已召开.
 *
 * @since 0.1.0
 * @category events
 */
export const MeetingHeld = Schema.TaggedStruct("MeetingHeld", { ...eventMeta, meeting: Meeting.Meeting })

/**
 * 表决已发起.
 *
 * @since 0.1.0
 * @category events
 */
export const VoteOpened = Schema.TaggedStruct("VoteOpened", { ...eventMeta, rule: Vote.VoteRule })

/**
 * 已投票.
 *
 * @since 0.1.0
 * @category events
 */
export const BallotCast = Schema.TaggedStruct("BallotCast", { ...eventMeta, ballot: Vote.Ballot })

/**
 * 表决已结束 — with the result, which `Vote.tally` of the ballots recomputes.
 *
 * @since 0.1.0
 * @category events
 */
export const VoteClosed = Schema.TaggedStruct("VoteClosed", { ...eventMeta, result: Vote.Result })

/**
 * 已形成议定事项 — with the tasks it put on the task list and the rule
 * document version it adopted, if any.
 *
 * @since 0.1.0
 * @category events
 */
export const Resolved = Schema.TaggedStruct("Resolved", {
  ...eventMeta,
  text: Text.Description,
  items: Schema.Array(Resolution.Item),
  tasks: Schema.Array(TaskList.Task),
  adopts: Schema.optionalWith(RuleAdoption, { exact: true })
})

/**
 * 任务已更新 — a task of the resolution after a move (start, completion,
 * cancellation, supervision).
 *
 * @since 0.1.0
 * @category events
 */
export const TaskUpdated = Schema.TaggedStruct("TaskUpdated", {
  ...eventMeta,
  move: Schema.Literal("start", "complete", "cancel", "supervise"),
  task: TaskList.Task
})

/**
 * 已落实 — every task is closed and at least one is done; `onTime` when every
 * done task was done by its deadline.
 *
 * @since 0.1.0
 * @category events
 */
export const Implemented = Schema.TaggedStruct("Implemented", { ...eventMeta, onTime: Schema.Boolean })

/**
 * 已公开.
 *
 * @since 0.1.0
 * @category events
 */
export const Published = Schema.TaggedStruct("Published", {
  ...eventMeta,
  publication: Publication.Publication
})

/**
 * 已评议.
 *
 * @since 0.1.0
 * @category events
 */
export const FeedbackGiven = Schema.TaggedStruct("FeedbackGiven", { ...eventMeta, rating: Rating })

/**
 * 公开已撤回 — the publication as withdrawn; the topic may be published again.
 *
 * @since 0.1.0
 * @category events
 */
export const PublicationWithdrawn = Schema.TaggedStruct("PublicationWithdrawn", {
  ...eventMeta,
  publication: Publication.Publication
})

/**
 * 议事事件 — every event of the decider.
 *
 * @since 0.1.0
 * @category events
 */
export const Event = Schema.Union(
  Submitted,
  Cosigned,
  AgendaSet,
  Rejected,
  MeetingHeld,
  VoteOpened,
  BallotCast,
  VoteClosed,
  Resolved,
  TaskUpdated,
  Implemented,
  Published,
  FeedbackGiven,
  PublicationWithdrawn
).annotations({ identifier: "DeliberationEvent", title: "议事事件 event" })

/**
 * @since 0.1.0
 * @category models
 */
export type Event = typeof Event.Type

// ---------------------------------------------------------------------------
// state
// ---------------------------------------------------------------------------

/**
 * 议题 — a topic as its events left it: who raised it and who co-signed, when
 * it reached the agenda (or why it was rejected), the meeting, the vote (rule,
 * ballots, result), the resolution and its tasks, implementation,
 * publication and feedback.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Topic = Schema.Struct({
  _tag: Schema.Literal("Topic"),
  id: TopicId,
  /** 版本 — the sequence of the last event applied. */
  version: Schema.Int.pipe(Schema.positive()),
  status: Status,
  unitId: UnitId,
  source: Proposal.Source,
  title: Schema.String,
  description: Schema.String,
  proposer: ActorId,
  cosigners: Schema.Array(ActorId),
  submittedAt: Schema.DateTimeUtc,
  agendaAt: Schema.NullOr(Schema.DateTimeUtc),
  rejectReason: Schema.NullOr(Schema.String),
  meeting: Schema.NullOr(Meeting.Meeting),
  heldAt: Schema.NullOr(Schema.DateTimeUtc),
  voteRule: Schema.NullOr(Vote.VoteRule),
  ballots: Schema.Array(Vote.Ballot),
  result: Schema.NullOr(Vote.Result),
  votedAt: Schema.NullOr(Schema.DateTimeUtc),
  resolutionText: Schema.NullOr(Schema.String),
  resolvedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** 规约修订 — the rule document version the resolution adopted, if any. */
  adopts: Schema.optionalWith(RuleAdoption, { exact: true }),
  tasks: Schema.Array(TaskList.Task),
  implementedAt: Schema.NullOr(Schema.DateTimeUtc),
  implementedOnTime: Schema.NullOr(Schema.Boolean),
  publication: Schema.NullOr(Publication.Publication),
  feedback: Schema.Array(Schema.Struct({ rating: Rating, at: Schema.DateTimeUtc })),
  updatedAt: Schema.DateTimeUtc
}).annotations({ identifier: "DeliberationTopic", title: "议题 topic" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Topic extends Schema.Schema.Type<typeof Topic> {}

/**
 * 尚无议题 — the state before a topic is raised.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NoTopic = Schema.Struct({
  _tag: Schema.Literal("NoTopic"),
  version: Schema.Literal(0)
}).annotations({ identifier: "NoTopic", title: "尚无议题 no topic" })

/**
 * @since 0.1.0
 * @category models
 */
export interface NoTopic extends Schema.Schema.Type<typeof NoTopic> {}

/**
 * 议题状态 — the decider's state: no topic yet, or a topic.
 *
 * @since 0.1.0
 * @category schemas
 */
export const State = Schema.Union(NoTopic, Topic).annotations({
  identifier: "DeliberationState",
  title: "议题状态 state"
})

/**
 * @since 0.1.0
 * @category models
 */
export type State = NoTopic | Topic

/**
 * The state before any event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const initial: State = { _tag: "NoTopic", version: 0 }

// ---------------------------------------------------------------------------
// rules as data
// ---------------------------------------------------------------------------

/**
 * 状态迁移表 — the statuses each command is allowed in (`none` before the
 * topic exists). Task moves keep `in-progress` until the last open task
 * closes with at least one done (→ `implemented`).
 *
 * @since 0.1.0
 * @category rules
 */
export const allowedIn: Readonly<Record<CommandTag, ReadonlyArray<Status | "none">>> = {
  Submit: ["none"],
  Cosign: ["proposed"],
  PutOnAgenda: ["proposed"],
  Reject: ["proposed", "on-agenda"],
  HoldMeeting: ["on-agenda"],
  OpenVote: ["deliberated"],
  CastBallot: ["voting"],
  CloseVote: ["voting"],
  Resolve: ["carried"],
  StartTask: ["in-progress"],
  CompleteTask: ["in-progress"],
  CancelTask: ["in-progress"],
  SuperviseTask: ["in-progress"],
  Publish: ["implemented", "not-carried", "rejected", "withdrawn"],
  Disclose: ["none"],
  GiveFeedback: ["published"],
  WithdrawPublication: ["published"]
}

const staff: ReadonlyArray<Role> = ["community-staff", "street-staff"]

/**
 * 权限表 — the roles that may issue each command. A `CastBallot` by a
 * resident must be their own ballot; community staff may record paper
 * ballots 代录.
 *
 * @since 0.1.0
 * @category rules
 */
export const roles: Readonly<Record<CommandTag, ReadonlyArray<Role>>> = {
  Submit: ["resident", "grid-worker", "community-staff", "street-staff"],
  Cosign: ["resident"],
  PutOnAgenda: staff,
  Reject: staff,
  HoldMeeting: staff,
  OpenVote: staff,
  CastBallot: ["resident", "community-staff"],
  CloseVote: staff,
  Resolve: staff,
  StartTask: ["community-staff", "street-staff", "department", "grid-worker"],
  CompleteTask: ["community-staff", "street-staff", "department", "grid-worker"],
  CancelTask: staff,
  SuperviseTask: ["community-staff", "street-staff", "district-staff"],
  Publish: staff,
  Disclose: staff,
  GiveFeedback: ["resident"],
  WithdrawPublication: staff
}

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 议事规则 — the rule a refused command breaks.
 *
 * @since 0.1.0
 * @category errors
 */
export const Rule = Schema.Literal(
  "topic-exists",
  "topic-not-found",
  "topic-id",
  "time-order",
  "status",
  "role",
  "jurisdiction",
  "unknown-unit",
  "task-owner",
  "vote-rule",
  "title-required",
  "reason-required",
  "self-cosign",
  "already-cosigned",
  "too-many-cosigners",
  "not-representative",
  "threshold-not-reached",
  "unknown-kind",
  "duplicate-invitee",
  "attendee-not-invited",
  "quorum-not-met",
  "minutes-required",
  "not-eligible",
  "double-vote",
  "unknown-option",
  "own-ballot",
  "items-required",
  "task-refused",
  "access-refused",
  "unknown-task",
  "personal-data",
  "retention",
  "not-adopted",
  "text-required",
  "disclosure"
).annotations({ identifier: "DeliberationRule", title: "议事规则 deliberation rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type Rule = typeof Rule.Type

/**
 * The text of each rule: Chinese first, then English.
 *
 * @since 0.1.0
 * @category constants
 */
export const ruleText: Readonly<Record<Rule, string>> = {
  "topic-exists": "议题已存在: a topic with this id was already raised",
  "topic-not-found": "议题不存在: no topic with this id has been raised",
  "topic-id": "议题不符: the command names another topic",
  "time-order": "时间早于上一事件: the command is dated before the topic's last event",
  status: "当前状态不允许: the command is not allowed in the topic's status",
  role: "无权操作: the actor's role may not issue this command",
  jurisdiction: "超出辖区: the topic's unit is not within the unit the actor acts for",
  "unknown-unit": "单元不存在: the topic's unit is not in the hierarchy",
  "task-owner": "非本部门任务: a department may move only the tasks it owns",
  "vote-rule": "表决规则无效: the vote rule is inconsistent (see Vote.checkRule)",
  "title-required": "须有标题: the title is blank",
  "reason-required": "须说明理由: the reason is blank",
  "self-cosign": "提案人不能联名自己的提案: the proposer may not co-sign their own proposal",
  "already-cosigned": "已联名: this representative has already co-signed",
  "too-many-cosigners": "联名人数已达上限: the proposal has the most co-signers it may record",
  "not-representative":
    "不在居民代表名册: only resident representatives on the roster may propose and co-sign",
  "threshold-not-reached": "联名人数未达立项门槛: the proposal has fewer co-signers than the agenda needs",
  "unknown-kind": "会议类型未配置: the meeting kind is not configured",
  "duplicate-invitee": "受邀人重复: an invitee is listed twice",
  "attendee-not-invited": "参会人不在受邀名单: an attendee is not among the invitees",
  "quorum-not-met": "未达法定人数: fewer members attended than the kind's quorum",
  "minutes-required": "须有会议纪要: the meeting has no minutes",
  "not-eligible": "不在选民名册: the voter is not on the electoral roll",
  "double-vote": "重复投票: the voter (or, one vote per household, the household) has already voted",
  "unknown-option": "选项不存在: the option is not on the ballot paper",
  "own-ballot": "只能本人投票: a resident may cast only their own ballot",
  "items-required": "议定事项须至少一项: a resolution needs at least one item",
  "task-refused": "事项不能交办: an item cannot be assigned to its owner",
  "access-refused": "不符合社区工作准入: an item is work the community may not be given",
  "unknown-task": "任务不存在: the task is not one of the resolution's tasks",
  "personal-data": "含个人信息: public text may not carry phone, ID or e-mail numbers",
  retention: "公示期须晚于发布时间: the display period must end after publication",
  "not-adopted": "未经表决通过: the topic's vote did not adopt the motion",
  "text-required": "须有条文: the rule text is blank",
  disclosure:
    "公开事项不经议事: a disclosure is raised and published with Disclose and takes no proposal, meeting, vote or resolution"
}

/**
 * 议事指令被拒 — a refused command: the topic, its status (`none` before it
 * exists), the command, the rule, and details naming what broke it.
 *
 * @since 0.1.0
 * @category errors
 */
export class DeliberationRefused extends Schema.TaggedError<DeliberationRefused>()("DeliberationRefused", {
  topicId: TopicId,
  status: Schema.Union(Status, Schema.Literal("none")),
  command: Schema.String,
  rule: Rule,
  detail: Schema.String
}) {
  override get message(): string {
    const status = this.status === "none" ? "none" : `${this.status} ${statusNames[this.status]}`
    return `topic ${this.topicId} (${status}): ${this.command} refused — [${this.rule}] ${ruleText[this.rule]}${
      this.detail.length > 0 ? ` (${this.detail})` : ""
    }`
  }
}

// ---------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------

/**
 * 议事配置 — the proposal rule, the meeting kinds, and what tasks are checked
 * against (the hierarchy and the community work access list).
 *
 * @since 0.1.0
 * @category models
 */
export interface Config {
  readonly proposal: Proposal.ProposalRule
  readonly meetingKinds: ReadonlyArray<Meeting.Kind>
  readonly tasks: Resolution.Context
}

// ---------------------------------------------------------------------------
// decide
// ---------------------------------------------------------------------------

type Decision = Either.Either<ReadonlyArray<Event>, DeliberationRefused>

/** The commands a disclosure takes: publish again, withdraw, rate. */
const disclosureCommands: ReadonlyArray<CommandTag> = ["Publish", "WithdrawPublication", "GiveFeedback"]

/** A refused publication as the deliberation rule it breaks. */
const publishRefusal = (
  published: Either.Either<Publication.Publication, ReadonlyArray<Publication.PublicationRule>>
): Either.Either<Publication.Publication, Rule> =>
  Either.mapLeft(published, (rules) => {
    const rule = rules[0] ?? "title-required"
    return rule === "title-required" || rule === "personal-data" ? rule : "retention"
  })

const decideWith =
  (config: Config) =>
  (command: Command, state: State): Decision => {
    const status: Status | "none" = state._tag === "NoTopic" ? "none" : state.status
    const refuse = (rule: Rule, detail = ""): Decision =>
      Either.left(
        new DeliberationRefused({ topicId: command.topicId, status, command: command._tag, rule, detail })
      )
    if (!roles[command._tag].includes(command.actor.role)) {
      return refuse("role", `${command.actor.role} may not ${commandNames[command._tag]}`)
    }
    const hierarchy = config.tasks.hierarchy
    const outside = (unitId: string): boolean =>
      command.actor.role !== "resident" && !Hierarchy.isWithin(hierarchy, unitId, command.actor.unitId)
    if (state._tag === "NoTopic") {
      if (command._tag !== "Submit" && command._tag !== "Disclose") return refuse("topic-not-found")
      if (Option.isNone(Hierarchy.get(hierarchy, command.unitId)))
        return refuse("unknown-unit", command.unitId)
      if (outside(command.unitId))
        return refuse("jurisdiction", `${command.actor.unitId} ⊅ ${command.unitId}`)
      if (command.title.trim().length === 0) return refuse("title-required")
      if (command._tag === "Disclose") {
        const published = publishRefusal(
          Publication.publish(
            {
              scope: command.unitId,
              category: command.category,
              title: command.title.trim(),
              body: command.body
            },
            command.at,
            command.retainUntil
          )
        )
        if (Either.isLeft(published)) return refuse(published.left)
        const meta = { topicId: command.topicId, at: command.at, actor: command.actor }
        return Either.right([
          {
            _tag: "Submitted",
            ...meta,
            sequence: 1,
            unitId: command.unitId,
            source: { _tag: "Disclosure" },
            title: command.title.trim(),
            description: command.body
          },
          { _tag: "Published", ...meta, sequence: 2, publication: published.right }
        ])
      }
      if (command.source._tag === "Disclosure") return refuse("disclosure", "use Disclose")
      if (
        command.source._tag === "ResidentProposal" &&
        command.actor.role === "resident" &&
        !Proposal.isRepresentative(config.proposal, command.actor.id)
      ) {
        return refuse("not-representative", command.actor.id)
      }
      return Either.right([
        {
          _tag: "Submitted",
          topicId: command.topicId,
          sequence: 1,
          at: command.at,
          actor: command.actor,
          unitId: command.unitId,
          source: command.source,
          title: command.title.trim(),
          description: command.description
        }
      ])
    }
    const topic = state
    if (command.topicId !== topic.id) return refuse("topic-id", `this is topic ${topic.id}`)
    if (command._tag === "Submit" || command._tag === "Disclose") return refuse("topic-exists")
    if (DateTime.lessThan(command.at, topic.updatedAt)) {
      return refuse("time-order", `last event at ${DateTime.formatIso(topic.updatedAt)}`)
    }
    if (outside(topic.unitId)) return refuse("jurisdiction", `${command.actor.unitId} ⊅ ${topic.unitId}`)
    if (topic.source._tag === "Disclosure" && !disclosureCommands.includes(command._tag)) {
      return refuse("disclosure", `${commandNames[command._tag]} on a disclosure`)
    }
    if (!allowedIn[command._tag].includes(topic.status)) {
      return refuse(
        "status",
        `${commandNames[command._tag]} is not allowed while ${statusNames[topic.status]}`
      )
    }
    const meta = { topicId: topic.id, at: command.at, actor: command.actor }
    const one = (event: Event): Decision => Either.right([event])
    let seq = topic.version
    const next = () => ++seq
    switch (command._tag) {
      case "Cosign": {
        const rule = Proposal.checkCosign(topic.proposer, topic.cosigners, command.actor.id, config.proposal)
        if (rule !== undefined) return refuse(rule, command.actor.id)
        return one({ _tag: "Cosigned", ...meta, sequence: next(), cosigner: command.actor.id })
      }
      case "PutOnAgenda":
        if (!Proposal.reachesAgenda(topic.source, topic.cosigners.length, config.proposal)) {
          return refuse(
            "threshold-not-reached",
            `${topic.cosigners.length} of ${config.proposal.minCosigners} co-signers`
          )
        }
        return one({ _tag: "AgendaSet", ...meta, sequence: next() })
      case "Reject": {
        const reason = command.reason.trim()
        if (reason.length === 0) return refuse("reason-required")
        return one({ _tag: "Rejected", ...meta, sequence: next(), reason })
      }
      case "HoldMeeting": {
        const broken = Meeting.check(config.meetingKinds, command.meeting)
        const first = broken[0]
        if (first !== undefined) {
          const { members, present } = Meeting.memberAttendance(command.meeting)
          return refuse(first, first === "quorum-not-met" ? `${present} of ${members} members present` : "")
        }
        return one({ _tag: "MeetingHeld", ...meta, sequence: next(), meeting: command.meeting })
      }
      case "OpenVote": {
        const broken = Vote.checkRule(command.rule)
        if (broken.length > 0) return refuse("vote-rule", broken.join(", "))
        return one({ _tag: "VoteOpened", ...meta, sequence: next(), rule: command.rule })
      }
      case "CastBallot": {
        if (
          command.actor.role === "resident" &&
          (command.ballot.voterId as string) !== (command.actor.id as string)
        ) {
          return refuse("own-ballot", `${command.actor.id} cast for ${command.ballot.voterId}`)
        }
        const rule = topic.voteRule
        if (rule === null) return refuse("status")
        const checked = Vote.checkBallot(rule, topic.ballots, command.ballot)
        if (Either.isLeft(checked)) return refuse(checked.left.rule, command.ballot.voterId)
        return one({ _tag: "BallotCast", ...meta, sequence: next(), ballot: command.ballot })
      }
      case "CloseVote": {
        const rule = topic.voteRule
        if (rule === null) return refuse("status")
        return one({ _tag: "VoteClosed", ...meta, sequence: next(), result: Vote.tally(topic.ballots, rule) })
      }
      case "Resolve": {
        if (command.items.length === 0) return refuse("items-required")
        if (command.adopts !== undefined) {
          if (command.adopts.title.trim().length === 0) return refuse("title-required", "rule document")
          const adopted = Publication.adoptVersion(
            { id: command.adopts.documentId, scope: topic.unitId, title: command.adopts.title, versions: [] },
            { text: command.adopts.text, adoptedBy: topic.id, at: command.at }
          )
          if (Either.isLeft(adopted)) return refuse(adopted.left, command.adopts.documentId)
        }
        const tasks = Resolution.toTasks(topic.id, command.items, config.tasks, command.at)
        if (Either.isLeft(tasks)) {
          const [first] = tasks.left
          const access = first.error._tag === "AccessRefused"
          return refuse(
            access ? "access-refused" : "task-refused",
            `item #${first.index + 1}: ${first.error.message}`
          )
        }
        return one({
          _tag: "Resolved",
          ...meta,
          sequence: next(),
          text: command.text,
          items: command.items,
          tasks: tasks.right,
          ...(command.adopts === undefined
            ? {}
            : { adopts: { ...command.adopts, title: command.adopts.title.trim() } })
        })
      }
      case "StartTask":
      case "CompleteTask":
      case "CancelTask":
      case "SuperviseTask": {
        const task = topic.tasks.find((t) => t.id === command.taskId)
        if (task === undefined) return refuse("unknown-task", command.taskId)
        if (
          command.actor.role === "department" &&
          (task.owner._tag !== "Department" || task.owner.departmentId !== command.actor.departmentId)
        ) {
          return refuse(
            "task-owner",
            `${task.id} is owned by ${task.owner._tag === "Unit" ? task.owner.unitId : task.owner.departmentId}`
          )
        }
        const moved =
          command._tag === "StartTask"
            ? TaskList.start(task, { at: command.at })
            : command._tag === "CompleteTask"
              ? TaskList.complete(task, { at: command.at })
              : command._tag === "CancelTask"
                ? TaskList.cancel(task, { at: command.at, reason: command.reason })
                : TaskList.supervise(task, { unitId: command.unitId, level: command.level, at: command.at })
        if (Either.isLeft(moved)) {
          return refuse(
            moved.left.rule === "reason-required" ? "reason-required" : "task-refused",
            moved.left.message
          )
        }
        const move =
          command._tag === "StartTask"
            ? "start"
            : command._tag === "CompleteTask"
              ? "complete"
              : command._tag === "CancelTask"
                ? "cancel"
                : "supervise"
        const updated: Event = { _tag: "TaskUpdated", ...meta, sequence: next(), move, task: moved.right }
        const tasks = topic.tasks.map((t) => (t.id === moved.right.id ? moved.right : t))
        const open = tasks.some(TaskList.isOpen)
        if (open) return one(updated)
        if (Resolution.isImplemented(tasks)) {
          return Either.right([
            updated,
            { _tag: "Implemented", ...meta, sequence: next(), onTime: Resolution.isOnTime(tasks) }
          ])
        }
        // every task cancelled: nothing was implemented; the topic stays in progress and is left to a report
        return one(updated)
      }
      case "Publish": {
        const published = publishRefusal(
          Publication.publish(
            {
              scope: topic.unitId,
              category: command.category,
              title: command.title.trim(),
              body: command.body
            },
            command.at,
            command.retainUntil
          )
        )
        if (Either.isLeft(published)) return refuse(published.left)
        return one({ _tag: "Published", ...meta, sequence: next(), publication: published.right })
      }
      case "GiveFeedback":
        return one({ _tag: "FeedbackGiven", ...meta, sequence: next(), rating: command.rating })
      case "WithdrawPublication": {
        if (topic.publication === null) return refuse("status")
        const withdrawn = Publication.withdraw(topic.publication, command.at, command.reason)
        if (Either.isLeft(withdrawn))
          return refuse(withdrawn.left === "reason-required" ? "reason-required" : "status")
        return one({ _tag: "PublicationWithdrawn", ...meta, sequence: next(), publication: withdrawn.right })
      }
    }
  }

// ---------------------------------------------------------------------------
// evolve
// ---------------------------------------------------------------------------

/**
 * 演化 — applies one event; an event that does not continue the topic (wrong
 * sequence or topic) is skipped.
 *
 * @since 0.1.0
 * @category folding
 */
export const evolve = (state: State, event: Event): State => {
  if (event.sequence !== state.version + 1) return state
  if (state._tag === "NoTopic") {
    if (event._tag !== "Submitted") return state
    return {
      _tag: "Topic",
      id: event.topicId,
      version: 1,
      status: "proposed",
      unitId: event.unitId,
      source: event.source,
      title: event.title,
      description: event.description,
      proposer: event.actor.id,
      cosigners: [],
      submittedAt: event.at,
      agendaAt: null,
      rejectReason: null,
      meeting: null,
      heldAt: null,
      voteRule: null,
      ballots: [],
      result: null,
      votedAt: null,
      resolutionText: null,
      resolvedAt: null,
      tasks: [],
      implementedAt: null,
      implementedOnTime: null,
      publication: null,
      feedback: [],
      updatedAt: event.at
    }
  }
  if (event.topicId !== state.id) return state
  const s = { ...state, version: event.sequence, updatedAt: event.at }
  switch (event._tag) {
    case "Submitted":
      return state
    case "Cosigned":
      return { ...s, cosigners: [...s.cosigners, event.cosigner] }
    case "AgendaSet":
      return { ...s, status: "on-agenda", agendaAt: event.at }
    case "Rejected":
      return { ...s, status: "rejected", rejectReason: event.reason }
    case "MeetingHeld":
      return { ...s, status: "deliberated", meeting: event.meeting, heldAt: event.at }
    case "VoteOpened":
      return { ...s, status: "voting", voteRule: event.rule, ballots: [] }
    case "BallotCast":
      return { ...s, ballots: [...s.ballots, event.ballot] }
    case "VoteClosed":
      return {
        ...s,
        status: s.voteRule !== null && Vote.adopted(event.result, s.voteRule) ? "carried" : "not-carried",
        result: event.result,
        votedAt: event.at
      }
    case "Resolved":
      return {
        ...s,
        status: "in-progress",
        resolutionText: event.text,
        resolvedAt: event.at,
        ...(event.adopts === undefined ? {} : { adopts: event.adopts }),
        tasks: event.tasks
      }
    case "TaskUpdated":
      return { ...s, tasks: s.tasks.map((t) => (t.id === event.task.id ? event.task : t)) }
    case "Implemented":
      return { ...s, status: "implemented", implementedAt: event.at, implementedOnTime: event.onTime }
    case "Published":
      return { ...s, status: "published", publication: event.publication }
    case "PublicationWithdrawn":
      return { ...s, status: "withdrawn", publication: event.publication }
    case "FeedbackGiven":
      return { ...s, feedback: [...s.feedback, { rating: event.rating, at: event.at }] }
  }
}

/**
 * 议事决策器 — the decider of a topic under a configuration.
 *
 * @since 0.1.0
 * @category deciding
 */
export const decider = (config: Config): Decider.Decider<Command, State, Event, DeliberationRefused> =>
  Decider.make({ initial, decide: decideWith(config), evolve })

/**
 * 折叠 — the state a history leads to.
 *
 * @since 0.1.0
 * @category folding
 */
export const fold = (events: Iterable<Event>): State => {
  let state: State = initial
  for (const event of events) state = evolve(state, event)
  return state
}

/**
 * 事件重放错误 — a strict replay met an event that does not continue the
 * topic: `first-event` (the first event is not `Submitted` with sequence 1,
 * or a later one is), `sequence` (a gap or a repeat), `topic-id` (another
 * topic's event).
 *
 * @since 0.1.0
 * @category errors
 */
export class DeliberationReplayError extends Schema.TaggedError<DeliberationReplayError>()(
  "DeliberationReplayError",
  {
    topicId: Schema.String,
    index: Schema.NonNegativeInt,
    sequence: Schema.Int,
    expected: Schema.Int,
    rule: Schema.Literal("first-event", "sequence", "topic-id")
  }
) {
  override get message(): string {
    const text = {
      "first-event":
        "事件序列须以提出议题开始: a history starts with Submitted (sequence 1), and only its first event is",
      sequence: `序号不连续: sequence ${this.sequence}, expected ${this.expected}`,
      "topic-id": "议题不符: the event belongs to another topic"
    }[this.rule]
    return `event #${this.index} of topic ${this.topicId}: ${text}`
  }
}

const brokenRule = (state: State, event: Event): "first-event" | "sequence" | "topic-id" | undefined => {
  if ((state._tag === "NoTopic") !== (event._tag === "Submitted")) return "first-event"
  if (state._tag === "Topic" && event.topicId !== state.id) return "topic-id"
  if (event.sequence !== state.version + 1) return "sequence"
  return undefined
}

/**
 * 严格重放 — the state a stored history leads to, or the first event that
 * does not continue it.
 *
 * @since 0.1.0
 * @category folding
 */
export const replay = (events: ReadonlyArray<Event>): Either.Either<State, DeliberationReplayError> =>
  Decider.replay(
    { initial, decide: () => Either.right([]), evolve },
    {
      continues: (state: State, event: Event) => brokenRule(state, event) === undefined,
      broken: (state: State, event: Event, index: number) =>
        new DeliberationReplayError({
          topicId: event.topicId,
          index,
          sequence: event.sequence,
          expected: state.version + 1,
          rule: brokenRule(state, event) ?? "sequence"
        })
    }
  )(events)

/**
 * 规约修订通过 — adopts the next version of a rule document (村规民约 / 居民公约)
 * by the resolution of `topic`: the topic's vote adopted the motion
 * (`Vote.adopted`), and the topic is scoped to the document's unit. The
 * version records the topic as `adoptedBy`.
 *
 * @since 0.1.0
 * @category rule documents
 */
export const adoptRuleVersion = (
  document: Publication.RuleDocument,
  topic: Topic,
  params: { readonly text: string; readonly at: DateTime.Utc }
): Either.Either<Publication.RuleDocument, DeliberationRefused> => {
  const refuse = (rule: Rule, detail = "") =>
    Either.left(
      new DeliberationRefused({
        topicId: topic.id,
        status: topic.status,
        command: "AdoptRuleVersion",
        rule,
        detail
      })
    )
  if (topic.result === null || topic.voteRule === null || !Vote.adopted(topic.result, topic.voteRule)) {
    return refuse("not-adopted")
  }
  if (document.scope !== topic.unitId) return refuse("jurisdiction", `${document.scope} ≠ ${topic.unitId}`)
  const adopted = Publication.adoptVersion(document, {
    text: params.text,
    adoptedBy: topic.id,
    at: params.at
  })
  return Either.isLeft(adopted) ? refuse(adopted.left) : Either.right(adopted.right)
}

/**
 * 复核计票 — whether the recorded result of a topic's vote equals the tally
 * of its stored ballots (true when no vote was closed).
 *
 * @since 0.1.0
 * @category predicates
 */
export const resultRecomputes = (topic: Topic): boolean =>
  topic.result === null ||
  topic.voteRule === null ||
  Vote.sameResult(Vote.tally(topic.ballots, topic.voteRule), topic.result)

/**
 * 规约文本 — the rule documents (村规民约 / 居民公约) the resolutions of
 * `topics` adopted, per unit and document: each version in the order its
 * resolution was adopted (then by topic id), numbered 1, 2, … by
 * `Publication.adoptVersion` (time order, no personal data, text required),
 * the topic as `adoptedBy`; the title is the latest adoption's. Sorted by
 * unit, then document id. Nothing of the topics but the adopted text is
 * carried.
 *
 * @since 0.1.0
 * @category rule documents
 */
export const ruleDocuments = (topics: Iterable<Topic>): ReadonlyArray<Publication.RuleDocument> => {
  const adoptions: Array<{
    readonly topic: Topic
    readonly adopts: RuleAdoption
    readonly at: DateTime.Utc
  }> = []
  for (const topic of topics)
    if (topic.adopts !== undefined && topic.resolvedAt !== null)
      adoptions.push({ topic, adopts: topic.adopts, at: topic.resolvedAt })
  adoptions.sort(
    (a, b) =>
      DateTime.toEpochMillis(a.at) - DateTime.toEpochMillis(b.at) ||
      (a.topic.id < b.topic.id ? -1 : a.topic.id > b.topic.id ? 1 : 0)
  )
  const documents = new Map<string, Publication.RuleDocument>()
  for (const { adopts, at, topic } of adoptions) {
    const key = JSON.stringify([topic.unitId, adopts.documentId])
    const current = documents.get(key) ?? {
      id: adopts.documentId,
      scope: topic.unitId,
      title: adopts.title,
      versions: []
    }
    const next = Publication.adoptVersion(current, { text: adopts.text, adoptedBy: topic.id, at })
    if (Either.isRight(next)) documents.set(key, { ...next.right, title: adopts.title })
  }
  return [...documents.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d)
}
