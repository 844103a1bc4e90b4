/**
 * End to end through the typed client (`HttpApiClient.make(Api)`) against an
 * in-process server on SQLite and PostgreSQL: seed 001's six-step loop over
 * HTTP, optimistic concurrency (409), idempotent reports, schema failures (400
 * naming fields), domain refusals (422 naming rules), scope and IDOR (404
 * identical to an unknown id), masking, OpenAPI.
 */

import * as OpenApi from "@effect/platform/OpenApi"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Api } from "../src/Api.js"
import {
  B1,
  C1,
  C2,
  C3,
  CHENGGUAN,
  D,
  dialects,
  env,
  K1,
  login,
  principal,
  raw,
  reportAt,
  S1,
  S2,
  seedDemo
} from "./support/Harness.js"

const evidence = ["photo://jinsha/3-before.jpg", "photo://jinsha/3-after.jpg"]

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(
    `http e2e on ${dialect.name}`,
    (it) => {
      const staff = (
        unitId: string,
        role: "community-staff" | "street-staff" | "district-staff",
        id: string
      ) => login(principal(id, role, unitId))

      it.effect("公开精确位置: a report carries the reporter's consent to publish the exact location", () =>
        Effect.gen(function* () {
          const worker = yield* login(principal("gw-consent", "grid-worker", C1))
          const community = yield* staff(C1, "community-staff", "cs-consent")
          const consenting = yield* worker.client.cases.report({
            payload: reportAt(B1, { publishExact: true }),
            headers: {}
          })
          const plain = yield* worker.client.cases.report({ payload: reportAt(B1), headers: {} })
          const stateOf = (caseId: string) =>
            Effect.map(
              community.client.cases.get({ path: { caseId }, urlParams: { include: "state" } }),
              (view) => view.state?.publishExact
            )
          expect(yield* stateOf(consenting.caseId)).toBe(true)
          expect(yield* stateOf(plain.caseId)).toBeUndefined()
        })
      )

      it.effect(
        "同意接收进度通知: a report carries the reporter's consent to notifications; without a phone it is refused",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-notify", "grid-worker", C1))
            const community = yield* staff(C1, "community-staff", "cs-notify")
            const consenting = yield* worker.client.cases.report({
              payload: reportAt(B1, { notifyReporter: true, contact: { phone: "13812341234" } }),
              headers: {}
            })
            const view = yield* community.client.cases.get({
              path: { caseId: consenting.caseId },
              urlParams: { include: "state" }
            })
            expect(view.state?.notifyReporter).toBe(true)
            const refused = yield* Effect.flip(
              worker.client.cases.report({
                payload: reportAt(B1, { notifyReporter: true, contact: { name: "张三" } }),
                headers: {}
              })
            )
            expect(refused._tag === "Refused" && refused.rule).toBe("notify-needs-contact")
          })
      )

      it.effect(
        "seed 001 six steps over HTTP: 采集上报 → 指挥派遣 → 处理反馈 → 任务核查 → 结案归档 → 考核评价",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-li", "grid-worker", C1))
            const community = yield* staff(C1, "community-staff", "cs-wang")
            const dept = yield* login(principal("cg-liu", "department", D, CHENGGUAN))

            const reported = yield* worker.client.cases.report({
              payload: reportAt(B1, { contact: { name: "张三", phone: "13812341234" } }),
              headers: {}
            })
            expect(reported.status).toBe("reported")
            expect(reported.replayed).toBe(false)
            const caseId = reported.caseId
            const path = { caseId }

            // an actor in the body is ignored: the principal is the actor
            const forged = {
              actor: { id: "district-boss", role: "district-staff", unitId: D },
              at: "2000-01-01T00:00:00Z"
            }
            const accepted = yield* raw("POST", `/cases/${caseId}/accept`, community.token, forged)
            expect(accepted.status).toBe(200)
            expect(JSON.parse(accepted.text).events[0].actor).toEqual({
              id: "cs-wang",
              role: "community-staff",
              unitId: C1
            })
            const dispatched = yield* community.client.cases.dispatch({
              path,
              payload: { target: { _tag: "Department", departmentId: CHENGGUAN } }
            })
            expect(dispatched.status).toBe("dispatched")
            const handled = yield* dept.client.cases.handle({ path, payload: { result: "已清运", evidence } })
            expect(handled.status).toBe("handled")
            const verified = yield* community.client.cases.verify({ path, payload: { outcome: "pass" } })
            expect(verified.status).toBe("closed")
            const evaluated = yield* community.client.cases.evaluate({
              path,
              payload: { rating: "satisfied" }
            })
            expect(evaluated.status).toBe("evaluated")

            const view = yield* community.client.cases.get({ path, urlParams: { include: "state" } })
            expect(view.summary.status).toBe("evaluated")
            expect(view.summary.closedTier).toBe("community")
            expect(view.summary.communityId).toBe(C1)
            expect(view.state?.evaluation?.rating).toBe("satisfied")

            const history = yield* community.client.cases.events({ path })
            expect(history.map((e) => e._tag)).toEqual([
              "Reported",
              "Accepted",
              "Dispatched",
              "Handled",
              "VerificationPassed",
              "Closed",
              "Evaluated"
            ])
            // every command records the principal
            expect(history.map((e) => e.actor.id)).toEqual([
              "gw-li",
              "cs-wang",
              "cs-wang",
              "cg-liu",
              "cs-wang",
              "cs-wang",
              "cs-wang"
            ])
          })
      )

      it.effect(
        "并发冲突: two clients race on the version they read — exactly one wins, the other gets 409 with the current version",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-race", "grid-worker", C1))
            const a = yield* staff(C1, "community-staff", "cs-a")
            const b = yield* staff(C1, "community-staff", "cs-b")
            const { caseId } = yield* worker.client.cases.report({ payload: reportAt(K1), headers: {} })
            const read = yield* a.client.cases.get({ path: { caseId }, urlParams: {} })
            const version = read.summary.version
            const results = yield* Effect.all(
              [
                Effect.either(
                  a.client.cases.accept({ path: { caseId }, payload: { expectedVersion: version } })
                ),
                Effect.either(
                  b.client.cases.reject({
                    path: { caseId },
                    payload: { reason: "重复上报", expectedVersion: version }
                  })
                )
              ],
              { concurrency: "unbounded" }
            )
            const wins = results.filter((r) => r._tag === "Right")
            const losses = results.flatMap((r) => (r._tag === "Left" ? [r.left] : []))
            expect(wins).toHaveLength(1)
            expect(losses).toHaveLength(1)
            const loss = losses[0]
            expect(loss?._tag).toBe("Conflict")
            if (loss?._tag === "Conflict") {
              expect(loss.currentVersion).toBe(version + 1)
              expect(loss.expectedVersion).toBe(version)
            }
            const after = yield* a.client.cases.events({ path: { caseId } })
            expect(after).toHaveLength(2) // no event lost or applied twice
          })
      )

      it.effect(
        "并发: five staff accept the same case at once without a version — exactly one wins, no event is lost or doubled",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-race-5", "grid-worker", C1))
            const { caseId } = yield* worker.client.cases.report({ payload: reportAt(C1), headers: {} })
            const clients = yield* Effect.forEach([1, 2, 3, 4, 5], (k) =>
              staff(C1, "community-staff", `cs-race-${k}`)
            )
            const results = yield* Effect.forEach(
              clients,
              (c) => Effect.either(c.client.cases.accept({ path: { caseId }, payload: {} })),
              { concurrency: "unbounded" }
            )
            expect(results.filter((r) => r._tag === "Right")).toHaveLength(1)
            for (const r of results) {
              // a loser either lost the append (409) or read the accepted case (422: status)
              if (r._tag === "Left") expect(["Conflict", "Refused"]).toContain(r.left._tag)
            }
            const history = yield* worker.client.cases.events({ path: { caseId } })
            expect(history.map((e) => e._tag)).toEqual(["Reported", "Accepted"])
          })
      )

      it.effect("side branches over HTTP: 回退, 挂账/恢复, 延期, 返工, 重办, 合并", () =>
        Effect.gen(function* () {
          const worker = yield* login(principal("gw-side", "grid-worker", C1))
          const community = yield* staff(C1, "community-staff", "cs-side")
          const dept = yield* login(principal("cg-side", "department", D, CHENGGUAN))
          const outsider = yield* login(principal("gw-side-c3", "grid-worker", C3))
          const { caseId } = yield* worker.client.cases.report({ payload: reportAt(K1), headers: {} })
          const path = { caseId }
          const toDept = { target: { _tag: "Department", departmentId: CHENGGUAN } } as const
          yield* community.client.cases.accept({ path, payload: {} })
          yield* community.client.cases.dispatch({ path, payload: toDept })
          expect(
            (yield* dept.client.cases.return({ path, payload: { reason: "非本部门职责" } })).status
          ).toBe("accepted")
          yield* community.client.cases.dispatch({ path, payload: toDept })
          expect(
            (yield* dept.client.cases.suspend({ path, payload: { reason: "等待产权单位答复" } })).status
          ).toBe("dispatched")
          expect((yield* community.client.cases.approveSuspension({ path, payload: {} })).status).toBe(
            "suspended"
          )
          expect((yield* community.client.cases.resume({ path, payload: {} })).status).toBe("dispatched")
          yield* dept.client.cases.extend({
            path,
            payload: { amount: { amount: 3, unit: "working-days" }, reason: "需采购材料" }
          })
          yield* community.client.cases.approveExtension({
            path,
            payload: { amount: { amount: 2, unit: "working-days" } }
          })
          yield* dept.client.cases.handle({ path, payload: { result: "已处理", evidence } })
          expect(
            (yield* community.client.cases.verify({ path, payload: { outcome: "fail", note: "未清理干净" } }))
              .status
          ).toBe("rework")
          yield* dept.client.cases.handle({ path, payload: { result: "返工完成", evidence } })
          yield* community.client.cases.verify({ path, payload: { outcome: "pass" } })
          yield* community.client.cases.evaluate({ path, payload: { rating: "dissatisfied" } })
          expect(
            (yield* community.client.cases.reopen({
              path,
              payload: { reason: "居民不满意", to: "handling" }
            })).status
          ).toBe("dispatched")
          const view = yield* community.client.cases.get({ path, urlParams: { include: "state" } })
          expect(view.state?.counts).toMatchObject({ returns: 1, reworks: 1, reopens: 1 })
          expect(view.state?.extensions.map((e) => e.amount.amount)).toEqual([2])

          // 合并: a duplicate merges into a case the principal sees; a target outside its scope is a 404
          const duplicate = yield* worker.client.cases.report({ payload: reportAt(K1), headers: {} })
          const foreign = yield* outsider.client.cases.report({ payload: reportAt(C3), headers: {} })
          const hidden = yield* Effect.flip(
            community.client.cases.merge({
              path: { caseId: duplicate.caseId },
              payload: { targetId: foreign.caseId }
            })
          )
          expect(hidden._tag === "NotFound" && hidden.id).toBe(foreign.caseId)
          expect((yield* community.client.cases.events({ path: { caseId: duplicate.caseId } })).length).toBe(
            1
          )
          const merged = yield* community.client.cases.merge({
            path: { caseId: duplicate.caseId },
            payload: { targetId: caseId }
          })
          expect(merged.status).toBe("merged")
        })
      )

      it.effect(
        "幂等: the same Idempotency-Key twice gives one case; another principal's key never finds it",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-idem", "grid-worker", C2))
            const other = yield* login(principal("gw-idem-2", "grid-worker", C2))
            const staffC2 = yield* staff(C2, "community-staff", "cs-idem")
            const headers = { "idempotency-key": "report-2024-04-08-001" }
            const first = yield* worker.client.cases.report({ payload: reportAt(C2), headers })
            const second = yield* worker.client.cases.report({ payload: reportAt(C2), headers })
            expect(second.caseId).toBe(first.caseId)
            expect(second.replayed).toBe(true)
            expect(second.events).toEqual([])
            const third = yield* other.client.cases.report({ payload: reportAt(C2), headers })
            expect(third.caseId).not.toBe(first.caseId)
            const page = yield* staffC2.client.cases.list({ urlParams: { limit: 500 } })
            const ids = page.items.map((i) => i.caseId)
            expect(ids.filter((id) => id === first.caseId)).toHaveLength(1)
            // the same key with another body is refused, not replayed (issue 12 finding 12)
            const changed = yield* raw(
              "POST",
              "/cases",
              worker.token,
              reportAt(C2, { description: "另一件事 something else" }),
              headers
            )
            expect(changed.status).toBe(422)
            expect(JSON.parse(changed.text)).toMatchObject({
              _tag: "Refused",
              rule: "idempotency-key-reused"
            })
          })
      )

      it.effect("400: a bad body names every bad field and rule", () =>
        Effect.gen(function* () {
          const worker = yield* login(principal("gw-400", "grid-worker", C1))
          const bad = yield* raw("POST", "/cases", worker.token, {
            categoryId: "",
            urgency: "very",
            description: 42,
            location: { unitId: 7 }
          })
          expect(bad.status).toBe(400)
          const body = JSON.parse(bad.text)
          expect(body._tag).toBe("HttpApiDecodeError")
          const paths = (body.issues as ReadonlyArray<{ path: ReadonlyArray<string> }>).map((i) =>
            i.path.join(".")
          )
          expect(paths).toEqual(
            expect.arrayContaining(["categoryId", "urgency", "description", "location.unitId"])
          )
          const notJson = yield* raw("POST", "/cases/x/accept", worker.token, undefined)
          expect(notJson.status).toBe(400)
        })
      )

      it.effect(
        "hostile input is a 4xx, never a 5xx: NUL characters (400 naming the path), injection strings, huge ids, deep JSON",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-hostile", "grid-worker", C1))
            const nul = "a\u0000b"
            const cases: ReadonlyArray<
              readonly [method: "GET" | "POST", url: string, body: unknown, status: number, path?: string]
            > = [
              ["POST", "/cases", { ...reportAt(C1), description: nul }, 400, "description"],
              ["POST", "/cases", { ...reportAt(C1), categoryId: nul }, 400, "categoryId"],
              ["POST", "/cases", { ...reportAt(C1), contact: { phone: nul } }, 400, "contact.phone"],
              ["POST", "/cases/a%00b/accept", {}, 400, "caseId"],
              ["GET", "/cases/a%00b", undefined, 400, "caseId"],
              ["GET", "/cases?after=a%00b", undefined, 400, "after"],
              ["GET", "/grids/a%00b", undefined, 400, "gridId"],
              ["GET", `/cases/${encodeURIComponent("x' OR '1'='1")}`, undefined, 404],
              ["POST", `/cases/${encodeURIComponent("1; DROP TABLE cg_case_events; --")}/accept`, {}, 404],
              // an id longer than any id (issue 12 finding 8: a JSON 400, not an empty answer)
              ["GET", `/cases/${"x".repeat(5_000)}`, undefined, 400],
              ["GET", "/cases?within=%27%20OR%201%3D1", undefined, 404],
              ["GET", "/cases?limit=1e9", undefined, 400, "limit"],
              ["GET", "/cases?reportedFrom=yesterday", undefined, 400, "reportedFrom"],
              ["POST", "/cases", JSON.parse(`${"[".repeat(2000)}${"]".repeat(2000)}`), 400],
              ["POST", "/cases", { ...reportAt(C1), location: { unitId: "\ud800" } }, 404]
            ]
            for (const [method, url, body, status, path] of cases) {
              const reply = yield* raw(method, url, worker.token, body)
              expect([url.slice(0, 60), reply.status]).toEqual([url.slice(0, 60), status])
              if (path !== undefined) {
                const issues = JSON.parse(reply.text).issues as ReadonlyArray<{ path: ReadonlyArray<string> }>
                expect(issues.map((i) => i.path.join("."))).toContain(path)
              }
            }
            // the database still answers
            const page = yield* worker.client.cases.list({ urlParams: { limit: 1 } })
            expect(page.items.length).toBeLessThanOrEqual(1)
          })
      )

      it.effect("422: a refused command names the rule (a grid worker may not accept 立案)", () =>
        Effect.gen(function* () {
          const worker = yield* login(principal("gw-422", "grid-worker", C1))
          const { caseId } = yield* worker.client.cases.report({ payload: reportAt(C1), headers: {} })
          const error = yield* Effect.flip(worker.client.cases.accept({ path: { caseId }, payload: {} }))
          expect(error._tag).toBe("Refused")
          if (error._tag === "Refused") {
            expect(error.rule).toBe("role")
            expect(error.violations.map((v) => v.rule)).toContain("role")
          }
          const streetStaff = yield* staff(S1, "street-staff", "ss-422")
          const street = yield* Effect.flip(
            streetStaff.client.cases.report({ payload: reportAt(S1), headers: {} })
          )
          expect(street._tag === "Unroutable" && street.rule).toBe("no-community")
          const blank = yield* Effect.flip(
            (yield* staff(C1, "community-staff", "cs-422")).client.cases.reject({
              path: { caseId },
              payload: { reason: " " }
            })
          )
          expect(blank._tag === "Refused" && blank.violations.map((v) => v.rule)).toEqual(["reason-required"])
        })
      )

      it.effect(
        "IDOR: another jurisdiction's case answers 404 exactly like an unknown id, for reads and commands",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-idor", "grid-worker", C1))
            const outsider = yield* staff(C3, "community-staff", "cs-nanhua")
            expect(S2).not.toBe(S1)
            const otherStreet = yield* staff(S2, "street-staff", "ss-tuodong")
            const { caseId } = yield* worker.client.cases.report({ payload: reportAt(C1), headers: {} })
            const unknown = "no-such-case"
            for (const who of [outsider, otherStreet]) {
              for (const [path, body] of [
                [`/cases/${caseId}`, undefined],
                [`/cases/${caseId}/events`, undefined],
                [`/cases/${caseId}/accept`, {}],
                [`/cases/${caseId}/void`, { reason: "invalid", note: "x" }]
              ] as const) {
                const known = yield* raw(body === undefined ? "GET" : "POST", path, who.token, body)
                const none = yield* raw(
                  body === undefined ? "GET" : "POST",
                  path.replace(caseId, unknown),
                  who.token,
                  body
                )
                expect(known.status).toBe(404)
                expect(none.status).toBe(404)
                expect(known.contentType).toBe(none.contentType)
                expect(known.text.replace(caseId, "ID")).toBe(none.text.replace(unknown, "ID"))
              }
            }
            // the owning street and the district see it
            const street = yield* staff(S1, "street-staff", "ss-qingyun")
            const district = yield* staff(D, "district-staff", "ds-panlong")
            expect((yield* street.client.cases.get({ path: { caseId }, urlParams: {} })).summary.caseId).toBe(
              caseId
            )
            expect(
              (yield* district.client.cases.get({ path: { caseId }, urlParams: {} })).summary.caseId
            ).toBe(caseId)
          })
      )

      it.effect(
        "a department sees what is dispatched to it, even outside its unit; a resident sees only their own reports",
        () =>
          Effect.gen(function* () {
            const resident = yield* login(principal("res-1", "resident", C3))
            const neighbour = yield* login(principal("res-2", "resident", C3))
            const community = yield* staff(C3, "community-staff", "cs-nanhua-2")
            const dept = yield* login(principal("cg-zhou", "department", S1, CHENGGUAN))
            const { caseId } = yield* resident.client.cases.report({ payload: reportAt(C3), headers: {} })
            expect(
              (yield* resident.client.cases.get({ path: { caseId }, urlParams: {} })).summary.source
            ).toBe("resident-app")
            expect(
              (yield* Effect.flip(neighbour.client.cases.get({ path: { caseId }, urlParams: {} })))._tag
            ).toBe("NotFound")
            expect(
              (yield* Effect.flip(dept.client.cases.get({ path: { caseId }, urlParams: {} })))._tag
            ).toBe("NotFound")
            yield* community.client.cases.accept({ path: { caseId }, payload: {} })
            yield* community.client.cases.dispatch({
              path: { caseId },
              payload: { target: { _tag: "Department", departmentId: CHENGGUAN } }
            })
            expect((yield* dept.client.cases.get({ path: { caseId }, urlParams: {} })).summary.status).toBe(
              "dispatched"
            )
            const own = yield* resident.client.cases.list({ urlParams: {} })
            expect(own.items.map((i) => i.caseId)).toEqual([caseId])
            expect((yield* neighbour.client.cases.list({ urlParams: {} })).items).toEqual([])
          })
      )

      it.effect(
        "脱敏: the phone is 138****1234 for roles without the right; an anonymous report never shows a reporter",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-mask", "grid-worker", C1))
            const community = yield* staff(C1, "community-staff", "cs-mask")
            const resident = yield* login(principal("res-anon", "resident", C1))
            const { caseId } = yield* worker.client.cases.report({
              payload: reportAt(K1, { contact: { name: "张三丰", phone: "13812341234" } }),
              headers: {}
            })
            const full = yield* community.client.cases.get({ path: { caseId }, urlParams: {} })
            expect(full.reporter).toEqual({ name: "张三丰", phone: "13812341234" })
            const masked = yield* worker.client.cases.get({ path: { caseId }, urlParams: {} })
            expect(masked.reporter).toEqual({ name: "张**", phone: "138****1234" })
            const events = yield* worker.client.cases.events({ path: { caseId } })
            const first = events[0]
            expect(first?._tag === "Reported" && first.contact).toEqual({
              name: "张**",
              phone: "138****1234"
            })

            const anon = yield* resident.client.cases.report({
              payload: reportAt(C1, { anonymous: true }),
              headers: {}
            })
            const seen = yield* community.client.cases.get({
              path: { caseId: anon.caseId },
              urlParams: { include: "state" }
            })
            expect(seen.anonymous).toBe(true)
            expect(seen.reporter).toBeNull()
            expect(seen.state?.reportedBy).not.toBe("res-anon")
            const history = yield* community.client.cases.events({ path: { caseId: anon.caseId } })
            expect(JSON.stringify(history)).not.toContain("res-anon")
            const refused = yield* Effect.flip(
              resident.client.cases.report({
                payload: reportAt(C1, { anonymous: true, contact: { phone: "13812341234" } }),
                headers: {}
              })
            )
            expect(refused._tag === "Refused" && refused.rule).toBe("anonymous-contact")
          })
      )

      it.effect("list: scope, filters and the keyset cursor", () =>
        Effect.gen(function* () {
          const worker = yield* login(principal("gw-list", "grid-worker", C2))
          const community = yield* staff(C2, "community-staff", "cs-list")
          const street = yield* staff(S1, "street-staff", "ss-list")
          const created: Array<string> = []
          for (let k = 0; k < 5; k++) {
            created.push((yield* worker.client.cases.report({ payload: reportAt(C2), headers: {} })).caseId)
          }
          const seen: Array<string> = []
          let after: string | undefined
          for (;;) {
            const page = yield* community.client.cases.list({
              urlParams:
                after === undefined
                  ? { limit: 2, status: "reported" }
                  : { limit: 2, status: "reported", after }
            })
            seen.push(...page.items.map((i) => i.caseId))
            for (const item of page.items) expect(item.communityId).toBe(C2)
            if (page.next === null) break
            after = page.next
          }
          expect(new Set(seen).size).toBe(seen.length)
          expect(seen).toEqual(expect.arrayContaining(created))
          const outside = yield* Effect.flip(community.client.cases.list({ urlParams: { within: C1 } }))
          expect(outside._tag).toBe("NotFound")
          const streetPage = yield* street.client.cases.list({ urlParams: { within: C2, limit: 500 } })
          expect(streetPage.items.map((i) => i.caseId)).toEqual(expect.arrayContaining(created))
          const badCursor = yield* Effect.flip(
            community.client.cases.list({ urlParams: { after: "not-a-cursor" } })
          )
          expect(badCursor._tag).toBe("InvalidQuery")
        })
      )

      it.effect("上报升级: escalate goes to the street above the community by default", () =>
        Effect.gen(function* () {
          const worker = yield* login(principal("gw-esc", "grid-worker", C1))
          const community = yield* staff(C1, "community-staff", "cs-esc")
          const { caseId } = yield* worker.client.cases.report({ payload: reportAt(C1), headers: {} })
          yield* community.client.cases.accept({ path: { caseId }, payload: {} })
          const escalated = yield* community.client.cases.escalate({
            path: { caseId },
            payload: { reason: "需街道协调" }
          })
          const last = escalated.events[0]
          expect(last?._tag === "Escalated" && last.toUnitId).toBe(S1)
          const view = yield* community.client.cases.get({ path: { caseId }, urlParams: {} })
          expect(view.summary.tier).toBe("street")
          expect(view.summary.ownerUnitId).toBe(S1)
        })
      )

      it.effect("hierarchy and grids: a principal reads only its own subtree", () =>
        Effect.gen(function* () {
          const street = yield* staff(S1, "street-staff", "ss-units")
          const units = yield* street.client.hierarchy.units()
          expect(units.map((u) => u.id).sort()).toEqual([S1, C1, C2, K1, B1].sort())
          expect(units.map((u) => u.id)).not.toContain(S2)
          expect(units.map((u) => u.id)).not.toContain(D)
          const children = yield* street.client.hierarchy.children({ path: { unitId: S1 } })
          expect(children.map((u) => u.id).sort()).toEqual([C2, C1].sort())
          expect((yield* Effect.flip(street.client.hierarchy.unit({ path: { unitId: C3 } })))._tag).toBe(
            "NotFound"
          )
          expect((yield* Effect.flip(street.client.hierarchy.subtree({ path: { unitId: D } })))._tag).toBe(
            "NotFound"
          )
          expect(yield* street.client.grids.within({ path: { unitId: C1 } })).toEqual([])
          expect((yield* Effect.flip(street.client.grids.within({ path: { unitId: C3 } })))._tag).toBe(
            "NotFound"
          )
          expect((yield* Effect.flip(street.client.grids.grid({ path: { gridId: "nope" } })))._tag).toBe(
            "NotFound"
          )
        })
      )

      it.effect("401 without a valid token; /openapi.json is the contract; /docs serves Swagger UI", () =>
        Effect.gen(function* () {
          expect((yield* raw("GET", "/cases", undefined)).status).toBe(401)
          expect((yield* raw("GET", "/cases", "wrong-token")).status).toBe(401)
          const doc = yield* raw("GET", "/openapi.json", undefined)
          expect(doc.status).toBe(200)
          const spec = JSON.parse(doc.text)
          expect(spec.info.title).toContain("civicgrid")
          expect(spec.info.version).toBe("0.1.0")
          expect(Object.keys(spec.paths)).toEqual(
            expect.arrayContaining([
              "/cases",
              "/cases/{caseId}",
              "/cases/{caseId}/events",
              "/cases/{caseId}/accept",
              "/cases/{caseId}/verify",
              "/hierarchy/units",
              "/hierarchy/units/{unitId}/grids",
              "/lists/problems",
              "/lists/tasks/{taskId}"
            ])
          )
          expect(Object.keys(spec.components.securitySchemes)).toContain("bearer")
          expect(Object.keys(spec.paths["/cases/{caseId}/accept"].post.responses)).toEqual(
            expect.arrayContaining(["200", "400", "401", "404", "409", "422"])
          )
          // built on the first request (not at start): the whole document, the same every time
          expect(spec).toEqual(JSON.parse(JSON.stringify(OpenApi.fromApi(Api))))
          expect((yield* raw("GET", "/openapi.json", undefined)).text).toBe(doc.text)
          const docs = yield* raw("GET", "/docs", undefined)
          expect(docs.status).toBe(200)
          expect(docs.text).toContain("swagger")
          // Swagger UI's page embeds the same document
          expect(docs.text).toContain(`"title":${JSON.stringify(spec.info.title)}`)
          expect((yield* raw("GET", "/docs", undefined)).text).toBe(docs.text)
        })
      )
    }
  )
}
