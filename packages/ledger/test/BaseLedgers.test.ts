/**
 * 基础数据台账 (issue 15): the unit ledger of any level scheme (levels by id,
 * Chinese name or part of it, English name; parents by id, name or path
 * among the ledger's own rows, an ambiguous name listing its candidates; the
 * schemes that fit the levels used), the party organisation ledger (kinds by
 * name or synonym), the department ledger and the grid ledger with its
 * boundary column (WKT or GeoJSON) — every one exports and imports back to
 * the same rows, with the cell rules the lists have (trimmed, full-width
 * digits, footer rows, XLSX after an instructions sheet).
 */
import * as Department from "@civicgrid/core/Department"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as Unit from "@civicgrid/core/Unit"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import ExcelJS from "exceljs"
import * as Csv from "../src/Csv.js"
import * as DepartmentLedger from "../src/DepartmentLedger.js"
import * as GridLedger from "../src/GridLedger.js"
import * as Ledger from "../src/Ledger.js"
import * as PartyOrganizationLedger from "../src/PartyOrganizationLedger.js"
import * as UnitLedger from "../src/UnitLedger.js"
import * as UnitNames from "../src/UnitNames.js"
import * as Xlsx from "../src/Xlsx.js"

const csvOf = (rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  rows
    .map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(","))
    .join("\r\n")

const importError = (e: unknown): Ledger.LedgerImportError => {
  if (e instanceof Ledger.LedgerImportError) return e
  throw new Error(`expected a LedgerImportError, got ${String(e)}`)
}

const unitRows = [
  ["单元编号", "上级单元", "层级", "单元名称", "区划代码"],
  ["qs", "", "District", "青山区", ""],
  ["qs-a", "青山区", "街道", "红卫路街道", ""],
  ["qs-b", "qs", "street", "冶金街道", ""],
  ["qs-a-1", "红卫路街道", "社区", "建设社区", ""],
  ["qs-b-1", "冶金街道", "社区", "建设社区", ""],
  ["qs-a-1-x", "红卫路街道/建设社区", "小区", "一号小区", ""],
  ["qs-b-1-x", "建设社区", "居民小组", "一组", ""],
  ["填表人：张三", "", "", "", ""]
]

describe("UnitLedger 行政单元台账", () => {
  it("reads levels by any of their names and parents by id, name or path; an ambiguous name lists its candidates", () => {
    const loose = Either.getOrThrow(Csv.readReport(UnitLedger.loose, csvOf(unitRows)))
    expect(loose.skipped.map((s) => s.reason)).toEqual(["footer"])
    expect(
      UnitLedger.fitting(loose.rows, [LevelScheme.StreetAreaCommunityGrid, LevelScheme.FiveLevel])
    ).toEqual([LevelScheme.FiveLevel])
    const resolver = UnitLedger.resolver(loose.rows)
    const result = Csv.readReport(UnitLedger.spec(LevelScheme.FiveLevel), csvOf(unitRows), {
      units: resolver
    })
    const error = importError(Either.flip(result).pipe(Either.getOrThrow))
    // 建设社区 is the name of two communities: the last row's parent is ambiguous, naming both paths
    expect(error.rowProblems).toHaveLength(1)
    const [problem] = error.rowProblems
    expect(problem).toMatchObject({ row: 8, column: "B", header: "上级单元", rule: "ambiguous" })
    expect(problem?.message).toContain("青山区/红卫路街道/建设社区")
    expect(problem?.message).toContain("青山区/冶金街道/建设社区")

    const fixed = unitRows.map((r) =>
      r[0] === "qs-b-1-x" ? ["qs-b-1-x", "冶金街道/建设社区", "居民小组", "一组", ""] : r
    )
    const units = Either.getOrThrow(
      Csv.readReport(UnitLedger.spec(LevelScheme.FiveLevel), csvOf(fixed), {
        units: UnitLedger.resolver(Either.getOrThrow(Csv.readReport(UnitLedger.loose, csvOf(fixed))).rows)
      })
    ).rows
    expect(units.map((u) => [u.id, u.parentId, u.level])).toEqual([
      ["qs", null, "district"],
      ["qs-a", "qs", "street"],
      ["qs-b", "qs", "street"],
      ["qs-a-1", "qs-a", "community"],
      ["qs-b-1", "qs-b", "community"],
      ["qs-a-1-x", "qs-a-1", "compound"],
      ["qs-b-1-x", "qs-b-1", "compound"]
    ])
    expect(Either.isRight(Hierarchy.make(LevelScheme.FiveLevel, units))).toBe(true)
  })

  it("a level outside the scheme is a bad cell naming the scheme's levels", () => {
    const rows = [unitRows[0] ?? [], ["x", "", "片区", "北片区", ""]]
    const error = importError(
      Either.flip(Csv.readReport(UnitLedger.spec(LevelScheme.FiveLevel), csvOf(rows))).pipe(Either.getOrThrow)
    )
    expect(error.rowProblems[0]).toMatchObject({ row: 2, column: "C", header: "层级", rule: "invalid" })
    expect(error.rowProblems[0]?.message).toContain("层级「片区」不在层级方案「五级治理」中")
  })

  it.effect.prop(
    "every hierarchy of the six-level scheme exports and imports back (CSV and XLSX), same names under different parents",
    [fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })],
    ([streets, communities]) =>
      Effect.gen(function* () {
        const scheme = LevelScheme.SixLevel
        const units: Array<Unit.Unit> = [
          Unit.make({ id: "d", parentId: null, level: "district", name: "东湖区" })
        ]
        for (let s = 0; s < streets; s++) {
          units.push(Unit.make({ id: `s${s}`, parentId: "d", level: "street", name: `街道${s}` }))
          for (let c = 0; c < communities; c++) {
            // the same community name under every street: paths tell them apart
            units.push(
              Unit.make({ id: `s${s}c${c}`, parentId: `s${s}`, level: "community", name: `社区${c}` })
            )
            units.push(
              Unit.make({ id: `s${s}c${c}g`, parentId: `s${s}c${c}`, level: "grid", name: "一网格" })
            )
          }
        }
        const hierarchy = Either.getOrThrow(Hierarchy.make(scheme, units))
        const spec = UnitLedger.spec(scheme)
        const text = yield* Csv.write(spec, units, { units: UnitNames.resolver(hierarchy) })
        const loose = Either.getOrThrow(Csv.readReport(UnitLedger.loose, text)).rows
        const back = Either.getOrThrow(Csv.readReport(spec, text, { units: UnitLedger.resolver(loose) })).rows
        expect(back).toEqual(units)
        const bytes = yield* Xlsx.write(spec, units)
        expect((yield* Xlsx.readReport(spec, bytes, { units: UnitLedger.resolver(loose) })).rows).toEqual(
          units
        )
      })
  )
})

