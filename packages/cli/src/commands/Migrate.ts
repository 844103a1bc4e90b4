/**
 * 数据库迁移 — `civicgrid migrate`: applies the schema migrations of
 * `@civicgrid/sql` (`Migrations.run`) to the database and prints the ones it
 * applied and the version the database is at. Running it again applies
 * nothing. A database migrated by a newer civicgrid is refused
 * (`DatabaseTooNew`) before anything is touched.
 *
 * @since 0.1.0
 */
import type * as Database from "@civicgrid/demo/Database"
import type * as Migrations from "@civicgrid/sql/Migrations"
import * as Command from "@effect/cli/Command"
import type * as Path from "@effect/platform/Path"
import type { MigrationError } from "@effect/sql/Migrator"
import type { SqlError } from "@effect/sql/SqlError"
import type { ConfigError } from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as DatabaseOption from "../DatabaseOption.js"
import { withExamples } from "../internal/help.js"

/**
 * 迁移结果 — the migrations applied now (`[id, name]`, in order) and the
 * database's version afterwards.
 *
 * @since 0.1.0
 * @category models
 */
export interface Migrated {
  readonly applied: ReadonlyArray<readonly [id: number, name: string]>
  readonly version: number
  readonly latest: number
}

/**
 * The key of a migration as `Migrations.migrations` names it: `0001_hierarchy`.
 *
 * @since 0.1.0
 * @category utils
 */
export const migrationKey = ([id, name]: readonly [number, string]): string =>
  `${String(id).padStart(4, "0")}_${name}`

/**
 * What `migrate` prints for a result.
 *
 * @since 0.1.0
 * @category utils
 */
export const report = (result: Migrated): ReadonlyArray<string> => [
  ...(result.applied.length === 0
    ? ["无需迁移 nothing to apply: the database is up to date"]
    : result.applied.map((m) => `已应用 applied ${migrationKey(m)}`)),
  `数据库版本 database version ${result.version} (this civicgrid knows ${result.latest})`
]

/**
 * 迁移 — migrates the database `--database` / `CIVICGRID_DATABASE_URL` names.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handler = (options: {
  readonly database: Option.Option<string>
}): Effect.Effect<
  Migrated,
  | Database.InvalidDatabaseUrl
  | Database.DriverMissing
  | DatabaseOption.DatabaseUnavailable
  | ConfigError
  | SqlError
  | MigrationError
  | Migrations.DatabaseTooNew,
  Path.Path
> =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(options.database)
    const { run, databaseVersion, latestVersion } = yield* Effect.promise(
      () => import("@civicgrid/sql/Migrations")
    )
    yield* Console.log(`数据库 database: ${DatabaseOption.describe(database)}`)
    const result = yield* Effect.gen(function* () {
      const applied = yield* run
      const version = yield* databaseVersion
      return { applied, version, latest: latestVersion }
    }).pipe(Effect.provide(DatabaseOption.layer(database)))
    for (const text of report(result)) yield* Console.log(text)
    return result
  })

/**
 * The `migrate` subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("migrate", { database: DatabaseOption.option }, (o) =>
  Effect.asVoid(handler(o))
).pipe(
  Command.withDescription(
    withExamples(
      "Apply the database schema migrations (SQLite or PostgreSQL) and print the migrations applied and " +
        "the resulting version. Safe to run again: an up-to-date database gets nothing. A database " +
        "migrated by a newer civicgrid is refused, untouched, with exit status 1.",
      [
        ["civicgrid migrate", `the default SQLite file ./${DatabaseOption.defaultFile}`],
        ["civicgrid migrate --database sqlite:/tmp/civicgrid.sqlite", "a SQLite file"],
        [
          `${DatabaseOption.variable}=postgres://postgres@127.0.0.1:5432/civicgrid civicgrid migrate`,
          "PostgreSQL"
        ]
      ]
    )
  )
)
