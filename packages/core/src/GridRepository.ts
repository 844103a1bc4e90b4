/**
 * 网格仓库 — the port through which grids, buildings, grid staff and their
 * assignments are stored (网格化管理). The core declares
 * it; `@civicgrid/sql` implements it as a Layer and `layerMemory` keeps it in
 * memory on top of a `HierarchyRepository`.
 *
 * **What a write refuses** (`GridDataInvalid`, every violation, nothing
 * written): broken references and repeats — a record naming a unit the
 * hierarchy does not have (a grid's or building's community, a building's
 * compound, a unit target), a grid listing a building that is not stored, an
 * assignment to an unknown person, grid or building, a role on a target it
 * cannot have (`Staffing.allowedTargets`), an assignment already stored, an id
 * twice in one write, a party-member class on a non-member.
 *
 * **What a write stores as given**: the coverage rule ("全覆盖、无疏漏") —
 * gaps, a building in two basic grids (重叠), a grid listing a building of
 * another community (跨社区) — and the size rules. Grids are drawn one at a
 * time, so the intermediate states must be storable; `coverage` computes
 * `Coverage.check` over what is stored, and `Staffing.check` runs on
 * `snapshot`.
 *
 * Writes are upserts by id (`putBuildings`, `putGrids`, `putPeople`), each one
 * transaction. References are checked when written: a later hierarchy save
 * that drops a community does not cascade to its grids (they then fall out of
 * every `within` query).
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { Building } from "./Building.js"
import * as Coverage from "./Coverage.js"
import type { Grid } from "./Grid.js"
import type * as Hierarchy from "./Hierarchy.js"
import type { HierarchyRepository } from "./HierarchyRepository.js"
import * as internal from "./internal/memoryGrids.js"
import * as Staffing from "./Staffing.js"
import type { StorageUnavailable } from "./Storage.js"

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 网格数据规则 — the rule a written record breaks: `duplicate-id` 标识重复 (in one
 * write), `unknown-unit` 单元不存在, `unknown-building` 楼栋不存在, `unknown-grid`
 * 网格不存在, `unknown-person` 人员不存在, `duplicate-assignment` 任职重复,
 * `role-target` 角色与任职对象不符, `class-without-membership` 非党员标注党员类别.
 *
 * @since 0.1.0
 * @category validation
 */
export const GridDataRule = Schema.Literal(
  "duplicate-id",
  "unknown-unit",
  "unknown-building",
  "unknown-grid",
  "unknown-person",
  "duplicate-assignment",
  "role-target",
  "class-without-membership"
).annotations({ identifier: "GridDataRule", title: "网格数据规则 grid data rule" })

/**
 * @since 0.1.0
 * @category validation
 */
export type GridDataRule = typeof GridDataRule.Type

/**
 * 网格数据问题 — one violation: the rule, the kind of record and its id (for an
 * assignment, `person/role/target`), the ids it names that are at fault, and a
 * readable message.
 *
 * @since 0.1.0
 * @category validation
 */
