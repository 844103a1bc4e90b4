import { type Actor, ActorId, type Role } from "@civicgrid/core/Actor"
import * as Decider from "@civicgrid/core/Decider"
import * as Deliberation from "@civicgrid/core/Deliberation"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Meeting from "@civicgrid/core/Meeting"
import { ProblemId } from "@civicgrid/core/ProblemList"
import * as TaskList from "@civicgrid/core/TaskList"
import * as Unit from "@civicgrid/core/Unit"
import * as Vote from "@civicgrid/core/Vote"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"

// the hierarchy the topic's unit and the tasks' owners are checked against
const hierarchy = Either.getOrThrow(
  Hierarchy.make(LevelScheme.FiveLevel, [
    Unit.make({ id: "panlong", parentId: null, level: "district", name: "盘龙区" }),
    Unit.make({ id: "qingyun", parentId: "panlong", level: "street", name: "青云街道" }),
    Unit.make({ id: "jinsha", parentId: "qingyun", level: "community", name: "金沙社区" })
  ])
)

// the configuration: two co-signers put a proposal on the agenda here (Proposal.defaultRule asks five)
const decider = Deliberation.decider({
  proposal: { minCosigners: 2 },
  meetingKinds: Meeting.defaultKinds,
  tasks: { hierarchy } // add `accessList` to check each task against the 社区工作准入清单
})
const execute = Decider.execute(decider)

const actor = (id: string, role: Role, unitId: string): Actor => ({
  id: ActorId.make(id),
  role,
  unitId: Unit.UnitId.make(unitId)
})
const staff = actor("cs-jinsha", "community-staff", "jinsha")
const rep = (n: number) => actor(`r-${n}`, "resident", "jinsha")
const topicId = Deliberation.TopicId.make("yi-2026-12")
const at = (iso: string) => ({ topicId, at: DateTime.unsafeMake(iso) })

// one vote per household (一户一票): r-1 and r-2 share a household
const rule: Vote.VoteRule = {
  electorate: {
    basis: "household",
    onePerHousehold: true,
    roll: [
      ["r-1", "h-101"],
      ["r-2", "h-101"],
      ["r-3", "h-102"],
      ["r-4", "h-201"],
      ["r-5", "h-202"]
    ].map(([voterId = "", household = ""]) => ({
      voterId: Vote.VoterId.make(voterId),
      household: Vote.HouseholdKey.make(household)
    }))
  },
  options: Vote.standardOptions, // 同意 agree, 不同意 disagree, 弃权 abstain
  threshold: Vote.defaultThreshold // more than half of the ballots cast, more than half of the households voting
}
const ballot = (n: number, option: string): Vote.Ballot => ({
  voterId: Vote.VoterId.make(`r-${n}`),
  option: Vote.OptionId.make(option)
})
const member = (id: string, affiliation: string): Meeting.Invitee => ({
  id: Meeting.ParticipantId.make(id),
  label: id,
  affiliation,
  member: true
})

