/**
 * 会议记录台账 — the meeting-record ledger of community deliberation
 * (议事协商): one row per topic 议题 and the meeting that deliberated it, as
 * staff keep the 会议记录 — the topic (编号, 所属单元, 议题, where it came from:
 * a problem of the problem list 问题编号 or a case 案件编号, else a resident
 * representative's proposal), the meeting kind (from the meeting-kind
 * configuration, by id, Chinese or English name (`Meeting.Kind` `en`) or what staff commonly write: 联席会,
 * 议事会, 恳谈会 …), the convening body 召集机构, the time 会议时间, the agenda
 * 议程, the members invited 应到成员 and guests 列席人员 (each `姓名（所属单位）`),
 * who attended 实到人员 (by name) and the minutes 会议纪要.
 *
 * Import goes through the core: each row is the `Deliberation` commands
 * 提出议题 → 列入议程 → 召开会议 (`Submit`, `PutOnAgenda`, `HoldMeeting`) carried out
 * by the use case `DeliberationRepository.handle`, as the operator who
 * imports (`Options.actor`). The core's rules — the kind configured, no
 * invitee twice, attendees among the invitees, the kind's quorum 法定人数,
 * minutes required, the topic's unit within the operator's, the status a
 * topic must be in — refuse at the row and column they concern
 * (`importRows`); nothing is appended while any row is refused. A row whose
 * topic already holds what the row says gives no command: importing the same
 * sheet again appends nothing. A row that says something else of a stored
 * topic (another meeting) is refused by the core (a topic is deliberated
 * once).
 *
 * Export reads the stored topics back (`fromTopics`) to the same columns,
 * with the topic's status 议题状态 and its resolution 议定事项 — written for
 * staff, ignored by import (votes and resolutions are not recorded from a
 * sheet).
 *
 * Participants are named, as the meeting record names them: keep phones and
 * ID numbers out of every cell.
 *
 * @since 0.1.0
 */
import type { Actor } from "@civicgrid/core/Actor"
import * as Deliberation from "@civicgrid/core/Deliberation"
import type * as DeliberationRepository from "@civicgrid/core/DeliberationRepository"
import * as Meeting from "@civicgrid/core/Meeting"
import { ProblemId } from "@civicgrid/core/ProblemList"
import * as Text from "@civicgrid/core/Text"
import { UnitId } from "@civicgrid/core/Unit"
import * as DateTime from "effect/DateTime"
import type * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as internal from "./internal/deliberation.js"
import { kindByName } from "./internal/org.js"
import * as Ledger from "./Ledger.js"

// -----------------------------------------------------------------------------
// cells
// -----------------------------------------------------------------------------

/**
 * 参会人 — a participant as the record names them: name and affiliation 所属单位.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Participant = Schema.Struct({
  label: Meeting.Invitee.fields.label,
  affiliation: Meeting.Invitee.fields.affiliation
}).annotations({ identifier: "MeetingParticipant", title: "参会人 participant" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Participant extends Schema.Schema.Type<typeof Participant> {}

const participantPattern = /^(.+?)\s*[（(]\s*(.+?)\s*[)）]$/u
const reserved = /[（()）、,，;；]/u

/**
 * 参会人单元格 — one item of a participant list: `姓名（所属单位）` (half-width
 * brackets read too). A name or affiliation holding brackets or list
 * separators cannot be written (export refuses it rather than lose it).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ParticipantCell: Schema.Schema<Participant, string> = Schema.transformOrFail(
  Schema.String,
  Participant,
  {
    strict: true,
    decode: (text, _, ast) => {
      const m = participantPattern.exec(text.trim())
      return m === null
        ? ParseResult.fail(
            new ParseResult.Type(
              ast,
              text,
              `应写作「姓名（所属单位）」，如「王强（城管中队）」（得到「${text.slice(0, 40)}」） — expected name (affiliation)`
            )
          )
        : ParseResult.succeed({ label: m[1] ?? "", affiliation: m[2] ?? "" })
    },
    encode: (p, _, ast) =>
      reserved.test(p.label) || reserved.test(p.affiliation)
        ? ParseResult.fail(
            new ParseResult.Type(
              ast,
              p,
              `姓名或所属单位含括号或分隔符，无法写入（${p.label}）— a name or affiliation holds brackets or list separators`
            )
          )
        : ParseResult.succeed(`${p.label}（${p.affiliation}）`)
  }
)

const Names = Schema.Array(Meeting.Invitee.fields.label).pipe(Schema.maxItems(Meeting.limits.invitees))
const Participants = Schema.Array(ParticipantCell).pipe(Schema.maxItems(Meeting.limits.invitees))

/**
 * 常见写法 — what staff write for the default meeting kinds, beside their
 * ids and Chinese names.
 *
 * @since 0.1.0
 * @category constants
 */
