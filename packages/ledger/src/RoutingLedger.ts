/**
 * 派遣规则台账 — the routing table ledger (`Routing.ts`): one row per routing
 * rule 派遣规则 — its id, the category it applies to (a 小类 or 大类 id; empty =
 * any category), the unit whose jurisdiction it covers (empty = anywhere; a
 * name or path reads too when the ledger is read with the hierarchy's units)
 * and the department it proposes. Rows are `Routing.RoutingRule` values; the
 * table is checked by the core (`Routing.tableViolations`,
 * `PolicyRepository.putRouting`).
 *
 * @since 0.1.0
 */
import * as Routing from "@civicgrid/core/Routing"
import * as Ledger from "./Ledger.js"

/**
 * 派遣规则台账 — the spec; rows are `Routing.RoutingRule` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<Routing.RoutingRule> = Ledger.make({
  sheet: "派遣规则台账",
  schema: Routing.RoutingRule,
  headers: {
    id: "规则编号",
    categoryId: "案件类别",
    unitId: { header: "适用辖区", reference: "unit" },
    departmentId: "处置部门"
  }
})
