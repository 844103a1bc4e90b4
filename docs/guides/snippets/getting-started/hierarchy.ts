import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import * as Either from "effect/Either"
import * as Option from "effect/Option"

// 五级治理: 区 district → 街道 street → 社区 community → 小区 compound → 楼栋 building.
// Rows arrive flat, as they come from a spreadsheet or a database; order does not matter.
export const rows: ReadonlyArray<Unit.Unit> = [
  Unit.make({ id: "panlong", parentId: null, level: "district", name: "盘龙区", code: "530103000000" }),
  Unit.make({ id: "qingyun", parentId: "panlong", level: "street", name: "青云街道", code: "530103001000" }),
  Unit.make({
    id: "jinsha",
    parentId: "qingyun",
    level: "community",
    name: "金沙社区",
    code: "530103001001"
  }),
  Unit.make({ id: "jinsha-yuan", parentId: "jinsha", level: "compound", name: "金沙苑" }),
  Unit.make({ id: "jinsha-yuan-3", parentId: "jinsha-yuan", level: "building", name: "金沙苑3栋" }),
  // no compound here: the compound level is optional, so a building may hang under its community
  Unit.make({ id: "jinsha-12", parentId: "jinsha", level: "building", name: "金沙路12号" })
]

// Validates every rule at once (one root, no cycles, level order, area codes) — see embedding-core.md.
export const district: Hierarchy.Hierarchy = Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, rows))

// 辖区 — is building 3 within 青云街道's jurisdiction?
export const inQingyun = Hierarchy.isWithin(district, "jinsha-yuan-3", "qingyun") // true

// 层级路径 — the path from the root: 盘龙区 / 青云街道 / 金沙社区 / 金沙苑 / 金沙苑3栋
export const path = Hierarchy.path(district, "jinsha-yuan-3").pipe(
  Option.map((units) => units.map((u) => u.name).join(" / "))
)

// 逐级汇总 — households per building, added up the tree: each unit holds its subtree's total.
const households: Readonly<Record<string, number>> = { "jinsha-yuan-3": 96, "jinsha-12": 40 }
export const totals = Hierarchy.rollupNumbers(district, (unit) => households[unit.id] ?? 0)
// totals.get("jinsha") → Option.some(136); totals.root → 136
