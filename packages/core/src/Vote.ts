/**
 * 表决 — votes of community deliberation: who may vote (the electorate as a
 * rule), the options, the thresholds, the ballots and a result that anyone can
 * recompute from the ballots with the pure {@link tally}.
 *
 * Sources: the Panlong district report (某区社区治理工作情况报告) on 社区民主协商 and the
 * 居民代表提案 system; the practice of the Organic Law of Urban Residents'
 * Committees (居民会议 decisions by more than half of those present) and of
 * the Organic Law of Villagers' Committees (村民会议: more than half of the
 * adult villagers, or the representatives of two thirds of the households,
 * present; decisions by more than half of those present). Those numbers are
 * the defaults here; every one is configuration.
 *
 * - **Electorate** 选民范围: the basis (`household` 户代表, `representative` 居民代表,
 *   `owner` 业主, `resident` 居民), the roll of eligible voters with their
 *   household, and whether the rule is one vote per household 一户一票 — then
 *   a household's second ballot is a double vote whoever casts it.
 * - **Thresholds** 通过门槛: an approval fraction (`more-than` for 过半数,
 *   `at-least` for 三分之二以上 / 2/3 exactly passes) over a base (the ballots
 *   cast, or the whole electorate), and a minimum turnout 最低参与率. All the
 *   arithmetic is on integers: boundaries are exact.
 * - **Ballots** 选票: {@link checkBallot} refuses a ballot from someone not on
 *   the roll, for an unknown option, or a second one for the same counting key.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Ratio from "./Ratio.js"
import * as Text from "./Text.js"

// ---------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------

/**
 * 选民标识 — the id of a voter (a resident, a representative, an owner).
 *
 * @since 0.1.0
 * @category schemas
 */
