/**
 * 决策器 — the decider kit shared by every aggregate of the core (`Case`,
 * `MicroWish`, `ProxyService` …): an aggregate is its `initial` state, a pure
 * `decide(command, state)` that returns the events a command causes or a typed
 * refusal, and a pure `evolve(state, event)` that applies one event. The kit
 * derives the rest once, for all of them: `fold` (the state a history leads
 * to), `execute` (decide, then evolve: the events to append and the state
 * after them) and `replay` (the strict fold that names the first event that
 * does not continue the history).
 *
 * ```ts
 * import * as Decider from "@civicgrid/core/Decider"
 * import * as MicroWish from "@civicgrid/core/MicroWish"
 *
 * const state = Decider.fold(MicroWish.decider)(history)
 * const result = Decider.execute(MicroWish.decider)(state, command)
 * ```
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"

/**
 * 决策器 — an aggregate's three pure parts. `decide` numbers its events from
 * `state.version + 1`; `evolve` applies facts and never re-checks a rule.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decider<in Command, in out State, in out Event, out Refused> {
  readonly initial: State
  readonly decide: (command: Command, state: State) => Either.Either<ReadonlyArray<Event>, Refused>
  readonly evolve: (state: State, event: Event) => State
}

/**
 * Builds a decider from its three parts (an identity that fixes the types).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <Command, State, Event, Refused>(
  parts: Decider<Command, State, Event, Refused>
): Decider<Command, State, Event, Refused> => parts

/**
 * 折叠 — the state a history leads to: `evolve` over the events from
 * `initial` (events that do not continue the history are skipped, as
 * `evolve` does).
 *
 * @since 0.1.0
 * @category folding
 */
export const fold =
  <State, Event>(decider: Decider<never, State, Event, unknown>) =>
  (events: Iterable<Event>): State => {
    let state = decider.initial
    for (const event of events) state = decider.evolve(state, event)
    return state
  }

/**
 * 执行 — `decide`, then `evolve` the state through the events: the events to
 * append and the state they lead to.
 *
 * @since 0.1.0
 * @category deciding
 */
export const execute =
  <Command, State, Event, Refused>(decider: Decider<Command, State, Event, Refused>) =>
  (
    state: State,
    command: Command
  ): Either.Either<{ readonly events: ReadonlyArray<Event>; readonly state: State }, Refused> =>
    Either.map(decider.decide(command, state), (events) => ({
      events,
      state: events.reduce(decider.evolve, state)
    }))

/**
 * 重放 — the strict fold: the state a history leads to, or the error `broken`
 * makes of the first event that does not `continue` the state (a gap, a
 * repeat, another aggregate's event, a second creation).
 *
 * @since 0.1.0
 * @category folding
 */
export const replay =
  <State, Event, Broken>(
    decider: Decider<never, State, Event, unknown>,
    check: {
      readonly continues: (state: State, event: Event) => boolean
      readonly broken: (state: State, event: Event, index: number) => Broken
    }
  ) =>
  (events: ReadonlyArray<Event>): Either.Either<State, Broken> => {
    let state = decider.initial
    for (let index = 0; index < events.length; index++) {
      const event = events[index] as Event
      if (!check.continues(state, event)) return Either.left(check.broken(state, event, index))
      state = decider.evolve(state, event)
    }
    return Either.right(state)
  }
