/**
 * 一张图 over HTTP, on SQLite and PostgreSQL: `GET /map/cases` answers the
 * open cases the principal sees — the same set `GET /cases` lists for it —
 * each with its light and the position it was reported at, in one request;
 * nothing outside the principal's scope, no closed case, no address or reporter.
 */
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  B1,
  C1,
  C3,
  dialects,
  env,
  login,
  principal,
  raw,
  reportAt,
  S1,
  seedDemo
} from "./support/Harness.js"

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(`map on ${dialect.name}`, (it) => {
    it.effect("GET /map/cases: the open cases in scope with light and position, in one request", () =>
      Effect.gen(function* () {
        const worker = yield* login(principal("gw-map", "grid-worker", C1))
        const staff = yield* login(principal("cs-map", "community-staff", C1))
        const street = yield* login(principal("ss-map", "street-staff", S1))
        const far = yield* login(principal("cs-map-far", "community-staff", C3))
        const resident = yield* login(principal("res-map", "resident", B1))
        const placed = yield* worker.client.cases.report({
          payload: reportAt(B1, { location: { unitId: B1, position: [102.7123, 25.0456] } }),
          headers: {}
        })
        const unplaced = yield* worker.client.cases.report({ payload: reportAt(B1), headers: {} })
        const own = yield* resident.client.cases.report({
          payload: reportAt(B1, {
            source: "resident-app",
            location: { unitId: B1, position: [102.7, 25.04, 1890] }
          }),
          headers: {}
        })
        // one rejected: not open any more
        const rejected = yield* worker.client.cases.report({ payload: reportAt(B1), headers: {} })
        yield* staff.client.cases.reject({
          path: { caseId: rejected.caseId },
          payload: { reason: "重复上报", expectedVersion: rejected.version }
        })
        const points = yield* staff.client.map.cases({ urlParams: {} })
        const byId = new Map(points.items.map((p) => [p.caseId, p]))
        expect(byId.get(placed.caseId)).toEqual({
          caseId: placed.caseId,
          status: "reported",
          light: byId.get(placed.caseId)?.light ?? null,
          position: [102.7123, 25.0456]
        })
        expect(byId.get(unplaced.caseId)?.position).toBeNull()
        // an altitude is dropped: [lon, lat]
        expect(byId.get(own.caseId)?.position).toEqual([102.7, 25.04])
        expect(byId.has(rejected.caseId)).toBe(false)
        expect(points.truncated).toBe(false)
        // the same set the list gives the same principal (open statuses)
        const listed = yield* staff.client.cases.list({
          urlParams: {
            status: ["reported", "accepted", "dispatched", "handled", "rework", "suspended"],
            limit: 500
          }
        })
        expect(points.items.map((p) => p.caseId).sort()).toEqual(listed.items.map((c) => c.caseId).sort())
        for (const item of listed.items) expect(byId.get(item.caseId)?.light).toBe(item.light)
        // scope: the street sees them, 南华 does not, the resident only its own
        const streetPoints = yield* street.client.map.cases({ urlParams: {} })
        expect(streetPoints.items.map((p) => p.caseId)).toContain(placed.caseId)
        const farPoints = yield* far.client.map.cases({ urlParams: {} })
        expect(farPoints.items).toEqual([])
        const residentPoints = yield* resident.client.map.cases({ urlParams: {} })
        expect(residentPoints.items.map((p) => p.caseId)).toEqual([own.caseId])
        // a limit, and whether more are there
        const one = yield* staff.client.map.cases({ urlParams: { limit: 1 } })
        expect(one.items).toHaveLength(1)
        expect(one.truncated).toBe(true)
        // nothing but the four fields
        const body = yield* raw("GET", "/map/cases", staff.token)
        expect(body.status).toBe(200)
        const first = (JSON.parse(body.text) as { items: ReadonlyArray<object> }).items[0] ?? {}
        expect(Object.keys(first).sort()).toEqual(["caseId", "light", "position", "status"])
        expect((yield* raw("GET", "/map/cases?limit=0", staff.token)).status).toBe(400)
        expect((yield* raw("GET", "/map/cases", undefined)).status).toBe(401)
      })
    )
  })
}
