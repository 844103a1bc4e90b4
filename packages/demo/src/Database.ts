/**
 * 数据库 — where the data lives, from one URL: `CIVICGRID_DATABASE_URL`.
 *
 * | URL | database |
 * | --- | --- |
 * | unset or empty | SQLite at the program's default file |
 * | `postgres://…`, `postgresql://…` | PostgreSQL (`@effect/sql-pg`) |
 * | `sqlite:<path>`, `sqlite://<path>` | SQLite file (`@effect/sql-sqlite-node`) |
 * | `file:<path>`, `file:///<absolute path>` | SQLite file |
 * | `:memory:`, `sqlite::memory:` | SQLite in memory (gone when the program stops) |
 *
 * Anything else is refused with `InvalidDatabaseUrl`, which names the
 * variable and the rule. The URL is kept `Redacted`; `describe` prints it
 * without its password. The SQL drivers are optional peer dependencies,
 * loaded only when used: a program on PostgreSQL needs no SQLite build and
 * the other way round.
 *
 * @since 0.1.0
 */
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Config from "effect/Config"
import type { ConfigError } from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/**
 * 数据库 — a SQLite file (or `:memory:`), or a PostgreSQL database by URL.
 *
 * @since 0.1.0
 * @category models
 */
export type Database =
  | { readonly _tag: "sqlite"; readonly filename: string }
  | { readonly _tag: "pg"; readonly url: Redacted.Redacted<string> }

/**
 * The environment variable the URL is read from.
 *
 * @since 0.1.0
 * @category constants
 */
export const variable = "CIVICGRID_DATABASE_URL"

/**
 * A SQLite database at a file (`":memory:"` for one in memory).
 *
 * @since 0.1.0
 * @category constructors
 */
export const sqlite = (filename: string): Database => ({ _tag: "sqlite", filename })

/**
 * A PostgreSQL database at a URL.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pg = (url: string | Redacted.Redacted<string>): Database => ({
  _tag: "pg",
  url: typeof url === "string" ? Redacted.make(url) : url
})

/**
 * 数据库地址无效 — `CIVICGRID_DATABASE_URL` names no database civicgrid can
 * open: `unsupported-scheme` (neither PostgreSQL nor SQLite), `invalid-url`
 * (a PostgreSQL or `file://` URL that does not parse), `empty-path` (a SQLite
 * URL without a path). Carries the scheme only, never the URL (it may hold a
 * password).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidDatabaseUrl extends Schema.TaggedError<InvalidDatabaseUrl>()("InvalidDatabaseUrl", {
  variable: Schema.String,
  rule: Schema.Literal("unsupported-scheme", "invalid-url", "empty-path"),
  scheme: Schema.String
}) {
  override get message(): string {
    const expected =
      "expected postgres://… or postgresql://… (PostgreSQL), sqlite:<path>, file:<path> or :memory: (SQLite)"
    const problem =
      this.rule === "unsupported-scheme"
        ? `unsupported scheme "${this.scheme}"`
        : this.rule === "invalid-url"
          ? `the ${this.scheme} URL does not parse`
          : `the ${this.scheme} URL has no file path`
    return `数据库地址无效 ${this.variable}: ${problem}; ${expected}`
  }
}

const schemeOf = (url: string): string => {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)
  return match?.[1]?.toLowerCase() ?? "(none)"
}

/**
 * 解析数据库地址 — the database a URL names; `undefined` or `""` gives the
 * SQLite file `defaultFile`. See the module documentation for the forms.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromUrl = (
  url: string | undefined,
  defaultFile: string
): Either.Either<Database, InvalidDatabaseUrl> => {
  if (url === undefined || url === "") return Either.right(sqlite(defaultFile))
  if (url === ":memory:") return Either.right(sqlite(":memory:"))
  const scheme = schemeOf(url)
  const refuse = (rule: InvalidDatabaseUrl["rule"]) =>
    Either.left(new InvalidDatabaseUrl({ variable, rule, scheme }))
  switch (scheme) {
    case "postgres":
    case "postgresql": {
      if (!/^postgres(ql)?:\/\//i.test(url) || !URL.canParse(url)) return refuse("invalid-url")
      return Either.right(pg(url))
    }
    case "sqlite": {
      const rest = url.slice("sqlite:".length)
      const path = rest.startsWith("//") ? rest.slice(2) : rest
      return path === "" ? refuse("empty-path") : Either.right(sqlite(path))
    }
    case "file": {
      if (url.slice(0, 7).toLowerCase() === "file://") {
        if (!URL.canParse(url)) return refuse("invalid-url")
        const parsed = new URL(url)
        if (parsed.pathname === "" || parsed.pathname === "/") return refuse("empty-path")
        return Either.try({
          try: () => sqlite(fileURLToPath(parsed)),
          catch: () => new InvalidDatabaseUrl({ variable, rule: "invalid-url", scheme })
        })
      }
      const path = url.slice("file:".length)
      return path === "" ? refuse("empty-path") : Either.right(sqlite(path))
    }
    default:
      return refuse("unsupported-scheme")
  }
}

/**
 * The database `CIVICGRID_DATABASE_URL` names (read with effect `Config`),
 * or the SQLite file `defaultFile` when it is unset or empty.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromConfig = (defaultFile: string): Effect.Effect<Database, ConfigError | InvalidDatabaseUrl> =>
  Effect.flatMap(Config.option(Config.redacted(variable)), (url) =>
    fromUrl(Option.getOrUndefined(Option.map(url, Redacted.value)), defaultFile)
  )

/**
 * 驱动缺失 — the SQL driver the database needs is not installed (the drivers
 * are optional peer dependencies).
 *
 * @since 0.1.0
 * @category errors
 */
