/**
 * 脱敏 of free texts (issue 12, finding 4): roles whose contacts are masked
 * (grid worker, department) read the same personal data in clear in
 * descriptions, addresses, results and reasons. Now the same rule
 * (`rights.personalData`) scrubs those texts with the core's `Privacy.scrub`;
 * roles with the right read them as written. On SQLite and PostgreSQL.
 */
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  B1,
  C1,
  CHENGGUAN,
  D,
  dialects,
  env,
  login,
  principal,
  reportAt,
  seedDemo
} from "./support/Harness.js"

const PHONE = "13812341234"
const ID = "530102199001011234"
const MAIL = "zhang.san@qq.com"
const DESCRIPTION = `3栋垃圾堆放，业主张先生电话 ${PHONE}，身份证 ${ID}，邮箱 ${MAIL}`
const ADDRESS = `金沙苑3栋 联系 138-1234-1234`
const RESULT = `已清运，回访电话 0871-65123456，经办人手机 +86 139 8765 4321`

const leaks = (text: string): ReadonlyArray<string> =>
  [PHONE, ID, MAIL, "zhang.san", "65123456", "8765 4321", "138-1234-1234"].filter((s) => text.includes(s))

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(
    `脱敏 free texts on ${dialect.name}`,
    (it) => {
      it.effect(
        "regression: a grid worker and a department read descriptions, addresses and results scrubbed (contacts were masked, texts were not); community staff read them in clear",
        () =>
          Effect.gen(function* () {
            const worker = yield* login(principal("gw-pii", "grid-worker", C1))
            const community = yield* login(principal("cs-pii", "community-staff", C1))
            const dept = yield* login(principal("cg-pii", "department", D, CHENGGUAN))
            const { caseId } = yield* worker.client.cases.report({
              payload: reportAt(B1, {
                description: DESCRIPTION,
                location: { unitId: B1, address: ADDRESS },
                contact: { name: "张三", phone: PHONE }
              }),
              headers: {}
            })
            const path = { caseId }
            yield* community.client.cases.accept({ path, payload: {} })
            yield* community.client.cases.dispatch({
              path,
              payload: { target: { _tag: "Department", departmentId: CHENGGUAN } }
            })
            yield* dept.client.cases.handle({
              path,
              payload: { result: RESULT, evidence: ["photo://x.jpg"] }
            })
            yield* community.client.cases.verify({
              path,
              payload: { outcome: "fail", note: `复核不通过，请联系 ${PHONE}` }
            })

            // with the right: as written
            const clear = yield* community.client.cases.events({ path })
            const clearText = JSON.stringify(clear)
            expect(clearText).toContain(PHONE)
            expect(clearText).toContain(ID)
            expect(clearText).toContain(MAIL)
            expect(clearText).toContain("65123456")
            const clearState = yield* community.client.cases.get({ path, urlParams: { include: "state" } })
            expect(clearState.state?.location.address).toBe(ADDRESS)

            // without the right: the contact masked and every free text scrubbed
            for (const who of [worker, dept]) {
              const events = yield* who.client.cases.events({ path })
              const text = JSON.stringify(events)
              expect([who.principal.id, leaks(text)]).toEqual([who.principal.id, []])
              const reported = events[0]
              expect(reported?._tag === "Reported" && reported.description).toBe(
                "3栋垃圾堆放，业主张先生电话 138****1234，身份证 5301**********1234，邮箱 ***@qq.com"
              )
              expect(reported?._tag === "Reported" && reported.location.address).toBe(
                "金沙苑3栋 联系 138-****-1234"
              )
              const handled = events.find((e) => e._tag === "Handled")
              expect(handled?._tag === "Handled" && handled.result).toBe(
                "已清运，回访电话 0871-********，经办人手机 +86 139 **** 4321"
              )
              const failed = events.find((e) => e._tag === "VerificationFailed")
              expect(failed?._tag === "VerificationFailed" && failed.reason).toBe(
                "复核不通过，请联系 138****1234"
              )
              const view = yield* who.client.cases.get({ path, urlParams: { include: "state" } })
              expect(view.reporter).toEqual({ name: "张*", phone: "138****1234" })
              expect(view.state?.location.address).toBe("金沙苑3栋 联系 138-****-1234")
              expect(leaks(JSON.stringify(view))).toEqual([])
            }
          })
      )
    }
  )
}
