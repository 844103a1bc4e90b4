/**
 * 事件投递 — the kill test (issue 16): a child process runs the delivery
 * worker (`webhook-child.ts`: `EventDelivery.job` under `Scheduler`, one
 * signed webhook subscriber) over a SQLite file holding the events of a dozen
 * cases. A local receiver verifies every request's signature; it answers
 * quickly for the first events, then slowly, and when the `KILL_AT`-th request
 * arrives the worker is killed (SIGKILL) before it gets the answer — so that
 * event reached the receiver and was never marked delivered. A restarted
 * worker finishes the job: every committed event reached the receiver at least
 * once (the killed one twice), every request was correctly signed, and the set
 * of distinct event ids received equals the outbox.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as Webhook from "@civicgrid/http/Webhook"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlCaseRepository from "@civicgrid/sql/SqlCaseRepository"
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { sqliteFile } from "@civicgrid/testkit/Databases"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"

const here = dirname(fileURLToPath(import.meta.url))
const packageDir = join(here, "..")
const SECRET = "kill-test-secret"
/** The request at which the first worker is killed (its answer never comes). */
const KILL_AT = 15
/** Requests answered at once; after them, the receiver answers slowly. */
const FAST = 10

interface Received {
  readonly id: string
  readonly verified: boolean
}

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

const startWorker = (filename: string, url: string): ChildProcess => {
  const child = spawn(
    process.execPath,
    [
      "--conditions=@civicgrid/source",
      "--import",
      "tsx",
      join(here, "webhook-child.ts"),
      filename,
      url,
      SECRET
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

const waitFor = async (condition: () => boolean, what: string, millis = 90_000) => {
  const until = Date.now() + millis
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe("webhook delivery — the worker killed mid-delivery", () => {
  it("a restarted worker delivers every committed event at least once; distinct ids = the outbox", async () => {
    const db = sqliteFile()
    const received: Array<Received> = []
    const pending: Array<ServerResponse> = []
    let worker: ChildProcess | undefined
    let killed = false
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8")
        const verified = Webhook.verify(Redacted.make(SECRET), request.headers, body, { now: Date.now() })
        const id = Either.isRight(verified) ? verified.right.eventId : `unverified ${body.slice(0, 40)}`
        received.push({ id, verified: Either.isRight(verified) && JSON.parse(body).id === id })
        if (!killed && received.length === KILL_AT && worker !== undefined) {
          // the worker dies before the answer: this event is received but never marked delivered
          killed = true
          worker.kill("SIGKILL")
          pending.push(response)
          return
        }
        const answer = () => response.writeHead(204).end()
        if (!killed && received.length > FAST) setTimeout(answer, 100)
        else answer()
      })
    })
    try {
      const outbox = await prepare(db.filename)
      expect(outbox.length).toBeGreaterThan(KILL_AT + 10)
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`

      worker = startWorker(db.filename, url)
      const first = await closed(worker)
      expect(first.signal).toBe("SIGKILL")
      expect(killed).toBe(true)
      const atKill = received.length
      expect(atKill).toBe(KILL_AT)
      const lost = received[KILL_AT - 1]?.id

      worker = startWorker(db.filename, url)
      const ids = new Set(outbox)
      await waitFor(() => ids.size === new Set(received.map((r) => r.id)).size, "every event delivered")
      worker.kill("SIGKILL")
      await closed(worker)

      expect(received.every((r) => r.verified)).toBe(true)
      expect(new Set(received.map((r) => r.id))).toEqual(ids)
      // the event in flight at the kill came again
      expect(received.filter((r) => r.id === lost).length).toBeGreaterThanOrEqual(2)
      // per case, the first arrivals are in sequence order
      const firstSeen: Array<string> = []
      for (const r of received) if (!firstSeen.includes(r.id)) firstSeen.push(r.id)
      const byCase = new Map<string, Array<number>>()
      for (const id of firstSeen) {
        const at = id.lastIndexOf(":")
        const list = byCase.get(id.slice(0, at)) ?? []
        list.push(Number(id.slice(at + 1)))
        byCase.set(id.slice(0, at), list)
      }
      for (const sequences of byCase.values()) expect(sequences).toEqual(sequences.map((_, k) => k + 1))
    } finally {
      if (worker !== undefined && worker.exitCode === null && worker.signalCode === null)
        worker.kill("SIGKILL")
      for (const response of pending) response.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      db.cleanup()
    }
  }, 120_000)
})
