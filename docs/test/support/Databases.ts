/**
 * Databases for the PostgreSQL guide's snippets (`@civicgrid/testkit/Databases`):
 * a fresh database created at `CIVICGRID_PG_URL` for each test and dropped
 * afterwards; the snippet gets its URL, as a user passes theirs. Without
 * `CIVICGRID_PG_URL` those tests are skipped with a visible message (CI
 * always sets it). The other snippets use SQLite in memory or the core's
 * in-memory layers themselves.
 */
import * as Databases from "@civicgrid/testkit/Databases"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"

export { pgUrl } from "@civicgrid/testkit/Databases"

Databases.skipNotice("the docs (the PostgreSQL guide's snippets, docs/guides/postgresql.md)")

/**
 * A new, empty database on the server of `adminUrl` for the scope, dropped
 * when the scope closes; its URL, redacted, as a user would pass theirs.
 */
export const freshDatabase = (
  adminUrl: string
): Effect.Effect<Redacted.Redacted<string>, never, Scope.Scope> =>
  Effect.map(Databases.freshDatabaseUrl(adminUrl, "cg_docs"), Redacted.make)
