/**
 * 0013 — loaded year schedules (年度工作日历): the holiday schedules an
 * operator imported (`civicgrid calendar import`, `CalendarRepository`), one
 * row per year — the schedule as JSON (`WorkingCalendar.YearSchedule`: its
 * holidays, make-up working days and names), its source and when it was
 * loaded (epoch milliseconds). The app reads them at start beside the
 * schedules the SDK ships.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_calendar_years (
      year INTEGER PRIMARY KEY,
      schedule TEXT NOT NULL,
      source TEXT,
      loaded_at BIGINT NOT NULL
    )
  `
})
