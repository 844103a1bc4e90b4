/**
 * `civicgrid import|export|template --list meetings|publications` on SQLite
 * (and PostgreSQL when configured): a street's meeting records 会议记录台账 are
 * loaded from XLSX as staff keep them, through the core's use case, as the
 * operator `--actor`; importing the file again appends nothing; a file the
 * core refuses (quorum not met, an attendee not invited) names its rows and
 * columns and stores nothing; concluded topics' outcomes are published from
 * 公开台账 (财务公开, 居务公开), a later withdrawal only withdraws, personal data
 * is refused at its cell; a monthly 财务公开 without a topic is a standalone
 * disclosure; export writes what import reads back unchanged; without
 * --actor nothing is written.
 */
import { join } from "node:path"
import type { Actor } from "@civicgrid/core/Actor"
import * as Deliberation from "@civicgrid/core/Deliberation"
import * as DeliberationRepository from "@civicgrid/core/DeliberationRepository"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Meeting from "@civicgrid/core/Meeting"
import * as Proposal from "@civicgrid/core/Proposal"
import * as Unit from "@civicgrid/core/Unit"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import ExcelJS from "exceljs"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as DeliberationLedgers from "../src/internal/deliberation.js"
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

/** Runs an effect on the deliberation store of a database. */
const onStore = <A, E>(
  url: string,
  effect: Effect.Effect<
    A,
    E,
    DeliberationRepository.DeliberationRepository | HierarchyRepository.HierarchyRepository
  >
) =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(Option.some(url))
    return yield* effect.pipe(
      Effect.provide(DeliberationLedgers.layerStores),
      Effect.provide(DatabaseOption.layer(database))
    )
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)

const unit = (id: string, parentId: string | undefined, level: string, name: string) =>
  Unit.make({ id, parentId: parentId ?? null, level, name })

/** 金星街道 with 金星社区 and 银河社区, in a migrated database. */
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

const meetingHeader = [
  "议题编号",
  "所属单元",
  "议题",
  "问题编号",
  "案件编号",
  "会议类型",
  "召集机构",
  "会议时间",
  "议程",
  "应到成员",
  "列席人员",
  "实到人员",
  "会议纪要"
]

const meetingRows = [
  ["金星街道议事协商会议记录"],
  meetingHeader,
  [
    "T-01",
    "金星社区",
    "小区电瓶车乱停、飞线充电",
    "P-007",
    "",
    "联席会",
    "金星社区大党委",
    "2024/3/1 14:30",
    "通报情况、研究整治方案",
    "李明（社区党委）、王强（城管中队）、赵敏（派出所）",
    "周红（物业公司）",
    "李明、王强、周红",
    "城管中队牵头两周内清理飞线，物业公司增设充电桩。"
  ],
  [
    "T-02",
    "银河社区",
    "楼道堆物清理",
    "",
    "C-2024-31",
    "居委会会议",
    "银河社区居委会",
    "2024-03-05 09:00",
    "",
    "甲（居委会）、乙（居委会）、丙（居委会）",
    "",
    "甲、乙",
    "分楼栋清理，下周通知。"
  ]
]

const countEvents = (url: string) =>
  onStore(
    url,
    Effect.gen(function* () {
      const store = yield* DeliberationRepository.DeliberationRepository
      let n = 0
      for (const t of yield* store.topics()) n += (yield* store.events(t.id)).length
      return n
    })
  )

/** A topic concluded (rejected 不予立项) through the core's use case, ready to be published. */
const rejected = (url: string, id: string, unitId: string) =>
  onStore(
    url,
    Effect.gen(function* () {
      const config = yield* DeliberationRepository.configWith({
        proposal: Proposal.defaultRule,
        meetingKinds: Meeting.defaultKinds
      })
      const actor: Actor = {
        id: "staff-9" as Actor["id"],
        role: "street-staff",
        unitId: "s" as Actor["unitId"]
      }
      const topicId = Deliberation.TopicId.make(id)
      const at = DateTime.unsafeMake("2024-03-20T00:00:00Z")
      yield* DeliberationRepository.handle({
        command: {
          _tag: "Submit",
          topicId,
          actor,
          at,
          unitId: Unit.UnitId.make(unitId),
          source: { _tag: "Case", caseId: `case-${id}` },
          title: `议题 ${id}`,
          description: ""
        },
        config
      })
      yield* DeliberationRepository.handle({
        command: { _tag: "Reject", topicId, actor, at, reason: "不属于社区事务" },
        config
      })
    })
  )

const publicationHeader = [
  "议题编号",
  "公开类别",
  "公开标题",
  "公开内容",
  "发布时间",
  "公示截止",
  "撤回时间",
  "撤回原因"
]

