/**
 * `npm start`: the street-office example server. SQLite at
 * `./.civicgrid/street-office.sqlite` (under this example) by default;
 * PostgreSQL when `CIVICGRID_DATABASE_URL` is set. Listens on `PORT`
 * (default 3000) on `HOST` (default 127.0.0.1: the demo tokens are well
 * known). Ctrl-C / SIGTERM closes the server and the database.
 */

import { createServer } from "node:http"
import { fileURLToPath } from "node:url"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { type Database, describeDatabase, layerApp, layerDatabase } from "./server.js"

const defaultFile = fileURLToPath(new URL("../.civicgrid/street-office.sqlite", import.meta.url))

const main = Layer.unwrapEffect(
  Effect.gen(function* () {
    const port = yield* Config.port("PORT").pipe(Config.withDefault(3000))
    const host = yield* Config.string("HOST").pipe(Config.withDefault("127.0.0.1"))
    const url = yield* Config.option(Config.redacted("CIVICGRID_DATABASE_URL"))
    const database: Database = Option.match(url, {
      onNone: () => ({ _tag: "sqlite", filename: defaultFile }),
      onSome: (u) => ({ _tag: "pg", url: u })
    })
    return layerApp({ databaseName: describeDatabase(database) }).pipe(
      Layer.provide(layerDatabase(database)),
      Layer.provide(NodeHttpServer.layer(createServer, { port, host }))
    )
  })
)

NodeRuntime.runMain(Layer.launch(main))
