/**
 * Test databases for the HTTP tests (`@civicgrid/testkit/Databases`): every
 * test gets a database of its own — SQLite in memory, or a fresh PostgreSQL
 * database created at `CIVICGRID_PG_URL` and dropped afterwards. Without
 * `CIVICGRID_PG_URL` the PostgreSQL half is skipped with a visible message
 * (CI always sets it).
 */
import { skipNotice } from "@civicgrid/testkit/Databases"

export { type Dialect, dialects, pgUrl, sqlite } from "@civicgrid/testkit/Databases"

skipNotice("@civicgrid/http")
