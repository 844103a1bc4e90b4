/**
 * 案件 — a case of the closed loop (案件闭环, CJJ/T 106 / GB/T 30428.8), as a pure **decider**:
 * `decide(command, state)` checks a command against the case's state and
 * returns the events it causes (or a typed refusal); `evolve(state, event)`
 * applies one event; a case's state is the fold of its events from `initial`.
 * No I/O and no clock: every command carries its instant `at`.
 *
 * **The loop** — the Panlong district report's six steps 采集上报 → 指挥派遣 → 处理反馈 → 任务核查 →
 * 结案归档 → 考核评价 (CJJ/T 106 / GB/T 30428.8 in seven):
 *
 * ```text
 * (none)     ─Report 采集上报──────────▶ reported
 * reported   ─Accept 立案──────────────▶ accepted
 * accepted   ─Dispatch 指挥派遣─────────▶ dispatched
 * dispatched ─Return 回退 (wrong dispatch)▶ accepted
 * dispatched ─Handle 处理反馈───────────▶ handled        (result + evidence required)
 * handled    ─Verify 任务核查── pass ───▶ closed 结案归档 (events VerificationPassed + Closed)
 *                              fail ───▶ rework 返工    ─Handle─▶ handled
 * closed     ─Evaluate 考核评价 (回访)──▶ evaluated      (无法联系 unreachable may be repeated)
 * evaluated  ─Reopen 重办 (不满意 or 未解决)▶ dispatched (same handler) | accepted (re-dispatch)
 * reported   ─Reject 不予立案──────────▶ rejected
 * reported, accepted ─Void 作废────────▶ voided         (duplicate | invalid | not-ours + note)
 * reported, accepted, dispatched ─Merge▶ merged         (mergedInto = the target case)
 * (none)     ─SelfHandle 自处理────────▶ closed         (events Reported + SelfHandled + Closed)
 * any status ─Comment 评论/备注─────────▶ the same status (event Commented; never changes status)
 * open status ─Supervise 督办/催办──────▶ the same status (event Supervised; never changes status)
 * ```
 *
 * Side branches, each requested and approved (the events are the audit):
 * 挂账 suspension (`RequestSuspension` → `ApproveSuspension` / `DenySuspension`,
 * then `Resume`; while `suspended` the step's clock stops and the interval is
 * recorded in `suspensions`), 延期 extension (`RequestExtension` →
 * `ApproveExtension` / `DenyExtension`; the approved amount — possibly less than
 * asked — is recorded with its step in `extensions`), 合并 merging a duplicate
 * into another case (only the duplicate's history records it), 自处理
 * self-handling (a grid worker reports and resolves in one command at the
 * community tier — the public-rental-housing community report's "琐事不出楼栋"), and 上报/升级 escalation through
 * the three tiers of the Panlong district report, 社区自循环 → 街道微循环 → 区级小循环, by staff of
 * the owning tier or by `system` when a case is overdue (`automatic`); never
 * past the district. Escalation moves ownership (`tier`, `ownerUnitId`,
 * `tierHistory`) and restarts the current step's clock for the new owner; a
 * case being handled (`dispatched`, `rework`) goes back to `accepted`, for the
 * higher tier to dispatch anew. A closed case records the tier it was closed
 * at (`closedTier`).
 *
 * **Who may do what** (`authorities`; a wrong role is refused with rule `role`,
 * the right role for another unit with `jurisdiction`, someone other than the
 * dispatched handler with `handler`):
 *
 * | command | 中文 | who |
 * | --- | --- | --- |
 * | `Report` | 上报 | anyone but `system` |
 * | `SelfHandle` | 自处理 | a `grid-worker` of the owning community; community tier only |
 * | `Accept` `Reject` `Void` `Dispatch` `Verify` `Merge` | 立案 不予立案 作废 派遣 核查 合并 | staff of the owning tier (`community-staff` / `street-staff` / `district-staff`) acting for the owner unit |
 * | `ApproveSuspension` `DenySuspension` `ApproveExtension` `DenyExtension` | 审批挂账/延期 | staff of the owning tier |
 * | `Handle` `Return` `RequestSuspension` `RequestExtension` | 处置 回退 申请挂账/延期 | the dispatched handler: the `department` dispatched to, or staff acting for the unit dispatched to |
 * | `Resume` | 恢复 | staff of the owning tier, the handler, or `system` |
 * | `Evaluate` | 回访评价 | `hotline`, or `community-staff` of the owning community |
 * | `Reopen` | 重办 | staff of the owning tier, or `hotline` |
 * | `Escalate` | 上报升级 | staff of the owning tier, or `system` (overdue) |
 * | `Comment` | 评论/备注 | anyone (`system` included); an `internal` comment only a role of `internalCommentRoles` (every role but `resident`; rule `internal-comment-staff`) |
 * | `Supervise` | 督办/催办 | `street-staff` or `district-staff` (`supervisor`), on an open case; a note is required |
 *
 * `transitions` holds the status × command table as data (docs draw the state
 * diagram from it). Every refusal is a `CaseRefused` naming the case, its
 * status, the command, the actor's role and every rule the command breaks.
 *
 * **Sequence numbers.** Every event carries its case id, actor, `at` and a
 * per-case `sequence` 1, 2, 3 … without gaps; `decide` numbers new events from
 * `state.version + 1`, so a store that keeps `(caseId, sequence)` unique lets
 * exactly one of two concurrent writers win. `evolve` ignores an event that does
 * not continue the case (another case's id, or a sequence other than
 * `version + 1`): it returns the state unchanged. Stores deliver events in
 * order; `replay` is the strict fold that reports a gap or a foreign event as
 * a `CaseReplayError` instead. `evolve` applies facts; it does not re-check the
 * rules `decide` enforced.
 *
 * @since 0.1.0
 */
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { ActorId, DepartmentId, Role, RoleId } from "./Actor.js"
import { CategoryId, Urgency } from "./CaseCategory.js"
import type { CaseCommand } from "./CaseCommand.js"
import type { CaseEvent } from "./CaseEvent.js"
import { CaseStep } from "./CaseStep.js"
import * as Decider from "./Decider.js"
import { Position } from "./GeoJson.js"
import { GridId } from "./Grid.js"
import * as internalDecide from "./internal/caseDecide.js"
import * as internalEvolve from "./internal/caseEvolve.js"
import * as internalRules from "./internal/caseRules.js"
import * as Text from "./Text.js"
import { Tier } from "./Tier.js"
import { UnitId } from "./Unit.js"

