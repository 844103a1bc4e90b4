/**
 * 服务 — the civicgrid HTTP API as a Layer to serve: the `Api` contract, its
 * handlers over the repository ports, bearer authorization through the
 * pluggable `TokenVerifier`, the OpenAPI document at `/openapi.json` and
 * Swagger UI at `/docs`. Apps compose it into their servers:
 *
 * ```ts
 * Server.layer().pipe(
 *   Layer.provide(Authorization.layerMemory(tokens)), // or an app's verifier
 *   Layer.provide(SqlRepositories.layer({ timeLimits })), // @civicgrid/sql, or the core's in-memory layers
 *   Layer.provide(SqliteStore.layer({ filename: "civicgrid.sqlite" })), // @civicgrid/sql/SqliteStore; migrated: Migrations.run
 *   Layer.provide(NodeHttpServer.layer(createServer, { port: 3000 }))
 * )
 * ```
 *
 * `layer` runs over whichever `Repositories` the app provides — the SQL ones
 * (`SqlRepositories.layer` of `@civicgrid/sql`) or the core's in-memory
 * layers; this package depends on no database. The people store
 * (`PeopleRepository`: households, key groups, visits, proxy services) is
 * optional: provided alongside (`SqlRepositories.layer` does when a keyring is
 * configured, `PeopleRepository.layerMemory` in memory), the `people` group
 * serves it; without it that group answers 503 `PeopleUnavailable`.
 *
 * Hardening, all on by default:
 *
 * - request bodies are capped (`Options.maxBodyBytes`, default 256 KiB): a
 *   larger one is a 413 `BodyTooLarge`, refused before it is read
 *   (`BodyGuard.middlewareBodyLimit`);
 * - every error answers with a JSON body `{ _tag, message, field?, rule? }`
 *   (`ErrorBody.middleware`): schema failures name the field and the rule,
 *   unknown paths and methods are a JSON 404 / 405;
 * - failed authentication is limited per client address (429 with
 *   `Retry-After`; provide `Authorization.layerRateLimit({ … })` to change the
 *   default of 20 failures per minute);
 * - `StorageUnavailable` from a port — failed or died with — is a 503 with
 *   `Retry-After`; any other defect is logged with its cause and answered
 *   with a JSON 500.
 *
 * Spans: when the app configured no tracer (Effect's default tracer, which
 * hands spans to no one), requests run with tracing off
 * (`Effect.withTracerEnabled(false)`) — a span then costs without a reader.
 * Provide a tracer (e.g. `@effect/opentelemetry`'s layer, or
 * `Layer.setTracer`) and every span is recorded as before.
 *
 * @since 0.1.0
 */
