import { CategoryId } from "@civicgrid/core/CaseCategory"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import { UnitId } from "@civicgrid/core/Unit"
import { Api } from "@civicgrid/http/Api"
import * as Authorization from "@civicgrid/http/Authorization"
import type * as Principal from "@civicgrid/http/Principal"
import * as Server from "@civicgrid/http/Server"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { principals, rows } from "./principals.js"

// The bearer tokens the server accepts. `Authorization.layerMemory` is the reference verifier for tests
// and demos; production keeps hashed keys in SQL (api-keys.ts).
const tokens = new Map<string, Principal.Principal>(
  Object.entries(principals).map(([name, p]) => [`t-${name}`, p])
)

// The civicgrid API over SQLite in memory, served in process on an ephemeral port; `layerTest` also
// provides an `HttpClient` aimed at it. The way to check your own access rules in a test.
const layerDatabase = Layer.effectDiscard(Migrations.run).pipe(
  Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" }))
)
export const layerTestServer = Server.layer().pipe(
  Layer.provide(Authorization.layerMemory(tokens)),
  Layer.provideMerge(SqlRepositories.layer()), // every core port on SQL; the HTTP package needs no database
  Layer.provide(layerDatabase),
  Layer.provideMerge(NodeHttpServer.layerTest)
)

// A typed client (derived from the `Api` contract) that sends one principal's token.
const clientOf = (name: keyof typeof principals) =>
  HttpApiClient.make(Api, {
    transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(`t-${name}`))
  })

export const scopeOverHttp = Effect.gen(function* () {
  yield* Effect.flatMap(HierarchyRepository, (repo) => repo.save(LevelScheme.FiveLevel, rows))
  const zhao = yield* clientOf("zhao")

  // 居民上报 — the principal is the reporter; the server places the case in the hierarchy.
  const { caseId } = yield* zhao.cases.report({
    headers: {},
    payload: {
      categoryId: CategoryId.make("SJ-0113"), // 垃圾满溢
      urgency: "normal",
      description: "垃圾桶满溢，请联系 13812341234",
      location: { unitId: UnitId.make("jinsha-yuan-3") },
      contact: { name: "赵小明", phone: "13812341234" }
    }
  })

  // What each principal gets for GET /cases/{caseId}: the reporter's contact, or the 404's message.
  const view = (name: keyof typeof principals) =>
    Effect.flatMap(clientOf(name), (client) => client.cases.get({ path: { caseId }, urlParams: {} })).pipe(
      Effect.map((v) => v.reporter),
      Effect.catchTag("NotFound", (e) => Effect.succeed(`404 ${e.message}`))
    )
  // The description in the case's history (GET /cases/{caseId}/events): free texts are scrubbed for the
  // roles that read the contact masked.
  const description = (name: keyof typeof principals) =>
    Effect.flatMap(clientOf(name), (client) => client.cases.events({ path: { caseId } })).pipe(
      Effect.map((events) => events.flatMap((e) => (e._tag === "Reported" ? [e.description] : [])).join())
    )
  const unknown = yield* Effect.flatMap(clientOf("qian"), (client) =>
    client.cases.get({ path: { caseId: "no-such-case" }, urlParams: {} })
  ).pipe(Effect.catchTag("NotFound", (e) => Effect.succeed(`404 ${e.message}`)))

  return {
    reporter: yield* view("zhao"), // → { name: "赵小明", phone: "13812341234" }: their own report, in full
    otherResident: yield* view("qian"), // → "404 案件不存在或不在您的辖区内 no such case in your jurisdiction"
    unknownId: unknown, // → the very same 404: ids cannot be probed
    gridWorker: yield* view("li"), // → { name: "赵**", phone: "138****1234" }: in scope, masked
    communityStaff: yield* view("wang"), // → { name: "赵小明", phone: "13812341234" }: for the return visit
    otherStreet: yield* view("chen"), // → 404: 拓东街道 is not 金沙社区's street
    gridWorkerReads: yield* description("li"), // → "垃圾桶满溢，请联系 138****1234"
    staffReads: yield* description("wang") // → "垃圾桶满溢，请联系 13812341234"
  }
}).pipe(Effect.provide(layerTestServer))
