/**
 * 台账模板 — `civicgrid template <kind> [--out <file.xlsx>] [--force]
 * [--database <url>]`: writes an empty XLSX ledger for street-office staff to
 * fill in and import (`civicgrid import <file> --list <kind>`): the sheet
 * 填表说明 first (each column's meaning, whether it is required, its format
 * and accepted values, and the import command), then the data sheet with
 * exactly the headers import expects, frozen, with drop-down lists on every
 * column with a closed set of values (`Template.write` of the ledger
 * package). With a database (`--database`, else `CIVICGRID_DATABASE_URL`,
 * else the default SQLite file when it exists), unit columns offer the units
 * of the stored hierarchy by name (by the end of their path where a name is
 * shared); without one nothing is read or created.
 *
 * The kinds are `internal/templates.ts`'s: the lists (problems, resources,
 * tasks), the base data (units, party-organizations, buildings, grids, staff
 * 网格员台账, assignments 网格员任职, departments) and the policies
 * (categories, routing, time-limits), and the people ledgers visits 走访台账 and
 * key-groups 重点人群台账 (whose import line names `CIVICGRID_PEOPLE_KEYS` and
 * `--actor`), the organisation ledgers, and the deliberation ledgers meetings
 * 会议记录台账 and publications 公开台账 (whose import line names `--actor`). A kind `import --list` does not take
 * gets no import line. An existing file is kept unless `--force`.
 *
 * @since 0.1.0
 */
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type * as Database from "@civicgrid/demo/Database"
import type * as Xlsx from "@civicgrid/ledger/Xlsx"
import type * as Migrations from "@civicgrid/sql/Migrations"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import type { SqlError } from "@effect/sql/SqlError"
import type { ConfigError } from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as DatabaseOption from "../DatabaseOption.js"
import { withExamples } from "../internal/help.js"
import * as Templates from "../internal/templates.js"
import * as LedgerFile from "../LedgerFile.js"
import { writeFileAtomically } from "./Export.js"

/**
 * 模板种类 — the kinds of ledger a template can be written for, in help order.
 *
 * @since 0.1.0
 * @category constants
 */
export const kinds: ReadonlyArray<string> = Templates.kinds

/**
 * 未知的模板种类 — `template` was asked for a kind it does not know; the
 * message lists the kinds.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownTemplateKind extends Schema.TaggedError<UnknownTemplateKind>()("UnknownTemplateKind", {
  kind: Schema.String,
  kinds: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `未知的台账模板种类「${this.kind}」unknown template kind "${this.kind}"; 可选 kinds: ${this.kinds.join(", ")}`
  }
}

/**
 * 不支持的模板文件 — a template is an Excel workbook: `--out` must end in `.xlsx`.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedTemplateFile extends Schema.TaggedError<UnsupportedTemplateFile>()(
  "UnsupportedTemplateFile",
  { file: Schema.String }
) {
  override get message(): string {
    return `不支持的模板文件 unsupported template file: ${this.file}; a template is an Excel workbook, name it *.xlsx`
  }
}

/**
 * 模板命令失败 — why `template` wrote nothing.
 *
 * @since 0.1.0
 * @category errors
 */
export type TemplateError =
  | UnknownTemplateKind
  | UnsupportedTemplateFile
  | LedgerFile.FileExists
  | LedgerFile.FileError
  | LedgerFile.DatabaseNotReady
  | Xlsx.XlsxWriteError
  | DatabaseOption.DatabaseFileMissing
  | DatabaseOption.DatabaseUnavailable
  | Migrations.DatabaseTooNew
  | Database.InvalidDatabaseUrl
  | Database.DriverMissing
  | StorageUnavailable
  | ConfigError
  | SqlError

/**
 * 已生成模板 — the kind, the file, its columns, the columns with a
 * drop-down list, the unit names offered (0 without `--database`), and the
 * command that imports the filled-in file (none for a kind `import` does not
 * read yet).
 *
 * @since 0.1.0
 * @category models
 */
