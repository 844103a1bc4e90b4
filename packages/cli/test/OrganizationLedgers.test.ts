/**
 * `civicgrid import|export|template --list bodies|posts|memberships|compounds|populations`
 * on SQLite (and PostgreSQL when configured): a street's 大党委 (第一书记 from the
 * street leadership, the community secretary as 书记, 兼职委员 from 公安, 城管 and
 * 市场监管), its posts and party members are loaded from XLSX ledgers as staff
 * keep them (units, kinds and bodies by name); the organisation check through
 * the port (what `GET /staffing/check` answers) then shows the violations
 * expected at each step and none at the end; the mediators-by-population rule
 * reads the populations of 社区人口台账 at the 3,000 boundary; 楼道力量台账
 * places staff where the role table lets them serve; a file the
 * core's record rules refuse names its rows and stores nothing; export →
 * import is unchanged.
 */
import { join } from "node:path"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Org from "@civicgrid/core/OrganizationRepository"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
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

const failure = (args: ReadonlyArray<string>) =>
  Effect.map(run(args), (r) => {
    expect(Exit.isFailure(r.exit), `civicgrid ${args.join(" ")} should fail\n${r.out}`).toBe(true)
    return { error: TestConsole.failureOf(r.exit), err: r.err }
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

/** 金星街道 with 金星社区 (and its 一号小区) and 银河社区, in a migrated database. */
const street = (dialect: Databases.Dialect) =>
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
    return url
  })

/** An XLSX workbook of one sheet, as staff fill it in. */
const xlsx = (file: string, sheet: string, rows: ReadonlyArray<ReadonlyArray<string | number>>) =>
  Effect.promise(async () => {
    const book = new ExcelJS.Workbook()
    const ws = book.addWorksheet(sheet)
    for (const row of rows) ws.addRow([...row])
    await book.xlsx.writeFile(file)
    return file
  })

const bodyRows = [
  ["机构编号", "机构类别", "机构名称", "所属单元", "职能条线"],
  ["lead", "街道班子", "金星街道领导班子", "金星街道", ""],
  ["police", "职能部门", "金星派出所", "金星街道", "公安"],
  ["cg", "职能部门", "金星城管中队", "金星街道", "城管"],
  ["sc", "职能部门", "金星市场监管所", "金星街道", "市场监管"],
  ["c1-party", "社区党委", "金星社区党委", "金星社区", ""],
  ["c1-big", "大党委", "金星社区大党委", "金星街道/金星社区", ""],
  ["c1-rc", "居委会", "金星社区居委会", "金星社区", ""],
  ["c1-med", "调委会", "金星社区调委会", "金星社区", ""],
  ["c2-rc", "居委会", "银河社区居委会", "银河社区", ""],
  ["c2-med", "调委会", "银河社区调委会", "银河社区", ""],
  ["cp1-oc", "业委会", "一号小区业委会", "一号小区", ""]
]

const postHeader = ["岗位编号", "所在机构", "岗位", "任职人编号", "任职起始", "派出单位"]
const postRows = [
  postHeader,
  ["p01", "金星社区大党委", "第一书记", "lead-1", "2024-01-01", "金星街道领导班子"],
  ["p02", "金星社区党委", "书记", "sec-1", "2024-01-01", ""],
  ["p03", "金星社区大党委", "书记", "sec-1", "2024-01-01", ""],
  ["p04", "金星社区大党委", "兼职委员", "pol-1", "2024-01-01", "金星派出所"],
  ["p05", "金星社区大党委", "兼职委员", "cg-1", "2024-01-01", "金星城管中队"],
  ["p06", "金星社区居委会", "法律顾问", "law-1", "2024-01-01", ""],
  ["p07", "银河社区居委会", "法律顾问", "law-2", "2024-01-01", ""],
  ...[1, 2, 3].map((n) => [`m1-${n}`, "金星社区调委会", "调解员", `med1-${n}`, "2024-01-01", ""]),
  ...[1, 2, 3].map((n) => [`m2-${n}`, "银河社区调委会", "调解员", `med2-${n}`, "2024-01-01", ""])
]

/** The organisation check of the street today, as `rule/problem@unit` (what `GET /staffing/check` lists). */
const checked = (url: string) =>
  onStore(
    url,
    Effect.gen(function* () {
      const day = WorkingCalendar.dateOf(WorkingCalendar.china(), yield* DateTime.now)
      const report = yield* Org.check("s", { day })
      return {
        organization: report.organization.map((v) => `${v.rule}/${v.problem}@${v.unitId ?? ""}`).sort(),
        memberships: report.memberships.map((v) => v.rule)
      }
    })
  )

