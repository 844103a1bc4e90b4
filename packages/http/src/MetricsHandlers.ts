/**
 * 考核指标与满意度接口实现 — the `metrics` and `surveys` handlers. Indicators
 * come from the core's `IndicatorSource` port (`IndicatorSource.layerMemory`
 * in the core, `SqlIndicatorSource.layer` in `@civicgrid/sql`: figures equal
 * to the core's `Indicator.measure`); tallies from the core's
 * `SurveyRepository`. Both run within a unit of the
 * principal's jurisdiction (default: its own unit); a unit outside it is a 404
 * like an unknown one.
 *
 * @since 0.1.0
 */

import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as Indicator from "@civicgrid/core/Indicator"
import { IndicatorSource, type IndicatorSourceError, type Query } from "@civicgrid/core/IndicatorSource"
import * as Period from "@civicgrid/core/Period"
import * as Ratio from "@civicgrid/core/Ratio"
import * as Score from "@civicgrid/core/Score"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import { SurveyRepository } from "@civicgrid/core/SurveyRepository"
import { UnitId } from "@civicgrid/core/Unit"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Api, InvalidQuery, MetricsUnavailable, NotFound, type ScoresResult } from "./Api.js"
import type { Authorization } from "./Authorization.js"
import { mapErrorKeepStorage, optionKeepStorage } from "./internal/storage.js"
import { CurrentPrincipal, isInJurisdiction, structureRootOf } from "./Principal.js"

/**
 * The most periods one indicator query may ask for.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxPeriods = 400

const notFound = (resource: "unit" | "question", id: string): NotFound =>
  new NotFound({ resource, id, message: `不存在或不在您的辖区内 no such ${resource} in your jurisdiction` })

const invalid = (field: string, message: string): InvalidQuery =>
  new InvalidQuery({ violations: [{ field, message }], message: `查询无效 invalid query: ${message}` })

const isGranularity = Schema.is(Period.Granularity)

const isIndicatorId = Schema.is(Indicator.IndicatorId)

/** `period` (and `to`) as the periods of an indicator query. */
const periodsOf = (period: string, to: string | undefined): Either.Either<Query["periods"], InvalidQuery> => {
  if (isGranularity(period)) {
    return to === undefined
      ? Either.right(period)
      : Either.left(invalid("to", "`to` needs a period label in `period`"))
  }
  const from = Either.mapLeft(Period.parse(period), (e) => invalid("period", e.message))
  if (Either.isLeft(from)) return Either.left(from.left)
  const until =
    to === undefined
      ? Either.right(from.right)
      : Either.mapLeft(Period.parse(to), (e) => invalid("to", e.message))
  if (Either.isLeft(until)) return Either.left(until.left)
  const all = Period.between(from.right, until.right)
  if (Either.isLeft(all)) return Either.left(invalid("to", all.left.message))
  if (all.right.length === 0) return Either.left(invalid("to", "`to` comes before `period`"))
  if (all.right.length > maxPeriods) return Either.left(invalid("to", `at most ${maxPeriods} periods`))
  return Either.right({ from: from.right, to: until.right })
}

/** The unit a query runs within: the principal's by default; 404 outside its jurisdiction. */
const scopeOf = (hierarchies: HierarchyRepository["Type"], within: string | undefined) =>
  Effect.gen(function* () {
    const principal = yield* CurrentPrincipal
    const unitId = within ?? structureRootOf(principal)
    const hierarchy = yield* optionKeepStorage(hierarchies.load)
    if (Option.isNone(hierarchy) || !isInJurisdiction(principal, hierarchy.value, unitId)) {
      return yield* Effect.fail(notFound("unit", unitId))
    }
    return UnitId.make(unitId)
  })

/** The source's failures as the API's: unavailable 503, unknown unit 404, bad period 400. */
const fromSource = <A, R>(
  within: string,
  effect: Effect.Effect<A, IndicatorSourceError, R>
): Effect.Effect<A, MetricsUnavailable | NotFound | InvalidQuery | StorageUnavailable, R> =>
  effect.pipe(
    Effect.catchTags({
      IndicatorsUnavailable: (e) =>
        Effect.fail(new MetricsUnavailable({ reason: e.reason, message: e.message })),
      IndicatorQueryInvalid: (e) =>
        Effect.fail(e.field === "within" ? notFound("unit", within) : invalid("period", e.detail)),
      // no options are passed: invalid options cannot happen
      IndicatorOptionsInvalid: (e) => Effect.die(e)
    })
  )

/**
 * 考核记分卡 — the child units of `within` scored under a profile in one
 * period: each child's indicators from the `IndicatorSource` (its subtree's
 * totals), then `Score.scorecards` (points, total, grade, 绿橙红, ranking
 * with the minimum sample). An unknown profile is `InvalidQuery` on
 * `profile`, listing the profiles; a period that is not a label is
 * `InvalidQuery` on `period`.
 *
 * @since 0.1.0
 * @category utils
 */
