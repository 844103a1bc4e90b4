/**
 * 评优评先 — award rounds: nomination (推荐) → public notice (公示) → award (表彰)
 * with a quota; properties over generated command sequences: never more
 * awarded than the quota, never awarded before the notice is over, refusals
 * change nothing.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Award from "../src/Award.js"
import * as Decider from "../src/Decider.js"
import { PersonId } from "../src/Staffing.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const R = Award.RoundId.make("2024-优秀楼栋长")
const on = (d: string) => LocalDate.make(d)
const id = (s: string) => PersonId.make(s)

const open: Award.Command = {
  _tag: "Open",
  roundId: R,
  on: on("2024-11-01"),
  name: "优秀楼栋长",
  quota: 2,
  noticeDays: 5
}
const nominate = (who: string, d = "2024-11-02"): Award.Command => ({
  _tag: "Nominate",
  roundId: R,
  on: on(d),
  nomineeId: id(who)
})
const publish = (who: ReadonlyArray<string>, d = "2024-11-05"): Award.Command => ({
  _tag: "Publish",
  roundId: R,
  on: on(d),
  nomineeIds: who.map(id)
})
const confer = (who: ReadonlyArray<string>, d: string): Award.Command => ({
  _tag: "Confer",
  roundId: R,
  on: on(d),
  nomineeIds: who.map(id)
})
const withdraw = (who: string, d: string): Award.Command => ({
  _tag: "Withdraw",
  roundId: R,
  on: on(d),
  nomineeId: id(who),
  reason: "公示期间收到实名反映，经核实属实"
})

const run = (commands: ReadonlyArray<Award.Command>) => {
  let state = Award.initial
  const events: Array<Award.Event> = []
  const refusals: Array<Award.AwardRefused> = []
  for (const c of commands) {
    const r = Decider.execute(Award.decider)(state, c)
    if (Either.isRight(r)) {
      state = r.right.state
      events.push(...r.right.events)
    } else refusals.push(r.left)
  }
  return { state, events, refusals }
}

describe("Award — nomination, public notice, award", () => {
  it("awards after five days of public notice, within the quota", () => {
    const { state, refusals, events } = run([
      open,
      nominate("楼栋长-1"),
      nominate("楼栋长-2"),
      nominate("楼栋长-3"),
      publish(["楼栋长-1", "楼栋长-2"]),
      confer(["楼栋长-1", "楼栋长-2"], "2024-11-10")
    ])
    expect(refusals).toEqual([])
    expect(Award.awarded(state)).toEqual(["楼栋长-1", "楼栋长-2"])
    expect(Decider.fold(Award.decider)(events)).toEqual(state)
    expect(Award.noticeEnds(on("2024-11-05"), 5)).toBe("2024-11-10")
  })

  it("refuses an award before the notice is over, without notice, and beyond the quota", () => {
    const early = run([open, nominate("a"), publish(["a"]), confer(["a"], "2024-11-09")]).refusals
    expect(early.map((r) => [r.rules, r.nomineeIds])).toEqual([[["notice-not-over"], ["a"]]])
    expect(early[0]?.message).toContain("公示期未满")
    expect(early[0]?.message).toContain("the public notice period is not over")
    const noNotice = run([open, nominate("a"), confer(["a"], "2024-11-20")]).refusals
    expect(noNotice[0]?.rules).toEqual(["not-on-notice"])
    const over = run([open, nominate("a"), nominate("b"), nominate("c"), publish(["a", "b", "c"])]).refusals
    expect(over[0]?.rules).toEqual(["over-quota"])
    expect(over[0]?.quota).toBe(2)
  })

  it("an objection upheld during notice frees the place for another nominee", () => {
    const { state, refusals } = run([
      open,
      nominate("a"),
      nominate("b"),
      nominate("c"),
      publish(["a", "b"]),
      withdraw("b", "2024-11-06"),
      publish(["c"], "2024-11-06"),
      confer(["a"], "2024-11-10"),
      confer(["c"], "2024-11-11")
    ])
    expect(refusals).toEqual([])
    expect(Award.awarded(state)).toEqual(["a", "c"])
    expect(
      run([open, nominate("a"), publish(["a"]), confer(["a"], "2024-11-10"), withdraw("a", "2024-11-11")])
        .refusals[0]?.rules
    ).toEqual(["already-awarded"])
  })

  it("on public notice: from the day published to the day before the notice ends, not once withdrawn or awarded", () => {
    const { state } = run([open, nominate("a"), nominate("b"), nominate("c"), publish(["a", "b"])])
    const noticed = (d: string) => Award.onNotice(state, on(d)).map((n) => n.id)
    expect(noticed("2024-11-04")).toEqual([])
    expect(noticed("2024-11-05")).toEqual(["a", "b"])
    expect(noticed("2024-11-09")).toEqual(["a", "b"])
    expect(noticed("2024-11-10")).toEqual([])
    const later = run([
      open,
      nominate("a"),
      nominate("b"),
      publish(["a", "b"]),
      withdraw("b", "2024-11-06"),
      confer(["a"], "2024-11-10")
    ]).state
    expect(Award.onNotice(later, on("2024-11-07")).map((n) => n.id)).toEqual([])
    expect(Award.onNotice(Award.initial, on("2024-11-07"))).toEqual([])
  })

  it("refuses before opening, a second opening, a repeated nomination", () => {
    expect(run([nominate("a")]).refusals[0]?.rules).toEqual(["no-round"])
    expect(run([open, open]).refusals[0]?.rules).toEqual(["round-exists"])
    expect(run([open, nominate("a"), nominate("a")]).refusals[0]?.rules).toEqual(["already-nominated"])
  })
})

describe("Award — properties", () => {
  const pool = ["a", "b", "c", "d", "e"]
  const dayArb = fc
    .integer({ min: 0, max: 30 })
    .map((n) => on(new Date(Date.UTC(2024, 10, 1) + n * 86_400_000).toISOString().slice(0, 10)))
  const whoArb = fc.subarray(pool, { maxLength: 4 })
  const commandArb: fc.Arbitrary<Award.Command> = fc.oneof(
    fc
      .record({
        d: dayArb,
        quota: Arbitrary.make(Award.Open.fields.quota),
        notice: fc.integer({ min: 0, max: 7 })
      })
      .map(({ d, quota, notice }) => ({ ...open, on: d, quota: Math.min(quota, 4), noticeDays: notice })),
    fc.record({ d: dayArb, w: fc.constantFrom(...pool) }).map(({ d, w }) => nominate(w, d)),
    fc.record({ d: dayArb, w: whoArb }).map(({ d, w }) => publish(w, d)),
    fc.record({ d: dayArb, w: whoArb }).map(({ d, w }) => confer(w, d)),
    fc.record({ d: dayArb, w: fc.constantFrom(...pool) }).map(({ d, w }) => withdraw(w, d))
  )

  it.prop(
    "never more awarded than the quota, never before the notice is over",
    [fc.array(commandArb, { maxLength: 40 })],
    ([commands]) => {
      const { state, events } = run(commands)
      if (state._tag === "NoRound") {
        expect(events).toEqual([])
        return
      }
      expect(Award.awarded(state).length).toBeLessThanOrEqual(state.quota)
      expect(Award.placesTaken(state)).toBeLessThanOrEqual(state.quota)
      for (const n of state.nominees) {
        if (n.status !== "awarded") continue
        expect(n.noticeFrom).toBeDefined()
        if (n.noticeFrom !== undefined && n.awardedOn !== undefined)
          expect(n.awardedOn >= Award.noticeEnds(n.noticeFrom, state.noticeDays)).toBe(true)
      }
      expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1))
      expect(Decider.fold(Award.decider)(events)).toEqual(state)
    }
  )

  it.prop(
    "on notice on a day: exactly the published nominees whose window holds the day",
    [fc.array(commandArb, { maxLength: 40 }), dayArb],
    ([commands, day]) => {
      const { state } = run(commands)
      const shown = Award.onNotice(state, day)
      if (state._tag === "NoRound") {
        expect(shown).toEqual([])
        return
      }
      expect(shown.length).toBeLessThanOrEqual(state.quota)
      for (const n of state.nominees) {
        const inWindow =
          n.status === "on-notice" &&
          n.noticeFrom !== undefined &&
          n.noticeFrom <= day &&
          day < Award.noticeEnds(n.noticeFrom, state.noticeDays)
        expect(shown.includes(n)).toBe(inWindow)
      }
    }
  )

  it.prop(
    "a refused command changes nothing",
    [fc.array(commandArb, { maxLength: 20 }), commandArb],
    ([commands, last]) => {
      const { state } = run(commands)
      const r = Award.decide(last, state)
      if (Either.isLeft(r)) {
        expect(r.left.rules.length).toBeGreaterThan(0)
        expect(run([...commands, last]).state).toEqual(state)
      }
    }
  )
})
