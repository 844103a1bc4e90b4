/**
 * The child process of `JetStream.kill.test.ts`: the delivery worker over a
 * SQLite file database — `EventDelivery.job` with one JetStream subscriber,
 * run by `Scheduler.layer` every 20 ms under a SQL lease (a fixed holder id,
 * so a restarted worker takes its lease back at once) — until it is killed.
 *
 * Usage: node --conditions=@civicgrid/source --import tsx test/nats-child.ts <file> <server> <stream> <prefix>
 */
import * as EventDelivery from "@civicgrid/core/EventDelivery"
import * as Scheduler from "@civicgrid/core/Scheduler"
import * as SqlLease from "@civicgrid/sql/SqlLease"
import * as SqlOutbox from "@civicgrid/sql/SqlOutbox"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as JetStream from "../src/JetStream.js"

const [filename, servers, stream, subjectPrefix] = process.argv.slice(2)
if (filename === undefined || servers === undefined || stream === undefined || subjectPrefix === undefined) {
  process.stderr.write("usage: nats-child.ts <file> <server> <stream> <prefix>\n")
  process.exit(2)
}

const worker = Layer.unwrapScoped(
  Effect.map(JetStream.subscriber({ servers, stream, subjectPrefix, timeout: "5 seconds" }), (nats) =>
    Scheduler.layer({
      interval: "20 millis",
      jobs: [EventDelivery.job([nats], { batchSize: 5, base: "50 millis" })]
    })
  )
).pipe(
  Layer.provide(Layer.mergeAll(SqlOutbox.layer, SqlLease.layer({ holder: "kill-test-worker" }))),
  Layer.provide(SqliteClient.layer({ filename }))
)

process.stdout.write("started\n")
Effect.runPromise(Layer.launch(worker)).catch((error: unknown) => {
  process.stderr.write(`nats-child failed: ${String(error)}\n`)
  process.exit(1)
})