export const GridDataViolation = Schema.TaggedStruct("GridDataViolation", {
  rule: GridDataRule,
  entity: Schema.Literal("building", "grid", "person", "assignment"),
  id: Schema.String,
  related: Schema.Array(Schema.String),
  message: Schema.String
}).annotations({ identifier: "GridDataViolation", title: "网格数据问题 grid data violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface GridDataViolation extends Schema.Schema.Type<typeof GridDataViolation> {}

/**
 * 网格数据无效 — a write refused; carries every violation (sorted by record kind,
 * id, rule). Nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class GridDataInvalid extends Schema.TaggedError<GridDataInvalid>()("GridDataInvalid", {
  violations: Schema.NonEmptyArray(GridDataViolation)
}) {
  override get message(): string {
    const shown = this.violations.slice(0, 5).map((v) => v.message)
    const more = this.violations.length > 5 ? `; … and ${this.violations.length - 5} more` : ""
    return `网格数据无效 grid data refused (${this.violations.length} violation(s)): ${shown.join("; ")}${more}`
  }
}

/**
 * 网格不存在 — no grid has this id.
 *
 * @since 0.1.0
 * @category errors
 */
export class GridNotFound extends Schema.TaggedError<GridNotFound>()("GridNotFound", {
  gridId: Schema.String
}) {
  override get message(): string {
    return `网格不存在 grid not found: "${this.gridId}"`
  }
}

// ---------------------------------------------------------------------------
// validation (shared by every implementation)
// ---------------------------------------------------------------------------

/**
 * What a store knows when it checks a write: which of the referenced ids
 * exist. Implementations look up only the ids the write names.
 *
 * @since 0.1.0
 * @category models
 */
export interface Known {
  /** Units of the stored hierarchy (among those referenced). */
  readonly units: ReadonlySet<string>
  /** Stored buildings (among those referenced). */
  readonly buildings: ReadonlyArray<Building>
  /** Stored grids (among those referenced). */
  readonly grids: ReadonlyArray<Grid>
  /** Stored people (among those referenced). */
  readonly people: ReadonlyArray<Staffing.Person>
  /** Stored assignments equal to one of the written ones. */
  readonly assignments: ReadonlyArray<Staffing.Assignment>
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const entityOrder = { building: 0, grid: 1, person: 2, assignment: 3 } as const

const violation = (
  rule: GridDataRule,
  entity: GridDataViolation["entity"],
  id: string,
  related: ReadonlyArray<string>,
  message: string
): GridDataViolation => ({ _tag: "GridDataViolation", rule, entity, id, related, message })

const duplicates = (
  entity: GridDataViolation["entity"],
  label: string,
  ids: ReadonlyArray<string>
): Array<GridDataViolation> => {
  const counts = new Map<string, number>()
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1)
  const out: Array<GridDataViolation> = []
  for (const [id, n] of counts) {
    if (n > 1) {
      out.push(
        violation("duplicate-id", entity, id, [], `${label}标识重复 ${entity} "${id}" appears ${n} times`)
      )
    }
  }
  return out
}

const finish = (violations: Array<GridDataViolation>): ReadonlyArray<GridDataViolation> =>
  violations.sort(
    (a, b) =>
      entityOrder[a.entity] - entityOrder[b.entity] ||
      compare(a.id, b.id) ||
      compare(a.rule, b.rule) ||
      compare(a.message, b.message)
  )

/**
 * The ids a write of these records references, for a store to look up.
 *
 * @since 0.1.0
 * @category utils
 */
export const referencedIds = (input: {
  readonly buildings?: ReadonlyArray<Building>
  readonly grids?: ReadonlyArray<Grid>
  readonly assignments?: ReadonlyArray<Staffing.Assignment>
}): {
  readonly units: ReadonlyArray<string>
  readonly buildings: ReadonlyArray<string>
  readonly grids: ReadonlyArray<string>
  readonly people: ReadonlyArray<string>
} => {
  const units = new Set<string>()
  const buildings = new Set<string>()
  const grids = new Set<string>()
  const people = new Set<string>()
  for (const b of input.buildings ?? []) {
    units.add(b.communityId)
    if (b.compoundId !== undefined) units.add(b.compoundId)
  }
  for (const g of input.grids ?? []) {
    units.add(g.communityId)
    for (const id of g.buildingIds) buildings.add(id)
  }
  for (const a of input.assignments ?? []) {
    people.add(a.personId)
    switch (a.target._tag) {
      case "Grid":
        grids.add(a.target.gridId)
        break
      case "Building":
        buildings.add(a.target.buildingId)
        break
      case "Unit":
        units.add(a.target.unitId)
        break
    }
  }
  const sorted = (s: Set<string>) => [...s].sort(compare)
  return { units: sorted(units), buildings: sorted(buildings), grids: sorted(grids), people: sorted(people) }
}

/**
 * 楼栋写入校验 — ids unique in the write; community (and compound) known units.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkBuildings = (
  buildings: ReadonlyArray<Building>,
  known: Pick<Known, "units">
): ReadonlyArray<GridDataViolation> => {
  const out = duplicates(
    "building",
    "楼栋",
    buildings.map((b) => b.id)
  )
  for (const b of buildings) {
    const missing = [b.communityId, ...(b.compoundId === undefined ? [] : [b.compoundId])].filter(
      (u) => !known.units.has(u)
    )
    if (missing.length > 0) {
      out.push(
        violation(
          "unknown-unit",
          "building",
          b.id,
          missing,
          `单元不存在 building "${b.id}" names unit(s) ${missing.map((u) => `"${u}"`).join(", ")}, not in the hierarchy`
        )
      )
    }
  }
  return finish(out)
}

/**
 * 网格写入校验 — ids unique in the write; the community a known unit; every
 * listed building stored. Coverage (gaps, overlaps, foreign buildings) is not
 * checked here: see `Coverage.check`.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkGrids = (
  grids: ReadonlyArray<Grid>,
  known: Pick<Known, "units" | "buildings">
): ReadonlyArray<GridDataViolation> => {
  const out = duplicates(
    "grid",
    "网格",
    grids.map((g) => g.id)
  )
  const buildings = new Set(known.buildings.map((b) => b.id))
  for (const g of grids) {
    if (!known.units.has(g.communityId)) {
      out.push(
        violation(
          "unknown-unit",
          "grid",
          g.id,
          [g.communityId],
          `单元不存在 grid "${g.id}" belongs to community "${g.communityId}", not in the hierarchy`
        )
      )
    }
    const missing = Arr.dedupe(g.buildingIds.filter((id) => !buildings.has(id))).sort(compare)
    if (missing.length > 0) {
      out.push(
        violation(
          "unknown-building",
          "grid",
          g.id,
          missing,
          `楼栋不存在 grid "${g.id}" lists building(s) ${missing.map((b) => `"${b}"`).join(", ")}, not stored; store the buildings first`
        )
      )
    }
  }
  return finish(out)
}

const fromStaffing = (v: Staffing.StaffingViolation): GridDataViolation | undefined => {
  switch (v._tag) {
    case "PersonStaffingViolation":
      if (v.rule === "duplicate-person") return violation("duplicate-id", "person", v.personId, [], v.message)
      if (v.rule === "class-without-membership") {
        return violation("class-without-membership", "person", v.personId, [], v.message)
      }
      return undefined
    case "AssignmentViolation": {
      const a = v.assignment
      const target = targetId(a.target)
      const related = v.rule === "unknown-person" ? [a.personId] : [target]
      return violation(v.rule, "assignment", assignmentId(a), related, v.message)
    }
    case "GridStaffingViolation":
      return undefined
  }
}

/**
 * The id of an assignment target.
 *
 * @since 0.1.0
 * @category utils
 */
export const targetId = (t: Staffing.Target): string => {
  switch (t._tag) {
    case "Grid":
      return t.gridId
    case "Building":
      return t.buildingId
    case "Unit":
      return t.unitId
  }
}

/**
 * A readable key of an assignment: `person/role/Kind:target`.
 *
 * @since 0.1.0
 * @category utils
 */
export const assignmentId = (a: Staffing.Assignment): string =>
  `${a.personId}/${a.role}/${a.target._tag}:${targetId(a.target)}`

/**
 * 人员写入校验 — through `Staffing.checkIntegrity`: ids unique in the write, no
 * party-member class on a non-member.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkPeople = (people: ReadonlyArray<Staffing.Person>): ReadonlyArray<GridDataViolation> =>
  finish(
    Staffing.checkIntegrity({ grids: [], people, assignments: [] }).flatMap((v) => {
      const mapped = fromStaffing(v)
      return mapped === undefined ? [] : [mapped]
    })
  )

/**
 * 任职写入校验 — through `Staffing.checkIntegrity` over the write plus the
 * stored records it names: known person, grid and building, a target the role
 * may have, no repeat within the write or of a stored assignment; and a unit
 * target a known unit.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkAssignments = (
  assignments: ReadonlyArray<Staffing.Assignment>,
  known: Known
): ReadonlyArray<GridDataViolation> => {
  const out: Array<GridDataViolation> = []
  for (const v of Staffing.checkIntegrity({
    grids: known.grids,
    people: known.people,
    buildings: known.buildings,
    assignments: [...known.assignments, ...assignments]
  })) {
    if (v._tag !== "AssignmentViolation") continue
    const mapped = fromStaffing(v)
    if (mapped !== undefined) out.push(mapped)
  }
  const reported = new Set<string>()
  for (const a of assignments) {
    if (a.target._tag !== "Unit" || known.units.has(a.target.unitId)) continue
    const id = assignmentId(a)
    if (reported.has(id)) continue
    reported.add(id)
    out.push(
      violation(
        "unknown-unit",
        "assignment",
        id,
        [a.target.unitId],
        `单元不存在 assignment ${id} names unit "${a.target.unitId}", not in the hierarchy`
      )
    )
  }
  return finish(out)
}

/**
 * Wraps violations as the error, when there are any.
 *
 * @since 0.1.0
 * @category validation
 */
export const toError = (violations: ReadonlyArray<GridDataViolation>): GridDataInvalid | undefined =>
  Arr.isNonEmptyReadonlyArray(violations) ? new GridDataInvalid({ violations }) : undefined

// ---------------------------------------------------------------------------
// port
// ---------------------------------------------------------------------------

/**
 * 网格快照 — what is stored within a unit's jurisdiction: the grids and
 * buildings of the communities within it (plus the buildings its grids and
 * assignments name elsewhere), the assignments to those grids and buildings
 * and to units within it, and the people holding them. Every list in id
 * order (assignments by person, role, target). Feed it to `Coverage.check`
 * and `Staffing.check`.
 *
 * @since 0.1.0
 * @category models
 */
export interface GridSnapshot {
  readonly grids: ReadonlyArray<Grid>
  readonly buildings: ReadonlyArray<Building>
  readonly people: ReadonlyArray<Staffing.Person>
  readonly assignments: ReadonlyArray<Staffing.Assignment>
}

/**
 * 网格仓库 — the grid store port.
 *
 * @since 0.1.0
 * @category tags
 */
export class GridRepository extends Context.Tag("@civicgrid/core/GridRepository")<
  GridRepository,
  {
    /** Upserts buildings by id (`checkBuildings`). */
    readonly putBuildings: (
      buildings: ReadonlyArray<Building>
    ) => Effect.Effect<void, GridDataInvalid | StorageUnavailable>
    /** Upserts grids by id, with their building links, micro-grids and boundary (`checkGrids`). */
    readonly putGrids: (
      grids: ReadonlyArray<Grid>
    ) => Effect.Effect<void, GridDataInvalid | StorageUnavailable>
    /** Removes a grid with its building links and the assignments to it. */
    readonly removeGrid: (gridId: string) => Effect.Effect<void, GridNotFound | StorageUnavailable>
    /** Upserts staff by id (`checkPeople`). */
    readonly putPeople: (
      people: ReadonlyArray<Staffing.Person>
    ) => Effect.Effect<void, GridDataInvalid | StorageUnavailable>
    /** Adds assignments (`checkAssignments`). */
    readonly assign: (
      assignments: ReadonlyArray<Staffing.Assignment>
    ) => Effect.Effect<void, GridDataInvalid | StorageUnavailable>
    /** Removes assignments; returns how many were stored. */
    readonly unassign: (
      assignments: ReadonlyArray<Staffing.Assignment>
    ) => Effect.Effect<number, StorageUnavailable>
    /** One grid. */
    readonly grid: (gridId: string) => Effect.Effect<Grid, GridNotFound | StorageUnavailable>
    /** The grids of the communities within a unit's jurisdiction (a community: its grids), in id order. */
    readonly grids: (
      within: string
    ) => Effect.Effect<ReadonlyArray<Grid>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** The buildings of the communities within a unit's jurisdiction, in id order. */
    readonly buildings: (
      within: string
    ) => Effect.Effect<ReadonlyArray<Building>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Everything stored within a unit's jurisdiction (see `GridSnapshot`). */
    readonly snapshot: (
      within: string
    ) => Effect.Effect<GridSnapshot, Hierarchy.UnitNotFound | StorageUnavailable>
    /**
     * 覆盖检查 — `Coverage.check` over the snapshot, reporting only the
     * communities within the jurisdiction.
     */
    readonly coverage: (
      within: string
    ) => Effect.Effect<Coverage.CoverageReport, Hierarchy.UnitNotFound | StorageUnavailable>
  }
>() {}

/**
 * `Coverage.check` over a snapshot, keeping the communities within `scope`
 * (a building another community's grid names is looked up, so it is reported
 * as foreign, not unknown, but its own community is not reported).
 *
 * @since 0.1.0
 * @category validation
 */
export const coverageWithin = (
  snapshot: GridSnapshot,
  scope: ReadonlySet<string>
): Coverage.CoverageReport => {
  const report = Coverage.check(snapshot.buildings, snapshot.grids)
  const violations = report.violations.filter((v) => scope.has(v.communityId))
  return {
    communities: report.communities.filter((c) => scope.has(c.communityId)),
    violations,
    complete: violations.length === 0
  }
}

/**
 * Sorts assignments by person, role, target kind and target id.
 *
 * @since 0.1.0
 * @category utils
 */
export const sortAssignments = (
  assignments: ReadonlyArray<Staffing.Assignment>
): ReadonlyArray<Staffing.Assignment> =>
  [...assignments].sort(
    (a, b) =>
      compare(a.personId, b.personId) ||
      compare(a.role, b.role) ||
      compare(a.target._tag, b.target._tag) ||
      compare(targetId(a.target), targetId(b.target))
  )

/**
 * An in-memory grid store on top of a `HierarchyRepository` (for units and
 * subtrees); each build starts empty.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<GridRepository, never, HierarchyRepository> = Layer.effect(
  GridRepository,
  internal.make
)
