/**
 * 任职人员台账 — the people who hold the posts of the post ledger (岗位台账: its
 * 任职人编号 column) and serve in stairwells and micro-grids: id, name, party
 * membership and class, phone (`Staffing.Person`). The 公示牌 directory shows
 * their names and phones masked; party share by post
 * (`OrganizationMetrics`) reads their party membership.
 *
 * The sheet carries names and phone numbers, personal information under PIPL
 * (《个人信息保护法》): give it only to the staff who keep it. The store never
 * lists these people; an export gives the holders of the posts and
 * placements within a jurisdiction.
 *
 * @since 0.1.0
 */
import type * as Staffing from "@civicgrid/core/Staffing"
import type * as Ledger from "./Ledger.js"
import * as StaffingLedger from "./StaffingLedger.js"

/**
 * 任职人员台账 — the spec; rows are `Staffing.Person` values, with the columns
 * of the staffing people ledger (网格员台账: 人员编号, 姓名, 是否党员, 党员类别,
 * 联系电话) on a sheet of its own.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<Staffing.Person> = { ...StaffingLedger.person, sheet: "任职人员台账" }
