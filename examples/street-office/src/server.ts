/**
 * 街道办示范服务 — the street-office server: the civicgrid HTTP API
 * (`Server.layer`, with `/openapi.json` and `/docs`), Open311 GeoReport v2
 * under `/open311/v2`, a health endpoint and a request log, over the SQL
 * stores of SQLite (a file, by default) or PostgreSQL, migrated and seeded
 * with the demo district on first start.
 */

import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as GridRepository from "@civicgrid/core/GridRepository"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as PointLocation from "@civicgrid/core/PointLocation"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Authorization from "@civicgrid/http/Authorization"
import * as Open311 from "@civicgrid/http/Open311"
import * as Principal from "@civicgrid/http/Principal"
import * as Server from "@civicgrid/http/Server"
import * as SqlSurveyRepository from "@civicgrid/sql/SqlSurveyRepository"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import type { ConfigError } from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { demoHomes } from "./cases.js"
import { district, type Prepared, prepare, type SeedOptions } from "./seed.js"

// -----------------------------------------------------------------------------
// database
// -----------------------------------------------------------------------------

/** Where the data lives: a SQLite file, or a PostgreSQL database. */
export type Database =
  | { readonly _tag: "sqlite"; readonly filename: string }
  | { readonly _tag: "pg"; readonly url: Redacted.Redacted<string> }

/** The `SqlClient` of a database (the SQLite file's directory is created if missing). */
export const layerDatabase = (
  database: Database
): Layer.Layer<SqlClient.SqlClient, SqlError | ConfigError> =>
  database._tag === "pg"
    ? PgClient.layer({ url: database.url })
    : Layer.unwrapEffect(
        Effect.sync(() => {
          if (database.filename !== ":memory:") mkdirSync(dirname(database.filename), { recursive: true })
          return SqliteClient.layer({ filename: database.filename })
        })
      )

/** A readable name of a database for the banner (a PostgreSQL URL without its password). */
export const describeDatabase = (database: Database): string => {
  if (database._tag === "sqlite") return `SQLite ${database.filename}`
  const url = URL.canParse(Redacted.value(database.url)) ? new URL(Redacted.value(database.url)) : undefined
  if (url === undefined) return "PostgreSQL"
  url.password = ""
  return `PostgreSQL ${url.host}${url.pathname}`
}

// -----------------------------------------------------------------------------
// demo credentials
// -----------------------------------------------------------------------------

const districtId = district.units.find((u) => u.parentId === null)?.id ?? "d-530103"
const homes = demoHomes(district)

/** 演示令牌 — one bearer token per role (well known: for a local demo only). */
export const demoTokens: ReadonlyArray<{
  readonly token: string
  readonly label: string
  readonly principal: Principal.Principal
}> = [
  {
    token: "demo-resident",
    label: `居民 resident (home ${homes.residentHome})`,
    principal: Principal.make({ id: "r-demo", role: "resident", unitId: homes.residentHome })
  },
  {
    token: "demo-grid-worker",
    label: `网格员 grid worker (${homes.gridWorkerCommunity})`,
    principal: Principal.make({
      id: homes.gridWorker,
      role: "grid-worker",
      unitId: homes.gridWorkerCommunity
    })
  },
  {
    token: "demo-community-staff",
    label: "社区工作人员 community staff (c-001-001 金星社区)",
    principal: Principal.make({ id: "cs-c-001-001", role: "community-staff", unitId: "c-001-001" })
  },
  {
    token: "demo-street-staff",
    label: "街道工作人员 street staff (s-001 金星街道)",
    principal: Principal.make({ id: "ss-s-001", role: "street-staff", unitId: "s-001" })
  },
  {
    token: "demo-district-staff",
    label: `区指挥中心 district staff (${districtId} 示范区)`,
    principal: Principal.make({ id: `ds-${districtId}`, role: "district-staff", unitId: districtId })
  },
  {
    token: "demo-department",
    label: "职能部门 department (drainage 排水)",
    principal: Principal.make({
      id: "dept-drainage",
      role: "department",
      unitId: districtId,
      departmentId: "drainage"
    })
  },
  {
    token: "demo-admin",
    label: `管理员 admin (${districtId})`,
    principal: Principal.make({ id: "admin", role: "admin", unitId: districtId })
  }
]

/** 演示密钥 — the Open311 `api_key` of the demo client. */
export const demoApiKey = "demo-open311-key"

// -----------------------------------------------------------------------------
// the app
// -----------------------------------------------------------------------------

/** Options of the app. */
export interface Options {
  /** Where request-log lines and the banner go (default `console.log`). */
  readonly log?: (line: string) => void
  readonly seed?: SeedOptions
  /** Shown in the banner and by `/health` (e.g. `SQLite ./.civicgrid/street-office.sqlite`). */
  readonly databaseName?: string
}

/** 请求日志 — one line per request: method, path (without the query), status, milliseconds. */
export const requestLog =
  (log: (line: string) => void) =>
  (app: HttpApp.Default): HttpApp.Default =>
    Effect.flatMap(
      Effect.sync(() => performance.now()),
      (start) =>
        Effect.zipRight(
          HttpApp.appendPreResponseHandler((request, response) =>
            Effect.sync(() => {
              const path = request.url.split("?")[0] ?? request.url
              log(`${request.method} ${path} ${response.status} ${(performance.now() - start).toFixed(1)}ms`)
              return response
            })
          ),
          app
        )
    )

