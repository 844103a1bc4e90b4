/**
 * 街道办示范服务 — `civicgrid serve`: runs the street-office server app
 * (`@civicgrid/demo/App`: the civicgrid HTTP API with `/docs` and
 * `/openapi.json`, Open311 GeoReport v2, `GET /health`, a request log and a
 * banner) on the database `--database` / `CIVICGRID_DATABASE_URL` names, on
 * `--port` / `PORT`. It migrates the database and serves it as it is; only
 * with `--seed` does it seed the standard demo district and its public demo
 * tokens into a database holding no district (as `npm start` does), with a
 * progress bar. Serves until SIGINT (Ctrl-C) or
 * SIGTERM, then closes the server and the database and exits 0.
 *
 * @since 0.1.0
 */
import type * as App from "@civicgrid/demo/App"
import type * as Database from "@civicgrid/demo/Database"
import type * as SeedModule from "@civicgrid/demo/Seed"
import type * as JetStream from "@civicgrid/nats/JetStream"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as Path from "@effect/platform/Path"
import type { SqlError } from "@effect/sql/SqlError"
import * as Config from "effect/Config"
import type { ConfigError } from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as DatabaseOption from "../DatabaseOption.js"
import { withExamples } from "../internal/help.js"
import * as Progress from "../internal/Progress.js"
import * as Calendar from "./Calendar.js"
import { phaseLabels } from "./Seed.js"

/**
 * The default port.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPort = 3000

/**
 * The default host: loopback only, because the demo tokens are well known.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultHost = "127.0.0.1"

/**
 * 无法监听 — the server could not listen (the port is taken, the host is not
 * an address of this machine, no permission for a low port …).
 *
 * @since 0.1.0
 * @category errors
 */
export class ListenFailed extends Schema.TaggedError<ListenFailed>()("ListenFailed", {
  host: Schema.String,
  port: Schema.Int,
  reason: Schema.String
}) {
  override get message(): string {
    return `无法监听 cannot listen on ${this.host}:${this.port}: ${this.reason}`
  }
}

/**
 * 启动失败 — why `serve` stopped before or while serving.
 *
 * @since 0.1.0
 * @category errors
 */
export type ServeError =
  | ListenFailed
  | Database.InvalidDatabaseUrl
  | Database.DriverMissing
  | DatabaseOption.DatabaseUnavailable
  | ConfigError
  | SqlError
  | SeedModule.MigrateError
  | SeedModule.SeedError
  | JetStream.JetStreamError

/**
 * The environment variable the port is read from when `--port` is not given.
 *
 * @since 0.1.0
 * @category constants
 */
export const portVariable = "PORT"

const isPort = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 65_535

/**
 * The port from `PORT` (default `defaultPort` when unset): 0 to 65535.
 *
 * @since 0.1.0
 * @category options
 */
export const portConfig: Config.Config<number> = Config.integer(portVariable).pipe(
  Config.validate({
    message: `端口 ${portVariable}: 须为 0 到 65535 的整数 must be an integer from 0 to 65535`,
    validation: isPort
  }),
  Config.withDefault(defaultPort)
)

/**
 * The `--port` option: 0 to 65535 (0 picks a free port, shown in the banner);
 * when absent, the environment variable `PORT`, else `defaultPort`.
 *
 * @since 0.1.0
 * @category options
 */
export const port = Options.integer("port").pipe(
  Options.filterMap(
    (n) => (isPort(n) ? Option.some(n) : Option.none()),
    "--port must be an integer from 0 to 65535"
  ),
  Options.withDescription(
    `The TCP port to listen on: 0 to 65535, 0 for any free port (default: ${portVariable}, else ${defaultPort}; --port wins).`
  ),
  Options.withFallbackConfig(portConfig)
)

/**
 * The `--seed` / `--no-seed` flag: seed the demo district (and its public demo
 * tokens) into a database that holds no district yet. Off by default —
 * seeding is an explicit choice, never a side effect of serving.
 *
 * @since 0.1.0
 * @category options
 */
