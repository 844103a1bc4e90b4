/**
 * 案件事件存储 — the core's `CaseRepository` port on `@effect/sql`, one
 * implementation for SQLite and PostgreSQL. Under concurrency exactly one of
 * two writers wins, the other gets a typed conflict; no event is lost or
 * applied twice. Needs the tables of
 * migration `0002_cases` (run `Migrations.run` first).
 *
 * **Append** is one transaction: idempotency keys first (`INSERT … ON CONFLICT
 * DO NOTHING RETURNING`: a key that already exists — committed by an earlier
 * or a racing request — makes the report a replay of the winner's case); then
 * the current versions of existing cases, guards included (`SELECT … FOR
 * UPDATE` on PostgreSQL, so a racing writer waits and then sees the new
 * version; SQLite serialises writers); a stale `expectedVersion` fails with
 * `ConcurrencyConflict` carrying the actual version. A guard (no events) is
 * then done. The state after the new events is what the writer decided
 * (`AppendInput.decided`), else the stored history is read and folded with
 * the new events (`foldAppend`); the events (multi-row inserts) and the
 * read-model rows (`CaseRepository.summarize`, multi-row upsert) are written.
 * The unique `(case_id, sequence)` key is the final guard — and the only one
 * of a new case, which has no row to lock: when a racing writer commits first
 * (two reports of one new case id), or the case exists already, the violation
 * is caught, the append is checked again against the committed state and
 * answered with a typed conflict (or a replay) — never a defect.
 *
 * **Import** (`importNew`, 批量导入 — new cases with whole histories, as a
 * migration brings them) is one transaction of plain inserts: no idempotency
 * keys, no version read, no stored history or stored deltas to compare; the
 * reads first (the hierarchy's paths of every unit involved, the indicator
 * configuration), then the inserts pipelined — each handed to the
 * connection while the next rows are computed, all awaited before the
 * commit. An existing case violates the unique event key and is answered
 * with `ConcurrencyConflict`, nothing of the batch written.
 *
 * **Bulk rows.** Events, outbox, read-model and indicator rows go in as few
 * statements as possible (`internal/caseRows.ts` `insertRows`): on
 * PostgreSQL up to 5,000 rows as one JSON parameter
 * (`json_populate_recordset`), on SQLite multi-row INSERTs of up to 16,000
 * bound values; events are encoded without the schema's checks (the core's
 * decider built them; the same JSON, property-tested).
 *
 * **The row.** `cg_cases` is described once (`internal/caseRows.ts`: the
 * core's `CaseSummary` plus the path and access facts, as one schema); the
 * column lists, the insert, the upsert and the decoding come from it.
 *
 * **Indicators.** With `timeLimits`, the same transaction keeps the indicator
 * tables of `SqlIndicators` (migration 0006): each appended case's
 * contribution to the indicators, judged on the working calendar with the
 * core's own code, from its first new event on (see `SqlIndicators`).
 * Without `timeLimits` an append marks those tables incomplete.
 *
 * **Paths.** A new case's `unit_path` is looked up in `cg_units` (migration
 * 0001; one statement per transaction for all new cases): the location
 * unit's path, else its community's path followed by the unit, else the
 * fallback `/<communityId>/<unitId>/` (`CaseRepository.casePath`). The path is
 * recorded when the case is reported; moving units later does not move
 * recorded cases. `list({ within })` selects an indexed path range.
 *
 * **Reads.** `read` is one statement (the events joined with their
 * read-model row). `read`, `events`, `summary`, `list`, `dueBefore` and `lightsCrossed` read
 * rows this store wrote (encoded by the core's schemas on the way in) and
 * decode them without the schemas' checks — only their transformations
 * (instants), the same values as a full decoding; the append path still
 * decodes a stored history it folds with the schema.
 *
 * **Spans.** `SqlCaseRepository.append` / `appendAll` / `events` / `summary` /
 * `read` / `list` / `findByIdempotencyKey`, around `@effect/sql`'s statement
 * spans (`read`, the hot read of `GET /cases/{id}`, without a captured stack
 * trace).
 *
 * **Errors.** Conflicts and bad queries are typed (`ConcurrencyConflict`,
 * `CaseNotFound`, `InvalidCaseQuery`); malformed append requests (sequences
 * that do not continue, events of another case — programming errors), stored
 * rows the core's schemas refuse, and other SQL errors are defects.
 *
 * @since 0.1.0
 */

