/**
 * `civicgrid serve` binds its port only once the app is ready (migrated, the
 * hierarchy cache loaded, the API built): polled from the moment the
 * executable starts, connections are refused until then, and every
 * connection the port accepts is answered — the first `GET /health` with 200.
 */
import { spawn } from "node:child_process"
import { request } from "node:http"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const bin = fileURLToPath(new URL("../bin/civicgrid.js", import.meta.url))

const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** One `GET /health`: its status, refused, hung (accepted, no answer in 10 s), or broken (reset …). */
const attempt = (port: number): Promise<number | "refused" | "hung" | string> =>
  new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/health", timeout: 10_000 }, (res) => {
      res.resume()
      res.on("end", () => resolve(res.statusCode ?? 0))
    })
    req.on("timeout", () => {
      req.destroy()
      resolve("hung")
    })
    req.on("error", (e: NodeJS.ErrnoException) =>
      resolve(e.code === "ECONNREFUSED" ? "refused" : (e.code ?? e.message))
    )
    req.end()
  })

describe("civicgrid serve — start", () => {
  it.scoped(
    "polled from the start, every accepted connection is answered and the first /health is 200",
    () =>
      Effect.gen(function* () {
        const url = yield* Databases.sqlite.fresh
        const seeded = yield* TestConsole.runCli([
          "seed",
          "--streets",
          "1",
          "--communities-per-street",
          "1",
          "--cases",
          "10",
          "--database",
          url
        ])
        expect(Exit.isSuccess(seeded.exit), seeded.err).toBe(true)
        const port = yield* freePort
        const child = spawn(process.execPath, [bin, "serve", "--port", String(port), "--database", url], {
          stdio: ["ignore", "ignore", "ignore"],
          env: { ...process.env, CIVICGRID_DATABASE_URL: "" }
        })
        yield* Effect.addFinalizer(() => Effect.sync(() => child.exitCode === null && child.kill("SIGKILL")))
        const accepted = yield* Effect.promise(async () => {
          const deadline = Date.now() + 90_000
          while (Date.now() < deadline && child.exitCode === null) {
            const result = await attempt(port)
            if (result !== "refused") return result
            await new Promise((resolve) => setTimeout(resolve, 2))
          }
          return "never accepted"
        })
        expect(accepted).toBe(200)
      }),
    120_000
  )
})
