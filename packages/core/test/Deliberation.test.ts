/**
 * 议事协商 — the decider of a topic: proposal → agenda → meeting → vote →
 * resolution → tasks (准入清单, 督办) → implemented → published → feedback; typed
 * refusals; property tests: no double vote in any order, recomputable
 * results, random walks never throw, the full path ends published.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as AccessList from "../src/AccessList.js"
import { type Actor, ActorId, DepartmentId, type Role } from "../src/Actor.js"
import * as Decider from "../src/Decider.js"
import * as Deliberation from "../src/Deliberation.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Meeting from "../src/Meeting.js"
import * as Privacy from "../src/Privacy.js"
import { ProblemId } from "../src/ProblemList.js"
import * as Proposal from "../src/Proposal.js"
import * as Publication from "../src/Publication.js"
import type * as Resolution from "../src/Resolution.js"
import * as TaskList from "../src/TaskList.js"
import * as Unit from "../src/Unit.js"
import * as Vote from "../src/Vote.js"

const right = <A, E>(e: Either.Either<A, E>): A => {
  if (Either.isLeft(e)) throw new Error(`expected Right, got ${String(e.left)}`)
  return e.right
}
const left = <A, E>(e: Either.Either<A, E>): E => {
  if (Either.isRight(e)) throw new Error("expected Left")
  return e.left
}

const HOUR = 3_600_000
const T0 = Date.UTC(2024, 5, 3, 1)
const at = (h: number): DateTime.Utc => DateTime.unsafeMake(T0 + h * HOUR)

const hierarchy = right(
  Hierarchy.make(LevelScheme.FiveLevel, [
    Unit.make({ id: "d", parentId: null, level: "district", name: "某区" }),
    Unit.make({ id: "s", parentId: "d", level: "street", name: "某街道" }),
    Unit.make({ id: "c1", parentId: "s", level: "community", name: "塔利社区" }),
    Unit.make({ id: "c2", parentId: "s", level: "community", name: "邻社区" })
  ])
)
const item = (code: string, name: string): AccessList.AccessItem => ({
  code: AccessList.WorkCode.make(code),
  name,
  authority: "XX县区委、区政府",
  basis: "XX县区社区工作准入制度"
})
const accessList = right(
  AccessList.make({ positive: [item("P-01", "组织居民议事协商")], negative: [item("N-01", "招商引资")] })
)
const config: Deliberation.Config = {
  proposal: { minCosigners: 2 },
  meetingKinds: Meeting.defaultKinds,
  tasks: { hierarchy, accessList }
}
const decider = Deliberation.decider(config)
const execute = Decider.execute(decider)

const person = (id: string, role: Role, unit = "c1"): Actor => ({
  id: ActorId.make(id),
  role,
  unitId: Unit.UnitId.make(unit)
})
const staff = person("cs-1", "community-staff")
const streetStaff = person("ss-1", "street-staff", "s")
const rep = (i: number) => person(`v${i}`, "resident")
const TOPIC = Deliberation.TopicId.make("t-2024-06")

const meta = (actor: Actor, h: number) => ({ topicId: TOPIC, actor, at: at(h) })

const electorate = (n: number, onePerHousehold: boolean): Vote.Electorate => ({
  basis: onePerHousehold ? "household" : "representative",
  onePerHousehold,
  roll: Array.from({ length: n }, (_, i) => ({
    voterId: Vote.VoterId.make(`v${i}`),
    household: Vote.HouseholdKey.make(`h${Math.floor(i / 2)}`)
  }))
})
const voteRule = (n = 6, onePerHousehold = false): Vote.VoteRule => ({
  electorate: electorate(n, onePerHousehold),
  options: Vote.standardOptions,
  threshold: Vote.defaultThreshold
})

const invitee = (id: string, affiliation: string, member = true): Meeting.Invitee => ({
  id: Meeting.ParticipantId.make(id),
  label: id,
  affiliation,
  member
})
const meeting = (present: ReadonlyArray<string>): Meeting.Meeting => ({
  kind: Meeting.KindId.make("joint-meeting"),
  convenedBy: "社区大党委",
  agenda: ["电瓶车乱停、飞线充电整治"],
  invitees: [
    invitee("书记", "社区党总支"),
    invitee("派出所", "公安"),
    invitee("城管中队", "城管"),
    invitee("物业", "物业服务企业党组织"),
    invitee("楼长", "居民代表", false)
  ],
  attendees: present.map((p) => Meeting.ParticipantId.make(p)),
  minutes: "议定: 增设充电桩, 城管牵头清理飞线, 限期两周"
})

const resolutionItems = (code = "P-01"): ReadonlyArray<Resolution.Item> => [
  {
    title: "增设电瓶车充电桩",
    workCode: AccessList.WorkCode.make(code),
    problemId: ProblemId.make("p-17"),
    owner: TaskList.unitOwner("c1"),
    deadline: at(400),
    supervision: { unitId: Unit.UnitId.make("s"), level: "street" }
  },
  {
    title: "清理飞线充电",
    problemId: ProblemId.make("p-18"),
    owner: TaskList.departmentOwner("城管"),
    deadline: at(400)
  }
]

const ballot = (i: number, option: string): Vote.Ballot => ({
  voterId: Vote.VoterId.make(`v${i}`),
  option: Vote.OptionId.make(option)
})

/** The happy path up to (and excluding) `stop`: the commands in order. */
const fullPath = (): ReadonlyArray<Deliberation.Command> => [
  {
    _tag: "Submit",
    ...meta(rep(0), 0),
    unitId: Unit.UnitId.make("c1"),
    source: { _tag: "ResidentProposal" },
    title: "整治电瓶车乱停和飞线充电",
    description: "楼道飞线充电存在火灾隐患"
  },
  { _tag: "Cosign", ...meta(rep(1), 1) },
  { _tag: "Cosign", ...meta(rep(2), 2) },
  { _tag: "PutOnAgenda", ...meta(staff, 3) },
  { _tag: "HoldMeeting", ...meta(staff, 10), meeting: meeting(["书记", "派出所", "城管中队"]) },
  { _tag: "OpenVote", ...meta(staff, 11), rule: voteRule() },
  { _tag: "CastBallot", ...meta(rep(0), 12), ballot: ballot(0, "agree") },
  { _tag: "CastBallot", ...meta(rep(1), 12), ballot: ballot(1, "agree") },
  { _tag: "CastBallot", ...meta(rep(2), 12), ballot: ballot(2, "disagree") },
  { _tag: "CastBallot", ...meta(staff, 12), ballot: ballot(3, "agree") },
  { _tag: "CloseVote", ...meta(staff, 20) },
  { _tag: "Resolve", ...meta(staff, 21), text: "议定事项两项, 限期督办", items: resolutionItems() },
  { _tag: "StartTask", ...meta(staff, 22), taskId: TaskList.TaskId.make("t-2024-06-1") },
  {
    _tag: "SuperviseTask",
    ...meta(streetStaff, 23),
    taskId: TaskList.TaskId.make("t-2024-06-2"),
    level: "street",
    unitId: Unit.UnitId.make("s")
  },
  { _tag: "StartTask", ...meta(staff, 24), taskId: TaskList.TaskId.make("t-2024-06-2") },
  { _tag: "CompleteTask", ...meta(staff, 100), taskId: TaskList.TaskId.make("t-2024-06-1") },
  { _tag: "CompleteTask", ...meta(staff, 200), taskId: TaskList.TaskId.make("t-2024-06-2") },
  {
    _tag: "Publish",
    ...meta(staff, 210),
    category: "residents-affairs",
    title: "关于整治电瓶车乱停和飞线充电的议定事项及落实情况",
    body: "经大党委联席会协商、居民代表表决通过, 已增设充电桩并清理飞线"
  },
  { _tag: "GiveFeedback", ...meta(rep(4), 220), rating: "satisfied" }
]

