/**
 * 月度考核通报 — `civicgrid report monthly --period 2025-03 --within <unitId>
 * [--profile <id>] [--min-sample <n>] [--as-of <instant>] --out <file.xlsx>
 * [--force]`: the monthly assessment bulletin of a unit's child units as an
 * XLSX workbook generated from the store, with three sheets:
 *
 * - 排名 — the child units ranked under a scoring profile (`Score.scorecards`
 *   through `MetricsHandlers.scores`, the same computation `GET
 *   /metrics/scores` answers with): rank (empty when unranked), total, grade
 *   A–E, 绿橙红, sample, status;
 * - 指标 — each indicator of the profile per unit: numerator, denominator,
 *   rate, points, weight (figures from the store's `IndicatorSource`);
 * - 红灯案件 — the red-light cases of the period: the cases reported in the
 *   period within the unit (`CaseRepository.list`) whose timer light is red at
 *   `--as-of` (default now; the read model's `light` filter: open past the
 *   current step's deadline), or whose history has a timed step (filing, handling,
 *   closure) that ended or ran past its deadline — judged by the core's
 *   indicators (`Indicator.measure` over the case's events: an 按期 ratio with
 *   a numerator below its denominator) under the store's time-limit policy
 *   and calendar.
 *
 * An existing file is kept unless `--force`; the file is written through a
 * temporary name and a rename.
 *
 * @since 0.1.0
 */
import type * as CaseRepositoryModule from "@civicgrid/core/CaseRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as Indicator from "@civicgrid/core/Indicator"
import * as Period from "@civicgrid/core/Period"
import * as Score from "@civicgrid/core/Score"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type * as Database from "@civicgrid/demo/Database"
import type * as Api from "@civicgrid/http/Api"
import * as Ledger from "@civicgrid/ledger/Ledger"
import type * as Xlsx from "@civicgrid/ledger/Xlsx"
import type * as Migrations from "@civicgrid/sql/Migrations"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import type { SqlError } from "@effect/sql/SqlError"
import type { ConfigError } from "effect/ConfigError"
import * as Console from "effect/Console"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as DatabaseOption from "../DatabaseOption.js"
import { withExamples } from "../internal/help.js"
import * as LedgerFile from "../LedgerFile.js"
import { writeFileAtomically } from "./Export.js"

// -----------------------------------------------------------------------------
// errors
// -----------------------------------------------------------------------------

/**
 * 通报参数无效 — an option of `report monthly` that cannot be used: an
 * unknown `--profile` (the known ones listed), a `--period` that is not a
 * period label, a `--within` unit the stored hierarchy does not hold, a file
 * that is not `.xlsx`.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReportOptionInvalid extends Schema.TaggedError<ReportOptionInvalid>()("ReportOptionInvalid", {
  option: Schema.Literal("--profile", "--period", "--within", "--out"),
  rule: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `通报参数无效 invalid option ${this.option} (rule ${this.rule}): ${this.detail}`
  }
}

/**
 * Every way `report monthly` writes nothing.
 *
 * @since 0.1.0
 * @category errors
 */
export type ReportError =
  | ReportOptionInvalid
  | LedgerFile.FileExists
  | LedgerFile.FileError
  | DatabaseOption.DatabaseFileMissing
  | DatabaseOption.DatabaseUnavailable
  | Ledger.LedgerExportError
  | Xlsx.XlsxWriteError
  | Api.InvalidQuery
  | Api.NotFound
  | Api.MetricsUnavailable
  | Migrations.DatabaseTooNew
  | Database.InvalidDatabaseUrl
  | Database.DriverMissing
  | StorageUnavailable
  | ConfigError
  | SqlError

// -----------------------------------------------------------------------------
// sheets
// -----------------------------------------------------------------------------

const statusNames: Readonly<Record<Score.RankStatus, string>> = {
  ranked: "已排名",
  "below-minimum-sample": "样本不足",
  "no-data": "无数据"
}

const RankingRow = Schema.Struct({
  rank: Schema.NullOr(Schema.Number),
  unitId: Schema.String,
  name: Schema.String,
  total: Schema.NullOr(Schema.Number),
  grade: Schema.String,
  light: Schema.String,
  sampleSize: Schema.Number,
  status: Schema.String
})

/**
 * 排名 sheet — the columns of the ranking sheet.
 *
 * @since 0.1.0
 * @category ledgers
 */
export const rankingSpec = Ledger.make({
  sheet: "排名",
  schema: RankingRow,
  headers: {
    rank: "排名",
    unitId: "单元编号",
    name: "单元名称",
    total: "总分",
    grade: "等级",
    light: "亮灯",
    sampleSize: "样本量",
    status: "排名状态"
  }
})

