/**
 * 基础数据管理接口实现 — the `admin` group of the `Api` over the core's
 * `Administration` use cases. Each handler decodes (the contract does),
 * checks the principal's role, calls ONE use case with the principal's
 * jurisdiction unit as the scope, and maps the use case's typed errors:
 *
 * | core error | answer |
 * | --- | --- |
 * | a role other than `admin` / `district-staff` | 403 `Forbidden`, rule `admin-role` |
 * | `OutsideJurisdiction` | 403 `Forbidden`, rule `jurisdiction`, its field |
 * | `HierarchyInvalid`, `UnitChangeRefused`, `GridDataInvalid`, `GridCoverageRefused`, `DepartmentsInvalid`, `PolicyRefused` | 422 `DataInvalid`, every violation with its field and rule |
 * | `HierarchyNotFound` (nothing saved yet) | 404 `NotFound`, resource `hierarchy` |
 * | an assignment to remove that is not stored | 404 `NotFound`, resource `assignment` |
 * | `StorageUnavailable` | 503 with `Retry-After` |
 *
 * @since 0.1.0
 */
import * as Administration from "@civicgrid/core/Administration"
import type * as Coverage from "@civicgrid/core/Coverage"
import type { DepartmentRepository, DepartmentsInvalid } from "@civicgrid/core/DepartmentRepository"
import {
  assignmentId,
  type GridDataInvalid,
  type GridDataViolation,
  type GridRepository
} from "@civicgrid/core/GridRepository"
import type * as Hierarchy from "@civicgrid/core/Hierarchy"
import type { HierarchyNotFound, HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import type { PolicyRefused, PolicyRepository } from "@civicgrid/core/PolicyRepository"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type { UnitId } from "@civicgrid/core/Unit"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Api, DataInvalid, type DataViolation, Forbidden, NotFound } from "./Api.js"
import type { Authorization } from "./Authorization.js"
import * as BodyGuard from "./BodyGuard.js"
import { CurrentPrincipal, jurisdictionOf, type Principal, type Role } from "./Principal.js"

/**
 * 管理角色 — the roles that administer base data.
 *
 * @since 0.1.0
 * @category constants
 */
export const adminRoles: ReadonlySet<Role> = new Set<Role>(["admin", "district-staff"])

/**
 * 管理范围 — the unit whose subtree the principal administers (its
 * jurisdiction), or `Forbidden` (rule `admin-role`) for a role that does not
 * administer base data.
 *
 * @since 0.1.0
 * @category getters
 */
export const scopeOf = (principal: Principal): Effect.Effect<UnitId, Forbidden> => {
  const scope = jurisdictionOf(principal)
  return adminRoles.has(principal.role) && scope !== undefined
    ? Effect.succeed(scope)
    : Effect.fail(
        new Forbidden({
          rule: "admin-role",
          field: "role",
          message: `无权管理基础数据 role "${principal.role}" does not administer base data: only admin and district-staff do (rule admin-role)`
        })
      )
}

type Entity = Administration.Entity

/** The field of a unit row a hierarchy rule is about. */
const hierarchyField: Record<Hierarchy.HierarchyRule, string> = {
  "duplicate-id": "id",
  "missing-parent": "parentId",
  cycle: "parentId",
  "several-roots": "parentId",
  "no-root": "parentId",
  "unknown-level": "level",
  "level-order": "level",
  "area-code": "code",
  "code-nesting": "code"
}

/** The field of a written record a grid data rule is about. */
const gridDataField = (v: GridDataViolation): string => {
  switch (v.rule) {
    case "duplicate-id":
      return "id"
    case "unknown-unit":
      return v.entity === "assignment" ? "target.unitId" : "communityId"
    case "unknown-building":
      return v.entity === "grid" ? "buildingIds" : "target.buildingId"
    case "unknown-grid":
      return "target.gridId"
    case "unknown-person":
      return "personId"
    case "duplicate-assignment":
      return "target"
    case "role-target":
      return "role"
    case "class-without-membership":
      return "partyMemberClass"
  }
}

/** `DataInvalid` naming the first violation (an error with none is answered with `fallback`). */
const dataInvalid = (
  entity: Entity,
  violations: ReadonlyArray<DataViolation>,
  summary: string,
  fallback: DataViolation = { id: "", field: "", rule: "", message: "" }
): DataInvalid => {
  const [first = fallback, ...rest] = violations
  return new DataInvalid({
    entity,
    field: first.field,
    rule: first.rule,
    violations: [first, ...rest],
    message: `数据无效 ${summary}`
  })
}

type AdminError =
  | Administration.OutsideJurisdiction
  | Administration.UnitChangeRefused
  | Administration.GridCoverageRefused
  | Hierarchy.HierarchyInvalid
  | GridDataInvalid
  | DepartmentsInvalid
  | PolicyRefused
  | HierarchyNotFound
  | StorageUnavailable

const coverageViolation = (gridId: string, v: Coverage.CoverageViolation): DataViolation => ({
  id: gridId,
  field: "buildingIds",
  rule: v.rule,
  message: v.message
})