const run = (commands: ReadonlyArray<Deliberation.Command>) => {
  let state = Deliberation.initial
  const events: Array<Deliberation.Event> = []
  for (const c of commands) {
    const r = right(execute(state, c))
    events.push(...r.events)
    state = r.state
  }
  return { state, events }
}

const asTopic = (s: Deliberation.State): Deliberation.Topic => {
  if (s._tag !== "Topic") throw new Error("no topic")
  return s
}

describe("Deliberation: the full path", () => {
  it("proposal → agenda → meeting → vote → resolution → supervised tasks → implemented → published → feedback", () => {
    const { state, events } = run(fullPath())
    const topic = asTopic(state)
    expect(topic.status).toBe("published")
    expect(topic.result?.carried).toBe("agree")
    expect(topic.result?.counts.map((c) => c.votes)).toEqual([3, 1, 0])
    expect(Deliberation.resultRecomputes(topic)).toBe(true)
    expect(topic.tasks.map((t) => [t.id, t.status, t.timeliness, t.supervision?.level])).toEqual([
      ["t-2024-06-1", "done", "on-time", "street"],
      ["t-2024-06-2", "done", "on-time", "street"]
    ])
    expect(topic.implementedOnTime).toBe(true)
    expect(topic.publication?.scope).toBe("c1")
    expect(topic.feedback.map((f) => f.rating)).toEqual(["satisfied"])
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1))
    expect(Deliberation.fold(events)).toEqual(state)
    expect(events.filter((e) => e._tag === "Implemented")).toHaveLength(1)
    expect(Deliberation.replay(events)).toEqual(Either.right(state))
  })

  it("events survive their schema (encode → decode) and a strict replay names a gap", () => {
    const { state, events } = run(fullPath())
    const codec = Schema.Array(Deliberation.Event)
    const decoded = Schema.decodeUnknownSync(codec)(
      JSON.parse(JSON.stringify(Schema.encodeSync(codec)(events)))
    )
    expect(Deliberation.fold(decoded)).toEqual(state)
    const stateCodec = Deliberation.State
    expect(
      Schema.decodeUnknownSync(stateCodec)(JSON.parse(JSON.stringify(Schema.encodeSync(stateCodec)(state))))
    ).toEqual(state)
    const gap = left(Deliberation.replay([...events.slice(0, 3), ...events.slice(4)]))
    expect([gap.rule, gap.index, gap.sequence, gap.expected]).toEqual(["sequence", 3, 5, 4])
    expect(left(Deliberation.replay(events.slice(1))).rule).toBe("first-event")
  })
})

