/**
 * 访问日志台账 — the access log of the key-group registry for auditors 审计
 * (PIPL 《个人信息保护法》 第五十四、五十五条: audits of personal-information
 * processing; `KeyGroupAccess`): one row per entry of the append-only log —
 * when, who (id, role, unit), what (read members, read counts, refused), the
 * category and unit, the purpose 处理目的, whether ID numbers and phones were
 * returned in full, which households and residents were returned (by id,
 * never by name) and the rule when the read was not granted.
 *
 * Export only: the log is written by the reads themselves, never imported.
 *
 * @since 0.1.0
 */
import { Actor, ActorId, roleNames } from "@civicgrid/core/Actor"
import * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import * as Schema from "effect/Schema"
import { categoryNames } from "./KeyGroupLedger.js"
import * as Ledger from "./Ledger.js"

const entry = KeyGroupAccess.AccessLogEntry.fields

/**
 * 访问动作名称
 *
 * @since 0.1.0
 * @category constants
 */
export const actionNames: Readonly<Record<KeyGroupAccess.AccessLogEntry["action"], string>> = {
  "read-members": "查看名单",
  "read-counts": "查看人数",
  refused: "拒绝"
}

/**
 * 访问规则名称
 *
 * @since 0.1.0
 * @category constants
 */
export const ruleNames: Readonly<Record<KeyGroupAccess.AccessRule, string>> = {
  "unknown-category": "类别不存在",
  "unknown-unit": "单元不存在",
  "out-of-scope": "超出辖区",
  "purpose-required": "未说明目的",
  "not-granted": "未授权（仅人数）"
}

/**
 * 访问日志台账行 — an access-log entry as a flat row (the actor spread over
 * three columns, and 所属部门 for a department).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccessLogRow = Schema.Struct({
  id: entry.id,
  at: entry.at,
  actorId: ActorId,
  actorRole: Actor.fields.role,
  actorUnitId: Actor.fields.unitId,
  actorDepartmentId: Actor.fields.departmentId,
  action: entry.action,
  categoryId: entry.categoryId,
  unitId: entry.unitId,
  purpose: entry.purpose,
  identity: entry.identity,
  householdIds: entry.householdIds,
  residentIds: entry.residentIds,
  rule: entry.rule
}).annotations({ identifier: "AccessLogRow", title: "访问日志台账行 access log row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AccessLogRow extends Schema.Schema.Type<typeof AccessLogRow> {}

/**
 * The ledger row of an access-log entry.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toRow = (e: KeyGroupAccess.AccessLogEntry): AccessLogRow => ({
  id: e.id,
  at: e.at,
  actorId: e.actor.id,
  actorRole: e.actor.role,
  actorUnitId: e.actor.unitId,
  ...(e.actor.departmentId === undefined ? {} : { actorDepartmentId: e.actor.departmentId }),
  action: e.action,
  categoryId: e.categoryId,
  unitId: e.unitId,
  ...(e.purpose === undefined ? {} : { purpose: e.purpose }),
  identity: e.identity,
  householdIds: e.householdIds,
  residentIds: e.residentIds,
  ...(e.rule === undefined ? {} : { rule: e.rule })
})

/**
 * The entry a row stands for (the inverse of `toRow`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const toEntry = (row: AccessLogRow): KeyGroupAccess.AccessLogEntry => ({
  id: row.id,
  at: row.at,
  actor: {
    id: row.actorId,
    role: row.actorRole,
    unitId: row.actorUnitId,
    ...(row.actorDepartmentId === undefined ? {} : { departmentId: row.actorDepartmentId })
  },
  action: row.action,
  categoryId: row.categoryId,
  unitId: row.unitId,
  ...(row.purpose === undefined ? {} : { purpose: row.purpose }),
  identity: row.identity,
  householdIds: row.householdIds,
  residentIds: row.residentIds,
  ...(row.rule === undefined ? {} : { rule: row.rule })
})

/**
 * 访问日志台账 — the spec.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<AccessLogRow> = Ledger.make({
  sheet: "访问日志台账",
  schema: AccessLogRow,
  headers: {
    id: "日志编号",
    at: "访问时间",
    actorId: "访问人编号",
    actorRole: { header: "访问人角色", labels: roleNames },
    actorUnitId: { header: "访问人所属单元", reference: "unit" },
    actorDepartmentId: "访问人所属部门",
    action: { header: "访问动作", labels: actionNames },
    categoryId: { header: "重点人群类别", labels: categoryNames() },
    unitId: { header: "查询单元", reference: "unit" },
    purpose: { header: "处理目的", width: 30 },
    identity: "含完整身份信息",
    householdIds: { header: "返回的户", width: 30 },
    residentIds: { header: "返回的居民", width: 30 },
    rule: { header: "规则", labels: ruleNames }
  }
})
