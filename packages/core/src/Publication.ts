/**
 * 公开 — public disclosure: 居务公开, 政务公开, 财务公开, 党务公开 and rule
 * documents 村规民约 / 居民公约, per unit (scope), published and withdrawn with
 * a reason, kept on display for a retention period, never carrying personal
 * data; rule documents keep their versions, each adopted by a resolution.
 *
 * Sources: the Panlong district report (某区社区治理工作情况报告): "完善居务公开", "村务公开、民主管理、民主
 * 监督"; the Pingyi street report: "点击系统中的'政务公开'，每个村(社区)政务、财务一目了然，假公开、不公开
 * 的情况无处藏身" and "全面修订村规民约". The retention periods are configuration.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Instant from "./Instant.js"
import * as Privacy from "./Privacy.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"

/**
 * 公开类别 — `residents-affairs` 居务公开, `government-affairs` 政务公开,
 * `finance` 财务公开, `party-affairs` 党务公开, `rule-document` 村规民约/居民公约.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Category = Schema.Literal(
  "residents-affairs",
  "government-affairs",
  "finance",
  "party-affairs",
  "rule-document"
).annotations({ identifier: "PublicationCategory", title: "公开类别 publication category" })

/**
 * @since 0.1.0
 * @category models
 */
export type Category = typeof Category.Type

/**
 * Chinese names of the categories.
 *
 * @since 0.1.0
 * @category constants
 */
export const categoryNames: Readonly<Record<Category, string>> = {
  "residents-affairs": "居务公开",
  "government-affairs": "政务公开",
  finance: "财务公开",
  "party-affairs": "党务公开",
  "rule-document": "村规民约"
}

/**
 * English names of the categories.
 *
 * @since 0.1.0
 * @category constants
 */
export const categoryNamesEn: Readonly<Record<Category, string>> = {
  "residents-affairs": "residents' affairs",
  "government-affairs": "government affairs",
  finance: "finances",
  "party-affairs": "Party affairs",
  "rule-document": "village rules and residents' covenant"
}

/**
 * 默认公示期(天) — how long a publication stays on display by category. Local
 * practice: configure yours.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetentionDays: Readonly<Record<Category, number>> = {
  "residents-affairs": 90,
  "government-affairs": 365,
  finance: 365,
  "party-affairs": 365,
  "rule-document": 3650
}

/**
 * 公开内容 — what is published: scope (the unit whose residents it concerns),
 * category, title and body. No personal data: see {@link check}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Content = Schema.Struct({
  scope: UnitId,
  category: Category,
  title: Text.line(Text.limits.title),
  body: Text.Description
}).annotations({ identifier: "PublicationContent", title: "公开内容 publication content" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Content extends Schema.Schema.Type<typeof Content> {}

/**
 * 公开记录 — a publication: its content, when published, until when it is
 * kept on display, and — once withdrawn 撤回 — when and why.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Publication = Schema.Struct({
  ...Content.fields,
  publishedAt: Instant.DateTimeUtc,
  retainUntil: Instant.DateTimeUtc,
  withdrawnAt: Schema.optionalWith(Instant.DateTimeUtc, { exact: true }),
  withdrawReason: Schema.optionalWith(Text.Note, { exact: true })
}).annotations({ identifier: "Publication", title: "公开记录 publication" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Publication extends Schema.Schema.Type<typeof Publication> {}

/**
 * 公开规则 — why a publication is refused: `personal-data` 含个人信息 (a phone,
 * ID or e-mail number that `Privacy.scrub` would mask), `title-required`
 * 须有标题, `retention` 公示期须晚于发布时间, `already-withdrawn` 已撤回,
 * `reason-required` 须说明撤回原因.
 *
 * @since 0.1.0
 * @category errors
 */
