/**
 * GeoReport v2 conformance beyond the schemas: no silent caps (the spec's
 * default of 1,000 results, paging by `Link` headers), repeated parameters
 * all applying, `updated_datetime` of a closed request, a `key_service` and
 * a `changeset` that mean something, and CORS for browser clients — on
 * SQLite and PostgreSQL.
 */
import { ActorId } from "@civicgrid/core/Actor"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import {
  API_KEY,
  B1,
  C1,
  dialects,
  get,
  IN_C1,
  LAMP,
  lampReport,
  post,
  server,
  staff,
  T0
} from "./Open311Fixtures.js"

const MINUTE = 60_000

interface Raw {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly json: unknown
}

/** A request under /open311/v2 with headers; the answer's status, headers and JSON body (if any). */
const call = (
  method: "GET" | "OPTIONS",
  path: string,
  headers: Readonly<Record<string, string>> = {}
): Effect.Effect<Raw, never, HttpClient.HttpClient> =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.execute(
      (method === "GET"
        ? HttpClientRequest.get(path.startsWith("/") ? path : `/open311/v2/${path}`)
        : HttpClientRequest.options(`/open311/v2/${path}`)
      ).pipe(HttpClientRequest.setHeaders(headers))
    )
  ).pipe(
    Effect.flatMap((response) =>
      Effect.map(response.text, (text) => ({
        status: response.status,
        headers: response.headers,
        json:
          text.length > 0 && (response.headers["content-type"] ?? "").startsWith("application/json")
            ? (JSON.parse(text) as unknown)
            : null
      }))
    ),
    Effect.scoped,
    Effect.orDie
  )

const ids = (json: unknown): ReadonlyArray<string> =>
  Array.isArray(json)
    ? json.map((r: { readonly service_request_id?: unknown }) => String(r.service_request_id))
    : []

/** The target of a `Link: <…>; rel="next"` header, if any. */
const nextOf = (headers: Readonly<Record<string, string>>): string | undefined =>
  /^<([^>]+)>;\s*rel="next"$/.exec(headers["link"] ?? "")?.[1]

/** Reports `n` lamp faults through the use case (one minute apart from `T0`); their ids. */
const reportMany = (n: number) =>
  Effect.forEach(
    Array.from({ length: n }, (_, i) => i),
    (i) =>
      CaseService.report({
        caseId: `lamp-${String(i).padStart(4, "0")}`,
        actor: { id: ActorId.make("open311:fms"), role: "resident", unitId: C1 },
        at: DateTime.unsafeMake(T0 + i * MINUTE),
        source: "open311",
        categoryId: LAMP,
        description: `路灯不亮 ${i}`,
        location: { position: [IN_C1.long, IN_C1.lat] },
        anonymous: true,
        attributes: { lamp_fault: "off" }
      }).pipe(Effect.map((e) => e.after.id))
  )

