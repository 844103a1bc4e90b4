/**
 * 议事协商示范数据 — the seeded demo district's deliberation: every command of
 * the script passes the decider (through the core's use case on the memory
 * stores) and leads each topic to the status the script names; the story has
 * what the demo promises (a dozen proposals, one refused with a reason,
 * meetings of several kinds, votes with ballots, tasks done on time, late,
 * open and overdue under 督办, 居务/财务公开); the seed stores it on SQLite and
 * PostgreSQL with the counts it reports; and the indicators over HTTP count it.
 */
import * as Deliberation from "@civicgrid/core/Deliberation"
import * as DeliberationMetrics from "@civicgrid/core/DeliberationMetrics"
import * as Repo from "@civicgrid/core/DeliberationRepository"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as Meeting from "@civicgrid/core/Meeting"
import * as Proposal from "@civicgrid/core/Proposal"
import * as TaskList from "@civicgrid/core/TaskList"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import { type Dialect, dialects, skipNotice } from "@civicgrid/testkit/Databases"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as App from "../src/App.js"
import * as DemoDeliberation from "../src/Deliberation.js"
import * as District from "../src/District.js"
import * as Seed from "../src/Seed.js"

/** The seed's instant: a working Monday, 10:00 Beijing time. */
const seedAt = Date.parse("2026-12-07T02:00:00Z")
const now = DateTime.unsafeMake(seedAt)
const today = WorkingCalendar.dateOf(Seed.timeLimits.calendar, now)
const district = District.makeDefault()
const data = DemoDeliberation.generate(district, { today })
const firstCommunity = district.units.find((u) => u.level === "community")?.id ?? ""

skipNotice("@civicgrid/demo SeedDeliberation")
const dialectNames = { sqlite: "SQLite", pg: "PostgreSQL" } as const

/** Every topic of the script through the core's use case, on the memory stores. */
const storeAll = Effect.gen(function* () {
  const hierarchies = yield* HierarchyRepository.HierarchyRepository
  yield* hierarchies.save(district.scheme, district.units)
  const config = yield* Repo.configWith({
    proposal: Proposal.defaultRule,
    meetingKinds: Meeting.defaultKinds
  })
  const topics: Array<Deliberation.Topic> = []
  for (const topic of data.topics) {
    let last: Deliberation.Topic | undefined
    for (const command of topic.commands) last = yield* Repo.handle({ command, config })
    if (last !== undefined) topics.push(last)
  }
  return topics
}).pipe(
  Effect.provide(Repo.layerMemory.pipe(Layer.provideMerge(HierarchyRepository.layerMemory))),
  Effect.orDie
)

const year = (y: number): DeliberationMetrics.Period =>
  Either.getOrThrow(DeliberationMetrics.spanOf(String(y)))

const inYear = (t: DateTime.Utc | null) =>
  t === null || (DateTime.lessThanOrEqualTo(year(2025).start, t) && DateTime.lessThan(t, year(2025).end))

const storesOn = (dialect: Dialect) => Seed.layerStores.pipe(Layer.provideMerge(dialect.fresh()), Layer.orDie)

const atSeedTime = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.zipRight(TestClock.setTime(seedAt), self)

const get = (path: string, token?: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.get(path, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })
  ).pipe(
    Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
    Effect.scoped,
    Effect.orDie
  )

