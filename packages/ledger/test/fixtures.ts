/**
 * A "kitchen sink" ledger spec covering every cell kind, and generators of
 * rows full of what breaks naive CSV/XLSX code: Chinese text, commas, quotes,
 * line breaks, leading = + - @, quotes before them, list separators and
 * backslashes, empty optional fields, huge and tiny numbers.
 */
import * as DateTime from "effect/DateTime"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as Ledger from "../src/Ledger.js"

export const Sample = Schema.Struct({
  id: Schema.NonEmptyTrimmedString,
  name: Schema.String,
  note: Schema.optionalWith(Schema.String, { exact: true }),
  kind: Schema.Literal("basic", "dedicated"),
  count: Schema.Int,
  amount: Schema.Finite,
  ratio: Schema.optionalWith(Schema.Finite, { exact: true }),
  active: Schema.Boolean,
  at: Schema.DateTimeUtc,
  closedAt: Schema.NullOr(Schema.DateTimeUtc),
  tags: Schema.Array(Schema.String),
  point: Schema.optionalWith(Schema.Tuple(Schema.Finite, Schema.Finite), { exact: true }),
  meta: Schema.optionalWith(Schema.Struct({ a: Schema.Number, b: Schema.String }), { exact: true })
})

export type Sample = typeof Sample.Type

export const spec = Ledger.make({
  sheet: "测试台账",
  schema: Sample,
  headers: {
    id: "编号",
    name: "名称",
    note: "备注",
    kind: { header: "类型", labels: { basic: "基础网格", dedicated: "专属网格" } },
    count: "数量",
    amount: "金额（元）",
    ratio: "比例",
    active: "是否有效",
    at: "登记时间",
    closedAt: "关闭时间",
    tags: "标签",
    point: "坐标",
    meta: "扩展"
  }
})

/** The JSON form of rows, for comparisons (DateTime values compare by their instant). */
export const encoded = (rows: ReadonlyArray<Sample>): unknown => Schema.encodeSync(Schema.Array(Sample))(rows)

const pieces = (csv: boolean): ReadonlyArray<string> => [
  "网格",
  "社区",
  "楼栋",
  "困难户",
  "微心愿",
  "a",
  "Z",
  "7",
  " ",
  ",",
  "，",
  '"',
  "'",
  "、",
  "\\",
  "\n",
  ...(csv ? ["\r\n", "\r"] : []),
  "\t",
  "=",
  "+",
  "-",
  "@",
  "=SUM(A1:A9)",
  "@cmd",
  "😀"
]

/**
 * Arbitrary text made of the pieces above (CR only for CSV: XLSX stores line breaks as LF), trimmed:
 * import trims every cell (a documented exception to the round trip).
 */
export const text = (csv: boolean, maxLength = 8): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...pieces(csv)), { maxLength }).map((parts) => parts.join("").trim())

const trimmedNonEmpty = (csv: boolean): fc.Arbitrary<string> =>
  text(csv)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)

const finite: fc.Arbitrary<number> = fc
  .oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, 1e21, -1e21, 1.7976931348623157e308, 5e-324, 0.1 + 0.2, 123456789.12345678)
  )
  .map((n) => (Object.is(n, -0) ? 0 : n))

const instant: fc.Arbitrary<DateTime.Utc> = fc
  .integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) })
  .map((ms) => DateTime.unsafeMake(ms))

const optional = <K extends string, A>(
  key: K,
  arb: fc.Arbitrary<A>
): fc.Arbitrary<{ readonly [P in K]?: A }> =>
  fc.option(arb, { nil: undefined }).map((a) => {
    const out: { [P in K]?: A } = {}
    if (a !== undefined) out[key] = a
    return out
  })

