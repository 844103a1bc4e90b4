/**
 * 操作人 — the actor of a command: who did it, in which role, acting for which
 * unit (and department). Every case command and event carries its actor, so
 * the history answers "who did what and when" (every command records who did it
 * and when; the history is append-only).
 *
 * Roles (the Panlong district report's "1+1+1+n" staffing and its 区-街道-社区 three-tier loop;
 * the public-rental-housing community report's 12345/信访代办 channels):
 *
 * | role              | 中文          | acts for                                       |
 * | ----------------- | ------------- | ---------------------------------------------- |
 * | `resident`        | 居民          | themself (reports, app / Open311 client)       |
 * | `grid-worker`     | 网格员        | their community (patrol 巡查, self-handle 自处理) |
 * | `community-staff` | 社区工作人员  | the community tier (社区自循环)                 |
 * | `street-staff`    | 街道工作人员  | the street tier (街道微循环)                    |
 * | `district-staff`  | 区指挥中心    | the district tier (区级小循环)                  |
 * | `department`      | 职能部门      | a functional department that handles cases     |
 * | `hotline`         | 12345 热线    | the hotline (intake, return visits 回访)        |
 * | `system`          | 系统          | automatic actions (overdue escalation)         |
 *
 * **Local roles** 本地角色 (`RoleTable`): an actor may act in a role of the
 * role table — 信访代办员, 调解员, 信息员 … — with the rights of the built-in role
 * the table row names (`actsAs`). Its `role` is then that built-in role (the
 * core's rules decide by it, unchanged) and `localRole` records the table role,
 * so the history answers in which local role someone acted. Events stored
 * before local roles have no `localRole` and decode as before.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Text from "./Text.js"
import type { Tier } from "./Tier.js"
import { UnitId } from "./Unit.js"

/**
 * 操作人标识 — the identifier of an actor (a person's account, or a system process).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ActorId = Text.Id.pipe(
  Schema.brand("ActorId"),
  Schema.annotations({ identifier: "ActorId", title: "操作人标识 actor id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ActorId = typeof ActorId.Type

/**
 * 职能部门标识 — the identifier of a functional department (城管, 住建, 市场监管 …)
 * that cases can be dispatched to.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DepartmentId = Text.Id.pipe(
  Schema.brand("DepartmentId"),
  Schema.annotations({ identifier: "DepartmentId", title: "职能部门标识 department id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type DepartmentId = typeof DepartmentId.Type

/**
 * 角色 — the role an actor acts in.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Role = Schema.Literal(
  "resident",
  "grid-worker",
  "community-staff",
  "street-staff",
  "district-staff",
  "department",
  "hotline",
  "system"
).annotations({
  identifier: "Role",
  title: "角色 role",
  description:
    "resident 居民 | grid-worker 网格员 | community-staff 社区工作人员 | street-staff 街道工作人员 | " +
    "district-staff 区指挥中心 | department 职能部门 | hotline 12345 热线 | system 系统"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Role = typeof Role.Type

/**
 * Every role, in the order of the module's table.
 *
 * @since 0.1.0
 * @category constants
 */
export const roles: ReadonlyArray<Role> = Role.literals

/**
 * 角色名称 — the Chinese name of each role.
 *
 * @since 0.1.0
 * @category constants
 */
export const roleNames: Readonly<Record<Role, string>> = {
  resident: "居民",
  "grid-worker": "网格员",
  "community-staff": "社区工作人员",
  "street-staff": "街道工作人员",
  "district-staff": "区指挥中心",
  department: "职能部门",
  hotline: "12345 热线",
  system: "系统"
}

/**
 * 角色标识 — a role's id in the role table (`RoleTable.RoleId`, the same
 * schema): defined here because an actor records its local role.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RoleId = Text.Id.pipe(
  Schema.brand("RoleId"),
  Schema.annotations({ identifier: "RoleId", title: "角色标识 role id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type RoleId = typeof RoleId.Type

/**
 * 操作人 — who acts: an id, a role, the jurisdiction unit acted for, — for
 * a functional department — the department, and — for an actor in a local
 * role of the role table — that role (`localRole`, acting with the rights of
 * `role`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Actor = Schema.Struct({
  id: ActorId,
  role: Role,
  /** 所属单元 — the jurisdiction unit the actor acts for (a community, street, district …). */
  unitId: UnitId,
  /** 所属部门 — the department, for the `department` role. */
  departmentId: Schema.optionalWith(DepartmentId, { exact: true }),
  /**
   * 本地角色 — the role-table role the actor acted in (e.g. 信访代办员
   * `petition-agent`), with the rights of `role` (the row's `actsAs`). Absent
   * for a built-in role, and in events stored before local roles.
   */
  localRole: Schema.optionalWith(RoleId, { exact: true })
}).annotations({ identifier: "Actor", title: "操作人 actor" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Actor extends Schema.Schema.Type<typeof Actor> {}

/**
 * 层级工作人员角色 — the staff role of each tier: 社区工作人员, 街道工作人员, 区指挥中心.
 *
 * @since 0.1.0
 * @category constants
 */
export const staffRole: Readonly<Record<Tier, Role>> = {
  community: "community-staff",
  street: "street-staff",
  district: "district-staff"
}

/**
 * The tier whose staff a role is, if it is a staff role.
 *
 * @since 0.1.0
 * @category getters
 */
export const staffTier = (role: Role): Option.Option<Tier> => {
  switch (role) {
    case "community-staff":
      return Option.some("community")
    case "street-staff":
      return Option.some("street")
    case "district-staff":
      return Option.some("district")
    default:
      return Option.none()
  }
}

/**
 * Whether an actor is staff of a tier acting for a given unit.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isStaffOf = (actor: Actor, tier: Tier, unitId: UnitId): boolean =>
  actor.role === staffRole[tier] && actor.unitId === unitId

/**
 * 角色名表 — what `describe` reads a local role's name from: rows with a
 * domain, an id and a Chinese name (a `RoleTable.RoleTable` is one).
 *
 * @since 0.1.0
 * @category models
 */
export type RoleNames = ReadonlyArray<{ readonly domain: string; readonly id: string; readonly zh: string }>

/**
 * A short readable description of an actor for messages, e.g.
 * `"网格员 (grid-worker) gw-7 for c-1"`; an actor in a local role names it
 * first — `"信访代办员 (petition-agent) acting as 网格员 (grid-worker) pa-1 for c-1"`
 * — with its Chinese name from `roles` (a role table) when it holds the role,
 * else by its id.
 *
 * @since 0.1.0
 * @category utils
 */
export const describe = (actor: Actor, roles: RoleNames = []): string => {
  const local = actor.localRole
  const name = local === undefined ? undefined : roles.find((r) => r.domain === "actor" && r.id === local)?.zh
  const acting = local === undefined ? "" : `${name === undefined ? local : `${name} (${local})`} acting as `
  return (
    `${acting}${roleNames[actor.role]} (${actor.role}) ${actor.id} for ${actor.unitId}` +
    (actor.departmentId === undefined ? "" : ` / ${actor.departmentId}`)
  )
}
