/**
 * Test databases: every test gets a database of its own, so tests may run
 * concurrently — SQLite in memory (or a temporary file), PostgreSQL as a fresh
 * database created on the server at `CIVICGRID_PG_URL` and dropped afterwards.
 * Without `CIVICGRID_PG_URL` the PostgreSQL half is skipped with a visible
 * message (CI always sets it).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/** The PostgreSQL URL tests use, if any. */
export const pgUrl: string | undefined = process.env["CIVICGRID_PG_URL"]

if (pgUrl === undefined) {
  process.stderr.write(
    "\n[civicgrid] CIVICGRID_PG_URL is not set: the PostgreSQL half of the SQL tests is SKIPPED " +
      "(set it, e.g. postgres://postgres@127.0.0.1:5432/test, to run them; CI always does)\n\n"
  )
}

/** A dialect under test and how to get a fresh, empty database of it. */
export interface Dialect {
  readonly name: "sqlite" | "pg"
  /** A fresh empty database for one test (dropped when the layer's scope closes). */
  readonly fresh: () => Layer.Layer<SqlClient.SqlClient>
}

let counter = 0
const uniqueName = (): string =>
  `cg_test_${process.pid}_${Date.now().toString(36)}_${(counter++).toString(36)}`

/** SQLite in memory: each layer build opens a new, empty database. */
export const sqlite: Dialect = {
  name: "sqlite",
  fresh: () => SqliteClient.layer({ filename: ":memory:" }).pipe(Layer.orDie)
}

/** SQLite on a temporary file (WAL), for tests that need a real file (crash, reopen). */
export const sqliteFile = (): { readonly filename: string; readonly cleanup: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), "civicgrid-"))
  return {
    filename: join(dir, "civicgrid.sqlite"),
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}

const withDatabase = (url: string, database: string): string => {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

/** PostgreSQL: creates a database per layer build and drops it when the scope closes. */
export const pg = (url: string): Dialect => ({
  name: "pg",
  fresh: () =>
    Layer.unwrapScoped(
      Effect.gen(function* () {
        const name = uniqueName()
        const admin = PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })
        const createDb = Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(`CREATE DATABASE ${name}`))
        const dropDb = Effect.flatMap(PgClient.PgClient, (sql) =>
          sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        )
        yield* Effect.provide(createDb, admin)
        yield* Effect.addFinalizer(() => Effect.provide(dropDb, admin).pipe(Effect.orDie))
        return PgClient.layer({ url: Redacted.make(withDatabase(url, name)), maxConnections: 8 })
      }).pipe(Effect.orDie)
    ).pipe(Layer.orDie)
})

/** The dialects to run a conformance suite against: SQLite always, PostgreSQL when configured. */
export const dialects: ReadonlyArray<Dialect> = pgUrl === undefined ? [sqlite] : [sqlite, pg(pgUrl)]