/** 健康检查 — `GET /health`: 200 `{ status: "ok", db: "up" }`, or 503 when the database does not answer. */
export const layerHealth = (databaseName: string) =>
  HttpApiBuilder.Router.use((router) =>
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      router.get(
        "/health",
        sql`SELECT 1 AS one`.pipe(
          Effect.timeout("2 seconds"),
          Effect.match({
            onFailure: () =>
              HttpServerResponse.unsafeJson(
                { status: "degraded", db: "down", database: databaseName },
                { status: 503 }
              ),
            onSuccess: () => HttpServerResponse.unsafeJson({ status: "ok", db: "up", database: databaseName })
          })
        )
      )
    )
  )

const timeLimits = { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }

/** The SQL stores, migrated and seeded (on first start) before anything is served. */
const layerStore = (options: Options, log: (line: string) => void) =>
  Layer.effectDiscard(
    prepare(options.seed ?? {}).pipe(
      Effect.tap((prepared) => Effect.sync(() => log(describePrepared(prepared)))),
      Effect.orDie
    )
  ).pipe(
    Layer.provideMerge(Layer.merge(Server.layerSqlRepositories({ timeLimits }), SqlSurveyRepository.layer))
  )

/** Open311 over the stored district (hierarchy and grids read once at start). */
const layerOpen311 = Layer.unwrapEffect(
  Effect.gen(function* () {
    const hierarchy = yield* Effect.orDie(
      Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)
    )
    const grids = yield* Effect.orDie(
      Effect.flatMap(GridRepository.GridRepository, (r) => r.grids(districtId))
    )
    return Open311.layer({
      jurisdiction: { unitId: districtId, id: "shifanqu.civicgrid.example" },
      catalogue: CaseCategory.Standard,
      routing: { hierarchy, rules: [], grids, gridIndex: PointLocation.make(grids) },
      discovery: { contact: "示范区城市运行管理中心 (demo)", type: "test" }
    })
  })
).pipe(
  Layer.provide(Open311.layerApiKeysMemory([[demoApiKey, { id: "demo", name: "演示客户端 demo client" }]]))
)

/**
 * The whole app on the ambient `HttpServer` and `SqlClient`: migrate and seed,
 * then serve the API, Open311, `/health`, with the request log; prints the
 * banner once listening.
 */
export const layerApp = (
  options: Options = {}
): Layer.Layer<
  never,
  never,
  HttpServer.HttpServer | HttpRouter.HttpRouter.DefaultServices | SqlClient.SqlClient
> => {
  const log = options.log ?? ((line: string) => console.log(line))
  const databaseName = options.databaseName ?? "SQL"
  const tokens = new Map(demoTokens.map((t) => [t.token, t.principal] as const))
  const api = Server.layer({ middleware: requestLog(log), sql: { timeLimits } }).pipe(
    Layer.provide(layerOpen311),
    Layer.provide(layerHealth(databaseName)),
    Layer.provide(Authorization.layerMemory(tokens))
  )
  return Layer.mergeAll(api, layerBanner(log, databaseName)).pipe(Layer.provide(layerStore(options, log)))
}

const describePrepared = (prepared: Prepared): string =>
  prepared._tag === "AlreadySeeded"
    ? "数据库已初始化 database already seeded: keeping its data"
    : `数据库初始化 seeded in ${(prepared.millis / 1000).toFixed(1)} s: ${prepared.units} units, ${prepared.grids} grids, ` +
      `${prepared.people} people, ${prepared.cases} cases (${Object.entries(prepared.paths)
        .map(([path, n]) => `${path} ${n}`)
        .join(", ")}), ${prepared.surveyResponses} survey responses`

const layerBanner = (log: (line: string) => void, databaseName: string) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const address = yield* HttpServer.HttpServer.pipe(Effect.map((server) => server.address))
      const base =
        address._tag === "UnixAddress"
          ? `unix:${address.path}`
          : `http://${address.hostname === "0.0.0.0" || address.hostname === "::" ? "localhost" : address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}`
      const lines = [
        "",
        `civicgrid 街道办示范服务 street-office example — ${databaseName}`,
        `  listening on   ${base}`,
        `  API docs       ${base}/docs`,
        `  OpenAPI        ${base}/openapi.json`,
        `  Open311        ${base}/open311/v2/discovery.json   api_key=${demoApiKey}`,
        `  health         ${base}/health`,
        "",
        "  demo bearer tokens (Authorization: Bearer <token>):",
        ...demoTokens.map((t) => `    ${t.token.padEnd(22)} ${t.label}`),
        "",
        `  try: curl -H 'Authorization: Bearer demo-district-staff' '${base}/cases?limit=5'`,
        ""
      ]
      yield* Effect.sync(() => log(lines.join("\n")))
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => log("正在关闭 shutting down: closing the server and the database"))
      )
    })
  )