export const seed = Options.boolean("seed", { negationNames: ["no-seed"] }).pipe(
  Options.withDescription(
    "填充示范数据 seed the demo district 示范区 — with its well-known demo tokens and Open311 key — " +
      "when the database holds no district yet (default --no-seed: the database is migrated and served " +
      "as it is; an empty one stays empty)."
  )
)

/**
 * The `--jurisdiction-id` option: the Open311 `jurisdiction_id`.
 *
 * @since 0.1.0
 * @category options
 */
export const jurisdictionId = Options.text("jurisdiction-id").pipe(
  Options.withDescription(
    "Open311 辖区标识: the jurisdiction_id clients send (default: shifanqu.civicgrid.example on the demo " +
      "district, else the id of the stored district's root unit)."
  ),
  Options.optional
)

/**
 * The environment variable the scheduler's interval (seconds) is read from
 * when `--scheduler-interval` is not given.
 *
 * @since 0.1.0
 * @category constants
 */
export const schedulerIntervalVariable = "CIVICGRID_SCHEDULER_INTERVAL"

/**
 * The environment variable that turns the scheduler off (`off`) when
 * `--scheduler` is not given.
 *
 * @since 0.1.0
 * @category constants
 */
export const schedulerVariable = "CIVICGRID_SCHEDULER"

/**
 * The `--scheduler-interval` option: seconds between the scheduler's runs
 * (automatic escalation), 1 to 86400; when absent
 * `CIVICGRID_SCHEDULER_INTERVAL`, else 60.
 *
 * @since 0.1.0
 * @category options
 */
export const schedulerInterval = Options.integer("scheduler-interval").pipe(
  Options.filterMap(
    (n) => (Number.isInteger(n) && n >= 1 && n <= 86_400 ? Option.some(n) : Option.none()),
    "--scheduler-interval must be a whole number of seconds from 1 to 86400"
  ),
  Options.withDescription(
    `定时任务间隔 seconds between the scheduler's runs (automatic escalation of overdue cases), 1 to 86400 ` +
      `(default: ${schedulerIntervalVariable}, else 60).`
  ),
  Options.withFallbackConfig(
    Config.integer(schedulerIntervalVariable).pipe(
      Config.validate({
        message: `${schedulerIntervalVariable}: 须为 1 到 86400 的整数 must be a whole number of seconds from 1 to 86400`,
        validation: (n) => Number.isInteger(n) && n >= 1 && n <= 86_400
      }),
      Config.withDefault(60)
    )
  )
)

/**
 * The `--scheduler on|off` option: run the scheduler (automatic escalation)
 * in this server; when absent `CIVICGRID_SCHEDULER`, else on. With several
 * servers on one database each may run it: a lease lets one run each tick.
 *
 * @since 0.1.0
 * @category options
 */
export const scheduler = Options.choice("scheduler", ["on", "off"]).pipe(
  Options.withDescription(
    `定时任务 run the scheduler — automatic escalation 超时自动上报 of overdue cases — in this server ` +
      `(default: ${schedulerVariable}, else on; several servers on one database share it through a lease).`
  ),
  Options.withFallbackConfig(
    Config.literal("on", "off")(schedulerVariable).pipe(Config.withDefault("on" as const))
  )
)

/**
 * The `--host` option.
 *
 * @since 0.1.0
 * @category options
 */
export const host = Options.text("host").pipe(
  Options.withDescription(
    `The address to listen on (default ${defaultHost}, this machine only: the demo tokens are well known; ` +
      "0.0.0.0 for every interface)."
  ),
  Options.withDefault(defaultHost)
)

const reasonOf = (cause: unknown): string =>
  cause instanceof Error ? cause.message : typeof cause === "string" ? cause : String(cause)

