/**
 * @civicgrid/ledger — 台账: the core's lists as CSV and XLSX ledgers with
 * Chinese column headers, and validated import back.
 *
 * @since 0.1.0
 */

/**
 * 楼栋台账 — the building ledger spec.
 *
 * @since 0.1.0
 */
export * as BuildingLedger from "./BuildingLedger.js"

/**
 * CSV ledgers (UTF-8 with BOM, RFC 4180).
 *
 * @since 0.1.0
 */
export * as Csv from "./Csv.js"
/**
 * 网格台账 — the grid ledger spec.
 *
 * @since 0.1.0
 */
export * as GridLedger from "./GridLedger.js"
/**
 * The generic engine: ledger specs, tables, validated import, errors.
 *
 * @since 0.1.0
 */
export * as Ledger from "./Ledger.js"
/**
 * 微心愿台账 — the micro-wish ledger spec.
 *
 * @since 0.1.0
 */
export * as MicroWishLedger from "./MicroWishLedger.js"

/**
 * 网格员台账 — the staffing ledger specs (people, assignments).
 *
 * @since 0.1.0
 */
export * as StaffingLedger from "./StaffingLedger.js"
/**
 * XLSX ledgers (exceljs), as Effects.
 *
 * @since 0.1.0
 */
export * as Xlsx from "./Xlsx.js"
