/**
 * The HTTP test harness: an in-process server (`NodeHttpServer.layerTest`) over
 * the SQL stores on a fresh database of each dialect (SQLite always,
 * PostgreSQL when `CIVICGRID_PG_URL` is set — as in the SQL package's
 * support), a token map the test fills with principals, a demo district
 * modelled on seed 001 (盘龙区 → 青云街道 → 金沙社区 …), and typed clients.
 */
import { ActorId, DepartmentId } from "@civicgrid/core/Actor"
import { CategoryId } from "@civicgrid/core/CaseCategory"
import { DepartmentRepository } from "@civicgrid/core/DepartmentRepository"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Api, type ApiClient, type ReportBody } from "../../src/Api.js"
import * as Authorization from "../../src/Authorization.js"
import * as Principal from "../../src/Principal.js"
import * as Server from "../../src/Server.js"

import { type Dialect, dialects, pgUrl } from "./Databases.js"

export { type Dialect, dialects, pgUrl }

/** What a test gets: the stores (to seed), the token map, and the test HTTP client. */
export type Env = Server.Repositories | SqlClient.SqlClient | HttpClient.HttpClient | Tokens

/** The tokens the server accepts (filled by tests). */
export class Tokens extends Effect.Tag("test/Tokens")<Tokens, Map<string, Principal.Principal>>() {}

/**
 * A migrated database of the dialect, the SQL stores and the API served in
 * process; with `timeLimits` (as the example server runs) the store keeps
 * deadlines and the indicator tables.
 */
export const env = (dialect: Dialect, options: SqlRepositories.Options = {}): Layer.Layer<Env> => {
  const tokens = new Map<string, Principal.Principal>()
  const migrated = Layer.effectDiscard(Migrations.run.pipe(Effect.orDie)).pipe(
    Layer.provideMerge(dialect.fresh())
  )
  const repositories = SqlRepositories.layer(options).pipe(Layer.provideMerge(migrated))
  return Server.layer().pipe(
    Layer.provide(Authorization.layerMemory(tokens)),
    Layer.provideMerge(repositories),
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.provideMerge(Layer.succeed(Tokens, tokens)),
    Layer.orDie
  )
}

/** A typed client acting with a token. */
export const clientFor = (token: string): Effect.Effect<ApiClient, never, HttpClient.HttpClient> =>
  HttpApiClient.make(Api, {
    transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(token))
  })

/** Registers a principal under a fresh token and returns a typed client for it. */
export const login = (
  principal: Principal.Principal
): Effect.Effect<
  { readonly token: string; readonly principal: Principal.Principal; readonly client: ApiClient },
  never,
  HttpClient.HttpClient | Tokens
> =>
  Effect.gen(function* () {
    const tokens = yield* Tokens
    const token = `t-${principal.id}-${tokens.size}`
    tokens.set(token, principal)
    return { token, principal, client: yield* clientFor(token) }
  })

// 数字盘龙 (seed 001): 盘龙区 → 青云街道 → 金沙社区 / 北京路社区; 拓东街道 → 南华社区
export const D = Unit.UnitId.make("panlong")
export const S1 = Unit.UnitId.make("qingyun")
export const S2 = Unit.UnitId.make("tuodong")
export const C1 = Unit.UnitId.make("jinsha")
export const C2 = Unit.UnitId.make("beijinglu")
export const C3 = Unit.UnitId.make("nanhua")
export const K1 = Unit.UnitId.make("jinsha-yuan") // a compound in 金沙
export const B1 = Unit.UnitId.make("jinsha-yuan-3") // building 3
export const CHENGGUAN = DepartmentId.make("chengguan")

export const demoRows: ReadonlyArray<Unit.Unit> = [
  Unit.make({ id: D, parentId: null, level: "district", name: "盘龙区" }),
  Unit.make({ id: S1, parentId: D, level: "street", name: "青云街道" }),
  Unit.make({ id: S2, parentId: D, level: "street", name: "拓东街道" }),
  Unit.make({ id: C1, parentId: S1, level: "community", name: "金沙社区" }),
  Unit.make({ id: C2, parentId: S1, level: "community", name: "北京路社区" }),
  Unit.make({ id: C3, parentId: S2, level: "community", name: "南华社区" }),
  Unit.make({ id: K1, parentId: C1, level: "compound", name: "金沙苑" }),
  Unit.make({ id: B1, parentId: K1, level: "building", name: "金沙苑3栋" })
]

/** Saves the demo district and registers its department 城管 (district-wide). */
export const seedDemo = Effect.gen(function* () {
  yield* Effect.flatMap(HierarchyRepository, (repo) => repo.save(LevelScheme.FiveLevel, demoRows))
  yield* Effect.flatMap(DepartmentRepository, (repo) =>
    repo.put([{ id: CHENGGUAN, name: "城管执法局", nameEn: "Urban Management Enforcement", jurisdiction: D }])
  )
}).pipe(Effect.orDie)

export const principal = (
  id: string,
  role: Principal.Role,
  unitId: string,
  departmentId?: string,
  grantedSubtree?: string
) =>
  Principal.make({
    id,
    role,
    unitId,
    ...(departmentId === undefined ? {} : { departmentId }),
    ...(grantedSubtree === undefined ? {} : { grantedSubtree })
  })

export const actorId = ActorId.make

/** 暴露垃圾 — a community-tier 小类 of the standard catalogue. */
export const GARBAGE = "SJ-0102"

/** A report body at a unit. */
export const reportAt = (unitId: Unit.UnitId, overrides: Partial<ReportBody> = {}): ReportBody => ({
  categoryId: CategoryId.make(GARBAGE),
  urgency: "normal",
  description: "金沙苑 3 栋旁垃圾堆放",
  location: { unitId },
  ...overrides
})

/** A raw request with a token (for bodies the typed client cannot send): status, body text, content type. */
export const raw = (
  method: "GET" | "POST",
  url: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {}
) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    let request = method === "GET" ? HttpClientRequest.get(url) : HttpClientRequest.post(url)
    request = HttpClientRequest.setHeaders(request, headers)
    if (token !== undefined) request = HttpClientRequest.bearerToken(request, token)
    if (body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, body)
    const response = yield* client.execute(request)
    const text = yield* response.text
    return { status: response.status, text, contentType: response.headers["content-type"] ?? "" }
  }).pipe(Effect.scoped, Effect.orDie)
