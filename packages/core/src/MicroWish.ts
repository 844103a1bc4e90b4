/**
 * 微心愿 — a micro-wish: a small, concrete wish of a hardship household 困难户
 * (a school bag, a hearing aid, a repaired window) that a party member or a
 * donor takes on and fulfils. The community experience report (XX社区治理经验交流材料) describes the
 * practice: "发起'微心愿圆梦行动'，开展'网格走情、爱心敲门'征集'微心愿'，由在职党员、
 * 社会爱心人士、社会团体认领，帮辖区困难家庭、残疾人家庭以及各类特殊人群圆梦"
 * (清单工作法, the list work method).
 *
 * A wish is a pure **decider**, like `Case`: `decide(command, state)` checks a
 * command and returns the events it causes or a typed refusal
 * (`MicroWishRefused`); `evolve(state, event)` applies one event; a wish's state
 * is the fold of its events from `initial`. No I/O, no clock: every command
 * carries its instant `at`.
 *
 * ```text
 * (none)  ─Post 发布────────────────────▶ posted    已发布
 * posted  ─Claim 认领───────────────────▶ claimed   已认领   (exactly one claimant)
 * claimed ─ReleaseClaim 放弃认领─────────▶ posted
 * claimed ─Fulfil 实现 (evidence required)▶ fulfilled 已实现
 * fulfilled ─Confirm 确认 (community staff)▶ confirmed 已确认
 * posted, claimed ─Withdraw 撤回────────▶ withdrawn 已撤回   (the household withdraws it)
 * posted, claimed ─Cancel 取消 (reason)─▶ cancelled 已取消   (the community cancels it)
 * ```
 *
 * A second claim on a claimed wish is refused with rule `already-claimed`, and
 * the refusal names the current claimant. A wish reaches `confirmed` only
 * through `fulfilled`, and `Fulfil` needs at least one piece of evidence
 * (photo or receipt references — ids or URLs of stored files, never the files).
 *
 * **Who may do what** (`authorities`; a wrong role is refused with rule `role`,
 * the right role for another community with `jurisdiction`, someone other than
 * the claimant with `claimant`, someone other than the poster with `poster`):
 *
 * | command | 中文 | who |
 * | --- | --- | --- |
 * | `Post` | 发布 | the household itself (`resident` acting for the community or the household unit), or a `grid-worker` / `community-staff` of the community (征集 on a home visit) |
 * | `Claim` | 认领 | the claimant themself (any role but `system`), or a `grid-worker` / `community-staff` of the community recording the claim |
 * | `ReleaseClaim` | 放弃认领 | the claimant, or a `grid-worker` / `community-staff` of the community |
 * | `Fulfil` | 实现 | the claimant, or a `grid-worker` / `community-staff` of the community recording it |
 * | `Confirm` | 确认 | `community-staff` of the community |
 * | `Withdraw` | 撤回 | the actor who posted the wish, or a `grid-worker` / `community-staff` of the community |
 * | `Cancel` | 取消 | `community-staff` of the community, with a reason |
 *
 * **Sequence numbers.** Every event carries the wish id, a per-wish `sequence`
 * 1, 2, 3 … without gaps, the actor and `at`; `decide` numbers new events from
 * `state.version + 1`. `evolve` ignores an event that does not continue the
 * wish (another wish's id, a sequence other than `version + 1`); `replay` is the
 * strict fold that reports such an event as a `MicroWishReplayError`.
 *
 * **Personal data (PIPL, 《个人信息保护法》).** A wish names its household only by
 * a unit id (the household, or its building) and a display label such as
 * `"3号楼2单元 困难家庭"`. Do not put names, phone numbers, ID numbers or health
 * details in the label, title or description: wishes are shown to claimants
 * and often published on a notice board or mini-program. Where the household's
 * identity is needed, look it up from the unit id in a system that restricts
 * access. A claimant's `label` is what the community may show (e.g. `"党员 李某"`
 * or an organisation's name).
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Actor, ActorId, describe as describeActor, Role, roleNames } from "./Actor.js"
import * as Decider from "./Decider.js"
import * as Instant from "./Instant.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"

// -----------------------------------------------------------------------------
// vocabulary
// -----------------------------------------------------------------------------

/**
 * 心愿编号 — the identifier of a micro-wish.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WishId = Text.Id.pipe(
  Schema.brand("WishId"),
  Schema.annotations({ identifier: "WishId", title: "心愿编号 wish id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type WishId = typeof WishId.Type

/**
 * 心愿状态 — `posted` 已发布, `claimed` 已认领, `fulfilled` 已实现, `confirmed` 已确认,
 * `withdrawn` 已撤回, `cancelled` 已取消.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Status = Schema.Literal(
  "posted",
  "claimed",
  "fulfilled",
  "confirmed",
  "withdrawn",
  "cancelled"
).annotations({
  identifier: "MicroWishStatus",
  title: "心愿状态 wish status",
  description:
    "posted 已发布 | claimed 已认领 | fulfilled 已实现 | confirmed 已确认 | withdrawn 已撤回 | cancelled 已取消"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Status = typeof Status.Type

/**
 * Every status, in lifecycle order.
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
export const statusNames: Readonly<Record<Status, string>> = {
  posted: "已发布",
  claimed: "已认领",
  fulfilled: "已实现",
  confirmed: "已确认",
  withdrawn: "已撤回",
  cancelled: "已取消"
}

/**
 * 困难户 — the household a wish is for, by reference only: the unit id of the
 * household (or of its building, where households are not units) and a display
 * label. Never store more personal data than this (PIPL — see the module doc).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Household = Schema.Struct({
  /** 户/楼栋 — the unit id of the household, or of its building. */
  unitId: UnitId,
  /** 显示标签 — e.g. `"3号楼2单元 困难家庭"`; no names, phones or ID numbers (at most `Text.limits.name`). */
  label: Text.Name
}).annotations({ identifier: "MicroWishHousehold", title: "困难户 household" })

