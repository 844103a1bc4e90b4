/**
 * 案件事件存储 — the core's `CaseRepository` port on `@effect/sql`, one
 * implementation for SQLite and PostgreSQL (issue 5; domain brief §4
 * "Concurrency": exactly one of two concurrent writers wins, the other gets a
 * typed conflict; no event is lost or applied twice). Needs the tables of
 * migration `0002_cases` (run `Migrations.run` first).
 *
 * **Append** is one transaction: idempotency keys first (`INSERT … ON CONFLICT
 * DO NOTHING RETURNING`: a key that already exists — committed by an earlier
 * or a racing request — makes the report a replay of the winner's case); then
 * the current versions (`SELECT … FOR UPDATE` on PostgreSQL, so a racing
 * writer waits and then sees the new version; SQLite serialises writers); a
 * stale `expectedVersion` fails with `ConcurrencyConflict` carrying the actual
 * version. Then the stored events of existing cases are folded with the new
 * ones (`Case.evolve`), and the events (multi-row inserts) and the read-model
 * rows (`CaseRepository.summarize`, multi-row upsert) are written. The unique
 * `(case_id, sequence)` key is the final guard: when a racing writer commits
 * first (two reports of one new case id), the violation is caught, the append
 * is checked again against the committed state and answered with a typed
 * conflict (or a replay) — never a defect.
 *
 * **Indicators.** With `timeLimits`, the same transaction keeps the indicator
 * tables of `SqlIndicators` (migration 0006): each appended case's
 * contribution to the indicators, judged on the working calendar with the
 * core's own code, from its first new event on (see `SqlIndicators`).
 * Without `timeLimits` an append marks those tables incomplete.
 *
 * **Paths.** A new case's `unit_path` is looked up in `cg_units` (migration
 * 0001): the location unit's path, else its community's path followed by the
 * unit, else the fallback `/<communityId>/<unitId>/` (`CaseRepository.casePath`).
 * The path is recorded when the case is reported; moving units later does not
 * move recorded cases. `list({ within })` selects an indexed path range.
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
  CaseNotFound,
  CaseRepository,
  ConcurrencyConflict,
  casePath,
  encodeCursor,
  foldAppend,
  notOpenStatuses,
  pageKeyOf,
  planPage,
  subtreePath,
  summarize,
  type TimeLimits
} from "@civicgrid/core/CaseRepository"
import type { CaseStep } from "@civicgrid/core/CaseStep"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { Fragment } from "@effect/sql/Statement"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import {
  accessOf,
  type CaseRow,
  caseColumns,
  caseRow,
  chunks,
  type EventRow,
  eventOf,
  eventRow,
  isUniqueViolation,
  prefixUpperBound,
  scopeColumns,
  summaryOf,
  toNumber
} from "./internal/caseRows.js"
import * as IndicatorStore from "./internal/indicatorStore.js"

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
   * other closure steps fails with `IndicatorsUnavailable`.
   */
  readonly indicators?: { readonly closureSteps?: ReadonlyArray<CaseStep> }
}

/** Rows per multi-row statement (kept under SQLite's and PostgreSQL's bind limits). */
const EVENT_CHUNK = 1000
const CASE_CHUNK = 400
const IN_CHUNK = 900

const openStatuses: ReadonlyArray<Case.Status> = Case.statuses.filter((s) => !notOpenStatuses.includes(s))

const summaryColumns = caseColumns.filter((c) => !scopeColumns.includes(c)).join(", ")

