/**
 * `civicgrid import|export|template --list post-holders|appraisals` on SQLite
 * (and PostgreSQL when configured): 任职人员台账 loads the people who hold a
 * street's posts and placements (party share by post then reads their party
 * membership); 干部考核台账 loads the cadres' scores by period, written ISO-style
 * or in Chinese. A sheet the core refuses — a person id twice, a cadre
 * appraised twice in one period (`2025-Q3` and `2025年第3季度` are one period),
 * a score outside 0–100, a community the hierarchy does not hold — names its
 * rows and columns and stores nothing; export → import is unchanged; `--within`
 * exports one community's appraisals and the holders of its posts only; for
 * generated sheets, import refuses exactly when `CadreAppraisal.check` reports.
 */
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import * as CadreAppraisal from "@civicgrid/core/CadreAppraisal"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Org from "@civicgrid/core/OrganizationRepository"
import * as Period from "@civicgrid/core/Period"
import * as Post from "@civicgrid/core/Post"
import * as Staffing from "@civicgrid/core/Staffing"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import ExcelJS from "exceljs"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as Organization from "../src/internal/organization.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const run = (args: ReadonlyArray<string>) => TestConsole.runCli(args)

const ok = (args: ReadonlyArray<string>) =>
  Effect.tap(run(args), (r) =>
    Effect.sync(() => expect(Exit.isSuccess(r.exit), `civicgrid ${args.join(" ")}\n${r.err}`).toBe(true))
  )

/** A refused import: the cells it names as `row:column`, and what it printed. */
const refused = (args: ReadonlyArray<string>) =>
  Effect.map(run(args), (r) => {
    expect(Exit.isFailure(r.exit), `civicgrid ${args.join(" ")} should fail\n${r.out}`).toBe(true)
    const error = TestConsole.failureOf(r.exit)
    expect(error).toMatchObject({ _tag: "LedgerImportError" })
    return {
      cells: error?._tag === "LedgerImportError" ? error.rowProblems.map((p) => `${p.row}:${p.column}`) : [],
      err: r.err
    }
  })

/** Runs an effect on the organisation store of a database. */
const onStore = <A, E>(
  url: string,
  effect: Effect.Effect<A, E, Org.OrganizationRepository | HierarchyRepository.HierarchyRepository>
) =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(Option.some(url))
    return yield* effect.pipe(
      Effect.provide(Organization.layerStores),
      Effect.provide(DatabaseOption.layer(database))
    )
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)

const unit = (id: string, parentId: string | undefined, level: string, name: string) =>
  Unit.make({ id, parentId: parentId ?? null, level, name })

/** An XLSX workbook of one sheet, as staff fill it in. */
const xlsx = (file: string, sheet: string, rows: ReadonlyArray<ReadonlyArray<string | number>>) =>
  Effect.promise(async () => {
    const book = new ExcelJS.Workbook()
    const ws = book.addWorksheet(sheet)
    for (const row of rows) ws.addRow([...row])
    await book.xlsx.writeFile(file)
    return file
  })

/**
 * 金星街道 with 金星社区 (its 一号小区/1栋) and 银河社区, migrated; their party
 * committee, residents' committees and posts (a secretary and a legal
 * adviser in each) and a 楼道长 imported as staff keep them.
 */
