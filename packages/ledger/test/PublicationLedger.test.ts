/**
 * 公开台账 — concluded topics' outcomes published from a sheet as staff keep
 * it (categories as staff write them: 财务, 居务公开 …), through the core's use
 * case: importing again appends nothing, a withdrawal added later only
 * withdraws; the core's publication rules (no personal data, a stored and
 * concluded topic, a display ending after publication, a withdrawal's reason)
 * refuse at the row and column they concern and nothing is appended; export
 * reads every topic's publication back; generated valid rows round-trip;
 * rows without a topic are standalone disclosures 单独公开 (财务公开 without a
 * meeting), idempotent on re-import, refused by the same rules.
 */
import type { Actor } from "@civicgrid/core/Actor"
import * as Deliberation from "@civicgrid/core/Deliberation"
import * as DeliberationRepository from "@civicgrid/core/DeliberationRepository"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Meeting from "@civicgrid/core/Meeting"
import * as Proposal from "@civicgrid/core/Proposal"
import * as Publication from "@civicgrid/core/Publication"
import * as Unit from "@civicgrid/core/Unit"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import { Csv, type Ledger, PublicationLedger, Xlsx } from "../src/index.js"

const unit = (id: string, parentId: string | null, level: string, name: string) =>
  Unit.make({ id, parentId, level, name })

const units = [
  unit("d", null, "district", "朝阳区"),
  unit("s", "d", "street", "金星街道"),
  unit("c1", "s", "community", "金星社区"),
  unit("c2", "s", "community", "银河社区")
]

const layer = Layer.provideMerge(DeliberationRepository.layerMemory, HierarchyRepository.layerMemory)

const staff: Actor = { id: "staff-1" as Actor["id"], role: "street-staff", unitId: "s" as Actor["unitId"] }

const start = DateTime.unsafeMake("2024-01-01T00:00:00Z")

/** A street with concluded topics (rejected 不予立项, with a reason), ready to be published. */
const setup = (topics: ReadonlyArray<readonly [id: string, unitId: string]>) =>
  Effect.gen(function* () {
    yield* (yield* HierarchyRepository.HierarchyRepository).save(LevelScheme.FiveLevel, units)
    const config = yield* DeliberationRepository.configWith({
      proposal: Proposal.defaultRule,
      meetingKinds: Meeting.defaultKinds
    })
    for (const [id, unitId] of topics) {
      const topicId = Deliberation.TopicId.make(id)
      yield* DeliberationRepository.handle({
        command: {
          _tag: "Submit",
          topicId,
          actor: staff,
          at: start,
          unitId: Unit.UnitId.make(unitId),
          source: { _tag: "Case", caseId: `case-${id}` },
          title: `议题 ${id}`,
          description: ""
        },
        config
      })
      yield* DeliberationRepository.handle({
        command: { _tag: "Reject", topicId, actor: staff, at: start, reason: "不属于社区事务" },
        config
      })
    }
    return config
  })

const resolver: Ledger.UnitResolver = {
  resolve: (text) => {
    const found = units.find((u) => u.id === text || u.name === text)
    return found === undefined ? { _tag: "NotFound" } : { _tag: "Found", id: found.id }
  },
  label: (id) => units.find((u) => u.id === id)?.name
}

const csvOf = (rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  rows
    .map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(","))
    .join("\r\n")

const read = (rows: ReadonlyArray<ReadonlyArray<string>>) =>
  Either.getOrThrowWith(Csv.readReport(PublicationLedger.spec, csvOf(rows), { units: resolver }), (e) => e)

const allEvents = Effect.gen(function* () {
  const store = yield* DeliberationRepository.DeliberationRepository
  let n = 0
  for (const t of yield* store.topics()) n += (yield* store.events(t.id)).length
  return n
})

const header = [
  "议题编号",
  "公开类别",
  "公开标题",
  "公开内容",
  "发布时间",
  "公示截止",
  "撤回时间",
  "撤回原因"
]

const sheet = [
  header,
  ["T1", "财务", "2024年一季度社区经费收支", "收入 12,000 元，支出 9,500 元。", "2024/4/2 09:00", "", "", ""],
  ["T2", "居务公开", "楼道堆物清理结果", "已清理 12 个楼道。", "2024-04-03 10:00", "2024-05-03 10:00", "", ""]
]