for (const dialect of dialects) {
  describe(`Open311 conformance on ${dialect.name}`, () => {
    it.effect("GET requests answers every match up to the spec's 1,000 — not 200", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(T0 + 400 * MINUTE)
        const created = yield* reportMany(205)
        const reply = yield* call("GET", "requests.json")
        expect(reply.status).toBe(200)
        expect(new Set(ids(reply.json))).toEqual(new Set(created))
        expect(reply.headers["link"]).toBeUndefined()
      }).pipe(Effect.provide(server(dialect)))
    )

    it.effect(
      "past maxResults a Link header pages through every match exactly once; page_size asks smaller pages",
      () =>
        Effect.gen(function* () {
          yield* TestClock.setTime(T0 + 60 * MINUTE)
          const created = yield* reportMany(7)
          const seen: Array<string> = []
          let next: string | undefined = "requests.json?status=open"
          let pages = 0
          while (next !== undefined && pages < 10) {
            const reply: Raw = yield* call("GET", next)
            expect(reply.status).toBe(200)
            expect(ids(reply.json).length).toBeLessThanOrEqual(3)
            seen.push(...ids(reply.json))
            next = nextOf(reply.headers)
            pages++
          }
          expect(pages).toBe(3)
          expect(seen.length).toBe(7)
          expect(new Set(seen)).toEqual(new Set(created))

          const small = yield* call("GET", "requests.json?page_size=2")
          expect(ids(small.json)).toHaveLength(2)
          expect(nextOf(small.headers)).toMatch(/page_size=2/)
          const tooBig = yield* call("GET", "requests.json?page_size=4")
          expect(tooBig.status).toBe(400)
          const forged = yield* call("GET", "requests.json?page_after=not-a-cursor")
          expect(forged.status).toBe(400)
          expect(JSON.stringify(forged.json)).toContain("page_after")
        }).pipe(Effect.provide(server(dialect, { maxResults: 3 })))
    )

    it.effect("repeated parameters all apply: status=open&status=closed, service_request_id twice", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(T0 + 60 * MINUTE)
        const [open, closed] = yield* reportMany(2)
        yield* staff(closed ?? "", T0 + 30 * MINUTE, "Void-duplicate").pipe(Effect.orDie)
        const both = yield* call("GET", "requests.json?status=open&status=closed")
        expect(new Set(ids(both.json))).toEqual(new Set([open, closed]))
        const onlyClosed = yield* call("GET", "requests.json?status=closed")
        expect(ids(onlyClosed.json)).toEqual([closed])
        const twice = yield* call(
          "GET",
          `requests.json?service_request_id=${open}&service_request_id=${closed}`
        )
        expect(new Set(ids(twice.json))).toEqual(new Set([open, closed]))
        const updates = yield* call(
          "GET",
          `servicerequestupdates.json?service_request_id=${open}&service_request_id=${closed}`
        )
        expect(
          new Set(
            (Array.isArray(updates.json) ? updates.json : []).map(
              (u: { readonly service_request_id?: unknown }) => u.service_request_id
            )
          )
        ).toEqual(new Set([open, closed]))
        const badSecond = yield* call("GET", `requests.json?service_code=${LAMP}&service_code=XX-0000`)
        expect(badSecond.status).toBe(400)
      }).pipe(Effect.provide(server(dialect)))
    )

    it.effect("a closed request's updated_datetime is its closing time; an open one's its last change", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(T0)
        const created = yield* post("requests.json", lampReport())
        const id = (Array.isArray(created.json) ? created.json : [])[0]?.service_request_id as string
        yield* staff(id, T0 + 10 * MINUTE, "Accept").pipe(Effect.orDie)
        const accepted = yield* get(`requests/${id}.json`)
        expect(accepted.json).toMatchObject([
          { status: "open", updated_datetime: "2024-03-04T09:10:00+08:00" }
        ])
        yield* staff(id, T0 + 20 * MINUTE, "Void-duplicate").pipe(Effect.orDie)
        yield* TestClock.setTime(T0 + 90 * MINUTE)
        const voided = yield* get(`requests/${id}.json`)
        expect(voided.json).toMatchObject([
          { status: "closed", updated_datetime: "2024-03-04T09:20:00+08:00" }
        ])
      }).pipe(Effect.provide(server(dialect)))
    )

    it.effect(
      "POST servicerequestupdates (FixMyStreet's post_service_request_update) adds a public comment; a retry adds nothing",
      () =>
        Effect.gen(function* () {
          yield* TestClock.setTime(T0)
          const created = yield* post("requests.json", lampReport())
          const id = (Array.isArray(created.json) ? created.json : [])[0]?.service_request_id as string
          yield* TestClock.setTime(T0 + 5 * MINUTE)
          // the fields FixMyStreet sends (perllib/Open311.pm post_service_request_update)
          const update: ReadonlyArray<readonly [string, string]> = [
            ["api_key", API_KEY],
            ["jurisdiction_id", "panlong.km.cn"],
            ["service_request_id", id],
            ["update_id", "fms-123"],
            ["updated_datetime", "2024-03-04T09:05:00+08:00"],
            ["status", "OPEN"],
            ["email", "resident@example.org"],
            ["first_name", "Li"],
            ["last_name", "Lei"],
            ["description", "还是不亮，电话 13912345678"],
            ["media_url", "https://fms.example/photo/1.jpeg"]
          ]
          const posted = yield* post("servicerequestupdates.json", update)
          expect(posted.status).toBe(200)
          const updateId = (Array.isArray(posted.json) ? posted.json : [])[0]?.update_id as string
          expect(updateId).toMatch(new RegExp(`^${id}-\\d+$`))
          const again = yield* post("servicerequestupdates.xml", update)
          expect(again.status).toBe(200)
          expect(again.text).toContain(`<request_update><update_id>${updateId}</update_id>`)

          const updates = yield* get(`servicerequestupdates.json?service_request_id=${id}`)
          const list = (Array.isArray(updates.json) ? updates.json : []) as ReadonlyArray<{
            readonly update_id: string
            readonly description: string
            readonly status: string
          }>
          const comment = list.filter((u) => u.update_id === updateId)
          expect(comment).toHaveLength(1)
          expect(comment[0]?.description).toContain("还是不亮")
          expect(comment[0]?.description).not.toContain("13912345678")
          expect(comment[0]?.status).toBe("OPEN")
          // FixMyStreet's fetch-comments asks by window: a case whose only activity in it is a comment is found
          const windowed = yield* get(
            "servicerequestupdates.json?start_date=2024-03-04T09:04:00%2B08:00&end_date=2024-03-04T09:06:00%2B08:00"
          )
          expect(windowed.json).toMatchObject([{ update_id: updateId }])
          // a comment explains no status change
          const request = yield* get(`requests/${id}.json`)
          expect(request.json).toMatchObject([{ status: "open", status_notes: null }])

          const unknown = yield* post("servicerequestupdates.json", [
            ...update.filter(([k]) => k !== "service_request_id"),
            ["service_request_id", "o311-nope"]
          ])
          expect(unknown.status).toBe(404)
          const noText = yield* post(
            "servicerequestupdates.json",
            update.filter(([k]) => k !== "description")
          )
          expect(noText.status).toBe(400)
          expect(JSON.stringify(noText.json)).toContain("description")
          const badMedia = yield* post("servicerequestupdates.json", [
            ...update.filter(([k]) => k !== "media_url"),
            ["media_url", "javascript:alert(1)"]
          ])
          expect(badMedia.status).toBe(400)
          expect(JSON.stringify(badMedia.json)).toContain("media_url")
          const noKey = yield* post(
            "servicerequestupdates.json",
            update.filter(([k]) => k !== "api_key")
          )
          expect(noKey.status).toBe(403)
        }).pipe(Effect.provide(server(dialect)))
    )

    it.effect(
      "a point just outside every grid is taken by the nearest grid; one far from every grid is refused naming lat/long",
      () =>
        Effect.gen(function* () {
          yield* TestClock.setTime(T0)
          // 金沙第一网格 spans 102.70–102.71 E; 102.6995 E is about 50 m west of it
          const near = yield* post("requests.json", [
            ...lampReport().filter(([k]) => k !== "long"),
            ["long", "102.6995"]
          ])
          expect(near.status).toBe(201)
          const id = (Array.isArray(near.json) ? near.json : [])[0]?.service_request_id as string
          const read = yield* get(`requests/${id}.json`)
          expect(read.json).toMatchObject([{ agency_responsible: "金沙社区" }])
          const far = yield* post("requests.json", [
            ...lampReport().filter(([k]) => k !== "long" && k !== "lat"),
            ["lat", "30.5"],
            ["long", "114.3"]
          ])
          expect(far.status).toBe(400)
          expect(JSON.stringify(far.json)).toContain("lat/long: outside-every-grid")
        }).pipe(Effect.provide(server(dialect)))
    )

    it.effect(
      "address_id is kept and published; a report by address_id or address alone is placed with a position and an address",
      () =>
        Effect.gen(function* () {
          yield* TestClock.setTime(T0)
          // a unit id of the hierarchy: placed there, published at a point inside its grid (coarsened)
          const byUnit = yield* post("requests.json", [
            ...lampReport().filter(([k]) => k !== "lat" && k !== "long"),
            ["address_id", B1]
          ])
          expect(byUnit.status).toBe(201)
          const unitId = (Array.isArray(byUnit.json) ? byUnit.json : [])[0]?.service_request_id as string
          const unitView = (yield* get(`requests/${unitId}.json`)).json as ReadonlyArray<{
            readonly address_id: string | null
            readonly address: string | null
            readonly lat: number | null
            readonly long: number | null
            readonly agency_responsible: string
          }>
          expect(unitView[0]?.address_id).toBe(B1)
          expect(unitView[0]?.address).toBe("青云街道金沙社区金沙小区1栋")
          expect(unitView[0]?.lat).toBeGreaterThanOrEqual(25.039)
          expect(unitView[0]?.lat).toBeLessThanOrEqual(25.051)
          expect(unitView[0]?.long).toBeGreaterThanOrEqual(102.699)
          expect(unitView[0]?.long).toBeLessThanOrEqual(102.711)
          // the client's own address id beside a point: kept verbatim, the point places the report
          const ownId = yield* post("requests.json", lampReport([["address_id", "UPRN-10023456"]]))
          expect(ownId.status).toBe(201)
          const ownView = yield* get(
            `requests/${(Array.isArray(ownId.json) ? ownId.json : [])[0]?.service_request_id as string}.json`
          )
          expect(ownView.json).toMatchObject([{ address_id: "UPRN-10023456" }])
          // an address string alone: geocoded to the unit it names, placed at a point of that unit
          const byAddress = yield* post("requests.json", [
            ...lampReport().filter(([k]) => k !== "lat" && k !== "long"),
            ["address_string", "银沙社区东门"]
          ])
          expect(byAddress.status).toBe(201)
          const addressView = (yield* get(
            `requests/${(Array.isArray(byAddress.json) ? byAddress.json : [])[0]?.service_request_id as string}.json`
          )).json as ReadonlyArray<{
            readonly lat: number | null
            readonly long: number | null
            readonly address: string
          }>
          expect(addressView[0]?.address).toBe("银沙社区东门")
          expect(addressView[0]?.long).toBeGreaterThanOrEqual(102.709)
          expect(addressView[0]?.long).toBeLessThanOrEqual(102.721)
          // an address id nobody knows, alone: a 400 naming it
          const unknown = yield* post("requests.json", [
            ...lampReport().filter(([k]) => k !== "lat" && k !== "long"),
            ["address_id", "UPRN-404"]
          ])
          expect(unknown.status).toBe(400)
          expect(JSON.stringify(unknown.json)).toContain("address_id")
        }).pipe(Effect.provide(server(dialect)))
    )

    it.effect(
      "media_url is stored and published; attributes the service does not list are kept, not refused",
      () =>
        Effect.gen(function* () {
          yield* TestClock.setTime(T0)
          const created = yield* post(
            "requests.json",
            lampReport([
              ["media_url", "https://fms.example/photo/9.jpeg"],
              ["attribute[report_url]", "https://fms.example/report/9"],
              ["attribute[title]", "路灯坏了"]
            ])
          )
          expect(created.status).toBe(201)
          const id = (Array.isArray(created.json) ? created.json : [])[0]?.service_request_id as string
          expect((yield* get(`requests/${id}.json`)).json).toMatchObject([
            { media_url: "https://fms.example/photo/9.jpeg" }
          ])
          const updates = (yield* get(`servicerequestupdates.json?service_request_id=${id}`)).json
          expect(updates).toMatchObject([{ status: "OPEN", media_url: "https://fms.example/photo/9.jpeg" }])
          const events = yield* Effect.flatMap(CaseRepository, (repo) => repo.events(id)).pipe(Effect.orDie)
          const reported = events[0]
          expect(reported?._tag === "Reported" && reported.attributes).toEqual({
            lamp_fault: "off",
            report_url: "https://fms.example/report/9",
            title: "路灯坏了"
          })
          expect(reported?._tag === "Reported" && reported.media).toEqual([
            "https://fms.example/photo/9.jpeg"
          ])
          const badMedia = yield* post("requests.json", lampReport([["media_url", "file:///etc/passwd"]]))
          expect(badMedia.status).toBe(400)
          expect(JSON.stringify(badMedia.json)).toContain("media_url")
          // a known attribute's invalid value is still refused
          const badKnown = yield* post("requests.json", [
            ...lampReport().filter(([k]) => k !== "attribute[lamp_fault]"),
            ["attribute[lamp_fault]", "exploded"]
          ])
          expect(badKnown.status).toBe(400)
        }).pipe(Effect.provide(server(dialect)))
    )

    it.effect(
      "discovery: key_service is never empty; changeset is the catalogue's, else when the router started",
      () =>
        Effect.gen(function* () {
          const reply = yield* get("discovery.json")
          const value = reply.json as { readonly key_service: string; readonly changeset: string }
          expect(value.key_service.length).toBeGreaterThan(0)
          expect(value.key_service).toContain("0871-12345")
          expect(value.changeset).toBe("2024-05-06T00:00:00+08:00")
        }).pipe(
          Effect.provide(
            server(dialect, {
              catalogueChangedAt: "2024-05-06T00:00:00+08:00",
              discovery: { contact: "盘龙区城市运行管理中心 0871-12345" }
            })
          )
        )
    )

    it.effect(
      "discovery without a configured changeset dates it from the router's start, not a constant",
      () =>
        Effect.gen(function* () {
          const reply = yield* get("discovery.json")
          const value = reply.json as { readonly key_service: string; readonly changeset: string }
          expect(value.key_service.length).toBeGreaterThan(0)
          // TestClock starts at 0: the router was built then
          expect(value.changeset).toBe("1970-01-01T00:00:00Z")
        }).pipe(Effect.provide(server(dialect, { discovery: {} })))
    )
  })
}

