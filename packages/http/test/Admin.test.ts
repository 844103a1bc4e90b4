/**
 * 基础数据管理 over HTTP (`admin` group): an admin creates and changes units,
 * buildings, grids, staff and departments within its jurisdiction, and the
 * read endpoints show them; a body failing its schema is a 400 naming the
 * field and rule, a record the core refuses a 422 naming every violation;
 * other roles and records outside the jurisdiction are a 403; a random walk
 * of valid admin requests is never answered 5xx.
 */

import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as PolicyRepository from "@civicgrid/core/PolicyRepository"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { it as base, describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import {
  B1,
  C1,
  C3,
  CHENGGUAN,
  D,
  dialects,
  env,
  login,
  principal,
  S1,
  S2,
  seedDemo,
  Tokens
} from "./support/Harness.js"

type Method = "GET" | "PUT" | "DELETE"

const encodeCategories = Schema.encodeSync(Schema.Array(CaseCategory.Category))

/** A request with a token and a JSON body: the status and the parsed answer. */
const send = (token: string, method: Method, url: string, body?: unknown) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const base =
      method === "GET"
        ? HttpClientRequest.get(url)
        : method === "PUT"
          ? HttpClientRequest.put(url)
          : HttpClientRequest.del(url)
    const request = HttpClientRequest.bearerToken(base, token)
    const response = yield* client.execute(
      body === undefined ? request : HttpClientRequest.bodyUnsafeJson(request, body)
    )
    const text = yield* response.text
    const json: unknown = text.length === 0 ? null : JSON.parse(text)
    return { status: response.status, json: json as Record<string, unknown> & Array<Record<string, unknown>> }
  }).pipe(Effect.scoped, Effect.orDie)

const square = (lon: number, lat: number, size: number) => ({
  type: "Polygon",
  coordinates: [
    [
      [lon, lat],
      [lon + size, lat],
      [lon + size, lat + size],
      [lon, lat + size],
      [lon, lat]
    ]
  ]
})

