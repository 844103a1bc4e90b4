/**
 * 超时自动上报（用例） — the use case that runs automatic escalation
 * (`Escalation.due`, DOMAIN §4) over the store, for the scheduler
 * (`Scheduler`, the job `job`) or an operator.
 *
 * **Without folding every case.** The candidates come from the read model:
 * `CaseRepository.dueBefore` — open cases below the district whose current
 * step's deadline is before `now` (plus `lookahead`), an indexed range, in
 * batches. Each candidate is then loaded and judged with `Escalation.due` on
 * its folded state, and the escalation runs through the normal command path
 * (`CaseService.execute`): the referential checks and the decider, appended
 * after the version it was decided on. So an escalation is never applied
 * twice — when another instance (or a person) escalated the case first, the
 * append meets a `ConcurrencyConflict`, the case is loaded again and judged
 * again, and no longer due: it is counted in `notDue`, not as a failure.
 * Each case is judged (and its `Escalate` dated) at `now` or the current
 * time, whichever is later, so that a command given to the case since `now`
 * does not make the escalation come before it.
 *
 * The time-limit policy and calendar must be the store's (`TimeLimits`, as
 * given to the case store), so that the read model's deadlines and the
 * judgement agree. With an `afterFraction` below 1 (escalation before the
 * deadline) give a `lookahead` at least as long as the longest step limit,
 * or cases are found only once past their deadline.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Case from "./Case.js"
import type { CaseId } from "./Case.js"
import {
  CaseRepository,
  type ConcurrencyConflict,
  type DueKey,
  dueKeyOf,
  type TimeLimits
} from "./CaseRepository.js"
import * as CaseService from "./CaseService.js"
import type { DepartmentRepository } from "./DepartmentRepository.js"
import * as Escalation from "./Escalation.js"
import { HierarchyRepository } from "./HierarchyRepository.js"
import * as Scheduler from "./Scheduler.js"
import type { StorageUnavailable } from "./Storage.js"
import type { Tier } from "./Tier.js"
import type * as TimeLimit from "./TimeLimit.js"

/**
 * 自动上报选项 — the store's time limits, the escalation policy (default
 * `Escalation.defaultPolicy`), light thresholds, the `system` actor's id,
 * candidates per batch (default 200) and how far past `now` deadlines are
 * looked for (default 0).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly timeLimits: TimeLimits
  readonly policy?: Escalation.AutoEscalationPolicy
  readonly thresholds?: TimeLimit.Thresholds
  readonly systemActorId?: string
  readonly batchSize?: number
  readonly lookahead?: Duration.DurationInput
  /** Attempts per case when its version moves under the job (default 3). */
  readonly attempts?: number
}

/**
 * 上报结果 — what a run did: the escalations it applied (case, from → to);
 * the candidates it judged not (or no longer) due — escalated already by
 * someone else, a step that does not escalate; those it could not judge
 * (`Escalation.Skipped`); those it left for the next run (the case kept
 * changing under it, or the decider refused: `rule`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Outcome {
  readonly escalated: ReadonlyArray<{
    readonly caseId: CaseId
    readonly from: Tier
    readonly to: { readonly tier: Tier; readonly unitId: string }
    readonly version: number
  }>
  readonly notDue: ReadonlyArray<CaseId>
  readonly skipped: ReadonlyArray<Escalation.Skipped>
  readonly deferred: ReadonlyArray<{ readonly caseId: CaseId; readonly reason: string }>
}

/**
 * 未到期 — the case (no longer) is due when loaded: nothing to escalate.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotDue extends Schema.TaggedError<NotDue>()("NotDue", {
  caseId: Schema.String,
  skipped: Schema.Boolean
}) {
  override get message(): string {
    return `无需上报 case ${this.caseId} is not due for escalation`
  }
}

/** The tiers a case may be escalated from: every tier but the top (the district). */
const escalatingTiers: ReadonlyArray<Tier> = ["community", "street"]

type Judged =
  | { readonly _tag: "Escalated"; readonly due: Escalation.Due; readonly version: number }
  | { readonly _tag: "NotDue" }
  | { readonly _tag: "Skipped"; readonly skipped: Escalation.Skipped }
  | { readonly _tag: "Deferred"; readonly reason: string }

/**
 * One candidate: load, judge with `Escalation.due`, execute at the version
 * judged; on a conflict judge again (up to `attempts`).
 */
const escalateOne = (
  caseId: CaseId,
  now: DateTime.Utc,
  ctx: Escalation.Context,
  attempts: number
): Effect.Effect<
  Judged,
  StorageUnavailable,
  CaseRepository | HierarchyRepository | DepartmentRepository | CaseService.Settings
