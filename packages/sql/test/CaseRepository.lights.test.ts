/**
 * Timer lights 计时灯 in the read model (issue 16): every store keeps the
 * instants a step's light turns yellow and red (`TimeLimit.marks`, on the
 * working calendar), so `list({ light })` selects by light with a comparison
 * of instants — and it agrees with the core's `TimeLimit.light` for random
 * cases at random clocks. Run against every store (in memory, SQLite,
 * PostgreSQL when configured).
 */
import type * as Case from "@civicgrid/core/Case"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as Escalation from "@civicgrid/core/Escalation"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import {
  accept,
  dispatch,
  execute,
  freshDatabase,
  load,
  report,
  stores,
  timeLimits
} from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const repo = CaseRepository.CaseRepository

/** Beijing wall-clock time as an instant. */
const bj = (y: number, m: number, d: number, h: number, min = 0) => Date.UTC(y, m - 1, d, h - 8, min)

/** Filing has 2 working days; the rest as the default policy. */
const twoDays: CaseRepository.TimeLimits = {
  policy: {
    rules: [
      { step: "filing", limit: WorkDuration.workingDays(2) },
      ...TimeLimit.defaultPolicy.rules.filter((r) => r.step !== "filing")
    ]
  },
  calendar: WorkingCalendar.china()
}

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

const lit = (color: TimeLimit.LightColor, at: number) =>
  Effect.map(allPages({ light: { colors: [color], at: new Date(at) } }), (xs) =>
    xs.map((s) => s.caseId).sort()
  )

/** A random case: when it is reported, its urgency, how far it goes (0 filing, 1 dispatch, 2 handling). */
const randomCase = fc.record({
  reportedAt: fc.integer({ min: bj(2024, 3, 1, 0), max: bj(2024, 11, 30, 0) }),
  urgency: fc.constantFrom("normal", "urgent", "critical") as fc.Arbitrary<"normal" | "urgent" | "critical">,
  steps: fc.integer({ min: 0, max: 2 }),
  gaps: fc.array(fc.integer({ min: 1, max: 4 * 24 * 60 }), { minLength: 2, maxLength: 2 })
})

