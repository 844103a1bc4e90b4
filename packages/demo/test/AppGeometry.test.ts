/**
 * 按坐标上报 — the app on SQLite in memory, served in process: an Open311
 * report posted with `lat`/`long` at a point inside a demo grid is accepted
 * (201), as the seeded grids carry boundaries; a point in no grid follows the
 * default outside-grids policy (`Routing.defaultOutsideGrids`, property-tested
 * in core): a road beside a grid goes to that grid, the green belt to the
 * street, a point far outside the district is refused.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as App from "../src/App.js"
import * as District from "../src/District.js"
import * as Seed from "../src/Seed.js"

const district = District.makeDefault()

const app = App.layer({
  log: () => {},
  databaseName: "SQLite :memory:",
  seed: { district, cases: { count: 10 } }
}).pipe(
  Layer.provideMerge(NodeHttpServer.layerTest),
  Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
  Layer.orDie
)

const call = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(HttpClient.HttpClient, (http) => http.execute(request)).pipe(
    Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
    Effect.scoped,
    Effect.orDie
  )

/** A service of the catalogue that needs no attributes (discovered, not hard-coded). */
const plainService = Effect.map(call(HttpClientRequest.get("/open311/v2/services.json")), ({ text }) => {
  const services = JSON.parse(text) as ReadonlyArray<{ service_code: string; metadata: boolean }>
  const found = services.find((s) => !s.metadata)
  if (found === undefined) throw new Error("no service without attributes")
  return found.service_code
})

const report = (serviceCode: string, [long, lat]: readonly [number, number]) =>
  call(
    HttpClientRequest.post("/open311/v2/requests.json").pipe(
      HttpClientRequest.bodyUrlParams([
        ["api_key", Seed.demoApiKey],
        ["service_code", serviceCode],
        ["lat", String(lat)],
        ["long", String(long)],
        ["description", "按坐标上报 reported by position"]
      ])
    )
  )

describe("App geometry", () => {
  it.effect(
    "a report at a point inside a grid (District.pointIn) is accepted: the seeded grids carry boundaries",
    () =>
      Effect.gen(function* () {
        const serviceCode = yield* plainService
        const sample = [
          district.grids[0],
          district.grids[Math.floor(district.grids.length / 2)],
          district.grids.at(-1)
        ]
        for (const grid of sample) {
          if (grid === undefined) throw new Error("no grid")
          const accepted = yield* report(serviceCode, Option.getOrThrow(District.pointIn(grid)))
          expect(accepted.status, accepted.text).toBe(201)
        }
      }).pipe(Effect.provide(app))
  )

  it.effect(
    "a point in no grid: the road (gapPoint) goes to the nearest grid's community, the green belt (parkPoint) to the street, far outside (outsidePoint) is a 400",
    () =>
      Effect.gen(function* () {
        const serviceCode = yield* plainService
        const agency = (text: string) =>
          Effect.map(
            call(
              HttpClientRequest.get(
                `/open311/v2/requests/${(JSON.parse(text) as ReadonlyArray<{ service_request_id: string }>)[0]?.service_request_id}.json`
              )
            ),
            ({ text }) =>
              (JSON.parse(text) as ReadonlyArray<{ agency_responsible: string }>)[0]?.agency_responsible
          )
        const name = (id: string) => district.units.find((u) => u.id === id)?.name
        // the road point lies west of the first street's first community, metres from its first grid
        const road = yield* report(serviceCode, District.gapPoint(district))
        expect(road.status, road.text).toBe(201)
        expect(yield* agency(road.text)).toBe(name("c-001-001"))
        // the green belt lies hundreds of metres from every grid, within 3 km of the first street's
        const park = yield* report(serviceCode, District.parkPoint(district))
        expect(park.status, park.text).toBe(201)
        expect(yield* agency(park.text)).toBe(name("s-001"))
        const far = yield* report(serviceCode, District.outsidePoint(district))
        expect(far.status).toBe(400)
        expect(far.text).toContain("outside-every-grid")
      }).pipe(Effect.provide(app))
  )
})