describe("Deliberation: refusals name their rule", () => {
  const upTo = (n: number) => run(fullPath().slice(0, n)).state

  it("a proposal below the co-signer threshold does not reach the agenda", () => {
    const err = left(execute(upTo(2), { _tag: "PutOnAgenda", ...meta(staff, 3) }))
    expect(err.rule).toBe("threshold-not-reached")
    expect(err.message).toContain("联名人数未达立项门槛")
    expect(err.message).toContain("1 of 2")
  })

  it("a topic from a problem needs no co-signers; rejection needs a reason", () => {
    const submitted = right(
      execute(Deliberation.initial, {
        _tag: "Submit",
        ...meta(staff, 0),
        unitId: Unit.UnitId.make("c1"),
        source: { _tag: "Problem", problemId: ProblemId.make("p-1") },
        title: "杂物乱放",
        description: ""
      })
    ).state
    expect(Either.isRight(execute(submitted, { _tag: "PutOnAgenda", ...meta(staff, 1) }))).toBe(true)
    expect(left(execute(submitted, { _tag: "Reject", ...meta(staff, 1), reason: "  " })).rule).toBe(
      "reason-required"
    )
    const rejected = right(
      execute(submitted, { _tag: "Reject", ...meta(staff, 1), reason: "不属于社区事务" })
    ).state
    expect(asTopic(rejected).status).toBe("rejected")
  })

  it("the proposer may not co-sign, nor anyone twice; residents may not put a topic on the agenda", () => {
    expect(left(execute(upTo(1), { _tag: "Cosign", ...meta(rep(0), 1) })).rule).toBe("self-cosign")
    expect(left(execute(upTo(2), { _tag: "Cosign", ...meta(rep(1), 2) })).rule).toBe("already-cosigned")
    expect(left(execute(upTo(3), { _tag: "PutOnAgenda", ...meta(rep(1), 3) })).rule).toBe("role")
  })

  it("with a roster of representatives, only they may propose and co-sign", () => {
    const rostered = Decider.execute(
      Deliberation.decider({
        ...config,
        proposal: { minCosigners: 1, representatives: [rep(0).id, rep(1).id] }
      })
    )
    const submit = fullPath()[0] as Deliberation.Command
    const submitted = right(rostered(Deliberation.initial, submit)).state
    expect(left(rostered(submitted, { _tag: "Cosign", ...meta(rep(2), 1) })).rule).toBe("not-representative")
    expect(Either.isRight(rostered(submitted, { _tag: "Cosign", ...meta(rep(1), 1) }))).toBe(true)
    expect(left(rostered(Deliberation.initial, { ...submit, actor: rep(3) })).rule).toBe("not-representative")
  })

  it("a meeting below quorum is refused (2 of 4 members is not more than half)", () => {
    const err = left(
      execute(upTo(4), {
        _tag: "HoldMeeting",
        ...meta(staff, 10),
        meeting: meeting(["书记", "楼长", "派出所"])
      })
    )
    expect(err.rule).toBe("quorum-not-met")
    expect(err.message).toContain("2 of 4")
  })

  it("double vote, off-roll voter and ballots for someone else are refused", () => {
    const s = upTo(7)
    expect(
      left(execute(s, { _tag: "CastBallot", ...meta(rep(0), 12), ballot: ballot(0, "disagree") })).rule
    ).toBe("double-vote")
    expect(
      left(execute(s, { _tag: "CastBallot", ...meta(rep(9), 12), ballot: ballot(9, "agree") })).rule
    ).toBe("not-eligible")
    expect(
      left(execute(s, { _tag: "CastBallot", ...meta(rep(1), 12), ballot: ballot(2, "agree") })).rule
    ).toBe("own-ballot")
  })

  it("a resolution item on the negative list 负面清单 is refused by the community work access list", () => {
    const s = upTo(11)
    const err = left(
      execute(s, { _tag: "Resolve", ...meta(staff, 21), text: "…", items: resolutionItems("N-01") })
    )
    expect(err.rule).toBe("access-refused")
    expect(err.message).toContain("负面清单")
  })

  it("a vote that does not carry cannot be resolved, but its outcome can be published", () => {
    const s = run([
      ...fullPath().slice(0, 6),
      { _tag: "CastBallot", ...meta(rep(0), 12), ballot: ballot(0, "disagree") },
      { _tag: "CastBallot", ...meta(rep(1), 12), ballot: ballot(1, "disagree") },
      { _tag: "CastBallot", ...meta(rep(2), 12), ballot: ballot(2, "disagree") },
      { _tag: "CastBallot", ...meta(rep(3), 12), ballot: ballot(3, "agree") },
      { _tag: "CloseVote", ...meta(staff, 20) }
    ]).state
    expect(asTopic(s).status).toBe("not-carried")
    expect(
      left(execute(s, { _tag: "Resolve", ...meta(staff, 21), text: "…", items: resolutionItems() })).rule
    ).toBe("status")
  })

  it("a publication carrying a phone number is refused: no personal data", () => {
    const s = upTo(17)
    const err = left(
      execute(s, {
        _tag: "Publish",
        ...meta(staff, 210),
        category: "residents-affairs",
        title: "落实情况",
        body: "联系人 13812345678"
      })
    )
    expect(err.rule).toBe("personal-data")
  })

  it("jurisdiction: staff of another community may not act on the topic; the street may; unknown units are refused", () => {
    const other = person("cs-9", "community-staff", "c2")
    const err = left(execute(upTo(3), { _tag: "PutOnAgenda", ...meta(other, 3) }))
    expect(err.rule).toBe("jurisdiction")
    expect(err.message).toContain("超出辖区")
    expect(Either.isRight(execute(upTo(3), { _tag: "PutOnAgenda", ...meta(streetStaff, 3) }))).toBe(true)
    const submit = fullPath()[0] as Deliberation.Command & { readonly _tag: "Submit" }
    expect(left(execute(Deliberation.initial, { ...submit, unitId: Unit.UnitId.make("nowhere") })).rule).toBe(
      "unknown-unit"
    )
  })

  it("a department moves only the tasks it owns (督办 to the owner)", () => {
    const chengguan: Actor = {
      ...person("dept-cg", "department", "d"),
      departmentId: DepartmentId.make("城管")
    }
    const fangguan: Actor = {
      ...person("dept-fg", "department", "d"),
      departmentId: DepartmentId.make("房管")
    }
    const s = upTo(12)
    const task2 = TaskList.TaskId.make("t-2024-06-2")
    expect(left(execute(s, { _tag: "StartTask", ...meta(fangguan, 22), taskId: task2 })).rule).toBe(
      "task-owner"
    )
    expect(Either.isRight(execute(s, { _tag: "StartTask", ...meta(chengguan, 22), taskId: task2 }))).toBe(
      true
    )
  })

  it("an inconsistent vote rule is refused when the vote opens", () => {
    const dup = { ...voteRule(), options: [...Vote.standardOptions, ...Vote.standardOptions] }
    const err = left(execute(upTo(5), { _tag: "OpenVote", ...meta(staff, 11), rule: dup }))
    expect(err.rule).toBe("vote-rule")
    expect(err.message).toContain("duplicate-option")
  })

  it("a publication is withdrawn with a reason and published again", () => {
    const s = run(fullPath().slice(0, 18)).state
    expect(left(execute(s, { _tag: "WithdrawPublication", ...meta(staff, 211), reason: " " })).rule).toBe(
      "reason-required"
    )
    const withdrawn = right(
      execute(s, { _tag: "WithdrawPublication", ...meta(staff, 211), reason: "金额有误, 更正后重新公开" })
    ).state
    expect(asTopic(withdrawn).status).toBe("withdrawn")
    expect(asTopic(withdrawn).publication?.withdrawnAt).toBeDefined()
    expect(
      left(execute(withdrawn, { _tag: "GiveFeedback", ...meta(rep(4), 212), rating: "satisfied" })).rule
    ).toBe("status")
    const again = right(
      execute(withdrawn, {
        _tag: "Publish",
        ...meta(staff, 212),
        category: "residents-affairs",
        title: "议定事项落实情况(更正)",
        body: "已增设充电桩 12 个"
      })
    ).state
    expect(asTopic(again).status).toBe("published")
    expect(asTopic(again).publication?.withdrawnAt).toBeUndefined()
  })

  it("村规民约: a rule version is adopted only by a topic whose vote adopted the motion, in its own unit", () => {
    const document: Publication.RuleDocument = {
      id: "居民公约-c1",
      scope: Unit.UnitId.make("c1"),
      title: "塔利社区居民公约",
      versions: []
    }
    const carried = asTopic(run(fullPath().slice(0, 11)).state)
    const v1 = right(
      Deliberation.adoptRuleVersion(document, carried, { text: "第五条 楼道内禁止飞线充电", at: at(30) })
    )
    expect(v1.versions.map((v) => [v.version, v.adoptedBy])).toEqual([[1, "t-2024-06"]])
    const voting = asTopic(run(fullPath().slice(0, 10)).state)
    expect(left(Deliberation.adoptRuleVersion(document, voting, { text: "x", at: at(30) })).rule).toBe(
      "not-adopted"
    )
    expect(
      left(
        Deliberation.adoptRuleVersion({ ...document, scope: Unit.UnitId.make("c2") }, carried, {
          text: "x",
          at: at(30)
        })
      ).rule
    ).toBe("jurisdiction")
  })

  it("commands dated before the last event are refused", () => {
    expect(left(execute(upTo(3), { _tag: "PutOnAgenda", ...meta(staff, 0) })).rule).toBe("time-order")
  })
})

