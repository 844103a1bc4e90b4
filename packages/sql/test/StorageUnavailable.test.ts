/**
 * 存储不可用: a busy SQLite file, an unreachable
 * PostgreSQL server and transactions that fail to serialise make the ports
 * FAIL with `Storage.StorageUnavailable` — typed, nothing written — instead of
 * dying with `database is locked` (a 500). Each test has a database of its own
 * (a SQLite file in a fresh directory; a fresh PostgreSQL database).
 */
import { connect, createServer, type Server, type Socket } from "node:net"
import * as Case from "@civicgrid/core/Case"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import { freshDatabaseUrl, tempDir } from "@civicgrid/testkit/Databases"
import * as Reactivity from "@effect/experimental/Reactivity"
import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { contentionAttempts, unavailableReason } from "../src/internal/support.js"
import * as Migrations from "../src/Migrations.js"
import * as SqlApiKeys from "../src/SqlApiKeys.js"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import * as SqliteStore from "../src/SqliteStore.js"
import { report, seedUnits } from "./support/CaseFixtures.js"
import { pgUrl } from "./support/Databases.js"

/** The append of a new case's report (the events as the decider gives them). */
const appendOf = (command: CaseCommand): CaseRepository.AppendInput => {
  const events = Either.getOrThrow(Case.decide(command, Case.initial))
  return { caseId: command.caseId, expectedVersion: 0, events }
}

/** The store's answer to one append, as an exit (never a defect). */
const tryAppend = (caseId: string) =>
  Effect.flatMap(CaseRepository.CaseRepository, (repo) => Effect.exit(repo.append(appendOf(report(caseId)))))

/** The `StorageUnavailable` an exit failed with (the test fails on anything else). */
const unavailableOf = <A, E>(exit: Exit.Exit<A, E>) => {
  if (Exit.isSuccess(exit)) throw new Error("expected StorageUnavailable, the call succeeded")
  const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (
    typeof failure !== "object" ||
    failure === null ||
    !("_tag" in failure) ||
    failure._tag !== "StorageUnavailable"
  ) {
    throw new Error(`expected a typed StorageUnavailable, got ${String(exit.cause)}`)
  }
  return failure as unknown as { readonly reason: string; readonly retryAfterSeconds: number }
}

const storedEvents = (caseId: string) =>
  Effect.flatMap(CaseRepository.CaseRepository, (repo) => repo.events(caseId))

// -----------------------------------------------------------------------------
// the error mapping
// -----------------------------------------------------------------------------

describe("StorageUnavailable — which SQL errors mean the store cannot serve now", () => {
  const sqlError = (cause: unknown) => new SqlError({ cause, message: "test" })
  const coded = (code: string, message = "x") => Object.assign(new Error(message), { code })

  it.each([
    ["SQLITE_BUSY", "busy"],
    ["SQLITE_BUSY_SNAPSHOT", "busy"],
    ["SQLITE_LOCKED", "busy"],
    ["55P03", "busy"],
    ["40001", "contention"],
    ["40P01", "contention"],
    ["ECONNREFUSED", "unreachable"],
    ["ECONNRESET", "unreachable"],
    ["ETIMEDOUT", "unreachable"],
    ["ENOTFOUND", "unreachable"],
    ["08006", "unreachable"],
    ["08001", "unreachable"],
    ["57P01", "unreachable"],
    ["57P03", "unreachable"],
    ["53300", "unreachable"]
  ])("code %s → %s", (code, reason) => {
    expect(unavailableReason(sqlError(coded(code)))).toBe(reason)
  })

  it("node-postgres' lost connections (no code) and refused hosts (AggregateError) are unreachable", () => {
    expect(unavailableReason(sqlError(new Error("Connection terminated unexpectedly")))).toBe("unreachable")
    expect(unavailableReason(sqlError(new AggregateError([coded("ECONNREFUSED")], "refused")))).toBe(
      "unreachable"
    )
  })

  it.each([["23505"], ["22P05"], ["42P01"], ["SQLITE_CONSTRAINT_UNIQUE"], ["SQLITE_ERROR"]])(
    "code %s stays a defect",
    (code) => {
      expect(unavailableReason(sqlError(coded(code)))).toBeUndefined()
    }
  )
})

// -----------------------------------------------------------------------------
// SQLite: a second writer on the file
// -----------------------------------------------------------------------------

/** A migrated SQLite file (hierarchy seeded) in a fresh directory, and the case store on `SqliteStore`. */
const sqliteStore = (busyTimeout: Duration.DurationInput) =>
  Effect.gen(function* () {
    const dir = yield* tempDir()
    const filename = `${dir}/civicgrid.sqlite`
    const client = SqliteStore.layer({ filename, busyTimeout }).pipe(Layer.orDie)
    const store = SqlCaseRepository.layer().pipe(
      Layer.provideMerge(
        Layer.effectDiscard(Effect.orDie(Effect.zipRight(Migrations.run, seedUnits))).pipe(
          Layer.provideMerge(client)
        )
      )
    )
    return { filename, context: yield* Layer.build(store) }
  })

