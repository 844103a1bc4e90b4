/**
 * 服务 — the civicgrid HTTP API as a Layer to serve: the `Api` contract, its
 * handlers over the repository ports, bearer authorization through the
 * pluggable `TokenVerifier`, the OpenAPI document at `/openapi.json` and
 * Swagger UI at `/docs`. Apps compose it into their servers:
 *
 * ```ts
 * Server.layerSql().pipe(
 *   Layer.provide(Authorization.layerMemory(tokens)), // or an app's verifier
 *   Layer.provide(SqliteClient.layer({ filename: "civicgrid.sqlite" })), // migrated: Migrations.run
 *   Layer.provide(NodeHttpServer.layer(createServer, { port: 3000 }))
 * )
 * ```
 *
 * `layer` runs over whichever repositories the app provides (the core's
 * in-memory layers work too); `layerSql` provides the SQL ones from an ambient
 * `SqlClient` (apps run `Migrations.run` first).
 *
 * @since 0.1.0
 */
import type { CaseRepository } from "@civicgrid/core/CaseRepository"
import type { GridRepository } from "@civicgrid/core/GridRepository"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import type { ListRepository } from "@civicgrid/core/ListRepository"
import type { SurveyRepository } from "@civicgrid/core/SurveyRepository"
import * as SqlCaseRepository from "@civicgrid/sql/SqlCaseRepository"
import * as SqlGridRepository from "@civicgrid/sql/SqlGridRepository"
import * as SqlHierarchyRepository from "@civicgrid/sql/SqlHierarchyRepository"
import * as SqlListRepository from "@civicgrid/sql/SqlListRepository"
import * as SqlSurveyRepository from "@civicgrid/sql/SqlSurveyRepository"
import type * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiSwagger from "@effect/platform/HttpApiSwagger"
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServer from "@effect/platform/HttpServer"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Layer from "effect/Layer"
import { Api } from "./Api.js"
import * as Authorization from "./Authorization.js"
import * as CasesHandlers from "./CasesHandlers.js"
import * as HierarchyHandlers from "./HierarchyHandlers.js"
import * as ListsHandlers from "./ListsHandlers.js"
import * as MetricsHandlers from "./MetricsHandlers.js"

/**
 * Options of the server layer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends CasesHandlers.Options {
  /** Where the OpenAPI document is served (default `/openapi.json`). */
  readonly openApiPath?: `/${string}`
  /** Where Swagger UI is served (default `/docs`). */
  readonly docsPath?: `/${string}`
  /** An HTTP middleware around the whole app (e.g. `HttpMiddleware.logger`). */
  readonly middleware?: (app: HttpApp.Default) => HttpApp.Default
  /** SQL stores only: the case store's time limits (deadlines in the read model). */
  readonly sql?: SqlCaseRepository.Options
  /**
   * SQL stores only: how the hierarchy is cached (`HierarchyRepository.layerCached`;
   * default a 5-second time to live), or `false` to read it from the store on
   * every request.
   */
  readonly hierarchyCache?: HierarchyRepository.CacheOptions | false
}

/**
 * The repositories the API runs over.
 *
 * @since 0.1.0
 * @category models
 */
export type Repositories =
  | CaseRepository
  | HierarchyRepository.HierarchyRepository
  | GridRepository
  | ListRepository
  | SurveyRepository
  | MetricsHandlers.IndicatorSource

/**
 * The `Api` with its handlers and authorization (without a server): for
 * `HttpApiBuilder.serve`, `HttpApiBuilder.toWebHandler` and the like.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApi = (
  options: CasesHandlers.Options = {}
): Layer.Layer<HttpApi.Api, never, Repositories | Authorization.TokenVerifier> =>
  HttpApiBuilder.api(Api).pipe(
    Layer.provide([
      CasesHandlers.layer(options),
      HierarchyHandlers.layer,
      HierarchyHandlers.layerGrids,
      ListsHandlers.layer,
      MetricsHandlers.layer,
      MetricsHandlers.layerSurveys
    ]),
    Layer.provide(Authorization.layer)
  )

/**
 * The API served on the ambient `HttpServer`, with `/openapi.json` and `/docs`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  never,
  never,
  HttpServer.HttpServer | HttpRouter.HttpRouter.DefaultServices | Repositories | Authorization.TokenVerifier
> =>
  HttpApiBuilder.serve(options.middleware).pipe(
    Layer.provide(HttpApiSwagger.layer({ path: options.docsPath ?? "/docs" })),
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: options.openApiPath ?? "/openapi.json" })),
    Layer.provide(layerApi(options))
  )

/**
 * The SQL repositories (case, hierarchy, grid, list, survey) and the SQL
 * indicator source on the ambient `SqlClient`; the hierarchy is cached
 * (`HierarchyRepository.layerCached`, 5 s by default) unless `hierarchyCache`
 * is `false`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSqlRepositories = (
  options: SqlCaseRepository.Options = {},
  hierarchyCache: HierarchyRepository.CacheOptions | false = {}
): Layer.Layer<Repositories, never, SqlClient.SqlClient> =>
  Layer.mergeAll(
    SqlCaseRepository.layer(options),
    hierarchyCache === false
      ? SqlHierarchyRepository.layer
      : HierarchyRepository.layerCached(hierarchyCache).pipe(Layer.provide(SqlHierarchyRepository.layer)),
    SqlGridRepository.layer,
    SqlListRepository.layer,
    SqlSurveyRepository.layer,
    MetricsHandlers.layerSqlIndicators
  )

/**
 * `layer` over the SQL repositories: apps provide the `SqlClient` (migrated),
 * the `TokenVerifier` and the `HttpServer`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql = (
  options: Options = {}
): Layer.Layer<
  never,
  never,
  | HttpServer.HttpServer
  | HttpRouter.HttpRouter.DefaultServices
  | SqlClient.SqlClient
  | Authorization.TokenVerifier
> => layer(options).pipe(Layer.provide(layerSqlRepositories(options.sql ?? {}, options.hierarchyCache ?? {})))
