/**
 * 租约（SQL） — the core's `Lease` port on the ambient `SqlClient` (SQLite or
 * PostgreSQL): one row per lease in `cg_leases` (migration 0015: `name`
 * primary key, `holder`, `expires_at` in epoch milliseconds). A claim is one
 * conditional upsert —
 *
 * ```sql
 * INSERT INTO cg_leases (name, holder, expires_at) VALUES (:name, :me, :now + :ttl)
 * ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
 * WHERE cg_leases.expires_at <= :now OR cg_leases.holder = :me
 * RETURNING holder
 * ```
 *
 * — which inserts a new lease, takes over an expired one, renews our own, or
 * changes nothing (no row returned) when another holder's lease is still
 * running. PostgreSQL evaluates the `WHERE` on the latest row version under
 * the row lock, SQLite serialises writers: of instances claiming at once,
 * exactly one gets the lease. `now` is the instance's `Clock` (see `Lease`).
 *
 * @since 0.1.0
 */
import * as Lease from "@civicgrid/core/Lease"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { orUnavailable } from "./internal/support.js"

/**
 * 取得租约 — the claim of `name` by `holder` for `ttlMillis` on the ambient
 * `SqlClient` (see the module note): whether `holder` has the lease now.
 *
 * @since 0.1.0
 * @category constructors
 */
export const claim = (name: string, holder: string, ttlMillis: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const now = yield* Clock.currentTimeMillis
    const expiresAt = now + Math.max(0, Math.floor(ttlMillis))
    const rows = yield* sql<{ readonly holder: string }>`
      INSERT INTO cg_leases (name, holder, expires_at) VALUES (${name}, ${holder}, ${expiresAt})
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE cg_leases.expires_at <= ${now} OR cg_leases.holder = ${holder}
      RETURNING holder`.pipe(orUnavailable)
    return rows.length === 1 && rows[0]?.holder === holder
  }).pipe(Effect.withSpan("SqlLease.claim", { attributes: { "civicgrid.lease": name, holder } }))

/**
 * A SQL `Lease` for `holder` on `sql`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (sql: SqlClient.SqlClient, holder: string): Lease.Lease["Type"] =>
  Lease.make(holder, (name, who, ttlMillis) =>
    Effect.provideService(claim(name, who, ttlMillis), SqlClient.SqlClient, sql)
  )

/**
 * 租约层 — `Lease` on the ambient `SqlClient`, under `holder` (default a new
 * random id per layer: one per server process).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: { readonly holder?: string } = {}
): Layer.Layer<Lease.Lease, never, SqlClient.SqlClient> =>
  Layer.effect(
    Lease.Lease,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const holder = options.holder ?? (yield* Lease.newHolder)
      return make(sql, holder)
    })
  )
