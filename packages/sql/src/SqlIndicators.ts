/**
 * 考核指标（SQL） — the case indicators (`Indicator`: 受理办结率,
 * 结案率, 按期结案率, 处置率, 按期处置率, 返工率, 准确派遣率, 按时立案率, 准确立案率,
 * 重办率, the tier shares, the hotline 三率) for a subtree and its periods,
 * added up in SQL and returned as the core's `Ratio`s. The figures are
 * exactly those of the
 * core's `Indicator.compute` / `measure` over the same events, `asOf` and
 * options — a differential property test checks it on SQLite and PostgreSQL.
 *
 * **Write time.** What depends on the working calendar — deadlines,
 * suspensions 挂账, extensions 延期, which run was late, which case is
 * unjudged — cannot run in SQL. The case store (`SqlCaseRepository`, given
 * `timeLimits`) works it out when events are appended, in the same
 * transaction, with the core's own code (`Indicator.contributor`), and stores
 * each case's contribution as the core's timeline of deltas over `asOf`
 * (`IndicatorProjection`; migrations 0006, 0009): at instant `change_at`, add
 * these counts — the core's stored columns — to those placed at instant `at`. The sum of a
 * case's deltas up to `asOf` is its contribution judged at `asOf` — a step
 * turning late when its deadline passes is a delta at deadline + 1 ms, written
 * in advance. Per (community, day) sums of the deltas are kept beside them.
 *
 * **Query time.** Only comparisons of instants with `asOf` and sums: the
 * day sums of the subtree's communities (a path range of the primary key)
 * with changes before `asOf`'s day, plus the deltas that changed on that day
 * up to `asOf`, `GROUP BY` day; the days are folded into the periods
 * (a few hundred rows), the conditional numerators (closed / handled within
 * the period a late case settled in) kept where they hold, and the sums read
 * back by the core (`IndicatorProjection.indicators`). With options the day sums were not kept
 * for — `attributeBy: "location"`, other `hotlineSources`, another UTC offset
 * — the same sums come straight from the deltas (exact, slower: every delta
 * of the subtree is read). No per-case work in application code.
 *
 * **Unavailable.** A store built without `timeLimits` cannot judge deadlines:
 * its appends mark the indicator tables incomplete, and `compute` fails with
 * `IndicatorsUnavailable` (reason `incomplete`) until `rebuild` — which
 * recomputes the tables from the events — has run; likewise after a
 * database migrated from before 0006 (or 0009) with cases, or a store configured with
 * other closure steps or UTC offset. Changing the time-limit policy or the
 * calendar (say, loading next year's schedule) also needs a `rebuild`: the
 * stored judgements are those of the policy and calendar at write time.
 * Cases the core would leave `unjudged` (no schedule for the year, no time
 * limit) are listed in `unjudged`, never counted on time. Attribution paths
 * are recorded when a case is reported (like its `unit_path`): moving units
 * later does not move recorded cases until a `rebuild`.
 *
 * @since 0.1.0
 */

import { CaseId, Source } from "@civicgrid/core/Case"
import type { TimeLimits } from "@civicgrid/core/CaseRepository"
import { CaseStep } from "@civicgrid/core/CaseStep"
import * as Indicator from "@civicgrid/core/Indicator"
import * as IndicatorProjection from "@civicgrid/core/IndicatorProjection"
import {
  IndicatorQueryInvalid,
  IndicatorsUnavailable,
  type Query,
  type Result
} from "@civicgrid/core/IndicatorSource"
import * as Period from "@civicgrid/core/Period"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as Survey from "@civicgrid/core/Survey"
import { UnitId } from "@civicgrid/core/Unit"
import * as SqlClient from "@effect/sql/SqlClient"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { prefixUpperBound, toNumber } from "./internal/caseRows.js"
import {
  DAY_SHIFT,
  dayOf,
  readConfig,
  rebuild as rebuildTables,
  stepsText,
  VALUES,
  valueColumns
} from "./internal/indicatorStore.js"
import { orUnavailable } from "./internal/support.js"

const DAY_MS = 86_400_000

// -----------------------------------------------------------------------------
// errors
// -----------------------------------------------------------------------------

/**
 * 指标不可用 / 查询无效 — the errors of `compute` are the core port's
 * (`IndicatorSource.IndicatorsUnavailable`: `incomplete` — cases were appended
 * by a store without time limits, or before migration 0006 or 0009, or under
 * another configuration: run `rebuild`; `closure-steps` — the query asks for
 * closure steps the tables were not kept for. `IndicatorSource.IndicatorQueryInvalid`:
 * an unknown unit, a period range whose ends differ in granularity or offset,
 * or that ends before it starts).
 *
 * @since 0.1.0
 * @category errors
 */