/**
 * 记录的困难户 — a household as events and state record it (a label of any
 * length, so that wishes stored before the input limits keep decoding).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RecordedHousehold = Schema.Struct({
  unitId: UnitId,
  label: Schema.NonEmptyTrimmedString
}).annotations({ identifier: "MicroWishRecordedHousehold", title: "困难户 household (recorded)" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Household extends Schema.Schema.Type<typeof Household> {}

/**
 * 认领人类别 — who claims, in the community experience report's words: `party-member` 在职党员,
 * `donor` 社会爱心人士, `organisation` 社会团体 (a social organisation or a
 * co-building unit).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ClaimantKind = Schema.Literal("party-member", "donor", "organisation").annotations({
  identifier: "MicroWishClaimantKind",
  title: "认领人类别 claimant kind",
  description: "party-member 在职党员 | donor 社会爱心人士 | organisation 社会团体"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ClaimantKind = typeof ClaimantKind.Type

/**
 * 认领人类别名称 — the Chinese name of each claimant kind.
 *
 * @since 0.1.0
 * @category constants
 */
export const claimantKindNames: Readonly<Record<ClaimantKind, string>> = {
  "party-member": "在职党员",
  donor: "社会爱心人士",
  organisation: "社会团体"
}

/**
 * 认领人 — who claimed a wish: their actor id (their account, or an id the
 * community assigns to an offline donor), their kind, and a label the
 * community may show.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Claimant = Schema.Struct({
  id: ActorId,
  kind: ClaimantKind,
  /** 显示名称 — e.g. `"党员 李某"`, `"春晖公益"` (at most `Text.limits.name`). */
  label: Text.Name
}).annotations({ identifier: "MicroWishClaimant", title: "认领人 claimant" })

/**
 * 记录的认领人 — a claimant as events and state record it (a label of any
 * length, so that wishes stored before the input limits keep decoding).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RecordedClaimant = Schema.Struct({
  id: ActorId,
  kind: ClaimantKind,
  label: Schema.NonEmptyTrimmedString
}).annotations({ identifier: "MicroWishRecordedClaimant", title: "认领人 claimant (recorded)" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Claimant extends Schema.Schema.Type<typeof Claimant> {}

/**
 * 佐证材料 — a reference to a photo or receipt (a file id or URL), not the file.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EvidenceRef = Schema.NonEmptyTrimmedString.annotations({
  identifier: "MicroWishEvidenceRef",
  title: "佐证材料 evidence reference"
})

/**
 * @since 0.1.0
 * @category models
 */
export type EvidenceRef = typeof EvidenceRef.Type

/**
 * 心愿类别 — a category tag, free text (e.g. `"学习用品"`, `"生活用品"`, `"助老"`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CategoryTag = Schema.NonEmptyTrimmedString.annotations({
  identifier: "MicroWishCategoryTag",
  title: "心愿类别 category tag"
})

/**
 * @since 0.1.0
 * @category models
 */
export type CategoryTag = typeof CategoryTag.Type

/**
 * 预估价值（元） — an estimated value in yuan: finite and non-negative.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Yuan = Schema.Number.pipe(
  Schema.finite(),
  Schema.nonNegative(),
  Schema.annotations({ identifier: "Yuan", title: "金额（元） amount in yuan" })
)

/**
 * 指令类型 — the commands a wish accepts.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CommandTag = Schema.Literal(
  "Post",
  "Claim",
  "ReleaseClaim",
  "Fulfil",
  "Confirm",
  "Withdraw",
  "Cancel"
).annotations({ identifier: "MicroWishCommandTag", title: "指令类型 command" })

/**
 * @since 0.1.0
 * @category models
 */
export type CommandTag = typeof CommandTag.Type

/**
 * Chinese and English names of the commands.
 *
 * @since 0.1.0
 * @category constants
 */
export const commandNames: Readonly<Record<CommandTag, { readonly en: string; readonly zh: string }>> = {
  Post: { en: "post", zh: "发布" },
  Claim: { en: "claim", zh: "认领" },
  ReleaseClaim: { en: "release the claim", zh: "放弃认领" },
  Fulfil: { en: "fulfil", zh: "实现" },
  Confirm: { en: "confirm", zh: "确认" },
  Withdraw: { en: "withdraw", zh: "撤回" },
  Cancel: { en: "cancel", zh: "取消" }
}

// -----------------------------------------------------------------------------
// commands
// -----------------------------------------------------------------------------

const commandMeta = {
  /** 心愿编号 — the wish the command is for (for `Post`, the new wish's id). */
  wishId: WishId,
  /** 操作人 */
  actor: Actor,
  /** 时间 — when the actor acted (UTC). */
  at: Instant.DateTimeUtc
}

const OptionalText = Schema.optionalWith(Text.Note, { exact: true })

/**
 * 发布 — post a new wish. Title, value and tags are plain here so that a blank
 * title, a negative value or a blank tag reaches `decide` and is refused with a
 * rule of its own.
 *
 * @since 0.1.0
 * @category commands
 */
