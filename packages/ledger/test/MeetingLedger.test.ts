/**
 * 会议记录台账 — a street's meeting records, kept the way staff keep them (a
 * title row, kinds as staff write them, 姓名（单位）, dates typed by hand), load
 * through the core's use case (`DeliberationRepository.handle`): the topics are
 * deliberated with their meetings; importing the same sheet again appends no
 * event; the core's meeting rules (kind configured, attendees invited, quorum,
 * minutes, a topic deliberated once) refuse at the row and column they concern
 * and nothing is appended; export reads the stored topics back to the same
 * columns; generated valid rows round-trip through the store.
 */
import type { Actor } from "@civicgrid/core/Actor"
import * as Deliberation from "@civicgrid/core/Deliberation"
import * as DeliberationRepository from "@civicgrid/core/DeliberationRepository"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Meeting from "@civicgrid/core/Meeting"
import { ProblemId } from "@civicgrid/core/ProblemList"
import * as Proposal from "@civicgrid/core/Proposal"
import * as Unit from "@civicgrid/core/Unit"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import { Csv, type Ledger, MeetingLedger, Xlsx } from "../src/index.js"

// -----------------------------------------------------------------------------
// a street
// -----------------------------------------------------------------------------

const unit = (id: string, parentId: string | null, level: string, name: string) =>
  Unit.make({ id, parentId, level, name })

const units = [
  unit("d", null, "district", "朝阳区"),
  unit("s", "d", "street", "金星街道"),
  unit("c1", "s", "community", "金星社区"),
  unit("c2", "s", "community", "银河社区")
]

const layer = Layer.provideMerge(DeliberationRepository.layerMemory, HierarchyRepository.layerMemory)

/** A fresh store holding the street, and the decider's configuration over it. */
const setup = Effect.gen(function* () {
  yield* (yield* HierarchyRepository.HierarchyRepository).save(LevelScheme.FiveLevel, units)
  return yield* DeliberationRepository.configWith({
    proposal: Proposal.defaultRule,
    meetingKinds: Meeting.defaultKinds
  })
})