export const kindSynonyms: Readonly<Record<string, ReadonlyArray<string>>> = {
  "joint-meeting": ["联席会", "大党委会议", "党建联席会", "联席会议"],
  "residents-council": ["议事会", "居民议事会议"],
  "committee-meeting": ["居委会", "居委会议"],
  dialogue: ["恳谈会", "民情恳谈"],
  hearing: ["听证"],
  "micro-governance": ["微治理会议", "枫桥小屋"],
  consultation: ["协商议事会", "有事来协商"]
}

// -----------------------------------------------------------------------------
// row
// -----------------------------------------------------------------------------

const optional = <A, I>(schema: Schema.Schema<A, I, never>) => Schema.optionalWith(schema, { exact: true })

const fields = (kinds: ReadonlyArray<Meeting.Kind>) => ({
  id: Deliberation.TopicId,
  unitId: UnitId,
  title: Text.line(Text.limits.title),
  problemId: optional(ProblemId),
  caseId: optional(Text.Id),
  description: Schema.optionalWith(Text.Description, { exact: true, default: () => "" }),
  submittedAt: optional(Schema.DateTimeUtc),
  agendaAt: optional(Schema.DateTimeUtc),
  kind: kindByName(
    Meeting.KindId,
    kinds.map((k) => ({ id: k.id, zh: k.name, en: Meeting.englishName(k) })),
    kindSynonyms
  ),
  convenedBy: Meeting.Meeting.fields.convenedBy,
  heldAt: Schema.DateTimeUtc,
  agenda: Meeting.Meeting.fields.agenda,
  members: Participants,
  guests: Schema.optionalWith(Participants, { exact: true, default: () => [] }),
  present: Names,
  minutes: Meeting.Meeting.fields.minutes,
  status: optional(Deliberation.Status),
  resolution: optional(Text.Description)
})

/**
 * 会议记录台账行 — a topic and its meeting as a row. 提出时间 and 列入议程时间
 * default to the meeting's time; 议题状态 and 议定事项 are written by export and
 * ignored by import. A topic comes from a problem or from a case, not both.
 *
 * @since 0.1.0
 * @category schemas
 */