export interface Written {
  readonly kind: string
  readonly file: string
  readonly sheet: string
  readonly columns: number
  readonly dropDowns: number
  readonly units: number
  readonly importCommand: string | undefined
}

/** The command line that imports the file, when `import` reads this kind. */
const importCommandOf = (kind: string, file: string): string | undefined => {
  if (!LedgerFile.importKinds.some((known: string) => known === kind)) return undefined
  const shown = /^[\p{L}\p{N}._/-]+$/u.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`
  // the key-group register names who imports it (登记人 of rows that name none) and needs the people keys
  return kind === "key-groups"
    ? `CIVICGRID_PEOPLE_KEYS=… civicgrid import ${shown} --list ${kind} --actor <人员编号>`
    : LedgerFile.isDeliberationKind(kind)
      ? // the deliberation ledgers are recorded as the operator
        `civicgrid import ${shown} --list ${kind} --actor <人员编号> --role street-staff`
      : `civicgrid import ${shown} --list ${kind}`
}

/**
 * The units of the database's hierarchy as the template offers them (none when it holds none), or
 * `undefined` when no database is named and the default SQLite file does not exist (nothing is read).
 */
const unitsOf = (flag: Option.Option<string>) =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(flag)
    const path = yield* Path.Path
    const fs = yield* FileSystem.FileSystem
    if (
      database._tag === "sqlite" &&
      database.filename === path.resolve(DatabaseOption.defaultFile) &&
      !(yield* fs.exists(database.filename).pipe(Effect.orElseSucceed(() => false)))
    ) {
      return undefined
    }
    yield* DatabaseOption.requireExisting(database)
    const name = DatabaseOption.describe(database)
    const Lists = yield* Effect.promise(() => import("../internal/lists.js"))
    const Hierarchy = yield* Effect.promise(() => import("@civicgrid/core/Hierarchy"))
    const HierarchyRepository = yield* Effect.promise(() => import("@civicgrid/core/HierarchyRepository"))
    const UnitNames = yield* Effect.promise(() => import("@civicgrid/ledger/UnitNames"))
    yield* Console.log(`数据库 database: ${name}`)
    return yield* Effect.gen(function* () {
      yield* Lists.ready(name, { hierarchy: false })
      const repository = yield* HierarchyRepository.HierarchyRepository
      const hierarchy = yield* Effect.option(
        Effect.catchTag(repository.load, "HierarchyNotFound", Effect.fail)
      )
      if (Option.isNone(hierarchy)) return []
      const h = hierarchy.value
      const resolver = UnitNames.resolver(h)
      return Templates.unitChoices(
        Hierarchy.units(h),
        (id) =>
          Option.match(Hierarchy.path(h, id), { onNone: () => [], onSome: (p) => p.map((u) => u.name) }),
        resolver.resolve
      )
    }).pipe(Effect.provide(Lists.layerStores), Effect.provide(DatabaseOption.layer(database)))
  })

/**
 * 生成模板 — writes the empty template of a kind of ledger.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handler = (options: {
  readonly kind: string
  readonly out: Option.Option<string>
  readonly force: boolean
  readonly database: Option.Option<string>
}): Effect.Effect<Written, TemplateError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const { kind } = options
    if (!Templates.isKind(kind)) return yield* new UnknownTemplateKind({ kind, kinds: Templates.kinds })
    const entry = Templates.entries[kind]
    const spec = yield* Effect.promise(entry.spec)
    const choices = entry.choices === undefined ? undefined : yield* Effect.promise(entry.choices)
    const file = Option.getOrElse(options.out, () => `${spec.sheet}模板.xlsx`)
    if (!/\.xlsx$/i.test(file)) return yield* new UnsupportedTemplateFile({ file })
    const fs = yield* FileSystem.FileSystem
    if (!options.force) {
      // as `export`: an existing file, or a symbolic link even to nothing, is kept
      const exists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
      if (exists) return yield* new LedgerFile.FileExists({ file })
      const link = yield* fs.readLink(file).pipe(Effect.option)
      if (Option.isSome(link)) return yield* new LedgerFile.FileExists({ file, danglingLinkTo: link.value })
    }
    const found = yield* unitsOf(options.database)
    const units = found ?? []
    const path = yield* Path.Path
    const importCommand = importCommandOf(kind, path.basename(file))
    const Template = yield* Effect.promise(() => import("@civicgrid/ledger/Template"))
    const instructions = {
      notes: entry.notes,
      columns: entry.columns,
      ...(importCommand === undefined ? {} : { importCommand }),
      ...(choices === undefined ? {} : { choices })
    }
    const bytes = yield* Template.write(spec, instructions, { units })
    yield* writeFileAtomically(file, bytes)
    const guides = Template.guide(spec, instructions, { units })
    const written: Written = {
      kind,
      file,
      sheet: spec.sheet,
      columns: guides.length,
      dropDowns: guides.filter((g) => g.values.length > 0).length,
      units: units.length,
      importCommand
    }
    yield* Console.log(
      `已生成模板 wrote the ${entry.title} template to ${file}: ` +
        `${written.columns} 列 columns, ${written.dropDowns} 列下拉选择 with drop-downs` +
        (found === undefined ? "" : `, ${written.units} 个单元名称 unit names offered`)
    )
    yield* Console.log(
      importCommand === undefined
        ? `填好后交系统管理员导入（import 暂不读取 ${kind}）— fill in the sheet 「${spec.sheet}」; \`civicgrid import\` does not read ${kind} yet`
        : `填好「${spec.sheet}」工作表后导入 fill in the sheet, then: ${importCommand}`
    )
    return written
  })

