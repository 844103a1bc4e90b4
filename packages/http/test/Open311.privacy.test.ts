/**
 * Open311 and issue 12: what is published (findings 1, 3, 5 and 12's merge),
 * the core's input limits at `POST requests` (finding 6's Open311 side) and a
 * store that cannot serve (503 with `Retry-After`).
 */
import { ActorId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import * as Privacy from "@civicgrid/core/Privacy"
import * as Storage from "@civicgrid/core/Storage"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as Open311 from "../src/Open311.js"
import {
  API_KEY,
  C1,
  client,
  config,
  contractErrors,
  get,
  IN_C1,
  LAMP,
  lampReport,
  parseXml,
  post,
  type Reply,
  server,
  sqlite,
  stores,
  T0
} from "./Open311Fixtures.js"

const HOUR = 3_600_000

const idOf = (reply: Reply): string => {
  const first: unknown = Array.isArray(reply.json) ? reply.json[0] : undefined
  return typeof first === "object" && first !== null && "service_request_id" in first
    ? String(first.service_request_id)
    : ""
}

const firstRequest = (reply: Reply): Record<string, unknown> => {
  const first: unknown = Array.isArray(reply.json) ? reply.json[0] : undefined
  return typeof first === "object" && first !== null ? { ...first } : {}
}

const descriptionsOf = (reply: Reply): ReadonlyArray<string> =>
  (Array.isArray(reply.json) ? reply.json : []).map((e: { readonly description?: unknown }) =>
    String(e.description)
  )

const communityStaff = { id: ActorId.make("cs-1"), role: "community-staff" as const, unitId: C1 }

const ROOM = "金沙小区3栋2单元501室"

describe("Open311 publication policy (finding 5)", () => {
  it.effect(
    "regression: a report was published with its room-level address and exact GPS; by default the address stops at the building and the position is snapped to ~100 m",
    () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(T0)
        const created = yield* post("requests.json", lampReport([["address_string", ROOM]]))
        expect(created.status).toBe(201)
        const shown = firstRequest(yield* get(`requests/${idOf(created)}.json`))
        const coarse = Privacy.coarsenPosition([IN_C1.long, IN_C1.lat], 100)
        expect(shown).toMatchObject({ address: "金沙小区3栋", lat: coarse[1], long: coarse[0] })
        const xml = yield* get(`requests/${idOf(created)}.xml`)
        expect(xml.text).not.toContain("501室")
        expect(xml.text).not.toContain("单元")
        const listed = yield* get("requests.json")
        expect(listed.text).not.toContain("501室")
        expect(listed.text).not.toContain(`${IN_C1.lat},`)
      }).pipe(Effect.provide(server(sqlite)))
  )

  it.effect(
    "publish_exact=true (the reporter's consent) publishes the exact position and the full address",
    () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(T0)
        const created = yield* post(
          "requests.json",
          lampReport([
            ["address_string", ROOM],
            ["publish_exact", "true"]
          ])
        )
        expect(created.status).toBe(201)
        const state = yield* CaseService.load(idOf(created))
        expect(state.publishExact).toBe(true)
        const shown = firstRequest(yield* get(`requests/${idOf(created)}.json`))
        expect(shown).toMatchObject({ address: ROOM, lat: IN_C1.lat, long: IN_C1.long })
        // an explicit refusal stays coarse; a value that is not a boolean is a 400 naming the field
        const refused = yield* post(
          "requests.json",
          lampReport([
            ["address_string", ROOM],
            ["publish_exact", "false"]
          ])
        )
        expect(firstRequest(yield* get(`requests/${idOf(refused)}.json`))).toMatchObject({
          address: "金沙小区3栋"
        })
        const bad = yield* post("requests.json", lampReport([["publish_exact", "maybe"]]))
        expect(bad.status).toBe(400)
        expect(descriptionsOf(bad).some((d) => d.startsWith("publish_exact"))).toBe(true)
      }).pipe(Effect.provide(server(sqlite)))
  )

  it.effect("the policy is configuration: none withholds position and address even on opt-in", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      const created = yield* post(
        "requests.json",
        lampReport([
          ["address_string", ROOM],
          ["publish_exact", "1"]
        ])
      )
      const shown = firstRequest(yield* get(`requests/${idOf(created)}.json`))
      expect(shown).toMatchObject({ address: null, lat: null, long: null })
      expect(yield* Effect.promise(() => contractErrors("requests", [shown]))).toEqual([])
    }).pipe(Effect.provide(server(sqlite, { publication: { position: "none", address: "none" } })))
  )
})

