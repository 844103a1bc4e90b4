/**
 * FixMyStreet 对接契约 — the demo App (seeded demo district, SQLite and
 * PostgreSQL) driven exactly the way FixMyStreet's Perl code drives an Open311
 * endpoint (issue 13): the client is `support/fixmystreetOpen311.ts`, a port of
 * `perllib/Open311.pm` and the fetch / send jobs (`Open311/GetServiceRequests.pm`,
 * `GetServiceRequestUpdates.pm`, `UpdatesBase.pm`, `PostServiceRequestUpdates.pm`)
 * — form bodies as LWP encodes them, XML read as XML::Simple reads it (FixMyStreet's
 * default format), `jurisdiction_id` on every call, `api_key` on every POST, W3C
 * date-times in UTC, FixMyStreet's own `map_state` and state table.
 *
 * The clock is a `TestClock` starting at `T0`, moved an hour between staff
 * actions the way cron jobs see them (FixMyStreet fetches updates for the last
 * two hours, problems for the last hour).
 */
import * as GeoJson from "@civicgrid/core/GeoJson"
import type * as Grid from "@civicgrid/core/Grid"
import * as PointLocation from "@civicgrid/core/PointLocation"
import { dialects, skipNotice } from "@civicgrid/testkit/Databases"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as App from "../src/App.js"
import * as District from "../src/District.js"
import * as Seed from "../src/Seed.js"
import * as Fms from "./support/fixmystreetOpen311.js"

// databases: SQLite in memory, and a fresh PostgreSQL database per test (CIVICGRID_PG_URL)
skipNotice("@civicgrid/demo FixMyStreet.contract")
const dialectNames = { sqlite: "SQLite", pg: "PostgreSQL" } as const

// -----------------------------------------------------------------------------
// the demo district and where to report
// -----------------------------------------------------------------------------

/** Monday 2 March 2026, 09:00 in Beijing. */
const T0 = Date.UTC(2026, 2, 2, 1, 0, 0)

const district = District.makeDefault()
/** The community the demo community-staff token acts for (`Seed.demoTokens`: the first community). */
const community = district.units.find((u) => u.level === "community")
const communityName = community?.name ?? "金星社区"
const unitIds = new Set<string>(district.units.map((u) => u.id))

const bounded = (grids: ReadonlyArray<Grid.Grid>) =>
  grids.flatMap((g) => (g.boundary === undefined ? [] : [{ grid: g, boundary: g.boundary }]))

const allIndex = PointLocation.make(district.grids)
const inGrid = (index: PointLocation.GridIndex, lon: number, lat: number): Option.Option<Grid.Grid> =>
  Either.getOrElse(PointLocation.locate(index, [lon, lat]), () => Option.none<Grid.Grid>())

/**
 * An interior point of a grid's boundary: the point of a 15 × 15 lattice over
 * its bounding box that the boundary contains, nearest the box's centre (the
 * core's point location decides containment, holes included).
 */
const interiorPoint = (
  grid: Grid.Grid,
  boundary: GeoJson.Boundary
): readonly [number, number] | undefined => {
  const index = PointLocation.make([grid])
  const [w, s, e, n] = GeoJson.bbox(boundary)
  const cx = (w + e) / 2
  const cy = (s + n) / 2
  let best: { readonly p: readonly [number, number]; readonly d: number } | undefined
  for (let i = 1; i < 16; i++) {
    for (let j = 1; j < 16; j++) {
      const p = [w + ((e - w) * i) / 16, s + ((n - s) * j) / 16] as const
      if (Option.isNone(inGrid(index, p[0], p[1]))) continue
      // and in no other grid: the report must route to this one
      if (
        Option.isNone(inGrid(allIndex, p[0], p[1])) ||
        Option.getOrThrow(inGrid(allIndex, p[0], p[1])).id !== grid.id
      )
        continue
      const d = (p[0] - cx) ** 2 + (p[1] - cy) ** 2
      if (best === undefined || d < best.d) best = { p, d }
    }
  }
  return best?.p
}

