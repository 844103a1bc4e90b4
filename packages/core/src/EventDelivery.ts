/**
 * 事件投递 — delivering stored case events to other systems (webhooks,
 * message brokers, notifications) through an outbox: the store writes one
 * outbox entry per case event in the same transaction as the event (nothing
 * delivered that was not stored, nothing stored that is never delivered), and
 * a worker (`job`, a `Scheduler` job under its lease: one instance delivers at
 * a time) takes each subscriber's undelivered events, delivers them and marks
 * them delivered.
 *
 * **Guarantees.** At-least-once: an event is marked delivered only after its
 * subscriber accepted it, so a worker killed between the two delivers it again
 * — receivers dedupe on the event id `<caseId>:<sequence>` (`eventId`). In
 * per-case order: a case's event is sent only once its earlier events were
 * delivered to that subscriber (a failing event holds back its case's later
 * ones, not other cases'). Never dropped: a failure is recorded in the store
 * (attempts, next attempt after an exponential, capped back-off — `backoff`,
 * last error) and retried after a restart as before it.
 *
 * The core declares the port (`Outbox`) with a memory layer; `@civicgrid/sql`
 * keeps it in tables (`SqlOutbox`), `@civicgrid/http` delivers signed webhooks
 * (`Webhook`).
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type { CaseId } from "./Case.js"
import type { CaseEvent } from "./CaseEvent.js"
import * as Scheduler from "./Scheduler.js"
import type { StorageUnavailable } from "./Storage.js"

/**
 * 事件编号 — the idempotency key of an event for receivers: `<caseId>:<sequence>`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const eventId = (caseId: string, sequence: number): string => `${caseId}:${sequence}`

/**
 * 发件箱事件 — a stored event as the outbox hands it out: its id, its outbox
 * position (commit-independent, for ordering only), and the event.
 *
 * @since 0.1.0
 * @category models
 */
export interface OutboxEvent {
  readonly id: string
  readonly position: number
  readonly caseId: CaseId
  readonly sequence: number
  readonly type: CaseEvent["_tag"]
  readonly at: DateTime.Utc
  readonly event: CaseEvent
}

/**
 * 待投递 — an event not yet delivered to a subscriber: how many attempts
 * failed and when the next may run (epoch milliseconds; 0 for an untried event).
 *
 * @since 0.1.0
 * @category models
 */
export interface Pending extends OutboxEvent {
  readonly attempts: number
  readonly nextAttemptAt: number
}

/**
 * 投递失败 — a subscriber did not accept an event (it is retried later).
 *
 * @since 0.1.0
 * @category errors
 */
export class DeliveryFailed extends Schema.TaggedError<DeliveryFailed>()("DeliveryFailed", {
  subscriberId: Schema.String,
  eventId: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `投递失败 subscriber ${this.subscriberId} did not accept event ${this.eventId}: ${this.reason}`
  }
}

/**
 * 订阅者 — who receives the events: an id (unique; its delivery state is kept
 * under it), a kind (`webhook`, …), its configuration (secrets as
 * `Redacted`), the event types it wants (none: all; the others are marked
 * delivered without sending), and how one event is delivered.
 *
 * @since 0.1.0
 * @category models
 */
export interface Subscriber<R = never> {
  readonly id: string
  readonly kind: string
  readonly config: Readonly<Record<string, unknown>>
  readonly types?: ReadonlyArray<CaseEvent["_tag"]> | undefined
  readonly deliver: (event: OutboxEvent) => Effect.Effect<void, DeliveryFailed, R>
}

/**
 * 发件箱 — the outbox port: a subscriber's undelivered events in outbox
 * order (at most `limit`), recording a delivery or a failed attempt, and
 * pruning (`prune`): removing at most `limit` of the oldest entries (by event
 * time, then position) stored
 * before `before` (epoch milliseconds) that every one of `subscriberIds` has
 * delivered — all of them when the list is empty (nobody is subscribed) —
 * with their delivery rows, returning how many were removed. The case
 * events themselves stay in the event store.
 *
 * @since 0.1.0
 * @category tags
 */
