/**
 * 导入台账 — `civicgrid import <file> --list problems|resources|tasks`:
 * reads a ledger (CSV or XLSX, by extension) within the import limits
 * (`Ledger.Limits`: a file past one is refused with one line naming the file,
 * the limit and the rule — a file too large before it is read), validates
 * every row (a rejected ledger lists every bad cell with its row, column,
 * header, field and rule), checks the whole list against the store (duplicate
 * ids, a problem's grid in its community …), then upserts it by id through the
 * SQL `ListRepository` in one transaction: every row or none. The store's own
 * checks (units in the hierarchy, a task's problem and resources) refuse the
 * whole file too. Shows a progress bar while writing; prints the rows skipped
 * (blank and footer rows) and the counts (new, updated, unchanged — unchanged
 * rows are not written again). `--crs` names the coordinate system 坐标系 of a
 * ledger's positions (`Crs.CrsFromName`: wgs84, gcj02/高德/腾讯, bd09/百度 …);
 * the store keeps WGS-84. None of the lists imported here (problems, resources,
 * tasks) carries coordinates, so a GCJ-02 or BD-09 `--crs` is reported as
 * having nothing to convert.
 *
 * @since 0.1.0
 */
import * as Crs from "@civicgrid/core/Crs"
import type * as HierarchyModule from "@civicgrid/core/Hierarchy"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type * as Database from "@civicgrid/demo/Database"
import type * as Csv from "@civicgrid/ledger/Csv"
import type * as Ledger from "@civicgrid/ledger/Ledger"
import type * as Xlsx from "@civicgrid/ledger/Xlsx"
import type * as Migrations from "@civicgrid/sql/Migrations"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Arr from "effect/Array"
import type { ConfigError } from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as DatabaseOption from "../DatabaseOption.js"
import { withExamples } from "../internal/help.js"
import type * as Lists from "../internal/lists.js"
import * as Progress from "../internal/Progress.js"
import * as LedgerFile from "../LedgerFile.js"

/**
 * Rows written per statement batch while importing (all in one transaction).
 *
 * @since 0.1.0
 * @category constants
 */
export const chunkSize = 500

/**
 * 导入结果 — how many rows the ledger held, how many of them were new to the
 * store, replaced a stored item with the same id (`updated`) or equalled it
 * (`unchanged`, not written again), and the rows skipped (blank and footer
 * rows, `Ledger.SkippedRow`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Imported {
  readonly list: LedgerFile.List
  readonly rows: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  readonly skipped: ReadonlyArray<Ledger.SkippedRow>
}

/**
 * 导入失败 — why `import` wrote nothing.
 *
 * @since 0.1.0
 * @category errors
 */
export type ImportError =
  | LedgerFile.UnsupportedFormat
  | LedgerFile.FileError
  | LedgerFile.DatabaseNotReady
  | DatabaseOption.DatabaseFileMissing
  | Ledger.LedgerImportError
  | Ledger.LedgerLimitExceeded
  | Csv.CsvSyntaxError
  | Xlsx.XlsxReadError
  | Xlsx.XlsxCellRefused
  | Lists.WriteError
  | HierarchyModule.UnitNotFound
  | Migrations.DatabaseTooNew
  | Database.InvalidDatabaseUrl
  | Database.DriverMissing
  | DatabaseOption.DatabaseUnavailable
  | StorageUnavailable
  | ConfigError
  | SqlError

/**
 * 导入 — reads, validates and imports a ledger file.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handler = (options: {
  readonly file: string
  readonly list: LedgerFile.List
  readonly database: Option.Option<string>
  /** 工作表 — XLSX: the sheet by name or 1-based position (default: found by its headers). */
  readonly sheet?: Option.Option<string>
  /** 坐标系 — the coordinate system of the ledger's positions (default WGS-84, stored as WGS-84). */
  readonly crs?: Crs.Crs
}): Effect.Effect<Imported, ImportError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const { file, list } = options
    const format = yield* LedgerFile.formatOf(file)
    const sheet = sheetOf(options.sheet)
    const database = yield* DatabaseOption.resolve(options.database)
    yield* DatabaseOption.requireExisting(database)
    const fs = yield* FileSystem.FileSystem
    const unreadable = (e: { readonly message: string }) =>
      new LedgerFile.FileError({ file, operation: "read", reason: e.message })
    const Lists = yield* Effect.promise(() => import("../internal/lists.js"))
    // a file past the size limit is refused before it is read into memory
    const info = yield* fs.stat(file).pipe(Effect.mapError(unreadable))
    yield* Lists.checkFileSize(file, Number(info.size))
    const bytes = yield* fs.readFile(file).pipe(Effect.mapError(unreadable))
    const name = DatabaseOption.describe(database)
    yield* Console.log(`数据库 database: ${name}`)
    const progress = yield* Progress.reporter

    const run = Lists.withList(list, (io) =>
      Effect.gen(function* () {
        yield* Lists.ready(name, { hierarchy: true })
        const known = yield* Lists.known(name)
        const report = yield* Lists.decode(io.spec, format, bytes, file, {
          units: Lists.unitsOf(known.hierarchy),
          ...(sheet === undefined ? {} : { sheet })
        })
        const items = report.rows
        yield* io.check(items, known)
        const store = yield* Lists.store
        const stored = new Map((yield* io.read(store, undefined)).map((item) => [io.idOf(item), item]))
        const created = items.filter((item) => !stored.has(io.idOf(item))).length
        const changed = items.filter((item) => {
          const before = stored.get(io.idOf(item))
          return before === undefined || !Lists.sameRow(io.spec, before, item)
        })
        const unchanged = items.length - changed.length
        const sql = yield* SqlClient.SqlClient
        const label = `写入 storing ${list}`
        const total = changed.length
        progress.update({ label, done: 0, total })
        yield* sql.withTransaction(
          Effect.forEach(
            Arr.chunksOf(changed, chunkSize),
            (chunk, i) =>
              Effect.tap(io.put(store, chunk), () =>
                Effect.sync(() =>
                  progress.update({ label, done: Math.min(total, (i + 1) * chunkSize), total })
                )
              ),
            { discard: true }
          )
        )
        progress.update({ label, done: total, total })
        const imported: Imported = {
          list,
          rows: items.length,
          created,
          updated: total - created,
          unchanged,
          skipped: report.skipped
        }
        return imported
      })
    )
    const imported = yield* run.pipe(
      Effect.ensuring(Effect.sync(progress.end)),
      Effect.provide(Lists.layerStores),
      Effect.provide(DatabaseOption.layer(database))
    )
    if (imported.skipped.length > 0) yield* Console.log(Lists.describeSkipped(imported.skipped))
    if (options.crs !== undefined && options.crs !== "WGS84") {
      yield* Console.log(
        `坐标系 --crs ${options.crs}：${LedgerFile.listNames[list]} 台账不含坐标，无需转换 — ` +
          `the ${list} ledger carries no coordinates; nothing to convert`
      )
    }
    yield* Console.log(
      `已导入 imported ${imported.rows} ${LedgerFile.listNames[list]} from ${file}: ` +
        `新增 ${imported.created}、更新 ${imported.updated}、未变 ${imported.unchanged} — ` +
        `${imported.created} new, ${imported.updated} updated, ${imported.unchanged} unchanged`
    )
    return imported
  })

