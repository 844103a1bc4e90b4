/**
 * 台账 as staff actually keep them (issue 15): cells with spaces around them
 * (U+3000 included), full-width digits and dates, whitespace-only and footer
 * rows (填表人/审核人/填报日期), tags separated by , ， 、 ; ；, units by name or
 * path, an instructions sheet before the data, a task ledger imported as
 * problems, a 关联案件 column left out — and every error Chinese first with
 * the Excel row, the column letter, the header and the rule.
 */
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import ExcelJS from "exceljs"
import * as Csv from "../src/Csv.js"
import * as cells from "../src/internal/cells.js"
import * as Ledger from "../src/Ledger.js"
import * as ProblemLedger from "../src/ProblemLedger.js"
import * as ResourceLedger from "../src/ResourceLedger.js"
import * as StaffingLedger from "../src/StaffingLedger.js"
import * as TaskLedger from "../src/TaskLedger.js"
import * as UnitNames from "../src/UnitNames.js"
import * as Xlsx from "../src/Xlsx.js"

const csvOf = (rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  rows
    .map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(","))
    .join("\r\n")

const xlsxOf = async (
  sheets: ReadonlyArray<{
    readonly name: string
    readonly rows: ReadonlyArray<ReadonlyArray<string | number>>
  }>
): Promise<Uint8Array> => {
  const workbook = new ExcelJS.Workbook()
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name)
    for (const row of sheet.rows) ws.addRow([...row])
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

const importError = (e: unknown): Ledger.LedgerImportError => {
  if (e instanceof Ledger.LedgerImportError) return e
  throw new Error(`expected a LedgerImportError, got ${String(e)}`)
}

const problemHeader = [
  "问题编号",
  "所属单元",
  "问题类别",
  "来源",
  "问题描述",
  "上报时间",
  "所需能力",
  "需求量",
  "状态"
]

/** A problem sheet the way a community keeps it: title, padded cells, full-width digits, blank and footer rows. */
const staffProblemRows: ReadonlyArray<ReadonlyArray<string>> = [
  ["金星社区问题清单台账（2025年3月）"],
  problemHeader,
  [
    "P-001 ",
    "c-001　",
    " 物业管理",
    "入户走访 ",
    "　楼道堆放杂物 ",
    "２０２５－０３－０１ ０９：３０",
    "维修，助老、清理;搬运；保洁",
    "２",
    "待解决"
  ],
  ["  ", " ", "　", "", "", "", "", "", ""],
  ["P-002", "c-001", "环境整治", "其他", "绿化带缺损", "2025/3/2", "绿化", " 1 ", "待解决 "],
  ["填表人：张三", "", "", "审核人：李四", "", "", "填报日期：2025年3月5日", "", ""],
  ["制表人", "王五"]
]

