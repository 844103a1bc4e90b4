/**
 * 案件服务 — runs case commands against the case store: load the case's
 * events, fold them, `decide`, and append the new events after the version
 * that was read. Two people acting on the same case at once: exactly one
 * wins, the other gets `ConcurrencyConflict` (with the current version);
 * no event is lost or applied twice.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Case from "./Case.js"
import type { CaseCommand } from "./CaseCommand.js"
import type { CaseEvent } from "./CaseEvent.js"
import { CaseNotFound, CaseRepository, type ConcurrencyConflict } from "./CaseRepository.js"

/**
 * The outcome of an executed command: the new events (empty when an
 * idempotent report was replayed) and the case after them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Executed {
  readonly events: ReadonlyArray<CaseEvent>
  readonly state: Case.Case
  /** An idempotent report that found its case already created. */
  readonly replayed: boolean
}

/**
 * 读取案件 — a case's current state, folded from its events.
 *
 * @since 0.1.0
 * @category queries
 */
export const load = (caseId: string): Effect.Effect<Case.Case, CaseNotFound, CaseRepository> =>
  Effect.flatMap(CaseRepository, (repo) => repo.events(caseId)).pipe(
    Effect.flatMap((events) => {
      const state = Case.fold(events)
      return state._tag === "Case" ? Effect.succeed(state) : Effect.fail(new CaseNotFound({ caseId }))
    })
  )

/**
 * 执行指令 — runs one command: decide against the stored state, then append
 * with optimistic concurrency. An idempotency key applies to `Report` and
 * `SelfHandle`: a key already used returns the case it created (`replayed`),
 * whatever case id the retry carries — also when two requests race.
 *
 * @since 0.1.0
 * @category commands
 */
export const execute = (
  command: CaseCommand,
  options: { readonly idempotencyKey?: string } = {}
): Effect.Effect<Executed, Case.CaseRefused | ConcurrencyConflict | CaseNotFound, CaseRepository> =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository
    const creates = command._tag === "Report" || command._tag === "SelfHandle"
    const key = creates ? options.idempotencyKey : undefined
    if (key !== undefined) {
      const existing = yield* repo.findByIdempotencyKey(key)
      if (Option.isSome(existing)) return { events: [], state: yield* load(existing.value), replayed: true }
    }
    const history = yield* repo.events(command.caseId)
    const before = Case.fold(history)
    const events = yield* Case.decide(command, before)
    const result = yield* repo.append({
      caseId: command.caseId,
      expectedVersion: before.version,
      events,
      ...(key === undefined ? {} : { idempotencyKey: key })
    })
    if (result.replayed) return { events: [], state: yield* load(result.caseId), replayed: true }
    const after = Case.fold([...history, ...events])
    if (after._tag !== "Case") return yield* Effect.die(new Error("a decided command left no case"))
    return { events, state: after, replayed: false }
  })