describe("PublicationLedger", () => {
  it.effect(
    "a staff sheet publishes through the use case; again appends nothing; a withdrawal only withdraws",
    () =>
      Effect.gen(function* () {
        const config = yield* setup([
          ["T1", "c1"],
          ["T2", "c2"]
        ])
        const store = yield* DeliberationRepository.DeliberationRepository
        expect(yield* PublicationLedger.importRows(read(sheet), { actor: staff, config })).toEqual({
          created: 0,
          updated: 2,
          unchanged: 0
        })
        const t1 = yield* store.topic("T1")
        expect([t1.status, t1.publication?.category, t1.publication?.scope]).toEqual([
          "published",
          "finance",
          "c1"
        ])
        // 公示截止 left empty: the category's retention (the core's default)
        expect(t1.publication?.retainUntil).toEqual(
          Publication.defaultRetainUntil("finance", DateTime.unsafeMake("2024-04-02T01:00:00Z"))
        )
        const events = yield* allEvents
        expect(yield* PublicationLedger.importRows(read(sheet), { actor: staff, config })).toEqual({
          created: 0,
          updated: 0,
          unchanged: 2
        })
        expect(yield* allEvents).toBe(events)
        const withdrawn = sheet.map((r) =>
          r[0] === "T2" ? [...r.slice(0, 6), "2024-04-10 08:00", "数字有误，更正后重新公开"] : r
        )
        expect(yield* PublicationLedger.importRows(read(withdrawn), { actor: staff, config })).toEqual({
          created: 0,
          updated: 1,
          unchanged: 1
        })
        expect(yield* allEvents).toBe(events + 1)
        const t2 = yield* store.topic("T2")
        expect([t2.status, t2.publication?.withdrawReason]).toEqual(["withdrawn", "数字有误，更正后重新公开"])
        // only visible publications are on the public board
        const board = yield* store.publications({ now: DateTime.unsafeMake("2024-04-20T00:00:00Z") })
        expect(board.map((e) => e.topicId)).toEqual(["T1"])
      }).pipe(Effect.provide(layer))
  )

  it.effect("the core's rules refuse at the row and column they concern; nothing is appended", () =>
    Effect.gen(function* () {
      const config = yield* setup([
        ["T1", "c1"],
        ["T2", "c1"],
        ["T3", "c1"]
      ])
      const events = yield* allEvents
      const rows = [
        header,
        ["T1", "居务", "联系人", "有事请拨 13812345678", "2024-04-02 09:00", "", "", ""],
        ["T9", "居务", "未知议题", "内容", "2024-04-02 09:00", "", "", ""],
        ["T2", "政务", "公示", "内容", "2024-04-02 09:00", "2024-04-01 09:00", "", ""],
        ["T3", "党务", "公示", "内容", "2024-04-02 09:00", "", "2024-04-03 09:00", ""]
      ]
      const refused = yield* Effect.flip(PublicationLedger.importRows(read(rows), { actor: staff, config }))
      expect(refused._tag).toBe("LedgerImportError")
      if (refused._tag !== "LedgerImportError") return
      expect(refused.rowProblems.map((p) => [p.row, p.column, p.header])).toEqual([
        [2, "D", "公开内容"],
        [3, "A", "议题编号"],
        [4, "F", "公示截止"],
        [5, "H", "撤回原因"]
      ])
      expect(refused.rowProblems.map((p) => /\[([a-z-]+)\]/.exec(p.message)?.[1])).toEqual([
        "personal-data",
        "topic-not-found",
        "retention",
        "reason-required"
      ])
      expect(yield* allEvents).toBe(events)
    }).pipe(Effect.provide(layer))
  )

  it("a withdrawal reason without its date is refused by the row schema", () => {
    const refused = Csv.readReport(
      PublicationLedger.spec,
      csvOf([header, ["T1", "居务", "公示", "内容", "2024-04-02 09:00", "", "", "原因"]])
    )
    expect(Either.isLeft(refused) && refused.left.message).toContain("撤回时间")
  })

  const instant = (base: number) =>
    fc.integer({ min: 0, max: 1_000_000 }).map((s) => DateTime.unsafeMake(base + s * 1000))
  const text = fc.constantFrom("公示", "收支，含逗号", "两行\n内容", "=SUM(A1) 不是公式", "一、二、三")
  const genRow = fc.record({
    scope: fc.constantFrom("c1", "c2", "s"),
    category: fc.constantFrom(...Publication.Category.literals),
    title: fc.constantFrom("季度收支", "议定事项落实", "村规民约修订"),
    body: text,
    published: instant(1_710_000_000_000),
    retainDays: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
    withdraw: fc.option(fc.tuple(fc.integer({ min: 0, max: 100_000 }), text), { nil: undefined })
  })

  it.effect.prop(
    "generated valid rows publish through the use case and export back as they were",
    [fc.array(genRow, { minLength: 1, maxLength: 5 })],
    ([generated]) =>
      Effect.gen(function* () {
        const ids = generated.map((g, i) => [`T${i + 1}`, g.scope] as const)
        const config = yield* setup(ids)
        const rows: ReadonlyArray<PublicationLedger.PublicationRow> = generated.map((g, i) => ({
          id: Deliberation.TopicId.make(`T${i + 1}`),
          scope: Unit.UnitId.make(g.scope),
          category: g.category,
          title: g.title,
          body: g.body,
          publishedAt: g.published,
          retainUntil:
            g.retainDays === undefined
              ? Publication.defaultRetainUntil(g.category, g.published)
              : DateTime.add(g.published, { days: g.retainDays }),
          ...(g.withdraw === undefined
            ? {}
            : {
                withdrawnAt: DateTime.add(g.published, { seconds: g.withdraw[0] }),
                withdrawReason: g.withdraw[1]
              })
        }))
        const report = Either.getOrThrowWith(
          Csv.readReport(PublicationLedger.spec, Either.getOrThrow(Csv.write(PublicationLedger.spec, rows))),
          (e) => e
        )
        expect(report.rows).toEqual(rows)
        yield* PublicationLedger.importRows(report, { actor: staff, config })
        const store = yield* DeliberationRepository.DeliberationRepository
        const back = PublicationLedger.fromTopics(yield* store.topics())
        expect(back).toEqual(rows)
        const bytes = yield* Xlsx.write(PublicationLedger.spec, back)
        expect(yield* Xlsx.read(PublicationLedger.spec, bytes)).toEqual(rows)
        const events = yield* allEvents
        expect((yield* PublicationLedger.importRows(report, { actor: staff, config })).unchanged).toBe(
          rows.length
        )
        expect(yield* allEvents).toBe(events)
      }).pipe(Effect.provide(layer)),
    { fastCheck: { numRuns: 25 } }
  )
})

