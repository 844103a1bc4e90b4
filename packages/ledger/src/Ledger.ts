/**
 * 台账 — a ledger: one of the core's lists as a sheet of rows with Chinese
 * column headers, the form community staff keep and exchange in Excel: every list
 * exports as a ledger 台账, CSV or XLSX with Chinese headers (the community
 * experience report keeps its 问题清单 as a "问题清单台账").
 *
 * A `LedgerSpec<A>` is built by `make` from a row schema (usually a
 * `Schema.Struct`, or a `Schema.transform` from a flat struct to a domain
 * type) and a header map. Each property of the schema's encoded side becomes
 * a column; its cell kind is derived from the schema:
 *
 * | field schema (encoded / type side)             | cell                     | example            |
 * | ---------------------------------------------- | ------------------------ | ------------------ |
 * | strings, string literals, branded ids          | text (labels optional)   | `基础网格`          |
 * | numbers                                        | number                   | `268`              |
 * | booleans                                       | 是 / 否                   | `是`               |
 * | `DateTimeUtc`, `Date`, `DateFromSelf`          | date-time (UTC+8 default) | `2024-03-01 16:30:00` |
 * | arrays / tuples of strings or numbers          | joined list              | `b-1、b-2`          |
 * | anything else                                  | JSON text                | `{"a":1}`          |
 *
 * `NullOr` fields and optional properties may be left empty (and their column
 * may be absent); other columns are required in the header.
 *
 * **Import validates everything.** `fromRows` (and `Csv.read`, `Xlsx.read`)
 * check the header (missing, unknown and duplicate columns) and every row, and
 * either accept all rows or reject the ledger with a `LedgerImportError` listing
 * every problem with its row number as the user sees it (the header is row 1),
 * its column letter and header, the field, a rule and a message. Nothing is
 * accepted partially. A title row above the header is allowed (the header is
 * the row among the first ten holding most known headers).
 *
 * **Sheets as staff keep them.** Cells are normalised first, in one place
 * (`importRows`): texts trimmed (U+3000 too), full-width digits and punctuation
 * read as ASCII in number, 是/否 and date cells; list cells split at `、` `,`
 * `，` `;` `；` (items trimmed, empty ones dropped). Blank rows and footer rows
 * (`footerPattern`: 填表人, 审核人 …) are skipped and reported
 * (`ImportReport.skipped`). Unit columns read ids, names or paths
 * (`Options.units`); a file of another kind is one `wrong-ledger` problem
 * (`Options.kinds`). Every message is Chinese first.
 *
 * **Formula injection.** Text cells starting with `=`, `+`, `-` or `@` are
 * neutralised on export by prefixing `'` (CSV injection, OWASP); import removes
 * exactly that quote again (`escapeFormula` / `unescapeFormula` are inverses).
 *
 * Export never loses information the schema can express: every row that
 * exports imports back to an equal row, with these exceptions — an empty cell
 * cannot tell `""` or `[]` from "absent", so an optional text holding `""` (or
 * an optional list holding `[]`) comes back absent and a list holding exactly
 * `[""]` comes back `[]`; texts and list items come back trimmed, and empty
 * list items are dropped; `-0` comes back `0`; and in XLSX only, CR LF inside a
 * text becomes LF and control characters are dropped, as Excel stores them.
 *
 * @since 0.1.0
 */
import * as Text from "@civicgrid/core/Text"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as cells from "./internal/cells.js"
import { derive, propertiesOf } from "./internal/derive.js"

// -----------------------------------------------------------------------------
// cells
// -----------------------------------------------------------------------------

/**
 * 单元格 — a cell value: text, number, boolean, date (an instant), or `null`
 * for an empty cell. Readers produce these; writers render them.
 *
 * @since 0.1.0
 * @category models
 */
export type Cell = cells.Cell

/**
 * 单元格类型 — the kind of cell a column holds.
 *
 * @since 0.1.0
 * @category models
 */
export type CellKind = cells.CellKind

/**
 * Neutralises a text a spreadsheet would read as a formula (leading `=`, `+`,
 * `-`, `@`) by prefixing `'`; texts already starting with quotes before such a
 * character get one more, so `unescapeFormula` inverts it exactly.
 *
 * @since 0.1.0
 * @category utils
 */
export const escapeFormula: (text: string) => string = cells.escapeFormula

/**
 * The inverse of `escapeFormula`.
 *
 * @since 0.1.0
 * @category utils
 */
export const unescapeFormula: (text: string) => string = cells.unescapeFormula

/**
 * The spreadsheet letter of a 0-based column index: 0 → `A`, 26 → `AA`.
 *
 * @since 0.1.0
 * @category utils
 */
export const columnLetter: (index: number) => string = cells.columnLetter

/**
 * Formats an instant the way ledgers write dates: wall-clock time at a UTC
 * offset, `2024-03-01 16:30:00` (with `.123` when there are milliseconds).
 *
 * @since 0.1.0
 * @category utils
 */
export const formatDate: (date: Date, utcOffsetMinutes: number) => string = cells.formatDate

/**
 * The text a boolean cell is written as: `是` or `否`.
 *
 * @since 0.1.0
 * @category utils
 */
export const booleanText: (value: boolean) => string = cells.booleanText

/**
 * The display width of a text in a spreadsheet column (CJK characters count 2).
 *
 * @since 0.1.0
 * @category utils
 */
export const displayWidth: (text: string) => number = cells.displayWidth

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

