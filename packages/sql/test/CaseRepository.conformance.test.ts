/**
 * The case-store conformance suite (issue 5, domain brief §4 "Concurrency"):
 * written once, run against every store — in memory (`CaseRepository.layerMemory`),
 * SQLite, and PostgreSQL when `CIVICGRID_PG_URL` is set. Each test gets a fresh,
 * empty store with the fixture hierarchy; the property test shares one store
 * and gives every run a case of its own.
 */

import * as Case from "@civicgrid/core/Case"
import { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it, layer } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import {
  A,
  accept,
  at,
  B_UNKNOWN,
  B1,
  build,
  C_UNKNOWN,
  C1,
  C1X,
  C2,
  C3,
  CATEGORY,
  CATEGORY_2,
  D,
  DEPT_CG,
  DEPT_ZJ,
  dispatch,
  execute,
  freshDatabase,
  handle,
  intents,
  report,
  S1,
  S2,
  stores,
  T0,
  timeLimits,
  verify
} from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"
import { flip } from "./support/Errors.js"

const encodeEvents = Schema.encodeSync(Schema.Array(CaseEvent))
const encodeSummary = Schema.encodeSync(CaseRepository.CaseSummary)
const MINUTE = 60_000
const HOUR = 60 * MINUTE

const repo = CaseRepository.CaseRepository

/** Runs a command; the events it appended. */
const run = (command: Parameters<typeof execute>[0]) =>
  Effect.map(execute(command), (executed) => executed.events)

/** A case reported at `millis` and closed (report → accept → dispatch → handle → verify pass). */
const closedCase = (caseId: string, millis: number) =>
  Effect.gen(function* () {
    yield* run(report(caseId, { at: millis }))
    yield* run(accept(caseId, millis + MINUTE))
    yield* run(dispatch(caseId, millis + 2 * MINUTE))
    yield* run(handle(caseId, millis + 3 * MINUTE))
    yield* run(verify(caseId, millis + 4 * MINUTE))
  })

const unreachable = (caseId: string, millis: number) =>
  execute({
    _tag: "Evaluate",
    caseId: Case.CaseId.make(caseId),
    actor: A.hotline,
    at: at(millis),
    rating: "unreachable"
  })

/** Every page of a query. */
const allPages = (query: CaseRepository.CaseQuery) =>
  Effect.gen(function* () {
    const r = yield* repo
    const out: Array<CaseRepository.CaseSummary> = []
    let after: string | undefined
    for (;;) {
      const page = yield* r.list(after === undefined ? query : { ...query, after })
      out.push(...page.items)
      if (Option.isNone(page.next)) return out
      after = page.next.value
    }
  })

const ids = (items: ReadonlyArray<CaseRepository.CaseSummary>) => items.map((s) => s.caseId)
const sorted = (xs: ReadonlyArray<string>) => [...xs].sort()

