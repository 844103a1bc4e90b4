/**
 * 职能部门台账 — the department ledger: one row per functional department
 * (`Department.ts`) with its id, Chinese and English names and the unit whose
 * subtree it serves (辖区单元: an id, name or path).
 *
 * @since 0.1.0
 */
import * as Department from "@civicgrid/core/Department"
import * as Ledger from "./Ledger.js"

/**
 * 职能部门台账 — the spec; rows are `Department.Department` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<Department.Department> = Ledger.make({
  sheet: "职能部门台账",
  schema: Department.Department,
  headers: {
    id: "部门编号",
    name: { header: "部门名称", width: 20 },
    nameEn: { header: "英文名称", width: 28 },
    jurisdiction: { header: "辖区单元", reference: "unit" }
  }
})
