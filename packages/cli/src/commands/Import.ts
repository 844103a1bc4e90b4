/**
 * 导入台账 — `civicgrid import <file> --list <kind>`: the lists
 * (problems|resources|tasks) or a district's base data (units,
 * party-organizations, buildings, grids, staff, assignments, departments —
 * `internal/baseData`, see there: units import into an empty migrated
 * database, the others need the hierarchy; grids also from a GeoJSON
 * FeatureCollection or with a `边界(WKT)` column; `--crs` converts building
 * positions and grid boundaries to WGS-84; `--scheme` names the level scheme
 * of a unit ledger) or a policy replacing the defaults (categories, routing,
 * time-limits — `internal/policies`: the whole document checked through the
 * core's `PolicyRepository` and stored as one; a running server reads it when
 * it starts), or a people ledger (visits 走访台账, key-groups 重点人群台账 —
 * `internal/people`: every row through the core's checks, refusals by row,
 * one transaction; key groups need `CIVICGRID_PEOPLE_KEYS` and `--actor`).
 * Each kind has its importer in `importers` (a record of
 * kind → importer, to extend with more kinds). A list import
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
 * the store keeps WGS-84. The lists (problems, resources, tasks) and the
 * base data without coordinates carry none, so a GCJ-02 or BD-09 `--crs` is
 * reported there as having nothing to convert.
 *
 * @since 0.1.0
 */

