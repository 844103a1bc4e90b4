/**
 * The deployment's configuration and composition: the street-office app of
 * `@civicgrid/demo` on the PostgreSQL database `CIVICGRID_DATABASE_URL` names
 * (required: this deployment never falls back to SQLite), served by Node on
 * `PORT` (default 3000) and `HOST` (default 127.0.0.1: a reverse proxy in
 * front), with `CIVICGRID_PUBLIC_URL` (optional) as the address clients see
 * and `CIVICGRID_TRUST_PROXY` (optional, default false) to read client
 * addresses from the proxy's `X-Forwarded-For`.
 */
import { createServer } from "node:http"
import * as App from "@civicgrid/demo/App"
import * as Database from "@civicgrid/demo/Database"
import type * as Seed from "@civicgrid/demo/Seed"
import type * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Config from "effect/Config"
import type { ConfigError } from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/**
 * PostgreSQL required — `CIVICGRID_DATABASE_URL` is unset, or names a SQLite
 * database: this deployment runs on PostgreSQL only.
 */
export class PostgresRequired extends Schema.TaggedError<PostgresRequired>()("PostgresRequired", {
  rule: Schema.Literal("unset", "not-postgres")
}) {
  override get message(): string {
    const expected =
      "set it to a PostgreSQL URL, e.g. CIVICGRID_DATABASE_URL=postgres://civicgrid:<password>@127.0.0.1:5432/civicgrid (see README.md)"
    return this.rule === "unset"
      ? `需要 PostgreSQL: ${Database.variable} is not set; ${expected}`
      : `需要 PostgreSQL: ${Database.variable} names a SQLite database, but this deployment runs on PostgreSQL only; ${expected}`
  }
}

/** Everything that can stop the deployment from starting. */
export type StartError = App.StartError | PostgresRequired | HttpServerError.ServeError

/** The PostgreSQL database `CIVICGRID_DATABASE_URL` names; refused when unset or not PostgreSQL. */
export const databaseFromConfig: Effect.Effect<
  Database.Database,
  ConfigError | Database.InvalidDatabaseUrl | PostgresRequired
> = Effect.gen(function* () {
  const url = yield* Config.option(Config.redacted(Database.variable))
  const value = Option.getOrElse(Option.map(url, Redacted.value), () => "")
  if (value === "") return yield* new PostgresRequired({ rule: "unset" })
  const database = yield* Database.fromUrl(value, "")
  if (database._tag !== "pg") return yield* new PostgresRequired({ rule: "not-postgres" })
  return database
})

/** Options of the app (the test logs to an array and seeds fewer cases). */
export interface Options {
  readonly log?: (line: string) => void
  readonly seed?: Seed.Options
}

/** The app on the configured PostgreSQL database, on the ambient HTTP server. */
export const layerApp = (
  options: Options = {}
): Layer.Layer<
  never,
  App.StartError | PostgresRequired,
  HttpServer.HttpServer | HttpRouter.HttpRouter.DefaultServices
> =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const database = yield* databaseFromConfig
      const publicUrl = yield* Config.option(Config.nonEmptyString("CIVICGRID_PUBLIC_URL"))
      const trustProxy = yield* Config.withDefault(Config.boolean("CIVICGRID_TRUST_PROXY"), false)
      return App.layer({
        ...options,
        trustProxy,
        title: "civicgrid 街道办服务 street-office (PostgreSQL deployment)",
        databaseName: Database.describe(database),
        ...Option.match(publicUrl, { onNone: () => ({}), onSome: (url) => ({ publicUrl: url }) })
      }).pipe(Layer.provide(Database.layer(database)))
    })
  )

/** The program: the app served by Node on `PORT` and `HOST`. */
export const layerMain: Layer.Layer<never, StartError> = Layer.unwrapEffect(
  Effect.gen(function* () {
    const port = yield* Config.port("PORT").pipe(Config.withDefault(3000))
    const host = yield* Config.string("HOST").pipe(Config.withDefault("127.0.0.1"))
    return layerApp().pipe(Layer.provide(NodeHttpServer.layer(createServer, { port, host })))
  })
)
