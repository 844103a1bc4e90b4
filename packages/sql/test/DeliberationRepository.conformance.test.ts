/**
 * 议事协商仓库 conformance — the SQL deliberation store behaves like the
 * in-memory one: topics taken through the whole path by `handle` give the
 * same topics, events, reads by jurisdiction, public list and metrics on
 * memory, SQLite and PostgreSQL; refusals are the same; racing writers with
 * the same expected version get a typed conflict, and writers that retry on
 * it lose no ballot and double none.
 */
import * as Deliberation from "@civicgrid/core/Deliberation"
import { TopicId } from "@civicgrid/core/Deliberation"
import * as Repo from "@civicgrid/core/DeliberationRepository"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Meeting from "@civicgrid/core/Meeting"
import * as Unit from "@civicgrid/core/Unit"
import { addEqualityTesters, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import {
  at,
  ballot,
  type DeliberationTarget,
  memory,
  person,
  scenario,
  targets
} from "./support/Deliberations.js"
import { flip } from "./support/Errors.js"
import { district } from "./support/Hierarchies.js"

addEqualityTesters()

const place = district()

const setup = Effect.gen(function* () {
  yield* (yield* HierarchyRepository).save(LevelScheme.FiveLevel, place.rows)
  const config = yield* Repo.configWith({ proposal: { minCosigners: 2 }, meetingKinds: Meeting.defaultKinds })
  const run = (commands: ReadonlyArray<Deliberation.Command>) =>
    Effect.forEach(commands, (command) => Repo.handle({ command, config }), { discard: true })
  return { config, run, repo: yield* Repo.DeliberationRepository }
})

/** The scenario's outputs, as plain data. */
const outputs = Effect.gen(function* () {
  const { repo, run, config } = yield* setup
  const a = scenario("t-a", "s1c1", "s1")
  const b = scenario("t-b", "s2c1", "s2", 5)
  const c = scenario("t-c", "s1c2", "s1", 7)
  yield* run(a.all)
  yield* run([...b.untilVote, ...b.ballots.slice(0, 2)])
  yield* run(c.untilVote.slice(0, 2))
  const doubleVote = yield* flip(Repo.handle({ command: b.ballots[0] as Deliberation.Command, config }))
  const offRoll = yield* flip(
    Repo.handle({
      command: {
        _tag: "CastBallot",
        topicId: b.topicId,
        actor: person("v9", "resident", "s2c1"),
        at: at(20),
        ballot: { ...ballot(0), voterId: ballot(9).voterId }
      },
      config
    })
  )
  const stale = yield* flip(
    Repo.handle({ command: b.ballots[2] as Deliberation.Command, config, expectedVersion: 3 })
  )
  const events = yield* repo.events(a.topicId)
  const gap = yield* flip(
    repo.append({
      topicId: a.topicId,
      expectedVersion: events.length,
      events: [{ ...(events[1] as Deliberation.Event), sequence: events.length + 2 }]
    })
  )
  const first = events[0] as Extract<Deliberation.Event, { readonly _tag: "Submitted" }>
  const nowhere = yield* flip(
    repo.append({
      topicId: "t-z",
      expectedVersion: 0,
      events: [{ ...first, topicId: TopicId.make("t-z"), unitId: Unit.UnitId.make("mars") }]
    })
  )
  return {
    topicA: yield* repo.topic(a.topicId),
    topicB: yield* repo.topic(b.topicId),
    eventsA: events,
    eventsB: yield* repo.events(b.topicId),
    all: (yield* repo.topics()).map((t) => [t.id, t.status, t.version]),
    s1: (yield* repo.topics({ within: "s1" })).map((t) => t.id),
    s2c1: (yield* repo.topics({ within: "s2c1" })).map((t) => t.id),
    proposed: (yield* repo.topics({ statuses: ["proposed", "voting"] })).map((t) => t.id),
    nowhereWithin: yield* flip(repo.topics({ within: "mars" })),
    public: yield* repo.publications({ now: at(300) }),
    publicS2: yield* repo.publications({ now: at(300), within: "s2" }),
    publicBefore: yield* repo.publications({ now: at(100) }),
    metrics: yield* Repo.metrics("d1", { start: at(0), end: at(1000) }),
    missing: yield* flip(repo.topic("t-none")),
    doubleVote,
    offRoll,
    stale,
    gap,
    nowhere,
    nowhereEvents: yield* repo.events("t-z")
  }
})

describe.each(targets)("DeliberationRepository on $name", (target: DeliberationTarget) => {
  it.effect("the scenario: the whole path, reads by jurisdiction, public list, metrics, refusals", () =>
    Effect.gen(function* () {
      const out = yield* outputs
      expect(out.topicA.status).toBe("published")
      expect(out.topicA.tasks.map((t) => [t.status, t.supervision?.level])).toEqual([
        ["done", undefined],
        ["done", "street"]
      ])
      expect(out.eventsA.map((e) => e.sequence)).toEqual(
        Array.from({ length: out.topicA.version }, (_, i) => i + 1)
      )
      expect(Deliberation.fold(out.eventsA)).toEqual(out.topicA)
      expect(Deliberation.fold(out.eventsB)).toEqual(out.topicB)
      expect(out.topicB.ballots.length).toBe(2)
      expect(out.all).toEqual([
        ["t-a", "published", out.topicA.version],
        ["t-b", "voting", 8],
        ["t-c", "proposed", 2]
      ])
      expect(out.s1).toEqual(["t-a", "t-c"])
      expect(out.s2c1).toEqual(["t-b"])
      expect(out.proposed).toEqual(["t-b", "t-c"])
      expect(out.nowhereWithin).toMatchObject({ _tag: "UnitNotFound", unitId: "mars" })
      expect(out.public.map((e) => [e.topicId, e.scope, e.category])).toEqual([
        ["t-a", "s1c1", "residents-affairs"]
      ])
      expect(Object.keys(out.public[0] ?? {}).sort()).toEqual(
        ["body", "category", "publishedAt", "retainUntil", "scope", "title", "topicId"].sort()
      )
      expect(out.publicS2).toEqual([])
      expect(out.publicBefore).toEqual([])
      expect(out.metrics.total.meetingsHeld).toBe(2)
      expect(out.metrics.byUnit.map((u) => u.unitId)).toEqual(["s1c1", "s1c2", "s2c1"])
      expect(out.missing).toEqual(new Repo.TopicNotFound({ topicId: "t-none" }))
      expect(out.doubleVote).toMatchObject({ _tag: "DeliberationRefused", rule: "double-vote" })
      expect(out.offRoll).toMatchObject({ _tag: "DeliberationRefused", rule: "not-eligible" })
      expect(out.stale).toMatchObject({
        _tag: "DeliberationConcurrencyConflict",
        expectedVersion: 3,
        actualVersion: 8
      })
      expect(out.gap).toMatchObject({ _tag: "DeliberationReplayError", rule: "sequence" })
      expect(out.nowhere).toMatchObject({ _tag: "UnitNotFound", unitId: "mars" })
      expect(out.nowhereEvents).toEqual([])
    }).pipe(Effect.provide(target.layer()))
  )

  if (target.name !== "memory")
    it.effect("gives the in-memory store's outputs", () =>
      Effect.gen(function* () {
        const mine = yield* outputs.pipe(Effect.provide(target.layer()))
        const theirs = yield* outputs.pipe(Effect.provide(memory.layer()))
        expect(mine).toEqual(theirs)
      })
    )

  it.effect(
    "racing writers with the same expected version: one wins, the others get a conflict; retrying, no ballot is lost or doubled",
    () =>
      Effect.gen(function* () {
        const { repo, run, config } = yield* setup
        const s = scenario("t-r", "s1c1", "s1")
        yield* run(s.untilVote)
        const version = (yield* repo.events(s.topicId)).length
        const raced = yield* Effect.forEach(
          s.ballots,
          (command) => Effect.either(flip(Repo.handle({ command, config, expectedVersion: version }))),
          { concurrency: "unbounded" }
        )
        // flip: Right is the error, Left the topic
        expect(raced.filter(Either.isLeft).length).toBe(1)
        for (const r of raced.filter(Either.isRight))
          expect(r.right).toMatchObject({ _tag: "DeliberationConcurrencyConflict", expectedVersion: version })
        expect((yield* repo.topic(s.topicId)).ballots.length).toBe(1)
        // every voter retries on a conflict until its ballot is stored (or refused as a double vote)
        const retry = (command: Deliberation.Command) =>
          Repo.handle({ command, config }).pipe(
            Effect.retry({ while: (e) => e._tag === "DeliberationConcurrencyConflict", times: 20 }),
            Effect.catchIf(
              (e) => e._tag === "DeliberationRefused" && e.rule === "double-vote",
              () => Effect.void
            )
          )
        yield* Effect.forEach(s.ballots, retry, { concurrency: "unbounded", discard: true })
        const topic = yield* repo.topic(s.topicId)
        expect(topic.ballots.map((b) => b.voterId).sort()).toEqual(["v0", "v1", "v2", "v3"])
        const events = yield* repo.events(s.topicId)
        expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: version + 4 }, (_, i) => i + 1))
        expect(topic.version).toBe(version + 4)
      }).pipe(Effect.provide(target.layer()))
  )

  it.effect.prop(
    "ballots in any order, repeated and from voters off the roll: the stored topic is the in-memory store's and the fold of the stored events",
    [
      fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.constantFrom("agree", "disagree", "abstain")), {
        maxLength: 12
      })
    ],
    ([votes]) =>
      Effect.gen(function* () {
        const s = scenario("t-p", "s1c1", "s1")
        const cast = Effect.gen(function* () {
          const { repo, run, config } = yield* setup
          yield* run(s.untilVote)
          const refusals: Array<string> = []
          for (const [i, option] of votes) {
            const outcome = yield* Effect.either(
              Repo.handle({
                command: {
                  _tag: "CastBallot",
                  topicId: s.topicId,
                  actor: person(`v${i}`, "resident", "s1c1"),
                  at: at(12),
                  ballot: ballot(i, option)
                },
                config
              })
            )
            if (Either.isLeft(outcome))
              refusals.push(
                outcome.left._tag === "DeliberationRefused" ? outcome.left.rule : outcome.left._tag
              )
          }
          yield* run([
            {
              _tag: "CloseVote",
              topicId: s.topicId,
              actor: person("cs-s1c1", "community-staff", "s1c1"),
              at: at(20)
            }
          ])
          const topic = yield* repo.topic(s.topicId)
          expect(Deliberation.fold(yield* repo.events(s.topicId))).toEqual(topic)
          expect(Deliberation.resultRecomputes(topic)).toBe(true)
          return { topic, refusals }
        })
        const mine = yield* cast.pipe(Effect.provide(target.layer()))
        const theirs = yield* cast.pipe(Effect.provide(memory.layer()))
        expect(mine).toEqual(theirs)
        const electors = new Set(votes.map(([i]) => i).filter((i) => i < 6))
        expect(mine.topic.ballots.length).toBe(electors.size)
      }),
    { fastCheck: { numRuns: target.name === "memory" ? 30 : 6 } }
  )
})