/**
 * 默认时区偏移 — dates are written and read as wall-clock time at UTC+8
 * (China Standard Time, no daylight saving) unless configured otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUtcOffsetMinutes = 480

/**
 * Options of export and import.
 *
 * - `utcOffsetMinutes` — the offset of wall-clock dates in the ledger (default 480, UTC+8);
 *   date texts with an explicit zone (`Z`, `+08:00`) keep their own.
 * - `unknownColumns` — `"error"` (default) reports a column the spec does not know;
 *   `"ignore"` skips it (e.g. a 备注 column staff added).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly utcOffsetMinutes?: number
  readonly unknownColumns?: "error" | "ignore"
  /** 文件名 — the file's name as errors show it (default `"(input)"`). */
  readonly file?: string
  /** 导入限制 — limits of import, each defaulting to `defaultLimits`. */
  readonly limits?: Partial<Limits>
  /**
   * 工作表 — XLSX only: the sheet to read, by name or 1-based position. Default: the sheet named
   * like the spec, else the first sheet whose header matches the spec, else the first sheet.
   */
  readonly sheet?: string | number
  /**
   * 台账种类 — the other ledgers a file might be: a file whose header matches one of them (and not
   * this spec) is refused with one `wrong-ledger` problem naming it.
   */
  readonly kinds?: ReadonlyArray<LedgerKind>
  /** 单元解析 — resolves the cells of unit columns (`ColumnOptions.reference`): ids, names or paths. */
  readonly units?: UnitResolver
}

/**
 * 台账种类 — what tells ledgers apart: the sheet name and the columns (every
 * `LedgerSpec` is one).
 *
 * @since 0.1.0
 * @category models
 */
export interface LedgerKind {
  readonly sheet: string
  readonly columns: ReadonlyArray<Column>
}

/**
 * 单元解析结果 — what a unit cell names: one unit (`Found`, its id), several
 * (`Ambiguous`, each candidate's id and path), or none known (`NotFound`: the
 * text is kept, and the domain's validation reports an unknown unit).
 *
 * @since 0.1.0
 * @category models
 */
export type UnitResolution =
  | { readonly _tag: "Found"; readonly id: string }
  | {
      readonly _tag: "Ambiguous"
      readonly candidates: ReadonlyArray<{ readonly id: string; readonly path: string }>
    }
  | { readonly _tag: "NotFound" }

/**
 * 单元解析 — resolves a unit cell's text (an id, a name, or a path such as
 * `金星街道/金星社区`); `label` gives a unit's path for exports.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnitResolver {
  readonly resolve: (text: string) => UnitResolution
  readonly label: (id: string) => string | undefined
}

// -----------------------------------------------------------------------------
// limits
// -----------------------------------------------------------------------------

/**
 * 导入限制 — what an imported file may be at most, so a hostile or mistaken
 * file is refused before it exhausts memory:
 *
 * - `maxFileBytes` — the file's size in bytes;
 * - `maxInflatedBytes` — XLSX only: the bytes its ZIP entries inflate to, together;
 * - `maxCompressionRatio` — XLSX only: the inflated total as a multiple of the file's size
 *   (a workbook inflating to at most 1 MiB is exempt);
 * - `maxRows` — rows of a sheet (the header and any title row included);
 * - `maxCellLength` — characters of one cell.
 *
 * @since 0.1.0
 * @category models
 */
export interface Limits {
  readonly maxFileBytes: number
  readonly maxInflatedBytes: number
  readonly maxCompressionRatio: number
  readonly maxRows: number
  readonly maxCellLength: number
}

/**
 * 默认导入限制 — 20 MiB files, 200 MiB inflated and at most 100 : 1, 50,000
 * rows, cells of at most `Text.limits.description` (4,000) characters — the
 * longest text any list field holds.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultLimits: Limits = {
  maxFileBytes: 20 * 1024 * 1024,
  maxInflatedBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 100,
  maxRows: 50_000,
  maxCellLength: Text.limits.description
}

/**
 * The limits of options: each given one, else its default.
 *
 * @since 0.1.0
 * @category utils
 */
export const limitsOf = (options: Pick<Options, "limits"> | undefined): Limits => {
  const given = options?.limits
  return {
    maxFileBytes: given?.maxFileBytes ?? defaultLimits.maxFileBytes,
    maxInflatedBytes: given?.maxInflatedBytes ?? defaultLimits.maxInflatedBytes,
    maxCompressionRatio: given?.maxCompressionRatio ?? defaultLimits.maxCompressionRatio,
    maxRows: given?.maxRows ?? defaultLimits.maxRows,
    maxCellLength: given?.maxCellLength ?? defaultLimits.maxCellLength
  }
}

/**
 * 限制规则 — which limit a file passed: `file-size`, `inflated-size`,
 * `compression-ratio`, `rows`, `cell-length`.
 *
 * @since 0.1.0
 * @category errors
 */
export const LimitRule = Schema.Literal(
  "file-size",
  "inflated-size",
  "compression-ratio",
  "rows",
  "cell-length"
)

/**
 * @since 0.1.0
 * @category errors
 */
export type LimitRule = typeof LimitRule.Type

