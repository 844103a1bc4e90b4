/**
 * SQLite 存储客户端 — the SQLite client the SQL repositories expect: a
 * `SqliteClient` (`@effect/sql-sqlite-node`) whose write transactions start
 * IMMEDIATELY and wait for a busy file.
 *
 * - A write transaction begins with `BEGIN IMMEDIATE`: it takes the file's
 *   write lock at its start, so a second writer (another process on the same
 *   file) waits there, before it has read anything — never fails half way
 *   when a deferred transaction would upgrade its read lock (the
 *   `database is locked` a plain `BEGIN` gives under WAL).
 * - While another connection holds the lock, `BEGIN IMMEDIATE` is tried
 *   again for up to `busyTimeout` (default 5 s): each try lets SQLite wait at
 *   most 50 ms, and between tries the fiber sleeps (10 ms … 50 ms, jittered),
 *   so the event loop keeps serving other requests while a writer waits.
 *   Still busy after `busyTimeout`: the repositories fail with
 *   `StorageUnavailable` (`busy`), nothing written.
 * - Read transactions (`readTransaction` in the repositories) begin deferred
 *   (`BEGIN`): under WAL they read a snapshot without the write lock.
 * - `PRAGMA busy_timeout` is set to the per-try wait, for the statements
 *   outside a transaction.
 *
 * Imported as `@civicgrid/sql/SqliteStore` (not from the package index, so
 * that PostgreSQL-only apps need not install the SQLite driver):
 *
 * ```ts
 * Server.layer().pipe(
 *   Layer.provide(SqlRepositories.layer({ timeLimits })),
 *   Layer.provide(SqliteStore.layer({ filename: "civicgrid.sqlite" })) // busyTimeout: "5 seconds"
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import * as Statement from "@effect/sql/Statement"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { readOnlyTransaction, unavailableReason } from "./internal/support.js"

/**
 * Options: the client's (`SqliteClient.SqliteClientConfig`: file, WAL …) and
 * how long a writer waits for a busy file.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends SqliteClient.SqliteClientConfig {
  /**
   * 忙等待时限 — how long a write transaction waits for another writer's lock
   * before the store answers `StorageUnavailable` (`busy`); default
   * `defaultBusyTimeout` (5 seconds).
   */
  readonly busyTimeout?: Duration.DurationInput | undefined
}

/**
 * The default busy timeout: 5 seconds.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBusyTimeout: Duration.Duration = Duration.seconds(5)

/** The longest SQLite itself blocks the thread waiting for a lock, per try. */
const sliceMillis = 50

const BEGIN_IMMEDIATE = "BEGIN IMMEDIATE"

const sleep = (millis: number): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), Math.max(0, millis))
    return Effect.sync(() => clearTimeout(timer))
  })

/**
 * Builds the client: a `SqliteClient` on the file, wrapped so that
 * transactions begin as the module note says.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<SqliteClient.SqliteClient, SqlError, Scope.Scope | Reactivity.Reactivity> =>
  Effect.gen(function* () {
    const { busyTimeout, ...config } = options
    const timeout = Duration.toMillis(Duration.decode(busyTimeout ?? defaultBusyTimeout))
    const slice = Math.max(0, Math.min(timeout, sliceMillis))
    const inner = yield* SqliteClient.make(config)
    yield* inner.unsafe(`PRAGMA busy_timeout = ${Math.round(slice)}`)

    /** Whether the (single) connection is inside a transaction this client began. */
    let open = false

    const begin = (conn: Connection): Effect.Effect<ReadonlyArray<unknown>, SqlError> =>
      Effect.flatMap(FiberRef.get(readOnlyTransaction), (readOnly) => {
        if (readOnly) return conn.executeUnprepared("BEGIN", [], undefined)
        const started = Date.now()
        const attempt = (wait: number): Effect.Effect<ReadonlyArray<unknown>, SqlError> =>
          Effect.flatMap(Effect.exit(conn.executeUnprepared(BEGIN_IMMEDIATE, [], undefined)), (exit) => {
            if (Exit.isSuccess(exit)) return exit
            const error = Cause.failureOption(exit.cause)
            const left = timeout - (Date.now() - started)
            if (Option.isNone(error) || unavailableReason(error.value) !== "busy" || left <= 0) return exit
            return Effect.zipRight(
              sleep(Math.min(left, wait / 2 + (Math.random() * wait) / 2)),
              attempt(Math.min(wait * 2, 50))
            )
          })
        return attempt(10)
      }).pipe(
        Effect.tap(() =>
          Effect.sync(() => {
            open = true
          })
        )
      )

    const end = (
      conn: Connection,
      statement: string,
      params: ReadonlyArray<unknown>
    ): Effect.Effect<ReadonlyArray<unknown>, SqlError> => {
      // the BEGIN failed (busy): there is no transaction to end
      if (!open) return Effect.succeed([])
      return conn.executeUnprepared(statement, params, undefined).pipe(
        // a COMMIT that failed leaves the transaction open: roll it back, so the connection is usable
        Effect.tapError(() =>
          statement === "COMMIT"
            ? Effect.ignore(conn.executeUnprepared("ROLLBACK", [], undefined))
            : Effect.void
        ),
        Effect.ensuring(
          Effect.sync(() => {
            open = false
          })
        )
      )
    }

    const wrap = (conn: Connection): Connection => ({
      execute: (sql, params, transformRows) => conn.execute(sql, params, transformRows),
      executeRaw: (sql, params) => conn.executeRaw(sql, params),
      executeStream: (sql, params, transformRows) => conn.executeStream(sql, params, transformRows),
      executeValues: (sql, params) => conn.executeValues(sql, params),
      executeUnprepared: (sql, params, transformRows) =>
        sql === BEGIN_IMMEDIATE
          ? begin(conn)
          : sql === "COMMIT" || sql === "ROLLBACK"
            ? end(conn, sql, params)
            : conn.executeUnprepared(sql, params, transformRows)
    })

    // the inner client's reserve takes its one connection exclusively until the scope closes
    const transactionAcquirer = Effect.map(inner.reserve, wrap)
    const client = yield* SqlClient.make({
      acquirer: Effect.scoped(transactionAcquirer),
      transactionAcquirer,
      compiler: Statement.makeCompilerSqlite(config.transformQueryNames),
      beginTransaction: BEGIN_IMMEDIATE,
      spanAttributes: [
        ...(config.spanAttributes ? Object.entries(config.spanAttributes) : []),
        ["db.system.name", "sqlite"]
      ]
    })
    const sqlite: Omit<SqliteClient.SqliteClient, keyof SqlClient.SqlClient> = {
      [SqliteClient.TypeId]: SqliteClient.TypeId,
      config: inner.config,
      export: inner.export,
      backup: inner.backup,
      loadExtension: inner.loadExtension
    }
    // `SqliteClient` types `updateValues` as `never` (SQLite has no such helper)
    return Object.assign(client, sqlite) as SqliteClient.SqliteClient
  })

/**
 * The client as a Layer: both `SqliteClient` and `SqlClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<SqliteClient.SqliteClient | SqlClient.SqlClient, SqlError> =>
  Layer.scopedContext(
    Effect.map(make(options), (client) =>
      Context.make(SqliteClient.SqliteClient, client).pipe(Context.add(SqlClient.SqlClient, client))
    )
  ).pipe(Layer.provide(Reactivity.layer))
