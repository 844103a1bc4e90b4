/**
 * 职能部门仓库（SQL） — the core's `DepartmentRepository` on `@effect/sql`,
 * the same code for SQLite and PostgreSQL (table `cg_departments`, migration
 * 0010). A write checks the departments with the core (`DepartmentRepository.check`,
 * the jurisdictions looked up in `cg_units`) and upserts them.
 *
 * @since 0.1.0
 */
import { DepartmentId } from "@civicgrid/core/Actor"
import type { Department } from "@civicgrid/core/Department"
import * as DepartmentRepository from "@civicgrid/core/DepartmentRepository"
import { UnitId } from "@civicgrid/core/Unit"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { orUnavailable } from "./internal/support.js"

interface Row {
  readonly id: string
  readonly name: string
  readonly name_en: string
  readonly jurisdiction: string
}

const departmentOf = (row: Row): Department => ({
  id: DepartmentId.make(row.id),
  name: row.name,
  nameEn: row.name_en,
  jurisdiction: UnitId.make(row.jurisdiction)
})

/**
 * Builds the SQL department store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  DepartmentRepository.DepartmentRepository["Type"],
  never,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return DepartmentRepository.DepartmentRepository.of({
    put: (departments) =>
      Effect.gen(function* () {
        const ids = [...new Set(departments.map((d) => d.jurisdiction))]
        const found =
          ids.length === 0
            ? []
            : yield* sql<{ readonly id: string }>`SELECT id FROM cg_units WHERE ${sql.in("id", ids)}`.pipe(
                orUnavailable
              )
        const units = new Set(found.map((row) => row.id))
        const error = DepartmentRepository.toError(
          DepartmentRepository.check((id) => units.has(id), departments)
        )
        if (error !== undefined) return yield* Effect.fail(error)
        if (departments.length === 0) return
        const rows = departments.map((d) => ({
          id: d.id,
          name: d.name,
          name_en: d.nameEn,
          jurisdiction: d.jurisdiction
        }))
        yield* sql`INSERT INTO cg_departments ${sql.insert(rows)}
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
          jurisdiction = excluded.jurisdiction`.pipe(orUnavailable)
      }).pipe(Effect.withSpan("SqlDepartmentRepository.put")),
    get: (departmentId) =>
      sql<Row>`SELECT id, name, name_en, jurisdiction FROM cg_departments WHERE id = ${departmentId}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), departmentOf)),
        orUnavailable,
        Effect.withSpan("SqlDepartmentRepository.get")
      ),
    list: sql<Row>`SELECT id, name, name_en, jurisdiction FROM cg_departments ORDER BY id`.pipe(
      Effect.map((rows) => rows.map(departmentOf)),
      orUnavailable,
      Effect.withSpan("SqlDepartmentRepository.list")
    )
  })
})

/**
 * The SQL department store as a Layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<DepartmentRepository.DepartmentRepository, never, SqlClient.SqlClient> =
  Layer.effect(DepartmentRepository.DepartmentRepository, make)