describe.each(stores)("timer lights in the read model — $name", (store) => {
  it.effect(
    "a step started Friday 16:00 with 2 working days: green over the weekend, yellow and red at working-time instants",
    () =>
      Effect.gen(function* () {
        // 2025-03-07 is a Friday; Monday 10 and Tuesday 11 March are working days (08:30–12:00, 13:30–17:30)
        yield* execute(report("fri", { at: bj(2025, 3, 7, 16) }))
        const s = yield* (yield* repo).summary("fri")
        // 15 working hours: 1.5 h on Friday, 7.5 h on Monday, 6 h on Tuesday → Tuesday 16:00
        expect(s.deadline === null ? null : DateTime.toEpochMillis(s.deadline)).toBe(bj(2025, 3, 11, 16))
        // 80 % = 12 h: Tuesday 11:30
        expect(s.yellowAt === null ? null : DateTime.toEpochMillis(s.yellowAt)).toBe(bj(2025, 3, 11, 11, 30))
        expect(s.redAt === null ? null : DateTime.toEpochMillis(s.redAt)).toBe(bj(2025, 3, 11, 16) + 1)
        const saturday = bj(2025, 3, 8, 12)
        // a wall-clock fraction would be (20 h / 96 h) … but by Sunday night it would be far past 80 %
        for (const t of [saturday, bj(2025, 3, 9, 23), bj(2025, 3, 10, 17), bj(2025, 3, 11, 11, 29)]) {
          expect(yield* lit("green", t)).toEqual(["fri"])
        }
        expect(yield* lit("yellow", bj(2025, 3, 11, 11, 30))).toEqual(["fri"])
        expect(yield* lit("yellow", bj(2025, 3, 11, 16))).toEqual(["fri"])
        expect(yield* lit("red", bj(2025, 3, 11, 16))).toEqual([])
        expect(yield* lit("red", bj(2025, 3, 11, 16) + 1)).toEqual(["fri"])
        expect(yield* lit("red", bj(2025, 3, 12, 9))).toEqual(["fri"])
        // the core agrees at each of these instants
        const state = yield* load("fri")
        const input = Option.getOrThrow(Escalation.timerInputOf(state))
        for (const t of [saturday, bj(2025, 3, 11, 11, 30), bj(2025, 3, 11, 16), bj(2025, 3, 11, 16) + 1]) {
          const core = Either.getOrThrow(
            TimeLimit.light(twoDays.policy, twoDays.calendar, input, DateTime.unsafeMake(t))
          )
          expect(CaseRepository.lightOf(s, DateTime.unsafeMake(t))).toBe(core.color)
        }
      }).pipe(Effect.provide(store.make({ timeLimits: twoDays })))
  )

  it.effect("a deadline at 12:00 stays yellow over lunch and turns red once work resumes at 13:30", () =>
    Effect.gen(function* () {
      // filing: 1 working hour from 11:00 → 12:00
      yield* execute(report("lunch", { at: bj(2025, 3, 10, 11) }))
      expect(yield* lit("yellow", bj(2025, 3, 10, 12, 45))).toEqual(["lunch"])
      expect(yield* lit("red", bj(2025, 3, 10, 13, 30))).toEqual([])
      expect(yield* lit("red", bj(2025, 3, 10, 13, 30) + 1)).toEqual(["lunch"])
    }).pipe(Effect.provide(store.make({ timeLimits })))
  )

  it.effect("sort by time left: deadline ascending, paged, only cases with a deadline", () =>
    Effect.gen(function* () {
      const t0 = bj(2025, 3, 10, 9)
      yield* execute(report("b", { at: t0 + 2 * HOUR }))
      yield* execute(report("a", { at: t0 }))
      yield* execute(report("c", { at: t0 + HOUR }))
      const order = yield* Effect.map(allPages({ order: "deadline", limit: 1 }), (xs) =>
        xs.map((s) => s.caseId)
      )
      expect(order).toEqual(["a", "c", "b"])
      // a cursor of one order is not a cursor of the other
      const r = yield* repo
      const first = yield* r.list({ order: "deadline", limit: 1 })
      const wrong = yield* Effect.flip(r.list({ limit: 1, after: Option.getOrThrow(first.next) }))
      expect(wrong._tag).toBe("InvalidCaseQuery")
    }).pipe(Effect.provide(store.make({ timeLimits })))
  )

  it.effect(
    "list({ light }) equals the core's TimeLimit.light over random cases at random clocks",
    () =>
      Effect.gen(function* () {
        const cases = fc.sample(randomCase, { numRuns: 40, seed: 16 })
        let last = 0
        for (const [k, c] of cases.entries()) {
          const id = `r-${k}`
          yield* execute(report(id, { at: c.reportedAt, urgency: c.urgency }))
          const accepted = c.reportedAt + (c.gaps[0] ?? 1) * MINUTE
          const dispatched = accepted + (c.gaps[1] ?? 1) * MINUTE
          if (c.steps >= 1) yield* execute(accept(id, accepted))
          if (c.steps >= 2) yield* execute(dispatch(id, dispatched))
          last = Math.max(last, c.steps === 0 ? c.reportedAt : c.steps === 1 ? accepted : dispatched)
        }
        const states: Array<Case.Case> = []
        for (const k of cases.keys()) states.push(yield* load(`r-${k}`))
        const expected = (now: number, color: TimeLimit.LightColor) =>
          states
            .filter((state) => {
              const input = Escalation.timerInputOf(state)
              if (Option.isNone(input)) return false
              const l = TimeLimit.light(
                timeLimits.policy,
                timeLimits.calendar,
                input.value,
                DateTime.unsafeMake(now)
              )
              return Either.isRight(l) && !l.right.paused && l.right.color === color
            })
            .map((state) => state.id as string)
            .sort()
        const clocks = fc.sample(fc.integer({ min: last, max: last + 40 * 24 * HOUR }), {
          numRuns: 25,
          seed: 61
        })
        // instants right at the changes, too
        const summaries = yield* allPages({})
        for (const s of summaries) {
          for (const d of [s.yellowAt, s.redAt]) {
            if (d !== null && DateTime.toEpochMillis(d) >= last) {
              clocks.push(DateTime.toEpochMillis(d) - 1, DateTime.toEpochMillis(d))
            }
          }
        }
        for (const now of clocks) {
          for (const color of ["red", "yellow", "green"] as const) {
            expect(yield* lit(color, now)).toEqual(expected(now, color))
          }
        }
      }).pipe(Effect.provide(store.make({ timeLimits }))),
    60_000
  )
})

describe.each(dialects)("timer lights backfill on $name", (dialect) => {
  it.effect("rows stored before migration 0016 get their light instants before the store's first list", () =>
    Effect.gen(function* () {
      yield* execute(report("old", { at: bj(2025, 3, 7, 16) }))
      const sql = yield* SqlClient.SqlClient
      const before = yield* (yield* repo).summary("old")
      // as a row written before 0016: no instants
      yield* sql`UPDATE cg_cases SET yellow_at = NULL, red_at = NULL`
      const nulls = yield* sql<{
        readonly n: unknown
      }>`SELECT COUNT(*) AS n FROM cg_cases WHERE yellow_at IS NULL`
      expect(Number(nulls[0]?.n)).toBe(1)
      // the store fills them before its first list (or board)
      const rebuilt = yield* SqlCaseRepository.make({ timeLimits: twoDays })
      expect(
        (yield* rebuilt.list({ light: { colors: ["green"], at: new Date(bj(2025, 3, 8, 12)) } })).items.length
      ).toBe(1)
      const after = yield* rebuilt.summary("old")
      expect(after).toEqual(before)
    }).pipe(
      Effect.provide(
        SqlCaseRepository.layer({ timeLimits: twoDays }).pipe(Layer.provideMerge(freshDatabase(dialect)))
      )
    )
  )
})