const mib = (bytes: number): string =>
  bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes >= 1024 && bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`

/**
 * 文件超出导入限制 — the file was refused before its rows were read: it
 * passed the limit `limit` of rule `rule` (see `Limits`) at `where` (a sheet,
 * a cell such as `问题清单!C7`, or a ZIP part; empty for the whole file).
 * Nothing was imported.
 *
 * @since 0.1.0
 * @category errors
 */
export class LedgerLimitExceeded extends Schema.TaggedError<LedgerLimitExceeded>()("LedgerLimitExceeded", {
  file: Schema.String,
  rule: LimitRule,
  limit: Schema.Number,
  where: Schema.String
}) {
  override get message(): string {
    const at = this.where === "" ? "" : ` (${this.where})`
    const text: Record<LimitRule, string> = {
      "file-size": `文件大于 ${mib(this.limit)} the file is larger than ${mib(this.limit)}`,
      "inflated-size": `解压后大于 ${mib(this.limit)} the workbook inflates to more than ${mib(this.limit)}${at}`,
      "compression-ratio": `压缩比超过 ${this.limit}:1 the workbook inflates to more than ${this.limit} times its size${at}`,
      rows: `行数超过 ${this.limit} the sheet has more than ${this.limit} rows${at}`,
      "cell-length": `单元格超过 ${this.limit} 个字符 a cell holds more than ${this.limit} characters${at}`
    }
    return `台账文件超出导入限制 ${this.file}: ${text[this.rule]} [rule ${this.rule}]; nothing was imported`
  }
}

/** The name a file has in errors when none is given. */
export const unnamedFile = "(input)"

/**
 * Checks a file's size against `maxFileBytes` (run it before reading a file).
 *
 * @since 0.1.0
 * @category import
 */
export const checkFileSize = (
  size: number,
  options?: Pick<Options, "file" | "limits">
): Either.Either<void, LedgerLimitExceeded> => {
  const limit = limitsOf(options).maxFileBytes
  return size > limit
    ? Either.left(
        new LedgerLimitExceeded({ file: options?.file ?? unnamedFile, rule: "file-size", limit, where: "" })
      )
    : Either.void
}

/**
 * Checks rows read from a sheet against `maxRows` and `maxCellLength`; the
 * first cell over the limit is named (`sheet!C7`, or `C7` when `sheet` is
 * empty, as for a CSV file).
 *
 * @since 0.1.0
 * @category import
 */
export const checkRows = (
  rows: ReadonlyArray<SourceRow>,
  sheet: string,
  options?: Pick<Options, "file" | "limits">
): Either.Either<void, LedgerLimitExceeded> => {
  const limits = limitsOf(options)
  const file = options?.file ?? unnamedFile
  if (rows.length > limits.maxRows) {
    return Either.left(new LedgerLimitExceeded({ file, rule: "rows", limit: limits.maxRows, where: sheet }))
  }
  for (const row of rows) {
    for (let c = 0; c < row.cells.length; c++) {
      const cell = row.cells[c]
      // the formula guard (`'` before `=`, `+`, `-`, `@`) is not content: a text at the limit, escaped, still fits
      if (
        typeof cell === "string" &&
        cell.length > limits.maxCellLength &&
        cells.unescapeFormula(cell).length > limits.maxCellLength
      ) {
        return Either.left(
          new LedgerLimitExceeded({
            file,
            rule: "cell-length",
            limit: limits.maxCellLength,
            where: `${sheet === "" ? "" : `${sheet}!`}${cells.columnLetter(c)}${row.row}`
          })
        )
      }
    }
  }
  return Either.void
}

const offsetOf = (options: Options | undefined): number =>
  options?.utcOffsetMinutes ?? defaultUtcOffsetMinutes

// -----------------------------------------------------------------------------
// specs
// -----------------------------------------------------------------------------

/**
 * 列设置 — a column's settings in a header map: the Chinese header, and
 * optionally a width (in characters), display labels for literal values
 * (`{ basic: "基础网格" }` — import accepts the label or the value), a list
 * separator (default `、` for texts, `,` for numbers), or a forced cell kind.
 *
 * @since 0.1.0
 * @category models
 */
export interface ColumnOptions {
  readonly header: string
  readonly width?: number
  readonly labels?: Readonly<Record<string, string>>
  /** The one separator of the list (a single character); default: write `、` (`,` for numbers), read any of `、,，;；`. */
  readonly separator?: string
  readonly kind?: CellKind
  /** 引用 — the column names units (`"unit"`): import resolves names and paths (see `Options.units`). */
  readonly reference?: "unit"
  /**
   * 全角转半角 — a text column whose full-width ASCII forms (`１３９`, `－`, `（`)
   * import reads as ASCII, like number and date columns do: phone numbers, codes.
   */
  readonly halfWidth?: boolean
}

/**
 * 列 — one column of a ledger: its header, the field it holds, its cell kind,
 * whether it may be empty (`optional` → the property is absent; `nullable` →
 * `null`; a list the schema allows empty → `[]`) and whether the header must
 * contain it (`required`: not when every cell of it may be empty); `encode` turns
 * the field's encoded value into a cell, `decode` a non-empty cell into the
 * field's encoded value (which the row schema then decodes and validates).
 *
 * @since 0.1.0
 * @category models
 */
export interface Column {
  readonly header: string
  readonly field: string
  readonly kind: CellKind
  readonly optional: boolean
  readonly nullable: boolean
  readonly required: boolean
  readonly width: number | undefined
  readonly labels: Readonly<Record<string, string>> | undefined
  readonly separator: string
  /** The separators import splits a list cell at (the first is `separator`). */
  readonly separators: ReadonlyArray<string>
  /** 引用 — `"unit"` when the cells name units (ids, names or paths). */
  readonly reference: "unit" | undefined
  /** 全角转半角 — whether import reads this text column's full-width ASCII forms as ASCII. */
  readonly halfWidth?: boolean
  /** How an empty cell (or an absent column) reads: absent, `null`, `""` or `[]`. */
  readonly empty: { readonly value: unknown } | undefined
  /** For lists: the kind of the items. */
  readonly itemKind: "text" | "number"
  readonly encode: (value: unknown) => Cell
  readonly decode: (
    cell: string | number | boolean | Date,
    options?: Pick<Options, "utcOffsetMinutes">
  ) => Either.Either<unknown, string>
}

/**
 * 台账规格 — a ledger spec: the sheet name (Chinese), the ordered columns, and
 * the row codec (a row ↔ the record of its columns' encoded values).
 *
 * @since 0.1.0
 * @category models
 */
export interface LedgerSpec<A> {
  readonly sheet: string
  readonly columns: ReadonlyArray<Column>
  readonly encodeRow: (row: A) => Either.Either<Readonly<Record<string, unknown>>, ParseResult.ParseError>
  readonly decodeRow: (record: Readonly<Record<string, unknown>>) => Either.Either<A, ParseResult.ParseError>
}