const adminOf = (id: string, unitId: string, role: "admin" | "district-staff" = "admin") =>
  Effect.map(login(principal(id, role, unitId)), (l) => l.token)

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(
    `admin writes on ${dialect.name}`,
    (it) => {
      it.effect(
        "an admin creates a unit, renames it, adds a building, grid, person and assignment; reads show them",
        () =>
          Effect.gen(function* () {
            const admin = yield* adminOf("admin-d", D)
            const created = yield* send(admin, "PUT", "/admin/units/xinhua", {
              parentId: S1,
              level: "community",
              name: "新华社区"
            })
            expect(created).toEqual({
              status: 200,
              json: { id: "xinhua", parentId: S1, level: "community", name: "新华社区" }
            })
            const renamed = yield* send(admin, "PUT", "/admin/units/xinhua", {
              parentId: S1,
              level: "community",
              name: "新华南社区"
            })
            expect(renamed.status).toBe(200)
            const unit = yield* send(admin, "GET", "/hierarchy/units/xinhua")
            expect(unit.json.name).toBe("新华南社区")
            const children = yield* send(admin, "GET", `/hierarchy/units/${S1}/children`)
            expect(children.json.map((u) => u.id)).toContain("xinhua")

            const building = yield* send(admin, "PUT", "/admin/buildings/xinhua-1", {
              name: "新华1栋",
              communityId: "xinhua",
              households: 120,
              location: [102.905, 25.105]
            })
            expect(building.status).toBe(200)
            expect(building.json.location).toEqual([102.905, 25.105])

            const grid = yield* send(admin, "PUT", "/admin/grids/g-xinhua", {
              name: "新华第一网格",
              kind: "basic",
              communityId: "xinhua",
              buildingIds: ["xinhua-1"],
              boundary: square(102.9, 25.1, 0.01)
            })
            expect(grid.status).toBe(200)
            const person = yield* send(admin, "PUT", "/admin/people/p-xinhua", {
              name: "李网格",
              partyMember: true
            })
            expect(person.status).toBe(200)
            const assignment = {
              personId: "p-xinhua",
              role: "full-time-worker",
              target: { _tag: "Grid", gridId: "g-xinhua" }
            }
            expect((yield* send(admin, "PUT", "/admin/assignments", assignment)).status).toBe(200)

            // the reads
            const located = yield* send(admin, "GET", "/grids/locate?lat=25.105&long=102.905")
            expect(located.status).toBe(200)
            expect(located.json).toMatchObject({
              placedBy: "position",
              communityId: "xinhua",
              grid: { id: "g-xinhua" }
            })
            const grids = yield* send(admin, "GET", "/hierarchy/units/xinhua/grids")
            expect(grids.json.map((g) => g.id)).toEqual(["g-xinhua"])
            const coverage = yield* send(admin, "GET", "/hierarchy/units/xinhua/coverage")
            expect(coverage.json.complete).toBe(true)
            const staffing = yield* send(
              admin,
              "GET",
              "/hierarchy/units/xinhua/staffing?policy=one-worker-per-grid"
            )
            expect(staffing.status).toBe(200)
            expect(staffing.json.complete).toBe(true)

            // removing the assignment: then the grid has no worker; removing it again is a 404
            expect((yield* send(admin, "DELETE", "/admin/assignments", assignment)).status).toBe(200)
            const again = yield* send(admin, "DELETE", "/admin/assignments", assignment)
            expect(again.status).toBe(404)
            expect(again.json.resource).toBe("assignment")
            const unstaffed = yield* send(
              admin,
              "GET",
              "/hierarchy/units/xinhua/staffing?policy=one-worker-per-grid"
            )
            expect(unstaffed.json.complete).toBe(false)

            const department = yield* send(admin, "PUT", "/admin/departments/qingyun-zhifa", {
              name: "青云街道综合执法队",
              nameEn: "Qingyun Street Enforcement Team",
              jurisdiction: S1
            })
            expect(department.status).toBe(200)
            const departments = yield* send(admin, "GET", "/hierarchy/departments")
            expect(departments.json.map((d) => d.id)).toEqual(
              expect.arrayContaining([CHENGGUAN, "qingyun-zhifa"])
            )
          })
      )

      it.effect("a body failing its schema is a 400 naming the field and the rule", () =>
        Effect.gen(function* () {
          const admin = yield* adminOf("admin-400", D, "district-staff")
          const longName = yield* send(admin, "PUT", "/admin/units/u-long", {
            parentId: S1,
            level: "community",
            name: "名".repeat(500)
          })
          expect(longName.status).toBe(400)
          expect(longName.json).toMatchObject({ field: "name", rule: "max-length" })
          const missing = yield* send(admin, "PUT", "/admin/units/u-missing", {
            parentId: S1,
            name: "缺层级"
          })
          expect(missing.status).toBe(400)
          expect(missing.json).toMatchObject({ field: "level", rule: "required" })
          const households = yield* send(admin, "PUT", "/admin/buildings/b-bad", {
            name: "坏楼",
            communityId: C1,
            households: -3
          })
          expect(households.status).toBe(400)
          expect(households.json.field).toBe("households")
          expect(typeof households.json.rule).toBe("string")
          const ring = yield* send(admin, "PUT", "/admin/grids/g-bad", {
            name: "坏网格",
            kind: "basic",
            communityId: C1,
            buildingIds: [],
            boundary: {
              type: "Polygon",
              coordinates: [
                [
                  [102.7, 25.0],
                  [102.8, 25.0],
                  [102.8, 25.1]
                ]
              ]
            }
          })
          expect(ring.status).toBe(400)
          expect(String(ring.json.field)).toMatch(/^boundary/)
          const role = yield* send(admin, "PUT", "/admin/assignments", {
            personId: "p",
            role: "boss",
            target: { _tag: "Grid", gridId: "g" }
          })
          expect(role.status).toBe(400)
          expect(role.json.field).toBe("role")
          const nul = yield* send(admin, "PUT", "/admin/people/p-nul", {
            name: "a\u0000b",
            partyMember: false
          })
          expect(nul.status).toBe(400)
        })
      )

      it.effect(
        "a record the core refuses is a 422 DataInvalid naming the field and the rule; nothing is written",
        () =>
          Effect.gen(function* () {
            const admin = yield* adminOf("admin-422", D)
            const level = yield* send(admin, "PUT", "/admin/units/u-level", {
              parentId: C1,
              level: "street",
              name: "错层"
            })
            expect(level.status).toBe(422)
            expect(level.json).toMatchObject({
              _tag: "DataInvalid",
              entity: "unit",
              field: "level",
              rule: "level-order"
            })
            expect((yield* send(admin, "GET", "/hierarchy/units/u-level")).status).toBe(404)
            const root = yield* send(admin, "PUT", "/admin/units/u-root", {
              parentId: null,
              level: "district",
              name: "根"
            })
            expect(root.status).toBe(422)
            expect(root.json).toMatchObject({ field: "parentId", rule: "second-root" })
            yield* send(admin, "PUT", "/admin/buildings/nanhua-9", {
              name: "南华9栋",
              communityId: C3,
              households: 10
            })
            const foreign = yield* send(admin, "PUT", "/admin/grids/g-cross", {
              name: "跨社区网格",
              kind: "basic",
              communityId: C1,
              buildingIds: ["nanhua-9"]
            })
            expect(foreign.status).toBe(422)
            expect(foreign.json).toMatchObject({
              entity: "grid",
              field: "buildingIds",
              rule: "foreign-building"
            })
            const unknown = yield* send(admin, "PUT", "/admin/assignments", {
              personId: "nobody",
              role: "full-time-worker",
              target: { _tag: "Unit", unitId: S1 }
            })
            expect(unknown.status).toBe(422)
            expect(unknown.json.violations).toEqual(
              expect.arrayContaining([expect.objectContaining({ field: "personId", rule: "unknown-person" })])
            )
            expect(String(unknown.json.message)).toMatch(/^数据无效/)
          })
      )

      it.effect(
        "案件分类: the root's admin replaces the catalogue (PolicyRepository); a street admin may not",
        () =>
          Effect.gen(function* () {
            const rows = encodeCategories(PolicyRepository.defaultCatalogue.categories.slice(0, 3))
            const street = yield* adminOf("admin-cat-s1", S1)
            const below = yield* send(street, "PUT", "/admin/categories", rows)
            expect(below.status).toBe(403)
            expect(below.json).toMatchObject({ rule: "jurisdiction", field: "scope" })
            const admin = yield* adminOf("admin-cat", D)
            const stored = yield* send(admin, "PUT", "/admin/categories", rows)
            expect(stored).toEqual({ status: 200, json: rows })
            const policies = yield* PolicyRepository.PolicyRepository
            const catalogue = yield* policies.catalogue
            expect(catalogue._tag === "Some" && catalogue.value.categories.map((c) => c.id)).toEqual(
              rows.map((r) => r.id)
            )
            const orphan = encodeCategories([
              CaseCategory.minor({ family: "event", majorId: "SJ-99", code: "9901", name: "孤儿小类" })
            ])
            const refused = yield* send(admin, "PUT", "/admin/categories", orphan)
            expect(refused.status).toBe(422)
            expect(refused.json).toMatchObject({
              _tag: "DataInvalid",
              entity: "categories",
              field: "categories"
            })
            const bad = yield* send(admin, "PUT", "/admin/categories", [{ _tag: "MinorClass", id: "x" }])
            expect(bad.status).toBe(400)
            expect(typeof bad.json.field).toBe("string")
          })
      )

      it.effect("other roles and records outside the jurisdiction are a 403", () =>
        Effect.gen(function* () {
          const body = { parentId: C1, level: "compound", name: "小区" }
          for (const who of [
            principal("cs-admin", "community-staff", C1),
            principal("ss-admin", "street-staff", S1),
            principal("gw-admin", "grid-worker", C1),
            principal("res-admin", "resident", C1),
            principal("dept-admin", "department", D, CHENGGUAN, D)
          ]) {
            const { token } = yield* login(who)
            const reply = yield* send(token, "PUT", "/admin/units/k-new", body)
            expect(reply.status).toBe(403)
            expect(reply.json).toMatchObject({ _tag: "Forbidden", rule: "admin-role", field: "role" })
          }
          // an admin of the other street, and a district-staff of another district
          const tuodong = yield* adminOf("admin-s2", S2)
          const elsewhere = yield* adminOf("ds-other", "other-district", "district-staff")
          for (const token of [tuodong, elsewhere]) {
            const unit = yield* send(token, "PUT", "/admin/units/k-new", body)
            expect(unit.status).toBe(403)
            expect(unit.json).toMatchObject({ rule: "jurisdiction", field: "parentId" })
            const rename = yield* send(token, "PUT", `/admin/units/${C1}`, {
              parentId: S1,
              level: "community",
              name: "改名"
            })
            expect(rename.json).toMatchObject({ rule: "jurisdiction", field: "id" })
            const building = yield* send(token, "PUT", `/admin/buildings/${B1}`, {
              name: "楼",
              communityId: C1,
              households: 1
            })
            expect(building.status).toBe(403)
            const department = yield* send(token, "PUT", `/admin/departments/${CHENGGUAN}`, {
              name: "城管",
              nameEn: "UM",
              jurisdiction: C1
            })
            expect(department.status).toBe(403)
            const assign = yield* send(token, "PUT", "/admin/assignments", {
              personId: "p",
              role: "inspector",
              target: { _tag: "Unit", unitId: D }
            })
            expect(assign.json).toMatchObject({ rule: "jurisdiction", field: "target.unitId" })
          }
          // the street's own unit keeps its parent
          const qingyun = yield* adminOf("admin-s1", S1)
          const move = yield* send(qingyun, "PUT", `/admin/units/${S1}`, {
            parentId: S2,
            level: "street",
            name: "青云"
          })
          expect(move.status).toBe(403)
          expect((yield* send(qingyun, "GET", `/hierarchy/units/${C1}`)).json.name).toBe("金沙社区")
        })
      )
    }
  )

  // -------------------------------------------------------------------------
  // random walks of valid requests
  // -------------------------------------------------------------------------

  const unitIds = ["n1", "n2", "n3", C1, C3, S1]
  const parents = [D, S1, S2, C1, C3, "n1", "n2"]
  const levels = ["street", "community", "compound", "building"]
  const buildings = ["wb1", "wb2", "wb3", B1]
  const grids = ["wg1", "wg2"]
  const people = ["wp1", "wp2"]
  const roles = ["full-time-worker", "building-leader", "inspector", "volunteer"]
  const pick = <A>(xs: ReadonlyArray<A>) => fc.constantFrom(...xs)

  const request: fc.Arbitrary<{ readonly method: Method; readonly url: string; readonly body: unknown }> =
    fc.oneof(
      fc.record({
        method: fc.constant("PUT" as const),
        url: pick(unitIds).map((id) => `/admin/units/${id}`),
        body: fc.record({ parentId: pick(parents), level: pick(levels), name: fc.constantFrom("甲", "乙") })
      }),
      fc.record({
        method: fc.constant("PUT" as const),
        url: pick(buildings).map((id) => `/admin/buildings/${id}`),
        body: fc.record({
          name: fc.constant("楼"),
          communityId: pick([...parents, ...unitIds]),
          households: fc.nat({ max: 400 }),
          location: fc.tuple(
            fc.double({ min: 102, max: 103, noNaN: true }),
            fc.double({ min: 25, max: 26, noNaN: true })
          )
        })
      }),
      fc.record({
        method: fc.constant("PUT" as const),
        url: pick(grids).map((id) => `/admin/grids/${id}`),
        body: fc.record({
          name: fc.constant("网格"),
          kind: fc.constantFrom("basic", "dedicated"),
          communityId: pick([...parents, ...unitIds]),
          buildingIds: fc.subarray(buildings),
          boundary: fc
            .tuple(
              fc.double({ min: 102, max: 103, noNaN: true }),
              fc.double({ min: 25, max: 26, noNaN: true })
            )
            .map(([lon, lat]) => square(lon, lat, 0.01))
        })
      }),
      fc.record({
        method: fc.constant("PUT" as const),
        url: pick(people).map((id) => `/admin/people/${id}`),
        body: fc.record({ name: fc.constant("人员"), partyMember: fc.boolean() })
      }),
      fc.record({
        method: fc.constantFrom("PUT" as const, "DELETE" as const),
        url: fc.constant("/admin/assignments"),
        body: fc.record({
          personId: pick(people),
          role: pick(roles),
          target: fc.oneof(
            pick(grids).map((gridId) => ({ _tag: "Grid", gridId })),
            pick(buildings).map((buildingId) => ({ _tag: "Building", buildingId })),
            pick(parents).map((unitId) => ({ _tag: "Unit", unitId }))
          )
        })
      }),
      fc.record({
        method: fc.constant("PUT" as const),
        url: fc.constantFrom("/admin/departments/wd1", `/admin/departments/${CHENGGUAN}`),
        body: fc.record({
          name: fc.constant("部门"),
          nameEn: fc.constant("Department"),
          jurisdiction: pick(parents)
        })
      })
    )

  describe(`random walks of valid admin requests on ${dialect.name}`, () => {
    base.effect.prop(
      "never answered 5xx; every answer is 200, 403, 404 or 422, and the hierarchy stays readable",
      [pick([D, S1, C1]), fc.array(request, { minLength: 1, maxLength: 12 })],
      ([scope, requests]) =>
        Effect.gen(function* () {
          yield* seedDemo
          const tokens = yield* Tokens
          tokens.set("walker", principal("walker", "admin", scope))
          for (const r of requests) {
            const reply = yield* send("walker", r.method, r.url, r.body)
            expect(
              [200, 403, 404, 422],
              `${r.method} ${r.url} ${JSON.stringify(r.body)} → ${JSON.stringify(reply.json)}`
            ).toContain(reply.status)
          }
          const units = yield* send("walker", "GET", "/hierarchy/units")
          expect(units.status).toBe(200)
        }).pipe(Effect.provide(env(dialect))),
      { timeout: 120_000, fastCheck: { numRuns: dialect.name === "sqlite" ? 20 : 6 } }
    )
  })
}
