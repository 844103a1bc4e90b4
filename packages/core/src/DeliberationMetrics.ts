/**
 * 议事协商指标 — indicators of community deliberation per unit and period:
 * meetings held 召开会议数, participation 参会率 and turnout 参与表决率, proposals
 * reaching the agenda 提案立项率, resolutions implemented on time 议定事项按期落实率
 * and publication timeliness 公开及时率.
 *
 * Every rate is a `Ratio` (numerator and denominator): no data is "no data",
 * never 0 % or 100 %; totals over units and rollups over a hierarchy add the
 * counts ({@link combine}, {@link rollup}), never average percentages.
 *
 * Counting (each topic counts once, in the unit it is scoped to):
 * - `meetingsHeld`: topics whose meeting was held in the period;
 * - `participation`: members present over members invited, summed over those
 *   meetings (guests 列席 out);
 * - `turnout`: valid ballots over the electorate, summed over the votes closed
 *   in the period;
 * - `proposalsOnAgenda`: resident proposals submitted in the period that
 *   reached the agenda, over the resident proposals submitted in the period;
 * - `resolutionsOnTime`: resolutions due in the period (their latest task
 *   deadline falls in it) that were implemented with every done task on time,
 *   over the resolutions due;
 * - `publicationTimely`: outcomes due for publication in the period
 *   (implemented, or a vote not carried) that were published within
 *   `publicationDays` (7 by default; local practice, configure yours), over
 *   the outcomes due.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import type * as Deliberation from "./Deliberation.js"
import * as Hierarchy from "./Hierarchy.js"
import * as PeriodLabel from "./Period.js"
import * as Ratio from "./Ratio.js"
import type { Unit, UnitId } from "./Unit.js"

/**
 * 统计期 — the half-open interval [start, end).
 *
 * @since 0.1.0
 * @category models
 */
export interface Period {
  readonly start: DateTime.Utc
  readonly end: DateTime.Utc
}

const yearLabel = /^(\d{4})年?$/

/**
 * 统计期标签 — the period a label spans: a year `2025` (or `2025年`: its
 * four quarters), or any `Period` label (`2025-Q1`, `2025-03`, `2025-W10`,
 * `2025-03-15`, `2025年第1季度` …), local dates at +08:00 unless
 * `utcOffsetMinutes` says otherwise. With `to` (a label too), the span from the
 * start of `label` to the end of `to`; `to` ending before `label` starts is
 * `PeriodLabelInvalid` on `to` (rule `to-before-period`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const spanOf = (
  label: string,
  to?: string,
  options?: PeriodLabel.OffsetOptions
): Either.Either<Period, PeriodLabel.PeriodLabelInvalid> => {
  const one = (text: string): Either.Either<Period, PeriodLabel.PeriodLabelInvalid> => {
    const year = yearLabel.exec(text.trim())
    if (year !== null) {
      const first = PeriodLabel.parse(`${year[1]}-Q1`, options)
      const last = PeriodLabel.parse(`${year[1]}-Q4`, options)
      return Either.zipWith(first, last, (a, b) => ({ start: PeriodLabel.start(a), end: PeriodLabel.end(b) }))
    }
    return Either.map(PeriodLabel.parse(text, options), (p) => ({
      start: PeriodLabel.start(p),
      end: PeriodLabel.end(p)
    }))
  }
  const from = one(label)
  if (to === undefined || Either.isLeft(from)) return from
  return Either.flatMap(one(to), (until) =>
    DateTime.lessThanOrEqualTo(until.end, from.right.start)
      ? Either.left(
          new PeriodLabel.PeriodLabelInvalid({
            label: to,
            reason: `ends before ${label} starts (rule to-before-period) — 截止周期早于起始周期`
          })
        )
      : Either.right({ start: from.right.start, end: until.end })
  )
}

/**
 * 议事协商指标 — the indicators of one unit (or a total).
 *
 * @since 0.1.0
 * @category models
 */
export interface Metrics {
  readonly meetingsHeld: number
  readonly participation: Ratio.Ratio
  readonly turnout: Ratio.Ratio
  readonly proposalsOnAgenda: Ratio.Ratio
  readonly resolutionsOnTime: Ratio.Ratio
  readonly publicationTimely: Ratio.Ratio
}

/**
 * 选项 — the publication window in days.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly publicationDays?: number
}

/**
 * 默认公开时限(天) — 7 days.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPublicationDays = 7

/**
 * No topics: zero meetings and no data.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty: Metrics = {
  meetingsHeld: 0,
  participation: Ratio.empty,
  turnout: Ratio.empty,
  proposalsOnAgenda: Ratio.empty,
  resolutionsOnTime: Ratio.empty,
  publicationTimely: Ratio.empty
}

/**
 * 合并 — adds two units' indicators (counts added).
 *
 * @since 0.1.0
 * @category combinators
 */
