/**
 * 指标投影 — the indicator projection: what a store keeps so that it can add
 * the case indicators up elsewhere (in SQL) and get exactly
 * `Indicator.compute` / `measure` — owned here, in the core, so an adapter
 * only sums, inserts and deletes (one write path).
 *
 * - **Stored columns** (`columns`, names and order): the core's independent
 *   counts (`Indicator.countColumns`: 受理数, 应结案数, 应处置数 per case and
 *   per round, 返工案件数 and 返工次数, 派遣数, 应立案数, 有效回访数, the first
 *   closures by tier, and the hotline counts 应响应 / 已响应 / 已解决 / 未解决 /
 *   满意 / 基本满意 / 不满意 / 无法联系 / 拒绝评价), then the conditional
 *   numerators. Nothing is stored as an "equality" between indicators:
 *   indicators that share a count (结案率 and 按期结案率 share 应结案数) read
 *   the same column of the core's engine, so they agree by construction, and
 *   every hotline count is its own column — no combination of valid events
 *   can break the layout.
 * - **Contribution → stored values** (`stored`), and **summed stored values
 *   → the core's counts** (`toCounts`; then `Indicator.fromCounts`).
 * - **Timeline** (`timeline`): a case's contribution as a function of
 *   `asOf`, as deltas — at instant `change`, add `values` to the counts
 *   placed at instant `at` (the conditional numerators only when `alt` lies
 *   before the end of `at`'s period). The sum of a case's deltas with
 *   `change ≤ asOf` is its contribution judged at `asOf`, so a store writes
 *   the deltas when events are appended and answers any `asOf` by sums.
 *
 * Hotline columns (`kind: "hotline"`) are counted with every source as a
 * hotline source: a store sums them over the sources the query's
 * `hotlineSources` names. The stored values do not depend on `basicWeight`,
 * `counting`, `attributeBy` or the UTC offset — only on the time-limit
 * policy, the calendar and `closureSteps`.
 *
 * @since 0.1.0
 */
import type * as Indicator from "./Indicator.js"
import { fromCounts } from "./Indicator.js"
import * as Projection from "./internal/indicatorProjection.js"
import * as Timeline from "./internal/indicatorTimeline.js"
import * as Survey from "./Survey.js"

/**
 * 存储列类别 — how a stored column is summed: `count` over every case,
 * `hotline` over the cases of the hotline sources, `conditional` (a
 * numerator that counts only when the row's `alt` lies before the end of the
 * period holding its `at`).
 *
 * @since 0.1.0
 * @category models
 */
export type ColumnKind = "count" | "hotline" | "conditional"

/**
 * 存储列 — one stored count column: its SQL-safe name and how it is summed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Column {
  readonly name: string
  readonly kind: ColumnKind
}

/**
 * 存储列表 — the stored count columns, in order: `Indicator.countColumns`,
 * then the conditional numerators (结案率's for a closure settled at a missed
 * deadline; 处置率's for a late handling run, per case and per round).
 *
 * @since 0.1.0
 * @category columns
 */
export const columns: ReadonlyArray<Column> = Projection.storedNames.map((name, i) => ({
  name,
  kind: Projection.isConditional(i) ? "conditional" : Projection.isHotline(i) ? "hotline" : "count"
}))

/**
 * The stored columns' names, in order.
 *
 * @since 0.1.0
 * @category columns
 */
export const columnNames: ReadonlyArray<string> = Projection.storedNames

/**
 * 存储值 — a contribution's counts (one per `Indicator.countColumns`) as
 * stored values (one per `columns`; the conditional numerators 0 — the
 * timeline writes them as rows of their own).
 *
 * @since 0.1.0
 * @category columns
 */
export const stored = (counts: ArrayLike<number>): Int32Array => Projection.storedValues(counts)

/**
 * 汇总值 — stored values summed over one period (one entry per `columns`):
 * `all` over every case, with only the conditional numerators that hold (rows
 * whose `alt` lies before the end of the period); `hotline` the `hotline`
 * columns summed over the hotline sources' cases (the same as `all` when
 * every source counts).
 *
 * @since 0.1.0
 * @category models
 */
export interface Sums {
  readonly all: ArrayLike<number>
  readonly hotline: ArrayLike<number>
}

/**
 * 读回计数 — the core's counts (one per `Indicator.countColumns`) of summed
 * stored values: a copy (hotline columns from `hotline`), each conditional
 * numerator that holds added to its numerator.
 *
 * @since 0.1.0
 * @category reading
 */
export const toCounts = (sums: Sums): Float64Array => Projection.countsOf(sums.all, sums.hotline)

/**
 * 读回指标 — `Indicator.Indicators` of summed stored values under the
 * options that do not change what is stored (`basicWeight`, `counting`).
 *
 * @since 0.1.0
 * @category reading
 */
export const indicators = (
  sums: Sums,
  options?: Pick<Indicator.Options, "basicWeight" | "counting">
): Indicator.Indicators =>
  fromCounts(toCounts(sums), options?.basicWeight ?? Survey.defaultBasicWeight, options?.counting ?? "case")

/**
 * 增量 — at instant `change`, add `values` (one per `columns`) to the counts
 * placed at instant `at`; a row with `alt` carries conditional numerators
 * only, counted when `alt` lies before the end of `at`'s period. `seq`
 * numbers a case's rows at one `change`.
 *
 * @since 0.1.0
 * @category timeline
 */
export type Delta = Timeline.DeltaRow

/**
 * 未评判记录 — why a case is unjudged, as stored: the step, the reason as
 * JSON (`TimeLimitErrorJson`), the indicators comma-separated.
 *
 * @since 0.1.0
 * @category timeline
 */
export type UnjudgedRecord = Timeline.UnjudgedRecord

/**
 * 未评判增量 — at `change`, an unjudged record starts (`sign` 1) or stops
 * (−1) holding.
 *
 * @since 0.1.0
 * @category timeline
 */
export type UnjudgedDelta = Timeline.UnjudgedDelta

/**
 * 时间线 — a case's deltas and unjudged records.
 *
 * @since 0.1.0
 * @category timeline
 */
export type CaseTimeline = Timeline.Timeline

/**
 * The stored form of an unjudged case's reason (`NoTimeLimit` or
 * `YearNotLoaded` as JSON).
 *
 * @since 0.1.0
 * @category timeline
 */
export const TimeLimitErrorJson = Timeline.TimeLimitErrorJson

/**
 * 时间线 — one case's deltas from `cut` on (every delta when `cut` is −∞):
 * its contribution just before `cut`, then each change at the instants it
 * can change — an event entering the history (and 1 ms later), a running
 * step turning late 1 ms after its deadline, a stopped clock (挂账) reaching
 * a year with no schedule. Appending events only changes the deltas from the
 * first new event's (effective) instant on: a store deletes those and writes
 * the new ones.
 *
 * @since 0.1.0
 * @category timeline
 */
export const timeline = (
  contributor: Indicator.Contributor,
  history: Indicator.History,
  cut: number
): CaseTimeline => Timeline.timeline(contributor, history, cut)

/**
 * 有效时刻 — each event's effective instant in an ordered history: the
 * largest instant so far (events enter in history order, even if their
 * instants go back in time); `effectiveInstants(events)[k]` is the `cut` of
 * an append after `k` stored events.
 *
 * @since 0.1.0
 * @category timeline
 */
export const effectiveInstants = (
  events: ReadonlyArray<{ readonly at: { readonly epochMillis: number } }>
): ReadonlyArray<number> => Timeline.effectiveInstants(events)
