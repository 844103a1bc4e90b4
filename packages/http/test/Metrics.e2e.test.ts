/**
 * 考核指标与满意度 — the `metrics` and `surveys` groups end to end through the
 * typed client, on SQLite and PostgreSQL: the indicators of a subtree per
 * period are exactly `SqlIndicators.compute`'s; a unit outside the
 * jurisdiction is a 404 like an unknown one; a bad period is a 400; a store
 * without time limits answers 503 (not a wrong figure); survey tallies sum
 * the responses within the unit asked for.
 */
import * as Indicator from "@civicgrid/core/Indicator"
import * as Period from "@civicgrid/core/Period"
import * as Survey from "@civicgrid/core/Survey"
import { SurveyRepository } from "@civicgrid/core/SurveyRepository"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlIndicators from "@civicgrid/sql/SqlIndicators"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { expect, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Authorization from "../src/Authorization.js"
import type * as Principal from "../src/Principal.js"
import * as Server from "../src/Server.js"
import {
  B1,
  C1,
  C2,
  C3,
  clientFor,
  type Dialect,
  dialects,
  env,
  login,
  principal,
  reportAt,
  S1,
  seedDemo
} from "./support/Harness.js"

const timeLimits = { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }

const tokens = new Map<string, Principal.Principal>([
  ["worker", principal("gw-li", "grid-worker", C1)],
  ["community", principal("cs-wang", "community-staff", C1)],
  ["street", principal("ss-zhao", "street-staff", S1)]
])

/** The Harness's server, but over a case store with time limits (the indicator tables complete). */
const envWithTimeLimits = (dialect: Dialect) => {
  const migrated = Layer.effectDiscard(Migrations.run.pipe(Effect.orDie)).pipe(
    Layer.provideMerge(dialect.fresh())
  )
  const repositories = SqlRepositories.layer({ timeLimits }).pipe(Layer.provideMerge(migrated))
  return Server.layer().pipe(
    Layer.provide(Authorization.layerMemory(tokens)),
    Layer.provideMerge(repositories),
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.orDie
  )
}

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(envWithTimeLimits(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(
    `metrics and surveys on ${dialect.name}`,
    (it) => {
      it.effect("考核指标: the indicators of a subtree per period are exactly SqlIndicators.compute's", () =>
        Effect.gen(function* () {
          const worker = yield* clientFor("worker")
          const community = yield* clientFor("community")
          const street = yield* clientFor("street")
          const reported = yield* worker.cases.report({ payload: reportAt(B1), headers: {} })
          yield* community.cases.accept({ path: { caseId: reported.caseId }, payload: {} })
          yield* street.cases.report({ payload: reportAt(C2), headers: {} })
          const asOf = yield* DateTime.now

          const mine = yield* community.metrics.indicators({ urlParams: { period: "month", asOf } })
          expect(mine.within).toBe(C1)
          expect(mine.granularity).toBe("month")
          expect(mine.periods.length).toBeGreaterThanOrEqual(1)
          const expected = yield* SqlIndicators.compute({ within: C1, periods: "month", asOf })
          expect(mine.periods).toEqual(expected.periods)
          expect(mine.unjudged).toBe(expected.unjudged.length)
          for (const p of mine.periods) {
            expect(Object.keys(p.indicators).sort()).toEqual([...Indicator.IndicatorId.literals].sort())
          }

          // a label asks for that one period; the street sees both communities
          const first = mine.periods[0]
          if (first === undefined) return yield* Effect.die("no period")
          const label = Period.label(first.period)
          const one = yield* street.metrics.indicators({ urlParams: { within: S1, period: label, asOf } })
          expect(one.periods.map((p) => p.label)).toEqual([first.label])
          const streetExpected = yield* SqlIndicators.compute({
            within: S1,
            periods: { from: first.period, to: first.period },
            asOf
          })
          expect(one.periods).toEqual(streetExpected.periods)
        }).pipe(Effect.orDie)
      )

      it.effect("辖区: a unit outside the jurisdiction is a 404, identical to an unknown unit", () =>
        Effect.gen(function* () {
          const community = yield* clientFor("community")
          const outside = yield* community.metrics
            .indicators({ urlParams: { within: C3, period: "month" } })
            .pipe(Effect.flip)
          const unknown = yield* community.metrics
            .indicators({ urlParams: { within: UnitId.make("nowhere"), period: "month" } })
            .pipe(Effect.flip)
          expect(outside._tag).toBe("NotFound")
          expect(unknown._tag).toBe("NotFound")
          const above = yield* community.metrics
            .indicators({ urlParams: { within: S1, period: "month" } })
            .pipe(Effect.flip)
          expect(above._tag).toBe("NotFound")
        }).pipe(Effect.orDie)
      )

      it.effect(
        "周期: a bad label, `to` before `period`, or too many periods is a 400 naming the field",
        () =>
          Effect.gen(function* () {
            const community = yield* clientFor("community")
            const cases = [
              { period: "2025-13" },
              { period: "not-a-period" },
              { period: "2025-06", to: "2025-01" },
              { period: "2020-01-01", to: "2025-12-31" },
              { period: "month", to: "2025-01" },
              { period: "2025-01", to: "2025-Q2" }
            ]
            for (const urlParams of cases) {
              const error = yield* community.metrics.indicators({ urlParams }).pipe(Effect.flip)
              expect([urlParams, error._tag]).toEqual([urlParams, "InvalidQuery"])
            }
          }).pipe(Effect.orDie)
      )

      it.effect(
        "满意度: survey tallies within a unit, 404 for another jurisdiction or an unknown question",
        () =>
          Effect.gen(function* () {
            const surveys = yield* SurveyRepository
            yield* surveys.putQuestion({
              id: "q-efficiency",
              text: "您对社区办事效率是否满意？",
              scale: Survey.FiveLevel
            })
            yield* surveys.record([
              { questionId: "q-efficiency", period: "2025-Q1", unitId: B1, level: "satisfied" },
              { questionId: "q-efficiency", period: "2025-Q1", unitId: C1, level: "very-satisfied" },
              { questionId: "q-efficiency", period: "2025-Q1", unitId: C1, level: "satisfied" },
              { questionId: "q-efficiency", period: "2025-Q1", unitId: C3, level: "dissatisfied" }
            ])
            const community = yield* clientFor("community")
            const mine = yield* community.surveys.tallies({
              urlParams: { questionId: "q-efficiency", period: "2025-Q1" }
            })
            expect(mine.within).toBe(C1)
            expect(mine.total).toEqual({
              "very-satisfied": 1,
              satisfied: 2,
              neutral: 0,
              dissatisfied: 0,
              "very-dissatisfied": 0
            })
            expect(mine.units.map((u) => u.unitId)).toEqual([...mine.units.map((u) => u.unitId)].sort())
            const sum = mine.units.reduce((n, u) => n + Object.values(u.tally).reduce((a, b) => a + b, 0), 0)
            expect(sum).toBe(3)

            const outside = yield* community.surveys
              .tallies({ urlParams: { questionId: "q-efficiency", period: "2025-Q1", within: C3 } })
              .pipe(Effect.flip)
            expect(outside._tag).toBe("NotFound")
            const unknown = yield* community.surveys
              .tallies({ urlParams: { questionId: "q-nope", period: "2025-Q1" } })
              .pipe(Effect.flip)
            expect(unknown).toMatchObject({ _tag: "NotFound", resource: "question" })
          }).pipe(Effect.orDie)
      )
    }
  )

  // the Harness's server: a case store without time limits cannot judge deadlines
  layer(Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect))), {
    excludeTestServices: true,
    timeout: "60 seconds"
  })(`metrics without time limits on ${dialect.name}`, (it) => {
    it.effect(
      "指标不可用: a store without time limits answers 503 MetricsUnavailable, never a wrong figure",
      () =>
        Effect.gen(function* () {
          const worker = yield* login(principal("gw-li", "grid-worker", C1))
          yield* worker.client.cases.report({ payload: reportAt(B1), headers: {} })
          const error = yield* worker.client.metrics
            .indicators({ urlParams: { period: "month" } })
            .pipe(Effect.flip)
          expect(error).toMatchObject({ _tag: "MetricsUnavailable", reason: "incomplete" })
        }).pipe(Effect.orDie)
    )
  })
}