import type { Role } from "@civicgrid/core/Actor"
import * as Crs from "@civicgrid/core/Crs"
import type * as HierarchyModule from "@civicgrid/core/Hierarchy"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type { VisitRefused } from "@civicgrid/core/Visit"
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
import type * as BaseData from "../internal/baseData.js"
import type * as DeliberationLedgers from "../internal/deliberation.js"
import { withExamples } from "../internal/help.js"
import type * as Lists from "../internal/lists.js"
import type * as Organization from "../internal/organization.js"
import * as Progress from "../internal/Progress.js"
import type * as People from "../internal/people.js"
import type * as Policies from "../internal/policies.js"
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
 * (`unchanged`, not written again), the rows skipped (blank and footer
 * rows, `Ledger.SkippedRow`); for kinds stored whole (units, party
 * organisations) the stored items the file left out (`removed`), and for
 * kinds with coordinates how many were converted to WGS-84 (`converted`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Imported {
  readonly list: LedgerFile.ImportKind
  readonly rows: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  readonly skipped: ReadonlyArray<Ledger.SkippedRow>
  readonly removed?: number
  readonly converted?: number
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
  | BaseData.BaseDataError
  | Policies.PolicyImportError
  | People.PeopleError
  | Organization.OrganizationError
  | DeliberationLedgers.DeliberationError
  | VisitRefused
  | HierarchyModule.UnitNotFound
  | Migrations.DatabaseTooNew
  | Database.InvalidDatabaseUrl
  | Database.DriverMissing
  | DatabaseOption.DatabaseUnavailable
  | StorageUnavailable
  | ConfigError
  | SqlError

/**
 * 导入输入 — what an importer is given: the file, its format and bytes, the
 * options of the command and the database.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportInput {
  readonly file: string
  readonly format: LedgerFile.InputFormat
  readonly bytes: Uint8Array
  readonly sheet: string | number | undefined
  readonly crs: Crs.Crs
  readonly scheme: string | undefined
  readonly database: Database.Database
  /** The database as messages name it. */
  readonly name: string
  readonly progress: Progress.Reporter
  /** 操作人 — `--actor` and `--role` (people ledgers). */
  readonly actor?: string | undefined
  readonly role?: Role
}

/**
 * 导入过程 — what an importer did: the counts and the lines to print after them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Outcome extends Omit<Imported, "list"> {
  readonly notes: ReadonlyArray<string>
}

/**
 * 导入器 — imports one kind of ledger.
 *
 * @since 0.1.0
 * @category models
 */
export type Importer = (
  input: ImportInput
) => Effect.Effect<Outcome, ImportError, FileSystem.FileSystem | Path.Path>

/** A list (problems, resources, tasks): upserted by id through the `ListRepository`. */
const listImporter =
  (list: LedgerFile.List): Importer =>
  (input) =>
    Effect.gen(function* () {
      if (input.format === "geojson") {
        return yield* new LedgerFile.UnsupportedFormat({ file: input.file, extension: ".geojson" })
      }
      const format = input.format
      const Lists = yield* Effect.promise(() => import("../internal/lists.js"))
      const { progress } = input
      const run = Lists.withList(list, (io) =>
        Effect.gen(function* () {
          yield* Lists.ready(input.name, { hierarchy: true })
          const known = yield* Lists.known(input.name)
          const report = yield* Lists.decode(io.spec, format, input.bytes, input.file, {
            units: Lists.unitsOf(known.hierarchy),
            ...(input.sheet === undefined ? {} : { sheet: input.sheet })
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
          const outcome: Outcome = {
            rows: items.length,
            created,
            updated: total - created,
            unchanged,
            skipped: report.skipped,
            notes: []
          }
          return outcome
        })
      )
      return yield* run.pipe(
        Effect.provide(Lists.layerStores),
        Effect.provide(DatabaseOption.layer(input.database))
      )
    })

/** Base data (`internal/baseData`): checked whole through the core, written in one transaction. */
const baseImporter =
  (kind: LedgerFile.BaseKind): Importer =>
  (input) =>
    Effect.gen(function* () {
      const BaseData = yield* Effect.promise(() => import("../internal/baseData.js"))
      const label = `写入 storing ${kind}`
      const result = yield* BaseData.importers[kind]({
        file: input.file,
        format: input.format,
        bytes: input.bytes,
        crs: input.crs,
        database: input.name,
        progress: (done, total) => input.progress.update({ label, done, total }),
        ...(input.sheet === undefined ? {} : { sheet: input.sheet }),
        ...(input.scheme === undefined ? {} : { scheme: input.scheme })
      }).pipe(Effect.provide(BaseData.layerStores), Effect.provide(DatabaseOption.layer(input.database)))
      const outcome: Outcome = { ...result }
      return outcome
    })

/** A policy (`internal/policies`): checked whole through the core, stored as one document. */
const policyImporter =
  (kind: LedgerFile.PolicyKind): Importer =>
  (input) =>
    Effect.gen(function* () {
      const Policies = yield* Effect.promise(() => import("../internal/policies.js"))
      const label = `写入 storing ${kind}`
      const result = yield* Policies.importPolicy(kind, {
        file: input.file,
        format: input.format,
        bytes: input.bytes,
        database: input.name,
        progress: (done, total) => input.progress.update({ label, done, total }),
        ...(input.sheet === undefined ? {} : { sheet: input.sheet })
      }).pipe(Effect.provide(Policies.layerStores), Effect.provide(DatabaseOption.layer(input.database)))
      const outcome: Outcome = { ...result }
      return outcome
    })

/**
 * People ledgers (`internal/people`): every row through the core's checks (visits: `recordVisit`;
 * key groups: the enrolment rules and the store's writes), residents sealed, all in one transaction.
 */
const peopleImporter =
  (kind: "visits" | "key-groups"): Importer =>
  (input) =>
    Effect.gen(function* () {
      const People = yield* Effect.promise(() => import("../internal/people.js"))
      const keyring = yield* People.keyring(kind)
      const label = `写入 storing ${kind}`
      const result = yield* People.importers[kind]({
        file: input.file,
        format: input.format,
        bytes: input.bytes,
        database: input.name,
        operator: {
          actor: input.actor,
          role: input.role ?? "community-staff",
          reason: undefined,
          identity: false
        },
        progress: (done, total) => input.progress.update({ label, done, total }),
        ...(input.sheet === undefined ? {} : { sheet: input.sheet })
      }).pipe(
        Effect.provide(People.layerStores(keyring)),
        Effect.provide(DatabaseOption.layer(input.database))
      )
      const outcome: Outcome = { ...result }
      return outcome
    })

/**
 * Organisation ledgers (`internal/organization`): the record rules of the core refuse by row, the
 * organisation check of the store is printed after; all in one transaction.
 */
const organizationImporter =
  (kind: LedgerFile.OrganizationKind): Importer =>
  (input) =>
    Effect.gen(function* () {
      const Organization = yield* Effect.promise(() => import("../internal/organization.js"))
      const label = `写入 storing ${kind}`
      const result = yield* Organization.importers[kind]({
        file: input.file,
        format: input.format,
        bytes: input.bytes,
        database: input.name,
        progress: (done, total) => input.progress.update({ label, done, total }),
        ...(input.sheet === undefined ? {} : { sheet: input.sheet })
      }).pipe(Effect.provide(Organization.layerStores), Effect.provide(DatabaseOption.layer(input.database)))
      const outcome: Outcome = { ...result }
      return outcome
    })

/**
 * Deliberation ledgers (`internal/deliberation`): every row through the core's use case
 * `DeliberationRepository.handle` as the operator `--actor`, refusals by row; one transaction.
 */
const deliberationImporter =
  (kind: LedgerFile.DeliberationKind): Importer =>
  (input) =>
    Effect.gen(function* () {
      const Deliberation = yield* Effect.promise(() => import("../internal/deliberation.js"))
      const label = `写入 storing ${kind}`
      const result = yield* Deliberation.importers[kind]({
        file: input.file,
        format: input.format,
        bytes: input.bytes,
        database: input.name,
        actor: input.actor,
        role: input.role ?? "community-staff",
        progress: (done, total) => input.progress.update({ label, done, total }),
        ...(input.sheet === undefined ? {} : { sheet: input.sheet })
      }).pipe(Effect.provide(Deliberation.layerStores), Effect.provide(DatabaseOption.layer(input.database)))
      const outcome: Outcome = { ...result }
      return outcome
    })

/**
 * 导入器表 — the importer of every kind `--list` takes.
 *
 * @since 0.1.0
 * @category constants
 */
export const importers: Readonly<Record<LedgerFile.ImportKind, Importer>> = {
  problems: listImporter("problems"),
  resources: listImporter("resources"),
  tasks: listImporter("tasks"),
  units: baseImporter("units"),
  "party-organizations": baseImporter("party-organizations"),
  buildings: baseImporter("buildings"),
  grids: baseImporter("grids"),
  staff: baseImporter("staff"),
  assignments: baseImporter("assignments"),
  departments: baseImporter("departments"),
  visits: peopleImporter("visits"),
  "key-groups": peopleImporter("key-groups"),
  bodies: organizationImporter("bodies"),
  posts: organizationImporter("posts"),
  memberships: organizationImporter("memberships"),
  compounds: organizationImporter("compounds"),
  populations: organizationImporter("populations"),
  "stairwell-staff": organizationImporter("stairwell-staff"),
  "post-holders": organizationImporter("post-holders"),
  appraisals: organizationImporter("appraisals"),
  "weak-and-lax": organizationImporter("weak-and-lax"),
  meetings: deliberationImporter("meetings"),
  publications: deliberationImporter("publications"),
  categories: policyImporter("categories"),
  routing: policyImporter("routing"),
  "time-limits": policyImporter("time-limits")
}

/**
 * 导入 — reads, validates and imports a ledger file.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handler = (options: {
  readonly file: string
  readonly list: LedgerFile.ImportKind
  readonly database: Option.Option<string>
  /** 工作表 — XLSX: the sheet by name or 1-based position (default: found by its headers). */
  readonly sheet?: Option.Option<string>
  /** 坐标系 — the coordinate system of the ledger's positions (default WGS-84, stored as WGS-84). */
  readonly crs?: Crs.Crs
  /** 层级方案 — units: a scheme id or a JSON scheme file (default: the first scheme that fits). */
  readonly scheme?: Option.Option<string>
  /** 操作人 — people ledgers: who imports (登记人 of key-group rows that name none). */
  readonly actor?: Option.Option<string>
  readonly role?: Role
}): Effect.Effect<Imported, ImportError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const { file, list } = options
    const format = yield* LedgerFile.inputFormatOf(file, list)
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
    const crs = options.crs ?? "WGS84"
    const scheme = options.scheme === undefined ? undefined : Option.getOrUndefined(options.scheme)
    const outcome = yield* importers[list]({
      file,
      format,
      bytes,
      sheet: sheetOf(options.sheet),
      crs,
      scheme,
      database,
      name,
      progress,
      actor: options.actor === undefined ? undefined : Option.getOrUndefined(options.actor),
      ...(options.role === undefined ? {} : { role: options.role })
    }).pipe(Effect.ensuring(Effect.sync(progress.end)))
    if (scheme !== undefined && list !== "units") {
      yield* Console.log(
        `层级方案 --scheme 只用于 --list units，已忽略 — --scheme applies to --list units only; ignored`
      )
    }
    if (outcome.skipped.length > 0) yield* Console.log(Lists.describeSkipped(outcome.skipped))
    if (crs !== "WGS84") {
      yield* Console.log(
        outcome.converted === undefined
          ? `坐标系 --crs ${crs}：${LedgerFile.importKindNames[list]} 台账不含坐标，无需转换 — ` +
              `the ${list} ledger carries no coordinates; nothing to convert`
          : `坐标系 --crs ${crs}：已将 ${outcome.converted} 个坐标转换为 WGS-84 — ` +
              `${outcome.converted} coordinate(s) converted from ${crs} to WGS-84`
      )
    }
    const removed = outcome.removed === undefined || outcome.removed === 0 ? undefined : outcome.removed
    yield* Console.log(
      `已导入 imported ${outcome.rows} ${LedgerFile.importKindNames[list]} from ${file}: ` +
        `新增 ${outcome.created}、更新 ${outcome.updated}、未变 ${outcome.unchanged}` +
        `${removed === undefined ? "" : `、移除 ${removed}`} — ` +
        `${outcome.created} new, ${outcome.updated} updated, ${outcome.unchanged} unchanged` +
        `${removed === undefined ? "" : `, ${removed} removed`}`
    )
    for (const line of outcome.notes) yield* Console.log(line)
    const { notes: _notes, ...counts } = outcome
    const imported: Imported = { list, ...counts }
    return imported
  })

