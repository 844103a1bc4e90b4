import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"

const china = WorkingCalendar.china()
const beijing = (iso: string) => DateTime.unsafeMake(`${iso}+08:00`)
const inBeijing = (t: DateTime.Utc) =>
  DateTime.formatIsoOffset(DateTime.setZone(t, DateTime.zoneMakeOffset(8 * 3_600_000)))

// 工作日 — a case handed over on Tuesday 30 September 2025 at 15:00, due in 3 working days. A working
// day is one day's working time (7.5 h): 2.5 h that afternoon, then the National Day holiday (1–8 Oct)
// counts nothing, 7.5 h on 9 and 10 October, and the rest on the make-up Saturday 11 October.
export const threeWorkingDays = WorkDuration.addDuration(
  china,
  beijing("2025-09-30T15:00:00"),
  WorkDuration.workingDays(3)
).pipe(Either.map(inBeijing)) // → Right("2025-10-11T15:00:00.000+08:00")

// 自然日 — natural days run through holidays and nights alike.
export const threeNaturalDays = WorkDuration.addDuration(
  china,
  beijing("2025-09-30T15:00:00"),
  WorkDuration.naturalDays(3)
).pipe(Either.map(inBeijing)) // → Right("2025-10-03T15:00:00.000+08:00")

// 工作时 — a report on Friday evening: counting starts at the next working instant (Monday 08:30).
export const twoWorkingHours = WorkDuration.addDuration(
  china,
  beijing("2025-03-07T20:00:00"),
  WorkDuration.workingHours(2)
).pipe(Either.map(inBeijing)) // → Right("2025-03-10T10:30:00.000+08:00")

// 已用时长 — working time between two instants; a suspension 挂账 does not count.
export const used = WorkDuration.elapsed(
  china,
  beijing("2025-03-10T08:30:00"),
  beijing("2025-03-10T17:30:00"),
  "working-hours",
  [{ from: beijing("2025-03-10T14:30:00"), to: beijing("2025-03-10T16:30:00") }]
) // → Right(5.5): 7.5 working hours that day, less 2 suspended
