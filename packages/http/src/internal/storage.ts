import { StorageUnavailable } from "@civicgrid/core/Storage"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/**
 * `Effect.mapError` that lets `StorageUnavailable` through unchanged: a store
 * that cannot serve is a 503 (declared once on the `Api`), never the 404 or
 * 400 the other failures of a port map to.
 *
 * @internal
 */
export const mapErrorKeepStorage =
  <E, E2>(f: (e: Exclude<E, StorageUnavailable>) => E2) =>
  <A, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E2 | Extract<E, StorageUnavailable>, R> =>
    Effect.catchAll(
      self,
      (e): Effect.Effect<never, E2 | Extract<E, StorageUnavailable>> =>
        e instanceof StorageUnavailable
          ? Effect.fail(e as Extract<E, StorageUnavailable>)
          : Effect.fail(f(e as Exclude<E, StorageUnavailable>))
    )

/**
 * `Effect.option` that lets `StorageUnavailable` through: "not there" is
 * `None`, a store that cannot serve stays a failure (a 503), never read as
 * "not there".
 *
 * @internal
 */
export const optionKeepStorage = <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<Option.Option<A>, Extract<E, StorageUnavailable>, R> =>
  Effect.catchAll(
    Effect.map(self, Option.some),
    (e): Effect.Effect<Option.Option<A>, Extract<E, StorageUnavailable>> =>
      e instanceof StorageUnavailable ? Effect.fail(e as Extract<E, StorageUnavailable>) : Effect.succeedNone
  )