export class DriverMissing extends Schema.TaggedError<DriverMissing>()("DriverMissing", {
  driver: Schema.Literal("@effect/sql-pg", "@effect/sql-sqlite-node"),
  detail: Schema.String
}) {
  override get message(): string {
    return `数据库驱动缺失 database driver missing: install ${this.driver} (${this.detail})`
  }
}

/**
 * The `SqlClient` of a database; the driver is loaded on first use.
 * SQLite: through `SqliteStore` (write transactions begin immediately and
 * wait for another writer up to the busy timeout, `CIVICGRID_SQLITE_BUSY_TIMEOUT`);
 * the file's directory is created if missing. PostgreSQL: connecting gives
 * up after `pgConnectTimeout`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  database: Database
): Layer.Layer<SqlClient.SqlClient, SqlError | ConfigError | DriverMissing> => {
  if (database._tag === "pg") {
    return Layer.unwrapEffect(
      Effect.map(
        Effect.tryPromise({
          try: () => import("@effect/sql-pg/PgClient"),
          catch: (e) => new DriverMissing({ driver: "@effect/sql-pg", detail: String(e) })
        }),
        (PgClient) => PgClient.layer({ url: database.url, connectTimeout: pgConnectTimeout })
      )
    )
  }
  const { filename } = database
  // the file's directory, when missing; if it cannot be made, opening the file reports why
  const directory =
    filename === ":memory:"
      ? Effect.void
      : Effect.ignore(Effect.try(() => mkdirSync(dirname(filename), { recursive: true })))
  return Layer.unwrapEffect(
    Effect.gen(function* () {
      const busyTimeout = yield* Config.option(Config.duration(busyTimeoutVariable))
      const SqliteStore = yield* Effect.tryPromise({
        try: () => import("@civicgrid/sql/SqliteStore"),
        catch: (e) => new DriverMissing({ driver: "@effect/sql-sqlite-node", detail: String(e) })
      })
      yield* directory
      return SqliteStore.layer(
        Option.match(busyTimeout, {
          onNone: () => ({ filename }),
          onSome: (timeout) => ({ filename, busyTimeout: timeout })
        })
      )
    })
  )
}

/**
 * The environment variable of the SQLite busy timeout: how long a write waits
 * for another writer's lock on the file before the repositories answer
 * `StorageUnavailable` (HTTP 503, CLI one line) — a duration such as
 * `5 seconds` or `200 millis`; default `SqliteStore.defaultBusyTimeout` (5 s).
 *
 * @since 0.1.0
 * @category constants
 */
export const busyTimeoutVariable = "CIVICGRID_SQLITE_BUSY_TIMEOUT"

/**
 * How long connecting to PostgreSQL may take before the repositories answer
 * `StorageUnavailable` (unreachable): node-postgres waits forever by default,
 * so a server that silently drops packets would hang every request.
 *
 * @since 0.1.0
 * @category constants
 */
export const pgConnectTimeout: Duration.Duration = Duration.seconds(5)

/**
 * The `SqlClient` of the database `CIVICGRID_DATABASE_URL` names (`fromConfig`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromConfig = (
  defaultFile: string
): Layer.Layer<SqlClient.SqlClient, SqlError | ConfigError | DriverMissing | InvalidDatabaseUrl> =>
  Layer.unwrapEffect(Effect.map(fromConfig(defaultFile), layer))

/**
 * 数据库名称 — a readable name of a database for banners and `/health`: the
 * SQLite file, or the PostgreSQL host and database (never the user's
 * password).
 *
 * @since 0.1.0
 * @category utils
 */
export const describe = (database: Database): string => {
  if (database._tag === "sqlite") return `SQLite ${database.filename}`
  const url = URL.canParse(Redacted.value(database.url)) ? new URL(Redacted.value(database.url)) : undefined
  if (url === undefined) return "PostgreSQL"
  return `PostgreSQL ${url.host}${url.pathname}`
}
