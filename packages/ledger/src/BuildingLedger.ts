/**
 * 楼栋台账 — the building ledger: one row per building (`Building.ts`) with its
 * id, name, community, compound 小区, household count, party-member
 * households and position (`经度,纬度`, e.g. `116.397,39.909`). The community
 * and the compound are units: an id, a name or a path.
 *
 * @since 0.1.0
 */
import * as Building from "@civicgrid/core/Building"
import * as Ledger from "./Ledger.js"

/**
 * 楼栋台账 — the spec; rows are `Building.Building` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<Building.Building> = Ledger.make({
  sheet: "楼栋台账",
  schema: Building.Building,
  headers: {
    id: "楼栋编号",
    name: "楼栋名称",
    communityId: { header: "所属社区", reference: "unit" },
    compoundId: { header: "所属小区", reference: "unit" },
    households: "户数",
    partyMemberHouseholds: "党员户数",
    location: { header: "经纬度", separator: ",", width: 24 }
  }
})
