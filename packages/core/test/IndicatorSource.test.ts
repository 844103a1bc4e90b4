/**
 * 指标来源 — the reference `IndicatorSource` (`layerMemory`) over the core's
 * in-memory stores: a subtree's figures are `Indicator.compute`'s totals for
 * that unit (`report.get`), a granularity lists the periods with data, a
 * range lists every period of it ("no data" where there is none), and an
 * unknown unit, a missing hierarchy, a backwards range or bad options are
 * the port's typed errors. (The SQL source is
 * checked against this one in `@civicgrid/sql`.)
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { type Actor, ActorId } from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type { CaseCommand } from "../src/CaseCommand.js"
import type { CaseEvent } from "../src/CaseEvent.js"
import * as CaseRepository from "../src/CaseRepository.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as Indicator from "../src/Indicator.js"
import * as IndicatorSource from "../src/IndicatorSource.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Period from "../src/Period.js"
import * as TimeLimit from "../src/TimeLimit.js"
import * as Unit from "../src/Unit.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const rows = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "盘龙区" }),
  Unit.make({ id: "s1", parentId: "d", level: "street", name: "青云街道" }),
  Unit.make({ id: "s2", parentId: "d", level: "street", name: "金马街道" }),
  Unit.make({ id: "c1", parentId: "s1", level: "community", name: "金沙社区" }),
  Unit.make({ id: "c2", parentId: "s2", level: "community", name: "芙蓉社区" })
]
const hierarchy = Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, rows))
const timeLimits: CaseRepository.TimeLimits = {
  policy: TimeLimit.defaultPolicy,
  calendar: WorkingCalendar.china()
}

const actor = (role: Actor["role"], unitId: string): Actor => ({
  id: ActorId.make(`${role}-${unitId}`),
  role,
  unitId: Unit.UnitId.make(unitId)
})

const report = (caseId: string, community: string, at: string): CaseCommand => ({
  _tag: "Report",
  caseId: Case.CaseId.make(caseId),
  actor: actor("grid-worker", community),
  at: DateTime.unsafeMake(at),
  source: "patrol",
  categoryId: CategoryId.make("SJ-0201"),
  urgency: "normal",
  description: "楼道内小广告",
  location: { unitId: Unit.UnitId.make(community) },
  communityId: Unit.UnitId.make(community),
  tier: "community",
  anonymous: false,
  attributes: {}
})

const accept = (caseId: string, community: string, at: string): CaseCommand => ({
  _tag: "Accept",
  caseId: Case.CaseId.make(caseId),
  actor: actor("community-staff", community),
  at: DateTime.unsafeMake(at)
})

const commands: ReadonlyArray<CaseCommand> = [
  report("a", "c1", "2025-03-05T02:00:00Z"),
  accept("a", "c1", "2025-03-05T02:10:00Z"),
  report("b", "c1", "2025-05-06T02:00:00Z"),
  accept("b", "c1", "2025-05-09T02:00:00Z"), // 立案 late
  report("c", "c2", "2025-04-01T02:00:00Z"),
  accept("c", "c2", "2025-04-01T02:20:00Z")
]

const asOf = DateTime.unsafeMake("2025-06-30T00:00:00Z")
const month = (label: string) => Either.getOrThrow(Period.parse(label))

/** The stores with the hierarchy saved and the commands run; the source over them. */
const layer = (save: boolean) => {
  const stores = Layer.mergeAll(
    HierarchyRepository.layerMemory,
    CaseRepository.layerMemory({ units: rows, timeLimits })
  )
  const seeded = Layer.effectDiscard(
    Effect.gen(function* () {
      if (save) yield* (yield* HierarchyRepository.HierarchyRepository).save(LevelScheme.FiveLevel, rows)
      const repo = yield* CaseRepository.CaseRepository
      for (const command of commands) {
        const history = yield* repo.events(command.caseId)
        const before = Case.fold(history)
        const events = yield* Case.decide(command, before)
        yield* repo.append({ caseId: command.caseId, expectedVersion: before.version, events })
      }
    }).pipe(Effect.orDie)
  )
  return Layer.mergeAll(IndicatorSource.layerMemory(timeLimits), seeded).pipe(Layer.provideMerge(stores))
}

