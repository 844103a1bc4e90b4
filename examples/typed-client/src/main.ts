/**
 * 类型化客户端 — walks one case through the loop against a running civicgrid
 * server (by default `npm start`'s street-office server):
 *
 * ```sh
 * npm start                                              # terminal 1: the server
 * npm start --workspace=@civicgrid/example-typed-client  # terminal 2: this client
 * CIVICGRID_API_URL=http://127.0.0.1:8080 CIVICGRID_TOKEN=demo-grid-worker npm start --workspace=@civicgrid/example-typed-client
 * ```
 *
 * Exit code 0 when the case went round the loop, 1 otherwise (the reason on
 * stderr: a token refused, a server not reachable …).
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Flow from "./flow.js"

const baseUrl = process.env["CIVICGRID_API_URL"] || "http://127.0.0.1:3000"
const tokens = Flow.tokensFromEnv(process.env)

const program = Console.log(
  `civicgrid 类型化客户端 typed client → ${baseUrl} (reporter token ${tokens.reporter})`
).pipe(
  Effect.zipRight(Flow.run({ tokens, baseUrl, idempotencyKey: `typed-client-${crypto.randomUUID()}` })),
  Effect.catchAll((error) =>
    Console.error(Flow.describeFailure(error)).pipe(
      Effect.zipRight(
        Effect.sync(() => {
          process.exitCode = 1
        })
      )
    )
  ),
  Effect.provide(FetchHttpClient.layer)
)

NodeRuntime.runMain(program)