/**
 * The rows a spec holds.
 *
 * @since 0.1.0
 * @category models
 */
export type RowOf<S> = S extends LedgerSpec<infer A> ? A : never

/**
 * 表头映射 — for every property of the row schema's encoded side, its header
 * (or column settings). The order of the keys is the order of the columns.
 *
 * @since 0.1.0
 * @category models
 */
export type Headers<I> = { readonly [K in keyof I & string]-?: string | ColumnOptions }

/**
 * Builds a ledger spec from a sheet name, a row schema and a header map:
 *
 * ```ts
 * const spec = Ledger.make({
 *   sheet: "楼栋台账",
 *   schema: Building.Building,
 *   headers: { id: "楼栋编号", name: "楼栋名称", communityId: "所属社区", … }
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <A, I extends object>(options: {
  readonly sheet: string
  readonly schema: Schema.Schema<A, I, never>
  readonly headers: Headers<I>
}): LedgerSpec<A> => {
  const encodedProps = propertiesOf(AST.encodedAST(options.schema.ast))
  const typeProps = propertiesOf(AST.typeAST(options.schema.ast))
  const entries: ReadonlyArray<[string, string | ColumnOptions]> = Object.entries(options.headers)
  const columns = entries.map(([field, setting]): Column => {
    const settings: ColumnOptions = typeof setting === "string" ? { header: setting } : setting
    const derived = derive(encodedProps.get(field), typeProps.get(field))
    const kind = settings.kind ?? derived.kind
    const separator = settings.separator ?? (derived.itemKind === "number" ? "," : "、")
    const separators =
      settings.separator === undefined
        ? [separator, ...cells.listSeparators.filter((x) => x !== separator)]
        : [settings.separator]
    const codec: cells.CodecSpec = {
      kind,
      labels: settings.labels,
      literals: derived.literals,
      itemKind: derived.itemKind,
      separators,
      dateRep: derived.dateRep
    }
    const property = encodedProps.get(field)
    const emptyList = kind === "list" && property !== undefined && Schema.is(Schema.make(property.type))([])
    const empty: { readonly value: unknown } | undefined = derived.optional
      ? { value: undefined }
      : derived.nullable
        ? { value: null }
        : emptyList
          ? { value: [] }
          : undefined
    return {
      header: settings.header,
      field,
      kind,
      optional: derived.optional,
      nullable: derived.nullable,
      required: empty === undefined,
      width: settings.width,
      labels: settings.labels,
      separator,
      separators,
      reference: settings.reference,
      ...(settings.halfWidth === true ? { halfWidth: true } : {}),
      empty,
      itemKind: derived.itemKind,
      encode: (value) => cells.encodeCell(codec, value),
      decode: (cell, decodeOptions) =>
        cells.decodeCell(codec, cell, { utcOffsetMinutes: offsetOf(decodeOptions) })
    }
  })
  const encode = Schema.encodeEither(options.schema, { errors: "all" })
  const decode = Schema.decodeUnknownEither(options.schema, { errors: "all", onExcessProperty: "ignore" })
  return {
    sheet: options.sheet,
    columns,
    encodeRow: (row) => Either.map(encode(row), (record) => Object.fromEntries(Object.entries(record))),
    decodeRow: (record) => decode(record)
  }
}

/**
 * The headers of a spec, in column order.
 *
 * @since 0.1.0
 * @category getters
 */
export const headers = <A>(spec: LedgerSpec<A>): ReadonlyArray<string> => spec.columns.map((c) => c.header)

// -----------------------------------------------------------------------------
// problems and errors
// -----------------------------------------------------------------------------

/**
 * 表头问题规则 — `missing-column` a required column is absent; `unknown-column`
 * a column the spec does not know (or data under an empty header);
 * `duplicate-column` a header that appears again (the first one is used);
 * `wrong-ledger` the header is another kind of ledger's (`Options.kinds`) —
 * the only problem then reported.
 *
 * @since 0.1.0
 * @category errors
 */
export const HeaderRule = Schema.Literal(
  "missing-column",
  "unknown-column",
  "duplicate-column",
  "wrong-ledger"
)

/**
 * @since 0.1.0
 * @category models
 */
export type HeaderRule = typeof HeaderRule.Type

/**
 * 表头问题 — a problem with the header row: the rule, the header text, the
 * column letter where it is (empty for a missing column) and the field (empty
 * for an unknown column).
 *
 * @since 0.1.0
 * @category errors
 */
export const HeaderProblem = Schema.Struct({
  rule: HeaderRule,
  header: Schema.String,
  column: Schema.String,
  field: Schema.String,
  message: Schema.String
}).annotations({ identifier: "HeaderProblem", title: "表头问题 header problem" })

/**
 * @since 0.1.0
 * @category models
 */
export interface HeaderProblem extends Schema.Schema.Type<typeof HeaderProblem> {}

/**
 * 数据问题规则 — `required` an empty cell where a value is required; `type` the
 * cell is not of the column's kind (not a number, not a date …); `invalid` the
 * value breaks the field's schema (a branded id, a range, a literal); `row` the
 * row as a whole breaks the schema (a cross-field rule); `ambiguous` a unit
 * name that fits several units (the message lists them, ids and paths).
 *
 * @since 0.1.0
 * @category errors
 */
export const RowRule = Schema.Literal("required", "type", "invalid", "row", "ambiguous")

/**
 * @since 0.1.0
 * @category models
 */
export type RowRule = typeof RowRule.Type

/**
 * 数据问题 — a bad cell (or row): the row number as the user sees it (header =
 * row 1), the column letter and header, the field, the rule, a message, and
 * the cell's text (cut to 60 characters; it may hold personal data — do not
 * log it where the ledger itself could not go).
 *
 * @since 0.1.0
 * @category errors
 */