// -----------------------------------------------------------------------------
// vocabulary
// -----------------------------------------------------------------------------

/**
 * 案件编号 — the identifier of a case.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CaseId = Text.Id.pipe(
  Schema.brand("CaseId"),
  Schema.annotations({ identifier: "CaseId", title: "案件编号 case id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type CaseId = typeof CaseId.Type

/**
 * 案件状态 — where a case stands in the loop.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Status = Schema.Literal(
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
).annotations({
  identifier: "CaseStatus",
  title: "案件状态 case status",
  description:
    "reported 待立案 | accepted 已立案待派遣 | dispatched 已派遣处置中 | handled 已处置待核查 | rework 返工 | " +
    "suspended 挂账 | closed 已结案待回访 | evaluated 已回访 | rejected 不予立案 | voided 已作废 | merged 已合并"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Status = typeof Status.Type

/**
 * Every status, in loop order.
 *
 * @since 0.1.0
 * @category constants
 */
export const statuses: ReadonlyArray<Status> = Status.literals

/**
 * 状态名称 — the Chinese name of each status.
 *
 * @since 0.1.0
 * @category constants
 */
export const statusNames: Readonly<Record<Status, string>> = internalRules.statusNames

/**
 * 案件来源 — where a case came from: grid worker patrol 巡查, the resident app,
 * the 12345 hotline, an Open311 client, assignment from above 上级交办,
 * petition 信访 (the public-rental-housing community report: 信访代办), dispute
 * 矛盾纠纷 (the same report: 28 resolved).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Source = Schema.Literal(
  "patrol",
  "resident-app",
  "hotline",
  "open311",
  "assigned",
  "petition",
  "dispute"
).annotations({
  identifier: "CaseSource",
  title: "案件来源 case source",
  description:
    "patrol 巡查 | resident-app 居民 App | hotline 12345 热线 | open311 Open311 | assigned 上级交办 | " +
    "petition 信访 | dispute 矛盾纠纷"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Source = typeof Source.Type

/**
 * 来源名称 — the Chinese name of each source.
 *
 * @since 0.1.0
 * @category constants
 */
export const sourceNames: Readonly<Record<Source, string>> = {
  patrol: "网格员巡查",
  "resident-app": "居民 App",
  hotline: "12345 热线",
  open311: "Open311",
  assigned: "上级交办",
  petition: "信访",
  dispute: "矛盾纠纷"
}

/**
 * 本地来源 — a local report source of the role table (`RoleTable` domain
 * `report-source`, e.g. 枫桥小屋 `fengqiao-cabin`, 民情恳谈会 `consultation-meeting`,
 * 信访代办 `petition-agency`), recorded by its id beside the built-in
 * {@link Source} it acts as (`RoleTable.reportSource` resolves a name to
 * both). The core's rules and indicators decide by the built-in source alone;
 * reports, events and cases stored before local sources carry none and
 * decode as before.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocalSource: typeof RoleId = RoleId

/**
 * @since 0.1.0
 * @category models
 */
export type LocalSource = RoleId

const locationFields = {
  unitId: UnitId,
  gridId: Schema.optionalWith(GridId, { exact: true }),
  position: Schema.optionalWith(Position, { exact: true }),
  /**
   * 地址编码 — the reporting client's own identifier of the address (Open311
   * `address_id`), kept verbatim (`Text.Id`); the SDK neither resolves nor
   * checks it.
   */
  addressId: Schema.optionalWith(Text.Id, { exact: true })
}

/**
 * 发生地点 — where the case happened: the unit (community, compound, building …),
 * optionally the grid, a [lon, lat] position, an address (at most
 * `Text.limits.address` characters, single line) and the client's address
 * identifier (`addressId`, Open311 `address_id`). The input form: commands
 * and request bodies; events and state keep `RecordedLocation`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Location = Schema.Struct({
  ...locationFields,
  /** 地址 — a readable address (Open311 `address_string`). */
  address: Schema.optionalWith(Text.Address, { exact: true })
}).annotations({ identifier: "CaseLocation", title: "发生地点 location" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Location extends Schema.Schema.Type<typeof Location> {}

/**
 * 记录的发生地点 — a location as events and state record it: the address is
 * any non-blank text, so that histories stored before the input limits keep
 * decoding. New values come through `Location`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RecordedLocation = Schema.Struct({
  ...locationFields,
  /** 地址 — a readable address (Open311 `address_string`). */
  address: Schema.optionalWith(Schema.NonEmptyTrimmedString, { exact: true })
}).annotations({ identifier: "CaseRecordedLocation", title: "发生地点 location (recorded)" })

/**
 * 联系方式 — a reporter's contact, for the return visit: a name
 * (`Text.Name`) and a phone number as written (`Text.Phone`, rule
 * `phone-format`). Personal information (PIPL): never part of public or
 * Open311 output. The input form; events keep `RecordedContact`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Contact = Schema.Struct({
  name: Schema.optionalWith(Text.Name, { exact: true }),
  phone: Schema.optionalWith(Text.Phone, { exact: true })
}).annotations({ identifier: "CaseContact", title: "联系方式 contact" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Contact extends Schema.Schema.Type<typeof Contact> {}

/**
 * 记录的联系方式 — a contact as events record it (any non-blank texts, so that
 * histories stored before the input limits keep decoding; outputs that show
 * a stored contact use this form).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RecordedContact = Schema.Struct({
  name: Schema.optionalWith(Schema.NonEmptyTrimmedString, { exact: true }),
  phone: Schema.optionalWith(Schema.NonEmptyTrimmedString, { exact: true })
}).annotations({ identifier: "CaseRecordedContact", title: "联系方式 contact (recorded)" })

/**
 * 附加属性上限 — at most `maxAttributes` attributes per case, keys of at most
 * 64 characters, text values of at most `Text.limits.note`, lists of at most
 * `maxAttributes` items of at most `Text.limits.name` characters each.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxAttributes = 50

/**
 * `__proto__` is not an attribute code: an object built by assignment (every
 * decoding of a record, JSON's included) cannot hold it as a key, so a stored
 * attribute under that code would disappear between a report and its replay.
 */
