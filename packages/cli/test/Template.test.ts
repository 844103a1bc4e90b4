/**
 * `civicgrid template <kind>`: the template of the problem list, filled in
 * with exceljs as staff would (labels picked from the drop-downs, the unit
 * by the name the drop-down offers), imports unchanged with `civicgrid
 * import --list problems` into a seeded database; an unknown kind is refused
 * naming the kinds; an existing file is kept unless --force; every kind's
 * instructions explain exactly its spec's columns.
 */
import { existsSync } from "node:fs"
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import { ListRepository } from "@civicgrid/core/ListRepository"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as ProblemLedger from "@civicgrid/ledger/ProblemLedger"
import * as Template from "@civicgrid/ledger/Template"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import ExcelJS from "exceljs"
import * as TemplateCommand from "../src/commands/Template.js"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as Lists from "../src/internal/lists.js"
import * as Templates from "../src/internal/templates.js"
import * as LedgerFile from "../src/LedgerFile.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const seedArgs = ["--streets", "1", "--communities-per-street", "2", "--cases", "0"]

/** Runs the CLI and fails the test (with its stderr) unless it succeeded. */
const ok = (args: ReadonlyArray<string>) =>
  Effect.tap(TestConsole.runCli(args), (run) =>
    Effect.sync(() => expect(Exit.isSuccess(run.exit), `civicgrid ${args.join(" ")}\n${run.err}`).toBe(true))
  )

const onStore = <A, E>(
  url: string,
  effect: Effect.Effect<A, E, ListRepository | HierarchyRepository.HierarchyRepository>
) =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(Option.some(url))
    return yield* effect.pipe(
      Effect.provide(Lists.layerStores),
      Effect.provide(DatabaseOption.layer(database))
    )
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)

const load = (file: string) =>
  Effect.promise(async () => {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(file)
    return workbook
  })

const sheetOf = (workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet => {
  const sheet = workbook.getWorksheet(name)
  if (sheet === undefined) throw new Error(`no sheet ${name}`)
  return sheet
}

/** The values of the drop-down of a data cell (its range on the lists sheet). */
const dropDown = (workbook: ExcelJS.Workbook, cell: ExcelJS.Cell): ReadonlyArray<string> => {
  const m = /^'(.+)'!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)$/.exec(String(cell.dataValidation?.formulae?.[0]))
  if (m === null) return []
  const [, name = "", column = "", from = "", , to = ""] = m
  const sheet = sheetOf(workbook, name)
  const out: Array<string> = []
  for (let r = Number(from); r <= Number(to); r++) out.push(String(sheet.getCell(`${column}${r}`).value))
  return out
}

for (const dialect of Databases.dialects) {
  describe(`civicgrid template (${dialect.name})`, () => {
    it.scoped(
      "the problems template, filled in with values from its drop-downs, imports unchanged",
      () =>
        Effect.gen(function* () {
          const url = yield* dialect.fresh
          const dir = yield* Databases.tempDir
          yield* ok(["migrate", "--database", url])
          yield* ok(["seed", ...seedArgs, "--database", url])
          const file = join(dir, "问题清单.xlsx")
          const made = yield* ok(["template", "problems", "--out", file, "--database", url])
          expect(made.out).toContain(`civicgrid import 问题清单.xlsx --list problems`)
          expect(made.out).toMatch(/\d+ 个单元名称 unit names offered/)

          const hierarchy = yield* onStore(
            url,
            Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)
          )
          const community = Hierarchy.units(hierarchy).find((u) => u.level === "community")
          if (community === undefined) throw new Error("the seed has no community")

          const workbook = yield* load(file)
          expect(workbook.worksheets.map((w) => w.name).slice(0, 2)).toEqual([
            Template.instructionsSheet,
            ProblemLedger.spec.sheet
          ])
          const data = sheetOf(workbook, ProblemLedger.spec.sheet)
          const headers = Ledger.headers(ProblemLedger.spec)
          expect(headers.map((_, i) => String(data.getCell(1, i + 1).value))).toEqual(headers)
          const col = (header: string) => headers.indexOf(header) + 1
          const units = dropDown(workbook, data.getCell(2, col("所属单元")))
          expect(units).toContain(community.name)
          const categories = dropDown(workbook, data.getCell(2, col("问题类别")))
          const sources = dropDown(workbook, data.getCell(2, col("来源")))
          const statuses = dropDown(workbook, data.getCell(2, col("状态")))
          expect(categories).toContain("物业管理")
          expect(sources).toContain("入户走访")
          expect(statuses).toContain("待解决")

          const rows: ReadonlyArray<Readonly<Record<string, ExcelJS.CellValue>>> = [
            {
              问题编号: "P-TPL-001",
              所属单元: community.name,
              问题类别: "物业管理",
              来源: "入户走访",
              问题描述: "小区电瓶车乱停、飞线充电",
              上报时间: "2024-03-01 09:30",
              所需能力: "电工、消防",
              需求量: 2,
              状态: "待解决"
            },
            {
              问题编号: "P-TPL-002",
              所属单元: community.id,
              问题类别: "物业管理",
              来源: "平台案件",
              "来源编号/说明": "CASE-9",
              问题描述: "楼道堆物",
              // a date as Excel stores a typed 2024-03-02 in a date cell
              上报时间: new Date(Date.UTC(2024, 2, 2)),
              需求量: 1,
              状态: "待解决"
            }
          ]
          rows.forEach((row, r) => {
            for (const [header, value] of Object.entries(row)) data.getCell(r + 2, col(header)).value = value
          })
          yield* Effect.promise(() => workbook.xlsx.writeFile(file))

          const imported = yield* ok(["import", file, "--list", "problems", "--database", url])
          expect(imported.out).toContain("新增 2")
          const stored = yield* onStore(
            url,
            Effect.flatMap(ListRepository, (r) => r.problems())
          )
          const first = stored.find((p) => p.id === "P-TPL-001")
          const second = stored.find((p) => p.id === "P-TPL-002")
          expect(first).toMatchObject({
            unitId: community.id,
            status: "open",
            demand: 2,
            source: { _tag: "HouseholdVisit" },
            description: "小区电瓶车乱停、飞线充电"
          })
          expect([...(first?.tags ?? [])].sort()).toEqual(["消防", "电工"].sort())
          expect(first?.reportedAt.epochMillis).toBe(Date.UTC(2024, 2, 1, 1, 30))
          expect(second).toMatchObject({
            unitId: community.id,
            source: { _tag: "PlatformCase", caseId: "CASE-9" }
          })
          expect(second?.reportedAt.epochMillis).toBe(Date.UTC(2024, 2, 1, 16))
        }),
      { timeout: 120_000 }
    )
  })
}

