/**
 * 历史案件导入 — the bulk import of past cases, how a platform migrates onto
 * civicgrid: each case arrives as the commands that made it (上报, 立案, 派遣
 * … as the old platform recorded them, each with its actor and instant),
 * every command is decided by the core's decider (`Case.execute` — the same
 * rules as a live command), and the cases are written in large batches
 * through `CaseRepository.importNew` (one transaction per batch: events,
 * read model, outbox, indicators — no version read, plain inserts).
 *
 * - A command the decider refuses fails the import with `ImportRefused`
 *   (which history, which command, the decider's `CaseRefused`, how many
 *   cases were written before); the batches before it stay written, the
 *   batch it is in is not written at all.
 * - The rules the decider checks are the import's rules. The referential
 *   rules of `CaseService` (a dispatch target the hierarchy knows, an open
 *   merge target, staff jurisdiction) are not checked: a migration records
 *   what happened on the old platform, whose units may no longer exist.
 * - A case id that exists already fails its batch with
 *   `ConcurrencyConflict` (an import is for new cases; run it again after
 *   removing what the batches before wrote, or import the rest).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Case from "./Case.js"
import type { CaseCommand } from "./CaseCommand.js"
import type { CaseEvent } from "./CaseEvent.js"
import { CaseRepository, type ConcurrencyConflict, type ImportInput } from "./CaseRepository.js"
import type { StorageUnavailable } from "./Storage.js"

/**
 * 导入被拒 — a command of a history the decider refused: nothing of the batch
 * it is in was written; `imported` cases (the batches before) were.
 *
 * @since 0.1.0
 * @category errors
 */
export class ImportRefused extends Schema.TaggedError<ImportRefused>()("ImportRefused", {
  /** The history's position in the input (0-based). */
  history: Schema.Int,
  /** The refused command's position in its history (0-based). */
  command: Schema.Int,
  /** Cases written by the batches before this one. */
  imported: Schema.Int,
  refused: Case.CaseRefused
}) {
  override get message(): string {
    return `导入被拒 import refused: history #${this.history}, command #${this.command}: ${this.refused.message} (${this.imported} cases imported before)`
  }
}

/**
 * 空历史 — a history without a command: there is no case to import.
 *
 * @since 0.1.0
 * @category errors
 */
export class EmptyHistory extends Schema.TaggedError<EmptyHistory>()("EmptyHistory", {
  history: Schema.Int,
  imported: Schema.Int
}) {
  override get message(): string {
    return `空历史 empty history: history #${this.history} has no command (${this.imported} cases imported before)`
  }
}

/**
 * Options of an import: cases per `importNew` transaction (default 5,000;
 * larger batches commit less often, at the cost of a longer transaction).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly batchSize?: number
}

/**
 * What an import wrote: cases and events.
 *
 * @since 0.1.0
 * @category models
 */
export interface Imported {
  readonly cases: number
  readonly events: number
}

/**
 * The default number of cases per transaction.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBatchSize = 5_000

/**
 * 决定历史 — a history's commands decided in turn from no case
 * (`Case.execute`): the import input (every event, the state after), or the
 * position of the first refused command and the refusal. A history whose
 * commands leave no case (none given) is `undefined`.
 *
 * @since 0.1.0
 * @category decider
 */
export const decideHistory = (
  commands: ReadonlyArray<CaseCommand>
): Either.Either<
  ImportInput | undefined,
  { readonly command: number; readonly refused: Case.CaseRefused }
> => {
  let state: Case.State = Case.initial
  const events: Array<CaseEvent> = []
  for (let k = 0; k < commands.length; k++) {
    const command = commands[k]
    if (command === undefined) continue
    const executed = Case.execute(state, command)
    if (Either.isLeft(executed)) return Either.left({ command: k, refused: executed.left })
    for (const event of executed.right.events) events.push(event)
    state = executed.right.state
  }
  return Either.right(state._tag === "Case" ? { events, after: state } : undefined)
}

/**
 * 导入 — decides every history (`decideHistory`) and writes the cases in
 * batches of `batchSize` through `CaseRepository.importNew`, in input order.
 *
 * @since 0.1.0
 * @category use cases
 */
export const importCases = (
  histories: Iterable<ReadonlyArray<CaseCommand>>,
  options: Options = {}
): Effect.Effect<
  Imported,
  ImportRefused | EmptyHistory | ConcurrencyConflict | StorageUnavailable,
  CaseRepository
> =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository
    const size = Math.max(1, Math.floor(options.batchSize ?? defaultBatchSize))
    let imported = 0
    let events = 0
    let position = 0
    let batch: Array<ImportInput> = []
    const flush = Effect.suspend(() => {
      const inputs = batch
      batch = []
      return inputs.length === 0
        ? Effect.void
        : Effect.map(repo.importNew(inputs), () => {
            imported += inputs.length
            for (const input of inputs) events += input.events.length
          })
    })
    for (const commands of histories) {
      const decided = decideHistory(commands)
      if (Either.isLeft(decided)) {
        return yield* new ImportRefused({
          history: position,
          command: decided.left.command,
          imported,
          refused: decided.left.refused
        })
      }
      if (decided.right === undefined) return yield* new EmptyHistory({ history: position, imported })
      batch.push(decided.right)
      position++
      if (batch.length >= size) yield* flush
    }
    yield* flush
    return { cases: imported, events }
  }).pipe(Effect.withSpan("CaseImport.importCases"))
