/**
 * 本地案件来源 over HTTP, on SQLite and PostgreSQL: a report naming a local
 * source of the server's role table (民情恳谈会, 枫桥小屋 — by Chinese name or
 * id) is reported as the built-in source it acts as, with the local source
 * recorded in the stored event; `GET /cases/{id}` names it; the case counts
 * under its built-in source (a 民情恳谈会 report is a patrol: it counts in
 * the proactive-discovery share of `GET /visits/indicators`); the rules
 * decide by the built-in source (a grid worker may not file through 信访代办,
 * a petition); an unknown source is a 400 naming the field and the rule.
 */
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as PeopleHandlers from "@civicgrid/http/PeopleHandlers"
import * as PeopleCipher from "@civicgrid/sql/PeopleCipher"
import { expect, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { B1, C1, dialects, env, login, principal, raw, reportAt, seedDemo } from "./support/Harness.js"

const keyring = Either.getOrThrow(
  PeopleCipher.makeKeyring("test-k1", [
    { id: "test-k1", key: Redacted.make(Buffer.alloc(32, 7).toString("base64")) }
  ])
)

const thisMonth = (): string =>
  WorkingCalendar.dateOf(PeopleHandlers.calendar, DateTime.unsafeNow()).slice(0, 7)

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(
    Layer.provideMerge(env(dialect, { people: { keyring } }))
  )
  layer(TestEnv, { excludeTestServices: true, timeout: "120 seconds" })(
    `local report sources on ${dialect.name}`,
    (it) => {
      it.effect(
        "a report from 民情恳谈会 is a patrol with its local source: read back with its names, counted as a patrol",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-src", "grid-worker", C1))
            const staff = yield* login(principal("cs-src", "community-staff", C1))
            const label = thisMonth()
            const before = yield* staff.client.people.indicators({ urlParams: { period: label } })

            const meeting = yield* worker.client.cases.report({
              payload: reportAt(B1, { source: "民情恳谈会" }),
              headers: {}
            })
            const view = yield* staff.client.cases.get({
              path: { caseId: meeting.caseId },
              urlParams: { include: "state" }
            })
            expect(view.summary.source).toBe("patrol")
            expect(view.localSource).toEqual({
              id: "consultation-meeting",
              zh: "民情恳谈会",
              en: "residents' consultation meeting"
            })
            expect([view.state?.source, view.state?.localSource]).toEqual(["patrol", "consultation-meeting"])
            const history = yield* staff.client.cases.events({ path: { caseId: meeting.caseId } })
            const [reported] = history
            expect(reported?._tag === "Reported" && [reported.source, reported.localSource]).toEqual([
              "patrol",
              "consultation-meeting"
            ])

            // by id: 枫桥小屋 is a dispute; a built-in source records no local source
            const cabin = yield* worker.client.cases.report({
              payload: reportAt(B1, { source: "fengqiao-cabin" }),
              headers: {}
            })
            const cabinView = yield* staff.client.cases.get({ path: { caseId: cabin.caseId }, urlParams: {} })
            expect([cabinView.summary.source, cabinView.localSource?.zh]).toEqual(["dispute", "枫桥小屋"])
            const plain = yield* worker.client.cases.report({
              payload: reportAt(B1, { source: "patrol" }),
              headers: {}
            })
            const plainView = yield* staff.client.cases.get({ path: { caseId: plain.caseId }, urlParams: {} })
            expect(plainView.summary.source).toBe("patrol")
            expect("localSource" in plainView).toBe(false)

            // counted under the built-in source: two patrols and a dispute in the proactive share
            const after = yield* staff.client.people.indicators({ urlParams: { period: label } })
            expect(after.proactiveDiscoveryShare).toEqual({
              numerator: before.proactiveDiscoveryShare.numerator + 2,
              denominator: before.proactiveDiscoveryShare.denominator + 3
            })
          }).pipe(Effect.orDie)
      )

      it.effect(
        "the rules decide by the built-in source; an unknown source is a 400 naming the field and rule",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-src2", "grid-worker", C1))
            const staff = yield* login(principal("cs-src2", "community-staff", C1))
            // 信访代办 acts as a petition, which only staff file
            const petition = yield* raw("POST", "/cases", worker.token, reportAt(B1, { source: "信访代办" }))
            expect(petition.status).toBe(422)
            expect(JSON.parse(petition.text)).toMatchObject({ _tag: "Refused", rule: "source" })
            const filed = yield* staff.client.cases.report({
              payload: reportAt(B1, { source: "信访代办" }),
              headers: {}
            })
            const filedView = yield* staff.client.cases.get({ path: { caseId: filed.caseId }, urlParams: {} })
            expect([filedView.summary.source, filedView.localSource?.id]).toEqual([
              "petition",
              "petition-agency"
            ])

            const unknown = yield* raw("POST", "/cases", staff.token, reportAt(B1, { source: "信访代表" }))
            expect(unknown.status).toBe(400)
            const body = JSON.parse(unknown.text)
            expect(body).toMatchObject({ _tag: "SourceUnknown", field: "source", rule: "unknown-source" })
            expect(body.message).toContain('角色表中没有案件来源 "信访代表"')
            expect(body.message).toContain('the role table has no report source "信访代表"')
            // an actor role's name is no report source
            const role = yield* raw("POST", "/cases/self-handle", worker.token, {
              ...reportAt(B1, { source: "信访代办员" }),
              result: "已处理",
              evidence: []
            })
            expect(role.status).toBe(400)
            expect(JSON.parse(role.text)).toMatchObject({ _tag: "SourceUnknown", field: "source" })
          }).pipe(Effect.orDie)
      )
    }
  )
}
