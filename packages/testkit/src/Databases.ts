/**
 * Test databases: every test gets a database of its own, so tests may run
 * concurrently — SQLite in memory (or a file in a fresh temporary directory),
 * PostgreSQL as a fresh database created on the server at `CIVICGRID_PG_URL`
 * and dropped (`WITH (FORCE)`) when the test's scope closes. Without
 * `CIVICGRID_PG_URL` the PostgreSQL half is skipped; `skipNotice` says so
 * visibly on stderr (CI always sets it).
 *
 * @since 0.1.0
 */
import { mkdtempSync, rmSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"

/**
 * The PostgreSQL server tests may create databases on (`CIVICGRID_PG_URL`), if any.
 *
 * @since 0.1.0
 * @category config
 */
export const pgUrl: string | undefined = process.env["CIVICGRID_PG_URL"]

/**
 * Prints, when `CIVICGRID_PG_URL` is unset, a visible stderr message that the
 * PostgreSQL tests of `project` are SKIPPED. Call it once at the top of a test
 * support module (or test file) of each project.
 *
 * @since 0.1.0
 * @category utils
 */
export const skipNotice = (project: string): void => {
  if (pgUrl === undefined) {
    process.stderr.write(
      `\n[civicgrid] CIVICGRID_PG_URL is not set: the PostgreSQL tests of ${project} are SKIPPED ` +
        "(set it, e.g. postgres://postgres@127.0.0.1:5432/test, to run them; CI always does)\n\n"
    )
  }
}

let counter = 0

/**
 * A database name no other test uses, even in another process or file running
 * concurrently: the prefix (lower-cased, reduced to `[a-z0-9_]`), the process
 * id, the time and a per-process counter.
 *
 * @since 0.1.0
 * @category utils
 */
export const uniqueName = (prefix = "cg_test"): string =>
  `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, "_")}_${process.pid}_${Date.now().toString(36)}_${(counter++).toString(36)}`

const withDatabase = (url: string, database: string): string => {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

/**
 * A new, empty database on the server of `adminUrl` for the scope, dropped
 * (`WITH (FORCE)`) when the scope closes; its URL, for programs that take a
 * URL rather than a layer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const freshDatabaseUrl = (
  adminUrl: string,
  prefix = "cg_test"
): Effect.Effect<string, never, Scope.Scope> =>
  Effect.gen(function* () {
    const name = uniqueName(prefix)
    const admin = PgClient.layer({ url: Redacted.make(adminUrl), maxConnections: 1 })
    const run = (statement: string) =>
      Effect.provide(
        Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(statement)),
        admin
      ).pipe(Effect.orDie)
    yield* Effect.acquireRelease(run(`CREATE DATABASE ${name}`), () =>
      run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    )
    return withDatabase(adminUrl, name)
  })

/**
 * A fresh temporary directory (under the OS temp directory), removed with the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tempDir = (prefix = "civicgrid-"): Effect.Effect<string, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), prefix))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )

/**
 * A SQLite file name (the file not yet created) in a fresh temporary directory,
 * and how to remove it, for tests that need a real file outside a scope (crash,
 * reopen).
 *
 * @since 0.1.0
 * @category constructors
 */
export const sqliteFile = (): { readonly filename: string; readonly cleanup: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), "civicgrid-"))
  return {
    filename: join(dir, "civicgrid.sqlite"),
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * A dialect under test and how to get a fresh, empty database of it as a layer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Dialect {
  readonly name: "sqlite" | "pg"
  /** A fresh empty database for one test (dropped when the layer's scope closes). */
  readonly fresh: () => Layer.Layer<SqlClient.SqlClient>
}

/**
 * SQLite in memory: each layer build opens a new, empty database.
 *
 * @since 0.1.0
 * @category dialects
 */
export const sqlite: Dialect = {
  name: "sqlite",
  fresh: () => SqliteClient.layer({ filename: ":memory:" }).pipe(Layer.orDie)
}

/**
 * PostgreSQL: each layer build creates a database on the server of `url` and
 * drops it when the layer's scope closes.
 *
 * @since 0.1.0
 * @category dialects
 */
export const pg = (url: string): Dialect => ({
  name: "pg",
  fresh: () =>
    Layer.unwrapScoped(
      Effect.map(freshDatabaseUrl(url), (fresh) =>
        PgClient.layer({ url: Redacted.make(fresh), maxConnections: 8 })
      )
    ).pipe(Layer.orDie)
})

/**
 * The dialects to run a suite against: SQLite always, PostgreSQL when configured.
 *
 * @since 0.1.0
 * @category dialects
 */
export const dialects: ReadonlyArray<Dialect> = pgUrl === undefined ? [sqlite] : [sqlite, pg(pgUrl)]

/**
 * A dialect under test and how to get the URL of a fresh, empty database of it
 * (`sqlite:<file>` or `postgres://…`), for programs that take a URL.
 *
 * @since 0.1.0
 * @category models
 */
export interface UrlDialect {
  readonly name: "sqlite" | "pg"
  /** The URL of a fresh empty database, removed when the scope closes. */
  readonly fresh: Effect.Effect<string, never, Scope.Scope>
}

/**
 * A SQLite file (not yet created) in a fresh temporary directory, as a `sqlite:` URL.
 *
 * @since 0.1.0
 * @category dialects
 */
export const sqliteFileUrl = (prefix = "civicgrid-", file = "civicgrid.sqlite"): UrlDialect => ({
  name: "sqlite",
  fresh: Effect.map(tempDir(prefix), (dir) => `sqlite:${join(dir, file)}`)
})

/**
 * PostgreSQL: a database created on the server of `url` per use, dropped when the scope closes.
 *
 * @since 0.1.0
 * @category dialects
 */
export const pgFreshUrl = (url: string, prefix = "cg_test"): UrlDialect => ({
  name: "pg",
  fresh: freshDatabaseUrl(url, prefix)
})