import * as Case from "@civicgrid/core/Case"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import {
  type AppendInput,
  type AppendResult,
  appendAllProblems,
  boardDay,
  CaseNotFound,
  CaseRepository,
  ConcurrencyConflict,
  casePath,
  cursorOf,
  foldAppend,
  type ImportInput,
  importAppend,
  importProblems,
  makeBoard,
  marksOf,
  notOpenStatuses,
  planPage,
  sourceCounts,
  subtreePath,
  type TimeLimits
} from "@civicgrid/core/CaseRepository"
import type { CaseStep } from "@civicgrid/core/CaseStep"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type { Tier } from "@civicgrid/core/Tier"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { Fragment } from "@effect/sql/Statement"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import {
  caseColumns,
  caseRow,
  chunks,
  type EventRow,
  eventColumns,
  eventOf,
  eventRow,
  insertRows,
  isUniqueViolation,
  prefixUpperBound,
  type SqlRow,
  summaryColumns,
  toNumber,
  trustedEventOf,
  trustedSummaryOf,
  upsertSet
} from "./internal/caseRows.js"
import * as IndicatorStore from "./internal/indicatorStore.js"
import {
  forUpdate,
  inList,
  orDie,
  orUnavailable,
  retryOnContention,
  unavailableOrDie,
  unitPaths
} from "./internal/support.js"
import { outboxRow } from "./SqlOutbox.js"

/**
 * Options of the SQL case store.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * 时限 — with a policy and calendar, the read model keeps each case's
   * current deadline, and the indicator tables (`SqlIndicators`) are kept in
   * the same transaction as the events. Without them the indicator tables are
   * marked incomplete: `SqlIndicators.compute` fails with
   * `IndicatorsUnavailable` until `SqlIndicators.rebuild`.
   */
  readonly timeLimits?: TimeLimits
  /**
   * 指标配置 — `closureSteps` of 按期结案率 the indicator tables are kept for
   * (default `Indicator.defaultClosureSteps`); `SqlIndicators.compute` with
   * other closure steps fails with `IndicatorsUnavailable`. `dayShards`
   * (PostgreSQL; default 1): the day sums of a case go to one of that many
   * rows per community and day (by a hash of its id; migration 0023), so
   * concurrent appends of cases of one community-day mostly lock different
   * rows — at the cost of more rows (3× at 8 shards in the sizing bench:
   * see the sizing guide); readers sum the shards.
   */
  readonly indicators?: { readonly closureSteps?: ReadonlyArray<CaseStep>; readonly dayShards?: number }
}

/** Idempotency claims per multi-row statement (kept under SQLite's and PostgreSQL's bind limits). */
const CASE_CHUNK = 400

/** The columns of an outbox row (`outboxRow`). */
const outboxColumns: ReadonlyArray<keyof ReturnType<typeof outboxRow>> = [
  "event_id",
  "case_id",
  "sequence",
  "tag",
  "at"
]

const openStatuses: ReadonlyArray<Case.Status> = Case.statuses.filter((s) => !notOpenStatuses.includes(s))

/**
 * `status IN (<open statuses>)` with the statuses written out (they are the
 * core's literals, never input): the partial indexes of migration 0021 are
 * `WHERE` this very predicate, and a planner proves a partial index usable
 * only from constants — from bound parameters it cannot (SQLite never,
 * PostgreSQL not in a generic plan).
 *
 * @since 0.1.0
 * @category constants
 */
export const openStatusPredicate = `status IN (${openStatuses.map((s) => `'${s}'`).join(", ")})`

const summarySelect = summaryColumns.join(", ")
/** `read`'s columns: an event's payload and its case's read-model row. */
const readSelect = ["e.payload", ...summaryColumns.map((column) => `c.${column}`)].join(", ")