/** Another connection (another process, as far as SQLite knows) holds the write lock until `release`. */
const holdWriteLock = (filename: string) =>
  Effect.gen(function* () {
    const other = yield* SqliteClient.make({ filename })
    const connection = yield* other.reserve
    yield* connection.executeUnprepared("BEGIN IMMEDIATE", [], undefined)
    return { release: Effect.orDie(connection.executeUnprepared("ROLLBACK", [], undefined)) }
  }).pipe(Effect.orDie, Effect.provide(Reactivity.layer))

describe("StorageUnavailable — SQLite: a second writer holds the file", () => {
  it.live(
    "held past the busy timeout: the append fails with StorageUnavailable busy, nothing written, and the store serves again once the lock is gone",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { filename, context } = yield* sqliteStore("300 millis")
          const lock = yield* holdWriteLock(filename)
          const started = Date.now()
          const exit = yield* Effect.provide(tryAppend("busy-1"), context)
          const waited = Date.now() - started
          const error = unavailableOf(exit)
          expect(error.reason).toBe("busy")
          expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1)
          // it waited for the lock (about the busy timeout), asynchronously
          expect(waited).toBeGreaterThanOrEqual(250)
          yield* lock.release
          expect(yield* Effect.provide(storedEvents("busy-1"), context)).toEqual([])
          // the connection is usable again: the same append now succeeds
          const again = yield* Effect.provide(tryAppend("busy-1"), context)
          expect(Exit.isSuccess(again)).toBe(true)
          expect(yield* Effect.provide(storedEvents("busy-1"), context)).toHaveLength(1)
        })
      ),
    30_000
  )

  it.live(
    "released within the busy timeout: the append waits for it and succeeds",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { filename, context } = yield* sqliteStore("5 seconds")
          const lock = yield* holdWriteLock(filename)
          // the other writer commits after 200 ms — while this append waits (the event loop is free)
          yield* Effect.forkScoped(Effect.zipRight(Effect.sleep("200 millis"), lock.release))
          const started = Date.now()
          const exit = yield* Effect.provide(tryAppend("wait-1"), context)
          expect(Exit.isSuccess(exit)).toBe(true)
          expect(Date.now() - started).toBeGreaterThanOrEqual(150)
          expect(yield* Effect.provide(storedEvents("wait-1"), context)).toHaveLength(1)
        })
      ),
    30_000
  )

  it.live(
    "reads do not wait for another writer (read transactions begin deferred)",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { filename, context } = yield* sqliteStore("2 seconds")
          yield* Effect.provide(tryAppend("read-1"), context)
          const lock = yield* holdWriteLock(filename)
          const started = Date.now()
          const events = yield* Effect.provide(storedEvents("read-1"), context)
          const summary = yield* Effect.provide(
            Effect.flatMap(CaseRepository.CaseRepository, (repo) => repo.list({})),
            context
          )
          expect(events).toHaveLength(1)
          expect(summary.items).toHaveLength(1)
          expect(Date.now() - started).toBeLessThan(1000)
          yield* lock.release
        })
      ),
    30_000
  )
})

// -----------------------------------------------------------------------------
// PostgreSQL: an unreachable server, serialisation failures
// -----------------------------------------------------------------------------

/**
 * A TCP proxy to the PostgreSQL server, so a test can take the server away:
 * `cut` closes the proxy and every connection through it (as a server that
 * went down: resets, then refused connections).
 */
const proxy = (
  target: URL
): Effect.Effect<{ readonly port: number; readonly cut: Effect.Effect<void> }, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Server; readonly sockets: Set<Socket>; readonly port: number }>(
      (resume) => {
        const sockets = new Set<Socket>()
        const server = createServer((client) => {
          const upstream = connect(Number(target.port || 5432), target.hostname)
          sockets.add(client)
          sockets.add(upstream)
          client.pipe(upstream).pipe(client)
          const close = () => {
            client.destroy()
            upstream.destroy()
          }
          client.on("error", close)
          upstream.on("error", close)
          client.on("close", close)
          upstream.on("close", close)
        })
        server.listen(0, "127.0.0.1", () => {
          const address = server.address()
          const port = typeof address === "object" && address !== null ? address.port : 0
          resume(Effect.succeed({ server, sockets, port }))
        })
      }
    ),
    ({ server, sockets }) =>
      Effect.sync(() => {
        for (const socket of sockets) socket.destroy()
        server.close()
      })
  ).pipe(
    Effect.map(({ server, sockets, port }) => ({
      port,
      cut: Effect.sync(() => {
        server.close()
        for (const socket of sockets) socket.destroy()
      })
    }))
  )

