/**
 * The street-office program binds its port only once the app is ready
 * (migrated, seeded, the hierarchy cache loaded, the API built): a client
 * polling `/health` from the moment the process starts sees connections
 * refused, then answers — every connection the port accepts is answered
 * (none hangs, none is reset), and the first answer is 200.
 */
import { spawn } from "node:child_process"
import { request } from "node:http"
import { createRequire } from "node:module"
import { createServer } from "node:net"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Database from "@civicgrid/demo/Database"
import * as Seed from "@civicgrid/demo/Seed"
import * as Databases from "@civicgrid/testkit/Databases"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"

const exampleDir = fileURLToPath(new URL("..", import.meta.url))
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli")

const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** One `GET /health`: its status, or what went wrong with the connection. */
type Attempt =
  | { readonly _tag: "Answered"; readonly status: number }
  | { readonly _tag: "Refused" }
  | { readonly _tag: "Hung" }
  | { readonly _tag: "Broken"; readonly code: string }

/** A connection accepted but not answered within this long is a hang (the app answers /health in milliseconds). */
const hangAfterMs = 10_000

const attempt = (port: number): Promise<Attempt> =>
  new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/health", timeout: hangAfterMs }, (res) => {
      res.resume()
      res.on("end", () => resolve({ _tag: "Answered", status: res.statusCode ?? 0 }))
      res.on("error", (e: NodeJS.ErrnoException) => resolve({ _tag: "Broken", code: e.code ?? e.message }))
    })
    req.on("timeout", () => {
      req.destroy()
      resolve({ _tag: "Hung" })
    })
    req.on("error", (e: NodeJS.ErrnoException) =>
      resolve(e.code === "ECONNREFUSED" ? { _tag: "Refused" } : { _tag: "Broken", code: e.code ?? e.message })
    )
    req.end()
  })

describe("street-office start", () => {
  it.effect(
    "polled from the moment it starts, every accepted connection is answered and the first answer to /health is 200",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir("civicgrid-street-office-start-")
        const file = join(dir, "street-office.sqlite")
        yield* Seed.prepare({ cases: { count: 20 } }).pipe(
          Effect.provide(Seed.layerStores),
          Effect.provide(Database.layer(Database.sqlite(file))),
          Effect.orDie
        )
        const port = yield* freePort
        const child = yield* Effect.acquireRelease(
          Effect.sync(() =>
            spawn(process.execPath, [tsxCli, "--conditions=@civicgrid/source", "src/main.ts"], {
              cwd: exampleDir,
              env: {
                ...process.env,
                PORT: String(port),
                HOST: "127.0.0.1",
                CIVICGRID_DATABASE_URL: `sqlite:${file}`
              },
              stdio: ["ignore", "ignore", "ignore"]
            })
          ),
          (child) => Effect.sync(() => child.exitCode === null && child.kill("SIGKILL"))
        )
        const attempts = yield* Effect.promise(async () => {
          const seen: Array<Attempt> = []
          const deadline = Date.now() + 90_000
          while (Date.now() < deadline && child.exitCode === null) {
            const next = await attempt(port)
            seen.push(next)
            if (next._tag !== "Refused") break
            await new Promise((resolve) => setTimeout(resolve, 2))
          }
          return seen
        })
        const accepted = attempts.filter((a) => a._tag !== "Refused")
        // the first connection accepted is answered, with 200: the app was ready when the port opened
        expect(accepted).toEqual([{ _tag: "Answered", status: 200 }])
        // and the ones after it too
        const more = yield* Effect.promise(() => Promise.all([attempt(port), attempt(port), attempt(port)]))
        expect(more).toEqual([
          { _tag: "Answered", status: 200 },
          { _tag: "Answered", status: 200 },
          { _tag: "Answered", status: 200 }
        ])
      }).pipe(Effect.scoped),
    120_000
  )
})