// ---------------------------------------------------------------------------
// properties
// ---------------------------------------------------------------------------

const votingState = (n: number, onePerHousehold: boolean) =>
  run([
    ...fullPath().slice(0, 5),
    { _tag: "OpenVote", ...meta(staff, 11), rule: voteRule(n, onePerHousehold) }
  ]).state

describe("Deliberation properties", () => {
  it.prop(
    "no double vote: in any order of ballots, each voter (or household) is accepted once; the closed result recomputes",
    [
      fc.integer({ min: 1, max: 12 }),
      fc.boolean(),
      fc.array(
        fc.record({
          voter: fc.nat(14),
          option: fc.constantFrom("agree", "disagree", "abstain"),
          byStaff: fc.boolean()
        }),
        { maxLength: 40 }
      )
    ],
    ([n, onePerHousehold, raw]) => {
      let state = votingState(n, onePerHousehold)
      const accepted = new Set<string>()
      for (const b of raw) {
        const actor = b.byStaff ? staff : rep(b.voter)
        const r = execute(state, {
          _tag: "CastBallot",
          ...meta(actor, 12),
          ballot: ballot(b.voter, b.option)
        })
        const key =
          b.voter < n ? (onePerHousehold ? `h${Math.floor(b.voter / 2)}` : `v${b.voter}`) : undefined
        if (Either.isRight(r)) {
          expect(key).toBeDefined()
          expect(accepted.has(key as string)).toBe(false)
          accepted.add(key as string)
          state = r.right.state
        } else {
          expect(r.left.rule).toBe(key === undefined ? "not-eligible" : "double-vote")
        }
      }
      const closed = asTopic(right(execute(state, { _tag: "CloseVote", ...meta(staff, 20) })).state)
      expect(closed.ballots).toHaveLength(accepted.size)
      expect(Deliberation.resultRecomputes(closed)).toBe(true)
      expect(closed.result?.ignored).toBe(0)
    }
  )

  const pool = (): ReadonlyArray<(h: number) => Deliberation.Command> => {
    const cmds = fullPath()
    const extra: Array<(h: number) => Deliberation.Command> = [
      (h) => ({ _tag: "Reject", ...meta(staff, h), reason: "重复议题" }),
      (h) => ({ _tag: "WithdrawPublication", ...meta(staff, h), reason: "更正" }),
      (h) => ({
        _tag: "CancelTask",
        ...meta(staff, h),
        taskId: TaskList.TaskId.make("t-2024-06-1"),
        reason: "已由物业解决"
      }),
      (h) => ({ _tag: "CastBallot", ...meta(rep(5), h), ballot: ballot(5, "agree") }),
      (h) => ({ _tag: "CastBallot", ...meta(rep(4), h), ballot: ballot(4, "abstain") }),
      (h) => ({ _tag: "Cosign", ...meta(rep(3), h) }),
      (h) => ({ _tag: "HoldMeeting", ...meta(staff, h), meeting: meeting(["楼长"]) }),
      (h) => ({ _tag: "CompleteTask", ...meta(staff, h), taskId: TaskList.TaskId.make("nope") })
    ]
    return [...cmds.map((c) => (h: number) => ({ ...c, at: at(h) })), ...extra]
  }

  it.prop(
    "random walks never throw; the state is the fold of the accepted events; sequences are gapless; results recompute",
    [
      fc.array(fc.record({ pick: fc.nat(), dt: fc.integer({ min: -1, max: 30 }), follow: fc.boolean() }), {
        minLength: 30,
        maxLength: 90
      })
    ],
    ([steps]) => {
      const commands = pool()
      const path = fullPath()
      let cursor = 0
      let state = Deliberation.initial
      const events: Array<Deliberation.Event> = []
      let h = 0
      for (const step of steps) {
        h += step.dt
        // half the steps follow the path (so walks get deep), the others are noise from the pool
        const following = step.follow && cursor < path.length
        const command = following
          ? { ...(path[cursor] as Deliberation.Command), at: at(h) }
          : (commands[step.pick % commands.length] as (h: number) => Deliberation.Command)(h)
        const r = execute(state, command)
        // a path step is done when accepted, or skipped when refused for a reason waiting cannot fix
        if (following && (Either.isRight(r) || r.left.rule !== "time-order")) cursor++
        if (Either.isRight(r)) {
          events.push(...r.right.events)
          state = r.right.state
        } else {
          expect(r.left).toBeInstanceOf(Deliberation.DeliberationRefused)
          expect(r.left.message.length).toBeGreaterThan(0)
        }
      }
      expect(state.version).toBe(events.length)
      expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1))
      expect(Deliberation.fold(events)).toEqual(state)
      expect(Deliberation.replay(events)).toEqual(Either.right(state))
      if (state._tag === "Topic") {
        expect(Deliberation.resultRecomputes(state)).toBe(true)
        const keys = state.ballots.map((b) => b.voterId)
        expect(new Set(keys).size).toBe(keys.length)
        if (state.status === "published" && state.tasks.length > 0) {
          expect(state.tasks.some(TaskList.isOpen)).toBe(false)
        }
      }
    }
  )

  it.prop(
    "the full path ends published, whatever the (non-decreasing) timing and the vote's size",
    [
      fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 19, maxLength: 19 }),
      fc.integer({ min: 0, max: 2 })
    ],
    ([gaps, extraAgree]) => {
      let h = 0
      const timed = fullPath().map((c, i) => {
        h += gaps[i] ?? 0
        return { ...c, at: at(h) }
      })
      const extra = Array.from({ length: extraAgree }, (_, k) => ({
        _tag: "CastBallot" as const,
        ...meta(rep(4 + k), 0),
        at: timed[9]?.at ?? at(0),
        ballot: ballot(4 + k, "agree")
      }))
      const { state } = run([...timed.slice(0, 10), ...extra, ...timed.slice(10)])
      const topic = asTopic(state)
      expect(topic.status).toBe("published")
      expect(Deliberation.resultRecomputes(topic)).toBe(true)
    }
  )
})

