/**
 * 指标来源 — the port behind the case indicators of a subtree per period
 * (考核评价, `Indicator`): whoever serves metrics (the HTTP `metrics`
 * handlers, a report job) asks an `IndicatorSource` and never a database.
 *
 * - `layerMemory` is the reference source: it reads the subtree's cases from
 *   the ambient `CaseRepository` and the hierarchy from the
 *   `HierarchyRepository`, and computes with `Indicator.compute` — for tests,
 *   demos and single-process apps.
 * - `@civicgrid/sql` has the SQL source (`SqlIndicatorSource`: the sums kept
 *   by the case store, figures equal to `Indicator.measure` over the same
 *   events).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { CaseEvent } from "./CaseEvent.js"
import { CaseRepository, maxPageSize, type TimeLimits } from "./CaseRepository.js"
import * as Hierarchy from "./Hierarchy.js"
import { HierarchyRepository } from "./HierarchyRepository.js"
import * as Indicator from "./Indicator.js"
import * as Period from "./Period.js"
import type { StorageUnavailable } from "./Storage.js"
import { UnitId } from "./Unit.js"

// -----------------------------------------------------------------------------
// errors
// -----------------------------------------------------------------------------

/**
 * 指标不可用 — the source cannot answer: `incomplete` (a store's indicator
 * data is missing or out of date, e.g. cases appended without time limits:
 * rebuild it), `closure-steps` (the query asks for closure steps the source
 * was not kept for).
 *
 * @since 0.1.0
 * @category errors
 */
export class IndicatorsUnavailable extends Schema.TaggedError<IndicatorsUnavailable>()(
  "IndicatorsUnavailable",
  {
    reason: Schema.Literal("incomplete", "closure-steps"),
    detail: Schema.String
  }
) {
  override get message(): string {
    return `指标不可用 indicators unavailable (${this.reason}): ${this.detail}`
  }
}

/**
 * 查询无效 — a query that cannot run: an unknown unit (`within`), a period
 * range whose ends differ in granularity or offset (or from
 * `options.utcOffsetMinutes`), or ends before it starts (`periods`).
 *
 * @since 0.1.0
 * @category errors
 */
export class IndicatorQueryInvalid extends Schema.TaggedError<IndicatorQueryInvalid>()(
  "IndicatorQueryInvalid",
  {
    field: Schema.Literal("within", "periods"),
    detail: Schema.String
  }
) {
  override get message(): string {
    return `指标查询无效 invalid indicator query [${this.field}]: ${this.detail}`
  }
}

/**
 * Every way `compute` fails.
 *
 * @since 0.1.0
 * @category errors
 */
export type IndicatorSourceError =
  | Indicator.IndicatorOptionsInvalid
  | IndicatorQueryInvalid
  | IndicatorsUnavailable
  | StorageUnavailable

// -----------------------------------------------------------------------------
// models
// -----------------------------------------------------------------------------

/**
 * 指标查询 — the subtree (`within`, a unit of the hierarchy: its cases and
 * those of every unit below it), the periods — a granularity (every period
 * with data) or an explicit range of periods, both included (every period of
 * the range, "no data" where there is none) — the instant the figures are
 * judged at, and the core's `Indicator.Options`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Query {
  readonly within: string
  readonly periods: Period.Granularity | { readonly from: Period.Period; readonly to: Period.Period }
  readonly asOf: DateTime.Utc
  readonly options?: Indicator.Options
}

/**
 * 指标结果 — per period, the subtree's `Indicator.Indicators` (as
 * `Indicator.measure` gives them for the subtree's cases), in time order; and
 * the subtree's cases that are unjudged at `asOf`, by case id.
 *
 * @since 0.1.0
 * @category models
 */
export interface Result {
  readonly within: UnitId
  readonly asOf: DateTime.Utc
  readonly granularity: Period.Granularity
  readonly utcOffsetMinutes: number
  readonly basicWeight: number
  readonly periods: ReadonlyArray<Indicator.PeriodIndicators>
  readonly unjudged: ReadonlyArray<Indicator.Unjudged>
}

// -----------------------------------------------------------------------------
// the port
// -----------------------------------------------------------------------------

/**
 * 指标来源 — computes a subtree's indicators per period.
 *
 * @since 0.1.0
 * @category tags
 */
export class IndicatorSource extends Context.Tag("@civicgrid/core/IndicatorSource")<
  IndicatorSource,
  {
    readonly compute: (query: Query) => Effect.Effect<Result, IndicatorSourceError>
  }
>() {}

// -----------------------------------------------------------------------------
// the in-memory source
// -----------------------------------------------------------------------------

/**
 * The periods of a query: its granularity, its offset and, for a range, every
 * period of it; or why the range is invalid.
 */
