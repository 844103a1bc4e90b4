/**
 * 网格台账 — the grid ledger: one row per grid (`Grid.ts`) with its id, name,
 * code (GB/T 30428.1 or CJ/T 213), kind (基础网格 / 专属网格), what a dedicated
 * grid serves, its community and the buildings it covers (ids joined with `、`).
 * Micro-grids and boundaries are not part of the ledger (keep boundaries as
 * GeoJSON).
 *
 * @since 0.1.0
 */
import * as Grid from "@civicgrid/core/Grid"
import type * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"

/**
 * 网格台账行 — the grid fields a ledger row holds.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GridRow = Grid.Grid.pick(
  "id",
  "name",
  "code",
  "kind",
  "dedicatedTo",
  "communityId",
  "buildingIds"
)

/**
 * @since 0.1.0
 * @category models
 */
export interface GridRow extends Schema.Schema.Type<typeof GridRow> {}

/**
 * 网格台账 — the spec. Export `Grid.Grid` values directly (extra fields are
 * ignored); import gives rows without micro-grids and boundaries.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<GridRow> = Ledger.make({
  sheet: "网格台账",
  schema: GridRow,
  headers: {
    id: "网格编号",
    name: "网格名称",
    code: { header: "网格编码", width: 18 },
    kind: { header: "网格类型", labels: { basic: "基础网格", dedicated: "专属网格" } },
    dedicatedTo: {
      header: "专属对象",
      labels: { school: "学校", hospital: "医院", market: "市场", enterprise: "企业", other: "其他" }
    },
    communityId: { header: "所属社区", reference: "unit" },
    buildingIds: { header: "覆盖楼栋", width: 40 }
  }
})