/**
 * The answer to a use case's typed error (see the module note); a store that
 * cannot serve stays `StorageUnavailable` (503).
 *
 * @since 0.1.0
 * @category utils
 */
export const toResponse = (
  entity: Entity,
  error: AdminError
): Forbidden | DataInvalid | NotFound | StorageUnavailable => {
  switch (error._tag) {
    case "StorageUnavailable":
      return error
    case "OutsideJurisdiction":
      return new Forbidden({ rule: "jurisdiction", field: error.field, message: error.message })
    case "HierarchyNotFound":
      return new NotFound({ resource: "hierarchy", id: "hierarchy", message: error.message })
    case "UnitChangeRefused":
      return dataInvalid(
        entity,
        [{ id: error.unitId, field: error.field, rule: error.rule, message: error.message }],
        error.message
      )
    case "HierarchyInvalid": {
      return dataInvalid(
        entity,
        error.violations.map(
          (v): DataViolation => ({
            id: v.unitId ?? "",
            field: hierarchyField[v.rule],
            rule: v.rule,
            message: v.message
          })
        ),
        error.message
      )
    }
    case "GridCoverageRefused": {
      return dataInvalid(
        entity,
        error.violations.map((v) => coverageViolation(error.gridId, v)),
        error.message,
        { id: error.gridId, field: "buildingIds", rule: "", message: "" }
      )
    }
    case "GridDataInvalid": {
      return dataInvalid(
        entity,
        error.violations.map(
          (v): DataViolation => ({ id: v.id, field: gridDataField(v), rule: v.rule, message: v.message })
        ),
        error.message
      )
    }
    case "PolicyRefused": {
      // a schema violation's subject is the path of the bad field; any other names a category
      return dataInvalid(
        entity,
        error.violations.map(
          (v): DataViolation => ({
            id: v.subject,
            field: v.rule === "schema" ? v.subject : "categories",
            rule: v.rule,
            message: v.message
          })
        ),
        error.message
      )
    }
    case "DepartmentsInvalid": {
      return dataInvalid(
        entity,
        error.violations.map(
          (v): DataViolation => ({ id: v.departmentId, field: v.field, rule: v.rule, message: v.message })
        ),
        error.message
      )
    }
  }
}

/**
 * The `admin` group of the `Api`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "admin">,
  never,
  HierarchyRepository | GridRepository | DepartmentRepository | PolicyRepository | Authorization
> = HttpApiBuilder.group(Api, "admin", (handlers) =>
  Effect.gen(function* () {
    const context = yield* Effect.context<
      HierarchyRepository | GridRepository | DepartmentRepository | PolicyRepository
    >()
    /** Runs one use case in the principal's scope, its errors answered as the module note says. */
    const run = <A>(
      entity: Entity,
      useCase: (
        scope: UnitId
      ) => Effect.Effect<
        A,
        AdminError,
        HierarchyRepository | GridRepository | DepartmentRepository | PolicyRepository
      >
    ) =>
      Effect.gen(function* () {
        const scope = yield* Effect.flatMap(CurrentPrincipal, scopeOf)
        return yield* useCase(scope).pipe(
          Effect.provide(context),
          Effect.mapError((e) => toResponse(entity, e))
        )
      })
    return handlers
      .handle("putUnit", ({ path, payload }) =>
        run("unit", (scope) => Administration.putUnit(scope, { ...payload, id: path.unitId }))
      )
      .handle("putBuilding", ({ path, payload }) =>
        run("building", (scope) =>
          Effect.map(Administration.putBuildings(scope, [{ ...payload, id: path.buildingId }]), (stored) =>
            stored[0] === undefined ? { ...payload, id: path.buildingId } : stored[0]
          )
        )
      )
      .handle("putGrid", ({ path, payload }) =>
        run("grid", (scope) => Administration.putGrid(scope, { ...payload, id: path.gridId }))
      )
      .handle("putPerson", ({ path, payload }) =>
        run("person", (scope) => Administration.putPerson(scope, { ...payload, id: path.personId }))
      )
      .handle("assign", ({ payload }) => run("assignment", (scope) => Administration.assign(scope, payload)))
      .handle("unassign", ({ payload }) =>
        Effect.flatMap(
          run("assignment", (scope) => Administration.unassign(scope, payload)),
          (removed): Effect.Effect<typeof payload, NotFound> =>
            removed > 0
              ? Effect.succeed(payload)
              : Effect.fail(
                  new NotFound({
                    resource: "assignment",
                    id: assignmentId(payload),
                    message: "任职不存在 no such assignment"
                  })
                )
        )
      )
      .handle("putCategories", ({ payload }) =>
        run("categories", (scope) => Administration.putCategories(scope, payload))
      )
      .handle("putDepartment", ({ path, payload }) =>
        run("department", (scope) =>
          Administration.putDepartment(scope, { ...payload, id: path.departmentId })
        )
      )
  })
).pipe(Layer.provide(BodyGuard.layer))
