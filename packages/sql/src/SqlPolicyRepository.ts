/**
 * 配置仓库（SQL） — the core's `PolicyRepository` on `@effect/sql`, the same
 * code for SQLite and PostgreSQL (table `cg_policies`, migration 0014): a
 * street office's own category catalogue (案件分类), routing table (派遣规则)
 * and time-limit policy (处置时限), one JSON document per kind. A write checks
 * the document through the core (`PolicyRepository.make`) and reads what the
 * check needs (the catalogue in force, the stored routing and time-limit
 * rules) and upserts the document in one transaction: all or nothing.
 *
 * `inForce` reads what the app runs on once at start (each stored document,
 * else the given defaults); on a database not yet migrated to 0014 (no table
 * `cg_policies`) nothing is stored, so it is the defaults; the check only
 * reads, so it may run while the migrations do.
 *
 * @since 0.1.0
 */
import type { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as PolicyRepository from "@civicgrid/core/PolicyRepository"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as SqlClient from "@effect/sql/SqlClient"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { num, orDie, orUnavailable, tableExists } from "./internal/support.js"

/**
 * The migration that creates `cg_policies`.
 *
 * @since 0.1.0
 * @category constants
 */
export const migration = 14

/**
 * The table of stored policy documents.
 *
 * @since 0.1.0
 * @category constants
 */
export const table = "cg_policies"

const read =
  (sql: SqlClient.SqlClient) =>
  (kind: PolicyRepository.PolicyKind): Effect.Effect<Option.Option<unknown>, StorageUnavailable> =>
    sql<{ readonly document: string }>`SELECT document FROM cg_policies WHERE kind = ${kind}`.pipe(
      Effect.map((rows) =>
        Option.map(Option.fromNullable(rows[0]), (row): unknown => JSON.parse(row.document))
      ),
      orUnavailable,
      Effect.withSpan("SqlPolicyRepository.read", { attributes: { kind } })
    )

/**
 * Builds the SQL store of policy documents (the hierarchy a routing table is
 * checked against comes from the `HierarchyRepository`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  PolicyRepository.PolicyRepository["Type"],
  never,
  SqlClient.SqlClient | HierarchyRepository
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* PolicyRepository.make({
    read: read(sql),
    write: (kind, document) =>
      Effect.gen(function* () {
        const updatedAt = (yield* DateTime.now).epochMillis
        const row = { kind, document: JSON.stringify(document), updated_at: updatedAt }
        yield* sql`INSERT INTO cg_policies ${sql.insert(row)}
          ON CONFLICT (kind) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at`
      }).pipe(orUnavailable, Effect.withSpan("SqlPolicyRepository.write", { attributes: { kind } })),
    atomically: (self) => orDie(sql.withTransaction(self))
  })
})

/**
 * The SQL store of policy documents as a Layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  PolicyRepository.PolicyRepository,
  never,
  SqlClient.SqlClient | HierarchyRepository
> = Layer.effect(PolicyRepository.PolicyRepository, make)

/**
 * 存储时间 — when each stored document was last written (epoch milliseconds), by kind.
 *
 * @since 0.1.0
 * @category getters
 */
export const updatedAt: Effect.Effect<
  ReadonlyMap<PolicyRepository.PolicyKind, DateTime.Utc>,
  StorageUnavailable,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{
    readonly kind: PolicyRepository.PolicyKind
    readonly updated_at: number | string
  }>`SELECT kind, updated_at FROM cg_policies ORDER BY kind`.pipe(orUnavailable)
  return new Map(rows.map((row) => [row.kind, DateTime.unsafeMake(num(row.updated_at))] as const))
}).pipe(Effect.withSpan("SqlPolicyRepository.updatedAt"))

const present: Effect.Effect<boolean, StorageUnavailable, SqlClient.SqlClient> = tableExists(table)

/**
 * 现行配置 — what the app runs on, read once: each stored document, else the
 * given default (`PolicyRepository.resolve`). A database below migration 0014
 * (no table `cg_policies`) stores nothing: the defaults.
 *
 * @since 0.1.0
 * @category getters
 */
export const inForce = (
  defaults: PolicyRepository.Defaults = {}
): Effect.Effect<PolicyRepository.InForce, StorageUnavailable, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    if (!(yield* present)) {
      return PolicyRepository.resolve(
        { catalogue: Option.none(), rules: Option.none(), timeLimits: Option.none() },
        defaults
      )
    }
    const repository = PolicyRepository.reads({ read: read(yield* SqlClient.SqlClient) })
    return PolicyRepository.resolve(
      {
        catalogue: yield* repository.catalogue,
        rules: yield* repository.routing,
        timeLimits: yield* repository.timeLimits
      },
      defaults
    )
  }).pipe(Effect.withSpan("SqlPolicyRepository.inForce"))