const AttributeKey = Text.line(64).pipe(
  Schema.filter((k) => k !== "__proto__", {
    message: () => "附加属性代码保留 attribute code __proto__ is reserved (rule reserved-key)"
  })
)

const AttributeValue = Schema.Union(
  Text.Note,
  Schema.Finite,
  Schema.Boolean,
  Schema.Array(Text.Name).pipe(
    Schema.maxItems(maxAttributes, {
      message: () => `附加属性列表过长 must have at most ${maxAttributes} items (rule max-items)`
    })
  )
)

const isAttributeKey = Schema.is(AttributeKey)

/**
 * 附加属性 — a category's extra attributes (Open311 service attributes), by
 * code: at most `maxAttributes`, each code a single line of at most 64
 * characters (an invalid code is refused, not dropped), values bounded and
 * free of control characters. The input form; events keep
 * `RecordedAttributes`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Attributes = Schema.Record({ key: Schema.String, value: AttributeValue })
  .pipe(
    Schema.filter((r) => {
      const keys = Object.keys(r)
      if (keys.length > maxAttributes)
        return `附加属性过多 must have at most ${maxAttributes} attributes (rule max-items)`
      const bad = keys.find((k): boolean => !isAttributeKey(k))
      return bad === undefined
        ? true
        : `附加属性代码无效 attribute code ${JSON.stringify(bad.slice(0, 70))} must be a single line of 1 to 64 characters without control characters (rule max-length / no-control-characters)`
    })
  )
  .annotations({
    identifier: "CaseAttributes",
    title: "附加属性 attributes",
    arbitrary: () => (fc) =>
      fc.dictionary(Arbitrary.make(AttributeKey), Arbitrary.make(AttributeValue), { maxKeys: 8 })
  })

/**
 * @since 0.1.0
 * @category models
 */
export type Attributes = typeof Attributes.Type

/**
 * 记录的附加属性 — attributes as events record them (unbounded, so that
 * histories stored before the input limits keep decoding).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RecordedAttributes = Schema.Record({
  key: Schema.String,
  value: Schema.Union(Schema.String, Schema.Finite, Schema.Boolean, Schema.Array(Schema.String))
}).annotations({ identifier: "CaseRecordedAttributes", title: "附加属性 attributes (recorded)" })

/**
 * 证据 — a reference to evidence (a photo, a document, a recording), e.g. a URI
 * or a blob key, of at most `Text.limits.reference` characters; the SDK stores
 * references, never the media. The input form; events keep
 * `RecordedEvidenceRef`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EvidenceRef = Text.Reference.annotations({
  identifier: "EvidenceRef",
  title: "证据 evidence reference"
})

/**
 * @since 0.1.0
 * @category models
 */
export type EvidenceRef = typeof EvidenceRef.Type

/**
 * 记录的证据 — an evidence reference as events record it (any non-blank text).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RecordedEvidenceRef = Schema.NonEmptyTrimmedString.annotations({
  identifier: "RecordedEvidenceRef",
  title: "证据 evidence reference (recorded)"
})

/**
 * 证据清单 — the evidence of a command: at most `Text.limits.references`
 * references. Kept a plain list (an empty one reaches the decider, which
 * refuses it with rule `evidence-required`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Evidence = Schema.Array(EvidenceRef).pipe(
  Schema.maxItems(Text.limits.references, {
    message: () => `证据过多 must have at most ${Text.limits.references} references (rule max-items)`
  }),
  Schema.annotations({ identifier: "CaseEvidence", title: "证据清单 evidence" })
)

/**
 * 附件上限 — at most `maxMedia` media URLs per report or comment (Open311
 * `media_url` is one; FixMyStreet sends a few photos).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxMedia = 10

const isMediaUrl = (text: string): boolean => {
  // the scheme, then the host right after `//` (WHATWG parsing would take `http:///x` as host `x`)
  if (!/^https?:\/\/[^/\\?#\s]/i.test(text)) return false
  try {
    const url = new URL(text)
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0
  } catch {
    return false
  }
}

/**
 * 附件地址 — the URL of a photo, video or document attached to a report or a
 * comment (Open311 `media_url`): an absolute `http` or `https` URL of at most
 * `Text.limits.reference` characters (`Text.Reference`: single line, trimmed,
 * no control characters); anything else is refused (rule `media-url`). The
 * SDK stores the URL, never the media. The input form; events keep
 * `RecordedMedia`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MediaUrl = Text.Reference.pipe(
  Schema.filter(
    (s) =>
      isMediaUrl(s) ||
      `附件地址无效 media URL ${JSON.stringify(s.slice(0, 80))} must be an absolute http or https URL (rule media-url)`
  ),
  Schema.annotations({
    identifier: "MediaUrl",
    title: "附件地址 media URL",
    arbitrary: () => (fc) =>
      fc
        .webUrl({ withQueryParameters: true, withFragments: true })
        .filter((u) => u.length <= Text.limits.reference && isMediaUrl(u))
  })
)

/**
 * 附件 — the media of a report or a comment: at most `maxMedia` URLs
 * (`MediaUrl`, rule `media-url`; rule `max-items` beyond `maxMedia`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Media = Schema.Array(MediaUrl).pipe(
  Schema.maxItems(maxMedia, {
    message: () => `附件过多 must have at most ${maxMedia} media URLs (rule max-items)`
  }),
  Schema.annotations({ identifier: "CaseMedia", title: "附件 media" })
)

/**
 * 记录的附件 — media URLs as events and state record them (any non-blank
 * texts, lenient like every recorded field; new values come through `Media`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RecordedMedia = Schema.Array(Schema.NonEmptyTrimmedString).annotations({
  identifier: "CaseRecordedMedia",
  title: "附件 media (recorded)"
})

/**
 * 评论可见性 — who may read a comment: `public` 公开 (the reporter, and what is
 * published — Open311 updates — may show it) or `internal` 内部 (staff only:
 * never published, never shown to residents; e.g. a 12345 会办 note between
 * units).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CommentVisibility = Schema.Literal("public", "internal").annotations({
  identifier: "CommentVisibility",
  title: "评论可见性 comment visibility",
  description: "public 公开 | internal 内部（仅工作人员）"
})

/**
 * @since 0.1.0
 * @category models
 */
