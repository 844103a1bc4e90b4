/**
 * `civicgrid import` of a workbook the way community staff keep it (issue 15):
 * an instructions sheet first, a title row, cells padded with spaces and
 * U+3000, full-width digits and dates, tags separated by ， and ；, the unit
 * by its path, a blank row and a 填表人/审核人 footer, no 关联案件 column —
 * imported as it is, the skipped rows listed; `--sheet` picks another sheet;
 * the same file again is reported unchanged; a task ledger imported as
 * problems is one error naming the kind.
 */
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import { ListRepository } from "@civicgrid/core/ListRepository"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as TaskLedger from "@civicgrid/ledger/TaskLedger"
import * as UnitNames from "@civicgrid/ledger/UnitNames"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import ExcelJS from "exceljs"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as Lists from "../src/internal/lists.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

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

const workbook = async (
  file: string,
  sheets: ReadonlyArray<{ readonly name: string; readonly rows: ReadonlyArray<ReadonlyArray<string>> }>
): Promise<void> => {
  const wb = new ExcelJS.Workbook()
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name)
    for (const row of sheet.rows) ws.addRow([...row])
  }
  await writeFile(file, new Uint8Array(await wb.xlsx.writeBuffer()))
}

const header = [
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

describe("civicgrid import: staff sheets as they are kept", () => {
  it.scoped(
    "a padded, full-width, footed sheet after an instructions sheet imports; --sheet picks a sheet; again is unchanged",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const url = yield* Databases.sqlite.fresh
        yield* ok([
          "seed",
          "--streets",
          "1",
          "--communities-per-street",
          "2",
          "--cases",
          "0",
          "--database",
          url
        ])
        const hierarchy = yield* onStore(
          url,
          Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)
        )
        const community = Hierarchy.units(hierarchy).find((u) => u.level === "community")
        expect(community).toBeDefined()
        const id = community?.id ?? ""
        // the community's street and name, as staff write it: 某街道/某社区
        const path = (UnitNames.pathOf(hierarchy, id) ?? "").split("/").slice(-2).join("/")
        const file = join(dir, "问题清单.xlsx")
        yield* Effect.promise(() =>
          workbook(file, [
            { name: "填表说明", rows: [["填表说明"], ["所属单元填写街道/社区"]] },
            {
              name: "3月",
              rows: [
                ["问题清单台账（2025年3月）"],
                header,
                [
                  "staff-P-001 ",
                  `${path}　`,
                  " 物业管理",
                  "入户走访",
                  "　楼道堆放杂物 ",
                  "２０２５－０３－０１ ０９：３０",
                  "维修，助老；保洁",
                  "２",
                  "待解决 "
                ],
                ["  ", "　"],
                ["staff-P-002", id, "环境整治", "其他", "绿化带缺损", "2025/3/2", "", "1", "待解决"],
                ["填表人：张三", "", "", "审核人：李四", "", "", "填报日期：2025年3月5日"]
              ]
            },
            {
              name: "2月",
              rows: [
                header,
                ["staff-P-000", id, "环境整治", "其他", "旧问题", "2025-02-01", "", "1", "待解决"]
              ]
            }
          ])
        )
        const first = yield* ok(["import", file, "--list", "problems", "--database", url])
        expect(first.out).toContain(
          "已跳过 2 行 skipped 2 row(s): 第 4 行 空行 (blank); 第 6 行 表尾 (footer)「填表人"
        )
        expect(first.out).toContain("2 new, 0 updated, 0 unchanged")
        const stored = yield* onStore(
          url,
          Effect.flatMap(ListRepository, (r) => r.problems())
        )
        const p1 = stored.find((p) => p.id === "staff-P-001")
        expect(p1?.unitId).toBe(id)
        expect(p1?.demand).toBe(2)
        expect([...(p1?.tags ?? [])].sort()).toEqual(["保洁", "助老", "维修"].sort())

        const again = yield* ok(["import", file, "--list", "problems", "--database", url])
        expect(again.out).toContain("0 new, 0 updated, 2 unchanged")

        const february = yield* ok([
          "import",
          file,
          "--list",
          "problems",
          "--sheet",
          "2月",
          "--database",
          url
        ])
        expect(february.out).toContain("imported 1 ")
        const third = yield* ok(["import", file, "--list", "problems", "--sheet", "2", "--database", url])
        expect(third.out).toContain("0 new, 0 updated, 2 unchanged")
        const missing = yield* TestConsole.runCli([
          "import",
          file,
          "--list",
          "problems",
          "--sheet",
          "4月",
          "--database",
          url
        ])
        expect(Exit.isFailure(missing.exit)).toBe(true)
        expect(missing.err).toContain("找不到工作表")
        expect(missing.err).toContain("「4月」")
      }),
    60_000
  )

  it.scoped("a task ledger imported as problems is one error naming the kind it looks like", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const url = yield* Databases.sqlite.fresh
      yield* ok([
        "seed",
        "--streets",
        "1",
        "--communities-per-street",
        "1",
        "--cases",
        "0",
        "--database",
        url
      ])
      const file = join(dir, "tasks.csv")
      const rows = [
        Ledger.headers(TaskLedger.spec).join(","),
        ...Array.from(
          { length: 30 },
          (_, i) => `T-${i},P-${i},清理楼道,,,属地单元,c-1,2025-03-10 18:00,否,,,,,待办,,,,,`
        )
      ]
      yield* Effect.promise(() => writeFile(file, rows.join("\r\n")))
      const run = yield* TestConsole.runCli(["import", file, "--list", "problems", "--database", url])
      const error = TestConsole.failureOf(run.exit)
      expect(error).toBeInstanceOf(Ledger.LedgerImportError)
      const lines = run.err.trim().split("\n")
      expect(lines).toHaveLength(2)
      expect(lines[1]).toContain("此表看起来是「任务清单台账」，不是「问题清单台账」")
      expect(lines[1]).toContain("rule wrong-ledger")
    })
  )
})
