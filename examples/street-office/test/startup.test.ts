/**
 * `npm start` — the bundle its `prestart` builds (`scripts/bundle.mjs`: one
 * ES module and the dashboard's assets in `dist/`), run by plain node — binds
 * its port only once the app is ready
 * (migrated, seeded, the hierarchy cache loaded, the API built): a client
 * polling `/health` from the moment the process starts sees connections
 * refused, then answers — every connection the port accepts is answered
 * (none hangs, none is reset), and the first answer is 200.
 */
import { execFile, spawn } from "node:child_process"
import { request } from "node:http"
import { createServer } from "node:net"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Database from "@civicgrid/demo/Database"
import * as Seed from "@civicgrid/demo/Seed"
import * as Databases from "@civicgrid/testkit/Databases"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"

const exampleDir = fileURLToPath(new URL("..", import.meta.url))

/** `npm start`'s prestart: bundles the server (when stale) into `dist/street-office.mjs`. */
const prestart = Effect.async<void, Error>((resume) => {
  execFile(process.execPath, ["scripts/bundle.mjs"], { cwd: exampleDir }, (error) =>
    resume(error === null ? Effect.void : Effect.fail(error))
  )
})

/** One `GET` of a path: its status and body. */
const get = (port: number, path: string): Promise<{ readonly status: number; readonly body: string }> =>
  new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path }, (res) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (chunk: string) => {
        body += chunk
      })
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on("error", reject)
    req.end()
  })

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
        yield* prestart.pipe(Effect.orDie)
        const port = yield* freePort
        const child = yield* Effect.acquireRelease(
          Effect.sync(() =>
            spawn(process.execPath, ["dist/street-office.mjs"], {
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
        // the bundle serves the dashboard (its assets found beside it) and the API
        const page = yield* Effect.promise(() => get(port, "/"))
        expect(page.status).toBe(200)
        expect(page.body).toContain('<div id="root">')
        const docs = yield* Effect.promise(() => get(port, "/openapi.json"))
        expect(docs.status).toBe(200)
        expect(JSON.parse(docs.body)).toHaveProperty("openapi")
        // what Node refuses by itself is answered in JSON too (NodeServer.createServer)
        const long = yield* Effect.promise(() => get(port, `/cases?q=${"x".repeat(20_000)}`))
        expect(long.status).toBe(431)
        expect(JSON.parse(long.body)).toMatchObject({ _tag: "HeaderTooLarge", rule: "header-size" })
      }).pipe(Effect.scoped),
    120_000
  )
})
