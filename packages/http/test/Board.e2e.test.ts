/**
 * Timer lights and the board over HTTP (issue 16), on SQLite and PostgreSQL:
 * `GET /cases?light=…&sort=deadline` lists with each case's `light` and
 * `deadline`; `GET /board` counts a unit of the principal's jurisdiction and
 * answers a unit outside it — or a principal without one — like an unknown
 * unit (404); bad parameters are 400, never 5xx. The policy makes the lights
 * independent of the real clock: a 特急 critical report's filing has no time
 * at all (red as soon as time passes), a normal one 1000 natural days (green).
 */
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
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
  S2,
  seedDemo
} from "./support/Harness.js"

const timeLimits = {
  policy: {
    rules: [
      { step: "filing" as const, urgency: "critical" as const, limit: WorkDuration.naturalHours(0) },
      { step: "filing" as const, limit: WorkDuration.naturalDays(1000) },
      ...TimeLimit.defaultPolicy.rules.filter((r) => r.step !== "filing")
    ]
  },
  calendar: WorkingCalendar.china()
}

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect, { timeLimits })))
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(
    `lights and board on ${dialect.name}`,
    (it) => {
      it.effect(
        "GET /cases?light= and sort=deadline; GET /board counts by status × light and tier; scope is 404",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-board", "grid-worker", C1))
            const staff = yield* login(principal("cs-board", "community-staff", C1))
            const street = yield* login(principal("ss-board", "street-staff", S1))
            const resident = yield* login(principal("res-board", "resident", C1))
            const green = yield* worker.client.cases.report({ payload: reportAt(B1), headers: {} })
            const red = yield* worker.client.cases.report({
              payload: reportAt(B1, { urgency: "critical" }),
              headers: {}
            })
            const list = (urlParams: Parameters<typeof staff.client.cases.list>[0]["urlParams"]) =>
              staff.client.cases.list({ urlParams })
            const reds = yield* list({ light: "red" })
            expect(reds.items.map((i) => [i.caseId, i.light])).toEqual([[red.caseId, "red"]])
            expect(reds.items[0]?.deadline).not.toBeNull()
            const greens = yield* list({ light: ["green"] })
            expect(greens.items.map((i) => [i.caseId, i.light])).toEqual([[green.caseId, "green"]])
            expect((yield* list({ light: "yellow" })).items).toEqual([])
            expect((yield* list({ light: ["red", "green"] })).items.length).toBe(2)
            // least time left first, a page at a time
            const first = yield* list({ sort: "deadline", limit: 1 })
            expect(first.items.map((i) => i.caseId)).toEqual([red.caseId])
            const second = yield* list({ sort: "deadline", limit: 1, after: first.next ?? "" })
            expect(second.items.map((i) => i.caseId)).toEqual([green.caseId])
            // the board of the community, of the street (default: the principal's own unit)
            for (const [who, unitId] of [
              [staff, C1],
              [street, S1],
              [street, undefined]
            ] as const) {
              const board = yield* who.client.cases.board({
                urlParams: unitId === undefined ? {} : { unitId }
              })
              expect(board.unitId).toBe(unitId ?? S1)
              expect(board.open.map((c) => [c.status, c.light, c.count])).toEqual([
                ["reported", "green", 1],
                ["reported", "red", 1]
              ])
              expect(board.overdue).toEqual([{ tier: "community", count: 1 }])
              expect([board.escalatedToday, board.closedToday]).toEqual([0, 0])
            }
            // a unit outside the jurisdiction is answered like an unknown one: 404
            for (const unitId of [S2, C3]) {
              const outside = yield* raw("GET", `/board?unitId=${unitId}`, staff.token)
              expect(outside.status).toBe(404)
            }
            expect((yield* raw("GET", "/board", resident.token)).status).toBe(404)
            expect((yield* raw("GET", "/board?unitId=nowhere", street.token)).status).toBe(404)
            // bad parameters: 400 naming them, never 5xx
            for (const url of ["/cases?light=purple", "/cases?sort=time", "/cases?sort=deadline&after=xyz"]) {
              const bad = yield* raw("GET", url, staff.token)
              expect(bad.status).toBe(400)
            }
            // a reported-order cursor is not a deadline-order one
            const byReport = yield* list({ limit: 1 })
            const mixed = yield* raw("GET", `/cases?sort=deadline&after=${byReport.next ?? ""}`, staff.token)
            expect(mixed.status).toBe(400)
          })
      )

      it.effect(
        "POST /cases/{id}/supervise: street staff supervise, in the history and on the board; others refused; scope 404",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-sup", "grid-worker", C1))
            const community = yield* login(principal("cs-sup", "community-staff", C1))
            const street = yield* login(principal("ss-sup", "street-staff", S1))
            const other = yield* login(principal("ss-sup-2", "street-staff", S2))
            const reported = yield* worker.client.cases.report({ payload: reportAt(B1), headers: {} })
            const before = yield* street.client.cases.board({ urlParams: { unitId: S1 } })
            const done = yield* street.client.cases.supervise({
              path: { caseId: reported.caseId },
              payload: { level: "supervise", note: "限今日办结" }
            })
            expect([done.status, done.events.map((e) => e._tag)]).toEqual(["reported", ["Supervised"]])
            const history = yield* community.client.cases.events({ path: { caseId: reported.caseId } })
            expect(history.map((e) => e._tag)).toEqual(["Reported", "Supervised"])
            const after = yield* street.client.cases.board({ urlParams: { unitId: S1 } })
            expect(after.supervised).toBe(before.supervised + 1)
            // community staff may not supervise (422 naming the rule); another street does not see the case (404)
            const refused = yield* raw("POST", `/cases/${reported.caseId}/supervise`, community.token, {
              level: "urge",
              note: "催一下"
            })
            expect(refused.status).toBe(422)
            expect(refused.text).toContain("role")
            const outside = yield* raw("POST", `/cases/${reported.caseId}/supervise`, other.token, {
              level: "urge",
              note: "催一下"
            })
            expect(outside.status).toBe(404)
            // bad bodies: refused, never 5xx
            for (const body of [
              { level: "shout", note: "x" },
              { level: "urge" },
              { level: "urge", note: "" }
            ]) {
              const bad = yield* raw("POST", `/cases/${reported.caseId}/supervise`, street.token, body)
              expect([400, 422]).toContain(bad.status)
            }
          })
      )
    }
  )
}