export const rowSchema = (kinds: ReadonlyArray<Meeting.Kind> = Meeting.defaultKinds) =>
  Schema.Struct(fields(kinds))
    .pipe(
      Schema.filter(
        (row) =>
          row.problemId === undefined ||
          row.caseId === undefined ||
          "问题编号与案件编号只填一项 (a topic comes from a problem or a case, not both)"
      )
    )
    .annotations({ identifier: "MeetingRow", title: "会议记录台账行 meeting row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MeetingRow extends Schema.Schema.Type<ReturnType<typeof rowSchema>> {}

/**
 * 会议记录台账 — the spec for meeting kinds (default: `Meeting.defaultKinds`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  kinds: ReadonlyArray<Meeting.Kind> = Meeting.defaultKinds
): Ledger.LedgerSpec<MeetingRow> =>
  Ledger.make({
    sheet: "会议记录台账",
    schema: rowSchema(kinds),
    headers: {
      id: "议题编号",
      unitId: { header: "所属单元", reference: "unit" },
      title: { header: "议题", width: 30 },
      problemId: "问题编号",
      caseId: "案件编号",
      description: { header: "议题说明", width: 40 },
      submittedAt: "提出时间",
      agendaAt: "列入议程时间",
      kind: { header: "会议类型", width: 20, labels: Object.fromEntries(kinds.map((k) => [k.id, k.name])) },
      convenedBy: { header: "召集机构", width: 20 },
      heldAt: "会议时间",
      agenda: { header: "议程", width: 40 },
      members: { header: "应到成员", width: 40 },
      guests: { header: "列席人员", width: 30 },
      present: { header: "实到人员", width: 40 },
      minutes: { header: "会议纪要", width: 60 },
      status: { header: "议题状态", labels: Deliberation.statusNames },
      resolution: { header: "议定事项", width: 40 }
    }
  })

/**
 * 会议记录台账 — the spec for the default meeting kinds.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<MeetingRow> = make()

// -----------------------------------------------------------------------------
// export
// -----------------------------------------------------------------------------

const participantOf = (i: Meeting.Invitee): Participant => ({ label: i.label, affiliation: i.affiliation })

/**
 * The row of a topic whose meeting was held (`undefined` for a topic without one).
 *
 * @since 0.1.0
 * @category constructors
 */
export const toRow = (topic: Deliberation.Topic): MeetingRow | undefined => {
  const meeting = topic.meeting
  if (meeting === null || topic.heldAt === null) return undefined
  const labels = new Map<string, string>(meeting.invitees.map((i) => [i.id, i.label]))
  return {
    id: topic.id,
    unitId: topic.unitId,
    title: topic.title,
    ...(topic.source._tag === "Problem" ? { problemId: topic.source.problemId } : {}),
    ...(topic.source._tag === "Case" ? { caseId: topic.source.caseId } : {}),
    description: topic.description,
    submittedAt: topic.submittedAt,
    ...(topic.agendaAt === null ? {} : { agendaAt: topic.agendaAt }),
    kind: meeting.kind,
    convenedBy: meeting.convenedBy,
    heldAt: topic.heldAt,
    agenda: meeting.agenda,
    members: meeting.invitees.filter((i) => i.member).map(participantOf),
    guests: meeting.invitees.filter((i) => !i.member).map(participantOf),
    present: meeting.attendees.map((a) => labels.get(a) ?? a),
    minutes: meeting.minutes,
    status: topic.status,
    ...(topic.resolutionText === null ? {} : { resolution: topic.resolutionText })
  }
}

/**
 * The rows of the topics whose meeting was held, sorted by topic id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromTopics = (topics: Iterable<Deliberation.Topic>): ReadonlyArray<MeetingRow> =>
  Array.from(topics)
    .flatMap((t) => {
      const row = toRow(t)
      return row === undefined ? [] : [row]
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

// -----------------------------------------------------------------------------
// import
// -----------------------------------------------------------------------------

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * 会议 — the core's `Meeting` a row records: members and guests invited
 * (each named once: the name is the participant's id), the attendees by name
 * (sorted).
 *
 * @since 0.1.0
 * @category constructors
 */
export const toMeeting = (row: MeetingRow): Meeting.Meeting => {
  const invitee = (p: Participant, member: boolean): Meeting.Invitee => ({
    id: Meeting.ParticipantId.make(p.label),
    label: p.label,
    affiliation: p.affiliation,
    member
  })
  return {
    kind: row.kind,
    convenedBy: row.convenedBy,
    agenda: row.agenda,
    invitees: [...row.members.map((p) => invitee(p, true)), ...row.guests.map((p) => invitee(p, false))],
    attendees: [...new Set(row.present)].sort(byCode).map((a) => Meeting.ParticipantId.make(a)),
    minutes: row.minutes
  }
}

/** A meeting as the record names it: invitees and attendees by name, in a fixed order. */
const canonical = (meeting: Meeting.Meeting): string => {
  const labels = new Map<string, string>(meeting.invitees.map((i) => [i.id, i.label]))
  return JSON.stringify([
    meeting.kind,
    meeting.convenedBy,
    meeting.agenda,
    meeting.invitees
      .map((i) => [i.label, i.affiliation, i.member])
      .sort((a, b) => byCode(String(a), String(b))),
    meeting.attendees.map((a) => labels.get(a) ?? a).sort(byCode),
    meeting.minutes
  ])
}

const sourceOf = (row: MeetingRow): Deliberation.Topic["source"] =>
  row.problemId !== undefined
    ? { _tag: "Problem", problemId: row.problemId }
    : row.caseId !== undefined
      ? { _tag: "Case", caseId: row.caseId }
      : { _tag: "ResidentProposal" }

const sameInstant = (a: DateTime.Utc, b: DateTime.Utc | undefined): boolean =>
  b === undefined || DateTime.Equivalence(a, b)

/**
 * 议事指令 — the commands that bring a topic (as stored) to what the row
 * says: none when it already holds it; else 提出议题, 列入议程 and 召开会议 as
 * far as the topic has not gone, as `actor`. A row that says something else
 * of a stored topic gives the command the core then refuses.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toCommands = (
  row: MeetingRow,
  state: Deliberation.State,
  actor: Actor
): ReadonlyArray<Deliberation.Command> => {
  const submittedAt = row.submittedAt ?? row.heldAt
  const meta = { topicId: row.id, actor }
  const submit: Deliberation.Command = {
    _tag: "Submit",
    ...meta,
    at: submittedAt,
    unitId: row.unitId,
    source: sourceOf(row),
    title: row.title,
    description: row.description
  }
  const agenda: Deliberation.Command = { _tag: "PutOnAgenda", ...meta, at: row.agendaAt ?? submittedAt }
  const meeting = toMeeting(row)
  const hold: Deliberation.Command = { _tag: "HoldMeeting", ...meta, at: row.heldAt, meeting }
  if (state._tag === "NoTopic") return [submit, agenda, hold]
  const submitted =
    state.unitId === row.unitId &&
    state.title === row.title &&
    state.description === row.description &&
    JSON.stringify(state.source) === JSON.stringify(sourceOf(row)) &&
    sameInstant(state.submittedAt, row.submittedAt)
  if (!submitted) return [submit]
  const commands: Array<Deliberation.Command> = []
  if (state.agendaAt === null || !sameInstant(state.agendaAt, row.agendaAt)) commands.push(agenda)
  if (
    state.meeting === null ||
    state.heldAt === null ||
    !DateTime.Equivalence(state.heldAt, row.heldAt) ||
    canonical(state.meeting) !== canonical(meeting)
  )
    commands.push(hold)
  return commands
}

/**
 * The column a refusal of the core concerns.
 *
 * @since 0.1.0
 * @category utils
 */
export const fieldOf = (refused: Deliberation.DeliberationRefused): string => {
  switch (refused.rule) {
    case "topic-exists":
    case "topic-id":
    case "topic-not-found":
    case "status":
      return "id"
    case "unknown-unit":
    case "jurisdiction":
      return "unitId"
    case "title-required":
      return "title"
    case "not-representative":
    case "threshold-not-reached":
      return "problemId"
    case "time-order":
      return refused.command === "PutOnAgenda"
        ? "agendaAt"
        : refused.command === "HoldMeeting"
          ? "heldAt"
          : "submittedAt"
    case "unknown-kind":
      return "kind"
    case "duplicate-invitee":
      return "members"
    case "attendee-not-invited":
    case "quorum-not-met":
      return "present"
    case "minutes-required":
      return "minutes"
    default:
      return ""
  }
}

/**
 * 导入选项 — the operator 操作人 who records the meetings (staff acting for a
 * unit the topics lie within), the decider's configuration (its meeting
 * kinds are the spec's) and a progress callback.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportOptions {
  readonly actor: Actor
  readonly config: Deliberation.Config
  readonly progress?: (done: number, total: number) => void
}

/**
 * 导入 — the rows of a report through `DeliberationRepository.handle`: every
 * refusal of the core at its row and column (`LedgerImportError`, nothing
 * appended); rows already stored are unchanged.
 *
 * @since 0.1.0
 * @category import
 */
export const importRows = (
  report: Ledger.ImportReport<MeetingRow>,
  options: ImportOptions,
  ledger: Ledger.LedgerSpec<MeetingRow> = spec
): Effect.Effect<internal.Counts, internal.ImportError, DeliberationRepository.DeliberationRepository> =>
  internal.run(
    ledger,
    report,
    {
      topicOf: (row) => row.id,
      commands: (row, state) => toCommands(row, state, options.actor),
      fieldOf
    },
    options.config,
    options.progress
  )

/**
 * 导入结果 — rows whose topic was new, rows that moved a stored topic, rows
 * already stored.
 *
 * @since 0.1.0
 * @category models
 */
export type Counts = internal.Counts
