/**
 * 月度考核 — a district's monthly scorecard from its case ledger, with the
 * core only: the indicators of every street and community for the month
 * (`Indicator.compute`, judged at the month's end on the working calendar —
 * holidays and make-up working days count), a composite score from a
 * weighted profile (`Score.score`), a grade A–E, rankings that leave units
 * below the minimum sample unranked (`Score.rank`), and the district roll-up.
 *
 * Roll-ups add numerators and denominators up the hierarchy (the `Ratio`
 * monoid): the district's 受理办结率 is all its communities' 办结数 over all
 * their 受理数, never the mean of their rates.
 *
 * @since 0.1.0
 */
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as Indicator from "@civicgrid/core/Indicator"
import * as Period from "@civicgrid/core/Period"
import * as Ratio from "@civicgrid/core/Ratio"
import * as Score from "@civicgrid/core/Score"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import type * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import type * as Csv from "@civicgrid/ledger/Csv"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as CaseLedger from "./caseLedger.js"
import * as Units from "./units.js"

// -----------------------------------------------------------------------------
// configuration
// -----------------------------------------------------------------------------

/**
 * 月度考核方案 — the example's profile (configuration; copy and adjust to the
 * local 考核办法): 受理办结率 20 (rate × 100), 按期结案率 30 and 满意率 25 (full
 * marks at 95%, 2 points off per percentage point short), 返工率 15 (full
 * marks up to 5%, 3 points off per point above), 按时立案率 10 (rate × 100).
 * The ids are the `Indicator` ids, so a unit's `Indicators` are scored as
 * they are.
 *
 * @since 0.1.0
 * @category constants
 */
export const monthlyProfile: Score.Profile = {
  id: "monthly-scorecard",
  name: "月度考核（示例方案）",
  indicators: [
    {
      id: "acceptance-closure",
      name: "受理办结率",
      nameEn: "acceptance closure rate",
      weight: 20,
      scoring: Score.linear()
    },
    {
      id: "on-time-closure",
      name: "按期结案率",
      nameEn: "on-time closure rate",
      weight: 30,
      scoring: Score.deduct(0.95, 2)
    },
    {
      id: "rework",
      name: "返工率",
      nameEn: "rework rate",
      weight: 15,
      scoring: Score.deduct(0.05, 3, "lower-is-better")
    },
    {
      id: "satisfaction",
      name: "满意率",
      nameEn: "satisfaction rate",
      weight: 25,
      scoring: Score.deduct(0.95, 2)
    },
    {
      id: "on-time-filing",
      name: "按时立案率",
      nameEn: "on-time filing rate",
      weight: 10,
      scoring: Score.linear()
    }
  ],
  weights: "sum-to-100",
  missing: "exclude"
}

/**
 * 展示指标 — the indicators in the tables: the profile's, plus 按期处置率.
 *
 * @since 0.1.0
 * @category constants
 */
export const shownIndicators: ReadonlyArray<Indicator.IndicatorId> = [
  "acceptance-closure",
  "on-time-closure",
  "on-time-handling",
  "rework",
  "satisfaction",
  "on-time-filing"
]

/**
 * 样本量 — the sample a unit is ranked on: its 应结案数 (the denominator of
 * 按期结案率: cases whose closure was due, or came, in the month).
 *
 * @since 0.1.0
 * @category getters
 */
export const sampleOf = (indicators: Indicator.Indicators): number =>
  indicators["on-time-closure"].denominator

/**
 * Options, each with its default: the working calendar (`WorkingCalendar.china()`,
 * official holidays and make-up days), the time limits
 * (`TimeLimit.defaultPolicy`), the profile (`monthlyProfile`), the grade
 * bands (A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, else E), the minimum sample for
 * ranking (`Score.defaultMinSample`, 30 cases due), and 满意率's k for
 * 基本满意 (1).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly calendar?: WorkingCalendar.WorkingCalendar
  readonly timeLimits?: TimeLimit.TimeLimitPolicy
  readonly profile?: Score.Profile
  readonly gradeBands?: Score.GradeBands
  readonly minSample?: number
  readonly basicWeight?: number
}

// -----------------------------------------------------------------------------
// the scorecard
// -----------------------------------------------------------------------------

/**
 * 单位考核 — one unit's month: its indicators (its subtree's totals), its
 * sample (应结案数), its composite score and grade (none without data).
 *
 * @since 0.1.0
 * @category models
 */
