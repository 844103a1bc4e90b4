/**
 * 管理 — base-data administration: the use cases that create and change the
 * records the rest of the SDK reads — units (行政单元), buildings (楼栋), grids
 * (网格), staff (人员) and their assignments (任职), departments (职能部门),
 * the case category catalogue (案件分类, through `PolicyRepository`) —
 * each within a **scope**: the unit whose subtree the caller administers (an
 * adapter passes its principal's jurisdiction unit). Whatever the entry point
 * (HTTP, a CLI, a script), a write goes through here:
 *
 * 1. load what the write touches from the repositories;
 * 2. check the jurisdiction rule (`OutsideJurisdiction`, rule `jurisdiction`):
 *    every unit the record names, and the stored record it replaces, lie
 *    within the scope's subtree (`Hierarchy.isWithin`) — so the scope unit
 *    itself keeps its parent (any other parent lies outside the scope, or
 *    below it: a cycle) — and no second root is made (`UnitChangeRefused`);
 * 3. run the core checks: the whole hierarchy re-validated with
 *    `Hierarchy.make` (`HierarchyInvalid`, every violation), a grid's buildings
 *    of its own community (`Coverage.check`: `GridCoverageRefused`), and the
 *    repository's write checks (`GridDataInvalid`, `DepartmentsInvalid`,
 *    `PolicyRefused`);
 * 4. write, and return the stored value.
 *
 * Nothing is written when a step fails. A unit write is one
 * `HierarchyRepository.update`: steps 1–4 run on the hierarchy stored at that
 * moment while other unit writes wait, so two unit writes racing each other
 * both land (neither is lost).
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Building } from "./Building.js"
import type * as CaseCategory from "./CaseCategory.js"
import * as Coverage from "./Coverage.js"
import type { Department } from "./Department.js"
import { DepartmentRepository, type DepartmentsInvalid } from "./DepartmentRepository.js"
import type { Grid } from "./Grid.js"
import { type GridDataInvalid, GridRepository } from "./GridRepository.js"
import * as Hierarchy from "./Hierarchy.js"
import { HierarchyNotFound, HierarchyRepository, type HierarchyRows } from "./HierarchyRepository.js"
import { type PolicyRefused, PolicyRepository } from "./PolicyRepository.js"
import type * as Staffing from "./Staffing.js"
import type { StorageUnavailable } from "./Storage.js"
import type { Unit } from "./Unit.js"

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 管理对象 — the kind of record an administration write is about.
 *
 * @since 0.1.0
 * @category models
 */
export const Entity = Schema.Literal(
  "unit",
  "building",
  "grid",
  "person",
  "assignment",
  "department",
  "categories"
).annotations({ identifier: "AdministrationEntity", title: "管理对象 administered record" })

/**
 * @since 0.1.0
 * @category models
 */
export type Entity = typeof Entity.Type

/**
 * 超出辖区 — the write names a unit outside the scope's subtree (or replaces
 * a stored record that lies outside it): which record, which field and the
 * unit at fault (`unitId`), rule `jurisdiction`. Nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class OutsideJurisdiction extends Schema.TaggedError<OutsideJurisdiction>()("OutsideJurisdiction", {
  scopeId: Schema.String,
  entity: Entity,
  id: Schema.String,
  field: Schema.String,
  unitId: Schema.String
}) {
  /** The rule broken. */
  get rule(): "jurisdiction" {
    return "jurisdiction"
  }
  override get message(): string {
    return `超出辖区 outside the jurisdiction: ${this.entity} "${this.id}" ${this.field}: unit "${this.unitId}" is not within "${this.scopeId}" (rule jurisdiction)`
  }
}

/**
 * 层级变更被拒 — a unit write the hierarchy cannot take whatever the rows:
 * `second-root` 第二个根单元 (a unit without a parent besides the root).
 * Nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnitChangeRefused extends Schema.TaggedError<UnitChangeRefused>()("UnitChangeRefused", {
  unitId: Schema.String,
  field: Schema.Literal("parentId"),
  rule: Schema.Literal("second-root")
}) {
  override get message(): string {
    return `第二个根单元 unit "${this.unitId}" parentId: a hierarchy has exactly one root; give the unit a parent within your jurisdiction (rule second-root)`
  }
}

/**
 * 网格楼栋不在本社区 — a grid lists buildings it may not cover
 * (`Coverage.check` on the grid and the buildings it lists): a building of
 * another community (`foreign-building`) or a building listed twice
 * (`overlap`). Carries every violation; nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class GridCoverageRefused extends Schema.TaggedError<GridCoverageRefused>()("GridCoverageRefused", {
  gridId: Schema.String,
  violations: Schema.NonEmptyArray(Coverage.CoverageViolation)
}) {
  /** The field at fault. */
  get field(): "buildingIds" {
    return "buildingIds"
  }
  override get message(): string {
    return `网格楼栋无效 grid "${this.gridId}" buildingIds: ${this.violations.map((v) => v.message).join("; ")} (rule ${this.violations[0].rule})`
  }
}

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

