/**
 * 命令行 — the scorecard program without its entry point: argument parsing
 * (`--month 2025-10`, `--file <cases.csv>`, `--units <units.csv>`), reading
 * the files through `FileSystem`, and the error texts. `main.ts` runs it on
 * Node; the tests run it on any `FileSystem`.
 *
 * @since 0.1.0
 */
import { fileURLToPath } from "node:url"
import * as Period from "@civicgrid/core/Period"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Scorecard from "./scorecard.js"

/**
 * The sample files shipped with the example (absolute paths).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = {
  month: "2025-10",
  file: fileURLToPath(new URL("../data/cases-2025-10.csv", import.meta.url)),
  units: fileURLToPath(new URL("../data/units.csv", import.meta.url))
} as const

/**
 * 用法 — the usage text.
 *
 * @since 0.1.0
 * @category constants
 */
export const usage = [
  "用法 usage: npm start -- [--month YYYY-MM] [--file cases.csv] [--units units.csv]",
  "  --month  考核月份 the month to score, e.g. 2025-10 or 2025年10月 (default 2025-10)",
  "  --file   案件台账 the case ledger CSV (default data/cases-2025-10.csv)",
  "  --units  单位台账 the unit ledger CSV (default data/units.csv)",
  "  --min-sample  排名最少样本 minimum cases due to be ranked (default 30)"
].join("\n")

/**
 * 参数错误 — the arguments cannot be used (exit code 2).
 *
 * @since 0.1.0
 * @category errors
 */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  reason: Schema.String
}) {
  override get message(): string {
    return `参数错误 invalid arguments: ${this.reason}\n${usage}`
  }
}

/**
 * 文件无法读取 — a file could not be read.
 *
 * @since 0.1.0
 * @category errors
 */
export class FileUnreadable extends Schema.TaggedError<FileUnreadable>()("FileUnreadable", {
  path: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `文件无法读取 cannot read ${this.path}: ${this.reason}`
  }
}

/**
 * 参数 — what the program runs on.
 *
 * @since 0.1.0
 * @category models
 */
export interface Args {
  readonly month: Period.Period
  readonly file: string
  readonly units: string
  readonly minSample?: number
  readonly help: boolean
}

/**
 * 解析参数 — `--name value` or `--name=value`; every flag at most once; the
 * month must be a month label (`2025-10`, `2025年10月`).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseArgs = (argv: ReadonlyArray<string>): Either.Either<Args, UsageError> => {
  const values = new Map<string, string>()
  let help = false
  const known = new Set(["month", "file", "units", "min-sample"])
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ""
    if (arg === "--help" || arg === "-h") {
      help = true
      continue
    }
    if (!arg.startsWith("--")) return Either.left(new UsageError({ reason: `unexpected argument "${arg}"` }))
    const eq = arg.indexOf("=")
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq)
    if (!known.has(name)) return Either.left(new UsageError({ reason: `unknown option --${name}` }))
    if (values.has(name)) return Either.left(new UsageError({ reason: `--${name} given twice` }))
    let value: string | undefined
    if (eq >= 0) value = arg.slice(eq + 1)
    else {
      value = argv[i + 1]
      i++
    }
    if (value === undefined || value === "" || value.startsWith("--")) {
      return Either.left(new UsageError({ reason: `--${name} needs a value` }))
    }
    values.set(name, value)
  }
  const monthText = values.get("month") ?? defaults.month
  const parsed = Period.parse(monthText)
  if (Either.isLeft(parsed) || parsed.right.granularity !== "month") {
    return Either.left(
      new UsageError({
        reason: `--month "${monthText}" 不是月份 is not a month (e.g. 2025-10 or 2025年10月)${
          Either.isLeft(parsed) ? `: ${parsed.left.message}` : ""
        }`
      })
    )
  }
  const minText = values.get("min-sample")
  const minSample = minText === undefined ? undefined : Number(minText)
  if (minSample !== undefined && !(Number.isInteger(minSample) && minSample >= 0)) {
    return Either.left(new UsageError({ reason: `--min-sample "${minText}" is not a whole number ≥ 0` }))
  }
  return Either.right({
    month: parsed.right,
    file: values.get("file") ?? defaults.file,
    units: values.get("units") ?? defaults.units,
    ...(minSample === undefined ? {} : { minSample }),
    help
  })
}

/**
 * The errors of the program.
 *
 * @since 0.1.0
 * @category errors
 */
export type ProgramError = UsageError | FileUnreadable | Scorecard.ScorecardError

const readFile = (path: string) =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFile(path)).pipe(
    Effect.mapError((e) => new FileUnreadable({ path, reason: e.message }))
  )

/**
 * 运行 — parses the arguments, reads both ledgers and returns the text to
 * print (the usage text for `--help`).
 *
 * @since 0.1.0
 * @category program
 */
export const run = (
  argv: ReadonlyArray<string>
): Effect.Effect<string, ProgramError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const args = yield* parseArgs(argv)
    if (args.help) return usage
    const units = yield* readFile(args.units)
    const cases = yield* readFile(args.file)
    const card = yield* Scorecard.scorecard({
      units,
      cases,
      month: args.month,
      ...(args.minSample === undefined ? {} : { options: { minSample: args.minSample } })
    })
    return Scorecard.render(card)
  })

/**
 * 错误说明 — the text for stderr: a bad ledger lists each problem on its own
 * line with its row and column (第 17 行 L 列「结案时间」…).
 *
 * @since 0.1.0
 * @category program
 */
export const describeError = (error: ProgramError): string => {
  switch (error._tag) {
    case "LedgerImportError": {
      return [
        `台账「${error.sheet}」导入失败 ledger rejected: ${error.headerProblems.length} 个表头问题 header problem(s), ` +
          `${error.rowProblems.length} 个数据问题 problem(s) in ${error.badRows.length} 行 row(s)`,
        ...error.headerProblems.map(
          (p) => `  表头 header ${p.column === "" ? "" : `${p.column} 列 `}「${p.header}」: ${p.message}`
        ),
        ...error.rowProblems.map(
          (p) =>
            `  第 ${p.row} 行${p.column === "" ? "" : ` ${p.column} 列`}${p.header === "" ? "" : `「${p.header}」`} [${p.rule}]: ${p.message}` +
            (p.value === "" ? "" : ` (值 value: "${p.value}")`)
        )
      ].join("\n")
    }
    default:
      return error.message
  }
}

/**
 * 退出码 — 2 for bad arguments, 1 for bad data or files.
 *
 * @since 0.1.0
 * @category program
 */
export const exitCodeOf = (error: ProgramError): number => (error._tag === "UsageError" ? 2 : 1)
