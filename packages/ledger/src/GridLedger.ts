/**
 * 网格台账 — the grid ledger: one row per grid (`Grid.ts`) with its id, name,
 * code (GB/T 30428.1 or CJ/T 213), kind (基础网格 / 专属网格), what a dedicated
 * grid serves, its community and the buildings it covers (ids joined with `、`).
 * Micro-grids are not part of the ledger. `withBoundary` adds the boundary as
 * a column `边界(WKT)`: a WKT `POLYGON`/`MULTIPOLYGON` text (core `Wkt`) or a
 * GeoJSON geometry object (`{"type":"Polygon",…}`).
 *
 * @since 0.1.0
 */
import * as GeoJson from "@civicgrid/core/GeoJson"
import * as Grid from "@civicgrid/core/Grid"
import * as Wkt from "@civicgrid/core/Wkt"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
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
  headers: gridHeaders()
})

function gridHeaders() {
  return {
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
  } as const
}

const decodeGeometry = Schema.decodeUnknownEither(Schema.parseJson(GeoJson.Boundary))

/**
 * 边界（文本） — a boundary from a cell: WKT (`POLYGON ((…))`, core `Wkt`), or
 * a GeoJSON geometry object when the text starts with `{`; written back as WKT.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BoundaryFromText: Schema.Schema<GeoJson.Boundary, string> = Schema.transformOrFail(
  Schema.String,
  Schema.typeSchema(GeoJson.Boundary),
  {
    strict: true,
    decode: (text, _, ast) =>
      text.trimStart().startsWith("{")
        ? Either.mapLeft(
            decodeGeometry(text),
            (e) =>
              new ParseResult.Type(
                ast,
                text,
                `边界 GeoJSON 无效 invalid GeoJSON boundary: ${ParseResult.TreeFormatter.formatErrorSync(e)} (rule geojson)`
              )
          )
        : Either.mapLeft(Wkt.parse(text), (e) => new ParseResult.Type(ast, text, e.message)),
    encode: (boundary) => ParseResult.succeed(Wkt.format(boundary))
  }
).annotations({ identifier: "BoundaryFromText", title: "边界（WKT 或 GeoJSON） boundary text" })

/**
 * 网格台账行（含边界） — the grid fields of a ledger row with the boundary.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GridRowWithBoundary = Schema.Struct({
  ...GridRow.fields,
  boundary: Schema.optionalWith(BoundaryFromText, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface GridRowWithBoundary extends Schema.Schema.Type<typeof GridRowWithBoundary> {}

/**
 * 边界列表头 — the header of the boundary column.
 *
 * @since 0.1.0
 * @category constants
 */
export const boundaryHeader = "边界(WKT)"

/**
 * 网格台账（含边界） — the spec with the boundary column (WKT, or a GeoJSON
 * geometry). A boundary's WKT can pass the ledger's default cell length: read
 * such a ledger with a larger `Limits.maxCellLength`.
 *
 * @since 0.1.0
 * @category specs
 */
export const withBoundary: Ledger.LedgerSpec<GridRowWithBoundary> = Ledger.make({
  sheet: "网格台账",
  schema: GridRowWithBoundary,
  headers: { ...gridHeaders(), boundary: { header: boundaryHeader, width: 60 } }
})
