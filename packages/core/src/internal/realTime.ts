/**
 * Waiting on the real clock (a timer of the event loop), whatever `Clock` the
 * fiber runs on: periodic work of a server (the scheduler's ticks, the
 * hierarchy cache's polls) is real time, and a test clock set years ahead must
 * not replay every tick in between. `realSleep(0)` is one macrotask turn:
 * timers and I/O of other fibers run before the fiber goes on.
 */
import * as Effect from "effect/Effect"

export const realSleep = (millis: number): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), Math.max(0, millis))
    return Effect.sync(() => clearTimeout(timer))
  })