const actor = (unitId = "s"): Actor => ({
  id: "staff-1" as Actor["id"],
  role: "street-staff",
  unitId: unitId as Actor["unitId"]
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
  Either.getOrThrowWith(Csv.readReport(MeetingLedger.spec, csvOf(rows), { units: resolver }), (e) => e)

const allEvents = Effect.gen(function* () {
  const store = yield* DeliberationRepository.DeliberationRepository
  const topics = yield* store.topics()
  let n = 0
  for (const t of topics) n += (yield* store.events(t.id)).length
  return n
})

const header = [
  "议题编号",
  "所属单元",
  "议题",
  "问题编号",
  "会议类型",
  "召集机构",
  "会议时间",
  "议程",
  "应到成员",
  "列席人员",
  "实到人员",
  "会议纪要"
]

/** The community experience report's 大党委联席会 and a 民情恳谈会, as staff keep the record. */
const sheet = [
  ["金星街道议事协商会议记录（2024年）"],
  header,
  [
    "T-2024-01",
    "金星社区",
    "小区电瓶车乱停、飞线充电",
    "P-2024-007",
    "联席会",
    "金星社区大党委",
    "2024/3/1 14:30",
    "通报情况、研究整治方案",
    "李明（社区党委）、王强（城管中队）、赵敏（派出所）",
    "周红（物业公司）",
    "李明、王强、周红",
    "会议议定：城管中队牵头两周内清理飞线，物业公司增设充电桩。"
  ],
  [
    "T-2024-02",
    "银河社区",
    "楼道堆物清理",
    "P-2024-012",
    "民情恳谈会",
    "银河社区居委会",
    "2024-03-05 09:00",
    "听取居民意见",
    "",
    "居民代表甲（3号楼）、居民代表乙(5号楼)",
    "居民代表甲",
    "居民同意分楼栋清理，居委会下周通知。"
  ],
  ["填表人：张三", "审核人：李四"]
]

// -----------------------------------------------------------------------------
// tests
// -----------------------------------------------------------------------------

describe("MeetingLedger", () => {
  it.effect("a staff sheet loads through the use case; importing it again appends nothing", () =>
    Effect.gen(function* () {
      const config = yield* setup
      const report = read(sheet)
      expect(report.skipped.map((s) => s.reason)).toEqual(["footer"])
      const first = yield* MeetingLedger.importRows(report, { actor: actor(), config })
      expect(first).toEqual({ created: 2, updated: 0, unchanged: 0 })
      const store = yield* DeliberationRepository.DeliberationRepository
      const t1 = yield* store.topic("T-2024-01")
      expect(t1.status).toBe("deliberated")
      expect(t1.source).toEqual({ _tag: "Problem", problemId: "P-2024-007" })
      expect(t1.meeting?.kind).toBe("joint-meeting")
      expect(Meeting.memberAttendance(t1.meeting as Meeting.Meeting)).toEqual({ present: 2, members: 3 })
      expect(DateTime.formatIso(t1.heldAt as DateTime.Utc)).toBe("2024-03-01T06:30:00.000Z")
      const t2 = yield* store.topic("T-2024-02")
      expect(t2.meeting?.invitees.map((i) => [i.label, i.affiliation, i.member])).toEqual([
        ["居民代表甲", "3号楼", false],
        ["居民代表乙", "5号楼", false]
      ])
      const before = yield* allEvents
      expect(before).toBe(6)
      const again = yield* MeetingLedger.importRows(read(sheet), { actor: actor(), config })
      expect(again).toEqual({ created: 0, updated: 0, unchanged: 2 })
      expect(yield* allEvents).toBe(before)
    }).pipe(Effect.provide(layer))
  )

  it.effect("the core's rules refuse at the row and column they concern; nothing is appended", () =>
    Effect.gen(function* () {
      const config = yield* setup
      const row = (id: string, kind: string, members: string, present: string, minutes = "纪要") => [
        id,
        "金星社区",
        "议题",
        "P-1",
        kind,
        "金星社区居委会",
        "2024-03-01 14:30",
        "",
        members,
        "",
        present,
        minutes
      ]
      const rows = [
        header,
        row("ok", "居委会会议", "甲（居委会）、乙（居委会）", "甲、乙"),
        row("kind", "年度总结会", "甲（居委会）", "甲"),
        row("guest", "民情恳谈会", "甲（居委会）", "甲、丙"),
        row("quorum", "居民议事会", "甲（居委会）、乙（居委会）、丙（居委会）", "甲"),
        row("twice", "民情恳谈会", "甲（居委会）、甲（居委会）", "甲")
      ]
      const refused = yield* Effect.flip(MeetingLedger.importRows(read(rows), { actor: actor(), config }))
      expect(refused._tag).toBe("LedgerImportError")
      if (refused._tag !== "LedgerImportError") return
      expect(refused.rowProblems.map((p) => [p.row, p.column, p.header])).toEqual([
        [3, "E", "会议类型"],
        [4, "K", "实到人员"],
        [5, "K", "实到人员"],
        [6, "I", "应到成员"]
      ])
      expect(refused.rowProblems[0]?.message).toContain("unknown-kind")
      // the cell as the file has it
      expect(refused.rowProblems.map((p) => p.value)).toEqual([
        "年度总结会",
        "甲、丙",
        "甲",
        "甲（居委会）、甲（居委会）"
      ])
      expect(refused.rowProblems[1]?.message).toContain("attendee-not-invited")
      expect(refused.rowProblems[2]?.message).toContain("quorum-not-met")
      expect(refused.rowProblems[3]?.message).toContain("duplicate-invitee")
      // the good row was not appended either
      expect(yield* allEvents).toBe(0)
      // outside the operator's unit: refused at 所属单元
      const outside = yield* Effect.flip(
        MeetingLedger.importRows(read([header, row("ok", "居委会会议", "甲（居委会）", "甲")]), {
          actor: actor("c2"),
          config
        })
      )
      expect(outside._tag === "LedgerImportError" && outside.rowProblems.map((p) => p.header)).toEqual([
        "所属单元"
      ])
    }).pipe(Effect.provide(layer))
  )

  it.effect(
    "a resident proposal reaches the meeting record once its co-signers have put it on the agenda",
    () =>
      Effect.gen(function* () {
        const config = yield* setup
        const proposal = [
          "T-R-1",
          "金星社区",
          "增设休闲座椅",
          "",
          "居民议事会",
          "金星社区居委会",
          "2024-04-02 19:00",
          "",
          "甲（居民代表）、乙（居民代表）、丙（居民代表）",
          "",
          "甲、乙",
          "同意增设"
        ]
        // without co-signers the core does not put it on the agenda: refused at the source column
        const refused = yield* Effect.flip(
          MeetingLedger.importRows(read([header, proposal]), { actor: actor(), config })
        )
        expect(refused._tag === "LedgerImportError" && refused.rowProblems.map((p) => p.header)).toEqual([
          "问题编号"
        ])
        expect(refused.message).toContain("threshold-not-reached")
        // raised and co-signed by residents (as the HTTP API does), put on the agenda by staff
        const at = DateTime.unsafeMake("2024-04-01T00:00:00Z")
        const resident = (id: string): Actor => ({
          id: id as Actor["id"],
          role: "resident",
          unitId: "c1" as Actor["unitId"]
        })
        const topicId = Deliberation.TopicId.make("T-R-1")
        yield* DeliberationRepository.handle({
          command: {
            _tag: "Submit",
            topicId,
            actor: resident("r0"),
            at,
            unitId: Unit.UnitId.make("c1"),
            source: { _tag: "ResidentProposal" },
            title: "增设休闲座椅",
            description: ""
          },
          config
        })
        for (const r of ["r1", "r2", "r3", "r4", "r5"])
          yield* DeliberationRepository.handle({
            command: { _tag: "Cosign", topicId, actor: resident(r), at },
            config
          })
        yield* DeliberationRepository.handle({
          command: { _tag: "PutOnAgenda", topicId, actor: actor(), at },
          config
        })
        // the ledger now records only its meeting
        expect(yield* MeetingLedger.importRows(read([header, proposal]), { actor: actor(), config })).toEqual(
          {
            created: 0,
            updated: 1,
            unchanged: 0
          }
        )
        const topic = yield* (yield* DeliberationRepository.DeliberationRepository).topic("T-R-1")
        expect([topic.status, topic.cosigners.length, topic.version]).toEqual(["deliberated", 5, 8])
      }).pipe(Effect.provide(layer))
  )

  it.effect("a stored topic deliberated again with another meeting is the core's refusal", () =>
    Effect.gen(function* () {
      const config = yield* setup
      yield* MeetingLedger.importRows(read(sheet), { actor: actor(), config })
      const changed = sheet.map((r) =>
        r[0] === "T-2024-02" ? r.map((c, i) => (i === 11 ? "另一份纪要" : c)) : r
      )
      const refused = yield* Effect.flip(MeetingLedger.importRows(read(changed), { actor: actor(), config }))
      expect(
        refused._tag === "LedgerImportError" && refused.rowProblems.map((p) => [p.row, p.header])
      ).toEqual([[4, "议题编号"]])
      expect(refused.message).toContain("status")
    }).pipe(Effect.provide(layer))
  )

  it.effect(
    "export writes the stored topics as import reads them: CSV and XLSX, unchanged on re-import",
    () =>
      Effect.gen(function* () {
        const config = yield* setup
        yield* MeetingLedger.importRows(read(sheet), { actor: actor(), config })
        const store = yield* DeliberationRepository.DeliberationRepository
        const rows = MeetingLedger.fromTopics(yield* store.topics())
        expect(rows.map((r) => [r.id, r.status])).toEqual([
          ["T-2024-01", "deliberated"],
          ["T-2024-02", "deliberated"]
        ])
        const text = Either.getOrThrow(Csv.write(MeetingLedger.spec, rows, { units: resolver }))
        expect(text).toContain("大党委联席会")
        expect(text).toContain("李明（社区党委）")
        const back = Either.getOrThrowWith(
          Csv.readReport(MeetingLedger.spec, text, { units: resolver }),
          (e) => e
        )
        expect(back.rows).toEqual(rows)
        const bytes = yield* Xlsx.write(MeetingLedger.spec, rows)
        expect(yield* Xlsx.read(MeetingLedger.spec, bytes)).toEqual(rows)
        expect(yield* MeetingLedger.importRows(back, { actor: actor(), config })).toEqual({
          created: 0,
          updated: 0,
          unchanged: 2
        })
      }).pipe(Effect.provide(layer))
  )

  it.effect("a participant that cannot be written is an export problem, not a silent change", () =>
    Effect.gen(function* () {
      const config = yield* setup
      yield* MeetingLedger.importRows(read(sheet), { actor: actor(), config })
      const [row] = MeetingLedger.fromTopics(
        yield* (yield* DeliberationRepository.DeliberationRepository).topics()
      )
      if (row === undefined) return expect.unreachable()
      const bad = { ...row, members: [{ label: "王强、李明", affiliation: "城管" }] }
      expect(Either.isLeft(Csv.write(MeetingLedger.spec, [bad]))).toBe(true)
    }).pipe(Effect.provide(layer))
  )

  // ---------------------------------------------------------------------------
  // generated rows
  // ---------------------------------------------------------------------------

  const name = fc.stringMatching(
    /^[甲乙丙丁戊己庚辛A-Za-z][甲乙丙丁戊己庚辛A-Za-z0-9 ]{0,6}[甲乙丙丁戊己庚辛A-Za-z0-9]$/
  )
  const instant = (min: number) =>
    fc.integer({ min, max: min + 1_000_000 }).map((s) => DateTime.unsafeMake(1_704_038_400_000 + s * 1000))
  const genRow = fc
    .record({
      unitId: fc.constantFrom("c1", "c2", "s"),
      title: name,
      problem: name,
      description: fc.constantFrom("", "说明，含逗号", "两行\n说明"),
      kind: fc.constantFrom(...Meeting.defaultKinds.filter((k) => k.quorum === null).map((k) => k.id)),
      convenedBy: name,
      submitted: instant(0),
      agendaDelay: fc.integer({ min: 0, max: 100_000 }),
      heldDelay: fc.integer({ min: 0, max: 100_000 }),
      agenda: fc.uniqueArray(name, { maxLength: 3 }),
      members: fc.uniqueArray(fc.record({ label: name, affiliation: name }), {
        maxLength: 4,
        selector: (p) => p.label
      }),
      guests: fc.uniqueArray(fc.record({ label: name, affiliation: name }), {
        maxLength: 3,
        selector: (p) => p.label
      }),
      attend: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
      minutes: fc.constantFrom("纪要", "议定：清理飞线", "=1+1 不是公式")
    })
    .filter((r) => {
      const labels = [...r.members, ...r.guests].map((p) => p.label)
      return new Set(labels).size === labels.length
    })
  const genRows = fc.uniqueArray(genRow, { minLength: 1, maxLength: 5, selector: (r) => r.title })

  it.effect.prop(
    "generated valid rows import through the use case and export back as they were",
    [genRows],
    ([generated]) =>
      Effect.gen(function* () {
        const config = yield* setup
        const rows: ReadonlyArray<MeetingLedger.MeetingRow> = generated.map((g, i) => {
          const agendaAt = DateTime.add(g.submitted, { seconds: g.agendaDelay })
          const heldAt = DateTime.add(agendaAt, { seconds: g.heldDelay })
          const invited = [...g.members, ...g.guests]
          return {
            id: Deliberation.TopicId.make(`T-${i + 1}`),
            unitId: Unit.UnitId.make(g.unitId),
            title: g.title,
            problemId: ProblemId.make(g.problem),
            description: g.description,
            submittedAt: g.submitted,
            agendaAt,
            kind: Meeting.KindId.make(g.kind),
            convenedBy: g.convenedBy,
            heldAt,
            agenda: g.agenda,
            members: g.members,
            guests: g.guests,
            present: invited
              .filter((_, j) => g.attend[j] === true)
              .map((p) => p.label)
              .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
            minutes: g.minutes,
            status: "deliberated"
          }
        })
        const text = Either.getOrThrow(Csv.write(MeetingLedger.spec, rows))
        const report = Either.getOrThrowWith(Csv.readReport(MeetingLedger.spec, text), (e) => e)
        expect(report.rows).toEqual(rows)
        expect(yield* MeetingLedger.importRows(report, { actor: actor("d"), config })).toEqual({
          created: rows.length,
          updated: 0,
          unchanged: 0
        })
        const store = yield* DeliberationRepository.DeliberationRepository
        expect(MeetingLedger.fromTopics(yield* store.topics())).toEqual(rows)
        const events = yield* allEvents
        expect((yield* MeetingLedger.importRows(report, { actor: actor("d"), config })).unchanged).toBe(
          rows.length
        )
        expect(yield* allEvents).toBe(events)
      }).pipe(Effect.provide(layer)),
    { fastCheck: { numRuns: 30 } }
  )
})

describe("MeetingLedger: meeting kinds by name", () => {
  it("a kind is read by its id, its Chinese name and its English name (Meeting.Kind en), case-insensitively", () => {
    const withKind = (kind: string) =>
      sheet.map((row) => (row[0] === "T-2024-01" ? [...row.slice(0, 4), kind, ...row.slice(5)] : row))
    for (const k of Meeting.defaultKinds)
      for (const written of [k.id, k.name, Meeting.englishName(k), Meeting.englishName(k).toUpperCase()])
        expect(read(withKind(written)).rows[0]?.kind, written).toBe(k.id)
  })
})
