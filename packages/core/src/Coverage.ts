/**
 * 网格全覆盖 — grid coverage and grid size checks.
 *
 * **Coverage rule** (the Panlong district report: "全覆盖、无疏漏", full coverage, nothing missed):
 * every building of a community lies in exactly one **basic** grid 基础网格 of
 * that community. Dedicated grids 专属网格 (a school, hospital, market,
 * enterprise) do not count toward coverage. `check` reports, per community,
 * the gaps 疏漏 (uncovered buildings), the overlaps 重叠 (buildings claimed more
 * than once), foreign buildings 跨社区 (a grid of one community lists a building
 * of another), unknown buildings (a grid lists an id that is not a known
 * building) and duplicate ids, plus every violation as a tagged value.
 *
 * **Size rule**: observed practice is 200–300 households per basic grid
 * (`defaultBounds`); some places use 160–255 (`compactBounds`). The bounds are
 * configuration. `checkSize` totals each basic grid's households and flags the
 * grids outside the bounds. It also checks the 微网格 micro-grids of about ten
 * households (the Yilong county report: "每10户家庭设立小网格"): a micro-grid may only use its
 * grid's buildings and should hold 5–15 households (`defaultMicroGridBounds`).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { Building } from "./Building.js"
import { type Grid, GridId, GridKind, MicroGridId } from "./Grid.js"
import { UnitId } from "./Unit.js"

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const uniqueSorted = <A extends string>(values: Iterable<A>): Array<A> =>
  Array.from(new Set(values)).sort(compareStrings)

// ---------------------------------------------------------------------------
// coverage
// ---------------------------------------------------------------------------

/**
 * 覆盖规则 — the coverage rule a violation breaks:
 *
 * - `gap` 疏漏: a building lies in no basic grid of its community;
 * - `overlap` 重叠: a building is listed by more than one basic grid of its
 *   community (or twice by the same grid);
 * - `foreign-building` 跨社区: a grid lists a building of another community;
 * - `unknown-building` 未知楼栋: a grid lists an id that is not among the buildings;
 * - `duplicate-building-id` / `duplicate-grid-id`: two records share an id.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CoverageRule = Schema.Literal(
  "gap",
  "overlap",
  "foreign-building",
  "unknown-building",
  "duplicate-building-id",
  "duplicate-grid-id"
).annotations({ identifier: "CoverageRule", title: "覆盖规则 coverage rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type CoverageRule = typeof CoverageRule.Type

const coverageRuleText: Record<CoverageRule, string> = {
  gap: "疏漏 every building lies in exactly one basic grid of its community; this one lies in none",
  overlap:
    "重叠 every building lies in exactly one basic grid of its community; this one is listed more than once",
  "foreign-building": "跨社区 a grid covers only buildings of its own community",
  "unknown-building": "未知楼栋 a grid lists only known buildings",
  "duplicate-building-id": "重复楼栋标识 building ids are unique",
  "duplicate-grid-id": "重复网格标识 grid ids are unique"
}

/**
 * 覆盖违规 — a violation of the coverage rule, naming the community, the
 * building and the grids involved and the rule broken.
 *
 * @since 0.1.0
 * @category errors
 */
export class CoverageViolation extends Schema.TaggedError<CoverageViolation>()("CoverageViolation", {
  rule: CoverageRule,
  /** 社区 — the community whose report holds the violation (for grid faults, the grid's community). */
  communityId: UnitId,
  /** 楼栋 — the building concerned (absent for `duplicate-grid-id`). */
  buildingId: Schema.optionalWith(UnitId, { exact: true }),
  /** 网格 — the grids concerned (sorted; a grid listed twice appears twice). */
  gridIds: Schema.Array(GridId),
  /** For `foreign-building`: the community the building belongs to. */
  buildingCommunityId: Schema.optionalWith(UnitId, { exact: true })
}) {
  override get message(): string {
    const who = [
      `community ${this.communityId}`,
      ...(this.buildingId === undefined ? [] : [`building ${this.buildingId}`]),
      ...(this.gridIds.length === 0 ? [] : [`grid ${this.gridIds.join(", ")}`]),
      ...(this.buildingCommunityId === undefined ? [] : [`building of community ${this.buildingCommunityId}`])
    ].join("; ")
    return `${this.rule}: ${coverageRuleText[this.rule]} (${who})`
  }
}

