/**
 * 幂等键清理 — the core's `IdempotencyRetention.IdempotencyKeys` on
 * `cg_idempotency` (migration 0002; its `created_at` index, migration 0022):
 * the oldest keys first, at most `limit` per call, in one statement (the
 * removed keys are counted from its `RETURNING`, on both dialects).
 *
 * @since 0.1.0
 */
import * as IdempotencyRetention from "@civicgrid/core/IdempotencyRetention"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { orUnavailable } from "./internal/support.js"

/**
 * Builds the port on a `SqlClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (sql: SqlClient.SqlClient): IdempotencyRetention.IdempotencyKeys["Type"] => ({
  prune: (before, limit) =>
    sql<{ readonly idempotency_key: string }>`
      DELETE FROM cg_idempotency WHERE idempotency_key IN (
        SELECT idempotency_key FROM cg_idempotency
        WHERE created_at < ${before}
        ORDER BY created_at
        LIMIT ${Math.max(1, Math.floor(limit))})
      RETURNING idempotency_key`.pipe(
      Effect.map((rows) => rows.length),
      orUnavailable,
      Effect.withSpan("SqlIdempotencyKeys.prune", { attributes: { limit } })
    )
})

/**
 * 幂等键清理层 — `IdempotencyRetention.IdempotencyKeys` on the ambient `SqlClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<IdempotencyRetention.IdempotencyKeys, never, SqlClient.SqlClient> =
  Layer.effect(IdempotencyRetention.IdempotencyKeys, Effect.map(SqlClient.SqlClient, make))
