/**
 * 正式运行 — `civicgrid serve` and `civicgrid keys` as an operator runs them
 * (the server a child process on the TypeScript sources): serving never seeds
 * unless asked (`--seed`), an empty database served `--no-seed` answers, the
 * port comes from `--port`, else `PORT`; a key issued by `civicgrid keys
 * issue` into a SQLite file verifies in a server on that file (200), and
 * after `civicgrid keys revoke` no longer does (401, within the server's
 * 5-second key cache); `keys list` never shows
 * a secret.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createRequire } from "node:module"
import { createServer } from "node:net"
import { fileURLToPath, pathToFileURL } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Scope from "effect/Scope"
import { InvalidKeyOptions, KeyNotFound } from "../src/commands/Keys.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const source = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href

interface Served {
  readonly child: ChildProcess
  readonly output: { text: string; err: string }
  readonly base: string
}

/** `civicgrid serve …` from the sources, until it prints its address; killed with the scope. */
const serve = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {}
): Effect.Effect<Served, never, Scope.Scope> =>
  Effect.gen(function* () {
    const output = { text: "", err: "" }
    const child = spawn(
      process.execPath,
      ["--conditions=@civicgrid/source", "--import", tsx, source, "serve", ...args],
      {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, CIVICGRID_DATABASE_URL: "", CIVICGRID_TOKEN_SECRET: "", PORT: "", ...env }
      }
    )
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output.text += chunk
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output.err += chunk
    })
    yield* Effect.addFinalizer(() =>
      Effect.async<void>((resume) => {
        if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        child.kill("SIGTERM")
      })
    )
    const base = yield* Effect.promise(
      () =>
        new Promise<string>((resolve, reject) => {
          const check = () => {
            const match = /listening on\s+(http:\/\/\S+)\n/.exec(output.text)
            if (match?.[1] !== undefined) resolve(match[1])
          }
          child.stdout.on("data", check)
          child.once("exit", (code) =>
            reject(new Error(`serve exited (${code}):\n${output.text}\n${output.err}`))
          )
          check()
        })
    )
    return { child, output, base }
  })

const get = (url: string, token?: string) =>
  Effect.promise(async () => {
    const response = await fetch(
      url,
      token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }
    )
    return { status: response.status, text: await response.text() }
  })

const freePort = Effect.async<number>((resume) => {
  const probe = createServer()
  probe.listen(0, "127.0.0.1", () => {
    const address = probe.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    probe.close(() => resume(Effect.succeed(port)))
  })
})

const cli = (args: ReadonlyArray<string>) =>
  Effect.tap(TestConsole.runCli(args), (run) =>
    Effect.sync(() =>
      expect(Exit.isSuccess(run.exit), `${args.join(" ")}\n${run.out}\n${run.err}`).toBe(true)
    )
  )

const tokenPattern = /^(cg_[0-9a-f]{16}_[A-Za-z0-9_-]{43})$/m