/**
 * 重叠 — a building listed more than once by the basic grids of its community.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Overlap = Schema.Struct({
  buildingId: UnitId,
  /** the claiming basic grids, sorted; a grid listing the building twice appears twice */
  gridIds: Schema.Array(GridId)
}).annotations({ identifier: "Overlap", title: "重叠 overlap" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Overlap extends Schema.Schema.Type<typeof Overlap> {}

/**
 * 跨社区楼栋 — a grid that lists a building of another community.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ForeignBuilding = Schema.Struct({
  gridId: GridId,
  buildingId: UnitId,
  buildingCommunityId: UnitId
}).annotations({ identifier: "ForeignBuilding", title: "跨社区楼栋 foreign building" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ForeignBuilding extends Schema.Schema.Type<typeof ForeignBuilding> {}

/**
 * 未知楼栋 — a grid that lists an id that is not among the buildings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnknownBuilding = Schema.Struct({
  gridId: GridId,
  buildingId: UnitId
}).annotations({ identifier: "UnknownBuilding", title: "未知楼栋 unknown building" })

/**
 * @since 0.1.0
 * @category models
 */
export interface UnknownBuilding extends Schema.Schema.Type<typeof UnknownBuilding> {}

/**
 * 社区覆盖情况 — the coverage of one community. All lists are sorted by id.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CommunityCoverage = Schema.Struct({
  communityId: UnitId,
  /** 楼栋数 — buildings of the community (distinct ids). */
  buildings: Schema.Int,
  /** 基础网格数 — basic grids of the community. */
  basicGrids: Schema.Int,
  /** 疏漏 — buildings in no basic grid of the community. */
  gaps: Schema.Array(UnitId),
  /** 重叠 — buildings listed more than once by basic grids of the community. */
  overlaps: Schema.Array(Overlap),
  /** 跨社区 — grids of this community listing buildings of another. */
  foreign: Schema.Array(ForeignBuilding),
  /** 未知 — grids of this community listing unknown ids. */
  unknown: Schema.Array(UnknownBuilding),
  /** building ids that occur on more than one building record */
  duplicateBuildingIds: Schema.Array(UnitId),
  /** grid ids that occur on more than one grid record */
  duplicateGridIds: Schema.Array(GridId),
  /** 全覆盖 — true when the community has none of the above. */
  complete: Schema.Boolean
}).annotations({ identifier: "CommunityCoverage", title: "社区覆盖情况 community coverage" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CommunityCoverage extends Schema.Schema.Type<typeof CommunityCoverage> {}

/**
 * 覆盖检查报告 — the coverage report: one entry per community (sorted by id),
 * every violation flattened, and whether coverage is complete everywhere.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CoverageReport = Schema.Struct({
  communities: Schema.Array(CommunityCoverage),
  violations: Schema.Array(CoverageViolation),
  complete: Schema.Boolean
}).annotations({ identifier: "CoverageReport", title: "覆盖检查报告 coverage report" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CoverageReport extends Schema.Schema.Type<typeof CoverageReport> {}

interface MutableCommunity {
  readonly buildingIds: Set<UnitId>
  basicGrids: number
  readonly claims: Map<UnitId, Array<GridId>>
  readonly foreign: Array<ForeignBuilding>
  readonly unknown: Array<UnknownBuilding>
  readonly duplicateBuildingIds: Set<UnitId>
  readonly duplicateGridIds: Set<GridId>
}

const compareBuildings = (a: Building, b: Building): number =>
  compareStrings(a.id, b.id) || compareStrings(a.communityId, b.communityId)

const compareGrids = (a: Grid, b: Grid): number =>
  compareStrings(a.id, b.id) || compareStrings(a.communityId, b.communityId) || compareStrings(a.kind, b.kind)

/**
 * 覆盖检查 — checks the coverage rule over any number of communities.
 *
 * A community appears in the report when it has a building or a grid. Every
 * building of a community must be listed exactly once by the basic grids of
 * that community; dedicated grids are ignored for gaps and overlaps, but a
 * dedicated grid listing a foreign or unknown building is reported like a basic
 * one. A grid's faults (foreign, unknown, duplicate grid id) are reported under
 * the grid's community. When two building records share an id, the one with
 * the smaller community id is used. The result does not depend on input order.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (buildings: ReadonlyArray<Building>, grids: ReadonlyArray<Grid>): CoverageReport => {
  const communities = new Map<UnitId, MutableCommunity>()
  const community = (id: UnitId): MutableCommunity => {
    const existing = communities.get(id)
    if (existing !== undefined) return existing
    const created: MutableCommunity = {
      buildingIds: new Set(),
      basicGrids: 0,
      claims: new Map(),
      foreign: [],
      unknown: [],
      duplicateBuildingIds: new Set(),
      duplicateGridIds: new Set()
    }
    communities.set(id, created)
    return created
  }

  const byId = new Map<UnitId, Building>()
  for (const building of buildings.slice().sort(compareBuildings)) {
    const kept = byId.get(building.id)
    if (kept === undefined) {
      byId.set(building.id, building)
      community(building.communityId).buildingIds.add(building.id)
    } else {
      community(kept.communityId).duplicateBuildingIds.add(building.id)
    }
  }

  let previousGridId: GridId | undefined
  for (const grid of grids.slice().sort(compareGrids)) {
    const own = community(grid.communityId)
    if (grid.id === previousGridId) own.duplicateGridIds.add(grid.id)
    previousGridId = grid.id
    if (grid.kind === "basic") own.basicGrids++
    for (const buildingId of grid.buildingIds) {
      const building = byId.get(buildingId)
      if (building === undefined) {
        own.unknown.push({ gridId: grid.id, buildingId })
      } else if (building.communityId !== grid.communityId) {
        own.foreign.push({ gridId: grid.id, buildingId, buildingCommunityId: building.communityId })
      } else if (grid.kind === "basic") {
        const claims = own.claims.get(buildingId)
        if (claims === undefined) own.claims.set(buildingId, [grid.id])
        else claims.push(grid.id)
      }
    }
  }

  const byGridThenBuilding = (a: UnknownBuilding, b: UnknownBuilding) =>
    compareStrings(a.gridId, b.gridId) || compareStrings(a.buildingId, b.buildingId)

  const reports: Array<CommunityCoverage> = []
  const violations: Array<CoverageViolation> = []
  for (const communityId of uniqueSorted(communities.keys())) {
    const c = community(communityId)
    const ids = uniqueSorted(c.buildingIds)
    const gaps = ids.filter((id) => !c.claims.has(id))
    const overlaps: Array<Overlap> = []
    for (const buildingId of ids) {
      const claims = c.claims.get(buildingId)
      if (claims !== undefined && claims.length > 1) {
        overlaps.push({ buildingId, gridIds: claims.slice().sort(compareStrings) })
      }
    }
    const foreign = c.foreign.slice().sort(byGridThenBuilding)
    const unknown = c.unknown.slice().sort(byGridThenBuilding)
    const duplicateBuildingIds = uniqueSorted(c.duplicateBuildingIds)
    const duplicateGridIds = uniqueSorted(c.duplicateGridIds)
    const complete =
      gaps.length === 0 &&
      overlaps.length === 0 &&
      foreign.length === 0 &&
      unknown.length === 0 &&
      duplicateBuildingIds.length === 0 &&
      duplicateGridIds.length === 0
    reports.push({
      communityId,
      buildings: ids.length,
      basicGrids: c.basicGrids,
      gaps,
      overlaps,
      foreign,
      unknown,
      duplicateBuildingIds,
      duplicateGridIds,
      complete
    })
    for (const buildingId of gaps) {
      violations.push(new CoverageViolation({ rule: "gap", communityId, buildingId, gridIds: [] }))
    }
    for (const o of overlaps) {
      violations.push(
        new CoverageViolation({ rule: "overlap", communityId, buildingId: o.buildingId, gridIds: o.gridIds })
      )
    }
    for (const f of foreign) {
      violations.push(
        new CoverageViolation({
          rule: "foreign-building",
          communityId,
          buildingId: f.buildingId,
          gridIds: [f.gridId],
          buildingCommunityId: f.buildingCommunityId
        })
      )
    }
    for (const u of unknown) {
      violations.push(
        new CoverageViolation({
          rule: "unknown-building",
          communityId,
          buildingId: u.buildingId,
          gridIds: [u.gridId]
        })
      )
    }
    for (const buildingId of duplicateBuildingIds) {
      violations.push(
        new CoverageViolation({ rule: "duplicate-building-id", communityId, buildingId, gridIds: [] })
      )
    }
    for (const gridId of duplicateGridIds) {
      violations.push(new CoverageViolation({ rule: "duplicate-grid-id", communityId, gridIds: [gridId] }))
    }
  }
  return { communities: reports, violations, complete: violations.length === 0 }
}

/**
 * 覆盖校验 — `check` as an `Either`: the report when coverage is complete,
 * otherwise every violation.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (
  buildings: ReadonlyArray<Building>,
  grids: ReadonlyArray<Grid>
): Either.Either<CoverageReport, readonly [CoverageViolation, ...Array<CoverageViolation>]> => {
  const report = check(buildings, grids)
  const [first, ...rest] = report.violations
  return first === undefined ? Either.right(report) : Either.left([first, ...rest])
}

// ---------------------------------------------------------------------------
// size
// ---------------------------------------------------------------------------

const boundsFilter = (b: { readonly min: number; readonly max: number }) =>
  b.min <= b.max || `min (${b.min}) must not exceed max (${b.max})`

/**
 * 网格规模 — household bounds of a basic grid: a grid should hold at least
 * `min` and at most `max` households (户).
 *
 * @since 0.1.0
 * @category schemas
 */
export const GridSizeBounds = Schema.Struct({
  min: Schema.NonNegativeInt,
  max: Schema.Int.pipe(Schema.positive())
}).pipe(
  Schema.filter(boundsFilter),
  Schema.annotations({ identifier: "GridSizeBounds", title: "网格规模 grid size bounds (households)" })
)

/**
 * @since 0.1.0
 * @category models
 */
export interface GridSizeBounds extends Schema.Schema.Type<typeof GridSizeBounds> {}

/**
 * 网格规模（常见） — the observed practice: 200–300 households per basic grid.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBounds: GridSizeBounds = { min: 200, max: 300 }

/**
 * 网格规模（部分地区） — the bounds some places use: 160–255 households per grid.
 *
 * @since 0.1.0
 * @category constants
 */
export const compactBounds: GridSizeBounds = { min: 160, max: 255 }

/**
 * 微网格规模 — household bounds of a micro-grid (the Yilong county report: about ten
 * households): 5–15 by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMicroGridBounds: GridSizeBounds = { min: 5, max: 15 }

/**
 * 规模规则 — the size rule a violation breaks:
 *
 * - `below-min` / `above-max`: a basic grid's households lie outside the grid bounds;
 * - `micro-grid-below-min` / `micro-grid-above-max`: a micro-grid's households lie
 *   outside the micro-grid bounds;
 * - `micro-grid-outside-grid`: a micro-grid lists a building its grid does not cover;
 * - `micro-grids-exceed-grid`: a grid's micro-grids hold more households than the grid.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SizeRule = Schema.Literal(
  "below-min",
  "above-max",
  "micro-grid-below-min",
  "micro-grid-above-max",
  "micro-grid-outside-grid",
  "micro-grids-exceed-grid"
).annotations({ identifier: "SizeRule", title: "规模规则 size rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type SizeRule = typeof SizeRule.Type

const sizeRuleText: Record<SizeRule, string> = {
  "below-min": "户数不足 a basic grid holds at least the minimum of households",
  "above-max": "户数超限 a basic grid holds at most the maximum of households",
  "micro-grid-below-min": "微网格户数不足 a micro-grid holds at least the micro-grid minimum",
  "micro-grid-above-max": "微网格户数超限 a micro-grid holds at most the micro-grid maximum",
  "micro-grid-outside-grid": "微网格越界 a micro-grid only uses buildings of its grid",
  "micro-grids-exceed-grid": "微网格户数超出网格 a grid's micro-grids hold no more households than the grid"
}

/**
 * 规模违规 — a violation of the size rule, naming the grid (and micro-grid),
 * the household total at issue and the bound it breaks.
 *
 * @since 0.1.0
 * @category errors
 */
export class SizeViolation extends Schema.TaggedError<SizeViolation>()("SizeViolation", {
  rule: SizeRule,
  gridId: GridId,
  microGridId: Schema.optionalWith(MicroGridId, { exact: true }),
  /** 户数 — the household total at issue (of the grid or micro-grid; for
   * `micro-grids-exceed-grid` the micro-grids' sum). */
  households: Schema.Int,
  /** 界限 — the bound broken (for `micro-grids-exceed-grid`, the grid's total). */
  bound: Schema.optionalWith(Schema.Int, { exact: true }),
  /** For `micro-grid-outside-grid`: the building outside the grid. */
  buildingId: Schema.optionalWith(UnitId, { exact: true })
}) {
  override get message(): string {
    const where =
      this.microGridId === undefined
        ? `grid ${this.gridId}`
        : `micro-grid ${this.microGridId} of grid ${this.gridId}`
    const detail =
      this.rule === "micro-grid-outside-grid"
        ? `building ${this.buildingId ?? "?"}`
        : `${this.households} households${this.bound === undefined ? "" : `, bound ${this.bound}`}`
    return `${this.rule}: ${sizeRuleText[this.rule]} (${where}: ${detail})`
  }
}

/**
 * 规模状态 — where a total lies relative to its bounds; `exempt` for dedicated
 * grids, which the household bounds do not apply to.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SizeStatus = Schema.Literal("ok", "below-min", "above-max", "exempt").annotations({
  identifier: "SizeStatus",
  title: "规模状态 size status"
})

/**
 * @since 0.1.0
 * @category models
 */
export type SizeStatus = typeof SizeStatus.Type

/**
 * 微网格规模 — a micro-grid's households and findings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MicroGridSize = Schema.Struct({
  microGridId: MicroGridId,
  households: Schema.Int,
  status: Schema.Literal("ok", "below-min", "above-max"),
  /** buildings the micro-grid lists that its grid does not cover (sorted) */
  outsideBuildingIds: Schema.Array(UnitId)
}).annotations({ identifier: "MicroGridSize", title: "微网格规模 micro-grid size" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MicroGridSize extends Schema.Schema.Type<typeof MicroGridSize> {}

/**
 * 网格规模 — a grid's household total and findings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GridSize = Schema.Struct({
  gridId: GridId,
  communityId: UnitId,
  kind: GridKind,
  /** 户数 — households of the distinct known buildings the grid lists. */
  households: Schema.Int,
  status: SizeStatus,
  microGrids: Schema.Array(MicroGridSize)
}).annotations({ identifier: "GridSize", title: "网格规模 grid size" })

