/**
 * 年度日历仓库（SQL） — the core's `CalendarRepository` on `@effect/sql`, the
 * same code for SQLite and PostgreSQL (table `cg_calendar_years`, migration
 * 0013): the year schedules an operator loaded, one row per year. A write
 * checks the schedules with the core (`CalendarRepository.check`) and upserts
 * them by year in one transaction: all or nothing.
 *
 * `calendar` reads the stored years once and builds the working calendar the
 * app runs on (`WorkingCalendar.chinaWith`: shipped official years plus
 * loaded ones); on a database not yet migrated to 0013 there are no loaded
 * years (no table `cg_calendar_years`), so it is the shipped calendar; the
 * check only reads, so it may run while the migrations do.
 *
 * @since 0.1.0
 */
import * as CalendarRepository from "@civicgrid/core/CalendarRepository"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as SqlClient from "@effect/sql/SqlClient"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { fromJson, num, orUnavailable, tableExists, toJson } from "./internal/support.js"

interface Row {
  readonly year: number | string
  readonly schedule: string
  readonly loaded_at: number | string
}

/**
 * The migration that creates `cg_calendar_years`.
 *
 * @since 0.1.0
 * @category constants
 */
export const migration = 13

/**
 * The table of loaded years.
 *
 * @since 0.1.0
 * @category constants
 */
export const table = "cg_calendar_years"

const encode = toJson(WorkingCalendar.YearSchedule)
const decode = fromJson(WorkingCalendar.YearSchedule)

/**
 * Builds the SQL store of loaded year schedules.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<CalendarRepository.CalendarRepository["Type"], never, SqlClient.SqlClient> =
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return CalendarRepository.CalendarRepository.of({
      put: (schedules) =>
        Effect.gen(function* () {
          yield* CalendarRepository.check(schedules)
          if (schedules.length === 0) return
          const loadedAt = (yield* DateTime.now).epochMillis
          const rows = schedules.map((s) => ({
            year: s.year,
            schedule: encode(s),
            source: s.source ?? null,
            loaded_at: loadedAt
          }))
          yield* sql`INSERT INTO cg_calendar_years ${sql.insert(rows)}
          ON CONFLICT (year) DO UPDATE SET schedule = excluded.schedule, source = excluded.source,
          loaded_at = excluded.loaded_at`.pipe(orUnavailable)
        }).pipe(Effect.withSpan("SqlCalendarRepository.put")),
      list: sql<Row>`SELECT year, schedule, loaded_at FROM cg_calendar_years ORDER BY year`.pipe(
        Effect.map((rows) =>
          rows.map(
            (row): CalendarRepository.StoredYear => ({
              schedule: { ...decode(row.schedule), year: num(row.year) },
              loadedAt: DateTime.unsafeMake(num(row.loaded_at))
            })
          )
        ),
        orUnavailable,
        Effect.withSpan("SqlCalendarRepository.list")
      )
    })
  })

/**
 * The SQL store of loaded year schedules as a Layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CalendarRepository.CalendarRepository, never, SqlClient.SqlClient> =
  Layer.effect(CalendarRepository.CalendarRepository, make)

/**
 * 工作日历 — the working calendar of the database: the shipped official years
 * plus the stored ones (`CalendarRepository.calendar`), read once. A database
 * below migration 0013 (no table `cg_calendar_years`) has no stored years: the
 * shipped calendar.
 *
 * @since 0.1.0
 * @category getters
 */
export const calendar: Effect.Effect<
  WorkingCalendar.WorkingCalendar,
  WorkingCalendar.InvalidCalendar | StorageUnavailable,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  // a database below migration 0013 stores no year: the shipped ones
  if (!(yield* tableExists(table))) return WorkingCalendar.china()
  return yield* CalendarRepository.calendar.pipe(Effect.provide(layer))
})