describe("civicgrid serve: seeding is an explicit choice", () => {
  it.scoped(
    "serve on an empty SQLite file (no flag, and --no-seed) seeds nothing and answers: health, Open311 services, 401 for demo tokens, no keys",
    () =>
      Effect.gen(function* () {
        const url = yield* Databases.sqlite.fresh
        for (const flags of [[], ["--no-seed"]]) {
          const served = yield* Effect.scoped(
            Effect.gen(function* () {
              const { base, output } = yield* serve(["--port", "0", ...flags, "--database", url])
              expect((yield* get(`${base}/health`)).status).toBe(200)
              const services = yield* get(`${base}/open311/v2/services.json`)
              expect(services.status).toBe(200)
              expect((JSON.parse(services.text) as ReadonlyArray<unknown>).length).toBeGreaterThan(10)
              expect(yield* get(`${base}/open311/v2/requests.json`)).toEqual({ status: 200, text: "[]" })
              expect((yield* get(`${base}/cases`, "demo-district-staff")).status).toBe(401)
              expect((yield* get(`${base}/cases`, "demo-admin")).status).toBe(401)
              return output
            })
          )
          expect(served.text).toContain("not seeded")
          expect(served.text).not.toContain("demo-open311-key")
          expect(served.text).toContain("civicgrid keys issue")
          expect(served.err).not.toContain("Error")
        }
        // the key store is empty: no public demo token was ever stored
        const listed = yield* cli(["keys", "list", "--database", url])
        expect(listed.out).toContain("no keys")
      }),
    90_000
  )

  it.scoped(
    "serve --seed seeds the demo district and its demo tokens, which then verify",
    () =>
      Effect.gen(function* () {
        const url = yield* Databases.sqlite.fresh
        const { base, output } = yield* serve(["--port", "0", "--seed", "--database", url])
        expect(output.text).toContain("seeded in")
        expect((yield* get(`${base}/cases?limit=1`, "demo-district-staff")).status).toBe(200)
        expect(output.text).toContain("demo-district-staff")
      }),
    120_000
  )

  it.scoped(
    "the port is PORT when --port is absent; --port wins over PORT; a bad PORT is refused naming it",
    () =>
      Effect.gen(function* () {
        const url = yield* Databases.sqlite.fresh
        const port = yield* freePort
        const fromEnv = yield* Effect.scoped(serve(["--database", url], { PORT: String(port) }))
        expect(fromEnv.base).toBe(`http://127.0.0.1:${port}`)
        const other = yield* freePort
        const fromFlag = yield* Effect.scoped(
          serve(["--port", String(other), "--database", url], { PORT: String(port) })
        )
        expect(fromFlag.base).toBe(`http://127.0.0.1:${other}`)
        const bad = yield* TestConsole.runCli(["serve", "--database", url], { env: { PORT: "70000" } })
        expect(Exit.isFailure(bad.exit)).toBe(true)
        expect(bad.err).toContain("PORT")
      }),
    90_000
  )
})