const IndicatorRow = Schema.Struct({
  unitId: Schema.String,
  name: Schema.String,
  indicatorId: Schema.String,
  indicatorName: Schema.String,
  indicatorNameEn: Schema.String,
  numerator: Schema.Number,
  denominator: Schema.Number,
  rate: Schema.NullOr(Schema.Number),
  points: Schema.NullOr(Schema.Number),
  weight: Schema.Number
})

/**
 * 指标 sheet — the columns of the indicator sheet (one row per unit and indicator).
 *
 * @since 0.1.0
 * @category ledgers
 */
export const indicatorSpec = Ledger.make({
  sheet: "指标",
  schema: IndicatorRow,
  headers: {
    unitId: "单元编号",
    name: "单元名称",
    indicatorId: "指标编号",
    indicatorName: "指标名称",
    indicatorNameEn: "指标名称(英文)",
    numerator: "分子",
    denominator: "分母",
    rate: "比率",
    points: "得分",
    weight: "权重"
  }
})

const RedCaseRow = Schema.Struct({
  caseId: Schema.String,
  reason: Schema.String,
  unitId: Schema.String,
  communityId: Schema.String,
  categoryId: Schema.String,
  status: Schema.String,
  step: Schema.String,
  reportedAt: Schema.String,
  deadline: Schema.String
})

/**
 * 红灯案件 sheet — the columns of the red-light case sheet.
 *
 * @since 0.1.0
 * @category ledgers
 */
export const redCaseSpec = Ledger.make({
  sheet: "红灯案件",
  schema: RedCaseRow,
  headers: {
    caseId: "案件编号",
    reason: "红灯原因",
    unitId: "所在单元",
    communityId: "所属社区",
    categoryId: "案件类别",
    status: "状态",
    step: "当前环节",
    reportedAt: "上报时间",
    deadline: "截止时间"
  }
})

// -----------------------------------------------------------------------------
// the command
// -----------------------------------------------------------------------------

/**
 * 通报结果 — the file, the period, the profile and how many rows each sheet got.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reported {
  readonly file: string
  readonly period: string
  readonly profile: string
  readonly units: number
  readonly redCases: number
}

const onTimeIndicators = ["on-time-filing", "on-time-handling", "on-time-closure"] as const

/** Whether a case's indicators (its own, judged by the core) have a timed step past its deadline. */
const late = (periods: ReadonlyArray<Indicator.PeriodIndicators>): boolean =>
  periods.some((p) =>
    onTimeIndicators.some((id) => p.indicators[id].numerator < p.indicators[id].denominator)
  )

const localTime = (d: DateTime.Utc, offset: number): string =>
  Ledger.formatDate(DateTime.toDateUtc(d), offset)

/** Every summary of a query, a page at a time. */
const allCases = (
  cases: CaseRepositoryModule.CaseRepository["Type"],
  query: CaseRepositoryModule.CaseQuery
) =>
  Effect.gen(function* () {
    const out: Array<CaseRepositoryModule.CaseSummary> = []
    let after: string | undefined
    for (;;) {
      const page = yield* cases
        .list(after === undefined ? { ...query, limit: 500 } : { ...query, limit: 500, after })
        .pipe(Effect.catchTag("InvalidCaseQuery", Effect.die))
      out.push(...page.items)
      if (Option.isNone(page.next)) return out
      after = page.next.value
    }
  })

/**
 * 月度考核通报 — writes the bulletin (see the module notes).
 *
 * @since 0.1.0
 * @category handlers
 */
