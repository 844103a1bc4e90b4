/**
 * 指标来源 — the core's `IndicatorSource` port over SQL (`SqlIndicatorSource`,
 * as `SqlRepositories.layer` provides it) equals the core's reference
 * (`IndicatorSource.layerMemory`, `Indicator.compute` over the same stored
 * events and hierarchy), on SQLite and PostgreSQL: per subtree (district,
 * street, community, building), per granularity, for an explicit range with
 * its "no data" periods, with options; and both refuse an unknown unit and a
 * backwards range with the port's errors.
 */
import * as Case from "@civicgrid/core/Case"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as IndicatorSource from "@civicgrid/core/IndicatorSource"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Period from "@civicgrid/core/Period"
import * as Unit from "@civicgrid/core/Unit"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Migrations from "../src/Migrations.js"
import * as SqlRepositories from "../src/SqlRepositories.js"
import {
  accept,
  B1,
  C1,
  C2,
  C3,
  D,
  dispatch,
  handle,
  report,
  S1,
  S2,
  T0,
  timeLimits,
  units,
  verify
} from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Runs a command on the store: fold the stored events, decide, append after the version read. */
const run = (command: CaseCommand) =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository
    const history = yield* repo.events(command.caseId)
    const before = Case.fold(history)
    const events = yield* Case.decide(command, before)
    yield* repo.append({ caseId: command.caseId, expectedVersion: before.version, events })
  })

/** A few cases over two months: closed on time, closed late, open, in C1, its building, C2 and C3. */
const commands: ReadonlyArray<CaseCommand> = [
  report("k-1", { at: T0 }),
  accept("k-1", T0 + HOUR),
  dispatch("k-1", T0 + 2 * HOUR),
  handle("k-1", T0 + 3 * HOUR),
  verify("k-1", T0 + 4 * HOUR),
  report("k-2", { at: T0 + DAY, unit: B1 }),
  accept("k-2", T0 + 9 * DAY),
  report("k-3", { at: T0 + 2 * DAY, community: C2 }),
  accept("k-3", T0 + 2 * DAY + HOUR, C2),
  dispatch("k-3", T0 + 2 * DAY + 2 * HOUR, C2),
  report("k-4", { at: T0 + 35 * DAY, community: C3 }),
  report("k-5", { at: T0 + 40 * DAY, urgency: "urgent" }),
  accept("k-5", T0 + 40 * DAY + HOUR)
]

const asOf = DateTime.unsafeMake(T0 + 60 * DAY)

const month = (label: string) => Either.getOrThrow(Period.parse(label))

const queries: ReadonlyArray<IndicatorSource.Query> = [D, S1, S2, C1, C2, B1].flatMap((within) => [
  { within, periods: "month" as const, asOf },
  { within, periods: "day" as const, asOf },
  { within, periods: { from: month("2024-02"), to: month("2024-05") }, asOf },
  { within, periods: "week" as const, asOf: DateTime.unsafeMake(T0 + 3 * DAY + 5 * HOUR) },
  { within, periods: "month" as const, asOf, options: { basicWeight: 0.5, attributeBy: "location" as const } }
])

/** What the test compares: everything but the ratios' object identity. */
const comparable = (result: IndicatorSource.Result) => ({
  ...result,
  asOf: DateTime.toEpochMillis(result.asOf)
})

for (const dialect of dialects) {
  describe(`SqlIndicatorSource on ${dialect.name}`, () => {
    const migrated = Layer.effectDiscard(Effect.orDie(Migrations.run)).pipe(
      Layer.provideMerge(dialect.fresh())
    )
    const saved = Layer.effectDiscard(
      Effect.flatMap(HierarchyRepository, (repo) =>
        repo.save(
          LevelScheme.FiveLevel,
          units.map((u) => Unit.make({ id: u.id, parentId: u.parentId, level: u.level, name: u.name }))
        )
      ).pipe(Effect.orDie)
    )
    const stores = saved.pipe(
      Layer.provideMerge(SqlRepositories.layer({ timeLimits })),
      Layer.provideMerge(migrated)
    )

    it.effect("equals IndicatorSource.layerMemory over the same events and hierarchy", () =>
      Effect.gen(function* () {
        for (const command of commands) yield* run(command)
        const sql = yield* IndicatorSource.IndicatorSource
        const memory = yield* Effect.provide(
          IndicatorSource.IndicatorSource,
          IndicatorSource.layerMemory(timeLimits)
        )
        for (const query of queries) {
          const fromSql = yield* sql.compute(query)
          const fromMemory = yield* memory.compute(query)
          expect(comparable(fromSql), JSON.stringify(query)).toEqual(comparable(fromMemory))
        }
        const district = yield* sql.compute({ within: D, periods: "month", asOf })
        expect(district.periods.map((p) => p.label)).toEqual(["2024-03", "2024-04"])
      }).pipe(Effect.provide(stores), Effect.orDie)
    )

    it.effect(
      "both refuse an unknown unit and a range that ends before it starts, with the port's errors",
      () =>
        Effect.gen(function* () {
          const sql = yield* IndicatorSource.IndicatorSource
          const memory = yield* Effect.provide(
            IndicatorSource.IndicatorSource,
            IndicatorSource.layerMemory(timeLimits)
          )
          for (const source of [sql, memory]) {
            const unknown = yield* Effect.flip(
              source.compute({ within: "no-such-unit", periods: "month", asOf })
            )
            expect(unknown).toBeInstanceOf(IndicatorSource.IndicatorQueryInvalid)
            expect(unknown._tag === "IndicatorQueryInvalid" && unknown.field).toBe("within")
            const backwards = yield* Effect.flip(
              source.compute({ within: D, periods: { from: month("2024-05"), to: month("2024-02") }, asOf })
            )
            expect(backwards._tag === "IndicatorQueryInvalid" && backwards.field).toBe("periods")
          }
        }).pipe(Effect.provide(stores), Effect.orDie)
    )
  })
}
