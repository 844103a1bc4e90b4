/**
 * 导出台账 — `civicgrid export <file> --list <kind> [--within <unitId>]
 * [--force]`: writes a list (problems, resources, tasks) or base data (units,
 * party-organizations, buildings, grids with their boundaries as WKT, staff,
 * assignments, departments) of the database as a ledger — grids also as a
 * GeoJSON FeatureCollection (`.geojson`/`.json`) —
 * (CSV or XLSX, by extension), optionally only the items within a unit's
 * jurisdiction. An existing file — or a symbolic link, even one whose target
 * does not exist — is kept unless `--force`; the file is
 * written to a temporary name and renamed, so a failed export leaves no half
 * file behind. What `export` writes, `import` reads back to the same items.
 * People ledgers (`internal/people`): visits, key-groups (read through the
 * access decision as `--actor`/`--role` for `--reason`, every read in the
 * access log, masked unless `--identity`) and the access log (audit roles).
 *
 * @since 0.1.0
 */
import type { Role } from "@civicgrid/core/Actor"
import type * as HierarchyModule from "@civicgrid/core/Hierarchy"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type * as Database from "@civicgrid/demo/Database"
import type * as Ledger from "@civicgrid/ledger/Ledger"
import type * as Xlsx from "@civicgrid/ledger/Xlsx"
import type * as Migrations from "@civicgrid/sql/Migrations"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import type { SqlError } from "@effect/sql/SqlError"
import type { ConfigError } from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as DatabaseOption from "../DatabaseOption.js"
import type * as BaseData from "../internal/baseData.js"
import type * as DeliberationLedgers from "../internal/deliberation.js"
import { withExamples } from "../internal/help.js"
import type * as Organization from "../internal/organization.js"
import type * as People from "../internal/people.js"
import * as LedgerFile from "../LedgerFile.js"

/**
 * 导出结果 — the list, the file and how many items were written.
 *
 * @since 0.1.0
 * @category models
 */
export interface Exported {
  readonly list: LedgerFile.Kind
  readonly file: string
  readonly rows: number
}

/**
 * 导出失败 — why `export` wrote nothing.
 *
 * @since 0.1.0
 * @category errors
 */
export type ExportError =
  | LedgerFile.UnsupportedFormat
  | LedgerFile.FileExists
  | LedgerFile.FileError
  | LedgerFile.DatabaseNotReady
  | DatabaseOption.DatabaseFileMissing
  | Ledger.LedgerExportError
  | Xlsx.XlsxWriteError
  | BaseData.ExportError
  | People.PeopleError
  | Organization.OrganizationError
  | DeliberationLedgers.DeliberationError
  | HierarchyModule.UnitNotFound
  | Migrations.DatabaseTooNew
  | Database.InvalidDatabaseUrl
  | Database.DriverMissing
  | DatabaseOption.DatabaseUnavailable
  | StorageUnavailable
  | ConfigError
  | SqlError

/**
 * Writes bytes to a file through a temporary file in the same directory and
 * a rename (no half-written file on failure).
 *
 * @since 0.1.0
 * @category utils
 */