export const RowProblem = Schema.Struct({
  row: Schema.Int,
  column: Schema.String,
  header: Schema.String,
  field: Schema.String,
  rule: RowRule,
  message: Schema.String,
  value: Schema.String
}).annotations({ identifier: "RowProblem", title: "数据问题 row problem" })

/**
 * @since 0.1.0
 * @category models
 */
export interface RowProblem extends Schema.Schema.Type<typeof RowProblem> {}

/**
 * 规则名称 — the Chinese name of each rule, shown before its English code.
 *
 * @since 0.1.0
 * @category constants
 */
export const ruleNames: Readonly<Record<HeaderRule | RowRule, string>> = {
  "missing-column": "缺少列",
  "unknown-column": "未知列",
  "duplicate-column": "重复列",
  "wrong-ledger": "台账类型不符",
  required: "必填",
  type: "格式不符",
  invalid: "取值无效",
  row: "整行无效",
  ambiguous: "单元不明确"
}

const describeHeaderProblem = (p: HeaderProblem): string =>
  `表头${p.column === "" ? "" : ` ${p.column} 列`}「${p.header}」: ${p.message} [${p.column === "" ? "" : `column ${p.column}, `}rule ${p.rule}]`

const describeRowProblem = (p: RowProblem): string =>
  `第 ${p.row} 行${p.column === "" ? "" : ` ${p.column} 列`}${p.header === "" ? "" : `「${p.header}」`}${
    ruleNames[p.rule]
  }: ${p.message} [row ${p.row}${p.column === "" ? "" : `, column ${p.column}`}${p.field === "" ? "" : `, ${p.field}`}, rule ${p.rule}]`

/** A message from a schema, Chinese first: an English one gets the rule's Chinese words before it. */
const chineseFirst = (message: string, chinese: string): string =>
  /^[\u3400-\u9fff]/u.test(message) ? message : `${chinese} (${message})`

/**
 * 台账导入错误 — a ledger was rejected: every header problem and every bad
 * cell, in row and column order. No row of it was accepted.
 *
 * @since 0.1.0
 * @category errors
 */
export class LedgerImportError extends Schema.TaggedError<LedgerImportError>()("LedgerImportError", {
  sheet: Schema.String,
  headerProblems: Schema.Array(HeaderProblem),
  rowProblems: Schema.Array(RowProblem)
}) {
  /** The distinct row numbers that have problems, ascending. */
  get badRows(): ReadonlyArray<number> {
    return Array.from(new Set(this.rowProblems.map((p) => p.row))).sort((a, b) => a - b)
  }
  override get message(): string {
    const all = [
      ...this.headerProblems.map(describeHeaderProblem),
      ...this.rowProblems.map(describeRowProblem)
    ]
    const shown = all.slice(0, 20)
    const more = all.length > shown.length ? `; … ${all.length - shown.length} more` : ""
    return (
      `台账「${this.sheet}」导入失败 (ledger rejected): ${this.headerProblems.length} header problem(s), ` +
      `${this.rowProblems.length} problem(s) in ${this.badRows.length} row(s) — ${shown.join("; ")}${more}`
    )
  }
}

/**
 * 导出问题 — a row that does not satisfy its schema and so cannot be exported:
 * its 0-based index in the input, the field (or `""`), and the message.
 *
 * @since 0.1.0
 * @category errors
 */
