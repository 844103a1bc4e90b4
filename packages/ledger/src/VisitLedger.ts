/**
 * 走访台账 — the home-visit ledger (入户走访登记, the Panlong district report's
 * "入户走访登记制度"): one row per recorded visit (`Visit.ts`) — the household,
 * the plan it fulfils, who visited (id, role, unit), when, where (`经度,纬度`),
 * how (入户, 院落/楼道, 电话, 视频), what was found, the follow-ups and when it
 * was entered.
 *
 * The row is the core's `Visit` flattened: every column's schema is the
 * core's field schema, so a cell the core would refuse is refused on import
 * with its row and column. Export a stored visit with `toRow`; import turns a
 * row back into the `Visit.RecordVisit` command (`toCommand`), which the core
 * checks (`PeopleRepository.recordVisit`: the visitor's jurisdiction and
 * grids, the plan, the position). The 位置核验 column is what the core found
 * when the visit was recorded; import ignores it (the core checks again).
 *
 * Like the visit itself, a row names the household only by id: findings and
 * follow-ups hold no names, phones or ID numbers.
 *
 * @since 0.1.0
 */
import { Actor, ActorId, roleNames } from "@civicgrid/core/Actor"
import * as Visit from "@civicgrid/core/Visit"
import * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"

const visitor = Actor.fields

/**
 * 走访方式名称 — the Chinese names of the visit methods.
 *
 * @since 0.1.0
 * @category constants
 */
export const methodNames: Readonly<Record<Visit.Method, string>> = {
  home: "入户",
  outdoor: "院落/楼道",
  phone: "电话",
  video: "视频"
}

/**
 * 位置核验名称 — the Chinese names of what the position check found.
 *
 * @since 0.1.0
 * @category constants
 */
export const positionCheckNames: Readonly<Record<Visit.PositionCheck, string>> = {
  inside: "网格内",
  near: "网格附近",
  outside: "网格外",
  "no-boundary": "网格无边界",
  "no-position": "未定位"
}

/**
 * 走访台账行 — a visit as a flat row: the core's `Visit` fields, the visitor
 * spread over 走访人编号, 走访人角色, 走访人所属单元 (and 走访人部门 for a department).
 *
 * @since 0.1.0
 * @category schemas
 */
export const VisitRow = Schema.Struct({
  id: Visit.Visit.fields.id,
  householdId: Visit.Visit.fields.householdId,
  planId: Visit.Visit.fields.planId,
  visitorId: ActorId,
  visitorRole: visitor.role,
  visitorUnitId: visitor.unitId,
  visitorDepartmentId: visitor.departmentId,
  at: Visit.Visit.fields.at,
  method: Visit.Visit.fields.method,
  position: Visit.Visit.fields.position,
  findings: Visit.Visit.fields.findings,
  /** 跟进事项 — JSON (`[{"kind":"problem","title":…,"description":…}]`); an empty cell is none. */
  followUps: Schema.optionalWith(Visit.Visit.fields.followUps, { exact: true, default: () => [] }),
  recordedAt: Visit.Visit.fields.recordedAt,
  positionCheck: Schema.optionalWith(Visit.Visit.fields.positionCheck, { exact: true })
}).annotations({ identifier: "VisitRow", title: "走访台账行 visit row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface VisitRow extends Schema.Schema.Type<typeof VisitRow> {}

/**
 * The ledger row of a recorded visit.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toRow = (visit: Visit.Visit): VisitRow => ({
  id: visit.id,
  householdId: visit.householdId,
  ...(visit.planId === undefined ? {} : { planId: visit.planId }),
  visitorId: visit.visitor.id,
  visitorRole: visit.visitor.role,
  visitorUnitId: visit.visitor.unitId,
  ...(visit.visitor.departmentId === undefined ? {} : { visitorDepartmentId: visit.visitor.departmentId }),
  at: visit.at,
  method: visit.method,
  ...(visit.position === undefined ? {} : { position: visit.position }),
  findings: visit.findings,
  followUps: visit.followUps,
  recordedAt: visit.recordedAt,
  positionCheck: visit.positionCheck
})

/**
 * The ledger rows of some visits, sorted by visit id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromVisits = (visits: Iterable<Visit.Visit>): ReadonlyArray<VisitRow> =>
  Array.from(visits, toRow).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

/**
 * 登记走访指令 — the `Visit.RecordVisit` command a row stands for (the 位置核验
 * column is left out: the core checks the position again).
 *
 * @since 0.1.0
 * @category constructors
 */
export const toCommand = (row: VisitRow): Visit.RecordVisit => ({
  _tag: "RecordVisit",
  id: row.id,
  householdId: row.householdId,
  ...(row.planId === undefined ? {} : { planId: row.planId }),
  visitor: {
    id: row.visitorId,
    role: row.visitorRole,
    unitId: row.visitorUnitId,
    ...(row.visitorDepartmentId === undefined ? {} : { departmentId: row.visitorDepartmentId })
  },
  at: row.at,
  method: row.method,
  ...(row.position === undefined ? {} : { position: row.position }),
  findings: row.findings,
  followUps: row.followUps,
  recordedAt: row.recordedAt
})

/**
 * 走访台账 — the spec.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<VisitRow> = Ledger.make({
  sheet: "走访台账",
  schema: VisitRow,
  headers: {
    id: "走访编号",
    householdId: "户编号",
    planId: "走访计划编号",
    visitorId: "走访人编号",
    visitorRole: { header: "走访人角色", labels: roleNames },
    visitorUnitId: { header: "走访人所属单元", reference: "unit" },
    visitorDepartmentId: "走访人所属部门",
    at: "走访时间",
    method: { header: "走访方式", labels: methodNames },
    position: { header: "走访位置(经度,纬度)", separator: ",", width: 24 },
    findings: { header: "走访情况", width: 40 },
    followUps: { header: "跟进事项(JSON)", width: 40 },
    recordedAt: "登记时间",
    positionCheck: { header: "位置核验", labels: positionCheckNames }
  }
})