/** The events of every case, for the direct computation. */
const allEvents = Effect.gen(function* () {
  const repo = yield* CaseRepository.CaseRepository
  const out: Array<CaseEvent> = []
  for (const id of ["a", "b", "c"]) out.push(...(yield* repo.events(id)))
  return out
})

describe("IndicatorSource.layerMemory", () => {
  it.effect("a subtree's figures are Indicator.compute's totals for that unit, period by period", () =>
    Effect.gen(function* () {
      const source = yield* IndicatorSource.IndicatorSource
      const report = Either.getOrThrow(
        Indicator.compute({
          hierarchy,
          timeLimits: timeLimits.policy,
          calendar: timeLimits.calendar,
          granularity: "month",
          asOf,
          events: yield* allEvents
        })
      )
      for (const within of ["d", "s1", "s2", "c1", "c2"]) {
        const result = yield* source.compute({ within, periods: "month", asOf })
        expect(result.within).toBe(within)
        expect(result.granularity).toBe("month")
        expect(result.utcOffsetMinutes).toBe(480)
        for (const p of result.periods) {
          expect(Option.some(p.indicators)).toEqual(report.get(within, p.period))
        }
      }
      const district = yield* source.compute({ within: "d", periods: "month", asOf })
      expect(district.periods.map((p) => p.label)).toEqual(["2025-03", "2025-04", "2025-05"])
      const jinma = yield* source.compute({ within: "s2", periods: "month", asOf })
      expect(jinma.periods.map((p) => p.label)).toEqual(["2025-04"])
      expect(jinma.periods[0]?.indicators["on-time-filing"]).toEqual({ numerator: 1, denominator: 1 })
    }).pipe(Effect.provide(layer(true)))
  )

  it.effect("a range lists every period of it, 'no data' where there is none", () =>
    Effect.gen(function* () {
      const source = yield* IndicatorSource.IndicatorSource
      const result = yield* source.compute({
        within: "s2",
        periods: { from: month("2025-02"), to: month("2025-05") },
        asOf
      })
      expect(result.periods.map((p) => p.label)).toEqual(["2025-02", "2025-03", "2025-04", "2025-05"])
      expect(result.periods[0]?.indicators).toEqual(Indicator.empty)
      expect(result.periods[2]?.indicators["on-time-filing"]).toEqual({ numerator: 1, denominator: 1 })
    }).pipe(Effect.provide(layer(true)))
  )

  it.effect("an unknown unit, no saved hierarchy and a backwards range are IndicatorQueryInvalid", () =>
    Effect.gen(function* () {
      const source = yield* IndicatorSource.IndicatorSource
      const unknown = yield* Effect.flip(source.compute({ within: "nowhere", periods: "month", asOf }))
      expect(unknown._tag === "IndicatorQueryInvalid" && unknown.field).toBe("within")
      const backwards = yield* Effect.flip(
        source.compute({ within: "d", periods: { from: month("2025-05"), to: month("2025-02") }, asOf })
      )
      expect(backwards._tag === "IndicatorQueryInvalid" && backwards.field).toBe("periods")
      const badOptions = yield* Effect.flip(
        source.compute({ within: "d", periods: "month", asOf, options: { basicWeight: 2 } })
      )
      expect(badOptions._tag).toBe("IndicatorOptionsInvalid")
    }).pipe(Effect.provide(layer(true)))
  )

  it.effect("without a saved hierarchy every unit is unknown", () =>
    Effect.gen(function* () {
      const source = yield* IndicatorSource.IndicatorSource
      const error = yield* Effect.flip(source.compute({ within: "d", periods: "month", asOf }))
      expect(error).toBeInstanceOf(IndicatorSource.IndicatorQueryInvalid)
    }).pipe(Effect.provide(layer(false)))
  )
})