describe("Open311 CORS", () => {
  const [dialect] = dialects
  if (dialect === undefined) return

  it.effect(
    "by default any origin: a preflight OPTIONS is a 204 naming the methods; answers carry the origin header",
    () =>
      Effect.gen(function* () {
        const preflight = yield* call("OPTIONS", "requests.json", {
          origin: "https://app.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type"
        })
        expect(preflight.status).toBe(204)
        expect(preflight.headers["access-control-allow-origin"]).toBe("*")
        expect(preflight.headers["access-control-allow-methods"]).toContain("POST")
        expect(preflight.headers["access-control-allow-headers"]).toContain("content-type")
        const read = yield* call("GET", "services.json", { origin: "https://app.example" })
        expect(read.status).toBe(200)
        expect(read.headers["access-control-allow-origin"]).toBe("*")
        expect(read.headers["access-control-expose-headers"]).toContain("link")
      }).pipe(Effect.provide(server(dialect)))
  )

  it.effect("configured origins: only those are allowed", () =>
    Effect.gen(function* () {
      const allowed = yield* call("GET", "services.json", { origin: "https://a.example" })
      expect(allowed.headers["access-control-allow-origin"]).toBe("https://a.example")
      const other = yield* call("GET", "services.json", { origin: "https://evil.example" })
      expect(other.status).toBe(200)
      expect(other.headers["access-control-allow-origin"]).toBeUndefined()
    }).pipe(
      Effect.provide(
        server(dialect, { cors: { allowedOrigins: ["https://a.example", "https://b.example"] } })
      )
    )
  )

  it.effect("cors: false — no CORS headers, OPTIONS is an unknown method (404 in the Open311 format)", () =>
    Effect.gen(function* () {
      const preflight = yield* call("OPTIONS", "requests.json", { origin: "https://app.example" })
      expect(preflight.status).toBe(404)
      const read = yield* call("GET", "services.json", { origin: "https://app.example" })
      expect(read.headers["access-control-allow-origin"]).toBeUndefined()
    }).pipe(Effect.provide(server(dialect, { cors: false })))
  )
})
