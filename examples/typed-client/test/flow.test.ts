/**
 * The typed client's loop against an in-process server: the case goes round
 * the loop and closes; the same Idempotency-Key gives the same case; a stale
 * expectedVersion is a typed `Conflict` carrying the current version; a
 * resident cannot see another's case (`NotFound`, as for an unknown id).
 */

import { CategoryId } from "@civicgrid/core/CaseCategory"
import { UnitId } from "@civicgrid/core/Unit"
import type { ReportBody } from "@civicgrid/http/Api"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Flow from "../src/flow.js"
import * as TestServer from "./server.js"

let keys = 0
const key = (): string => `test-key-${process.pid}-${keys++}`

const report: ReportBody = {
  categoryId: CategoryId.make("BJ-0102"),
  urgency: "normal",
  description: "污水井盖破损",
  location: { unitId: UnitId.make("c1-k-3") }
}

layer(TestServer.layer(), { excludeTestServices: true, timeout: "30 seconds" })(
  "typed client (HttpApiClient.make(Api))",
  (it) => {
    it.effect(
      "the loop closes the case: report → accept → dispatch → handle → verify → evaluate, each by the role the rules require",
      () =>
        Effect.gen(function* () {
          const lines: Array<string> = []
          const outcome = yield* Flow.run({
            tokens: TestServer.tokens,
            idempotencyKey: key(),
            log: (line) => lines.push(line)
          })
          expect(outcome.locationUnitId).toBe("c1-k-3")
          expect(outcome.steps.map((s) => s.status)).toEqual([
            "reported",
            "accepted",
            "dispatched",
            "handled",
            "closed",
            "evaluated"
          ])
          const versions = outcome.steps.map((s) => s.version)
          expect(versions).toEqual([...versions].sort((a, b) => a - b))
          expect(new Set(versions).size).toBe(versions.length)
          expect(outcome.finalStatus).toBe("evaluated")
          expect(outcome.history).toEqual([
            "Reported",
            "Accepted",
            "Dispatched",
            "Handled",
            "VerificationPassed",
            "Closed",
            "Evaluated"
          ])
          // the department may not verify its own work: 422 names the rule
          expect(outcome.refusal).toEqual(Option.some({ command: "Verify", rule: "role" }))
          // every step was printed
          for (const step of ["采集上报", "立案", "指挥派遣", "处理反馈", "任务核查", "考核评价"]) {
            expect(lines.some((l) => l.includes(step))).toBe(true)
          }
          const staff = yield* Flow.client(TestServer.tokens.communityStaff)
          const view = yield* staff.cases.get({ path: { caseId: outcome.caseId }, urlParams: {} })
          expect(view.summary.status).toBe("evaluated")
          expect(view.summary.closedTier).toBe("community")
        })
    )

    it.effect("replaying the report with the same Idempotency-Key returns the same case, not a new one", () =>
      Effect.gen(function* () {
        const outcome = yield* Flow.run({ tokens: TestServer.tokens, idempotencyKey: key(), log: () => {} })
        expect(outcome.replay).toEqual({ caseId: outcome.caseId, replayed: true, version: 1 })

        const reporter = yield* Flow.client(TestServer.tokens.reporter)
        const k = key()
        const first = yield* reporter.cases.report({ headers: { "idempotency-key": k }, payload: report })
        const again = yield* reporter.cases.report({ headers: { "idempotency-key": k }, payload: report })
        const other = yield* reporter.cases.report({ headers: { "idempotency-key": key() }, payload: report })
        expect(first.replayed).toBe(false)
        expect(again.caseId).toBe(first.caseId)
        expect(again.replayed).toBe(true)
        expect(again.events).toEqual([])
        expect(other.caseId).not.toBe(first.caseId)
      })
    )

    it.effect(
      "a stale expectedVersion yields the typed Conflict (409) carrying the case's current version",
      () =>
        Effect.gen(function* () {
          const outcome = yield* Flow.run({ tokens: TestServer.tokens, idempotencyKey: key(), log: () => {} })
          expect(outcome.conflict).toEqual(Option.some({ expectedVersion: 1, currentVersion: 2 }))

          const reporter = yield* Flow.client(TestServer.tokens.reporter)
          const staff = yield* Flow.client(TestServer.tokens.communityStaff)
          const { caseId, version } = yield* reporter.cases.report({ headers: {}, payload: report })
          yield* staff.cases.accept({ path: { caseId }, payload: { expectedVersion: version } })
          const current = (yield* staff.cases.get({ path: { caseId }, urlParams: {} })).summary.version
          const stale = yield* staff.cases
            .reject({ path: { caseId }, payload: { reason: "重复", expectedVersion: version } })
            .pipe(Effect.either)
          expect(Either.isLeft(stale)).toBe(true)
          if (Either.isLeft(stale)) {
            expect(stale.left._tag).toBe("Conflict")
            if (stale.left._tag === "Conflict") {
              expect(stale.left.currentVersion).toBe(current)
              expect(stale.left.expectedVersion).toBe(version)
            }
          }
          // nothing was applied: the case is where it was
          expect((yield* staff.cases.get({ path: { caseId }, urlParams: {} })).summary.version).toBe(current)
        })
    )

    it.effect(
      "a resident cannot see a case they did not report: NotFound (404), the same answer as an unknown id",
      () =>
        Effect.gen(function* () {
          const outcome = yield* Flow.run({ tokens: TestServer.tokens, idempotencyKey: key(), log: () => {} })
          expect(outcome.hiddenFromResident).toBe(true)

          const resident = yield* Flow.client(TestServer.tokens.resident)
          const hidden = yield* Effect.flip(
            resident.cases.get({ path: { caseId: outcome.caseId }, urlParams: {} })
          )
          const unknown = yield* Effect.flip(
            resident.cases.get({ path: { caseId: "no-such-case" }, urlParams: {} })
          )
          expect(hidden._tag).toBe("NotFound")
          expect(unknown._tag).toBe("NotFound")
          if (hidden._tag === "NotFound" && unknown._tag === "NotFound") {
            expect(hidden.message).toBe(unknown.message)
          }
          // their own report they do see
          const own = yield* resident.cases.report({ headers: {}, payload: report })
          const view = yield* resident.cases.get({ path: { caseId: own.caseId }, urlParams: {} })
          expect(view.summary.caseId).toBe(own.caseId)
        })
    )

    it.effect(
      "tokens of another community find no common location; an unknown token is Unauthorized (401)",
      () =>
        Effect.gen(function* () {
          const apart = yield* Effect.flip(
            Flow.run({
              tokens: { ...TestServer.tokens, communityStaff: "t-other-staff" },
              idempotencyKey: key(),
              log: () => {}
            })
          )
          expect(apart._tag).toBe("NoCommonLocation")
          const refused = yield* Effect.flip(
            Flow.run({
              tokens: { ...TestServer.tokens, reporter: "no-such-token" },
              idempotencyKey: key(),
              log: () => {}
            })
          )
          expect(refused._tag).toBe("Unauthorized")
          expect(Flow.describeFailure(refused)).toMatch(/^401/)
        })
    )
  }
)
