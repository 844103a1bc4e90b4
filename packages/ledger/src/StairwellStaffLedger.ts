/**
 * 楼道力量台账 — staff by stairwell: who serves in which role below the grid —
 * a 楼道长 at a stairwell (单元/楼道), a 十户长 at a micro-grid of about ten
 * households, a 楼栋长 at a building, a 居民小组长 at a residents' group, a
 * 调解员 or 信息员 at a community or grid. The roles are the role table's
 * staffing roles (`RoleTable.ts`: the built-in grid roles and local ones such as
 * 楼道长, 十户长, 调解员, added without code), read by id or Chinese name and
 * written by Chinese name.
 *
 * The grid staffing ledger (网格员任职, `StaffingLedger`) places the built-in
 * roles at grids, buildings and units; this ledger reaches stairwells and
 * micro-grids. Where a role may serve is the table's: `check` asks the core
 * (`RoleTable.place`) for every row and shows each refusal — a role the table
 * does not hold, a role placed where it cannot serve — at its row.
 *
 * The target column reads a unit (a stairwell, building, residents' group or
 * community) by id, name or path (`Ledger.Options.units`), a grid or micro-grid
 * by id.
 *
 * @since 0.1.0
 */
import * as RoleTable from "@civicgrid/core/RoleTable"
import { PersonId } from "@civicgrid/core/Staffing"
import * as Text from "@civicgrid/core/Text"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Day, kindByName, type Named } from "./internal/org.js"
import * as Ledger from "./Ledger.js"
import * as LedgerCheck from "./LedgerCheck.js"

/**
 * 任职层级名称 — how the placements are written: 行政单元, 网格, 微网格, 楼栋,
 * 单元楼道.
 *
 * @since 0.1.0
 * @category constants
 */
export const placementNames: Readonly<Record<RoleTable.Placement, string>> = {
  unit: "行政单元",
  grid: "网格",
  "micro-grid": "微网格",
  building: "楼栋",
  stairwell: "单元楼道"
}

const placementEntries: ReadonlyArray<Named> = RoleTable.Placement.literals.map((p) => ({
  id: p,
  zh: placementNames[p],
  en: p
}))

/**
 * 任职层级常见写法 — what staff write for a placement.
 *
 * @since 0.1.0
 * @category constants
 */
export const placementSynonyms: Readonly<Record<string, ReadonlyArray<string>>> = {
  unit: ["单位", "社区", "村", "街道", "居民小组", "小组"],
  grid: ["网格", "基础网格", "专属网格"],
  "micro-grid": ["微网格", "十户网格"],
  building: ["楼栋", "楼院", "楼"],
  stairwell: ["单元", "楼道", "单元/楼道", "单元楼道"]
}

/**
 * 角色常见写法 — what staff write for a role, beside the table's names.
 *
 * @since 0.1.0
 * @category constants
 */
export const roleSynonyms: Readonly<Record<string, ReadonlyArray<string>>> = {
  "stairwell-leader": ["楼道长", "单元长"],
  "ten-household-leader": ["十户长", "十户联户长"],
  "group-leader": ["居民小组长", "小组长"],
  "building-leader": ["楼栋长", "楼长"]
}

/**
 * 楼道力量台账行 — one placement: the person (and their name as staff keep it),
 * the role, the placement and the target, from when.
 *
 * @since 0.1.0
 * @category schemas
 */
export const rowSchema = (table: RoleTable.RoleTable = RoleTable.defaults) =>
  Schema.Struct({
    personId: PersonId,
    name: Schema.optionalWith(Text.Name, { exact: true }),
    role: kindByName(RoleTable.RoleId, RoleTable.rolesOf(table, "staffing"), roleSynonyms),
    placement: kindByName(RoleTable.Placement, placementEntries, placementSynonyms),
    targetId: Text.Id,
    since: Schema.optionalWith(Day, { exact: true })
  }).annotations({ identifier: "StaffPlacement", title: "楼道力量台账行 staff placement" })

/**
 * @since 0.1.0
 * @category models
 */
export type StaffPlacement = Schema.Schema.Type<ReturnType<typeof rowSchema>>

/**
 * 楼道力量台账 — the spec for a role table.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (table: RoleTable.RoleTable = RoleTable.defaults): Ledger.LedgerSpec<StaffPlacement> =>
  Ledger.make({
    sheet: "楼道力量台账",
    schema: rowSchema(table),
    headers: {
      personId: "人员编号",
      name: "姓名",
      role: {
        header: "角色",
        width: 14,
        labels: Object.fromEntries(RoleTable.rolesOf(table, "staffing").map((r) => [r.id, r.zh]))
      },
      placement: { header: "任职层级", width: 12, labels: placementNames },
      targetId: { header: "任职对象", width: 24, reference: "unit" },
      since: { header: "任职起始", width: 12, halfWidth: true }
    }
  })

/**
 * 楼道力量台账 — the spec for the default table with the local roles the field
 * reports name (`RoleTable.localRoles`: 楼道长, 十户长, 调解员 …).
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<StaffPlacement> = make([...RoleTable.defaults, ...RoleTable.localRoles])

/**
 * 核查 — asks the role table where each row's role may serve
 * (`RoleTable.place`): the rows, or every refusal at its row (角色 for a role
 * the table does not hold, 任职层级 for a placement the role does not allow).
 *
 * @since 0.1.0
 * @category checking
 */
export const check = (
  table: RoleTable.RoleTable,
  report: Ledger.ImportReport<StaffPlacement>,
  ledger: Ledger.LedgerSpec<StaffPlacement> = spec
): Either.Either<ReadonlyArray<StaffPlacement>, LedgerCheck.LedgerCheckFailed> => {
  const located: Array<LedgerCheck.LocatedViolation> = []
  for (const { row, value } of LedgerCheck.numbered(report)) {
    const placed = RoleTable.place(table, "staffing", value.role, value.placement)
    if (Either.isLeft(placed)) {
      const e = placed.left
      const field = e._tag === "UnknownRole" ? "role" : "placement"
      const rule = e._tag === "UnknownRole" ? "unknown-role" : "placement-refused"
      located.push(LedgerCheck.at(ledger, report, row, field, rule, e.message))
    }
  }
  const failed = LedgerCheck.failure(located)
  return failed === undefined ? Either.right(report.rows) : Either.left(failed)
}