export class Outbox extends Context.Tag("@civicgrid/core/EventDelivery/Outbox")<
  Outbox,
  {
    readonly pending: (
      subscriberId: string,
      limit: number
    ) => Effect.Effect<ReadonlyArray<Pending>, StorageUnavailable>
    readonly delivered: (
      subscriberId: string,
      eventId: string,
      at: number
    ) => Effect.Effect<void, StorageUnavailable>
    readonly failed: (
      subscriberId: string,
      eventId: string,
      attempt: { readonly attempts: number; readonly nextAttemptAt: number; readonly error: string }
    ) => Effect.Effect<void, StorageUnavailable>
    readonly prune: (
      subscriberIds: ReadonlyArray<string>,
      before: number,
      limit: number
    ) => Effect.Effect<number, StorageUnavailable>
  }
>() {}

/**
 * 退避 — the exponential back-off: the wait after the `attempts`-th failed
 * attempt, `base · 2^(attempts − 1)`, at most `cap`.
 *
 * @since 0.1.0
 * @category retries
 */
export const backoff = (
  attempts: number,
  options: { readonly base?: Duration.DurationInput; readonly cap?: Duration.DurationInput } = {}
): number => {
  const base = Duration.toMillis(Duration.decode(options.base ?? defaultBase))
  const cap = Duration.toMillis(Duration.decode(options.cap ?? defaultCap))
  return Math.min(cap, base * 2 ** Math.min(Math.max(0, attempts - 1), 52))
}

const defaultBase: Duration.DurationInput = "1 second"
const defaultCap: Duration.DurationInput = "1 hour"

/**
 * 投递选项 — events per subscriber per run (`batchSize`, default 100) and the
 * back-off (`base` 1 s, `cap` 1 h).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly batchSize?: number
  readonly base?: Duration.DurationInput
  readonly cap?: Duration.DurationInput
}

/**
 * 投递结果 — one run's counts: delivered (or skipped by type), failed (retried
 * later), deferred (waiting for a back-off or an earlier event of their case).
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly delivered: number
  readonly failed: number
  readonly deferred: number
}

/**
 * 投递一次 — one run for every subscriber: its undelivered events in outbox
 * order, each case's in sequence, stopping a case at its first event not due
 * or failing (see the module note). A delivery interrupted (the worker
 * stopped) records nothing: the event is delivered again.
 *
 * @since 0.1.0
 * @category running
 */
export const deliverOnce = <R>(
  subscribers: ReadonlyArray<Subscriber<R>>,
  options: Options = {}
): Effect.Effect<Report, StorageUnavailable, Outbox | R> =>
  Effect.gen(function* () {
    const outbox = yield* Outbox
    let delivered = 0
    let failed = 0
    let deferred = 0
    for (const subscriber of subscribers) {
      const pending = yield* outbox.pending(subscriber.id, options.batchSize ?? 100)
      const held = new Set<string>()
      for (const event of pending) {
        if (held.has(event.caseId)) {
          deferred++
          continue
        }
        const now = yield* Clock.currentTimeMillis
        if (event.nextAttemptAt > now) {
          held.add(event.caseId)
          deferred++
          continue
        }
        const wanted = subscriber.types === undefined || subscriber.types.includes(event.type)
        const outcome = wanted
          ? yield* subscriber.deliver(event).pipe(
              Effect.as(Option.none<string>()),
              Effect.catchAllCause((cause) =>
                Cause.isInterruptedOnly(cause)
                  ? Effect.interrupt
                  : Effect.succeed(
                      Option.some(
                        Option.match(Cause.failureOption(cause), {
                          onNone: () => Cause.pretty(cause),
                          onSome: (error) => error.reason
                        })
                      )
                    )
              )
            )
          : Option.none<string>()
        const at = yield* Clock.currentTimeMillis
        if (Option.isNone(outcome)) {
          yield* outbox.delivered(subscriber.id, event.id, at)
          delivered++
        } else {
          const attempts = event.attempts + 1
          yield* outbox.failed(subscriber.id, event.id, {
            attempts,
            nextAttemptAt: at + backoff(attempts, options),
            error: outcome.value.slice(0, 2000)
          })
          yield* Effect.logWarning(
            `投递失败 event ${event.id} to ${subscriber.id} (attempt ${attempts}): ${outcome.value}`
          )
          held.add(event.caseId)
          failed++
        }
      }
    }
    return { delivered, failed, deferred }
  }).pipe(Effect.withSpan("EventDelivery.deliverOnce", { attributes: { subscribers: subscribers.length } }))