/**
 * @since 0.1.0
 * @category models
 */
export interface GridSize extends Schema.Schema.Type<typeof GridSize> {}

/**
 * 规模检查报告 — the size report: every grid (sorted by id), every violation,
 * and whether every grid and micro-grid is within its bounds.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SizeReport = Schema.Struct({
  bounds: GridSizeBounds,
  microGridBounds: GridSizeBounds,
  grids: Schema.Array(GridSize),
  violations: Schema.Array(SizeViolation),
  withinBounds: Schema.Boolean
}).annotations({ identifier: "SizeReport", title: "规模检查报告 size report" })

/**
 * @since 0.1.0
 * @category models
 */
export interface SizeReport extends Schema.Schema.Type<typeof SizeReport> {}

/**
 * Where a household total lies relative to bounds.
 *
 * @since 0.1.0
 * @category utils
 */
export const statusOf = (households: number, bounds: GridSizeBounds): "ok" | "below-min" | "above-max" =>
  households < bounds.min ? "below-min" : households > bounds.max ? "above-max" : "ok"

/**
 * 规模检查 — totals each grid's households from its buildings and checks the
 * size rule: every basic grid within `bounds` (default 200–300); every
 * micro-grid, of any grid, within `microGridBounds` (default 5–15), using only
 * its grid's buildings, and all micro-grids of a grid together holding no more
 * households than the grid. A micro-grid's households are its own `households`
 * field (it may cover part of a building). Ids a grid lists twice count once;
 * ids that are not among the buildings count zero (the coverage check reports
 * them). The bounds are taken as given (decode untrusted ones with
 * `GridSizeBounds`).
 *
 * @since 0.1.0
 * @category validation
 */
