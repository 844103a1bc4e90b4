/**
 * Run by the boundary test in a child process that cannot resolve any database
 * module (`registerNoDatabase.mjs`): imports the HTTP contract (or, with
 * `all`, the whole package), derives a typed client from it and prints the
 * client's groups and the number of endpoints in the OpenAPI document. With
 * `control` it imports `@civicgrid/sql` first — which must fail, showing the
 * hook is in place.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Effect from "effect/Effect"

if (process.argv[2] === "control") await import("@civicgrid/sql/SqlRepositories")

const { Api } =
  process.argv[2] === "all" ? (await import("@civicgrid/http")).Api : await import("@civicgrid/http/Api")
const client = await Effect.runPromise(
  HttpApiClient.make(Api, { baseUrl: "http://127.0.0.1:9" }).pipe(Effect.provide(FetchHttpClient.layer))
)
const paths = Object.keys(OpenApi.fromApi(Api).paths)
process.stdout.write(`${JSON.stringify({ groups: Object.keys(client).sort(), paths: paths.length })}\n`)