export const Post = Schema.TaggedStruct("Post", {
  ...commandMeta,
  household: Household,
  /** 所属社区 — the community that runs the wish (and confirms it). */
  communityId: UnitId,
  /** 标题 — at most `Text.limits.name` characters. */
  title: Text.field(Text.limits.name),
  /** 描述 — at most `Text.limits.description` characters. */
  description: Text.Description,
  /** 预估价值（元） */
  estimatedValue: Schema.Number,
  /** 类别 — at most `Text.limits.tags` tags of `Text.limits.tag` characters. */
  categories: Schema.Array(Text.field(Text.limits.tag)).pipe(
    Schema.maxItems(Text.limits.tags, {
      message: () => `类别过多 must have at most ${Text.limits.tags} categories (rule max-items)`
    })
  )
}).annotations({ identifier: "PostMicroWish", title: "发布 post" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Post extends Schema.Schema.Type<typeof Post> {}

/**
 * 认领 — claim a posted wish.
 *
 * @since 0.1.0
 * @category commands
 */
export const Claim = Schema.TaggedStruct("Claim", {
  ...commandMeta,
  claimant: Claimant,
  note: OptionalText
}).annotations({ identifier: "ClaimMicroWish", title: "认领 claim" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Claim extends Schema.Schema.Type<typeof Claim> {}

/**
 * 放弃认领 — release a claim: the wish goes back to `posted`.
 *
 * @since 0.1.0
 * @category commands
 */
export const ReleaseClaim = Schema.TaggedStruct("ReleaseClaim", {
  ...commandMeta,
  reason: OptionalText
}).annotations({ identifier: "ReleaseMicroWishClaim", title: "放弃认领 release claim" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReleaseClaim extends Schema.Schema.Type<typeof ReleaseClaim> {}

/**
 * 实现 — the wish was fulfilled; evidence (photo / receipt references) is required.
 *
 * @since 0.1.0
 * @category commands
 */
export const Fulfil = Schema.TaggedStruct("Fulfil", {
  ...commandMeta,
  /** 佐证材料 — at most `Text.limits.references` references of `Text.limits.reference` characters. */
  evidence: Schema.Array(Text.field(Text.limits.reference)).pipe(
    Schema.maxItems(Text.limits.references, {
      message: () => `佐证材料过多 must have at most ${Text.limits.references} references (rule max-items)`
    })
  ),
  note: OptionalText
}).annotations({ identifier: "FulfilMicroWish", title: "实现 fulfil" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Fulfil extends Schema.Schema.Type<typeof Fulfil> {}

/**
 * 确认 — the community confirms a fulfilled wish.
 *
 * @since 0.1.0
 * @category commands
 */
export const Confirm = Schema.TaggedStruct("Confirm", {
  ...commandMeta,
  note: OptionalText
}).annotations({ identifier: "ConfirmMicroWish", title: "确认 confirm" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Confirm extends Schema.Schema.Type<typeof Confirm> {}

/**
 * 撤回 — the household (or the community on its behalf) withdraws a wish
 * before it is fulfilled.
 *
 * @since 0.1.0
 * @category commands
 */
export const Withdraw = Schema.TaggedStruct("Withdraw", {
  ...commandMeta,
  reason: OptionalText
}).annotations({ identifier: "WithdrawMicroWish", title: "撤回 withdraw" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Withdraw extends Schema.Schema.Type<typeof Withdraw> {}

/**
 * 取消 — the community cancels a wish before it is fulfilled, with a reason
 * (a duplicate, not eligible, the need went away).
 *
 * @since 0.1.0
 * @category commands
 */
export const Cancel = Schema.TaggedStruct("Cancel", {
  ...commandMeta,
  reason: Text.Note
}).annotations({ identifier: "CancelMicroWish", title: "取消 cancel" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Cancel extends Schema.Schema.Type<typeof Cancel> {}

/**
 * 心愿指令 — any command.
 *
 * @since 0.1.0
 * @category commands
 */
export const MicroWishCommand = Schema.Union(
  Post,
  Claim,
  ReleaseClaim,
  Fulfil,
  Confirm,
  Withdraw,
  Cancel
).annotations({ identifier: "MicroWishCommand", title: "心愿指令 command" })

/**
 * @since 0.1.0
 * @category models
 */
export type MicroWishCommand = Post | Claim | ReleaseClaim | Fulfil | Confirm | Withdraw | Cancel

// -----------------------------------------------------------------------------
// events
// -----------------------------------------------------------------------------

// free text as recorded — every non-blank text, without the input limits, so that wishes stored before
// the limits keep decoding (commands bound their texts with `Text`)
const Recorded = Schema.NonEmptyTrimmedString

const eventMeta = {
  /** 心愿编号 */
  wishId: WishId,
  /** 序号 — 1, 2, 3 … per wish, without gaps. */
  sequence: Schema.Int.pipe(Schema.positive()),
  /** 时间 — when it happened (UTC). */
  at: Schema.DateTimeUtc,
  /** 操作人 */
  actor: Actor
}

/**
 * 已发布 — a wish was posted.
 *
 * @since 0.1.0
 * @category events
 */
export const Posted = Schema.TaggedStruct("Posted", {
  ...eventMeta,
  household: RecordedHousehold,
  communityId: UnitId,
  title: Recorded,
  description: Schema.String,
  estimatedValue: Yuan,
  categories: Schema.Array(CategoryTag)
}).annotations({ identifier: "MicroWishPosted", title: "已发布 posted" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Posted extends Schema.Schema.Type<typeof Posted> {}

/**
 * 已认领 — a claimant took the wish on.
 *
 * @since 0.1.0
 * @category events
 */
export const Claimed = Schema.TaggedStruct("Claimed", {
  ...eventMeta,
  claimant: RecordedClaimant,
  note: Schema.optionalWith(Recorded, { exact: true })
}).annotations({ identifier: "MicroWishClaimed", title: "已认领 claimed" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Claimed extends Schema.Schema.Type<typeof Claimed> {}

/**
 * 已放弃认领 — the claim was released; `claimant` is who had claimed it.
 *
 * @since 0.1.0
 * @category events
 */
export const ClaimReleased = Schema.TaggedStruct("ClaimReleased", {
  ...eventMeta,
  claimant: RecordedClaimant,
  reason: Schema.optionalWith(Recorded, { exact: true })
}).annotations({ identifier: "MicroWishClaimReleased", title: "已放弃认领 claim released" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ClaimReleased extends Schema.Schema.Type<typeof ClaimReleased> {}

/**
 * 已实现 — the wish was fulfilled, with its evidence.
 *
 * @since 0.1.0
 * @category events
 */
export const Fulfilled = Schema.TaggedStruct("Fulfilled", {
  ...eventMeta,
  evidence: Schema.NonEmptyArray(EvidenceRef),
  note: Schema.optionalWith(Recorded, { exact: true })
}).annotations({ identifier: "MicroWishFulfilled", title: "已实现 fulfilled" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Fulfilled extends Schema.Schema.Type<typeof Fulfilled> {}

/**
 * 已确认 — the community confirmed the fulfilment.
 *
 * @since 0.1.0
 * @category events
 */
export const Confirmed = Schema.TaggedStruct("Confirmed", {
  ...eventMeta,
  note: Schema.optionalWith(Recorded, { exact: true })
}).annotations({ identifier: "MicroWishConfirmed", title: "已确认 confirmed" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Confirmed extends Schema.Schema.Type<typeof Confirmed> {}

/**
 * 已撤回 — the wish was withdrawn.
 *
 * @since 0.1.0
 * @category events
 */
export const Withdrawn = Schema.TaggedStruct("Withdrawn", {
  ...eventMeta,
  reason: Schema.optionalWith(Recorded, { exact: true })
}).annotations({ identifier: "MicroWishWithdrawn", title: "已撤回 withdrawn" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Withdrawn extends Schema.Schema.Type<typeof Withdrawn> {}

/**
 * 已取消 — the community cancelled the wish, with the reason.
 *
 * @since 0.1.0
 * @category events
 */
export const Cancelled = Schema.TaggedStruct("Cancelled", {
  ...eventMeta,
  reason: Recorded
}).annotations({ identifier: "MicroWishCancelled", title: "已取消 cancelled" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Cancelled extends Schema.Schema.Type<typeof Cancelled> {}

/**
 * 心愿事件 — any event. Encodes to JSON for storage.
 *
 * @since 0.1.0
 * @category events
 */
export const MicroWishEvent = Schema.Union(
  Posted,
  Claimed,
  ClaimReleased,
  Fulfilled,
  Confirmed,
  Withdrawn,
  Cancelled
).annotations({ identifier: "MicroWishEvent", title: "心愿事件 event" })

/**
 * @since 0.1.0
 * @category models
 */
export type MicroWishEvent = Posted | Claimed | ClaimReleased | Fulfilled | Confirmed | Withdrawn | Cancelled

// -----------------------------------------------------------------------------
// state
// -----------------------------------------------------------------------------

/**
 * 微心愿 — a wish's current state. `claimant` is the one current claimant
 * (`null` while posted; kept after a withdrawal or cancellation of a claimed
 * wish, so the claimant can be told); `evidence` is empty until fulfilled.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MicroWish = Schema.Struct({
  _tag: Schema.Literal("MicroWish"),
  id: WishId,
  /** 版本 — the sequence of the last event applied. */
  version: Schema.Int.pipe(Schema.positive()),
  status: Status,
  household: RecordedHousehold,
  communityId: UnitId,
  title: Recorded,
  description: Schema.String,
  estimatedValue: Yuan,
  categories: Schema.Array(CategoryTag),
  postedBy: ActorId,
  postedAt: Schema.DateTimeUtc,
  claimant: Schema.NullOr(RecordedClaimant),
  claimedAt: Schema.NullOr(Schema.DateTimeUtc),
  evidence: Schema.Array(EvidenceRef),
  fulfilledBy: Schema.NullOr(ActorId),
  fulfilledAt: Schema.NullOr(Schema.DateTimeUtc),
  confirmedBy: Schema.NullOr(ActorId),
  confirmedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** 撤回/取消时间 — when the wish was withdrawn or cancelled. */
  endedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** 撤回/取消原因 */
  endReason: Schema.NullOr(Recorded),
  /** 最后更新 — the instant of the last event. */
  updatedAt: Schema.DateTimeUtc
}).annotations({ identifier: "MicroWish", title: "微心愿 micro-wish" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MicroWish extends Schema.Schema.Type<typeof MicroWish> {}

/**
 * 尚无心愿 — the state before a wish is posted.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NoWish = Schema.Struct({
  _tag: Schema.Literal("NoWish"),
  version: Schema.Literal(0)
}).annotations({ identifier: "NoWish", title: "尚无心愿 no wish" })

/**
 * @since 0.1.0
 * @category models
 */
export interface NoWish extends Schema.Schema.Type<typeof NoWish> {}

/**
 * 心愿状态 — the decider's state: no wish yet, or a wish.
 *
 * @since 0.1.0
 * @category schemas
 */
export const State = Schema.Union(NoWish, MicroWish).annotations({
  identifier: "MicroWishState",
  title: "心愿状态 state"
})

/**
 * @since 0.1.0
 * @category models
 */
export type State = NoWish | MicroWish

/**
 * The state before any event: no wish yet.
 *
 * @since 0.1.0
 * @category constructors
 */
export const initial: State = { _tag: "NoWish", version: 0 }

// -----------------------------------------------------------------------------
// rules as data
// -----------------------------------------------------------------------------

/**
 * 状态迁移 — one row of the transition table: `command` is allowed in `from`
 * (`"none"` before the wish exists) and leads to `to`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Transition {
  readonly from: Status | "none"
  readonly command: CommandTag
  readonly to: Status
  readonly guard?: string
}

/**
 * 状态迁移表 — status × command → next status, as data. A command absent from
 * a status's rows is refused there with rule `status` (a `Claim` on a claimed
 * wish with rule `already-claimed`).
 *
 * @since 0.1.0
 * @category rules
 */
export const transitions: ReadonlyArray<Transition> = [
  { from: "none", command: "Post", to: "posted" },
  { from: "posted", command: "Claim", to: "claimed" },
  { from: "posted", command: "Withdraw", to: "withdrawn" },
  { from: "posted", command: "Cancel", to: "cancelled", guard: "a reason is given" },
  { from: "claimed", command: "ReleaseClaim", to: "posted" },
  { from: "claimed", command: "Fulfil", to: "fulfilled", guard: "at least one piece of evidence" },
  { from: "claimed", command: "Withdraw", to: "withdrawn" },
  { from: "claimed", command: "Cancel", to: "cancelled", guard: "a reason is given" },
  { from: "fulfilled", command: "Confirm", to: "confirmed" }
]

const transitionIndex: ReadonlyMap<string, Transition> = new Map(
  transitions.map((t) => [`${t.from}|${t.command}`, t])
)

/**
 * Whether a command is allowed in a status (guards aside).
 *
 * @since 0.1.0
 * @category rules
 */
export const isAllowed = (from: Status | "none", command: CommandTag): boolean =>
  transitionIndex.has(`${from}|${command}`)

/**
 * 权限 — an authority a command may be issued under:
 * `household` a `resident` acting for the wish's community or household unit;
 * `community-worker` a `grid-worker` of the community; `community-staff` a
 * `community-staff` of the community; `self-claimant` anyone but `system`
 * claiming for themself; `claimant` the current claimant; `poster` the actor
 * who posted the wish.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Authority = Schema.Literal(
  "household",
  "community-worker",
  "community-staff",
  "self-claimant",
  "claimant",
  "poster"
).annotations({ identifier: "MicroWishAuthority", title: "权限 authority" })

/**
 * @since 0.1.0
 * @category models
 */
export type Authority = typeof Authority.Type

/**
 * 权限表 — who may issue each command: one of the listed authorities.
 *
 * @since 0.1.0
 * @category rules
 */
export const authorities: Readonly<Record<CommandTag, ReadonlyArray<Authority>>> = {
  Post: ["household", "community-worker", "community-staff"],
  Claim: ["self-claimant", "community-worker", "community-staff"],
  ReleaseClaim: ["claimant", "community-worker", "community-staff"],
  Fulfil: ["claimant", "community-worker", "community-staff"],
  Confirm: ["community-staff"],
  Withdraw: ["poster", "community-worker", "community-staff"],
  Cancel: ["community-staff"]
}

// -----------------------------------------------------------------------------
// errors
// -----------------------------------------------------------------------------

/**
 * 拒绝规则 — the rule a refused command breaks:
 *
 * - `wish-exists` a wish with this id is already posted; `wish-not-found` no wish yet;
 *   `wish-id` the command names another wish; `time-order` the command's `at` is before
 *   the wish's last event
 * - `status` the command is not allowed in the wish's status (see `transitions`);
 *   `already-claimed` the wish already has a claimant (the refusal names it)
 * - `role` the actor's role may not issue the command; `jurisdiction` right role, but for
 *   another community; `claimant` the actor is not the claimant; `poster` the actor did not
 *   post the wish
 * - `title-required`, `reason-required`, `evidence-required` a required text or evidence is
 *   missing or blank
 * - `estimated-value` the value is negative or not a finite number; `category` a category tag is blank
 *
 * @since 0.1.0
 * @category errors
 */
export const RefusalRule = Schema.Literal(
  "wish-exists",
  "wish-not-found",
  "wish-id",
  "time-order",
  "status",
  "already-claimed",
  "role",
  "jurisdiction",
  "claimant",
  "poster",
  "title-required",
  "reason-required",
  "evidence-required",
  "estimated-value",
  "category"
).annotations({ identifier: "MicroWishRefusalRule", title: "拒绝规则 refusal rule" })

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
}).annotations({ identifier: "MicroWishViolation", title: "违规项 violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Violation extends Schema.Schema.Type<typeof Violation> {}

/**
 * 指令被拒 — a refused command: the wish, its status (`"none"` before it
 * exists), the command, the actor's role, the first rule broken (`rule`), every
 * rule broken (`violations`) and — when the wish has one — its current
 * claimant.
 *
 * @since 0.1.0
 * @category errors
 */
export class MicroWishRefused extends Schema.TaggedError<MicroWishRefused>()("MicroWishRefused", {
  wishId: WishId,
  status: Schema.Union(Status, Schema.Literal("none")),
  command: CommandTag,
  role: Role,
  rule: RefusalRule,
  violations: Schema.NonEmptyArray(Violation),
  claimant: Schema.optionalWith(RecordedClaimant, { exact: true })
}) {
  override get message(): string {
    const status = this.status === "none" ? "none" : `${this.status} ${statusNames[this.status]}`
    return `micro-wish ${this.wishId} (${status}): ${commandNames[this.command].en} (${
      commandNames[this.command].zh
    }) refused — ${this.violations.map((v) => `[${v.rule}] ${v.message}`).join("; ")}`
  }
}

const replayRuleText = {
  "first-event": () => "a history starts with Posted (sequence 1), and only its first event is Posted",
  sequence: (e: { readonly sequence: number; readonly expected: number }) =>
    `sequence ${e.sequence}, expected ${e.expected} (sequences are gapless)`,
  "wish-id": () => "the event belongs to another wish than the one being replayed"
} as const

/**
 * 事件重放错误 — a strict replay met an event that does not continue the wish:
 * `first-event` the first event is not `Posted` with sequence 1, or a later one
 * is; `sequence` a gap or a repeat; `wish-id` another wish's event.
 *
 * @since 0.1.0
 * @category errors
 */
export class MicroWishReplayError extends Schema.TaggedError<MicroWishReplayError>()("MicroWishReplayError", {
  wishId: WishId,
  index: Schema.NonNegativeInt,
  sequence: Schema.Int,
  expected: Schema.Int,
  rule: Schema.Literal("first-event", "sequence", "wish-id")
}) {
  override get message(): string {
    return `event #${this.index} of micro-wish ${this.wishId}: ${replayRuleText[this.rule](this)}`
  }
}

/**
 * Any error of this module.
 *
 * @since 0.1.0
 * @category errors
 */
export type MicroWishError = MicroWishRefused | MicroWishReplayError

// -----------------------------------------------------------------------------
// decide
// -----------------------------------------------------------------------------

const violation = (rule: RefusalRule, message: string): Violation => ({ rule, message })

/** A text with its blanks trimmed, or undefined when missing or blank. */
const text = (s: string | undefined): string | undefined => {
  if (s === undefined) return undefined
  const t = s.trim()
  return t.length === 0 ? undefined : t
}

const verb = (tag: CommandTag): string => `${commandNames[tag].en} (${commandNames[tag].zh})`

const describeClaimant = (c: Claimant): string => `${c.label} (${claimantKindNames[c.kind]}, ${c.id})`

interface AuthorityContext {
  readonly communityId: UnitId
  readonly householdUnitId: UnitId
  readonly postedBy: ActorId | null
  readonly claimant: Claimant | null
  /** For `Claim`: who is being recorded as the claimant. */
  readonly claimFor: Claimant | null
}

type AuthorityCheck = "ok" | "role" | "jurisdiction" | "claimant" | "poster"

const checkAuthority = (authority: Authority, actor: Actor, ctx: AuthorityContext): AuthorityCheck => {
  switch (authority) {
    case "household":
      if (actor.role !== "resident") return "role"
      return actor.unitId === ctx.communityId || actor.unitId === ctx.householdUnitId ? "ok" : "jurisdiction"
    case "community-worker":
      if (actor.role !== "grid-worker") return "role"
      return actor.unitId === ctx.communityId ? "ok" : "jurisdiction"
    case "community-staff":
      if (actor.role !== "community-staff") return "role"
      return actor.unitId === ctx.communityId ? "ok" : "jurisdiction"
    case "self-claimant":
      if (actor.role === "system") return "role"
      return ctx.claimFor !== null && ctx.claimFor.id === actor.id ? "ok" : "claimant"
    case "claimant":
      return ctx.claimant !== null && ctx.claimant.id === actor.id ? "ok" : "claimant"
    case "poster":
      return ctx.postedBy !== null && ctx.postedBy === actor.id ? "ok" : "poster"
  }
}

const describeAuthority = (authority: Authority, ctx: AuthorityContext): string => {
  switch (authority) {
    case "household":
      return `the household itself (${roleNames.resident}, resident) of community ${ctx.communityId}`
    case "community-worker":
      return `a ${roleNames["grid-worker"]} (grid-worker) of community ${ctx.communityId}`
    case "community-staff":
      return `${roleNames["community-staff"]} (community-staff) of community ${ctx.communityId}`
    case "self-claimant":
      return "the claimant themself"
    case "claimant":
      return ctx.claimant === null
        ? "the claimant (there is none)"
        : `the claimant ${describeClaimant(ctx.claimant)}`
    case "poster":
      return ctx.postedBy === null ? "the poster" : `the poster ${ctx.postedBy}`
  }
}

const authorize = (tag: CommandTag, actor: Actor, ctx: AuthorityContext, out: Array<Violation>): void => {
  const allowed = authorities[tag]
  const checks = allowed.map((a) => checkAuthority(a, actor, ctx))
  if (checks.includes("ok")) return
  const needs = allowed.map((a) => describeAuthority(a, ctx)).join(" or ")
  const rule: RefusalRule = checks.includes("jurisdiction")
    ? "jurisdiction"
    : checks.includes("claimant")
      ? "claimant"
      : checks.includes("poster")
        ? "poster"
        : "role"
  const who = rule === "role" ? `role ${actor.role} (${roleNames[actor.role]})` : describeActor(actor)
  out.push(violation(rule, `${who} may not ${verb(tag)} this wish: it needs ${needs}`))
}

type Decision =
  | { readonly _tag: "Decided"; readonly events: ReadonlyArray<MicroWishEvent> }
  | { readonly _tag: "Refused"; readonly violations: readonly [Violation, ...Array<Violation>] }

const refused = (violations: ReadonlyArray<Violation>): Decision | undefined => {
  const [first, ...rest] = violations
  return first === undefined ? undefined : { _tag: "Refused", violations: [first, ...rest] }
}

const optionalText = <K extends "note" | "reason">(
  key: K,
  value: string | undefined
): Partial<Record<K, string>> => {
  const t = text(value)
  const out: Partial<Record<K, string>> = {}
  if (t !== undefined) out[key] = t
  return out
}

const checkPost = (command: Post, out: Array<Violation>): ReadonlyArray<string> => {
  if (text(command.title) === undefined) {
    out.push(violation("title-required", "a wish needs a title (心愿名称)"))
  }
  if (!Number.isFinite(command.estimatedValue) || command.estimatedValue < 0) {
    out.push(
      violation(
        "estimated-value",
        `the estimated value (预估价值) must be a non-negative number of yuan, got ${command.estimatedValue}`
      )
    )
  }
  const tags: Array<string> = []
  command.categories.forEach((raw, i) => {
    const tag = text(raw)
    if (tag === undefined) out.push(violation("category", `category tag #${i + 1} is blank`))
    else if (!tags.includes(tag)) tags.push(tag)
  })
  return tags
}

const decideWith = (command: MicroWishCommand, state: State): Decision => {
  const out: Array<Violation> = []
  const { actor, at } = command
  if (state._tag === "NoWish") {
    if (command._tag !== "Post") {
      return {
        _tag: "Refused",
        violations: [violation("wish-not-found", `no micro-wish ${command.wishId} has been posted`)]
      }
    }
    authorize(
      "Post",
      actor,
      {
        communityId: command.communityId,
        householdUnitId: command.household.unitId,
        postedBy: null,
        claimant: null,
        claimFor: null
      },
      out
    )
    const categories = checkPost(command, out)
    const refusal = refused(out)
    if (refusal !== undefined) return refusal
    const event: Posted = {
      _tag: "Posted",
      wishId: command.wishId,
      sequence: 1,
      at,
      actor,
      household: command.household,
      communityId: command.communityId,
      title: command.title.trim(),
      description: command.description.trim(),
      estimatedValue: command.estimatedValue,
      categories
    }
    return { _tag: "Decided", events: [event] }
  }

  const wish = state
  if (command.wishId !== wish.id) {
    out.push(violation("wish-id", `the command names wish ${command.wishId}, this is wish ${wish.id}`))
  }
  if (command._tag === "Post") {
    out.push(violation("wish-exists", `micro-wish ${wish.id} is already posted`))
    return refused(out) ?? { _tag: "Decided", events: [] }
  }
  if (DateTime.lessThan(at, wish.updatedAt)) {
    out.push(
      violation(
        "time-order",
        `the command is at ${DateTime.formatIso(at)}, before the wish's last event at ${DateTime.formatIso(wish.updatedAt)}`
      )
    )
  }
  if (command._tag === "Claim" && wish.status === "claimed" && wish.claimant !== null) {
    out.push(
      violation(
        "already-claimed",
        `micro-wish ${wish.id} is already claimed by ${describeClaimant(wish.claimant)}; one wish, one claimant (一个心愿一人认领)`
      )
    )
  } else if (!isAllowed(wish.status, command._tag)) {
    out.push(
      violation(
        "status",
        `${verb(command._tag)} is not allowed while the wish is ${wish.status} (${statusNames[wish.status]})`
      )
    )
  }
  authorize(
    command._tag,
    actor,
    {
      communityId: wish.communityId,
      householdUnitId: wish.household.unitId,
      postedBy: wish.postedBy,
      claimant: wish.claimant,
      claimFor: command._tag === "Claim" ? command.claimant : null
    },
    out
  )

  const base = { wishId: wish.id, sequence: wish.version + 1, at, actor }
  let event: MicroWishEvent | undefined
  switch (command._tag) {
    case "Claim":
      event = { _tag: "Claimed", ...base, claimant: command.claimant, ...optionalText("note", command.note) }
      break
    case "ReleaseClaim":
      if (wish.claimant !== null) {
        event = {
          _tag: "ClaimReleased",
          ...base,
          claimant: wish.claimant,
          ...optionalText("reason", command.reason)
        }
      }
      break
    case "Fulfil": {
      const evidence = command.evidence.map((e) => e.trim()).filter((e) => e.length > 0)
      const [first, ...rest] = evidence
      if (first === undefined || evidence.length !== command.evidence.length) {
        out.push(
          violation(
            "evidence-required",
            first === undefined
              ? "fulfilment needs evidence: at least one photo or receipt reference (照片/票据)"
              : "an evidence reference is blank"
          )
        )
      } else {
        event = {
          _tag: "Fulfilled",
          ...base,
          evidence: [first, ...rest],
          ...optionalText("note", command.note)
        }
      }
      break
    }
    case "Confirm":
      event = { _tag: "Confirmed", ...base, ...optionalText("note", command.note) }
      break
    case "Withdraw":
      event = { _tag: "Withdrawn", ...base, ...optionalText("reason", command.reason) }
      break
    case "Cancel": {
      const reason = text(command.reason)
      if (reason === undefined)
        out.push(violation("reason-required", "cancelling a wish needs a reason (取消原因)"))
      else event = { _tag: "Cancelled", ...base, reason }
      break
    }
  }
  const refusal = refused(out)
  if (refusal !== undefined) return refusal
  return event === undefined
    ? { _tag: "Refused", violations: [violation("status", `${verb(command._tag)} has nothing to act on`)] }
    : { _tag: "Decided", events: [event] }
}

/**
 * 决策 — checks a command against a state. Right: the events it causes,
 * numbered from `state.version + 1`. Left: a `MicroWishRefused` listing every
 * rule broken (and naming the current claimant, if any). Pure.
 *
 * @since 0.1.0
 * @category decider
 */
export const decide = (
  command: MicroWishCommand,
  state: State
): Either.Either<ReadonlyArray<MicroWishEvent>, MicroWishRefused> => {
  const decision = decideWith(command, state)
  if (decision._tag === "Decided") return Either.right(decision.events)
  const [first] = decision.violations
  const fields = {
    wishId: command.wishId,
    status: state._tag === "MicroWish" ? state.status : ("none" as const),
    command: command._tag,
    role: command.actor.role,
    rule: first.rule,
    violations: decision.violations
  }
  return Either.left(
    new MicroWishRefused(
      state._tag === "MicroWish" && state.claimant !== null ? { ...fields, claimant: state.claimant } : fields
    )
  )
}

// -----------------------------------------------------------------------------
// evolve
// -----------------------------------------------------------------------------

const continues = (state: State, event: MicroWishEvent): boolean =>
  state._tag === "NoWish"
    ? event._tag === "Posted" && event.sequence === 1
    : event._tag !== "Posted" && event.wishId === state.id && event.sequence === state.version + 1

const apply = (state: State, event: MicroWishEvent): State => {
  if (event._tag === "Posted") {
    return {
      _tag: "MicroWish",
      id: event.wishId,
      version: event.sequence,
      status: "posted",
      household: event.household,
      communityId: event.communityId,
      title: event.title,
      description: event.description,
      estimatedValue: event.estimatedValue,
      categories: event.categories,
      postedBy: event.actor.id,
      postedAt: event.at,
      claimant: null,
      claimedAt: null,
      evidence: [],
      fulfilledBy: null,
      fulfilledAt: null,
      confirmedBy: null,
      confirmedAt: null,
      endedAt: null,
      endReason: null,
      updatedAt: event.at
    }
  }
  if (state._tag === "NoWish") return state
  const next = { ...state, version: event.sequence, updatedAt: event.at }
  switch (event._tag) {
    case "Claimed":
      return { ...next, status: "claimed", claimant: event.claimant, claimedAt: event.at }
    case "ClaimReleased":
      return { ...next, status: "posted", claimant: null, claimedAt: null }
    case "Fulfilled":
      return {
        ...next,
        status: "fulfilled",
        evidence: event.evidence,
        fulfilledBy: event.actor.id,
        fulfilledAt: event.at
      }
    case "Confirmed":
      return { ...next, status: "confirmed", confirmedBy: event.actor.id, confirmedAt: event.at }
    case "Withdrawn":
      return { ...next, status: "withdrawn", endedAt: event.at, endReason: event.reason ?? null }
    case "Cancelled":
      return { ...next, status: "cancelled", endedAt: event.at, endReason: event.reason }
  }
}

/**
 * 演进 — applies one event. An event that does not continue the wish (another
 * wish's id, a sequence other than `version + 1`, anything but `Posted` with
 * sequence 1 on `initial`, or `Posted` again) leaves the state unchanged.
 * `evolve` applies facts; it does not re-check the rules `decide` enforced.
 *
 * @since 0.1.0
 * @category decider
 */
export const evolve = (state: State, event: MicroWishEvent): State =>
  continues(state, event) ? apply(state, event) : state

/**
 * 决策器 — the micro-wish as a `Decider` (initial, decide, evolve) for the
 * shared decider kit.
 *
 * @since 0.1.0
 * @category decider
 */
export const decider: Decider.Decider<MicroWishCommand, State, MicroWishEvent, MicroWishRefused> =
  Decider.make({
    initial,
    decide,
    evolve
  })

/**
 * 折叠 — the state a history leads to: `evolve` over the events from `initial`.
 *
 * @since 0.1.0
 * @category decider
 */
export const fold: (events: Iterable<MicroWishEvent>) => State = Decider.fold(decider)

/**
 * 重放 — the strict fold: the state a history leads to, or the first event that
 * does not continue the wish (a gap, a repeat, another wish's event, a second
 * `Posted`).
 *
 * @since 0.1.0
 * @category decider
 */
export const replay: (events: ReadonlyArray<MicroWishEvent>) => Either.Either<State, MicroWishReplayError> =
  Decider.replay(decider, {
    continues,
    broken: (state, event, index) => {
      const expected = state.version + 1
      const rule =
        (state._tag === "NoWish") !== (event._tag === "Posted")
          ? "first-event"
          : state._tag === "MicroWish" && event.wishId !== state.id
            ? "wish-id"
            : event.sequence !== expected
              ? "sequence"
              : "first-event"
      return new MicroWishReplayError({
        wishId: state._tag === "MicroWish" ? state.id : event.wishId,
        index,
        sequence: event.sequence,
        expected,
        rule
      })
    }
  })

/**
 * 执行 — `decide`, then `evolve` the state through the events: the events to
 * append and the state they lead to.
 *
 * @since 0.1.0
 * @category decider
 */
export const execute: (
  state: State,
  command: MicroWishCommand
) => Either.Either<
  { readonly events: ReadonlyArray<MicroWishEvent>; readonly state: State },
  MicroWishRefused
> = Decider.execute(decider)

// -----------------------------------------------------------------------------
// getters
// -----------------------------------------------------------------------------

/**
 * Whether a state holds a wish.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isWish = (state: State): state is MicroWish => state._tag === "MicroWish"

/**
 * Whether a wish is still open: posted or claimed (not yet fulfilled, withdrawn
 * or cancelled).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isOpen = (status: Status): boolean => status === "posted" || status === "claimed"

/**
 * Whether a status is an end: confirmed, withdrawn or cancelled — nothing more
 * can happen.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isEnd = (status: Status): boolean =>
  status === "confirmed" || status === "withdrawn" || status === "cancelled"