describe("staff sheets — cells", () => {
  it("trims cells (U+3000 too), reads full-width digits and dates, splits tags at , ， 、 ; ；, skips blank and footer rows and says so (CSV)", () => {
    const report = Either.getOrThrow(Csv.readReport(ProblemLedger.spec, csvOf(staffProblemRows)))
    const [p1, p2] = report.rows
    expect(p1?.id).toBe("P-001")
    expect(p1?.unitId).toBe("c-001")
    expect(p1?.categoryId).toBe("property-management")
    expect(p1?.description).toBe("楼道堆放杂物")
    expect(p1?.reportedAt.epochMillis).toBe(Date.parse("2025-03-01T09:30:00+08:00"))
    expect(p1?.demand).toBe(2)
    expect([...(p1?.tags ?? [])].sort()).toEqual(["保洁", "助老", "搬运", "清理", "维修"])
    expect(p1?.caseIds).toEqual([])
    expect(p2?.demand).toBe(1)
    expect(report.skipped).toEqual([
      { row: 4, reason: "blank", text: "" },
      { row: 6, reason: "footer", text: "填表人：张三 审核人：李四 填报日期：2025年3月5日" },
      { row: 7, reason: "footer", text: "制表人 王五" }
    ])
    expect(
      Ledger.describeSkipped([
        { row: 7, reason: "blank", text: "" },
        { row: 8, reason: "blank", text: "" },
        { row: 9, reason: "blank", text: "" },
        { row: 10, reason: "footer", text: "填表人：张三" },
        { row: 12, reason: "blank", text: "" }
      ])
    ).toBe(
      "已跳过 5 行 skipped 5 row(s): 第 7–9 行 空行 (blank); 第 10 行 表尾 (footer)「填表人：张三」; 第 12 行 空行 (blank)"
    )
    const notice = Ledger.describeSkipped(report.skipped)
    expect(notice).toMatch(
      /^已跳过 3 行 skipped 3 row\(s\): 第 4 行 空行 \(blank\); 第 6 行 表尾 \(footer\)「填表人/
    )
  })

  it.effect("the same sheet as XLSX, after an instructions sheet, with numbers typed as text", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() =>
        xlsxOf([
          {
            name: "填表说明",
            rows: [["填表说明"], ["1. 问题编号必填"], ["2. 上报时间格式 2025-03-01 09:30"]]
          },
          { name: "3月", rows: staffProblemRows }
        ])
      )
      const report = yield* Xlsx.readReport(ProblemLedger.spec, bytes)
      expect(report.sheet).toBe("3月")
      expect(report.rows.map((p) => p.id)).toEqual(["P-001", "P-002"])
      expect(report.rows[0]?.demand).toBe(2)
      expect(report.skipped.map((r) => [r.row, r.reason])).toEqual([
        [4, "blank"],
        [6, "footer"],
        [7, "footer"]
      ])
    })
  )

  it.effect(
    "--sheet chooses a sheet by name or 1-based position; an unknown one is refused listing the sheets",
    () =>
      Effect.gen(function* () {
        const bytes = yield* Effect.promise(() =>
          xlsxOf([
            { name: "填表说明", rows: [["填表说明"]] },
            {
              name: "2月",
              rows: [
                problemHeader,
                ["P-009", "c-001", "物业管理", "其他", "旧的", "2025-02-01", "", "1", "待解决"]
              ]
            },
            { name: "3月", rows: staffProblemRows }
          ])
        )
        const byName = yield* Xlsx.read(ProblemLedger.spec, bytes, { sheet: "2月" })
        expect(byName.map((p) => p.id)).toEqual(["P-009"])
        const byIndex = yield* Xlsx.read(ProblemLedger.spec, bytes, { sheet: 3 })
        expect(byIndex.map((p) => p.id)).toEqual(["P-001", "P-002"])
        const byIndexText = yield* Xlsx.read(ProblemLedger.spec, bytes, { sheet: "3" })
        expect(byIndexText.map((p) => p.id)).toEqual(["P-001", "P-002"])
        const missing = yield* Effect.flip(Xlsx.read(ProblemLedger.spec, bytes, { sheet: "4月" }))
        expect(missing._tag).toBe("XlsxReadError")
        expect(missing.message).toMatch(/^找不到工作表 .*「4月」.*1「填表说明」、2「2月」、3「3月」/)
      })
  )

  it("a 关联案件 column that may be empty is not required; the lists' own columns still are", () => {
    expect(ProblemLedger.spec.columns.find((c) => c.field === "caseIds")?.required).toBe(false)
    expect(ProblemLedger.spec.columns.find((c) => c.field === "tags")?.required).toBe(false)
    expect(ProblemLedger.spec.columns.find((c) => c.field === "id")?.required).toBe(true)
    const without = Csv.read(ProblemLedger.spec, csvOf([problemHeader.filter((h) => h !== "问题编号")]))
    expect(Either.isLeft(without) && importError(without.left).headerProblems.map((p) => p.rule)).toEqual([
      "missing-column"
    ])
  })
})

