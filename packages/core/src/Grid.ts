/**
 * 网格 — a grid: the basic cell of 网格化管理 (grid-based management). A grid
 * belongs to one community and covers buildings and their households.
 *
 * Kinds: 基础网格 basic grids partition a community's buildings ("全覆盖、无疏漏");
 * 专属网格 dedicated grids cover one institution (a school, hospital, market or
 * enterprise). A grid may be split into 微网格 micro-grids of about ten
 * households, and may carry a GeoJSON boundary for point location.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Boundary } from "./GeoJson.js"
import { GridCode } from "./GridCode.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"

/**
 * 网格标识 — the identifier of a grid.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GridId = Text.Id.pipe(
  Schema.brand("GridId"),
  Schema.annotations({ identifier: "GridId", title: "网格标识 grid id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type GridId = typeof GridId.Type

/**
 * 网格类型 — `basic` 基础网格 or `dedicated` 专属网格.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GridKind = Schema.Literal("basic", "dedicated").annotations({
  identifier: "GridKind",
  title: "网格类型 grid kind",
  description: "basic 基础网格 | dedicated 专属网格"
})

/**
 * @since 0.1.0
 * @category models
 */
export type GridKind = typeof GridKind.Type

/**
 * 专属网格对象 — what a dedicated grid is dedicated to: 学校 school, 医院
 * hospital, 市场 market, 企业 enterprise, or another institution.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DedicatedTo = Schema.Literal("school", "hospital", "market", "enterprise", "other").annotations({
  identifier: "DedicatedTo",
  title: "专属网格对象 dedicated to"
})

/**
 * @since 0.1.0
 * @category models
 */
export type DedicatedTo = typeof DedicatedTo.Type

/**
 * 微网格标识 — the identifier of a micro-grid.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MicroGridId = Text.Id.pipe(
  Schema.brand("MicroGridId"),
  Schema.annotations({ identifier: "MicroGridId", title: "微网格标识 micro-grid id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type MicroGridId = typeof MicroGridId.Type

/**
 * 微网格 — a micro-grid of about ten households inside a grid (the Yilong county report).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MicroGrid = Schema.Struct({
  id: MicroGridId,
  name: Text.Name,
  /** 覆盖楼栋 — the buildings (or parts of buildings) the micro-grid covers. */
  buildingIds: Schema.Array(UnitId),
  /** 户数 — households in the micro-grid. */
  households: Schema.Int.pipe(Schema.nonNegative())
}).annotations({ identifier: "MicroGrid", title: "微网格 micro-grid" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MicroGrid extends Schema.Schema.Type<typeof MicroGrid> {}

/**
 * 网格 — a grid of a community.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Grid = Schema.Struct({
  id: GridId,
  /** 名称 — e.g. `"第一网格"`. */
  name: Text.Name,
  /** 网格编码 — the GB/T 30428.1 or CJ/T 213 code, where assigned. */
  code: Schema.optionalWith(GridCode, { exact: true }),
  kind: GridKind,
  /** 专属对象 — for a dedicated grid, what it serves. */
  dedicatedTo: Schema.optionalWith(DedicatedTo, { exact: true }),
  /** 所属社区 — the community the grid belongs to. */
  communityId: UnitId,
  /** 覆盖楼栋 — the buildings the grid covers. */
  buildingIds: Schema.Array(UnitId),
  /** 微网格 — optional micro-grids. */
  microGrids: Schema.optionalWith(Schema.Array(MicroGrid), { exact: true }),
  /** 网格边界 — optional GeoJSON boundary. */
  boundary: Schema.optionalWith(Boundary, { exact: true })
}).annotations({ identifier: "Grid", title: "网格 grid" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Grid extends Schema.Schema.Type<typeof Grid> {}
