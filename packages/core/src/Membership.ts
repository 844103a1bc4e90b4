/**
 * 党员组织关系与双报到 — party members' memberships: the branch that holds a
 * member's organisational relation (组织关系) and the branches a member reports
 * to (报到). The public-rental-housing community report's "深化党员'双报到双服务'"
 * and the Panlong district report's "机关在职党员以支部为单位到社区(村)报到": an
 * in-service member keeps the relation in the home organisation (their
 * employer's branch) and reports to the branch where they live; the community
 * experience report's compound branches "将…居住的在职党员…纳入支部管理".
 *
 * A person holds at most one relation at a time; a report names the home
 * organisation. {@link check} reports every breach.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { BodyId } from "./Body.js"
import { PersonId } from "./Staffing.js"
import { LocalDate } from "./WorkingCalendar.js"

/**
 * 关系类别 — `relation` 组织关系 (the branch that holds the member) or
 * `reported` 报到 (a branch the member reports to, 双报到).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MembershipKind = Schema.Literal("relation", "reported").annotations({
  identifier: "MembershipKind",
  title: "关系类别 membership kind",
  description: "relation 组织关系 | reported 报到"
})

/**
 * @since 0.1.0
 * @category models
 */
export type MembershipKind = typeof MembershipKind.Type

/**
 * 党员关系 — a person's membership of a party body from `since` to `until`
 * (inclusive); a report names the home organisation (工作单位党组织).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Membership = Schema.Struct({
  personId: PersonId,
  /** 所在党组织 — the branch. */
  bodyId: BodyId,
  kind: MembershipKind,
  /** 原单位党组织 — for a report, the organisation that holds the relation. */
  homeBodyId: Schema.optionalWith(BodyId, { exact: true }),
  since: LocalDate,
  until: Schema.optionalWith(LocalDate, { exact: true })
}).annotations({ identifier: "Membership", title: "党员关系 membership" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Membership extends Schema.Schema.Type<typeof Membership> {}

/**
 * Whether a membership holds on a day.
 *
 * @since 0.1.0
 * @category predicates
 */
export const heldOn = (m: Membership, day: LocalDate): boolean =>
  m.since <= day && (m.until === undefined || day <= m.until)

/**
 * The members of a body on a day (relation or report; sorted, distinct).
 *
 * @since 0.1.0
 * @category getters
 */
export const membersOn = (
  memberships: ReadonlyArray<Membership>,
  bodyId: BodyId,
  day: LocalDate
): ReadonlyArray<PersonId> =>
  [...new Set(memberships.filter((m) => m.bodyId === bodyId && heldOn(m, day)).map((m) => m.personId))].sort()

/**
 * 双报到党员 — the people who on a day both hold a relation and report to
 * another branch (sorted).
 *
 * @since 0.1.0
 * @category getters
 */
export const dualReportedOn = (
  memberships: ReadonlyArray<Membership>,
  day: LocalDate
): ReadonlyArray<PersonId> => {
  const relation = new Map<PersonId, Set<BodyId>>()
  const reported = new Map<PersonId, Set<BodyId>>()
  for (const m of memberships) {
    if (!heldOn(m, day)) continue
    const into = m.kind === "relation" ? relation : reported
    const set = into.get(m.personId) ?? new Set<BodyId>()
    set.add(m.bodyId)
    into.set(m.personId, set)
  }
  const out: Array<PersonId> = []
  for (const [person, branches] of reported) {
    const home = relation.get(person)
    if (home !== undefined && [...branches].some((b) => !home.has(b))) out.push(person)
  }
  return out.sort()
}

/**
 * The rule a membership breaks: `several-relations` (two relations overlap in
 * time), `reported-without-home` (a report without its home organisation),
 * `report-to-home` (a report to the branch that holds the relation),
 * `term-reversed` (`until` before `since`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MembershipRule = Schema.Literal(
  "several-relations",
  "reported-without-home",
  "report-to-home",
  "term-reversed"
).annotations({ identifier: "MembershipRule", title: "党员关系规则 membership rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type MembershipRule = typeof MembershipRule.Type

const ruleText: Readonly<Record<MembershipRule, { readonly zh: string; readonly en: string }>> = {
  "several-relations": { zh: "同时有多个组织关系", en: "holds several relations at once" },
  "reported-without-home": {
    zh: "报到未注明原单位党组织",
    en: "reports without naming the home organisation"
  },
  "report-to-home": { zh: "向组织关系所在支部报到", en: "reports to the branch that holds the relation" },
  "term-reversed": { zh: "终止日期早于起始日期", en: "ends before it starts" }
}

/**
 * 党员关系违规 — a breach of the membership rules, naming the person and the
 * bodies concerned.
 *
 * @since 0.1.0
 * @category errors
 */
export class MembershipViolation extends Schema.TaggedError<MembershipViolation>()("MembershipViolation", {
  rule: MembershipRule,
  personId: PersonId,
  bodyIds: Schema.Array(BodyId)
}) {
  override get message(): string {
    const t = ruleText[this.rule]
    const bodies = this.bodyIds.join(", ")
    return `党员 ${this.personId} ${t.zh}（${bodies}） — party member ${this.personId} ${t.en} (${bodies}) [${this.rule}]`
  }
}

/**
 * Checks memberships; returns every breach (sorted by person, then rule).
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (memberships: ReadonlyArray<Membership>): ReadonlyArray<MembershipViolation> => {
  const out: Array<MembershipViolation> = []
  const relations = memberships.filter((m) => m.kind === "relation")
  const reported = new Set<string>()
  for (let i = 0; i < relations.length; i++) {
    for (let j = i + 1; j < relations.length; j++) {
      const a = relations[i] as Membership
      const b = relations[j] as Membership
      if (a.personId !== b.personId) continue
      const meet =
        (a.until === undefined || b.since <= a.until) && (b.until === undefined || a.since <= b.until)
      const key = `${a.personId}`
      if (meet && !reported.has(key)) {
        reported.add(key)
        const bodies = [
          ...new Set(relations.filter((m) => m.personId === a.personId).map((m) => m.bodyId))
        ].sort()
        out.push(
          new MembershipViolation({ rule: "several-relations", personId: a.personId, bodyIds: bodies })
        )
      }
    }
  }
  for (const m of memberships) {
    if (m.until !== undefined && m.until < m.since) {
      out.push(new MembershipViolation({ rule: "term-reversed", personId: m.personId, bodyIds: [m.bodyId] }))
    }
    if (m.kind !== "reported") continue
    if (m.homeBodyId === undefined) {
      out.push(
        new MembershipViolation({ rule: "reported-without-home", personId: m.personId, bodyIds: [m.bodyId] })
      )
    } else if (m.homeBodyId === m.bodyId) {
      out.push(new MembershipViolation({ rule: "report-to-home", personId: m.personId, bodyIds: [m.bodyId] }))
    }
  }
  return out.sort((a, b) =>
    a.personId < b.personId
      ? -1
      : a.personId > b.personId
        ? 1
        : a.rule < b.rule
          ? -1
          : a.rule > b.rule
            ? 1
            : 0
  )
}
