/**
 * 议事协商仓库 — the in-memory store: a topic goes proposal → meeting → vote
 * → supervised tasks → published through `handle`; reads by jurisdiction; the
 * public list shows no personal data; a stale or racing writer gets a typed
 * conflict with no event lost; a double vote and a voter off the roll are
 * refused by the decider; metrics over the stored topics.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import { type Actor, ActorId, type Role } from "../src/Actor.js"
import * as Deliberation from "../src/Deliberation.js"
import * as Repo from "../src/DeliberationRepository.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Meeting from "../src/Meeting.js"
import { ProblemId } from "../src/ProblemList.js"
import * as TaskList from "../src/TaskList.js"
import * as Unit from "../src/Unit.js"
import * as Vote from "../src/Vote.js"

const HOUR = 3_600_000
const T0 = Date.UTC(2024, 5, 3, 1)
const at = (h: number): DateTime.Utc => DateTime.unsafeMake(T0 + h * HOUR)
const rows = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "某区" }),
  Unit.make({ id: "s", parentId: "d", level: "street", name: "某街道" }),
  Unit.make({ id: "c1", parentId: "s", level: "community", name: "塔利社区" }),
  Unit.make({ id: "c2", parentId: "s", level: "community", name: "邻社区" })
]
const person = (id: string, role: Role, unit = "c1"): Actor => ({
  id: ActorId.make(id),
  role,
  unitId: Unit.UnitId.make(unit)
})
const staff = person("cs-1", "community-staff")
const streetStaff = person("ss-1", "street-staff", "s")
const rep = (i: number) => person(`v${i}`, "resident")
const TopicId = Deliberation.TopicId
const T = TopicId.make("t-1")
const meta = (actor: Actor, h: number) => ({ topicId: T, actor, at: at(h) })
const voteRule: Vote.VoteRule = {
  electorate: {
    basis: "representative",
    onePerHousehold: false,
    roll: Array.from({ length: 6 }, (_, i) => ({
      voterId: Vote.VoterId.make(`v${i}`),
      household: Vote.HouseholdKey.make(`h${i}`)
    }))
  },
  options: Vote.standardOptions,
  threshold: Vote.defaultThreshold
}
const invitee = (id: string): Meeting.Invitee => ({
  id: Meeting.ParticipantId.make(id),
  label: id,
  affiliation: "社区大党委",
  member: true
})
const ballot = (i: number, option: string): Vote.Ballot => ({
  voterId: Vote.VoterId.make(`v${i}`),
  option: Vote.OptionId.make(option)
})
const task = (n: number) => TaskList.TaskId.make(`t-1-${n}`)

const untilVote: ReadonlyArray<Deliberation.Command> = [
  {
    _tag: "Submit",
    ...meta(rep(0), 0),
    unitId: Unit.UnitId.make("c1"),
    source: { _tag: "ResidentProposal" },
    title: "整治飞线充电",
    description: "楼道飞线充电存在火灾隐患"
  },
  { _tag: "Cosign", ...meta(rep(1), 1) },
  { _tag: "Cosign", ...meta(rep(2), 2) },
  { _tag: "PutOnAgenda", ...meta(staff, 3) },
  {
    _tag: "HoldMeeting",
    ...meta(staff, 10),
    meeting: {
      kind: Meeting.KindId.make("joint-meeting"),
      convenedBy: "社区大党委",
      agenda: ["飞线充电整治"],
      invitees: [invitee("书记"), invitee("派出所"), invitee("物业")],
      attendees: [Meeting.ParticipantId.make("书记"), Meeting.ParticipantId.make("派出所")],
      minutes: "议定: 增设充电桩"
    }
  },
  { _tag: "OpenVote", ...meta(staff, 11), rule: voteRule }
]
const afterVote: ReadonlyArray<Deliberation.Command> = [
  { _tag: "CastBallot", ...meta(rep(0), 12), ballot: ballot(0, "agree") },
  { _tag: "CastBallot", ...meta(rep(1), 12), ballot: ballot(1, "agree") },
  { _tag: "CastBallot", ...meta(rep(2), 12), ballot: ballot(2, "agree") },
  { _tag: "CastBallot", ...meta(rep(3), 12), ballot: ballot(3, "agree") },
  { _tag: "CloseVote", ...meta(staff, 20) },
  {
    _tag: "Resolve",
    ...meta(staff, 21),
    text: "增设充电桩, 限期督办",
    items: [
      {
        title: "增设充电桩",
        problemId: ProblemId.make("p-1"),
        owner: TaskList.unitOwner("c1"),
        deadline: at(400)
      },
      {
        title: "清理飞线",
        problemId: ProblemId.make("p-2"),
        owner: TaskList.unitOwner("c1"),
        deadline: at(400)
      }
    ]
  },
  { _tag: "StartTask", ...meta(staff, 22), taskId: task(1) },
  {
    _tag: "SuperviseTask",
    ...meta(streetStaff, 23),
    taskId: task(2),
    level: "street",
    unitId: Unit.UnitId.make("s")
  },
  { _tag: "StartTask", ...meta(staff, 24), taskId: task(2) },
  { _tag: "CompleteTask", ...meta(staff, 100), taskId: task(1) },
  { _tag: "CompleteTask", ...meta(staff, 200), taskId: task(2) },
  {
    _tag: "Publish",
    ...meta(staff, 210),
    category: "residents-affairs",
    title: "飞线充电整治落实情况",
    body: "经联席会协商、居民代表表决通过, 已增设充电桩并清理飞线"
  }
]

const layer = Repo.layerMemory.pipe(Layer.provideMerge(HierarchyRepository.layerMemory))

const setup = Effect.gen(function* () {
  yield* (yield* HierarchyRepository.HierarchyRepository).save(LevelScheme.FiveLevel, rows)
  const config = yield* Repo.configWith({ proposal: { minCosigners: 2 }, meetingKinds: Meeting.defaultKinds })
  const run = (commands: ReadonlyArray<Deliberation.Command>) =>
    Effect.forEach(commands, (command) => Repo.handle({ command, config }), { discard: true })
  return { config, run, repo: yield* Repo.DeliberationRepository }
})

describe("DeliberationRepository — the in-memory store", () => {
  it.effect(
    "a proposal goes through a meeting and a vote to supervised tasks, implemented and published",
    () =>
      Effect.gen(function* () {
        const { repo, run } = yield* setup
        yield* run([...untilVote, ...afterVote])
        const topic = yield* repo.topic(T)
        expect(topic.status).toBe("published")
        expect(topic.tasks.map((t) => [t.status, t.supervision?.level])).toEqual([
          ["done", undefined],
          ["done", "street"]
        ])
        expect((yield* repo.events(T)).map((e) => e.sequence)).toEqual(
          Array.from({ length: topic.version }, (_, i) => i + 1)
        )
        expect((yield* repo.topics({ within: "s" })).map((t) => t.id)).toEqual([T])
        expect(yield* repo.topics({ within: "c2" })).toEqual([])
        expect((yield* repo.topics({ statuses: ["published"] })).length).toBe(1)
        const shown = yield* repo.publications({ now: at(300) })
        expect(shown.map((e) => e.topicId)).toEqual([T])
        const text = JSON.stringify(shown)
        for (const secret of ["v0", "v1", "书记", "cs-1", "ballot", "proposer"])
          expect(text).not.toContain(secret)
        expect(yield* repo.publications({ now: at(300), within: "c2" })).toEqual([])
        expect(yield* repo.publications({ now: at(0) })).toEqual([])
        const report = yield* Repo.metrics("s", { start: at(0), end: at(1000) })
        expect(report.total.meetingsHeld).toBe(1)
        expect(report.byUnit.map((u) => u.unitId)).toEqual(["c1"])
        expect(report.total.resolutionsOnTime).toEqual({ numerator: 1, denominator: 1 })
      }).pipe(Effect.provide(layer))
  )

  it.effect("a double vote and a voter off the roll are refused by the decider; nothing appended", () =>
    Effect.gen(function* () {
      const { repo, run, config } = yield* setup
      yield* run([...untilVote, afterVote[0] as Deliberation.Command])
      const before = (yield* repo.events(T)).length
      const again = yield* Effect.flip(Repo.handle({ command: afterVote[0] as Deliberation.Command, config }))
      expect(again._tag === "DeliberationRefused" && again.rule).toBe("double-vote")
      const stranger = person("x9", "resident")
      const off = yield* Effect.flip(
        Repo.handle({
          command: {
            _tag: "CastBallot",
            topicId: T,
            actor: stranger,
            at: at(12),
            ballot: { voterId: Vote.VoterId.make("x9"), option: Vote.OptionId.make("agree") }
          },
          config
        })
      )
      expect(off._tag === "DeliberationRefused" && off.rule).toBe("not-eligible")
      expect((yield* repo.events(T)).length).toBe(before)
    }).pipe(Effect.provide(layer))
  )

  it.effect("stale and racing writers get a typed conflict; no event is lost or doubled", () =>
    Effect.gen(function* () {
      const { repo, run, config } = yield* setup
      yield* run(untilVote)
      const version = (yield* repo.events(T)).length
      const stale = yield* Effect.flip(
        Repo.handle({ command: afterVote[0] as Deliberation.Command, config, expectedVersion: version - 1 })
      )
      expect(stale).toEqual(
        new Repo.DeliberationConcurrencyConflict({
          topicId: T,
          expectedVersion: version - 1,
          actualVersion: version
        })
      )
      const results = yield* Effect.forEach(
        [0, 1, 2, 3],
        (i) =>
          Effect.either(
            Repo.handle({
              command: afterVote[i] as Deliberation.Command,
              config,
              expectedVersion: version
            })
          ),
        { concurrency: "unbounded" }
      )
      const won = results.filter(Either.isRight)
      expect(won.length).toBe(1)
      for (const r of results.filter(Either.isLeft))
        expect(r.left._tag).toBe("DeliberationConcurrencyConflict")
      const topic = yield* repo.topic(T)
      expect(topic.ballots.length).toBe(1)
      expect(topic.version).toBe(version + 1)
    }).pipe(Effect.provide(layer))
  )

  it.effect("an append that does not continue the history, or names an unknown unit, is refused whole", () =>
    Effect.gen(function* () {
      const { repo, run } = yield* setup
      yield* run(untilVote)
      const events = yield* repo.events(T)
      const gap = yield* Effect.flip(
        repo.append({
          topicId: T,
          expectedVersion: events.length,
          events: [{ ...(events[1] as Deliberation.Event), sequence: events.length + 2 }]
        })
      )
      expect(gap._tag).toBe("DeliberationReplayError")
      const first = events[0] as Deliberation.Event & { readonly _tag: "Submitted" }
      const nowhere = yield* Effect.flip(
        repo.append({
          topicId: "t-2",
          expectedVersion: 0,
          events: [{ ...first, topicId: TopicId.make("t-2"), unitId: Unit.UnitId.make("zz") }]
        })
      )
      expect(nowhere._tag).toBe("UnitNotFound")
      expect(yield* repo.events("t-2")).toEqual([])
      expect(yield* Effect.flip(repo.topic("t-2"))).toEqual(new Repo.TopicNotFound({ topicId: "t-2" }))
    }).pipe(Effect.provide(layer))
  )

  it.effect.prop(
    "ballots cast in any order, repeated and from voters off the roll: one stored ballot per elector who voted, the result recomputes from them, and the stored topic is the fold of the stored events",
    [
      fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.constantFrom("agree", "disagree", "abstain")), {
        maxLength: 20
      })
    ],
    ([votes]) =>
      Effect.gen(function* () {
        const { repo, run, config } = yield* setup
        yield* run(untilVote)
        for (const [i, option] of votes) {
          const outcome = yield* Effect.either(
            Repo.handle({
              command: { _tag: "CastBallot", ...meta(rep(i), 12), ballot: ballot(i, option) },
              config
            })
          )
          if (Either.isLeft(outcome)) {
            const e = outcome.left
            expect(e._tag === "DeliberationRefused" && e.rule).toBe(i >= 6 ? "not-eligible" : "double-vote")
          }
        }
        yield* run([{ _tag: "CloseVote", ...meta(staff, 20) }])
        const topic = yield* repo.topic(T)
        const electors = [...new Set(votes.map(([i]) => i).filter((i) => i < 6))]
        expect(topic.ballots.map((b) => b.voterId).sort()).toEqual(electors.map((i) => `v${i}`).sort())
        // each elector's first ballot is the one that counts
        for (const i of electors)
          expect(topic.ballots.find((b) => b.voterId === `v${i}`)?.option).toBe(
            votes.find(([j]) => j === i)?.[1]
          )
        expect(Deliberation.resultRecomputes(topic)).toBe(true)
        expect(Deliberation.fold(yield* repo.events(T))).toEqual(topic)
      }).pipe(Effect.provide(layer)),
    { fastCheck: { numRuns: 50 } }
  )
})
