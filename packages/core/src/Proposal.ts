/**
 * 居民代表提案 — proposals: a topic raised by a resident representative (or by
 * the community from a problem or a case), co-signed 联名 by other
 * representatives, reaching the agenda 列入议程 once enough have signed, or
 * rejected 不予立项 with a reason.
 *
 * Source: the Panlong district report (某区社区治理工作情况报告): "标准了社区居委会会议制度和居民代表提案制度，
 * 完善居务公开" and, for where topics come from, "定时定点接待、民情恳谈、入户走访 … 听取并收集居民
 * 意见或建议". The co-signer threshold is local practice: configuration, 5 by
 * default.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { ActorId } from "./Actor.js"
import { ProblemId } from "./ProblemList.js"
import * as Text from "./Text.js"

/**
 * 议题来源 — where a topic comes from: a resident representative's proposal
 * 居民代表提案 (needs co-signers), a problem on the problem list 问题清单, a
 * case 案件, or a disclosure 公开事项 — a 财务公开 or 政务公开 notice that no
 * meeting produced, published as it is raised (`Deliberation.Disclose`) and
 * never deliberated.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Source = Schema.Union(
  Schema.TaggedStruct("ResidentProposal", {}),
  Schema.TaggedStruct("Problem", { problemId: ProblemId }),
  Schema.TaggedStruct("Case", { caseId: Text.Id }),
  Schema.TaggedStruct("Disclosure", {})
).annotations({ identifier: "TopicSource", title: "议题来源 topic source" })

/**
 * @since 0.1.0
 * @category models
 */
export type Source = typeof Source.Type

/**
 * 提案规则 — the number of co-signers 联名人数 a resident proposal needs to reach
 * the agenda (the proposer not counted) and, optionally, the roster of resident
 * representatives 居民代表名册: when given, only representatives on it may
 * propose and co-sign.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProposalRule = Schema.Struct({
  minCosigners: Schema.NonNegativeInt.pipe(Schema.lessThanOrEqualTo(1000)),
  representatives: Schema.optionalWith(Schema.Array(ActorId).pipe(Schema.maxItems(10_000)), { exact: true })
}).annotations({ identifier: "ProposalRule", title: "提案规则 proposal rule" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ProposalRule extends Schema.Schema.Type<typeof ProposalRule> {}

/**
 * 默认提案规则 — five co-signers (local practice; configure yours).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRule: ProposalRule = { minCosigners: 5 }

/**
 * 联名上限 — the most co-signers a proposal records.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxCosigners = 1000

/**
 * 联名规则 — why a proposal or a co-signature is refused: `self-cosign`
 * 提案人不能联名自己的提案, `already-cosigned` 已联名, `too-many-cosigners`
 * 联名人数已达上限, `not-representative` 不在居民代表名册.
 *
 * @since 0.1.0
 * @category errors
 */
export const CosignRule = Schema.Literal(
  "self-cosign",
  "already-cosigned",
  "too-many-cosigners",
  "not-representative"
).annotations({
  identifier: "CosignRule",
  title: "联名规则 co-sign rule"
})

/**
 * @since 0.1.0
 * @category models
 */
export type CosignRule = typeof CosignRule.Type

/**
 * The rule a co-signature by `cosigner` would break, if any.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkCosign = (
  proposer: ActorId,
  cosigners: ReadonlyArray<ActorId>,
  cosigner: ActorId,
  rule: ProposalRule = defaultRule
): CosignRule | undefined => {
  if (!isRepresentative(rule, cosigner)) return "not-representative"
  if (cosigner === proposer) return "self-cosign"
  if (cosigners.includes(cosigner)) return "already-cosigned"
  if (cosigners.length >= maxCosigners) return "too-many-cosigners"
  return undefined
}

/**
 * 居民代表 — whether `actor` may propose and co-sign under the rule: on the
 * roster, or anyone when the rule has no roster.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRepresentative = (rule: ProposalRule, actor: ActorId): boolean =>
  rule.representatives === undefined || rule.representatives.includes(actor)

/**
 * 达到立项门槛 — whether a topic may reach the agenda: a resident proposal
 * needs `minCosigners` co-signers; topics from a problem or a case are raised
 * by the community and need none; a disclosure never does.
 *
 * @since 0.1.0
 * @category predicates
 */
export const reachesAgenda = (source: Source, cosigners: number, rule: ProposalRule): boolean =>
  source._tag !== "Disclosure" && (source._tag !== "ResidentProposal" || cosigners >= rule.minCosigners)

/**
 * Re-exported for commands naming a co-signer.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CosignerId = ActorId
