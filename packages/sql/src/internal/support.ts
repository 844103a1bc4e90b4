/**
 * Helpers shared by the SQL repositories: batching, error classification,
 * dialect fragments, JSON columns and subtree ranges.
 *
 * @since 0.1.0
 */

import { UnitNotFound } from "@civicgrid/core/Hierarchy"
import * as Storage from "@civicgrid/core/Storage"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { Fragment } from "@effect/sql/Statement"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { upperBound } from "./paths.js"

/**
 * Rows per multi-row INSERT and ids per IN list: far below SQLite's 32,766
 * and PostgreSQL's 65,535 bound parameters for any table here.
 *
 * @since 0.1.0
 * @category internal
 */
export const batchSize = 500

/**
 * Splits items into batches.
 *
 * @since 0.1.0
 * @category internal
 */
export const chunk = <A>(items: ReadonlyArray<A>, size: number = batchSize): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Whether an SQL error is a unique / primary-key violation (PostgreSQL 23505,
 * SQLite SQLITE_CONSTRAINT_PRIMARYKEY / _UNIQUE).
 *
 * @since 0.1.0
 * @category internal
 */
export const isUniqueViolation = (error: SqlError): boolean => {
  const cause: unknown = error.cause
  if (typeof cause !== "object" || cause === null || !("code" in cause)) return false
  const code = cause.code
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE"
}

// -----------------------------------------------------------------------------
// 存储不可用: which SQL errors mean "the store cannot serve now"
// -----------------------------------------------------------------------------

/** SQLSTATE codes (PostgreSQL) and driver codes, by the reason they mean. */
const contentionCodes: ReadonlySet<string> = new Set([
  "40001", // serialization_failure
  "40P01" // deadlock_detected
])
const busyCodes: ReadonlySet<string> = new Set([
  "55P03" // lock_not_available (lock_timeout, NOWAIT)
])
const unreachableCodes: ReadonlySet<string> = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down, recovering)
  "53300", // too_many_connections
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "EPIPE"
])
/** node-postgres reports a lost or timed-out connection by message only. */
const unreachableMessage =
  /connection terminated|connection timed out|timeout exceeded when trying to connect|connection error and is not queryable|not queryable/i

const reasonOfCause = (cause: unknown, depth: number): Storage.Reason | undefined => {
  if (depth > 4 || typeof cause !== "object" || cause === null) return undefined
  const code = "code" in cause && typeof cause.code === "string" ? cause.code : undefined
  if (code !== undefined) {
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "busy"
    if (contentionCodes.has(code)) return "contention"
    if (busyCodes.has(code)) return "busy"
    // class 08: connection exception (08000, 08001, 08003, 08004, 08006 …)
    if (unreachableCodes.has(code) || (code.length === 5 && code.startsWith("08"))) return "unreachable"
  }
  if (code === undefined && "message" in cause && typeof cause.message === "string") {
    if (unreachableMessage.test(cause.message)) return "unreachable"
  }
  // an AggregateError (every address of a host refused) or a wrapped cause
  if ("errors" in cause && Array.isArray(cause.errors)) {
    for (const inner of cause.errors) {
      const reason = reasonOfCause(inner, depth + 1)
      if (reason !== undefined) return reason
    }
  }
  return "cause" in cause ? reasonOfCause(cause.cause, depth + 1) : undefined
}

/**
 * 存储不可用原因 — why an SQL error means the store cannot serve now, if it
 * does: `busy` (SQLite `SQLITE_BUSY*` / `SQLITE_LOCKED*` — another writer
 * holds the file past the busy timeout; PostgreSQL 55P03), `unreachable`
 * (the server refused or lost the connection: ECONNREFUSED, ECONNRESET,
 * ETIMEDOUT, ENOTFOUND, EHOSTUNREACH …, SQLSTATE class 08, 57P01/57P02/57P03,
 * 53300, "Connection terminated"), `contention` (40001 serialization failure,
 * 40P01 deadlock). Any other SQL error is a defect.
 *
 * @since 0.1.0
 * @category internal
 */
export const unavailableReason = (error: SqlError): Storage.Reason | undefined =>
  reasonOfCause(error.cause, 0)

/** Seconds a client is told to wait, by reason. */
const retryAfter: Record<Storage.Reason, number> = { busy: 1, contention: 1, unreachable: 5 }

/**
 * The `StorageUnavailable` an SQL error means, if any (see `unavailableReason`).
 *
 * @since 0.1.0
 * @category internal
 */
