/**
 * 单位台账 — the district's units as a small CSV ledger (单位编号, 上级单位编号,
 * 层级, 名称, 区划代码), read with `@civicgrid/ledger` and built into a
 * validated `Hierarchy` (五级治理 scheme: 区 → 街道 → 社区 …). The scorecard
 * ranks the streets and communities of that hierarchy and rolls the
 * communities' counts up to them.
 *
 * @since 0.1.0
 */
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import * as Csv from "@civicgrid/ledger/Csv"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as Either from "effect/Either"
import * as Option from "effect/Option"

/**
 * 层级名称 — how the levels are written in the 层级 column (the ids are
 * accepted too).
 *
 * @since 0.1.0
 * @category constants
 */
export const levelLabels: Readonly<Record<string, string>> = {
  district: "区",
  street: "街道",
  community: "社区",
  compound: "小区",
  building: "楼栋"
}

/**
 * 单位台账 — the spec: one `Unit.Unit` per row.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<Unit.Unit> = Ledger.make({
  sheet: "单位台账",
  schema: Unit.Unit,
  headers: {
    id: "单位编号",
    parentId: "上级单位编号",
    level: { header: "层级", labels: levelLabels },
    name: "名称",
    code: "区划代码"
  }
})

/**
 * 考核辖区 — the hierarchy with what the scorecard needs at hand: the district
 * (the root), its streets and communities in the hierarchy's order, each
 * community's street, and the communities by name and by id (a name shared by
 * two communities is left out: such rows must use the id).
 *
 * @since 0.1.0
 * @category models
 */
export interface District {
  readonly hierarchy: Hierarchy.Hierarchy<Unit.Unit>
  readonly district: Unit.Unit
  readonly streets: ReadonlyArray<Unit.Unit>
  readonly communities: ReadonlyArray<Unit.Unit>
  readonly streetOf: ReadonlyMap<string, Unit.Unit>
  readonly communityByKey: ReadonlyMap<string, Unit.Unit>
}

/**
 * The errors of reading the unit ledger: the CSV is malformed, a cell is bad
 * (`LedgerImportError` names row and column), the file passes a limit
 * (`LedgerLimitExceeded`), or the rows do not form a valid
 * hierarchy (`HierarchyInvalid` lists every violation).
 *
 * @since 0.1.0
 * @category errors
 */
export type DistrictError =
  | Csv.CsvSyntaxError
  | Ledger.LedgerImportError
  | Ledger.LedgerLimitExceeded
  | Hierarchy.HierarchyInvalid

/**
 * 建立辖区 — a `District` from validated units (the root must be a district).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromUnits = (
  units: ReadonlyArray<Unit.Unit>
): Either.Either<District, Hierarchy.HierarchyInvalid> =>
  Either.map(Hierarchy.make(LevelScheme.FiveLevel, units), (hierarchy) => {
    const streets = Hierarchy.unitsAtLevel(hierarchy, "street")
    const communities = Hierarchy.unitsAtLevel(hierarchy, "community")
    const streetOf = new Map<string, Unit.Unit>()
    for (const c of communities) {
      const above = Option.getOrElse(Hierarchy.ancestors(hierarchy, c.id), () => [])
      const street = above.find((u) => u.level === "street")
      if (street !== undefined) streetOf.set(c.id, street)
    }
    const nameCount = new Map<string, number>()
    for (const c of communities) nameCount.set(c.name, (nameCount.get(c.name) ?? 0) + 1)
    const communityByKey = new Map<string, Unit.Unit>()
    for (const c of communities) {
      communityByKey.set(c.id, c)
      if (nameCount.get(c.name) === 1 && !communityByKey.has(c.name)) communityByKey.set(c.name, c)
    }
    return { hierarchy, district: Hierarchy.root(hierarchy), streets, communities, streetOf, communityByKey }
  })

/**
 * 读取单位台账 — reads the unit ledger (CSV text or bytes) into a `District`.
 *
 * @since 0.1.0
 * @category import
 */
export const read = (input: string | Uint8Array): Either.Either<District, DistrictError> =>
  Either.flatMap(Csv.read(spec, input), (units): Either.Either<District, DistrictError> => fromUnits(units))

/**
 * 导出单位台账 — writes units as the CSV ledger (with a BOM, for Excel).
 *
 * @since 0.1.0
 * @category export
 */
export const write = (units: ReadonlyArray<Unit.Unit>): Either.Either<string, Ledger.LedgerExportError> =>
  Csv.write(spec, units)