describe("civicgrid template — base data", () => {
  it.scoped(
    "the units template, then the buildings template offering the units just imported, import unchanged",
    () =>
      Effect.gen(function* () {
        const url = yield* Databases.sqlite.fresh
        const dir = yield* Databases.tempDir
        yield* ok(["migrate", "--database", url])

        const unitsFile = join(dir, "行政单元.xlsx")
        const noUnits = yield* ok(["template", "units", "--out", unitsFile, "--database", url])
        expect(noUnits.out).toContain("0 个单元名称 unit names offered")
        const unitsBook = yield* load(unitsFile)
        const unitsSheet = sheetOf(unitsBook, "行政单元台账")
        const unitHeaders = ["单元编号", "上级单元", "层级", "单元名称", "区划代码"]
        expect(unitHeaders.map((_, i) => String(unitsSheet.getCell(1, i + 1).value))).toEqual(unitHeaders)
        const levels = dropDown(unitsBook, unitsSheet.getCell(2, 3))
        expect(levels).toEqual(expect.arrayContaining(["区", "街道", "社区"]))
        const unitRows = [
          ["qs", "", "区", "青山区", "420107000000"],
          ["qs-a", "青山区", "街道", "红卫路街道", ""],
          ["qs-a-1", "青山区/红卫路街道", "社区", "建设一路社区", ""],
          ["qs-b", "青山区", "街道", "冶金街道", ""],
          ["qs-b-1", "冶金街道", "社区", "建设一路社区", ""]
        ]
        unitRows.forEach((row, r) => {
          row.forEach((value, c) => {
            if (value !== "") unitsSheet.getCell(r + 2, c + 1).value = value
          })
        })
        yield* Effect.promise(() => unitsBook.xlsx.writeFile(unitsFile))
        yield* ok(["import", unitsFile, "--list", "units", "--database", url])

        const buildingsFile = join(dir, "楼栋.xlsx")
        const made = yield* ok(["template", "buildings", "--out", buildingsFile, "--database", url])
        expect(made.out).toContain("5 个单元名称 unit names offered")
        expect(made.out).toContain("civicgrid import 楼栋.xlsx --list buildings")
        const book = yield* load(buildingsFile)
        const sheet = sheetOf(book, "楼栋台账")
        // 建设一路社区 is the name of two communities: the drop-down offers each by the end of its path
        const communities = dropDown(book, sheet.getCell(2, 3))
        expect(communities).toEqual([
          "青山区",
          "红卫路街道",
          "红卫路街道/建设一路社区",
          "冶金街道",
          "冶金街道/建设一路社区"
        ])
        const row = {
          楼栋编号: "b-1",
          楼栋名称: "1栋",
          所属社区: "冶金街道/建设一路社区",
          户数: 120,
          经纬度: "114.385,30.64"
        }
        Object.values(row).forEach((value, c) => {
          sheet.getCell(2, [1, 2, 3, 5, 7][c] ?? 0).value = value
        })
        yield* Effect.promise(() => book.xlsx.writeFile(buildingsFile))
        const imported = yield* ok(["import", buildingsFile, "--list", "buildings", "--database", url])
        expect(imported.out).toMatch(/1/)
        const again = yield* ok(["import", buildingsFile, "--list", "buildings", "--database", url])
        expect(again.out).toContain("未变 1")
        const exported = join(dir, "楼栋导出.csv")
        yield* ok(["export", exported, "--list", "buildings", "--database", url])
        expect(yield* Effect.promise(() => readFile(exported, "utf8"))).toMatch(
          /b-1,1栋,qs-b-1,.*,120,,"?114\.385,30\.64"?/
        )
      }),
    { timeout: 120_000 }
  )
})

