/**
 * 存储不可用 — what every repository port answers when its store cannot serve
 * a request right now: the SQLite file is locked by another writer past the
 * busy timeout, PostgreSQL is unreachable, or a transaction kept failing to
 * serialise after bounded retries. Nothing was written (a write is all or
 * nothing); the caller may try again after `retryAfterSeconds`. HTTP answers
 * 503 with `Retry-After`; the CLI prints one line and exits 1.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Why the store could not serve.
 *
 * - `busy` — another writer holds the database (SQLite `SQLITE_BUSY`) past the busy timeout;
 * - `unreachable` — the database server cannot be reached or refused the connection;
 * - `contention` — a transaction failed to serialise (PostgreSQL 40001 / 40P01) after retries.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Reason = Schema.Literal("busy", "unreachable", "contention")

/**
 * @since 0.1.0
 * @category models
 */
export type Reason = typeof Reason.Type

/**
 * 存储不可用 — the store cannot serve now; nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class StorageUnavailable extends Schema.TaggedError<StorageUnavailable>()("StorageUnavailable", {
  reason: Reason,
  /** 建议重试间隔 — seconds after which trying again may succeed. */
  retryAfterSeconds: Schema.Int.pipe(Schema.positive()),
  message: Schema.String
}) {}

const texts: Record<Reason, string> = {
  busy: "数据库忙 the database is busy (another writer holds it)",
  unreachable: "数据库不可达 the database cannot be reached",
  contention: "数据库冲突 the transaction kept conflicting with others"
}

/**
 * The bilingual text of a reason (`数据库忙 the database is busy …`).
 *
 * @since 0.1.0
 * @category utils
 */
export const reasonText = (reason: Reason): string => texts[reason]

/**
 * Builds the error with its bilingual message.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unavailable = (reason: Reason, retryAfterSeconds = 1): StorageUnavailable =>
  new StorageUnavailable({
    reason,
    retryAfterSeconds,
    message: `${texts[reason]}; 请稍后重试 try again in ${retryAfterSeconds} s`
  })
