/**
 * 台账文件 — what `import` and `export` share: the list a ledger holds
 * (`--list problems|resources|tasks`: 问题清单, 资源清单, 任务清单), the file
 * format by extension (`.csv` or `.xlsx`, case-insensitive; anything else is
 * refused), and the errors about files and about a database not ready for
 * lists (not migrated, or without a hierarchy for the lists to refer to).
 *
 * @since 0.1.0
 */
import * as Options from "@effect/cli/Options"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

/**
 * 清单 — the lists a ledger file can hold.
 *
 * @since 0.1.0
 * @category constants
 */
export const lists = ["problems", "resources", "tasks"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type List = (typeof lists)[number]

/**
 * 清单名称 — the Chinese name of each list and its English word.
 *
 * @since 0.1.0
 * @category constants
 */
export const listNames: Readonly<Record<List, string>> = {
  problems: "问题清单 problems",
  resources: "资源清单 resources",
  tasks: "任务清单 tasks"
}

/**
 * The `--list` option.
 *
 * @since 0.1.0
 * @category options
 */
export const listOption: Options.Options<List> = Options.choice("list", lists).pipe(
  Options.withDescription(
    "Which list the ledger holds: problems 问题清单台账, resources 资源清单台账 or tasks 任务清单台账."
  )
)

/**
 * 文件格式 — CSV (UTF-8 with BOM, Excel-compatible) or XLSX.
 *
 * @since 0.1.0
 * @category models
 */
export type Format = "csv" | "xlsx"

/**
 * 不支持的文件类型 — the file's extension is neither `.csv` nor `.xlsx`.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedFormat extends Schema.TaggedError<UnsupportedFormat>()("UnsupportedFormat", {
  file: Schema.String,
  extension: Schema.String
}) {
  override get message(): string {
    const ext = this.extension === "" ? "no extension" : `extension "${this.extension}"`
    return `不支持的文件类型 unsupported file type: ${this.file} has ${ext}; use .csv or .xlsx`
  }
}

/**
 * The format of a file by its extension (case-insensitive).
 *
 * @since 0.1.0
 * @category constructors
 */
export const formatOf = (file: string): Either.Either<Format, UnsupportedFormat> => {
  const base = file.split(/[\\/]/).pop() ?? file
  const dot = base.lastIndexOf(".")
  const extension = dot <= 0 ? "" : base.slice(dot)
  switch (extension.toLowerCase()) {
    case ".csv":
      return Either.right("csv")
    case ".xlsx":
      return Either.right("xlsx")
    default:
      return Either.left(new UnsupportedFormat({ file, extension }))
  }
}

/**
 * 文件读写失败 — a ledger file could not be read or written.
 *
 * @since 0.1.0
 * @category errors
 */
export class FileError extends Schema.TaggedError<FileError>()("FileError", {
  file: Schema.String,
  operation: Schema.Literal("read", "write"),
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.operation === "read" ? "无法读取 cannot read" : "无法写入 cannot write"} ${this.file}: ${this.reason}`
  }
}

/**
 * 文件已存在 — `export` refuses to overwrite a file without `--force`; a
 * symbolic link whose target does not exist (`danglingLinkTo`) counts as
 * existing too (writing through it would create a file somewhere else).
 *
 * @since 0.1.0
 * @category errors
 */
export class FileExists extends Schema.TaggedError<FileExists>()("FileExists", {
  file: Schema.String,
  danglingLinkTo: Schema.optionalWith(Schema.String, { exact: true })
}) {
  override get message(): string {
    return this.danglingLinkTo === undefined
      ? `文件已存在 ${this.file} exists; nothing was written (pass --force to overwrite it)`
      : `文件已存在 ${this.file} is a symbolic link to ${this.danglingLinkTo}, which does not exist; ` +
          "nothing was written (pass --force to replace the link)"
  }
}

/**
 * 数据库未就绪 — the lists cannot be read or written yet: the database is
 * not migrated (`not-migrated`), or holds no hierarchy the lists' units could
 * refer to (`no-hierarchy`).
 *
 * @since 0.1.0
 * @category errors
 */
export class DatabaseNotReady extends Schema.TaggedError<DatabaseNotReady>()("DatabaseNotReady", {
  database: Schema.String,
  reason: Schema.Literal("not-migrated", "no-hierarchy"),
  version: Schema.Int,
  latest: Schema.Int
}) {
  override get message(): string {
    return this.reason === "not-migrated"
      ? `数据库未迁移 ${this.database} is at migration ${this.version} of ${this.latest}: run \`civicgrid migrate\` first`
      : `数据库没有层级 ${this.database} holds no hierarchy (units) for the lists to refer to: run \`civicgrid seed\` first`
  }
}
