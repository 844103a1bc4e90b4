/**
 * The deliberation suites' stores and scenario: the core's in-memory
 * `DeliberationRepository` and `SqlDeliberationRepository` on every dialect
 * in `dialects` (a fresh, migrated database per layer build); the commands of
 * a topic from a resident representative's proposal through a meeting and a
 * vote to supervised tasks, implemented and published.
 */
import { type Actor, ActorId, type Role } from "@civicgrid/core/Actor"
import type * as Deliberation from "@civicgrid/core/Deliberation"
import { TopicId } from "@civicgrid/core/Deliberation"
import * as DeliberationRepository from "@civicgrid/core/DeliberationRepository"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as Meeting from "@civicgrid/core/Meeting"
import { ProblemId } from "@civicgrid/core/ProblemList"
import * as TaskList from "@civicgrid/core/TaskList"
import * as Unit from "@civicgrid/core/Unit"
import * as Vote from "@civicgrid/core/Vote"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Migrations from "../../src/Migrations.js"
import * as SqlDeliberationRepository from "../../src/SqlDeliberationRepository.js"
import * as SqlHierarchyRepository from "../../src/SqlHierarchyRepository.js"
import { type Dialect, dialects } from "./Databases.js"

/** The ports a deliberation suite uses. */
export type DeliberationStores =
  | HierarchyRepository.HierarchyRepository
  | DeliberationRepository.DeliberationRepository

/** A deliberation store under test. */
export interface DeliberationTarget {
  readonly name: "memory" | Dialect["name"]
  readonly layer: () => Layer.Layer<DeliberationStores>
}

/** The in-memory store. */
export const memory: DeliberationTarget = {
  name: "memory",
  layer: () => DeliberationRepository.layerMemory.pipe(Layer.provideMerge(HierarchyRepository.layerMemory))
}

/** The SQL store on one dialect: a fresh database, migrated. */
export const sqlTarget = (dialect: Dialect): DeliberationTarget => ({
  name: dialect.name,
  layer: () => {
    const migrated = Layer.effectDiscard(Effect.orDie(Migrations.run)).pipe(
      Layer.provideMerge(dialect.fresh())
    )
    return SqlDeliberationRepository.layer.pipe(
      Layer.provideMerge(SqlHierarchyRepository.layer),
      Layer.provideMerge(migrated)
    )
  }
})

/** Every target: memory, then the SQL dialects (SQLite always, PostgreSQL when configured). */
export const targets: ReadonlyArray<DeliberationTarget> = [memory, ...dialects.map(sqlTarget)]

const HOUR = 3_600_000
const T0 = Date.UTC(2024, 5, 3, 1)

/** Hours after the scenario's start. */
export const at = (h: number): DateTime.Utc => DateTime.unsafeMake(T0 + h * HOUR)

/** An actor of a unit. */
export const person = (id: string, role: Role, unit: string): Actor => ({
  id: ActorId.make(id),
  role,
  unitId: Unit.UnitId.make(unit)
})

/** Resident representatives v0 … v5 of a community, on the roll. */
export const rep = (i: number, unit: string) => person(`v${i}`, "resident", unit)

/** A ballot of representative `i`. */
export const ballot = (i: number, option = "agree"): Vote.Ballot => ({
  voterId: Vote.VoterId.make(`v${i}`),
  option: Vote.OptionId.make(option)
})

/** The vote rule: six representatives, one vote each, simple majority. */
export const voteRule: Vote.VoteRule = {
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

/**
 * A topic of `unit` (a community under `street`): the commands up to the open
 * vote, and those after it (four ballots, tasks supervised by the street and
 * completed, published).
 */
export const scenario = (topic: string, unit: string, street: string, offset = 0) => {
  const T = TopicId.make(topic)
  const staff = person(`cs-${unit}`, "community-staff", unit)
  const streetStaff = person(`ss-${street}`, "street-staff", street)
  const meta = (actor: Actor, h: number) => ({ topicId: T, actor, at: at(offset + h) })
  const participant = (id: string): Meeting.Invitee => ({
    id: Meeting.ParticipantId.make(id),
    label: id,
    affiliation: "社区大党委",
    member: true
  })
  const task = (n: number) => TaskList.TaskId.make(`${topic}-${n}`)
  const untilVote: ReadonlyArray<Deliberation.Command> = [
    {
      _tag: "Submit",
      ...meta(rep(0, unit), 0),
      unitId: Unit.UnitId.make(unit),
      source: { _tag: "ResidentProposal" },
      title: "整治飞线充电",
      description: "楼道飞线充电存在火灾隐患"
    },
    { _tag: "Cosign", ...meta(rep(1, unit), 1) },
    { _tag: "Cosign", ...meta(rep(2, unit), 2) },
    { _tag: "PutOnAgenda", ...meta(staff, 3) },
    {
      _tag: "HoldMeeting",
      ...meta(staff, 10),
      meeting: {
        kind: Meeting.KindId.make("joint-meeting"),
        convenedBy: "社区大党委",
        agenda: ["飞线充电整治"],
        invitees: [participant("书记"), participant("派出所"), participant("物业")],
        attendees: [Meeting.ParticipantId.make("书记"), Meeting.ParticipantId.make("派出所")],
        minutes: "议定: 增设充电桩"
      }
    },
    { _tag: "OpenVote", ...meta(staff, 11), rule: voteRule }
  ]
  const ballots: ReadonlyArray<Deliberation.Command> = [0, 1, 2, 3].map((i) => ({
    _tag: "CastBallot",
    ...meta(rep(i, unit), 12),
    ballot: ballot(i, i === 2 ? "disagree" : "agree")
  }))
  const afterBallots: ReadonlyArray<Deliberation.Command> = [
    { _tag: "CloseVote", ...meta(staff, 20) },
    {
      _tag: "Resolve",
      ...meta(staff, 21),
      text: "增设充电桩, 限期督办",
      items: [
        {
          title: "增设充电桩",
          problemId: ProblemId.make("p-1"),
          owner: TaskList.unitOwner(unit),
          deadline: at(offset + 400)
        },
        {
          title: "清理飞线",
          problemId: ProblemId.make("p-2"),
          owner: TaskList.unitOwner(unit),
          deadline: at(offset + 400)
        }
      ]
    },
    { _tag: "StartTask", ...meta(staff, 22), taskId: task(1) },
    {
      _tag: "SuperviseTask",
      ...meta(streetStaff, 23),
      taskId: task(2),
      level: "street",
      unitId: Unit.UnitId.make(street)
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
  return { topicId: T, untilVote, ballots, afterBallots, all: [...untilVote, ...ballots, ...afterBallots] }
}
