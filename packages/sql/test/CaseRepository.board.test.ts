/**
 * The board 看板 (issue 16): what every store counts with grouped queries —
 * open cases by status × light, red cases by tier, escalations and closures of
 * the day (+08:00) — equals a fold over the cases' events with the core's
 * `TimeLimit.light`, for random histories (the random command model of the
 * conformance suite) at random clocks. Run against every store.
 */
import * as Case from "@civicgrid/core/Case"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as Escalation from "@civicgrid/core/Escalation"
import type { Tier } from "@civicgrid/core/Tier"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import type { UnitId } from "@civicgrid/core/Unit"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import {
  A,
  build,
  C1,
  C3,
  D,
  execute,
  intents,
  report,
  S1,
  S2,
  stores,
  T0,
  timeLimits
} from "./support/CaseFixtures.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const repo = CaseRepository.CaseRepository

/** The board by folding: each case's events, its state, the core's light. */
const folded = (
  cases: ReadonlyArray<{ readonly events: ReadonlyArray<CaseEvent>; readonly community: UnitId }>,
  unitId: UnitId,
  now: number
) => {
  const inUnit = (community: UnitId) =>
    unitId === D ||
    unitId === community ||
    (unitId === S1 && community === C1) ||
    (unitId === S2 && community === C3)
  const day = CaseRepository.boardDay(DateTime.unsafeMake(now))
  const open = new Map<string, { status: Case.Status; light: TimeLimit.LightColor | null; count: number }>()
  const overdue = new Map<Tier, number>()
  let escalatedToday = 0
  let closedToday = 0
  let supervised = 0
  for (const c of cases) {
    if (!inUnit(c.community)) continue
    const state = Case.fold(c.events)
    if (state._tag !== "Case") continue
    for (const e of c.events) {
      const t = DateTime.toEpochMillis(e.at)
      if (e._tag === "Escalated" && t >= day.from && t < day.to) escalatedToday++
    }
    if (state.closedAt !== null) {
      const t = DateTime.toEpochMillis(state.closedAt)
      if (t >= day.from && t < day.to) closedToday++
    }
    if (!Case.isOpen(state.status)) continue
    if ((state.supervisions ?? 0) > 0) supervised++
    const input = Escalation.timerInputOf(state)
    const l = Option.isNone(input)
      ? undefined
      : TimeLimit.light(timeLimits.policy, timeLimits.calendar, input.value, DateTime.unsafeMake(now))
    const light = l === undefined || Either.isLeft(l) || l.right.paused ? null : l.right.color
    const key = `${state.status}|${light}`
    const cell = open.get(key) ?? { status: state.status, light, count: 0 }
    cell.count++
    open.set(key, cell)
    if (light === "red") overdue.set(state.tier, (overdue.get(state.tier) ?? 0) + 1)
  }
  return CaseRepository.makeBoard({
    unitId,
    at: DateTime.unsafeMake(now),
    open: [...open.values()],
    overdue: [...overdue.entries()].map(([tier, count]) => ({ tier, count })),
    escalatedToday,
    closedToday,
    supervised
  })
}

describe.each(stores)("the board — $name", (store) => {
  it.effect(
    "board(unit, now) equals the fold-based board for random histories at random clocks",
    () =>
      Effect.gen(function* () {
        const histories = fc.sample(intents(12), { numRuns: 30, seed: 1616 })
        const stored: Array<{ readonly id: string; readonly community: UnitId }> = []
        let last = T0
        for (const [k, history] of histories.entries()) {
          const caseId = Case.CaseId.make(`b-${k}`)
          let now = T0 + k * 37 * MINUTE
          for (const i of history) {
            now += i.dt * MINUTE
            const state = Case.fold(yield* (yield* repo).events(caseId))
            yield* Effect.either(execute(build(i, state, caseId, DateTime.unsafeMake(now))))
          }
          last = Math.max(last, now)
          stored.push({ id: caseId, community: C1 })
        }
        // a few in another street
        for (const k of [0, 1, 2]) {
          yield* execute(report(`o-${k}`, { community: C3, at: T0 + k * HOUR }))
          stored.push({ id: `o-${k}`, community: C3 })
        }
        const cases: Array<{ readonly events: ReadonlyArray<CaseEvent>; readonly community: UnitId }> = []
        for (const s of stored)
          cases.push({ events: yield* (yield* repo).events(s.id), community: s.community })
        const clocks = fc.sample(fc.integer({ min: T0, max: last + 5 * 24 * HOUR }), { numRuns: 12, seed: 7 })
        // clocks on the days things happened, too
        for (const c of cases) for (const e of c.events) clocks.push(DateTime.toEpochMillis(e.at) + HOUR)
        const seen = { escalated: 0, closed: 0, red: 0, yellow: 0, supervised: 0 }
        for (const now of clocks.slice(0, 60)) {
          for (const unitId of [D, S1, S2, C1, C3]) {
            const board = yield* (yield* repo).board(unitId, DateTime.unsafeMake(now))
            expect(board).toEqual(folded(cases, unitId, now))
            seen.escalated += board.escalatedToday
            seen.closed += board.closedToday
            seen.supervised += board.supervised
            for (const cell of board.open) {
              if (cell.light === "red") seen.red += cell.count
              if (cell.light === "yellow") seen.yellow += cell.count
            }
          }
        }
        // the histories exercise every count
        expect(Object.values(seen).every((n) => n > 0)).toBe(true)
      }).pipe(Effect.provide(store.make({ timeLimits }))),
    120_000
  )
})

describe.each(stores)("督办 supervision — $name", (store) => {
  it.effect(
    "a supervision is in the case's history, on its summary and counted on the board; it never changes the status",
    () =>
      Effect.gen(function* () {
        const r = yield* repo
        yield* execute(report("s-1", { at: T0 }))
        yield* execute(report("s-2", { at: T0 + MINUTE }))
        const supervise = (
          caseId: string,
          millis: number,
          actor: typeof A.streetStaff,
          level: "urge" | "supervise"
        ) =>
          execute({
            _tag: "Supervise",
            caseId: Case.CaseId.make(caseId),
            actor,
            at: DateTime.unsafeMake(millis),
            level,
            note: "请加快办理"
          })
        yield* supervise("s-1", T0 + HOUR, A.streetStaff, "urge")
        yield* supervise("s-1", T0 + 2 * HOUR, A.districtStaff, "supervise")
        // a grid worker or community staff may not supervise (rule role)
        const refused = yield* Effect.flip(supervise("s-2", T0 + HOUR, A.communityStaff, "urge"))
        expect(refused._tag).toBe("CaseRefused")
        const history = yield* r.events("s-1")
        expect(
          history
            .filter((e) => e._tag === "Supervised")
            .map((e) => (e._tag === "Supervised" ? e.level : null))
        ).toEqual(["urge", "supervise"])
        const summary = yield* r.summary("s-1")
        expect([summary.status, summary.supervisions]).toEqual(["reported", 2])
        expect(summary.supervisedAt === null ? null : DateTime.toEpochMillis(summary.supervisedAt)).toBe(
          T0 + 2 * HOUR
        )
        const board = yield* r.board(S1, DateTime.unsafeMake(T0 + 3 * HOUR))
        expect(board.supervised).toBe(1)
        expect((yield* r.board(S2, DateTime.unsafeMake(T0 + 3 * HOUR))).supervised).toBe(0)
      }).pipe(Effect.provide(store.make({ timeLimits })))
  )
})
