/**
 * Test databases for the SQL tests (`@civicgrid/testkit/Databases`): every
 * test gets a database of its own, so tests may run concurrently — SQLite in
 * memory (or a temporary file), PostgreSQL as a fresh database created on the
 * server at `CIVICGRID_PG_URL` and dropped afterwards. Without
 * `CIVICGRID_PG_URL` the PostgreSQL half is skipped with a visible message
 * (CI always sets it).
 *
 * SQLite runs on `SqliteStore` (write transactions `BEGIN IMMEDIATE`, read
 * transactions deferred), the client the repositories are meant for.
 */
import { type Dialect, pg, pgUrl, skipNotice } from "@civicgrid/testkit/Databases"
import * as Layer from "effect/Layer"
import * as SqliteStore from "../../src/SqliteStore.js"

export { type Dialect, pg, pgUrl, sqliteFile } from "@civicgrid/testkit/Databases"

skipNotice("@civicgrid/sql")

/**
 * SQLite in memory on `SqliteStore`: each layer build opens a new, empty database.
 */
export const sqlite: Dialect = {
  name: "sqlite",
  fresh: () => SqliteStore.layer({ filename: ":memory:" }).pipe(Layer.orDie)
}

/** The dialects to run a suite against: SQLite always, PostgreSQL when configured. */
export const dialects: ReadonlyArray<Dialect> = pgUrl === undefined ? [sqlite] : [sqlite, pg(pgUrl)]