describe("Open311 merge (finding 12)", () => {
  it.effect(
    "regression: a public case merged into a petition published the petition's id; now 已合并至其他案件, and a merge into a public case names it",
    () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(T0)
        yield* CaseService.report({
          caseId: "petition-secret-7",
          actor: communityStaff,
          at: DateTime.unsafeMake(T0),
          source: "petition",
          categoryId: LAMP,
          description: "信访事项",
          location: { unitId: C1 },
          anonymous: true
        })
        const a = idOf(yield* post("requests.json", lampReport()))
        const b = idOf(yield* post("requests.json", lampReport()))
        const c = idOf(yield* post("requests.json", lampReport()))
        const merge = (caseId: string, targetId: string, at: number) =>
          CaseService.execute(caseId, () => ({
            _tag: "Merge",
            caseId: Case.CaseId.make(caseId),
            actor: communityStaff,
            at: DateTime.unsafeMake(at),
            targetId: Case.CaseId.make(targetId)
          }))
        yield* merge(a, "petition-secret-7", T0 + HOUR)
        yield* merge(b, c, T0 + HOUR)
        yield* TestClock.setTime(T0 + 2 * HOUR)

        for (const format of ["json", "xml"] as const) {
          const one = yield* get(`requests/${a}.${format}`)
          const updates = yield* get(`servicerequestupdates.${format}?service_request_id=${a}`)
          const list = yield* get(`requests.${format}`)
          for (const reply of [one, updates, list]) {
            expect(reply.status).toBe(200)
            expect(reply.text).not.toContain("petition-secret-7")
          }
          expect(one.text).toContain("已合并至其他案件")
          expect(updates.text).toContain("已合并至其他案件")
        }
        expect(firstRequest(yield* get(`requests/${a}.json`))).toMatchObject({
          status_notes: "已合并至其他案件"
        })
        expect(firstRequest(yield* get(`requests/${b}.json`))).toMatchObject({ status_notes: `合并至 ${c}` })
        const parsed = parseXml((yield* get(`servicerequestupdates.xml?service_request_id=${b}`)).text)
        expect(JSON.stringify(parsed)).toContain(`合并至 ${c}`)
      }).pipe(Effect.provide(server(sqlite)))
  )
})

describe("Open311 input limits (findings 1, 6)", () => {
  it.effect(
    "fields kept in the case are held to the core's limits: a 400 naming the field, nothing stored",
    () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(T0)
        const cases = yield* CaseRepository
        const before = (yield* cases.list({ limit: 100 })).items.length
        const refusals: ReadonlyArray<readonly [string, string, string]> = [
          ["description", "灯".repeat(4001), "max-length"],
          ["description", "路灯\u0007不亮", "no-control-characters"],
          ["address_string", "金沙小区1栋".repeat(34), "max-length"],
          ["first_name", "张".repeat(101), "max-length"],
          ["last_name", "李".repeat(101), "max-length"],
          ["phone", "call me maybe", "phone-format"],
          ["phone", "1".repeat(33), "phone-format"],
          ["address_id", "u".repeat(129), "max-length"]
        ]
        for (const [field, value, rule] of refusals) {
          for (const format of ["json", "xml"] as const) {
            const reply = yield* post(`requests.${format}`, [
              ...lampReport().filter(([k]) => k !== field),
              [field, value]
            ])
            expect([field, reply.status]).toEqual([field, 400])
            const described =
              format === "json"
                ? descriptionsOf(reply)
                : parseXml(reply.text).children.map(
                    (e) => e.children.find((c) => c.name === "description")?.text ?? ""
                  )
            expect([field, described.some((d) => d.startsWith(field) && d.includes(rule))]).toEqual([
              field,
              true
            ])
          }
        }
        // the combined name is one 姓名 of at most 100 characters
        const long = yield* post("requests.json", [
          ...lampReport(),
          ["first_name", "三".repeat(60)],
          ["last_name", "张".repeat(60)]
        ])
        expect(long.status).toBe(400)
        expect(descriptionsOf(long).some((d) => d.startsWith("first_name, last_name"))).toBe(true)
        expect((yield* cases.list({ limit: 100 })).items.length).toBe(before)
        // at the limits, accepted
        const edge = yield* post("requests.json", [
          ...lampReport().filter(([k]) => k !== "description"),
          ["description", "灯".repeat(4000)],
          ["first_name", "三".repeat(100)],
          ["phone", "+86 138 1234 5678"]
        ])
        expect(edge.status).toBe(201)
      }).pipe(Effect.provide(server(sqlite)))
  )
})

