/**
 * `npm start`: the street-office app on PostgreSQL (`src/app.ts`). Refuses to
 * start, with one line saying why and exit code 1, when
 * `CIVICGRID_DATABASE_URL` is unset or not a PostgreSQL URL, or when the
 * database cannot be reached, migrated or seeded. Ctrl-C / SIGTERM (systemd,
 * docker stop) closes the server, then the database pool.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { layerMain } from "./app.js"

const describeError = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
    ? error.message
    : String(error)

NodeRuntime.runMain(
  Layer.launch(layerMain).pipe(
    Effect.catchAll((error) =>
      Console.error(`civicgrid: 启动失败 cannot start: ${describeError(error)}`).pipe(
        Effect.zipRight(
          Effect.sync(() => {
            process.exitCode = 1
          })
        )
      )
    )
  )
)
