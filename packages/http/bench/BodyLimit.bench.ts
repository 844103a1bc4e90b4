/**
 * 请求体上限 — what an oversized body costs the civicgrid server (issue 12
 * finding 2): the server (`bench/server.ts civicgrid`, the full API over a
 * migrated SQLite file, in a child process) receives `POST /cases` bodies of
 * 1, 16 and 64 MB — with a `Content-Length`, and chunked without one — sent
 * from this process in 64 KiB chunks (the client never holds the body).
 * Printed per body: the status, milliseconds to the answer, whether the
 * connection was answered or reset, and the server's resident memory (VmRSS)
 * after it. A declared body over the limit is answered before it is read; a
 * chunked one is read up to the limit, drained without being kept up to 64
 * times the limit, and cut off past that.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { request } from "node:http"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"

const TOKEN = "bench-token-district-staff"
const serverScript = join(dirname(fileURLToPath(import.meta.url)), "server.ts")

const start = (filename: string): Promise<{ child: ChildProcess; port: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@civicgrid/source", "--import", "tsx", serverScript, "civicgrid", filename, TOKEN, "d"],
      { stdio: ["ignore", "pipe", "inherit"] }
    )
    child.once("exit", (code) => reject(new Error(`server exited with ${String(code)}`)))
    if (child.stdout === null) return reject(new Error("no stdout"))
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /^listening (\d+)$/.exec(line)
      if (match?.[1] !== undefined) {
        child.removeAllListeners("exit")
        resolve({ child, port: Number(match[1]) })
      }
    })
  })

const rssMiB = (pid: number | undefined): number => {
  if (pid === undefined) return Number.NaN
  const status = readFileSync(`/proc/${pid}/status`, "utf8")
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "NaN")
  return kb / 1024
}

interface Outcome {
  readonly status: number | "reset"
  readonly millis: number
}

const post = (port: number, bytes: number, declared: boolean): Promise<Outcome> =>
  new Promise((resolve) => {
    const began = performance.now()
    const head = '{"description":"'
    const tail = '"}'
    const chunk = Buffer.alloc(64 * 1024, 0x78)
    const total = head.length + bytes + tail.length
    let settled = false
    const done = (status: Outcome["status"]) => {
      if (settled) return
      settled = true
      resolve({ status, millis: performance.now() - began })
    }
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/cases",
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/json",
          ...(declared ? { "content-length": String(total) } : { "transfer-encoding": "chunked" })
        }
      },
      (res) => {
        res.resume()
        res.on("end", () => done(res.statusCode ?? 0))
      }
    )
    req.on("error", () => done("reset"))
    let sent = 0
    req.write(head)
    const pump = (): void => {
      while (sent < bytes) {
        const piece = bytes - sent >= chunk.length ? chunk : chunk.subarray(0, bytes - sent)
        sent += piece.length
        if (!req.write(piece)) {
          req.once("drain", pump)
          return
        }
      }
      req.end(tail)
    }
    pump()
  })

export const summary: Array<string> = []

export default async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), "civicgrid-bodylimit-"))
  const filename = join(dir, "bench.sqlite")
  await Effect.runPromise(Migrations.run.pipe(Effect.provide(SqliteClient.layer({ filename })), Effect.orDie))
  const { child, port } = await start(filename)
  try {
    console.log("\n请求体上限 body limit (default 256 KiB) — POST /cases")
    console.log(`  server RSS at start: ${rssMiB(child.pid).toFixed(0)} MiB`)
    for (const declared of [true, false]) {
      for (const mb of [1, 16, 64]) {
        const outcome = await post(port, mb * 1024 * 1024, declared)
        const line = `  ${declared ? "Content-Length" : "chunked       "} ${String(mb).padStart(2)} MB → ${String(
          outcome.status
        )} in ${outcome.millis.toFixed(0)} ms; server RSS ${rssMiB(child.pid).toFixed(0)} MiB`
        console.log(line)
        summary.push(`body limit: ${line.trim()}`)
      }
    }
  } finally {
    child.kill("SIGTERM")
    rmSync(dir, { recursive: true, force: true })
  }
}
