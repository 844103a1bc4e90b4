/**
 * 议事协商指标 — counts per unit and period, no data stays no data, rollups add
 * counts; plus the pure parts of Meeting, Resolution and Publication.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as AccessList from "../src/AccessList.js"
import { ActorId } from "../src/Actor.js"
import type * as Deliberation from "../src/Deliberation.js"
import * as DeliberationMetrics from "../src/DeliberationMetrics.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Meeting from "../src/Meeting.js"
import { ProblemId } from "../src/ProblemList.js"
import * as Publication from "../src/Publication.js"
import * as Ratio from "../src/Ratio.js"
import * as Resolution from "../src/Resolution.js"
import * as TaskList from "../src/TaskList.js"
import * as Unit from "../src/Unit.js"
import * as Vote from "../src/Vote.js"

const DAY = 86_400_000
const T0 = Date.UTC(2024, 5, 1)
const day = (n: number): DateTime.Utc => DateTime.unsafeMake(T0 + n * DAY)
const june: DeliberationMetrics.Period = { start: day(0), end: day(30) }

const right = <A, E>(e: Either.Either<A, E>): A => {
  if (Either.isLeft(e)) throw new Error(`expected Right, got ${String(e.left)}`)
  return e.right
}

const hierarchy = right(
  Hierarchy.make(LevelScheme.FiveLevel, [
    Unit.make({ id: "d", parentId: null, level: "district", name: "某区" }),
    Unit.make({ id: "s", parentId: "d", level: "street", name: "某街道" }),
    Unit.make({ id: "c1", parentId: "s", level: "community", name: "甲社区" }),
    Unit.make({ id: "c2", parentId: "s", level: "community", name: "乙社区" })
  ])
)

const invitee = (id: string, member: boolean): Meeting.Invitee => ({
  id: Meeting.ParticipantId.make(id),
  label: id,
  affiliation: "居民代表",
  member
})
const meeting = (members: number, present: number, guests = 0): Meeting.Meeting => ({
  kind: Meeting.KindId.make("residents-council"),
  convenedBy: "社区居委会",
  agenda: ["议题"],
  invitees: [
    ...Array.from({ length: members }, (_, i) => invitee(`m${i}`, true)),
    ...Array.from({ length: guests }, (_, i) => invitee(`g${i}`, false))
  ],
  attendees: [
    ...Array.from({ length: present }, (_, i) => Meeting.ParticipantId.make(`m${i}`)),
    ...Array.from({ length: guests }, (_, i) => Meeting.ParticipantId.make(`g${i}`))
  ],
  minutes: "纪要"
})

const task = (deadline: number, done: number | null): TaskList.Task => {
  const t = TaskList.make({
    id: `t${deadline}-${done}`,
    problemId: "p",
    title: "任务",
    resourceIds: [],
    owner: TaskList.unitOwner("c1"),
    deadline: day(deadline)
  })
  if (done === null) return t
  return right(TaskList.complete(right(TaskList.start(t, { at: day(0) })), { at: day(done) }))
}

const topic = (fields: Partial<Deliberation.Topic> & { readonly unit?: string }): Deliberation.Topic => ({
  _tag: "Topic",
  id: "x" as Deliberation.TopicId,
  version: 1,
  status: "proposed",
  unitId: Unit.UnitId.make(fields.unit ?? "c1"),
  source: { _tag: "ResidentProposal" },
  title: "t",
  description: "",
  proposer: ActorId.make("v0"),
  cosigners: [],
  submittedAt: day(1),
  agendaAt: null,
  rejectReason: null,
  meeting: null,
  heldAt: null,
  voteRule: null,
  ballots: [],
  result: null,
  votedAt: null,
  resolutionText: null,
  resolvedAt: null,
  tasks: [],
  implementedAt: null,
  implementedOnTime: null,
  publication: null,
  feedback: [],
  updatedAt: day(1),
  ...fields
})

const published = (at: number): Publication.Publication =>
  right(
    Publication.publish(
      { scope: Unit.UnitId.make("c1"), category: "residents-affairs", title: "公开", body: "落实情况" },
      day(at)
    )
  )

describe("DeliberationMetrics", () => {
  it("counts meetings, participation (members only), proposals reaching the agenda", () => {
    const m = DeliberationMetrics.total(
      [
        topic({ agendaAt: day(2), meeting: meeting(4, 3, 2), heldAt: day(5) }),
        topic({ meeting: meeting(5, 2), heldAt: day(40) }), // held outside the period
        topic({ source: { _tag: "Problem", problemId: ProblemId.make("p") } }) // not a resident proposal
      ],
      june
    )
    expect(m.meetingsHeld).toBe(1)
    expect(m.participation).toEqual(Ratio.make(3, 4))
    expect(m.proposalsOnAgenda).toEqual(Ratio.make(1, 2))
  })

  it("resolutions on time are counted over those due in the period; publication within 7 days is timely", () => {
    const onTime = topic({
      resolvedAt: day(2),
      tasks: [task(10, 8), task(12, 12)],
      implementedAt: day(12),
      implementedOnTime: true,
      publication: published(19)
    })
    const late = topic({
      resolvedAt: day(2),
      tasks: [task(10, 11)],
      implementedAt: day(11),
      implementedOnTime: false,
      publication: published(20)
    })
    const open = topic({ resolvedAt: day(2), tasks: [task(15, null)] })
    const notDue = topic({ resolvedAt: day(2), tasks: [task(45, null)] })
    const m = DeliberationMetrics.total([onTime, late, open, notDue], june)
    expect(m.resolutionsOnTime).toEqual(Ratio.make(1, 3))
    // onTime published 7 days after implementation (timely), late 9 days after (not)
    expect(m.publicationTimely).toEqual(Ratio.make(1, 2))
  })

  it("no topics is no data, never 0%", () => {
    const m = DeliberationMetrics.total([], june)
    expect(Option.isNone(Ratio.rate(m.participation))).toBe(true)
    expect(m.meetingsHeld).toBe(0)
  })

  it.prop(
    "rollup adds counts: the root equals the total of all topics",
    [
      fc.array(
        fc.record({
          unit: fc.constantFrom("c1", "c2", "s"),
          members: fc.integer({ min: 0, max: 6 }),
          present: fc.integer({ min: 0, max: 6 }),
          heldDay: fc.integer({ min: -5, max: 40 }),
          onAgenda: fc.boolean()
        }),
        { maxLength: 30 }
      )
    ],
    ([rows]) => {
      const topics = rows.map((r) =>
        topic({
          unit: r.unit,
          agendaAt: r.onAgenda ? day(2) : null,
          meeting: meeting(r.members, Math.min(r.present, r.members)),
          heldAt: day(r.heldDay)
        })
      )
      const byUnit = DeliberationMetrics.byUnit(topics, june)
      const rolled = DeliberationMetrics.rollup(hierarchy, byUnit)
      const total = DeliberationMetrics.total(topics, june)
      expect(rolled.root).toEqual(total)
      expect(total.meetingsHeld).toBe(rows.filter((r) => r.heldDay >= 0 && r.heldDay < 30).length)
      expect(total.participation.numerator).toBeLessThanOrEqual(total.participation.denominator)
    }
  )
})

describe("Meeting", () => {
  const kinds = Meeting.defaultKinds
  it("quorum: more than half of the members; open kinds need none", () => {
    expect(Meeting.check(kinds, meeting(4, 2))).toEqual(["quorum-not-met"])
    expect(Meeting.check(kinds, meeting(4, 3))).toEqual([])
    expect(Meeting.check(kinds, { ...meeting(4, 0), kind: Meeting.KindId.make("dialogue") })).toEqual([])
  })
  it("reports every broken rule", () => {
    const bad: Meeting.Meeting = {
      ...meeting(2, 2),
      kind: Meeting.KindId.make("tea-party"),
      attendees: [Meeting.ParticipantId.make("stranger")],
      minutes: " "
    }
    expect(Meeting.check(kinds, bad)).toEqual(["unknown-kind", "attendee-not-invited", "minutes-required"])
  })
})

describe("Resolution.toTasks", () => {
  const accessList = right(
    AccessList.make({
      positive: [],
      negative: [
        { code: AccessList.WorkCode.make("N-01"), name: "招商引资", authority: "区委", basis: "准入制度" }
      ]
    })
  )
  const item = (owner: TaskList.Owner, code?: string): Resolution.Item => ({
    title: "事项",
    ...(code === undefined ? {} : { workCode: AccessList.WorkCode.make(code) }),
    problemId: ProblemId.make("p"),
    owner,
    deadline: day(10)
  })
  it("refuses every item on the negative list or with an unknown owner, and names the index", () => {
    const refused = Resolution.toTasks(
      "r1",
      [
        item(TaskList.unitOwner("c1"), "N-01"),
        item(TaskList.unitOwner("c1")),
        item(TaskList.unitOwner("zz"))
      ],
      { hierarchy, accessList },
      day(0)
    )
    expect(Either.isLeft(refused) && refused.left.map((r) => [r.index, r.error._tag])).toEqual([
      [0, "AccessRefused"],
      [2, "TaskRefused"]
    ])
  })
  it("the street is not governed by the community list; tasks are numbered by item", () => {
    const tasks = right(
      Resolution.toTasks("r1", [item(TaskList.unitOwner("s"), "N-01")], { hierarchy, accessList }, day(0))
    )
    expect(tasks.map((t) => t.id)).toEqual(["r1-1"])
  })
})

describe("Publication", () => {
  const content: Publication.Content = {
    scope: Unit.UnitId.make("c1"),
    category: "finance",
    title: "2024年第二季度财务公开",
    body: "收入 12000 元, 支出 8000 元"
  }
  it("refuses personal data and a retention ending before publication", () => {
    expect(Either.isRight(Publication.publish(content, day(0)))).toBe(true)
    expect(Publication.publish({ ...content, body: "经手人身份证 530102199001011234" }, day(0))).toEqual(
      Either.left(["personal-data"])
    )
    expect(Publication.publish(content, day(5), day(5))).toEqual(Either.left(["retention"]))
  })
  it("is visible until withdrawn or past its retention", () => {
    const p = right(Publication.publish(content, day(0), day(10)))
    expect(Publication.isVisible(p, day(10))).toBe(true)
    expect(Publication.isVisible(p, day(11))).toBe(false)
    const w = right(Publication.withdraw(p, day(1), "数据有误, 更正后重新公开"))
    expect(Publication.isVisible(w, day(2))).toBe(false)
    expect(Publication.withdraw(w, day(2), "again")).toEqual(Either.left("already-withdrawn"))
  })
  it("村规民约: versions adopted by resolution, in order; the version in force at a date", () => {
    const doc0: Publication.RuleDocument = {
      id: "rules-c1",
      scope: Unit.UnitId.make("c1"),
      title: "居民公约",
      versions: []
    }
    const v1 = right(Publication.adoptVersion(doc0, { text: "第一条 …", adoptedBy: "t-1", at: day(1) }))
    const v2 = right(Publication.adoptVersion(v1, { text: "第一条 (修订) …", adoptedBy: "t-9", at: day(20) }))
    expect(v2.versions.map((v) => [v.version, v.adoptedBy])).toEqual([
      [1, "t-1"],
      [2, "t-9"]
    ])
    expect(Publication.versionAt(v2, day(10))?.version).toBe(1)
    expect(Publication.versionAt(v2, day(0))).toBeUndefined()
    expect(Publication.adoptVersion(v2, { text: "x", adoptedBy: "t-3", at: day(5) })).toEqual(
      Either.left("time-order")
    )
  })
})

describe("Vote electorate size", () => {
  it("counts households under 一户一票", () => {
    const roll = [0, 1, 2].map((i) => ({
      voterId: Vote.VoterId.make(`v${i}`),
      household: Vote.HouseholdKey.make(i < 2 ? "h0" : "h1")
    }))
    expect(Vote.electorateSize({ basis: "household", onePerHousehold: true, roll })).toBe(2)
    expect(Vote.electorateSize({ basis: "owner", onePerHousehold: false, roll })).toBe(3)
  })
})

describe("DeliberationMetrics.spanOf", () => {
  const iso = (p: DeliberationMetrics.Period) => [DateTime.formatIso(p.start), DateTime.formatIso(p.end)]

  it("a year, a quarter, a month, a week, a day at +08:00; a range of labels", () => {
    expect(iso(Either.getOrThrow(DeliberationMetrics.spanOf("2025")))).toEqual([
      "2024-12-31T16:00:00.000Z",
      "2025-12-31T16:00:00.000Z"
    ])
    expect(Either.getOrThrow(DeliberationMetrics.spanOf("2025年"))).toEqual(
      Either.getOrThrow(DeliberationMetrics.spanOf("2025"))
    )
    expect(iso(Either.getOrThrow(DeliberationMetrics.spanOf("2025-Q2")))).toEqual([
      "2025-03-31T16:00:00.000Z",
      "2025-06-30T16:00:00.000Z"
    ])
    expect(iso(Either.getOrThrow(DeliberationMetrics.spanOf("2025-03-15")))).toEqual([
      "2025-03-14T16:00:00.000Z",
      "2025-03-15T16:00:00.000Z"
    ])
    expect(Either.getOrThrow(DeliberationMetrics.spanOf("2025-04", "2025-06"))).toEqual(
      Either.getOrThrow(DeliberationMetrics.spanOf("2025-Q2"))
    )
    expect(iso(Either.getOrThrow(DeliberationMetrics.spanOf("2024", "2025-Q1")))).toEqual([
      "2023-12-31T16:00:00.000Z",
      "2025-03-31T16:00:00.000Z"
    ])
  })

  it("refuses what is not a label, and a range ending before it starts", () => {
    const bad = DeliberationMetrics.spanOf("2025-13")
    expect(Either.isLeft(bad) && bad.left.label).toBe("2025-13")
    const backwards = DeliberationMetrics.spanOf("2025-04", "2025-02")
    expect(Either.isLeft(backwards) && [backwards.left.label, backwards.left.message]).toEqual([
      "2025-02",
      expect.stringContaining("to-before-period")
    ])
    expect(Either.isLeft(DeliberationMetrics.spanOf("2025", "later"))).toBe(true)
  })

  it.prop(
    "a year is its four quarters, and its months laid end to end",
    [fc.integer({ min: 1990, max: 2100 })],
    ([y]) => {
      const year = Either.getOrThrow(DeliberationMetrics.spanOf(String(y)))
      expect(Either.getOrThrow(DeliberationMetrics.spanOf(`${y}-Q1`, `${y}-Q4`))).toEqual(year)
      expect(Either.getOrThrow(DeliberationMetrics.spanOf(`${y}-01`, `${y}-12`))).toEqual(year)
      expect(DateTime.lessThan(year.start, year.end)).toBe(true)
    }
  )
})
