/**
 * The peer of the start benchmark (`Start.bench.ts`): `node:http` and
 * `better-sqlite3` on the same seeded file, answering `GET /health` (a
 * `SELECT 1`, 200) and `GET /cases/{id}` (the read-model row and the case's
 * events, as the `bare` server of `packages/http/bench/server.ts` does), on
 * `PORT` at 127.0.0.1. It opens the database before it listens.
 *
 *   node --import tsx bench/peer.ts <sqlite file>
 */
import { createServer, type ServerResponse } from "node:http"
import Database from "better-sqlite3"

const file = process.argv[2] ?? ""
const db = new Database(file)
db.pragma("journal_mode = WAL")
const ping = db.prepare("SELECT 1 AS up")
const selectCase = db.prepare("SELECT * FROM cg_cases WHERE case_id = ?")
const selectEvents = db.prepare("SELECT payload FROM cg_case_events WHERE case_id = ? ORDER BY sequence")

const send = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
  res.end(text)
}

const server = createServer((req, res) => {
  const url = req.url ?? "/"
  if (req.method === "GET" && url === "/health")
    return send(res, 200, { status: "ok", db: ping.get() === undefined ? "down" : "up" })
  if (req.method === "GET" && url.startsWith("/cases/")) {
    const caseId = decodeURIComponent(url.slice("/cases/".length).split("?")[0] ?? "")
    const summary = selectCase.get(caseId)
    if (summary === undefined) return send(res, 404, { error: "not found" })
    const events = selectEvents
      .all(caseId)
      .map((row) => JSON.parse(String((row as { payload: unknown }).payload)) as unknown)
    return send(res, 200, { summary, events })
  }
  send(res, 404, { error: "not found" })
})
server.listen(Number(process.env["PORT"] ?? 0), "127.0.0.1")
process.on("SIGTERM", () => {
  server.close()
  server.closeAllConnections()
  db.close()
})