type Scoped<A, E, R> = Effect.Effect<A, E | OutsideJurisdiction | HierarchyNotFound | StorageUnavailable, R>

const loadHierarchy = Effect.flatMap(HierarchyRepository, (repo) => repo.load)

/** Fails unless `unitId` lies within the scope's subtree. */
const within = (
  hierarchy: Hierarchy.Hierarchy,
  scopeId: string,
  entity: Entity,
  id: string,
  field: string,
  unitId: string
): Effect.Effect<void, OutsideJurisdiction> =>
  Hierarchy.isWithin(hierarchy, unitId, scopeId)
    ? Effect.void
    : Effect.fail(new OutsideJurisdiction({ scopeId, entity, id, field, unitId }))

/** The unit an assignment target belongs to: the unit itself, a grid's or building's community. */
const targetUnit = (
  target: Staffing.Target,
  grids: ReadonlyMap<string, Grid>,
  buildings: ReadonlyMap<string, Building>
): Option.Option<string> => {
  switch (target._tag) {
    case "Unit":
      return Option.some(target.unitId)
    case "Grid":
      return Option.map(Option.fromNullable(grids.get(target.gridId)), (g) => g.communityId)
    case "Building":
      return Option.map(Option.fromNullable(buildings.get(target.buildingId)), (b) => b.communityId)
  }
}

const targetField = (target: Staffing.Target): string => {
  switch (target._tag) {
    case "Unit":
      return "target.unitId"
    case "Grid":
      return "target.gridId"
    case "Building":
      return "target.buildingId"
  }
}

const byId = <A extends { readonly id: string }>(items: ReadonlyArray<A>): ReadonlyMap<string, A> =>
  new Map(items.map((a) => [a.id, a]))

/** Everything stored under the hierarchy's root (to look records up by id). */
const everything = (hierarchy: Hierarchy.Hierarchy) =>
  Effect.flatMap(GridRepository, (store) =>
    store
      .snapshot(Hierarchy.root(hierarchy).id)
      .pipe(
        Effect.catchTag("UnitNotFound", () =>
          Effect.succeed({ grids: [], buildings: [], people: [], assignments: [] })
        )
      )
  )

// ---------------------------------------------------------------------------
// use cases
// ---------------------------------------------------------------------------

/**
 * 单元 — creates a unit under a parent within the scope, or changes one
 * within it (its name, level, code, or — except for the scope unit — its
 * parent, to another unit within the scope). The whole hierarchy is
 * re-validated (`Hierarchy.make`: level order, code nesting, cycles …) and
 * saved in one `HierarchyRepository.update` (concurrent unit writes queue and
 * none is lost); returns the stored unit.
 *
 * @since 0.1.0
 * @category use cases
 */
export const putUnit = (
  scopeId: string,
  unit: Unit
): Scoped<Unit, Hierarchy.HierarchyInvalid | UnitChangeRefused, HierarchyRepository> =>
  Effect.gen(function* () {
    const repo = yield* HierarchyRepository
    const saved = yield* repo.update(
      (current): Either.Either<HierarchyRows, HierarchyNotFound | OutsideJurisdiction | UnitChangeRefused> =>
        Option.match(current, {
          onNone: () => Either.left(new HierarchyNotFound()),
          onSome: (hierarchy) =>
            Either.map(unitRows(hierarchy, scopeId, unit), (units) => ({ scheme: hierarchy.scheme, units }))
        })
    )
    return Option.getOrElse(Hierarchy.get(saved, unit.id), () => unit)
  })

