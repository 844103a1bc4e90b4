import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import * as Either from "effect/Either"

// Three mistakes in five rows. `make` reports every one of them, sorted by unit id then rule.
const rows: ReadonlyArray<Unit.Unit> = [
  Unit.make({ id: "panlong", parentId: null, level: "district", name: "盘龙区", code: "530103000000" }),
  Unit.make({ id: "qingyun", parentId: "panlong", level: "street", name: "青云街道", code: "530103001000" }),
  // a street cannot hang under a street: level order
  Unit.make({ id: "tuodong", parentId: "qingyun", level: "street", name: "拓东街道" }),
  // 530104 is another county: the code does not nest in 青云街道's
  Unit.make({
    id: "jinsha",
    parentId: "qingyun",
    level: "community",
    name: "金沙社区",
    code: "530104001001"
  }),
  // its parent is not among the rows
  Unit.make({ id: "jinsha-yuan-3", parentId: "jinsha-yuan", level: "building", name: "金沙苑3栋" })
]

export const violations = Hierarchy.make(LevelScheme.FiveLevel, rows).pipe(
  Either.match({
    onLeft: (error) => error.violations.map((v) => `${v.unitId} ${v.rule}`),
    onRight: () => []
  })
)
// → ["jinsha code-nesting", "jinsha-yuan-3 missing-parent", "tuodong level-order"]
// Each violation also carries `related` ids and a bilingual `message`, e.g.
// 层级次序 level order: "tuodong" (街道 street) cannot hang directly under "qingyun" (街道 street) …

// Untrusted input (parsed JSON, an uploaded sheet) is decoded first, again reporting every bad field:
const uploaded: unknown = [
  { id: "panlong", parentId: null, level: "district", name: "盘龙区" },
  { id: " ", parentId: "panlong", level: "street", name: "青云街道", code: "5301" }
]
export const rowErrors = Hierarchy.decodeRows(uploaded).pipe(
  Either.match({
    onLeft: (error) => error.errors.map((e) => `row ${e.row} ${e.path}`),
    onRight: () => []
  })
)
// → ["row 1 id", "row 1 code"]

// Decode, then build: one Either whose error is either kind, both tagged for `Either`/`Effect` matching.
export const fromUpload = (input: unknown) =>
  Either.flatMap(Hierarchy.decodeRows(input), (units) => Hierarchy.make(LevelScheme.FiveLevel, units))