export interface UnitCard {
  readonly unit: Unit.Unit
  readonly indicators: Indicator.Indicators
  readonly sample: number
  readonly score: Score.CompositeScore
  readonly grade: Option.Option<string>
}

/**
 * 排名 — a card with its rank (none: unranked) and why (`ranked`,
 * `below-minimum-sample` 样本不足, `no-data` 无数据).
 *
 * @since 0.1.0
 * @category models
 */
export interface RankedCard {
  readonly card: UnitCard
  readonly rank: Option.Option<number>
  readonly status: Score.RankStatus
}

/**
 * 月度考核结果 — the month, the instant it was judged at (the month's last
 * millisecond), the district roll-up, the streets and communities ranked
 * (each community with its street), and the cases not fully counted.
 *
 * @since 0.1.0
 * @category models
 */
export interface Scorecard {
  readonly month: Period.Period
  readonly asOf: DateTime.Utc
  readonly profile: Score.Profile
  readonly minSample: number
  readonly gradeBands: Score.GradeBands
  readonly district: UnitCard
  readonly streets: ReadonlyArray<RankedCard>
  readonly communities: ReadonlyArray<RankedCard & { readonly street: Option.Option<Unit.Unit> }>
  /** 台账案件数 — the cases in the ledger (all months). */
  readonly ledgerCases: number
  /** 本月上报 — the cases reported in the month. */
  readonly reportedInMonth: number
  readonly unjudged: ReadonlyArray<Indicator.Unjudged>
  readonly skipped: ReadonlyArray<Indicator.Skipped>
}

/**
 * The errors of computing a scorecard from valid inputs: invalid indicator
 * options, profile or grade bands.
 *
 * @since 0.1.0
 * @category errors
 */
export type ComputeError = Indicator.IndicatorOptionsInvalid | Score.ProfileInvalid | Score.GradeBandsInvalid

/**
 * 计算月度考核 — the scorecard of `month` for the district from its case
 * events. Pure and deterministic.
 *
 * @since 0.1.0
 * @category computing
 */
export const compute = (input: {
  readonly district: Units.District
  readonly events: ReadonlyArray<CaseEvent>
  readonly month: Period.Period
  readonly options?: Options
}): Either.Either<Scorecard, ComputeError> => {
  const options = input.options ?? {}
  const { district, month } = input
  const gradeBands = options.gradeBands ?? Score.defaultGradeBands
  const minSample = options.minSample ?? Score.defaultMinSample
  const asOf = DateTime.unsafeMake(Period.end(month).epochMillis - 1)
  return Either.gen(function* () {
    const profile = yield* Score.validateProfile(options.profile ?? monthlyProfile)
    yield* Score.validateGradeBands(gradeBands)
    const report = yield* Indicator.compute({
      hierarchy: district.hierarchy,
      timeLimits: options.timeLimits ?? TimeLimit.defaultPolicy,
      calendar: options.calendar ?? WorkingCalendar.china(),
      granularity: "month",
      asOf,
      events: input.events,
      options: {
        utcOffsetMinutes: month.utcOffsetMinutes,
        ...(options.basicWeight === undefined ? {} : { basicWeight: options.basicWeight })
      }
    })
    const cardOf = (unit: Unit.Unit): UnitCard => {
      const indicators = Option.getOrElse(report.get(unit.id, month), () => Indicator.empty)
      const score = Score.score(profile, indicators)
      return {
        unit,
        indicators,
        sample: sampleOf(indicators),
        score,
        grade: Option.map(score.score, (s) => Score.grade(s, gradeBands))
      }
    }
    const ranked = <E extends { readonly card: UnitCard }>(entries: ReadonlyArray<E>) =>
      Score.rank(
        entries.map((e) => ({
          ...e,
          id: e.card.unit.id,
          score: e.card.score.score,
          sampleSize: e.card.sample
        })),
        { minSample }
      ).map(({ entry, rank, status }) => ({ ...entry, rank, status }))
    const monthStart = Period.start(month).epochMillis
    const monthEnd = Period.end(month).epochMillis
    let reportedInMonth = 0
    let ledgerCases = 0
    for (const e of input.events) {
      if (e._tag !== "Reported") continue
      ledgerCases++
      if (e.at.epochMillis >= monthStart && e.at.epochMillis < monthEnd) reportedInMonth++
    }
    return {
      month,
      asOf,
      profile,
      minSample,
      gradeBands,
      district: cardOf(district.district),
      streets: ranked(district.streets.map((unit) => ({ card: cardOf(unit) }))),
      communities: ranked(
        district.communities.map((unit) => ({
          card: cardOf(unit),
          street: Option.fromNullable(district.streetOf.get(unit.id))
        }))
      ),
      ledgerCases,
      reportedInMonth,
      unjudged: report.unjudged,
      skipped: report.skipped
    }
  })
}

