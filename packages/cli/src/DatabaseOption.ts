import * as Database from "@civicgrid/demo/Database"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Cause from "effect/Cause"
import type { ConfigError } from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/**
 * The SQLite file used when neither `--database` nor
 * `CIVICGRID_DATABASE_URL` names a database, relative to the current
 * directory.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultFile = ".civicgrid/civicgrid.sqlite"

/**
 * The environment variable the database URL is read from.
 *
 * @since 0.1.0
 * @category constants
 */
export const variable: string = Database.variable

/**
 * The help text of `--database`.
 *
 * @since 0.1.0
 * @category constants
 */
export const description =
  `The database: postgres://user:password@host:port/name (PostgreSQL), sqlite:<path>, file:<path> or ` +
  `:memory: (SQLite). Overrides ${Database.variable}; when neither is set, the SQLite file ` +
  `./${defaultFile} relative to the current directory (created when missing). A SQLite write waits for ` +
  `another writer up to CIVICGRID_SQLITE_BUSY_TIMEOUT (default 5 seconds), then fails in one line.`

/**
 * The `--database <url>` option.
 *
 * @since 0.1.0
 * @category options
 */
export const option: Options.Options<Option.Option<string>> = Options.text("database").pipe(
  Options.withPseudoName("url"),
  Options.withDescription(description),
  Options.optional
)

/**
 * 数据库 — the database to use: `--database` (its errors name the option),
 * else `CIVICGRID_DATABASE_URL` (read with `Config`), else `defaultFile`
 * resolved against the current directory.
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolve = (
  flag: Option.Option<string>
): Effect.Effect<Database.Database, Database.InvalidDatabaseUrl | ConfigError, Path.Path> =>
  Effect.flatMap(Path.Path, (path) => {
    const fallback = path.resolve(defaultFile)
    if (Option.isNone(flag)) return Database.fromConfig(fallback)
    return Either.mapLeft(
      Database.fromUrl(flag.value, fallback),
      (e) => new Database.InvalidDatabaseUrl({ variable: "--database", rule: e.rule, scheme: e.scheme })
    )
  })

/**
 * 数据库文件不存在 — a command that only works on existing data (`import`,
 * `export`) was pointed at a SQLite file that does not exist (creating an
 * empty one would hide a typo).
 *
 * @since 0.1.0
 * @category errors
 */
export class DatabaseFileMissing extends Schema.TaggedError<DatabaseFileMissing>()("DatabaseFileMissing", {
  filename: Schema.String
}) {
  override get message(): string {
    return `数据库文件不存在 no database at ${this.filename}: run \`civicgrid migrate\` and \`civicgrid seed\` first, or pass --database / set ${Database.variable}`
  }
}

/**
 * Fails with `DatabaseFileMissing` when the database is a SQLite file that
 * does not exist (PostgreSQL and `:memory:` pass).
 *
 * @since 0.1.0
 * @category utils
 */
export const requireExisting = (
  database: Database.Database
): Effect.Effect<void, DatabaseFileMissing, FileSystem.FileSystem> =>
  database._tag === "pg" || database.filename === ":memory:"
    ? Effect.void
    : Effect.flatMap(FileSystem.FileSystem, (fs) =>
        fs.exists(database.filename).pipe(
          Effect.orElseSucceed(() => false),
          Effect.flatMap((exists) =>
            exists ? Effect.void : Effect.fail(new DatabaseFileMissing({ filename: database.filename }))
          )
        )
      )

/**
 * 无法打开数据库 — the database could not be opened at all (a SQLite path
 * whose directory is a file or not writable …): the driver gave up with this
 * reason. Connection failures of PostgreSQL are `SqlError`s.
 *
 * @since 0.1.0
 * @category errors
 */
export class DatabaseUnavailable extends Schema.TaggedError<DatabaseUnavailable>()("DatabaseUnavailable", {
  database: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `无法打开数据库 cannot open ${this.database}: ${this.reason}`
  }
}

/**
 * The environment variable of the SQLite busy timeout (`Database.busyTimeoutVariable`).
 *
 * @since 0.1.0
 * @category constants
 */
export const busyTimeoutVariable: string = Database.busyTimeoutVariable

/**
 * The `SqlClient` of a database (the driver is loaded on first use).
 * `Database.layer`: on SQLite through `SqliteStore` — write transactions
 * begin immediately and wait for a busy file up to the busy timeout
 * (`CIVICGRID_SQLITE_BUSY_TIMEOUT`), and the file's directory is created. A
 * driver that dies while opening the database (the SQLite driver throws on a
 * bad path) fails with `DatabaseUnavailable` instead of a defect.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  database: Database.Database
): Layer.Layer<SqlClient.SqlClient, SqlError | ConfigError | Database.DriverMissing | DatabaseUnavailable> =>
  Database.layer(database).pipe(
    Layer.catchAllCause(
      (
        cause
      ): Layer.Layer<
        SqlClient.SqlClient,
        SqlError | ConfigError | Database.DriverMissing | DatabaseUnavailable
      > =>
        Option.match(Cause.failureOption(cause), {
          onSome: () => Layer.failCause(cause),
          onNone: () =>
            Option.match(Cause.dieOption(cause), {
              onNone: () => Layer.failCause(cause),
              onSome: (defect) =>
                Layer.fail(
                  new DatabaseUnavailable({
                    database: describe(database),
                    reason: defect instanceof Error ? defect.message : String(defect)
                  })
                )
            })
        })
    )
  )

/**
 * A readable name of a database (never the password).
 *
 * @since 0.1.0
 * @category utils
 */
export const describe: (database: Database.Database) => string = Database.describe