describe("staff sheets — the wrong kind of ledger", () => {
  const kinds = [ProblemLedger.spec, ResourceLedger.spec, TaskLedger.spec]
  const taskSheet = csvOf([
    [...Ledger.headers(TaskLedger.spec)],
    ...Array.from({ length: 6 }, (_, i) => [
      `T-${i}`,
      `P-${i}`,
      "清理楼道",
      "",
      "",
      "属地单元",
      "c-001",
      "2025-03-10 18:00",
      "否",
      "",
      "",
      "",
      "",
      "待办",
      "",
      "",
      "",
      "",
      ""
    ])
  ])

  it("a task ledger imported as problems is refused with ONE error naming the kind it looks like", () => {
    const out = Csv.read(ProblemLedger.spec, taskSheet, { kinds })
    const error = importError(Either.isLeft(out) ? out.left : undefined)
    expect(error.rowProblems).toEqual([])
    expect(error.headerProblems).toHaveLength(1)
    expect(error.headerProblems[0]).toMatchObject({ rule: "wrong-ledger", header: "任务清单台账" })
    expect(error.message).toMatch(/此表看起来是「任务清单台账」，不是「问题清单台账」/)
    // the ledger it is imports
    expect(Either.isRight(Csv.read(TaskLedger.spec, taskSheet, { kinds }))).toBe(true)
  })

  it("a problem ledger missing a column is not mistaken for another kind", () => {
    const out = Csv.read(ProblemLedger.spec, csvOf([problemHeader.filter((h) => h !== "状态")]), { kinds })
    const error = importError(Either.isLeft(out) ? out.left : undefined)
    expect(error.headerProblems.map((p) => p.rule)).toEqual(["missing-column"])
  })
})

describe("staff sheets — units by name or path", () => {
  const u = Unit.make
  const hierarchy = Either.getOrThrow(
    Hierarchy.make(LevelScheme.FiveLevel, [
      u({ id: "d-1", parentId: null, level: "district", name: "星区" }),
      u({ id: "s-1", parentId: "d-1", level: "street", name: "金星街道" }),
      u({ id: "s-2", parentId: "d-1", level: "street", name: "木星街道" }),
      u({ id: "c-001", parentId: "s-1", level: "community", name: "金星社区" }),
      u({ id: "c-002", parentId: "s-1", level: "community", name: "水星社区" }),
      u({ id: "c-101", parentId: "s-2", level: "community", name: "金星社区" })
    ])
  )
  const units = UnitNames.resolver(hierarchy)
  const sheet = (unit: string) =>
    csvOf([problemHeader, ["P-1", unit, "物业管理", "其他", "楼道杂物", "2025-03-01", "", "1", "待解决"]])

  it("an id, a unique name or a path (/ or ／) names one unit", () => {
    for (const [text, id] of [
      ["c-002", "c-002"],
      ["水星社区", "c-002"],
      ["金星街道/金星社区", "c-001"],
      [" 木星街道／金星社区 ", "c-101"],
      ["星区/金星街道/金星社区", "c-001"]
    ] as const) {
      const [p] = Either.getOrThrow(Csv.read(ProblemLedger.spec, sheet(text), { units }))
      expect(p?.unitId, text).toBe(id)
    }
  })

  it("an ambiguous name is an error at its cell listing every candidate's id and path", () => {
    const out = Csv.read(ProblemLedger.spec, sheet("金星社区"), { units })
    const error = importError(Either.isLeft(out) ? out.left : undefined)
    expect(error.rowProblems).toHaveLength(1)
    expect(error.rowProblems[0]).toMatchObject({ row: 2, column: "B", header: "所属单元", rule: "ambiguous" })
    expect(error.rowProblems[0]?.message).toContain("c-001（星区/金星街道/金星社区）")
    expect(error.rowProblems[0]?.message).toContain("c-101（星区/木星街道/金星社区）")
  })

  it("an unknown name is kept for the domain's validation (ProblemList.validate reports unknown units)", () => {
    const [p] = Either.getOrThrow(Csv.read(ProblemLedger.spec, sheet("火星社区"), { units }))
    expect(p?.unitId).toBe("火星社区")
  })

  it("exports carry the unit's path beside its id, and import reads such a file back", () => {
    const [p] = Either.getOrThrow(Csv.read(ProblemLedger.spec, sheet("水星社区"), { units }))
    const text = Either.getOrThrow(Csv.write(ProblemLedger.spec, p === undefined ? [] : [p], { units }))
    const [header, row] = text.replace(Csv.bom, "").split("\r\n")
    expect(header?.split(",").slice(0, 3)).toEqual(["问题编号", "所属单元", "所属单元名称"])
    expect(row?.split(",").slice(0, 3)).toEqual(["P-1", "c-002", "星区/金星街道/水星社区"])
    expect(Either.getOrThrow(Csv.read(ProblemLedger.spec, text))).toEqual(p === undefined ? [] : [p])
  })
})