/**
 * The errors of `scorecard`: a bad ledger (`LedgerImportError`, naming each
 * bad cell's row and column), a file that is not CSV, an invalid hierarchy,
 * or invalid configuration.
 *
 * @since 0.1.0
 * @category errors
 */
export type ScorecardError =
  | Units.DistrictError
  | Ledger.LedgerImportError
  | Csv.CsvSyntaxError
  | ComputeError

/**
 * 月度考核（纯函数） — reads the unit ledger and the case ledger (CSV text or
 * bytes) and computes the month's scorecard. Everything the program prints
 * comes from this value; it does no I/O.
 *
 * @since 0.1.0
 * @category computing
 */
export const scorecard = (input: {
  readonly units: string | Uint8Array
  readonly cases: string | Uint8Array
  readonly month: Period.Period
  readonly options?: Options
}): Either.Either<Scorecard, ScorecardError> =>
  Either.gen(function* () {
    const district = yield* Units.read(input.units)
    const ledger = yield* CaseLedger.read({ district }, input.cases)
    return yield* compute({
      district,
      events: ledger.events,
      month: input.month,
      ...(input.options === undefined ? {} : { options: input.options })
    })
  })

// -----------------------------------------------------------------------------
// rendering
// -----------------------------------------------------------------------------

const pad = (text: string, width: number, align: "left" | "right" = "left"): string => {
  const fill = " ".repeat(Math.max(0, width - Ledger.displayWidth(text)))
  return align === "left" ? text + fill : fill + text
}

const percent = (r: Ratio.Ratio): string => Ratio.format(r, { digits: 1, noData: "—" })

const scoreText = (card: UnitCard): string =>
  Option.match(card.score.score, { onNone: () => "—", onSome: (s) => s.toFixed(1) })

const statusText = (r: RankedCard): string =>
  Option.match(r.rank, {
    onSome: (n) => String(n),
    onNone: () => (r.status === "no-data" ? "无数据" : "样本不足")
  })

const nameOf = (id: Indicator.IndicatorId): string => Indicator.definitionOf(id).name

const describeScoring = (scoring: Score.Scoring): string => {
  switch (scoring._tag) {
    case "Linear":
      return scoring.zeroAt === 0 && scoring.fullAt === 1
        ? "按比率计分 rate × 100"
        : scoring.zeroAt === 1 && scoring.fullAt === 0
          ? "(1 − rate) × 100"
          : `linear ${scoring.zeroAt} → ${scoring.fullAt}`
    case "Deduct":
      return scoring.direction === "higher-is-better"
        ? `达到 ${scoring.target * 100}% 满分，每低 1 个百分点扣 ${scoring.pointsPerPercent} 分`
        : `不超过 ${scoring.target * 100}% 满分，每高 1 个百分点扣 ${scoring.pointsPerPercent} 分`
    case "Steps":
      return "阶梯计分 step scoring"
    case "Capped":
      return `封顶 ${scoring.max} 分 capped`
  }
}

