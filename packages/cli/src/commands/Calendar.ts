/**
 * 年度工作日历 — `civicgrid calendar import <year.json|year.csv>` and
 * `civicgrid calendar list`: load next year's official holiday schedule
 * (国务院办公厅关于××年部分节假日安排的通知) into the database before the
 * schedules the SDK ships run out, and see which years are loaded and how far
 * the working calendar reaches.
 *
 * `import` reads the file (`ScheduleFile`: JSON or CSV, by extension), checks
 * it completely — every date of the year classified exactly once, make-up
 * working days 调休上班日 on weekends only, holidays named; every problem is
 * listed with its date and rule — and stores the year (`CalendarRepository`
 * on SQL) in one write: all or nothing; a year loaded again is replaced. The
 * server reads the loaded years when it starts (`civicgrid serve`: restart
 * it). `list` prints the shipped and loaded years and the last day the
 * calendar covers, with a warning from 60 days before it.
 *
 * @since 0.1.0
 */
import type * as ScheduleFile from "@civicgrid/core/ScheduleFile"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import type * as Database from "@civicgrid/demo/Database"
import type * as Migrations from "@civicgrid/sql/Migrations"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { ConfigError } from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as DatabaseOption from "../DatabaseOption.js"
import { withExamples } from "../internal/help.js"
import type * as LedgerFile from "../LedgerFile.js"

/**
 * 不支持的日历文件 — `calendar import` reads `.json` and `.csv` files only.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedCalendarFile extends Schema.TaggedError<UnsupportedCalendarFile>()(
  "UnsupportedCalendarFile",
  { file: Schema.String }
) {
  override get message(): string {
    return `不支持的日历文件 unsupported calendar file: ${this.file}; a year's schedule is a .json or .csv file (see the guide "Calendars, time limits and escalation")`
  }
}

/**
 * 日历命令失败 — why `calendar import` or `calendar list` did nothing.
 *
 * @since 0.1.0
 * @category errors
 */
export type CalendarError =
  | UnsupportedCalendarFile
  | LedgerFile.FileError
  | LedgerFile.DatabaseNotReady
  | ScheduleFile.ScheduleFileInvalid
  | WorkingCalendar.InvalidCalendar
  | DatabaseOption.DatabaseFileMissing
  | DatabaseOption.DatabaseUnavailable
  | Migrations.DatabaseTooNew
  | Database.InvalidDatabaseUrl
  | Database.DriverMissing
  | StorageUnavailable
  | ConfigError
  | SqlError

/**
 * 导入结果 — the year loaded, its counts and how far the calendar now reaches.
 *
 * @since 0.1.0
 * @category models
 */
export interface Imported {
  readonly year: number
  readonly source: string
  readonly holidays: number
  readonly makeUpWorkdays: number
  readonly replaced: boolean
  readonly coverage: WorkingCalendar.Coverage
}

const internal = Effect.promise(() => import("../internal/calendar.js"))

/**
 * 导入 — reads, checks and stores one year's schedule (all or nothing), and
 * prints what was loaded and how far the calendar now reaches.
 *
 * @since 0.1.0
 * @category handlers
 */
export const importHandler = (options: {
  readonly file: string
  readonly source: Option.Option<string>
  readonly database: Option.Option<string>
}): Effect.Effect<Imported, CalendarError, FileSystem.FileSystem | Path.Path> =>
  Effect.flatMap(internal, (m) => m.importHandler(options))

/**
 * 已加载年度 — what `calendar list` reports: the shipped official years, the
 * loaded ones (year, source, when), and the coverage from today.
 *
 * @since 0.1.0
 * @category models
 */
export interface Listing {
  readonly shipped: ReadonlyArray<number>
  readonly loaded: ReadonlyArray<{
    readonly year: number
    readonly source: string
    readonly loadedAt: string
  }>
  readonly coverage: WorkingCalendar.Coverage
}

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
  Effect.flatMap(internal, (m) => m.listHandler(options))

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
> = Effect.flatMap(internal, (m) => m.startWarning)

/**
 * The schedule file argument.
 *
 * @since 0.1.0
 * @category options
 */
export const file = Args.text({ name: "year.json|year.csv" }).pipe(
  Args.withDescription(
    "One year's official schedule: every date of the year with its kind (workday, restDay, holiday with its name, makeUpWorkday on a weekend), as JSON or CSV."
  )
)

/**
 * The `--source` option.
 *
 * @since 0.1.0
 * @category options
 */
export const source = Options.text("source").pipe(
  Options.withDescription(
    "来源 where the schedule comes from (the notice, e.g. 国务院办公厅关于2027年部分节假日安排的通知); default the JSON's source, else the file name."
  ),
  Options.optional
)

const importCommand = Command.make("import", { file, source, database: DatabaseOption.option }, (o) =>
  Effect.asVoid(importHandler(o))
).pipe(
  Command.withDescription(
    withExamples(
      "Load one year's official holiday schedule into the database: every date checked (each date of the year " +
        "once, make-up working days on weekends only, holidays named); on any problem each is listed with its " +
        "date and rule, nothing is written and the exit status is 1. A year loaded again is replaced. The " +
        "database must be migrated; restart the server to use the year.",
      [
        ["civicgrid calendar import 2027.json", "from the JSON file"],
        [
          "civicgrid calendar import 2027.csv --source '国务院办公厅关于2027年部分节假日安排的通知'",
          "from CSV, naming the notice"
        ]
      ]
    )
  )
)

const listCommand = Command.make("list", { database: DatabaseOption.option }, (o) =>
  Effect.asVoid(listHandler(o))
).pipe(
  Command.withDescription(
    "List the shipped official years and the years loaded into the database, and the last day the working " +
      "calendar covers; warns from 60 days before it."
  )
)

/**
 * The `calendar` subcommand (`import`, `list`).
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("calendar", {}, () =>
  Console.log(
    "civicgrid calendar import <year.json|year.csv>   load a year's official holiday schedule\n" +
      "civicgrid calendar list                          the loaded years and the last covered day"
  )
).pipe(
  Command.withDescription(
    withExamples(
      "年度工作日历: load next year's official holiday schedule (import) and see how far the calendar reaches " +
        "(list). Import the year from the State Council's notice before the last loaded day: a working-time " +
        "deadline in a year with no schedule fails with YearNotLoaded.",
      [
        ["civicgrid calendar import 2027.json", "load 2027 (checked; all or nothing)"],
        ["civicgrid calendar list", "the loaded years and the last covered day"]
      ]
    )
  ),
  Command.withSubcommands([importCommand, listCommand])
)
