/**
 * 加固 — the JSON API's answers to hostile and failing requests (issue 12),
 * sent as raw HTTP (`fetch`, `node:http`) to an in-process server on
 * 127.0.0.1 over SQLite:
 *
 * - finding 2: a body over the limit (declared or chunked) is a 413 with a
 *   JSON body, nothing stored, the connection answered;
 * - finding 8: every 4xx carries a JSON body naming the field and the rule;
 *   no schema type text;
 * - finding 12: impossible dates are refused on every endpoint taking one;
 * - finding 10: failed authentication is rate-limited per address (429 with
 *   `Retry-After`); a 500 is logged with its cause;
 * - finding 6: `StorageUnavailable` (failed or died with) is a 503 with
 *   `Retry-After`.
 */
import { createServer, request as httpRequest } from "node:http"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as Storage from "@civicgrid/core/Storage"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Authorization from "../src/Authorization.js"
import * as Principal from "../src/Principal.js"
import * as Server from "../src/Server.js"
import { sqlite } from "./support/Databases.js"
import { B1, C1, D, reportAt, seedDemo } from "./support/Harness.js"

const tokens = new Map<string, Principal.Principal>([
  ["h-district", Principal.make({ id: "h-district", role: "district-staff", unitId: D })],
  ["h-worker", Principal.make({ id: "h-worker", role: "grid-worker", unitId: C1 })]
])

interface EnvOptions {
  readonly server?: Server.Options
  readonly rateLimit?: Authorization.RateLimitOptions
  /** Replaces the case store (built over the SQL one). */
  readonly cases?: (repo: CaseRepository["Type"]) => CaseRepository["Type"]
  /** Replaces the hierarchy store (built over the SQL one). */
  readonly hierarchy?: (repo: HierarchyRepository["Type"]) => HierarchyRepository["Type"]
  readonly logs?: Array<string>
}

const envOf = (options: EnvOptions = {}) => {
  const migrated = Layer.effectDiscard(Migrations.run.pipe(Effect.orDie)).pipe(
    Layer.provideMerge(sqlite.fresh())
  )
  const repositories = SqlRepositories.layer().pipe(Layer.provideMerge(migrated))
  const cases =
    options.cases === undefined
      ? Layer.empty
      : Layer.effect(
          CaseRepository,
          Effect.map(CaseRepository, (repo) => (options.cases === undefined ? repo : options.cases(repo)))
        )
  const hierarchy =
    options.hierarchy === undefined
      ? Layer.empty
      : Layer.effect(
          HierarchyRepository,
          Effect.map(HierarchyRepository, (repo) =>
            options.hierarchy === undefined ? repo : options.hierarchy(repo)
          )
        )
  const logs = options.logs
  const logger =
    logs === undefined
      ? Layer.empty
      : Logger.replace(
          Logger.defaultLogger,
          Logger.make(({ message, cause, logLevel }) => {
            logs.push(`${logLevel.label} ${JSON.stringify(message)} ${String(cause)}`)
          })
        )
  return Layer.effectDiscard(seedDemo).pipe(
    Layer.provideMerge(
      Server.layer(options.server ?? {}).pipe(
        Layer.provide(Authorization.layerMemory(tokens)),
        Layer.provide(Authorization.layerRateLimit(options.rateLimit ?? { maxFailures: 1_000 })),
        Layer.provide(cases),
        Layer.provide(hierarchy),
        Layer.provideMerge(repositories),
        Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })),
        Layer.provide(logger)
      )
    ),
    Layer.orDie
  )
}

const baseUrl = HttpServer.addressWith((address) =>
  Effect.succeed(address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}` : "http://127.0.0.1")
)

interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: Record<string, unknown>
}

const parse = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

const send = (
  path: string,
  init: { method?: string; token?: string; body?: string | Uint8Array; contentType?: string } = {}
) =>
  Effect.flatMap(baseUrl, (base) =>
    Effect.promise(async (): Promise<Reply> => {
      const headers: Record<string, string> = {}
      if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`
      if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json"
      const response = await fetch(`${base}${path}`, {
        method: init.method ?? (init.body === undefined ? "GET" : "POST"),
        headers,
        ...(init.body === undefined ? {} : { body: init.body })
      })
      const text = await response.text()
      return { status: response.status, headers: response.headers, text, json: parse(text) }
    })
  )

