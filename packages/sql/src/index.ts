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
 * 敏感字段加密 — AES-256-GCM sealing of residents' personal information, keys from configuration, rotation.
 *
 * @since 0.1.0
 */
export * as PeopleCipher from "./PeopleCipher.js"
/**
 * 密钥库 — hashed API keys (bearer tokens, Open311 keys) and their lookups.
 *
 * @since 0.1.0
 */
export * as SqlApiKeys from "./SqlApiKeys.js"
/**
 * @since 0.1.0
 */
export * as SqlCalendarRepository from "./SqlCalendarRepository.js"
/**
 * @since 0.1.0
 */
export * as SqlCaseRepository from "./SqlCaseRepository.js"
/**
 * 议事协商仓库 — the core's `DeliberationRepository`: topics of deliberation as event streams with a summary row, read by jurisdiction; public publications.
 *
 * @since 0.1.0
 */
export * as SqlDeliberationRepository from "./SqlDeliberationRepository.js"
/**
 * @since 0.1.0
 */
export * as SqlDepartmentRepository from "./SqlDepartmentRepository.js"
/**
 * @since 0.1.0
 */
export * as SqlGridRepository from "./SqlGridRepository.js"
/**
 * @since 0.1.0
 */
export * as SqlHierarchyRepository from "./SqlHierarchyRepository.js"
/**
 * 幂等键清理 — the core's `IdempotencyRetention.IdempotencyKeys` on `cg_idempotency`: the oldest keys pruned first.
 *
 * @since 0.1.0
 */
export * as SqlIdempotencyKeys from "./SqlIdempotencyKeys.js"
/**
 * 指标来源 — the core's `IndicatorSource` over `SqlIndicators`.
 *
 * @since 0.1.0
 */
export * as SqlIndicatorSource from "./SqlIndicatorSource.js"
/**
 * @since 0.1.0
 */
export * as SqlIndicators from "./SqlIndicators.js"
/**
 * 任务游标 — the core's `JobCursor` on a table (`cg_job_cursors`): where a periodic job got to.
 *
 * @since 0.1.0
 */
export * as SqlJobCursor from "./SqlJobCursor.js"
/**
 * 租约 — the core's `Lease` on a lease table (`cg_leases`): one instance runs a periodic job per tick.
 *
 * @since 0.1.0
 */
export * as SqlLease from "./SqlLease.js"
/**
 * @since 0.1.0
 */
export * as SqlListRepository from "./SqlListRepository.js"
/**
 * 组织与岗位仓库 — the core's `OrganizationRepository`: bodies, posts and their history, memberships, compounds, appraisals, founding and award streams.
 *
 * @since 0.1.0
 */
export * as SqlOrganizationRepository from "./SqlOrganizationRepository.js"
/**
 * 发件箱 — the core's `EventDelivery.Outbox` on the outbox tables: case events to deliver, per subscriber.
 *
 * @since 0.1.0
 */
export * as SqlOutbox from "./SqlOutbox.js"
/**
 * 联户走访仓库 — the core's `PeopleRepository`: households, residents (sealed), key groups, contacts, visits, proxy services, access log.
 *
 * @since 0.1.0
 */
export * as SqlPeopleRepository from "./SqlPeopleRepository.js"

/**
 * 配置仓库 — stored policy documents: category catalogue, routing table, time-limit policy.
 *
 * @since 0.1.0
 */
export * as SqlPolicyRepository from "./SqlPolicyRepository.js"

/**
 * 仓库全集 — every core repository port (and the indicator source) as one Layer.
 *
 * @since 0.1.0
 */
export * as SqlRepositories from "./SqlRepositories.js"

/**
 * @since 0.1.0
 */
export * as SqlStorage from "./SqlStorage.js"

/**
 * @since 0.1.0
 */
export * as SqlSurveyRepository from "./SqlSurveyRepository.js"