describe("staff sheets — error messages", () => {
  it("every problem is Chinese first, with the Excel row, the column letter, the header and the rule", () => {
    const out = Csv.read(
      ProblemLedger.spec,
      csvOf([
        ["问题清单"],
        problemHeader,
        ["P\t1", "c-001", "物业管理", "其他", "楼道杂物", "2025-03-01", "", "很多", "待解决"],
        ["P-2", "c-001", "物业管理", "其他", "", "2025-03-01", "", "1", "待解决"]
      ])
    )
    const error = importError(Either.isLeft(out) ? out.left : undefined)
    expect(error.rowProblems.map((p) => `${p.row}${p.column}|${p.header}|${p.rule}`)).toEqual([
      "3A|问题编号|invalid",
      "3H|需求量|type",
      "4E|问题描述|required"
    ])
    for (const p of error.rowProblems) expect(p.message, p.message).toMatch(/^[\u3400-\u9fff]/u)
    expect(error.message).toMatch(/^台账「问题清单台账」导入失败/)
    expect(error.message).toContain("第 3 行 A 列「问题编号」取值无效: ")
    expect(error.message).toContain(
      "第 3 行 H 列「需求量」格式不符: 不是数字 (not a number) [row 3, column H, demand, rule type]"
    )
    expect(error.message).toContain(
      "第 4 行 E 列「问题描述」必填: 此项必填 (required) [row 4, column E, description, rule required]"
    )
  })
})

describe("staff sheets — invariants of the cell rule", () => {
  const anyText = fc.string({
    unit: fc.constantFrom("a", "1", "２", "－", "：", " ", "\u3000", "\t", "\n", "网", "、", "，", "\u00a0")
  })
  const kinds: ReadonlyArray<Ledger.CellKind> = ["text", "number", "boolean", "date", "list", "json"]

  it.prop(
    "normalisation is idempotent, for every cell kind",
    [anyText, fc.constantFrom(...kinds)],
    ([s, kind]) => {
      const once = cells.normalizeCell(s, kind)
      expect(cells.normalizeCell(once, kind)).toBe(once)
    }
  )

  it.prop(
    "trimming never changes a text cell without surrounding white space",
    [anyText.filter((s) => s === s.trim())],
    ([s]) => {
      expect(cells.normalizeCell(s, "text")).toBe(s)
    }
  )

  it.prop("full-width digits read as the same number", [fc.integer({ min: 0, max: 1_000_000 })], ([n]) => {
    const wide = String(n).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))
    expect(cells.parseNumber(String(cells.normalizeCell(`\u3000${wide} `, "number")))).toBe(n)
  })

  it.prop(
    "a phone typed in full-width digits (１３９ …) reads as the same phone in the people ledger",
    [fc.stringMatching(/^1[3-9]\d{9}$/)],
    ([phone]) => {
      const wide = phone.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))
      const csv = csvOf([
        ["人员编号", "姓名", "是否党员", "党员类别", "联系电话"],
        ["w-1", "王芳", "是", "骨干", `${wide}\u3000`]
      ])
      expect(Either.map(Csv.read(StaffingLedger.person, csv), (rows) => rows.map((p) => p.phone))).toEqual(
        Either.right([phone])
      )
    }
  )

  it.prop(
    "splitting then joining tags with 、 round-trips for tags without separators",
    [
      fc.array(
        fc
          .string({ unit: fc.constantFrom("维", "修", "a", "1", " ", "-") })
          .map((s) => s.trim())
          .filter((s) => s !== "")
      )
    ],
    ([tags]) => {
      const column = ProblemLedger.spec.columns.find((c) => c.field === "tags")
      const decoded = column?.decode(tags.join("、"))
      expect(decoded === undefined ? undefined : Either.getOrThrow(decoded)).toEqual(tags)
      expect(cells.splitList(tags.join("、"), cells.listSeparators).join("、")).toBe(tags.join("、"))
    }
  )
})