/**
 * The ledger file argument.
 *
 * @since 0.1.0
 * @category options
 */
export const file = Args.text({ name: "file.csv|file.xlsx" }).pipe(
  Args.withDescription(
    "The ledger to import: a .csv (UTF-8 or GB18030) or .xlsx file; for --list grids also a GeoJSON " +
      "FeatureCollection (.geojson or .json)."
  )
)

/**
 * The `--scheme <id|file.json>` option: the level scheme 层级方案 of a unit
 * ledger.
 *
 * @since 0.1.0
 * @category options
 */
export const scheme = Options.text("scheme").pipe(
  Options.withPseudoName("id|file.json"),
  Options.withDescription(
    "--list units only: the level scheme 层级方案 of the hierarchy — five-level (区/街道/社区/小区/楼栋), " +
      "five-level-with-households, six-level (区/街道/社区/网格/小区/楼栋), street-area-community-grid " +
      "(街道/片区/社区/网格), or a JSON file holding any scheme ({id, name, levels: [{id, name, nameEn, " +
      "optional}]}). Default: the stored hierarchy's scheme, else the first of these whose levels name every " +
      "level of the ledger and validate its tree."
  ),
  Options.optional
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
      "accepted in any case. Building positions and grid boundaries are converted and stored as WGS-84; the " +
      "other ledgers carry no coordinates, so for them nothing is converted."
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
  {
    file,
    list: LedgerFile.importListOption,
    database: DatabaseOption.option,
    sheet,
    crs,
    scheme,
    actor: LedgerFile.actorOption,
    role: LedgerFile.roleOption
  },
  (o) => Effect.asVoid(handler(o))
).pipe(
  Command.withDescription(
    withExamples(
      "Import a ledger 台账 (CSV or XLSX, by extension) into the problem, resource or task list, or a " +
        "district's base data 基础数据: units (into an empty migrated database too; replaces the hierarchy), " +
        "party-organizations (replaces the party tree), buildings, grids (CSV/XLSX with a 边界(WKT) column, or a " +
        "GeoJSON FeatureCollection), staff, assignments, departments — in this order; or a policy replacing the " +
        "defaults: categories 案件分类, routing 派遣规则, time-limits 处置时限 (a running server reads it when it " +
        "starts). Base data and policies are checked as a " +
        "whole through the core (hierarchy rules, duplicate ids, unknown units, a grid's buildings in its " +
        "community, a building in at most one basic grid) and written all or nothing; grids, buildings and " +
        "staff end with the coverage, size and staffing reports. Every row " +
        "is validated first; if any cell is bad, each bad cell is listed with its row, column, header, field " +
        "and rule, nothing is written and the exit status is 1. Rows are upserted by id in one transaction " +
        "(all or nothing); the store refuses units outside the hierarchy and tasks whose problem or " +
        "resources are unknown (import problems and resources before tasks). The database must be migrated " +
        "and hold a hierarchy (seeded, or units imported). Cells are trimmed (U+3000 too), full-width digits and dates read as ASCII, tags split at " +
        "、 , ， ; ；, units named by id, name or path (金星街道/金星社区; an ambiguous name lists its candidates); " +
        "blank and footer rows (填表人, 审核人 …) are skipped and listed; a ledger of another list is refused " +
        "naming it; unchanged rows are reported as unchanged. People ledgers: visits 走访台账 (every row recorded " +
        "through the core: the visitor's jurisdiction and grids, the plan, the position; a row equal to a stored " +
        "visit is unchanged) and key-groups 重点人群台账 (residents and enrolments through the core's enrolment " +
        "rules; needs CIVICGRID_PEOPLE_KEYS to seal residents and --actor), refused by row, all or nothing. " +
        "Organisation ledgers (bodies first): bodies 组织台账, posts 岗位台账, memberships 党员双报到台账, compounds " +
        "小区管理台账, populations 社区人口台账 (the residents of each community or village, which the " +
        "mediators-by-population rule reads), stairwell-staff 楼道力量台账 (roles of the role table placed where " +
        "the table lets them serve: a stairwell, micro-grid, building, grid or unit that exists), post-holders 任职人员台账 " +
        "(the people who hold the posts and placements: name, party membership and class, phone — personal " +
        "information under PIPL, give the file only to the staff who keep it; party share by post reads their party " +
        "membership, the 公示牌 directory shows their names masked), appraisals 干部考核台账 (each cadre's score of a " +
        "period, 2025-Q3 or 2025年第3季度, lit 绿橙红 by the core; the community must exist), weak-and-lax 软弱涣散台账 " +
        "(whether each party organisation is flagged in a period, toward the zero target 清零; the body must be " +
        "stored) — kinds, units and bodies " +
        "by id or name; the core's record rules " +
        "(duplicate ids, unknown kinds or bodies, reversed terms, one relation per party member, a compound's " +
        "managing body, a person id once, a cadre appraised once per period with a score within 0–100) refuse by " +
        "row, all or nothing; then the organisation check of the store (大党委 " +
        "composition, 一村一顾问, mediators by population, grid leaders, 议行分离, compound management) is printed. " +
        "Deliberation ledgers (need --actor, with --role): meetings 会议记录台账 (each row a topic and its meeting: " +
        "提出议题 → 列入议程 → 召开会议) and publications 公开台账 (公开 and 撤回公开 of concluded topics) go through the " +
        "core's use case DeliberationRepository.handle — the meeting kind, attendees among the invitees, the quorum, " +
        "minutes, no personal data in public text, the topic's status refuse by row, all or nothing; rows the topic " +
        "already holds are unchanged (importing again appends nothing).",
      [
        ["civicgrid import problems.csv --list problems", "问题清单台账 from CSV"],
        [
          "civicgrid import 资源清单.xlsx --list resources --database sqlite:/tmp/civicgrid.sqlite",
          "资源清单台账 from Excel into a SQLite file"
        ],
        ["civicgrid import tasks.csv --list tasks", "任务清单台账 (after its problems and resources)"],
        ["civicgrid import 台账.xlsx --list problems --sheet 3月", "the sheet named 3月 of a workbook"],
        ["civicgrid import 行政单元.xlsx --list units", "a district's hierarchy, into an empty database"],
        [
          "civicgrid import 走访台账.xlsx --list visits",
          "走访台账: each visit checked as the core records one"
        ],
        [
          "CIVICGRID_PEOPLE_KEYS=… civicgrid import 重点人群台账.xlsx --list key-groups --actor p-001",
          "重点人群台账: residents sealed with the people keys, p-001 as 登记人 where a row names none"
        ],
        ["civicgrid import units.csv --list units --scheme six-level", "naming the level scheme"],
        [
          "civicgrid import 楼栋.xlsx --list buildings --crs gcj02",
          "buildings with positions drawn on 高德/腾讯 maps (GCJ-02), stored as WGS-84"
        ],
        [
          "civicgrid import 岗位台账.xlsx --list posts",
          "岗位台账 (after 组织台账 --list bodies): then the organisation check of the street"
        ],
        [
          "civicgrid import 干部考核台账.xlsx --list appraisals",
          "干部考核台账: each cadre's score of a period (a cadre once per period, 0–100), then the organisation check"
        ],
        [
          "civicgrid import 软弱涣散台账.xlsx --list weak-and-lax",
          "软弱涣散台账: each party organisation flagged or cleared in a period (bodies by id or name)"
        ],
        [
          "civicgrid import 会议记录台账.xlsx --list meetings --actor p-001 --role street-staff",
          "会议记录台账: topics and their meetings through the core's use case, p-001 as who recorded them"
        ],
        [
          "civicgrid import 网格.geojson --list grids",
          "grids with boundaries from a GeoJSON FeatureCollection"
        ]
      ]
    )
  )
)
