/**
 * CSV ledgers: export → import round-trips exactly; every corrupted cell is
 * reported with its Excel row number and header and nothing is accepted;
 * the file is Excel-friendly (BOM, CR LF, RFC 4180 quoting) and injection-safe.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Csv from "../src/Csv.js"
import * as Ledger from "../src/Ledger.js"
import {
  corrupt,
  corrupted,
  encoded,
  expectedProblems,
  reportedProblems,
  type Sample,
  sample,
  spec
} from "./fixtures.js"

const writeOk = (rows: ReadonlyArray<Sample>, options?: Ledger.Options): string => {
  const out = Csv.write(spec, rows, options)
  if (Either.isLeft(out)) throw new Error(out.left.message)
  return out.right
}

const readOk = (text: string | Uint8Array, options?: Ledger.Options): ReadonlyArray<Sample> => {
  const out = Csv.read(spec, text, options)
  if (Either.isLeft(out)) throw new Error(out.left.message)
  return out.right
}

const readError = (text: string | Uint8Array, options?: Ledger.Options): Ledger.LedgerImportError => {
  const out = Csv.read(spec, text, options)
  if (Either.isRight(out) || out.left._tag !== "LedgerImportError")
    throw new Error("expected a LedgerImportError")
  return out.left
}

const row = (overrides: Partial<Sample> = {}): Sample => ({
  id: "G-001",
  name: "第一网格",
  kind: "basic",
  count: 268,
  amount: 120.5,
  active: true,
  at: DateTime.unsafeMake(Date.UTC(2024, 2, 1, 8, 30)),
  closedAt: null,
  tags: ["b-1", "b-2"],
  ...overrides
})

describe("Csv — round trip", () => {
  it.prop(
    "export then import gives back every row exactly (Chinese, commas, quotes, CR/LF, = + - @, empties, huge numbers)",
    [fc.array(sample(true), { maxLength: 15 })],
    ([rows]) => {
      expect(encoded(readOk(writeOk(rows)))).toEqual(encoded(rows))
    },
    { fastCheck: { numRuns: 200 } }
  )

  it.prop(
    "the round trip holds at any UTC offset",
    [fc.array(sample(true), { maxLength: 5 }), fc.integer({ min: -12 * 60, max: 14 * 60 })],
    ([rows, offset]) => {
      const options = { utcOffsetMinutes: offset }
      expect(encoded(readOk(writeOk(rows, options), options))).toEqual(encoded(rows))
    }
  )

  it.prop(
    "bytes in UTF-8 read the same as the text",
    [fc.array(sample(true), { maxLength: 5 })],
    ([rows]) => {
      const text = writeOk(rows)
      expect(encoded(readOk(new TextEncoder().encode(text)))).toEqual(encoded(rows))
    }
  )

  it("an empty ledger is just the header, and reads back as no rows", () => {
    const text = writeOk([])
    expect(text).toBe(`\uFEFF${Ledger.headers(spec).join(",")}\r\n`)
    expect(readOk(text)).toEqual([])
  })
})

describe("Csv — Excel-friendly format", () => {
  it("UTF-8 with a BOM, CR LF records, Chinese headers, labels, 是/否 and UTC+8 wall-clock dates", () => {
    const text = writeOk([row()])
    expect(text.startsWith("\uFEFF编号,名称,备注,类型,数量,金额（元）,比例,是否有效,登记时间")).toBe(true)
    expect(text).toContain("\r\n")
    expect(text.split("\r\n")[1]).toBe(
      "G-001,第一网格,,基础网格,268,120.5,,是,2024-03-01 16:30:00,,b-1、b-2,,"
    )
  })

  it("RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled", () => {
    const text = writeOk([row({ name: '王某,"张"\n李' })])
    expect(text).toContain('"王某,""张""\n李"')
    expect(readOk(text)[0]?.name).toBe('王某,"张"\n李')
  })

  it("formula injection: = + - @ are neutralised with ' on export, and the import reverses it", () => {
    const names = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "'=already quoted", "'plain"]
    const rows = names.map((name, i) => row({ id: `G-${i}`, name }))
    const text = writeOk(rows)
    const parsed = Either.getOrThrow(Csv.parseRows(text))
    expect(parsed.slice(1).map((r) => r.cells[1])).toEqual([
      '\'=HYPERLINK("http://x")',
      "'+1+1",
      "'-2+3",
      "'@SUM(A1)",
      "''=already quoted",
      "'plain"
    ])
    expect(readOk(text).map((r) => r.name)).toEqual(names)
  })

  it("staff-typed forms are read: 2024/3/1 16:30, 2024年3月1日, 1,234, TRUE, ISO with zone, raw literals", () => {
    const text =
      "编号,名称,类型,数量,金额（元）,是否有效,登记时间,关闭时间,标签\r\n" +
      'G-1,a,basic,"1,234",-0.5,TRUE,2024/3/1 16:30,2024年3月2日,\r\n' +
      "G-2,b,专属网格,7,1e3,否,2024-03-01T08:30:00Z,2024-03-01T16:30:00+08:00,x\r\n"
    const rows = readOk(text)
    expect(rows.map((r) => [r.kind, r.count, r.amount, r.active])).toEqual([
      ["basic", 1234, -0.5, true],
      ["dedicated", 7, 1000, false]
    ])
    const at = rows.map((r) => DateTime.toEpochMillis(r.at))
    expect(at).toEqual([Date.UTC(2024, 2, 1, 8, 30), Date.UTC(2024, 2, 1, 8, 30)])
    const closedAt = rows[0]?.closedAt
    expect(closedAt === null || closedAt === undefined ? null : DateTime.formatIso(closedAt)).toBe(
      "2024-03-01T16:00:00.000Z"
    )
    expect(rows.map((r) => r.tags)).toEqual([[], ["x"]])
  })

  it("GB18030 bytes (Excel's plain 'CSV (逗号分隔)' on Chinese Windows) are decoded", () => {
    // "编号,名称,类型,数量,金额（元）,是否有效,登记时间,关闭时间,标签\r\nG-1,网格,basic,1,2,是,2024-01-01,,\r\n" in GB18030
    const gb = Uint8Array.from([
      177, 224, 186, 197, 44, 195, 251, 179, 198, 44, 192, 224, 208, 205, 44, 202, 253, 193, 191, 44, 189,
      240, 182, 238, 163, 168, 212, 170, 163, 169, 44, 202, 199, 183, 241, 211, 208, 208, 167, 44, 181, 199,
      188, 199, 202, 177, 188, 228, 44, 185, 216, 177, 213, 202, 177, 188, 228, 44, 177, 234, 199, 169, 13,
      10, 71, 45, 49, 44, 205, 248, 184, 241, 44, 98, 97, 115, 105, 99, 44, 49, 44, 50, 44, 202, 199, 44, 50,
      48, 50, 52, 45, 48, 49, 45, 48, 49, 44, 44, 13, 10
    ])
    const rows = readOk(gb)
    expect(rows.map((r) => [r.id, r.name, r.active])).toEqual([["G-1", "网格", true]])
  })

  it("malformed CSV (an unclosed quote) is a CsvSyntaxError, not a partial import", () => {
    const out = Csv.read(spec, '编号,名称\r\nG-1,"open\r\n')
    expect(Either.isLeft(out) && out.left._tag).toBe("CsvSyntaxError")
  })

  it("a row that breaks its schema is not exported: LedgerExportError names the row and field", () => {
    const out = Csv.write(spec, [row(), row({ count: 1.5 })])
    expect(Either.isLeft(out)).toBe(true)
    if (Either.isLeft(out)) expect(out.left.problems.map((p) => [p.index, p.field])).toEqual([[1, "count"]])
  })
})

describe("Csv — validated import", () => {
  it.prop(
    "corrupted cells are reported exactly — row number (header = row 1), header, rule — and no row is accepted",
    [corrupted(true)],
    ([{ rows, hits }]) => {
      const table = Either.getOrThrow(Ledger.toTable(spec, rows))
      const error = readError(Csv.stringifyTable(corrupt(table, hits)))
      expect(error.headerProblems).toEqual([])
      expect(reportedProblems(error)).toEqual(expectedProblems(hits))
      expect(error.badRows).toEqual(Array.from(new Set(hits.map((h) => h.index + 2))).sort((a, b) => a - b))
      for (const p of error.rowProblems) {
        expect(p.column).toBe(Ledger.columnLetter(spec.columns.findIndex((c) => c.header === p.header)))
        expect(p.message.length).toBeGreaterThan(0)
      }
    },
    { fastCheck: { numRuns: 100 } }
  )

  it("row numbers count a quoted line break as one row, and blank lines as rows (as Excel shows them)", () => {
    const good = writeOk([row({ id: "G-1", name: "两行\n名称" }), row({ id: "G-2" })])
    const lines = good.split("\r\n")
    // header, G-1 (spans two physical lines), blank, G-2 with a bad count
    const text = [lines[0], lines[1], "", (lines[2] ?? "").replace(",268,", ",x,"), ""].join("\r\n")
    const error = readError(text)
    expect(error.rowProblems.map((p) => [p.row, p.column, p.header, p.rule])).toEqual([
      [4, "E", "数量", "type"]
    ])
  })
})
