/**
 * An in-process civicgrid server for the client's tests: the HTTP API
 * (`Server.layer` over `SqlRepositories.layer`) on SQLite in memory, migrated (`Migrations.run`), with a
 * small saved hierarchy (区 → 街道 → two 社区, a 小区 and a 楼栋 in the first),
 * the standard departments registered for the district
 * and in-memory bearer tokens (`Authorization.layerMemory`), served on an
 * ephemeral port (`NodeHttpServer.layerTest`, which also provides the
 * `HttpClient` pointed at it).
 */
import * as Department from "@civicgrid/core/Department"
import { DepartmentRepository } from "@civicgrid/core/DepartmentRepository"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import * as Authorization from "@civicgrid/http/Authorization"
import * as Principal from "@civicgrid/http/Principal"
import * as Server from "@civicgrid/http/Server"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Tokens } from "../src/flow.js"

/** 示范区 → 金星街道 → 金星社区 (金星苑, 3 栋) and 金康社区. */
export const units: ReadonlyArray<Unit.Unit> = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "示范区" }),
  Unit.make({ id: "s", parentId: "d", level: "street", name: "金星街道" }),
  Unit.make({ id: "c1", parentId: "s", level: "community", name: "金星社区" }),
  Unit.make({ id: "c1-k", parentId: "c1", level: "compound", name: "金星苑" }),
  Unit.make({ id: "c1-k-3", parentId: "c1-k", level: "building", name: "金星苑3栋" }),
  Unit.make({ id: "c2", parentId: "s", level: "community", name: "金康社区" })
]

/** The principals behind the test tokens (shaped like the street-office demo tokens). */
export const principals = {
  "t-grid-worker": Principal.make({ id: "gw-c1", role: "grid-worker", unitId: "c1" }),
  "t-community-staff": Principal.make({ id: "cs-c1", role: "community-staff", unitId: "c1" }),
  "t-other-staff": Principal.make({ id: "cs-c2", role: "community-staff", unitId: "c2" }),
  "t-department": Principal.make({
    id: "dept-drainage",
    role: "department",
    unitId: "d",
    departmentId: "drainage"
  }),
  "t-resident": Principal.make({ id: "r-wang", role: "resident", unitId: "c1-k-3" })
} as const

/** The tokens of the loop's four roles. */
export const tokens: Tokens = {
  reporter: "t-grid-worker",
  communityStaff: "t-community-staff",
  department: "t-department",
  resident: "t-resident"
}

/** The server, its migrated and seeded database, and the `HttpClient` pointed at it. */
export const layer = () => {
  const migrated = Layer.effectDiscard(Migrations.run).pipe(
    Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" }))
  )
  const stores = SqlRepositories.layer().pipe(Layer.provideMerge(migrated))
  const prepared = Layer.effectDiscard(
    Effect.gen(function* () {
      const hierarchies = yield* HierarchyRepository
      yield* hierarchies.save(LevelScheme.FiveLevel, units)
      // the departments cases are dispatched to (排水公司 drainage …), serving the whole district
      const departments = yield* DepartmentRepository
      yield* departments.put(Department.fromStandard(Unit.UnitId.make("d")))
    })
  ).pipe(Layer.provideMerge(stores))
  return Server.layer().pipe(
    Layer.provide(Authorization.layerMemory(new Map(Object.entries(principals)))),
    Layer.provide(prepared),
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.orDie
  )
}