/** The units of `hierarchy` with `unit` put in, when the scope may make that change. */
const unitRows = (
  hierarchy: Hierarchy.Hierarchy,
  scopeId: string,
  unit: Unit
): Either.Either<ReadonlyArray<Unit>, OutsideJurisdiction | UnitChangeRefused> => {
  const stored = Hierarchy.get(hierarchy, unit.id)
  if (Option.isSome(stored) && !Hierarchy.isWithin(hierarchy, unit.id, scopeId)) {
    return Either.left(
      new OutsideJurisdiction({ scopeId, entity: "unit", id: unit.id, field: "id", unitId: unit.id })
    )
  }
  const moved = Option.match(stored, { onNone: () => true, onSome: (u) => u.parentId !== unit.parentId })
  if (moved) {
    if (unit.parentId === null) {
      return Either.left(new UnitChangeRefused({ unitId: unit.id, field: "parentId", rule: "second-root" }))
    }
    if (!Hierarchy.isWithin(hierarchy, unit.parentId, scopeId)) {
      return Either.left(
        new OutsideJurisdiction({
          scopeId,
          entity: "unit",
          id: unit.id,
          field: "parentId",
          unitId: unit.parentId
        })
      )
    }
  }
  return Either.right(
    Option.isSome(stored)
      ? Hierarchy.units(hierarchy).map((u) => (u.id === unit.id ? unit : u))
      : [...Hierarchy.units(hierarchy), unit]
  )
}

/**
 * 楼栋 — creates or changes buildings: each one's community and compound
 * within the scope, and a stored building of the same id within it too; then
 * `GridRepository.putBuildings` (its write checks). Returns the buildings.
 *
 * @since 0.1.0
 * @category use cases
 */
export const putBuildings = (
  scopeId: string,
  buildings: ReadonlyArray<Building>
): Scoped<ReadonlyArray<Building>, GridDataInvalid, HierarchyRepository | GridRepository> =>
  Effect.gen(function* () {
    const hierarchy = yield* loadHierarchy
    const store = yield* GridRepository
    const stored = byId((yield* everything(hierarchy)).buildings)
    for (const b of buildings) {
      const before = stored.get(b.id)
      if (before !== undefined) yield* within(hierarchy, scopeId, "building", b.id, "id", before.communityId)
      yield* within(hierarchy, scopeId, "building", b.id, "communityId", b.communityId)
      if (b.compoundId !== undefined) {
        yield* within(hierarchy, scopeId, "building", b.id, "compoundId", b.compoundId)
      }
    }
    yield* store.putBuildings(buildings)
    return buildings
  })

/**
 * 网格 — creates or changes a grid: its community within the scope (and a
 * stored grid of the same id within it too); the buildings it lists must be
 * of its own community, each once (`Coverage.check`: `GridCoverageRefused`);
 * then `GridRepository.putGrids` (unknown buildings, unknown community).
 * Coverage across the community's grids (gaps, overlaps between grids) is not
 * refused: grids are drawn one at a time (see `GridRepository`). Returns the grid.
 *
 * @since 0.1.0
 * @category use cases
 */
export const putGrid = (
  scopeId: string,
  grid: Grid
): Scoped<Grid, GridDataInvalid | GridCoverageRefused, HierarchyRepository | GridRepository> =>
  Effect.gen(function* () {
    const hierarchy = yield* loadHierarchy
    const store = yield* GridRepository
    const before = yield* store.grid(grid.id).pipe(
      Effect.asSome,
      Effect.catchTag("GridNotFound", () => Effect.succeedNone)
    )
    if (Option.isSome(before)) {
      yield* within(hierarchy, scopeId, "grid", grid.id, "id", before.value.communityId)
    }
    yield* within(hierarchy, scopeId, "grid", grid.id, "communityId", grid.communityId)
    const listed = new Set(grid.buildingIds)
    const buildings = (yield* everything(hierarchy)).buildings.filter((b) => listed.has(b.id))
    const violations = Coverage.check(buildings, [grid]).violations.filter(
      (v) => v.rule === "foreign-building" || v.rule === "overlap"
    )
    if (Arr.isNonEmptyReadonlyArray(violations)) {
      return yield* Effect.fail(new GridCoverageRefused({ gridId: grid.id, violations }))
    }
    yield* store.putGrids([grid])
    return grid
  })

/**
 * 人员 — creates or changes a staff member. A person who holds assignments
 * is changed only when every one of them lies within the scope (the grid's or
 * building's community, or the unit). Then `GridRepository.putPeople`.
 * Returns the person.
 *
 * @since 0.1.0
 * @category use cases
 */
