/**
 * The child process of `Webhook.kill.test.ts`: the delivery worker over a
 * SQLite file database — `EventDelivery.job` with one signed webhook
 * subscriber, run by `Scheduler.layer` every 20 ms under a SQL lease (a fixed
 * holder id, so a restarted worker takes its lease back at once) — until it
 * is killed.
 *
 * Usage: node --conditions=@civicgrid/source --import tsx test/webhook-child.ts <file> <url> <secret>
 */
import * as EventDelivery from "@civicgrid/core/EventDelivery"
import * as Scheduler from "@civicgrid/core/Scheduler"
import * as SqlLease from "@civicgrid/sql/SqlLease"
import * as SqlOutbox from "@civicgrid/sql/SqlOutbox"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Webhook from "../src/Webhook.js"

const [filename, url, secret] = process.argv.slice(2)
if (filename === undefined || url === undefined || secret === undefined) {
  process.stderr.write("usage: webhook-child.ts <file> <url> <secret>\n")
  process.exit(2)
}

const worker = Layer.unwrapEffect(
  Effect.map(
    Webhook.subscriber({ id: "hook", url, secret: Redacted.make(secret), timeout: "5 seconds" }),
    (hook) =>
      Scheduler.layer({
        interval: "20 millis",
        jobs: [EventDelivery.job([hook], { batchSize: 5, base: "50 millis" })]
      })
  )
).pipe(
  Layer.provide(
    Layer.mergeAll(
      SqlOutbox.layer,
      SqlLease.layer({ holder: "kill-test-worker" }),
      NodeHttpClient.layerUndici
    )
  ),
  Layer.provide(SqliteClient.layer({ filename }))
)

process.stdout.write("started\n")
Effect.runPromise(Layer.launch(worker)).catch((error: unknown) => {
  process.stderr.write(`webhook-child failed: ${String(error)}\n`)
  process.exit(1)
})