export { IndicatorQueryInvalid, IndicatorsUnavailable } from "@civicgrid/core/IndicatorSource"

// -----------------------------------------------------------------------------
// models
// -----------------------------------------------------------------------------

/**
 * 指标查询 / 指标结果 — `compute` answers the core port's query with its
 * result (`IndicatorSource.Query`, `IndicatorSource.Result`): the subtree,
 * the periods (a granularity, or an explicit range with "no data" where there
 * is none), the instant the figures are judged at and `Indicator.Options`;
 * per period the subtree's indicators, and the unjudged cases.
 *
 * @since 0.1.0
 * @category models
 */
export type { Query, Result } from "@civicgrid/core/IndicatorSource"

// -----------------------------------------------------------------------------
// computing
// -----------------------------------------------------------------------------

const sumList = valueColumns.map((c) => `SUM(${c}) AS ${c}`).join(", ")
/** The stored columns summed over the hotline sources only, with their index. */
const hotlineColumns = IndicatorProjection.columns.flatMap((c, i) =>
  c.kind === "hotline" ? [{ name: c.name, index: i }] : []
)
const allSources = [...Source.literals].sort()
/** A row of the unjudged query, decoded into the core's `Unjudged` fields. */
const UnjudgedRow = Schema.Struct({
  case_id: CaseId,
  step: CaseStep,
  reason: IndicatorProjection.TimeLimitErrorJson,
  indicators: Schema.compose(Schema.split(","), Schema.Array(Indicator.IndicatorId)),
  community_id: UnitId,
  location_id: UnitId
})
const decodeUnjudged = Schema.decodeUnknownSync(Schema.Array(UnjudgedRow))

interface DayRow {
  readonly day: number
  readonly altDay: number
  readonly all: ArrayLike<number>
  readonly hotline: ArrayLike<number>
}

const rowValues = (row: Record<string, unknown>): Float64Array => {
  const out = new Float64Array(VALUES)
  valueColumns.forEach((c, i) => {
    out[i] = toNumber(row[c])
  })
  return out
}

/**
 * 计算考核指标 — the indicators of a subtree per period, judged at `asOf`
 * (see the module documentation). Fails with `IndicatorOptionsInvalid` on
 * invalid options, `IndicatorQueryInvalid` on an unknown unit or a bad period
 * range, `IndicatorsUnavailable` when the tables cannot answer,
 * `StorageUnavailable` when the store cannot serve now; other SQL errors are
 * defects.
 *
 * @since 0.1.0
 * @category computing
 */
