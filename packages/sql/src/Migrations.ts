/**
 * 数据库迁移 — versioned migrations, written once for SQLite and PostgreSQL,
 * run through `Migrator.fromRecord`. Running them twice is harmless (each runs
 * once, recorded in `cg_migrations`); a database migrated by a newer civicgrid
 * than this code is refused with `DatabaseTooNew` before anything is touched.
 *
 * @since 0.1.0
 */
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import hierarchy from "./migrations/0001_hierarchy.js"
import cases from "./migrations/0002_cases.js"
import grids from "./migrations/0003_grids.js"
import lists from "./migrations/0004_lists.js"
import surveys from "./migrations/0005_surveys.js"
import caseIndicators from "./migrations/0006_case_indicators.js"
import apiKeys from "./migrations/0007_api_keys.js"
import caseAccess from "./migrations/0008_case_access.js"
import indicatorProjection from "./migrations/0009_indicator_projection.js"
import departments from "./migrations/0010_departments.js"
import apiKeySchemes from "./migrations/0011_api_key_schemes.js"
import caseComments from "./migrations/0012_case_comments.js"
import calendarYears from "./migrations/0013_calendar_years.js"
import policies from "./migrations/0014_policies.js"
import leases from "./migrations/0015_leases.js"
import timerLights from "./migrations/0016_timer_lights.js"
import outbox from "./migrations/0017_outbox.js"
import jobCursors from "./migrations/0018_job_cursors.js"
import hierarchyVersion from "./migrations/0019_hierarchy_version.js"
import outboxPrune from "./migrations/0020_outbox_prune.js"
import caseLayout from "./migrations/0021_case_layout.js"
import idempotencyRetention from "./migrations/0022_idempotency_retention.js"
import indicatorDayShards from "./migrations/0023_indicator_day_shards.js"
import people from "./migrations/0024_people.js"
import openPath from "./migrations/0025_open_path.js"
import organization from "./migrations/0026_organization.js"
import organizationPopulations from "./migrations/0027_organization_populations.js"
import deliberation from "./migrations/0028_deliberation.js"
import apiKeyLocalRoles from "./migrations/0029_api_key_local_roles.js"
import organizationWeakAndLax from "./migrations/0030_organization_weak_and_lax.js"

/**
 * The migrations, keyed `<id>_<name>` as `Migrator.fromRecord` expects.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = {
  "0001_hierarchy": hierarchy,
  "0002_cases": cases,
  "0003_grids": grids,
  "0004_lists": lists,
  "0005_surveys": surveys,
  "0006_case_indicators": caseIndicators,
  "0007_api_keys": apiKeys,
  "0008_case_access": caseAccess,
  "0009_indicator_projection": indicatorProjection,
  "0010_departments": departments,
  "0011_api_key_schemes": apiKeySchemes,
  "0012_case_comments": caseComments,
  "0013_calendar_years": calendarYears,
  "0014_policies": policies,
  "0015_leases": leases,
  "0016_timer_lights": timerLights,
  "0017_outbox": outbox,
  "0018_job_cursors": jobCursors,
  "0019_hierarchy_version": hierarchyVersion,
  "0020_outbox_prune": outboxPrune,
  "0021_case_layout": caseLayout,
  "0022_idempotency_retention": idempotencyRetention,
  "0023_indicator_day_shards": indicatorDayShards,
  "0024_people": people,
  "0025_open_path": openPath,
  "0026_organization": organization,
  "0027_organization_populations": organizationPopulations,
  "0028_deliberation": deliberation,
  "0029_api_key_local_roles": apiKeyLocalRoles,
  "0030_organization_weak_and_lax": organizationWeakAndLax
}

/**
 * The newest migration id this code knows.
 *
 * @since 0.1.0
 * @category migrations
 */
export const latestVersion: number = Math.max(
  ...Object.keys(migrations).map((key) => Number(key.split("_")[0]))
)

/**
 * The table the migrator records applied migrations in.
 *
 * @since 0.1.0
 * @category migrations
 */
export const table = "cg_migrations"

/**
 * 数据库版本过新 — the database was migrated by a newer civicgrid than this code.
 *
 * @since 0.1.0
 * @category errors
 */
export class DatabaseTooNew extends Schema.TaggedError<DatabaseTooNew>()("DatabaseTooNew", {
  databaseVersion: Schema.Int,
  codeVersion: Schema.Int
}) {
  override get message(): string {
    return `数据库版本过新 the database is at migration ${this.databaseVersion}, newer than this civicgrid (${this.codeVersion}); upgrade civicgrid instead of running an older one against it`
  }
}

/**
 * The highest migration applied to the database (0 for a fresh one).
 *
 * @since 0.1.0
 * @category migrations
 */
export const databaseVersion: Effect.Effect<number, SqlError, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS ${sql(table)} (
    migration_id INTEGER PRIMARY KEY NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    name TEXT NOT NULL
  )`
  const rows = yield* sql<{
    readonly version: number | string | null
  }>`SELECT MAX(migration_id) AS version FROM ${sql(table)}`
  return Number(rows[0]?.version ?? 0)
})

/**
 * 执行迁移 — refuses a database newer than the code, then applies the missing
 * migrations; returns the ones it applied.
 *
 * @since 0.1.0
 * @category migrations
 */
export const run: Effect.Effect<
  ReadonlyArray<readonly [id: number, name: string]>,
  DatabaseTooNew | Migrator.MigrationError | SqlError,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const current = yield* databaseVersion
  if (current > latestVersion) {
    return yield* new DatabaseTooNew({ databaseVersion: current, codeVersion: latestVersion })
  }
  return yield* Migrator.make({})({ loader: Migrator.fromRecord(migrations), table })
})