const street = (dialect: Databases.Dialect, at: (name: string) => string) =>
  Effect.gen(function* () {
    const url = yield* dialect.fresh
    yield* ok(["migrate", "--database", url])
    yield* onStore(
      url,
      Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) =>
        h.save(LevelScheme.FiveLevel, [
          unit("d", undefined, "district", "朝阳区"),
          unit("s", "d", "street", "金星街道"),
          unit("c1", "s", "community", "金星社区"),
          unit("c1cp1", "c1", "compound", "一号小区"),
          unit("c1cp1b1", "c1cp1", "building", "1栋"),
          unit("c2", "s", "community", "银河社区")
        ])
      )
    )
    const file = (name: string, sheet: string, rows: ReadonlyArray<ReadonlyArray<string | number>>) =>
      xlsx(at(name), sheet, rows)
    yield* ok([
      "import",
      yield* file("bodies.xlsx", "组织台账", [
        ["机构编号", "机构类别", "机构名称", "所属单元"],
        ["c1-party", "社区党委", "金星社区党委", "金星社区"],
        ["c1-rc", "居委会", "金星社区居委会", "金星社区"],
        ["c2-party", "社区党委", "银河社区党委", "银河社区"],
        ["c2-rc", "居委会", "银河社区居委会", "银河社区"]
      ]),
      "--list",
      "bodies",
      "--database",
      url
    ])
    yield* ok([
      "import",
      yield* file("posts.xlsx", "岗位台账", [
        ["岗位编号", "所在机构", "岗位", "任职人编号", "任职起始"],
        ["p01", "金星社区党委", "书记", "sec-1", "2024-01-01"],
        ["p02", "金星社区居委会", "法律顾问", "law-1", "2024-01-01"],
        ["p03", "银河社区党委", "书记", "sec-2", "2024-01-01"],
        ["p04", "银河社区居委会", "法律顾问", "law-2", "2024-01-01"]
      ]),
      "--list",
      "posts",
      "--database",
      url
    ])
    yield* ok([
      "import",
      yield* file("staff.xlsx", "楼道力量台账", [
        ["人员编号", "姓名", "角色", "任职层级", "任职对象"],
        ["st-1", "张三", "楼道长", "楼栋", "一号小区/1栋"]
      ]),
      "--list",
      "stairwell-staff",
      "--database",
      url
    ])
    return url
  })

const holderHeader = ["人员编号", "姓名", "是否党员", "党员类别", "联系电话"]
const holderRows = [
  holderHeader,
  ["sec-1", "王书记", "是", "骨干", "13800001111"],
  ["law-1", "李律师", "否", "", "13800002222"],
  ["sec-2", "赵书记", "否", "", ""],
  ["law-2", "钱律师", "否", "", ""],
  ["st-1", "张三", "是", "一般", "13800003333"],
  // someone who holds nothing (yet): stored, but no export of the posts' holders gives them
  ["x-9", "孙某", "否", "", ""]
]

const appraisalHeader = ["社区", "人员编号", "考核周期", "得分", "备注"]

/** What a CSV export wrote, without its BOM. */
const text = (file: string) => Effect.promise(() => readFile(file, "utf8"))

