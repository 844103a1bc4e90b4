/**
 * 存储不可用 — how an SQL error maps to the core's `Storage.StorageUnavailable`:
 * the one classification the repositories use, for callers that meet an
 * `SqlError` outside them (a command-line tool opening a database, a
 * migration) and want to tell "try again later" from a bug.
 *
 * | error | reason |
 * | --- | --- |
 * | SQLite `SQLITE_BUSY*`, `SQLITE_LOCKED*`; PostgreSQL 55P03 | `busy` |
 * | PostgreSQL 40001, 40P01 | `contention` |
 * | SQLSTATE class 08, 57P01–57P03, 53300; ECONNREFUSED, ECONNRESET, ETIMEDOUT, ENOTFOUND … | `unreachable` |
 * | anything else | none (a defect) |
 *
 * @since 0.1.0
 */
import type * as Storage from "@civicgrid/core/Storage"
import type { SqlError } from "@effect/sql/SqlError"
import * as support from "./internal/support.js"

/**
 * Why an SQL error means the store cannot serve now, or `undefined` when it
 * does not (the error is a bug or a data problem).
 *
 * @since 0.1.0
 * @category classification
 */
export const unavailableReason: (error: SqlError) => Storage.Reason | undefined = support.unavailableReason

/**
 * The `StorageUnavailable` a value (an `SqlError`, possibly met as a defect)
 * means, or `undefined`.
 *
 * @since 0.1.0
 * @category classification
 */
export const toUnavailable: (error: unknown) => Storage.StorageUnavailable | undefined = support.toUnavailable
