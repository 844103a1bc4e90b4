/**
 * 评论 and 附件 over REST (typed client, in-process server on SQLite and
 * PostgreSQL): `POST /cases/{id}/comment` in any status (a closed case
 * included) never changes the status; anyone who sees the case comments
 * publicly, an internal comment is staff's (422 `internal-comment-staff`);
 * a resident never sees internal comments; a report's media and address id
 * are kept; bad media URLs are a 400 naming the field.
 */

import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  C1,
  CHENGGUAN,
  D,
  dialects,
  env,
  K1,
  login,
  principal,
  raw,
  reportAt,
  seedDemo
} from "./support/Harness.js"

const evidence = ["photo://jinsha/before.jpg"]
const media = ["https://example.org/fms/photo-1.jpeg", "https://example.org/fms/photo-2.jpeg"]

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(
    `comments over HTTP on ${dialect.name}`,
    (it) => {
      it.effect(
        "a resident's report keeps media and address id; the resident comments publicly, staff internally; residents never see internal comments",
        () =>
          Effect.gen(function* () {
            const resident = yield* login(principal("res-comment", "resident", C1))
            const neighbour = yield* login(principal("res-neighbour", "resident", C1))
            const community = yield* login(principal("cs-comment", "community-staff", C1))
            const reported = yield* resident.client.cases.report({
              payload: reportAt(K1, { media, location: { unitId: K1, addressId: "fms-addr-0042" } }),
              headers: {}
            })
            const caseId = reported.caseId
            const path = { caseId }
            const first = reported.events[0]
            expect(first?._tag === "Reported" && [first.media, first.location.addressId]).toEqual([
              media,
              "fms-addr-0042"
            ])
            const view = yield* community.client.cases.get({ path, urlParams: { include: "state" } })
            expect([view.state?.media, view.state?.location.addressId]).toEqual([media, "fms-addr-0042"])

            const publicComment = yield* resident.client.cases.comment({
              path,
              payload: { text: "又多了两袋垃圾", visibility: "public", media: [media[0] ?? ""] }
            })
            expect(publicComment.status).toBe("reported")
            expect(publicComment.version).toBe(2)
            expect(publicComment.events.map((e) => e._tag)).toEqual(["Commented"])

            // an internal comment is staff's: 422 naming the rule
            const refused = yield* Effect.flip(
              resident.client.cases.comment({ path, payload: { text: "内部", visibility: "internal" } })
            )
            expect(refused._tag === "Refused" && refused.rule).toBe("internal-comment-staff")
            // a resident who did not report the case does not see it: 404, as for an unknown id
            const hidden = yield* Effect.flip(
              neighbour.client.cases.comment({ path, payload: { text: "我也看到了", visibility: "public" } })
            )
            expect(hidden._tag).toBe("NotFound")

            const internal = yield* community.client.cases.comment({
              path,
              payload: { text: "会办：请城管配合清运", visibility: "internal" }
            })
            expect(internal.status).toBe("reported")
            expect(internal.version).toBe(3)

            const staffSees = yield* community.client.cases.events({ path })
            expect(staffSees.map((e) => (e._tag === "Commented" ? e.visibility : e._tag))).toEqual([
              "Reported",
              "public",
              "internal"
            ])
            const residentSees = yield* resident.client.cases.events({ path })
            expect(residentSees.map((e) => (e._tag === "Commented" ? e.visibility : e._tag))).toEqual([
              "Reported",
              "public"
            ])
            // the summary's status and updatedAt are the report's: comments are not status changes
            const summary = (yield* community.client.cases.get({ path, urlParams: {} })).summary
            expect([summary.status, summary.version]).toEqual(["reported", 3])
            expect(summary.updatedAt.epochMillis).toBe(view.summary.updatedAt.epochMillis)
            expect(view.summary.commentedAt).toBeNull()
            expect(summary.commentedAt?.epochMillis).toBe(internal.events[0]?.at.epochMillis)
          })
      )

      it.effect("a closed case takes comments and stays closed; a blank text is 422, bad media 400", () =>
        Effect.gen(function* () {
          const worker = yield* login(principal("gw-comment", "grid-worker", C1))
          const community = yield* login(principal("cs-comment-2", "community-staff", C1))
          const dept = yield* login(principal("cg-comment", "department", D, CHENGGUAN))
          const { caseId } = yield* worker.client.cases.report({ payload: reportAt(K1), headers: {} })
          const path = { caseId }
          yield* community.client.cases.accept({ path, payload: {} })
          yield* community.client.cases.dispatch({
            path,
            payload: { target: { _tag: "Department", departmentId: CHENGGUAN } }
          })
          // the department (a handler) leaves an internal note while handling
          yield* dept.client.cases.comment({ path, payload: { text: "已联系环卫", visibility: "internal" } })
          yield* dept.client.cases.handle({ path, payload: { result: "已清运", evidence } })
          const closed = yield* community.client.cases.verify({ path, payload: { outcome: "pass" } })
          expect(closed.status).toBe("closed")
          const after = yield* worker.client.cases.comment({
            path,
            payload: { text: "复查：现场保持干净", visibility: "public", expectedVersion: closed.version }
          })
          expect([after.status, after.version]).toEqual(["closed", closed.version + 1])

          const blank = yield* Effect.flip(
            worker.client.cases.comment({ path, payload: { text: "   ", visibility: "public" } })
          )
          expect(blank._tag === "Refused" && blank.rule).toBe("note-required")
          const badMedia = yield* raw("POST", `/cases/${caseId}/comment`, worker.token, {
            text: "照片",
            visibility: "public",
            media: ["javascript:alert(1)"]
          })
          expect(badMedia.status).toBe(400)
          expect(badMedia.text).toContain("media")
          expect(badMedia.text).toContain("media-url")
          const badVisibility = yield* raw("POST", `/cases/${caseId}/comment`, worker.token, {
            text: "照片",
            visibility: "secret"
          })
          expect(badVisibility.status).toBe(400)
          const tooMany = yield* raw("POST", "/cases", worker.token, {
            ...reportAt(K1),
            media: Array.from({ length: 11 }, (_, i) => `https://example.org/${i}.jpg`)
          })
          expect(tooMany.status).toBe(400)
          expect(tooMany.text).toContain("max-items")
          const history = yield* community.client.cases.events({ path })
          expect(history.filter((e) => e._tag === "Commented")).toHaveLength(2)
        })
      )
    }
  )
}