export const PublicationRule = Schema.Literal(
  "personal-data",
  "title-required",
  "retention",
  "already-withdrawn",
  "reason-required"
).annotations({ identifier: "PublicationRule", title: "公开规则 publication rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type PublicationRule = typeof PublicationRule.Type

/**
 * 公开校验 — the rules a content breaks (empty when it may be published).
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (content: Content): ReadonlyArray<PublicationRule> => {
  const rules: Array<PublicationRule> = []
  if (content.title.trim().length === 0) rules.push("title-required")
  if (Privacy.scrub(content.title) !== content.title || Privacy.scrub(content.body) !== content.body) {
    rules.push("personal-data")
  }
  return rules
}

/**
 * 公示截止 — the default end of display: `at` plus the category's retention.
 *
 * @since 0.1.0
 * @category getters
 */
export const defaultRetainUntil = (category: Category, at: DateTime.Utc): DateTime.Utc =>
  DateTime.add(at, { days: defaultRetentionDays[category] })

/**
 * 发布 — a publication of `content` at `at`, on display until `retainUntil`
 * (default: the category's retention); or the rules it breaks.
 *
 * @since 0.1.0
 * @category constructors
 */
export const publish = (
  content: Content,
  at: DateTime.Utc,
  retainUntil?: DateTime.Utc
): Either.Either<Publication, ReadonlyArray<PublicationRule>> => {
  const until = retainUntil ?? defaultRetainUntil(content.category, at)
  const rules = [
    ...check(content),
    ...(DateTime.lessThanOrEqualTo(until, at) ? (["retention"] as const) : [])
  ]
  return rules.length > 0
    ? Either.left(rules)
    : Either.right({ ...content, publishedAt: at, retainUntil: until })
}

/**
 * 撤回 — withdraws a publication with a reason.
 *
 * @since 0.1.0
 * @category transitions
 */
export const withdraw = (
  self: Publication,
  at: DateTime.Utc,
  reason: string
): Either.Either<Publication, PublicationRule> => {
  if (self.withdrawnAt !== undefined) return Either.left("already-withdrawn")
  const r = reason.trim()
  if (r.length === 0) return Either.left("reason-required")
  return Either.right({ ...self, withdrawnAt: at, withdrawReason: r })
}

/**
 * 公示中 — whether the publication is on display at `now`: published, not
 * withdrawn, and within its retention.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isVisible = (self: Publication, now: DateTime.Utc): boolean =>
  self.withdrawnAt === undefined &&
  DateTime.lessThanOrEqualTo(self.publishedAt, now) &&
  DateTime.lessThanOrEqualTo(now, self.retainUntil)

// ---------------------------------------------------------------------------
// rule documents
// ---------------------------------------------------------------------------

/**
 * 规约版本 — one version of a rule document: its number (1, 2, …), its text,
 * the resolution that adopted it and when.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RuleVersion = Schema.Struct({
  version: Schema.Int.pipe(Schema.positive()),
  text: Text.Description,
  adoptedBy: Text.Id,
  adoptedAt: Instant.DateTimeUtc
}).annotations({ identifier: "RuleVersion", title: "规约版本 rule version" })

/**
 * @since 0.1.0
 * @category models
 */
export interface RuleVersion extends Schema.Schema.Type<typeof RuleVersion> {}

/**
 * 村规民约 / 居民公约 — a rule document of a unit with its versions, oldest
 * first.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RuleDocument = Schema.Struct({
  id: Text.Id,
  scope: UnitId,
  title: Text.line(Text.limits.title),
  versions: Schema.Array(RuleVersion).pipe(Schema.maxItems(1000))
}).annotations({ identifier: "RuleDocument", title: "村规民约 rule document" })

/**
 * @since 0.1.0
 * @category models
 */
export interface RuleDocument extends Schema.Schema.Type<typeof RuleDocument> {}

/**
 * 规约修订规则 — `time-order` 修订时间早于上一版本, `personal-data` 含个人信息,
 * `text-required` 须有条文.
 *
 * @since 0.1.0
 * @category errors
 */
export const RuleDocumentRule = Schema.Literal("time-order", "personal-data", "text-required").annotations({
  identifier: "RuleDocumentRule",
  title: "规约修订规则 rule document rule"
})

/**
 * @since 0.1.0
 * @category models
 */
export type RuleDocumentRule = typeof RuleDocumentRule.Type

/**
 * 修订通过 — adds the next version, adopted by the resolution `adoptedBy` at
 * `at` (not before the current version).
 *
 * @since 0.1.0
 * @category transitions
 */
export const adoptVersion = (
  self: RuleDocument,
  params: { readonly text: string; readonly adoptedBy: string; readonly at: DateTime.Utc }
): Either.Either<RuleDocument, RuleDocumentRule> => {
  const last = self.versions[self.versions.length - 1]
  if (params.text.trim().length === 0) return Either.left("text-required")
  if (Privacy.scrub(params.text) !== params.text) return Either.left("personal-data")
  if (last !== undefined && DateTime.lessThan(params.at, last.adoptedAt)) return Either.left("time-order")
  return Either.right({
    ...self,
    versions: [
      ...self.versions,
      {
        version: self.versions.length + 1,
        text: params.text,
        adoptedBy: params.adoptedBy,
        adoptedAt: params.at
      }
    ]
  })
}

/**
 * 现行版本 — the version in force at `at`: the last adopted at or before it.
 *
 * @since 0.1.0
 * @category getters
 */
export const versionAt = (self: RuleDocument, at: DateTime.Utc): RuleVersion | undefined => {
  let found: RuleVersion | undefined
  for (const v of self.versions) if (DateTime.lessThanOrEqualTo(v.adoptedAt, at)) found = v
  return found
}