describe.each(stores)("CaseRepository conformance — $name", (store) => {
  it.effect("round trip: the stored events decode equal to the appended ones, in sequence order", () =>
    Effect.gen(function* () {
      const appended = [
        ...(yield* run(report("case-1"))),
        ...(yield* run(accept("case-1", T0 + MINUTE))),
        ...(yield* run(dispatch("case-1", T0 + 2 * MINUTE)))
      ]
      const r = yield* repo
      const stored = yield* r.events("case-1")
      expect(encodeEvents(stored)).toEqual(encodeEvents(appended))
      expect(stored.map((e) => e.sequence)).toEqual([1, 2, 3])
      expect((yield* r.summary("case-1")).version).toBe(3)
      expect(yield* r.events("no-such-case")).toEqual([])
      const missing = yield* flip(r.summary("no-such-case"))
      expect(missing).toBeInstanceOf(CaseRepository.CaseNotFound)
      // read: the same events and read-model row, together; none for an unknown case
      const read = yield* r.read("case-1")
      expect(Option.isSome(read)).toBe(true)
      if (Option.isNone(read)) return
      expect(encodeEvents(read.value.events)).toEqual(encodeEvents(appended))
      expect(encodeSummary(read.value.summary)).toEqual(encodeSummary(yield* r.summary("case-1")))
      expect(yield* r.read("no-such-case")).toEqual(Option.none())
    }).pipe(Effect.provide(store.make()))
  )

  it.effect("read model: the summary is summarize(fold(events)) — status, tier, owner, step, closure", () =>
    Effect.gen(function* () {
      yield* closedCase("case-1", T0)
      const r = yield* repo
      const events = yield* r.events("case-1")
      const state = Case.fold(events)
      expect(state._tag).toBe("Case")
      if (state._tag !== "Case") return
      const summary = yield* r.summary("case-1")
      expect(encodeSummary(summary)).toEqual(encodeSummary(CaseRepository.summarize(state)))
      expect(summary).toMatchObject({
        status: "closed",
        version: 6,
        closedTier: "community",
        step: "evaluation"
      })
      expect(summary.deadline).toBeNull()
    }).pipe(Effect.provide(store.make()))
  )

  describe.each([
    { mode: "decided", decided: true },
    { mode: "read and folded by the store", decided: false }
  ])("read model under random command sequences — $mode", ({ decided }) => {
    layer(store.make({ timeLimits }))("with time limits", (it) => {
      let counter = 0
      it.effect.prop(
        "after every append the summary equals summarize(fold(stored events)) and the sequences are gapless",
        [intents(20)],
        ([steps]) =>
          Effect.gen(function* () {
            const r = yield* repo
            const caseId = Case.CaseId.make(`prop-${counter++}`)
            let state: Case.State = Case.initial
            let now = T0
            for (const step of steps) {
              now += step.dt * MINUTE
              const command = build(step, state, caseId, at(now))
              const result = yield* Effect.either(execute(command, { decided }))
              if (Either.isLeft(result)) {
                expect(result.left._tag).toBe("CaseRefused")
                expect((yield* r.events(caseId)).length).toBe(state.version)
                continue
              }
              state = result.right.state
              const events = yield* r.events(caseId)
              expect(events.map((e) => e.sequence)).toEqual(events.map((_, k) => k + 1))
              const folded = Case.fold(events)
              expect(folded._tag).toBe("Case")
              if (folded._tag !== "Case") return
              expect(folded.version).toBe(state.version)
              const summary = yield* r.summary(caseId)
              expect(encodeSummary(summary)).toEqual(
                encodeSummary(CaseRepository.summarize(folded, timeLimits))
              )
              // read gives the same events and row in one go
              const read = yield* r.read(caseId)
              expect(
                Option.map(read, (stored) => ({
                  events: encodeEvents(stored.events),
                  summary: encodeSummary(stored.summary)
                }))
              ).toEqual(Option.some({ events: encodeEvents(events), summary: encodeSummary(summary) }))
            }
          }),
        { fastCheck: { numRuns: store.name === "memory" ? 100 : 30 } }
      )
    })
  })

  it.effect(
    "并发冲突: a stale expectedVersion gets ConcurrencyConflict with the actual version; nothing is appended",
    () =>
      Effect.gen(function* () {
        const r = yield* repo
        yield* run(report("case-1"))
        const afterReport = Case.fold(yield* r.events("case-1"))
        yield* run(accept("case-1", T0 + MINUTE))
        const stale = Case.decide(accept("case-1", T0 + 2 * MINUTE), afterReport)
        expect(Either.isRight(stale)).toBe(true)
        if (Either.isLeft(stale)) return
        const conflict = yield* flip(
          r.append({ caseId: Case.CaseId.make("case-1"), expectedVersion: 1, events: stale.right })
        )
        expect(conflict).toBeInstanceOf(CaseRepository.ConcurrencyConflict)
        expect([conflict.expectedVersion, conflict.actualVersion]).toEqual([1, 2])
        expect((yield* r.events("case-1")).length).toBe(2)
        expect((yield* r.summary("case-1")).version).toBe(2)
      }).pipe(Effect.provide(store.make()))
  )

  it.effect(
    "N concurrent writers: exactly one wins per version, the others conflict; no event lost or doubled",
    () =>
      Effect.gen(function* () {
        const r = yield* repo
        yield* closedCase("case-1", T0)
        const writers = 12
        // one instant for all: a writer that reads after another's append must lose on the version,
        // not be refused for a command timed before the case's last event
        const outcomes = yield* Effect.all(
          Array.from({ length: writers }, () => Effect.either(unreachable("case-1", T0 + HOUR))),
          { concurrency: "unbounded" }
        )
        const wins = outcomes.filter(Either.isRight).map((o) => o.right)
        const losses = outcomes.filter(Either.isLeft).map((o) => o.left)
        expect(wins.length).toBeGreaterThanOrEqual(1)
        for (const loss of losses) {
          expect(loss._tag).toBe("ConcurrencyConflict")
          if (loss._tag === "ConcurrencyConflict")
            expect(loss.actualVersion).toBeGreaterThan(loss.expectedVersion)
        }
        const versions = wins.flatMap((w) => w.events.map((e) => e.sequence))
        expect(new Set(versions).size).toBe(versions.length)
        const events = yield* r.events("case-1")
        expect(events.map((e) => e.sequence)).toEqual(events.map((_, k) => k + 1))
        expect(events.length).toBe(6 + wins.length)
        expect(events.filter((e) => e._tag === "Evaluated").length).toBe(wins.length)
        expect((yield* r.summary("case-1")).version).toBe(events.length)
      }).pipe(Effect.provide(store.make()))
  )

  it.effect("N concurrent writers that retry on conflict: every writer's event is stored exactly once", () =>
    Effect.gen(function* () {
      const r = yield* repo
      yield* closedCase("case-1", T0)
      const writers = 8
      const writer = (k: number) =>
        execute({
          _tag: "Evaluate",
          caseId: Case.CaseId.make("case-1"),
          actor: A.hotline,
          at: at(T0 + HOUR),
          rating: "unreachable",
          note: `writer-${k}`
        }).pipe(Effect.retry({ while: (e) => e._tag === "ConcurrencyConflict" }))
      yield* Effect.all(
        Array.from({ length: writers }, (_, k) => writer(k)),
        { concurrency: "unbounded" }
      )
      const stored = yield* r.events("case-1")
      expect(stored.map((e) => e.sequence)).toEqual(stored.map((_, k) => k + 1))
      const notes = stored.flatMap((e) => (e._tag === "Evaluated" && e.note !== undefined ? [e.note] : []))
      expect(sorted(notes)).toEqual(sorted(Array.from({ length: writers }, (_, k) => `writer-${k}`)))
      expect((yield* r.summary("case-1")).version).toBe(6 + writers)
    }).pipe(Effect.provide(store.make()))
  )

  it.effect("racing reports of one new case id: one creates it, the others conflict or are refused", () =>
    Effect.gen(function* () {
      const r = yield* repo
      const outcomes = yield* Effect.all(
        Array.from({ length: 8 }, (_, k) => Effect.either(execute(report("case-1", { at: T0 + k })))),
        { concurrency: "unbounded" }
      )
      expect(outcomes.filter(Either.isRight).length).toBe(1)
      for (const o of outcomes) {
        if (Either.isLeft(o)) expect(["ConcurrencyConflict", "CaseRefused"]).toContain(o.left._tag)
      }
      const events = yield* r.events("case-1")
      expect(events.map((e) => e._tag)).toEqual(["Reported"])
    }).pipe(Effect.provide(store.make()))
  )

  it.effect("幂等: the same idempotency key twice gives one case; the retry is replayed", () =>
    Effect.gen(function* () {
      const r = yield* repo
      const first = yield* execute(report("case-a"), { idempotencyKey: "12345-0001" })
      const second = yield* execute(report("case-b", { at: T0 + MINUTE }), {
        idempotencyKey: "12345-0001"
      })
      expect(first.replayed).toBe(false)
      expect(second.replayed).toBe(true)
      expect(second.events).toEqual([])
      expect(second.state.id).toBe("case-a")
      expect(yield* r.findByIdempotencyKey("12345-0001")).toEqual(Option.some("case-a"))
      expect(yield* r.findByIdempotencyKey("12345-9999")).toEqual(Option.none())
      expect(yield* r.events("case-b")).toEqual([])
      expect(ids(yield* allPages({}))).toEqual(["case-a"])
      // the port answers a replayed append with the winner's case and version
      const direct = yield* r.append({
        caseId: Case.CaseId.make("case-c"),
        expectedVersion: 0,
        events: Either.getOrThrow(Case.decide(report("case-c"), Case.initial)),
        idempotencyKey: "12345-0001"
      })
      expect(direct).toEqual({ caseId: "case-a", version: 1, replayed: true })
    }).pipe(Effect.provide(store.make()))
  )

  it.effect("幂等: racing reports with one key create one case; every loser gets the winner's case", () =>
    Effect.gen(function* () {
      const outcomes = yield* Effect.all(
        Array.from({ length: 8 }, (_, k) =>
          execute(report(`case-${k}`, { at: T0 + k }), { idempotencyKey: "hotline-42" })
        ),
        { concurrency: "unbounded" }
      )
      expect(outcomes.filter((o) => !o.replayed).length).toBe(1)
      expect(new Set(outcomes.map((o) => o.state.id)).size).toBe(1)
      const all = yield* allPages({})
      expect(all.length).toBe(1)
      expect(all[0]?.caseId).toBe(outcomes[0]?.state.id)
    }).pipe(Effect.provide(store.make()))
  )

  it.effect("辖区: listing within a unit selects its subtree by materialised path (fallbacks included)", () =>
    Effect.gen(function* () {
      yield* run(report("in-b1", { unit: B1 }))
      yield* run(report("in-c1", { at: T0 + 1 }))
      yield* run(report("in-c1-unknown-building", { at: T0 + 2, unit: B_UNKNOWN }))
      yield* run(report("in-c1x", { at: T0 + 3, community: C1X }))
      yield* run(report("in-c2", { at: T0 + 4, community: C2 }))
      yield* run(report("in-c3", { at: T0 + 5, community: C3 }))
      yield* run(report("in-unknown-community", { at: T0 + 6, community: C_UNKNOWN, unit: B_UNKNOWN }))
      const within = (unitId: typeof D) => Effect.map(allPages({ within: unitId }), (xs) => sorted(ids(xs)))
      expect(yield* within(C1)).toEqual(["in-b1", "in-c1", "in-c1-unknown-building"])
      expect(yield* within(B1)).toEqual(["in-b1"])
      expect(yield* within(C1X)).toEqual(["in-c1x"])
      expect(yield* within(S1)).toEqual(["in-b1", "in-c1", "in-c1-unknown-building", "in-c1x", "in-c2"])
      expect(yield* within(S2)).toEqual(["in-c3"])
      expect(yield* within(D)).toEqual([
        "in-b1",
        "in-c1",
        "in-c1-unknown-building",
        "in-c1x",
        "in-c2",
        "in-c3"
      ])
      expect(yield* within(C_UNKNOWN)).toEqual(["in-unknown-community"])
    }).pipe(Effect.provide(store.make()))
  )

  it.effect(
    "可见范围: a scope matches a case by ANY of its clauses (subtree, current department, reporter) and ANDs with the other filters",
    () =>
      Effect.gen(function* () {
        // w1: in C1 (S1), reported by the grid worker, never dispatched
        yield* run(report("w1", { at: T0 }))
        // d2: in C1, dispatched to 城管
        yield* run(report("d2", { at: T0 + 1 }))
        yield* run(accept("d2", T0 + MINUTE))
        yield* run(dispatch("d2", T0 + 2 * MINUTE))
        // d1: in C3 (S2), dispatched to 城管 — outside S1, visible to 城管 only through the dispatch
        yield* run(report("d1", { at: T0 + 2, community: C3 }))
        yield* run(accept("d1", T0 + MINUTE, C3))
        yield* run(dispatch("d1", T0 + 3 * MINUTE, C3))
        // r1: in C3, reported by a resident through the app
        yield* run(
          report("r1", { at: T0 + 3, community: C3, by: { actor: A.resident, source: "resident-app" } })
        )
        const scoped = (query: CaseRepository.CaseQuery) =>
          Effect.map(allPages(query), (xs) => sorted(ids(xs)))
        expect(yield* scoped({ scope: { department: DEPT_CG } })).toEqual(["d1", "d2"])
        expect(yield* scoped({ scope: { within: S1, department: DEPT_CG } })).toEqual(["d1", "d2", "w1"])
        expect(yield* scoped({ scope: { within: S1, department: DEPT_ZJ } })).toEqual(["d2", "w1"])
        expect(yield* scoped({ scope: { reportedBy: A.resident.id } })).toEqual(["r1"])
        expect(yield* scoped({ scope: { within: S2 } })).toEqual(["d1", "r1"])
        // no clause: nothing
        expect(yield* scoped({ scope: {} })).toEqual([])
        // AND with the other filters: a department narrowing to another street sees only what is dispatched to it there
        expect(yield* scoped({ within: C3, scope: { within: S1, department: DEPT_CG } })).toEqual(["d1"])
        expect(yield* scoped({ status: ["reported"], scope: { within: S1, department: DEPT_CG } })).toEqual([
          "w1"
        ])
        // paging a scoped list: every page holds only in-scope cases, all of them exactly once
        const paged = yield* allPages({ limit: 1, scope: { within: S1, department: DEPT_CG } })
        expect(paged.length).toBe(3)
        expect(sorted(ids(paged))).toEqual(["d1", "d2", "w1"])
        // the department is the CURRENT dispatch target: after a return 回退 the case leaves its scope
        yield* run({
          _tag: "Return",
          caseId: Case.CaseId.make("d1"),
          actor: A.chengguan,
          at: at(T0 + 4 * MINUTE),
          reason: "不属于本部门职责"
        })
        expect(yield* scoped({ scope: { department: DEPT_CG } })).toEqual(["d2"])
      }).pipe(Effect.provide(store.make()))
  )

  it.effect(
    "filters: status, tier, category, report period and overdue combine with AND; an empty list matches nothing",
    () =>
      Effect.gen(function* () {
        yield* run(report("a", { at: T0 }))
        yield* run(report("b", { at: T0 + HOUR, category: CATEGORY_2 }))
        yield* run(report("c", { at: T0 + 2 * HOUR, tier: "street" }))
        yield* closedCase("d", T0 + 3 * HOUR)
        yield* run(accept("a", T0 + 4 * HOUR))
        const q = (query: CaseRepository.CaseQuery) => Effect.map(allPages(query), (xs) => sorted(ids(xs)))
        expect(yield* q({})).toEqual(["a", "b", "c", "d"])
        expect(yield* q({ status: ["reported"] })).toEqual(["b", "c"])
        expect(yield* q({ status: ["accepted", "closed"] })).toEqual(["a", "d"])
        expect(yield* q({ tier: ["street"] })).toEqual(["c"])
        expect(yield* q({ categoryId: [CATEGORY_2] })).toEqual(["b"])
        expect(yield* q({ categoryId: [CATEGORY], status: ["reported"] })).toEqual(["c"])
        expect(yield* q({ reportedFrom: new Date(T0 + HOUR), reportedTo: new Date(T0 + 3 * HOUR) })).toEqual([
          "b",
          "c"
        ])
        expect(yield* q({ status: [] })).toEqual([])
        expect(yield* q({ overdueAt: new Date(T0 + 100 * HOUR) })).toEqual([])
      }).pipe(Effect.provide(store.make()))
  )

  it.effect(
    "超期: with time limits the read model keeps the step deadline; overdueAt lists open cases past it",
    () =>
      Effect.gen(function* () {
        const r = yield* repo
        // Monday 09:00 Beijing; filing has 1 working hour → deadline 10:00
        yield* run(report("late", { at: T0 }))
        yield* run(report("fresh", { at: T0 + 2 * HOUR }))
        yield* closedCase("closed", T0)
        const late = yield* r.summary("late")
        const expected = TimeLimit.deadline(timeLimits.policy, timeLimits.calendar, {
          categoryId: CATEGORY,
          urgency: "normal",
          step: "filing",
          startedAt: at(T0)
        })
        expect(Either.isRight(expected)).toBe(true)
        if (Either.isRight(expected)) {
          expect(late.deadline).not.toBeNull()
          expect(late.deadline === null ? null : DateTime.toEpochMillis(late.deadline)).toBe(
            DateTime.toEpochMillis(expected.right.deadline)
          )
        }
        const q = (t: number) => Effect.map(allPages({ overdueAt: new Date(t) }), (xs) => sorted(ids(xs)))
        expect(yield* q(T0 + 30 * MINUTE)).toEqual([])
        expect(yield* q(T0 + 90 * MINUTE)).toEqual(["late"])
        expect(yield* q(T0 + 4 * HOUR)).toEqual(["fresh", "late"])
      }).pipe(Effect.provide(store.make({ timeLimits })))
  )

  it.effect(
    "keyset pages: newest first, ties by case id; stable under inserts (nothing repeated or skipped)",
    () =>
      Effect.gen(function* () {
        const r = yield* repo
        // 23 cases, several reported at the same instant (ties broken by case id)
        const initial: Array<string> = []
        for (let k = 0; k < 23; k++) {
          const id = `case-${String(k).padStart(2, "0")}`
          initial.push(id)
          yield* run(report(id, { at: T0 + Math.floor(k / 3) * MINUTE }))
        }
        const seen: Array<CaseRepository.CaseSummary> = []
        let page = yield* r.list({ limit: 5 })
        let inserted = 0
        for (;;) {
          seen.push(...page.items)
          if (Option.isNone(page.next)) break
          const last = page.items[page.items.length - 1]
          if (last === undefined) break
          const lastAt = DateTime.toEpochMillis(last.reportedAt)
          // inserts between pages: newer, at the cursor's instant (both sides of its id), older
          yield* run(report(`new-${inserted++}`, { at: T0 + HOUR }))
          yield* run(report(`case-${last.caseId.slice(5)}-a`, { at: lastAt }))
          yield* run(report(`aaa-${inserted++}`, { at: lastAt }))
          yield* run(report(`old-${inserted++}`, { at: T0 - HOUR }))
          page = yield* r.list({ limit: 5, after: page.next.value })
        }
        const seenIds = ids(seen)
        expect(new Set(seenIds).size).toBe(seenIds.length)
        for (const id of initial) expect(seenIds).toContain(id)
        const keys = seen.map(CaseRepository.pageKeyOf)
        for (let k = 1; k < keys.length; k++) {
          const a = keys[k - 1]
          const b = keys[k]
          if (a === undefined || b === undefined) continue
          expect(a.reportedAt > b.reportedAt || (a.reportedAt === b.reportedAt && a.caseId > b.caseId)).toBe(
            true
          )
        }
      }).pipe(Effect.provide(store.make()))
  )

  it.effect("a bad query is refused with InvalidCaseQuery listing every bad parameter", () =>
    Effect.gen(function* () {
      const r = yield* repo
      const error = yield* flip(
        r.list({ limit: 0, after: "not a cursor!", reportedFrom: new Date(Number.NaN) })
      )
      expect(error).toBeInstanceOf(CaseRepository.InvalidCaseQuery)
      expect(error.violations.map((v) => v.field)).toEqual(["limit", "after", "reportedFrom"])
      expect((yield* flip(r.list({ limit: 501 }))).violations.map((v) => v.field)).toEqual(["limit"])
      expect((yield* r.list({ limit: 500 })).items).toEqual([])
    }).pipe(Effect.provide(store.make()))
  )

  it.effect(
    "a malformed append is a defect, not a conflict: a gap, a foreign event, a key on an existing case",
    () =>
      Effect.gen(function* () {
        const r = yield* repo
        yield* run(report("case-1"))
        const state = Case.fold(yield* r.events("case-1"))
        const events = Either.getOrThrow(Case.decide(accept("case-1", T0 + MINUTE), state))
        const caseId = Case.CaseId.make("case-1")
        const isDie = <A, E>(exit: Exit.Exit<A, E>) => Exit.isFailure(exit) && Cause.isDie(exit.cause)
        expect(isDie(yield* Effect.exit(r.append({ caseId, expectedVersion: 0, events })))).toBe(true)
        expect(
          isDie(
            yield* Effect.exit(r.append({ caseId: Case.CaseId.make("case-2"), expectedVersion: 1, events }))
          )
        ).toBe(true)
        expect(
          isDie(yield* Effect.exit(r.append({ caseId, expectedVersion: 1, events, idempotencyKey: "k" })))
        ).toBe(true)
        expect(isDie(yield* Effect.exit(r.append({ caseId, expectedVersion: 0, events: [] })))).toBe(true)
        // what the writer decided against must be the case at expectedVersion, then the events
        const history = yield* r.events("case-1")
        const after = Case.fold([...history, ...events])
        expect(after._tag).toBe("Case")
        if (after._tag !== "Case") return
        expect(
          isDie(
            yield* Effect.exit(
              r.append({ caseId, expectedVersion: 1, events, decided: { history: [], after } })
            )
          )
        ).toBe(true)
        expect(
          isDie(
            yield* Effect.exit(
              r.append({
                caseId,
                expectedVersion: 1,
                events,
                decided: { history, after: { ...after, version: 3 } }
              })
            )
          )
        ).toBe(true)
        expect((yield* r.events("case-1")).length).toBe(1)
      }).pipe(Effect.provide(store.make()))
  )

  it.effect(
    "appendAll: one batch, all or nothing; results in input order; a key used twice creates one case",
    () =>
      Effect.gen(function* () {
        const r = yield* repo
        yield* run(report("existing"))
        const existing = Case.fold(yield* r.events("existing"))
        const input = (
          caseId: string,
          command = report(caseId),
          state: Case.State = Case.initial,
          key?: string
        ) => ({
          caseId: Case.CaseId.make(caseId),
          expectedVersion: state.version,
          events: Either.getOrThrow(Case.decide(command, state)),
          ...(key === undefined ? {} : { idempotencyKey: key })
        })
        const results = yield* r.appendAll([
          input("batch-1"),
          input("existing", accept("existing", T0 + MINUTE), existing),
          input("batch-2", report("batch-2"), Case.initial, "key-1"),
          input("batch-3", report("batch-3"), Case.initial, "key-1")
        ])
        expect(results).toEqual([
          { caseId: "batch-1", version: 1, replayed: false },
          { caseId: "existing", version: 2, replayed: false },
          { caseId: "batch-2", version: 1, replayed: false },
          { caseId: "batch-2", version: 1, replayed: true }
        ])
        // a stale input fails the whole batch: nothing of it is stored
        const conflict = yield* flip(
          r.appendAll([input("batch-4"), input("existing", accept("existing", T0 + MINUTE), existing)])
        )
        expect([conflict.caseId, conflict.expectedVersion, conflict.actualVersion]).toEqual([
          "existing",
          1,
          2
        ])
        expect(yield* r.events("batch-4")).toEqual([])
        expect(sorted(ids(yield* allPages({})))).toEqual(["batch-1", "batch-2", "existing"])
        expect(yield* r.appendAll([])).toEqual([])
      }).pipe(Effect.provide(store.make()))
  )

  it.effect(
    "decided: the store takes the writer's history and state — same row as a fold; a stale writer still conflicts",
    () =>
      Effect.gen(function* () {
        const r = yield* repo
        yield* execute(report("case-1"), { decided: true })
        yield* execute(report("case-2"), { decided: false })
        expect(encodeSummary(yield* r.summary("case-1"))).toEqual({
          ...encodeSummary(yield* r.summary("case-2")),
          caseId: "case-1"
        })
        const history = yield* r.events("case-1")
        const before = Case.fold(history)
        const events = Either.getOrThrow(Case.decide(accept("case-1", T0 + MINUTE), before))
        const after = Case.fold([...history, ...events])
        expect(after._tag).toBe("Case")
        if (after._tag !== "Case") return
        // another writer appends first
        yield* execute(accept("case-1", T0 + MINUTE))
        const conflict = yield* flip(
          r.append({
            caseId: Case.CaseId.make("case-1"),
            expectedVersion: 1,
            events,
            decided: { history, after }
          })
        )
        expect(conflict).toBeInstanceOf(CaseRepository.ConcurrencyConflict)
        expect([conflict.expectedVersion, conflict.actualVersion]).toEqual([1, 2])
        expect((yield* r.events("case-1")).length).toBe(2)
        // a stale writer of a new case (the id is taken) conflicts too
        const taken = Either.getOrThrow(Case.decide(report("case-1", { at: T0 + HOUR }), Case.initial))
        const reported = Case.fold(taken)
        if (reported._tag !== "Case") return
        const clash = yield* flip(
          r.append({
            caseId: Case.CaseId.make("case-1"),
            expectedVersion: 0,
            events: taken,
            decided: { history: [], after: reported }
          })
        )
        expect([clash.expectedVersion, clash.actualVersion]).toEqual([0, 2])
        expect((yield* r.summary("case-1")).version).toBe(2)
      }).pipe(Effect.provide(store.make({ timeLimits })))
  )

  it.effect(
    "guards: an input without events holds its case at expectedVersion — nothing written; stale fails the batch",
    () =>
      Effect.gen(function* () {
        const r = yield* repo
        yield* closedCase("held", T0)
        const fresh = (caseId: string) => ({
          caseId: Case.CaseId.make(caseId),
          expectedVersion: 0,
          events: Either.getOrThrow(Case.decide(report(caseId, { at: T0 + HOUR }), Case.initial))
        })
        const held = Case.CaseId.make("held")
        const results = yield* r.appendAll([fresh("new-1"), { caseId: held, expectedVersion: 6, events: [] }])
        expect(results).toEqual([
          { caseId: "new-1", version: 1, replayed: false },
          { caseId: "held", version: 6, replayed: false }
        ])
        expect(yield* r.append({ caseId: held, expectedVersion: 6, events: [] })).toEqual({
          caseId: "held",
          version: 6,
          replayed: false
        })
        expect((yield* r.events("held")).length).toBe(6)
        expect((yield* r.summary("held")).version).toBe(6)
        // a stale guard fails the whole batch
        const stale = yield* flip(
          r.appendAll([fresh("new-2"), { caseId: held, expectedVersion: 5, events: [] }])
        )
        expect([stale.caseId, stale.expectedVersion, stale.actualVersion]).toEqual(["held", 5, 6])
        expect(yield* r.events("new-2")).toEqual([])
        // a guard on a case that does not exist is stale too
        const missing = yield* flip(
          r.appendAll([{ caseId: Case.CaseId.make("no-such-case"), expectedVersion: 2, events: [] }])
        )
        expect([missing.expectedVersion, missing.actualVersion]).toEqual([2, 0])
        expect(sorted(ids(yield* allPages({})))).toEqual(["held", "new-1"])
      }).pipe(Effect.provide(store.make({ timeLimits })))
  )

  it.effect("guards: two cases merged into each other at once — exactly one merge wins, never a cycle", () =>
    Effect.gen(function* () {
      const r = yield* repo
      /** A merge of `from` into `to` decided now, appended with a guard on the target (as CaseService does). */
      const prepareMerge = (from: string, to: string, millis: number) =>
        Effect.gen(function* () {
          const history = yield* r.events(from)
          const before = Case.fold(history)
          const target = Case.fold(yield* r.events(to))
          const events = yield* Case.decide(
            {
              _tag: "Merge",
              caseId: Case.CaseId.make(from),
              actor: A.communityStaff,
              at: at(millis),
              targetId: Case.CaseId.make(to)
            },
            before
          )
          const after = Case.fold([...history, ...events])
          if (after._tag !== "Case") return yield* Effect.dieMessage("a merge left no case")
          return [
            { caseId: after.id, expectedVersion: before.version, events, decided: { history, after } },
            { caseId: Case.CaseId.make(to), expectedVersion: target.version, events: [] }
          ]
        })
      for (let round = 0; round < 6; round++) {
        const a = `a-${round}`
        const b = `b-${round}`
        yield* run(report(a, { at: T0 + round }))
        yield* run(report(b, { at: T0 + round }))
        if (round % 2 === 1) yield* run(accept(b, T0 + MINUTE))
        // both decided against the cases before either merge is stored, then appended at once
        const ab = yield* prepareMerge(a, b, T0 + HOUR)
        const ba = yield* prepareMerge(b, a, T0 + HOUR)
        const outcomes = yield* Effect.all([Effect.either(r.appendAll(ab)), Effect.either(r.appendAll(ba))], {
          concurrency: "unbounded"
        })
        expect(outcomes.filter(Either.isRight).length).toBe(1)
        for (const o of outcomes) if (Either.isLeft(o)) expect(o.left._tag).toBe("ConcurrencyConflict")
        const merged = [(yield* r.summary(a)).status, (yield* r.summary(b)).status].filter(
          (s) => s === "merged"
        )
        expect(merged.length).toBe(1)
      }
    }).pipe(Effect.provide(store.make({ timeLimits })))
  )
})