describe("PartyOrganizationLedger 党组织台账", () => {
  it("reads kinds by id, name, part of a name or synonym; writes the Chinese name", () => {
    expect(PartyOrganizationLedger.kindNamed("社区党委")).toBe("community-committee")
    expect(PartyOrganizationLedger.kindNamed("大党委")).toBe("community-committee")
    expect(PartyOrganizationLedger.kindNamed("小区党支部")).toBe("grid-branch")
    expect(PartyOrganizationLedger.kindNamed("Grid-Branch")).toBe("grid-branch")
    expect(PartyOrganizationLedger.kindNamed("区委")).toBe("district-committee")
    expect(PartyOrganizationLedger.kindNamed("党委书记")).toBeUndefined()
    const orgs = [
      PartyOrganization.makeOrg({
        id: "p",
        parentId: null,
        kind: "district-committee",
        name: "青山区委",
        unitId: "qs"
      }),
      PartyOrganization.makeOrg({
        id: "g",
        parentId: "p",
        kind: "grid-branch",
        name: "一支部",
        gridId: "g-1"
      })
    ]
    const text = Either.getOrThrow(Csv.write(PartyOrganizationLedger.spec, orgs))
    expect(text).toContain("小区/网格党支部")
    expect(Either.getOrThrow(Csv.read(PartyOrganizationLedger.spec, text))).toEqual(orgs)
    expect(PartyOrganizationLedger.kindOrderOf(orgs)).toBe(PartyOrganization.DistrictKindOrder)
    expect(PartyOrganizationLedger.kindOrderOf(orgs.slice(1))).toBe(PartyOrganization.KindOrder)
  })
})

describe("DepartmentLedger and GridLedger.withBoundary", () => {
  it.effect.prop(
    "departments export and import back",
    [fc.array(Arbitrary.make(Department.Department), { maxLength: 5 })],
    ([departments]) =>
      Effect.gen(function* () {
        const text = yield* Csv.write(DepartmentLedger.spec, departments)
        expect(Either.getOrThrow(Csv.read(DepartmentLedger.spec, text))).toEqual(departments)
      })
  )

  it.effect("a boundary column takes WKT or a GeoJSON geometry, in an XLSX after an instructions sheet", () =>
    Effect.gen(function* () {
      const workbook = new ExcelJS.Workbook()
      workbook.addWorksheet("填表说明").addRow(["请按表头填写"])
      const sheet = workbook.addWorksheet("网格台账")
      sheet.addRow(["网格编号", "网格名称", "网格类型", "所属社区", "覆盖楼栋", GridLedger.boundaryHeader])
      sheet.addRow([
        "  g-1 ",
        "一网格",
        "基础网格",
        "c-1",
        "b-1，b-2",
        "POLYGON ((114.1 30.1, 114.2 30.1, 114.2 30.2, 114.1 30.1))"
      ])
      sheet.addRow([
        "g-2",
        "二网格",
        "basic",
        "c-1",
        "b-3",
        JSON.stringify({
          type: "Polygon",
          coordinates: [
            [
              [1, 1],
              [2, 1],
              [2, 2],
              [1, 1]
            ]
          ]
        })
      ])
      sheet.addRow(["g-3", "三网格", "基础网格", "c-1", "", ""])
      sheet.addRow(["审核人：李四"])
      const bytes = new Uint8Array(yield* Effect.promise(() => workbook.xlsx.writeBuffer()))
      const report = yield* Xlsx.readReport(GridLedger.withBoundary, bytes)
      expect(report.skipped.map((s) => s.reason)).toEqual(["footer"])
      expect(report.rows.map((g) => [g.id, g.buildingIds, g.boundary?.type])).toEqual([
        ["g-1", ["b-1", "b-2"], "Polygon"],
        ["g-2", ["b-3"], "Polygon"],
        ["g-3", [], undefined]
      ])
      // and back: the boundary as WKT
      const text = yield* Csv.write(GridLedger.withBoundary, report.rows)
      expect(text).toContain("POLYGON ((1 1, 2 1, 2 2, 1 1))")
      expect(Either.getOrThrow(Csv.read(GridLedger.withBoundary, text))).toEqual(report.rows)
    })
  )
})