export const toUnavailable = (error: unknown): Storage.StorageUnavailable | undefined => {
  if (!isSqlError(error)) return undefined
  const reason = unavailableReason(error)
  return reason === undefined ? undefined : Storage.unavailable(reason, retryAfter[reason])
}

/**
 * Turns SQL errors into `StorageUnavailable` when the store cannot serve now
 * (busy, unreachable, contention: `unavailableReason`) and every other SQL
 * error into a defect — what a caller can expect has been mapped to a domain
 * error before this. A transaction's COMMIT that failed for the same reasons
 * (a defect in `@effect/sql`) fails the same way.
 *
 * @since 0.1.0
 * @category internal
 */
export const orDie = <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, Extract<E, SqlError>> | Storage.StorageUnavailable, R> =>
  Effect.catchIf(self, (e): e is Extract<E, SqlError> => isSqlError(e), unavailableOrDie).pipe(
    Effect.catchSomeDefect((defect) => Option.map(Option.fromNullable(toUnavailable(defect)), Effect.fail))
  )

/**
 * Every error of `self` as `StorageUnavailable` when it means the store cannot
 * serve now, else a defect (for effects whose failures are all unexpected).
 *
 * @since 0.1.0
 * @category internal
 */
export const unavailableOrDie = (error: unknown): Effect.Effect<never, Storage.StorageUnavailable> => {
  const unavailable = toUnavailable(error)
  return unavailable === undefined ? Effect.die(error) : Effect.fail(unavailable)
}

/**
 * `Effect.orDie` for store reads and writes: `StorageUnavailable` when the
 * store cannot serve now, any other failure a defect.
 *
 * @since 0.1.0
 * @category internal
 */
export const orUnavailable = <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, Storage.StorageUnavailable, R> =>
  Effect.catchAll(self, unavailableOrDie).pipe(
    Effect.catchSomeDefect((defect) => Option.map(Option.fromNullable(toUnavailable(defect)), Effect.fail))
  )

/** Waits on the real clock (a busy store is real, whatever clock a test runs). */
const realSleep = (millis: number): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), Math.max(0, millis))
    return Effect.sync(() => clearTimeout(timer))
  })

/**
 * 重试策略 — attempts of a whole transaction that failed to serialise
 * (PostgreSQL 40001 / 40P01): 3 in all, waiting 10–20 ms, then 20–40 ms
 * (jittered: half the step plus a random half) between them.
 *
 * @since 0.1.0
 * @category internal
 */
export const contentionAttempts = 3

/**
 * Runs a whole transaction again when it failed to serialise (40001, 40P01),
 * up to `contentionAttempts` in all with jittered backoff; the last failure
 * stays an `SqlError` (`orDie` makes it `StorageUnavailable`, `contention`).
 * Inside a caller's transaction nothing is retried: the caller's transaction
 * is aborted and only the caller can start it again.
 *
 * @since 0.1.0
 * @category internal
 */
export const retryOnContention = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (outer) => {
    if (Option.isSome(outer)) return self
    const loop = (attempt: number): Effect.Effect<A, E, R> =>
      Effect.catchIf(
        self,
        (e) => attempt < contentionAttempts && isSqlError(e) && unavailableReason(e) === "contention",
        () => {
          const step = 10 * 2 ** (attempt - 1)
          return Effect.zipRight(realSleep(step + Math.random() * step), loop(attempt + 1))
        }
      )
    return loop(1)
  })

/**
 * Whether a transaction only reads: on SQLite it starts deferred (`BEGIN`)
 * instead of taking the write lock at once (`BEGIN IMMEDIATE`, see
 * `SqliteStore`). Set by `readTransaction`.
 *
 * @since 0.1.0
 * @category internal
 */
export const readOnlyTransaction: FiberRef.FiberRef<boolean> = globalValue(
  Symbol.for("@civicgrid/sql/readOnlyTransaction"),
  () => FiberRef.unsafeMake(false)
)

const isSqlError = (u: unknown): u is SqlError => Predicate.isTagged(u, "SqlError")

/**
 * Whether a value is an `SqlError`.
 *
 * @since 0.1.0
 * @category internal
 */
export const isSqlErrorValue = isSqlError

/**
 * A number from a column (PostgreSQL returns BIGINT and SUM as strings).
 *
 * @since 0.1.0
 * @category internal
 */
export const num = (value: unknown): number =>
  typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : Number(String(value))