export type CommentVisibility = typeof CommentVisibility.Type

/**
 * 督办级别 — how pressing a supervision is: `urge` 催办 (a reminder to act
 * now) or `supervise` 督办 (formal supervision by a higher level, tracked
 * until the case closes).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SupervisionLevel = Schema.Literal("urge", "supervise").annotations({
  identifier: "SupervisionLevel",
  title: "督办级别 supervision level",
  description: "urge 催办 | supervise 督办"
})

/**
 * @since 0.1.0
 * @category models
 */
export type SupervisionLevel = typeof SupervisionLevel.Type

/**
 * 内部评论角色 — the roles that may write an `internal` comment: every role but
 * `resident` (grid workers, staff of every tier, departments, the 12345
 * hotline, the system). A resident's or an outside client's comment is
 * public; an internal one from them is refused (rule `internal-comment-staff`).
 *
 * @since 0.1.0
 * @category rules
 */
export const internalCommentRoles: ReadonlySet<Role> = internalRules.internalCommentRoles

/**
 * 派遣对象 — where a case is dispatched: a handling unit (a community, a
 * residents' group, a street office …) or a functional department.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DispatchTarget = Schema.Union(
  Schema.TaggedStruct("Unit", { unitId: UnitId }),
  Schema.TaggedStruct("Department", { departmentId: DepartmentId })
).annotations({ identifier: "DispatchTarget", title: "派遣对象 dispatch target" })

/**
 * @since 0.1.0
 * @category models
 */
export type DispatchTarget = typeof DispatchTarget.Type

/**
 * 作废原因 — why a case is voided: `duplicate` 重复, `invalid` 无效, `not-ours` 非本辖区/非职责.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VoidReason = Schema.Literal("duplicate", "invalid", "not-ours").annotations({
  identifier: "VoidReason",
  title: "作废原因 void reason",
  description: "duplicate 重复 | invalid 无效 | not-ours 非本辖区/非职责"
})

/**
 * @since 0.1.0
 * @category models
 */
export type VoidReason = typeof VoidReason.Type

/**
 * 回访结果 — the result of a return visit: 满意, 基本满意, 不满意, 无法联系
 * (unreachable), 拒绝评价 (refused). Unreachable and refused are not valid
 * evaluations for the satisfaction rate (满意率, as the 12345 hotlines count it).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Rating = Schema.Literal(
  "satisfied",
  "basically-satisfied",
  "dissatisfied",
  "unreachable",
  "refused"
).annotations({
  identifier: "EvaluationRating",
  title: "回访结果 evaluation rating",
  description:
    "satisfied 满意 | basically-satisfied 基本满意 | dissatisfied 不满意 | unreachable 无法联系 | refused 拒绝评价"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Rating = typeof Rating.Type

/**
 * 回访结果名称 — the Chinese name of each rating.
 *
 * @since 0.1.0
 * @category constants
 */
export const ratingNames: Readonly<Record<Rating, string>> = {
  satisfied: "满意",
  "basically-satisfied": "基本满意",
  dissatisfied: "不满意",
  unreachable: "无法联系",
  refused: "拒绝评价"
}

/**
 * 延期单位 — the unit of an extension: 工作时 working hours, 工作日 working days,
 * 小时 natural hours, 自然日 natural days (interpreted on the working calendar by
 * the time-limit module; the same spelling as `WorkDuration.DurationUnit`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExtensionUnit = Schema.Literal(
  "working-hours",
  "working-days",
  "natural-hours",
  "natural-days"
).annotations({
  identifier: "ExtensionUnit",
  title: "延期单位 extension unit",
  description: "working-hours 工作时 | working-days 工作日 | natural-hours 小时 | natural-days 自然日"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ExtensionUnit = typeof ExtensionUnit.Type

/**
 * 延期时长 — how much time an extension adds to a step's limit, e.g. 3 working
 * days: a positive whole `amount` of a `unit`. Structurally a
 * `WorkDuration.WorkDuration`, so `extensionsOf` feeds a time limit as it is.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExtensionAmount = Schema.Struct({
  amount: Schema.Int.pipe(Schema.positive()),
  unit: ExtensionUnit
}).annotations({ identifier: "ExtensionAmount", title: "延期时长 extension amount" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ExtensionAmount extends Schema.Schema.Type<typeof ExtensionAmount> {}

/**
 * 重办去向 — where a reopened case goes: back to the same handler (`handling`)
 * or back to the dispatch queue (`dispatch`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReopenTo = Schema.Literal("handling", "dispatch").annotations({
  identifier: "ReopenTo",
  title: "重办去向 reopen to",
  description: "handling 原处置单位重办 | dispatch 重新派遣"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ReopenTo = typeof ReopenTo.Type

/**
 * 结案方式 — how a case was closed: by an on-site verification that passed, or
 * by a grid worker's self-handling.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ClosedVia = Schema.Literal("verification", "self-handle").annotations({
  identifier: "ClosedVia",
  title: "结案方式 closed via",
  description: "verification 核查通过 | self-handle 自处理"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ClosedVia = typeof ClosedVia.Type

/**
 * 延期上限 — the largest amount one extension may add, in any of its units
 * (1000: four years of working days); a larger one is refused with rule
 * `extension-amount`.
 *
 * @since 0.1.0
 * @category rules
 */
export const maxExtensionAmount: number = internalRules.maxExtensionAmount

/**
 * 上报来源权限 — which sources each role may file a case from; the first is
 * the default when a report names none. A resident files through the app or
 * an Open311 client (never as 12345 or 信访), the hotline as 12345, grid
 * workers from patrol or a dispute they take up, staff as an assignment from
 * above, a petition handled on a resident's behalf (信访代办) or a dispute;
 * the system files nothing. A report from another source is refused with
 * rule `source`.
 *
 * @since 0.1.0
 * @category rules
 */
