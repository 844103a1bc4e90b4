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

/**
 * @since 0.1.0
 */
export * as SqlCaseRepository from "./SqlCaseRepository.js"

/**
 * @since 0.1.0
 */
export * as SqlGridRepository from "./SqlGridRepository.js"

/**
 * @since 0.1.0
 */
export * as SqlHierarchyRepository from "./SqlHierarchyRepository.js"

/**
 * @since 0.1.0
 */
export * as SqlIndicators from "./SqlIndicators.js"

/**
 * @since 0.1.0
 */
export * as SqlListRepository from "./SqlListRepository.js"

/**
 * @since 0.1.0
 */
export * as SqlSurveyRepository from "./SqlSurveyRepository.js"
