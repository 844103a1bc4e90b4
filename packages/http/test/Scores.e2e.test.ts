/**
 * 考核记分卡 — `GET /metrics/scores` end to end through the typed client, on
 * SQLite and PostgreSQL: the child units' cards are exactly
 * `Score.scorecards` applied to `SqlIndicators.compute`'s figures for each
 * child; a minimum sample above every unit's sample ranks none; an unknown
 * profile is a 400 naming `profile` and listing the profiles; a unit outside
 * the jurisdiction is a 404 like an unknown one.
 */
import * as Indicator from "@civicgrid/core/Indicator"
import * as Period from "@civicgrid/core/Period"
import * as Score from "@civicgrid/core/Score"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlIndicators from "@civicgrid/sql/SqlIndicators"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { expect, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Authorization from "../src/Authorization.js"
import type * as Principal from "../src/Principal.js"
import * as Server from "../src/Server.js"
import {
  B1,
  C1,
  C2,
  clientFor,
  type Dialect,
  dialects,
  principal,
  reportAt,
  S1,
  S2,
  seedDemo
} from "./support/Harness.js"

const isIndicatorId = Schema.is(Indicator.IndicatorId)

const timeLimits = { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }

const tokens = new Map<string, Principal.Principal>([
  ["worker", principal("gw-li", "grid-worker", C1)],
  ["community", principal("cs-wang", "community-staff", C1)],
  ["street", principal("ss-zhao", "street-staff", S1)]
])

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
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(`scores on ${dialect.name}`, (it) => {
    it.effect("记分卡: the child units' cards are Score.scorecards over the indicator source's figures", () =>
      Effect.gen(function* () {
        const worker = yield* clientFor("worker")
        const community = yield* clientFor("community")
        const street = yield* clientFor("street")
        for (let i = 0; i < 3; i++) {
          const reported = yield* worker.cases.report({ payload: reportAt(B1), headers: {} })
          if (i < 2) yield* community.cases.accept({ path: { caseId: reported.caseId }, payload: {} })
        }
        yield* street.cases.report({ payload: reportAt(C2), headers: {} })
        const asOf = yield* DateTime.now
        const period = Period.periodOf(asOf, "month")
        const label = Period.label(period)

        for (const profile of Score.profiles) {
          for (const minSample of [0, 2, 1000]) {
            const got = yield* street.metrics.scores({
              urlParams: { profile: profile.id, within: S1, period: label, asOf, minSample }
            })
            const inputs = []
            for (const child of [C1, C2]) {
              const computed = yield* SqlIndicators.compute({
                within: child,
                periods: { from: period, to: period },
                asOf
              })
              inputs.push({ id: child, values: computed.periods[0]?.indicators ?? Indicator.empty })
            }
            const cards = Score.scorecards(profile, inputs, { minSample })
            expect(got.profile.id).toBe(profile.id)
            expect(got.period).toBe(label)
            expect(got.units.map((u) => u.unitId)).toEqual(cards.map((c) => c.input.id))
            got.units.forEach((unit, i) => {
              const card = cards[i]
              if (card === undefined) throw new Error("missing card")
              expect(unit.total).toEqual(Option.getOrNull(card.composite.score))
              expect(unit.grade).toEqual(Option.getOrNull(card.grade))
              expect(unit.light).toEqual(Option.getOrNull(card.light))
              expect(unit.rank).toEqual(Option.getOrNull(card.rank))
              expect(unit.status).toBe(card.status)
              expect(unit.indicators.map((x) => [x.indicatorId, x.name, x.nameEn])).toEqual(
                profile.indicators.map((x) => [x.id, x.name, x.nameEn])
              )
              for (const x of unit.indicators) {
                const id = x.indicatorId
                if (!isIndicatorId(id)) throw new Error(`not an indicator: ${id}`)
                const ratio = card.input.values[id]
                expect([x.numerator, x.denominator]).toEqual([ratio.numerator, ratio.denominator])
              }
              if (unit.rank !== null) expect(unit.sampleSize).toBeGreaterThanOrEqual(minSample)
            })
            if (minSample === 1000) expect(got.units.every((u) => u.rank === null)).toBe(true)
          }
        }
        // 金沙 has data: with no minimum sample it is ranked, and its indicators carry its cases
        const jinsha = (yield* street.metrics.scores({
          urlParams: { within: S1, period: label, asOf, minSample: 0 }
        })).units.find((u) => u.unitId === C1)
        expect(jinsha?.rank).not.toBeNull()
        expect(jinsha?.indicators.find((x) => x.indicatorId === "response")?.denominator).toBeGreaterThan(0)
      }).pipe(Effect.orDie)
    )

    it.effect("方案: an unknown profile is a 400 naming `profile` and listing the profiles", () =>
      Effect.gen(function* () {
        const street = yield* clientFor("street")
        const error = yield* street.metrics
          .scores({ urlParams: { profile: "no-such-profile", within: S1, period: "2025-03" } })
          .pipe(Effect.flip)
        expect(error._tag).toBe("InvalidQuery")
        if (error._tag !== "InvalidQuery") return
        expect(error.violations[0]?.field).toBe("profile")
        for (const p of Score.profiles) expect(error.violations[0]?.message).toContain(p.id)
        const granularity = yield* street.metrics
          .scores({ urlParams: { within: S1, period: "month" } })
          .pipe(Effect.flip)
        expect(granularity._tag).toBe("InvalidQuery")
      }).pipe(Effect.orDie)
    )

    it.effect("辖区: a unit outside the jurisdiction is a 404, like an unknown unit", () =>
      Effect.gen(function* () {
        const street = yield* clientFor("street")
        const community = yield* clientFor("community")
        const outside = yield* street.metrics
          .scores({ urlParams: { within: S2, period: "2025-03" } })
          .pipe(Effect.flip)
        const above = yield* community.metrics
          .scores({ urlParams: { within: S1, period: "2025-03" } })
          .pipe(Effect.flip)
        expect(outside._tag).toBe("NotFound")
        expect(above._tag).toBe("NotFound")
      }).pipe(Effect.orDie)
    )
  })
}