import type { CaseRepository } from "@civicgrid/core/CaseRepository"
import type * as CaseService from "@civicgrid/core/CaseService"
import type { DepartmentRepository } from "@civicgrid/core/DepartmentRepository"
import type { GridRepository } from "@civicgrid/core/GridRepository"
import type { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import type { IndicatorSource } from "@civicgrid/core/IndicatorSource"
import type { ListRepository } from "@civicgrid/core/ListRepository"
import type { PolicyRepository } from "@civicgrid/core/PolicyRepository"
import * as RoleTable from "@civicgrid/core/RoleTable"
import type { SurveyRepository } from "@civicgrid/core/SurveyRepository"
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import type * as Tracer from "effect/Tracer"
import * as AdminHandlers from "./AdminHandlers.js"
import { Api } from "./Api.js"
import * as Authorization from "./Authorization.js"
import * as BodyGuard from "./BodyGuard.js"
import * as CasesHandlers from "./CasesHandlers.js"
import * as DeliberationHandlers from "./DeliberationHandlers.js"
import * as ErrorBody from "./ErrorBody.js"
import * as HierarchyHandlers from "./HierarchyHandlers.js"
import * as ListsHandlers from "./ListsHandlers.js"
import * as MapHandlers from "./MapHandlers.js"
import * as MetricsHandlers from "./MetricsHandlers.js"
import * as OrganizationHandlers from "./OrganizationHandlers.js"
import * as PeopleHandlers from "./PeopleHandlers.js"
import { CurrentRoleTable } from "./Principal.js"
import * as SessionHandlers from "./SessionHandlers.js"

/**
 * Options of the server layer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Where the OpenAPI document is served (default `/openapi.json`). */
  readonly openApiPath?: `/${string}`
  /** Where Swagger UI is served (default `/docs`). */
  readonly docsPath?: `/${string}`
  /** An HTTP middleware around the whole app (e.g. `HttpMiddleware.logger`). */
  readonly middleware?: (app: HttpApp.Default) => HttpApp.Default
  /**
   * 请求体上限 — the largest request body of the JSON API, in bytes (default
   * `BodyGuard.defaultMaxBodyBytes`, 256 KiB): a larger one is a 413
   * `BodyTooLarge`, refused before it is read.
   */
  readonly maxBodyBytes?: number
  /**
   * Path prefixes served by other routers on the same server, which answer
   * their errors in their own format and keep their own body limit (default
   * `["/open311"]`).
   */
  readonly passThrough?: ReadonlyArray<string>
  /**
   * 角色表 — the role table the API's principals draw on (`GET /me` names a
   * local role from it; `Principal.CurrentRoleTable`). Default
   * `RoleTable.standard`. Checked (`RoleTable.make`): an invalid table is a
   * defect when the layer is built. The token verifier reads the same
   * reference — give it the same table (`Authorization.layerLookup` under
   * `layerRoleTable`).
   */
  readonly roleTable?: RoleTable.RoleTable
}

/**
 * 角色表层 — provides `Principal.CurrentRoleTable`: the table, checked with
 * `RoleTable.make` (an invalid table is a defect, listing every violation).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerRoleTable = (table: RoleTable.RoleTable): Layer.Layer<CurrentRoleTable> =>
  Layer.effect(CurrentRoleTable, Effect.orDie(RoleTable.make(table)))

/**
 * The routes of the `Api` as `[method, path template]`.
 *
 * @since 0.1.0
 * @category getters
 */
export const routes: ReadonlyArray<readonly [string, string]> = Object.values(Api.groups).flatMap((group) =>
  Object.values(group.endpoints).map((endpoint): readonly [string, string] => [
    endpoint.method,
    endpoint.path
  ])
)

/**
 * The API-level middlewares of `layer`: the body limit (`BodyGuard`) and JSON
 * error bodies for everything the platform answers itself (`ErrorBody`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMiddleware = (options: Options = {}): Layer.Layer<never> => {
  const passThrough = options.passThrough ?? ["/open311"]
  return Layer.mergeAll(
    HttpApiBuilder.middleware(
      BodyGuard.middlewareBodyLimit({
        passThrough,
        ...(options.maxBodyBytes === undefined ? {} : { maxBytes: options.maxBodyBytes })
      })
    ),
    HttpApiBuilder.middleware(ErrorBody.middleware({ passThrough, routes }))
  )
}

/**
 * The repositories the API runs over — the core's ports — and the case
 * settings (`CaseService.Settings`: catalogue, routing table, tier levels)
 * shared with Open311. `SqlRepositories.layer` of `@civicgrid/sql` provides
 * them all; so do the core's in-memory layers with `CaseService.layerSettings`
 * (`PolicyRepository.layerMemory` for the policies the `admin` group writes).
 *
 * @since 0.1.0
 * @category models
 */
export type Repositories =
  | CaseService.Settings
  | CaseRepository
  | DepartmentRepository
  | HierarchyRepository
  | GridRepository
  | ListRepository
  | PolicyRepository
  | SurveyRepository
  | IndicatorSource

