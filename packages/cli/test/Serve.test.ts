/**
 * `civicgrid serve`, as a user runs it (the executable, a child process):
 * it listens on the port asked for (0: any free one, shown in the banner),
 * answers `GET /health`, and on SIGTERM closes the server and the database
 * and exits 0. A port in use is a typed failure.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { ListenFailed } from "../src/commands/Serve.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const bin = fileURLToPath(new URL("../bin/civicgrid.js", import.meta.url))

/** Resolves with the first match of `pattern` in the child's stdout, or rejects when it exits first. */
const waitFor = (child: ChildProcess, pattern: RegExp, output: { text: string }): Promise<RegExpExecArray> =>
  new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output.text)
      if (match !== null) resolve(match)
    }
    child.stdout?.on("data", check)
    child.once("exit", (code) =>
      reject(new Error(`serve exited (${code}) before ${pattern}:\n${output.text}`))
    )
    check()
  })

describe("civicgrid serve", () => {
  it.scoped(
    "serves /health on a free port, then shuts down gracefully on SIGTERM with exit status 0",
    () =>
      Effect.gen(function* () {
        const url = yield* Databases.sqlite.fresh
        // a small district first, so the first start does not seed the full demo
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

        const output = { text: "", err: "" }
        const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--database", url], {
          stdio: ["ignore", "pipe", "pipe"],
          env: { ...process.env, CIVICGRID_DATABASE_URL: "" }
        })
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          output.text += chunk
        })
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
          output.err += chunk
        })
        yield* Effect.addFinalizer(() => Effect.sync(() => child.exitCode === null && child.kill("SIGKILL")))

        const [, base] = yield* Effect.promise(() =>
          waitFor(child, /listening on\s+(http:\/\/\S+)\n/, output)
        )
        const response = yield* Effect.promise(() => fetch(`${base}/health`))
        expect(response.status).toBe(200)
        // unauthenticated, /health shows the status and the version only — never the database's path
        const health = yield* Effect.promise(() => response.json())
        expect(health).toEqual({ status: "ok", version: expect.any(String) })
        expect(JSON.stringify(health)).not.toContain(url.slice("sqlite:".length))
        expect(output.text).toContain("database holds a district: serving its data (not seeded)")

        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
        child.kill("SIGTERM")
        expect(yield* Effect.promise(() => exited)).toBe(0)
        expect(output.text).toContain("GET /health 200")
        expect(output.text).toContain("shutting down")
        expect(output.err).not.toContain("Error")
      }),
    60_000
  )

  it.scoped("a port already in use is a typed failure naming host and port", () =>
    Effect.gen(function* () {
      const url = yield* Databases.sqlite.fresh
      const blocker = createServer()
      const port = yield* Effect.acquireRelease(
        Effect.async<number>((resume) => {
          blocker.listen(0, "127.0.0.1", () => {
            const address = blocker.address()
            resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
          })
        }),
        () => Effect.async<void>((resume) => void blocker.close(() => resume(Effect.void)))
      )
      const run = yield* TestConsole.runCli(["serve", "--port", String(port), "--database", url])
      expect(TestConsole.failureOf(run.exit)).toBeInstanceOf(ListenFailed)
      expect(run.err).toContain(`cannot listen on 127.0.0.1:${port}`)
    })
  )

  it.effect("--port outside 0–65535 is refused before anything starts", () =>
    Effect.gen(function* () {
      const run = yield* TestConsole.runCli(["serve", "--port", "70000"])
      expect(Exit.isFailure(run.exit)).toBe(true)
      expect(run.err).toContain("--port must be an integer from 0 to 65535")
    })
  )
})
