/**
 * 幂等键保留 — how long idempotency keys of reports are kept. A key makes a
 * retried report a replay of the case it created (`CaseRepository`); retries
 * come within minutes or hours, so a key older than the retention (default
 * 30 days) guards nothing and only grows the table: at city scale (20 million
 * reports a year) tens of gigabytes a year if never removed.
 *
 * The core declares the port (`IdempotencyKeys`) and the job (`pruneJob`, a
 * `Scheduler` job under its lease, like `EventDelivery.pruneJob`);
 * `@civicgrid/sql` removes the oldest keys (`SqlIdempotencyKeys`).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Scheduler from "./Scheduler.js"
import type { StorageUnavailable } from "./Storage.js"

/**
 * 幂等键存储 — the port: `prune(before, limit)` removes at most `limit` keys
 * recorded before the instant `before` (epoch milliseconds), the oldest
 * first, and answers how many it removed.
 *
 * @since 0.1.0
 * @category ports
 */
export class IdempotencyKeys extends Context.Tag("@civicgrid/core/IdempotencyRetention/IdempotencyKeys")<
  IdempotencyKeys,
  {
    readonly prune: (before: number, limit: number) => Effect.Effect<number, StorageUnavailable>
  }
>() {}

/**
 * 保留期 — how long idempotency keys are kept by default (30 days).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetention: Duration.DurationInput = "30 days"

/**
 * 清理选项 — the retention (default `defaultRetention`) and the most keys
 * removed per run (`batchSize`, default 10,000: short transactions; a backlog
 * is worked off over several runs).
 *
 * @since 0.1.0
 * @category models
 */
export interface PruneOptions {
  readonly retention?: Duration.DurationInput
  readonly batchSize?: number
}

/**
 * 清理一次 — removes the idempotency keys older than the retention (at most
 * `batchSize`), on the ambient `Clock`.
 *
 * @since 0.1.0
 * @category running
 */
export const pruneOnce = (
  options: PruneOptions = {}
): Effect.Effect<number, StorageUnavailable, IdempotencyKeys> =>
  Effect.gen(function* () {
    const keys = yield* IdempotencyKeys
    const now = yield* Clock.currentTimeMillis
    const retention = Duration.toMillis(Duration.decode(options.retention ?? defaultRetention))
    return yield* keys.prune(now - retention, Math.max(1, Math.floor(options.batchSize ?? 10_000)))
  }).pipe(Effect.withSpan("IdempotencyRetention.pruneOnce"))

/**
 * 清理任务 — `pruneOnce` as a `Scheduler` job named `idempotency-prune` (one
 * instance at a time, under its lease), logged when a run removed something.
 *
 * @since 0.1.0
 * @category running
 */
export const pruneJob = (options: PruneOptions = {}): Scheduler.Job<IdempotencyKeys> =>
  Scheduler.job("idempotency-prune", pruneOnce(options), (removed) =>
    removed === 0 ? Option.none() : Option.some(`幂等键清理 idempotency keys pruned: ${removed} removed`)
  )