describe("Proposal", () => {
  it("reachesAgenda counts co-signers only for resident proposals", () => {
    expect(Proposal.reachesAgenda({ _tag: "ResidentProposal" }, 4, Proposal.defaultRule)).toBe(false)
    expect(Proposal.reachesAgenda({ _tag: "ResidentProposal" }, 5, Proposal.defaultRule)).toBe(true)
    expect(Proposal.reachesAgenda({ _tag: "Case", caseId: "c-1" }, 0, Proposal.defaultRule)).toBe(true)
  })
})

// ---------------------------------------------------------------------------
// standalone disclosures 单独公开 (财务公开, 政务公开 without a meeting)
// ---------------------------------------------------------------------------

const disclose = (
  h: number,
  fields: Partial<Omit<Deliberation.Command & { _tag: "Disclose" }, "_tag">> = {}
): Deliberation.Command => ({
  _tag: "Disclose",
  ...meta(staff, h),
  unitId: Unit.UnitId.make("c1"),
  category: "finance",
  title: "塔利社区2024年5月财务收支公开",
  body: "本月收入 12000 元, 支出 8500 元, 明细见公开栏",
  ...fields
})

describe("Deliberation: standalone disclosures", () => {
  it("a disclosure is raised and published at once: Submitted (source Disclosure) + Published, no meeting", () => {
    const { state, events } = run([disclose(0)])
    const topic = asTopic(state)
    expect(events.map((e) => [e._tag, e.sequence])).toEqual([
      ["Submitted", 1],
      ["Published", 2]
    ])
    expect(topic.status).toBe("published")
    expect(topic.source).toEqual({ _tag: "Disclosure" })
    expect(topic.meeting).toBeNull()
    expect(topic.publication?.category).toBe("finance")
    expect(topic.publication?.scope).toBe("c1")
    expect(DateTime.toEpochMillis(topic.publication?.retainUntil ?? at(0))).toBe(
      DateTime.toEpochMillis(DateTime.add(at(0), { days: 365 }))
    )
    expect(Deliberation.replay(events)).toEqual(Either.right(state))
    const codec = Schema.Array(Deliberation.Event)
    expect(
      Deliberation.fold(
        Schema.decodeUnknownSync(codec)(JSON.parse(JSON.stringify(Schema.encodeSync(codec)(events))))
      )
    ).toEqual(state)
  })

  it("refusals: a resident, another community, an unknown unit, personal data, a blank title, Submit as a disclosure", () => {
    const refusedBy = (command: Deliberation.Command, state = Deliberation.initial) =>
      left(execute(state, command)).rule
    expect(refusedBy({ ...disclose(0), actor: rep(1) })).toBe("role")
    expect(refusedBy({ ...disclose(0), actor: person("cs-2", "community-staff", "c2") })).toBe("jurisdiction")
    expect(Either.isRight(execute(Deliberation.initial, disclose(0, { actor: streetStaff })))).toBe(true)
    expect(refusedBy(disclose(0, { unitId: Unit.UnitId.make("nowhere") }))).toBe("unknown-unit")
    expect(refusedBy(disclose(0, { body: "联系人电话 13812345678" }))).toBe("personal-data")
    expect(refusedBy(disclose(0, { title: "   " }))).toBe("title-required")
    expect(refusedBy(disclose(5, { retainUntil: at(5) }))).toBe("retention")
    expect(
      refusedBy({
        _tag: "Submit",
        ...meta(staff, 0),
        unitId: Unit.UnitId.make("c1"),
        source: { _tag: "Disclosure" },
        title: "x",
        description: "y"
      })
    ).toBe("disclosure")
    const published = run([disclose(0)]).state
    expect(refusedBy(disclose(1), published)).toBe("topic-exists")
    expect(Proposal.reachesAgenda({ _tag: "Disclosure" }, 1000, Proposal.defaultRule)).toBe(false)
  })

  it("a disclosure is withdrawn with a reason and published again (corrected)", () => {
    const { state } = run([
      disclose(0),
      { _tag: "WithdrawPublication", ...meta(staff, 1), reason: "支出数额有误" },
      {
        _tag: "Publish",
        ...meta(staff, 2),
        category: "finance",
        title: "塔利社区2024年5月财务收支公开(更正)",
        body: "本月收入 12000 元, 支出 8300 元"
      }
    ])
    const topic = asTopic(state)
    expect(topic.status).toBe("published")
    expect(topic.publication?.title).toBe("塔利社区2024年5月财务收支公开(更正)")
    expect(topic.publication?.withdrawnAt).toBeUndefined()
  })

  it.prop(
    "whatever is tried on a disclosure, it never acquires co-signers, agenda, meeting, vote or resolution; only publish, withdraw and feedback are taken",
    [
      fc.array(fc.record({ pick: fc.nat(), dt: fc.integer({ min: 0, max: 30 }) }), {
        minLength: 1,
        maxLength: 60
      })
    ],
    ([steps]) => {
      const path = fullPath()
      const extra: ReadonlyArray<(h: number) => Deliberation.Command> = [
        (h) => ({ _tag: "WithdrawPublication", ...meta(staff, h), reason: "更正" }),
        (h) => ({ _tag: "Reject", ...meta(staff, h), reason: "x" }),
        (h) => ({ _tag: "HoldMeeting", ...meta(staff, h), meeting: meeting(["书记", "派出所", "城管中队"]) }),
        (h) => ({ _tag: "OpenVote", ...meta(staff, h), rule: voteRule() })
      ]
      const commands = [...path.map((c) => (h: number) => ({ ...c, at: at(h) })), ...extra]
      let { state } = run([disclose(0)])
      const events: Array<Deliberation.Event> = [...run([disclose(0)]).events]
      let h = 0
      for (const step of steps) {
        h += step.dt
        const command = (commands[step.pick % commands.length] as (h: number) => Deliberation.Command)(h)
        const r = execute(state, command)
        if (Either.isRight(r)) {
          expect(["Publish", "WithdrawPublication", "GiveFeedback"]).toContain(command._tag)
          events.push(...r.right.events)
          state = r.right.state
        } else if (!["Publish", "WithdrawPublication", "GiveFeedback"].includes(command._tag)) {
          expect(["disclosure", "role", "topic-exists", "time-order"]).toContain(r.left.rule)
        }
        const topic = asTopic(state)
        expect(["published", "withdrawn"]).toContain(topic.status)
        expect(topic.source._tag).toBe("Disclosure")
        expect([topic.cosigners, topic.ballots, topic.tasks]).toEqual([[], [], []])
        expect([topic.agendaAt, topic.meeting, topic.voteRule, topic.result, topic.resolutionText]).toEqual([
          null,
          null,
          null,
          null,
          null
        ])
      }
      expect(Deliberation.replay(events)).toEqual(Either.right(state))
    }
  )

  it.prop(
    "the personal-data rule applies: a disclosure is accepted exactly when Privacy would leave its title and body unchanged",
    [
      fc.constantFrom(
        "本月收支明细",
        "联系电话 13812345678",
        "邮箱 a.b@example.com",
        "经办人身份证 110101199003074512"
      ),
      fc.constantFrom("财务公开", "联系 13912345678 王会计")
    ],
    ([body, title]) => {
      const r = execute(Deliberation.initial, disclose(0, { body, title }))
      const clean = Privacy.scrub(body) === body && Privacy.scrub(title) === title
      expect(Either.isRight(r)).toBe(clean)
      if (Either.isLeft(r)) expect(r.left.rule).toBe("personal-data")
    }
  )

  it.prop(
    "retention: an explicit end after publication is kept, one at or before it is refused, none means the category's default",
    [
      fc.constantFrom(...Publication.Category.literals),
      fc.option(fc.integer({ min: -100, max: 10_000 }), { nil: undefined })
    ],
    ([category, offset]) => {
      const r = execute(
        Deliberation.initial,
        disclose(10, { category, ...(offset === undefined ? {} : { retainUntil: at(10 + offset) }) })
      )
      if (offset !== undefined && offset <= 0) {
        expect(left(r).rule).toBe("retention")
        return
      }
      const publication = asTopic(right(r).state).publication
      const expected =
        offset === undefined ? Publication.defaultRetainUntil(category, at(10)) : at(10 + offset)
      expect(DateTime.toEpochMillis(publication?.retainUntil ?? at(0))).toBe(DateTime.toEpochMillis(expected))
      expect(Publication.isVisible(publication as Publication.Publication, at(10))).toBe(true)
    }
  )
})