/**
 * 投递任务 — the worker as a `Scheduler` job named `event-delivery` (one
 * instance delivers at a time, under the job's lease); it logs a line when a
 * run delivered or failed something.
 *
 * @since 0.1.0
 * @category running
 */
export const job = <R>(
  subscribers: ReadonlyArray<Subscriber<R>>,
  options: Options = {}
): Scheduler.Job<Outbox | R> =>
  Scheduler.job("event-delivery", deliverOnce(subscribers, options), (report) =>
    report.delivered + report.failed === 0
      ? Option.none()
      : Option.some(
          `事件投递 delivered ${report.delivered}, failed ${report.failed}, deferred ${report.deferred}`
        )
  )

/**
 * 保留期 — how long delivered outbox entries are kept by default (7 days):
 * long enough to look into a delivery, short enough that the outbox stays
 * small. A subscriber added later receives the events still in the outbox.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetention: Duration.DurationInput = "7 days"

/**
 * 清理选项 — the retention (default `defaultRetention`) and the most entries
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
 * 清理一次 — removes the outbox entries older than the retention that every
 * subscriber in `subscriberIds` has delivered (`Outbox.prune`; with no
 * subscribers every entry older than the retention). An entry some
 * subscriber has not yet delivered is kept, however old.
 *
 * @since 0.1.0
 * @category running
 */
export const pruneOnce = (
  subscriberIds: ReadonlyArray<string>,
  options: PruneOptions = {}
): Effect.Effect<number, StorageUnavailable, Outbox> =>
  Effect.gen(function* () {
    const outbox = yield* Outbox
    const now = yield* Clock.currentTimeMillis
    const retention = Duration.toMillis(Duration.decode(options.retention ?? defaultRetention))
    return yield* outbox.prune(
      subscriberIds,
      now - retention,
      Math.max(1, Math.floor(options.batchSize ?? 10_000))
    )
  }).pipe(Effect.withSpan("EventDelivery.pruneOnce", { attributes: { subscribers: subscriberIds.length } }))

/**
 * 清理任务 — `pruneOnce` as a `Scheduler` job named `outbox-prune` (one
 * instance at a time, under its lease), logged when a run removed something.
 * Give it the ids of all subscribers the outbox serves.
 *
 * @since 0.1.0
 * @category running
 */
export const pruneJob = (
  subscriberIds: ReadonlyArray<string>,
  options: PruneOptions = {}
): Scheduler.Job<Outbox> =>
  Scheduler.job("outbox-prune", pruneOnce(subscriberIds, options), (removed) =>
    removed === 0
      ? Option.none()
      : Option.some(`发件箱清理 outbox pruned: ${removed} delivered entries removed`)
  )

/**
 * 内存发件箱 — the events and delivery states `layerMemory` keeps; `record`
 * adds stored events (what a store's append does in its transaction).
 *
 * @since 0.1.0
 * @category models
 */
export interface MemoryOutbox {
  readonly events: Ref.Ref<ReadonlyArray<OutboxEvent>>
  readonly deliveries: Ref.Ref<ReadonlyMap<string, MemoryDelivery>>
  readonly record: (events: ReadonlyArray<CaseEvent>) => Effect.Effect<void>
}

/**
 * A memory delivery row (one per subscriber and event).
 *
 * @since 0.1.0
 * @category models
 */