export const ExportProblem = Schema.Struct({
  index: Schema.Int,
  field: Schema.String,
  message: Schema.String
}).annotations({ identifier: "ExportProblem", title: "导出问题 export problem" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ExportProblem extends Schema.Schema.Type<typeof ExportProblem> {}

/**
 * 台账导出错误 — some rows do not satisfy the row schema (e.g. built without
 * validation); a ledger is only written when every row would import back.
 *
 * @since 0.1.0
 * @category errors
 */
export class LedgerExportError extends Schema.TaggedError<LedgerExportError>()("LedgerExportError", {
  sheet: Schema.String,
  problems: Schema.Array(ExportProblem)
}) {
  override get message(): string {
    return `台账「${this.sheet}」导出失败 (ledger not exported): ${this.problems
      .slice(0, 20)
      .map((p) => `row #${p.index}${p.field === "" ? "" : ` ${p.field}`}: ${p.message}`)
      .join("; ")}`
  }
}

// -----------------------------------------------------------------------------
// export
// -----------------------------------------------------------------------------

/**
 * 表 — a ledger as a grid of cells, ready for a writer: the sheet, the header
 * row and the data rows (texts already formula-escaped).
 *
 * @since 0.1.0
 * @category models
 */
export interface Table {
  readonly sheet: string
  readonly columns: ReadonlyArray<Column>
  readonly header: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<Cell>>
}

const escapeCell = (cell: Cell): Cell => (typeof cell === "string" ? cells.escapeFormula(cell) : cell)

const issuesOf = (error: ParseResult.ParseError): ReadonlyArray<ParseResult.ArrayFormatterIssue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error)

/** The column an export adds beside a unit column: the units' paths (`金星街道/金星社区`). */
const labelColumn = (column: Column, units: UnitResolver): Column => ({
  header: labelHeader(column),
  field: `${column.field}#name`,
  kind: "text",
  optional: true,
  nullable: false,
  required: false,
  width: 30,
  labels: undefined,
  separator: column.separator,
  separators: column.separators,
  reference: undefined,
  empty: { value: undefined },
  itemKind: "text",
  encode: (value) => {
    const label = (id: unknown): string => (typeof id === "string" ? (units.label(id) ?? "") : "")
    return Array.isArray(value) ? cells.joinList(value.map(label), column.separators) : label(value)
  },
  decode: (cell) => Either.right(cell)
})

/**
 * Encodes rows into a table (header + cells). Left when a row does not satisfy
 * the row schema — every such row is listed. With `units`, every unit column
 * (`ColumnOptions.reference`) gets a column beside it naming the units by
 * path (`labelHeader`: 所属单元名称), which import ignores — unless the spec
 * has a column of that header already.
 *
 * @since 0.1.0
 * @category export
 */
export const toTable = <A>(
  spec: LedgerSpec<A>,
  rows: Iterable<A>,
  options?: Pick<Options, "units">
): Either.Either<Table, LedgerExportError> => {
  const units = options?.units
  // a name column whose header is one of the spec's own (小区 → 小区名称 beside a 小区名称 column) is left out
  const headers = new Set(spec.columns.map((c) => c.header))
  const columns: ReadonlyArray<{ readonly column: Column; readonly source: string }> = spec.columns.flatMap(
    (column) =>
      column.reference === undefined || units === undefined || headers.has(labelHeader(column))
        ? [{ column, source: column.field }]
        : [
            { column, source: column.field },
            { column: labelColumn(column, units), source: column.field }
          ]
  )
  const out: Array<ReadonlyArray<Cell>> = []
  const problems: Array<ExportProblem> = []
  let index = 0
  for (const row of rows) {
    const encoded = spec.encodeRow(row)
    if (Either.isLeft(encoded)) {
      for (const issue of issuesOf(encoded.left)) {
        problems.push({ index, field: issue.path.map(String).join("."), message: issue.message })
      }
    } else {
      const record = encoded.right
      out.push(
        columns.map(({ column, source }) => {
          const value = record[source]
          if (value === undefined || value === null) return null
          return escapeCell(column.encode(value))
        })
      )
    }
    index++
  }
  if (problems.length > 0) return Either.left(new LedgerExportError({ sheet: spec.sheet, problems }))
  return Either.right({
    sheet: spec.sheet,
    columns: columns.map((c) => c.column),
    header: columns.map((c) => c.column.header),
    rows: out
  })
}

// -----------------------------------------------------------------------------
// import
// -----------------------------------------------------------------------------

/**
 * 源行 — a row read from a file: its number as the user sees it (1-based, the
 * header's row included) and its cells from column A on.
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceRow {
  readonly row: number
  readonly cells: ReadonlyArray<Cell>
}

/**
 * 跳过的行 — a row import left out: `blank` (every cell empty or white space)
 * or `footer` (a signature line under the data: 填表人, 审核人, 制表人,
 * 填报日期 …), with its row number and, for a footer, its text.
 *
 * @since 0.1.0
 * @category models
 */
export interface SkippedRow {
  readonly row: number
  readonly reason: "blank" | "footer"
  readonly text: string
}

/**
 * 导入结果 — the rows of an accepted ledger with their row numbers, and the
 * rows it skipped.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportReport<A> {
  readonly sheet: string
  readonly rows: ReadonlyArray<A>
  /** 行号 — the row number (as the user sees it) of each row of `rows`, in the same order. */
  readonly rowNumbers: ReadonlyArray<number>
  /** 列号 — the column letter each field was read from (the file's own order). */
  readonly letters: Readonly<Record<string, string>>
  readonly skipped: ReadonlyArray<SkippedRow>
}

/**
 * 跳过行提示 — the notice about skipped rows (empty when none were skipped),
 * consecutive blank rows as one range:
 * `已跳过 4 行 skipped 4 row(s): 第 7–9 行 空行 (blank); 第 10 行 表尾 (footer)「填表人：张三」`.
 *
 * @since 0.1.0
 * @category utils
 */
export const describeSkipped = (skipped: ReadonlyArray<SkippedRow>): string => {
  if (skipped.length === 0) return ""
  // consecutive blank rows are one range (a sheet formatted far below its data has many)
  const parts: Array<string> = []
  let run: { first: number; last: number } | undefined
  const flush = () => {
    if (run !== undefined) {
      parts.push(`第 ${run.first === run.last ? run.first : `${run.first}–${run.last}`} 行 空行 (blank)`)
      run = undefined
    }
  }
  for (const r of skipped) {
    if (r.reason === "blank") {
      if (run !== undefined && r.row === run.last + 1) run.last = r.row
      else {
        flush()
        run = { first: r.row, last: r.row }
      }
    } else {
      flush()
      parts.push(`第 ${r.row} 行 表尾 (footer)「${shorten(r.text)}」`)
    }
  }
  flush()
  return `已跳过 ${skipped.length} 行 skipped ${skipped.length} row(s): ${parts.join("; ")}`
}

/**
 * 表尾标签 — how the first cell of a footer row begins: a signature or date
 * label (填表人, 审核人, 制表人, 填报日期 …) followed by a colon, white space
 * or nothing.
 *
 * @since 0.1.0
 * @category constants
 */
export const footerPattern =
  /^(?:填表人|填报人|制表人|审核人|审批人|复核人|统计人|经办人|负责人|单位负责人|分管领导|主管领导|联系人|联系电话|填表日期|填报日期|制表日期|审核日期|报送日期|填报单位|制表单位)(?:\s*[:：]|\s|$)/u

const textOf = (cell: Cell, offset: number): string =>
  typeof cell === "string" ? cell.trim() : cell === null ? "" : cells.cellText(cell, offset)

const blank = (row: SourceRow): boolean =>
  row.cells.every((cell) => cell === null || (typeof cell === "string" && cell.trim() === ""))

const footerText = (row: SourceRow, offset: number): string | undefined => {
  const texts = row.cells.map((cell) => textOf(cell, offset)).filter((t) => t !== "")
  const [first] = texts
  return first !== undefined && footerPattern.test(first) ? texts.join(" ") : undefined
}

const headerText = (cell: Cell, offset: number): string =>
  cells.unescapeFormula(cells.cellText(cell, offset).trim())

const shorten = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s)

/** How many leading rows may hold a title above the header. */
const headerSearchRows = 10