// ---------------------------------------------------------------------------
// 村规民约: a resolution adopts a version of the unit's rule document
// ---------------------------------------------------------------------------

const carriedTopic = (id: string, unit = "c1") => {
  const topicId = Deliberation.TopicId.make(id)
  return run(
    fullPath()
      .slice(0, 11)
      .map((c) =>
        c._tag === "Submit"
          ? { ...c, topicId, unitId: Unit.UnitId.make(unit) }
          : {
              ...c,
              topicId,
              actor: c.actor.role === "resident" ? c.actor : person(c.actor.id, c.actor.role, unit)
            }
      )
  ).state
}

const adopting = (h: number, text: string, documentId = "公约"): typeof Deliberation.Resolve.Type => ({
  _tag: "Resolve",
  ...meta(staff, h),
  text: "修订居民公约",
  items: resolutionItems(),
  adopts: { documentId, title: "塔利社区居民公约", text }
})

describe("Deliberation: rule documents adopted by resolution", () => {
  it("a resolution records the version it adopts; ruleDocuments numbers the versions with the adopting topics", () => {
    const first = right(
      execute(carriedTopic("t-a"), {
        ...adopting(30, "第一条 爱护公共设施"),
        topicId: Deliberation.TopicId.make("t-a")
      })
    )
    const second = right(
      execute(carriedTopic("t-b"), {
        ...adopting(40, "第一条 爱护公共设施; 第五条 禁止飞线充电"),
        topicId: Deliberation.TopicId.make("t-b")
      })
    )
    const resolved = first.events.find((e) => e._tag === "Resolved")
    expect(resolved?._tag === "Resolved" ? resolved.adopts?.documentId : undefined).toBe("公约")
    const [document, ...others] = Deliberation.ruleDocuments([asTopic(second.state), asTopic(first.state)])
    expect(others).toEqual([])
    expect(document?.scope).toBe("c1")
    expect(document?.versions.map((v) => [v.version, v.adoptedBy, v.text])).toEqual([
      [1, "t-a", "第一条 爱护公共设施"],
      [2, "t-b", "第一条 爱护公共设施; 第五条 禁止飞线充电"]
    ])
    expect(Publication.versionAt(document as Publication.RuleDocument, at(35))?.version).toBe(1)
    expect(Publication.versionAt(document as Publication.RuleDocument, at(41))?.version).toBe(2)
  })

  it("refusals: blank text, personal data, blank title; a topic not carried cannot resolve", () => {
    const carried = carriedTopic(TOPIC)
    expect(left(execute(carried, adopting(30, "  "))).rule).toBe("text-required")
    expect(left(execute(carried, adopting(30, "联系人 13812345678"))).rule).toBe("personal-data")
    expect(
      left(
        execute(carried, {
          ...adopting(30, "条文"),
          adopts: { documentId: "公约", title: " ", text: "条文" }
        })
      ).rule
    ).toBe("title-required")
    const voting = run(fullPath().slice(0, 10)).state
    expect(left(execute(voting, adopting(30, "条文"))).rule).toBe("status")
  })

  it.prop(
    "version order: whatever order topics are resolved in and listed in, each document's versions are numbered 1..n in adoption time order, per unit",
    [
      fc.array(
        fc.record({
          h: fc.integer({ min: 21, max: 500 }),
          doc: fc.constantFrom("公约", "村规"),
          unit: fc.constantFrom("c1", "c2")
        }),
        { minLength: 1, maxLength: 8 }
      ),
      fc.boolean()
    ],
    ([adoptions, reversed]) => {
      const topics = adoptions.map((a, i) => {
        const id = `t-${i}`
        const r = right(
          execute(carriedTopic(id, a.unit), {
            ...adopting(a.h, `第${i + 1}版条文`, a.doc),
            topicId: Deliberation.TopicId.make(id),
            actor: person("cs-1", "community-staff", a.unit)
          })
        )
        return asTopic(r.state)
      })
      const documents = Deliberation.ruleDocuments(reversed ? [...topics].reverse() : topics)
      const total = documents.reduce((n, d) => n + d.versions.length, 0)
      expect(total).toBe(adoptions.length)
      for (const d of documents) {
        expect(d.versions.map((v) => v.version)).toEqual(d.versions.map((_, i) => i + 1))
        for (let i = 1; i < d.versions.length; i++) {
          const prev = d.versions[i - 1] as Publication.RuleVersion
          const cur = d.versions[i] as Publication.RuleVersion
          expect(DateTime.lessThanOrEqualTo(prev.adoptedAt, cur.adoptedAt)).toBe(true)
        }
        for (const v of d.versions) {
          const topic = topics.find((t) => t.id === v.adoptedBy)
          expect(topic?.unitId).toBe(d.scope)
          expect(topic?.adopts?.documentId).toBe(d.id)
          expect(topic?.adopts?.text).toBe(v.text)
        }
      }
    }
  )
})
