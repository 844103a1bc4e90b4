/**
 * 调度 — periodic jobs (定时任务) on an Effect `Schedule`: automatic
 * escalation (`EscalationService.job`), later overdue tasks and visit
 * reminders. Each job runs every tick under a `Lease` named after the job,
 * so that with several server instances on one database exactly one of them
 * runs a given job per tick (the others find the lease held and skip it); a
 * single process simply always holds it.
 *
 * A tick never stops the scheduler: a job's failure or defect is logged
 * (`Effect.logWarning`) and the next tick runs as usual. The fibers live in
 * the layer's scope: closing it (server shutdown) interrupts them.
 *
 * ```ts
 * Scheduler.layer({
 *   interval: "60 seconds",
 *   jobs: [EscalationService.job({ timeLimits })]
 * }).pipe(Layer.provide(SqlLease.layer()))
 * ```
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import { realSleep } from "./internal/realTime.js"
import { Lease } from "./Lease.js"

/**
 * 定时任务 — a named periodic job: `run` is one tick's work; its result is
 * what `tick` reports (and what `describe`, if given, turns into a log line).
 *
 * @since 0.1.0
 * @category models
 */
export interface Job<R = never> {
  /** The job's name, also its lease's name: unique among the jobs of one database. */
  readonly name: string
  readonly run: Effect.Effect<unknown, unknown, R>
  /** A log line for a run's result (none: nothing logged). */
  readonly describe?: (result: unknown) => Option.Option<string>
}

/**
 * What a job needs (its `run`'s requirements); for a union of jobs, what any of them needs.
 *
 * @since 0.1.0
 * @category models
 */
export type Context<J> = J extends Job<infer R> ? R : never

/**
 * A job from a name and an effect.
 *
 * @since 0.1.0
 * @category constructors
 */
export const job = <A, E, R>(
  name: string,
  run: Effect.Effect<A, E, R>,
  describe?: (result: A) => Option.Option<string>
): Job<R> => ({
  name,
  run,
  // the result is the run's own: describe sees exactly what run produced
  ...(describe === undefined ? {} : { describe: (result: unknown) => describe(result as A) })
})

/**
 * 调度选项 — how often (`interval`, or any `schedule`), whether at all
 * (`enabled`, default true), which jobs, and for how long a run holds a job's
 * lease (`leaseTtl`, default the interval — at most one run per interval
 * across instances).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<R> {
  readonly interval: Duration.DurationInput
  readonly enabled?: boolean
  readonly jobs: ReadonlyArray<Job<R>>
  /**
   * The schedule of the ticks after the first, on the ambient `Clock`.
   * Default: `interval` after the end of each tick, on the real clock (the
   * jobs still read the ambient `Clock` for their "now").
   */
  readonly schedule?: Schedule.Schedule<unknown, unknown>
  readonly leaseTtl?: Duration.DurationInput
  /** Where `describe`'s lines go (default `Effect.log`). */
  readonly log?: (line: string) => void
}

/**
 * 一次运行结果 — a job's tick: `ran` (this instance held the lease) with the
 * result, `held` (another instance has it), or `failed` with the cause's
 * pretty print.
 *
 * @since 0.1.0
 * @category models
 */
export type TickResult =
  | { readonly _tag: "ran"; readonly job: string; readonly result: unknown }
  | { readonly _tag: "held"; readonly job: string }
  | { readonly _tag: "failed"; readonly job: string; readonly cause: string }

/**
 * 执行一次 — one tick of one job under its lease; never fails (a failure or a
 * defect is the `failed` result, and logged).
 *
 * @since 0.1.0
 * @category running
 */
export const tick = <R>(
  job: Job<R>,
  leaseTtl: Duration.DurationInput,
  log?: (line: string) => void
): Effect.Effect<TickResult, never, R | Lease> =>
  Effect.flatMap(Lease, (lease) => lease.run(job.name, leaseTtl, job.run)).pipe(
    Effect.flatMap(
      (ran): Effect.Effect<TickResult> =>
        Option.match(ran, {
          onNone: () => Effect.succeed({ _tag: "held", job: job.name } as const),
          onSome: (result) => {
            const line = job.describe === undefined ? Option.none() : job.describe(result)
            const report = Option.isNone(line)
              ? Effect.void
              : log === undefined
                ? Effect.log(line.value)
                : Effect.sync(() => log(line.value))
            return Effect.as(report, { _tag: "ran", job: job.name, result } as const)
          }
        })
    ),
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause)
        ? Effect.interrupt
        : Effect.as(
            Effect.logWarning(`定时任务失败 job ${job.name} failed; it runs again next tick`, cause),
            { _tag: "failed", job: job.name, cause: Cause.pretty(cause) } as const
          )
    ),
    Effect.withSpan("Scheduler.tick", { attributes: { "civicgrid.job": job.name } })
  )

/**
 * 调度层 — forks one fiber per job that ticks at once and then every
 * `interval` (real time; or on `schedule`), each tick under the job's lease (`tick`).
 * Disabled (`enabled: false`) it does nothing. Needs a `Lease`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <const Jobs extends ReadonlyArray<Job<unknown>>>(
  options: Omit<Options<never>, "jobs"> & { readonly jobs: Jobs }
): Layer.Layer<never, never, Context<Jobs[number]> | Lease> => {
  if (options.enabled === false) return Layer.empty
  // each job runs on what its own type says it needs: the layer needs the union (`Context`)
  const jobs = options.jobs as ReadonlyArray<Job<Context<Jobs[number]>>>
  const schedule = options.schedule
  const spaced = Duration.toMillis(Duration.decode(options.interval))
  return Layer.scopedDiscard(
    Effect.forEach(
      jobs,
      (job) => {
        const once = tick(job, options.leaseTtl ?? options.interval, options.log)
        return Effect.forkScoped(
          schedule === undefined
            ? Effect.forever(Effect.zipRight(once, realSleep(spaced)))
            : Effect.repeat(once, schedule)
        )
      },
      { discard: true }
    )
  )
}