export const combine = (a: Metrics, b: Metrics): Metrics => ({
  meetingsHeld: a.meetingsHeld + b.meetingsHeld,
  participation: Ratio.add(a.participation, b.participation),
  turnout: Ratio.add(a.turnout, b.turnout),
  proposalsOnAgenda: Ratio.add(a.proposalsOnAgenda, b.proposalsOnAgenda),
  resolutionsOnTime: Ratio.add(a.resolutionsOnTime, b.resolutionsOnTime),
  publicationTimely: Ratio.add(a.publicationTimely, b.publicationTimely)
})

/**
 * The monoid of {@link combine} and {@link empty}.
 *
 * @since 0.1.0
 * @category instances
 */
export const Monoid: Hierarchy.Monoid<Metrics> = { empty, combine }

const within = (t: DateTime.Utc | null | undefined, period: Period): t is DateTime.Utc =>
  t !== null &&
  t !== undefined &&
  DateTime.lessThanOrEqualTo(period.start, t) &&
  DateTime.lessThan(t, period.end)

const lastDeadline = (topic: Deliberation.Topic): DateTime.Utc | undefined => {
  let last: DateTime.Utc | undefined
  for (const t of topic.tasks)
    if (last === undefined || DateTime.greaterThan(t.deadline, last)) last = t.deadline
  return last
}

/**
 * 单个议题的指标 — what one topic contributes to its unit in the period.
 *
 * @since 0.1.0
 * @category metrics
 */
export const ofTopic = (topic: Deliberation.Topic, period: Period, options: Options = {}): Metrics => {
  const days = options.publicationDays ?? defaultPublicationDays
  const held = topic.meeting !== null && within(topic.heldAt, period)
  const attendance = (() => {
    if (!held || topic.meeting === null) return Ratio.empty
    const present = new Set<string>(topic.meeting.attendees)
    const members = topic.meeting.invitees.filter((i) => i.member)
    return Ratio.make(members.filter((m) => present.has(m.id)).length, members.length)
  })()
  const turnout = topic.result !== null && within(topic.votedAt, period) ? topic.result.turnout : Ratio.empty
  const proposal =
    topic.source._tag === "ResidentProposal" && within(topic.submittedAt, period)
      ? Ratio.fromBoolean(topic.agendaAt !== null)
      : Ratio.empty
  const due = topic.resolvedAt === null ? undefined : lastDeadline(topic)
  const resolution = within(due, period)
    ? Ratio.fromBoolean(topic.implementedAt !== null && topic.implementedOnTime === true)
    : Ratio.empty
  const publishable =
    topic.implementedAt ??
    (topic.status === "not-carried" || topic.publication !== null ? topic.votedAt : null)
  const publication = within(publishable, period)
    ? Ratio.fromBoolean(
        topic.publication !== null &&
          DateTime.lessThanOrEqualTo(topic.publication.publishedAt, DateTime.add(publishable, { days }))
      )
    : Ratio.empty
  return {
    meetingsHeld: held ? 1 : 0,
    participation: attendance,
    turnout,
    proposalsOnAgenda: proposal,
    resolutionsOnTime: resolution,
    publicationTimely: publication
  }
}

/**
 * 分单元指标 — the indicators of each unit that has topics, from the topics
 * scoped to it (not its subtree: see {@link rollup}).
 *
 * @since 0.1.0
 * @category metrics
 */
export const byUnit = (
  topics: Iterable<Deliberation.Topic>,
  period: Period,
  options: Options = {}
): ReadonlyMap<UnitId, Metrics> => {
  const out = new Map<UnitId, Metrics>()
  for (const topic of topics) {
    out.set(topic.unitId, combine(out.get(topic.unitId) ?? empty, ofTopic(topic, period, options)))
  }
  return out
}

/**
 * 合计 — the indicators of all the topics together.
 *
 * @since 0.1.0
 * @category metrics
 */
export const total = (
  topics: Iterable<Deliberation.Topic>,
  period: Period,
  options: Options = {}
): Metrics => {
  let acc = empty
  for (const topic of topics) acc = combine(acc, ofTopic(topic, period, options))
  return acc
}

/**
 * 逐级汇总 — each unit's indicators over its subtree, counts added.
 *
 * @since 0.1.0
 * @category metrics
 */
export const rollup = <U extends Unit>(
  hierarchy: Hierarchy.Hierarchy<U>,
  byUnit: ReadonlyMap<UnitId, Metrics>
): Hierarchy.Totals<Metrics> => Hierarchy.rollup(hierarchy, (unit) => byUnit.get(unit.id) ?? empty, Monoid)