export const reportSources: Readonly<Record<Role, ReadonlyArray<Source>>> = internalRules.reportSources

/**
 * 默认来源 — the source a report by this role gets when it names none (none for `system`).
 *
 * @since 0.1.0
 * @category rules
 */
export const defaultSourceOf = (role: Role): Source | undefined => reportSources[role][0]

/**
 * 指令类型 — the tag of every case command.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CommandTag = Schema.Literal(
  "Report",
  "SelfHandle",
  "Accept",
  "Reject",
  "Void",
  "Dispatch",
  "Return",
  "Handle",
  "Verify",
  "Evaluate",
  "Reopen",
  "RequestSuspension",
  "ApproveSuspension",
  "DenySuspension",
  "Resume",
  "RequestExtension",
  "ApproveExtension",
  "DenyExtension",
  "Merge",
  "Escalate",
  "Comment",
  "Supervise"
).annotations({ identifier: "CaseCommandTag", title: "指令类型 command tag" })

/**
 * @since 0.1.0
 * @category models
 */
export type CommandTag = typeof CommandTag.Type

/**
 * Every command tag.
 *
 * @since 0.1.0
 * @category constants
 */
export const commandTags: ReadonlyArray<CommandTag> = CommandTag.literals

/**
 * 指令名称 — each command's name in English (as used in refusal messages) and Chinese.
 *
 * @since 0.1.0
 * @category constants
 */
export const commandNames: Readonly<Record<CommandTag, { readonly en: string; readonly zh: string }>> =
  internalRules.commandNames

/**
 * 事件类型 — the tag of every case event.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EventTag = Schema.Literal(
  "Reported",
  "Accepted",
  "Rejected",
  "Voided",
  "Dispatched",
  "Returned",
  "Handled",
  "VerificationPassed",
  "VerificationFailed",
  "Closed",
  "Evaluated",
  "Reopened",
  "SuspensionRequested",
  "SuspensionApproved",
  "SuspensionDenied",
  "Resumed",
  "ExtensionRequested",
  "ExtensionApproved",
  "ExtensionDenied",
  "Merged",
  "Escalated",
  "SelfHandled",
  "Commented",
  "Supervised"
).annotations({ identifier: "CaseEventTag", title: "事件类型 event tag" })

/**
 * @since 0.1.0
 * @category models
 */
export type EventTag = typeof EventTag.Type

/**
 * 权限 — who may issue a command (see the module's table):
 * `reporter` anyone but system; `community-grid-worker` a grid worker acting for
 * the owning community; `owning-tier-staff` staff of the case's tier acting for
 * its owner unit; `handler` the dispatched department or unit; `system`;
 * `hotline`; `community-staff` staff acting for the owning community; `anyone`
 * every role, `system` included (comments); `supervisor` street or district
 * staff (督办/催办 — whether the case lies in their jurisdiction is the access
 * layer's check, as for every read).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Authority = Schema.Literal(
  "reporter",
  "community-grid-worker",
  "owning-tier-staff",
  "handler",
  "system",
  "hotline",
  "community-staff",
  "anyone",
  "supervisor"
).annotations({ identifier: "CaseAuthority", title: "权限 authority" })

/**
 * @since 0.1.0
 * @category models
 */
export type Authority = typeof Authority.Type

/**
 * 权限说明 — each authority in Chinese.
 *
 * @since 0.1.0
 * @category constants
 */
export const authorityNames: Readonly<Record<Authority, string>> = {
  reporter: "任何上报人（系统除外）",
  "community-grid-worker": "所属社区网格员",
  "owning-tier-staff": "当前处置层级工作人员",
  handler: "被派遣的处置单位/部门",
  system: "系统",
  hotline: "12345 热线",
  "community-staff": "所属社区工作人员",
  anyone: "任何人（含系统）",
  supervisor: "街道或区级工作人员（督办）"
}

// -----------------------------------------------------------------------------
// state
// -----------------------------------------------------------------------------

/**
 * 层级记录 — one entry of the tier history: the tier and owner unit a case
 * moved to, when, and whether the move was automatic (overdue escalation).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TierEntry = Schema.Struct({
  tier: Tier,
  unitId: UnitId,
  at: Schema.DateTimeUtc,
  automatic: Schema.Boolean
}).annotations({ identifier: "CaseTierEntry", title: "层级记录 tier entry" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TierEntry extends Schema.Schema.Type<typeof TierEntry> {}

/**
 * 挂账区间 — an approved suspension: the clock of `step` stops from `from` to
 * `to` (`null` while still suspended).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SuspensionInterval = Schema.Struct({
  step: CaseStep,
  from: Schema.DateTimeUtc,
  to: Schema.NullOr(Schema.DateTimeUtc),
  reason: Schema.NonEmptyTrimmedString
}).annotations({ identifier: "CaseSuspensionInterval", title: "挂账区间 suspension interval" })

/**
 * @since 0.1.0
 * @category models
 */
export interface SuspensionInterval extends Schema.Schema.Type<typeof SuspensionInterval> {}