/**
 * The ledger file argument.
 *
 * @since 0.1.0
 * @category options
 */
export const file = Args.text({ name: "file.csv|file.xlsx" }).pipe(
  Args.withDescription("The ledger to import: a .csv (UTF-8 or GB18030) or .xlsx file.")
)

/**
 * The `--sheet <name|index>` option.
 *
 * @since 0.1.0
 * @category options
 */
export const sheet = Options.text("sheet").pipe(
  Options.withPseudoName("name|index"),
  Options.withDescription(
    "XLSX only: the sheet 工作表 to read, by name or 1-based position. Default: the sheet named like the " +
      "list's ledger, else the first sheet whose header matches (an instructions sheet before it is passed over)."
  ),
  Options.optional
)

/**
 * The `--crs <wgs84|gcj02|bd09>` option: the coordinate system 坐标系 of the
 * ledger's positions, by name or alias (`Crs.CrsFromName`, case-insensitive:
 * wgs84/wgs-84/gps, gcj02/gcj-02/火星/高德/腾讯, bd09/bd-09/百度). Default WGS-84.
 *
 * @since 0.1.0
 * @category options
 */
export const crs: Options.Options<Crs.Crs> = Options.text("crs").pipe(
  Options.withPseudoName("wgs84|gcj02|bd09"),
  Options.withDescription(
    "The coordinate system 坐标系 of the ledger's positions: wgs84 (GPS, GeoJSON; the default), gcj02 " +
      "(高德/腾讯 maps) or bd09 (百度 maps); aliases wgs-84, gps, gcj-02, 火星, 高德, 腾讯, bd-09, 百度 are " +
      "accepted in any case. Positions are stored as WGS-84. The problems, resources and tasks ledgers carry " +
      "no coordinates, so for them nothing is converted."
  ),
  Options.mapEffect((name) =>
    Effect.mapError(Crs.decodeName(name), (error) => ValidationError.invalidValue(HelpDoc.p(error.message)))
  ),
  Options.withDefault<Crs.Crs>("WGS84")
)

/** A sheet given as digits is a 1-based position; anything else a name. */
const sheetOf = (given: Option.Option<string> | undefined): string | number | undefined => {
  const text = given === undefined ? undefined : Option.getOrUndefined(given)
  return text === undefined ? undefined : /^\d+$/.test(text.trim()) ? Number(text.trim()) : text
}

/**
 * The `import` subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make(
  "import",
  { file, list: LedgerFile.listOption, database: DatabaseOption.option, sheet, crs },
  (o) => Effect.asVoid(handler(o))
).pipe(
  Command.withDescription(
    withExamples(
      "Import a ledger 台账 (CSV or XLSX, by extension) into the problem, resource or task list. Every row " +
        "is validated first; if any cell is bad, each bad cell is listed with its row, column, header, field " +
        "and rule, nothing is written and the exit status is 1. Rows are upserted by id in one transaction " +
        "(all or nothing); the store refuses units outside the hierarchy and tasks whose problem or " +
        "resources are unknown (import problems and resources before tasks). The database must be migrated " +
        "and seeded. Cells are trimmed (U+3000 too), full-width digits and dates read as ASCII, tags split at " +
        "、 , ， ; ；, units named by id, name or path (金星街道/金星社区; an ambiguous name lists its candidates); " +
        "blank and footer rows (填表人, 审核人 …) are skipped and listed; a ledger of another list is refused " +
        "naming it; unchanged rows are reported as unchanged.",
      [
        ["civicgrid import problems.csv --list problems", "问题清单台账 from CSV"],
        [
          "civicgrid import 资源清单.xlsx --list resources --database sqlite:/tmp/civicgrid.sqlite",
          "资源清单台账 from Excel into a SQLite file"
        ],
        ["civicgrid import tasks.csv --list tasks", "任务清单台账 (after its problems and resources)"],
        ["civicgrid import 台账.xlsx --list problems --sheet 3月", "the sheet named 3月 of a workbook"],
        [
          "civicgrid import 台账.csv --list problems --crs gcj02",
          "positions drawn on 高德/腾讯 maps (GCJ-02)"
        ]
      ]
    )
  )
)