export const checkSize = (
  grids: ReadonlyArray<Grid>,
  buildings: ReadonlyArray<Building>,
  bounds: GridSizeBounds = defaultBounds,
  microGridBounds: GridSizeBounds = defaultMicroGridBounds
): SizeReport => {
  const households = new Map<UnitId, number>()
  for (const building of buildings.slice().sort(compareBuildings)) {
    if (!households.has(building.id)) households.set(building.id, building.households)
  }
  const sizes: Array<GridSize> = []
  const violations: Array<SizeViolation> = []
  for (const grid of grids.slice().sort(compareGrids)) {
    const own = new Set(grid.buildingIds)
    let total = 0
    for (const id of own) total += households.get(id) ?? 0
    const status: SizeStatus = grid.kind === "basic" ? statusOf(total, bounds) : "exempt"
    if (status === "below-min" || status === "above-max") {
      violations.push(
        new SizeViolation({
          rule: status,
          gridId: grid.id,
          households: total,
          bound: status === "below-min" ? bounds.min : bounds.max
        })
      )
    }
    const microGrids: Array<MicroGridSize> = []
    let microTotal = 0
    const micro = (grid.microGrids ?? []).slice().sort((a, b) => compareStrings(a.id, b.id))
    for (const m of micro) {
      microTotal += m.households
      const outsideBuildingIds = uniqueSorted(m.buildingIds.filter((id) => !own.has(id)))
      const microStatus = statusOf(m.households, microGridBounds)
      for (const buildingId of outsideBuildingIds) {
        violations.push(
          new SizeViolation({
            rule: "micro-grid-outside-grid",
            gridId: grid.id,
            microGridId: m.id,
            households: m.households,
            buildingId
          })
        )
      }
      if (microStatus !== "ok") {
        violations.push(
          new SizeViolation({
            rule: microStatus === "below-min" ? "micro-grid-below-min" : "micro-grid-above-max",
            gridId: grid.id,
            microGridId: m.id,
            households: m.households,
            bound: microStatus === "below-min" ? microGridBounds.min : microGridBounds.max
          })
        )
      }
      microGrids.push({
        microGridId: m.id,
        households: m.households,
        status: microStatus,
        outsideBuildingIds
      })
    }
    if (microTotal > total) {
      violations.push(
        new SizeViolation({
          rule: "micro-grids-exceed-grid",
          gridId: grid.id,
          households: microTotal,
          bound: total
        })
      )
    }
    sizes.push({
      gridId: grid.id,
      communityId: grid.communityId,
      kind: grid.kind,
      households: total,
      status,
      microGrids
    })
  }
  return { bounds, microGridBounds, grids: sizes, violations, withinBounds: violations.length === 0 }
}

/**
 * 规模校验 — `checkSize` as an `Either`: the report when every grid and
 * micro-grid is within bounds, otherwise every violation.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateSize = (
  grids: ReadonlyArray<Grid>,
  buildings: ReadonlyArray<Building>,
  bounds: GridSizeBounds = defaultBounds,
  microGridBounds: GridSizeBounds = defaultMicroGridBounds
): Either.Either<SizeReport, readonly [SizeViolation, ...Array<SizeViolation>]> => {
  const report = checkSize(grids, buildings, bounds, microGridBounds)
  const [first, ...rest] = report.violations
  return first === undefined ? Either.right(report) : Either.left([first, ...rest])
}
