/**
 * 消息队列投递 — the kill test: a child process runs the delivery worker
 * (`nats-child.ts`: `EventDelivery.job` under `Scheduler`, one JetStream
 * subscriber) over a SQLite file holding the events of a dozen cases. It
 * reaches NATS through a local proxy that watches the server's answers: when
 * the stream acknowledges its `KILL_AT`-th message, the worker is killed
 * (SIGKILL) before the acknowledgement reaches it — so that event is in the
 * stream and was never marked delivered. A restarted worker finishes the job
 * and publishes that event again; JetStream drops it (`Nats-Msg-Id`, the
 * acknowledgement says duplicate). Afterwards the stream holds every
 * committed event exactly once, each case's in sequence, and the outbox has
 * none pending.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlCaseRepository from "@civicgrid/sql/SqlCaseRepository"
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { sqliteFile } from "@civicgrid/testkit/Databases"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import { describe, expect, it } from "vitest"
import * as JetStream from "../src/JetStream.js"
import { makeAdmin, makeProxy, unique } from "./support.js"

const here = dirname(fileURLToPath(import.meta.url))
const packageDir = join(here, "..")
/** The stream sequence whose acknowledgement the first worker never gets. */
const KILL_AT = 15

/** Stores the events of the cases and answers the outbox's event ids. */
const prepare = (filename: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      yield* Effect.orDie(Migrations.run)
      const repo = yield* CaseRepository
      const [sample] = fc.sample(CaseHistory.histories({ cases: { min: 12, max: 12 } }), {
        numRuns: 1,
        seed: 16
      })
      if (sample === undefined) return yield* Effect.dieMessage("no sample")
      yield* repo.appendAll(
        sample.cases
          .filter((h) => h.events.length > 0)
          .map((h) => ({ caseId: h.caseId, expectedVersion: 0, events: h.events }))
      )
      const sql = yield* SqlClient.SqlClient
      const rows = yield* Effect.orDie(sql<{ readonly event_id: string }>`SELECT event_id FROM cg_outbox`)
      return rows.map((r) => r.event_id)
    }).pipe(
      Effect.provide(SqlCaseRepository.layer().pipe(Layer.provideMerge(SqliteClient.layer({ filename })))),
      Effect.orDie
    )
  )

/** The outbox's events not yet delivered to the subscriber `nats`. */
const pendingCount = (filename: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ readonly n: number }>`
        SELECT COUNT(*) AS n FROM cg_outbox o
        LEFT JOIN cg_outbox_deliveries d ON d.subscriber_id = 'nats' AND d.event_id = o.event_id
        WHERE d.delivered_at IS NULL`
      return Number(rows[0]?.n ?? -1)
    }).pipe(Effect.provide(SqliteClient.layer({ filename })), Effect.orDie)
  )

const startWorker = (filename: string, server: string, stream: string, prefix: string): ChildProcess => {
  const child = spawn(
    process.execPath,
    [
      "--conditions=@civicgrid/source",
      "--import",
      "tsx",
      join(here, "nats-child.ts"),
      filename,
      server,
      stream,
      prefix
    ],
    { cwd: packageDir, stdio: ["ignore", "ignore", "pipe"] }
  )
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk))
  return child
}

const closed = (child: ChildProcess) =>
  new Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode })
    else child.on("close", (code, signal) => resolve({ code, signal }))
  })

const waitFor = async (condition: () => Promise<boolean>, what: string, millis = 40_000) => {
  const until = Date.now() + millis
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe("JetStream delivery — the worker killed mid-delivery", () => {
  it("a restarted worker republishes the unacknowledged event; the stream holds every event exactly once", async () => {
    const db = sqliteFile()
    const u = unique()
    const stream = `CGTEST_${u}`
    const prefix = `cgtest.${u.toLowerCase()}`
    const admin = await makeAdmin()
    let worker: ChildProcess | undefined
    let killed = false
    let duplicates = 0
    let tail = ""
    // a PubAck: {"stream":"<name>", "seq":<n>} or {…,"duplicate": true}; matched across chunk boundaries
    const ack = new RegExp(
      `"stream":\\s*"${stream}",\\s*"seq":\\s*(\\d+)(,\\s*"duplicate":\\s*true)?\\s*[,}]`,
      "g"
    )
    // the server's answers to the worker: the KILL_AT-th acknowledgement kills it instead
    const proxy = await makeProxy((chunk) => {
      const text = tail + chunk.toString("latin1")
      let deliver = true
      for (const match of text.matchAll(ack)) {
        // a match within the carried tail was seen with the previous chunk
        if ((match.index ?? 0) + match[0].length <= tail.length) continue
        if (match[2] !== undefined) duplicates++
        if (!killed && Number(match[1]) === KILL_AT && worker !== undefined) {
          killed = true
          worker.kill("SIGKILL")
          deliver = false
        }
      }
      tail = text.slice(-200)
      return deliver
    })
    try {
      const outbox = await prepare(db.filename)
      expect(outbox.length).toBeGreaterThan(KILL_AT + 10)

      worker = startWorker(db.filename, proxy.url, stream, prefix)
      const first = await closed(worker)
      expect(first.signal).toBe("SIGKILL")
      expect(killed).toBe(true)
      // the event in flight is stored, not marked delivered
      expect(await admin.count(stream)).toBe(KILL_AT)
      expect(await pendingCount(db.filename)).toBe(outbox.length - (KILL_AT - 1))

      worker = startWorker(db.filename, proxy.url, stream, prefix)
      await waitFor(async () => (await pendingCount(db.filename)) === 0, "every event delivered")
      worker.kill("SIGKILL")
      await closed(worker)

      const messages = await admin.messages(stream)
      const ids = messages.map((m) => decodeURIComponent(m.headers[JetStream.headerNames.eventId] ?? ""))
      expect(ids.length).toBe(outbox.length)
      expect(new Set(ids)).toEqual(new Set(outbox))
      // the republished event was acknowledged as a duplicate and not stored again
      expect(duplicates).toBeGreaterThanOrEqual(1)
      const perCase = new Map<string, Array<number>>()
      for (const m of messages) {
        const caseId = decodeURIComponent(m.headers[JetStream.headerNames.caseId] ?? "")
        perCase.set(caseId, [
          ...(perCase.get(caseId) ?? []),
          Number(m.headers[JetStream.headerNames.sequence])
        ])
      }
      for (const sequences of perCase.values()) expect(sequences).toEqual(sequences.map((_, k) => k + 1))
    } finally {
      if (worker !== undefined && worker.exitCode === null && worker.signalCode === null)
        worker.kill("SIGKILL")
      await proxy.close()
      await admin.deleteStream(stream)
      await admin.close()
      db.cleanup()
    }
  }, 60_000)
})
