import * as ScheduleFile from "@civicgrid/core/ScheduleFile"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Either from "effect/Either"

// A skeleton for 2027: every date classified by its weekday alone (workday / restDay), ready to be
// edited — mark each date of the State Council's notice as a named holiday or a makeUpWorkday.
export const skeleton = ScheduleFile.fromYearSchedule({ year: 2027, holidays: [], workdays: [] })
export const skeletonCsv = ScheduleFile.encodeCsv(skeleton) // "date,kind,name\r\n2027-01-01,workday,\r\n…"

// SYNTHETIC dates for illustration — NOT the 2027 notice: copy the notice's dates instead.
const edited = skeletonCsv
  .replace("2027-01-01,workday,", "2027-01-01,holiday,元旦")
  .replace("2027-01-09,restDay,", "2027-01-09,makeUpWorkday,")
export const file = ScheduleFile.decodeCsv(edited, { source: "synthetic example" })
// → Right({ year: 2027, source: "synthetic example", days: [365 dates] })

// What `civicgrid calendar import` stores, and the calendar the server builds from it at start:
export const calendar = Either.flatMap(file, (f) =>
  WorkingCalendar.chinaWith([ScheduleFile.toYearSchedule(f)])
)
export const reach = Either.map(calendar, (c) =>
  WorkingCalendar.coverage(c, WorkingCalendar.LocalDate.make("2026-12-06"))
) // → Right({ lastDay: "2027-12-31", daysLeft: 390, warning: false })

// Every problem is listed with its date and rule; nothing is loaded:
export const refused = ScheduleFile.decodeCsv(
  edited
    .replace("2027-01-04,workday,", "2027-01-04,makeUpWorkday,")
    .replace("2027-01-01,holiday,元旦", "2027-01-01,holiday,")
)
// → Left(ScheduleFileInvalid) with "2027-01-01 [name, holiday-name]" and "2027-01-04 [kind, make-up-on-weekday]"