describe("Open311 and a store that cannot serve (StorageUnavailable)", () => {
  const busy = Storage.unavailable("busy", 7)

  const withFailingStore = <A, E, R>(body: Effect.Effect<A, E, R>) =>
    Effect.gen(function* () {
      const repo = yield* CaseRepository
      const failing: typeof repo = {
        ...repo,
        list: () => Effect.fail(busy),
        summary: () => Effect.fail(busy),
        events: () => Effect.fail(busy),
        findByIdempotencyKey: () => Effect.fail(busy),
        append: () => Effect.fail(busy)
      }
      const app = yield* Open311.router(config).pipe(Effect.provideService(CaseRepository, failing))
      yield* HttpServer.serveEffect(HttpRouter.empty.pipe(HttpRouter.mount("/open311/v2", app)))
      return yield* body
    }).pipe(
      Effect.scoped,
      Effect.provide(NodeHttpServer.layerTest),
      Effect.provide(Open311.layerApiKeysMemory([[API_KEY, client]])),
      Effect.provide(stores(sqlite))
    )

  it.effect(
    "regression: a busy store was a 404 (requests/{id}) or a 500 (lists); now 503 with Retry-After in the Open311 format",
    () =>
      withFailingStore(
        Effect.gen(function* () {
          yield* TestClock.setTime(T0)
          const http = yield* HttpClient.HttpClient
          for (const path of [
            "requests/o311-1.json",
            "requests.json",
            "servicerequestupdates.json",
            "tokens/t-1.json",
            "requests/o311-1.xml",
            "requests.xml"
          ]) {
            const response = yield* http.get(`/open311/v2/${path}`)
            const text = yield* response.text
            expect([path, response.status, response.headers["retry-after"]]).toEqual([path, 503, "7"])
            if (path.endsWith(".json")) {
              const json: unknown = JSON.parse(text)
              expect(yield* Effect.promise(() => contractErrors("errors", json))).toEqual([])
              expect(json).toMatchObject([{ code: 503, description: expect.stringMatching(/^storage: /) }])
            } else expect(parseXml(text)).toMatchObject({ name: "errors" })
          }
          const posted = yield* post("requests.json", lampReport())
          expect(posted.status).toBe(503)
        })
      )
  )

  it.effect("an api-key store that cannot serve is a 503, not a 403 or a 500", () =>
    Effect.gen(function* () {
      const lookup = (
        _key: Redacted.Redacted<string>
      ): Effect.Effect<Option.Option<Open311.ApiClient>, Storage.StorageUnavailable> => Effect.fail(busy)
      const keys = Open311.layerApiKeysLookup(Effect.succeed(lookup))
      const app = yield* Open311.router(config).pipe(Effect.provide(keys))
      yield* HttpServer.serveEffect(HttpRouter.empty.pipe(HttpRouter.mount("/open311/v2", app)))
      const posted = yield* post("requests.json", lampReport())
      expect(posted.status).toBe(503)
    }).pipe(Effect.scoped, Effect.provide(NodeHttpServer.layerTest), Effect.provide(stores(sqlite)))
  )
})