const periodsOf = (
  query: Query,
  defaultOffset: number
): Either.Either<
  {
    readonly granularity: Period.Granularity
    readonly offset: number
    readonly listed: ReadonlyArray<Period.Period> | undefined
  },
  IndicatorQueryInvalid
> => {
  const options = query.options
  if (typeof query.periods === "string") {
    return Either.right({
      granularity: query.periods,
      offset: options?.utcOffsetMinutes ?? defaultOffset,
      listed: undefined
    })
  }
  const { from, to } = query.periods
  const between = Period.between(from, to)
  if (Either.isLeft(between)) {
    return Either.left(new IndicatorQueryInvalid({ field: "periods", detail: between.left.message }))
  }
  const offset = from.utcOffsetMinutes
  if (options?.utcOffsetMinutes !== undefined && options.utcOffsetMinutes !== offset) {
    return Either.left(
      new IndicatorQueryInvalid({
        field: "periods",
        detail: `the periods are in UTC offset ${offset} minutes, options.utcOffsetMinutes says ${options.utcOffsetMinutes}`
      })
    )
  }
  if (between.right.length === 0) {
    return Either.left(
      new IndicatorQueryInvalid({ field: "periods", detail: "the range ends before it starts" })
    )
  }
  return Either.right({ granularity: from.granularity, offset, listed: between.right })
}

/** Every event of every stored case, a page of cases at a time. */
const allEvents = (
  cases: CaseRepository["Type"]
): Effect.Effect<ReadonlyArray<CaseEvent>, StorageUnavailable> =>
  Effect.gen(function* () {
    const events: Array<CaseEvent> = []
    let after: string | undefined
    for (;;) {
      const page = yield* cases
        .list(after === undefined ? { limit: maxPageSize } : { limit: maxPageSize, after })
        .pipe(Effect.catchTag("InvalidCaseQuery", Effect.die))
      for (const item of page.items) events.push(...(yield* cases.events(item.caseId)))
      if (Option.isNone(page.next)) return events
      after = page.next.value
    }
  })

/**
 * 内存指标来源 — the reference `IndicatorSource`: for each query, the cases
 * are read from the ambient `CaseRepository` (with their events) and the
 * hierarchy from the `HierarchyRepository`, and `Indicator.compute` runs over
 * them with these time limits; the subtree's totals
 * (`report.get(within, period)`, attributed as `options.attributeBy` says)
 * are the result. An unknown unit (or no saved hierarchy) is
 * `IndicatorQueryInvalid` on `within`. Reads every stored case on every
 * query: for tests, demos and small stores.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (
  timeLimits: TimeLimits
): Layer.Layer<IndicatorSource, never, CaseRepository | HierarchyRepository> =>
  Layer.effect(
    IndicatorSource,
    Effect.gen(function* () {
      const cases = yield* CaseRepository
      const hierarchies = yield* HierarchyRepository
      const compute = (query: Query): Effect.Effect<Result, IndicatorSourceError> =>
        Effect.gen(function* () {
          yield* Indicator.checkOptions(query.options)
          const { granularity, offset, listed } = yield* periodsOf(
            query,
            timeLimits.calendar.utcOffsetMinutes
          )
          const unknown = new IndicatorQueryInvalid({
            field: "within",
            detail: `unit ${query.within} is not in the hierarchy`
          })
          const hierarchy = yield* Effect.catchTag(hierarchies.load, "HierarchyNotFound", () =>
            Effect.fail(unknown)
          )
          if (Option.isNone(Hierarchy.get(hierarchy, query.within))) return yield* Effect.fail(unknown)
          const within = UnitId.make(query.within)
          const events = yield* allEvents(cases)
          const report = yield* Indicator.compute({
            hierarchy,
            timeLimits: timeLimits.policy,
            calendar: timeLimits.calendar,
            granularity,
            asOf: query.asOf,
            events,
            options: { ...query.options, utcOffsetMinutes: offset }
          })
          const periods: ReadonlyArray<Indicator.PeriodIndicators> =
            listed === undefined
              ? report
                  .rows()
                  .filter((row) => row.unitId === within)
                  .map(({ period, label, indicators }) => ({ period, label, indicators }))
              : listed.map((period) => ({
                  period,
                  label: Period.label(period),
                  indicators: Option.getOrElse(report.get(within, period), () => Indicator.empty)
                }))
          return {
            within,
            asOf: query.asOf,
            granularity,
            utcOffsetMinutes: offset,
            basicWeight: report.basicWeight,
            periods,
            unjudged: report.unjudged.filter((u) => Hierarchy.isWithin(hierarchy, u.unitId, within))
          }
        })
      return IndicatorSource.of({ compute })
    })
  )