/** The district's extent as its grids draw it: the union of their bounding boxes. */
const gridExtent = (): readonly [number, number, number, number] | undefined => {
  const all = bounded(district.grids)
  if (all.length === 0) return undefined
  return all
    .map(({ boundary }) => GeoJson.bbox(boundary))
    .reduce((a, b) => [
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[2], b[2]),
      Math.max(a[3], b[3])
    ])
}

/**
 * A point in no grid but inside the district's extent, next to a grid (a
 * lattice point outside every grid whose lattice neighbour is inside one): a
 * road between grids, a building site, a park.
 */
const gapPoint = (): readonly [number, number] | undefined => {
  const extent = gridExtent()
  if (extent === undefined) return undefined
  const [w, s, e, n] = extent
  const N = 120
  const at = (i: number, j: number) => [w + ((e - w) * i) / N, s + ((n - s) * j) / N] as const
  for (let i = 1; i < N; i++) {
    for (let j = 1; j < N; j++) {
      const p = at(i, j)
      if (Option.isSome(inGrid(allIndex, p[0], p[1]))) continue
      const q = at(i + 1, j)
      if (Option.isSome(inGrid(allIndex, q[0], q[1]))) return p
    }
  }
  return undefined
}

/** Where the FixMyStreet user drops the pin: inside a grid of the demo community. */
const pin = (): { readonly lat: number; readonly lon: number } => {
  const own = bounded(district.grids.filter((g) => g.communityId === community?.id))
  for (const { grid, boundary } of own) {
    const p = interiorPoint(grid, boundary)
    if (p !== undefined) return { lon: p[0], lat: p[1] }
  }
  throw new Error(
    `示范区网格无边界 the demo district's grids of ${community?.id ?? "?"} carry no boundary (issue 13: the demo district gets real geometry): no point to report at`
  )
}

/** Metres between two WGS-84 positions (haversine). */
const metres = (
  a: { readonly lat: number; readonly lon: number },
  b: { readonly lat: number; readonly lon: number }
) => {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLon = (b.lon - a.lon) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h))
}

// -----------------------------------------------------------------------------
// the FixMyStreet body, as its admin configured it
// -----------------------------------------------------------------------------

/** The jurisdiction `App.layerOpen311` serves. */
const JURISDICTION = "shifanqu.civicgrid.example"

/** A body with `send_extended_statuses` off (FixMyStreet's default) and one with it on. */
const plainBody: Fms.Open311Config = {
  endpoint: "http://localhost:3000/open311/v2/",
  jurisdiction: JURISDICTION,
  apiKey: Seed.demoApiKey,
  extendedStatuses: false
}
const extendedBody: Fms.Open311Config = { ...plainBody, extendedStatuses: true }

const EMAIL = "meiling.fms-reporter@example.org"
const NAME = "Meiling Oyelaran"
const PHOTO = "https://fixmystreet.example.org/photo/1042.0.full.jpeg"

/**
 * A report as a UK cobrand sends it: `open311_extra_data` adds
 * `fixmystreet_id`, `title`, `description`, `report_url`, `easting`,
 * `northing`, `closest_address` as `attribute[…]` — questions the civicgrid
 * service does not ask.
 */
const problemAt = (
  id: number,
  where: { readonly position?: { readonly lat: number; readonly lon: number }; readonly postcode?: string }
): Fms.Problem => ({
  id,
  title: `井盖松动 loose drain cover #${id}`,
  detail: "人行道上的井盖松动，踩上去会翻。The drain cover on the pavement rocks when stepped on.",
  name: NAME,
  email: EMAIL,
  imageUrl: PHOTO,
  url: `https://fixmystreet.example.org/report/${id}`,
  extraFields: [
    // UK cobrands' `open311_extra_data`: none of these is a question of the civicgrid service
    ["fixmystreet_id", String(id)],
    ["title", `井盖松动 loose drain cover #${id}`],
    ["description", "人行道上的井盖松动"],
    ["report_url", `https://fixmystreet.example.org/report/${id}`],
    ["easting", "531234"],
    ["northing", "181234"],
    ["closest_address", `${communityName} 文化广场`]
  ],
  ...where
})

