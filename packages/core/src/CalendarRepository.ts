/**
 * 年度日历仓库 — the port through which the year schedules an operator loads
 * (from a `ScheduleFile`: next year's State Council notice, before the SDK
 * ships it) are stored. The core declares it; `@civicgrid/sql` implements it,
 * `layerMemory` keeps it in memory. Apps read it once at start and build their
 * working calendar with `calendar` (shipped years plus loaded years).
 *
 * `put` checks every schedule (`WorkingCalendar.violations`: dates real and in
 * their year, none both a holiday and a make-up working day, a year at most
 * once per write) and stores them in one write, replacing a stored schedule of
 * the same year; on `InvalidCalendar` nothing is written.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import type { StorageUnavailable } from "./Storage.js"
import * as WorkingCalendar from "./WorkingCalendar.js"

/**
 * 已加载年度 — a stored year schedule and when it was loaded.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredYear {
  readonly schedule: WorkingCalendar.YearSchedule
  readonly loadedAt: DateTime.Utc
}

/**
 * Checks the schedules of one write: each as in a calendar, each year once.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (
  schedules: ReadonlyArray<WorkingCalendar.YearSchedule>
): Either.Either<void, WorkingCalendar.InvalidCalendar> =>
  Either.map(WorkingCalendar.make({ years: schedules }), () => undefined)

/**
 * 年度日历仓库 — the port.
 *
 * @since 0.1.0
 * @category tags
 */
export class CalendarRepository extends Context.Tag("@civicgrid/core/CalendarRepository")<
  CalendarRepository,
  {
    /** Checks and stores the schedules in one write (replacing stored ones of the same years), all or nothing. */
    readonly put: (
      schedules: ReadonlyArray<WorkingCalendar.YearSchedule>
    ) => Effect.Effect<void, WorkingCalendar.InvalidCalendar | StorageUnavailable>
    /** Every stored year, ascending. */
    readonly list: Effect.Effect<ReadonlyArray<StoredYear>, StorageUnavailable>
  }
>() {}

/**
 * 工作日历 — the working calendar of the stored years: `WorkingCalendar.chinaWith`
 * the stored schedules (shipped official years plus loaded ones).
 *
 * @since 0.1.0
 * @category getters
 */
export const calendar: Effect.Effect<
  WorkingCalendar.WorkingCalendar,
  WorkingCalendar.InvalidCalendar | StorageUnavailable,
  CalendarRepository
> = Effect.flatMap(CalendarRepository, (repository) =>
  Effect.flatMap(repository.list, (stored) => WorkingCalendar.chinaWith(stored.map((s) => s.schedule)))
)

/**
 * An in-memory store: each layer build starts empty.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CalendarRepository> = Layer.effect(
  CalendarRepository,
  Effect.gen(function* () {
    const store = yield* Ref.make(new Map<number, StoredYear>())
    return CalendarRepository.of({
      put: (schedules) =>
        Effect.gen(function* () {
          yield* check(schedules)
          const loadedAt = yield* DateTime.now
          yield* Ref.update(store, (m) => {
            const next = new Map(m)
            for (const schedule of schedules) next.set(schedule.year, { schedule, loadedAt })
            return next
          })
        }),
      list: Effect.map(Ref.get(store), (m) =>
        [...m.values()].sort((a, b) => a.schedule.year - b.schedule.year)
      )
    })
  })
)