export const putPerson = (
  scopeId: string,
  person: Staffing.Person
): Scoped<Staffing.Person, GridDataInvalid, HierarchyRepository | GridRepository> =>
  Effect.gen(function* () {
    const hierarchy = yield* loadHierarchy
    const store = yield* GridRepository
    const snapshot = yield* everything(hierarchy)
    const grids = byId(snapshot.grids)
    const buildings = byId(snapshot.buildings)
    for (const a of snapshot.assignments) {
      if (a.personId !== person.id) continue
      const unit = targetUnit(a.target, grids, buildings)
      if (Option.isSome(unit)) yield* within(hierarchy, scopeId, "person", person.id, "id", unit.value)
    }
    yield* store.putPeople([person])
    return person
  })

const checkTarget = (scopeId: string, assignment: Staffing.Assignment) =>
  Effect.gen(function* () {
    const hierarchy = yield* loadHierarchy
    const snapshot = yield* everything(hierarchy)
    const unit = targetUnit(assignment.target, byId(snapshot.grids), byId(snapshot.buildings))
    const id = `${assignment.personId}/${assignment.role}`
    // an unknown grid or building is the store's to report (`unknown-grid`, `unknown-building`)
    if (Option.isSome(unit)) {
      yield* within(hierarchy, scopeId, "assignment", id, targetField(assignment.target), unit.value)
    }
  })

/**
 * 任职 — assigns a person a role at a target within the scope (a grid or
 * building of a community within it, or a unit within it); then
 * `GridRepository.assign` (known person and target, a target the role may
 * have, not already assigned). Returns the assignment.
 *
 * @since 0.1.0
 * @category use cases
 */
export const assign = (
  scopeId: string,
  assignment: Staffing.Assignment
): Scoped<Staffing.Assignment, GridDataInvalid, HierarchyRepository | GridRepository> =>
  Effect.gen(function* () {
    yield* checkTarget(scopeId, assignment)
    yield* Effect.flatMap(GridRepository, (store) => store.assign([assignment]))
    return assignment
  })

/**
 * 免职 — removes an assignment to a target within the scope; returns how many
 * were stored (0 or 1).
 *
 * @since 0.1.0
 * @category use cases
 */
export const unassign = (
  scopeId: string,
  assignment: Staffing.Assignment
): Scoped<number, never, HierarchyRepository | GridRepository> =>
  Effect.gen(function* () {
    yield* checkTarget(scopeId, assignment)
    return yield* Effect.flatMap(GridRepository, (store) => store.unassign([assignment]))
  })

/**
 * 职能部门 — registers or changes a department whose jurisdiction lies within
 * the scope (a stored department of the same id too); then
 * `DepartmentRepository.put` (a known jurisdiction unit). Returns the department.
 *
 * @since 0.1.0
 * @category use cases
 */
export const putDepartment = (
  scopeId: string,
  department: Department
): Scoped<Department, DepartmentsInvalid, HierarchyRepository | DepartmentRepository> =>
  Effect.gen(function* () {
    const hierarchy = yield* loadHierarchy
    const departments = yield* DepartmentRepository
    const before = yield* departments.get(department.id)
    if (Option.isSome(before)) {
      yield* within(hierarchy, scopeId, "department", department.id, "id", before.value.jurisdiction)
    }
    yield* within(hierarchy, scopeId, "department", department.id, "jurisdiction", department.jurisdiction)
    yield* departments.put([department])
    return department
  })

/**
 * 案件分类 — replaces the stored category catalogue (`PolicyRepository.putCatalogue`:
 * a valid tree, and the stored routing table and time limits still naming
 * only its categories — `PolicyRefused` otherwise). The catalogue serves the
 * whole hierarchy, so only a scope at its root may replace it. Returns the rows.
 * (An app reading its policies when it starts — `SqlRepositories.layer` —
 * routes with the new catalogue after its next start.)
 *
 * @since 0.1.0
 * @category use cases
 */
export const putCategories = (
  scopeId: string,
  rows: ReadonlyArray<CaseCategory.Category>
): Scoped<ReadonlyArray<CaseCategory.Category>, PolicyRefused, HierarchyRepository | PolicyRepository> =>
  Effect.gen(function* () {
    const hierarchy = yield* loadHierarchy
    const root = Hierarchy.root(hierarchy).id
    if (root !== scopeId) {
      return yield* Effect.fail(
        new OutsideJurisdiction({
          scopeId,
          entity: "categories",
          id: "catalogue",
          field: "scope",
          unitId: root
        })
      )
    }
    yield* Effect.flatMap(PolicyRepository, (policies) => policies.putCatalogue(rows))
    return rows
  })