describe("civicgrid keys", () => {
  it.scoped(
    "a token issued by the CLI into a SQLite file verifies in a server on that file (200); revoked, it is a 401 within the key cache's 5 s (at once with CIVICGRID_KEY_CACHE_TTL=0 millis)",
    () =>
      Effect.gen(function* () {
        const url = yield* Databases.sqlite.fresh
        yield* cli([
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
        const issued = yield* cli([
          "keys",
          "issue",
          "--principal",
          "ds-ops",
          "--role",
          "district-staff",
          "--unit",
          "d-530103",
          "--database",
          url
        ])
        const token = tokenPattern.exec(issued.out)?.[1] ?? ""
        expect(token).not.toBe("")
        const id = token.slice(3, 19)
        const open311 = yield* cli([
          "keys",
          "issue",
          "--kind",
          "open311",
          "--client",
          "fms",
          "--name",
          "FixMyStreet",
          "--database",
          url
        ])
        const apiKey = tokenPattern.exec(open311.out)?.[1] ?? ""
        expect(apiKey).not.toBe("")

        // list: every key with its kind and who it stands for — never a secret
        const listed = yield* cli(["keys", "list", "--database", url])
        expect(listed.out).toContain(id)
        expect(listed.out).toContain("ds-ops district-staff @ d-530103")
        expect(listed.out).toContain("client fms (FixMyStreet)")
        expect(listed.out).not.toContain(token)
        expect(listed.out).not.toContain(apiKey)
        expect(listed.out).not.toContain(token.slice(20))

        const { base } = yield* serve(["--port", "0", "--database", url])
        expect((yield* get(`${base}/cases?limit=1`, token)).status).toBe(200)
        // the seed registered the demo tokens (serving seeded nothing more); the issued key is a real principal
        const revoked = yield* cli(["keys", "revoke", id, "--database", url])
        expect(revoked.out).toContain(`revoked key ${id}`)
        // revoked by another process: the server keeps a verified key in memory for 5 s
        // (`SqlApiKeys.defaultCacheTtl`), so the 401 comes within them, not necessarily at once
        const revokedAt = Date.now()
        let status = (yield* get(`${base}/cases?limit=1`, token)).status
        while (status === 200 && Date.now() - revokedAt < 10_000) {
          yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 200)))
          status = (yield* get(`${base}/cases?limit=1`, token)).status
        }
        expect(status).toBe(401)
        expect(Date.now() - revokedAt).toBeLessThan(7_000)
        // CIVICGRID_KEY_CACHE_TTL=0 millis: the store is asked on every request, a revocation holds at once
        const second = yield* cli([
          "keys",
          "issue",
          "--principal",
          "ds-ops-2",
          "--role",
          "district-staff",
          "--unit",
          "d-530103",
          "--database",
          url
        ])
        const token2 = tokenPattern.exec(second.out)?.[1] ?? ""
        expect(token2).not.toBe("")
        const uncached = yield* serve(["--port", "0", "--database", url], {
          CIVICGRID_KEY_CACHE_TTL: "0 millis"
        })
        expect((yield* get(`${uncached.base}/cases?limit=1`, token2)).status).toBe(200)
        yield* cli(["keys", "revoke", token2.slice(3, 19), "--database", url])
        expect((yield* get(`${uncached.base}/cases?limit=1`, token2)).status).toBe(401)
        const again = yield* TestConsole.runCli(["keys", "revoke", id, "--database", url])
        expect(TestConsole.failureOf(again.exit)).toBeInstanceOf(KeyNotFound)
        expect((yield* cli(["keys", "list", "--database", url])).out).toMatch(new RegExp(`${id}.*revoked`))
      }),
    120_000
  )

  it.effect(
    "issue checks the principal with the HTTP rules and the options of its kind, before any database",
    () =>
      Effect.gen(function* () {
        const missing = "sqlite:/nonexistent/never/created.sqlite"
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
          [["--principal", "x", "--role", "mayor", "--unit", "u"], 'unknown role "mayor"'],
          [["--principal", "x", "--role", "信访代表", "--unit", "u"], '未知角色 unknown role "信访代表"'],
          [["--principal", "x", "--role", "department", "--unit", "u"], "departmentId"],
          [
            ["--principal", "x", "--role", "street-staff", "--unit", "u", "--granted-subtree", "c"],
            "grantedSubtree"
          ],
          [["--role", "street-staff", "--unit", "u"], "--principal"],
          [["--principal", "x", "--role", "street-staff", "--unit", "u", "--client", "c"], "--client"],
          [["--kind", "open311", "--client", "c"], "--name"]
        ]
        for (const [args, named] of cases) {
          const run = yield* TestConsole.runCli(["keys", "issue", ...args, "--database", missing])
          expect(Exit.isFailure(run.exit), args.join(" ")).toBe(true)
          expect(run.err, args.join(" ")).toContain(named)
          // refused before the database: no "no database" error, nothing opened
          expect(run.err).not.toContain("数据库文件不存在")
        }
        const foreign = yield* TestConsole.runCli(["keys", "issue", "--name", "n", "--database", missing])
        expect(TestConsole.failureOf(foreign.exit)).toBeInstanceOf(InvalidKeyOptions)
      })
  )
})

for (const dialect of Databases.dialects) {
  describe(`civicgrid keys for a local role (${dialect.name})`, () => {
    it.scoped(
      "--role 信访代办员 issues a key for the role it acts as with the local role stored; list shows both",
      () =>
        Effect.gen(function* () {
          const url = yield* dialect.fresh
          yield* cli(["migrate", "--database", url])
          const issued = yield* cli([
            "keys",
            "issue",
            "--principal",
            "pa-li",
            "--role",
            "信访代办员",
            "--unit",
            "c-001-001",
            "--database",
            url
          ])
          expect(issued.out).toContain("pa-li petition-agent (acting as community-staff) @ c-001-001")
          expect(tokenPattern.exec(issued.out)?.[1]).toBeDefined()
          const listed = yield* cli(["keys", "list", "--database", url])
          expect(listed.out).toContain("pa-li petition-agent (acting as community-staff) @ c-001-001")
        }),
      60_000
    )
  })
}