/**
 * Runs reads in one transaction that sees one snapshot: REPEATABLE READ, READ
 * ONLY on PostgreSQL; on SQLite a deferred transaction (`BEGIN`, not the
 * write lock of `BEGIN IMMEDIATE`), which runs alone on the client's single
 * connection. Inside a caller's transaction the reads simply
 * join it (its isolation level applies).
 *
 * @since 0.1.0
 * @category internal
 */
export const readTransaction = <A, E, R>(
  sql: SqlClient.SqlClient,
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError, R> =>
  Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (outer) =>
    Option.isSome(outer)
      ? self
      : Effect.locally(
          sql.withTransaction(
            Effect.zipRight(
              sql.onDialectOrElse({
                pg: () => Effect.asVoid(sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`),
                orElse: () => Effect.void
              }),
              // only this transaction's BEGIN is deferred: what the body starts on its own is not
              Effect.locally(self, readOnlyTransaction, false)
            )
          ),
          readOnlyTransaction,
          true
        )
  )

/**
 * `FOR UPDATE` on PostgreSQL (row lock until commit); nothing on SQLite, whose
 * transactions run one at a time on the client's single connection.
 *
 * @since 0.1.0
 * @category internal
 */
export const forUpdate = (sql: SqlClient.SqlClient): Fragment =>
  sql.onDialectOrElse({ pg: () => sql.literal("FOR UPDATE"), orElse: () => sql.literal("") })

/**
 * `FOR SHARE` on PostgreSQL (waits for a writer holding the row); nothing on SQLite.
 *
 * @since 0.1.0
 * @category internal
 */
export const forShare = (sql: SqlClient.SqlClient): Fragment =>
  sql.onDialectOrElse({ pg: () => sql.literal("FOR SHARE"), orElse: () => sql.literal("") })

/**
 * `column >= path AND column < upperBound(path)`: the rows whose path lies in
 * the subtree of `path` — an indexed range scan.
 *
 * @since 0.1.0
 * @category internal
 */
export const inSubtree = (sql: SqlClient.SqlClient, column: string, path: string): Fragment =>
  sql`${sql(column)} >= ${path} AND ${sql(column)} < ${upperBound(path)}`

/**
 * The ids among `ids` present in `table.column`.
 *
 * @since 0.1.0
 * @category internal
 */
export const existing = (
  sql: SqlClient.SqlClient,
  table: string,
  ids: Iterable<string>,
  column = "id"
): Effect.Effect<ReadonlySet<string>, SqlError> =>
  Effect.map(
    Effect.forEach(
      chunk([...new Set(ids)]),
      (batch) =>
        sql<{
          readonly id: string
        }>`SELECT ${sql(column)} AS id FROM ${sql(table)} WHERE ${sql.in(column, batch)}`,
      { concurrency: 1 }
    ),
    (batches) => new Set(batches.flat().map((r) => r.id))
  )

/**
 * The materialised path of a unit, if the unit exists.
 *
 * @since 0.1.0
 * @category internal
 */
export const pathOf = (
  sql: SqlClient.SqlClient,
  unitId: string
): Effect.Effect<string | undefined, SqlError> =>
  Effect.map(
    sql<{ readonly path: string }>`SELECT path FROM cg_units WHERE id = ${unitId}`,
    (rows) => rows[0]?.path
  )

/**
 * `column IN (…values)` with the values bound as ONE parameter (a JSON array,
 * unpacked by `jsonb_array_elements_text` on PostgreSQL and `json_each` on
 * SQLite): one statement for any number of values, never near a bind limit.
 *
 * @since 0.1.0
 * @category internal
 */
export const inList = (sql: SqlClient.SqlClient, column: string, values: ReadonlyArray<string>): Fragment => {
  const json = JSON.stringify(values)
  return sql.onDialectOrElse({
    pg: () => sql`${sql(column)} IN (SELECT jsonb_array_elements_text(${json}::jsonb))`,
    orElse: () => sql`${sql(column)} IN (SELECT value FROM json_each(${json}))`
  })
}

/** Paths looked up in a transaction, by the transaction (`null`: not in `cg_units`). */
const pathsByTransaction = new WeakMap<object, Map<string, string | null>>()

/**
 * The materialised paths of the units among `ids` that `cg_units` holds — one
 * statement at most. Inside a transaction the answers are kept for it: a
 * later lookup in the same transaction asks only for ids not looked up yet
 * (none, when an earlier lookup covered them), so a transaction that needs
 * the same units in several places reads them once. (A transaction that
 * moves units after looking them up would see the earlier paths.)
 *
 * @since 0.1.0
 * @category internal
 */
export const unitPaths = (
  sql: SqlClient.SqlClient,
  ids: Iterable<string>
): Effect.Effect<ReadonlyMap<string, string>, SqlError> =>
  Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (transaction) => {
    let known: Map<string, string | null>
    if (Option.isSome(transaction)) {
      const kept = pathsByTransaction.get(transaction.value)
      known = kept ?? new Map()
      if (kept === undefined) pathsByTransaction.set(transaction.value, known)
    } else {
      known = new Map()
    }
    const wanted = [...new Set(ids)]
    const missing = wanted.filter((id) => !known.has(id)).sort()
    const load =
      missing.length === 0
        ? Effect.void
        : Effect.map(
            sql<{ readonly id: string; readonly path: string }>`
              SELECT id, path FROM cg_units WHERE ${inList(sql, "id", missing)}`,
            (rows) => {
              for (const id of missing) known.set(id, null)
              for (const row of rows) known.set(row.id, row.path)
            }
          )
    return Effect.map(load, () => {
      const out = new Map<string, string>()
      for (const id of wanted) {
        const path = known.get(id)
        if (path !== undefined && path !== null) out.set(id, path)
      }
      return out
    })
  })

/**
 * The path of a jurisdiction's unit, or `UnitNotFound`.
 *
 * @since 0.1.0
 * @category internal
 */
export const scopePath = (
  sql: SqlClient.SqlClient,
  unitId: string
): Effect.Effect<string, UnitNotFound | SqlError> =>
  Effect.flatMap(pathOf(sql, unitId), (path) =>
    path === undefined ? Effect.fail(new UnitNotFound({ unitId })) : Effect.succeed(path)
  )

/**
 * Encodes a value with its schema to JSON text (a value that does not fit its
 * own schema is a defect).
 *
 * @since 0.1.0
 * @category internal
 */
export const toJson =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (value: A): string =>
    JSON.stringify(Schema.encodeSync(schema)(value))

/**
 * Decodes JSON text with a schema (stored text that does not decode is a defect).
 *
 * @since 0.1.0
 * @category internal
 */
export const fromJson = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownSync(Schema.parseJson(schema))
  return (text: string): A => decode(text)
}

/**
 * Whether a table exists (read-only: no CREATE, so an app may ask while its
 * migrations run) — in SQLite's catalogue, or in PostgreSQL's current schemas.
 *
 * @since 0.1.0
 * @category internal
 */
export const tableExists = (
  table: string
): Effect.Effect<boolean, Storage.StorageUnavailable, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql
      .onDialectOrElse({
        sqlite: () =>
          sql<{ readonly n: number | string }>`SELECT COUNT(*) AS n FROM sqlite_master
          WHERE type = 'table' AND name = ${table}`,
        orElse: () =>
          sql<{ readonly n: number | string }>`SELECT COUNT(*) AS n FROM information_schema.tables
          WHERE table_name = ${table} AND table_schema = ANY (current_schemas(false))`
      })
      .pipe(orUnavailable)
    return num(rows[0]?.n ?? 0) > 0
  })

/**
 * The helpers every document store's operations share, on one client: `each`
 * runs a statement per batch of items (`chunk`), `write` runs in a
 * transaction with store failures as `StorageUnavailable`, `read` in a read
 * transaction (`readTransaction`) likewise, and `scoped` gives the join and
 * condition selecting rows whose `unitColumn` lies within `within` (none:
 * every row; an unknown unit: `UnitNotFound`).
 *
 * @since 0.1.0
 * @category internal
 */
export const storeOps = (sql: SqlClient.SqlClient) => ({
  each: <A>(items: ReadonlyArray<A>, f: (batch: ReadonlyArray<A>) => Effect.Effect<unknown, SqlError>) =>
    Effect.forEach(chunk(items), f, { discard: true }),
  write: <A, E>(self: Effect.Effect<A, E | SqlError>) => orDie(sql.withTransaction(self)),
  read: <A, E>(self: Effect.Effect<A, E | SqlError>) => orDie(readTransaction(sql, self)),
  scoped: (within: string | undefined, unitColumn: string) =>
    within === undefined
      ? Effect.succeed({ join: sql.literal(""), where: [] as Array<Fragment> })
      : Effect.map(scopePath(sql, within), (path) => ({
          join: sql`JOIN cg_units u ON u.id = ${sql(unitColumn)}`,
          where: [inSubtree(sql, "u.path", path)]
        }))
})
