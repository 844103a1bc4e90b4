/**
 * The stores the organisation suites run against: the core's in-memory
 * `OrganizationRepository` and `SqlOrganizationRepository` on every dialect in
 * `dialects` (a fresh, migrated database per layer build), each with its hierarchy.
 */
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as OrganizationRepository from "@civicgrid/core/OrganizationRepository"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Migrations from "../../src/Migrations.js"
import * as SqlHierarchyRepository from "../../src/SqlHierarchyRepository.js"
import * as SqlOrganizationRepository from "../../src/SqlOrganizationRepository.js"
import { type Dialect, dialects } from "./Databases.js"

/** The ports an organisation suite uses. */
export type OrganizationStores =
  | HierarchyRepository.HierarchyRepository
  | OrganizationRepository.OrganizationRepository

/** An organisation store under test. */
export interface OrganizationTarget {
  readonly name: "memory" | Dialect["name"]
  readonly layer: () => Layer.Layer<OrganizationStores>
}

/** The in-memory store. */
export const memory: OrganizationTarget = {
  name: "memory",
  layer: () => OrganizationRepository.layerMemory.pipe(Layer.provideMerge(HierarchyRepository.layerMemory))
}

/** The SQL store on one dialect: a fresh database, migrated. */
export const sqlOrganizationTarget = (dialect: Dialect): OrganizationTarget => ({
  name: dialect.name,
  layer: () => {
    const migrated = Layer.effectDiscard(Effect.orDie(Migrations.run)).pipe(
      Layer.provideMerge(dialect.fresh())
    )
    return SqlOrganizationRepository.layer.pipe(
      Layer.provideMerge(SqlHierarchyRepository.layer),
      Layer.provideMerge(migrated)
    )
  }
})

/** Every target: memory, then the SQL dialects (SQLite always, PostgreSQL when configured). */
export const organizationTargets: ReadonlyArray<OrganizationTarget> = [
  memory,
  ...dialects.map(sqlOrganizationTarget)
]