describe("civicgrid template", () => {
  it.scoped("an unknown kind is refused naming the kinds; nothing is written", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const file = join(dir, "x.xlsx")
      const run = yield* TestConsole.runCli(["template", "frobnicate", "--out", file])
      expect(Exit.isFailure(run.exit)).toBe(true)
      expect(TestConsole.failureOf(run.exit)).toBeInstanceOf(TemplateCommand.UnknownTemplateKind)
      expect(run.err).toContain("未知的台账模板种类「frobnicate」")
      for (const kind of Templates.kinds) expect(run.err).toContain(kind)
      expect(existsSync(file)).toBe(false)
    })
  )

  it.scoped(
    "without --database no database is touched; an existing file is kept unless --force; .csv is refused",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const file = join(dir, "grids.xlsx")
        const made = yield* ok(["template", "grids", "--out", file])
        expect(made.out).not.toContain("数据库")
        expect(existsSync(DatabaseOption.defaultFile)).toBe(false)
        expect(made.out).toContain("civicgrid import grids.xlsx --list grids")
        yield* Effect.promise(() => writeFile(file, "keep me"))
        const again = yield* TestConsole.runCli(["template", "grids", "--out", file])
        expect(Exit.isFailure(again.exit)).toBe(true)
        expect(again.err).toContain("文件已存在")
        expect(yield* Effect.promise(() => readFile(file, "utf8"))).toBe("keep me")
        yield* ok(["template", "grids", "--out", file, "--force"])
        const workbook = yield* load(file)
        expect(workbook.worksheets[0]?.name).toBe(Template.instructionsSheet)
        const csv = yield* TestConsole.runCli(["template", "grids", "--out", join(dir, "grids.csv")])
        expect(TestConsole.failureOf(csv.exit)).toBeInstanceOf(TemplateCommand.UnsupportedTemplateFile)
      })
  )

  it.effect("every kind's instructions explain exactly its spec's columns", () =>
    Effect.gen(function* () {
      for (const kind of Templates.kinds) {
        const spec = yield* Effect.promise(Templates.entries[kind].spec)
        const headers = spec.columns.map((c) => c.header)
        expect(Object.keys(Templates.entries[kind].columns).sort(), kind).toEqual([...headers].sort())
      }
    })
  )

  it("every kind import --list takes has a template, and every template names its import command", () => {
    expect([...Templates.kinds].sort()).toEqual([...LedgerFile.importKinds].sort())
  })

  it("unit choices: a unique name, else the shortest end of the path that names the unit alone", () => {
    const units = [
      { id: "d", name: "金星区", path: ["金星区"] },
      { id: "s1", name: "金星街道", path: ["金星区", "金星街道"] },
      { id: "s2", name: "火星街道", path: ["金星区", "火星街道"] },
      { id: "c1", name: "第一社区", path: ["金星区", "金星街道", "第一社区"] },
      { id: "c2", name: "第一社区", path: ["金星区", "火星街道", "第一社区"] }
    ]
    const paths = new Map(units.map((u) => [u.id, u.path]))
    const resolve = (text: string): Ledger.UnitResolution => {
      const wanted = text.split("/")
      const found = units.filter((u) => u.id === text || u.path.slice(-wanted.length).join("/") === text)
      const [one] = found
      return one === undefined
        ? { _tag: "NotFound" }
        : found.length === 1
          ? { _tag: "Found", id: one.id }
          : { _tag: "Ambiguous", candidates: found.map((u) => ({ id: u.id, path: u.path.join("/") })) }
    }
    expect(Templates.unitChoices(units, (id) => paths.get(id) ?? [], resolve)).toEqual([
      "金星区",
      "金星街道",
      "火星街道",
      "金星街道/第一社区",
      "火星街道/第一社区"
    ])
  })
})