/** A chunked POST (no Content-Length) with `total` bytes, written in 64 KiB chunks, through node:http. */
const sendChunked = (path: string, token: string, total: number) =>
  Effect.flatMap(baseUrl, (base) =>
    Effect.async<{ status: number; text: string } | { error: string }>((resume) => {
      const url = new URL(`${base}${path}`)
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            "transfer-encoding": "chunked"
          }
        },
        (res) => {
          let text = ""
          res.setEncoding("utf8")
          res.on("data", (c: string) => {
            text += c
          })
          res.on("end", () => resume(Effect.succeed({ status: res.statusCode ?? -1, text })))
        }
      )
      req.on("error", (e) => resume(Effect.succeed({ error: String(e) })))
      const head = '{"description":"'
      const chunk = "x".repeat(64 * 1024)
      let sent = 0
      req.write(head)
      const pump = () => {
        while (sent < total) {
          sent += chunk.length
          if (!req.write(chunk)) {
            req.once("drain", pump)
            return
          }
        }
        req.end('"}')
      }
      pump()
    })
  )

const caseCount = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.map(sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM cg_cases`, (rows) => Number(rows[0]?.n))
).pipe(Effect.orDie)

/** Every error answer of the JSON API: a JSON object with `_tag` and a bilingual `message`. */
const expectJsonError = (reply: Reply, status: number) => {
  expect([reply.status, reply.text.length > 0]).toEqual([status, true])
  expect(typeof reply.json._tag).toBe("string")
  expect(String(reply.json.message)).toMatch(/[\u4e00-\u9fff]/)
  expect(String(reply.json.message)).toMatch(/[A-Za-z]{3}/)
  // never the schema's type text
  expect(reply.text).not.toMatch(/readonly|\{ readonly|=>/)
}

describe("body limit (issue 12 finding 2)", () => {
  it.live(
    "请求体上限: a 64 MB description is a 413 with a JSON body before it is read; nothing stored; the connection is answered",
    () =>
      Effect.gen(function* () {
        const before = yield* caseCount
        const huge = JSON.stringify(reportAt(B1, { description: "x".repeat(64 * 1024 * 1024) }))
        const reply = yield* send("/cases", { token: "h-worker", body: huge })
        expectJsonError(reply, 413)
        expect(reply.json).toMatchObject({ _tag: "BodyTooLarge", field: "body", rule: "body-too-large" })
        // just over the default limit
        const over = yield* send("/cases", {
          token: "h-worker",
          body: JSON.stringify(reportAt(B1, { description: "y".repeat(256 * 1024) }))
        })
        expect(over.status).toBe(413)
        expect(yield* caseCount).toBe(before)
        // a body within the limit still goes through
        const ok = yield* send("/cases", { token: "h-worker", body: JSON.stringify(reportAt(B1)) })
        expect(ok.status).toBe(201)
      }).pipe(Effect.provide(envOf())),
    60_000
  )

  it.live(
    "请求体上限: a chunked body (no Content-Length) over the limit is a 413 with a JSON body; one within it is read",
    () =>
      Effect.gen(function* () {
        const before = yield* caseCount
        const reply = yield* sendChunked("/cases", "h-worker", 8 * 1024 * 1024)
        expect(reply).toMatchObject({ status: 413 })
        if ("text" in reply)
          expect(parse(reply.text)).toMatchObject({ _tag: "BodyTooLarge", rule: "body-too-large" })
        expect(yield* caseCount).toBe(before)
        // within the limit, chunked: read once and decoded (the payload is refused by its schema, not lost)
        const small = yield* sendChunked("/cases", "h-worker", 64 * 1024)
        expect(small).toMatchObject({ status: 400 })
        if ("text" in small) expect(parse(small.text)).toMatchObject({ _tag: "HttpApiDecodeError" })
      }).pipe(Effect.provide(envOf())),
    60_000
  )

  it.live("the limit is configurable on the server layer", () =>
    Effect.gen(function* () {
      const body = JSON.stringify(reportAt(B1))
      const reply = yield* send("/cases", { token: "h-worker", body })
      expect(reply.status).toBe(413)
      expect(reply.json).toMatchObject({ maxBytes: 64 })
    }).pipe(Effect.provide(envOf({ server: { maxBodyBytes: 64 } })))
  )
})

describe("error bodies (issue 12 finding 8)", () => {
  it.live(
    "错误体: malformed JSON, a JSON BOM, long and undecodable paths, unknown methods — each a JSON 4xx",
    () =>
      Effect.gen(function* () {
        const malformed = yield* send("/cases", { token: "h-worker", body: '{"a":' })
        expectJsonError(malformed, 400)
        expect(malformed.json).toMatchObject({ field: "body", rule: "malformed-json" })

        // a byte-order mark is refused (RFC 8259 §8.1), with a JSON 400 that says so
        const bom = yield* send("/cases", {
          token: "h-worker",
          body: `\ufeff${JSON.stringify(reportAt(B1))}`
        })
        expectJsonError(bom, 400)
        expect(bom.json).toMatchObject({ field: "body", rule: "json-bom" })

        const long = yield* send(`/cases/${"A".repeat(5_000)}`, { token: "h-worker" })
        expectJsonError(long, 400)
        expect(long.json).toMatchObject({ field: "caseId", rule: "max-length" })

        const undecodable = yield* send("/cases/%ZZ", { token: "h-worker" })
        expectJsonError(undecodable, 400)
        expect(undecodable.json).toMatchObject({ field: "path", rule: "path-encoding" })

        const method = yield* send("/cases", { token: "h-worker", method: "DELETE" })
        expectJsonError(method, 405)
        expect(method.json).toMatchObject({ rule: "method-not-allowed" })
        expect(method.headers.get("allow")).toContain("GET")

        const unknown = yield* send("/nowhere", { token: "h-worker" })
        expectJsonError(unknown, 404)
        expect(unknown.json).toMatchObject({ rule: "unknown-endpoint" })
      }).pipe(Effect.provide(envOf()))
  )

  it.live(
    "错误体: a schema failure names the field and the rule in plain words, never the schema's type text",
    () =>
      Effect.gen(function* () {
        const within = yield* send("/cases?within=%01", { token: "h-district" })
        expectJsonError(within, 400)
        expect(within.json).toMatchObject({ field: "within" })

        const long = yield* send("/cases", {
          token: "h-worker",
          body: JSON.stringify(reportAt(B1, { description: "长".repeat(4_001) }))
        })
        expectJsonError(long, 400)
        expect(long.json).toMatchObject({ field: "description", rule: "max-length" })

        const control = yield* send("/cases", {
          token: "h-worker",
          body: JSON.stringify(reportAt(B1, { description: "a\u0007b" }))
        })
        expectJsonError(control, 400)
        expect(control.json).toMatchObject({ field: "description", rule: "no-control-characters" })

        const missing = yield* send("/cases", {
          token: "h-worker",
          body: JSON.stringify({ urgency: "normal" })
        })
        expectJsonError(missing, 400)
        expect(missing.json).toMatchObject({ rule: "required" })
        expect((missing.json.issues as ReadonlyArray<unknown>).length).toBeGreaterThan(1)

        const wrongType = yield* send("/cases", {
          token: "h-worker",
          body: JSON.stringify({ ...reportAt(B1), description: 42 })
        })
        expectJsonError(wrongType, 400)
        expect(wrongType.json).toMatchObject({ field: "description", rule: "type" })

        const unauthorized = yield* send("/cases")
        expectJsonError(unauthorized, 401)
      }).pipe(Effect.provide(envOf()))
  )
})

describe("impossible dates (issue 12 finding 12)", () => {
  it.live("日期不存在: 2025-02-30 is refused on every endpoint taking a date, naming the field", () =>
    Effect.gen(function* () {
      for (const [path, field] of [
        ["/cases?reportedFrom=2025-02-30", "reportedFrom"],
        ["/cases?reportedTo=2025-02-30T00:00:00Z", "reportedTo"],
        ["/cases?overdueAt=2025-04-31", "overdueAt"],
        ["/lists/tasks?overdueAt=2025-02-29", "overdueAt"],
        ["/metrics/indicators?period=2025-03&asOf=2025-13-01", "asOf"]
      ] as const) {
        const reply = yield* send(path, { token: "h-district" })
        expectJsonError(reply, 400)
        expect([path, reply.json.field, reply.json.rule]).toEqual([path, field, "valid-date"])
      }
      // a real date still works (2024 is a leap year)
      expect((yield* send("/cases?reportedFrom=2024-02-29", { token: "h-district" })).status).toBe(200)
    }).pipe(Effect.provide(envOf()))
  )
})

describe("tokens (issue 12 finding 10)", () => {
  it.live(
    "认证限流: failed authentications from one address are limited — 429 with Retry-After and a JSON body",
    () =>
      Effect.gen(function* () {
        for (let i = 0; i < 3; i++) expect((yield* send("/cases", { token: `guess-${i}` })).status).toBe(401)
        const limited = yield* send("/cases", { token: "guess-4" })
        expectJsonError(limited, 429)
        expect(limited.json).toMatchObject({ _tag: "TooManyRequests", rule: "auth-rate-limit" })
        expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0)
        // the address is refused before its token is checked, valid or not
        expect((yield* send("/cases", { token: "h-district" })).status).toBe(429)
      }).pipe(Effect.provide(envOf({ rateLimit: { maxFailures: 3, windowMillis: 60_000 } })))
  )

  it("the failure table is bounded and forgets after its window", () => {
    const table = Authorization.makeFailureTable({ maxFailures: 2, windowMillis: 1_000, maxAddresses: 100 })
    for (let i = 0; i < 10_000; i++) table.fail(`10.0.${i >> 8}.${i & 255}`, i)
    expect(table.size()).toBeLessThanOrEqual(100)
    table.fail("a", 20_000)
    table.fail("a", 20_001)
    expect(table.blockedFor("a", 20_002)).toBe(1)
    expect(table.blockedFor("a", 21_000)).toBe(0)
  })

  it.live("500: a defect is logged with its cause", () => {
    const logs: Array<string> = []
    return Effect.gen(function* () {
      const reply = yield* send("/cases", { token: "h-district" })
      expect(reply.status).toBe(500)
      expect(logs.some((l) => l.includes("ERROR") && l.includes("store exploded"))).toBe(true)
    }).pipe(
      Effect.provide(
        envOf({
          logs,
          cases: (repo) => ({ ...repo, list: () => Effect.die(new Error("store exploded")) })
        })
      )
    )
  })
})

describe("storage unavailable (issue 12 finding 6)", () => {
  it.live(
    "存储不可用: a port failing — or dying — with StorageUnavailable is a 503 with Retry-After and a JSON body",
    () =>
      Effect.gen(function* () {
        const failed = yield* send("/cases", { token: "h-district" })
        expectJsonError(failed, 503)
        expect(failed.json).toMatchObject({
          _tag: "StorageUnavailable",
          reason: "busy",
          retryAfterSeconds: 7
        })
        expect(failed.headers.get("retry-after")).toBe("7")

        const report = yield* send("/cases", { token: "h-worker", body: JSON.stringify(reportAt(B1)) })
        expectJsonError(report, 503)
        expect(report.json).toMatchObject({ _tag: "StorageUnavailable", reason: "unreachable" })
        expect(report.headers.get("retry-after")).toBe("3")
      }).pipe(
        Effect.provide(
          envOf({
            cases: (repo) => ({
              ...repo,
              list: () => Effect.fail(Storage.unavailable("busy", 7)),
              append: () => Effect.die(Storage.unavailable("unreachable", 3))
            })
          })
        )
      )
  )

  it.effect(
    "存储不可用: a hierarchy store that cannot serve is a 503 on every endpoint that reads it — never read as “no such unit” (404) or an empty list",
    () =>
      Effect.gen(function* () {
        for (const path of [
          "/cases",
          "/lists/problems",
          "/lists/tasks",
          "/hierarchy/departments",
          "/metrics/indicators?period=2025-03"
        ]) {
          const answer = yield* send(path, { token: "h-district" })
          expect([path, answer.status]).toEqual([path, 503])
          expect(answer.json).toMatchObject({ _tag: "StorageUnavailable", reason: "busy" })
          expect(answer.headers.get("retry-after")).toBe("2")
        }
      }).pipe(
        Effect.provide(
          envOf({ hierarchy: (repo) => ({ ...repo, load: Effect.fail(Storage.unavailable("busy", 2)) }) })
        )
      )
  )
})
