/**
 * The stores a non-case conformance suite runs against: the core's in-memory
 * layers and the SQL layers on every dialect in `dialects` (a fresh, migrated
 * database per layer build).
 */

import * as GridRepository from "@civicgrid/core/GridRepository"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as ListRepository from "@civicgrid/core/ListRepository"
import * as SurveyRepository from "@civicgrid/core/SurveyRepository"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Migrations from "../../src/Migrations.js"
import * as SqlGridRepository from "../../src/SqlGridRepository.js"
import * as SqlHierarchyRepository from "../../src/SqlHierarchyRepository.js"
import * as SqlListRepository from "../../src/SqlListRepository.js"
import * as SqlSurveyRepository from "../../src/SqlSurveyRepository.js"
import { type Dialect, dialects } from "./Databases.js"

/** Every non-case store. */
export type Stores =
  | HierarchyRepository.HierarchyRepository
  | GridRepository.GridRepository
  | ListRepository.ListRepository
  | SurveyRepository.SurveyRepository

/** A store implementation under test. */
export interface Target {
  readonly name: "memory" | Dialect["name"]
  /** Fresh, empty stores (a new database for SQL). */
  readonly layer: () => Layer.Layer<Stores>
}

/** An SQL store under test, with its client (for fault injection). */
export interface SqlTarget {
  readonly name: Dialect["name"]
  readonly layer: () => Layer.Layer<Stores | SqlClient.SqlClient>
}

/** The in-memory stores. */
export const memory: Target = {
  name: "memory",
  layer: () =>
    Layer.mergeAll(GridRepository.layerMemory, ListRepository.layerMemory, SurveyRepository.layerMemory).pipe(
      Layer.provideMerge(HierarchyRepository.layerMemory)
    )
}

const sqlStores = Layer.mergeAll(
  SqlHierarchyRepository.layer,
  SqlGridRepository.layer,
  SqlListRepository.layer,
  SqlSurveyRepository.layer
)

/** The SQL stores on one dialect: a fresh database, migrated. */
export const sqlTarget = (dialect: Dialect): SqlTarget => ({
  name: dialect.name,
  layer: () => {
    const migrated = Layer.effectDiscard(Effect.orDie(Migrations.run)).pipe(
      Layer.provideMerge(dialect.fresh())
    )
    return sqlStores.pipe(Layer.provideMerge(migrated))
  }
})

/** The SQL targets: SQLite always, PostgreSQL when configured. */
export const sqlTargets: ReadonlyArray<SqlTarget> = dialects.map(sqlTarget)

/** Every target: memory, then the SQL dialects. */
export const targets: ReadonlyArray<Target> = [memory, ...sqlTargets]