/** Columns the upsert overwrites on an existing case (its id and recorded path stay). */
const upsertSet = caseColumns
  .filter((c) => c !== "case_id" && c !== "unit_path")
  .map((c) => `${c} = excluded.${c}`)
  .join(", ")

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
    const writeIndicators = yield* IndicatorStore.writer(options.timeLimits, options.indicators ?? {})
    const forUpdate = sql.onDialectOrElse({
      pg: () => sql.literal("FOR UPDATE"),
      orElse: () => sql.literal("")
    })

    /** Runs a query over a list in chunks (IN lists stay under the bind limits). */
    const selectIn = <A extends object>(
      values: ReadonlyArray<string>,
      query: (chunk: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<A>, SqlError>
    ): Effect.Effect<ReadonlyArray<A>, SqlError> =>
      values.length === 0
        ? Effect.succeed([])
        : Effect.map(Effect.forEach(chunks(values, IN_CHUNK), query), (parts) => parts.flat())

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
            const found = yield* selectIn(
              taken,
              (chunk) => sql<{ readonly idempotency_key: string; readonly case_id: string }>`
                SELECT idempotency_key, case_id FROM cg_idempotency WHERE ${sql.in("idempotency_key", chunk)}`
            )
            for (const row of found) winners.set(row.idempotency_key, Case.CaseId.make(row.case_id))
          }
          const active = inputs.filter((input) => {
            const key = input.idempotencyKey
            return key === undefined || (!winners.has(key) && firstByKey.get(key) === input)
          })

          // 2. current versions (locked on PostgreSQL), and the conflict check
          const ids = active.map((input) => input.caseId).sort()
          const current = new Map<string, { readonly version: number; readonly path: string }>()
          const versionRows = yield* selectIn(
            ids,
            (chunk) => sql<{
              readonly case_id: string
              readonly version: unknown
              readonly unit_path: string
            }>`
              SELECT case_id, version, unit_path FROM cg_cases
              WHERE ${sql.in("case_id", chunk)} ORDER BY case_id ${forUpdate}`
          )
          for (const row of versionRows) {
            current.set(row.case_id, { version: toNumber(row.version), path: row.unit_path })
          }
          for (const input of active) {
            const actual = current.get(input.caseId)?.version ?? 0
            if (actual !== input.expectedVersion) {
              return yield* new ConcurrencyConflict({
                caseId: input.caseId,
                expectedVersion: input.expectedVersion,
                actualVersion: actual
              })
            }
          }

          // 3. the stored history of existing cases (the events are the truth: one
          //    beyond the expected version is a conflict, whatever the read model says)
          const expected = new Map<string, number>(
            active.map((input) => [input.caseId, input.expectedVersion])
          )
          const existing = active.filter((input) => input.expectedVersion > 0).map((input) => input.caseId)
          const history = new Map<string, Array<CaseEvent>>()
          const eventRows = yield* selectIn(
            existing,
            (chunk) => sql<{
              readonly case_id: string
              readonly sequence: unknown
              readonly payload: string
            }>`
              SELECT case_id, sequence, payload FROM cg_case_events
              WHERE ${sql.in("case_id", chunk)} ORDER BY case_id, sequence`
          )
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
            const list = history.get(row.case_id) ?? []
            list.push(eventOf(row.payload))
            history.set(row.case_id, list)
          }

          // 4. the hierarchy's paths for new cases
          const fresh = active.filter((input) => input.expectedVersion === 0)
          const unitIds = new Set<string>()
          for (const input of fresh) {
            const first = input.events[0]
            if (first?._tag === "Reported") {
              unitIds.add(first.location.unitId)
              unitIds.add(first.communityId)
            }
          }
          const paths = new Map<string, string>()
          const pathRows = yield* selectIn(
            [...unitIds].sort(),
            (chunk) => sql<{ readonly id: string; readonly path: string }>`
              SELECT id, path FROM cg_units WHERE ${sql.in("id", chunk)}`
          )
          for (const row of pathRows) paths.set(row.id, row.path)

          // 5. fold, summarise, write
          const events: Array<EventRow> = []
          const cases: Array<CaseRow> = []
          const versions = new Map<string, number>()
          for (const input of active) {
            const stored = Case.fold(history.get(input.caseId) ?? [])
            if (stored.version !== input.expectedVersion) {
              return yield* Effect.dieMessage(
                `case ${input.caseId}: the read model is at version ${input.expectedVersion} but its events fold to version ${stored.version}`
              )
            }
            const folded = foldAppend(stored, input.events)
            if (Either.isLeft(folded))
              return yield* Effect.dieMessage(`invalid append: case ${input.caseId}: ${folded.left}`)
            const state = folded.right
            const path =
              current.get(input.caseId)?.path ??
              casePath((id) => paths.get(id), state.communityId, state.location.unitId)
            for (const event of input.events) events.push(eventRow(event))
            cases.push(caseRow(summarize(state, options.timeLimits), path, accessOf(state)))
            versions.set(input.caseId, state.version)
          }
          for (const chunk of chunks(events, EVENT_CHUNK)) {
            yield* sql`INSERT INTO cg_case_events ${sql.insert(chunk)}`
          }
          for (const chunk of chunks(cases, CASE_CHUNK)) {
            yield* sql`INSERT INTO cg_cases ${sql.insert(chunk)}
              ON CONFLICT (case_id) DO UPDATE SET ${sql.literal(upsertSet)}`
          }
          // 6. the indicator tables (SqlIndicators), from the same histories
          yield* writeIndicators(
            active.map((input) => ({
              caseId: input.caseId,
              stored: history.get(input.caseId) ?? [],
              appended: input.events
            }))
          )

          // replays: the winner's version (after this batch when it created the case)
          const replayIds = [...new Set(winners.values())].filter((id) => !versions.has(id)).sort()
          const replayRows = yield* selectIn(
            replayIds,
            (chunk) => sql<{ readonly case_id: string; readonly version: unknown }>`
              SELECT case_id, version FROM cg_cases WHERE ${sql.in("case_id", chunk)}`
          )
          for (const row of replayRows) versions.set(row.case_id, toNumber(row.version))

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
     * case; the first that is not the expected version is the conflict.
     */
    const diagnose = (inputs: ReadonlyArray<AppendInput>, error: SqlError) =>
      Effect.gen(function* () {
        for (const input of inputs) {
          const rows = yield* sql<{ readonly last: unknown }>`
            SELECT MAX(sequence) AS last FROM cg_case_events WHERE case_id = ${input.caseId}`
          const actual = toNumber(rows[0]?.last ?? 0)
          if (actual !== input.expectedVersion) {
            return yield* new ConcurrencyConflict({
              caseId: input.caseId,
              expectedVersion: input.expectedVersion,
              actualVersion: actual
            })
          }
        }
        return yield* Effect.die(error)
      })

    const appendAll = (
      inputs: ReadonlyArray<AppendInput>
    ): Effect.Effect<ReadonlyArray<AppendResult>, ConcurrencyConflict> =>
      Effect.suspend(() => {
        const problems = appendAllProblems(inputs)
        if (problems.length > 0) return Effect.dieMessage(`invalid append: ${problems.join("; ")}`)
        if (inputs.length === 0) return Effect.succeed([])
        // A racing writer that committed first shows as a unique violation: check
        // again against the committed state (a typed conflict or a replay).
        return attempt(inputs).pipe(
          Effect.catchIf(isUniqueSqlError, () => attempt(inputs)),
          Effect.catchIf(isUniqueSqlError, (error) => diagnose(inputs, error)),
          Effect.catchTag("SqlError", (error) => Effect.die(error))
        )
      })

    const service: CaseRepository["Type"] = {
      append: (input) =>
        Effect.flatMap(appendAll([input]), (results) => {
          const [first] = results
          return first === undefined ? Effect.dieMessage("append returned no result") : Effect.succeed(first)
        }),
      appendAll,
      findByIdempotencyKey: (key) =>
        sql<{ readonly case_id: string }>`
          SELECT case_id FROM cg_idempotency WHERE idempotency_key = ${key}`.pipe(
          Effect.map((rows) =>
            Option.map(Option.fromNullable(rows[0]), (row) => Case.CaseId.make(row.case_id))
          ),
          Effect.orDie
        ),
      events: (caseId) =>
        sql<{ readonly payload: string }>`
          SELECT payload FROM cg_case_events WHERE case_id = ${caseId} ORDER BY sequence`.pipe(
          Effect.flatMap((rows) => Effect.try(() => rows.map((row) => eventOf(row.payload)))),
          Effect.orDie
        ),
      summary: (caseId) =>
        sql<object>`
          SELECT ${sql.literal(summaryColumns)} FROM cg_cases WHERE case_id = ${caseId}`.pipe(
          Effect.flatMap((rows) => Effect.try(() => rows.map(summaryOf))),
          Effect.orDie,
          Effect.flatMap((rows) => {
            const [row] = rows
            return row === undefined ? Effect.fail(new CaseNotFound({ caseId })) : Effect.succeed(row)
          })
        ),
      list: (query) =>
        Effect.gen(function* () {
          /** The cases located in a unit's subtree: an indexed range of `unit_path`. */
          const subtreeRange = (unitId: string) =>
            Effect.map(
              sql<{ readonly path: string }>`SELECT path FROM cg_units WHERE id = ${unitId}`.pipe(
                Effect.orDie
              ),
              (rows) => {
                const found = rows[0]?.path
                const raw = subtreePath(() => found, unitId)
                const prefix = raw.endsWith("/") ? raw : `${raw}/`
                return sql`(unit_path >= ${prefix} AND unit_path < ${prefixUpperBound(prefix)})`
              }
            )
          const plan = yield* planPage(query)
          const where: Array<Fragment> = []
          if (query.within !== undefined) where.push(yield* subtreeRange(query.within))
          if (query.scope !== undefined) {
            const scope = query.scope
            const clauses: Array<Fragment> = []
            if (scope.within !== undefined) clauses.push(yield* subtreeRange(scope.within))
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
            where.push(sql.in("status", openStatuses))
          }
          if (Option.isSome(plan.after)) {
            const { caseId, reportedAt } = plan.after.value
            where.push(
              sql`(reported_at < ${reportedAt} OR (reported_at = ${reportedAt} AND case_id < ${caseId}))`
            )
          }
          const rows = yield* sql<object>`
            SELECT ${sql.literal(summaryColumns)} FROM cg_cases
            WHERE ${sql.and(where)}
            ORDER BY reported_at DESC, case_id DESC
            LIMIT ${plan.limit + 1}`.pipe(
            Effect.flatMap((found) => Effect.try(() => found.map(summaryOf))),
            Effect.orDie
          )
          const items = rows.slice(0, plan.limit)
          const last = items[items.length - 1]
          return {
            items,
            next:
              rows.length > plan.limit && last !== undefined
                ? Option.some(encodeCursor(pageKeyOf(last)))
                : Option.none()
          }
        })
    }
    return service
  })

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