/**
 * The `Api` with its handlers and authorization (without a server): for
 * `HttpApiBuilder.serve`, `HttpApiBuilder.toWebHandler` and the like.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApi: Layer.Layer<HttpApi.Api, never, Repositories | Authorization.TokenVerifier> =
  HttpApiBuilder.api(Api).pipe(
    Layer.provide([
      CasesHandlers.layer,
      HierarchyHandlers.layer,
      HierarchyHandlers.layerGrids,
      ListsHandlers.layer,
      MetricsHandlers.layer,
      MetricsHandlers.layerSurveys,
      AdminHandlers.layer,
      SessionHandlers.layer,
      MapHandlers.layer,
      PeopleHandlers.layer,
      OrganizationHandlers.layer,
      OrganizationHandlers.layerDirectory,
      DeliberationHandlers.layer,
      DeliberationHandlers.layerPublications
    ]),
    Layer.provide(Authorization.layer)
  )

/** The tracer of a runtime whose app configured none: Effect's own, which hands spans to no one. */
const defaultTracer: Tracer.Tracer = Effect.runSync(Effect.tracer)

/**
 * Whether a tracer records spans for someone: any tracer but Effect's default
 * (what a runtime has when the app configured none).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRecording = (tracer: Tracer.Tracer): boolean => tracer !== defaultTracer

/**
 * `GET <path>`: the OpenAPI document of the ambient `Api` (`OpenApi.fromApi`,
 * as `HttpApiBuilder.middlewareOpenApi` serves it), generated on its first
 * request and kept — not while the server starts.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerOpenApi = (path: `/${string}` = "/openapi.json"): Layer.Layer<never, never, HttpApi.Api> =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function* () {
      const { api } = yield* HttpApi.Api
      const response = yield* Effect.cached(
        Effect.suspend(() => HttpServerResponse.json(OpenApi.fromApi(api))).pipe(Effect.orDie)
      )
      yield* router.get(path, response)
    })
  )

/**
 * `GET <path>`: Swagger UI over the ambient `Api` (`HttpApiSwagger`'s page),
 * built on its first request and kept — its module (the Swagger UI bundle,
 * about 2 MB) is loaded then, not while the server starts.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerDocs = (path: `/${string}` = "/docs"): Layer.Layer<never, never, HttpApi.Api> =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function* () {
      const { api } = yield* HttpApi.Api
      const scope = yield* Effect.scope
      const page = yield* Effect.cached(
        Effect.gen(function* () {
          const [Swagger, LayerRouter] = yield* Effect.promise(() =>
            Promise.all([
              import("@effect/platform/HttpApiSwagger"),
              import("@effect/platform/HttpLayerRouter")
            ])
          )
          // Swagger's own route on a router of its own (kept for the server's lifetime), asked once
          const app = yield* LayerRouter.toHttpEffect(Swagger.layerHttpLayerRouter({ api, path })).pipe(
            Scope.extend(scope)
          )
          return yield* app.pipe(
            Effect.scoped,
            Effect.provideService(
              HttpServerRequest.HttpServerRequest,
              HttpServerRequest.fromWeb(new Request(`http://docs${path}`))
            )
          )
        }).pipe(Effect.orDie)
      )
      yield* router.get(path, page)
    })
  )

/**
 * The API served on the ambient `HttpServer`, with `/openapi.json` and `/docs`
 * (both built on their first request: `layerOpenApi`, `layerDocs`).
 * Without a configured tracer (`isRecording`, seen when the layer is built)
 * requests run with tracing off.
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
  Layer.unwrapEffect(
    Effect.map(Effect.tracer, (tracer) => {
      const outer = options.middleware
      const middleware = isRecording(tracer)
        ? outer
        : (app: HttpApp.Default): HttpApp.Default =>
            Effect.withTracerEnabled(outer === undefined ? app : outer(app), false)
      return HttpApiBuilder.serve(middleware)
    })
  ).pipe(
    Layer.provide(layerDocs(options.docsPath ?? "/docs")),
    Layer.provide(layerOpenApi(options.openApiPath ?? "/openapi.json")),
    Layer.provide(layerMiddleware(options)),
    Layer.provide(layerApi),
    Layer.provide(options.roleTable === undefined ? Layer.empty : layerRoleTable(options.roleTable))
  )