export const monthlyHandler = (options: {
  readonly period: string
  readonly within: string
  readonly profile: Option.Option<string>
  readonly minSample: Option.Option<number>
  readonly asOf: Option.Option<Date>
  readonly out: string
  readonly force: boolean
  readonly database: Option.Option<string>
}): Effect.Effect<Reported, ReportError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const file = options.out
    if (!file.toLowerCase().endsWith(".xlsx")) {
      return yield* new ReportOptionInvalid({
        option: "--out",
        rule: "xlsx",
        detail: `${file} is not a .xlsx file`
      })
    }
    const profileId = Option.getOrElse(options.profile, () => Score.threeRates_10_50_40.id)
    const profile = Score.profileOf(profileId)
    if (Option.isNone(profile)) {
      return yield* new ReportOptionInvalid({
        option: "--profile",
        rule: "known-profile",
        detail: `未知考核方案 unknown profile "${profileId}"; profiles: ${Score.profiles.map((p) => p.id).join(", ")}`
      })
    }
    const period = Period.parse(options.period)
    if (Either.isLeft(period)) {
      return yield* new ReportOptionInvalid({
        option: "--period",
        rule: "period-label",
        detail: period.left.message
      })
    }
    const fs = yield* FileSystem.FileSystem
    if (!options.force) {
      const exists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
      if (exists) return yield* new LedgerFile.FileExists({ file })
      const link = yield* fs.readLink(file).pipe(Effect.option)
      if (Option.isSome(link)) return yield* new LedgerFile.FileExists({ file, danglingLinkTo: link.value })
    }
    const database = yield* DatabaseOption.resolve(options.database)
    yield* DatabaseOption.requireExisting(database)
    yield* Console.log(`数据库 database: ${DatabaseOption.describe(database)}`)
    const asOf = Option.match(options.asOf, {
      onNone: () => DateTime.unsafeNow(),
      onSome: (d) => DateTime.unsafeMake(d)
    })
    const Seed = yield* Effect.promise(() => import("@civicgrid/demo/Seed"))
    const Metrics = yield* Effect.promise(() => import("@civicgrid/http/MetricsHandlers"))
    const { CaseRepository } = yield* Effect.promise(() => import("@civicgrid/core/CaseRepository"))
    const { HierarchyRepository } = yield* Effect.promise(() => import("@civicgrid/core/HierarchyRepository"))
    const { IndicatorSource } = yield* Effect.promise(() => import("@civicgrid/core/IndicatorSource"))
    const { PolicyRepository } = yield* Effect.promise(() => import("@civicgrid/core/PolicyRepository"))
    const SqlCalendarRepository = yield* Effect.promise(() => import("@civicgrid/sql/SqlCalendarRepository"))
    const offset = period.right.utcOffsetMinutes
    const { scores, redCases } = yield* Effect.gen(function* () {
      const hierarchy = yield* Effect.flatMap(HierarchyRepository, (r) => r.load).pipe(
        Effect.catchTag("HierarchyNotFound", () =>
          Effect.fail(
            new ReportOptionInvalid({
              option: "--within",
              rule: "known-unit",
              detail: "the database holds no hierarchy"
            })
          )
        )
      )
      const unit = Hierarchy.get(hierarchy, options.within)
      if (Option.isNone(unit)) {
        return yield* new ReportOptionInvalid({
          option: "--within",
          rule: "known-unit",
          detail: `unit ${options.within} is not in the stored hierarchy`
        })
      }
      const source = yield* IndicatorSource
      const scores = yield* Metrics.scores(source, hierarchy, {
        profile: profileId,
        within: unit.value.id,
        period: options.period,
        asOf,
        ...(Option.isSome(options.minSample) ? { minSample: options.minSample.value } : {})
      })
      const cases = yield* CaseRepository
      const ofPeriod = {
        within: unit.value.id,
        reportedFrom: DateTime.toDateUtc(Period.start(period.right)),
        reportedTo: DateTime.toDateUtc(Period.end(period.right))
      }
      const overdue = new Set(
        (yield* allCases(cases, {
          ...ofPeriod,
          light: { colors: ["red"], at: DateTime.toDateUtc(asOf) }
        })).map((c) => c.caseId)
      )
      const policy = Option.getOrElse(
        yield* Effect.flatMap(PolicyRepository, (r) => r.timeLimits),
        () => Seed.timeLimits.policy
      )
      const calendar = yield* SqlCalendarRepository.calendar.pipe(
        Effect.catchTag("InvalidCalendar", () => Effect.succeed(Seed.timeLimits.calendar))
      )
      const redCases: Array<{ readonly summary: CaseRepositoryModule.CaseSummary; readonly open: boolean }> =
        []
      for (const summary of yield* allCases(cases, ofPeriod)) {
        if (overdue.has(summary.caseId)) {
          redCases.push({ summary, open: true })
          continue
        }
        const events = yield* cases.events(summary.caseId)
        const measured = Indicator.measure({
          hierarchy,
          timeLimits: policy,
          calendar,
          granularity: period.right.granularity,
          asOf,
          events,
          options: { utcOffsetMinutes: offset }
        })
        if (Either.isRight(measured) && late(measured.right.periods)) redCases.push({ summary, open: false })
      }
      return { scores, redCases }
    }).pipe(Effect.provide(Seed.layerStores), Effect.provide(DatabaseOption.layer(database)))

    const ranking = scores.units.map((u) => ({
      rank: u.rank,
      unitId: u.unitId,
      name: u.name,
      total: u.total === null ? null : Math.round(u.total * 100) / 100,
      grade: u.grade ?? "",
      light: u.lightName ?? "",
      sampleSize: u.sampleSize,
      status: statusNames[u.status]
    }))
    const indicators = scores.units.flatMap((u) =>
      u.indicators.map((x) => ({
        unitId: u.unitId,
        name: u.name,
        indicatorId: x.indicatorId,
        indicatorName: x.name,
        indicatorNameEn: x.nameEn,
        numerator: x.numerator,
        denominator: x.denominator,
        rate: x.value,
        points: x.points === null ? null : Math.round(x.points * 100) / 100,
        weight: x.weight
      }))
    )
    const red = redCases.map(({ summary: c, open }) => ({
      caseId: c.caseId,
      reason: open ? "超期未办结 open past its deadline" : "超期办理 a step ended past its deadline",
      unitId: c.unitId,
      communityId: c.communityId,
      categoryId: c.categoryId,
      status: c.status,
      step: c.step ?? "",
      reportedAt: localTime(c.reportedAt, offset),
      deadline: c.deadline === null ? "" : localTime(c.deadline, offset)
    }))
    const XlsxModule = yield* Effect.promise(() => import("@civicgrid/ledger/Xlsx"))
    const tables = [
      yield* Ledger.toTable(rankingSpec, ranking),
      yield* Ledger.toTable(indicatorSpec, indicators),
      yield* Ledger.toTable(redCaseSpec, red)
    ]
    const bytes = yield* XlsxModule.writeTables(tables, { utcOffsetMinutes: offset })
    yield* writeFileAtomically(file, bytes)
    yield* Console.log(
      `已生成 月度考核通报 ${scores.period} (${Option.getOrThrow(profile).name}): ${ranking.length} 个单元 units, ` +
        `${red.length} 件红灯案件 red-light cases → ${file}`
    )
    const reported: Reported = {
      file,
      period: scores.period,
      profile: profileId,
      units: ranking.length,
      redCases: red.length
    }
    return reported
  })