describe("PublicationLedger: standalone disclosures 单独公开", () => {
  const withScope = [
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
  const monthly = [
    withScope,
    [
      "",
      "c1",
      "财务",
      "金星社区2024年4月财务收支",
      "收入 8,000 元，支出 6,200 元。",
      "2024-05-02 09:00",
      "",
      "",
      ""
    ],
    ["", "银河社区", "政务", "银河社区老旧小区改造公告", "工期三个月。", "2024-05-03 09:00", "", "", ""]
  ]

  it.effect(
    "rows without a topic are published as disclosures; again appends nothing; export reads them back",
    () =>
      Effect.gen(function* () {
        const config = yield* setup([])
        const store = yield* DeliberationRepository.DeliberationRepository
        const report = read(monthly)
        expect(yield* PublicationLedger.importRows(report, { actor: staff, config })).toEqual({
          created: 2,
          updated: 0,
          unchanged: 0
        })
        const topics = yield* store.topics()
        expect(
          topics.map((t) => [t.source._tag, t.status, t.unitId, t.publication?.category, t.meeting]).sort()
        ).toEqual(
          [
            ["Disclosure", "published", "c1", "finance", null],
            ["Disclosure", "published", "c2", "government-affairs", null]
          ].sort()
        )
        expect(topics.map((t) => t.id).sort()).toEqual(report.rows.map(PublicationLedger.disclosureId).sort())
        const events = yield* allEvents
        expect(yield* PublicationLedger.importRows(read(monthly), { actor: staff, config })).toEqual({
          created: 0,
          updated: 0,
          unchanged: 2
        })
        expect(yield* allEvents).toBe(events)
        // exported with their topic ids; the exported sheet imports as unchanged
        const back = PublicationLedger.fromTopics(yield* store.topics())
        expect(back.map((r) => r.id).sort()).toEqual(topics.map((t) => t.id).sort())
        const exported = Either.getOrThrowWith(
          Csv.readReport(PublicationLedger.spec, Either.getOrThrow(Csv.write(PublicationLedger.spec, back))),
          (e) => e
        )
        expect((yield* PublicationLedger.importRows(exported, { actor: staff, config })).unchanged).toBe(2)
        // a later withdrawal of a disclosure only withdraws it
        const withdrawn = monthly.map((r, i) =>
          i === 1 ? [...r.slice(0, 7), "2024-05-04 09:00", "数字有误"] : r
        )
        expect(yield* PublicationLedger.importRows(read(withdrawn), { actor: staff, config })).toEqual({
          created: 0,
          updated: 1,
          unchanged: 1
        })
        expect(yield* allEvents).toBe(events + 1)
      }).pipe(Effect.provide(layer))
  )

  it.effect(
    "the core's rules still refuse a disclosure at its row: personal data, outside the jurisdiction",
    () =>
      Effect.gen(function* () {
        const config = yield* setup([])
        const community: Actor = {
          id: "cs-1" as Actor["id"],
          role: "community-staff",
          unitId: "c1" as Actor["unitId"]
        }
        const rows = [
          withScope,
          ["", "c1", "财务", "收支", "报账电话 13812345678", "2024-05-02 09:00", "", "", ""],
          ["", "c2", "财务", "银河社区收支", "收支平衡。", "2024-05-02 09:00", "", "", ""]
        ]
        const refused = yield* Effect.flip(
          PublicationLedger.importRows(read(rows), { actor: community, config })
        )
        expect(refused._tag).toBe("LedgerImportError")
        if (refused._tag !== "LedgerImportError") return
        expect(
          refused.rowProblems.map((p) => [p.row, p.header, /\[([a-z-]+)\]/.exec(p.message)?.[1]])
        ).toEqual([
          [2, "公开内容", "personal-data"],
          [3, "公开范围", "jurisdiction"]
        ])
        expect(yield* allEvents).toBe(0)
      }).pipe(Effect.provide(layer))
  )

  it("a row without a topic needs its 公开范围 (row schema)", () => {
    const refused = Csv.readReport(
      PublicationLedger.spec,
      csvOf([header, ["", "财务", "收支", "内容", "2024-05-02 09:00", "", "", ""]])
    )
    expect(Either.isLeft(refused) && refused.left.message).toContain("公开范围")
  })
})
