/**
 * Test databases for the HTTP tests: every test gets a database of its own —
 * SQLite in memory, or a fresh PostgreSQL database created at
 * `CIVICGRID_PG_URL` and dropped afterwards. Without `CIVICGRID_PG_URL` the
 * PostgreSQL half is skipped with a visible message (CI always sets it).
 */
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
    "\n[civicgrid] CIVICGRID_PG_URL is not set: the PostgreSQL half of the HTTP tests is SKIPPED\n\n"
  )
}

/** A dialect under test and how to get a fresh, empty database of it. */
export interface Dialect {
  readonly name: "sqlite" | "pg"
  readonly fresh: () => Layer.Layer<SqlClient.SqlClient>
}

let counter = 0
const uniqueName = (): string =>
  `cg_http_${process.pid}_${Date.now().toString(36)}_${(counter++).toString(36)}`

/** SQLite in memory: each layer build opens a new, empty database. */
export const sqlite: Dialect = {
  name: "sqlite",
  fresh: () => SqliteClient.layer({ filename: ":memory:" }).pipe(Layer.orDie)
}

const withDatabase = (url: string, database: string): string => {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

const pg = (url: string): Dialect => ({
  name: "pg",
  fresh: () =>
    Layer.unwrapScoped(
      Effect.gen(function* () {
        const name = uniqueName()
        const admin = PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })
        yield* Effect.provide(
          Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(`CREATE DATABASE ${name}`)),
          admin
        )
        yield* Effect.addFinalizer(() =>
          Effect.provide(
            Effect.flatMap(PgClient.PgClient, (sql) =>
              sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
            ),
            admin
          ).pipe(Effect.orDie)
        )
        return PgClient.layer({ url: Redacted.make(withDatabase(url, name)), maxConnections: 8 })
      }).pipe(Effect.orDie)
    ).pipe(Layer.orDie)
})

/** SQLite always; PostgreSQL when configured. */
export const dialects: ReadonlyArray<Dialect> = pgUrl === undefined ? [sqlite] : [sqlite, pg(pgUrl)]