export const writeFileAtomically = (
  file: string,
  bytes: Uint8Array
): Effect.Effect<void, LedgerFile.FileError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const temporary = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`
    const failed = (e: { readonly message: string }) =>
      new LedgerFile.FileError({ file, operation: "write", reason: e.message })
    yield* fs.writeFile(temporary, bytes).pipe(
      Effect.zipRight(fs.rename(temporary, file)),
      Effect.mapError(failed),
      Effect.tapError(() => Effect.ignore(fs.remove(temporary)))
    )
  })

/**
 * 导出 — writes a list as a ledger file.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handler = (options: {
  readonly file: string
  readonly list: LedgerFile.Kind
  readonly within: Option.Option<string>
  readonly force: boolean
  readonly database: Option.Option<string>
  /** 操作人 — people ledgers: who reads (the access log names them), their role. */
  readonly actor?: Option.Option<string>
  readonly role?: Role
  /** 处理目的 — key-groups: why the members are read (required). */
  readonly reason?: Option.Option<string>
  /** 完整身份信息 — key-groups: ID numbers and phones in full (the role's grant must carry the identity right). */
  readonly identity?: boolean
  /** 类别 — key-groups: one category (id or Chinese name); default every category. */
  readonly category?: Option.Option<string>
}): Effect.Effect<Exported, ExportError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const { file, list } = options
    const input = yield* LedgerFile.inputFormatOf(file, list)
    const fs = yield* FileSystem.FileSystem
    if (!options.force) {
      // `exists` follows symbolic links: a link whose target is missing is found by reading the link itself
      const exists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
      if (exists) return yield* new LedgerFile.FileExists({ file })
      const link = yield* fs.readLink(file).pipe(Effect.option)
      if (Option.isSome(link)) return yield* new LedgerFile.FileExists({ file, danglingLinkTo: link.value })
    }
    const database = yield* DatabaseOption.resolve(options.database)
    yield* DatabaseOption.requireExisting(database)
    const Lists = yield* Effect.promise(() => import("../internal/lists.js"))
    const name = DatabaseOption.describe(database)
    yield* Console.log(`数据库 database: ${name}`)
    const within = Option.getOrUndefined(options.within)
    const format = input === "geojson" ? "csv" : input
    const notes: Array<string> = []
    const { bytes, rows } = LedgerFile.isPeopleKind(list)
      ? yield* Effect.gen(function* () {
          const People = yield* Effect.promise(() => import("../internal/people.js"))
          const keyring = yield* People.keyring(list)
          const written = yield* People.exporters[list](name, format, within, {
            actor: options.actor === undefined ? undefined : Option.getOrUndefined(options.actor),
            role: options.role ?? "community-staff",
            reason: options.reason === undefined ? undefined : Option.getOrUndefined(options.reason),
            identity: options.identity ?? false,
            category: options.category === undefined ? undefined : Option.getOrUndefined(options.category)
          }).pipe(Effect.provide(People.layerStores(keyring)), Effect.provide(DatabaseOption.layer(database)))
          notes.push(...written.notes)
          return written
        })
      : LedgerFile.isDeliberationKind(list)
        ? yield* Effect.flatMap(
            Effect.promise(() => import("../internal/deliberation.js")),
            (Deliberation) =>
              Deliberation.exporters[list](name, format, within).pipe(
                Effect.provide(Deliberation.layerStores),
                Effect.provide(DatabaseOption.layer(database))
              )
          )
        : LedgerFile.isOrganizationKind(list)
          ? yield* Effect.flatMap(
              Effect.promise(() => import("../internal/organization.js")),
              (Organization) =>
                Organization.exporters[list](name, format, within).pipe(
                  Effect.provide(Organization.layerStores),
                  Effect.provide(DatabaseOption.layer(database))
                )
            )
          : LedgerFile.isBaseKind(list)
            ? yield* Effect.flatMap(
                Effect.promise(() => import("../internal/baseData.js")),
                (BaseData) =>
                  (input === "geojson"
                    ? BaseData.exportGridsGeoJson(name, within)
                    : BaseData.exporters[list](name, format, within)
                  ).pipe(Effect.provide(BaseData.layerStores), Effect.provide(DatabaseOption.layer(database)))
              )
            : yield* Lists.withList(list, (io) =>
                Effect.gen(function* () {
                  yield* Lists.ready(name, { hierarchy: false })
                  const items = yield* io.read(yield* Lists.store, within)
                  return { bytes: yield* Lists.encode(io.spec, format, items), rows: items.length }
                })
              ).pipe(Effect.provide(Lists.layerStores), Effect.provide(DatabaseOption.layer(database)))
    yield* writeFileAtomically(file, bytes)
    yield* Console.log(
      `已导出 exported ${rows} ${LedgerFile.kindNames[list]}${within === undefined ? "" : ` within ${within}`} to ${file}`
    )
    for (const line of notes) yield* Console.log(line)
    const exported: Exported = { list, file, rows }
    return exported
  })

/**
 * The ledger file argument.
 *
 * @since 0.1.0
 * @category options
 */
export const file = Args.text({ name: "file.csv|file.xlsx" }).pipe(
  Args.withDescription(
    "The ledger to write: a .csv (UTF-8 with BOM, opens in Excel) or .xlsx file; for --list grids also a " +
      ".geojson (or .json) GeoJSON FeatureCollection."
  )
)

/**
 * The `--within <unitId>` option.
 *
 * @since 0.1.0
 * @category options
 */
export const within = Options.text("within").pipe(
  Options.withPseudoName("unitId"),
  Options.withDescription(
    "Only the items within this unit's jurisdiction (辖区): problems of units under it, resources serving " +
      "a unit under it, tasks owned by a unit under it (department-owned tasks are left out). Default: all."
  ),
  Options.optional
)

/**
 * The `--force` option.
 *
 * @since 0.1.0
 * @category options
 */
export const force = Options.boolean("force").pipe(
  Options.withDescription(
    "Overwrite the file if it exists (without it, an existing file or symbolic link — even a dangling one — is refused)."
  )
)

/**
 * The `--reason <处理目的>` option.
 *
 * @since 0.1.0
 * @category options
 */
export const reason = Options.text("reason").pipe(
  Options.withPseudoName("处理目的"),
  Options.withDescription(
    "--list key-groups: why the key-group members are read (处理目的, PIPL), e.g. 九月份入户走访; required. " +
      "It is written to the access log 访问日志 with the operator (--actor, --role) and what was read."
  ),
  Options.optional
)

/**
 * The `--identity` option.
 *
 * @since 0.1.0
 * @category options
 */
export const identity = Options.boolean("identity").pipe(
  Options.withDescription(
    "--list key-groups: names, ID numbers and phones in full (the sheet 重点人群台账, which imports back). Without " +
      "it they are masked (王**, 5301**********1234, 138****5678; the sheet 重点人群台账（脱敏）). The role's grant " +
      "must carry the identity right, else nothing is written."
  )
)

/**
 * The `--category <id|名称>` option.
 *
 * @since 0.1.0
 * @category options
 */
export const category = Options.text("category").pipe(
  Options.withPseudoName("id|名称"),
  Options.withDescription(
    "--list key-groups: read only this key-group category, by id or Chinese name (elderly-alone 高龄独居, " +
      "empty-nest 空巢, mental-disorder 精神障碍, disability 残疾, low-income 低保/困难, children-in-difficulty " +
      "困境儿童, community-correction 社区矫正) — no more than the purpose needs. Default: every category, each read logged."
  ),
  Options.optional
)

/**
 * The `export` subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make(
  "export",
  {
    file,
    list: LedgerFile.listOption,
    within,
    force,
    database: DatabaseOption.option,
    actor: LedgerFile.actorOption,
    role: LedgerFile.roleOption,
    reason,
    identity,
    category
  },
  (o) => Effect.asVoid(handler(o))
).pipe(
  Command.withDescription(
    withExamples(
      "Export the problem, resource or task list, or base data (units, party-organizations, buildings, grids " +
        "with boundaries as WKT — or as a GeoJSON FeatureCollection to a .geojson file —, staff, assignments, " +
        "departments), as a ledger 台账 with Chinese headers: CSV (UTF-8 with " +
        "BOM, opens correctly in Excel) or XLSX, by the file's extension. An existing file is refused " +
        "unless --force. What export writes, import reads back. People ledgers: visits 走访台账; key-groups " +
        "重点人群台账 (needs CIVICGRID_PEOPLE_KEYS, --actor and --reason: every key group is read through the access " +
        "decision and written to the access log; masked unless --identity); access-log 访问日志台账 (for auditors: " +
        "--role street-staff or district-staff). Organisation ledgers: bodies 组织台账, posts 岗位台账 (the appointment " +
        "history), memberships 党员双报到台账, compounds 小区管理台账, populations 社区人口台账, stairwell-staff 楼道力量台账, " +
        "post-holders 任职人员台账 (the people who hold the posts and placements within --within: names and phones, " +
        "personal information under PIPL — give the file only to the staff who keep it), appraisals 干部考核台账, " +
        "weak-and-lax 软弱涣散台账. " +
        "Deliberation ledgers: meetings 会议记录台账 (topics and their meetings, with the topic's status and " +
        "resolution), publications 公开台账 (every topic's publication, withdrawn ones too).",
      [
        ["civicgrid export problems.csv --list problems", "every problem"],
        [
          "civicgrid export 行政单元.xlsx --list units",
          "the hierarchy (行政单元台账), to edit and import back"
        ],
        [
          "civicgrid export 网格.geojson --list grids",
          "grids with their boundaries as a GeoJSON FeatureCollection"
        ],
        [
          "civicgrid export 任务清单.xlsx --list tasks --within s-001 --force",
          "the tasks of one street's units, replacing the file"
        ],
        [
          "CIVICGRID_PEOPLE_KEYS=… civicgrid export 重点人群.xlsx --list key-groups --actor p-001 --reason 九月份入户走访",
          "重点人群台账, masked, the read logged for p-001 with its purpose"
        ],
        [
          "civicgrid export 访问日志.xlsx --list access-log --actor p-900 --role street-staff --within s-001",
          "访问日志台账 of a street, for its auditor"
        ],
        [
          "civicgrid export 任职人员.xlsx --list post-holders --within 金星街道/金星社区",
          "任职人员台账: the people holding one community's posts and placements (personal information)"
        ],
        [
          "civicgrid export resources.csv --list resources --database postgres://postgres@127.0.0.1:5432/civicgrid",
          "from PostgreSQL"
        ]
      ]
    )
  )
)