/**
 * 名称列表头 — the header of the column an export adds beside a unit column
 * (`所属单元` → `所属单元名称`), holding the unit's path; import ignores it.
 *
 * @since 0.1.0
 * @category utils
 */
export const labelHeader = (column: Column): string => `${column.header}名称`

/** The headers a kind knows: its columns' and the name columns beside its unit columns. */
const knownHeaders = (kind: LedgerKind): ReadonlySet<string> =>
  new Set(kind.columns.flatMap((c) => (c.reference === undefined ? [c.header] : [c.header, labelHeader(c)])))

/**
 * 表头匹配 — where a kind's header is among the first rows (not blank), how
 * many of its headers that row holds, and how many required ones it lacks.
 *
 * @since 0.1.0
 * @category utils
 */
export const matchHeader = (
  kind: LedgerKind,
  rows: ReadonlyArray<SourceRow>,
  options?: Pick<Options, "utcOffsetMinutes">
): { readonly index: number; readonly known: number; readonly missing: number } => {
  const offset = offsetOf(options)
  const known = knownHeaders(kind)
  const candidates = rows.filter((r) => !blank(r)).slice(0, headerSearchRows)
  let best = { index: -1, known: 0, missing: kind.columns.filter((c) => c.required).length }
  candidates.forEach((row, index) => {
    const texts = new Set(row.cells.map((cell) => headerText(cell, offset)))
    const hits = [...texts].filter((t) => known.has(t)).length
    if (hits > best.known) {
      const missing = kind.columns.filter((c) => c.required && !texts.has(c.header)).length
      best = { index, known: hits, missing }
    }
  })
  return best
}

const resolveUnits = (
  value: unknown,
  units: UnitResolver
): { readonly value: unknown; readonly ambiguous: ReadonlyArray<string> } => {
  const ambiguous: Array<string> = []
  const one = (text: unknown): unknown => {
    if (typeof text !== "string") return text
    const r = units.resolve(text)
    if (r._tag === "Found") return r.id
    if (r._tag === "Ambiguous") {
      ambiguous.push(
        `「${text}」可指 ${r.candidates.map((c) => `${c.id}（${c.path}）`).join("、")} ` +
          `(ambiguous: ${r.candidates.map((c) => `${c.id} ${c.path}`).join(", ")}; write a path or an id)`
      )
    }
    return text
  }
  return { value: Array.isArray(value) ? value.map(one) : one(value), ambiguous }
}

/**
 * Decodes rows read from a file: finds the header, checks it, decodes and
 * validates every data row, and returns either every row or every problem.
 *
 * @since 0.1.0
 * @category import
 */
export const fromRows = <A>(
  spec: LedgerSpec<A>,
  rows: Iterable<SourceRow>,
  options?: Options
): Either.Either<ReadonlyArray<A>, LedgerImportError> =>
  Either.map(importRows(spec, rows, options), (report) => report.rows)

/**
 * 导入行 — decodes rows read from a file, as `fromRows`, and reports the rows
 * it skipped. Cells are normalised first (the ledger's one rule for cells,
 * `cells.normalizeCell`): texts trimmed (U+3000 included), full-width digits
 * and punctuation in number, boolean and date cells made ASCII. Blank rows
 * and footer rows (`footerPattern`) below the header are skipped and listed.
 * A header another kind of ledger (`Options.kinds`) matches while this one
 * lacks required columns is refused with one `wrong-ledger` problem.
 *
 * @since 0.1.0
 * @category import
 */
