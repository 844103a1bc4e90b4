import * as Decider from "@civicgrid/core/Decider"
import * as MicroWish from "@civicgrid/core/MicroWish"
import * as ProxyService from "@civicgrid/core/ProxyService"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "fast-check"

/** A counter that refuses to go below zero: the smallest aggregate. */
type Command = { readonly _tag: "Add"; readonly n: number }
type Event = { readonly sequence: number; readonly n: number }
type State = { readonly version: number; readonly total: number }
const counter = Decider.make<Command, State, Event, string>({
  initial: { version: 0, total: 0 },
  decide: (command, state) =>
    state.total + command.n < 0
      ? Either.left(`below zero at ${state.version}`)
      : Either.right([{ sequence: state.version + 1, n: command.n }]),
  evolve: (state, event) =>
    event.sequence === state.version + 1 ? { version: event.sequence, total: state.total + event.n } : state
})

describe("Decider — the shared decider kit", () => {
  it.prop(
    "execute is decide then evolve; fold of the appended events gives the same state",
    [fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 40 })],
    ([ns]) => {
      let state = counter.initial
      const history: Array<Event> = []
      for (const n of ns) {
        const result = Decider.execute(counter)(state, { _tag: "Add", n })
        if (Either.isLeft(result)) {
          expect(state.total + n).toBeLessThan(0)
          continue
        }
        history.push(...result.right.events)
        state = result.right.state
        expect(state.total).toBeGreaterThanOrEqual(0)
      }
      expect(Decider.fold(counter)(history)).toEqual(state)
      expect(
        Decider.replay(counter, {
          continues: (s, e) => e.sequence === s.version + 1,
          broken: (_, __, i) => i
        })(history)
      ).toEqual(Either.right(state))
    }
  )

  it.prop(
    "replay names the first event that does not continue the history",
    [fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 20 }), fc.nat()],
    ([ns, pick]) => {
      const history = ns.map((n, i) => ({ sequence: i + 1, n }))
      const at = pick % history.length
      const broken = history.map((e, i) => (i === at ? { ...e, sequence: e.sequence + 1 } : e))
      const replay = Decider.replay(counter, {
        continues: (s, e) => e.sequence === s.version + 1,
        broken: (_, __, i) => i
      })
      expect(replay(broken)).toEqual(Either.left(at))
    }
  )

  it("the aggregates of the core are deciders of the kit", () => {
    expect(MicroWish.decider.initial).toBe(MicroWish.initial)
    expect(ProxyService.decider.initial).toBe(ProxyService.initial)
    expect(MicroWish.fold([])).toEqual(MicroWish.initial)
    expect(ProxyService.fold([])).toEqual(ProxyService.initial)
  })
})