/**
 * The same report from a cobrand without `open311_extra_data` (FixMyStreet's
 * base cobrand): only the category's own questions become `attribute[…]`.
 */
const plainProblemAt = (
  id: number,
  where: { readonly position?: { readonly lat: number; readonly lon: number }; readonly postcode?: string }
): Fms.Problem => ({ ...problemAt(id, where), extraFields: [] })

// -----------------------------------------------------------------------------
// HTTP, as LWP does it
// -----------------------------------------------------------------------------

interface Reply {
  readonly status: number
  readonly text: string
  readonly obj: Fms.XmlHash | undefined
}

const send = (
  method: "GET" | "POST",
  url: string,
  body: string | undefined,
  headers: Record<string, string> = {}
) =>
  Effect.flatMap(HttpClient.HttpClient, (http) => {
    const base = method === "GET" ? HttpClientRequest.get(url) : HttpClientRequest.post(url)
    const withHeaders = HttpClientRequest.setHeaders(base, { "user-agent": Fms.userAgent, ...headers })
    return http.execute(
      body === undefined
        ? withHeaders
        : HttpClientRequest.bodyText(
            withHeaders,
            body,
            headers["content-type"] ?? "application/x-www-form-urlencoded"
          )
    )
  }).pipe(
    Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
    Effect.scoped,
    Effect.orDie
  )

/** `Open311.pm` `_get` / `_post`. */
const open311 = (
  config: Fms.Open311Config,
  method: "GET" | "POST",
  path: string,
  params: Fms.Params = []
) => {
  const { url, body } = Fms.request(config, method, path, params)
  return Effect.map(send(method, url, body), (r): Reply => ({ ...r, obj: Fms.xmlObject(r.text) }))
}

/** A civicgrid REST command by a demo staff token; the case's status after it. */
const command = (token: string, caseId: string, name: string, payload: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    const reply = yield* send(
      "POST",
      `/cases/${encodeURIComponent(caseId)}/${name}`,
      JSON.stringify(payload),
      {
        authorization: `Bearer ${token}`,
        "content-type": "application/json"
      }
    )
    if (reply.status !== 200)
      throw new Error(`${name} by ${token}: HTTP ${reply.status} ${reply.text.slice(0, 600)}`)
    return (JSON.parse(reply.text) as { readonly status: string }).status
  })

const now = Clock.currentTimeMillis

/** `Open311.pm` `send_service_request`: POST requests.xml, the `service_request_id` of `request[0]` (or its token's). */
const sendReport = (problem: Fms.Problem, serviceCode: string) =>
  Effect.gen(function* () {
    const reply = yield* open311(
      plainBody,
      "POST",
      Fms.endpoints.requests,
      Fms.serviceRequestParams(problem, serviceCode)
    )
    const first = Fms.listOf(reply.obj, "request")[0]
    let id = Fms.scalar(first, "service_request_id")
    const token = Fms.scalar(first, "token")
    if (id === undefined && token !== undefined) {
      const byToken = yield* open311(plainBody, "GET", `tokens/${token}.xml`)
      id = Fms.scalar(Fms.listOf(byToken.obj, "request")[0], "service_request_id")
    }
    return { status: reply.status, text: reply.text, id }
  })

/**
 * `Open311/PopulateServiceList.pm` and the report form: a service FixMyStreet
 * makes a category of, and the answers to its required questions (the first
 * value of a list, a text otherwise).
 */
const pickService = Effect.gen(function* () {
  const services = yield* open311(plainBody, "GET", Fms.endpoints.services)
  expect(services.status).toBe(200)
  const list = Fms.listOf(services.obj, "service").filter((s) => Fms.truthy(Fms.scalar(s, "service_code")))
  expect(list.length).toBeGreaterThan(0)
  const service = list.find((s) => Fms.scalar(s, "metadata") !== "true") ?? list[0]
  const code = Fms.scalar(service, "service_code") ?? ""
  const answers: Array<readonly [string, string]> = []
  if (Fms.scalar(service, "metadata") === "true") {
    const definition = yield* open311(plainBody, "GET", `services/${encodeURIComponent(code)}.xml`)
    const attributes = definition.obj?.["attributes"]
    for (const a of Array.isArray(attributes) ? (attributes as ReadonlyArray<Fms.XmlHash>) : []) {
      if (Fms.scalar(a, "required") !== "true" || Fms.scalar(a, "variable") === "false") continue
      const values = a["values"]
      const firstValue = Array.isArray(values) ? Fms.scalar(values[0] as Fms.XmlHash, "key") : undefined
      answers.push([Fms.scalar(a, "code") ?? "", firstValue ?? "见描述 see description"])
    }
  }
  return { code, name: Fms.scalar(service, "service_name") ?? code, answers }
})

