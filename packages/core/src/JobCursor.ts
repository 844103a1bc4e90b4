/**
 * 任务游标 — where a periodic job (`Scheduler`) got to: an instant per job
 * name, kept in the store so that it survives restarts and moves with the job
 * from one server instance to another (several instances on one database run
 * a job under its lease, one per tick). A job that processes a time window
 * (`Notification.lightJob`: the lights that changed since its last run) reads
 * its cursor, works on (cursor, now], then advances it — work done and cursor
 * not yet advanced (a crash between) is done again: at-least-once.
 *
 * The core declares the port with a memory layer; `@civicgrid/sql` keeps the
 * cursors in a table (`SqlJobCursor`).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type { StorageUnavailable } from "./Storage.js"

/**
 * 任务游标 — the port: a job's cursor (epoch milliseconds; none before its
 * first run) and setting it.
 *
 * @since 0.1.0
 * @category tags
 */
export class JobCursor extends Context.Tag("@civicgrid/core/JobCursor")<
  JobCursor,
  {
    readonly get: (job: string) => Effect.Effect<Option.Option<number>, StorageUnavailable>
    readonly set: (job: string, at: number) => Effect.Effect<void, StorageUnavailable>
  }
>() {}

/**
 * A `JobCursor` over a `Ref` of cursors by job name (share the `Ref` between
 * two instances to model one database).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (cursors: Ref.Ref<ReadonlyMap<string, number>>): JobCursor["Type"] => ({
  get: (job) => Effect.map(Ref.get(cursors), (all) => Option.fromNullable(all.get(job))),
  set: (job, at) =>
    Ref.update(cursors, (all) => {
      const next = new Map(all)
      next.set(job, at)
      return next
    })
})

/**
 * 内存游标层 — `JobCursor` in memory (one process, tests).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<JobCursor> = Layer.effect(
  JobCursor,
  Effect.map(Ref.make<ReadonlyMap<string, number>>(new Map()), makeMemory)
)
