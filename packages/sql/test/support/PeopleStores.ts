/**
 * The stores the people suites run against: the core's in-memory
 * `PeopleRepository` and `SqlPeopleRepository` on every dialect in `dialects`
 * (a fresh, migrated database per layer build), each with its hierarchy; the
 * SQL targets also expose their client (to look at raw columns).
 */
import { randomBytes } from "node:crypto"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as PeopleRepository from "@civicgrid/core/PeopleRepository"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Migrations from "../../src/Migrations.js"
import * as PeopleCipher from "../../src/PeopleCipher.js"
import * as SqlHierarchyRepository from "../../src/SqlHierarchyRepository.js"
import * as SqlPeopleRepository from "../../src/SqlPeopleRepository.js"
import { type Dialect, dialects } from "./Databases.js"

/** The ports a people suite uses. */
export type PeopleStores = HierarchyRepository.HierarchyRepository | PeopleRepository.PeopleRepository

/** A 32-byte key as base64, fresh for each call. */
export const newKey = (): Redacted.Redacted<string> => Redacted.make(randomBytes(32).toString("base64"))

/** A keyring of the given key ids (fresh keys), the first current. */
export const keyring = (...ids: ReadonlyArray<string>): PeopleCipher.Keyring =>
  Either.getOrThrow(
    PeopleCipher.makeKeyring(
      ids[0] ?? "k1",
      ids.map((id) => ({ id, key: newKey() }))
    )
  )

/** A people store under test. */
export interface PeopleTarget {
  readonly name: "memory" | Dialect["name"]
  readonly layer: (settings?: PeopleRepository.Settings) => Layer.Layer<PeopleStores>
}

/** An SQL people store under test, with its client. */
export interface SqlPeopleTarget {
  readonly name: Dialect["name"]
  readonly layer: (options?: {
    readonly settings?: PeopleRepository.Settings
    readonly keyring?: PeopleCipher.Keyring
  }) => Layer.Layer<PeopleStores | SqlClient.SqlClient>
}

/** The in-memory store. */
export const memory: PeopleTarget = {
  name: "memory",
  layer: (settings) =>
    PeopleRepository.layerMemory(settings).pipe(Layer.provideMerge(HierarchyRepository.layerMemory))
}

/** The SQL store on one dialect: a fresh database, migrated. */
export const sqlPeopleTarget = (dialect: Dialect): SqlPeopleTarget => ({
  name: dialect.name,
  layer: (options) => {
    const migrated = Layer.effectDiscard(Effect.orDie(Migrations.run)).pipe(
      Layer.provideMerge(dialect.fresh())
    )
    return SqlPeopleRepository.layer({
      ...options?.settings,
      keyring: options?.keyring ?? keyring("k1")
    }).pipe(Layer.provideMerge(SqlHierarchyRepository.layer), Layer.provideMerge(migrated))
  }
})

/** The SQL targets: SQLite always, PostgreSQL when configured. */
export const sqlPeopleTargets: ReadonlyArray<SqlPeopleTarget> = dialects.map(sqlPeopleTarget)

/** Every target: memory, then the SQL dialects. */
export const peopleTargets: ReadonlyArray<PeopleTarget> = [
  memory,
  ...sqlPeopleTargets.map(
    (t): PeopleTarget => ({
      name: t.name,
      layer: (settings) => t.layer(settings === undefined ? {} : { settings })
    })
  )
]