describe.each(dialects)("SQL case store specifics — $name", (dialect) => {
  const withStore = Layer.provideMerge(SqlCaseRepository.layer({ timeLimits }), freshDatabase(dialect))

  it.effect(
    "the unique (case_id, sequence) key is the final guard: a clash becomes ConcurrencyConflict",
    () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const r = yield* repo
        // a writer that committed sequence 1 of a new case first (its read-model row not visible yet)
        yield* sql`INSERT INTO cg_case_events (case_id, sequence, tag, at, actor_id, payload)
        VALUES (${"case-1"}, ${1}, ${"Reported"}, ${T0}, ${"gw-1"}, ${"{}"})`
        const events = Either.getOrThrow(Case.decide(report("case-1"), Case.initial))
        const conflict = yield* flip(
          r.append({ caseId: Case.CaseId.make("case-1"), expectedVersion: 0, events })
        )
        expect(conflict).toBeInstanceOf(CaseRepository.ConcurrencyConflict)
        expect([conflict.expectedVersion, conflict.actualVersion]).toEqual([0, 1])
        expect(yield* flip(r.summary("case-1"))).toBeInstanceOf(CaseRepository.CaseNotFound)
      }).pipe(Effect.provide(withStore))
  )

  it.effect(
    "the events are the truth: an event beyond the read model's version is a conflict, not a defect",
    () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const r = yield* repo
        yield* run(report("case-1"))
        const history = yield* r.events("case-1")
        const state = Case.fold(history)
        const events = Either.getOrThrow(Case.decide(accept("case-1", T0 + MINUTE), state))
        yield* sql`INSERT INTO cg_case_events (case_id, sequence, tag, at, actor_id, payload)
        VALUES (${"case-1"}, ${2}, ${"Accepted"}, ${T0}, ${"cs-1"}, ${"{}"})`
        const conflict = yield* flip(
          r.append({ caseId: Case.CaseId.make("case-1"), expectedVersion: 1, events })
        )
        expect([conflict.expectedVersion, conflict.actualVersion]).toEqual([1, 2])
        expect((yield* r.summary("case-1")).version).toBe(1)
        // a writer that decided against the history it read (the store does not read it again):
        // the unique (case_id, sequence) key catches it
        const after = Case.fold([...history, ...events])
        if (after._tag !== "Case") return
        const clash = yield* flip(
          r.append({
            caseId: Case.CaseId.make("case-1"),
            expectedVersion: 1,
            events,
            decided: { history, after }
          })
        )
        expect([clash.expectedVersion, clash.actualVersion]).toEqual([1, 2])
        expect((yield* r.summary("case-1")).version).toBe(1)
      }).pipe(Effect.provide(withStore))
  )

  it.effect(
    "storage: payloads are the CaseEvent encoding; unit paths come from cg_units, else the fallback",
    () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const appended = yield* run(report("in-b1", { unit: B1 }))
        yield* run(report("in-c1-unknown-building", { unit: B_UNKNOWN }))
        yield* run(report("in-unknown-community", { community: C_UNKNOWN, unit: B_UNKNOWN }))
        const payloads = yield* sql<{ readonly payload: string; readonly tag: string }>`
        SELECT payload, tag FROM cg_case_events WHERE case_id = ${"in-b1"}`
        expect(payloads.map((p) => JSON.parse(p.payload))).toEqual(encodeEvents(appended))
        expect(payloads.map((p) => p.tag)).toEqual(["Reported"])
        const paths = yield* sql<{ readonly case_id: string; readonly unit_path: string }>`
        SELECT case_id, unit_path FROM cg_cases ORDER BY case_id`
        expect(paths.map((p) => [p.case_id, p.unit_path])).toEqual([
          ["in-b1", `/${D}/${S1}/${C1}/${B1}/`],
          ["in-c1-unknown-building", `/${D}/${S1}/${C1}/${B_UNKNOWN}/`],
          ["in-unknown-community", `/${C_UNKNOWN}/${B_UNKNOWN}/`]
        ])
      }).pipe(Effect.provide(withStore))
  )
})