export interface MemoryDelivery {
  readonly subscriberId: string
  readonly eventId: string
  readonly attempts: number
  readonly nextAttemptAt: number
  readonly error: string | undefined
  readonly deliveredAt: number | undefined
}

/**
 * A new, empty `MemoryOutbox`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemoryOutbox: Effect.Effect<MemoryOutbox> = Effect.gen(function* () {
  const events = yield* Ref.make<ReadonlyArray<OutboxEvent>>([])
  const deliveries = yield* Ref.make<ReadonlyMap<string, MemoryDelivery>>(new Map())
  return {
    events,
    deliveries,
    record: (appended) =>
      Ref.update(events, (stored) => [
        ...stored,
        ...appended.map(
          (event, k): OutboxEvent => ({
            id: eventId(event.caseId, event.sequence),
            position: stored.length + k + 1,
            caseId: event.caseId,
            sequence: event.sequence,
            type: event._tag,
            at: event.at,
            event
          })
        )
      ])
  }
})

const key = (subscriberId: string, id: string) => JSON.stringify([subscriberId, id])

/**
 * The `Outbox` of a `MemoryOutbox`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (memory: MemoryOutbox): Outbox["Type"] => ({
  pending: (subscriberId, limit) =>
    Effect.gen(function* () {
      const events = yield* Ref.get(memory.events)
      const deliveries = yield* Ref.get(memory.deliveries)
      const out: Array<Pending> = []
      for (const event of events) {
        if (out.length >= limit) break
        const row = deliveries.get(key(subscriberId, event.id))
        if (row?.deliveredAt !== undefined) continue
        out.push({ ...event, attempts: row?.attempts ?? 0, nextAttemptAt: row?.nextAttemptAt ?? 0 })
      }
      return out
    }),
  delivered: (subscriberId, id, at) =>
    Ref.update(memory.deliveries, (rows) => {
      const next = new Map(rows)
      const row = rows.get(key(subscriberId, id))
      next.set(key(subscriberId, id), {
        subscriberId,
        eventId: id,
        attempts: (row?.attempts ?? 0) + 1,
        nextAttemptAt: row?.nextAttemptAt ?? 0,
        error: row?.error,
        deliveredAt: at
      })
      return next
    }),
  failed: (subscriberId, id, attempt) =>
    Ref.update(memory.deliveries, (rows) => {
      const next = new Map(rows)
      next.set(key(subscriberId, id), {
        subscriberId,
        eventId: id,
        attempts: attempt.attempts,
        nextAttemptAt: attempt.nextAttemptAt,
        error: attempt.error,
        deliveredAt: undefined
      })
      return next
    }),
  prune: (subscriberIds, before, limit) =>
    Effect.gen(function* () {
      const events = yield* Ref.get(memory.events)
      const deliveries = yield* Ref.get(memory.deliveries)
      const removed = new Set<string>()
      // the oldest first: by event time, then position
      const oldest = [...events].sort(
        (a, b) => DateTime.toEpochMillis(a.at) - DateTime.toEpochMillis(b.at) || a.position - b.position
      )
      for (const event of oldest) {
        if (removed.size >= limit) break
        if (DateTime.toEpochMillis(event.at) >= before) continue
        const done = subscriberIds.every((id) => deliveries.get(key(id, event.id))?.deliveredAt !== undefined)
        if (done) removed.add(event.id)
      }
      if (removed.size === 0) return 0
      yield* Ref.set(
        memory.events,
        events.filter((event) => !removed.has(event.id))
      )
      yield* Ref.set(
        memory.deliveries,
        new Map([...deliveries].filter(([, row]) => !removed.has(row.eventId)))
      )
      return removed.size
    })
})

/**
 * 内存发件箱层 — `Outbox` over a `MemoryOutbox` (tests, examples).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (memory: MemoryOutbox): Layer.Layer<Outbox> =>
  Layer.succeed(Outbox, makeMemory(memory))
