/**
 * The ledger engine: column derivation from schemas, the formula escape, the
 * header checks (missing, unknown, duplicate — all reported), title rows,
 * blank rows, and the cell codecs' own round trips.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as cells from "../src/internal/cells.js"
import * as Ledger from "../src/Ledger.js"
import { encoded, type Sample, sample, spec } from "./fixtures.js"

const header = Ledger.headers(spec)

const source = (
  rows: ReadonlyArray<ReadonlyArray<Ledger.Cell>>,
  first = 1
): ReadonlyArray<Ledger.SourceRow> => rows.map((cellsOfRow, i) => ({ row: first + i, cells: cellsOfRow }))

const tableOf = (rows: ReadonlyArray<Sample>): Ledger.Table => Either.getOrThrow(Ledger.toTable(spec, rows))

const importError = (
  rows: ReadonlyArray<Ledger.SourceRow>,
  options?: Ledger.Options
): Ledger.LedgerImportError => {
  const out = Ledger.fromRows(spec, rows, options)
  if (Either.isRight(out)) throw new Error("expected the ledger to be rejected")
  return out.left
}

const good: Sample = {
  id: "G-001",
  name: "第一网格",
  kind: "basic",
  count: 268,
  amount: 1,
  active: true,
  at: DateTime.unsafeMake(Date.UTC(2024, 2, 1)),
  closedAt: null,
  tags: []
}

describe("Ledger.make — columns derived from the schema", () => {
  it("kinds, optionality and required columns follow the field schemas", () => {
    expect(spec.sheet).toBe("测试台账")
    expect(spec.columns.map((c) => [c.field, c.kind, c.optional, c.nullable, c.required])).toEqual([
      ["id", "text", false, false, true],
      ["name", "text", false, false, true],
      ["note", "text", true, false, false],
      ["kind", "text", false, false, true],
      ["count", "number", false, false, true],
      ["amount", "number", false, false, true],
      ["ratio", "number", true, false, false],
      ["active", "boolean", false, false, true],
      ["at", "date", false, false, true],
      ["closedAt", "date", false, true, false],
      // a list the schema allows empty may be left out of the header (it reads as [])
      ["tags", "list", false, false, false],
      ["point", "list", true, false, false],
      ["meta", "json", true, false, false]
    ])
    expect(spec.columns.find((c) => c.field === "point")?.separator).toBe(",")
    expect(spec.columns.find((c) => c.field === "tags")?.separator).toBe("、")
    expect(spec.columns.find((c) => c.field === "tags")?.separators).toEqual(["、", ",", "，", ";", "；"])
    expect(spec.columns.find((c) => c.field === "point")?.separators).toEqual([",", "、", "，", ";", "；"])
  })

  it("a labelled text column exports a value named like an object's own property (constructor, __proto__, toString) as itself", () => {
    const Row = Schema.Struct({ code: Schema.String })
    const spec = Ledger.make({
      sheet: "代码",
      schema: Row,
      headers: { code: { header: "代码", labels: { known: "已知" } } }
    })
    const values = ["constructor", "__proto__", "toString", "hasOwnProperty", "known"]
    const table = Either.getOrThrow(
      Ledger.toTable(
        spec,
        values.map((code) => ({ code }))
      )
    )
    expect(table.rows).toEqual([["constructor"], ["__proto__"], ["toString"], ["hasOwnProperty"], ["已知"]])
    const back = Ledger.fromRows(spec, source([table.header, ...table.rows]))
    expect(back).toEqual(Either.right(values.map((code) => ({ code }))))
  })

  it("a transform schema exports and imports the domain type through its flat row", () => {
    const Row = Schema.Struct({ lon: Schema.Number, lat: Schema.Number })
    const Point = Schema.transform(Row, Schema.Tuple(Schema.Number, Schema.Number), {
      strict: true,
      decode: (r) => [r.lon, r.lat] as const,
      encode: ([lon, lat]) => ({ lon, lat })
    })
    const points = Ledger.make({ sheet: "坐标", schema: Point, headers: { lon: "经度", lat: "纬度" } })
    const table = Either.getOrThrow(Ledger.toTable(points, [[116.4, 39.9]]))
    expect(table.rows).toEqual([[116.4, 39.9]])
    const back = Ledger.fromRows(points, source([table.header, ...table.rows]))
    expect(back).toEqual(Either.right([[116.4, 39.9]]))
  })
})

describe("Ledger — header problems (all reported)", () => {
  it("missing required column, unknown column and duplicate column are all reported, with letters", () => {
    const table = tableOf([good])
    const drop = header.indexOf("数量")
    const withoutCount = (row: ReadonlyArray<Ledger.Cell>) => row.filter((_, i) => i !== drop)
    const head = [...withoutCount(table.header), "备注2", "名称"]
    const rows = table.rows.map((r) => [...withoutCount(r), "x", "重复"])
    const error = importError(source([head, ...rows]))
    expect(error.headerProblems.map((p) => [p.rule, p.header, p.column, p.field])).toEqual([
      ["unknown-column", "备注2", "M", ""],
      ["duplicate-column", "名称", "N", "name"],
      ["missing-column", "数量", "", "count"]
    ])
    // rows are still checked, but the missing column is not reported again on every row
    expect(error.rowProblems).toEqual([])
  })

  it.prop(
    "random header damage — dropped, duplicated, unknown columns in any order — is reported exactly",
    [
      fc.shuffledSubarray(header.slice(), { minLength: 0 }),
      fc.subarray(header.slice()),
      fc.uniqueArray(fc.constantFrom("备注说明", "联系人", "负责人", "经办"), { maxLength: 3 })
    ],
    ([kept, duplicated, unknown]) => {
      const columns = [...kept, ...duplicated.filter((h) => kept.includes(h)), ...unknown]
      const row: ReadonlyArray<Ledger.Cell> = columns.map((h) => {
        const at = header.indexOf(h)
        return at === -1 ? "x" : (tableOf([good]).rows[0]?.[at] ?? null)
      })
      const out = Ledger.fromRows(spec, source([columns, row]))
      const expected = [
        ...columns.flatMap((h, i) =>
          !header.includes(h)
            ? [`unknown-column|${h}`]
            : columns.indexOf(h) < i
              ? [`duplicate-column|${h}`]
              : []
        ),
        ...spec.columns
          .filter((c) => c.required && !kept.includes(c.header))
          .map((c) => `missing-column|${c.header}`)
      ].sort()
      if (expected.length === 0) {
        expect(Either.isRight(out)).toBe(true)
      } else {
        expect(Either.isLeft(out)).toBe(true)
        if (Either.isLeft(out)) {
          expect(out.left.headerProblems.map((p) => `${p.rule}|${p.header}`).sort()).toEqual(expected)
          expect(out.left.rowProblems).toEqual([])
        }
      }
    }
  )

  it("column order does not matter; an absent optional column reads as absent / null", () => {
    const table = tableOf([good])
    const order = header.map((_, i) => i).reverse()
    const keep = order.filter((i) => header[i] !== "备注" && header[i] !== "关闭时间")
    const pick = (row: ReadonlyArray<Ledger.Cell>) => keep.map((i) => row[i] ?? null)
    const out = Ledger.fromRows(spec, source([pick(table.header), ...table.rows.map(pick)]))
    expect(Either.map(out, encoded)).toEqual(Either.right(encoded([good])))
  })

  it("unknownColumns: 'ignore' accepts a column staff added (e.g. 备注说明)", () => {
    const table = tableOf([good])
    const rows = source([[...table.header, "备注说明"], ...table.rows.map((r) => [...r, "电话回访"])])
    expect(Either.isLeft(Ledger.fromRows(spec, rows))).toBe(true)
    expect(Either.isRight(Ledger.fromRows(spec, rows, { unknownColumns: "ignore" }))).toBe(true)
  })

  it("data under an empty header is an unknown column; empty columns with no data are ignored", () => {
    const table = tableOf([good])
    const withData = importError(source([[...table.header, null], ...table.rows.map((r) => [...r, "stray"])]))
    expect(withData.headerProblems.map((p) => [p.rule, p.column])).toEqual([["unknown-column", "N"]])
    const empty = Ledger.fromRows(
      spec,
      source([[...table.header, null, ""], ...table.rows.map((r) => [...r, ""])])
    )
    expect(Either.isRight(empty)).toBe(true)
  })

  it("an empty file lacks every required column", () => {
    const error = importError([])
    expect(error.headerProblems.map((p) => p.header)).toEqual(
      spec.columns.filter((c) => c.required).map((c) => c.header)
    )
  })
})

describe("Ledger — rows", () => {
  it("a title row above the header and blank rows are allowed; row numbers stay as in the file", () => {
    const table = tableOf([good, { ...good, id: "G-002" }])
    const [first, second] = table.rows
    if (first === undefined || second === undefined) throw new Error("rows")
    const broken = second.map((cell, i) => (header[i] === "数量" ? "很多" : cell))
    const error = importError(
      source([["金沙社区网格台账（2024年3月）"], [], table.header, first, [null, ""], broken])
    )
    expect(error.rowProblems.map((p) => [p.row, p.column, p.header, p.field, p.rule, p.value])).toEqual([
      [6, "E", "数量", "count", "type", "很多"]
    ])
    expect(error.message).toContain("第 6 行 E 列「数量」")
  })

  it("a row-level schema rule is reported with rule 'row'", () => {
    const Range = Schema.Struct({ from: Schema.Number, to: Schema.Number }).pipe(
      Schema.filter((r) => r.from <= r.to || "起点不能大于终点")
    )
    const ranges = Ledger.make({ sheet: "区间", schema: Range, headers: { from: "起点", to: "终点" } })
    const out = Ledger.fromRows(
      ranges,
      source([
        ["起点", "终点"],
        [1, 2],
        [3, 1]
      ])
    )
    expect(Either.isLeft(out)).toBe(true)
    if (Either.isLeft(out)) {
      expect(out.left.rowProblems.map((p) => [p.row, p.rule, p.message])).toEqual([
        [3, "row", "起点不能大于终点"]
      ])
    }
  })

  it.prop(
    "fromRows(toTable(rows)) gives back the rows",
    [fc.array(sample(true), { maxLength: 10 })],
    ([rows]) => {
      const table = tableOf(rows)
      const out = Ledger.fromRows(spec, source([table.header, ...table.rows]))
      expect(Either.map(out, encoded)).toEqual(Either.right(encoded(rows)))
    }
  )
})

describe("cells — codecs", () => {
  it.prop(
    "unescapeFormula inverts escapeFormula, and no escaped text starts with = + - @",
    [fc.string()],
    ([s]) => {
      const escaped = Ledger.escapeFormula(s)
      expect(Ledger.unescapeFormula(escaped)).toBe(s)
      expect(/^[=+\-@]/.test(escaped)).toBe(false)
    }
  )

  it.prop(
    "splitList inverts joinList (items with separators and backslashes included)",
    [
      fc
        .array(fc.string({ unit: fc.constantFrom("a", "、", "\\", ",", "b") }))
        .filter((a) => !(a.length === 1 && a[0] === "")),
      fc.constantFrom(["、"], [","], ["、", ",", "，", ";", "；"], [";", "、"])
    ],
    ([items, separators]) => {
      expect(cells.splitList(cells.joinList(items, separators), separators)).toEqual(items)
    }
  )

  it.prop(
    "parseDate inverts formatDate at any offset",
    [
      fc.integer({ min: Date.UTC(1900, 2, 1), max: Date.UTC(2200, 0, 1) }),
      fc.integer({ min: -720, max: 840 })
    ],
    ([ms, offset]) => {
      expect(cells.parseDate(cells.formatDate(new Date(ms), offset), offset)?.getTime()).toBe(ms)
    }
  )

  it("parseDate refuses impossible dates and times", () => {
    for (const s of [
      "2024-02-30",
      "2023-02-29 10:00",
      "2024-13-01",
      "2024-01-01 24:00",
      "2024-01-01 10:60",
      "昨天"
    ]) {
      expect(cells.parseDate(s, 480)).toBeUndefined()
    }
    expect(cells.parseDate("2024-02-29", 480)?.toISOString()).toBe("2024-02-28T16:00:00.000Z")
  })

  it.prop(
    "parseNumber inverts numberText (NaN and ±Infinity included; -0 reads as 0)",
    [fc.double()],
    ([n]) => {
      expect(cells.parseNumber(cells.numberText(n))).toBe(Object.is(n, -0) ? 0 : n)
    }
  )

  it("Excel serial dates are read as wall-clock time at the offset", () => {
    // 45352.6875 = 2024-03-01 16:30 in Excel's 1900 system
    expect(cells.fromExcelSerial(45352.6875, 480).toISOString()).toBe("2024-03-01T08:30:00.000Z")
  })

  it("column letters and display widths", () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(Ledger.columnLetter)).toEqual([
      "A",
      "Z",
      "AA",
      "AZ",
      "BA",
      "ZZ",
      "AAA"
    ])
    expect(Ledger.displayWidth("网格a")).toBe(5)
    expect(Ledger.displayWidth("短\n更长的一行")).toBe(10)
  })
})