/**
 * Builds the store on the ambient `SqlClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<CaseRepository["Type"], never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const indicators = yield* IndicatorStore.writer(options.timeLimits, options.indicators ?? {})
    const lock = forUpdate(sql)
    // the light instants of rows written before migration 0016: filled once, before the first
    // query that reads them (not when the store is built — its tables may not be migrated yet)
    const timeLimits = options.timeLimits
    const backfilled = yield* Ref.make(timeLimits === undefined)
    const backfill = Effect.flatMap(Ref.get(backfilled), (done) =>
      done || timeLimits === undefined
        ? Effect.void
        : backfillMarks(sql, timeLimits).pipe(Effect.zipRight(Ref.set(backfilled, true)), orUnavailable)
    )

    /**
     * Writes the events, their outbox rows (SqlOutbox: one per event, committed with it or not at
     * all) and the read-model rows (`suffix`: the upsert of an append, nothing for an import).
     */
    const writeRows = (events: ReadonlyArray<EventRow>, cases: ReadonlyArray<SqlRow>, suffix: string) =>
      Effect.gen(function* () {
        yield* insertRows(sql, "cg_case_events", eventColumns, events)
        yield* insertRows(sql, "cg_outbox", outboxColumns, events.map(outboxRow))
        yield* insertRows(sql, "cg_cases", caseColumns, cases, suffix)
      })

    /**
     * One attempt of an import: new cases only, in one transaction. The reads first — the
     * hierarchy's paths of every unit the rows and the indicators need (one lookup, kept for the
     * transaction), the indicator configuration — then the writes as a pipeline: each insert is
     * handed to the connection (`send`: a forked statement, run in order on the transaction's
     * connection) while the next rows are computed — the events and outbox while the read-model
     * rows are, those while the indicator rows are — and all are awaited before the commit (the
     * first failure is the import's). Plain inserts: an existing case violates the unique event
     * key (see `importNew`).
     */
    const importAttempt = (inputs: ReadonlyArray<ImportInput>) =>
      sql.withTransaction(
        Effect.gen(function* () {
          const located = new Set<string>()
          for (const { events, after } of inputs) {
            located.add(after.location.unitId)
            located.add(after.communityId)
            if (options.timeLimits !== undefined) IndicatorStore.unitsOf(events, located)
          }
          const paths = yield* unitPaths(sql, located)
          yield* indicators.ready
          const pending: Array<Fiber.RuntimeFiber<void, SqlError>> = []
          const send: IndicatorStore.Send = (statement) =>
            Effect.flatMap(Effect.fork(statement), (fiber) => {
              pending.push(fiber)
              // let the forked statement reach the connection before computing on
              return Effect.yieldNow()
            })
          const events: Array<EventRow> = []
          for (const input of inputs) for (const event of input.events) events.push(eventRow(event))
          yield* send(insertRows(sql, "cg_case_events", eventColumns, events))
          yield* send(insertRows(sql, "cg_outbox", outboxColumns, events.map(outboxRow)))
          const pathOf = (id: string) => paths.get(id)
          const cases: Array<SqlRow> = []
          for (const { after } of inputs) {
            cases.push(
              caseRow(after, casePath(pathOf, after.communityId, after.location.unitId), options.timeLimits)
            )
          }
          yield* send(insertRows(sql, "cg_cases", caseColumns, cases))
          yield* indicators.write(
            inputs.map(({ events: appended, after }) => ({ caseId: after.id, stored: [], appended })),
            send
          )
          for (const fiber of pending) yield* Fiber.join(fiber)
        })
      )

    /** One attempt: the whole batch in one transaction. */
    const attempt = (inputs: ReadonlyArray<AppendInput>) =>
      sql.withTransaction(
        Effect.gen(function* () {
          // 1. idempotency keys: claim the new ones; the rest replay their winner
          const firstByKey = new Map<string, AppendInput>()
          for (const input of inputs) {
            const key = input.idempotencyKey
            if (key !== undefined && !firstByKey.has(key)) firstByKey.set(key, input)
          }
          const winners = new Map<string, Case.CaseId>()
          if (firstByKey.size > 0) {
            const now = Date.now()
            const claims = [...firstByKey.entries()]
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([key, input]) => ({ idempotency_key: key, case_id: input.caseId, created_at: now }))
            const claimed = new Set<string>()
            for (const chunk of chunks(claims, CASE_CHUNK)) {
              const rows = yield* sql<{ readonly idempotency_key: string }>`
                INSERT INTO cg_idempotency ${sql.insert(chunk)}
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING idempotency_key`
              for (const row of rows) claimed.add(row.idempotency_key)
            }
            const taken = [...firstByKey.keys()].filter((key) => !claimed.has(key))
            if (taken.length > 0) {
              const found = yield* sql<{ readonly idempotency_key: string; readonly case_id: string }>`
                SELECT idempotency_key, case_id FROM cg_idempotency WHERE ${inList(sql, "idempotency_key", taken)}`
              for (const row of found) winners.set(row.idempotency_key, Case.CaseId.make(row.case_id))
            }
          }
          const active = inputs.filter((input) => {
            const key = input.idempotencyKey
            return key === undefined || (!winners.has(key) && firstByKey.get(key) === input)
          })

          // 2. the versions of existing cases (guards included), locked on PostgreSQL, and the
          //    conflict check; a new case has no row to lock: the unique (case_id, sequence) key
          //    of its first event is its guard (see `appendAll`)
          const existing = active.filter((input) => input.expectedVersion > 0)
          const current = new Map<string, { readonly version: number; readonly path: string }>()
          if (existing.length > 0) {
            const rows = yield* sql<{
              readonly case_id: string
              readonly version: unknown
              readonly unit_path: string
            }>`
              SELECT case_id, version, unit_path FROM cg_cases
              WHERE ${inList(sql, "case_id", existing.map((input) => input.caseId).sort())}
              ORDER BY case_id ${lock}`
            for (const row of rows)
              current.set(row.case_id, { version: toNumber(row.version), path: row.unit_path })
          }
          for (const input of existing) {
            const actual = current.get(input.caseId)?.version ?? 0
            if (actual !== input.expectedVersion) {
              return yield* new ConcurrencyConflict({
                caseId: input.caseId,
                expectedVersion: input.expectedVersion,
                actualVersion: actual
              })
            }
          }
          const writes = active.filter((input) => input.events.length > 0)

          // 3. the stored history of existing cases the writer did not decide against (the
          //    events are the truth: one beyond the expected version is a conflict, whatever
          //    the read model says)
          const history = new Map<string, ReadonlyArray<CaseEvent>>()
          const unread: Array<string> = []
          for (const input of writes) {
            if (input.decided !== undefined) history.set(input.caseId, input.decided.history)
            else if (input.expectedVersion > 0) unread.push(input.caseId)
          }
          if (unread.length > 0) {
            const expected = new Map<string, number>(
              writes.map((input) => [input.caseId, input.expectedVersion])
            )
            const eventRows = yield* sql<{
              readonly case_id: string
              readonly sequence: unknown
              readonly payload: string
            }>`
              SELECT case_id, sequence, payload FROM cg_case_events
              WHERE ${inList(sql, "case_id", unread.sort())} ORDER BY case_id, sequence`
            const read = new Map<string, Array<CaseEvent>>()
            for (const row of eventRows) {
              const sequence = toNumber(row.sequence)
              const version = expected.get(row.case_id) ?? 0
              if (sequence > version) {
                const last = eventRows.reduce(
                  (max, r) => (r.case_id === row.case_id ? Math.max(max, toNumber(r.sequence)) : max),
                  sequence
                )
                return yield* new ConcurrencyConflict({
                  caseId: Case.CaseId.make(row.case_id),
                  expectedVersion: version,
                  actualVersion: last
                })
              }
              const list = read.get(row.case_id) ?? []
              list.push(eventOf(row.payload))
              read.set(row.case_id, list)
            }
            for (const [caseId, events] of read) history.set(caseId, events)
          }

          // 4. the states after the append: what the writer decided, else the fold
          const states = new Map<string, Case.Case>()
          for (const input of writes) {
            if (input.decided !== undefined) {
              states.set(input.caseId, input.decided.after)
              continue
            }
            const stored = Case.fold(history.get(input.caseId) ?? [])
            if (stored.version !== input.expectedVersion) {
              return yield* Effect.dieMessage(
                `case ${input.caseId}: the read model is at version ${input.expectedVersion} but its events fold to version ${stored.version}`
              )
            }
            const folded = foldAppend(stored, input.events)
            if (Either.isLeft(folded))
              return yield* Effect.dieMessage(`invalid append: case ${input.caseId}: ${folded.left}`)
            states.set(input.caseId, folded.right)
          }

          // 5. the hierarchy's paths of new cases (one lookup for the transaction)
          const located = new Set<string>()
          for (const input of writes) {
            const state = states.get(input.caseId)
            if (input.expectedVersion === 0 && state !== undefined) {
              located.add(state.location.unitId)
              located.add(state.communityId)
            }
          }
          const paths = located.size === 0 ? new Map<string, string>() : yield* unitPaths(sql, located)

          // 6. write: the events, the read-model rows
          const events: Array<EventRow> = []
          const cases: Array<SqlRow> = []
          const versions = new Map<string, number>()
          for (const input of existing) versions.set(input.caseId, input.expectedVersion)
          for (const input of writes) {
            const state = states.get(input.caseId)
            if (state === undefined) return yield* Effect.dieMessage(`case ${input.caseId}: no state`)
            const path =
              current.get(input.caseId)?.path ??
              casePath((id) => paths.get(id), state.communityId, state.location.unitId)
            for (const event of input.events) events.push(eventRow(event))
            cases.push(caseRow(state, path, options.timeLimits))
            versions.set(input.caseId, state.version)
          }
          yield* writeRows(events, cases, `ON CONFLICT (case_id) DO UPDATE SET ${upsertSet}`)
          // 7. the indicator tables (SqlIndicators), from the same histories
          yield* indicators.ready
          yield* indicators.write(
            writes.map((input) => ({
              caseId: input.caseId,
              stored: history.get(input.caseId) ?? [],
              appended: input.events
            }))
          )

          // replays: the winner's version (after this batch when it created the case)
          const replayIds = [...new Set(winners.values())].filter((id) => !versions.has(id)).sort()
          if (replayIds.length > 0) {
            const replayRows = yield* sql<{ readonly case_id: string; readonly version: unknown }>`
              SELECT case_id, version FROM cg_cases WHERE ${inList(sql, "case_id", replayIds)}`
            for (const row of replayRows) versions.set(row.case_id, toNumber(row.version))
          }

          const replay = (caseId: Case.CaseId): AppendResult => ({
            caseId,
            version: versions.get(caseId) ?? 0,
            replayed: true
          })
          return inputs.map((input): AppendResult => {
            const key = input.idempotencyKey
            if (key !== undefined) {
              const winner = winners.get(key)
              if (winner !== undefined) return replay(winner)
              const first = firstByKey.get(key)
              if (first !== undefined && first !== input) return replay(first.caseId)
            }
            return { caseId: input.caseId, version: versions.get(input.caseId) ?? 0, replayed: false }
          })
        })
      )

    /**
     * After a unique-key violation: the highest stored sequence of each input's
     * case (one statement); the first input whose case is not at its expected
     * version is the conflict.
     */
    const diagnose = (inputs: ReadonlyArray<AppendInput>, error: SqlError) =>
      Effect.gen(function* () {
        const rows = yield* sql<{ readonly case_id: string; readonly last: unknown }>`
          SELECT case_id, MAX(sequence) AS last FROM cg_case_events
          WHERE ${inList(
            sql,
            "case_id",
            inputs.map((input) => input.caseId)
          )} GROUP BY case_id`
        const last = new Map(rows.map((row) => [row.case_id, toNumber(row.last)]))
        for (const input of inputs) {
          const actual = last.get(input.caseId) ?? 0
          if (actual !== input.expectedVersion) {
            return yield* new ConcurrencyConflict({
              caseId: input.caseId,
              expectedVersion: input.expectedVersion,
              actualVersion: actual
            })
          }
        }
        return yield* unavailableOrDie(error)
      })

    const appendAll = (
      inputs: ReadonlyArray<AppendInput>
    ): Effect.Effect<ReadonlyArray<AppendResult>, ConcurrencyConflict | StorageUnavailable> =>
      Effect.suspend(() => {
        const problems = appendAllProblems(inputs)
        if (problems.length > 0) return Effect.dieMessage(`invalid append: ${problems.join("; ")}`)
        if (inputs.length === 0) return Effect.succeed([])
        // A racing writer that committed first shows as a unique violation: check
        // again against the committed state (a typed conflict or a replay).
        // A transaction that failed to serialise (PostgreSQL 40001 / 40P01) runs again, up to
        // `contentionAttempts` in all; a store still busy, unreachable or conflicting answers
        // `StorageUnavailable` (nothing written).
        const once = () => retryOnContention(attempt(inputs))
        return once().pipe(
          Effect.catchIf(isUniqueSqlError, () => once()),
          Effect.catchIf(isUniqueSqlError, (error) => diagnose(inputs, error)),
          orDie
        )
      }).pipe(Effect.withSpan("SqlCaseRepository.appendAll", { attributes: { inputs: inputs.length } }))

    const service: CaseRepository["Type"] = {
      append: (input) =>
        Effect.flatMap(appendAll([input]), (results) => {
          const [first] = results
          return first === undefined ? Effect.dieMessage("append returned no result") : Effect.succeed(first)
        }).pipe(Effect.withSpan("SqlCaseRepository.append", { attributes: { caseId: input.caseId } })),
      appendAll,
      importNew: (inputs) =>
        Effect.suspend(() => {
          const problems = importProblems(inputs)
          if (problems.length > 0) return Effect.dieMessage(`invalid import: ${problems.join("; ")}`)
          if (inputs.length === 0) return Effect.void
          // a case that exists already (or a racing writer of one of the ids) shows as a unique
          // violation: the committed state tells which case, as for an append
          return retryOnContention(importAttempt(inputs)).pipe(
            Effect.catchIf(isUniqueSqlError, (error) => diagnose(inputs.map(importAppend), error)),
            orDie
          )
        }).pipe(Effect.withSpan("SqlCaseRepository.importNew", { attributes: { inputs: inputs.length } })),
      findByIdempotencyKey: (key) =>
        sql<{ readonly case_id: string }>`
          SELECT case_id FROM cg_idempotency WHERE idempotency_key = ${key}`.pipe(
          Effect.map((rows) =>
            Option.map(Option.fromNullable(rows[0]), (row) => Case.CaseId.make(row.case_id))
          ),
          orUnavailable,
          Effect.withSpan("SqlCaseRepository.findByIdempotencyKey")
        ),
      events: (caseId) =>
        sql<{ readonly payload: string }>`
          SELECT payload FROM cg_case_events WHERE case_id = ${caseId} ORDER BY sequence`.pipe(
          Effect.flatMap((rows) => Effect.try(() => rows.map((row) => trustedEventOf(row.payload)))),
          orUnavailable,
          Effect.withSpan("SqlCaseRepository.events", { attributes: { caseId } })
        ),
      summary: (caseId) =>
        sql<{ readonly [column: string]: unknown }>`
          SELECT ${sql.literal(summarySelect)} FROM cg_cases WHERE case_id = ${caseId}`.pipe(
          Effect.flatMap((rows) => Effect.try(() => rows.map(trustedSummaryOf))),
          orUnavailable,
          Effect.flatMap((rows) => {
            const [row] = rows
            return row === undefined ? Effect.fail(new CaseNotFound({ caseId })) : Effect.succeed(row)
          }),
          Effect.withSpan("SqlCaseRepository.summary", { attributes: { caseId } })
        ),
      read: (caseId) =>
        // one statement: the events joined with their read-model row (the row's columns repeat on every
        // event row), so both are of the same commit
        sql<{ readonly payload: string; readonly [column: string]: unknown }>`
          SELECT ${sql.literal(readSelect)} FROM cg_cases c JOIN cg_case_events e ON e.case_id = c.case_id
          WHERE c.case_id = ${caseId} ORDER BY e.sequence`.pipe(
          Effect.flatMap((rows) =>
            Effect.try(() => {
              const [first] = rows
              return first === undefined
                ? Option.none()
                : Option.some({
                    events: rows.map((row) => trustedEventOf(row.payload)),
                    summary: trustedSummaryOf(first)
                  })
            })
          ),
          orUnavailable,
          // the hot read: no stack captured for the span (an Error per call); its name and caseId tell
          Effect.withSpan("SqlCaseRepository.read", { attributes: { caseId }, captureStackTrace: false })
        ),
      list: (query) =>
        Effect.gen(function* () {
          const plan = yield* planPage(query)
          yield* backfill
          // the paths of the units the query is within (one statement, when there are any)
          const within = [query.within, query.scope?.within].filter((id) => id !== undefined)
          const paths =
            within.length === 0 ? new Map<string, string>() : yield* orUnavailable(unitPaths(sql, within))
          /** The cases located in a unit's subtree: an indexed range of `unit_path`. */
          const subtreeRange = (unitId: string) => {
            const raw = subtreePath((id) => paths.get(id), unitId)
            const prefix = raw.endsWith("/") ? raw : `${raw}/`
            return sql`(unit_path >= ${prefix} AND unit_path < ${prefixUpperBound(prefix)})`
          }
          const where: Array<Fragment> = []
          if (query.within !== undefined) where.push(subtreeRange(query.within))
          if (query.scope !== undefined) {
            const scope = query.scope
            const clauses: Array<Fragment> = []
            if (scope.within !== undefined) clauses.push(subtreeRange(scope.within))
            if (scope.department !== undefined) clauses.push(sql`dispatch_department = ${scope.department}`)
            if (scope.reportedBy !== undefined) clauses.push(sql`reported_by = ${scope.reportedBy}`)
            // a scope without a clause matches nothing
            where.push(clauses.length === 0 ? sql`1 = 0` : sql`(${sql.or(clauses)})`)
          }
          if (query.status !== undefined) where.push(sql.in("status", query.status))
          if (query.tier !== undefined) where.push(sql.in("tier", query.tier))
          if (query.categoryId !== undefined) where.push(sql.in("category_id", query.categoryId))
          if (query.reportedFrom !== undefined)
            where.push(sql`reported_at >= ${query.reportedFrom.getTime()}`)
          if (query.reportedTo !== undefined) where.push(sql`reported_at < ${query.reportedTo.getTime()}`)
          if (query.overdueAt !== undefined) {
            where.push(sql`deadline < ${query.overdueAt.getTime()}`)
            where.push(sql.literal(openStatusPredicate))
          }
          if (query.light !== undefined) {
            // CaseRepository.lightOf, as a comparison of instants (no fold)
            const at = query.light.at.getTime()
            const colors = new Set(query.light.colors)
            const clauses: Array<Fragment> = []
            if (colors.has("red")) clauses.push(sql`red_at <= ${at}`)
            if (colors.has("yellow")) clauses.push(sql`(yellow_at <= ${at} AND red_at > ${at})`)
            if (colors.has("green")) clauses.push(sql`yellow_at > ${at}`)
            where.push(clauses.length === 0 ? sql`1 = 0` : sql`(${sql.or(clauses)})`)
            where.push(sql`yellow_at IS NOT NULL AND red_at IS NOT NULL`)
            where.push(sql.literal(openStatusPredicate))
          }
          const byDeadline = query.order === "deadline"
          if (byDeadline) where.push(sql`deadline IS NOT NULL`)
          if (Option.isSome(plan.afterDeadline)) {
            const { caseId, deadline } = plan.afterDeadline.value
            where.push(sql`(deadline > ${deadline} OR (deadline = ${deadline} AND case_id > ${caseId}))`)
          }
          if (Option.isSome(plan.after)) {
            const { caseId, reportedAt } = plan.after.value
            where.push(
              sql`(reported_at < ${reportedAt} OR (reported_at = ${reportedAt} AND case_id < ${caseId}))`
            )
          }
          const rows = yield* sql<{ readonly [column: string]: unknown }>`
            SELECT ${sql.literal(summarySelect)} FROM cg_cases
            WHERE ${sql.and(where)}
            ORDER BY ${sql.literal(byDeadline ? "deadline ASC, case_id ASC" : "reported_at DESC, case_id DESC")}
            LIMIT ${plan.limit + 1}`.pipe(
            Effect.flatMap((found) => Effect.try(() => found.map(trustedSummaryOf))),
            orUnavailable
          )
          const items = rows.slice(0, plan.limit)
          const last = items[items.length - 1]
          return {
            items,
            next:
              rows.length > plan.limit && last !== undefined
                ? Option.some(cursorOf(last, query.order))
                : Option.none()
          }
        }).pipe(Effect.withSpan("SqlCaseRepository.list")),
      board: (unitId, now) =>
        Effect.gen(function* () {
          yield* backfill
          const paths = yield* unitPaths(sql, [unitId])
          const raw = subtreePath((id) => paths.get(id), unitId)
          const prefix = raw.endsWith("/") ? raw : `${raw}/`
          const within = sql`(unit_path >= ${prefix} AND unit_path < ${prefixUpperBound(prefix)})`
          const t = now.epochMillis
          const day = boardDay(now)
          const open = sql.literal(openStatusPredicate)
          // CaseRepository.lightOf as a comparison of instants, grouped
          const cells = yield* sql<{
            readonly status: Case.Status
            readonly light: string
            readonly n: unknown
          }>`
            SELECT status, CASE
                WHEN yellow_at IS NULL OR red_at IS NULL THEN 'none'
                WHEN red_at <= ${t} THEN 'red'
                WHEN yellow_at <= ${t} THEN 'yellow'
                ELSE 'green' END AS light,
              COUNT(*) AS n
            FROM cg_cases WHERE ${within} AND ${open}
            GROUP BY 1, 2`
          const overdue = yield* sql<{ readonly tier: Tier; readonly n: unknown }>`
            SELECT tier, COUNT(*) AS n FROM cg_cases
            WHERE ${within} AND ${open} AND red_at <= ${t} AND yellow_at IS NOT NULL
            GROUP BY tier`
          const closed = yield* sql<{ readonly n: unknown }>`
            SELECT COUNT(*) AS n FROM cg_cases
            WHERE ${within} AND closed_at >= ${day.from} AND closed_at < ${day.to}`
          const escalated = yield* sql<{ readonly n: unknown }>`
            SELECT COUNT(*) AS n FROM cg_case_events e JOIN cg_cases c ON c.case_id = e.case_id
            WHERE e.tag = 'Escalated' AND e.at >= ${day.from} AND e.at < ${day.to}
              AND c.unit_path >= ${prefix} AND c.unit_path < ${prefixUpperBound(prefix)}`
          const supervised = yield* sql<{ readonly n: unknown }>`
            SELECT COUNT(*) AS n FROM cg_cases WHERE ${within} AND ${open} AND supervisions > 0`
          return makeBoard({
            unitId,
            at: now,
            open: cells.map((row) => ({
              status: row.status,
              light: colorOfRow(row.light),
              count: toNumber(row.n)
            })),
            overdue: overdue.map((row) => ({ tier: row.tier, count: toNumber(row.n) })),
            escalatedToday: toNumber(escalated[0]?.n),
            closedToday: toNumber(closed[0]?.n),
            supervised: toNumber(supervised[0]?.n)
          })
        }).pipe(orUnavailable, Effect.withSpan("SqlCaseRepository.board", { attributes: { unitId } })),
      countBySource: (query) =>
        Effect.gen(function* () {
          yield* backfill
          const paths = yield* unitPaths(sql, [query.within])
          const raw = subtreePath((id) => paths.get(id), query.within)
          const prefix = raw.endsWith("/") ? raw : `${raw}/`
          // an indexed range of unit_path, the period on reported_at, grouped: no case leaves the database
          const where: Array<Fragment> = [
            sql`(unit_path >= ${prefix} AND unit_path < ${prefixUpperBound(prefix)})`
          ]
          if (query.reportedFrom !== undefined)
            where.push(sql`reported_at >= ${query.reportedFrom.getTime()}`)
          if (query.reportedTo !== undefined) where.push(sql`reported_at < ${query.reportedTo.getTime()}`)
          const rows = yield* sql<{ readonly source: Case.Source; readonly n: unknown }>`
            SELECT source, COUNT(*) AS n FROM cg_cases WHERE ${sql.and(where)} GROUP BY source`
          return sourceCounts(rows.map((row) => [row.source, toNumber(row.n)] as const))
        }).pipe(
          orUnavailable,
          Effect.withSpan("SqlCaseRepository.countBySource", { attributes: { unitId: query.within } })
        ),
      dueBefore: (query) => {
        // open cases with a deadline before the instant: an indexed range of `deadline`, keyset-paged
        const where: Array<Fragment> = [
          sql`deadline < ${DateTime.toEpochMillis(query.before)}`,
          sql.literal(openStatusPredicate)
        ]
        if (query.tiers !== undefined) where.push(sql.in("tier", query.tiers))
        if (query.after !== undefined) {
          const { caseId, deadline } = query.after
          where.push(sql`(deadline > ${deadline} OR (deadline = ${deadline} AND case_id > ${caseId}))`)
        }
        return sql<{ readonly [column: string]: unknown }>`
          SELECT ${sql.literal(summarySelect)} FROM cg_cases
          WHERE ${sql.and(where)}
          ORDER BY deadline, case_id
          LIMIT ${Math.max(0, Math.floor(query.limit))}`.pipe(
          Effect.flatMap((found) => Effect.try(() => found.map(trustedSummaryOf))),
          orUnavailable,
          Effect.withSpan("SqlCaseRepository.dueBefore")
        )
      },
      lightsCrossed: (query) => {
        // CaseRepository.matchesLights: two indexed ranges (yellow_at, red_at; migration 0016), OR-ed
        const since = DateTime.toEpochMillis(query.since)
        const until = DateTime.toEpochMillis(query.until)
        const where: Array<Fragment> = [
          sql`((yellow_at > ${since} AND yellow_at <= ${until}) OR (red_at > ${since} AND red_at <= ${until}))`,
          sql`yellow_at IS NOT NULL AND red_at IS NOT NULL`,
          sql.literal(openStatusPredicate)
        ]
        if (query.after !== undefined) where.push(sql`case_id > ${query.after}`)
        return sql<{ readonly [column: string]: unknown }>`
          SELECT ${sql.literal(summarySelect)} FROM cg_cases
          WHERE ${sql.and(where)}
          ORDER BY case_id
          LIMIT ${Math.max(0, Math.floor(query.limit))}`.pipe(
          Effect.flatMap((found) => Effect.try(() => found.map(trustedSummaryOf))),
          orUnavailable,
          Effect.withSpan("SqlCaseRepository.lightsCrossed")
        )
      }
    }
    return service
  })