export const VoterId = Text.Id.pipe(
  Schema.brand("VoterId"),
  Schema.annotations({ identifier: "VoterId", title: "选民标识 voter id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type VoterId = typeof VoterId.Type

/**
 * 户标识 — the household a voter belongs to.
 *
 * @since 0.1.0
 * @category schemas
 */
export const HouseholdKey = Text.Id.pipe(
  Schema.brand("HouseholdKey"),
  Schema.annotations({ identifier: "HouseholdKey", title: "户标识 household key" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type HouseholdKey = typeof HouseholdKey.Type

/**
 * 选项标识 — the id of an option, e.g. `"agree"` 同意, `"disagree"` 不同意,
 * `"abstain"` 弃权.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionId = Text.Id.pipe(
  Schema.brand("OptionId"),
  Schema.annotations({ identifier: "OptionId", title: "选项标识 option id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type OptionId = typeof OptionId.Type

/**
 * 选项 — an option with its label; `countsAsCast: false` marks an option such
 * as 弃权 that counts for turnout but not in a `cast` base; `rejects: true`
 * marks an option such as 不同意 whose carrying rejects the motion (see
 * {@link adopted}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const VoteOption = Schema.Struct({
  id: OptionId,
  label: Text.line(Text.limits.title),
  countsAsCast: Schema.optionalWith(Schema.Boolean, { exact: true }),
  rejects: Schema.optionalWith(Schema.Boolean, { exact: true })
}).annotations({ identifier: "VoteOption", title: "选项 option" })

/**
 * @since 0.1.0
 * @category models
 */
export interface VoteOption extends Schema.Schema.Type<typeof VoteOption> {}

/**
 * 选民基础 — `household` 户代表, `representative` 居民代表, `owner` 业主,
 * `resident` 居民.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ElectorateBasis = Schema.Literal("household", "representative", "owner", "resident").annotations(
  {
    identifier: "ElectorateBasis",
    title: "选民基础 electorate basis"
  }
)

/**
 * @since 0.1.0
 * @category models
 */
export type ElectorateBasis = typeof ElectorateBasis.Type

/**
 * Chinese names of the electorate bases.
 *
 * @since 0.1.0
 * @category constants
 */
export const basisNames: Readonly<Record<ElectorateBasis, string>> = {
  household: "户代表",
  representative: "居民代表",
  owner: "业主",
  resident: "居民"
}

/**
 * English names of the electorate bases.
 *
 * @since 0.1.0
 * @category constants
 */
export const basisNamesEn: Readonly<Record<ElectorateBasis, string>> = {
  household: "household representatives",
  representative: "resident representatives",
  owner: "owners",
  resident: "residents"
}

/**
 * 选民名册条目 — one eligible voter and the household they belong to.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Elector = Schema.Struct({
  voterId: VoterId,
  household: HouseholdKey
}).annotations({ identifier: "Elector", title: "选民 elector" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Elector extends Schema.Schema.Type<typeof Elector> {}

/**
 * 表决上限 — the most electors on a roll and options on a ballot paper.
 *
 * @since 0.1.0
 * @category constants
 */
export const limits = { electors: 100_000, options: 50 } as const

/**
 * 选民范围 — the electorate as a rule: the basis, the roll, and whether one
 * vote per household 一户一票 applies.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Electorate = Schema.Struct({
  basis: ElectorateBasis,
  onePerHousehold: Schema.Boolean,
  roll: Schema.Array(Elector).pipe(Schema.maxItems(limits.electors))
}).annotations({ identifier: "Electorate", title: "选民范围 electorate" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Electorate extends Schema.Schema.Type<typeof Electorate> {}

/**
 * 比例门槛 — a fraction `numerator/denominator`; `more-than` needs strictly
 * more (过半数: more than 1/2), `at-least` needs at least (三分之二以上: 2/3
 * exactly passes).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Fraction = Schema.Struct({
  numerator: Schema.NonNegativeInt.pipe(Schema.lessThanOrEqualTo(1000)),
  denominator: Schema.Int.pipe(Schema.between(1, 1000)),
  comparison: Schema.Literal("more-than", "at-least")
})
  .pipe(Schema.filter((f) => f.numerator <= f.denominator || "比例不得超过1 the fraction may not exceed 1"))
  .annotations({ identifier: "Fraction", title: "比例门槛 fraction" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Fraction extends Schema.Schema.Type<typeof Fraction> {}

/**
 * 过半数 — more than half.
 *
 * @since 0.1.0
 * @category constants
 */
export const simpleMajority: Fraction = { numerator: 1, denominator: 2, comparison: "more-than" }

/**
 * 三分之二以上 — at least two thirds.
 *
 * @since 0.1.0
 * @category constants
 */
export const twoThirds: Fraction = { numerator: 2, denominator: 3, comparison: "at-least" }

/**
 * 常用比例 — the approval fractions in use, with their Chinese and English
 * names: 过半数 (more than half) and 三分之二以上 (at least two thirds).
 *
 * @since 0.1.0
 * @category constants
 */
export const fractionPresets: ReadonlyArray<{
  readonly id: "simple-majority" | "two-thirds"
  readonly name: string
  readonly en: string
  readonly fraction: Fraction
}> = [
  { id: "simple-majority", name: "过半数", en: "more than half", fraction: simpleMajority },
  { id: "two-thirds", name: "三分之二以上", en: "at least two thirds", fraction: twoThirds }
]

/**
 * Names of the comparisons of a fraction, Chinese and English.
 *
 * @since 0.1.0
 * @category constants
 */
export const comparisonNames: Readonly<
  Record<Fraction["comparison"], { readonly name: string; readonly en: string }>
> = {
  "more-than": { name: "超过", en: "more than" },
  "at-least": { name: "不少于", en: "at least" }
}

/**
 * Names of the bases of a threshold, Chinese and English: `cast` 实际投票
 * (abstentions out), `electorate` 全体选民.
 *
 * @since 0.1.0
 * @category constants
 */
export const baseNames: Readonly<
  Record<"cast" | "electorate", { readonly name: string; readonly en: string }>
> = {
  cast: { name: "实际投票", en: "ballots cast" },
  electorate: { name: "全体选民", en: "the whole electorate" }
}

/**
 * 表决规则 — the approval fraction and its base (`cast` 实际投票, abstentions
 * out; or `electorate` 全体选民 / 全体户), and the minimum turnout (ballots
 * of any option over the electorate; `null` for none).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Threshold = Schema.Struct({
  approval: Fraction,
  base: Schema.Literal("cast", "electorate"),
  turnoutMinimum: Schema.NullOr(Fraction)
}).annotations({ identifier: "Threshold", title: "表决规则 threshold" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Threshold extends Schema.Schema.Type<typeof Threshold> {}

/**
 * 默认规则 — more than half of the ballots cast, with more than half of the
 * electorate taking part (居民会议 / 村民会议 practice).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultThreshold: Threshold = {
  approval: simpleMajority,
  base: "cast",
  turnoutMinimum: simpleMajority
}

/**
 * 表决规则全集 — electorate, options and threshold.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VoteRule = Schema.Struct({
  electorate: Electorate,
  options: Schema.Array(VoteOption).pipe(Schema.minItems(1), Schema.maxItems(limits.options)),
  threshold: Threshold
}).annotations({ identifier: "VoteRule", title: "表决规则 vote rule" })

/**
 * @since 0.1.0
 * @category models
 */
export interface VoteRule extends Schema.Schema.Type<typeof VoteRule> {}

/**
 * The standard options 同意 / 不同意 (rejects) / 弃权 (abstention outside a
 * `cast` base).
 *
 * @since 0.1.0
 * @category constants
 */
export const standardOptions: ReadonlyArray<VoteOption> = [
  { id: OptionId.make("agree"), label: "同意" },
  { id: OptionId.make("disagree"), label: "不同意", rejects: true },
  { id: OptionId.make("abstain"), label: "弃权", countsAsCast: false }
]

/**
 * 选票 — one ballot: the voter and the option chosen. Ballots are not secret
 * here: the list is what makes the result recomputable (a secret ballot is an
 * adapter's concern: it stores the counting key, not the name).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Ballot = Schema.Struct({
  voterId: VoterId,
  option: OptionId
}).annotations({ identifier: "Ballot", title: "选票 ballot" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Ballot extends Schema.Schema.Type<typeof Ballot> {}

/**
 * 规则校验项 — what makes a vote rule inconsistent: `empty-electorate` 选民名册为空,
 * `duplicate-voter` 选民重复, `duplicate-option` 选项重复, `no-counted-option`
 * 无计票选项 (every option is an abstention).
 *
 * @since 0.1.0
 * @category validation
 */
export const RuleProblem = Schema.Literal(
  "empty-electorate",
  "duplicate-voter",
  "duplicate-option",
  "no-counted-option"
).annotations({ identifier: "VoteRuleProblem", title: "规则校验项 vote rule problem" })

/**
 * @since 0.1.0
 * @category models
 */
export type RuleProblem = typeof RuleProblem.Type

/**
 * 规则校验 — every problem of a vote rule (empty when it may be used).
 *
 * @since 0.1.0
 * @category validation
 */
export const checkRule = (rule: VoteRule): ReadonlyArray<RuleProblem> => {
  const problems: Array<RuleProblem> = []
  if (rule.electorate.roll.length === 0) problems.push("empty-electorate")
  if (new Set(rule.electorate.roll.map((e) => e.voterId)).size !== rule.electorate.roll.length) {
    problems.push("duplicate-voter")
  }
  if (new Set(rule.options.map((o) => o.id)).size !== rule.options.length) problems.push("duplicate-option")
  if (!rule.options.some((o) => o.countsAsCast !== false)) problems.push("no-counted-option")
  return problems
}

// ---------------------------------------------------------------------------
// ballots
// ---------------------------------------------------------------------------

/**
 * 选票规则 — why a ballot is refused: `not-eligible` 不在选民名册,
 * `double-vote` 重复投票 (the voter — or under 一户一票 the household — has
 * voted), `unknown-option` 选项不存在.
 *
 * @since 0.1.0
 * @category errors
 */
export const BallotRule = Schema.Literal("not-eligible", "double-vote", "unknown-option").annotations({
  identifier: "BallotRule",
  title: "选票规则 ballot rule"
})

/**
 * @since 0.1.0
 * @category models
 */
export type BallotRule = typeof BallotRule.Type

const ballotRuleText: Readonly<Record<BallotRule, string>> = {
  "not-eligible": "不在选民名册: the voter is not on the electoral roll",
  "double-vote": "重复投票: the voter (or, one vote per household, the household) has already voted",
  "unknown-option": "选项不存在: the option is not on the ballot paper"
}

/**
 * 选票无效 — a refused ballot: the voter, the option and the rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class BallotRefused extends Schema.TaggedError<BallotRefused>()("BallotRefused", {
  voterId: VoterId,
  option: OptionId,
  rule: BallotRule
}) {
  override get message(): string {
    return `ballot of ${this.voterId} for "${this.option}" refused — [${this.rule}] ${ballotRuleText[this.rule]}`
  }
}

/**
 * 计票键 — what one vote is counted by: the household under 一户一票, else the
 * voter; undefined when the voter is not on the roll.
 *
 * @since 0.1.0
 * @category getters
 */
export const countingKey = (electorate: Electorate, voterId: string): string | undefined => {
  const elector = electorate.roll.find((e) => e.voterId === voterId)
  if (elector === undefined) return undefined
  return electorate.onePerHousehold ? `h:${elector.household}` : `v:${elector.voterId}`
}

/**
 * 应投票数 — the size of the electorate in votes: households under 一户一票,
 * else distinct voters.
 *
 * @since 0.1.0
 * @category getters
 */
export const electorateSize = (electorate: Electorate): number => {
  const keys = new Set<string>()
  for (const e of electorate.roll)
    keys.add(electorate.onePerHousehold ? `h:${e.household}` : `v:${e.voterId}`)
  return keys.size
}

/**
 * 验票 — checks one ballot against the rule and the ballots already accepted
 * (in order): on the roll, a known option, and no earlier ballot with the same
 * counting key.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkBallot = (
  rule: VoteRule,
  accepted: ReadonlyArray<Ballot>,
  ballot: Ballot
): Either.Either<Ballot, BallotRefused> => {
  const refuse = (r: BallotRule) =>
    Either.left(new BallotRefused({ voterId: ballot.voterId, option: ballot.option, rule: r }))
  const index = keyIndex(rule.electorate)
  const key = index.get(ballot.voterId)
  if (key === undefined) return refuse("not-eligible")
  if (!rule.options.some((o) => o.id === ballot.option)) return refuse("unknown-option")
  if (accepted.some((b) => index.get(b.voterId) === key)) return refuse("double-vote")
  return Either.right(ballot)
}

const keyIndex = (electorate: Electorate): ReadonlyMap<string, string> => {
  const index = new Map<string, string>()
  for (const e of electorate.roll) {
    if (!index.has(e.voterId)) {
      index.set(e.voterId, electorate.onePerHousehold ? `h:${e.household}` : `v:${e.voterId}`)
    }
  }
  return index
}

// ---------------------------------------------------------------------------
// tally
// ---------------------------------------------------------------------------

/**
 * 票数 — the ballots for one option.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionCount = Schema.Struct({
  option: OptionId,
  votes: Schema.NonNegativeInt
}).annotations({ identifier: "OptionCount", title: "票数 option count" })

/**
 * @since 0.1.0
 * @category models
 */
export interface OptionCount extends Schema.Schema.Type<typeof OptionCount> {}

/**
 * 表决结果 — the counts per option (in the rule's option order), the turnout
 * (valid ballots over the electorate), the approval base, whether the turnout
 * minimum is met, and the carried option: the one option whose votes meet the
 * approval fraction of the base when the turnout is met (`null` when none or
 * more than one does). `ignored` counts ballots that a correct ballot box
 * would have refused (not on the roll, unknown option, second vote): they do
 * not count.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Result = Schema.Struct({
  counts: Schema.Array(OptionCount),
  turnout: Ratio.Ratio,
  base: Schema.NonNegativeInt,
  turnoutMet: Schema.Boolean,
  carried: Schema.NullOr(OptionId),
  ignored: Schema.NonNegativeInt
}).annotations({ identifier: "VoteResult", title: "表决结果 vote result" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Result extends Schema.Schema.Type<typeof Result> {}

/**
 * 达到比例 — whether `part` meets the fraction of `whole`, in integers:
 * `part/whole > n/d` as `part·d > n·whole`, `≥` likewise. A zero whole meets
 * nothing.
 *
 * @since 0.1.0
 * @category predicates
 */
export const meets = (part: number, whole: number, fraction: Fraction): boolean => {
  if (whole <= 0) return false
  const lhs = part * fraction.denominator
  const rhs = fraction.numerator * whole
  return fraction.comparison === "more-than" ? lhs > rhs : lhs >= rhs
}

/**
 * 计票 — the result of a vote from its ballots alone: each ballot counted
 * once by its counting key (the first ballot wins; later ones, off-roll
 * ballots and unknown options are `ignored`), then the thresholds. Pure and
 * deterministic: anyone holding the rule and the ballots gets the same
 * result.
 *
 * @since 0.1.0
 * @category tally
 */
export const tally = (ballots: ReadonlyArray<Ballot>, rule: VoteRule): Result => {
  const votes = new Map<string, number>(rule.options.map((o) => [o.id, 0]))
  const seen = new Set<string>()
  const electorIndex = keyIndex(rule.electorate)
  let ignored = 0
  let valid = 0
  for (const b of ballots) {
    const key = electorIndex.get(b.voterId)
    const current = votes.get(b.option)
    if (key === undefined || current === undefined || seen.has(key)) {
      ignored++
      continue
    }
    seen.add(key)
    votes.set(b.option, current + 1)
    valid++
  }
  const size = electorateSize(rule.electorate)
  const counts = rule.options.map((o) => ({ option: o.id, votes: votes.get(o.id) ?? 0 }))
  const cast = rule.options.reduce((n, o) => (o.countsAsCast === false ? n : n + (votes.get(o.id) ?? 0)), 0)
  const base = rule.threshold.base === "cast" ? cast : size
  const turnoutMet =
    rule.threshold.turnoutMinimum === null ? true : meets(valid, size, rule.threshold.turnoutMinimum)
  const carriers = turnoutMet
    ? rule.options.filter(
        (o) => o.countsAsCast !== false && meets(votes.get(o.id) ?? 0, base, rule.threshold.approval)
      )
    : []
  return {
    counts,
    turnout: Ratio.make(valid, size),
    base,
    turnoutMet,
    carried: carriers.length === 1 ? (carriers[0]?.id ?? null) : null,
    ignored
  }
}

/**
 * Whether two results are the same (counts, turnout, base, carried, ignored).
 *
 * @since 0.1.0
 * @category predicates
 */
export const sameResult = (a: Result, b: Result): boolean =>
  a.base === b.base &&
  a.turnoutMet === b.turnoutMet &&
  a.carried === b.carried &&
  a.ignored === b.ignored &&
  a.turnout.numerator === b.turnout.numerator &&
  a.turnout.denominator === b.turnout.denominator &&
  a.counts.length === b.counts.length &&
  a.counts.every((c, i) => c.option === b.counts[i]?.option && c.votes === b.counts[i]?.votes)

/**
 * 表决通过 — whether the vote adopts the motion: an option carried, and it is
 * not one that rejects the motion (不同意). With several plans on the paper
 * (方案一/方案二), the carried plan is adopted.
 *
 * @since 0.1.0
 * @category predicates
 */
export const adopted = (result: Result, rule: VoteRule): boolean =>
  result.carried !== null && rule.options.some((o) => o.id === result.carried && o.rejects !== true)