describe.each(Databases.dialects)("任职人员台账 and 干部考核台账 on $name", (dialect) => {
  it.scopedLive(
    "post holders and appraisals load from XLSX, refusals store nothing, export → import is unchanged",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const at = (name: string) => join(dir, name)
        const url = yield* street(dialect, at)

        for (const kind of ["post-holders", "appraisals"])
          yield* ok(["template", kind, "--out", at(`${kind}-template.xlsx`), "--database", url])

        // 任职人员台账: a person id twice and a class on a non-member are the core's, refused by row and column
        const twice = yield* refused([
          "import",
          yield* xlsx(at("bad-holders.xlsx"), "任职人员台账", [
            holderHeader,
            ["sec-1", "王书记", "是", "骨干", ""],
            ["law-1", "李律师", "否", "一般", ""],
            ["sec-1", "王书记", "是", "", ""]
          ]),
          "--list",
          "post-holders",
          "--database",
          url
        ])
        expect(twice.cells).toEqual(["3:D", "4:A"])
        expect(twice.err).toContain("duplicate-person")
        expect(twice.err).toContain("class-without-membership")
        expect(
          yield* onStore(
            url,
            Effect.flatMap(Org.OrganizationRepository, (r) => r.people(["sec-1", "law-1"]))
          )
        ).toEqual([])

        const holders = yield* ok([
          "import",
          yield* xlsx(at("holders.xlsx"), "任职人员台账", holderRows),
          "--list",
          "post-holders",
          "--database",
          url
        ])
        expect(holders.out).toContain("6 new, 0 updated, 0 unchanged")
        // the organisation check of the street follows, as after every organisation import
        expect(holders.out).toContain("组织配置检查")
        // party share by post reads the holders' party membership: one secretary of two is a member
        const metrics = yield* onStore(
          url,
          Effect.gen(function* () {
            const day = WorkingCalendar.dateOf(WorkingCalendar.china(), yield* DateTime.now)
            return yield* Org.metrics("s", { day })
          })
        )
        expect(metrics.partyShareByPost.find((s) => s.kind === Post.kinds.secretary)?.share).toEqual({
          numerator: 1,
          denominator: 2
        })
        // a changed phone is an update, the rest unchanged
        const changed = yield* ok([
          "import",
          yield* xlsx(at("holders2.xlsx"), "任职人员台账", [
            holderHeader,
            ["law-2", "钱律师", "否", "", "13900004444"],
            ["sec-2", "赵书记", "否", "", ""]
          ]),
          "--list",
          "post-holders",
          "--database",
          url
        ])
        expect(changed.out).toContain("0 new, 1 updated, 1 unchanged")

        // 干部考核台账: one cadre twice in one period (ISO-style and Chinese labels alike), a score over 100
        const duplicate = yield* refused([
          "import",
          yield* xlsx(at("bad-appraisals.xlsx"), "干部考核台账", [
            appraisalHeader,
            ["金星社区", "sec-1", "2025-Q3", 85, ""],
            ["金星社区", "law-1", "2025-Q3", 105, ""],
            ["金星社区", "sec-1", "2025年第3季度", 60, "复核"]
          ]),
          "--list",
          "appraisals",
          "--database",
          url
        ])
        expect(duplicate.cells).toEqual(["3:D", "4:C"])
        expect(duplicate.err).toContain("[duplicate]")
        expect(duplicate.err).toContain("[score-range]")
        // a community the hierarchy does not hold: the store's refusal, at its cell
        const unknown = yield* refused([
          "import",
          yield* xlsx(at("unknown-community.xlsx"), "干部考核台账", [
            appraisalHeader,
            ["金星社区", "sec-1", "2025-Q3", 85, ""],
            ["火星社区", "sec-9", "2025-Q3", 70, ""]
          ]),
          "--list",
          "appraisals",
          "--database",
          url
        ])
        expect(unknown.cells).toEqual(["3:A"])
        expect(unknown.err).toContain("火星社区")
        expect(
          yield* onStore(
            url,
            Effect.flatMap(Org.OrganizationRepository, (r) => r.appraisals())
          )
        ).toEqual([])

        const appraisals = yield* ok([
          "import",
          yield* xlsx(at("appraisals.xlsx"), "干部考核台账", [
            appraisalHeader,
            ["金星社区", "sec-1", "2025-Q3", 85, ""],
            ["金星街道/金星社区", "sec-1", "2025年第4季度", 55, "整改中"],
            ["银河社区", "sec-2", "2025年第3季度", 92, ""]
          ]),
          "--list",
          "appraisals",
          "--database",
          url
        ])
        expect(appraisals.out).toContain("3 new, 0 updated, 0 unchanged")
        expect(appraisals.out).toContain("组织配置检查")
        const stored = yield* onStore(
          url,
          Effect.flatMap(Org.OrganizationRepository, (r) => r.appraisals())
        )
        expect(
          stored.map(
            (a) =>
              `${a.unitId}:${a.appraisal.cadreId}:${Period.label(a.appraisal.period)}:${a.appraisal.score}`
          )
        ).toEqual(["c1:sec-1:2025-Q3:85", "c1:sec-1:2025-Q4:55", "c2:sec-2:2025-Q3:92"])
        // a row of a stored cadre and period replaces it
        const rescored = yield* ok([
          "import",
          yield* xlsx(at("rescored.xlsx"), "干部考核台账", [
            appraisalHeader,
            ["金星社区", "sec-1", "2025年第4季度", 75, "已整改"]
          ]),
          "--list",
          "appraisals",
          "--database",
          url
        ])
        expect(rescored.out).toContain("0 new, 1 updated, 0 unchanged")

        // export → import: every row unchanged; the post holders are those of the posts and placements
        for (const [kind, rows] of [
          ["post-holders", 5],
          ["appraisals", 3]
        ] as const) {
          const file = at(`export-${kind}.xlsx`)
          const exported = yield* ok(["export", file, "--list", kind, "--database", url])
          expect(exported.out, kind).toContain(`exported ${rows} `)
          const again = yield* ok(["import", file, "--list", kind, "--database", url])
          expect(again.out, kind).toContain(`0 new, 0 updated, ${rows} unchanged`)
        }
        yield* ok(["export", at("everyone.csv"), "--list", "post-holders", "--database", url])
        const all = yield* text(at("everyone.csv"))
        expect(all).toContain("st-1")
        expect(all).not.toContain("x-9")

        // within 银河社区: its cadre's appraisals and the holders of its posts only
        yield* ok([
          "export",
          at("c2-appraisals.csv"),
          "--list",
          "appraisals",
          "--within",
          "金星街道/银河社区",
          "--database",
          url
        ])
        const c2Appraisals = yield* text(at("c2-appraisals.csv"))
        expect(c2Appraisals).toContain("sec-2")
        expect(c2Appraisals).not.toContain("sec-1")
        const c2 = yield* ok([
          "export",
          at("c2-holders.csv"),
          "--list",
          "post-holders",
          "--within",
          "银河社区",
          "--database",
          url
        ])
        expect(c2.out).toContain("exported 2 ")
        const c2Holders = yield* text(at("c2-holders.csv"))
        expect(c2Holders).toContain("钱律师")
        expect(c2Holders).not.toContain("王书记")
        expect(c2Holders).not.toContain("张三")
      }).pipe(Effect.map(() => undefined)),
    60_000
  )
})