/**
 * 服务 — serves until interrupted (SIGINT, SIGTERM), then shuts down
 * gracefully: the banner's last line, the server, then the database.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handler = (options: {
  readonly port: number
  readonly host: string
  readonly database: Option.Option<string>
  /** Seed the demo district when the database holds none (default false). */
  readonly seed?: boolean
  /** Open311 辖区标识 — the `jurisdiction_id` (default: see `App.layerOpen311`). */
  readonly jurisdictionId?: Option.Option<string>
  /** Seconds between the scheduler's runs (default 60). */
  readonly schedulerInterval?: number
  /** Run the scheduler (default "on"). */
  readonly scheduler?: "on" | "off"
}): Effect.Effect<never, ServeError, Path.Path> =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(options.database)
    const [AppModule, NodeHttpServer, { createServer }] = yield* Effect.promise(() =>
      Promise.all([
        import("@civicgrid/demo/App"),
        import("@effect/platform-node/NodeHttpServer"),
        import("@civicgrid/demo/NodeServer")
      ])
    )
    // the app logs through a callback; route it to the current Console (captured in tests)
    const console = yield* Console.consoleWith(Effect.succeed)
    const log = (line: string) => Effect.runSync(console.log(line))
    const progress = yield* Progress.reporter
    // webhook, NATS stream, notifications: from the environment (App.deliveryVariables)
    const delivery = yield* AppModule.deliveryConfig
    // how long a verified key is answered from memory: CIVICGRID_KEY_CACHE_TTL (App.keyCacheConfig)
    const keyCache = yield* AppModule.keyCacheConfig
    const app: App.Options = {
      ...AppModule.secretOptions({}, database),
      log,
      databaseName: DatabaseOption.describe(database),
      ...Option.match(options.jurisdictionId ?? Option.none(), {
        onNone: () => ({}),
        onSome: (jurisdictionId) => ({ jurisdictionId })
      }),
      scheduler: {
        enabled: options.scheduler !== "off",
        interval: `${options.schedulerInterval ?? 60} seconds`
      },
      ...delivery,
      ...keyCache,
      seed:
        options.seed === true
          ? {
              onProgress: (p) =>
                progress.update({ label: phaseLabels[p.phase], done: p.done, total: p.total })
            }
          : false
    }
    const server = NodeHttpServer.layerServer(createServer, { port: options.port, host: options.host }).pipe(
      Layer.mapError(
        (e) => new ListenFailed({ host: options.host, port: options.port, reason: reasonOf(e.cause) })
      )
    )
    // a warning line at start when the working calendar ends within 60 days (civicgrid calendar import)
    const calendarWarning = Layer.effectDiscard(
      Effect.flatMap(Effect.orDie(Calendar.startWarning), (line) =>
        Option.isSome(line) ? Effect.sync(() => log(line.value)) : Effect.void
      )
    )
    return yield* Layer.launch(
      // the port is bound only once the app is ready (migrated, seeded, caches loaded, API built)
      Layer.merge(AppModule.layerServing(app, server), calendarWarning).pipe(
        Layer.provide(DatabaseOption.layer(database)),
        Layer.provide(NodeHttpServer.layerContext)
      )
    ).pipe(Effect.ensuring(Effect.sync(progress.end)))
  })

/**
 * The `serve` subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make(
  "serve",
  { port, host, seed, jurisdictionId, schedulerInterval, scheduler, database: DatabaseOption.option },
  (o) => handler(o)
).pipe(
  Command.withDescription(
    withExamples(
      "Run the street-office server: the civicgrid HTTP API with Swagger UI at /docs and /openapi.json, " +
        "Open311 GeoReport v2 under /open311/v2, GET /health and a request log. The database is migrated " +
        "and served as it is: seeding the demo district and its public demo tokens is an explicit choice " +
        "(--seed, like `npm start`), never a side effect; an empty database is served empty (import a " +
        "district, issue keys with `civicgrid keys issue`). The port is --port, else PORT, else " +
        `${defaultPort}. Ctrl-C or SIGTERM closes the server, then the database, and exits 0.`,
      [
        [
          "civicgrid serve",
          `http://127.0.0.1:${defaultPort}, on ./${DatabaseOption.defaultFile}, not seeded`
        ],
        [
          "civicgrid serve --seed",
          "the demo: seeds the demo district and its demo tokens on the first start"
        ],
        ["PORT=8080 civicgrid serve --host 0.0.0.0", "every interface, port 8080"],
        [
          `${DatabaseOption.variable}=postgres://postgres@127.0.0.1:5432/civicgrid civicgrid serve`,
          "on PostgreSQL"
        ]
      ]
    )
  )
)
