/**
 * `npm start`: the street-office example server, composed from
 * `@civicgrid/demo` — the app (`App.layerServingFromConfig`: migrate, and — explicitly, `seed`
 * — seed the demo district on the first start,
 * the API, Open311, `/health`, request log, banner) on the database
 * `CIVICGRID_DATABASE_URL` names (SQLite at `./.civicgrid/street-office.sqlite`
 * under this example when unset, PostgreSQL for a `postgres://` URL), served
 * by Node (`NodeServer.createServer`: what Node refuses by itself — headers over 16 KiB, bytes
 * that are not HTTP — is answered in JSON too) on `PORT` (default 3000) and `HOST` (default 127.0.0.1: the demo
 * tokens are well known), bound only once the app is ready. Ctrl-C / SIGTERM closes the server, then the
 * database.
 */
import { fileURLToPath } from "node:url"
import * as App from "@civicgrid/demo/App"
import * as NodeServer from "@civicgrid/demo/NodeServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** The SQLite file used when `CIVICGRID_DATABASE_URL` is unset. */
const defaultFile = fileURLToPath(new URL("../.civicgrid/street-office.sqlite", import.meta.url))

/** The program: the app on the configured database, served by Node on `PORT` and `HOST`. */
const main: Layer.Layer<never, App.StartError | HttpServerError.ServeError> = Layer.unwrapEffect(
  Effect.gen(function* () {
    const port = yield* Config.port("PORT").pipe(Config.withDefault(3000))
    const host = yield* Config.string("HOST").pipe(Config.withDefault("127.0.0.1"))
    // the demo: seeding the demo district and its public tokens is this example's explicit choice
    // the port is bound once the app is ready (migrated, seeded, caches loaded): no request waits on a half-started app
    return App.layerServingFromConfig(
      { defaultFile, seed: {} },
      NodeHttpServer.layerServer(NodeServer.createServer, { port, host })
    ).pipe(Layer.provide(NodeHttpServer.layerContext))
  })
)

NodeRuntime.runMain(Layer.launch(main))
