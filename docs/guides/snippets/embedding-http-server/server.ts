import { createServer } from "node:http"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as PointLocation from "@civicgrid/core/PointLocation"
import * as Authorization from "@civicgrid/http/Authorization"
import * as Open311 from "@civicgrid/http/Open311"
import * as Server from "@civicgrid/http/Server"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export interface Options {
  readonly filename: string // the SQLite file (":memory:" in tests); PgClient.layer for PostgreSQL
  readonly port: number // 0: any free port
  readonly host?: string
}

// 1. 数据库 — the client, then the migrations: `provideMerge` runs `Migrations.run` on the client before it
// hands `SqlClient` on, so every layer above it is built on an up-to-date schema (and a database migrated
// by a newer civicgrid stops the start with `DatabaseTooNew`).
const layerDatabase = (filename: string) =>
  Layer.effectDiscard(Migrations.run).pipe(Layer.provideMerge(SqliteClient.layer({ filename })))

// 2. 仓库与凭证 — every core port on SQL (`Server.Repositories`), the bearer-token verifier and the
// Open311 `api_key` check, both on the hashed keys of `cg_api_keys` (SqlApiKeys).
const layerStores = Layer.mergeAll(
  Authorization.layerLookup(SqlApiKeys.bearerLookup),
  Open311.layerApiKeysLookup(SqlApiKeys.open311Lookup)
).pipe(Layer.provideMerge(SqlRepositories.layer()))

// 3. 健康检查 — GET /health, a route of your own beside the API: 200 while the database answers.
const layerHealth = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* router.get(
      "/health",
      sql`SELECT 1`.pipe(
        Effect.timeout("2 seconds"),
        Effect.match({
          onFailure: () => HttpServerResponse.unsafeJson({ status: "degraded" }, { status: 503 }),
          onSuccess: () => HttpServerResponse.unsafeJson({ status: "ok" })
        })
      )
    )
  })
)

// 4. Open311 — its routing reads the stored hierarchy per request (the cached store of step 2), so units
// saved after the start are routed to; add your grids for lat/long reports (see open311.md).
const layerOpen311 = Layer.unwrapEffect(
  Effect.map(HierarchyRepository, (units) =>
    Open311.layer({
      jurisdiction: { unitId: "panlong", id: "panlong.km.example.cn" },
      catalogue: CaseCategory.Standard,
      routing: Effect.map(Effect.orDie(units.load), (hierarchy) => ({
        hierarchy,
        rules: [],
        grids: [],
        gridIndex: PointLocation.make([])
      }))
    })
  )
)

// 5. 组装 — Open311 and /health join the API's router (`HttpApiBuilder.Router`) when provided to
// `Server.layer`. Each `provide` below satisfies what the layers above it still need, so `main` below
// needs nothing; the last one listens, and stays in the output for whoever wants its address.
export const layerServer = (options: Options) =>
  Server.layer().pipe(
    Layer.provide(layerOpen311),
    Layer.provide(layerHealth),
    Layer.provide(layerStores),
    Layer.provide(layerDatabase(options.filename)),
    Layer.provideMerge(
      NodeHttpServer.layer(createServer, { port: options.port, host: options.host ?? "127.0.0.1" })
    )
  )

// 6. 运行 — `Layer.launch` builds the whole layer and keeps it until interrupted (Ctrl-C, SIGTERM): the
// server closes first, then the database. In your entry file: `NodeRuntime.runMain(main)`
// (`@effect/platform-node/NodeRuntime`).
export const main = Layer.launch(layerServer({ filename: "civicgrid.sqlite", port: 3000 }))