describe.each(Databases.dialects)("deliberation ledgers on $name", (dialect) => {
  it.scopedLive(
    "meetings load through the core as the operator; again appends nothing; refusals by row; export round trip",
    () =>
      Effect.gen(function* () {
        const url = yield* street(dialect)
        const dir = yield* Databases.tempDir
        const at = (name: string) => join(dir, name)
        const operator = ["--actor", "staff-1", "--role", "street-staff", "--database", url]

        // the template names the columns import reads, and the import line names --actor
        const template = yield* ok([
          "template",
          "meetings",
          "--out",
          at("meetings-template.xlsx"),
          "--database",
          url
        ])
        expect(template.out).toContain("--list meetings --actor")

        const file = yield* xlsx(at("meetings.xlsx"), "会议记录台账", meetingRows)
        // without the operator nothing is written
        const anonymous = yield* failure(["import", file, "--list", "meetings", "--database", url])
        expect(anonymous.error).toMatchObject({ _tag: "DeliberationActorRequired" })
        expect(yield* countEvents(url)).toBe(0)

        const first = yield* ok(["import", file, "--list", "meetings", ...operator])
        expect(first.out).toContain("staff-1")
        const topics = yield* onStore(
          url,
          Effect.flatMap(DeliberationRepository.DeliberationRepository, (s) => s.topics())
        )
        expect(topics.map((t) => [t.id, t.status, t.meeting?.kind, t.source._tag])).toEqual([
          ["T-01", "deliberated", "joint-meeting", "Problem"],
          ["T-02", "deliberated", "committee-meeting", "Case"]
        ])
        expect(topics[0]?.version).toBe(3)
        const events = yield* countEvents(url)
        expect(events).toBe(6)

        // the same file again: nothing appended
        yield* ok(["import", file, "--list", "meetings", ...operator])
        expect(yield* countEvents(url)).toBe(events)

        // the core's rules, at their rows and columns; nothing of the file is stored
        const bad = yield* failure([
          "import",
          yield* xlsx(at("bad-meetings.xlsx"), "会议记录台账", [
            meetingHeader,
            [
              "T-03",
              "金星社区",
              "增设座椅",
              "P-8",
              "",
              "居民议事会",
              "金星社区居委会",
              "2024-04-01 19:00",
              "",
              "甲（居民代表）、乙（居民代表）、丙（居民代表）",
              "",
              "甲",
              "同意"
            ],
            [
              "T-04",
              "金星社区",
              "路灯维修",
              "P-9",
              "",
              "民情恳谈会",
              "金星社区居委会",
              "2024-04-02 19:00",
              "",
              "甲（居民代表）",
              "",
              "甲、丁",
              "同意"
            ],
            [
              "T-05",
              "金星社区",
              "垃圾分类",
              "P-10",
              "",
              "民情恳谈会",
              "金星社区居委会",
              "2024-04-03 19:00",
              "",
              "甲（居民代表）",
              "",
              "甲",
              "同意"
            ]
          ]),
          "--list",
          "meetings",
          ...operator
        ])
        expect(bad.error).toMatchObject({ _tag: "LedgerImportError" })
        expect(
          bad.error?._tag === "LedgerImportError"
            ? bad.error.rowProblems.map((p) => [p.row, p.column, p.header])
            : []
        ).toEqual([
          [2, "L", "实到人员"],
          [3, "L", "实到人员"]
        ])
        expect(bad.err).toContain("quorum-not-met")
        expect(bad.err).toContain("attendee-not-invited")
        expect(yield* countEvents(url)).toBe(events)

        // export → import: unchanged
        const exported = at("exported.xlsx")
        yield* ok(["export", exported, "--list", "meetings", "--database", url])
        yield* ok(["import", exported, "--list", "meetings", ...operator])
        expect(yield* countEvents(url)).toBe(events)
        // within a community: its topics only
        const within = at("within.csv")
        const scoped = yield* ok([
          "export",
          within,
          "--list",
          "meetings",
          "--within",
          "银河社区",
          "--database",
          url
        ])
        expect(scoped.out).toContain("exported 1")
      })
  )

  it.scopedLive("publications of concluded topics; a withdrawal only withdraws; personal data refused", () =>
    Effect.gen(function* () {
      const url = yield* street(dialect)
      const dir = yield* Databases.tempDir
      const at = (name: string) => join(dir, name)
      const operator = ["--actor", "staff-1", "--role", "street-staff", "--database", url]
      yield* rejected(url, "T-11", "c1")
      yield* rejected(url, "T-12", "c2")
      const rows = [
        publicationHeader,
        [
          "T-11",
          "财务",
          "2024年一季度社区经费收支",
          "收入 12,000 元，支出 9,500 元。",
          "2024/4/2 09:00",
          "",
          "",
          ""
        ],
        [
          "T-12",
          "居务公开",
          "楼道堆物清理结果",
          "已清理 12 个楼道。",
          "2024-04-03 10:00",
          "2024-05-03 10:00",
          "",
          ""
        ]
      ]
      const refused = yield* failure([
        "import",
        yield* xlsx(at("bad.xlsx"), "公开台账", [
          publicationHeader,
          ["T-11", "居务", "联系人", "有事请拨 13812345678", "2024-04-02 09:00", "", "", ""]
        ]),
        "--list",
        "publications",
        ...operator
      ])
      expect(
        refused.error?._tag === "LedgerImportError"
          ? refused.error.rowProblems.map((p) => [p.row, p.header])
          : []
      ).toEqual([[2, "公开内容"]])
      expect(refused.err).toContain("personal-data")
      const before = yield* countEvents(url)

      const file = yield* xlsx(at("publications.xlsx"), "公开台账", rows)
      yield* ok(["import", file, "--list", "publications", ...operator])
      expect(yield* countEvents(url)).toBe(before + 2)
      yield* ok(["import", file, "--list", "publications", ...operator])
      expect(yield* countEvents(url)).toBe(before + 2)

      const withdrawn = rows.map((r) =>
        r[0] === "T-12" ? [...r.slice(0, 6), "2024-04-10 08:00", "数字有误"] : r
      )
      yield* ok([
        "import",
        yield* xlsx(at("withdrawn.xlsx"), "公开台账", withdrawn),
        "--list",
        "publications",
        ...operator
      ])
      expect(yield* countEvents(url)).toBe(before + 3)
      const board = yield* onStore(
        url,
        Effect.flatMap(DeliberationRepository.DeliberationRepository, (s) =>
          s.publications({ now: DateTime.unsafeMake("2024-04-20T00:00:00Z") })
        )
      )
      expect(board.map((e) => [e.topicId, e.category])).toEqual([["T-11", "finance"]])

      // export writes every publication (the withdrawn one too), and reads back unchanged
      const exported = at("publications-exported.csv")
      const written = yield* ok(["export", exported, "--list", "publications", "--database", url])
      expect(written.out).toContain("exported 2")
      yield* ok(["import", exported, "--list", "publications", ...operator])
      expect(yield* countEvents(url)).toBe(before + 3)
    })
  )

  it.scopedLive(
    "standalone disclosures: a monthly 财务公开 without a topic; again appends nothing; export round trip",
    () =>
      Effect.gen(function* () {
        const url = yield* street(dialect)
        const dir = yield* Databases.tempDir
        const at = (name: string) => join(dir, name)
        const operator = ["--actor", "staff-1", "--role", "street-staff", "--database", url]
        const header = [
          "议题编号",
          "公开范围",
          "公开类别",
          "公开标题",
          "公开内容",
          "发布时间",
          "公示截止",
          "撤回时间",
          "撤回原因"
        ]
        const file = yield* xlsx(at("monthly.xlsx"), "公开台账", [
          header,
          [
            "",
            "金星社区",
            "财务",
            "金星社区2024年4月财务收支",
            "收入 8,000 元，支出 6,200 元。",
            "2024-05-02 09:00",
            "",
            "",
            ""
          ],
          [
            "",
            "银河社区",
            "财务",
            "银河社区2024年4月财务收支",
            "收入 5,000 元，支出 4,100 元。",
            "2024-05-02 09:00",
            "",
            "",
            ""
          ]
        ])
        const first = yield* ok(["import", file, "--list", "publications", ...operator])
        expect(first.out).toContain("staff-1")
        expect(yield* countEvents(url)).toBe(4)
        const topics = yield* onStore(
          url,
          Effect.flatMap(DeliberationRepository.DeliberationRepository, (s) => s.topics())
        )
        expect(topics.map((t) => [t.source._tag, t.status, t.unitId]).sort()).toEqual(
          [
            ["Disclosure", "published", "c1"],
            ["Disclosure", "published", "c2"]
          ].sort()
        )
        yield* ok(["import", file, "--list", "publications", ...operator])
        expect(yield* countEvents(url)).toBe(4)
        const exported = at("monthly-exported.csv")
        expect((yield* ok(["export", exported, "--list", "publications", "--database", url])).out).toContain(
          "exported 2"
        )
        yield* ok(["import", exported, "--list", "publications", ...operator])
        expect(yield* countEvents(url)).toBe(4)
      })
  )
})