/** Rows of the sample spec. An optional text is never `""` (it would read back as absent). */
export const sample = (csv: boolean): fc.Arbitrary<Sample> =>
  fc
    .record({
      id: trimmedNonEmpty(csv),
      name: text(csv),
      kind: fc.constantFrom("basic" as const, "dedicated" as const),
      count: fc.oneof(fc.maxSafeInteger(), fc.integer()),
      amount: finite,
      active: fc.boolean(),
      at: instant,
      closedAt: fc.option(instant, { nil: null }),
      tags: fc.array(text(csv, 4).filter((tag) => tag !== "")),
      note: optional(
        "note",
        text(csv).filter((s) => s !== "")
      ),
      ratio: optional("ratio", finite),
      point: optional("point", fc.tuple(finite, finite)),
      meta: optional("meta", fc.record({ a: fc.integer(), b: text(csv) }))
    })
    .map(({ note, ratio, point, meta, ...rest }) => ({ ...rest, ...note, ...ratio, ...point, ...meta }))

/** The header of a sample column. */
export const headerOf = (field: keyof Sample): string => {
  const column = spec.columns.find((c) => c.field === field)
  if (column === undefined) throw new Error(`no column ${field}`)
  return column.header
}

/** A corruption of one cell: the text to put there, and the rule the import must report. */
export interface Corruption {
  readonly field: keyof Sample
  readonly cell: string
  readonly rule: Ledger.RowRule
}

export const corruptions: ReadonlyArray<Corruption> = [
  { field: "id", cell: "", rule: "required" },
  { field: "id", cell: "　", rule: "required" },
  { field: "kind", cell: "未知类型", rule: "type" },
  { field: "count", cell: "abc", rule: "type" },
  { field: "count", cell: "1.5", rule: "invalid" },
  { field: "count", cell: "", rule: "required" },
  { field: "amount", cell: "一百", rule: "type" },
  { field: "active", cell: "也许", rule: "type" },
  { field: "at", cell: "2024-13-45", rule: "type" },
  { field: "at", cell: "", rule: "required" },
  { field: "closedAt", cell: "昨天", rule: "type" },
  { field: "ratio", cell: "12%", rule: "type" },
  { field: "point", cell: "116.4,x", rule: "type" },
  { field: "point", cell: "1,2,3", rule: "invalid" },
  { field: "meta", cell: "{broken", rule: "type" },
  { field: "meta", cell: '{"a":"x","b":"y"}', rule: "invalid" }
]

/** Rows plus a set of (row index, corruption) pairs, at most one per cell. */
export const corrupted = (csv: boolean) =>
  fc
    .array(sample(csv), { minLength: 1, maxLength: 12 })
    .chain((rows) =>
      fc
        .uniqueArray(
          fc.record({ index: fc.nat({ max: rows.length - 1 }), corruption: fc.constantFrom(...corruptions) }),
          { minLength: 1, maxLength: 10, selector: (c) => `${c.index}|${c.corruption.field}` }
        )
        .map((hits) => ({ rows, hits }))
    )

/** Applies corruptions to a table (the cells are already escaped; corrupt texts are put as they are). */
export const corrupt = (
  table: Ledger.Table,
  hits: ReadonlyArray<{ readonly index: number; readonly corruption: Corruption }>
): Ledger.Table => {
  const rows = table.rows.map((row) => row.slice())
  for (const { index, corruption } of hits) {
    const position = table.columns.findIndex((c) => c.field === corruption.field)
    const row = rows[index]
    if (row !== undefined) row[position] = corruption.cell
  }
  return { ...table, rows }
}

/** The (row, header, rule) triples the import must report for these corruptions, sorted. */
export const expectedProblems = (
  hits: ReadonlyArray<{ readonly index: number; readonly corruption: Corruption }>
): ReadonlyArray<string> =>
  hits.map(({ index, corruption }) => `${index + 2}|${headerOf(corruption.field)}|${corruption.rule}`).sort()

export const reportedProblems = (error: Ledger.LedgerImportError): ReadonlyArray<string> =>
  error.rowProblems.map((p) => `${p.row}|${p.header}|${p.rule}`).sort()
