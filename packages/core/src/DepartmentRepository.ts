/**
 * 职能部门仓库 — the port through which the registered functional departments
 * (`Department`) are stored. The core declares it; `@civicgrid/sql` implements
 * it, `layerMemory` keeps it in memory. `CaseService` reads it to check a
 * dispatch to a department.
 *
 * `put` validates every department against the stored hierarchy (its
 * jurisdiction must be a known unit; an id at most once per write) and
 * upserts them by id in one write; on `DepartmentsInvalid` nothing is written.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type { Department } from "./Department.js"
import * as Hierarchy from "./Hierarchy.js"
import { HierarchyRepository } from "./HierarchyRepository.js"
import type { StorageUnavailable } from "./Storage.js"

/**
 * 部门数据问题 — one violation of a department write: `duplicate-id` an id twice
 * in one write, `unknown-unit` a jurisdiction the hierarchy does not have.
 *
 * @since 0.1.0
 * @category errors
 */
export const DepartmentViolation = Schema.Struct({
  departmentId: Schema.String,
  field: Schema.Literal("id", "jurisdiction"),
  rule: Schema.Literal("duplicate-id", "unknown-unit"),
  message: Schema.String
}).annotations({ identifier: "DepartmentViolation", title: "部门数据问题 department violation" })

/**
 * @since 0.1.0
 * @category errors
 */
export interface DepartmentViolation extends Schema.Schema.Type<typeof DepartmentViolation> {}

/**
 * 部门数据无效 — a department write refused, with every violation; nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class DepartmentsInvalid extends Schema.TaggedError<DepartmentsInvalid>()("DepartmentsInvalid", {
  violations: Schema.NonEmptyArray(DepartmentViolation)
}) {
  override get message(): string {
    return `部门数据无效 invalid departments: ${this.violations.map((v) => `${v.departmentId}.${v.field} [${v.rule}] ${v.message}`).join("; ")}`
  }
}

/**
 * The violations of a department write (empty when it is valid), given which
 * unit ids the hierarchy has.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (
  isUnit: (unitId: string) => boolean,
  departments: ReadonlyArray<Department>
): ReadonlyArray<DepartmentViolation> => {
  const out: Array<DepartmentViolation> = []
  const seen = new Set<string>()
  for (const d of departments) {
    if (seen.has(d.id)) {
      out.push({
        departmentId: d.id,
        field: "id",
        rule: "duplicate-id",
        message: `部门标识重复 department id ${d.id} appears twice in one write`
      })
    }
    seen.add(d.id)
    if (!isUnit(d.jurisdiction)) {
      out.push({
        departmentId: d.id,
        field: "jurisdiction",
        rule: "unknown-unit",
        message: `辖区单元不存在 the jurisdiction unit ${d.jurisdiction} is not in the hierarchy`
      })
    }
  }
  return out
}

/**
 * The violations as an error, or undefined when there are none.
 *
 * @since 0.1.0
 * @category validation
 */
export const toError = (violations: ReadonlyArray<DepartmentViolation>): DepartmentsInvalid | undefined => {
  const [first, ...rest] = violations
  return first === undefined ? undefined : new DepartmentsInvalid({ violations: [first, ...rest] })
}

/**
 * 职能部门仓库 — the port.
 *
 * @since 0.1.0
 * @category tags
 */
export class DepartmentRepository extends Context.Tag("@civicgrid/core/DepartmentRepository")<
  DepartmentRepository,
  {
    /** Validates and upserts the departments by id, all or nothing. */
    readonly put: (
      departments: ReadonlyArray<Department>
    ) => Effect.Effect<void, DepartmentsInvalid | StorageUnavailable>
    /** One department by id. */
    readonly get: (departmentId: string) => Effect.Effect<Option.Option<Department>, StorageUnavailable>
    /** Every registered department, in id order. */
    readonly list: Effect.Effect<ReadonlyArray<Department>, StorageUnavailable>
  }
>() {}

/**
 * An in-memory department store over a `HierarchyRepository`: each layer build
 * starts empty.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<DepartmentRepository, never, HierarchyRepository> = Layer.effect(
  DepartmentRepository,
  Effect.gen(function* () {
    const hierarchies = yield* HierarchyRepository
    const store = yield* Ref.make(new Map<string, Department>())
    return DepartmentRepository.of({
      put: (departments) =>
        Effect.gen(function* () {
          const hierarchy = yield* Effect.catchTag(
            Effect.asSome(hierarchies.load),
            "HierarchyNotFound",
            () => Effect.succeedNone
          )
          const isUnit = (id: string) =>
            Option.match(hierarchy, { onNone: () => false, onSome: (h) => Hierarchy.has(h, id) })
          const error = toError(check(isUnit, departments))
          if (error !== undefined) return yield* Effect.fail(error)
          yield* Ref.update(store, (m) => {
            const next = new Map(m)
            for (const d of departments) next.set(d.id, d)
            return next
          })
        }),
      get: (departmentId) => Effect.map(Ref.get(store), (m) => Option.fromNullable(m.get(departmentId))),
      list: Effect.map(Ref.get(store), (m) =>
        [...m.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      )
    })
  })
)
