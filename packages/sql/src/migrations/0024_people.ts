/**
 * 0024 — the people of issue 19 (`PeopleRepository`): households 户,
 * residents 居民 (sealed), key-group enrolments 重点人群登记, contacts 联户 and their
 * links, visit plans 走访计划, visits 入户走访, proxy services 网格代办 as an event
 * stream with a state row, and the append-only access log 访问日志.
 *
 * Rows keep the columns queries filter on next to `doc`, the record encoded
 * with its core schema as JSON. Households keep `unit_id` (`Household.unitOf`:
 * the household unit or the building), which reads by jurisdiction join to
 * `cg_units` and range-scan its path; plans, links and visits are scoped
 * through their household.
 *
 * `cg_residents` holds **no plaintext**: `sealed` is the whole resident
 * (name, ID number, phone …) sealed with AES-256-GCM (`PeopleCipher`), bound
 * to the resident id, and `key_id` names the key it was sealed under (for
 * rotation). `cg_proxy_service_events` has primary key (service_id,
 * sequence): two writers never store the same sequence of a service.
 * `cg_access_log` is append-only: triggers refuse UPDATE and DELETE (and
 * TRUNCATE on PostgreSQL).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_households (
      id TEXT PRIMARY KEY,
      community_id TEXT NOT NULL,
      grid_id TEXT,
      unit_id TEXT NOT NULL,
      doc TEXT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_households_unit ON cg_households (unit_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_residents (
      id TEXT PRIMARY KEY,
      household_id TEXT NOT NULL,
      key_id TEXT NOT NULL,
      sealed TEXT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_residents_household ON cg_residents (household_id)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_residents_key ON cg_residents (key_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_enrolments (
      id TEXT PRIMARY KEY,
      category_id TEXT NOT NULL,
      household_id TEXT NOT NULL,
      resident_id TEXT,
      since TEXT NOT NULL,
      until TEXT,
      doc TEXT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_enrolments_category ON cg_enrolments (category_id, household_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_contacts (
      id TEXT PRIMARY KEY,
      community_id TEXT NOT NULL,
      doc TEXT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_contacts_community ON cg_contacts (community_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_contact_links (
      contact_id TEXT NOT NULL,
      household_id TEXT NOT NULL,
      doc TEXT NOT NULL,
      PRIMARY KEY (contact_id, household_id)
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_contact_links_household ON cg_contact_links (household_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_visit_plans (
      id TEXT PRIMARY KEY,
      household_id TEXT NOT NULL,
      contact_id TEXT,
      doc TEXT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_visit_plans_household ON cg_visit_plans (household_id)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_visit_plans_contact ON cg_visit_plans (contact_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_visits (
      id TEXT PRIMARY KEY,
      household_id TEXT NOT NULL,
      visitor_id TEXT NOT NULL,
      at BIGINT NOT NULL,
      doc TEXT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_visits_household ON cg_visits (household_id, at)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_proxy_services (
      id TEXT PRIMARY KEY,
      community_id TEXT NOT NULL,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      updated_at BIGINT NOT NULL,
      state TEXT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_proxy_services_community ON cg_proxy_services (community_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_proxy_service_events (
      service_id TEXT NOT NULL,
      sequence INTEGER NOT NULL,
      tag TEXT NOT NULL,
      at BIGINT NOT NULL,
      event TEXT NOT NULL,
      PRIMARY KEY (service_id, sequence)
    )
  `
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_access_log (
      id TEXT PRIMARY KEY,
      at BIGINT NOT NULL,
      actor_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      category_id TEXT NOT NULL,
      action TEXT NOT NULL,
      entry TEXT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_access_log_at ON cg_access_log (at, id)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_access_log_actor ON cg_access_log (actor_id, at)`
  yield* sql.onDialectOrElse({
    pg: () =>
      Effect.gen(function* () {
        yield* sql.unsafe(`
          CREATE OR REPLACE FUNCTION cg_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            RAISE EXCEPTION 'cg_access_log is append-only';
          END
          $$`)
        // re-runnable (every statement of a migration is): the triggers are replaced
        yield* sql.unsafe(`DROP TRIGGER IF EXISTS cg_access_log_no_change ON cg_access_log`)
        yield* sql.unsafe(`DROP TRIGGER IF EXISTS cg_access_log_no_truncate ON cg_access_log`)
        yield* sql.unsafe(`
          CREATE TRIGGER cg_access_log_no_change BEFORE UPDATE OR DELETE ON cg_access_log
          FOR EACH ROW EXECUTE FUNCTION cg_access_log_append_only()`)
        yield* sql.unsafe(`
          CREATE TRIGGER cg_access_log_no_truncate BEFORE TRUNCATE ON cg_access_log
          FOR EACH STATEMENT EXECUTE FUNCTION cg_access_log_append_only()`)
      }),
    orElse: () =>
      Effect.gen(function* () {
        yield* sql.unsafe(`
          CREATE TRIGGER IF NOT EXISTS cg_access_log_no_update BEFORE UPDATE ON cg_access_log
          BEGIN SELECT RAISE(ABORT, 'cg_access_log is append-only'); END`)
        yield* sql.unsafe(`
          CREATE TRIGGER IF NOT EXISTS cg_access_log_no_delete BEFORE DELETE ON cg_access_log
          BEGIN SELECT RAISE(ABORT, 'cg_access_log is append-only'); END`)
      })
  })
})
