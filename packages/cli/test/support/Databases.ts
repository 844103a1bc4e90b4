/**
 * Databases for the CLI tests (`@civicgrid/testkit/Databases`), one per test,
 * as the URL the CLI takes: a SQLite file in a fresh directory under the OS
 * temp directory, or a fresh PostgreSQL database created at
 * `CIVICGRID_PG_URL` and dropped afterwards. Without `CIVICGRID_PG_URL` the
 * PostgreSQL cases are not registered, and a visible message says so (CI
 * always sets it).
 */
import * as Databases from "@civicgrid/testkit/Databases"

export { pgUrl, type UrlDialect as Dialect } from "@civicgrid/testkit/Databases"

Databases.skipNotice("@civicgrid/cli")

/** A fresh temporary directory, removed with the scope. */
export const tempDir = Databases.tempDir("civicgrid-cli-")

/** A SQLite file (not yet created) in a fresh temporary directory. */
export const sqlite = Databases.sqliteFileUrl("civicgrid-cli-")

/** SQLite always; PostgreSQL when configured. */
export const dialects: ReadonlyArray<Databases.UrlDialect> =
  Databases.pgUrl === undefined ? [sqlite] : [sqlite, Databases.pgFreshUrl(Databases.pgUrl, "cg_cli")]