/** The case store on a fresh, migrated PostgreSQL database reached through `url`. */
const pgStore = (url: string) =>
  Layer.build(
    SqlCaseRepository.layer().pipe(
      Layer.provideMerge(
        Layer.effectDiscard(Effect.orDie(Effect.zipRight(Migrations.run, seedUnits))).pipe(
          Layer.provideMerge(
            PgClient.layer({ url: Redacted.make(url), maxConnections: 2, connectTimeout: "2 seconds" }).pipe(
              Layer.orDie
            )
          )
        )
      )
    )
  )

/** The case store on a fresh database reached through a proxy, and the `cut` that takes the server away. */
const pgStoreBehindProxy = (admin: string) =>
  Effect.gen(function* () {
    const fresh = new URL(yield* freshDatabaseUrl(admin))
    const through = yield* proxy(fresh)
    const url = new URL(fresh.toString())
    url.hostname = "127.0.0.1"
    url.port = String(through.port)
    return { context: yield* pgStore(url.toString()), cut: through.cut }
  })

describe.skipIf(pgUrl === undefined)("StorageUnavailable — PostgreSQL", () => {
  const admin = pgUrl ?? ""

  it.live(
    "the server goes away: reads and appends fail with StorageUnavailable unreachable (not a defect)",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { context, cut } = yield* pgStoreBehindProxy(admin)
          expect(Exit.isSuccess(yield* Effect.provide(tryAppend("pg-up-1"), context))).toBe(true)
          yield* cut
          const append = unavailableOf(yield* Effect.provide(tryAppend("pg-down-1"), context))
          expect(append.reason).toBe("unreachable")
          const read = unavailableOf(yield* Effect.provide(Effect.exit(storedEvents("pg-up-1")), context))
          expect(read.reason).toBe("unreachable")
        })
      ),
    60_000
  )

  it.live(
    "the server goes away: a token lookup fails with StorageUnavailable unreachable (a 503, not a 500)",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { context, cut } = yield* pgStoreBehindProxy(admin)
          const lookup = yield* Effect.provide(SqlApiKeys.bearerLookup, context)
          const token = Redacted.make("no-such-token-123")
          expect(yield* lookup(token)).toEqual(Option.none())
          yield* cut
          expect(unavailableOf(yield* Effect.exit(lookup(token))).reason).toBe("unreachable")
        })
      ),
    60_000
  )

  /** Makes every INSERT into the event table fail with 40001 the first `times` times (a sequence counts, outside transactions). */
  const failSerialisation = (times: number) =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql.unsafe("CREATE SEQUENCE cg_test_serialisation")
      yield* sql.unsafe(`
        CREATE FUNCTION cg_test_serialisation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF nextval('cg_test_serialisation') <= ${times} THEN
            RAISE EXCEPTION 'forced serialisation failure' USING ERRCODE = '40001';
          END IF;
          RETURN NEW;
        END $$`)
      yield* sql.unsafe(`
        CREATE TRIGGER cg_test_serialisation BEFORE INSERT ON cg_case_events
        FOR EACH STATEMENT EXECUTE FUNCTION cg_test_serialisation()`)
    }).pipe(Effect.orDie)

  const attemptsMade = Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ readonly last_value: unknown }>`SELECT last_value FROM cg_test_serialisation`.pipe(
      Effect.map((rows) => Number(rows[0]?.last_value)),
      Effect.orDie
    )
  )

  it.live(
    `a serialisation failure is retried: failing twice, the third attempt (of ${contentionAttempts}) succeeds`,
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const context = yield* pgStore(yield* freshDatabaseUrl(admin))
          yield* Effect.provide(failSerialisation(2), context)
          const exit = yield* Effect.provide(tryAppend("retry-1"), context)
          expect(Exit.isSuccess(exit)).toBe(true)
          expect(yield* Effect.provide(attemptsMade, context)).toBe(3)
          expect(yield* Effect.provide(storedEvents("retry-1"), context)).toHaveLength(1)
        })
      ),
    60_000
  )

  it.live(
    `failing on every attempt, the append answers StorageUnavailable contention after ${contentionAttempts} attempts, nothing written`,
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const context = yield* pgStore(yield* freshDatabaseUrl(admin))
          yield* Effect.provide(failSerialisation(1000), context)
          const error = unavailableOf(yield* Effect.provide(tryAppend("contended-1"), context))
          expect(error.reason).toBe("contention")
          expect(yield* Effect.provide(attemptsMade, context)).toBe(contentionAttempts)
          expect(yield* Effect.provide(storedEvents("contended-1"), context)).toEqual([])
        })
      ),
    60_000
  )
})
