/**
 * `Effect.flip` for the conformance suites: the domain error an operation
 * failed with. A `StorageUnavailable` (the store could not serve) is not what
 * these tests expect from a healthy database: it fails the test as a defect.
 */
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as Effect from "effect/Effect"

export const flip = <A, E extends { readonly _tag: string }, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<Exclude<E, Extract<E, StorageUnavailable>>, A, R> =>
  Effect.flip(
    Effect.catchIf(
      self,
      (e): e is Extract<E, StorageUnavailable> => e._tag === "StorageUnavailable",
      (e) => Effect.die(e)
    )
  )