/** `GET requests.xml` for some ids (`Open311.pm` `get_service_requests` with `report_ids`). */
const requestsById = (ids: ReadonlyArray<string>) =>
  Effect.map(
    open311(plainBody, "GET", Fms.endpoints.requests, [["service_request_id", ids.join(",")]]),
    (r) => ({
      ...r,
      requests: Fms.listOf(r.obj, "request")
    })
  )

/** The app for one test: the demo district seeded without historic cases, on a fresh database. */
const appOn = (sql: Layer.Layer<SqlClient.SqlClient>) =>
  App.layer({ log: () => {}, databaseName: "test", seed: { district, cases: { count: 0 } } }).pipe(
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.provide(sql),
    Layer.orDie
  )

const scenario = <A, E>(
  dialect: (typeof dialects)[number],
  body: Effect.Effect<A, E, HttpClient.HttpClient>
) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(T0)
    return yield* Effect.provide(body, appOn(dialect.fresh()))
  })

/** Whether a text could be an id rather than a name: ASCII letters, digits and `-_.` only, or a known unit id. */
const looksLikeId = (text: string): boolean => unitIds.has(text) || /^[A-Za-z0-9_.-]+$/.test(text)

// -----------------------------------------------------------------------------
// the contract
// -----------------------------------------------------------------------------

