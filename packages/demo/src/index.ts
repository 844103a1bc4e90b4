/**
 * @civicgrid/demo — the 示范区 demo district, a year of cases, its three lists
 * (清单), the migrate-and-seed step, database URLs and the street-office server
 * app: shared by the `civicgrid` CLI (`migrate`, `seed`, `serve`) and the
 * examples.
 *
 * @since 0.1.0
 */

/**
 * 街道办示范服务 — the street-office server app (API, Open311, health, banner).
 *
 * @since 0.1.0
 */
export * as App from "./App.js"

/**
 * 一年案件 — a year of cases generated through the decider.
 *
 * @since 0.1.0
 */
export * as Cases from "./Cases.js"

/**
 * 数据库 — `CIVICGRID_DATABASE_URL`: SQLite or PostgreSQL.
 *
 * @since 0.1.0
 */
export * as Database from "./Database.js"
/**
 * 议事协商示范数据 — the demo district's proposals, meetings, votes,
 * resolutions with their tasks and publications, as the decider's commands.
 *
 * @since 0.1.0
 */
export * as Deliberation from "./Deliberation.js"
/**
 * 示范区 — the demo district generator, sized by options.
 *
 * @since 0.1.0
 */
export * as District from "./District.js"
/**
 * 三张清单 — the demo district's problem, resource and task lists, the tasks
 * proposed by the core planner.
 *
 * @since 0.1.0
 */
export * as Lists from "./Lists.js"
/**
 * 节点服务器 — Node's HTTP server with the requests its parser refuses answered in JSON.
 *
 * @since 0.1.0
 */
export * as NodeServer from "./NodeServer.js"

/**
 * 组织与岗位示范数据 — the demo district's bodies, posts and their holders,
 * party memberships, compounds with their management and cadre appraisals.
 *
 * @since 0.1.0
 */
export * as Organization from "./Organization.js"

/**
 * 联户走访示范数据 — the demo district's households, residents, key groups,
 * contacts, visit plans, visits and proxy services.
 *
 * @since 0.1.0
 */
export * as People from "./People.js"

/**
 * 初始化 — migrate, then seed the demo data on the first start.
 *
 * @since 0.1.0
 */
export * as Seed from "./Seed.js"