/**
 * The template kind argument.
 *
 * @since 0.1.0
 * @category options
 */
export const kind = Args.text({ name: "kind" }).pipe(
  Args.withDescription(`The ledger to write a template for: ${Templates.kinds.join(", ")}.`)
)

/**
 * The `--out <file.xlsx>` option.
 *
 * @since 0.1.0
 * @category options
 */
export const out = Options.text("out").pipe(
  Options.withPseudoName("file.xlsx"),
  Options.withDescription(
    "The workbook to write (.xlsx). Default: the ledger's name and 模板 in the current directory, e.g. 问题清单台账模板.xlsx."
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
    "Overwrite the file if it exists (without it, an existing file or link is refused)."
  )
)

/**
 * The `template` subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("template", { kind, out, force, database: DatabaseOption.option }, (o) =>
  Effect.asVoid(handler(o))
).pipe(
  Command.withDescription(
    withExamples(
      "Write an empty ledger template 台账模板 (.xlsx) for staff to fill in and import: the sheet 填表说明 " +
        "explains every column (meaning, required or not, format — dates yyyy-mm-dd, positions 经度,纬度, units " +
        "by id, name or path such as 金星街道/金星社区, lists separated by 、，; — and the accepted values); the " +
        "data sheet has exactly the headers import expects, the header row frozen, and drop-down lists on every " +
        "column with a closed set of values (labels, 是/否). A filled-in template imports unchanged with " +
        "`civicgrid import <file> --list <kind>`. Kinds: " +
        `${Templates.kinds.join(", ")}. With a database (--database, else ${DatabaseOption.variable}, else the ` +
        "default SQLite file when it exists) unit columns also offer the stored units by name (by the end of " +
        "their path where names repeat); without one, nothing is read. An existing file is refused unless --force.",
      [
        ["civicgrid template problems", "问题清单台账模板.xlsx in the current directory"],
        ["civicgrid template resources --out 资源清单.xlsx --force", "资源清单台账, replacing the file"],
        [
          "civicgrid template problems --database sqlite:/tmp/civicgrid.sqlite",
          "with the stored units offered in 所属单元"
        ],
        ["civicgrid import 问题清单台账模板.xlsx --list problems", "import it once filled in"]
      ]
    )
  )
)
