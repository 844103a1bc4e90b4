/**
 * What the deliberation ledgers (会议记录台账, 公开台账) share: a file's rows
 * turned into commands of the core's `Deliberation` decider and carried out
 * through the use case `DeliberationRepository.handle`, refusals by row.
 *
 * Two passes: first every row's commands are decided by the core's decider
 * on the stored topic (and on what the file's earlier rows did to it), so
 * every refusal of every row is collected and nothing is appended while any
 * remains; then each row's commands go through `handle` (load → decide →
 * append). A row whose topic already holds what it says gives no command
 * (unchanged), so importing the same sheet again appends nothing.
 *
 * @since 0.1.0
 */
import * as Decider from "@civicgrid/core/Decider"
import * as Deliberation from "@civicgrid/core/Deliberation"
import * as DeliberationRepository from "@civicgrid/core/DeliberationRepository"
import type * as Hierarchy from "@civicgrid/core/Hierarchy"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Ledger from "../Ledger.js"

/** What an import did: rows whose topic was new, rows that moved a stored topic, rows already stored. */
export interface Counts {
  readonly created: number
  readonly updated: number
  readonly unchanged: number
}

/** Why an import appended nothing (or, for a store error, stopped). */
export type ImportError =
  | Ledger.LedgerImportError
  | DeliberationRepository.DeliberationConcurrencyConflict
  | Deliberation.DeliberationReplayError
  | Hierarchy.UnitNotFound
  | StorageUnavailable

/** How a ledger's rows become commands, and where a refusal is shown. */
export interface Plan<A> {
  readonly topicOf: (row: A) => string
  /** The commands that bring the topic (as stored, or as earlier rows left it) to what the row says. */
  readonly commands: (row: A, state: Deliberation.State) => ReadonlyArray<Deliberation.Command>
  /** The field (column) a refusal of a command concerns; `""` for the row as a whole. */
  readonly fieldOf: (refused: Deliberation.DeliberationRefused) => string
}

/** A problem at a row of the file, at the column of `field` (the row as a whole when it has none). */
export const problemAt = <A>(
  spec: Ledger.LedgerSpec<A>,
  report: Ledger.ImportReport<A>,
  row: number,
  field: string,
  message: string,
  value = ""
): Ledger.RowProblem => {
  const column = spec.columns.find((c) => c.field === field)
  return {
    row,
    column: column !== undefined && Object.hasOwn(report.letters, field) ? (report.letters[field] ?? "") : "",
    header: column?.header ?? "",
    field: column === undefined ? "" : field,
    rule: column === undefined ? "row" : "invalid",
    message,
    value: value.slice(0, 60)
  }
}

/** The text of a row's cell as the file has it (lists joined), or `""`. */
const cellText = <A>(spec: Ledger.LedgerSpec<A>, row: A, field: string): string => {
  const encoded = spec.encodeRow(row)
  if (Either.isLeft(encoded) || !Object.hasOwn(encoded.right, field)) return ""
  const cell = encoded.right[field]
  return Array.isArray(cell)
    ? cell.map(String).join("、")
    : typeof cell === "string" || typeof cell === "number"
      ? String(cell)
      : ""
}

/** Fails with every problem (sorted by row and column), or succeeds when there is none. */
export const refuse = (
  sheet: string,
  problems: ReadonlyArray<Ledger.RowProblem>
): Effect.Effect<void, Ledger.LedgerImportError> =>
  problems.length === 0
    ? Effect.void
    : Effect.fail(
        new Ledger.LedgerImportError({
          sheet,
          headerProblems: [],
          rowProblems: [...problems].sort(
            (a, b) => a.row - b.row || a.column.length - b.column.length || (a.column < b.column ? -1 : 1)
          )
        })
      )

/**
 * Imports the rows of a report: decided by the core's decider, every refusal
 * at its row; then carried out through `DeliberationRepository.handle`.
 */
export const run = <A>(
  spec: Ledger.LedgerSpec<A>,
  report: Ledger.ImportReport<A>,
  plan: Plan<A>,
  config: Deliberation.Config,
  progress: (done: number, total: number) => void = () => undefined
): Effect.Effect<Counts, ImportError, DeliberationRepository.DeliberationRepository> =>
  Effect.gen(function* () {
    const store = yield* DeliberationRepository.DeliberationRepository
    const execute = Decider.execute(Deliberation.decider(config))
    const states = new Map<string, Deliberation.State>()
    const problems: Array<Ledger.RowProblem> = []
    const work: Array<{
      readonly row: number
      readonly value: A
      readonly commands: ReadonlyArray<Deliberation.Command>
    }> = []
    let created = 0
    let unchanged = 0
    for (const [i, value] of report.rows.entries()) {
      const row = report.rowNumbers[i] ?? 0
      const topicId = plan.topicOf(value)
      const state = states.get(topicId) ?? Deliberation.fold(yield* store.events(topicId))
      const commands = plan.commands(value, state)
      if (commands.length === 0) {
        unchanged++
        states.set(topicId, state)
        continue
      }
      let next = state
      let refused = false
      for (const command of commands) {
        const decided = execute(next, command)
        if (Either.isLeft(decided)) {
          const field = plan.fieldOf(decided.left)
          problems.push(
            problemAt(spec, report, row, field, decided.left.message, cellText(spec, value, field))
          )
          refused = true
          break
        }
        next = decided.right.state
      }
      if (refused) continue
      if (state._tag === "NoTopic") created++
      states.set(topicId, next)
      work.push({ row, value, commands })
    }
    yield* refuse(report.sheet, problems)
    const total = work.reduce((n, w) => n + w.commands.length, 0)
    let done = 0
    progress(0, total)
    for (const { commands, row, value } of work) {
      for (const command of commands) {
        yield* DeliberationRepository.handle({ command, config }).pipe(
          // decided above on the same history: a refusal here means another writer moved the topic meanwhile
          Effect.catchTag("DeliberationRefused", (e) =>
            refuse(report.sheet, [
              problemAt(spec, report, row, plan.fieldOf(e), e.message, cellText(spec, value, plan.fieldOf(e)))
            ])
          )
        )
        progress(++done, total)
      }
    }
    return { created, updated: work.length - created, unchanged }
  })
