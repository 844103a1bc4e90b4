/**
 * Databases for the PostgreSQL guide's snippets: a fresh database created at
 * `CIVICGRID_PG_URL` for each test and dropped afterwards (the pattern of
 * `packages/http/test/support/Databases.ts`); the snippet gets its URL, as a
 * user passes theirs. Without `CIVICGRID_PG_URL` those tests are skipped with
 * a visible message (CI always sets it). The other snippets use SQLite in
 * memory or the core's in-memory layers themselves.
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"

/** The PostgreSQL server the tests may create databases on, if any. */
export const pgUrl: string | undefined = process.env["CIVICGRID_PG_URL"]

if (pgUrl === undefined) {
  process.stderr.write(
    "\n[civicgrid] CIVICGRID_PG_URL is not set: the PostgreSQL guide's snippets (docs/guides/postgresql.md) are SKIPPED\n\n"
  )
}

let counter = 0

/**
 * A new, empty database on the server of `adminUrl` for the scope, dropped
 * when the scope closes; its URL, redacted, as a user would pass theirs.
 */
export const freshDatabase = (
  adminUrl: string
): Effect.Effect<Redacted.Redacted<string>, never, Scope.Scope> =>
  Effect.gen(function* () {
    const name = `cg_docs_${process.pid}_${Date.now().toString(36)}_${(counter++).toString(36)}`
    const admin = PgClient.layer({ url: Redacted.make(adminUrl), maxConnections: 1 })
    const run = (statement: string) =>
      Effect.provide(
        Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(statement)),
        admin
      ).pipe(Effect.orDie)
    yield* Effect.acquireRelease(run(`CREATE DATABASE ${name}`), () =>
      run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    )
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    return Redacted.make(url.toString())
  })