describe.each(Databases.dialects)("organisation ledgers on $name", (dialect) => {
  it.scopedLive(
    "a street's 大党委, posts, members and populations load from XLSX; the check shows what is missing, then nothing",
    () =>
      Effect.gen(function* () {
        const url = yield* street(dialect)
        const dir = yield* Databases.tempDir
        const at = (name: string) => join(dir, name)

        // templates for every kind, headers as import reads them
        for (const kind of ["bodies", "posts", "memberships", "compounds", "populations"])
          yield* ok(["template", kind, "--out", at(`${kind}-template.xlsx`), "--database", url])

        yield* ok([
          "import",
          yield* xlsx(at("bodies.xlsx"), "组织台账", bodyRows),
          "--list",
          "bodies",
          "--database",
          url
        ])
        expect(
          (yield* onStore(
            url,
            Effect.flatMap(Org.OrganizationRepository, (r) => r.bodies())
          )).length
        ).toBe(11)

        // a posts file the record rules refuse: an unknown body, a reversed term — rows named, nothing stored
        const bad = yield* failure([
          "import",
          yield* xlsx(at("bad-posts.xlsx"), "岗位台账", [
            [...postHeader, "任职终止"],
            ["x1", "金星社区调委会", "调解员", "med1-9", "2024-01-01", "", ""],
            ["x2", "不存在的机构", "调解员", "med1-8", "2024-01-01", "", ""],
            ["x3", "金星社区调委会", "调解员", "med1-7", "2024-03-01", "", "2024-02-01"]
          ]),
          "--list",
          "posts",
          "--database",
          url
        ])
        expect(bad.error).toMatchObject({ _tag: "LedgerImportError" })
        expect(
          bad.error?._tag === "LedgerImportError" ? bad.error.rowProblems.map((p) => p.row) : []
        ).toEqual([3, 4])
        expect(bad.err).toContain("integrity/unknown-body")
        expect(bad.err).toContain("integrity/term-reversed")
        expect(
          (yield* onStore(
            url,
            Effect.flatMap(Org.OrganizationRepository, (r) => r.posts())
          )).length
        ).toBe(0)

        const imported = yield* ok([
          "import",
          yield* xlsx(at("posts.xlsx"), "岗位台账", postRows),
          "--list",
          "posts",
          "--database",
          url
        ])
        // the import prints the organisation check: 市场监管 missing, no populations yet
        expect(imported.out).toContain("big-party-committee")
        expect(yield* checked(url)).toEqual({
          organization: [
            "mediators-by-population/population-unknown@c1",
            "mediators-by-population/population-unknown@c2",
            "big-party-committee/sector-missing@c1"
          ].sort(),
          memberships: []
        })

        // 社区人口台账: a street is not a community; nothing stored
        const notCommunity = yield* failure([
          "import",
          yield* xlsx(at("bad-populations.xlsx"), "社区人口台账", [
            ["社区", "常住人口"],
            ["金星社区", 3001],
            ["金星街道", 20000]
          ]),
          "--list",
          "populations",
          "--database",
          url
        ])
        expect(notCommunity.err).toContain("not-community")
        expect(
          yield* onStore(
            url,
            Effect.flatMap(Org.OrganizationRepository, (r) => r.populations())
          )
        ).toEqual([])
        // above 3,000 three mediators are too few; at 3,000 three suffice
        yield* ok([
          "import",
          yield* xlsx(at("populations.xlsx"), "社区人口台账", [
            ["社区", "常住人口", "统计日期"],
            ["金星社区", 3001, "2024年1月1日"],
            ["金星街道/银河社区", 3000, "2024-01-01"]
          ]),
          "--list",
          "populations",
          "--database",
          url
        ])
        expect(yield* checked(url)).toEqual({
          organization: ["big-party-committee/sector-missing@c1", "mediators-by-population/too-few@c1"],
          memberships: []
        })

        // 市场监管 joins the 大党委, two more mediators in 金星社区; one of 银河社区's three leaves
        const more = [
          postHeader,
          ["p08", "金星社区大党委", "兼职委员", "sc-1", "2024-01-01", "金星市场监管所"],
          ["m1-4", "金星社区调委会", "调解员", "med1-4", "2024-01-01", ""],
          ["m1-5", "金星社区调委会", "人民调解员", "med1-5", "2024-01-01", ""]
        ]
        yield* ok([
          "import",
          yield* xlsx(at("more.xlsx"), "岗位台账", more),
          "--list",
          "posts",
          "--database",
          url
        ])
        yield* ok([
          "import",
          yield* xlsx(at("leave.xlsx"), "岗位台账", [
            [...postHeader, "任职终止"],
            ["m2-3", "银河社区调委会", "调解员", "med2-3", "2024-01-01", "", "2024-06-30"]
          ]),
          "--list",
          "posts",
          "--database",
          url
        ])
        expect(yield* checked(url)).toEqual({
          organization: ["mediators-by-population/too-few@c2"],
          memberships: []
        })
        yield* ok([
          "import",
          yield* xlsx(at("join.xlsx"), "岗位台账", [
            postHeader,
            ["m2-4", "银河社区调委会", "调解员", "med2-4", "2024-07-01", ""]
          ]),
          "--list",
          "posts",
          "--database",
          url
        ])

        // 党员双报到台账: two organisational relations at once are refused at both rows
        const twice = yield* failure([
          "import",
          yield* xlsx(at("bad-members.xlsx"), "党员双报到台账", [
            ["党员编号", "所在党组织", "关系类别", "原单位党组织", "起始日期"],
            ["pm-1", "金星社区党委", "组织关系", "", "2024-01-01"],
            ["pm-1", "金星社区大党委", "组织关系", "", "2024-02-01"]
          ]),
          "--list",
          "memberships",
          "--database",
          url
        ])
        expect(
          twice.error?._tag === "LedgerImportError" ? twice.error.rowProblems.map((p) => p.row) : []
        ).toEqual([2, 3])
        yield* ok([
          "import",
          yield* xlsx(at("members.xlsx"), "党员双报到台账", [
            ["党员编号", "所在党组织", "关系类别", "原单位党组织", "起始日期"],
            ["sec-1", "金星社区党委", "组织关系", "", "2024-01-01"],
            ["pol-1", "金星社区党委", "报到", "金星派出所", "2024-01-01"]
          ]),
          "--list",
          "memberships",
          "--database",
          url
        ])

        // 小区管理台账: a residents' committee does not run a property company's business
        const wrongKind = yield* failure([
          "import",
          yield* xlsx(at("bad-compounds.xlsx"), "小区管理台账", [
            ["小区", "所属社区", "小区名称", "管理方式", "管理机构"],
            ["一号小区", "金星社区", "一号小区", "专业物业", "金星社区居委会"]
          ]),
          "--list",
          "compounds",
          "--database",
          url
        ])
        expect(wrongKind.err).toContain("manager-wrong-kind")
        yield* ok([
          "import",
          yield* xlsx(at("compounds.xlsx"), "小区管理台账", [
            ["小区", "所属社区", "小区名称", "户数", "管理方式", "管理机构"],
            ["一号小区", "金星社区", "一号小区", 320, "自管", "一号小区业委会"]
          ]),
          "--list",
          "compounds",
          "--database",
          url
        ])

        // 楼道力量台账: where a role serves is the role table's; the target must exist
        const header = ["人员编号", "姓名", "角色", "任职层级", "任职对象", "任职起始"]
        const misplaced = yield* failure([
          "import",
          yield* xlsx(at("bad-staff.xlsx"), "楼道力量台账", [
            header,
            ["st-1", "张三", "楼道长", "楼栋", "一号小区/1栋", "2024-01-01"],
            ["st-2", "", "楼道长", "社区", "金星社区", ""],
            ["st-3", "", "十户长", "微网格", "mg-9", ""]
          ]),
          "--list",
          "stairwell-staff",
          "--database",
          url
        ])
        expect(
          misplaced.error?._tag === "LedgerImportError" ? misplaced.error.rowProblems.map((p) => p.row) : []
        ).toEqual([3])
        expect(misplaced.err).toContain("placement-refused")
        const unknownTarget = yield* failure([
          "import",
          yield* xlsx(at("bad-staff2.xlsx"), "楼道力量台账", [
            header,
            ["st-3", "", "十户长", "微网格", "mg-9", ""]
          ]),
          "--list",
          "stairwell-staff",
          "--database",
          url
        ])
        expect(unknownTarget.err).toContain("target-unknown")
        yield* ok([
          "import",
          yield* xlsx(at("staff.xlsx"), "楼道力量台账", [
            header,
            ["st-1", "张三", "楼道长", "楼栋", "一号小区/1栋", "2024-01-01"],
            ["inf-1", "", "信息员", "社区", "金星社区", ""]
          ]),
          "--list",
          "stairwell-staff",
          "--database",
          url
        ])
        expect(
          (yield* onStore(
            url,
            Effect.flatMap(Org.OrganizationRepository, (r) => r.placements({ within: "c1" }))
          )).map((p) => `${p.role}@${p.targetId}`)
        ).toEqual(["informant@c1", "stairwell-leader@c1cp1b1"])

        // the street is loaded: nothing left to report
        expect(yield* checked(url)).toEqual({ organization: [], memberships: [] })

        // export → import: every row unchanged
        for (const [kind, rows] of [
          ["bodies", 11],
          ["posts", 17],
          ["memberships", 2],
          ["compounds", 1],
          ["populations", 2],
          ["stairwell-staff", 2]
        ] as const) {
          const file = at(`export-${kind}.xlsx`)
          yield* ok(["export", file, "--list", kind, "--database", url])
          const again = yield* ok(["import", file, "--list", kind, "--database", url])
          expect(again.out, kind).toContain(`0 new, 0 updated, ${rows} unchanged`)
        }
        expect(yield* checked(url)).toEqual({ organization: [], memberships: [] })
        // within a community: its own bodies only
        const within = at("within.csv")
        const c2 = yield* ok([
          "export",
          within,
          "--list",
          "bodies",
          "--within",
          "金星街道/银河社区",
          "--database",
          url
        ])
        expect(c2.out).toContain("exported 2 ")
      }).pipe(Effect.map(() => undefined)),
    60_000
  )
})