/** A sheet's rows: two cadres, the quarters of 2025 written either way, scores around the 0–100 range. */
const sheets = fc.array(
  fc.record({
    cadre: fc.constantFrom("sec-1", "sec-2"),
    quarter: fc.integer({ min: 1, max: 4 }),
    chinese: fc.boolean(),
    score: fc.integer({ min: -5, max: 105 })
  }),
  { minLength: 1, maxLength: 5 }
)

describe("干部考核台账 — the core decides", () => {
  it.scopedLive.prop(
    "a sheet is refused exactly when CadreAppraisal.check reports a breach; then nothing is stored, else every row",
    [sheets],
    ([rows]) =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const url = yield* Databases.sqlite.fresh
        yield* ok(["migrate", "--database", url])
        yield* onStore(
          url,
          Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) =>
            h.save(LevelScheme.FiveLevel, [
              unit("d", undefined, "district", "朝阳区"),
              unit("s", "d", "street", "金星街道"),
              unit("c1", "s", "community", "金星社区")
            ])
          )
        )
        const labelOf = (r: (typeof rows)[number]) =>
          r.chinese ? `2025年第${r.quarter}季度` : `2025-Q${r.quarter}`
        const file = yield* xlsx(join(dir, "appraisals.xlsx"), "干部考核台账", [
          appraisalHeader,
          ...rows.map((r) => ["金星社区", r.cadre, labelOf(r), r.score, ""])
        ])
        const breaches = CadreAppraisal.check(
          rows.map((r) => ({
            cadreId: Staffing.PersonId.make(r.cadre),
            period: Either.getOrThrow(Period.parse(labelOf(r))),
            score: r.score
          }))
        )
        const result = yield* run(["import", file, "--list", "appraisals", "--database", url])
        const stored = yield* onStore(
          url,
          Effect.flatMap(Org.OrganizationRepository, (r) => r.appraisals())
        )
        expect(Exit.isFailure(result.exit), result.err).toBe(breaches.length > 0)
        expect(stored.length).toBe(breaches.length > 0 ? 0 : rows.length)
      }),
    { timeout: 120_000, fastCheck: { numRuns: 10 } }
  )
})
