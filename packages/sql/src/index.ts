/**
 * @civicgrid/sql — the core's repository ports as Effect Layers on SQLite
 * (`@effect/sql-sqlite-node`, the embedded default) and PostgreSQL
 * (`@effect/sql-pg`).
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Migrations from "./Migrations.js"