> => {
  let found: Escalation.Due | undefined
  let skipped: Escalation.Skipped | undefined
  const once = CaseService.execute(caseId, ({ state }: { readonly state: Case.Case }) =>
    Effect.flatMap(DateTime.now, (current) => {
      // judged and dated no earlier than the clock: a command given meanwhile (say, a comment) came before it
      const at = DateTime.max(now, current)
      const judged = Escalation.due([state], at, ctx)
      found = judged.due[0]
      skipped = judged.skipped[0]
      return found === undefined
        ? Effect.fail(new NotDue({ caseId, skipped: skipped !== undefined }))
        : Effect.succeed(found.command)
    })
  )
  const attempt = (
    left: number
  ): Effect.Effect<
    Judged,
    StorageUnavailable,
    CaseRepository | HierarchyRepository | DepartmentRepository | CaseService.Settings
  > =>
    once.pipe(
      Effect.map(
        (executed): Judged =>
          found === undefined
            ? { _tag: "NotDue" }
            : { _tag: "Escalated", due: found, version: executed.after.version }
      ),
      Effect.catchTags({
        NotDue: (e): Effect.Effect<Judged> =>
          Effect.succeed(
            e.skipped && skipped !== undefined ? { _tag: "Skipped", skipped } : { _tag: "NotDue" }
          ),
        CaseNotFound: (): Effect.Effect<Judged> => Effect.succeed({ _tag: "NotDue" }),
        CaseRefused: (e): Effect.Effect<Judged> =>
          Effect.succeed({ _tag: "Deferred", reason: `refused (rule ${e.rule})` }),
        ConcurrencyConflict: (e: ConcurrencyConflict) =>
          left > 1
            ? attempt(left - 1)
            : Effect.succeed<Judged>({
                _tag: "Deferred",
                reason: `the case kept changing (version ${e.actualVersion})`
              })
      })
    )
  return attempt(Math.max(1, attempts))
}

/**
 * 执行到期上报 — escalates every case due at `now` (see the module note) and
 * reports what it did. Without a stored hierarchy nothing is due. Safe to run
 * at once from several instances: each escalation is applied once.
 *
 * @since 0.1.0
 * @category use cases
 */
export const escalateDue = (
  now: DateTime.Utc,
  options: Options
): Effect.Effect<
  Outcome,
  StorageUnavailable,
  CaseRepository | HierarchyRepository | DepartmentRepository | CaseService.Settings
> =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository
    const settings = yield* CaseService.Settings
    const hierarchy = yield* Effect.flatMap(HierarchyRepository, (h) => h.load).pipe(
      Effect.map(Option.some),
      Effect.catchTag("HierarchyNotFound", () => Effect.succeed(Option.none()))
    )
    const outcome = { escalated: [], notDue: [], skipped: [], deferred: [] } as {
      escalated: Array<Outcome["escalated"][number]>
      notDue: Array<CaseId>
      skipped: Array<Escalation.Skipped>
      deferred: Array<Outcome["deferred"][number]>
    }
    if (Option.isNone(hierarchy)) return outcome
    const ctx: Escalation.Context = {
      hierarchy: hierarchy.value,
      timeLimits: options.timeLimits.policy,
      calendar: options.timeLimits.calendar,
      tierLevels: settings.tierLevels,
      ...(options.policy === undefined ? {} : { policy: options.policy }),
      ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
      ...(options.systemActorId === undefined ? {} : { systemActorId: options.systemActorId })
    }
    const limit = Math.min(500, Math.max(1, Math.floor(options.batchSize ?? 200)))
    const before = DateTime.addDuration(now, Duration.decode(options.lookahead ?? 0))
    const attempts = options.attempts ?? 3
    let after: DueKey | undefined
    for (;;) {
      const batch = yield* repo.dueBefore({
        before,
        limit,
        tiers: escalatingTiers,
        ...(after === undefined ? {} : { after })
      })
      for (const candidate of batch) {
        const judged = yield* escalateOne(candidate.caseId, now, ctx, attempts)
        switch (judged._tag) {
          case "Escalated":
            outcome.escalated.push({
              caseId: judged.due.caseId,
              from: judged.due.from,
              to: judged.due.to,
              version: judged.version
            })
            break
          case "NotDue":
            outcome.notDue.push(candidate.caseId)
            break
          case "Skipped":
            outcome.skipped.push(judged.skipped)
            break
          case "Deferred":
            outcome.deferred.push({ caseId: candidate.caseId, reason: judged.reason })
            break
        }
      }
      const last = batch[batch.length - 1]
      if (batch.length < limit || last === undefined) break
      after = Option.getOrUndefined(dueKeyOf(last))
      if (after === undefined) break
    }
    return outcome
  }).pipe(Effect.withSpan("EscalationService.escalateDue"))

/**
 * 描述 — a log line for a run's outcome: none when it found nothing to do.
 *
 * @since 0.1.0
 * @category getters
 */
export const describe = (outcome: Outcome): Option.Option<string> =>
  outcome.escalated.length + outcome.skipped.length + outcome.deferred.length === 0
    ? Option.none()
    : Option.some(
        `超时自动上报 escalated ${outcome.escalated.length} overdue case(s)` +
          (outcome.escalated.length === 0
            ? ""
            : `: ${outcome.escalated
                .slice(0, 10)
                .map((e) => `${e.caseId} ${e.from}→${e.to.tier}`)
                .join(", ")}${outcome.escalated.length > 10 ? ", …" : ""}`) +
          (outcome.skipped.length === 0 ? "" : `; ${outcome.skipped.length} could not be judged`) +
          (outcome.deferred.length === 0 ? "" : `; ${outcome.deferred.length} left for the next run`)
      )

/**
 * The job's name (and lease name).
 *
 * @since 0.1.0
 * @category constants
 */
export const jobName = "escalation"

/**
 * 定时上报任务 — `escalateDue` at the current time (`DateTime.now`) as a
 * `Scheduler` job named `jobName`, its outcome logged when it did something.
 *
 * @since 0.1.0
 * @category jobs
 */
export const job = (
  options: Options
): Scheduler.Job<CaseRepository | HierarchyRepository | DepartmentRepository | CaseService.Settings> =>
  Scheduler.job(
    jobName,
    Effect.flatMap(DateTime.now, (now) => escalateDue(now, options)),
    describe
  )