export const scores = (
  source: IndicatorSource["Type"],
  hierarchy: Hierarchy.Hierarchy,
  query: {
    readonly profile: string
    readonly within: UnitId
    readonly period: string
    readonly asOf: DateTime.Utc
    readonly minSample?: number
  }
) =>
  Effect.gen(function* () {
    const profile = yield* Option.match(Score.profileOf(query.profile), {
      onNone: () =>
        Effect.fail(
          invalid(
            "profile",
            `未知考核方案 unknown profile "${query.profile}" (rule known-profile); profiles: ${Score.profiles
              .map((p) => p.id)
              .join(", ")}`
          )
        ),
      onSome: Effect.succeed
    })
    if (isGranularity(query.period)) {
      return yield* Effect.fail(
        invalid("period", "scores need one period label (e.g. 2025-03), not a granularity")
      )
    }
    const period = yield* Either.mapLeft(Period.parse(query.period), (e) => invalid("period", e.message))
    const children = Option.getOrElse(Hierarchy.children(hierarchy, query.within), () => [])
    const inputs = yield* Effect.forEach(children, (child) =>
      fromSource(
        child.id,
        source.compute({ within: child.id, periods: { from: period, to: period }, asOf: query.asOf })
      ).pipe(
        Effect.map((result) => ({
          id: child.id,
          name: child.name,
          values: result.periods[0]?.indicators ?? Indicator.empty
        }))
      )
    )
    const minSample = query.minSample ?? Score.defaultMinSample
    const cards = Score.scorecards(profile, inputs, { minSample })
    const result: ScoresResult = {
      profile: {
        id: profile.id,
        name: profile.name,
        indicators: profile.indicators.map((i) => ({
          indicatorId: i.id,
          name: i.name,
          nameEn: i.nameEn,
          weight: i.weight
        }))
      },
      within: query.within,
      period: Period.label(period),
      asOf: query.asOf,
      minSample,
      units: cards.map((card) => ({
        unitId: UnitId.make(card.input.id),
        name: card.input.name,
        total: Option.getOrNull(card.composite.score),
        grade: Option.getOrNull(card.grade),
        light: Option.getOrNull(card.light),
        lightName: Option.getOrNull(Option.map(card.light, (l) => Score.lightNames[l])),
        rank: Option.getOrNull(card.rank),
        status: card.status,
        sampleSize: card.sampleSize,
        missing: card.composite.missing,
        indicators: profile.indicators.map((ind, i) => {
          const ratio = isIndicatorId(ind.id) ? card.input.values[ind.id] : Ratio.empty
          const part = card.composite.parts[i]
          return {
            indicatorId: ind.id,
            name: ind.name,
            nameEn: ind.nameEn,
            numerator: ratio.numerator,
            denominator: ratio.denominator,
            value: part === undefined ? null : Option.getOrNull(part.value),
            points: part === undefined ? null : Option.getOrNull(part.points),
            weight: ind.weight,
            contribution: part?.contribution ?? 0
          }
        })
      }))
    }
    return result
  })

/**
 * The `metrics` handlers.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "metrics">,
  never,
  IndicatorSource | HierarchyRepository | Authorization
> = HttpApiBuilder.group(Api, "metrics", (handlers) =>
  Effect.gen(function* () {
    const source = yield* IndicatorSource
    const hierarchies = yield* HierarchyRepository
    return handlers
      .handle("scores", ({ urlParams }) =>
        Effect.gen(function* () {
          const within = yield* scopeOf(hierarchies, urlParams.within)
          const hierarchy = yield* optionKeepStorage(hierarchies.load)
          if (Option.isNone(hierarchy)) return yield* Effect.fail(notFound("unit", within))
          return yield* scores(source, hierarchy.value, {
            profile: urlParams.profile ?? Score.threeRates_10_50_40.id,
            within,
            period: urlParams.period,
            asOf: urlParams.asOf ?? (yield* DateTime.now),
            ...(urlParams.minSample === undefined ? {} : { minSample: urlParams.minSample })
          })
        })
      )
      .handle("indicators", ({ urlParams }) =>
        Effect.gen(function* () {
          const within = yield* scopeOf(hierarchies, urlParams.within)
          const periods = yield* periodsOf(urlParams.period, urlParams.to)
          const asOf = urlParams.asOf ?? (yield* DateTime.now)
          const result = yield* source.compute({ within, periods, asOf }).pipe(
            Effect.catchTags({
              IndicatorsUnavailable: (e) =>
                Effect.fail(new MetricsUnavailable({ reason: e.reason, message: e.message })),
              IndicatorQueryInvalid: (e) =>
                Effect.fail(e.field === "within" ? notFound("unit", within) : invalid("period", e.detail)),
              // no options are passed: invalid options cannot happen
              IndicatorOptionsInvalid: (e) => Effect.die(e)
            })
          )
          return {
            within: result.within,
            asOf: result.asOf,
            granularity: result.granularity,
            periods: result.periods,
            unjudged: result.unjudged.length
          }
        })
      )
  })
)

/**
 * The `surveys` handlers.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSurveys: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "surveys">,
  never,
  SurveyRepository | HierarchyRepository | Authorization
> = HttpApiBuilder.group(Api, "surveys", (handlers) =>
  Effect.gen(function* () {
    const surveys = yield* SurveyRepository
    const hierarchies = yield* HierarchyRepository
    return handlers.handle("tallies", ({ urlParams }) =>
      Effect.gen(function* () {
        const within = yield* scopeOf(hierarchies, urlParams.within)
        const query = { questionId: urlParams.questionId, period: urlParams.period, within }
        const refused = (e: { readonly _tag: string }) =>
          e._tag === "QuestionNotFound"
            ? notFound("question", urlParams.questionId)
            : notFound("unit", within)
        const units = yield* surveys.tallies(query).pipe(mapErrorKeepStorage(refused))
        const total = yield* surveys.total(query).pipe(mapErrorKeepStorage(refused))
        return {
          questionId: urlParams.questionId,
          period: urlParams.period,
          within,
          total,
          units: [...units].map(([unitId, tally]) => ({ unitId, tally }))
        }
      })
    )
  })
)