const table = (
  title: string,
  rows: ReadonlyArray<RankedCard & { readonly street?: Option.Option<Unit.Unit> }>,
  withStreet: boolean
): Array<string> => {
  const header = [
    "排名",
    "单位",
    ...(withStreet ? ["街道"] : []),
    "应结案",
    ...shownIndicators.map(nameOf),
    "综合得分",
    "等级"
  ]
  const body = rows.map((r) => [
    statusText(r),
    r.card.unit.name,
    ...(withStreet
      ? [Option.match(r.street ?? Option.none(), { onNone: () => "", onSome: (s) => s.name })]
      : []),
    String(r.card.sample),
    ...shownIndicators.map((id) => percent(r.card.indicators[id])),
    scoreText(r.card),
    Option.getOrElse(r.card.grade, () => "—")
  ])
  const widths = header.map((h, i) =>
    Math.max(Ledger.displayWidth(h), ...body.map((b) => Ledger.displayWidth(b[i] ?? "")))
  )
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, i <= (withStreet ? 2 : 1) ? "left" : "right"))
      .join("  ")
      .trimEnd()
  return [title, line(header), ...body.map(line)]
}

/**
 * 打印 — the scorecard as text: the month and its basis, the streets and the
 * communities ranked, the district roll-up with every count, and the
 * definitions of the indicators shown.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (card: Scorecard): string => {
  const d = card.district
  const lines: Array<string> = []
  const zh = Period.labelZh(card.month)
  lines.push(`${d.unit.name} ${zh} 月度考核 monthly scorecard (${Period.label(card.month)})`)
  lines.push(
    `  截至 as of ${Period.lastDay(card.month)} 24:00 (月末 the end of the month) · ` +
      `台账 ${card.ledgerCases} 件 cases in the ledger, 本月上报 ${card.reportedInMonth} 件 reported this month`
  )
  lines.push(
    `  考核方案 profile: ${card.profile.name} — ${card.profile.indicators
      .map((i) => `${i.name} ${i.weight}`)
      .join(" · ")}`
  )
  for (const i of card.profile.indicators) lines.push(`    ${i.name}: ${describeScoring(i.scoring)}`)
  lines.push(
    `  等级 grades: ${card.gradeBands.bands.map((b) => `${b.grade} ≥ ${b.atLeast}`).join(", ")}, else ${card.gradeBands.otherwise}` +
      ` · 排名最少样本 minimum sample ${card.minSample} 件应结案 (cases due); below it a unit is listed, not ranked`
  )
  lines.push("")
  lines.push(...table("街道排名 streets", card.streets, false))
  lines.push("")
  lines.push(...table("社区排名 communities", card.communities, true))
  lines.push("")
  lines.push(
    `区级汇总 district roll-up — ${d.unit.name} (分子、分母逐级相加 numerators and denominators added up)`
  )
  for (const id of Indicator.ids) {
    const r = d.indicators[id]
    if (Ratio.isNoData(r)) continue
    lines.push(`  ${pad(nameOf(id), 30)} ${pad(Ratio.format(r, { digits: 1, counts: true }), 20, "right")}`)
  }
  lines.push(
    `  ${pad("综合得分 composite", 30)} ${pad(scoreText(d), 20, "right")}  等级 ${Option.getOrElse(d.grade, () => "—")}` +
      (d.score.missing.length > 0 ? `  (无数据 no data: ${d.score.missing.join(", ")})` : "")
  )
  lines.push("")
  lines.push("指标口径 definitions (Indicator.definitions)")
  for (const id of shownIndicators) {
    const def = Indicator.definitionOf(id)
    lines.push(`  ${def.formula} — 统计口径: ${def.attribution}`)
  }
  if (card.unjudged.length > 0 || card.skipped.length > 0) {
    lines.push("")
    lines.push(`未评判 unjudged: ${card.unjudged.length} 件; 未计入 skipped: ${card.skipped.length} 件`)
    for (const s of card.skipped.slice(0, 5)) lines.push(`  ${s.message}`)
  }
  return lines.join("\n")
}