describe("Deliberation demo data", () => {
  it.effect("every command passes the decider and each topic ends in the status the script names", () =>
    Effect.gen(function* () {
      const topics = yield* storeAll
      expect(topics.map((t) => [t.id, t.status])).toEqual(data.topics.map((t) => [t.id, t.status]))
      expect(topics.map((t) => t.unitId)).toEqual(data.topics.map((t) => t.unitId))
      // every closed vote's result recomputes from its ballots
      for (const t of topics) if (t.result !== null) expect(Deliberation.resultRecomputes(t)).toBe(true)
    })
  )

  it.effect("tells the story the demo promises", () =>
    Effect.gen(function* () {
      const topics = yield* storeAll
      // a dozen proposals and more, most from residents' representatives, co-signed onto the agenda
      expect(topics.length).toBeGreaterThanOrEqual(12)
      const proposals = topics.filter((t) => t.source._tag === "ResidentProposal")
      expect(proposals.length).toBeGreaterThanOrEqual(10)
      expect(proposals.filter((t) => t.agendaAt !== null && t.cosigners.length >= 5).length).toBeGreaterThan(
        5
      )
      expect(proposals.some((t) => t.status === "proposed" && t.cosigners.length < 5)).toBe(true)
      // one refused, with its reason
      const rejected = topics.filter((t) => t.status === "published" && t.rejectReason !== null)
      expect(rejected).toHaveLength(1)
      expect(rejected[0]?.rejectReason?.length).toBeGreaterThan(10)
      // meetings of several kinds, with attendees, guests and minutes
      const held = topics.flatMap((t) => (t.meeting === null ? [] : [t.meeting]))
      expect(new Set(held.map((m) => m.kind)).size).toBeGreaterThanOrEqual(6)
      for (const kind of ["joint-meeting", "residents-council", "dialogue"])
        expect(held.some((m) => m.kind === kind)).toBe(true)
      expect(held.every((m) => m.attendees.length > 0 && m.minutes.length > 0)).toBe(true)
      expect(held.some((m) => m.invitees.some((i) => !i.member))).toBe(true)
      // votes with ballots; one not carried; a paper ballot recorded by staff
      const voted = topics.filter((t) => t.result !== null)
      expect(voted.length).toBeGreaterThanOrEqual(2)
      expect(voted.every((t) => t.ballots.length > 0)).toBe(true)
      // not carried: no option carried, or the rejecting one 不同意
      const notCarried = voted.filter((t) => {
        const carried = t.result?.carried ?? null
        return carried === null || t.voteRule?.options.find((o) => o.id === carried)?.rejects === true
      })
      expect(notCarried.map((t) => [t.status, t.resolvedAt])).toEqual([["published", null]])
      expect(voted.some((t) => t.voteRule?.electorate.onePerHousehold === true)).toBe(true)
      // resolutions whose tasks were done on time, done late, are open, and one overdue under 督办
      const tasks = topics.flatMap((t) => t.tasks)
      expect(tasks.some((t) => t.status === "done" && t.timeliness === "on-time")).toBe(true)
      expect(tasks.some((t) => t.status === "done" && t.timeliness === "late")).toBe(true)
      expect(tasks.some((t) => TaskList.isOpen(t) && !TaskList.overdue(t, now))).toBe(true)
      const overdue = TaskList.overdueTasks(tasks, now)
      expect(overdue.map((t) => t.supervision?.level)).toEqual(["street"])
      expect(topics.filter((t) => t.implementedOnTime !== null).map((t) => t.implementedOnTime)).toContain(
        false
      )
      // 居务公开 and 财务公开, on display today; a rating
      const published = topics.flatMap((t) => (t.publication === null ? [] : [t.publication]))
      expect(new Set(published.map((p) => p.category))).toEqual(
        new Set(["residents-affairs", "finance", "rule-document"])
      )
      // a standalone 财务公开 no meeting produced
      const disclosures = topics.filter((t) => t.source._tag === "Disclosure")
      expect(disclosures.map((t) => [t.status, t.publication?.category, t.meeting, t.result])).toEqual([
        ["published", "finance", null, null]
      ])
      // a 居民公约 version adopted by a resolution
      const documents = Deliberation.ruleDocuments(topics)
      expect(documents.map((d) => [d.scope, d.versions.length])).toEqual([[firstCommunity, 1]])
      expect(topics.find((t) => t.id === documents[0]?.versions[0]?.adoptedBy)?.status).toBe("published")
      expect(published.every((p) => DateTime.greaterThan(p.retainUntil, now))).toBe(true)
      expect(topics.some((t) => t.feedback.length > 0)).toBe(true)
      // dates in the cases' year (deadlines of open tasks and display periods count from today)
      for (const t of topics)
        for (const at of [t.submittedAt, t.agendaAt, t.heldAt, t.votedAt, t.resolvedAt, t.implementedAt])
          expect(inYear(at)).toBe(true)
      // the indicators of the year: every rate has data, and not all of it is perfect
      const m = DeliberationMetrics.total(topics, year(2025))
      expect(m.meetingsHeld).toBe(held.length)
      for (const r of [
        m.participation,
        m.turnout,
        m.proposalsOnAgenda,
        m.resolutionsOnTime,
        m.publicationTimely
      ]) {
        expect(r.denominator).toBeGreaterThan(0)
      }
      expect(m.resolutionsOnTime.numerator).toBeLessThan(m.resolutionsOnTime.denominator)
      expect(m.publicationTimely.numerator).toBeLessThan(m.publicationTimely.denominator)
      // most of it in the first community, the demo community staff's
      expect(topics.filter((t) => t.unitId === firstCommunity).length).toBeGreaterThan(topics.length / 2)
    })
  )

  it("is the same for the same district, year and day", () => {
    expect(DemoDeliberation.generate(district, { today })).toEqual(data)
    expect(DemoDeliberation.generate(district, { today, year: 2025 })).toEqual(data)
  })

  for (const dialect of dialects)
    it.effect(
      `is stored through the deliberation store on ${dialectNames[dialect.name]} with the counts the seed reports`,
      () =>
        atSeedTime(
          Effect.gen(function* () {
            const progress: Array<Seed.Progress> = []
            const prepared = yield* Seed.prepare({
              district,
              cases: { count: 0 },
              onProgress: (p) => progress.push(p)
            }).pipe(Effect.orDie)
            if (prepared._tag !== "Seeded") return expect.unreachable("seeded")
            const last = progress.filter((p) => p.phase === "deliberation").at(-1)
            expect(last?.total).toBe(data.topics.reduce((n, t) => n + t.commands.length, 0))
            expect(last?.done).toBe(last?.total)
            const expected = yield* storeAll
            expect([
              prepared.topics,
              prepared.meetings,
              prepared.votes,
              prepared.resolutions,
              prepared.publications
            ]).toEqual([
              expected.length,
              expected.filter((t) => t.heldAt !== null).length,
              expected.filter((t) => t.result !== null).length,
              expected.filter((t) => t.resolvedAt !== null).length,
              expected.filter((t) => t.publication !== null).length
            ])
            expect(Seed.describe(prepared)).toContain(`${prepared.topics} deliberation topics`)
            const found = yield* Effect.serviceOption(Repo.DeliberationRepository)
            if (found._tag === "None") return expect.unreachable("a deliberation store")
            const store = found.value
            const stored = yield* store.topics({ within: District.root(district).id }).pipe(Effect.orDie)
            expect(stored).toEqual(Repo.byId(expected))
          }).pipe(Effect.provide(storesOn(dialect)))
        )
    )

  it.effect("over HTTP: the demo community staff read the indicators of the year and the public board", () =>
    atSeedTime(
      Effect.gen(function* () {
        const inFirst = new Set(
          district.units
            .filter((u) => u.id === firstCommunity || u.parentId === firstCommunity)
            .map((u) => u.id)
        )
        const expected = (yield* storeAll).filter((t) => inFirst.has(t.unitId))
        const answer = yield* get("/deliberation/indicators?period=2025", "demo-community-staff")
        expect(answer.status).toBe(200)
        const body = JSON.parse(answer.text) as {
          readonly within: string
          readonly total: DeliberationMetrics.Metrics
          readonly units: ReadonlyArray<{ readonly unitId: string; readonly name: string }>
        }
        expect(body.within).toBe(firstCommunity)
        const own = DeliberationMetrics.total(expected, year(2025))
        expect(body.units.find((u) => u.unitId === firstCommunity)?.name).toBe(
          district.units.find((u) => u.id === firstCommunity)?.name
        )
        expect(body.total).toEqual(own)
        const board = yield* get("/publications")
        expect(board.status).toBe(200)
        const entries = JSON.parse(board.text) as ReadonlyArray<{ readonly category: string }>
        expect(entries.length).toBe(
          data.topics.filter((t) => t.commands.some((c) => c._tag === "Publish" || c._tag === "Disclose"))
            .length
        )
        for (const secret of ["rep-", "cs-", "ballot"]) expect(board.text).not.toContain(secret)
        // the 居民公约 of the first community: its version in force, adopted by a resolution, no token
        const covenant = yield* get(`/rule-documents/${firstCommunity}`)
        expect(covenant.status).toBe(200)
        const documents = JSON.parse(covenant.text) as ReadonlyArray<{
          readonly current: { readonly version: number; readonly adoptedBy: string } | null
        }>
        expect(documents.map((d) => d.current?.version)).toEqual([1])
        for (const secret of ["rep-", "cs-", "ballot"]) expect(covenant.text).not.toContain(secret)
      }).pipe(
        Effect.provide(
          App.layer({
            log: () => {},
            databaseName: "SQLite :memory:",
            seed: { district, cases: { count: 0 } }
          }).pipe(
            Layer.provideMerge(NodeHttpServer.layerTest),
            Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
            Layer.orDie
          )
        )
      )
    )
  )
})
