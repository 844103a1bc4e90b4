/**
 * 议事会议 — the meetings of community deliberation: their kind (configuration:
 * 大党委联席会, 居民议事会, 民情恳谈会, 听证会, 居委会会议, 枫桥小屋 微治理会议, 协商议事会 …),
 * the convening body 召集方, the agenda 议程, the invitees and attendees with
 * their affiliation 所属单位, the quorum 法定人数 and the minutes 会议纪要.
 *
 * Sources: the community experience report (XX社区治理经验交流材料): "召开大党委联席会，组织文明办、公安、
 * 城管、房管、市场监管等部门"; the Panlong district report (某区社区治理工作情况报告): 居委会会议制度, 民情恳谈;
 * the 2024 public-rental community report: "党建联席会 … 定期召开会议研究解决 … 枫桥小屋，定期召开微服务
 * 治理会议"; the Yilong county report: "有事来协商", 协商议事室.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Text from "./Text.js"
import * as Vote from "./Vote.js"

/**
 * 会议类型标识 — e.g. `"joint-meeting"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const KindId = Text.Id.pipe(
  Schema.brand("MeetingKindId"),
  Schema.annotations({ identifier: "MeetingKindId", title: "会议类型标识 meeting kind id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type KindId = typeof KindId.Type

/**
 * 会议类型 — a kind of meeting: its name, optionally its English name `en`,
 * and its quorum (the share of the members 应到成员 who must attend; `null`
 * when the meeting is open, as a 恳谈会 or a 听证会 is).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Kind = Schema.Struct({
  id: KindId,
  name: Text.line(Text.limits.title),
  en: Schema.optionalWith(Text.line(Text.limits.title), { exact: true }),
  quorum: Schema.NullOr(Vote.Fraction)
}).annotations({ identifier: "MeetingKind", title: "会议类型 meeting kind" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Kind extends Schema.Schema.Type<typeof Kind> {}

const kind = (id: string, name: string, en: string, quorum: Vote.Fraction | null): Kind => ({
  id: KindId.make(id),
  name,
  en,
  quorum
})

/**
 * 默认会议类型 — 大党委联席会, 居民议事会 and 居委会会议 with a quorum of more than
 * half of the members; 民情恳谈会, 听证会, 枫桥小屋微治理会议 and 协商议事会 open. Local
 * practice: replace or extend.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultKinds: ReadonlyArray<Kind> = [
  kind("joint-meeting", "大党委联席会", "joint Party-building meeting", Vote.simpleMajority),
  kind("residents-council", "居民议事会", "residents' council", Vote.simpleMajority),
  kind("committee-meeting", "居委会会议", "residents' committee meeting", Vote.simpleMajority),
  kind("dialogue", "民情恳谈会", "community dialogue", null),
  kind("hearing", "听证会", "public hearing", null),
  kind("micro-governance", "枫桥小屋微治理会议", "Fengqiao hut micro-governance meeting", null),
  kind("consultation", "有事来协商 协商议事会", "consultation meeting", null)
]

/**
 * 英文名 — a kind's English name: its `en`, or its id when none is configured.
 *
 * @since 0.1.0
 * @category getters
 */
export const englishName = (kind: Kind): string => kind.en ?? kind.id

/**
 * 参会人标识.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ParticipantId = Text.Id.pipe(
  Schema.brand("ParticipantId"),
  Schema.annotations({ identifier: "ParticipantId", title: "参会人标识 participant id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ParticipantId = typeof ParticipantId.Type

/**
 * 受邀人 — someone invited: a label (a name or a title such as "城管中队负责人"),
 * the affiliation 所属单位 (e.g. 公安, 城管, 物业公司, 居民代表) and whether they are
 * a member 成员 who counts towards the quorum (others are guests 列席).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Invitee = Schema.Struct({
  id: ParticipantId,
  label: Text.line(Text.limits.name),
  affiliation: Text.line(Text.limits.title),
  member: Schema.Boolean
}).annotations({ identifier: "Invitee", title: "受邀人 invitee" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Invitee extends Schema.Schema.Type<typeof Invitee> {}

/**
 * 参会上限 — the most invitees of a meeting and agenda items.
 *
 * @since 0.1.0
 * @category constants
 */
export const limits = { invitees: 1000, agenda: 50 } as const

/**
 * 会议 — a meeting as held: kind, convening body 召集方, agenda 议程, invitees,
 * attendees (ids among the invitees, sorted) and minutes 会议纪要.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Meeting = Schema.Struct({
  kind: KindId,
  convenedBy: Text.line(Text.limits.title),
  agenda: Schema.Array(Text.line(Text.limits.title)).pipe(Schema.maxItems(limits.agenda)),
  invitees: Schema.Array(Invitee).pipe(Schema.maxItems(limits.invitees)),
  attendees: Schema.Array(ParticipantId).pipe(Schema.maxItems(limits.invitees)),
  minutes: Text.Description
}).annotations({ identifier: "Meeting", title: "会议 meeting" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Meeting extends Schema.Schema.Type<typeof Meeting> {}

/**
 * 会议规则 — why a meeting record is refused: `unknown-kind` 会议类型未配置,
 * `duplicate-invitee` 受邀人重复, `attendee-not-invited` 参会人不在受邀名单,
 * `quorum-not-met` 未达法定人数, `minutes-required` 须有会议纪要.
 *
 * @since 0.1.0
 * @category errors
 */
export const MeetingRule = Schema.Literal(
  "unknown-kind",
  "duplicate-invitee",
  "attendee-not-invited",
  "quorum-not-met",
  "minutes-required"
).annotations({ identifier: "MeetingRule", title: "会议规则 meeting rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type MeetingRule = typeof MeetingRule.Type

/**
 * 出席率 — members present over members invited (guests out).
 *
 * @since 0.1.0
 * @category getters
 */
export const memberAttendance = (
  meeting: Meeting
): { readonly present: number; readonly members: number } => {
  const attended = new Set<string>(meeting.attendees)
  const members = meeting.invitees.filter((i) => i.member)
  return { present: members.filter((m) => attended.has(m.id)).length, members: members.length }
}

/**
 * 达到法定人数 — whether the members present meet the kind's quorum (always,
 * for an open kind).
 *
 * @since 0.1.0
 * @category predicates
 */
export const quorumMet = (kind: Kind, meeting: Meeting): boolean => {
  if (kind.quorum === null) return true
  const { members, present } = memberAttendance(meeting)
  return Vote.meets(present, members, kind.quorum)
}

/**
 * 会议校验 — every rule the meeting record breaks, given the configured kinds
 * (empty when it may be recorded).
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (kinds: ReadonlyArray<Kind>, meeting: Meeting): ReadonlyArray<MeetingRule> => {
  const rules: Array<MeetingRule> = []
  const kind = kinds.find((k) => k.id === meeting.kind)
  if (kind === undefined) rules.push("unknown-kind")
  const ids = new Set<string>()
  for (const i of meeting.invitees) {
    if (ids.has(i.id)) {
      rules.push("duplicate-invitee")
      break
    }
    ids.add(i.id)
  }
  if (meeting.attendees.some((a) => !ids.has(a))) rules.push("attendee-not-invited")
  if (kind !== undefined && !quorumMet(kind, meeting)) rules.push("quorum-not-met")
  if (meeting.minutes.trim().length === 0) rules.push("minutes-required")
  return rules
}
