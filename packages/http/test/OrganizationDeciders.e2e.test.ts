/**
 * 小区党组织组建 and 评选表彰 over HTTP, on SQLite and PostgreSQL: the five
 * founding steps 找党员 → 转关系 → 建组织 → 配班子 → 履承诺 in order (a step out
 * of order refused 422 naming its rule, a stale version 409, outside the
 * jurisdiction 404); an award round 推荐 → 公示 → 表彰 with its quota and notice
 * period, and the public 评优公示 showing masked names only while the notice
 * runs.
 */
import * as Org from "@civicgrid/core/OrganizationRepository"
import * as Staffing from "@civicgrid/core/Staffing"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import { expect, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { C1, C3, dialects, env, K1, login, principal, raw, seedDemo } from "./support/Harness.js"

const person = (id: string, name: string, phone: string) =>
  Staffing.makePerson({ id, name, partyMember: true, phone })

const seed = Effect.gen(function* () {
  yield* seedDemo
  const repo = Option.getOrThrow(yield* Effect.serviceOption(Org.OrganizationRepository))
  yield* repo.putPeople([
    person("nominee-a", "张伟明", "13811112222"),
    person("nominee-b", "李秀英", "13933334444"),
    person("nominee-c", "王建华", "13655556666")
  ])
}).pipe(Effect.orDie)

/** Today at +08:00 and a day `n` days from it. */
const today = Effect.map(DateTime.now, (now) => WorkingCalendar.dateOf(WorkingCalendar.china(), now))
const shift = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

const json = (answer: { readonly text: string }) => JSON.parse(answer.text) as Record<string, unknown>

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seed).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "120 seconds" })(
    `compound foundings and award rounds on ${dialect.name}`,
    (it) => {
      it.effect(
        "the five founding steps in order; out of order 422 naming the rule, stale 409, outside 404",
        () =>
          Effect.gen(function* () {
            const staff = yield* login(principal("cs-found", "community-staff", C1))
            const far = yield* login(principal("cs-far-found", "community-staff", C3))
            const resident = yield* login(principal("r-found", "resident", C1))
            const url = `/compound-foundings/${K1}/commands`
            const post = (body: unknown, token = staff.token) => raw("POST", url, token, body)

            // a step before 找党员: refused naming the rule, in Chinese and English
            const early = yield* post({
              command: {
                _tag: "Establish",
                bodyId: "jinsha-yuan-branch",
                kind: "compound-party-branch",
                name: "金沙苑党支部"
              }
            })
            expect(early.status).toBe(422)
            const refusal = json(early)
            expect([refusal._tag, refusal.subject, refusal.rule, refusal.rules]).toEqual([
              "OrganizationCommandRefused",
              "founding",
              "out-of-order",
              ["out-of-order"]
            ])
            expect(refusal.message).toContain("下一步应为「找党员」")
            expect(refusal.message).toContain("the next step is find-members")

            // outside the jurisdiction: 404, nothing written; a resident: 403
            const members = ["pm-1", "pm-2", "pm-3", "pm-4"]
            const find = {
              expectedVersion: 0,
              command: { _tag: "FindMembers", communityId: C1, memberIds: members, on: "2024-03-01" }
            }
            expect((yield* post(find, far.token)).status).toBe(404)
            expect((yield* post(find, resident.token)).status).toBe(403)
            expect((yield* raw("POST", url, undefined, find)).status).toBe(401)
            expect((yield* post({ command: { _tag: "FindMembers" } })).status).toBe(400)

            // 找党员
            const found = yield* post(find)
            expect(found.status).toBe(200)
            expect([json(found).version, json(found).done, json(found).next]).toEqual([
              1,
              ["find-members"],
              "transfer-relations"
            ])
            // a stale version: 409
            const transfer = {
              command: { _tag: "TransferRelations", memberIds: ["pm-1", "pm-2", "pm-3"], on: "2024-03-05" }
            }
            const stale = yield* post({ ...transfer, expectedVersion: 0 })
            expect([stale.status, json(stale)._tag, json(stale).actualVersion]).toEqual([
              409,
              "OrganizationConflict",
              1
            ])
            // 转关系
            expect((yield* post({ ...transfer, expectedVersion: 1 })).status).toBe(200)
            // 履承诺 before 建组织: out of order
            const pledge = {
              command: {
                _tag: "Pledge",
                commitments: ["每月开展一次志愿服务", "公示党员联系方式"],
                on: "2024-04-01"
              }
            }
            const skipped = yield* post(pledge)
            expect([skipped.status, json(skipped).rule]).toEqual([422, "out-of-order"])
            expect(json(skipped).message).toContain("下一步应为「建组织」")
            // 建组织, 配班子 (the secretary from the transferred members), 履承诺
            const established = yield* post({
              expectedVersion: 2,
              command: {
                _tag: "Establish",
                bodyId: "jinsha-yuan-branch",
                kind: "compound-party-branch",
                name: "金沙苑党支部",
                on: "2024-03-10"
              }
            })
            expect([established.status, json(established).next]).toEqual([200, "staff-committee"])
            const notTransferred = yield* post({
              command: { _tag: "StaffCommittee", secretaryId: "pm-4", memberIds: ["pm-2"], on: "2024-03-20" }
            })
            expect([
              notTransferred.status,
              json(notTransferred).rule,
              json(notTransferred).personIds
            ]).toEqual([422, "not-transferred", ["pm-4"]])
            expect(
              (yield* post({
                command: {
                  _tag: "StaffCommittee",
                  secretaryId: "pm-1",
                  memberIds: ["pm-2", "pm-3"],
                  on: "2024-03-20"
                }
              })).status
            ).toBe(200)
            const pledged = yield* post(pledge)
            expect(pledged.status).toBe(200)
            expect([json(pledged).founded, json(pledged).foundedOn, json(pledged).next]).toEqual([
              true,
              "2024-04-01",
              null
            ])
            // all five done: any further step is refused
            expect(json(yield* post(pledge)).rule).toBe("founded")

            // the founding as staff read it
            const list = yield* staff.client.organization.foundings({ urlParams: {} })
            expect(
              list.map((f) => [
                f.compoundId,
                f.communityId,
                f.done,
                f.since,
                f.lastOn,
                f.foundedOn,
                f.version
              ])
            ).toEqual([
              [
                K1,
                C1,
                ["find-members", "transfer-relations", "establish", "staff-committee", "pledge"],
                "2024-03-01",
                "2024-04-01",
                "2024-04-01",
                5
              ]
            ])
            expect(list[0]?.secretaryId).toBe("pm-1")
            expect(list[0]?.transferred).toEqual(["pm-1", "pm-2", "pm-3"])
            expect(yield* far.client.organization.foundings({ urlParams: {} })).toEqual([])
            expect((yield* raw("GET", `/compound-foundings?within=${K1}`, far.token)).status).toBe(404)
            expect((yield* raw("GET", "/compound-foundings", resident.token)).status).toBe(403)
          })
      )

      it.effect(
        "an award round: nominate, publish within the quota, award after the notice; the public notice masks names while it runs",
        () =>
          Effect.gen(function* () {
            const staff = yield* login(principal("cs-award", "community-staff", C1))
            const worker = yield* login(principal("gw-award", "grid-worker", C1))
            const far = yield* login(principal("cs-far-award", "community-staff", C3))
            const day = yield* today
            const on = (n: number) => shift(day, n)
            const command = (round: string, body: unknown, token = staff.token) =>
              raw("POST", `/awards/${round}/commands`, token, body)
            const R1 = "2024-优秀楼栋长"

            // opening in a unit outside the jurisdiction: 404; an unknown round: 404
            const open = {
              command: { _tag: "Open", unitId: C1, name: "优秀楼栋长", quota: 2, noticeDays: 5, on: on(-20) }
            }
            expect((yield* command(R1, open, far.token)).status).toBe(404)
            expect(
              (yield* command(R1, { command: { _tag: "Nominate", nomineeId: "nominee-a", on: on(-20) } }))
                .status
            ).toBe(404)
            expect((yield* command(R1, { ...open, expectedVersion: 0 })).status).toBe(200)
            for (const who of ["nominee-a", "nominee-b", "nominee-c"])
              expect(
                (yield* command(R1, { command: { _tag: "Nominate", nomineeId: who, on: on(-20) } })).status
              ).toBe(200)
            // the round of another unit's staff: 404
            expect(
              (yield* command(R1, { command: { _tag: "Nominate", nomineeId: "x", on: on(-20) } }, far.token))
                .status
            ).toBe(404)
            // 公示: three for two places is over the quota
            const over = yield* command(R1, {
              command: { _tag: "Publish", nomineeIds: ["nominee-a", "nominee-b", "nominee-c"], on: on(-10) }
            })
            expect([over.status, json(over).subject, json(over).rule]).toEqual([422, "award", "over-quota"])
            expect(json(over).message).toContain("超过名额")
            expect(json(over).message).toContain("over the quota")
            const published = yield* command(R1, {
              expectedVersion: 4,
              command: { _tag: "Publish", nomineeIds: ["nominee-a", "nominee-b"], on: on(-10) }
            })
            expect([published.status, json(published).placesTaken]).toEqual([200, 2])
            // a stale version: 409
            expect(
              (yield* command(R1, {
                expectedVersion: 4,
                command: { _tag: "Confer", nomineeIds: ["nominee-a"], on: on(-4) }
              })).status
            ).toBe(409)
            // 表彰: not before the notice is over, not without notice
            const early = yield* command(R1, {
              command: { _tag: "Confer", nomineeIds: ["nominee-a", "nominee-b"], on: on(-7) }
            })
            expect([early.status, json(early).rule, json(early).personIds]).toEqual([
              422,
              "notice-not-over",
              ["nominee-a", "nominee-b"]
            ])
            expect(json(early).message).toContain("公示期未满")
            const unnoticed = yield* command(R1, {
              command: { _tag: "Confer", nomineeIds: ["nominee-c"], on: on(-4) }
            })
            expect([unnoticed.status, json(unnoticed).rule]).toEqual([422, "not-on-notice"])
            const conferred = yield* command(R1, {
              command: { _tag: "Confer", nomineeIds: ["nominee-a", "nominee-b"], on: on(-4) }
            })
            expect([conferred.status, json(conferred).awarded]).toEqual([200, ["nominee-a", "nominee-b"]])

            // a second round, published today (the default day): on notice now
            const R2 = "2024-优秀小组长"
            expect(
              (yield* command(R2, {
                command: { _tag: "Open", unitId: C1, name: "优秀小组长", quota: 1, noticeDays: 5 }
              })).status
            ).toBe(200)
            expect(
              (yield* command(R2, { command: { _tag: "Nominate", nomineeId: "nominee-c" } })).status
            ).toBe(200)
            const noticed = yield* command(R2, { command: { _tag: "Publish", nomineeIds: ["nominee-c"] } })
            expect(json(noticed).nominees).toEqual([
              {
                id: "nominee-c",
                name: "王建华",
                status: "on-notice",
                nominatedOn: day,
                noticeFrom: day,
                noticeEnds: on(5),
                awardedOn: null
              }
            ])
            expect(
              json(yield* command(R2, { command: { _tag: "Confer", nomineeIds: ["nominee-c"] } })).rule
            ).toBe("notice-not-over")

            // the public notice: only R2 (R1's notice is over), names masked, no ids, no phones; no token
            const board = yield* raw("GET", `/award-notices/${C1}`, undefined)
            expect(board.status).toBe(200)
            expect(JSON.parse(board.text)).toEqual({
              unitId: C1,
              unitName: "金沙社区",
              day,
              rounds: [
                {
                  name: "优秀小组长",
                  quota: 1,
                  noticeDays: 5,
                  nominees: [{ name: "王**", noticeFrom: day, noticeEnds: on(5) }]
                }
              ]
            })
            for (const secret of ["王建华", "nominee-", "13655556666", "张", "李"])
              expect(board.text).not.toContain(secret)
            // a unit without rounds on notice: empty; an unknown unit: 404
            expect(json(yield* raw("GET", `/award-notices/${C3}`, undefined)).rounds).toEqual([])
            expect((yield* raw("GET", "/award-notices/nowhere", undefined)).status).toBe(404)

            // staff read the rounds: names in full for staff, masked for a grid worker
            const rounds = yield* staff.client.organization.awards({ urlParams: {} })
            expect(
              rounds
                .map((r) => [r.roundId, r.unitId, r.quota, r.placesTaken, r.awarded] as const)
                .sort((a, b) => (a[2] < b[2] ? -1 : 1))
            ).toEqual([
              [R2, C1, 1, 1, []],
              [R1, C1, 2, 2, ["nominee-a", "nominee-b"]]
            ])
            const first = rounds.find((r) => r.roundId === R1)
            expect(first?.nominees.map((n) => [n.name, n.status, n.noticeFrom, n.awardedOn])).toEqual([
              ["张伟明", "awarded", on(-10), on(-4)],
              ["李秀英", "awarded", on(-10), on(-4)],
              ["王建华", "nominated", null, null]
            ])
            expect(
              (yield* worker.client.organization.awards({ urlParams: {} }))
                .find((r) => r.roundId === R1)
                ?.nominees.map((n) => n.name)
            ).toEqual(["张**", "李**", "王**"])
            expect(yield* far.client.organization.awards({ urlParams: {} })).toEqual([])
            expect((yield* raw("GET", `/awards?within=${C1}`, far.token)).status).toBe(404)
          })
      )
    }
  )
}