/** A board cell's light as the grouped query names it ("none": no running clock). */
const colorOfRow = (light: string): "green" | "yellow" | "red" | null =>
  light === "green" || light === "yellow" || light === "red" ? light : null

/** Rows per batch of the light backfill. */
const BACKFILL_BATCH = 500

/**
 * Fills `yellow_at` / `red_at` (migration 0016) of the rows written before it:
 * every row with a deadline and no `yellow_at`, in batches by case id, from
 * the fold of its events and the core's `marksOf` with the store's time
 * limits. A row changed meanwhile (its version moved) was written with its
 * instants and is left alone. Done once: later rows are written with them.
 */
const backfillMarks = (sql: SqlClient.SqlClient, timeLimits: TimeLimits) =>
  Effect.gen(function* () {
    let after = ""
    for (;;) {
      const ids = yield* sql<{ readonly case_id: string; readonly version: unknown }>`
        SELECT case_id, version FROM cg_cases
        WHERE deadline IS NOT NULL AND yellow_at IS NULL AND case_id > ${after}
        ORDER BY case_id LIMIT ${BACKFILL_BATCH}`
      const last = ids[ids.length - 1]
      if (last === undefined) return
      const rows = yield* sql<{ readonly case_id: string; readonly payload: string }>`
        SELECT case_id, payload FROM cg_case_events
        WHERE ${inList(
          sql,
          "case_id",
          ids.map((r) => r.case_id)
        )} ORDER BY case_id, sequence`
      const histories = new Map<string, Array<CaseEvent>>()
      for (const row of rows) {
        const history = histories.get(row.case_id) ?? []
        history.push(eventOf(row.payload))
        histories.set(row.case_id, history)
      }
      for (const { case_id, version } of ids) {
        const state = Case.fold(histories.get(case_id) ?? [])
        if (state._tag !== "Case" || state.version !== toNumber(version)) continue
        const marks = marksOf(state, timeLimits)
        yield* sql`
          UPDATE cg_cases
          SET deadline = ${marks === null ? null : marks.deadline.epochMillis},
            yellow_at = ${marks === null ? null : marks.yellowAt.epochMillis},
            red_at = ${marks === null ? null : marks.redAt.epochMillis}
          WHERE case_id = ${case_id} AND version = ${state.version}`
      }
      after = last.case_id
    }
  }).pipe(Effect.withSpan("SqlCaseRepository.backfillMarks"))

const isUniqueSqlError = (error: ConcurrencyConflict | SqlError): error is SqlError =>
  error._tag === "SqlError" && isUniqueViolation(error)

/**
 * 案件事件存储层 — the case store as a Layer on the ambient `SqlClient`
 * (SQLite or PostgreSQL; the dialect is the client's).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<CaseRepository, never, SqlClient.SqlClient> =>
  Layer.effect(CaseRepository, make(options))
