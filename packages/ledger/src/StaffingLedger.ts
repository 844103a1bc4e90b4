/**
 * 网格员台账 — the staffing ledgers of `Staffing.ts`: the people who serve the
 * grids (网格员台账: id, name, party membership and class, phone) and their
 * assignments (网格员任职: who holds which role at which grid, building or unit).
 *
 * The people ledger carries names and phone numbers, personal information
 * under PIPL (《个人信息保护法》): give it only to roles that need it. Use
 * `personWithoutPhone` for any wider circulation (it leaves the phone column
 * out; import gives people without phones).
 *
 * @since 0.1.0
 */
import * as Staffing from "@civicgrid/core/Staffing"
import * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"

const partyMemberClassLabels = { core: "骨干", ordinary: "一般", mobile: "流动", elderly: "老年" }

const personHeaders = {
  id: "人员编号",
  name: "姓名",
  partyMember: "是否党员",
  partyMemberClass: { header: "党员类别", labels: partyMemberClassLabels }
} as const

/**
 * 网格员台账 — people, with their phone numbers.
 *
 * @since 0.1.0
 * @category specs
 */
export const person: Ledger.LedgerSpec<Staffing.Person> = Ledger.make({
  sheet: "网格员台账",
  schema: Staffing.Person,
  headers: { ...personHeaders, phone: { header: "联系电话", width: 16, halfWidth: true } }
})

/**
 * 人员（不含电话） — the person fields without the phone.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PersonWithoutPhone = Staffing.Person.omit("phone")

/**
 * 网格员台账（不含电话） — people without their phone numbers.
 *
 * @since 0.1.0
 * @category specs
 */
export const personWithoutPhone: Ledger.LedgerSpec<typeof PersonWithoutPhone.Type> = Ledger.make({
  sheet: "网格员台账",
  schema: PersonWithoutPhone,
  headers: personHeaders
})

/**
 * 任职台账行 — an assignment as a flat row: the person, the role, the kind of
 * target (网格 / 楼栋 / 单位) and its id.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AssignmentRow = Schema.Struct({
  personId: Schema.NonEmptyTrimmedString,
  role: Staffing.Role,
  targetKind: Schema.Literal("Grid", "Building", "Unit"),
  targetId: Schema.NonEmptyTrimmedString
}).annotations({ identifier: "AssignmentRow", title: "任职台账行 assignment row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AssignmentRow extends Schema.Schema.Type<typeof AssignmentRow> {}

/**
 * An assignment from its flat row, and back.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AssignmentFromRow = Schema.transform(AssignmentRow, Staffing.Assignment, {
  strict: true,
  decode: (row) => ({
    personId: row.personId,
    role: row.role,
    target:
      row.targetKind === "Grid"
        ? { _tag: "Grid" as const, gridId: row.targetId }
        : row.targetKind === "Building"
          ? { _tag: "Building" as const, buildingId: row.targetId }
          : { _tag: "Unit" as const, unitId: row.targetId }
  }),
  encode: (a) => ({
    personId: a.personId,
    role: a.role,
    targetKind: a.target._tag,
    targetId:
      a.target._tag === "Grid"
        ? a.target.gridId
        : a.target._tag === "Building"
          ? a.target.buildingId
          : a.target.unitId
  })
})

/**
 * 网格员任职 — assignments; rows are `Staffing.Assignment` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const assignment: Ledger.LedgerSpec<Staffing.Assignment> = Ledger.make({
  sheet: "网格员任职",
  schema: AssignmentFromRow,
  headers: {
    personId: "人员编号",
    role: {
      header: "角色",
      labels: Object.fromEntries(Staffing.roles.map((role) => [role, Staffing.roleNames[role].zh]))
    },
    targetKind: { header: "任职对象类型", labels: { Grid: "网格", Building: "楼栋", Unit: "单位" } },
    targetId: "任职对象编号"
  }
})
