/**
 * Test databases for the SQL tests (`@civicgrid/testkit/Databases`): every
 * test gets a database of its own, so tests may run concurrently — SQLite in
 * memory (or a temporary file), PostgreSQL as a fresh database created on the
 * server at `CIVICGRID_PG_URL` and dropped afterwards. Without
 * `CIVICGRID_PG_URL` the PostgreSQL half is skipped with a visible message
 * (CI always sets it).
 */
import { skipNotice } from "@civicgrid/testkit/Databases"

export { type Dialect, dialects, pg, pgUrl, sqlite, sqliteFile } from "@civicgrid/testkit/Databases"

skipNotice("@civicgrid/sql")