export const compute = (
  query: Query
): Effect.Effect<
  Result,
  Indicator.IndicatorOptionsInvalid | IndicatorQueryInvalid | IndicatorsUnavailable | StorageUnavailable,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const options = yield* Indicator.checkOptions(query.options)
    const config = yield* orUnavailable(readConfig)
    if (config === undefined || !config.complete) {
      return yield* new IndicatorsUnavailable({
        reason: "incomplete",
        detail:
          "cases were appended without time limits, before migration 0006 or 0009 or under another configuration; run SqlIndicators.rebuild"
      })
    }
    const steps = stepsText(options?.closureSteps ?? Indicator.defaultClosureSteps)
    if (steps !== config.closureSteps) {
      return yield* new IndicatorsUnavailable({
        reason: "closure-steps",
        detail: `the tables are kept for closure steps ${config.closureSteps}, not ${steps}`
      })
    }
    // periods
    const range = typeof query.periods === "string" ? undefined : query.periods
    const granularity = typeof query.periods === "string" ? query.periods : query.periods.from.granularity
    const offset = range?.from.utcOffsetMinutes ?? options?.utcOffsetMinutes ?? config.utcOffsetMinutes
    let listed: ReadonlyArray<Period.Period> | undefined
    if (range !== undefined) {
      const between = Period.between(range.from, range.to)
      if (Either.isLeft(between)) {
        return yield* new IndicatorQueryInvalid({ field: "periods", detail: between.left.message })
      }
      if (options?.utcOffsetMinutes !== undefined && options.utcOffsetMinutes !== offset) {
        return yield* new IndicatorQueryInvalid({
          field: "periods",
          detail: `the periods are in UTC offset ${offset} minutes, options.utcOffsetMinutes says ${options.utcOffsetMinutes}`
        })
      }
      if (between.right.length === 0) {
        return yield* new IndicatorQueryInvalid({
          field: "periods",
          detail: "the range ends before it starts"
        })
      }
      listed = between.right
    }
    // the subtree
    const units = yield* orUnavailable(
      sql<{ readonly path: string }>`SELECT path FROM cg_units WHERE id = ${query.within}`
    )
    const path = units[0]?.path
    if (path === undefined) {
      return yield* new IndicatorQueryInvalid({
        field: "within",
        detail: `unit ${query.within} is not in the hierarchy (cg_units)`
      })
    }
    const lower = path.endsWith("/") ? path : `${path}/`
    const upper = prefixUpperBound(lower)
    const byLocation = options?.attributeBy === "location"
    const pathColumn = sql.literal(byLocation ? "location_path" : "community_path")
    const hotlineSources = [...new Set(options?.hotlineSources ?? Source.literals)].sort()
    const everySource =
      hotlineSources.length === allSources.length && hotlineSources.every((s, i) => s === allSources[i])
    const fast = !byLocation && everySource && offset === config.utcOffsetMinutes
    const asOf = query.asOf.epochMillis
    const shift = offset * 60_000 + DAY_SHIFT * DAY_MS
    const startMs = listed?.[0] === undefined ? undefined : Period.start(listed[0]).epochMillis
    const lastListed = listed?.[listed.length - 1]
    const endMs = lastListed === undefined ? undefined : Period.end(lastListed).epochMillis
    const atRange = (column: string) =>
      startMs === undefined || endMs === undefined
        ? sql.literal("1 = 1")
        : sql`${sql.literal(column)} >= ${startMs} AND ${sql.literal(column)} < ${endMs}`
    const dayExpr = sql.literal(`(at + ${shift}) / ${DAY_MS}`)
    const altDayExpr = sql.literal(`CASE WHEN alt IS NULL THEN 0 ELSE (alt + ${shift}) / ${DAY_MS} END`)

    const rows: Array<DayRow> = []
    if (fast) {
      const asOfDay = dayOf(asOf, offset)
      const dayStart = (asOfDay - DAY_SHIFT) * DAY_MS - offset * 60_000
      const dayRange =
        startMs === undefined || endMs === undefined
          ? sql.literal("1 = 1")
          : sql`day >= ${dayOf(startMs, offset)} AND day < ${dayOf(endMs, offset)}`
      const summed = yield* orUnavailable(sql<Record<string, unknown>>`
        SELECT day, alt_day, ${sql.literal(sumList)} FROM cg_case_indicator_days
        WHERE community_path >= ${lower} AND community_path < ${upper}
          AND change_day < ${asOfDay} AND ${dayRange}
        GROUP BY day, alt_day`)
      const today = yield* orUnavailable(sql<Record<string, unknown>>`
        SELECT ${dayExpr} AS day, ${altDayExpr} AS alt_day, ${sql.literal(sumList)}
        FROM cg_case_indicator_deltas
        WHERE change_at >= ${dayStart} AND change_at <= ${asOf}
          AND community_path >= ${lower} AND community_path < ${upper} AND ${atRange("at")}
        GROUP BY 1, 2`)
      for (const row of [...summed, ...today]) {
        const all = rowValues(row)
        rows.push({ day: toNumber(row["day"]), altDay: toNumber(row["alt_day"]), all, hotline: all })
      }
    } else {
      const inHotline = sql.in("source", hotlineSources)
      const hotlineSums = sql.join(
        ", ",
        false
      )(
        hotlineColumns.map(
          ({ name }) =>
            sql`SUM(CASE WHEN ${inHotline} THEN ${sql.literal(name)} ELSE 0 END) AS ${sql.literal(`h_${name}`)}`
        )
      )
      const summed = yield* orUnavailable(sql<Record<string, unknown>>`
        SELECT ${dayExpr} AS day, ${altDayExpr} AS alt_day, ${sql.literal(sumList)}, ${hotlineSums}
        FROM cg_case_indicator_deltas
        WHERE ${pathColumn} >= ${lower} AND ${pathColumn} < ${upper}
          AND change_at <= ${asOf} AND ${atRange("at")}
        GROUP BY 1, 2`)
      for (const row of summed) {
        const all = rowValues(row)
        const hotline = new Float64Array(VALUES)
        for (const { name, index } of hotlineColumns) hotline[index] = toNumber(row[`h_${name}`])
        rows.push({ day: toNumber(row["day"]), altDay: toNumber(row["alt_day"]), all, hotline })
      }
    }

    // days → periods
    interface Acc {
      readonly period: Period.Period
      readonly endDay: number
      readonly sums: { readonly all: Float64Array; readonly hotline: Float64Array }
    }
    const byLabel = new Map<string, Acc>()
    const byDay = new Map<number, Acc>()
    const periodAt = (day: number): Acc => {
      const hit = byDay.get(day)
      if (hit !== undefined) return hit
      const period = Period.periodOf(
        DateTime.unsafeMake((day - DAY_SHIFT) * DAY_MS - offset * 60_000),
        granularity,
        { utcOffsetMinutes: offset }
      )
      const label = Period.label(period)
      let acc = byLabel.get(label)
      if (acc === undefined) {
        acc = {
          period,
          endDay: dayOf(Period.end(period).epochMillis, offset),
          sums: { all: new Float64Array(VALUES), hotline: new Float64Array(VALUES) }
        }
        byLabel.set(label, acc)
      }
      byDay.set(day, acc)
      return acc
    }
    for (const p of listed ?? []) periodAt(dayOf(Period.start(p).epochMillis, offset))
    for (const row of rows) {
      const acc = periodAt(row.day)
      // a row with an alt instant holds conditional numerators: they count only when alt lies in the period
      if (row.altDay > 0 && row.altDay >= acc.endDay) continue
      const { all, hotline } = acc.sums
      for (let i = 0; i < VALUES; i++) {
        all[i] = (all[i] ?? 0) + (row.all[i] ?? 0)
        hotline[i] = (hotline[i] ?? 0) + (row.hotline[i] ?? 0)
      }
    }
    const basicWeight = options?.basicWeight ?? Survey.defaultBasicWeight
    const periods: Array<Indicator.PeriodIndicators> = []
    for (const acc of [...byLabel.values()].sort(
      (a, b) => Period.start(a.period).epochMillis - Period.start(b.period).epochMillis
    )) {
      const hasData =
        listed !== undefined || acc.sums.all.some((x) => x !== 0) || acc.sums.hotline.some((x) => x !== 0)
      if (!hasData) continue
      periods.push({
        period: acc.period,
        label: Period.label(acc.period),
        indicators: IndicatorProjection.indicators(acc.sums, {
          basicWeight,
          counting: options?.counting ?? "case"
        })
      })
    }

    // unjudged cases at asOf
    const unjudgedRows = yield* orUnavailable(sql<object>`
      SELECT case_id, step, reason, indicators, community_id, location_id
      FROM cg_case_indicator_unjudged
      WHERE ${pathColumn} >= ${lower} AND ${pathColumn} < ${upper} AND change_at <= ${asOf}
      GROUP BY case_id, step, reason, indicators, community_id, location_id
      HAVING SUM(sign) > 0`)
    const decoded = yield* orUnavailable(
      Effect.try(() =>
        decodeUnjudged(unjudgedRows).map(
          (row): Indicator.Unjudged => ({
            caseId: row.case_id,
            unitId: byLocation ? row.location_id : row.community_id,
            step: row.step,
            reason: row.reason,
            indicators: row.indicators
          })
        )
      )
    )
    decoded.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0))
    return {
      within: UnitId.make(query.within),
      asOf: query.asOf,
      granularity,
      utcOffsetMinutes: offset,
      basicWeight,
      periods,
      unjudged: decoded
    }
  }).pipe(
    Effect.withSpan("SqlIndicators.compute", {
      attributes: {
        within: query.within,
        periods: typeof query.periods === "string" ? query.periods : Period.label(query.periods.from),
        asOf: query.asOf.epochMillis
      }
    })
  )

/**
 * 重建指标表 — recomputes the indicator tables from the stored events under
 * a time-limit policy and calendar (and closure steps, default
 * `Indicator.defaultClosureSteps`), with the attribution paths of the current
 * hierarchy, in one transaction, and marks them complete. For a store that
 * appended without time limits, a database migrated from before 0006 or 0009, or
 * after the policy or calendar changed.
 *
 * @since 0.1.0
 * @category maintenance
 */
export const rebuild = (
  timeLimits: TimeLimits,
  options: { readonly closureSteps?: ReadonlyArray<CaseStep> } = {}
): Effect.Effect<{ readonly cases: number }, StorageUnavailable, SqlClient.SqlClient> =>
  orUnavailable(rebuildTables(timeLimits, options))