for (const dialect of dialects) {
  describe(`FixMyStreet ⇄ civicgrid demo App on ${dialectNames[dialect.name]}`, () => {
    it.effect(
      "send-reports: services.xml, then POST requests.xml by pin, by address only and at a point in no grid — every one accepted; fetch-reports reads each back as FixMyStreet needs it",
      () =>
        scenario(
          dialect,
          Effect.gen(function* () {
            const service = yield* pickService
            const at = pin()
            const gap = gapPoint()
            if (gap === undefined)
              throw new Error(
                "no point in the district lies outside every grid (or the grids have no boundary)"
              )
            const posts = [
              { label: "pin", problem: plainProblemAt(1042, { position: at }), near: at },
              {
                label: "address only",
                problem: plainProblemAt(1043, { postcode: `${communityName} 文化广场东侧人行道` })
              },
              {
                label: "point in no grid",
                problem: plainProblemAt(1044, { position: { lon: gap[0], lat: gap[1] } }),
                near: { lon: gap[0], lat: gap[1] }
              }
            ] as const
            const sent: Array<{ readonly id: string; readonly post: (typeof posts)[number] }> = []
            for (const post of posts) {
              const problem = {
                ...post.problem,
                extraFields: [...post.problem.extraFields, ...service.answers]
              }
              const reply = yield* sendReport(problem, service.code)
              expect
                .soft(
                  { post: post.label, accepted: reply.status === 200 || reply.status === 201 },
                  `HTTP ${reply.status} ${reply.text.slice(0, 400)}`
                )
                .toEqual({ post: post.label, accepted: true })
              expect
                .soft(reply.id, `${post.label}: service_request_id in ${reply.text.slice(0, 300)}`)
                .toBeTruthy()
              // every failure is listed (soft): one refused post does not hide what the others read back
              if (reply.id !== undefined) sent.push({ id: reply.id, post })
              yield* TestClock.adjust("1 minute")
            }

            // fetch-reports a few minutes later: the window of the last hour, as GetServiceRequests.pm sends it
            yield* TestClock.adjust("5 minutes")
            const window = Fms.fetchProblemsWindow(yield* now)
            const fetched = yield* open311(plainBody, "GET", Fms.endpoints.requests, [
              ["start_date", window[0]],
              ["end_date", window[1]]
            ])
            expect.soft(fetched.status).toBe(200)
            const requests = Fms.listOf(fetched.obj, "request")
            const extent = gridExtent()
            for (const { id, post } of sent) {
              const request = requests.find((r) => Fms.scalar(r, "service_request_id") === id)
              expect
                .soft(request, `${post.label}: ${id} in GET requests.xml ${window.join("–")}`)
                .toBeDefined()
              const row = request ?? {}
              // GetServiceRequests.pm would import it (no lat/long or a bad time: skipped)
              expect.soft({ post: post.label, skipped: Fms.skipReason(row, window) }).toEqual({
                post: post.label,
                skipped: undefined
              })
              const lat = Number(Fms.scalar(row, "lat"))
              const lon = Number(Fms.scalar(row, "long"))
              if ("near" in post && post.near !== undefined) {
                // the position may be coarsened (privacy), by about 100 m at most
                expect
                  .soft({ post: post.label, within150m: metres({ lat, lon }, post.near) <= 150 })
                  .toEqual({
                    post: post.label,
                    within150m: true
                  })
              }
              if (extent !== undefined) {
                // MapIt's area check: the point lies in the district
                expect
                  .soft({
                    post: post.label,
                    inDistrict:
                      lon >= extent[0] - 0.01 &&
                      lon <= extent[2] + 0.01 &&
                      lat >= extent[1] - 0.01 &&
                      lat <= extent[3] + 0.01
                  })
                  .toEqual({ post: post.label, inDistrict: true })
              }
              expect
                .soft({
                  post: post.label,
                  status: Fms.scalar(row, "status"),
                  service_code: Fms.scalar(row, "service_code"),
                  media_url: Fms.scalar(row, "media_url"),
                  hasAddress: Fms.truthy(Fms.scalar(row, "address")),
                  hasUpdated: Fms.truthy(Fms.scalar(row, "updated_datetime"))
                })
                .toEqual({
                  post: post.label,
                  status: "open",
                  service_code: service.code,
                  media_url: PHOTO,
                  hasAddress: true,
                  hasUpdated: true
                })
              const agency = Fms.scalar(row, "agency_responsible") ?? ""
              expect
                .soft({
                  post: post.label,
                  agency,
                  isName: agency !== "" && !looksLikeId(agency)
                })
                .toMatchObject({
                  isName: true
                })
              // FixMyStreet's map_state: a new request is open there too
              expect
                .soft(Fms.stateType(Fms.mapState(plainBody, Fms.scalar(row, "status") ?? "")))
                .toBe("open")
              // the reporter's e-mail and name are never published
              expect.soft(fetched.text).not.toContain(EMAIL)
              expect.soft(fetched.text).not.toContain("Oyelaran")
            }
          })
        ),
      120_000
    )

    it.effect(
      "send-reports from a UK cobrand: the attribute[…] the service does not ask (title, report_url, easting …) are accepted and ignored",
      () =>
        scenario(
          dialect,
          Effect.gen(function* () {
            const service = yield* pickService
            const problem = problemAt(1142, { position: pin() })
            const reply = yield* sendReport(
              { ...problem, extraFields: [...problem.extraFields, ...service.answers] },
              service.code
            )
            expect(
              reply.status === 200 || reply.status === 201,
              `HTTP ${reply.status} ${reply.text.slice(0, 600)}`
            ).toBe(true)
            expect(reply.id, reply.text.slice(0, 300)).toBeTruthy()
            const read = yield* requestsById([reply.id ?? ""])
            expect(Fms.scalar(read.requests[0], "service_code")).toBe(service.code)
          })
        ),
      120_000
    )

    it.effect(
      "fetch-comments: every staff action read through servicerequestupdates.xml moves the FixMyStreet report the right way — escalated still open, closed fixed, reopened open again; a closed request's updated_datetime is its closing time",
      () =>
        scenario(
          dialect,
          Effect.gen(function* () {
            const service = yield* pickService
            const problem = plainProblemAt(2042, { position: pin() })
            const sent = yield* sendReport(
              { ...problem, extraFields: [...problem.extraFields, ...service.answers] },
              service.code
            )
            expect(sent.id, sent.text.slice(0, 300)).toBeTruthy()
            const id = sent.id ?? ""
            const whensent = yield* now
            // two bodies on the same endpoint: send_extended_statuses off (default) and on
            const bodies = [plainBody, extendedBody] as const
            const reports = bodies.map(() => new Map([[id, Fms.sentReport(id, whensent)]]))

            /** GetServiceRequestUpdates.pm `process_body` for both bodies; the FixMyStreet state types after it. */
            const fetchComments = (step: string) =>
              Effect.gen(function* () {
                const window = Fms.fetchUpdatesWindow(yield* now)
                const reply = yield* open311(
                  plainBody,
                  "GET",
                  Fms.endpoints.service_request_updates,
                  Fms.updatesParams(plainBody, window)
                )
                expect(reply.status, `${step}: ${reply.text.slice(0, 300)}`).toBe(200)
                const updates = Fms.listOf(reply.obj, "request_update")
                for (const u of updates) {
                  // UpdatesBase.pm comment_text_for_request: an update without a description has no text
                  expect({
                    step,
                    update: Fms.scalar(u, "update_id"),
                    description: Fms.truthy(Fms.scalar(u, "description"))
                  }).toMatchObject({ description: true })
                }
                const created = bodies.map((body, i) =>
                  Fms.processUpdates(body, updates, window, reports[i] ?? new Map())
                )
                const types = reports.map((r) => {
                  const state = r.get(id)?.state ?? ""
                  return { state, type: Fms.stateType(state) }
                })
                return { created, types, text: reply.text }
              })

            const expectType = (
              step: string,
              type: "open" | "closed" | "fixed",
              result: {
                readonly types: ReadonlyArray<{ readonly state: string; readonly type: string | undefined }>
              }
            ) =>
              expect(
                { step, plain: result.types[0]?.type, extended: result.types[1]?.type },
                JSON.stringify(result.types)
              ).toEqual({ step, plain: type, extended: type })

            const steps: ReadonlyArray<{
              readonly step: string
              readonly token: string
              readonly command: string
              readonly payload?: Record<string, unknown>
              readonly expected: "open" | "closed" | "fixed"
              /** Whether the step must publish an update FixMyStreet creates a comment from. */
              readonly publishes: boolean
            }> = [
              {
                step: "accept 立案",
                token: "demo-community-staff",
                command: "accept",
                expected: "open",
                publishes: true
              },
              {
                step: "escalate 上报街道",
                token: "demo-community-staff",
                command: "escalate",
                payload: { reason: "需街道协调 needs the street" },
                expected: "open",
                publishes: true
              },
              {
                step: "dispatch 派遣排水",
                token: "demo-street-staff",
                command: "dispatch",
                payload: { target: { _tag: "Department", departmentId: "drainage" } },
                expected: "open",
                publishes: true
              },
              {
                step: "handle 处置",
                token: "demo-department",
                command: "handle",
                payload: { result: "已更换井盖 cover replaced", evidence: ["photo://fms/2042-after.jpg"] },
                expected: "open",
                publishes: true
              },
              {
                step: "verify 核查通过 → close 结案",
                token: "demo-street-staff",
                command: "verify",
                payload: { outcome: "pass" },
                expected: "fixed",
                publishes: true
              },
              {
                step: "evaluate 回访不满意",
                token: "demo-community-staff",
                command: "evaluate",
                payload: { rating: "dissatisfied" },
                expected: "fixed",
                publishes: false
              },
              {
                step: "reopen 重办",
                token: "demo-street-staff",
                command: "reopen",
                payload: { reason: "居民反映仍松动 still loose", to: "handling" },
                expected: "open",
                publishes: true
              },
              {
                step: "handle again 再处置",
                token: "demo-department",
                command: "handle",
                payload: { result: "已加固 fixed firmly", evidence: ["photo://fms/2042-after-2.jpg"] },
                expected: "open",
                publishes: true
              },
              {
                step: "verify again → close 再结案",
                token: "demo-street-staff",
                command: "verify",
                payload: { outcome: "pass" },
                expected: "fixed",
                publishes: true
              }
            ]

            let closedAt: number | undefined
            for (const s of steps) {
              yield* TestClock.adjust("1 hour")
              const at = yield* now
              const status = yield* command(s.token, id, s.command, s.payload)
              if (status === "closed") closedAt = at
              // the cron job runs a little later
              yield* TestClock.adjust("10 minutes")
              const result = yield* fetchComments(s.step)
              expectType(s.step, s.expected, result)
              if (s.publishes) {
                expect(
                  { step: s.step, newComments: (result.created[0]?.length ?? 0) > 0 },
                  result.text.slice(0, 600)
                ).toEqual({ step: s.step, newComments: true })
              }
              if (closedAt !== undefined && (status === "closed" || status === "evaluated")) {
                // the request's updated_datetime is when it was closed, not the later (internal) return visit
                const read = yield* requestsById([id])
                const request = read.requests[0]
                expect({
                  step: s.step,
                  status: Fms.scalar(request, "status"),
                  updated: Fms.parseW3cdtf(Fms.scalar(request, "updated_datetime"))
                }).toEqual({
                  step: s.step,
                  status: "closed",
                  updated: Math.floor(closedAt / 1000) * 1000
                })
              }
              if (status !== "closed" && status !== "evaluated") closedAt = undefined
            }

            // after dispatch the handler is named, not identified
            const read = yield* requestsById([id])
            const agency = Fms.scalar(read.requests[0], "agency_responsible") ?? ""
            expect({ agency, isName: agency !== "" && !looksLikeId(agency) }).toMatchObject({ isName: true })
          })
        ),
      120_000
    )

    it.effect(
      "fetch-comments: a report voided as not ours reads 'not responsible' (closed) in FixMyStreet, with both status settings",
      () =>
        scenario(
          dialect,
          Effect.gen(function* () {
            const service = yield* pickService
            const problem = plainProblemAt(3042, { postcode: `${communityName} 文化广场东侧人行道` })
            const sent = yield* sendReport(
              { ...problem, extraFields: [...problem.extraFields, ...service.answers] },
              service.code
            )
            expect(sent.id, sent.text.slice(0, 300)).toBeTruthy()
            const id = sent.id ?? ""
            const reports = [plainBody, extendedBody].map(() => new Map([[id, Fms.sentReport(id, T0)]]))
            yield* TestClock.adjust("1 hour")
            yield* command("demo-community-staff", id, "void", {
              reason: "not-ours",
              note: "属供电公司 the power company's"
            })
            yield* TestClock.adjust("10 minutes")
            const window = Fms.fetchUpdatesWindow(yield* now)
            const reply = yield* open311(
              plainBody,
              "GET",
              Fms.endpoints.service_request_updates,
              Fms.updatesParams(plainBody, window)
            )
            const updates = Fms.listOf(reply.obj, "request_update")
            Fms.processUpdates(plainBody, updates, window, reports[0] ?? new Map())
            Fms.processUpdates(extendedBody, updates, window, reports[1] ?? new Map())
            expect(reports.map((r) => r.get(id)?.state)).toEqual(["not responsible", "not responsible"])
          })
        ),
      120_000
    )

    it.effect(
      "send-comments: a citizen's comment POSTed as PostServiceRequestUpdates.pm does is accepted with an update_id; fetch-comments then finds it under that update_id (no duplicate comment), public, without the citizen's e-mail",
      () =>
        scenario(
          dialect,
          Effect.gen(function* () {
            const service = yield* pickService
            const problem = plainProblemAt(4042, { position: pin() })
            const sent = yield* sendReport(
              { ...problem, extraFields: [...problem.extraFields, ...service.answers] },
              service.code
            )
            expect(sent.id, sent.text.slice(0, 300)).toBeTruthy()
            const id = sent.id ?? ""
            const report = Fms.sentReport(id, yield* now)
            const reports = new Map([[id, report]])
            yield* TestClock.adjust("1 hour")
            yield* command("demo-community-staff", id, "accept")
            yield* TestClock.adjust("30 minutes")

            const comment: Fms.Comment = {
              id: 90_017,
              text: "今早井盖仍然松动，已拍照。Still loose this morning, photo attached.",
              name: NAME,
              email: EMAIL,
              confirmed: yield* now,
              serviceRequestId: id,
              problemState: report.state,
              photoUrl: "https://fixmystreet.example.org/photo/c/90017.0.full.jpeg"
            }
            const params = Fms.serviceRequestUpdateParams(plainBody, comment)
            expect(params).toContainEqual(["status", "OPEN"])
            const posted = yield* open311(plainBody, "POST", Fms.endpoints.update, params)
            expect(
              posted.status === 200 || posted.status === 201,
              `HTTP ${posted.status} ${posted.text.slice(0, 400)}`
            ).toBe(true)
            // Open311.pm post_service_request_update: request_update[0]{update_id}, a plain scalar
            const updateId = Fms.scalar(Fms.listOf(posted.obj, "request_update")[0], "update_id")
            expect(updateId, posted.text.slice(0, 300)).toBeTruthy()
            // PostServiceRequestUpdates.pm process_update: the comment keeps it as its external_id
            report.comments.push({
              externalId: updateId ?? "",
              created: comment.confirmed,
              text: comment.text,
              problemState: undefined,
              hidden: false
            })

            yield* TestClock.adjust("10 minutes")
            const window = Fms.fetchUpdatesWindow(yield* now)
            const reply = yield* open311(
              plainBody,
              "GET",
              Fms.endpoints.service_request_updates,
              Fms.updatesParams(plainBody, window)
            )
            const updates = Fms.listOf(reply.obj, "request_update")
            const mine = updates.find((u) => Fms.scalar(u, "update_id") === updateId)
            expect(mine, `update ${updateId ?? "?"} in ${reply.text.slice(0, 600)}`).toBeDefined()
            expect(Fms.scalar(mine, "service_request_id")).toBe(id)
            expect(Fms.scalar(mine, "description") ?? "").toContain("Still loose this morning")
            expect(reply.text).not.toContain(EMAIL)
            expect(reply.text).not.toContain("Oyelaran")
            const created = Fms.processUpdates(plainBody, updates, window, reports)
            // the citizen's own comment is not imported again; the report stays open
            expect(created.map((c) => c.externalId)).not.toContain(updateId)
            expect(Fms.stateType(report.state)).toBe("open")
          })
        ),
      120_000
    )

    it.effect(
      "GET requests.xml?status=open&status=closed: both repeated values apply",
      () =>
        scenario(
          dialect,
          Effect.gen(function* () {
            const service = yield* pickService
            const open = yield* sendReport(
              { ...plainProblemAt(5042, { position: pin() }), extraFields: service.answers },
              service.code
            )
            const closing = yield* sendReport(
              { ...plainProblemAt(5043, { position: pin() }), extraFields: service.answers },
              service.code
            )
            expect([open.id, closing.id].every((x) => x !== undefined && x !== "")).toBe(true)
            yield* TestClock.adjust("10 minutes")
            yield* command("demo-community-staff", closing.id ?? "", "void", {
              reason: "duplicate",
              note: "重复上报 reported twice"
            })
            yield* TestClock.adjust("10 minutes")
            const window = Fms.fetchProblemsWindow(yield* now)
            const ids = (params: Fms.Params) =>
              Effect.map(
                open311(plainBody, "GET", Fms.endpoints.requests, [
                  ["start_date", window[0]],
                  ["end_date", window[1]],
                  ...params
                ]),
                (r) =>
                  Fms.listOf(r.obj, "request")
                    .map((x) => Fms.scalar(x, "service_request_id"))
                    .sort()
              )
            expect(yield* ids([["status", "open"]])).toEqual([open.id])
            expect(yield* ids([["status", "closed"]])).toEqual([closing.id])
            expect(
              yield* ids([
                ["status", "open"],
                ["status", "closed"]
              ])
            ).toEqual([open.id, closing.id].sort())
            expect(yield* ids([["status", "open,closed"]])).toEqual([open.id, closing.id].sort())
          })
        ),
      120_000
    )
  })
}