export const importRows = <A>(
  spec: LedgerSpec<A>,
  rows: Iterable<SourceRow>,
  options?: Options
): Either.Either<ImportReport<A>, LedgerImportError> => {
  const offset = offsetOf(options)
  const source = Array.from(rows)
  const nonBlank = source.filter((r) => !blank(r))
  const byHeader = new Map(spec.columns.map((c) => [c.header, c]))
  const labels = new Set(spec.columns.filter((c) => c.reference !== undefined).map(labelHeader))
  const own = matchHeader(spec, source, options)
  const headerIndex = own.index === -1 ? 0 : own.index
  const headerRow = nonBlank[headerIndex]
  const skipped: Array<SkippedRow> = []
  const data: Array<SourceRow> = []
  for (const r of source) {
    if (headerRow === undefined || r.row <= headerRow.row) continue
    if (blank(r)) {
      skipped.push({ row: r.row, reason: "blank", text: "" })
      continue
    }
    const footer = footerText(r, offset)
    if (footer !== undefined) skipped.push({ row: r.row, reason: "footer", text: footer })
    else data.push(r)
  }
  const headerProblems: Array<HeaderProblem> = []

  // a file of another kind: one problem, naming it
  if (own.missing > 0) {
    for (const kind of options?.kinds ?? []) {
      if (kind.sheet === spec.sheet) continue
      const other = matchHeader(kind, source, options)
      if (other.missing === 0 && other.known > own.known) {
        headerProblems.push({
          rule: "wrong-ledger",
          header: kind.sheet,
          column: "",
          field: "",
          message:
            `此表看起来是「${kind.sheet}」，不是「${spec.sheet}」：${other.known} 个表头属于「${kind.sheet}」 ` +
            `(this looks like a ${kind.sheet} ledger, not ${spec.sheet}: ${other.known} of its headers match; ` +
            "import it as that list)"
        })
        return Either.left(new LedgerImportError({ sheet: spec.sheet, headerProblems, rowProblems: [] }))
      }
    }
  }

  // header → positions
  const positions = new Map<string, number>()
  const texts = (headerRow?.cells ?? []).map((cell) => headerText(cell, offset))
  let width = texts.length
  for (const r of data) if (r.cells.length > width) width = r.cells.length
  const reportUnknown = (options?.unknownColumns ?? "error") === "error"
  for (let p = 0; p < width; p++) {
    const text = texts[p] ?? ""
    const column = byHeader.get(text)
    const letter = cells.columnLetter(p)
    if (text === "") {
      if (reportUnknown && data.some((r) => textOf(r.cells[p] ?? null, offset) !== "")) {
        headerProblems.push({
          rule: "unknown-column",
          header: "",
          column: letter,
          field: "",
          message: "此列没有表头却有数据 (data under an empty header)"
        })
      }
    } else if (column === undefined) {
      if (reportUnknown && !labels.has(text)) {
        headerProblems.push({
          rule: "unknown-column",
          header: text,
          column: letter,
          field: "",
          message: `未知列 (unknown column; known: ${headers(spec).join("、")})`
        })
      }
    } else if (positions.has(column.field)) {
      headerProblems.push({
        rule: "duplicate-column",
        header: text,
        column: letter,
        field: column.field,
        message: `重复列，已使用 ${cells.columnLetter(positions.get(column.field) ?? 0)} 列 (duplicate column; the first is used)`
      })
    } else {
      positions.set(column.field, p)
    }
  }
  for (const column of spec.columns) {
    if (column.required && !positions.has(column.field)) {
      headerProblems.push({
        rule: "missing-column",
        header: column.header,
        column: "",
        field: column.field,
        message: "缺少必需列 (required column missing)"
      })
    }
  }

  // rows
  const byField = new Map(spec.columns.map((c) => [c.field, c]))
  const missing = new Set(spec.columns.filter((c) => !positions.has(c.field)).map((c) => c.field))
  const rowProblems: Array<RowProblem> = []
  const accepted: Array<A> = []
  const acceptedRows: Array<number> = []
  for (const source of data) {
    const record: Record<string, unknown> = {}
    const problems: Array<RowProblem & { readonly position: number }> = []
    const settled = new Set<string>()
    const empties = new Set<string>()
    const raw = new Map<string, string>()
    for (const column of spec.columns) {
      const position = positions.get(column.field)
      if (position === undefined) {
        // a missing required column is reported once, in the header problems
        if (column.empty !== undefined && column.empty.value !== undefined) {
          record[column.field] = column.empty.value
        }
        continue
      }
      const original = source.cells[position] ?? null
      const normalized = cells.normalizeCell(
        original,
        column.kind,
        column.itemKind,
        column.halfWidth === true
      )
      const cell = typeof normalized === "string" ? cells.unescapeFormula(normalized) : normalized
      raw.set(column.field, shorten(cells.cellText(original, offset)))
      if (cell === null || cell === "") {
        empties.add(column.field)
        if (column.optional) continue
        if (column.nullable) record[column.field] = null
        else if (column.kind === "text") record[column.field] = ""
        else if (column.kind === "list") record[column.field] = []
        continue
      }
      const decoded = column.decode(cell, { utcOffsetMinutes: offset })
      const at = {
        row: source.row,
        column: cells.columnLetter(position),
        header: column.header,
        field: column.field,
        value: raw.get(column.field) ?? "",
        position
      }
      if (Either.isLeft(decoded)) {
        settled.add(column.field)
        problems.push({ ...at, rule: "type", message: decoded.left })
      } else if (column.reference === "unit" && options?.units !== undefined) {
        const resolved = resolveUnits(decoded.right, options.units)
        record[column.field] = resolved.value
        if (resolved.ambiguous.length > 0) {
          settled.add(column.field)
          problems.push({
            ...at,
            rule: "ambiguous",
            message: `单元名称不明确 ${resolved.ambiguous.join("；")}`
          })
        }
      } else {
        record[column.field] = decoded.right
      }
    }
    const decoded = spec.decodeRow(record)
    if (Either.isLeft(decoded)) {
      let covered = false
      for (const issue of issuesOf(decoded.left)) {
        const [head] = issue.path
        const field = typeof head === "string" ? head : undefined
        const column = field === undefined ? undefined : byField.get(field)
        if (field !== undefined && missing.has(field)) {
          covered = true
          continue
        }
        if (field !== undefined && settled.has(field)) continue
        const position = column === undefined ? undefined : positions.get(column.field)
        if (column === undefined || field === undefined || position === undefined) {
          problems.push({
            row: source.row,
            column: "",
            header: "",
            field: issue.path.map(String).join("."),
            rule: "row",
            message: chineseFirst(issue.message, "此行不符合规则"),
            value: "",
            position: Number.MAX_SAFE_INTEGER
          })
          continue
        }
        settled.add(field)
        const required = empties.has(field)
        problems.push({
          row: source.row,
          column: cells.columnLetter(position),
          header: column.header,
          field,
          rule: required ? "required" : "invalid",
          message: required ? "此项必填 (required)" : chineseFirst(issue.message, "取值不符合规则"),
          value: raw.get(field) ?? "",
          position
        })
      }
      if (problems.length === 0 && !covered) {
        // a failure with no issue to show (should not happen): still reject the row
        problems.push({
          row: source.row,
          column: "",
          header: "",
          field: "",
          rule: "row",
          message: "此行无效 (invalid row)",
          value: "",
          position: 0
        })
      }
    } else if (problems.length === 0) {
      accepted.push(decoded.right)
      acceptedRows.push(source.row)
    }
    problems.sort((a, b) => a.position - b.position)
    for (const { position: _position, ...problem } of problems) rowProblems.push(problem)
  }
  if (headerProblems.length > 0 || rowProblems.length > 0) {
    return Either.left(new LedgerImportError({ sheet: spec.sheet, headerProblems, rowProblems }))
  }
  const letters: Readonly<Record<string, string>> = Object.fromEntries(
    [...positions].map(([field, position]) => [field, cells.columnLetter(position)])
  )
  return Either.right({ sheet: spec.sheet, rows: accepted, rowNumbers: acceptedRows, letters, skipped })
}