const period = Options.text("period").pipe(
  Options.withPseudoName("label"),
  Options.withDescription("The period: a month 2025-03 (or any period label: 2025-Q1, 2025-W10, 2025-03-15).")
)

const within = Options.text("within").pipe(
  Options.withPseudoName("unitId"),
  Options.withDescription("The unit whose child units are assessed (a street: its communities).")
)

const profile = Options.text("profile").pipe(
  Options.withPseudoName("id"),
  Options.withDescription(
    `The scoring profile: ${Score.profiles.map((p) => `${p.id} (${p.name})`).join(", ")}. Default: ${Score.threeRates_10_50_40.id}.`
  ),
  Options.optional
)

const minSample = Options.integer("min-sample").pipe(
  Options.withPseudoName("n"),
  Options.withDescription(
    `The ranking's minimum sample: a unit with fewer cases is listed unranked (样本不足). Default: ${Score.defaultMinSample}.`
  ),
  Options.optional
)

const asOf = Options.date("as-of").pipe(
  Options.withDescription("The instant the figures and deadlines are judged at. Default: now."),
  Options.optional
)

const out = Options.text("out").pipe(
  Options.withPseudoName("file.xlsx"),
  Options.withDescription("The workbook to write (.xlsx).")
)

const force = Options.boolean("force").pipe(
  Options.withDescription("Overwrite the file if it exists (without it, an existing file is refused).")
)

/**
 * The `report monthly` subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const monthly = Command.make(
  "monthly",
  { period, within, profile, minSample, asOf, out, force, database: DatabaseOption.option },
  (o) => Effect.asVoid(monthlyHandler(o))
).pipe(
  Command.withDescription(
    withExamples(
      "Write the 月度考核通报 (monthly assessment bulletin) of a unit's child units as XLSX, from the store: " +
        "sheet 排名 (rank, total, grade A–E, 绿橙红), sheet 指标 (each indicator per unit with numerator and " +
        "denominator), sheet 红灯案件 (cases reported in the period that are open past their deadline). " +
        "Scores are the same as GET /metrics/scores.",
      [
        [
          "civicgrid report monthly --period 2025-03 --within s-001 --out 月度考核通报-2025-03.xlsx",
          "the communities of street s-001 in March 2025, three-rate profile 10/50/40"
        ],
        [
          "civicgrid report monthly --period 2025-03 --within d-001 --profile cjt292-style-handling --out 通报.xlsx --force",
          "the streets of a district under the CJ/T 292-style profile, replacing the file"
        ]
      ]
    )
  )
)

/**
 * The `report` subcommand (`report monthly`).
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("report").pipe(
  Command.withDescription(
    withExamples(
      "考核通报 Assessment reports generated from the store: `report monthly` writes the 月度考核通报 of a " +
        "unit's child units as XLSX. Run `civicgrid report monthly --help` for its options.",
      [
        [
          "civicgrid report monthly --period 2025-03 --within s-001 --out 月度考核通报-2025-03.xlsx",
          "rankings, indicators and red-light cases of street s-001's communities in March 2025"
        ]
      ]
    )
  ),
  Command.withSubcommands([monthly])
)
