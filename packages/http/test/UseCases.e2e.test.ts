/**
 * The core's use cases behind REST (`CaseService`), on SQLite and PostgreSQL
 * with time limits (as the example server runs): a valid return visit that
 * says the problem is not resolved is a 200 and reopens the case; placement
 * follows the catalogue (an unknown 小类 is a 422 naming the field and rule;
 * 自来水管破裂 starts at the street); a report's source and starting tier
 * follow the reporter's role; dispatch, escalation and merge targets are
 * checked against the repositories — every refusal a 4xx naming the rule.
 */
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
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
  raw,
  reportAt,
  S1,
  S2,
  seedDemo
} from "./support/Harness.js"

const timeLimits = { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }

/** A raw JSON request with a token: status and parsed body. */
const call = (method: "GET" | "POST", url: string, token: string, body?: unknown) =>
  Effect.map(raw(method, url, token, body), (r) => ({
    status: r.status,
    body: r.text.length === 0 ? null : (JSON.parse(r.text) as Record<string, unknown>)
  }))

const evidence = ["photo://after.jpg"]

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect, { timeLimits })))
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(
    `use cases over REST on ${dialect.name} (with time limits)`,
    (it) => {
      /** A case reported by a grid worker in 金沙 and taken to closed. */
      const closedCase = (tag: string) =>
        Effect.gen(function* () {
          const worker = yield* login(principal(`gw-${tag}`, "grid-worker", C1))
          const staff = yield* login(principal(`cs-${tag}`, "community-staff", C1))
          const dept = yield* login(principal(`cg-${tag}`, "department", D, CHENGGUAN))
          const { caseId } = yield* worker.client.cases.report({ payload: reportAt(B1), headers: {} })
          const path = { caseId }
          yield* staff.client.cases.accept({ path, payload: {} })
          yield* staff.client.cases.dispatch({
            path,
            payload: { target: { _tag: "Department", departmentId: CHENGGUAN } }
          })
          yield* dept.client.cases.handle({ path, payload: { result: "已清运", evidence } })
          yield* staff.client.cases.verify({ path, payload: { outcome: "pass" } })
          return { caseId, staff }
        })

      it.effect(
        "回访: satisfied but not resolved answers 200 and the community reopens it (重办); metrics still answer",
        () =>
          Effect.gen(function* () {
            const { caseId, staff } = yield* closedCase("eval")
            const visited = yield* call("POST", `/cases/${caseId}/evaluate`, staff.token, {
              rating: "satisfied",
              resolved: false
            })
            expect(visited.status).toBe(200)
            expect(visited.body?.status).toBe("evaluated")
            const reopened = yield* call("POST", `/cases/${caseId}/reopen`, staff.token, {
              reason: "居民反映问题未解决",
              to: "handling"
            })
            expect(reopened.status).toBe(200)
            expect(reopened.body?.status).toBe("dispatched")
            // the indicators the store keeps count the visit: resolved 0 of 1, satisfied 1 of 1
            const metrics = yield* call("GET", `/metrics/indicators?within=${C1}&period=month`, staff.token)
            expect(metrics.status).toBe(200)
            const periods = (metrics.body?.periods ?? []) as ReadonlyArray<{
              readonly indicators: Record<
                string,
                { readonly numerator: number; readonly denominator: number }
              >
            }>
            const last = periods[periods.length - 1]?.indicators
            expect([last?.resolution, last?.satisfaction]).toEqual([
              { numerator: 0, denominator: 1 },
              { numerator: 1, denominator: 1 }
            ])
          })
      )

      it.effect(
        "the 12345 hotline as itself: it files hotline reports, reads the reporter's phone to call back, and makes the return visit 回访; a grid worker may not",
        () =>
          Effect.gen(function* () {
            const hotline = yield* login(principal("hl-12345", "hotline", D))
            const filed = yield* call(
              "POST",
              "/cases",
              hotline.token,
              reportAt(B1, { source: "hotline", contact: { name: "王五", phone: "13800001234" } })
            )
            expect(filed.status).toBe(201)
            const { caseId, staff } = yield* closedCase("hotline")
            // the reporter's contact of a case in its subtree, in full (the grid worker's own report has none)
            const own = yield* call("GET", `/cases/${String(filed.body?.caseId)}`, hotline.token)
            expect(own.status).toBe(200)
            expect(JSON.stringify(own.body)).toContain("13800001234")
            const worker = yield* login(principal("gw-hl", "grid-worker", C1))
            const refused = yield* call("POST", `/cases/${caseId}/evaluate`, worker.token, {
              rating: "satisfied",
              resolved: true
            })
            expect(refused.status).toBe(422)
            const visited = yield* call("POST", `/cases/${caseId}/evaluate`, hotline.token, {
              rating: "satisfied",
              resolved: true
            })
            expect(visited.status).toBe(200)
            expect(visited.body?.status).toBe("evaluated")
            const history = yield* call("GET", `/cases/${caseId}/events`, staff.token)
            const events = (history.body ?? []) as unknown as ReadonlyArray<{
              readonly _tag: string
              readonly actor: unknown
            }>
            expect(events.find((e) => e._tag === "Evaluated")?.actor).toMatchObject({
              id: "hl-12345",
              role: "hotline"
            })
          })
      )

      it.effect(
        "placement: an unknown 小类 is a 422 naming categoryId; 自来水管破裂 starts at the street above its community",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-place", "grid-worker", C1))
            const unknown = yield* call(
              "POST",
              "/cases",
              worker.token,
              reportAt(B1, { categoryId: "XX-9999" as never })
            )
            expect(unknown.status).toBe(422)
            expect(unknown.body).toMatchObject({
              _tag: "Unroutable",
              field: "categoryId",
              rule: "unknown-category"
            })
            const burst = yield* worker.client.cases.report({
              payload: reportAt(B1, { categoryId: "SJ-0402" as never }),
              headers: {}
            })
            const staff = yield* login(principal("ss-place", "street-staff", S1))
            const view = yield* staff.client.cases.get({ path: { caseId: burst.caseId }, urlParams: {} })
            expect(view.summary).toMatchObject({ tier: "street", ownerUnitId: S1, communityId: C1 })
          })
      )

      it.effect(
        "a resident files through the app, never as 12345, and cannot start a case at the district",
        () =>
          Effect.gen(function* () {
            const resident = yield* login(principal("r-1", "resident", B1))
            const asHotline = yield* call(
              "POST",
              "/cases",
              resident.token,
              reportAt(B1, { source: "hotline" })
            )
            expect(asHotline.status).toBe(422)
            expect(asHotline.body).toMatchObject({ _tag: "Refused", rule: "source" })
            const atDistrict = yield* call(
              "POST",
              "/cases",
              resident.token,
              reportAt(B1, { tier: "district" })
            )
            expect(atDistrict.status).toBe(422)
            expect(atDistrict.body).toMatchObject({ _tag: "Refused", rule: "start-tier" })
            const ok = yield* call("POST", "/cases", resident.token, reportAt(B1))
            expect(ok.status).toBe(201)
          })
      )

      it.effect(
        "dispatch, escalate and merge targets are checked: unknown or illegal targets are 422 naming the rule",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-ref", "grid-worker", C1))
            const staff = yield* login(principal("cs-ref", "community-staff", C1))
            const { caseId } = yield* worker.client.cases.report({ payload: reportAt(B1), headers: {} })
            yield* staff.client.cases.accept({ path: { caseId }, payload: {} })
            const dispatch = (target: unknown) =>
              call("POST", `/cases/${caseId}/dispatch`, staff.token, { target })
            const unknownDept = yield* dispatch({ _tag: "Department", departmentId: "no-such-bureau" })
            expect([unknownDept.status, unknownDept.body?.rule]).toEqual([422, "unknown-department"])
            const unknownUnit = yield* dispatch({ _tag: "Unit", unitId: "no-such-unit" })
            expect([unknownUnit.status, unknownUnit.body?.rule]).toEqual([422, "unknown-unit"])
            const outside = yield* dispatch({ _tag: "Unit", unitId: C3 })
            expect([outside.status, outside.body?.rule]).toEqual([422, "dispatch-jurisdiction"])

            const wrongStreet = yield* call("POST", `/cases/${caseId}/escalate`, staff.token, {
              toUnitId: S2,
              reason: "社区无力处置"
            })
            expect([wrongStreet.status, wrongStreet.body?.rule]).toEqual([422, "escalation-target"])
            const up = yield* call("POST", `/cases/${caseId}/escalate`, staff.token, {
              reason: "社区无力处置"
            })
            expect(up.status).toBe(200)

            const done = yield* closedCase("merge")
            const { caseId: dup } = yield* worker.client.cases.report({ payload: reportAt(B1), headers: {} })
            const intoClosed = yield* call("POST", `/cases/${dup}/merge`, done.staff.token, {
              targetId: done.caseId
            })
            expect([intoClosed.status, intoClosed.body?.rule]).toEqual([422, "merge-target"])
          })
      )
    }
  )
}
