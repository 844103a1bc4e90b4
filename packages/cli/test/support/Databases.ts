/**
 * Databases for the CLI tests, one per test: a SQLite file in a fresh
 * directory under the OS temp directory, or a fresh PostgreSQL database
 * created at `CIVICGRID_PG_URL` and dropped afterwards. Without
 * `CIVICGRID_PG_URL` the PostgreSQL cases are not registered, and a visible
 * message says so (CI always sets it).
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"

/** The PostgreSQL URL tests use, if any. */
export const pgUrl: string | undefined = process.env["CIVICGRID_PG_URL"]

if (pgUrl === undefined) {
  process.stderr.write(
    "\n[civicgrid] CIVICGRID_PG_URL is not set: the PostgreSQL cases of the CLI tests are SKIPPED\n\n"
  )
}

/** A fresh temporary directory, removed with the scope. */
export const tempDir: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "civicgrid-cli-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

/** A database kind under test and how to get the URL of a fresh, empty database of it. */
export interface Dialect {
  readonly name: "sqlite" | "pg"
  readonly fresh: Effect.Effect<string, never, Scope.Scope>
}

/** A SQLite file (not yet created) in a fresh temporary directory. */
export const sqlite: Dialect = {
  name: "sqlite",
  fresh: Effect.map(tempDir, (dir) => `sqlite:${join(dir, "civicgrid.sqlite")}`)
}

let counter = 0
const uniqueName = (): string =>
  `cg_cli_${process.pid}_${Date.now().toString(36)}_${(counter++).toString(36)}`

const withDatabase = (url: string, database: string): string => {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

const pg = (url: string): Dialect => ({
  name: "pg",
  fresh: Effect.gen(function* () {
    const name = uniqueName()
    const admin = PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })
    const run = (statement: string) =>
      Effect.provide(
        Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(statement)),
        admin
      ).pipe(Effect.orDie)
    yield* Effect.acquireRelease(run(`CREATE DATABASE ${name}`), () =>
      run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    )
    return withDatabase(url, name)
  })
})

/** SQLite always; PostgreSQL when configured. */
export const dialects: ReadonlyArray<Dialect> = pgUrl === undefined ? [sqlite] : [sqlite, pg(pgUrl)]