/**
 * 已批准延期 — an approved extension of a step's limit.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ApprovedExtension = Schema.Struct({
  step: CaseStep,
  amount: ExtensionAmount,
  approvedAt: Schema.DateTimeUtc
}).annotations({ identifier: "CaseApprovedExtension", title: "已批准延期 approved extension" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ApprovedExtension extends Schema.Schema.Type<typeof ApprovedExtension> {}

/**
 * 待审批申请 — a pending suspension or extension request.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PendingRequest = Schema.Struct({
  step: CaseStep,
  requestedAt: Schema.DateTimeUtc,
  requestedBy: ActorId,
  reason: Schema.NonEmptyTrimmedString,
  /** 申请延期时长 — for an extension request. */
  amount: Schema.optionalWith(ExtensionAmount, { exact: true })
}).annotations({ identifier: "CasePendingRequest", title: "待审批申请 pending request" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PendingRequest extends Schema.Schema.Type<typeof PendingRequest> {}

/**
 * 计数 — what the metrics count per case: dispatches 派遣, returns 回退,
 * reworks 返工, reopens 重办, escalations 升级.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Counts = Schema.Struct({
  dispatches: Schema.NonNegativeInt,
  returns: Schema.NonNegativeInt,
  reworks: Schema.NonNegativeInt,
  reopens: Schema.NonNegativeInt,
  escalations: Schema.NonNegativeInt
}).annotations({ identifier: "CaseCounts", title: "计数 counts" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Counts extends Schema.Schema.Type<typeof Counts> {}

/**
 * 回访评价 — the last return-visit evaluation.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Evaluation = Schema.Struct({
  rating: Rating,
  /** 问题是否解决 — the resident's answer, when the visit recorded one. */
  resolved: Schema.optionalWith(Schema.Boolean, { exact: true }),
  at: Schema.DateTimeUtc,
  by: ActorId
}).annotations({ identifier: "CaseEvaluation", title: "回访评价 evaluation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Evaluation extends Schema.Schema.Type<typeof Evaluation> {}

/**
 * 案件 — the state of a reported case: what the loop, the metrics and the time
 * limits need. `version` is the sequence number of the last event applied.
 * `step` is the timed step running now (`null` once nothing is timed: rejected,
 * voided, merged, or evaluated for good) and `stepStartedAt` when it started;
 * while `suspended` the step's clock is stopped and `resumeTo` is the status
 * the case returns to. Pending suspension / extension requests are dropped when
 * the case leaves handling (handled, returned, escalated, merged). A reopening
 * clears `closedAt`, `closedTier`, `closedVia` and `evaluation` (the events keep
 * them); an unreachable return visit leaves the `evaluation` step running.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Case = Schema.Struct({
  _tag: Schema.Literal("Case"),
  id: CaseId,
  version: Schema.Int.pipe(Schema.positive()),
  status: Status,
  source: Source,
  /**
   * 本地来源 — the role table's local report source the case was reported
   * from (acting as `source`); absent for a built-in source and in cases
   * reported before local sources.
   */
  localSource: Schema.optionalWith(LocalSource, { exact: true }),
  categoryId: CategoryId,
  urgency: Urgency,
  location: RecordedLocation,
  /**
   * 公开精确位置 — the reporter agreed that the exact position and full address be
   * published (Open311); absent or false: only a coarsened location is published.
   */
  publishExact: Schema.optionalWith(Schema.Boolean, { exact: true }),
  /**
   * 同意接收进度通知 — the reporter agreed to be told of status changes at
   * their contact phone (`Notification`); absent or false: not.
   */
  notifyReporter: Schema.optionalWith(Schema.Boolean, { exact: true }),
  /** 附件 — the media URLs sent with the report (absent when none). */
  media: Schema.optionalWith(RecordedMedia, { exact: true }),
  /** 所属社区 — the community where the case happened; it owns the case first. */
  communityId: UnitId,
  anonymous: Schema.Boolean,
  reportedBy: ActorId,
  /** 当前层级 — the tier that owns the case now. */
  tier: Tier,
  /** 当前责任单元 — the unit of that tier that owns the case (community, street, district). */
  ownerUnitId: UnitId,
  tierHistory: Schema.Array(TierEntry),
  step: Schema.NullOr(CaseStep),
  stepStartedAt: Schema.NullOr(Schema.DateTimeUtc),
  dispatchTarget: Schema.NullOr(DispatchTarget),
  counts: Counts,
  suspensions: Schema.Array(SuspensionInterval),
  resumeTo: Schema.NullOr(Status),
  pendingSuspension: Schema.NullOr(PendingRequest),
  pendingExtension: Schema.NullOr(PendingRequest),
  extensions: Schema.Array(ApprovedExtension),
  reportedAt: Schema.DateTimeUtc,
  acceptedAt: Schema.NullOr(Schema.DateTimeUtc),
  dispatchedAt: Schema.NullOr(Schema.DateTimeUtc),
  handledAt: Schema.NullOr(Schema.DateTimeUtc),
  closedAt: Schema.NullOr(Schema.DateTimeUtc),
  closedTier: Schema.NullOr(Tier),
  closedVia: Schema.NullOr(ClosedVia),
  evaluation: Schema.NullOr(Evaluation),
  voidReason: Schema.NullOr(VoidReason),
  mergedInto: Schema.NullOr(CaseId),
  /**
   * 最后更新 — the instant of the last event other than a comment: comments
   * (`Commented`) change nothing of the case but its `version` and
   * `commentedAt`, so `updatedAt` (and an Open311 `updated_datetime` read
   * from it) tracks what happened to the case itself.
   */
  updatedAt: Schema.DateTimeUtc,
  /**
   * 最后评论 — the instant of the last comment (absent before the first). No
   * command may be dated before it or `updatedAt` (rule `time-order`), so a
   * history's instants never go backwards.
   */
  commentedAt: Schema.optionalWith(Schema.DateTimeUtc, { exact: true }),
  /** 督办次数 — how many times the case was supervised (督办/催办; absent before the first). */
  supervisions: Schema.optionalWith(Schema.Int, { exact: true }),
  /** 最后督办 — the instant and level of the last supervision (absent before the first). */
  lastSupervision: Schema.optionalWith(Schema.Struct({ at: Schema.DateTimeUtc, level: SupervisionLevel }), {
    exact: true
  })
}).annotations({ identifier: "Case", title: "案件 case" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Case extends Schema.Schema.Type<typeof Case> {}

/**
 * 尚无案件 — the state before a case is reported.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NoCase = Schema.Struct({
  _tag: Schema.Literal("NoCase"),
  version: Schema.Literal(0)
}).annotations({ identifier: "NoCase", title: "尚无案件 no case" })

/**
 * @since 0.1.0
 * @category models
 */
export interface NoCase extends Schema.Schema.Type<typeof NoCase> {}

/**
 * 案件状态 — the decider's state: no case yet, or a case. Encodes to JSON, so a
 * store may keep snapshots.
 *
 * @since 0.1.0
 * @category schemas
 */
export const State = Schema.Union(NoCase, Case).annotations({
  identifier: "CaseState",
  title: "案件状态 state"
})

/**
 * @since 0.1.0
 * @category models
 */
export type State = NoCase | Case

/**
 * The state before any event: no case yet.
 *
 * @since 0.1.0
 * @category constructors
 */
export const initial: State = internalEvolve.initial

// -----------------------------------------------------------------------------
// rules
// -----------------------------------------------------------------------------

/**
 * 状态迁移 — one row of the transition table: `command` is allowed in status
 * `from` (`"none"` before a case exists) and leads to one of `to`; `guard`
 * says what else must hold.
 *
 * @since 0.1.0
 * @category models
 */
export interface Transition {
  readonly from: Status | "none"
  readonly command: CommandTag
  readonly to: ReadonlyArray<Status>
  readonly guard?: string
}

/**
 * 状态迁移表 — status × command → next statuses, as data (for docs and a
 * Mermaid state diagram). A command absent from a status's rows is refused
 * there with rule `status`.
 *
 * @since 0.1.0
 * @category rules
 */
export const transitions: ReadonlyArray<Transition> = internalRules.transitions

/**
 * Whether a command is allowed in a status (guards aside).
 *
 * @since 0.1.0
 * @category rules
 */
export const isAllowed = (from: Status | "none", command: CommandTag): boolean =>
  internalRules.lookup(from, command) !== undefined

/**
 * 权限表 — who may issue each command: one of the listed authorities.
 *
 * @since 0.1.0
 * @category rules
 */
export const authorities: Readonly<Record<CommandTag, ReadonlyArray<Authority>>> = internalRules.authorities

// -----------------------------------------------------------------------------
// errors
// -----------------------------------------------------------------------------

/**
 * 拒绝规则 — the rule a refused command breaks:
 *
 * - `case-exists` a case with this id is already reported; `case-not-found` no case yet;
 *   `case-id` the command names another case; `time-order` the command's `at` is before
 *   the case's last event
 * - `status` the command is not allowed in the case's status (see `transitions`)
 * - `role` the actor's role may not issue the command; `jurisdiction` right role, but acting
 *   for another unit; `handler` the actor is not the dispatched handler
 * - `description-required`, `reason-required`, `note-required`, `result-required`,
 *   `evidence-required` a required text or evidence is missing or blank
 * - `anonymous-contact` an anonymous report carries a contact; `owner-unit` the owner unit
 *   does not fit the starting tier; `notify-needs-contact` 进度通知需联系电话 a report asks for
 *   progress notifications (`notifyReporter`) without a contact phone (or anonymously)
 * - `self-handle-community-only` only the community tier may self-handle
 * - `escalation-beyond-district` nothing lies above the district; `escalation-unit` the
 *   escalation target is the current owner unit
 * - `merge-into-self` a case cannot be merged into itself
 * - `request-pending` a request of that kind is already pending; `no-pending-request` nothing
 *   to approve or deny
 * - `extension-amount` an extension must be a whole amount from 1 to `maxExtensionAmount`
 * - `reopen-requires-dissatisfied` only a dissatisfied evaluation (不满意) or a problem the
 *   resident says is not resolved (问题未解决, whatever the rating — 12345 practice) reopens a
 *   case; `reopen-needs-handler` a case never dispatched cannot go back to its handler
 * - `evaluation-final` the case already has a final evaluation (only an unreachable return
 *   visit may be repeated); `resolved-needs-visit` 是否解决 recorded on an unreachable or refused visit
 * - `source` the reporter's role may not file a case from that source (`reportSources`: a
 *   resident files through the app or Open311, never as 12345 or 信访); `start-tier` a report asks
 *   to start above the tier its category requires without staff of that tier
 * - referential rules, checked by `CaseService` against the repositories: `unknown-unit` a
 *   dispatch to a unit the hierarchy does not have; `unknown-department` a dispatch to a department
 *   that is not registered; `dispatch-jurisdiction` a unit outside the owner unit's jurisdiction, or
 *   a department that does not serve the case's community; `escalation-target` an escalation to
 *   anything but the next tier's unit above the case's own community; `merge-target` a merge into a
 *   case that does not exist, is not open, or is itself merged
 * - `internal-comment-staff` 内部评论仅限工作人员 an `internal` comment from a role outside
 *   `internalCommentRoles` (a resident or an outside client comments publicly)
 * - `idempotency-key-reused` 幂等键重复 the same Idempotency-Key was used before with a different
 *   command (a retried request must repeat its body exactly; checked by `CaseService`)
 *
 * @since 0.1.0
 * @category errors
 */
export const RefusalRule = Schema.Literal(
  "case-exists",
  "case-not-found",
  "case-id",
  "time-order",
  "status",
  "role",
  "jurisdiction",
  "handler",
  "description-required",
  "reason-required",
  "note-required",
  "result-required",
  "evidence-required",
  "anonymous-contact",
  "owner-unit",
  "self-handle-community-only",
  "escalation-beyond-district",
  "escalation-unit",
  "merge-into-self",
  "request-pending",
  "no-pending-request",
  "extension-amount",
  "reopen-requires-dissatisfied",
  "reopen-needs-handler",
  "evaluation-final",
  "resolved-needs-visit",
  "source",
  "start-tier",
  "unknown-unit",
  "unknown-department",
  "dispatch-jurisdiction",
  "escalation-target",
  "merge-target",
  "idempotency-key-reused",
  "internal-comment-staff",
  "notify-needs-contact"
).annotations({ identifier: "CaseRefusalRule", title: "拒绝规则 refusal rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type RefusalRule = typeof RefusalRule.Type

/**
 * 违规项 — one broken rule with a readable message.
 *
 * @since 0.1.0
 * @category errors
 */
export const Violation = Schema.Struct({
  rule: RefusalRule,
  message: Schema.String
}).annotations({ identifier: "CaseViolation", title: "违规项 violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Violation extends Schema.Schema.Type<typeof Violation> {}

/**
 * 指令被拒 — a refused command: the case, its status (`"none"` before a case
 * exists), the command, the actor's role, the first rule broken (`rule`) and
 * every rule broken (`violations`).
 *
 * @since 0.1.0
 * @category errors
 */
export class CaseRefused extends Schema.TaggedError<CaseRefused>()("CaseRefused", {
  caseId: CaseId,
  status: Schema.Union(Status, Schema.Literal("none")),
  command: CommandTag,
  role: Role,
  rule: RefusalRule,
  violations: Schema.NonEmptyArray(Violation)
}) {
  override get message(): string {
    return `case ${this.caseId} (${this.status}): ${commandNames[this.command].en} refused — ${this.violations
      .map((v) => `[${v.rule}] ${v.message}`)
      .join("; ")}`
  }
}

const replayRuleText: Readonly<
  Record<
    "first-event" | "sequence" | "case-id",
    (e: { readonly sequence: number; readonly expected: number }) => string
  >
> = {
  "first-event": () => "a history starts with Reported (sequence 1), and only its first event is Reported",
  sequence: (e) => `sequence ${e.sequence}, expected ${e.expected} (sequences are gapless)`,
  "case-id": () => "the event belongs to another case than the one being replayed"
}

/**
 * 事件重放错误 — a strict replay met an event that does not continue the case:
 * `first-event` the first event is not `Reported` with sequence 1, or a later one is; `sequence`
 * a gap or repeat (expected `expected`, got `sequence`); `case-id` an event of
 * another case.
 *
 * @since 0.1.0
 * @category errors
 */
export class CaseReplayError extends Schema.TaggedError<CaseReplayError>()("CaseReplayError", {
  caseId: CaseId,
  index: Schema.NonNegativeInt,
  sequence: Schema.Int,
  expected: Schema.Int,
  rule: Schema.Literal("first-event", "sequence", "case-id")
}) {
  override get message(): string {
    return `event #${this.index} of case ${this.caseId}: ${replayRuleText[this.rule](this)}`
  }
}

// -----------------------------------------------------------------------------
// the decider
// -----------------------------------------------------------------------------

/**
 * 决策 — checks a command against a state. Right: the events the command causes,
 * numbered from `state.version + 1` (one event for most commands; `Verify` that
 * passes gives `VerificationPassed` + `Closed`; `SelfHandle` gives `Reported` +
 * `SelfHandled` + `Closed`). Left: a `CaseRefused` listing every rule broken.
 * Pure: the state is never modified.
 *
 * @since 0.1.0
 * @category decider
 */
export const decide = (
  command: CaseCommand,
  state: State
): Either.Either<ReadonlyArray<CaseEvent>, CaseRefused> => {
  const decision = internalDecide.decide(command, state)
  if (decision._tag === "Decided") return Either.right(decision.events)
  const [first] = decision.violations
  return Either.left(
    new CaseRefused({
      caseId: command.caseId,
      status: state._tag === "Case" ? state.status : "none",
      command: command._tag,
      role: command.actor.role,
      rule: first.rule,
      violations: decision.violations
    })
  )
}

/**
 * 演进 — applies one event. An event that does not continue the case (another
 * case's id, a sequence other than `version + 1`, or anything but `Reported`
 * with sequence 1 on `initial`) leaves the state unchanged. Pure: returns a new
 * state; the given one is never modified.
 *
 * @since 0.1.0
 * @category decider
 */
export const evolve = (state: State, event: CaseEvent): State => internalEvolve.evolve(state, event)

/**
 * 决策器 — the case as a `Decider` (initial, decide, evolve) for the shared
 * decider kit. `fold` and `execute` below give the same results as the kit's,
 * computed on one private draft (no copy per event) — the case's histories
 * are the long ones.
 *
 * @since 0.1.0
 * @category decider
 */
export const decider: Decider.Decider<CaseCommand, State, CaseEvent, CaseRefused> = Decider.make({
  initial,
  decide,
  evolve
})

/**
 * 折叠 — the state a history leads to: `evolve` over the events from `initial`,
 * computed in place on one private draft (no copy per event). Events that do
 * not continue the case are skipped, as `evolve` does.
 *
 * @since 0.1.0
 * @category decider
 */
export const fold = (events: Iterable<CaseEvent>): State => internalEvolve.fold(events)

/**
 * 重放 — the strict fold: the state a history leads to, or the first event that
 * does not continue the case (a gap, a repeat, an event out of order, another
 * case's event).
 *
 * @since 0.1.0
 * @category decider
 */
export const replay = (events: ReadonlyArray<CaseEvent>): Either.Either<State, CaseReplayError> => {
  const problem = internalEvolve.firstBreak(events)
  if (problem === undefined) return Either.right(internalEvolve.fold(events))
  return Either.left(new CaseReplayError(problem))
}

/**
 * 执行 — `decide`, then `evolve` the state through the events: the events to
 * append and the state they lead to.
 *
 * @since 0.1.0
 * @category decider
 */
export const execute = (
  state: State,
  command: CaseCommand
): Either.Either<{ readonly events: ReadonlyArray<CaseEvent>; readonly state: State }, CaseRefused> =>
  Either.map(decide(command, state), (events) => ({ events, state: internalEvolve.evolveAll(state, events) }))

// -----------------------------------------------------------------------------
// getters
// -----------------------------------------------------------------------------

/**
 * Whether a state holds a case.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isCase = (state: State): state is Case => state._tag === "Case"

const endStatuses: ReadonlySet<Status> = new Set(["rejected", "voided", "merged"])

/**
 * Whether a status is an end: 不予立案, 作废, 合并 — nothing more can happen to
 * the case but comments (`Comment`, which never changes its status).
 * (`evaluated` is not an end: a dissatisfied evaluation may reopen the case.)
 *
 * @since 0.1.0
 * @category predicates
 */
export const isEnd = (status: Status): boolean => endStatuses.has(status)

const notOpen: ReadonlySet<Status> = new Set(["rejected", "voided", "merged", "closed", "evaluated"])

/**
 * Whether a case is open: neither closed (结案) nor ended.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isOpen = (status: Status): boolean => !notOpen.has(status)

/**
 * The approved extensions of one step, in approval order.
 *
 * @since 0.1.0
 * @category getters
 */
export const extensionsOf = (self: Case, step: CaseStep): ReadonlyArray<ExtensionAmount> =>
  self.extensions.filter((e) => e.step === step).map((e) => e.amount)

/**
 * The suspension intervals of one step, in order (the last may still be open).
 *
 * @since 0.1.0
 * @category getters
 */
export const suspensionsOf = (self: Case, step: CaseStep): ReadonlyArray<SuspensionInterval> =>
  self.suspensions.filter((s) => s.step === step)
