/**
 * The work of `civicgrid calendar` and of `serve`'s start warning, loaded on
 * demand (it loads the core's calendar and the SQL store).
 */
import * as CalendarRepository from "@civicgrid/core/CalendarRepository"
import * as ScheduleFile from "@civicgrid/core/ScheduleFile"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlCalendarRepository from "@civicgrid/sql/SqlCalendarRepository"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Console from "effect/Console"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { CalendarError, Imported, Listing } from "../commands/Calendar.js"
import { UnsupportedCalendarFile } from "../commands/Calendar.js"
import * as DatabaseOption from "../DatabaseOption.js"
import * as LedgerFile from "../LedgerFile.js"

/** The database must carry the calendar table (migration 0013) and be no newer than this code. */
const ready = (
  database: string
): Effect.Effect<
  void,
  LedgerFile.DatabaseNotReady | Migrations.DatabaseTooNew | SqlError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const version = yield* Migrations.databaseVersion
    const latest = Migrations.latestVersion
    if (version > latest)
      return yield* new Migrations.DatabaseTooNew({ databaseVersion: version, codeVersion: latest })
    if (version < SqlCalendarRepository.migration) {
      return yield* new LedgerFile.DatabaseNotReady({ database, reason: "not-migrated", version, latest })
    }
  })

const today = (calendar: WorkingCalendar.WorkingCalendar) =>
  Effect.map(DateTime.now, (now) => WorkingCalendar.dateOf(calendar, now))

const reachLine = (found: WorkingCalendar.Coverage, on: WorkingCalendar.LocalDate): string =>
  found.lastDay === undefined
    ? `日历覆盖 coverage: today (${on}) is in no loaded year`
    : `日历覆盖 coverage: the calendar reaches ${found.lastDay} (${found.daysLeft} day(s) from ${on})`

/**
 * 导入 — reads, checks and stores one year's schedule.
 *
 * @since 0.1.0
 * @category handlers
 */
export const importHandler = (options: {
  readonly file: string
  readonly source: Option.Option<string>
  readonly database: Option.Option<string>
}): Effect.Effect<Imported, CalendarError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const { file } = options
    const path = yield* Path.Path
    const extension = path.extname(file).toLowerCase()
    if (extension !== ".json" && extension !== ".csv") return yield* new UnsupportedCalendarFile({ file })
    const database = yield* DatabaseOption.resolve(options.database)
    yield* DatabaseOption.requireExisting(database)
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(file)
      .pipe(Effect.mapError((e) => new LedgerFile.FileError({ file, operation: "read", reason: e.message })))
    const given = Option.getOrUndefined(options.source)
    const decoded =
      extension === ".json"
        ? yield* ScheduleFile.decodeJson(text)
        : yield* ScheduleFile.decodeCsv(text, { source: given ?? path.basename(file) })
    const source = given ?? decoded.source ?? path.basename(file)
    const schedule = ScheduleFile.toYearSchedule({ ...decoded, source })
    const name = DatabaseOption.describe(database)
    yield* Console.log(`数据库 database: ${name}`)
    const imported = yield* Effect.gen(function* () {
      yield* ready(name)
      const repository = yield* CalendarRepository.CalendarRepository
      const replaced = (yield* repository.list).some((s) => s.schedule.year === schedule.year)
      yield* repository.put([schedule])
      const calendar = yield* SqlCalendarRepository.calendar
      const on = yield* today(calendar)
      const result: Imported = {
        year: schedule.year,
        source,
        holidays: schedule.holidays.length,
        makeUpWorkdays: schedule.workdays.length,
        replaced,
        coverage: WorkingCalendar.coverage(calendar, on)
      }
      yield* Console.log(
        [
          `已加载 loaded ${schedule.year} from ${file}${replaced ? " (replacing the year loaded before)" : ""}: ` +
            `${decoded.days.length} dates — ${result.holidays} holiday(s) 节假日, ${result.makeUpWorkdays} make-up working day(s) 调休上班日`,
          `来源 source: ${source}`,
          reachLine(result.coverage, on),
          "重启服务 restart the server (civicgrid serve) to run on it: the calendar is read at start"
        ].join("\n")
      )
      return result
    }).pipe(Effect.provide(SqlCalendarRepository.layer), Effect.provide(DatabaseOption.layer(database)))
    return imported
  })

/**
 * 列表 — prints the shipped and loaded years and how far the calendar reaches,
 * with a warning line from 60 days before its last day.
 *
 * @since 0.1.0
 * @category handlers
 */
export const listHandler = (options: {
  readonly database: Option.Option<string>
}): Effect.Effect<Listing, CalendarError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(options.database)
    yield* DatabaseOption.requireExisting(database)
    const name = DatabaseOption.describe(database)
    return yield* Effect.gen(function* () {
      yield* ready(name)
      const stored = yield* (yield* CalendarRepository.CalendarRepository).list
      const calendar = yield* SqlCalendarRepository.calendar
      const on = yield* today(calendar)
      const shipped = WorkingCalendar.officialYears()
      const listing: Listing = {
        shipped,
        loaded: stored.map((s) => ({
          year: s.schedule.year,
          source: s.schedule.source ?? "",
          loadedAt: DateTime.formatIso(s.loadedAt)
        })),
        coverage: WorkingCalendar.coverage(calendar, on)
      }
      const warning = WorkingCalendar.coverageWarning(listing.coverage, on)
      yield* Console.log(
        [
          `数据库 database: ${name}`,
          `随附年度 shipped official years: ${shipped[0] ?? "—"}–${shipped.at(-1) ?? "—"} (chinese-days)`,
          listing.loaded.length === 0 ? "已加载年度 loaded years: none" : "已加载年度 loaded years:",
          ...listing.loaded.map((l) => `  ${l.year}  loaded ${l.loadedAt}  source: ${l.source}`),
          reachLine(listing.coverage, on),
          ...(warning === undefined ? [] : [`警告 warning: ${warning}`])
        ].join("\n")
      )
      return listing
    }).pipe(Effect.provide(SqlCalendarRepository.layer), Effect.provide(DatabaseOption.layer(database)))
  })

/**
 * 启动提醒 — the warning line `civicgrid serve` prints at start when the
 * calendar it runs on ends within 60 days (or today's year is not loaded),
 * else nothing.
 *
 * @since 0.1.0
 * @category handlers
 */
export const startWarning: Effect.Effect<
  Option.Option<string>,
  WorkingCalendar.InvalidCalendar | StorageUnavailable,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const calendar = yield* SqlCalendarRepository.calendar
  const on = yield* today(calendar)
  return Option.fromNullable(
    WorkingCalendar.coverageWarning(WorkingCalendar.coverage(calendar, on), on)
  ).pipe(Option.map((line) => `警告 warning: ${line}`))
})