const commands: ReadonlyArray<Deliberation.Command> = [
  {
    _tag: "Submit",
    ...at("2026-12-01T01:00:00Z"),
    actor: rep(1),
    unitId: Unit.UnitId.make("jinsha"),
    source: { _tag: "ResidentProposal" },
    title: "整治楼道电瓶车飞线充电",
    description: "3栋楼道飞线充电，存在火灾隐患，建议增设集中充电桩"
  },
  { _tag: "Cosign", ...at("2026-12-01T02:00:00Z"), actor: rep(1) }, // refused: self-cosign
  { _tag: "PutOnAgenda", ...at("2026-12-01T03:00:00Z"), actor: staff }, // refused: threshold-not-reached
  { _tag: "Cosign", ...at("2026-12-02T01:00:00Z"), actor: rep(3) },
  { _tag: "Cosign", ...at("2026-12-02T02:00:00Z"), actor: rep(4) },
  { _tag: "PutOnAgenda", ...at("2026-12-02T03:00:00Z"), actor: staff },
  {
    _tag: "HoldMeeting",
    ...at("2026-12-04T07:00:00Z"),
    actor: staff,
    meeting: {
      kind: Meeting.KindId.make("residents-council"), // 居民议事会: quorum more than half of the members
      convenedBy: "金沙社区居委会",
      agenda: ["楼道飞线充电整治方案"],
      invitees: [
        member("主任", "居委会"),
        member("物业经理", "物业公司"),
        member("民警", "公安"),
        member("居民代表", "居民代表")
      ],
      attendees: ["主任", "物业经理", "居民代表"].map((id) => Meeting.ParticipantId.make(id)),
      minutes: "协商议定：物业增设集中充电桩，社区牵头清理飞线，两周内完成"
    }
  },
  { _tag: "OpenVote", ...at("2026-12-04T08:00:00Z"), actor: staff, rule },
  { _tag: "CastBallot", ...at("2026-12-04T08:10:00Z"), actor: rep(1), ballot: ballot(1, "agree") },
  { _tag: "CastBallot", ...at("2026-12-04T08:11:00Z"), actor: rep(2), ballot: ballot(2, "agree") }, // refused: double-vote
  { _tag: "CastBallot", ...at("2026-12-04T08:12:00Z"), actor: rep(3), ballot: ballot(3, "agree") },
  { _tag: "CastBallot", ...at("2026-12-04T08:13:00Z"), actor: rep(4), ballot: ballot(4, "disagree") },
  // community staff record a paper ballot 代录
  { _tag: "CastBallot", ...at("2026-12-04T08:14:00Z"), actor: staff, ballot: ballot(5, "agree") },
  { _tag: "CloseVote", ...at("2026-12-04T09:00:00Z"), actor: staff },
  {
    _tag: "Resolve",
    ...at("2026-12-04T10:00:00Z"),
    actor: staff,
    text: "增设集中充电桩，清理楼道飞线，限期两周，街道督办",
    items: [
      {
        title: "增设电瓶车集中充电桩并清理楼道飞线",
        problemId: ProblemId.make("wt-2026-031"),
        owner: TaskList.unitOwner("jinsha"),
        deadline: DateTime.unsafeMake("2026-12-18T10:00:00Z"),
        supervision: { unitId: Unit.UnitId.make("qingyun"), level: "street" } // 限期督办 by the street
      }
    ]
  },
  {
    _tag: "StartTask",
    ...at("2026-12-07T01:00:00Z"),
    actor: staff,
    taskId: TaskList.TaskId.make("yi-2026-12-1")
  },
  {
    _tag: "CompleteTask",
    ...at("2026-12-15T09:00:00Z"),
    actor: staff,
    taskId: TaskList.TaskId.make("yi-2026-12-1")
  },
  {
    _tag: "Publish",
    ...at("2026-12-16T02:00:00Z"),
    actor: staff,
    category: "residents-affairs", // 居务公开: 90 days on display unless retainUntil says otherwise
    title: "关于整治楼道电瓶车飞线充电的议定事项及落实情况",
    body: "经居民议事会协商、户代表表决通过（同意3、不同意1），集中充电桩已建成，楼道飞线已清理。"
  }
]

// run every command: a refusal leaves the state as it was and names its rule
let state: Deliberation.State = Deliberation.initial
const log: Array<string> = []
for (const command of commands) {
  const next = execute(state, command)
  if (Either.isLeft(next)) {
    log.push(`${command._tag} refused: ${next.left.rule}`)
  } else {
    log.push(...next.right.events.map((e) => e._tag))
    state = next.right.state
  }
}
export const history = log
// → ["Submitted", "Cosign refused: self-cosign", "PutOnAgenda refused: threshold-not-reached",
//    "Cosigned", "Cosigned", "AgendaSet", "MeetingHeld", "VoteOpened", "BallotCast",
//    "CastBallot refused: double-vote", "BallotCast", "BallotCast", "BallotCast", "VoteClosed",
//    "Resolved", "TaskUpdated", "TaskUpdated", "Implemented", "Published"]

export const topic = state._tag === "Topic" ? state : undefined
// → Topic { status: "published", cosigners: ["r-3", "r-4"], result: { carried: "agree", … }, … }

// the result is the tally of the stored ballots: anyone holding the rule and the ballots recomputes it
export const recounted =
  topic === undefined || topic.voteRule === null ? undefined : Vote.tally(topic.ballots, topic.voteRule)
// → { counts: [agree 3, disagree 1, abstain 0], turnout: 4/4 households, base: 4, turnoutMet: true,
//     carried: "agree", ignored: 0 }
export const recomputes = topic !== undefined && Deliberation.resultRecomputes(topic) // → true

// the refusal as a message: the topic, its status, the command, the rule in Chinese and English
export const refusal = Either.match(
  execute(state, { _tag: "Cosign", ...at("2026-12-17T01:00:00Z"), actor: rep(5) }),
  {
    onLeft: (e) => e.message,
    onRight: () => ""
  }
)
// → "topic yi-2026-12 (published 已公开): Cosign refused — [status] 当前状态不允许: the command is not allowed
//    in the topic's status (联名 is not allowed while 已公开)"
